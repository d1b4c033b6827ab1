//! The pure core: bytes and values in, values out. No process, no file, no
//! clock. Each module is unit-tested on literal data.

pub mod channel;
pub mod collect;
pub mod diagnostics;
pub mod diff;
pub mod fixup;
pub mod golex;
pub mod gotest;
pub mod import_path;
pub mod judge;
pub mod policy;
pub mod race;
pub mod settle;
pub mod stack;
pub mod trust;
pub mod vet;

/// The module path every staged package lives under. Staging writes it;
/// reading race reports and vet output strips it, so the candidate's
/// functions read as they wrote them.
pub const STAGED_MODULE: &str = "gograde.local/solution";
