// gograde-expect: status=fail fail=TestCore_OverwriteRole
// Only adds "role" when it is missing; an existing role is left unchanged.
package main

import (
	"encoding/json"
	"errors"
)

func AddRole(data []byte, role string) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errors.New("not an object")
	}
	if _, exists := obj["role"]; !exists {
		r, err := json.Marshal(role)
		if err != nil {
			return nil, err
		}
		obj["role"] = r
	}
	return json.Marshal(obj)
}
