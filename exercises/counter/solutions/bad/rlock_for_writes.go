// gograde-expect: status=fail fail=TestCore_ConcurrentInc,TestCore_ConcurrentIncDec,TestCore_ReadsDuringWrites,TestRobust_CounterInStruct
// Uses an RWMutex but takes only the read lock (RLock) in Inc and Dec, so writers run together: a data race.
package main

import "sync"

type Counter struct {
	mu sync.RWMutex
	n  int
}

func (c *Counter) Inc() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.n++
}

func (c *Counter) Dec() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.n--
}

func (c *Counter) Value() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n
}
