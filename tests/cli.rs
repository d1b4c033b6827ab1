//! End-to-end tests of the `gograde` binary against the real Go toolchain.
//!
//! Every test runs the built binary with `GOGRADE_CACHE` pointing at one
//! directory shared by all tests (and all runs), so the race-instrumented
//! standard library is built once. `warm()` grades one passing file before
//! anything else, so no test sees the first-run notice on stderr.
//!
//! Go sources live in `tests/fixtures/cli/`; generated inputs (empty,
//! binary, oversized files, output paths) go into a `TempDir`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

mod common;
use common::cache_dir;

const IDS: [&str; 5] = ["counter", "json", "retry", "reverse", "workerpool"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli")
}

fn fixture(name: &str) -> String {
    fixtures().join(name).display().to_string()
}

fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).expect("read fixture")
}

/// 1-based number of the first line of fixture `name` containing `needle`.
fn line_of(name: &str, needle: &str) -> u64 {
    fixture_text(name)
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u64 + 1)
        .unwrap_or_else(|| panic!("{needle:?} not in {name}"))
}

use common::gograde_with_cache;

fn gograde() -> Command {
    gograde_with_cache(&cache_dir())
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {} after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.elapsed, self.stdout, self.stderr
        )
    }
}

fn finish(mut cmd: Command, stdin: Option<&[u8]>) -> Run {
    let started = Instant::now();
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gograde");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        pipe.write_all(bytes).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait for gograde");
    Run {
        code: out.status.code().expect("gograde killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        elapsed: started.elapsed(),
    }
}

/// Fills the shared build cache once per test process (a minute or two
/// cold, under a second warm), so later runs print nothing but their result.
fn warm() {
    static WARM: Once = Once::new();
    WARM.call_once(|| {
        common::warm_cache();
        let mut cmd = gograde();
        cmd.args(["grade", "--format", "json", &fixture("reverse_good.go")]);
        let run = finish(cmd, None);
        assert_eq!(run.code, 0, "warming grade failed: {run:?}");
    });
}

fn gg(args: &[&str]) -> Run {
    gg_in(None, args, None)
}

fn gg_in(dir: Option<&Path>, args: &[&str], stdin: Option<&[u8]>) -> Run {
    warm();
    let mut cmd = gograde();
    cmd.args(args);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    finish(cmd, stdin)
}

/// `grade --format json <extra> <file>` of one file: the verdict object.
fn grade_json(extra: &[&str], file: &str) -> (Run, Value) {
    let mut args = vec!["grade", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(file);
    let run = gg(&args);
    let v = run.json();
    assert!(v.is_object(), "one file gives one object: {run:?}");
    (run, v)
}

fn status(v: &Value) -> &str {
    v["status"].as_str().expect("status is a string")
}

fn tests_of(v: &Value) -> &Vec<Value> {
    v["tests"].as_array().expect("tests is an array")
}

fn test_named<'a>(v: &'a Value, name: &str) -> &'a Value {
    tests_of(v)
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no test {name} in {v:#}"))
}

fn notes_text(v: &Value) -> String {
    v["notes"]
        .as_array()
        .expect("notes is an array")
        .iter()
        .map(|n| n["message"].as_str().expect("note message"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A usage error: exit 2, nothing on stdout, one line on stderr that
/// contains every one of `needles`.
fn assert_usage_error(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stdout, "", "nothing on stdout: {run:?}");
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "exactly one line on stderr: {run:?}");
    assert!(lines[0].starts_with("gograde: error: "), "{run:?}");
    for needle in needles {
        assert!(
            lines[0].contains(needle),
            "stderr should mention {needle:?}: {run:?}"
        );
    }
}

// ---------------------------------------------------------------- list, show

#[test]
fn list_prints_the_five_ids_one_per_line() {
    let run = gg(&["list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "", "{run:?}");
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(ids, IDS, "{run:?}");
}

#[test]
fn show_reverse_prints_prompt_and_stub() {
    let run = gg(&["show", "reverse"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stderr, "", "{run:?}");
    let (prompt, stub) = run
        .stdout
        .split_once("---- stub.go ----")
        .unwrap_or_else(|| panic!("no stub separator: {run:?}"));
    assert!(prompt.contains("Reverse a string"), "prompt: {prompt}");
    assert!(prompt.contains("rune"), "prompt: {prompt}");
    assert!(
        stub.contains("func Reverse(s string) string"),
        "stub: {stub}"
    );
}

#[test]
fn show_unknown_exercise_is_a_usage_error() {
    let run = gg(&["show", "nope"]);
    assert_usage_error(&run, &["unknown exercise", "nope"]);
}

// ------------------------------------------------------------------ bad input

#[test]
fn missing_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("missing.go");
    let run = gg(&["grade", path.to_str().unwrap()]);
    assert_usage_error(&run, &["missing.go", "no such file"]);
}

#[test]
fn directory_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let run = gg(&["grade", dir.path().to_str().unwrap()]);
    assert_usage_error(&run, &[dir.path().to_str().unwrap(), "directory"]);
}

#[test]
fn empty_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("empty.go");
    std::fs::write(&path, "").unwrap();
    let run = gg(&["grade", path.to_str().unwrap()]);
    assert_usage_error(&run, &["empty.go", "empty"]);
}

#[test]
fn binary_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("blob.go");
    std::fs::write(&path, b"package main\n\x00\x01\x02\x7fELF\x00\x00").unwrap();
    let run = gg(&["grade", path.to_str().unwrap()]);
    assert_usage_error(&run, &["blob.go", "binary"]);
}

#[test]
fn file_over_256_kib_is_rejected_without_running() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("big.go");
    let mut text = String::from("package main\n\nfunc Reverse(s string) string { return s }\n");
    while text.len() <= 256 * 1024 {
        text.push_str("// padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&path, &text).unwrap();
    let run = gg(&["grade", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let v = run.json();
    assert_eq!(v["status"], "rejected");
    let summary = v["summary"].as_str().unwrap();
    assert!(summary.contains("over the 256 KiB limit"), "{summary}");
    assert!(summary.contains(&text.len().to_string()), "{summary}");
    assert_eq!(v["submission"]["bytes"], text.len() as u64);
}

#[test]
fn not_utf8_text_is_rejected_without_running() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("latin1.go");
    let mut bytes = b"package main\n\n// caf".to_vec();
    bytes.push(0xe9); // Latin-1 e-acute
    bytes.extend_from_slice(b"\nfunc Reverse(s string) string { return s }\n");
    std::fs::write(&path, &bytes).unwrap();
    let run = gg(&["grade", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let v = run.json();
    assert_eq!(v["status"], "rejected");
    assert!(
        v["summary"].as_str().unwrap().contains("not UTF-8"),
        "{v:#}"
    );
}

#[test]
fn huge_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("huge.go");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    let run = gg(&["grade", path.to_str().unwrap()]);
    assert_usage_error(&run, &["huge.go", "too large"]);
}

#[test]
fn unknown_exercise_is_a_usage_error() {
    let run = gg(&["grade", "--exercise", "nope", &fixture("reverse_good.go")]);
    assert_usage_error(&run, &["unknown exercise", "'nope'"]);
}

#[test]
fn auto_detection_without_exercise_symbols_is_a_usage_error() {
    let run = gg(&[
        "grade",
        "--exercise",
        "auto",
        &fixture("no_exercise_symbols.go"),
    ]);
    assert_usage_error(
        &run,
        &[
            "no_exercise_symbols.go",
            "cannot tell which exercise",
            "--exercise",
        ],
    );
}

#[test]
fn zero_timeout_is_a_usage_error() {
    let run = gg(&["grade", "--timeout", "0", &fixture("reverse_good.go")]);
    assert_usage_error(&run, &["--timeout"]);
}

// ---------------------------------------------------------------------- stdin

#[test]
fn stdin_snippet_without_package_or_imports_passes_with_notes() {
    let source = fixture_text("snippet_no_package.go");
    assert!(!source.contains("package") && !source.contains("import"));
    let run = gg_in(
        None,
        &["grade", "--format", "json", "-"],
        Some(source.as_bytes()),
    );
    assert_eq!(run.code, 0, "{run:?}");
    let v = run.json();
    assert_eq!(status(&v), "pass", "{run:?}");
    assert_eq!(v["exercise"], "reverse");
    assert_eq!(v["submission"]["path"], "-");
    assert_eq!(v["submission"]["bytes"], source.len() as u64);
    let notes = notes_text(&v);
    assert!(
        notes.contains("added the missing package clause"),
        "{notes}"
    );
    assert!(
        notes.contains("added the missing import \"strings\""),
        "{notes}"
    );
    assert!(
        notes.contains("added the missing import \"unicode/utf8\""),
        "{notes}"
    );
}

#[test]
fn package_main_with_func_main_and_unused_import_passes_with_notes() {
    let (run, v) = grade_json(&[], &fixture("main_unused_os.go"));
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(status(&v), "pass", "{run:?}");
    let notes = notes_text(&v);
    assert!(
        notes.contains("removed the unused import \"os\""),
        "{notes}"
    );
    assert!(notes.contains("func main is ignored"), "{notes}");
}

// -------------------------------------------------------------------- formats

#[test]
fn json_for_one_file_is_one_verdict_object() {
    let file = fixture("reverse_good.go");
    let (run, v) = grade_json(&[], &file);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["exercise"], "reverse");
    assert_eq!(status(&v), "pass");
    let bytes = std::fs::read(&file).unwrap();
    let sha = v["submission"]["sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert!(
        sha.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{sha}"
    );
    assert_eq!(sha, format!("{:x}", Sha256::digest(&bytes)));
    assert_eq!(v["submission"]["bytes"], bytes.len() as u64);
    assert_eq!(v["submission"]["path"], file.as_str());
    let (earned, possible) = (
        v["score"]["earned"].as_u64().unwrap(),
        v["score"]["possible"].as_u64().unwrap(),
    );
    assert!(
        possible > 0 && earned == possible,
        "a passing answer earns everything: {earned}/{possible}"
    );
    let tests = tests_of(&v);
    assert!(!tests.is_empty());
    for t in tests {
        assert!(
            t["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Test") || n == "GoVet"),
            "{t}"
        );
        assert!(
            ["core", "robustness", "performance", "followup"]
                .contains(&t["category"].as_str().unwrap()),
            "{t}"
        );
        assert!(
            ["pass", "fail", "skip", "error", "timeout"].contains(&t["status"].as_str().unwrap()),
            "{t}"
        );
        assert!(t["points"].is_u64(), "{t}");
    }
    assert!(tests.iter().any(|t| t["name"] == "TestCore_ASCII"
        && t["category"] == "core"
        && t["status"] == "pass"));
    for key in ["stage", "compile", "run", "total"] {
        assert!(v["timings_ms"][key].is_u64(), "timings_ms.{key}: {v:#}");
    }
    assert!(v["timings_ms"]["total"].as_u64().unwrap() >= v["timings_ms"]["run"].as_u64().unwrap());
    assert!(
        v["go_version"].as_str().unwrap().starts_with("go1."),
        "{}",
        v["go_version"]
    );
}

#[test]
fn json_for_two_files_is_an_array_in_the_order_given_built_as_one_group() {
    let (bad, good) = (fixture("reverse_bytes.go"), fixture("reverse_good.go"));
    let run = gg(&["grade", "--format", "json", &bad, &good]);
    assert_eq!(run.code, 1, "{run:?}");
    let v = run.json();
    let all = v.as_array().unwrap_or_else(|| panic!("an array: {run:?}"));
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["submission"]["path"], bad.as_str());
    assert_eq!(all[0]["status"], "fail");
    assert_eq!(all[1]["submission"]["path"], good.as_str());
    assert_eq!(all[1]["status"], "pass");
    // Several files take batch's way: one go command built both, so both
    // report the same compile time to the millisecond.
    let compile = |v: &Value| v["timings_ms"]["compile"].as_u64().unwrap_or(0);
    assert!(compile(&all[0]) > 0, "{run:?}");
    assert_eq!(compile(&all[0]), compile(&all[1]), "built apart: {run:?}");
}

#[test]
fn jsonl_gives_one_line_per_verdict() {
    let (good, bad) = (fixture("reverse_good.go"), fixture("reverse_bytes.go"));
    let run = gg(&["grade", "--format", "jsonl", &good, &bad]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    let verdicts: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(verdicts[0]["submission"]["path"], good.as_str());
    assert_eq!(verdicts[0]["status"], "pass");
    assert_eq!(verdicts[1]["submission"]["path"], bad.as_str());
    assert_eq!(verdicts[1]["status"], "fail");
}

#[test]
fn human_report_of_a_byte_reversal_shows_failures_table_and_questions() {
    let run = gg(&[
        "grade",
        "--format",
        "human",
        "--color",
        "never",
        &fixture("reverse_bytes.go"),
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let out = &run.stdout;
    assert!(out.starts_with("FAIL  reverse"), "{run:?}");
    let header = out
        .lines()
        .find(|l| l.contains("category"))
        .unwrap_or_else(|| panic!("no table: {run:?}"));
    assert!(
        header.contains("passed") && header.contains("points"),
        "{header}"
    );
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("core ") && l.contains('/')),
        "{run:?}"
    );
    assert!(out.contains("TestCore_MultiByteLatin"), "{run:?}");
    assert!(out.contains("Ask next"), "{run:?}");
    assert!(out.contains("Why rune instead of byte?"), "{run:?}");
}

#[test]
fn human_report_of_a_pass_says_pass() {
    let run = gg(&["grade", "--color", "never", &fixture("reverse_good.go")]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.starts_with("PASS  reverse"), "{run:?}");
    assert!(run.stdout.contains("category"), "{run:?}");
    assert!(!run.stdout.contains("FAIL"), "{run:?}");
}

#[test]
fn output_flag_writes_the_report_to_the_file_only() {
    let dir = TempDir::new().unwrap();
    let report = dir.path().join("report.json");
    let run = gg(&[
        "grade",
        "--format",
        "json",
        "--output",
        report.to_str().unwrap(),
        &fixture("reverse_good.go"),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "", "{run:?}");
    assert_eq!(run.stderr, "", "{run:?}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["status"], "pass");
    assert_eq!(v["exercise"], "reverse");
}

#[test]
fn color_never_has_no_ansi_and_always_has_it() {
    let file = fixture("reverse_bytes.go");
    let never = gg(&["grade", "--color", "never", &file]);
    assert_eq!(never.code, 1, "{never:?}");
    assert!(!never.stdout.contains('\x1b'), "{never:?}");
    let always = gg(&["grade", "--color", "always", &file]);
    assert_eq!(always.code, 1, "{always:?}");
    assert!(
        always.stdout.contains("\x1b[1;31mFAIL\x1b[0m"),
        "{always:?}"
    );
    // The same status line once the escapes are gone.
    let stripped = regex::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(&always.stdout, "");
    assert_eq!(stripped.lines().next(), never.stdout.lines().next());
}

// ----------------------------------------------------------------- exit codes

#[test]
fn failing_file_exits_1() {
    let (run, v) = grade_json(&[], &fixture("reverse_bytes.go"));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(status(&v), "fail");
    assert_eq!(test_named(&v, "TestCore_MultiByteLatin")["status"], "fail");
    assert_eq!(test_named(&v, "TestCore_ASCII")["status"], "pass");
}

#[test]
fn pass_and_fail_together_exit_1() {
    let run = gg(&[
        "grade",
        "--format",
        "jsonl",
        &fixture("reverse_good.go"),
        &fixture("reverse_bytes.go"),
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let statuses: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["status"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(statuses[0], "pass", "{run:?}");
    assert_eq!(statuses[1], "fail", "{run:?}");
}

#[test]
fn valid_file_and_missing_file_grades_the_valid_one_and_exits_2() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("absent.go");
    let good = fixture("reverse_good.go");
    let run = gg(&[
        "grade",
        "--format",
        "json",
        &good,
        missing.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(
        lines[0].contains("absent.go") && lines[0].contains("no such file"),
        "{run:?}"
    );
    // The valid file's verdict is on stdout (an object, or an array of one).
    let v = run.json();
    let verdicts: Vec<&Value> = match &v {
        Value::Array(all) => all.iter().collect(),
        one => vec![one],
    };
    assert_eq!(verdicts.len(), 1, "{run:?}");
    assert_eq!(verdicts[0]["submission"]["path"], good.as_str());
    assert_eq!(verdicts[0]["status"], "pass");
}

// -------------------------------------------------------------- compile errors

#[test]
fn syntax_error_points_at_the_candidates_line_and_path() {
    let name = "syntax_error_line7.go";
    let run = gg_in(
        Some(&fixtures()),
        &["grade", "--format", "json", name],
        None,
    );
    assert_eq!(run.code, 1, "{run:?}");
    let v = run.json();
    assert_eq!(status(&v), "compile_error", "{run:?}");
    let first = &v["compile_errors"][0];
    assert_eq!(first["file"], name, "{run:?}");
    assert_eq!(first["line"], 7, "{run:?}");
    assert!(
        first["message"].as_str().unwrap().contains("syntax error"),
        "{run:?}"
    );
    assert!(tests_of(&v).is_empty(), "nothing ran: {run:?}");
}

/// A compile error carries the candidate's line it points at, in the JSON
/// verdict and under the message in the terminal, as race frames do.
#[test]
fn a_compile_error_shows_the_line_it_points_at() {
    let src =
        "package main\n\nfunc Reverse(s string) string {\n\tunusedCount := 1\n\treturn s\n}\n";
    let run = gg_in(
        None,
        &["grade", "--format", "json", "--exercise", "reverse", "-"],
        Some(src.as_bytes()),
    );
    let v = run.json();
    assert_eq!(status(&v), "compile_error", "{run:?}");
    let first = &v["compile_errors"][0];
    assert_eq!(first["line"], 4, "{run:?}");
    assert_eq!(first["source"], "unusedCount := 1", "{run:?}");
    let human = gg_in(
        None,
        &["grade", "--color", "never", "--exercise", "reverse", "-"],
        Some(src.as_bytes()),
    );
    let lines: Vec<&str> = human.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(":4:") && l.contains("unusedCount"))
        .unwrap_or_else(|| panic!("no error line: {human:?}"));
    assert_eq!(lines[at + 1].trim(), "unusedCount := 1", "{human:?}");
}

#[test]
fn wrong_signature_is_explained_at_the_func_line() {
    let name = "wrong_signature.go";
    let (run, v) = grade_json(&[], &fixture(name));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(status(&v), "compile_error", "{run:?}");
    let first = &v["compile_errors"][0];
    assert_eq!(
        first["message"],
        "expected func Reverse(s string) string, found func Reverse(s []rune) []rune",
        "{run:?}"
    );
    assert_eq!(first["line"], line_of(name, "func Reverse("), "{run:?}");
    assert_eq!(first["file"], fixture(name).as_str());
}

#[test]
fn fix_ups_do_not_shift_compile_error_lines() {
    let name = "snippet_undeclared.go";
    let (run, v) = grade_json(&[], &fixture(name));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(status(&v), "compile_error", "{run:?}");
    let first = &v["compile_errors"][0];
    assert_eq!(first["line"], line_of(name, "sz]"), "{run:?}");
    assert_eq!(first["message"], "undefined: sz", "{run:?}");
    let notes = notes_text(&v);
    assert!(
        notes.contains("added the missing package clause"),
        "{notes}"
    );
    assert!(
        notes.contains("added the missing import \"strings\""),
        "{notes}"
    );
}

// --------------------------------------------------------------------- strict

#[test]
fn strict_refuses_a_snippet_without_package_clause() {
    let (run, v) = grade_json(&["--strict"], &fixture("snippet_no_package.go"));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(status(&v), "compile_error", "{run:?}");
    assert!(
        v["compile_errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("package"),
        "{run:?}"
    );
    assert_eq!(v["compile_errors"][0]["line"], 1);
}

#[test]
fn strict_keeps_an_unused_import_and_go_refuses_it() {
    let name = "main_unused_os.go";
    let (run, v) = grade_json(&["--strict"], &fixture(name));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(status(&v), "compile_error", "{run:?}");
    let first = &v["compile_errors"][0];
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("imported and not used"),
        "{run:?}"
    );
    assert_eq!(first["line"], line_of(name, "\"os\""), "{run:?}");
}

// --------------------------------------------------------------------- policy

fn assert_rejected(fixture_name: &str, import: &str) {
    let (run, v) = grade_json(&[], &fixture(fixture_name));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(status(&v), "rejected", "{run:?}");
    let summary = v["summary"].as_str().unwrap();
    assert!(
        summary.contains(&format!("\"{import}\"")),
        "summary names the import: {summary}"
    );
    assert!(tests_of(&v).is_empty(), "nothing ran: {run:?}");
}

#[test]
fn import_os_exec_is_rejected() {
    assert_rejected("import_os_exec.go", "os/exec");
}

#[test]
fn import_unsafe_is_rejected() {
    assert_rejected("import_unsafe.go", "unsafe");
}

#[test]
fn import_net_http_is_rejected() {
    assert_rejected("import_net_http.go", "net/http");
}

// ------------------------------------------------------------------ integrity

#[test]
fn fake_pass_lines_on_stdout_do_not_pass() {
    let (run, v) = grade_json(&[], &fixture("fake_pass_output.go"));
    assert_eq!(run.code, 1, "{run:?}");
    assert_ne!(status(&v), "pass", "{run:?}");
    assert_eq!(
        test_named(&v, "TestCore_ASCII")["status"],
        "fail",
        "{run:?}"
    );
    assert_eq!(
        test_named(&v, "TestCore_MultiByteLatin")["status"],
        "fail",
        "{run:?}"
    );
}

#[test]
fn forged_framed_pass_lines_then_exit_do_not_pass() {
    let (run, v) = grade_json(&[], &fixture("forged_framed_results.go"));
    assert_ne!(
        status(&v),
        "pass",
        "a Reverse that returns its input must not pass: {run:?}"
    );
    assert_ne!(run.code, 0, "{run:?}");
    assert_ne!(
        test_named(&v, "TestCore_ASCII")["status"],
        "pass",
        "{run:?}"
    );
}

#[test]
fn os_exit_in_init_does_not_pass() {
    let (run, v) = grade_json(&[], &fixture("init_exit.go"));
    assert_ne!(run.code, 0, "{run:?}");
    assert!(["fail", "error"].contains(&status(&v)), "{run:?}");
    for t in tests_of(&v).iter().filter(|t| t["category"] == "core") {
        assert_eq!(t["status"], "error", "{t}");
        assert_eq!(t["earned"], 0, "{t}");
    }
}

#[test]
fn panic_in_init_does_not_pass() {
    let (run, v) = grade_json(&[], &fixture("init_panic.go"));
    assert_ne!(run.code, 0, "{run:?}");
    assert_ne!(status(&v), "pass", "{run:?}");
    assert_eq!(v["score"]["earned"], 0, "{run:?}");
    let core = test_named(&v, "TestCore_Empty");
    assert_eq!(core["status"], "error", "{run:?}");
    assert!(
        core["message"].as_str().unwrap().contains("boom in init"),
        "{core}"
    );
}

#[test]
fn goroutine_panic_does_not_pass_and_other_tests_still_run() {
    let (run, v) = grade_json(&[], &fixture("counter_goroutine_panic.go"));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(v["exercise"], "counter");
    assert_ne!(status(&v), "pass", "{run:?}");
    let tests = tests_of(&v);
    assert!(
        tests.iter().any(|t| t["status"] == "pass"),
        "some tests still have results: {run:?}"
    );
    let notes = notes_text(&v);
    assert!(
        notes.contains("re-run") || tests.iter().any(|t| t["status"] == "error"),
        "the crash is visible: {run:?}"
    );
    assert!(
        tests.iter().any(|t| t["message"]
            .as_str()
            .unwrap()
            .contains("boom from a goroutine")),
        "the panic is reported: {run:?}"
    );
}

// -------------------------------------------------------------------- timeout

#[test]
fn endless_loop_hits_the_timeout() {
    let (run, v) = grade_json(&["--timeout", "8"], &fixture("reverse_infinite_loop.go"));
    assert!(
        common::run_ms(&v) < 12_000,
        "the run took {} ms",
        common::run_ms(&v)
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_ne!(status(&v), "pass", "{run:?}");
    let tests = tests_of(&v);
    assert!(
        status(&v) == "timeout"
            || tests
                .iter()
                .any(|t| t["status"] == "timeout" || t["status"] == "fail"),
        "{run:?}"
    );
    assert_eq!(v["limits"]["timeout_s"], 8.0);
}

// ------------------------------------------------------------- auto-detection

#[test]
fn counter_is_detected_without_exercise_flag() {
    let (run, v) = grade_json(&[], &fixture("counter_good.go"));
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(v["exercise"], "counter");
    assert_eq!(status(&v), "pass", "{run:?}");
}

#[test]
fn lowercase_reverse_is_detected_and_explained_as_case_sensitive() {
    let (run, v) = grade_json(&[], &fixture("reverse_lowercase.go"));
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(v["exercise"], "reverse");
    assert_eq!(status(&v), "compile_error", "{run:?}");
    let message = v["compile_errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("case-sensitive"), "{message}");
    assert!(
        message.contains("func reverse(s string) string"),
        "{message}"
    );
}

#[test]
fn lowercase_reverse_error_points_at_its_line() {
    let name = "reverse_lowercase.go";
    let (run, v) = grade_json(&[], &fixture(name));
    assert_eq!(
        v["compile_errors"][0]["line"],
        line_of(name, "func reverse("),
        "{run:?}"
    );
}

// ------------------------------------------------------- other bugs found here

#[test]
fn json_format_prints_nothing_for_bad_input() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("missing.go");
    let run = gg(&["grade", "--format", "json", path.to_str().unwrap()]);
    assert_usage_error(&run, &["missing.go", "no such file"]);
}

#[test]
fn bad_input_on_a_cold_cache_prints_one_line() {
    let cold = TempDir::new().unwrap();
    let mut cmd = gograde_with_cache(cold.path());
    cmd.args(["grade", cold.path().join("missing.go").to_str().unwrap()]);
    let run = finish(cmd, None);
    assert_usage_error(&run, &["missing.go", "no such file"]);
}

#[test]
fn list_into_a_closed_pipe_does_not_panic() {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: pipe writes two new descriptors into fds; each is owned once below.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: fds[0] and fds[1] were just created and are not used elsewhere.
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    let out = gograde()
        .arg("list")
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("run gograde");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `watch` grades the file at once, then again after every save.
#[test]
fn watch_regrades_on_every_save() {
    warm();
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("answer.go");
    std::fs::copy(fixture("reverse_bytes.go"), &file).unwrap();
    let out_path = dir.path().join("watch.out");
    let out = std::fs::File::create(&out_path).unwrap();
    let mut child = gograde()
        .args([
            "watch",
            "reverse",
            file.to_str().unwrap(),
            "--color",
            "never",
        ])
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let wait_for = |needle: &str| {
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            let text = std::fs::read_to_string(&out_path).unwrap_or_default();
            if text.contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    let first = wait_for("FAIL  reverse");
    std::thread::sleep(Duration::from_millis(300));
    std::fs::copy(fixture("reverse_good.go"), &file).unwrap();
    let second = wait_for("PASS  reverse");
    // Deleted: said, not silent (issue 18, item 17).
    std::fs::remove_file(&file).unwrap();
    let gone = wait_for("is gone (deleted or moved)");
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&out_path).unwrap_or_default();
    assert!(first, "no first report: {text}");
    assert!(second, "no report after the save: {text}");
    assert!(gone, "nothing said when the file went: {text}");
    assert!(
        text.contains("── run 1, ") && text.contains("── run 2, "),
        "each run has a header with its time: {text}"
    );
}

/// Issue 18, item 17: the terminal says COMPILE ERROR as the page does,
/// with no 0/0 score for code that never ran.
#[test]
fn a_compile_error_reads_as_words_without_a_score() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("exercises/retry/solutions/bad/wrong_signature.go");
    let run = gg(&["grade", "--color", "never", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.starts_with("COMPILE ERROR  retry  "), "{run:?}");
    assert!(
        !run.stdout.lines().next().unwrap().contains("score"),
        "{run:?}"
    );
}

/// A panic value can hold terminal control sequences; the human report
/// shows them, escaped, and never sends one to the terminal.
#[test]
fn candidate_text_cannot_drive_the_terminal() {
    let file = fixture("panic_terminal_escapes.go");
    let run = gg(&["grade", "--exercise", "reverse", "--color", "never", &file]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("\\x1b]52;c;"),
        "the sequence is shown: {}",
        run.stdout
    );
    let controls: Vec<char> = run
        .stdout
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(
        controls.is_empty(),
        "raw controls reached the terminal: {controls:?}"
    );
}

/// Total bytes of the files under `dir`.
fn tree_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => tree_bytes(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

/// A constant-folding bomb stops at the build's memory limit, with and
/// without a memory cgroup, names the limit, and leaves no huge object in
/// the shared build cache.
#[test]
fn a_compile_bomb_stops_at_the_memory_limit() {
    warm();
    let bomb = fixture("compile_bomb.go");
    for skip in ["", "cgroups"] {
        let before = tree_bytes(&cache_dir().join("go-build"));
        let mut cmd = gograde();
        cmd.env("GOGRADE_SANDBOX_SKIP", skip).args([
            "grade",
            "--format",
            "json",
            "--memory-mib",
            "512",
            &bomb,
        ]);
        let run = finish(cmd, None);
        let v = run.json();
        assert_eq!(status(&v), "compile_error", "skip={skip}: {run:?}");
        assert!(
            v["summary"]
                .as_str()
                .unwrap()
                .contains("512 MiB memory limit"),
            "skip={skip}: {}",
            v["summary"]
        );
        let grown = tree_bytes(&cache_dir().join("go-build")).saturating_sub(before);
        assert!(
            grown < 64 << 20,
            "skip={skip}: the shared cache grew by {grown} bytes"
        );
    }
}

/// A call that spins forever fails its own test only: the goroutine left
/// spinning must not starve the tests after it (they run in a fresh
/// process).
#[test]
fn a_spinning_call_costs_no_other_test_its_result() {
    let (run, v) = grade_json(&[], &fixture("reverse_spins_on_one_input.go"));
    assert_eq!(status(&v), "fail", "{run:?}");
    for t in tests_of(&v) {
        let name = t["name"].as_str().unwrap();
        let expected = match name {
            "TestCore_OneChar" => "fail",
            // Combining marks are a follow-up a code-point reversal fails.
            "TestFollowup_CombiningMarks" => "fail",
            _ => "pass",
        };
        assert_eq!(t["status"], expected, "{name}: {}", t["message"]);
    }
}

/// The output budget is one per verdict, not one per run: after a first
/// run printed past it, the rerun (in a fresh process, after a spinning
/// call) keeps only a small floor of its own output.
#[test]
fn reruns_share_one_output_budget() {
    let (run, v) = grade_json(&[], &fixture("reverse_prints_and_spins.go"));
    assert_eq!(status(&v), "fail", "{run:?}");
    let notes = v["notes"].to_string();
    // Every test runs in a process of its own: the first to start has the
    // whole budget, the ones after it only what it left (the floor).
    assert!(
        notes.contains("more than the 64 to 1024 KiB left of the verdict's 1024 KiB"),
        "the runs should share one budget: {notes}"
    );
    for t in tests_of(&v) {
        let name = t["name"].as_str().unwrap();
        if name != "TestCore_OneChar" && name != "TestFollowup_CombiningMarks" {
            assert_eq!(t["status"], "pass", "{name}: {}", t["message"]);
        }
    }
    assert!(
        run.stdout.len() < 256 << 10,
        "the verdict is {} bytes",
        run.stdout.len()
    );
}

/// A correct solution that prints megabytes passes, and its verdict keeps
/// only the head and tail of what each test printed.
#[test]
fn a_correct_solution_that_logs_a_lot_passes_with_a_small_verdict() {
    let (run, v) = grade_json(&[], &fixture("reverse_prints_a_lot.go"));
    assert_eq!(status(&v), "pass", "{}", v["summary"]);
    assert!(
        run.stdout.len() < 256 << 10,
        "the verdict is {} bytes",
        run.stdout.len()
    );
}

// ------------------------------------------- a newcomer's mistakes (issue 18)

/// Item 15: `--exercise counter` on a file that answers `reverse` is the
/// operator's mistake: exit 2 naming the exercise it looks like, not a
/// COMPILE_ERROR 0/0 charged to the candidate (exit 1).
#[test]
fn a_file_answering_another_exercise_is_a_usage_error_naming_it() {
    let run = gg(&[
        "grade",
        "--exercise",
        "counter",
        &fixture("reverse_good.go"),
    ]);
    assert_usage_error(
        &run,
        &[
            "reverse_good.go",
            "declares none of Counter",
            "looks like `reverse`",
            "--exercise reverse",
        ],
    );
    // A file that declares the exercise's symbol, however wrongly, is the
    // candidate's to answer for: graded as asked.
    let dir = TempDir::new().unwrap();
    let wrong = dir.path().join("counter.go");
    std::fs::write(
        &wrong,
        "package main\n\nfunc Reverse(s string) string { return s }\n\ntype Counter int\n",
    )
    .unwrap();
    let run = gg(&["grade", "--exercise", "counter", wrong.to_str().unwrap()]);
    assert_eq!(run.code, 1, "graded, and not a pass: {run:?}");
    // Told otherwise, it grades the file as the exercise named.
    let run = gg(&[
        "grade",
        "--format",
        "json",
        "--exercise",
        "counter",
        "--force-exercise",
        &fixture("reverse_good.go"),
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let v = run.json();
    assert_eq!(v["exercise"], "counter", "{run:?}");
    assert_eq!(status(&v), "compile_error", "{run:?}");
}

/// Item 16: each small mistake gets a way forward.
#[test]
fn small_mistakes_get_a_way_forward() {
    let dir = TempDir::new().unwrap();
    let answer = dir.path().join("answer.go");
    std::fs::copy(fixture("reverse_good.go"), &answer).unwrap();
    let answer = answer.to_str().unwrap();

    // A directory: grade takes files, batch takes folders.
    let run = gg(&["grade", dir.path().to_str().unwrap()]);
    assert_usage_error(&run, &["is a directory", "gograde batch"]);
    // The command left out.
    let run = gg(&[answer]);
    assert_usage_error(
        &run,
        &["is not a command", &format!("gograde grade {answer}")],
    );
    // Names in another case.
    let run = gg(&["grade", "--format", "JSON", answer]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["status"], "pass");
    let run = gg(&["show", "Reverse"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("func Reverse"), "{run:?}");
    // No jobs at all would wait forever.
    let run = gg(&["grade", "--jobs", "0", answer]);
    assert_usage_error(&run, &["--jobs must be at least 1"]);
    // Not Go: no advice about --exercise.
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let run = gg(&["grade", readme.to_str().unwrap()]);
    assert_usage_error(&run, &["README.md", "does not look like Go code"]);
    assert!(!run.stderr.contains("--exercise"), "{run:?}");
    // watch with the file but no exercise detects it; with the exercise
    // but no file, says the file is missing.
    let run = gg(&["watch", "reverse"]);
    assert_usage_error(
        &run,
        &["watch needs the file", "gograde watch reverse FILE"],
    );
    let mut child = gograde()
        .args(["watch", answer, "--color", "never"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
            text.push_str(&line);
            text.push('\n');
            if line.starts_with("watching ") {
                break;
            }
        }
        let _ = tx.send(text);
    });
    let text = rx.recv_timeout(Duration::from_secs(300));
    let _ = child.kill();
    let _ = child.wait();
    let text = text.expect("watch graded the file");
    assert!(text.contains("PASS") && text.contains("reverse"), "{text}");
}

// ---------------------------------------------------------------------- races

/// Races are grouped once, in the verdict: one entry per pair of candidate
/// lines, naming every test its reports came from (the first is `test`)
/// and how many reports it folds, so every report and the page show the
/// same groups. Graded for real on a solution that always races.
#[test]
fn each_race_of_the_verdict_is_one_group_with_the_tests_it_was_seen_in() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("exercises/counter/solutions/bad/no_sync.go")
        .display()
        .to_string();
    let (run, v) = grade_json(&["--exercise", "counter"], &file);
    let races = v["races"].as_array().expect("races");
    assert!(!races.is_empty(), "no_sync always races: {run:?}");
    let test_names: Vec<&Value> = tests_of(&v).iter().map(|t| &t["name"]).collect();
    let mut keys = Vec::new();
    for race in races {
        let tests = race["tests"].as_array().expect("tests of a race");
        assert!(!tests.is_empty(), "{race:#}");
        assert_eq!(race["test"], tests[0], "{race:#}");
        assert!(tests.iter().all(|t| test_names.contains(&t)), "{race:#}");
        assert!(
            race["count"].as_u64().unwrap() >= tests.len() as u64,
            "{race:#}"
        );
        let mut key: Vec<u64> = race["accesses"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| {
                let frames = a["frames"].as_array()?;
                let own = frames.iter().find(|f| f["candidate"] == true)?;
                own["line"].as_u64()
            })
            .collect();
        key.sort_unstable();
        assert!(!keys.contains(&key), "lines {key:?} grouped twice: {v:#}");
        keys.push(key);
    }
}

/// Issue 18, item 8: a failure with a line in the candidate's code carries
/// it (`tests[].frame`, with the source line) and the terminal shows it
/// under the message instead of the kit's stack: where a panic was raised
/// (recovered by the kit on another goroutine than the test's), where a
/// deadlocked goroutine is blocked, where a call given up on is stuck,
/// where a goroutine that crashed the binary panicked.
#[test]
fn a_failure_points_at_the_candidates_line() {
    let panics = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("exercises/json/solutions/bad/panics_on_invalid.go")
        .display()
        .to_string();
    let (run, v) = grade_json(&[], &panics);
    let frame = &test_named(&v, "TestCore_InvalidJSON")["frame"];
    assert_eq!(frame["line"], 10, "{run:?}");
    assert_eq!(frame["function"], "AddRole", "{run:?}");
    assert_eq!(frame["source"], "panic(err)", "{run:?}");
    assert!(
        test_named(&v, "TestRobust_NonObjectInput")["frame"].is_null(),
        "a wrong answer has no line to point at: {run:?}"
    );
    let human = gg(&["grade", "--color", "never", &panics]);
    let lines: Vec<&str> = human.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == "at panics_on_invalid.go:10 in AddRole")
        .unwrap_or_else(|| panic!("no frame line: {human:?}"));
    assert_eq!(
        lines[at - 1].trim(),
        "panicked: unexpected end of JSON input"
    );
    assert_eq!(lines[at + 1].trim(), "panic(err)", "{human:?}");
    assert!(!human.stdout.contains("kit.go"), "no kit frames: {human:?}");

    // Retry that waits on a channel nobody sends on: synctest's deadlock.
    let blocked = "package main\n\nfunc Retry(operation func() error, attempts int) error {\n\
        \tvar never chan error\n\treturn <-never\n}\n";
    let run = gg_in(
        None,
        &["grade", "--format", "json", "--exercise", "retry", "-"],
        Some(blocked.as_bytes()),
    );
    let v = run.json();
    let first = test_named(&v, "TestCore_SuccessFirstTry");
    assert!(
        first["message"].as_str().unwrap().starts_with("deadlock"),
        "{run:?}"
    );
    assert_eq!(first["frame"]["line"], 5, "{run:?}");
    assert_eq!(first["frame"]["source"], "return <-never", "{run:?}");

    // A lock never released: the call is given up on after 5 s of real
    // time, and the goroutine stuck in the candidate's code is found.
    let hang = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("exercises/counter/solutions/bad/dec_no_unlock.go")
        .display()
        .to_string();
    let (run, v) = grade_json(&[], &hang);
    let stuck = test_named(&v, "TestCore_Sequential");
    assert!(
        stuck["message"]
            .as_str()
            .unwrap()
            .starts_with("did not return within"),
        "{run:?}"
    );
    assert_eq!(stuck["frame"]["source"], "c.mu.Lock()", "{run:?}");

    // A worker stuck on a channel nobody sends on: the workerpool harness
    // gives up after an hour of virtual time and shows where it waits.
    let stuck_worker = "package main\n\nimport \"sync\"\n\n\
        func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {\n\
        \tdefer wg.Done()\n\tfor j := range jobs {\n\t\tvar gate chan int\n\t\t<-gate\n\
        \t\tresults <- j * 2\n\t}\n}\n";
    let run = gg_in(
        None,
        &["grade", "--format", "json", "--exercise", "workerpool", "-"],
        Some(stuck_worker.as_bytes()),
    );
    let v = run.json();
    let frame = &test_named(&v, "TestCore_SingleWorkerInOrder")["frame"];
    assert_eq!(frame["line"], 9, "{run:?}");
    assert_eq!(frame["source"], "<-gate", "{run:?}");

    let crash = "counter_goroutine_panic.go";
    let (run, v) = grade_json(&[], &fixture(crash));
    let crashed = test_named(&v, "TestCore_Sequential");
    assert_eq!(crashed["status"], "error", "{run:?}");
    assert_eq!(
        crashed["frame"]["line"],
        line_of(crash, "panic(\"boom"),
        "{run:?}"
    );
}

/// `1 min 5 s`, `40 s`, `2 min` in seconds.
fn seconds(words: &str) -> u64 {
    let parts: Vec<&str> = words.split(' ').collect();
    parts
        .chunks(2)
        .map(|p| {
            let n: u64 = p[0]
                .parse()
                .unwrap_or_else(|_| panic!("a duration: {words:?}"));
            if p.get(1) == Some(&"min") { n * 60 } else { n }
        })
        .sum()
}

/// A pseudo-terminal: gograde's stderr on its slave side, what it wrote
/// read back from the master side.
struct Pty {
    master: std::fs::File,
    slave: std::fs::File,
}

impl Pty {
    fn open() -> Pty {
        use std::os::fd::FromRawFd;
        let (mut master, mut slave) = (0, 0);
        // A common terminal's width (gograde cuts its line to it).
        let size = libc::winsize {
            ws_row: 40,
            ws_col: 120,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two descriptors it opened into our
        // integers and reads the size; the null name and termios are
        // optional.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors are fresh and owned by nothing else.
        unsafe {
            Pty {
                master: std::fs::File::from_raw_fd(master),
                slave: std::fs::File::from_raw_fd(slave),
            }
        }
    }
}

/// Everything readable from a pty's master until the slave side is closed
/// everywhere (Linux then answers EIO, not end of file).
fn read_all(mut master: std::fs::File) -> String {
    use std::io::Read;
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Issue 18, item 14: a cold first grade is not silent. With an empty
/// cache and stderr on a terminal, gograde says what it prepares before
/// anything slow starts, redraws one progress line (bar, time so far, an
/// estimate of the time left once there is enough to go on, what is being
/// built) and ends with how long it took; then the verdict as always. Not on
/// a terminal, the announcement and the end are all. The one real cold
/// build of the suites: a minute or two.
#[test]
fn a_cold_first_grade_shows_what_it_prepares_and_how_far_along() {
    let cache = TempDir::new().unwrap();
    let pty = Pty::open();
    let mut cmd = gograde_with_cache(cache.path());
    cmd.args(["grade", "--format", "json", &fixture("reverse_good.go")])
        .stdout(Stdio::piped())
        .stderr(Stdio::from(pty.slave));
    let started = Instant::now();
    let mut child = cmd.spawn().expect("spawn gograde");
    drop(cmd); // our copy of the slave side: EOF comes when gograde's closes
    let reader = std::thread::spawn(move || read_all(pty.master));
    let mut stdout = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    let exit = child.wait().unwrap();
    let took = started.elapsed();
    let tty = reader.join().unwrap();
    assert!(exit.success(), "{exit:?}\n{tty}\n{stdout}");
    let v: Value = serde_json::from_str(&stdout).expect("a verdict");
    assert_eq!(status(&v), "pass", "{tty}");

    let frames: Vec<&str> = tty
        .split(['\r', '\n'])
        .map(|f| f.trim_start_matches("\x1b[K"))
        .filter(|f| !f.is_empty())
        .collect();
    assert!(
        frames[0].starts_with("gograde: first run: preparing Go's build cache once"),
        "announced first: {frames:#?}"
    );
    let progress: Vec<&str> = frames
        .iter()
        .copied()
        .filter(|f| f.starts_with("  ["))
        .collect();
    assert!(progress.len() >= 3, "{frames:#?}");
    let percent = |f: &str| -> u32 { f[20..23].trim().trim_end_matches('%').parse().unwrap() };
    let shown: Vec<u32> = progress.iter().map(|f| percent(f)).collect();
    assert!(
        shown.windows(2).all(|w| w[0] <= w[1]),
        "never backwards: {shown:?}"
    );
    assert!(
        *shown.last().unwrap() >= 80,
        "near the end at the end: {shown:?}"
    );
    assert!(
        progress.iter().any(|f| f.contains("reverse harness")),
        "{progress:#?}"
    );
    let last = frames.last().unwrap();
    assert!(last.starts_with("gograde: prepared in "), "{frames:#?}");
    // The estimate at half way, against what was really left (loose: the
    // machine is shared, and the rate changes as the build goes on).
    let at = progress.iter().position(|f| percent(f) >= 50).unwrap();
    let (elapsed, rest) = progress[at][26..].split_once(", ").unwrap();
    if let Some(left) = rest.strip_prefix("about ") {
        let estimate = seconds(left.split(" left").next().unwrap());
        let actual = took.as_secs().saturating_sub(seconds(elapsed));
        eprintln!("half way: {estimate} s left estimated, {actual} s really (grade included)");
        assert!(
            estimate <= 3 * actual + 15 && actual <= 3 * estimate + 15,
            "estimate {estimate} s, actual {actual} s: {}",
            progress[at]
        );
    }

    // Not a terminal: the same preparation (its build steps are cached
    // now, so it is quick) says only what it does and how long it took.
    std::fs::remove_file(cache.path().join("warm")).unwrap();
    let mut cmd = gograde_with_cache(cache.path());
    cmd.args(["grade", "--format", "json", &fixture("reverse_good.go")]);
    let run = finish(cmd, None);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert!(
        lines[0].starts_with("gograde: first run: preparing"),
        "{run:?}"
    );
    assert!(lines[1].starts_with("gograde: prepared in "), "{run:?}");
    assert!(
        !run.stderr.contains('\r'),
        "no redraws off a terminal: {run:?}"
    );
}
