//! The interview commands of the command line: `gograde guide` (and, with
//! the stored interviews, `gograde interview`). Kept apart from cli.rs so
//! the grading commands and these can change without touching each other.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::exercise::Catalog;
use crate::guide::{Guides, render};

/// Output formats of `gograde guide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GuideFormat {
    Human,
    Markdown,
    Json,
}

/// Arguments of `gograde guide`.
#[derive(Debug, clap::Args)]
pub struct GuideArgs {
    /// Guide id [default: the built-in one-hour senior AWS + Go interview].
    pub id: Option<String>,
    #[arg(long, short, value_enum, default_value_t = GuideFormat::Human)]
    pub format: GuideFormat,
    /// List the guides, one line each, instead of printing one.
    #[arg(long, conflicts_with = "id")]
    pub list: bool,
}

/// Loads the guides for a command, with the folders the user named.
pub fn load_guides(
    catalog: &Catalog,
    exercises_dir: Option<&std::path::Path>,
    guides_dir: Option<&std::path::Path>,
) -> Result<Guides, String> {
    let dirs: Vec<PathBuf> = crate::guide::extra_dirs(exercises_dir, guides_dir);
    Guides::load(catalog, &dirs).map_err(|e| e.to_string())
}

/// `gograde guide`.
pub fn guide(catalog: &Catalog, guides: &Guides, args: GuideArgs) -> Result<ExitCode, String> {
    let mut out = std::io::stdout().lock();
    if args.list {
        for g in guides.iter() {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(
                out,
                "{:<16} {} min, {} phases: {}",
                g.id,
                g.planned_minutes(),
                g.phases.len(),
                g.title
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let guide = match &args.id {
        Some(id) => guides
            .get(id)
            .ok_or_else(|| format!("unknown guide '{id}' (known: {})", guides.ids().join(", ")))?,
        None => guides
            .default_guide()
            .ok_or("no guides: the built-in ones were replaced by none")?,
    };
    let text = match args.format {
        GuideFormat::Human => render::human(guide, catalog),
        GuideFormat::Markdown => render::markdown(guide, catalog),
        GuideFormat::Json => render::json(guide, catalog),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `gograde interview`.
#[derive(Debug, clap::Args)]
pub struct InterviewArgs {
    /// Where interviews are kept [default: $XDG_DATA_HOME/gograde or ~/.local/share/gograde].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: InterviewCommand,
}

/// `gograde interview` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum InterviewCommand {
    /// Past and current interviews, the latest changed first, a page at a time.
    List {
        /// At most this many (1 to 500).
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u16).range(1..=500))]
        limit: u16,
        /// Start after this cursor (printed at the end of the page before).
        #[arg(long, value_name = "CURSOR")]
        before: Option<String>,
    },
    /// One interview's scorecard (Markdown by default).
    Show {
        id: String,
        #[arg(long, short, value_enum, default_value_t = ScorecardFormat::Markdown)]
        format: ScorecardFormat,
    },
    /// The whole record of one interview as JSON (every answer and code version).
    Export { id: String },
    /// Delete an interview and everything of it, its code versions included.
    Delete { id: String },
}

/// Formats of a scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScorecardFormat {
    Markdown,
    Json,
}

/// `gograde interview`: the stored interviews, over the same data
/// directory as `gograde serve` (SQLite lets both open it at once).
pub fn interview(args: InterviewArgs) -> Result<ExitCode, String> {
    use crate::interview::scorecard;
    use crate::interview::store::{Store, default_data_dir, now_ms};
    let dir = args
        .data_dir
        .or_else(default_data_dir)
        .ok_or("no data directory: pass --data-dir (HOME is not set)")?;
    let store = Store::open(&dir).map_err(|e| crate::error::chain(&e))?;
    let get = |id: &str| store.get(id).map_err(|e| crate::error::chain(&e));
    let mut out = std::io::stdout().lock();
    match args.command {
        InterviewCommand::List { limit, before } => {
            let page = store
                .list(usize::from(limit), before.as_deref())
                .map_err(|e| crate::error::chain(&e))?;
            for i in &page.interviews {
                // Names are typed by people: print them inert (no control
                // characters reach the terminal).
                let clean = |s: &str| -> String {
                    s.chars()
                        .map(|c| if c.is_control() { '?' } else { c })
                        .collect()
                };
                let _ = writeln!(
                    out,
                    "{}  {}  {:<7} {:<12} {}  ({})",
                    i.id,
                    scorecard::timestamp(i.created_at),
                    if i.ended_at.is_some() {
                        "ended"
                    } else {
                        "open"
                    },
                    i.recommendation.label(),
                    clean(&i.candidate),
                    clean(&i.interviewer)
                );
            }
            if let Some(next) = &page.next {
                // On stderr: stdout stays one interview a line for scripts.
                eprintln!("gograde: more: gograde interview list --before {next}");
            }
        }
        InterviewCommand::Show { id, format } => {
            let record = get(&id)?;
            let text = match format {
                ScorecardFormat::Markdown => scorecard::markdown(&record, now_ms()),
                ScorecardFormat::Json => {
                    let mut t = serde_json::to_string_pretty(&scorecard::json(&record, now_ms()))
                        .expect("JSON");
                    t.push('\n');
                    t
                }
            };
            let _ = out.write_all(text.as_bytes());
        }
        InterviewCommand::Export { id } => {
            let record = get(&id)?;
            let mut t = serde_json::to_string_pretty(&record).expect("JSON");
            t.push('\n');
            let _ = out.write_all(t.as_bytes());
        }
        InterviewCommand::Delete { id } => {
            if !store.delete(&id).map_err(|e| crate::error::chain(&e))? {
                return Err(format!("no interview {id}"));
            }
            let _ = writeln!(out, "deleted interview {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
