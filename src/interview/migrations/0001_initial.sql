-- The first schema of the interview store. Times are milliseconds since
-- the Unix epoch (UTC). Every child row goes with its interview
-- (ON DELETE CASCADE), so deleting an interview removes its code too.

CREATE TABLE interviews (
    id            TEXT PRIMARY KEY,
    guide_id      TEXT NOT NULL,
    -- The guide as it was when the interview started: later edits of the
    -- guide must not change an interview already held.
    guide_json    TEXT NOT NULL,
    candidate     TEXT NOT NULL,
    interviewer   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    ended_at      INTEGER,
    -- Bumped by every change; a write names the version it was read at.
    version       INTEGER NOT NULL DEFAULT 1,
    -- 1-based phase being run, NULL before the interview starts.
    current_phase INTEGER,
    -- When the current phase's clock was last started; NULL while paused.
    running_since INTEGER,
    recommendation TEXT NOT NULL DEFAULT 'no_decision'
        CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes', 'no_decision')),
    summary       TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE phase_times (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    phase        INTEGER NOT NULL,
    started_at   INTEGER,
    ended_at     INTEGER,
    -- Time on the clock so far, excluding the running stretch since
    -- interviews.running_since.
    used_ms      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (interview_id, phase)
) STRICT;

-- One row per question card: a guide question id, or code:<exercise>.
CREATE TABLE answers (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    question     TEXT NOT NULL,
    covered      TEXT NOT NULL DEFAULT '[]',   -- JSON array of point indexes
    followups    TEXT NOT NULL DEFAULT '[]',   -- JSON array of follow-up indexes
    rating       INTEGER CHECK (rating BETWEEN 1 AND 4),
    notes        TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (interview_id, question)
) STRICT;

-- Every graded version of a coding question, never overwritten.
CREATE TABLE code_versions (
    id             INTEGER PRIMARY KEY,
    interview_id   TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    exercise       TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    source         TEXT NOT NULL,
    status         TEXT NOT NULL,
    summary        TEXT NOT NULL,
    score_earned   INTEGER NOT NULL,
    score_possible INTEGER NOT NULL,
    seed           TEXT,
    harness_digest TEXT,
    verdict_json   TEXT NOT NULL,
    UNIQUE (interview_id, exercise, seq)
) STRICT;

CREATE INDEX code_versions_by_interview ON code_versions (interview_id, exercise, seq);
