//! How many Task `Resource`s of the valid corpus resolve to a known operation: every Task state
//! of every definition (Parallel branches and Map processors included; a template's
//! `Definition` objects and `DefinitionString`s included), classified as a Lambda function ARN,
//! an activity, an optimized integration with a known API, the HTTP task, an `aws-sdk` call
//! whose service and operation the AWS model knows, a templated value, or not resolving (with
//! why). Prints the counts per class (Task states and distinct `Resource`s) and every
//! non-resolving `Resource` with where it is.
//!
//! `cargo run --release -p asl-analyzer --example aws_coverage -- ../shared/corpus [--templated]`
//! (`--templated`: also list the templated `Resource`s, by kind).
//!
//! The corpus is walked as the corpus tests walk it (`tests/support/corpus.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

use asl_syntax::ast::{Machine, StateKind};

#[allow(clippy::panic)]
#[path = "../tests/support/corpus.rs"]
mod corpus;

use corpus::{Class, classify_resource, for_each_definition, skip_list, valid_files};

/// Tasks and distinct `Resource`s of one class.
#[derive(Default)]
struct Tally {
    tasks: usize,
    resources: BTreeSet<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let list_templated = args.iter().any(|a| a == "--templated");
    let root = PathBuf::from(
        args.iter()
            .find(|a| !a.starts_with("--"))
            .map_or("../shared/corpus", String::as_str),
    );
    if !root.is_dir() {
        eprintln!("{}: not a directory", root.display());
        return ExitCode::FAILURE;
    }
    let (files, skipped) = valid_files(&root, &skip_list());
    let (mut definitions, mut unread, mut tasks) = (0, 0, 0);
    let mut distinct = BTreeSet::new();
    let mut classes: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut templated: BTreeMap<&'static str, Tally> = BTreeMap::new();
    // Resource → (why, where).
    let mut unresolved: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for file in &files {
        unread += for_each_definition(file, |def| {
            definitions += 1;
            let machine = Machine::new(def.root);
            for state in machine.states.iter().filter(|s| s.kind == StateKind::Task) {
                tasks += 1;
                let value = state.fields.resource.map(|p| &p.value);
                let text = match value {
                    Some(v) => match v.as_str() {
                        Some(s) => s.to_owned(),
                        None => def
                            .text
                            .get(std::ops::Range::<usize>::from(v.range))
                            .unwrap_or_default()
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                    },
                    None => "(no Resource)".to_owned(),
                };
                distinct.insert(text.clone());
                let class = classify_resource(value);
                let tally = classes.entry(class.name()).or_default();
                tally.tasks += 1;
                tally.resources.insert(text.clone());
                match class {
                    Class::Templated(why) => {
                        let t = templated.entry(why).or_default();
                        t.tasks += 1;
                        t.resources.insert(text);
                    }
                    Class::Unresolved(why) => {
                        unresolved
                            .entry(text)
                            .or_insert_with(|| (why, Vec::new()))
                            .1
                            .push(format!("{} (state `{}`)", def.label, state.name));
                    }
                    _ => {}
                }
            }
        });
    }
    println!(
        "valid corpus: {} files ({skipped} on the skip list left out), {definitions} definitions ({unread} template definitions not readable here: in files, in S3 or built at deployment)",
        files.len()
    );
    println!(
        "Task states: {tasks}; distinct Resources: {}",
        distinct.len()
    );
    let resolving: usize = classes
        .iter()
        .filter(|(name, _)| !matches!(**name, "templated / placeholder" | "not resolving"))
        .map(|(_, t)| t.tasks)
        .sum();
    println!("resolve to a known Lambda function, activity, API or operation: {resolving} Tasks");
    println!("{:>6} {:>9}  class", "tasks", "resources");
    for (name, tally) in &classes {
        println!("{:>6} {:>9}  {name}", tally.tasks, tally.resources.len());
        if *name == "templated / placeholder" {
            for (why, t) in &templated {
                println!("{:>6} {:>9}    - {why}", t.tasks, t.resources.len());
                if list_templated {
                    for resource in &t.resources {
                        println!("                      {resource}");
                    }
                }
            }
        }
    }
    println!("not resolving ({} distinct):", unresolved.len());
    for (resource, (why, places)) in &unresolved {
        println!("  {resource}: {why}");
        for place in places {
            println!("      {place}");
        }
    }
    ExitCode::SUCCESS
}
