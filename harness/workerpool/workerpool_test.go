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
package solution_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"gograde.local/solution/kit"
)

const (
	// wpLimit is the real-time watchdog per test: a correct worker needs a
	// few milliseconds; only a busy loop gets near it.
	wpLimit = 2 * time.Second
	// wpPatience is the virtual time a silent worker is given before the
	// harness decides it is stuck (a tutorial worker sleeps 1s per job).
	wpPatience = time.Hour
	// wpDrain bounds how many stray results a teardown throws away, so a
	// worker that keeps sending zero values cannot keep the harness busy.
	wpDrain = 1000
)

const (
	wpHintDone     = "When may a worker call wg.Done(), and what does the caller do once wg.Wait() returns?"
	wpHintClosed   = "How does a worker notice that jobs was closed? What does a receive from a closed channel return?"
	wpHintOwnClose = "Who owns the results channel, and who should close it, when?"
	wpHintLeak     = "Which goroutines does your worker start, and what makes each of them exit?"
	wpHintWait     = "When no job is waiting yet, should a worker return or wait? What does a select with a default case do when no other case is ready?"
)

// wpBubble is kit.Bubble for this harness, with one difference: goroutines
// still blocked when the test body returns (synctest's "blocked goroutines
// remain" deadlock) are reported only when leaks is true. Only
// TestRobust_NoGoroutineLeft judges leftovers, so a leaking worker fails that
// test alone; every other test has already checked what it checks.
func wpBubble(t *testing.T, leaks bool, f func(t *testing.T)) {
	t.Helper()
	r, inTime, ok := kit.Supervise(t, wpLimit, f)
	switch {
	case !ok:
		return
	case !inTime:
		kit.Fail(t, "did not finish within %v of real time: a busy loop? (for example reading from the closed jobs channel forever, or a select with an empty default case)%s", wpLimit, kit.Stacks(r))
		return
	case r == nil:
		return
	}
	msg := fmt.Sprint(r)
	switch {
	case strings.Contains(msg, "blocked goroutines remain"):
		if leaks && !t.Failed() {
			kit.Report(t, kit.Failure{Message: "goroutines were still blocked after the pool had finished " +
				"(jobs closed, every result received, every worker returned): a goroutine leak (" + msg + ")" + kit.Stacks(r),
				Hint: wpHintLeak})
		}
	case strings.Contains(msg, "deadlock"):
		kit.Fail(t, "deadlock: every goroutine was blocked with nothing left to wake it (%s)%s", msg, kit.Stacks(r))
	default:
		kit.Fail(t, "%s", kit.PanicMessage(r))
	}
}

// wpProtect calls one worker and turns its panic into a failure that says
// which worker panicked and, for the usual cases, why.
func wpProtect(t *testing.T, id int, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		msg := fmt.Sprint(r)
		switch {
		case strings.Contains(msg, "negative WaitGroup counter"):
			kit.Report(t, kit.Failure{Message: fmt.Sprintf("worker %d panicked with %q: it called wg.Done() more than once; "+
				"each worker must call it exactly once, after its last send", id, msg), Hint: wpHintDone})
		case strings.Contains(msg, "closed channel"):
			kit.Report(t, kit.Failure{Message: fmt.Sprintf("worker %d panicked with %q: a worker closed the results channel "+
				"while other workers were still using it", id, msg), Hint: wpHintOwnClose})
		default:
			kit.Fail(t, "worker %d %s", id, kit.PanicMessage(r))
		}
	}()
	f()
}

// wpGo starts call(id) for every id, each in its own harness goroutine, and
// returns a channel closed once all of them have returned (or panicked).
func wpGo(t *testing.T, ids []int, call func(id int)) <-chan struct{} {
	returned := make(chan struct{})
	var hwg sync.WaitGroup
	for _, id := range ids {
		hwg.Add(1)
		go func() {
			defer hwg.Done()
			wpProtect(t, id, func() { call(id) })
		}()
	}
	go func() {
		hwg.Wait()
		close(returned)
	}()
	return returned
}

// wpStart starts worker(id, jobs, results, wg) for every id.
func wpStart(t *testing.T, ids []int, jobs chan int, results chan int, wg *sync.WaitGroup) <-chan struct{} {
	return wpGo(t, ids, func(id int) { worker(id, jobs, results, wg) })
}

// wpSpareWG returns a WaitGroup with a large count, for tests that do not
// judge wg.Done(): a worker calling Done too often must not panic there
// (TestCore_DoneCalledOnce and TestCore_WaitAfterLastResult judge it).
func wpSpareWG() *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	wg.Add(1 << 20)
	return wg
}

// wpWait calls wg.Wait() in a harness goroutine and returns a channel
// closed when it returns.
func wpWait(t *testing.T, wg *sync.WaitGroup) <-chan struct{} {
	waited := make(chan struct{})
	go func() {
		defer close(waited)
		defer func() {
			if r := recover(); r != nil {
				kit.Fail(t, "wg.Wait() panicked: %v (was wg.Done() called too often?)", r)
			}
		}()
		wg.Wait()
	}()
	return waited
}

// wpRelease calls wg.Done() on the candidate's behalf until the blocked
// wg.Wait() returns, so the bubble can end cleanly after a missing Done.
func wpRelease(wg *sync.WaitGroup, waited <-chan struct{}) {
	for i := 0; i < 100; i++ {
		synctest.Wait()
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

// wpJobs returns a channel buffered to hold every job, already filled.
func wpJobs(jobs []int, closed bool) chan int {
	ch := make(chan int, len(jobs))
	for _, j := range jobs {
		ch <- j
	}
	if closed {
		close(ch)
	}
	return ch
}

// wpCollect receives one result per job of in (the jobs queued on jobs for
// this collection). It stops early, reporting why, when the results channel
// is closed or when no result arrives for wpPatience of virtual time
// (distinguishing workers that took every job but sent too few results,
// workers that returned, and workers that are stuck).
func wpCollect(t *testing.T, jobs chan int, in []int, results chan int, returned <-chan struct{}) ([]int, bool) {
	t.Helper()
	return wpCollectPaced(t, jobs, in, results, returned, 0)
}

// wpCollectPaced is wpCollect with a slow consumer: it sleeps pace
// (virtual time) before each receive.
func wpCollectPaced(t *testing.T, jobs chan int, in []int, results chan int, returned <-chan struct{}, pace time.Duration) ([]int, bool) {
	t.Helper()
	n := len(in)
	paced := ""
	if pace > 0 {
		paced = fmt.Sprintf(" (the harness waited %v of virtual time before each receive: a slow consumer must "+
			"still get every result, so the send must wait as long as it takes)", pace)
	}
	got := make([]int, 0, n)
	gone := false
	for len(got) < n {
		if pace > 0 {
			time.Sleep(pace)
		}
		select {
		case v, ok := <-results:
			if !ok {
				kit.Report(t, kit.Failure{Message: fmt.Sprintf("the results channel was closed after %d of %d results: "+
					"a worker must never close results, the caller owns it", len(got), n), Hint: wpHintOwnClose})
				return got, false
			}
			got = append(got, v)
		case <-returned:
			gone, returned = true, nil // keep listening: results may still be in flight
		case <-time.After(wpPatience):
			switch {
			case gone && t.Failed():
				// a worker panicked: reported already
			case len(jobs) == 0:
				state := "and no result came for an hour (virtual time) since"
				if gone {
					state = "and every worker has returned"
				}
				kit.FailValues(t, fmt.Sprintf("all %d jobs were taken but only %d result(s) were sent, %s: jobs without a result: %s%s",
					n, len(got), state, wpFirst(wpMissing(in, got)), paced), n, len(got))
			case gone:
				kit.FailValues(t, fmt.Sprintf("every worker returned after sending only %d of the %d results: "+
					"a worker must keep reading jobs until the channel is closed%s", len(got), n, paced), n, len(got))
			default:
				kit.Fail(t, "no result for an hour (virtual time) after %d of %d results, with %d jobs still waiting to be "+
					"taken: the worker is stuck (blocked on something other than jobs and results?)%s%s", len(got), n, len(jobs), paced, wpStuck())
			}
			return got, false
		}
	}
	return got, true
}

// wpMissing lists the jobs of in that have no result job*2 in got (as
// multisets).
func wpMissing(in, got []int) []int {
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

// wpSettle waits (virtual time) for the workers to return, discarding a
// bounded number of stray results, and reports whether they returned. It
// reports nothing: tests that judge returning do so themselves.
func wpSettle(results chan int, returned <-chan struct{}) bool {
	drain := wpDrain
	for {
		select {
		case <-returned:
			return true
		case _, ok := <-results:
			if drain--; !ok || drain <= 0 {
				results = nil
			}
		case <-time.After(wpPatience):
			return false
		}
	}
}

// wpDoubled returns job*2 for every job, in order.
func wpDoubled(jobs []int) []int {
	out := make([]int, len(jobs))
	for i, j := range jobs {
		out[i] = j * 2
	}
	return out
}

// wpRange returns the ints from..to inclusive.
func wpRange(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

// wpFirst formats at most the first 10 values of a list.
func wpFirst(vs []int) string {
	if len(vs) > 10 {
		return fmt.Sprintf("%v... (%d in all)", vs[:10], len(vs))
	}
	return fmt.Sprint(vs)
}

// wpBubbleRE finds the bubble id in a goroutine header such as
// "goroutine 18 [chan receive (durable), synctest bubble 1]:".
var wpBubbleRE = regexp.MustCompile(`synctest bubble (\d+)[,\]]`)

func wpStacks(all bool) string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, all)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// wpLeftovers lists the stacks of the goroutines of the caller's bubble
// other than the caller and synctest's own. Call it after synctest.Wait()
// once every harness goroutine has exited.
func wpLeftovers() []string {
	self := wpStacks(false)
	selfHeader, _, _ := strings.Cut(self, "\n")
	m := wpBubbleRE.FindStringSubmatch(selfHeader)
	fields := strings.Fields(selfHeader)
	if m == nil || len(fields) < 2 {
		return nil
	}
	var out []string
	for _, g := range strings.Split(wpStacks(true), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		mm := wpBubbleRE.FindStringSubmatch(header)
		if mm == nil || mm[1] != m[1] || strings.HasPrefix(header, "goroutine "+fields[1]+" ") {
			continue
		}
		if strings.Contains(g, "internal/synctest.Run(") || strings.Contains(g, "testing/synctest.") {
			continue
		}
		lines := strings.Split(strings.TrimSpace(g), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "\t") { // "\t/tmp/x/solution.go:15 +0x5f" -> "\tsolution.go:15"
				l, _, _ = strings.Cut(l, " +0x")
				lines[i] = "\t" + l[strings.LastIndex(l, "/")+1:]
			}
		}
		if len(lines) > 11 {
			lines = append(lines[:11], "\t...")
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return out
}

// wpStuck is the stacks of the bubble's other goroutines (the workers
// among them) as further lines of a message about a worker that stopped
// making progress: gograde marks the line the worker is blocked at.
func wpStuck() string {
	left := wpLeftovers()
	if len(left) == 0 {
		return ""
	}
	return "\n" + strings.Join(left, "\n\n")
}

// wpDrawJobs draws n distinct jobs in -1e6..1e6 for this run.
func wpDrawJobs(rng *rand.Rand, n int) []int {
	seen := map[int]bool{}
	jobs := make([]int, 0, n)
	for len(jobs) < n {
		j := rng.IntN(2_000_001) - 1_000_000
		if !seen[j] {
			seen[j] = true
			jobs = append(jobs, j)
		}
	}
	return jobs
}

// wpDrawIDs draws n distinct worker ids in 1..1000 for this run.
func wpDrawIDs(rng *rand.Rand, n int) []int {
	ids := wpDrawJobs(rng, n)
	for i := range ids {
		ids[i] = 1 + (ids[i]+1_000_000)%1000
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	return ids
}

// wpDrawnNote shows a drawn job set and worker ids on a line of its own.
func wpDrawnNote(in, ids []int) string {
	return fmt.Sprintf("\nworker ids %v and jobs %v, drawn for this run", ids, in)
}

// One worker keeps the order of the jobs and doubles each one. The jobs are
// queued before the worker starts, so a worker that sends from goroutines of
// its own scrambles the order. A fixed job list, then one drawn for this run
// (1..60 jobs, values and the worker's id drawn).
func TestCore_SingleWorkerInOrder(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpSingleInOrder(t, []int{3, 1, 4, 1, 5, 9, 2, 6, -5, 0, 35, 8, 97, 93, 2, 38, 46, 26, 43, 383}, 1, "")
		if t.Failed() {
			return
		}
		rng := kit.Rand(t)
		in, id := wpDrawJobs(rng, 1+rng.IntN(60)), 1+rng.IntN(1000)
		wpSingleInOrder(t, in, id, wpDrawnNote(in, []int{id}))
		if t.Failed() {
			kit.Fail(t, "the case that failed above was drawn for this run%s", wpDrawnNote(in, []int{id}))
		}
	})
}

func wpSingleInOrder(t *testing.T, in []int, id int, note string) {
	wpBubble(t, false, func(t *testing.T) {
		jobs := wpJobs(in, false)
		results := make(chan int)
		returned := wpStart(t, []int{id}, jobs, results, wpSpareWG())
		got, ok := wpCollect(t, jobs, in, results, returned)
		want := wpDoubled(in)
		if ok && !slices.Equal(got, want) {
			sortedGot, sortedWant := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
			if slices.Equal(sortedGot, sortedWant) {
				kit.FailValues(t, "one worker must send its results in the order it received the jobs"+note, want, got)
			} else {
				kit.FailValues(t, "wrong results: each result must be job*2, in job order"+note, want, got)
			}
		}
		close(jobs)
		wpSettle(results, returned)
	})
}

// Several workers share the jobs: every job is processed exactly once.
// Workers 2..5 with jobs 1..100, then 2..6 workers with ids and 1..150 jobs
// drawn for this run.
func TestCore_SeveralWorkersEachJobOnce(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpSeveralEachOnce(t, wpRange(1, 100), []int{2, 3, 4, 5}, "4 workers, jobs 1..100", "")
		if t.Failed() {
			return
		}
		rng := kit.Rand(t)
		in, ids := wpDrawJobs(rng, 1+rng.IntN(150)), wpDrawIDs(rng, 2+rng.IntN(5))
		wpSeveralEachOnce(t, in, ids, "several workers, jobs drawn for this run", wpDrawnNote(in, ids))
		if t.Failed() {
			kit.Fail(t, "the case that failed above was drawn for this run%s", wpDrawnNote(in, ids))
		}
	})
}

func wpSeveralEachOnce(t *testing.T, in, ids []int, what, note string) {
	wpBubble(t, false, func(t *testing.T) {
		jobs := wpJobs(in, true)
		results := make(chan int)
		returned := wpStart(t, ids, jobs, results, wpSpareWG())
		got, ok := wpCollect(t, jobs, in, results, returned)
		if !ok {
			wpSettle(results, returned)
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
				synctest.Wait()
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
			case <-time.After(wpPatience):
				done = true // not returning is judged by TestCore_ReturnsWhenJobsClosed
			}
		}
		want := slices.Sorted(slices.Values(wpDoubled(in)))
		slices.Sort(got)
		if !slices.Equal(got, want) {
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
			slices.Sort(wrong)
			var problems []string
			if len(wrong) > 0 {
				problems = append(problems, "values that are not job*2 for any job: "+wpFirst(wrong))
			}
			if len(twice) > 0 {
				problems = append(problems, "jobs with more than one result: "+wpFirst(twice))
			}
			if len(missing) > 0 {
				problems = append(problems, "jobs with no result: "+wpFirst(missing))
			}
			kit.FailValues(t, fmt.Sprintf("%s: every job must give exactly one result job*2 (%s)%s",
				what, strings.Join(problems, "; "), note), want, got)
		}
		wpSettle(results, returned)
	})
}

// wg.Wait() must not return before every result has been sent: the caller
// closes results as soon as Wait returns. With results unbuffered, a send is
// complete only when the harness has received it, so at every quiet moment
// (synctest.Wait) the harness checks that Wait has not returned early.
func TestCore_WaitAfterLastResult(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpWaitAfterLastResult(t, "", wpStart)
	})
}

// wpWaitAfterLastResult runs three workers (ids 2, 3, 4) started by start on
// 30 jobs and checks at every quiet moment that wg.Wait() has not returned
// while a result is still unsent. who names the function in messages ("" for
// worker).
func wpWaitAfterLastResult(t *testing.T, who string, start func(t *testing.T, ids []int, jobs chan int, results chan int, wg *sync.WaitGroup) <-chan struct{}) {
	prefix := ""
	if who != "" {
		prefix = who + ": "
	}
	wpBubble(t, false, func(t *testing.T) {
		const n = 30
		in := wpRange(1, n)
		jobs := wpJobs(in, true)
		results := make(chan int)
		var wg sync.WaitGroup
		wg.Add(3)
		returned := start(t, []int{2, 3, 4}, jobs, results, &wg)
		waited := wpWait(t, &wg)
		defer func() { wpSettle(results, returned); wpRelease(&wg, waited) }()
		got := 0
		var vals []int
		for got < n {
			synctest.Wait()
			select {
			case <-waited:
				pending := false
				select {
				case _, ok := <-results:
					pending = ok
				default:
				}
				if pending {
					kit.Report(t, kit.Failure{Message: fmt.Sprintf(prefix+"wg.Wait() returned while a result was still waiting to be sent "+
						"(%d of %d results received so far): wg.Done() must come after the worker's last send, "+
						"and the worker must not leave sends to goroutines of its own", got, n), Hint: wpHintDone})
				} else if len(jobs) == 0 {
					kit.FailValues(t, fmt.Sprintf(prefix+"wg.Wait() returned after only %d of %d results, although all %d jobs were "+
						"taken: jobs without a result: %s", got, n, n, wpFirst(wpMissing(in, vals))), n, got)
				} else {
					kit.FailValues(t, fmt.Sprintf(prefix+"wg.Wait() returned after only %d of %d results, with %d jobs never taken",
						got, n, len(jobs)), n, got)
				}
				return
			default:
			}
			select {
			case v, ok := <-results:
				if !ok {
					kit.Report(t, kit.Failure{Message: fmt.Sprintf(prefix+"the results channel was closed after %d of %d results: "+
						"a worker must never close results, the caller owns it", got, n), Hint: wpHintOwnClose})
					return
				}
				got++
				vals = append(vals, v)
			case <-waited: // judged at the top of the loop, once all is quiet
			case <-time.After(wpPatience):
				select {
				case <-returned:
					taken := ""
					if len(jobs) == 0 {
						taken = fmt.Sprintf(" (all %d jobs were taken: jobs without a result: %s)", n, wpFirst(wpMissing(in, vals)))
					}
					kit.FailValues(t, fmt.Sprintf(prefix+"every worker returned after sending only %d of the %d results%s, "+
						"and wg.Wait() has not returned", got, n, taken), n, got)
				default:
					kit.Fail(t, prefix+"no result for an hour (virtual time) after %d of %d results, and wg.Wait() has not returned%s", got, n, wpStuck())
				}
				return
			}
		}
		select {
		case <-waited:
		case <-time.After(wpPatience):
			kit.Report(t, kit.Failure{Message: fmt.Sprintf(prefix+"all %d results were received, yet wg.Wait() had not returned an hour "+
				"(virtual time) later: each worker must call wg.Done() once, when it has finished, and must not call wg.Add "+
				"itself (the caller adds one per worker before starting it)", n), Hint: wpHintDone})
		}
	})
}

// Each worker calls wg.Done() exactly once: Wait returns once the worker has
// returned, and Done is not called again (negative counter panic).
func TestCore_DoneCalledOnce(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpBubble(t, false, func(t *testing.T) {
			const n = 5
			in := wpRange(1, n)
			jobs := wpJobs(in, true)
			results := make(chan int)
			var wg sync.WaitGroup
			wg.Add(1)
			returned := wpStart(t, []int{1}, jobs, results, &wg)
			waited := wpWait(t, &wg)
			defer func() { wpSettle(results, returned); wpRelease(&wg, waited) }()
			if _, ok := wpCollect(t, jobs, in, results, returned); !ok {
				wpSettle(results, returned)
				return
			}
			if !wpSettle(results, returned) {
				kit.Report(t, kit.Failure{Message: "the worker never returned after jobs was closed and emptied, " +
					"so it never reached wg.Done()", Hint: wpHintClosed})
				return
			}
			synctest.Wait()
			select {
			case <-waited:
			default:
				kit.Report(t, kit.Failure{Message: "the worker returned, yet wg.Wait() did not return: the worker did not call wg.Done(), " +
					"or called wg.Add itself (the caller adds one per worker before starting it), so wg.Wait() would block forever",
					Hint: wpHintDone})
			}
		})
	})
}

// wpLongIdle is how long (virtual time) TestCore_ReturnsWhenJobsClosed
// leaves jobs open and empty at most, and wpMinIdle how long at least. A
// worker that polls jobs (say every 10ms) makes virtual time cost real time,
// so past wpMinIdle the idle period also ends once it has taken
// wpIdleBudget of real time. A worker that waits on channels or timers
// (every worker that gives up after a timeout) gets through the whole
// wpLongIdle in well under a millisecond.
const (
	wpLongIdle   = 48 * time.Hour
	wpMinIdle    = time.Hour
	wpIdleBudget = 250 * time.Millisecond
)

// wpPacedGaps are the pauses (virtual time) before each job of
// wpJobsOneAtATime: short enough that a worker with an idle timeout of
// minutes still passes here (TestCore_ReturnsWhenJobsClosed's long idle
// period judges that).
var wpPacedGaps = []time.Duration{time.Second, 10 * time.Second, time.Second, time.Minute, 5 * time.Second}

// wpJobsOneAtATime gives one worker, started by start, jobs one at a time on
// an unbuffered channel, each after a pause, with no cancellation: the
// worker is waiting on an empty jobs channel before every job, as it is
// whenever a producer is slower than the pool. A worker whose receive gives
// up when no job is waiting (a select with a default case) returns before
// the first job, and a producer would block forever. It reports whether the
// worker passed; what happens after jobs is closed is left to the caller's
// other checks. who names the function in messages ("" for worker).
func wpJobsOneAtATime(t *testing.T, who string, start func(t *testing.T, ids []int, jobs chan int, results chan int, wg *sync.WaitGroup) <-chan struct{}) bool {
	t.Helper()
	name := "worker"
	if who != "" {
		name = who
	}
	passed := true
	wpBubble(t, false, func(t *testing.T) {
		in := []int{6, -1, 14, 0, 9}
		jobs := make(chan int) // unbuffered: a send completes only when the worker takes the job
		results := make(chan int)
		returned := start(t, []int{1}, jobs, results, wpSpareWG())
		defer func() {
			close(jobs)
			wpSettle(results, returned)
		}()
		scene := fmt.Sprintf("jobs is unbuffered and the harness sends %d jobs one at a time, pausing %v (virtual time) before each",
			len(in), wpPacedGaps)
		early := func(sent int, where string) {
			passed = false
			kit.Report(t, kit.Failure{Message: fmt.Sprintf("%s returned %s, after %d of %d jobs, although jobs was still open: %s. "+
				"A worker must wait for the next job until jobs is closed; one that returns when no job is waiting at that moment "+
				"(a select with a default case?) leaves a producer blocked forever", name, where, sent, len(in), scene),
				Hint: wpHintWait})
		}
		// Only whether each job is taken and answered is judged here: the
		// values are TestCore_SingleWorkerInOrder's subject.
		for i, j := range in {
			select {
			case <-returned:
				early(i, "while waiting for the next job")
				return
			case <-time.After(wpPacedGaps[i]):
			}
			select {
			case jobs <- j:
			case <-returned:
				early(i, "while waiting for the next job")
				return
			case <-time.After(wpPatience):
				passed = false
				kit.Fail(t, "%s did not take job %d of %d for an hour (virtual time): %s", name, i+1, len(in), scene)
				return
			}
			select {
			case _, ok := <-results:
				if !ok {
					passed = false
					kit.Report(t, kit.Failure{Message: name + " closed the results channel: the caller owns it", Hint: wpHintOwnClose})
					return
				}
			case <-returned:
				early(i+1, "without sending the result of the job it took")
				return
			case <-time.After(wpPatience):
				passed = false
				kit.Fail(t, "%s took job %d of %d but sent no result for an hour (virtual time): %s%s", name, i+1, len(in), scene, wpStuck())
				return
			}
		}
	})
	return passed && !t.Failed()
}

// The worker keeps waiting while jobs is open: when jobs come one at a time
// on an unbuffered channel, and when it is empty for a long time (two days),
// still takes a job sent after that, and returns once jobs is closed,
// sending nothing more.
func TestCore_ReturnsWhenJobsClosed(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// First the jobs come one at a time on an unbuffered channel, so the
		// worker meets an empty jobs channel before each of them.
		if !wpJobsOneAtATime(t, "", wpStart) {
			return
		}
		// A real-time deadline, kept outside the bubble (inside it, time is
		// virtual): closing begin starts it, and budget is closed once it has
		// passed. The bubble only closes begin and polls budget without
		// blocking, so it never waits on either.
		begin, budget := make(chan struct{}), make(chan struct{})
		var beginOnce sync.Once
		start := func() { beginOnce.Do(func() { close(begin) }) }
		go func() {
			<-begin
			time.Sleep(wpIdleBudget)
			close(budget)
		}()
		defer start() // the goroutine above ends whatever happened in the bubble
		wpBubble(t, false, func(t *testing.T) {
			jobs := make(chan int, 3)
			results := make(chan int)
			returned := wpStart(t, []int{1}, jobs, results, wpSpareWG())
			taken := 0
			// earlyReturn reports a worker that returned while jobs was open.
			earlyReturn := func(idle string) {
				kit.Report(t, kit.Failure{Message: fmt.Sprintf("the worker returned after %d jobs although jobs was still open "+
					"(%s): it must keep reading until jobs is closed, however long no job comes", taken, idle),
					Hint: wpHintClosed})
				close(jobs)
			}
			for round := 0; round < 2; round++ {
				in := []int{10*round + 1, 10*round + 2, 10*round + 3}
				for _, j := range in {
					jobs <- j
				}
				if _, ok := wpCollect(t, jobs, in, results, returned); !ok {
					close(jobs)
					wpSettle(results, returned)
					return
				}
				taken += len(in)
				select {
				case <-returned:
					earlyReturn("only empty for the moment")
					return
				case <-time.After(10 * time.Minute):
				}
			}
			// A long idle period, an hour at a time.
			idleFrom := time.Now()
			start()
			for idle := time.Duration(0); idle < wpLongIdle; {
				select {
				case <-returned:
					earlyReturn(fmt.Sprintf("it had been empty for %v", time.Since(idleFrom)+10*time.Minute))
					return
				case <-time.After(time.Hour):
					idle += time.Hour
				}
				if idle >= wpMinIdle {
					select {
					case <-budget:
						idle = wpLongIdle
					default:
					}
				}
			}
			// Still receiving: a job after the idle period gets its result.
			in := []int{77}
			jobs <- in[0]
			// (The value is judged by TestCore_SingleWorkerInOrder.)
			if _, ok := wpCollect(t, jobs, in, results, returned); !ok {
				close(jobs)
				wpSettle(results, returned)
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
					kit.Report(t, kit.Failure{Message: fmt.Sprintf("the worker sent a result (%d) after jobs was closed and all 7 jobs were done: "+
						"it keeps reading zero values from the closed channel", v), Hint: wpHintClosed})
					return
				case <-time.After(wpPatience):
					kit.Report(t, kit.Failure{Message: "the worker had not returned an hour (virtual time) after jobs was closed",
						Hint: wpHintClosed})
					return
				}
			}
		})
	})
}

// A slow consumer: the harness waits 10 seconds (virtual time) before each
// receive. The worker must wait on its send as long as it takes; a worker
// that gives up on a send after a timeout loses results. Every job must give
// a result.
func TestCore_SlowConsumer(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpBubble(t, false, func(t *testing.T) {
			in := []int{4, 8, 15, 16, 23, 42}
			jobs := wpJobs(in, true)
			results := make(chan int)
			returned := wpStart(t, []int{1}, jobs, results, wpSpareWG())
			// Only the count is judged here: the values and their order are
			// judged by TestCore_SingleWorkerInOrder.
			wpCollectPaced(t, jobs, in, results, returned, 10*time.Second)
			wpSettle(results, returned)
		})
	})
}

// The worker must not close results: the caller owns it (other workers may
// still be sending on it).
func TestCore_DoesNotCloseResults(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpBubble(t, false, func(t *testing.T) {
			jobs := wpJobs([]int{1, 2, 3}, true)
			results := make(chan int)
			returned := wpStart(t, []int{1}, jobs, results, wpSpareWG())
			got := 0
			for got < 3 {
				select {
				case _, ok := <-results:
					if !ok {
						kit.Report(t, kit.Failure{Message: fmt.Sprintf("the worker closed the results channel (after %d results): "+
							"results belongs to the caller, who closes it after wg.Wait(); with several workers "+
							"the others would panic sending on it", got), Hint: wpHintOwnClose})
						return
					}
					got++
				case <-time.After(wpPatience):
					if got == 0 {
						kit.Fail(t, "the worker sent no result at all for 3 jobs, so there was nothing to check")
					}
					return // a worker that stops early is judged by the other tests
				}
			}
			wpSettle(results, returned)
			synctest.Wait()
			select {
			case _, ok := <-results:
				if !ok {
					kit.Report(t, kit.Failure{Message: "the worker closed the results channel when it finished: results belongs to " +
						"the caller, who closes it after wg.Wait(); with several workers the others would panic sending on it",
						Hint: wpHintOwnClose})
				}
			default:
			}
		})
	})
}

// jobs is already closed (and empty) when the worker starts: it returns at
// once, sends nothing and still calls wg.Done() once.
func TestRobust_JobsClosedBeforeStart(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpBubble(t, false, func(t *testing.T) {
			jobs := make(chan int)
			close(jobs)
			results := make(chan int)
			var wg sync.WaitGroup
			wg.Add(1)
			returned := wpStart(t, []int{1}, jobs, results, &wg)
			waited := wpWait(t, &wg)
			defer func() { wpSettle(results, returned); wpRelease(&wg, waited) }()
			for {
				select {
				case <-returned:
					synctest.Wait()
					select {
					case <-waited:
					default:
						kit.Report(t, kit.Failure{Message: "with no jobs at all (jobs closed before the worker started) the worker " +
							"returned, yet wg.Wait() did not return: the worker did not call wg.Done(), or called wg.Add itself " +
							"(the caller adds one per worker before starting it), so wg.Wait() would block forever", Hint: wpHintDone})
					}
					return
				case v, ok := <-results:
					if !ok {
						results = nil // judged by TestCore_DoesNotCloseResults
						continue
					}
					kit.Report(t, kit.Failure{Message: fmt.Sprintf("the worker sent a result (%d) although jobs was closed and empty "+
						"before it started: it reads zero values from the closed channel", v), Hint: wpHintClosed})
					return
				case <-time.After(wpPatience):
					kit.Report(t, kit.Failure{Message: "jobs was closed and empty before the worker started, yet it had not returned " +
						"an hour (virtual time) later", Hint: wpHintClosed})
					return
				}
			}
		})
	})
}

// Once the pool has finished (jobs closed, every result received, every
// worker returned), no goroutine the worker started may still be alive.
func TestRobust_NoGoroutineLeft(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		wpBubble(t, true, func(t *testing.T) {
			in := wpRange(1, 10)
			jobs := wpJobs(in, true)
			results := make(chan int)
			returned := wpStart(t, []int{1, 2}, jobs, results, wpSpareWG())
			if _, ok := wpCollect(t, jobs, in, results, returned); !ok {
				wpSettle(results, returned)
				return
			}
			if !wpSettle(results, returned) {
				kit.Report(t, kit.Failure{Message: "the pool never finished: the workers had not returned an hour (virtual time) " +
					"after jobs was closed and emptied, so they are themselves goroutines left behind", Hint: wpHintClosed})
				return
			}
			synctest.Wait()
			if left := wpLeftovers(); len(left) > 0 {
				kit.Report(t, kit.Failure{Message: fmt.Sprintf("%d goroutine(s) started by the worker were still alive after the pool "+
					"had finished (jobs closed, every result received, every worker returned): a goroutine leak.\n%s",
					len(left), strings.Join(left, "\n\n")), Hint: wpHintLeak})
			}
		})
	})
}
