//! Reads what a test binary run with `-test.v=test2json` prints (stdout and
//! stderr merged) into test events. Pure: text in, events out.
//!
//! This is the part of Go's `test2json` converter gograde needs, done here
//! instead of in a `go tool test2json` process per test: that tool is not
//! shipped built, and building it cost a cold first grade several seconds
//! (a standard library of its own, before anything else could start).
//! The rules are test2json's (`cmd/internal/test2json`) with its marker
//! mode on from the first byte, as gograde always ran it: a framing line
//! counts only when the testing package marked it with `^V`; an unmarked
//! "=== RUN" or "--- PASS" (printed by the code under test, say) is plain
//! output. `tests/streams.rs` checks this reading against test2json's own,
//! event for event, on runs recorded from the real toolchain.
//!
//! The events only place output and say what a run claimed: outcomes are
//! believed from the authenticated result channel (`channel`, `trust`).

/// Go's framing marker, printed ahead of every framing line in
/// `-test.v=test2json` mode (and seen as the end of a line before it).
const MARKER: char = '\u{16}';

/// What an event says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Run,
    Pause,
    Cont,
    Pass,
    Fail,
    Skip,
    Bench,
    Output,
    Other,
}

impl Action {
    /// The action test2json names `s` (`"run"`, `"pass"`, ...).
    pub fn parse(s: &str) -> Action {
        match s {
            "run" => Action::Run,
            "pause" => Action::Pause,
            "cont" => Action::Cont,
            "pass" => Action::Pass,
            "fail" => Action::Fail,
            "skip" => Action::Skip,
            "bench" => Action::Bench,
            "output" => Action::Output,
            _ => Action::Other,
        }
    }
}

/// One event: an action, optionally about a test, with output text.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub action: Action,
    pub test: Option<String>,
    pub elapsed: Option<f64>,
    pub output: Option<String>,
}

/// Framing lines that name what a test is doing now.
const UPDATES: [&str; 9] = [
    "=== RUN   ",
    "=== PAUSE ",
    "=== CONT  ",
    "=== NAME  ",
    "=== PASS  ",
    "=== FAIL  ",
    "=== SKIP  ",
    "=== ATTR  ",
    "=== ARTIFACTS ",
];

/// Framing lines that report a test's end, indented four spaces a level.
const REPORTS: [&str; 4] = ["--- PASS: ", "--- FAIL: ", "--- SKIP: ", "--- BENCH: "];

/// Reads a whole run's output.
pub fn parse_framed(text: &str) -> Vec<Event> {
    let mut reader = Reader::default();
    let mut lines = lines(text).peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_none() && !line.ends_with('\n') {
            // The run ended mid-line (killed, say): output, whatever it
            // looks like.
            reader.output(line);
        } else {
            reader.line(line);
        }
    }
    // The package's result comes last, whatever was printed after it.
    let result = reader.result.take();
    reader
        .events
        .extend(result.map(|action| event(action, None)));
    reader.events
}

/// The run's lines, each with its newline: a line also ends just before a
/// marker that does not begin it (the testing package marks a framing line
/// even when the code under test left its own line unfinished).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .char_indices()
            .find_map(|(i, c)| match c {
                '\n' => Some(i + 1),
                MARKER if i > 0 => Some(i),
                _ => None,
            })
            .unwrap_or(rest.len());
        let (line, after) = rest.split_at(end);
        rest = after;
        Some(line)
    })
}

/// test2json's state, in marker mode.
#[derive(Default)]
struct Reader {
    events: Vec<Event>,
    /// The test unmarked output is attributed to.
    test_name: Option<String>,
    /// End reports not yet delivered, one per nesting level: a report is
    /// delivered when a line at its level or above follows (output printed
    /// after a "--- FAIL" line at a deeper indent still belongs to it).
    reports: Vec<Event>,
    /// The binary's final PASS or FAIL, the last one printed.
    result: Option<Action>,
}

impl Reader {
    fn line(&mut self, line: &str) {
        let Some(marked) = line.strip_prefix(MARKER) else {
            self.output(line);
            return;
        };
        let mut line = marked;
        let mut trimmed = line.strip_suffix('\n').unwrap_or(line);
        trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
        // A NAME line with no test can lose its trailing spaces.
        if trimmed == "=== NAME" {
            line = "=== NAME  \n";
        }
        if trimmed == "PASS" || trimmed == "FAIL" || trimmed.starts_with("FAIL\t") {
            self.deliver_reports(0);
            self.output(line);
            self.result = Some(if trimmed == "PASS" {
                Action::Pass
            } else {
                Action::Fail
            });
            return;
        }
        if UPDATES.iter().any(|u| line.starts_with(u)) {
            self.update(line);
            return;
        }
        let mut depth = 0;
        let mut unindented = line;
        while let Some(rest) = unindented.strip_prefix("    ") {
            unindented = rest;
            depth += 1;
        }
        if REPORTS.iter().any(|r| unindented.starts_with(r)) {
            self.report(line, unindented, depth);
            return;
        }
        // Marked but not framing: the indent says which running subtest
        // printed it.
        if depth > 0
            && let Some(report) = self.reports.get(depth - 1)
        {
            self.test_name = report.test.clone();
        }
        self.output(line);
    }

    /// An `=== ACTION  Name` line.
    fn update(&mut self, line: &str) {
        let (action, name) = action_and_name(line);
        self.deliver_reports(0);
        self.test_name = name.clone();
        match action.as_str() {
            // Only there to say whose output follows.
            "name" => {}
            // The line first, so the test does not seem to print after it
            // paused.
            "pause" => {
                self.output(line);
                self.events.push(event(Action::Pause, name));
            }
            other => {
                self.events.push(event(Action::parse(other), name));
                self.output(line);
            }
        }
    }

    /// A `--- RESULT: Name (0.01s)` line at `depth`.
    fn report(&mut self, line: &str, unindented: &str, depth: usize) {
        let (action, mut name) = action_and_name(unindented);
        let mut elapsed = None;
        if let Some(full) = &name
            && let Some(at) = full.find(" (")
        {
            elapsed = full
                .strip_suffix("s)")
                .and_then(|f| f.get(at + 2..))
                .and_then(|t| t.parse::<f64>().ok());
            name = Some(full[..at].to_owned()).filter(|n| !n.is_empty());
        }
        if self.reports.len() < depth {
            // Nested deeper than any test running: plain output.
            self.output(line);
            return;
        }
        self.deliver_reports(depth);
        self.test_name = name.clone();
        self.reports.push(Event {
            elapsed,
            ..event(Action::parse(&action), name)
        });
        self.output(line);
    }

    /// Delivers the pending reports at `depth` and deeper, deepest first.
    fn deliver_reports(&mut self, depth: usize) {
        self.test_name = None;
        while self.reports.len() > depth {
            let report = self.reports.pop().expect("longer than depth");
            self.events.push(report);
        }
    }

    fn output(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.events.push(Event {
            action: Action::Output,
            test: self.test_name.clone(),
            elapsed: None,
            output: Some(text.to_owned()),
        });
    }
}

fn event(action: Action, test: Option<String>) -> Event {
    Event {
        action,
        test,
        elapsed: None,
        output: None,
    }
}

/// `("run", Some("TestA"))` from `=== RUN   TestA` or `--- PASS: TestA`
/// (the name still carrying a report's elapsed time).
fn action_and_name(line: &str) -> (String, Option<String>) {
    let body = line.get("=== ".len()..).unwrap_or_default();
    let (action, name) = body.split_once(' ').unwrap_or((body, ""));
    let action = action.strip_suffix(':').unwrap_or(action).to_lowercase();
    let name = name.trim();
    (action, (!name.is_empty()).then(|| name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmarked_framing_is_output() {
        let events =
            parse_framed("\u{16}=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n");
        assert_eq!(events[0].action, Action::Run);
        assert!(
            events[1..]
                .iter()
                .all(|e| e.action == Action::Output && e.test.as_deref() == Some("TestA"))
        );
    }

    #[test]
    fn a_marker_mid_line_ends_the_line_before_it() {
        let events = parse_framed(
            "\u{16}=== RUN   TestA\nno newline\u{16}--- FAIL: TestA (0.25s)\n\u{16}FAIL\n",
        );
        let actions: Vec<Action> = events.iter().map(|e| e.action).collect();
        assert_eq!(
            actions,
            [
                Action::Run,
                Action::Output,
                Action::Output,
                Action::Output,
                Action::Fail,
                Action::Output,
                Action::Fail
            ]
        );
        assert_eq!(events[2].output.as_deref(), Some("no newline"));
        assert_eq!(events[4].test.as_deref(), Some("TestA"));
        assert_eq!(events[4].elapsed, Some(0.25));
        assert_eq!(events[6].test, None);
    }
}
