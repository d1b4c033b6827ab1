// gograde-expect: status=fail fail=TestCore_InvalidJSON,TestRobust_NonObjectInput,TestRobust_TrailingGarbage
// Ignores the error from json.Unmarshal, so invalid input yields {"role":...} instead of an error.
package main

import "encoding/json"

func AddRole(data []byte, role string) ([]byte, error) {
	var m map[string]json.RawMessage
	json.Unmarshal(data, &m)
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	r, _ := json.Marshal(role)
	m["role"] = r
	return json.Marshal(m)
}
