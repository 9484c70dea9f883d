//! The file as serde reads it: every table denies unknown keys, every value that a later check
//! may reject keeps its byte range.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, IntoDeserializer, MapAccess, Visitor};
use serde_spanned::Spanned;

pub(crate) type RawRules = BTreeMap<Spanned<String>, Spanned<RawRule>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawConfig {
    pub include: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    pub workflow_type: Option<RawWorkflowType>,
    pub baseline: Option<Spanned<String>>,
    #[serde(default)]
    pub rules: RawRules,
    #[serde(default)]
    pub overrides: Vec<RawOverride>,
    #[serde(default)]
    pub ignore: Vec<RawIgnore>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawOverride {
    pub files: Spanned<Vec<Spanned<String>>>,
    pub workflow_type: Option<RawWorkflowType>,
    #[serde(default)]
    pub rules: RawRules,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawIgnore {
    #[serde(default)]
    pub files: Vec<Spanned<String>>,
    pub states: Spanned<Vec<Spanned<String>>>,
    pub rules: Spanned<Vec<Spanned<String>>>,
    pub reason: Spanned<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawWorkflowType {
    Standard,
    Express,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawLevel {
    Error,
    Warning,
    Info,
    Off,
}

/// The value of a `[rules]` entry: a level, or a table with `level` and the rule's options.
#[derive(Debug)]
pub(crate) enum RawRule {
    Level(RawLevel),
    Table(RawRuleTable),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRuleTable {
    pub level: Option<RawLevel>,
    pub threshold: Option<Spanned<u64>>,
}

impl<'de> Deserialize<'de> for RawRule {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<RawRule, D::Error> {
        deserializer.deserialize_any(RuleVisitor)
    }
}

struct RuleVisitor;

impl<'de> Visitor<'de> for RuleVisitor {
    type Value = RawRule;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a level (`error`, `warning`, `info` or `off`) or a table such as `{ level = \"warning\" }`",
        )
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<RawRule, E> {
        let de: de::value::StrDeserializer<'_, E> = value.into_deserializer();
        RawLevel::deserialize(de).map(RawRule::Level)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawRule, A::Error> {
        RawRuleTable::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawRule::Table)
    }
}
