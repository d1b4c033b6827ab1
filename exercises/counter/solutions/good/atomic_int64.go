// gograde-expect: status=pass
// atomic.Int64 field (Go 1.19+), pasted as a whole program with a main that exercises it.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type Counter struct {
	n atomic.Int64
}

func (c *Counter) Inc()       { c.n.Add(1) }
func (c *Counter) Dec()       { c.n.Add(-1) }
func (c *Counter) Value() int { return int(c.n.Load()) }

func main() {
	var c Counter
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Inc()
			c.Inc()
			c.Dec()
		}()
	}
	wg.Wait()
	fmt.Println("value:", c.Value()) // 100
}
