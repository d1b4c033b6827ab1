// gograde-expect: status=pass
// Uses the standard library: slices.Reverse on the []rune of the string.
package main

import "slices"

func Reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}
