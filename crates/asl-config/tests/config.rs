//! Parsing, errors with positions, discovery, overrides and ignores of `asl-lint.toml`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use asl_analyzer::{Level, WorkflowType};
use asl_config::{Config, Resolver, Source, find_config};

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(Path::new("/p/asl-lint.toml"), text, PathBuf::from("/p"))
        .map_err(|e| e.to_string())
}

/// The error message of `text`, which must be invalid.
fn error(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.strip_prefix("/p/asl-lint.toml:").unwrap_or(&e).to_owned(),
    }
}

const FULL: &str = r#"
include = ["**/*.asl.json"]
exclude = ["vendor"]
workflow-type = "standard"
baseline = "ci/asl-lint-baseline.json"

[rules]
ASL211 = "off"
missing-heartbeat = "error"

[rules.retry-storm]
level = "info"
threshold = 100

[[overrides]]
files = ["express/**"]
workflow-type = "express"
rules = { ASL404 = "off", missing-heartbeat = "warning" }

[[ignore]]
files = ["legacy/**"]
states = ["Old*"]
rules = ["unknown-target"]
reason = "retired workflow, removal tracked in #123"
"#;

fn level(config: &Config, file: &str, rule: &str) -> Level {
    let options = config.options_for(Path::new(file));
    options.level(asl_analyzer::registry::find(rule).unwrap())
}

#[test]
fn full_example_resolves_per_file() {
    let config = parse(FULL).unwrap();
    let top = config.options_for(Path::new("/p/a.asl.json"));
    assert_eq!(top.workflow_type, WorkflowType::Standard);
    assert_eq!(top.retry_storm_threshold, 100);
    assert_eq!(level(&config, "/p/a.asl.json", "ASL211"), Level::Off);
    assert_eq!(level(&config, "/p/a.asl.json", "ASL212"), Level::Error);
    assert_eq!(level(&config, "/p/a.asl.json", "ASL209"), Level::Info);
    assert_eq!(level(&config, "/p/a.asl.json", "ASL404"), Level::Info);
    assert!(top.state_ignores.is_empty());

    let express = config.options_for(Path::new("/p/express/deep/x.asl.json"));
    assert_eq!(express.workflow_type, WorkflowType::Express);
    assert_eq!(
        level(&config, "/p/express/x.asl.json", "ASL404"),
        Level::Off
    );
    assert_eq!(
        level(&config, "/p/express/x.asl.json", "missing-heartbeat"),
        Level::Warning
    );
    // An override of the same name outside its folder does not apply.
    assert_eq!(
        config
            .options_for(Path::new("/p/other/express/x.asl.json"))
            .workflow_type,
        WorkflowType::Standard
    );

    let legacy = config.options_for(Path::new("/p/legacy/a.asl.json"));
    assert_eq!(legacy.state_ignores.len(), 1);
    assert_eq!(legacy.state_ignores[0].rules[0].code, "ASL101");
    assert_eq!(legacy.state_ignores[0].rules.len(), 1);
    assert_eq!(legacy.state_ignores[0].states, vec!["Old*"]);
    assert_eq!(
        config.ignores_for(Path::new("/p/legacy/a.asl.json"))[0].reason,
        "retired workflow, removal tracked in #123"
    );
}

#[test]
fn baseline_is_relative_to_the_config_folder() {
    let config = parse(FULL).unwrap();
    assert_eq!(
        config.baseline.as_deref(),
        Some(Path::new("/p/ci/asl-lint-baseline.json"))
    );
    assert_eq!(parse("").unwrap().baseline, None);
    let empty = error("baseline = \" \"");
    assert!(empty.contains("`baseline` is empty"), "{empty}");
    let wrong = error("baseline = 3");
    assert!(wrong.contains("1:12"), "{wrong}");
}

#[test]
fn include_and_exclude() {
    let config = parse(FULL).unwrap();
    assert!(config.is_included(Path::new("/p/a/b.asl.json")));
    assert!(!config.is_included(Path::new("/p/a/b.json")));
    assert!(!config.is_included(Path::new("/elsewhere/b.asl.json")));
    assert!(config.is_excluded(Path::new("/p/vendor/x/b.asl.json")));
    assert!(config.is_excluded(Path::new("/p/a/vendor/b.asl.json")));
    assert!(!config.is_excluded(Path::new("/p/vendors/b.asl.json")));
    let anchored = parse("exclude = [\"/vendor\", \"gen/*.json\"]").unwrap();
    assert!(anchored.is_excluded(Path::new("/p/vendor/b.asl.json")));
    assert!(!anchored.is_excluded(Path::new("/p/a/vendor/b.asl.json")));
    assert!(anchored.is_excluded(Path::new("/p/gen/b.json")));
    // `*` does not cross `/`, but a folder match covers what is inside it.
    assert!(anchored.is_excluded(Path::new("/p/gen/b.json/c.json")));
    assert!(!anchored.is_excluded(Path::new("/p/x/gen/b.json")));
    let empty = parse("").unwrap();
    assert!(empty.is_included(Path::new("/p/x.json")));
    assert!(!empty.is_excluded(Path::new("/p/x.json")));
}

#[test]
fn errors_point_into_the_toml() {
    assert_eq!(
        error("include = []\nexlude = [\"a\"]\n"),
        "2:1: unknown field `exlude`, expected one of `include`, `exclude`, `workflow-type`, `baseline`, `rules`, `overrides`, `ignore`"
    );
    assert_eq!(
        error("[rules]\nASL211 = \"of\"\n"),
        "2:10: unknown variant `of`, expected one of `error`, `warning`, `info`, `off`"
    );
    assert_eq!(
        error("[rules]\nmissing-hartbeat = \"off\"\n"),
        "2:1: `missing-hartbeat` is not an asl-lint rule; did you mean `missing-heartbeat`?"
    );
    assert_eq!(
        error("[rules]\nASL212 = \"off\"\nmissing-heartbeat = \"off\"\n"),
        "3:1: ASL212 missing-heartbeat is already set here as `ASL212`; keep one entry"
    );
    assert_eq!(
        error("[rules.ASL211]\nthreshold = 3\n"),
        "2:13: `threshold` is an option of ASL209 retry-storm only, not of ASL211 missing-timeout"
    );
    assert_eq!(
        error("[rules.retry-storm]\nlevel = \"warning\"\nthreshhold = 3\n"),
        "3:1: unknown field `threshhold`, expected `level` or `threshold`"
    );
    assert_eq!(
        error("[rules.retry-storm]\nthreshold = -1\n"),
        "2:13: invalid value: integer `-1`, expected u64"
    );
    assert_eq!(
        error("workflow-type = \"batch\""),
        "1:17: unknown variant `batch`, expected `standard` or `express`"
    );
    assert_eq!(
        error("exclude = [\"a/[b\"]"),
        "1:12: invalid glob `a/[b`: unclosed character class; missing ']'"
    );
    assert_eq!(
        error("[[overrides]]\nrules = { ASL404 = \"off\" }\n"),
        "1:1: missing field `files`"
    );
    assert_eq!(
        error("[[ignore]]\nstates = [\"A\"]\nrules = [\"ASL101\"]\nreason = \" \"\n"),
        "4:10: `reason` is empty; say why these states are exempt"
    );
    assert_eq!(
        error("[[ignore]]\nstates = [\"A\"]\nrules = [\"ASL1O1\"]\nreason = \"x\"\n"),
        "3:10: `ASL1O1` is not an asl-lint rule"
    );
    assert_eq!(
        error("[[ignore]]\nstates = []\nrules = [\"ASL101\"]\nreason = \"x\"\n"),
        "2:10: `states` lists no state; name at least one"
    );
    assert_eq!(
        error("include = \"*.json\""),
        "1:11: invalid type: string \"*.json\", expected a sequence"
    );
    assert_eq!(
        error("[rules]\nASL211 = 3\n"),
        "2:10: invalid type: integer `3`, expected a level (`error`, `warning`, `info` or `off`) or a table such as `{ level = \"warning\" }`"
    );
    assert!(
        error("[rules\n").starts_with("1:7: "),
        "{}",
        error("[rules\n")
    );
}

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("asl-config")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn discovery_walks_up_and_prefers_the_plain_name() {
    let dir = scratch("discovery");
    std::fs::create_dir_all(dir.join("a/b/c")).unwrap();
    std::fs::write(dir.join("a/.asl-lint.toml"), "workflow-type = \"express\"").unwrap();
    assert_eq!(
        find_config(&dir.join("a/b/c")),
        Some(dir.join("a/.asl-lint.toml"))
    );
    std::fs::write(dir.join("a/asl-lint.toml"), "").unwrap();
    assert_eq!(
        find_config(&dir.join("a/b/c")),
        Some(dir.join("a/asl-lint.toml"))
    );
    std::fs::write(dir.join("a/b/asl-lint.toml"), "[rules]\nASL404 = \"off\"\n").unwrap();
    assert_eq!(
        find_config(&dir.join("a/b/c")),
        Some(dir.join("a/b/asl-lint.toml"))
    );
    assert_eq!(
        find_config(&dir.join("a")),
        Some(dir.join("a/asl-lint.toml"))
    );

    let resolver = Resolver::new(Source::Discover);
    let nested = resolver
        .config_for(&dir.join("a/b/c/x.asl.json"))
        .unwrap()
        .unwrap();
    assert_eq!(nested.path, dir.join("a/b/asl-lint.toml"));
    assert_eq!(
        resolver
            .options_for(&dir.join("a/b/x.asl.json"))
            .unwrap()
            .levels
            .get(asl_analyzer::registry::find("ASL404").unwrap()),
        Some(&Level::Off)
    );
    // The nearest file wins: nothing is merged from the one above.
    assert_eq!(
        resolver
            .options_for(&dir.join("a/b/x.asl.json"))
            .unwrap()
            .workflow_type,
        WorkflowType::Standard
    );
    // A broken file is an error for the files under it, and is read again after `clear`.
    std::fs::write(dir.join("a/b/asl-lint.toml"), "bogus = 1\n").unwrap();
    assert!(resolver.config_for(&dir.join("a/b/x.asl.json")).is_ok());
    resolver.clear();
    let err = resolver
        .config_for(&dir.join("a/b/x.asl.json"))
        .unwrap_err();
    assert_eq!(err.position, Some((1, 1)));
    assert!(err.message.starts_with("unknown field `bogus`"), "{err}");

    assert!(
        Resolver::new(Source::None)
            .config_for(&dir.join("a/b/x.asl.json"))
            .unwrap()
            .is_none()
    );
    let fixed = Resolver::new(Source::File(dir.join("a/.asl-lint.toml")));
    assert_eq!(
        fixed
            .options_for(&dir.join("a/b/x.asl.json"))
            .unwrap()
            .workflow_type,
        WorkflowType::Express
    );
    let missing = Resolver::new(Source::File(dir.join("nope.toml")));
    let err = missing.config_for(&dir).unwrap_err();
    assert_eq!(err.position, None);
    assert!(err.message.contains("no such file"), "{err}");
}

/// Every key the schema lists is accepted by the parser, and the schema's file is current.
#[test]
fn schema_is_current() {
    let text = asl_config::schema::json_schema_text();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/asl-lint.schema.json");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk != text {
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &text).unwrap();
        } else {
            panic!(
                "docs/asl-lint.schema.json is out of date: run `UPDATE_SCHEMA=1 cargo test -p asl-config --test config`"
            );
        }
    }
    let schema = asl_config::schema::json_schema();
    let mut top: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    top.sort();
    assert_eq!(
        top,
        [
            "baseline",
            "exclude",
            "ignore",
            "include",
            "overrides",
            "rules",
            "workflow-type"
        ]
    );
    // The full example uses every key of the schema and parses.
    for key in &top {
        assert!(
            FULL.contains(&format!("\n{key} "))
                || FULL.contains(&format!("[{key}"))
                || FULL.contains(&format!("[[{key}")),
            "{key}"
        );
    }
    for key in schema["properties"]["overrides"]["items"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .chain(
            schema["properties"]["ignore"]["items"]["properties"]
                .as_object()
                .unwrap()
                .keys(),
        )
    {
        assert!(FULL.contains(&format!("\n{key} = ")), "{key}");
    }
    // Every rule, by code and by name.
    let rules = schema["$defs"]["rules"]["properties"].as_object().unwrap();
    for rule in asl_analyzer::registry::all() {
        assert!(rules.contains_key(rule.code) && rules.contains_key(rule.name));
        parse(&format!("[rules]\n{} = \"warning\"\n", rule.name)).unwrap();
    }
}

/// `[rules]` keys may be a code prefix or `ALL`; the most specific key of a table wins, whatever
/// the order written; a later table (an override) still wins over an earlier one.
#[test]
fn prefixes_and_all_most_specific_wins() {
    let config = parse(
        r#"
[rules]
ASL101 = "warning"
ALL = "off"
ASL2 = "error"
asl21 = "info"

[[overrides]]
files = ["loose/**"]
rules = { ASL2 = "off" }
"#,
    )
    .unwrap();
    let at = |rule| level(&config, "/p/a.asl.json", rule);
    assert_eq!(at("ASL101"), Level::Warning);
    assert_eq!(at("ASL102"), Level::Off);
    assert_eq!(at("ASL201"), Level::Error);
    assert_eq!(at("ASL211"), Level::Info);
    assert_eq!(at("ASL212"), Level::Info);
    assert_eq!(at("ASL001"), Level::Off);
    // The override's prefix wins over the top level's more specific `asl21`.
    assert_eq!(level(&config, "/p/loose/a.asl.json", "ASL211"), Level::Off);
    assert_eq!(
        level(&config, "/p/loose/a.asl.json", "ASL101"),
        Level::Warning
    );
    // Ignores take selectors too.
    let config =
        parse("[[ignore]]\nstates = [\"A\"]\nrules = [\"ASL21\", \"ASL211\"]\nreason = \"x\"\n")
            .unwrap();
    let options = config.options_for(Path::new("/p/a.asl.json"));
    assert_eq!(
        options.state_ignores[0].rules,
        asl_analyzer::registry::all()
            .filter(|r| r.code.starts_with("ASL21"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        error("[rules]\nASL7 = \"off\"\n"),
        "2:1: `ASL7` is not an asl-lint rule code or code prefix: no rule code starts with it (`asl-lint rules` lists them)"
    );
    assert_eq!(
        error("[rules]\nASL2 = \"off\"\nasl2 = \"error\"\n"),
        "3:1: the prefix ASL2 is already set here as `ASL2`; keep one entry"
    );
    assert_eq!(
        error("[rules.ASL2]\nthreshold = 3\n"),
        "2:13: `threshold` is an option of ASL209 retry-storm only, not of the prefix ASL2"
    );
    // The schema takes them too.
    let schema = asl_config::schema::json_schema();
    let rules = &schema["$defs"]["rules"];
    assert!(rules["properties"].get("ALL").is_some());
    assert!(
        rules["patternProperties"]
            .get("^[Aa][Ss][Ll][0-9]{0,2}$")
            .is_some()
    );
}
