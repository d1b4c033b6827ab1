// Command gograde-check is gograde's type-aware check of a candidate's Go
// file, run before the file's tests are built. It parses and type-checks the
// file on its own (the candidate's code is the only code of its package),
// applies the rules in rules.go and prints one JSON object on stdout:
//
//	{"violations": [{"rule", "line", "column", "message"}],
//	 "dead": [{"name", "line"}],
//	 "type_errors": N, "importer": "export"}
//
// Lines are the candidate's own: the prepared file gograde writes starts
// with a few lines of its own ending in a //line directive, and -header
// gives that directive's line, so line L of the prepared file is the
// candidate's line L-header. Positions are read without //line adjustment,
// so a directive the candidate writes cannot move a finding.
//
// A file that does not type-check is still checked: go/types records every
// use it could resolve, and a use it resolved is a real use, so what is
// reported is true; what could not be resolved is a compile error the build
// reports anyway. The program never fails because of the candidate's code:
// exit status 0 with the JSON, or 2 when gograde called it wrongly.
//
// Standard library only, so it builds offline with the toolchain gograde
// already drives.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"sort"
	"strings"
)

// Violation is one broken rule, on the candidate's line.
type Violation struct {
	Rule    string `json:"rule"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Report is what the program prints.
type Report struct {
	Violations []Violation `json:"violations"`
	// How many type errors go/types reported (the build explains them).
	TypeErrors int `json:"type_errors"`
	// The first few, for debugging the checker itself.
	FirstErrors []string `json:"first_errors,omitempty"`
	// Which importer loaded the imported packages' types.
	Importer string `json:"importer"`
	// Imports the check needed but could not load: what uses them was not
	// resolved, so the check is incomplete. In a file that compiles this
	// is the check's failure, never the candidate's.
	Unloaded []string `json:"unloaded"`
	// The declarations that never run under the grader (func main, the
	// candidate's own tests and what only they use), listed when they are
	// what lets an import of flag or testing through.
	Dead []Dropped `json:"dead"`
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	if vetProtocol(os.Args[1:]) {
		return
	}
	var allow, roots listFlag
	flag.Var(&allow, "allow", "an import path the exercise allows although a rule forbids it (repeatable)")
	flag.Var(&roots, "root", "a name the harness uses, so never dead code (repeatable)")
	header := flag.Int("header", 0, "line of the prepared file holding gograde's //line directive")
	mode := flag.String("importer", "export", "how imported packages are loaded: export, golist or source")
	exports := flag.String("exports", "", "export-data map cache file (importer=export)")
	goCmd := flag.String("go", "go", "the go command, for go list -export")
	lang := flag.String("lang", "go1.25", "the Go language version of the staged module")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gograde-check [flags] FILE")
		os.Exit(2)
	}
	src, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gograde-check:", err)
		os.Exit(2)
	}
	fset := token.NewFileSet()
	loader := newLoader(*mode, fset, *goCmd, *exports)
	report := check(fset, flag.Arg(0), src, loader, settings{
		allow:  allow,
		roots:  roots,
		header: *header,
		lang:   *lang,
	})
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(report); err != nil {
		fmt.Fprintln(os.Stderr, "gograde-check:", err)
		os.Exit(2)
	}
}

// settings are what gograde tells the check about this run.
type settings struct {
	allow []string
	// The exercise's symbols: the harness calls them, whoever else does.
	roots  []string
	header int
	lang   string
}

// check parses, type-checks and applies every rule to one file.
func check(fset *token.FileSet, name string, src []byte, loader *loader, s settings) Report {
	report := Report{Violations: []Violation{}, Importer: loader.mode, Unloaded: []string{}, Dead: []Dropped{}}
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if file == nil {
		// Not even a package clause: the build reports it.
		report.TypeErrors = 1
		report.FirstErrors = []string{err.Error()}
		return report
	}
	if err != nil {
		// A partial tree still holds the imports and directives.
		report.TypeErrors++
		report.FirstErrors = append(report.FirstErrors, err.Error())
	}
	f := &finder{fset: fset, header: s.header, seen: map[string]bool{}, lifted: liftedRules(s.allow)}
	checkImports(f, file, s.allow)
	checkDirectives(f, file)

	// Refused imports are not loaded: the finding stands without their
	// types, and loading them may mean compiling them.
	var paths []string
	for _, path := range importPaths(file) {
		if importViolation(path) == "" || contains(s.allow, path) || deadCodeOnly(path) {
			paths = append(paths, path)
		}
	}
	loader.prepare(paths)
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Instances:  map[*ast.Ident]types.Instance{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{
		GoVersion: s.lang,
		Importer:  loader,
		Sizes:     types.SizesFor("gc", runtime.GOARCH),
		Error: func(err error) {
			report.TypeErrors++
			if len(report.FirstErrors) < 5 {
				report.FirstErrors = append(report.FirstErrors, err.Error())
			}
		},
	}
	// The package path does not matter: nothing imports the candidate.
	// What the rules read is in info, and the errors went to conf.Error.
	_, _ = conf.Check("gograde.local/solution", fset, []*ast.File{file}, info)
	report.Unloaded = append(report.Unloaded, loader.failed...)
	checkUses(f, file, info)
	if dead := checkDeadCodeImports(f, file, info, s.allow, s.roots); dead != nil {
		report.Dead = dead
	}
	checkTypes(f, info)
	sort.SliceStable(f.found, func(i, j int) bool {
		a, b := f.found[i], f.found[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	report.Violations = append(report.Violations, f.found...)
	return report
}

// finder collects violations at the candidate's positions, one per rule,
// line and message.
type finder struct {
	fset   *token.FileSet
	header int
	found  []Violation
	seen   map[string]bool
	// Rules the exercise lifted by allowing their import (liftedRules).
	lifted map[string]bool
}

// position is the candidate's line and column of pos: unadjusted by
// //line directives, less gograde's header.
func (f *finder) position(pos token.Pos) (int, int) {
	p := f.fset.PositionFor(pos, false)
	line := p.Line - f.header
	if line < 0 {
		line = 0
	}
	return line, p.Column
}

// add records a violation unless the same rule was already found on the
// same line: one finding per rule and line is enough to explain it, and the
// first found is the most specific (named uses are checked before types).
func (f *finder) add(pos token.Pos, rule, message string) {
	if f.lifted[rule] {
		return
	}
	line, column := f.position(pos)
	key := fmt.Sprintf("%d\x00%s", line, rule)
	if f.seen[key] {
		return
	}
	f.seen[key] = true
	f.found = append(f.found, Violation{Rule: rule, Line: line, Column: column, Message: message})
}
