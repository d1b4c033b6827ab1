// Rules read from the syntax alone: imports (compared after Go's decoding of
// the string literal) and compiler directives.

package main

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// forbiddenImportsTable is the one table of forbidden imports, embedded
// here and in gograde itself (src/core/policy.rs), so both refuse the same
// paths in the same words; its header says how it reads.
//
//go:embed forbidden-imports.txt
var forbiddenImportsTable string

// forbiddenImport is one rule of the table. Checked after strconv.Unquote:
// the compiler decodes "uns\x61fe" and `unsafe` to unsafe, so the check
// must too.
type forbiddenImport struct {
	// path is a path; ending in "/", every path below it; "*.*", every
	// path whose first element has a dot.
	path string
	// live: refused only where code that runs uses it (deadCodeOnly).
	live bool
	why  string
}

var forbiddenImports = parseForbiddenImports(forbiddenImportsTable)

// parseForbiddenImports reads the table; a line that does not read is a
// bug of gograde's, and gograde's own tests parse the same file.
func parseForbiddenImports(text string) []forbiddenImport {
	var rules []forbiddenImport
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 || (fields[1] != "always" && fields[1] != "live") {
			panic(fmt.Sprintf("forbidden-imports.txt line %d does not read: %q", n+1, line))
		}
		rules = append(rules, forbiddenImport{
			path: fields[0],
			live: fields[1] == "live",
			why:  strings.Join(fields[2:], " "),
		})
	}
	return rules
}

func (r forbiddenImport) covers(path string) bool {
	switch {
	case r.path == "*.*":
		first, _, _ := strings.Cut(path, "/")
		return strings.Contains(first, ".")
	case strings.HasSuffix(r.path, "/"):
		return strings.HasPrefix(path, r.path)
	default:
		return path == r.path
	}
}

// forbiddenRule is the first rule of the table covering path, or nil.
func forbiddenRule(path string) *forbiddenImport {
	for i := range forbiddenImports {
		if forbiddenImports[i].covers(path) {
			return &forbiddenImports[i]
		}
	}
	return nil
}

// importViolation says why path is refused, or "".
func importViolation(path string) string {
	if rule := forbiddenRule(path); rule != nil {
		return rule.why
	}
	for _, elem := range strings.Split(path, "/") {
		if elem == "internal" {
			return "which is internal to the standard library"
		}
	}
	if path == "cmd" || !plainPath(path) {
		return "which is not a standard-library package"
	}
	return ""
}

// plainPath reports whether path looks like a standard-library path:
// slash-separated elements of letters, digits and _ + ~ - ., none empty or
// starting with a dot or a dash. This refuses relative and absolute paths
// (which would name folders on the grading host) and anything the go
// command could read as a flag.
func plainPath(path string) bool {
	if path == "" {
		return false
	}
	for _, elem := range strings.Split(path, "/") {
		if elem == "" || elem[0] == '.' || elem[0] == '-' {
			return false
		}
		for _, r := range elem {
			ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
				strings.ContainsRune("_+~-.", r)
			if !ok {
				return false
			}
		}
	}
	return true
}

// importPaths are the file's import paths, decoded; undecodable ones are
// left out (the parser has already reported them).
func importPaths(file *ast.File) []string {
	var paths []string
	for _, spec := range file.Imports {
		if path, err := strconv.Unquote(spec.Path.Value); err == nil {
			paths = append(paths, path)
		}
	}
	return paths
}

func checkImports(f *finder, file *ast.File, allow []string) {
	for _, spec := range file.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil || contains(allow, path) || deadCodeOnly(path) {
			continue
		}
		if why := importViolation(path); why != "" {
			addImport(f, spec, path, why)
		}
	}
}

func addImport(f *finder, spec *ast.ImportSpec, path, why string) {
	shown := strconv.Quote(path)
	if spec.Path.Value != shown {
		shown += " (written " + spec.Path.Value + ")"
	}
	f.add(spec.Path.Pos(), ruleImport, "imports "+shown+", "+why)
}

// deadCodeOnly reports whether path is refused only where code that runs
// uses it. A candidate pastes innocently a func main reading flags, or
// their own TestXxx functions with helpers: in the staged package main is
// never called and a TestXxx in a non-test file is never run, so flag and
// testing used there alone reach nothing (their package init does
// nothing harmful, and the test binary links both anyway).
// The table marks these rules "live".
func deadCodeOnly(path string) bool {
	rule := forbiddenRule(path)
	return rule != nil && rule.live
}

// checkDeadCodeImports refuses a deadCodeOnly import unless every use of
// it is in code that never runs (deadCode). A dot import is always
// refused: its uses do not name the package. It returns the dead
// declarations when they let such an import through, for the note.
func checkDeadCodeImports(f *finder, file *ast.File, info *types.Info, allow, roots []string) []Dropped {
	dead := deadCode(file, info, roots)
	excused := false
	for _, spec := range file.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil || contains(allow, path) || !deadCodeOnly(path) {
			continue
		}
		why := importViolation(path) + " (outside func main, your own Test functions and what only they use)"
		var pkgName types.Object
		if spec.Name != nil {
			if spec.Name.Name == "." {
				addImport(f, spec, path, importViolation(path))
				continue
			}
			pkgName = info.Defs[spec.Name]
		} else {
			pkgName = info.Implicits[spec]
		}
		if pkgName == nil {
			addImport(f, spec, path, why)
			continue
		}
		used, live := false, false
		for id, obj := range info.Uses {
			if obj == pkgName {
				used = true
				if !dead.contains(id.Pos()) {
					live = true
					break
				}
			}
		}
		if live {
			addImport(f, spec, path, why)
		} else if used {
			excused = true
		}
	}
	if !excused {
		return nil
	}
	return dead.dropped(f)
}

// Dropped is a declaration the check found never runs under the grader.
type Dropped struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

// deadSet is code that never runs: the spans of the dead declarations.
type deadSet struct {
	decls []*declaration
}

func (d deadSet) contains(pos token.Pos) bool {
	for _, decl := range d.decls {
		for _, s := range decl.spans {
			if s.from <= pos && pos < s.to {
				return true
			}
		}
	}
	return false
}

func (d deadSet) dropped(f *finder) []Dropped {
	out := []Dropped{}
	for _, decl := range d.decls {
		line, _ := f.position(decl.ident.Pos())
		out = append(out, Dropped{Name: decl.ident.Name, Line: line})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

type span struct{ from, to token.Pos }

// declaration is one package-level name that may turn out dead, with the
// spans of its code that run only when something uses it.
type declaration struct {
	ident *ast.Ident
	// entry: main or a test function, dead unless something live uses it.
	entry bool
	spans []span
}

// deadCode finds the declarations nothing live uses, closed
// transitively: func main and the candidate's TestXxx, BenchmarkXxx,
// ExampleXxx and FuzzXxx functions (no receiver), and the unexported
// functions, variables, constants and types used only by dead code. The
// harness calls the exercise's symbols (roots), never these, and Go
// offers no way to reach an unexported package-level name without naming
// it (reflection cannot find one). What stays live:
//   - exported names other than entries, and roots: the harness may name
//     them;
//   - methods and init functions: they run without being named;
//   - a declaration nothing names, unless it is an entry: what is never
//     named is harmless either way, and keeping it live keeps the rule
//     simple to state;
//   - a variable's initializer, which runs at package init whoever uses
//     the variable, except a flag definition (flag.Int("n", 1, "...")
//     with constant arguments): that only registers a flag of a standard
//     type, which kit.Main resets to its default before reading
//     gograde's arguments, so nothing of it can change a run.
func deadCode(file *ast.File, info *types.Info, roots []string) deadSet {
	var all []*declaration
	add := func(id *ast.Ident, entry bool, spans ...span) {
		if id.Name == "_" || contains(roots, id.Name) || (id.IsExported() && !entry) {
			return
		}
		all = append(all, &declaration{ident: id, entry: entry, spans: spans})
	}
	whole := func(n ast.Node) span { return span{n.Pos(), n.End()} }
	for _, decl := range file.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil || d.Body == nil || d.Name.Name == "init" {
				continue
			}
			// The whole declaration: a test's signature names testing.T.
			add(d.Name, entryName(d.Name.Name), whole(d))
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					add(s.Name, false, whole(s))
				case *ast.ValueSpec:
					for i, name := range s.Names {
						if d.Tok == token.CONST {
							add(name, false, whole(s))
							continue
						}
						spans := []span{}
						if s.Type != nil {
							spans = append(spans, whole(s.Type))
						}
						if len(s.Values) == len(s.Names) && isFlagDefinition(s.Values[i], info) {
							spans = append(spans, whole(s.Values[i]))
						}
						add(name, false, spans...)
					}
				}
			}
		}
	}
	uses := map[types.Object][]token.Pos{}
	for id, obj := range info.Uses {
		uses[obj] = append(uses[obj], id.Pos())
	}
	dead := map[*declaration]bool{}
	objects := map[*declaration]types.Object{}
	for _, d := range all {
		obj := info.Defs[d.ident]
		if obj == nil || (!d.entry && len(uses[obj]) == 0) {
			continue
		}
		dead[d] = true
		objects[d] = obj
	}
	inDead := func(pos token.Pos) bool {
		for d := range dead {
			for _, s := range d.spans {
				if s.from <= pos && pos < s.to {
					return true
				}
			}
		}
		return false
	}
	// The largest set closed under use: drop whatever something outside
	// the set uses, until nothing changes.
	for changed := true; changed; {
		changed = false
		for d := range dead {
			for _, pos := range uses[objects[d]] {
				if !inDead(pos) {
					delete(dead, d)
					changed = true
					break
				}
			}
		}
	}
	set := deadSet{}
	for _, d := range all {
		if dead[d] {
			set.decls = append(set.decls, d)
		}
	}
	return set
}

// flagDefinitions are the flag package's functions that define a flag of
// a standard type and return its address, taking (name, default, usage).
var flagDefinitions = map[string]bool{
	"Bool": true, "Duration": true, "Float64": true, "Int": true,
	"Int64": true, "String": true, "Uint": true, "Uint64": true,
}

// isFlagDefinition reports whether expr is a call of one of
// flagDefinitions with constant arguments: nothing of the candidate's
// runs in it.
func isFlagDefinition(expr ast.Expr, info *types.Info) bool {
	call, ok := ast.Unparen(expr).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "flag" || !flagDefinitions[fn.Name()] {
		return false
	}
	if sig, _ := fn.Type().(*types.Signature); sig == nil || sig.Recv() != nil {
		return false
	}
	for _, arg := range call.Args {
		if tv, ok := info.Types[arg]; !ok || tv.Value == nil {
			return false
		}
	}
	return true
}

// entryName is main or a name go test would run from a _test.go file.
func entryName(name string) bool {
	if name == "main" {
		return true
	}
	for _, prefix := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if rest == "" || !unicode.IsLower(rune(rest[0])) {
				return true
			}
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// allowedDirectives are the //go: directives with no effect on what the
// code can reach. The compiler honours //go: in any line comment, so every
// one is looked at; any other is refused:
//   - linkname binds a name to any symbol, harness and runtime internals
//     included (the compiler wants unsafe imported, refused anyway);
//   - norace hides a function's data races from the race detector;
//   - embed reads files of the staged package at compile time;
//   - cgo_* directives (cgo_import_dynamic is allowed outside cgo) reach
//     the linker;
//   - noescape, nocheckptr, uintptrescapes, uintptrkeepalive change what
//     the compiler assumes about pointers;
//   - debug changes runtime settings; anything unknown is refused so a new
//     directive is decided on, not let through.
//
// build has no effect (gograde's package clause comes first, so the
// candidate's constraint is not a build constraint); generate and fix are
// for tools; noinline and nosplit only change code generation.
var allowedDirectives = map[string]bool{
	"go:build":    true,
	"go:generate": true,
	"go:fix":      true,
	"go:noinline": true,
	"go:nosplit":  true,
}

// checkDirectives also refuses //line and /*line directives other than
// gograde's own (on the header line): they move the positions the
// compiler, the race detector and panics report, and gograde attributes
// failures to the candidate's or the harness's code by those positions.
func checkDirectives(f *finder, file *ast.File) {
	for _, group := range file.Comments {
		for _, c := range group.List {
			text := c.Text
			switch {
			case strings.HasPrefix(text, "//go:"):
				verb, _, _ := strings.Cut(text[2:], " ")
				verb, _, _ = strings.Cut(verb, "\t")
				if allowedDirectives[verb] {
					continue
				}
				rule := ruleDirective
				why := "a compiler directive with no use in a solution"
				switch verb {
				case "go:norace":
					rule, why = ruleRace, "which hides data races from the race detector"
				case "go:linkname":
					why = "which reaches any symbol of the binary"
				case "go:embed":
					why = "which reads the grader's files at compile time"
				}
				f.add(c.Slash, rule, "has //"+verb+", "+why)
			case isLineDirective(text):
				if line, _ := f.position(c.Slash); line == 0 {
					continue // gograde's own, on the header line
				}
				f.add(c.Slash, ruleDirective, "has a //line directive, which changes the positions the grader attributes failures by")
			}
		}
	}
}

// isLineDirective reports whether a comment is a //line or /*line
// directive of the form that takes effect (it ends in :line or
// :line:column), so a comment like "//line 3 is the tricky one" is not.
func isLineDirective(text string) bool {
	var rest string
	switch {
	case strings.HasPrefix(text, "//line "):
		rest = text[len("//line "):]
	case strings.HasPrefix(text, "/*line "):
		rest = strings.TrimSuffix(text[len("/*line "):], "*/")
	default:
		return false
	}
	rest = strings.TrimRight(rest, " \t\r")
	for i := 0; i < 2; i++ {
		colon := strings.LastIndexByte(rest, ':')
		if colon < 0 {
			return false
		}
		if _, err := strconv.Atoi(rest[colon+1:]); err == nil {
			return true
		}
		rest = rest[:colon]
	}
	return false
}
