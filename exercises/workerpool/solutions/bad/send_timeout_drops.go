// gograde-expect: status=fail fail=TestCore_SlowConsumer
// Drops a result when the consumer does not take it within a second, so a slow consumer loses results.
package main

import (
	"sync"
	"time"
)

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		select {
		case results <- j * 2:
		case <-time.After(time.Second):
			// consumer too slow: drop it
		}
	}
}
