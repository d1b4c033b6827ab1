// gograde-expect: status=pass fail=TestFollowup_ContextWaitAfterLastResult
// worker is right, but workerContext calls wg.Done() when it starts instead of deferring it, so wg.Wait() can return (and the caller close results) while it still has results to send.
package main

import (
	"context"
	"sync"
)

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- j * 2
	}
}

func workerContext(ctx context.Context, id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			select {
			case results <- j * 2:
			case <-ctx.Done():
				return
			}
		}
	}
}
