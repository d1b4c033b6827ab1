// gograde-expect: status=fail fail=TestCore_SeveralWorkersEachJobOnce,TestCore_WaitAfterLastResult,TestCore_DoneCalledOnce,TestCore_ReturnsWhenJobsClosed,TestRobust_JobsClosedBeforeStart,TestRobust_NoGoroutineLeft volatile
// Loops with j := <-jobs and never checks for close: after jobs is closed it sends 0 forever and never returns.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		j := <-jobs
		results <- j * 2
	}
}

func main() {}
