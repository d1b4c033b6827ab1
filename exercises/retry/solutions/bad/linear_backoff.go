// gograde-expect: status=fail fail=TestCore_ExponentialSchedule
// Linear backoff: waits 1s, 2s, 3s, 4s (delay += 1s) instead of doubling.
package main

import (
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	var err error
	delay := time.Second
	for i := 0; i < attempts; i++ {
		if err = operation(); err == nil {
			return nil
		}
		if i < attempts-1 {
			time.Sleep(delay)
			delay += time.Second
		}
	}
	return fmt.Errorf("retry failed: %w", err)
}
