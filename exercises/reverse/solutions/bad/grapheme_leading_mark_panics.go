// gograde-expect: status=pass fail=TestRobust_LeadingCombiningMark pass=TestFollowup_CombiningMarks
// Grapheme-aware, but walks back over combining marks without stopping at the start of the string: a string that begins with a mark indexes r[-1] and panics.
package main

import "unicode"

// Reverse keeps each base character together with the combining marks
// that follow it.
func Reverse(s string) string {
	r := []rune(s)
	out := make([]rune, 0, len(r))
	end := len(r)
	for end > 0 {
		start := end - 1
		for unicode.Is(unicode.M, r[start]) {
			start--
		}
		out = append(out, r[start:end]...)
		end = start
	}
	return string(out)
}
