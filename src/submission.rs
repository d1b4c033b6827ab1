//! Reads a candidate's file (or stdin) and refuses what is not Go source
//! text: missing, a directory, empty, binary, or too large.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::InputError;

/// Largest submission accepted, in bytes (SPEC: 256 KiB).
pub const MAX_SOURCE_BYTES: u64 = 256 * 1024;

/// A submission's text and identity.
#[derive(Debug, Clone)]
pub struct Submission {
    /// As the user named it (`-` for stdin).
    pub path: String,
    pub text: String,
    pub sha256: String,
    pub bytes: u64,
}

impl Submission {
    /// Reads and checks a file, or stdin when `path` is `-`.
    pub fn load(path: &str) -> Result<Submission, InputError> {
        let bytes = if path == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(MAX_SOURCE_BYTES * 4 + 1)
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
            if meta.len() > MAX_SOURCE_BYTES {
                return Err(InputError::TooLarge {
                    path: path.into(),
                    bytes: meta.len(),
                    limit: MAX_SOURCE_BYTES,
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
        if len > MAX_SOURCE_BYTES {
            return Err(InputError::TooLarge {
                path: shown.into(),
                bytes: len,
                limit: MAX_SOURCE_BYTES,
            });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(InputError::Empty { path: shown.into() });
        }
        if bytes.contains(&0) {
            return Err(InputError::Binary { path: shown.into() });
        }
        let text =
            String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { path: shown.into() })?;
        let sha256 = format!("{:x}", Sha256::digest(text.as_bytes()));
        Ok(Submission {
            path: path.into(),
            text,
            sha256,
            bytes: len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_input() {
        assert!(matches!(
            Submission::from_bytes("a.go", b"  \n".to_vec()),
            Err(InputError::Empty { .. })
        ));
        assert!(matches!(
            Submission::from_bytes("a.go", vec![0x7f, 0x45, 0, 1]),
            Err(InputError::Binary { .. })
        ));
        assert!(matches!(
            Submission::from_bytes("a.go", vec![b'a', 0xff, 0xfe]),
            Err(InputError::NotUtf8 { .. })
        ));
        let big = vec![b'a'; MAX_SOURCE_BYTES as usize + 1];
        assert!(matches!(
            Submission::from_bytes("a.go", big),
            Err(InputError::TooLarge { .. })
        ));
        let ok = Submission::from_bytes("a.go", b"package main\n".to_vec()).unwrap();
        assert_eq!(ok.bytes, 13);
        assert_eq!(ok.sha256.len(), 64);
    }
}
