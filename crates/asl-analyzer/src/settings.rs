//! The settings of one analysis: rule levels, the workflow type, thresholds, ignored states.
//! The CLI and the language server build them from `asl-lint.toml` (asl-config).

use std::collections::HashMap;

use crate::diagnostic::Level;
use crate::rule::RuleMeta;

/// The type of a state machine, which the definition does not say: it is chosen when the state
/// machine is created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum WorkflowType {
    #[default]
    Standard,
    Express,
}

impl WorkflowType {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowType::Standard => "STANDARD",
            WorkflowType::Express => "EXPRESS",
        }
    }

    /// The longest an execution can run, in seconds: one year (Standard) or five minutes
    /// (Express) (spec §9).
    pub fn max_duration(self) -> f64 {
        match self {
            WorkflowType::Standard => 31_536_000.0,
            WorkflowType::Express => 300.0,
        }
    }
}

/// The default threshold of ASL209 retry-storm: worst-case attempts above it are reported.
pub const DEFAULT_RETRY_STORM_THRESHOLD: u64 = 50;

/// Settings of one analysis.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rule levels, overriding the defaults.
    pub levels: HashMap<&'static RuleMeta, Level>,
    /// The workflow type the definition is checked for.
    pub workflow_type: WorkflowType,
    /// ASL209 reports worst-case attempts above this.
    pub retry_storm_threshold: u64,
    /// Rules ignored in the states whose names match a pattern (the config file's `[[ignore]]`).
    pub state_ignores: Vec<StateIgnore>,
}

/// Rules ignored in some states, as the config file's `[[ignore]]` says: a state whose name
/// matches one of `states` (and every state nested in it) does not report `rules`. Unlike a
/// `Comment` directive, an ignore that suppresses nothing is not reported (one entry applies to
/// many files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateIgnore {
    /// State name patterns: `*` matches any run of characters, `?` any one character.
    pub states: Vec<String>,
    pub rules: Vec<&'static RuleMeta>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            levels: HashMap::new(),
            workflow_type: WorkflowType::default(),
            retry_storm_threshold: DEFAULT_RETRY_STORM_THRESHOLD,
            state_ignores: Vec::new(),
        }
    }
}

impl Options {
    /// The default options with `rule` on, at warning level when it is off by default: what its
    /// own examples and fixtures are checked with.
    pub fn enabling(rule: &'static RuleMeta) -> Options {
        let mut options = Options::default();
        if rule.level == Level::Off {
            options.levels.insert(rule, Level::Warning);
        }
        options
    }

    /// The effective level of a rule.
    pub fn level(&self, rule: &RuleMeta) -> Level {
        self.levels.get(rule).copied().unwrap_or(rule.level)
    }
}
