//! The cost model: how many state transitions, history events and (for Express) how much
//! billed duration one execution of a state machine can take, and what that costs.
//!
//! # Transitions (what Standard workflows are billed for, spec §10)
//!
//! - One transition per state entered: Task, Pass, Choice, Wait, Succeed, Fail, and the
//!   Parallel or Map state itself (a state of unknown type counts 1 too).
//! - A Parallel counts 1 plus the transitions of every branch.
//! - A Map counts 1 plus N times the transitions of its item processor, N being
//!   [`CostOptions::map_items`] (default 1). A Distributed Map's children are counted the same
//!   way whatever their `ProcessorConfig.ExecutionType`; they are listed in
//!   [`Estimate::distributed_maps`] with that type, because EXPRESS children are really billed
//!   per request and duration, not per transition: for them the transitions are an indication,
//!   not their price.
//!
//! # The three figures
//!
//! - `min`: the cheapest path from `StartAt` to an end over `Next`, `Choices[].Next` and
//!   `Default` edges (no error, no retry). An end is a terminal state (`End: true`, Succeed,
//!   Fail) or a state none of whose non-Catch targets names a state (a broken definition,
//!   reported by the rules). A branch or processor uses its own `min`. `None` when no end can
//!   be reached from `StartAt` (every path is trapped in a loop): see [`Estimate::min_reason`].
//! - `max`: the most expensive path over the same edges plus `Catch[].Next` (an error may leave
//!   any Task, Parallel or Map through a catcher, including a terminal one). `None`
//!   (unbounded) when a cycle is reachable from `StartAt` over those edges, in this scope or in
//!   a branch or processor of a reachable Parallel or Map; [`Estimate::cycle`] names it.
//! - `max_with_retries`: the most expensive path over the `max` edges where each state entered
//!   costs [`retry::attempts`] times its cost (`1 + Σ MaxAttempts`: each retry enters the state
//!   again, spec §4.1). A Parallel or Map retry re-runs the whole state, so it re-counts the
//!   state and its branches or N iterations, themselves with their own `max_with_retries`. The
//!   path maximising this figure is searched on its own, so it may differ from the `max` path
//!   (a short path through a heavily retried Task can beat a long path without retries).
//!
//! Every figure is optimised separately (transitions, history events, duration), so each is the
//! extreme of its own quantity. Arithmetic saturates at `u64::MAX`.
//!
//! # Unresolved targets
//!
//! A target that names no state of its scope, or that is a `${...}` placeholder, is not
//! followed: the estimate covers the paths it can see and lists each such target in
//! [`Estimate::notes`]. A scope whose `StartAt` names no state counts 0 (also noted). States
//! that cannot be reached from `StartAt` (nor their branches and processors) are ignored.
//!
//! # History events (Standard workflows keep at most 25,000, spec §9)
//!
//! Per execution 2 (`ExecutionStarted`, `ExecutionSucceeded`), plus per state entered: Task 5
//! (entered, scheduled, started, succeeded, exited); Pass, Choice, Wait, Succeed and states of
//! unknown type 2 (entered, exited); Fail 1 (entered; `ExecutionFailed` replaces
//! `ExecutionSucceeded`); Parallel 4 (entered, started, succeeded, exited) plus its branches'
//! events; inline Map 4 plus, per iteration, 2 (iteration started, succeeded) and the
//! processor's events; Distributed Map 4 (entered, Map Run started, succeeded, exited): its
//! children are separate executions with their own histories. With retries, a Task entered once
//! with `a` attempts has `2 + 3a` events (each attempt is scheduled, started, then fails or
//! succeeds), a Parallel or Map `a` times its events. [`HistoryEvents::exceeds_limit`] is set
//! for Standard workflows when the `max_with_retries` figure is above [`HISTORY_LIMIT`] or
//! unbounded.
//!
//! # Prices
//!
//! Standard: transitions × `price_per_1000` / 1000 (default $0.025 per 1,000, US East).
//! Express: $1.00 per million requests plus the duration at $0.00001667 per GB-second, billed in
//! 100 ms increments (at least one) at 64 MB. The duration of a path is the sum of its states' durations: a
//! Wait its static `Seconds` (0 for `SecondsPath`, `Timestamp`, `TimestampPath` or an
//! expression), a Task [`CostOptions::task_seconds`] per attempt (default
//! [`DEFAULT_TASK_SECONDS`]), other states 0; a Parallel its longest branch; a Map
//! `ceil(N / concurrency)` times its processor, the concurrency being a numeric
//! `MaxConcurrency` above 0, else 40 (the inline Map limit, spec §9); with retries, a state
//! takes `attempts` times its duration plus every retry wait ([`retry::Policy::total_wait`]).
//! State transitions are not billed in Express workflows.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::hash::BuildHasherDefault;

use asl_syntax::ast::{Machine, ScopeId, State, StateId, StateKind};

use crate::WorkflowType;
use crate::graph::{EdgeKind, Graph};
use crate::retry::{self, Policy};

/// A hasher for state ids (small integers): one multiply instead of SipHash, which dominated
/// the estimate of machines with thousands of scopes.
#[derive(Default)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type IdMap<V> = HashMap<StateId, V, BuildHasherDefault<IdHasher>>;
type IdSet = HashSet<StateId, BuildHasherDefault<IdHasher>>;

/// The default price of 1,000 Standard state transitions in USD (US East, spec §10).
pub const DEFAULT_PRICE_PER_1000: f64 = 0.025;
/// The assumed duration of one Task attempt, for Express durations.
pub const DEFAULT_TASK_SECONDS: f64 = 1.0;
/// Express: USD per request.
pub const EXPRESS_PRICE_PER_REQUEST: f64 = 1.0 / 1_000_000.0;
/// Express: USD per GB-second (first tier, US East).
pub const EXPRESS_PRICE_PER_GB_SECOND: f64 = 0.000_016_67;
/// Express: the billed memory, in GB (64 MB).
pub const EXPRESS_MEMORY_GB: f64 = 64.0 / 1024.0;
/// Express: the billing increment of the duration, in seconds.
pub const EXPRESS_INCREMENT_SECONDS: f64 = 0.1;
/// The largest execution history of a Standard workflow, in events (spec §9).
pub const HISTORY_LIMIT: u64 = 25_000;
/// The assumed concurrency of a Map without a numeric `MaxConcurrency` above 0.
pub const DEFAULT_MAP_CONCURRENCY: u64 = 40;

/// The inputs of an estimate the definition does not say.
#[derive(Debug, Clone, PartialEq)]
pub struct CostOptions {
    /// The number of items every Map iterates over.
    pub map_items: u64,
    pub workflow_type: WorkflowType,
    /// USD per 1,000 Standard state transitions.
    pub price_per_1000: f64,
    /// The assumed duration of one Task attempt, in seconds (Express durations).
    pub task_seconds: f64,
}

impl Default for CostOptions {
    fn default() -> CostOptions {
        CostOptions {
            map_items: 1,
            workflow_type: WorkflowType::Standard,
            price_per_1000: DEFAULT_PRICE_PER_1000,
            task_seconds: DEFAULT_TASK_SECONDS,
        }
    }
}

/// The three figures of one quantity; `None`: impossible (`min`) or unbounded (`max`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures<T> {
    pub min: Option<T>,
    pub max: Option<T>,
    pub max_with_retries: Option<T>,
}

impl<T: Copy> Figures<T> {
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Figures<U> {
        Figures {
            min: self.min.map(&f),
            max: self.max.map(&f),
            max_with_retries: self.max_with_retries.map(&f),
        }
    }
}

/// A loop reachable from `StartAt`: the reason `max` is unbounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The states of the loop, in the order it runs.
    pub states: Vec<String>,
    /// Where the loop is: "the top level", "branch 0 of `P`", "the item processor of `M`".
    pub scope: String,
}

/// The estimated Standard execution history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryEvents {
    pub events: Figures<u64>,
    /// Standard only: the worst case with retries is above [`HISTORY_LIMIT`] or unbounded.
    pub exceeds_limit: bool,
}

/// A Distributed Map: its children are executions of their own type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributedMap {
    pub name: String,
    /// `ProcessorConfig.ExecutionType` as written (`STANDARD`, `EXPRESS`), if it is a string.
    pub execution_type: Option<String>,
}

/// One reachable state in the breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateCost {
    pub id: StateId,
    pub name: String,
    /// The state type (`Task`, `Map`, ...).
    pub kind: &'static str,
    /// "the top level", "branch 0 of `P`", "the item processor of `M`".
    pub scope: String,
    /// The worst-case runs per entry, `1 + Σ MaxAttempts` ([`retry::attempts`]).
    pub attempts: u64,
    /// Transitions counted per entry without retries, with the `max` of its branches or
    /// processor (`None`: unbounded).
    pub transitions_per_entry: Option<u64>,
    /// Transitions counted per entry with retries (`None`: unbounded).
    pub transitions_per_entry_with_retries: Option<u64>,
    /// On the `min` path of its scope, and its scope's parent is on the `min` path of its own.
    pub on_min_path: bool,
    pub on_max_path: bool,
    pub on_max_with_retries_path: bool,
}

/// The estimate of one state machine.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub workflow_type: WorkflowType,
    pub transitions: Figures<u64>,
    pub history: HistoryEvents,
    /// The duration of the path (Express pricing), in seconds.
    pub duration_seconds: Figures<f64>,
    /// Why `min` is `None`.
    pub min_reason: Option<String>,
    /// Why `max` is `None`.
    pub cycle: Option<Cycle>,
    /// Every reachable state, in source order.
    pub states: Vec<StateCost>,
    pub distributed_maps: Vec<DistributedMap>,
    /// What the estimate could not follow (unresolved targets, placeholders, a missing
    /// `StartAt`, non-static waits).
    pub notes: Vec<String>,
    /// The options it was made with.
    pub options: CostOptions,
}

/// The price of one execution and of a million, in USD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    pub per_execution: Figures<f64>,
    pub per_million_executions: Figures<f64>,
}

impl Estimate {
    /// The price of the figures under the workflow type of the options.
    pub fn cost(&self) -> Cost {
        // Per million computed directly rather than scaled, to keep round figures round.
        let price = self.options.price_per_1000;
        match self.workflow_type {
            WorkflowType::Standard => Cost {
                per_execution: self.transitions.map(|t| t as f64 * price / 1000.0),
                per_million_executions: self.transitions.map(|t| t as f64 * price * 1000.0),
            },
            WorkflowType::Express => Cost {
                per_execution: self.duration_seconds.map(express_price),
                per_million_executions: self
                    .duration_seconds
                    .map(|s| express_price(s) * 1_000_000.0),
            },
        }
    }
}

/// The billed duration of an Express execution: rounded up to the next 100 ms, at least 100 ms.
pub fn express_billed_seconds(seconds: f64) -> f64 {
    let increments = (seconds / EXPRESS_INCREMENT_SECONDS - 1e-9).ceil().max(1.0);
    increments * EXPRESS_INCREMENT_SECONDS
}

/// The price of one Express execution of that duration.
pub fn express_price(seconds: f64) -> f64 {
    EXPRESS_PRICE_PER_REQUEST
        + express_billed_seconds(seconds) * EXPRESS_MEMORY_GB * EXPRESS_PRICE_PER_GB_SECOND
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Min,
    Max,
    Retry,
}

const MODES: [Mode; 3] = [Mode::Min, Mode::Max, Mode::Retry];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qty {
    Transitions,
    Events,
    /// Milliseconds.
    Millis,
}

const QTYS: [Qty; 3] = [Qty::Transitions, Qty::Events, Qty::Millis];

fn path_slot(mode: Mode) -> usize {
    match mode {
        Mode::Min => 0,
        Mode::Max => 1,
        Mode::Retry => 2,
    }
}

fn slot(mode: Mode, qty: Qty) -> usize {
    let m = path_slot(mode);
    let q = match qty {
        Qty::Transitions => 0,
        Qty::Events => 1,
        Qty::Millis => 2,
    };
    m * 3 + q
}

/// The figures of one scope.
#[derive(Debug, Clone, Default)]
struct ScopeResult {
    /// Indexed by [`slot`]; `None`: min impossible, or max unbounded.
    values: [Option<u64>; 9],
    /// The transition paths per mode.
    paths: [Vec<StateId>; 3],
}

impl ScopeResult {
    fn get(&self, mode: Mode, qty: Qty) -> Option<u64> {
        self.values.get(slot(mode, qty)).copied().flatten()
    }

    fn set(&mut self, mode: Mode, qty: Qty, value: Option<u64>) {
        if let Some(v) = self.values.get_mut(slot(mode, qty)) {
            *v = value;
        }
    }

    fn set_path(&mut self, mode: Mode, path: Vec<StateId>) {
        if let Some(p) = self.paths.get_mut(path_slot(mode)) {
            *p = path;
        }
    }

    fn path(&self, mode: Mode) -> &[StateId] {
        self.paths.get(path_slot(mode)).map_or(&[], Vec::as_slice)
    }
}

/// The shape of one scope: what `StartAt` reaches over every edge, in topological order, or a
/// cycle.
struct Shape {
    start: Option<StateId>,
    /// Reachable states, in reverse post-order (topological when there is no cycle).
    order: Vec<StateId>,
    cycle: Option<Vec<StateId>>,
}

struct Estimator<'m, 'a> {
    machine: &'m Machine<'a>,
    graph: &'m Graph<'a>,
    options: &'m CostOptions,
    results: Vec<Option<ScopeResult>>,
    reachable: Vec<bool>,
    cycle: Option<Cycle>,
    /// Why `min` is impossible in a scope, innermost scope first.
    min_reasons: Vec<String>,
    notes: Vec<String>,
}

/// Estimates one execution of `machine` (see the module documentation for the model).
pub fn estimate(machine: &Machine<'_>, graph: &Graph<'_>, options: &CostOptions) -> Estimate {
    let mut e = Estimator {
        machine,
        graph,
        options,
        results: vec![None; machine.scopes.len()],
        reachable: vec![false; machine.states.len()],
        cycle: None,
        min_reasons: Vec::new(),
        notes: Vec::new(),
    };
    let root = e.scope_result(0);
    let mut out_states = Vec::new();
    let mut distributed_maps = Vec::new();
    let on_path = e.on_paths(&root);
    for state in &machine.states {
        if !e.reachable.get(state.id).copied().unwrap_or(false) {
            continue;
        }
        if state.is_distributed_map() {
            distributed_maps.push(DistributedMap {
                name: state.name.to_owned(),
                execution_type: state
                    .processor_config()
                    .and_then(|c| c.execution_type)
                    .and_then(|p| p.value.as_str())
                    .map(str::to_owned),
            });
        }
        let flags = on_path.get(state.id).copied().unwrap_or_default();
        out_states.push(StateCost {
            id: state.id,
            name: state.name.to_owned(),
            kind: state.kind.as_str(),
            scope: machine
                .scope(state.scope)
                .map(|s| s.describe(machine))
                .unwrap_or_default(),
            attempts: retry::attempts(state),
            transitions_per_entry: e.weight(state, Mode::Max, Qty::Transitions),
            transitions_per_entry_with_retries: e.weight(state, Mode::Retry, Qty::Transitions),
            on_min_path: flags[0],
            on_max_path: flags[1],
            on_max_with_retries_path: flags[2],
        });
    }
    let execution_events = 2u64;
    let fig = |qty: Qty, extra: u64| Figures {
        min: root.get(Mode::Min, qty).map(|v| v.saturating_add(extra)),
        max: root.get(Mode::Max, qty).map(|v| v.saturating_add(extra)),
        max_with_retries: root.get(Mode::Retry, qty).map(|v| v.saturating_add(extra)),
    };
    let events = fig(Qty::Events, execution_events);
    let exceeds_limit = options.workflow_type == WorkflowType::Standard
        && events.max_with_retries.is_none_or(|e| e > HISTORY_LIMIT);
    let mut notes = std::mem::take(&mut e.notes);
    notes.sort();
    notes.dedup();
    Estimate {
        workflow_type: options.workflow_type,
        transitions: fig(Qty::Transitions, 0),
        history: HistoryEvents {
            events,
            exceeds_limit,
        },
        duration_seconds: fig(Qty::Millis, 0).map(|ms| ms as f64 / 1000.0),
        min_reason: if root.get(Mode::Min, Qty::Transitions).is_none() {
            e.min_reasons.first().cloned()
        } else {
            None
        },
        cycle: e.cycle,
        states: out_states,
        distributed_maps,
        notes,
        options: options.clone(),
    }
}

impl Estimator<'_, '_> {
    fn name(&self, id: StateId) -> &str {
        self.machine.state_name(id)
    }

    fn describe(&self, scope: ScopeId) -> String {
        self.machine
            .scope(scope)
            .map(|s| s.describe(self.machine))
            .unwrap_or_default()
    }

    /// The resolved targets of a state, Catch targets included or not; notes unresolved ones.
    fn successors(&mut self, state: StateId, catch: bool) -> Vec<StateId> {
        let mut out = Vec::new();
        for t in self.graph.transitions(state) {
            if !catch && matches!(t.kind, EdgeKind::Catch(_)) {
                continue;
            }
            match t.target {
                Some(target) => out.push(target),
                None => {
                    let what = if t.templated {
                        "a placeholder"
                    } else {
                        "no state of its scope"
                    };
                    let note = format!(
                        "`{}` {} `{}` names {what}: that transition is not followed",
                        self.name(state),
                        t.kind.describe(),
                        t.name
                    );
                    self.notes.push(note);
                }
            }
        }
        out
    }

    /// An end: a terminal state, or one none of whose non-Catch targets names a state.
    fn is_end(&mut self, state: &State<'_>) -> bool {
        state.is_terminal() || self.successors(state.id, false).is_empty()
    }

    fn shape(&mut self, scope: ScopeId) -> Shape {
        let Some(start) = self.graph.start(scope) else {
            return Shape {
                start: None,
                order: Vec::new(),
                cycle: None,
            };
        };
        // 0 unseen, 1 on the stack, 2 done. Maps, not vectors over every state of the machine:
        // a scope is usually small and a machine can have thousands of scopes.
        let mut color: IdMap<u8> = IdMap::default();
        let mut post = Vec::new();
        let mut cycle = None;
        let mut stack: Vec<(StateId, Vec<StateId>, usize)> = Vec::new();
        let succ = self.successors(start, true);
        stack.push((start, succ, 0));
        color.insert(start, 1);
        while let Some((node, succ, next)) = stack.last_mut() {
            let node = *node;
            match succ.get(*next).copied() {
                Some(t) => {
                    *next += 1;
                    match color.get(&t).copied().unwrap_or(0) {
                        0 => {
                            color.insert(t, 1);
                            let s = self.successors(t, true);
                            stack.push((t, s, 0));
                        }
                        1 if cycle.is_none() => {
                            let from = stack.iter().position(|(n, _, _)| *n == t).unwrap_or(0);
                            cycle = Some(stack.iter().skip(from).map(|(n, _, _)| *n).collect());
                        }
                        _ => {}
                    }
                }
                None => {
                    color.insert(node, 2);
                    post.push(node);
                    stack.pop();
                }
            }
        }
        post.reverse();
        Shape {
            start: Some(start),
            order: post,
            cycle,
        }
    }

    /// The figures of a scope, computed once (children first).
    fn scope_result(&mut self, scope: ScopeId) -> ScopeResult {
        if let Some(Some(done)) = self.results.get(scope) {
            return done.clone();
        }
        let shape = self.shape(scope);
        let mut result = ScopeResult::default();
        let Some(start) = shape.start else {
            let start_at = self
                .machine
                .scope(scope)
                .and_then(|s| s.start_at())
                .unwrap_or("");
            self.notes.push(format!(
                "`StartAt` of {} (`{start_at}`) names no state: that scope counts 0",
                self.describe(scope)
            ));
            result.values = [Some(0); 9];
            self.store(scope, &result);
            return result;
        };
        for &id in &shape.order {
            if let Some(r) = self.reachable.get_mut(id) {
                *r = true;
            }
        }
        // Children of reachable states first.
        for &id in &shape.order {
            let children = self
                .machine
                .state(id)
                .map(counted_children)
                .unwrap_or_default();
            for child in children {
                self.scope_result(child);
            }
        }
        if let Some(cycle) = &shape.cycle
            && self.cycle.is_none()
        {
            self.cycle = Some(Cycle {
                states: cycle.iter().map(|&id| self.name(id).to_owned()).collect(),
                scope: self.describe(scope),
            });
        }
        for qty in QTYS {
            let (value, path) = self.cheapest(start, qty);
            if value.is_none() && qty == Qty::Transitions {
                self.min_reasons.push(format!(
                    "no path from `StartAt` (`{}`) reaches an end in {} without an error",
                    self.name(start),
                    self.describe(scope)
                ));
            }
            result.set(Mode::Min, qty, value);
            if qty == Qty::Transitions {
                result.set_path(Mode::Min, path);
            }
            for mode in [Mode::Max, Mode::Retry] {
                if shape.cycle.is_some() {
                    continue;
                }
                let (value, path) = self.dearest(&shape.order, start, mode, qty).unzip();
                result.set(mode, qty, value);
                if qty == Qty::Transitions {
                    result.set_path(mode, path.unwrap_or_default());
                }
            }
        }
        self.store(scope, &result);
        result
    }

    fn store(&mut self, scope: ScopeId, result: &ScopeResult) {
        if let Some(slot) = self.results.get_mut(scope) {
            *slot = Some(result.clone());
        }
    }

    fn child(&self, scope: ScopeId) -> Option<&ScopeResult> {
        self.results.get(scope).and_then(Option::as_ref)
    }

    /// What entering `state` once costs in `qty` under `mode`; `None` when a branch or
    /// processor has no figure (min impossible, max unbounded).
    fn weight(&self, state: &State<'_>, mode: Mode, qty: Qty) -> Option<u64> {
        let n = self.options.map_items;
        let task_ms = seconds_to_ms(self.options.task_seconds);
        let inner = |scope: ScopeId| self.child(scope).and_then(|r| r.get(mode, qty));
        let base = match state.kind {
            StateKind::Parallel => {
                let mut branches = Vec::new();
                for &c in &state.children {
                    branches.push(inner(c)?);
                }
                match qty {
                    Qty::Transitions => 1u64.saturating_add(sum(&branches)),
                    Qty::Events => 4u64.saturating_add(sum(&branches)),
                    Qty::Millis => branches.iter().copied().max().unwrap_or(0),
                }
            }
            StateKind::Map => {
                let processor = match state.children.first() {
                    Some(&c) => inner(c)?,
                    None => 0,
                };
                match qty {
                    Qty::Transitions => 1u64.saturating_add(n.saturating_mul(processor)),
                    Qty::Events if state.is_distributed_map() => 4,
                    Qty::Events => {
                        4u64.saturating_add(n.saturating_mul(processor.saturating_add(2)))
                    }
                    Qty::Millis => {
                        let concurrency = state
                            .fields
                            .max_concurrency
                            .and_then(|p| p.value.as_f64())
                            .filter(|c| c.is_finite() && *c >= 1.0)
                            .map_or(DEFAULT_MAP_CONCURRENCY, |c| c as u64);
                        n.div_ceil(concurrency).saturating_mul(processor)
                    }
                }
            }
            StateKind::Task => match qty {
                Qty::Transitions => 1,
                Qty::Events => 5,
                Qty::Millis => task_ms,
            },
            StateKind::Fail => match qty {
                Qty::Transitions | Qty::Events => 1,
                Qty::Millis => 0,
            },
            StateKind::Wait => match qty {
                Qty::Transitions => 1,
                Qty::Events => 2,
                Qty::Millis => state
                    .fields
                    .seconds
                    .and_then(|p| p.value.as_f64())
                    .map_or(0, seconds_to_ms),
            },
            _ => match qty {
                Qty::Transitions => 1,
                Qty::Events => 2,
                Qty::Millis => 0,
            },
        };
        if mode != Mode::Retry {
            return Some(base);
        }
        let attempts = retry::attempts(state);
        Some(match (qty, state.kind) {
            (Qty::Events, StateKind::Task) => 2u64.saturating_add(attempts.saturating_mul(3)),
            (Qty::Millis, _) => {
                let waits: f64 = Policy::all(state).iter().map(Policy::total_wait).sum();
                attempts
                    .saturating_mul(base)
                    .saturating_add(seconds_to_ms(waits))
            }
            _ => attempts.saturating_mul(base),
        })
    }

    /// The `min` figure: Dijkstra over non-Catch edges, entering a state costs its weight.
    fn cheapest(&mut self, start: StateId, qty: Qty) -> (Option<u64>, Vec<StateId>) {
        let mut dist: IdMap<u64> = IdMap::default();
        let mut prev: IdMap<StateId> = IdMap::default();
        let mut done = IdSet::default();
        let Some(w) = self
            .machine
            .state(start)
            .and_then(|s| self.weight(s, Mode::Min, qty))
        else {
            return (None, Vec::new());
        };
        dist.insert(start, w);
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((w, start)));
        while let Some(Reverse((d, s))) = heap.pop() {
            if !done.insert(s) {
                continue;
            }
            let Some(state) = self.machine.state(s) else {
                continue;
            };
            if self.is_end(state) {
                // The first end settled is the cheapest.
                let mut path = vec![s];
                let mut at = s;
                while let Some(&p) = prev.get(&at) {
                    if path.len() > done.len() {
                        break;
                    }
                    path.push(p);
                    at = p;
                }
                path.reverse();
                return (Some(d), path);
            }
            for t in self.successors(s, false) {
                let Some(w) = self
                    .machine
                    .state(t)
                    .and_then(|st| self.weight(st, Mode::Min, qty))
                else {
                    continue;
                };
                let nd = d.saturating_add(w);
                if dist.get(&t).is_none_or(|&old| nd < old) {
                    dist.insert(t, nd);
                    prev.insert(t, s);
                    heap.push(Reverse((nd, t)));
                }
            }
        }
        (None, Vec::new())
    }

    /// The `max` and `max_with_retries` figures over an acyclic scope: the dearest path to an
    /// end, by dynamic programming in reverse topological order.
    fn dearest(
        &mut self,
        order: &[StateId],
        start: StateId,
        mode: Mode,
        qty: Qty,
    ) -> Option<(u64, Vec<StateId>)> {
        let mut best: IdMap<u64> = IdMap::with_capacity_and_hasher(order.len(), Default::default());
        let mut choice: IdMap<StateId> =
            IdMap::with_capacity_and_hasher(order.len(), Default::default());
        for &s in order.iter().rev() {
            let Some(state) = self.machine.state(s) else {
                continue;
            };
            // A reachable branch or processor without a figure is unbounded: so is this scope.
            let w = self.weight(state, mode, qty)?;
            let mut tail: Option<(u64, Option<StateId>)> = self.is_end(state).then_some((0, None));
            for t in self.successors(s, true) {
                if let Some(&v) = best.get(&t)
                    && tail.is_none_or(|(b, _)| v > b)
                {
                    tail = Some((v, Some(t)));
                }
            }
            if let Some((v, next)) = tail {
                best.insert(s, w.saturating_add(v));
                if let Some(next) = next {
                    choice.insert(s, next);
                }
            }
        }
        let value = best.get(&start).copied()?;
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(s) = at {
            if path.len() > order.len() {
                break;
            }
            path.push(s);
            at = choice.get(&s).copied();
        }
        Some((value, path))
    }

    /// Per state: on the min, max and max-with-retries paths (through every enclosing scope).
    fn on_paths(&self, root: &ScopeResult) -> Vec<[bool; 3]> {
        let mut flags = vec![[false; 3]; self.machine.states.len()];
        for (i, mode) in MODES.into_iter().enumerate() {
            let mut stack: Vec<Vec<StateId>> = vec![root.path(mode).to_vec()];
            while let Some(path) = stack.pop() {
                for s in path {
                    if let Some(f) = flags.get_mut(s).and_then(|f| f.get_mut(i)) {
                        *f = true;
                    }
                    let children = self
                        .machine
                        .state(s)
                        .map(counted_children)
                        .unwrap_or_default();
                    for c in children {
                        if let Some(r) = self.child(c) {
                            stack.push(r.path(mode).to_vec());
                        }
                    }
                }
            }
        }
        flags
    }
}

fn sum(values: &[u64]) -> u64 {
    values.iter().fold(0u64, |acc, v| acc.saturating_add(*v))
}

fn seconds_to_ms(seconds: f64) -> u64 {
    if seconds.is_nan() || seconds <= 0.0 {
        0
    } else {
        // Saturating float-to-int conversion.
        (seconds * 1000.0).ceil() as u64
    }
}

/// The scopes a state's cost includes: every branch of a Parallel, the first processor of a Map
/// (`ItemProcessor`, else the deprecated `Iterator`; a Map with both runs one).
fn counted_children(state: &State<'_>) -> Vec<ScopeId> {
    match state.kind {
        StateKind::Map => state.children.first().copied().into_iter().collect(),
        _ => state.children.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

    use super::*;
    use asl_syntax::Dialect;

    fn run(text: &str, options: &CostOptions) -> Estimate {
        let parse = asl_syntax::parse(text, Dialect::Json);
        let root = parse.root.as_ref().unwrap();
        let machine = Machine::new(root);
        let graph = Graph::new(&machine);
        estimate(&machine, &graph, options)
    }

    fn est(text: &str) -> Estimate {
        run(text, &CostOptions::default())
    }

    fn figures(e: &Estimate) -> (Option<u64>, Option<u64>, Option<u64>) {
        let t = e.transitions;
        (t.min, t.max, t.max_with_retries)
    }

    fn state<'e>(e: &'e Estimate, name: &str) -> &'e StateCost {
        e.states.iter().find(|s| s.name == name).unwrap()
    }

    #[test]
    fn linear_chain() {
        let e = est(r#"{"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 10, "Next": "S"},
            "S": {"Type": "Succeed"}}}"#);
        assert_eq!(figures(&e), (Some(4), Some(4), Some(4)));
        // 2 + Pass 2 + Task 5 + Wait 2 + Succeed 2.
        assert_eq!(e.history.events.max, Some(13));
        assert!(!e.history.exceeds_limit);
        assert!(e.cycle.is_none() && e.min_reason.is_none() && e.notes.is_empty());
        assert_eq!(e.states.len(), 4);
        assert!(e.states.iter().all(|s| s.on_min_path && s.on_max_path));
        // Wait 10 s + one Task of 1 s.
        assert_eq!(e.duration_seconds.max, Some(11.0));
        let cost = e.cost();
        assert!((cost.per_execution.min.unwrap() - 0.0001).abs() < 1e-12);
        assert!((cost.per_million_executions.max.unwrap() - 100.0).abs() < 1e-6);
    }

    #[test]
    fn retries_add_one_transition_per_attempt() {
        let e = est(r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "x", "Next": "S", "Retry": [
                {"ErrorEquals": ["A"], "MaxAttempts": 3},
                {"ErrorEquals": ["B"], "MaxAttempts": 2}]},
            "S": {"Type": "Succeed"}}}"#);
        assert_eq!(figures(&e), (Some(2), Some(2), Some(7)));
        assert_eq!(state(&e, "T").attempts, 6);
        assert_eq!(state(&e, "T").transitions_per_entry_with_retries, Some(6));
        // 2 + Task (2 + 3 × 6) + Succeed 2.
        assert_eq!(e.history.events.max_with_retries, Some(24));
    }

    #[test]
    fn default_max_attempts_is_three() {
        let e = est(r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "x", "End": true,
                  "Retry": [{"ErrorEquals": ["States.ALL"]}]}}}"#);
        assert_eq!(figures(&e), (Some(1), Some(1), Some(4)));
    }

    const CHOICE: &str = r#"{"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "A1"}],
              "Default": "Done"},
        "A1": {"Type": "Pass", "Next": "A2"},
        "A2": {"Type": "Pass", "Next": "A3"},
        "A3": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"}}}"#;

    #[test]
    fn choice_min_takes_the_short_branch_and_max_the_long_one() {
        let e = est(CHOICE);
        assert_eq!(figures(&e), (Some(2), Some(5), Some(5)));
        assert!(state(&e, "Done").on_min_path && state(&e, "C").on_min_path);
        assert!(!state(&e, "A1").on_min_path && state(&e, "A1").on_max_path);
    }

    #[test]
    fn parallel_counts_itself_and_every_branch() {
        let e = est(r#"{"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {
                    "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "B2"}], "Default": "B3"},
                    "B2": {"Type": "Pass", "Next": "B3"},
                    "B3": {"Type": "Succeed"}}}]}}}"#);
        // min 1 + 1 + 2, max 1 + 1 + 3.
        assert_eq!(figures(&e), (Some(4), Some(5), Some(5)));
        assert_eq!(state(&e, "B2").scope, "branch 1 of `P`");
        assert!(state(&e, "B2").on_max_path && !state(&e, "B2").on_min_path);
        assert_eq!(state(&e, "P").transitions_per_entry, Some(5));
        // 2 + Parallel 4 + Pass 2 + Choice 2 + Pass 2 + Succeed 2.
        assert_eq!(e.history.events.max, Some(14));
    }

    const MAP: &str = r#"{"StartAt": "M", "States": {
        "M": {"Type": "Map", "Next": "S", "ItemProcessor": {"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "x", "Next": "U"},
            "U": {"Type": "Pass", "End": true}}}},
        "S": {"Type": "Succeed"}}}"#;

    #[test]
    fn map_counts_n_iterations() {
        assert_eq!(figures(&est(MAP)), (Some(4), Some(4), Some(4)));
        let options = CostOptions {
            map_items: 100,
            ..CostOptions::default()
        };
        let e = run(MAP, &options);
        assert_eq!(figures(&e), (Some(202), Some(202), Some(202)));
        // 2 + Map 4 + 100 × (2 + 5 + 2) + Succeed 2.
        assert_eq!(e.history.events.max, Some(908));
        // Three waves of at most 40 iterations of one 1 s Task.
        assert_eq!(e.duration_seconds.max, Some(3.0));
    }

    #[test]
    fn a_map_retry_recounts_the_whole_map() {
        let text = r#"{"StartAt": "M", "States": {
            "M": {"Type": "Map", "End": true, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                  "ItemProcessor": {"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "x", "End": true,
                      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}]}}}}}}"#;
        let options = CostOptions {
            map_items: 10,
            ..CostOptions::default()
        };
        let e = run(text, &options);
        // max: 1 + 10 × 1; with retries: 3 × (1 + 10 × 2).
        assert_eq!(figures(&e), (Some(11), Some(11), Some(63)));
        assert_eq!(state(&e, "M").attempts, 3);
    }

    #[test]
    fn max_follows_catch_edges() {
        let e = est(r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "x", "End": true,
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H1"}]},
            "H1": {"Type": "Pass", "Next": "H2"},
            "H2": {"Type": "Fail"}}}"#);
        assert_eq!(figures(&e), (Some(1), Some(3), Some(3)));
        assert!(state(&e, "H2").on_max_path && !state(&e, "H2").on_min_path);
    }

    #[test]
    fn a_loop_makes_max_unbounded_and_is_named() {
        let e = est(r#"{"StartAt": "W", "States": {
            "W": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
            "Check": {"Type": "Task", "Resource": "x", "Next": "Done?"},
            "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "OK"}],
                      "Default": "W"},
            "OK": {"Type": "Succeed"}}}"#);
        assert_eq!(figures(&e), (Some(4), None, None));
        let cycle = e.cycle.as_ref().unwrap();
        assert_eq!(cycle.states, ["W", "Check", "Done?"]);
        assert_eq!(cycle.scope, "the top level");
        assert!(e.history.exceeds_limit);
        assert!(e.cost().per_execution.max.is_none());
    }

    #[test]
    fn a_loop_in_a_branch_makes_the_whole_max_unbounded() {
        let e = est(r#"{"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {
                    "A": {"Type": "Task", "Resource": "x", "Next": "B",
                          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "A"}]},
                    "B": {"Type": "Succeed"}}}]}}}"#);
        assert_eq!(figures(&e), (Some(3), None, None));
        let cycle = e.cycle.unwrap();
        assert_eq!(cycle.states, ["A"]);
        assert_eq!(cycle.scope, "branch 0 of `P`");
    }

    #[test]
    fn a_trapped_loop_has_no_min() {
        let e = est(r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Next": "A"},
            "C": {"Type": "Succeed"}}}"#);
        assert_eq!(figures(&e), (None, None, None));
        assert!(e.min_reason.unwrap().contains("`A`"));
        // The unreachable `C` is ignored.
        assert_eq!(e.states.len(), 2);
    }

    #[test]
    fn unreachable_states_and_their_branches_are_ignored() {
        let e = est(r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "End": true},
            "Lost": {"Type": "Parallel", "Next": "Lost", "Branches": [
                {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "X"}}}]}}}"#);
        assert_eq!(figures(&e), (Some(1), Some(1), Some(1)));
        assert!(e.cycle.is_none());
        assert_eq!(e.states.len(), 1);
    }

    #[test]
    fn unresolved_targets_are_noted_not_followed() {
        let e = est(r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "Nowhere"},
            "B": {"Type": "Pass", "Next": "${Target}"}}}"#);
        assert_eq!(figures(&e), (Some(1), Some(1), Some(1)));
        assert_eq!(e.notes.len(), 1, "{:?}", e.notes);
        assert!(e.notes[0].contains("`Nowhere`"));
        let e = est(r#"{"StartAt": "Missing", "States": {"A": {"Type": "Pass", "End": true}}}"#);
        assert_eq!(figures(&e), (Some(0), Some(0), Some(0)));
        assert!(e.notes[0].contains("`StartAt`"));
    }

    #[test]
    fn distributed_maps_are_listed_with_their_execution_type() {
        let e = est(r#"{"StartAt": "M", "States": {
            "M": {"Type": "Map", "End": true, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "End": true}}}}}}"#);
        assert_eq!(figures(&e), (Some(2), Some(2), Some(2)));
        assert_eq!(
            e.distributed_maps[0].execution_type.as_deref(),
            Some("EXPRESS")
        );
        // Children keep their own histories: 2 + 4.
        assert_eq!(e.history.events.max, Some(6));
    }

    #[test]
    fn express_prices_requests_and_billed_duration() {
        let options = CostOptions {
            workflow_type: WorkflowType::Express,
            ..CostOptions::default()
        };
        let e = run(
            r#"{"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "x", "Next": "W"},
                "W": {"Type": "Wait", "Seconds": 2, "End": true}}}"#,
            &options,
        );
        assert_eq!(e.duration_seconds.max, Some(3.0));
        let expected = 1e-6 + 3.0 * 0.0625 * 0.000_016_67;
        assert!((e.cost().per_execution.max.unwrap() - expected).abs() < 1e-15);
        assert!(!e.history.exceeds_limit);
        assert!((express_billed_seconds(0.25) - 0.3).abs() < 1e-12);
        assert!((express_billed_seconds(0.3) - 0.3).abs() < 1e-12);
        assert!((express_billed_seconds(0.0) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn the_history_limit_is_flagged() {
        let options = CostOptions {
            map_items: 5000,
            ..CostOptions::default()
        };
        let e = run(MAP, &options);
        assert!(e.history.events.max.unwrap() > HISTORY_LIMIT);
        assert!(e.history.exceeds_limit);
        assert!(!est(MAP).history.exceeds_limit);
    }

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
    }

    /// A random scope as JSON: states `{prefix}0..n`, random forward (and, when `cyclic`,
    /// backward) edges, Choice, Catch, retries, and nested Parallel and Map scopes.
    fn scope(rng: &mut Rng, prefix: &str, depth: u32, cyclic: bool) -> String {
        let n = 1 + rng.below(6);
        let name = |i: u64| format!("{prefix}{i}");
        let target = |rng: &mut Rng, i: u64| {
            if cyclic && rng.below(5) == 0 {
                name(rng.below(n))
            } else {
                name(i + 1 + rng.below(n - i))
            }
        };
        let mut states = Vec::new();
        for i in 0..n {
            let last = i + 1 == n;
            let flow = |rng: &mut Rng| {
                if last || rng.below(6) == 0 {
                    r#""End": true"#.to_owned()
                } else {
                    format!(r#""Next": "{}""#, target(rng, i))
                }
            };
            let extras = |rng: &mut Rng| {
                let mut out = String::new();
                if rng.below(2) == 0 {
                    out.push_str(&format!(
                        r#", "Retry": [{{"ErrorEquals": ["A"], "MaxAttempts": {}}}, {{"ErrorEquals": ["B"]}}]"#,
                        rng.below(4)
                    ));
                }
                if !last && rng.below(2) == 0 {
                    out.push_str(&format!(
                        r#", "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "{}"}}]"#,
                        target(rng, i)
                    ));
                }
                out
            };
            let body = match rng.below(if depth > 0 { 6 } else { 4 }) {
                0 if !last => format!(
                    r#"{{"Type": "Choice", "Choices": [{{"Variable": "$.x", "IsPresent": true, "Next": "{}"}}], "Default": "{}"}}"#,
                    target(rng, i),
                    target(rng, i)
                ),
                1 => format!(
                    r#"{{"Type": "Task", "Resource": "x", {}{}}}"#,
                    flow(rng),
                    extras(rng)
                ),
                2 => format!(
                    r#"{{"Type": "Wait", "Seconds": {}, {}}}"#,
                    rng.below(9),
                    flow(rng)
                ),
                4 => {
                    let branches: Vec<String> = (0..1 + rng.below(3))
                        .map(|b| scope(rng, &format!("{}b{b}_", name(i)), depth - 1, cyclic))
                        .collect();
                    format!(
                        r#"{{"Type": "Parallel", "Branches": [{}], {}{}}}"#,
                        branches.join(", "),
                        flow(rng),
                        extras(rng)
                    )
                }
                5 => {
                    let processor = scope(rng, &format!("{}m_", name(i)), depth - 1, cyclic);
                    format!(
                        r#"{{"Type": "Map", "ItemProcessor": {processor}, {}{}}}"#,
                        flow(rng),
                        extras(rng)
                    )
                }
                _ => format!(r#"{{"Type": "Pass", {}}}"#, flow(rng)),
            };
            states.push(format!(r#""{}": {body}"#, name(i)));
        }
        format!(
            r#"{{"StartAt": "{}", "States": {{{}}}}}"#,
            name(0),
            states.join(", ")
        )
    }

    #[test]
    fn min_le_max_le_max_with_retries_on_generated_machines() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut bounded, mut unbounded) = (0, 0);
        for case in 0..400 {
            let cyclic = case % 3 == 0;
            let text = scope(&mut rng, "S", 2, cyclic);
            let options = CostOptions {
                map_items: 1 + rng.below(5),
                ..CostOptions::default()
            };
            let e = run(&text, &options);
            for f in [e.transitions, e.history.events] {
                if let (Some(min), Some(max)) = (f.min, f.max) {
                    assert!(min <= max, "{text}: {f:?}");
                }
                if let Some(max) = f.max {
                    let with = f.max_with_retries.unwrap();
                    assert!(max <= with, "{text}: {f:?}");
                }
                assert_eq!(f.max.is_none(), f.max_with_retries.is_none(), "{text}");
            }
            let d = e.duration_seconds;
            if let (Some(min), Some(max), Some(with)) = (d.min, d.max, d.max_with_retries) {
                assert!(min <= max && max <= with, "{text}: {d:?}");
            }
            if e.transitions.max.is_some() {
                bounded += 1;
                assert!(e.cycle.is_none(), "{text}");
            } else {
                unbounded += 1;
                assert!(e.cycle.is_some(), "{text}");
            }
            if cyclic {
                assert!(
                    e.transitions.min.is_some() || e.min_reason.is_some(),
                    "{text}"
                );
            } else {
                assert!(e.transitions.max.is_some(), "{text}");
                assert!(e.transitions.min.is_some(), "{text}");
            }
        }
        assert!(bounded > 100 && unbounded > 20, "{bounded} {unbounded}");
    }
}
