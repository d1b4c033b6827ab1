// gograde-expect: status=fail fail=TestCore_OverwriteRole,TestCore_OtherMembersKept,TestCore_EmptyObject,TestRobust_NonObjectInput,TestRobust_LargeIntegers,TestRobust_SurroundingWhitespace
// Decodes into a struct with only name, age and role, so every other member is silently dropped (and {} gains name and age).
package main

import "encoding/json"

type Employee struct {
	Name string `json:"name"`
	Age  int    `json:"age"`
	Role string `json:"role"`
}

func AddRole(data []byte, role string) ([]byte, error) {
	var e Employee
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, err
	}
	e.Role = role
	return json.Marshal(e)
}
