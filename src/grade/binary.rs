//! Building the staged package: the race-instrumented test binary, go vet
//! beside it, and a failed build explained in the candidate's terms (their
//! own lines, or "expected func X(...), found ..." for a wrong signature).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use crate::core::diagnostics::{self, Diagnostic};
use crate::exec::process;
use crate::exec::sandbox::build::{BUILD_FILE_SIZE, BuildBox};
use crate::exercise::{Exercise, SymbolRole};
use crate::grade::stage::{self, Stage};
use crate::grade::toolchain::{TEST_BUILD_ARGS, Toolchain};
use crate::verdict::CompileError;

/// What a grade's go vet looks at: the candidate's file alone, as a
/// package of one file. Vetting "." would also type-check the harness's
/// test files and compile the package once more for them, which doubled
/// vet's time (and it competes with the compile for the same two cores),
/// while only findings in the candidate's file are ever reported.
pub const VET_TARGET: &str = "./candidate.go";

/// `go vet`'s arguments for a submission: the test build's compile flags
/// (`COMPILE_FLAGS`: vet type-checks against its dependencies' export data,
/// which the race build has then made already; without them vet compiled a
/// second, plain standard library, 5 s of a cold start), findings as JSON
/// (`vet` reads them by package and position, never from the text, which
/// quotes the candidate's code), and the analyzers to run.
pub const VET_ARGS: &[&str] = &[
    "-race",
    "-trimpath",
    "-json",
    "-copylocks",
    "-lostcancel",
    "-structtag",
    "-printf",
    "-atomic",
    "-unusedresult",
    "-stdmethods",
];

/// A `go vet` running beside the build. Dropping it waits for vet to end
/// (it is bounded by the deadline), so an early return never removes the
/// stage directory under a running vet.
pub struct VetJob(pub Option<std::thread::JoinHandle<std::io::Result<BuildRun>>>);

impl Drop for VetJob {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}

/// How a failed build is explained.
pub enum BuildFailure {
    /// The candidate's code or its core signatures are wrong: the errors
    /// to show, core signatures first.
    Candidate(Vec<CompileError>),
    /// Only follow-up symbols have the wrong shape: symbol and message.
    FollowupsOnly(Vec<(String, String)>),
    /// Nothing points at the candidate: the toolchain itself failed.
    Toolchain(String),
}

/// Explains a failed build from its diagnostics: the candidate's own
/// errors, core signatures that do not match (told as such, at the
/// declaration), follow-ups that alone do not fit (dropped and built
/// again), or the toolchain's own failure. A little over a hundred lines:
/// one pass sorting every diagnostic into those four, then the verdict.
pub fn explain_build_failure(
    exercise: &Exercise,
    analysis: &crate::core::golex::GoFile,
    staged: &Stage,
    diagnostics: &[Diagnostic],
    (submission_path, candidate_file): (&str, &str),
) -> BuildFailure {
    let mut errors = Vec::new();
    let mut candidate_errors = Vec::new();
    let mut core_symbols = BTreeSet::new();
    let mut broken_followups: BTreeMap<String, String> = BTreeMap::new();
    let mut other = Vec::new();
    for d in diagnostics {
        if d.file.ends_with(candidate_file) {
            candidate_errors.push(CompileError {
                source: None,
                file: submission_path.to_owned(),
                line: d.line,
                column: d.column,
                message: d.message.clone(),
            });
            continue;
        }
        let generated_line = |lines: &[(u32, String)]| {
            lines
                .iter()
                .find(|(line, _)| *line == d.line)
                .map(|(_, s)| s.clone())
        };
        let symbol = if d.file == stage::SYMBOLS_FILE {
            generated_line(&staged.signature_lines)
        } else if d.file == stage::EXPORT_FILE {
            generated_line(&staged.export_lines)
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
                    diagnostics::signature_message(analysis, spec),
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
                .filter(|d| d.kind != crate::core::golex::DeclKind::Method)
                .find(|d| d.name == *name)
                .or_else(|| {
                    analysis
                        .decls
                        .iter()
                        .find(|d| d.name.eq_ignore_ascii_case(name))
                })
                .map_or(0, |d| d.line);
            errors.push(CompileError {
                source: None,
                file: submission_path.to_owned(),
                line,
                column: if line > 0 { 1 } else { 0 },
                message: diagnostics::signature_message(analysis, spec),
            });
        }
    }
    errors.extend(candidate_errors);
    if errors.is_empty() {
        if other.is_empty() {
            return BuildFailure::Toolchain("the build failed without a diagnostic".into());
        }
        // Harness files failed against this code (a name clash, say).
        for d in other {
            errors.push(CompileError {
                source: None,
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
    BuildFailure::Candidate(errors)
}

/// A build command's output, and the limit it hit if one stopped it.
pub struct BuildRun {
    pub captured: process::Captured,
    /// e.g. "the 2048 MiB memory limit".
    pub limit_hit: Option<String>,
}

/// Runs one build command (`go test -c`, `go vet`) confined: the memory
/// limit of `limits` (a cgroup when the sandbox uses cgroups, else
/// polling), a file-size limit and `deadline`.
pub fn run_confined(
    toolchain: &Toolchain,
    mut cmd: std::process::Command,
    deadline: Instant,
    cap: usize,
    limits: &crate::exec::sandbox::Limits,
) -> std::io::Result<BuildRun> {
    let cgroups = crate::exec::sandbox::machine_config(&toolchain.stage_root())
        .0
        .is_some_and(|c| c.cgroups);
    let confinement = BuildBox::new(limits, cgroups);
    confinement.apply(&mut cmd);
    let rss_limit = confinement.rss_limit();
    let captured = process::run(cmd, deadline, cap, rss_limit);
    let usage = confinement.finish();
    let captured = captured?;
    let output = format!("{}{}", captured.stdout, captured.stderr);
    let limit_hit = if usage.cgroup.oom_killed || captured.over_memory {
        Some(format!(
            "the {} MiB memory limit",
            limits.memory_bytes >> 20
        ))
    } else if output.contains("file size limit exceeded") || output.contains("file too large") {
        Some(format!(
            "the {} MiB limit on a file the build writes",
            BUILD_FILE_SIZE >> 20
        ))
    } else if usage.cgroup.task_limit_hit {
        Some("the build's limit on processes and threads".to_owned())
    } else {
        None
    };
    Ok(BuildRun {
        captured,
        limit_hit,
    })
}

/// Compiles the staged package into its race-instrumented test binary,
/// confined when `limits` are given (trusted warm-up builds are not).
pub fn compile_tests(
    toolchain: &Toolchain,
    staged: &Stage,
    deadline: Instant,
    cap: usize,
    limits: Option<&crate::exec::sandbox::Limits>,
) -> std::io::Result<BuildRun> {
    let mut cmd = toolchain.go_command(staged.path(), &staged.home());
    cmd.args(TEST_BUILD_ARGS)
        .args(["-o", stage::TEST_BINARY, "."]);
    match limits {
        Some(limits) => run_confined(toolchain, cmd, deadline, cap, limits),
        None => Ok(BuildRun {
            captured: process::run(cmd, deadline, cap, None)?,
            limit_hit: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn vet_and_the_test_build_compile_with_the_same_flags() {
        use crate::grade::toolchain::{COMPILE_FLAGS, TEST_BUILD_ARGS};
        for flag in COMPILE_FLAGS {
            assert!(super::VET_ARGS.contains(flag), "{flag}");
            assert!(TEST_BUILD_ARGS.contains(flag), "{flag}");
        }
    }

    #[test]
    fn vet_looks_at_the_staged_candidate_file() {
        assert_eq!(
            super::VET_TARGET,
            format!("./{}", crate::grade::stage::CANDIDATE_FILE)
        );
    }
}
