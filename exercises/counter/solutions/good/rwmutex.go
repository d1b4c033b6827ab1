// gograde-expect: status=pass
// sync.RWMutex: writers take Lock, Value takes RLock so readers do not block each other.
package main

import "sync"

type Counter struct {
	mu    sync.RWMutex
	count int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.count++
	c.mu.Unlock()
}

func (c *Counter) Dec() {
	c.mu.Lock()
	c.count--
	c.mu.Unlock()
}

func (c *Counter) Value() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.count
}
