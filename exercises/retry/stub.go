package main

import "fmt"

// Retry calls operation until it returns nil or attempts calls were made,
// waiting 1s, 2s, 4s, ... between calls.
func Retry(operation func() error, attempts int) error {
	// TODO
	return nil
}

func main() {
	err := Retry(func() error { return fmt.Errorf("not yet") }, 3)
	fmt.Println(err)
}
