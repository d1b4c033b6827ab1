// gograde-expect: status=fail fail=TestCore_ConcurrentIncDec
// Inc is atomic.Int64's Add, but Dec reads the count with Load and writes back one less with Store: no data race, yet two Decs that meet between the load and the store lose one of them.
package main

import "sync/atomic"

type Counter struct {
	n atomic.Int64
}

func (c *Counter) Inc() { c.n.Add(1) }

// Dec looks atomic (both halves are), but another goroutine can change the
// count between the Load and the Store, and the Store then overwrites it.
func (c *Counter) Dec() {
	v := c.n.Load()
	c.n.Store(v - 1)
}

func (c *Counter) Value() int { return int(c.n.Load()) }
