//! One file per rule. Each file declares its metadata and documentation with `declare_rule!`
//! and, unless the rule is produced elsewhere (parsing, suppressions), a `check` function.
//! [`crate::registry`] is the one list of them.

// ASL0xx: syntax and shape
pub(crate) mod duplicate_key;
pub(crate) mod invalid_json;
pub(crate) mod non_standard_json;
// (shape rules ASL010-ASL019)
pub(crate) mod conflicting_fields;
pub(crate) mod deprecated_field;
pub(crate) mod distributed_only_field;
pub(crate) mod duplicate_state_name;
pub(crate) mod invalid_label;
pub(crate) mod invalid_state_name;
pub(crate) mod invalid_value;
pub(crate) mod missing_field;
pub(crate) mod unknown_field;
pub(crate) mod wrong_query_language;

// ASL1xx: transitions and graph
pub(crate) mod choice_without_default;
pub(crate) mod invalid_choice_rule;
pub(crate) mod missing_transition;
pub(crate) mod no_terminal_path;
pub(crate) mod no_terminal_state;
pub(crate) mod shadowed_choice_rule;
pub(crate) mod unknown_target;
pub(crate) mod unreachable_state;
pub(crate) mod useless_pass;

// ASL2xx: error handling, retries, timeouts
pub(crate) mod catch_replaces_input;
pub(crate) mod heartbeat_exceeds_timeout;
pub(crate) mod impossible_error;
pub(crate) mod lambda_missing_retry;
pub(crate) mod missing_heartbeat;
pub(crate) mod missing_timeout;
pub(crate) mod retry_all_errors;
pub(crate) mod retry_storm;
pub(crate) mod shadowed_handler;
pub(crate) mod states_all_not_last;
pub(crate) mod unbounded_backoff;
pub(crate) mod uncatchable_error;
pub(crate) mod unknown_error_name;
pub(crate) mod unknown_service_error;

use asl_syntax::ast::{Machine, State};
use asl_syntax::{Node, Property};

/// One retrier or catcher, with its error names.
pub(crate) struct Handler<'a> {
    pub state: &'a State<'a>,
    /// `Retry` or `Catch`.
    pub list: &'static str,
    /// `Retry[0]`, `Catch[1]`.
    pub place: String,
    pub node: &'a Node,
    pub error_equals: Option<&'a Property>,
    /// The string names of `ErrorEquals`, with their nodes.
    pub errors: Vec<(&'a str, &'a Node)>,
}

/// Every retrier and catcher of the machine, in source order per state.
pub(crate) fn handlers<'a>(machine: &'a Machine<'a>) -> Vec<Handler<'a>> {
    let mut out = Vec::new();
    for state in &machine.states {
        let lists = [
            (
                "Retry",
                state
                    .retriers
                    .iter()
                    .map(|r| (r.node, r.fields.error_equals))
                    .collect::<Vec<_>>(),
            ),
            (
                "Catch",
                state
                    .catchers
                    .iter()
                    .map(|c| (c.node, c.fields.error_equals))
                    .collect(),
            ),
        ];
        for (list, items) in lists {
            for (i, (node, error_equals)) in items.into_iter().enumerate() {
                let errors = error_equals
                    .and_then(|p| p.value.as_array())
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|n| {
                        n.as_str()
                            .filter(|s| !asl_syntax::is_templated(s))
                            .map(|s| (s, n))
                    })
                    .collect();
                out.push(Handler {
                    state,
                    list,
                    place: format!("{list}[{i}]"),
                    node,
                    error_equals,
                    errors,
                });
            }
        }
    }
    out
}

// ASL3xx: paths, templates, intrinsics, JSONata, variables
pub(crate) mod invalid_intrinsic;
pub(crate) mod invalid_jsonata;
pub(crate) mod invalid_path;
pub(crate) mod invalid_template_value;
pub(crate) mod jsonata_in_jsonpath;
pub(crate) mod map_context_outside_selector;
pub(crate) mod misplaced_states_variable;
pub(crate) mod missing_dollar_suffix;
pub(crate) mod path_in_literal_field;
pub(crate) mod reserved_variable;
pub(crate) mod same_state_assign_read;
pub(crate) mod static_pass_result;
pub(crate) mod undefined_variable;
pub(crate) mod unresolvable_path;
pub(crate) mod unused_variable;
pub(crate) mod variable_scope;

// ASL4xx: integrations and workflow type
pub(crate) mod express_unsupported;
pub(crate) mod hardcoded_account;
pub(crate) mod http_task_config;
pub(crate) mod invalid_parameter_value;
pub(crate) mod invalid_resource;
pub(crate) mod legacy_lambda_arn;
pub(crate) mod missing_parameter;
pub(crate) mod unknown_integration;
pub(crate) mod unknown_parameter;
pub(crate) mod unsupported_integration_pattern;

// ASL5xx: limits and quotas
pub(crate) mod definition_too_large;
pub(crate) mod history_limit;
pub(crate) mod payload_literal_too_large;
pub(crate) mod unbounded_map_concurrency;

// ASL9xx: the linter itself
pub(crate) mod internal_error;
pub(crate) mod unknown_rule;
pub(crate) mod unused_suppression;
