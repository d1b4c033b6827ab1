//! How many submissions to grade at once when the user does not say
//! (`--jobs`): derived from the cores and the memory this machine has.

/// Memory one grade needs besides its run: the compiler and linker of a
/// race-instrumented test binary peak near 100 MiB (measured with
/// `/usr/bin/time -v` on the shipped exercises); rounded up for headroom.
const BUILD_MIB: u64 = 256;

/// The default number of concurrent grades for a machine with `cpus`
/// usable cores and `available_mib` of memory to spare (`None` when it
/// cannot be read), when each run may use up to `run_limit_mib`.
///
/// Cores: one more job than cores. A grade is not pure CPU: it waits on
/// process start-up, the sandbox's namespace set-up and pipes, so on two
/// cores three jobs measured 20% more submissions a minute than two, while
/// more than that only adds contention (see `bench/batch.sh`).
///
/// Memory: every job may reach its run's memory limit at the same moment
/// (a batch of bad submissions can do exactly that), and the host must
/// still not run out, so the jobs' worst case has to fit in what is free.
/// The memory cgroup holds each run to its own limit; this keeps their sum
/// within the machine.
pub fn default_jobs(cpus: usize, available_mib: Option<u64>, run_limit_mib: u64) -> usize {
    let by_cores = cpus.max(1) + 1;
    let by_memory = match available_mib {
        Some(free) => (free / (run_limit_mib + BUILD_MIB).max(1)) as usize,
        None => by_cores,
    };
    by_cores.min(by_memory).max(1)
}

/// [`default_jobs`] for this machine: the cores this process may use (its
/// CPU affinity and cgroup quota, as `available_parallelism` reads them)
/// and `MemAvailable` from `/proc/meminfo`.
pub fn machine_jobs(run_limit_mib: u64) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| mem_available_mib(&text));
    default_jobs(cpus, available, run_limit_mib)
}

/// `MemAvailable` of a `/proc/meminfo` text, in MiB.
fn mem_available_mib(meminfo: &str) -> Option<u64> {
    meminfo.lines().find_map(|line| {
        let rest = line.strip_prefix("MemAvailable:")?;
        let kib: u64 = rest.trim().strip_suffix("kB")?.trim().parse().ok()?;
        Some(kib / 1024)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_more_job_than_cores_when_memory_is_plenty() {
        assert_eq!(default_jobs(2, Some(24 * 1024), 2048), 3);
        assert_eq!(default_jobs(16, Some(256 * 1024), 2048), 17);
        assert_eq!(default_jobs(4, None, 2048), 5);
    }

    #[test]
    fn memory_caps_the_jobs_so_every_run_at_its_limit_still_fits() {
        // 8 GiB free, 2 GiB a run + build: 3 jobs, not the 5 the cores allow.
        assert_eq!(default_jobs(4, Some(8 * 1024), 2048), 3);
        // A smaller run limit lets more run.
        assert_eq!(default_jobs(4, Some(8 * 1024), 512), 5);
        // Never zero, even on a machine that is out of memory.
        assert_eq!(default_jobs(4, Some(100), 2048), 1);
        assert_eq!(default_jobs(0, Some(0), 0), 1);
    }

    #[test]
    fn reads_mem_available() {
        let text = "MemTotal:       24683520 kB\nMemFree:        23144224 kB\nMemAvailable:   24182352 kB\n";
        assert_eq!(mem_available_mib(text), Some(23615));
        assert_eq!(mem_available_mib("MemTotal: 1 kB\n"), None);
    }
}
