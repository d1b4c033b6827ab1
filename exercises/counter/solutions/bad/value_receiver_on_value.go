// gograde-expect: status=fail fail=TestCore_ReadsDuringWrites volatile
// Inc and Dec have pointer receivers but Value has a value receiver: calling it copies the struct, mutex and count, without the lock, racing with the writers; a copy taken while a writer holds the lock stays locked, so that Value call blocks forever.
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
	c.n--
}

func (c Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
