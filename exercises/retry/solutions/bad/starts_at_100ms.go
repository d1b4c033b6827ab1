// gograde-expect: status=fail fail=TestCore_ExponentialSchedule
// Doubles correctly but starts at 100ms instead of 1s (100ms, 200ms, 400ms, ...).
package main

import (
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	var err error
	delay := 100 * time.Millisecond
	for i := 0; i < attempts; i++ {
		if err = operation(); err == nil {
			return nil
		}
		if i < attempts-1 {
			time.Sleep(delay)
			delay *= 2
		}
	}
	return fmt.Errorf("retry failed: %w", err)
}
