// gograde-expect: status=fail fail=TestCore_Emoji,TestCore_Mixed,TestCore_RoundTrip,TestCore_ByteLength,TestRobust_LongString,TestRobust_LeadingCombiningMark,TestFollowup_CombiningMarks
// Reverses UTF-16 code units (Java/JavaScript habit): emoji outside the BMP are surrogate pairs, which get split and become U+FFFD.
package main

import "unicode/utf16"

func Reverse(s string) string {
	u := utf16.Encode([]rune(s))
	for i, j := 0, len(u)-1; i < j; i, j = i+1, j-1 {
		u[i], u[j] = u[j], u[i]
	}
	return string(utf16.Decode(u))
}
