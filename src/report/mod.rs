//! Reporters: each a pure function from verdicts to text. Where the text
//! goes (stdout, a file) is the caller's business.

pub mod human;
pub mod json;

use crate::verdict::Verdict;

/// Output formats of `gograde grade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable report for a person.
    Human,
    /// One JSON verdict object (an array for several files).
    Json,
    /// One JSON verdict per line.
    Jsonl,
}

/// Renders verdicts in `format`; `color` applies to `human` only, and
/// `several` (more than one file was asked for) makes `json` an array.
pub fn render(format: Format, verdicts: &[Verdict], color: bool, several: bool) -> String {
    if verdicts.is_empty() {
        return String::new();
    }
    match format {
        Format::Human => verdicts
            .iter()
            .map(|v| human::render(v, color))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => json::render(verdicts, several),
        Format::Jsonl => json::render_lines(verdicts),
    }
}
