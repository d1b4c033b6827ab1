// gograde-expect: status=pass
// Explicit receive with the comma-ok form, break when jobs is closed, wg.Done() after the loop.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	for {
		j, ok := <-jobs
		if !ok {
			break
		}
		results <- j * 2
	}
	wg.Done()
}

func main() {}
