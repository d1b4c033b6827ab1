// gograde-expect: status=pass fail=TestRobust_NoGoroutineLeft
// Starts a goroutine to count processed jobs but never closes its channel, so that goroutine is left blocked forever.
package main

import (
	"fmt"
	"sync"
)

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	processed := make(chan int)
	go func() {
		n := 0
		for range processed {
			n++
		}
		fmt.Printf("worker %d processed %d jobs\n", id, n)
	}()
	for j := range jobs {
		results <- j * 2
		processed <- j
	}
}

func main() {}
