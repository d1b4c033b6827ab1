// gograde-expect: status=pass
// workerContext finishes the job it holds when ctx is cancelled (the work is not interrupted, and the result still goes out if someone reads it), but takes no new job once it has seen the cancellation.
package main

import (
	"context"
	"sync"
	"time"
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
		if ctx.Err() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			time.Sleep(100 * time.Millisecond) // the work, done to the end even if ctx is cancelled meanwhile
			select {
			case results <- j * 2:
			case <-ctx.Done():
				return
			}
		}
	}
}
