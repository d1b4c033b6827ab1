//! Reads a candidate's file (or stdin). What is not a submission at all
//! (missing, a directory, empty, binary, huge) is an input error; what is a
//! submission that breaks a rule (over the size limit, not UTF-8) is kept,
//! with the refusal, so it gets a `rejected` verdict like any other.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::InputError;

/// Largest submission graded, in bytes (SPEC: 256 KiB); larger ones are
/// rejected.
pub const MAX_SOURCE_BYTES: u64 = 256 * 1024;
/// Past this the input is not read at all: no Go answer is this large.
pub const HUGE_BYTES: u64 = 16 * 1024 * 1024;

/// A submission's text and identity.
#[derive(Debug, Clone)]
pub struct Submission {
    /// As the user named it (`-` for stdin).
    pub path: String,
    /// The text (lossily decoded when it is not UTF-8).
    pub text: String,
    pub sha256: String,
    pub bytes: u64,
    /// The rule it breaks, when it must be rejected without running.
    pub refusal: Option<String>,
}

impl Submission {
    /// Reads and checks a file, or stdin when `path` is `-`.
    pub fn load(path: &str) -> Result<Submission, InputError> {
        let bytes = if path == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(HUGE_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| InputError::Unreadable {
                    path: "<stdin>".into(),
                    source: e,
                })?;
            buf
        } else {
            let p = Path::new(path);
            let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => InputError::Missing { path: path.into() },
                _ => InputError::Unreadable {
                    path: path.into(),
                    source: e,
                },
            })?;
            if meta.is_dir() {
                return Err(InputError::Directory { path: path.into() });
            }
            if meta.len() > HUGE_BYTES {
                return Err(InputError::TooLarge {
                    path: path.into(),
                    bytes: meta.len(),
                    limit: HUGE_BYTES,
                });
            }
            std::fs::read(p).map_err(|e| InputError::Unreadable {
                path: path.into(),
                source: e,
            })?
        };
        Submission::from_bytes(path, bytes)
    }

    /// Checks raw bytes named `path`.
    pub fn from_bytes(path: &str, bytes: Vec<u8>) -> Result<Submission, InputError> {
        let shown = if path == "-" { "<stdin>" } else { path };
        let len = bytes.len() as u64;
        if len > HUGE_BYTES {
            return Err(InputError::TooLarge {
                path: shown.into(),
                bytes: len,
                limit: HUGE_BYTES,
            });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(InputError::Empty { path: shown.into() });
        }
        if bytes.contains(&0) {
            return Err(InputError::Binary { path: shown.into() });
        }
        let sha256 = format!("{:x}", Sha256::digest(&bytes));
        let mut refusal = None;
        if len > MAX_SOURCE_BYTES {
            refusal = Some(format!(
                "{len} bytes is over the {} KiB limit for a submission",
                MAX_SOURCE_BYTES / 1024
            ));
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                refusal
                    .get_or_insert_with(|| format!("not UTF-8 text (invalid byte at offset {at})"));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        Ok(Submission {
            path: path.into(),
            text,
            sha256,
            bytes: len,
            refusal,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_submission() {
        assert!(matches!(
            Submission::from_bytes("a.go", b"  \n".to_vec()),
            Err(InputError::Empty { .. })
        ));
        assert!(matches!(
            Submission::from_bytes("a.go", vec![0x7f, 0x45, 0, 1]),
            Err(InputError::Binary { .. })
        ));
        let huge = vec![b'a'; HUGE_BYTES as usize + 1];
        assert!(matches!(
            Submission::from_bytes("a.go", huge),
            Err(InputError::TooLarge { .. })
        ));
    }

    #[test]
    fn keeps_rule_breakers_for_a_rejected_verdict() {
        let latin1 = Submission::from_bytes("a.go", vec![b'a', 0xe9, b'b']).unwrap();
        assert_eq!(
            latin1.refusal.as_deref(),
            Some("not UTF-8 text (invalid byte at offset 1)")
        );
        let big =
            Submission::from_bytes("a.go", vec![b'a'; MAX_SOURCE_BYTES as usize + 1]).unwrap();
        assert!(big.refusal.unwrap().contains("over the 256 KiB limit"));
        let ok = Submission::from_bytes("a.go", b"package main\n".to_vec()).unwrap();
        assert_eq!(ok.bytes, 13);
        assert_eq!(ok.sha256.len(), 64);
        assert!(ok.refusal.is_none());
    }
}
