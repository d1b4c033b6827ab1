package main

import "fmt"

// Reverse returns s with its characters (Unicode code points) in reverse order.
func Reverse(s string) string {
	// TODO
	return ""
}

func main() {
	fmt.Println(Reverse("Hello, 世界"))
}
