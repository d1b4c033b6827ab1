//! Counters of the server, rendered in the Prometheus text format by hand
//! (a handful of series does not justify a metrics library).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::verdict::Status;

/// Upper bounds of the grade-duration histogram, in seconds: a warm quick
/// check is under a second, a cold cache about 20, the default limit 60.
const BUCKETS: [f64; 10] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0];

/// Why a request was refused without a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The queue was full (503).
    Busy,
    /// The body or the source was over the limit (413).
    TooLarge,
    /// Not JSON of the expected shape (400).
    Malformed,
    /// No such exercise (404).
    UnknownExercise,
    /// The exercise could not be detected, or the text is not a submission (422).
    Unprocessable,
    /// Missing or wrong token (401).
    Unauthorized,
}

impl Rejection {
    const ALL: [Rejection; 6] = [
        Rejection::Busy,
        Rejection::TooLarge,
        Rejection::Malformed,
        Rejection::UnknownExercise,
        Rejection::Unprocessable,
        Rejection::Unauthorized,
    ];

    fn label(self) -> &'static str {
        match self {
            Rejection::Busy => "busy",
            Rejection::TooLarge => "too_large",
            Rejection::Malformed => "malformed",
            Rejection::UnknownExercise => "unknown_exercise",
            Rejection::Unprocessable => "unprocessable",
            Rejection::Unauthorized => "unauthorized",
        }
    }

    fn index(self) -> usize {
        match self {
            Rejection::Busy => 0,
            Rejection::TooLarge => 1,
            Rejection::Malformed => 2,
            Rejection::UnknownExercise => 3,
            Rejection::Unprocessable => 4,
            Rejection::Unauthorized => 5,
        }
    }
}

/// A cumulative histogram of durations over [`BUCKETS`].
#[derive(Debug, Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} histogram");
        for (bound, count) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {}", load(count));
        }
        let count = load(&self.count);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", load(&self.micros) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
    }
}

/// Weight of the newest grade in [`Metrics::recent_grade`]: the estimate
/// follows a change of load (a cold cache, a heavier exercise) within a
/// few grades instead of being held back by every grade since the start.
const RECENT_WEIGHT: f64 = 0.3;

/// Everything `/metrics` reports, updated lock-free.
#[derive(Debug, Default)]
pub struct Metrics {
    grades: [AtomicU64; Status::ALL.len()],
    rejected: [AtomicU64; 6],
    cancelled: AtomicU64,
    panicked: AtomicU64,
    duration: Histogram,
    /// Time from admission to a grading slot: what clients wait on top of
    /// the grade itself, which the duration histogram does not show.
    queue_wait: Histogram,
    /// Moving average of recent grade durations, in microseconds (0: none).
    recent_micros: AtomicU64,
}

impl Metrics {
    /// A grade finished with a verdict.
    pub fn graded(&self, status: Status, took: Duration) {
        self.grades[status.index()].fetch_add(1, Ordering::Relaxed);
        self.duration.observe(took);
        let newest = took.as_micros() as f64;
        let _ = self
            .recent_micros
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                Some(if old == 0 {
                    newest as u64
                } else {
                    (RECENT_WEIGHT * newest + (1.0 - RECENT_WEIGHT) * old as f64) as u64
                })
            });
    }

    /// A request waited `took` in the queue before its grade started.
    pub fn queued(&self, took: Duration) {
        self.queue_wait.observe(took);
    }

    /// The recent grade duration, for `Retry-After`.
    pub fn recent_grade(&self) -> Option<Duration> {
        let micros = self.recent_micros.load(Ordering::Relaxed);
        (micros > 0).then(|| Duration::from_micros(micros))
    }

    /// A request was refused.
    pub fn rejected(&self, why: Rejection) {
        self.rejected[why.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// A client went away and its grade was stopped.
    pub fn cancelled(&self) {
        self.cancelled.fetch_add(1, Ordering::Relaxed);
    }

    /// A grade panicked (the server answered 500 and carried on).
    pub fn panicked(&self) {
        self.panicked.fetch_add(1, Ordering::Relaxed);
    }

    /// The mean grade duration so far.
    pub fn mean_grade(&self) -> Option<Duration> {
        let n = self.duration.count.load(Ordering::Relaxed);
        (n > 0).then(|| Duration::from_micros(self.duration.micros.load(Ordering::Relaxed) / n))
    }

    /// The Prometheus text exposition, with the queue's gauges.
    pub fn render(&self, waiting: usize, running: usize) -> String {
        let mut out = String::new();
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        out.push_str("# HELP gograde_grades_total Grades finished, by verdict status.\n");
        out.push_str("# TYPE gograde_grades_total counter\n");
        for status in Status::ALL {
            let _ = writeln!(
                out,
                "gograde_grades_total{{status=\"{}\"}} {}",
                status.as_str(),
                load(&self.grades[status.index()])
            );
        }
        self.duration.render(
            &mut out,
            "gograde_grade_duration_seconds",
            "Wall time of a grade, from its slot to its verdict.",
        );
        self.queue_wait.render(
            &mut out,
            "gograde_queue_wait_seconds",
            "Time a grade request waited in the queue for a slot.",
        );
        out.push_str("# HELP gograde_queue_depth Grade requests waiting for a slot.\n");
        out.push_str("# TYPE gograde_queue_depth gauge\n");
        let _ = writeln!(out, "gograde_queue_depth {waiting}");
        out.push_str("# HELP gograde_grades_running Grades running now.\n");
        out.push_str("# TYPE gograde_grades_running gauge\n");
        let _ = writeln!(out, "gograde_grades_running {running}");
        out.push_str("# HELP gograde_rejected_requests_total Requests refused, by reason.\n");
        out.push_str("# TYPE gograde_rejected_requests_total counter\n");
        for why in Rejection::ALL {
            let _ = writeln!(
                out,
                "gograde_rejected_requests_total{{reason=\"{}\"}} {}",
                why.label(),
                load(&self.rejected[why.index()])
            );
        }
        out.push_str(
            "# HELP gograde_grades_cancelled_total Grades stopped because the client went away.\n",
        );
        out.push_str("# TYPE gograde_grades_cancelled_total counter\n");
        let _ = writeln!(
            out,
            "gograde_grades_cancelled_total {}",
            load(&self.cancelled)
        );
        out.push_str(
            "# HELP gograde_grade_panics_total Grades that crashed the grader (answered 500).\n",
        );
        out.push_str("# TYPE gograde_grade_panics_total counter\n");
        let _ = writeln!(out, "gograde_grade_panics_total {}", load(&self.panicked));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let m = Metrics::default();
        m.graded(Status::Fail, Duration::from_millis(700));
        m.graded(Status::Pass, Duration::from_millis(3000));
        m.rejected(Rejection::Busy);
        let text = m.render(2, 1);
        for line in [
            "gograde_grades_total{status=\"fail\"} 1",
            "gograde_grades_total{status=\"compile_error\"} 0",
            "gograde_grade_duration_seconds_bucket{le=\"0.5\"} 0",
            "gograde_grade_duration_seconds_bucket{le=\"1\"} 1",
            "gograde_grade_duration_seconds_bucket{le=\"4\"} 2",
            "gograde_grade_duration_seconds_bucket{le=\"+Inf\"} 2",
            "gograde_grade_duration_seconds_sum 3.7",
            "gograde_queue_depth 2",
            "gograde_grades_running 1",
            "gograde_rejected_requests_total{reason=\"busy\"} 1",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from\n{text}"
            );
        }
        assert_eq!(m.mean_grade(), Some(Duration::from_millis(1850)));
    }

    #[test]
    fn queue_waits_have_their_own_histogram() {
        let m = Metrics::default();
        m.queued(Duration::from_millis(100));
        m.queued(Duration::from_secs(5));
        m.graded(Status::Pass, Duration::from_millis(900));
        let text = m.render(0, 0);
        for line in [
            "# TYPE gograde_queue_wait_seconds histogram",
            "gograde_queue_wait_seconds_bucket{le=\"0.25\"} 1",
            "gograde_queue_wait_seconds_bucket{le=\"4\"} 1",
            "gograde_queue_wait_seconds_bucket{le=\"8\"} 2",
            "gograde_queue_wait_seconds_sum 5.1",
            "gograde_queue_wait_seconds_count 2",
            "gograde_grade_duration_seconds_count 1",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from\n{text}"
            );
        }
    }

    #[test]
    fn the_recent_grade_time_follows_a_change_of_load() {
        let m = Metrics::default();
        assert_eq!(m.recent_grade(), None);
        for _ in 0..20 {
            m.graded(Status::Pass, Duration::from_secs(1));
        }
        for _ in 0..5 {
            m.graded(Status::Pass, Duration::from_secs(19));
        }
        // Five slow grades after twenty quick ones: the mean says 4.6 s,
        // the recent time is most of the way to 19 s.
        assert!(m.mean_grade().unwrap() < Duration::from_secs(5));
        let recent = m.recent_grade().unwrap();
        assert!(recent > Duration::from_secs(15), "{recent:?}");
    }
}
