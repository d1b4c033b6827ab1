//! A guide as text: for the terminal, as Markdown (to print or paste into
//! notes) and as JSON (for tools). Pure functions from a guide to a string;
//! where the string goes is the caller's business.

use std::fmt::Write;

use serde_json::json;

use super::Guide;
use crate::exercise::Catalog;

/// The exercise's title and its interviewer hints, where the catalog has it.
fn exercise_facts<'a>(catalog: &'a Catalog, id: &str) -> (&'a str, &'a [String]) {
    catalog
        .get(id)
        .map_or(("", &[][..]), |ex| (ex.meta.title.as_str(), &ex.meta.hints))
}

fn phase_list(phases: &[u32]) -> String {
    phases
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Plain text for the terminal, one block per phase.
pub fn human(guide: &Guide, catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, {} min)\n{}\n",
        guide.title,
        guide.id,
        guide.planned_minutes(),
        guide.summary
    );
    let mut start = 0;
    for phase in &guide.phases {
        let _ = writeln!(
            out,
            "Phase {}  {}  [{} min, {:02}:00-{:02}:00]\n  {}",
            phase.number,
            phase.title,
            phase.minutes,
            start,
            start + phase.minutes,
            phase.focus
        );
        start += phase.minutes;
        for q in &phase.questions {
            let _ = writeln!(out, "\n  {}. {}", q.id, q.ask);
            let _ = writeln!(out, "     A strong answer covers:");
            for p in &q.points {
                let _ = writeln!(out, "       - {p}");
            }
            if !q.followups.is_empty() {
                let _ = writeln!(out, "     Follow-ups:");
                for f in &q.followups {
                    let _ = writeln!(out, "       ? {}  (probes: {})", f.ask, f.probes);
                }
            }
            if !q.anchors.is_empty() {
                let _ = writeln!(out, "     Rating:");
                for (level, text) in &q.anchors {
                    let _ = writeln!(out, "       {level} {text}");
                }
            }
        }
        let coding: Vec<_> = guide
            .coding
            .iter()
            .filter(|c| c.phases.contains(&phase.number))
            .collect();
        if !coding.is_empty() {
            let names: Vec<&str> = coding.iter().map(|c| c.exercise.as_str()).collect();
            let _ = writeln!(out, "\n  Coding may fit here: {}", names.join(", "));
        }
        out.push('\n');
    }
    if !guide.coding.is_empty() {
        let _ = writeln!(out, "Coding questions");
        if let Some(advice) = &guide.coding_advice {
            let _ = writeln!(out, "  {advice}");
        }
        for slot in &guide.coding {
            let (title, hints) = exercise_facts(catalog, &slot.exercise);
            let _ = writeln!(
                out,
                "\n  {:<11} {}  [phases {}]\n     probes: {}",
                slot.exercise,
                title,
                phase_list(&slot.phases),
                slot.probes
            );
            for hint in hints {
                let _ = writeln!(out, "       ? {hint}");
            }
        }
        let _ = writeln!(
            out,
            "\n  `gograde show EXERCISE` prints the prompt and stub to paste into the notepad."
        );
    }
    out
}

/// Escapes what Markdown would otherwise read as markup in a line of guide
/// text. Guides are written by the interviewer's team, not the candidate,
/// but a `*` or `_` in a question should still print as itself.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Markdown: a table of the phases, then each phase's questions.
pub fn markdown(guide: &Guide, catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n{}\n", md(&guide.title), md(&guide.summary));
    let _ = writeln!(out, "| Phase | Minutes | Focus |\n|---|---|---|");
    for p in &guide.phases {
        let _ = writeln!(
            out,
            "| {}. {} | {} | {} |",
            p.number,
            md(&p.title),
            p.minutes,
            md(&p.focus)
        );
    }
    let _ = writeln!(out, "| | **{}** | |", guide.planned_minutes());
    for p in &guide.phases {
        let _ = writeln!(
            out,
            "\n## Phase {}: {} ({} min)\n\n{}",
            p.number,
            md(&p.title),
            p.minutes,
            md(&p.focus)
        );
        for q in &p.questions {
            let _ = writeln!(
                out,
                "\n### {}. {}\n\nA strong answer covers:\n",
                q.id,
                md(&q.ask)
            );
            for point in &q.points {
                let _ = writeln!(out, "- [ ] {}", md(point));
            }
            if !q.followups.is_empty() {
                let _ = writeln!(out, "\nFollow-ups:\n");
                for f in &q.followups {
                    let _ = writeln!(out, "- {} *(probes: {})*", md(&f.ask), md(&f.probes));
                }
            }
            if !q.anchors.is_empty() {
                let _ = writeln!(out, "\nRating:\n");
                for (level, text) in &q.anchors {
                    let _ = writeln!(out, "{level}. {}", md(text));
                }
            }
        }
    }
    if !guide.coding.is_empty() {
        let _ = writeln!(out, "\n## Coding questions\n");
        if let Some(advice) = &guide.coding_advice {
            let _ = writeln!(out, "{}\n", md(advice));
        }
        let _ = writeln!(
            out,
            "| Exercise | Title | Phases | Probes |\n|---|---|---|---|"
        );
        for slot in &guide.coding {
            let (title, _) = exercise_facts(catalog, &slot.exercise);
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                slot.exercise,
                md(title),
                phase_list(&slot.phases),
                md(&slot.probes)
            );
        }
    }
    out
}

/// JSON: the guide itself (the schema of `GET /api/guides/{id}`), each
/// coding slot with its exercise's title and hints added.
pub fn json(guide: &Guide, catalog: &Catalog) -> String {
    let mut value = serde_json::to_value(guide).expect("a guide serialises");
    value["planned_minutes"] = json!(guide.planned_minutes());
    if let Some(slots) = value["coding"].as_array_mut() {
        for slot in slots {
            let id = slot["exercise"].as_str().unwrap_or_default().to_owned();
            let (title, hints) = exercise_facts(catalog, &id);
            slot["title"] = json!(title);
            slot["hints"] = json!(hints);
        }
    }
    let mut text = serde_json::to_string_pretty(&value).expect("JSON");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::Guides;

    fn default_guide() -> (Guide, Catalog) {
        let catalog = Catalog::load(None).unwrap();
        let guide = Guides::load(&catalog, &[])
            .unwrap()
            .default_guide()
            .unwrap()
            .clone();
        (guide, catalog)
    }

    #[test]
    fn human_text_shows_each_phase_with_its_clock_and_the_coding_slots() {
        let (guide, catalog) = default_guide();
        let text = human(&guide, &catalog);
        assert!(
            text.contains("Phase 3  System design scenarios  [15 min, 15:00-30:00]"),
            "{text}"
        );
        assert!(text.contains("Phase 6  Wrap-up  [5 min, 55:00-60:00]"));
        assert!(text.contains("  q11. "));
        assert!(text.contains("Coding may fit here: reverse, counter, workerpool, retry, json"));
        // The exercise's own interviewer hints come from the catalog.
        assert!(text.contains("? Why rune instead of byte?"));
    }

    #[test]
    fn markdown_has_a_phase_table_and_escapes_markup() {
        let (mut guide, catalog) = default_guide();
        guide.phases[0].questions[0].ask = "Use *stars* and <b>tags</b>?".into();
        let text = markdown(&guide, &catalog);
        assert!(
            text.contains("| 4. Debugging and problem solving | 15 |"),
            "{text}"
        );
        assert!(text.contains("| | **60** | |"));
        assert!(text.contains("### q1. Use \\*stars\\* and \\<b\\>tags\\</b\\>?"));
        assert!(text.contains("| `workerpool` | "));
    }

    #[test]
    fn json_is_the_guide_with_exercise_facts() {
        let (guide, catalog) = default_guide();
        let value: serde_json::Value = serde_json::from_str(&json(&guide, &catalog)).unwrap();
        assert_eq!(value["planned_minutes"], 60);
        assert_eq!(value["phases"].as_array().unwrap().len(), 6);
        assert_eq!(value["phases"][1]["questions"][1]["id"], "q3");
        assert_eq!(value["coding"][0]["exercise"], "reverse");
        assert_eq!(value["coding"][0]["title"], "Reverse a string");
        assert!(value["phases"][0]["questions"][0]["anchors"]["4"].is_string());
    }
}
