// gograde-expect: status=fail fail=TestRobust_ConcurrentCallers
// Correct with jitter, but every call draws it from one package-level *rand.Rand, which is not safe for concurrent use: two goroutines retrying at once race on it (a data race fails the verdict).
package main

import (
	"fmt"
	"math/rand"
	"time"
)

var rng = rand.New(rand.NewSource(time.Now().UnixNano()))

func Retry(operation func() error, attempts int) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = operation(); err == nil {
			return nil
		}
		if i == attempts-1 {
			break
		}
		base := time.Duration(1<<i) * time.Second
		time.Sleep(base + time.Duration(rng.Int63n(int64(base/2))))
	}
	return fmt.Errorf("after %d attempts: %w", attempts, err)
}
