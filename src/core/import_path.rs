//! Reading a grouped package's output as the candidate's own. A batch
//! builds many submissions as packages of one module
//! (`gograde.local/solution/p3`), and Go names functions and, with
//! `-trimpath`, files by import path; a grade alone has
//! `gograde.local/solution`. The runner and the vet reader pass what they
//! read through [`read_as_alone`] with the package's own import path, so a
//! verdict says the same whichever way the submission was built.

use std::borrow::Cow;

use crate::core::STAGED_MODULE;

/// `text` with `own` (a staged package's import path) read as the staged
/// module's, and its external test package (`own_test`) as
/// `solution_test`. Another package's path that merely starts the same
/// (`p1` in `p12`) is left alone.
pub fn read_as_alone<'t>(text: &'t str, own: &str) -> Cow<'t, str> {
    if own == STAGED_MODULE || !text.contains(own) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(own) {
        let after = &rest[at + own.len()..];
        out.push_str(&rest[..at]);
        // Not a word boundary: `_test` must follow too.
        let continues_name = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        out.push_str(if continues_name { own } else { STAGED_MODULE });
        rest = after;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::read_as_alone;

    #[test]
    fn a_grouped_package_reads_as_the_module() {
        let own = "gograde.local/solution/p1";
        let text = "panic in gograde.local/solution/p1.Reverse via gograde.local/solution/p1_test.call (gograde.local/solution/p1/answer.go:3), not gograde.local/solution/p12.X";
        assert_eq!(
            read_as_alone(text, own),
            "panic in gograde.local/solution.Reverse via gograde.local/solution_test.call (gograde.local/solution/answer.go:3), not gograde.local/solution/p12.X"
        );
    }

    #[test]
    fn a_package_alone_or_text_without_it_is_borrowed() {
        let text = "gograde.local/solution.Reverse";
        assert!(matches!(
            read_as_alone(text, "gograde.local/solution"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(
            read_as_alone(text, "gograde.local/solution/p1"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            read_as_alone("at gograde.local/solution/p1", "gograde.local/solution/p1"),
            "at gograde.local/solution"
        );
    }
}
