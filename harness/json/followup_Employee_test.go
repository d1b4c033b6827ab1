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
		const doc = `{"name":"John","age":30,"role":"Senior Engineer"}`
		var out []byte
		var uerr, merr error
		if !kit.Call(t, callLimit, func() {
			var e Employee
			if uerr = json.Unmarshal([]byte(doc), &e); uerr != nil {
				return
			}
			out, merr = json.Marshal(e)
		}) {
			return
		}
		if uerr != nil {
			kit.Fail(t, "json.Unmarshal of %s into an Employee failed: %v", doc, uerr)
			return
		}
		if merr != nil {
			kit.Fail(t, "json.Marshal of the decoded Employee failed: %v", merr)
			return
		}
		want, _ := parse([]byte(doc))
		got, err := parse(out)
		if err != nil || !reflect.DeepEqual(want, got) {
			kit.FailJSON(t, "decoding the sample into an Employee and encoding it again should give the same object", doc, string(out))
		}
	})
}
