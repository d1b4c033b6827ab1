//! Limits for the build. Compiling is trusted code, but it reads untrusted
//! input: Go folds constant expressions at compile time, so a 2 KiB file
//! can make the compiler allocate gigabytes and write a huge object into
//! the shared build cache. `go test -c` and `go vet` therefore run in the
//! run's memory cgroup limit (or, without cgroups, under the polled
//! resident-memory fallback), a pids cgroup, a file-size limit and the
//! grade's deadline, and a build that hits one is explained by it.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::process::Command;

use super::cgroup::{CgroupLimits, CgroupUsage, RunCgroups};
use super::{Limits, child};

/// Largest file the build may write: far above a race-built test binary
/// (about 15 MiB) and any honest package's object, far below what a
/// constant bomb produces. It bounds what one grade adds to the shared
/// cache per file.
pub const BUILD_FILE_SIZE: u64 = 256 << 20;

/// Threads and processes of the build: the go command, compilers and
/// linker, each with a thread per core. The pids limit is against runaway
/// process counts, not part of the compile-bomb defence.
const BUILD_TASKS: u64 = 4096;

/// One build command's confinement, prepared before it starts.
pub struct BuildBox {
    cgroups: Option<RunCgroups>,
    procs: Vec<CString>,
    memory_bytes: u64,
}

/// What the confinement saw when the command ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildUsage {
    pub cgroup: CgroupUsage,
    /// The memory limit was enforced by polling instead of a cgroup.
    pub polled: bool,
}

impl BuildBox {
    /// Prepares limits for one build command; cgroups when this machine's
    /// sandbox uses them (`cgroups`), else polling.
    pub fn new(limits: &Limits, cgroups: bool) -> BuildBox {
        let cgroups = cgroups
            .then(|| {
                RunCgroups::create(&CgroupLimits {
                    memory_bytes: limits.memory_bytes,
                    max_tasks: BUILD_TASKS,
                })
                .ok()
            })
            .flatten();
        let procs = cgroups
            .as_ref()
            .map(|c| {
                c.procs_files()
                    .iter()
                    .filter_map(|p| CString::new(p.as_os_str().as_bytes()).ok())
                    .collect()
            })
            .unwrap_or_default();
        BuildBox {
            cgroups,
            procs,
            memory_bytes: limits.memory_bytes,
        }
    }

    /// The resident-memory limit to poll when no memory cgroup holds it.
    pub fn rss_limit(&self) -> Option<u64> {
        self.cgroups.is_none().then_some(self.memory_bytes)
    }

    /// Makes `cmd` start inside the limits.
    pub fn apply(&self, cmd: &mut Command) {
        let procs = self.procs.clone();
        // SAFETY: between fork and exec only writes to prepared paths and
        // setrlimit(2) on a local struct.
        unsafe {
            cmd.pre_exec(move || {
                for file in &procs {
                    child::write_file(file, b"0")?;
                }
                let fsize = libc::rlimit {
                    rlim_cur: BUILD_FILE_SIZE,
                    rlim_max: BUILD_FILE_SIZE,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &fsize) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }

    /// Reads what the build used and removes its cgroups.
    pub fn finish(self) -> BuildUsage {
        let polled = self.cgroups.is_none();
        let cgroup = self.cgroups.map_or_else(CgroupUsage::default, |c| {
            let usage = c.usage();
            c.remove();
            usage
        });
        BuildUsage { cgroup, polled }
    }
}
