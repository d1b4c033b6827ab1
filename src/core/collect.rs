//! Folds a run's test events (`gotest`) into one record per top-level harness test, and
//! reads the harness's structured failure lines out of a test's output.
//! Pure. A test with no terminal event has no outcome: callers treat it as
//! crashed or timed out, never as passed.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::core::gotest::{Action, Event};

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
    /// The package's final PASS/FAIL, absent when the binary died first.
    pub package_result: Option<Outcome>,
    /// The top-level test that started last.
    pub last_started: Option<String>,
    /// Why the stream cannot be trusted (framing no real run produces).
    pub tampered: Option<String>,
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

/// Folds a run's events. Only results a real run can produce count: a
/// terminal event for a test that never started is ignored (its output goes
/// to the test that is running), a test starting while another top-level
/// test is still running marks the stream as tampered (the harness runs no
/// parallel tests), and conflicting terminal events resolve to the worst.
pub fn collect(events: &[Event]) -> RunRecord {
    let mut run = RunRecord::default();
    let mut current: Option<String> = None;
    for event in events {
        if let Some(out) = &event.output
            && out.contains(GO_TIMEOUT_PANIC)
        {
            run.go_timeout = true;
        }
        let Some(full_name) = &event.test else {
            match event.action {
                Action::Pass => run.package_result = Some(Outcome::Pass),
                Action::Fail => run.package_result = Some(Outcome::Fail),
                Action::Skip => run.package_result = Some(Outcome::Skip),
                _ => {}
            }
            if let Some(out) = &event.output {
                run.package_output.push_str(out);
            }
            continue;
        };
        let top = full_name.split('/').next().unwrap_or(full_name).to_owned();
        let is_top = top == *full_name;
        let started = run.tests.get(&top).is_some_and(|r| r.started);
        match event.action {
            Action::Run if is_top => {
                if let Some(running) = &current
                    && running != &top
                {
                    run.tampered.get_or_insert_with(|| {
                        format!("{top} started while {running} was still running")
                    });
                }
                current = Some(top.clone());
                run.last_started = Some(top.clone());
                run.tests.entry(top).or_default().started = true;
            }
            Action::Output => {
                let Some(out) = &event.output else { continue };
                let owner = if started { Some(top) } else { current.clone() };
                match owner {
                    Some(name) => run.tests.entry(name).or_default().output.push_str(out),
                    None => run.package_output.push_str(out),
                }
            }
            Action::Pass | Action::Fail | Action::Skip if is_top && started => {
                let outcome = match event.action {
                    Action::Fail => Outcome::Fail,
                    Action::Skip => Outcome::Skip,
                    _ => Outcome::Pass,
                };
                let record = run.tests.entry(top.clone()).or_default();
                record.outcome = Some(worst(record.outcome, outcome));
                record.elapsed_s = event.elapsed.unwrap_or(record.elapsed_s);
                if current.as_ref() == Some(&top) {
                    current = None;
                }
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

impl Failure {
    /// The failure with every text passed through `read`.
    pub fn map_text(self, read: impl Fn(&str) -> String) -> Failure {
        let read_opt = |t: Option<String>| t.map(|t| read(&t));
        Failure {
            message: read(&self.message),
            kind: self.kind,
            expected: read_opt(self.expected),
            actual: read_opt(self.actual),
            hint: read_opt(self.hint),
        }
    }
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

    fn ev(action: Action, test: &str, output: &str) -> Event {
        Event {
            action,
            test: Some(test.to_owned()),
            elapsed: Some(0.5),
            output: Some(output.to_owned()),
        }
    }

    #[test]
    fn pass_fail_and_subtests_fold_into_top_level() {
        let stream = [
            ev(Action::Run, "TestA", ""),
            ev(Action::Output, "TestA", "hi\n"),
            ev(Action::Pass, "TestA", ""),
            ev(Action::Run, "TestB", ""),
            ev(Action::Run, "TestB/sub", ""),
            ev(
                Action::Output,
                "TestB/sub",
                "    b_test.go:3: GOGRADE-FAIL {\"message\":\"wrong\",\"kind\":\"string\",\"expected\":\"a\",\"actual\":\"b\"}\n",
            ),
            ev(Action::Fail, "TestB/sub", ""),
            ev(Action::Fail, "TestB", ""),
        ];
        let run = collect(&stream);
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
        let stream = [
            ev(Action::Run, "TestA", ""),
            ev(Action::Fail, "TestA", ""),
            ev(Action::Pass, "TestA", ""),
        ];
        let run = collect(&stream);
        assert_eq!(run.tests["TestA"].outcome, Some(Outcome::Fail));
    }

    #[test]
    fn started_without_end_is_interrupted() {
        let stream = [
            ev(Action::Run, "TestA", ""),
            ev(Action::Output, "TestA", "panic: boom\n"),
            ev(Action::Output, "TestA", "goroutine 7 [running]:\n"),
        ];
        let run = collect(&stream);
        assert_eq!(run.interrupted().collect::<Vec<_>>(), ["TestA"]);
        assert_eq!(
            panic_excerpt(&run.tests["TestA"].output).unwrap(),
            "panic: boom\ngoroutine 7 [running]:"
        );
    }

    #[test]
    fn terminal_event_for_a_test_that_never_started_is_ignored() {
        let stream = [
            ev(Action::Run, "TestA", ""),
            ev(Action::Pass, "TestB", ""),
            ev(
                Action::Output,
                "TestB",
                "GOGRADE-FAIL {\"message\":\"a failed\"}\n",
            ),
        ];
        let run = collect(&stream);
        assert!(
            run.tests
                .get("TestB")
                .is_none_or(|t| !t.started && t.outcome.is_none())
        );
        assert_eq!(failures(&run.tests["TestA"].output)[0].message, "a failed");
        assert_eq!(run.interrupted().collect::<Vec<_>>(), ["TestA"]);
    }

    #[test]
    fn overlapping_top_level_tests_mean_tampering() {
        let stream = [
            ev(Action::Run, "TestA", ""),
            ev(Action::Run, "TestB", ""),
            ev(Action::Pass, "TestB", ""),
        ];
        let run = collect(&stream);
        assert_eq!(
            run.tampered.as_deref(),
            Some("TestB started while TestA was still running")
        );
        assert_eq!(run.last_started.as_deref(), Some("TestB"));
    }

    #[test]
    fn package_result_is_read() {
        let stream = [
            ev(Action::Run, "TestA", ""),
            ev(Action::Pass, "TestA", ""),
            Event {
                test: None,
                ..ev(Action::Pass, "", "")
            },
        ];
        let run = collect(&stream);
        assert_eq!(run.package_result, Some(Outcome::Pass));
        assert!(run.tampered.is_none());
    }

    #[test]
    fn go_timeout_is_noticed() {
        let stream = [
            ev(Action::Run, "TestA", ""),
            ev(Action::Output, "TestA", "panic: test timed out after 5s\n"),
        ];
        assert!(collect(&stream).go_timeout);
    }

    #[test]
    fn readable_output_hides_framing_and_json() {
        let out = "=== RUN   TestB\n    b_test.go:3: GOGRADE-FAIL {\"message\":\"wrong value\"}\n--- FAIL: TestB (0.00s)\n";
        assert_eq!(readable_output(out), "    b_test.go:3: wrong value");
    }
}
