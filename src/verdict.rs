//! The verdict: the stable, serialisable description of one graded
//! submission (schema version 1). Everything a report shows comes from here.

use serde::{Deserialize, Serialize};

/// Version of the verdict JSON layout; bumped only for breaking changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Overall outcome of grading one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Every core test passed, no data race, nothing timed out in core.
    Pass,
    /// It ran, and something in core failed or raced.
    Fail,
    /// It does not build, including a wrong signature.
    CompileError,
    /// Refused before running (size, encoding, forbidden import).
    Rejected,
    /// The wall-time limit was hit before the core tests finished.
    Timeout,
    /// The grader itself could not judge.
    Error,
}

impl Status {
    /// Every status, in the order reports list them (the batch summary's
    /// columns, the metrics' lines): the one list of them, so a new status
    /// is added here and nowhere else.
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::CompileError,
        Status::Rejected,
        Status::Timeout,
        Status::Error,
    ];

    /// This status's place in [`Status::ALL`], for tables of counts
    /// indexed by status.
    pub fn index(self) -> usize {
        // Declaration order is ALL's order (a test holds them together).
        self as usize
    }

    /// Whether this status counts as a passing grade (exit code 0).
    pub fn is_success(self) -> bool {
        match self {
            Status::Pass => true,
            Status::Fail
            | Status::CompileError
            | Status::Rejected
            | Status::Timeout
            | Status::Error => false,
        }
    }

    /// The snake_case word used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::CompileError => "compile_error",
            Status::Rejected => "rejected",
            Status::Timeout => "timeout",
            Status::Error => "error",
        }
    }
}

/// Outcome of one harness test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TestStatus {
    Pass,
    Fail,
    Skip,
    /// The test started and never finished: the binary crashed under it.
    Error,
    Timeout,
}

impl TestStatus {
    /// Whether the test earned its points.
    pub fn is_success(self) -> bool {
        match self {
            TestStatus::Pass => true,
            TestStatus::Fail | TestStatus::Skip | TestStatus::Error | TestStatus::Timeout => false,
        }
    }

    /// The snake_case word used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Pass => "pass",
            TestStatus::Fail => "fail",
            TestStatus::Skip => "skip",
            TestStatus::Error => "error",
            TestStatus::Timeout => "timeout",
        }
    }
}

/// What a test checks; decides whether it counts towards the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The exercise as asked: all must pass for the verdict to pass.
    Core,
    /// Edge cases a senior engineer handles.
    Robustness,
    Performance,
    /// The interview's follow-up questions, reported apart from the score.
    Followup,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Core,
        Category::Robustness,
        Category::Performance,
        Category::Followup,
    ];

    /// The snake_case word used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Core => "core",
            Category::Robustness => "robustness",
            Category::Performance => "performance",
            Category::Followup => "followup",
        }
    }
}

/// The whole verdict for one submission.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verdict {
    pub schema_version: u32,
    pub tool_version: String,
    pub exercise: String,
    pub submission: SubmissionInfo,
    pub status: Status,
    pub summary: String,
    pub score: Score,
    /// Follow-up tests, counted apart from `score`.
    pub followups: Score,
    pub tests: Vec<TestResult>,
    pub races: Vec<Race>,
    pub compile_errors: Vec<CompileError>,
    pub notes: Vec<Note>,
    /// Questions for the interviewer to ask next.
    pub hints: Vec<String>,
    pub limits: Limits,
    pub sandbox: SandboxInfo,
    pub timings_ms: Timings,
    pub go_version: String,
    /// What judged: the seed of the harness's per-run random inputs
    /// (`--seed` reproduces the run) and the sha256 of the harness staged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harness: Option<HarnessInfo>,
}

/// The harness a verdict was judged by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarnessInfo {
    pub seed: u64,
    pub sha256: String,
}

/// Which file was graded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmissionInfo {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Points earned out of points possible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub earned: u32,
    pub possible: u32,
}

/// One harness test's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestResult {
    pub name: String,
    pub category: Category,
    pub status: TestStatus,
    /// Points this test is worth.
    pub points: u32,
    /// Points earned (all or nothing).
    pub earned: u32,
    pub duration_ms: u64,
    /// What the test checks, in words.
    pub description: String,
    /// Why it did not pass; empty when it passed.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub actual: Option<String>,
    /// How to compare `expected` and `actual`: string, json or text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value_kind: Option<String>,
    /// Captured output of the test, when it did not pass.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub output: Option<String>,
    /// The interviewer question this failure suggests.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hint: Option<String>,
    /// The candidate's line this failure points at, with its source: where
    /// a panic was raised, where a goroutine of a deadlock is blocked, or
    /// go vet's first finding. Reports mark it as they mark a race's lines.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub frame: Option<Frame>,
}

/// A data race reported by the race detector: one group of its reports,
/// those about the same candidate lines (`core::race::group`). The grouping
/// is made once, here in the verdict; every report and the page show these
/// entries as they are, so all of them count the same races.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Race {
    /// The first report's description.
    pub summary: String,
    /// The test of the first report (the first of `tests`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub test: Option<String>,
    /// Every test a report of this group came from, in the order first
    /// seen; empty when the reports came from outside any test.
    #[serde(default)]
    pub tests: Vec<String>,
    /// How many reports the detector printed for this pair of candidate
    /// lines (grouped into this one entry).
    #[serde(default = "one")]
    pub count: u32,
    pub accesses: Vec<RaceAccess>,
}

fn one() -> u32 {
    1
}

impl Race {
    /// The tests this group was seen in: `tests`, or, in a verdict written
    /// before `tests` was added (read back by `batch --resume` and the
    /// reports), its one `test`.
    pub fn seen_in(&self) -> Vec<&str> {
        if self.tests.is_empty() {
            self.test.iter().map(String::as_str).collect()
        } else {
            self.tests.iter().map(String::as_str).collect()
        }
    }

    /// "in TestA, TestB (reported 3 times)", what reports say of a group
    /// after its title; empty for one report outside any test.
    pub fn seen_in_words(&self) -> String {
        let tests = self.seen_in();
        let mut words = if tests.is_empty() {
            String::new()
        } else {
            format!("in {}", tests.join(", "))
        };
        if self.count > 1 {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(&format!("(reported {} times)", self.count));
        }
        words
    }
}

/// One side of a data race.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaceAccess {
    pub op: RaceOp,
    pub goroutine: u64,
    /// Whether this is the earlier of the two accesses.
    pub previous: bool,
    pub frames: Vec<Frame>,
}

/// Kind of memory access in a race.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaceOp {
    Read,
    Write,
}

/// One stack frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    pub function: String,
    pub file: String,
    pub line: u32,
    /// Whether the frame is in the candidate's own file.
    pub candidate: bool,
    /// The candidate's source line, for a candidate frame.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<String>,
}

/// A compile error, located in the candidate's own file where possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompileError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The candidate's source line it points at, when it points at one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<String>,
}

/// Something worth knowing that is not a test result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub kind: NoteKind,
    pub message: String,
}

/// Where a note comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A fix-up applied to pasted code.
    Normalisation,
    /// A `go vet` finding.
    Vet,
    /// A follow-up the candidate attempted, or an observation on style.
    Followup,
    /// Something about the grading run itself (cache warming, reruns).
    Grader,
}

/// Limits the run was held to (all zero when nothing ran).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Limits {
    pub timeout_s: f64,
    pub memory_mib: u64,
    pub max_tasks: u64,
    pub file_size_mib: u64,
    pub output_kib: u64,
    pub source_kib: u64,
}

/// How the run was contained.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxInfo {
    /// `isolated` or `host`.
    pub network: String,
    /// `isolated` or `host`.
    pub filesystem: String,
    /// `isolated` (own pid namespace) or `process_group`.
    pub processes: String,
    /// Every containment layer with its state: active, degraded or
    /// unavailable.
    #[serde(default)]
    pub layers: Vec<SandboxLayer>,
}

impl SandboxInfo {
    /// For a submission that never ran.
    pub fn not_run() -> SandboxInfo {
        SandboxInfo {
            network: "not_run".into(),
            filesystem: "not_run".into(),
            processes: "not_run".into(),
            layers: Vec::new(),
        }
    }
}

/// One containment layer and its state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxLayer {
    pub name: String,
    pub state: String,
}

/// Where the time went, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Timings {
    pub stage: u64,
    pub compile: u64,
    pub run: u64,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `index` is a place in `ALL`, and `ALL` holds every status once: a
    /// status added to the enum but not to `ALL` fails here.
    #[test]
    fn every_status_is_listed_once_at_its_index() {
        for (i, status) in Status::ALL.iter().enumerate() {
            assert_eq!(status.index(), i, "{status:?}");
        }
        let last = Status::Error;
        assert_eq!(
            last.index(),
            Status::ALL.len() - 1,
            "ALL ends with the last status"
        );
    }
}
