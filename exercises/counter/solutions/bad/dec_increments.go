// gograde-expect: status=fail fail=TestCore_Sequential,TestCore_GoesNegative,TestCore_ConcurrentIncDec
// Copy-paste slip: Dec adds one instead of subtracting it.
package main

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

func (c *Counter) Dec() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

func (c *Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
