//! The pure core: bytes and values in, values out. No process, no file, no
//! clock. Each module is unit-tested on literal data.

pub mod channel;
pub mod collect;
pub mod diagnostics;
pub mod diff;
pub mod fixup;
pub mod golex;
pub mod gotest;
pub mod judge;
pub mod policy;
pub mod race;
pub mod settle;
pub mod trust;
pub mod vet;
