// Shared helpers staged beside every exercise harness. Every identifier here
// starts with "gg" so that it cannot clash with a candidate's own names.
//
// Failures are reported as one line that starts with the marker
// "GOGRADE-FAIL " followed by a JSON object; the Rust driver parses it to
// show expected and actual values side by side. Anything else a test prints
// is kept as plain output.
package solution

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
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
func ggReport(t *testing.T, f ggFailure) {
	t.Helper()
	line, err := json.Marshal(f)
	if err != nil {
		line = []byte(fmt.Sprintf(`{"message":%q}`, f.Message))
	}
	t.Errorf("GOGRADE-FAIL %s", line)
}

// ggFail reports a plain failure message.
func ggFail(t *testing.T, format string, args ...any) {
	t.Helper()
	ggReport(t, ggFailure{Message: fmt.Sprintf(format, args...)})
}

// ggFailString reports a wrong string result; the driver shows code points.
// Both values travel as Go-quoted literals so invalid UTF-8 (a byte-wise
// reversal) survives the trip through JSON byte for byte.
func ggFailString(t *testing.T, message, expected, actual string) {
	t.Helper()
	ggReport(t, ggFailure{Message: message, Kind: "string",
		Expected: strconv.Quote(expected), Actual: strconv.Quote(actual)})
}

// ggFailValues reports a wrong value of any type, printed with %#v.
func ggFailValues(t *testing.T, message string, expected, actual any) {
	t.Helper()
	ggReport(t, ggFailure{Message: message, Kind: "text",
		Expected: fmt.Sprintf("%#v", expected), Actual: fmt.Sprintf("%#v", actual)})
}

// ggFailJSON reports a wrong JSON document; the driver shows the path of the
// first difference.
func ggFailJSON(t *testing.T, message, expected, actual string) {
	t.Helper()
	ggReport(t, ggFailure{Message: message, Kind: "json", Expected: expected, Actual: actual})
}

// ggPanicMessage formats a recovered panic with the top of its stack, so the
// candidate sees where their code blew up.
func ggPanicMessage(r any) string {
	stack := string(debug.Stack())
	if lines := strings.Split(stack, "\n"); len(lines) > 24 {
		stack = strings.Join(lines[:24], "\n")
	}
	return fmt.Sprintf("panicked: %v\n%s", r, stack)
}

// ggCall runs f (which calls candidate code) in its own goroutine, in real
// time, with a wall-clock limit. A panic or a hang becomes a test failure
// instead of killing the test binary. It reports whether f returned normally.
func ggCall(t *testing.T, limit time.Duration, f func()) bool {
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
	case <-time.After(limit):
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
func ggBubble(t *testing.T, limit time.Duration, f func(t *testing.T)) bool {
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
		synctest.Test(t, f)
		finished = true
	}()
	select {
	case r := <-done:
		if r != nil {
			msg := fmt.Sprint(r)
			if strings.Contains(msg, "deadlock") {
				ggFail(t, "deadlock: every goroutine was blocked with nothing left to wake it (%s)", msg)
			} else {
				ggFail(t, "%s", ggPanicMessage(r))
			}
			return false
		}
		return !t.Failed()
	case <-time.After(limit):
		ggFail(t, "did not finish within %v of real time: a busy loop, or a goroutine blocked on a lock that is never released?", limit)
		return false
	}
}

// ggProtect calls f and turns a panic into a reported failure. Use it inside
// synctest bubbles around candidate calls.
func ggProtect(t *testing.T, f func()) (ok bool) {
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
