//! GitHub Actions reporter: workflow commands (`::error file=...,line=...::
//! message`) that GitHub shows as annotations at the candidate's file and
//! line: compile errors, data races (the candidate's own frame), failing
//! tests (at the candidate's line their output points to, else the file),
//! and why a submission was not run.
//!
//! Escaping follows GitHub's toolkit (`@actions/core`, `command.ts`): in
//! the message `%`, CR and LF are percent-encoded; in a property value
//! also `:` and `,`, which would otherwise end the value.
//!
//! Candidate text (panic values, expected and actual, the file name) is
//! inert here: GitHub shows an annotation's title and message as plain
//! text, never Markdown, and with line breaks encoded no candidate text can
//! begin a line of the log, where the runner looks for workflow commands
//! (a forged `::error`, `::add-mask::` or `::stop-commands::`).

use std::fmt::Write;
use std::path::Path;

use regex::Regex;

use crate::verdict::{Category, Status, TestStatus, Verdict};

/// Severity of an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Error,
    Warning,
}

impl Level {
    fn command(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// Escapes an annotation's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file`, `title`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command line.
fn command(
    out: &mut String,
    level: Level,
    file: &str,
    position: Option<(u32, Option<u32>)>,
    title: &str,
    message: &str,
) {
    let _ = write!(out, "::{} file={}", level.command(), escape_property(file));
    if let Some((line, column)) = position.filter(|(line, _)| *line > 0) {
        let _ = write!(out, ",line={line}");
        if let Some(col) = column.filter(|c| *c > 0) {
            let _ = write!(out, ",col={col}");
        }
    }
    let _ = writeln!(
        out,
        ",title={}::{}",
        escape_property(title),
        escape_data(message.trim_end())
    );
}

/// The annotations for every verdict, one command a line.
pub fn render(verdicts: &[Verdict]) -> String {
    verdicts.iter().map(annotations).collect()
}

/// One verdict's annotations; none when it passed.
pub fn annotations(v: &Verdict) -> String {
    let mut out = String::new();
    let file = v.submission.path.as_str();
    let title = |what: &str| format!("gograde {}: {what}", v.exercise);
    match v.status {
        Status::Pass => {}
        Status::CompileError if !v.compile_errors.is_empty() => {
            for e in &v.compile_errors {
                command(
                    &mut out,
                    Level::Error,
                    file,
                    Some((e.line, Some(e.column))),
                    &title("compile error"),
                    &e.message,
                );
            }
        }
        Status::CompileError | Status::Rejected | Status::Error => {
            command(
                &mut out,
                Level::Error,
                file,
                None,
                &title(v.status.as_str()),
                &v.summary,
            );
        }
        Status::Fail | Status::Timeout => {
            if v.status == Status::Timeout {
                command(
                    &mut out,
                    Level::Error,
                    file,
                    None,
                    &title("timeout"),
                    &v.summary,
                );
            }
            for race in &v.races {
                let frame = race
                    .accesses
                    .iter()
                    .flat_map(|a| &a.frames)
                    .find(|f| f.candidate);
                command(
                    &mut out,
                    Level::Error,
                    file,
                    frame.map(|f| (f.line, None)),
                    &title("data race"),
                    &match race.seen_in_words() {
                        seen if seen.is_empty() => race.summary.clone(),
                        seen => format!("{}, {seen}", race.summary),
                    },
                );
            }
            for t in &v.tests {
                let level = match (t.status, t.category) {
                    (TestStatus::Pass | TestStatus::Skip, _) | (_, Category::Followup) => continue,
                    (
                        TestStatus::Fail | TestStatus::Error | TestStatus::Timeout,
                        Category::Core,
                    ) => Level::Error,
                    (
                        TestStatus::Fail | TestStatus::Error | TestStatus::Timeout,
                        Category::Robustness | Category::Performance,
                    ) => Level::Warning,
                };
                let mut message = t.message.clone();
                if let (Some(e), Some(a)) = (&t.expected, &t.actual) {
                    message.push_str(&format!("\nexpected: {e}\nactual:   {a}"));
                }
                // The verdict's own frame first (a panic's, a blocked
                // goroutine's, vet's), read from the kit's stack; printed
                // output only where there is none.
                let line = t.frame.as_ref().map(|f| f.line).or_else(|| {
                    t.output
                        .as_deref()
                        .and_then(|o| candidate_line(o, &candidate_names(v)))
                });
                command(
                    &mut out,
                    level,
                    file,
                    line.map(|l| (l, None)),
                    &title(&format!("{} {}", t.name, t.status.as_str())),
                    &message,
                );
            }
        }
    }
    out
}

/// The names the candidate's file goes by in stack traces: its own file
/// name, and whatever name the race frames marked as the candidate's.
fn candidate_names(v: &Verdict) -> Vec<String> {
    let mut names: Vec<String> = v
        .races
        .iter()
        .flat_map(|r| &r.accesses)
        .flat_map(|a| &a.frames)
        .filter(|f| f.candidate)
        .map(|f| f.file.clone())
        .collect();
    if let Some(name) = Path::new(&v.submission.path).file_name() {
        names.push(name.to_string_lossy().into_owned());
    }
    names.dedup();
    names
}

/// The first line of the candidate's file that `output` (a panic's stack,
/// a race report) points to: `name.go:LINE` at the start of a path part.
fn candidate_line(output: &str, names: &[String]) -> Option<u32> {
    names.iter().find_map(|name| {
        let pattern = format!(r"(?:^|[\s/]){}:(\d+)", regex::escape(name));
        Regex::new(&pattern)
            .ok()?
            .captures(output)?
            .get(1)?
            .as_str()
            .parse()
            .ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{CompileError, Frame, Race, RaceAccess, RaceOp, TestResult};

    fn verdict(status: Status) -> Verdict {
        serde_json::from_value(serde_json::json!({
            "schema_version": 1, "tool_version": "0", "exercise": "counter",
            "submission": {"path": "subs/al,ice/answer.go", "sha256": "00", "bytes": 1},
            "status": status, "summary": "100% wrong:\nsee", "score": {"earned": 0, "possible": 2},
            "followups": {"earned": 0, "possible": 0}, "tests": [], "races": [],
            "compile_errors": [], "notes": [], "hints": [], "limits": {"timeout_s": 1.0,
            "memory_mib": 1, "max_tasks": 1, "file_size_mib": 1, "output_kib": 1, "source_kib": 1},
            "sandbox": {"network": "isolated", "filesystem": "isolated", "processes": "isolated"},
            "timings_ms": {"stage": 0, "compile": 0, "run": 0, "total": 0}, "go_version": "go"
        }))
        .unwrap()
    }

    fn test(
        name: &str,
        category: Category,
        status: TestStatus,
        output: Option<&str>,
    ) -> TestResult {
        TestResult {
            name: name.into(),
            category,
            status,
            points: 1,
            earned: 0,
            duration_ms: 0,
            description: String::new(),
            message: "got 3".into(),
            expected: Some("4".into()),
            actual: Some("3".into()),
            value_kind: None,
            output: output.map(str::to_owned),
            hint: None,
            frame: None,
        }
    }

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50%\r\nnext: a, b"), "50%25%0D%0Anext: a, b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn compile_errors_point_at_their_line_and_column() {
        let mut v = verdict(Status::CompileError);
        v.compile_errors = vec![CompileError {
            source: None,
            file: v.submission.path.clone(),
            line: 7,
            column: 2,
            message: "undefined: x".into(),
        }];
        assert_eq!(
            annotations(&v),
            "::error file=subs/al%2Cice/answer.go,line=7,col=2,title=gograde counter%3A compile error::undefined: x\n"
        );
    }

    #[test]
    fn races_at_the_candidate_frame_and_tests_at_the_line_their_output_names() {
        let mut v = verdict(Status::Fail);
        let frame = |file: &str, line, candidate| Frame {
            function: "f".into(),
            file: file.into(),
            line,
            candidate,
            source: None,
        };
        v.races = vec![Race {
            summary: "data race: read vs write".into(),
            test: None,
            tests: vec![],
            count: 1,
            accesses: vec![RaceAccess {
                op: RaceOp::Read,
                goroutine: 7,
                previous: false,
                frames: vec![
                    frame("/stage/counter_test.go", 40, false),
                    frame("answer.go", 9, true),
                ],
            }],
        }];
        v.tests = vec![
            test("TestCore_A", Category::Core, TestStatus::Pass, None),
            test(
                "TestCore_Panics",
                Category::Core,
                TestStatus::Error,
                Some("panic: boom\n\ngoroutine 7:\n  x.Inc()\n      answer.go:12 +0x1d\n"),
            ),
            // The verdict's frame (a panic the kit recovered) wins over
            // whatever the output prints.
            TestResult {
                frame: Some(frame("answer.go", 21, true)),
                ..test(
                    "TestRobust_B",
                    Category::Robustness,
                    TestStatus::Fail,
                    Some("answer.go:3"),
                )
            },
            test("TestFollowup_C", Category::Followup, TestStatus::Fail, None),
        ];
        let got = annotations(&v);
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines.len(), 3, "{got}");
        assert_eq!(
            lines[0],
            "::error file=subs/al%2Cice/answer.go,line=9,title=gograde counter%3A data race::data race: read vs write"
        );
        assert_eq!(
            lines[1],
            "::error file=subs/al%2Cice/answer.go,line=12,title=gograde counter%3A TestCore_Panics error::got 3%0Aexpected: 4%0Aactual:   3"
        );
        assert!(
            lines[2].starts_with("::warning file=subs/al%2Cice/answer.go,line=21,title="),
            "{got}"
        );
    }

    #[test]
    fn candidate_text_cannot_start_a_workflow_command() {
        let hostile = "boom\n::error file=x.go,line=1::PASS 20/20\r\n::stop-commands::t\n%0A::notice::hi **PASS** ![p](https://evil.example/p.png)";
        let mut v = verdict(Status::Fail);
        v.submission.path = "subs/a\n::error::x,line=3:.go".into();
        v.tests = vec![TestResult {
            message: hostile.into(),
            expected: Some(hostile.into()),
            ..test("TestCore_Panics", Category::Core, TestStatus::Error, None)
        }];
        let got = annotations(&v);
        assert_eq!(got.lines().count(), 1, "one annotation, one line: {got}");
        assert!(
            got.starts_with("::error file=subs/a%0A%3A%3Aerror%3A%3Ax%2Cline=3%3A.go,title="),
            "{got}"
        );
        // The message reads back as the candidate wrote it, nothing lost.
        let message = got.trim_end().split_once(" error::").unwrap().1;
        let decoded = message
            .replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%25", "%");
        assert!(decoded.starts_with(hostile), "{decoded}");
    }

    #[test]
    fn a_pass_says_nothing_and_an_unrun_submission_says_why_at_the_file() {
        assert_eq!(annotations(&verdict(Status::Pass)), "");
        assert_eq!(
            annotations(&verdict(Status::Rejected)),
            "::error file=subs/al%2Cice/answer.go,title=gograde counter%3A rejected::100%25 wrong:%0Asee\n"
        );
    }
}
