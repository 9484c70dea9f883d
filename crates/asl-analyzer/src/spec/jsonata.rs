//! JSONata's built-in functions and those Step Functions adds (asl-spec.md §6.1): what the
//! editor offers and explains in `{% %}` expressions.

/// One JSONata function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonataFunction {
    /// The name without its `$`: `uppercase`.
    pub name: &'static str,
    /// How it is called: `$uppercase(str)`.
    pub signature: &'static str,
    /// What it does, one sentence.
    pub doc: &'static str,
    /// Whether Step Functions runs it (`$eval` is JSONata's but not supported there).
    pub supported: bool,
}

const fn f(name: &'static str, signature: &'static str, doc: &'static str) -> JsonataFunction {
    JsonataFunction {
        name,
        signature,
        doc,
        supported: !matches!(name.as_bytes(), b"eval"),
    }
}

/// The function named `name` (without its `$`).
pub fn function(name: &str) -> Option<&'static JsonataFunction> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Every function, in the order completion offers them.
pub static FUNCTIONS: &[JsonataFunction] = &[
    f(
        "partition",
        "$partition(array, size)",
        "Step Functions: splits an array into chunks of `size` items.",
    ),
    f(
        "range",
        "$range(start, end, step)",
        "Step Functions: the array start, start+step, ... up to end.",
    ),
    f(
        "hash",
        "$hash(value, algorithm)",
        "Step Functions: the hash of a value (`MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`).",
    ),
    f(
        "random",
        "$random([seed])",
        "A random number from 0 (included) to 1 (excluded); Step Functions takes an optional seed.",
    ),
    f("uuid", "$uuid()", "Step Functions: a version 4 UUID."),
    f(
        "parse",
        "$parse(jsonString)",
        "Step Functions: parses a JSON string.",
    ),
    f(
        "string",
        "$string(value[, prettify])",
        "Casts a value to a string (objects and arrays as JSON).",
    ),
    f(
        "length",
        "$length(str)",
        "The number of characters of a string.",
    ),
    f(
        "substring",
        "$substring(str, start[, length])",
        "Part of a string.",
    ),
    f(
        "substringBefore",
        "$substringBefore(str, chars)",
        "The part of a string before the first `chars`.",
    ),
    f(
        "substringAfter",
        "$substringAfter(str, chars)",
        "The part of a string after the first `chars`.",
    ),
    f("uppercase", "$uppercase(str)", "The string in upper case."),
    f("lowercase", "$lowercase(str)", "The string in lower case."),
    f(
        "trim",
        "$trim(str)",
        "The string without leading, trailing and repeated whitespace.",
    ),
    f(
        "pad",
        "$pad(str, width[, char])",
        "Pads a string to `width` characters.",
    ),
    f(
        "contains",
        "$contains(str, pattern)",
        "True when the string holds the text or matches the regular expression.",
    ),
    f(
        "split",
        "$split(str, separator[, limit])",
        "Splits a string into an array.",
    ),
    f(
        "join",
        "$join(array[, separator])",
        "Joins an array of strings.",
    ),
    f(
        "match",
        "$match(str, pattern[, limit])",
        "The matches of a regular expression.",
    ),
    f(
        "replace",
        "$replace(str, pattern, replacement[, limit])",
        "Replaces text or regular-expression matches.",
    ),
    f(
        "base64encode",
        "$base64encode(str)",
        "Encodes a string as Base64.",
    ),
    f(
        "base64decode",
        "$base64decode(str)",
        "Decodes a Base64 string.",
    ),
    f("number", "$number(arg)", "Casts a value to a number."),
    f("abs", "$abs(number)", "The absolute value."),
    f("floor", "$floor(number)", "Rounds down."),
    f("ceil", "$ceil(number)", "Rounds up."),
    f(
        "round",
        "$round(number[, precision])",
        "Rounds half to even.",
    ),
    f(
        "power",
        "$power(base, exponent)",
        "`base` to the power `exponent`.",
    ),
    f("sqrt", "$sqrt(number)", "The square root."),
    f(
        "formatNumber",
        "$formatNumber(number, picture[, options])",
        "Formats a number with a picture string.",
    ),
    f("sum", "$sum(array)", "The sum of an array of numbers."),
    f("max", "$max(array)", "The largest number of an array."),
    f("min", "$min(array)", "The smallest number of an array."),
    f(
        "average",
        "$average(array)",
        "The mean of an array of numbers.",
    ),
    f("boolean", "$boolean(arg)", "Casts a value to a boolean."),
    f("not", "$not(arg)", "The logical negation."),
    f(
        "exists",
        "$exists(arg)",
        "True when the expression has a value (an unassigned variable has none).",
    ),
    f("count", "$count(array)", "The number of items of an array."),
    f("append", "$append(array1, array2)", "Joins two arrays."),
    f("sort", "$sort(array[, function])", "Sorts an array."),
    f("reverse", "$reverse(array)", "The array in reverse order."),
    f("shuffle", "$shuffle(array)", "The array in random order."),
    f(
        "distinct",
        "$distinct(array)",
        "The array without duplicates.",
    ),
    f(
        "zip",
        "$zip(array1, ...)",
        "Interleaves arrays into an array of tuples.",
    ),
    f("keys", "$keys(object)", "The keys of an object."),
    f("lookup", "$lookup(object, key)", "The value of a key."),
    f("spread", "$spread(object)", "An array of one-key objects."),
    f("merge", "$merge(array<object>)", "Merges objects into one."),
    f(
        "each",
        "$each(object, function)",
        "Applies a function to each key/value pair.",
    ),
    f(
        "error",
        "$error(message)",
        "Raises an error: the state fails with `States.QueryEvaluationError`.",
    ),
    f(
        "assert",
        "$assert(condition, message)",
        "Raises an error when the condition is false.",
    ),
    f(
        "type",
        "$type(value)",
        "The type of a value: `null`, `number`, `string`, `boolean`, `array`, `object` or `function`.",
    ),
    f(
        "map",
        "$map(array, function)",
        "Applies a function to each item.",
    ),
    f(
        "filter",
        "$filter(array, function)",
        "The items for which the function is true.",
    ),
    f(
        "single",
        "$single(array, function)",
        "The one item for which the function is true (an error otherwise).",
    ),
    f(
        "reduce",
        "$reduce(array, function[, init])",
        "Folds an array into one value.",
    ),
    f(
        "sift",
        "$sift(object, function)",
        "The key/value pairs for which the function is true.",
    ),
    f(
        "now",
        "$now([picture[, timezone]])",
        "The current time as an ISO 8601 timestamp.",
    ),
    f(
        "millis",
        "$millis()",
        "The current time in milliseconds since the epoch.",
    ),
    f(
        "fromMillis",
        "$fromMillis(number[, picture[, timezone]])",
        "Formats milliseconds since the epoch as a timestamp.",
    ),
    f(
        "toMillis",
        "$toMillis(timestamp[, picture])",
        "Parses a timestamp into milliseconds since the epoch.",
    ),
    f(
        "eval",
        "$eval(expr[, context])",
        "Not supported by Step Functions.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_documented() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            assert!(
                FUNCTIONS.get(..i).unwrap().iter().all(|g| g.name != f.name),
                "{} twice",
                f.name
            );
            assert!(f.signature.starts_with(&format!("${}(", f.name)), "{f:?}");
            assert!(f.doc.ends_with('.'), "{f:?}");
        }
        assert!(function("uppercase").is_some_and(|f| f.supported));
        assert!(function("eval").is_some_and(|f| !f.supported));
    }
}
