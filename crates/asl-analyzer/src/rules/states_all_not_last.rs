use asl_syntax::{Node, TextRange};

use crate::Ctx;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `States.ALL` that is not alone in its `ErrorEquals`, or that is not in the last
    /// retrier or catcher of its state.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition. `States.ALL` matches every error, so the retriers or catchers
    /// after it could never run, and other names beside it mean nothing.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Work",
    ///   "States": {
    ///     "Work": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "TimeoutSeconds": 60,
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "Catch": [
    ///         { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed" },
    ///         { "ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Failed" }
    ///       ],
    ///       "End": true
    ///     },
    ///     "Failed": { "Type": "Fail" }
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
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::lambda:invoke",
    ///       "TimeoutSeconds": 60,
    ///       "Retry": [{ "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], "MaxAttempts": 2, "JitterStrategy": "FULL" }],
    ///       "Catch": [
    ///         { "ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Failed" },
    ///         { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed" }
    ///       ],
    ///       "End": true
    ///     },
    ///     "Failed": { "Type": "Fail" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Error handling in Step Functions](https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
    pub(crate) static META = { code: "ASL201", name: "states-all-not-last", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        let retriers: Vec<Option<&Node>> = state
            .retriers
            .iter()
            .map(|r| r.fields.error_equals.map(|p| &p.value))
            .collect();
        let catchers: Vec<Option<&Node>> = state
            .catchers
            .iter()
            .map(|c| c.fields.error_equals.map(|p| &p.value))
            .collect();
        let arrays = [state.fields.retry, state.fields.catch].map(|p| p.map(|p| &p.value));
        for ((list, what), array) in [(retriers, "retrier"), (catchers, "catcher")]
            .into_iter()
            .zip(arrays)
        {
            let count = list.len();
            for (i, errors) in list.into_iter().enumerate() {
                let Some(items) = errors.and_then(Node::as_array) else {
                    continue;
                };
                let Some(all) = items.iter().find(|e| e.as_str() == Some("States.ALL")) else {
                    continue;
                };
                if items.len() > 1 {
                    ctx.report(
                        &META,
                        all.range,
                        format!(
                            "state `{}`: `States.ALL` must be alone in its `ErrorEquals`; move the other names to an earlier {what}",
                            state.name
                        ),
                    );
                } else if i + 1 < count {
                    let fix = array.and_then(|a| move_last(ctx.text, a, i, what));
                    let d = ctx.report(
                        &META,
                        all.range,
                        format!(
                            "state `{}`: the {what} with `States.ALL` must be the last one, or {} after it never {}; move it to the end",
                            state.name,
                            if count - i - 1 == 1 { format!("the {what}") } else { format!("the {} {what}s", count - i - 1) },
                            if count - i - 1 == 1 { "runs" } else { "run" }
                        ),
                    );
                    if let Some(fix) = fix {
                        d.with_fix(fix);
                    }
                }
            }
        }
    }
}

/// Moves element `index` (the `States.ALL` handler, alone in its `ErrorEquals`) of `array` to
/// its end, keeping the separators between elements where they were.
fn move_last(text: &str, array: &Node, index: usize, what: &str) -> Option<Fix> {
    let items = array.as_array()?;
    let element = items.get(index)?;
    // With a second `States.ALL` handler, one of the two stays before the other whatever the
    // order: a choice for the author, and moving would never end.
    let catch_all = |node: &Node| {
        node.get("ErrorEquals")
            .and_then(|p| p.value.as_array())
            .is_some_and(|errors| errors.iter().any(|e| e.as_str() == Some("States.ALL")))
    };
    if items.iter().filter(|n| catch_all(n)).count() > 1 {
        return None;
    }
    let (first, last) = (items.first()?, items.last()?);
    let piece = |node: &Node| text.get(std::ops::Range::<usize>::from(node.range));
    let order = items
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, n)| n)
        .chain([element]);
    let mut new_text = String::new();
    for (i, node) in order.enumerate() {
        new_text.push_str(piece(node)?);
        if let (Some(a), Some(b)) = (items.get(i), items.get(i + 1)) {
            new_text.push_str(text.get(usize::from(a.range.end())..usize::from(b.range.start()))?);
        }
    }
    let field = if what == "retrier" { "Retry" } else { "Catch" };
    Some(Fix::new(
        format!("Move the `States.ALL` {what} to the end of `{field}`"),
        // AWS rejects the definition as written, so no deployed behaviour changes; the end is
        // the only place where `States.ALL` leaves every other handler reachable.
        Applicability::Safe,
        Edit::replace(
            TextRange::new(first.range.start(), last.range.end()),
            new_text,
        ),
    ))
}
