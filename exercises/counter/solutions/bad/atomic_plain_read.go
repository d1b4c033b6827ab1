// gograde-expect: status=fail fail=TestCore_ReadsDuringWrites
// Updates with atomic.AddInt64 but reads the field directly instead of with atomic.LoadInt64: a data race.
package main

import "sync/atomic"

type Counter struct {
	n int64
}

func (c *Counter) Inc()       { atomic.AddInt64(&c.n, 1) }
func (c *Counter) Dec()       { atomic.AddInt64(&c.n, -1) }
func (c *Counter) Value() int { return int(c.n) }
