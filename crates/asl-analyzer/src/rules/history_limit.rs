use std::collections::HashMap;

use asl_syntax::ast::{Machine, State, StateId, StateKind};

use crate::cost::{CostOptions, HISTORY_LIMIT, estimate};
use crate::names::grouped;
use crate::retry::human_duration;
use crate::rule::declare_rule;
use crate::{Ctx, WorkflowType};

declare_rule! {
    /// ## What it does
    /// Reports a loop of a Standard workflow that can fill the 25,000-event execution history,
    /// and a definition without loops whose worst case already does.
    ///
    /// It estimates the history of a Standard workflow (Express workflows keep none):
    /// - a loop whose rounds nothing visible bounds is reported once (the loop is the states
    ///   that can run again after one another), with the number of rounds after which the
    ///   history is full and, when it waits, how long that takes. A loop counts as bounded when
    ///   a Choice in it compares numbers (a counter: `NumericLessThan`, `NumericGreaterThanPath`,
    ///   or `<`, `>`, `<=`, `>=` in a JSONata `Condition`), or when the workflow's
    ///   `TimeoutSeconds` (or the one-year limit of an execution) divided by the least a round
    ///   waits (its shortest static `Wait`, when every way round passes a Wait) leaves too few
    ///   rounds to fill the history;
    /// - a definition whose worst case (every retry taken, one item per Map) already exceeds
    ///   25,000 events, without any loop.
    ///
    /// Events per state follow the cost model of `asl-lint cost`: Task 5; Pass, Choice, Wait
    /// and Succeed 2; Parallel and Map 4 plus their branches (a Map with one item, plus 2 for the
    /// iteration); each state of a loop counted once per round.
    ///
    /// ## Why is this bad?
    /// A Standard execution's history holds at most 25,000 events; the event that would go past
    /// it fails the execution (`States.Runtime`), however healthy the loop was. Polling and
    /// pagination loops reach it after a few thousand rounds.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:glue:getJobRun",
    ///       "Parameters": { "JobName": "etl", "RunId.$": "$.runId" },
    ///       "ResultPath": "$.run",
    ///       "TimeoutSeconds": 30,
    ///       "Next": "Done?"
    ///     },
    ///     "Done?": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.run.JobRun.JobRunState", "StringEquals": "SUCCEEDED", "Next": "Finished" }],
    ///       "Default": "Pause"
    ///     },
    ///     "Pause": { "Type": "Wait", "Seconds": 5, "Next": "Check" },
    ///     "Finished": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Check",
    ///   "TimeoutSeconds": 3600,
    ///   "States": {
    ///     "Check": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::aws-sdk:glue:getJobRun",
    ///       "Parameters": { "JobName": "etl", "RunId.$": "$.runId" },
    ///       "ResultPath": "$.run",
    ///       "TimeoutSeconds": 30,
    ///       "Next": "Done?"
    ///     },
    ///     "Done?": {
    ///       "Type": "Choice",
    ///       "Choices": [{ "Variable": "$.run.JobRun.JobRunState", "StringEquals": "SUCCEEDED", "Next": "Finished" }],
    ///       "Default": "Pause"
    ///     },
    ///     "Pause": { "Type": "Wait", "Seconds": 5, "Next": "Check" },
    ///     "Finished": { "Type": "Succeed" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Service quotas: execution history](https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)
    /// - [Avoid reaching the history quota](https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#bp-history-limit)
    pub(crate) static META = { code: "ASL501", name: "history-limit", level: Warning }
}

/// Events a state adds each time it is entered (see the rule's documentation).
fn events(machine: &Machine<'_>, state: &State<'_>) -> u64 {
    match state.kind {
        StateKind::Task => 5,
        StateKind::Fail => 1,
        StateKind::Parallel | StateKind::Map => {
            let distributed = state.is_distributed_map();
            let mut n = 4;
            if !distributed {
                for &scope in &state.children {
                    if state.kind == StateKind::Map {
                        n += 2;
                    }
                    n += machine
                        .states_of(scope)
                        .map(|s| events(machine, s))
                        .sum::<u64>();
                }
            }
            n
        }
        _ => 2,
    }
}

/// The least a round of the loop `states` waits, in seconds: the shortest static `Wait` when
/// every way round passes a Wait (the loop's other states hold no cycle of their own), else 0.
/// (Summing the Waits would take a loop that picks one of several Waits for a slow one.)
fn wait_per_round(ctx: &Ctx, states: &[&State<'_>]) -> f64 {
    let least = states
        .iter()
        .filter(|s| s.kind == StateKind::Wait)
        .map(|s| {
            s.fields
                .seconds
                .and_then(|p| p.value.as_f64())
                .unwrap_or(0.0)
        })
        .fold(f64::INFINITY, f64::min);
    if !least.is_finite() || least <= 0.0 {
        return 0.0;
    }
    // Kahn's algorithm over the states that are not Waits: they hold no cycle when every one
    // of them can be removed.
    let others: HashMap<StateId, usize> = states
        .iter()
        .filter(|s| s.kind != StateKind::Wait)
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let successors = |id: StateId| {
        ctx.graph
            .transitions(id)
            .iter()
            .filter_map(|t| t.target)
            .filter_map(|to| others.get(&to).copied())
    };
    let mut indegree = vec![0usize; others.len()];
    for &id in others.keys() {
        for j in successors(id) {
            if let Some(d) = indegree.get_mut(j) {
                *d += 1;
            }
        }
    }
    let ids: Vec<StateId> = {
        let mut v = vec![None; others.len()];
        for (&id, &i) in &others {
            if let Some(slot) = v.get_mut(i) {
                *slot = Some(id);
            }
        }
        v.into_iter().flatten().collect()
    };
    let mut ready: Vec<usize> = (0..indegree.len())
        .filter(|&i| indegree.get(i) == Some(&0))
        .collect();
    let mut removed = 0;
    while let Some(i) = ready.pop() {
        removed += 1;
        let Some(&id) = ids.get(i) else { continue };
        for j in successors(id) {
            if let Some(d) = indegree.get_mut(j) {
                *d -= 1;
                if *d == 0 {
                    ready.push(j);
                }
            }
        }
    }
    if removed == others.len() { least } else { 0.0 }
}

/// A Choice that compares numbers: taken for an iteration counter.
fn counts(state: &State<'_>) -> bool {
    fn rule_counts(rule: &asl_syntax::ast::ChoiceRule<'_>) -> bool {
        let numeric = rule.operators.iter().any(|p| {
            p.key.starts_with("NumericLessThan") || p.key.starts_with("NumericGreaterThan")
        });
        let jsonata = rule
            .fields
            .condition
            .and_then(|p| p.value.as_str())
            .is_some_and(|c| c.contains('<') || c.contains('>'));
        numeric || jsonata || rule.nested.iter().any(rule_counts)
    }
    state.kind == StateKind::Choice && state.choices.iter().any(rule_counts)
}

pub(crate) fn check(ctx: &mut Ctx) {
    if ctx.options.workflow_type != WorkflowType::Standard {
        return;
    }
    let machine = ctx.machine;
    let timeout = machine
        .root_scope()
        .and_then(|s| s.fields.timeout_seconds)
        .and_then(|p| p.value.as_f64())
        .filter(|t| *t > 0.0);
    let mut any_loop = false;
    for scope in &machine.scopes {
        for cycle in ctx.graph.cycles(scope.id) {
            any_loop = true;
            let states: Vec<&State<'_>> =
                cycle.iter().filter_map(|&id| machine.state(id)).collect();
            // A loop with no way out is ASL105's (no-terminal-path) finding.
            let in_cycle: std::collections::HashSet<_> = cycle.iter().copied().collect();
            let leaves = states.iter().any(|s| {
                s.is_terminal()
                    || ctx
                        .graph
                        .transitions(s.id)
                        .iter()
                        .any(|t| t.target.is_none_or(|to| !in_cycle.contains(&to)))
            });
            if !leaves || states.iter().any(|s| counts(s)) {
                continue;
            }
            let per_round: u64 = states
                .iter()
                .map(|s| events(machine, s))
                .sum::<u64>()
                .max(1);
            let rounds = HISTORY_LIMIT / per_round;
            let wait = wait_per_round(ctx, &states);
            // The execution ends first: at its top-level `TimeoutSeconds`, or at the one-year
            // limit of a Standard execution.
            let ends = timeout.map_or(ctx.options.workflow_type.max_duration(), |t| {
                t.min(ctx.options.workflow_type.max_duration())
            });
            if wait > 0.0 && ends / wait < rounds as f64 {
                continue;
            }
            let Some(first) = states.first() else {
                continue;
            };
            let path = crate::names::loop_path(states.iter().map(|s| s.name), str::to_owned);
            let rounds_text = grouped(rounds);
            let message = if wait > 0.0 {
                let time = human_duration(wait * rounds as f64);
                let set = if timeout.is_some() { "lower" } else { "set" };
                format!(
                    "loop `{path}` fails the execution at the 25,000-event history limit after about {rounds_text} rounds ({time} of `Wait`); count its rounds in a Choice, or {set} a top-level `TimeoutSeconds` under {time}"
                )
            } else {
                format!(
                    "loop `{path}` fails the execution at the 25,000-event history limit after about {rounds_text} rounds; count its rounds in a Choice, or move the loop into a child execution"
                )
            };
            ctx.report(&META, first.prop.key_range, message)
                .note(format!("each round adds about {per_round} history events"))
                .note(
                    "a Choice in the loop that compares a round counter (`NumericGreaterThanEquals`) bounds it; a child execution (`arn:aws:states:::states:startExecution.sync:2`) keeps a history of its own",
                );
        }
    }
    if any_loop {
        return;
    }
    let e = estimate(machine, ctx.graph, &CostOptions::default());
    if let (true, Some(worst)) = (e.history.exceeds_limit, e.history.events.max_with_retries)
        && let Some(start) = machine.root_scope().and_then(|s| s.fields.start_at)
    {
        ctx.report(
            &META,
            start.value.range,
            format!(
                "the worst case (every retry taken) adds about {} history events, over the 25,000 a Standard execution keeps; lower `MaxAttempts`, or move parts into child executions or a Distributed Map",
                grouped(worst)
            ),
        )
        .note("counted with one item per inline Map; each item adds its iteration's events");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    #[test]
    fn one_short_finding_per_poll_loop() {
        // Wait → status Task → Choice back to Wait, with two edges back (a status and the
        // default): one loop, one finding.
        let text = r#"{"StartAt": "Pause", "States": {
  "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Status"},
  "Status": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:glue:getJobRun", "Parameters": {"JobName": "j", "RunId.$": "$.id"}, "TimeoutSeconds": 30, "Next": "Done?"},
  "Done?": {"Type": "Choice", "Choices": [
      {"Variable": "$.JobRun.JobRunState", "StringEquals": "RUNNING", "Next": "Pause"},
      {"Variable": "$.JobRun.JobRunState", "StringEquals": "SUCCEEDED", "Next": "End"}],
    "Default": "Pause"},
  "End": {"Type": "Succeed"}}}"#;
        let found: Vec<_> = analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL501")
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert_eq!(
            d.message,
            "loop `Pause → Status → Done? → Pause` fails the execution at the 25,000-event history limit after about 2,777 rounds (7.7 h of `Wait`); count its rounds in a Choice, or set a top-level `TimeoutSeconds` under 7.7 h"
        );
        assert_eq!(&text[d.range], "\"Pause\"");
        assert!(
            d.notes[0] == "each round adds about 9 history events",
            "{:?}",
            d.notes
        );
        let asl501 = |text: &str| -> Vec<String> {
            analyze(text, Dialect::Json, &Options::default())
                .into_iter()
                .filter(|d| d.code() == "ASL501")
                .map(|d| d.message)
                .collect()
        };
        // A round waits in one of two Waits: counted with the shorter (10 s), not their sum.
        let two = text
            .replace(
                r#""StringEquals": "RUNNING", "Next": "Pause""#,
                r#""StringEquals": "RUNNING", "Next": "Long""#,
            )
            .replace(
                r#""End": {"Type": "Succeed"}"#,
                r#""Long": {"Type": "Wait", "Seconds": 86400, "Next": "Status"}, "End": {"Type": "Succeed"}"#,
            );
        let found = asl501(&two);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].contains("2,272 rounds (6.3 h of `Wait`)"),
            "{}",
            found[0]
        );
        // A way round that skips the Wait: no time figure.
        let tight = text.replace(
            r#""StringEquals": "RUNNING", "Next": "Pause""#,
            r#""StringEquals": "RUNNING", "Next": "Status""#,
        );
        let found = asl501(&tight);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(!found[0].contains("of `Wait`"), "{}", found[0]);
        // A day between rounds: the one-year limit ends the execution first.
        let daily = text.replace(r#""Seconds": 10"#, r#""Seconds": 86400"#);
        assert_eq!(asl501(&daily), Vec::<String>::new());
        // A top-level `TimeoutSeconds` of an hour ends it first too.
        let hour = text.replacen(r#"{"StartAt""#, r#"{"TimeoutSeconds": 3600, "StartAt""#, 1);
        assert_eq!(asl501(&hour), Vec::<String>::new());
    }
}
