//! The field table of the Amazon States Language: for every kind of object in a definition (the
//! top level, Parallel branches and Map processors, states, retriers, catchers, Choice rules and
//! the Map's sub-objects) the fields it takes, which state types allow each one, in which query
//! language, whether it accepts a JSONata expression (`{% ... %}`), what value it holds, and a
//! one-line description.
//!
//! It is data: the shape rules (ASL010-ASL019) read it, and completion and hover in the language
//! server list it. Facts come from `asl-spec.md` §1-§4, §2.3 (the field matrix) and §6.2 (fields
//! that accept JSONata).

use asl_syntax::ast::{QueryLanguage, State, StateKind};
use asl_syntax::{Node, Property, TextRange};

/// A set of state types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kinds(u16);

impl Kinds {
    pub const NONE: Kinds = Kinds(0);
    pub const TASK: Kinds = Kinds(1);
    pub const PASS: Kinds = Kinds(1 << 1);
    pub const CHOICE: Kinds = Kinds(1 << 2);
    pub const WAIT: Kinds = Kinds(1 << 3);
    pub const SUCCEED: Kinds = Kinds(1 << 4);
    pub const FAIL: Kinds = Kinds(1 << 5);
    pub const PARALLEL: Kinds = Kinds(1 << 6);
    pub const MAP: Kinds = Kinds(1 << 7);
    /// The eight state types.
    pub const ALL: Kinds = Kinds(0xff);
    /// The types that take `Next` or `End`: Task, Pass, Wait, Parallel, Map.
    pub const TRANSITION: Kinds = Kinds(1 | 1 << 1 | 1 << 3 | 1 << 6 | 1 << 7);
    /// The types that take `Retry`, `Catch` and `ResultSelector`: Task, Parallel, Map.
    pub const RETRY: Kinds = Kinds(1 | 1 << 6 | 1 << 7);
    /// Every type but Fail.
    pub const NOT_FAIL: Kinds = Kinds(0xff & !(1 << 5));
    /// Every type but Succeed and Fail.
    pub const ASSIGN: Kinds = Kinds(0xff & !(1 << 4 | 1 << 5));
    /// Task, Pass, Parallel, Map: the types with `Parameters` and `ResultPath`.
    pub const PAYLOAD: Kinds = Kinds(1 | 1 << 1 | 1 << 6 | 1 << 7);

    pub const fn union(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }

    pub const fn of(kind: StateKind) -> Kinds {
        match kind {
            StateKind::Task => Kinds::TASK,
            StateKind::Pass => Kinds::PASS,
            StateKind::Choice => Kinds::CHOICE,
            StateKind::Wait => Kinds::WAIT,
            StateKind::Succeed => Kinds::SUCCEED,
            StateKind::Fail => Kinds::FAIL,
            StateKind::Parallel => Kinds::PARALLEL,
            StateKind::Map => Kinds::MAP,
            StateKind::Unknown | StateKind::Missing => Kinds::NONE,
        }
    }

    pub const fn contains(self, kind: StateKind) -> bool {
        let bit = Kinds::of(kind).0;
        bit != 0 && self.0 & bit == bit
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The state types in the set, in the order of [`StateKind::ALL`].
    pub fn iter(self) -> impl Iterator<Item = StateKind> {
        StateKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }
}

/// The query language(s) a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Both,
    JsonPath,
    JsonAta,
}

impl Lang {
    pub fn allows(self, language: QueryLanguage) -> bool {
        match self {
            Lang::Both => true,
            Lang::JsonPath => language == QueryLanguage::JsonPath,
            Lang::JsonAta => language == QueryLanguage::JsonAta,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Both => "JSONPath and JSONata",
            Lang::JsonPath => "JSONPath",
            Lang::JsonAta => "JSONata",
        }
    }
}

/// The value a field holds (its literal form; a field with [`Field::jsonata`] also takes a
/// `{% ... %}` string in a JSONata state, and a `${...}` placeholder stands for any valid value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    /// Any JSON value.
    Any,
    String,
    /// A state name (`StartAt`, `Next`, `Default`).
    StateName,
    /// A JSONPath (`Variable`, reference paths, `*Path` fields, `RoleArn.$`).
    Path,
    /// A JSONPath or `null` (`InputPath`, `OutputPath`, `ResultPath`).
    PathOrNull,
    Bool,
    /// A whole number in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    /// A number in `min..=max`.
    Number {
        min: f64,
        max: f64,
    },
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// An RFC 3339 timestamp such as `2016-03-14T01:59:00Z`.
    Timestamp,
    /// A JSON object.
    Object,
    /// A payload template: a JSON object in a JSONPath state, any JSON in a JSONata state.
    Template,
    /// A JSON object, or a JSONata expression (`Arguments`).
    ObjectOrExpr,
    /// A JSON array or object, or a JSONata expression (Map `Items`).
    Items,
    /// An array of objects, non-empty when `non_empty` (`Retry`, `Catch`, `Choices`, `Branches`).
    Objects {
        non_empty: bool,
    },
    /// An array of strings, non-empty when `non_empty` (`ErrorEquals`, `CSVHeaders`).
    Strings {
        non_empty: bool,
    },
    /// `true`, `false` or a JSONata expression (a JSONata Choice rule's `Condition`).
    Condition,
}

impl Expect {
    /// "a positive integer", "one of `FULL`, `NONE`", for messages and hover.
    pub fn describe(self) -> String {
        match self {
            Expect::Any => "any JSON value".to_owned(),
            Expect::String => "a string".to_owned(),
            Expect::StateName => "a state name (a string)".to_owned(),
            Expect::Path => "a JSONPath string".to_owned(),
            Expect::PathOrNull => "a JSONPath string or null".to_owned(),
            Expect::Bool => "`true` or `false`".to_owned(),
            Expect::Int { min, max } => match (min, max) {
                (1, i64::MAX) => "a positive integer".to_owned(),
                (0, i64::MAX) => "an integer of 0 or more".to_owned(),
                (1, max) => format!("a positive integer no greater than {max}"),
                (min, max) => format!("an integer from {min} to {max}"),
            },
            Expect::Number { min, max } => match (min.is_finite(), max.is_finite()) {
                (false, false) => "a number".to_owned(),
                (true, false) => format!("a number of at least {min}"),
                (false, true) => format!("a number of at most {max}"),
                (true, true) => format!("a number from {min} to {max}"),
            },
            Expect::OneOf(values) => {
                let list: Vec<String> = values.iter().map(|v| format!("`\"{v}\"`")).collect();
                match list.as_slice() {
                    [one] => one.clone(),
                    _ => format!("one of {}", list.join(", ")),
                }
            }
            Expect::Timestamp => {
                "an RFC 3339 timestamp such as `2016-03-14T01:59:00Z` (uppercase `T` and `Z`)"
                    .to_owned()
            }
            Expect::Object => "a JSON object".to_owned(),
            Expect::Template => "a JSON object (a payload template)".to_owned(),
            Expect::ObjectOrExpr => "a JSON object or a JSONata expression".to_owned(),
            Expect::Items => "a JSON array, a JSON object or a JSONata expression".to_owned(),
            Expect::Objects { non_empty: true } => "a non-empty array of objects".to_owned(),
            Expect::Objects { non_empty: false } => "an array of objects".to_owned(),
            Expect::Strings { non_empty: true } => "a non-empty array of strings".to_owned(),
            Expect::Strings { non_empty: false } => "an array of strings".to_owned(),
            Expect::Condition => "`true`, `false` or a JSONata expression".to_owned(),
        }
    }
}

/// One field of one kind of object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    pub name: &'static str,
    /// For state fields, the state types that allow it; [`Kinds::ALL`] in the other tables.
    pub states: Kinds,
    /// For state fields, the state types that require it; in the other tables [`Kinds::ALL`]
    /// when the field is always required. Conditional requirements (a Wait's duration, the
    /// `ExecutionType` of a Distributed Map, ...) are not in the table.
    pub required: Kinds,
    /// The query language(s) in which the field exists.
    pub lang: Lang,
    /// Listed in §6.2: in a JSONata state the field accepts a JSONata expression in place of its
    /// literal value (for the object-valued `Assign`, in place of each value inside it).
    pub jsonata: bool,
    pub value: Expect,
    /// One line, from the specification.
    pub doc: &'static str,
}

const fn field(name: &'static str, value: Expect, doc: &'static str) -> Field {
    Field {
        name,
        states: Kinds::ALL,
        required: Kinds::NONE,
        lang: Lang::Both,
        jsonata: false,
        value,
        doc,
    }
}

impl Field {
    const fn on(self, states: Kinds) -> Field {
        Field { states, ..self }
    }

    const fn required(self, required: Kinds) -> Field {
        Field { required, ..self }
    }

    const fn always_required(self) -> Field {
        Field {
            required: Kinds::ALL,
            ..self
        }
    }

    const fn jsonpath(self) -> Field {
        Field {
            lang: Lang::JsonPath,
            ..self
        }
    }

    const fn jsonata_only(self) -> Field {
        Field {
            lang: Lang::JsonAta,
            jsonata: true,
            ..self
        }
    }

    const fn expr(self) -> Field {
        Field {
            jsonata: true,
            ..self
        }
    }

    /// True when a state of type `kind` may hold this field (in some query language).
    pub fn allowed_on(&self, kind: StateKind) -> bool {
        self.states.contains(kind)
    }

    /// True when this field (in the state table) is required on a state of type `kind`.
    pub fn required_on(&self, kind: StateKind) -> bool {
        self.required.contains(kind)
    }

    /// True when the field is always required (sub-object tables).
    pub fn is_required(&self) -> bool {
        self.required == Kinds::ALL
    }
}

const MAX_SECONDS: i64 = 99_999_999;
const SECONDS: Expect = Expect::Int {
    min: 1,
    max: MAX_SECONDS,
};
const COUNT: Expect = Expect::Int {
    min: 0,
    max: i64::MAX,
};

/// The type names of states.
pub const STATE_TYPES: &[&str] = &[
    "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
];
/// The values of `QueryLanguage`.
pub const QUERY_LANGUAGES: &[&str] = &["JSONPath", "JSONata"];

/// The top level of a state machine (§1).
pub static ROOT: &[Field] = &[
    field(
        "Comment",
        Expect::String,
        "A human-readable description of the state machine.",
    ),
    field(
        "StartAt",
        Expect::StateName,
        "The name of the state the execution starts with.",
    )
    .always_required(),
    field(
        "States",
        Expect::Object,
        "The states of the machine, keyed by state name.",
    )
    .always_required(),
    field(
        "Version",
        Expect::OneOf(&["1.0"]),
        "The version of the Amazon States Language; only `1.0` exists.",
    ),
    field(
        "TimeoutSeconds",
        SECONDS,
        "The maximum number of seconds an execution may run before it fails with `States.Timeout`.",
    ),
    field(
        "QueryLanguage",
        Expect::OneOf(QUERY_LANGUAGES),
        "The default query language of every state: `JSONPath` (default) or `JSONata`.",
    ),
];

/// A Parallel branch (an element of `Branches`).
pub static BRANCH: &[Field] = &[
    field(
        "Comment",
        Expect::String,
        "A human-readable description of the branch.",
    ),
    field(
        "StartAt",
        Expect::StateName,
        "The name of the state the branch starts with.",
    )
    .always_required(),
    field(
        "States",
        Expect::Object,
        "The states of the branch, keyed by state name.",
    )
    .always_required(),
];

/// A Map processor (`ItemProcessor`, or the deprecated `Iterator`).
pub static PROCESSOR: &[Field] = &[
    field(
        "Comment",
        Expect::String,
        "A human-readable description of the processor.",
    ),
    field(
        "ProcessorConfig",
        Expect::Object,
        "The processing mode (`INLINE` or `DISTRIBUTED`) and, when distributed, the child execution type.",
    ),
    field(
        "StartAt",
        Expect::StateName,
        "The name of the state each iteration starts with.",
    )
    .always_required(),
    field(
        "States",
        Expect::Object,
        "The states run for each item, keyed by state name.",
    )
    .always_required(),
];

/// The fields of states (§2), in the order of the specification.
pub static STATE: &[Field] = &[
    field(
        "Type",
        Expect::OneOf(STATE_TYPES),
        "The state type: Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map.",
    )
    .required(Kinds::ALL),
    field(
        "Comment",
        Expect::String,
        "A human-readable description of the state.",
    ),
    field(
        "QueryLanguage",
        Expect::OneOf(QUERY_LANGUAGES),
        "The query language of this state, overriding the state machine's.",
    ),
    field(
        "Next",
        Expect::StateName,
        "The state to run after this one, in the same `States` object.",
    )
    .on(Kinds::TRANSITION),
    field(
        "End",
        Expect::Bool,
        "`true` makes this state terminal: its scope ends after it.",
    )
    .on(Kinds::TRANSITION),
    field(
        "InputPath",
        Expect::PathOrNull,
        "Selects the part of the state input the state works on (default `$`).",
    )
    .on(Kinds::NOT_FAIL)
    .jsonpath(),
    field(
        "OutputPath",
        Expect::PathOrNull,
        "Selects the part of the result that becomes the state output (default `$`).",
    )
    .on(Kinds::NOT_FAIL)
    .jsonpath(),
    // The specification requires an object, but AWS accepts any JSON value here (an array
    // is common in Pass states), so the table says `Any`.
    field(
        "Parameters",
        Expect::Any,
        "A payload template that builds the state's effective input.",
    )
    .on(Kinds::PAYLOAD)
    .jsonpath(),
    field(
        "ResultSelector",
        Expect::Template,
        "A payload template applied to the raw result before `ResultPath`.",
    )
    .on(Kinds::RETRY)
    .jsonpath(),
    field(
        "ResultPath",
        Expect::PathOrNull,
        "Where the result is placed in the state input (`null` discards it; default `$`).",
    )
    .on(Kinds::PAYLOAD)
    .jsonpath(),
    field(
        "Result",
        Expect::Any,
        "The fixed output of a Pass state, treated like a task result.",
    )
    .on(Kinds::PASS)
    .jsonpath(),
    field(
        "Arguments",
        Expect::ObjectOrExpr,
        "The input sent to the resource or to every branch (JSONata).",
    )
    .on(Kinds::TASK.union(Kinds::PARALLEL))
    .jsonata_only(),
    field(
        "Output",
        Expect::Any,
        "The state output (JSONata); strings in `{% %}` are evaluated.",
    )
    .on(Kinds::NOT_FAIL)
    .jsonata_only(),
    field(
        "Assign",
        Expect::Object,
        "Variables to set when the state completes, keyed by variable name.",
    )
    .on(Kinds::ASSIGN)
    .expr(),
    field(
        "Resource",
        Expect::String,
        "The ARN of the activity, Lambda function or service integration the Task runs.",
    )
    .on(Kinds::TASK)
    .required(Kinds::TASK),
    field(
        "Credentials",
        Expect::Object,
        "The IAM role (`RoleArn`) assumed before the Task runs its resource.",
    )
    .on(Kinds::TASK),
    field(
        "TimeoutSeconds",
        SECONDS,
        "The maximum number of seconds the Task may run before it fails with `States.Timeout`.",
    )
    .on(Kinds::TASK)
    .expr(),
    field(
        "TimeoutSecondsPath",
        Expect::Path,
        "A reference path to the Task's timeout in seconds in the state input.",
    )
    .on(Kinds::TASK)
    .jsonpath(),
    field(
        "HeartbeatSeconds",
        SECONDS,
        "The maximum number of seconds between heartbeats before the Task fails with `States.Timeout`.",
    )
    .on(Kinds::TASK)
    .expr(),
    field(
        "HeartbeatSecondsPath",
        Expect::Path,
        "A reference path to the Task's heartbeat interval in seconds in the state input.",
    )
    .on(Kinds::TASK)
    .jsonpath(),
    field(
        "Retry",
        Expect::Objects { non_empty: false },
        "Retriers, tried in order when the state fails.",
    )
    .on(Kinds::RETRY),
    field(
        "Catch",
        Expect::Objects { non_empty: false },
        "Catchers: the state to go to when the state fails and retries are exhausted.",
    )
    .on(Kinds::RETRY),
    field(
        "Choices",
        Expect::Objects { non_empty: true },
        "The Choice rules, tried in order; the first that matches names the next state.",
    )
    .on(Kinds::CHOICE)
    .required(Kinds::CHOICE),
    field(
        "Default",
        Expect::StateName,
        "The state to go to when no Choice rule matches.",
    )
    .on(Kinds::CHOICE),
    field(
        "Seconds",
        Expect::Int {
            min: 0,
            max: MAX_SECONDS,
        },
        "The number of seconds to wait.",
    )
    .on(Kinds::WAIT)
    .expr(),
    field(
        "SecondsPath",
        Expect::Path,
        "A reference path to the number of seconds to wait.",
    )
    .on(Kinds::WAIT)
    .jsonpath(),
    field(
        "Timestamp",
        Expect::Timestamp,
        "The time to wait until, an RFC 3339 timestamp such as `2016-03-14T01:59:00Z`.",
    )
    .on(Kinds::WAIT)
    .expr(),
    field(
        "TimestampPath",
        Expect::Path,
        "A reference path to the timestamp to wait until.",
    )
    .on(Kinds::WAIT)
    .jsonpath(),
    field("Error", Expect::String, "The error name the Fail state raises.")
        .on(Kinds::FAIL)
        .expr(),
    field(
        "ErrorPath",
        Expect::Path,
        "A reference path or intrinsic function giving the error name.",
    )
    .on(Kinds::FAIL)
    .jsonpath(),
    field(
        "Cause",
        Expect::String,
        "A human-readable description of the failure.",
    )
    .on(Kinds::FAIL)
    .expr(),
    field(
        "CausePath",
        Expect::Path,
        "A reference path or intrinsic function giving the cause.",
    )
    .on(Kinds::FAIL)
    .jsonpath(),
    field(
        "Branches",
        Expect::Objects { non_empty: true },
        "The branches run in parallel, each with its own `StartAt` and `States`.",
    )
    .on(Kinds::PARALLEL)
    .required(Kinds::PARALLEL),
    field(
        "ItemProcessor",
        Expect::Object,
        "The states run for each item, with `StartAt`, `States` and `ProcessorConfig`.",
    )
    .on(Kinds::MAP),
    field(
        "Iterator",
        Expect::Object,
        "Deprecated name of `ItemProcessor`.",
    )
    .on(Kinds::MAP),
    field(
        "ItemsPath",
        Expect::Path,
        "A reference path to the array (or object) to iterate over (default `$`).",
    )
    .on(Kinds::MAP)
    .jsonpath(),
    field(
        "Items",
        Expect::Items,
        "The array or object to iterate over, or a JSONata expression giving it.",
    )
    .on(Kinds::MAP)
    .jsonata_only(),
    field(
        "ItemSelector",
        Expect::Template,
        "Builds the input of each iteration; `$$.Map.Item` is available here.",
    )
    .on(Kinds::MAP)
    .expr(),
    field(
        "MaxConcurrency",
        COUNT,
        "The upper bound of iterations running at once; 0 means no limit.",
    )
    .on(Kinds::MAP)
    .expr(),
    field(
        "MaxConcurrencyPath",
        Expect::Path,
        "A reference path to the maximum concurrency.",
    )
    .on(Kinds::MAP)
    .jsonpath(),
    field(
        "ItemReader",
        Expect::Object,
        "Reads the items from Amazon S3 (Distributed Map only).",
    )
    .on(Kinds::MAP),
    field(
        "ItemBatcher",
        Expect::Object,
        "Groups items into batches for each child execution (Distributed Map only).",
    )
    .on(Kinds::MAP),
    field(
        "ResultWriter",
        Expect::Object,
        "Formats the child execution results and exports them to Amazon S3 (Distributed Map only).",
    )
    .on(Kinds::MAP),
    field(
        "ToleratedFailurePercentage",
        Expect::Number {
            min: 0.0,
            max: 100.0,
        },
        "The percentage of failed items the Map Run tolerates (Distributed Map only).",
    )
    .on(Kinds::MAP)
    .expr(),
    field(
        "ToleratedFailurePercentagePath",
        Expect::Path,
        "A reference path to the tolerated failure percentage (Distributed Map only).",
    )
    .on(Kinds::MAP)
    .jsonpath(),
    field(
        "ToleratedFailureCount",
        COUNT,
        "The number of failed items the Map Run tolerates (Distributed Map only).",
    )
    .on(Kinds::MAP)
    .expr(),
    field(
        "ToleratedFailureCountPath",
        Expect::Path,
        "A reference path to the tolerated failure count (Distributed Map only).",
    )
    .on(Kinds::MAP)
    .jsonpath(),
    field(
        "Label",
        Expect::String,
        "A name for the Map Run, up to 40 characters (Distributed Map only).",
    )
    .on(Kinds::MAP),
];

/// An element of `Retry` (§4.1).
pub static RETRIER: &[Field] = &[
    field(
        "ErrorEquals",
        Expect::Strings { non_empty: true },
        "The error names this retrier handles.",
    )
    .always_required(),
    field(
        "IntervalSeconds",
        SECONDS,
        "Seconds before the first retry (default 1).",
    ),
    field(
        "MaxAttempts",
        Expect::Int {
            min: 0,
            max: MAX_SECONDS,
        },
        "The maximum number of retries (default 3; 0 never retries).",
    ),
    field(
        "BackoffRate",
        Expect::Number {
            min: 1.0,
            max: f64::INFINITY,
        },
        "The multiplier of the retry interval after each attempt (default 2.0).",
    ),
    field(
        "MaxDelaySeconds",
        Expect::Int {
            min: 1,
            max: 31_622_400,
        },
        "The upper bound of the retry interval in seconds.",
    ),
    field(
        "JitterStrategy",
        Expect::OneOf(&["FULL", "NONE"]),
        "`FULL` randomises each retry interval; `NONE` (default) does not.",
    ),
    field(
        "Comment",
        Expect::String,
        "A human-readable description of the retrier.",
    ),
];

/// An element of `Catch` (§4.2).
pub static CATCHER: &[Field] = &[
    field(
        "ErrorEquals",
        Expect::Strings { non_empty: true },
        "The error names this catcher handles.",
    )
    .always_required(),
    field(
        "Next",
        Expect::StateName,
        "The state to go to when the catcher matches.",
    )
    .always_required(),
    field(
        "ResultPath",
        Expect::PathOrNull,
        "Where the error output is placed in the state input (default `$`: replaces it).",
    )
    .jsonpath(),
    field(
        "Output",
        Expect::Any,
        "The output passed to the `Next` state (default: the error output).",
    )
    .jsonata_only(),
    field(
        "Assign",
        Expect::Object,
        "Variables to set when the catcher matches.",
    )
    .expr(),
    field(
        "Comment",
        Expect::String,
        "A human-readable description of the catcher.",
    ),
];

/// The fields of a Choice rule other than its comparison operators (§3).
pub static CHOICE_RULE: &[Field] = &[
    field(
        "Variable",
        Expect::Path,
        "The path to the value a comparison tests.",
    )
    .jsonpath(),
    field(
        "Condition",
        Expect::Condition,
        "A JSONata expression; the rule matches when it evaluates to `true`.",
    )
    .jsonata_only(),
    field(
        "And",
        Expect::Objects { non_empty: true },
        "Matches when every nested rule matches.",
    )
    .jsonpath(),
    field(
        "Or",
        Expect::Objects { non_empty: true },
        "Matches when any nested rule matches.",
    )
    .jsonpath(),
    field(
        "Not",
        Expect::Object,
        "Matches when the nested rule does not match.",
    )
    .jsonpath(),
    field(
        "Next",
        Expect::StateName,
        "The state to go to when this top-level rule matches.",
    ),
    field(
        "Assign",
        Expect::Object,
        "Variables to set when this top-level rule matches.",
    )
    .expr(),
    field(
        "Output",
        Expect::Any,
        "The state output when this top-level rule matches.",
    )
    .jsonata_only(),
    field(
        "Comment",
        Expect::String,
        "A human-readable description of the rule.",
    ),
];

const fn operator(name: &'static str, value: Expect, doc: &'static str) -> Field {
    field(name, value, doc).jsonpath()
}

const TIMESTAMP: Expect = Expect::Timestamp;
const NUMBER: Expect = Expect::Number {
    min: f64::NEG_INFINITY,
    max: f64::INFINITY,
};

/// The comparison operators of JSONPath Choice rules (§3.1), the same list as
/// [`asl_syntax::ast::COMPARISON_OPERATORS`], with the type of their value.
pub static CHOICE_OPERATORS: &[Field] = &[
    operator(
        "StringEquals",
        Expect::String,
        "The value equals this string.",
    ),
    operator(
        "StringEqualsPath",
        Expect::Path,
        "The value equals the string at this path.",
    ),
    operator(
        "StringLessThan",
        Expect::String,
        "The value sorts before this string.",
    ),
    operator(
        "StringLessThanPath",
        Expect::Path,
        "The value sorts before the string at this path.",
    ),
    operator(
        "StringGreaterThan",
        Expect::String,
        "The value sorts after this string.",
    ),
    operator(
        "StringGreaterThanPath",
        Expect::Path,
        "The value sorts after the string at this path.",
    ),
    operator(
        "StringLessThanEquals",
        Expect::String,
        "The value sorts before or equals this string.",
    ),
    operator(
        "StringLessThanEqualsPath",
        Expect::Path,
        "The value sorts before or equals the string at this path.",
    ),
    operator(
        "StringGreaterThanEquals",
        Expect::String,
        "The value sorts after or equals this string.",
    ),
    operator(
        "StringGreaterThanEqualsPath",
        Expect::Path,
        "The value sorts after or equals the string at this path.",
    ),
    operator(
        "StringMatches",
        Expect::String,
        "The value matches this pattern (`*` is a wildcard).",
    ),
    operator("NumericEquals", NUMBER, "The value equals this number."),
    operator(
        "NumericEqualsPath",
        Expect::Path,
        "The value equals the number at this path.",
    ),
    operator(
        "NumericLessThan",
        NUMBER,
        "The value is less than this number.",
    ),
    operator(
        "NumericLessThanPath",
        Expect::Path,
        "The value is less than the number at this path.",
    ),
    operator(
        "NumericGreaterThan",
        NUMBER,
        "The value is greater than this number.",
    ),
    operator(
        "NumericGreaterThanPath",
        Expect::Path,
        "The value is greater than the number at this path.",
    ),
    operator(
        "NumericLessThanEquals",
        NUMBER,
        "The value is at most this number.",
    ),
    operator(
        "NumericLessThanEqualsPath",
        Expect::Path,
        "The value is at most the number at this path.",
    ),
    operator(
        "NumericGreaterThanEquals",
        NUMBER,
        "The value is at least this number.",
    ),
    operator(
        "NumericGreaterThanEqualsPath",
        Expect::Path,
        "The value is at least the number at this path.",
    ),
    operator(
        "BooleanEquals",
        Expect::Bool,
        "The value equals this boolean.",
    ),
    operator(
        "BooleanEqualsPath",
        Expect::Path,
        "The value equals the boolean at this path.",
    ),
    operator(
        "TimestampEquals",
        TIMESTAMP,
        "The value is the same instant as this timestamp.",
    ),
    operator(
        "TimestampEqualsPath",
        Expect::Path,
        "The value is the same instant as the timestamp at this path.",
    ),
    operator(
        "TimestampLessThan",
        TIMESTAMP,
        "The value is before this timestamp.",
    ),
    operator(
        "TimestampLessThanPath",
        Expect::Path,
        "The value is before the timestamp at this path.",
    ),
    operator(
        "TimestampGreaterThan",
        TIMESTAMP,
        "The value is after this timestamp.",
    ),
    operator(
        "TimestampGreaterThanPath",
        Expect::Path,
        "The value is after the timestamp at this path.",
    ),
    operator(
        "TimestampLessThanEquals",
        TIMESTAMP,
        "The value is at or before this timestamp.",
    ),
    operator(
        "TimestampLessThanEqualsPath",
        Expect::Path,
        "The value is at or before the timestamp at this path.",
    ),
    operator(
        "TimestampGreaterThanEquals",
        TIMESTAMP,
        "The value is at or after this timestamp.",
    ),
    operator(
        "TimestampGreaterThanEqualsPath",
        Expect::Path,
        "The value is at or after the timestamp at this path.",
    ),
    operator(
        "IsNull",
        Expect::Bool,
        "`true`: the value is null; `false`: it is not.",
    ),
    operator(
        "IsPresent",
        Expect::Bool,
        "`true`: the path exists in the input; `false`: it does not.",
    ),
    operator(
        "IsNumeric",
        Expect::Bool,
        "`true`: the value is a number; `false`: it is not.",
    ),
    operator(
        "IsString",
        Expect::Bool,
        "`true`: the value is a string; `false`: it is not.",
    ),
    operator(
        "IsBoolean",
        Expect::Bool,
        "`true`: the value is a boolean; `false`: it is not.",
    ),
    operator(
        "IsTimestamp",
        Expect::Bool,
        "`true`: the value is a timestamp string; `false`: it is not.",
    ),
];

/// `ItemProcessor.ProcessorConfig` of a Map.
pub static PROCESSOR_CONFIG: &[Field] = &[
    field(
        "Mode",
        Expect::OneOf(&["INLINE", "DISTRIBUTED"]),
        "`INLINE` (default) runs iterations in this execution; `DISTRIBUTED` starts child executions.",
    ),
    field(
        "ExecutionType",
        Expect::OneOf(&["STANDARD", "EXPRESS"]),
        "The type of the child executions of a Distributed Map (required in that mode).",
    ),
];

/// `Credentials` of a Task.
pub static CREDENTIALS: &[Field] = &[
    field(
        "RoleArn",
        Expect::String,
        "The ARN of the IAM role to assume.",
    )
    .expr(),
    field(
        "RoleArn.$",
        Expect::Path,
        "A path or intrinsic function giving the ARN of the IAM role to assume.",
    )
    .jsonpath(),
];

/// `ItemReader` of a Distributed Map.
pub static ITEM_READER: &[Field] = &[
    field(
        "Resource",
        Expect::String,
        "The Amazon S3 action that reads the items (`arn:aws:states:::s3:getObject` or `...:s3:listObjectsV2`).",
    )
    .always_required(),
    field(
        "Parameters",
        Expect::Template,
        "The bucket and key (or prefix) to read.",
    )
    .jsonpath(),
    field(
        "Arguments",
        Expect::ObjectOrExpr,
        "The bucket and key (or prefix) to read (JSONata).",
    )
    .jsonata_only(),
    field(
        "ReaderConfig",
        Expect::Object,
        "How to read the items: input type, CSV headers, item limit.",
    ),
];

/// `ItemReader.ReaderConfig`.
pub static READER_CONFIG: &[Field] = &[
    field(
        "InputType",
        Expect::OneOf(&["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"]),
        "The format of the data read.",
    ),
    field(
        "CSVHeaderLocation",
        Expect::OneOf(&["FIRST_ROW", "GIVEN"]),
        "Where the CSV column names come from; `GIVEN` needs `CSVHeaders`.",
    ),
    field(
        "CSVHeaders",
        Expect::Strings { non_empty: true },
        "The CSV column names, when `CSVHeaderLocation` is `GIVEN`.",
    ),
    field(
        "CSVDelimiter",
        Expect::OneOf(&["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"]),
        "The CSV field separator (default `COMMA`).",
    ),
    field(
        "MaxItems",
        Expect::Int {
            min: 1,
            max: 100_000_000,
        },
        "The maximum number of items read.",
    )
    .expr(),
    field(
        "MaxItemsPath",
        Expect::Path,
        "A reference path to the maximum number of items read.",
    )
    .jsonpath(),
    field(
        "Transformation",
        Expect::OneOf(&["NONE", "LOAD_AND_FLATTEN"]),
        "`LOAD_AND_FLATTEN` reads the objects listed by `listObjectsV2`.",
    ),
    field(
        "ManifestType",
        Expect::OneOf(&["ATHENA_DATA", "S3_INVENTORY"]),
        "The kind of manifest file read.",
    ),
    field(
        "ItemsPointer",
        Expect::String,
        "A JSON Pointer to the array of items inside a JSON file.",
    ),
];

/// `ItemBatcher` of a Distributed Map.
pub static ITEM_BATCHER: &[Field] = &[
    field(
        "BatchInput",
        Expect::Template,
        "A fixed input added to every batch.",
    )
    .expr(),
    field(
        "MaxItemsPerBatch",
        Expect::Int {
            min: 1,
            max: i64::MAX,
        },
        "The maximum number of items in a batch.",
    )
    .expr(),
    field(
        "MaxItemsPerBatchPath",
        Expect::Path,
        "A reference path to the maximum number of items in a batch.",
    )
    .jsonpath(),
    field(
        "MaxInputBytesPerBatch",
        Expect::Int {
            min: 1,
            max: 262_144,
        },
        "The maximum size of a batch in bytes (up to 256 KiB).",
    )
    .expr(),
    field(
        "MaxInputBytesPerBatchPath",
        Expect::Path,
        "A reference path to the maximum size of a batch in bytes.",
    )
    .jsonpath(),
];

/// `ResultWriter` of a Distributed Map.
pub static RESULT_WRITER: &[Field] = &[
    field(
        "Resource",
        Expect::String,
        "The Amazon S3 action that exports the results (`arn:aws:states:::s3:putObject`).",
    ),
    field(
        "Parameters",
        Expect::Template,
        "The bucket and prefix the results are written to.",
    )
    .jsonpath(),
    field(
        "Arguments",
        Expect::ObjectOrExpr,
        "The bucket and prefix the results are written to (JSONata).",
    )
    .jsonata_only(),
    field(
        "WriterConfig",
        Expect::Object,
        "The format (`OutputType`) and `Transformation` of the results.",
    ),
];

/// `ResultWriter.WriterConfig`.
pub static WRITER_CONFIG: &[Field] = &[
    field(
        "OutputType",
        Expect::OneOf(&["JSON", "JSONL"]),
        "Write the results as a JSON array or as JSON Lines.",
    )
    .always_required(),
    field(
        "Transformation",
        Expect::OneOf(&["NONE", "COMPACT", "FLATTEN"]),
        "How the child execution results are transformed.",
    ),
];

/// The kinds of object a definition is made of, each with its field table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Object {
    Root,
    Branch,
    Processor,
    State,
    Retrier,
    Catcher,
    ChoiceRule,
    ProcessorConfig,
    Credentials,
    ItemReader,
    ReaderConfig,
    ItemBatcher,
    ResultWriter,
    WriterConfig,
}

impl Object {
    /// The fields of this kind of object (Choice rules: without the comparison operators, see
    /// [`CHOICE_OPERATORS`]).
    pub fn fields(self) -> &'static [Field] {
        match self {
            Object::Root => ROOT,
            Object::Branch => BRANCH,
            Object::Processor => PROCESSOR,
            Object::State => STATE,
            Object::Retrier => RETRIER,
            Object::Catcher => CATCHER,
            Object::ChoiceRule => CHOICE_RULE,
            Object::ProcessorConfig => PROCESSOR_CONFIG,
            Object::Credentials => CREDENTIALS,
            Object::ItemReader => ITEM_READER,
            Object::ReaderConfig => READER_CONFIG,
            Object::ItemBatcher => ITEM_BATCHER,
            Object::ResultWriter => RESULT_WRITER,
            Object::WriterConfig => WRITER_CONFIG,
        }
    }

    /// The field named `name`, comparison operators included for Choice rules.
    pub fn field(self, name: &str) -> Option<&'static Field> {
        find(self.fields(), name).or_else(|| match self {
            Object::ChoiceRule => find(CHOICE_OPERATORS, name),
            _ => None,
        })
    }
}

/// The field named `name` in `table`.
pub fn find(table: &'static [Field], name: &str) -> Option<&'static Field> {
    table.iter().find(|f| f.name == name)
}

/// The field of a state named `name`.
pub fn state_field(name: &str) -> Option<&'static Field> {
    find(STATE, name)
}

/// True for a document that is a single state (the input of the TestState API): a top-level
/// `Type` and neither `StartAt` nor `States`. The state-machine checks leave such documents alone.
pub fn is_state_document(root: &Node) -> bool {
    root.get("Type").is_some() && root.get("StartAt").is_none() && root.get("States").is_none()
}

/// An object nested in a state that has a field table of its own: a retrier, a catcher, the
/// Task's `Credentials`, the Map's `ProcessorConfig`, `ItemReader` (and its `ReaderConfig`),
/// `ItemBatcher`, `ResultWriter` (and its `WriterConfig`). Choice rules are walked separately
/// ([`State::choices`]). Only objects under fields the state's type allows are listed.
#[derive(Debug, Clone)]
pub struct Nested<'a> {
    pub object: Object,
    pub node: &'a Node,
    /// Where it is, for messages: `Retry[0]`, `ItemReader.ReaderConfig`.
    pub place: Place,
    /// Where to report a field missing from it: the key holding it, or for an array element
    /// its [`brace`](crate::nodes::brace) (the first key of a YAML block mapping).
    pub anchor: TextRange,
}

/// The nested objects of `state` (see [`Nested`]); `text` is the source its ranges index.
pub fn nested_objects<'a>(text: &str, state: &State<'a>) -> Vec<Nested<'a>> {
    let mut out = Vec::new();
    let kind = state.kind;
    let allowed = |p: Option<&'a Property>, name: &str| {
        p.filter(|_| state_field(name).is_some_and(|f| f.allowed_on(kind)))
    };
    for (key, object) in [("Retry", Object::Retrier), ("Catch", Object::Catcher)] {
        let prop = match key {
            "Retry" => state.fields.retry,
            _ => state.fields.catch,
        };
        if let Some(items) = allowed(prop, key).and_then(|p| p.value.as_array()) {
            for (index, node) in items.iter().enumerate() {
                if node.as_object().is_some() {
                    out.push(Nested {
                        object,
                        node,
                        place: Place::Element(key, index),
                        anchor: crate::nodes::brace(text, node),
                    });
                }
            }
        }
    }
    let mut keyed = |prop: Option<&'a Property>, object: Object, place: &'static str| {
        if let Some(p) = prop.filter(|p| p.value.as_object().is_some()) {
            out.push(Nested {
                object,
                node: &p.value,
                place: Place::Field(place),
                anchor: p.key_range,
            });
            Some(p)
        } else {
            None
        }
    };
    keyed(
        allowed(state.fields.credentials, "Credentials"),
        Object::Credentials,
        "Credentials",
    );
    for (prop, name) in [
        (state.fields.item_processor, "ItemProcessor"),
        (state.fields.iterator, "Iterator"),
    ] {
        let config = allowed(prop, name).and_then(|p| p.value.get("ProcessorConfig"));
        let place = if name == "Iterator" {
            "Iterator.ProcessorConfig"
        } else {
            "ItemProcessor.ProcessorConfig"
        };
        keyed(config, Object::ProcessorConfig, place);
    }
    if let Some(reader) = keyed(
        allowed(state.fields.item_reader, "ItemReader"),
        Object::ItemReader,
        "ItemReader",
    ) {
        keyed(
            reader.value.get("ReaderConfig"),
            Object::ReaderConfig,
            "ItemReader.ReaderConfig",
        );
    }
    keyed(
        allowed(state.fields.item_batcher, "ItemBatcher"),
        Object::ItemBatcher,
        "ItemBatcher",
    );
    if let Some(writer) = keyed(
        allowed(state.fields.result_writer, "ResultWriter"),
        Object::ResultWriter,
        "ResultWriter",
    ) {
        keyed(
            writer.value.get("WriterConfig"),
            Object::WriterConfig,
            "ResultWriter.WriterConfig",
        );
    }
    out
}

/// Where a [`Nested`] object is, written as `Retry[0]` or `ItemReader.ReaderConfig` only when a
/// message needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An element of an array field: `Retry[0]`.
    Element(&'static str, usize),
    /// A field (or a field of a field): `ItemReader.ReaderConfig`.
    Field(&'static str),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Element(key, index) => write!(f, "{key}[{index}]"),
            Place::Field(path) => f.write_str(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl_syntax::ast::{
        COMPARISON_OPERATORS, CatcherFields, ChoiceRuleFields, Credentials, ItemBatcher,
        ItemReader, ProcessorConfig, ReaderConfig, ResultWriter, RetrierFields, StateFields,
        WriterConfig,
    };

    fn names(table: &[Field]) -> Vec<&'static str> {
        table.iter().map(|f| f.name).collect()
    }

    #[test]
    fn tables_match_the_typed_model() {
        assert_eq!(names(STATE), StateFields::FIELDS);
        assert_eq!(names(RETRIER), RetrierFields::FIELDS);
        assert_eq!(names(CATCHER), CatcherFields::FIELDS);
        assert_eq!(names(CHOICE_RULE), ChoiceRuleFields::FIELDS);
        assert_eq!(names(CHOICE_OPERATORS), COMPARISON_OPERATORS);
        assert_eq!(names(PROCESSOR_CONFIG), ProcessorConfig::FIELDS);
        assert_eq!(names(CREDENTIALS), Credentials::FIELDS);
        assert_eq!(names(ITEM_READER), ItemReader::FIELDS);
        assert_eq!(names(READER_CONFIG), ReaderConfig::FIELDS);
        assert_eq!(names(ITEM_BATCHER), ItemBatcher::FIELDS);
        assert_eq!(names(RESULT_WRITER), ResultWriter::FIELDS);
        assert_eq!(names(WRITER_CONFIG), WriterConfig::FIELDS);
    }

    #[test]
    fn matrix_follows_the_spec() {
        let on = |name: &str, kind| state_field(name).unwrap().allowed_on(kind);
        assert!(on("Retry", StateKind::Map) && !on("Retry", StateKind::Pass));
        assert!(
            on("TimeoutSeconds", StateKind::Task) && !on("TimeoutSeconds", StateKind::Parallel)
        );
        assert!(!on("Next", StateKind::Choice) && !on("End", StateKind::Succeed));
        assert!(on("Assign", StateKind::Choice) && !on("Assign", StateKind::Succeed));
        assert!(on("Output", StateKind::Succeed) && !on("Output", StateKind::Fail));
        assert!(!on("InputPath", StateKind::Fail));
        assert!(!on("Arguments", StateKind::Map));
        let f = state_field("Arguments").unwrap();
        assert!(f.lang.allows(QueryLanguage::JsonAta) && !f.lang.allows(QueryLanguage::JsonPath));
        assert!(state_field("MaxConcurrency").unwrap().jsonata);
        assert!(!state_field("Resource").unwrap().jsonata);
        assert!(
            state_field("Resource")
                .unwrap()
                .required_on(StateKind::Task)
        );
        assert_eq!(Kinds::TRANSITION.iter().count(), 5);
        assert!(!Kinds::ALL.contains(StateKind::Unknown));
    }

    #[test]
    fn every_field_is_documented() {
        let objects = [
            Object::Root,
            Object::Branch,
            Object::Processor,
            Object::State,
            Object::Retrier,
            Object::Catcher,
            Object::ChoiceRule,
            Object::ProcessorConfig,
            Object::Credentials,
            Object::ItemReader,
            Object::ReaderConfig,
            Object::ItemBatcher,
            Object::ResultWriter,
            Object::WriterConfig,
        ];
        for object in objects {
            for f in object.fields() {
                assert!(f.doc.ends_with('.'), "{}: {}", f.name, f.doc);
                assert!(!f.doc.contains('\n'));
            }
        }
        assert!(Object::ChoiceRule.field("NumericEquals").is_some());
    }
}
