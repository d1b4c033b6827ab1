// gograde-expect: status=pass
// Splits into one-character strings with strings.Split(s, ""), reverses the slice and joins it back.
package main

import "strings"

func Reverse(s string) string {
	parts := strings.Split(s, "")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "")
}
