//! `asl-analyzer`: the rules, the state graph and the diagnostics of asl-lint.
//!
//! Pure analysis: no IO. [`analyze`] takes source text and returns every diagnostic, sorted by
//! position, each with its JSON Pointer. The CLI and the language server both call it, so they
//! always agree.

mod context;
pub mod cost;
pub mod diagnostic;
pub mod diagram;
mod edits;
pub mod embedded;
pub mod fix;
pub mod graph;
pub mod ide;
mod jsonata_strings;
pub mod names;
pub mod nodes;
mod pipeline;
mod quote;
pub mod registry;
pub mod resource;
pub mod retry;
pub mod rule;
mod rules;
mod sdk_input;
mod settings;
mod severity;
pub mod shapes;
pub mod spec;
mod suppress;
mod templates;
mod variables;

pub use context::Ctx;
pub use diagnostic::{Diagnostic, Label, Level, Severity};
pub use graph::Graph;
pub(crate) use pipeline::{Prebuilt, analyze_model};
pub use pipeline::{analyze, analyze_parsed, internal_error, panic_message, syntax_error};
pub use rule::RuleMeta;
pub use settings::{DEFAULT_RETRY_STORM_THRESHOLD, Options, StateIgnore, WorkflowType};
pub use suppress::wildcard_match;
