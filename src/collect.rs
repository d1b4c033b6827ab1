//! Folds test2json events into one record per top-level harness test, and
//! reads the harness's structured failure lines out of a test's output.
//! Pure. A test with no terminal event has no outcome: callers treat it as
//! crashed or timed out, never as passed.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::gotest::{Action, Event};

/// Marker the harness prints before a JSON failure record.
pub const FAILURE_MARKER: &str = "GOGRADE-FAIL ";
/// What Go prints when `-test.timeout` expires.
const GO_TIMEOUT_PANIC: &str = "panic: test timed out after";

/// The terminal event a test received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    Skip,
}

/// Everything seen about one top-level test in one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestRecord {
    pub started: bool,
    pub outcome: Option<Outcome>,
    pub elapsed_s: f64,
    /// Output of the test and its subtests, in order.
    pub output: String,
}

/// Everything seen in one run of the test binary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunRecord {
    pub tests: BTreeMap<String, TestRecord>,
    /// Output not attributed to any test (init, TestMain, crashes).
    pub package_output: String,
    /// Go's own `-test.timeout` fired.
    pub go_timeout: bool,
}

impl RunRecord {
    /// Tests that started but never finished: the ones a crash or a
    /// timeout interrupted.
    pub fn interrupted(&self) -> impl Iterator<Item = &str> {
        self.tests
            .iter()
            .filter(|(_, r)| r.started && r.outcome.is_none())
            .map(|(n, _)| n.as_str())
    }
}

/// Folds a run's events. Conflicting terminal events (say, a fake PASS
/// printed by the candidate beside the real FAIL) resolve to the worst.
pub fn collect(events: &[Event]) -> RunRecord {
    let mut run = RunRecord::default();
    for event in events {
        let Some(full_name) = &event.test else {
            if let Some(out) = &event.output {
                run.package_output.push_str(out);
                if out.contains(GO_TIMEOUT_PANIC) {
                    run.go_timeout = true;
                }
            }
            continue;
        };
        let top = full_name.split('/').next().unwrap_or(full_name).to_owned();
        let is_top = top == *full_name;
        let record = run.tests.entry(top).or_default();
        match event.action {
            Action::Run if is_top => record.started = true,
            Action::Output => {
                if let Some(out) = &event.output {
                    record.output.push_str(out);
                    if out.contains(GO_TIMEOUT_PANIC) {
                        run.go_timeout = true;
                    }
                }
            }
            Action::Pass | Action::Fail | Action::Skip if is_top => {
                let outcome = match event.action {
                    Action::Fail => Outcome::Fail,
                    Action::Skip => Outcome::Skip,
                    _ => Outcome::Pass,
                };
                record.outcome = Some(worst(record.outcome, outcome));
                record.elapsed_s = event.elapsed.unwrap_or(record.elapsed_s);
            }
            _ => {}
        }
    }
    run
}

fn worst(old: Option<Outcome>, new: Outcome) -> Outcome {
    let rank = |o: Outcome| match o {
        Outcome::Pass => 0,
        Outcome::Skip => 1,
        Outcome::Fail => 2,
    };
    match old {
        Some(old) if rank(old) > rank(new) => old,
        _ => new,
    }
}

/// A failure the harness reported in structured form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Failure {
    pub message: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub expected: Option<String>,
    #[serde(default)]
    pub actual: Option<String>,
    #[serde(default)]
    pub hint: Option<String>,
}

/// Structured failures in a test's output, in order.
pub fn failures(output: &str) -> Vec<Failure> {
    output
        .lines()
        .filter_map(|line| {
            let (_, json) = line.split_once(FAILURE_MARKER)?;
            serde_json::from_str(json.trim()).ok()
        })
        .collect()
}

/// The first `panic:` line and the lines after it, for a crash message.
pub fn panic_excerpt(output: &str) -> Option<String> {
    let start = output.find("panic: ")?;
    let excerpt: Vec<&str> = output[start..].lines().take(12).collect();
    Some(excerpt.join("\n"))
}

/// The output a person should see: without the framing noise and with the
/// structured records reduced to their message.
pub fn readable_output(output: &str) -> String {
    output
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("=== RUN")
                || t.starts_with("=== PAUSE")
                || t.starts_with("=== CONT")
                || t.starts_with("=== NAME")
                || t.starts_with("--- PASS")
                || t.starts_with("--- FAIL")
                || t.starts_with("--- SKIP"))
        })
        .map(|l| match l.split_once(FAILURE_MARKER) {
            Some((prefix, json)) => match serde_json::from_str::<Failure>(json.trim()) {
                Ok(f) => format!("{prefix}{}", f.message.lines().next().unwrap_or("")),
                Err(_) => l.to_owned(),
            },
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gotest::parse_stream;

    fn ev(action: &str, test: &str, output: &str) -> String {
        serde_json::json!({"Action": action, "Test": test, "Output": output, "Elapsed": 0.5})
            .to_string()
    }

    #[test]
    fn pass_fail_and_subtests_fold_into_top_level() {
        let stream = [
            ev("run", "TestA", ""),
            ev("output", "TestA", "hi\n"),
            ev("pass", "TestA", ""),
            ev("run", "TestB", ""),
            ev("run", "TestB/sub", ""),
            ev("output", "TestB/sub", "    b_test.go:3: GOGRADE-FAIL {\"message\":\"wrong\",\"kind\":\"string\",\"expected\":\"a\",\"actual\":\"b\"}\n"),
            ev("fail", "TestB/sub", ""),
            ev("fail", "TestB", ""),
        ]
        .join("\n");
        let run = collect(&parse_stream(&stream));
        assert_eq!(run.tests["TestA"].outcome, Some(Outcome::Pass));
        assert_eq!(run.tests["TestB"].outcome, Some(Outcome::Fail));
        let f = failures(&run.tests["TestB"].output);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].message, "wrong");
        assert_eq!(f[0].expected.as_deref(), Some("a"));
        assert_eq!(run.interrupted().count(), 0);
    }

    #[test]
    fn fake_pass_after_real_fail_stays_failed() {
        let stream = [ev("run", "TestA", ""), ev("fail", "TestA", ""), ev("pass", "TestA", "")].join("\n");
        let run = collect(&parse_stream(&stream));
        assert_eq!(run.tests["TestA"].outcome, Some(Outcome::Fail));
    }

    #[test]
    fn started_without_end_is_interrupted() {
        let stream = [
            ev("run", "TestA", ""),
            ev("output", "TestA", "panic: boom\n"),
            ev("output", "TestA", "goroutine 7 [running]:\n"),
        ]
        .join("\n");
        let run = collect(&parse_stream(&stream));
        assert_eq!(run.interrupted().collect::<Vec<_>>(), ["TestA"]);
        assert_eq!(
            panic_excerpt(&run.tests["TestA"].output).unwrap(),
            "panic: boom\ngoroutine 7 [running]:"
        );
    }

    #[test]
    fn go_timeout_is_noticed() {
        let stream = [
            ev("run", "TestA", ""),
            ev("output", "TestA", "panic: test timed out after 5s\n"),
        ]
        .join("\n");
        assert!(collect(&parse_stream(&stream)).go_timeout);
    }

    #[test]
    fn readable_output_hides_framing_and_json() {
        let out = "=== RUN   TestB\n    b_test.go:3: GOGRADE-FAIL {\"message\":\"wrong value\"}\n--- FAIL: TestB (0.00s)\n";
        assert_eq!(readable_output(out), "    b_test.go:3: wrong value");
    }
}
