use std::collections::HashMap;

use asl_syntax::TextRange;
use asl_syntax::ast::StateKind;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a Map `Label` that is empty, longer than 40 characters, contains a character AWS
    /// forbids (whitespace, `?`, `*`, brackets `< > { } [ ]`, `: ; , \ | ^ ~ $ # % & "`, a
    /// backtick, or a control character), or is used by two Map states.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition (`INVALID_LABEL_NAME`, `DUPLICATE_LABEL_NAME`): the label
    /// names the Map Run and its child executions.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Each",
    ///   "States": {
    ///     "Each": {
    ///       "Type": "Map",
    ///       "Label": "process files",
    ///       "MaxConcurrency": 10,
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
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
    ///       "Label": "ProcessFiles",
    ///       "MaxConcurrency": 10,
    ///       "ItemProcessor": {
    ///         "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
    ///         "StartAt": "Work",
    ///         "States": { "Work": { "Type": "Pass", "End": true } }
    ///       },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Distributed Map state: Label](https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html)
    /// - [ValidateStateMachineDefinition diagnostics](https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html)
    pub(crate) static META = { code: "ASL018", name: "invalid-label", level: Error }
}

/// The longest label AWS accepts, in characters.
const MAX_LEN: usize = 40;

/// Characters AWS forbids in a label (besides whitespace and control characters).
const FORBIDDEN: &[char] = &[
    '?', '*', '<', '>', '{', '}', '[', ']', ':', ';', ',', '\\', '|', '^', '~', '$', '#', '%', '&',
    '`', '"',
];

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    let mut seen: HashMap<&str, TextRange> = HashMap::new();
    for state in &machine.states {
        if state.kind != StateKind::Map {
            continue;
        }
        let Some(prop) = state.fields.label else {
            continue;
        };
        // A label that is not a string is reported by invalid-value.
        let Some(label) = prop.value.as_str() else {
            continue;
        };
        if prop.value.is_templated() {
            continue;
        }
        let name = state.name;
        let range = prop.value.range;
        let problem = if label.is_empty() {
            Some("is empty; give the Map Run a name".to_owned())
        } else if let Some(c) = label
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(c))
        {
            let shown = if c.is_whitespace() || c.is_control() {
                format!("U+{:04X}", u32::from(c))
            } else {
                format!("`{c}`")
            };
            Some(format!(
                "contains {shown}, which AWS does not allow; use letters, digits, `-`, `_` and `.`"
            ))
        } else {
            let len = label.chars().count();
            (len > MAX_LEN).then(|| {
                format!("is {len} characters long; AWS allows at most {MAX_LEN}, shorten it")
            })
        };
        if let Some(problem) = problem {
            ctx.report(
                &META,
                range,
                format!(
                    "state `{name}`: the Map `Label` `{}` {problem}",
                    label.escape_debug()
                ),
            );
            continue;
        }
        match seen.get(label) {
            Some(first) => {
                ctx.report(
                    &META,
                    range,
                    format!(
                        "state `{name}`: the Map `Label` `{label}` is already used by another Map; labels must be unique in the state machine, rename one of them"
                    ),
                )
                .label(*first, "first used here");
            }
            None => {
                seen.insert(label, range);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn labels(labels: &[&str]) -> Vec<String> {
        let maps: Vec<String> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                format!(
                    r#""M{i}": {{"Type": "Map", "Label": "{l}", "Next": "M{}", "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, "StartAt": "P{i}", "States": {{"P{i}": {{"Type": "Succeed"}}}}}}}}"#,
                    i + 1
                )
            })
            .collect();
        let text = format!(
            r#"{{"StartAt": "M0", "States": {{{}, "M{}": {{"Type": "Succeed"}}}}}}"#,
            maps.join(", "),
            labels.len()
        );
        analyze(&text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL018")
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn label_rules() {
        assert!(labels(&["Ok-label_1.x", "${Label}", "${Label}"]).is_empty());
        assert_eq!(labels(&["a b"]).len(), 1);
        assert_eq!(labels(&["a:b"]).len(), 1);
        assert_eq!(labels(&[""]).len(), 1);
        assert_eq!(labels(&[&"x".repeat(41)]).len(), 1);
        assert_eq!(labels(&[&"x".repeat(40)]).len(), 0);
        let dup = labels(&["Same", "Other", "Same"]);
        assert_eq!(dup.len(), 1);
        assert!(dup[0].contains("already used"));
    }
}
