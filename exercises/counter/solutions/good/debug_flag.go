// gograde-expect: status=pass
// Correct mutex counter with a package-level debug flag, a name the harness's own imports must not take.
package main

import (
	"log"
	"sync"
)

var debug = false

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	if debug {
		log.Println("inc", c.n)
	}
}
func (c *Counter) Dec()       { c.mu.Lock(); defer c.mu.Unlock(); c.n-- }
func (c *Counter) Value() int { c.mu.Lock(); defer c.mu.Unlock(); return c.n }
