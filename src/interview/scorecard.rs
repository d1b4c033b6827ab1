//! The scorecard of an interview, to paste into a hiring system: Markdown
//! and JSON, pure functions of the stored record and the time it is made.
//!
//! Free text (the candidate reference, notes, the summary, evidence,
//! anything a verdict quotes from the candidate's code) is made inert in
//! the Markdown: it goes inside a code span or fenced block whose fence is
//! longer than any run of backticks in it, so no candidate text becomes a
//! link, an image, HTML or a heading. Only the guide's own text (written by
//! the interviewer's team) is printed as prose, escaped.

use std::fmt::Write;

use serde_json::{Value, json};

use super::{Answer, CODE_PREFIX, CodeVersion, Interview};

/// Inline text as a code span: one line, a fence longer than its longest
/// backtick run, padded where it starts or ends with a backtick.
pub fn inline(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.trim().is_empty() {
        return "(none)".to_owned();
    }
    let fence = "`".repeat(longest_backticks(&one_line) + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{one_line}{pad}{fence}")
}

/// Multi-line text as a fenced block, the fence longer than any backtick
/// run inside (and at least three).
pub fn block(text: &str) -> String {
    let fence = "`".repeat((longest_backticks(text) + 1).max(3));
    let body: String = text
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("{fence}text\n{}\n{fence}\n", body.trim_end_matches('\n'))
}

fn longest_backticks(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Escapes the guide's prose for Markdown.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// `mm:ss` of a duration in milliseconds.
pub fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{:02}:{:02}", s / 60, s % 60)
}

/// `YYYY-MM-DD HH:MM UTC` of milliseconds since the epoch.
pub fn timestamp(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// What a coding question came to.
struct Coding<'a> {
    exercise: &'a str,
    versions: Vec<&'a CodeVersion>,
    answer: Option<&'a Answer>,
    /// When its phase was first entered: the phase its first version was
    /// graded in.
    phase_start: Option<(u32, i64)>,
}

/// Where time to first pass is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// The question's start on its card ("Start question").
    Question,
    /// Not started on its card: the start of the phase its first version
    /// was graded in.
    Phase(u32),
    /// Neither is known (versions graded before phases were recorded):
    /// the first version.
    FirstVersion,
}

impl Start {
    fn words(self) -> String {
        match self {
            Start::Question => "from the question's start".to_owned(),
            Start::Phase(n) => {
                format!("from the start of phase {n}; the question was not started on its card")
            }
            Start::FirstVersion => "from the first graded version".to_owned(),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Start::Question => "question_start",
            Start::Phase(_) => "phase_start",
            Start::FirstVersion => "first_version",
        }
    }
}

impl Coding<'_> {
    fn last(&self) -> Option<&CodeVersion> {
        self.versions.last().copied()
    }

    /// Time to first pass: wall-clock milliseconds (pauses included) from
    /// the question's start to the first version graded `pass`. The start
    /// is the card's "Start question", or, when the interviewer graded
    /// before pressing it, the first version (the question had started by
    /// then); without a card start, the start of the phase the first
    /// version was graded in.
    fn to_first_pass(&self) -> Option<(i64, Start)> {
        let first = self.versions.first()?;
        let pass = self.versions.iter().find(|v| v.status == "pass")?;
        let (start, from) = match (self.answer.and_then(|a| a.started_at), self.phase_start) {
            (Some(at), _) => (at.min(first.created_at), Start::Question),
            (None, Some((phase, at))) => (at.min(first.created_at), Start::Phase(phase)),
            (None, None) => (first.created_at, Start::FirstVersion),
        };
        Some(((pass.created_at - start).max(0), from))
    }

    /// The evidence as it stands: the interviewer's words once edited,
    /// else the grader's facts of the last version.
    fn evidence(&self) -> &str {
        match self.answer {
            Some(a) if a.evidence_edited => &a.evidence,
            _ => self.last().map_or("", |v| v.facts.as_str()),
        }
    }

    fn edited(&self) -> bool {
        self.answer.is_some_and(|a| a.evidence_edited)
    }

    /// Race summaries of the last version's verdict.
    fn races(&self) -> Vec<String> {
        self.last()
            .and_then(|v| v.verdict["races"].as_array())
            .map(|races| {
                races
                    .iter()
                    .filter_map(|r| r["summary"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Names of the tests that failed in the last version.
    fn failures(&self) -> Vec<String> {
        self.last()
            .and_then(|v| v.verdict["tests"].as_array())
            .map(|tests| {
                tests
                    .iter()
                    .filter(|t| matches!(t["status"].as_str(), Some("fail" | "error" | "timeout")))
                    .filter_map(|t| t["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The coding questions asked: those with a graded version or marks.
fn codings(interview: &Interview) -> Vec<Coding<'_>> {
    interview
        .guide
        .coding
        .iter()
        .filter_map(|slot| {
            let versions: Vec<&CodeVersion> = interview
                .versions
                .iter()
                .filter(|v| v.exercise == slot.exercise)
                .collect();
            let answer = interview
                .answers
                .get(&format!("{CODE_PREFIX}{}", slot.exercise));
            let phase_start = versions.first().and_then(|v| v.phase).and_then(|n| {
                let time = interview.phases.iter().find(|t| t.phase == n)?;
                Some((n, time.started_at?))
            });
            (!versions.is_empty() || answer.is_some()).then_some(Coding {
                exercise: &slot.exercise,
                versions,
                answer,
                phase_start,
            })
        })
        .collect()
}

fn rating_text(
    answer: Option<&Answer>,
    anchors: &std::collections::BTreeMap<u8, String>,
) -> String {
    match answer.and_then(|a| a.rating) {
        Some(r) => match anchors.get(&r) {
            Some(anchor) => format!("{r}/4 ({})", prose(anchor)),
            None => format!("{r}/4"),
        },
        None => "no decision".to_owned(),
    }
}

/// The Markdown scorecard at `now` (a running clock counts up to then).
pub fn markdown(interview: &Interview, now: i64) -> String {
    let g = &interview.guide;
    let mut out = String::new();
    let _ = writeln!(out, "# Interview scorecard: {}\n", prose(&g.title));
    let _ = writeln!(out, "- Candidate: {}", inline(&interview.candidate));
    let _ = writeln!(out, "- Interviewer: {}", inline(&interview.interviewer));
    let _ = writeln!(out, "- Started: {}", timestamp(interview.created_at));
    let _ = writeln!(
        out,
        "- Ended: {}",
        interview.ended_at.map_or("not ended".to_owned(), timestamp)
    );
    let _ = writeln!(
        out,
        "- Recommendation: **{}**",
        interview.recommendation.label()
    );
    let _ = writeln!(out, "- Interview id: `{}`\n", interview.id);
    if !interview.summary.trim().is_empty() {
        let _ = writeln!(out, "## Summary\n\n{}", block(&interview.summary));
    }

    let _ = writeln!(
        out,
        "## Phases\n\n| Phase | Planned | Used | |\n|---|---|---|---|"
    );
    let mut total = 0;
    for p in &g.phases {
        let used = interview.phase_used_ms(p.number, now);
        total += used;
        let planned = i64::from(p.minutes) * 60_000;
        let note = if used > planned { "over" } else { "" };
        let _ = writeln!(
            out,
            "| {}. {} | {} | {} | {note} |",
            p.number,
            prose(&p.title),
            clock(planned),
            clock(used)
        );
    }
    let _ = writeln!(
        out,
        "| Total | {} | {} | |\n",
        clock(i64::from(g.planned_minutes()) * 60_000),
        clock(total)
    );

    questions_markdown(&mut out, interview);
    coding_markdown(&mut out, interview);
    out
}

/// The Markdown of the guide's questions: rating, points, follow-ups, notes.
fn questions_markdown(out: &mut String, interview: &Interview) {
    let g = &interview.guide;
    let _ = writeln!(out, "## Questions");
    for (phase, q) in g.questions() {
        let answer = interview.answers.get(&q.id);
        let _ = writeln!(
            out,
            "\n### {} (phase {}): {}\n\nRating: {}\n",
            q.id,
            phase.number,
            prose(&q.ask),
            rating_text(answer, &q.anchors)
        );
        let covered = answer.map_or(&[][..], |a| a.covered.as_slice());
        let _ = writeln!(
            out,
            "Covered {} of {} points:\n",
            covered.len(),
            q.points.len()
        );
        for (i, point) in q.points.iter().enumerate() {
            let mark = if covered.contains(&(i as u32)) {
                "x"
            } else {
                " "
            };
            let _ = writeln!(out, "- [{mark}] {}", prose(point));
        }
        let asked: Vec<String> = answer
            .map(|a| a.followups.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| q.followups.get(i as usize))
            .map(|f| prose(&f.ask))
            .collect();
        if !asked.is_empty() {
            let _ = writeln!(out, "\nFollow-ups asked:\n");
            for f in asked {
                let _ = writeln!(out, "- {f}");
            }
        }
        if let Some(notes) = answer
            .map(|a| a.notes.as_str())
            .filter(|n| !n.trim().is_empty())
        {
            let _ = writeln!(out, "\nNotes:\n\n{}", block(notes));
        }
    }
}

/// The Markdown of the coding questions asked.
fn coding_markdown(out: &mut String, interview: &Interview) {
    let codings = codings(interview);
    if !codings.is_empty() {
        let _ = writeln!(out, "\n## Coding questions");
    }
    for c in &codings {
        let _ = writeln!(out, "\n### `{}`\n", c.exercise);
        let _ = writeln!(
            out,
            "- Rating: {}",
            rating_text(c.answer, &Default::default())
        );
        match c.last() {
            Some(last) => {
                let _ = writeln!(
                    out,
                    "- Final verdict: **{}**, {}/{} points: {}",
                    last.status,
                    last.score_earned,
                    last.score_possible,
                    inline(&last.summary)
                );
                let _ = writeln!(out, "- Versions graded: {}", c.versions.len());
                let _ = writeln!(
                    out,
                    "- Time to first pass: {}",
                    c.to_first_pass()
                        .map_or("never passed".to_owned(), |(ms, from)| format!(
                            "{} ({})",
                            clock(ms),
                            from.words()
                        ))
                );
                let _ = writeln!(
                    out,
                    "- Grader's facts (final version): {}",
                    inline(&last.facts)
                );
                let races = c.races();
                if !races.is_empty() {
                    let _ = writeln!(out, "- Races in the final version:");
                    for r in races {
                        let _ = writeln!(out, "  - {}", inline(&r));
                    }
                }
                let failures = c.failures();
                if !failures.is_empty() {
                    let list: Vec<String> = failures.iter().map(|f| inline(f)).collect();
                    let _ = writeln!(out, "- Failed in the final version: {}", list.join(", "));
                }
                let _ = writeln!(
                    out,
                    "- Reproduce: seed {}, harness {}",
                    inline(last.seed.as_deref().unwrap_or("")),
                    inline(last.harness_digest.as_deref().unwrap_or(""))
                );
            }
            None => {
                let _ = writeln!(out, "- Not graded");
            }
        }
        if c.edited() && !c.evidence().trim().is_empty() {
            let _ = writeln!(
                out,
                "\nEvidence (written by the interviewer):\n\n{}",
                block(c.evidence())
            );
        }
        if let Some(a) = c.answer
            && !a.notes.trim().is_empty()
        {
            let _ = writeln!(out, "\nNotes:\n\n{}", block(&a.notes));
        }
    }
}

/// The JSON scorecard: the same facts as the Markdown, as data.
pub fn json(interview: &Interview, now: i64) -> Value {
    let g = &interview.guide;
    let phases: Vec<Value> = g
        .phases
        .iter()
        .map(|p| {
            let time = interview.phases.iter().find(|t| t.phase == p.number);
            json!({
                "phase": p.number,
                "title": p.title,
                "planned_ms": i64::from(p.minutes) * 60_000,
                "used_ms": interview.phase_used_ms(p.number, now),
                "started_at": time.and_then(|t| t.started_at),
                "ended_at": time.and_then(|t| t.ended_at),
            })
        })
        .collect();
    let questions: Vec<Value> = g
        .questions()
        .map(|(phase, q)| {
            let a = interview.answers.get(&q.id);
            let covered = a.map(|a| a.covered.clone()).unwrap_or_default();
            let asked = a.map(|a| a.followups.clone()).unwrap_or_default();
            json!({
                "id": q.id,
                "phase": phase.number,
                "ask": q.ask,
                "rating": a.and_then(|a| a.rating),
                "covered": covered.iter().filter_map(|&i| q.points.get(i as usize)).collect::<Vec<_>>(),
                "points": q.points.len(),
                "followups_asked": asked.iter().filter_map(|&i| q.followups.get(i as usize).map(|f| &f.ask)).collect::<Vec<_>>(),
                "notes": a.map(|a| a.notes.as_str()).unwrap_or(""),
            })
        })
        .collect();
    let coding: Vec<Value> = codings(interview)
        .iter()
        .map(|c| {
            let last = c.last();
            json!({
                "exercise": c.exercise,
                "rating": c.answer.and_then(|a| a.rating),
                "final_status": last.map(|v| &v.status),
                "final_summary": last.map(|v| &v.summary),
                "score": last.map(|v| json!({"earned": v.score_earned, "possible": v.score_possible})),
                "versions": c.versions.len(),
                "ms_to_first_pass": c.to_first_pass().map(|(ms, _)| ms),
                "first_pass_measured_from": c.to_first_pass().map(|(_, from)| from.key()),
                "question_started_at": c.answer.and_then(|a| a.started_at),
                "races": c.races(),
                "failed_tests": c.failures(),
                "seed": last.and_then(|v| v.seed.as_deref()),
                "harness_digest": last.and_then(|v| v.harness_digest.as_deref()),
                "evidence": c.evidence(),
                "evidence_edited": c.edited(),
                "grader_facts": last.map(|v| v.facts.as_str()),
                "notes": c.answer.map(|a| a.notes.as_str()).unwrap_or(""),
            })
        })
        .collect();
    json!({
        "scorecard_version": 1,
        "interview": interview.id,
        "guide": {"id": g.id, "title": g.title},
        "candidate": interview.candidate,
        "interviewer": interview.interviewer,
        "created_at": interview.created_at,
        "ended_at": interview.ended_at,
        "recommendation": interview.recommendation,
        "summary": interview.summary,
        "phases": phases,
        "questions": questions,
        "coding": coding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::tests::fresh;
    use crate::interview::{ClockAction, Patch, Recommendation};

    #[test]
    fn code_spans_outlast_any_backtick_run() {
        assert_eq!(inline("plain"), "`plain`");
        assert_eq!(inline("a ``b`` c"), "```a ``b`` c```");
        assert_eq!(inline("`edge`"), "`` `edge` ``");
        assert_eq!(inline("two\nlines"), "`two lines`");
        assert_eq!(inline(""), "(none)");
        assert_eq!(block("x\n````\ny"), "`````text\nx\n````\ny\n`````\n");
        assert_eq!(block("x"), "```text\nx\n```\n");
    }

    #[test]
    fn dates_and_clocks_read_as_people_write_them() {
        assert_eq!(timestamp(0), "1970-01-01 00:00 UTC");
        assert_eq!(timestamp(1_772_107_500_000), "2026-02-26 12:05 UTC");
        assert_eq!(timestamp(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(clock(61_999), "01:01");
        assert_eq!(clock(-5), "00:00");
    }

    /// The Markdown with fenced blocks and code spans removed: what a
    /// renderer would read as markup.
    fn outside_code(md: &str) -> String {
        let mut out = String::new();
        let mut fence: Option<usize> = None;
        for line in md.lines() {
            let ticks = line.len() - line.trim_start_matches('`').len();
            match fence {
                Some(n) if ticks >= n && line.trim_matches('`').is_empty() => fence = None,
                Some(_) => {}
                None if ticks >= 3 => fence = Some(ticks),
                None => {
                    // Drop code spans: a run of n backticks up to the next
                    // run of exactly n.
                    let mut rest = line;
                    while let Some(start) = rest.find('`') {
                        out.push_str(&rest[..start]);
                        let n = rest[start..].len() - rest[start..].trim_start_matches('`').len();
                        let after = &rest[start + n..];
                        let closer = "`".repeat(n);
                        let end = after.find(&closer).expect("a closed code span");
                        rest = &after[end + n..];
                    }
                    out.push_str(rest);
                    out.push('\n');
                }
            }
        }
        out
    }

    fn held() -> Interview {
        let mut i = fresh();
        i.candidate = "![x](http://evil/) <script>alert(1)</script>".into();
        let mut patch = Patch {
            clock: Some(ClockAction::Start),
            recommendation: Some(Recommendation::StrongYes),
            summary: Some("# not a heading\n[link](http://evil)".into()),
            ..Patch::default()
        };
        patch.answers.insert(
            "q3".into(),
            Answer {
                covered: vec![0, 2],
                followups: vec![0],
                rating: Some(3),
                notes: "```\n<img src=x onerror=alert(1)>".into(),
                ..Answer::default()
            },
        );
        patch.answers.insert(
            "code:counter".into(),
            Answer {
                rating: Some(4),
                evidence: "race fixed".into(),
                ..Answer::default()
            },
        );
        i.apply(&patch, 0).unwrap();
        let goto = Patch {
            clock: Some(ClockAction::Goto { phase: 2 }),
            ..Patch::default()
        };
        i.apply(&goto, 400_000).unwrap();
        // The coding question was given in phase 1, 50 s in.
        let start = Patch {
            version: 0,
            start_question: Some("counter".into()),
            ..Patch::default()
        };
        i.apply(&start, 50_000).unwrap();
        let verdict = |status: &str, races: Value| json!({"status": status, "races": races, "tests": [{"name": "TestCore_Concurrent", "status": if status == "pass" {"pass"} else {"fail"}}]});
        for (seq, (status, at, races)) in [
            (
                "fail",
                100_000,
                json!([{"summary": "race at lines 5/9 [click](http://x)"}]),
            ),
            ("pass", 250_000, json!([])),
        ]
        .into_iter()
        .enumerate()
        {
            i.versions.push(CodeVersion {
                exercise: "counter".into(),
                seq: seq as u32 + 1,
                created_at: at,
                source: String::new(),
                status: status.into(),
                summary: format!("{status}ed"),
                score_earned: 3,
                score_possible: 4,
                seed: Some("42".into()),
                harness_digest: Some("d1g35t".into()),
                phase: Some(1),
                facts: format!("{status}; core 1/1 passed"),
                verdict: verdict(status, races),
            });
        }
        i
    }

    #[test]
    fn the_markdown_scorecard_has_every_section_and_no_live_candidate_text() {
        let md = markdown(&held(), 460_000);
        assert!(md.contains("- Recommendation: **strong yes**"), "{md}");
        assert!(
            md.contains("| 1. Introduction | 05:00 | 06:40 | over |"),
            "{md}"
        );
        assert!(
            md.contains("| 2. AWS and Go fundamentals | 10:00 | 01:00 |  |"),
            "{md}"
        );
        assert!(md.contains("### q3 (phase 2): "));
        assert!(md.contains(
            "Rating: 3/4 (Explains select, the race detector and cancellation from experience)"
        ));
        assert!(md.contains("Covered 2 of 4 points:\n\n- [x] Goroutines"));
        assert!(md.contains("- Final verdict: **pass**, 3/4 points: `passed`"));
        assert!(md.contains("- Versions graded: 2"));
        assert!(md.contains("- Time to first pass: 03:20 (from the question's start)"));
        // Nobody wrote evidence: the grader's facts stand, once.
        assert!(md.contains("- Grader's facts (final version): `pass; core 1/1 passed`"));
        assert!(!md.contains("Evidence (written by the interviewer)"));
        assert!(md.contains("- Reproduce: seed `42`, harness `d1g35t`"));
        // Candidate-derived text sits only inside code, so it is inert.
        assert!(md.contains("- Candidate: `![x](http://evil/) <script>alert(1)</script>`"));
        assert!(md.contains("````text\n```\n<img src=x onerror=alert(1)>\n````"));
        assert!(md.contains("```text\n# not a heading\n[link](http://evil)\n```"));
        let prose_only = outside_code(&md);
        for live in ["http://", "<script", "<img", "# not a heading"] {
            assert!(
                !prose_only.contains(live),
                "{live} outside code:\n{prose_only}"
            );
        }
    }

    #[test]
    fn time_to_first_pass_counts_from_the_phase_when_the_question_was_not_started() {
        let mut i = held();
        i.answers.get_mut("code:counter").unwrap().started_at = None;
        // Phase 1 started at 0; the pass came at 250 s.
        let md = markdown(&i, 460_000);
        assert!(
            md.contains("- Time to first pass: 04:10 (from the start of phase 1; the question was not started on its card)"),
            "{md}"
        );
        // Started on its card after the first version: counted from that
        // version, when the question had plainly begun.
        i.answers.get_mut("code:counter").unwrap().started_at = Some(200_000);
        assert_eq!(json(&i, 460_000)["coding"][0]["ms_to_first_pass"], 150_000);
    }

    #[test]
    fn the_interviewers_evidence_is_kept_beside_the_graders_facts() {
        let mut i = held();
        let card = i.answers.get_mut("code:counter").unwrap();
        card.evidence = "fixed the race with a mutex after one hint".into();
        card.evidence_edited = true;
        let md = markdown(&i, 460_000);
        assert!(md.contains("- Grader's facts (final version): `pass; core 1/1 passed`"));
        assert!(md.contains(
            "Evidence (written by the interviewer):\n\n```text\nfixed the race with a mutex after one hint\n```"
        ));
        let v = json(&i, 460_000);
        assert_eq!(
            v["coding"][0]["evidence"],
            "fixed the race with a mutex after one hint"
        );
        assert_eq!(v["coding"][0]["grader_facts"], "pass; core 1/1 passed");
        assert_eq!(v["coding"][0]["evidence_edited"], true);
    }

    #[test]
    fn the_json_scorecard_carries_the_same_facts() {
        let v = json(&held(), 460_000);
        assert_eq!(v["recommendation"], "strong_yes");
        assert_eq!(v["phases"][0]["used_ms"], 400_000);
        assert_eq!(v["phases"][1]["used_ms"], 60_000);
        assert_eq!(v["questions"][2]["id"], "q3");
        assert_eq!(v["questions"][2]["covered"].as_array().unwrap().len(), 2);
        assert_eq!(v["coding"][0]["exercise"], "counter");
        assert_eq!(v["coding"][0]["versions"], 2);
        assert_eq!(v["coding"][0]["ms_to_first_pass"], 200_000);
        assert_eq!(v["coding"][0]["first_pass_measured_from"], "question_start");
        assert_eq!(v["coding"][0]["evidence"], "pass; core 1/1 passed");
        assert_eq!(v["coding"][0]["evidence_edited"], false);
        assert_eq!(v["coding"][0]["final_status"], "pass");
        assert_eq!(v["coding"][0]["rating"], 4);
    }
}
