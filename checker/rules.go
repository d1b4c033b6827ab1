// The rules. Each rejects something a candidate who has read the public
// harness could use to read or write the harness's memory, to see who is
// calling (which test, with which expected values), to turn off the race
// detector, or to leave the process; and nothing a good-faith solution to
// gograde's exercises (reverse a string, a mutex counter, a worker pool,
// retry with backoff, JSON AddRole) has a use for. runtime.Gosched,
// runtime.NumGoroutine, runtime.GOMAXPROCS, reflect.DeepEqual,
// reflect.TypeOf, os.Args, os.Setenv, atomic.Int64 and atomic.Pointer[T]
// all stay allowed.
//
// Uses are resolved with go/types, never by name: a method value, a method
// expression, a promoted method of an embedded reflect.Value, a dot import
// or a renamed import all resolve to the same object.

package main

import (
	"go/ast"
	"go/types"
	"sort"
	"strings"
)

// Rule names, shown to the candidate.
const (
	ruleRawMemory = "raw-memory"
	ruleStack     = "stack-introspection"
	ruleRace      = "race-detector"
	ruleImport    = "forbidden-import"
	ruleDirective = "compiler-directive"
	ruleProcess   = "process"
)

const rawMemory = "which gives raw memory access"

// bannedFuncs are functions and methods by their go/types full name.
var bannedFuncs = map[string]struct{ rule, why string }{
	// Raw memory. With an address as an unsafe.Pointer, NewAt and SliceAt
	// give typed, writable access to any memory: the running *testing.T,
	// the reporting package's key. The uintptr-returning methods give
	// addresses to launder through integers (checkptr never sees them).
	// SetPointer writes a pointer into memory; InterfaceData exposes an
	// interface's words. Every one of them has unsafe.Pointer or a raw
	// address in its contract: no solution needs them.
	"reflect.NewAt":                 {ruleRawMemory, rawMemory},
	"reflect.SliceAt":               {ruleRawMemory, rawMemory},
	"(reflect.Value).UnsafePointer": {ruleRawMemory, rawMemory},
	"(reflect.Value).UnsafeAddr":    {ruleRawMemory, rawMemory},
	"(reflect.Value).Pointer":       {ruleRawMemory, rawMemory},
	"(reflect.Value).SetPointer":    {ruleRawMemory, rawMemory},
	"(reflect.Value).InterfaceData": {ruleRawMemory, rawMemory},
	// Stack introspection. Stack(buf, true) prints every goroutine's frames
	// with their arguments (the harness's *testing.T and expected values);
	// Caller/Callers/FuncForPC/CallersFrames tell code which test or helper
	// is calling it, so it can behave only when unobserved. The profile
	// readers give the same stacks as PCs; a trace records them too. A
	// log.Output with a chosen call depth prints a caller's file and line
	// into a buffer the code can read.
	"runtime.Stack":               {ruleStack, "which reads the call stack"},
	"runtime.Caller":              {ruleStack, "which reads the call stack"},
	"runtime.Callers":             {ruleStack, "which reads the call stack"},
	"runtime.CallersFrames":       {ruleStack, "which reads the call stack"},
	"runtime.FuncForPC":           {ruleStack, "which reads the call stack"},
	"runtime.GoroutineProfile":    {ruleStack, "which reads every goroutine's stack"},
	"runtime.ThreadCreateProfile": {ruleStack, "which reads call stacks"},
	"runtime.BlockProfile":        {ruleStack, "which reads call stacks"},
	"runtime.MutexProfile":        {ruleStack, "which reads call stacks"},
	"runtime.MemProfile":          {ruleStack, "which reads call stacks"},
	"runtime.CPUProfile":          {ruleStack, "which reads call stacks"},
	"runtime.StartTrace":          {ruleStack, "which records call stacks"},
	"runtime.ReadTrace":           {ruleStack, "which records call stacks"},
	"log.Output":                  {ruleStack, "which writes a chosen caller's file and line"},
	"(*log.Logger).Output":        {ruleStack, "which writes a chosen caller's file and line"},
	// Starting a process is what os/exec does; the test binary could start
	// itself again with other flags or environment (GORACE, -test.*).
	"os.StartProcess": {ruleProcess, "which starts a process"},
}

// interfaceMethods are the raw-memory methods of reflect.Value, reached
// through an interface (or a type parameter's constraint) the candidate
// declares: `interface{ Pointer() uintptr }` holding a reflect.Value calls
// reflect.Value.Pointer, and go/types cannot know the dynamic type. No
// solution declares an interface with these exact methods. Matched on name
// and signature, printed without the receiver.
var interfaceMethods = map[string]string{
	"Pointer":       "func() uintptr",
	"UnsafeAddr":    "func() uintptr",
	"InterfaceData": "func() [2]uintptr",
	// UnsafePointer and SetPointer need unsafe.Pointer in their signature,
	// which the type rule rejects wherever it appears (even as a type
	// parameter's argument), whatever the method is called.
}

// liftedRules are the rules an exercise turns off by allowing an import
// that gives the same power anyway: with unsafe allowed, unsafe.Pointer
// values and reflect's raw-memory functions add nothing; with os/exec or
// syscall allowed, os.StartProcess adds nothing. (gograde's own sandbox
// tests allow them, so that the sandbox is what they test.) The other
// rules are never lifted.
func liftedRules(allow []string) map[string]bool {
	lifted := map[string]bool{}
	if contains(allow, "unsafe") {
		lifted[ruleRawMemory] = true
	}
	if contains(allow, "os/exec") || contains(allow, "syscall") {
		lifted[ruleProcess] = true
	}
	return lifted
}

// checkUses resolves every identifier the file uses.
func checkUses(f *finder, file *ast.File, info *types.Info) {
	for _, id := range sortedIdents(info.Uses) {
		obj := info.Uses[id]
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		fn = fn.Origin()
		if fn.Pkg() == nil {
			continue
		}
		name := fn.FullName()
		if ban, ok := bannedFuncs[name]; ok {
			f.add(id.Pos(), ban.rule, "uses "+displayName(fn)+", "+ban.why)
			continue
		}
		// The race detector's API: RaceDisable/RaceEnable hide a data race
		// from the detector, RaceAcquire/RaceRelease invent a
		// happens-before edge, RaceErrors reads its count. They exist only
		// in -race builds, which is what gograde builds (and what the
		// export data is from).
		if fn.Pkg().Path() == "runtime" && strings.HasPrefix(fn.Name(), "Race") {
			f.add(id.Pos(), ruleRace, "uses runtime."+fn.Name()+", which fools the race detector")
			continue
		}
		if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
			want, banned := interfaceMethods[fn.Name()]
			if banned && isInterfaceRecv(sig.Recv().Type()) && signatureString(sig) == want {
				f.add(id.Pos(), ruleRawMemory, "calls "+fn.Name()+" through an interface, which can reach reflect.Value."+fn.Name()+", "+rawMemory)
			}
		}
	}
	// The same names by syntax, for qualified identifiers go/types could
	// not resolve (an import whose types could not be loaded): pkg.Name
	// where pkg is the import of a banned function's package.
	ast.Inspect(file, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		pkgName, ok := info.Uses[x].(*types.PkgName)
		if !ok || info.Uses[sel.Sel] != nil {
			return true
		}
		path := pkgName.Imported().Path()
		if ban, ok := bannedFuncs[path+"."+sel.Sel.Name]; ok {
			f.add(sel.Sel.Pos(), ban.rule, "uses "+pkgName.Imported().Name()+"."+sel.Sel.Name+", "+ban.why)
		}
		if path == "runtime" && strings.HasPrefix(sel.Sel.Name, "Race") {
			f.add(sel.Sel.Pos(), ruleRace, "uses runtime."+sel.Sel.Name+", which fools the race detector")
		}
		return true
	})
}

func displayName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return fn.Pkg().Name() + "." + fn.Name()
	}
	recv := types.TypeString(sig.Recv().Type(), func(p *types.Package) string { return p.Name() })
	return strings.TrimPrefix(recv, "*") + "." + fn.Name()
}

func isInterfaceRecv(t types.Type) bool {
	switch u := types.Unalias(t).(type) {
	case *types.TypeParam:
		return true
	case *types.Pointer:
		return false
	default:
		_, ok := u.Underlying().(*types.Interface)
		return ok
	}
}

// signatureString prints a method's signature without its receiver.
func signatureString(sig *types.Signature) string {
	plain := types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())
	return types.TypeString(plain, nil)
}

// checkTypes rejects every expression, declared name and instantiation
// whose type is or structurally holds unsafe.Pointer. Without importing
// unsafe, such a value comes from reflect.Value.UnsafePointer, from a
// sync/atomic pointer function, or from a generic function instantiated
// with it by inference; with it, a uintptr becomes a pointer. Named types
// are not looked into (reflect.Value and atomic.Pointer[T] keep an
// unsafe.Pointer in an unexported field, which the candidate cannot
// touch), but their type arguments are.
func checkTypes(f *finder, info *types.Info) {
	exprs := make([]ast.Expr, 0, len(info.Types))
	for expr := range info.Types {
		exprs = append(exprs, expr)
	}
	sort.Slice(exprs, func(i, j int) bool {
		if exprs[i].Pos() != exprs[j].Pos() {
			return exprs[i].Pos() < exprs[j].Pos()
		}
		return exprs[i].End() > exprs[j].End() // the outermost first
	})
	for _, expr := range exprs {
		t := info.Types[expr].Type
		if t != nil && holdsUnsafePointer(t, nil) {
			f.add(expr.Pos(), ruleRawMemory, "uses "+shortExpr(expr)+" of type "+typeString(t)+", "+rawMemory)
		}
	}
	for _, id := range sortedIdents(info.Defs) {
		obj := info.Defs[id]
		if obj != nil && obj.Type() != nil && holdsUnsafePointer(obj.Type(), nil) {
			f.add(id.Pos(), ruleRawMemory, "declares "+id.Name+" of type "+typeString(obj.Type())+", "+rawMemory)
		}
	}
	for _, id := range sortedIdents(info.Instances) {
		inst := info.Instances[id]
		if holdsUnsafePointer(inst.Type, nil) {
			f.add(id.Pos(), ruleRawMemory, "instantiates "+id.Name+" with unsafe.Pointer, "+rawMemory)
			continue
		}
		for i := 0; i < inst.TypeArgs.Len(); i++ {
			if holdsUnsafePointer(inst.TypeArgs.At(i), nil) {
				f.add(id.Pos(), ruleRawMemory, "instantiates "+id.Name+" with unsafe.Pointer, "+rawMemory)
			}
		}
	}
}

func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// holdsUnsafePointer reports whether t is unsafe.Pointer, a defined type
// over it, or an unnamed type built from one.
func holdsUnsafePointer(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return false
	}
	if seen == nil {
		seen = map[types.Type]bool{}
	}
	seen[t] = true
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		return t.Kind() == types.UnsafePointer
	case *types.Named:
		if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.UnsafePointer {
			return true
		}
		args := t.TypeArgs()
		for i := 0; i < args.Len(); i++ {
			if holdsUnsafePointer(args.At(i), seen) {
				return true
			}
		}
		return false
	case *types.Pointer:
		return holdsUnsafePointer(t.Elem(), seen)
	case *types.Slice:
		return holdsUnsafePointer(t.Elem(), seen)
	case *types.Array:
		return holdsUnsafePointer(t.Elem(), seen)
	case *types.Chan:
		return holdsUnsafePointer(t.Elem(), seen)
	case *types.Map:
		return holdsUnsafePointer(t.Key(), seen) || holdsUnsafePointer(t.Elem(), seen)
	case *types.Tuple:
		for i := 0; i < t.Len(); i++ {
			if holdsUnsafePointer(t.At(i).Type(), seen) {
				return true
			}
		}
		return false
	case *types.Signature:
		return holdsUnsafePointer(t.Params(), seen) || holdsUnsafePointer(t.Results(), seen)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if holdsUnsafePointer(t.Field(i).Type(), seen) {
				return true
			}
		}
		return false
	case *types.Interface:
		for i := 0; i < t.NumMethods(); i++ {
			if holdsUnsafePointer(t.Method(i).Type(), seen) {
				return true
			}
		}
		return false
	}
	return false
}

// sortedIdents are a map's identifiers in source order, so the findings
// (one per rule and line) do not depend on map order.
func sortedIdents[V any](m map[*ast.Ident]V) []*ast.Ident {
	ids := make([]*ast.Ident, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Pos() < ids[j].Pos() })
	return ids
}

// shortExpr prints an expression for a message, shortened.
func shortExpr(expr ast.Expr) string {
	s := types.ExprString(expr)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
