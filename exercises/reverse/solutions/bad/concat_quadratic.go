// gograde-expect: status=pass fail=TestPerf_Allocations,TestRobust_LongString,TestFollowup_CombiningMarks
// Correct output, but prepends each character by string concatenation: one allocation and a full copy per character (quadratic).
package main

func Reverse(s string) string {
	result := ""
	for _, r := range s {
		result = string(r) + result
	}
	return result
}
