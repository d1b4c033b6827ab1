// gograde-expect: status=compile_error fail=
// Takes and returns strings instead of []byte: func AddRole(data string, role string) (string, error).
package main

import "encoding/json"

func AddRole(data string, role string) (string, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		return "", err
	}
	m["role"] = role
	out, err := json.Marshal(m)
	return string(out), err
}
