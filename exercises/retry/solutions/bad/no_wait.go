// gograde-expect: status=fail fail=TestCore_ExponentialSchedule
// Retries immediately in a tight loop, never waiting between calls.
package main

import "fmt"

func Retry(operation func() error, attempts int) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = operation(); err == nil {
			return nil
		}
	}
	return fmt.Errorf("retry failed: %w", err)
}
