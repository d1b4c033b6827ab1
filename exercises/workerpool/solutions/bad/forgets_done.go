// gograde-expect: status=fail fail=TestCore_WaitAfterLastResult,TestCore_DoneCalledOnce,TestRobust_JobsClosedBeforeStart
// Never calls wg.Done(), so wg.Wait() blocks forever.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	for j := range jobs {
		results <- j * 2
	}
}

func main() {}
