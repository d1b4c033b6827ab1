// gograde-expect: status=pass
// Walks the string from the end with utf8.DecodeLastRuneInString and copies each character's bytes into a pre-sized strings.Builder.
package main

import (
	"strings"
	"unicode/utf8"
)

func Reverse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		_, size := utf8.DecodeLastRuneInString(s)
		b.WriteString(s[len(s)-size:])
		s = s[:len(s)-size]
	}
	return b.String()
}
