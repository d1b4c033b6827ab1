// gograde-expect: status=fail fail=TestCore_DoesNotCloseResults,TestCore_SeveralWorkersEachJobOnce,TestCore_WaitAfterLastResult,TestRobust_NoGoroutineLeft volatile
// Closes results when it finishes, though the caller owns it: with several workers the others panic sending on it.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	defer close(results)
	for j := range jobs {
		results <- j * 2
	}
}

func main() {}
