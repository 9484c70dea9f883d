//! State machines in Serverless Framework service files (`serverless.yml`, `serverless.yaml`,
//! `serverless.json`), as the serverless-step-functions plugin reads them.
//!
//! The plugin takes its state machines from the service's top-level `stepFunctions` key:
//!
//! ```yaml
//! stepFunctions:
//!   stateMachines:
//!     orders:                 # the state machine's key: its name here
//!       name: orders-${sls:stage}
//!       type: EXPRESS         # or STANDARD, the default
//!       definition:           # the definition, in place
//!         StartAt: Check
//!         States: {...}
//!     refunds:
//!       definition: ${file(sm/refunds.asl.json)}
//!   activities: [...]
//!   validate: true
//! ```
//!
//! A document is a Serverless host when its top level holds `stepFunctions.stateMachines` with
//! at least one entry, or state machine resources under `resources.Resources` (below); its name
//! does not matter (`serverless.yml` is the usual one). Each entry's `definition` is:
//!
//! - an object: analysed in place ([`Definition::Object`]), so a finding points into the service
//!   file. Serverless variables (`${self:custom.arn}`, `${sls:stage}`, `${env:X}`,
//!   `${opt:stage}`, `${ssm:/x}`, `${cf:stack.out}`, `${aws:region}`, `${param:x}`, …) are
//!   `${...}` placeholders, which the analyzer takes for valid values, also where a number is
//!   required (`TimeoutSeconds: ${self:custom.timeout}`). CloudFormation intrinsics (`Ref`,
//!   `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, and YAML's `!GetAtt` tags, read as their long form) are
//!   intrinsic objects, which stand for valid values too: the plugin turns each into a
//!   `Fn::Sub` variable. So do the plugin's pseudo parameters `#{AWS::Region}`.
//! - `${file(path)}`: a file relative to the service file ([`Definition::File`]), which the
//!   Framework reads in (JSON or YAML).
//! - another string: the plugin passes it on as the `DefinitionString`, so it is decoded as JSON
//!   ([`Definition::Text`]) unless the whole of it is a variable (`${self:custom.definition}`,
//!   `${file(x.yml):machine}`), whose value only the Framework knows ([`Definition::Elsewhere`]).
//! - any other value (a number, a list): analysed in place, where the analyzer says a definition
//!   must be an object (the plugin rejects it: `State machine [x] is malformed`).
//!
//! The service's `resources.Resources` (CloudFormation the Framework merges into the stack) may
//! hold `AWS::StepFunctions::StateMachine` resources too: they are read as a template's
//! ([`crate::template`]), their pointers under `/resources`.
//!
//! Only the tree is read: a `stepFunctions: ${file(includes/state-machines.yml)}` that pulls
//! the whole block in from another file holds no state machine here, but that file is a host of
//! its own: a top-level `stateMachines` mapping (without `stepFunctions`) whose entries have a
//! `definition`, their pointers under `/stateMachines`.

use text_size::TextRange;

use crate::template::{Definition, Embedded, decode_definition, escape_pointer};
use crate::tree::{Node, Property};

/// True when `text` may be a Serverless service file with state machines (the classifier's
/// cheap look): it holds `stateMachines` (and a service file `stepFunctions`, which an
/// included block lacks).
pub fn mentioned(text: &str) -> bool {
    text.contains("stateMachines")
}

/// True when `root` holds `stepFunctions.stateMachines` with at least one state machine, or
/// CloudFormation state machine resources under `resources.Resources`.
pub fn is_serverless(root: &Node) -> bool {
    !state_machines(root).0.is_empty() || resources(root).is_some_and(crate::template::is_template)
}

/// The service's `resources`: CloudFormation that the Framework merges into the stack's
/// template (`resources.Resources` holds resources, as a template's `Resources` does).
fn resources(root: &Node) -> Option<&Node> {
    root.get("resources").map(|r| &r.value)
}

/// The entries of `stepFunctions.stateMachines` when it is a mapping, with the JSON Pointer of
/// the mapping. A file without `stepFunctions` whose top-level `stateMachines` maps names to
/// machines, one of them with a `definition`, is the block that a service file pulls in whole
/// (`stepFunctions: ${file(includes/state-machines.yml)}`, as the plugin's README shows).
fn state_machines(root: &Node) -> (&[Property], &'static str) {
    fn entries(node: Option<&Property>) -> &[Property] {
        node.and_then(|m| m.value.as_object()).unwrap_or(&[])
    }
    match root.get("stepFunctions") {
        Some(block) => (
            entries(block.value.get("stateMachines")),
            "/stepFunctions/stateMachines",
        ),
        None => {
            let all = entries(root.get("stateMachines"));
            let included = all.iter().any(|m| m.value.get("definition").is_some());
            (if included { all } else { &[] }, "/stateMachines")
        }
    }
}

/// The state machines of a Serverless service file, with their definitions: the plugin's, then
/// the CloudFormation resources of `resources.Resources` (read as a template's, their
/// pointers under `/resources`).
pub fn definitions<'t>(text: &str, root: &'t Node) -> Vec<Embedded<'t>> {
    let mut all = plugin_definitions(text, root);
    if let Some(resources) = resources(root) {
        all.extend(
            crate::template::definitions(text, resources)
                .into_iter()
                .map(|mut e| {
                    e.pointer = format!("/resources{}", e.pointer);
                    e
                }),
        );
    }
    all
}

/// The state machines of `stepFunctions.stateMachines`.
fn plugin_definitions<'t>(text: &str, root: &'t Node) -> Vec<Embedded<'t>> {
    let (machines, base) = state_machines(root);
    machines
        .iter()
        .map(|machine| {
            let prop = |name: &str| machine.value.get(name);
            let workflow_type = prop("type").and_then(|p| p.value.as_str());
            let definition =
                prop("definition").map_or(Definition::Missing, |p| definition(text, p));
            Embedded {
                logical_id: machine.key.as_str().into(),
                id_range: machine.key_range,
                workflow_type,
                pointer: format!("{base}/{}/definition", escape_pointer(&machine.key)),
                definition,
            }
        })
        .collect()
}

/// Where a `definition` property's value says the definition is.
fn definition<'t>(text: &str, property: &'t Property) -> Definition<'t> {
    let node = &property.value;
    let Some(s) = node.as_str() else {
        if node.is_cfn_intrinsic() {
            return Definition::Elsewhere {
                range: node.range,
                why: "its value is known only when the stack is deployed",
            };
        }
        return Definition::Object {
            node,
            key: property.key_range,
        };
    };
    match variable(s) {
        Some(Variable::File(path)) => Definition::File {
            path,
            range: path_range(text, node, path),
        },
        Some(Variable::Other) => Definition::Elsewhere {
            range: node.range,
            why: "its value is known only when Serverless resolves its variables",
        },
        None => match decode_definition(text, node) {
            Some(decoded) => Definition::Text(decoded),
            None => Definition::Elsewhere {
                range: node.range,
                why: "its value is known only when Serverless resolves its variables",
            },
        },
    }
}

/// A string that is one Serverless variable, whole.
#[derive(Debug, PartialEq, Eq)]
enum Variable<'s> {
    /// `${file(path)}`: the whole of a file, by its path (quotes removed).
    File(&'s str),
    /// Any other variable (`${self:custom.x}`, `${file(path):key}`, a path made of variables).
    Other,
}

/// The variable `s` is, when the whole of it (spaces aside) is one `${...}`.
fn variable(s: &str) -> Option<Variable<'_>> {
    let body = s.trim().strip_prefix("${")?.strip_suffix('}')?;
    // `${a}${b}` is two variables: still only the Framework knows its value.
    let Some(inner) = body
        .trim()
        .strip_prefix("file(")
        .and_then(|r| r.strip_suffix(')'))
    else {
        return Some(Variable::Other);
    };
    let path = inner.trim();
    let path = ['\'', '"']
        .iter()
        .find_map(|q| path.strip_prefix(*q).and_then(|p| p.strip_suffix(*q)))
        .unwrap_or(path);
    // `./sm/a.json` is `sm/a.json` beside the service file (and is shown so).
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/');
    }
    if path.is_empty() || path.contains(['$', '(', ')', '{', '}', ',']) {
        return Some(Variable::Other);
    }
    Some(Variable::File(path))
}

/// The range of the path inside a `${file(path)}` value, when the source spells the value as
/// it is (a plain YAML scalar, a JSON string without escapes); else the value's range.
fn path_range(text: &str, node: &Node, path: &str) -> TextRange {
    let start = usize::from(node.range.start());
    let raw = text
        .get(start..usize::from(node.range.end()))
        .unwrap_or_default();
    match raw.find(path) {
        Some(at) if !path.is_empty() => TextRange::at(
            node.range.start() + text_size::TextSize::from(at as u32),
            text_size::TextSize::from(path.len() as u32),
        ),
        _ => node.range,
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

    fn found(text: &str, dialect: Dialect) -> Vec<(String, Option<String>, String, String)> {
        let root = parse(text, dialect).root.unwrap();
        definitions(text, &root)
            .into_iter()
            .map(|e| {
                let what = match &e.definition {
                    Definition::Object { node, .. } => {
                        format!("object {}", slice(text, node.range))
                    }
                    Definition::Text(d) => format!("text {}", d.text),
                    Definition::File { path, range } => {
                        format!("file {path} at {}", slice(text, *range))
                    }
                    Definition::Elsewhere { why, .. } => format!("elsewhere: {why}"),
                    Definition::Missing => "missing".to_owned(),
                };
                (
                    e.logical_id.into_owned(),
                    e.workflow_type.map(str::to_owned),
                    e.pointer,
                    what,
                )
            })
            .collect()
    }

    #[test]
    fn every_kind_of_definition_is_found() {
        let text = "service: s\nstepFunctions:\n  stateMachines:\n    fast:\n      type: EXPRESS\n      definition:\n        StartAt: A\n    file:\n      definition: ${file(sm/b.asl.json)}\n    quoted:\n      definition: \"${file('sm/c.yml')}\"\n    part:\n      definition: ${file(sm/d.yml):machine}\n    var:\n      definition: ${self:custom.definition}\n    text:\n      definition: '{\"StartAt\": \"X\"}'\n    number:\n      definition: 5\n    intrinsic:\n      definition: !Sub '{}'\n    none:\n      name: n\n    a/b:\n      definition: {StartAt: B}\n  activities: [x]\n";
        let all = found(text, Dialect::Yaml);
        let p = |k: &str| format!("/stepFunctions/stateMachines/{k}/definition");
        let expect = vec![
            (
                "fast".to_owned(),
                Some("EXPRESS".to_owned()),
                p("fast"),
                "object StartAt: A".to_owned(),
            ),
            (
                "file".into(),
                None,
                p("file"),
                "file sm/b.asl.json at sm/b.asl.json".into(),
            ),
            (
                "quoted".into(),
                None,
                p("quoted"),
                "file sm/c.yml at sm/c.yml".into(),
            ),
            (
                "part".into(),
                None,
                p("part"),
                "elsewhere: its value is known only when Serverless resolves its variables".into(),
            ),
            (
                "var".into(),
                None,
                p("var"),
                "elsewhere: its value is known only when Serverless resolves its variables".into(),
            ),
            (
                "text".into(),
                None,
                p("text"),
                "text {\"StartAt\": \"X\"}".into(),
            ),
            ("number".into(), None, p("number"), "object 5".into()),
            (
                "intrinsic".into(),
                None,
                p("intrinsic"),
                "elsewhere: its value is known only when the stack is deployed".into(),
            ),
            ("none".into(), None, p("none"), "missing".into()),
            ("a/b".into(), None, p("a~1b"), "object {StartAt: B}".into()),
        ];
        assert_eq!(all, expect);
    }

    #[test]
    fn documents_are_recognised_by_their_tree() {
        let yes = |text: &str, dialect| is_serverless(&parse(text, dialect).root.unwrap());
        assert!(yes(
            "{\"service\": \"s\", \"stepFunctions\": {\"stateMachines\": {\"m\": {\"definition\": {}}}}}",
            Dialect::Json
        ));
        assert!(yes(
            "stepFunctions:\n  stateMachines:\n    m:\n      definition: {}\n",
            Dialect::Yaml
        ));
        // No state machine: not a host (a named file gets a note instead).
        assert!(!yes("service: s\nprovider: {name: aws}\n", Dialect::Yaml));
        assert!(!yes("stepFunctions:\n  stateMachines: {}\n", Dialect::Yaml));
        assert!(!yes(
            "stepFunctions:\n  stateMachines:\n    - m\n",
            Dialect::Yaml
        ));
        assert!(!yes(
            "stepFunctions: ${file(includes/sm.yml)}\n",
            Dialect::Yaml
        ));
        assert!(!yes("[1, 2]", Dialect::Json));
        // CloudFormation state machines in the service's `resources`.
        assert!(yes(
            "service: s\nresources:\n  Resources:\n    M:\n      Type: AWS::StepFunctions::StateMachine\n",
            Dialect::Yaml
        ));
        assert!(!yes(
            "service: s\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n",
            Dialect::Yaml
        ));
        assert!(mentioned("stepFunctions:\n  stateMachines:\n"));
        assert!(!mentioned("stepFunctions:\n  activities: [a]\n"));
        // The block a service file includes whole.
        assert!(yes(
            "stateMachines:\n  m:\n    name: x\n    definition: {StartAt: A}\n",
            Dialect::Yaml
        ));
        assert!(!yes("stateMachines:\n  m:\n    name: x\n", Dialect::Yaml));
        assert!(!yes(
            "stepFunctions: {}\nstateMachines:\n  m:\n    definition: {}\n",
            Dialect::Yaml
        ));
    }

    #[test]
    fn resources_are_read_as_a_template() {
        let text = "service: s\nstepFunctions:\n  stateMachines:\n    a:\n      definition: {StartAt: A}\nresources:\n  Resources:\n    B:\n      Type: AWS::StepFunctions::StateMachine\n      Properties:\n        StateMachineType: EXPRESS\n        Definition: {StartAt: B}\n";
        let all = found(text, Dialect::Yaml);
        assert_eq!(
            all,
            vec![
                (
                    "a".to_owned(),
                    None,
                    "/stepFunctions/stateMachines/a/definition".to_owned(),
                    "object {StartAt: A}".to_owned()
                ),
                (
                    "B".to_owned(),
                    Some("EXPRESS".to_owned()),
                    "/resources/Resources/B/Properties/Definition".to_owned(),
                    "object {StartAt: B}".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn file_variables_are_read() {
        assert_eq!(variable("${file(a.json)}"), Some(Variable::File("a.json")));
        assert_eq!(
            variable(" ${ file( \"./a b.yml\" ) } "),
            Some(Variable::File("a b.yml"))
        );
        assert_eq!(variable("${file(./)}"), Some(Variable::Other));
        assert_eq!(
            variable("${file(../x.json)}"),
            Some(Variable::File("../x.json"))
        );
        assert_eq!(variable("${file(a.yml):k}"), Some(Variable::Other));
        assert_eq!(
            variable("${file(sm/${opt:stage}.json)}"),
            Some(Variable::Other)
        );
        assert_eq!(variable("${file()}"), Some(Variable::Other));
        assert_eq!(variable("${self:custom.x}"), Some(Variable::Other));
        assert_eq!(variable("{\"StartAt\": \"${x}\"}"), None);
        assert_eq!(variable("${"), None);
    }

    #[test]
    fn the_path_range_is_inside_the_value() {
        let text =
            "stepFunctions:\n  stateMachines:\n    m:\n      definition: ${file(sm/a.json)}\n";
        let root = parse(text, Dialect::Yaml).root.unwrap();
        let all = definitions(text, &root);
        let Definition::File { path, .. } = all[0].definition else {
            panic!("{:?}", all[0].definition)
        };
        let node = &root.get("stepFunctions").unwrap().value;
        let node = &node.get("stateMachines").unwrap().value;
        let node = &node
            .get("m")
            .unwrap()
            .value
            .get("definition")
            .unwrap()
            .value;
        assert_eq!(slice(text, path_range(text, node, path)), "sm/a.json");
    }
}
