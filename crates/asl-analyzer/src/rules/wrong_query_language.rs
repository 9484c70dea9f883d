use asl_syntax::ast::{QueryLanguage, ScopeKind, State, StateKind};
use asl_syntax::{Node, Value};

use crate::Ctx;
use crate::diagnostic::Severity;
use crate::nodes::distinct_props;
use crate::rule::declare_rule;
use crate::spec::fields::{self, Field, Lang, Object, nested_objects};

declare_rule! {
    /// ## What it does
    /// Reports a field, operator or expression of the other query language: `InputPath`,
    /// `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`, `Result` or a `...Path` field
    /// in a JSONata state; `Arguments`, `Output`, `Items` or a Choice rule `Condition` in a
    /// JSONPath state; `Variable`, comparison operators and `And`/`Or`/`Not` in the Choice rules
    /// of a JSONata state; a state that sets `"QueryLanguage": "JSONPath"` in a JSONata state
    /// machine; and `QueryLanguage` on a Map's `ItemProcessor` (an error) or a Parallel branch (a
    /// warning). `.$` keys (paths and intrinsic functions) in the payloads of a JSONata state are
    /// warnings: AWS accepts them but keeps the key and its value as literals.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition (`The QueryLanguage is set to 'JSONPath', but field 'Output'
    /// is only supported for the 'JSONata' QueryLanguage`). A JSONata state machine cannot
    /// contain JSONPath states, and sub-machines take their language from the state machine,
    /// not from their own root.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": { "Type": "Pass", "Result": { "greeting": "hi" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Hello",
    ///   "States": {
    ///     "Hello": { "Type": "Pass", "Output": { "greeting": "hi" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Transforming data with JSONata](https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
    /// - [State machine structure: QueryLanguage](https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html)
    /// - [Amazon States Language specification: Query languages](https://states-language.net/spec.html)
    pub(crate) static META = { code: "ASL014", name: "wrong-query-language", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    for scope in machine.scopes.iter().skip(1) {
        let Some(prop) = scope.fields.query_language else {
            continue;
        };
        match scope.kind {
            ScopeKind::Processor { .. } => {
                ctx.report(
                    &META,
                    prop.key_range,
                    format!(
                        "{} cannot set `QueryLanguage` (AWS: \"Field 'QueryLanguage' is not supported\"); set it on its states or on the state machine",
                        scope.describe(machine)
                    ),
                );
            }
            ScopeKind::Branch { .. } => {
                ctx.report(
                    &META,
                    prop.key_range,
                    format!(
                        "{}: `QueryLanguage` on a branch root is not part of AWS's schema and its states take the state machine's language anyway; set it on its states or on the state machine",
                        scope.describe(machine)
                    ),
                )
                .severity(Severity::Warning);
            }
            ScopeKind::Root => {}
        }
    }

    for state in &machine.states {
        if matches!(state.kind, StateKind::Unknown | StateKind::Missing) {
            continue;
        }
        check_state(ctx, state);
    }
}

fn check_state(ctx: &mut Ctx, state: &State<'_>) {
    let machine = ctx.machine;
    let kind = state.kind;
    let name = state.name;
    let lang = state.query_language;

    if machine.query_language == QueryLanguage::JsonAta
        && let Some(ql) = state.fields.query_language
        && ql.value.as_str() == Some("JSONPath")
    {
        ctx.report(
                    &META,
                    ql.value.range,
                    format!(
                        "state `{name}` sets `QueryLanguage` to JSONPath inside a JSONata state machine, which AWS rejects; convert the state to JSONata, or make the state machine JSONPath and set JSONata on the states that use it"
                    ),
                );
    }

    for prop in distinct_props(state.node()) {
        let Some(field) = fields::state_field(&prop.key) else {
            continue;
        };
        if !field.allowed_on(kind) || field.lang.allows(lang) {
            continue;
        }
        let message = wrong_field(name, field, lang, replacement(kind, field.name), "");
        ctx.report(&META, prop.key_range, message);
    }

    for nested in nested_objects(ctx.text, state) {
        for prop in distinct_props(nested.node) {
            let Some(field) = nested.object.field(&prop.key) else {
                continue;
            };
            if field.lang.allows(lang) {
                continue;
            }
            let hint = match (nested.object, field.name) {
                (Object::Catcher, "ResultPath") => "use `Output` instead".to_owned(),
                (Object::Catcher, "Output") => "use `ResultPath` instead".to_owned(),
                (_, "Parameters") => "use `Arguments` instead".to_owned(),
                (_, "Arguments") => "use `Parameters` instead".to_owned(),
                (_, "RoleArn.$") => {
                    "use `RoleArn` with a `{% ... %}` expression instead".to_owned()
                }
                (_, key) => path_twin(key),
            };
            let place = format!(" in `{}`", nested.place);
            ctx.report(
                &META,
                prop.key_range,
                wrong_field(name, field, lang, hint, &place),
            );
        }
    }

    if kind == StateKind::Choice {
        for (index, rule) in state.choices.iter().enumerate() {
            let place = format!("Choices[{index}]");
            match lang {
                QueryLanguage::JsonAta => {
                    for prop in distinct_props(rule.node) {
                        let Some(field) = fields::Object::ChoiceRule.field(&prop.key) else {
                            continue;
                        };
                        if field.lang.allows(lang) {
                            continue;
                        }
                        let hint = "write the test as a `Condition`, e.g. `\"Condition\": \"{% $states.input.status = 'done' %}\"`".to_owned();
                        ctx.report(
                            &META,
                            prop.key_range,
                            wrong_field(name, field, lang, hint, &format!(" in `{place}`")),
                        );
                    }
                }
                QueryLanguage::JsonPath => {
                    jsonpath_rule(ctx, name, rule.node, &place, true);
                }
            }
        }
    }

    if lang == QueryLanguage::JsonAta {
        for key in ["Arguments", "Output", "Assign", "ItemSelector", "Items"] {
            let allowed = fields::state_field(key).is_some_and(|f| f.allowed_on(kind));
            if let Some(prop) = state.node().get(key).filter(|_| allowed) {
                dollar_keys(ctx, name, key, &prop.value);
            }
        }
        for nested in nested_objects(ctx.text, state) {
            let keys: &[&str] = match nested.object {
                Object::ItemReader | Object::ResultWriter => &["Arguments"],
                Object::ItemBatcher => &["BatchInput"],
                Object::Catcher => &["Output", "Assign"],
                _ => &[],
            };
            for key in keys {
                if let Some(prop) = nested.node.get(key) {
                    dollar_keys(ctx, name, &format!("{}.{key}", nested.place), &prop.value);
                }
            }
        }
        if kind == StateKind::Choice {
            for (index, rule) in state.choices.iter().enumerate() {
                for key in ["Output", "Assign"] {
                    if let Some(prop) = rule.node.get(key) {
                        dollar_keys(ctx, name, &format!("Choices[{index}].{key}"), &prop.value);
                    }
                }
            }
        }
    }
}

/// `Condition` anywhere and `Output` on a top-level rule of a JSONPath Choice state.
fn jsonpath_rule(ctx: &mut Ctx, name: &str, node: &Node, place: &str, top: bool) {
    for prop in distinct_props(node) {
        let key = prop.key.as_str();
        let hint = match key {
            "Condition" => {
                "write the test with `Variable` and a comparison operator such as `StringEquals`"
            }
            "Output" if top => "use the state's `OutputPath` instead",
            _ => {
                if matches!(key, "And" | "Or") {
                    if let Some(items) = prop.value.as_array() {
                        for (i, item) in items.iter().enumerate() {
                            jsonpath_rule(ctx, name, item, &format!("{place}.{key}[{i}]"), false);
                        }
                    }
                } else if key == "Not" {
                    jsonpath_rule(ctx, name, &prop.value, &format!("{place}.Not"), false);
                }
                continue;
            }
        };
        let Some(field) = Object::ChoiceRule.field(key) else {
            continue;
        };
        ctx.report(
            &META,
            prop.key_range,
            wrong_field(
                name,
                field,
                QueryLanguage::JsonPath,
                hint.to_owned(),
                &format!(" in `{place}`"),
            ),
        );
    }
}

/// Reports every key ending in `.$` inside a JSONata payload.
fn dollar_keys(ctx: &mut Ctx, name: &str, field: &str, node: &Node) {
    match &node.value {
        Value::Object(props) => {
            for prop in props {
                if let Some(bare) = prop.key.strip_suffix(".$") {
                    // AWS accepts the key and passes it through unevaluated, as a literal key
                    // named `x.$`: a warning, not an error.
                    ctx.report(
                        &META,
                        prop.key_range,
                        format!(
                            "state `{name}`: `{}` in `{field}` uses the JSONPath `.$` suffix, but JSONata states do not evaluate it (the key and its value are kept as literals); name the key `{bare}` and write its value as a `{{% ... %}}` expression",
                            prop.key
                        ),
                    )
                    .severity(Severity::Warning);
                }
                dollar_keys(ctx, name, field, &prop.value);
            }
        }
        Value::Array(items) => {
            for item in items {
                dollar_keys(ctx, name, field, item);
            }
        }
        _ => {}
    }
}

fn wrong_field(
    name: &str,
    field: &Field,
    lang: QueryLanguage,
    hint: String,
    place: &str,
) -> String {
    let own = match field.lang {
        Lang::JsonAta => "JSONata",
        _ => "JSONPath",
    };
    let hint = if lang == QueryLanguage::JsonPath && hint.is_empty() {
        "add `\"QueryLanguage\": \"JSONata\"` to the state to use it".to_owned()
    } else if lang == QueryLanguage::JsonPath {
        format!("{hint}, or add `\"QueryLanguage\": \"JSONata\"` to the state")
    } else {
        hint
    };
    format!(
        "state `{name}`: `{}`{place} is a {own} field, but the state uses {}; {hint}",
        field.name,
        lang.as_str()
    )
}

/// What to use instead of a state field of the other language.
fn replacement(kind: StateKind, key: &str) -> String {
    let s = match (key, kind) {
        ("InputPath", _) => "read the input through `$states.input` in a `{% ... %}` expression",
        ("Parameters", StateKind::Map) => "use `ItemSelector` instead",
        ("Parameters", StateKind::Pass) => "use `Output` instead",
        ("Parameters", _) => "use `Arguments` instead",
        ("ResultSelector" | "ResultPath" | "OutputPath" | "Result", _) => {
            "shape the state output with `Output` instead"
        }
        ("ItemsPath", _) => "use `Items` instead",
        ("Arguments", _) => "use `Parameters` instead",
        ("Output", _) => "use `ResultSelector`, `ResultPath` or `OutputPath` instead",
        ("Items", _) => "use `ItemsPath` instead",
        _ => return path_twin(key),
    };
    s.to_owned()
}

/// "use `X` with a `{% ... %}` expression instead" for a `XPath` field.
fn path_twin(key: &str) -> String {
    match key.strip_suffix("Path") {
        Some(base) if !base.is_empty() => {
            format!("use `{base}` with a `{{% ... %}}` expression instead")
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, Severity, analyze};
    use asl_syntax::Dialect;

    fn found(text: &str) -> Vec<(String, Severity)> {
        analyze(text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL014")
            .map(|d| (format!("{} {}", d.pointer, d.message), d.severity))
            .collect()
    }

    #[test]
    fn jsonpath_state_in_jsonata_machine() {
        let text = r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}}}"#;
        let found = found(text);
        assert_eq!(found.len(), 1);
        assert!(found[0].0.starts_with("/States/A/QueryLanguage "));
    }

    #[test]
    fn sub_machine_roots() {
        let text = r#"{"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "M", "Branches": [{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]},
            "M": {"Type": "Map", "End": true, "ItemProcessor": {"QueryLanguage": "JSONata", "StartAt": "B", "States": {"B": {"Type": "Succeed"}}}}}}"#;
        let found = found(text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].1, Severity::Warning);
        assert_eq!(found[1].1, Severity::Error);
    }

    #[test]
    fn choice_rules_and_dollar_keys() {
        let text = r#"{"StartAt": "C", "States": {
            "C": {"Type": "Choice", "QueryLanguage": "JSONata", "Default": "T", "Choices": [
                {"Variable": "$.a", "IsPresent": true, "Next": "T"},
                {"Condition": "{% true %}", "Next": "T", "Assign": {"x.$": "$.a"}}]},
            "T": {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                  "Arguments": {"Payload": [{"a.$": "$.a"}]}, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.e"}]},
            "U": {"Type": "Pass", "Output": {}, "End": true},
            "F": {"Type": "Fail"}}}"#;
        let found = found(text);
        let pointers: Vec<&str> = found
            .iter()
            .map(|(m, _)| m.split(' ').next().unwrap())
            .collect();
        assert_eq!(
            pointers,
            [
                "/States/C/Choices/0/Variable",
                "/States/C/Choices/0/IsPresent",
                "/States/C/Choices/1/Assign/x.$",
                "/States/T/Arguments/Payload/0/a.$",
                "/States/T/Catch/0/ResultPath",
                "/States/U/Output",
            ]
        );
    }
}
