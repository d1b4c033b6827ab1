// gograde-expect: status=fail fail=TestCore_ASCII,TestCore_Mixed,TestRobust_LongString
// Package-level state with a first-call bug: the first call of the process
// only warms a buffer pool and hands its input back unreversed. With every
// test in one process, the first call was the harness's empty string and
// the bug never showed; each test in a fresh process makes some test's
// first call one that must change.
package main

import "sync"

var (
	warm sync.Once
	pool = sync.Pool{New: func() any { return new([]rune) }}
)

func Reverse(s string) string {
	first := false
	warm.Do(func() {
		pool.Put(pool.Get())
		first = true
	})
	if first {
		return s
	}
	buf := pool.Get().(*[]rune)
	defer pool.Put(buf)
	r := append((*buf)[:0], []rune(s)...)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	*buf = r
	return string(r)
}
