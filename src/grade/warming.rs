//! A cold cache's one-time preparation, watched. The first grade on a
//! machine builds the race-instrumented standard library and the exercise's
//! harness, and puts the code checker in place (about 10 s on two idle
//! cores); the engine runs the steps (`build_missing`) before a grade on a
//! cold cache, and `prepare` runs them while a thread samples how
//! many build steps the Go build cache holds, so the caller can show
//! progress. Nothing here prints: `observe` gets every sample.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use crate::core::fixup;
use crate::error::chain;
use crate::exec::process;
use crate::exercise::Exercise;
use crate::grade::stage::{self, Stage};
use crate::grade::toolchain::{COMPILE_FLAGS, Toolchain};
use crate::grade::typecheck;

/// Files the preparation adds to an empty Go build cache (one per compiled
/// package's action and output), measured with Go 1.26 on linux/amd64 once
/// the warm-up compiled dependencies only and the checker came built: about
/// 1090 for `reverse`, 1230 for `json` (which imports more of the standard
/// library). Progress is counted against it and never shown past 99%.
pub const TYPICAL_STEPS: u64 = 1150;

/// What is being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The packages a test binary of the exercise depends on (the race
    /// runtime, the standard library it imports, the kit and the harness).
    Harness,
    /// The checker put in place: written out, or built when gograde was
    /// built with another Go.
    Checker,
}

/// One look at the build cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub phase: Phase,
    pub elapsed: Duration,
    /// Files added to the build cache since the preparation began.
    pub steps: u64,
}

/// Builds what the first grade of `exercise` needs into the cache, calling
/// `observe` every `every` (and once at the end). Returns how long it took,
/// or why a step failed (the grade that follows would then say it again).
pub fn prepare(
    toolchain: &Toolchain,
    exercise: &Exercise,
    every: Duration,
    observe: impl Fn(Sample) + Sync,
) -> Result<Duration, String> {
    let started = Instant::now();
    let cache = toolchain.go_cache();
    let before = cache_files(&cache);
    let phase = AtomicU8::new(0);
    let done = AtomicBool::new(false);
    let sample = || Sample {
        phase: match phase.load(Ordering::Relaxed) {
            0 => Phase::Harness,
            _ => Phase::Checker,
        },
        elapsed: started.elapsed(),
        steps: cache_files(&cache).saturating_sub(before),
    };
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                observe(sample());
                // Short sleeps, so the end is not held up by a whole period.
                let until = Instant::now() + every;
                while Instant::now() < until && !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        });
        let result = build_missing(toolchain, exercise, &phase);
        done.store(true, Ordering::Relaxed);
        observe(sample());
        result.map(|()| started.elapsed())
    })
}

/// How long a warm-up build may take: a cold cache on a slow, busy
/// machine builds the race-instrumented standard library for minutes.
pub const WARM_UP_LIMIT: Duration = Duration::from_secs(30 * 60);

/// Builds what a grade of `exercise` needs and the cache lacks: every
/// package its test binary depends on (`warm_up`), then the checker when
/// it is not in the cache yet (written out of gograde itself when gograde
/// was built with this Go, else built, after the warm-up so that its
/// race build shares the standard library just compiled). Not the export
/// data of every package a candidate may import (`gograde warm` does
/// that): the first check asks for its own imports' once, and the warm-up
/// has made most of them by then. `phase` turns to 1 ([`Phase::Checker`])
/// once the warm-up is done. One call at a time per process.
pub fn build_missing(
    toolchain: &Toolchain,
    exercise: &Exercise,
    phase: &AtomicU8,
) -> Result<(), String> {
    // One preparation at a time in a process (the server's background one,
    // parallel grades of a batch): a second waits, then finds the cache
    // warm, instead of compiling the same packages beside the first.
    static PREPARING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = PREPARING.lock().unwrap_or_else(|e| e.into_inner());
    let deadline = Instant::now() + WARM_UP_LIMIT;
    let harness = if toolchain.cache_is_warm() {
        Ok(())
    } else {
        warm_up(toolchain, exercise).map(|_| ())
    };
    phase.store(1, Ordering::Relaxed);
    typecheck::build::ensure_built(toolchain, deadline)
        .map_err(|e| format!("the code checker: {}", crate::error::chain(&e)))?;
    harness
}

/// Compiles every package a test binary of `exercise` depends on (the race
/// runtime, the standard library, the kit, the harness's own package), as
/// the test build compiles them, so that a grade compiles only the
/// candidate's package, its test package and the test main, and links.
/// `go list -deps -test` of the exercise's stub names them, and one
/// `go list -export` of those but the stub's own packages compiles them in
/// one go command (as many packages at once as there are cores) and links
/// nothing: a `go test -c` of the stub would also compile the stub's
/// packages and test main and link a binary no grade uses, a second of a
/// cold start. Trusted code only, so it runs with a limit
/// meant for a cold machine, not a candidate's. Returns how long it took.
pub fn warm_up(toolchain: &Toolchain, exercise: &Exercise) -> Result<Duration, String> {
    let started = Instant::now();
    let deadline = started + WARM_UP_LIMIT;
    let prepared = fixup::prepare(&exercise.stub, stage::CANDIDATE_FILE, false).map_err(|v| {
        format!(
            "the stub of {} does not prepare: {}",
            exercise.id(),
            v.message
        )
    })?;
    let staged = Stage::create(
        &toolchain.stage_root(),
        exercise,
        &prepared.text,
        &BTreeSet::new(),
    )
    .map_err(|e| chain(&e))?;
    let go_list = |args: &[&str], packages: &[&str]| {
        let mut cmd = toolchain.go_command(staged.path(), &staged.home());
        cmd.arg("list")
            .args(args)
            .args(COMPILE_FLAGS)
            .args(packages);
        let captured = process::run(cmd, deadline, 4 << 20, None)
            .map_err(|e| format!("could not run go: {e}"))?;
        if captured.status.is_some_and(|s| s.success()) {
            Ok(captured.stdout)
        } else {
            Err(format!(
                "the harness of {} does not build: {}",
                exercise.id(),
                captured.stderr.trim()
            ))
        }
    };
    let listed = go_list(&["-deps", "-test", "-f", "{{.ImportPath}}"], &["."])?;
    let dependencies = dependencies_only(&listed, &staged.import_path());
    go_list(&["-export", "-f", "{{.ImportPath}}"], &dependencies)?;
    toolchain.mark_warm();
    Ok(started.elapsed())
}

/// The packages of `go list -deps -test` of the stub's package `own`
/// but that package, its test packages and its test main: the grade
/// compiles those anew around the candidate's code, and in the warm-up
/// they would be the serial end of the build (each waits on the last).
fn dependencies_only<'a>(listed: &'a str, own: &str) -> Vec<&'a str> {
    let external_tests = format!("{own}_test");
    listed
        .lines()
        .map(str::trim)
        .filter(|p| {
            !p.is_empty()
                && *p != own
                && *p != external_tests
                // Test variants ("p [p.test]") and the test main ("p.test").
                && !p.contains(' ')
                && !p.ends_with(".test")
        })
        .collect()
}

/// How many files the Go build cache holds (its 256 two-hex-digit folders).
fn cache_files(cache: &Path) -> u64 {
    let Ok(dirs) = std::fs::read_dir(cache) else {
        return 0;
    };
    dirs.flatten()
        .filter(|d| d.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|d| std::fs::read_dir(d.path()).ok())
        .map(|files| files.count() as u64)
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_warm_up_compiles_the_dependencies_not_the_stubs_own_packages() {
        let listed = "internal/abi\nfmt\ntesting/internal/testdeps\ngograde.local/solution/kit\n\
            gograde.local/solution/harness/reverse\ngograde.local/solution\n\
            gograde.local/solution [gograde.local/solution.test]\n\
            gograde.local/solution_test [gograde.local/solution.test]\ngograde.local/solution.test\n";
        assert_eq!(
            super::dependencies_only(listed, "gograde.local/solution"),
            [
                "internal/abi",
                "fmt",
                "testing/internal/testdeps",
                "gograde.local/solution/kit",
                "gograde.local/solution/harness/reverse"
            ]
        );
    }

    #[test]
    fn cache_files_are_counted_in_the_caches_folders() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(super::cache_files(&dir.path().join("absent")), 0);
        for (sub, name) in [("00", "a-d"), ("00", "a-a"), ("ff", "b-d")] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join(name), "").unwrap();
        }
        // A file at the top (the cache's README, trim.txt) is not a step.
        std::fs::write(dir.path().join("README"), "").unwrap();
        assert_eq!(super::cache_files(dir.path()), 3);
    }
}
