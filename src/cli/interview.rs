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
