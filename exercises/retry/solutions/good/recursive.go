// gograde-expect: status=pass
// Recursive: try once, and on failure wait with time.After and recurse with one attempt fewer and twice the delay.
package main

import (
	"errors"
	"fmt"
	"time"
)

var ErrNoAttempts = errors.New("no attempts")

func Retry(operation func() error, attempts int) error {
	return retry(operation, attempts, time.Second)
}

func retry(op func() error, left int, wait time.Duration) error {
	if left <= 0 {
		return ErrNoAttempts
	}
	err := op()
	if err == nil {
		return nil
	}
	if left == 1 {
		return fmt.Errorf("retry failed: %w", err)
	}
	<-time.After(wait)
	return retry(op, left-1, wait*2)
}
