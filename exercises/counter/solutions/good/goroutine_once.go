// gograde-expect: status=pass
// The count is owned by one goroutine, started lazily with sync.Once so the zero value works; methods talk to it over channels.
package main

import "sync"

type Counter struct {
	once  sync.Once
	delta chan int
	read  chan chan int
}

func (c *Counter) start() {
	c.once.Do(func() {
		c.delta = make(chan int)
		c.read = make(chan chan int)
		go func() {
			n := 0
			for {
				select {
				case d := <-c.delta:
					n += d
				case reply := <-c.read:
					reply <- n
				}
			}
		}()
	})
}

func (c *Counter) Inc() {
	c.start()
	c.delta <- 1
}

func (c *Counter) Dec() {
	c.start()
	c.delta <- -1
}

func (c *Counter) Value() int {
	c.start()
	reply := make(chan int)
	c.read <- reply
	return <-reply
}
