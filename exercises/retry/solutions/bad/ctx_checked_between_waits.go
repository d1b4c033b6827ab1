// gograde-expect: status=pass fail=TestFollowup_RetryContextCancelDuringWait
// Core is right, but RetryContext checks ctx.Err() only before each call and sleeps through a cancellation.
package main

import (
	"context"
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	return RetryContext(context.Background(), operation, attempts)
}

func RetryContext(ctx context.Context, operation func() error, attempts int) error {
	var err error
	delay := time.Second
	for i := 0; i < attempts; i++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
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
