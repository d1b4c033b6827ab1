//! Finding which exercise a submission answers, from the symbols it
//! declares. One place for the CLI, the batch and the server, which all
//! grade files that do not say what they are.

use crate::core::golex;
use crate::error::InputError;
use crate::exercise::{Catalog, Exercise, SymbolRole};
use crate::grade::submission::Submission;

/// Picks the exercise whose core symbols the file declares.
pub fn detect_exercise<'a>(
    catalog: &'a Catalog,
    submission: &Submission,
) -> Result<&'a Exercise, InputError> {
    let undetected = |reason: String| InputError::Undetected {
        path: submission.path.clone(),
        reason,
    };
    let not_go = || InputError::NotGo {
        path: submission.path.clone(),
    };
    // A README or notes (named otherwise than .go) that does not even scan
    // as Go: naming an exercise would not help.
    let named_go = submission.path == "-" || submission.path.ends_with(".go");
    let analysis = golex::analyse(&submission.text).map_err(|e| {
        if named_go {
            undetected(format!(
                "cannot read the Go code ({} on line {})",
                e.message, e.line
            ))
        } else {
            not_go()
        }
    })?;
    if analysis.decls.is_empty() {
        return Err(not_go());
    }
    let score = |ex: &Exercise, exact: bool| {
        ex.symbols(SymbolRole::Core)
            .filter(|s| {
                analysis.decls.iter().any(|d| {
                    d.kind != golex::DeclKind::Method
                        && if exact {
                            d.name == s.name
                        } else {
                            d.name.eq_ignore_ascii_case(&s.name)
                        }
                })
            })
            .count()
    };
    for exact in [true, false] {
        let mut best: Vec<(&Exercise, usize)> = catalog
            .iter()
            .map(|ex| (ex, score(ex, exact)))
            .filter(|(_, n)| *n > 0)
            .collect();
        best.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        match best.as_slice() {
            [] => continue,
            [(only, _)] => return Ok(only),
            [(first, a), (second, b), ..] if a == b => {
                return Err(undetected(format!(
                    "it matches both {} and {}",
                    first.id(),
                    second.id()
                )));
            }
            [(first, _), ..] => return Ok(first),
        }
    }
    let wanted: Vec<String> = catalog
        .iter()
        .flat_map(|ex| {
            ex.symbols(SymbolRole::Core)
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    Err(undetected(format!(
        "it declares none of {}",
        wanted.join(", ")
    )))
}
