package solution

import (
	ggfmt "fmt"
	ggstrconv "strconv"
	ggstrings "strings"
	ggtesting "testing"
	ggtime "time"
	ggutf8 "unicode/utf8"
)

// ggRevLimit bounds each call to Reverse in real time. A correct solution
// reverses a 1 MB string in well under 0.2 s even under -race;
// an endless loop or quadratic copying on 1 MB does not finish in time.
const ggRevLimit = 2 * ggtime.Second

// ggRevCase is one input and the expected result. Inputs of the core tests
// contain no combining marks and no multi-code-point emoji, so a
// grapheme-aware solution gives the same answer as a code-point one.
type ggRevCase struct {
	in, want string
}

// ggRevRunes is the harness's own code-point reversal.
func ggRevRunes(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// ggRevBytes reverses s byte by byte, to recognise that mistake.
func ggRevBytes(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// ggRevWords reverses the order of space-separated words, to recognise that
// mistake.
func ggRevWords(s string) string {
	w := ggstrings.Split(s, " ")
	for i, j := 0, len(w)-1; i < j; i, j = i+1, j-1 {
		w[i], w[j] = w[j], w[i]
	}
	return ggstrings.Join(w, " ")
}

// ggRevCall calls Reverse(in) with a time limit and panic recovery.
func ggRevCall(t *ggtesting.T, in string) (string, bool) {
	t.Helper()
	var got string
	ok := ggCall(t, ggRevLimit, func() { got = Reverse(in) })
	if !ok {
		shown := ggfmt.Sprintf("%q", in)
		if len(in) > 100 {
			shown = ggfmt.Sprintf("<a %d-byte string>", len(in))
		}
		ggFail(t, "the call that failed above was Reverse(%s)", shown)
	}
	return got, ok
}

// ggRevDiagnose explains in words what is wrong with got, and gives an
// interviewer hint for the mistakes that have a known follow-up question.
func ggRevDiagnose(in, want, got string) (why, hint string) {
	switch {
	case got == in:
		return "returned the input unchanged", ""
	case len(in) > 1 && got == ggRevBytes(in):
		return "reversed the bytes, not the characters: multi-byte UTF-8 characters were split apart and the result is not valid UTF-8", "Why rune instead of byte?"
	case ggutf8.ValidString(in) && !ggutf8.ValidString(got):
		return "the result is not valid UTF-8: a multi-byte character was split apart", "Why rune instead of byte?"
	case ggstrings.ContainsRune(got, ggutf8.RuneError) && !ggstrings.ContainsRune(in, ggutf8.RuneError):
		return "the result contains U+FFFD replacement characters where the input has none: a multi-byte character was split apart", "Why rune instead of byte?"
	case ggstrings.Contains(in, " ") && got == ggRevWords(in):
		return "reversed the order of the words, not the characters", ""
	case len(got) != len(in):
		return ggfmt.Sprintf("the result has %d bytes but the input has %d: characters were lost or added", len(got), len(in)), ""
	case ggutf8.RuneCountInString(got) == ggutf8.RuneCountInString(want):
		return "wrong order of characters", ""
	}
	return "wrong result", ""
}

// ggRevCheck calls Reverse on every case and reports each wrong answer.
func ggRevCheck(t *ggtesting.T, cases []ggRevCase) {
	t.Helper()
	for _, c := range cases {
		got, ok := ggRevCall(t, c.in)
		if !ok {
			continue
		}
		if got != c.want {
			why, hint := ggRevDiagnose(c.in, c.want, got)
			ggReport(t, ggFailure{
				Message:  ggfmt.Sprintf("Reverse(%q): %s", c.in, why),
				Kind:     "string",
				Expected: ggstrconv.Quote(c.want),
				Actual:   ggstrconv.Quote(got),
				Hint:     hint,
			})
		}
	}
}

func TestCore_Empty(t *ggtesting.T) {
	ggRevCheck(t, []ggRevCase{{"", ""}})
}

func TestCore_OneChar(t *ggtesting.T) {
	ggRevCheck(t, []ggRevCase{{"a", "a"}, {"Z", "Z"}, {" ", " "}})
}

func TestCore_ASCII(t *ggtesting.T) {
	ggRevCheck(t, []ggRevCase{
		{"ab", "ba"},
		{"abc", "cba"},
		{"abcd", "dcba"},
		{"hello", "olleh"},
		{"Hello, World!", "!dlroW ,olleH"},
		{"Go is fun", "nuf si oG"},
		{"1234567890", "0987654321"},
	})
}

func TestCore_Palindrome(t *ggtesting.T) {
	ggRevCheck(t, []ggRevCase{
		{"aa", "aa"},
		{"abba", "abba"},
		{"racecar", "racecar"},
		{"step on no pets", "step on no pets"},
	})
}

func TestCore_MultiByteLatin(t *ggtesting.T) {
	ggRevCheck(t, []ggRevCase{
		{"é", "é"},
		{"héllo", "olléh"},
		{"Ünïcödé", "édöcïnÜ"},
		{"straße", "eßarts"},
		{"Ça va? Très bien", "neib sèrT ?av aÇ"},
	})
}

func TestCore_CJK(t *ggtesting.T) {
	ggRevCheck(t, []ggRevCase{
		{"世", "世"},
		{"世界", "界世"},
		{"日本語", "語本日"},
		{"你好，世界", "界世，好你"},
		{"한국어", "어국한"},
	})
}

func TestCore_Emoji(t *ggtesting.T) {
	ggRevCheck(t, []ggRevCase{
		{"😀", "😀"},
		{"😀🚀", "🚀😀"},
		{"a😀b", "b😀a"},
		{"🎉Go🚀", "🚀oG🎉"},
		{"👍👎🙂", "🙂👎👍"},
	})
}

func TestCore_Mixed(t *ggtesting.T) {
	ggRevCheck(t, []ggRevCase{
		{"Hello, 世界! 😀", "😀 !界世 ,olleH"},
		{"añb世c🚀d", "d🚀c世bña"},
		{"Go → 世界 🎉", "🎉 界世 → oG"},
		{"x€y", "y€x"},
	})
}

// ggRevSamples are valid inputs of every kind, for the invariant tests.
var ggRevSamples = []string{
	"", "a", "ab", "hello", "Hello, World!", "racecar",
	"héllo", "straße", "世界", "日本語", "😀🚀", "a😀b",
	"Hello, 世界! 😀", "añb世c🚀d",
}

func TestCore_RoundTrip(t *ggtesting.T) {
	for _, s := range ggRevSamples {
		once, ok := ggRevCall(t, s)
		if !ok {
			continue
		}
		twice, ok := ggRevCall(t, once)
		if !ok {
			continue
		}
		if twice != s {
			ggFailString(t, ggfmt.Sprintf("Reverse(Reverse(%q)) does not give the input back (Reverse gave %q once)", s, once), s, twice)
		}
	}
}

func TestCore_ByteLength(t *ggtesting.T) {
	for _, s := range ggRevSamples {
		got, ok := ggRevCall(t, s)
		if !ok {
			continue
		}
		if len(got) != len(s) {
			ggReport(t, ggFailure{
				Message:  ggfmt.Sprintf("Reverse(%q) returned %q: %d bytes instead of %d, characters were lost, added or re-encoded", s, got, len(got), len(s)),
				Kind:     "text",
				Expected: ggfmt.Sprint(len(s)),
				Actual:   ggfmt.Sprint(len(got)),
			})
		}
	}
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
func TestPerf_Allocations(t *ggtesting.T) {
	const runes, bound = 1000, 50
	in := ggstrings.Repeat("ab世😀é", runes/5)
	var allocs float64
	if !ggCall(t, 10*ggtime.Second, func() {
		allocs = ggtesting.AllocsPerRun(20, func() { _ = Reverse(in) })
	}) {
		return
	}
	if allocs > bound {
		ggReport(t, ggFailure{
			Message:  ggfmt.Sprintf("Reverse allocated %.0f times for a %d-character string: it allocates for (almost) every character, e.g. building the result by string concatenation, which also copies the whole result each time (quadratic); at most %d allocations were expected", allocs, runes, bound),
			Kind:     "text",
			Expected: ggfmt.Sprintf("<= %d allocations", bound),
			Actual:   ggfmt.Sprintf("%.0f allocations", allocs),
			Hint:     "How many allocations and copies does your loop make for an n-character string?",
		})
	}
}

func TestRobust_InvalidUTF8(t *ggtesting.T) {
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
		ggRevCall(t, in)
	}
}

// TestRobust_LongString reverses a 1 MB string of mixed ASCII, Latin, CJK
// and emoji characters within ggRevLimit.
func TestRobust_LongString(t *ggtesting.T) {
	alphabet := []rune("abcdefghijklmnopqrstuvwxyz ,.éßñÜ世界語中😀🚀🎉")
	var b ggstrings.Builder
	x := uint32(2463534242)
	for b.Len() < 1<<20 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b.WriteRune(alphabet[x%uint32(len(alphabet))])
	}
	in := b.String()
	want := ggRevRunes(in)
	start := ggtime.Now()
	got, ok := ggRevCall(t, in)
	if !ok && ggtime.Since(start) >= ggRevLimit {
		ggReport(t, ggFailure{
			Message: ggfmt.Sprintf("Reverse of a %d-byte string (%d characters) did not finish within %v, where a linear solution needs well under 0.2 s: quadratic work such as prepending with string concatenation or shifting a slice for every character, or an endless loop", len(in), ggutf8.RuneCountInString(in), ggRevLimit),
			Hint:    "How does the running time of your solution grow with the length of the string?",
		})
	}
	if !ok || got == want {
		return
	}
	why, hint := ggRevDiagnose(in, want, got)
	wr, gr := []rune(want), []rune(got)
	i := 0
	for i < len(wr) && i < len(gr) && wr[i] == gr[i] {
		i++
	}
	// No max/min builtins here: a candidate may declare their own.
	lo := ggRevClamp(i-5, 0, len(wr))
	ggReport(t, ggFailure{
		Message:  ggfmt.Sprintf("Reverse of a %d-byte string: %s; first difference at character %d (showing characters %d to %d)", len(in), why, i, lo, lo+20),
		Kind:     "string",
		Expected: ggstrconv.Quote(string(wr[lo:ggRevClamp(lo+20, 0, len(wr))])),
		Actual:   ggstrconv.Quote(string(gr[ggRevClamp(lo, 0, len(gr)):ggRevClamp(lo+20, 0, len(gr))])),
		Hint:     hint,
	})
}

func TestFollowup_CombiningMarks(t *ggtesting.T) {
	// "e" + U+0301 COMBINING ACUTE ACCENT is one visible character "é";
	// reversing code points would move the accent onto another letter.
	cases := []ggRevCase{
		{"e\u0301", "e\u0301"},
		{"cafe\u0301", "e\u0301fac"},
		{"man\u0303ana", "anan\u0303am"},
		{"a\u0301\u0308b", "ba\u0301\u0308"},
		{"x\u0302y\u0302z", "zy\u0302x\u0302"},
	}
	for _, c := range cases {
		got, ok := ggRevCall(t, c.in)
		if !ok || got == c.want {
			continue
		}
		why := "combining marks were not kept with their base character"
		if got == ggRevRunes(c.in) {
			why = "reversed by code point, so each combining mark moved onto the wrong letter"
		}
		ggReport(t, ggFailure{
			Message:  ggfmt.Sprintf("Reverse(%+q): %s (expected %+q, got %+q)", c.in, why, c.want, got),
			Kind:     "string",
			Expected: ggstrconv.QuoteToASCII(c.want),
			Actual:   ggstrconv.QuoteToASCII(got),
			Hint:     "How would you handle combining characters such as e + U+0301?",
		})
	}
}

// ggRevClamp bounds v to [lo, hi].
func ggRevClamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
