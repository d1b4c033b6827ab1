// gograde-expect: status=pass
// Reference: range over jobs until it is closed, send job*2, defer wg.Done().
package main

import "sync"

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- j * 2
	}
}

func main() {}
