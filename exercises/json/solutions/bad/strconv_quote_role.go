// gograde-expect: status=fail fail=TestCore_RoleEscaping
// Quotes the role with strconv.Quote, whose \a, \x01 and \x7f escapes are not valid JSON, so control characters in the role break the output.
package main

import (
	"encoding/json"
	"errors"
	"strconv"
)

// strconv.Quote is "close enough" to JSON string escaping (it is not: \x01, \a, \x7f, invalid UTF-8)
func AddRole(data []byte, role string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	m["role"] = json.RawMessage(strconv.Quote(role))
	return json.Marshal(m)
}
