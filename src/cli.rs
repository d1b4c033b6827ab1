//! The command line: what the user typed (clap), resolved into a plan, then
//! run. Errors the user can fix exit with 2 and one line on stderr.

mod interview;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::core::golex;
use crate::error::{GraderError, InputError, chain};
use crate::exercise::{Catalog, Exercise, SymbolRole};
use crate::grade::engine;
use crate::grade::intake::detect_exercise;
use crate::grade::options::GradeOptions;
use crate::grade::submission::Submission;
use crate::grade::toolchain::Toolchain;
use crate::grade::typecheck;
use crate::report::{self, Format};
use crate::verdict::{Status, Verdict};

/// Grades Go interview exercises with the real toolchain and the race detector.
#[derive(Debug, Parser)]
#[command(name = "gograde", version, about)]
pub struct Cli {
    /// A folder with exercises/<id>/ and harness/<id>/ adding to or replacing the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub exercises_dir: Option<PathBuf>,
    /// A folder with <id>/guide.toml interview guides adding to or replacing the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub guides_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the exercises, one line each.
    List,
    /// Print an exercise's prompt and stub, to paste into a notepad.
    Show {
        /// Exercise id (see `gograde list`).
        exercise: String,
    },
    /// Grade one or more Go files (or `-` for stdin).
    Grade(GradeArgs),
    /// Grade many submissions for CI: verdicts.jsonl written as they finish, JUnit and summary.
    Batch(BatchArgs),
    /// Join the outputs of several `batch --shard` runs into one.
    Merge {
        /// Output directories of the shards.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Directory for the merged verdicts.jsonl, junit.xml and summary.txt.
        #[arg(long, short, default_value = "gograde-out")]
        output: PathBuf,
    },
    /// Re-grade a file every time it is saved (Ctrl-C to stop).
    Watch {
        /// Exercise id, or `auto` (the default when only the file is given).
        exercise: String,
        /// The Go file to watch.
        file: Option<String>,
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// The interviewer's quick-check page and the HTTP API (loopback unless --token).
    Serve(ServeArgs),
    /// Print an interview guide: timed phases, questions, coding slots.
    Guide(interview::GuideArgs),
    /// Stored interviews: list, show the scorecard, export, delete.
    Interview(interview::InterviewArgs),
    /// Build the race runtime and every harness into the cache, so the next check is quick.
    Warm,
    /// Show the Go toolchain, race support and how runs are contained.
    Doctor,
}

/// Arguments of `gograde grade`.
#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// Go files to grade; `-` reads one from stdin.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Exercise id, or `auto` to detect it from the declared symbols.
    #[arg(long, short, default_value = "auto")]
    pub exercise: String,
    /// Grade as --exercise says even when the file plainly answers another
    /// exercise (by default that is refused as an operator's mistake).
    #[arg(long, requires = "exercise")]
    pub force_exercise: bool,
    #[arg(long, short, value_enum, ignore_case = true, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report here instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Submissions graded at once [default: cores + 1, fewer when memory is short].
    #[arg(long, short)]
    pub jobs: Option<usize>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Arguments of `gograde batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// A directory (every .go file below it) or a manifest (one path a line, optionally a tab and
    /// the exercise id).
    pub input: PathBuf,
    /// Exercise id for every submission, or `auto` to detect each one.
    #[arg(long, short, default_value = "auto")]
    pub exercise: String,
    /// Submissions graded at once [default: cores + 1, fewer when memory is short].
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Grade only this runner's share, K of N (1-based), split by a hash of each path.
    #[arg(long, value_name = "K/N", conflicts_with = "shard_index_env")]
    pub shard: Option<String>,
    /// Take this runner's shard from an environment variable holding a 0-based index, e.g.
    /// JOB_COMPLETION_INDEX of a Kubernetes Indexed Job; needs --shard-count.
    #[arg(long, value_name = "VAR", requires = "shard_count")]
    pub shard_index_env: Option<String>,
    /// Number of shards, with --shard-index-env.
    #[arg(long, value_name = "N", requires = "shard_index_env")]
    pub shard_count: Option<u64>,
    /// Keep the verdicts already in the output and skip submissions they cover (by sha256).
    #[arg(long)]
    pub resume: bool,
    /// Directory for verdicts.jsonl, junit.xml and summary.txt.
    #[arg(long, short, default_value = "gograde-out")]
    pub output: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Limits and policy of each run, shared by `grade` and `batch`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Wall-time limit per submission, in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub timeout: f64,
    /// No fix-ups of pasted code (package clause, imports).
    #[arg(long)]
    pub strict: bool,
    /// Memory limit of a run, in MiB (a memory cgroup; never RLIMIT_AS, which breaks -race).
    #[arg(long, default_value_t = 2048)]
    pub memory_mib: u64,
    /// Limit on processes and threads of a run.
    #[arg(long, default_value_t = 256)]
    pub max_tasks: u64,
    /// Output kept per run, in KiB (head and tail; the middle is dropped and marked).
    #[arg(long, default_value_t = 1024)]
    pub output_kib: usize,
    /// Largest file a run may write, and size of its writable box and /tmp, in MiB.
    #[arg(long, default_value_t = 64)]
    pub file_size_mib: u64,
    /// Run even where nothing contains the network or the file system. Dangerous.
    #[arg(long)]
    pub allow_unsandboxed: bool,
    /// Seed of the harness's random inputs (each verdict records the one it used); by default
    /// every grade draws its own.
    #[arg(long)]
    pub seed: Option<u64>,
}

impl RunArgs {
    /// The checked options for the engine.
    pub fn options(&self) -> Result<GradeOptions, String> {
        if !(self.timeout > 0.0 && self.timeout.is_finite()) {
            return Err("--timeout must be a positive number of seconds".into());
        }
        if self.memory_mib < 64 || self.max_tasks < 16 {
            return Err("--memory-mib must be at least 64 and --max-tasks at least 16 (the race runtime needs them)".into());
        }
        if self.output_kib < 16 || self.file_size_mib < 1 {
            return Err("--output-kib must be at least 16 and --file-size-mib at least 1".into());
        }
        Ok(GradeOptions {
            timeout: Duration::from_secs_f64(self.timeout),
            strict: self.strict,
            limits: crate::exec::sandbox::Limits {
                memory_bytes: self.memory_mib << 20,
                max_tasks: self.max_tasks,
                file_size_bytes: self.file_size_mib << 20,
                tmp_bytes: self.file_size_mib << 20,
            },
            output_cap: self.output_kib * 1024,
            allow_unsandboxed: self.allow_unsandboxed,
            seed: self.seed,
            cancel: None,
        })
    }
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Exit code for a usage or grader error.
const EXIT_ERROR: u8 = 2;

/// Parses arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if e.kind() == clap::error::ErrorKind::InvalidSubcommand
                && let Some(hint) = grade_hint(std::env::args().skip(1).collect())
            {
                eprintln!("gograde: error: {hint}");
                return ExitCode::from(EXIT_ERROR);
            }
            e.exit()
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("gograde: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// `gograde answer.go`: a file where the command belongs. The hint names
/// the command that grades it.
fn grade_hint(args: Vec<String>) -> Option<String> {
    let first = args.iter().find(|a| !a.starts_with('-'))?;
    (first.ends_with(".go") || Path::new(first).is_file()).then(|| {
        format!(
            "'{first}' is not a command; to grade it: gograde grade {}",
            args.join(" ")
        )
    })
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let catalog = Catalog::load(cli.exercises_dir.as_deref()).map_err(|e| chain(&e))?;
    match cli.command {
        Command::List => {
            let mut out = std::io::stdout().lock();
            for ex in catalog.iter() {
                // A closed pipe (`| head`) is not an error worth a panic.
                let _ = writeln!(out, "{:<11} {}", ex.id(), ex.meta.summary);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { exercise } => {
            let ex = find_exercise(&catalog, &exercise).map_err(|e| e.to_string())?;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "{}\n\n---- stub.go ----\n{}",
                ex.prompt.trim_end(),
                ex.stub.trim_end()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Grade(args) => grade(&catalog, args),
        Command::Batch(args) => batch(&catalog, args),
        Command::Merge { inputs, output } => {
            let n = crate::batch::outputs::merge(&inputs, &output)?;
            eprintln!("gograde: merged {n} verdicts into {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Watch {
            exercise,
            file,
            color,
        } => match file {
            Some(file) => watch(&catalog, &exercise, &file, color),
            // `watch answer.go`: the exercise is what was left out.
            None if exercise.ends_with(".go") || Path::new(&exercise).is_file() => {
                watch(&catalog, "auto", &exercise, color)
            }
            None => Err(format!(
                "watch needs the file to watch: gograde watch {exercise} FILE"
            )),
        },
        Command::Serve(args) => {
            let guides = interview::load_guides(
                &catalog,
                cli.exercises_dir.as_deref(),
                cli.guides_dir.as_deref(),
            )?;
            crate::serve::main(catalog, guides, args.config()?).map(|()| ExitCode::SUCCESS)
        }
        Command::Guide(args) => {
            let guides = interview::load_guides(
                &catalog,
                cli.exercises_dir.as_deref(),
                cli.guides_dir.as_deref(),
            )?;
            interview::guide(&catalog, &guides, args)
        }
        Command::Interview(args) => interview::interview(args),
        Command::Warm => warm(&catalog),
        Command::Doctor => doctor(),
    }
}

/// The exercise named by `--exercise`, or `None` for `auto` (detect each
/// submission's own).
fn fixed_exercise<'a>(catalog: &'a Catalog, id: &str) -> Result<Option<&'a Exercise>, String> {
    if id == "auto" {
        return Ok(None);
    }
    find_exercise(catalog, id)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Says what a first run prepares and how long it takes, before anything
/// slow starts.
fn announce_first_run() {
    if crate::grade::toolchain::first_run() {
        eprintln!("{}", report::warming::announcement());
    }
}

/// Prepares a cold cache before the first grade of `exercise`, showing on a
/// terminal what is built, how far along it is and how long is left (it
/// takes about 10 s on 2 idle cores, once), then how long it took. Nothing when the
/// cache is warm.
fn prepare_if_cold(toolchain: &Toolchain, exercise: &Exercise) {
    use crate::grade::warming::{self, Phase, Sample};
    use report::warming::{finished_line, progress_line};
    if toolchain.cache_is_warm() && typecheck::build::binary_path(toolchain).is_file() {
        return;
    }
    let tty = std::io::stderr().is_terminal();
    let columns = terminal_columns();
    let harness = format!("std library with -race, {} harness", exercise.id());
    let show = |s: Sample| {
        if tty {
            let what = match s.phase {
                Phase::Harness => harness.as_str(),
                Phase::Checker => "code checker",
            };
            let line = progress_line(what, s.elapsed, s.steps, warming::TYPICAL_STEPS, columns);
            eprint!("\r\x1b[K{line}");
            let _ = std::io::stderr().flush();
        }
    };
    let done = warming::prepare(toolchain, exercise, Duration::from_millis(250), show);
    if tty {
        eprint!("\r\x1b[K");
    }
    match done {
        Ok(took) => eprintln!("{}", finished_line(took)),
        // The grade that follows meets the same failure and says so.
        Err(why) => eprintln!("gograde: preparing the build cache failed: {why}"),
    }
}

/// The width of the terminal on stderr, less one column (writing the last
/// one wraps on some terminals); 79 when it cannot be told.
fn terminal_columns() -> usize {
    // SAFETY: winsize is plain integers, for which all zeroes is valid.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one winsize into memory we own; on failure
    // it is left zeroed and we fall back.
    let rc = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &mut size) };
    if rc == 0 && size.ws_col > 1 {
        usize::from(size.ws_col) - 1
    } else {
        79
    }
}

/// The exercise `id`, in any case (`show Reverse` is `reverse`).
fn find_exercise<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Exercise, InputError> {
    let by_case = || catalog.iter().find(|ex| ex.id().eq_ignore_ascii_case(id));
    catalog
        .get(id)
        .or_else(by_case)
        .ok_or_else(|| InputError::UnknownExercise {
            id: id.to_owned(),
            known: catalog.ids().join(", "),
        })
}

/// Arguments of `gograde serve` (resolved into a `serve::ServeConfig`).
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; beyond loopback only with --token. Port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8088", value_name = "ADDR")]
    pub listen: String,
    /// Grades run at once.
    #[arg(long, short, default_value_t = 2)]
    pub jobs: usize,
    /// Grade requests waiting behind the running ones; past that, 503 with Retry-After.
    #[arg(long, default_value_t = 16)]
    pub queue: usize,
    /// Required on every route when set (Authorization: Bearer T, or ?token=T for the page).
    #[arg(long, env = "GOGRADE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Where interviews are kept (an SQLite file, owner-only) [default: $XDG_DATA_HOME/gograde or
    /// ~/.local/share/gograde].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
}

impl ServeArgs {
    /// The server's configuration: the flags, with the grade options resolved.
    fn config(self) -> Result<crate::serve::ServeConfig, String> {
        Ok(crate::serve::ServeConfig {
            options: self.run.options()?,
            listen: self.listen,
            jobs: self.jobs,
            queue: self.queue,
            token: self.token,
            data_dir: self.data_dir,
        })
    }
}

fn color_enabled(choice: ColorChoice, to_file: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !to_file && std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
        }
    }
}

fn grade(catalog: &Catalog, args: GradeArgs) -> Result<ExitCode, String> {
    let options = args.run.options()?;
    check_jobs(args.jobs)?;
    if args.files.iter().filter(|f| *f == "-").count() > 1 {
        return Err("stdin (-) can be graded only once".into());
    }
    let fixed = fixed_exercise(catalog, &args.exercise)?;
    // Read and check every input first: bad input is reported at once,
    // before any toolchain work.
    let mut loaded: Vec<Result<(Submission, &Exercise), String>> = Vec::new();
    for path in &args.files {
        loaded.push(load_one(catalog, fixed, args.force_exercise, path));
    }
    let mut verdicts = Vec::new();
    let mut had_error = false;
    if loaded.iter().any(Result::is_ok) {
        announce_first_run();
        let toolchain = Toolchain::discover().map_err(|e| chain(&e))?;
        if let Some(Ok((_, exercise))) = loaded.iter().find(|l| l.is_ok()) {
            prepare_if_cold(&toolchain, exercise);
        }
        if args.run.allow_unsandboxed {
            eprintln!(
                "gograde: WARNING: --allow-unsandboxed: if this machine cannot contain them, submissions run with your network and files"
            );
        }
        let results: Mutex<Vec<Option<Verdict>>> = Mutex::new(vec![None; loaded.len()]);
        let jobs = args
            .jobs
            .unwrap_or_else(|| crate::batch::parallelism::machine_jobs(args.run.memory_mib));
        let store = |index: usize, verdict: Verdict| {
            results.lock().expect("results lock")[index] = Some(verdict);
        };
        // Several files take batch's way (built in groups by one go
        // command each); their verdicts are those of grades alone.
        let ready = loaded.iter().enumerate().filter_map(|(index, item)| {
            let (submission, exercise) = item.as_ref().ok()?;
            match engine::begin(&toolchain, exercise, submission, &options) {
                Ok(grade) => Some((index, grade)),
                Err(verdict) => {
                    store(index, *verdict);
                    None
                }
            }
        });
        crate::batch::pipeline::grade_all(&toolchain, &options, jobs, ready, &store);
        let graded = results.into_inner().expect("results lock");
        for (item, verdict) in loaded.iter().zip(graded) {
            match (item, verdict) {
                (Ok(_), Some(v)) => verdicts.push(v),
                (Err(message), _) => {
                    had_error = true;
                    eprintln!("gograde: error: {message}");
                }
                (Ok(_), None) => had_error = true,
            }
        }
    } else {
        for item in &loaded {
            if let Err(message) = item {
                eprintln!("gograde: error: {message}");
            }
        }
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let color = color_enabled(args.color, args.output.is_some());
    let text = report::render(args.format, &verdicts, color, args.files.len() > 1);
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
        }
    }
    let grader_error = verdicts.iter().any(|v| v.status == Status::Error);
    if had_error || grader_error {
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    Ok(if verdicts.iter().all(|v| v.status.is_success()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--jobs 0` would grade nothing and wait forever; say so instead.
fn check_jobs(jobs: Option<usize>) -> Result<(), String> {
    match jobs {
        Some(0) => {
            Err("--jobs must be at least 1 (leave it out for one per core, plus one)".into())
        }
        _ => Ok(()),
    }
}

fn load_one<'a>(
    catalog: &'a Catalog,
    fixed: Option<&'a Exercise>,
    forced: bool,
    path: &str,
) -> Result<(Submission, &'a Exercise), String> {
    let submission = Submission::load(path).map_err(|e| chain(&e))?;
    let exercise = match fixed {
        Some(ex) if forced => ex,
        Some(ex) => {
            other_exercise(catalog, ex, &submission).map_err(|e| e.to_string())?;
            ex
        }
        None => detect_exercise(catalog, &submission).map_err(|e| e.to_string())?,
    };
    Ok((submission, exercise))
}

/// An operator's mistake, not the candidate's: the file declares none of
/// the named exercise's core symbols and plainly answers another one. Its
/// verdict would be a compile error scored 0/0 that says nothing of the
/// code, so it is a usage error naming the exercise it looks like.
fn other_exercise(
    catalog: &Catalog,
    named: &Exercise,
    submission: &Submission,
) -> Result<(), InputError> {
    let Ok(analysis) = golex::analyse(&submission.text) else {
        return Ok(());
    };
    let core: Vec<&str> = named
        .symbols(SymbolRole::Core)
        .map(|s| s.name.as_str())
        .collect();
    let declares_any = analysis
        .decls
        .iter()
        .any(|d| core.iter().any(|name| d.name.eq_ignore_ascii_case(name)));
    if declares_any {
        return Ok(());
    }
    match detect_exercise(catalog, submission) {
        Ok(other) if other.id() != named.id() => Err(InputError::OtherExercise {
            path: submission.path.clone(),
            exercise: named.id().to_owned(),
            expected: core.join(", "),
            looks_like: other.id().to_owned(),
        }),
        _ => Ok(()),
    }
}

fn batch(catalog: &Catalog, args: BatchArgs) -> Result<ExitCode, String> {
    let options = args.run.options()?;
    check_jobs(args.jobs)?;
    let fixed = fixed_exercise(catalog, &args.exercise)?;
    let shard = match (&args.shard, &args.shard_index_env, args.shard_count) {
        (Some(spec), _, _) => Some(crate::batch::shard::Shard::parse(spec)?),
        (None, Some(var), Some(count)) => {
            Some(crate::batch::shard::Shard::from_env(var, count, |name| {
                std::env::var(name).ok()
            })?)
        }
        // clap requires --shard-count and --shard-index-env together.
        (None, _, _) => None,
    };
    let mut items = crate::batch::run::collect_items(&args.input)?;
    if let Some(shard) = shard {
        items.retain(|item| shard.owns(&item.path));
    }
    announce_first_run();
    let toolchain = Toolchain::discover().map_err(|e| chain(&e))?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| crate::batch::parallelism::machine_jobs(args.run.memory_mib));
    eprintln!(
        "gograde: {} submissions to grade into {} ({jobs} at once)",
        items.len(),
        args.output.display()
    );
    let plan = crate::batch::run::BatchPlan {
        items,
        fixed,
        out_dir: args.output.clone(),
        resume: args.resume,
        jobs,
        options,
    };
    let progress = crate::batch::progress::Progress::new(std::io::stderr().is_terminal());
    let totals =
        crate::batch::run::run(catalog, &toolchain, plan, &|event| progress.observe(event));
    progress.finish();
    let totals = totals?;
    eprintln!(
        "gograde: {} graded now, {} skipped as already graded; {} of {} recorded verdicts pass; see {}",
        totals.graded,
        totals.skipped,
        totals.passed,
        totals.recorded,
        args.output
            .join(crate::batch::outputs::SUMMARY_FILE)
            .display()
    );
    Ok(if totals.grader_errors > 0 {
        ExitCode::from(EXIT_ERROR)
    } else if totals.passed == totals.recorded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// How often `watch` looks at the file's modification time: polling keeps
/// it working on every file system (editors that replace the file, network
/// mounts) without a notification library.
const WATCH_POLL: Duration = Duration::from_millis(250);

fn watch(
    catalog: &Catalog,
    exercise: &str,
    file: &str,
    color: ColorChoice,
) -> Result<ExitCode, String> {
    let fixed = fixed_exercise(catalog, exercise)?;
    announce_first_run();
    let toolchain = Toolchain::discover().map_err(|e| chain(&e))?;
    let options = GradeOptions::default();
    let color = color_enabled(color, false);
    let modified = || std::fs::metadata(file).and_then(|m| m.modified()).ok();
    let mut last = None;
    let mut runs = 0u64;
    loop {
        let now = modified();
        if now.is_none() && last.is_some() {
            // Deleted, or moved away by an editor's save: say so, and grade
            // it again when it is back.
            last = None;
            println!("\n{file} is gone (deleted or moved); waiting for it to come back");
            let _ = std::io::stdout().flush();
        }
        if now.is_some() && now != last {
            last = now;
            runs += 1;
            // Clear the screen so each report stands alone; the header says
            // which run it is and when, so a re-grade is seen to happen.
            print!("\x1b[2J\x1b[H");
            println!("── run {runs}, {} ──", clock_utc());
            match load_one(catalog, fixed, false, file) {
                Ok((submission, ex)) => {
                    prepare_if_cold(&toolchain, ex);
                    let verdict = engine::grade(&toolchain, ex, &submission, &options);
                    print!(
                        "{}",
                        report::render(Format::Human, &[verdict], color, false)
                    );
                }
                Err(message) => println!("gograde: {message}"),
            }
            println!("\nwatching {file} (Ctrl-C to stop)");
            let _ = std::io::stdout().flush();
        }
        std::thread::sleep(WATCH_POLL);
    }
}

/// The time of day, UTC, as HH:MM:SS.
fn clock_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "{:02}:{:02}:{:02} UTC",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

fn warm(catalog: &Catalog) -> Result<ExitCode, String> {
    let toolchain = Toolchain::discover().map_err(|e| chain(&e))?;
    let mut ok = true;
    eprint!("warming {:<11} ", "check");
    let _ = std::io::stderr().flush();
    let started = std::time::Instant::now();
    // Building the check compiles go/types once: minutes on a busy machine.
    match typecheck::job::warm(&toolchain, started + crate::grade::warming::WARM_UP_LIMIT) {
        Ok(_) => eprintln!("ok ({} ms)", started.elapsed().as_millis()),
        Err(e) => {
            ok = false;
            eprintln!("failed: {}", chain(&e));
        }
    }
    for ex in catalog.iter() {
        eprint!("warming {:<11} ", ex.id());
        let _ = std::io::stderr().flush();
        match crate::grade::warming::warm_up(&toolchain, ex) {
            Ok(took) => eprintln!("ok ({} ms)", took.as_millis()),
            Err(why) => {
                ok = false;
                eprintln!("failed: {why}");
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_ERROR)
    })
}

fn doctor() -> Result<ExitCode, String> {
    let toolchain = match Toolchain::discover() {
        Ok(t) => t,
        Err(e @ GraderError::GoMissing) => return Err(e.to_string()),
        Err(e) => return Err(chain(&e)),
    };
    println!(
        "go          {} ({})",
        toolchain.version,
        toolchain.go.display()
    );
    println!(
        "cache       {} ({})",
        toolchain.cache_root.display(),
        if toolchain.cache_is_warm() {
            "warm"
        } else {
            "cold: run `gograde warm`"
        }
    );
    let check = typecheck::build::binary_path(&toolchain);
    println!(
        "check       {}",
        if check.is_file() {
            check.display().to_string()
        } else {
            "not built yet (the first grade or `gograde warm` builds it)".to_owned()
        }
    );
    let cc = std::env::var("CC").unwrap_or_else(|_| "gcc".into());
    let race = std::process::Command::new(&cc)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    println!(
        "race        {}",
        if race {
            format!("supported (C compiler {cc} found)")
        } else {
            format!("UNAVAILABLE: no C compiler ({cc}); -race needs cgo")
        }
    );
    let (config, layers) = crate::exec::sandbox::machine_config(&toolchain.stage_root());
    println!(
        "sandbox     {}",
        match config {
            Some(_) if layers.contains_anything() => "available",
            _ => "NOT AVAILABLE: grading refuses to run without --allow-unsandboxed",
        }
    );
    for (name, state) in layers.list() {
        println!("  {:<12} {name}", state.as_str());
    }
    Ok(ExitCode::SUCCESS)
}
