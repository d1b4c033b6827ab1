// gograde-expect: status=fail fail=TestCore_SingleWorkerInOrder,TestCore_WaitAfterLastResult
// Sends each result from a goroutine of its own: the order is lost and wg.Done() runs before those sends happen.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		go func(j int) {
			results <- j * 2
		}(j)
	}
}

func main() {}
