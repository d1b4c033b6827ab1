//! Finds the candidate's own frame in a Go stack trace: a recovered panic's
//! (the kit puts the panicking goroutine's stack in its message), the
//! blocked goroutines of a deadlock report, or a crash the runtime printed.
//! That frame is the line a reader looks at first, so reports mark it.
//! Pure. Printed text only illustrates: a frame found here marks a line and
//! never changes a result.

use crate::verdict::Frame;

/// The first frame in `text` that is in the candidate's file, in the order
/// the trace lists them: the innermost frame of the first goroutine that
/// reached the candidate's code.
pub fn candidate_frame(text: &str, candidate_file: &str) -> Option<Frame> {
    let mut function: Option<&str> = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            function = None;
            continue;
        }
        if let Some(f) = function.take()
            && let Some(frame) = super::race::parse_location(f, line, candidate_file)
            && frame.candidate
        {
            return Some(frame);
        }
        function = Some(function_name(line));
    }
    None
}

/// The frame the runtime's own crash report (a panic nobody recovered, a
/// `fatal error: all goroutines are asleep`) points at in the candidate's
/// file, read from the report onwards so no earlier printed text counts.
pub fn crash_frame(output: &str, candidate_file: &str) -> Option<Frame> {
    let lines: Vec<&str> = output.lines().collect();
    let report = lines.iter().position(|l| {
        let l = l.trim_start();
        l.starts_with("panic: ") || l.starts_with("fatal error: ")
    })?;
    candidate_frame(&lines[report..].join("\n"), candidate_file)
}

/// `pkg.F(0xc0, ...)` or `created by pkg.F in goroutine 7` as `pkg.F`.
fn function_name(line: &str) -> &str {
    let line = line.strip_prefix("created by ").unwrap_or(line);
    let line = line.split(" in goroutine ").next().unwrap_or(line);
    if !line.ends_with(')') {
        return line;
    }
    // The argument list is the last balanced group: `(*Counter).Inc(0x1)`.
    let mut depth = 0;
    for (i, c) in line.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return &line[..i];
                }
            }
            _ => {}
        }
    }
    line
}

/// The candidate's source line `line` (1-based), trimmed and bounded, for a
/// report to show beside a frame; `None` for no such line or a blank one.
pub fn source_line(source: &str, line: u32) -> Option<String> {
    (line as usize)
        .checked_sub(1)
        .and_then(|i| source.lines().nth(i))
        .map(|l| l.trim().chars().take(200).collect::<String>())
        .filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PANIC: &str = "panicked: unexpected end of JSON input
goroutine 7 [running]:
encoding/json.(*decodeState).value(0xc0)
\t/usr/local/go/src/encoding/json/decode.go:380 +0x68
gograde.local/solution.AddRole({0x0, 0x0, 0x0}, {0x6c7958, 0x8})
\tanswer.go:10 +0x1b7
gograde.local/solution_test.addRole.func1()
\t/tmp/gograde-stage-0/grade-1/addrole_test.go:153 +0x1b7
";

    #[test]
    fn a_panic_points_at_the_innermost_candidate_frame() {
        let frame = candidate_frame(PANIC, "answer.go").unwrap();
        assert_eq!(
            (frame.function.as_str(), frame.line, frame.candidate),
            ("AddRole", 10, true)
        );
        assert!(candidate_frame(PANIC, "other.go").is_none());
    }

    #[test]
    fn a_deadlock_points_at_the_first_blocked_candidate_frame() {
        let report =
            "deadlock: every goroutine was blocked (deadlock: all goroutines in bubble are blocked)
goroutine 4 [chan receive (nil chan) (durable), synctest bubble 1]:
gograde.local/solution.(*Pool).wait(0xc00001a050, 0x0?)
\t/tmp/s/answer.go:9 +0xe6
gograde.local/solution_test.runRetry.func1()
\t/tmp/s/retry_test.go:183 +0xbc

goroutine 5 [chan send (durable), synctest bubble 1]:
gograde.local/solution.Retry.func1()
\t/tmp/s/answer.go:6 +0x4d
created by gograde.local/solution.Retry in goroutine 4
\t/tmp/s/answer.go:5 +0xdd
";
        let frame = candidate_frame(report, "answer.go").unwrap();
        assert_eq!((frame.function.as_str(), frame.line), ("(*Pool).wait", 9));
        assert_eq!(function_name("created by x.F in goroutine 4"), "x.F");
    }

    #[test]
    fn a_crash_is_read_from_the_runtimes_report_on() {
        let output = "    x_test.go:3: printed: answer.go:2 +0x1\nfake()\n\tanswer.go:2 +0x1\n\
            panic: boom [recovered]\n\ngoroutine 9 [running]:\n\
            gograde.local/solution.Inc(...)\n\tanswer.go:14\n";
        let frame = crash_frame(output, "answer.go").unwrap();
        assert_eq!(frame.line, 14);
        assert!(crash_frame("no report here\nf()\n\tanswer.go:2 +0x1\n", "answer.go").is_none());
    }

    #[test]
    fn source_lines_are_trimmed_and_blank_ones_are_none() {
        let source = "package main\n\n\tpanic(err)\n";
        assert_eq!(source_line(source, 3).as_deref(), Some("panic(err)"));
        assert_eq!(source_line(source, 2), None);
        assert_eq!(source_line(source, 0), None);
        assert_eq!(source_line(source, 9), None);
    }
}
