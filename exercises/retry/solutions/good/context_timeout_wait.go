// gograde-expect: status=pass
// Waits with context.WithTimeout derived from the caller's ctx, and checks ctx after each wait before calling again.
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
	if attempts < 1 {
		return fmt.Errorf("invalid attempts: %d", attempts)
	}
	wait := time.Second
	var err error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			waitCtx, cancel := context.WithTimeout(ctx, wait)
			<-waitCtx.Done()
			cancel()
			if ctx.Err() != nil {
				return fmt.Errorf("retry cancelled: %w", ctx.Err())
			}
			wait *= 2
		}
		if err = operation(); err == nil {
			return nil
		}
	}
	return fmt.Errorf("operation failed %d times: %w", attempts, err)
}
