// gograde-expect: status=compile_error fail=
// Wrong signature: Value returns int64 instead of int.
package main

import "sync/atomic"

type Counter struct {
	n atomic.Int64
}

func (c *Counter) Inc()         { c.n.Add(1) }
func (c *Counter) Dec()         { c.n.Add(-1) }
func (c *Counter) Value() int64 { return c.n.Load() }
