// gograde-expect: status=fail fail=TestCore_WaitAfterLastResult
// Calls wg.Done() first and then processes the jobs, so wg.Wait() returns while results are still being sent.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	wg.Done()
	for j := range jobs {
		results <- j * 2
	}
}

func main() {}
