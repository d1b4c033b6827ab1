// gograde-expect: status=pass
// Correct; a max(nums []int) left over from an earlier question must not clash with the harness.
package main

// leftover from an earlier question in the same notepad
func max(nums []int) int {
	m := nums[0]
	for _, n := range nums {
		if n > m {
			m = n
		}
	}
	return m
}

func Reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
