// gograde-expect: status=fail fail=TestCore_ExponentialSchedule
// Waits a constant 1s between calls: the delay never doubles.
package main

import (
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = operation(); err == nil {
			return nil
		}
		if i < attempts-1 {
			time.Sleep(time.Second)
		}
	}
	return fmt.Errorf("retry failed: %w", err)
}
