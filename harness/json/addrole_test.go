package solution_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"reflect"
	"strconv"
	"testing"
	"time"

	"gograde.local/solution/kit"
)

// callLimit is the real-time limit for one AddRole call.
const callLimit = 2 * time.Second

// exactNumber is a JSON number normalised to its exact value (big.Rat text), so
// that 30, 30.0 and 3e1 compare equal but 12345678901234567890 and
// 12345678901234567000 do not.
type exactNumber string

// parse decodes one JSON document exactly: numbers keep their exact value,
// a key that appears twice in one object is an error, and anything after the
// document except whitespace is an error.
func parse(data []byte) (any, error) {
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v)
		if err == nil {
			err = errors.New("not valid JSON")
		}
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("extra data after the JSON document")
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			m := map[string]any{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is not a string: %v", kt)
				}
				if _, dup := m[key]; dup {
					return nil, fmt.Errorf("the key %q appears twice in the same object", key)
				}
				val, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				m[key] = val
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return m, nil
		case '[':
			a := []any{}
			for dec.More() {
				val, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, val)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, fmt.Errorf("unexpected %v", v)
	case json.Number:
		r, ok := new(big.Rat).SetString(string(v))
		if !ok {
			return nil, fmt.Errorf("bad number %s", v)
		}
		return exactNumber(r.RatString()), nil
	default:
		return v, nil // string, bool or nil
	}
}

// show formats an input document for a message, compacted when it is
// valid JSON, quoted so that empty input and whitespace stay visible.
func show(s string) string {
	var buf bytes.Buffer
	if json.Compact(&buf, []byte(s)) == nil {
		s = buf.String()
	}
	if strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// addRole calls the candidate's AddRole under kit.Call. ok is false when it
// panicked or hung (already reported).
func addRole(t *testing.T, input, role string) (out []byte, err error, ok bool) {
	t.Helper()
	ok = kit.Call(t, callLimit, func() {
		out, err = AddRole([]byte(input), role)
	})
	return out, err, ok
}

// outputObject calls AddRole on valid input and returns the decoded output
// object. It reports and returns ok=false when AddRole fails, returns an
// error, or returns something that is not a single JSON object.
func outputObject(t *testing.T, input, role, expected string) (map[string]any, string, bool) {
	t.Helper()
	out, err, ok := addRole(t, input, role)
	if !ok {
		return nil, "", false
	}
	if err != nil {
		kit.Fail(t, "AddRole(%s, %q) returned an error for valid input: %v", show(input), role, err)
		return nil, "", false
	}
	v, perr := parse(out)
	if perr != nil {
		what := "output that is not valid JSON"
		if json.Valid(out) {
			what = "a malformed object"
		}
		kit.FailJSON(t, fmt.Sprintf("AddRole(%s, %q) returned %s (%v)", show(input), role, what, perr),
			expected, string(out))
		return nil, string(out), false
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		kit.FailJSON(t, fmt.Sprintf("AddRole(%s, %q) must return a JSON object", show(input), role), expected, string(out))
		return nil, string(out), false
	}
	return m, string(out), true
}

// expectDoc checks AddRole(input, role) against the expected document,
// comparing semantically (key order and number spelling free).
func expectDoc(t *testing.T, input, role, expected string) bool {
	t.Helper()
	want, err := parse([]byte(expected))
	if err != nil {
		t.Fatalf("harness bug: expected document %s: %v", expected, err)
	}
	got, out, ok := outputObject(t, input, role, expected)
	if !ok {
		return false
	}
	if !reflect.DeepEqual(want, any(got)) {
		kit.FailJSON(t, fmt.Sprintf("AddRole(%s, %q) returned the wrong object", show(input), role), expected, out)
		return false
	}
	return true
}

// expectError checks that AddRole rejects input with an error.
func expectError(t *testing.T, input, role, why string) bool {
	t.Helper()
	out, err, ok := addRole(t, input, role)
	if !ok {
		return false
	}
	if err == nil {
		kit.Report(t, kit.Failure{
			Message: fmt.Sprintf("AddRole(%s, %q) must return an error (%s), but returned no error", show(input), role, why),
			Kind:    "text", Expected: "an error", Actual: string(out),
		})
		return false
	}
	return true
}

// jsonString encodes s as a JSON string literal for expected documents.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestCore_Sample(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		expectDoc(t, `{"name":"John","age":30}`, "Senior Engineer",
			`{"name":"John","age":30,"role":"Senior Engineer"}`)
	})
}

func TestCore_OverwriteRole(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		if !expectDoc(t, `{"name":"Ann","role":"Junior Engineer","age":41}`, "Staff Engineer",
			`{"name":"Ann","role":"Staff Engineer","age":41}`) {
			return
		}
		// Only the top-level "role" is replaced, even when a nested one comes first.
		expectDoc(t, `{"team":{"name":"Core","role":"lead"},"role":"Junior Engineer","name":"Ann"}`, "Staff Engineer",
			`{"team":{"name":"Core","role":"lead"},"role":"Staff Engineer","name":"Ann"}`)
	})
}

func TestCore_OtherMembersKept(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		input := `{
	  "name": "Zoë \"Z\" Ö'Brien",
	  "age": 29,
	  "height": 1.75,
	  "delta": -3,
	  "active": true,
	  "remote": false,
	  "manager": null,
	  "tags": ["go", "sql", 7, null, {"k": [1, 2, {}]}],
	  "empty_list": [],
	  "empty_obj": {},
	  "address": {"city": "Zürich", "geo": {"lat": 47.37, "lon": 8.54}, "zip": "8001"},
	  "notes": "line1\nline2 \u00e9 \\ / 😀",
	  "名前": "ジョン",
	  "team": {"name": "Core", "role": "lead", "members": [{"name": "Bo", "role": "dev"}]},
	  "Role": "Captain",
	  "pi": 3.14159265358979,
	  "tiny": 1e-7,
	  "huge_neg": -0.5e10
	}`
		expected := `{"name":"Zoë \"Z\" Ö'Brien","age":29,"height":1.75,"delta":-3,"active":true,"remote":false,` +
			`"manager":null,"tags":["go","sql",7,null,{"k":[1,2,{}]}],"empty_list":[],"empty_obj":{},` +
			`"address":{"city":"Zürich","geo":{"lat":47.37,"lon":8.54},"zip":"8001"},` +
			`"notes":"line1\nline2 é \\ / 😀","名前":"ジョン",` +
			`"team":{"name":"Core","role":"lead","members":[{"name":"Bo","role":"dev"}]},"Role":"Captain",` +
			`"pi":3.14159265358979,"tiny":1e-7,"huge_neg":-0.5e10,"role":"Engineer"}`
		expectDoc(t, input, "Engineer", expected)
	})
}

func TestCore_EmptyObject(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		if !expectDoc(t, `{}`, "Intern", `{"role":"Intern"}`) {
			return
		}
		expectDoc(t, " {\n}\n", "Intern", `{"role":"Intern"}`)
	})
}

func TestCore_RoleEscaping(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		roles := []string{
			`Senior "Go" Engineer`,
			`C:\Users\admin`,
			`R&D <lead> & "ops"`,
			"Ingénieur logiciel 👩‍💻 開発者",
			"two\nlines\tand a tab",
			"bell\a soh\x01 us\x1f del\x7f",
			"\ttab first, newline last\n",
			"",
			`"}, "admin": true, "x": {"`,
		}
		for _, role := range roles {
			if !expectDoc(t, `{"name":"John","age":30}`, role,
				`{"name":"John","age":30,"role":`+jsonString(role)+`}`) {
				return
			}
		}
	})
}

func TestCore_InvalidJSON(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		inputs := []string{
			``,
			`{`,
			`{"name":"John",`,
			`{"name":}`,
			`{name:"John"}`,
			`{'name':'John'}`,
			`{"name":"John" "age":30}`,
			`not json`,
		}
		for _, in := range inputs {
			if !expectError(t, in, "Engineer", "the input is not valid JSON") {
				return
			}
		}
	})
}

func TestRobust_NonObjectInput(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		inputs := []string{`null`, `[1]`, `[]`, `"s"`, `42`, `true`}
		for _, in := range inputs {
			if !expectError(t, in, "Engineer", "the input is valid JSON but not an object") {
				return
			}
		}
	})
}

func TestRobust_LargeIntegers(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		input := `{"name":"John","id":12345678901234567890,"big":-9007199254740993,"age":30}`
		expected := `{"name":"John","id":12345678901234567890,"big":-9007199254740993,"age":30,"role":"Engineer"}`
		got, out, ok := outputObject(t, input, "Engineer", expected)
		if !ok {
			return
		}
		for _, m := range []struct{ key, value string }{
			{"id", "12345678901234567890"},
			{"big", "-9007199254740993"},
		} {
			v, present := got[m.key]
			if !present {
				kit.FailJSON(t, fmt.Sprintf("the member %q (%s) is missing from the output", m.key, m.value), expected, out)
				return
			}
			if want, _ := parse([]byte(m.value)); !reflect.DeepEqual(v, want) {
				kit.FailJSON(t, fmt.Sprintf("the integer member %q (%s) was not kept exactly: precision lost, e.g. through float64?", m.key, m.value),
					expected, out)
				return
			}
		}
	})
}

func TestRobust_TrailingGarbage(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		inputs := []string{
			`{"name":"John"} x`,
			`{"name":"John"}{"age":30}`,
			`{"name":"John"}}`,
			`{"name":"John"} null`,
		}
		for _, in := range inputs {
			if !expectError(t, in, "Engineer", "there is extra data after the JSON object") {
				return
			}
		}
		// Trailing whitespace is not garbage.
		in := "{\"name\":\"John\"}\n\t \n"
		if _, err, ok := addRole(t, in, "Engineer"); ok && err != nil {
			kit.Fail(t, "AddRole(%s, \"Engineer\") returned an error for valid input (trailing whitespace is allowed in JSON): %v",
				strconv.Quote(in), err)
		}
	})
}

func TestRobust_InputUntouched(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		for _, input := range []string{
			`{"name":"John","age":30}`,
			`{"name":"Ann","role":"Junior Engineer"}`,
		} {
			// The caller's slice has spare capacity, filled with a marker: AddRole
			// must neither change the input nor append into the caller's array.
			data := make([]byte, len(input), len(input)+64)
			copy(data, input)
			full := data[:cap(data)]
			for i := len(input); i < len(full); i++ {
				full[i] = '#'
			}
			before := bytes.Clone(full)
			if !kit.Call(t, callLimit, func() {
				_, _ = AddRole(data, "Staff Engineer")
			}) {
				return
			}
			if !bytes.Equal(full, before) {
				what := "the input bytes"
				if bytes.Equal(full[:len(input)], before[:len(input)]) {
					what = "the spare capacity after the input (append into the caller's slice?)"
				}
				kit.FailString(t, fmt.Sprintf("AddRole(%s, \"Staff Engineer\") changed the caller's slice: %s", show(input), what),
					string(before), string(full))
				return
			}
		}
	})
}
