use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an `Assign` (of a state, a catcher or a Choice rule) that assigns `states` (the
    /// reserved `$states` of JSONata), a sub-path (`"order.total"`, `"items[0]"`), a name that is
    /// not an identifier (it must start with a letter or `_` and go on with letters, digits or
    /// `_`), or a name longer than 80 characters. In a JSONPath state the `.$` suffix of a key is
    /// not part of the name.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition: each key of `Assign` names a whole variable, and `$states`
    /// belongs to Step Functions.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Remember",
    ///   "States": {
    ///     "Remember": {
    ///       "Type": "Pass",
    ///       "Assign": { "order.total": "{% $states.input.total %}" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Remember",
    ///   "States": {
    ///     "Remember": {
    ///       "Type": "Pass",
    ///       "Assign": { "orderTotal": "{% $states.input.total %}" },
    ///       "Next": "Use"
    ///     },
    ///     "Use": { "Type": "Pass", "Output": "{% $orderTotal %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Workflow variables](https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html)
    pub(crate) static META = { code: "ASL323", name: "reserved-variable", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for a in ctx.variables().assignments.iter() {
        if let Some(problem) = problem(&a.key.key) {
            ctx.report(
                &META,
                a.key.key_range,
                format!(
                    "state `{}`: `{}` assigns `{}`: {problem}",
                    ctx.machine.state_name(a.state),
                    a.owner.place(),
                    a.key.key
                ),
            );
        }
    }
}

/// What is wrong with a variable name, if anything (`.$` stripped first).
pub(crate) fn problem(key: &str) -> Option<String> {
    if asl_syntax::is_templated(key) {
        return None;
    }
    let name = key.strip_suffix(".$").unwrap_or(key);
    if name == "states" {
        return Some("`states` is reserved for `$states`; pick another name".to_owned());
    }
    if name.contains(['.', '[']) {
        return Some(
            "a variable cannot be assigned by sub-path; assign the whole value (build it with a JSONata object or an intrinsic)".to_owned(),
        );
    }
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    if !first_ok || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Some(
            "a variable name starts with a letter or `_` and holds only letters, digits and `_`"
                .to_owned(),
        );
    }
    if name.chars().count() > 80 {
        return Some(format!(
            "a variable name can be at most 80 characters; this one has {}",
            name.chars().count()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn names() {
        for ok in ["total", "_x", "orderTotal2", "café", "x.$", "${Name}"] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in ["states", "a.b", "a[0]", "2x", "my-var", "", &"x".repeat(81)] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
