use asl_syntax::ast::QueryLanguage;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `{% ... %}` string in a JSONPath state.
    ///
    /// ## Why is this bad?
    /// Only JSONata states evaluate `{% %}` expressions; in a JSONPath state the text is passed
    /// as it is. Set `"QueryLanguage": "JSONata"` on the state (or the machine), or write the
    /// JSONPath form (`"key.$": "$.path"`).
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Shape",
    ///   "States": {
    ///     "Shape": { "Type": "Pass", "Parameters": { "total": "{% $states.input.a + 1 %}" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Shape",
    ///   "States": {
    ///     "Shape": { "Type": "Pass", "QueryLanguage": "JSONata", "Output": { "total": "{% $states.input.a + 1 %}" }, "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Query languages](https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
    pub(crate) static META = { code: "ASL309", name: "jsonata-in-jsonpath", level: Warning }
}

pub(crate) fn check(ctx: &mut Ctx) {
    for js in ctx.jsonata_strings().iter() {
        if js.state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        ctx.report(
            &META,
            js.node.range,
            format!(
                "state `{}`: `{}` holds a JSONata expression, but the state uses JSONPath, so it is passed as text; set `\"QueryLanguage\": \"JSONata\"` or use a JSONPath `.$` key",
                js.state.name, js.place
            ),
        );
    }
}
