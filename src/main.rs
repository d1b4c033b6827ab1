//! The `gograde` binary: everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    gograde::cli::main()
}
