// gograde-expect: status=pass pass=TestFollowup_EmployeeFields,TestFollowup_EmployeeRoundTrip
// Declares the Employee struct for the follow-up; AddRole uses map[string]json.RawMessage and checks the first byte is '{'.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
)

type Employee struct {
	Name string `json:"name"`
	Age  int    `json:"age"`
	Role string `json:"role"`
}

func AddRole(data []byte, role string) ([]byte, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, fmt.Errorf("AddRole: input must be a JSON object")
	}
	fields := make(map[string]json.RawMessage)
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		return nil, fmt.Errorf("AddRole: %w", err)
	}
	encodedRole, err := json.Marshal(role)
	if err != nil {
		return nil, err
	}
	fields["role"] = encodedRole
	return json.Marshal(fields)
}

func main() {
	out, err := AddRole([]byte(`{"name":"John","age":30}`), "Senior Engineer")
	fmt.Println(string(out), err)
	var e Employee
	if err := json.Unmarshal(out, &e); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", e)
}
