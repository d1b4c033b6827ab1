// gograde-expect: status=pass fail=TestRobust_NonObjectInput
// Unmarshals into a map without checking for nil: the input null leaves the map nil and the assignment panics.
package main

import "encoding/json"

func AddRole(data []byte, role string) ([]byte, error) {
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
