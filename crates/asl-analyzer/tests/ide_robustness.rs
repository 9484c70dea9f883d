//! The editor features never panic: every query (hover, definition, references, highlights,
//! rename, symbols, folding, completion, code actions) at every offset of every fixture and
//! example, on the text as written and on broken versions of it (truncated, a byte flipped), and
//! every quick fix keeps the document well-formed. Every range they return (and every
//! diagnostic's range and label ranges) lies on character boundaries inside the text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use asl_analyzer::Options;
use asl_analyzer::ide::{self, Analysis};
use asl_syntax::{Dialect, TextRange, TextSize};

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    let mut stack = vec![root.join("tests/fixtures"), root.join("examples")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if [".json", ".yaml", ".yml"]
                .iter()
                .any(|ext| path.to_string_lossy().contains(ext))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(out.len() > 50, "fixtures not found");
    out
}

/// Every character boundary of `text` (every offset for short texts, else a sample).
fn offsets(text: &str) -> impl Iterator<Item = TextSize> + '_ {
    let step = (text.len() / 400).max(1);
    (0..=text.len())
        .step_by(step)
        .filter(|&i| text.is_char_boundary(i))
        .map(|i| TextSize::from(i as u32))
}

/// Asserts that `range` lies inside `text` with both ends on character boundaries.
#[track_caller]
fn whole(text: &str, range: TextRange, what: &str, query: &str) {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    assert!(
        end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: {query} returned {range:?}, which is not a range of whole characters of the text ({} bytes)",
        text.len()
    );
}

fn whole_symbols(text: &str, symbols: &[ide::Symbol], what: &str) {
    let mut stack: Vec<&ide::Symbol> = symbols.iter().collect();
    while let Some(s) = stack.pop() {
        whole(text, s.range, what, "symbol range");
        whole(text, s.selection, what, "symbol selection");
        assert!(s.range.contains_range(s.selection), "{what}: {s:?}");
        stack.extend(&s.children);
    }
}

fn exercise(text: &str, dialect: Dialect, what: &str) {
    let analysis = Analysis::new(text, dialect, &Options::default());
    for d in analysis.diagnostics() {
        whole(text, d.range, what, d.code());
        for label in &d.labels {
            whole(text, label.range, what, &format!("a label of {}", d.code()));
        }
    }
    for d in analysis.diagnostics() {
        for e in d.fixes.iter().flat_map(|f| &f.edits) {
            whole(text, e.range, what, &format!("a fix of {}", d.code()));
        }
    }
    whole_symbols(text, &analysis.symbols(), what);
    for fold in ide::folding_ranges(text) {
        whole(text, fold.range, what, "folding");
    }
    let len = TextSize::from(text.len() as u32);
    for hint in analysis.inlay_hints(TextRange::new(0.into(), len)) {
        whole(text, TextRange::empty(hint.offset), what, "inlay hint");
    }
    for offset in offsets(text) {
        let at = |query: &str| format!("{query} at {offset:?}");
        if let Some(hover) = analysis.hover(offset) {
            whole(text, hover.range, what, &at("hover"));
        }
        if let Some(target) = analysis.definition(offset) {
            whole(text, target.range, what, &at("definition"));
            whole(text, target.focus, what, &at("definition focus"));
        }
        for r in analysis.references(offset, true) {
            whole(text, r, what, &at("references"));
        }
        for h in analysis.highlights(offset) {
            whole(text, h.range, what, &at("highlights"));
        }
        if let Ok((range, name)) = analysis.prepare_rename(offset) {
            whole(text, range, what, &at("prepare_rename"));
            // The range is the name as written: the name itself unless escapes spell it.
            let written = &text[range];
            assert!(
                written == name || written.contains('\\') || written.contains("''"),
                "{what}: prepare_rename at {offset:?} gave `{written}` for `{name}`"
            );
            for new_name in ["Renamed \"state\"", "Ré: #x", "- ünï"] {
                let edits = analysis.rename(offset, new_name).unwrap();
                for e in &edits {
                    whole(text, e.range, what, &at("rename"));
                }
                let renamed = apply(text, &edits);
                let parse = asl_syntax::parse(&renamed, dialect);
                assert!(
                    parse.root.is_some(),
                    "{what}: renaming at {offset:?} to {new_name:?} broke the document:\n{renamed}"
                );
                let again = Analysis::new(renamed.as_str(), dialect, &Options::default());
                // The renamed name reads back as the new name.
                let mut shift = 0i64;
                for e in &edits {
                    if e.range.contains_inclusive(offset) {
                        let at =
                            TextSize::from((i64::from(u32::from(e.range.start())) + shift) as u32);
                        let read = again.prepare_rename(at).map(|(_, n)| n);
                        assert_eq!(
                            read.as_deref(),
                            Ok(new_name),
                            "{what}: renaming at {offset:?}:\n{renamed}"
                        );
                    }
                    shift += e.new_text.len() as i64 - i64::from(u32::from(e.range.len()));
                }
            }
        }
        for c in ide::completions(text, offset, true)
            .into_iter()
            .chain(analysis.completions(offset, false))
        {
            whole(text, c.range, what, &at("completion"));
        }
        for action in analysis.code_actions(TextRange::empty(offset)) {
            for e in &action.edits {
                whole(text, e.range, what, &at(&action.title));
            }
            if let Some((_, r)) = action.diagnostic {
                whole(text, r, what, &at(&action.title));
            }
            // Quick fixes are JSON text: YAML documents get none (`fix::fixable`, and the
            // language server offers no code actions there).
            if dialect == Dialect::Yaml {
                continue;
            }
            let fixed = apply(text, &action.edits);
            assert!(
                asl_syntax::parse(&fixed, dialect).root.is_some() || !analysis.has_tree(),
                "{what}: `{}` at {offset:?} broke the document:\n{fixed}",
                action.title
            );
        }
    }
}

fn apply(text: &str, edits: &[ide::Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    let mut out = text.to_owned();
    for e in edits {
        out.replace_range(std::ops::Range::<usize>::from(e.range), &e.new_text);
    }
    out
}

#[test]
fn every_query_everywhere_on_every_fixture() {
    for path in files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // the non-UTF-8 fixture
        };
        let dialect = Dialect::from_path(&path.to_string_lossy());
        let what = path.display().to_string();
        exercise(&text, dialect, &what);
    }
}

#[test]
fn broken_versions_of_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for name in ["order-processing.asl.json", "broken.asl.json"] {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        // Truncated at a sample of places.
        for cut in (0..text.len()).step_by((text.len() / 25).max(1)) {
            if text.is_char_boundary(cut) {
                exercise(&text[..cut], Dialect::Json, &format!("{name} cut at {cut}"));
            }
        }
        // One byte replaced by each structural character.
        for (i, b) in [b'{', b'}', b'"', b',', b':', b'['].iter().enumerate() {
            let at = text.len() * (i + 1) / 8;
            if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = *b;
                let broken = String::from_utf8(bytes).unwrap();
                exercise(
                    &broken,
                    Dialect::Json,
                    &format!("{name} with {} at {at}", *b as char),
                );
            }
        }
    }
}

/// YAML and JSON with multi-byte characters in keys, state names, values and at the start of
/// the text, as written and cut at a sample of places.
#[test]
fn multi_byte_texts_give_whole_character_ranges() {
    let yaml = [
        "é: 1\n",
        "ñ\n",
        "- é: 1\n",
        "StartAt: Café\nStates:\n  Café:\n    Type: Pass\n    Next: Ünï😀\n  Ünï😀:\n    Type: Choice\n    Choices:\n      - Variable: $.é\n        StringEquals: ñ\n        Next: Café\n    Default: Fé\n  Fé:\n    Type: Succeed\n",
        "StartAt: \"Fétch\"\nStates:\n  \"Fétch\":\n    Type: Task\n    Resource: arn:aws:states:::lambda:invoke\n    Retry:\n      - ErrorEquals: [States.ALL]\n    Catch:\n      - ErrorEquals: [States.ALL]\n        Next: 'Fé''d'\n    Next: Ré\n  'Fé''d':\n    Type: Fail\n  Ré: {Type: Succeed}\n",
        "QueryLanguage: JSONata\nStartAt: Zé\nStates:\n  Zé:\n    Type: Pass\n    Assign:\n      é: 1\n      ün: \"{% $é + 1 %}\"\n    Output: >-\n      {% $ün +\n        $é + ) %}\n    Next: Map😀\n  Map😀:\n    Type: Map\n    ItemProcessor:\n      StartAt: Ïn\n      States:\n        Ïn: {Type: Pass, End: true}\n    Next: Pär\n  Pär:\n    Type: Parallel\n    Branches:\n      - StartAt: Bé\n        States:\n          Bé:\n            Type: Pass\n            End: true\n      - Stärt: x\n    End: true\n",
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Parameters:\n      x.$: States.Format(\n        'é{}',\n        $.b[\n    End: true\n",
    ];
    let json = [
        "{\"é\": 1}",
        "\"é\"",
        "[\"é\"]",
        "é",
        "{\"StartAt\": \"Café\", \"States\": {\"Café\": {\"Type\": \"Pass\", \"Next\": \"Ünï😀\"}, \"Ünï😀\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.é\", \"StringEquals\": \"ñ\", \"Next\": \"Café\"}], \"Default\": \"F\\u00e9\"}, \"Fé\": {\"Type\": \"Succeed\"}}}",
        "{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"Zé\", \"States\": {\"Zé\": {\"Type\": \"Pass\", \"Assign\": {\"é\": 1, \"ün\": \"{% $é + ) %}\"}, \"Output\": \"{% $ün %}\", \"End\": true}}}",
    ];
    let cuts = |text: &str| -> Vec<usize> {
        let mut out: Vec<usize> = (0..text.len())
            .step_by((text.len() / 12).max(1))
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        out.push(text.len());
        out
    };
    for (texts, dialect) in [(&yaml[..], Dialect::Yaml), (&json[..], Dialect::Json)] {
        for text in texts {
            for cut in cuts(text) {
                exercise(&text[..cut], dialect, &format!("{text:?} cut at {cut}"));
            }
        }
    }
}

/// Every query of a host document's analysis ([`ide::HostAnalysis`]) at every offset: ranges
/// of whole characters of the host text, renames that keep the document well-formed and read
/// back as the new name (in place and inside `DefinitionString`s, whose edits are written in
/// the string's syntax), quick fixes of JSON hosts that keep it well-formed.
/// Returns how many renames were checked, inside decoded definitions and in place.
fn exercise_host(text: &str, dialect: Dialect, name: &str, what: &str) -> (usize, usize) {
    let mut renamed_count = (0, 0);
    // A Terraform file is HCL: no tree, its own reader (and its edits written in HCL).
    let named = asl_syntax::Host::named(Some(name), None);
    let parse = match named {
        Some(host) => host.parse(text, dialect),
        None => asl_syntax::parse(text, dialect),
    };
    let Some(host) = named.or_else(|| parse.root.as_ref().and_then(asl_syntax::Host::of)) else {
        return renamed_count;
    };
    let analysis = ide::HostAnalysis::new(host, text, dialect, parse, &Options::default());
    let mut fixes_count = 0;
    for d in analysis.diagnostics() {
        whole(text, d.range, what, d.code());
    }
    whole_symbols(text, &analysis.symbols(), what);
    for fold in analysis.folding_ranges() {
        whole(text, fold.range, what, "folding");
    }
    let len = TextSize::from(text.len() as u32);
    for hint in analysis.inlay_hints(TextRange::new(0.into(), len)) {
        whole(text, TextRange::empty(hint.offset), what, "inlay hint");
    }
    let reparse = |t: &str| {
        let parse = host.parse(t, dialect);
        let well_formed = if host.reads_tree() {
            parse.root.is_some()
        } else {
            parse.error.is_none()
        };
        well_formed.then(|| ide::HostAnalysis::new(host, t, dialect, parse, &Options::default()))
    };
    for offset in offsets(text) {
        let at = |query: &str| format!("{query} at {offset:?}");
        if let Some(hover) = analysis.hover(offset) {
            whole(text, hover.range, what, &at("hover"));
        }
        if let Some(target) = analysis.definition(offset) {
            whole(text, target.range, what, &at("definition"));
            whole(text, target.focus, what, &at("definition focus"));
        }
        for r in analysis.references(offset, true) {
            whole(text, r, what, &at("references"));
        }
        for h in analysis.highlights(offset) {
            whole(text, h.range, what, &at("highlights"));
        }
        if let Ok((range, _)) = analysis.prepare_rename(offset) {
            whole(text, range, what, &at("prepare_rename"));
            for new_name in ["Renamed \"state\"", "Ré: #x", "It's", "a${b", "Renamed"] {
                let Ok(edits) = analysis.rename(offset, new_name) else {
                    continue;
                };
                for e in &edits {
                    whole(text, e.range, what, &at("rename"));
                }
                let decoded = analysis.machine_at(offset).is_some_and(|m| m.is_decoded());
                if decoded {
                    renamed_count.0 += 1;
                } else {
                    renamed_count.1 += 1;
                }
                let renamed = apply(text, &edits);
                let again = reparse(&renamed).unwrap_or_else(|| {
                    panic!("{what}: renaming at {offset:?} to {new_name:?} broke the document:\n{renamed}")
                });
                let mut shift = 0i64;
                for e in &edits {
                    let start =
                        TextSize::from((i64::from(u32::from(e.range.start())) + shift) as u32);
                    let read = again.prepare_rename(start).map(|(_, n)| n);
                    assert_eq!(
                        read.as_deref(),
                        Ok(new_name),
                        "{what}: renaming at {offset:?}:\n{renamed}"
                    );
                    shift += e.new_text.len() as i64 - i64::from(u32::from(e.range.len()));
                }
            }
        }
        for c in analysis.completions(offset, true) {
            whole(text, c.range, what, &at("completion"));
        }
        for action in analysis.code_actions(TextRange::empty(offset)) {
            for e in &action.edits {
                whole(text, e.range, what, &at(&action.title));
            }
            let fixed = apply(text, &action.edits);
            let again = reparse(&fixed).unwrap_or_else(|| {
                panic!(
                    "{what}: `{}` at {offset:?} broke the document:\n{fixed}",
                    action.title
                )
            });
            // No state machine is lost.
            assert_eq!(
                again.machines().len(),
                analysis.machines().len(),
                "{what}: `{}` at {offset:?}:\n{fixed}",
                action.title
            );
            if !host.reads_tree() {
                fixes_count += 1;
            }
        }
    }
    TERRAFORM_FIXES.fetch_add(fixes_count, std::sync::atomic::Ordering::Relaxed);
    renamed_count
}

/// The quick fixes checked in Terraform files.
static TERRAFORM_FIXES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[test]
fn every_query_everywhere_in_host_documents() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cli");
    let mut seen = 0;
    let mut renames = (0, 0);
    for name in [
        "templates-data/cfn/pipeline.yaml",
        "templates-data/cfn/stack.template.json",
        "templates-data/sam/template.yaml",
        "serverless-data/orders/serverless.yml",
        "serverless-data/broken/serverless.json",
        "cdk-data/cdk.out/OrdersStack.template.json",
    ] {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        let dialect = Dialect::from_path(name);
        let (decoded, in_place) = exercise_host(&text, dialect, name, name);
        renames = (renames.0 + decoded, renames.1 + in_place);
        // Cut at a sample of places.
        for cut in (0..text.len()).step_by((text.len() / 12).max(1)) {
            if text.is_char_boundary(cut) {
                exercise_host(&text[..cut], dialect, name, &format!("{name} cut at {cut}"));
            }
        }
        seen += 1;
    }
    assert_eq!(seen, 6);
    assert!(
        renames.0 > 20 && renames.1 > 20,
        "renames checked: {renames:?}"
    );
}

/// [`exercise_host`] on Terraform files: every rename and quick fix, written in HCL (or in a
/// `*.tf.json` string), keeps the file HCL (or JSON) and reads back as intended.
#[test]
fn every_query_everywhere_in_terraform_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cli/terraform-data");
    let mut renames = 0;
    for name in [
        "main.tf",
        "heredoc.tf",
        "module.tf",
        "broken.tf",
        "json.tf.json",
    ] {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        let dialect = Dialect::from_path(name);
        let (decoded, _) = exercise_host(&text, dialect, name, name);
        renames += decoded;
        for cut in (0..text.len()).step_by((text.len() / 12).max(1)) {
            if text.is_char_boundary(cut) {
                exercise_host(&text[..cut], dialect, name, &format!("{name} cut at {cut}"));
            }
        }
    }
    assert!(renames > 40, "renames checked: {renames}");
    let fixes = TERRAFORM_FIXES.load(std::sync::atomic::Ordering::Relaxed);
    assert!(fixes > 10, "Terraform quick fixes checked: {fixes}");
}
