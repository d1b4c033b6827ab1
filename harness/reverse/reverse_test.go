package solution_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gograde.local/solution/kit"
)

// revLimit bounds each call to Reverse in real time. A correct solution
// reverses a 1 MB string in well under 0.2 s even under -race;
// an endless loop or quadratic copying on 1 MB does not finish in time.
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

// revCheck calls Reverse on every case and reports each wrong answer.
func revCheck(t *testing.T, cases []revCase) {
	t.Helper()
	for _, c := range cases {
		got, ok := revCall(t, c.in)
		if !ok {
			continue
		}
		if got != c.want {
			why, hint := revDiagnose(c.in, c.want, got)
			kit.Report(t, kit.Failure{
				Message:  fmt.Sprintf("Reverse(%q): %s", c.in, why),
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
	})
}

// revSamples are valid inputs of every kind, for the invariant tests.
var revSamples = []string{
	"", "a", "ab", "hello", "Hello, World!", "racecar",
	"héllo", "straße", "世界", "日本語", "😀🚀", "a😀b",
	"Hello, 世界! 😀", "añb世c🚀d",
}

func TestCore_RoundTrip(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		for _, s := range revSamples {
			once, ok := revCall(t, s)
			if !ok {
				continue
			}
			twice, ok := revCall(t, once)
			if !ok {
				continue
			}
			if twice != s {
				kit.FailString(t, fmt.Sprintf("Reverse(Reverse(%q)) does not give the input back (Reverse gave %q once)", s, once), s, twice)
			}
		}
	})
}

func TestCore_ByteLength(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		for _, s := range revSamples {
			got, ok := revCall(t, s)
			if !ok {
				continue
			}
			if len(got) != len(s) {
				kit.Report(t, kit.Failure{
					Message:  fmt.Sprintf("Reverse(%q) returned %q: %d bytes instead of %d, characters were lost, added or re-encoded", s, got, len(got), len(s)),
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

// TestRobust_LongString reverses a 1 MB string of mixed ASCII, Latin, CJK
// and emoji characters within revLimit.
func TestRobust_LongString(t *testing.T) {
	kit.Run(t, func(t *testing.T) {
		alphabet := []rune("abcdefghijklmnopqrstuvwxyz ,.éßñÜ世界語中😀🚀🎉")
		var b strings.Builder
		x := uint32(2463534242)
		for b.Len() < 1<<20 {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b.WriteRune(alphabet[x%uint32(len(alphabet))])
		}
		in := b.String()
		want := revRunes(in)
		start := time.Now()
		got, ok := revCall(t, in)
		if !ok && time.Since(start) >= revLimit {
			kit.Report(t, kit.Failure{
				Message: fmt.Sprintf("Reverse of a %d-byte string (%d characters) did not finish within %v, where a linear solution needs well under 0.2 s: quadratic work such as prepending with string concatenation or shifting a slice for every character, or an endless loop", len(in), utf8.RuneCountInString(in), revLimit),
				Hint:    "How does the running time of your solution grow with the length of the string?",
			})
		}
		if !ok || got == want {
			return
		}
		why, hint := revDiagnose(in, want, got)
		wr, gr := []rune(want), []rune(got)
		i := 0
		for i < len(wr) && i < len(gr) && wr[i] == gr[i] {
			i++
		}
		// No max/min builtins here: a candidate may declare their own.
		lo := revClamp(i-5, 0, len(wr))
		kit.Report(t, kit.Failure{
			Message:  fmt.Sprintf("Reverse of a %d-byte string: %s; first difference at character %d (showing characters %d to %d)", len(in), why, i, lo, lo+20),
			Kind:     "string",
			Expected: strconv.Quote(string(wr[lo:revClamp(lo+20, 0, len(wr))])),
			Actual:   strconv.Quote(string(gr[revClamp(lo, 0, len(gr)):revClamp(lo+20, 0, len(gr))])),
			Hint:     hint,
		})
	})
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
		}
		for _, c := range cases {
			got, ok := revCall(t, c.in)
			if !ok || got == c.want {
				continue
			}
			why := "combining marks were not kept with their base character"
			if got == revRunes(c.in) {
				why = "reversed by code point, so each combining mark moved onto the wrong letter"
			}
			kit.Report(t, kit.Failure{
				Message:  fmt.Sprintf("Reverse(%+q): %s (expected %+q, got %+q)", c.in, why, c.want, got),
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
