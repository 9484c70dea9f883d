use asl_syntax::ast::QueryLanguage;
use asl_syntax::intrinsic::{
    ArgKind, Call, format_placeholders, looks_like_intrinsic, parse_intrinsic,
};
use asl_syntax::{Node, is_templated, string_range};

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks intrinsic function calls (`States.Format(…)`, `States.ArrayRange(…)`, …) in the
    /// values of `.$` template keys and in `ErrorPath`/`CausePath`: the call syntax (single-quoted
    /// strings and their escapes, paths, nested calls), the function's name, its number of
    /// arguments, the `{}` placeholders of a literal `States.Format` template against its
    /// arguments, the algorithm of `States.Hash`, the third argument of `States.JsonMerge`
    /// (only `false`: AWS merges shallowly), `States.JsonToString` on a path, a literal
    /// `States.ArrayRange` step of 0 or more than 1,000 elements, a chunk size below 1 in
    /// `States.ArrayPartition`, and more than 10 nested calls. The diagnostic points at the
    /// offending part of the call.
    ///
    /// ## Why is this bad?
    /// AWS rejects a definition whose intrinsic calls do not parse or name no function; the
    /// other mistakes fail every execution that reaches the state with
    /// `States.IntrinsicFailure`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Greet",
    ///   "States": {
    ///     "Greet": {
    ///       "Type": "Pass",
    ///       "Parameters": { "greeting.$": "States.Format('Hello {} {}', $.first)" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Greet",
    ///   "States": {
    ///     "Greet": {
    ///       "Type": "Pass",
    ///       "Parameters": { "greeting.$": "States.Format('Hello {} {}', $.first, $.last)" },
    ///       "End": true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Intrinsic functions](https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html)
    pub(crate) static META = { code: "ASL306", name: "invalid-intrinsic", level: Error }
}

/// Name, fewest and most arguments (`None`: any number), the argument list, and what it does
/// (asl-spec.md §5.4). Hover and completion show them too.
pub(crate) const FUNCTIONS: &[(&str, usize, Option<usize>, &str, &str)] = &[
    (
        "States.Format",
        1,
        None,
        "template, values...",
        "Builds a string: each `{}` of the template is replaced by the next value (values must be scalars; escape literal braces as `\\{` `\\}`).",
    ),
    (
        "States.StringToJson",
        1,
        Some(1),
        "string",
        "Parses a string of escaped JSON into JSON.",
    ),
    (
        "States.JsonToString",
        1,
        Some(1),
        "path",
        "Serialises the JSON at a path into a string.",
    ),
    (
        "States.Array",
        0,
        None,
        "values...",
        "Makes an array of its arguments.",
    ),
    (
        "States.ArrayPartition",
        2,
        Some(2),
        "array, chunkSize",
        "Splits an array into chunks of `chunkSize` items (a positive integer).",
    ),
    (
        "States.ArrayContains",
        2,
        Some(2),
        "array, value",
        "True when the array holds the value.",
    ),
    (
        "States.ArrayRange",
        3,
        Some(3),
        "start, end, step",
        "Makes the array start, start+step, ... up to end (at most 1,000 items; step not 0).",
    ),
    (
        "States.ArrayGetItem",
        2,
        Some(2),
        "array, index",
        "The item at `index` (0-based).",
    ),
    (
        "States.ArrayLength",
        1,
        Some(1),
        "array",
        "The number of items of an array.",
    ),
    (
        "States.ArrayUnique",
        1,
        Some(1),
        "array",
        "The array without duplicate values.",
    ),
    (
        "States.Base64Encode",
        1,
        Some(1),
        "string",
        "Encodes a string (up to 10,000 characters) as Base64.",
    ),
    (
        "States.Base64Decode",
        1,
        Some(1),
        "base64",
        "Decodes a Base64 string (up to 10,000 characters).",
    ),
    (
        "States.Hash",
        2,
        Some(2),
        "data, algorithm",
        "The hash of the data: `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`.",
    ),
    (
        "States.JsonMerge",
        3,
        Some(3),
        "object, object, false",
        "Merges two objects shallowly (the third argument must be `false`).",
    ),
    (
        "States.MathRandom",
        2,
        Some(3),
        "start, end[, seed]",
        "A random integer from start (included) to end (excluded).",
    ),
    (
        "States.MathAdd",
        2,
        Some(2),
        "a, b",
        "The sum of two integers.",
    ),
    (
        "States.StringSplit",
        2,
        Some(2),
        "string, delimiters",
        "Splits a string at each of the delimiter characters.",
    ),
    ("States.UUID", 0, Some(0), "", "A version 4 UUID."),
];

const HASH_ALGORITHMS: &[&str] = &["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];
const MAX_NESTING: usize = 10;

pub(crate) fn check(ctx: &mut Ctx) {
    let mut values: Vec<(String, String, &Node)> = Vec::new();
    for m in ctx.template_members().iter() {
        if m.prop.key.ends_with(".$") {
            if let Some(s) = m.prop.value.as_str() {
                if looks_like_intrinsic(s) || s.starts_with("States.") {
                    values.push((m.state.name.to_owned(), m.place.clone(), &m.prop.value));
                }
            }
        }
    }
    for state in &ctx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        for field in ["ErrorPath", "CausePath"] {
            if let Some(p) = state.node().get(field) {
                if p.value.as_str().is_some_and(|s| s.starts_with("States.")) {
                    values.push((state.name.to_owned(), field.to_owned(), &p.value));
                }
            }
        }
    }
    for (state, place, node) in values {
        let Some(text) = node.as_str() else { continue };
        if is_templated(text) {
            continue;
        }
        let mut findings: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        match parse_intrinsic(text) {
            Err(e) => findings.push((
                e.range,
                format!("is not a valid intrinsic call: {}", e.message),
            )),
            Ok(call) => {
                if call.depth() > MAX_NESTING {
                    findings.push((
                        call.name_range.clone(),
                        format!(
                            "nests {} calls; Step Functions allows at most {MAX_NESTING}",
                            call.depth()
                        ),
                    ));
                }
                check_call(&call, &mut findings);
            }
        }
        for (range, problem) in findings {
            let at = if range.is_empty() {
                node.range
            } else {
                string_range(ctx.text, node, range)
            };
            ctx.report(&META, at, format!("state `{state}`: `{place}` {problem}"));
        }
    }
}

fn check_call(call: &Call, out: &mut Vec<(std::ops::Range<usize>, String)>) {
    for arg in &call.args {
        if let ArgKind::Call(inner) = &arg.kind {
            check_call(inner, out);
        }
    }
    let name = call.name.as_str();
    let Some(&(_, min, max, params, _)) = FUNCTIONS.iter().find(|f| f.0 == name) else {
        let suggestion = crate::names::did_you_mean(name, FUNCTIONS.iter().map(|f| f.0));
        out.push((
            call.name_range.clone(),
            format!("calls `{name}`, which is not an intrinsic function{suggestion}"),
        ));
        return;
    };
    let n = call.args.len();
    if n < min || max.is_some_and(|m| n > m) {
        let wanted = match max {
            Some(m) if m == min => format!("{m}"),
            Some(m) => format!("{min} to {m}"),
            None => format!("at least {min}"),
        };
        out.push((
            call.name_range.clone(),
            format!(
                "calls `{name}` with {n} argument{}; it takes {wanted} ({name}({params}))",
                if n == 1 { "" } else { "s" }
            ),
        ));
        return;
    }
    let arg = |i: usize| call.args.get(i);
    match name {
        "States.Format" => match arg(0).map(|a| (&a.kind, a.range.clone())) {
            Some((ArgKind::String(template), range)) => {
                let holes = format_placeholders(template);
                if holes != n - 1 {
                    out.push((
                        range,
                        format!(
                            "has a `States.Format` template with {holes} `{{}}` placeholder{} but {} value{}; give one value per `{{}}`",
                            if holes == 1 { "" } else { "s" },
                            n - 1,
                            if n == 2 { "" } else { "s" }
                        ),
                    ));
                }
            }
            Some((ArgKind::Path(_) | ArgKind::Call(_), _)) | None => {}
            Some((_, range)) => out.push((
                range,
                "passes `States.Format` a template that is not a string".to_owned(),
            )),
        },
        "States.Hash" => {
            if let Some(a) = arg(1) {
                if let ArgKind::String(alg) = &a.kind {
                    if !HASH_ALGORITHMS.contains(&alg.as_str()) {
                        out.push((
                            a.range.clone(),
                            format!(
                                "asks `States.Hash` for `{alg}`; the algorithms are {}",
                                HASH_ALGORITHMS.join(", ")
                            ),
                        ));
                    }
                }
            }
        }
        "States.JsonMerge" => {
            if let Some(a) = arg(2) {
                if a.kind == ArgKind::Bool(true) {
                    out.push((
                        a.range.clone(),
                        "asks `States.JsonMerge` for a deep merge (`true`); Step Functions merges shallowly only: pass `false`".to_owned(),
                    ));
                }
            }
        }
        "States.JsonToString" => {
            if let Some(a) = arg(0) {
                if !matches!(a.kind, ArgKind::Path(_)) {
                    out.push((a.range.clone(), "passes `States.JsonToString` something other than a path; it takes a path such as `$.order`".to_owned()));
                }
            }
        }
        "States.ArrayRange" => {
            let num = |i: usize| match arg(i).map(|a| &a.kind) {
                Some(ArgKind::Number(x)) => Some(x.round()),
                _ => None,
            };
            if let (Some(step), Some(a)) = (num(2), arg(2)) {
                if step == 0.0 {
                    out.push((
                        a.range.clone(),
                        "has a `States.ArrayRange` step of 0; use a step that is not 0".to_owned(),
                    ));
                } else if let (Some(start), Some(end)) = (num(0), num(1)) {
                    let count = ((end - start) / step).floor() + 1.0;
                    if count > 1000.0 {
                        out.push((
                            call.name_range.clone(),
                            format!("makes a `States.ArrayRange` of {count} elements; the limit is 1,000"),
                        ));
                    }
                }
            }
        }
        "States.ArrayPartition" => {
            if let Some(a) = arg(1) {
                if let ArgKind::Number(size) = a.kind {
                    if size.round() < 1.0 {
                        out.push((
                            a.range.clone(),
                            "has a `States.ArrayPartition` chunk size below 1; use a positive size"
                                .to_owned(),
                        ));
                    }
                }
            }
        }
        _ => {}
    }
}
