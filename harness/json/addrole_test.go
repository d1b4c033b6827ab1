package solution_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

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

// show formats an input document for a message exactly as it was sent:
// between backquotes when that shows every byte plainly, Go-quoted
// otherwise (empty input, newlines, tabs, leading or trailing spaces,
// control characters).
func show(s string) string {
	if s != "" && strconv.CanBackquote(s) && !strings.ContainsAny(s, "\t") &&
		strings.TrimSpace(s) == s {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// call is one AddRole call of a test. drawn marks one whose input or role
// was drawn for this run: its messages keep a fixed first line (the same
// from run to run) and show the exact input and role on the lines after.
type call struct {
	input, role string
	drawn       bool
}

// head names the call in the first line of a message.
func (c call) head() string {
	if c.drawn {
		return "AddRole on an input drawn for this run"
	}
	return fmt.Sprintf("AddRole(%s, %q)", show(c.input), c.role)
}

// tail shows a drawn call's exact input and role, on lines of their own.
func (c call) tail() string {
	if !c.drawn {
		return ""
	}
	return fmt.Sprintf("\ninput: %s\nrole: %s", show(c.input), strconv.Quote(c.role))
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

// callAddRole is addRole for a call; when it panics or hangs, a drawn
// call's input is shown too.
func callAddRole(t *testing.T, c call) (out []byte, err error, ok bool) {
	t.Helper()
	out, err, ok = addRole(t, c.input, c.role)
	if !ok && c.drawn {
		kit.Fail(t, "the call that failed above was %s%s", c.head(), c.tail())
	}
	return out, err, ok
}

// outputObject calls AddRole on valid input and returns the decoded output
// object. It reports and returns ok=false when AddRole fails, returns an
// error, or returns something that is not a single JSON object.
func outputObject(t *testing.T, c call, expected string) (map[string]any, string, bool) {
	t.Helper()
	out, err, ok := callAddRole(t, c)
	if !ok {
		return nil, "", false
	}
	if err != nil {
		kit.Fail(t, "%s returned an error for valid input: %v%s", c.head(), err, c.tail())
		return nil, "", false
	}
	v, perr := parse(out)
	if perr != nil {
		what := "output that is not valid JSON"
		if json.Valid(out) {
			what = "a malformed object"
		}
		kit.FailJSON(t, fmt.Sprintf("%s returned %s (%v)%s", c.head(), what, perr, c.tail()),
			expected, string(out))
		return nil, string(out), false
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		kit.FailJSON(t, fmt.Sprintf("%s must return a JSON object%s", c.head(), c.tail()), expected, string(out))
		return nil, string(out), false
	}
	return m, string(out), true
}

// expectDoc checks AddRole(input, role) against the expected document,
// comparing semantically (key order and number spelling free).
func expectDoc(t *testing.T, c call, expected string) bool {
	t.Helper()
	want, err := parse([]byte(expected))
	if err != nil {
		t.Fatalf("harness bug: expected document %s: %v", expected, err)
	}
	got, out, ok := outputObject(t, c, expected)
	if !ok {
		return false
	}
	if !reflect.DeepEqual(want, any(got)) {
		kit.FailJSON(t, fmt.Sprintf("%s returned the wrong object%s", c.head(), c.tail()), expected, out)
		return false
	}
	return true
}

// expectError checks that AddRole rejects input with an error.
func expectError(t *testing.T, c call, why string) bool {
	t.Helper()
	out, err, ok := callAddRole(t, c)
	if !ok {
		return false
	}
	if err == nil {
		kit.Report(t, kit.Failure{
			Message: fmt.Sprintf("%s must return an error (%s), but returned no error%s", c.head(), why, c.tail()),
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

// Per-run inputs. Beside the fixed cases, the core tests send objects and
// roles drawn from kit.Rand(t), so a table of the public inputs and their
// answers does not pass. The expected document is built from the same
// members, and outputs are compared semantically as everywhere else.

// drawnCount is how many objects or roles a test draws per run.
const drawnCount = 12

// drawer draws JSON text.
type drawer struct{ rng *rand.Rand }

// pick returns one of the options.
func (d drawer) pick(options ...string) string { return options[d.rng.IntN(len(options))] }

// keyRunes and textRunes are the alphabets of drawn keys and strings: ASCII,
// Latin, CJK, emoji, and the characters JSON must escape or HTML-escaping
// encoders rewrite.
var (
	keyRunes  = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-. éüßñ名前開発者데이터😀🚀\"<>&'/")
	textRunes = []rune("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,:;!?-_()[]{}'/\"\\<>&@#%+=*éüÖçñßøŁ名前ジョン開発者한국어😀🚀👩‍💻\n\t\r\u2028\x01\x1f\x7f")
)

// text draws minLen..maxLen runes of alphabet.
func (d drawer) text(alphabet []rune, minLen, maxLen int) string {
	n := minLen + d.rng.IntN(maxLen-minLen+1)
	r := make([]rune, n)
	for i := range r {
		r[i] = alphabet[d.rng.IntN(len(alphabet))]
	}
	return string(r)
}

// quote encodes s as a JSON string, escaping some characters that need no
// escape as \uXXXX (surrogate pairs beyond the BMP), as hand-written JSON
// may.
func (d drawer) quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '/' && d.rng.IntN(2) == 0:
			b.WriteString(`\/`)
		case r > 0x7f && d.rng.IntN(4) == 0:
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(&b, `\u%04X`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// space is the whitespace drawn between tokens.
func (d drawer) space() string { return d.pick("", "", "", " ", "\n  ", "\t") }

// number draws a number that float64 holds exactly in decimal (at most 15
// significant digits): large integers are judged by
// TestRobust_LargeIntegers, not here.
func (d drawer) number() string {
	switch d.rng.IntN(5) {
	case 0:
		return strconv.Itoa(d.rng.IntN(2001) - 1000)
	case 1:
		return strconv.FormatInt(d.rng.Int64N(1e15)-5e14, 10)
	case 2:
		return fmt.Sprintf("%d.%0*d", d.rng.IntN(20001)-10000, 1+d.rng.IntN(3), d.rng.IntN(100))
	case 3:
		return fmt.Sprintf("%d%s%d", 1+d.rng.IntN(9), d.pick("e", "E", "e-", "E+", "e+"), d.rng.IntN(12))
	default:
		return fmt.Sprintf("-%d.%de%d", d.rng.IntN(10), 1+d.rng.IntN(99), d.rng.IntN(8))
	}
}

// key draws an object key: never a case variant of "role", whose fate
// the tests decide on their own.
func (d drawer) key(used map[string]bool) string {
	for {
		k := d.text(keyRunes, 1, 10)
		if !strings.EqualFold(k, "role") && !used[k] {
			used[k] = true
			return k
		}
	}
}

// value draws a JSON value of the given kind ("" for any), nesting at
// most depth levels.
func (d drawer) value(kind string, depth int) string {
	if kind == "" {
		kinds := []string{"string", "number", "true", "false", "null"}
		if depth > 0 {
			kinds = append(kinds, "object", "array")
		}
		kind = kinds[d.rng.IntN(len(kinds))]
	}
	switch kind {
	case "string":
		return d.quote(d.text(textRunes, 0, 16))
	case "number":
		return d.number()
	case "decimal":
		// Three decimals, the last not zero: a number that survives only
		// when kept exactly (not rounded, say, to cents).
		return fmt.Sprintf("%d.%02d%d", d.rng.IntN(20001)-10000, d.rng.IntN(100), 1+d.rng.IntN(9))
	case "object", "object with role":
		used := map[string]bool{}
		var members []string
		if kind == "object with role" {
			// A string, as roles usually are: text surgery that looks for
			// "role": "..." anywhere finds this one.
			used["role"] = true
			members = append(members, `"role":`+d.space()+d.value("string", 0))
		}
		for range d.rng.IntN(4) {
			k := d.key(used)
			if !used["role"] && d.rng.IntN(6) == 0 {
				k, used["role"] = "role", true // a nested role stays as it is
			}
			members = append(members, d.quote(k)+d.space()+":"+d.space()+d.value("", depth-1))
		}
		d.rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		return d.join(members)
	case "array":
		var items []string
		for range d.rng.IntN(5) {
			items = append(items, d.value("", depth-1))
		}
		if len(items) == 0 {
			return "[" + d.space() + "]"
		}
		return "[" + d.space() + strings.Join(items, ","+d.space()) + d.space() + "]"
	}
	return kind // true, false, null
}

// join writes members as an object, with whitespace drawn inside only.
func (d drawer) join(members []string) string {
	if len(members) == 0 {
		return "{" + d.space() + "}"
	}
	var b strings.Builder
	b.WriteString("{")
	for i, m := range members {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(d.space() + m + d.space())
	}
	b.WriteString("}")
	return b.String()
}

// members draws the members of a top-level object: at least one string,
// number (with three decimals), boolean, null, nested object and array
// each, then up to four more, in a drawn order. Keys are unique and never "role"; one nested
// object always holds a "role" of its own, which must stay as it is.
func (d drawer) members() []string {
	used := map[string]bool{}
	kinds := []string{"string", "decimal", d.pick("true", "false"), "null", "object with role", "array"}
	for range d.rng.IntN(5) {
		kinds = append(kinds, "")
	}
	members := make([]string, len(kinds))
	for i, kind := range kinds {
		members[i] = d.quote(d.key(used)) + d.space() + ":" + d.space() + d.value(kind, 3)
	}
	d.rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	return members
}

// role draws a role holding at least one quote, one backslash, one of
// < > &, and one character beyond ASCII.
func (d drawer) role() string {
	r := []rune(d.text(textRunes, 0, 20))
	for _, must := range []string{`"`, `\`, "<>&", "éü名開😀👩"} {
		m := []rune(must)
		at := d.rng.IntN(len(r) + 1)
		r = append(r[:at], append([]rune{m[d.rng.IntN(len(m))]}, r[at:]...)...)
	}
	return string(r)
}

// withRole returns the expected output for an object of members: the same
// members and "role" set to role.
func withRole(members []string, role string) string {
	return "{" + strings.Join(append(slices.Clone(members), `"role":`+jsonString(role)), ",") + "}"
}

func TestCore_Sample(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		expectDoc(t, call{input: `{"name":"John","age":30}`, role: "Senior Engineer"},
			`{"name":"John","age":30,"role":"Senior Engineer"}`)
	})
}

func TestCore_OverwriteRole(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		if !expectDoc(t, call{input: `{"name":"Ann","role":"Junior Engineer","age":41}`, role: "Staff Engineer"},
			`{"name":"Ann","role":"Staff Engineer","age":41}`) {
			return
		}
		// Only the top-level "role" is replaced, even when a nested one comes first.
		if !expectDoc(t, call{input: `{"team":{"name":"Core","role":"lead"},"role":"Junior Engineer","name":"Ann"}`, role: "Staff Engineer"},
			`{"team":{"name":"Core","role":"lead"},"role":"Staff Engineer","name":"Ann"}`) {
			return
		}
		// Drawn objects whose "role" (of any type) sits at a drawn place.
		d := drawer{kit.Rand(t)}
		for range drawnCount {
			members := d.members()
			old := `"role"` + d.space() + ":" + d.space() + d.value("", 2)
			at := d.rng.IntN(len(members) + 1)
			input := d.join(slices.Insert(slices.Clone(members), at, old))
			if !expectDoc(t, call{input: input, role: "Staff Engineer", drawn: true}, withRole(members, "Staff Engineer")) {
				return
			}
		}
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
		if !expectDoc(t, call{input: input, role: "Engineer"}, expected) {
			return
		}
		d := drawer{kit.Rand(t)}
		for range drawnCount {
			members := d.members()
			if !expectDoc(t, call{input: d.join(members), role: "Engineer", drawn: true}, withRole(members, "Engineer")) {
				return
			}
		}
	})
}

func TestCore_EmptyObject(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// Whitespace around the object is judged by
		// TestRobust_SurroundingWhitespace.
		expectDoc(t, call{input: `{}`, role: "Intern"}, `{"role":"Intern"}`)
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
			if !expectDoc(t, call{input: `{"name":"John","age":30}`, role: role},
				`{"name":"John","age":30,"role":`+jsonString(role)+`}`) {
				return
			}
		}
		d := drawer{kit.Rand(t)}
		for range drawnCount {
			role := d.role()
			if !expectDoc(t, call{input: `{"name":"John","age":30}`, role: role, drawn: true},
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
			if !expectError(t, call{input: in, role: "Engineer"}, "the input is not valid JSON") {
				return
			}
		}
		// Drawn objects cut short: no proper prefix of an object is JSON.
		d := drawer{kit.Rand(t)}
		for range drawnCount {
			whole := d.join(d.members())
			in := whole[:d.rng.IntN(len(whole))]
			if !expectError(t, call{input: in, role: "Engineer", drawn: true}, "the input is an object cut short, not valid JSON") {
				return
			}
		}
	})
}

func TestRobust_NonObjectInput(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		inputs := []string{`null`, `[1]`, `[]`, `"s"`, `42`, `true`}
		for _, in := range inputs {
			if !expectError(t, call{input: in, role: "Engineer"}, "the input is valid JSON but not an object") {
				return
			}
		}
	})
}

func TestRobust_LargeIntegers(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		input := `{"name":"John","id":12345678901234567890,"big":-9007199254740993,"age":30}`
		expected := `{"name":"John","id":12345678901234567890,"big":-9007199254740993,"age":30,"role":"Engineer"}`
		if !checkIntegers(t, call{input: input, role: "Engineer"}, expected, []intMember{
			{"id", "12345678901234567890"},
			{"big", "-9007199254740993"},
		}) {
			return
		}
		// Drawn: odd integers of 17 to 20 digits (beyond 2^54, so float64
		// cannot hold them), among drawn members.
		d := drawer{kit.Rand(t)}
		for range drawnCount {
			members := d.members()
			var ints []intMember
			for i := range 1 + d.rng.IntN(3) {
				digits := []byte{byte('1' + d.rng.IntN(9))}
				for range 15 + d.rng.IntN(3) {
					digits = append(digits, byte('0'+d.rng.IntN(10)))
				}
				digits = append(digits, byte('1'+2*d.rng.IntN(5)))
				value := d.pick("", "-") + string(digits)
				key := fmt.Sprintf("big_%d", i)
				ints = append(ints, intMember{key, value})
				members = slices.Insert(members, d.rng.IntN(len(members)+1), d.quote(key)+":"+value)
			}
			if !checkIntegers(t, call{input: d.join(members), role: "Engineer", drawn: true}, withRole(members, "Engineer"), ints) {
				return
			}
		}
	})
}

// intMember is an integer member of an input, and its exact value.
type intMember struct{ key, value string }

// checkIntegers checks that AddRole keeps each integer member of c's input
// exactly.
func checkIntegers(t *testing.T, c call, expected string, ints []intMember) bool {
	t.Helper()
	got, out, ok := outputObject(t, c, expected)
	if !ok {
		return false
	}
	for _, m := range ints {
		v, present := got[m.key]
		if !present {
			kit.FailJSON(t, fmt.Sprintf("the member %q (%s) is missing from the output%s", m.key, m.value, c.tail()), expected, out)
			return false
		}
		if want, _ := parse([]byte(m.value)); !reflect.DeepEqual(v, want) {
			kit.FailJSON(t, fmt.Sprintf("the integer member %q (%s) was not kept exactly: precision lost, e.g. through float64?%s", m.key, m.value, c.tail()),
				expected, out)
			return false
		}
	}
	return true
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
			if !expectError(t, call{input: in, role: "Engineer"}, "there is extra data after the JSON object") {
				return
			}
		}
		// Trailing whitespace is not garbage: TestRobust_SurroundingWhitespace
		// judges it.
	})
}

// JSON allows whitespace before and after the top-level value; a solution
// that rejects it is not wrong in the exercise as asked, only fragile.
func TestRobust_SurroundingWhitespace(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		for _, c := range []struct{ input, expected string }{
			{" {\n}\n", `{"role":"Intern"}`},
			{"{\"name\":\"John\"}\n\t \n", `{"name":"John","role":"Intern"}`},
			{"\r\n\t{ \"a\" : [ 1 , 2 ] }  ", `{"a":[1,2],"role":"Intern"}`},
		} {
			if !expectDoc(t, call{input: c.input, role: "Intern"}, c.expected) {
				return
			}
		}
		d := drawer{kit.Rand(t)}
		for range drawnCount {
			members := d.members()
			input := d.pick(" ", "\n", "\t", "\r\n") + d.join(members) + d.pick(" ", "\n", "\t\n", "\r\n ")
			if !expectDoc(t, call{input: input, role: "Intern", drawn: true}, withRole(members, "Intern")) {
				return
			}
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
