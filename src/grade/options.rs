//! The settings of one grade, apart from the engine that runs it, so the
//! runner, the batch and the front doors can take them without importing
//! the engine (and the engine and the runner no longer import each other).

use std::time::Duration;

use crate::exec::process;
use crate::exec::sandbox;
use crate::grade::submission::MAX_SOURCE_BYTES;
use crate::verdict::Limits;

/// Settings for one grading run.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// Wall-time limit for compile and run together.
    pub timeout: Duration,
    /// No fix-ups of pasted code.
    pub strict: bool,
    /// The verdict's output budget, in bytes, across every run of it.
    pub output_cap: usize,
    /// Limits inside the sandbox.
    pub limits: sandbox::Limits,
    /// Run even where nothing contains the network or the filesystem.
    pub allow_unsandboxed: bool,
    /// Seed of the harness's random inputs; `None` draws one per grade.
    pub seed: Option<u64>,
    /// Stops the grade early (its client went away): the running process
    /// group is killed and nothing more starts. The verdict of a cancelled
    /// grade is meaningless and should be dropped.
    pub cancel: Option<process::Cancel>,
}

impl GradeOptions {
    /// The limits as a verdict reports them (and the messages name them).
    pub fn reported_limits(&self) -> Limits {
        Limits {
            timeout_s: self.timeout.as_secs_f64(),
            memory_mib: self.limits.memory_bytes >> 20,
            max_tasks: self.limits.max_tasks,
            file_size_mib: self.limits.file_size_bytes >> 20,
            output_kib: (self.output_cap / 1024) as u64,
            source_kib: MAX_SOURCE_BYTES / 1024,
        }
    }
}

impl Default for GradeOptions {
    fn default() -> GradeOptions {
        GradeOptions {
            timeout: Duration::from_secs(60),
            strict: false,
            output_cap: 1024 * 1024,
            limits: sandbox::Limits::default(),
            allow_unsandboxed: false,
            seed: None,
            cancel: None,
        }
    }
}
