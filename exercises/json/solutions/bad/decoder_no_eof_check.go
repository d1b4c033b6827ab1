// gograde-expect: status=pass fail=TestRobust_TrailingGarbage
// Uses json.Decoder with UseNumber but decodes only the first value and never checks what follows it.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
)

func AddRole(data []byte, role string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("input is not a JSON object")
	}
	m["role"] = role
	return json.Marshal(m)
}
