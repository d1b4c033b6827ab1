// gograde-expect: status=pass
// Reference: RetryContext waits on a timer or ctx.Done(), doubling the delay from 1s; Retry delegates with context.Background().
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Retry calls operation until it succeeds or attempts calls were made,
// waiting 1s, 2s, 4s, ... between calls.
func Retry(operation func() error, attempts int) error {
	return RetryContext(context.Background(), operation, attempts)
}

// RetryContext is Retry that also stops, with ctx's error, when ctx is done.
func RetryContext(ctx context.Context, operation func() error, attempts int) error {
	if attempts <= 0 {
		return errors.New("retry: attempts must be positive")
	}
	delay := time.Second
	var err error
	for i := 1; ; i++ {
		if err = operation(); err == nil {
			return nil
		}
		if i == attempts {
			return fmt.Errorf("retry: giving up after %d attempts: %w", attempts, err)
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("retry: %w (last error: %v)", ctx.Err(), err)
		case <-timer.C:
		}
		delay *= 2
	}
}
