// gograde-expect: status=pass
// Embeds sync.Mutex in the struct and locks the Counter itself.
package main

import (
	"fmt"
	"sync"
)

type Counter struct {
	sync.Mutex
	n int
}

func (c *Counter) Inc() {
	c.Lock()
	c.n++
	c.Unlock()
}

func (c *Counter) Dec() {
	c.Lock()
	c.n--
	c.Unlock()
}

func (c *Counter) Value() int {
	c.Lock()
	v := c.n
	c.Unlock()
	return v
}

func main() {
	c := &Counter{}
	c.Inc()
	c.Inc()
	c.Dec()
	fmt.Println(c.Value())
}
