// gograde-expect: status=pass fail=TestRobust_LargeIntegers
// Decodes into map[string]any without UseNumber, so numbers go through float64 and 12345678901234567890 loses precision.
package main

import (
	"encoding/json"
	"errors"
)

func AddRole(data []byte, role string) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("input is not a JSON object")
	}
	m["role"] = role
	return json.Marshal(m)
}
