// gograde-expect: status=pass
// Correct RawMessage solution whose main declares a variable named json.
package main

import (
	"encoding/json"
	"errors"
)

var sample = []byte(`{"name":"John","age":30}`)

func AddRole(data []byte, role string) ([]byte, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	if obj == nil {
		return nil, errors.New("not an object")
	}
	r, _ := json.Marshal(role)
	obj["role"] = r
	return json.Marshal(obj)
}

func main() {
	var json, err = AddRole(sample, "x")
	println(string(json), err)
}
