//! The reach of the payload-shape rules on the valid corpus: how many states the flow reaches,
//! how many of those have a known input (more than anything) and how many a closed one (an
//! object with only known members, a scalar or an array: where a missing member is certain),
//! over every definition (Parallel branches and Map processors included; a template's
//! `Definition` objects and `DefinitionString`s included). Prints the totals and the figures of
//! each folder of the corpus.
//!
//! `cargo run --release -p asl-analyzer --example shapes_reach -- ../shared/corpus`
//!
//! The corpus is walked as the corpus tests walk it (`tests/support/corpus.rs`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use asl_analyzer::shapes::reach::{Reach, reach_of};

#[allow(clippy::panic)]
#[path = "../tests/support/corpus.rs"]
mod corpus;

use corpus::{VALID, for_each_definition, skip_list, valid_files};

/// Definitions and the reach of their states.
#[derive(Default)]
struct Tally {
    files: usize,
    definitions: usize,
    reach: Reach,
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".to_owned();
    }
    format!("{:.1}%", 100.0 * part as f64 / whole as f64)
}

fn row(name: &str, t: &Tally) {
    let r = &t.reach;
    println!(
        "{name:<15} {:>5} {:>5} {:>6} {:>8} {:>7} {:>6} ({:>6}) {:>6} ({:>6}) {:>15}",
        t.files,
        t.definitions,
        r.states,
        r.jsonpath,
        r.reached,
        r.known_input,
        percent(r.known_input, r.reached),
        r.closed_input,
        percent(r.closed_input, r.reached),
        r.closed_jsonpath,
    );
}

fn main() -> ExitCode {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/corpus".to_owned()),
    );
    if !root.is_dir() {
        eprintln!("{}: not a directory", root.display());
        return ExitCode::FAILURE;
    }
    let (files, skipped) = valid_files(&root, &skip_list());
    let mut total = Tally::default();
    let mut unread = 0;
    let mut folders: BTreeMap<&str, Tally> = BTreeMap::new();
    for file in &files {
        let folder = VALID
            .iter()
            .find(|f| file.rel.starts_with(&format!("{f}/")))
            .copied()
            .unwrap_or("other");
        let tally = folders.entry(folder).or_default();
        tally.files += 1;
        total.files += 1;
        unread += for_each_definition(file, |def| {
            let reach = reach_of(def.root);
            tally.definitions += 1;
            tally.reach += reach;
            total.definitions += 1;
            total.reach += reach;
        });
    }
    println!(
        "valid corpus: {} files ({skipped} on the skip list left out), {} definitions ({unread} template definitions not readable here)",
        files.len(),
        total.definitions
    );
    println!(
        "{:<15} {:>5} {:>5} {:>6} {:>8} {:>7} {:>6} {:>8} {:>6} {:>8} {:>15}",
        "folder",
        "files",
        "defs",
        "states",
        "JSONPath",
        "reached",
        "known",
        "",
        "closed",
        "",
        "closed JSONPath"
    );
    for folder in VALID {
        if let Some(t) = folders.get(folder) {
            row(folder, t);
        }
    }
    row("total", &total);
    println!(
        "known: the input is more than anything; closed: an object with only known members, a scalar or an array (a missing member is certain); percentages of the reached states"
    );
    ExitCode::SUCCESS
}
