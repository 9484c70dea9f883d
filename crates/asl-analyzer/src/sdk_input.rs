//! The input an AWS SDK Task passes to the API it calls, matched against the AWS model.
//!
//! A Task `arn:aws:states:::aws-sdk:<service>:<action>` calls the API operation `<Action>` of
//! the service; its `Parameters` (JSONPath) or `Arguments` (JSONata) object is the operation's
//! input. [`SdkCall::of`] finds the service's model (decoded on first use) and the operation, and
//! [`SdkCall::objects`] pairs each literal object of the payload with the structure it is an
//! instance of: the payload itself with the input, a nested object with the structure of its
//! member, each object of a list of structures with the list's element, each object value of a
//! map of structures with the map's value (a map's keys are anyone's). Documents (free-form),
//! and values given by a path, an intrinsic, a JSONata expression, a `${}` placeholder or a
//! CloudFormation intrinsic are not looked into.
//!
//! The optimized integrations whose pages give the API's request syntax as their parameters
//! (`arn:aws:states:::dynamodb:putItem` takes DynamoDB `PutItem`'s input; see
//! `OptimizedAction::api_input` in `spec::integrations`) are calls too, by the same names and
//! types (Step Functions serializes a JSON value given for a string or blob member, such as
//! `MessageBody` or `Payload`, as its aws-sdk integration does).
//!
//! Step Functions' naming rules ([AWS SDK service integrations], "API naming conventions"):
//! parameter names are PascalCase even where the service's own API is camelCase
//! (`stateMachineArn` is written `StateMachineArn`), and a member `Equals` is written
//! `EqualsValue`. The casing Step Functions derives from the AWS SDK for Java differs from
//! botocore's for some members (DynamoDB's `BOOL` is `Bool`), so a key that matches a member but
//! for case is taken as that member ([`member_for`]).
//!
//! Used by the rules `unknown-parameter`, `missing-parameter` and `invalid-parameter-value`, and
//! by hover and completion on parameter keys.
//!
//! [AWS SDK service integrations]: https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html

use std::sync::Arc;

use asl_aws::{Member, Operation, Service, Shape, ShapeRef};
use asl_syntax::ast::{Machine, State};
use asl_syntax::{Node, Property, TextRange, is_templated};

use crate::names::closest;
use crate::resource::{Resource, Task};
use crate::spec::integrations::{action_name, aws_sdk_service, operation_name, optimized_service};

/// How deep nested objects are followed (the input is finite, but a definition can nest deeper
/// than any API does).
const MAX_DEPTH: usize = 32;

/// One Task calling an AWS API whose service and operation the model knows: an AWS SDK
/// integration, or an optimized integration whose parameters are the API's request
/// (`dynamodb:putItem`, `sqs:sendMessage`).
pub(crate) struct SdkCall<'m, 'a> {
    pub task: Task<'m, 'a>,
    pub model: Arc<Service>,
    /// The operation's PascalCase name: the Task's action, or, when the service lacks it, the
    /// one `unknown-integration` suggests.
    operation: String,
    /// How messages name the call: `` `aws-sdk:s3:getObject` ``, or
    /// `` `aws-sdk:s3:getObject` (meant by `getObjekt`) `` for a suggested action,
    /// `` `dynamodb:putItem` `` for an optimized integration.
    pub label: String,
    /// `Parameters` or `Arguments`, when the state has one.
    pub payload: Option<&'a Property>,
}

/// A literal object of the payload and the structure (or union) it is an instance of.
pub(crate) struct Object<'n, 's> {
    pub node: &'n Node,
    pub shape: &'s Shape,
    /// Where it is, for messages: `Parameters`, `Parameters.Delete.Objects[1]`.
    pub place: String,
    /// The key whose value it is (`Parameters`, `Delete`); `None` for an element of a list.
    pub key_range: Option<TextRange>,
}

/// Whether an aws-sdk action the service lacks is read as the one `unknown-integration`
/// suggests (for the rules, which say so), or not at all (for completion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guess {
    Suggested,
    Exact,
}

/// The API operation a `Resource` calls, when the model knows it.
pub(crate) struct Target {
    pub model: Arc<Service>,
    /// PascalCase (`GetObject`).
    pub operation: String,
    /// As [`SdkCall::label`].
    pub label: String,
}

impl Target {
    /// The operation `resource` calls: an aws-sdk action, or an optimized integration's action
    /// whose parameters are its API's request. `None` for templated names, unknown services
    /// and actions (but see [`Guess`]), and every other kind of `Resource`.
    pub fn of(resource: &Resource<'_>, guess: Guess) -> Option<Target> {
        match *resource {
            Resource::Sdk {
                service, action, ..
            } => {
                if filled_in_later(service) || filled_in_later(action) {
                    return None;
                }
                let sdk = aws_sdk_service(service)?;
                // Decoded on first use: only the services the definition calls.
                let model = asl_aws::service(sdk.botocore_id)?;
                let exact = operation_name(action);
                if model.operation(&exact).is_some() {
                    let label = format!("`aws-sdk:{service}:{action}`");
                    return Some(Target::new(model, exact, label));
                }
                if guess == Guess::Exact {
                    return None;
                }
                let meant = suggested_action(&model, action)?;
                let operation = operation_name(&meant);
                model.operation(&operation)?;
                let label = format!("`aws-sdk:{service}:{meant}` (meant by `{action}`)");
                Some(Target::new(model, operation, label))
            }
            Resource::Optimized { service, api, .. } => {
                let integration = optimized_service(service)?;
                if !integration.action(api)?.api_input {
                    return None;
                }
                let sdk = aws_sdk_service(integration.sdk_service?)?;
                let model = asl_aws::service(sdk.botocore_id)?;
                let operation = operation_name(api);
                model.operation(&operation)?;
                Some(Target::new(model, operation, format!("`{service}:{api}`")))
            }
            _ => None,
        }
    }

    fn new(model: Arc<Service>, operation: String, label: String) -> Target {
        Target {
            model,
            operation,
            label,
        }
    }

    /// The operation's input shape, if it takes one.
    pub fn input(&self) -> Option<&ShapeRef> {
        self.model.operation(&self.operation)?.input.as_ref()
    }
}

impl<'m, 'a> SdkCall<'m, 'a> {
    /// The API call `state` makes, when it is an aws-sdk Task whose service and action the
    /// model knows (an action the service lacks is read as the one `unknown-integration`
    /// suggests, if any), or an optimized integration whose parameters are its API's request.
    /// `None` for templated service or action names.
    pub fn of(state: &'m State<'a>) -> Option<SdkCall<'m, 'a>> {
        let task = Task::of(state)?;
        let Target {
            model,
            operation,
            label,
        } = Target::of(&task.resource, Guess::Suggested)?;
        let payload = match (state.fields.parameters, state.fields.arguments) {
            (Some(p), _) | (None, Some(p)) => Some(p),
            (None, None) => None,
        };
        Some(SdkCall {
            task,
            model,
            operation,
            label,
            payload,
        })
    }

    /// The operation called.
    pub fn operation(&self) -> Option<&Operation> {
        self.model.operation(&self.operation)
    }

    /// The operation's input structure (an empty one when it takes no input); `None` when the
    /// model names a shape it does not hold.
    pub fn input(&self) -> Option<&Shape> {
        static EMPTY: Shape = Shape::Structure {
            members: Vec::new(),
        };
        match &self.operation()?.input {
            Some(input) => self.model.resolve(input),
            None => Some(&EMPTY),
        }
    }

    /// Whether the payload is one value whose keys are not known here: a JSONata expression, a
    /// path, a CloudFormation intrinsic.
    pub fn payload_is_opaque(&self) -> bool {
        self.payload
            .is_some_and(|p| p.value.as_object().is_none() || p.value.is_cfn_intrinsic())
    }

    /// Every literal object of the payload with its structure, the payload first, then in
    /// document order.
    pub fn objects(&self) -> Vec<Object<'a, '_>> {
        let mut found = Vec::new();
        let (Some(payload), Some(input)) = (self.payload, self.input()) else {
            return found;
        };
        if self.payload_is_opaque() {
            return found;
        }
        let mut stack = vec![(
            Object {
                node: &payload.value,
                shape: input,
                place: payload.key.clone(),
                key_range: Some(payload.key_range),
            },
            0,
        )];
        while let Some((object, depth)) = stack.pop() {
            let mut inner_objects = Vec::new();
            for prop in distinct_keys(object.node) {
                let Some(member) = member_for(object.shape, prop.key.as_str()) else {
                    continue;
                };
                if prop.key.ends_with(".$")
                    || depth + 1 >= MAX_DEPTH
                    || prop.value.is_cfn_intrinsic()
                {
                    continue;
                }
                let Some(inner) = self.model.resolve(&member.shape) else {
                    continue;
                };
                let here = format!("{}.{}", object.place, prop.key);
                match inner {
                    Shape::Structure { .. } | Shape::Union { .. }
                        if prop.value.as_object().is_some() =>
                    {
                        inner_objects.push(Object {
                            node: &prop.value,
                            shape: inner,
                            place: here,
                            key_range: Some(prop.key_range),
                        });
                    }
                    Shape::List { member } => {
                        let (Some(items), Some(element)) =
                            (prop.value.as_array(), self.model.resolve(member))
                        else {
                            continue;
                        };
                        if !matches!(element, Shape::Structure { .. } | Shape::Union { .. }) {
                            continue;
                        }
                        for (i, item) in items.iter().enumerate() {
                            if item.as_object().is_some() && !item.is_cfn_intrinsic() {
                                inner_objects.push(Object {
                                    node: item,
                                    shape: element,
                                    place: format!("{here}[{i}]"),
                                    key_range: None,
                                });
                            }
                        }
                    }
                    // The values of a map of structures (its keys are anyone's): DynamoDB's
                    // attribute values, SNS's message attributes.
                    Shape::Map { value, .. } if prop.value.as_object().is_some() => {
                        let Some(element) = self.model.resolve(value) else {
                            continue;
                        };
                        if !matches!(element, Shape::Structure { .. } | Shape::Union { .. }) {
                            continue;
                        }
                        for entry in distinct_keys(&prop.value) {
                            if entry.key.ends_with(".$")
                                || entry.value.as_object().is_none()
                                || entry.value.is_cfn_intrinsic()
                            {
                                continue;
                            }
                            inner_objects.push(Object {
                                node: &entry.value,
                                shape: element,
                                place: format!("{here}.{}", entry.key),
                                key_range: Some(entry.key_range),
                            });
                        }
                    }
                    // Documents (free-form) and scalars.
                    _ => {}
                }
            }
            found.push(object);
            // Reversed, so that they are popped in document order.
            stack.extend(inner_objects.into_iter().rev().map(|o| (o, depth + 1)));
        }
        found
    }
}

/// The action of `model` that `action`, which the service lacks, was probably meant to be.
pub(crate) fn suggested_action(model: &asl_aws::Service, action: &str) -> Option<String> {
    let actions: Vec<String> = model
        .operations()
        .iter()
        .map(|o| action_name(&o.name))
        .collect();
    closest(action, actions.iter().map(String::as_str)).map(str::to_owned)
}

/// Starts decoding the AWS models the rules will read for `machine`: the services of its
/// aws-sdk Tasks, of its optimized Tasks that take their API's request, and Lambda's for a
/// Lambda Task's error names (see [`asl_aws::prefetch`]).
pub(crate) fn prefetch(machine: &Machine<'_>) {
    let mut ids: Vec<&'static str> = Vec::new();
    for task in machine.states.iter().filter_map(Task::of) {
        let id = match task.resource {
            Resource::Sdk { service, .. } => aws_sdk_service(service).map(|s| s.botocore_id),
            _ if task.resource.is_lambda() => Some("lambda"),
            Resource::Optimized { service, api, .. } => optimized_service(service)
                .filter(|s| s.action(api).is_some_and(|a| a.api_input))
                .and_then(|s| s.sdk_service)
                .and_then(aws_sdk_service)
                .map(|s| s.botocore_id),
            _ => None,
        };
        if let Some(id) = id.filter(|id| !ids.contains(id)) {
            ids.push(id);
        }
    }
    asl_aws::prefetch(ids);
}

/// Every SDK call of the machine the model knows.
pub(crate) fn sdk_calls<'m, 'a>(machine: &'m Machine<'a>) -> impl Iterator<Item = SdkCall<'m, 'a>> {
    machine.states.iter().filter_map(SdkCall::of)
}

/// A part of an ARN, or a key, that a template fills in.
pub(crate) fn filled_in_later(part: &str) -> bool {
    is_templated(part) || part.starts_with('<') || part.starts_with('{')
}

/// The properties of an object whose keys are written out (not templated), each key once.
pub(crate) fn distinct_keys(node: &Node) -> impl Iterator<Item = &Property> {
    crate::nodes::distinct_props(node).filter(|p| !filled_in_later(&p.key))
}

/// The name Step Functions gives a member: PascalCase (`stateMachineArn` → `StateMachineArn`),
/// and `EqualsValue` for `Equals`.
pub(crate) fn sfn_name(member: &Member) -> String {
    if member.name == "Equals" {
        return "EqualsValue".to_owned();
    }
    operation_name(&member.name)
}

/// The member of `shape` that the key `key` sets (a trailing `.$` stripped): its Step Functions
/// name or its model name, exactly, else in any case.
pub(crate) fn member_for<'s>(shape: &'s Shape, key: &str) -> Option<&'s Member> {
    let name = key.strip_suffix(".$").unwrap_or(key);
    let members = shape.members();
    members
        .iter()
        .find(|m| m.name == name || is_sfn_name(m, name, false))
        .or_else(|| {
            members
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(name) || is_sfn_name(m, name, true))
        })
}

/// Whether `name` is [`sfn_name`] of `member` (in any case, with `any_case`), without building
/// it: this runs for every key against every member.
fn is_sfn_name(member: &Member, name: &str, any_case: bool) -> bool {
    if member.name == "Equals" {
        return if any_case {
            name.eq_ignore_ascii_case("EqualsValue")
        } else {
            name == "EqualsValue"
        };
    }
    let mut ours = member.name.chars();
    let mut theirs = name.chars();
    let first = match (ours.next(), theirs.next()) {
        (Some(a), Some(b)) => {
            let mut upper = a.to_uppercase();
            let same = upper
                .next()
                .is_some_and(|u| u == b || (any_case && u.eq_ignore_ascii_case(&b)));
            same && upper.next().is_none()
        }
        (None, None) => true,
        _ => false,
    };
    first
        && if any_case {
            ours.as_str().eq_ignore_ascii_case(theirs.as_str())
        } else {
            ours.as_str() == theirs.as_str()
        }
}

/// One step of a path below the payload: a key of an object, or an index into an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'k> {
    Key(&'k str),
    Index,
}

/// The shape of the value at `path` below a payload whose shape is `input`: a key of a
/// structure or union steps into its member ([`member_for`]), a key of a map into the map's
/// value (its keys are anyone's), an index into the element of a list. `None` where the model
/// does not know the value (an unknown member, a `.$` key, a document, a scalar) or past
/// [`MAX_DEPTH`] steps.
pub(crate) fn shape_at<'s>(
    model: &'s Service,
    input: &'s Shape,
    path: &[Step<'_>],
) -> Option<&'s Shape> {
    if path.len() >= MAX_DEPTH {
        return None;
    }
    let mut shape = input;
    for step in path {
        let next = match (step, shape) {
            (Step::Key(key), Shape::Structure { .. } | Shape::Union { .. }) => {
                if key.ends_with(".$") {
                    return None;
                }
                &member_for(shape, key)?.shape
            }
            (Step::Key(key), Shape::Map { value, .. }) if !key.ends_with(".$") => value,
            (Step::Index, Shape::List { member }) => member,
            _ => return None,
        };
        shape = model.resolve(next)?;
    }
    Some(shape)
}

/// How many enum values [`type_text`] lists before `…`.
const ENUM_VALUES_SHOWN: usize = 4;

/// The type of a member, in words: `string`, `integer`, `structure`, `list of structure`,
/// `map of string to string`, `one of "A", "B", "C", "D", … (9 values)` for an enumerated
/// string. `value` when the model lacks the shape.
pub(crate) fn type_text(model: &Service, shape: &asl_aws::ShapeRef) -> String {
    let Some(resolved) = model.resolve(shape) else {
        return "value".to_owned();
    };
    // The element of a list or a map's value, one level down (a list of lists is rare).
    let inner = |r: &asl_aws::ShapeRef| match model.resolve(r) {
        Some(Shape::String { enum_values }) if !enum_values.is_empty() => "string".to_owned(),
        Some(Shape::List { member }) => format!(
            "list of {}",
            model.resolve(member).map_or("value", Shape::type_name)
        ),
        Some(s) => s.type_name().to_owned(),
        None => "value".to_owned(),
    };
    match resolved {
        Shape::String { enum_values } if !enum_values.is_empty() => {
            let shown: Vec<String> = enum_values
                .iter()
                .take(ENUM_VALUES_SHOWN)
                .map(|v| format!("\"{v}\""))
                .collect();
            let mut s = format!("one of {}", shown.join(", "));
            if enum_values.len() > ENUM_VALUES_SHOWN {
                s.push_str(&format!(", … ({} values)", enum_values.len()));
            }
            s
        }
        Shape::List { member } => format!("list of {}", inner(member)),
        Shape::Map { key, value } => format!("map of {} to {}", inner(key), inner(value)),
        other => other.type_name().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl_syntax::{Dialect, parse};

    fn places(text: &str) -> Vec<String> {
        let parsed = parse(text, Dialect::Json);
        let root = parsed.root.expect("root");
        let machine = Machine::new(&root);
        let calls: Vec<SdkCall> = sdk_calls(&machine).collect();
        assert_eq!(calls.len(), 1);
        calls[0]
            .objects()
            .iter()
            .map(|o| format!("{} {}", o.place, o.shape.members().len()))
            .collect()
    }

    #[test]
    fn objects_in_document_order() {
        let text = r#"{"StartAt": "T", "States": {"T": {"Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:s3:deleteObjects",
            "Parameters": {"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, {"Key.$": "$.k"}],
                "Quiet": true}, "Bogus": {"X": 1}}, "End": true}}}"#;
        let got = places(text);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[0].starts_with("Parameters "));
        assert!(got[1].starts_with("Parameters.Delete "));
        assert!(got[2].starts_with("Parameters.Delete.Objects[0] "));
        assert!(got[3].starts_with("Parameters.Delete.Objects[1] "));
    }

    #[test]
    fn opaque_payloads_have_no_objects() {
        let text = r#"{"StartAt": "T", "QueryLanguage": "JSONata", "States": {"T": {"Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
            "Arguments": "{% $states.input %}", "End": true}}}"#;
        assert!(places(text).is_empty());
    }
}
