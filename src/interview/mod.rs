//! Interviews as records: what one held interview keeps (SPEC section 9),
//! the changes the page or a tool may ask for, and the phase clock. Pure
//! data and rules over times given by the caller; `store` keeps records in
//! SQLite and `scorecard` renders them.

pub mod scorecard;
pub mod store;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::guide::{Guide, RATING_LEVELS};

/// Longest free text of one field (notes, summary, evidence): ample for an
/// hour's typing, small enough that a runaway client cannot fill the disk.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Longest candidate reference or interviewer name.
pub const MAX_NAME_BYTES: usize = 200;

/// Prefix of the answer key of a coding question's card.
pub const CODE_PREFIX: &str = "code:";

/// The interviewer's overall recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    StrongNo,
    No,
    Yes,
    StrongYes,
    #[default]
    NoDecision,
}

impl Recommendation {
    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::StrongNo => "strong_no",
            Recommendation::No => "no",
            Recommendation::Yes => "yes",
            Recommendation::StrongYes => "strong_yes",
            Recommendation::NoDecision => "no_decision",
        }
    }

    pub fn parse(text: &str) -> Option<Recommendation> {
        [
            Recommendation::StrongNo,
            Recommendation::No,
            Recommendation::Yes,
            Recommendation::StrongYes,
            Recommendation::NoDecision,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }

    /// Words for a person.
    pub fn label(self) -> &'static str {
        match self {
            Recommendation::StrongNo => "strong no",
            Recommendation::No => "no",
            Recommendation::Yes => "yes",
            Recommendation::StrongYes => "strong yes",
            Recommendation::NoDecision => "no decision",
        }
    }
}

/// The clock of one phase.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PhaseTime {
    pub phase: u32,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    /// Time on the clock, excluding a stretch still running.
    pub used_ms: i64,
}

/// The interviewer's marks on one question card.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Indexes of the guide's points the candidate covered.
    #[serde(default)]
    pub covered: Vec<u32>,
    /// Indexes of the follow-ups asked.
    #[serde(default)]
    pub followups: Vec<u32>,
    /// 1-4, or none for "no decision".
    #[serde(default)]
    pub rating: Option<u8>,
    #[serde(default)]
    pub notes: String,
    /// For a coding card: the interviewer's own words on the evidence,
    /// which count only once `evidence_edited` is set; until then the
    /// card's evidence is the grader's facts of its latest version
    /// (`CodeVersion::facts`), so a re-grade never overwrites what the
    /// interviewer wrote.
    #[serde(default)]
    pub evidence: String,
    /// Whether the interviewer has written the evidence (set by the page
    /// on the first keystroke in it, cleared by "use the grader's facts").
    #[serde(default)]
    pub evidence_edited: bool,
    /// For a coding card: when the question was started (milliseconds,
    /// the server's clock), by `Patch::start_question`. Owned by the
    /// server: a value sent in an answer is ignored.
    #[serde(default)]
    pub started_at: Option<i64>,
}

/// One graded version of a coding question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeVersion {
    pub exercise: String,
    /// 1, 2, ... per exercise in the interview.
    pub seq: u32,
    pub created_at: i64,
    pub source: String,
    pub status: String,
    pub summary: String,
    pub score_earned: u32,
    pub score_possible: u32,
    pub seed: Option<String>,
    pub harness_digest: Option<String>,
    /// The phase the interview was in when it was graded.
    #[serde(default)]
    pub phase: Option<u32>,
    /// The grader's facts of this version, one line (see `facts`).
    #[serde(default)]
    pub facts: String,
    /// The whole verdict (schema v1), to show it again.
    pub verdict: serde_json::Value,
}

/// The grader's facts of a verdict in one line for the evidence of a
/// coding card: status, core tests passed, the candidate's lines in data
/// races, whether it compiles, follow-ups attempted. E.g. `fail; core 3/5
/// passed; race at lines 14/25; no follow-ups attempted`.
pub fn facts(verdict: &serde_json::Value) -> String {
    let tests = verdict["tests"].as_array().map_or(&[][..], Vec::as_slice);
    let count = |category: &str, keep: &dyn Fn(&serde_json::Value) -> bool| {
        tests
            .iter()
            .filter(|t| t["category"] == category && keep(t))
            .count()
    };
    let core = count("core", &|_| true);
    let passed = count("core", &|t| t["status"] == "pass");
    let attempted = count("followup", &|t| t["status"] != "skip");
    let mut parts = vec![
        verdict["status"].as_str().unwrap_or("error").to_owned(),
        format!("core {passed}/{core} passed"),
    ];
    let lines = race_lines(verdict);
    if !lines.is_empty() {
        let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
        parts.push(format!("race at lines {}", lines.join("/")));
    }
    if verdict["compile_errors"]
        .as_array()
        .is_some_and(|e| !e.is_empty())
    {
        parts.push("does not compile".to_owned());
    }
    parts.push(if attempted > 0 {
        format!("follow-ups attempted: {attempted}")
    } else {
        "no follow-ups attempted".to_owned()
    });
    parts.join("; ")
}

/// The candidate's lines in a verdict's data races (each access's first
/// frame in the candidate's own file), in order, once each.
pub fn race_lines(verdict: &serde_json::Value) -> Vec<u64> {
    let mut lines: Vec<u64> = verdict["races"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|race| race["accesses"].as_array().into_iter().flatten())
        .filter_map(|access| {
            access["frames"]
                .as_array()?
                .iter()
                .find(|f| f["candidate"] == true)?["line"]
                .as_u64()
        })
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// One interview, whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    pub id: String,
    pub guide: Guide,
    pub candidate: String,
    pub interviewer: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub ended_at: Option<i64>,
    pub version: i64,
    pub current_phase: Option<u32>,
    pub running_since: Option<i64>,
    pub phases: Vec<PhaseTime>,
    pub answers: BTreeMap<String, Answer>,
    pub recommendation: Recommendation,
    pub summary: String,
    pub versions: Vec<CodeVersion>,
}

/// A line of the list of past interviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub id: String,
    pub guide_id: String,
    pub candidate: String,
    pub interviewer: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub ended_at: Option<i64>,
    pub recommendation: Recommendation,
}

/// What starts an interview.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInterview {
    #[serde(default)]
    pub guide: Option<String>,
    pub candidate: String,
    #[serde(default)]
    pub interviewer: String,
}

/// A clock action; the server stamps the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClockAction {
    /// Start phase 1 (or the phase given).
    Start,
    Pause,
    Resume,
    /// Move to a phase (1-based), its clock running.
    Goto {
        phase: u32,
    },
    /// End the interview: every clock stops.
    End,
}

/// A change to an interview. Only the fields present change; each answer
/// given replaces that card's marks whole (the page sends the card it
/// shows, so two fields of one card never disagree).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// The version the change was made against.
    pub version: i64,
    #[serde(default)]
    pub candidate: Option<String>,
    #[serde(default)]
    pub interviewer: Option<String>,
    #[serde(default)]
    pub clock: Option<ClockAction>,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    #[serde(default)]
    pub recommendation: Option<Recommendation>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Starts a coding question (an exercise id of the guide's coding
    /// slots): its card's `started_at` becomes now, the first time only.
    /// Time to first pass is counted from it.
    #[serde(default)]
    pub start_question: Option<String>,
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    /// The request is wrong: 400.
    #[error("{0}")]
    Invalid(String),
    /// A text is over its limit: 413.
    #[error("{0}")]
    TooLarge(String),
}

fn check_text(what: &str, text: &str, limit: usize) -> Result<(), ChangeError> {
    if text.len() > limit {
        return Err(ChangeError::TooLarge(format!(
            "{what} is {} bytes; the limit is {limit}",
            text.len()
        )));
    }
    Ok(())
}

/// Checks the names of a new interview.
pub fn check_names(candidate: &str, interviewer: &str) -> Result<(), ChangeError> {
    if candidate.trim().is_empty() {
        return Err(ChangeError::Invalid(
            "a candidate reference is required".into(),
        ));
    }
    check_text("the candidate reference", candidate, MAX_NAME_BYTES)?;
    check_text("the interviewer", interviewer, MAX_NAME_BYTES)
}

impl Interview {
    /// A fresh interview on `guide`, nothing started.
    pub fn new(id: String, guide: Guide, new: &NewInterview, now: i64) -> Interview {
        let phases = guide
            .phases
            .iter()
            .map(|p| PhaseTime {
                phase: p.number,
                ..PhaseTime::default()
            })
            .collect();
        Interview {
            id,
            guide,
            candidate: new.candidate.trim().to_owned(),
            interviewer: new.interviewer.trim().to_owned(),
            created_at: now,
            updated_at: now,
            ended_at: None,
            version: 1,
            current_phase: None,
            running_since: None,
            phases,
            answers: BTreeMap::new(),
            recommendation: Recommendation::NoDecision,
            summary: String::new(),
            versions: Vec::new(),
        }
    }

    /// Time on a phase's clock at `now`, the running stretch included.
    pub fn phase_used_ms(&self, phase: u32, now: i64) -> i64 {
        let Some(time) = self.phases.iter().find(|p| p.phase == phase) else {
            return 0;
        };
        let running = match (self.current_phase, self.running_since) {
            (Some(current), Some(since)) if current == phase => (now - since).max(0),
            _ => 0,
        };
        time.used_ms + running
    }

    /// Applies a checked change at `now`. The version is the store's
    /// business; this checks everything else.
    pub fn apply(&mut self, patch: &Patch, now: i64) -> Result<(), ChangeError> {
        if let Some(candidate) = &patch.candidate {
            check_names(candidate, patch.interviewer.as_deref().unwrap_or(""))?;
            self.candidate = candidate.trim().to_owned();
        }
        if let Some(interviewer) = &patch.interviewer {
            check_text("the interviewer", interviewer, MAX_NAME_BYTES)?;
            self.interviewer = interviewer.trim().to_owned();
        }
        if let Some(summary) = &patch.summary {
            check_text("the summary", summary, MAX_TEXT_BYTES)?;
            self.summary.clone_from(summary);
        }
        if let Some(recommendation) = patch.recommendation {
            self.recommendation = recommendation;
        }
        for (key, answer) in &patch.answers {
            self.check_answer(key, answer)?;
        }
        for (key, answer) in &patch.answers {
            let mut answer = answer.clone();
            answer.covered.sort_unstable();
            answer.covered.dedup();
            answer.followups.sort_unstable();
            answer.followups.dedup();
            // The server's to set (start_question), never a client's.
            answer.started_at = self.answers.get(key).and_then(|a| a.started_at);
            self.answers.insert(key.clone(), answer);
        }
        if let Some(exercise) = &patch.start_question {
            if self.guide.coding_slot(exercise).is_none() {
                return Err(ChangeError::Invalid(format!(
                    "the guide has no coding question {exercise:?}"
                )));
            }
            let card = self
                .answers
                .entry(format!("{CODE_PREFIX}{exercise}"))
                .or_default();
            card.started_at.get_or_insert(now);
        }
        if let Some(action) = patch.clock {
            self.clock(action, now)?;
        }
        self.updated_at = now;
        Ok(())
    }

    fn check_answer(&self, key: &str, answer: &Answer) -> Result<(), ChangeError> {
        let (points, followups) = if let Some(exercise) = key.strip_prefix(CODE_PREFIX) {
            if self.guide.coding_slot(exercise).is_none() {
                return Err(ChangeError::Invalid(format!(
                    "the guide has no coding question {exercise:?}"
                )));
            }
            (0, 0)
        } else {
            let q = self.guide.question(key).ok_or_else(|| {
                ChangeError::Invalid(format!("the guide has no question {key:?}"))
            })?;
            (q.points.len(), q.followups.len())
        };
        if let Some(bad) = answer.covered.iter().find(|&&i| i as usize >= points) {
            return Err(ChangeError::Invalid(format!(
                "{key}: point {bad} does not exist ({points} points)"
            )));
        }
        if let Some(bad) = answer.followups.iter().find(|&&i| i as usize >= followups) {
            return Err(ChangeError::Invalid(format!(
                "{key}: follow-up {bad} does not exist ({followups} follow-ups)"
            )));
        }
        if let Some(rating) = answer.rating
            && !RATING_LEVELS.contains(&rating)
        {
            return Err(ChangeError::Invalid(format!(
                "{key}: rating {rating} is not 1-4 (leave it out for no decision)"
            )));
        }
        check_text(&format!("{key}'s notes"), &answer.notes, MAX_TEXT_BYTES)?;
        check_text(
            &format!("{key}'s evidence"),
            &answer.evidence,
            MAX_TEXT_BYTES,
        )
    }

    /// Moves the clock. The running stretch is folded into the phase it
    /// belongs to before anything moves, so no time is counted twice or
    /// lost.
    fn clock(&mut self, action: ClockAction, now: i64) -> Result<(), ChangeError> {
        if self.ended_at.is_some() {
            return Err(ChangeError::Invalid(
                "the interview has ended; its clock no longer moves".into(),
            ));
        }
        self.fold(now);
        match action {
            ClockAction::Start | ClockAction::Resume if self.current_phase.is_some() => {
                self.running_since = Some(now);
            }
            ClockAction::Start | ClockAction::Resume => self.enter(1, now)?,
            ClockAction::Pause => self.running_since = None,
            ClockAction::Goto { phase } => self.enter(phase, now)?,
            ClockAction::End => {
                if let Some(current) = self.current_phase
                    && let Some(time) = self.phases.iter_mut().find(|p| p.phase == current)
                {
                    time.ended_at = Some(now);
                }
                self.running_since = None;
                self.ended_at = Some(now);
            }
        }
        Ok(())
    }

    fn fold(&mut self, now: i64) {
        if let (Some(current), Some(since)) = (self.current_phase, self.running_since.take())
            && let Some(time) = self.phases.iter_mut().find(|p| p.phase == current)
        {
            time.used_ms += (now - since).max(0);
        }
    }

    fn enter(&mut self, phase: u32, now: i64) -> Result<(), ChangeError> {
        if phase == 0 || phase as usize > self.phases.len() {
            return Err(ChangeError::Invalid(format!(
                "phase {phase} does not exist (1 to {})",
                self.phases.len()
            )));
        }
        if let Some(current) = self.current_phase
            && current != phase
            && let Some(time) = self.phases.iter_mut().find(|p| p.phase == current)
        {
            time.ended_at = Some(now);
        }
        let time = &mut self.phases[phase as usize - 1];
        time.started_at.get_or_insert(now);
        // Going back to a phase reopens it.
        time.ended_at = None;
        self.current_phase = Some(phase);
        self.running_since = Some(now);
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::exercise::Catalog;
    use crate::guide::Guides;

    pub(crate) fn default_guide() -> Guide {
        Guides::load(&Catalog::load(None).unwrap(), &[])
            .unwrap()
            .default_guide()
            .unwrap()
            .clone()
    }

    pub(crate) fn fresh() -> Interview {
        let new = NewInterview {
            guide: None,
            candidate: " cand-42 ".into(),
            interviewer: "ann".into(),
        };
        Interview::new("i1".into(), default_guide(), &new, 1_000)
    }

    fn clock(i: &mut Interview, action: ClockAction, now: i64) {
        let patch = Patch {
            clock: Some(action),
            ..Patch::default()
        };
        i.apply(&patch, now).unwrap();
    }

    #[test]
    fn the_clock_counts_each_phase_through_pauses_and_moves() {
        let mut i = fresh();
        assert_eq!(i.candidate, "cand-42");
        clock(&mut i, ClockAction::Start, 10_000);
        assert_eq!(i.current_phase, Some(1));
        assert_eq!(i.phase_used_ms(1, 70_000), 60_000);
        clock(&mut i, ClockAction::Pause, 70_000);
        // Paused: time passes, the clock does not.
        assert_eq!(i.phase_used_ms(1, 500_000), 60_000);
        clock(&mut i, ClockAction::Resume, 500_000);
        clock(&mut i, ClockAction::Goto { phase: 3 }, 530_000);
        assert_eq!(i.phases[0].used_ms, 90_000);
        assert_eq!(i.phases[0].ended_at, Some(530_000));
        assert_eq!(i.phases[2].started_at, Some(530_000));
        assert_eq!(i.phase_used_ms(3, 540_000), 10_000);
        clock(&mut i, ClockAction::End, 600_000);
        assert_eq!(i.phases[2].used_ms, 70_000);
        assert_eq!((i.ended_at, i.running_since), (Some(600_000), None));
        let after = Patch {
            clock: Some(ClockAction::Resume),
            ..Patch::default()
        };
        assert!(matches!(
            i.apply(&after, 700_000),
            Err(ChangeError::Invalid(_))
        ));
    }

    #[test]
    fn answers_are_checked_against_the_guide() {
        let mut i = fresh();
        let mut patch = Patch::default();
        let answer = Answer {
            covered: vec![2, 0, 2],
            followups: vec![1],
            rating: Some(3),
            notes: "good on trade-offs".into(),
            ..Answer::default()
        };
        patch.answers.insert("q1".into(), answer);
        patch
            .answers
            .insert("code:counter".into(), Answer::default());
        i.apply(&patch, 2_000).unwrap();
        assert_eq!(i.answers["q1"].covered, [0, 2]);
        let bad = |key: &str, answer: Answer| {
            let mut patch = Patch::default();
            patch.answers.insert(key.into(), answer);
            fresh().apply(&patch, 1).unwrap_err()
        };
        assert!(
            matches!(bad("q99", Answer::default()), ChangeError::Invalid(m) if m.contains("no question"))
        );
        assert!(matches!(
            bad("code:sort", Answer::default()),
            ChangeError::Invalid(_)
        ));
        let rated = Answer {
            rating: Some(5),
            ..Answer::default()
        };
        assert!(matches!(bad("q2", rated), ChangeError::Invalid(m) if m.contains("not 1-4")));
        let point = Answer {
            covered: vec![5],
            ..Answer::default()
        };
        assert!(matches!(bad("q1", point), ChangeError::Invalid(m) if m.contains("point 5")));
        let long = Answer {
            notes: "x".repeat(MAX_TEXT_BYTES + 1),
            ..Answer::default()
        };
        assert!(matches!(bad("q1", long), ChangeError::TooLarge(_)));
    }

    #[test]
    fn a_coding_question_starts_once_and_only_the_server_sets_its_start() {
        let mut i = fresh();
        let start = Patch {
            start_question: Some("counter".into()),
            ..Patch::default()
        };
        i.apply(&start, 5_000).unwrap();
        i.apply(&start, 9_000).unwrap();
        assert_eq!(i.answers["code:counter"].started_at, Some(5_000));
        // A card sent back with another start keeps the server's.
        let mut patch = Patch::default();
        let forged = Answer {
            started_at: Some(1),
            evidence: "mine".into(),
            evidence_edited: true,
            ..Answer::default()
        };
        patch.answers.insert("code:counter".into(), forged);
        i.apply(&patch, 10_000).unwrap();
        let card = &i.answers["code:counter"];
        assert_eq!((card.started_at, card.evidence_edited), (Some(5_000), true));
        let unknown = Patch {
            start_question: Some("sort".into()),
            ..Patch::default()
        };
        assert!(
            matches!(fresh().apply(&unknown, 1), Err(ChangeError::Invalid(m)) if m.contains("no coding question"))
        );
    }

    #[test]
    fn the_facts_of_a_verdict_read_as_one_line() {
        let frame = |line: u64, candidate: bool| serde_json::json!({"function": "f", "file": "x.go", "line": line, "candidate": candidate});
        let verdict = serde_json::json!({
            "status": "fail",
            "tests": [
                {"category": "core", "status": "pass"},
                {"category": "core", "status": "fail"},
                {"category": "followup", "status": "skip"},
                {"category": "followup", "status": "pass"},
            ],
            "races": [
                {"accesses": [{"frames": [frame(90, false), frame(25, true)]}, {"frames": [frame(14, true)]}]},
                {"accesses": [{"frames": [frame(14, true)]}, {"frames": [frame(3, false)]}]},
            ],
            "compile_errors": [],
        });
        assert_eq!(
            facts(&verdict),
            "fail; core 1/2 passed; race at lines 14/25; follow-ups attempted: 1"
        );
        let broken = serde_json::json!({"status": "compile_error", "tests": [], "races": [], "compile_errors": [{"line": 3}]});
        assert_eq!(
            facts(&broken),
            "compile_error; core 0/0 passed; does not compile; no follow-ups attempted"
        );
    }
}
