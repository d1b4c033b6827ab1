// gograde-expect: status=fail fail=TestCore_ConcurrentIncDec volatile
// Dec uses TryLock and silently does nothing when the lock is busy, so decrements are lost under contention.
package main

import "sync"

// Dec gives up when the lock is busy (TryLock), silently losing the update under contention.
type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() { c.mu.Lock(); c.n++; c.mu.Unlock() }
func (c *Counter) Dec() {
	if c.mu.TryLock() {
		c.n--
		c.mu.Unlock()
	}
}
func (c *Counter) Value() int { c.mu.Lock(); defer c.mu.Unlock(); return c.n }
