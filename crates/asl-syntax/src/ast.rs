//! The typed view of a state machine over the syntax tree.
//!
//! Nothing here copies the tree: every field is the [`Property`] it was read from (key range,
//! value range and value), so a field with the wrong JSON type is still there for a rule to
//! report. Unknown keys are kept in `unknown`, an unknown `Type` is [`StateKind::Unknown`].
//! When a key appears twice, the typed field is the first occurrence (the duplicate is reported
//! separately).

use crate::tree::{Node, Property};

/// Declares a typed object: one `Option<&Property>` per known key, the rest in `unknown`.
macro_rules! typed_object {
    ($(#[$meta:meta])* $name:ident { $($key:literal => $field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default)]
        pub struct $name<'a> {
            $(pub $field: Option<&'a Property>,)*
            /// Keys this object does not define, in source order.
            pub unknown: Vec<&'a Property>,
        }

        impl<'a> $name<'a> {
            /// Every key this object knows, in the order of the specification.
            pub const FIELDS: &'static [&'static str] = &[$($key),*];

            pub fn from_props(props: &'a [Property]) -> Self {
                let mut this = Self::default();
                for prop in props {
                    match prop.key.as_str() {
                        $($key => {
                            if this.$field.is_none() {
                                this.$field = Some(prop);
                            }
                        })*
                        _ => this.unknown.push(prop),
                    }
                }
                this
            }

            /// Reads the object held by `node`; `None` when it is not an object.
            pub fn of(node: &'a Node) -> Option<Self> {
                node.as_object().map(Self::from_props)
            }

            /// Every known field that is present, with its key.
            pub fn present(&self) -> Vec<(&'static str, &'a Property)> {
                let mut out = Vec::new();
                $(if let Some(p) = self.$field { out.push(($key, p)); })*
                out
            }
        }
    };
}

typed_object! {
    /// The fields of a state machine root, a Parallel branch or a Map processor.
    MachineFields {
        "StartAt" => start_at,
        "States" => states,
        "Comment" => comment,
        "Version" => version,
        "TimeoutSeconds" => timeout_seconds,
        "QueryLanguage" => query_language,
        "ProcessorConfig" => processor_config,
    }
}

typed_object! {
    /// Every field any state type defines; which ones a type allows is the analyzer's business.
    StateFields {
        "Type" => ty,
        "Comment" => comment,
        "QueryLanguage" => query_language,
        "Next" => next,
        "End" => end,
        "InputPath" => input_path,
        "OutputPath" => output_path,
        "Parameters" => parameters,
        "ResultSelector" => result_selector,
        "ResultPath" => result_path,
        "Result" => result,
        "Arguments" => arguments,
        "Output" => output,
        "Assign" => assign,
        "Resource" => resource,
        "Credentials" => credentials,
        "TimeoutSeconds" => timeout_seconds,
        "TimeoutSecondsPath" => timeout_seconds_path,
        "HeartbeatSeconds" => heartbeat_seconds,
        "HeartbeatSecondsPath" => heartbeat_seconds_path,
        "Retry" => retry,
        "Catch" => catch,
        "Choices" => choices,
        "Default" => default,
        "Seconds" => seconds,
        "SecondsPath" => seconds_path,
        "Timestamp" => timestamp,
        "TimestampPath" => timestamp_path,
        "Error" => error,
        "ErrorPath" => error_path,
        "Cause" => cause,
        "CausePath" => cause_path,
        "Branches" => branches,
        "ItemProcessor" => item_processor,
        "Iterator" => iterator,
        "ItemsPath" => items_path,
        "Items" => items,
        "ItemSelector" => item_selector,
        "MaxConcurrency" => max_concurrency,
        "MaxConcurrencyPath" => max_concurrency_path,
        "ItemReader" => item_reader,
        "ItemBatcher" => item_batcher,
        "ResultWriter" => result_writer,
        "ToleratedFailurePercentage" => tolerated_failure_percentage,
        "ToleratedFailurePercentagePath" => tolerated_failure_percentage_path,
        "ToleratedFailureCount" => tolerated_failure_count,
        "ToleratedFailureCountPath" => tolerated_failure_count_path,
        "Label" => label,
    }
}

typed_object! {
    RetrierFields {
        "ErrorEquals" => error_equals,
        "IntervalSeconds" => interval_seconds,
        "MaxAttempts" => max_attempts,
        "BackoffRate" => backoff_rate,
        "MaxDelaySeconds" => max_delay_seconds,
        "JitterStrategy" => jitter_strategy,
        "Comment" => comment,
    }
}

typed_object! {
    CatcherFields {
        "ErrorEquals" => error_equals,
        "Next" => next,
        "ResultPath" => result_path,
        "Output" => output,
        "Assign" => assign,
        "Comment" => comment,
    }
}

typed_object! {
    /// The non-operator fields of a Choice rule; comparison operators are in
    /// [`ChoiceRule::operators`].
    ChoiceRuleFields {
        "Variable" => variable,
        "Condition" => condition,
        "And" => and,
        "Or" => or,
        "Not" => not,
        "Next" => next,
        "Assign" => assign,
        "Output" => output,
        "Comment" => comment,
    }
}

typed_object! {
    ProcessorConfig {
        "Mode" => mode,
        "ExecutionType" => execution_type,
    }
}

typed_object! {
    Credentials {
        "RoleArn" => role_arn,
        "RoleArn.$" => role_arn_path,
    }
}

typed_object! {
    ItemReader {
        "Resource" => resource,
        "Parameters" => parameters,
        "Arguments" => arguments,
        "ReaderConfig" => reader_config,
    }
}

typed_object! {
    ReaderConfig {
        "InputType" => input_type,
        "CSVHeaderLocation" => csv_header_location,
        "CSVHeaders" => csv_headers,
        "CSVDelimiter" => csv_delimiter,
        "MaxItems" => max_items,
        "MaxItemsPath" => max_items_path,
        "Transformation" => transformation,
        "ManifestType" => manifest_type,
        "ItemsPointer" => items_pointer,
    }
}

typed_object! {
    ItemBatcher {
        "BatchInput" => batch_input,
        "MaxItemsPerBatch" => max_items_per_batch,
        "MaxItemsPerBatchPath" => max_items_per_batch_path,
        "MaxInputBytesPerBatch" => max_input_bytes_per_batch,
        "MaxInputBytesPerBatchPath" => max_input_bytes_per_batch_path,
    }
}

typed_object! {
    ResultWriter {
        "Resource" => resource,
        "Parameters" => parameters,
        "Arguments" => arguments,
        "WriterConfig" => writer_config,
    }
}

typed_object! {
    WriterConfig {
        "OutputType" => output_type,
        "Transformation" => transformation,
    }
}

/// The 39 comparison operators of JSONPath Choice rules.
pub const COMPARISON_OPERATORS: &[&str] = &[
    "StringEquals",
    "StringEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringMatches",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "BooleanEquals",
    "BooleanEqualsPath",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];

/// The state types of ASL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateKind {
    Task,
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
    /// `Type` is present but not one of the eight names (or not a string).
    Unknown,
    /// `Type` is absent, or the state is not an object.
    Missing,
}

impl StateKind {
    pub const ALL: [StateKind; 8] = [
        StateKind::Task,
        StateKind::Pass,
        StateKind::Choice,
        StateKind::Wait,
        StateKind::Succeed,
        StateKind::Fail,
        StateKind::Parallel,
        StateKind::Map,
    ];

    pub fn from_name(name: &str) -> Option<StateKind> {
        StateKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateKind::Task => "Task",
            StateKind::Pass => "Pass",
            StateKind::Choice => "Choice",
            StateKind::Wait => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail => "Fail",
            StateKind::Parallel => "Parallel",
            StateKind::Map => "Map",
            StateKind::Unknown => "unknown",
            StateKind::Missing => "untyped",
        }
    }

    /// Task, Pass, Wait, Parallel and Map: the types that take `Next` or `End`.
    pub fn takes_next(self) -> bool {
        matches!(
            self,
            StateKind::Task
                | StateKind::Pass
                | StateKind::Wait
                | StateKind::Parallel
                | StateKind::Map
        )
    }

    /// Task, Parallel and Map: the types that take `Retry` and `Catch`.
    pub fn takes_retry(self) -> bool {
        matches!(self, StateKind::Task | StateKind::Parallel | StateKind::Map)
    }
}

/// `JSONPath` or `JSONata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    JsonAta,
}

impl QueryLanguage {
    pub fn from_name(name: &str) -> Option<QueryLanguage> {
        match name {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::JsonAta),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::JsonAta => "JSONata",
        }
    }

    /// The language set by a `QueryLanguage` field, if it holds a valid name.
    pub fn of_field(prop: Option<&Property>) -> Option<QueryLanguage> {
        prop.and_then(|p| p.value.as_str())
            .and_then(QueryLanguage::from_name)
    }
}

/// Index of a state in [`Machine::states`].
pub type StateId = usize;
/// Index of a scope in [`Machine::scopes`]; the root is 0.
pub type ScopeId = usize;

/// Where a scope comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// The top-level state machine.
    Root,
    /// `Branches[index]` of a Parallel state.
    Branch { parent: StateId, index: usize },
    /// The `ItemProcessor` (or deprecated `Iterator`) of a Map state.
    Processor { parent: StateId, deprecated: bool },
}

/// One `States` object with its `StartAt`: the top level, a Parallel branch or a Map processor.
/// Transitions never cross scopes.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub id: ScopeId,
    pub kind: ScopeKind,
    /// The object holding `StartAt` and `States`.
    pub node: &'a Node,
    pub fields: MachineFields<'a>,
    /// The states of this scope, in source order.
    pub states: Vec<StateId>,
    /// How many Parallel/Map states enclose this scope (0 for the root).
    pub depth: usize,
}

impl<'a> Scope<'a> {
    /// The `StartAt` value, if it is a string.
    pub fn start_at(&self) -> Option<&'a str> {
        self.fields.start_at.and_then(|p| p.value.as_str())
    }

    pub fn parent(&self) -> Option<StateId> {
        match self.kind {
            ScopeKind::Root => None,
            ScopeKind::Branch { parent, .. } | ScopeKind::Processor { parent, .. } => Some(parent),
        }
    }

    /// "the top level", "branch 2 of `P`", "the item processor of `M`".
    pub fn describe(&self, machine: &Machine<'_>) -> String {
        match self.kind {
            ScopeKind::Root => "the top level".to_owned(),
            ScopeKind::Branch { parent, index } => {
                format!("branch {} of `{}`", index, machine.state_name(parent))
            }
            ScopeKind::Processor { parent, .. } => {
                format!("the item processor of `{}`", machine.state_name(parent))
            }
        }
    }
}

/// A retrier: one element of `Retry`.
#[derive(Debug, Clone)]
pub struct Retrier<'a> {
    pub node: &'a Node,
    pub fields: RetrierFields<'a>,
}

/// A catcher: one element of `Catch`.
#[derive(Debug, Clone)]
pub struct Catcher<'a> {
    pub node: &'a Node,
    pub fields: CatcherFields<'a>,
}

/// The string elements of an `ErrorEquals` (other elements are skipped).
fn error_names(error_equals: Option<&Property>) -> impl Iterator<Item = &str> {
    error_equals
        .and_then(|p| p.value.as_array())
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
}

impl<'a> Retrier<'a> {
    /// The error names of `ErrorEquals`.
    pub fn error_names(&self) -> impl Iterator<Item = &'a str> {
        error_names(self.fields.error_equals)
    }
}

impl<'a> Catcher<'a> {
    /// The error names of `ErrorEquals`.
    pub fn error_names(&self) -> impl Iterator<Item = &'a str> {
        error_names(self.fields.error_equals)
    }
}

/// A Choice rule, top-level (an element of `Choices`) or nested (inside `And`, `Or`, `Not`).
#[derive(Debug, Clone)]
pub struct ChoiceRule<'a> {
    pub node: &'a Node,
    pub fields: ChoiceRuleFields<'a>,
    /// Comparison operators present (`StringEquals`, `IsPresent`, ...), in source order.
    pub operators: Vec<&'a Property>,
    /// Rules nested in `And`/`Or` (each element) and `Not`.
    pub nested: Vec<ChoiceRule<'a>>,
}

impl<'a> ChoiceRule<'a> {
    fn new(node: &'a Node) -> ChoiceRule<'a> {
        let mut fields = ChoiceRuleFields::of(node).unwrap_or_default();
        let mut operators = Vec::new();
        fields.unknown.retain(|p| {
            if COMPARISON_OPERATORS.contains(&p.key.as_str()) {
                operators.push(*p);
                false
            } else {
                true
            }
        });
        let mut nested = Vec::new();
        for list in [fields.and, fields.or].into_iter().flatten() {
            if let Some(items) = list.value.as_array() {
                nested.extend(items.iter().map(ChoiceRule::new));
            }
        }
        if let Some(not) = fields.not
            && not.value.as_object().is_some()
        {
            nested.push(ChoiceRule::new(&not.value));
        }
        ChoiceRule {
            node,
            fields,
            operators,
            nested,
        }
    }
}

/// A state: one member of a `States` object.
#[derive(Debug, Clone)]
pub struct State<'a> {
    pub id: StateId,
    pub name: &'a str,
    /// The `"Name": {...}` member; its key range is the state's name.
    pub prop: &'a Property,
    pub scope: ScopeId,
    pub kind: StateKind,
    pub fields: StateFields<'a>,
    /// The language this state is evaluated in (its own `QueryLanguage`, else the machine's).
    pub query_language: QueryLanguage,
    pub retriers: Vec<Retrier<'a>>,
    pub catchers: Vec<Catcher<'a>>,
    pub choices: Vec<ChoiceRule<'a>>,
    /// Scopes nested in this state (Parallel branches, Map processor).
    pub children: Vec<ScopeId>,
}

impl<'a> State<'a> {
    pub fn node(&self) -> &'a Node {
        &self.prop.value
    }

    /// `Next`, if it is a string.
    pub fn next(&self) -> Option<&'a str> {
        self.fields.next.and_then(|p| p.value.as_str())
    }

    /// True for `"End": true`, Succeed and Fail.
    pub fn is_terminal(&self) -> bool {
        matches!(self.kind, StateKind::Succeed | StateKind::Fail)
            || self.fields.end.and_then(|p| p.value.as_bool()) == Some(true)
    }

    /// The Map's `ProcessorConfig` (from `ItemProcessor`, else the deprecated `Iterator`).
    pub fn processor_config(&self) -> Option<ProcessorConfig<'a>> {
        [self.fields.item_processor, self.fields.iterator]
            .into_iter()
            .flatten()
            .find_map(|p| p.value.get("ProcessorConfig"))
            .and_then(|p| ProcessorConfig::of(&p.value))
    }

    /// True for a Map whose `ProcessorConfig.Mode` is `DISTRIBUTED`.
    pub fn is_distributed_map(&self) -> bool {
        self.kind == StateKind::Map
            && self
                .processor_config()
                .and_then(|c| c.mode)
                .and_then(|m| m.value.as_str())
                == Some("DISTRIBUTED")
    }

    /// The `Resource` string of a Task.
    pub fn resource(&self) -> Option<&'a str> {
        self.fields.resource.and_then(|p| p.value.as_str())
    }
}

/// The typed state machine: all scopes and all states (of every scope) in source order.
#[derive(Debug, Clone)]
pub struct Machine<'a> {
    pub root: &'a Node,
    /// `scopes[0]` is the top level.
    pub scopes: Vec<Scope<'a>>,
    pub states: Vec<State<'a>>,
    /// The machine-wide query language (top-level `QueryLanguage`, default JSONPath).
    pub query_language: QueryLanguage,
}

impl<'a> Machine<'a> {
    pub fn new(root: &'a Node) -> Machine<'a> {
        let fields = MachineFields::of(root).unwrap_or_default();
        let query_language = QueryLanguage::of_field(fields.query_language).unwrap_or_default();
        let mut machine = Machine {
            root,
            scopes: Vec::new(),
            states: Vec::new(),
            query_language,
        };
        machine.add_scope(root, ScopeKind::Root, 0);
        machine
    }

    fn add_scope(&mut self, node: &'a Node, kind: ScopeKind, depth: usize) -> ScopeId {
        let id = self.scopes.len();
        let fields = MachineFields::of(node).unwrap_or_default();
        let members = fields
            .states
            .and_then(|p| p.value.as_object())
            .unwrap_or(&[]);
        self.scopes.push(Scope {
            id,
            kind,
            node,
            fields,
            states: Vec::with_capacity(members.len()),
            depth,
        });
        for prop in members {
            let state = self.add_state(prop, id, depth);
            if let Some(scope) = self.scopes.get_mut(id) {
                scope.states.push(state);
            }
        }
        id
    }

    fn add_state(&mut self, prop: &'a Property, scope: ScopeId, depth: usize) -> StateId {
        let id = self.states.len();
        let fields = StateFields::of(&prop.value).unwrap_or_default();
        let kind = match fields.ty {
            None => StateKind::Missing,
            Some(ty) => ty
                .value
                .as_str()
                .and_then(StateKind::from_name)
                .unwrap_or(StateKind::Unknown),
        };
        let kind = if prop.value.as_object().is_none() {
            StateKind::Missing
        } else {
            kind
        };
        let query_language =
            QueryLanguage::of_field(fields.query_language).unwrap_or(self.query_language);
        let elements = |p: Option<&'a Property>| p.and_then(|p| p.value.as_array()).unwrap_or(&[]);
        let retriers = elements(fields.retry)
            .iter()
            .map(|node| Retrier {
                node,
                fields: RetrierFields::of(node).unwrap_or_default(),
            })
            .collect();
        let catchers = elements(fields.catch)
            .iter()
            .map(|node| Catcher {
                node,
                fields: CatcherFields::of(node).unwrap_or_default(),
            })
            .collect();
        let choices = elements(fields.choices)
            .iter()
            .map(ChoiceRule::new)
            .collect();
        let branches = elements(fields.branches);
        let processors: Vec<(&'a Property, bool)> =
            [(fields.item_processor, false), (fields.iterator, true)]
                .into_iter()
                .filter_map(|(p, deprecated)| p.map(|p| (p, deprecated)))
                .collect();
        self.states.push(State {
            id,
            name: &prop.key,
            prop,
            scope,
            kind,
            fields,
            query_language,
            retriers,
            catchers,
            choices,
            children: Vec::new(),
        });
        let mut children = Vec::new();
        if kind == StateKind::Parallel {
            for (index, branch) in branches.iter().enumerate() {
                children.push(self.add_scope(
                    branch,
                    ScopeKind::Branch { parent: id, index },
                    depth + 1,
                ));
            }
        }
        if kind == StateKind::Map {
            for (processor, deprecated) in processors {
                children.push(self.add_scope(
                    &processor.value,
                    ScopeKind::Processor {
                        parent: id,
                        deprecated,
                    },
                    depth + 1,
                ));
            }
        }
        if let Some(state) = self.states.get_mut(id) {
            state.children = children;
        }
        id
    }

    pub fn state(&self, id: StateId) -> Option<&State<'a>> {
        self.states.get(id)
    }

    pub fn state_name(&self, id: StateId) -> &'a str {
        self.states.get(id).map_or("", |s| s.name)
    }

    pub fn scope(&self, id: ScopeId) -> Option<&Scope<'a>> {
        self.scopes.get(id)
    }

    /// The top-level scope.
    pub fn root_scope(&self) -> Option<&Scope<'a>> {
        self.scopes.first()
    }

    /// The states of a scope.
    pub fn states_of(&self, scope: ScopeId) -> impl Iterator<Item = &State<'a>> {
        self.scopes
            .get(scope)
            .map_or(&[][..], |s| s.states.as_slice())
            .iter()
            .filter_map(|&id| self.states.get(id))
    }

    /// The first state of `scope` named `name`.
    pub fn find_in_scope(&self, scope: ScopeId, name: &str) -> Option<&State<'a>> {
        self.states_of(scope).find(|s| s.name == name)
    }

    /// The innermost state whose member range contains `range`.
    pub fn state_at(&self, range: crate::TextRange) -> Option<&State<'a>> {
        self.states
            .iter()
            .filter(|s| s.prop.range().contains_range(range))
            .min_by_key(|s| s.prop.range().len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dialect, parse};

    #[test]
    fn builds_scopes_and_states() {
        let text = r#"{
          "StartAt": "P",
          "States": {
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
                   "ItemProcessor": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}}}}
            ], "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Not": {"Variable": "$.a", "IsPresent": true}, "Next": "F"}]},
            "F": {"Type": "Bogus"},
            "G": 3
          }
        }"#;
        let parse = parse(text, Dialect::Json);
        let root = parse.root.unwrap();
        let m = Machine::new(&root);
        assert_eq!(m.scopes.len(), 4);
        let names: Vec<_> = m.states.iter().map(|s| s.name).collect();
        assert_eq!(names, ["P", "A", "M", "X", "C", "F", "G"]);
        assert_eq!(m.states[0].children, vec![1, 2]);
        assert_eq!(m.scopes[3].depth, 2);
        assert_eq!(
            m.states[4].choices[0].nested[0].operators[0].key,
            "IsPresent"
        );
        assert_eq!(m.states[5].kind, StateKind::Unknown);
        assert_eq!(m.states[6].kind, StateKind::Missing);
        assert_eq!(m.find_in_scope(0, "C").unwrap().id, 4);
        assert!(m.find_in_scope(0, "A").is_none());
    }
}
