// gograde-expect: status=pass fail=TestFollowup_CombiningMarks
// Grapheme-aware in intent, but it treats only non-spacing marks (unicode.Mn) as belonging to the letter before them: a spacing vowel sign (Mc, as in Devanagari or Tamil) or an enclosing mark (Me, such as U+20DD) is reversed as a character of its own.
package main

import "unicode"

// Reverse reverses s, keeping each letter together with the accents that
// follow it.
func Reverse(s string) string {
	r := []rune(s)
	out := make([]rune, 0, len(r))
	for end := len(r); end > 0; {
		start := end - 1
		for start > 0 && unicode.Is(unicode.Mn, r[start]) {
			start--
		}
		out = append(out, r[start:end]...)
		end = start
	}
	return string(out)
}
