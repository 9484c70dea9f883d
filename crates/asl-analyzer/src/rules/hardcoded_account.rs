use asl_syntax::Node;
use asl_syntax::tree::string_range;

use crate::Ctx;
use crate::resource::region_and_account;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an ARN in a state's `Resource`, `Parameters`, `Arguments` or `Credentials` with a
    /// Region or a twelve-digit account ID written into it. Off by default: many teams deploy
    /// one account and Region and are fine with it.
    ///
    /// ## Why is this bad?
    /// The definition only works in that account and Region: deploying it to a staging account
    /// or a second Region means editing it. Templates substitute them instead
    /// (`${AWS::Region}`, `${AWS::AccountId}`, `DefinitionSubstitutions`), and optimized
    /// integrations need neither (`arn:aws:states:::lambda:invoke`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Notify",
    ///   "States": {
    ///     "Notify": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sns:publish",
    ///       "Parameters": { "TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts", "Message.$": "$.message" },
    ///       "TimeoutSeconds": 10,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Notify",
    ///   "States": {
    ///     "Notify": {
    ///       "Type": "Task",
    ///       "Resource": "arn:aws:states:::sns:publish",
    ///       "Parameters": { "TopicArn": "${AlertsTopicArn}", "Message.$": "$.message" },
    ///       "TimeoutSeconds": 10,
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [DefinitionSubstitutions](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions)
    pub(crate) static META = { code: "ASL405", name: "hardcoded-account", level: Off }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let mut found = Vec::new();
    for state in &ctx.machine.states {
        let f = &state.fields;
        for prop in [f.resource, f.parameters, f.arguments, f.credentials]
            .into_iter()
            .flatten()
        {
            walk(&prop.value, &mut |node, s| {
                if let Some((range, region, account)) = region_and_account(s) {
                    let region_set = !region.is_empty() && !asl_syntax::is_templated(region);
                    let account_set =
                        account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
                    if region_set || account_set {
                        found.push((state.name, node, range, region_set, account_set));
                    }
                }
            });
        }
    }
    for (name, node, range, region_set, account_set) in found {
        let what = match (region_set, account_set) {
            (true, true) => "a Region and an account ID",
            (true, false) => "a Region",
            _ => "an account ID",
        };
        let at = string_range(ctx.text, node, range);
        ctx.report(
            &META,
            at,
            format!(
                "state `{name}`: this ARN has {what} written into it, so the definition only works there; substitute them at deployment (`${{AWS::Region}}`, `${{AWS::AccountId}}`, DefinitionSubstitutions)"
            ),
        );
    }
}

fn walk<'n>(node: &'n Node, f: &mut impl FnMut(&'n Node, &'n str)) {
    if let Some(s) = node.as_str() {
        f(node, s);
    } else if let Some(items) = node.as_array() {
        for item in items {
            walk(item, f);
        }
    } else if let Some(props) = node.as_object() {
        for p in props {
            walk(&p.value, f);
        }
    }
}
