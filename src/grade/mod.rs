//! One grade, the effectful shell around the core: read the submission
//! (`submission`), find Go (`toolchain`), lay out the run (`stage`, with the
//! harness as a package compiled once where it can be, `harness_package`), build
//! and vet it (`binary`), check it (`typecheck`), run its tests in the
//! sandbox (`runner`), and tie it together into a verdict (`engine`); a cold
//! cache's first preparation, watched for progress (`warming`).

pub mod binary;
pub mod engine;
pub mod harness_package;
pub mod intake;
pub mod options;
pub mod runner;
pub mod stage;
pub mod submission;
pub mod toolchain;
pub mod typecheck;
pub mod warming;
