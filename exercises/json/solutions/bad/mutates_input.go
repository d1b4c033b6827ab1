// gograde-expect: status=pass fail=TestRobust_InputUntouched
// Overwrites the closing brace of the caller's input and appends the role into the caller's slice (its spare capacity).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Appends into the caller's slice: overwrites the caller's buffer beyond len when cap allows.
func AddRole(data []byte, role string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	rb, _ := json.Marshal(role)
	if _, ok := m["role"]; ok {
		m["role"] = rb
		return json.Marshal(m)
	}
	i := bytes.LastIndexByte(data, '}')
	data[i] = ' ' // scribbles over the caller's input
	out := data[:i]
	if len(m) > 0 {
		out = append(out, ',')
	}
	out = append(out, `"role":`...)
	out = append(out, rb...)
	return append(out, '}'), nil
}
