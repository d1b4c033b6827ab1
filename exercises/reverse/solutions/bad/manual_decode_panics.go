// gograde-expect: status=pass fail=TestRobust_InvalidUTF8,TestFollowup_CombiningMarks
// Decodes UTF-8 by hand from the lead byte and slices s[i:i+width] without a bounds check: panics on a truncated character.
package main

func Reverse(s string) string {
	var chars []string
	for i := 0; i < len(s); {
		c := s[i]
		width := 1
		switch {
		case c >= 0xF0:
			width = 4
		case c >= 0xE0:
			width = 3
		case c >= 0xC0:
			width = 2
		}
		chars = append(chars, s[i:i+width])
		i += width
	}
	out := make([]byte, 0, len(s))
	for i := len(chars) - 1; i >= 0; i-- {
		out = append(out, chars[i]...)
	}
	return string(out)
}
