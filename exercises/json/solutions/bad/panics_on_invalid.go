// gograde-expect: status=fail fail=TestCore_InvalidJSON,TestRobust_NonObjectInput,TestRobust_TrailingGarbage
// Panics when json.Unmarshal fails instead of returning the error.
package main

import "encoding/json"

func AddRole(data []byte, role string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		panic(err)
	}
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	r, err := json.Marshal(role)
	if err != nil {
		return nil, err
	}
	m["role"] = r
	return json.Marshal(m)
}
