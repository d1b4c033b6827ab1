// gograde-expect: status=fail fail=TestCore_RoleEscaping
// Uses map[string]json.RawMessage but builds the role value as fmt.Sprintf(`"%s"`, role), so quotes and backslashes in the role are not escaped.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
)

func AddRole(data []byte, role string) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errors.New("not an object")
	}
	obj["role"] = json.RawMessage(fmt.Sprintf(`"%s"`, role))
	return json.Marshal(obj)
}
