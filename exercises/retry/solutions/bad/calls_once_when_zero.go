// gograde-expect: status=pass fail=TestRobust_ZeroAttempts
// Do-while shape: calls the operation before checking the attempt count, so attempts <= 0 still makes one call.
package main

import (
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	delay := time.Second
	for i := 1; ; i++ {
		err := operation()
		if err == nil {
			return nil
		}
		if i >= attempts {
			return fmt.Errorf("retry: %w", err)
		}
		time.Sleep(delay)
		delay *= 2
	}
}
