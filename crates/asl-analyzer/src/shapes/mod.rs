//! Payload shapes: what is known of the JSON a state receives and emits (issue 18).
//!
//! A [`Shape`] is a value of a small lattice: [`Shape::Unknown`] (anything) on top; the JSON
//! types, strings with their literal value when it is known; arrays of one element shape, or
//! tuples; objects with their members, each required or optional, and whether the object is
//! *closed* (it has only those members: a payload template, a Pass `Result`, an error object)
//! or *open* (it has at least the required ones); and unions of these. [`Shape::join`] is the
//! least upper bound the flow takes where paths meet; depth and width are bounded so the flow
//! terminates.
//!
//! Reading a path ([`Shape::read`]) is *certain* only where the shape is: a field missing from
//! a closed object, or a field read of a string, number, boolean or null, certainly fails at
//! run time (`States.Runtime`: the JSONPath could not be found in the input). Everything else
//! is [`Read::Maybe`].

pub(crate) mod flow;
pub mod reach;

use std::fmt::Write as _;
use std::sync::Arc;

use asl_syntax::jsonpath::Step;
use asl_syntax::{Node, Value};

/// The deepest nesting a shape keeps; below it, [`Shape::Unknown`].
const MAX_DEPTH: usize = 8;
/// The most nodes one shape keeps ([`Shape::bounded`]).
const MAX_NODES: usize = 64;
/// The most alternatives a union keeps, and the most members an object keeps.
const MAX_WIDTH: usize = 32;

/// What is known of a JSON value.
///
/// Shapes are shared, not copied: a state's input is mostly its predecessor's output, and its
/// stages mostly its input, so every composite holds its parts behind an [`Arc`] and a clone
/// costs a reference count. Equality of two shares is a pointer comparison (`Arc`'s `Eq`
/// shortcut), which keeps the flow's "did it grow" test cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Anything.
    Unknown,
    Null,
    Bool,
    Number,
    /// A string, with its value when it is one literal.
    String(Option<Arc<str>>),
    /// An array whose elements all have this shape.
    Array(Arc<Shape>),
    /// An array of exactly these elements (a Parallel's output).
    Tuple(Arc<[Shape]>),
    Object(Arc<Object>),
    /// One of these (never nested, never `Unknown`, at least two).
    Union(Arc<[Shape]>),
}

/// An object's known members, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Object {
    pub members: Vec<Member>,
    /// Only these members exist.
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    pub name: Arc<str>,
    pub shape: Shape,
    /// Present on every path (else it may be absent).
    pub required: bool,
}

/// What reading a path of a shape gives.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Read {
    /// The path exists (as far as is known) and holds this.
    Found(Shape),
    /// The path certainly does not exist: its step `step` (an index into the path's steps)
    /// reads a member that `from` cannot have.
    Absent { step: usize, from: Shape },
    /// It may or may not exist.
    Maybe,
}

impl Shape {
    /// A closed object of these members, all required.
    pub(crate) fn closed<N: Into<Arc<str>>>(
        members: impl IntoIterator<Item = (N, Shape)>,
    ) -> Shape {
        Shape::object(Object {
            members: members
                .into_iter()
                .map(|(name, shape)| Member {
                    name: name.into(),
                    shape,
                    required: true,
                })
                .collect(),
            closed: true,
        })
    }

    pub(crate) fn object(object: Object) -> Shape {
        Shape::Object(Arc::new(object))
    }

    /// `{}`.
    pub(crate) fn empty() -> Shape {
        Shape::object(Object {
            members: Vec::new(),
            closed: true,
        })
    }

    /// An object of members not known.
    pub(crate) fn open() -> Shape {
        Shape::object(Object::default())
    }

    pub(crate) fn array(element: Shape) -> Shape {
        Shape::Array(Arc::new(element))
    }

    pub(crate) fn tuple(items: Vec<Shape>) -> Shape {
        Shape::Tuple(items.into())
    }

    pub(crate) fn string(value: &str) -> Shape {
        Shape::String(Some(value.into()))
    }

    /// The error object a catcher passes on: `{Error, Cause}`.
    pub(crate) fn error_object() -> Shape {
        Shape::closed([
            ("Error", Shape::String(None)),
            ("Cause", Shape::String(None)),
        ])
    }

    /// The shape of a JSON literal.
    pub(crate) fn of_literal(node: &Node) -> Shape {
        Self::literal_at(node, 0)
    }

    fn literal_at(node: &Node, depth: usize) -> Shape {
        if depth > MAX_DEPTH {
            return Shape::Unknown;
        }
        match &node.value {
            Value::Null => Shape::Null,
            Value::Bool(_) => Shape::Bool,
            Value::Number(_) => Shape::Number,
            Value::String(s) => Shape::string(s),
            Value::Array(items) if items.len() <= MAX_WIDTH => Shape::Tuple(
                items
                    .iter()
                    .map(|item| Self::literal_at(item, depth + 1))
                    .collect(),
            ),
            Value::Array(_) => Shape::array(Shape::Unknown),
            Value::Object(props) if props.len() <= MAX_WIDTH => Shape::closed(
                props
                    .iter()
                    .map(|p| (p.key.as_str(), Self::literal_at(&p.value, depth + 1))),
            ),
            Value::Object(_) => Shape::open(),
        }
    }

    /// True when `self` is `other` or a share of it (the same allocation): a cheap identity
    /// test, false for equal shapes built apart except scalars.
    pub(crate) fn is_share_of(&self, other: &Shape) -> bool {
        match (self, other) {
            (Shape::Array(a), Shape::Array(b)) => Arc::ptr_eq(a, b),
            (Shape::Tuple(a), Shape::Tuple(b)) | (Shape::Union(a), Shape::Union(b)) => {
                Arc::ptr_eq(a, b)
            }
            (Shape::Object(a), Shape::Object(b)) => Arc::ptr_eq(a, b),
            (Shape::String(a), Shape::String(b)) => a == b,
            (a, b) => {
                matches!(
                    (a, b),
                    (Shape::Unknown, Shape::Unknown)
                        | (Shape::Null, Shape::Null)
                        | (Shape::Bool, Shape::Bool)
                        | (Shape::Number, Shape::Number)
                )
            }
        }
    }

    /// The least shape above both.
    pub(crate) fn join(&self, other: &Shape) -> Shape {
        self.join_at(other, 0)
    }

    fn join_at(&self, other: &Shape, depth: usize) -> Shape {
        if self == other {
            return self.clone();
        }
        if depth > MAX_DEPTH {
            return Shape::Unknown;
        }
        match (self, other) {
            (Shape::Unknown, _) | (_, Shape::Unknown) => Shape::Unknown,
            (Shape::String(_), Shape::String(_)) => Shape::String(None),
            (Shape::Object(a), Shape::Object(b)) => Shape::object(a.join(b, depth)),
            (Shape::Array(a), Shape::Array(b)) => Shape::array(a.join_at(b, depth + 1)),
            (Shape::Tuple(a), Shape::Tuple(b)) if a.len() == b.len() => Shape::Tuple(
                a.iter()
                    .zip(b.iter())
                    .map(|(x, y)| x.join_at(y, depth + 1))
                    .collect(),
            ),
            (Shape::Array(_) | Shape::Tuple(_), Shape::Array(_) | Shape::Tuple(_)) => {
                // Arrays of other lengths, or of unknown length: an array of any of their
                // elements.
                let joined = elements(self)
                    .into_iter()
                    .chain(elements(other))
                    .fold(None::<Shape>, |acc, s| {
                        Some(acc.map_or_else(|| s.clone(), |acc| acc.join_at(s, depth + 1)))
                    });
                // An empty tuple joined with one: elements of the other's shape, or any.
                Shape::array(joined.unwrap_or(Shape::Unknown))
            }
            _ => {
                let mut alternatives = Vec::new();
                for s in [self, other] {
                    match s {
                        Shape::Union(items) => alternatives.extend(items.iter().cloned()),
                        s => alternatives.push(s.clone()),
                    }
                }
                union(alternatives, depth)
            }
        }
    }

    /// This shape with at most [`MAX_NODES`] nodes and [`MAX_DEPTH`] levels: what lies past
    /// either bound becomes unknown (breadth first, so the members nearest the top stay known).
    /// Outputs embed inputs (a Parallel's tuple holds each branch's copy of its input), so
    /// without it a chain of states could double a shape at each step.
    pub(crate) fn bounded(self) -> Shape {
        let mut count = MAX_NODES;
        if self.fits(0, &mut count) {
            return self;
        }
        let mut budget = MAX_NODES;
        self.bound(0, &mut budget)
    }

    /// True when this shape is within the bounds (counting as [`Shape::bound`] does).
    pub(super) fn fits(&self, depth: usize, budget: &mut usize) -> bool {
        // What `bound` cuts off is unknown, and costs nothing.
        if matches!(self, Shape::Unknown) {
            return true;
        }
        if *budget == 0 || depth > MAX_DEPTH {
            return false;
        }
        *budget -= 1;
        match self {
            Shape::Array(element) => element.fits(depth + 1, budget),
            Shape::Tuple(items) | Shape::Union(items) => {
                items.iter().all(|s| s.fits(depth + 1, budget))
            }
            Shape::Object(object) => {
                if object.members.len() > *budget {
                    return false;
                }
                *budget -= object.members.len();
                object
                    .members
                    .iter()
                    .all(|m| m.shape.fits(depth + 1, budget))
            }
            _ => true,
        }
    }

    fn bound(&self, depth: usize, budget: &mut usize) -> Shape {
        if *budget == 0 || depth > MAX_DEPTH {
            return Shape::Unknown;
        }
        *budget -= 1;
        match self {
            Shape::Array(element) => Shape::array(element.bound(depth + 1, budget)),
            Shape::Tuple(items) => {
                Shape::Tuple(items.iter().map(|s| s.bound(depth + 1, budget)).collect())
            }
            Shape::Object(object) => {
                // Each member costs a node before any is descended into, so a wide object
                // keeps its names.
                if object.members.len() > *budget {
                    return Shape::open();
                }
                *budget -= object.members.len();
                Shape::object(Object {
                    members: object
                        .members
                        .iter()
                        .map(|m| Member {
                            name: m.name.clone(),
                            shape: m.shape.bound(depth + 1, budget),
                            required: m.required,
                        })
                        .collect(),
                    closed: object.closed,
                })
            }
            Shape::Union(items) => {
                let items: Vec<Shape> = items.iter().map(|s| s.bound(depth + 1, budget)).collect();
                if items.iter().any(|s| matches!(s, Shape::Unknown)) {
                    Shape::Unknown
                } else {
                    Shape::Union(items.into())
                }
            }
            other => other.clone(),
        }
    }

    /// Reads `steps` of this shape.
    pub(crate) fn read(&self, steps: &[Step]) -> Read {
        // Walks by reference; only a union's joined member is built.
        let mut joined: Shape;
        let mut here: &Shape = self;
        for (i, step) in steps.iter().enumerate() {
            let absent = |from: &Shape| Read::Absent {
                step: i,
                from: from.clone(),
            };
            here = match (step, here) {
                (_, Shape::Unknown) | (Step::Other { .. }, _) => return Read::Maybe,
                (Step::Field { name, .. }, Shape::Object(object)) => {
                    match object.members.iter().find(|m| *m.name == **name) {
                        Some(m) if m.required => &m.shape,
                        Some(_) => return Read::Maybe,
                        None if object.closed => return absent(here),
                        None => return Read::Maybe,
                    }
                }
                (
                    Step::Field { .. },
                    Shape::Null | Shape::Bool | Shape::Number | Shape::String(_),
                ) => return absent(here),
                (Step::Field { .. }, Shape::Union(items)) => {
                    // Absent only if absent from every alternative.
                    let reads: Vec<Read> = items
                        .iter()
                        .map(|s| s.read(std::slice::from_ref(step)))
                        .collect();
                    if reads.iter().all(|r| matches!(r, Read::Absent { .. })) {
                        return absent(here);
                    }
                    let mut found = Vec::with_capacity(reads.len());
                    for r in reads {
                        match r {
                            Read::Found(s) => found.push(s),
                            _ => return Read::Maybe,
                        }
                    }
                    let mut found = found.into_iter();
                    let Some(first) = found.next() else {
                        return Read::Maybe;
                    };
                    joined = found.fold(first, |acc, s| acc.join(&s));
                    &joined
                }
                (Step::Index { index, .. }, Shape::Tuple(items)) => {
                    match usize::try_from(*index).ok().and_then(|i| items.get(i)) {
                        Some(s) => s,
                        None => return Read::Maybe,
                    }
                }
                (Step::Index { .. }, Shape::Array(element)) => element,
                _ => return Read::Maybe,
            };
        }
        Read::Found(here.clone())
    }

    /// This shape with `value` written at `steps` (a `ResultPath`); `$` (no steps) replaces it.
    pub(crate) fn write(&self, steps: &[Step], value: Shape) -> Shape {
        let Some((first, rest)) = steps.split_first() else {
            return value;
        };
        let Step::Field { name, .. } = first else {
            return Shape::Unknown;
        };
        match self {
            Shape::Object(object) => {
                let mut object = Object::clone(object);
                match object.members.iter_mut().find(|m| *m.name == **name) {
                    Some(m) => {
                        let inner = if m.required {
                            m.shape.clone()
                        } else {
                            Shape::Unknown
                        };
                        m.shape = inner.write(rest, value);
                        m.required = true;
                    }
                    None => object.members.push(Member {
                        name: name.as_str().into(),
                        shape: Shape::empty().write(rest, value),
                        required: true,
                    }),
                }
                if object.members.len() > MAX_WIDTH {
                    // Too wide to follow: an object of members not known.
                    return Shape::open();
                }
                Shape::object(object)
            }
            // Step Functions creates the member in an object it does not know; the rest of
            // the input stays unknown.
            Shape::Unknown => Shape::object(Object {
                members: vec![Member {
                    name: name.as_str().into(),
                    // The member may already exist, holding anything.
                    shape: if rest.is_empty() {
                        value
                    } else {
                        Shape::Unknown.write(rest, value)
                    },
                    required: true,
                }],
                closed: false,
            }),
            _ => Shape::Unknown,
        }
    }

    /// A compact rendering for hovers and messages: `{receipt, amount}` (closed),
    /// `{receipt, …}` (open), `{receipt?}` (optional), `string`, `[number]`.
    pub(crate) fn describe(&self) -> String {
        let mut out = String::new();
        self.describe_into(&mut out, 0);
        out
    }

    /// [`Shape::describe`] cut at `max` characters, with `…` where it was cut (for one-line
    /// messages and hovers).
    pub(crate) fn describe_within(&self, max: usize) -> String {
        let text = self.describe();
        match text.char_indices().nth(max) {
            Some((at, _)) => format!("{}…", text.get(..at).unwrap_or_default()),
            None => text,
        }
    }

    fn describe_into(&self, out: &mut String, depth: usize) {
        match self {
            Shape::Unknown => out.push_str("any"),
            Shape::Null => out.push_str("null"),
            Shape::Bool => out.push_str("boolean"),
            Shape::Number => out.push_str("number"),
            Shape::String(Some(s)) if s.len() <= 24 => {
                let _ = write!(out, "{s:?}");
            }
            Shape::String(_) => out.push_str("string"),
            Shape::Array(element) => {
                out.push('[');
                element.describe_into(out, depth + 1);
                out.push(']');
            }
            Shape::Tuple(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.describe_into(out, depth + 1);
                }
                out.push(']');
            }
            Shape::Object(object) => {
                out.push('{');
                let mut first = true;
                for m in &object.members {
                    if !first {
                        out.push_str(", ");
                    }
                    first = false;
                    out.push_str(&m.name);
                    if !m.required {
                        out.push('?');
                    }
                    if depth < 1 && !matches!(m.shape, Shape::Unknown) {
                        out.push_str(": ");
                        m.shape.describe_into(out, depth + 1);
                    }
                }
                if !object.closed {
                    out.push_str(if first { "…" } else { ", …" });
                }
                out.push('}');
            }
            Shape::Union(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" | ");
                    }
                    item.describe_into(out, depth + 1);
                }
            }
        }
    }
}

impl Object {
    fn join(&self, other: &Object, depth: usize) -> Object {
        let mut members: Vec<Member> = Vec::new();
        for m in &self.members {
            match other.members.iter().find(|o| o.name == m.name) {
                Some(o) => members.push(Member {
                    name: m.name.clone(),
                    shape: m.shape.join_at(&o.shape, depth + 1),
                    required: m.required && o.required,
                }),
                // Missing from an open object: it may be there, with any value.
                None if !other.closed => members.push(Member {
                    name: m.name.clone(),
                    shape: Shape::Unknown,
                    required: false,
                }),
                None => members.push(Member {
                    required: false,
                    ..m.clone()
                }),
            }
        }
        for o in &other.members {
            if self.members.iter().any(|m| m.name == o.name) {
                continue;
            }
            members.push(Member {
                name: o.name.clone(),
                shape: if self.closed {
                    o.shape.clone()
                } else {
                    Shape::Unknown
                },
                required: false,
            });
        }
        let closed = self.closed && other.closed && members.len() <= MAX_WIDTH;
        if members.len() > MAX_WIDTH {
            members.truncate(MAX_WIDTH);
        }
        Object { members, closed }
    }
}

fn union(alternatives: Vec<Shape>, depth: usize) -> Shape {
    let mut out: Vec<Shape> = Vec::new();
    for s in alternatives {
        // Alternatives of one kind are joined (two objects give one object).
        match out.iter_mut().find(|o| same_kind(o, &s)) {
            Some(o) => *o = o.join_at(&s, depth + 1),
            None => out.push(s),
        }
    }
    if out.iter().any(|s| matches!(s, Shape::Unknown)) || out.len() > MAX_WIDTH {
        return Shape::Unknown;
    }
    match out.len() {
        1 => out.pop().unwrap_or(Shape::Unknown),
        _ => Shape::Union(out.into()),
    }
}

/// The element shapes of an array or tuple.
fn elements(s: &Shape) -> Vec<&Shape> {
    match s {
        Shape::Array(element) => vec![&**element],
        Shape::Tuple(items) => items.iter().collect(),
        _ => Vec::new(),
    }
}

fn same_kind(a: &Shape, b: &Shape) -> bool {
    matches!(
        (a, b),
        (Shape::Null, Shape::Null)
            | (Shape::Bool, Shape::Bool)
            | (Shape::Number, Shape::Number)
            | (Shape::String(_), Shape::String(_))
            | (Shape::Object(_), Shape::Object(_))
            | (
                Shape::Array(_) | Shape::Tuple(_),
                Shape::Array(_) | Shape::Tuple(_)
            )
    )
}
