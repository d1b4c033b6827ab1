// gograde-expect: status=fail fail=TestCore_SuccessFirstTry,TestCore_Exhaustion,TestCore_SuccessOnCallK,TestRobust_ConcurrentCallers
// Off by one: the loop starts at 1 and runs i < attempts, so it makes only attempts-1 calls.
package main

import (
	"errors"
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	err := errors.New("no attempts")
	delay := time.Second
	for i := 1; i < attempts; i++ {
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
