// gograde-expect: status=fail fail=TestCore_ConcurrentIncDec
// Inc and Value take the mutex but Dec forgets to, so concurrent Dec calls race with everything else.
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
	c.n--
}

func (c *Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
