//! Running untrusted and trusted processes: children with deadlines and
//! bounded output (`process`), and the sandbox a test binary runs in.

pub mod process;
pub mod sandbox;
