//! The authenticated result channel between the harness kit and gograde.
//! Pure: the per-run secret, and the reading and verification of what the
//! kit wrote.
//!
//! The candidate's code runs in the test binary's process and can write
//! anything to stdout, stderr or any descriptor it finds, so results are
//! believed only when they carry an HMAC-SHA256 under a key that only the
//! kit ever held (it reads the key from an inherited pipe before any
//! candidate code runs, and closes it). Every line is
//! `<hex MAC> <JSON record>`; the records are numbered, so a line cannot be
//! replayed, reordered or dropped without the numbering showing it.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::core::collect::{Failure, Outcome};

/// Bytes of HMAC key.
pub const KEY_BYTES: usize = 32;

/// What one run of the test binary is given on its secret descriptor.
#[derive(Clone)]
pub struct Secret {
    pub key: [u8; KEY_BYTES],
    /// Seed of the harness's random inputs (the same for every rerun of a
    /// grade, so reruns see the same inputs).
    pub seed: u64,
    /// The test flags (`-test.run=...`): they travel here rather than on
    /// the command line, so the code under test sees a neutral `os.Args`
    /// and `/proc/self/cmdline`.
    pub flags: Vec<String>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Secret").field("seed", &self.seed).finish()
    }
}

impl Secret {
    /// The bytes written to the secret descriptor, as the kit reads them:
    /// the key, the seed (big-endian), then the flags separated by NUL.
    pub fn wire(&self) -> Vec<u8> {
        let mut bytes = self.key.to_vec();
        bytes.extend_from_slice(&self.seed.to_be_bytes());
        bytes.extend_from_slice(self.flags.join("\0").as_bytes());
        bytes
    }
}

/// One authenticated record, as the kit sends it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Wire {
    seq: u64,
    kind: String,
    #[serde(default)]
    test: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    elapsed_ms: Option<u64>,
    #[serde(default)]
    failure: Option<Failure>,
    #[serde(default)]
    code: Option<i32>,
}

/// What the channel said about one harness test in one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestReport {
    pub started: bool,
    /// The outcome from the test's authenticated end, if it ended.
    pub outcome: Option<Outcome>,
    pub elapsed_ms: u64,
    /// Structured failures the harness reported, in order.
    pub failures: Vec<Failure>,
}

/// Everything authenticated that one run sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunReport {
    pub tests: BTreeMap<String, TestReport>,
    /// The test that started last (the one a crash or hang interrupted, if
    /// it has no end).
    pub last_started: Option<String>,
    /// The exit code `m.Run` returned, when the run got that far.
    pub final_code: Option<i32>,
    /// Lines that were not authentic records, or out of sequence: ignored,
    /// and counted so a verdict can say so.
    pub rejected_lines: usize,
}

/// Verifies and folds what the kit wrote in one run. Unauthenticated or
/// out-of-sequence lines are counted and ignored; they can only take
/// results away, never add one.
pub fn read(secret: &Secret, bytes: &[u8]) -> RunReport {
    let mut report = RunReport::default();
    let mut next_seq = 1;
    for line in bytes.split(|b| *b == b'\n') {
        if line.is_empty() {
            continue;
        }
        let Some(wire) = authentic(&secret.key, line) else {
            report.rejected_lines += 1;
            continue;
        };
        if wire.seq != next_seq {
            report.rejected_lines += 1;
            continue;
        }
        next_seq += 1;
        fold(&mut report, wire);
    }
    report
}

fn authentic(key: &[u8], line: &[u8]) -> Option<Wire> {
    let space = line.iter().position(|b| *b == b' ')?;
    let (mac_hex, body) = (&line[..space], &line[space + 1..]);
    let claimed = decode_hex(mac_hex)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(body);
    // verify_slice compares in constant time.
    mac.verify_slice(&claimed).ok()?;
    serde_json::from_slice(body).ok()
}

fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}

fn fold(report: &mut RunReport, wire: Wire) {
    match (wire.kind.as_str(), wire.test) {
        ("start", Some(test)) => {
            report.tests.entry(test.clone()).or_default().started = true;
            report.last_started = Some(test);
        }
        ("end", Some(test)) => {
            let entry = report.tests.entry(test).or_default();
            if !entry.started || entry.outcome.is_some() {
                return;
            }
            entry.outcome = Some(match wire.status.as_deref() {
                Some("pass") => Outcome::Pass,
                Some("skip") => Outcome::Skip,
                _ => Outcome::Fail,
            });
            entry.elapsed_ms = wire.elapsed_ms.unwrap_or(0);
        }
        ("failure", Some(test)) => {
            if let Some(failure) = wire.failure {
                report.tests.entry(test).or_default().failures.push(failure);
            }
        }
        ("final", _) => report.final_code = wire.code,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret {
            key: [7; KEY_BYTES],
            seed: 42,
            flags: Vec::new(),
        }
    }

    /// Writes a record as the kit does.
    fn line(secret: &Secret, body: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret.key).unwrap();
        mac.update(body.as_bytes());
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{hex} {body}\n")
    }

    #[test]
    fn authentic_records_fold_into_outcomes() {
        let s = secret();
        let stream = [
            line(&s, r#"{"seq":1,"kind":"start","test":"TestA"}"#),
            line(
                &s,
                r#"{"seq":2,"kind":"failure","test":"TestA","failure":{"message":"wrong"}}"#,
            ),
            line(
                &s,
                r#"{"seq":3,"kind":"end","test":"TestA","status":"fail","elapsed_ms":5}"#,
            ),
            line(&s, r#"{"seq":4,"kind":"start","test":"TestB"}"#),
            line(
                &s,
                r#"{"seq":5,"kind":"end","test":"TestB","status":"pass"}"#,
            ),
            line(&s, r#"{"seq":6,"kind":"final","code":1}"#),
        ]
        .concat();
        let r = read(&s, stream.as_bytes());
        assert_eq!(r.rejected_lines, 0);
        assert_eq!(r.tests["TestA"].outcome, Some(Outcome::Fail));
        assert_eq!(r.tests["TestA"].failures[0].message, "wrong");
        assert_eq!(r.tests["TestA"].elapsed_ms, 5);
        assert_eq!(r.tests["TestB"].outcome, Some(Outcome::Pass));
        assert_eq!(r.final_code, Some(1));
        assert_eq!(r.last_started.as_deref(), Some("TestB"));
    }

    #[test]
    fn forged_replayed_and_reordered_lines_count_for_nothing() {
        let s = secret();
        let other = Secret {
            key: [8; KEY_BYTES],
            seed: 42,
            flags: Vec::new(),
        };
        let start = line(&s, r#"{"seq":1,"kind":"start","test":"TestA"}"#);
        let stream = [
            // The right shape under the wrong key.
            line(&other, r#"{"seq":1,"kind":"start","test":"TestA"}"#),
            start.clone(),
            // A replay of an authentic line.
            start,
            // A pass with a sequence number from the future.
            line(
                &s,
                r#"{"seq":9,"kind":"end","test":"TestA","status":"pass"}"#,
            ),
            // A good MAC on a body that was changed afterwards.
            line(
                &s,
                r#"{"seq":2,"kind":"end","test":"TestA","status":"fail"}"#,
            )
            .replace("fail", "pass"),
            "not a record at all\n".to_owned(),
            "zz {\"seq\":2}\n".to_owned(),
        ]
        .concat();
        let r = read(&s, stream.as_bytes());
        assert_eq!(r.rejected_lines, 6);
        assert!(r.tests["TestA"].started);
        assert_eq!(r.tests["TestA"].outcome, None, "no pass was authentic");
    }

    #[test]
    fn an_end_without_a_start_is_ignored() {
        let s = secret();
        let stream = line(
            &s,
            r#"{"seq":1,"kind":"end","test":"TestA","status":"pass"}"#,
        );
        let r = read(&s, stream.as_bytes());
        assert_eq!(r.tests.get("TestA").and_then(|t| t.outcome), None);
    }

    #[test]
    fn the_secret_goes_out_as_key_then_seed() {
        let wire = secret().wire();
        assert_eq!(wire.len(), KEY_BYTES + 8);
        assert_eq!(&wire[KEY_BYTES..], &42u64.to_be_bytes());
        assert!(
            !format!("{:?}", secret()).contains('7'),
            "the key is never printed"
        );
    }
}
