//! Contains the run of an untrusted test binary with layers native to the
//! binary (no container engine): fresh network, mount, pid, ipc and uts
//! namespaces (a user namespace too when not root), a minimal read-only
//! filesystem view with only the box directory writable, an unprivileged uid,
//! memory and process limits in cgroups, and file-size limits. Which layers
//! are active is probed once and reported; missing ones degrade in a fixed
//! order instead of failing the run.

pub mod build;
mod cgroup;
mod child;
mod landlock;
mod runtime_files;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use cgroup::{CgroupLimits, CgroupUsage};

/// Where the box directory appears inside the sandbox.
pub const BOX_DIR: &str = "/box";
/// The unprivileged uid and gid the test binary runs as (nobody).
pub const SANDBOX_UID: u32 = 65534;

/// Limits applied to one run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub memory_bytes: u64,
    pub max_tasks: u64,
    pub file_size_bytes: u64,
    pub tmp_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            memory_bytes: 2 << 30,
            max_tasks: 256,
            file_size_bytes: 64 << 20,
            tmp_bytes: 64 << 20,
        }
    }
}

/// State of one containment layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerState {
    Active,
    /// Available on this machine but switched off (fallback or by choice).
    Degraded,
    Unavailable,
}

impl LayerState {
    pub fn as_str(self) -> &'static str {
        match self {
            LayerState::Active => "active",
            LayerState::Degraded => "degraded",
            LayerState::Unavailable => "unavailable",
        }
    }
}

/// Which layers a run gets (or got).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layers {
    pub user_namespace: LayerState,
    pub network_namespace: LayerState,
    pub mount_namespace: LayerState,
    pub pid_namespace: LayerState,
    pub ipc_uts_namespaces: LayerState,
    pub unprivileged_uid: LayerState,
    pub memory_cgroup: LayerState,
    pub pids_cgroup: LayerState,
    pub file_size_limit: LayerState,
    pub seccomp: LayerState,
    pub landlock: LayerState,
}

impl Layers {
    /// Every layer off: a plain child process.
    pub fn none() -> Layers {
        Layers {
            user_namespace: LayerState::Unavailable,
            network_namespace: LayerState::Unavailable,
            mount_namespace: LayerState::Unavailable,
            pid_namespace: LayerState::Unavailable,
            ipc_uts_namespaces: LayerState::Unavailable,
            unprivileged_uid: LayerState::Unavailable,
            memory_cgroup: LayerState::Unavailable,
            pids_cgroup: LayerState::Unavailable,
            file_size_limit: LayerState::Unavailable,
            seccomp: LayerState::Unavailable,
            landlock: LayerState::Unavailable,
        }
    }

    /// Name and state of each layer, for reports.
    pub fn list(&self) -> Vec<(&'static str, LayerState)> {
        vec![
            ("network namespace (loopback only)", self.network_namespace),
            (
                "mount namespace (minimal read-only root, box writable)",
                self.mount_namespace,
            ),
            ("pid namespace (whole tree killed)", self.pid_namespace),
            ("ipc and uts namespaces", self.ipc_uts_namespaces),
            ("user namespace", self.user_namespace),
            ("unprivileged uid", self.unprivileged_uid),
            ("memory cgroup", self.memory_cgroup),
            ("pids cgroup", self.pids_cgroup),
            ("file size limit", self.file_size_limit),
            ("seccomp deny-list", self.seccomp),
            ("landlock (writes only in the box and /tmp)", self.landlock),
        ]
    }

    /// Whether something contains the network or the filesystem: without
    /// either, gograde refuses to run untrusted code unless told to.
    pub fn contains_anything(&self) -> bool {
        self.network_namespace == LayerState::Active || self.mount_namespace == LayerState::Active
    }

    /// One word per SPEC `sandbox` field.
    pub fn network(&self) -> &'static str {
        match self.network_namespace {
            LayerState::Active => "isolated",
            LayerState::Degraded | LayerState::Unavailable => "host",
        }
    }

    pub fn filesystem(&self) -> &'static str {
        match self.mount_namespace {
            LayerState::Active => "isolated",
            LayerState::Degraded | LayerState::Unavailable => "host",
        }
    }

    pub fn processes(&self) -> &'static str {
        match self.pid_namespace {
            LayerState::Active => "isolated",
            LayerState::Degraded | LayerState::Unavailable => "process_group",
        }
    }
}

/// A sandbox configuration chosen from what the machine supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub user_ns: bool,
    pub net_ns: bool,
    pub mount_ns: bool,
    pub pid_ns: bool,
    pub ipc_uts_ns: bool,
    pub drop_uid: bool,
    pub cgroups: bool,
    pub seccomp: bool,
    pub landlock: bool,
}

impl Config {
    /// No layer at all: a plain child process (only with --allow-unsandboxed).
    pub fn none() -> Config {
        Config {
            user_ns: false,
            net_ns: false,
            mount_ns: false,
            pid_ns: false,
            ipc_uts_ns: false,
            drop_uid: false,
            cgroups: false,
            seccomp: false,
            landlock: false,
        }
    }

    /// Everything this process can ask for: a user namespace always (root
    /// first becomes nobody, so the run is nobody outside and uid 1000
    /// inside); cgroups only as root.
    pub fn strongest() -> Config {
        let root = is_root();
        Config {
            user_ns: true,
            net_ns: true,
            mount_ns: true,
            pid_ns: true,
            ipc_uts_ns: true,
            drop_uid: root,
            cgroups: root,
            seccomp: true,
            landlock: landlock::abi_version() >= 1,
        }
    }

    /// This configuration with the named layers switched off.
    fn without(mut self, skip: &[String]) -> Config {
        for layer in skip {
            match layer.as_str() {
                "cgroups" => self.cgroups = false,
                "seccomp" => self.seccomp = false,
                "landlock" => self.landlock = false,
                "userns" => self.user_ns = false,
                "pidns" => self.pid_ns = false,
                "mountns" => {
                    self.mount_ns = false;
                    self.ipc_uts_ns = false;
                    // Without its own root the run needs the host path to
                    // the box, which nobody cannot traverse (/root is 0700).
                    self.drop_uid = false;
                }
                "netns" => self.net_ns = false,
                _ => {}
            }
        }
        self
    }

    /// Configurations to try, strongest first. The documented degradation
    /// order: Landlock first, then seccomp, cgroups, the
    /// user namespace, the pid namespace, the mount namespace and the
    /// network namespace last.
    fn fallbacks(self) -> Vec<Config> {
        let mut out = vec![self];
        let mut c = self;
        let steps: [fn(&mut Config); 7] = [
            |c| c.landlock = false,
            |c| c.seccomp = false,
            |c| c.cgroups = false,
            |c| c.user_ns = false,
            |c| c.pid_ns = false,
            |c| {
                c.mount_ns = false;
                c.ipc_uts_ns = false;
                c.drop_uid = false;
            },
            |c| c.net_ns = false,
        ];
        // First each layer alone (keeping all others), then cumulatively.
        for step in steps {
            let mut single = self;
            step(&mut single);
            if !out.contains(&single) {
                out.push(single);
            }
        }
        for step in steps {
            step(&mut c);
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    fn layers(&self, strongest: &Config) -> Layers {
        let state = |on: bool, possible: bool| match (on, possible) {
            (true, _) => LayerState::Active,
            (false, true) => LayerState::Degraded,
            (false, false) => LayerState::Unavailable,
        };
        Layers {
            user_namespace: state(self.user_ns, strongest.user_ns),
            network_namespace: state(self.net_ns, strongest.net_ns),
            mount_namespace: state(self.mount_ns, strongest.mount_ns),
            pid_namespace: state(self.pid_ns, strongest.pid_ns),
            ipc_uts_namespaces: state(self.ipc_uts_ns, strongest.ipc_uts_ns),
            unprivileged_uid: state(self.drop_uid || self.user_ns, true),
            memory_cgroup: state(self.cgroups, strongest.cgroups),
            pids_cgroup: state(self.cgroups, strongest.cgroups),
            file_size_limit: LayerState::Active,
            seccomp: state(self.seccomp, strongest.seccomp),
            landlock: state(self.landlock, strongest.landlock),
        }
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid(2) has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// What this machine supports, probed once per process by really starting
/// `/bin/true` under each configuration, strongest first.
pub fn machine_config(scratch: &Path) -> (Option<Config>, Layers) {
    static PROBED: OnceLock<(Option<Config>, Layers)> = OnceLock::new();
    *PROBED.get_or_init(|| {
        let strongest = Config::strongest().without(&skipped_layers());
        for config in strongest.fallbacks() {
            if probe(config, scratch) {
                return (Some(config), config.layers(&strongest));
            }
        }
        (None, Layers::none())
    })
}

/// Layers to treat as unavailable, from `GOGRADE_SANDBOX_SKIP` (a comma
/// list of cgroups, userns, pidns, mountns, netns): for testing how gograde
/// degrades, and for machines where a layer misbehaves.
fn skipped_layers() -> Vec<String> {
    std::env::var("GOGRADE_SANDBOX_SKIP")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn probe(config: Config, scratch: &Path) -> bool {
    let Ok(dir) = tempfile::Builder::new()
        .prefix(&format!("probe-{}-", std::process::id()))
        .tempdir_in(scratch)
    else {
        return false;
    };
    let home = dir.path().join("home");
    // Inside its own root the run sees only the box and what the programs
    // in it load, so the probe's program is a copy of `true` in the box.
    let copy = dir.path().join("true");
    let files: Vec<&Path> = if config.mount_ns {
        let copied = ["/usr/bin/true", "/bin/true"]
            .iter()
            .any(|t| std::fs::copy(t, &copy).is_ok());
        if !copied {
            return false;
        }
        vec![copy.as_path()]
    } else {
        Vec::new()
    };
    let Ok(mut sandbox) = Sandbox::prepare(config, dir.path(), &files, &home, Limits::default())
    else {
        return false;
    };
    let program = if config.mount_ns {
        sandbox.inside(dir.path(), &copy)
    } else {
        PathBuf::from("true")
    };
    let mut cmd = Command::new(program);
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    sandbox.apply(&mut cmd);
    let ok = cmd.status().is_ok_and(|s| s.success());
    sandbox.finish();
    ok
}

/// Everything prepared (outside the child) for one sandboxed run.
pub struct Sandbox {
    config: Config,
    plan: Option<child::Plan>,
    cgroups: Option<cgroup::RunCgroups>,
    root_dir: Option<tempfile::TempDir>,
}

impl Sandbox {
    /// Prepares a run in `box_dir`, which appears at `/box` as a writable,
    /// size-capped tmpfs holding read-only copies of `files` (the test
    /// binary) and an empty `home` directory.
    pub fn prepare(
        config: Config,
        box_dir: &Path,
        files: &[&Path],
        home: &Path,
        limits: Limits,
    ) -> std::io::Result<Sandbox> {
        let cgroups = if config.cgroups {
            Some(cgroup::RunCgroups::create(&CgroupLimits {
                memory_bytes: limits.memory_bytes,
                max_tasks: limits.max_tasks,
            })?)
        } else {
            None
        };
        let root_dir = if config.mount_ns {
            let parent = box_dir.parent().unwrap_or(Path::new("/tmp"));
            let root = tempfile::Builder::new()
                .prefix(&format!("root-{}-", std::process::id()))
                .tempdir_in(parent)?;
            // The run may mount onto it after giving up root.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755))?;
            Some(root)
        } else {
            None
        };
        let plan = child::Plan::new(
            config,
            box_dir,
            files,
            home,
            root_dir.as_ref().map(|d| d.path()),
            cgroups
                .as_ref()
                .map(|c| c.procs_files())
                .unwrap_or_default(),
            limits,
        )?;
        Ok(Sandbox {
            config,
            plan: Some(plan),
            cgroups,
            root_dir,
        })
    }

    /// The path of `host_path` (inside the box) as the sandboxed program
    /// sees it.
    pub fn inside(&self, box_dir: &Path, host_path: &Path) -> PathBuf {
        if !self.config.mount_ns {
            return host_path.to_path_buf();
        }
        match host_path.strip_prefix(box_dir) {
            Ok(rel) => Path::new(BOX_DIR).join(rel),
            Err(_) => host_path.to_path_buf(),
        }
    }

    /// Arranges for `cmd` to start inside the sandbox.
    pub fn apply(&mut self, cmd: &mut Command) {
        if let Some(plan) = self.plan.take() {
            // SAFETY: the closure runs in the forked child before exec. It
            // only makes system calls on data prepared beforehand (no
            // allocation, no locks), see `child::enter`.
            unsafe {
                cmd.pre_exec(move || child::enter(&plan));
            }
        }
    }

    /// Reads what the run used, then removes the cgroups and the root.
    pub fn finish(mut self) -> Option<CgroupUsage> {
        let usage = self.cgroups.as_ref().map(|c| c.usage());
        if let Some(c) = self.cgroups.take() {
            c.remove();
        }
        if let Some(root) = self.root_dir.take() {
            let _ = root.close();
        }
        usage
    }
}
