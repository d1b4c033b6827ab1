// gograde-expect: status=fail fail=TestCore_Exhaustion,TestRobust_ZeroAttempts,TestRobust_ConcurrentCallers
// Off by one: the loop runs i <= attempts, so it makes attempts+1 calls (and one call when attempts is 0).
package main

import (
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	var err error
	delay := time.Second
	for i := 0; i <= attempts; i++ {
		if err = operation(); err == nil {
			return nil
		}
		if i < attempts {
			time.Sleep(delay)
			delay *= 2
		}
	}
	return fmt.Errorf("retry failed: %w", err)
}
