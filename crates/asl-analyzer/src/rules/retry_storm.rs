use std::fmt::Write;

use asl_syntax::ast::{ScopeKind, State, StateKind};

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::edits::{Value, add_member};
use crate::retry::{Policy, worst_case};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Computes, for each Task, the worst-case number of times it runs when its state is entered
    /// once: the product of `1 + Σ MaxAttempts` over the Task's retriers and over the retriers
    /// of every Map and Parallel around it (retrying a Map or Parallel reruns every iteration and
    /// branch, and each retrier keeps its own attempt counter). It reports the Task when the
    /// product exceeds the threshold (default 50), with the figure and its factors.
    ///
    /// It also reports a retrier of a Task inside a Map whose concurrency is unlimited or high
    /// (`MaxConcurrency` 0, absent, or above 40) when the retrier has no `"JitterStrategy":
    /// "FULL"`: all the iterations that fail together retry together.
    ///
    /// ## Why is this bad?
    /// Nested retries multiply: a Task retried 3 times inside a Map retried 3 times inside a
    /// Parallel retried 3 times runs 64 times per item before anything is reported, each run a
    /// billed transition and a call to a service that is probably already struggling. Without
    /// jitter, hundreds of iterations hammer that service in lockstep.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "MaxConcurrency": 10,
    ///       "ItemProcessor": {
    ///         "StartAt": "Call",
    ///         "States": {
    ///           "Call": {
    ///             "Type": "Task",
    ///             "Resource": "arn:aws:states:::sqs:sendMessage",
    ///             "Arguments": { "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "MessageBody": "{% $states.input %}" },
    ///             "QueryLanguage": "JSONata",
    ///             "TimeoutSeconds": 30,
    ///             "Retry": [{ "ErrorEquals": ["States.Timeout"], "MaxAttempts": 14, "MaxDelaySeconds": 60 }],
    ///             "End": true
    ///           }
    ///         }
    ///       },
    ///       "Retry": [{ "ErrorEquals": ["States.ALL"], "MaxAttempts": 3 }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "MaxConcurrency": 10,
    ///       "ItemProcessor": {
    ///         "StartAt": "Call",
    ///         "States": {
    ///           "Call": {
    ///             "Type": "Task",
    ///             "Resource": "arn:aws:states:::sqs:sendMessage",
    ///             "Arguments": { "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/q", "MessageBody": "{% $states.input %}" },
    ///             "QueryLanguage": "JSONata",
    ///             "TimeoutSeconds": 30,
    ///             "Retry": [{ "ErrorEquals": ["States.Timeout"], "MaxAttempts": 14, "MaxDelaySeconds": 60 }],
    ///             "End": true
    ///           }
    ///         }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Retrying after an error](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error)
    /// - [Map state: MaxConcurrency](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html)
    pub(crate) static META = { code: "ASL209", name: "retry-storm", level: Warning }
}

/// Concurrency above which a Map counts as high.
const HIGH_CONCURRENCY: f64 = 40.0;

pub(crate) fn check(ctx: &mut Ctx) {
    let threshold = ctx.options.retry_storm_threshold;
    let machine = ctx.machine;
    for state in machine.states.iter().filter(|s| s.kind == StateKind::Task) {
        let (product, factors) = worst_case(machine, state);
        if product > threshold {
            let mut detail = String::new();
            for (n, f) in factors.iter().enumerate() {
                let what = if f.state == state.id {
                    "its own retriers".to_owned()
                } else {
                    let s = machine.state(f.state);
                    format!(
                        "{} `{}`",
                        s.map_or("state", |s| s.kind.as_str()),
                        machine.state_name(f.state)
                    )
                };
                let sep = if n == 0 { "" } else { " × " };
                let _ = write!(detail, "{sep}{} ({what})", f.attempts);
            }
            let at = state
                .retriers
                .first()
                .and_then(|r| r.fields.max_attempts)
                .map_or(state.prop.key_range, |p| p.value.range);
            ctx.report(
                &META,
                at,
                format!(
                    "state `{}` can run {product} times per entry of its top-level state: {detail}, above the threshold of {threshold}; retry in one place only, or lower `MaxAttempts`",
                    state.name
                ),
            );
        }
        lockstep(ctx, state);
    }
}

/// The retriers of a Task in a Map of high concurrency that retry without jitter.
fn lockstep(ctx: &mut Ctx, state: &State<'_>) {
    let Some(map) = enclosing_map(ctx, state) else {
        return;
    };
    if map.fields.max_concurrency_path.is_some() {
        return;
    }
    let concurrency = match map.fields.max_concurrency {
        None => None,
        Some(p) => match p.value.as_f64() {
            Some(n) => Some(n),
            None => return,
        },
    };
    let high = match concurrency {
        None | Some(0.0) => true,
        Some(n) => n > HIGH_CONCURRENCY,
    };
    if !high {
        return;
    }
    let how = match concurrency {
        None => "no `MaxConcurrency` (unlimited)".to_owned(),
        Some(0.0) => "`\"MaxConcurrency\": 0` (unlimited)".to_owned(),
        Some(n) => format!("`\"MaxConcurrency\": {n}`"),
    };
    for (r, policy) in state.retriers.iter().zip(Policy::all(state)) {
        if policy.max_attempts == 0 || policy.jitter {
            continue;
        }
        let at = r
            .fields
            .jitter_strategy
            .or(r.fields.error_equals)
            .map_or(r.node.range, |p| p.value.range);
        // Jitter answers this finding (lockstep), not the one about too many attempts.
        let edit = match r.fields.jitter_strategy {
            Some(p) => Some(Edit::replace(p.value.range, "\"FULL\"")),
            None => add_member(ctx.text, r.node, "JitterStrategy", &Value::string("FULL")),
        };
        let fix = edit.map(|edit| {
            Fix::new(
                format!("Retry `{}` with `\"JitterStrategy\": \"FULL\"`", state.name),
                // Randomises the waits between retries.
                Applicability::Unsafe,
                edit,
            )
        });
        let d = ctx.report(
            &META,
            at,
            format!(
                "state `{}`: `Retry[{}]` retries without jitter inside Map `{}`, which has {how}: failing iterations retry in lockstep; add `\"JitterStrategy\": \"FULL\"`",
                state.name,
                policy.index,
                map.name
            ),
        );
        if let Some(fix) = fix {
            d.with_fix(fix);
        }
    }
}

/// The nearest Map around a state (through Parallel branches).
fn enclosing_map<'m>(ctx: &Ctx<'m>, state: &State<'_>) -> Option<&'m State<'m>> {
    let machine = ctx.machine;
    let mut scope = machine.scope(state.scope)?;
    loop {
        match scope.kind {
            ScopeKind::Root => return None,
            ScopeKind::Processor { parent, .. } => return machine.state(parent),
            ScopeKind::Branch { parent, .. } => {
                scope = machine.scope(machine.state(parent)?.scope)?;
            }
        }
    }
}
