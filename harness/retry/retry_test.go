package solution

import (
	ggerrors "errors"
	ggfmt "fmt"
	ggstrings "strings"
	ggsync "sync"
	ggtesting "testing"
	ggtime "time"
)

// ggRetryLimit is the real-time watchdog for one bubble: a correct solution
// finishes each bubble in a few milliseconds, whatever the virtual waits.
const ggRetryLimit = 2 * ggtime.Second

// ggRetryOp is a scripted operation: it records the virtual time of every
// call and returns the error planned for that call (nil means success).
type ggRetryOp struct {
	mu    ggsync.Mutex
	plan  func(call int) error // call counts from 1
	calls []ggtime.Time
	errs  []error
}

func ggNewRetryOp(plan func(call int) error) *ggRetryOp {
	return &ggRetryOp{plan: plan}
}

func (o *ggRetryOp) op() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, ggtime.Now())
	err := o.plan(len(o.calls))
	o.errs = append(o.errs, err)
	return err
}

func (o *ggRetryOp) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.calls)
}

func (o *ggRetryOp) times() []ggtime.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]ggtime.Time(nil), o.calls...)
}

// lastErr is the error returned by the most recent call, nil if none.
func (o *ggRetryOp) lastErr() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.errs) == 0 {
		return nil
	}
	return o.errs[len(o.errs)-1]
}

// ggAttemptErr is a distinct error value per call, so a test can tell which
// call's error the candidate's result wraps.
type ggAttemptErr struct{ call int }

func (e *ggAttemptErr) Error() string { return ggfmt.Sprintf("operation failed (call %d)", e.call) }

// ggFailUntil fails calls 1..k-1 with a distinct error each and succeeds
// from call k on; k <= 0 means every call fails.
func ggFailUntil(k int) func(int) error {
	return func(call int) error {
		if k > 0 && call >= k {
			return nil
		}
		return &ggAttemptErr{call: call}
	}
}

// ggRetryFail reports a failure whose expected and actual values are
// already human-readable descriptions (shown without Go quoting).
func ggRetryFail(t *ggtesting.T, message, expected, actual string) {
	t.Helper()
	ggReport(t, ggFailure{Message: message, Kind: "text", Expected: expected, Actual: actual})
}

// ggErrText describes a returned error for a failure report.
func ggErrText(err error) string {
	if err == nil {
		return "nil"
	}
	return ggfmt.Sprintf("error %q", err.Error())
}

// ggGaps returns the virtual time between consecutive calls.
func ggGaps(times []ggtime.Time) []ggtime.Duration {
	var gaps []ggtime.Duration
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, times[i].Sub(times[i-1]))
	}
	return gaps
}

func ggFormatGaps(gaps []ggtime.Duration) string {
	if len(gaps) == 0 {
		return "(no waits: fewer than two calls)"
	}
	parts := make([]string, len(gaps))
	for i, g := range gaps {
		parts[i] = g.String()
	}
	return ggstrings.Join(parts, ", ")
}

// ggExpectedGaps describes the accepted window of each of n waits.
func ggExpectedGaps(n int) string {
	parts := make([]string, n)
	for i := range parts {
		base := ggtime.Duration(1<<i) * ggtime.Second
		parts[i] = ggfmt.Sprintf("%v..%v", base, base+base/2)
	}
	return ggstrings.Join(parts, ", ")
}

// ggCheckSchedule checks that wait i lies in [2^i s, 1.5 * 2^i s] (exponential
// backoff from 1 s, with up to +50% jitter allowed). At least minGaps waits
// must have been observed. It reports at most one failure and returns whether
// the schedule was accepted.
func ggCheckSchedule(t *ggtesting.T, what string, times []ggtime.Time, minGaps int) bool {
	t.Helper()
	gaps := ggGaps(times)
	if len(gaps) < minGaps {
		ggFail(t, "%s: needed at least %d calls to measure the backoff schedule, but the operation was called %d time(s)",
			what, minGaps+1, len(times))
		return false
	}
	for i, g := range gaps {
		base := ggtime.Duration(1<<i) * ggtime.Second
		if g < base || g > base+base/2 {
			ggRetryFail(t, ggfmt.Sprintf("%s: wait %d between calls %d and %d was %v, expected between %v and %v "+
				"(exponential backoff: 1s, 2s, 4s, 8s, ... each doubling, up to +50%% jitter allowed)",
				what, i+1, i+1, i+2, g, base, base+base/2),
				ggExpectedGaps(len(gaps)), ggFormatGaps(gaps))
			return false
		}
	}
	return true
}

// ggScheduleRuns is how many independent runs the schedule tests measure.
// Jitter makes one run a weak sample: with jitter uniform in [0%, 60%) a wait
// exceeds the +50% bound with probability 1/6, so five waits of a single run
// all look fine about 40% of the time, but 40 runs of five waits (200 waits)
// all look fine with probability (5/6)^200, about 1e-16. Each run is instant
// in virtual time.
const ggScheduleRuns = 40

// ggRepeatSchedule runs one schedule measurement as runs first..ggScheduleRuns
// (run returns the virtual call times and false if the candidate panicked)
// and stops at the first run whose waits leave their windows.
func ggRepeatSchedule(t *ggtesting.T, what string, first, minGaps int, run func() ([]ggtime.Time, bool)) {
	t.Helper()
	for r := first; r <= ggScheduleRuns; r++ {
		times, ok := run()
		if !ok {
			return
		}
		label := what
		if r > 1 {
			label = ggfmt.Sprintf("%s, run %d of %d (the earlier runs fitted, so the waits differ from run to run: random jitter past +50%%?)", what, r, ggScheduleRuns)
		}
		if !ggCheckSchedule(t, label, times, minGaps) {
			return
		}
	}
}

// ggRunRetry calls Retry inside the current bubble and returns its error, the
// virtual time it took, and whether it returned without panicking.
func ggRunRetry(t *ggtesting.T, op *ggRetryOp, attempts int) (err error, start, end ggtime.Time, ok bool) {
	t.Helper()
	start = ggtime.Now()
	ok = ggProtect(t, func() { err = Retry(op.op, attempts) })
	end = ggtime.Now()
	return err, start, end, ok
}

func TestCore_SuccessFirstTry(t *ggtesting.T) {
	ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
		op := ggNewRetryOp(ggFailUntil(1))
		err, start, end, ok := ggRunRetry(t, op, 5)
		if !ok {
			return
		}
		if err != nil {
			ggRetryFail(t, "Retry(op, 5) returned an error although the operation succeeded on the first call", "nil", ggErrText(err))
		}
		if n := op.count(); n != 1 {
			ggFailValues(t, "the operation succeeded on the first call, so it must be called exactly once", 1, n)
		}
		if d := end.Sub(start); d != 0 {
			ggRetryFail(t, "Retry waited although the first call succeeded (virtual time spent in Retry)", "0s", d.String())
		}
	})
}

func TestCore_SuccessOnCallK(t *ggtesting.T) {
	cases := []struct{ k, attempts int }{
		{3, 5}, // succeeds part-way through
		{4, 4}, // succeeds on the very last allowed attempt
	}
	for _, c := range cases {
		// Stop at the first failing case: one is enough to show the mistake,
		// and a busy-waiting solution would cost a watchdog period per case.
		if !ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
			op := ggNewRetryOp(ggFailUntil(c.k))
			err, _, _, ok := ggRunRetry(t, op, c.attempts)
			if !ok {
				return
			}
			n := op.count()
			if err != nil {
				ggRetryFail(t, ggfmt.Sprintf("Retry(op, %d) with an operation that fails %d time(s) then succeeds on call %d: expected nil (success), got an error after %d call(s)",
					c.attempts, c.k-1, c.k, n), "nil", ggErrText(err))
			}
			if n != c.k {
				ggFailValues(t, ggfmt.Sprintf("Retry(op, %d): the operation succeeds on call %d, so it must be called exactly %d times: no fewer, and no more after the success",
					c.attempts, c.k, c.k), c.k, n)
			}
		}) {
			return
		}
	}
}

func TestCore_Exhaustion(t *ggtesting.T) {
	ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
		op := ggNewRetryOp(ggFailUntil(0))
		err, _, _, ok := ggRunRetry(t, op, 4)
		if !ok {
			return
		}
		if n := op.count(); n != 4 {
			ggFailValues(t, "Retry(op, 4) with an operation that always fails must call it exactly 4 times", 4, n)
		}
		if err == nil {
			ggRetryFail(t, "Retry(op, 4) returned nil although every call failed: it must return an error after the attempts are used up",
				"a non-nil error", "nil")
		}
	})
}

func TestCore_ExponentialSchedule(t *ggtesting.T) {
	ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
		// Only the schedule is judged here (the call count is judged by
		// TestCore_Exhaustion): every observed wait must fit its window and at
		// least four waits are needed to tell exponential from linear. The
		// measurement is repeated so that jitter past +50% cannot slip through
		// on a lucky run.
		ggRepeatSchedule(t, "Retry(op, 6) with an operation that always fails", 1, 4, func() ([]ggtime.Time, bool) {
			op := ggNewRetryOp(ggFailUntil(0))
			_, _, _, ok := ggRunRetry(t, op, 6)
			return op.times(), ok
		})
	})
}

func TestRobust_NoWaitAfterFinalFailure(t *ggtesting.T) {
	ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
		op := ggNewRetryOp(ggFailUntil(0))
		_, _, end, ok := ggRunRetry(t, op, 3)
		if !ok {
			return
		}
		times := op.times()
		if len(times) == 0 {
			ggFail(t, "Retry(op, 3) never called the operation")
			return
		}
		if d := end.Sub(times[len(times)-1]); d != 0 {
			ggReport(t, ggFailure{
				Message: ggfmt.Sprintf("Retry(op, 3) waited %v after the final failed call before returning: there is nothing left to retry, so it should return at once", d),
				Kind:    "text", Expected: "0s", Actual: d.String(),
				Hint: "What does the caller gain from the wait after the last attempt?",
			})
		}
	})
}

func TestRobust_WrapsLastError(t *ggtesting.T) {
	ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
		// Every call fails with its own error value; the result must wrap the
		// error of the last call actually made.
		op := ggNewRetryOp(ggFailUntil(0))
		err, _, _, ok := ggRunRetry(t, op, 3)
		if !ok {
			return
		}
		last := op.lastErr()
		if last == nil {
			ggFail(t, "Retry(op, 3) never called the operation")
			return
		}
		if err == nil {
			ggRetryFail(t, "Retry(op, 3) returned nil although every call failed, so there is no error to inspect",
				ggfmt.Sprintf("an error wrapping %q", last.Error()), "nil")
			return
		}
		if !ggerrors.Is(err, last) {
			ggReport(t, ggFailure{
				Message: ggfmt.Sprintf("the returned error does not wrap the last error the operation returned: errors.Is(err, lastErr) is false (use %%w, or return the error itself); last error was %q", last.Error()),
				Kind:    "text", Expected: ggfmt.Sprintf("an error wrapping %q", last.Error()), Actual: ggErrText(err),
				Hint: "How would a caller check why the operation finally failed?",
			})
		}
	})
}

func TestRobust_ZeroAttempts(t *ggtesting.T) {
	for _, attempts := range []int{0, -1} {
		if !ggBubble(t, ggRetryLimit, func(t *ggtesting.T) {
			// The operation succeeds so that even a solution that calls it
			// anyway stops at once; only the call count is judged. The
			// contract does not say what to return here, so nil and an
			// error are both accepted.
			op := ggNewRetryOp(ggFailUntil(1))
			if _, _, _, ok := ggRunRetry(t, op, attempts); !ok {
				return
			}
			if n := op.count(); n != 0 {
				ggFailValues(t, ggfmt.Sprintf("Retry(op, %d): with no attempts allowed the operation must not be called", attempts), 0, n)
			}
		}) {
			return
		}
	}
}
