use asl_syntax::ast::QueryLanguage;
use asl_syntax::jsonata::parse_jsonata;
use asl_syntax::string_range;

use crate::Ctx;
use crate::jsonata_strings::body;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks every `{% ... %}` expression of a JSONata state: whitespace outside the delimiters,
    /// the JSONata grammar (operators, paths, predicates, blocks, `:=`, function definitions,
    /// calls, conditionals, regular expressions, constructors), and Step Functions'
    /// restrictions: no implicit input (`$`, `$$`, or a path that starts with a field name
    /// outside a predicate; read `$states.input` instead) and no `$eval`. The diagnostic points at
    /// the offending token.
    ///
    /// ## Why is this bad?
    /// AWS rejects a definition whose expressions do not parse or read the input implicitly. A
    /// string with spaces around its delimiters is not an expression at all: it is passed as
    /// text (reported as a warning, since AWS accepts it).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Total",
    ///   "States": {
    ///     "Total": { "Type": "Pass", "Output": "{% order.total * (1 + $states.input.tax %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "QueryLanguage": "JSONata",
    ///   "StartAt": "Total",
    ///   "States": {
    ///     "Total": { "Type": "Pass", "Output": "{% $states.input.order.total * (1 + $states.input.tax) %}", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Transforming data with JSONata](https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
    /// - [JSONata](https://docs.jsonata.org/)
    pub(crate) static META = { code: "ASL307", name: "invalid-jsonata", level: Error }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for js in ctx.jsonata_strings().iter() {
        if js.state.query_language != QueryLanguage::JsonAta {
            continue;
        }
        let Some(s) = js.node.as_str() else { continue };
        if asl_syntax::is_templated(s) {
            continue;
        }
        let name = js.state.name;
        let place = &js.place;
        let at = |r: std::ops::Range<usize>| string_range(ctx.text, js.node, r);
        if s.trim() != s {
            // AWS takes such a string as a literal (LocalStack's snapshots, recorded against
            // AWS, keep them as constants): a likely mistake, not a rejected definition.
            let level = ctx.options.level(&META).severity();
            let d = ctx.report(
                &META,
                js.node.range,
                format!("state `{name}`: `{place}` has whitespace outside `{{% %}}`, so it is a plain string, not an expression; remove the spaces around the delimiters"),
            );
            if level == Some(crate::Severity::Error) {
                d.severity(crate::Severity::Warning);
            }
            continue;
        }
        let Some((expr, offset)) = body(s) else {
            continue;
        };
        let shift = |r: std::ops::Range<usize>| r.start + offset..r.end + offset;
        match parse_jsonata(expr) {
            Err(e) => {
                let range = if e.range.is_empty() {
                    js.node.range
                } else {
                    at(shift(e.range))
                };
                ctx.report(
                    &META,
                    range,
                    format!(
                        "state `{name}`: `{place}` is not a valid JSONata expression: {}",
                        e.message
                    ),
                );
            }
            Ok(parsed) => {
                for r in parsed.context_refs {
                    ctx.report(
                        &META,
                        at(shift(r)),
                        format!("state `{name}`: `{place}` reads `$` or `$$`, which Step Functions does not provide; read the input with `$states.input` and the context with `$states.context`"),
                    );
                }
                for r in parsed.bare_paths {
                    let field = expr.get(r.clone()).unwrap_or("");
                    // `States.Format(...)` in JSONata: an intrinsic of the other query language.
                    let rest = expr.get(r.start..).unwrap_or("");
                    let intrinsic = crate::spec::intrinsics::names().find(|f| {
                        rest.starts_with(f)
                            && rest
                                .get(f.len()..)
                                .is_some_and(|t| t.trim_start().starts_with('('))
                    });
                    if let Some(f) = intrinsic {
                        let end = r.start + f.len();
                        ctx.report(
                            &crate::rules::wrong_query_language::META,
                            at(shift(r.start..end)),
                            format!(
                                "state `{name}`: `{place}` calls the intrinsic `{}`, which exists only in JSONPath states; use JSONata's own functions (`$string`, `$join`, `$uuid()`, ...) here",
                                f
                            ),
                        );
                        continue;
                    }
                    ctx.report(
                        &META,
                        at(shift(r)),
                        format!("state `{name}`: `{place}` reads `{field}` from an implicit input, which Step Functions does not provide; write `$states.input.{field}`"),
                    );
                }
                for (var, r) in parsed.functions {
                    if var == "eval" {
                        ctx.report(
                            &META,
                            at(shift(r)),
                            format!("state `{name}`: `{place}` calls `$eval`, which Step Functions does not support"),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::{Dialect, Encoding, LineIndex};

    /// Line and column (1-based, in characters) and text of each finding of `code` in `text`.
    fn places(text: &str, code: &str) -> Vec<(u32, u32, String)> {
        let lines = LineIndex::new(text);
        analyze(text, Dialect::Yaml, &Options::default())
            .into_iter()
            .filter(|d| d.code() == code)
            .map(|d| {
                let at = lines.line_col(text, d.range.start(), Encoding::Utf32);
                (at.line + 1, at.col + 1, text[d.range].to_owned())
            })
            .collect()
    }

    #[test]
    fn findings_on_continuation_lines_are_where_the_text_is() {
        // Issue 13: a finding on a continuation line of a multi-line YAML scalar was reported
        // in its indentation (8:8); the `)` is at 8:16.
        let head =
            "QueryLanguage: JSONata\nStartAt: Ä\nStates:\n  Ä:\n    Type: Pass\n    End: true\n";
        for (line, output) in [
            (9, "    Output: >-\n      {% $é +\n               ) %}\n"),
            (9, "    Output: |-\n      {% $é +\n               ) %}\n"),
            (8, "    Output: \"{% $é +\n               ) %}\"\n"),
            (8, "    Output: '{% $é +\n               ) %}'\n"),
        ] {
            let text = format!("{head}{output}");
            let found = places(&text, "ASL307");
            assert_eq!(found, [(line, 16, ")".to_owned())], "{output}");
        }
        // A plain scalar (a JSONata one would start a flow mapping).
        let text = "StartAt: Ä\nStates:\n  Ä:\n    Type: Pass\n    End: true\n    Parameters:\n      x.$: States.Format('é{}',\n        $.b[)\n";
        assert_eq!(places(text, "ASL306"), [(8, 13, ")".to_owned())]);
    }
}
