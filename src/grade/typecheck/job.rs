//! Runs the check on a staged file. It is started beside the build (the
//! compile and go vet) and joined only before anything of the candidate
//! runs, so on two cores it costs the compile a few tens of milliseconds of
//! CPU and no wait.
//!
//! The program is given the export-data map it keeps in gograde's cache
//! (import path to the Go build cache's export data, from `go list -race
//! -export` on a miss) and the hermetic Go environment, so it type-checks
//! against the same race build of the standard library the compile uses.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Instant;

use thiserror::Error;

use super::{Report, build, parse_report};
use crate::exec::process;
use crate::grade::toolchain::Toolchain;

/// Why the check could not say anything (never a finding about the code).
#[derive(Debug, Error)]
pub enum CheckError {
    #[error("cannot write {0}")]
    Io(PathBuf, #[source] std::io::Error),
    #[error("cannot run the check")]
    Spawn(#[source] std::io::Error),
    #[error("building the check failed: {0}")]
    Build(String),
    #[error("the time limit was reached while checking")]
    TimedOut,
    #[error("the check failed: {0}")]
    Failed(String),
    #[error("the check's report is unreadable")]
    Report(#[source] serde_json::Error),
}

/// What the check needs to know about one file.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// The prepared file, as staged.
    pub file: PathBuf,
    /// Its line holding gograde's `//line` directive (`header_line`).
    pub header: u32,
    /// Import paths the exercise allows although a rule forbids them.
    pub allow_imports: Vec<String>,
    /// The exercise's symbols: the harness calls them, so they are never
    /// dead code, whoever else uses them.
    pub roots: Vec<String>,
    /// The limits the build runs under: the check reads untrusted input
    /// too. `None` runs it unconfined (trusted input: `warm`, tests).
    pub limits: Option<crate::exec::sandbox::Limits>,
}

/// Checks one file now: builds the program if needed, runs it, reads its
/// report.
pub fn check(
    toolchain: &Toolchain,
    request: &CheckRequest,
    deadline: Instant,
) -> Result<Report, CheckError> {
    let binary = build::ensure_built(toolchain, deadline)?;
    let dir = build::cache_dir(toolchain);
    // go list (on a miss) runs in the check's own folder, outside any
    // module: it lists standard-library packages only.
    let mut cmd = std::process::Command::new(binary);
    cmd.current_dir(&dir)
        .env_clear()
        .envs(toolchain.go_env(&dir))
        // The program is race-built (see `build`): without this the race
        // runtime sleeps a second before every exit.
        .env("GORACE", "atexit_sleep_ms=0")
        .arg("-go")
        .arg(&toolchain.go)
        .arg("-exports")
        .arg(exports_map(&dir, &toolchain.version))
        .arg("-header")
        .arg(request.header.to_string());
    for path in &request.allow_imports {
        cmd.arg("-allow").arg(path);
    }
    for name in &request.roots {
        cmd.arg("-root").arg(name);
    }
    cmd.arg(&request.file);
    const CAP: usize = 4 * 1024 * 1024;
    let captured = match &request.limits {
        Some(limits) => {
            let run = crate::grade::binary::run_confined(toolchain, cmd, deadline, CAP, limits)
                .map_err(CheckError::Spawn)?;
            if let Some(limit) = run.limit_hit {
                return Err(CheckError::Failed(format!("it hit {limit}")));
            }
            run.captured
        }
        None => process::run(cmd, deadline, CAP, None).map_err(CheckError::Spawn)?,
    };
    if captured.timed_out {
        return Err(CheckError::TimedOut);
    }
    if !captured.status.is_some_and(|s| s.success()) || captured.truncated {
        let stderr = captured.stderr.trim();
        return Err(CheckError::Failed(if stderr.is_empty() {
            "no report".to_owned()
        } else {
            stderr.lines().take(5).collect::<Vec<_>>().join("; ")
        }));
    }
    parse_report(&captured.stdout).map_err(CheckError::Report)
}

/// Builds the program and fills its export-data map for the packages
/// snippets use most (those `fixup` adds imports for), so a first grade
/// asks the go command for nothing.
pub fn warm(toolchain: &Toolchain, deadline: Instant) -> Result<Report, CheckError> {
    let dir = build::cache_dir(toolchain);
    std::fs::create_dir_all(&dir).map_err(|e| CheckError::Io(dir.clone(), e))?;
    let file = tempfile::Builder::new()
        .prefix("warm-")
        .suffix(".go")
        .tempfile_in(&dir)
        .map_err(|e| CheckError::Io(dir.clone(), e))?;
    let mut text = String::from("package warm\n\nimport (\n");
    for (_, path) in crate::core::fixup::KNOWN_PACKAGES {
        text.push_str(&format!("\t_ \"{path}\"\n"));
    }
    text.push_str(")\n");
    std::fs::write(file.path(), text).map_err(|e| CheckError::Io(file.path().into(), e))?;
    let request = CheckRequest {
        file: file.path().to_path_buf(),
        header: 0,
        allow_imports: Vec::new(),
        roots: Vec::new(),
        limits: None,
    };
    check(toolchain, &request, deadline)
}

/// The export-data map of one Go version (a new Go starts a new map).
fn exports_map(dir: &Path, go_version: &str) -> PathBuf {
    let safe: String = go_version
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    dir.join(format!("exports-race-{safe}.json"))
}

/// A check running on its own thread. Dropping it waits for the check to
/// end (it is bounded by the deadline), so an early return never removes
/// the staged file under a running check.
pub struct CheckJob(Option<JoinHandle<Result<Report, CheckError>>>);

impl CheckJob {
    /// Starts checking `request` beside whatever the caller does next.
    pub fn start(toolchain: &Toolchain, request: CheckRequest, deadline: Instant) -> CheckJob {
        let toolchain = toolchain.clone();
        CheckJob(Some(std::thread::spawn(move || {
            check(&toolchain, &request, deadline)
        })))
    }

    /// Waits for the report.
    pub fn finish(mut self) -> Result<Report, CheckError> {
        let handle = self.0.take().expect("a job is finished once");
        handle
            .join()
            .unwrap_or_else(|_| Err(CheckError::Failed("the check's thread panicked".into())))
    }
}

impl Drop for CheckJob {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.join();
        }
    }
}
