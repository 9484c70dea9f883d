use asl_syntax::ast::{ChoiceRule, QueryLanguage, State};
use asl_syntax::jsonpath::{PathRoot, parse_path};
use asl_syntax::{Node, Property, is_templated, string_range};

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a malformed JSONPath in a field that takes one (`InputPath`, `OutputPath`,
    /// `ResultPath`, `ItemsPath`, the `…Path` fields, a Choice rule's `Variable` and `…Path`
    /// comparisons), a Reference Path field (`ResultPath`, `ItemsPath`, `SecondsPath`, …) that
    /// uses a wildcard, a union, a slice, a deep scan, a filter or a function, and a `ResultPath`
    /// that starts with `$$` or names a variable. The diagnostic points at the offending part of
    /// the string.
    ///
    /// ## Why is this bad?
    /// AWS rejects a definition whose paths do not parse. A Reference Path must identify exactly
    /// one node, because the state reads or writes that single place; `ResultPath` writes into
    /// the state's output, so it can name neither the context object nor a variable.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": {
    ///       "Type": "Pass",
    ///       "ResultPath": "$.results[*]",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Save",
    ///   "States": {
    ///     "Save": {
    ///       "Type": "Pass",
    ///       "ResultPath": "$.results",
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language: Paths](https://states-language.net/spec.html#path)
    /// - [Reference Paths](https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html)
    pub(crate) static META = { code: "ASL301", name: "invalid-path", level: Error }
}

/// What a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Any path (`InputPath`, `OutputPath`, a Choice rule's `Variable`).
    Path,
    /// A Reference Path: one node only.
    Reference,
    /// `ResultPath`: a Reference Path on the input, never `$$` or a variable.
    Result,
}

/// State fields holding a path, and the kind each takes (asl-spec.md §5.1).
const STATE_FIELDS: &[(&str, Kind)] = &[
    ("InputPath", Kind::Path),
    ("OutputPath", Kind::Path),
    ("ResultPath", Kind::Result),
    ("ItemsPath", Kind::Reference),
    ("SecondsPath", Kind::Reference),
    ("TimestampPath", Kind::Reference),
    ("TimeoutSecondsPath", Kind::Reference),
    ("HeartbeatSecondsPath", Kind::Reference),
    ("MaxConcurrencyPath", Kind::Reference),
    ("ToleratedFailureCountPath", Kind::Reference),
    ("ToleratedFailurePercentagePath", Kind::Reference),
    ("ErrorPath", Kind::Reference),
    ("CausePath", Kind::Reference),
];

pub(crate) fn check(ctx: &mut Ctx) {
    for state in &ctx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let node = state.node();
        for &(field, kind) in STATE_FIELDS {
            if let Some(prop) = node.get(field) {
                // `ErrorPath`/`CausePath` may hold an intrinsic call instead.
                let intrinsic = matches!(field, "ErrorPath" | "CausePath")
                    && prop
                        .value
                        .as_str()
                        .is_some_and(|s| s.starts_with("States."));
                if !intrinsic {
                    check_value(ctx, state, &|| field.to_owned(), prop, kind);
                }
            }
        }
        for (i, catcher) in state.catchers.iter().enumerate() {
            if let Some(prop) = catcher.fields.result_path {
                check_value(
                    ctx,
                    state,
                    &|| format!("Catch[{i}].ResultPath"),
                    prop,
                    Kind::Result,
                );
            }
        }
        for (object, fields) in [
            ("ItemReader", &["ReaderConfig"][..]),
            ("ItemBatcher", &[][..]),
        ] {
            let Some(holder) = node.get(object) else {
                continue;
            };
            let mut places: Vec<(&Node, String)> = vec![(&holder.value, object.to_owned())];
            for inner in fields {
                if let Some(p) = holder.value.get(inner) {
                    places.push((&p.value, format!("{object}.{inner}")));
                }
            }
            for (n, place) in places {
                for prop in n.as_object().unwrap_or(&[]) {
                    if prop.key.ends_with("Path") {
                        check_value(
                            ctx,
                            state,
                            &|| format!("{place}.{}", prop.key),
                            prop,
                            Kind::Reference,
                        );
                    }
                }
            }
        }
        for (i, rule) in state.choices.iter().enumerate() {
            check_rule(ctx, state, rule, &format!("Choices[{i}]"));
        }
    }
    // The paths of `.$` template keys (intrinsic calls are checked by invalid-intrinsic).
    for m in ctx.template_members().iter() {
        if m.prop.key.ends_with(".$") && m.prop.value.as_str().is_some_and(|s| s.starts_with('$')) {
            check_value(ctx, m.state, &|| m.place.clone(), m.prop, Kind::Path);
        }
    }
}

fn check_rule(ctx: &mut Ctx, state: &State<'_>, rule: &ChoiceRule<'_>, place: &str) {
    if let Some(variable) = rule.fields.variable {
        check_value(
            ctx,
            state,
            &|| format!("{place}.Variable"),
            variable,
            Kind::Path,
        );
    }
    for op in &rule.operators {
        if op.key.ends_with("Path") {
            check_value(
                ctx,
                state,
                &|| format!("{place}.{}", op.key),
                op,
                Kind::Path,
            );
        }
    }
    // `nested` holds the `And` items, then the `Or` items, then `Not` (as ChoiceRule builds it).
    let mut places = Vec::new();
    for (key, list) in [("And", rule.fields.and), ("Or", rule.fields.or)] {
        let count = list
            .and_then(|p| p.value.as_array())
            .map_or(0, <[Node]>::len);
        places.extend((0..count).map(|i| format!("{place}.{key}[{i}]")));
    }
    places.push(format!("{place}.Not"));
    for (nested, at) in rule.nested.iter().zip(places) {
        check_rule(ctx, state, nested, &at);
    }
}

/// `field` names the place for a message; it is built only when there is one.
fn check_value(
    ctx: &mut Ctx,
    state: &State<'_>,
    field: &dyn Fn() -> String,
    prop: &Property,
    kind: Kind,
) {
    let Some(value) = prop.value.as_str() else {
        return; // null, or a wrong type reported by invalid-value
    };
    if is_templated(value) {
        return;
    }
    let at = |range: std::ops::Range<usize>| string_range(ctx.text, &prop.value, range);
    let name = state.name;
    match parse_path(value) {
        Err(e) => {
            let range = if e.range.is_empty() {
                prop.value.range
            } else {
                at(e.range)
            };
            ctx.report(
                &META,
                range,
                format!(
                    "state `{name}`: `{}` is not a valid path: {}",
                    field(),
                    e.message
                ),
            );
        }
        Ok(path) => {
            if kind == Kind::Result {
                let problem = match path.root {
                    PathRoot::Context => Some(
                        "cannot start with `$$`: it writes into the state's output, not the context object",
                    ),
                    PathRoot::Variable(_) => {
                        Some("cannot name a variable: assign variables with `Assign`")
                    }
                    PathRoot::Input => None,
                };
                if let Some(problem) = problem {
                    ctx.report(
                        &META,
                        at(path.root_range.clone()),
                        format!("state `{name}`: `{}` {problem}", field()),
                    );
                    return;
                }
            }
            if kind != Kind::Path
                && let Some((feature, range)) = path.features.non_reference()
            {
                ctx.report(
                        &META,
                        at(range),
                        format!(
                            "state `{name}`: `{}` is a Reference Path and cannot use {feature}; name exactly one node, such as `$.items` or `$.items[0]`",
                            field()
                        ),
                    );
            }
        }
    }
}
