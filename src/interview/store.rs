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
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_evidence_and_starts.sql")),
];

/// Most interviews one page of the list holds.
pub const MAX_PAGE: usize = 500;

/// How much of each code version a read brings back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Versions {
    /// Summaries: no source, no verdict (what a page shows in its list).
    Summary,
    /// Everything: sources and verdicts (export, scorecard).
    Full,
}

/// One page of the list of interviews, and where the next begins.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Page {
    pub interviews: Vec<Listed>,
    /// The `before` of the next page; `None` on the last.
    pub next: Option<String>,
}

/// What the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no interview {0}")]
    NotFound(String),
    #[error("the interview has no version {seq} of {exercise}")]
    NoVersion { exercise: String, seq: u32 },
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

    /// The interview with this id, whole: every version's source and
    /// verdict included.
    pub fn get(&self, id: &str) -> Result<Interview, StoreError> {
        let conn = self.conn();
        load(&conn, id, Versions::Full)
    }

    /// The interview with this id, its code versions as summaries (no
    /// source, no verdict: `version` has those).
    pub fn get_summary(&self, id: &str) -> Result<Interview, StoreError> {
        let conn = self.conn();
        load(&conn, id, Versions::Summary)
    }

    /// One code version, whole; `NotFound` names what is missing.
    pub fn version(&self, id: &str, exercise: &str, seq: u32) -> Result<CodeVersion, StoreError> {
        let conn = self.conn();
        let found = versions(&conn, id, Some((exercise, seq)), Versions::Full)?
            .pop()
            .ok_or_else(|| StoreError::NoVersion {
                exercise: exercise.to_owned(),
                seq,
            });
        if found.is_err() {
            // Say which is missing: the interview or only the version.
            load(&conn, id, Versions::Summary)?;
        }
        found
    }

    /// Applies `patch` if it was made against the current version, in one
    /// transaction; the interview after it, at its new version.
    pub fn update(&self, id: &str, patch: &Patch, now: i64) -> Result<Interview, StoreError> {
        let mut conn = self.conn();
        // IMMEDIATE: take the write lock before reading the version, so no
        // other writer can slip in between the check and the write.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut interview = load(&tx, id, Versions::Summary)?;
        if interview.version != patch.version {
            return Err(StoreError::Stale {
                asked: patch.version,
                current: Box::new(interview),
            });
        }
        interview.apply(patch, now)?;
        interview.version += 1;
        write_state(&tx, &interview)?;
        let started = patch
            .start_question
            .as_ref()
            .map(|e| format!("{}{e}", super::CODE_PREFIX));
        for key in patch.answers.keys().chain(started.as_ref()) {
            let answer = &interview.answers[key];
            tx.execute(
                "INSERT INTO answers (interview_id, question, covered, followups, rating, notes, evidence,
                   evidence_edited, started_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (interview_id, question) DO UPDATE SET
                   covered = excluded.covered, followups = excluded.followups, rating = excluded.rating,
                   notes = excluded.notes, evidence = excluded.evidence,
                   evidence_edited = excluded.evidence_edited, started_at = excluded.started_at",
                params![
                    id,
                    key,
                    serde_json::to_string(&answer.covered)?,
                    serde_json::to_string(&answer.followups)?,
                    answer.rating,
                    answer.notes,
                    answer.evidence,
                    answer.evidence_edited,
                    answer.started_at,
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
               score_earned, score_possible, seed, harness_digest, verdict_json, phase, facts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
                version.phase,
                version.facts,
            ],
        )?;
        tx.execute(
            "UPDATE interviews SET updated_at = MAX(updated_at, ?2) WHERE id = ?1",
            params![id, version.created_at],
        )?;
        tx.commit()?;
        Ok(version)
    }

    /// A page of the interviews, the latest changed first: at most
    /// `limit` (1 to `MAX_PAGE`) of those after the cursor `before` (the
    /// `next` of the page before; none: from the start). The cursor is the
    /// last row's change time and id, so a page is found by the index
    /// order, not by skipping rows.
    pub fn list(&self, limit: usize, before: Option<&str>) -> Result<Page, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let (at, after_id) = match before {
            Some(cursor) => parse_cursor(cursor)?,
            None => (i64::MAX, String::new()),
        };
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, guide_id, candidate, interviewer, created_at, updated_at, ended_at, recommendation
             FROM interviews
             WHERE updated_at < ?1 OR (updated_at = ?1 AND id > ?2)
             ORDER BY updated_at DESC, id LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![at, after_id, limit as i64 + 1], |r| {
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
        let mut interviews = rows.collect::<Result<Vec<_>, _>>()?;
        let next = (interviews.len() > limit).then(|| {
            interviews.truncate(limit);
            let last = &interviews[limit - 1];
            format!("{}.{}", last.updated_at, last.id)
        });
        Ok(Page { interviews, next })
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

/// `<updated_at>.<id>` of a list cursor.
fn parse_cursor(cursor: &str) -> Result<(i64, String), StoreError> {
    cursor
        .split_once('.')
        .and_then(|(at, id)| Some((at.parse().ok()?, id.to_owned())))
        .ok_or_else(|| {
            StoreError::Change(ChangeError::Invalid(format!(
                "before {cursor:?} is not a cursor from a page's next"
            )))
        })
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
    // Versions graded before migration 2 have no facts yet: computed from
    // their verdicts, in the same transaction.
    let missing = tx
        .prepare("SELECT id, verdict_json FROM code_versions WHERE facts IS NULL")?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (row, verdict) in missing {
        let facts = super::facts(&serde_json::from_str(&verdict)?);
        tx.execute(
            "UPDATE code_versions SET facts = ?2 WHERE id = ?1",
            params![row, facts],
        )?;
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

fn load(conn: &Connection, id: &str, mode: Versions) -> Result<Interview, StoreError> {
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
        answers: answers(conn, id)?,
        recommendation: recommendation(&rec),
        summary,
        versions: versions(conn, id, None, mode)?,
    })
}

/// The question cards of an interview, by question key.
fn answers(
    conn: &Connection,
    id: &str,
) -> Result<std::collections::BTreeMap<String, Answer>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT question, covered, followups, rating, notes, evidence, evidence_edited, started_at
         FROM answers WHERE interview_id = ?1",
    )?;
    let raw = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                Answer {
                    covered: Vec::new(),
                    followups: Vec::new(),
                    rating: r.get(3)?,
                    notes: r.get(4)?,
                    evidence: r.get(5)?,
                    evidence_edited: r.get(6)?,
                    started_at: r.get(7)?,
                },
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut answers = std::collections::BTreeMap::new();
    for (question, covered, followups, mut answer) in raw {
        answer.covered = serde_json::from_str(&covered)?;
        answer.followups = serde_json::from_str(&followups)?;
        answers.insert(question, answer);
    }
    Ok(answers)
}

/// The code versions of an interview (or the one of `only`), by exercise
/// and number; in `Summary` mode without source and verdict, which are
/// most of a version's bytes.
fn versions(
    conn: &Connection,
    id: &str,
    only: Option<(&str, u32)>,
    mode: Versions,
) -> Result<Vec<CodeVersion>, StoreError> {
    let heavy = match mode {
        Versions::Full => "source, verdict_json",
        Versions::Summary => "'', 'null'",
    };
    let (exercise, seq) = only.unwrap_or(("", 0));
    let mut stmt = conn.prepare(&format!(
        "SELECT exercise, seq, created_at, status, summary, score_earned, score_possible, seed,
           harness_digest, phase, COALESCE(facts, ''), {heavy}
         FROM code_versions
         WHERE interview_id = ?1 AND (?2 = '' OR (exercise = ?2 AND seq = ?3))
         ORDER BY exercise, seq"
    ))?;
    let raw = stmt
        .query_map(params![id, exercise, seq], |r| {
            Ok((
                CodeVersion {
                    exercise: r.get(0)?,
                    seq: r.get(1)?,
                    created_at: r.get(2)?,
                    status: r.get(3)?,
                    summary: r.get(4)?,
                    score_earned: r.get(5)?,
                    score_possible: r.get(6)?,
                    seed: r.get(7)?,
                    harness_digest: r.get(8)?,
                    phase: r.get(9)?,
                    facts: r.get(10)?,
                    source: r.get(11)?,
                    verdict: serde_json::Value::Null,
                },
                r.get::<_, String>(12)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    raw.into_iter()
        .map(|(mut v, json)| {
            v.verdict = serde_json::from_str(&json)?;
            Ok(v)
        })
        .collect()
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

/// How far the test hook has moved this process's interview clock (see
/// `advance_clock`); zero in every real run.
static CLOCK_OFFSET_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Milliseconds since the Unix epoch, as the interview clock reads them:
/// the system clock plus what `advance_clock` has added.
pub fn now_ms() -> i64 {
    let system = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    system + CLOCK_OFFSET_MS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Moves the interview clock `ms` forward and returns the new now. Only
/// `gograde serve`'s test hook calls it (`GOGRADE_TEST_CLOCK=1`), so a
/// browser test can run an hour's phases without waiting an hour.
pub fn advance_clock(ms: i64) -> i64 {
    CLOCK_OFFSET_MS.fetch_add(ms, std::sync::atomic::Ordering::Relaxed);
    now_ms()
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
            phase: Some(3),
            facts: format!("{status}; core 0/0 passed"),
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
        assert_eq!(store.list(10, None).unwrap().interviews.len(), 1);
        // One version whole, the interview's read without sources.
        let one = store.version("i1", "counter", 2).unwrap();
        assert_eq!(
            (one.source.as_str(), one.verdict["status"].as_str()),
            ("package main\n", Some("pass"))
        );
        assert_eq!(
            (one.phase, one.facts.as_str()),
            (Some(3), "pass; core 0/0 passed")
        );
        let summary = store.get_summary("i1").unwrap();
        assert!(
            summary
                .versions
                .iter()
                .all(|v| v.source.is_empty() && v.verdict.is_null())
        );
        assert_eq!(summary.versions[1].facts, "pass; core 0/0 passed");
        assert!(matches!(
            store.version("i1", "counter", 3),
            Err(StoreError::NoVersion { seq: 3, .. })
        ));
        assert!(matches!(
            store.version("nope", "counter", 1),
            Err(StoreError::NotFound(_))
        ));
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

    #[test]
    fn the_list_pages_by_cursor_without_gaps_or_repeats() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // Seven interviews, two changed at the same millisecond: the id
        // breaks the tie, so the cursor still lands between them.
        for (n, at) in [10, 20, 20, 30, 40, 50, 60].into_iter().enumerate() {
            let mut i = fresh();
            i.id = format!("i{n}");
            i.updated_at = at;
            store.create(&i).unwrap();
        }
        let mut seen = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let page = store.list(3, before.as_deref()).unwrap();
            assert!(page.interviews.len() <= 3);
            seen.extend(page.interviews.iter().map(|l| l.id.clone()));
            match page.next {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["i6", "i5", "i4", "i3", "i1", "i2", "i0"]);
        assert!(matches!(
            store.list(3, Some("garbage")),
            Err(StoreError::Change(ChangeError::Invalid(_)))
        ));
    }

    #[test]
    fn a_first_schema_file_is_migrated_with_its_evidence_kept_as_the_interviewers() {
        let dir = tempfile::tempdir().unwrap();
        {
            // A file as the first gograde with interviews left it.
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            conn.execute_batch(MIGRATIONS[0].1).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            let guide = serde_json::to_string(&fresh().guide).unwrap();
            conn.execute(
                "INSERT INTO interviews (id, guide_id, guide_json, candidate, interviewer, created_at, updated_at)
                 VALUES ('old', 'senior-aws-go', ?1, 'c', 'i', 1, 1)",
                [guide],
            )
            .unwrap();
            conn.execute_batch(
                "INSERT INTO answers (interview_id, question, evidence) VALUES ('old', 'code:counter', 'typed by hand');
                 INSERT INTO code_versions (interview_id, exercise, seq, created_at, source, status, summary,
                   score_earned, score_possible, verdict_json)
                 VALUES ('old', 'counter', 1, 2, 'x', 'pass', 's', 1, 1,
                   '{\"status\":\"pass\",\"tests\":[{\"category\":\"core\",\"status\":\"pass\"}]}');",
            )
            .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let old = store.get("old").unwrap();
        let card = &old.answers["code:counter"];
        assert_eq!(
            (card.evidence.as_str(), card.evidence_edited),
            ("typed by hand", true)
        );
        assert_eq!(
            old.versions[0].facts,
            "pass; core 1/1 passed; no follow-ups attempted"
        );
        assert_eq!(old.versions[0].phase, None);
    }
}
