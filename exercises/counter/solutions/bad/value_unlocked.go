// gograde-expect: status=fail fail=TestCore_ReadsDuringWrites
// Inc and Dec lock, but Value reads the int without the lock ("a read is atomic anyway"): a data race with the writers.
package main

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *Counter) Dec() {
	c.mu.Lock()
	c.n--
	c.mu.Unlock()
}

func (c *Counter) Value() int {
	return c.n
}
