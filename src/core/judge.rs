//! Turns what a grading run observed into a verdict: per-test results with
//! reasons, races, score, status, a one-sentence summary and the questions
//! to ask next. Pure: no process, no file.

use std::collections::{BTreeMap, BTreeSet};

use crate::core::collect::{self, Failure};
use crate::core::{race, stack};
use crate::exercise::Exercise;
use crate::verdict::{
    Category, CompileError, Limits, Note, Race, SCHEMA_VERSION, SandboxInfo, Score, Status,
    SubmissionInfo, TestResult, TestStatus, Timings, Verdict,
};

/// How one test ended, as the engine resolved it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedTest {
    pub status: TestStatus,
    pub duration_ms: u64,
    /// Everything the test printed, for display.
    pub output: String,
    /// The structured failures the harness sent for it (authenticated).
    pub failures: Vec<Failure>,
    /// Why it has no ordinary result (crash, timeout, never ran).
    pub reason: Option<String>,
}

/// Everything observed about one submission.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub submission: Option<SubmissionInfo>,
    /// Set when the run ended before tests (rejected, compile error, error).
    pub early: Option<(Status, String)>,
    pub compile_errors: Vec<CompileError>,
    pub tests: BTreeMap<String, ResolvedTest>,
    /// Output not attributed to any test (init, crashes outside tests).
    pub package_output: String,
    /// Follow-up symbols the candidate declared.
    pub followups_declared: BTreeSet<String>,
    /// Follow-up symbols declared with the wrong shape, and why.
    pub followups_broken: BTreeMap<String, String>,
    pub notes: Vec<Note>,
    /// Imports of the candidate's file, for import notes.
    pub imports: Vec<String>,
    /// `go vet` findings in the candidate's file, when the exercise asks.
    pub vet: Option<Vec<crate::core::diagnostics::Diagnostic>>,
    /// A failure the test binary reported outside every test (a race or a
    /// crash after the tests ended).
    pub outside_failure: Option<String>,
    /// The candidate's source as submitted (race frames show its lines).
    pub source: String,
    /// The harness that judged, once one was staged.
    pub harness: Option<crate::verdict::HarnessInfo>,
    /// The wall-time limit ended the run.
    pub wall_timeout: bool,
    /// The file name the compiler and runtime use for the candidate's code.
    pub candidate_file: String,
    pub limits: Option<Limits>,
    pub sandbox: Option<SandboxInfo>,
    pub timings: Timings,
    pub go_version: String,
}

/// Builds the verdict for `exercise` from `evidence`. About a hundred
/// lines: one field of the verdict after another, in the schema's order.
pub fn judge(exercise: &Exercise, evidence: &Evidence) -> Verdict {
    let mut races: Vec<Race> = Vec::new();
    let mut tests = Vec::new();
    // Race reports with no frame in the candidate's code are counted in a
    // note, never as a grader fault: the candidate can print one.
    let mut harness_races = 0;
    if evidence.early.is_none() {
        for spec in &exercise.meta.tests {
            let result = judge_test(exercise, spec, evidence);
            if let Some(resolved) = evidence.tests.get(&spec.name) {
                for mut race in race::parse_races(&resolved.output, &evidence.candidate_file) {
                    if !race::involves_candidate(&race) {
                        harness_races += 1;
                        continue;
                    }
                    race.test = Some(spec.name.clone());
                    races.push(race);
                }
            }
            tests.push(result);
        }
        for race in race::parse_races(&evidence.package_output, &evidence.candidate_file) {
            if race::involves_candidate(&race) {
                races.push(race);
            } else {
                harness_races += 1;
            }
        }
        if let Some(findings) = &evidence.vet {
            tests.push(vet_result(findings, evidence));
        }
    }
    let mut races = race::group(races);
    race::annotate(&mut races, &evidence.source);
    let grader_faults = tests
        .iter()
        .filter(|t| t.message.starts_with(GRADER_FAULT))
        .count();
    let score = score_of(&tests, |c| c != Category::Followup);
    let followups = score_of(&tests, |c| c == Category::Followup);
    let (status, summary) = match &evidence.early {
        Some((status, summary)) => (*status, summary.clone()),
        None => match decide(&tests, &races, evidence.wall_timeout) {
            (Status::Pass, summary) => match &evidence.outside_failure {
                Some(why) => (Status::Fail, format!("Fails: {why}.")),
                None => (Status::Pass, summary),
            },
            // A verdict the harness's own races spoiled is not the
            // candidate's to carry.
            _ if grader_faults > 0 => (
                Status::Error,
                format!(
                    "Not judged: the harness failed {grader_faults} test(s) without saying why, in two runs each: a grader fault (please report it)."
                ),
            ),
            decided => decided,
        },
    };
    // Questions about the exercise make sense once the code has run.
    let hints = match status {
        Status::CompileError | Status::Rejected | Status::Error => Vec::new(),
        Status::Pass | Status::Fail | Status::Timeout => hints_for(exercise, &tests, evidence),
    };
    let mut notes = Vec::new();
    if harness_races > 0 {
        notes.push(Note {
            kind: crate::verdict::NoteKind::Grader,
            // Usually a harness bug; but a value receiver's copy or an
            // inlined call can also hide the candidate's frame, so the
            // note claims no more than what the report shows.
            message: format!("{harness_races} data race report(s) showed no frame of your code and were not counted on their own"),
        });
    }
    for finding in evidence.vet.iter().flatten() {
        notes.push(Note {
            kind: crate::verdict::NoteKind::Vet,
            message: format!("go vet, line {}: {}", finding.line, finding.message),
        });
    }
    for note in &exercise.meta.import_notes {
        if evidence.imports.iter().any(|i| i == &note.import) {
            notes.push(Note {
                kind: crate::verdict::NoteKind::Followup,
                message: note.note.clone(),
            });
        }
    }
    assemble(
        exercise.id(),
        evidence,
        Judged {
            status,
            summary,
            score,
            followups,
            tests,
            races,
            notes,
            hints,
        },
    )
}

/// A verdict for a submission that never reached an exercise's tests
/// (unreadable, no exercise found): `evidence.early` says why.
pub fn not_graded(exercise_id: &str, evidence: &Evidence) -> Verdict {
    let (status, summary) = evidence
        .early
        .clone()
        .unwrap_or((Status::Error, "Not graded.".into()));
    assemble(
        exercise_id,
        evidence,
        Judged {
            status,
            summary,
            score: Score::default(),
            followups: Score::default(),
            tests: Vec::new(),
            races: Vec::new(),
            notes: Vec::new(),
            hints: Vec::new(),
        },
    )
}

/// What judging concluded, beside what the evidence carries as is.
struct Judged {
    status: Status,
    summary: String,
    score: Score,
    followups: Score,
    tests: Vec<TestResult>,
    races: Vec<Race>,
    /// Notes judging added after the evidence's own.
    notes: Vec<Note>,
    hints: Vec<String>,
}

fn assemble(exercise_id: &str, evidence: &Evidence, judged: Judged) -> Verdict {
    let mut notes = evidence.notes.clone();
    notes.extend(judged.notes);
    Verdict {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        exercise: exercise_id.to_owned(),
        submission: evidence.submission.clone().unwrap_or(SubmissionInfo {
            path: String::new(),
            sha256: String::new(),
            bytes: 0,
        }),
        status: judged.status,
        summary: judged.summary,
        score: judged.score,
        followups: judged.followups,
        tests: judged.tests,
        races: judged.races,
        compile_errors: with_source_lines(&evidence.compile_errors, &evidence.source),
        notes,
        hints: judged.hints,
        limits: evidence.limits.clone().unwrap_or_default(),
        sandbox: evidence
            .sandbox
            .clone()
            .unwrap_or_else(SandboxInfo::not_run),
        timings_ms: evidence.timings,
        go_version: evidence.go_version.clone(),
        harness: evidence.harness.clone(),
    }
}

/// The compile errors, each with the candidate's line it points at (as
/// race frames carry theirs), so a reader sees the code beside the message.
fn with_source_lines(errors: &[CompileError], source: &str) -> Vec<CompileError> {
    errors
        .iter()
        .map(|e| CompileError {
            source: stack::source_line(source, e.line),
            ..e.clone()
        })
        .collect()
}

/// One test's verdict entry from its resolved run and its spec. About a
/// hundred lines: the status, the message (its own failure record, a
/// race, a panic or the reason it did not run), points, frame and values,
/// each from the evidence in that order of precedence.
fn judge_test(
    exercise: &Exercise,
    spec: &crate::exercise::TestSpec,
    evidence: &Evidence,
) -> TestResult {
    let mut result = TestResult {
        name: spec.name.clone(),
        category: spec.category,
        status: TestStatus::Error,
        points: spec.points,
        earned: 0,
        duration_ms: 0,
        description: spec.summary.clone(),
        message: String::new(),
        expected: None,
        actual: None,
        value_kind: None,
        output: None,
        hint: None,
        frame: None,
    };
    if let Some(symbol) = &spec.requires {
        if let Some(why) = evidence.followups_broken.get(symbol) {
            result.status = TestStatus::Fail;
            result.message = why.clone();
            return result;
        }
        if !evidence.followups_declared.contains(symbol) {
            result.status = TestStatus::Skip;
            result.message = format!("follow-up not attempted: no {symbol} in the file");
            return result;
        }
    }
    let Some(resolved) = evidence.tests.get(&spec.name) else {
        result.message =
            "no result: the test never reported (the grader does not count it as passed)".into();
        let _ = exercise;
        return result;
    };
    result.status = resolved.status;
    result.duration_ms = resolved.duration_ms;
    match resolved.status {
        TestStatus::Pass => {
            result.earned = spec.points;
            return result;
        }
        TestStatus::Skip => {
            result.message = resolved.reason.clone().unwrap_or_else(|| "skipped".into());
            return result;
        }
        TestStatus::Fail | TestStatus::Error | TestStatus::Timeout => {}
    }
    let structured = &resolved.failures;
    // Which races a report names is display only: nothing printed can
    // raise, void or excuse a result (a grader fault comes from the
    // runner's authenticated, confirmed facts).
    let races: Vec<Race> = race::parse_races(&resolved.output, &evidence.candidate_file)
        .into_iter()
        .filter(race::involves_candidate)
        .collect();
    if let Some(first) = structured.first() {
        result.message = first.message.clone();
        if structured.len() > 1 {
            result
                .message
                .push_str(&format!(" (and {} more)", structured.len() - 1));
        }
        result.expected = first.expected.clone();
        result.actual = first.actual.clone();
        result.value_kind = first.kind.clone();
        result.hint = structured.iter().find_map(|f| f.hint.clone());
    }
    if let Some(race) = races.first() {
        if result.message.is_empty() {
            result.message = race.summary.clone();
        } else {
            result.message = format!("{}; {}", race.summary, result.message);
        }
    }
    if let Some(reason) = &resolved.reason {
        result.message = if result.message.is_empty() {
            reason.clone()
        } else {
            format!("{reason}; {}", result.message)
        };
    }
    if result.message.is_empty() {
        let readable = collect::readable_output(&resolved.output);
        result.message = readable
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("failed without a message")
            .to_owned();
    }
    if result.hint.is_none() {
        result.hint = spec.hint.clone();
    }
    result.frame = failure_frame(structured, &resolved.output, evidence);
    result.message = clip(&result.message, MESSAGE_KEEP);
    let readable = collect::readable_output(&resolved.output);
    if !readable.trim().is_empty() {
        result.output = Some(clip(&readable, OUTPUT_KEEP));
    }
    result
}

/// The candidate's line a failure points at: the first frame in the
/// candidate's file of a stack the kit sent (a recovered panic, a
/// deadlock's blocked goroutines), else of the runtime's crash report in
/// the output. Read before messages are clipped, so a long stack keeps it.
fn failure_frame(
    failures: &[Failure],
    output: &str,
    evidence: &Evidence,
) -> Option<crate::verdict::Frame> {
    let file = &evidence.candidate_file;
    let mut frame = failures
        .iter()
        .find_map(|f| stack::candidate_frame(&f.message, file))
        .or_else(|| stack::crash_frame(output, file))?;
    frame.source = stack::source_line(&evidence.source, frame.line);
    Some(frame)
}

/// Bytes of a test's output kept at each end: enough to see what it
/// printed, bounded whatever it printed (the verdict stays small).
pub const OUTPUT_KEEP: usize = 2048;
/// Bytes of a failure message kept at each end.
const MESSAGE_KEEP: usize = 1024;

/// `text` with at most `keep` bytes kept at each end and the middle
/// replaced by a marker saying how much was dropped.
pub fn clip(text: &str, keep: usize) -> String {
    if text.len() <= 2 * keep + 64 {
        return text.to_owned();
    }
    let mut head = keep;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - keep;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!(
        "{}\n[gograde: {} bytes dropped here]\n{}",
        &text[..head],
        tail - head,
        &text[tail..]
    )
}

/// How a test failed by the harness itself is marked.
const GRADER_FAULT: &str = "grader fault";

/// Name of the synthetic robustness test fed by `go vet`.
pub const VET_TEST: &str = "GoVet";

fn vet_result(
    findings: &[crate::core::diagnostics::Diagnostic],
    evidence: &Evidence,
) -> TestResult {
    let clean = findings.is_empty();
    // Findings are in the candidate's file already; named as the runtime
    // names it, never by the staged folder.
    let frame = findings.first().map(|d| crate::verdict::Frame {
        function: String::new(),
        file: evidence.candidate_file.clone(),
        line: d.line,
        candidate: true,
        source: stack::source_line(&evidence.source, d.line),
    });
    TestResult {
        name: VET_TEST.into(),
        category: Category::Robustness,
        status: if clean {
            TestStatus::Pass
        } else {
            TestStatus::Fail
        },
        points: 1,
        earned: u32::from(clean),
        duration_ms: 0,
        description: "go vet finds nothing (copied locks, misused printf verbs, ...)".into(),
        message: findings
            .iter()
            .map(|d| format!("line {}: {}", d.line, d.message))
            .collect::<Vec<_>>()
            .join("; "),
        expected: None,
        actual: None,
        value_kind: None,
        output: None,
        hint: None,
        frame,
    }
}

fn score_of(tests: &[TestResult], include: impl Fn(Category) -> bool) -> Score {
    tests
        .iter()
        .filter(|t| include(t.category))
        .fold(Score::default(), |s, t| Score {
            earned: s.earned + t.earned,
            possible: s.possible + t.points,
        })
}

fn decide(tests: &[TestResult], races: &[Race], wall_timeout: bool) -> (Status, String) {
    let core: Vec<&TestResult> = tests
        .iter()
        .filter(|t| t.category == Category::Core)
        .collect();
    let core_failed: Vec<&TestResult> = core
        .iter()
        .copied()
        .filter(|t| !t.status.is_success())
        .collect();
    let others = |category: Category| {
        let of: Vec<_> = tests.iter().filter(|t| t.category == category).collect();
        let passed = of.iter().filter(|t| t.status.is_success()).count();
        (passed, of.len())
    };
    let mut extras = Vec::new();
    for category in [
        Category::Robustness,
        Category::Performance,
        Category::Followup,
    ] {
        let (passed, total) = others(category);
        if total > 0 {
            let attempted = tests
                .iter()
                .filter(|t| t.category == category && t.status != TestStatus::Skip)
                .count();
            if category == Category::Followup && attempted == 0 {
                extras.push("follow-ups not attempted".to_owned());
            } else {
                extras.push(format!("{} {passed}/{total}", category.as_str()));
            }
        }
    }
    let extras = extras.join(", ");
    let core_timed_out = core_failed.iter().any(|t| t.status == TestStatus::Timeout);
    if core_failed.is_empty() && races.is_empty() {
        return (
            Status::Pass,
            format!("All {} core tests pass ({extras}).", core.len()),
        );
    }
    if wall_timeout && core_timed_out {
        return (
            Status::Timeout,
            format!(
                "The time limit was reached before the core tests finished; {} of {} core tests did not pass.",
                core_failed.len(),
                core.len()
            ),
        );
    }
    let mut reasons = Vec::new();
    if !core_failed.is_empty() {
        let names: Vec<&str> = core_failed.iter().map(|t| t.description.as_str()).collect();
        reasons.push(format!(
            "{} of {} core tests fail ({})",
            core_failed.len(),
            core.len(),
            names.join("; ")
        ));
    }
    if !races.is_empty() {
        reasons.push(format!(
            "{} data race{} detected",
            races.len(),
            if races.len() == 1 { "" } else { "s" }
        ));
    }
    (
        Status::Fail,
        format!("{} ({extras}).", capitalise(&reasons.join("; "))),
    )
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn hints_for(exercise: &Exercise, tests: &[TestResult], evidence: &Evidence) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    let mut push = |h: &str| {
        if !h.is_empty() && !hints.iter().any(|x| x == h) {
            hints.push(h.to_owned());
        }
    };
    for test in tests {
        let failed = matches!(
            test.status,
            TestStatus::Fail | TestStatus::Error | TestStatus::Timeout
        );
        if failed && let Some(h) = &test.hint {
            push(h);
        }
    }
    for note in &exercise.meta.import_notes {
        if evidence.imports.iter().any(|i| i == &note.import)
            && let Some(h) = &note.hint
        {
            push(h);
        }
    }
    for h in &exercise.meta.hints {
        push(h);
    }
    hints
}

#[cfg(test)]
mod tests {
    #[test]
    fn clip_keeps_both_ends_and_counts_the_gap() {
        let text = format!("{}{}{}", "a".repeat(100), "é".repeat(1000), "z".repeat(100));
        let clipped = super::clip(&text, 100);
        assert!(clipped.starts_with(&"a".repeat(100)), "{clipped}");
        assert!(clipped.ends_with(&"z".repeat(100)), "{clipped}");
        assert!(
            clipped.contains("[gograde: 2000 bytes dropped here]"),
            "{clipped}"
        );
        assert_eq!(super::clip("short", 100), "short");
    }
}
