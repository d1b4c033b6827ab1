// gograde-expect: status=pass pass=TestFollowup_CombiningMarks
// Grapheme-aware: reverses by code point but keeps combining marks (unicode.M) attached to the character before them.
package main

import (
	"fmt"
	"unicode"
)

// Reverse reverses s by user-perceived character, treating a base character
// and the combining marks that follow it as one unit.
func Reverse(s string) string {
	r := []rune(s)
	out := make([]rune, 0, len(r))
	end := len(r)
	for end > 0 {
		start := end - 1
		// Walk back over marks to the base they belong to.
		for start > 0 && unicode.Is(unicode.M, r[start]) {
			start--
		}
		out = append(out, r[start:end]...)
		end = start
	}
	return string(out)
}

func main() {
	fmt.Println(Reverse("cafe\u0301"), Reverse("Hello, 世界"))
}
