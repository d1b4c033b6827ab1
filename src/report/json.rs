//! JSON reporter: the verdict schema as is.

use crate::verdict::Verdict;

/// One object for one verdict, an array for several; newline-terminated.
pub fn render(verdicts: &[Verdict]) -> String {
    let text = match verdicts {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    text.map(|t| t + "\n").unwrap_or_default()
}

/// One compact object per line.
pub fn render_lines(verdicts: &[Verdict]) -> String {
    verdicts
        .iter()
        .filter_map(|v| serde_json::to_string(v).ok())
        .map(|l| l + "\n")
        .collect()
}
