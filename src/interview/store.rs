//! The interview store: one SQLite file in the data directory, through
//! rusqlite with SQLite bundled (no system library). WAL with
//! `synchronous=FULL`, so a write acknowledged to a client is on disk
//! before the answer leaves, and a `kill -9` loses nothing acknowledged;
//! foreign keys on, so an interview's rows go with it; numbered migrations
//! embedded in the binary, applied in one transaction at open and recorded
//! in `PRAGMA user_version`.
//!
//! Every call is blocking: the server runs them on blocking threads.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{
    Answer, ChangeError, CodeVersion, Interview, Listed, Patch, PhaseTime, Recommendation,
};
use crate::guide::Guide;

/// The database's file name inside the data directory.
pub const DB_FILE: &str = "interviews.sqlite3";

/// The migrations, in order: number and SQL. A released migration is
/// never edited; a change of schema is a new file.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("migrations/0001_initial.sql"))];

/// What the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no interview {0}")]
    NotFound(String),
    /// The change was made against an older version: here is the current.
    #[error("interview {} changed since version {asked}; it is at version {}", .current.id, .current.version)]
    Stale { asked: i64, current: Box<Interview> },
    #[error(transparent)]
    Change(#[from] ChangeError),
    #[error("cannot use {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} has schema version {found}, newer than this gograde knows ({known}); use a newer gograde"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("the interview database")]
    Db(#[from] rusqlite::Error),
    #[error("a stored record cannot be read")]
    Corrupt(#[from] serde_json::Error),
}

/// The default data directory: `$XDG_DATA_HOME/gograde`, else
/// `~/.local/share/gograde`.
pub fn default_data_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    xdg.or_else(|| {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .map(|h| h.join(".local/share"))
    })
    .map(|d| d.join("gograde"))
}

/// The open store. One connection behind a lock: SQLite writes one
/// transaction at a time anyway, and an interview's saves are small.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`, owner-only, and
    /// brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io(dir))?;
        // The folder may predate us with looser bits; it holds candidates'
        // code and the interviewer's notes.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
        let path = dir.join(DB_FILE);
        // Created 0600 before SQLite opens it: SQLite gives its -wal and
        // -shm files the database file's mode.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&path)
            .map_err(io(&path))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(io(&path))?;
        let mut conn = Connection::open(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted interviews are overwritten, not left in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        migrate(&mut conn, &path)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (an
        // unfinished transaction rolls back on drop), so go on.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores a new interview.
    pub fn create(&self, interview: &Interview) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO interviews (id, guide_id, guide_json, candidate, interviewer, created_at, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                interview.id,
                interview.guide.id,
                serde_json::to_string(&interview.guide)?,
                interview.candidate,
                interview.interviewer,
                interview.created_at,
                interview.updated_at,
                interview.version,
            ],
        )?;
        write_state(&tx, interview)?;
        tx.commit()?;
        Ok(())
    }

    /// The interview with this id, whole.
    pub fn get(&self, id: &str) -> Result<Interview, StoreError> {
        let conn = self.conn();
        load(&conn, id)
    }

    /// Applies `patch` if it was made against the current version, in one
    /// transaction; the interview after it, at its new version.
    pub fn update(&self, id: &str, patch: &Patch, now: i64) -> Result<Interview, StoreError> {
        let mut conn = self.conn();
        // IMMEDIATE: take the write lock before reading the version, so no
        // other writer can slip in between the check and the write.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut interview = load(&tx, id)?;
        if interview.version != patch.version {
            return Err(StoreError::Stale {
                asked: patch.version,
                current: Box::new(interview),
            });
        }
        interview.apply(patch, now)?;
        interview.version += 1;
        write_state(&tx, &interview)?;
        for key in patch.answers.keys() {
            let answer = &interview.answers[key];
            tx.execute(
                "INSERT INTO answers (interview_id, question, covered, followups, rating, notes, evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (interview_id, question) DO UPDATE SET
                   covered = excluded.covered, followups = excluded.followups, rating = excluded.rating,
                   notes = excluded.notes, evidence = excluded.evidence",
                params![
                    id,
                    key,
                    serde_json::to_string(&answer.covered)?,
                    serde_json::to_string(&answer.followups)?,
                    answer.rating,
                    answer.notes,
                    answer.evidence,
                ],
            )?;
        }
        tx.commit()?;
        Ok(interview)
    }

    /// Records a graded version of a coding question; its `seq` is given
    /// here (the next for that exercise). Versions only accumulate, so
    /// they need no version check: two tabs grading both get recorded.
    pub fn add_version(
        &self,
        id: &str,
        mut version: CodeVersion,
    ) -> Result<CodeVersion, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists: Option<i64> = tx
            .query_row("SELECT 1 FROM interviews WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if exists.is_none() {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        let last: Option<u32> = tx.query_row(
            "SELECT MAX(seq) FROM code_versions WHERE interview_id = ?1 AND exercise = ?2",
            params![id, version.exercise],
            |r| r.get(0),
        )?;
        version.seq = last.unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO code_versions (interview_id, exercise, seq, created_at, source, status, summary,
               score_earned, score_possible, seed, harness_digest, verdict_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                id,
                version.exercise,
                version.seq,
                version.created_at,
                version.source,
                version.status,
                version.summary,
                version.score_earned,
                version.score_possible,
                version.seed,
                version.harness_digest,
                serde_json::to_string(&version.verdict)?,
            ],
        )?;
        tx.execute(
            "UPDATE interviews SET updated_at = MAX(updated_at, ?2) WHERE id = ?1",
            params![id, version.created_at],
        )?;
        tx.commit()?;
        Ok(version)
    }

    /// Every interview, the latest changed first.
    pub fn list(&self) -> Result<Vec<Listed>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, guide_id, candidate, interviewer, created_at, updated_at, ended_at, recommendation
             FROM interviews ORDER BY updated_at DESC, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Listed {
                id: r.get(0)?,
                guide_id: r.get(1)?,
                candidate: r.get(2)?,
                interviewer: r.get(3)?,
                created_at: r.get(4)?,
                updated_at: r.get(5)?,
                ended_at: r.get(6)?,
                recommendation: recommendation(&r.get::<_, String>(7)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes an interview and everything of it (its code versions
    /// included); false if there was none.
    pub fn delete(&self, id: &str) -> Result<bool, StoreError> {
        let conn = self.conn();
        let n = conn.execute("DELETE FROM interviews WHERE id = ?1", [id])?;
        // Copy the WAL into the main file and truncate it, so the deleted
        // rows do not linger in the log either (secure_delete zeroes them
        // in the main file).
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(n > 0)
    }
}

fn recommendation(text: &str) -> Recommendation {
    Recommendation::parse(text).unwrap_or_default()
}

/// Applies the migrations newer than the file's `user_version`, all in one
/// transaction: a crash half-way leaves the old schema, never half a new one.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let known = MIGRATIONS.last().map_or(0, |(n, _)| *n);
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > known {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found,
            known,
        });
    }
    for (number, sql) in MIGRATIONS.iter().filter(|(n, _)| *n > found) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", number)?;
    }
    tx.commit()?;
    Ok(())
}

/// Writes the interview row's changeable columns and every phase clock.
fn write_state(tx: &Transaction<'_>, interview: &Interview) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE interviews SET candidate = ?2, interviewer = ?3, updated_at = ?4, ended_at = ?5, version = ?6,
           current_phase = ?7, running_since = ?8, recommendation = ?9, summary = ?10
         WHERE id = ?1",
        params![
            interview.id,
            interview.candidate,
            interview.interviewer,
            interview.updated_at,
            interview.ended_at,
            interview.version,
            interview.current_phase,
            interview.running_since,
            interview.recommendation.as_str(),
            interview.summary,
        ],
    )?;
    for p in &interview.phases {
        tx.execute(
            "INSERT INTO phase_times (interview_id, phase, started_at, ended_at, used_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (interview_id, phase) DO UPDATE SET
               started_at = excluded.started_at, ended_at = excluded.ended_at, used_ms = excluded.used_ms",
            params![interview.id, p.phase, p.started_at, p.ended_at, p.used_ms],
        )?;
    }
    Ok(())
}

fn load(conn: &Connection, id: &str) -> Result<Interview, StoreError> {
    type Row = (
        String,
        String,
        String,
        i64,
        i64,
        Option<i64>,
        i64,
        Option<u32>,
        Option<i64>,
        String,
        String,
    );
    let row: Option<Row> = conn
        .query_row(
            "SELECT guide_json, candidate, interviewer, created_at, updated_at, ended_at, version,
               current_phase, running_since, recommendation, summary
             FROM interviews WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ))
            },
        )
        .optional()?;
    let Some((
        guide_json,
        candidate,
        interviewer,
        created_at,
        updated_at,
        ended_at,
        version,
        current_phase,
        running_since,
        rec,
        summary,
    )) = row
    else {
        return Err(StoreError::NotFound(id.to_owned()));
    };
    let guide: Guide = serde_json::from_str(&guide_json)?;
    let mut stmt = conn.prepare(
        "SELECT phase, started_at, ended_at, used_ms FROM phase_times WHERE interview_id = ?1 ORDER BY phase",
    )?;
    let phases = stmt
        .query_map([id], |r| {
            Ok(PhaseTime {
                phase: r.get(0)?,
                started_at: r.get(1)?,
                ended_at: r.get(2)?,
                used_ms: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare(
        "SELECT question, covered, followups, rating, notes, evidence FROM answers WHERE interview_id = ?1",
    )?;
    let raw_answers = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<u8>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut answers = std::collections::BTreeMap::new();
    for (question, covered, followups, rating, notes, evidence) in raw_answers {
        answers.insert(
            question,
            Answer {
                covered: serde_json::from_str(&covered)?,
                followups: serde_json::from_str(&followups)?,
                rating,
                notes,
                evidence,
            },
        );
    }
    let mut stmt = conn.prepare(
        "SELECT exercise, seq, created_at, source, status, summary, score_earned, score_possible, seed,
           harness_digest, verdict_json
         FROM code_versions WHERE interview_id = ?1 ORDER BY exercise, seq",
    )?;
    let raw_versions = stmt
        .query_map([id], |r| {
            Ok((
                CodeVersion {
                    exercise: r.get(0)?,
                    seq: r.get(1)?,
                    created_at: r.get(2)?,
                    source: r.get(3)?,
                    status: r.get(4)?,
                    summary: r.get(5)?,
                    score_earned: r.get(6)?,
                    score_possible: r.get(7)?,
                    seed: r.get(8)?,
                    harness_digest: r.get(9)?,
                    verdict: serde_json::Value::Null,
                },
                r.get::<_, String>(10)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut versions = Vec::new();
    for (mut v, json) in raw_versions {
        v.verdict = serde_json::from_str(&json)?;
        versions.push(v);
    }
    Ok(Interview {
        id: id.to_owned(),
        guide,
        candidate,
        interviewer,
        created_at,
        updated_at,
        ended_at,
        version,
        current_phase,
        running_since,
        phases,
        answers,
        recommendation: recommendation(&rec),
        summary,
        versions,
    })
}

/// A new interview id: 16 hex digits from the system's random source, so
/// ids cannot be guessed from one another.
pub fn new_id() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 8];
    let drawn = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if drawn.is_err() {
        // No urandom (an odd container): time and pid still make it unique.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        bytes = (nanos ^ (u64::from(std::process::id()) << 40)).to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::tests::fresh;
    use crate::interview::{ClockAction, Patch};
    use std::os::unix::fs::PermissionsExt;

    fn version(exercise: &str, status: &str) -> CodeVersion {
        CodeVersion {
            exercise: exercise.into(),
            seq: 0,
            created_at: 5_000,
            source: "package main\n".into(),
            status: status.into(),
            summary: "s".into(),
            score_earned: 1,
            score_possible: 2,
            seed: Some("7".into()),
            harness_digest: Some("abc".into()),
            verdict: serde_json::json!({"status": status}),
        }
    }

    #[test]
    fn an_interview_round_trips_and_a_stale_write_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("data")).unwrap();
        let mut created = fresh();
        store.create(&created).unwrap();
        assert_eq!(store.get("i1").unwrap(), created);

        let mut patch = Patch {
            version: 1,
            clock: Some(ClockAction::Start),
            summary: Some("solid".into()),
            recommendation: Some(Recommendation::Yes),
            ..Patch::default()
        };
        patch.answers.insert(
            "q2".into(),
            Answer {
                covered: vec![1],
                rating: Some(4),
                ..Answer::default()
            },
        );
        let after = store.update("i1", &patch, 9_000).unwrap();
        assert_eq!(after.version, 2);
        created.apply(&patch, 9_000).unwrap();
        created.version = 2;
        assert_eq!(after, created);
        assert_eq!(store.get("i1").unwrap(), created);

        // The same change again was made against version 1: refused, with
        // the current state to reload.
        match store.update("i1", &patch, 9_500) {
            Err(StoreError::Stale { asked, current }) => {
                assert_eq!((asked, current.version), (1, 2));
            }
            other => panic!("expected stale, got {other:?}"),
        }
        assert!(matches!(
            store.update("nope", &patch, 1),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn versions_accumulate_per_exercise_and_go_with_the_interview() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.create(&fresh()).unwrap();
        assert_eq!(
            store
                .add_version("i1", version("counter", "fail"))
                .unwrap()
                .seq,
            1
        );
        assert_eq!(
            store
                .add_version("i1", version("counter", "pass"))
                .unwrap()
                .seq,
            2
        );
        assert_eq!(
            store
                .add_version("i1", version("json", "pass"))
                .unwrap()
                .seq,
            1
        );
        let got = store.get("i1").unwrap();
        let seqs: Vec<(&str, u32, &str)> = got
            .versions
            .iter()
            .map(|v| (v.exercise.as_str(), v.seq, v.status.as_str()))
            .collect();
        assert_eq!(
            seqs,
            [
                ("counter", 1, "fail"),
                ("counter", 2, "pass"),
                ("json", 1, "pass")
            ]
        );
        assert!(matches!(
            store.add_version("nope", version("json", "pass")),
            Err(StoreError::NotFound(_))
        ));
        assert_eq!(store.list().unwrap().len(), 1);
        assert!(store.delete("i1").unwrap());
        assert!(!store.delete("i1").unwrap());
        let conn = store.conn();
        let left: i64 = conn
            .query_row("SELECT COUNT(*) FROM code_versions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "deleting an interview deletes its code");
        drop(conn);
        // Neither the database nor its log still holds the candidate.
        for file in [DB_FILE, "interviews.sqlite3-wal"] {
            let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
            assert!(
                !bytes.windows(7).any(|w| w == b"cand-42"),
                "{file} still holds the deleted candidate"
            );
        }
    }

    #[test]
    fn the_store_is_owner_only_migrated_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("gograde");
        {
            let store = Store::open(&data).unwrap();
            store.create(&fresh()).unwrap();
        }
        let store = Store::open(&data).unwrap();
        assert_eq!(store.get("i1").unwrap().candidate, "cand-42");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        for entry in std::fs::read_dir(&data).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        let conn = store.conn();
        let user_version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(user_version, MIGRATIONS.last().unwrap().0);
        let journal: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        drop(conn);
        drop(store);
        // A file from a newer gograde is refused, not downgraded.
        let conn = Connection::open(data.join(DB_FILE)).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            Store::open(&data),
            Err(StoreError::Newer { found: 99, .. })
        ));
    }
}
