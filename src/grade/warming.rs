//! A cold cache's one-time preparation, watched. The first grade on a
//! machine builds the race-instrumented standard library and the exercise's
//! harness, then the code checker (about a minute on two idle cores, two
//! under load); this runs the same two steps the engine would
//! (`engine::warm_up`, `typecheck::job::warm`) while a thread samples how
//! many build steps the Go build cache holds, so the caller can show
//! progress. Nothing here prints: `observe` gets every sample.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::{Duration, Instant};

use crate::exercise::Exercise;
use crate::grade::engine;
use crate::grade::toolchain::Toolchain;
use crate::grade::typecheck;

/// Files the preparation adds to an empty Go build cache (one per compiled
/// package's action and output, and the checker's), measured with Go 1.26
/// on linux/amd64: about 1470 for `reverse`, 1640 for `json` (which imports
/// more of the standard library). Progress is counted against it and never
/// shown past 99%. (Finding the toolchain before, which builds `test2json`,
/// adds 580 more and about 8 s, not counted here.)
pub const TYPICAL_STEPS: u64 = 1550;

/// What is being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `go test -c -race` of the exercise's stub: the race runtime, the
    /// standard library it imports, the kit and the harness.
    Harness,
    /// The type-aware checker and the standard library's export data.
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
        let result = engine::warm_up(toolchain, exercise).and_then(|_| {
            phase.store(1, Ordering::Relaxed);
            typecheck::job::warm(toolchain, Instant::now() + engine::WARM_UP_LIMIT)
                .map(|_| ())
                .map_err(|e| format!("the code checker: {}", crate::error::chain(&e)))
        });
        done.store(true, Ordering::Relaxed);
        observe(sample());
        result.map(|()| started.elapsed())
    })
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
