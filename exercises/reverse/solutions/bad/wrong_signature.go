// gograde-expect: status=compile_error fail=
// Takes and returns []rune instead of string: func Reverse(s []rune) []rune.
package main

func Reverse(s []rune) []rune {
	out := make([]rune, len(s))
	for i, r := range s {
		out[len(s)-1-i] = r
	}
	return out
}
