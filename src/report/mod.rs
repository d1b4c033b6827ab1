//! Reporters: each a pure function from verdicts to text. Where the text
//! goes (stdout, a file) is the caller's business.

pub mod exercism;
pub mod github;
pub mod gradescope;
pub mod human;
pub mod json;
pub mod junit;
pub mod summary;
pub mod terminal;
pub mod warming;

use crate::verdict::Verdict;

/// Output formats of `gograde grade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable report for a person.
    Human,
    /// One JSON verdict object (an array for several files).
    Json,
    /// One JSON verdict per line.
    Jsonl,
    /// JUnit XML, one testsuite per submission.
    Junit,
    /// Exercism test-runner results.json (version 3).
    Exercism,
    /// Gradescope autograder results.json.
    Gradescope,
    /// GitHub Actions annotations (`::error file=...,line=...::message`).
    Github,
}

/// Renders verdicts in `format`; `color` applies to `human` only, and
/// `several` (more than one file was asked for) makes `json` an array.
pub fn render(format: Format, verdicts: &[Verdict], color: bool, several: bool) -> String {
    if verdicts.is_empty() {
        return String::new();
    }
    match format {
        Format::Human => verdicts
            .iter()
            .map(|v| human::render(v, color))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => json::render(verdicts, several),
        Format::Jsonl => json::render_lines(verdicts),
        Format::Junit => junit::render(verdicts),
        Format::Exercism => exercism::render(verdicts, several),
        Format::Gradescope => gradescope::render(verdicts, several),
        Format::Github => github::render(verdicts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::*;

    /// A failing verdict with one passing, one failing and one skipped test,
    /// and a race: literal data for every reporter.
    fn sample() -> Verdict {
        let test = |name: &str, category, status, earned, message: &str| TestResult {
            name: name.into(),
            category,
            status,
            points: 2,
            earned,
            duration_ms: 3,
            description: format!("{name} in words"),
            message: message.into(),
            expected: (status == TestStatus::Fail).then(|| "\"ab\"".into()),
            actual: (status == TestStatus::Fail).then(|| "\"ba\"".into()),
            value_kind: (status == TestStatus::Fail).then(|| "string".into()),
            output: None,
            hint: None,
            frame: None,
        };
        Verdict {
            schema_version: SCHEMA_VERSION,
            tool_version: "0.1.0".into(),
            exercise: "reverse".into(),
            submission: SubmissionInfo {
                path: "answer.go".into(),
                sha256: "ab".repeat(32),
                bytes: 120,
            },
            status: Status::Fail,
            summary: "1 of 2 core tests fail (x).".into(),
            score: Score {
                earned: 2,
                possible: 4,
            },
            followups: Score::default(),
            tests: vec![
                test("TestCore_A", Category::Core, TestStatus::Pass, 2, ""),
                test(
                    "TestCore_B",
                    Category::Core,
                    TestStatus::Fail,
                    0,
                    "bytes reversed <&>",
                ),
                test(
                    "TestFollowup_C",
                    Category::Followup,
                    TestStatus::Skip,
                    0,
                    "not attempted",
                ),
            ],
            races: vec![Race {
                summary: "data race: read vs write".into(),
                test: Some("TestCore_B".into()),
                tests: vec!["TestCore_B".into(), "TestCore_C".into()],
                count: 3,
                accesses: vec![],
            }],
            compile_errors: vec![],
            notes: vec![],
            hints: vec!["Why rune instead of byte?".into()],
            limits: Limits {
                timeout_s: 60.0,
                memory_mib: 2048,
                max_tasks: 256,
                file_size_mib: 64,
                output_kib: 1024,
                source_kib: 256,
            },
            sandbox: SandboxInfo {
                network: "isolated".into(),
                filesystem: "isolated".into(),
                processes: "isolated".into(),
                layers: vec![],
            },
            timings_ms: Timings {
                stage: 1,
                compile: 2,
                run: 3,
                total: 6,
            },
            go_version: "go1.26".into(),
            harness: None,
        }
    }

    #[test]
    fn junit_has_a_suite_with_a_case_per_test_and_the_race() {
        let xml = render(Format::Junit, &[sample()], false, false);
        assert!(xml.contains(r#"<testsuite name="reverse answer.go" tests="4" skipped="1" errors="0" failures="2""#), "{xml}");
        assert!(
            xml.contains(r#"<testcase name="TestCore_A" classname="reverse.core""#),
            "{xml}"
        );
        assert!(
            xml.contains("bytes reversed &lt;&amp;&gt;"),
            "escaped: {xml}"
        );
        assert!(xml.contains(r#"classname="reverse.race""#), "{xml}");
    }

    /// The verdict groups races once; the terminal, JUnit, GitHub and JSON show
    /// those groups as they are: one entry each, with the same tests and
    /// the same count.
    #[test]
    fn every_report_shows_the_verdicts_race_groups_as_they_are() {
        let human = render(Format::Human, &[sample()], false, false);
        assert_eq!(human.matches("Data race").count(), 1, "{human}");
        assert!(
            human.contains("Data race in TestCore_B, TestCore_C (reported 3 times)"),
            "{human}"
        );
        let xml = render(Format::Junit, &[sample()], false, false);
        assert_eq!(xml.matches(r#"classname="reverse.race""#).count(), 1);
        assert!(
            xml.contains("seen in TestCore_B, TestCore_C (reported 3 times)"),
            "{xml}"
        );
        let github = render(Format::Github, &[sample()], false, false);
        assert!(
            github
                .contains("data race: read vs write, in TestCore_B, TestCore_C (reported 3 times)"),
            "{github}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(Format::Json, &[sample()], false, false)).unwrap();
        assert_eq!(
            json["races"][0]["tests"],
            serde_json::json!(["TestCore_B", "TestCore_C"])
        );
        assert_eq!(json["races"][0]["count"], 3);
        // A verdict written before `tests` existed reads back with its test.
        let mut old = json.clone();
        old["races"][0].as_object_mut().unwrap().remove("tests");
        let old: Verdict = serde_json::from_value(old).unwrap();
        assert_eq!(old.races[0].seen_in(), ["TestCore_B"]);
    }

    #[test]
    fn exercism_maps_statuses_and_leaves_out_skips() {
        let doc: serde_json::Value =
            serde_json::from_str(&render(Format::Exercism, &[sample()], false, false)).unwrap();
        assert_eq!(doc["version"], 3);
        assert_eq!(doc["status"], "fail");
        assert_eq!(doc["tests"].as_array().unwrap().len(), 2);
        assert_eq!(doc["tests"][1]["status"], "fail");
        assert_eq!(doc["tests"][1]["message"], "bytes reversed <&>");
        let mut broken = sample();
        broken.status = Status::CompileError;
        broken.tests.clear();
        let doc: serde_json::Value =
            serde_json::from_str(&render(Format::Exercism, &[broken], false, false)).unwrap();
        assert_eq!(doc["status"], "error");
        assert!(doc["message"].as_str().unwrap().starts_with("1 of 2"));
    }

    #[test]
    fn gradescope_scores_only_graded_tests() {
        let doc: serde_json::Value =
            serde_json::from_str(&render(Format::Gradescope, &[sample()], false, false)).unwrap();
        assert_eq!(doc["score"], 2);
        assert_eq!(doc["max_score"], 4);
        assert_eq!(doc["tests"][0]["status"], "passed");
        assert_eq!(doc["tests"][1]["max_score"], 2);
        assert!(
            doc["tests"][1]["output"]
                .as_str()
                .unwrap()
                .contains("expected: \"ab\"")
        );
        assert!(
            doc["tests"][2].get("score").is_none(),
            "follow-ups are not scored"
        );
    }

    /// A failing test's frame shows in the terminal under its message, the
    /// stack it was read from does not, and the candidate's text in it
    /// (function, file, source line) is escaped like any other.
    #[test]
    fn the_terminal_shows_a_failures_frame_escaped_instead_of_its_stack() {
        let mut v = sample();
        v.tests[1].message =
            "panicked: boom\ngoroutine 7 [running]:\nkit.Call()\n\t/tmp/kit/kit.go:1 +0x1".into();
        v.tests[1].frame = Some(Frame {
            function: "Reverse".into(),
            file: "answer.go".into(),
            line: 12,
            candidate: true,
            source: Some("panic(\"\x1b[2Jboom\")".into()),
        });
        let text = render(Format::Human, &[v], false, false);
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let at = lines
            .iter()
            .position(|l| *l == "at answer.go:12 in Reverse")
            .unwrap_or_else(|| panic!("no frame line:\n{text}"));
        assert_eq!(lines[at - 1], "panicked: boom");
        assert_eq!(lines[at + 1], "panic(\"\\x1b[2Jboom\")");
        assert!(!text.contains("kit.go") && !text.contains('\x1b'), "{text}");
    }

    #[test]
    fn json_shape_follows_the_number_of_files_asked_for() {
        let one = render(Format::Json, &[sample()], false, false);
        assert!(one.trim_start().starts_with('{'));
        let several = render(Format::Json, &[sample()], false, true);
        assert!(several.trim_start().starts_with('['));
        assert_eq!(
            render(Format::Jsonl, &[sample(), sample()], false, true)
                .lines()
                .count(),
            2
        );
        assert_eq!(
            render(Format::Json, &[], false, true),
            "",
            "nothing graded, nothing printed"
        );
    }
}
