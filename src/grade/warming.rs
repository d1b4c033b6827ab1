//! A cold cache's one-time preparation, watched. The first grade on a
//! machine builds the race-instrumented standard library and the exercise's
//! harness, then the code checker (about a minute on two idle cores, two
//! under load); the engine runs the steps (`build_missing`) before a grade
//! on a cold cache, and `prepare` runs them while a thread samples how
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
use crate::grade::binary::{VET_ARGS, VET_TARGET, compile_tests};
use crate::grade::stage::{self, Stage};
use crate::grade::toolchain::Toolchain;
use crate::grade::typecheck;

/// Files the preparation adds to an empty Go build cache (one per compiled
/// package's action and output, and the checker's), measured with Go 1.26
/// on linux/amd64 once the checker shared the test build's standard
/// library: about 1050 for `reverse`, 1190 for `json` (which imports more
/// of it). Progress is counted against it and never shown past 99%.
pub const TYPICAL_STEPS: u64 = 1100;

/// What is being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `go test -c -race` of the exercise's stub (the race runtime, the
    /// standard library it imports, the kit and the harness), with the
    /// checker's build beside it.
    Harness,
    /// The checker's build, still going once the harness's is done.
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

/// Builds what a grade of `exercise` needs and the cache lacks: the
/// harness's race build (`warm_up`) and the checker's build side by side,
/// since they share no compiled package and one alone leaves a core idle
/// through its serial steps (the runtime's compile, the link). Not the
/// export data of every package a candidate may import (`gograde warm`
/// does that): the first check asks for its own imports' once, and the
/// race build has made most of them by then. `phase` turns to 1
/// ([`Phase::Checker`]) while the checker's build is still going after the
/// harness's.
pub fn build_missing(
    toolchain: &Toolchain,
    exercise: &Exercise,
    phase: &AtomicU8,
) -> Result<(), String> {
    let harness_cold = !toolchain.cache_is_warm();
    let checker_missing = !typecheck::build::binary_path(toolchain).is_file();
    let deadline = Instant::now() + WARM_UP_LIMIT;
    let harness = if harness_cold {
        warm_up(toolchain, exercise).map(|_| ())
    } else {
        Ok(())
    };
    phase.store(1, Ordering::Relaxed);
    if checker_missing {
        // Its first check, on a file importing every package a fix-up may
        // add, records where their export data is: each later check then
        // reads it without asking the go command.
        typecheck::job::warm(toolchain, deadline)
            .map_err(|e| format!("the code checker: {}", crate::error::chain(&e)))?;
    }
    harness
}

/// Builds `exercise`'s harness around its own stub, so that everything but
/// the candidate's package (the race runtime, the standard library, the
/// kit) is in the build cache, with go vet's export data built beside it.
/// Trusted code only, so it runs with a limit meant for a cold machine,
/// not a candidate's. Returns how long it took.
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
    let (built, vetted) = std::thread::scope(|scope| {
        // go vet needs the dependencies' export data, built apart from the
        // race build: beside it.
        let vet = exercise.meta.vet.then(|| {
            scope.spawn(|| {
                let mut cmd = toolchain.go_command(staged.path(), &staged.home());
                cmd.arg("vet").args(VET_ARGS).arg(VET_TARGET);
                process::run(cmd, deadline, 1 << 20, None)
            })
        });
        let built = compile_tests(toolchain, &staged, deadline, 1 << 20, None);
        (built, vet.map(|v| v.join()))
    });
    let captured = built
        .map_err(|e| format!("could not run go: {e}"))?
        .captured;
    if !captured.status.is_some_and(|s| s.success()) {
        return Err(format!(
            "the harness of {} does not build: {}{}",
            exercise.id(),
            captured.stdout.trim(),
            captured.stderr.trim()
        ));
    }
    if let Some(Ok(Err(e))) = vetted {
        return Err(format!("could not run go vet: {e}"));
    }
    toolchain.mark_warm();
    Ok(started.elapsed())
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
