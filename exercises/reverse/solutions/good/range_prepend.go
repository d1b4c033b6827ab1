// gograde-expect: status=pass
// Pasted as written in the notepad: a range loop fills a pre-sized []rune from the back; main prints a few examples.
package main

import (
	"fmt"
	"unicode/utf8"
)

func Reverse(s string) string {
	out := make([]rune, utf8.RuneCountInString(s))
	i := len(out)
	for _, r := range s {
		i--
		out[i] = r
	}
	return string(out)
}

func main() {
	for _, s := range []string{"", "hello", "héllo", "世界", "Hello, 世界! 😀"} {
		fmt.Printf("%q -> %q\n", s, Reverse(s))
	}
}
