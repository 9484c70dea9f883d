//! The state graph as a diagram, the data the CLI's Mermaid and Graphviz DOT writers draw
//! (`asl-lint`'s `output/graph.rs`; only `output/` knows formats).
//!
//! [`build`] makes the picture once:
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

use asl_syntax::Property;
use asl_syntax::Value;
use asl_syntax::ast::{ChoiceRule, Machine, ScopeId, ScopeKind, State, StateId, StateKind};

use crate::graph::{EdgeKind, Graph};

/// Longest edge label, in characters, before it is cut with `…`.
pub const MAX_LABEL: usize = 40;

/// The picture both formats draw.
#[derive(Debug, Default)]
pub struct Diagram {
    /// The nodes and subgraphs, in output order.
    pub items: Vec<Item>,
    pub edges: Vec<Edge>,
}

impl Diagram {
    /// The ids of the nodes of a class, in output order.
    pub fn with_class(&self, class: Class) -> Vec<String> {
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

/// A node or a subgraph.
#[derive(Debug)]
pub enum Item {
    Node(NodeDef),
    Cluster {
        id: String,
        title: String,
        items: Vec<Item>,
    },
}

/// One diagram of several state machines (a template's, a Serverless file's): each drawn in a
/// cluster titled by its name, its ids prefixed with `m1_`, `m2_`, ... so they stay apart.
pub fn combine(parts: Vec<(String, Diagram)>) -> Diagram {
    fn prefix_items(items: Vec<Item>, prefix: &str) -> Vec<Item> {
        items
            .into_iter()
            .map(|item| match item {
                Item::Node(mut node) => {
                    node.id = format!("{prefix}{}", node.id);
                    Item::Node(node)
                }
                Item::Cluster { id, title, items } => Item::Cluster {
                    id: format!("{prefix}{id}"),
                    title,
                    items: prefix_items(items, prefix),
                },
            })
            .collect()
    }
    let mut out = Diagram {
        items: Vec::new(),
        edges: Vec::new(),
    };
    for (i, (name, diagram)) in parts.into_iter().enumerate() {
        let id = format!("m{}", i + 1);
        let prefix = format!("{id}_");
        out.items.push(Item::Cluster {
            id,
            title: name,
            items: prefix_items(diagram.items, &prefix),
        });
        out.edges.extend(diagram.edges.into_iter().map(|edge| Edge {
            from: format!("{prefix}{}", edge.from),
            to: format!("{prefix}{}", edge.to),
            ..edge
        }));
    }
    out
}

#[derive(Debug)]
pub struct NodeDef {
    pub id: String,
    /// The state name (or the marker's text).
    pub title: String,
    /// The type line under the title (`Task`, `Choice · unreachable`), if any.
    pub subtitle: Option<String>,
    pub shape: Shape,
    pub class: Option<Class>,
}

/// A node's shape, by state type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Box,
    Rounded,
    Diamond,
    Hexagon,
    Stadium,
    Subroutine,
    Start,
    End,
}

/// A node's highlight: each format styles it its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Succeed,
    Fail,
    Unreachable,
    Missing,
}

impl Class {
    pub const ALL: [Class; 4] = [
        Class::Succeed,
        Class::Fail,
        Class::Unreachable,
        Class::Missing,
    ];

    /// The class name both formats use.
    pub fn name(self) -> &'static str {
        match self {
            Class::Succeed => "succeed",
            Class::Fail => "fail",
            Class::Unreachable => "unreachable",
            Class::Missing => "missing",
        }
    }
}

#[derive(Debug)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// Already cut to [`MAX_LABEL`] characters.
    pub label: Option<String>,
    pub style: EdgeStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeStyle {
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

/// The diagram of a state machine and its graph.
pub fn build(machine: &Machine<'_>, graph: &Graph<'_>) -> Diagram {
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
