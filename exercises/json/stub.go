package main

import "fmt"

// AddRole returns the JSON object in data with its "role" member set to role.
func AddRole(data []byte, role string) ([]byte, error) {
	// TODO
	return nil, nil
}

func main() {
	out, err := AddRole([]byte(`{"name":"John","age":30}`), "Senior Engineer")
	fmt.Println(string(out), err)
}
