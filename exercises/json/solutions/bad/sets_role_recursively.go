// gograde-expect: status=fail fail=TestCore_OverwriteRole,TestCore_OtherMembersKept,TestRobust_TrailingGarbage,TestRobust_SurroundingWhitespace
// Walks the whole document and overwrites every "role" key, nested ones included (and decodes only the first value, so trailing data passes).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Walks the whole document and overwrites every "role" key it finds, nested ones included.
func setRole(v any, role string) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if k == "role" {
				x[k] = role
			} else {
				setRole(c, role)
			}
		}
	case []any:
		for _, c := range x {
			setRole(c, role)
		}
	}
}

func AddRole(data []byte, role string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	setRole(m, role)
	m["role"] = role
	return json.Marshal(m)
}
