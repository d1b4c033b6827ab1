//! Per-run cgroups (v1 memory and pids controllers, as mounted on this kind
//! of machine): a memory limit that does not break the race detector (it
//! counts resident memory, unlike RLIMIT_AS) and a task limit that also
//! holds for root. Created before the run, read and removed after it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const MEMORY_ROOT: &str = "/sys/fs/cgroup/memory";
const PIDS_ROOT: &str = "/sys/fs/cgroup/pids";
const PARENT: &str = "gograde";

/// Limits a run's cgroups enforce.
#[derive(Debug, Clone, Copy)]
pub struct CgroupLimits {
    pub memory_bytes: u64,
    pub max_tasks: u64,
}

/// What a run used, read from its cgroups after it ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CgroupUsage {
    pub peak_memory_bytes: u64,
    /// The kernel killed a process for exceeding the memory limit.
    pub oom_killed: bool,
    /// A fork or thread creation was refused at the task limit.
    pub task_limit_hit: bool,
}

/// The memory and pids cgroups of one run.
pub struct RunCgroups {
    memory: PathBuf,
    pids: PathBuf,
}

impl RunCgroups {
    pub fn create(limits: &CgroupLimits) -> std::io::Result<RunCgroups> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        static SWEPT: std::sync::Once = std::sync::Once::new();
        SWEPT.call_once(sweep_stale);
        let name = format!(
            "run-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let memory = Path::new(MEMORY_ROOT).join(PARENT).join(&name);
        let pids = Path::new(PIDS_ROOT).join(PARENT).join(&name);
        std::fs::create_dir_all(&memory)?;
        let cgroups = RunCgroups { memory, pids };
        std::fs::create_dir_all(&cgroups.pids)?;
        std::fs::write(
            cgroups.memory.join("memory.limit_in_bytes"),
            limits.memory_bytes.to_string(),
        )?;
        // Without swap accounting this file is absent; the limit above holds.
        let _ = std::fs::write(
            cgroups.memory.join("memory.memsw.limit_in_bytes"),
            limits.memory_bytes.to_string(),
        );
        std::fs::write(cgroups.pids.join("pids.max"), limits.max_tasks.to_string())?;
        Ok(cgroups)
    }

    /// The files the child writes its pid to.
    pub fn procs_files(&self) -> Vec<PathBuf> {
        vec![
            self.memory.join("cgroup.procs"),
            self.pids.join("cgroup.procs"),
        ]
    }

    pub fn usage(&self) -> CgroupUsage {
        let read = |p: PathBuf| std::fs::read_to_string(p).unwrap_or_default();
        let oom_control = read(self.memory.join("memory.oom_control"));
        let oom_kills = oom_control
            .lines()
            .find_map(|l| l.strip_prefix("oom_kill "))
            .and_then(|n| n.trim().parse::<u64>().ok())
            .unwrap_or(0);
        let events = read(self.pids.join("pids.events"));
        let task_refusals = events
            .lines()
            .find_map(|l| l.strip_prefix("max "))
            .and_then(|n| n.trim().parse::<u64>().ok())
            .unwrap_or(0);
        CgroupUsage {
            peak_memory_bytes: read(self.memory.join("memory.max_usage_in_bytes"))
                .trim()
                .parse()
                .unwrap_or(0),
            oom_killed: oom_kills > 0,
            task_limit_hit: task_refusals > 0,
        }
    }

    /// Kills whatever is left and removes both cgroups.
    pub fn remove(self) {
        for dir in [&self.memory, &self.pids] {
            Self::remove_dir(dir);
        }
    }

    fn remove_dir(dir: &Path) {
        {
            for _ in 0..50 {
                let procs = std::fs::read_to_string(dir.join("cgroup.procs")).unwrap_or_default();
                for pid in procs.lines().filter_map(|l| l.trim().parse::<i32>().ok()) {
                    // SAFETY: kill(2) on a pid read from our own cgroup.
                    unsafe {
                        libc::kill(pid, libc::SIGKILL);
                    }
                }
                if std::fs::remove_dir(dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
}

/// Removes the cgroups of runs whose gograde process is gone (killed before
/// it could clean up): their processes died with it (parent-death signals,
/// pid namespace), but the empty directories stay until someone removes
/// them.
fn sweep_stale() {
    for root in [MEMORY_ROOT, PIDS_ROOT] {
        let Ok(entries) = std::fs::read_dir(Path::new(root).join(PARENT)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let owner = name
                .strip_prefix("run-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|pid| pid.parse::<i32>().ok());
            if let Some(pid) = owner
                && !crate::exec::process::alive(pid)
            {
                RunCgroups::remove_dir(&entry.path());
            }
        }
    }
}
