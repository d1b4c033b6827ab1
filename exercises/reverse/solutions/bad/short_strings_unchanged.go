// gograde-expect: status=fail fail=TestCore_ASCII,TestFollowup_CombiningMarks
// Returns strings of up to two bytes unchanged ("nothing to reverse"), so "ab" comes back as "ab".
package main

func Reverse(s string) string {
	if len(s) <= 2 {
		return s
	}
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
