//! JUnit XML reporter (quick-junit): one testsuite per submission, one
//! testcase per harness test; a race or a build problem is a failing
//! testcase of its own so that CI dashboards show it.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::verdict::{Status, TestStatus, Verdict};

/// The whole report as XML.
pub fn render(verdicts: &[Verdict]) -> String {
    let mut report = Report::new("gograde");
    for v in verdicts {
        report.add_test_suite(suite(v));
    }
    report.to_string().unwrap_or_default()
}

fn suite(v: &Verdict) -> TestSuite {
    let mut suite = TestSuite::new(format!("{} {}", v.exercise, v.submission.path));
    suite.set_time(Duration::from_millis(v.timings_ms.total));
    suite.add_property(("status", v.status.as_str()));
    suite.add_property(("sha256", v.submission.sha256.as_str()));
    suite.add_property((
        "score",
        format!("{}/{}", v.score.earned, v.score.possible).as_str(),
    ));
    suite.set_system_out(v.summary.clone());
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
        status.set_message(v.summary.clone());
        let details: Vec<String> = v
            .compile_errors
            .iter()
            .map(|e| format!("{}:{}:{}: {}", e.file, e.line, e.column, e.message))
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
                s.set_message(t.message.clone());
                s
            }
            TestStatus::Fail | TestStatus::Error | TestStatus::Timeout => {
                let kind = match t.status {
                    TestStatus::Fail => NonSuccessKind::Failure,
                    _ => NonSuccessKind::Error,
                };
                let mut s = TestCaseStatus::non_success(kind);
                s.set_message(t.message.lines().next().unwrap_or_default().to_owned());
                s.set_type(t.status.as_str());
                let mut description = t.message.clone();
                if let (Some(e), Some(a)) = (&t.expected, &t.actual) {
                    description.push_str(&format!("\nexpected: {e}\nactual:   {a}"));
                }
                s.set_description(description);
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
        status.set_message(race.summary.clone());
        status.set_type("data_race");
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
