// gograde-expect: status=fail fail=TestCore_ConcurrentInc,TestCore_ConcurrentIncDec,TestCore_ReadsDuringWrites,TestRobust_CounterInStruct
// No synchronisation at all: a plain int incremented from many goroutines is a data race.
package main

type Counter struct {
	n int
}

func (c *Counter) Inc()       { c.n++ }
func (c *Counter) Dec()       { c.n-- }
func (c *Counter) Value() int { return c.n }
