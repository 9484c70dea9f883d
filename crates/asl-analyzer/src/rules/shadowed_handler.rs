use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a retrier or catcher that can never run because earlier entries of the same
    /// `Retry` or `Catch` already match every error it lists: the same names earlier, or any name
    /// but `States.Timeout` after `States.TaskFailed` (which matches every error except
    /// `States.Timeout`).
    ///
    /// ## Why is this bad?
    /// The first matching entry wins, so the later one is dead configuration: a catcher's target
    /// that is never reached, a retry policy that never applies. Usually the order is wrong: put
    /// specific errors before general ones.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [
    ///         { "ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2 },
    ///         { "ErrorEquals": ["States.BranchFailed"], "MaxAttempts": 5 }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Call",
    ///   "States": {
    ///     "Call": {
    ///       "Type": "Parallel",
    ///       "Branches": [{ "StartAt": "B", "States": { "B": { "Type": "Succeed" } } }],
    ///       "Retry": [
    ///         { "ErrorEquals": ["States.BranchFailed"], "MaxAttempts": 5 },
    ///         { "ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2 }
    ///       ],
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Retriers and catchers, in order](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL202", name: "shadowed-handler", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let entries = super::handlers(ctx.machine);
    for (i, entry) in entries.iter().enumerate() {
        if entry.errors.is_empty() {
            continue;
        }
        // Earlier entries of the same list.
        let earlier: Vec<&super::Handler<'_>> = entries
            .get(..i)
            .unwrap_or(&[])
            .iter()
            .filter(|e| e.state.id == entry.state.id && e.list == entry.list)
            .collect();
        // After `States.ALL`, states-all-not-last reports it.
        if earlier
            .iter()
            .any(|e| e.errors.iter().any(|(n, _)| *n == "States.ALL"))
        {
            continue;
        }
        let covered_by = |name: &str| {
            earlier.iter().find(|e| {
                e.errors.iter().any(|(n, _)| {
                    // TaskFailed matches every error but States.Timeout, so not States.ALL.
                    *n == name
                        || (*n == "States.TaskFailed"
                            && name != "States.Timeout"
                            && name != "States.ALL")
                })
            })
        };
        let mut cover = None;
        let all_covered = entry.errors.iter().all(|(name, _)| {
            let found = covered_by(name);
            if cover.is_none() {
                cover = found;
            }
            found.is_some()
        });
        if !all_covered {
            continue;
        }
        let what = if entry.list == "Retry" {
            "retrier"
        } else {
            "catcher"
        };
        let d = ctx.report(
            &META,
            entry.error_equals.map_or(entry.node.range, |p| p.key_range),
            format!(
                "state `{}`: `{}` can never run: earlier entries of `{}` already match every error it lists; move it before them or remove it",
                entry.state.name, entry.place, entry.list
            ),
        );
        if let Some(c) = cover {
            d.label(
                c.error_equals.map_or(c.node.range, |p| p.key_range),
                format!("this earlier {what} matches them first"),
            );
        }
    }
}
