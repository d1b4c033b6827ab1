// gograde-expect: status=fail fail=TestCore_WaitAfterLastResult,TestCore_DoneCalledOnce,TestRobust_JobsClosedBeforeStart volatile
// Calls wg.Done() after every job: negative WaitGroup counter with several jobs, never called with none.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	for j := range jobs {
		results <- j * 2
		wg.Done()
	}
}

func main() {}
