// gograde-expect: status=pass fail=TestFollowup_ContextProcessesJobs
// worker is correct, but workerContext's select has a default case that returns instead of waiting on ctx.Done(): it stops the first time no job is waiting, although jobs is still open and ctx was never cancelled.
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

// workerContext returns when ctx is cancelled, when jobs is closed, and also
// (the mistake) whenever there is no job to take right now.
func workerContext(ctx context.Context, id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		if ctx.Err() != nil {
			return
		}
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			select {
			case results <- j * 2:
			case <-ctx.Done():
				return
			}
		default:
			return // nothing queued: taken to mean the work is over
		}
	}
}
