// gograde-expect: status=fail fail=TestCore_ASCII,TestCore_Palindrome,TestCore_MultiByteLatin,TestCore_CJK,TestCore_Emoji,TestCore_Mixed,TestRobust_LongString,TestFollowup_CombiningMarks
// Reverses the order of the words instead of the characters.
package main

import "strings"

func Reverse(s string) string {
	words := strings.Split(s, " ")
	for i, j := 0, len(words)-1; i < j; i, j = i+1, j-1 {
		words[i], words[j] = words[j], words[i]
	}
	return strings.Join(words, " ")
}
