//! Generic helpers on the syntax tree that rules and editor features share: where to anchor a
//! finding about a whole object, an object's distinct members, JSONata strings. Nothing here
//! knows a field table or a rule.

use asl_syntax::{Node, Property, TextRange, TextSize};

/// True when `s` is a JSONata expression: `{% ... %}` (whitespace around the delimiters is
/// tolerated here; it is reported by the JSONata rule).
pub fn is_jsonata(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}

/// True when `node` is a string holding a JSONata expression.
pub fn is_jsonata_node(node: &Node) -> bool {
    node.as_str().is_some_and(is_jsonata)
}

/// Where a diagnostic about a whole object (or array, or a value of the wrong type) is
/// anchored without underlining all of it: the opening `{` or `[` of a JSON value or a YAML
/// flow collection. A YAML block mapping has no brace: its first key stands for it. Any other
/// value: its first character. Always whole characters of `text`.
pub fn brace(text: &str, node: &Node) -> TextRange {
    let start = node.range.start();
    if node.range.is_empty() {
        return node.range;
    }
    if let Some(first) = node.as_object().and_then(<[Property]>::first)
        && first.key_range.start() == start
        && !first.key_range.is_empty()
    {
        return first.key_range;
    }
    match text
        .get(usize::from(start)..)
        .and_then(|rest| rest.chars().next())
    {
        Some(c) => TextRange::at(start, TextSize::of(c))
            .intersect(node.range)
            .unwrap_or(TextRange::empty(start)),
        None => TextRange::empty(start),
    }
}

/// The distinct properties of an object in source order (a repeated key, reported by
/// `duplicate-key`, is listed once). Allocates nothing: objects are small.
pub fn distinct_props(node: &Node) -> impl Iterator<Item = &Property> {
    let props = node.as_object().unwrap_or(&[]);
    props.iter().enumerate().filter_map(move |(i, p)| {
        let earlier = props.get(..i).unwrap_or(&[]);
        (!earlier.iter().any(|q| q.key == p.key)).then_some(p)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brace_is_whole_characters() {
        use asl_syntax::{Dialect, parse};
        let at = |text: &str, dialect| {
            let root = parse(text, dialect).root.unwrap();
            let r = brace(text, &root);
            text[std::ops::Range::<usize>::from(r)].to_owned()
        };
        assert_eq!(at("{\"é\": 1}", Dialect::Json), "{");
        assert_eq!(at("[\"é\"]", Dialect::Json), "[");
        assert_eq!(at("\"é\"", Dialect::Json), "\"");
        assert_eq!(at("é: 1\n", Dialect::Yaml), "é");
        assert_eq!(at("\"é\": 1\n", Dialect::Yaml), "\"é\"");
        assert_eq!(at("{é: 1}\n", Dialect::Yaml), "{");
        assert_eq!(at("- é\n", Dialect::Yaml), "-");
        // A scalar where a mapping belongs: its first character.
        assert_eq!(at("ñx\n", Dialect::Yaml), "ñ");
        assert_eq!(at("😀\n", Dialect::Yaml), "😀");
    }

    #[test]
    fn jsonata_strings() {
        assert!(is_jsonata("{% $x %}"));
        assert!(is_jsonata(" {% $x %} "));
        assert!(!is_jsonata("{%"));
        assert!(!is_jsonata("$.x"));
    }
}
