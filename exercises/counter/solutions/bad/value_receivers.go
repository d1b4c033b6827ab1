// gograde-expect: status=fail fail=TestCore_ZeroValueReady,TestCore_Sequential,TestCore_GoesNegative,TestCore_ConcurrentInc,TestCore_ConcurrentIncDec,TestCore_ReadsDuringWrites,TestRobust_CounterInStruct
// Value receivers: every method works on a copy of the Counter (and of its mutex), so Inc and Dec are lost and Value is always 0.
package main

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

func (c Counter) Dec() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n--
}

func (c Counter) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
