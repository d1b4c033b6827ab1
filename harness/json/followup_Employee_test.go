package solution

import (
	ggjson "encoding/json"
	ggfmt "fmt"
	ggreflect "reflect"
	ggstrings "strings"
	ggtesting "testing"
)

// ggEmployeeField checks one field of Employee: its name, its kind and its
// json tag. It reports and returns false on the first problem.
func ggEmployeeField(t *ggtesting.T, typ ggreflect.Type, name, tag, kindDesc string, kindOK func(ggreflect.Kind) bool) bool {
	t.Helper()
	f, ok := typ.FieldByName(name)
	if !ok {
		ggFail(t, "Employee has no exported field %s (lower-case fields are ignored by encoding/json)", name)
		return false
	}
	if !kindOK(f.Type.Kind()) {
		ggFailValues(t, ggfmt.Sprintf("Employee.%s should be %s", name, kindDesc), kindDesc, f.Type.String())
		return false
	}
	got, _, _ := ggstrings.Cut(f.Tag.Get("json"), ",")
	if got != tag {
		ggFailString(t, ggfmt.Sprintf("Employee.%s should have the tag `json:\"%s\"`", name, tag),
			ggfmt.Sprintf(`json:"%s"`, tag), string(f.Tag))
		return false
	}
	return true
}

func TestFollowup_EmployeeFields(t *ggtesting.T) {
	typ := ggreflect.TypeOf((*Employee)(nil)).Elem()
	if typ.Kind() != ggreflect.Struct {
		ggFailValues(t, "Employee should be a struct type", "struct", typ.Kind().String())
		return
	}
	isString := func(k ggreflect.Kind) bool { return k == ggreflect.String }
	isInt := func(k ggreflect.Kind) bool {
		switch k {
		case ggreflect.Int, ggreflect.Int8, ggreflect.Int16, ggreflect.Int32, ggreflect.Int64,
			ggreflect.Uint, ggreflect.Uint8, ggreflect.Uint16, ggreflect.Uint32, ggreflect.Uint64:
			return true
		}
		return false
	}
	_ = ggEmployeeField(t, typ, "Name", "name", "a string", isString) &&
		ggEmployeeField(t, typ, "Age", "age", "an integer type", isInt) &&
		ggEmployeeField(t, typ, "Role", "role", "a string", isString)
}

func TestFollowup_EmployeeRoundTrip(t *ggtesting.T) {
	const doc = `{"name":"John","age":30,"role":"Senior Engineer"}`
	var out []byte
	var uerr, merr error
	if !ggCall(t, ggLimit, func() {
		var e Employee
		if uerr = ggjson.Unmarshal([]byte(doc), &e); uerr != nil {
			return
		}
		out, merr = ggjson.Marshal(e)
	}) {
		return
	}
	if uerr != nil {
		ggFail(t, "json.Unmarshal of %s into an Employee failed: %v", doc, uerr)
		return
	}
	if merr != nil {
		ggFail(t, "json.Marshal of the decoded Employee failed: %v", merr)
		return
	}
	want, _ := ggParse([]byte(doc))
	got, err := ggParse(out)
	if err != nil || !ggreflect.DeepEqual(want, got) {
		ggFailJSON(t, "decoding the sample into an Employee and encoding it again should give the same object", doc, string(out))
	}
}
