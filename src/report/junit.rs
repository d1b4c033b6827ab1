//! JUnit XML reporter (quick-junit): one testsuite per submission, one
//! testcase per harness test; a race or a build problem is a failing
//! testcase of its own so that CI dashboards show it.
//!
//! Candidate text (messages, expected and actual, the file name in the
//! suite's name) is inert: quick-junit escapes XML's markup characters, and
//! what XML 1.0 cannot hold at all (control characters, U+FFFE, U+FFFF) is
//! made visible first, as the terminal report shows it, so a candidate can
//! neither add elements nor make the whole batch's report unreadable (nor
//! have quick-junit drop the characters silently).

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::terminal;
use crate::verdict::{Status, TestStatus, Verdict};

/// Candidate text as XML 1.0 can hold it: control characters shown as
/// `\xNN`, the two noncharacters XML forbids as `\u{fffe}`/`\u{ffff}`.
fn text(s: &str) -> String {
    terminal::escape(s)
        .replace('\u{fffe}', "\\u{fffe}")
        .replace('\u{ffff}', "\\u{ffff}")
}

/// The whole report as XML, for verdicts held in memory. A batch writes
/// the same bytes from its JSON lines with [`Totals`], [`header`],
/// [`suite_xml`] and [`FOOTER`], one verdict in memory at a time.
pub fn render(verdicts: &[Verdict]) -> String {
    let mut totals = Totals::default();
    verdicts.iter().for_each(|v| totals.add(v));
    let mut out = header(&totals);
    for v in verdicts {
        out.push_str(&suite_xml(v));
    }
    out.push_str(FOOTER);
    out
}

/// The counts the root `<testsuites>` element carries, summed over suites.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Totals {
    /// Adds one verdict's suite.
    pub fn add(&mut self, v: &Verdict) {
        let suite = suite(v);
        self.tests += suite.tests;
        self.failures += suite.failures;
        self.errors += suite.errors;
        self.skipped += suite.skipped;
    }
}

/// Closes the root element opened by [`header`].
pub const FOOTER: &str = "</testsuites>\n";

/// The XML declaration and the opening root element with the totals.
/// quick-junit writes the whole document; the root of a report with no
/// suites, cut before its closing tag, is the same opening it writes for
/// a full one.
pub fn header(totals: &Totals) -> String {
    let mut report = Report::new("gograde");
    report.tests = totals.tests;
    report.failures = totals.failures;
    report.errors = totals.errors;
    report.skipped = totals.skipped;
    let xml = report.to_string().unwrap_or_default();
    match xml.rfind(FOOTER.trim_end()) {
        Some(end) => xml[..end].to_owned(),
        None => xml,
    }
}

/// One verdict's `<testsuite>` element, indented as inside the root.
/// Candidate text inside it is escaped, so the root's closing tag can only
/// be the last one.
pub fn suite_xml(v: &Verdict) -> String {
    let mut report = Report::new("gograde");
    report.add_test_suite(suite(v));
    let xml = report.to_string().unwrap_or_default();
    let body_start = xml
        .find("<testsuites")
        .and_then(|at| xml[at..].find('>').map(|end| at + end + 1))
        .unwrap_or(0);
    let body_end = xml.rfind(FOOTER.trim_end()).unwrap_or(xml.len());
    xml[body_start..body_end]
        .trim_start_matches('\n')
        .to_owned()
}

fn suite(v: &Verdict) -> TestSuite {
    let mut suite = TestSuite::new(format!("{} {}", v.exercise, text(&v.submission.path)));
    suite.set_time(Duration::from_millis(v.timings_ms.total));
    suite.add_property(("status", v.status.as_str()));
    suite.add_property(("sha256", v.submission.sha256.as_str()));
    suite.add_property((
        "score",
        format!("{}/{}", v.score.earned, v.score.possible).as_str(),
    ));
    suite.set_system_out(text(&v.summary));
    let early = match v.status {
        Status::CompileError | Status::Rejected | Status::Error => true,
        Status::Pass | Status::Fail | Status::Timeout => false,
    };
    if early {
        // Nothing ran: one failing case says why, so the suite is not empty.
        let mut status = TestCaseStatus::non_success(match v.status {
            Status::Error => NonSuccessKind::Error,
            _ => NonSuccessKind::Failure,
        });
        status.set_message(text(&v.summary));
        let details: Vec<String> = v
            .compile_errors
            .iter()
            .map(|e| {
                text(&format!(
                    "{}:{}:{}: {}",
                    e.file, e.line, e.column, e.message
                ))
            })
            .collect();
        if !details.is_empty() {
            status.set_description(details.join("\n"));
        }
        let mut case = TestCase::new(v.status.as_str(), status);
        case.set_classname(v.exercise.clone());
        suite.add_test_case(case);
    }
    for t in &v.tests {
        let status = match t.status {
            TestStatus::Pass => TestCaseStatus::success(),
            TestStatus::Skip => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(text(&t.message));
                s
            }
            TestStatus::Fail | TestStatus::Error | TestStatus::Timeout => {
                let kind = match t.status {
                    TestStatus::Fail => NonSuccessKind::Failure,
                    _ => NonSuccessKind::Error,
                };
                let mut s = TestCaseStatus::non_success(kind);
                s.set_message(text(t.message.lines().next().unwrap_or_default()));
                s.set_type(t.status.as_str());
                let mut description = t.message.clone();
                if let (Some(e), Some(a)) = (&t.expected, &t.actual) {
                    description.push_str(&format!("\nexpected: {e}\nactual:   {a}"));
                }
                s.set_description(text(&description));
                s
            }
        };
        let mut case = TestCase::new(t.name.clone(), status);
        case.set_classname(format!("{}.{}", v.exercise, t.category.as_str()));
        case.set_time(Duration::from_millis(t.duration_ms));
        suite.add_test_case(case);
    }
    for race in &v.races {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(text(&race.summary));
        status.set_type("data_race");
        // One case per group of the verdict, saying where it was seen.
        let seen = race.seen_in_words();
        if !seen.is_empty() {
            status.set_description(text(&format!("seen {seen}")));
        }
        let name = format!(
            "data race in {}",
            race.test.as_deref().unwrap_or("the package")
        );
        let mut case = TestCase::new(name, status);
        case.set_classname(format!("{}.race", v.exercise));
        suite.add_test_case(case);
    }
    suite
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{Score, SubmissionInfo, Timings};

    fn verdict(path: &str, status: Status) -> Verdict {
        let mut v: Verdict = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "tool_version": "0", "exercise": "reverse",
            "submission": {"path": path, "sha256": "00", "bytes": 1},
            "status": "pass", "summary": "s </testsuites> & <", "score": {"earned": 1, "possible": 2},
            "followups": {"earned": 0, "possible": 0}, "tests": [], "races": [],
            "compile_errors": [], "notes": [], "hints": [], "limits": {"timeout_s": 1.0,
            "memory_mib": 1, "max_tasks": 1, "file_size_mib": 1, "output_kib": 1, "source_kib": 1},
            "sandbox": {"network": "isolated", "filesystem": "isolated", "processes": "isolated"},
            "timings_ms": {"stage": 0, "compile": 0, "run": 0, "total": 5}, "go_version": "go"
        }))
        .unwrap();
        v.status = status;
        v.submission = SubmissionInfo {
            path: path.into(),
            sha256: "00".into(),
            bytes: 1,
        };
        v.score = Score::default();
        v.timings_ms = Timings::default();
        v
    }

    #[test]
    fn the_streamed_pieces_are_the_document_quick_junit_writes_whole() {
        let verdicts = [
            verdict("a.go", Status::Pass),
            verdict("b <&>.go", Status::CompileError),
            verdict("c.go", Status::Error),
        ];
        let mut whole = Report::new("gograde");
        for v in &verdicts {
            whole.add_test_suite(suite(v));
        }
        assert_eq!(render(&verdicts), whole.to_string().unwrap());
        let empty = Report::new("gograde").to_string().unwrap();
        assert_eq!(render(&[]), empty);
    }

    #[test]
    fn candidate_text_adds_no_element_and_keeps_the_document_well_formed() {
        let hostile = "boom]]></failure></testcase><testcase name=\"TestFake\"/><!-- \u{0}\u{7}\u{1b}[32mPASS\u{1b}[0m \u{b}\u{c} &amp; <![CDATA[x]]> \u{fffe}";
        let mut v = verdict("subs/<b>a</b>\u{1}.go", Status::Fail);
        v.tests = vec![
            serde_json::from_value(serde_json::json!({
                "name": "TestCore_Panics", "category": "core", "status": "error", "points": 1,
                "earned": 0, "duration_ms": 1, "description": "d", "message": hostile,
                "expected": hostile, "actual": "\u{1f}"
            }))
            .unwrap(),
        ];
        v.summary = hostile.into();
        let xml = render(&[v]);
        let mut reader = quick_xml::Reader::from_str(&xml);
        let (mut cases, mut texts) = (Vec::new(), String::new());
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                    if e.name().as_ref() == b"testcase" =>
                {
                    let name = e.try_get_attribute("name").unwrap().unwrap();
                    cases.push(
                        name.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned(),
                    );
                }
                Ok(quick_xml::events::Event::Text(t)) => {
                    texts.push_str(&t.decode().unwrap());
                }
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}\n{xml}", reader.error_position()),
            }
        }
        assert_eq!(cases, ["TestCore_Panics"], "{xml}");
        assert!(
            texts.contains("TestFake"),
            "the text is kept as text: {xml}"
        );
        assert!(
            texts.contains("\\x1b[32mPASS") && texts.contains("\\u{fffe}"),
            "what XML cannot hold is shown, not dropped: {xml}"
        );
        // Nothing XML 1.0 forbids (C0 controls but tab and line breaks, U+FFFE).
        let forbidden = |c: char| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}')
        };
        assert!(!xml.chars().any(forbidden), "{xml:?}");
    }
}
