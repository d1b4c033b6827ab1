// gograde-expect: status=pass
// Both functions: time.After in a select with ctx.Done(), math/rand jitter, errors.Join of the cause and the last error; nil for attempts <= 0.
package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"time"
)

func Retry(operation func() error, attempts int) error {
	return RetryContext(context.Background(), operation, attempts)
}

func RetryContext(ctx context.Context, operation func() error, attempts int) error {
	backoff := time.Second
	for attempt := 1; attempt <= attempts; attempt++ {
		err := operation()
		if err == nil {
			return nil
		}
		if attempt == attempts {
			return fmt.Errorf("all %d attempts failed: %w", attempts, err)
		}
		wait := backoff + time.Duration(rand.Float64()*0.5*float64(backoff))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		}
		backoff *= 2
	}
	return nil
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := RetryContext(ctx, func() error { return errors.New("down") }, 5)
	fmt.Println(err)
}
