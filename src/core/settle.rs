//! Settles one harness test from one run of the test binary in which it was
//! the only test selected. Pure: the run's authenticated report, how it
//! ended (`trust`) and what it printed go in; a result, or a request to run
//! the test once more, comes out.
//!
//! Every test runs in a process of its own, so a crash, a hang, a race or
//! package-level state spent by one test costs only that test. Three
//! outcomes cannot be taken at face value and get one more run each:
//! a pass from a run that then ended abnormally (no final record, or an
//! exit that disagrees with it), a failure the harness did not explain
//! (a grader fault only if it happens again), and a race halt whose
//! printed report shows no frame of the candidate's (the candidate may have
//! printed it).

use crate::core::channel::RunReport;
use crate::core::collect::{self, Failure, Outcome};
use crate::core::judge::ResolvedTest;
use crate::core::race;
use crate::core::trust::{Assessment, Ending};
use crate::verdict::{Limits, TestStatus};

/// Why a test is given a run of its own to confirm its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Retry {
    /// It passed in a run that ended without its final record.
    Unconfirmed,
    /// The harness failed it without a failure record of its own.
    Unexplained,
    /// The race detector stopped it at a report with no candidate frame.
    HarnessRace,
}

/// The kit's failure kind for a test failed without a record of its own
/// (`kit.Unexplained`).
pub const UNEXPLAINED_KIND: &str = "unexplained";

/// What one run says about its one test.
#[derive(Debug, Clone, PartialEq)]
pub enum Settlement {
    Resolved(ResolvedTest),
    /// Run it again, for this reason (only asked once per reason).
    Again(Retry),
}

/// Everything about one run that settling its test needs.
#[derive(Debug, Clone, Copy)]
pub struct RunFacts<'a> {
    pub test: &'a str,
    pub report: &'a RunReport,
    pub assessment: &'a Assessment,
    /// What the test printed (display, and race reports to locate).
    pub output: &'a str,
    /// The first panic the run printed anywhere, if any.
    pub panic: Option<&'a str>,
    pub candidate_file: &'a str,
    /// The run was killed over its memory limit / hit its task limit.
    pub over_memory: bool,
    pub task_limit_hit: bool,
}

/// Settles `facts.test`. `retried(why)` says whether it already had its
/// extra run for `why`; a second time, the result stands as observed.
pub fn settle(facts: &RunFacts, limits: &Limits, retried: impl Fn(Retry) -> bool) -> Settlement {
    let name = facts.test;
    let test = facts.report.tests.get(name);
    let resolved = |status, reason: Option<String>| {
        Settlement::Resolved(ResolvedTest {
            status,
            duration_ms: test.map_or(0, |t| t.elapsed_ms),
            output: facts.output.to_owned(),
            failures: test.map(|t| t.failures.clone()).unwrap_or_default(),
            reason,
        })
    };
    let assessment = facts.assessment;
    let settled = assessment.settled.iter().any(|t| t == name);
    let unconfirmed = assessment.unconfirmed.iter().any(|t| t == name);
    let cut_short = assessment.cut_short.as_deref() == Some(name);
    let outcome = test.and_then(|t| t.outcome);
    match outcome {
        Some(Outcome::Fail) if settled && unexplained(&test.unwrap().failures) => {
            if !retried(Retry::Unexplained) {
                return Settlement::Again(Retry::Unexplained);
            }
            resolved(
                TestStatus::Error,
                Some("grader fault: the harness failed this test without a failure record of its own, in two runs; it is not counted against you (please report it)".into()),
            )
        }
        Some(outcome) if settled => resolved(
            match outcome {
                Outcome::Pass => TestStatus::Pass,
                Outcome::Fail => TestStatus::Fail,
                Outcome::Skip => TestStatus::Skip,
            },
            None,
        ),
        Some(_) if unconfirmed => {
            if !retried(Retry::Unconfirmed) {
                return Settlement::Again(Retry::Unconfirmed);
            }
            let why = match &assessment.ending {
                Ending::Broken(why) => why.as_str(),
                Ending::Whole | Ending::RaceHalt | Ending::TimedOut => "",
            };
            resolved(
                TestStatus::Fail,
                Some(format!(
                    "not confirmed: both runs in which this test passed then ended abnormally ({why})"
                )),
            )
        }
        _ if cut_short => cut_short_result(facts, limits, &retried, resolved),
        _ => never_started(facts),
    }
}

/// The test started and never ended: the run hung, raced or died in it.
fn cut_short_result(
    facts: &RunFacts,
    limits: &Limits,
    retried: &impl Fn(Retry) -> bool,
    resolved: impl Fn(TestStatus, Option<String>) -> Settlement,
) -> Settlement {
    match facts.assessment.ending {
        Ending::TimedOut => resolved(
            TestStatus::Timeout,
            Some(format!(
                "timed out: still running when the {:.0} s limit was reached",
                limits.timeout_s
            )),
        ),
        Ending::RaceHalt => {
            let races = race::parse_races(facts.output, facts.candidate_file);
            if !races.is_empty()
                && !races.iter().any(race::involves_candidate)
                && !retried(Retry::HarnessRace)
            {
                return Settlement::Again(Retry::HarnessRace);
            }
            resolved(
                TestStatus::Fail,
                Some(if races.is_empty() {
                    "the race detector stopped the test binary during this test, and its report was not readable (standard error closed?)".into()
                } else if races.iter().any(race::involves_candidate) {
                    "the race detector stopped the test binary at this data race".into()
                } else {
                    // Printed text never excuses a failure: the report may
                    // be the candidate's own.
                    "the race detector stopped the test binary during this test, in two runs; the report printed shows no frame of your code".into()
                }),
            )
        }
        Ending::Whole | Ending::Broken(_) => resolved(
            TestStatus::Error,
            Some(match facts.panic {
                _ if facts.over_memory => format!(
                    "killed: the run exceeded the {} MiB memory limit during this test",
                    limits.memory_mib
                ),
                None if facts.task_limit_hit => format!(
                    "the test binary died during this test after hitting the limit of {} processes and threads",
                    limits.max_tasks
                ),
                Some(p) => format!(
                    "the test binary crashed during this test: {}",
                    first_line(p)
                ),
                None => {
                    "the test binary exited during this test without a result (os.Exit?)".into()
                }
            }),
        ),
    }
}

/// The test never started: the binary died (or raced) before it.
fn never_started(facts: &RunFacts) -> Settlement {
    let (status, reason) = match (&facts.assessment.ending, facts.panic) {
        (Ending::RaceHalt, _) => (
            TestStatus::Fail,
            "not run: the race detector stopped the test binary before this test started (a data race in init?)".to_owned(),
        ),
        (Ending::TimedOut, _) => (
            TestStatus::Timeout,
            "not run: the time limit was reached before this test started".to_owned(),
        ),
        (_, Some(p)) => (
            TestStatus::Error,
            format!(
                "the test binary failed before this test started: {}",
                first_line(p)
            ),
        ),
        (_, None) => (
            TestStatus::Error,
            "the test binary exited before this test started (os.Exit in init?)".to_owned(),
        ),
    };
    Settlement::Resolved(ResolvedTest {
        status,
        duration_ms: 0,
        output: facts.output.to_owned(),
        failures: Vec::new(),
        reason: Some(reason),
    })
}

/// Whether a failed test's only records are the kit's "unexplained" ones.
fn unexplained(failures: &[Failure]) -> bool {
    !failures.is_empty()
        && failures
            .iter()
            .all(|f| f.kind.as_deref() == Some(UNEXPLAINED_KIND))
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// The first panic excerpt of a run: the test's output, then output outside
/// any test (standard error is merged into both, in order).
pub fn first_panic(output: &str, package_output: &str) -> Option<String> {
    collect::panic_excerpt(output).or_else(|| collect::panic_excerpt(package_output))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::channel::TestReport;
    use crate::core::trust::{self, Exit, RACE_EXIT_CODE};

    const LIMITS: Limits = Limits {
        timeout_s: 60.0,
        memory_mib: 2048,
        max_tasks: 256,
        file_size_mib: 64,
        output_kib: 1024,
        source_kib: 256,
    };

    fn report(outcome: Option<Outcome>, failures: Vec<Failure>, fin: Option<i32>) -> RunReport {
        let mut r = RunReport {
            final_code: fin,
            last_started: Some("T".into()),
            ..RunReport::default()
        };
        r.tests.insert(
            "T".into(),
            TestReport {
                started: true,
                outcome,
                elapsed_ms: 3,
                failures,
            },
        );
        r
    }

    fn settle_with(r: &RunReport, code: Option<i32>, output: &str, retried: bool) -> Settlement {
        let exit = Exit {
            code,
            timed_out: false,
        };
        let assessment = trust::assess(r, &["T".to_owned()], exit);
        let facts = RunFacts {
            test: "T",
            report: r,
            assessment: &assessment,
            output,
            panic: None,
            candidate_file: "answer.go",
            over_memory: false,
            task_limit_hit: false,
        };
        settle(&facts, &LIMITS, |_| retried)
    }

    fn status(s: &Settlement) -> TestStatus {
        match s {
            Settlement::Resolved(r) => r.status,
            Settlement::Again(why) => panic!("asked to run again: {why:?}"),
        }
    }

    #[test]
    fn a_whole_run_settles_its_test() {
        let r = report(Some(Outcome::Pass), vec![], Some(0));
        assert_eq!(
            status(&settle_with(&r, Some(0), "", false)),
            TestStatus::Pass
        );
    }

    #[test]
    fn a_pass_without_the_final_record_runs_again_then_fails() {
        let r = report(Some(Outcome::Pass), vec![], None);
        assert_eq!(
            settle_with(&r, Some(0), "", false),
            Settlement::Again(Retry::Unconfirmed)
        );
        let again = settle_with(&r, Some(0), "", true);
        assert_eq!(status(&again), TestStatus::Fail);
    }

    #[test]
    fn an_unexplained_failure_is_a_grader_fault_only_the_second_time() {
        let f = Failure {
            message: "x".into(),
            kind: Some(UNEXPLAINED_KIND.into()),
            expected: None,
            actual: None,
            hint: None,
        };
        let r = report(Some(Outcome::Fail), vec![f], Some(1));
        assert_eq!(
            settle_with(&r, Some(1), "", false),
            Settlement::Again(Retry::Unexplained)
        );
        assert_eq!(
            status(&settle_with(&r, Some(1), "", true)),
            TestStatus::Error
        );
    }

    #[test]
    fn a_race_halt_fails_the_test_in_progress_whatever_was_printed() {
        let r = report(None, vec![], None);
        let s = settle_with(&r, Some(RACE_EXIT_CODE), "", false);
        let Settlement::Resolved(resolved) = s else {
            panic!("{s:?}")
        };
        assert_eq!(resolved.status, TestStatus::Fail);
        assert!(resolved.reason.unwrap().contains("not readable"));
    }

    #[test]
    fn a_crash_in_the_test_is_an_error_and_before_it_too() {
        let r = report(None, vec![], None);
        assert_eq!(
            status(&settle_with(&r, Some(2), "", false)),
            TestStatus::Error
        );
        let nothing = RunReport::default();
        assert_eq!(
            status(&settle_with(&nothing, Some(RACE_EXIT_CODE), "", false)),
            TestStatus::Fail,
            "a race in init fails the test"
        );
        assert_eq!(
            status(&settle_with(&nothing, Some(0), "", false)),
            TestStatus::Error
        );
    }
}
