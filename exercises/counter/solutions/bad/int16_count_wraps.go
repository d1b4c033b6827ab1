// gograde-expect: status=fail fail=TestCore_LargeCounts
// Stores the count in an int16, so it wraps around past 32767 (and below -32768).
package main

import "sync"

// "a counter never gets big": int16 storage wraps at 32767
type Counter struct {
	mu sync.Mutex
	n  int16
}

func (c *Counter) Inc()       { c.mu.Lock(); c.n++; c.mu.Unlock() }
func (c *Counter) Dec()       { c.mu.Lock(); c.n--; c.mu.Unlock() }
func (c *Counter) Value() int { c.mu.Lock(); defer c.mu.Unlock(); return int(c.n) }
