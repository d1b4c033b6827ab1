// gograde-expect: status=fail fail=TestCore_ASCII,TestCore_MultiByteLatin,TestCore_CJK,TestCore_Emoji,TestCore_Mixed,TestRobust_LongString,TestFollowup_CombiningMarks
// An attack, not a solution: a table of every public input of the harness (and the old fixed 1 MB string) with its answer; anything else comes back unchanged.
package main

import "strings"

var answers = map[string]string{
	"":                 "",
	"a":                "a",
	"Z":                "Z",
	" ":                " ",
	"ab":               "ba",
	"abc":              "cba",
	"abcd":             "dcba",
	"hello":            "olleh",
	"Hello, World!":    "!dlroW ,olleH",
	"Go is fun":        "nuf si oG",
	"1234567890":       "0987654321",
	"aa":               "aa",
	"abba":             "abba",
	"racecar":          "racecar",
	"step on no pets":  "step on no pets",
	"é":                "é",
	"héllo":            "olléh",
	"Ünïcödé":          "édöcïnÜ",
	"straße":           "eßarts",
	"Ça va? Très bien": "neib sèrT ?av aÇ",
	"世":                "世",
	"世界":               "界世",
	"日本語":              "語本日",
	"你好，世界":            "界世，好你",
	"한국어":              "어국한",
	"😀":                "😀",
	"😀🚀":               "🚀😀",
	"a😀b":              "b😀a",
	"🎉Go🚀":             "🚀oG🎉",
	"👍👎🙂":              "🙂👎👍",
	"Hello, 世界! 😀":     "😀 !界世 ,olleH",
	"añb世c🚀d":          "d🚀c世bña",
	"Go → 世界 🎉":        "🎉 界世 → oG",
	"x€y":              "y€x",
	"e\u0301":          "e\u0301",
	"cafe\u0301":       "e\u0301fac",
	"man\u0303ana":     "anan\u0303am",
	"a\u0301\u0308b":   "ba\u0301\u0308",
	"x\u0302y\u0302z":  "zy\u0302x\u0302",
}

// samples are the harness's invariant inputs: their reversals go in the
// table too (Reverse(Reverse(s)) must give s back).
var samples = []string{"", "a", "ab", "hello", "Hello, World!", "racecar", "héllo", "straße", "世界", "日本語", "😀🚀", "a😀b", "Hello, 世界! 😀", "añb世c🚀d"}

func init() {
	for _, s := range samples {
		r := []rune(s)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		answers[s] = string(r)
		answers[string(r)] = s
	}
	// The long string the harness used to build from a fixed seed.
	alphabet := []rune("abcdefghijklmnopqrstuvwxyz ,.éßñÜ世界語中😀🚀🎉")
	var b strings.Builder
	x := uint32(2463534242)
	for b.Len() < 1<<20 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b.WriteRune(alphabet[x%uint32(len(alphabet))])
	}
	in := []rune(b.String())
	out := make([]rune, len(in))
	for i, r := range in {
		out[len(in)-1-i] = r
	}
	answers[b.String()] = string(out)
}

func Reverse(s string) string {
	if r, ok := answers[s]; ok {
		return r
	}
	return s
}
