//! Interview guides as data: `guides/<id>/guide.toml`, embedded in the
//! binary like the exercises and optionally added to or replaced from disk
//! (`--guides-dir`, or a `guides/` folder beside `--exercises-dir`'s
//! `exercises/`). The schema is documented in docs/GUIDES.md.
//!
//! Parsing keeps the source positions of the fields it checks, so a
//! malformed guide is refused with its file, line and field, the way an
//! author needs to find the mistake.

pub mod render;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::exercise::Catalog;

static EMBEDDED_GUIDES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/guides");

/// The file every guide folder holds.
pub const GUIDE_FILE: &str = "guide.toml";

/// The guide used when none is named: the one-hour senior AWS + Go interview.
pub const DEFAULT_GUIDE: &str = "senior-aws-go";

/// The levels of the anchored rating scale.
pub const RATING_LEVELS: std::ops::RangeInclusive<u8> = 1..=4;

/// Longest phase a guide may plan, in minutes: a typo (600 for 60) should
/// fail at load, not show up as a ten-hour clock in the interview.
const MAX_PHASE_MINUTES: u32 = 180;

/// A guide, checked: what the CLI prints and an interview runs on. It is
/// also the snapshot an interview keeps, so a later edit of the guide does
/// not change an interview already held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guide {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// How to fit the coding questions in, for the interviewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coding_advice: Option<String>,
    pub phases: Vec<Phase>,
    pub coding: Vec<CodingSlot>,
}

/// One timed phase of the interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// 1-based position, as interviewers count phases.
    pub number: u32,
    pub title: String,
    pub minutes: u32,
    pub focus: String,
    pub questions: Vec<Question>,
}

/// A spoken question and how to judge the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Unique in the guide; what an interview's answers are keyed by.
    pub id: String,
    pub ask: String,
    /// What a strong answer covers, ticked off as the candidate covers it.
    pub points: Vec<String>,
    pub followups: Vec<Followup>,
    /// Optional text for each rating level (1-4) that anchors the scale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub anchors: BTreeMap<u8, String>,
}

/// A follow-up question and what it probes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Followup {
    pub ask: String,
    pub probes: String,
}

/// A notepad exercise the interviewer may ask, and in which phases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodingSlot {
    /// An exercise id of the catalog (`gograde list`).
    pub exercise: String,
    /// 1-based phase numbers the exercise fits in.
    pub phases: Vec<u32>,
    /// What the exercise tells the interviewer about the candidate.
    pub probes: String,
}

impl Guide {
    /// Planned length of the whole interview.
    pub fn planned_minutes(&self) -> u32 {
        self.phases.iter().map(|p| p.minutes).sum()
    }

    /// Every question with its phase, in order.
    pub fn questions(&self) -> impl Iterator<Item = (&Phase, &Question)> {
        self.phases
            .iter()
            .flat_map(|p| p.questions.iter().map(move |q| (p, q)))
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    /// The coding slot of this exercise.
    pub fn coding_slot(&self, exercise: &str) -> Option<&CodingSlot> {
        self.coding.iter().find(|c| c.exercise == exercise)
    }
}

/// A guide that cannot be used, located for its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideError {
    /// `built-in guides/<id>/guide.toml` or a path on disk.
    pub file: String,
    /// 1-based line; 0 where the problem has no line (a missing file).
    pub line: usize,
    /// Dotted path of the field, e.g. `phases.questions.anchors`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for GuideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = if self.field.is_empty() {
            String::new()
        } else {
            format!("field `{}`: ", self.field)
        };
        if self.line == 0 {
            write!(f, "invalid guide {}: {field}{}", self.file, self.message)
        } else {
            write!(
                f,
                "invalid guide {}:{}: {field}{}",
                self.file, self.line, self.message
            )
        }
    }
}

impl std::error::Error for GuideError {}

/// The guides gograde knows, by id.
#[derive(Debug, Clone, Default)]
pub struct Guides {
    guides: BTreeMap<String, Guide>,
}

impl Guides {
    /// The built-in guides, then those of each folder in `dirs` (each
    /// holding `<id>/guide.toml`), a later one replacing an earlier one of
    /// the same id. Coding slots are checked against `catalog`.
    pub fn load(catalog: &Catalog, dirs: &[PathBuf]) -> Result<Guides, GuideError> {
        let mut guides = BTreeMap::new();
        for dir in EMBEDDED_GUIDES.dirs() {
            let id = dir_name(dir.path());
            let Some(text) = dir
                .get_file(dir.path().join(GUIDE_FILE))
                .and_then(|f| f.contents_utf8())
            else {
                continue;
            };
            let origin = format!("built-in guides/{id}/{GUIDE_FILE}");
            let guide = parse(text, &origin, Some(&id), catalog)?;
            guides.insert(id, guide);
        }
        for root in dirs {
            load_dir(root, catalog, &mut guides)?;
        }
        Ok(Guides { guides })
    }

    pub fn get(&self, id: &str) -> Option<&Guide> {
        self.guides.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Guide> {
        self.guides.values()
    }

    pub fn ids(&self) -> Vec<&str> {
        self.guides.keys().map(String::as_str).collect()
    }

    /// The guide used when none is named: the built-in default if present
    /// (a guides folder may replace it), else the first by id.
    pub fn default_guide(&self) -> Option<&Guide> {
        self.get(DEFAULT_GUIDE).or_else(|| self.iter().next())
    }
}

/// The folders to read guides from: a `guides/` beside the exercises of
/// `--exercises-dir` (the repository's layout), then `--guides-dir`.
pub fn extra_dirs(exercises_dir: Option<&Path>, guides_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(root) = exercises_dir {
        let beside = root.join("guides");
        if beside.is_dir() {
            dirs.push(beside);
        }
    }
    dirs.extend(guides_dir.map(Path::to_path_buf));
    dirs
}

fn dir_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn load_dir(
    root: &Path,
    catalog: &Catalog,
    guides: &mut BTreeMap<String, Guide>,
) -> Result<(), GuideError> {
    let io = |path: &Path, e: std::io::Error| GuideError {
        file: path.display().to_string(),
        line: 0,
        field: String::new(),
        message: format!("cannot read: {e}"),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(|e| io(root, e))?
        .flatten()
        .map(|e| e.path().join(GUIDE_FILE))
        .filter(|p| p.is_file())
        .collect();
    if files.is_empty() {
        return Err(GuideError {
            file: root.display().to_string(),
            line: 0,
            field: String::new(),
            message: format!("no <id>/{GUIDE_FILE} in this folder"),
        });
    }
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| io(&file, e))?;
        let folder = file.parent().map(dir_name);
        let guide = parse(
            &text,
            &file.display().to_string(),
            folder.as_deref(),
            catalog,
        )?;
        guides.insert(guide.id.clone(), guide);
    }
    Ok(())
}

// ---- parsing ----------------------------------------------------------
// The raw shapes mirror the file; `Spanned` keeps where each checked value
// was written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuide {
    id: Spanned<String>,
    title: String,
    summary: String,
    #[serde(default)]
    coding_advice: Option<String>,
    phases: Spanned<Vec<RawPhase>>,
    #[serde(default)]
    coding: Vec<RawCoding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    title: Spanned<String>,
    minutes: Spanned<u32>,
    focus: String,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    ask: String,
    points: Spanned<Vec<String>>,
    #[serde(default)]
    followups: Vec<Followup>,
    #[serde(default)]
    anchors: Option<Spanned<BTreeMap<String, String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoding {
    exercise: Spanned<String>,
    phases: Spanned<Vec<u32>>,
    probes: String,
}

/// Parses and checks one guide. `folder` is the folder it was found in,
/// whose name must be its id (so `guides/<id>/` and `gograde guide <id>`
/// agree).
///
/// Long on purpose: one check per rule of the schema (docs/GUIDES.md), in
/// the schema's order, each naming the file, line and field it refuses;
/// the checks share the span lookups and the first error wins.
pub fn parse(
    text: &str,
    origin: &str,
    folder: Option<&str>,
    catalog: &Catalog,
) -> Result<Guide, GuideError> {
    let at = |span: Range<usize>, field: &str, message: String| GuideError {
        file: origin.to_owned(),
        line: line_of(text, span.start),
        field: field.to_owned(),
        message,
    };
    let raw: RawGuide = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        GuideError {
            file: origin.to_owned(),
            line: line_of(text, span.start),
            field: field_at(text, span.start, e.message()),
            message: e.message().trim().to_owned(),
        }
    })?;
    let id = raw.id.get_ref();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(at(
            raw.id.span(),
            "id",
            "must be lowercase letters, digits and dashes".into(),
        ));
    }
    if let Some(folder) = folder
        && folder != id
    {
        return Err(at(
            raw.id.span(),
            "id",
            format!("is {id:?} but the guide's folder is {folder:?}"),
        ));
    }
    if raw.phases.get_ref().is_empty() {
        return Err(at(
            raw.phases.span(),
            "phases",
            "a guide needs at least one phase".into(),
        ));
    }
    let mut seen_questions = BTreeSet::new();
    let mut phases = Vec::new();
    for (index, phase) in raw.phases.into_inner().into_iter().enumerate() {
        if phase.title.get_ref().trim().is_empty() {
            return Err(at(
                phase.title.span(),
                "phases.title",
                "must not be empty".into(),
            ));
        }
        let minutes = *phase.minutes.get_ref();
        if !(1..=MAX_PHASE_MINUTES).contains(&minutes) {
            return Err(at(
                phase.minutes.span(),
                "phases.minutes",
                format!("{minutes} is not between 1 and {MAX_PHASE_MINUTES} minutes"),
            ));
        }
        let mut questions = Vec::new();
        for q in phase.questions {
            let qid = q.id.get_ref().clone();
            if qid.trim().is_empty() {
                return Err(at(
                    q.id.span(),
                    "phases.questions.id",
                    "must not be empty".into(),
                ));
            }
            if !seen_questions.insert(qid.clone()) {
                return Err(at(
                    q.id.span(),
                    "phases.questions.id",
                    format!("{qid:?} is used by another question"),
                ));
            }
            if q.points.get_ref().is_empty() {
                return Err(at(
                    q.points.span(),
                    "phases.questions.points",
                    format!("question {qid} needs at least one point a strong answer covers"),
                ));
            }
            let mut anchors = BTreeMap::new();
            if let Some(raw_anchors) = q.anchors {
                let span = raw_anchors.span();
                for (level, text) in raw_anchors.into_inner() {
                    match level.parse::<u8>() {
                        Ok(n) if RATING_LEVELS.contains(&n) => {
                            anchors.insert(n, text);
                        }
                        _ => {
                            return Err(at(
                                span,
                                "phases.questions.anchors",
                                format!("level {level:?} of question {qid} is not 1, 2, 3 or 4"),
                            ));
                        }
                    }
                }
            }
            questions.push(Question {
                id: qid,
                ask: q.ask,
                points: q.points.into_inner(),
                followups: q.followups,
                anchors,
            });
        }
        phases.push(Phase {
            number: index as u32 + 1,
            title: phase.title.into_inner(),
            minutes,
            focus: phase.focus,
            questions,
        });
    }
    let mut coding = Vec::new();
    let mut seen_exercises = BTreeSet::new();
    for slot in raw.coding {
        let exercise = slot.exercise.get_ref().clone();
        if catalog.get(&exercise).is_none() {
            return Err(at(
                slot.exercise.span(),
                "coding.exercise",
                format!(
                    "unknown exercise {exercise:?} (known: {})",
                    catalog.ids().join(", ")
                ),
            ));
        }
        if !seen_exercises.insert(exercise.clone()) {
            return Err(at(
                slot.exercise.span(),
                "coding.exercise",
                format!("{exercise:?} has another coding slot"),
            ));
        }
        let allowed = slot.phases.get_ref();
        if allowed.is_empty() || allowed.iter().any(|&n| n == 0 || n as usize > phases.len()) {
            return Err(at(
                slot.phases.span(),
                "coding.phases",
                format!(
                    "must name phases of this guide, 1 to {} (found {allowed:?})",
                    phases.len()
                ),
            ));
        }
        coding.push(CodingSlot {
            exercise,
            phases: slot.phases.into_inner(),
            probes: slot.probes,
        });
    }
    Ok(Guide {
        id: raw.id.into_inner(),
        title: raw.title,
        summary: raw.summary,
        coding_advice: raw.coding_advice,
        phases,
        coding,
    })
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The dotted field a parse error is about: the table header above the
/// error (`[[phases.questions]]` gives `phases.questions`), then the key
/// named in the message (`missing field `ask``) or written on that line
/// (`minutes = "ten"`).
fn field_at(text: &str, offset: usize, message: &str) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    // The header in force: the last one that starts before the error's
    // line (a header line's own error belongs to that header).
    let header = text[..line_end]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_owned())
        .unwrap_or_default();
    let named = message
        .split('`')
        .nth(1)
        .filter(|_| message.contains("field `"))
        .map(str::to_owned);
    let written = line
        .split_once('=')
        .map(|(key, _)| key.trim().to_owned())
        .filter(|k| !k.is_empty() && !k.starts_with('[') && !k.contains(' '));
    let key = named.or(written);
    match (header.is_empty(), key) {
        (true, Some(key)) => key,
        (false, Some(key)) => format!("{header}.{key}"),
        (_, None) => header,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::load(None).unwrap()
    }

    const SMALL: &str = r#"id = "small"
title = "Small"
summary = "two phases"

[[phases]]
title = "One"
minutes = 5
focus = "warming up"

[[phases.questions]]
id = "a"
ask = "Why?"
points = ["because"]
followups = [{ ask = "Really?", probes = "conviction" }]
anchors = { 1 = "weak", 4 = "strong" }

[[phases]]
title = "Two"
minutes = 10
focus = "code"

[[coding]]
exercise = "counter"
phases = [2]
probes = "concurrency"
"#;

    fn parse_small(text: &str) -> Result<Guide, GuideError> {
        parse(text, "small/guide.toml", Some("small"), &catalog())
    }

    #[test]
    fn the_default_guide_has_the_seeds_hour() {
        let guides = Guides::load(&catalog(), &[]).unwrap();
        let guide = guides.default_guide().unwrap();
        assert_eq!(guide.id, DEFAULT_GUIDE);
        let minutes: Vec<u32> = guide.phases.iter().map(|p| p.minutes).collect();
        assert_eq!(minutes, [5, 10, 15, 15, 10, 5]);
        assert_eq!(guide.planned_minutes(), 60);
        let ids: Vec<&str> = guide.questions().map(|(_, q)| q.id.as_str()).collect();
        let expected: Vec<String> = (1..=11).map(|n| format!("q{n}")).collect();
        assert_eq!(ids, expected);
        for (_, q) in guide.questions() {
            assert!(!q.points.is_empty() && !q.followups.is_empty(), "{}", q.id);
            assert!(q.followups.iter().all(|f| !f.probes.is_empty()));
        }
        let coding: Vec<(&str, &[u32])> = guide
            .coding
            .iter()
            .map(|c| (c.exercise.as_str(), c.phases.as_slice()))
            .collect();
        assert_eq!(
            coding,
            [
                ("reverse", &[3, 4][..]),
                ("counter", &[3, 4]),
                ("workerpool", &[3, 4]),
                ("retry", &[3, 4]),
                ("json", &[3, 4]),
            ]
        );
    }

    #[test]
    fn a_small_guide_parses_with_anchors_by_level() {
        let guide = parse_small(SMALL).unwrap();
        assert_eq!(guide.phases[1].number, 2);
        let q = guide.question("a").unwrap();
        assert_eq!(q.anchors.get(&4).map(String::as_str), Some("strong"));
        assert_eq!(q.anchors.len(), 2);
        assert_eq!(guide.coding_slot("counter").unwrap().phases, [2]);
    }

    /// `SMALL` with `from` replaced by `to`, which must occur once.
    fn broken(from: &str, to: &str) -> GuideError {
        assert_eq!(SMALL.matches(from).count(), 1, "{from}");
        parse_small(&SMALL.replace(from, to)).unwrap_err()
    }

    #[test]
    fn malformed_guides_are_refused_with_file_line_and_field() {
        let cases = [
            (
                "minutes = 10",
                "minutes = 0",
                19,
                "phases.minutes",
                "not between",
            ),
            (
                "minutes = 10",
                "minutes = \"ten\"",
                19,
                "phases.minutes",
                "invalid type",
            ),
            (
                "anchors = { 1",
                "anchors = { 5",
                15,
                "phases.questions.anchors",
                "level \"5\"",
            ),
            (
                "exercise = \"counter\"",
                "exercise = \"sort\"",
                23,
                "coding.exercise",
                "unknown exercise",
            ),
            (
                "phases = [2]",
                "phases = [3]",
                24,
                "coding.phases",
                "1 to 2",
            ),
            (
                "points = [\"because\"]",
                "points = []",
                13,
                "phases.questions.points",
                "at least one",
            ),
            (
                "ask = \"Why?\"\n",
                "",
                10,
                "phases.questions.ask",
                "missing field",
            ),
            (
                "focus = \"code\"",
                "focus = \"code\"\ncolour = 1",
                21,
                "phases.colour",
                "unknown field",
            ),
            ("id = \"small\"", "id = \"other\"", 1, "id", "folder"),
        ];
        for (from, to, line, field, words) in cases {
            let err = broken(from, to);
            assert_eq!(
                (err.line, err.field.as_str()),
                (line, field),
                "{from} -> {to}: {err}"
            );
            assert!(err.message.contains(words), "{from} -> {to}: {err}");
            assert!(
                err.to_string().starts_with(&format!(
                    "invalid guide small/guide.toml:{line}: field `{field}`"
                )),
                "{err}"
            );
        }
    }

    #[test]
    fn a_question_id_is_unique_in_the_guide() {
        let text = SMALL.replace(
            "[[phases]]\ntitle = \"Two\"",
            "[[phases.questions]]\nid = \"a\"\nask = \"Again?\"\npoints = [\"x\"]\n\n[[phases]]\ntitle = \"Two\"",
        );
        let err = parse_small(&text).unwrap_err();
        assert_eq!(
            (err.line, err.field.as_str()),
            (18, "phases.questions.id"),
            "{err}"
        );
    }

    #[test]
    fn a_guides_dir_adds_and_replaces_guides() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("small")).unwrap();
        std::fs::write(dir.path().join("small").join(GUIDE_FILE), SMALL).unwrap();
        let replaced = SMALL
            .replace("id = \"small\"", "id = \"senior-aws-go\"")
            .replace("title = \"Small\"", "title = \"Replaced\"");
        std::fs::create_dir(dir.path().join("senior-aws-go")).unwrap();
        std::fs::write(dir.path().join("senior-aws-go").join(GUIDE_FILE), replaced).unwrap();
        let guides = Guides::load(&catalog(), &[dir.path().to_path_buf()]).unwrap();
        assert_eq!(guides.ids(), ["senior-aws-go", "small"]);
        assert_eq!(guides.default_guide().unwrap().title, "Replaced");
        // An empty folder is a mistake worth saying, not an empty list.
        let empty = tempfile::tempdir().unwrap();
        let err = Guides::load(&catalog(), &[empty.path().to_path_buf()]).unwrap_err();
        assert!(err.message.contains("no <id>/guide.toml"), "{err}");
    }

    #[test]
    fn the_snapshot_round_trips_through_json() {
        let guide = parse_small(SMALL).unwrap();
        let json = serde_json::to_string(&guide).unwrap();
        let back: Guide = serde_json::from_str(&json).unwrap();
        assert_eq!(back, guide);
    }
}
