use asl_syntax::is_templated;

use crate::Ctx;
use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a state name that is empty, longer than 80 characters, or contains a control
    /// character (a tab, a newline, ...).
    ///
    /// ## Why is this bad?
    /// AWS rejects such names (`INVALID_STATE_NAME`): state names appear in the execution
    /// history, in metrics and in the console, and are limited to 80 printable characters.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "StartAt": "Say\thello",
    ///   "States": {
    ///     "Say\thello": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "StartAt": "Say hello",
    ///   "States": {
    ///     "Say hello": { "Type": "Pass", "End": true }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon States Language specification: States](https://states-language.net/spec.html)
    /// - [StateEnteredEventDetails: name length 1-80](https://docs.aws.amazon.com/step-functions/latest/apireference/API_StateEnteredEventDetails.html)
    pub(crate) static META = { code: "ASL015", name: "invalid-state-name", level: Error }
}

/// The longest state name AWS accepts, in characters.
const MAX_LEN: usize = 80;

pub(crate) fn check(ctx: &mut Ctx) {
    let machine = ctx.machine;
    for state in &machine.states {
        let name = state.name;
        if is_templated(name) {
            continue;
        }
        let message = if name.is_empty() {
            "a state name cannot be empty; give the state a name".to_owned()
        } else if let Some(c) = name.chars().find(|c| c.is_control()) {
            format!(
                "state name `{}` contains the control character U+{:04X}; remove it from the name (and from the transitions to it)",
                name.escape_debug(),
                u32::from(c)
            )
        } else {
            let len = name.chars().count();
            if len <= MAX_LEN {
                continue;
            }
            let shown: String = name.chars().take(MAX_LEN).collect();
            format!(
                "state name `{shown}…` is {len} characters long; AWS allows at most {MAX_LEN}, shorten it"
            )
        };
        ctx.report(&META, state.prop.key_range, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};
    use asl_syntax::Dialect;

    fn count(name: &str) -> usize {
        let text =
            format!(r#"{{"StartAt": "{name}", "States": {{"{name}": {{"Type": "Succeed"}}}}}}"#);
        analyze(&text, Dialect::Json, &Options::default())
            .into_iter()
            .filter(|d| d.code() == "ASL015")
            .count()
    }

    #[test]
    fn names() {
        assert_eq!(count(""), 1);
        assert_eq!(count(&"é".repeat(80)), 0);
        assert_eq!(count(&"a".repeat(81)), 1);
        assert_eq!(count("a\\u0007b"), 1);
        assert_eq!(count("${StateName}"), 0);
        assert_eq!(count("Spaces and ünïcode are fine"), 0);
    }
}
