// gograde-expect: status=pass
// Correct with jitter; rand := rand.New(...) shadows the package in the statement that still uses it.
package main

import (
	"fmt"
	"math/rand"
	"time"
)

func Retry(operation func() error, attempts int) error {
	rand := rand.New(rand.NewSource(time.Now().UnixNano()))
	var err error
	d := time.Second
	for i := 0; i < attempts; i++ {
		if err = operation(); err == nil {
			return nil
		}
		if i < attempts-1 {
			time.Sleep(d + time.Duration(rand.Int63n(int64(d/2))))
			d *= 2
		}
	}
	return fmt.Errorf("retry: %w", err)
}
