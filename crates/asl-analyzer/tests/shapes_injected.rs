//! Injected errors in the payloads of the valid corpus (`../shared/corpus`, beside the clone in
//! CI; when it is absent the test passes and says `skipped: …` on stderr): in every definition
//! where a literal key of a JSONPath state's `Parameters`, `ResultSelector` or Pass `Result`
//! (a top-level key; `name.$` for `name`) is read downstream, the key is renamed (`_renamed`
//! appended to its name, in the file's text at the byte range the parse gives, a template's
//! `DefinitionString` included through its source map), and `unresolvable-path` (ASL330) must
//! report a new error at each read of it, on the step that names it (`.name`, `['name']`).
//!
//! The pairs come from the flow of the unmutated definition
//! (`asl_analyzer::shapes::reach::key_reads`): a read counts only where the flow finds the
//! member, required, in an object whose members are all known, and where no other key,
//! `ResultPath` or error object of the definition has that name, so that renaming the key
//! makes the read certainly fail. Reads through a Task's result, a Map iteration or the
//! execution input are not known, so they are not pairs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use asl_analyzer::shapes::reach::{KeyRead, key_reads};
use asl_analyzer::{Diagnostic, Severity};
use asl_syntax::{TextRange, TextSize};
use support::corpus::{CorpusFile, Def, corpus, for_each_definition, lint, skip_list, valid_files};

const SUFFIX: &str = "_renamed";

/// One read that must fail once its key is renamed.
struct Expected {
    /// Its range in the unmutated file.
    range: TextRange,
    pointer: String,
    /// `reader: place reads path`, for the failure list.
    what: String,
    /// The field that reads it.
    place: &'static str,
}

/// One renamed key and the reads it must break.
struct Mutation {
    /// `file#pointer state field key`, for the failure list.
    what: String,
    /// Where `_renamed` goes in the file: after the key's name.
    at: TextSize,
    /// The writer's field (`Parameters`, `ResultSelector`, `Result`).
    field: &'static str,
    reads: Vec<Expected>,
}

/// The mutations of one definition: one per key some read depends on; `skipped` counts the keys
/// whose name is not written as is (escapes), left alone.
fn mutations(def: &Def<'_>, skipped: &mut usize) -> Vec<Mutation> {
    let mut out: Vec<(TextRange, Mutation)> = Vec::new();
    for read in key_reads(def.text, def.root) {
        let expected = Expected {
            range: def.file_range(read.range),
            pointer: format!("{}{}", def.pointer, def.root.pointer_to(read.node)),
            what: format!("`{}` {} reads `{}`", read.reader, read.place, read.path),
            place: read.place,
        };
        if let Some((_, m)) = out.iter_mut().find(|(k, _)| *k == read.key_range) {
            m.reads.push(expected);
            continue;
        }
        match insertion(def, &read) {
            Some(at) => out.push((
                read.key_range,
                Mutation {
                    what: format!(
                        "{} state `{}`: {} key `{}` → `{}{SUFFIX}`",
                        def.label, read.writer, read.field, read.name, read.name
                    ),
                    at,
                    field: read.field,
                    reads: vec![expected],
                },
            )),
            None => *skipped += 1,
        }
    }
    out.into_iter().map(|(_, m)| m).collect()
}

/// The file offset just after the key's name, when the key is written as its name (quoted or
/// not, with its `.$`).
fn insertion(def: &Def<'_>, read: &KeyRead) -> Option<TextSize> {
    let source = def
        .text
        .get(std::ops::Range::<usize>::from(read.key_range))?;
    let unquoted = source
        .strip_prefix(['"', '\''])
        .and_then(|s| s.strip_suffix(['"', '\'']))
        .unwrap_or(source);
    let rest = unquoted.strip_prefix(read.name.as_str())?;
    if !(rest.is_empty() || rest == ".$") {
        return None;
    }
    let quote = usize::from(unquoted.len() < source.len());
    let last = read.key_range.start() + TextSize::from((quote + read.name.len() - 1) as u32);
    // The name's last byte, mapped into the file (a `DefinitionString` is escaped there).
    Some(def.file_range(TextRange::at(last, TextSize::from(1))).end())
}

/// The mutations of one file analysed together: one per definition (each definition of a
/// template is analysed on its own).
struct Round<'f> {
    file: &'f CorpusFile,
    mutations: Vec<&'f Mutation>,
    /// The ASL330 findings of the unmutated file.
    before: &'f [TextRange],
}

#[derive(Default)]
struct Counts {
    keys: usize,
    reads: usize,
    reported: usize,
}

#[test]
fn renamed_payload_keys_are_reported_at_their_reads() {
    let Some(root) = corpus("renamed_payload_keys_are_reported_at_their_reads") else {
        return;
    };
    let started = Instant::now();
    let (files, _) = valid_files(&root, &skip_list());
    let mut skipped = 0;
    let mut definitions = 0;
    let per_file: Vec<(&CorpusFile, Vec<Vec<Mutation>>)> = files
        .iter()
        .filter_map(|file| {
            let mut defs = Vec::new();
            for_each_definition(file, |def| {
                definitions += 1;
                let found = mutations(def, &mut skipped);
                if !found.is_empty() {
                    defs.push(found);
                }
            });
            (!defs.is_empty()).then_some((file, defs))
        })
        .collect();
    let before: Vec<Vec<TextRange>> = per_file
        .iter()
        .map(|(file, _)| {
            lint(&file.text, &file.rel)
                .iter()
                .filter(|d| d.code() == "ASL330")
                .map(|d| d.range)
                .collect()
        })
        .collect();
    let mut rounds = Vec::new();
    for ((file, defs), before) in per_file.iter().zip(&before) {
        let most = defs.iter().map(Vec::len).max().unwrap_or(0);
        for k in 0..most {
            rounds.push(Round {
                file,
                mutations: defs.iter().filter_map(|d| d.get(k)).collect(),
                before,
            });
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let results: Vec<(&Mutation, Vec<Option<String>>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    while let Some(round) = rounds.get(next.fetch_add(1, Ordering::Relaxed)) {
                        out.extend(check(round));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a check panicked"))
            .collect()
    });
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    let mut by_field: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_place: BTreeMap<&str, usize> = BTreeMap::new();
    for (m, reads) in &results {
        counts.keys += 1;
        *by_field.entry(m.field).or_default() += 1;
        for (e, result) in m.reads.iter().zip(reads) {
            counts.reads += 1;
            *by_place.entry(e.place).or_default() += 1;
            match result {
                None => counts.reported += 1,
                Some(why) => failures.push(format!("{}: {why}", m.what)),
            }
        }
    }
    eprintln!(
        "{} files, {definitions} definitions: {} keys renamed ({skipped} keys not written as their name left alone), {} reads of them: {} reported in place by ASL330, {} missed; {} analyses in {:.1?}",
        per_file.len(),
        counts.keys,
        counts.reads,
        counts.reported,
        counts.reads - counts.reported,
        rounds.len() + before.len(),
        started.elapsed()
    );
    eprintln!("  keys renamed, by field: {by_field:?}; their reads, by field: {by_place:?}");
    assert!(
        counts.keys >= 20,
        "too few keys read downstream: {}",
        counts.keys
    );
    failures.sort_unstable();
    assert!(
        failures.is_empty(),
        "{} of {} reads of a renamed key not reported in place:\n{}",
        failures.len(),
        counts.reads,
        failures.join("\n")
    );
}

/// Analyses the file with the round's renames; for each read of each mutation, `None` when
/// ASL330 reports a new error at its step and pointer, else what was found instead.
fn check<'f>(round: &Round<'f>) -> Vec<(&'f Mutation, Vec<Option<String>>)> {
    let mut order = round.mutations.clone();
    order.sort_by_key(|m| m.at);
    let text = &round.file.text;
    let mut mutated = String::with_capacity(text.len() + SUFFIX.len() * order.len());
    let mut from = 0;
    for m in &order {
        let at = usize::from(m.at);
        mutated.push_str(&text[from..at]);
        mutated.push_str(SUFFIX);
        from = at;
    }
    mutated.push_str(&text[from..]);
    let found = lint(&mutated, &round.file.rel);
    // Where a range of the unmutated file is in the mutated one.
    let shifted = |r: TextRange| {
        let before = order.iter().filter(|m| m.at <= r.start()).count();
        r + TextSize::from((before * SUFFIX.len()) as u32)
    };
    let slice = |r: TextRange| {
        mutated
            .get(std::ops::Range::<usize>::from(r))
            .unwrap_or("?")
    };
    let describe = |d: &Diagnostic| {
        format!(
            "{} {:?} {:?} at {:?} {}: {}",
            d.code(),
            d.severity,
            slice(d.range),
            d.range,
            d.pointer,
            d.message
        )
    };
    order
        .iter()
        .map(|&m| {
            let results = m
                .reads
                .iter()
                .map(|e| {
                    let range = shifted(e.range);
                    let new = !round.before.contains(&e.range);
                    let hit = found.iter().any(|d| {
                        d.code() == "ASL330"
                            && d.severity == Severity::Error
                            && d.range == range
                            && d.pointer == e.pointer
                    });
                    if hit && new {
                        return None;
                    }
                    let near: Vec<String> = found
                        .iter()
                        .filter(|d| d.code() == "ASL330")
                        .map(describe)
                        .collect();
                    Some(format!(
                        "{}: expected a new ASL330 at {range:?} ({:?}) {}{}; found [{}]",
                        e.what,
                        slice(range),
                        e.pointer,
                        if new {
                            ""
                        } else {
                            " (already reported before)"
                        },
                        near.join("; ")
                    ))
                })
                .collect();
            (m, results)
        })
        .collect()
}
