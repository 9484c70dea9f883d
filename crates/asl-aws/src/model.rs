//! The decoded model of one service.

use std::collections::HashMap;
use std::fmt;

/// One AWS service as botocore models it.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// botocore's id: the folder name under `botocore/data` (`s3`, `dynamodb`, `stepfunctions`).
    pub id: String,
    /// `metadata.serviceId` (`S3`, `DynamoDB`, `SFN`).
    pub service_id: String,
    /// `metadata.serviceFullName` (`Amazon Simple Storage Service`).
    pub full_name: String,
    /// `metadata.protocol` (`rest-xml`, `json`, `query`, `ec2`, `rest-json`, `smithy-rpc-v2-cbor`).
    pub protocol: String,
    /// `metadata.apiVersion` (`2006-03-01`).
    pub api_version: String,
    /// Sorted by name.
    pub(crate) operations: Vec<Operation>,
    pub(crate) shapes: HashMap<String, Shape>,
}

impl Service {
    /// The operation with exactly this PascalCase name (`GetObject`), case-sensitive.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        let i = self
            .operations
            .binary_search_by(|op| op.name.as_str().cmp(name))
            .ok()?;
        self.operations.get(i)
    }

    /// Every operation, sorted by name.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The shape with this name, if it is reachable from an operation's input or output.
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// The shape a reference names.
    pub fn resolve(&self, shape: &ShapeRef) -> Option<&Shape> {
        self.shape(&shape.name)
    }

    /// Every shape with its name, in no particular order.
    pub fn shapes(&self) -> impl Iterator<Item = (&str, &Shape)> {
        self.shapes.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// One operation of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// PascalCase, as in the model (`GetObject`).
    pub name: String,
    /// The first sentence of its documentation, plain text, at most 120 characters (cut with
    /// `…`); empty when the model has none.
    pub doc: String,
    /// The input shape (a structure), if the operation takes one.
    pub input: Option<ShapeRef>,
    /// The output shape (a structure), if the operation returns one.
    pub output: Option<ShapeRef>,
    /// The names of the error shapes the model says it may return (`NoSuchKey`), sorted.
    pub errors: Vec<String>,
}

/// The name of a shape of the same service.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShapeRef {
    /// The shape's name in the model (`GetObjectRequest`).
    pub name: String,
}

impl ShapeRef {
    pub(crate) fn new(name: String) -> Self {
        ShapeRef { name }
    }

    /// The shape's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for ShapeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A member of a structure or union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// As in the model (PascalCase for most services, camelCase for some).
    pub name: String,
    pub shape: ShapeRef,
    /// In the structure's `required` list, unless it is an idempotency token (which the AWS
    /// SDKs fill in when it is not given).
    pub required: bool,
    /// The first sentence of its documentation, at most 56 characters; kept only for shapes
    /// reachable from an operation's input (empty otherwise, and when the model has none).
    pub doc: String,
}

/// A shape: the type of an input, output or member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Structure {
        members: Vec<Member>,
    },
    /// A structure of which exactly one member is set.
    Union {
        members: Vec<Member>,
    },
    List {
        member: ShapeRef,
    },
    Map {
        key: ShapeRef,
        value: ShapeRef,
    },
    /// A string; `enum_values` is empty when any string is allowed.
    String {
        enum_values: Vec<String>,
    },
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Timestamp,
    Blob,
    /// Any JSON value (botocore's `document` structures).
    Document,
    /// A botocore type this crate does not know.
    Other {
        type_name: String,
    },
}

impl Shape {
    /// The members of a structure or union, else an empty slice.
    pub fn members(&self) -> &[Member] {
        match self {
            Shape::Structure { members } | Shape::Union { members } => members,
            _ => &[],
        }
    }

    /// The member with exactly this name, of a structure or union.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members().iter().find(|m| m.name == name)
    }

    /// The members a structure requires (none for a union: it takes one of its members).
    pub fn required_members(&self) -> impl Iterator<Item = &Member> {
        let members = match self {
            Shape::Structure { members } => members.as_slice(),
            _ => &[],
        };
        members.iter().filter(|m| m.required)
    }

    /// botocore's name for the shape's type (`structure`, `string`, `long`, ...).
    pub fn type_name(&self) -> &str {
        match self {
            Shape::Structure { .. } => "structure",
            Shape::Union { .. } => "union",
            Shape::List { .. } => "list",
            Shape::Map { .. } => "map",
            Shape::String { .. } => "string",
            Shape::Integer => "integer",
            Shape::Long => "long",
            Shape::Float => "float",
            Shape::Double => "double",
            Shape::Boolean => "boolean",
            Shape::Timestamp => "timestamp",
            Shape::Blob => "blob",
            Shape::Document => "document",
            Shape::Other { type_name } => type_name,
        }
    }
}
