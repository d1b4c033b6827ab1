//! Parses the race detector's reports out of test output. Pure.

use crate::verdict::{Frame, Race, RaceAccess, RaceOp};

const BANNER: &str = "WARNING: DATA RACE";
const SEPARATOR: &str = "==================";

/// Every race report in `output`; `candidate_file` marks the candidate's
/// frames (the name given in the staged file's `//line` directive).
pub fn parse_races(output: &str, candidate_file: &str) -> Vec<Race> {
    let mut races = Vec::new();
    let mut lines = output.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() != BANNER {
            continue;
        }
        let mut block = Vec::new();
        for l in lines.by_ref() {
            if l.trim() == SEPARATOR {
                break;
            }
            block.push(l);
        }
        races.push(parse_block(&block, candidate_file));
    }
    races
}

fn parse_block(block: &[&str], candidate_file: &str) -> Race {
    let mut accesses: Vec<RaceAccess> = Vec::new();
    let mut in_access = false;
    let mut pending_function: Option<String> = None;
    for raw in block {
        let line = raw.trim();
        if let Some(access) = parse_access_header(line) {
            accesses.push(access);
            in_access = true;
            pending_function = None;
            continue;
        }
        if line.is_empty() || line.starts_with("Goroutine ") {
            // Creation stacks ("Goroutine 8 (running) created at:") are not
            // accesses.
            in_access = !line.starts_with("Goroutine ") && in_access && !line.is_empty();
            continue;
        }
        if !in_access {
            continue;
        }
        match pending_function.take() {
            None => pending_function = Some(line.to_owned()),
            Some(function) => {
                if let Some(frame) = parse_location(&function, line, candidate_file)
                    && let Some(access) = accesses.last_mut()
                {
                    access.frames.push(frame);
                }
            }
        }
    }
    Race {
        summary: summarise(&accesses),
        test: None,
        tests: Vec::new(),
        count: 1,
        accesses,
    }
}

/// `Read at 0x00c0000a4018 by goroutine 8:` or `Previous write at ...`.
fn parse_access_header(line: &str) -> Option<RaceAccess> {
    let (previous, rest) = match line.strip_prefix("Previous ") {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let lower = rest.to_ascii_lowercase();
    let op = if lower.starts_with("read at") || lower.starts_with("atomic read at") {
        RaceOp::Read
    } else if lower.starts_with("write at") || lower.starts_with("atomic write at") {
        RaceOp::Write
    } else {
        return None;
    };
    let goroutine = rest
        .split("by goroutine ")
        .nth(1)
        .and_then(|s| s.trim_end_matches(':').parse().ok())
        .unwrap_or(0);
    Some(RaceAccess {
        op,
        goroutine,
        previous,
        frames: Vec::new(),
    })
}

/// For a function of a batch group's package (`MODULE/pN.F` or
/// `MODULE/pN_test.F`): `F`, and whether it is the external test package.
fn group_package(function: &str) -> Option<(&str, bool)> {
    let rest = function
        .strip_prefix(crate::core::STAGED_MODULE)?
        .strip_prefix("/p")?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 {
        return None;
    }
    let rest = &rest[digits..];
    match rest.strip_prefix("_test.") {
        Some(f) => Some((f, true)),
        None => rest.strip_prefix('.').map(|f| (f, false)),
    }
}

/// A frame's function line and its `file:line +0x..` line.
pub(crate) fn parse_location(
    function: &str,
    location: &str,
    candidate_file: &str,
) -> Option<Frame> {
    let location = location.split_whitespace().next()?;
    let (file, line) = location.rsplit_once(':')?;
    let function = function.trim_end_matches("()");
    let function = match group_package(function) {
        // A package of a batch group (`solution/p1`): named as a grade
        // alone names it, never `p1.(*Counter).Inc` in a report.
        Some((rest, true)) => format!("solution_test.{rest}"),
        Some((rest, false)) => rest.to_owned(),
        None => function
            .rsplit_once('/')
            .map_or(function, |(_, f)| f)
            .trim_start_matches("solution.")
            .to_owned(),
    };
    Some(Frame {
        candidate: file == candidate_file || file.ends_with(&format!("/{candidate_file}")),
        function,
        file: file.to_owned(),
        line: line.parse().ok()?,
        source: None,
    })
}

/// Whether any frame of any access is the candidate's: a race with none is
/// between the harness's own goroutines, a grader fault.
pub fn involves_candidate(race: &Race) -> bool {
    race.accesses
        .iter()
        .any(|a| a.frames.iter().any(|f| f.candidate))
}

/// The candidate lines a race is about: the first candidate frame of each
/// access, in order.
fn candidate_lines(race: &Race) -> Vec<u32> {
    let mut lines: Vec<u32> = race
        .accesses
        .iter()
        .filter_map(|a| a.frames.iter().find(|f| f.candidate).map(|f| f.line))
        .collect();
    lines.sort_unstable();
    lines
}

/// Folds reports about the same pair of candidate lines into one entry
/// with a count and the tests they came from (the detector prints
/// near-identical blocks for every goroutine that hits the same two lines,
/// and several tests can hit them), keeping first-seen order. This is the
/// only grouping of races: the verdict carries its result, and reports and
/// the page show it as it is.
pub fn group(races: Vec<Race>) -> Vec<Race> {
    let mut grouped: Vec<(Vec<u32>, Race)> = Vec::new();
    for race in races {
        let key = candidate_lines(&race);
        let tests: Vec<String> = race.test.iter().chain(&race.tests).cloned().collect();
        let entry = match grouped.iter().position(|(k, _)| *k == key) {
            Some(at) => {
                grouped[at].1.count += race.count;
                &mut grouped[at].1
            }
            None => {
                grouped.push((key, race));
                &mut grouped.last_mut().expect("just pushed").1
            }
        };
        for test in tests {
            if !entry.tests.contains(&test) {
                entry.tests.push(test);
            }
        }
    }
    grouped.into_iter().map(|(_, race)| race).collect()
}

/// Shows the candidate's own source line beside each candidate frame.
pub fn annotate(races: &mut [Race], source: &str) {
    let lines: Vec<&str> = source.lines().collect();
    for frame in races
        .iter_mut()
        .flat_map(|r| r.accesses.iter_mut())
        .flat_map(|a| a.frames.iter_mut())
        .filter(|f| f.candidate)
    {
        frame.source = (frame.line as usize)
            .checked_sub(1)
            .and_then(|i| lines.get(i))
            .map(|l| l.trim().chars().take(200).collect());
    }
}

fn summarise(accesses: &[RaceAccess]) -> String {
    let describe = |a: &RaceAccess| {
        let op = match a.op {
            RaceOp::Read => "read",
            RaceOp::Write => "write",
        };
        let place = a
            .frames
            .iter()
            .find(|f| f.candidate)
            .or_else(|| a.frames.first())
            .map(|f| format!(" in {} ({}:{})", f.function, short_file(&f.file), f.line))
            .unwrap_or_default();
        format!("{op} by goroutine {}{place}", a.goroutine)
    };
    match accesses {
        [current, previous, ..] => format!(
            "data race: {} conflicts with an earlier {}",
            describe(current),
            describe(previous)
        ),
        [only] => format!("data race: {}", describe(only)),
        [] => "data race".to_owned(),
    }
}

fn short_file(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "==================
WARNING: DATA RACE
Read at 0x00c000014128 by goroutine 9:
  gograde.local/solution.(*Counter).Value()
      answer.go:14 +0x3a
  gograde.local/solution.TestCore_Concurrent.func2()
      /tmp/stage/counter_test.go:40 +0x44

Previous write at 0x00c000014128 by goroutine 8:
  gograde.local/solution.(*Counter).Inc()
      answer.go:8 +0x4f

Goroutine 9 (running) created at:
  gograde.local/solution.TestCore_Concurrent()
      /tmp/stage/counter_test.go:38 +0x1a4
==================
";

    #[test]
    fn parses_both_accesses_and_marks_candidate_frames() {
        let races = parse_races(REPORT, "answer.go");
        assert_eq!(races.len(), 1);
        let race = &races[0];
        assert_eq!(race.accesses.len(), 2);
        assert_eq!(race.accesses[0].op, RaceOp::Read);
        assert_eq!(race.accesses[0].goroutine, 9);
        assert!(!race.accesses[0].previous);
        assert_eq!(race.accesses[0].frames.len(), 2);
        assert_eq!(race.accesses[0].frames[0].function, "(*Counter).Value");
        assert!(race.accesses[0].frames[0].candidate);
        assert!(!race.accesses[0].frames[1].candidate);
        assert_eq!(race.accesses[1].op, RaceOp::Write);
        assert!(race.accesses[1].previous);
        assert_eq!(race.accesses[1].frames.len(), 1, "creation stack excluded");
        assert_eq!(
            race.summary,
            "data race: read by goroutine 9 in (*Counter).Value (answer.go:14) conflicts with an earlier write by goroutine 8 in (*Counter).Inc (answer.go:8)"
        );
    }

    #[test]
    fn a_batch_groups_package_is_named_as_a_grade_alone_names_it() {
        let grouped = REPORT
            .replace("gograde.local/solution.(", "gograde.local/solution/p12.(")
            .replace(
                "gograde.local/solution.Test",
                "gograde.local/solution/p12_test.Test",
            );
        let alone = parse_races(
            &REPORT.replace("solution.Test", "solution_test.Test"),
            "answer.go",
        );
        let batch = parse_races(&grouped, "answer.go");
        assert_eq!(batch, alone);
        assert_eq!(batch[0].accesses[0].frames[0].function, "(*Counter).Value");
        assert_eq!(
            batch[0].accesses[0].frames[1].function,
            "solution_test.TestCore_Concurrent.func2"
        );
        assert!(!batch[0].summary.contains("p12"), "{}", batch[0].summary);
    }

    #[test]
    fn reports_about_the_same_lines_fold_into_one_with_a_count() {
        let twice = format!("{REPORT}{REPORT}");
        let mut races = group(parse_races(&twice, "answer.go"));
        assert_eq!(races.len(), 1);
        assert_eq!(races[0].count, 2);
        let source = (1..=20)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        annotate(&mut races, &source);
        assert_eq!(
            races[0].accesses[0].frames[0].source.as_deref(),
            Some("line 14")
        );
        assert_eq!(races[0].accesses[0].frames[1].source, None, "harness frame");
    }

    /// Reports of several tests about the same lines are one group naming
    /// each test once, first seen first; other lines are a group of their
    /// own.
    #[test]
    fn a_group_keeps_every_test_its_reports_came_from() {
        let in_test = |output: &str, test: &str| -> Vec<Race> {
            let mut races = parse_races(output, "answer.go");
            for race in &mut races {
                race.test = Some(test.to_owned());
            }
            races
        };
        let elsewhere = REPORT.replace("answer.go:8 ", "answer.go:30 ");
        let mut races = in_test(&format!("{REPORT}{REPORT}"), "TestCore_B");
        races.extend(in_test(&elsewhere, "TestCore_B"));
        races.extend(in_test(REPORT, "TestCore_A"));
        races.extend(parse_races(REPORT, "answer.go"));
        let grouped = group(races);
        assert_eq!(grouped.len(), 2, "{grouped:#?}");
        assert_eq!(grouped[0].count, 4);
        assert_eq!(grouped[0].test.as_deref(), Some("TestCore_B"));
        assert_eq!(grouped[0].tests, ["TestCore_B", "TestCore_A"]);
        assert_eq!(grouped[1].count, 1);
        assert_eq!(grouped[1].tests, ["TestCore_B"]);
    }

    #[test]
    fn a_race_without_candidate_frames_is_the_harness() {
        let harness_only = REPORT.replace("answer.go", "other.go");
        let races = parse_races(&harness_only, "answer.go");
        assert!(!involves_candidate(&races[0]));
        assert!(involves_candidate(&parse_races(REPORT, "answer.go")[0]));
    }

    #[test]
    fn no_report_no_race() {
        assert!(parse_races("ok\n", "answer.go").is_empty());
    }
}
