// gograde-expect: status=fail fail=TestCore_Sample,TestCore_OverwriteRole,TestCore_OtherMembersKept,TestCore_EmptyObject,TestCore_RoleEscaping,TestRobust_SurroundingWhitespace
// Writes the key "Role" instead of "role" (JSON keys are case-sensitive).
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
	r, err := json.Marshal(role)
	if err != nil {
		return nil, err
	}
	obj["Role"] = r
	return json.Marshal(obj)
}
