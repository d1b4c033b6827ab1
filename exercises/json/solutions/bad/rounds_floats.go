// gograde-expect: status=fail fail=TestCore_OverwriteRole,TestCore_OtherMembersKept,TestRobust_LargeIntegers,TestRobust_SurroundingWhitespace
// Decodes into map[string]any and rounds every float to 2 decimals, so 3.14159265358979 and 1e-7 are not kept.
package main

import (
	"encoding/json"
	"errors"
	"math"
)

// Decodes into map[string]any and "tidies" floats by rounding to 2 decimals.
func tidy(v any) any {
	switch x := v.(type) {
	case float64:
		return math.Round(x*100) / 100
	case map[string]any:
		for k, c := range x {
			x[k] = tidy(c)
		}
	case []any:
		for i := range x {
			x[i] = tidy(x[i])
		}
	}
	return v
}

func AddRole(data []byte, role string) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	tidy(m)
	m["role"] = role
	return json.Marshal(m)
}
