// gograde-expect: status=fail fail=TestCore_Empty,TestCore_ASCII,TestCore_MultiByteLatin,TestCore_CJK,TestCore_Emoji,TestCore_Mixed,TestCore_RoundTrip,TestCore_ByteLength,TestRobust_LongString,TestFollowup_CombiningMarks
// Off-by-one in the swap loop (i <= len/2): for an even length the middle pair is swapped back, and the empty string panics.
package main

func Reverse(s string) string {
	r := []rune(s)
	n := len(r)
	for i := 0; i <= n/2; i++ {
		r[i], r[n-1-i] = r[n-1-i], r[i]
	}
	return string(r)
}
