//! Reads the `test2json` event stream of a test binary run. Pure: bytes in,
//! events out. Lines that are not JSON events (something the converter did
//! not frame) are kept as package-level output, never dropped.

use serde::Deserialize;

/// What a test2json event says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Start,
    Run,
    Pause,
    Cont,
    Pass,
    Fail,
    Skip,
    Bench,
    Output,
    Other,
}

impl Action {
    fn parse(s: &str) -> Action {
        match s {
            "start" => Action::Start,
            "run" => Action::Run,
            "pause" => Action::Pause,
            "cont" => Action::Cont,
            "pass" => Action::Pass,
            "fail" => Action::Fail,
            "skip" => Action::Skip,
            "bench" => Action::Bench,
            "output" => Action::Output,
            _ => Action::Other,
        }
    }
}

/// One event: an action, optionally about a test, with output text.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub action: Action,
    pub test: Option<String>,
    pub elapsed: Option<f64>,
    pub output: Option<String>,
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(rename = "Action")]
    action: String,
    #[serde(rename = "Test", default)]
    test: Option<String>,
    #[serde(rename = "Elapsed", default)]
    elapsed: Option<f64>,
    #[serde(rename = "Output", default)]
    output: Option<String>,
}

/// Parses a whole stream, one event per line.
pub fn parse_stream(stream: &str) -> Vec<Event> {
    stream.lines().filter_map(parse_line).collect()
}

/// Parses one line; a line that is not an event becomes package output.
pub fn parse_line(line: &str) -> Option<Event> {
    if line.trim().is_empty() {
        return None;
    }
    match serde_json::from_str::<RawEvent>(line) {
        Ok(raw) => Some(Event {
            action: Action::parse(&raw.action),
            test: raw.test.filter(|t| !t.is_empty()),
            elapsed: raw.elapsed,
            output: raw.output,
        }),
        Err(_) => Some(Event {
            action: Action::Output,
            test: None,
            elapsed: None,
            output: Some(format!("{line}\n")),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_events_and_keeps_stray_lines() {
        let stream = r#"{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"hello\n"}
not json at all
{"Action":"pass","Package":"p","Test":"TestA","Elapsed":0.01}
"#;
        let events = parse_stream(stream);
        assert_eq!(events.len(), 5);
        assert_eq!(events[1].action, Action::Run);
        assert_eq!(events[2].output.as_deref(), Some("hello\n"));
        assert_eq!(events[3].action, Action::Output);
        assert_eq!(events[3].test, None);
        assert_eq!(events[4].elapsed, Some(0.01));
    }
}
