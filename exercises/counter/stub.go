package main

import "fmt"

// Counter is a counter safe for concurrent use. The zero value is ready to use.
type Counter struct {
	// TODO: your fields
}

// Inc adds one to the count.
func (c *Counter) Inc() {
	// TODO
}

// Dec subtracts one from the count; the count may go negative.
func (c *Counter) Dec() {
	// TODO
}

// Value returns the current count.
func (c *Counter) Value() int {
	// TODO
	return 0
}

func main() {
	var c Counter
	c.Inc()
	c.Inc()
	c.Dec()
	fmt.Println(c.Value()) // 1
}
