//! Running the compiled test binary inside the sandbox, each harness test
//! in a process of its own, as many at once as the machine has run slots.
//!
//! A fresh process per test makes a test's result independent of the tests
//! before it (package-level state, a `sync.Once` spent, a goroutine left
//! running), and lets a crash, a hang or a race halt cost only its own
//! test. Outcomes and failure records arrive on the authenticated channel
//! (`channel`); `trust` says what a run's ending is worth and `settle`
//! decides each test from that (pure). This module only starts processes,
//! shares the output budget, and returns what it found as a value
//! (`TestRuns`) for the engine to fold into the verdict.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::process::Command;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::core::channel::{self, Secret};
use crate::core::collect;
use crate::core::gotest;
use crate::core::import_path;
use crate::core::judge::ResolvedTest;
use crate::core::settle::{self, Retry, Settlement};
use crate::core::trust;
use crate::exec::process;
use crate::exec::sandbox::{self, Layers, Sandbox};
use crate::grade::options::GradeOptions;
use crate::grade::stage::Stage;
use crate::grade::toolchain::Toolchain;
use crate::verdict::{Note, NoteKind, SandboxInfo, SandboxLayer, Status, TestStatus};

/// Time left for Go's own `-test.timeout` before gograde kills the run, so
/// Go can name the test that hung.
const GO_TIMEOUT_MARGIN: Duration = Duration::from_millis(500);

/// Most the result channel keeps of one run; the kit caps each record far
/// below this, so only a flood written by the candidate reaches it.
const RESULTS_CAP: usize = 8 << 20;
/// What a run may keep of its output once the verdict's budget is spent:
/// enough for its own framing and a failure's context.
const RUN_OUTPUT_FLOOR: usize = 64 << 10;

/// What running a grade's tests found.
#[derive(Debug, Default)]
pub struct TestRuns {
    pub sandbox: Option<SandboxInfo>,
    /// Set when the tests could not run at all (the grade stops with it).
    pub stop: Option<(Status, String)>,
    pub tests: BTreeMap<String, ResolvedTest>,
    pub notes: Vec<Note>,
    /// Output outside every test, of every run (display).
    pub package_output: String,
    /// A failure some run reported outside its test.
    pub outside_failure: Option<String>,
    /// The wall-time limit ended a run.
    pub wall_timeout: bool,
}

/// A harness test to run, and whether it needs the cores to itself
/// (`TestSpec::exclusive`).
#[derive(Debug, Clone)]
pub struct TestToRun {
    pub name: String,
    pub exclusive: bool,
}

/// Runs each of `expected` in a process of its own until each has a
/// result. Every process gets a fresh key; all share `seed`, so they draw
/// the inputs a run of all the tests together would.
pub fn run_tests(
    toolchain: &Toolchain,
    staged: &Stage,
    candidate_file: &str,
    expected: Vec<TestToRun>,
    deadline: Instant,
    seed: u64,
    options: &GradeOptions,
) -> TestRuns {
    let (config, layers) = sandbox::machine_config(&toolchain.stage_root());
    let mut runs = TestRuns {
        sandbox: Some(sandbox_info(&layers)),
        ..TestRuns::default()
    };
    let config = match config {
        Some(c) if layers.contains_anything() || options.allow_unsandboxed => c,
        _ if options.allow_unsandboxed => sandbox::Config::none(),
        _ => {
            runs.stop = Some((
                Status::Error,
                "Not run: nothing on this machine can contain the network or the file system (see `gograde doctor`); pass --allow-unsandboxed to run untrusted code anyway.".into(),
            ));
            return runs;
        }
    };
    if !layers.contains_anything() {
        runs.notes.push(Note {
            kind: NoteKind::Grader,
            message: "UNSANDBOXED: the submission ran with the host's network and file system (--allow-unsandboxed)".into(),
        });
    }
    let plan = Plan {
        toolchain,
        candidate_file,
        staged,
        config,
        // Without a memory cgroup, poll the group's resident memory instead.
        rss_limit: (layers.memory_cgroup != sandbox::LayerState::Active)
            .then_some(options.limits.memory_bytes),
        deadline,
        seed,
        options,
        exclusive: expected
            .iter()
            .filter(|t| t.exclusive)
            .map(|t| t.name.clone())
            .collect(),
    };
    let workers = run_slots().min(expected.len()).max(1);
    // The exclusive tests first (they are the long ones), so the quick
    // ones fill the other cores beside each.
    let (mut queue, rest): (VecDeque<_>, VecDeque<_>) =
        expected.into_iter().partition(|t| t.exclusive);
    queue.extend(rest);
    let board = Mutex::new(Board {
        queue: queue.into_iter().map(|t| t.name).collect(),
        exclusive_running: false,
        running: 0,
        budget: options.output_cap,
        retries: BTreeSet::new(),
        runs,
        tally: Tally::default(),
    });
    let changed = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                process::with_cancel(options.cancel.as_ref(), || work(&plan, &board, &changed))
            });
        }
    });
    let Board {
        mut runs, tally, ..
    } = board.into_inner().unwrap_or_else(|e| e.into_inner());
    runs.notes.extend(tally.notes(options));
    runs
}

/// What every run of one grade shares.
struct Plan<'a> {
    toolchain: &'a Toolchain,
    /// The file name the candidate's frames carry in race reports.
    candidate_file: &'a str,
    staged: &'a Stage,
    config: sandbox::Config,
    rss_limit: Option<u64>,
    deadline: Instant,
    seed: u64,
    options: &'a GradeOptions,
    /// Tests that run with no other of these beside them.
    exclusive: BTreeSet<String>,
}

/// The grade's shared state: tests waiting, the output budget left, the
/// results so far.
struct Board {
    queue: VecDeque<String>,
    /// An exclusive test is running: the next test taken is not one.
    exclusive_running: bool,
    running: usize,
    budget: usize,
    retries: BTreeSet<(String, Retry)>,
    runs: TestRuns,
    tally: Tally,
}

/// Counts behind the grader's notes, so many runs give one note each.
#[derive(Debug, Default)]
struct Tally {
    rejected_lines: usize,
    /// Runs whose output went over what they were given: the smallest and
    /// largest amount given.
    truncated: Vec<usize>,
    over_memory: bool,
    task_limit_hit: bool,
    retried: usize,
}

impl Tally {
    fn notes(&self, options: &GradeOptions) -> Vec<Note> {
        let mut notes = Vec::new();
        let mut note = |message: String| {
            notes.push(Note {
                kind: NoteKind::Grader,
                message,
            })
        };
        if let (Some(least), Some(most)) =
            (self.truncated.iter().min(), self.truncated.iter().max())
        {
            let given = if least == most {
                format!("{} KiB", most / 1024)
            } else {
                format!("{} to {} KiB", least / 1024, most / 1024)
            };
            note(format!(
                "{} run(s) printed more than the {given} left of the verdict's {} KiB output budget: the middle of their output was read and dropped",
                self.truncated.len(),
                options.output_cap / 1024
            ));
        }
        if self.over_memory {
            note(format!(
                "a run hit the {} MiB memory limit and was killed",
                options.limits.memory_bytes >> 20
            ));
        }
        if self.task_limit_hit {
            note(format!(
                "a run hit the limit of {} processes and threads",
                options.limits.max_tasks
            ));
        }
        if self.rejected_lines > 0 {
            note(format!(
                "{} line(s) on the result channel were not authentic harness records and were ignored",
                self.rejected_lines
            ));
        }
        if self.retried > 0 {
            note(format!(
                "{} test(s) ran a second time, in a fresh process, to confirm a result their first run could not settle",
                self.retried
            ));
        }
        notes
    }
}

/// One worker: takes a test off the queue, runs it, settles it, until the
/// queue is empty and nothing running can put a test back on it.
fn work(plan: &Plan, board: &Mutex<Board>, changed: &Condvar) {
    let lock = || board.lock().unwrap_or_else(|e| e.into_inner());
    let mut held = lock();
    loop {
        let running_alone = held.exclusive_running;
        let Some(test) = next_test(&mut held.queue, running_alone, &plan.exclusive) else {
            if held.running == 0 {
                changed.notify_all();
                return;
            }
            held = changed.wait(held).unwrap_or_else(|e| e.into_inner());
            continue;
        };
        let remaining = plan.deadline.saturating_duration_since(Instant::now());
        if held.runs.stop.is_some() {
            continue;
        }
        if remaining < Duration::from_millis(200) {
            held.runs.wall_timeout = true;
            held.runs.tests.insert(
                test,
                never_ran("not run: the time limit was reached", TestStatus::Timeout),
            );
            continue;
        }
        // A run keeps at most what the verdict's budget has left when it
        // starts (runs at once may each keep that much; the budget bounds
        // what the grade holds, not what each test may show).
        let cap = held
            .budget
            .max(RUN_OUTPUT_FLOOR.min(plan.options.output_cap));
        let exclusive = plan.exclusive.contains(&test);
        held.exclusive_running |= exclusive;
        held.running += 1;
        drop(held);
        let observed = {
            let _slot = RunSlot::take();
            // A panic here must still hand the test back: the other
            // workers wait until nothing is running.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_one(plan, &test, cap)))
                .unwrap_or_else(|_| {
                    Err("The grader failed while running a test (a panic in the runner).".into())
                })
        };
        held = lock();
        held.running -= 1;
        held.exclusive_running &= !exclusive;
        fold(plan, &mut held, test, cap, observed);
        changed.notify_all();
    }
}

/// The next test to start: the first waiting, but not an exclusive one
/// while another runs (`None` then, if only those wait: the caller waits
/// for a run to end).
fn next_test(
    queue: &mut VecDeque<String>,
    exclusive_running: bool,
    exclusive: &BTreeSet<String>,
) -> Option<String> {
    let at = if exclusive_running {
        queue.iter().position(|t| !exclusive.contains(t))?
    } else {
        0
    };
    queue.remove(at)
}

/// Folds one run of `test` into the board.
fn fold(
    plan: &Plan,
    board: &mut Board,
    test: String,
    cap: usize,
    observed: Result<Observed, String>,
) {
    let o = match observed {
        Ok(o) => o,
        Err(why) => {
            board.runs.stop.get_or_insert((Status::Error, why));
            return;
        }
    };
    board.budget = board.budget.saturating_sub(o.printed);
    let tally = &mut board.tally;
    tally.rejected_lines += o.report.rejected_lines;
    tally.over_memory |= o.over_memory;
    tally.task_limit_hit |= o.task_limit_hit;
    if o.truncated {
        tally.truncated.push(cap);
    }
    let selected = [test.clone()];
    let assessment = trust::assess(&o.report, &selected, o.exit);
    if let Some(why) = &assessment.outside {
        board.runs.outside_failure.get_or_insert(why.clone());
    }
    board.runs.wall_timeout |= assessment.ending == trust::Ending::TimedOut;
    let output = o
        .record
        .tests
        .get(&test)
        .map(|t| t.output.clone())
        .unwrap_or_default();
    let panic = settle::first_panic(&output, &o.record.package_output);
    let facts = settle::RunFacts {
        test: &test,
        report: &o.report,
        assessment: &assessment,
        output: &output,
        panic: panic.as_deref(),
        candidate_file: plan.candidate_file,
        over_memory: o.over_memory,
        task_limit_hit: o.task_limit_hit,
    };
    let limits = plan.options.reported_limits();
    let retries = &board.retries;
    let settlement = settle::settle(&facts, &limits, |why| {
        retries.contains(&(test.clone(), why))
    });
    board.runs.package_output.push_str(&o.record.package_output);
    match settlement {
        Settlement::Resolved(resolved) => {
            board.runs.tests.insert(test, resolved);
        }
        Settlement::Again(why) => {
            board.tally.retried += 1;
            board.retries.insert((test.clone(), why));
            board.queue.push_back(test);
        }
    }
}

/// What one run of the test binary showed.
struct Observed {
    report: channel::RunReport,
    record: collect::RunRecord,
    exit: trust::Exit,
    over_memory: bool,
    task_limit_hit: bool,
    truncated: bool,
    /// Bytes of output kept.
    printed: usize,
}

/// Runs the test binary once, in a fresh sandbox, with only `test`
/// selected, keeping at most `output_cap` of its output.
fn run_one(plan: &Plan, test: &str, output_cap: usize) -> Result<Observed, String> {
    let (staged, options) = (plan.staged, plan.options);
    let remaining = plan.deadline.saturating_duration_since(Instant::now());
    let go_timeout = remaining
        .saturating_sub(GO_TIMEOUT_MARGIN)
        .max(Duration::from_millis(100));
    let binary_path = staged.binary();
    let home = staged.home();
    let mut contained = Sandbox::prepare(
        plan.config,
        staged.path(),
        &[&binary_path],
        &home,
        options.limits,
    )
    .map_err(|e| format!("The grader could not prepare the sandbox: {e}."))?;
    let secret = Secret {
        key: random_key(),
        seed: plan.seed,
        flags: vec![
            "-test.v=test2json".into(),
            "-test.paniconexit0".into(),
            format!("-test.timeout={}ms", go_timeout.as_millis()),
            format!("-test.run=^{test}$"),
        ],
    };
    let (secret_read, results_read, results_write) = results_channel(&secret)
        .map_err(|e| format!("The grader could not create the result channel: {e}."))?;
    let mut binary = Command::new(contained.inside(staged.path(), &binary_path));
    binary.current_dir(staged.path()).env_clear().envs(
        plan.toolchain
            .run_env(&contained.inside(staged.path(), &home)),
    );
    process::pass_descriptors(&mut binary, vec![secret_read, results_write]);
    contained.apply(&mut binary);
    let results = process::PipeCollector::start(results_read, RESULTS_CAP);
    let started = Instant::now();
    // Stdout and stderr in one pipe, in the order written: a crash's stack
    // lands after the test it interrupted, as `go test` shows it.
    let captured = process::run_merged(binary, plan.deadline, output_cap, plan.rss_limit);
    let ran_for = started.elapsed();
    let usage = contained.finish().unwrap_or_default();
    let captured = captured.map_err(|e| format!("The grader could not run the tests: {e}."))?;
    // Read at the source as the candidate's package alone: a grouped
    // package's output names it by its own import path.
    let own = staged.import_path();
    let as_alone = |text: &str| import_path::read_as_alone(text, &own).into_owned();
    let output = as_alone(&captured.stdout);
    let mut report = channel::read(&secret, &results.finish());
    for test in report.tests.values_mut() {
        test.failures = std::mem::take(&mut test.failures)
            .into_iter()
            .map(|f| f.map_text(as_alone))
            .collect();
    }
    // A timeout is believed from gograde's clock alone: killed at the
    // deadline, or ended when Go's own -test.timeout was due.
    let timed_out = captured.timed_out || ran_for >= go_timeout;
    Ok(Observed {
        report,
        record: collect::collect(&gotest::parse_framed(&output)),
        printed: output.len(),
        exit: trust::Exit {
            code: captured.status.and_then(|s| s.code()),
            timed_out,
        },
        over_memory: usage.oom_killed || captured.over_memory,
        task_limit_hit: usage.task_limit_hit,
        truncated: captured.truncated,
    })
}

/// How many test processes may run at once on this machine, across every
/// grade of this process: one more than the cores (a run also waits on
/// process start-up and the sandbox's set-up). Read once: on Linux
/// `available_parallelism` reads the cgroup's CPU quota from files, and
/// this is asked before every test process.
fn run_slots() -> usize {
    static SLOTS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *SLOTS.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from) + 1)
}

/// A place among the machine's [`run_slots`], held while a test process
/// runs, so parallel grades (a batch, the server) and the tests of each
/// share the cores instead of multiplying processes.
struct RunSlot;

static SLOTS_IN_USE: Mutex<usize> = Mutex::new(0);
static SLOT_FREED: Condvar = Condvar::new();

impl RunSlot {
    fn take() -> RunSlot {
        let limit = run_slots();
        let mut used = SLOTS_IN_USE.lock().unwrap_or_else(|e| e.into_inner());
        while *used >= limit {
            used = SLOT_FREED.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += 1;
        RunSlot
    }
}

impl Drop for RunSlot {
    fn drop(&mut self) {
        let mut used = SLOTS_IN_USE.lock().unwrap_or_else(|e| e.into_inner());
        *used -= 1;
        SLOT_FREED.notify_one();
    }
}

fn sandbox_info(layers: &Layers) -> SandboxInfo {
    let mut listed: Vec<SandboxLayer> = layers
        .list()
        .into_iter()
        .map(|(name, state)| SandboxLayer {
            name: name.into(),
            state: state.as_str().into(),
        })
        .collect();
    if layers.memory_cgroup != sandbox::LayerState::Active {
        listed.push(SandboxLayer {
            name: "memory limit by polling resident memory (no memory cgroup)".into(),
            state: sandbox::LayerState::Active.as_str().into(),
        });
    }
    SandboxInfo {
        network: layers.network().into(),
        filesystem: layers.filesystem().into(),
        processes: layers.processes().into(),
        layers: listed,
    }
}

fn never_ran(reason: &str, status: TestStatus) -> ResolvedTest {
    ResolvedTest {
        status,
        duration_ms: 0,
        output: String::new(),
        failures: Vec::new(),
        reason: Some(reason.to_owned()),
    }
}

/// A fresh HMAC key from the kernel's random source.
fn random_key() -> [u8; channel::KEY_BYTES] {
    let mut key = [0u8; channel::KEY_BYTES];
    let mut filled = 0;
    while filled < key.len() {
        // SAFETY: getrandom(2) writes at most the given length into the
        // rest of `key`.
        let n =
            unsafe { libc::getrandom(key[filled..].as_mut_ptr().cast(), key.len() - filled, 0) };
        if n > 0 {
            filled += n as usize;
        }
    }
    key
}

/// A random seed for a grade's inputs.
pub fn random_seed() -> u64 {
    let key = random_key();
    u64::from_be_bytes(key[..8].try_into().expect("8 bytes"))
}

/// The secret pipe (already holding the secret, write end closed) and the
/// result socket, as (secret read end, results read end, results write
/// end). The results travel on a socket rather than a pipe: the child's
/// end cannot be reopened for reading through `/proc/self/fd`, so the code
/// under test cannot read the harness's records (expected values) back.
fn results_channel(
    secret: &Secret,
) -> std::io::Result<(
    std::os::fd::OwnedFd,
    std::os::unix::net::UnixStream,
    std::os::fd::OwnedFd,
)> {
    use std::io::Write;
    let (secret_read, mut secret_write) = std::io::pipe()?;
    // Far below the pipe's capacity: the write cannot block.
    secret_write.write_all(&secret.wire())?;
    drop(secret_write);
    let (ours, theirs) = std::os::unix::net::UnixStream::pair()?;
    // Nothing travels to the child: it reads end of file at once.
    ours.shutdown(std::net::Shutdown::Write)?;
    Ok((secret_read.into(), ours, theirs.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_exclusive_test_starts_beside_another() {
        let exclusive: BTreeSet<String> = ["A".to_owned(), "B".to_owned()].into();
        let mut queue: VecDeque<String> = ["A", "B", "q1", "q2"].map(String::from).into();
        assert_eq!(
            next_test(&mut queue, false, &exclusive).as_deref(),
            Some("A")
        );
        // A runs: the quick ones are taken, B waits.
        assert_eq!(
            next_test(&mut queue, true, &exclusive).as_deref(),
            Some("q1")
        );
        assert_eq!(
            next_test(&mut queue, true, &exclusive).as_deref(),
            Some("q2")
        );
        assert_eq!(next_test(&mut queue, true, &exclusive), None);
        assert_eq!(queue, ["B"]);
        // A ended.
        assert_eq!(
            next_test(&mut queue, false, &exclusive).as_deref(),
            Some("B")
        );
    }
}
