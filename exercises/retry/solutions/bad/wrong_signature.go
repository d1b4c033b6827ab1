// gograde-expect: status=compile_error fail=
// Wrong signature: the parameters are swapped (attempts first, operation second).
package main

import (
	"fmt"
	"time"
)

func Retry(attempts int, operation func() error) error {
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
	return fmt.Errorf("retry failed: %w", err)
}
