// gograde-expect: status=fail fail=TestCore_MultiByteLatin,TestCore_CJK,TestCore_Emoji,TestCore_Mixed,TestRobust_LongString,TestRobust_LeadingCombiningMark,TestFollowup_CombiningMarks
// Reverses bytes instead of code points, so every multi-byte UTF-8 character is split and the result is invalid UTF-8.
package main

func Reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
