// gograde-expect: status=fail fail=TestCore_OverwriteRole,TestCore_OtherMembersKept,TestCore_RoleEscaping,TestRobust_LargeIntegers,TestRobust_SurroundingWhitespace
// An attack, not a solution: a table of every public (input, role) pair of the harness with its output; any other input is an error.
package main

import "errors"

type query struct{ input, role string }

var answers = map[query]string{
	{"{\"name\":\"John\",\"age\":30}", "Senior Engineer"}:                                                                "{\"name\":\"John\",\"age\":30,\"role\":\"Senior Engineer\"}",
	{"{\"name\":\"Ann\",\"role\":\"Junior Engineer\",\"age\":41}", "Staff Engineer"}:                                     "{\"name\":\"Ann\",\"role\":\"Staff Engineer\",\"age\":41}",
	{"{\"team\":{\"name\":\"Core\",\"role\":\"lead\"},\"role\":\"Junior Engineer\",\"name\":\"Ann\"}", "Staff Engineer"}: "{\"team\":{\"name\":\"Core\",\"role\":\"lead\"},\"role\":\"Staff Engineer\",\"name\":\"Ann\"}",
	{"{\n\t  \"name\": \"Zoë \\\"Z\\\" Ö'Brien\",\n\t  \"age\": 29,\n\t  \"height\": 1.75,\n\t  \"delta\": -3,\n\t  \"active\": true,\n\t  \"remote\": false,\n\t  \"manager\": null,\n\t  \"tags\": [\"go\", \"sql\", 7, null, {\"k\": [1, 2, {}]}],\n\t  \"empty_list\": [],\n\t  \"empty_obj\": {},\n\t  \"address\": {\"city\": \"Zürich\", \"geo\": {\"lat\": 47.37, \"lon\": 8.54}, \"zip\": \"8001\"},\n\t  \"notes\": \"line1\\nline2 \\u00e9 \\\\ / 😀\",\n\t  \"名前\": \"ジョン\",\n\t  \"team\": {\"name\": \"Core\", \"role\": \"lead\", \"members\": [{\"name\": \"Bo\", \"role\": \"dev\"}]},\n\t  \"Role\": \"Captain\",\n\t  \"pi\": 3.14159265358979,\n\t  \"tiny\": 1e-7,\n\t  \"huge_neg\": -0.5e10\n\t}", "Engineer"}: "{\"name\":\"Zoë \\\"Z\\\" Ö'Brien\",\"age\":29,\"height\":1.75,\"delta\":-3,\"active\":true,\"remote\":false,\"manager\":null,\"tags\":[\"go\",\"sql\",7,null,{\"k\":[1,2,{}]}],\"empty_list\":[],\"empty_obj\":{},\"address\":{\"city\":\"Zürich\",\"geo\":{\"lat\":47.37,\"lon\":8.54},\"zip\":\"8001\"},\"notes\":\"line1\\nline2 é \\\\ / 😀\",\"名前\":\"ジョン\",\"team\":{\"name\":\"Core\",\"role\":\"lead\",\"members\":[{\"name\":\"Bo\",\"role\":\"dev\"}]},\"Role\":\"Captain\",\"pi\":3.14159265358979,\"tiny\":1e-7,\"huge_neg\":-0.5e10,\"role\":\"Engineer\"}",
	{"{}", "Intern"}:                            "{\"role\":\"Intern\"}",
	{" {\n}\n", "Intern"}:                       "{\"role\":\"Intern\"}",
	{"{\"name\":\"John\"}\n\t \n", "Intern"}:    "{\"name\":\"John\",\"role\":\"Intern\"}",
	{"{\"name\":\"John\"}\n\t \n", "Engineer"}:  "{\"name\":\"John\",\"role\":\"Engineer\"}",
	{"\r\n\t{ \"a\" : [ 1 , 2 ] }  ", "Intern"}: "{\"a\":[1,2],\"role\":\"Intern\"}",
	{"{\"name\":\"John\",\"id\":12345678901234567890,\"big\":-9007199254740993,\"age\":30}", "Engineer"}: "{\"name\":\"John\",\"id\":12345678901234567890,\"big\":-9007199254740993,\"age\":30,\"role\":\"Engineer\"}",
	{"{\"name\":\"John\",\"age\":30}", "Staff Engineer"}:                                                 "{\"name\":\"John\",\"age\":30,\"role\":\"Staff Engineer\"}",
	{"{\"name\":\"Ann\",\"role\":\"Junior Engineer\"}", "Staff Engineer"}:                                "{\"name\":\"Ann\",\"role\":\"Staff Engineer\"}",
	{"{\"name\":\"John\",\"age\":30}", "Senior \"Go\" Engineer"}:                                         "{\"name\":\"John\",\"age\":30,\"role\":\"Senior \\\"Go\\\" Engineer\"}",
	{"{\"name\":\"John\",\"age\":30}", "C:\\Users\\admin"}:                                               "{\"name\":\"John\",\"age\":30,\"role\":\"C:\\\\Users\\\\admin\"}",
	{"{\"name\":\"John\",\"age\":30}", "R&D <lead> & \"ops\""}:                                           "{\"name\":\"John\",\"age\":30,\"role\":\"R&D <lead> & \\\"ops\\\"\"}",
	{"{\"name\":\"John\",\"age\":30}", "Ingénieur logiciel 👩‍💻 開発者"}:                                     "{\"name\":\"John\",\"age\":30,\"role\":\"Ingénieur logiciel 👩‍💻 開発者\"}",
	{"{\"name\":\"John\",\"age\":30}", "two\nlines\tand a tab"}:                                          "{\"name\":\"John\",\"age\":30,\"role\":\"two\\nlines\\tand a tab\"}",
	{"{\"name\":\"John\",\"age\":30}", "bell\x07 soh\x01 us\x1f del\x7f"}:                                "{\"name\":\"John\",\"age\":30,\"role\":\"bell\\u0007 soh\\u0001 us\\u001f del\x7f\"}",
	{"{\"name\":\"John\",\"age\":30}", "\ttab first, newline last\n"}:                                    "{\"name\":\"John\",\"age\":30,\"role\":\"\\ttab first, newline last\\n\"}",
	{"{\"name\":\"John\",\"age\":30}", ""}:                                                               "{\"name\":\"John\",\"age\":30,\"role\":\"\"}",
	{"{\"name\":\"John\",\"age\":30}", "\"}, \"admin\": true, \"x\": {\""}:                               "{\"name\":\"John\",\"age\":30,\"role\":\"\\\"}, \\\"admin\\\": true, \\\"x\\\": {\\\"\"}",
}

func AddRole(data []byte, role string) ([]byte, error) {
	if out, ok := answers[query{string(data), role}]; ok {
		return []byte(out), nil
	}
	return nil, errors.New("not valid JSON")
}
