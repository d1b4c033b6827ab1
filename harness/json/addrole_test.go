package solution

import (
	ggbytes "bytes"
	ggjson "encoding/json"
	ggerrors "errors"
	ggfmt "fmt"
	ggio "io"
	ggbig "math/big"
	ggreflect "reflect"
	ggstrconv "strconv"
	ggtesting "testing"
	ggtime "time"
)

// ggLimit is the real-time limit for one AddRole call.
const ggLimit = 2 * ggtime.Second

// ggNumber is a JSON number normalised to its exact value (big.Rat text), so
// that 30, 30.0 and 3e1 compare equal but 12345678901234567890 and
// 12345678901234567000 do not.
type ggNumber string

// ggParse decodes one JSON document exactly: numbers keep their exact value,
// a key that appears twice in one object is an error, and anything after the
// document except whitespace is an error.
func ggParse(data []byte) (any, error) {
	if !ggjson.Valid(data) {
		var v any
		err := ggjson.Unmarshal(data, &v)
		if err == nil {
			err = ggerrors.New("not valid JSON")
		}
		return nil, err
	}
	dec := ggjson.NewDecoder(ggbytes.NewReader(data))
	dec.UseNumber()
	v, err := ggParseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != ggio.EOF {
		return nil, ggerrors.New("extra data after the JSON document")
	}
	return v, nil
}

func ggParseValue(dec *ggjson.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case ggjson.Delim:
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
					return nil, ggfmt.Errorf("object key is not a string: %v", kt)
				}
				if _, dup := m[key]; dup {
					return nil, ggfmt.Errorf("the key %q appears twice in the same object", key)
				}
				val, err := ggParseValue(dec)
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
				val, err := ggParseValue(dec)
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
		return nil, ggfmt.Errorf("unexpected %v", v)
	case ggjson.Number:
		r, ok := new(ggbig.Rat).SetString(string(v))
		if !ok {
			return nil, ggfmt.Errorf("bad number %s", v)
		}
		return ggNumber(r.RatString()), nil
	default:
		return v, nil // string, bool or nil
	}
}

// ggShow formats an input document for a message, compacted when it is
// valid JSON, quoted so that empty input and whitespace stay visible.
func ggShow(s string) string {
	var buf ggbytes.Buffer
	if ggjson.Compact(&buf, []byte(s)) == nil {
		s = buf.String()
	}
	if ggstrconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return ggstrconv.Quote(s)
}

// ggAddRole calls the candidate's AddRole under ggCall. ok is false when it
// panicked or hung (already reported).
func ggAddRole(t *ggtesting.T, input, role string) (out []byte, err error, ok bool) {
	t.Helper()
	ok = ggCall(t, ggLimit, func() {
		out, err = AddRole([]byte(input), role)
	})
	return out, err, ok
}

// ggOutputObject calls AddRole on valid input and returns the decoded output
// object. It reports and returns ok=false when AddRole fails, returns an
// error, or returns something that is not a single JSON object.
func ggOutputObject(t *ggtesting.T, input, role, expected string) (map[string]any, string, bool) {
	t.Helper()
	out, err, ok := ggAddRole(t, input, role)
	if !ok {
		return nil, "", false
	}
	if err != nil {
		ggFail(t, "AddRole(%s, %q) returned an error for valid input: %v", ggShow(input), role, err)
		return nil, "", false
	}
	v, perr := ggParse(out)
	if perr != nil {
		what := "output that is not valid JSON"
		if ggjson.Valid(out) {
			what = "a malformed object"
		}
		ggFailJSON(t, ggfmt.Sprintf("AddRole(%s, %q) returned %s (%v)", ggShow(input), role, what, perr),
			expected, string(out))
		return nil, string(out), false
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		ggFailJSON(t, ggfmt.Sprintf("AddRole(%s, %q) must return a JSON object", ggShow(input), role), expected, string(out))
		return nil, string(out), false
	}
	return m, string(out), true
}

// ggExpectDoc checks AddRole(input, role) against the expected document,
// comparing semantically (key order and number spelling free).
func ggExpectDoc(t *ggtesting.T, input, role, expected string) bool {
	t.Helper()
	want, err := ggParse([]byte(expected))
	if err != nil {
		t.Fatalf("harness bug: expected document %s: %v", expected, err)
	}
	got, out, ok := ggOutputObject(t, input, role, expected)
	if !ok {
		return false
	}
	if !ggreflect.DeepEqual(want, any(got)) {
		ggFailJSON(t, ggfmt.Sprintf("AddRole(%s, %q) returned the wrong object", ggShow(input), role), expected, out)
		return false
	}
	return true
}

// ggExpectError checks that AddRole rejects input with an error.
func ggExpectError(t *ggtesting.T, input, role, why string) bool {
	t.Helper()
	out, err, ok := ggAddRole(t, input, role)
	if !ok {
		return false
	}
	if err == nil {
		ggReport(t, ggFailure{
			Message: ggfmt.Sprintf("AddRole(%s, %q) must return an error (%s), but returned no error", ggShow(input), role, why),
			Kind:    "text", Expected: "an error", Actual: string(out),
		})
		return false
	}
	return true
}

// ggJSONString encodes s as a JSON string literal for expected documents.
func ggJSONString(s string) string {
	b, _ := ggjson.Marshal(s)
	return string(b)
}

func TestCore_Sample(t *ggtesting.T) {
	ggExpectDoc(t, `{"name":"John","age":30}`, "Senior Engineer",
		`{"name":"John","age":30,"role":"Senior Engineer"}`)
}

func TestCore_OverwriteRole(t *ggtesting.T) {
	if !ggExpectDoc(t, `{"name":"Ann","role":"Junior Engineer","age":41}`, "Staff Engineer",
		`{"name":"Ann","role":"Staff Engineer","age":41}`) {
		return
	}
	// Only the top-level "role" is replaced, even when a nested one comes first.
	ggExpectDoc(t, `{"team":{"name":"Core","role":"lead"},"role":"Junior Engineer","name":"Ann"}`, "Staff Engineer",
		`{"team":{"name":"Core","role":"lead"},"role":"Staff Engineer","name":"Ann"}`)
}

func TestCore_OtherMembersKept(t *ggtesting.T) {
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
	ggExpectDoc(t, input, "Engineer", expected)
}

func TestCore_EmptyObject(t *ggtesting.T) {
	if !ggExpectDoc(t, `{}`, "Intern", `{"role":"Intern"}`) {
		return
	}
	ggExpectDoc(t, " {\n}\n", "Intern", `{"role":"Intern"}`)
}

func TestCore_RoleEscaping(t *ggtesting.T) {
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
		if !ggExpectDoc(t, `{"name":"John","age":30}`, role,
			`{"name":"John","age":30,"role":`+ggJSONString(role)+`}`) {
			return
		}
	}
}

func TestCore_InvalidJSON(t *ggtesting.T) {
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
		if !ggExpectError(t, in, "Engineer", "the input is not valid JSON") {
			return
		}
	}
}

func TestRobust_NonObjectInput(t *ggtesting.T) {
	inputs := []string{`null`, `[1]`, `[]`, `"s"`, `42`, `true`}
	for _, in := range inputs {
		if !ggExpectError(t, in, "Engineer", "the input is valid JSON but not an object") {
			return
		}
	}
}

func TestRobust_LargeIntegers(t *ggtesting.T) {
	input := `{"name":"John","id":12345678901234567890,"big":-9007199254740993,"age":30}`
	expected := `{"name":"John","id":12345678901234567890,"big":-9007199254740993,"age":30,"role":"Engineer"}`
	got, out, ok := ggOutputObject(t, input, "Engineer", expected)
	if !ok {
		return
	}
	for _, m := range []struct{ key, value string }{
		{"id", "12345678901234567890"},
		{"big", "-9007199254740993"},
	} {
		v, present := got[m.key]
		if !present {
			ggFailJSON(t, ggfmt.Sprintf("the member %q (%s) is missing from the output", m.key, m.value), expected, out)
			return
		}
		if want, _ := ggParse([]byte(m.value)); !ggreflect.DeepEqual(v, want) {
			ggFailJSON(t, ggfmt.Sprintf("the integer member %q (%s) was not kept exactly: precision lost, e.g. through float64?", m.key, m.value),
				expected, out)
			return
		}
	}
}

func TestRobust_TrailingGarbage(t *ggtesting.T) {
	inputs := []string{
		`{"name":"John"} x`,
		`{"name":"John"}{"age":30}`,
		`{"name":"John"}}`,
		`{"name":"John"} null`,
	}
	for _, in := range inputs {
		if !ggExpectError(t, in, "Engineer", "there is extra data after the JSON object") {
			return
		}
	}
	// Trailing whitespace is not garbage.
	in := "{\"name\":\"John\"}\n\t \n"
	if _, err, ok := ggAddRole(t, in, "Engineer"); ok && err != nil {
		ggFail(t, "AddRole(%s, \"Engineer\") returned an error for valid input (trailing whitespace is allowed in JSON): %v",
			ggstrconv.Quote(in), err)
	}
}

func TestRobust_InputUntouched(t *ggtesting.T) {
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
		before := ggbytes.Clone(full)
		if !ggCall(t, ggLimit, func() {
			_, _ = AddRole(data, "Staff Engineer")
		}) {
			return
		}
		if !ggbytes.Equal(full, before) {
			what := "the input bytes"
			if ggbytes.Equal(full[:len(input)], before[:len(input)]) {
				what = "the spare capacity after the input (append into the caller's slice?)"
			}
			ggFailString(t, ggfmt.Sprintf("AddRole(%s, \"Staff Engineer\") changed the caller's slice: %s", ggShow(input), what),
				string(before), string(full))
			return
		}
	}
}
