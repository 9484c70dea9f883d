//! The intrinsic functions of JSONPath states (asl-spec.md §5.4; the developer guide's
//! [Intrinsic functions](https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html)
//! page): what each takes and what it gives. `invalid-intrinsic` (ASL306) checks calls against
//! it; hover and completion show it.

/// The type an argument must have. A literal argument (a quoted string, a number, `true`,
/// `false`, `null`) of another type fails the call; a path or a nested call is known only at
/// run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArgType {
    /// Any value.
    Any,
    String,
    /// A number (the integer functions round it).
    Number,
    Bool,
    /// An array: no literal is one, so it must be a path or a call.
    Array,
    /// An object: no literal is one, so it must be a path or a call.
    Object,
}

impl ArgType {
    /// How a message names it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            ArgType::Any => "any value",
            ArgType::String => "a string",
            ArgType::Number => "a number",
            ArgType::Bool => "a boolean",
            ArgType::Array => "an array",
            ArgType::Object => "an object",
        }
    }
}

/// One intrinsic function.
#[derive(Debug)]
pub(crate) struct Intrinsic {
    /// `States.Format`.
    pub name: &'static str,
    /// The fewest arguments it takes.
    pub min_args: usize,
    /// The most arguments it takes; `None`: any number.
    pub max_args: Option<usize>,
    /// The argument list as a signature shows it (`template, values...`).
    pub params: &'static str,
    /// The type of each argument by position; arguments past the end have `rest`.
    pub arg_types: &'static [ArgType],
    /// The type of the arguments past `arg_types` (the values of `States.Format` and
    /// `States.Array`).
    pub rest: ArgType,
    /// It returns a string and may stand in a Fail state's `ErrorPath` or `CausePath`: the Fail
    /// state page lists the seven that may.
    pub in_fail_paths: bool,
    /// What it does, one or two sentences.
    pub doc: &'static str,
}

impl Intrinsic {
    /// The type argument `i` (0-based) must have.
    pub(crate) fn arg_type(&self, i: usize) -> ArgType {
        self.arg_types.get(i).copied().unwrap_or(self.rest)
    }
}

use ArgType::{Any, Array, Bool, Number, Object, String};

/// Every intrinsic function, in the developer guide's order.
pub(crate) const INTRINSICS: &[Intrinsic] = &[
    Intrinsic {
        name: "States.Format",
        min_args: 1,
        max_args: None,
        params: "template, values...",
        arg_types: &[String],
        rest: Any,
        in_fail_paths: true,
        doc: "Builds a string: each `{}` of the template is replaced by the next value (values must be scalars; escape literal braces as `\\{` `\\}`).",
    },
    Intrinsic {
        name: "States.StringToJson",
        min_args: 1,
        max_args: Some(1),
        params: "string",
        arg_types: &[String],
        rest: Any,
        in_fail_paths: false,
        doc: "Parses a string of escaped JSON into JSON.",
    },
    Intrinsic {
        name: "States.JsonToString",
        min_args: 1,
        max_args: Some(1),
        params: "path",
        // ASL306 asks for a path here, whatever the literal.
        arg_types: &[Any],
        rest: Any,
        in_fail_paths: true,
        doc: "Serialises the JSON at a path into a string.",
    },
    Intrinsic {
        name: "States.Array",
        min_args: 0,
        max_args: None,
        params: "values...",
        arg_types: &[],
        rest: Any,
        in_fail_paths: false,
        doc: "Makes an array of its arguments.",
    },
    Intrinsic {
        name: "States.ArrayPartition",
        min_args: 2,
        max_args: Some(2),
        params: "array, chunkSize",
        arg_types: &[Array, Number],
        rest: Any,
        in_fail_paths: false,
        doc: "Splits an array into chunks of `chunkSize` items (a positive integer).",
    },
    Intrinsic {
        name: "States.ArrayContains",
        min_args: 2,
        max_args: Some(2),
        params: "array, value",
        arg_types: &[Array, Any],
        rest: Any,
        in_fail_paths: false,
        doc: "True when the array holds the value.",
    },
    Intrinsic {
        name: "States.ArrayRange",
        min_args: 3,
        max_args: Some(3),
        params: "start, end, step",
        arg_types: &[Number, Number, Number],
        rest: Any,
        in_fail_paths: false,
        doc: "Makes the array start, start+step, ... up to end (at most 1,000 items; step not 0).",
    },
    Intrinsic {
        name: "States.ArrayGetItem",
        min_args: 2,
        max_args: Some(2),
        params: "array, index",
        arg_types: &[Array, Number],
        rest: Any,
        in_fail_paths: true,
        doc: "The item at `index` (0-based).",
    },
    Intrinsic {
        name: "States.ArrayLength",
        min_args: 1,
        max_args: Some(1),
        params: "array",
        arg_types: &[Array],
        rest: Any,
        in_fail_paths: false,
        doc: "The number of items of an array.",
    },
    Intrinsic {
        name: "States.ArrayUnique",
        min_args: 1,
        max_args: Some(1),
        params: "array",
        arg_types: &[Array],
        rest: Any,
        in_fail_paths: false,
        doc: "The array without duplicate values.",
    },
    Intrinsic {
        name: "States.Base64Encode",
        min_args: 1,
        max_args: Some(1),
        params: "string",
        arg_types: &[String],
        rest: Any,
        in_fail_paths: true,
        doc: "Encodes a string (up to 10,000 characters) as Base64.",
    },
    Intrinsic {
        name: "States.Base64Decode",
        min_args: 1,
        max_args: Some(1),
        params: "base64",
        arg_types: &[String],
        rest: Any,
        in_fail_paths: true,
        doc: "Decodes a Base64 string (up to 10,000 characters).",
    },
    Intrinsic {
        name: "States.Hash",
        min_args: 2,
        max_args: Some(2),
        params: "data, algorithm",
        arg_types: &[Any, String],
        rest: Any,
        in_fail_paths: true,
        doc: "The hash of the data: `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`.",
    },
    Intrinsic {
        name: "States.JsonMerge",
        min_args: 3,
        max_args: Some(3),
        params: "object, object, false",
        arg_types: &[Object, Object, Bool],
        rest: Any,
        in_fail_paths: false,
        doc: "Merges two objects shallowly (the third argument must be `false`).",
    },
    Intrinsic {
        name: "States.MathRandom",
        min_args: 2,
        max_args: Some(3),
        params: "start, end[, seed]",
        arg_types: &[Number, Number, Number],
        rest: Any,
        in_fail_paths: false,
        doc: "A random integer from start (included) to end (excluded).",
    },
    Intrinsic {
        name: "States.MathAdd",
        min_args: 2,
        max_args: Some(2),
        params: "a, b",
        arg_types: &[Number, Number],
        rest: Any,
        in_fail_paths: false,
        doc: "The sum of two integers.",
    },
    Intrinsic {
        name: "States.StringSplit",
        min_args: 2,
        max_args: Some(2),
        params: "string, delimiters",
        arg_types: &[String, String],
        rest: Any,
        in_fail_paths: false,
        doc: "Splits a string at each of the delimiter characters.",
    },
    Intrinsic {
        name: "States.UUID",
        min_args: 0,
        max_args: Some(0),
        params: "",
        arg_types: &[],
        rest: Any,
        in_fail_paths: true,
        doc: "A version 4 UUID.",
    },
];

/// The function named `name`.
pub(crate) fn find(name: &str) -> Option<&'static Intrinsic> {
    INTRINSICS.iter().find(|f| f.name == name)
}

/// Every function's name, for did-you-mean suggestions.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    INTRINSICS.iter().map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        for f in INTRINSICS {
            assert!(f.name.starts_with("States."), "{}", f.name);
            assert!(f.max_args.is_none_or(|m| m >= f.min_args), "{}", f.name);
            if let Some(max) = f.max_args {
                assert!(f.arg_types.len() <= max, "{}", f.name);
            }
        }
        // The Fail state page's seven.
        let fail: Vec<&str> = INTRINSICS
            .iter()
            .filter(|f| f.in_fail_paths)
            .map(|f| f.name)
            .collect();
        assert_eq!(
            fail,
            [
                "States.Format",
                "States.JsonToString",
                "States.ArrayGetItem",
                "States.Base64Encode",
                "States.Base64Decode",
                "States.Hash",
                "States.UUID"
            ]
        );
        assert_eq!(find("States.MathAdd").map(|f| f.arg_type(1)), Some(Number));
        assert_eq!(find("States.Format").map(|f| f.arg_type(5)), Some(Any));
        assert!(names().count() == 18);
    }
}
