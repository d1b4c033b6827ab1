// gograde-expect: status=pass
// Plain int64 field updated with atomic.AddInt64 and read with atomic.LoadInt64.
package main

import "sync/atomic"

type Counter struct {
	value int64
}

func (c *Counter) Inc() {
	atomic.AddInt64(&c.value, 1)
}

func (c *Counter) Dec() {
	atomic.AddInt64(&c.value, -1)
}

func (c *Counter) Value() int {
	return int(atomic.LoadInt64(&c.value))
}
