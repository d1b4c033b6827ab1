// gograde-expect: status=fail fail=TestCore_OtherMembersKept
// Deletes every key equal to "role" ignoring case, so a distinct "Role" member is lost (JSON keys are case-sensitive).
package main

import (
	"encoding/json"
	"errors"
	"strings"
)

// Removes any key that equals "role" ignoring case, so "Role" and "ROLE" members are lost.
func AddRole(data []byte, role string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	for k := range m {
		if strings.EqualFold(k, "role") {
			delete(m, k)
		}
	}
	rb, _ := json.Marshal(role)
	m["role"] = rb
	return json.Marshal(m)
}
