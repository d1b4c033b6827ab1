// gograde-expect: status=pass
// select-based loop on jobs, returning on close, with a deferred wg.Done().
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			results <- j * 2
		}
	}
}

func main() {}
