//! Many submissions at once, for CI: the batch itself (`run`), the grading
//! pipeline every several-submission grade shares (`pipeline`), groups built
//! by one go command (`group`), shards, progress on stderr, the output
//! directory, and how many grades the machine can hold.

pub mod group;
pub mod outputs;
pub mod parallelism;
pub mod pipeline;
pub mod progress;
pub mod run;
pub mod shard;
