// gograde-expect: status=pass fail=TestFollowup_ContextNoJobAfterCancel
// worker is right, but when ctx is cancelled during a send, workerContext drops that result and goes back to its select on ctx.Done() and jobs, which may take another job although the worker has seen the cancellation.
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
	defer wg.Done()
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
				// Give up on this result and let the select above notice the
				// cancellation: but it picks at random when jobs is ready too.
				continue
			}
		}
	}
}
