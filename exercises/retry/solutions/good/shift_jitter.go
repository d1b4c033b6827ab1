// gograde-expect: status=pass
// Delay computed as (1<<i) seconds plus up to 50% random jitter from math/rand/v2; returns the last error itself.
package main

import (
	"math/rand/v2"
	"time"
)

func Retry(operation func() error, attempts int) error {
	var lastErr error
	for i := 0; i < attempts; i++ {
		if lastErr = operation(); lastErr == nil {
			return nil
		}
		if i == attempts-1 {
			break
		}
		base := time.Duration(1<<i) * time.Second
		jitter := time.Duration(rand.Int64N(int64(base / 2)))
		time.Sleep(base + jitter)
	}
	return lastErr
}
