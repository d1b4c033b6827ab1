//! How a cold cache's preparation is shown on stderr: one line saying what
//! is built and why it takes a while, and on a terminal a line redrawn in
//! place with a bar, the time so far and an estimate of the time left.
//! Pure: the caller samples the build cache and writes the text.

use std::time::Duration;

/// The line printed once, before the preparation starts: on a terminal the
/// progress line follows it, elsewhere it is all there is.
pub fn announcement() -> &'static str {
    "gograde: first run: preparing Go's build cache once (the race-instrumented standard library \
     and the harness; about 10 s on 2 idle cores, more on a busy machine; `gograde warm` does \
     this ahead of time)"
}

/// The progress line: `steps` of about `expected` cache entries are done
/// after `elapsed`, building `what`; cut to `columns` characters (a longer
/// line would wrap, and the next redraw would leave the first part behind).
pub fn progress_line(
    what: &str,
    elapsed: Duration,
    steps: u64,
    expected: u64,
    columns: usize,
) -> String {
    const WIDTH: usize = 16;
    let fraction = done_fraction(steps, expected);
    let filled = (fraction * WIDTH as f64).floor() as usize;
    let left = match remaining(elapsed, fraction) {
        // Past the measured count: the rate says nothing about the rest.
        _ if steps >= expected => "almost done".to_owned(),
        Some(left) => format!("about {} left", words(left)),
        None => "estimating".to_owned(),
    };
    let line = format!(
        "  [{}{}] {:>2}%  {}, {left} · {what}",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        (fraction * 100.0).floor() as u32,
        words(elapsed),
    );
    line.chars().take(columns).collect()
}

/// The line that replaces the progress line once everything is built.
pub fn finished_line(took: Duration) -> String {
    format!(
        "gograde: prepared in {}; later grades reuse it",
        words(took)
    )
}

/// The share of the work done, never shown as finished before it is:
/// the expected count is a measurement, not a promise.
fn done_fraction(steps: u64, expected: u64) -> f64 {
    (steps as f64 / expected.max(1) as f64).min(0.99)
}

/// The time left at the rate so far, once there is enough to go on: the
/// first tenth of the work includes the slowest packages (the runtime, cgo
/// for the race runtime), so an estimate from it would be wild.
fn remaining(elapsed: Duration, fraction: f64) -> Option<Duration> {
    if fraction < 0.15 || elapsed < Duration::from_secs(10) {
        return None;
    }
    Some(elapsed.mul_f64((1.0 - fraction) / fraction))
}

/// `42 s`, `1 min 50 s`: seconds rounded up to 5 past a minute's worth of
/// them, and never "0 s".
fn words(d: Duration) -> String {
    let secs = d.as_secs_f64().ceil() as u64;
    if secs < 60 {
        return format!("{} s", secs.max(1));
    }
    let secs = secs.div_ceil(5) * 5;
    match secs % 60 {
        0 => format!("{} min", secs / 60),
        s => format!("{} min {s} s", secs / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HARNESS: &str = "race runtime, standard library, reverse harness";

    #[test]
    fn the_bar_fills_with_the_steps_done_and_stops_short_of_full() {
        let line = progress_line(HARNESS, Duration::from_secs(3), 0, 2000, 200);
        assert_eq!(
            line,
            format!("  [----------------]  0%  3 s, estimating · {HARNESS}")
        );
        let half = progress_line(HARNESS, Duration::from_secs(40), 1000, 2000, 200);
        assert!(
            half.starts_with("  [########--------] 50%  40 s, "),
            "{half}"
        );
        // More steps than measured: 99%, never a full bar that still runs.
        let over = progress_line(HARNESS, Duration::from_secs(90), 2500, 2000, 200);
        assert!(over.contains("-] 99%  1 min 30 s, almost done"), "{over}");
        // Never wider than the terminal.
        let narrow = progress_line(HARNESS, Duration::from_secs(90), 2500, 2000, 79);
        assert_eq!(narrow.chars().count(), 79, "{narrow}");
        assert!(over.starts_with(&narrow));
    }

    #[test]
    fn the_time_left_follows_the_rate_so_far_once_there_is_enough_of_it() {
        let left = |secs, steps| progress_line("x", Duration::from_secs(secs), steps, 2000, 200);
        // Half done in 40 s: about 40 s more.
        assert!(left(40, 1000).ends_with("40 s, about 40 s left · x"));
        // A quarter in 30 s: 90 s more, said in minutes.
        assert!(left(30, 500).ends_with("30 s, about 1 min 30 s left · x"));
        // Too early to tell: 10% done, or under 10 s in.
        assert_eq!(remaining(Duration::from_secs(30), 0.10), None);
        assert_eq!(remaining(Duration::from_secs(5), 0.5), None);
    }

    #[test]
    fn durations_read_as_a_person_says_them() {
        assert_eq!(words(Duration::from_millis(200)), "1 s");
        assert_eq!(words(Duration::from_millis(41_200)), "42 s");
        assert_eq!(words(Duration::from_secs(60)), "1 min");
        assert_eq!(words(Duration::from_secs(107)), "1 min 50 s");
        assert_eq!(
            finished_line(Duration::from_secs(63)),
            "gograde: prepared in 1 min 5 s; later grades reuse it"
        );
        assert!(announcement().contains("gograde warm"));
    }
}
