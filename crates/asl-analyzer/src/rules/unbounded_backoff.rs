use crate::Ctx;
use crate::diagnostic::{Applicability, Fix};
use crate::edits::{Value, add_member};
use crate::retry::{Policy, human_duration};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a retrier whose largest single wait (`IntervalSeconds × BackoffRate^(MaxAttempts−1)`)
    /// exceeds one hour while it has no `MaxDelaySeconds`, and a retrier whose worst-case total
    /// wait (all of its retries, each at its full backoff) exceeds what the execution may last:
    /// the top-level `TimeoutSeconds` if set, else one year for a Standard workflow and five
    /// minutes for an Express one (`--workflow-type`).
    ///
    /// A Task's own `TimeoutSeconds` bounds each attempt, not the waits between them, so it is
    /// not compared.
    ///
    /// ## Why is this bad?
    /// Exponential backoff grows fast: 1 s doubled 20 times is twelve days. A retrier that waits
    /// longer than anyone will watch the execution hides the failure instead of reporting it,
    /// and one that outlasts the execution ends in `States.Timeout` rather than in its catcher.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [{ "ErrorEquals": ["States.BranchFailed"], "IntervalSeconds": 5, "MaxAttempts": 12, "BackoffRate": 2 }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [{ "ErrorEquals": ["States.BranchFailed"], "IntervalSeconds": 5, "MaxAttempts": 12, "BackoffRate": 2, "MaxDelaySeconds": 600 }],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Retrying after an error](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error)
    /// - [Service quotas: execution duration](https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)
    pub(crate) static META = { code: "ASL208", name: "unbounded-backoff", level: Warning }
}

/// One hour: the longest single wait reported as reasonable without `MaxDelaySeconds`.
const HOUR: f64 = 3600.0;

pub(crate) fn check(ctx: &mut Ctx) {
    let workflow = ctx.options.workflow_type;
    let top_timeout = ctx
        .machine
        .root_scope()
        .and_then(|s| s.fields.timeout_seconds)
        .and_then(|p| p.value.as_f64())
        .filter(|t| *t > 0.0);
    let (limit, limit_name) = match top_timeout {
        Some(t) if t < workflow.max_duration() => (
            t,
            format!("the execution's `TimeoutSeconds` of {}", human_duration(t)),
        ),
        _ => (
            workflow.max_duration(),
            match workflow {
                crate::WorkflowType::Standard => {
                    "the one-year limit of a Standard workflow".to_owned()
                }
                crate::WorkflowType::Express => {
                    "the five-minute limit of an Express workflow".to_owned()
                }
            },
        ),
    };
    for state in &ctx.machine.states {
        for (r, policy) in state.retriers.iter().zip(Policy::all(state)) {
            if policy.max_attempts == 0 {
                continue;
            }
            let at = r
                .fields
                .backoff_rate
                .or(r.fields.max_attempts)
                .or(r.fields.interval_seconds)
                .map_or(r.node.range, |p| p.value.range);
            let largest = policy.largest_wait();
            let total = policy.total_wait();
            let i = policy.index;
            if policy.max_delay.is_none() && largest > HOUR {
                let (largest, total) = (human_duration(largest), human_duration(total));
                // Past a year both read `over a year`: say it once.
                let in_all = if total == largest {
                    String::new()
                } else {
                    format!(" and {total} in all")
                };
                // A cap answers this finding (one long wait), not the one about the total.
                let fix = add_member(ctx.text, r.node, "MaxDelaySeconds", &Value::raw("3600"))
                    .filter(|_| r.fields.max_delay_seconds.is_none())
                    .map(|edit| {
                        Fix::new(
                            format!(
                                "Cap this retrier of `{}` at one hour (`\"MaxDelaySeconds\": 3600`)",
                                state.name
                            ),
                            // Shortens the waits between retries.
                            Applicability::Unsafe,
                            edit,
                        )
                    });
                let d = ctx.report(
                    &META,
                    at,
                    format!(
                        "state `{}`: `Retry[{i}]` waits {largest} before its last retry ({} s × {}^{}){in_all}; add `\"MaxDelaySeconds\"` (e.g. 3600) or lower `MaxAttempts` or `BackoffRate`",
                        state.name,
                        policy.interval,
                        policy.backoff,
                        policy.max_attempts.saturating_sub(1),
                    ),
                );
                if let Some(fix) = fix {
                    d.with_fix(fix);
                }
            } else if total > limit {
                ctx.report(
                    &META,
                    at,
                    format!(
                        "state `{}`: `Retry[{i}]` can wait {} in all over its {} retries, beyond {limit_name}; lower `MaxAttempts`, `IntervalSeconds` or `MaxDelaySeconds`",
                        state.name,
                        human_duration(total),
                        policy.max_attempts,
                    ),
                );
            }
        }
    }
}
