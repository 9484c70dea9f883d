use asl_syntax::ast::QueryLanguage;
use asl_syntax::intrinsic::{
    Arg, ArgKind, Call, format_placeholders, looks_like_intrinsic, parse_intrinsic,
};
use asl_syntax::{Node, is_templated, string_range};

use crate::Ctx;
use crate::rule::declare_rule;
use crate::spec::intrinsics::{self, ArgType, Intrinsic};

declare_rule! {
    /// ## What it does
    /// Checks intrinsic function calls (`States.Format(…)`, `States.ArrayRange(…)`, …) in the
    /// values of `.$` template keys and in `ErrorPath`/`CausePath`.
    ///
    /// It checks the call syntax (single-quoted strings and their escapes, paths, nested calls),
    /// the function's name, its number of arguments, a literal argument of the wrong type
    /// (`States.MathAdd(1, '-1')`: a string where a number goes; any literal where an array or
    /// object goes), the `{}` placeholders of a literal `States.Format` template against its
    /// arguments, the algorithm of `States.Hash`, the third argument of `States.JsonMerge` (only
    /// `false`: AWS merges shallowly), `States.JsonToString` on a path, a literal
    /// `States.ArrayRange` step of 0 or more than 1,000 elements, a chunk size below 1 in
    /// `States.ArrayPartition`, more than 10 nested calls, and, in a Fail state's `ErrorPath` or
    /// `CausePath`, a function other than the seven that return a string (`States.Format`,
    /// `States.JsonToString`, `States.ArrayGetItem`, `States.Base64Encode`, `States.Base64Decode`,
    /// `States.Hash`, `States.UUID`). The diagnostic points at the offending part of the call.
    ///
    /// Whitespace between the tokens of a call and after it (`"States.JsonToString($)    "`) is
    /// accepted: LocalStack's intrinsic grammar skips it, and AWS's language service lists such
    /// values among its valid documents. The value must start with the function's name.
    ///
    /// ## Why is this bad?
    /// AWS rejects a definition whose intrinsic calls do not parse or name no function; the
    /// other mistakes fail every execution that reaches the state with
    /// `States.IntrinsicFailure` (a literal's type never changes, and a Fail state's
    /// `ErrorPath`/`CausePath` must resolve to a string).
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
    /// - [Fail state: `ErrorPath`, `CausePath`](https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html)
    /// - LocalStack's intrinsic grammar (`WS: [ \t\n]+ -> skip`): [ASLIntrinsicLexer.g4](https://github.com/localstack/localstack/blob/main/localstack-core/localstack/services/stepfunctions/asl/antlr/ASLIntrinsicLexer.g4)
    /// - AWS's language service, valid documents with trailing whitespace (`documentValidParametersIntrinsicFunction`): [validationStrings.ts](https://github.com/aws/amazon-states-language-service/blob/main/src/tests/json-strings/validationStrings.ts)
    pub(crate) static META = { code: "ASL306", name: "invalid-intrinsic", level: Error }
}

const HASH_ALGORITHMS: &[&str] = &["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];
const MAX_NESTING: usize = 10;

pub(crate) fn check(ctx: &mut Ctx) {
    // (state, place, value, whether it is a Fail state's `ErrorPath`/`CausePath`)
    let mut values: Vec<(String, String, &Node, bool)> = Vec::new();
    for m in ctx.template_members().iter() {
        if m.prop.key.ends_with(".$")
            && let Some(s) = m.prop.value.as_str()
            && (looks_like_intrinsic(s) || s.starts_with("States."))
        {
            values.push((
                m.state.name.to_owned(),
                m.place.clone(),
                &m.prop.value,
                false,
            ));
        }
    }
    for state in &ctx.machine.states {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        for field in ["ErrorPath", "CausePath"] {
            if let Some(p) = state.node().get(field)
                && p.value.as_str().is_some_and(|s| s.starts_with("States."))
            {
                values.push((state.name.to_owned(), field.to_owned(), &p.value, true));
            }
        }
    }
    for (state, place, node, fail_path) in values {
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
                if fail_path {
                    check_fail_path(&call, &mut findings);
                }
                check_call(text, &call, &mut findings);
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

fn check_call(text: &str, call: &Call, out: &mut Vec<(std::ops::Range<usize>, String)>) {
    for arg in &call.args {
        if let ArgKind::Call(inner) = &arg.kind {
            check_call(text, inner, out);
        }
    }
    let name = call.name.as_str();
    let Some(function) = intrinsics::find(name) else {
        let suggestion = crate::names::did_you_mean(name, intrinsics::names());
        out.push((
            call.name_range.clone(),
            format!("calls `{name}`, which is not an intrinsic function{suggestion}"),
        ));
        return;
    };
    let (min, max, params) = (function.min_args, function.max_args, function.params);
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
    for (i, a) in call.args.iter().enumerate() {
        check_literal_type(text, name, function, i, a, out);
    }
    let arg = |i: usize| call.args.get(i);
    match name {
        "States.Format" => {
            // A template of another type than a string is reported above.
            if let Some((ArgKind::String(template), range)) =
                arg(0).map(|a| (&a.kind, a.range.clone()))
            {
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
        }
        "States.Hash" => {
            if let Some(a) = arg(1)
                && let ArgKind::String(alg) = &a.kind
                && !HASH_ALGORITHMS.contains(&alg.as_str())
            {
                out.push((
                    a.range.clone(),
                    format!(
                        "asks `States.Hash` for `{alg}`; the algorithms are {}",
                        HASH_ALGORITHMS.join(", ")
                    ),
                ));
            }
        }
        "States.JsonMerge" => {
            if let Some(a) = arg(2)
                && a.kind == ArgKind::Bool(true)
            {
                out.push((
                        a.range.clone(),
                        "asks `States.JsonMerge` for a deep merge (`true`); Step Functions merges shallowly only: pass `false`".to_owned(),
                    ));
            }
        }
        "States.JsonToString" => {
            if let Some(a) = arg(0)
                && !matches!(a.kind, ArgKind::Path(_))
            {
                out.push((a.range.clone(), "passes `States.JsonToString` something other than a path; it takes a path such as `$.order`".to_owned()));
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
            if let Some(a) = arg(1)
                && let ArgKind::Number(size) = a.kind
                && size.round() < 1.0
            {
                out.push((
                    a.range.clone(),
                    "has a `States.ArrayPartition` chunk size below 1; use a positive size"
                        .to_owned(),
                ));
            }
        }
        _ => {}
    }
}

/// A literal argument of another type than the function takes fails the call with
/// `States.IntrinsicFailure` (asl-spec.md §5.4 gives each argument's type).
fn check_literal_type(
    text: &str,
    name: &str,
    function: &Intrinsic,
    i: usize,
    arg: &Arg,
    out: &mut Vec<(std::ops::Range<usize>, String)>,
) {
    let want = function.arg_type(i);
    let got = match &arg.kind {
        ArgKind::String(_) => Some(ArgType::String),
        ArgKind::Number(_) => Some(ArgType::Number),
        ArgKind::Bool(_) => Some(ArgType::Bool),
        ArgKind::Null => None,
        ArgKind::Path(_) | ArgKind::Call(_) => return,
    };
    if want == ArgType::Any || got == Some(want) {
        return;
    }
    let literal = text.get(arg.range.clone()).unwrap_or("");
    let what = match &arg.kind {
        ArgKind::String(_) => "the string",
        ArgKind::Number(_) => "the number",
        ArgKind::Bool(_) => "the boolean",
        _ => "",
    };
    let how = match (&arg.kind, want) {
        (ArgKind::String(s), ArgType::Number) if s.trim().parse::<f64>().is_ok() => {
            format!(": write `{}` without quotes", s.trim())
        }
        (ArgKind::String(s), ArgType::Bool) if s == "true" || s == "false" => {
            format!(": write `{s}` without quotes")
        }
        (ArgKind::Number(_) | ArgKind::Bool(_), ArgType::String) => {
            format!(": quote it (`'{literal}'`)")
        }
        (_, ArgType::Array | ArgType::Object) => {
            format!(": pass a path to {} such as `$.items`", want.describe())
        }
        _ => String::new(),
    };
    let subject = if what.is_empty() {
        format!("`{literal}`")
    } else {
        format!("{what} `{literal}`")
    };
    out.push((
        arg.range.clone(),
        format!(
            "passes `{name}` {subject} as its {} argument, which must be {} ({name}({})){how}",
            ordinal(i + 1),
            want.describe(),
            function.params
        ),
    ));
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A Fail state's `ErrorPath` and `CausePath` take only the intrinsics that return a string:
/// the Fail state page lists seven.
fn check_fail_path(call: &Call, out: &mut Vec<(std::ops::Range<usize>, String)>) {
    let Some(function) = intrinsics::find(&call.name) else {
        return;
    };
    if function.in_fail_paths {
        return;
    }
    let allowed: Vec<&str> = intrinsics::INTRINSICS
        .iter()
        .filter(|f| f.in_fail_paths)
        .map(|f| f.name)
        .collect();
    out.push((
        call.name_range.clone(),
        format!(
            "calls `{}`, which does not return a string; a Fail state takes one of the intrinsics that do: {}",
            call.name,
            allowed.join(", ")
        ),
    ));
}
