// gograde-expect: status=pass
// Correct; a helper declares a local named strings, which must not make the grader drop the strings import.
package main

import "strings"

func count(s string) int {
	strings := []string{s}
	return len(strings)
}

func Reverse(s string) string {
	var b strings.Builder
	r := []rune(s)
	b.Grow(len(s))
	for i := len(r) - 1; i >= 0; i-- {
		b.WriteRune(r[i])
	}
	return b.String()
}
