//! The flow of shapes over each scope's graph: every state's input and output, from the
//! execution input (unknown) through the ASL processing order (asl-spec.md, "Input and Output
//! Processing"): `InputPath` → `Parameters` → the result (a Pass `Result`, a Parallel's tuple
//! of branch outputs, a Map's array of its processor's outputs, a Task's unknown result) →
//! `ResultSelector` → `ResultPath` (applied to the raw input; `null` keeps it) → `OutputPath`.
//! A catcher's target receives the raw input with the error object at its `ResultPath`. Where
//! paths meet, shapes join; a state visited too often widens to unknown, so the flow ends.

use asl_syntax::ast::{Machine, QueryLanguage, ScopeId, State, StateId, StateKind};
use asl_syntax::jsonpath::{PathRoot, Step, parse_path};
use asl_syntax::{Node, Property, Value};

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{Read, Shape};
use crate::graph::{EdgeKind, Graph};

/// How often a state's input may grow before it is widened to unknown.
const MAX_VISITS: usize = 6;
/// The most state evaluations one flow does per state of the machine, and at least (a Parallel
/// in a loop reruns its branches each time its input grows); past it, what is left is unknown.
const BUDGET_PER_STATE: usize = 8;
const MIN_BUDGET: usize = 10_000;

/// Every state's input and output shape.
#[derive(Debug, Default)]
pub(crate) struct Shapes {
    input: Vec<Option<Shape>>,
    output: Vec<Option<Shape>>,
    stages: Vec<Option<Stages>>,
}

/// The payload at each step of a JSONPath state's processing, for its last (widest) input.
#[derive(Debug, Clone)]
pub(crate) struct Stages {
    /// After `InputPath`: what `Parameters`, `ItemsPath`, a Choice's `Variable` and the
    /// `...Path` fields read.
    pub effective: Shape,
    /// The result before `ResultSelector` (what it reads).
    pub result: Shape,
    /// After `ResultPath` (what `OutputPath` reads).
    pub combined: Shape,
}

impl Shapes {
    /// Computes the shapes of every reachable state of `machine`.
    pub(crate) fn new(machine: &Machine<'_>, graph: &Graph<'_>) -> Shapes {
        let mut shapes = Shapes {
            input: vec![None; machine.states.len()],
            output: vec![None; machine.states.len()],
            stages: vec![None; machine.states.len()],
        };
        if let Some(root) = machine.root_scope() {
            Flow {
                machine,
                graph,
                shapes: &mut shapes,
                budget: (machine.states.len() * BUDGET_PER_STATE).max(MIN_BUDGET),
            }
            .scope(root.id, Shape::Unknown);
        }
        shapes
    }

    /// The input of a state (`None` when no path reaches it).
    pub(crate) fn input(&self, state: StateId) -> Option<&Shape> {
        self.input.get(state).and_then(Option::as_ref)
    }

    /// The output of a state (`None` when it is not reached or ends the execution in failure).
    pub(crate) fn output(&self, state: StateId) -> Option<&Shape> {
        self.output.get(state).and_then(Option::as_ref)
    }

    /// The stages of a reached JSONPath state.
    pub(crate) fn stages(&self, state: StateId) -> Option<&Stages> {
        self.stages.get(state).and_then(Option::as_ref)
    }
}

/// A path-valued field (`InputPath`, `ResultPath`, `OutputPath`) as the flow reads it.
pub(crate) enum PathField {
    Absent,
    Null,
    /// A path of the input made of members and elements only.
    Steps(Vec<Step>),
    /// Anything else: a path with wildcards or filters, a variable, the context object, a
    /// placeholder, a value of the wrong type.
    Opaque,
}

impl PathField {
    pub(crate) fn of(prop: Option<&Property>) -> PathField {
        let Some(prop) = prop else {
            return PathField::Absent;
        };
        match &prop.value.value {
            Value::Null => PathField::Null,
            Value::String(s) => input_steps(s).map_or(PathField::Opaque, PathField::Steps),
            _ => PathField::Opaque,
        }
    }
}

/// The steps of a path of the state input (`$...`) made of members and elements only.
pub(crate) fn input_steps(path: &str) -> Option<Vec<Step>> {
    if asl_syntax::is_templated(path) {
        return None;
    }
    let parsed = parse_path(path).ok()?;
    (parsed.root == PathRoot::Input
        && parsed
            .steps
            .iter()
            .all(|s| !matches!(s, Step::Other { .. })))
    .then_some(parsed.steps)
}

struct Flow<'m, 'a, 's> {
    machine: &'m Machine<'a>,
    graph: &'m Graph<'a>,
    shapes: &'s mut Shapes,
    /// State evaluations left.
    budget: usize,
}

impl Flow<'_, '_, '_> {
    /// Runs the flow of one scope from `input`; returns the join of its terminal states'
    /// outputs (what a Parallel branch or a Map iteration gives back).
    fn scope(&mut self, scope: ScopeId, input: Shape) -> Shape {
        let Some(start) = self.graph.start(scope) else {
            return Shape::Unknown;
        };
        // States are taken in reverse postorder, so a state's inputs are mostly joined before
        // it runs and each runs few times.
        let rank = self.order(scope, start);
        let mut visits: HashMap<StateId, usize> = HashMap::new();
        let mut work: BTreeSet<(usize, StateId)> = BTreeSet::new();
        let key = |id: StateId| (rank.get(&id).copied().unwrap_or(usize::MAX), id);
        work.insert(key(start));
        // A `${...}` target may lead to any state: each may receive anything.
        let resolved = self.graph.is_resolved(scope);
        let input = if resolved { input } else { Shape::Unknown };
        if !resolved {
            for state in self.machine.states_of(scope) {
                self.grow(state.id, &Shape::Unknown, &mut visits);
                work.insert(key(state.id));
            }
        }
        self.grow(start, &input, &mut visits);
        while let Some((_, id)) = work.pop_first() {
            let Some(state) = self.machine.state(id) else {
                continue;
            };
            let Some(raw) = self.shapes.input(id).cloned() else {
                continue;
            };
            let output = if self.budget == 0 {
                Shape::Unknown
            } else {
                self.budget -= 1;
                self.state(state, &raw)
            };
            if let Some(slot) = self.shapes.output.get_mut(id) {
                *slot = (state.kind != StateKind::Fail).then(|| output.clone());
            }
            for t in self.graph.transitions(id) {
                let Some(target) = t.target else { continue };
                let passed = match t.kind {
                    EdgeKind::Catch(i) => match state.catchers.get(i) {
                        Some(c) if state.query_language == QueryLanguage::JsonPath => combine(
                            &raw,
                            PathField::of(c.fields.result_path),
                            Shape::error_object(),
                        ),
                        _ => Shape::Unknown,
                    },
                    _ => output.clone(),
                };
                if self.grow(target, &passed, &mut visits) {
                    work.insert(key(target));
                }
            }
        }
        let mut out: Option<Shape> = None;
        for state in self.machine.states_of(scope) {
            let terminal = state.kind == StateKind::Succeed || state.is_terminal();
            if let (true, Some(o)) = (terminal, self.shapes.output(state.id)) {
                out = Some(out.map_or_else(|| o.clone(), |acc| acc.join(o)));
            }
        }
        out.unwrap_or(Shape::Unknown)
    }

    /// The reverse postorder rank of each state reachable from `start` in `scope`.
    fn order(&self, scope: ScopeId, start: StateId) -> HashMap<StateId, usize> {
        let mut post: Vec<StateId> = Vec::new();
        let mut seen: HashSet<StateId> = HashSet::new();
        // (state, index of the next transition to follow)
        let mut stack: Vec<(StateId, usize)> = vec![(start, 0)];
        seen.insert(start);
        while let Some((id, next)) = stack.pop() {
            let transitions = self.graph.transitions(id);
            match transitions.get(next) {
                Some(t) => {
                    stack.push((id, next + 1));
                    if let Some(target) = t.target
                        && self.machine.state(target).is_some_and(|s| s.scope == scope)
                        && seen.insert(target)
                    {
                        stack.push((target, 0));
                    }
                }
                None => post.push(id),
            }
        }
        post.iter()
            .rev()
            .enumerate()
            .map(|(rank, &id)| (id, rank))
            .collect()
    }

    /// Joins `shape` into the input of `target`; true when it grew.
    fn grow(
        &mut self,
        target: StateId,
        shape: &Shape,
        visits: &mut HashMap<StateId, usize>,
    ) -> bool {
        let Some(slot) = self.shapes.input.get_mut(target) else {
            return false;
        };
        let next = match slot {
            None => shape.clone().bounded(),
            Some(old) => old.join(shape).bounded(),
        };
        if slot.as_ref() == Some(&next) {
            return false;
        }
        let count = {
            let v = visits.entry(target).or_insert(0);
            *v += 1;
            *v
        };
        *slot = Some(if count >= MAX_VISITS {
            Shape::Unknown
        } else {
            next
        });
        true
    }

    /// The output of `state` given its raw input; records its stages.
    fn state(&mut self, state: &State<'_>, raw: &Shape) -> Shape {
        let (output, stages) = self.stages_of(state, raw);
        // A stage that is a share of one already bounded (the input, mostly) is not walked
        // again.
        let stages = stages.map(|s| {
            let effective = if s.effective.is_share_of(raw) {
                s.effective
            } else {
                s.effective.bounded()
            };
            let combined = if s.combined.is_share_of(raw) {
                s.combined
            } else {
                s.combined.bounded()
            };
            Stages {
                effective,
                result: s.result.bounded(),
                combined,
            }
        });
        let output = match &stages {
            Some(s) if output.is_share_of(&s.combined) => s.combined.clone(),
            _ => output.bounded(),
        };
        if let Some(slot) = self.shapes.stages.get_mut(state.id) {
            *slot = stages;
        }
        output
    }

    fn stages_of(&mut self, state: &State<'_>, raw: &Shape) -> (Shape, Option<Stages>) {
        let f = &state.fields;
        if state.query_language != QueryLanguage::JsonPath {
            // JSONata: without `Output`, a Pass, Choice, Wait or Succeed passes its input on.
            let passes = matches!(
                state.kind,
                StateKind::Pass | StateKind::Choice | StateKind::Wait | StateKind::Succeed
            );
            let output = if f.output.is_none() && passes {
                raw.clone()
            } else {
                Shape::Unknown
            };
            return (output, None);
        }
        let effective = select(raw, PathField::of(f.input_path));
        if matches!(
            state.kind,
            StateKind::Choice | StateKind::Wait | StateKind::Succeed | StateKind::Fail
        ) {
            let output = select(&effective, PathField::of(f.output_path));
            let stages = Stages {
                effective: effective.clone(),
                result: Shape::Unknown,
                combined: effective,
            };
            return (output, Some(stages));
        }
        let parameters = f
            .parameters
            .map_or_else(|| effective.clone(), |p| template(&p.value, &effective, 0));
        let result = match state.kind {
            StateKind::Pass => f
                .result
                .map_or_else(|| parameters.clone(), |r| Shape::of_literal(&r.value)),
            StateKind::Parallel => Shape::tuple(
                state
                    .children
                    .iter()
                    .map(|&branch| self.scope(branch, parameters.clone()))
                    .collect(),
            ),
            StateKind::Map => {
                // What each iteration receives is not followed yet (ItemsPath, ItemSelector).
                let each = state
                    .children
                    .first()
                    .map_or(Shape::Unknown, |&p| self.scope(p, Shape::Unknown));
                Shape::array(each)
            }
            _ => Shape::Unknown,
        };
        let selected = match (state.kind, f.result_selector) {
            (StateKind::Task | StateKind::Map | StateKind::Parallel, Some(s)) => {
                template(&s.value, &result, 0)
            }
            _ => result.clone(),
        };
        let combined = combine(raw, PathField::of(f.result_path), selected);
        let output = select(&combined, PathField::of(f.output_path));
        let stages = Stages {
            effective,
            result,
            combined,
        };
        (output, Some(stages))
    }
}

/// `InputPath`/`OutputPath` applied: the shape the path selects.
fn select(shape: &Shape, path: PathField) -> Shape {
    match path {
        PathField::Absent => shape.clone(),
        PathField::Null => Shape::empty(),
        PathField::Steps(steps) => match shape.read(&steps) {
            Read::Found(s) => s,
            // A path that fails stops the execution here; nothing flows on from it.
            Read::Absent { .. } | Read::Maybe => Shape::Unknown,
        },
        PathField::Opaque => Shape::Unknown,
    }
}

/// `ResultPath` applied: `result` placed into the raw input.
fn combine(raw: &Shape, path: PathField, result: Shape) -> Shape {
    match path {
        PathField::Absent => result,
        PathField::Null => raw.clone(),
        PathField::Steps(steps) => raw.write(&steps, result),
        PathField::Opaque => Shape::Unknown,
    }
}

/// A payload template evaluated on `input`: a closed object whose `.$` members have the shape
/// of their path or intrinsic, and whose other members are literal (or templates themselves).
pub(crate) fn template(node: &Node, input: &Shape, depth: usize) -> Shape {
    if depth > super::MAX_DEPTH {
        return Shape::Unknown;
    }
    match &node.value {
        // A key made by a `${...}` substitution could be any member.
        Value::Object(props) if props.iter().any(|p| asl_syntax::is_templated(&p.key)) => {
            Shape::open()
        }
        Value::Object(props) => {
            Shape::closed(props.iter().map(|p| match p.key.strip_suffix(".$") {
                Some(name) => (name.to_owned(), dynamic(&p.value, input)),
                None => (p.key.clone(), template(&p.value, input, depth + 1)),
            }))
        }
        Value::Array(items) => Shape::Tuple(
            items
                .iter()
                .map(|item| template(item, input, depth + 1))
                .collect(),
        ),
        _ => Shape::of_literal(node),
    }
}

/// The shape a `.$` member's value gives.
fn dynamic(value: &Node, input: &Shape) -> Shape {
    let Value::String(s) = &value.value else {
        return Shape::Unknown;
    };
    if let Some(steps) = input_steps(s) {
        return match input.read(&steps) {
            Read::Found(shape) => shape,
            Read::Absent { .. } | Read::Maybe => Shape::Unknown,
        };
    }
    match asl_syntax::intrinsic::parse_intrinsic(s) {
        Ok(call) => intrinsic(&call.name),
        Err(_) => Shape::Unknown,
    }
}

/// The shape of an intrinsic function's result (asl-spec.md, "Intrinsic functions").
fn intrinsic(name: &str) -> Shape {
    match name {
        "States.Format"
        | "States.JsonToString"
        | "States.Base64Encode"
        | "States.Base64Decode"
        | "States.Hash"
        | "States.UUID" => Shape::String(None),
        "States.ArrayContains" => Shape::Bool,
        "States.ArrayLength" | "States.MathRandom" | "States.MathAdd" => Shape::Number,
        "States.StringSplit" => Shape::array(Shape::String(None)),
        "States.Array" | "States.ArrayPartition" | "States.ArrayRange" | "States.ArrayUnique" => {
            Shape::array(Shape::Unknown)
        }
        _ => Shape::Unknown,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use asl_syntax::Dialect;

    /// The input and output of each named state, described.
    fn flow(text: &str) -> Vec<(String, String, String)> {
        let root = asl_syntax::parse(text, Dialect::Json).root.unwrap();
        let machine = Machine::new(&root);
        let graph = Graph::new(&machine);
        let shapes = Shapes::new(&machine, &graph);
        machine
            .states
            .iter()
            .map(|s| {
                let d = |x: Option<&Shape>| x.map_or("-".to_owned(), Shape::describe);
                (
                    s.name.to_owned(),
                    d(shapes.input(s.id)),
                    d(shapes.output(s.id)),
                )
            })
            .collect()
    }

    fn row(name: &str, input: &str, output: &str) -> (String, String, String) {
        (name.to_owned(), input.to_owned(), output.to_owned())
    }

    #[test]
    fn the_processing_order_reshapes_the_payload() {
        let text = r#"{"StartAt": "Charge", "States": {
            "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "ResultSelector": {"receipt.$": "$.Payload.id", "amount": 5}, "ResultPath": "$.charge", "Next": "Ship"},
            "Ship": {"Type": "Pass", "Parameters": {"id.$": "$.charge.receipt", "n.$": "$.charge.amount", "f.$": "States.Format('{}', $.x)"}, "Next": "Done"},
            "Done": {"Type": "Pass", "OutputPath": "$.n", "End": true}}}"#;
        assert_eq!(
            flow(text),
            [
                row("Charge", "any", "{charge: {receipt, amount}, …}"),
                row(
                    "Ship",
                    "{charge: {receipt, amount}, …}",
                    "{id, n: number, f: string}"
                ),
                row("Done", "{id, n: number, f: string}", "number"),
            ]
        );
    }

    #[test]
    fn paths_meet_and_catchers_pass_the_error() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Result": {"x": 1}, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "B"}], "Default": "T"},
            "B": {"Type": "Pass", "Result": {"y": "s"}, "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "F"}], "End": true},
            "F": {"Type": "Fail"}}}"#;
        let rows = flow(text);
        assert_eq!(rows[3], row("T", "{x?: number, y?: \"s\"}", "any"));
        assert_eq!(
            rows[4],
            row("F", "{x?: number, y?: \"s\", error: {Error, Cause}}", "-")
        );
    }

    #[test]
    fn parallel_gives_a_tuple_and_loops_end() {
        let text = r#"{"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Result": "one", "End": true}}},
                {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}],
              "ResultPath": "$.both", "Next": "L"},
            "L": {"Type": "Pass", "Parameters": {"wrap.$": "$"}, "Next": "L2"},
            "L2": {"Type": "Choice", "Choices": [{"Variable": "$.wrap", "IsPresent": true, "Next": "L"}], "Default": "E"},
            "E": {"Type": "Succeed"}}}"#;
        let rows = flow(text);
        assert_eq!(rows[0], row("P", "any", "{both: [\"one\", any], …}"));
        // L's input grows around the loop until it is widened.
        assert_eq!(rows.len(), 6);
        assert!(rows.iter().all(|r| r.1 != "-"), "{rows:?}");
    }

    /// A Parallel's output holds each branch's copy of its input: a chain of them doubles the
    /// payload at each step unless shapes are bounded (80 in a row once took gigabytes).
    #[test]
    fn chains_of_parallels_stay_bounded() {
        let mut states = Vec::new();
        for i in 0..80 {
            let next = if i == 79 {
                "\"End\": true".to_owned()
            } else {
                format!("\"Next\": \"P{}\"", i + 1)
            };
            states.push(format!(
                r#""P{i}": {{"Type": "Parallel", "ResultPath": "$.r{i}", {next}, "Branches": [
                    {{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "End": true}}}}}},
                    {{"StartAt": "B", "States": {{"B": {{"Type": "Pass", "Parameters": {{"k": 1, "all.$": "$"}}, "End": true}}}}}}]}}"#
            ));
        }
        let text = format!(
            r#"{{"StartAt": "P0", "States": {{"Seed": {{"Type": "Pass"}}, {}}}}}"#,
            states.join(", ")
        );
        let root = asl_syntax::parse(&text, Dialect::Json).root.unwrap();
        let machine = Machine::new(&root);
        let graph = Graph::new(&machine);
        let shapes = Shapes::new(&machine, &graph);
        for s in &machine.states {
            if let Some(input) = shapes.input(s.id) {
                let mut budget = super::super::MAX_NODES;
                assert!(
                    input.fits(0, &mut budget),
                    "{}: {}",
                    s.name,
                    input.describe()
                );
            }
        }
    }

    #[test]
    fn descriptions_are_cut_on_a_character() {
        let wide = Shape::closed((0..20).map(|i| (format!("é{i}"), Shape::Number)));
        let cut = wide.describe_within(10);
        assert_eq!(cut.chars().count(), 11, "{cut}");
        assert!(cut.ends_with('…') && cut.starts_with("{é0: numbe"), "{cut}");
        assert_eq!(Shape::Bool.describe_within(10), "boolean");
    }

    #[test]
    fn steps_of_input_paths_only() {
        assert!(input_steps("$.a[0]['b']").is_some());
        assert!(input_steps("$").is_some_and(|s| s.is_empty()));
        for p in [
            "$.a[*]",
            "$$.Execution",
            "$var.x",
            "$..a",
            "x",
            "$.a.length()",
        ] {
            assert!(input_steps(p).is_none(), "{p}");
        }
    }
}
