// gograde-expect: status=pass
// Correct; a helper's parameter is named log, which is not a use of package log.
package main

import (
	"strings"
	"sync"
)

func note(log *strings.Builder, s string) {
	log.WriteString(s)
}

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	var b strings.Builder
	for j := range jobs {
		note(&b, "job ")
		results <- j * 2
	}
}
