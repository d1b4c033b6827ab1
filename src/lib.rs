//! gograde: grades Go interview exercises. A pure core (scan, fix up,
//! collect, judge, render) over plain data, and a thin shell that stages,
//! compiles and runs with the real Go toolchain.

pub mod batch;
pub mod build;
pub mod channel;
pub mod cli;
pub mod collect;
pub mod compile;
pub mod diff;
pub mod engine;
pub mod error;
pub mod exercise;
pub mod fixup;
pub mod golex;
pub mod gotest;
pub mod group;
pub mod guide;
pub mod interview;
pub mod judge;
pub mod outputs;
pub mod parallelism;
pub mod policy;
pub mod pool;
pub mod process;
pub mod progress;
pub mod race;
pub mod report;
pub mod runner;
pub mod sandbox;
pub mod serve;
pub mod settle;
pub mod shard;
pub mod stage;
pub mod submission;
pub mod toolchain;
pub mod trust;
pub mod typecheck;
pub mod verdict;
pub mod vet;
