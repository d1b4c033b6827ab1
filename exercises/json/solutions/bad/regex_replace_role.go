// gograde-expect: status=fail fail=TestCore_OverwriteRole,TestCore_OtherMembersKept,TestRobust_SurroundingWhitespace
// Text surgery with a regexp replaces the first "role" anywhere, so a nested role is changed and the top-level one is left or never added.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
)

var roleRe = regexp.MustCompile(`"role"\s*:\s*"(?:[^"\\]|\\.)*"`)

// Text surgery: replace the first "role": "..." anywhere, else insert before the last '}'.
func AddRole(data []byte, role string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	rb, _ := json.Marshal(role)
	member := append([]byte(`"role":`), rb...)
	if loc := roleRe.FindIndex(data); loc != nil {
		out := append([]byte{}, data[:loc[0]]...)
		out = append(out, member...)
		return append(out, data[loc[1]:]...), nil
	}
	t := bytes.TrimSpace(data)
	i := bytes.LastIndexByte(t, '}')
	out := append([]byte{}, t[:i]...)
	if len(m) > 0 {
		out = append(out, ',')
	}
	out = append(out, member...)
	return append(out, '}'), nil
}
