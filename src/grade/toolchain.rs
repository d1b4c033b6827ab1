//! Finds the Go toolchain and builds the environment every `go` command and
//! test binary runs in: offline, local toolchain only, one build cache owned
//! by gograde, nothing inherited that could change the result.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::error::GraderError;

/// The flags every package a grade compiles is compiled with, test binary,
/// go vet and the warm-up alike: the build cache keys a compiled package by
/// them, so each package of the standard library is compiled once for all
/// three (`TEST_BUILD_ARGS` holds them; a unit test says so).
pub const COMPILE_FLAGS: &[&str] = &["-race", "-trimpath"];

/// How every test binary is built, alone or in a group: race-instrumented,
/// vet apart (it runs beside the build), no DWARF (a smaller, faster link).
pub const TEST_BUILD_ARGS: &[&str] = &[
    "test",
    "-c",
    "-race",
    "-vet=off",
    // Paths relative to the module, not the stage folder: every grade
    // stages in a fresh folder, and the build cache keys a package by its
    // source paths, so without this the kit and anything else unchanged
    // would compile again for every submission.
    "-trimpath",
    // Without DWARF or the ELF symbol table: the kit's state has no name an
    // attack can look its address up by (race reports and stacks still
    // symbolize from Go's own tables). Position independence would also
    // hide the address, but cmd/go refuses -buildmode=pie with -race on
    // linux/amd64 (the race runtime's memory map wants a fixed binary).
    "-ldflags=-s -w",
];

/// The Go toolchain gograde drives.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Toolchain {
    pub go: PathBuf,
    /// e.g. `go1.26.8`.
    pub version: String,
    /// gograde's cache root; the Go build cache lives inside.
    pub cache_root: PathBuf,
}

/// What is cached about a `go` binary between runs, keyed by its identity.
#[derive(Serialize, Deserialize)]
struct ToolchainCache {
    go: PathBuf,
    go_modified: u64,
    version: String,
}

impl Toolchain {
    /// Locates `go` and its version, using a small cache so a quick check
    /// does not pay for `go env` every time.
    pub fn discover() -> Result<Toolchain, GraderError> {
        let go = find_go().ok_or(GraderError::GoMissing)?;
        let cache_root = cache_root();
        let go_modified = std::fs::metadata(&go)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        let cache_file = cache_root.join("toolchain.json");
        if let Ok(text) = std::fs::read_to_string(&cache_file)
            && let Ok(cached) = serde_json::from_str::<ToolchainCache>(&text)
            && cached.go == go
            && cached.go_modified == go_modified
            && cached_config_is_written(&cache_root)
        {
            return Ok(Toolchain {
                go,
                version: cached.version,
                cache_root,
            });
        }
        let mut toolchain = Toolchain {
            go,
            version: String::new(),
            cache_root,
        };
        std::fs::create_dir_all(&toolchain.cache_root).map_err(|e| GraderError::Stage {
            path: toolchain.cache_root.clone(),
            source: e,
        })?;
        toolchain.write_go_config();
        toolchain.version = toolchain.go_output(&["env", "GOVERSION"])?;
        let cached = ToolchainCache {
            go: toolchain.go.clone(),
            go_modified,
            version: toolchain.version.clone(),
        };
        if let Ok(text) = serde_json::to_string(&cached) {
            let _ = std::fs::write(&cache_file, text);
        }
        Ok(toolchain)
    }

    /// Where grading runs are staged: outside the invoking user's home, so
    /// that the sandbox's unprivileged uid can reach the box (a home is
    /// often 0700), and traversable but not listable by others.
    pub fn stage_root(&self) -> PathBuf {
        // Created once per process, not once per grade.
        static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        ROOT.get_or_init(|| {
            // SAFETY: geteuid(2) has no preconditions.
            let uid = unsafe { libc::geteuid() };
            let dir = std::env::temp_dir().join(format!("gograde-stage-{uid}"));
            if std::fs::create_dir_all(&dir).is_ok() {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o711));
            }
            dir
        })
        .clone()
    }

    /// The go command's configuration folder: telemetry off, nothing else.
    fn go_config(&self) -> PathBuf {
        go_config(&self.cache_root)
    }

    /// Writes the configuration [`Toolchain::go_config`] names, once.
    fn write_go_config(&self) {
        let mode = telemetry_mode_file(&self.cache_root);
        if let Some(folder) = mode.parent()
            && std::fs::create_dir_all(folder).is_ok()
        {
            let _ = std::fs::write(mode, "off");
        }
    }

    /// The Go build cache shared by every grading run.
    pub fn go_cache(&self) -> PathBuf {
        self.cache_root.join("go-build")
    }

    /// Whether the race-instrumented standard library is probably built:
    /// a heuristic for telling the user a first run is warming up.
    pub fn cache_is_warm(&self) -> bool {
        std::fs::read_to_string(self.cache_root.join("warm"))
            .is_ok_and(|stamp| stamp == self.warm_stamp())
    }

    /// Records that a grading run completed, so later runs are warm.
    pub fn mark_warm(&self) {
        let _ = std::fs::write(self.cache_root.join("warm"), self.warm_stamp());
    }

    /// What a warm cache was warmed for: the Go version and the build
    /// flags, since the cache holds the standard library once per flag set
    /// (a change of flags is a cold start, and must be told as one).
    fn warm_stamp(&self) -> String {
        format!("{}\n{}", self.version, TEST_BUILD_ARGS.join(" "))
    }

    /// A `go` command with the hermetic environment, run in `dir`.
    pub fn go_command(&self, dir: &Path, home: &Path) -> Command {
        let mut cmd = Command::new(&self.go);
        cmd.current_dir(dir).env_clear().envs(self.go_env(home));
        cmd
    }

    /// Environment for `go` commands: offline and local-only.
    pub fn go_env(&self, home: &Path) -> Vec<(String, String)> {
        let mut env = base_env(home);
        let set = |env: &mut Vec<(String, String)>, k: &str, v: String| env.push((k.into(), v));
        set(&mut env, "GOCACHE", self.go_cache().display().to_string());
        set(
            &mut env,
            "GOPATH",
            self.cache_root.join("gopath").display().to_string(),
        );
        set(&mut env, "GOPROXY", "off".into());
        set(&mut env, "GOTOOLCHAIN", "local".into());
        set(&mut env, "GOFLAGS", "-mod=mod".into());
        set(&mut env, "GONOSUMDB", "*".into());
        set(&mut env, "GOSUMDB", "off".into());
        set(&mut env, "GOENV", "off".into());
        // GOTELEMETRY is reported by `go env`, not obeyed: the go command
        // reads the telemetry mode from its configuration folder, and
        // without one it starts a telemetry process beside every command.
        set(
            &mut env,
            "XDG_CONFIG_HOME",
            self.go_config().display().to_string(),
        );
        set(&mut env, "GO111MODULE", "on".into());
        set(&mut env, "CGO_ENABLED", "1".into());
        // The compiler and linker collect garbage less often: a cold
        // preparation (the race standard library) took 15% less time,
        // measured with bench/coldstart.sh, for a largest compile of 350
        // MiB instead of 240. Not the test binaries' setting (`run_env`).
        set(&mut env, "GOGC", "400".into());
        if let Ok(cc) = std::env::var("CC") {
            set(&mut env, "CC", cc);
        }
        env
    }

    /// Environment for the test binary: nothing of the invoking user's, no
    /// race-runtime exit sleep (it adds a second to every passing run), and
    /// the race detector halting the process at its first report with an
    /// exit code of its own: a race can tear an interface value into a
    /// read or write of any address, so no code may run after one.
    pub fn run_env(&self, home: &Path) -> Vec<(String, String)> {
        let mut env = base_env(home);
        env.push((
            "GORACE".into(),
            format!(
                "atexit_sleep_ms=0 halt_on_error=1 exitcode={}",
                crate::core::trust::RACE_EXIT_CODE
            ),
        ));
        env.push(("TMPDIR".into(), home.display().to_string()));
        env
    }

    fn go_output(&self, args: &[&str]) -> Result<String, GraderError> {
        let home = std::env::temp_dir();
        let out = self
            .go_command(&home, &home)
            .args(args)
            .output()
            .map_err(|e| GraderError::Spawn {
                what: format!("go {}", args.join(" ")),
                source: e,
            })?;
        if !out.status.success() {
            return Err(GraderError::Toolchain {
                what: format!("go {}", args.join(" ")),
                message: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }
}

fn go_config(cache_root: &Path) -> PathBuf {
    cache_root.join("go-config")
}

/// Where the go command reads its telemetry mode, under its configuration.
fn telemetry_mode_file(cache_root: &Path) -> PathBuf {
    go_config(cache_root).join("go/telemetry/mode")
}

/// Whether the go command's configuration (telemetry off) is in place.
fn cached_config_is_written(cache_root: &Path) -> bool {
    telemetry_mode_file(cache_root).is_file()
}

fn base_env(home: &Path) -> Vec<(String, String)> {
    vec![
        (
            "PATH".into(),
            std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into()),
        ),
        ("HOME".into(), home.display().to_string()),
        ("LANG".into(), "C.UTF-8".into()),
    ]
}

/// `go` from `$GOGRADE_GO`, `PATH`, or the usual install location.
fn find_go() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os("GOGRADE_GO") {
        let p = PathBuf::from(explicit);
        return p.is_file().then_some(p);
    }
    let from_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("go"))
            .find(|p| p.is_file())
    });
    from_path.or_else(|| {
        let p = PathBuf::from("/usr/local/go/bin/go");
        p.is_file().then_some(p)
    })
}

/// Whether nothing has been graded with this cache yet (no grade or warm-up
/// finished): known before `Toolchain::discover`, so a first run can be
/// announced before anything slow starts.
pub fn first_run() -> bool {
    !cache_root().join("warm").is_file()
}

/// `$GOGRADE_CACHE`, else `$XDG_CACHE_HOME/gograde`, else `~/.cache/gograde`.
fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("GOGRADE_CACHE") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("gograde");
    }
    if let Some(home) = std::env::var_os("HOME") {
        return PathBuf::from(home).join(".cache").join("gograde");
    }
    std::env::temp_dir().join("gograde-cache")
}
