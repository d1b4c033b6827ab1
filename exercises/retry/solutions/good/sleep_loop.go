// gograde-expect: status=pass
// Pasted as written in the notepad: a for loop with time.Sleep and a delay that doubles, plus a main.
package main

import (
	"errors"
	"fmt"
	"time"
)

func Retry(operation func() error, attempts int) error {
	var err error
	delay := 1 * time.Second
	for i := 0; i < attempts; i++ {
		err = operation()
		if err == nil {
			return nil
		}
		if i < attempts-1 {
			time.Sleep(delay)
			delay *= 2
		}
	}
	if err == nil {
		return errors.New("no attempts made")
	}
	return fmt.Errorf("after %d attempts: %w", attempts, err)
}

func main() {
	n := 0
	err := Retry(func() error {
		n++
		if n < 3 {
			return fmt.Errorf("try %d failed", n)
		}
		return nil
	}, 5)
	fmt.Println("calls:", n, "err:", err)
}
