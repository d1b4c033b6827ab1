package solution_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gograde.local/solution/kit"
)

// employeeField checks one field of Employee: its name, its kind and its
// json tag. It reports and returns false on the first problem.
func employeeField(t *testing.T, typ reflect.Type, name, tag, kindDesc string, kindOK func(reflect.Kind) bool) bool {
	t.Helper()
	f, ok := typ.FieldByName(name)
	if !ok {
		kit.Fail(t, "Employee has no exported field %s (lower-case fields are ignored by encoding/json)", name)
		return false
	}
	if !kindOK(f.Type.Kind()) {
		kit.FailValues(t, fmt.Sprintf("Employee.%s should be %s", name, kindDesc), kindDesc, f.Type.String())
		return false
	}
	got, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if got != tag {
		kit.FailString(t, fmt.Sprintf("Employee.%s should have the tag `json:\"%s\"`", name, tag),
			fmt.Sprintf(`json:"%s"`, tag), string(f.Tag))
		return false
	}
	return true
}

func TestFollowup_EmployeeFields(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		typ := reflect.TypeOf((*Employee)(nil)).Elem()
		if typ.Kind() != reflect.Struct {
			kit.FailValues(t, "Employee should be a struct type", "struct", typ.Kind().String())
			return
		}
		isString := func(k reflect.Kind) bool { return k == reflect.String }
		isInt := func(k reflect.Kind) bool {
			switch k {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				return true
			}
			return false
		}
		_ = employeeField(t, typ, "Name", "name", "a string", isString) &&
			employeeField(t, typ, "Age", "age", "an integer type", isInt) &&
			employeeField(t, typ, "Role", "role", "a string", isString)
	})
}

func TestFollowup_EmployeeRoundTrip(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		if !employeeRoundTrip(t, `{"name":"John","age":30,"role":"Senior Engineer"}`, false) {
			return
		}
		// Drawn employees: names and roles with quotes, backslashes, < > &
		// and characters beyond ASCII.
		d := drawer{kit.Rand(t)}
		for range drawnCount {
			doc := fmt.Sprintf(`{"name":%s,"age":%d,"role":%s}`, d.quote(d.role()), d.rng.IntN(100), d.quote(d.role()))
			if !employeeRoundTrip(t, doc, true) {
				return
			}
		}
	})
}

// employeeRoundTrip decodes doc into an Employee, encodes it again and
// checks that the same object comes back.
func employeeRoundTrip(t *testing.T, doc string, drawn bool) bool {
	t.Helper()
	var out []byte
	var uerr, merr error
	if !kit.Call(t, callLimit, func() {
		var e Employee
		if uerr = json.Unmarshal([]byte(doc), &e); uerr != nil {
			return
		}
		out, merr = json.Marshal(e)
	}) {
		return false
	}
	what, tail := doc, ""
	if drawn {
		what, tail = "an employee drawn for this run", "\ndocument: "+show(doc)
	}
	if uerr != nil {
		kit.Fail(t, "json.Unmarshal of %s into an Employee failed: %v%s", what, uerr, tail)
		return false
	}
	if merr != nil {
		kit.Fail(t, "json.Marshal of the decoded Employee failed: %v%s", merr, tail)
		return false
	}
	want, _ := parse([]byte(doc))
	got, err := parse(out)
	if err != nil || !reflect.DeepEqual(want, got) {
		msg := "decoding the sample into an Employee and encoding it again should give the same object"
		if drawn {
			msg = "decoding an employee drawn for this run into an Employee and encoding it again should give the same object" + tail
		}
		kit.FailJSON(t, msg, doc, string(out))
		return false
	}
	return true
}
