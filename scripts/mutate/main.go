// Command mutate writes single-point mutants of Go source files, for
// scripts/mutants.sh. Standard library only: go/parser and go/ast find the
// mutation points, go/format prints each mutant, go/types (with the source
// importer, so no network and no go command) drops mutants that do not
// type-check.
//
//	go run . -out DIR [-seed S] [-max N] FILE...
//
// Besides the classic single-point operators (comparisons, arithmetic,
// literals, deleted statements, negated conditions, zero returns, swapped
// slice bounds) it has three that model mistakes the classic ones cannot
// write: atomic-split (x.Add(d) -> x.Store(x.Load() + d), and the same for
// atomic.AddInt64 and its kin), mark-narrow (unicode.M, unicode.Mark and
// unicode.IsMark narrowed to unicode.Mn) and select-default (a select
// without a default case that gives up when nothing is ready).
//
// For every FILE it enumerates all mutants, drops those identical to the
// (formatted) original or to an earlier mutant of the same file and those
// that do not type-check (func main, which the harness never runs, is not
// mutated), then keeps at most N of the survivors across all
// files (a shuffle seeded by S; N <= 0 keeps all). It writes
//
//	DIR/orig/<k>_<name>.go     each FILE as printed (the base of the diffs)
//	DIR/mutants/<id>.go        each kept mutant
//	DIR/manifest.tsv           id, original, orig copy, line, operator, description
//
// and prints one line to stdout: "generated=G identical=I uncompiled=U
// compiled=C kept=K".
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// site is one mutation point: apply changes the tree in place, undo puts it back.
type site struct {
	line  int
	op    string
	desc  string
	apply func()
	undo  func()
}

type mutant struct {
	src      []byte
	file     string // original path
	origCopy string // DIR/orig/... relative to DIR
	line     int
	op, desc string
}

func main() {
	out := flag.String("out", "", "output directory (required)")
	seed := flag.Int64("seed", 1, "seed of the sample")
	max := flag.Int("max", 0, "keep at most this many compiling mutants over all files (0: all)")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: mutate -out DIR [-seed S] [-max N] FILE...")
		os.Exit(2)
	}
	for _, d := range []string{"orig", "mutants"} {
		if err := os.MkdirAll(filepath.Join(*out, d), 0o755); err != nil {
			fatal(err)
		}
	}
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)

	var generated, identical, uncompiled int
	var compiled []mutant
	for k, path := range flag.Args() {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			fatal(err)
		}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
		conf := types.Config{Importer: imp, Error: func(error) {}}
		pkg, _ := conf.Check("solution", fset, []*ast.File{f}, info)
		orig := render(fset, f)
		origCopy := filepath.Join("orig", fmt.Sprintf("%02d_%s", k, filepath.Base(path)))
		if err := os.WriteFile(filepath.Join(*out, origCopy), orig, 0o644); err != nil {
			fatal(err)
		}
		seen := map[string]bool{string(orig): true}
		for _, s := range sites(fset, f, info, pkg) {
			generated++
			s.apply()
			src := render(fset, f)
			s.undo()
			if seen[string(src)] {
				identical++
				continue
			}
			seen[string(src)] = true
			if !typeChecks(imp, src) {
				uncompiled++
				continue
			}
			compiled = append(compiled, mutant{src, path, origCopy, s.line, s.op, s.desc})
		}
		if !bytes.Equal(render(fset, f), orig) {
			fatal(fmt.Errorf("%s: the tree was not restored after mutating", path))
		}
	}

	kept := compiled
	if *max > 0 && len(kept) > *max {
		r := rand.New(rand.NewSource(*seed))
		idx := r.Perm(len(kept))[:*max]
		// Keep them in generation order, so a listing reads file by file.
		sortInts(idx)
		kept = make([]mutant, 0, *max)
		for _, i := range idx {
			kept = append(kept, compiled[i])
		}
	}
	var manifest strings.Builder
	for i, m := range kept {
		id := fmt.Sprintf("m%03d", i)
		if err := os.WriteFile(filepath.Join(*out, "mutants", id+".go"), m.src, 0o644); err != nil {
			fatal(err)
		}
		fmt.Fprintf(&manifest, "%s\t%s\t%s\t%d\t%s\t%s\n", id, m.file, m.origCopy, m.line, m.op, clean(m.desc))
	}
	if err := os.WriteFile(filepath.Join(*out, "manifest.tsv"), []byte(manifest.String()), 0o644); err != nil {
		fatal(err)
	}
	fmt.Printf("generated=%d identical=%d uncompiled=%d compiled=%d kept=%d\n",
		generated, identical, uncompiled, len(compiled), len(kept))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "mutate:", err)
	os.Exit(1)
}

func clean(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ").Replace(s)
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func render(fset *token.FileSet, f *ast.File) []byte {
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		// A mutant the printer cannot print is no mutant; callers compare
		// bytes, so an empty result is simply dropped as uncompilable.
		return []byte("// unprintable: " + clean(err.Error()) + "\n")
	}
	return b.Bytes()
}

// typeChecks reports whether src parses and type-checks as a package on its
// own, with unused variables and imports counted as errors (as the compiler
// does).
func typeChecks(imp types.Importer, src []byte) bool {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "mutant.go", src, 0)
	if err != nil {
		return false
	}
	ok := true
	conf := types.Config{Importer: imp, Error: func(error) { ok = false }}
	conf.Check("solution", fset, []*ast.File{f}, nil)
	return ok
}

var flipBoundary = map[token.Token]token.Token{
	token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR,
}
var negateCmp = map[token.Token]token.Token{
	token.LSS: token.GEQ, token.LEQ: token.GTR, token.GTR: token.LEQ, token.GEQ: token.LSS,
	token.EQL: token.NEQ, token.NEQ: token.EQL,
}
var swapArith = map[token.Token]token.Token{
	token.ADD: token.SUB, token.SUB: token.ADD,
	token.ADD_ASSIGN: token.SUB_ASSIGN, token.SUB_ASSIGN: token.ADD_ASSIGN,
	token.INC: token.DEC, token.DEC: token.INC,
	token.LAND: token.LOR, token.LOR: token.LAND,
}

// sites lists every mutation point of f in source order.
func sites(fset *token.FileSet, f *ast.File, info *types.Info, pkg *types.Package) []site {
	var out []site
	line := func(p token.Pos) int { return fset.Position(p).Line }
	text := func(n ast.Node) string {
		var b bytes.Buffer
		format.Node(&b, fset, n)
		s := b.String()
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[:i] + " ..."
		}
		return s
	}
	setTok := func(p *token.Token, to token.Token, at token.Pos, op string) {
		from := *p
		out = append(out, site{line(at), op, fmt.Sprintf("%s -> %s", from, to),
			func() { *p = to }, func() { *p = from }})
	}

	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			// The harness never runs the candidate's main: mutating it
			// only makes equivalent mutants.
			if n.Recv == nil && n.Name.Name == "main" {
				return false
			}
		case *ast.GenDecl:
			// Import paths and declared types hold nothing worth mutating.
			if n.Tok == token.IMPORT || n.Tok == token.TYPE {
				return false
			}
		case *ast.BinaryExpr:
			if to, ok := flipBoundary[n.Op]; ok {
				setTok(&n.Op, to, n.OpPos, "cmp-boundary")
			}
			if to, ok := negateCmp[n.Op]; ok {
				setTok(&n.Op, to, n.OpPos, "cmp-negate")
			}
			if to, ok := swapArith[n.Op]; ok {
				op := "arith-swap"
				if n.Op == token.LAND || n.Op == token.LOR {
					op = "logic-swap"
				}
				setTok(&n.Op, to, n.OpPos, op)
			}
		case *ast.AssignStmt:
			if to, ok := swapArith[n.Tok]; ok {
				setTok(&n.Tok, to, n.TokPos, "arith-swap")
			}
		case *ast.IncDecStmt:
			setTok(&n.Tok, swapArith[n.Tok], n.TokPos, "arith-swap")
		case *ast.BasicLit:
			if n.Kind == token.INT {
				v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
				if err != nil {
					break
				}
				from := n.Value
				for _, d := range []int64{1, -1} {
					to := strconv.FormatInt(v+d, 10)
					if v+d < 0 {
						to = "(" + to + ")"
					}
					out = append(out, site{line(n.Pos()), "int-literal", fmt.Sprintf("%s -> %s", from, to),
						func() { n.Value = to }, func() { n.Value = from }})
				}
			}
		case *ast.IfStmt:
			cond := n.Cond
			if b, ok := cond.(*ast.BinaryExpr); ok && negateCmp[b.Op] != token.ILLEGAL {
				break // cmp-negate already writes the negation of a comparison
			}
			neg := &ast.UnaryExpr{OpPos: cond.Pos(), Op: token.NOT,
				X: &ast.ParenExpr{Lparen: cond.Pos(), X: cond, Rparen: cond.End()}}
			out = append(out, site{line(cond.Pos()), "if-negate", "if " + text(cond) + " -> if !(...)",
				func() { n.Cond = neg }, func() { n.Cond = cond }})
		case *ast.ReturnStmt:
			for i, r := range n.Results {
				zero := zeroValue(info, pkg, r)
				if zero == "" {
					continue
				}
				i, r := i, r
				z := &ast.Ident{NamePos: r.Pos(), Name: zero}
				out = append(out, site{line(r.Pos()), "return-zero", fmt.Sprintf("return %s -> %s", text(r), zero),
					func() { n.Results[i] = z }, func() { n.Results[i] = r }})
			}
		case *ast.SliceExpr:
			if n.Slice3 {
				break
			}
			lo, hi := n.Low, n.High
			desc := fmt.Sprintf("[%s:%s] -> [%s:%s]", opt(text, lo), opt(text, hi), opt(text, hi), opt(text, lo))
			out = append(out, site{line(n.Lbrack), "slice-swap", desc,
				func() { n.Low, n.High = hi, lo }, func() { n.Low, n.High = lo, hi }})
		case *ast.ExprStmt:
			if m, ok := atomicSplit(info, n); ok {
				from := n.X
				out = append(out, site{line(n.Pos()), "atomic-split", fmt.Sprintf("%s -> %s", text(from), text(m)),
					func() { n.X = m }, func() { n.X = from }})
			}
		case *ast.SelectorExpr:
			// unicode.M (or unicode.Mark) -> unicode.Mn: only non-spacing
			// marks, forgetting spacing (Mc) and enclosing (Me) ones.
			if pkgIs(info, n.X, "unicode") && (n.Sel.Name == "M" || n.Sel.Name == "Mark") {
				from, to := n.Sel, &ast.Ident{NamePos: n.Sel.NamePos, Name: "Mn"}
				out = append(out, site{line(n.Pos()), "mark-narrow", fmt.Sprintf("unicode.%s -> unicode.Mn", from.Name),
					func() { n.Sel = to }, func() { n.Sel = from }})
			}
		case *ast.CallExpr:
			// unicode.IsMark(r) -> unicode.Is(unicode.Mn, r): the same mistake.
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && pkgIs(info, sel.X, "unicode") && sel.Sel.Name == "IsMark" && len(n.Args) == 1 {
				fromSel, fromArgs := sel.Sel, n.Args
				toSel := &ast.Ident{NamePos: sel.Sel.NamePos, Name: "Is"}
				toArgs := []ast.Expr{&ast.SelectorExpr{X: sel.X, Sel: &ast.Ident{NamePos: n.Lparen, Name: "Mn"}}, n.Args[0]}
				out = append(out, site{line(n.Pos()), "mark-narrow", fmt.Sprintf("%s -> unicode.Is(unicode.Mn, ...)", text(n)),
					func() { sel.Sel, n.Args = toSel, toArgs }, func() { sel.Sel, n.Args = fromSel, fromArgs }})
			}
		case *ast.SelectStmt:
			out = append(out, selectDefaults(n, line)...)
		case *ast.BlockStmt:
			out = append(out, deletions(&n.List, line, text)...)
		case *ast.CaseClause:
			out = append(out, deletions(&n.Body, line, text)...)
		case *ast.CommClause:
			out = append(out, deletions(&n.Body, line, text)...)
		}
		return true
	})
	return out
}

func opt(text func(ast.Node) string, e ast.Expr) string {
	if e == nil {
		return ""
	}
	return text(e)
}

// deletions gives one site per statement of list: the statement removed.
func deletions(list *[]ast.Stmt, line func(token.Pos) int, text func(ast.Node) string) []site {
	var out []site
	for i, s := range *list {
		switch s.(type) {
		case *ast.EmptyStmt, *ast.DeclStmt:
			continue
		}
		i, s := i, s
		out = append(out, site{line(s.Pos()), "stmt-delete", "delete " + text(s),
			func() {
				l := append([]ast.Stmt{}, (*list)[:i]...)
				*list = append(l, (*list)[i+1:]...)
			},
			func() {
				l := append([]ast.Stmt{}, (*list)[:i]...)
				l = append(l, s)
				*list = append(l, (*list)[i:]...)
			}})
	}
	return out
}

// zeroValue gives the Go text of the zero value of e's type, or "" when e is
// already that zero value or its type is unknown.
func zeroValue(info *types.Info, pkg *types.Package, e ast.Expr) string {
	tv, ok := info.Types[e]
	if !ok || tv.Type == nil {
		return ""
	}
	if id, ok := e.(*ast.Ident); ok && (id.Name == "nil" || id.Name == "false") {
		return ""
	}
	if lit, ok := e.(*ast.BasicLit); ok && (lit.Value == "0" || lit.Value == `""`) {
		return ""
	}
	qual := types.RelativeTo(pkg)
	switch u := tv.Type.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false"
		case u.Info()&types.IsNumeric != 0:
			return "0"
		case u.Info()&types.IsString != 0:
			return `""`
		case u.Kind() == types.UntypedNil:
			return ""
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return "nil"
	case *types.Tuple:
		return ""
	}
	return "*new(" + types.TypeString(tv.Type, qual) + ")"
}

// pkgIs reports whether e names the imported package with this path.
func pkgIs(info *types.Info, e ast.Expr, path string) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	pn, ok := info.Uses[id].(*types.PkgName)
	return ok && pn.Imported().Path() == path
}

// atomicSplit gives, for a statement that is an atomic add whose result is
// unused (x.Add(d) on a sync/atomic type, or atomic.AddInt64(&x, d) and
// its kin), the same update split into a load and a separate store:
// x.Store(x.Load() + d), atomic.StoreInt64(&x, atomic.LoadInt64(&x) + d).
// No data race, but two calls that meet between the load and the store lose
// an update.
func atomicSplit(info *types.Info, stmt *ast.ExprStmt) (ast.Expr, bool) {
	call, ok := stmt.X.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return nil, false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	pos := call.Lparen
	ident := func(name string) *ast.Ident { return &ast.Ident{NamePos: pos, Name: name} }
	plus := func(x, d ast.Expr) ast.Expr {
		if _, ok := d.(*ast.BinaryExpr); ok {
			d = &ast.ParenExpr{Lparen: pos, X: d, Rparen: pos}
		}
		return &ast.BinaryExpr{X: x, OpPos: pos, Op: token.ADD, Y: d}
	}
	switch {
	case pkgIs(info, sel.X, "sync/atomic") && strings.HasPrefix(sel.Sel.Name, "Add") && len(call.Args) == 2:
		kind := strings.TrimPrefix(sel.Sel.Name, "Add") // Int64, Uint32, ...
		load := &ast.CallExpr{Fun: &ast.SelectorExpr{X: sel.X, Sel: ident("Load" + kind)}, Lparen: pos, Args: call.Args[:1], Rparen: pos}
		return &ast.CallExpr{Fun: &ast.SelectorExpr{X: sel.X, Sel: ident("Store" + kind)}, Lparen: pos,
			Args: []ast.Expr{call.Args[0], plus(load, call.Args[1])}, Rparen: call.Rparen}, true
	case sel.Sel.Name == "Add" && len(call.Args) == 1 && atomicType(info, sel.X):
		load := &ast.CallExpr{Fun: &ast.SelectorExpr{X: sel.X, Sel: ident("Load")}, Lparen: pos, Rparen: pos}
		return &ast.CallExpr{Fun: &ast.SelectorExpr{X: sel.X, Sel: ident("Store")}, Lparen: pos,
			Args: []ast.Expr{plus(load, call.Args[0])}, Rparen: call.Rparen}, true
	}
	return nil, false
}

// atomicType reports whether e's type (or what it points to) is a named
// type of package sync/atomic (atomic.Int64, atomic.Uint32, ...).
func atomicType(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	if !ok || tv.Type == nil {
		return false
	}
	t := tv.Type
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "sync/atomic"
}

// selectDefaults gives the mutants of a select without a default case that
// make it give up when nothing is ready: each case that receives from a
// Done() channel (<-ctx.Done()) turned into default, and a default case
// that returns added. A worker written this way quits the first time no
// job is waiting.
func selectDefaults(n *ast.SelectStmt, line func(token.Pos) int) []site {
	for _, c := range n.Body.List {
		if c.(*ast.CommClause).Comm == nil {
			return nil
		}
	}
	var out []site
	for _, c := range n.Body.List {
		cc := c.(*ast.CommClause)
		if !receivesFromDone(cc.Comm) {
			continue
		}
		from := cc.Comm
		out = append(out, site{line(cc.Pos()), "select-default", "case <-....Done(): -> default:",
			func() { cc.Comm = nil }, func() { cc.Comm = from }})
	}
	from := n.Body.List
	quit := &ast.CommClause{Case: n.Body.Rbrace, Colon: n.Body.Rbrace, Body: []ast.Stmt{&ast.ReturnStmt{Return: n.Body.Rbrace}}}
	out = append(out, site{line(n.Pos()), "select-default", "add default: return",
		func() { n.Body.List = append(append([]ast.Stmt{}, from...), quit) }, func() { n.Body.List = from }})
	return out
}

// receivesFromDone reports whether a select case's statement receives from
// a call of a method named Done (<-ctx.Done(), v := <-x.Done()).
func receivesFromDone(s ast.Stmt) bool {
	var e ast.Expr
	switch s := s.(type) {
	case *ast.ExprStmt:
		e = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			e = s.Rhs[0]
		}
	}
	u, ok := e.(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return false
	}
	call, ok := u.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Done"
}
