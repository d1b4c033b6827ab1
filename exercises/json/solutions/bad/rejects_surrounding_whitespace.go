// gograde-expect: status=pass fail=TestRobust_SurroundingWhitespace
// Correct for an object as sent in the examples, but refuses input whose first byte is not '{' or whose last byte is not '}', so whitespace around the object (valid JSON) is an error.
package main

import (
	"encoding/json"
	"errors"
)

func AddRole(data []byte, role string) ([]byte, error) {
	if len(data) < 2 || data[0] != '{' || data[len(data)-1] != '}' {
		return nil, errors.New("input must be a JSON object")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	r, err := json.Marshal(role)
	if err != nil {
		return nil, err
	}
	obj["role"] = r
	return json.Marshal(obj)
}
