// Loading the types of the packages a file imports. Three ways, measured by
// bench/typecheck.sh:
//
//   - export (the default): export data the Go build cache already holds,
//     found through a small map from import path to cache file kept by
//     this program (-exports). A path missing from the map, or whose file
//     the cache has since trimmed, is asked of `go list -race -export`
//     once and remembered. -race and -trimpath because that is how gograde
//     builds: the runtime's race API exists only in race builds, and the
//     build cache then already holds the data the compile made (without
//     -trimpath it would build a second standard library).
//   - golist: the same, asking go list on every run.
//   - source: go/importer's "source" importer, which type-checks every
//     imported package from GOROOT's sources on every run.
//
// Run by `go vet -vettool`, the program reads the vet configuration
// instead (vetProtocol), which names every dependency's export data.

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// loader is the types.Importer the check uses.
type loader struct {
	mode    string
	fset    *token.FileSet
	goCmd   string
	exports string
	// Import path to export data file.
	files map[string]string
	imp   types.Importer
	// Imports whose types could not be loaded, in order.
	failed []string
}

func newLoader(mode string, fset *token.FileSet, goCmd, exports string) *loader {
	l := &loader{mode: mode, fset: fset, goCmd: goCmd, exports: exports, files: map[string]string{}}
	switch mode {
	case "source":
		l.imp = importer.ForCompiler(fset, "source", nil)
	default:
		l.imp = importer.ForCompiler(fset, "gc", l.open)
	}
	return l
}

func (l *loader) Import(path string) (*types.Package, error) {
	pkg, err := l.imp.Import(path)
	if err != nil && !contains(l.failed, path) {
		l.failed = append(l.failed, path)
	}
	return pkg, err
}

func (l *loader) open(path string) (io.ReadCloser, error) {
	file, ok := l.files[path]
	if !ok {
		return nil, fmt.Errorf("no export data for %q", path)
	}
	return os.Open(file)
}

// prepare finds the export data of paths before type checking starts.
func (l *loader) prepare(paths []string) {
	if l.mode == "source" || l.mode == "vet" {
		return
	}
	var wanted []string
	for _, p := range paths {
		// unsafe is built into go/types; C and non-standard paths have no
		// export data here (the import rule refuses them).
		first, _, _ := strings.Cut(p, "/")
		if p == "unsafe" || p == "C" || strings.Contains(first, ".") {
			continue
		}
		wanted = append(wanted, p)
	}
	if l.mode == "export" {
		cached := readExportMap(l.exports)
		var missing []string
		for _, p := range wanted {
			if file, ok := cached[p]; ok && fileExists(file) {
				l.files[p] = file
			} else {
				missing = append(missing, p)
			}
		}
		if len(missing) == 0 {
			return
		}
		found := l.goList(missing)
		for p, file := range found {
			l.files[p] = file
			cached[p] = file
		}
		if len(found) > 0 {
			writeExportMap(l.exports, cached)
		}
		return
	}
	for p, file := range l.goList(wanted) {
		l.files[p] = file
	}
}

// goList asks the go command for the export data of paths. Errors leave
// paths out: their imports then fail to type-check, which the build
// reports on its own.
func (l *loader) goList(paths []string) map[string]string {
	found := map[string]string{}
	if len(paths) == 0 {
		return found
	}
	args := append([]string{"list", "-race", "-trimpath", "-export", "-e", "-f", "{{.ImportPath}}\t{{.Export}}", "--"}, paths...)
	out, err := exec.Command(l.goCmd, args...).Output()
	if err != nil && len(out) == 0 {
		return found
	}
	for _, line := range strings.Split(string(out), "\n") {
		path, file, ok := strings.Cut(line, "\t")
		if ok && file != "" {
			found[path] = file
		}
	}
	return found
}

func readExportMap(name string) map[string]string {
	m := map[string]string{}
	if name == "" {
		return m
	}
	if data, err := os.ReadFile(name); err == nil {
		_ = json.Unmarshal(data, &m)
	}
	return m
}

// writeExportMap replaces the map file whole (write and rename), so a
// concurrent reader sees the old map or the new one; a concurrent writer
// may lose an entry, which is asked for again next time.
func writeExportMap(name string, m map[string]string) {
	if name == "" {
		return
	}
	data, err := json.Marshal(m)
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".exports-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), name) != nil {
		os.Remove(tmp.Name())
	}
}

func fileExists(name string) bool {
	info, err := os.Stat(name)
	return err == nil && info.Mode().IsRegular()
}

// vetConfig is the part of cmd/go's vet configuration the check reads.
type vetConfig struct {
	GoFiles     []string
	ImportMap   map[string]string
	PackageFile map[string]string
	VetxOnly    bool
	VetxOutput  string
}

// vetProtocol answers `go vet -vettool=gograde-check`: -V=full names the
// tool (hashed, so vet never reuses another build's results), -flags lists
// none, and a *.cfg argument is one package to check.
func vetProtocol(args []string) bool {
	if len(args) == 1 && args[0] == "-V=full" {
		exe, _ := os.Executable()
		sum := sha256.New()
		if f, err := os.Open(exe); err == nil {
			io.Copy(sum, f)
			f.Close()
		}
		fmt.Printf("gograde-check version v0-%s\n", hex.EncodeToString(sum.Sum(nil))[:16])
		return true
	}
	if len(args) == 1 && args[0] == "-flags" {
		fmt.Println("[]")
		return true
	}
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return false
	}
	data, err := os.ReadFile(args[len(args)-1])
	var cfg vetConfig
	if err == nil {
		err = json.Unmarshal(data, &cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gograde-check:", err)
		os.Exit(2)
	}
	if cfg.VetxOutput != "" {
		os.WriteFile(cfg.VetxOutput, nil, 0o666)
	}
	if cfg.VetxOnly || len(cfg.GoFiles) != 1 {
		return true
	}
	fset := token.NewFileSet()
	l := &loader{mode: "vet", fset: fset, files: map[string]string{}}
	for path, pkg := range cfg.ImportMap {
		if file, ok := cfg.PackageFile[pkg]; ok {
			l.files[path] = file
		}
	}
	l.imp = importer.ForCompiler(fset, "gc", l.open)
	src, err := os.ReadFile(cfg.GoFiles[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gograde-check:", err)
		os.Exit(2)
	}
	report := check(fset, cfg.GoFiles[0], src, l, settings{lang: "go1.25"})
	json.NewEncoder(os.Stdout).Encode(report)
	return true
}
