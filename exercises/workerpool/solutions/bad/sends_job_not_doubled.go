// gograde-expect: status=fail fail=TestCore_SingleWorkerInOrder,TestCore_SeveralWorkersEachJobOnce
// Sends the job itself instead of job*2.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- j
	}
}

func main() {}
