//! The part of the sandbox that runs in the forked child, between fork and
//! exec. Everything it needs is prepared beforehand in a `Plan` (paths as C
//! strings, map contents as bytes), because after fork in a threaded
//! program only system calls are safe: no allocation, no locks.

use std::ffi::{CStr, CString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::{BOX_DIR, Config, Limits, SANDBOX_UID};

/// The uid (and gid) the run has inside a user namespace.
const INSIDE_UID: u32 = 1000;

/// Host data directories the sandbox sees read-only (when they exist): the
/// time zone database, so `time.LoadLocation` works as on any machine.
/// Programs and libraries are not among them: only what the run's own
/// binary loads is shown (`runtime_files`).
const READ_ONLY_DATA_DIRS: &[&str] = &["/usr/share/zoneinfo"];
/// Device nodes bound into the sandbox's `/dev`.
const DEVICES: &[&str] = &["/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"];

/// A prepared mount layout.
pub struct MountPlan {
    root: CString,
    dirs: Vec<CString>,
    symlinks: Vec<(CString, CString)>,
    read_only: Vec<(CString, CString)>,
    /// Host files shown read-only at the same path (the loader, libraries).
    read_only_files: Vec<(CString, CString)>,
    devices: Vec<(CString, CString)>,
    tmp: CString,
    tmp_options: CString,
    root_options: CString,
    proc_dir: CString,
    box_dst: CString,
    box_options: CString,
    /// Directories made inside the box tmpfs (HOME).
    box_dirs: Vec<CString>,
    /// Host files shown read-only in the box (the test binary).
    box_files: Vec<(CString, CString)>,
    box_inside: CString,
}

/// Everything `enter` does, prepared outside the child.
pub struct Plan {
    unshare_flags: libc::c_int,
    user_ns: bool,
    uid_map: Vec<u8>,
    gid_map: Vec<u8>,
    pid_ns: bool,
    net_ns: bool,
    ipc_uts_ns: bool,
    drop_uid: bool,
    cgroup_procs: Vec<CString>,
    file_size: u64,
    mounts: Option<MountPlan>,
    proc_setgroups: CString,
    proc_uid_map: CString,
    proc_gid_map: CString,
    hostname: CString,
    seccomp: Option<seccompiler::BpfProgram>,
    landlock: Option<super::landlock::LandlockPlan>,
    root_slash: CString,
    old_root: CString,
    dot: CString,
}

fn cstr(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)
}

fn lit(s: &str) -> CString {
    CString::new(s).expect("no NUL in literal")
}

impl Plan {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        config: Config,
        box_dir: &Path,
        box_files: &[&Path],
        box_home: &Path,
        root_dir: Option<&Path>,
        cgroup_procs: Vec<std::path::PathBuf>,
        limits: Limits,
    ) -> io::Result<Plan> {
        let mut flags = 0;
        if config.user_ns {
            flags |= libc::CLONE_NEWUSER;
        }
        if config.net_ns {
            flags |= libc::CLONE_NEWNET;
        }
        if config.mount_ns {
            flags |= libc::CLONE_NEWNS;
        }
        if config.pid_ns {
            flags |= libc::CLONE_NEWPID;
        }
        if config.ipc_uts_ns {
            flags |= libc::CLONE_NEWIPC | libc::CLONE_NEWUTS;
        }
        // SAFETY: getters without preconditions.
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        let mounts = match root_dir {
            Some(root) if config.mount_ns => Some(mount_plan(
                root, box_dir, box_files, box_home, config, limits,
            )?),
            _ => None,
        };
        Ok(Plan {
            unshare_flags: flags,
            user_ns: config.user_ns,
            // Inside, the run is uid 1000, an ordinary user; outside it is
            // nobody (root drops to it before unsharing) or the caller.
            uid_map: format!(
                "{INSIDE_UID} {} 1\n",
                if config.drop_uid { SANDBOX_UID } else { uid }
            )
            .into_bytes(),
            gid_map: format!(
                "{INSIDE_UID} {} 1\n",
                if config.drop_uid { SANDBOX_UID } else { gid }
            )
            .into_bytes(),
            pid_ns: config.pid_ns,
            net_ns: config.net_ns,
            ipc_uts_ns: config.ipc_uts_ns,
            drop_uid: config.drop_uid,
            cgroup_procs: cgroup_procs
                .iter()
                .map(|p| cstr(p))
                .collect::<io::Result<_>>()?,
            file_size: limits.file_size_bytes,
            mounts,
            proc_setgroups: lit("/proc/self/setgroups"),
            proc_uid_map: lit("/proc/self/uid_map"),
            proc_gid_map: lit("/proc/self/gid_map"),
            hostname: lit("gograde"),
            seccomp: if config.seccomp {
                Some(deny_list()?)
            } else {
                None
            },
            landlock: if config.landlock {
                let mut writable: Vec<String> = if config.mount_ns {
                    vec![BOX_DIR.to_string(), "/tmp".to_string()]
                } else {
                    vec![box_dir.display().to_string()]
                };
                writable.extend(DEVICES.iter().map(|d| d.to_string()));
                Some(super::landlock::LandlockPlan::new(&["/"], &writable)?)
            } else {
                None
            },
            root_slash: lit("/"),
            old_root: lit("/.oldroot"),
            dot: lit("."),
        })
    }
}

fn mount_plan(
    root: &Path,
    box_dir: &Path,
    box_files: &[&Path],
    box_home: &Path,
    config: Config,
    limits: Limits,
) -> io::Result<MountPlan> {
    let needed = super::runtime_files::for_programs(box_files)?;
    let mut dirs = Vec::new();
    let mut symlinks = Vec::new();
    let mut read_only = Vec::new();
    let mut read_only_files = Vec::new();
    let inside = |host: &Path| root.join(host.strip_prefix("/").unwrap_or(host));
    // Parents sort before their children, so each mkdir finds its parent.
    let mut made: std::collections::BTreeSet<std::path::PathBuf> = needed.dirs.clone();
    let data_dirs: Vec<&Path> = READ_ONLY_DATA_DIRS
        .iter()
        .map(Path::new)
        .filter(|d| d.is_dir() && !d.is_symlink())
        .collect();
    for dir in &data_dirs {
        made.extend(
            dir.ancestors()
                .filter(|a| *a != Path::new("/"))
                .map(Path::to_path_buf),
        );
    }
    for dir in &made {
        dirs.push(cstr(&inside(dir))?);
    }
    for (link, target) in &needed.links {
        symlinks.push((cstr(target)?, cstr(&inside(link))?));
    }
    for file in &needed.files {
        read_only_files.push((cstr(file)?, cstr(&inside(file))?));
    }
    for dir in data_dirs {
        read_only.push((cstr(dir)?, cstr(&inside(dir))?));
    }
    for name in ["dev", "proc", "tmp", "box", ".oldroot"] {
        dirs.push(cstr(&root.join(name))?);
    }
    let devices = DEVICES
        .iter()
        .filter(|d| Path::new(d).exists())
        .map(|d| {
            Ok((
                cstr(Path::new(d))?,
                cstr(&root.join(d.trim_start_matches('/')))?,
            ))
        })
        .collect::<io::Result<_>>()?;
    Ok(MountPlan {
        root: cstr(root)?,
        dirs,
        symlinks,
        read_only,
        read_only_files,
        devices,
        tmp: cstr(&root.join("tmp"))?,
        tmp_options: CString::new(format!("size={},mode=1777", limits.tmp_bytes))
            .map_err(io::Error::other)?,
        root_options: lit("size=1m,mode=0755"),
        proc_dir: cstr(&root.join("proc"))?,
        box_dst: cstr(&root.join(BOX_DIR.trim_start_matches('/')))?,
        // The box is a size-capped tmpfs, so a run cannot fill the host's
        // disk; what it writes there is discarded with the namespace.
        box_options: CString::new(if config.user_ns {
            format!(
                "size={},mode=0755,uid={INSIDE_UID},gid={INSIDE_UID}",
                limits.tmp_bytes
            )
        } else if config.drop_uid {
            format!(
                "size={},mode=0755,uid={SANDBOX_UID},gid={SANDBOX_UID}",
                limits.tmp_bytes
            )
        } else {
            format!("size={},mode=0777", limits.tmp_bytes)
        })
        .map_err(io::Error::other)?,
        box_dirs: inside_box(root, box_dir, &[box_home])?,
        box_files: box_files
            .iter()
            .map(|f| Ok((cstr(f)?, inside_box(root, box_dir, &[f])?.remove(0))))
            .collect::<io::Result<_>>()?,
        box_inside: lit(BOX_DIR),
    })
}

/// Where host paths inside `box_dir` land under the new root.
fn inside_box(root: &Path, box_dir: &Path, paths: &[&Path]) -> io::Result<Vec<CString>> {
    paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(box_dir).map_err(io::Error::other)?;
            cstr(&root.join(BOX_DIR.trim_start_matches('/')).join(rel))
        })
        .collect()
}

fn check(ret: libc::c_int) -> io::Result<()> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

pub(super) fn write_file(path: &CString, bytes: &[u8]) -> io::Result<()> {
    // SAFETY: open/write/close on a prepared path and buffer.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        check(fd)?;
        let n = libc::write(fd, bytes.as_ptr().cast(), bytes.len());
        libc::close(fd);
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

fn mount(
    src: Option<&CStr>,
    dst: &CStr,
    fstype: Option<&CStr>,
    flags: libc::c_ulong,
    data: Option<&CStr>,
) -> io::Result<()> {
    let ptr = |c: Option<&CStr>| c.map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: mount(2) with prepared NUL-terminated strings or nulls.
    check(unsafe { libc::mount(ptr(src), dst.as_ptr(), ptr(fstype), flags, ptr(data).cast()) })
}

/// Runs in the child after fork, before exec. Returns an error to make the
/// spawn fail (the parent then degrades to a weaker configuration).
pub fn enter(plan: &Plan) -> io::Result<()> {
    // SAFETY: getppid(2) has no preconditions. Our parent is gograde.
    let spawner = unsafe { libc::getppid() };
    for procs in &plan.cgroup_procs {
        // "0" moves the writing process; its children follow.
        write_file(procs, b"0")?;
    }
    // SAFETY: setrlimit(2) on local structs.
    unsafe {
        let fsize = libc::rlimit {
            rlim_cur: plan.file_size,
            rlim_max: plan.file_size,
        };
        check(libc::setrlimit(libc::RLIMIT_FSIZE, &fsize))?;
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        check(libc::setrlimit(libc::RLIMIT_CORE, &none))?;
    }
    if plan.user_ns && plan.drop_uid {
        // Root becomes nobody before creating the user namespace, so the
        // namespace's owner, and the run seen from the host, is nobody.
        drop_to_nobody()?;
        // Changing uid made the process non-dumpable, which would make
        // /proc/self/uid_map belong to root: undo that.
        // SAFETY: prctl(2) with constant arguments.
        check(unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0) })?;
    }
    if plan.unshare_flags != 0 {
        // SAFETY: unshare(2) with constant flags.
        check(unsafe { libc::unshare(plan.unshare_flags) })?;
    }
    if plan.user_ns {
        write_file(&plan.proc_setgroups, b"deny")?;
        write_file(&plan.proc_uid_map, &plan.uid_map)?;
        write_file(&plan.proc_gid_map, &plan.gid_map)?;
    }
    if plan.pid_ns {
        become_pid_one(spawner)?;
    }
    if plan.ipc_uts_ns {
        // SAFETY: sethostname(2) on a prepared string.
        unsafe {
            libc::sethostname(plan.hostname.as_ptr(), plan.hostname.as_bytes().len());
        }
    }
    if plan.net_ns {
        loopback_up();
    }
    if let Some(m) = &plan.mounts {
        build_root(plan, m)?;
    }
    if plan.drop_uid && !plan.user_ns {
        drop_to_nobody()?;
    }
    // SAFETY: prctl(2) with constant arguments. The parent-death signal
    // must be set after the uid change, which clears it: if the shim (or,
    // without a pid namespace, gograde) dies, so does the run.
    unsafe {
        check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0))?;
        if !plan.pid_ns && libc::getppid() != spawner {
            libc::_exit(1);
        }
    }
    // SAFETY: prctl(2) with constant arguments.
    check(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) })?;
    if let Some(rules) = &plan.landlock {
        super::landlock::restrict(rules)?;
    }
    if let Some(program) = &plan.seccomp {
        // Last: the filter also forbids the mount and namespace calls above.
        seccompiler::apply_filter(program)
            .map_err(|_| io::Error::from_raw_os_error(libc::EPERM))?;
    }
    if plan.pid_ns {
        fork_init()?;
    }
    Ok(())
}

/// System calls a test has no business making, refused with EPERM:
/// debugging other processes, changing mounts or namespaces, kernel
/// modules, keyrings, BPF, clocks and the like. Defence in depth beside the
/// namespaces; `personality` stays allowed (the race runtime uses it).
const DENIED_SYSCALLS: &[libc::c_long] = &[
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_bpf,
    libc::SYS_perf_event_open,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_reboot,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    libc::SYS_acct,
    libc::SYS_userfaultfd,
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    libc::SYS_iopl,
    libc::SYS_ioperm,
    libc::SYS_quotactl,
    libc::SYS_syslog,
    libc::SYS_fanotify_init,
    libc::SYS_settimeofday,
    libc::SYS_clock_settime,
    libc::SYS_clock_adjtime,
    libc::SYS_adjtimex,
    libc::SYS_sethostname,
    libc::SYS_setdomainname,
];

fn deny_list() -> io::Result<seccompiler::BpfProgram> {
    let rules = DENIED_SYSCALLS.iter().map(|n| (*n, Vec::new())).collect();
    let arch = std::env::consts::ARCH
        .try_into()
        .map_err(io::Error::other)?;
    let filter = seccompiler::SeccompFilter::new(
        rules,
        seccompiler::SeccompAction::Allow,
        seccompiler::SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(io::Error::other)?;
    filter.try_into().map_err(io::Error::other)
}

/// Root gives up its identity for nobody's, groups included.
fn drop_to_nobody() -> io::Result<()> {
    // SAFETY: credential system calls with constant ids.
    unsafe {
        check(libc::setgroups(0, std::ptr::null()))?;
        check(libc::setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID))?;
        check(libc::setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID))?;
    }
    Ok(())
}

/// After unshare(CLONE_NEWPID) only children enter the new namespace: fork
/// once. The parent stays behind as a shim that waits and passes on the exit
/// status; the child, pid 1 of the namespace, goes on to exec. When pid 1
/// dies the kernel kills everything else in the namespace, so no descendant
/// (setsid or double-forked) outlives the run.
fn become_pid_one(spawner: libc::pid_t) -> io::Result<()> {
    // SAFETY: fork in a single-threaded child; the parent branch only makes
    // system calls and never returns.
    let pid = unsafe { libc::fork() };
    check(pid)?;
    if pid == 0 {
        return Ok(());
    }
    // The shim dies with gograde (and the namespace with the shim).
    stay_behind(pid, spawner)
}

/// The parent side of a fork in the child: dies with its own parent
/// (`expected_parent`; if that is already gone, stops at once), closes
/// every inherited descriptor (among them the pipe std uses to learn
/// whether exec succeeded, and the copies of stdout/stderr) so neither the
/// spawner nor the output reader waits on it, reaps children, and exits
/// with `child`'s status. A process that never execs keeps its parent-death
/// signal, unlike the test binary, whose exec clears it.
fn stay_behind(child: libc::pid_t, expected_parent: libc::pid_t) -> ! {
    // SAFETY: system calls only; never returns.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0);
        // A fork of gograde holds a copy of its memory (the run's result
        // key among it): not dumpable, so the run cannot read /proc/1/mem.
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        if libc::getppid() != expected_parent {
            libc::kill(child, libc::SIGKILL);
            libc::_exit(1);
        }
        libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32);
        let mut status = 0;
        loop {
            // -1: as a namespace's init this also reaps orphans.
            let r = libc::waitpid(-1, &mut status, 0);
            if r == child {
                break;
            }
            if r < 0 && *libc::__errno_location() != libc::EINTR {
                libc::_exit(127);
            }
        }
        if libc::WIFEXITED(status) {
            libc::_exit(libc::WEXITSTATUS(status));
        }
        libc::_exit(128 + libc::WTERMSIG(status));
    }
}

/// In a pid namespace, the namespace's pid 1 stays our own code: it forks
/// the process that execs the test binary (pid 2) and waits. Its death,
/// when the shim or gograde dies, takes the whole namespace with it, which
/// the test binary's own parent-death signal could not promise.
fn fork_init() -> io::Result<()> {
    // SAFETY: getppid/fork in a single-threaded child.
    let (parent, pid) = unsafe { (libc::getppid(), libc::fork()) };
    check(pid)?;
    if pid == 0 {
        return Ok(());
    }
    stay_behind(pid, parent)
}

/// Brings up `lo` in the new network namespace: the run gets a loopback of
/// its own and nothing else.
fn loopback_up() {
    // SAFETY: socket/ioctl/close on a zeroed ifreq naming "lo".
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return;
        }
        let mut ifr: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo".iter().enumerate() {
            ifr.ifr_name[i] = *b as libc::c_char;
        }
        ifr.ifr_ifru.ifru_flags =
            (libc::IFF_UP | libc::IFF_LOOPBACK | libc::IFF_RUNNING) as libc::c_short;
        libc::ioctl(fd, libc::SIOCSIFFLAGS, &ifr);
        libc::close(fd);
    }
}

/// Builds a minimal root on a tmpfs: the loader and libraries the run's
/// binary needs and the zone data read-only, a few device nodes, a private /proc and /tmp, the box read-write; then pivots
/// into it and drops the old root, so nothing else of the host is visible.
///
/// Long on purpose: the mounts must happen in exactly this order (each one
/// depends on the ones before), and it runs in the forked child before
/// exec, where the sequence is easiest to audit read straight through.
fn build_root(plan: &Plan, m: &MountPlan) -> io::Result<()> {
    let nosuid = (libc::MS_NOSUID | libc::MS_NODEV) as libc::c_ulong;
    // Nothing we mount may propagate back to the host.
    mount(
        None,
        &plan.root_slash,
        None,
        (libc::MS_REC | libc::MS_PRIVATE) as libc::c_ulong,
        None,
    )?;
    mount(
        Some(TMPFS),
        &m.root,
        Some(TMPFS),
        nosuid,
        Some(m.root_options.as_c_str()),
    )?;
    // SAFETY: mkdir/symlink/open/close on prepared paths.
    unsafe {
        for dir in &m.dirs {
            libc::mkdir(dir.as_ptr(), 0o755);
        }
        for (target, link) in &m.symlinks {
            libc::symlink(target.as_ptr(), link.as_ptr());
        }
        for (_, dst) in m.devices.iter().chain(&m.read_only_files) {
            let fd = libc::open(
                dst.as_ptr(),
                libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                0o666,
            );
            if fd >= 0 {
                libc::close(fd);
            }
        }
    }
    let bind = libc::MS_BIND as libc::c_ulong;
    let remount_ro =
        (libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV)
            as libc::c_ulong;
    for (src, dst) in &m.read_only {
        mount(
            Some(src.as_c_str()),
            dst,
            None,
            bind | libc::MS_REC as libc::c_ulong,
            None,
        )?;
        mount(None, dst, None, remount_ro, None)?;
    }
    for (src, dst) in &m.read_only_files {
        mount(Some(src.as_c_str()), dst, None, bind, None)?;
        mount(None, dst, None, remount_ro, None)?;
    }
    for (src, dst) in &m.devices {
        mount(Some(src.as_c_str()), dst, None, bind, None)?;
    }
    mount(
        Some(TMPFS),
        &m.tmp,
        Some(TMPFS),
        nosuid,
        Some(m.tmp_options.as_c_str()),
    )?;
    mount(
        Some(TMPFS),
        &m.box_dst,
        Some(TMPFS),
        nosuid,
        Some(m.box_options.as_c_str()),
    )?;
    // SAFETY: mkdir/open/close on prepared paths.
    unsafe {
        for dir in &m.box_dirs {
            libc::mkdir(dir.as_ptr(), 0o755);
            if plan.user_ns {
                libc::chown(dir.as_ptr(), INSIDE_UID, INSIDE_UID);
            } else if plan.drop_uid {
                libc::chown(dir.as_ptr(), SANDBOX_UID, SANDBOX_UID);
            }
        }
        for (_, dst) in &m.box_files {
            let fd = libc::open(
                dst.as_ptr(),
                libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC,
                0o755,
            );
            if fd >= 0 {
                libc::close(fd);
            }
        }
    }
    for (src, dst) in &m.box_files {
        mount(Some(src.as_c_str()), dst, None, bind, None)?;
        mount(
            None,
            dst,
            None,
            remount_ro & !(libc::MS_NODEV as libc::c_ulong),
            None,
        )?;
    }
    mount(
        Some(PROC),
        &m.proc_dir,
        Some(PROC),
        (libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC) as libc::c_ulong,
        None,
    )?;
    // SAFETY: chdir/pivot_root/umount2/rmdir on prepared paths.
    unsafe {
        check(libc::chdir(m.root.as_ptr()))?;
        check(libc::syscall(
            libc::SYS_pivot_root,
            plan.dot.as_ptr(),
            c".oldroot".as_ptr(),
        ) as libc::c_int)?;
        check(libc::umount2(plan.old_root.as_ptr(), libc::MNT_DETACH))?;
        libc::rmdir(plan.old_root.as_ptr());
    }
    mount(
        None,
        &plan.root_slash,
        None,
        (libc::MS_REMOUNT | libc::MS_RDONLY) as libc::c_ulong | nosuid,
        Some(m.root_options.as_c_str()),
    )?;
    // SAFETY: chdir on a prepared path.
    check(unsafe { libc::chdir(m.box_inside.as_ptr()) })
}

const TMPFS: &CStr = c"tmpfs";
const PROC: &CStr = c"proc";
