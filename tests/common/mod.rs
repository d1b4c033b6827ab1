//! What every integration suite shares: the one Go build cache the tests
//! grade with, filled once before any test races for it.
//!
//! On a fresh machine the first grades build the race-instrumented standard
//! library and every harness; when several tests start that work at once on
//! two cores, each waits on the others and bounds meant for a warm machine
//! run out. So the first suite to need the cache runs `gograde warm` under
//! an exclusive file lock (other test processes, even other checkouts
//! sharing `$TMPDIR`, wait on the lock), records a stamp, and every later
//! caller finds the stamp and goes straight on.

#![allow(dead_code)] // Each suite uses its own subset.

pub mod browser;
pub mod http;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Once;
use std::time::Instant;

/// The Go build cache shared by every suite (and every run of them).
pub fn cache_dir() -> PathBuf {
    std::env::var_os("GOGRADE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("gograde-test-cache"))
}

/// The binary under test, with the one environment policy of every suite:
/// the shared cache, filled first ([`warm_cache`]); nothing from the
/// caller's environment that changes what it prints or how it runs
/// ([`gograde_with_cache`]).
pub fn gograde() -> Command {
    warm_cache();
    gograde_with_cache(&cache_dir())
}

/// The binary with `cache` as its cache (a cold one, or the shared one
/// when nothing needs it warm): colour, token, another Go, sandbox layers
/// skipped and backtraces are not inherited; stdin is empty.
pub fn gograde_with_cache(cache: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gograde"));
    cmd.env("GOGRADE_CACHE", cache);
    for inherited in [
        "NO_COLOR",
        "GOGRADE_GO",
        "GOGRADE_TOKEN",
        "GOGRADE_SANDBOX_SKIP",
        "RUST_BACKTRACE",
    ] {
        cmd.env_remove(inherited);
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// Fills the shared cache once per machine (`gograde warm`: the race
/// runtime and every built-in harness), at most once per test process.
pub fn warm_cache() {
    static WARM: Once = Once::new();
    WARM.call_once(|| {
        let cache = cache_dir();
        std::fs::create_dir_all(&cache).expect("create the test cache");
        let stamp = cache.join("tests-warmed");
        let lock = std::fs::File::create(cache.with_extension("lock")).expect("create lock file");
        let _held = Flock::exclusive(&lock);
        if stamp.is_file() {
            return;
        }
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_gograde"))
            .env("GOGRADE_CACHE", &cache)
            .arg("warm")
            .stdin(Stdio::null())
            .output()
            .expect("run gograde warm");
        assert!(
            out.status.success(),
            "gograde warm failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!(
            "tests: warmed the Go build cache {} in {:.1} s",
            cache.display(),
            started.elapsed().as_secs_f64()
        );
        std::fs::write(&stamp, "").expect("write the warm stamp");
    });
}

/// An exclusive `flock(2)` on a file, released when dropped.
struct Flock<'a>(&'a std::fs::File);

impl<'a> Flock<'a> {
    fn exclusive(file: &'a std::fs::File) -> Flock<'a> {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor this File owns for the whole borrow.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(rc, 0, "flock: {}", std::io::Error::last_os_error());
        Flock(file)
    }
}

impl Drop for Flock<'_> {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        // SAFETY: as above; unlocking a held lock has no other effect.
        unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
    }
}

/// How long the run itself took, by the grader's own account: the time a
/// limit is about, without the compile a cold cache makes slow.
pub fn run_ms(verdict: &serde_json::Value) -> u64 {
    verdict["timings_ms"]["run"]
        .as_u64()
        .unwrap_or_else(|| panic!("no timings_ms.run in {verdict}"))
}
