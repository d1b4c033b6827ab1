// gograde-expect: status=pass
// Decodes into any with UseNumber and a type assertion to map[string]any, pasted as a whole program with func main.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
)

var ErrNotObject = errors.New("input is not a JSON object")

func AddRole(data []byte, role string) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("trailing data after JSON value")
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after JSON value")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, ErrNotObject
	}
	obj["role"] = role
	return json.Marshal(obj)
}

func main() {
	out, err := AddRole([]byte(`{"name":"John","age":30}`), "Senior Engineer")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(out))
}
