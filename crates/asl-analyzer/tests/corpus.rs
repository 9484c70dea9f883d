//! The zero-error sweep over the shared corpus of real definitions (`../shared/corpus`, present
//! in CI beside the clone; skipped cleanly when absent): `valid-real` and `valid-fixtures` must
//! give no error-level diagnostic, except the files listed with a reason in
//! `tests/corpus-skip.txt`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use asl_analyzer::{Options, Severity, analyze};
use asl_syntax::Dialect;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    dir.is_dir().then_some(dir)
}

fn skip_list() -> HashMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus-skip.txt");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (path, reason) = l.split_once('\t').expect("skip line: <path><TAB><reason>");
            assert!(
                !reason.trim().is_empty(),
                "{path}: a skipped file needs a reason"
            );
            (path.to_owned(), reason.to_owned())
        })
        .collect()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn valid_corpus_has_no_errors() {
    let Some(root) = corpus() else {
        eprintln!("../shared/corpus not found: corpus sweep skipped");
        return;
    };
    let skip = skip_list();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut used_skips = 0;
    for category in ["valid-real", "valid-fixtures"] {
        let mut list = Vec::new();
        files(&root.join(category), &mut list);
        list.sort();
        for path in list {
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            if text.contains("_tbd_") || !(text.contains("StartAt") && text.contains("States")) {
                continue;
            }
            if skip.contains_key(&rel) {
                used_skips += 1;
                continue;
            }
            checked += 1;
            let found = analyze(&text, Dialect::from_path(&rel), &Options::default());
            for d in found.iter().filter(|d| d.severity == Severity::Error) {
                failures.push(format!(
                    "{rel} {} {}: {} ({})",
                    d.code, d.rule, d.message, d.pointer
                ));
            }
        }
    }
    assert_eq!(
        used_skips,
        skip.len(),
        "tests/corpus-skip.txt lists files that are not in the corpus"
    );
    assert!(checked > 500, "only {checked} corpus files checked");
    assert!(
        failures.is_empty(),
        "{} errors on valid corpus files:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
