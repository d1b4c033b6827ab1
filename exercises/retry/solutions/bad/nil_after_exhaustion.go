// gograde-expect: status=fail fail=TestCore_Exhaustion,TestRobust_WrapsLastError,TestRobust_ConcurrentCallers
// Returns nil when every attempt failed: the error of the last call is dropped.
package main

import "time"

func Retry(operation func() error, attempts int) error {
	delay := time.Second
	for i := 0; i < attempts; i++ {
		if err := operation(); err == nil {
			return nil
		}
		if i < attempts-1 {
			time.Sleep(delay)
			delay *= 2
		}
	}
	return nil
}
