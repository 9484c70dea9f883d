//! The text and JSON renderings of `asl-lint cost` (the estimate itself is
//! [`asl_analyzer::cost::Estimate`]; the JSON schema is in docs/cli.md).

use std::fmt::Write as _;

use asl_analyzer::WorkflowType;
use asl_analyzer::cost::{
    DEFAULT_MAP_CONCURRENCY, EXPRESS_INCREMENT_SECONDS, EXPRESS_MEMORY_GB,
    EXPRESS_PRICE_PER_GB_SECOND, EXPRESS_PRICE_PER_REQUEST, Estimate, Figures, HISTORY_LIMIT,
};
use asl_analyzer::names::grouped;
use serde_json::{Value, json};

fn figure_json<T: Into<Value> + Copy>(f: Figures<T>) -> Value {
    json!({
        "min": f.min.map(Into::into),
        "max": f.max.map(Into::into),
        "max_with_retries": f.max_with_retries.map(Into::into),
    })
}

/// A price rounded to 10 significant digits, so `75.00000000000001` reads `75.0`.
fn rounded(price: f64) -> f64 {
    format!("{price:.9e}").parse().unwrap_or(price)
}

/// The JSON object of one file (see docs/cli.md).
pub fn to_json(file: &str, e: &Estimate) -> Value {
    let cost = e.cost();
    let mut cost_usd = json!({
        "per_execution": figure_json(cost.per_execution.map(rounded)),
        "per_million_executions": figure_json(cost.per_million_executions.map(rounded)),
        "price_per_1000_transitions": e.options.price_per_1000,
    });
    if e.workflow_type == WorkflowType::Express
        && let Some(obj) = cost_usd.as_object_mut()
    {
        obj.insert("price_per_request".into(), json!(EXPRESS_PRICE_PER_REQUEST));
        obj.insert(
            "price_per_gb_second".into(),
            json!(EXPRESS_PRICE_PER_GB_SECOND),
        );
        obj.insert("memory_gb".into(), json!(EXPRESS_MEMORY_GB));
        obj.insert(
            "billing_increment_seconds".into(),
            json!(EXPRESS_INCREMENT_SECONDS),
        );
    }
    let events = e.history.events;
    json!({
        "file": file,
        "workflow_type": e.workflow_type.as_str(),
        "map_items": e.options.map_items,
        "transitions": figure_json(e.transitions),
        "cost_usd": cost_usd,
        "duration_seconds": figure_json(e.duration_seconds),
        "assumed_task_seconds": e.options.task_seconds,
        "history_events": {
            "min": events.min,
            "max": events.max,
            "max_with_retries": events.max_with_retries,
            "limit": HISTORY_LIMIT,
            "exceeds_limit": e.history.exceeds_limit,
        },
        "min_reason": e.min_reason,
        "unbounded": e.cycle.as_ref().map(|c| json!({"cycle": c.states, "scope": c.scope})),
        "distributed_maps": e.distributed_maps.iter().map(|m| json!({
            "name": m.name,
            "execution_type": m.execution_type,
        })).collect::<Vec<_>>(),
        "notes": e.notes,
        "states": e.states.iter().map(|s| json!({
            "name": s.name,
            "type": s.kind,
            "scope": s.scope,
            "attempts": s.attempts,
            "transitions_per_entry": s.transitions_per_entry,
            "transitions_per_entry_with_retries": s.transitions_per_entry_with_retries,
            "on_min_path": s.on_min_path,
            "on_max_path": s.on_max_path,
            "on_max_with_retries_path": s.on_max_with_retries_path,
        })).collect::<Vec<_>>(),
    })
}

fn cell<T>(value: Option<T>, show: impl Fn(T) -> String, none: &str) -> String {
    value.map_or_else(|| none.to_owned(), show)
}

fn row<T: Copy>(
    out: &mut String,
    label: &str,
    f: Figures<T>,
    show: impl Fn(T) -> String,
    min_none: &str,
) {
    let _ = writeln!(
        out,
        "  {label:<22}{:>14}{:>14}{:>18}",
        cell(f.min, &show, min_none),
        cell(f.max, &show, "unbounded"),
        cell(f.max_with_retries, &show, "unbounded"),
    );
}

/// The readable summary of one file.
pub fn render_full(out: &mut String, file: &str, e: &Estimate) {
    let o = &e.options;
    let items = if o.map_items == 1 { "item" } else { "items" };
    let _ = writeln!(
        out,
        "{file}: {} workflow, {} {items} per Map",
        e.workflow_type.as_str(),
        grouped(o.map_items)
    );
    let _ = writeln!(
        out,
        "  {:<22}{:>14}{:>14}{:>18}",
        "", "min", "max", "max with retries"
    );
    row(out, "transitions", e.transitions, grouped, "none");
    row(out, "history events", e.history.events, grouped, "none");
    if e.workflow_type == WorkflowType::Express {
        row(
            out,
            "duration (s)",
            e.duration_seconds,
            |s| format!("{s:.1}"),
            "none",
        );
    }
    let cost = e.cost();
    row(
        out,
        "USD per execution",
        cost.per_execution,
        |c| format!("{c:.8}"),
        "none",
    );
    row(
        out,
        "USD per million",
        cost.per_million_executions,
        |c| format!("{c:.2}"),
        "none",
    );
    if let Some(cycle) = &e.cycle {
        let _ = writeln!(
            out,
            "  unbounded: {} loops through {}",
            cycle.scope,
            asl_analyzer::names::loop_path(cycle.states.iter().map(String::as_str), |s| {
                format!("`{s}`")
            })
        );
    }
    if let Some(reason) = &e.min_reason {
        let _ = writeln!(out, "  no min: {reason}");
    }
    if e.history.exceeds_limit {
        let _ = writeln!(
            out,
            "  history: the worst case can exceed the {} events of a Standard execution",
            grouped(HISTORY_LIMIT)
        );
    }
    match e.workflow_type {
        WorkflowType::Standard => {
            let _ = writeln!(
                out,
                "  assumes: one transition per state entered (a Map: 1 + {} × its processor), ${} per 1,000 transitions",
                grouped(o.map_items),
                o.price_per_1000
            );
        }
        WorkflowType::Express => {
            let _ = writeln!(
                out,
                "  assumes: $1.00 per million requests + $0.00001667 per GB-second at 64 MB, billed per 100 ms (at least 100 ms);\n  duration = static Wait seconds + {} s per Task attempt + retry waits, Map waves of {} (or MaxConcurrency)",
                o.task_seconds, DEFAULT_MAP_CONCURRENCY
            );
        }
    }
    for m in &e.distributed_maps {
        let _ = writeln!(
            out,
            "  distributed map `{}`: children run as {} executions (their transitions are counted)",
            m.name,
            m.execution_type.as_deref().unwrap_or("unspecified")
        );
    }
    for note in &e.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    let retried: Vec<_> = e.states.iter().filter(|s| s.attempts > 1).collect();
    if !retried.is_empty() {
        let _ = writeln!(out, "  retried states (attempts per entry):");
        let width = retried.iter().map(|s| s.name.len()).max().unwrap_or(0);
        for s in retried {
            let _ = writeln!(
                out,
                "    {:<width$}  {:<8}  {:>6}  {}",
                s.name,
                s.kind,
                grouped(s.attempts),
                s.scope
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_rounded_to_ten_digits() {
        assert_eq!(rounded(75.00000000000001), 75.0);
        assert_eq!(rounded(0.00007500000000000001), 0.000075);
        assert_eq!(rounded(0.0000072500000001), 0.00000725);
    }
}
