// gograde-expect: status=pass
// sync.Mutex guarding an int; pointer receivers; the zero Mutex is unlocked, so the zero Counter is ready.
package main

import "sync"

// Counter is a counter safe for concurrent use. The zero value is ready to use.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Inc adds one.
func (c *Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

// Dec subtracts one; the count may go negative.
func (c *Counter) Dec() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n--
}

// Value returns the current count.
func (c *Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
