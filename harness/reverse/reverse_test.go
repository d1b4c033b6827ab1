package solution_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"gograde.local/solution/kit"
)

// revLimit bounds each call to Reverse on a short string in real time: a
// hang guard only (microseconds are needed). The long string's speed is
// judged against a reference instead (TestRobust_LongString).
const revLimit = 2 * time.Second

// revCase is one input and the expected result. Inputs of the core tests
// contain no combining marks and no multi-code-point emoji, so a
// grapheme-aware solution gives the same answer as a code-point one.
type revCase struct {
	in, want string
}

// revRunes is the harness's own code-point reversal.
func revRunes(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// revBytes reverses s byte by byte, to recognise that mistake.
func revBytes(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// revWords reverses the order of space-separated words, to recognise that
// mistake.
func revWords(s string) string {
	w := strings.Split(s, " ")
	for i, j := 0, len(w)-1; i < j; i, j = i+1, j-1 {
		w[i], w[j] = w[j], w[i]
	}
	return strings.Join(w, " ")
}

// Per-run inputs. Each core test checks, beside its fixed cases, strings
// drawn from kit.Rand(t) over the same alphabet, against revRunes: a table
// of the public inputs and their answers does not pass.

// revDrawn is how many strings each core test draws per run.
const revDrawn = 20

// Alphabets of the drawn strings. None holds a combining mark, a variation
// selector, a skin-tone modifier or a joiner, so a grapheme-aware Reverse
// gives the code-point answer on all of them.
var (
	revASCII = revRange(0x20, 0x7e)
	// revLatin holds precomposed 2-byte letters only.
	revLatin = []rune("éèêëàáâäãåçñßøœæðþÿüúùûöóòôõíìîïÉÜÖÄÅÇÑØŁłŽžŠšőűčęąİı")
	revCJK   = append(append(revRange(0x4e00, 0x4fff), revRange(0xac00, 0xac7f)...), []rune("，。「」")...)
	// revEmoji holds 4-byte emoji that stand alone (no modifiers).
	revEmoji = append(append(revRange(0x1f600, 0x1f64f), revRange(0x1f680, 0x1f6c5)...), revRange(0x1f330, 0x1f37f)...)
	revMixed = append(append(append(append([]rune{}, revASCII...), revLatin...), revCJK...), revEmoji...)
)

func revRange(lo, hi rune) []rune {
	var out []rune
	for r := lo; r <= hi; r++ {
		out = append(out, r)
	}
	return out
}

// revShow quotes a drawn input exactly, or its head when it is long.
func revShow(s string) string {
	if len(s) > 400 {
		return fmt.Sprintf("%q... (%d bytes in all)", s[:revCut(s, 400)], len(s))
	}
	return strconv.Quote(s)
}

// revCut backs n off to the start of a UTF-8 sequence in s.
func revCut(s string, n int) int {
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// revDraw draws a string of minLen..maxLen code points from alphabet; when
// must is not empty, at least one code point comes from it.
func revDraw(rng *rand.Rand, alphabet, must []rune, minLen, maxLen int) string {
	n := minLen + rng.IntN(maxLen-minLen+1)
	r := make([]rune, n)
	for i := range r {
		r[i] = alphabet[rng.IntN(len(alphabet))]
	}
	if len(must) > 0 {
		r[rng.IntN(n)] = must[rng.IntN(len(must))]
	}
	return string(r)
}

// revDrawCases draws revDrawn cases of 3..40 code points, each holding at
// least one code point of must (when given).
func revDrawCases(t *testing.T, alphabet, must []rune) []revCase {
	rng := kit.Rand(t)
	cases := make([]revCase, revDrawn)
	for i := range cases {
		in := revDraw(rng, alphabet, must, 3, 40)
		cases[i] = revCase{in, revRunes(in)}
	}
	return cases
}

// revCall calls Reverse(in) with a time limit and panic recovery.
func revCall(t *testing.T, in string) (string, bool) {
	t.Helper()
	var got string
	ok := kit.Call(t, revLimit, func() { got = Reverse(in) })
	if !ok {
		shown := fmt.Sprintf("%q", in)
		if len(in) > 100 {
			shown = fmt.Sprintf("<a %d-byte string>", len(in))
		}
		kit.Fail(t, "the call that failed above was Reverse(%s)", shown)
	}
	return got, ok
}

// revDiagnose explains in words what is wrong with got, and gives an
// interviewer hint for the mistakes that have a known follow-up question.
func revDiagnose(in, want, got string) (why, hint string) {
	switch {
	case got == in:
		return "returned the input unchanged", ""
	case len(in) > 1 && got == revBytes(in):
		return "reversed the bytes, not the characters: multi-byte UTF-8 characters were split apart and the result is not valid UTF-8", "Why rune instead of byte?"
	case utf8.ValidString(in) && !utf8.ValidString(got):
		return "the result is not valid UTF-8: a multi-byte character was split apart", "Why rune instead of byte?"
	case strings.ContainsRune(got, utf8.RuneError) && !strings.ContainsRune(in, utf8.RuneError):
		return "the result contains U+FFFD replacement characters where the input has none: a multi-byte character was split apart", "Why rune instead of byte?"
	case strings.Contains(in, " ") && got == revWords(in):
		return "reversed the order of the words, not the characters", ""
	case len(got) != len(in):
		return fmt.Sprintf("the result has %d bytes but the input has %d: characters were lost or added", len(got), len(in)), ""
	case utf8.RuneCountInString(got) == utf8.RuneCountInString(want):
		return "wrong order of characters", ""
	}
	return "wrong result", ""
}

// revCheck calls Reverse on every fixed case and reports each wrong answer.
func revCheck(t *testing.T, cases []revCase) {
	t.Helper()
	revCheckAs(t, cases, false)
}

// revCheckDrawn is revCheck for inputs drawn for this run: each message
// keeps a fixed first line and shows the exact input on the next.
func revCheckDrawn(t *testing.T, cases []revCase) {
	t.Helper()
	revCheckAs(t, cases, true)
}

func revCheckAs(t *testing.T, cases []revCase, drawn bool) {
	t.Helper()
	for _, c := range cases {
		got, ok := revCall(t, c.in)
		if !ok {
			continue
		}
		if got != c.want {
			why, hint := revDiagnose(c.in, c.want, got)
			msg := fmt.Sprintf("Reverse(%q): %s", c.in, why)
			if drawn {
				msg = fmt.Sprintf("Reverse of a string drawn for this run: %s\ninput: %s", why, revShow(c.in))
			}
			kit.Report(t, kit.Failure{
				Message:  msg,
				Kind:     "string",
				Expected: strconv.Quote(c.want),
				Actual:   strconv.Quote(got),
				Hint:     hint,
			})
		}
	}
}

func TestCore_Empty(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		revCheck(t, []revCase{{"", ""}})
	})
}

func TestCore_OneChar(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		revCheck(t, []revCase{{"a", "a"}, {"Z", "Z"}, {" ", " "}})
		rng := kit.Rand(t)
		var drawn []revCase
		for range revDrawn {
			c := string(revASCII[rng.IntN(len(revASCII))])
			drawn = append(drawn, revCase{c, c})
		}
		revCheckDrawn(t, drawn)
	})
}

func TestCore_ASCII(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		revCheck(t, []revCase{
			{"ab", "ba"},
			{"abc", "cba"},
			{"abcd", "dcba"},
			{"hello", "olleh"},
			{"Hello, World!", "!dlroW ,olleH"},
			{"Go is fun", "nuf si oG"},
			{"1234567890", "0987654321"},
		})
		revCheckDrawn(t, revDrawCases(t, revASCII, nil))
	})
}

func TestCore_Palindrome(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		revCheck(t, []revCase{
			{"aa", "aa"},
			{"abba", "abba"},
			{"racecar", "racecar"},
			{"step on no pets", "step on no pets"},
		})
		// Drawn ASCII palindromes of odd and even length: half, an optional
		// middle, and the half reversed (multi-byte characters are judged
		// by the tests named after them).
		rng := kit.Rand(t)
		var drawn []revCase
		for i := range revDrawn {
			half := revDraw(rng, revASCII, nil, 1, 20)
			mid := ""
			if i%2 == 1 {
				mid = string(revASCII[rng.IntN(len(revASCII))])
			}
			p := half + mid + revRunes(half)
			drawn = append(drawn, revCase{p, p})
		}
		revCheckDrawn(t, drawn)
	})
}

func TestCore_MultiByteLatin(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		revCheck(t, []revCase{
			{"é", "é"},
			{"héllo", "olléh"},
			{"Ünïcödé", "édöcïnÜ"},
			{"straße", "eßarts"},
			{"Ça va? Très bien", "neib sèrT ?av aÇ"},
		})
		revCheckDrawn(t, revDrawCases(t, append(revRange('a', 'z'), revLatin...), revLatin))
	})
}

func TestCore_CJK(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		revCheck(t, []revCase{
			{"世", "世"},
			{"世界", "界世"},
			{"日本語", "語本日"},
			{"你好，世界", "界世，好你"},
			{"한국어", "어국한"},
		})
		revCheckDrawn(t, revDrawCases(t, revCJK, nil))
	})
}

func TestCore_Emoji(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		revCheck(t, []revCase{
			{"😀", "😀"},
			{"😀🚀", "🚀😀"},
			{"a😀b", "b😀a"},
			{"🎉Go🚀", "🚀oG🎉"},
			{"👍👎🙂", "🙂👎👍"},
		})
		revCheckDrawn(t, revDrawCases(t, append(revRange('a', 'z'), revEmoji...), revEmoji))
	})
}

func TestCore_Mixed(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		revCheck(t, []revCase{
			{"Hello, 世界! 😀", "😀 !界世 ,olleH"},
			{"añb世c🚀d", "d🚀c世bña"},
			{"Go → 世界 🎉", "🎉 界世 → oG"},
			{"x€y", "y€x"},
		})
		revCheckDrawn(t, revDrawCases(t, revMixed, revEmoji))
	})
}

// revSamples are valid inputs of every kind, for the invariant tests.
var revSamples = []string{
	"", "a", "ab", "hello", "Hello, World!", "racecar",
	"héllo", "straße", "世界", "日本語", "😀🚀", "a😀b",
	"Hello, 世界! 😀", "añb世c🚀d",
}

// revInvariantCases are revSamples plus strings drawn for this run over
// every alphabet.
func revInvariantCases(t *testing.T) []revInput {
	cases := make([]revInput, 0, len(revSamples)+revDrawn)
	for _, s := range revSamples {
		cases = append(cases, revInput{in: s})
	}
	for _, c := range revDrawCases(t, revMixed, nil) {
		cases = append(cases, revInput{in: c.in, drawn: true})
	}
	return cases
}

// revInput is an input of the invariant tests; drawn marks one drawn for
// this run.
type revInput struct {
	in    string
	drawn bool
}

func TestCore_RoundTrip(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		for _, c := range revInvariantCases(t) {
			s := c.in
			once, ok := revCall(t, s)
			if !ok {
				continue
			}
			twice, ok := revCall(t, once)
			if !ok {
				continue
			}
			if twice != s {
				msg := fmt.Sprintf("Reverse(Reverse(%q)) does not give the input back (Reverse gave %q once)", s, once)
				if c.drawn {
					msg = fmt.Sprintf("Reverse(Reverse(s)) does not give back a string s drawn for this run\ninput: %s\nReverse gave once: %s", revShow(s), revShow(once))
				}
				kit.FailString(t, msg, s, twice)
			}
		}
	})
}

func TestCore_ByteLength(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		for _, c := range revInvariantCases(t) {
			s := c.in
			got, ok := revCall(t, s)
			if !ok {
				continue
			}
			if len(got) != len(s) {
				msg := fmt.Sprintf("Reverse(%q) returned %q: %d bytes instead of %d, characters were lost, added or re-encoded", s, got, len(got), len(s))
				if c.drawn {
					msg = fmt.Sprintf("Reverse of a string drawn for this run returned %d bytes instead of %d: characters were lost, added or re-encoded\ninput: %s\nresult: %s", len(got), len(s), revShow(s), revShow(got))
				}
				kit.Report(t, kit.Failure{
					Message:  msg,
					Kind:     "text",
					Expected: fmt.Sprint(len(s)),
					Actual:   fmt.Sprint(len(got)),
				})
			}
		}
	})
}

// TestPerf_Allocations counts heap allocations per call on a 1000-character
// string (2200 bytes).
//
// Why at most 50: every efficient approach needs a small constant number of
// allocations: []rune(s) plus string(runes) is 2, a strings.Builder with
// Grow(len(s)) is 1, strings.Split(s, "") plus strings.Join is 2, and even a
// strings.Builder or append without pre-sizing only reallocates when its
// buffer doubles, about log2(2200) = 12 times. Building the result by
// concatenation (result = string(r) + result) allocates a new string for
// every character, 1000 times here, and copies the whole result each time,
// which is quadratic. 50 sits far from both.
func TestPerf_Allocations(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		const runes, bound = 1000, 50
		in := strings.Repeat("ab世😀é", runes/5)
		var allocs float64
		if !kit.Call(t, 10*time.Second, func() {
			allocs = testing.AllocsPerRun(20, func() { _ = Reverse(in) })
		}) {
			return
		}
		if allocs > bound {
			kit.Report(t, kit.Failure{
				Message:  fmt.Sprintf("Reverse allocated %.0f times for a %d-character string: it allocates for (almost) every character, e.g. building the result by string concatenation, which also copies the whole result each time (quadratic); at most %d allocations were expected", allocs, runes, bound),
				Kind:     "text",
				Expected: fmt.Sprintf("<= %d allocations", bound),
				Actual:   fmt.Sprintf("%.0f allocations", allocs),
				Hint:     "How many allocations and copies does your loop make for an n-character string?",
			})
		}
	})
}

func TestRobust_InvalidUTF8(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// What the output should be is debatable (U+FFFD per bad byte, or the
		// bad bytes copied through): only require that Reverse returns.
		for _, in := range []string{
			"\xff",
			"a\xffb",
			"\xe4\xb8",       // first two bytes of 世, cut short
			"ab\xe4\xb8",     // cut short at the end
			"\xe4\xb8ab",     // cut short at the start
			"\xb8\x96abc",    // stray continuation bytes
			"\xc0\x80",       // overlong encoding of NUL
			"\xed\xa0\x80",   // encoded surrogate half
			"héllo\xff世\xf0", // mixed valid and invalid
		} {
			revCall(t, in)
		}
	})
}

// Speed on a long string is judged against the harness's own revRunes,
// timed on the same input in the same run, so a loaded machine slows both
// alike. Correct solutions measured here stay within 20x of it (a
// grapheme-aware loop or strings.Split into a million strings are the
// slowest); quadratic work on 1 MiB is thousands of times slower.
const (
	// revSlowRatio is the largest accepted ratio of the candidate's time
	// to the reference's; a call is given up once it runs that long.
	revSlowRatio = 100
	// revGuardFloor is the least time a call is given before it is given
	// up: a hang guard for when the reference was timed on an idle moment,
	// never the judgement of speed.
	revGuardFloor = 2 * time.Second
	// revTries is how often a call that looks too slow is timed (the
	// fastest counts), so one burst of load on the machine is not taken for
	// slowness.
	revTries = 3
)

// revTimeRef times revRunes(in): the fastest of two runs.
func revTimeRef(in string) (string, time.Duration) {
	var want string
	best := time.Duration(1<<63 - 1)
	for range 2 {
		start := time.Now()
		want = revRunes(in)
		if d := time.Since(start); d < best {
			best = d
		}
	}
	return want, best
}

// revTimed calls Reverse(in) in its own goroutine and waits at most limit.
// A panic is reported; a call still running at limit is left behind and
// reported by the caller (timedOut). The result travels on a channel, so a
// call that finishes late touches nothing the harness reads.
func revTimed(t *testing.T, in string, limit time.Duration) (got string, took time.Duration, ok, timedOut bool) {
	t.Helper()
	type outcome struct {
		got      string
		took     time.Duration
		panicked any
	}
	done := make(chan outcome, 1)
	go func() {
		start := time.Now()
		finished := false
		var got string
		defer func() {
			if finished {
				done <- outcome{got: got, took: time.Since(start)}
				return
			}
			r := recover()
			if r == nil {
				r = "runtime.Goexit (or panic(nil)) in the code under test"
			}
			done <- outcome{panicked: kit.PanicMessage(r)}
		}()
		got = Reverse(in)
		finished = true
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case o := <-done:
		if o.panicked != nil {
			kit.Fail(t, "%v", o.panicked)
			kit.Fail(t, "the call that failed above was Reverse(%s)", revShow(in))
			return "", 0, false, false
		}
		return o.got, o.took, true, false
	case <-timer.C:
		return "", limit, false, true
	}
}

// TestRobust_LongString reverses a string of about 1 MiB drawn for this run (ASCII,
// Latin, CJK and emoji) and judges its speed against revRunes.
func TestRobust_LongString(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		rng := kit.Rand(t)
		alphabet := []rune("abcdefghijklmnopqrstuvwxyz ,.éßñÜ世界語中😀🚀🎉")
		// Several characters per random draw: building the string stays
		// cheap next to what is timed.
		draw := func(buf []byte, runes int) []byte {
			for n := 0; n < runes; {
				x := rng.Uint64()
				for i := 0; i < 10 && n < runes; i++ {
					buf = utf8.AppendRune(buf, alphabet[x%uint64(len(alphabet))])
					x /= uint64(len(alphabet))
					n++
				}
			}
			return buf
		}
		// Two drawn halves of the same length around two different
		// characters: an even number of characters whose middle pair
		// differs, always. A swap loop that runs one step too far undoes
		// the middle swap, and only that shows it (equal middle characters,
		// drawn now and then, would hide it).
		const half = 320_000 // about 1 MiB in all
		buf := make([]byte, 0, (2*half+2)*utf8.UTFMax)
		buf = draw(buf, half)
		buf = append(buf, "<>"...)
		buf = draw(buf, half)
		in := string(buf)
		want, ref := revTimeRef(in)
		ref = revClampDur(ref, time.Microsecond, time.Hour)
		// Whole seconds, so the message reads the same from run to run.
		guard := (revClampDur(revSlowRatio*ref, revGuardFloor, time.Hour) + time.Second - 1).Truncate(time.Second)
		got, took, ok, timedOut := revTimed(t, in, guard)
		if timedOut {
			kit.Report(t, kit.Failure{
				Message: fmt.Sprintf("Reverse of a %d-byte string (%d characters) was given up after running at least %dx as long as the harness's reference reversal of the same string in this run: quadratic work such as prepending with string concatenation or shifting a slice for every character, or an endless loop\ngiven up after %v; the reference took %v",
					len(in), utf8.RuneCountInString(in), revSlowRatio, guard, ref.Round(time.Microsecond)),
				Hint: "How does the running time of your solution grow with the length of the string?",
			})
			return
		}
		if !ok {
			return
		}
		if got != want {
			revLongDiff(t, in, want, got)
			return
		}
		for try := 1; try < revTries && took > revSlowRatio*ref; try++ {
			// Time both again: the fastest of each counts.
			if _, r := revTimeRef(in); r < ref {
				ref = revClampDur(r, time.Microsecond, time.Hour)
			}
			_, again, ok, timedOut := revTimed(t, in, guard)
			if !ok || timedOut {
				break
			}
			if again < took {
				took = again
			}
		}
		if ratio := float64(took) / float64(ref); ratio > revSlowRatio {
			kit.Report(t, kit.Failure{
				Message: fmt.Sprintf("Reverse of a %d-byte string took %.0fx as long as the harness's reference reversal of the same string in this run (at most %dx is accepted): far more work than one pass over the string\nfastest of %d tries: %v; the reference: %v",
					len(in), ratio, revSlowRatio, revTries, took.Round(time.Microsecond), ref.Round(time.Microsecond)),
				Kind:     "text",
				Expected: fmt.Sprintf("<= %dx the reference", revSlowRatio),
				Actual:   fmt.Sprintf("%.1fx the reference", ratio),
				Hint:     "How does the running time of your solution grow with the length of the string?",
			})
		}
	})
}

// revLongDiff reports a wrong answer to the long string by its first
// differing characters.
func revLongDiff(t *testing.T, in, want, got string) {
	t.Helper()
	why, hint := revDiagnose(in, want, got)
	wr, gr := []rune(want), []rune(got)
	i := 0
	for i < len(wr) && i < len(gr) && wr[i] == gr[i] {
		i++
	}
	lo := revClamp(i-5, 0, len(wr))
	hi := revClamp(lo+20, 0, len(wr))
	// Characters are counted from 1, as the CLI's and the page's diffs do.
	kit.Report(t, kit.Failure{
		Message:  fmt.Sprintf("Reverse of a %d-byte string drawn for this run: %s; first difference at character %d (showing characters %d to %d)", len(in), why, i+1, lo+1, hi),
		Kind:     "string",
		Expected: strconv.Quote(string(wr[lo:hi])),
		Actual:   strconv.Quote(string(gr[revClamp(lo, 0, len(gr)):revClamp(lo+20, 0, len(gr))])),
		Hint:     hint,
	})
}

// revClampDur bounds d to [lo, hi].
func revClampDur(d, lo, hi time.Duration) time.Duration {
	if d < lo {
		return lo
	}
	if d > hi {
		return hi
	}
	return d
}

// TestRobust_LeadingCombiningMark: a combining mark with no character
// before it (the start of the string). Code-point and grapheme-aware
// solutions alike must return without panicking and keep every code point.
func TestRobust_LeadingCombiningMark(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		for _, in := range []string{
			"\u0301abc",
			"\u0301",
			"\u0301\u0308",
			"\u0303x\u0301y",
			"\u0301世界😀",
		} {
			got, ok := revCall(t, in)
			if !ok {
				return
			}
			if !revSameRunes(in, got) {
				kit.Report(t, kit.Failure{
					Message:  fmt.Sprintf("Reverse(%+q) returned %+q: code points were lost, added or changed", in, got),
					Kind:     "string",
					Expected: strconv.QuoteToASCII(revRunes(in)),
					Actual:   strconv.QuoteToASCII(got),
					Hint:     "What does your solution do with a combining mark that has no character before it?",
				})
				return
			}
		}
	})
}

// revSameRunes reports whether a and b hold the same code points, in any
// order.
func revSameRunes(a, b string) bool {
	count := map[rune]int{}
	for _, r := range a {
		count[r]++
	}
	for _, r := range b {
		count[r]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

// Combining marks come in three general categories, and a grapheme-aware
// Reverse keeps all of them with their base: non-spacing (Mn: accents such
// as U+0301), spacing (Mc: most vowel signs of Devanagari, Bengali, Tamil
// and other Brahmic scripts) and enclosing (Me: U+20DD COMBINING ENCLOSING
// CIRCLE, the Cyrillic multiplier signs). A solution that checks only Mn
// (unicode.Mn, or the block U+0300..U+036F) moves the others.
var (
	revMarksMn = revMarks(unicode.Mn)
	revMarksMc = revMarks(unicode.Mc)
	revMarksMe = revMarks(unicode.Me)
	// Bases in several scripts: Latin, Greek, Cyrillic, Devanagari,
	// Bengali, Tamil, Thai consonants, and CJK.
	revMarkBases = slices.Concat(revRange('a', 'z'), revLatin, revRange(0x3b1, 0x3c9), revRange(0x430, 0x44f),
		revRange(0x915, 0x939), revRange(0x995, 0x9a8), []rune("கஙசஞடணதநபமயரலவழளறன"), revRange(0xe01, 0xe2e), revCJK[:64])
)

// revMarks lists the code points of a mark category that every reading of
// "a base and its marks" attaches to the base before them. Left out: the
// few spacing marks that Unicode's grapheme rules do not attach (they start
// a cluster of their own), and the viramas that join two consonants into
// one cluster in recent Unicode versions when a consonant follows.
func revMarks(table *unicode.RangeTable) []rune {
	unattached := map[rune]bool{0x102B: true, 0x102C: true, 0x1038: true, 0x1083: true, 0x108F: true,
		0x1A61: true, 0x1A63: true, 0x1A64: true, 0xAA7B: true, 0xAA7D: true, 0x11720: true, 0x11721: true,
		0x094D: true, 0x09CD: true, 0x0ACD: true, 0x0B4D: true, 0x0C4D: true, 0x0D4D: true}
	for r := rune(0x1062); r <= 0x1064; r++ {
		unattached[r] = true
	}
	for r := rune(0x1067); r <= 0x106D; r++ {
		unattached[r] = true
	}
	for r := rune(0x1087); r <= 0x108C; r++ {
		unattached[r] = true
	}
	for r := rune(0x109A); r <= 0x109C; r++ {
		unattached[r] = true
	}
	var out []rune
	add := func(lo, hi, stride rune) {
		for r := lo; r <= hi; r += stride {
			if !unattached[r] {
				out = append(out, r)
			}
		}
	}
	// Walked range by range: every test process builds these lists, so no
	// scan of all of Unicode.
	for _, r := range table.R16 {
		add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
	}
	for _, r := range table.R32 {
		add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
	}
	return out
}

// revClusters reverses s by base character, counting as marks the code
// points isMark accepts: the answer (with unicode.M), and also what a
// solution that knows only some marks gives, to recognise that mistake.
func revClusters(s string, isMark func(rune) bool) string {
	r := []rune(s)
	out := make([]rune, 0, len(r))
	for end := len(r); end > 0; {
		start := end - 1
		for start > 0 && isMark(r[start]) {
			start--
		}
		out = append(out, r[start:end]...)
		end = start
	}
	return string(out)
}

// revCodePoints lists the code points of s, naming the category of each
// mark, e.g. "U+0915 U+093F(Mc)".
func revCodePoints(s string) string {
	var parts []string
	for _, r := range s {
		p := fmt.Sprintf("U+%04X", r)
		for _, c := range []string{"Mn", "Mc", "Me"} {
			if unicode.Is(unicode.Categories[c], r) {
				p += "(" + c + ")"
			}
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// revDrawMarked draws a string of 2..11 base characters, each followed by
// up to two marks of categories drawn among Mn, Mc and Me, holding at least
// one mark of each category whatever the seed.
func revDrawMarked(rng *rand.Rand) string {
	cats := [][]rune{revMarksMn, revMarksMc, revMarksMe}
	clusters := make([][]rune, 2+rng.IntN(10))
	for i := range clusters {
		clusters[i] = []rune{revMarkBases[rng.IntN(len(revMarkBases))]}
		for range rng.IntN(3) {
			cat := cats[rng.IntN(len(cats))]
			clusters[i] = append(clusters[i], cat[rng.IntN(len(cat))])
		}
	}
	for _, cat := range cats {
		if !slices.ContainsFunc(slices.Concat(clusters...), func(r rune) bool { return slices.Contains(cat, r) }) {
			i := rng.IntN(len(clusters))
			clusters[i] = append(clusters[i], cat[rng.IntN(len(cat))])
		}
	}
	return string(slices.Concat(clusters...))
}

func TestFollowup_CombiningMarks(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		// "e" + U+0301 COMBINING ACUTE ACCENT is one visible character "é";
		// reversing code points would move the accent onto another letter.
		cases := []revCase{
			{"e\u0301", "e\u0301"},
			{"cafe\u0301", "e\u0301fac"},
			{"man\u0303ana", "anan\u0303am"},
			{"a\u0301\u0308b", "ba\u0301\u0308"},
			{"x\u0302y\u0302z", "zy\u0302x\u0302"},
			// Spacing marks (Mc): Devanagari "किताब" (vowel signs I and
			// AA), Bengali "বাংলা" (vowel sign AA, anusvara), Tamil "தமிழ்"
			// (vowel sign I, then a virama, Mn, at the end).
			{"\u0915\u093f\u0924\u093e\u092c", "\u092c\u0924\u093e\u0915\u093f"},
			{"\u09ac\u09be\u0982\u09b2\u09be", "\u09b2\u09be\u09ac\u09be\u0982"},
			{"\u0ba4\u0bae\u0bbf\u0bb4\u0bcd", "\u0bb4\u0bcd\u0bae\u0bbf\u0ba4"},
			// Enclosing marks (Me): digits in circles, a Cyrillic letter with
			// the hundred-thousands sign, a keycap after an accent.
			{"1\u20dd2\u20dd3", "32\u20dd1\u20dd"},
			{"\u0430\u0488\u0431", "\u0431\u0430\u0488"},
			{"e\u0301\u20e3x", "xe\u0301\u20e3"},
		}
		fixed := len(cases)
		// Drawn for this run: bases in several scripts, each followed by up
		// to two marks from all three categories (every string holds at
		// least one of each).
		rng := kit.Rand(t)
		for range revDrawn {
			in := revDrawMarked(rng)
			cases = append(cases, revCase{in, revClusters(in, unicode.IsMark)})
		}
		isMn := func(r rune) bool { return unicode.Is(unicode.Mn, r) }
		for i, c := range cases {
			got, ok := revCall(t, c.in)
			if !ok || got == c.want {
				continue
			}
			drawn := i >= fixed
			why := "combining marks were not kept with their base character"
			byRune, byMn := revRunes(c.in), revClusters(c.in, isMn)
			switch {
			case got == byRune && got == byMn: // no Mn in the input
				why = "its spacing (Mc) or enclosing (Me) marks moved onto the wrong letter: a mark of every category belongs to the character before it"
			case got == byRune:
				why = "reversed by code point, so each combining mark moved onto the wrong letter"
			case got == byMn:
				why = "only non-spacing marks (Mn) stayed with their base; spacing (Mc) and enclosing (Me) marks were moved as characters of their own"
			}
			msg := fmt.Sprintf("Reverse(%+q): %s (expected %+q, got %+q)\ninput by code point: %s", c.in, why, c.want, got, revCodePoints(c.in))
			if drawn {
				msg = fmt.Sprintf("Reverse of a string drawn for this run: %s\ninput: %+q\ninput by code point: %s\nexpected %+q, got %+q",
					why, c.in, revCodePoints(c.in), c.want, got)
			}
			kit.Report(t, kit.Failure{
				Message:  msg,
				Kind:     "string",
				Expected: strconv.QuoteToASCII(c.want),
				Actual:   strconv.QuoteToASCII(got),
				Hint:     "How would you handle combining characters such as e + U+0301?",
			})
		}
	})
}

// revClamp bounds v to [lo, hi].
func revClamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
