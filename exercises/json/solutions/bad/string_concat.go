// gograde-expect: status=fail fail=TestCore_OverwriteRole,TestCore_EmptyObject,TestCore_RoleEscaping,TestRobust_SurroundingWhitespace
// Validates the input, then builds the output as text by inserting `,"role":"...` before the last '}': no escaping, no overwrite, broken for {}.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
)

func AddRole(data []byte, role string) ([]byte, error) {
	if !json.Valid(data) {
		return nil, errors.New("invalid JSON")
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("not an object")
	}
	i := bytes.LastIndexByte(trimmed, '}')
	out := make([]byte, 0, len(trimmed)+len(role)+10)
	out = append(out, trimmed[:i]...)
	out = append(out, `,"role":"`+role+`"}`...)
	return out, nil
}
