//! The batch summary: how many submissions got each status, overall and per
//! exercise, and the ones that did not pass. Plain text for a CI log.
//!
//! The CI workflow in `deploy/github-actions` pastes this text into the
//! job's Markdown summary inside a ```` ``` ```` fence, and a file name or a
//! summary can carry the candidate's text (a batch's file names are the
//! candidates', a compile error's summary quotes their code). Every line is
//! therefore gograde's own from its first character: candidate text is put
//! on one line with its control characters made visible, so it can never
//! begin a line, close the fence and be read as Markdown.
//!
//! Built to stream: a [`Tally`] (a few counters per exercise, whatever the
//! batch size) is filled verdict by verdict, the table is rendered from it,
//! and the "not passed" lines are rendered one verdict at a time.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::terminal;
use crate::verdict::{Status, Verdict};

/// Counts of each status per exercise.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    by_exercise: BTreeMap<String, [usize; Status::ALL.len()]>,
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
            row[v.status.index()] += 1;
        }
    }

    /// Verdicts with this status, over every exercise.
    pub fn count(&self, status: Status) -> usize {
        self.by_exercise
            .values()
            .map(|row| row[status.index()])
            .sum()
    }

    /// Verdicts counted.
    pub fn total(&self) -> usize {
        self.by_exercise.values().flatten().sum()
    }

    /// Verdicts that did not pass.
    pub fn not_passed(&self) -> usize {
        Status::ALL
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
    for s in Status::ALL {
        let _ = write!(out, " {:>13}", s.as_str());
    }
    let _ = writeln!(out, " {:>7}", "total");
    let mut all = [0usize; Status::ALL.len()];
    let mut row = |name: &str, counts: &[usize; Status::ALL.len()]| {
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
            one_line(&v.submission.path),
            one_line(&v.summary)
        )
    })
}

/// `text` on one line: control characters shown as the terminal report
/// shows them, and a line break as `\n`.
fn one_line(text: &str) -> String {
    terminal::escape(text).replace('\n', "\\n")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(path: &str, status: Status, summary: &str) -> Verdict {
        let mut v: Verdict = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "tool_version": "0", "exercise": "reverse",
            "submission": {"path": "a.go", "sha256": "00", "bytes": 1},
            "status": "pass", "summary": "", "score": {"earned": 1, "possible": 2},
            "followups": {"earned": 0, "possible": 0}, "tests": [], "races": [],
            "compile_errors": [], "notes": [], "hints": [], "limits": {"timeout_s": 1.0,
            "memory_mib": 1, "max_tasks": 1, "file_size_mib": 1, "output_kib": 1, "source_kib": 1},
            "sandbox": {"network": "isolated", "filesystem": "isolated", "processes": "isolated"},
            "timings_ms": {"stage": 0, "compile": 0, "run": 0, "total": 5}, "go_version": "go"
        }))
        .unwrap();
        v.submission.path = path.into();
        v.status = status;
        v.summary = summary.into();
        v
    }

    /// File names and summaries a candidate chose to escape the workflow's
    /// fence and write Markdown into the job summary.
    const HOSTILE: &str = "x\n```\n# **PASS** 20/20\n![p](https://evil.example/p.png) <img src=x onerror=alert(1)> [ok](https://evil.example) | a | b |\r\n~~~\n\u{1b}[2J";

    #[test]
    fn candidate_text_stays_inside_the_workflows_fence() {
        let verdicts = [
            verdict(HOSTILE, Status::CompileError, HOSTILE),
            verdict("fine.go", Status::Fail, "Fails."),
            verdict("ok.go", Status::Pass, HOSTILE),
        ];
        let text = render(&verdicts);
        // Two candidate lines (the passing one is not listed), each whole.
        assert_eq!(text.matches("evil.example/p.png").count(), 2, "{text}");
        for line in text.lines().filter(|l| l.contains("evil")) {
            assert!(line.starts_with("  compile_error "), "{line:?}");
            assert!(!line.contains('\u{1b}') && !line.contains('\r'), "{line:?}");
        }
        // As `deploy/github-actions/grade.yml` writes it: one code block,
        // holding every line, and nothing else.
        let markdown = format!("```\n{text}```\n");
        let events: Vec<_> =
            pulldown_cmark::Parser::new_ext(&markdown, pulldown_cmark::Options::all()).collect();
        use pulldown_cmark::{Event, Tag, TagEnd};
        assert!(
            matches!(events.first(), Some(Event::Start(Tag::CodeBlock(_)))),
            "{events:?}"
        );
        assert!(
            matches!(events.last(), Some(Event::End(TagEnd::CodeBlock))),
            "{events:?}"
        );
        let inside: String = events[1..events.len() - 1]
            .iter()
            .map(|e| match e {
                Event::Text(t) => t.to_string(),
                other => panic!("only text inside the fence, got {other:?}"),
            })
            .collect();
        assert_eq!(inside, text);
    }
}
