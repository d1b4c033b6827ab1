// gograde-expect: status=pass
// Rewrites the object member by member with the Decoder token stream and json.RawMessage, skipping any old "role" and appending the new one.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

func AddRole(data []byte, role string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	write := func(key string, val []byte) {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(val)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("bad key")
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		if key == "role" {
			continue
		}
		write(key, val)
	}
	if _, err := dec.Token(); err != nil { // closing '}'
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("extra data after the object")
	}
	r, err := json.Marshal(role)
	if err != nil {
		return nil, err
	}
	write("role", r)
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
