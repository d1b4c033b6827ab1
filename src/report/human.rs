//! Human reporter: a status line, a per-category table, each failing test
//! with expected and actual side by side, races trimmed to the candidate's
//! own lines, follow-ups, notes and the questions to ask next.

use std::fmt::Write;

use crate::core::diff;
use crate::verdict::{Category, RaceOp, Status, TestStatus, Verdict};

/// ANSI styling that can be switched off.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn code(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.code("1", t)
    }
    fn red(&self, t: &str) -> String {
        self.code("1;31", t)
    }
    fn green(&self, t: &str) -> String {
        self.code("1;32", t)
    }
    fn yellow(&self, t: &str) -> String {
        self.code("33", t)
    }
    fn dim(&self, t: &str) -> String {
        self.code("2", t)
    }
}

/// Renders one verdict for a person, on a terminal: every text the
/// candidate could have influenced is escaped first. One section after
/// another, each left out when it has nothing to say.
pub fn render(v: &Verdict, color: bool) -> String {
    let safe = super::terminal::sanitize(v);
    let v = &safe;
    let p = Paint(color);
    let mut out = String::new();
    let sections: [fn(&mut String, &Verdict, Paint); 7] = [
        status_line,
        compile_errors,
        category_table,
        failing_tests,
        races,
        followups,
        notes_questions_and_footer,
    ];
    for section in sections {
        section(&mut out, v, p);
    }
    out
}

/// The status, exercise, file and score, then the summary.
fn status_line(out: &mut String, v: &Verdict, p: Paint) {
    // "COMPILE ERROR", as the page says it.
    let label = v.status.as_str().to_uppercase().replace('_', " ");
    let label = if v.status.is_success() {
        p.green(&label)
    } else {
        p.red(&label)
    };
    // Nothing ran (a compile error, a rejection): 0/0 would read as a grade.
    let score = if v.score.possible > 0 {
        format!("  score {}/{}", v.score.earned, v.score.possible)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{label}  {}  {}{score}",
        p.bold(&v.exercise),
        v.submission.path,
    );
    let _ = writeln!(out, "{}", v.summary);
}

/// Each compile error at its place, with the line it points at.
fn compile_errors(out: &mut String, v: &Verdict, p: Paint) {
    if !v.compile_errors.is_empty() {
        let _ = writeln!(out, "\n{}", p.bold("Compile errors"));
        for e in &v.compile_errors {
            let place = if e.line > 0 {
                format!("{}:{}:{}", e.file, e.line, e.column)
            } else {
                e.file.clone()
            };
            let _ = writeln!(out, "  {place}: {}", e.message.replace('\n', "\n      "));
            if let Some(line) = &e.source {
                let _ = writeln!(out, "      {}", p.dim(line));
            }
        }
    }
}

/// Tests passed and points earned per category.
fn category_table(out: &mut String, v: &Verdict, _: Paint) {
    if !v.tests.is_empty() {
        let _ = writeln!(
            out,
            "\n  {:<12} {:>7} {:>8}",
            "category", "passed", "points"
        );
        for category in Category::ALL {
            let of: Vec<_> = v.tests.iter().filter(|t| t.category == category).collect();
            if of.is_empty() {
                continue;
            }
            let passed = of.iter().filter(|t| t.status.is_success()).count();
            let points = if category == Category::Followup {
                "-".to_owned()
            } else {
                format!(
                    "{}/{}",
                    of.iter().map(|t| t.earned).sum::<u32>(),
                    of.iter().map(|t| t.points).sum::<u32>()
                )
            };
            let _ = writeln!(
                out,
                "  {:<12} {:>7} {:>8}",
                category.as_str(),
                format!("{passed}/{}", of.len()),
                points
            );
        }
    }
}

/// Each failing test that counts: its message, where in the candidate's
/// code it stopped, and expected against actual.
fn failing_tests(out: &mut String, v: &Verdict, p: Paint) {
    let failing: Vec<_> = v
        .tests
        .iter()
        .filter(|t| {
            matches!(
                t.status,
                TestStatus::Fail | TestStatus::Error | TestStatus::Timeout
            )
        })
        .filter(|t| t.category != Category::Followup)
        .collect();
    for t in failing {
        let _ = writeln!(
            out,
            "\n{} {}  [{}] {}",
            p.red("✗"),
            p.bold(&t.name),
            t.category.as_str(),
            p.dim(&t.description)
        );
        // With the candidate's frame at hand, the stack it came from (the
        // kit's and the harness's frames around it) says nothing more.
        let stack_at = t
            .frame
            .as_ref()
            .and_then(|_| t.message.lines().position(is_stack_header))
            .unwrap_or(usize::MAX);
        for line in t.message.lines().take(8.min(stack_at)) {
            let _ = writeln!(out, "    {line}");
        }
        if let Some(f) = &t.frame {
            let within = if f.function.is_empty() {
                String::new()
            } else {
                format!(" in {}", f.function)
            };
            let _ = writeln!(out, "    at {}:{}{within}", short(&f.file), f.line);
            if let Some(line) = &f.source {
                let _ = writeln!(out, "        {}", p.dim(line));
            }
        }
        if let (Some(e), Some(a)) = (&t.expected, &t.actual) {
            // Decoded values can hold control characters again.
            for line in diff::explain(t.value_kind.as_deref(), e, a) {
                let _ = writeln!(out, "    {}", super::terminal::escape(&line));
            }
        }
    }
}

/// Each race as the verdict groups it, with the candidate's frames.
fn races(out: &mut String, v: &Verdict, p: Paint) {
    for race in &v.races {
        // The verdict's group as it is: its tests and its count.
        let seen = race.seen_in_words();
        let seen = if seen.is_empty() {
            seen
        } else {
            format!(" {seen}")
        };
        let _ = writeln!(out, "\n{}{seen}", p.red("Data race"));
        for access in &race.accesses {
            let op = match access.op {
                RaceOp::Read => "read",
                RaceOp::Write => "write",
            };
            let when = if access.previous { "earlier " } else { "" };
            let _ = writeln!(out, "  {when}{op} by goroutine {}:", access.goroutine);
            let own: Vec<_> = access.frames.iter().filter(|f| f.candidate).collect();
            let shown = if own.is_empty() {
                access.frames.iter().take(2).collect()
            } else {
                own
            };
            for f in shown {
                let source = f
                    .source
                    .as_deref()
                    .map(|line| format!("    {}", p.dim(line)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "    {}  {}:{}{source}",
                    f.function,
                    short(&f.file),
                    f.line
                );
            }
        }
    }
}

/// The follow-ups the candidate attempted, or that none were.
fn followups(out: &mut String, v: &Verdict, p: Paint) {
    let followups: Vec<_> = v
        .tests
        .iter()
        .filter(|t| t.category == Category::Followup)
        .collect();
    if !followups.is_empty() {
        let attempted: Vec<_> = followups
            .iter()
            .filter(|t| t.status != TestStatus::Skip)
            .collect();
        if attempted.is_empty() {
            let _ = writeln!(out, "\n{} not attempted", p.bold("Follow-ups:"));
        } else {
            let _ = writeln!(out, "\n{}", p.bold("Follow-ups attempted"));
            for t in attempted {
                let mark = if t.status.is_success() {
                    p.green("✓")
                } else {
                    p.yellow("✗")
                };
                let _ = writeln!(out, "  {mark} {}  {}", t.name, p.dim(&t.description));
                if !t.status.is_success() && !t.message.is_empty() {
                    let _ = writeln!(out, "      {}", t.message.lines().next().unwrap_or(""));
                }
            }
        }
    }
}

/// Notes, the questions to ask next, and the toolchain, timings and
/// sandbox.
fn notes_questions_and_footer(out: &mut String, v: &Verdict, p: Paint) {
    if !v.notes.is_empty() {
        let _ = writeln!(out, "\n{}", p.bold("Notes"));
        for n in &v.notes {
            let _ = writeln!(out, "  - {}", n.message);
        }
    }
    if !v.hints.is_empty() && v.status != Status::Error {
        let _ = writeln!(out, "\n{}", p.bold("Ask next"));
        for h in &v.hints {
            let _ = writeln!(out, "  ? {h}");
        }
    }
    let mut footer = format!(
        "\n{} · compile {} ms · run {} ms · total {} ms",
        v.go_version, v.timings_ms.compile, v.timings_ms.run, v.timings_ms.total
    );
    if v.sandbox.network != "not_run" {
        footer.push_str(&format!(
            " · network {}, files {}, processes {}",
            v.sandbox.network, v.sandbox.filesystem, v.sandbox.processes
        ));
    }
    let _ = writeln!(out, "{}", p.dim(&footer));
}

/// `goroutine 7 [running]:`, where a Go stack trace starts.
fn is_stack_header(line: &str) -> bool {
    line.starts_with("goroutine ") && line.trim_end().ends_with("]:")
}

fn short(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
