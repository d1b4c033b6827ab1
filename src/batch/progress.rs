//! Batch progress on stderr, a consumer of the runner's [`Event`]s: a bar
//! (`indicatif`: done/total, rate, ETA, how many did not pass) when stderr
//! is a terminal, with each submission that did not pass printed above it;
//! one plain line per submission otherwise, for CI logs that keep every
//! line and cannot redraw one.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::batch::run::Event;
use crate::verdict::Verdict;

/// How progress is shown.
enum Display {
    Bar(ProgressBar),
    Lines,
}

/// Counts so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    done: usize,
    total: usize,
    not_passed: usize,
    skipped: usize,
}

/// Shows a batch's progress. Events come one at a time (the runner
/// serialises them), the lock only satisfies `Sync`.
pub struct Progress {
    display: Display,
    counts: Mutex<Counts>,
}

impl Progress {
    /// A bar when `terminal`, plain lines otherwise.
    pub fn new(terminal: bool) -> Progress {
        let display = if terminal {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                // Counts right-aligned, rate and ETA of fixed width: the bar
                // keeps its place as the numbers grow.
                ProgressStyle::with_template(BAR)
                    .map(|style| {
                        // Submissions take seconds each: a rate per minute reads
                        // better than indicatif's "0.2038/s".
                        style
                            .with_key(
                                "rate",
                                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                                    let _ = write!(w, "{:>9}", rate(state.per_sec()));
                                },
                            )
                            .with_key(
                                "eta",
                                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                                    let _ = write!(w, "{}", eta(state.pos(), state.eta()));
                                },
                            )
                    })
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            // A steady tick keeps the elapsed time and spinner moving while a
            // slow submission grades.
            bar.enable_steady_tick(Duration::from_millis(200));
            Display::Bar(bar)
        } else {
            Display::Lines
        };
        Progress {
            display,
            counts: Mutex::new(Counts::default()),
        }
    }

    /// Takes one event from the runner.
    pub fn observe(&self, event: Event<'_>) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Event::Started { total } => {
                counts.total = total;
                if let Display::Bar(bar) = &self.display {
                    bar.set_length(total as u64);
                    bar.set_message(bar_message(&counts));
                }
            }
            Event::Finished { path, verdict } => {
                counts.done += 1;
                match verdict {
                    Some(v) if !v.status.is_success() => counts.not_passed += 1,
                    Some(_) => {}
                    None => counts.skipped += 1,
                }
                let line = line(&counts, &path.display().to_string(), verdict);
                match &self.display {
                    Display::Bar(bar) => {
                        if verdict.is_some_and(|v| !v.status.is_success()) {
                            bar.println(line);
                        }
                        bar.set_message(bar_message(&counts));
                        bar.inc(1);
                    }
                    Display::Lines => eprintln!("{line}"),
                }
            }
        }
    }

    /// Removes the bar, leaving the lines printed above it.
    pub fn finish(&self) {
        if let Display::Bar(bar) = &self.display {
            bar.finish_and_clear();
        }
    }
}

/// The text beside the bar.
fn bar_message(counts: &Counts) -> String {
    let mut message = format!("{} not passed", counts.not_passed);
    if counts.skipped > 0 {
        message.push_str(&format!(", {} skipped", counts.skipped));
    }
    message
}

/// The bar's layout.
const BAR: &str = "{spinner} [{elapsed_precise}] {wide_bar} {pos:>6}/{len:<6} {rate} {eta} {msg}";

/// The time left, once there is something to estimate it from: before the
/// first submission is done, indicatif's "0s" would promise the end.
fn eta(done: u64, left: Duration) -> String {
    if done == 0 {
        return "ETA --:--".to_owned();
    }
    let s = left.as_secs();
    if s >= 3600 {
        format!("ETA {}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("ETA {:02}:{:02}", s / 60, s % 60)
    }
}

/// Throughput for the bar, per minute.
fn rate(per_sec: f64) -> String {
    if per_sec.is_finite() && per_sec > 0.0 {
        format!("{:.0}/min", per_sec * 60.0)
    } else {
        "-/min".to_owned()
    }
}

/// One submission's line: position, status, exercise, path, time.
fn line(counts: &Counts, path: &str, verdict: Option<&Verdict>) -> String {
    let position = format!("[{}/{}]", counts.done, counts.total);
    match verdict {
        None => format!("{position} skipped (already graded) {}", printable(path)),
        Some(v) => format!(
            "{position} {:<13} {:<10} {} ({} ms)",
            v.status.as_str(),
            printable(&v.exercise),
            printable(path),
            v.timings_ms.total
        ),
    }
}

/// `s` with control characters shown as escapes: a file name can hold
/// terminal escape sequences, and it is printed to a terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;

    fn verdict(status: Status) -> Verdict {
        serde_json::from_value(serde_json::json!({
            "schema_version": 1, "tool_version": "0", "exercise": "reverse",
            "submission": {"path": "a.go", "sha256": "00", "bytes": 1},
            "status": status, "summary": "", "score": {"earned": 0, "possible": 2},
            "followups": {"earned": 0, "possible": 0}, "tests": [], "races": [],
            "compile_errors": [], "notes": [], "hints": [], "limits": {"timeout_s": 1.0,
            "memory_mib": 1, "max_tasks": 1, "file_size_mib": 1, "output_kib": 1, "source_kib": 1},
            "sandbox": {"network": "isolated", "filesystem": "isolated", "processes": "isolated"},
            "timings_ms": {"stage": 0, "compile": 0, "run": 0, "total": 812}, "go_version": "go"
        }))
        .unwrap()
    }

    #[test]
    fn the_eta_waits_for_a_first_result_and_keeps_its_width() {
        assert!(
            ProgressStyle::with_template(BAR).is_ok(),
            "a valid template"
        );
        assert_eq!(eta(0, Duration::ZERO), "ETA --:--");
        assert_eq!(eta(3, Duration::from_secs(75)), "ETA 01:15");
        assert_eq!(eta(3, Duration::from_secs(3725)), "ETA 1:02:05");
        assert_eq!(rate(0.0), "-/min");
        assert_eq!(rate(0.5), "30/min");
    }

    #[test]
    fn plain_lines_count_up_and_escape_control_characters() {
        let counts = Counts {
            done: 3,
            total: 40,
            not_passed: 1,
            skipped: 0,
        };
        assert_eq!(
            line(&counts, "subs/a\x1b[2J.go", Some(&verdict(Status::Fail))),
            "[3/40] fail          reverse    subs/a\\u{1b}[2J.go (812 ms)"
        );
        assert_eq!(
            line(&counts, "b.go", None),
            "[3/40] skipped (already graded) b.go"
        );
    }

    #[test]
    fn the_bar_counts_what_did_not_pass_and_what_was_skipped() {
        let progress = Progress::new(false);
        progress.observe(Event::Started { total: 3 });
        let path = std::path::Path::new("a.go");
        for v in [
            Some(verdict(Status::Pass)),
            Some(verdict(Status::Timeout)),
            None,
        ] {
            progress.observe(Event::Finished {
                path,
                verdict: v.as_ref(),
            });
        }
        let counts = *progress.counts.lock().unwrap();
        assert_eq!(
            counts,
            Counts {
                done: 3,
                total: 3,
                not_passed: 1,
                skipped: 1
            }
        );
        assert_eq!(bar_message(&counts), "1 not passed, 1 skipped");
        assert_eq!(rate(0.2038), "12/min");
        assert_eq!(rate(f64::INFINITY), "-/min");
    }
}
