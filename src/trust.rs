//! Decides which results of one run of the test binary count. Pure.
//!
//! The candidate's code runs in the same process as the harness and can
//! print anything, test framing included, or exit at any moment. So an
//! outcome counts only when the harness kit sent it over the authenticated
//! channel (`channel`): a test with an authentic end is settled by it, a
//! test that started but never ended is the one the run died or hung in,
//! and a test that never started runs again. Nothing the binary prints
//! decides anything, and a timeout is believed only from gograde's clock.

use crate::channel::RunReport;
use crate::collect::Outcome;

/// How the test binary's process ended, by gograde's own observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    /// Exit status 0.
    pub clean: bool,
    /// gograde's clock ran out: the run was killed at the deadline, or it
    /// ended at the time Go's own `-test.timeout` was set to fire.
    pub timed_out: bool,
}

/// What one run's results are worth.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    /// Selected tests settled by their authenticated end.
    pub settled: Vec<String>,
    /// The selected test the run died or hung in (started, never ended).
    pub cut_short: Option<String>,
    /// A failure the run reported outside every test.
    pub outside: Option<String>,
}

/// Judges one run in which `selected` tests were asked for.
pub fn assess(report: &RunReport, selected: &[String], exit: Exit) -> Assessment {
    let ended = |name: &&String| report.tests.get(*name).is_some_and(|t| t.outcome.is_some());
    let settled: Vec<String> = selected.iter().filter(ended).cloned().collect();
    let cut_short = report
        .last_started
        .clone()
        .filter(|t| selected.contains(t) && !settled.contains(t));
    let all_passed = settled.iter().all(|name| {
        matches!(
            report.tests[name].outcome,
            Some(Outcome::Pass | Outcome::Skip)
        )
    });
    let outside = match report.final_code {
        Some(code) if code != 0 && all_passed && settled.len() == selected.len() => Some(format!(
            "the tests all passed, but the test binary reported a failure outside them (exit code {code}): a data race or a failure in a goroutine still running after its test ended"
        )),
        Some(0) if !exit.clean && !exit.timed_out => Some(
            "the test binary crashed after its tests had ended: a goroutine left running by the code under test?".to_owned(),
        ),
        _ => None,
    };
    Assessment {
        settled,
        cut_short,
        outside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::TestReport;

    fn report(tests: &[(&str, Option<Outcome>)], final_code: Option<i32>) -> RunReport {
        let mut r = RunReport {
            final_code,
            ..RunReport::default()
        };
        for (name, outcome) in tests {
            r.tests.insert(
                (*name).to_owned(),
                TestReport {
                    started: true,
                    outcome: *outcome,
                    ..TestReport::default()
                },
            );
            r.last_started = Some((*name).to_owned());
        }
        r
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    const CLEAN: Exit = Exit {
        clean: true,
        timed_out: false,
    };
    const CRASHED: Exit = Exit {
        clean: false,
        timed_out: false,
    };

    #[test]
    fn authentic_ends_settle_their_tests() {
        let r = report(
            &[("A", Some(Outcome::Pass)), ("B", Some(Outcome::Fail))],
            Some(1),
        );
        let a = assess(&r, &names(&["A", "B"]), CRASHED);
        assert_eq!(a.settled, names(&["A", "B"]));
        assert_eq!(a.cut_short, None);
        assert_eq!(a.outside, None, "a failing test explains the exit code");
    }

    #[test]
    fn the_test_without_an_end_was_cut_short_and_the_rest_run_again() {
        let r = report(&[("A", Some(Outcome::Pass)), ("B", None)], None);
        let a = assess(&r, &names(&["A", "B", "C"]), CRASHED);
        assert_eq!(a.settled, names(&["A"]));
        assert_eq!(a.cut_short.as_deref(), Some("B"));
    }

    #[test]
    fn nothing_authentic_settles_nothing_whatever_the_exit() {
        let a = assess(&RunReport::default(), &names(&["A"]), CLEAN);
        assert_eq!(a, Assessment::default());
    }

    #[test]
    fn a_failure_after_passing_tests_is_reported_outside_them() {
        let r = report(&[("A", Some(Outcome::Pass))], Some(1));
        let a = assess(&r, &names(&["A"]), CRASHED);
        assert!(a.outside.unwrap().contains("exit code 1"));
        let r = report(&[("A", Some(Outcome::Pass))], Some(0));
        let a = assess(&r, &names(&["A"]), CRASHED);
        assert!(a.outside.unwrap().contains("crashed after"));
        assert_eq!(assess(&r, &names(&["A"]), CLEAN).outside, None);
    }
}
