// gograde-expect: status=fail fail=TestCore_SuccessFirstTry,TestCore_Exhaustion
// Treats attempts < 2 as "nothing to retry" and returns an error without calling the operation, so Retry(op, 1) never calls it.
package main

import (
	"errors"
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	if attempts < 2 {
		return errors.New("retry: attempts must be at least 2")
	}
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
	return fmt.Errorf("after %d attempts: %w", attempts, err)
}
