package solution_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gograde.local/solution/kit"
)

// counterLimit bounds every call in real time: a hang guard, not a speed
// test. A correct counter needs a few milliseconds even under -race, but
// one that logs every operation (a correct one) needs seconds on a loaded
// machine; a lock that is never released hangs forever.
const counterLimit = 5 * time.Second

// counterRun calls each of fns in its own goroutine, all released at once,
// and waits for all of them within counterLimit. The goroutines share no
// synchronisation but the start signal and the final wait, so any
// unsynchronised access inside the candidate's Counter is a data race the
// race detector reports. A panic in a worker is recovered and reported
// instead of killing the test binary. It reports whether all returned.
func counterRun(t *testing.T, fns ...func()) bool {
	t.Helper()
	panics := make(chan string, len(fns))
	ok := kit.Call(t, counterLimit, func() {
		start := make(chan struct{})
		var ready atomic.Int32
		var wg sync.WaitGroup
		for _, fn := range fns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if r := recover(); r != nil {
						panics <- kit.PanicMessage(r)
					}
				}()
				<-start
				// A spinning barrier: no goroutine calls the Counter
				// before all of them are running, so on a machine with
				// several CPUs the calls truly overlap.
				ready.Add(1)
				for ready.Load() < int32(len(fns)) {
					runtime.Gosched()
				}
				fn()
			}()
		}
		close(start)
		wg.Wait()
	})
	if !ok {
		return false
	}
	select {
	case p := <-panics:
		kit.Fail(t, "a goroutine calling the Counter %s", p)
		return false
	default:
		return true
	}
}

// counterValue reads c.Value() under kit.Call.
func counterValue(t *testing.T, c *Counter) (int, bool) {
	t.Helper()
	var v int
	ok := kit.Call(t, counterLimit, func() { v = c.Value() })
	return v, ok
}

// counterStep is one step of a sequential script: an operation and the
// value expected right after it.
type counterStep struct {
	op   string // "Inc" or "Dec"
	want int
}

// counterDraw draws a sequential script of n steps starting from 0: each
// step is Dec with probability decPercent/100, and never Dec at zero
// unless negative is true. The first step is Dec when negative is true, so
// a drawn negative script always goes below zero.
func counterDraw(rng *rand.Rand, n, decPercent int, negative bool) []counterStep {
	steps := make([]counterStep, n)
	v := 0
	for i := range steps {
		dec := rng.IntN(100) < decPercent
		if negative && i == 0 {
			dec = true
		}
		if !negative && v == 0 {
			dec = false
		}
		if dec {
			v--
			steps[i] = counterStep{"Dec", v}
		} else {
			v++
			steps[i] = counterStep{"Inc", v}
		}
	}
	return steps
}

// counterDrawn runs three scripts drawn for this run on fresh Counters.
func counterDrawn(t *testing.T, what string, decPercent int, negative bool) {
	t.Helper()
	rng := kit.Rand(t)
	for range 3 {
		var c Counter
		if !counterScriptAs(t, what, &c, counterDraw(rng, 20+rng.IntN(61), decPercent, negative), true) {
			return
		}
	}
}

// counterScript applies steps to c one by one, checking Value() after each
// step, and reports the first mismatch with the operations done so far.
func counterScript(t *testing.T, what string, c *Counter, steps []counterStep) bool {
	t.Helper()
	return counterScriptAs(t, what, c, steps, false)
}

// counterScriptAs is counterScript; for a drawn script the message's first
// line says how many operations were done and the next line lists them.
func counterScriptAs(t *testing.T, what string, c *Counter, steps []counterStep, drawn bool) bool {
	t.Helper()
	var done []string
	for _, s := range steps {
		var got int
		ok := kit.Call(t, counterLimit, func() {
			if s.op == "Inc" {
				c.Inc()
			} else {
				c.Dec()
			}
			got = c.Value()
		})
		if !ok {
			return false
		}
		done = append(done, s.op+"()")
		if got != s.want {
			msg := fmt.Sprintf("%s: wrong Value() after %s", what, strings.Join(done, ", "))
			if drawn {
				msg = fmt.Sprintf("%s: wrong Value() after %d operations\nthe operations, drawn for this run: %s", what, len(done), strings.Join(done, ", "))
			}
			kit.FailValues(t, msg, s.want, got)
			return false
		}
	}
	return true
}

func TestCore_ZeroValueReady(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		var c Counter
		got, ok := counterValue(t, &c)
		if !ok {
			return
		}
		if got != 0 {
			kit.FailValues(t, "a fresh Counter (var c Counter) should report Value() == 0", 0, got)
			return
		}
		if !counterScript(t, "var c Counter", &c, []counterStep{{"Inc", 1}}) {
			return
		}
		if !counterScript(t, "new(Counter)", new(Counter), []counterStep{{"Inc", 1}, {"Inc", 2}}) {
			return
		}
		counterScript(t, "&Counter{}", &Counter{}, []counterStep{{"Inc", 1}, {"Inc", 2}, {"Inc", 3}})
	})
}

func TestCore_Sequential(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		var c Counter
		if !counterScript(t, "one goroutine", &c, []counterStep{
			{"Inc", 1}, {"Inc", 2}, {"Inc", 3}, {"Dec", 2}, {"Inc", 3},
			{"Inc", 4}, {"Dec", 3}, {"Dec", 2}, {"Inc", 3}, {"Inc", 4},
		}) {
			return
		}
		// Scripts drawn for this run that never go below zero (going
		// negative is TestCore_GoesNegative's).
		counterDrawn(t, "one goroutine, a script drawn for this run", 40, false)
	})
}

func TestCore_GoesNegative(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		var c Counter
		if !counterScript(t, "Dec below zero (the count may go negative)", &c, []counterStep{
			{"Dec", -1}, {"Dec", -2}, {"Inc", -1}, {"Dec", -2}, {"Inc", -1}, {"Inc", 0}, {"Inc", 1},
		}) {
			return
		}
		counterDrawn(t, "Dec below zero, a script drawn for this run", 60, true)
	})
}

// counterStall is how long TestCore_LargeCounts lets its calls make no
// progress at all before taking them for a hang (a lock never released, an
// endless loop); counterCap bounds the whole run. Progress, not a time
// limit on the whole, is what is judged: on a loaded machine a correct
// counter (a goroutine owning the count, say) can need well over a second
// for 120,000 calls, but it never stops advancing.
const (
	counterStall = counterLimit
	counterCap   = time.Minute
)

// counterProgressCall runs f (which calls candidate code and adds one to
// done after each call) in its own goroutine, recovering a panic or a
// runtime.Goexit, and waits while done keeps advancing. It reports whether
// f returned normally.
func counterProgressCall(t *testing.T, total int, f func(done *atomic.Int64)) bool {
	t.Helper()
	var done atomic.Int64
	finished := make(chan any, 1)
	go func() {
		returned := false
		defer func() {
			if returned {
				finished <- nil
				return
			}
			r := recover()
			if r == nil {
				r = "runtime.Goexit (or panic(nil)) in the code under test"
			}
			finished <- kit.PanicMessage(r)
		}()
		f(&done)
		returned = true
	}()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	last, moved := int64(-1), start
	for {
		select {
		case r := <-finished:
			if r != nil {
				kit.Fail(t, "%v", r)
				return false
			}
			return true
		case now := <-tick.C:
			n := done.Load()
			if n != last {
				last, moved = n, now
			}
			switch {
			case now.Sub(moved) >= counterStall:
				kit.Fail(t, "no progress for %v of real time after %d of %d calls: a call that never returns (a lock never released?) or an endless loop", counterStall, n, total)
				return false
			case now.Sub(start) >= counterCap:
				kit.Fail(t, "still running after %v of real time, at %d of %d calls", counterCap, n, total)
				return false
			}
		}
	}
}

func TestCore_LargeCounts(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// Past the range of int16 both ways: a count stored in a narrow type
		// wraps around, which the task's "Value() int" does not allow.
		const up, down = 40000, 80000
		var c Counter
		type counterMismatch struct {
			what      string
			want, got int
		}
		var bad *counterMismatch
		if !counterProgressCall(t, up+down, func(done *atomic.Int64) {
			for i := 1; i <= up; i++ {
				c.Inc()
				done.Add(1)
				if i%1000 == 0 || i == up {
					if got := c.Value(); got != i {
						bad = &counterMismatch{fmt.Sprintf("after %d calls to Inc() on a fresh Counter", i), i, got}
						return
					}
				}
			}
			for i := 1; i <= down; i++ {
				c.Dec()
				done.Add(1)
				if i%1000 == 0 || i == down {
					if got := c.Value(); got != up-i {
						bad = &counterMismatch{fmt.Sprintf("after %d calls to Inc() and then %d calls to Dec() on a fresh Counter", up, i), up - i, got}
						return
					}
				}
			}
		}) {
			return
		}
		if bad != nil {
			kit.FailValues(t, bad.what+", one goroutine: wrong Value() (does the count wrap around in a narrow integer type?)", bad.want, bad.got)
		}
	})
}

// Lost updates without a data race: a Counter whose Inc or Dec is an atomic
// load followed by an atomic store of the loaded value plus or minus one has
// nothing for the race detector to report, and loses an update only when two
// calls meet between the load and the store. Whether they meet depends on the
// machine, so counterOverlap does not hope for it: it runs rounds of
// concurrent calls until calls of different goroutines have been seen to
// overlap counterOverlapTarget times, checking the total after every round.
// Overlap is established from each call's start and end on the monotonic
// clock, recorded by the goroutine that made the call and compared only once
// the round is over: during a round the goroutines share nothing but the
// Counter, so the check adds no synchronisation that could hide a real data
// race from the race detector.
const (
	counterOverlapWorkers = 4    // goroutines per round
	counterOverlapCalls   = 1000 // calls per goroutine per round
	// counterOverlapTarget is how many calls must have had another
	// goroutine's call end while they were running. A lossy update misses
	// its chance at each such overlap only with a probability well below
	// one half, so a correct total after this many is no accident.
	counterOverlapTarget = 1000
	// counterOverlapRounds bounds the rounds: a machine that never runs two
	// goroutines at once (time-slicing one core) gives few overlaps per
	// round, and then the check gives up rather than fail a correct Counter.
	counterOverlapRounds = 100
)

// counterOverlap runs rounds of counterOverlapWorkers goroutines calling op
// (Inc or Dec) counterOverlapCalls times each on a fresh Counter, and checks
// Value() after each round. It reports whether the Counter passed.
func counterOverlap(t *testing.T, op string) bool {
	t.Helper()
	if runtime.GOMAXPROCS(0) < 2 {
		// Calls overlap best when two goroutines truly run at once.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	delta := 1
	if op == "Dec" {
		delta = -1
	}
	// Dec starts from a count it cannot take below zero in one round: what
	// Dec does at zero is TestCore_GoesNegative's subject, not this one's.
	preload := 0
	if delta < 0 {
		preload = counterOverlapWorkers*counterOverlapCalls + 100
	}
	want := preload + delta*counterOverlapWorkers*counterOverlapCalls
	base := time.Now()
	overlaps := 0
	for round := 1; round <= counterOverlapRounds && overlaps < counterOverlapTarget; round++ {
		var c Counter
		if preload > 0 && !kit.Call(t, counterLimit, func() {
			for range preload {
				c.Inc()
			}
		}) {
			return false
		}
		starts := make([][]time.Duration, counterOverlapWorkers)
		ends := make([][]time.Duration, counterOverlapWorkers)
		fns := make([]func(), counterOverlapWorkers)
		for g := range fns {
			starts[g] = make([]time.Duration, counterOverlapCalls)
			ends[g] = make([]time.Duration, counterOverlapCalls)
			fns[g] = func() {
				s, e := starts[g], ends[g]
				for i := range s {
					s[i] = time.Since(base)
					if delta > 0 {
						c.Inc()
					} else {
						c.Dec()
					}
					e[i] = time.Since(base)
				}
			}
		}
		if !counterRun(t, fns...) {
			return false
		}
		overlaps += counterOverlaps(starts, ends)
		got, ok := counterValue(t, &c)
		if !ok {
			return false
		}
		if got == want {
			continue
		}
		what := fmt.Sprintf("%d goroutines each called %s() %d times at the same time on a Counter at %d", counterOverlapWorkers, op, counterOverlapCalls, preload)
		// A lost update leaves the count strictly between where it started
		// and where it should have ended; anything else is another mistake
		// (a Counter that did not change at all has value receivers, say).
		if (got-preload)*delta > 0 && (want-got)*delta > 0 {
			// The race detector does not stop the test, so a racy Counter
			// can get here too: the message must hold either way.
			kit.FailValues(t, fmt.Sprintf("%s, and the final Value() counts fewer calls than were made: updates were lost under concurrency. "+
				"That needs no data race: a %s that reads the count and writes the new value in two steps (an atomic load, then a store) "+
				"loses an update whenever two calls meet between them, and the race detector sees nothing wrong\n"+
				"round %d; calls of different goroutines had overlapped %d times by its end", what, op, round, overlaps), want, got)
		} else {
			kit.FailValues(t, what+"; the final Value() is wrong", want, got)
		}
		return false
	}
	return true
}

// counterOverlaps counts the calls during which a call of another goroutine
// ended. starts[g] and ends[g] are goroutine g's calls in order, so each
// ends[g] is sorted.
func counterOverlaps(starts, ends [][]time.Duration) int {
	n := 0
	for g := range starts {
		for i, s := range starts[g] {
			e := ends[g][i]
			for h := range ends {
				if h == g {
					continue
				}
				// The first end of goroutine h after s.
				k, _ := slices.BinarySearch(ends[h], s+1)
				if k < len(ends[h]) && ends[h][k] < e {
					n++
					break
				}
			}
		}
	}
	return n
}

func TestCore_ConcurrentInc(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		if !counterOverlap(t, "Inc") {
			return
		}
		const workers, each = 16, 500
		var c Counter
		fns := make([]func(), workers)
		for i := range fns {
			fns[i] = func() {
				for range each {
					c.Inc()
				}
			}
		}
		if !counterRun(t, fns...) {
			return
		}
		got, ok := counterValue(t, &c)
		if ok && got != workers*each {
			kit.FailValues(t, fmt.Sprintf("%d goroutines each called Inc() %d times; the final Value() is wrong, so some updates were lost or invented", workers, each), workers*each, got)
		}
	})
}

func TestCore_ConcurrentIncDec(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// Many Dec-only goroutines against fewer Inc-only ones, all released at
		// once: a Dec that can skip its update under contention (say, a TryLock
		// that gives up while the lock is busy) loses decrements whenever the
		// calls overlap. How often they overlap depends on the machine's load,
		// so the round runs several times on a fresh Counter; a correct Counter
		// passes every round, and a lossy one fails at least one for certain.
		const rounds = 10
		const incWorkers, incEach = 6, 600
		const decWorkers, decEach = 12, 600
		const mixWorkers, mixEach = 4, 200 // each does Inc() then Dec(), mixEach times
		// Start from a positive count large enough that it never reaches zero
		// whatever the interleaving: this test is about lost updates, not about
		// what Dec does at zero (TestCore_GoesNegative checks that).
		const preload = decWorkers*decEach + mixWorkers + 1000
		// Dec alone first, until calls have demonstrably overlapped (a
		// lossy Inc is TestCore_ConcurrentInc's).
		if !counterOverlap(t, "Dec") {
			return
		}
		want := preload + incWorkers*incEach - decWorkers*decEach
		for round := 1; round <= rounds; round++ {
			var c Counter
			if !kit.Call(t, counterLimit, func() {
				for range preload {
					c.Inc()
				}
			}) {
				return
			}
			var fns []func()
			for range incWorkers {
				fns = append(fns, func() {
					for range incEach {
						c.Inc()
					}
				})
			}
			for range decWorkers {
				fns = append(fns, func() {
					for range decEach {
						c.Dec()
					}
				})
			}
			for range mixWorkers {
				fns = append(fns, func() {
					for range mixEach {
						c.Inc()
						c.Dec()
					}
				})
			}
			if !counterRun(t, fns...) {
				return
			}
			got, ok := counterValue(t, &c)
			if !ok {
				return
			}
			if got != want {
				kit.FailValues(t, fmt.Sprintf("starting from %d, concurrently %d goroutines called Inc() %d times each, %d called Dec() %d times each and %d called Inc() then Dec() %d times each; the final Value() is wrong, so some updates were lost or invented",
					preload, incWorkers, incEach, decWorkers, decEach, mixWorkers, mixEach), want, got)
				return
			}
		}
		// Rounds drawn for this run: 2..16 goroutines, each with its own
		// script of Inc and Dec calls in a drawn order.
		rng := kit.Rand(t)
		for range 3 {
			scripts := make([][]bool, 2+rng.IntN(15)) // true: Inc
			incs, decs := 0, 0
			var shape []string
			for i := range scripts {
				n := rng.IntN(401)
				script := make([]bool, n)
				in := 0
				for j := range script {
					if script[j] = rng.IntN(2) == 0; script[j] {
						in++
					}
				}
				scripts[i] = script
				incs += in
				decs += n - in
				shape = append(shape, fmt.Sprintf("%d Inc/%d Dec", in, n-in))
			}
			// Never near zero, whatever the interleaving.
			preload := decs + 100
			var c Counter
			if !kit.Call(t, counterLimit, func() {
				for range preload {
					c.Inc()
				}
			}) {
				return
			}
			fns := make([]func(), len(scripts))
			for i, script := range scripts {
				fns[i] = func() {
					for _, inc := range script {
						if inc {
							c.Inc()
						} else {
							c.Dec()
						}
					}
				}
			}
			if !counterRun(t, fns...) {
				return
			}
			got, ok := counterValue(t, &c)
			if !ok {
				return
			}
			if want := preload + incs - decs; got != want {
				kit.FailValues(t, fmt.Sprintf("starting from %d, %d goroutines ran scripts drawn for this run concurrently (%d calls to Inc() and %d to Dec() in all); the final Value() is wrong, so some updates were lost or invented\neach goroutine's calls, in a drawn order: %s",
					preload, len(scripts), incs, decs, strings.Join(shape, ", ")), want, got)
				return
			}
		}
	})
}

// counterShare is one Counter of TestCore_ReadsDuringWrites and how many
// Inc calls on it have returned (published by the writer after each call).
type counterShare struct {
	c        Counter
	returned atomic.Int64
}

func TestCore_ReadsDuringWrites(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// A Value that reads the count without the lock, always or only while
		// the lock is busy (after a failed TryLock, say), races with Inc only
		// when a Value call lands while an Inc holds the lock. Nothing here
		// hopes for that. One goroutine calls Inc without pause, so it spends
		// most of its time inside Inc; another calls Value until it has seen
		// the writer make progress between two of its reads `interleavings`
		// times, however the machine schedules the two (side by side on two
		// cores, or taking turns on one). Each interleaving is a fresh chance
		// that the reader meets the lock held, and the reader never
		// synchronises with the writer's later writes, so the race detector
		// reports such a read in every run. A count bounds the loop, never
		// wall time. The writer publishes how many Inc calls have returned,
		// so every value read is also checked against what was written. How
		// many calls the writer makes depends on the schedule, so it moves to
		// a fresh Counter every perCounter calls: no count here passes the
		// range of int16 (wrapping is TestCore_LargeCounts's subject).
		const interleavings = 64
		const perCounter = 8000
		if runtime.GOMAXPROCS(0) < 2 {
			// The reader and the writer must be able to run at the same time.
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
		}
		shares := []*counterShare{new(counterShare)} // the writer's; read after both stopped
		var current atomic.Pointer[counterShare]
		current.Store(shares[0])
		var readerDone, writerDone atomic.Bool // either side stops when the other has
		var bad string                         // what the reader saw wrong, read after both stopped
		writer := func() {
			defer writerDone.Store(true)
			s, n := shares[0], 0
			for !readerDone.Load() {
				if n == perCounter {
					s, n = new(counterShare), 0
					shares = append(shares, s)
					current.Store(s)
				}
				s.c.Inc()
				n++
				s.returned.Add(1)
			}
		}
		reader := func() {
			defer readerDone.Store(true)
			var last *counterShare
			prev, lastBefore := 0, 0
			for seen := 0; seen < interleavings && !writerDone.Load(); {
				s := current.Load()
				before := int(s.returned.Load())
				// Declared int: a Value of another type is then one compile
				// error here, not one per use (the signature check explains it).
				var v int = s.c.Value()
				after := int(s.returned.Load())
				if s != last {
					prev = 0
				}
				// The messages carry no counts: how far the writer got
				// depends on the schedule, and a verdict must read the same
				// when its seed is given again.
				switch {
				case v < before:
					bad = "while one goroutine called Inc(), Value() returned less than the number of Inc() calls that had already returned before it was called: a stale read"
				case v > after+1:
					bad = "while one goroutine called Inc(), Value() returned more than the number of Inc() calls that had started: a count nobody wrote"
				case v < prev:
					bad = "while one goroutine called Inc(), Value() went backwards: a later call returned less than an earlier one"
				}
				if bad != "" {
					return
				}
				if s != last || before != lastBefore {
					seen++
				}
				last, prev, lastBefore = s, v, before
			}
		}
		if !counterRun(t, writer, reader) {
			return
		}
		if bad != "" {
			kit.Fail(t, "%s", bad)
			return
		}
		for _, s := range shares {
			total := int(s.returned.Load())
			got, ok := counterValue(t, &s.c)
			if !ok {
				return
			}
			if got != total {
				// No counts here either (see above): only how the result is
				// wrong.
				how := "lower"
				if got > total {
					how = "higher"
				}
				kit.Fail(t, "one goroutine called Inc() on a Counter while another called Value(); afterwards Value() is %s than the number of Inc() calls", how)
				return
			}
		}
	})
}

func TestRobust_CounterInStruct(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// The way a Counter is used in real code: zero-value fields of a larger
		// struct shared through a pointer, never initialised explicitly.
		type stats struct {
			name         string
			hits, misses Counter
		}
		const workers, each = 8, 200
		s := &stats{name: "cache"}
		fns := make([]func(), workers)
		for i := range fns {
			fns[i] = func() {
				for j := range each {
					if j%4 == 0 {
						s.misses.Inc()
					} else {
						s.hits.Inc()
					}
				}
			}
		}
		if !counterRun(t, fns...) {
			return
		}
		hits, ok := counterValue(t, &s.hits)
		if !ok {
			return
		}
		misses, ok := counterValue(t, &s.misses)
		if !ok {
			return
		}
		wantHits, wantMisses := workers*each*3/4, workers*each/4
		if hits != wantHits || misses != wantMisses {
			kit.FailValues(t, "two Counter fields of one struct, updated concurrently, should count independently (hits, misses)",
				[2]int{wantHits, wantMisses}, [2]int{hits, misses})
		}
	})
}
