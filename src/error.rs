//! Error types of the grader itself (never of a candidate: candidate
//! mistakes are verdict data). Messages are lowercase fragments; `main`
//! prints the chain once.

use std::path::PathBuf;

use thiserror::Error;

/// Problems loading exercises.
#[derive(Debug, Error)]
pub enum CatalogError {
    #[error("invalid metadata in {origin}: {message}")]
    Metadata { origin: String, message: String },
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} has no exercises/ folder")]
    NotAnExercisesDir { path: PathBuf },
}

/// Problems with what the user asked for: exit code 2.
#[derive(Debug, Error)]
pub enum InputError {
    #[error("{path}: no such file")]
    Missing { path: String },
    #[error(
        "{path}: is a directory, expected a Go file (to grade every .go file in it: gograde batch {path})"
    )]
    Directory { path: String },
    #[error("{path}: cannot read")]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: file is empty")]
    Empty { path: String },
    #[error("{path}: binary file, expected Go source text")]
    Binary { path: String },
    #[error("{path}: {bytes} bytes is too large to be a Go answer (limit {limit} bytes)")]
    TooLarge {
        path: String,
        bytes: u64,
        limit: u64,
    },
    #[error("unknown exercise '{id}' (known: {known})")]
    UnknownExercise { id: String, known: String },
    #[error("{path}: cannot tell which exercise this is: {reason}; pass --exercise")]
    Undetected { path: String, reason: String },
    #[error(
        "{path}: does not look like Go code (no function or type declared), so it answers no exercise; is it the right file?"
    )]
    NotGo { path: String },
    #[error(
        "{path}: declares none of {expected}, which `{exercise}` asks for; it looks like `{looks_like}`: grade it with --exercise {looks_like} (or --exercise auto; --force-exercise grades it as `{exercise}` anyway)"
    )]
    OtherExercise {
        path: String,
        exercise: String,
        expected: String,
        looks_like: String,
    },
    #[error("{0}")]
    Usage(String),
}

/// Problems of the grading machinery: the toolchain, the file system.
#[derive(Debug, Error)]
pub enum GraderError {
    #[error("go toolchain not found (looked for `go` on PATH and in /usr/local/go/bin)")]
    GoMissing,
    #[error("cannot run {what}")]
    Spawn {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{what} failed: {message}")]
    Toolchain { what: String, message: String },
    #[error("cannot stage the submission in {path}")]
    Stage {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

/// An error and its sources, joined with ": ", for the one line printed to
/// a person.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}
