//! The zero-error sweep over the shared corpus of real definitions (`../shared/corpus`, present
//! in CI beside the clone; when it is absent each test passes and says `skipped: …` on stderr):
//! `valid-real`, `valid-fixtures`, `yaml` and `templates` (CloudFormation/SAM) must give no
//! error-level diagnostic, except the files listed with a reason in `tests/corpus-skip.txt`; an
//! error injected into a template is reported at its line.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use asl_analyzer::{Options, Severity, analyze};
use asl_syntax::{Dialect, Encoding, LineIndex};
use support::corpus::{
    RUN_TIME_RULES, corpus, files, lint, run_time_failures, skip_list, valid_files,
};

#[test]
fn valid_corpus_has_no_errors() {
    let Some(root) = corpus("valid_corpus_has_no_errors") else {
        return;
    };
    let skip = skip_list();
    let run_time = run_time_failures(&root);
    let mut failures = Vec::new();
    let mut found_run_time = 0;
    let (list, used_skips) = valid_files(&root, &skip);
    let checked = list.len();
    for file in list {
        let found = lint(&file.text, &file.rel);
        for d in found.iter().filter(|d| d.severity == Severity::Error) {
            if run_time.contains(&file.rel) && RUN_TIME_RULES.contains(&d.code()) {
                // The failure AWS recorded for this file's execution, found before the run.
                found_run_time += 1;
                continue;
            }
            failures.push(format!(
                "{} {} {}: {} ({})",
                file.rel,
                d.code(),
                d.name(),
                d.message,
                d.pointer
            ));
        }
    }
    assert_eq!(
        used_skips,
        skip.len(),
        "tests/corpus-skip.txt lists files that are not in the corpus"
    );
    assert!(checked > 500, "only {checked} corpus files checked");
    assert!(
        run_time.len() >= 8,
        "MANIFEST.tsv records {} run-time failures",
        run_time.len()
    );
    eprintln!(
        "{found_run_time} errors on the {} files AWS records as failing at run time",
        run_time.len()
    );
    assert!(
        failures.is_empty(),
        "{} errors on valid corpus files:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// In every corpus template, the first `"Next": "X"` (or YAML `Next: X`) of a definition is
/// renamed to a state that does not exist: ASL101 must report it on that line of the template
/// and at that column, whether the definition is an object or a `DefinitionString`.
#[test]
fn errors_injected_into_templates_are_reported_at_their_line() {
    let Some(root) = corpus("errors_injected_into_templates_are_reported_at_their_line") else {
        return;
    };
    let mut list = Vec::new();
    files(&root.join("templates"), &mut list);
    list.sort();
    let mut injected = 0;
    for path in list {
        let rel = format!(
            "templates/{}",
            path.strip_prefix(root.join("templates"))
                .unwrap()
                .to_string_lossy()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        // `\"Next\": \"` inside a JSON-escaped DefinitionString, `"Next": "` in a block scalar
        // or a JSON template, `Next: ` in a YAML Definition.
        let Some((at, prefix)) = [r#"\"Next\": \""#, r#""Next": ""#, "Next: "]
            .iter()
            .filter_map(|p| text.find(p).map(|i| (i, *p)))
            .min_by_key(|(i, _)| *i)
        else {
            continue;
        };
        let start = at + prefix.len();
        let broken = format!("{}Nowhere{}", &text[..start], &text[start..]);
        let found = lint(&broken, &rel);
        let index = LineIndex::new(&broken);
        let expect = index.line_col(&broken, (start as u32).into(), Encoding::Utf32);
        let hit = found.iter().find(|d| {
            d.code() == "ASL101" && {
                let pos = index.line_col(&broken, d.range.start(), Encoding::Utf32);
                pos.line == expect.line && pos.col.abs_diff(expect.col) <= 2
            }
        });
        assert!(
            hit.is_some(),
            "{rel}: no ASL101 at line {} col {}: {:#?}",
            expect.line + 1,
            expect.col + 1,
            found
                .iter()
                .filter(|d| d.code() == "ASL101")
                .collect::<Vec<_>>()
        );
        injected += 1;
    }
    assert!(injected >= 15, "only {injected} templates injected");
}

/// The expression checks fire on broken variants of real definitions: in every valid-real file
/// that uses them, one path, one intrinsic call and one JSONata expression are broken the way
/// people break them, and the matching rule must report it inside that string.
#[test]
fn expression_checks_fire_on_broken_corpus_files() {
    let Some(root) = corpus("expression_checks_fire_on_broken_corpus_files") else {
        return;
    };
    let mut all = Vec::new();
    files(&root.join("valid-real"), &mut all);
    all.sort();
    let breaks: [(&str, &str, &str); 4] = [
        // (find, replace with, rule that must fire)
        ("\": \"$.", "\": \"$.[", "ASL301"),
        ("States.Format(", "States.Fromat(", "ASL306"),
        ("{% $states.input", "{% $states.input +", "ASL307"),
        ("\"Next\": \"", "\"Next\": \"Missing", "ASL101"),
    ];
    let mut fired = [0usize; 4];
    let mut tried = [0usize; 4];
    for path in all {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text.contains("_tbd_") {
            continue;
        }
        for (i, (find, replace, code)) in breaks.iter().enumerate() {
            let Some(at) = text.find(find) else { continue };
            let broken = format!("{}{}{}", &text[..at], replace, &text[at + find.len()..]);
            tried[i] += 1;
            let found = analyze(
                &broken,
                Dialect::from_path(&path.to_string_lossy()),
                &Options::default(),
            );
            if found.iter().any(|d| d.code() == *code) {
                fired[i] += 1;
            } else {
                eprintln!("{}: breaking `{find}` did not fire {code}", path.display());
            }
        }
    }
    for (i, (find, _, code)) in breaks.iter().enumerate() {
        eprintln!(
            "{code}: fired on {} of {} broken `{find}` variants",
            fired[i], tried[i]
        );
        assert!(tried[i] > 0, "no corpus file has `{find}`");
        // A break can land where the check does not apply (a JSONPath string in a JSONata
        // state, text inside a Comment): nearly all must fire, not every one.
        assert!(
            fired[i] * 10 >= tried[i] * 9,
            "{code} fired on only {} of {}",
            fired[i],
            tried[i]
        );
    }
}

/// Every JSONata expression of the valid corpus parses (outside the skip list; `${...}`
/// placeholders left out, as the rules leave them).
#[test]
fn every_corpus_jsonata_expression_parses() {
    let Some(root) = corpus("every_corpus_jsonata_expression_parses") else {
        return;
    };
    let skip = skip_list();
    let mut all = Vec::new();
    for part in ["valid-real", "valid-fixtures"] {
        files(&root.join(part), &mut all);
    }
    let (mut parsed, mut failures) = (0, Vec::new());
    for path in all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if skip.contains_key(&rel) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(tree) = asl_syntax::parse(&text, Dialect::from_path(&rel)).root else {
            continue;
        };
        let mut stack = vec![&tree];
        while let Some(node) = stack.pop() {
            match &node.value {
                asl_syntax::Value::String(s) => {
                    let t = s.trim();
                    // `${...}` placeholders are filled in before deployment: never checked.
                    if asl_syntax::is_templated(t) {
                        continue;
                    }
                    if let Some(body) = t.strip_prefix("{%").and_then(|b| b.strip_suffix("%}")) {
                        parsed += 1;
                        if let Err(e) = asl_syntax::jsonata::parse_jsonata(body) {
                            failures.push(format!("{rel}: {t}: {}", e.message));
                        }
                    }
                }
                asl_syntax::Value::Object(props) => stack.extend(props.iter().map(|p| &p.value)),
                asl_syntax::Value::Array(items) => stack.extend(items.iter()),
                _ => {}
            }
        }
    }
    eprintln!("{parsed} JSONata expressions parsed");
    assert!(parsed > 500, "only {parsed} expressions found");
    assert!(
        failures.is_empty(),
        "{} do not parse:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
