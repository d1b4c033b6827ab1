//! Decides which results of one run of the test binary count. Pure.
//!
//! The candidate's code runs in the same process as the harness and can
//! print anything, test framing included, or exit at any moment. So an
//! outcome counts only when the harness kit sent it over the authenticated
//! channel (`channel`): a test with an authentic end is settled by it, a
//! test that started but never ended is the one the run died or hung in,
//! and a test that never started runs again. Nothing the binary prints
//! decides anything, and a timeout is believed only from gograde's clock.
//!
//! How the run ended matters too. Only a run that sent its authentic final
//! record and then exited with the code that record names is whole. A run
//! the race detector halted is whole up to the race: the detector stops the
//! process at its first report, before a torn read could reach the key, so
//! what ended before it stands. Any other ending (no final record, or an
//! exit that disagrees with it) proves the process misbehaved at some
//! point gograde cannot place: its failures stand (a failure only lowers
//! the candidate's own verdict), its passes must be confirmed by a run of
//! their own.

use crate::core::channel::RunReport;
use crate::core::collect::Outcome;

/// The exit code the race detector halts the test binary with
/// (`GORACE=exitcode=66 halt_on_error=1`, set in `toolchain`).
pub const RACE_EXIT_CODE: i32 = 66;

/// How the test binary's process ended, by gograde's own observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    /// Its exit code; `None` when a signal ended it or it did not report.
    pub code: Option<i32>,
    /// gograde's clock ran out: the run was killed at the deadline, or it
    /// ended at the time Go's own `-test.timeout` was set to fire.
    pub timed_out: bool,
}

/// How a run ended, judged from the authenticated records and the exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The final record arrived and the exit code agrees with it.
    Whole,
    /// The race detector halted the process at a data race.
    RaceHalt,
    /// gograde's clock ran out.
    TimedOut,
    /// Anything else: why, for the verdict.
    Broken(String),
}

/// What one run's results are worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub ending: Ending,
    /// Selected tests settled by their authenticated end.
    pub settled: Vec<String>,
    /// Selected tests that ended as passed (or skipped) in a broken run:
    /// they count only once a run of their own confirms them.
    pub unconfirmed: Vec<String>,
    /// The selected test the run died, hung or raced in (started, never
    /// ended).
    pub cut_short: Option<String>,
    /// A failure the run reported outside every test.
    pub outside: Option<String>,
}

/// Judges one run in which `selected` tests were asked for.
pub fn assess(report: &RunReport, selected: &[String], exit: Exit) -> Assessment {
    let ending = ending(report, exit);
    let outcome = |name: &String| report.tests.get(name).and_then(|t| t.outcome);
    let ended: Vec<&String> = selected.iter().filter(|n| outcome(n).is_some()).collect();
    let (settled, unconfirmed): (Vec<String>, Vec<String>) = match &ending {
        Ending::Whole | Ending::RaceHalt | Ending::TimedOut => {
            (ended.into_iter().cloned().collect(), Vec::new())
        }
        Ending::Broken(_) => ended
            .into_iter()
            .cloned()
            .partition(|n| outcome(n) == Some(Outcome::Fail)),
    };
    let cut_short = report
        .last_started
        .clone()
        .filter(|t| selected.contains(t) && outcome(t).is_none());
    let all_passed = settled
        .iter()
        .all(|name| matches!(outcome(name), Some(Outcome::Pass | Outcome::Skip)));
    let outside = match (&ending, report.final_code) {
        (Ending::Whole, Some(code))
            if code != 0 && all_passed && settled.len() == selected.len() =>
        {
            Some(format!(
                "the tests all passed, but the test binary reported a failure outside them (exit code {code})"
            ))
        }
        (Ending::RaceHalt, _) if cut_short.is_none() => Some(
            "the race detector stopped the test binary outside every test: a data race in init, or in a goroutine left running after its test".to_owned(),
        ),
        _ => None,
    };
    Assessment {
        ending,
        settled,
        unconfirmed,
        cut_short,
        outside,
    }
}

fn ending(report: &RunReport, exit: Exit) -> Ending {
    if exit.timed_out {
        return Ending::TimedOut;
    }
    match (report.final_code, exit.code) {
        (Some(said), Some(code)) if said == code => Ending::Whole,
        // A race halt ends the process from inside the runtime, before any
        // final record.
        (None, Some(RACE_EXIT_CODE)) => Ending::RaceHalt,
        (None, Some(code)) => Ending::Broken(format!(
            "the test binary exited with code {code} without the harness's final record"
        )),
        (None, None) => Ending::Broken(
            "the test binary was killed by a signal before the harness's final record".to_owned(),
        ),
        (Some(said), code) => Ending::Broken(format!(
            "the harness's final record gave exit code {said}, but the test binary {}",
            match code {
                Some(code) => format!("exited with code {code}"),
                None => "was killed by a signal".to_owned(),
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::channel::TestReport;

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

    fn exited(code: i32) -> Exit {
        Exit {
            code: Some(code),
            timed_out: false,
        }
    }

    #[test]
    fn authentic_ends_settle_their_tests_in_a_whole_run() {
        let r = report(
            &[("A", Some(Outcome::Pass)), ("B", Some(Outcome::Fail))],
            Some(1),
        );
        let a = assess(&r, &names(&["A", "B"]), exited(1));
        assert_eq!(a.ending, Ending::Whole);
        assert_eq!(a.settled, names(&["A", "B"]));
        assert_eq!(a.cut_short, None);
        assert_eq!(a.outside, None, "a failing test explains the exit code");
    }

    #[test]
    fn the_test_without_an_end_was_cut_short_and_the_rest_run_again() {
        let r = report(&[("A", Some(Outcome::Pass)), ("B", None)], None);
        let a = assess(&r, &names(&["A", "B", "C"]), exited(RACE_EXIT_CODE));
        assert_eq!(a.ending, Ending::RaceHalt);
        assert_eq!(a.settled, names(&["A"]), "A ended before the race");
        assert_eq!(a.cut_short.as_deref(), Some("B"));
        assert_eq!(a.outside, None);
    }

    #[test]
    fn nothing_authentic_settles_nothing_whatever_the_exit() {
        let a = assess(&RunReport::default(), &names(&["A"]), exited(0));
        assert!(a.settled.is_empty() && a.unconfirmed.is_empty());
        assert!(matches!(a.ending, Ending::Broken(_)));
    }

    #[test]
    fn passes_without_the_final_record_are_not_settled() {
        // The torn-interface forgery: a start and a pass for every test, no
        // final record, exit 0.
        let r = report(
            &[("A", Some(Outcome::Pass)), ("B", Some(Outcome::Fail))],
            None,
        );
        let a = assess(&r, &names(&["A", "B"]), exited(0));
        assert_eq!(a.settled, names(&["B"]), "a failure still stands");
        assert_eq!(a.unconfirmed, names(&["A"]));
        assert!(
            matches!(a.ending, Ending::Broken(why) if why.contains("without the harness's final record"))
        );
    }

    #[test]
    fn an_exit_that_disagrees_with_the_final_record_breaks_the_run() {
        let r = report(&[("A", Some(Outcome::Pass))], Some(0));
        for exit in [
            exited(2),
            exited(RACE_EXIT_CODE),
            Exit {
                code: None,
                timed_out: false,
            },
        ] {
            let a = assess(&r, &names(&["A"]), exit);
            assert!(matches!(a.ending, Ending::Broken(_)), "{exit:?}");
            assert_eq!(a.unconfirmed, names(&["A"]));
        }
    }

    #[test]
    fn a_race_halt_outside_every_test_fails_the_run() {
        let a = assess(
            &RunReport::default(),
            &names(&["A"]),
            exited(RACE_EXIT_CODE),
        );
        assert_eq!(a.ending, Ending::RaceHalt);
        assert!(a.outside.unwrap().contains("outside every test"));
        let r = report(&[("A", Some(Outcome::Pass))], None);
        let a = assess(&r, &names(&["A", "B"]), exited(RACE_EXIT_CODE));
        assert_eq!(a.settled, names(&["A"]));
        assert!(a.outside.is_some(), "raced between tests");
    }

    #[test]
    fn a_failure_after_passing_tests_is_reported_outside_them() {
        let r = report(&[("A", Some(Outcome::Pass))], Some(1));
        let a = assess(&r, &names(&["A"]), exited(1));
        assert!(a.outside.unwrap().contains("exit code 1"));
        let r = report(&[("A", Some(Outcome::Pass))], Some(0));
        assert_eq!(assess(&r, &names(&["A"]), exited(0)).outside, None);
    }

    #[test]
    fn a_timeout_settles_what_ended_before_it() {
        let r = report(&[("A", Some(Outcome::Pass)), ("B", None)], None);
        let exit = Exit {
            code: None,
            timed_out: true,
        };
        let a = assess(&r, &names(&["A", "B"]), exit);
        assert_eq!(a.ending, Ending::TimedOut);
        assert_eq!(a.settled, names(&["A"]));
        assert_eq!(a.cut_short.as_deref(), Some("B"));
    }
}
