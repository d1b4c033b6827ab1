//! Tells cargo to rebuild when the embedded folders change: `include_dir!`
//! embeds exercises/, harness/, checker/ and guides/ into the binary, but cargo
//! cannot see files read by a macro, so a harness edit alone left the old
//! harness in the binary (and every measurement of it stale).

fn main() {
    for dir in ["exercises", "harness", "checker", "guides"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
