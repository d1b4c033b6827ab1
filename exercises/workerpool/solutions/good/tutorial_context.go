// gograde-expect: status=pass
// Tutorial-style workerContext that simulates one second of work per job and gives up when ctx is cancelled; worker is the plain range loop.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		fmt.Printf("worker %d started job %d\n", id, j)
		time.Sleep(time.Second)
		results <- j * 2
	}
}

func workerContext(ctx context.Context, id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-ctx.Done():
			fmt.Printf("worker %d stopping: %v\n", id, ctx.Err())
			return
		case j, ok := <-jobs:
			if !ok {
				return
			}
			select {
			case <-time.After(time.Second): // the work
			case <-ctx.Done():
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

func main() {
	fmt.Println("see worker and workerContext")
}
