// Shared helpers staged beside every exercise harness. Every identifier here
// starts with "gg" so that it cannot clash with a candidate's own names.
//
// Failures are reported as one line that starts with the marker
// "GOGRADE-FAIL " followed by a JSON object; the Rust driver parses it to
// show expected and actual values side by side. Anything else a test prints
// is kept as plain output.
package solution

import (
	ggjson "encoding/json"
	ggfmt "fmt"
	ggdebug "runtime/debug"
	ggstrconv "strconv"
	ggstrings "strings"
	ggtesting "testing"
	ggsynctest "testing/synctest"
	ggtime "time"
)

// ggFailure is the structured failure record read by the driver.
type ggFailure struct {
	Message  string `json:"message"`
	Kind     string `json:"kind,omitempty"` // "string", "json" or "text": how to diff expected and actual
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	Hint     string `json:"hint,omitempty"` // a mistake-specific question for the interviewer
}

// ggReport marks the test failed and prints the structured record.
func ggReport(t *ggtesting.T, f ggFailure) {
	t.Helper()
	line, err := ggjson.Marshal(f)
	if err != nil {
		line = []byte(ggfmt.Sprintf(`{"message":%q}`, f.Message))
	}
	t.Errorf("GOGRADE-FAIL %s", line)
}

// ggFail reports a plain failure message.
func ggFail(t *ggtesting.T, format string, args ...any) {
	t.Helper()
	ggReport(t, ggFailure{Message: ggfmt.Sprintf(format, args...)})
}

// ggFailString reports a wrong string result; the driver shows code points.
// Both values travel as Go-quoted literals so invalid UTF-8 (a byte-wise
// reversal) survives the trip through JSON byte for byte.
func ggFailString(t *ggtesting.T, message, expected, actual string) {
	t.Helper()
	ggReport(t, ggFailure{Message: message, Kind: "string",
		Expected: ggstrconv.Quote(expected), Actual: ggstrconv.Quote(actual)})
}

// ggFailValues reports a wrong value of any type, printed with %#v.
func ggFailValues(t *ggtesting.T, message string, expected, actual any) {
	t.Helper()
	ggReport(t, ggFailure{Message: message, Kind: "text",
		Expected: ggfmt.Sprintf("%#v", expected), Actual: ggfmt.Sprintf("%#v", actual)})
}

// ggFailJSON reports a wrong JSON document; the driver shows the path of the
// first difference.
func ggFailJSON(t *ggtesting.T, message, expected, actual string) {
	t.Helper()
	ggReport(t, ggFailure{Message: message, Kind: "json", Expected: expected, Actual: actual})
}

// ggPanicMessage formats a recovered panic with the top of its stack, so the
// candidate sees where their code blew up.
func ggPanicMessage(r any) string {
	stack := string(ggdebug.Stack())
	if lines := ggstrings.Split(stack, "\n"); len(lines) > 24 {
		stack = ggstrings.Join(lines[:24], "\n")
	}
	return ggfmt.Sprintf("panicked: %v\n%s", r, stack)
}

// ggCall runs f (which calls candidate code) in its own goroutine, in real
// time, with a wall-clock limit. A panic or a hang becomes a test failure
// instead of killing the test binary. It reports whether f returned normally.
func ggCall(t *ggtesting.T, limit ggtime.Duration, f func()) bool {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		finished := false
		defer func() {
			if finished {
				done <- nil
				return
			}
			done <- ggPanicMessage(recover())
		}()
		f()
		finished = true
	}()
	select {
	case r := <-done:
		if r != nil {
			ggFail(t, "%v", r)
			return false
		}
		return true
	case <-ggtime.After(limit):
		ggFail(t, "did not return within %v (real time): an endless loop or a goroutine blocked forever?", limit)
		return false
	}
}

// ggBubble runs f inside a testing/synctest bubble, where time is virtual,
// guarded by a real-time watchdog: a busy loop or a goroutine blocked on a
// mutex never lets the fake clock advance, so without the watchdog such a
// test would hang the whole binary. synctest's own deadlock panic is
// recovered and reported. It reports whether the bubble finished cleanly.
//
// Candidate calls inside f should go through ggProtect so that a panic in
// the bubble's root goroutine is reported rather than fatal.
func ggBubble(t *ggtesting.T, limit ggtime.Duration, f func(t *ggtesting.T)) bool {
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
			// runtime.Goexit from FailNow inside synctest.Test: the
			// failure is already recorded on t.
			done <- nil
		}()
		ggsynctest.Test(t, f)
		finished = true
	}()
	select {
	case r := <-done:
		if r != nil {
			msg := ggfmt.Sprint(r)
			if ggstrings.Contains(msg, "deadlock") {
				ggFail(t, "deadlock: every goroutine was blocked with nothing left to wake it (%s)", msg)
			} else {
				ggFail(t, "%s", ggPanicMessage(r))
			}
			return false
		}
		return !t.Failed()
	case <-ggtime.After(limit):
		ggFail(t, "did not finish within %v of real time: a busy loop, or a goroutine blocked on a lock that is never released?", limit)
		return false
	}
}

// ggProtect calls f and turns a panic into a reported failure. Use it inside
// synctest bubbles around candidate calls.
func ggProtect(t *ggtesting.T, f func()) (ok bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			ggFail(t, "%s", ggPanicMessage(r))
			ok = false
		}
	}()
	f()
	return true
}
