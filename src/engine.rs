//! The grading pipeline for one submission: prepare the source, apply the
//! import policy, stage, compile the test binary, run it (re-running tests
//! a crash left without a result), vet, and judge. The effectful shell
//! around the pure core in `fixup`, `compile`, `collect` and `judge`.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::collect;
use crate::compile::{self, Diagnostic};
use crate::error::chain;
use crate::exercise::{Exercise, SymbolRole};
use crate::fixup;
use crate::gotest;
use crate::judge::{self, Evidence, ResolvedTest};
use crate::policy;
use crate::process;
use crate::sandbox::{self, Layers, Sandbox};
use crate::stage::{self, Stage};
use crate::submission::{MAX_SOURCE_BYTES, Submission};
use crate::toolchain::Toolchain;
use crate::trust;
use crate::verdict::{
    CompileError, Limits, Note, NoteKind, SandboxInfo, SandboxLayer, Status, SubmissionInfo,
    TestStatus, Verdict,
};

/// Settings for one grading run.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// Wall-time limit for compile and run together.
    pub timeout: Duration,
    /// No fix-ups of pasted code.
    pub strict: bool,
    /// Cap on captured output per process, in bytes.
    pub output_cap: usize,
    /// Limits inside the sandbox.
    pub limits: sandbox::Limits,
    /// Run even where nothing contains the network or the filesystem.
    pub allow_unsandboxed: bool,
}

impl Default for GradeOptions {
    fn default() -> GradeOptions {
        GradeOptions {
            timeout: Duration::from_secs(60),
            strict: false,
            output_cap: 1024 * 1024,
            limits: sandbox::Limits::default(),
            allow_unsandboxed: false,
        }
    }
}

/// `go vet` analyzers run on a submission.
const VET_ANALYZERS: &[&str] = &[
    "-copylocks",
    "-lostcancel",
    "-structtag",
    "-printf",
    "-atomic",
    "-unusedresult",
    "-stdmethods",
];

/// Time left for Go's own `-test.timeout` before gograde kills the run, so
/// Go can name the test that hung.
const GO_TIMEOUT_MARGIN: Duration = Duration::from_millis(500);

/// Grades one submission against one exercise.
pub fn grade(
    toolchain: &Toolchain,
    exercise: &Exercise,
    submission: &Submission,
    options: &GradeOptions,
) -> Verdict {
    let started = Instant::now();
    let deadline = started + options.timeout;
    let mut evidence = Evidence {
        submission: Some(SubmissionInfo {
            path: submission.path.clone(),
            sha256: submission.sha256.clone(),
            bytes: submission.bytes,
        }),
        candidate_file: candidate_line_name(&submission.path, exercise),
        limits: Some(Limits {
            timeout_s: options.timeout.as_secs_f64(),
            memory_mib: options.limits.memory_bytes >> 20,
            max_tasks: options.limits.max_tasks,
            file_size_mib: options.limits.file_size_bytes >> 20,
            output_kib: (options.output_cap / 1024) as u64,
            source_kib: MAX_SOURCE_BYTES / 1024,
        }),
        go_version: toolchain.version.clone(),
        ..Evidence::default()
    };
    run_pipeline(
        toolchain,
        exercise,
        submission,
        options,
        deadline,
        &mut evidence,
    );
    evidence.timings.total = started.elapsed().as_millis() as u64;
    judge::judge(exercise, &evidence)
}

/// The file name shown for the candidate's code in diagnostics and stacks.
fn candidate_line_name(path: &str, exercise: &Exercise) -> String {
    let name = if path == "-" {
        "stdin.go".to_owned()
    } else {
        fixup::line_name_for(path)
    };
    let clashes = name.ends_with("_test.go")
        || name == stage::CANDIDATE_FILE
        || exercise
            .harness
            .iter()
            .chain(&exercise.common)
            .any(|f| f.name == name);
    if clashes {
        format!(
            "candidate_{}",
            name.trim_end_matches("_test.go").trim_end_matches(".go")
        ) + ".go"
    } else {
        name
    }
}

fn run_pipeline(
    toolchain: &Toolchain,
    exercise: &Exercise,
    submission: &Submission,
    options: &GradeOptions,
    deadline: Instant,
    evidence: &mut Evidence,
) {
    let stage_started = Instant::now();
    if let Some(rule) = &submission.refusal {
        evidence.early = Some((
            Status::Rejected,
            format!("Rejected before running: {rule}."),
        ));
        return;
    }
    let prepared = match fixup::prepare(&submission.text, &evidence.candidate_file, options.strict)
    {
        Ok(prepared) => prepared,
        Err(violation) => {
            evidence.compile_errors.push(CompileError {
                file: submission.path.clone(),
                line: violation.line,
                column: 1,
                message: violation.message.clone(),
            });
            evidence.early = Some((
                Status::CompileError,
                format!("Does not compile: {}.", violation.message),
            ));
            return;
        }
    };
    evidence.notes.extend(prepared.notes.iter().map(|m| Note {
        kind: NoteKind::Normalisation,
        message: m.clone(),
    }));
    evidence.imports = prepared.imports.clone();
    if let Some(refusal) = policy::check_imports(&prepared.imports, &exercise.meta.allow_imports) {
        evidence.early = Some((
            Status::Rejected,
            format!("Rejected before running: {}.", refusal.message()),
        ));
        return;
    }
    let mut followups: BTreeSet<String> = exercise
        .symbols(SymbolRole::Followup)
        .filter(|s| prepared.analysis.declares(&s.name))
        .map(|s| s.name.clone())
        .collect();
    evidence.followups_declared = followups.clone();

    let stage_parent = toolchain.stage_root();
    let mut staged = match Stage::create(&stage_parent, exercise, &prepared.text, &followups) {
        Ok(staged) => staged,
        Err(e) => {
            evidence.early = Some((
                Status::Error,
                format!("The grader could not stage the submission: {}.", chain(&e)),
            ));
            return;
        }
    };
    evidence.timings.stage = stage_started.elapsed().as_millis() as u64;

    // go vet type-checks on its own: start it beside the compile, on the
    // other core, so it costs no wall time when the build succeeds.
    let mut vet = VetJob(exercise.meta.vet.then(|| {
        let mut cmd = toolchain.go_command(staged.path(), &staged.home());
        // The analyzers that find candidate mistakes (copied locks, lost
        // cancels, bad struct tags, ...); running all of them costs the
        // concurrent compile about 100 ms for nothing more.
        cmd.arg("vet").args(VET_ANALYZERS).arg(".");
        let cap = options.output_cap;
        std::thread::spawn(move || process::run(cmd, deadline, cap))
    }));
    let compile_started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let captured = match compile_tests(toolchain, &staged, deadline, options.output_cap) {
            Ok(c) => c,
            Err(e) => {
                evidence.early =
                    Some((Status::Error, format!("The grader could not run go: {e}.")));
                return;
            }
        };
        if captured.timed_out {
            evidence.wall_timeout = true;
            evidence.early = Some((
                Status::Timeout,
                "The time limit was reached while compiling.".into(),
            ));
            return;
        }
        if captured.status.is_some_and(|s| s.success()) {
            break;
        }
        let output = format!("{}{}", captured.stdout, captured.stderr);
        let diagnostics = compile::parse_diagnostics(&output);
        let verdict = explain_build_failure(
            exercise,
            &prepared.analysis,
            &staged,
            &diagnostics,
            evidence,
        );
        match verdict {
            BuildFailure::FollowupsOnly(broken) if attempts == 1 => {
                for (symbol, why) in broken {
                    followups.remove(&symbol);
                    evidence.followups_broken.insert(symbol.clone(), why);
                    if let Err(e) = staged.drop_followup(exercise, &symbol, &followups) {
                        evidence.early = Some((
                            Status::Error,
                            format!("The grader could not restage: {}.", chain(&e)),
                        ));
                        return;
                    }
                }
                continue;
            }
            BuildFailure::FollowupsOnly(_) | BuildFailure::Candidate => {
                let first = evidence
                    .compile_errors
                    .first()
                    .map(|e| e.message.lines().next().unwrap_or("").to_owned())
                    .unwrap_or_else(|| "the Go compiler failed".into());
                evidence.early =
                    Some((Status::CompileError, format!("Does not compile: {first}.")));
                return;
            }
            BuildFailure::Toolchain(message) => {
                evidence.early =
                    Some((Status::Error, format!("The Go toolchain failed: {message}")));
                return;
            }
        }
    }
    evidence.timings.compile = compile_started.elapsed().as_millis() as u64;
    toolchain.mark_warm();

    let run_started = Instant::now();
    let expected: Vec<String> = exercise
        .meta
        .tests
        .iter()
        .filter(|t| t.requires.as_ref().is_none_or(|s| followups.contains(s)))
        .map(|t| t.name.clone())
        .collect();
    run_tests(toolchain, &staged, expected, deadline, options, evidence);
    evidence.timings.run = run_started.elapsed().as_millis() as u64;
    if let Some(handle) = vet.0.take() {
        match handle.join() {
            Ok(Ok(captured)) if !captured.timed_out => {
                let output = format!("{}{}", captured.stdout, captured.stderr);
                let findings: Vec<Diagnostic> = compile::parse_diagnostics(&output)
                    .into_iter()
                    .filter(|d| d.file.ends_with(&evidence.candidate_file))
                    .collect();
                evidence.vet = Some(findings);
            }
            _ => evidence.notes.push(Note {
                kind: NoteKind::Grader,
                message: "go vet did not finish; its findings are missing".into(),
            }),
        }
    }
}

/// A `go vet` running beside the build. Dropping it waits for vet to end
/// (it is bounded by the deadline), so an early return never removes the
/// stage directory under a running vet.
struct VetJob(Option<std::thread::JoinHandle<std::io::Result<process::Captured>>>);

impl Drop for VetJob {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

/// How a failed build is explained.
enum BuildFailure {
    /// The candidate's code or its core signatures are wrong.
    Candidate,
    /// Only follow-up symbols have the wrong shape: symbol and message.
    FollowupsOnly(Vec<(String, String)>),
    /// Nothing points at the candidate: the toolchain itself failed.
    Toolchain(String),
}

fn explain_build_failure(
    exercise: &Exercise,
    analysis: &crate::golex::GoFile,
    staged: &Stage,
    diagnostics: &[Diagnostic],
    evidence: &mut Evidence,
) -> BuildFailure {
    let submission_path = evidence
        .submission
        .as_ref()
        .map(|s| s.path.clone())
        .unwrap_or_default();
    let mut candidate_errors = Vec::new();
    let mut core_symbols = BTreeSet::new();
    let mut broken_followups: BTreeMap<String, String> = BTreeMap::new();
    let mut other = Vec::new();
    for d in diagnostics {
        if d.file.ends_with(&evidence.candidate_file) {
            candidate_errors.push(CompileError {
                file: submission_path.clone(),
                line: d.line,
                column: d.column,
                message: d.message.clone(),
            });
            continue;
        }
        let symbol = if d.file == stage::SIGNATURES_FILE {
            staged
                .signature_lines
                .iter()
                .find(|(line, _)| *line == d.line)
                .map(|(_, s)| s.clone())
        } else if let Some(owner) = exercise.followup_owning(&d.file) {
            Some(owner.name.clone())
        } else {
            // "undefined: Reverse" in a harness file names the symbol.
            exercise
                .meta
                .symbols
                .iter()
                .find(|s| d.message == format!("undefined: {}", s.name))
                .map(|s| s.name.clone())
        };
        match symbol.and_then(|name| exercise.meta.symbols.iter().find(|s| s.name == name)) {
            Some(spec) if spec.role == SymbolRole::Core => {
                core_symbols.insert(spec.name.clone());
            }
            Some(spec) => {
                broken_followups.insert(
                    spec.name.clone(),
                    compile::signature_message(analysis, spec),
                );
            }
            None => other.push(d.clone()),
        }
    }
    if candidate_errors.is_empty()
        && core_symbols.is_empty()
        && !broken_followups.is_empty()
        && other.is_empty()
    {
        return BuildFailure::FollowupsOnly(broken_followups.into_iter().collect());
    }
    for name in &core_symbols {
        if let Some(spec) = exercise.meta.symbols.iter().find(|s| &s.name == name) {
            let line = analysis
                .decls
                .iter()
                .filter(|d| d.kind != crate::golex::DeclKind::Method)
                .find(|d| d.name == *name)
                .or_else(|| {
                    analysis
                        .decls
                        .iter()
                        .find(|d| d.name.eq_ignore_ascii_case(name))
                })
                .map_or(0, |d| d.line);
            evidence.compile_errors.push(CompileError {
                file: submission_path.clone(),
                line,
                column: if line > 0 { 1 } else { 0 },
                message: compile::signature_message(analysis, spec),
            });
        }
    }
    evidence.compile_errors.extend(candidate_errors);
    if evidence.compile_errors.is_empty() {
        if other.is_empty() {
            return BuildFailure::Toolchain("the build failed without a diagnostic".into());
        }
        // Harness files failed against this code (a name clash, say).
        for d in other {
            evidence.compile_errors.push(CompileError {
                file: d.file.clone(),
                line: d.line,
                column: d.column,
                message: format!(
                    "{} (in the grader's harness, caused by your code)",
                    d.message
                ),
            });
        }
    }
    BuildFailure::Candidate
}

/// Compiles the staged package into its race-instrumented test binary.
pub fn compile_tests(
    toolchain: &Toolchain,
    staged: &Stage,
    deadline: Instant,
    cap: usize,
) -> std::io::Result<process::Captured> {
    let mut cmd = toolchain.go_command(staged.path(), &staged.home());
    cmd.args([
        "test",
        "-c",
        "-race",
        "-vet=off",
        "-ldflags=-w",
        "-o",
        stage::TEST_BINARY,
        ".",
    ]);
    process::run(cmd, deadline, cap)
}

/// Runs the test binary until every expected test has a result, re-running
/// the tests a crash left unstarted.
fn run_tests(
    toolchain: &Toolchain,
    staged: &Stage,
    expected: Vec<String>,
    deadline: Instant,
    options: &GradeOptions,
    evidence: &mut Evidence,
) {
    let (config, layers) = sandbox::machine_config(&toolchain.stage_root());
    evidence.sandbox = Some(sandbox_info(&layers));
    let config = match config {
        Some(c) if layers.contains_anything() || options.allow_unsandboxed => c,
        _ if options.allow_unsandboxed => sandbox::Config::none(),
        _ => {
            evidence.early = Some((
                Status::Error,
                "Not run: nothing on this machine can contain the network or the file system (see `gograde doctor`); pass --allow-unsandboxed to run untrusted code anyway.".into(),
            ));
            return;
        }
    };
    if !layers.contains_anything() {
        evidence.notes.push(Note {
            kind: NoteKind::Grader,
            message: "UNSANDBOXED: the submission ran with the host's network and file system (--allow-unsandboxed)".into(),
        });
    }
    let mut pending = expected;
    let mut runs = 0;
    while !pending.is_empty() {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining < Duration::from_millis(200) {
            evidence.wall_timeout = true;
            for name in pending.drain(..) {
                evidence.tests.insert(
                    name,
                    never_ran("not run: the time limit was reached", TestStatus::Timeout),
                );
            }
            break;
        }
        runs += 1;
        let go_timeout = remaining
            .saturating_sub(GO_TIMEOUT_MARGIN)
            .max(Duration::from_millis(100));
        let binary_path = staged.binary();
        let home = staged.home();
        let mut contained = match Sandbox::prepare(
            config,
            staged.path(),
            &[&binary_path],
            &home,
            options.limits,
        ) {
            Ok(s) => s,
            Err(e) => {
                evidence.early = Some((
                    Status::Error,
                    format!("The grader could not prepare the sandbox: {e}."),
                ));
                return;
            }
        };
        let mut binary = Command::new(contained.inside(staged.path(), &staged.binary()));
        binary
            .current_dir(staged.path())
            .env_clear()
            .envs(toolchain.run_env(&contained.inside(staged.path(), &staged.home())))
            .arg("-test.v=test2json")
            .arg("-test.paniconexit0")
            .arg(format!("-test.timeout={}ms", go_timeout.as_millis()))
            .arg(format!("-test.run=^({})$", pending.join("|")));
        let mut converter = Command::new(&toolchain.test2json);
        converter
            .current_dir(staged.path())
            .env_clear()
            .envs(toolchain.run_env(&staged.home()))
            .args(["-t", "-p", stage::MODULE]);
        // A marked framing line ahead of everything the binary prints makes
        // test2json demand the marker from the first byte on, so unmarked
        // "=== RUN"/"--- PASS" lines printed by the candidate (in init, say)
        // stay plain output.
        contained.apply(&mut binary);
        // Without a memory cgroup, poll the group's resident memory instead.
        let rss_limit = (layers.memory_cgroup != sandbox::LayerState::Active)
            .then_some(options.limits.memory_bytes);
        let piped = process::run_pipeline(
            binary,
            converter,
            STREAM_PREFIX,
            deadline,
            options.output_cap,
            rss_limit,
        );
        let mut usage = contained.finish().unwrap_or_default();
        if let Ok((captured, _)) = &piped {
            usage.oom_killed |= captured.over_memory;
        }
        if usage.oom_killed {
            evidence.notes.push(Note {
                kind: NoteKind::Grader,
                message: format!(
                    "the run hit the {} MiB memory limit and was killed",
                    options.limits.memory_bytes >> 20
                ),
            });
        }
        if usage.task_limit_hit {
            evidence.notes.push(Note {
                kind: NoteKind::Grader,
                message: format!(
                    "the run hit the limit of {} processes and threads",
                    options.limits.max_tasks
                ),
            });
        }
        let (captured, binary_status) = match piped {
            Ok(c) => c,
            Err(e) => {
                evidence.early = Some((
                    Status::Error,
                    format!("The grader could not run the tests: {e}."),
                ));
                return;
            }
        };
        if captured.flooded {
            evidence.notes.push(Note {
                kind: NoteKind::Grader,
                message: format!(
                    "the run was stopped: its output passed {} KiB",
                    options.output_cap / 1024 * 8
                ),
            });
        } else if captured.truncated {
            evidence.notes.push(Note {
                kind: NoteKind::Grader,
                message: format!(
                    "output over {} KiB was truncated",
                    options.output_cap / 1024
                ),
            });
        }
        let record = collect::collect(&gotest::parse_stream(&captured.stdout));
        let timed_out = captured.timed_out || record.go_timeout;
        let exit = trust::Exit {
            clean: binary_status.is_some_and(|s| s.success()),
            timed_out,
        };
        let (settled, cut_short) = match trust::assess(&record, &pending, exit) {
            trust::Assessment::Distrusted(why) => {
                evidence.distrusted = Some(why.clone());
                let reason = format!("no result of this run is trusted: {why}");
                evidence.notes.push(Note {
                    kind: NoteKind::Grader,
                    message: reason.clone(),
                });
                for name in pending.drain(..) {
                    evidence
                        .tests
                        .insert(name, never_ran(&reason, TestStatus::Error));
                }
                break;
            }
            trust::Assessment::Trusted { settled, cut_short } => (settled, cut_short),
        };
        evidence.package_output.push_str(&record.package_output);
        evidence.package_output.push_str(&captured.stderr);
        let mut progressed = false;
        let mut still_pending = Vec::new();
        for name in pending.drain(..) {
            let Some(test) = record.tests.get(&name) else {
                still_pending.push(name);
                continue;
            };
            let duration_ms = (test.elapsed_s * 1000.0).round() as u64;
            let is_cut_short = cut_short.as_ref() == Some(&name);
            let resolved = match test.outcome {
                Some(outcome) if settled.contains(&name) => ResolvedTest {
                    status: match outcome {
                        collect::Outcome::Pass => TestStatus::Pass,
                        collect::Outcome::Fail => TestStatus::Fail,
                        collect::Outcome::Skip => TestStatus::Skip,
                    },
                    duration_ms,
                    output: test.output.clone(),
                    reason: None,
                },
                _ if !(is_cut_short || test.started && test.outcome.is_none() && timed_out) => {
                    still_pending.push(name);
                    continue;
                }
                _ if timed_out => {
                    evidence.wall_timeout = true;
                    ResolvedTest {
                        status: TestStatus::Timeout,
                        duration_ms,
                        output: test.output.clone(),
                        reason: Some(format!(
                            "timed out: still running when the {:.0} s limit was reached",
                            options.timeout.as_secs_f64()
                        )),
                    }
                }
                _ => {
                    let excerpt = collect::panic_excerpt(&test.output)
                        .or_else(|| collect::panic_excerpt(&record.package_output))
                        .or_else(|| collect::panic_excerpt(&captured.stderr));
                    ResolvedTest {
                        status: TestStatus::Error,
                        duration_ms,
                        output: test.output.clone(),
                        reason: Some(match excerpt {
                            _ if usage.oom_killed => format!(
                                "killed: the run exceeded the {} MiB memory limit during this test",
                                options.limits.memory_bytes >> 20
                            ),
                            _ if captured.flooded => format!(
                                "stopped: this test printed more than {} KiB of output",
                                options.output_cap / 1024 * 8
                            ),
                            None if usage.task_limit_hit => format!(
                                "the test binary died during this test after hitting the limit of {} processes and threads",
                                options.limits.max_tasks
                            ),
                            Some(p) => format!("the test binary crashed during this test: {}", first_line(&p)),
                            None => "the test binary exited during this test without a result (os.Exit?)".into(),
                        }),
                    }
                }
            };
            progressed = true;
            evidence.tests.insert(name, resolved);
        }
        pending = still_pending;
        if !progressed && !pending.is_empty() {
            let why = collect::panic_excerpt(&record.package_output)
                .or_else(|| collect::panic_excerpt(&captured.stderr))
                .map(|p| {
                    format!(
                        "the test binary failed before this test started: {}",
                        first_line(&p)
                    )
                })
                .unwrap_or_else(|| {
                    "the test binary exited before this test started (os.Exit in init?)".into()
                });
            for name in pending.drain(..) {
                evidence
                    .tests
                    .insert(name, never_ran(&why, TestStatus::Error));
            }
        }
    }
    if runs > 1 {
        evidence.notes.push(Note {
            kind: NoteKind::Grader,
            message: format!("the test binary ran {runs} times: a crash interrupted it and the remaining tests were re-run"),
        });
    }
}

/// Marked framing line test2json swallows without an event (it only names
/// the running test: none).
const STREAM_PREFIX: &[u8] = b"\x16=== NAME  \n";

fn sandbox_info(layers: &Layers) -> SandboxInfo {
    let mut listed: Vec<SandboxLayer> = layers
        .list()
        .into_iter()
        .map(|(name, state)| SandboxLayer {
            name: name.into(),
            state: state.as_str().into(),
        })
        .collect();
    if layers.memory_cgroup != sandbox::LayerState::Active {
        listed.push(SandboxLayer {
            name: "memory limit by polling resident memory (no memory cgroup)".into(),
            state: sandbox::LayerState::Active.as_str().into(),
        });
    }
    SandboxInfo {
        network: layers.network().into(),
        filesystem: layers.filesystem().into(),
        processes: layers.processes().into(),
        layers: listed,
    }
}

fn never_ran(reason: &str, status: TestStatus) -> ResolvedTest {
    ResolvedTest {
        status,
        duration_ms: 0,
        output: String::new(),
        reason: Some(reason.to_owned()),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}
