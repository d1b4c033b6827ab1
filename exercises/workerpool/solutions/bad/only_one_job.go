// gograde-expect: status=fail fail=TestCore_SingleWorkerInOrder,TestCore_SeveralWorkersEachJobOnce,TestCore_WaitAfterLastResult,TestCore_DoneCalledOnce,TestCore_ReturnsWhenJobsClosed,TestRobust_NoGoroutineLeft
// Handles a single job and returns (no loop), leaving the other jobs unprocessed.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	if j, ok := <-jobs; ok {
		results <- j * 2
	}
}

func main() {}
