//! The type-aware check before building, tested for real: attacks written
//! as a candidate who has read the harness would write them (fixtures in
//! `tests/fixtures/typecheck/`), each graded by the `gograde` binary and
//! `rejected` with the rule and the line named; good-faith twins graded
//! `pass`; and the check program itself run through the library on small
//! sources for the variants and edge cases (type errors, allowed imports,
//! code that never runs).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use gograde::grade::toolchain::Toolchain;
use gograde::grade::typecheck::job::{CheckRequest, check};
use gograde::grade::typecheck::{Report, Violation};
use serde_json::Value;

mod common;

/// How long one `gograde grade` of a handful of files may take on a busy
/// two-core machine before the test gives up on it.
const GRADE_BOUND: Duration = Duration::from_secs(600);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/typecheck")
        .join(name)
}

/// 1-based line where `needle` first starts in fixture `name`.
fn line_of(name: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(fixture(name)).expect("read fixture");
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {name}"));
    text[..at].matches('\n').count() as u64 + 1
}

/// Grades `files` against `exercise` in one run of the binary; one verdict
/// per file, in order. The wait is bounded.
fn grade_all(exercise: &str, files: &[&str]) -> Vec<Value> {
    let mut child = common::gograde()
        .args(["grade", "--format", "json", "--jobs", "2", "--exercise"])
        .arg(exercise)
        .args(files.iter().map(|f| fixture(f)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gograde");
    let mut stdout = child.stdout.take().expect("stdout pipe");
    let mut stderr = child.stderr.take().expect("stderr pipe");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for gograde") {
            break status;
        }
        if started.elapsed() > GRADE_BOUND {
            let _ = child.kill();
            panic!("gograde grade {files:?} took over {GRADE_BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    assert_ne!(status.code(), Some(2), "grader error: {stderr}");
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {stderr}"));
    let verdicts = match v {
        Value::Array(list) => list,
        one => vec![one],
    };
    assert_eq!(verdicts.len(), files.len(), "stderr: {stderr}");
    verdicts
}

/// Each `(fixture, rule, needle)` must be `rejected`, with nothing run and a
/// summary naming the rule and the line holding `needle`.
fn assert_rejected(exercise: &str, attacks: &[(&str, &str, &str)]) {
    let files: Vec<&str> = attacks.iter().map(|a| a.0).collect();
    let verdicts = grade_all(exercise, &files);
    let mut problems = Vec::new();
    for ((file, rule, needle), v) in attacks.iter().zip(&verdicts) {
        let summary = v["summary"].as_str().unwrap_or("");
        let line = line_of(file, needle);
        let expected = [
            "Rejected before running: ".to_owned(),
            format!("line {line} "),
            format!("(rule: {rule})."),
        ];
        if v["status"] != "rejected" || !expected.iter().all(|e| summary.contains(e)) {
            problems.push(format!(
                "{file}: expected rejected at line {line} under {rule}, got {}: {summary}",
                v["status"]
            ));
        }
        if v["tests"].as_array().is_none_or(|t| !t.is_empty()) {
            problems.push(format!("{file}: tests ran: {}", v["tests"]));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn raw_memory_without_importing_unsafe_is_rejected() {
    assert_rejected(
        "reverse",
        &[
            (
                "raw_newat_laundered.go",
                "raw-memory",
                "cell := reflect.ValueOf",
            ),
            ("raw_newat_func_value.go", "raw-memory", "var view ="),
            (
                "raw_pointer_method_expression.go",
                "raw-memory",
                "var addressOf",
            ),
            ("raw_embedded_value.go", "raw-memory", "h.UnsafeAddr()"),
            ("raw_interface_pointer.go", "raw-memory", "_ = a.Pointer()"),
            (
                "raw_generic_constraint.go",
                "raw-memory",
                "return v.Pointer()",
            ),
            ("raw_unsafe_pointer_atomic.go", "raw-memory", "p := raw("),
        ],
    );
}

#[test]
fn forbidden_imports_are_compared_after_decoding() {
    assert_rejected(
        "reverse",
        &[
            ("import_unsafe_escaped.go", "forbidden-import", "uns\\x61fe"),
            ("import_net_escaped.go", "forbidden-import", "n\\x65t"),
            (
                "import_syscall_escaped.go",
                "forbidden-import",
                "sysc\\x61ll",
            ),
            ("import_raw_string.go", "forbidden-import", "`os/exec`"),
            ("import_testing_flag.go", "forbidden-import", "fl\\x61g"),
            (
                "import_runtime_debug.go",
                "forbidden-import",
                "import \"runtime/debug\"",
            ),
            ("import_pprof.go", "forbidden-import", "\t\"runtime/pprof\""),
        ],
    );
}

#[test]
fn stack_introspection_is_rejected() {
    assert_rejected(
        "reverse",
        &[
            (
                "stack_caller.go",
                "stack-introspection",
                "runtime.Caller(1)",
            ),
            (
                "stack_all_goroutines.go",
                "stack-introspection",
                "seen = buf",
            ),
            ("stack_dot_import.go", "stack-introspection", "Callers(2"),
            ("stack_log_output.go", "stack-introspection", ".Output(3"),
        ],
    );
}

#[test]
fn fooling_the_race_detector_is_rejected() {
    assert_rejected(
        "counter",
        &[
            ("race_disable.go", "race-detector", "runtime.RaceDisable()"),
            ("race_norace.go", "race-detector", "//go:norace\nfunc"),
        ],
    );
}

#[test]
fn directives_and_processes_are_rejected() {
    assert_rejected(
        "reverse",
        &[
            (
                "directive_embed.go",
                "compiler-directive",
                "//go:embed go.mod",
            ),
            ("directive_line.go", "compiler-directive", "//line gograde"),
            ("process_start_self.go", "process", "os.StartProcess"),
        ],
    );
}

#[test]
fn good_faith_twins_pass() {
    for (exercise, file) in [
        ("reverse", "good_faith_reverse.go"),
        ("counter", "good_faith_counter.go"),
    ] {
        let v = &grade_all(exercise, &[file])[0];
        assert_eq!(v["status"], "pass", "{file}: {v:#}");
    }
}

/// Good faith, issue 14 class 6: the candidate's own test with the helper
/// it calls, and a main reading a package-level flag, pass; the verdict
/// says what was not graded.
#[test]
fn own_tests_with_helpers_and_flags_for_main_pass_with_a_note() {
    let files = ["good_faith_own_test_helper.go", "good_faith_flag_var.go"];
    let verdicts = grade_all("reverse", &files);
    for (file, (v, names)) in files.iter().zip(verdicts.iter().zip([
        &["TestReverse (line 23)", "assertEqual (line 16)"][..],
        &["n (line 10)"],
    ])) {
        assert_eq!(v["status"], "pass", "{file}: {v:#}");
        let note = v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n["message"].as_str())
            .find(|m| m.contains("are not graded: "))
            .unwrap_or_else(|| panic!("{file}: no note on what was not graded: {v:#}"));
        for name in names {
            assert!(note.contains(name), "{file}: {note}");
        }
    }
}

/// Their twins, where code the harness runs uses the same import (or a
/// variable's initializer runs it at init), are still refused.
#[test]
fn twins_that_use_flag_or_testing_in_live_code_are_rejected() {
    assert_rejected(
        "reverse",
        &[
            (
                "twin_test_helper_called_live.go",
                "forbidden-import",
                "import \"testing\"",
            ),
            (
                "twin_flag_var_read_live.go",
                "forbidden-import",
                "\t\"flag\"",
            ),
            (
                "twin_flag_var_runs_at_init.go",
                "forbidden-import",
                "\t\"flag\"",
            ),
        ],
    );
}

/// The kit resets every flag to its default before reading gograde's
/// arguments: code the policy lets through (here an exercise allowing
/// flag and testing) cannot carry flags it set before the tests into the
/// run. The harness of `flagprobe` fails naming any flag not at its
/// default besides those gograde passes.
#[test]
fn flags_set_before_the_tests_are_reset_by_the_kit() {
    common::warm_cache();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flags");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gograde"))
        .env("GOGRADE_CACHE", common::cache_dir())
        .env_remove("GOGRADE_GO")
        .arg("--exercises-dir")
        .arg(&fixtures)
        .args(["grade", "--format", "json", "--exercise", "flagprobe"])
        .arg(fixtures.join("sets_flags_in_init.go"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn gograde");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("stdout pipe")
        .read_to_string(&mut stdout)
        .expect("read the verdict");
    child.wait().expect("wait for gograde");
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(v["status"], "pass", "{v:#}");
}

// ------------------------------------------------- the check program alone

/// The real toolchain with the tests' shared cache, found without touching
/// the process environment (tests run on threads).
fn toolchain() -> &'static Toolchain {
    static TOOLCHAIN: OnceLock<Toolchain> = OnceLock::new();
    TOOLCHAIN.get_or_init(|| {
        let go = std::env::var_os("PATH")
            .and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join("go"))
                    .find(|p| p.is_file())
            })
            .unwrap_or_else(|| PathBuf::from("/usr/local/go/bin/go"));
        let out = Command::new(&go)
            .args(["env", "GOVERSION"])
            .env("GOTOOLCHAIN", "local")
            .output()
            .expect("go env GOVERSION");
        Toolchain {
            go,
            version: String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            cache_root: common::cache_dir(),
        }
    })
}

/// Runs the check on `source` (a whole file, package clause first).
fn check_source(source: &str, allow: &[&str]) -> Report {
    check_source_rooted(source, allow, &[])
}

/// `check_source` with `roots`, the names the harness calls.
fn check_source_rooted(source: &str, allow: &[&str], roots: &[&str]) -> Report {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("candidate.go");
    std::fs::write(&file, source).expect("write source");
    let request = CheckRequest {
        file,
        header: 0,
        allow_imports: allow.iter().map(|s| s.to_string()).collect(),
        roots: roots.iter().map(|s| s.to_string()).collect(),
        limits: None,
    };
    check(toolchain(), &request, Instant::now() + GRADE_BOUND)
        .unwrap_or_else(|e| panic!("the check failed: {}", gograde::error::chain(&e)))
}

fn rules(violations: &[Violation]) -> Vec<(u32, &str)> {
    violations
        .iter()
        .map(|v| (v.line, v.rule.as_str()))
        .collect()
}

/// Under a Go gograde's build did not build the check with, the check is
/// built from its embedded source, and works the same. Its cache shares
/// the tests' Go build cache (so the standard library is compiled already)
/// but not their checker folder.
#[test]
fn under_another_go_the_check_is_built_from_its_source() {
    let real = toolchain();
    let root = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(real.go_cache(), root.path().join("go-build")).expect("link");
    let other = Toolchain {
        go: real.go.clone(),
        // Not the version gograde's build used: nothing carried matches it.
        version: format!("{}-other", real.version),
        cache_root: root.path().to_path_buf(),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("candidate.go");
    std::fs::write(
        &file,
        "package p\n\nimport \"unsafe\"\n\nvar _ = unsafe.Pointer(nil)\n",
    )
    .expect("write source");
    let request = CheckRequest {
        file,
        header: 0,
        allow_imports: Vec::new(),
        roots: Vec::new(),
        limits: None,
    };
    let report = check(&other, &request, Instant::now() + GRADE_BOUND)
        .unwrap_or_else(|e| panic!("the check failed: {}", gograde::error::chain(&e)));
    assert!(
        gograde::grade::typecheck::build::binary_path(&other).is_file(),
        "built into the other cache"
    );
    assert_eq!(
        rules(&report.violations),
        [(3, "forbidden-import"), (5, "raw-memory")]
    );
}

#[test]
fn check_finds_each_variant_on_its_line() {
    let cases: &[(&str, &[(u32, &str)])] = &[
        (
            "package p\nimport . \"reflect\"\nvar _ = NewAt\n",
            &[(3, "raw-memory")],
        ),
        (
            "package p\nimport \"reflect\"\nfunc f(v reflect.Value) { v.SetPointer(nil) }\n",
            &[(3, "raw-memory")],
        ),
        (
            "package p\nimport \"reflect\"\nvar _ = reflect.Value.InterfaceData\nvar _ = (*reflect.Value).UnsafeAddr\n",
            &[(3, "raw-memory"), (4, "raw-memory")],
        ),
        (
            "package p\nimport r \"runtime\"\nvar _ = r.Callers\nvar _ = r.CallersFrames\nvar _ = r.GoroutineProfile\n",
            &[
                (3, "stack-introspection"),
                (4, "stack-introspection"),
                (5, "stack-introspection"),
            ],
        ),
        (
            // RaceAcquire takes an unsafe.Pointer: two rules on one line.
            "package p\nimport . \"runtime\"\nfunc f() { RaceAcquire(nil) }\nfunc g() { RaceErrors() }\n",
            &[
                (3, "race-detector"),
                (3, "raw-memory"),
                (4, "race-detector"),
            ],
        ),
        (
            "package p\nimport u \"unsafe\"\n//go:linkname now runtime.nanotime\nfunc now() int64\nvar _ u.Pointer\n",
            &[
                (2, "forbidden-import"),
                (3, "compiler-directive"),
                (5, "raw-memory"),
            ],
        ),
        (
            "package p\n// #include <stdio.h>\nimport \"C\"\n",
            &[(3, "forbidden-import")],
        ),
        (
            "package p\nimport (\n\t_ \"internal/race\"\n\t_ \"vendor/golang.org/x/net/idna\"\n\t_ \"golang.org/x/sys/unix\"\n\t_ \"net/http\"\n\t_ \"syscall/js\"\n\t_ \"runtime/trace\"\n\t_ \"debug/elf\"\n)\n",
            &[
                (3, "forbidden-import"),
                (4, "forbidden-import"),
                (5, "forbidden-import"),
                (6, "forbidden-import"),
                (7, "forbidden-import"),
                (8, "forbidden-import"),
                (9, "forbidden-import"),
            ],
        ),
        (
            "package p\nimport (\n\t_ \"./x\"\n\t_ \"/etc\"\n\t_ \"-toolexec\"\n\t_ \"cmd/go\"\n)\n",
            &[
                (3, "forbidden-import"),
                (4, "forbidden-import"),
                (5, "forbidden-import"),
                (6, "forbidden-import"),
            ],
        ),
        (
            "package p\n//go:cgo_import_dynamic x x \"libc.so.6\"\n//go:nocheckptr\nfunc f() {}\n/*line x.go:1:1*/\n",
            &[
                (2, "compiler-directive"),
                (3, "compiler-directive"),
                (5, "compiler-directive"),
            ],
        ),
    ];
    let mut problems = Vec::new();
    for (source, expected) in cases {
        let report = check_source(source, &[]);
        let got = rules(&report.violations);
        if got != *expected {
            problems.push(format!(
                "{source}\nexpected {expected:?}\ngot      {:?}",
                report.violations
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn check_lets_good_faith_code_through() {
    let source = r#"package p

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

type Node struct{ next atomic.Pointer[Node] }

// A method named Pointer with another signature is not reflect's.
type ref interface{ Pointer() *Node }

func (n *Node) Pointer() *Node { return n.next.Load() }

func copy(dst, src []int) int { return len(dst) + len(src) }

func main() {
	var ops atomic.Int64
	var mu sync.Mutex
	var r ref = &Node{}
	_ = r.Pointer()
	runtime.Gosched()
	runtime.GOMAXPROCS(runtime.NumGoroutine())
	runtime.SetFinalizer(&mu, nil)
	runtime.KeepAlive(&mu)
	data, err := json.Marshal(map[string]any{"a": 1})
	log.Println(string(data), err, errors.Is(err, os.ErrNotExist), ops.Load())
	fmt.Println(reflect.DeepEqual(1, 1), reflect.TypeOf(time.Second), reflect.ValueOf(1).Int(), os.Args, os.Setenv("A", "1"), copy(nil, nil))
}
"#;
    let report = check_source(source, &[]);
    assert_eq!(report.violations, [], "{report:#?}");
    assert_eq!(report.type_errors, 0, "{report:#?}");
    assert_eq!(report.incomplete(), None, "{report:#?}");
}

#[test]
fn flag_and_testing_only_in_code_that_never_runs_are_not_refused() {
    let cases: &[(&str, &[(u32, &str)])] = &[
        // func main and the candidate's own tests: never run.
        (
            "package p\nimport (\n\t\"flag\"\n\t\"testing\"\n)\nfunc main() { flag.Parse(); helper() }\nfunc helper() {}\nfunc TestMine(t *testing.T) { main() }\nfunc Example() { _ = flag.Args() }\n",
            &[],
        ),
        // What only they use, transitively: helpers, a test table's type,
        // a flag defined with constant arguments for main alone.
        (
            "package p\nimport (\n\t\"flag\"\n\t\"testing\"\n)\ntype tc struct{ t *testing.T }\nfunc check(t *testing.T) { deeper(tc{t}) }\nfunc deeper(c tc) { c.t.Helper(); deeper(c) }\nfunc TestMine(t *testing.T) { check(t) }\nconst def = 3\nvar n = flag.Int(\"n\", def, \"count\")\nvar (\n\tv = flag.Bool(\"v\", false, \"\")\n\td = flag.Duration(\"d\", 2*1e9, \"\")\n)\nfunc main() { flag.Parse(); _, _, _ = *n, *v, *d }\n",
            &[],
        ),
        // Used from init, from a package variable, from a function the
        // harness may call, or main reached from live code: refused.
        (
            "package p\nimport \"flag\"\nfunc init() { flag.Parse() }\n",
            &[(2, "forbidden-import")],
        ),
        (
            "package p\nimport \"testing\"\nvar _ = testing.Init\n",
            &[(2, "forbidden-import")],
        ),
        (
            "package p\nimport \"flag\"\nfunc main() { flag.Parse() }\nfunc Reverse(s string) string { main(); return s }\n",
            &[(2, "forbidden-import")],
        ),
        (
            "package p\nimport . \"flag\"\nfunc main() { Parse() }\n",
            &[(2, "forbidden-import")],
        ),
        // A helper or flag variable live code uses too; a variable whose
        // initializer runs code at init (whoever uses the variable); a
        // flag defined with a computed name; a helper a live variable's
        // initializer calls; an exported helper (the harness may name it).
        (
            "package p\nimport \"testing\"\nfunc check(t *testing.T) {}\nfunc TestMine(t *testing.T) { check(t) }\nfunc Reverse(s string) string { check(nil); return s }\n",
            &[(2, "forbidden-import")],
        ),
        (
            "package p\nimport \"flag\"\nvar n = flag.Int(\"n\", 1, \"\")\nfunc main() { _ = *n }\nfunc Reverse(s string) string { _ = *n; return s }\n",
            &[(2, "forbidden-import")],
        ),
        (
            "package p\nimport \"flag\"\nvar m = func() int { flag.Set(\"test.run\", \"^$\"); return 0 }()\nfunc main() { _ = m }\n",
            &[(2, "forbidden-import")],
        ),
        (
            "package p\nimport \"flag\"\nfunc name() string { flag.Parse(); return \"n\" }\nvar n = flag.Int(name(), 1, \"\")\nfunc main() { _ = *n }\n",
            &[(2, "forbidden-import")],
        ),
        (
            "package p\nimport \"flag\"\nfunc set() int { flag.Parse(); return 1 }\nvar x = set()\n",
            &[(2, "forbidden-import")],
        ),
        (
            "package p\nimport \"testing\"\nfunc Check(t *testing.T) {}\nfunc TestMine(t *testing.T) { Check(t) }\n",
            &[(2, "forbidden-import")],
        ),
        // A lowercase letter after Test: not a test, so it may run.
        (
            "package p\nimport \"flag\"\nfunc Testify() { flag.Parse() }\n",
            &[(2, "forbidden-import")],
        ),
    ];
    let mut problems = Vec::new();
    for (source, expected) in cases {
        let report = check_source(source, &[]);
        if rules(&report.violations) != *expected {
            problems.push(format!(
                "{source}\nexpected {expected:?}\ngot      {:?}",
                report.violations
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// An exercise's symbol is called by the harness, so it is live even when
/// only main names it in the file (workerpool's `worker` is unexported).
#[test]
fn the_exercises_symbols_are_never_dead_code() {
    let source =
        "package p\nimport \"flag\"\nfunc worker() { flag.Parse() }\nfunc main() { worker() }\n";
    let report = check_source_rooted(source, &[], &[]);
    assert_eq!(report.violations, [], "{report:#?}");
    let names: Vec<&str> = report.dead.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["worker", "main"]);
    let report = check_source_rooted(source, &[], &["worker"]);
    assert_eq!(rules(&report.violations), [(2, "forbidden-import")]);
}

#[test]
fn check_honours_the_exercises_allowed_imports() {
    let source = "package p\nimport \"net\"\nvar _ = net.IPv4len\n";
    assert_eq!(
        rules(&check_source(source, &[]).violations),
        [(2, "forbidden-import")]
    );
    assert_eq!(check_source(source, &["net"]).violations, []);
    // Allowing unsafe (or os/exec) lifts the rules that give no more than
    // it does; a directive stays refused.
    let raw = "package p\nimport (\n\t\"os\"\n\t\"reflect\"\n\t\"unsafe\"\n)\nvar _ = reflect.NewAt\nvar _ unsafe.Pointer\nvar _ = os.StartProcess\n//go:norace\nfunc f() {}\n";
    assert_eq!(
        rules(&check_source(raw, &[]).violations),
        [
            (5, "forbidden-import"),
            (7, "raw-memory"),
            (8, "raw-memory"),
            (9, "process"),
            (10, "race-detector"),
        ]
    );
    assert_eq!(
        rules(&check_source(raw, &["unsafe", "os/exec"]).violations),
        [(10, "race-detector")]
    );
}

#[test]
fn check_of_code_that_does_not_compile_reports_only_true_findings() {
    // Undefined names and a wrong call: type errors, no findings...
    let broken = "package p\nimport \"reflect\"\nfunc f() { g(reflect.ValueOf(undefinedThing)); var x int = \"s\" }\n";
    let report = check_source(broken, &[]);
    assert!(report.type_errors > 0, "{report:#?}");
    assert_eq!(report.violations, [], "{report:#?}");
    // ...but what did resolve is still found, and a file that does not even
    // parse still has its imports and directives checked.
    let mixed = "package p\nimport \"reflect\"\nvar _ = reflect.NewAt\nfunc f() { return undefinedThing }\n";
    assert_eq!(
        rules(&check_source(mixed, &[]).violations),
        [(3, "raw-memory")]
    );
    // An import whose types cannot be loaded leaves the check incomplete
    // (gograde then refuses to run code the compiler accepted).
    let missing = check_source("package p\nimport \"nosuch/pkg\"\nvar _ = pkg.X\n", &[]);
    assert_eq!(missing.violations, []);
    assert_eq!(missing.unloaded, ["nosuch/pkg"]);
    let unparsable = "package p\nimport \"uns\\x61fe\"\n//go:norace\nfunc f() {\n";
    assert_eq!(
        rules(&check_source(unparsable, &[]).violations),
        [(2, "forbidden-import"), (3, "race-detector")]
    );
}

#[test]
fn check_reports_the_candidates_lines_after_gogrades_header() {
    // As fixup stages a snippet: an added import, then gograde's //line.
    let prepared = "package p\nimport (\n\t\"runtime\"\n)\n//line answer.go:1:1\nfunc f() {\n\truntime.Stack(nil, true)\n}\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("candidate.go");
    std::fs::write(&file, prepared).unwrap();
    let request = CheckRequest {
        file,
        header: gograde::grade::typecheck::header_line(prepared),
        allow_imports: Vec::new(),
        roots: Vec::new(),
        limits: None,
    };
    let report = check(toolchain(), &request, Instant::now() + GRADE_BOUND).unwrap();
    assert_eq!(
        rules(&report.violations),
        [(2, "stack-introspection")],
        "gograde's own //line is not a finding; lines are the candidate's"
    );
}

/// One table, one wording: for a path under every rule of
/// `checker/forbidden-imports.txt`, the type-aware check and gograde's
/// first pass refuse it in the same sentence, and the first pass leaves
/// the rules marked `live` to the check (which excuses them in code that
/// never runs).
#[test]
fn both_layers_refuse_each_table_rule_in_the_same_words() {
    use gograde::core::policy::{self, When};
    use gograde::grade::typecheck::rejection_summary;
    let rules = policy::table();
    let paths: Vec<String> = rules
        .iter()
        .map(|rule| match rule.path {
            "*.*" => "example.com/m".to_owned(),
            p if p.ends_with('/') => format!("{p}x"),
            p => p.to_owned(),
        })
        .collect();
    // One import a line, from line 2, in one run of the check. A `live`
    // rule's import is a dot import, which the check always refuses (its
    // uses do not name the package), in the table's words alone.
    let imports: String = rules
        .iter()
        .zip(&paths)
        .map(|(rule, p)| match rule.when {
            When::Always => format!("import _ \"{p}\"\n"),
            When::Live => format!("import . \"{p}\"\n"),
        })
        .collect();
    let report = check_source(&format!("package p\n{imports}"), &[]);
    for (k, (rule, path)) in rules.iter().zip(&paths).enumerate() {
        let line = k as u32 + 2;
        let found = report
            .violations
            .iter()
            .find(|v| v.line == line)
            .unwrap_or_else(|| panic!("the check let {path} through: {report:#?}"));
        let checked = rejection_summary(found);
        let first_pass = policy::check_imports(std::slice::from_ref(path), &[]);
        match rule.when {
            When::Always => {
                let summary = first_pass
                    .unwrap_or_else(|| panic!("the first pass let {path} through"))
                    .summary(Some(line), Some(&format!("\"{path}\"")));
                assert_eq!(checked, summary, "{path}");
            }
            When::Live => {
                assert_eq!(first_pass, None, "{path} is the check's to decide");
                let words = format!(
                    "Rejected before running: line {line} imports \"{path}\", {} (rule: forbidden-import).",
                    rule.reason
                );
                assert_eq!(checked, words, "{path}");
            }
        }
    }
}

/// Through the binary: an import the first pass refuses reads as the
/// check would word it, the literal as written included.
#[test]
fn the_first_pass_words_a_refusal_as_the_check_does() {
    let verdicts = grade_all("reverse", &["import_unsafe_escaped.go"]);
    assert_eq!(verdicts[0]["status"], "rejected", "{:#}", verdicts[0]);
    assert_eq!(
        verdicts[0]["summary"],
        "Rejected before running: line 4 imports \"unsafe\" (written \"uns\\x61fe\"), which gives raw memory access (rule: forbidden-import)."
    );
}
