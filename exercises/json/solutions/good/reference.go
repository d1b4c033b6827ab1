// gograde-expect: status=pass
// Decodes into map[string]json.RawMessage (members kept byte for byte, so large numbers stay exact), rejects null, sets "role" with json.Marshal.
package main

import (
	"encoding/json"
	"errors"
)

// AddRole returns the JSON object in data with "role" set to role.
func AddRole(data []byte, role string) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	if obj == nil { // the input was null
		return nil, errors.New("input is not a JSON object")
	}
	r, err := json.Marshal(role)
	if err != nil {
		return nil, err
	}
	obj["role"] = r
	return json.Marshal(obj)
}
