//! Makes a verdict safe to print on a terminal. Pure.
//!
//! Much of a verdict is the candidate's: panic values, printed output,
//! expected/actual values, race frames, compile messages, even the file
//! name. Printed raw, control characters in them could clear the screen,
//! draw a fake "PASS 20/20", rewrite the title or write the clipboard
//! (OSC 52). Every C0 and C1 control character but the newline is shown
//! visibly instead (a tab becomes spaces), and so are the Unicode bidi
//! controls that can make text read differently than it runs.

use std::borrow::Cow;

use crate::verdict::Verdict;

/// `text` with every control character other than `\n` made visible.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if needs_escape(c) => {
                let code = c as u32;
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{{{code:04x}}}"));
                }
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c != '\n'
        && (c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
}

/// A copy of `verdict` with every text a candidate could have influenced
/// escaped for a terminal.
pub fn sanitize(verdict: &Verdict) -> Verdict {
    let mut v = verdict.clone();
    let fix = |s: &mut String| {
        if let Cow::Owned(escaped) = escape(s) {
            *s = escaped;
        }
    };
    let fix_opt = |s: &mut Option<String>| {
        if let Some(s) = s {
            fix(s);
        }
    };
    fix(&mut v.submission.path);
    fix(&mut v.summary);
    for t in &mut v.tests {
        fix(&mut t.message);
        fix_opt(&mut t.expected);
        fix_opt(&mut t.actual);
        fix_opt(&mut t.output);
        fix_opt(&mut t.hint);
        if let Some(frame) = &mut t.frame {
            fix(&mut frame.function);
            fix(&mut frame.file);
            fix_opt(&mut frame.source);
        }
    }
    for race in &mut v.races {
        fix(&mut race.summary);
        for access in &mut race.accesses {
            for frame in &mut access.frames {
                fix(&mut frame.function);
                fix(&mut frame.file);
                fix_opt(&mut frame.source);
            }
        }
    }
    for e in &mut v.compile_errors {
        fix(&mut e.file);
        fix(&mut e.message);
        fix_opt(&mut e.source);
    }
    for n in &mut v.notes {
        fix(&mut n.message);
    }
    for h in &mut v.hints {
        fix(h);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_sequences_are_shown_not_obeyed() {
        // Clear screen, fake PASS in green, OSC 52 clipboard write, BEL.
        let attack = "\x1b[2J\x1b[HPASS\x1b[32m 20/20\x1b]52;c;ZXZpbA==\x07\r\u{9b}31m";
        let shown = escape(attack);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(
            shown,
            "\\x1b[2J\\x1b[HPASS\\x1b[32m 20/20\\x1b]52;c;ZXZpbA==\\x07\\x0d\\x9b31m"
        );
    }

    #[test]
    fn newlines_stay_tabs_become_spaces_and_bidi_controls_show() {
        assert_eq!(escape("a\n\tb"), "a\n    b");
        assert_eq!(escape("x\u{202e}y"), "x\\u{202e}y");
        assert!(matches!(escape("plain é 世界"), Cow::Borrowed(_)));
    }
}
