// gograde-expect: status=pass fail=TestFollowup_EmployeeFields,TestFollowup_EmployeeRoundTrip
// AddRole is correct, but the follow-up Employee struct has no json tags, so it encodes as "Name", "Age", "Role".
package main

import (
	"encoding/json"
	"errors"
)

type Employee struct {
	Name string
	Age  int
	Role string
}

func AddRole(data []byte, role string) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errors.New("not an object")
	}
	r, err := json.Marshal(role)
	if err != nil {
		return nil, err
	}
	obj["role"] = r
	return json.Marshal(obj)
}
