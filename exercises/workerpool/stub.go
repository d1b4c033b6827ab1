package main

import (
	"fmt"
	"sync"
)

// worker sends job*2 on results for every job until jobs is closed, then
// calls wg.Done() once.
func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	// TODO
}

func main() {
	fmt.Println("worker pool")
}
