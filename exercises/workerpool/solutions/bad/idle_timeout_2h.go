// gograde-expect: status=fail fail=TestCore_ReturnsWhenJobsClosed
// Gives up after 2 hours without a job although jobs is still open, so a job sent later is never taken.
package main

import (
	"sync"
	"time"
)

// gives up after 2 hours without a job
func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	idle := time.NewTimer(2 * time.Hour)
	defer idle.Stop()
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			results <- j * 2
			idle.Reset(2 * time.Hour)
		case <-idle.C:
			return
		}
	}
}
