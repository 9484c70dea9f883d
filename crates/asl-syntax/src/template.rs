//! State machines embedded in CloudFormation and SAM templates.
//!
//! A template's `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine` resources
//! hold their definition in one of these properties:
//!
//! - `Definition`: an object, already part of the template's tree, so it is analysed in place.
//! - `DefinitionString`: a string holding JSON, or `Fn::Sub` (of a string, or of a string and
//!   its variables) or `Fn::Join` of strings and intrinsics. The string is decoded into its own
//!   text, with a [`SourceMap`] from each byte of that text to the template's source (through
//!   JSON escapes, YAML quoting, block-scalar indentation and folding), so a finding inside it
//!   points at the exact place in the template.
//! - `DefinitionUri` (SAM) or `DefinitionS3Location` (CloudFormation): a local file when it is a
//!   string (`aws cloudformation package` uploads it), or an S3 location when it is an object.
//!
//! Placeholders: `${Name}` stands for a value that `Fn::Sub` or `DefinitionSubstitutions`
//! provides. Inside a JSON string the analyzer already takes it for a valid value; outside one
//! (`"TimeoutSeconds": ${Timeout}`), the JSON reader reads it as a string holding `${Timeout}`,
//! as it does in every JSON input, so the JSON parses and the field still sees a placeholder. `${!Literal}` is `Fn::Sub`'s escape for the text
//! `${Literal}`. An intrinsic inside `Fn::Join` (`{"Ref": "AWS::Partition"}`) is read as a
//! `${...}` placeholder at its position.

use text_size::{TextRange, TextSize};

use crate::tree::Node;

/// The resource types that hold a state machine definition.
pub const STATE_MACHINE_TYPES: [&str; 2] = [
    "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::StateMachine",
];

/// True when `root` is a CloudFormation or SAM template holding at least one state machine
/// resource. `AWSTemplateFormatVersion` and `Transform` are not required: CDK's synthesized
/// templates have neither, and a `Resources` entry of a state machine type is unambiguous.
pub fn is_template(root: &Node) -> bool {
    state_machines(root).next().is_some()
}

/// The state machine resources of a template: (logical id, its key range, the resource object).
fn state_machines(root: &Node) -> impl Iterator<Item = (&str, TextRange, &Node)> {
    root.get("Resources")
        .and_then(|r| r.value.as_object())
        .unwrap_or(&[])
        .iter()
        .filter(|resource| {
            resource
                .value
                .get("Type")
                .and_then(|t| t.value.as_str())
                .is_some_and(|t| STATE_MACHINE_TYPES.contains(&t))
        })
        .map(|resource| (resource.key.as_str(), resource.key_range, &resource.value))
}

/// One state machine resource of a template.
#[derive(Debug)]
pub struct Embedded<'t> {
    /// The resource's logical id (or the host's name for the definition, as Terraform's
    /// `aws_sfn_state_machine.<name>`).
    pub logical_id: std::borrow::Cow<'t, str>,
    pub id_range: TextRange,
    /// `StateMachineType` (CloudFormation) or `Type` (SAM), when it is a literal string
    /// (Terraform: `type`).
    pub workflow_type: Option<&'t str>,
    /// The JSON pointer of the definition property (`/Resources/Id/Properties/Definition`).
    pub pointer: String,
    pub definition: Definition<'t>,
}

/// Where a resource's definition is.
#[derive(Debug)]
pub enum Definition<'t> {
    /// A `Definition` object, in the template's own tree and text; `key` is the range of the
    /// `Definition` key.
    Object { node: &'t Node, key: TextRange },
    /// A `DefinitionString`, decoded.
    Text(Decoded),
    /// A `DefinitionUri`/`DefinitionS3Location` string: a file, relative to the template.
    File { path: &'t str, range: TextRange },
    /// A definition this reader cannot see: an S3 object, or an intrinsic function whose value
    /// is known only at deployment. `why` says which.
    Elsewhere { range: TextRange, why: &'static str },
    /// No definition property at all.
    Missing,
}

/// The state machine resources of a template, with their definitions.
pub fn definitions<'t>(text: &str, root: &'t Node) -> Vec<Embedded<'t>> {
    state_machines(root)
        .map(|(logical_id, id_range, resource)| {
            let properties = resource.get("Properties").map(|p| &p.value);
            let prop = |name: &str| properties.and_then(|p| p.get(name));
            let workflow_type = prop("StateMachineType")
                .or_else(|| prop("Type"))
                .and_then(|p| p.value.as_str());
            let base = format!("/Resources/{}/Properties", escape_pointer(logical_id));
            let (name, definition) = if let Some(p) = prop("Definition") {
                let definition = if p.value.as_object().is_some() && !p.value.is_cfn_intrinsic() {
                    Definition::Object {
                        node: &p.value,
                        key: p.key_range,
                    }
                } else {
                    Definition::Elsewhere {
                        range: p.value.range,
                        why: "its value is known only when the stack is deployed",
                    }
                };
                ("Definition", definition)
            } else if let Some(p) = prop("DefinitionString") {
                let definition = match decode_definition(text, &p.value) {
                    Some(decoded) => Definition::Text(decoded),
                    None => Definition::Elsewhere {
                        range: p.value.range,
                        why: "its value is known only when the stack is deployed",
                    },
                };
                ("DefinitionString", definition)
            } else if let Some(p) = prop("DefinitionUri").or_else(|| prop("DefinitionS3Location")) {
                let definition = match p.value.as_str() {
                    Some(path) => Definition::File {
                        path,
                        range: p.value.range,
                    },
                    None => Definition::Elsewhere {
                        range: p.value.range,
                        why: "it is stored in S3",
                    },
                };
                (p.key.as_str(), definition)
            } else {
                ("", Definition::Missing)
            };
            Embedded {
                logical_id: logical_id.into(),
                id_range,
                workflow_type,
                pointer: format!("{base}/{name}"),
                definition,
            }
        })
        .collect()
}

pub(crate) fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A `DefinitionString` decoded into its own text, with where each byte came from.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    pub text: String,
    pub map: SourceMap,
}

/// For each byte of a decoded text, the range of the template's source it came from.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// Where an empty range at the very end maps to.
    end: u32,
}

impl Decoded {
    /// A text decoded from another decoded text (its map is into `outer`'s text), mapped
    /// through `outer` into the host's text.
    pub(crate) fn through(self, outer: &SourceMap) -> Decoded {
        let mut map = SourceMap::default();
        for (&start, &end) in self.map.starts.iter().zip(&self.map.ends) {
            let r = outer.range(TextRange::new(
                TextSize::from(start),
                TextSize::from(end.max(start)),
            ));
            map.starts.push(r.start().into());
            map.ends.push(r.end().into());
        }
        map.end = outer
            .range(TextRange::empty(TextSize::from(self.map.end)))
            .start()
            .into();
        Decoded {
            text: self.text,
            map,
        }
    }
}

impl SourceMap {
    /// The template range of a range of the decoded text.
    pub fn range(&self, range: TextRange) -> TextRange {
        let start = usize::from(range.start());
        let end = usize::from(range.end());
        let at = |i: usize| self.starts.get(i).copied().unwrap_or(self.end);
        let from = at(start);
        let to = if end > start {
            self.ends.get(end - 1).copied().unwrap_or(self.end)
        } else {
            from
        };
        TextRange::new(TextSize::from(from), TextSize::from(to.max(from)))
    }

    /// The inverse of [`SourceMap::range`] for a position: the offset in the decoded text of
    /// the template offset `host`. Inside the source of one decoded character (an escape such
    /// as `\"`, or an intrinsic read as a placeholder) it is that character's start; in a gap
    /// the decoded text skips (indentation of a block scalar, the quotes between the parts of
    /// an `Fn::Join`) it is the start of the next character; right after the last character
    /// it is the end of the decoded text. `None` outside the template text the map covers.
    pub fn offset(&self, host: TextSize) -> Option<TextSize> {
        let host = u32::from(host);
        let first = *self.starts.first()?;
        if host < first || host > self.end {
            return None;
        }
        // The starts never decrease: the decoded text is read from the template in order.
        let next = self.starts.partition_point(|&s| s < host);
        let at = |i: usize| TextSize::from(to_u32(i));
        if self.starts.get(next) == Some(&host) {
            return Some(at(next));
        }
        let before = next.checked_sub(1)?;
        let start = *self.starts.get(before)?;
        let end = *self.ends.get(before)?;
        if host < end {
            // The first byte of the character whose source holds `host` (every byte of one
            // character has the same source).
            return Some(at(self.starts.partition_point(|&s| s < start)));
        }
        Some(at(next))
    }

    /// The template range the decoded text comes from: from its first character's source to
    /// the end of its last one's.
    pub fn span(&self) -> Option<TextRange> {
        let first = *self.starts.first()?;
        Some(TextRange::new(
            TextSize::from(first),
            TextSize::from(self.end.max(first)),
        ))
    }
}

/// Builds a decoded text and its map, character by character (also for the Terraform reader,
/// [`crate::terraform`]).
#[derive(Default)]
pub(crate) struct Builder {
    pub(crate) text: String,
    map: SourceMap,
}

impl Builder {
    /// Appends `c`, which came from `start..end` of the host's text.
    pub(crate) fn push(&mut self, c: char, start: usize, end: usize) {
        let (start, end) = (to_u32(start), to_u32(end));
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.map.starts.push(start);
            self.map.ends.push(end);
        }
        self.map.end = end;
    }

    /// Appends `s`, every character of it from `range` of the host's text.
    pub(crate) fn push_str(&mut self, s: &str, range: TextRange) {
        for c in s.chars() {
            self.push(c, range.start().into(), range.end().into());
        }
    }

    /// Appends a string node's value, each character mapped to its source.
    pub(crate) fn push_string(&mut self, text: &str, node: &Node) {
        let Some(value) = node.as_str() else { return };
        let range = node.range;
        let start = usize::from(range.start());
        let raw = text.get(start..usize::from(range.end())).unwrap_or("");
        let before = self.text.len();
        if raw.starts_with('"')
            && self.push_escaped(raw, start)
            && self.text.get(before..) == Some(value)
        {
            return;
        }
        self.truncate(before);
        self.push_aligned(value, raw, start);
    }

    /// The decoded text and its map; an empty range at the text's end maps to `end`.
    pub(crate) fn finish(mut self, end: usize) -> Decoded {
        self.map.end = to_u32(end);
        Decoded {
            text: self.text,
            map: self.map,
        }
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        self.map.starts.truncate(len);
        self.map.ends.truncate(len);
    }

    /// Decodes a double-quoted JSON or YAML string (no line folding), false when it cannot.
    fn push_escaped(&mut self, raw: &str, base: usize) -> bool {
        let body_str = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        let body = body_str.as_bytes();
        let mut i = 0;
        while i < body.len() {
            let start = base + 1 + i;
            let Some(&byte) = body.get(i) else { break };
            if byte == b'\n' {
                return false;
            }
            if byte != b'\\' {
                // `i` is always on a character boundary: escapes are ASCII.
                let Some(c) = body_str.get(i..).and_then(|s| s.chars().next()) else {
                    return false;
                };
                self.push(c, start, start + c.len_utf8());
                i += c.len_utf8();
                continue;
            }
            let Some((c, len)) = crate::tree::decode_escape(body_str, i) else {
                return false;
            };
            self.push(c, start, start + len);
            i += len;
        }
        true
    }

    /// Maps `value` onto `raw` by walking both: each character of the value is the next equal
    /// character of the source, or a folded line break (a space or line feed in the value where
    /// the source breaks the line). What the value lacks (quotes, indentation) is skipped.
    pub(crate) fn push_aligned(&mut self, value: &str, raw: &str, base: usize) {
        let mut source = raw.char_indices();
        for c in value.chars() {
            let mut found = None;
            for (i, s) in source.by_ref() {
                if s == c || (s == '\n' && (c == ' ' || c == '\n')) {
                    found = Some((i, s));
                    break;
                }
            }
            match found {
                Some((i, s)) => self.push(c, base + i, base + i + s.len_utf8()),
                None => {
                    let end = base + raw.len();
                    self.push(c, end, end);
                }
            }
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Decodes a `DefinitionString`: a string, `Fn::Sub` or `Fn::Join`. `None` for anything whose
/// value is known only at deployment (`Fn::If`, `Ref`, …).
pub fn decode_definition(text: &str, node: &Node) -> Option<Decoded> {
    let mut b = Builder::default();
    if node.as_str().is_some() {
        b.push_string(text, node);
    } else {
        let [call] = node.as_object()? else {
            return None;
        };
        match call.key.as_str() {
            "Fn::Sub" => {
                let template = match call.value.as_array() {
                    Some([template, _variables]) => template,
                    Some(_) => return None,
                    None => &call.value,
                };
                template.as_str()?;
                b.push_string(text, template);
            }
            "Fn::Join" => {
                let [delimiter, parts] = call.value.as_array()? else {
                    return None;
                };
                let delimiter = delimiter.as_str()?;
                for (i, part) in parts.as_array()?.iter().enumerate() {
                    if i > 0 {
                        b.push_str(delimiter, TextRange::empty(part.range.start()));
                    }
                    if part.as_str().is_some() {
                        b.push_string(text, part);
                    } else {
                        b.push_str(&format!("${{{}}}", intrinsic_name(part)), part.range);
                    }
                }
            }
            _ => return None,
        }
    }
    b.map.end = b
        .map
        .ends
        .last()
        .copied()
        .unwrap_or(to_u32(node.range.end().into()));
    Some(unescape_literals(b))
}

/// A name for an intrinsic read as a placeholder: the `Ref`'s target, the `Fn::GetAtt`'s
/// attribute, else the function's name.
fn intrinsic_name(node: &Node) -> String {
    match node.as_object() {
        Some([only]) => match (only.key.as_str(), &only.value) {
            ("Ref", v) if v.as_str().is_some() => v.as_str().unwrap_or("").to_owned(),
            ("Fn::GetAtt", v) => match (v.as_str(), v.as_array()) {
                (Some(s), _) => s.to_owned(),
                (_, Some(parts)) => parts
                    .iter()
                    .filter_map(Node::as_str)
                    .collect::<Vec<_>>()
                    .join("."),
                _ => only.key.clone(),
            },
            _ => only.key.clone(),
        },
        _ => "value".to_owned(),
    }
}

/// Reads `${!X}` as the literal `${X}` (`Fn::Sub`'s escape). A `${...}` outside a JSON string
/// is left as it is: the JSON reader reads a bare placeholder in value position as a string
/// holding it (the one reading for every JSON input, see [`crate::parse`]).
fn unescape_literals(decoded: Builder) -> Decoded {
    let Builder { text, map } = decoded;
    if !text.contains("${!") {
        return Decoded { text, map };
    }
    let mut out = Builder::default();
    let place = |i: usize| {
        (
            map.starts.get(i).copied().unwrap_or(map.end) as usize,
            map.ends.get(i).copied().unwrap_or(map.end) as usize,
        )
    };
    for (i, c) in text.char_indices() {
        let literal_bang = c == '!'
            && i >= 2
            && text.get(i - 2..i) == Some("${")
            && text.get(i..).is_some_and(|t| t.contains('}'));
        if literal_bang {
            continue;
        }
        let (start, end) = place(i);
        out.push(c, start, end);
    }
    out.map.end = map.end;
    Decoded {
        text: out.text,
        map: out.map,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use crate::{Dialect, parse};

    fn slice(text: &str, r: TextRange) -> &str {
        &text[usize::from(r.start())..usize::from(r.end())]
    }

    fn embedded(text: &str, dialect: Dialect) -> Vec<(String, Option<String>, String)> {
        let root = parse(text, dialect).root.unwrap();
        assert!(is_template(&root));
        definitions(text, &root)
            .into_iter()
            .map(|e| {
                let what = match &e.definition {
                    Definition::Object { node, .. } => {
                        format!("object {}", slice(text, node.range))
                    }
                    Definition::Text(d) => format!("text {}", d.text),
                    Definition::File { path, .. } => format!("file {path}"),
                    Definition::Elsewhere { why, .. } => format!("elsewhere: {why}"),
                    Definition::Missing => "missing".to_owned(),
                };
                (
                    e.logical_id.to_string(),
                    e.workflow_type.map(str::to_owned),
                    what,
                )
            })
            .collect()
    }

    /// Checks that each occurrence of `needle` in the decoded text maps back to `needle` in the
    /// template.
    fn assert_maps(text: &str, decoded: &Decoded, needle: &str, expect: &str) {
        let at = decoded.text.find(needle).unwrap();
        let range = TextRange::at(
            TextSize::from(at as u32),
            TextSize::from(needle.len() as u32),
        );
        assert_eq!(slice(text, decoded.map.range(range)), expect);
    }

    fn decoded(text: &str, dialect: Dialect) -> Decoded {
        let root = parse(text, dialect).root.unwrap();
        let mut all = definitions(text, &root);
        match all.remove(0).definition {
            Definition::Text(d) => d,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn finds_every_kind_of_definition() {
        let yaml = "Transform: AWS::Serverless-2016-10-31\nResources:\n  A:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Type: EXPRESS\n      Definition:\n        StartAt: X\n  B:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: sm/b.asl.json\n  C:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      StateMachineType: STANDARD\n      DefinitionS3Location:\n        Bucket: b\n        Key: k\n  D:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub '{\"StartAt\": \"${X}\"}'\n  E:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !If [C, a, b]\n  F:\n    Type: AWS::Lambda::Function\n";
        let found = embedded(yaml, Dialect::Yaml);
        let expect: Vec<(String, Option<String>, String)> = vec![
            (
                "A".into(),
                Some("EXPRESS".into()),
                "object StartAt: X".into(),
            ),
            ("B".into(), None, "file sm/b.asl.json".into()),
            (
                "C".into(),
                Some("STANDARD".into()),
                "elsewhere: it is stored in S3".into(),
            ),
            ("D".into(), None, "text {\"StartAt\": \"${X}\"}".into()),
            (
                "E".into(),
                None,
                "elsewhere: its value is known only when the stack is deployed".into(),
            ),
        ];
        assert_eq!(found, expect);
    }

    #[test]
    fn templates_are_recognised() {
        let cdk = parse(
            "{\"Resources\": {\"A\": {\"Type\": \"AWS::StepFunctions::StateMachine\"}}}",
            Dialect::Json,
        )
        .root
        .unwrap();
        assert!(is_template(&cdk));
        let lambda_only = parse("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  F:\n    Type: AWS::Lambda::Function\n", Dialect::Yaml).root.unwrap();
        assert!(!is_template(&lambda_only));
        let machine = parse("{\"StartAt\": \"A\", \"States\": {}}", Dialect::Json)
            .root
            .unwrap();
        assert!(!is_template(&machine));
    }

    #[test]
    fn json_escapes_map_exactly() {
        let text = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Sub": ["{\n  \"StartAt\": \"Caf\u00e9\",\n  \"States\": {\"Café\": {\"Type\": \"Pass\", \"Next\": \"Gone\"}}}", {}]}}}}}"#;
        let d = decoded(text, Dialect::Json);
        assert!(
            d.text.starts_with("{\n  \"StartAt\": \"Café\""),
            "{}",
            d.text
        );
        assert_maps(text, &d, "\"Gone\"", r#"\"Gone\""#);
        assert_maps(text, &d, "Café\",\n", r#"Caf\u00e9\",\n"#);
    }

    #[test]
    fn yaml_block_scalars_map_exactly() {
        let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub |-\n        {\n          \"StartAt\": \"A\",\n          \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Gone\"}}\n        }\n";
        let d = decoded(text, Dialect::Yaml);
        assert!(d.text.starts_with("{\n  \"StartAt\""), "{:?}", d.text);
        assert_maps(text, &d, "\"Gone\"", "\"Gone\"");
        let at = text.find("\"Gone\"").unwrap();
        let mapped = d.map.range(TextRange::at(
            TextSize::from(d.text.find("\"Gone\"").unwrap() as u32),
            TextSize::from(6),
        ));
        assert_eq!(usize::from(mapped.start()), at);
    }

    #[test]
    fn bare_placeholders_are_read_by_the_json_reader_and_literals_lose_their_bang() {
        let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub |\n        {\"TimeoutSeconds\": ${Timeout}, \"Comment\": \"${!Keep} ${Name}\"}\n";
        let d = decoded(text, Dialect::Yaml);
        assert_eq!(
            d.text,
            "{\"TimeoutSeconds\": ${Timeout}, \"Comment\": \"${Keep} ${Name}\"}\n"
        );
        assert_maps(text, &d, "${Timeout}", "${Timeout}");
        assert_maps(text, &d, "${Keep}", "${!Keep}");
        let root = parse(&d.text, Dialect::Json).root.unwrap();
        let timeout = root.get("TimeoutSeconds").unwrap();
        assert_eq!(timeout.value.as_str(), Some("${Timeout}"));
        assert_eq!(slice(text, d.map.range(timeout.value.range)), "${Timeout}");
    }

    /// `offset` inverts `range`: every decoded character's start maps back to itself, and every
    /// template offset inside the definition maps to a character boundary at or after the one
    /// before it.
    fn assert_inverse(text: &str, d: &Decoded) {
        for (i, _) in d.text.char_indices() {
            let at = TextSize::from(i as u32);
            let host = d.map.range(TextRange::empty(at)).start();
            let back = d.map.offset(host).unwrap();
            // Characters from one source (an intrinsic's placeholder) share its start.
            assert!(back <= at, "{i}: {host:?} -> {back:?}");
            assert_eq!(d.map.range(TextRange::empty(back)).start(), host);
        }
        let span = d.map.span().unwrap();
        assert!(usize::from(span.end()) <= text.len());
        let mut last = TextSize::from(0);
        for host in u32::from(span.start())..=u32::from(span.end()) {
            let back = d.map.offset(TextSize::from(host)).unwrap();
            assert!(d.text.is_char_boundary(usize::from(back)), "{host}");
            assert!(back >= last, "{host}: {back:?} < {last:?}");
            last = back;
        }
        // At the end: the end of the decoded text, or the start of a last character that has
        // no source of its own (the line break a block scalar's clipping adds).
        let end = d.map.offset(span.end()).unwrap();
        assert!(
            end == TextSize::of(d.text.as_str())
                || d.map
                    .range(TextRange::at(end, TextSize::from(1)))
                    .is_empty(),
            "{end:?}"
        );
        assert_eq!(d.map.offset(span.start() - TextSize::from(1)), None);
        assert_eq!(d.map.offset(span.end() + TextSize::from(1)), None);
    }

    #[test]
    fn host_offsets_map_into_the_decoded_text() {
        // JSON escapes: `\"` is one character, `\u00e9` two bytes of one.
        let json = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": \"Caf\u00e9\", \"States\": {}}"}}}}"#;
        let d = decoded(json, Dialect::Json);
        assert_inverse(json, &d);
        let host = |needle: &str| TextSize::from(json.find(needle).unwrap() as u32);
        let dec = |needle: &str| TextSize::from(d.text.find(needle).unwrap() as u32);
        assert_eq!(d.map.offset(host("StartAt")), Some(dec("StartAt")));
        // On the backslash of `\"` and on its quote: the decoded quote.
        assert_eq!(d.map.offset(host(r#"\"StartAt"#)), Some(dec("\"StartAt")));
        assert_eq!(
            d.map.offset(host(r#"\"StartAt"#) + TextSize::from(1)),
            Some(dec("\"StartAt"))
        );
        // Inside `\u00e9`: the start of `é`.
        let e = host(r#"\u00e9"#);
        for k in 0..6 {
            assert_eq!(d.map.offset(e + TextSize::from(k)), Some(dec("é")), "{k}");
        }
        // Before the string's opening quote: outside.
        assert_eq!(d.map.offset(host(r#""{\"StartAt"#)), None);

        // A block scalar: the indentation maps to the start of the line's text.
        let yaml = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: !Sub |\n        {\n          \"StartAt\": \"A\",\n          \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}\n        }\n";
        let d = decoded(yaml, Dialect::Yaml);
        assert_inverse(yaml, &d);
        let line = yaml.find("          \"StartAt").unwrap();
        assert_eq!(
            d.map.offset(TextSize::from(line as u32 + 3)),
            Some(TextSize::from(d.text.find("\"StartAt").unwrap() as u32))
        );

        // Fn::Join with an intrinsic: inside it, the placeholder's start.
        let join = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Join": ["", ["{\"StartAt\":\"S\",\"Comment\":\"", {"Ref": "AWS::Partition"}, "\",\"States\":{}}"]]}}}}}"#;
        let d = decoded(join, Dialect::Json);
        assert_inverse(join, &d);
        let r = TextSize::from(join.find(r#"{"Ref""#).unwrap() as u32 + 4);
        assert_eq!(
            d.map.offset(r),
            Some(TextSize::from(
                d.text.find("${AWS::Partition}").unwrap() as u32
            ))
        );
        assert_eq!(SourceMap::default().offset(TextSize::from(0)), None);
    }

    #[test]
    fn join_reads_intrinsics_as_placeholders() {
        let text = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Join": ["", ["{\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Task\",\"Resource\":\"arn:", {"Ref": "AWS::Partition"}, ":states:::sqs:sendMessage\",\"End\":true}}}"]]}}}}}"#;
        let d = decoded(text, Dialect::Json);
        assert!(
            d.text
                .contains("\"arn:${AWS::Partition}:states:::sqs:sendMessage\""),
            "{}",
            d.text
        );
        assert_maps(
            text,
            &d,
            "${AWS::Partition}",
            r#"{"Ref": "AWS::Partition"}"#,
        );
    }
}
