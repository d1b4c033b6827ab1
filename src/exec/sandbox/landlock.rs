//! Landlock, as defence in depth under the mount namespace: the run may
//! read and execute anywhere it can see, but write only in the box, /tmp
//! and a few device nodes; where the kernel supports scoping (ABI 6), it
//! may also not signal processes or reach abstract unix sockets outside its
//! own domain. Raw system calls on structures prepared before fork.

use std::ffi::CString;
use std::io;

const CREATE_RULESET_VERSION: u32 = 1;
const RULE_PATH_BENEATH: libc::c_int = 1;

const EXECUTE: u64 = 1 << 0;
const WRITE_FILE: u64 = 1 << 1;
const READ_FILE: u64 = 1 << 2;
const READ_DIR: u64 = 1 << 3;
/// Every filesystem right of ABI 1 (bits 0-12).
const ABI1_ALL: u64 = (1 << 13) - 1;
const REFER: u64 = 1 << 13;
const TRUNCATE: u64 = 1 << 14;
const SCOPE_ABSTRACT_UNIX_SOCKET: u64 = 1 << 0;
const SCOPE_SIGNAL: u64 = 1 << 1;

#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// Paths and rights prepared outside the child.
pub struct LandlockPlan {
    read_only: Vec<CString>,
    writable: Vec<CString>,
}

impl LandlockPlan {
    pub fn new(read_only: &[&str], writable: &[String]) -> io::Result<LandlockPlan> {
        let c = |s: &str| CString::new(s).map_err(io::Error::other);
        Ok(LandlockPlan {
            read_only: read_only.iter().map(|s| c(s)).collect::<io::Result<_>>()?,
            writable: writable.iter().map(|s| c(s)).collect::<io::Result<_>>()?,
        })
    }
}

/// The kernel's Landlock ABI version, 0 when Landlock is unavailable.
pub fn abi_version() -> i64 {
    // SAFETY: the documented version query: null attribute, size 0.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<RulesetAttr>(),
            0usize,
            CREATE_RULESET_VERSION,
        )
    };
    v.max(0)
}

/// Restricts the calling process (in the child, before exec). Requires
/// no_new_privs to be set already.
pub fn restrict(plan: &LandlockPlan) -> io::Result<()> {
    let abi = abi_version();
    if abi < 1 {
        return Err(io::Error::from_raw_os_error(libc::EOPNOTSUPP));
    }
    let mut handled = ABI1_ALL;
    if abi >= 2 {
        handled |= REFER;
    }
    if abi >= 3 {
        handled |= TRUNCATE;
    }
    let attr = RulesetAttr {
        handled_access_fs: handled,
        handled_access_net: 0,
        scoped: if abi >= 6 {
            SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
        } else {
            0
        },
    };
    let size = if abi >= 6 {
        std::mem::size_of::<RulesetAttr>()
    } else {
        8
    };
    // SAFETY: system calls on local, initialised structures and prepared
    // paths; every descriptor opened here is closed before returning.
    unsafe {
        let ruleset = libc::syscall(
            libc::SYS_landlock_create_ruleset,
            &attr as *const RulesetAttr,
            size,
            0u32,
        ) as libc::c_int;
        if ruleset < 0 {
            return Err(io::Error::last_os_error());
        }
        let read_rights = (EXECUTE | READ_FILE | READ_DIR) & handled;
        let rules = plan
            .read_only
            .iter()
            .map(|p| (p, read_rights))
            .chain(plan.writable.iter().map(|p| (p, handled)));
        for (path, rights) in rules {
            let fd = libc::open(path.as_ptr(), libc::O_PATH | libc::O_CLOEXEC);
            if fd < 0 {
                continue;
            }
            let mut stat: libc::stat = std::mem::zeroed();
            // A rule on a file may only carry file rights.
            let rights = if libc::fstat(fd, &mut stat) == 0
                && (stat.st_mode & libc::S_IFMT) != libc::S_IFDIR
            {
                rights & (EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE)
            } else {
                rights
            };
            let beneath = PathBeneathAttr {
                allowed_access: rights,
                parent_fd: fd,
            };
            let r = libc::syscall(
                libc::SYS_landlock_add_rule,
                ruleset,
                RULE_PATH_BENEATH,
                &beneath as *const PathBeneathAttr,
                0u32,
            );
            libc::close(fd);
            if r < 0 {
                libc::close(ruleset);
                return Err(io::Error::last_os_error());
            }
        }
        let r = libc::syscall(libc::SYS_landlock_restrict_self, ruleset, 0u32);
        libc::close(ruleset);
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
