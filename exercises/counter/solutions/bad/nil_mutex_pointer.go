// gograde-expect: status=fail fail=TestCore_ZeroValueReady,TestCore_Sequential,TestCore_GoesNegative,TestCore_ConcurrentInc,TestCore_ConcurrentIncDec,TestCore_ReadsDuringWrites,TestRobust_CounterInStruct
// Holds a *sync.Mutex that only a constructor sets, so the zero value (var c Counter) panics on a nil pointer.
package main

import "sync"

type Counter struct {
	mu *sync.Mutex
	n  int
}

func NewCounter() *Counter {
	return &Counter{mu: &sync.Mutex{}}
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

func (c *Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
