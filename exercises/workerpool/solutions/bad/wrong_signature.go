// gograde-expect: status=compile_error fail=
// Wrong signature: takes a bidirectional results channel and no WaitGroup.
package main

func worker(id int, jobs <-chan int, results chan int) {
	for j := range jobs {
		results <- j * 2
	}
}

func main() {}
