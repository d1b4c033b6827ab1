//! The batch summary: how many submissions got each status, overall and per
//! exercise, and the ones that did not pass. Plain text for a CI log.
//!
//! Built to stream: a [`Tally`] (a few counters per exercise, whatever the
//! batch size) is filled verdict by verdict, the table is rendered from it,
//! and the "not passed" lines are rendered one verdict at a time.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::verdict::{Status, Verdict};

/// The statuses in table order.
const STATUSES: [Status; 6] = [
    Status::Pass,
    Status::Fail,
    Status::CompileError,
    Status::Rejected,
    Status::Timeout,
    Status::Error,
];

/// The column of `status` in the table.
fn column(status: Status) -> usize {
    match status {
        Status::Pass => 0,
        Status::Fail => 1,
        Status::CompileError => 2,
        Status::Rejected => 3,
        Status::Timeout => 4,
        Status::Error => 5,
    }
}

/// Counts of each status per exercise.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    by_exercise: BTreeMap<String, [usize; STATUSES.len()]>,
}

impl Tally {
    /// Counts one verdict.
    pub fn add(&mut self, v: &Verdict) {
        let exercise = if v.exercise.is_empty() {
            "(unknown)"
        } else {
            v.exercise.as_str()
        };
        if !self.by_exercise.contains_key(exercise) {
            self.by_exercise
                .insert(exercise.to_owned(), Default::default());
        }
        if let Some(row) = self.by_exercise.get_mut(exercise) {
            row[column(v.status)] += 1;
        }
    }

    /// Verdicts with this status, over every exercise.
    pub fn count(&self, status: Status) -> usize {
        self.by_exercise
            .values()
            .map(|row| row[column(status)])
            .sum()
    }

    /// Verdicts counted.
    pub fn total(&self) -> usize {
        self.by_exercise.values().flatten().sum()
    }

    /// Verdicts that did not pass.
    pub fn not_passed(&self) -> usize {
        STATUSES
            .iter()
            .filter(|s| !s.is_success())
            .map(|s| self.count(*s))
            .sum()
    }
}

/// The table: a row per exercise and one for all, a column per status.
pub fn table(tally: &Tally) -> String {
    let mut out = String::new();
    let _ = write!(out, "{:<12}", "exercise");
    for s in STATUSES {
        let _ = write!(out, " {:>13}", s.as_str());
    }
    let _ = writeln!(out, " {:>7}", "total");
    let mut all = [0usize; STATUSES.len()];
    let mut row = |name: &str, counts: &[usize; STATUSES.len()]| {
        let _ = write!(out, "{name:<12}");
        for n in counts {
            let _ = write!(out, " {n:>13}");
        }
        let _ = writeln!(out, " {:>7}", counts.iter().sum::<usize>());
    };
    for (exercise, counts) in &tally.by_exercise {
        row(exercise, counts);
        for (sum, n) in all.iter_mut().zip(counts) {
            *sum += n;
        }
    }
    if !tally.by_exercise.is_empty() {
        row("all", &all);
    }
    out
}

/// The heading of the list of verdicts that did not pass.
pub const NOT_PASSED_HEADING: &str = "\nnot passed:\n";

/// A verdict's line in the "not passed" list, or `None` when it passed.
pub fn not_passed_line(v: &Verdict) -> Option<String> {
    (!v.status.is_success()).then(|| {
        format!(
            "  {:<13} {}  {}\n",
            v.status.as_str(),
            v.submission.path,
            v.summary
        )
    })
}

/// The whole summary of verdicts held in memory (for tests and small runs;
/// a batch streams the same pieces from its JSON lines).
pub fn render(verdicts: &[Verdict]) -> String {
    let mut tally = Tally::default();
    verdicts.iter().for_each(|v| tally.add(v));
    let mut out = table(&tally);
    if tally.not_passed() > 0 {
        out.push_str(NOT_PASSED_HEADING);
        out.extend(verdicts.iter().filter_map(not_passed_line));
    }
    out
}
