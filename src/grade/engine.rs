//! The grading pipeline for one submission: prepare the source, apply the
//! policy, stage, build (`build`), run (`runner`) and judge. The effectful
//! shell around the pure core in `fixup`, `compile`, `collect`, `trust` and
//! `judge`.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::core::diagnostics;
use crate::core::fixup;
use crate::core::judge::{self, Evidence};
use crate::core::policy;
use crate::core::vet;
use crate::error::chain;
use crate::exec::process;
use crate::exercise::{Exercise, SymbolRole};
use crate::grade::binary::{
    BuildFailure, BuildRun, VET_ARGS, VET_TARGET, VetJob, compile_tests, explain_build_failure,
};
use crate::grade::options::GradeOptions;
use crate::grade::runner::{TestToRun, run_tests};
use crate::grade::stage::{self, Stage};
use crate::grade::submission::{MAX_SOURCE_BYTES, Submission};
use crate::grade::toolchain::Toolchain;
use crate::grade::typecheck::{
    self,
    job::{CheckError as TypecheckError, CheckJob, CheckRequest},
};
use crate::grade::warming;
use crate::verdict::{CompileError, Limits, Note, NoteKind, Status, SubmissionInfo, Verdict};

/// Grades one submission against one exercise.
pub fn grade(
    toolchain: &Toolchain,
    exercise: &Exercise,
    submission: &Submission,
    options: &GradeOptions,
) -> Verdict {
    match begin(toolchain, exercise, submission, options) {
        Ok(grade) => grade.finish_alone(),
        Err(verdict) => *verdict,
    }
}

/// A grade that passed every check before staging (fix-ups, policy) and
/// waits for its build: on its own ([`Grade::finish_alone`]), or as a
/// package of a group's module built by one go command (`group`), after
/// which [`Grade::run_built`] runs and judges it the same way.
pub struct Grade<'a> {
    toolchain: &'a Toolchain,
    exercise: &'a Exercise,
    options: &'a GradeOptions,
    submission_path: String,
    started: Instant,
    deadline: Instant,
    evidence: Evidence,
    prepared: fixup::Prepared,
    followups: BTreeSet<String>,
}

/// Starts a grade: everything before staging. `Err` is the finished
/// verdict of a grade that ended there (rejected, does not prepare).
pub fn begin<'a>(
    toolchain: &'a Toolchain,
    exercise: &'a Exercise,
    submission: &Submission,
    options: &'a GradeOptions,
) -> Result<Grade<'a>, Box<Verdict>> {
    // A cold cache is the grader's cost, not the candidate's: fill it with
    // trusted code first (every package the test binary depends on, the
    // checker), so the candidate's build gets its whole limit. If that
    // fails, the grade below says why.
    let _ = warming::build_missing(toolchain, exercise, &Default::default());
    let started = Instant::now();
    let mut evidence = Evidence {
        submission: Some(SubmissionInfo {
            path: submission.path.clone(),
            sha256: submission.sha256.clone(),
            bytes: submission.bytes,
        }),
        candidate_file: candidate_line_name(&submission.path, exercise),
        limits: Some(options.reported_limits()),
        go_version: toolchain.version.clone(),
        source: submission.text.clone(),
        ..Evidence::default()
    };
    match front(exercise, submission, options, &mut evidence) {
        Some((prepared, followups)) => Ok(Grade {
            toolchain,
            exercise,
            options,
            submission_path: submission.path.clone(),
            started,
            deadline: started + options.timeout,
            evidence,
            prepared,
            followups,
        }),
        None => {
            evidence.timings.total = started.elapsed().as_millis() as u64;
            Err(Box::new(judge::judge(exercise, &evidence)))
        }
    }
}

impl Grade<'_> {
    /// The follow-up symbols the candidate declared, staged with the core.
    pub fn followups(&self) -> &BTreeSet<String> {
        &self.followups
    }

    pub fn exercise(&self) -> &Exercise {
        self.exercise
    }

    /// The prepared source to stage.
    pub fn source(&self) -> &str {
        &self.prepared.text
    }

    /// Whether this exercise's grade runs go vet.
    pub fn wants_vet(&self) -> bool {
        self.exercise.meta.vet
    }

    /// Stages, builds, runs and judges the grade on its own. Its clock
    /// starts here (a batch may have held it in a queue since `begin`).
    pub fn finish_alone(mut self) -> Verdict {
        self.started = Instant::now();
        self.deadline = self.started + self.options.timeout;
        let cancel = self.options.cancel.clone();
        process::with_cancel(cancel.as_ref(), || self.pipeline());
        self.judge()
    }

    /// Runs and judges a grade whose test binary a group build made
    /// (`staged.binary()` exists). `stage_ms` and `compile_ms` are the
    /// group's (the wall time this submission waited for), `share_ms` its
    /// part of the build: the clock starts that long before the run, as a
    /// grade alone counts its own compile against the timeout, so the run
    /// gets about the time it would get alone. `vet` is this package's
    /// share of a finished go vet's findings.
    pub fn run_built(
        mut self,
        staged: &Stage,
        (stage_ms, compile_ms, share_ms): (u64, u64, u64),
        vet: Option<&[vet::Finding]>,
    ) -> Verdict {
        let now = Instant::now();
        self.started = now
            .checked_sub(Duration::from_millis(share_ms))
            .unwrap_or(now);
        self.deadline = self.started + self.options.timeout;
        self.evidence.timings.stage = stage_ms;
        self.evidence.timings.compile = compile_ms;
        self.toolchain.mark_warm();
        let cancel = self.options.cancel.clone();
        process::with_cancel(cancel.as_ref(), || self.run(staged, None));
        if self.wants_vet()
            && let Some(findings) = vet
        {
            self.evidence.vet = Some(vet::in_candidate_file(
                findings,
                &self.evidence.candidate_file,
            ));
        }
        self.judge()
    }

    fn judge(mut self) -> Verdict {
        self.evidence.timings.total = self.started.elapsed().as_millis() as u64;
        judge::judge(self.exercise, &self.evidence)
    }
}

/// A verdict for a submission that was not graded (unreadable, binary, no
/// exercise found): batch grading records it rather than losing it.
pub fn refused(
    submission: SubmissionInfo,
    exercise: &str,
    status: Status,
    summary: &str,
) -> Verdict {
    let evidence = Evidence {
        submission: Some(submission),
        early: Some((status, summary.to_owned())),
        limits: Some(Limits {
            source_kib: MAX_SOURCE_BYTES / 1024,
            ..Limits::default()
        }),
        ..Evidence::default()
    };
    judge::not_graded(exercise, &evidence)
}

/// Starts the type-aware check of `staged`'s candidate file.
fn start_check(
    toolchain: &Toolchain,
    exercise: &Exercise,
    staged: &Stage,
    prepared: &fixup::Prepared,
    options: &GradeOptions,
    deadline: Instant,
) -> CheckJob {
    CheckJob::start(
        toolchain,
        CheckRequest {
            file: staged.path().join(stage::CANDIDATE_FILE),
            header: typecheck::header_line(&prepared.text),
            allow_imports: exercise.meta.allow_imports.clone(),
            roots: exercise
                .meta
                .symbols
                .iter()
                .map(|s| s.name.clone())
                .collect(),
            limits: Some(options.limits),
        },
        deadline,
    )
}

/// Turns the type-aware check's report into a `rejected` verdict when it
/// found something, or an `error` when it could not check: code that was
/// not checked is never run. Returns whether the run must stop here.
fn refused_by_check(check: CheckJob, evidence: &mut Evidence) -> bool {
    let (status, summary) = match check.finish() {
        Ok(report) => match report.rejection() {
            // A finding stands even when the check is incomplete.
            None => match report.incomplete() {
                None => {
                    evidence
                        .notes
                        .extend(report.dead_code_note().map(|message| Note {
                            kind: NoteKind::Normalisation,
                            message,
                        }));
                    return false;
                }
                Some(why) => (
                    Status::Error,
                    format!("The grader could not check the code before running it: {why}."),
                ),
            },
            Some(summary) => {
                evidence
                    .notes
                    .extend(report.further_findings().into_iter().map(|m| Note {
                        kind: NoteKind::Grader,
                        message: m,
                    }));
                (Status::Rejected, summary)
            }
        },
        Err(TypecheckError::TimedOut) => {
            evidence.wall_timeout = true;
            (
                Status::Timeout,
                "The time limit was reached while checking the code.".to_owned(),
            )
        }
        Err(e) => (
            Status::Error,
            format!(
                "The grader could not check the code before running it: {}.",
                chain(&e)
            ),
        ),
    };
    evidence.early = Some((status, summary));
    true
}

/// The early end of a grade whose code does not compile, named by its
/// first error.
fn does_not_compile(errors: &[CompileError]) -> (Status, String) {
    let first = errors
        .first()
        .map(|e| e.message.lines().next().unwrap_or("").to_owned())
        .unwrap_or_else(|| "the Go compiler failed".into());
    (Status::CompileError, format!("Does not compile: {first}."))
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
        || exercise.harness.iter().any(|f| f.name == name);
    if clashes {
        format!(
            "candidate_{}",
            name.trim_end_matches("_test.go").trim_end_matches(".go")
        ) + ".go"
    } else {
        name
    }
}

/// The checks before staging; `None` when the grade ends there (the
/// evidence says why).
fn front(
    exercise: &Exercise,
    submission: &Submission,
    options: &GradeOptions,
    evidence: &mut Evidence,
) -> Option<(fixup::Prepared, BTreeSet<String>)> {
    if let Some(rule) = &submission.refusal {
        evidence.early = Some((
            Status::Rejected,
            format!("Rejected before running: {rule}."),
        ));
        return None;
    }
    let prepared = match fixup::prepare(&submission.text, &evidence.candidate_file, options.strict)
    {
        Ok(prepared) => prepared,
        Err(violation) => {
            evidence.compile_errors.push(CompileError {
                source: None,
                file: submission.path.clone(),
                line: violation.line,
                column: 1,
                message: violation.message.clone(),
            });
            evidence.early = Some((
                Status::CompileError,
                format!("Does not compile: {}.", violation.message),
            ));
            return None;
        }
    };
    evidence.notes.extend(prepared.notes.iter().map(|m| Note {
        kind: NoteKind::Normalisation,
        message: m.clone(),
    }));
    evidence.imports = prepared.imports.clone();
    if let Some(refusal) = policy::check_imports(&prepared.imports, &exercise.meta.allow_imports) {
        let spec = (prepared.analysis.imports.iter()).find(|spec| spec.path == refusal.import);
        let summary = refusal.summary(spec.map(|s| s.line), spec.map(|s| s.literal.as_str()));
        evidence.early = Some((Status::Rejected, summary));
        return None;
    }
    let followups: BTreeSet<String> = exercise
        .symbols(SymbolRole::Followup)
        .filter(|s| prepared.analysis.declares(&s.name))
        .map(|s| s.name.clone())
        .collect();
    evidence.followups_declared = followups.clone();
    Some((prepared, followups))
}

impl Grade<'_> {
    /// Stage, build (vet and the type-aware check beside it) and run, alone.
    fn pipeline(&mut self) {
        let (toolchain, exercise, options) = (self.toolchain, self.exercise, self.options);
        let stage_started = self.started;
        let staged = Stage::create(
            &toolchain.stage_root(),
            exercise,
            &self.prepared.text,
            &self.followups,
        );
        let mut staged = match staged {
            Ok(staged) => staged,
            Err(e) => {
                self.evidence.early = Some((
                    Status::Error,
                    format!("The grader could not stage the submission: {}.", chain(&e)),
                ));
                return;
            }
        };
        self.evidence.timings.stage = stage_started.elapsed().as_millis() as u64;
        // The type-aware check runs beside the build and is awaited before
        // anything of the candidate's runs (see `run`).
        let check = start_check(
            toolchain,
            exercise,
            &staged,
            &self.prepared,
            options,
            self.deadline,
        );
        let vet = self.start_vet(&staged);
        let compile_started = Instant::now();
        if let Err(early) = self.build(&mut staged) {
            self.evidence.early = Some(early);
            return;
        }
        self.evidence.timings.compile = compile_started.elapsed().as_millis() as u64;
        toolchain.mark_warm();
        self.run(&staged, Some(check));
        self.fold_vet(vet);
    }

    /// go vet type-checks on its own: started beside the compile, on the
    /// other core, so it costs no wall time when the build succeeds.
    fn start_vet(&self, staged: &Stage) -> VetJob {
        let (toolchain, options, deadline) = (self.toolchain, self.options, self.deadline);
        VetJob(self.exercise.meta.vet.then(|| {
            let mut cmd = toolchain.go_command(staged.path(), &staged.home());
            // The analyzers that find candidate mistakes (copied locks, lost
            // cancels, bad struct tags, ...); running all of them costs the
            // concurrent compile about 100 ms for nothing more.
            cmd.arg("vet").args(VET_ARGS).arg(VET_TARGET);
            let cap = options.output_cap;
            let (toolchain, limits) = (toolchain.clone(), options.limits);
            let cancel = options.cancel.clone();
            std::thread::spawn(move || {
                process::with_cancel(cancel.as_ref(), || {
                    crate::grade::binary::run_confined(&toolchain, cmd, deadline, cap, &limits)
                })
            })
        }))
    }

    /// Compiles the test binary; when only follow-ups fail to compile, once
    /// more without them. `Err` is how the grade ends early (compile errors
    /// are in the evidence by then).
    fn build(&mut self, staged: &mut Stage) -> Result<(), (Status, String)> {
        let (toolchain, exercise, options) = (self.toolchain, self.exercise, self.options);
        let deadline = self.deadline;
        let Grade {
            ref mut evidence,
            ref prepared,
            ref mut followups,
            ref submission_path,
            ..
        } = *self;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let built = match compile_tests(
                toolchain,
                staged,
                deadline,
                options.output_cap,
                Some(&options.limits),
            ) {
                Ok(c) => c,
                Err(e) => {
                    return Err((Status::Error, format!("The grader could not run go: {e}.")));
                }
            };
            if let Some(limit) = &built.limit_hit {
                let message = format!(
                    "the build of this code hit {limit} (constant expressions the compiler must fold, or a huge generated object?)"
                );
                evidence.compile_errors.push(CompileError {
                    source: None,
                    file: submission_path.clone(),
                    line: 0,
                    column: 0,
                    message: message.clone(),
                });
                return Err((
                    Status::CompileError,
                    format!("Does not compile within the limits: {message}."),
                ));
            }
            let captured = built.captured;
            if captured.timed_out {
                evidence.wall_timeout = true;
                return Err((
                    Status::Timeout,
                    "The time limit was reached while compiling.".into(),
                ));
            }
            if captured.status.is_some_and(|s| s.success()) {
                return Ok(());
            }
            let output = format!("{}{}", captured.stdout, captured.stderr);
            let diagnostics = diagnostics::parse_diagnostics(&output);
            let submission = evidence.submission.as_ref().map_or("", |s| s.path.as_str());
            let verdict = explain_build_failure(
                exercise,
                &prepared.analysis,
                staged,
                &diagnostics,
                (submission, &evidence.candidate_file),
            );
            match verdict {
                BuildFailure::FollowupsOnly(broken) if attempts == 1 => {
                    for (symbol, why) in broken {
                        followups.remove(&symbol);
                        evidence.followups_broken.insert(symbol.clone(), why);
                        if let Err(e) = staged.drop_followup(exercise, &symbol, followups) {
                            return Err((
                                Status::Error,
                                format!("The grader could not restage: {}.", chain(&e)),
                            ));
                        }
                    }
                    continue;
                }
                BuildFailure::Candidate(errors) => {
                    evidence.compile_errors.extend(errors);
                    return Err(does_not_compile(&evidence.compile_errors));
                }
                // Follow-ups still broken after they were dropped.
                BuildFailure::FollowupsOnly(_) => {
                    return Err(does_not_compile(&evidence.compile_errors));
                }
                BuildFailure::Toolchain(message) => {
                    return Err((Status::Error, format!("The Go toolchain failed: {message}")));
                }
            }
        }
    }

    /// go vet's findings, when it finished, into the evidence.
    fn fold_vet(&mut self, mut vet: VetJob) {
        let evidence = &mut self.evidence;
        if let Some(handle) = vet.0.take() {
            match handle.join() {
                Ok(Ok(BuildRun {
                    limit_hit: Some(limit),
                    ..
                })) => evidence.notes.push(Note {
                    kind: NoteKind::Grader,
                    message: format!("go vet was stopped at {limit}; its findings are missing"),
                }),
                Ok(Ok(BuildRun { captured, .. })) if !captured.timed_out => {
                    let exited_ok = captured.status.is_some_and(|s| s.success());
                    match vet::outcome(
                        exited_ok,
                        &captured.stdout,
                        &captured.stderr,
                        &evidence.candidate_file,
                    ) {
                        Ok(findings) => evidence.vet = Some(findings),
                        Err(why) => evidence.notes.push(Note {
                            kind: NoteKind::Grader,
                            message: why,
                        }),
                    }
                }
                _ => evidence.notes.push(Note {
                    kind: NoteKind::Grader,
                    message: "go vet did not finish; its findings are missing".into(),
                }),
            }
        }
    }

    /// Runs the built test binary of `staged` until every expected test has
    /// a result.
    ///
    /// Nothing of the candidate's runs before the type-aware check has
    /// cleared it: `check` is the one started beside the build, or (for a
    /// package a group built) one is started and awaited here.
    fn run(&mut self, staged: &Stage, check: Option<CheckJob>) {
        let (toolchain, exercise, options) = (self.toolchain, self.exercise, self.options);
        let (deadline, followups) = (self.deadline, &self.followups);
        let check = check.unwrap_or_else(|| {
            start_check(
                toolchain,
                exercise,
                staged,
                &self.prepared,
                options,
                deadline,
            )
        });
        let evidence = &mut self.evidence;
        if refused_by_check(check, evidence) {
            return;
        }
        let run_started = Instant::now();
        let expected: Vec<TestToRun> = exercise
            .meta
            .tests
            .iter()
            .filter(|t| t.requires.as_ref().is_none_or(|s| followups.contains(s)))
            .map(|t| TestToRun {
                name: t.name.clone(),
                exclusive: t.exclusive,
            })
            .collect();
        let seed = options
            .seed
            .unwrap_or_else(crate::grade::runner::random_seed);
        evidence.harness = Some(crate::verdict::HarnessInfo {
            seed,
            sha256: staged.harness_digest(),
        });
        let runs = run_tests(
            toolchain,
            staged,
            &evidence.candidate_file,
            expected,
            deadline,
            seed,
            options,
        );
        // The engine is the one writer of the evidence: the runs come back
        // as a value.
        evidence.sandbox = runs.sandbox;
        if let Some(stop) = runs.stop {
            evidence.early = Some(stop);
        }
        evidence.tests.extend(runs.tests);
        evidence.notes.extend(runs.notes);
        evidence.package_output.push_str(&runs.package_output);
        if let Some(why) = runs.outside_failure {
            evidence.outside_failure.get_or_insert(why);
        }
        evidence.wall_timeout |= runs.wall_timeout;
        evidence.timings.run = run_started.elapsed().as_millis() as u64;
    }
}
