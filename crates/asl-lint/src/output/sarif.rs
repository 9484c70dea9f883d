//! `--format sarif`: one SARIF 2.1.0 log with one run (for GitHub code scanning and other SARIF
//! viewers).
//!
//! - `tool.driver.rules` lists every rule (id = code, name, summary, documentation, `helpUri`,
//!   default level), whether or not it fired; results point at their rule by `ruleId` and
//!   `ruleIndex`.
//! - Columns count characters, so the run says `"columnKind": "unicodeCodePoints"`; regions
//!   carry 1-based lines and columns (end exclusive) and 0-based `charOffset`/`charLength`.
//! - Paths under the current directory are relative URIs against `%SRCROOT%`, which
//!   `originalUriBaseIds` sets to the current directory; other paths are absolute `file:` URIs.
//! - `tool.driver.properties.awsModel` names the AWS service model the build carries
//!   ([`asl_aws::MODEL_VERSION`], e.g. `botocore 1.44.8`), as `asl-lint --version` does.
//! - A path that cannot be read becomes a `toolExecutionNotifications` entry of the invocation
//!   (and `executionSuccessful` is false); it is also reported on stderr as with every format.

use std::io::{self, Write};
use std::path::{Component, Path};

use asl_analyzer::{Level, RuleMeta, Severity};
use serde::Serialize;

use super::located::{FileFindings, Span};
use super::{Failure, Rendered};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/asl-lint/asl-lint";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BaseIds>,
    column_kind: &'static str,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
    properties: DriverProperties,
}

/// The driver's property bag (SARIF §3.8).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DriverProperties {
    aws_model: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

impl Text {
    fn plain(text: impl Into<String>) -> Text {
        Text {
            text: text.into(),
            markdown: None,
        }
    }
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct BaseIds {
    #[serde(rename = "%SRCROOT%")]
    srcroot: BaseUri,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
struct RelatedLocation<'a> {
    id: usize,
    message: TextRef<'a>,
    #[serde(rename = "physicalLocation")]
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
struct TextRef<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    char_offset: u32,
    char_length: u32,
}

impl From<Span> for Region {
    fn from(span: Span) -> Region {
        Region {
            start_line: span.line,
            start_column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            char_offset: span.char_offset,
            char_length: span.char_length,
        }
    }
}

/// SARIF's level for a rule's default level.
pub fn rule_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
        Level::Off => "none",
    }
}

/// SARIF's level for a finding.
pub fn result_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(meta: &RuleMeta) -> Rule {
    let markdown = meta.markdown();
    let what = meta
        .section("What it does")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| meta.summary());
    Rule {
        id: meta.code,
        name: meta.name,
        short_description: Text::plain(meta.summary()),
        full_description: Text {
            text: what.clone(),
            markdown: Some(what),
        },
        help: Text {
            text: markdown.clone(),
            markdown: Some(markdown),
        },
        help_uri: meta.url(),
        default_configuration: Configuration {
            level: rule_level(meta.level),
        },
    }
}

/// Writes the log. `cwd` is the directory relative URIs are taken against (`None`: paths are
/// written as given, without a base).
pub fn write<'a>(
    out: &mut dyn Write,
    files: impl IntoIterator<Item = &'a Rendered>,
    failures: &[Failure],
    cwd: Option<&Path>,
) -> io::Result<()> {
    let metas: Vec<&RuleMeta> = asl_analyzer::registry::all().collect();
    let mut results = Vec::new();
    for file in files {
        let Rendered::Findings(FileFindings { path, findings }) = file else {
            continue;
        };
        let artifact = artifact_location(path, cwd);
        for finding in findings {
            let location = |span: Span| PhysicalLocation {
                artifact_location: artifact.clone(),
                region: Some(span.into()),
            };
            results.push(SarifResult {
                rule_id: finding.code,
                rule_index: metas.iter().position(|m| m.code == finding.code),
                level: result_level(finding.severity),
                message: Text::plain(finding.message.clone()),
                locations: [Location {
                    physical_location: location(finding.span),
                }],
                related_locations: finding
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(id, (span, message))| RelatedLocation {
                        id,
                        message: TextRef { text: message },
                        physical_location: location(*span),
                    })
                    .collect(),
            });
        }
    }
    let notifications = failures
        .iter()
        .map(|failure| Notification {
            level: "error",
            message: Text::plain(if failure.path.is_empty() {
                failure.message.clone()
            } else {
                format!("{}: {}", failure.path, failure.message)
            }),
            locations: if failure.path.is_empty() {
                Vec::new()
            } else {
                vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact_location(&failure.path, cwd),
                        region: None,
                    },
                }]
            },
        })
        .collect::<Vec<_>>();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "asl-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: metas.iter().map(|m| rule(m)).collect(),
                    properties: DriverProperties {
                        aws_model: asl_aws::MODEL_VERSION,
                    },
                },
            },
            original_uri_base_ids: cwd.map(|dir| BaseIds {
                srcroot: BaseUri {
                    uri: directory_uri(dir),
                },
            }),
            column_kind: "unicodeCodePoints",
            invocations: [Invocation {
                execution_successful: failures.is_empty(),
                tool_execution_notifications: notifications,
            }],
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The artifact location of a displayed path: relative to `%SRCROOT%` (the current directory)
/// when it is below it, else an absolute `file:` URI.
fn artifact_location(path: &str, cwd: Option<&Path>) -> ArtifactLocation {
    let as_path = Path::new(path);
    let relative = if as_path.is_absolute() {
        cwd.and_then(|dir| as_path.strip_prefix(dir).ok())
    } else if as_path.components().any(|c| c == Component::ParentDir) && cwd.is_some() {
        None
    } else {
        Some(as_path)
    };
    match relative {
        Some(rel) => ArtifactLocation {
            uri: encode(&slashes(rel), false),
            uri_base_id: cwd.map(|_| SRCROOT),
        },
        None => {
            let absolute = match cwd {
                Some(dir) if !as_path.is_absolute() => dir.join(as_path),
                _ => as_path.to_path_buf(),
            };
            ArtifactLocation {
                uri: file_uri(&absolute),
                uri_base_id: None,
            }
        }
    }
}

/// A path with forward slashes, without a leading `./`.
fn slashes(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    match text.strip_prefix("./") {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// An absolute path as a `file:` URI (`file:///C:/dir` on Windows).
fn file_uri(path: &Path) -> String {
    let text = slashes(path);
    if text.starts_with('/') {
        format!("file://{}", encode(&text, true))
    } else {
        format!("file:///{}", encode(&text, true))
    }
}

/// A directory as a `file:` URI ending in `/`, as SARIF requires of base URIs.
fn directory_uri(dir: &Path) -> String {
    let mut uri = file_uri(dir);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes everything but unreserved characters and `/` (and `:` when `colon`: it may
/// not appear in the first segment of a relative reference).
fn encode(text: &str, colon: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (colon && byte == b':')
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::output::located::locate;
    use asl_analyzer::Options;

    fn sarif(path: &str, text: &str, failures: &[Failure]) -> serde_json::Value {
        let diagnostics =
            asl_analyzer::analyze(text, asl_syntax::Dialect::Json, &Options::default());
        let rendered = Rendered::Findings(locate(path, text, &diagnostics));
        let mut out = Vec::new();
        write(&mut out, [&rendered], failures, Some(Path::new("/repo"))).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn log_has_the_required_fields() {
        let text =
            "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}";
        let log = sarif("dir/m y.asl.json", text, &[]);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], SCHEMA);
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///repo/"
        );
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "asl-lint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(driver["properties"]["awsModel"], asl_aws::MODEL_VERSION);
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), asl_analyzer::registry::all().count());
        for rule in rules {
            for field in ["id", "name", "helpUri"] {
                assert!(
                    rule[field].as_str().is_some_and(|s| !s.is_empty()),
                    "{rule}"
                );
            }
            for field in ["shortDescription", "fullDescription", "help"] {
                assert!(
                    rule[field]["text"].as_str().is_some_and(|s| !s.is_empty()),
                    "{rule}"
                );
            }
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(["error", "warning", "note", "none"].contains(&level));
        }
        let results = run["results"].as_array().unwrap();
        let result = results.iter().find(|r| r["ruleId"] == "ASL101").unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], "ASL101");
        assert_eq!(result["level"], "error");
        assert!(result["message"]["text"].as_str().unwrap().contains("`B`"));
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "dir/m%20y.asl.json");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        let start = text.find("\"B\"").unwrap() as u64;
        assert_eq!(region["startLine"], 1);
        assert_eq!(region["startColumn"].as_u64().unwrap(), start + 1);
        assert_eq!(region["endColumn"].as_u64().unwrap(), start + 4);
        assert_eq!(region["charOffset"].as_u64().unwrap(), start);
        assert_eq!(region["charLength"], 3);
    }

    #[test]
    fn unreadable_paths_are_notifications() {
        let failures = [Failure {
            path: "gone.asl.json".to_owned(),
            message: "no such file or directory".to_owned(),
        }];
        let log = sarif("a.asl.json", "{}", &failures);
        let invocation = &log["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let notification = &invocation["toolExecutionNotifications"][0];
        assert_eq!(notification["level"], "error");
        assert_eq!(
            notification["message"]["text"],
            "gone.asl.json: no such file or directory"
        );
        assert_eq!(
            notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "gone.asl.json"
        );
    }

    #[test]
    fn uris() {
        let cwd = Some(Path::new("/repo"));
        let rel = artifact_location("a/b.asl.json", cwd);
        assert_eq!(
            (rel.uri.as_str(), rel.uri_base_id),
            ("a/b.asl.json", Some(SRCROOT))
        );
        let inside = artifact_location("/repo/x/c:d.json", cwd);
        assert_eq!(inside.uri, "x/c%3Ad.json");
        let outside = artifact_location("/elsewhere/é.json", cwd);
        assert_eq!(
            (outside.uri.as_str(), outside.uri_base_id),
            ("file:///elsewhere/%C3%A9.json", None)
        );
        let up = artifact_location("../up.json", cwd);
        assert_eq!(up.uri, "file:///repo/../up.json");
        assert_eq!(directory_uri(Path::new("/")), "file:///");
        assert_eq!(artifact_location("<stdin>", None).uri, "%3Cstdin%3E");
    }
}
