//! Runs a child process with a deadline: its own process group, stdout and
//! stderr drained on threads so a full pipe never blocks it, output capped
//! (head and tail kept), and the whole group killed on timeout and after
//! exit so no stray child outlives the run. A grade's `Cancel` token, set
//! for the thread that runs it, stops the wait early the same way.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How long to wait for pipes to close after the group was killed: a child
/// that escaped the group may hold them open forever.
const DRAIN_GRACE: Duration = Duration::from_millis(500);

/// How often a wait looks at the cancellation token: short enough that a
/// cancelled grade's processes die well within a second.
const CANCEL_POLL: Duration = Duration::from_millis(25);

/// A request to stop a grade early (its client went away). Cloned into
/// whoever may cancel; every wait on a child of the grade checks it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token not yet cancelled.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Stops the grade: its running child is killed at the next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether `cancel` was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

thread_local! {
    /// The token of the grade this thread works for. A thread-local rather
    /// than a parameter so the build and run layers between the engine and
    /// this module need not carry it.
    static CURRENT: std::cell::RefCell<Option<Cancel>> = const { std::cell::RefCell::new(None) };
}

/// Runs `work` with `cancel` as this thread's token: every `run` and
/// `run_pipeline` inside it stops (kills its group) once it is cancelled.
pub fn with_cancel<T>(cancel: Option<&Cancel>, work: impl FnOnce() -> T) -> T {
    let previous = CURRENT.with(|c| c.replace(cancel.cloned()));
    // Restored even if `work` panics, so a pooled thread starts clean.
    struct Restore(Option<Cancel>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let _restore = Restore(previous);
    work()
}

/// This thread's token, to hand to a helper thread.
pub fn current_cancel() -> Option<Cancel> {
    CURRENT.with(|c| c.borrow().clone())
}

fn cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(Cancel::is_cancelled))
}

/// Waits for the child's exit status until `deadline`, returning early with
/// `None` when this thread's grade is cancelled (or the deadline passes).
fn wait_exit<T>(exit: &mpsc::Receiver<T>, deadline: Instant) -> Option<T> {
    let token = current_cancel();
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let slice = match &token {
            Some(_) => remaining.min(CANCEL_POLL),
            None => remaining,
        };
        match exit.recv_timeout(slice) {
            Ok(value) => return Some(value),
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if token.as_ref().is_some_and(Cancel::is_cancelled) || remaining <= slice {
                    return None;
                }
            }
        }
    }
}

/// What a cancelled grade gets instead of running anything more.
fn not_started(started: Instant) -> Captured {
    Captured {
        status: None,
        stdout: String::new(),
        stderr: String::new(),
        timed_out: true,
        truncated: false,
        over_memory: false,
        cancelled: true,
        elapsed: started.elapsed(),
    }
}

/// What a finished (or killed) child left behind.
#[derive(Debug)]
pub struct Captured {
    /// `None` when the child was killed at the deadline.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
    /// Output went over the cap; the middle was dropped.
    pub truncated: bool,
    /// The group's resident memory passed the polled limit (the fallback
    /// when no memory cgroup is available) and it was killed.
    pub over_memory: bool,
    /// The grade was cancelled and the child killed; `timed_out` is set
    /// too, so callers stop as they would at the deadline.
    pub cancelled: bool,
    pub elapsed: Duration,
}

/// Runs `command` until it exits or `deadline` passes, its stdout and
/// stderr kept apart (see [`run_with`]).
pub fn run(
    command: Command,
    deadline: Instant,
    output_cap: usize,
    rss_limit: Option<u64>,
) -> std::io::Result<Captured> {
    run_with(command, Streams::Separate, deadline, output_cap, rss_limit)
}

/// Runs `command` as [`run`] does, its stderr into the same pipe as its
/// stdout (see [`Streams::Merged`]).
pub fn run_merged(
    command: Command,
    deadline: Instant,
    output_cap: usize,
    rss_limit: Option<u64>,
) -> std::io::Result<Captured> {
    run_with(command, Streams::Merged, deadline, output_cap, rss_limit)
}

/// Where a child's stderr goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Streams {
    /// Kept apart: `Captured::stderr` has it.
    Separate,
    /// Into the same pipe as stdout, interleaved as written (a test
    /// binary's framing and a crash's stack, in order): `Captured::stdout`
    /// has both, `stderr` is empty.
    Merged,
}

/// Runs `command` until it exits or `deadline` passes; with `rss_limit`,
/// the group is killed once its resident memory passes it. A child that
/// closes its output and stays is waited for until the deadline: on a
/// busy machine one can take a while to exit after that, and only the
/// deadline makes it a hang.
fn run_with(
    mut command: Command,
    streams: Streams,
    deadline: Instant,
    output_cap: usize,
    rss_limit: Option<u64>,
) -> std::io::Result<Captured> {
    let started = Instant::now();
    if cancelled() {
        return Ok(not_started(started));
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let merged = match streams {
        Streams::Separate => None,
        Streams::Merged => {
            let (reader, writer) = std::io::pipe()?;
            command.stdout(writer.try_clone()?).stderr(writer);
            Some(reader)
        }
    };
    let mut child = command.spawn()?;
    // The command keeps its copies of a merged pipe's write end: close
    // them, or the reader never sees the end of the stream.
    drop(command);
    let pid = child.id() as i32;
    let (stdout, stderr) = match merged {
        Some(reader) => (
            drain(Some(reader), output_cap),
            drain(None::<std::io::PipeReader>, 0),
        ),
        None => (
            drain(child.stdout.take(), output_cap),
            drain(child.stderr.take(), output_cap),
        ),
    };
    let (over_memory, watching) = watch_group(pid, rss_limit);
    let status = exit_or_kill(&waiter(child), deadline, pid).transpose()?;
    let timed_out = status.is_none();
    watching.store(false, Ordering::SeqCst);
    // Children left behind in the group would keep the pipes open.
    kill_group(pid);
    let (stdout, out_truncated) = stdout.finish();
    let (stderr, err_truncated) = stderr.finish();
    Ok(Captured {
        status,
        stdout,
        stderr,
        timed_out,
        truncated: out_truncated || err_truncated,
        over_memory: over_memory.load(Ordering::SeqCst),
        cancelled: timed_out && cancelled(),
        elapsed: started.elapsed(),
    })
}

/// A child's exit, reported from a thread of its own, so it can be awaited
/// with a deadline.
fn waiter(mut child: Child) -> mpsc::Receiver<std::io::Result<ExitStatus>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    rx
}

/// The exit `exit` reports by `deadline` (or a cancel); past that, `None`,
/// once `group` is killed and its exit had a short grace to be reaped.
fn exit_or_kill(
    exit: &mpsc::Receiver<std::io::Result<ExitStatus>>,
    deadline: Instant,
    group: i32,
) -> Option<std::io::Result<ExitStatus>> {
    let status = wait_exit(exit, deadline);
    if status.is_none() {
        kill_group(group);
        let _ = exit.recv_timeout(DRAIN_GRACE);
    }
    status
}

/// With `rss_limit`, polls `group`'s resident memory in a thread of its
/// own (see [`watch_memory`]). Returns the flag set when it killed the
/// group, and the switch to clear when the run is over.
fn watch_group(group: i32, rss_limit: Option<u64>) -> (Arc<AtomicBool>, Arc<AtomicBool>) {
    let over_memory = Arc::new(AtomicBool::new(false));
    let watching = Arc::new(AtomicBool::new(true));
    if let Some(limit) = rss_limit {
        let (over, on) = (over_memory.clone(), watching.clone());
        thread::spawn(move || watch_memory(group, limit, &over, &on));
    }
    (over_memory, watching)
}

/// How often the memory fallback looks at the process group.
const MEMORY_POLL: Duration = Duration::from_millis(50);

/// Polls the resident memory of every process in the group and kills the
/// group once the sum passes `limit`: the fallback when no memory cgroup is
/// available (an address-space limit would break the race detector).
fn watch_memory(pgid: i32, limit: u64, over: &AtomicBool, on: &AtomicBool) {
    // SAFETY: sysconf(3) has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    while on.load(Ordering::SeqCst) {
        if group_rss_pages(pgid) * page > limit {
            over.store(true, Ordering::SeqCst);
            kill_group(pgid);
            return;
        }
        thread::sleep(MEMORY_POLL);
    }
}

/// Resident pages of the processes whose group is `pgid`.
fn group_rss_pages(pgid: i32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut pages = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Fields after the command (which may contain spaces) in ")":
        // state ppid pgrp ...; rss is field 24 of the whole line.
        let Some((_, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2).and_then(|g| g.parse::<i32>().ok()) == Some(pgid) {
            pages += fields
                .get(21)
                .and_then(|r| r.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    pages
}

/// Whether a process with this pid exists.
pub fn alive(pid: i32) -> bool {
    // SAFETY: kill(2) with signal 0 only checks for existence.
    unsafe { libc::kill(pid, 0) == 0 || *libc::__errno_location() == libc::EPERM }
}

/// Removes the entries of `dir` named `<prefix><pid>-...` whose process is
/// gone: what a killed gograde left behind.
pub fn sweep_dead_owners(dir: &std::path::Path, prefixes: &[&str]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let owner = prefixes
            .iter()
            .find_map(|p| name.strip_prefix(p))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<i32>().ok());
        if let Some(pid) = owner
            && !alive(pid)
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn kill_group(pid: i32) {
    // SAFETY: kill(2) with a negative pid signals the process group we
    // created for this child; it has no memory-safety preconditions.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
}

/// A pipe being read on its own thread.
struct Drain {
    done: mpsc::Receiver<(Vec<u8>, bool)>,
}

impl Drain {
    fn finish(self) -> (String, bool) {
        match self.done.recv_timeout(DRAIN_GRACE) {
            Ok((bytes, truncated)) => (String::from_utf8_lossy(&bytes).into_owned(), truncated),
            Err(_) => (String::new(), true),
        }
    }
}

/// Drains a pipe to its end, keeping the head and tail (`cap` bytes in
/// all). Output past the cap is read and dropped, never a reason to stop
/// the writer: only wall time and memory end a run.
fn drain<R: Read + Send + 'static>(pipe: Option<R>, cap: usize) -> Drain {
    let (tx, rx) = mpsc::channel();
    let Some(mut pipe) = pipe else {
        // Nothing to read (a stream merged into another): no thread.
        let _ = tx.send((Vec::new(), false));
        return Drain { done: rx };
    };
    thread::spawn(move || {
        let mut kept = CappedBuffer::new(cap);
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => kept.push(&chunk[..n]),
            }
        }
        let _ = tx.send(kept.into_bytes());
    });
    Drain { done: rx }
}

/// Keeps the first and last halves of a stream that may be endless.
pub struct CappedBuffer {
    cap: usize,
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    dropped: usize,
}

impl CappedBuffer {
    pub fn new(cap: usize) -> CappedBuffer {
        CappedBuffer {
            cap,
            head: Vec::new(),
            tail: std::collections::VecDeque::new(),
            dropped: 0,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        let head_cap = self.cap / 2;
        let mut rest = bytes;
        if self.head.len() < head_cap {
            let take = rest.len().min(head_cap - self.head.len());
            self.head.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
        }
        let tail_cap = self.cap - head_cap;
        for &b in rest {
            if self.tail.len() == tail_cap {
                self.tail.pop_front();
                self.dropped += 1;
            }
            self.tail.push_back(b);
        }
    }

    /// The kept bytes, with a marker where the middle was dropped.
    pub fn into_bytes(self) -> (Vec<u8>, bool) {
        let truncated = self.dropped > 0;
        let mut out = self.head;
        if truncated {
            out.extend_from_slice(
                format!(
                    "\n[gograde: {} bytes of output dropped here]\n",
                    self.dropped
                )
                .as_bytes(),
            );
        }
        out.extend(self.tail);
        (out, truncated)
    }
}

/// A pipe read to its end on a thread of its own, keeping the first `cap`
/// bytes and discarding the rest (so a writer never blocks on it).
pub struct PipeCollector {
    done: mpsc::Receiver<Vec<u8>>,
}

impl PipeCollector {
    pub fn start(mut pipe: impl Read + Send + 'static, cap: usize) -> PipeCollector {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut kept = Vec::new();
            let mut chunk = [0u8; 16384];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let room = cap.saturating_sub(kept.len()).min(n);
                        kept.extend_from_slice(&chunk[..room]);
                    }
                }
            }
            let _ = tx.send(kept);
        });
        PipeCollector { done: rx }
    }

    /// What the pipe carried, once every writer closed it; empty if one
    /// (escaped from the run's process group) still holds it after a grace.
    pub fn finish(self) -> Vec<u8> {
        self.done.recv_timeout(DRAIN_GRACE).unwrap_or_default()
    }
}

/// Makes `cmd`'s child see `descriptors[i]` as descriptor `3 + i`, open
/// across exec; every other descriptor of ours stays close-on-exec.
pub fn pass_descriptors(cmd: &mut Command, descriptors: Vec<std::os::fd::OwnedFd>) {
    use std::os::fd::AsRawFd;
    // SAFETY: only fcntl/dup2/close between fork and exec, on descriptors
    // the closure owns.
    unsafe {
        cmd.pre_exec(move || {
            // Move each out of the way first, so no dup2 overwrites a
            // source that happens to sit at 3 or 4.
            let mut high = Vec::with_capacity(descriptors.len());
            for fd in &descriptors {
                let moved = libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 64);
                if moved < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                high.push(moved);
            }
            for (i, fd) in high.iter().enumerate() {
                // dup2 clears close-on-exec on the new descriptor.
                if libc::dup2(*fd, 3 + i as i32) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_buffer_keeps_head_and_tail() {
        let mut b = CappedBuffer::new(10);
        b.push(b"0123456789abcdefghij");
        let (bytes, truncated) = b.into_bytes();
        let text = String::from_utf8(bytes).unwrap();
        assert!(truncated);
        assert!(text.starts_with("01234\n[gograde: 10 bytes"));
        assert!(text.ends_with("fghij"));
    }

    #[test]
    fn runs_and_times_out() {
        let mut c = Command::new("sh");
        c.args(["-c", "echo out; echo err >&2"]);
        let r = run(c, Instant::now() + Duration::from_secs(10), 1024, None).unwrap();
        assert_eq!(r.stdout, "out\n");
        assert_eq!(r.stderr, "err\n");
        assert!(r.status.unwrap().success());

        let mut c = Command::new("sh");
        c.args(["-c", "sleep 30 & sleep 30"]);
        let r = run(c, Instant::now() + Duration::from_millis(200), 1024, None).unwrap();
        assert!(r.timed_out);
        assert!(r.elapsed < Duration::from_secs(5));
    }

    #[test]
    fn a_cancelled_wait_kills_the_group_promptly() {
        let cancel = Cancel::new();
        let canceller = cancel.clone();
        let started = Instant::now();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(200));
            canceller.cancel();
        });
        let mut c = Command::new("sh");
        c.args(["-c", "sleep 30 & sleep 30"]);
        let r = with_cancel(Some(&cancel), || {
            run(c, Instant::now() + Duration::from_secs(60), 1024, None).unwrap()
        });
        assert!(r.cancelled && r.timed_out, "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
        // Once cancelled, nothing more starts.
        let again = with_cancel(Some(&cancel), || {
            run(
                Command::new("true"),
                Instant::now() + Duration::from_secs(60),
                1024,
                None,
            )
            .unwrap()
        });
        assert!(again.cancelled && again.status.is_none());
        assert!(
            current_cancel().is_none(),
            "the token is scoped to with_cancel"
        );
    }

    #[test]
    fn memory_fallback_kills_a_growing_group() {
        let mut child = Command::new("sh");
        // Holds about 200 MiB in the shell's memory.
        child.args([
            "-c",
            "x=$(head -c 200000000 /dev/zero | tr '\\0' a); sleep 30",
        ]);
        let r = run_merged(
            child,
            Instant::now() + Duration::from_secs(20),
            1024,
            Some(64 << 20),
        )
        .unwrap();
        assert!(r.over_memory, "{r:?}");
        assert!(r.elapsed < Duration::from_secs(15));
    }

    #[test]
    fn merged_streams_keep_their_order_and_the_exit_code() {
        let mut child = Command::new("sh");
        child.args(["-c", "echo out; echo err >&2; echo out again; exit 3"]);
        let r = run_merged(child, Instant::now() + Duration::from_secs(10), 1024, None).unwrap();
        assert_eq!(r.stdout, "out\nerr\nout again\n");
        assert_eq!(r.stderr, "");
        assert_eq!(r.status.unwrap().code(), Some(3));
    }

    /// A child slow to exit once its output is closed (a test binary on a
    /// busy machine) is waited for, not killed: killing it made a whole
    /// run look broken and its passes unconfirmed.
    #[test]
    fn a_child_slow_to_exit_after_closing_its_output_is_waited_for() {
        let mut child = Command::new("sh");
        child.args(["-c", "echo done; exec >&- 2>&-; sleep 0.8; exit 4"]);
        let r = run_merged(child, Instant::now() + Duration::from_secs(10), 1024, None).unwrap();
        assert!(!r.timed_out);
        assert_eq!(r.status.and_then(|s| s.code()), Some(4));
        assert_eq!(r.stdout, "done\n");
    }

    /// One that stays after closing its output is a hang: killed at the
    /// deadline.
    #[test]
    fn a_child_that_stays_after_closing_its_output_is_killed_at_the_deadline() {
        let mut child = Command::new("sh");
        child.args(["-c", "exec >&- 2>&-; sleep 30"]);
        let started = Instant::now();
        let r = run_merged(
            child,
            Instant::now() + Duration::from_millis(700),
            1024,
            None,
        )
        .unwrap();
        assert!(r.timed_out);
        assert!(
            r.status.is_none_or(|s| s.code().is_none()),
            "{:?}",
            r.status
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
