// gograde-expect: status=fail fail=TestCore_MultiByteLatin,TestCore_CJK,TestCore_Emoji,TestCore_Mixed,TestCore_RoundTrip,TestCore_ByteLength,TestRobust_LongString,TestRobust_LeadingCombiningMark,TestFollowup_CombiningMarks
// Decodes the last rune with utf8.DecodeLastRuneInString but always trims one byte, so the rest of a multi-byte character comes out as U+FFFD.
package main

import (
	"strings"
	"unicode/utf8"
)

func Reverse(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, _ := utf8.DecodeLastRuneInString(s)
		b.WriteRune(r)
		s = s[:len(s)-1]
	}
	return b.String()
}
