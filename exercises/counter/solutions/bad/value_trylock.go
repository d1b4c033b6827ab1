// gograde-expect: status=fail fail=TestCore_ReadsDuringWrites
// Inc and Dec lock, but Value tries the lock and, when a writer holds it, reads the count anyway without it ("a stale read is fine"): a data race.
package main

import "sync"

type Counter struct {
	mu    sync.Mutex
	count int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count++
}

func (c *Counter) Dec() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count--
}

// Value does not wait for a busy lock: it falls back to an unlocked read.
func (c *Counter) Value() int {
	if !c.mu.TryLock() {
		return c.count
	}
	defer c.mu.Unlock()
	return c.count
}
