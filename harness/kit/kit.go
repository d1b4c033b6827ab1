// Package kit is what every gograde harness shares, staged as a package of
// its own beside the candidate's: the candidate's file cannot name it (its
// imports are limited to the standard library), so nothing it declares can
// change what these helpers mean, read their state, or call them.
//
// It also owns the result channel. gograde starts the test binary with two
// inherited descriptors: 3 is a pipe holding a per-run secret (an HMAC key,
// the seed of this run's random inputs and the test flags), 4 is a socket
// that takes the results (a socket, so the records written to it cannot be
// read back through /proc/self/fd). The binary's own command line is just
// its neutral name: nothing in os.Args or /proc/self/cmdline says "test".
// The candidate's package imports kit through a generated file, so Go's
// initialisation order runs kit's init before any candidate code: it reads
// the secret, closes descriptor 3, and makes the process non-dumpable (so
// /proc/self/mem is closed to it). Each harness test's start and end, each
// failure record and the final exit code then travel as numbered,
// authenticated lines; gograde believes nothing else the binary prints, and
// settles a run's passes only when its final record arrived and the exit
// status agrees with it.
//
// None of this survives a data race that tears memory (Go is memory-safe
// only without races), so gograde runs the binary with the race detector
// set to halt at its first report: no candidate code runs after a race.
package kit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// Descriptors gograde passes to the test binary.
const (
	secretFD  = 3
	resultsFD = 4
	keyBytes  = 32
)

// exitAbandoned is the exit code of a run ended after an abandoned call.
const exitAbandoned = 3

// fieldCap bounds each text of a failure record: a wrong answer to a 1 MiB
// input is shown by its head, never shipped whole.
const fieldCap = 16 << 10

var (
	// abandoned is set when a call to candidate code was given up on
	// (a hang, a busy loop): its goroutines may still be running and
	// starving what comes next, so the process ends after the current
	// test and gograde runs the remaining tests in a fresh one.
	abandoned atomic.Bool
	results   *channel
	// args is the command line gograde passed on the secret descriptor
	// (or, run by hand, the real one), taken before any candidate code
	// could change os.Args.
	args []string
	seed uint64
	// reported holds the top-level tests that sent a failure record of
	// their own, so a failure without one can be told apart.
	reported sync.Map
)

// neutralName is what the code under test sees as os.Args: gograde's
// flags travel on the secret descriptor instead.
const neutralName = "solution"

func init() {
	args = append([]string(nil), os.Args...)
	// Not dumpable: /proc/self/mem and friends belong to root from now on,
	// so the process cannot read its own memory (the key) through them.
	syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_DUMPABLE, 0, 0)
	secret := os.NewFile(secretFD, "gograde-secret")
	wire, err := io.ReadAll(io.LimitReader(secret, 1<<20))
	secret.Close()
	if err != nil || len(wire) < keyBytes+8 {
		// Run by hand (scripts/try-harness.sh): no channel, a fixed seed.
		seed = 1
		return
	}
	seed = binary.BigEndian.Uint64(wire[keyBytes:])
	// The flags, NUL-separated, after the key and the seed.
	args = append([]string{neutralName}, splitFlags(string(wire[keyBytes+8:]))...)
	os.Args = []string{neutralName}
	results = &channel{key: wire[:keyBytes:keyBytes], out: os.NewFile(resultsFD, "gograde-results")}
}

func splitFlags(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}

// channel writes authenticated records: "<hex HMAC-SHA256> <json>\n", the
// JSON carrying a sequence number so nothing can be replayed or reordered.
type channel struct {
	mu  sync.Mutex
	key []byte
	seq uint64
	out *os.File
}

type record struct {
	Seq       uint64   `json:"seq"`
	Kind      string   `json:"kind"` // start | end | failure | final
	Test      string   `json:"test,omitempty"`
	Status    string   `json:"status,omitempty"` // end: pass | fail | skip
	ElapsedMS int64    `json:"elapsed_ms,omitempty"`
	Failure   *Failure `json:"failure,omitempty"`
	Code      *int     `json:"code,omitempty"` // final: the exit code m.Run returned
}

func (c *channel) send(r record) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	r.Seq = c.seq
	body, err := json.Marshal(r)
	if err != nil {
		return
	}
	mac := hmac.New(sha256.New, c.key)
	mac.Write(body)
	line := make([]byte, 0, len(body)+2*sha256.Size+2)
	line = hex.AppendEncode(line, mac.Sum(nil))
	line = append(line, ' ')
	line = append(line, body...)
	line = append(line, '\n')
	c.out.Write(line)
}

// Main runs the tests with gograde's own flags and reports the exit code.
// Call it from TestMain: os.Exit(kit.Main(m)).
func Main(m *testing.M) int {
	// Candidate init code may have rewritten os.Args; parse the command
	// line gograde gave instead, and leave the code under test a neutral
	// os.Args.
	resetFlags()
	if err := flag.CommandLine.Parse(args[1:]); err != nil {
		return 2
	}
	if results != nil {
		os.Args = []string{neutralName}
	}
	code := m.Run()
	results.send(record{Kind: "final", Code: &code})
	return code
}

// resetFlags sets every flag back to its default before Main reads
// gograde's arguments, so what candidate code did to flags before the
// tests (a flag.Set from init, a flag of its own set to another value)
// does not carry into the run: a flag gograde does not pass (test.skip,
// test.failfast, test.count, ...) would otherwise keep whatever was set.
// Value.Set directly, so no flag counts as given on the command line.
func resetFlags() {
	flag.CommandLine.VisitAll(func(f *flag.Flag) {
		_ = f.Value.Set(f.DefValue)
	})
}

// Run is the body of every harness test: func TestX(t *testing.T) {
// kit.Run(t, func(t *testing.T) { ... }) }. It reports the test's start and
// its outcome on the channel; a test without an authenticated end never
// counts as passed.
func Run(t *testing.T, body func(t *testing.T)) {
	name := t.Name()
	results.send(record{Kind: "start", Test: name})
	started := time.Now()
	returned := false
	defer func() {
		panicked := recover()
		status := "pass"
		// Every failure goes out with a record of its own, so gograde can
		// tell a failure the harness explained from one it did not (a
		// grader fault, established from these records and never from
		// printed text).
		explain := func(f Failure) {
			if _, done := reported.Load(name); !done {
				results.send(record{Kind: "failure", Test: name, Failure: &f})
			}
		}
		switch {
		case panicked != nil:
			status = "fail"
			explain(Failure{Message: capText(PanicMessage(panicked))})
		case !returned && !t.Failed() && !t.Skipped():
			// runtime.Goexit on the test goroutine: testing fails the
			// test after this; say so now.
			status = "fail"
			explain(Failure{Message: goexitInCode})
		case t.Failed():
			status = "fail"
			explain(Failure{Kind: Unexplained, Message: "the harness marked this test failed without a failure record of its own"})
		case t.Skipped():
			status = "skip"
		}
		results.send(record{Kind: "end", Test: name, Status: status,
			ElapsedMS: time.Since(started).Milliseconds()})
		if panicked != nil {
			panic(panicked)
		}
		if abandoned.Load() {
			// Not 0: testing would take an exit 0 during a test for the
			// code under test's. The final record says the exit is the
			// kit's own, so the ended tests count.
			code := exitAbandoned
			results.send(record{Kind: "final", Code: &code})
			os.Exit(exitAbandoned)
		}
	}()
	body(t)
	returned = true
}

// Seed is this run's random seed (gograde records it in the verdict).
func Seed() uint64 { return seed }

// Rand gives test t its own random source: the run's seed and the test's
// name decide it, so a rerun of one test draws the same inputs.
func Rand(t *testing.T) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// Unexplained is the Kind of the record the kit sends for a test that
// failed without a failure record of its own: a harness bug, which
// gograde confirms by running the test again.
const Unexplained = "unexplained"

// Failure is a structured failure record: gograde shows expected and actual
// side by side.
type Failure struct {
	Message  string `json:"message"`
	Kind     string `json:"kind,omitempty"` // "string", "json" or "text": how to compare expected and actual
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	Hint     string `json:"hint,omitempty"` // a mistake-specific question for the interviewer
}

// Report marks the test failed and sends the record.
func Report(t *testing.T, f Failure) {
	t.Helper()
	f.Message = capText(f.Message)
	f.Expected = capText(f.Expected)
	f.Actual = capText(f.Actual)
	reported.Store(rootName(t), true)
	results.send(record{Kind: "failure", Test: rootName(t), Failure: &f})
	t.Error(f.Message)
}

// rootName is the top-level test a (sub)test belongs to: records are kept
// per harness test.
func rootName(t *testing.T) string {
	name, _, _ := strings.Cut(t.Name(), "/")
	return name
}

func capText(s string) string {
	if len(s) <= fieldCap {
		return s
	}
	cut := fieldCap
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + fmt.Sprintf("... (%d more bytes)", len(s)-cut)
}

// Fail reports a plain failure message.
func Fail(t *testing.T, format string, args ...any) {
	t.Helper()
	Report(t, Failure{Message: fmt.Sprintf(format, args...)})
}

// FailString reports a wrong string result; gograde shows code points.
// Both values travel as Go-quoted literals so invalid UTF-8 (a byte-wise
// reversal) survives the trip through JSON byte for byte.
func FailString(t *testing.T, message, expected, actual string) {
	t.Helper()
	Report(t, Failure{Message: message, Kind: "string",
		Expected: strconv.Quote(expected), Actual: strconv.Quote(actual)})
}

// FailValues reports a wrong value of any type, printed with %#v.
func FailValues(t *testing.T, message string, expected, actual any) {
	t.Helper()
	Report(t, Failure{Message: message, Kind: "text",
		Expected: fmt.Sprintf("%#v", expected), Actual: fmt.Sprintf("%#v", actual)})
}

// FailJSON reports a wrong JSON document; gograde shows the path of the
// first difference.
func FailJSON(t *testing.T, message, expected, actual string) {
	t.Helper()
	Report(t, Failure{Message: message, Kind: "json", Expected: expected, Actual: actual})
}

// PanicMessage formats a recovered panic with the top of its stack, so the
// candidate sees where their code blew up (gograde marks the first frame in
// the candidate's file). Called in the deferred function that recovered,
// the stack is the panicking goroutine's; a panic watch caught on another
// goroutine brings the stack it had there.
func PanicMessage(r any) string {
	stack := string(debug.Stack())
	if caught, ok := r.(recovered); ok {
		r, stack = caught.value, caught.stack
	}
	return fmt.Sprintf("panicked: %v\n%s", r, fromPanic(stack))
}

// recovered is a panic watch caught, with the stack of the goroutine that
// panicked: by the time PanicMessage runs on the test's goroutine, that
// stack is gone.
type recovered struct {
	value any
	stack string
	// blocked is the stacks of a bubble's goroutines, for synctest's
	// deadlock panic.
	blocked string
}

// Stacks is what watch saw of the goroutines when a call ended badly, as
// further lines for a failure message: the bubble's blocked goroutines for
// synctest's deadlock, the code under test's for a call given up on; ""
// for anything else. ended is what Supervise returned.
func Stacks(ended any) string {
	switch e := ended.(type) {
	case recovered:
		if e.blocked != "" {
			return "\n" + e.blocked
		}
	case stuck:
		return e.String()
	}
	return ""
}

// String is the panic value's text, so harness code that reads what ended
// a call (fmt.Sprint(r)) reads what it always did.
func (r recovered) String() string { return fmt.Sprint(r.value) }

// fromPanic keeps the goroutine's header and the frames from where the
// panic was raised down (not the recovering code's own frames above it),
// at most 24 lines.
func fromPanic(stack string) string {
	lines := strings.Split(stack, "\n")
	for i := 1; i+1 < len(lines); i++ {
		if strings.HasPrefix(lines[i], "panic(") {
			lines = append(lines[:1], lines[i+2:]...)
			break
		}
	}
	if len(lines) > 24 {
		lines = lines[:24]
	}
	return strings.Join(lines, "\n")
}

// stuck is what watch gives back for a call it gave up on: the stacks of
// the goroutines in the code under test, as a message's further lines.
type stuck string

func (s stuck) String() string {
	if s == "" {
		return ""
	}
	return "\n" + string(s)
}

// candidatePackage is the path of the code under test's package: the
// kit's own, less "/kit" (a batch group's packages are "/p1", "/p2"...
// under it).
var candidatePackage = strings.TrimSuffix(reflect.TypeOf(recovered{}).PkgPath(), "/kit")

// codeUnderTestStacks is the stack of every goroutine with a function of
// the code under test on it, for a report of a call that never returned:
// the frame each is stuck at is where the candidate looks first. At most
// 16 KiB.
func codeUnderTestStacks() string {
	var kept []string
	for _, g := range goroutines() {
		for _, line := range strings.Split(g, "\n") {
			rest, ok := strings.CutPrefix(line, candidatePackage)
			if ok && (strings.HasPrefix(rest, ".") || isGroupPackage(rest)) {
				kept = append(kept, g)
				break
			}
		}
	}
	return capText(strings.Join(kept, "\n\n"))
}

// isGroupPackage reports whether rest (after the module path) names a
// function of a batch group's candidate package: "/p12.F", not "/kit.F"
// or "/p12_test.F".
func isGroupPackage(rest string) bool {
	digits, ok := strings.CutPrefix(rest, "/p")
	if !ok {
		return false
	}
	n := 0
	for n < len(digits) && digits[n] >= '0' && digits[n] <= '9' {
		n++
	}
	return n > 0 && strings.HasPrefix(digits[n:], ".")
}

// goroutines is the stack of every goroutine, one string each (the first
// 1 MiB of them).
func goroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Split(string(buf), "\n\n")
}

// blockedStacks is the stack of every goroutine of a synctest bubble but
// testing's own, for a deadlock report: the frame each one is blocked at
// is where the candidate looks first. At most 16 KiB.
func blockedStacks() string {
	var kept []string
	for _, g := range goroutines() {
		header, rest, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "synctest bubble") && !strings.HasPrefix(rest, "testing") {
			kept = append(kept, g)
		}
	}
	return capText(strings.Join(kept, "\n\n"))
}

// goexitInCode is what a runtime.Goexit (or panic(nil)) in the code under
// test is reported as.
const goexitInCode = "runtime.Goexit (or panic(nil)) in the code under test"

// watch runs body in its own goroutine and waits for it for at most limit
// of real time. ended is nil when body returned normally, else what it
// panicked with; a Goexit counts as goexitInCode unless goexitIsFailNow
// says it was t.FailNow (whose failure is already on t). When body does not
// finish in time, the call is abandoned (see abandoned), inTime is false
// and ended is the stuck goroutines' stacks. This is the one watchdog
// behind Call, Bubble and any harness variant of them (Supervise).
func watch(limit time.Duration, body func(), goexitIsFailNow func() bool) (ended any, inTime bool) {
	done := make(chan any, 1)
	go func() {
		finished := false
		defer func() {
			if finished {
				done <- nil
				return
			}
			if r := recover(); r != nil {
				caught := recovered{value: r, stack: string(debug.Stack())}
				if strings.Contains(fmt.Sprint(r), "deadlock") {
					// synctest's: its goroutines are still blocked now.
					caught.blocked = blockedStacks()
				}
				done <- caught
				return
			}
			if goexitIsFailNow() {
				done <- nil
				return
			}
			done <- goexitInCode
		}()
		body()
		finished = true
	}()
	select {
	case r := <-done:
		return r, true
	case <-time.After(limit):
		abandoned.Store(true)
		return stuck(codeUnderTestStacks()), false
	}
}

// Call runs f (which calls candidate code) in its own goroutine, in real
// time, with a wall-clock limit. A panic, a runtime.Goexit or a hang becomes
// a test failure instead of killing the test binary. It reports whether f
// returned normally.
func Call(t *testing.T, limit time.Duration, f func()) bool {
	t.Helper()
	if skipAfterAbandoned(t) {
		return false
	}
	// f is candidate code through and through: no Goexit of its is FailNow.
	r, inTime := watch(limit, f, func() bool { return false })
	switch {
	case !inTime:
		Fail(t, "did not return within %v (real time): an endless loop or a goroutine blocked forever?%s", limit, Stacks(r))
		return false
	case r != nil:
		Fail(t, "%v", PanicMessage(r))
		return false
	}
	return true
}

// Supervise runs f inside a testing/synctest bubble, guarded by a
// real-time watchdog (a busy loop, or a goroutine blocked on a mutex, never
// lets the fake clock advance). ended is nil when the bubble finished (or
// failed through t), else what ended it: synctest's deadlock panic, a panic
// in its root goroutine, or a Goexit in the code under test. inTime is
// false when it was given up on (ended is then the stacks of the code
// under test, a stuck value to append to a message); ok is false when it
// did not run at all because an earlier call was given up on (the failure
// is then reported).
// Bubble reports all of these; a harness that judges some of them itself
// (a leak check) calls Supervise.
func Supervise(t *testing.T, limit time.Duration, f func(t *testing.T)) (ended any, inTime, ok bool) {
	t.Helper()
	if skipAfterAbandoned(t) {
		return nil, true, false
	}
	ended, inTime = watch(limit, func() { synctest.Test(t, f) }, t.Failed)
	return ended, inTime, true
}

// Bubble runs f inside a testing/synctest bubble, where time is virtual,
// guarded by a real-time watchdog (see Supervise). synctest's own deadlock
// panic is recovered and reported. It reports whether the bubble finished
// cleanly.
//
// Candidate calls inside f should go through Protect so that a panic in
// the bubble's root goroutine is reported rather than fatal.
func Bubble(t *testing.T, limit time.Duration, f func(t *testing.T)) bool {
	t.Helper()
	r, inTime, ok := Supervise(t, limit, f)
	switch {
	case !ok:
		return false
	case !inTime:
		Fail(t, "did not finish within %v of real time: a busy loop, or a goroutine blocked on a lock that is never released?%s", limit, Stacks(r))
		return false
	case r != nil:
		msg := fmt.Sprint(r)
		if strings.Contains(msg, "deadlock") {
			Fail(t, "deadlock: every goroutine was blocked with nothing left to wake it (%s)%s", msg, Stacks(r))
		} else {
			Fail(t, "%s", PanicMessage(r))
		}
		return false
	}
	return !t.Failed()
}

// skipAfterAbandoned fails a call at once when an earlier one in this
// process was abandoned: its goroutines may still hold the CPU or the
// code's locks, so nothing measured now would be fair.
func skipAfterAbandoned(t *testing.T) bool {
	t.Helper()
	if !abandoned.Load() {
		return false
	}
	Fail(t, "not called: an earlier call in this test never returned")
	return true
}

// Protect calls f and turns a panic into a reported failure. Use it inside
// synctest bubbles around candidate calls.
func Protect(t *testing.T, f func()) (ok bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			Fail(t, "%s", PanicMessage(r))
			ok = false
		}
	}()
	f()
	return true
}
