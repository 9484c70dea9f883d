//! Workflow variables (asl-spec.md §6.4): where each is assigned and read, and which
//! assignments reach each state on every path from its scope's `StartAt` (a data-flow analysis
//! over the state graph). Reads happen at state entry; an `Assign` takes effect on the way out:
//! the state's own on `Next` and `Default`, a chosen rule's instead on its `Choices` edge, a
//! catcher's instead on its `Catch` edge.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::ops::Range;

use asl_syntax::ast::{Machine, QueryLanguage, ScopeId, ScopeKind, State, StateId};
use asl_syntax::intrinsic::{ArgKind, Call, parse_intrinsic};
use asl_syntax::jsonata::parse_jsonata;
use asl_syntax::jsonpath::{PathRoot, parse_path};
use asl_syntax::{Node, Property, Value};

use crate::graph::{EdgeKind, Graph};

/// Which `Assign` a name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Owner {
    State,
    Catch(usize),
    Rule(usize),
}

impl Owner {
    /// The `Assign` field, for messages: `Assign`, `Catch[0].Assign`, `Choices[1].Assign`.
    pub(crate) fn place(self) -> String {
        match self {
            Owner::State => "Assign".to_owned(),
            Owner::Catch(i) => format!("Catch[{i}].Assign"),
            Owner::Rule(i) => format!("Choices[{i}].Assign"),
        }
    }
}

pub(crate) struct Assignment<'a> {
    pub state: StateId,
    pub name: String,
    pub key: &'a Property,
    pub owner: Owner,
}

pub(crate) struct Read<'a> {
    pub state: StateId,
    pub name: String,
    /// The string holding the read, and the read's byte range in its decoded value.
    pub node: &'a Node,
    pub range: Range<usize>,
    /// Where it is: `Arguments.Payload`, `Assign.total`.
    pub place: String,
    /// The `Assign` (and its key) whose value holds the read, or `None`.
    pub in_assign: Option<(Owner, &'a str)>,
    /// The read is in the state's `Output`.
    pub in_output: bool,
    /// The expression tests the variable with `$exists(...)`: it expects no value may be there.
    pub guarded: bool,
}

pub(crate) struct Variables<'a> {
    pub assignments: Vec<Assignment<'a>>,
    pub reads: Vec<Read<'a>>,
}

/// Fields whose string value is a JSONPath (when it starts with `$`).
fn is_path_key(key: &str) -> bool {
    key.ends_with(".$") || key.ends_with("Path") || key == "Variable"
}

/// The result borrows the tree only, not `machine`, so it can be kept beside the machine.
pub(crate) fn collect<'a>(machine: &Machine<'a>) -> Variables<'a> {
    let mut assignments = Vec::new();
    let mut reads = Vec::new();
    for state in &machine.states {
        let mut add_assign = |prop: Option<&'a Property>, owner: Owner| {
            for key in prop.and_then(|p| p.value.as_object()).unwrap_or(&[]) {
                let name = key.key.strip_suffix(".$").unwrap_or(&key.key).to_owned();
                assignments.push(Assignment {
                    state: state.id,
                    name,
                    key,
                    owner,
                });
            }
        };
        add_assign(state.fields.assign, Owner::State);
        for (i, c) in state.catchers.iter().enumerate() {
            add_assign(c.fields.assign, Owner::Catch(i));
        }
        for (i, r) in state.choices.iter().enumerate() {
            add_assign(r.fields.assign, Owner::Rule(i));
        }
        let mut walker = Walker {
            state: state.id,
            language: state.query_language,
            reads: &mut reads,
        };
        for prop in state.node().as_object().unwrap_or(&[]) {
            match prop.key.as_str() {
                "ItemProcessor" | "Iterator" | "Branches" | "Comment" => {}
                "Catch" | "Choices" => {
                    for (i, item) in prop.value.as_array().unwrap_or(&[]).iter().enumerate() {
                        let owner = if prop.key == "Catch" {
                            Owner::Catch(i)
                        } else {
                            Owner::Rule(i)
                        };
                        walker.walk_item(item, &format!("{}[{i}]", prop.key), owner, 0);
                    }
                }
                "Assign" => {
                    for key in prop.value.as_object().unwrap_or(&[]) {
                        let ctx = Context {
                            in_assign: Some((Owner::State, key.key.as_str())),
                            in_output: false,
                        };
                        walker.walk(&key.key, &key.value, format!("Assign.{}", key.key), ctx, 0);
                    }
                }
                key => {
                    // Most members hold no `$` at all: skip them without walking.
                    let worth = match &prop.value.value {
                        Value::String(s) => s.contains('$'),
                        Value::Object(_) | Value::Array(_) => true,
                        _ => false,
                    };
                    if !worth {
                        continue;
                    }
                    let ctx = Context {
                        in_assign: None,
                        in_output: key == "Output",
                    };
                    walker.walk(key, &prop.value, key.to_owned(), ctx, 0);
                }
            }
        }
    }
    Variables { assignments, reads }
}

#[derive(Clone, Copy)]
struct Context<'a> {
    in_assign: Option<(Owner, &'a str)>,
    in_output: bool,
}

struct Walker<'a, 'r> {
    state: StateId,
    language: QueryLanguage,
    reads: &'r mut Vec<Read<'a>>,
}

impl<'a> Walker<'a, '_> {
    fn walk_item(&mut self, item: &'a Node, place: &str, owner: Owner, depth: usize) {
        for prop in item.as_object().unwrap_or(&[]) {
            match prop.key.as_str() {
                "Assign" => {
                    for key in prop.value.as_object().unwrap_or(&[]) {
                        let ctx = Context {
                            in_assign: Some((owner, key.key.as_str())),
                            in_output: false,
                        };
                        self.walk(
                            &key.key,
                            &key.value,
                            format!("{place}.Assign.{}", key.key),
                            ctx,
                            depth + 1,
                        );
                    }
                }
                "And" | "Or" => {
                    for (j, nested) in prop.value.as_array().unwrap_or(&[]).iter().enumerate() {
                        self.walk_item(
                            nested,
                            &format!("{place}.{}[{j}]", prop.key),
                            owner,
                            depth + 1,
                        );
                    }
                }
                "Not" => self.walk_item(&prop.value, &format!("{place}.Not"), owner, depth + 1),
                key => {
                    let ctx = Context {
                        in_assign: None,
                        in_output: false,
                    };
                    self.walk(key, &prop.value, format!("{place}.{key}"), ctx, depth + 1);
                }
            }
        }
    }

    fn walk(
        &mut self,
        key: &str,
        node: &'a Node,
        mut place: String,
        ctx: Context<'a>,
        depth: usize,
    ) {
        self.walk_in(key, node, &mut place, ctx, depth);
    }

    /// `place` is a buffer: each level appends its part and truncates it back; it is copied
    /// only for a read.
    fn walk_in(
        &mut self,
        key: &str,
        node: &'a Node,
        place: &mut String,
        ctx: Context<'a>,
        depth: usize,
    ) {
        if depth > 200 {
            return;
        }
        let len = place.len();
        match &node.value {
            Value::String(s) => self.string(key, s, node, place, ctx),
            Value::Object(props) => {
                for p in props {
                    place.push('.');
                    place.push_str(&p.key);
                    self.walk_in(&p.key, &p.value, place, ctx, depth + 1);
                    place.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let _ = write!(place, "[{i}]");
                    self.walk_in(key, item, place, ctx, depth + 1);
                    place.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn push(
        &mut self,
        name: String,
        node: &'a Node,
        range: Range<usize>,
        place: &str,
        ctx: Context<'a>,
        guarded: bool,
    ) {
        self.reads.push(Read {
            state: self.state,
            name,
            node,
            range,
            place: place.to_owned(),
            in_assign: ctx.in_assign,
            in_output: ctx.in_output,
            guarded,
        });
    }

    fn string(&mut self, key: &str, s: &str, node: &'a Node, place: &str, ctx: Context<'a>) {
        // Only strings with a `$` can read a variable.
        if !s.contains('$') || asl_syntax::is_templated(s) {
            return;
        }
        match self.language {
            QueryLanguage::JsonAta => {
                let Some((body, offset)) = crate::jsonata_strings::body(s) else {
                    return;
                };
                if !s.trim_start().starts_with("{%") {
                    return;
                }
                let Ok(expr) = parse_jsonata(body) else {
                    return;
                };
                for (name, r) in expr.variables {
                    if name == "states" || expr.locals.contains(&name) {
                        continue;
                    }
                    let guarded = expr.guarded.contains(&name);
                    self.push(
                        name,
                        node,
                        r.start + offset..r.end + offset,
                        place,
                        ctx,
                        guarded,
                    );
                }
            }
            QueryLanguage::JsonPath => {
                if !is_path_key(key) {
                    return;
                }
                if s.starts_with('$') {
                    if let Ok(path) = parse_path(s)
                        && let PathRoot::Variable(name) = path.root
                    {
                        self.push(name, node, path.root_range, place, ctx, false);
                    }
                } else if let Ok(call) = parse_intrinsic(s) {
                    self.call(&call, node, place, ctx);
                }
            }
        }
    }

    fn call(&mut self, call: &Call, node: &'a Node, place: &str, ctx: Context<'a>) {
        for arg in &call.args {
            match &arg.kind {
                ArgKind::Path(p) => {
                    if let Ok(path) = parse_path(p)
                        && let PathRoot::Variable(name) = path.root
                    {
                        let start = arg.range.start;
                        self.push(
                            name,
                            node,
                            start..start + path.root_range.end,
                            place,
                            ctx,
                            false,
                        );
                    }
                }
                ArgKind::Call(inner) => self.call(inner, node, place, ctx),
                _ => {}
            }
        }
    }
}

/// Which variables are assigned on entry to each state: on every path (`must`) and on some
/// path (`may`), within its scope and inherited from the enclosing states.
pub(crate) struct Flow {
    pub must: Vec<Option<BTreeSet<String>>>,
    pub may: Vec<Option<BTreeSet<String>>>,
}

pub(crate) fn flow(machine: &Machine<'_>, graph: &Graph<'_>, vars: &Variables<'_>) -> Flow {
    let n = machine.states.len();
    let mut assigned: HashMap<(StateId, Owner), BTreeSet<String>> = HashMap::new();
    for a in &vars.assignments {
        assigned
            .entry((a.state, a.owner))
            .or_default()
            .insert(a.name.clone());
    }
    let mut flow = Flow {
        must: vec![None; n],
        may: vec![None; n],
    };
    // Scopes in order: a parent state's scope is always listed before its children's.
    for scope in &machine.scopes {
        let inherited: (BTreeSet<String>, BTreeSet<String>) = match scope.kind {
            ScopeKind::Root => Default::default(),
            ScopeKind::Branch { parent, .. } | ScopeKind::Processor { parent, .. } => {
                let distributed = machine.state(parent).is_some_and(State::is_distributed_map);
                if distributed {
                    Default::default()
                } else {
                    (
                        flow.must.get(parent).cloned().flatten().unwrap_or_default(),
                        flow.may.get(parent).cloned().flatten().unwrap_or_default(),
                    )
                }
            }
        };
        solve(machine, graph, scope.id, inherited, &assigned, &mut flow);
    }
    flow
}

fn solve(
    machine: &Machine<'_>,
    graph: &Graph<'_>,
    scope: ScopeId,
    inherited: (BTreeSet<String>, BTreeSet<String>),
    assigned: &HashMap<(StateId, Owner), BTreeSet<String>>,
    flow: &mut Flow,
) {
    let Some(start) = graph.start(scope) else {
        return;
    };
    let states: Vec<StateId> = machine.states_of(scope).map(|s| s.id).collect();
    // Worklist iteration to a fixed point; `must` only shrinks and `may` only grows.
    let (must0, may0) = inherited;
    if let Some(slot) = flow.must.get_mut(start) {
        *slot = Some(must0);
    }
    if let Some(slot) = flow.may.get_mut(start) {
        *slot = Some(may0);
    }
    let mut work = vec![start];
    let mut rounds = 0usize;
    while let Some(id) = work.pop() {
        rounds += 1;
        if rounds > 200 * (states.len() + 1) {
            break; // cannot happen with monotone sets; a guard all the same
        }
        let (Some(Some(must_in)), Some(Some(may_in))) =
            (flow.must.get(id).cloned(), flow.may.get(id).cloned())
        else {
            continue;
        };
        for t in graph.transitions(id) {
            let Some(to) = t.target else { continue };
            let owner = match t.kind {
                EdgeKind::Next | EdgeKind::Default => Owner::State,
                EdgeKind::Choice(i) => Owner::Rule(i),
                EdgeKind::Catch(i) => Owner::Catch(i),
            };
            let adds = assigned.get(&(id, owner));
            let mut must_out = must_in.clone();
            let mut may_out = may_in.clone();
            if let Some(adds) = adds {
                must_out.extend(adds.iter().cloned());
                may_out.extend(adds.iter().cloned());
            }
            let mut changed = false;
            if let Some(slot) = flow.must.get_mut(to) {
                match slot {
                    None => {
                        *slot = Some(must_out);
                        changed = true;
                    }
                    Some(cur) => {
                        let before = cur.len();
                        cur.retain(|x| must_out.contains(x));
                        changed |= cur.len() != before;
                    }
                }
            }
            if let Some(Some(cur)) = flow.may.get_mut(to) {
                let before = cur.len();
                cur.extend(may_out);
                changed |= cur.len() != before;
            } else if let Some(slot) = flow.may.get_mut(to) {
                *slot = Some(may_out);
                changed = true;
            }
            if changed {
                work.push(to);
            }
        }
    }
}

/// The scopes whose variables a state of `scope` can read: its own and its ancestors', up to a
/// Distributed Map processor (whose iterations are child executions that see no outer
/// variable). The second value is true when that boundary cut the chain.
pub(crate) fn visible_scopes(machine: &Machine<'_>, scope: ScopeId) -> (Vec<ScopeId>, bool) {
    let mut out = vec![scope];
    let mut current = scope;
    for _ in 0..machine.scopes.len() {
        let Some(s) = machine.scope(current) else {
            break;
        };
        let Some(parent) = s.parent() else { break };
        if matches!(s.kind, ScopeKind::Processor { .. })
            && machine.state(parent).is_some_and(State::is_distributed_map)
        {
            return (out, true);
        }
        let Some(parent_scope) = machine.state(parent).map(|p| p.scope) else {
            break;
        };
        out.push(parent_scope);
        current = parent_scope;
    }
    (out, false)
}
