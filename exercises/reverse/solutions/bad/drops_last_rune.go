// gograde-expect: status=fail fail=TestCore_OneChar,TestCore_ASCII,TestCore_Palindrome,TestCore_MultiByteLatin,TestCore_CJK,TestCore_Emoji,TestCore_Mixed,TestCore_RoundTrip,TestCore_ByteLength,TestRobust_LongString,TestRobust_LeadingCombiningMark,TestFollowup_CombiningMarks
// Loops i > 0 instead of i >= 0, so the first character of the input (the last of the result) is dropped.
package main

import "strings"

func Reverse(s string) string {
	r := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := len(r) - 1; i > 0; i-- {
		b.WriteRune(r[i])
	}
	return b.String()
}
