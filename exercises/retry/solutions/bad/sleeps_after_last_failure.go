// gograde-expect: status=pass fail=TestRobust_NoWaitAfterFinalFailure
// Sleeps after every failure, including the last one, before giving up.
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
		time.Sleep(delay)
		delay *= 2
	}
	if err == nil {
		return fmt.Errorf("no attempts")
	}
	return fmt.Errorf("retry failed: %w", err)
}
