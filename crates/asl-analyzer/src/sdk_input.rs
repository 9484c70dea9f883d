//! The input an AWS SDK Task passes to the API it calls, matched against the AWS model.
//!
//! A Task `arn:aws:states:::aws-sdk:<service>:<action>` calls the API operation `<Action>` of
//! the service; its `Parameters` (JSONPath) or `Arguments` (JSONata) object is the operation's
//! input. [`SdkCall::of`] finds the service's model (decoded on first use) and the operation, and
//! [`SdkCall::objects`] pairs each literal object of the payload with the structure it is an
//! instance of: the payload itself with the input, a nested object with the structure of its
//! member, each object of a list of structures with the list's element. Maps (whose keys are
//! anyone's), documents (free-form), and values given by a path, an intrinsic, a JSONata
//! expression, a `${}` placeholder or a CloudFormation intrinsic are not looked into.
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

use asl_aws::{Member, Operation, Service, Shape};
use asl_syntax::ast::{Machine, State};
use asl_syntax::{Node, Property, TextRange, is_templated};

use crate::names::closest;
use crate::resource::{Resource, Task};
use crate::spec::integrations::{action_name, aws_sdk_service, operation_name};

/// How deep nested objects are followed (the input is finite, but a definition can nest deeper
/// than any API does).
const MAX_DEPTH: usize = 32;

/// One AWS SDK Task whose service and operation the model knows.
pub(crate) struct SdkCall<'m, 'a> {
    pub task: Task<'m, 'a>,
    pub model: Arc<Service>,
    /// The operation's PascalCase name: the Task's action, or, when the service lacks it, the
    /// one `unknown-integration` suggests.
    operation: String,
    /// How messages name the call: `` `aws-sdk:s3:getObject` ``, or
    /// `` `aws-sdk:s3:getObject` (meant by `getObjekt`) `` for a suggested action.
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

impl<'m, 'a> SdkCall<'m, 'a> {
    /// The SDK call `state` makes, when it is an aws-sdk Task whose service and action the
    /// model knows (an action the service lacks is read as the one `unknown-integration`
    /// suggests, if any). `None` for templated service or action names.
    pub fn of(state: &'m State<'a>) -> Option<SdkCall<'m, 'a>> {
        let task = Task::of(state)?;
        let Resource::Sdk {
            service, action, ..
        } = task.resource
        else {
            return None;
        };
        if filled_in_later(service) || filled_in_later(action) {
            return None;
        }
        let sdk = aws_sdk_service(service)?;
        // Decoded on first use: only the services the definition calls.
        let model = asl_aws::service(sdk.botocore_id)?;
        let exact = operation_name(action);
        let (operation, label) = if model.operation(&exact).is_some() {
            (exact, format!("`aws-sdk:{service}:{action}`"))
        } else {
            let meant = suggested_action(&model, action)?;
            let operation = operation_name(&meant);
            model.operation(&operation)?;
            (
                operation,
                format!("`aws-sdk:{service}:{meant}` (meant by `{action}`)"),
            )
        };
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
                    // Maps (free keys), documents (free-form) and scalars.
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
        .find(|m| m.name == name || sfn_name(m) == name)
        .or_else(|| {
            members.iter().find(|m| {
                m.name.eq_ignore_ascii_case(name) || sfn_name(m).eq_ignore_ascii_case(name)
            })
        })
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
