use crate::Ctx;
use crate::resource::tasks;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an HTTP task (`arn:aws:states:::http:invoke`) whose `Parameters` (JSONPath) or
    /// `Arguments` (JSONata) lack `ApiEndpoint`, `Method` or an EventBridge connection
    /// (`Authentication.ConnectionArn`, or `InvocationConfig.ConnectionArn` for a private API).
    /// A field given by a path (`ApiEndpoint.$`) or an expression counts; arguments written as one
    /// JSONata expression are not judged.
    ///
    /// ## Why is this bad?
    /// Step Functions rejects the definition: the HTTP task needs the endpoint, the method and an
    /// EventBridge connection, which holds the credentials of the call ("You must include the
    /// connection ARN in any HTTP Task").
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Charge",
    ///   "States": {
    ///     "Charge": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::http:invoke",
    ///       "Parameters": { "ApiEndpoint": "https://api.stripe.com/v1/charges", "Method": "POST" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Charge",
    ///   "States": {
    ///     "Charge": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::http:invoke",
    ///       "Parameters": {
    ///         "ApiEndpoint": "https://api.stripe.com/v1/charges",
    ///         "Method": "POST",
    ///         "Authentication": { "ConnectionArn": "${StripeConnectionArn}" }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Call HTTPS APIs in Step Functions workflows](https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html)
    pub(crate) static META = { code: "ASL406", name: "http-task-config", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for task in tasks(ctx.machine).filter(|t| t.resource.is_http()) {
        let state = task.state;
        let args = state.fields.arguments.or(state.fields.parameters);
        let has = |node: &asl_syntax::Node, key: &str| {
            node.get(key).is_some() || node.get(&format!("{key}.$")).is_some()
        };
        let mut missing = Vec::new();
        let at = match args {
            Some(p) if p.value.as_object().is_none() => continue,
            Some(p) => {
                for key in ["ApiEndpoint", "Method"] {
                    if !has(&p.value, key) {
                        missing.push(format!("`{key}`"));
                    }
                }
                // The connection sits in `Authentication` or, for private APIs, in
                // `InvocationConfig`; an object given by a path or an expression is not judged.
                let connection = ["Authentication", "InvocationConfig"].iter().any(|key| {
                    match p.value.get(key) {
                        Some(holder) => holder
                            .value
                            .as_object()
                            .is_none_or(|_| has(&holder.value, "ConnectionArn")),
                        None => p.value.get(&format!("{key}.$")).is_some(),
                    }
                });
                if !connection {
                    missing.push("`Authentication.ConnectionArn`".to_owned());
                }
                p.key_range
            }
            None => {
                missing.extend(
                    [
                        "`ApiEndpoint`",
                        "`Method`",
                        "`Authentication.ConnectionArn`",
                    ]
                    .map(str::to_owned),
                );
                state.prop.key_range
            }
        };
        if missing.is_empty() {
            continue;
        }
        let field = if state.fields.arguments.is_some()
            || state.query_language == asl_syntax::ast::QueryLanguage::JsonAta
        {
            "Arguments"
        } else {
            "Parameters"
        };
        ctx.report(
            &META,
            at,
            format!(
                "HTTP task `{}` has no {} in `{field}`; the HTTP task needs the endpoint, the method and an EventBridge connection",
                state.name,
                match missing.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                    _ => missing.join(""),
                }
            ),
        );
    }
}
