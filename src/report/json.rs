//! JSON reporter: the verdict schema as is.

use crate::verdict::Verdict;

/// One object when one file was asked for, an array when several were
/// (even if some could not be read); newline-terminated.
pub fn render(verdicts: &[Verdict], several: bool) -> String {
    let text = match verdicts {
        [one] if !several => serde_json::to_string_pretty(one),
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

/// One document when one file was asked for, an array when several were;
/// pretty-printed and newline-terminated.
pub fn one_or_many(mut docs: Vec<serde_json::Value>, several: bool) -> String {
    let value = if docs.len() == 1 && !several {
        docs.remove(0)
    } else {
        serde_json::Value::Array(docs)
    };
    serde_json::to_string_pretty(&value)
        .map(|t| t + "\n")
        .unwrap_or_default()
}
