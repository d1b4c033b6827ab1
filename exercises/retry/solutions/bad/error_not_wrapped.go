// gograde-expect: status=pass fail=TestRobust_WrapsLastError
// Formats the last error with %v instead of %w, so errors.Is cannot find it.
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
			delay *= 2
		}
	}
	return fmt.Errorf("failed after %d attempts: %v", attempts, err)
}
