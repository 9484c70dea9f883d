//! The state graph: one directed graph per scope (top level, each Parallel branch, each Map
//! processor), with Next, Choice, Default and Catch edges. petgraph stays inside this module.

use std::collections::HashMap;

use asl_syntax::ast::{Machine, ScopeId, StateId};
use asl_syntax::{Property, TextRange, is_templated};
use petgraph::Direction;
// kosaraju_scc, not tarjan_scc: petgraph's Tarjan recurses once per state on a path and
// overflows a thread's stack on a chain of some 20,000 states; Kosaraju's two searches iterate.
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

/// Which field a transition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    Next,
    /// `Choices[rule].Next`.
    Choice(usize),
    Default,
    /// `Catch[index].Next`.
    Catch(usize),
}

impl EdgeKind {
    pub fn describe(self) -> String {
        match self {
            EdgeKind::Next => "Next".to_owned(),
            EdgeKind::Choice(i) => format!("Choices[{i}].Next"),
            EdgeKind::Default => "Default".to_owned(),
            EdgeKind::Catch(i) => format!("Catch[{i}].Next"),
        }
    }
}

/// A transition written in the definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition<'a> {
    pub from: StateId,
    pub kind: EdgeKind,
    /// The target name as written.
    pub name: &'a str,
    /// The range of the target string.
    pub range: TextRange,
    /// The state named, in the same scope; `None` when no such state exists (or the target is a
    /// `${...}` placeholder).
    pub target: Option<StateId>,
    /// The target is a `${...}` placeholder: it stands for some valid state of the scope.
    pub templated: bool,
}

struct ScopeGraph {
    graph: DiGraph<StateId, ()>,
    start: Option<StateId>,
    /// `StartAt` or some transition is a placeholder: any state may be a target.
    wildcard: bool,
}

/// The graphs of every scope of a machine.
pub struct Graph<'a> {
    scopes: Vec<ScopeGraph>,
    /// Graph node of each state (indexed by `StateId`).
    nodes: Vec<NodeIndex>,
    transitions: Vec<Vec<Transition<'a>>>,
    /// For each state, the `(from, index)` of every transition that targets it.
    incoming: Vec<Vec<(StateId, usize)>>,
    reachable: Vec<bool>,
}

impl<'a> Graph<'a> {
    pub fn new(machine: &Machine<'a>) -> Graph<'a> {
        let mut nodes = vec![NodeIndex::end(); machine.states.len()];
        let mut transitions: Vec<Vec<Transition<'a>>> = vec![Vec::new(); machine.states.len()];
        let mut scopes = Vec::with_capacity(machine.scopes.len());
        for scope in &machine.scopes {
            let mut graph = DiGraph::with_capacity(scope.states.len(), scope.states.len() + 4);
            let mut by_name: HashMap<&str, StateId> = HashMap::with_capacity(scope.states.len());
            for &id in &scope.states {
                if let Some(slot) = nodes.get_mut(id) {
                    *slot = graph.add_node(id);
                }
                by_name.entry(machine.state_name(id)).or_insert(id);
            }
            let mut wildcard = false;
            let start = scope.fields.start_at.and_then(|p| {
                let name = p.value.as_str()?;
                if is_templated(name) {
                    wildcard = true;
                }
                by_name.get(name).copied()
            });
            for state in machine.states_of(scope.id) {
                let list = transitions_of(state, &by_name);
                for t in &list {
                    wildcard |= t.templated;
                    if let (Some(&from), Some(&to)) =
                        (nodes.get(t.from), t.target.and_then(|id| nodes.get(id)))
                    {
                        graph.add_edge(from, to, ());
                    }
                }
                if let Some(slot) = transitions.get_mut(state.id) {
                    *slot = list;
                }
            }
            scopes.push(ScopeGraph {
                graph,
                start,
                wildcard,
            });
        }
        let mut incoming: Vec<Vec<(StateId, usize)>> = vec![Vec::new(); machine.states.len()];
        for (from, list) in transitions.iter().enumerate() {
            for (i, t) in list.iter().enumerate() {
                if let Some(slot) = t.target.and_then(|to| incoming.get_mut(to)) {
                    slot.push((from, i));
                }
            }
        }
        let mut this = Graph {
            scopes,
            nodes,
            transitions,
            incoming,
            reachable: vec![false; machine.states.len()],
        };
        this.compute_reachable();
        this
    }

    fn compute_reachable(&mut self) {
        for scope in &self.scopes {
            if scope.wildcard {
                for &id in scope.graph.node_weights() {
                    if let Some(r) = self.reachable.get_mut(id) {
                        *r = true;
                    }
                }
                continue;
            }
            let Some(start) = scope.start.and_then(|s| self.nodes.get(s).copied()) else {
                continue;
            };
            let mut dfs = petgraph::visit::Dfs::new(&scope.graph, start);
            while let Some(n) = dfs.next(&scope.graph) {
                if let Some(r) = scope
                    .graph
                    .node_weight(n)
                    .and_then(|&id| self.reachable.get_mut(id))
                {
                    *r = true;
                }
            }
        }
    }

    /// The transitions written in a state, in source order.
    pub fn transitions(&self, state: StateId) -> &[Transition<'a>] {
        self.transitions.get(state).map_or(&[], Vec::as_slice)
    }

    /// Every transition into `state` from its own scope.
    pub fn incoming(&self, state: StateId) -> impl Iterator<Item = &Transition<'a>> {
        self.incoming
            .get(state)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&(from, i)| self.transitions.get(from)?.get(i))
    }

    /// The `StartAt` state of a scope, when it names one.
    pub fn start(&self, scope: ScopeId) -> Option<StateId> {
        self.scopes.get(scope).and_then(|s| s.start)
    }

    /// Whether reachability in this scope is known: `StartAt` names a state and no target is a
    /// placeholder.
    pub fn is_resolved(&self, scope: ScopeId) -> bool {
        self.scopes
            .get(scope)
            .is_some_and(|s| s.start.is_some() && !s.wildcard)
    }

    /// True when some path from its scope's `StartAt` reaches the state (always true in a scope
    /// whose targets include a placeholder).
    pub fn is_reachable(&self, state: StateId) -> bool {
        self.reachable.get(state).copied().unwrap_or(false)
    }

    /// Groups of reachable states from which no terminal state can be reached, one per
    /// strongly connected component that has no way out: each is a cycle, listed in the order
    /// the loop runs. `may_exit(state)` marks states that end or leave the scope (terminal
    /// states, or states whose transitions are broken and reported elsewhere).
    pub fn trapped_cycles(
        &self,
        scope: ScopeId,
        may_exit: impl Fn(StateId) -> bool,
    ) -> Vec<Vec<StateId>> {
        let Some(sg) = self.scopes.get(scope) else {
            return Vec::new();
        };
        if sg.wildcard {
            return Vec::new();
        }
        // States that can reach an exit, by a reverse search from every exit.
        let g = &sg.graph;
        let mut escapes = vec![false; g.node_count()];
        let mut stack: Vec<NodeIndex> = g
            .node_indices()
            .filter(|&n| g.node_weight(n).is_some_and(|&id| may_exit(id)))
            .collect();
        for &n in &stack {
            if let Some(e) = escapes.get_mut(n.index()) {
                *e = true;
            }
        }
        while let Some(n) = stack.pop() {
            for pred in g.neighbors_directed(n, Direction::Incoming) {
                if let Some(e) = escapes.get_mut(pred.index())
                    && !*e
                {
                    *e = true;
                    stack.push(pred);
                }
            }
        }
        let mut cycles = Vec::new();
        for component in kosaraju_scc(g) {
            let trapped = component.iter().all(|n| {
                !escapes.get(n.index()).copied().unwrap_or(true)
                    && g.node_weight(*n).is_some_and(|&id| self.is_reachable(id))
            });
            let is_cycle = component.len() > 1
                || component
                    .first()
                    .is_some_and(|&n| g.edges(n).any(|e| e.target() == n));
            if trapped && is_cycle {
                cycles.push(self.cycle_order(g, &component));
            }
        }
        cycles.sort();
        cycles
    }

    /// Every loop of a scope that its `StartAt` reaches: one per strongly connected component
    /// with a cycle, in the order the loop runs from its first state in source order. Empty for a
    /// scope whose targets include a placeholder.
    pub fn cycles(&self, scope: ScopeId) -> Vec<Vec<StateId>> {
        let Some(sg) = self.scopes.get(scope) else {
            return Vec::new();
        };
        if sg.wildcard {
            return Vec::new();
        }
        let g = &sg.graph;
        let mut cycles: Vec<Vec<StateId>> = kosaraju_scc(g)
            .into_iter()
            .filter(|component| {
                let reachable = component
                    .iter()
                    .all(|n| g.node_weight(*n).is_some_and(|&id| self.is_reachable(id)));
                let is_cycle = component.len() > 1
                    || component
                        .first()
                        .is_some_and(|&n| g.edges(n).any(|e| e.target() == n));
                reachable && is_cycle
            })
            .map(|component| self.cycle_order(g, &component))
            .collect();
        cycles.sort();
        cycles
    }

    /// The states of a strongly connected component in loop order, from its first state in
    /// source order.
    fn cycle_order(&self, g: &DiGraph<StateId, ()>, component: &[NodeIndex]) -> Vec<StateId> {
        let Some(&first) = component.iter().min_by_key(|n| g.node_weight(**n).copied()) else {
            return Vec::new();
        };
        // 0: outside the component, 1: in it and not yet placed, 2: placed.
        let mut mark = vec![0u8; g.node_count()];
        for n in component {
            if let Some(m) = mark.get_mut(n.index()) {
                *m = 1;
            }
        }
        let mut order = Vec::with_capacity(component.len());
        let mut current = Some(first);
        while let Some(n) = current {
            if let Some(m) = mark.get_mut(n.index()) {
                *m = 2;
            }
            order.push(n);
            current = g
                .neighbors(n)
                .filter(|m| mark.get(m.index()) == Some(&1))
                .min_by_key(|m| g.node_weight(*m).copied());
        }
        // States the walk did not reach (the loop branches), in source order.
        let mut rest: Vec<NodeIndex> = component
            .iter()
            .copied()
            .filter(|n| mark.get(n.index()) == Some(&1))
            .collect();
        rest.sort_by_key(|n| g.node_weight(*n).copied());
        order
            .iter()
            .chain(&rest)
            .filter_map(|n| g.node_weight(*n).copied())
            .collect()
    }
}

fn transitions_of<'a>(
    state: &asl_syntax::ast::State<'a>,
    by_name: &HashMap<&str, StateId>,
) -> Vec<Transition<'a>> {
    let mut out = Vec::new();
    let mut push = |kind: EdgeKind, prop: Option<&'a Property>| {
        let Some(prop) = prop else { return };
        let Some(name) = prop.value.as_str() else {
            return;
        };
        let templated = is_templated(name);
        out.push(Transition {
            from: state.id,
            kind,
            name,
            range: prop.value.range,
            target: if templated {
                None
            } else {
                by_name.get(name).copied()
            },
            templated,
        });
    };
    push(EdgeKind::Next, state.fields.next);
    for (i, rule) in state.choices.iter().enumerate() {
        push(EdgeKind::Choice(i), rule.fields.next);
    }
    push(EdgeKind::Default, state.fields.default);
    for (i, catcher) in state.catchers.iter().enumerate() {
        push(EdgeKind::Catch(i), catcher.fields.next);
    }
    out
}
