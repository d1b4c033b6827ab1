// gograde-expect: status=fail fail=TestCore_ExponentialSchedule volatile
// Jitter up to +60% (base + rand.Int63n(base*6/10)): only one wait in six exceeds the allowed +50%, so a single run of five waits often looks fine; the failing run and wait vary.
package main

import (
	"fmt"
	"math/rand"
	"time"
)

// jitter up to +60%: exceeds the allowed 50% only 1 time in 6
func Retry(operation func() error, attempts int) error {
	var err error
	base := time.Second
	for i := 0; i < attempts; i++ {
		if err = operation(); err == nil {
			return nil
		}
		if i+1 < attempts {
			time.Sleep(base + time.Duration(rand.Int63n(int64(base)*6/10)))
			base *= 2
		}
	}
	return fmt.Errorf("failed: %w", err)
}
