//! The one list of rules, in code order.

use crate::context::Ctx;
use crate::rule::RuleMeta;
use crate::rules::*;

/// A rule: its metadata and the function that checks a document (`None` for rules reported by
/// the parser or the suppression engine).
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub(crate) check: Option<fn(&mut Ctx)>,
}

/// Every rule, sorted by code.
#[rustfmt::skip]
pub static RULES: &[Rule] = &[
    // ASL0xx: syntax and shape
    Rule {
        meta: &invalid_json::META,
        check: None,
    },
    Rule {
        meta: &duplicate_key::META,
        check: Some(duplicate_key::check),
    },
    Rule {
        meta: &non_standard_json::META,
        check: Some(non_standard_json::check),
    },
    // (shape rules ASL010-ASL019)
    Rule { meta: &missing_field::META, check: Some(missing_field::check) },
    Rule { meta: &unknown_field::META, check: Some(unknown_field::check) },
    Rule { meta: &invalid_value::META, check: Some(invalid_value::check) },
    Rule { meta: &conflicting_fields::META, check: Some(conflicting_fields::check) },
    Rule { meta: &wrong_query_language::META, check: Some(wrong_query_language::check) },
    Rule { meta: &invalid_state_name::META, check: Some(invalid_state_name::check) },
    Rule { meta: &duplicate_state_name::META, check: Some(duplicate_state_name::check) },
    Rule { meta: &deprecated_field::META, check: Some(deprecated_field::check) },
    Rule { meta: &invalid_label::META, check: Some(invalid_label::check) },
    Rule { meta: &distributed_only_field::META, check: Some(distributed_only_field::check) },
    // ASL1xx: transitions and graph
    Rule { meta: &unknown_target::META, check: Some(unknown_target::check) },
    Rule { meta: &missing_transition::META, check: Some(missing_transition::check) },
    Rule { meta: &unreachable_state::META, check: Some(unreachable_state::check) },
    Rule { meta: &no_terminal_state::META, check: Some(no_terminal_state::check) },
    Rule { meta: &no_terminal_path::META, check: Some(no_terminal_path::check) },
    Rule { meta: &choice_without_default::META, check: Some(choice_without_default::check) },
    Rule { meta: &invalid_choice_rule::META, check: Some(invalid_choice_rule::check) },
    Rule { meta: &shadowed_choice_rule::META, check: Some(shadowed_choice_rule::check) },
    Rule { meta: &useless_pass::META, check: Some(useless_pass::check) },
    // ASL2xx: error handling, retries, timeouts
    Rule { meta: &states_all_not_last::META, check: Some(states_all_not_last::check) },
    Rule { meta: &shadowed_handler::META, check: Some(shadowed_handler::check) },
    Rule { meta: &uncatchable_error::META, check: Some(uncatchable_error::check) },
    Rule { meta: &unknown_error_name::META, check: Some(unknown_error_name::check) },
    Rule { meta: &impossible_error::META, check: Some(impossible_error::check) },
    Rule { meta: &catch_replaces_input::META, check: Some(catch_replaces_input::check) },
    Rule { meta: &retry_all_errors::META, check: Some(retry_all_errors::check) },
    Rule { meta: &unbounded_backoff::META, check: Some(unbounded_backoff::check) },
    Rule { meta: &retry_storm::META, check: Some(retry_storm::check) },
    Rule { meta: &lambda_missing_retry::META, check: Some(lambda_missing_retry::check) },
    Rule { meta: &missing_timeout::META, check: Some(missing_timeout::check) },
    Rule { meta: &missing_heartbeat::META, check: Some(missing_heartbeat::check) },
    Rule { meta: &heartbeat_exceeds_timeout::META, check: Some(heartbeat_exceeds_timeout::check) },
    Rule { meta: &unknown_service_error::META, check: Some(unknown_service_error::check) },
    // ASL3xx: paths, templates, intrinsics, JSONata, variables
    Rule { meta: &invalid_path::META, check: Some(invalid_path::check) },
    Rule { meta: &invalid_template_value::META, check: Some(invalid_template_value::check) },
    Rule { meta: &missing_dollar_suffix::META, check: Some(missing_dollar_suffix::check) },
    Rule { meta: &path_in_literal_field::META, check: Some(path_in_literal_field::check) },
    Rule { meta: &static_pass_result::META, check: Some(static_pass_result::check) },
    Rule { meta: &invalid_intrinsic::META, check: Some(invalid_intrinsic::check) },
    Rule { meta: &invalid_jsonata::META, check: Some(invalid_jsonata::check) },
    Rule { meta: &misplaced_states_variable::META, check: Some(misplaced_states_variable::check) },
    Rule { meta: &jsonata_in_jsonpath::META, check: Some(jsonata_in_jsonpath::check) },
    Rule { meta: &map_context_outside_selector::META, check: Some(map_context_outside_selector::check) },
    Rule { meta: &undefined_variable::META, check: Some(undefined_variable::check) },
    Rule { meta: &unused_variable::META, check: Some(unused_variable::check) },
    Rule { meta: &variable_scope::META, check: Some(variable_scope::check) },
    Rule { meta: &reserved_variable::META, check: Some(reserved_variable::check) },
    Rule { meta: &same_state_assign_read::META, check: Some(same_state_assign_read::check) },
    Rule { meta: &unresolvable_path::META, check: Some(unresolvable_path::check) },
    // ASL4xx: integrations and workflow type
    Rule { meta: &invalid_resource::META, check: Some(invalid_resource::check) },
    Rule { meta: &unsupported_integration_pattern::META, check: Some(unsupported_integration_pattern::check) },
    Rule { meta: &express_unsupported::META, check: Some(express_unsupported::check) },
    Rule { meta: &legacy_lambda_arn::META, check: Some(legacy_lambda_arn::check) },
    Rule { meta: &hardcoded_account::META, check: Some(hardcoded_account::check) },
    Rule { meta: &http_task_config::META, check: Some(http_task_config::check) },
    Rule { meta: &unknown_integration::META, check: Some(unknown_integration::check) },
    Rule { meta: &unknown_parameter::META, check: Some(unknown_parameter::check) },
    Rule { meta: &missing_parameter::META, check: Some(missing_parameter::check) },
    Rule { meta: &invalid_parameter_value::META, check: Some(invalid_parameter_value::check) },
    // ASL5xx: limits and quotas
    Rule { meta: &history_limit::META, check: Some(history_limit::check) },
    Rule { meta: &unbounded_map_concurrency::META, check: Some(unbounded_map_concurrency::check) },
    Rule { meta: &definition_too_large::META, check: Some(definition_too_large::check) },
    Rule { meta: &payload_literal_too_large::META, check: Some(payload_literal_too_large::check) },
    // ASL9xx: the linter itself
    Rule {
        meta: &unused_suppression::META,
        check: None,
    },
    Rule {
        meta: &unknown_rule::META,
        check: None,
    },
    Rule {
        meta: &internal_error::META,
        check: None,
    },
];

/// The rule with this code (`ASL101`, any case) or name (`unknown-target`).
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta)
        .find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}

/// Every rule's metadata, in code order.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|r| r.meta)
}
