// Harness for the workerpool exercise:
//
//	func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup)
//
// Every test runs inside a synctest bubble (virtual time), so a tutorial
// worker that sleeps a second per job is graded in milliseconds. The harness
// owns every channel and the goroutines that call worker; results is
// unbuffered, so a send completes only when the harness receives it, which
// lets synctest.Wait() observe exactly when wg.Done() happens relative to the
// sends.
package solution

import (
	ggfmt "fmt"
	ggregexp "regexp"
	ggruntime "runtime"
	ggslices "slices"
	ggstrings "strings"
	ggsync "sync"
	ggtesting "testing"
	ggsynctest "testing/synctest"
	ggtime "time"
)

const (
	// ggWPLimit is the real-time watchdog per test: a correct worker needs a
	// few milliseconds; only a busy loop gets near it.
	ggWPLimit = 2 * ggtime.Second
	// ggWPPatience is the virtual time a silent worker is given before the
	// harness decides it is stuck (a tutorial worker sleeps 1s per job).
	ggWPPatience = ggtime.Hour
	// ggWPDrain bounds how many stray results a teardown throws away, so a
	// worker that keeps sending zero values cannot keep the harness busy.
	ggWPDrain = 1000
)

const (
	ggWPHintDone     = "When may a worker call wg.Done(), and what does the caller do once wg.Wait() returns?"
	ggWPHintClosed   = "How does a worker notice that jobs was closed? What does a receive from a closed channel return?"
	ggWPHintOwnClose = "Who owns the results channel, and who should close it, when?"
	ggWPHintLeak     = "Which goroutines does your worker start, and what makes each of them exit?"
)

// ggWPBubble is ggBubble for this harness, with one difference: goroutines
// still blocked when the test body returns (synctest's "blocked goroutines
// remain" deadlock) are reported only when leaks is true. Only
// TestRobust_NoGoroutineLeft judges leftovers, so a leaking worker fails that
// test alone; every other test has already checked what it checks.
func ggWPBubble(t *ggtesting.T, leaks bool, f func(t *ggtesting.T)) {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		finished := false
		defer func() {
			if finished {
				done <- nil
				return
			}
			if r := recover(); r != nil {
				done <- r
				return
			}
			done <- nil // runtime.Goexit from FailNow: already recorded on t
		}()
		ggsynctest.Test(t, f)
		finished = true
	}()
	select {
	case r := <-done:
		if r == nil {
			return
		}
		msg := ggfmt.Sprint(r)
		switch {
		case ggstrings.Contains(msg, "blocked goroutines remain"):
			if leaks && !t.Failed() {
				ggReport(t, ggFailure{Message: "goroutines were still blocked after the pool had finished " +
					"(jobs closed, every result received, every worker returned): a goroutine leak (" + msg + ")",
					Hint: ggWPHintLeak})
			}
		case ggstrings.Contains(msg, "deadlock"):
			ggFail(t, "deadlock: every goroutine was blocked with nothing left to wake it (%s)", msg)
		default:
			ggFail(t, "%s", ggPanicMessage(r))
		}
	case <-ggtime.After(ggWPLimit):
		ggFail(t, "did not finish within %v of real time: a busy loop? (for example reading from the closed jobs channel forever, or a select with an empty default case)", ggWPLimit)
	}
}

// ggWPProtect calls one worker and turns its panic into a failure that says
// which worker panicked and, for the usual cases, why.
func ggWPProtect(t *ggtesting.T, id int, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		msg := ggfmt.Sprint(r)
		switch {
		case ggstrings.Contains(msg, "negative WaitGroup counter"):
			ggReport(t, ggFailure{Message: ggfmt.Sprintf("worker %d panicked with %q: it called wg.Done() more than once; "+
				"each worker must call it exactly once, after its last send", id, msg), Hint: ggWPHintDone})
		case ggstrings.Contains(msg, "closed channel"):
			ggReport(t, ggFailure{Message: ggfmt.Sprintf("worker %d panicked with %q: a worker closed the results channel "+
				"while other workers were still using it", id, msg), Hint: ggWPHintOwnClose})
		default:
			ggFail(t, "worker %d %s", id, ggPanicMessage(r))
		}
	}()
	f()
}

// ggWPGo starts call(id) for every id, each in its own harness goroutine, and
// returns a channel closed once all of them have returned (or panicked).
func ggWPGo(t *ggtesting.T, ids []int, call func(id int)) <-chan struct{} {
	returned := make(chan struct{})
	var hwg ggsync.WaitGroup
	for _, id := range ids {
		hwg.Add(1)
		go func() {
			defer hwg.Done()
			ggWPProtect(t, id, func() { call(id) })
		}()
	}
	go func() {
		hwg.Wait()
		close(returned)
	}()
	return returned
}

// ggWPStart starts worker(id, jobs, results, wg) for every id.
func ggWPStart(t *ggtesting.T, ids []int, jobs chan int, results chan int, wg *ggsync.WaitGroup) <-chan struct{} {
	return ggWPGo(t, ids, func(id int) { worker(id, jobs, results, wg) })
}

// ggWPSpareWG returns a WaitGroup with a large count, for tests that do not
// judge wg.Done(): a worker calling Done too often must not panic there
// (TestCore_DoneCalledOnce and TestCore_WaitAfterLastResult judge it).
func ggWPSpareWG() *ggsync.WaitGroup {
	wg := new(ggsync.WaitGroup)
	wg.Add(1 << 20)
	return wg
}

// ggWPWait calls wg.Wait() in a harness goroutine and returns a channel
// closed when it returns.
func ggWPWait(t *ggtesting.T, wg *ggsync.WaitGroup) <-chan struct{} {
	waited := make(chan struct{})
	go func() {
		defer close(waited)
		defer func() {
			if r := recover(); r != nil {
				ggFail(t, "wg.Wait() panicked: %v (was wg.Done() called too often?)", r)
			}
		}()
		wg.Wait()
	}()
	return waited
}

// ggWPRelease calls wg.Done() on the candidate's behalf until the blocked
// wg.Wait() returns, so the bubble can end cleanly after a missing Done.
func ggWPRelease(wg *ggsync.WaitGroup, waited <-chan struct{}) {
	for i := 0; i < 100; i++ {
		ggsynctest.Wait()
		select {
		case <-waited:
			return
		default:
		}
		func() {
			defer func() { _ = recover() }()
			wg.Done()
		}()
	}
}

// ggWPJobs returns a channel buffered to hold every job, already filled.
func ggWPJobs(jobs []int, closed bool) chan int {
	ch := make(chan int, len(jobs))
	for _, j := range jobs {
		ch <- j
	}
	if closed {
		close(ch)
	}
	return ch
}

// ggWPCollect receives one result per job of in (the jobs queued on jobs for
// this collection). It stops early, reporting why, when the results channel
// is closed or when no result arrives for ggWPPatience of virtual time
// (distinguishing workers that took every job but sent too few results,
// workers that returned, and workers that are stuck).
func ggWPCollect(t *ggtesting.T, jobs chan int, in []int, results chan int, returned <-chan struct{}) ([]int, bool) {
	t.Helper()
	return ggWPCollectPaced(t, jobs, in, results, returned, 0)
}

// ggWPCollectPaced is ggWPCollect with a slow consumer: it sleeps pace
// (virtual time) before each receive.
func ggWPCollectPaced(t *ggtesting.T, jobs chan int, in []int, results chan int, returned <-chan struct{}, pace ggtime.Duration) ([]int, bool) {
	t.Helper()
	n := len(in)
	paced := ""
	if pace > 0 {
		paced = ggfmt.Sprintf(" (the harness waited %v of virtual time before each receive: a slow consumer must "+
			"still get every result, so the send must wait as long as it takes)", pace)
	}
	got := make([]int, 0, n)
	gone := false
	for len(got) < n {
		if pace > 0 {
			ggtime.Sleep(pace)
		}
		select {
		case v, ok := <-results:
			if !ok {
				ggReport(t, ggFailure{Message: ggfmt.Sprintf("the results channel was closed after %d of %d results: "+
					"a worker must never close results, the caller owns it", len(got), n), Hint: ggWPHintOwnClose})
				return got, false
			}
			got = append(got, v)
		case <-returned:
			gone, returned = true, nil // keep listening: results may still be in flight
		case <-ggtime.After(ggWPPatience):
			switch {
			case gone && t.Failed():
				// a worker panicked: reported already
			case len(jobs) == 0:
				state := "and no result came for an hour (virtual time) since"
				if gone {
					state = "and every worker has returned"
				}
				ggFailValues(t, ggfmt.Sprintf("all %d jobs were taken but only %d result(s) were sent, %s: jobs without a result: %s%s",
					n, len(got), state, ggWPFirst(ggWPMissing(in, got)), paced), n, len(got))
			case gone:
				ggFailValues(t, ggfmt.Sprintf("every worker returned after sending only %d of the %d results: "+
					"a worker must keep reading jobs until the channel is closed%s", len(got), n, paced), n, len(got))
			default:
				ggFail(t, "no result for an hour (virtual time) after %d of %d results, with %d jobs still waiting to be "+
					"taken: the worker is stuck (blocked on something other than jobs and results?)%s", len(got), n, len(jobs), paced)
			}
			return got, false
		}
	}
	return got, true
}

// ggWPMissing lists the jobs of in that have no result job*2 in got (as
// multisets).
func ggWPMissing(in, got []int) []int {
	counts := map[int]int{}
	for _, v := range got {
		counts[v]++
	}
	var missing []int
	for _, j := range in {
		if counts[j*2] > 0 {
			counts[j*2]--
		} else {
			missing = append(missing, j)
		}
	}
	return missing
}

// ggWPSettle waits (virtual time) for the workers to return, discarding a
// bounded number of stray results, and reports whether they returned. It
// reports nothing: tests that judge returning do so themselves.
func ggWPSettle(results chan int, returned <-chan struct{}) bool {
	drain := ggWPDrain
	for {
		select {
		case <-returned:
			return true
		case _, ok := <-results:
			if drain--; !ok || drain <= 0 {
				results = nil
			}
		case <-ggtime.After(ggWPPatience):
			return false
		}
	}
}

// ggWPDoubled returns job*2 for every job, in order.
func ggWPDoubled(jobs []int) []int {
	out := make([]int, len(jobs))
	for i, j := range jobs {
		out[i] = j * 2
	}
	return out
}

// ggWPRange returns the ints from..to inclusive.
func ggWPRange(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// ggWPFirst formats at most the first 10 values of a list.
func ggWPFirst(vs []int) string {
	if len(vs) > 10 {
		return ggfmt.Sprintf("%v... (%d in all)", vs[:10], len(vs))
	}
	return ggfmt.Sprint(vs)
}

// ggWPBubbleRE finds the bubble id in a goroutine header such as
// "goroutine 18 [chan receive (durable), synctest bubble 1]:".
var ggWPBubbleRE = ggregexp.MustCompile(`synctest bubble (\d+)[,\]]`)

func ggWPStacks(all bool) string {
	buf := make([]byte, 1<<16)
	for {
		n := ggruntime.Stack(buf, all)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// ggWPLeftovers lists the stacks of the goroutines of the caller's bubble
// other than the caller and synctest's own. Call it after synctest.Wait()
// once every harness goroutine has exited.
func ggWPLeftovers() []string {
	self := ggWPStacks(false)
	selfHeader, _, _ := ggstrings.Cut(self, "\n")
	m := ggWPBubbleRE.FindStringSubmatch(selfHeader)
	fields := ggstrings.Fields(selfHeader)
	if m == nil || len(fields) < 2 {
		return nil
	}
	var out []string
	for _, g := range ggstrings.Split(ggWPStacks(true), "\n\n") {
		header, _, _ := ggstrings.Cut(g, "\n")
		mm := ggWPBubbleRE.FindStringSubmatch(header)
		if mm == nil || mm[1] != m[1] || ggstrings.HasPrefix(header, "goroutine "+fields[1]+" ") {
			continue
		}
		if ggstrings.Contains(g, "internal/synctest.Run(") || ggstrings.Contains(g, "testing/synctest.") {
			continue
		}
		lines := ggstrings.Split(ggstrings.TrimSpace(g), "\n")
		for i, l := range lines {
			if ggstrings.HasPrefix(l, "\t") { // "\t/tmp/x/solution.go:15 +0x5f" -> "\tsolution.go:15"
				l, _, _ = ggstrings.Cut(l, " +0x")
				lines[i] = "\t" + l[ggstrings.LastIndex(l, "/")+1:]
			}
		}
		if len(lines) > 11 {
			lines = append(lines[:11], "\t...")
		}
		out = append(out, ggstrings.Join(lines, "\n"))
	}
	return out
}

// One worker keeps the order of the jobs and doubles each one. The jobs are
// queued before the worker starts, so a worker that sends from goroutines of
// its own scrambles the order.
func TestCore_SingleWorkerInOrder(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		in := []int{3, 1, 4, 1, 5, 9, 2, 6, -5, 0, 35, 8, 97, 93, 2, 38, 46, 26, 43, 383}
		jobs := ggWPJobs(in, false)
		results := make(chan int)
		returned := ggWPStart(t, []int{1}, jobs, results, ggWPSpareWG())
		got, ok := ggWPCollect(t, jobs, in, results, returned)
		want := ggWPDoubled(in)
		if ok && !ggslices.Equal(got, want) {
			sortedGot, sortedWant := ggslices.Sorted(ggslices.Values(got)), ggslices.Sorted(ggslices.Values(want))
			if ggslices.Equal(sortedGot, sortedWant) {
				ggFailValues(t, "one worker must send its results in the order it received the jobs", want, got)
			} else {
				ggFailValues(t, "wrong results: each result must be job*2, in job order", want, got)
			}
		}
		close(jobs)
		ggWPSettle(results, returned)
	})
}

// Several workers (ids 2..5) share the jobs: every job is processed exactly once.
func TestCore_SeveralWorkersEachJobOnce(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		in := ggWPRange(1, 100)
		jobs := ggWPJobs(in, true)
		results := make(chan int)
		returned := ggWPStart(t, []int{2, 3, 4, 5}, jobs, results, ggWPSpareWG())
		got, ok := ggWPCollect(t, jobs, in, results, returned)
		if !ok {
			ggWPSettle(results, returned)
			return
		}
		// Anything sent after the 100th result is a job processed twice.
		extra := 0
		for done := false; !done; {
			select {
			case v, ok := <-results:
				if !ok {
					results, done = nil, true
					break
				}
				got = append(got, v)
				if extra++; extra >= 10 {
					done = true
				}
			case <-returned:
				ggsynctest.Wait()
				for more := true; more && extra < 10; {
					select {
					case v, ok := <-results:
						if more = ok; ok {
							got = append(got, v)
							extra++
						}
					default:
						more = false
					}
				}
				done = true
			case <-ggtime.After(ggWPPatience):
				done = true // not returning is judged by TestCore_ReturnsWhenJobsClosed
			}
		}
		want := ggWPDoubled(in)
		ggslices.Sort(got)
		if !ggslices.Equal(got, want) {
			counts := map[int]int{}
			for _, v := range got {
				counts[v]++
			}
			var missing, twice, wrong []int
			for _, j := range in {
				switch c := counts[j*2]; {
				case c == 0:
					missing = append(missing, j)
				case c > 1:
					twice = append(twice, j)
				}
				delete(counts, j*2)
			}
			for v := range counts {
				wrong = append(wrong, v)
			}
			ggslices.Sort(wrong)
			var what []string
			if len(wrong) > 0 {
				what = append(what, "values that are not job*2 for any job: "+ggWPFirst(wrong))
			}
			if len(twice) > 0 {
				what = append(what, "jobs with more than one result: "+ggWPFirst(twice))
			}
			if len(missing) > 0 {
				what = append(what, "jobs with no result: "+ggWPFirst(missing))
			}
			ggFailValues(t, ggfmt.Sprintf("4 workers, jobs 1..100: every job must give exactly one result job*2 (%s)",
				ggstrings.Join(what, "; ")), want, got)
		}
		ggWPSettle(results, returned)
	})
}

// wg.Wait() must not return before every result has been sent: the caller
// closes results as soon as Wait returns. With results unbuffered, a send is
// complete only when the harness has received it, so at every quiet moment
// (synctest.Wait) the harness checks that Wait has not returned early.
func TestCore_WaitAfterLastResult(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		const n = 30
		in := ggWPRange(1, n)
		jobs := ggWPJobs(in, true)
		results := make(chan int)
		var wg ggsync.WaitGroup
		wg.Add(3)
		returned := ggWPStart(t, []int{2, 3, 4}, jobs, results, &wg)
		waited := ggWPWait(t, &wg)
		defer func() { ggWPSettle(results, returned); ggWPRelease(&wg, waited) }()
		got := 0
		var vals []int
		for got < n {
			ggsynctest.Wait()
			select {
			case <-waited:
				pending := false
				select {
				case _, ok := <-results:
					pending = ok
				default:
				}
				if pending {
					ggReport(t, ggFailure{Message: ggfmt.Sprintf("wg.Wait() returned while a result was still waiting to be sent "+
						"(%d of %d results received so far): wg.Done() must come after the worker's last send, "+
						"and the worker must not leave sends to goroutines of its own", got, n), Hint: ggWPHintDone})
				} else if len(jobs) == 0 {
					ggFailValues(t, ggfmt.Sprintf("wg.Wait() returned after only %d of %d results, although all %d jobs were "+
						"taken: jobs without a result: %s", got, n, n, ggWPFirst(ggWPMissing(in, vals))), n, got)
				} else {
					ggFailValues(t, ggfmt.Sprintf("wg.Wait() returned after only %d of %d results, with %d jobs never taken",
						got, n, len(jobs)), n, got)
				}
				return
			default:
			}
			select {
			case v, ok := <-results:
				if !ok {
					ggReport(t, ggFailure{Message: ggfmt.Sprintf("the results channel was closed after %d of %d results: "+
						"a worker must never close results, the caller owns it", got, n), Hint: ggWPHintOwnClose})
					return
				}
				got++
				vals = append(vals, v)
			case <-waited: // judged at the top of the loop, once all is quiet
			case <-ggtime.After(ggWPPatience):
				select {
				case <-returned:
					taken := ""
					if len(jobs) == 0 {
						taken = ggfmt.Sprintf(" (all %d jobs were taken: jobs without a result: %s)", n, ggWPFirst(ggWPMissing(in, vals)))
					}
					ggFailValues(t, ggfmt.Sprintf("every worker returned after sending only %d of the %d results%s, "+
						"and wg.Wait() has not returned", got, n, taken), n, got)
				default:
					ggFail(t, "no result for an hour (virtual time) after %d of %d results, and wg.Wait() has not returned", got, n)
				}
				return
			}
		}
		select {
		case <-waited:
		case <-ggtime.After(ggWPPatience):
			ggReport(t, ggFailure{Message: ggfmt.Sprintf("all %d results were received, yet wg.Wait() had not returned an hour "+
				"(virtual time) later: each worker must call wg.Done() once, when it has finished, and must not call wg.Add "+
				"itself (the caller adds one per worker before starting it)", n), Hint: ggWPHintDone})
		}
	})
}

// Each worker calls wg.Done() exactly once: Wait returns once the worker has
// returned, and Done is not called again (negative counter panic).
func TestCore_DoneCalledOnce(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		const n = 5
		in := ggWPRange(1, n)
		jobs := ggWPJobs(in, true)
		results := make(chan int)
		var wg ggsync.WaitGroup
		wg.Add(1)
		returned := ggWPStart(t, []int{1}, jobs, results, &wg)
		waited := ggWPWait(t, &wg)
		defer func() { ggWPSettle(results, returned); ggWPRelease(&wg, waited) }()
		if _, ok := ggWPCollect(t, jobs, in, results, returned); !ok {
			ggWPSettle(results, returned)
			return
		}
		if !ggWPSettle(results, returned) {
			ggReport(t, ggFailure{Message: "the worker never returned after jobs was closed and emptied, " +
				"so it never reached wg.Done()", Hint: ggWPHintClosed})
			return
		}
		ggsynctest.Wait()
		select {
		case <-waited:
		default:
			ggReport(t, ggFailure{Message: "the worker returned, yet wg.Wait() did not return: the worker did not call wg.Done(), " +
				"or called wg.Add itself (the caller adds one per worker before starting it), so wg.Wait() would block forever",
				Hint: ggWPHintDone})
		}
	})
}

// ggWPLongIdle is how long (virtual time) TestCore_ReturnsWhenJobsClosed
// leaves jobs open and empty at most, and ggWPMinIdle how long at least. A
// worker that polls jobs (say every 10ms) makes virtual time cost real time,
// so past ggWPMinIdle the idle period also ends once it has taken
// ggWPIdleBudget of real time. A worker that waits on channels or timers
// (every worker that gives up after a timeout) gets through the whole
// ggWPLongIdle in well under a millisecond.
const (
	ggWPLongIdle   = 48 * ggtime.Hour
	ggWPMinIdle    = ggtime.Hour
	ggWPIdleBudget = 250 * ggtime.Millisecond
)

// The worker keeps waiting while jobs is open (even when empty for a long
// time: two days), still takes a job sent after that, and returns once jobs
// is closed, sending nothing more.
func TestCore_ReturnsWhenJobsClosed(t *ggtesting.T) {
	// A real-time deadline, kept outside the bubble (inside it, time is
	// virtual): closing begin starts it, and budget is closed once it has
	// passed. The bubble only closes begin and polls budget without
	// blocking, so it never waits on either.
	begin, budget := make(chan struct{}), make(chan struct{})
	var beginOnce ggsync.Once
	start := func() { beginOnce.Do(func() { close(begin) }) }
	go func() {
		<-begin
		ggtime.Sleep(ggWPIdleBudget)
		close(budget)
	}()
	defer start() // the goroutine above ends whatever happened in the bubble
	ggWPBubble(t, false, func(t *ggtesting.T) {
		jobs := make(chan int, 3)
		results := make(chan int)
		returned := ggWPStart(t, []int{1}, jobs, results, ggWPSpareWG())
		taken := 0
		// earlyReturn reports a worker that returned while jobs was open.
		earlyReturn := func(idle string) {
			ggReport(t, ggFailure{Message: ggfmt.Sprintf("the worker returned after %d jobs although jobs was still open "+
				"(%s): it must keep reading until jobs is closed, however long no job comes", taken, idle),
				Hint: ggWPHintClosed})
			close(jobs)
		}
		for round := 0; round < 2; round++ {
			in := []int{10*round + 1, 10*round + 2, 10*round + 3}
			for _, j := range in {
				jobs <- j
			}
			if _, ok := ggWPCollect(t, jobs, in, results, returned); !ok {
				close(jobs)
				ggWPSettle(results, returned)
				return
			}
			taken += len(in)
			select {
			case <-returned:
				earlyReturn("only empty for the moment")
				return
			case <-ggtime.After(10 * ggtime.Minute):
			}
		}
		// A long idle period, an hour at a time.
		idleFrom := ggtime.Now()
		start()
		for idle := ggtime.Duration(0); idle < ggWPLongIdle; {
			select {
			case <-returned:
				earlyReturn(ggfmt.Sprintf("it had been empty for %v", ggtime.Since(idleFrom)+10*ggtime.Minute))
				return
			case <-ggtime.After(ggtime.Hour):
				idle += ggtime.Hour
			}
			if idle >= ggWPMinIdle {
				select {
				case <-budget:
					idle = ggWPLongIdle
				default:
				}
			}
		}
		// Still receiving: a job after the idle period gets its result.
		in := []int{77}
		jobs <- in[0]
		// (The value is judged by TestCore_SingleWorkerInOrder.)
		if _, ok := ggWPCollect(t, jobs, in, results, returned); !ok {
			close(jobs)
			ggWPSettle(results, returned)
			return
		}
		close(jobs)
		for {
			select {
			case <-returned:
				return
			case v, ok := <-results:
				if !ok {
					results = nil // closing results is judged by TestCore_DoesNotCloseResults
					continue
				}
				ggReport(t, ggFailure{Message: ggfmt.Sprintf("the worker sent a result (%d) after jobs was closed and all 7 jobs were done: "+
					"it keeps reading zero values from the closed channel", v), Hint: ggWPHintClosed})
				return
			case <-ggtime.After(ggWPPatience):
				ggReport(t, ggFailure{Message: "the worker had not returned an hour (virtual time) after jobs was closed",
					Hint: ggWPHintClosed})
				return
			}
		}
	})
}

// A slow consumer: the harness waits 10 seconds (virtual time) before each
// receive. The worker must wait on its send as long as it takes; a worker
// that gives up on a send after a timeout loses results. Every job must give
// a result.
func TestCore_SlowConsumer(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		in := []int{4, 8, 15, 16, 23, 42}
		jobs := ggWPJobs(in, true)
		results := make(chan int)
		returned := ggWPStart(t, []int{1}, jobs, results, ggWPSpareWG())
		// Only the count is judged here: the values and their order are
		// judged by TestCore_SingleWorkerInOrder.
		ggWPCollectPaced(t, jobs, in, results, returned, 10*ggtime.Second)
		ggWPSettle(results, returned)
	})
}

// The worker must not close results: the caller owns it (other workers may
// still be sending on it).
func TestCore_DoesNotCloseResults(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		jobs := ggWPJobs([]int{1, 2, 3}, true)
		results := make(chan int)
		returned := ggWPStart(t, []int{1}, jobs, results, ggWPSpareWG())
		got := 0
		for got < 3 {
			select {
			case _, ok := <-results:
				if !ok {
					ggReport(t, ggFailure{Message: ggfmt.Sprintf("the worker closed the results channel (after %d results): "+
						"results belongs to the caller, who closes it after wg.Wait(); with several workers "+
						"the others would panic sending on it", got), Hint: ggWPHintOwnClose})
					return
				}
				got++
			case <-ggtime.After(ggWPPatience):
				if got == 0 {
					ggFail(t, "the worker sent no result at all for 3 jobs, so there was nothing to check")
				}
				return // a worker that stops early is judged by the other tests
			}
		}
		ggWPSettle(results, returned)
		ggsynctest.Wait()
		select {
		case _, ok := <-results:
			if !ok {
				ggReport(t, ggFailure{Message: "the worker closed the results channel when it finished: results belongs to " +
					"the caller, who closes it after wg.Wait(); with several workers the others would panic sending on it",
					Hint: ggWPHintOwnClose})
			}
		default:
		}
	})
}

// jobs is already closed (and empty) when the worker starts: it returns at
// once, sends nothing and still calls wg.Done() once.
func TestRobust_JobsClosedBeforeStart(t *ggtesting.T) {
	ggWPBubble(t, false, func(t *ggtesting.T) {
		jobs := make(chan int)
		close(jobs)
		results := make(chan int)
		var wg ggsync.WaitGroup
		wg.Add(1)
		returned := ggWPStart(t, []int{1}, jobs, results, &wg)
		waited := ggWPWait(t, &wg)
		defer func() { ggWPSettle(results, returned); ggWPRelease(&wg, waited) }()
		for {
			select {
			case <-returned:
				ggsynctest.Wait()
				select {
				case <-waited:
				default:
					ggReport(t, ggFailure{Message: "with no jobs at all (jobs closed before the worker started) the worker " +
						"returned, yet wg.Wait() did not return: the worker did not call wg.Done(), or called wg.Add itself " +
						"(the caller adds one per worker before starting it), so wg.Wait() would block forever", Hint: ggWPHintDone})
				}
				return
			case v, ok := <-results:
				if !ok {
					results = nil // judged by TestCore_DoesNotCloseResults
					continue
				}
				ggReport(t, ggFailure{Message: ggfmt.Sprintf("the worker sent a result (%d) although jobs was closed and empty "+
					"before it started: it reads zero values from the closed channel", v), Hint: ggWPHintClosed})
				return
			case <-ggtime.After(ggWPPatience):
				ggReport(t, ggFailure{Message: "jobs was closed and empty before the worker started, yet it had not returned " +
					"an hour (virtual time) later", Hint: ggWPHintClosed})
				return
			}
		}
	})
}

// Once the pool has finished (jobs closed, every result received, every
// worker returned), no goroutine the worker started may still be alive.
func TestRobust_NoGoroutineLeft(t *ggtesting.T) {
	ggWPBubble(t, true, func(t *ggtesting.T) {
		in := ggWPRange(1, 10)
		jobs := ggWPJobs(in, true)
		results := make(chan int)
		returned := ggWPStart(t, []int{1, 2}, jobs, results, ggWPSpareWG())
		if _, ok := ggWPCollect(t, jobs, in, results, returned); !ok {
			ggWPSettle(results, returned)
			return
		}
		if !ggWPSettle(results, returned) {
			ggReport(t, ggFailure{Message: "the pool never finished: the workers had not returned an hour (virtual time) " +
				"after jobs was closed and emptied, so they are themselves goroutines left behind", Hint: ggWPHintClosed})
			return
		}
		ggsynctest.Wait()
		if left := ggWPLeftovers(); len(left) > 0 {
			ggReport(t, ggFailure{Message: ggfmt.Sprintf("%d goroutine(s) started by the worker were still alive after the pool "+
				"had finished (jobs closed, every result received, every worker returned): a goroutine leak.\n%s",
				len(left), ggstrings.Join(left, "\n\n")), Hint: ggWPHintLeak})
		}
	})
}
