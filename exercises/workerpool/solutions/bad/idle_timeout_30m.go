// gograde-expect: status=fail fail=TestCore_ReturnsWhenJobsClosed
// Returns after 30 idle minutes although jobs is still open, so a job sent later is never taken.
package main

import (
	"sync"
	"time"
)

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			results <- j * 2
		case <-time.After(30 * time.Minute):
			return // idle: assume we're done
		}
	}
}
