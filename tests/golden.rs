//! The grader's own test: every solution shipped under `exercises/` is
//! graded by the real binary with the real Go toolchain. Each must meet the
//! expectation on its first line (`// gograde-expect: status=... fail=...
//! pass=...`), and its sanitised verdict must equal the golden file in
//! `tests/golden/<exercise>/<good|bad>/<name>.json`. Set `GOGRADE_BLESS=1`
//! to rewrite the golden files after a deliberate change.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a solution file says it must get.
#[derive(Debug, Default)]
struct Expectation {
    status: String,
    must_fail: Vec<String>,
    must_pass: Vec<String>,
    /// Whether a race shows up at all depends on scheduling: compare
    /// statuses, not messages or race presence.
    volatile: bool,
}

fn expectation(path: &Path) -> Expectation {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("// gograde-expect:"))
        .unwrap_or_else(|| panic!("{}: no `// gograde-expect:` line", path.display()));
    let mut exp = Expectation::default();
    for field in line.split_whitespace() {
        let (key, value) = field.split_once('=').unwrap_or((field, ""));
        let list = || {
            value
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        match key {
            "status" => exp.status = value.to_owned(),
            "fail" => exp.must_fail = list(),
            "pass" => exp.must_pass = list(),
            "volatile" => exp.volatile = true,
            other => panic!("{}: unknown expectation key {other}", path.display()),
        }
    }
    assert!(
        !exp.status.is_empty(),
        "{}: expectation without status",
        path.display()
    );
    exp
}

/// Reduces a verdict to what must not change between runs: no timings,
/// paths, goroutine ids or addresses; only the first line of messages.
fn sanitise(v: &Value, volatile: bool) -> Value {
    let clean = |s: &str| -> String {
        let first = s.lines().next().unwrap_or("");
        let re_goroutine = regex::Regex::new(r"goroutine \d+").unwrap();
        let re_hex = regex::Regex::new(r"0x[0-9a-fA-F]+").unwrap();
        let re_path = regex::Regex::new(r"(/[^\s:/]+)+/([^\s:/]+\.go)").unwrap();
        // Which race, goroutine or worker shows up first, and how often,
        // depends on scheduling: keep the kind of failure, not its numbers.
        let first = match first.strip_prefix("data race") {
            Some(rest) => rest
                .split_once("; ")
                .map_or("data race", |(_, after)| after),
            None => first,
        };
        let re_digits = regex::Regex::new(r"\d+").unwrap();
        let re_more = regex::Regex::new(r" \(and N more\)").unwrap();
        let s = re_goroutine.replace_all(first, "goroutine N");
        let s = re_hex.replace_all(&s, "0xN");
        let s = re_path.replace_all(&s, "$2");
        let s = re_digits.replace_all(&s, "N");
        let s = re_more.replace_all(&s, "");
        s.replace("data races detected", "data race detected")
    };
    // In a racy solution, which symptom a failing test reports first (the
    // race, a wrong total, a hang on a copied lock) depends on scheduling;
    // the statuses stay fixed and are what the golden file keeps.
    let raced = volatile || !v["races"].as_array().unwrap().is_empty();
    let tests: Vec<Value> = v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let message = if raced && t["status"] != "pass" && t["status"] != "skip" {
                "(racy: the first symptom depends on scheduling)".to_owned()
            } else {
                clean(t["message"].as_str().unwrap_or(""))
            };
            json!({
                "name": t["name"],
                "category": t["category"],
                "status": t["status"],
                "earned": t["earned"],
                "message": message,
            })
        })
        .collect();
    let compile_errors: Vec<Value> = v["compile_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!({"line": e["line"], "column": e["column"], "message": clean(e["message"].as_str().unwrap_or(""))}))
        .collect();
    let mut summary = clean(v["summary"].as_str().unwrap_or(""));
    if volatile {
        summary = summary.replace("; N data race detected", "");
    }
    // The grader's own notes on such a run (how often the binary was
    // restarted, race reports without the candidate's frame) follow the
    // schedule too.
    let notes: Vec<Value> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| !(raced && n["kind"] == "grader"))
        .cloned()
        .collect();
    json!({
        "status": v["status"],
        "summary": summary,
        "score": v["score"],
        "followups": v["followups"],
        "raced": !volatile && !v["races"].as_array().unwrap().is_empty(),
        "tests": tests,
        "compile_errors": compile_errors,
        "notes": notes,
        // Which failure shows first decides which hints are asked, and on
        // a volatile verdict that follows the schedule.
        "hints": if volatile { Value::Null } else { v["hints"].clone() },
    })
}

fn solutions(exercise: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for kind in ["good", "bad"] {
        let dir = root()
            .join("exercises")
            .join(exercise)
            .join("solutions")
            .join(kind);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "go"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

fn golden_path(solution: &Path, exercise: &str) -> PathBuf {
    let kind = solution.parent().unwrap().file_name().unwrap();
    let name = solution.file_stem().unwrap().to_string_lossy().into_owned() + ".json";
    root()
        .join("tests/golden")
        .join(exercise)
        .join(kind)
        .join(name)
}

fn check_exercise(exercise: &str) {
    let files = solutions(exercise);
    assert!(
        files.iter().any(|f| f.ends_with("good/reference.go")),
        "{exercise}: no reference solution"
    );
    let good = files
        .iter()
        .filter(|f| f.parent().unwrap().ends_with("good"))
        .count();
    let bad = files.len() - good;
    assert!(good >= 4, "{exercise}: {good} good solutions, want >= 4");
    assert!(bad >= 6, "{exercise}: {bad} bad solutions, want >= 6");

    let relative: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    let out = common::gograde()
        .current_dir(root())
        .args([
            "grade",
            "--format",
            "json",
            "--jobs",
            "2",
            "--exercise",
            exercise,
        ])
        .args(&relative)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let verdicts: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{exercise}: bad JSON ({e}); stderr: {stderr}"));
    assert_eq!(verdicts.len(), files.len(), "stderr: {stderr}");
    assert_ne!(out.status.code(), Some(2), "grader error; stderr: {stderr}");

    let bless = std::env::var_os("GOGRADE_BLESS").is_some();
    let mut problems = Vec::new();
    for (file, verdict) in files.iter().zip(&verdicts) {
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        let exp = expectation(file);
        let status = verdict["status"].as_str().unwrap();
        let test_status = |t: &str| {
            verdict["tests"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == t)
                .map(|x| x["status"].as_str().unwrap().to_owned())
        };
        if status != exp.status {
            problems.push(format!(
                "{name}: expected status {}, got {status}: {}",
                exp.status, verdict["summary"]
            ));
        }
        if file.parent().unwrap().ends_with("good") && status != "pass" {
            problems.push(format!("{name}: a good solution must pass"));
        }
        for t in &exp.must_fail {
            match test_status(t).as_deref() {
                Some("fail" | "error" | "timeout") => {}
                other => problems.push(format!("{name}: {t} must fail, got {other:?}")),
            }
        }
        for t in &exp.must_pass {
            if test_status(t).as_deref() != Some("pass") {
                problems.push(format!("{name}: {t} must pass, got {:?}", test_status(t)));
            }
        }
        // "Ask next" is read out on a call: every entry is a question,
        // whichever part of the harness or the exercise it came from.
        for hint in verdict["hints"].as_array().unwrap() {
            let hint = hint.as_str().unwrap();
            if !hint.trim_end().ends_with('?') {
                problems.push(format!("{name}: a hint that is not a question: {hint}"));
            }
        }
        let golden = golden_path(file, exercise);
        let got = sanitise(verdict, exp.volatile);
        if bless {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(text) => {
                let want: Value = serde_json::from_str(&text).unwrap();
                if want != got {
                    let diff = similar::TextDiff::from_lines(
                        &serde_json::to_string_pretty(&want).unwrap(),
                        &serde_json::to_string_pretty(&got).unwrap(),
                    )
                    .unified_diff()
                    .header("golden", "got")
                    .to_string();
                    problems.push(format!(
                        "{name}: verdict differs from {}:\n{diff}",
                        golden.display()
                    ));
                }
            }
            Err(_) => problems.push(format!(
                "{name}: no golden file {} (run with GOGRADE_BLESS=1)",
                golden.display()
            )),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn reverse_solutions_grade_as_expected() {
    check_exercise("reverse");
}

#[test]
fn counter_solutions_grade_as_expected() {
    check_exercise("counter");
}

#[test]
fn workerpool_solutions_grade_as_expected() {
    check_exercise("workerpool");
}

#[test]
fn retry_solutions_grade_as_expected() {
    check_exercise("retry");
}

#[test]
fn json_solutions_grade_as_expected() {
    check_exercise("json");
}
