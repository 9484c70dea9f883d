//! Host documents: documents that embed state machine definitions, and the one place a new kind
//! of host plugs in.
//!
//! A host recognises its documents ([`Host::of`] on the tree, [`Host::mentioned`] on the text
//! for the classifier's cheap look) and yields their definitions ([`Host::definitions`]): each
//! with its name, its workflow type when the host says it, the JSON Pointer of the definition and
//! where the definition is ([`Definition`]: in the host's own tree, in a decoded string with a
//! [`SourceMap`] back to the host's text, in a file beside it, or out of reach). Every consumer
//! (lint, cost, graph, fix, the editor) reads definitions through here.
//!
//! The hosts are CloudFormation/SAM ([`crate::template`]), the Serverless Framework
//! ([`crate::serverless`]) and Terraform ([`crate::terraform`]). A new host is a new [`Host`]
//! variant with its arms in the functions below; the classifier, lint, cost, graph and the
//! editor then take its documents with no change of their own. A host
//! whose documents are read into the JSON/YAML tree (`serverless.yml`, `*.tf.json`) finds its
//! definitions in that tree; one written in another language (Terraform's HCL) is recognised by
//! name ([`Host::named`]), has its own reader ([`Host::parse`] gives its syntax error and no
//! tree: [`Host::reads_tree`] is false) and its [`Host::definitions`] read the text, yielding
//! [`Definition::Text`] definitions with their source maps.

pub use crate::template::{Decoded, Definition, Embedded, SourceMap};
use crate::tree::Node;
use crate::{Dialect, SyntaxError, parse};

/// A kind of document that embeds state machine definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// An AWS CloudFormation or SAM template (JSON or YAML; CDK's synthesized templates too).
    CloudFormation,
    /// A Serverless Framework service file (`serverless.yml`) with the serverless-step-functions
    /// plugin's `stepFunctions.stateMachines` ([`crate::serverless`]).
    Serverless,
    /// A Terraform configuration (`*.tf`, HCL): `aws_sfn_state_machine` resources and the
    /// step-functions module ([`crate::terraform`]).
    Terraform,
}

impl Host {
    /// Every host, in the order the classifier tries them.
    pub const ALL: [Host; 3] = [Host::CloudFormation, Host::Serverless, Host::Terraform];

    /// The host whose document `root` is, if any.
    pub fn of(root: &Node) -> Option<Host> {
        Host::ALL.into_iter().find(|host| match host {
            Host::CloudFormation => crate::template::is_template(root),
            Host::Serverless => crate::serverless::is_serverless(root),
            // `*.tf.json`; `*.tf` is HCL, not a tree: see `named`.
            Host::Terraform => crate::terraform::is_json_configuration(root),
        })
    }

    /// The host whose words `text` mentions (a cheap look before a parse confirms).
    pub fn mentioned(text: &str) -> Option<Host> {
        Host::ALL.into_iter().find(|host| host.mentions(text))
    }

    /// Whether `text` mentions this host's words (a byte scan).
    pub fn mentions(self, text: &str) -> bool {
        match self {
            Host::CloudFormation => crate::template::STATE_MACHINE_TYPES
                .iter()
                .any(|t| text.contains(t)),
            Host::Serverless => crate::serverless::mentioned(text),
            Host::Terraform => crate::terraform::mentioned(text),
        }
    }

    /// The host a document's name (a path or URI) or editor language id says it is written
    /// for, when that host's documents are not JSON or YAML: Terraform's `*.tf`, or the
    /// language id `terraform` or `hcl`. A language id, when there is one, decides.
    pub fn named(name: Option<&str>, language_id: Option<&str>) -> Option<Host> {
        match language_id {
            Some("terraform" | "hcl") => Some(Host::Terraform),
            Some(_) => None,
            None => name
                .filter(|n| crate::terraform::is_terraform_name(crate::classify::name_path(n)))
                .map(|_| Host::Terraform),
        }
    }

    /// Whether every document of this host is JSON or YAML, read into the tree. Terraform's are
    /// not all: a `*.tf` file is HCL, whose [`Host::parse`] yields no tree and whose
    /// [`Host::definitions`] read the text (a `*.tf.json` file is JSON, read as a tree).
    pub fn reads_tree(self) -> bool {
        match self {
            Host::CloudFormation | Host::Serverless => true,
            Host::Terraform => false,
        }
    }

    /// Parses a document of this host: the JSON/YAML tree in `dialect`, or, for a host written
    /// in another language, no tree and that language's syntax error, if any. A Terraform
    /// document that opens with `{` is its JSON syntax (`*.tf.json`; no HCL body starts so),
    /// read as a JSON tree.
    pub fn parse(self, text: &str, dialect: Dialect) -> crate::Parse {
        match self {
            Host::CloudFormation | Host::Serverless => parse(text, dialect),
            Host::Terraform if crate::terraform::is_json_syntax(text) => parse(text, Dialect::Json),
            Host::Terraform => crate::terraform::parse(text),
        }
    }

    /// The state machine definitions of a host document: `text` and its tree `root` (`None`
    /// for a host that does not read into the tree, or a document that did not parse).
    pub fn definitions<'t>(self, text: &'t str, root: Option<&'t Node>) -> Vec<Embedded<'t>> {
        match self {
            Host::CloudFormation => root
                .map(|root| crate::template::definitions(text, root))
                .unwrap_or_default(),
            Host::Serverless => root
                .map(|root| crate::serverless::definitions(text, root))
                .unwrap_or_default(),
            Host::Terraform => match root {
                Some(root) => crate::terraform::json_definitions(text, root),
                None => crate::terraform::definitions(text),
            },
        }
    }

    /// What a document of this host is called in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Host::CloudFormation => "CloudFormation/SAM template",
            Host::Serverless => "Serverless Framework file",
            Host::Terraform => "Terraform configuration",
        }
    }
}

/// An embedded definition's tree, to analyse or estimate: borrowed from the host's tree, or
/// parsed from a decoded string.
#[derive(Debug)]
pub enum Tree<'t> {
    /// In the host's tree: ranges are the host's.
    InPlace(&'t Node),
    /// Parsed from [`Decoded::text`]: ranges are the decoded text's; map them with `map`.
    Decoded { root: Node, map: &'t SourceMap },
}

impl Tree<'_> {
    pub fn root(&self) -> &Node {
        match self {
            Tree::InPlace(node) => node,
            Tree::Decoded { root, .. } => root,
        }
    }
}

impl Embedded<'_> {
    /// The definition's tree. `Ok(None)`: the definition is not in this document (a file, S3,
    /// an intrinsic function, or missing). `Err`: a decoded string that does not parse, the
    /// error's range mapped into the host's text.
    pub fn tree(&self) -> Result<Option<Tree<'_>>, SyntaxError> {
        match &self.definition {
            Definition::Object { node, .. } => Ok(Some(Tree::InPlace(node))),
            Definition::Text(decoded) => {
                let parsed = parse(&decoded.text, Dialect::Json);
                match parsed.root {
                    Some(root) => Ok(Some(Tree::Decoded {
                        root,
                        map: &decoded.map,
                    })),
                    None => {
                        let mut error = parsed.error.unwrap_or_else(|| SyntaxError {
                            range: Default::default(),
                            message: "no value".to_owned(),
                            kind: Default::default(),
                        });
                        error.range = decoded.map.range(error.range);
                        Err(error)
                    }
                }
            }
            Definition::File { .. } | Definition::Elsewhere { .. } | Definition::Missing => {
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn hosts_are_recognised_and_yield_their_trees() {
        let text = "Resources:\n  A:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: P\n  B:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: '{\"StartAt\": \"Q\"}'\n  C:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: '{\"StartAt\": '\n";
        assert_eq!(Host::mentioned(text), Some(Host::CloudFormation));
        assert_eq!(Host::mentioned("StartAt: A"), None);
        let root = parse(text, Dialect::Yaml).root.unwrap();
        assert_eq!(Host::of(&root), Some(Host::CloudFormation));
        let all = Host::CloudFormation.definitions(text, Some(&root));
        assert_eq!(all.len(), 3);
        let start = |e: &Embedded<'_>| {
            let tree = e.tree().unwrap().unwrap();
            tree.root()
                .get("StartAt")
                .unwrap()
                .value
                .as_str()
                .map(str::to_owned)
        };
        assert_eq!(start(&all[0]).as_deref(), Some("P"));
        assert_eq!(start(&all[1]).as_deref(), Some("Q"));
        let Err(error) = all[2].tree() else {
            panic!("a broken definition string")
        };
        // Placed in the template, inside the quoted string.
        assert!(usize::from(error.range.start()) > text.rfind("DefinitionString").unwrap());
        let machine = parse("{\"StartAt\": \"A\", \"States\": {}}", Dialect::Json)
            .root
            .unwrap();
        assert_eq!(Host::of(&machine), None);
    }
}
