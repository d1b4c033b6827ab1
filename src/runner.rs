//! Running the compiled test binary inside the sandbox until every expected
//! test has a result it can be trusted with, re-running what a crash left
//! unstarted. Outcomes and failure records arrive on the authenticated
//! channel (`channel`, `trust`); stdout goes through test2json only to show
//! each test's output.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::channel::{self, Secret};
use crate::collect;
use crate::engine::GradeOptions;
use crate::gotest;
use crate::judge::{Evidence, ResolvedTest};
use crate::process;
use crate::race;
use crate::sandbox::{self, Layers, Sandbox};
use crate::stage::{self, Stage};
use crate::toolchain::Toolchain;
use crate::trust;
use crate::verdict::{Note, NoteKind, SandboxInfo, SandboxLayer, Status, TestStatus};

/// Time left for Go's own `-test.timeout` before gograde kills the run, so
/// Go can name the test that hung.
const GO_TIMEOUT_MARGIN: Duration = Duration::from_millis(500);

/// Most the result channel keeps of one run; the kit caps each record far
/// below this, so only a flood written by the candidate reaches it.
const RESULTS_CAP: usize = 8 << 20;
/// What a rerun may keep of its output once the verdict's budget is spent:
/// enough for its own framing and a failure's context.
const RERUN_OUTPUT_FLOOR: usize = 64 << 10;

/// Runs the test binary until every expected test has a result, re-running
/// the tests a crash left unstarted. Every run gets a fresh key; all share
/// `seed`, so reruns draw the same inputs.
pub fn run_tests(
    toolchain: &Toolchain,
    staged: &Stage,
    expected: Vec<String>,
    deadline: Instant,
    seed: u64,
    options: &GradeOptions,
    evidence: &mut Evidence,
) {
    let (config, layers) = sandbox::machine_config(&toolchain.stage_root());
    evidence.sandbox = Some(sandbox_info(&layers));
    let config = match config {
        Some(c) if layers.contains_anything() || options.allow_unsandboxed => c,
        _ if options.allow_unsandboxed => sandbox::Config::none(),
        _ => {
            evidence.early = Some((
                Status::Error,
                "Not run: nothing on this machine can contain the network or the file system (see `gograde doctor`); pass --allow-unsandboxed to run untrusted code anyway.".into(),
            ));
            return;
        }
    };
    if !layers.contains_anything() {
        evidence.notes.push(Note {
            kind: NoteKind::Grader,
            message: "UNSANDBOXED: the submission ran with the host's network and file system (--allow-unsandboxed)".into(),
        });
    }
    let mut pending = expected;
    let mut runs = 0;
    let mut rejected_lines = 0;
    // A run that hit the time limit used up the budget: what it left
    // unstarted is reported as not run rather than squeezed into reruns.
    let mut out_of_time = false;
    // One output budget for the whole verdict, across every run and rerun:
    // each run keeps (head and tail) at most what the earlier ones left.
    let mut output_budget = options.output_cap;
    // Tests already run once more to confirm a result, and why.
    let mut retries = Retries::default();
    while !pending.is_empty() {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if out_of_time || remaining < Duration::from_millis(200) {
            evidence.wall_timeout = true;
            for name in pending.drain(..) {
                evidence.tests.insert(
                    name,
                    never_ran("not run: the time limit was reached", TestStatus::Timeout),
                );
            }
            break;
        }
        runs += 1;
        let go_timeout = remaining
            .saturating_sub(GO_TIMEOUT_MARGIN)
            .max(Duration::from_millis(100));
        let binary_path = staged.binary();
        let home = staged.home();
        let mut contained = match Sandbox::prepare(
            config,
            staged.path(),
            &[&binary_path],
            &home,
            options.limits,
        ) {
            Ok(s) => s,
            Err(e) => {
                evidence.early = Some((
                    Status::Error,
                    format!("The grader could not prepare the sandbox: {e}."),
                ));
                return;
            }
        };
        let secret = Secret {
            key: random_key(),
            seed,
            flags: vec![
                "-test.v=test2json".into(),
                "-test.paniconexit0".into(),
                format!("-test.timeout={}ms", go_timeout.as_millis()),
                format!("-test.run=^({})$", pending.join("|")),
            ],
        };
        let pipes = match results_channel(&secret) {
            Ok(p) => p,
            Err(e) => {
                evidence.early = Some((
                    Status::Error,
                    format!("The grader could not create the result channel: {e}."),
                ));
                return;
            }
        };
        let mut binary = Command::new(contained.inside(staged.path(), &staged.binary()));
        binary
            .current_dir(staged.path())
            .env_clear()
            .envs(toolchain.run_env(&contained.inside(staged.path(), &staged.home())));
        let mut converter = Command::new(&toolchain.test2json);
        converter
            .current_dir(staged.path())
            .env_clear()
            .envs(toolchain.run_env(&staged.home()))
            .args(["-t", "-p", stage::MODULE]);
        // A marked framing line ahead of everything the binary prints makes
        // test2json demand the marker from the first byte on, so unmarked
        // "=== RUN"/"--- PASS" lines printed by the candidate (in init, say)
        // stay plain output.
        let (secret_read, results_read, results_write) = pipes;
        process::pass_descriptors(&mut binary, vec![secret_read, results_write]);
        contained.apply(&mut binary);
        let results = process::PipeCollector::start(results_read, RESULTS_CAP);
        let run_output_cap = output_budget.max(RERUN_OUTPUT_FLOOR.min(options.output_cap));
        let run_started = Instant::now();
        // Without a memory cgroup, poll the group's resident memory instead.
        let rss_limit = (layers.memory_cgroup != sandbox::LayerState::Active)
            .then_some(options.limits.memory_bytes);
        let piped = process::run_pipeline(
            binary,
            converter,
            STREAM_PREFIX,
            deadline,
            run_output_cap,
            rss_limit,
        );
        let ran_for = run_started.elapsed();
        let report = channel::read(&secret, &results.finish());
        rejected_lines += report.rejected_lines;
        let mut usage = contained.finish().unwrap_or_default();
        if let Ok((captured, _)) = &piped {
            usage.oom_killed |= captured.over_memory;
        }
        if usage.oom_killed {
            evidence.notes.push(Note {
                kind: NoteKind::Grader,
                message: format!(
                    "the run hit the {} MiB memory limit and was killed",
                    options.limits.memory_bytes >> 20
                ),
            });
        }
        if usage.task_limit_hit {
            evidence.notes.push(Note {
                kind: NoteKind::Grader,
                message: format!(
                    "the run hit the limit of {} processes and threads",
                    options.limits.max_tasks
                ),
            });
        }
        let (captured, binary_status) = match piped {
            Ok(c) => c,
            Err(e) => {
                evidence.early = Some((
                    Status::Error,
                    format!("The grader could not run the tests: {e}."),
                ));
                return;
            }
        };
        output_budget = output_budget.saturating_sub(captured.stdout.len() + captured.stderr.len());
        if captured.truncated {
            evidence.notes.push(Note {
                kind: NoteKind::Grader,
                message: format!(
                    "the run printed more than the {} KiB left of the verdict's {} KiB output budget: the middle of its output was read and dropped",
                    run_output_cap / 1024,
                    options.output_cap / 1024
                ),
            });
        }
        // Display only: which output belongs to which test.
        let record = collect::collect(&gotest::parse_stream(&captured.stdout));
        // A timeout is believed from gograde's clock alone: killed at the
        // deadline, or ended when Go's own -test.timeout was due.
        let timed_out = captured.timed_out || ran_for >= go_timeout;
        out_of_time |= timed_out;
        let exit = trust::Exit {
            code: binary_status.and_then(|s| s.code()),
            timed_out,
        };
        let assessment = trust::assess(&report, &pending, exit);
        if let Some(why) = assessment.outside {
            evidence.outside_failure.get_or_insert(why);
        }
        let raced = assessment.ending == trust::Ending::RaceHalt;
        let broken = match &assessment.ending {
            trust::Ending::Broken(why) => Some(why.clone()),
            trust::Ending::Whole | trust::Ending::RaceHalt | trust::Ending::TimedOut => None,
        };
        let (settled, cut_short) = (assessment.settled, assessment.cut_short);
        evidence.package_output.push_str(&record.package_output);
        evidence.package_output.push_str(&captured.stderr);
        let mut progressed = false;
        let mut still_pending = Vec::new();
        for name in pending.drain(..) {
            let Some(test) = report.tests.get(&name) else {
                still_pending.push(name);
                continue;
            };
            let output = record
                .tests
                .get(&name)
                .map(|t| t.output.clone())
                .unwrap_or_default();
            let duration_ms = test.elapsed_ms;
            let is_cut_short = cut_short.as_ref() == Some(&name);
            let failures = test.failures.clone();
            let resolved = |status, reason: Option<String>| ResolvedTest {
                status,
                duration_ms,
                output: output.clone(),
                failures: failures.clone(),
                reason,
            };
            let resolved = match test.outcome {
                Some(collect::Outcome::Fail)
                    if settled.contains(&name) && unexplained(&failures) =>
                {
                    // The harness failed it without saying why: a grader
                    // fault only if a run of its own fails it the same way.
                    progressed = true;
                    if retries.first(&name, Retry::Unexplained) {
                        still_pending.push(name);
                        continue;
                    }
                    resolved(
                        TestStatus::Error,
                        Some("grader fault: the harness failed this test without a failure record of its own, in two runs; it is not counted against you (please report it)".into()),
                    )
                }
                Some(outcome) if settled.contains(&name) => resolved(
                    match outcome {
                        collect::Outcome::Pass => TestStatus::Pass,
                        collect::Outcome::Fail => TestStatus::Fail,
                        collect::Outcome::Skip => TestStatus::Skip,
                    },
                    None,
                ),
                Some(_) if broken.is_some() => {
                    // Ended as passed in a run that then misbehaved: run
                    // it again; a second such run settles it as failed.
                    progressed = true;
                    if retries.first(&name, Retry::Unconfirmed) {
                        still_pending.push(name);
                        continue;
                    }
                    resolved(
                        TestStatus::Fail,
                        Some(format!(
                            "not confirmed: both runs in which this test passed then ended abnormally ({})",
                            broken.as_deref().unwrap_or_default()
                        )),
                    )
                }
                _ if !is_cut_short => {
                    still_pending.push(name);
                    continue;
                }
                _ if timed_out => {
                    evidence.wall_timeout = true;
                    resolved(
                        TestStatus::Timeout,
                        Some(format!(
                            "timed out: still running when the {:.0} s limit was reached",
                            options.timeout.as_secs_f64()
                        )),
                    )
                }
                _ if raced => {
                    let races = race::parse_races(&output, &evidence.candidate_file);
                    if !races.is_empty() && !races.iter().any(race::involves_candidate) {
                        // The report shows only the harness's frames: a
                        // run of its own tells a harness race (a grader
                        // fault) from a report the candidate printed.
                        progressed = true;
                        if retries.first(&name, Retry::HarnessRace) {
                            still_pending.push(name);
                            continue;
                        }
                    }
                    resolved(
                        TestStatus::Fail,
                        Some(if races.is_empty() {
                            "the race detector stopped the test binary during this test, and its report was not readable (standard error closed?)".into()
                        } else {
                            "the race detector stopped the test binary at this data race".into()
                        }),
                    )
                }
                _ => {
                    let excerpt = collect::panic_excerpt(&output)
                        .or_else(|| collect::panic_excerpt(&record.package_output))
                        .or_else(|| collect::panic_excerpt(&captured.stderr));
                    resolved(
                        TestStatus::Error,
                        Some(match excerpt {
                            _ if usage.oom_killed => format!(
                                "killed: the run exceeded the {} MiB memory limit during this test",
                                options.limits.memory_bytes >> 20
                            ),
                            None if usage.task_limit_hit => format!(
                                "the test binary died during this test after hitting the limit of {} processes and threads",
                                options.limits.max_tasks
                            ),
                            Some(p) => format!(
                                "the test binary crashed during this test: {}",
                                first_line(&p)
                            ),
                            None => "the test binary exited during this test without a result (os.Exit?)".into(),
                        }),
                    )
                }
            };
            progressed = true;
            evidence.tests.insert(name, resolved);
        }
        pending = still_pending;
        if !progressed && !pending.is_empty() {
            let (why, status) = if raced {
                (
                    "not run: the race detector stopped the test binary before this test started (a data race in init, or in a goroutine an earlier test left running)".to_owned(),
                    TestStatus::Fail,
                )
            } else {
                let why = collect::panic_excerpt(&record.package_output)
                    .or_else(|| collect::panic_excerpt(&captured.stderr))
                    .map(|p| {
                        format!(
                            "the test binary failed before this test started: {}",
                            first_line(&p)
                        )
                    })
                    .unwrap_or_else(|| {
                        "the test binary exited before this test started (os.Exit in init?)".into()
                    });
                (why, TestStatus::Error)
            };
            for name in pending.drain(..) {
                evidence.tests.insert(name, never_ran(&why, status));
            }
        }
    }
    if rejected_lines > 0 {
        evidence.notes.push(Note {
            kind: NoteKind::Grader,
            message: format!(
                "{rejected_lines} line(s) on the result channel were not authentic harness records and were ignored"
            ),
        });
    }
    if runs > 1 {
        evidence.notes.push(Note {
            kind: NoteKind::Grader,
            message: format!("the test binary ran {runs} times: a crash, a hang or an exit interrupted it, and the tests after it ran in a fresh process"),
        });
    }
}

/// Why a test was given a run of its own to confirm its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Retry {
    /// It passed in a run that ended without its final record.
    Unconfirmed,
    /// The harness failed it without a failure record of its own.
    Unexplained,
    /// The race detector stopped it at a report with no candidate frame.
    HarnessRace,
}

/// The confirmation runs a grade has given, at most one per test and
/// reason, so a misbehaving binary cannot keep the grade running.
#[derive(Debug, Default)]
struct Retries(std::collections::BTreeSet<(String, Retry)>);

impl Retries {
    /// Whether this is the first time `test` needs confirming for `why`
    /// (and records that it has had its chance).
    fn first(&mut self, test: &str, why: Retry) -> bool {
        self.0.insert((test.to_owned(), why))
    }
}

/// Whether a failed test's only records are the kit's "unexplained" ones.
fn unexplained(failures: &[collect::Failure]) -> bool {
    !failures.is_empty()
        && failures
            .iter()
            .all(|f| f.kind.as_deref() == Some(UNEXPLAINED_KIND))
}

/// The kit's failure kind for a test failed without a record of its own
/// (`kit.Unexplained`).
const UNEXPLAINED_KIND: &str = "unexplained";

/// Marked framing line test2json swallows without an event (it only names
/// the running test: none).
const STREAM_PREFIX: &[u8] = b"\x16=== NAME  \n";

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

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
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
