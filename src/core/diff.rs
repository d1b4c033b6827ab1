//! Explains how an actual value differs from the expected one: code points
//! for strings (where bytes differ), the path of the first difference for
//! JSON, a line diff for anything else. Pure.

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

/// Lines describing the difference, for the human report.
pub fn explain(kind: Option<&str>, expected: &str, actual: &str) -> Vec<String> {
    match kind {
        Some("string") => string_diff(expected, actual),
        Some("json") => json_diff(expected, actual),
        _ => text_diff(expected, actual),
    }
}

/// One unit of a byte string: a decoded character or an invalid byte.
fn units(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.extend(s.chars().map(describe_char));
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                let s = std::str::from_utf8(&rest[..valid]).unwrap_or_default();
                out.extend(s.chars().map(describe_char));
                let bad = e.error_len().unwrap_or(rest.len() - valid);
                for b in &rest[valid..valid + bad] {
                    out.push(format!("byte {b:#04X} (not UTF-8)"));
                }
                rest = &rest[valid + bad..];
            }
        }
    }
    out
}

fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} {c}", c as u32)
    }
}

fn string_diff(expected: &str, actual: &str) -> Vec<String> {
    let mut lines = vec![
        format!("expected: {expected}"),
        format!("actual:   {actual}"),
    ];
    let (Some(e), Some(a)) = (
        crate::core::golex::unquote_go(expected),
        crate::core::golex::unquote_go(actual),
    ) else {
        return lines;
    };
    let eu = units(&e);
    let au = units(&a);
    let first = eu.iter().zip(&au).take_while(|(x, y)| x == y).count();
    if first == eu.len() && first == au.len() {
        return lines;
    }
    const SHOWN: usize = 6;
    let window = |u: &[String]| {
        let end = (first + SHOWN).min(u.len());
        let mut s = u[first.min(u.len())..end].join(", ");
        if u.len() > end {
            s.push_str(", ...");
        }
        if s.is_empty() {
            s = "(ends here)".into();
        }
        s
    };
    lines.push(format!("first difference at character {}:", first + 1));
    lines.push(format!("  expected: {}", window(&eu)));
    lines.push(format!("  actual:   {}", window(&au)));
    if e.len() != a.len() {
        lines.push(format!(
            "byte length: expected {}, actual {}",
            e.len(),
            a.len()
        ));
    }
    lines
}

fn json_diff(expected: &str, actual: &str) -> Vec<String> {
    let mut lines = vec![
        format!("expected: {expected}"),
        format!("actual:   {actual}"),
    ];
    let parsed = (
        serde_json::from_str::<Value>(expected),
        serde_json::from_str::<Value>(actual),
    );
    match parsed {
        (Ok(e), Ok(a)) => {
            if let Some(d) = first_json_difference("$", &e, &a) {
                lines.push(format!("first difference: {d}"));
            }
        }
        (Ok(_), Err(err)) => lines.push(format!("actual is not valid JSON: {err}")),
        _ => {}
    }
    lines
}

/// The path and nature of the first difference between two documents.
pub fn first_json_difference(path: &str, expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let child = format!("{path}.{key}");
                match a.get(key) {
                    None => return Some(format!("{child} is missing")),
                    Some(av) => {
                        if let Some(d) = first_json_difference(&child, ev, av) {
                            return Some(d);
                        }
                    }
                }
            }
            a.keys()
                .find(|k| !e.contains_key(*k))
                .map(|k| format!("{path}.{k} is unexpected"))
        }
        (Value::Array(e), Value::Array(a)) => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                if let Some(d) = first_json_difference(&format!("{path}[{i}]"), ev, av) {
                    return Some(d);
                }
            }
            (e.len() != a.len())
                .then(|| format!("{path} has {} elements, expected {}", a.len(), e.len()))
        }
        _ if expected == actual => None,
        _ => Some(format!("{path}: expected {expected}, found {actual}")),
    }
}

/// Most of either side a text diff looks at, and most lines it shows.
const MAX_DIFF_INPUT: usize = 64 << 10;
const MAX_DIFF_LINES: usize = 200;

fn bounded(text: &str) -> &str {
    let mut end = text.len().min(MAX_DIFF_INPUT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn text_diff(expected: &str, actual: &str) -> Vec<String> {
    if !expected.contains('\n') && !actual.contains('\n') {
        return vec![
            format!("expected: {expected}"),
            format!("actual:   {actual}"),
        ];
    }
    // Both sides may be the candidate's: bound the input and the time the
    // diff may take (past the deadline `similar` falls back to a coarse
    // but correct diff), and the lines shown.
    let expected = bounded(expected);
    let actual = bounded(actual);
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_lines(expected, actual);
    diff.iter_all_changes()
        .take(MAX_DIFF_LINES)
        .map(|change| {
            let sign = match change.tag() {
                ChangeTag::Delete => "- ",
                ChangeTag::Insert => "+ ",
                ChangeTag::Equal => "  ",
            };
            format!("{sign}{}", change.value().trim_end_matches('\n'))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_text_diff_is_bounded() {
        let a: String = (0..45_000).map(|i| format!("line {i}\n")).collect();
        let b: String = (0..45_000).map(|i| format!("line {}\n", i * 7)).collect();
        let shown = text_diff(&a, &b);
        assert!(shown.len() <= MAX_DIFF_LINES, "{} lines", shown.len());
    }

    #[test]
    fn unquotes_go_literals_with_invalid_bytes() {
        assert_eq!(
            crate::core::golex::unquote_go(r#""h\xc3\xa9\n""#).unwrap(),
            b"h\xc3\xa9\n"
        );
        assert_eq!(
            crate::core::golex::unquote_go(r#""\u00e9""#).unwrap(),
            "é".as_bytes()
        );
        assert_eq!(
            crate::core::golex::unquote_go("\"é\"").unwrap(),
            "é".as_bytes()
        );
        assert!(crate::core::golex::unquote_go("abc").is_none());
    }

    #[test]
    fn string_diff_shows_code_points_where_bytes_differ() {
        // "héllo" reversed byte-wise breaks the two-byte é.
        let lines = explain(Some("string"), r#""olléh""#, r#""oll\xa9\xc3h""#);
        assert_eq!(lines[2], "first difference at character 4:");
        assert_eq!(lines[3], "  expected: U+00E9 é, U+0068 h");
        assert_eq!(
            lines[4],
            "  actual:   byte 0xA9 (not UTF-8), byte 0xC3 (not UTF-8), U+0068 h"
        );
    }

    #[test]
    fn json_diff_names_the_path() {
        let lines = explain(
            Some("json"),
            r#"{"name":"John","address":{"city":"Oslo"},"role":"x"}"#,
            r#"{"name":"John","address":{"city":"Bergen"},"role":"x"}"#,
        );
        assert_eq!(
            lines[2],
            r#"first difference: $.address.city: expected "Oslo", found "Bergen""#
        );
        let missing = first_json_difference(
            "$",
            &serde_json::json!({"a":1,"b":[1,2]}),
            &serde_json::json!({"a":1,"b":[1]}),
        );
        assert_eq!(missing.unwrap(), "$.b has 1 elements, expected 2");
    }

    #[test]
    fn text_diff_marks_lines() {
        let lines = explain(None, "a\nb\n", "a\nc\n");
        assert_eq!(lines, ["  a", "- b", "+ c"]);
    }
}
