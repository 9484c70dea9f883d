//! The state graph as a diagram: Mermaid (renders in GitHub Markdown) or Graphviz DOT.
//!
//! Both formats draw the same picture, built once by [`build`]:
//! - every state is a node labelled with its name and its type, shaped by type (Choice a
//!   diamond, Wait a hexagon, Succeed and Fail rounded ends, Parallel and Map a double-sided
//!   box); Fail is red, Succeed green;
//! - a `start` marker points to the top-level `StartAt`; every terminal state (`"End": true`,
//!   Succeed, Fail) points to an `end` marker of its own scope;
//! - edges: `Next` unlabelled, each Choice rule labelled with a short rendering of the rule,
//!   `Default`, and each catcher dashed and labelled `Catch: <ErrorEquals>`;
//! - each Parallel branch and each Map item processor is a subgraph placed beside its state
//!   (in the state's own scope, so they nest to any depth), titled `<state> · branch N` or
//!   `<state> · items`; a thick edge leads from the Parallel or Map state to the first state of
//!   each branch. The flow continues from the Parallel or Map state itself once its branches
//!   are done;
//! - a state no path from its scope's `StartAt` reaches is greyed and dashed, and its label
//!   says `unreachable`;
//! - a transition to a state that does not exist leads to a red dashed `missing` node (a
//!   `${...}` placeholder to a `placeholder` node), never to a crash.
//!
//! States are emitted in source order, so the output is deterministic.

use std::collections::HashMap;
use std::fmt::Write as _;

use asl_syntax::Property;
use asl_syntax::Value;
use asl_syntax::ast::{ChoiceRule, Machine, ScopeId, ScopeKind, State, StateId, StateKind};

use crate::graph::{EdgeKind, Graph};

/// Longest edge label, in characters, before it is cut with `…`.
const MAX_LABEL: usize = 40;

/// The state machine as a Mermaid `flowchart`.
pub fn mermaid(machine: &Machine<'_>, graph: &Graph<'_>) -> String {
    let diagram = build(machine, graph);
    let mut out = String::from("flowchart TD\n");
    mermaid_items(&mut out, &diagram.items, 1);
    for edge in &diagram.edges {
        let arrow = match edge.style {
            EdgeStyle::Solid => "-->",
            EdgeStyle::Dashed => "-.->",
            EdgeStyle::Thick => "==>",
        };
        let _ = match &edge.label {
            Some(label) => writeln!(
                out,
                "  {} {arrow}|\"{}\"| {}",
                edge.from,
                mermaid_escape(label),
                edge.to
            ),
            None => writeln!(out, "  {} {arrow} {}", edge.from, edge.to),
        };
    }
    for class in Class::ALL {
        let _ = writeln!(out, "  classDef {} {}", class.name(), class.mermaid_style());
    }
    for class in Class::ALL {
        let ids = diagram.with_class(class);
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {}", ids.join(","), class.name());
        }
    }
    out
}

/// The state machine as a Graphviz `digraph`.
pub fn dot(machine: &Machine<'_>, graph: &Graph<'_>) -> String {
    let diagram = build(machine, graph);
    let mut out = String::from("digraph \"state machine\" {\n");
    out.push_str("  node [shape=box, fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    dot_items(&mut out, &diagram.items, 1);
    for edge in &diagram.edges {
        let mut attrs = Vec::new();
        if let Some(label) = &edge.label {
            attrs.push(format!("label=\"{}\"", dot_escape(label)));
        }
        match edge.style {
            EdgeStyle::Solid => {}
            EdgeStyle::Dashed => attrs.push("style=dashed".to_owned()),
            EdgeStyle::Thick => attrs.push("style=bold".to_owned()),
        }
        let _ = if attrs.is_empty() {
            writeln!(out, "  {} -> {};", edge.from, edge.to)
        } else {
            writeln!(
                out,
                "  {} -> {} [{}];",
                edge.from,
                edge.to,
                attrs.join(", ")
            )
        };
    }
    out.push_str("}\n");
    out
}

/// The picture both formats draw.
#[derive(Debug, Default)]
struct Diagram {
    items: Vec<Item>,
    edges: Vec<Edge>,
}

impl Diagram {
    /// The ids of the nodes of a class, in output order.
    fn with_class(&self, class: Class) -> Vec<String> {
        fn walk(items: &[Item], class: Class, out: &mut Vec<String>) {
            for item in items {
                match item {
                    Item::Node(node) if node.class == Some(class) => out.push(node.id.clone()),
                    Item::Node(_) => {}
                    Item::Cluster { items, .. } => walk(items, class, out),
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, class, &mut out);
        out
    }
}

#[derive(Debug)]
enum Item {
    Node(NodeDef),
    Cluster {
        id: String,
        title: String,
        items: Vec<Item>,
    },
}

#[derive(Debug)]
struct NodeDef {
    id: String,
    /// The state name (or the marker's text).
    title: String,
    /// The type line under the title (`Task`, `Choice · unreachable`), if any.
    subtitle: Option<String>,
    shape: Shape,
    class: Option<Class>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Box,
    Rounded,
    Diamond,
    Hexagon,
    Stadium,
    Subroutine,
    Start,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Succeed,
    Fail,
    Unreachable,
    Missing,
}

impl Class {
    const ALL: [Class; 4] = [
        Class::Succeed,
        Class::Fail,
        Class::Unreachable,
        Class::Missing,
    ];

    fn name(self) -> &'static str {
        match self {
            Class::Succeed => "succeed",
            Class::Fail => "fail",
            Class::Unreachable => "unreachable",
            Class::Missing => "missing",
        }
    }

    fn mermaid_style(self) -> &'static str {
        match self {
            Class::Succeed => "fill:#e3f5e1,stroke:#3a8a34,color:#1e4d1b",
            Class::Fail => "fill:#fbe1e1,stroke:#c0392b,color:#7b1d14",
            Class::Unreachable => "fill:#f2f2f2,stroke:#999,stroke-dasharray:4 3,color:#777",
            Class::Missing => "fill:#fff,stroke:#c0392b,stroke-dasharray:2 2,color:#c0392b",
        }
    }

    /// DOT styles and attributes of the class.
    fn dot_attrs(self) -> (&'static [&'static str], &'static str) {
        match self {
            Class::Succeed => (&["filled"], "fillcolor=\"#e3f5e1\", color=\"#3a8a34\""),
            Class::Fail => (&["filled"], "fillcolor=\"#fbe1e1\", color=\"#c0392b\""),
            Class::Unreachable => (
                &["dashed", "filled"],
                "fillcolor=\"#f2f2f2\", color=\"#999999\", fontcolor=\"#777777\"",
            ),
            Class::Missing => (&["dashed"], "color=\"#c0392b\", fontcolor=\"#c0392b\""),
        }
    }
}

#[derive(Debug)]
struct Edge {
    from: String,
    to: String,
    label: Option<String>,
    style: EdgeStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EdgeStyle {
    Solid,
    Dashed,
    Thick,
}

fn state_id(id: StateId) -> String {
    format!("s{id}")
}

fn end_id(scope: ScopeId) -> String {
    format!("f{scope}")
}

const START_ID: &str = "start0";

/// A node standing for a target that names no state.
#[derive(Debug)]
struct MissingNode {
    id: String,
    name: String,
    placeholder: bool,
}

fn build(machine: &Machine<'_>, graph: &Graph<'_>) -> Diagram {
    let mut edges = Vec::new();
    // Missing targets by scope, first seen first; one node per (scope, name).
    let mut missing: HashMap<ScopeId, Vec<MissingNode>> = HashMap::new();
    let mut missing_count = 0usize;
    let mut missing_node = |scope: ScopeId, name: &str, placeholder: bool| -> String {
        let list = missing.entry(scope).or_default();
        if let Some(node) = list.iter().find(|n| n.name == name) {
            return node.id.clone();
        }
        let id = format!("m{missing_count}");
        missing_count += 1;
        list.push(MissingNode {
            id: id.clone(),
            name: name.to_owned(),
            placeholder,
        });
        id
    };
    let mut has_end = vec![false; machine.scopes.len()];

    // The start marker and the edge to the top-level StartAt.
    if let Some(root) = machine.root_scope() {
        let target = match (graph.start(root.id), root.start_at()) {
            (Some(id), _) => Some(state_id(id)),
            (None, Some(name)) => Some(missing_node(root.id, name, asl_syntax::is_templated(name))),
            (None, None) => None,
        };
        if let Some(to) = target {
            edges.push(Edge {
                from: START_ID.to_owned(),
                to,
                label: None,
                style: EdgeStyle::Solid,
            });
        }
    }

    for state in &machine.states {
        let from = state_id(state.id);
        for &child in &state.children {
            let Some(scope) = machine.scope(child) else {
                continue;
            };
            let to = match (graph.start(child), scope.start_at()) {
                (Some(id), _) => state_id(id),
                (None, Some(name)) => missing_node(child, name, asl_syntax::is_templated(name)),
                (None, None) => missing_node(child, "(no StartAt)", false),
            };
            edges.push(Edge {
                from: from.clone(),
                to,
                label: Some(scope_title(machine, child, false)),
                style: EdgeStyle::Thick,
            });
        }
        for t in graph.transitions(state.id) {
            let to = match t.target {
                Some(id) => state_id(id),
                None => missing_node(state.scope, t.name, t.templated),
            };
            let (label, style) = match t.kind {
                EdgeKind::Next => (None, EdgeStyle::Solid),
                EdgeKind::Choice(i) => (
                    Some(
                        state
                            .choices
                            .get(i)
                            .map_or_else(|| format!("rule {}", i + 1), rule_label),
                    ),
                    EdgeStyle::Solid,
                ),
                EdgeKind::Default => (Some("Default".to_owned()), EdgeStyle::Solid),
                EdgeKind::Catch(i) => (Some(catch_label(state, i)), EdgeStyle::Dashed),
            };
            edges.push(Edge {
                from: from.clone(),
                to,
                label: label.map(|l| truncate(&l)),
                style,
            });
        }
        if state.is_terminal() {
            if let Some(slot) = has_end.get_mut(state.scope) {
                *slot = true;
            }
            edges.push(Edge {
                from: from.clone(),
                to: end_id(state.scope),
                label: None,
                style: EdgeStyle::Solid,
            });
        }
    }

    let mut items = Vec::new();
    if machine.root_scope().is_some() {
        items.push(Item::Node(NodeDef {
            id: START_ID.to_owned(),
            title: "start".to_owned(),
            subtitle: None,
            shape: Shape::Start,
            class: None,
        }));
        scope_items(machine, graph, 0, &missing, &has_end, &mut items);
    }
    Diagram { items, edges }
}

/// The nodes and subgraphs of one scope, in source order, then its missing targets and its end
/// marker.
fn scope_items(
    machine: &Machine<'_>,
    graph: &Graph<'_>,
    scope: ScopeId,
    missing: &HashMap<ScopeId, Vec<MissingNode>>,
    has_end: &[bool],
    items: &mut Vec<Item>,
) {
    let resolved = graph.is_resolved(scope);
    for state in machine.states_of(scope) {
        let unreachable = resolved && !graph.is_reachable(state.id);
        items.push(Item::Node(state_node(state, unreachable)));
        for &child in &state.children {
            let mut inner = Vec::new();
            scope_items(machine, graph, child, missing, has_end, &mut inner);
            items.push(Item::Cluster {
                id: format!("g{child}"),
                title: scope_title(machine, child, true),
                items: inner,
            });
        }
    }
    for node in missing.get(&scope).into_iter().flatten() {
        items.push(Item::Node(NodeDef {
            id: node.id.clone(),
            title: node.name.clone(),
            subtitle: Some(
                if node.placeholder {
                    "placeholder"
                } else {
                    "missing"
                }
                .to_owned(),
            ),
            shape: Shape::Box,
            class: Some(Class::Missing),
        }));
    }
    if has_end.get(scope).copied().unwrap_or(false) {
        items.push(Item::Node(NodeDef {
            id: end_id(scope),
            title: "end".to_owned(),
            subtitle: None,
            shape: Shape::End,
            class: None,
        }));
    }
}

fn state_node(state: &State<'_>, unreachable: bool) -> NodeDef {
    let (shape, class) = match state.kind {
        StateKind::Task | StateKind::Unknown | StateKind::Missing => (Shape::Box, None),
        StateKind::Pass => (Shape::Rounded, None),
        StateKind::Choice => (Shape::Diamond, None),
        StateKind::Wait => (Shape::Hexagon, None),
        StateKind::Succeed => (Shape::Stadium, Some(Class::Succeed)),
        StateKind::Fail => (Shape::Stadium, Some(Class::Fail)),
        StateKind::Parallel | StateKind::Map => (Shape::Subroutine, None),
    };
    let mut subtitle = state.kind.as_str().to_owned();
    if state.is_distributed_map() {
        subtitle.push_str(" (distributed)");
    }
    let class = if unreachable {
        subtitle.push_str(" · unreachable");
        Some(Class::Unreachable)
    } else {
        class
    };
    NodeDef {
        id: state_id(state.id),
        title: state.name.to_owned(),
        subtitle: Some(subtitle),
        shape,
        class,
    }
}

/// `P · branch 2`, `M · items` (`branch 2`, `items` when `with_state` is false).
fn scope_title(machine: &Machine<'_>, scope: ScopeId, with_state: bool) -> String {
    let Some(scope) = machine.scope(scope) else {
        return String::new();
    };
    let (parent, what) = match scope.kind {
        ScopeKind::Root => return "state machine".to_owned(),
        ScopeKind::Branch { parent, index } => (parent, format!("branch {}", index + 1)),
        ScopeKind::Processor { parent, .. } => (parent, "items".to_owned()),
    };
    if with_state {
        format!("{} · {what}", machine.state_name(parent))
    } else {
        what
    }
}

fn catch_label(state: &State<'_>, index: usize) -> String {
    let errors: Vec<String> = state
        .catchers
        .get(index)
        .and_then(|c| c.fields.error_equals)
        .and_then(|p| p.value.as_array())
        .unwrap_or(&[])
        .iter()
        .map(|n| n.as_str().map_or_else(|| "?".to_owned(), str::to_owned))
        .collect();
    if errors.is_empty() {
        "Catch".to_owned()
    } else {
        format!("Catch: {}", errors.join(", "))
    }
}

/// A short rendering of a Choice rule: `$.status == "done"`, `$.n >= 3 and $.ok is present`,
/// `not ($.x is null)`, or the text of a JSONata `Condition`.
fn rule_label(rule: &ChoiceRule<'_>) -> String {
    let text = rule_text(rule);
    if text.is_empty() {
        "rule".to_owned()
    } else {
        text
    }
}

fn rule_text(rule: &ChoiceRule<'_>) -> String {
    if let Some(condition) = rule.fields.condition {
        return match &condition.value.value {
            Value::String(s) => {
                let s = s.trim();
                let s = s
                    .strip_prefix("{%")
                    .and_then(|s| s.strip_suffix("%}"))
                    .unwrap_or(s);
                s.trim().to_owned()
            }
            Value::Bool(b) => b.to_string(),
            _ => "Condition".to_owned(),
        };
    }
    let nested = |join: &str| -> String {
        rule.nested
            .iter()
            .map(|r| {
                let inner = rule_text(r);
                if r.fields.and.is_some() || r.fields.or.is_some() {
                    format!("({inner})")
                } else {
                    inner
                }
            })
            .collect::<Vec<_>>()
            .join(join)
    };
    if rule.fields.and.is_some() {
        return nested(" and ");
    }
    if rule.fields.or.is_some() {
        return nested(" or ");
    }
    if rule.fields.not.is_some() {
        return format!("not ({})", nested(" "));
    }
    let variable = rule
        .fields
        .variable
        .and_then(|p| p.value.as_str())
        .unwrap_or("?");
    rule.operators
        .iter()
        .map(|op| comparison(variable, op))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// `$.x == "a"`, `$.n < $.limit`, `$.x is not null`.
fn comparison(variable: &str, op: &Property) -> String {
    let name = op.key.as_str();
    if let Some(test) = name.strip_prefix("Is") {
        let what = test.to_ascii_lowercase();
        return match op.value.as_bool() {
            Some(false) => format!("{variable} is not {what}"),
            _ => format!("{variable} is {what}"),
        };
    }
    let (name, is_path) = match name.strip_suffix("Path") {
        Some(base) => (base, true),
        None => (name, false),
    };
    let relation = ["String", "Numeric", "Boolean", "Timestamp"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .unwrap_or(name);
    let symbol = match relation {
        "Equals" => "==",
        "LessThan" => "<",
        "GreaterThan" => ">",
        "LessThanEquals" => "<=",
        "GreaterThanEquals" => ">=",
        "Matches" => "matches",
        other => other,
    };
    let value = match &op.value.value {
        Value::String(s) if is_path => s.clone(),
        Value::String(s) => format!("\"{s}\""),
        Value::Number(n) => number(*n),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Object(_) | Value::Array(_) => "…".to_owned(),
    };
    format!("{variable} {symbol} {value}")
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Cuts a label to [`MAX_LABEL`] characters, ending it with `…` when cut; line breaks and other
/// control characters become spaces.
fn truncate(label: &str) -> String {
    let clean: String = label
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() <= MAX_LABEL {
        return clean;
    }
    let mut out: String = clean.chars().take(MAX_LABEL - 1).collect();
    out.push('…');
    out
}

/// Text for a double-quoted Mermaid label: `"` and the characters Mermaid or HTML would read
/// (`#` starts an entity code, `<`, `>`, `&` are HTML, `|` ends an edge label, a backtick starts
/// a Markdown string) become Mermaid entity codes; control characters become spaces.
fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '&' => out.push_str("#38;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a double-quoted DOT string: `\` and `"` escaped, line breaks as spaces.
fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn mermaid_items(out: &mut String, items: &[Item], depth: usize) {
    for item in items {
        indent(out, depth);
        match item {
            Item::Node(node) => {
                let mut label = mermaid_escape(&node.title);
                if let Some(subtitle) = &node.subtitle {
                    let _ = write!(label, "<br/><small>{}</small>", mermaid_escape(subtitle));
                }
                let (open, close) = match node.shape {
                    Shape::Box => ("[", "]"),
                    Shape::Rounded => ("(", ")"),
                    Shape::Diamond => ("{", "}"),
                    Shape::Hexagon => ("{{", "}}"),
                    Shape::Stadium => ("([", "])"),
                    Shape::Subroutine => ("[[", "]]"),
                    Shape::Start => ("((", "))"),
                    Shape::End => ("(((", ")))"),
                };
                let _ = writeln!(out, "{}{open}\"{label}\"{close}", node.id);
            }
            Item::Cluster { id, title, items } => {
                let _ = writeln!(out, "subgraph {id}[\"{}\"]", mermaid_escape(title));
                mermaid_items(out, items, depth + 1);
                indent(out, depth);
                out.push_str("end\n");
            }
        }
    }
}

fn dot_items(out: &mut String, items: &[Item], depth: usize) {
    for item in items {
        indent(out, depth);
        match item {
            Item::Node(node) => {
                let mut label = dot_escape(&node.title);
                if let Some(subtitle) = &node.subtitle {
                    let _ = write!(label, "\\n{}", dot_escape(subtitle));
                }
                let (shape, rounded) = match node.shape {
                    Shape::Box => ("box", false),
                    Shape::Rounded | Shape::Stadium => ("box", true),
                    Shape::Diamond => ("diamond", false),
                    Shape::Hexagon => ("hexagon", false),
                    Shape::Subroutine => ("box, peripheries=2", false),
                    Shape::Start => ("circle", false),
                    Shape::End => ("doublecircle", false),
                };
                let mut styles: Vec<&str> = Vec::new();
                if rounded {
                    styles.push("rounded");
                }
                let mut extra = String::new();
                if let Some(class) = node.class {
                    let (more, attrs) = class.dot_attrs();
                    styles.extend_from_slice(more);
                    let _ = write!(extra, ", {attrs}");
                }
                let style = if styles.is_empty() {
                    String::new()
                } else {
                    format!(", style=\"{}\"", styles.join(","))
                };
                let _ = writeln!(
                    out,
                    "{} [label=\"{label}\", shape={shape}{style}{extra}];",
                    node.id
                );
            }
            Item::Cluster { id, title, items } => {
                let _ = writeln!(out, "subgraph cluster_{id} {{");
                indent(out, depth + 1);
                let _ = writeln!(out, "label=\"{}\";", dot_escape(title));
                indent(out, depth + 1);
                out.push_str("style=dashed;\n");
                dot_items(out, items, depth + 1);
                indent(out, depth);
                out.push_str("}\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;
    use asl_syntax::{Dialect, parse};

    fn both(text: &str) -> (String, String) {
        let parse = parse(text, Dialect::Json);
        let root = parse.root.expect("valid JSON");
        let machine = Machine::new(&root);
        let graph = Graph::new(&machine);
        (mermaid(&machine, &graph), dot(&machine, &graph))
    }

    #[test]
    fn linear_machine() {
        let (m, d) = both(
            r#"{"StartAt": "A", "States": {
                "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Next": "B"},
                "B": {"Type": "Wait", "Seconds": 5, "Next": "C"},
                "C": {"Type": "Succeed"}}}"#,
        );
        assert_eq!(
            m,
            "flowchart TD
  start0((\"start\"))
  s0[\"A<br/><small>Task</small>\"]
  s1{{\"B<br/><small>Wait</small>\"}}
  s2([\"C<br/><small>Succeed</small>\"])
  f0(((\"end\")))
  start0 --> s0
  s0 --> s1
  s1 --> s2
  s2 --> f0
  classDef succeed fill:#e3f5e1,stroke:#3a8a34,color:#1e4d1b
  classDef fail fill:#fbe1e1,stroke:#c0392b,color:#7b1d14
  classDef unreachable fill:#f2f2f2,stroke:#999,stroke-dasharray:4 3,color:#777
  classDef missing fill:#fff,stroke:#c0392b,stroke-dasharray:2 2,color:#c0392b
  class s2 succeed
"
        );
        assert_eq!(
            d,
            "digraph \"state machine\" {
  node [shape=box, fontname=\"Helvetica\"];
  edge [fontname=\"Helvetica\", fontsize=10];
  start0 [label=\"start\", shape=circle];
  s0 [label=\"A\\nTask\", shape=box];
  s1 [label=\"B\\nWait\", shape=hexagon];
  s2 [label=\"C\\nSucceed\", shape=box, style=\"rounded,filled\", fillcolor=\"#e3f5e1\", color=\"#3a8a34\"];
  f0 [label=\"end\", shape=doublecircle];
  start0 -> s0;
  s0 -> s1;
  s1 -> s2;
  s2 -> f0;
}
"
        );
    }

    #[test]
    fn choice_rules_are_labelled() {
        let (m, d) = both(
            r#"{"StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [
                    {"Variable": "$.status", "StringEquals": "done", "Next": "Ok"},
                    {"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.limit", "Next": "Ok"},
                    {"And": [{"Variable": "$.a", "IsPresent": true},
                             {"Not": {"Variable": "$.b", "IsNull": true}}], "Next": "Ok"},
                    {"Or": [{"Variable": "$.x", "NumericLessThan": 1.5},
                            {"Variable": "$.y", "BooleanEquals": false}], "Next": "Bad"},
                    {"Variable": "$.very.long.variable.name.indeed", "StringMatches": "prefix*suffix", "Next": "Bad"}
                ], "Default": "Bad"},
                "Ok": {"Type": "Succeed"},
                "Bad": {"Type": "Fail", "Error": "E"}}}"#,
        );
        assert!(m.contains("s0{\"C<br/><small>Choice</small>\"}"), "{m}");
        assert!(
            m.contains("s0 -->|\"$.status == #quot;done#quot;\"| s1"),
            "{m}"
        );
        assert!(m.contains("s0 -->|\"$.n #62;= $.limit\"| s1"), "{m}");
        assert!(
            m.contains("s0 -->|\"$.a is present and not ($.b is null)\"| s1"),
            "{m}"
        );
        assert!(
            m.contains("s0 -->|\"$.x #60; 1.5 or $.y == false\"| s2"),
            "{m}"
        );
        assert!(
            m.contains("s0 -->|\"$.very.long.variable.name.indeed matche…\"| s2"),
            "{m}"
        );
        assert!(m.contains("s0 -->|\"Default\"| s2"), "{m}");
        assert!(m.contains("class s2 fail"), "{m}");
        assert!(
            d.contains("s0 [label=\"C\\nChoice\", shape=diamond];"),
            "{d}"
        );
        assert!(
            d.contains("s0 -> s1 [label=\"$.status == \\\"done\\\"\"];"),
            "{d}"
        );
        assert!(d.contains("s0 -> s2 [label=\"Default\"];"), "{d}");
    }

    #[test]
    fn jsonata_condition_is_shown_as_written() {
        let (m, _) = both(
            r#"{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [
                    {"Condition": "{% $states.input.total > 100 %}", "Next": "D"}], "Default": "D"},
                "D": {"Type": "Succeed"}}}"#,
        );
        assert!(
            m.contains("s0 -->|\"$states.input.total #62; 100\"| s1"),
            "{m}"
        );
    }

    #[test]
    fn catchers_are_dashed_with_their_errors() {
        let (m, d) = both(
            r#"{"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true,
                      "Catch": [{"ErrorEquals": ["States.Timeout", "Custom.Err"], "Next": "F"},
                                {"ErrorEquals": ["States.ALL"], "Next": "F"}]},
                "F": {"Type": "Fail"}}}"#,
        );
        assert!(
            m.contains("s0 -.->|\"Catch: States.Timeout, Custom.Err\"| s1"),
            "{m}"
        );
        assert!(m.contains("s0 -.->|\"Catch: States.ALL\"| s1"), "{m}");
        assert!(m.contains("s0 --> f0"), "{m}");
        assert!(
            d.contains("s0 -> s1 [label=\"Catch: States.ALL\", style=dashed];"),
            "{d}"
        );
    }

    #[test]
    fn parallel_and_map_nest_as_subgraphs() {
        let (m, d) = both(
            r#"{"StartAt": "P", "States": {
                "P": {"Type": "Parallel", "Next": "Done", "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
                        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                            "StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}}}}]},
                "Done": {"Type": "Succeed"}}}"#,
        );
        let expected_nodes = "  start0((\"start\"))
  s0[[\"P<br/><small>Parallel</small>\"]]
  subgraph g1[\"P · branch 1\"]
    s1(\"A<br/><small>Pass</small>\")
    f1(((\"end\")))
  end
  subgraph g2[\"P · branch 2\"]
    s2[[\"M<br/><small>Map (distributed)</small>\"]]
    subgraph g3[\"M · items\"]
      s3(\"X<br/><small>Pass</small>\")
      f3(((\"end\")))
    end
    f2(((\"end\")))
  end
  s4([\"Done<br/><small>Succeed</small>\"])
  f0(((\"end\")))
";
        assert!(m.contains(expected_nodes), "{m}");
        assert!(m.contains("s0 ==>|\"branch 1\"| s1\n"), "{m}");
        assert!(m.contains("s0 ==>|\"branch 2\"| s2\n"), "{m}");
        assert!(m.contains("s2 ==>|\"items\"| s3\n"), "{m}");
        assert!(m.contains("s0 --> s4\n"), "{m}");
        assert!(
            d.contains("  subgraph cluster_g1 {\n    label=\"P · branch 1\";"),
            "{d}"
        );
        assert!(
            d.contains("    subgraph cluster_g3 {\n      label=\"M · items\";"),
            "{d}"
        );
        assert!(
            d.contains("s0 -> s1 [label=\"branch 1\", style=bold];"),
            "{d}"
        );
        assert!(
            d.contains("s2 [label=\"M\\nMap (distributed)\", shape=box, peripheries=2];"),
            "{d}"
        );
    }

    #[test]
    fn unreachable_states_are_marked() {
        let (m, d) = both(
            r#"{"StartAt": "A", "States": {
                "A": {"Type": "Pass", "End": true},
                "Orphan": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}"#,
        );
        assert!(
            m.contains("s1[\"Orphan<br/><small>Task · unreachable</small>\"]"),
            "{m}"
        );
        assert!(m.contains("class s1 unreachable\n"), "{m}");
        assert!(!m.contains("class s0"), "{m}");
        assert!(
            d.contains(
                "s1 [label=\"Orphan\\nTask · unreachable\", shape=box, style=\"dashed,filled\""
            ),
            "{d}"
        );
    }

    #[test]
    fn names_are_escaped() {
        let name = r#"Say \"hi\" [x] {y} | a;b <c> & #quot; `d` — ünï ✓ \\ end"#;
        let text = format!(
            r#"{{"StartAt": "{name}", "States": {{"{name}": {{"Type": "Pass", "End": true}}}}}}"#
        );
        let (m, d) = both(&text);
        assert!(
            m.contains(
                "s0(\"Say #quot;hi#quot; [x] {y} #124; a;b #60;c#62; #38; #35;quot; #96;d#96; — ünï ✓ \\ end<br/><small>Pass</small>\")"
            ),
            "{m}"
        );
        assert!(
            d.contains(
                "s0 [label=\"Say \\\"hi\\\" [x] {y} | a;b <c> & #quot; `d` — ünï ✓ \\\\ end\\nPass\""
            ),
            "{d}"
        );
    }

    #[test]
    fn dangling_targets_become_missing_nodes() {
        let (m, d) = both(
            r#"{"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Next": "Nowhere"},
                "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Nowhere"}],
                      "Default": "${Later}"}}}"#,
        );
        assert!(m.contains("s0 --> m0\n"), "{m}");
        assert!(m.contains("s1 -->|\"$.x is present\"| m0\n"), "{m}");
        assert!(m.contains("s1 -->|\"Default\"| m1\n"), "{m}");
        assert!(
            m.contains("m0[\"Nowhere<br/><small>missing</small>\"]"),
            "{m}"
        );
        assert!(
            m.contains("m1[\"${Later}<br/><small>placeholder</small>\"]"),
            "{m}"
        );
        assert!(m.contains("class m0,m1 missing\n"), "{m}");
        assert!(
            d.contains("m0 [label=\"Nowhere\\nmissing\", shape=box, style=\"dashed\""),
            "{d}"
        );
        // A missing StartAt target too.
        let (m, _) = both(r#"{"StartAt": "Gone", "States": {}}"#);
        assert!(m.contains("start0 --> m0\n"), "{m}");
    }

    #[test]
    fn output_is_deterministic() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"},
            "B": {"Type": "Pass", "Next": "Y"}, "C": {"Type": "Pass", "Next": "Z"}}}"#;
        let first = both(text);
        for _ in 0..5 {
            assert_eq!(both(text), first);
        }
    }

    /// Every fixture and example renders in both formats without panicking, and every edge
    /// leads from and to a declared node.
    #[test]
    fn every_fixture_renders() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut stack = vec![root.join("tests/fixtures"), root.join("examples")];
        let mut count = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = path.to_string_lossy();
                if !name.contains(".json") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let parse = parse(&text, Dialect::from_path(&name));
                let Some(root) = parse.root else { continue };
                let machine = Machine::new(&root);
                let graph = Graph::new(&machine);
                let diagram = build(&machine, &graph);
                let mut ids = Vec::new();
                fn collect(items: &[Item], ids: &mut Vec<String>) {
                    for item in items {
                        match item {
                            Item::Node(n) => ids.push(n.id.clone()),
                            Item::Cluster { items, .. } => collect(items, ids),
                        }
                    }
                }
                collect(&diagram.items, &mut ids);
                for edge in &diagram.edges {
                    assert!(ids.contains(&edge.from), "{name}: {edge:?}");
                    assert!(ids.contains(&edge.to), "{name}: {edge:?}");
                }
                let mut sorted = ids.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted.len(), ids.len(), "{name}: duplicate node ids");
                let m = mermaid(&machine, &graph);
                let d = dot(&machine, &graph);
                assert!(m.starts_with("flowchart TD\n"), "{name}");
                assert!(d.ends_with("}\n"), "{name}");
                count += 1;
            }
        }
        assert!(count > 50, "fixtures not found ({count})");
    }
}
