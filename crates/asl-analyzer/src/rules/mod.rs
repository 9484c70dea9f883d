//! One file per rule. Each file declares its metadata and documentation with `declare_rule!`
//! and, unless the rule is produced elsewhere (parsing, suppressions), a `check` function.
//! [`crate::registry`] is the one list of them.

// ASL0xx: syntax and shape
pub(crate) mod duplicate_key;
pub(crate) mod invalid_json;
pub(crate) mod non_standard_json;
// (shape rules ASL010-ASL019)

// ASL1xx: transitions and graph

// ASL2xx: error handling, retries, timeouts

// ASL9xx: the linter itself
pub(crate) mod internal_error;
pub(crate) mod unknown_rule;
pub(crate) mod unused_suppression;
