//! Decides which results of one run of the test binary count. The candidate's
//! code runs in the same process as the harness and can print anything,
//! including test framing, so a result counts only if the run that produced
//! it ended the way real runs end. Pure.

use crate::collect::{Outcome, RunRecord};

/// How the test binary's process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    /// Exit status 0.
    pub clean: bool,
    /// Killed at the wall-time limit, or Go's own `-test.timeout` fired.
    pub timed_out: bool,
}

/// What a run's results are worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assessment {
    /// Nothing of this run counts, and re-running will not help.
    Distrusted(String),
    /// `settled` tests keep their outcome; `cut_short` (if selected) is the
    /// test the binary died in; every other selected test runs again.
    Trusted {
        settled: Vec<String>,
        cut_short: Option<String>,
    },
}

/// Judges one run in which `selected` tests were asked for.
pub fn assess(record: &RunRecord, selected: &[String], exit: Exit) -> Assessment {
    if let Some(why) = &record.tampered {
        return Assessment::Distrusted(format!("the test output was forged ({why})"));
    }
    if !exit.timed_out && !exit.clean && record.package_result == Some(Outcome::Pass) {
        // testing prints PASS only when it is about to exit 0.
        return Assessment::Distrusted(
            "the test binary printed PASS, then exited with a failure status".into(),
        );
    }
    if exit.clean {
        let unstarted = selected
            .iter()
            .filter(|name| !record.tests.get(*name).is_some_and(|t| t.started))
            .count();
        if unstarted > 0 || record.package_result != Some(Outcome::Pass) {
            // With -test.paniconexit0 an exit 0 during a test panics, so a
            // clean exit before every test ran comes from init or forgery.
            return Assessment::Distrusted(format!(
                "the test binary exited with success before {unstarted} of {} selected tests ran (os.Exit in init, or forged test output)",
                selected.len()
            ));
        }
    }
    let finished = |name: &&String| record.tests.get(*name).is_some_and(|t| t.outcome.is_some());
    if record.package_result.is_some() || exit.timed_out {
        // A real end (or a timeout, where the running test is named by the
        // timeout and the earlier ones finished before it).
        return Assessment::Trusted {
            settled: selected.iter().filter(finished).cloned().collect(),
            cut_short: None,
        };
    }
    // The binary died without its final PASS/FAIL. Only the test it died in
    // is settled (as cut short); passes printed before the death may have
    // been forged by that very test, so the others run again.
    Assessment::Trusted {
        settled: Vec::new(),
        cut_short: record.last_started.clone().filter(|t| selected.contains(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::TestRecord;

    fn record(tests: &[(&str, Option<Outcome>)], package: Option<Outcome>) -> RunRecord {
        let mut r = RunRecord {
            package_result: package,
            ..RunRecord::default()
        };
        for (name, outcome) in tests {
            r.tests.insert(
                (*name).into(),
                TestRecord {
                    started: true,
                    outcome: *outcome,
                    ..TestRecord::default()
                },
            );
            r.last_started = Some((*name).into());
        }
        r
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_clean_run_settles_everything() {
        let r = record(
            &[("A", Some(Outcome::Pass)), ("B", Some(Outcome::Fail))],
            Some(Outcome::Fail),
        );
        let a = assess(
            &r,
            &names(&["A", "B"]),
            Exit {
                clean: false,
                timed_out: false,
            },
        );
        assert_eq!(
            a,
            Assessment::Trusted {
                settled: names(&["A", "B"]),
                cut_short: None
            }
        );
    }

    #[test]
    fn a_death_settles_only_the_test_it_happened_in() {
        let r = record(&[("A", Some(Outcome::Pass)), ("B", None)], None);
        let a = assess(
            &r,
            &names(&["A", "B", "C"]),
            Exit {
                clean: false,
                timed_out: false,
            },
        );
        assert_eq!(
            a,
            Assessment::Trusted {
                settled: vec![],
                cut_short: Some("B".into())
            }
        );
    }

    #[test]
    fn forged_test_names_settle_nothing() {
        let r = record(&[("A", Some(Outcome::Pass)), ("TestZZZ", None)], None);
        let a = assess(
            &r,
            &names(&["A"]),
            Exit {
                clean: false,
                timed_out: false,
            },
        );
        assert_eq!(
            a,
            Assessment::Trusted {
                settled: vec![],
                cut_short: None
            }
        );
    }

    #[test]
    fn clean_exit_before_all_ran_is_distrusted() {
        let r = record(&[("A", Some(Outcome::Pass))], Some(Outcome::Pass));
        let a = assess(
            &r,
            &names(&["A", "B"]),
            Exit {
                clean: true,
                timed_out: false,
            },
        );
        assert!(matches!(a, Assessment::Distrusted(_)));
        let r = record(&[("A", Some(Outcome::Pass))], Some(Outcome::Pass));
        let a = assess(
            &r,
            &names(&["A"]),
            Exit {
                clean: false,
                timed_out: false,
            },
        );
        assert!(
            matches!(a, Assessment::Distrusted(_)),
            "PASS then failure exit"
        );
    }
}
