package solution_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gograde.local/solution/kit"
)

// retryLimit is the real-time watchdog for one bubble: a correct solution
// finishes each bubble in a few milliseconds, whatever the virtual waits.
const retryLimit = 2 * time.Second

// retryOp is a scripted operation: it records the virtual time of every
// call and returns the error planned for that call (nil means success).
type retryOp struct {
	mu    sync.Mutex
	plan  func(call int) error // call counts from 1
	calls []time.Time
	errs  []error
}

func newRetryOp(plan func(call int) error) *retryOp {
	return &retryOp{plan: plan}
}

func (o *retryOp) op() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, time.Now())
	err := o.plan(len(o.calls))
	o.errs = append(o.errs, err)
	return err
}

func (o *retryOp) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.calls)
}

func (o *retryOp) times() []time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]time.Time(nil), o.calls...)
}

// lastErr is the error returned by the most recent call, nil if none.
func (o *retryOp) lastErr() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.errs) == 0 {
		return nil
	}
	return o.errs[len(o.errs)-1]
}

// attemptErr is a distinct error value per call, so a test can tell which
// call's error the candidate's result wraps.
type attemptErr struct{ call int }

func (e *attemptErr) Error() string { return fmt.Sprintf("operation failed (call %d)", e.call) }

// failUntil fails calls 1..k-1 with a distinct error each and succeeds
// from call k on; k <= 0 means every call fails.
func failUntil(k int) func(int) error {
	return func(call int) error {
		if k > 0 && call >= k {
			return nil
		}
		return &attemptErr{call: call}
	}
}

// retryFail reports a failure whose expected and actual values are
// already human-readable descriptions (shown without Go quoting).
func retryFail(t *testing.T, message, expected, actual string) {
	t.Helper()
	kit.Report(t, kit.Failure{Message: message, Kind: "text", Expected: expected, Actual: actual})
}

// errText describes a returned error for a failure report.
func errText(err error) string {
	if err == nil {
		return "nil"
	}
	return fmt.Sprintf("error %q", err.Error())
}

// gapsBetween returns the virtual time between consecutive calls.
func gapsBetween(times []time.Time) []time.Duration {
	var gaps []time.Duration
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, times[i].Sub(times[i-1]))
	}
	return gaps
}

func formatGaps(gaps []time.Duration) string {
	if len(gaps) == 0 {
		return "(no waits: fewer than two calls)"
	}
	parts := make([]string, len(gaps))
	for i, g := range gaps {
		parts[i] = g.String()
	}
	return strings.Join(parts, ", ")
}

// expectedGaps describes the accepted window of each of n waits.
func expectedGaps(n int) string {
	parts := make([]string, n)
	for i := range parts {
		base := time.Duration(1<<i) * time.Second
		parts[i] = fmt.Sprintf("%v..%v", base, base+base/2)
	}
	return strings.Join(parts, ", ")
}

// checkSchedule checks that wait i lies in [2^i s, 1.5 * 2^i s] (exponential
// backoff from 1 s, with up to +50% jitter allowed). At least minGaps waits
// must have been observed. It reports at most one failure and returns whether
// the schedule was accepted.
func checkSchedule(t *testing.T, what string, times []time.Time, minGaps int) bool {
	t.Helper()
	gaps := gapsBetween(times)
	if len(gaps) < minGaps {
		kit.Fail(t, "%s: needed at least %d calls to measure the backoff schedule, but the operation was called %d time(s)",
			what, minGaps+1, len(times))
		return false
	}
	for i, g := range gaps {
		base := time.Duration(1<<i) * time.Second
		if g < base || g > base+base/2 {
			retryFail(t, fmt.Sprintf("%s: wait %d between calls %d and %d was %v, expected between %v and %v "+
				"(exponential backoff: 1s, 2s, 4s, 8s, ... each doubling, up to +50%% jitter allowed)",
				what, i+1, i+1, i+2, g, base, base+base/2),
				expectedGaps(len(gaps)), formatGaps(gaps))
			return false
		}
	}
	return true
}

// scheduleRuns is how many independent runs the schedule tests measure.
// Jitter makes one run a weak sample: with jitter uniform in [0%, 60%) a wait
// exceeds the +50% bound with probability 1/6, so five waits of a single run
// all look fine about 40% of the time, but 40 runs of five waits (200 waits)
// all look fine with probability (5/6)^200, about 1e-16. Each run is instant
// in virtual time.
const scheduleRuns = 40

// repeatSchedule runs one schedule measurement as runs first..scheduleRuns
// (run returns the virtual call times and false if the candidate panicked)
// and stops at the first run whose waits leave their windows.
func repeatSchedule(t *testing.T, describe func() string, first, minGaps int, run func() ([]time.Time, bool)) {
	t.Helper()
	for r := first; r <= scheduleRuns; r++ {
		times, ok := run()
		if !ok {
			return
		}
		what := describe() // the run just measured
		label := what
		if r > 1 {
			label = fmt.Sprintf("%s, run %d of %d (the earlier runs fitted, so the waits differ from run to run: random jitter past +50%%?)", what, r, scheduleRuns)
		}
		if !checkSchedule(t, label, times, minGaps) {
			return
		}
	}
}

// runRetry calls Retry inside the current bubble and returns its error, the
// virtual time it took, and whether it returned without panicking.
func runRetry(t *testing.T, op *retryOp, attempts int) (err error, start, end time.Time, ok bool) {
	t.Helper()
	start = time.Now()
	ok = kit.Protect(t, func() { err = Retry(op.op, attempts) })
	end = time.Now()
	return err, start, end, ok
}

func TestCore_SuccessFirstTry(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// attempts = 1 is the smallest budget that allows a call: it must be
		// made like any other.
		for _, attempts := range []int{5, 1} {
			if !kit.Bubble(t, retryLimit, func(t *testing.T) {
				op := newRetryOp(failUntil(1))
				err, start, end, ok := runRetry(t, op, attempts)
				if !ok {
					return
				}
				if err != nil {
					retryFail(t, fmt.Sprintf("Retry(op, %d) returned an error although the operation succeeded on the first call", attempts), "nil", errText(err))
				}
				if n := op.count(); n != 1 {
					kit.FailValues(t, fmt.Sprintf("Retry(op, %d): the operation succeeded on the first call, so it must be called exactly once", attempts), 1, n)
				}
				if d := end.Sub(start); d != 0 {
					retryFail(t, fmt.Sprintf("Retry(op, %d) waited although the first call succeeded (virtual time spent in Retry)", attempts), "0s", d.String())
				}
			}) {
				return
			}
		}
	})
}

func TestCore_SuccessOnCallK(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		cases := []struct{ k, attempts int }{
			{3, 5}, // succeeds part-way through
			{4, 4}, // succeeds on the very last allowed attempt
		}
		// Drawn for this run: 5..10 attempts, success on call 2..attempts.
		rng := kit.Rand(t)
		for range 6 {
			attempts := 5 + rng.IntN(6)
			cases = append(cases, struct{ k, attempts int }{2 + rng.IntN(attempts-1), attempts})
		}
		for _, c := range cases {
			// Stop at the first failing case: one is enough to show the mistake,
			// and a busy-waiting solution would cost a watchdog period per case.
			if !kit.Bubble(t, retryLimit, func(t *testing.T) {
				op := newRetryOp(failUntil(c.k))
				err, _, _, ok := runRetry(t, op, c.attempts)
				if !ok {
					return
				}
				n := op.count()
				if err != nil {
					retryFail(t, fmt.Sprintf("Retry(op, %d) with an operation that fails %d time(s) then succeeds on call %d: expected nil (success), got an error after %d call(s)",
						c.attempts, c.k-1, c.k, n), "nil", errText(err))
				}
				if n != c.k {
					kit.FailValues(t, fmt.Sprintf("Retry(op, %d): the operation succeeds on call %d, so it must be called exactly %d times: no fewer, and no more after the success",
						c.attempts, c.k, c.k), c.k, n)
				}
			}) {
				return
			}
		}
	})
}

func TestCore_Exhaustion(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// 4 and 1 attempts, then 5..10 drawn for this run.
		budgets := []int{4, 1}
		rng := kit.Rand(t)
		for range 4 {
			budgets = append(budgets, 5+rng.IntN(6))
		}
		for _, attempts := range budgets {
			if !kit.Bubble(t, retryLimit, func(t *testing.T) {
				op := newRetryOp(failUntil(0))
				err, _, _, ok := runRetry(t, op, attempts)
				if !ok {
					return
				}
				if n := op.count(); n != attempts {
					kit.FailValues(t, fmt.Sprintf("Retry(op, %d) with an operation that always fails must call it exactly %d time(s)", attempts, attempts), attempts, n)
				}
				if err == nil {
					retryFail(t, fmt.Sprintf("Retry(op, %d) returned nil although every call failed: it must return an error after the attempts are used up", attempts),
						"a non-nil error", "nil")
				}
			}) {
				return
			}
		}
	})
}

func TestCore_ExponentialSchedule(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		kit.Bubble(t, retryLimit, func(t *testing.T) {
			// Only the schedule is judged here (the call count is judged by
			// TestCore_Exhaustion): every observed wait must fit its window and at
			// least four waits are needed to tell exponential from linear. The
			// measurement is repeated so that jitter past +50% cannot slip through
			// on a lucky run.
			// The first run uses 6 attempts; each later one 6..10 drawn for
			// this run (at least five waits each, four even for a loop that
			// stops one call short: that mistake is TestCore_Exhaustion's).
			rng := kit.Rand(t)
			attempts, next := 0, 6
			describe := func() string {
				return fmt.Sprintf("Retry(op, %d) with an operation that always fails", attempts)
			}
			repeatSchedule(t, describe, 1, 4, func() ([]time.Time, bool) {
				attempts, next = next, 6+rng.IntN(5)
				op := newRetryOp(failUntil(0))
				_, _, _, ok := runRetry(t, op, attempts)
				return op.times(), ok
			})
		})
	})
}

func TestRobust_NoWaitAfterFinalFailure(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		kit.Bubble(t, retryLimit, func(t *testing.T) {
			op := newRetryOp(failUntil(0))
			_, _, end, ok := runRetry(t, op, 3)
			if !ok {
				return
			}
			times := op.times()
			if len(times) == 0 {
				kit.Fail(t, "Retry(op, 3) never called the operation")
				return
			}
			if d := end.Sub(times[len(times)-1]); d != 0 {
				kit.Report(t, kit.Failure{
					Message: fmt.Sprintf("Retry(op, 3) waited %v after the final failed call before returning: there is nothing left to retry, so it should return at once", d),
					Kind:    "text", Expected: "0s", Actual: d.String(),
					Hint: "What does the caller gain from the wait after the last attempt?",
				})
			}
		})
	})
}

func TestRobust_WrapsLastError(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		kit.Bubble(t, retryLimit, func(t *testing.T) {
			// Every call fails with its own error value; the result must wrap the
			// error of the last call actually made.
			op := newRetryOp(failUntil(0))
			err, _, _, ok := runRetry(t, op, 3)
			if !ok {
				return
			}
			last := op.lastErr()
			if last == nil {
				kit.Fail(t, "Retry(op, 3) never called the operation")
				return
			}
			if err == nil {
				retryFail(t, "Retry(op, 3) returned nil although every call failed, so there is no error to inspect",
					fmt.Sprintf("an error wrapping %q", last.Error()), "nil")
				return
			}
			if !errors.Is(err, last) {
				kit.Report(t, kit.Failure{
					Message: fmt.Sprintf("the returned error does not wrap the last error the operation returned: errors.Is(err, lastErr) is false (use %%w, or return the error itself); last error was %q", last.Error()),
					Kind:    "text", Expected: fmt.Sprintf("an error wrapping %q", last.Error()), Actual: errText(err),
					Hint: "How would a caller check why the operation finally failed?",
				})
			}
		})
	})
}

func TestRobust_ZeroAttempts(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		for _, attempts := range []int{0, -1} {
			if !kit.Bubble(t, retryLimit, func(t *testing.T) {
				// The operation succeeds so that even a solution that calls it
				// anyway stops at once; only the call count is judged. The
				// contract does not say what to return here, so nil and an
				// error are both accepted.
				op := newRetryOp(failUntil(1))
				if _, _, _, ok := runRetry(t, op, attempts); !ok {
					return
				}
				if n := op.count(); n != 0 {
					kit.FailValues(t, fmt.Sprintf("Retry(op, %d): with no attempts allowed the operation must not be called", attempts), 0, n)
				}
			}) {
				return
			}
		}
	})
}

// Nothing in the contract stops two goroutines from retrying at once, each
// with its own operation: Retry must keep no state shared between calls
// (a package-level *rand.Rand, counter or delay races under -race, and the
// race fails this test). Callers, budgets and the call each operation
// succeeds on are drawn for this run; every caller is judged on its own
// call count and result.
func TestRobust_ConcurrentCallers(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		rng := kit.Rand(t)
		type caller struct {
			k, attempts int // k: the call that succeeds, 0 for never
			op          *retryOp
			err         error
			ok          bool
		}
		// Every first call fails, so every caller waits at least once and
		// all of them start waiting at the same moment. The first caller
		// always fails, the second succeeds on its last allowed call, the
		// others are drawn.
		callers := make([]*caller, 3+rng.IntN(6))
		for i := range callers {
			c := &caller{attempts: 2 + rng.IntN(5)}
			switch {
			case i == 1:
				c.k = c.attempts
			case i > 1 && rng.IntN(3) > 0:
				c.k = 2 + rng.IntN(c.attempts-1)
			}
			c.op = newRetryOp(failUntil(c.k))
			callers[i] = c
		}
		if !kit.Bubble(t, retryLimit, func(t *testing.T) {
			var wg sync.WaitGroup
			for _, c := range callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c.err, _, _, c.ok = runRetry(t, c.op, c.attempts)
				}()
			}
			wg.Wait()
		}) {
			// A race, a panic or a hang: reported already. (After a hang the
			// callers may still be running, so their results are not read.)
			return
		}
		var plan []string
		for _, c := range callers {
			if c.k > 0 {
				plan = append(plan, fmt.Sprintf("Retry(op, %d) succeeding on call %d", c.attempts, c.k))
			} else {
				plan = append(plan, fmt.Sprintf("Retry(op, %d) always failing", c.attempts))
			}
		}
		for i, c := range callers {
			wantCalls, wantNil := c.attempts, false
			if c.k > 0 {
				wantCalls, wantNil = c.k, true
			}
			what := fmt.Sprintf("caller %d of %d retrying at once (%s)", i+1, len(callers), plan[i])
			callers := "\nthe callers, drawn for this run: " + strings.Join(plan, "; ")
			if n := c.op.count(); n != wantCalls {
				kit.FailValues(t, fmt.Sprintf("%s called its operation the wrong number of times%s", what, callers), wantCalls, n)
				return
			}
			if wantNil && c.err != nil {
				retryFail(t, what+" got an error although its operation succeeded"+callers, "nil", errText(c.err))
				return
			}
			if !wantNil && c.err == nil {
				retryFail(t, what+" got nil although every call of its operation failed"+callers, "a non-nil error", "nil")
				return
			}
		}
	})
}
