// gograde-expect: status=fail fail=TestCore_ReturnsWhenJobsClosed
// Reads jobs in a select with a default case that returns: the worker stops the first time no job is waiting, although jobs is still open, so jobs that arrive later are never taken.
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			results <- j * 2
		default:
			return // an empty queue is taken to mean there is nothing left to do
		}
	}
}
