//! The batch summary: how many submissions got each status, overall and per
//! exercise, and the ones that did not pass. Plain text for a CI log.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::verdict::{Status, Verdict};

const STATUSES: [Status; 6] = [
    Status::Pass,
    Status::Fail,
    Status::CompileError,
    Status::Rejected,
    Status::Timeout,
    Status::Error,
];

pub fn render(verdicts: &[Verdict]) -> String {
    let mut by_exercise: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for v in verdicts {
        let exercise = if v.exercise.is_empty() {
            "(unknown)"
        } else {
            v.exercise.as_str()
        };
        *by_exercise
            .entry(exercise)
            .or_default()
            .entry(v.status.as_str())
            .or_default() += 1;
        *by_exercise
            .entry("all")
            .or_default()
            .entry(v.status.as_str())
            .or_default() += 1;
    }
    let mut out = String::new();
    let _ = write!(out, "{:<12}", "exercise");
    for s in STATUSES {
        let _ = write!(out, " {:>13}", s.as_str());
    }
    let _ = writeln!(out, " {:>7}", "total");
    let mut rows: Vec<(&str, &BTreeMap<&str, usize>)> = by_exercise
        .iter()
        .filter(|(e, _)| **e != "all")
        .map(|(e, c)| (*e, c))
        .collect();
    if let Some(all) = by_exercise.get("all") {
        rows.push(("all", all));
    }
    for (exercise, counts) in rows {
        let _ = write!(out, "{exercise:<12}");
        for s in STATUSES {
            let _ = write!(out, " {:>13}", counts.get(s.as_str()).copied().unwrap_or(0));
        }
        let _ = writeln!(out, " {:>7}", counts.values().sum::<usize>());
    }
    let failing: Vec<&Verdict> = verdicts.iter().filter(|v| !v.status.is_success()).collect();
    if !failing.is_empty() {
        let _ = writeln!(out, "\nnot passed:");
        for v in failing {
            let _ = writeln!(
                out,
                "  {:<13} {}  {}",
                v.status.as_str(),
                v.submission.path,
                v.summary
            );
        }
    }
    out
}
