//! Inlay hints: the worst-case attempts of each state that can run more than once per entry,
//! after its name, and the state transitions of one execution after the top-level `StartAt`.

use std::fmt::Write as _;

use asl_syntax::{TextRange, TextSize};

use super::Db;
use super::hover::attempts_text;
use crate::cost::Estimate;
use crate::names::grouped;

/// A short label shown inline at `offset`, with a markdown tooltip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: TextSize,
    pub label: String,
    pub tooltip: String,
}

pub(crate) fn inlay_hints(db: &Db<'_>, range: TextRange) -> Vec<InlayHint> {
    let mut out = Vec::new();
    if let Some(start_at) = db.machine.scope(0).and_then(|s| s.fields.start_at) {
        let offset = start_at.value.range.end();
        if range.contains_inclusive(offset) {
            let estimate = db.estimate();
            out.push(InlayHint {
                offset,
                label: transitions_label(estimate),
                tooltip: transitions_tooltip(estimate),
            });
        }
    }
    for state in &db.machine.states {
        let offset = state.prop.key_range.end();
        if !range.contains_inclusive(offset) {
            continue;
        }
        if let Some((product, text)) = attempts_text(db.machine, state) {
            out.push(InlayHint {
                offset,
                label: format!("×{} attempts", grouped(product)),
                tooltip: format!("**Worst-case attempts:** {text}"),
            });
        }
    }
    out.sort_by_key(|h| h.offset);
    out
}

/// `3–6 transitions (12 with retries)`, `5 transitions`, `3+ transitions (loop)`.
fn transitions_label(e: &Estimate) -> String {
    let t = e.transitions;
    let noun = |n: u64| if n == 1 { "transition" } else { "transitions" };
    let (Some(min), Some(max)) = (t.min, t.max) else {
        return match t.min {
            Some(min) => format!("{}+ {} (loop)", grouped(min), noun(min)),
            None => "no end (loop)".to_owned(),
        };
    };
    let mut s = if min == max {
        format!("{} {}", grouped(max), noun(max))
    } else {
        format!("{}–{} transitions", grouped(min), grouped(max))
    };
    match t.max_with_retries {
        Some(r) if r > max => {
            let _ = write!(s, " ({} with retries)", grouped(r));
        }
        Some(_) => {}
        None => s.push_str(" (unbounded with retries)"),
    }
    s
}

fn transitions_tooltip(e: &Estimate) -> String {
    let t = e.transitions;
    let show = |v: Option<u64>| v.map_or_else(|| "unbounded".to_owned(), grouped);
    let mut s = format!(
        "**State transitions per execution** (what Standard workflows are billed for): {} on the shortest path, {} on the longest without errors, {} when every retry happens.",
        t.min.map_or_else(|| "no end".to_owned(), grouped),
        show(t.max),
        show(t.max_with_retries),
    );
    if let Some(reason) = &e.min_reason {
        let _ = write!(s, "\n\nNo end can be reached: {reason}.");
    }
    if let Some(cycle) = &e.cycle {
        let names = crate::names::loop_path(cycle.states.iter().map(|n| n.as_ref()), |n| {
            format!("`{n}`")
        });
        let _ = write!(
            s,
            "\n\nUnbounded: the loop {names} in {} can run any number of times.",
            cycle.scope
        );
    }
    s.push_str("\n\nEach Map is counted for one item; `asl-lint cost` takes `--map-items` and adds history events and prices.");
    s
}

#[cfg(test)]
mod tests {
    use asl_syntax::{Dialect, TextRange, TextSize};

    use crate::Options;
    use crate::ide::Analysis;

    /// Each hint as `word before it|label`, over the whole text or `range`.
    fn hints(text: &str, range: Option<TextRange>) -> Vec<String> {
        let a = Analysis::new(text, Dialect::Json, &Options::default());
        let all = TextRange::new(TextSize::from(0), TextSize::of(text));
        a.inlay_hints(range.unwrap_or(all))
            .iter()
            .map(|h| {
                let before = text.get(..usize::from(h.offset)).unwrap_or_default();
                let word = before.rsplit([' ', '\n']).next().unwrap_or_default();
                format!("{word}|{}", h.label)
            })
            .collect()
    }

    const NESTED: &str = r#"{"StartAt": "Both", "States": {
  "Both": {"Type": "Parallel", "Next": "Check",
    "Retry": [{"ErrorEquals": ["States.ALL"]}],
    "Branches": [{"StartAt": "Each", "States": {
      "Each": {"Type": "Map", "End": true,
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
        "ItemProcessor": {"StartAt": "Call", "States": {
          "Call": {"Type": "Task", "Resource": "x", "End": true,
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 6}]}}}}}}]},
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}], "Default": "Fix"},
  "Fix": {"Type": "Pass", "Next": "Done"},
  "Done": {"Type": "Succeed"}}}"#;

    #[test]
    fn attempts_after_names_and_transitions_after_start_at() {
        assert_eq!(
            hints(NESTED, None),
            [
                "\"Both\"|5–6 transitions (135 with retries)",
                "\"Both\"|×4 attempts",
                "\"Each\"|×16 attempts",
                "\"Call\"|×112 attempts",
            ]
        );
        let a = Analysis::new(NESTED, Dialect::Json, &Options::default());
        let all = TextRange::new(TextSize::from(0), TextSize::of(NESTED));
        let call = a
            .inlay_hints(all)
            .into_iter()
            .find(|h| h.label == "×112 attempts")
            .map(|h| h.tooltip);
        assert_eq!(
            call.as_deref(),
            Some(
                "**Worst-case attempts:** up to 7 per entry (1 + 6 retries); up to 112 per entry of \
                 the top-level state `Both` (per item of each enclosing Map): 7 (own) × 4 (Map `Each`) \
                 × 4 (Parallel `Both`)"
            )
        );
    }

    #[test]
    fn only_hints_in_the_range() {
        let from = NESTED.find("\"Each\": {").unwrap_or_default();
        let to = NESTED.find("\"Call\": {").unwrap_or_default();
        let range = TextRange::new(
            TextSize::from(u32::try_from(from).unwrap_or_default()),
            TextSize::from(u32::try_from(to).unwrap_or_default()),
        );
        assert_eq!(hints(NESTED, Some(range)), ["\"Each\"|×16 attempts"]);
        let empty = TextRange::empty(TextSize::from(0));
        assert!(hints(NESTED, Some(empty)).is_empty());
    }

    #[test]
    fn transitions_labels() {
        let one = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
        assert_eq!(hints(one, None), ["\"A\"|1 transition"]);
        let looped = r#"{"StartAt": "A", "States": {
  "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "A"}], "Default": "B"},
  "B": {"Type": "Succeed"}}}"#;
        assert_eq!(hints(looped, None), ["\"A\"|2+ transitions (loop)"]);
        let a = Analysis::new(looped, Dialect::Json, &Options::default());
        let tooltip = a
            .inlay_hints(TextRange::new(TextSize::from(0), TextSize::of(looped)))
            .into_iter()
            .map(|h| h.tooltip)
            .next()
            .unwrap_or_default();
        assert!(
            tooltip.contains("the loop `A` → `A` in the top level"),
            "{tooltip}"
        );
        let endless = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}"#;
        assert_eq!(hints(endless, None), ["\"A\"|no end (loop)"]);
        // Broken or empty documents have no hints.
        assert!(hints(r#"{"StartAt": "A", "States": {"#, None).is_empty());
        assert!(hints("[]", None).is_empty());
    }
}
