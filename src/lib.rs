//! gograde: grades Go interview exercises. A pure core over plain data and a
//! thin shell that stages, compiles and runs with the real Go toolchain,
//! laid out by layer:
//!
//! - [`core`]: pure. Scanning and fixing up Go, the import policy, the
//!   authenticated channel, what a run is worth, judging, races, diffs.
//!   Nothing in it touches the OS.
//! - [`grade`]: one grade, effectful: read the submission, stage it, build
//!   it, check it, run its tests in the sandbox, fold it into a verdict.
//! - [`batch`]: many grades: groups built by one go command, shards,
//!   progress, the output directory.
//! - [`exec`]: processes with deadlines, and the sandbox they run in.
//! - [`verdict`], [`exercise`], [`error`]: the data every layer shares;
//!   [`report`] renders verdicts; [`serve`], [`cli`], [`guide`] and
//!   [`interview`] are the front doors and what only they need.

pub mod batch;
pub mod cli;
pub mod core;
pub mod error;
pub mod exec;
pub mod exercise;
pub mod grade;
pub mod guide;
pub mod interview;
pub mod report;
pub mod serve;
pub mod verdict;
