// gograde-expect: status=pass
// json.Decoder with UseNumber into map[string]any, then checks that nothing but whitespace follows the object.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

func AddRole(data []byte, role string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if m == nil {
		return nil, fmt.Errorf("expected a JSON object, got null")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON object")
	}
	m["role"] = role
	return json.Marshal(m)
}
