//! Injected errors in every resolving Task of the valid corpus (`../shared/corpus`, beside the
//! clone in CI; when it is absent the test passes and says `skipped: …` on stderr). For each
//! Task whose `Resource` resolves (as `examples/aws_coverage.rs` classifies it), one mutation per
//! analysis, made in the file's text at the byte range the parse gives:
//!
//! - an `aws-sdk` action the model knows gets `Xq` appended, and (another mutation) `Xq`
//!   prepended, which makes it a PascalCase name that no action has in any case:
//!   `unknown-integration` (ASL407, an error) must report the action, in the `Resource`;
//! - the first top-level key of an `aws-sdk` Task's literal `Parameters`/`Arguments` that is an
//!   input member of the operation gets a `q` after its first letter: `unknown-parameter`
//!   (ASL408, a warning) must report that key;
//! - an optimized integration's API (the HTTP task's `invoke` included) gets `Xq` appended:
//!   ASL407 must report the API; and where the integration takes its API's request
//!   (`dynamodb:putItem`), the first top-level key that is a member of it is renamed as above:
//!   ASL408 must report it.
//!
//! Each finding must be at the mutated range of the file (a template's `DefinitionString`
//! included, through its source map) with the JSON Pointer of the place.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use asl_analyzer::Severity;
use asl_analyzer::spec::integrations::{aws_sdk_service, operation_name};
use asl_aws::{Member, Shape};
use asl_syntax::ast::{Machine, State, StateKind};
use asl_syntax::{TextRange, TextSize, string_range};
use support::corpus::{
    Class, CorpusFile, Def, classify_resource, corpus, for_each_definition, lint, skip_list,
    valid_files,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    SdkAction,
    /// `Xq` put before the action: a PascalCase name that is no action in any case.
    SdkActionPrefixed,
    SdkParameter,
    OptimizedApi,
    /// A key of an optimized integration that takes its API's request (`dynamodb:putItem`).
    OptimizedParameter,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::SdkAction | Kind::SdkActionPrefixed | Kind::OptimizedApi => "ASL407",
            Kind::SdkParameter | Kind::OptimizedParameter => "ASL408",
        }
    }

    fn severity(self) -> Severity {
        match self {
            Kind::SdkAction | Kind::SdkActionPrefixed | Kind::OptimizedApi => Severity::Error,
            Kind::SdkParameter | Kind::OptimizedParameter => Severity::Warning,
        }
    }
}

/// One injected error: what is inserted where in the file, and where its finding must be.
struct Mutation {
    kind: Kind,
    /// `file#pointer state: what`, for the failure list.
    what: String,
    at: TextSize,
    insert: &'static str,
    /// The finding's range in the file with this insertion alone.
    range: TextRange,
    pointer: String,
}

fn widened(range: TextRange, by: usize) -> TextRange {
    TextRange::new(range.start(), range.end() + TextSize::from(by as u32))
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Whether the key `name` (without `.$`) sets `member`: its model name or its PascalCase Step
/// Functions name (`EqualsValue` for `Equals`), in any case.
fn sets(member: &Member, name: &str) -> bool {
    let sfn = if member.name == "Equals" {
        "EqualsValue".to_owned()
    } else {
        operation_name(&member.name)
    };
    member.name.eq_ignore_ascii_case(name) || sfn.eq_ignore_ascii_case(name)
}

/// Appends `Xq` to `part`, a slice of the Task's `Resource` string (prepends it for
/// [`Kind::SdkActionPrefixed`]).
fn rename_part(def: &Def<'_>, state: &State<'_>, kind: Kind, part: &str) -> Mutation {
    let prop = state.fields.resource.unwrap();
    let resource = prop.value.as_str().unwrap();
    let offset = part.as_ptr() as usize - resource.as_ptr() as usize;
    let at = def.file_range(string_range(
        def.text,
        &prop.value,
        offset..offset + part.len(),
    ));
    Mutation {
        kind,
        what: match kind {
            Kind::SdkActionPrefixed => {
                format!(
                    "{} state `{}`: `{part}` → `Xq{part}`",
                    def.label, state.name
                )
            }
            _ => format!(
                "{} state `{}`: `{part}` → `{part}Xq`",
                def.label, state.name
            ),
        },
        at: if kind == Kind::SdkActionPrefixed {
            at.start()
        } else {
            at.end()
        },
        insert: "Xq",
        range: widened(at, 2),
        pointer: format!("{}{}", def.pointer, def.root.pointer_to(prop.value.range)),
    }
}

/// Renames the first top-level key of the Task's literal payload that sets an input member, so
/// that it sets none.
fn rename_key(
    def: &Def<'_>,
    state: &State<'_>,
    members: &[Member],
    kind: Kind,
) -> Option<Mutation> {
    let payload = state.fields.parameters.or(state.fields.arguments)?;
    let props = payload.value.as_object()?;
    if payload.value.is_cfn_intrinsic() {
        return None;
    }
    props.iter().find_map(|prop| {
        let name = prop.key.strip_suffix(".$").unwrap_or(&prop.key);
        if asl_syntax::is_templated(name) || !members.iter().any(|m| sets(m, name)) {
            return None;
        }
        if props.iter().filter(|p| p.key == prop.key).count() > 1 {
            return None;
        }
        let first = name.chars().next()?.len_utf8();
        let renamed = format!("{}q{}", &prop.key[..first], &prop.key[first..]);
        let renamed_name = renamed.strip_suffix(".$").unwrap_or(&renamed);
        if members.iter().any(|m| sets(m, renamed_name)) || props.iter().any(|p| p.key == renamed) {
            return None;
        }
        // The key as written (quoted or not) holds its name as is, unless it has escapes.
        let source = def
            .text
            .get(std::ops::Range::<usize>::from(prop.key_range))?;
        let in_key = source.find(prop.key.as_str())?;
        let at = prop.key_range.start() + TextSize::from((in_key + first) as u32);
        let at = def.file_range(TextRange::at(at, TextSize::from(1))).start();
        Some(Mutation {
            kind,
            what: format!(
                "{} state `{}`: key `{}` → `{renamed}`",
                def.label, state.name, prop.key
            ),
            at,
            insert: "q",
            range: widened(def.file_range(prop.key_range), 1),
            pointer: format!(
                "{}{}/{}",
                def.pointer,
                def.root.pointer_to(payload.value.range),
                escape_pointer(&renamed)
            ),
        })
    })
}

/// The mutations of one definition's Tasks; counts the Tasks whose `Resource` resolves and the
/// PascalCase SDK actions left alone.
fn mutations(def: &Def<'_>, out: &mut Vec<Mutation>, resolving: &mut usize, pascal: &mut usize) {
    let machine = Machine::new(def.root);
    for state in machine.states.iter().filter(|s| s.kind == StateKind::Task) {
        let class = classify_resource(state.fields.resource.map(|p| &p.value));
        if class.resolves() {
            *resolving += 1;
        }
        match class {
            Class::Optimized { service, api } => {
                assert!(service.action(&format!("{api}Xq")).is_none());
                out.push(rename_part(def, state, Kind::OptimizedApi, api));
                // Its parameters are its API's request: a renamed key is unknown to it.
                if service.action(api).is_some_and(|a| a.api_input) {
                    let model = service
                        .sdk_service
                        .and_then(aws_sdk_service)
                        .and_then(|sdk| asl_aws::service(sdk.botocore_id))
                        .unwrap();
                    let op = model.operation(&operation_name(api)).unwrap();
                    let members = match op.input.as_ref().and_then(|i| model.resolve(i)) {
                        Some(Shape::Structure { members }) => members.as_slice(),
                        _ => &[],
                    };
                    out.extend(rename_key(def, state, members, Kind::OptimizedParameter));
                }
            }
            Class::Http { api } => {
                out.push(rename_part(def, state, Kind::OptimizedApi, api));
            }
            // `GetObject`: ASL407 asks for camelCase before it looks the action up.
            Class::Sdk { pascal: true, .. } => *pascal += 1,
            Class::Sdk {
                model,
                action,
                operation,
                ..
            } => {
                let renamed = operation_name(&format!("{action}Xq"));
                assert!(model.operation(&renamed).is_none(), "{renamed}");
                out.push(rename_part(def, state, Kind::SdkAction, action));
                let prefixed = operation_name(&format!("Xq{action}"));
                assert!(model.operation(&prefixed).is_none(), "{prefixed}");
                out.push(rename_part(def, state, Kind::SdkActionPrefixed, action));
                let op = model.operation(&operation).unwrap();
                let members = match &op.input {
                    Some(input) => match model.resolve(input) {
                        Some(Shape::Structure { members }) => members.as_slice(),
                        _ => &[],
                    },
                    None => &[],
                };
                out.extend(rename_key(def, state, members, Kind::SdkParameter));
            }
            _ => {}
        }
    }
}

/// The mutations of one file analysed together: one per definition (each definition of a
/// template is analysed on its own, so they cannot interfere; a file that is one definition gets
/// one mutation per analysis).
struct Round<'f> {
    file: &'f CorpusFile,
    mutations: Vec<&'f Mutation>,
}

#[test]
fn injected_sdk_and_integration_errors_are_reported_in_place() {
    let Some(root) = corpus("injected_sdk_and_integration_errors_are_reported_in_place") else {
        return;
    };
    let started = Instant::now();
    let (files, _) = valid_files(&root, &skip_list());
    let (mut resolving, mut pascal) = (0, 0);
    let per_file: Vec<(&CorpusFile, Vec<Vec<Mutation>>)> = files
        .iter()
        .map(|file| {
            let mut defs = Vec::new();
            for_each_definition(file, |def| {
                let mut found = Vec::new();
                mutations(def, &mut found, &mut resolving, &mut pascal);
                defs.push(found);
            });
            (file, defs)
        })
        .collect();
    let mut rounds = Vec::new();
    for (file, defs) in &per_file {
        let most = defs.iter().map(Vec::len).max().unwrap_or(0);
        for k in 0..most {
            rounds.push(Round {
                file,
                mutations: defs.iter().filter_map(|d| d.get(k)).collect(),
            });
        }
    }
    // Several analyses at once, each thread taking the next round.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let results: Vec<(&Mutation, Option<String>)> = std::thread::scope(|s| {
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
    let mut made = [0usize; 5];
    let mut hits = [0usize; 5];
    let mut failures = Vec::new();
    for (m, result) in &results {
        let i = m.kind as usize;
        made[i] += 1;
        match result {
            None => hits[i] += 1,
            Some(why) => failures.push(why.as_str()),
        }
    }
    eprintln!(
        "{resolving} resolving Tasks ({pascal} PascalCase SDK actions left alone); {} analyses in {:.1?}:",
        rounds.len(),
        started.elapsed()
    );
    for (kind, i) in [
        ("aws-sdk action renamed (ASL407)", 0),
        ("aws-sdk action prefixed, PascalCase (ASL407)", 1),
        ("aws-sdk parameter key renamed (ASL408)", 2),
        ("optimized API renamed (ASL407)", 3),
        ("optimized parameter key renamed (ASL408)", 4),
    ] {
        eprintln!("  {kind}: {} of {} reported in place", hits[i], made[i]);
    }
    assert!(
        made.iter().all(|&n| n > 0) && resolving > 1000,
        "too few mutations: {made:?} of {resolving} resolving Tasks"
    );
    failures.sort_unstable();
    assert!(
        failures.is_empty(),
        "{} of {} injected errors not reported in place:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
}

/// Analyses the file with the round's insertions; for each mutation, `None` when its rule
/// reports it at its range and pointer, with its severity, else what was found instead.
fn check<'f>(round: &Round<'f>) -> Vec<(&'f Mutation, Option<String>)> {
    let mut order = round.mutations.clone();
    order.sort_by_key(|m| m.at);
    let text = &round.file.text;
    let mut mutated = String::with_capacity(text.len() + 2 * order.len());
    let mut from = 0;
    for m in &order {
        let at = usize::from(m.at);
        mutated.push_str(&text[from..at]);
        mutated.push_str(m.insert);
        from = at;
    }
    mutated.push_str(&text[from..]);
    let found = lint(&mutated, &round.file.rel);
    let mut shift = 0u32;
    let mut out = Vec::new();
    for m in order {
        // The definitions are apart: every insertion before this one is before its range.
        let range = m.range + TextSize::from(shift);
        shift += m.insert.len() as u32;
        let code = m.kind.code();
        let hit = found.iter().any(|d| {
            d.code() == code
                && d.range == range
                && d.pointer == m.pointer
                && d.severity == m.kind.severity()
        });
        if hit {
            out.push((m, None));
            continue;
        }
        let slice = |r: TextRange| mutated.get(std::ops::Range::<usize>::from(r));
        let near: Vec<String> = found
            .iter()
            .filter(|d| d.code() == code || d.severity == Severity::Error)
            .map(|d| {
                format!(
                    "{} {:?} {:?} at {:?} {}: {}",
                    d.code(),
                    d.severity,
                    slice(d.range),
                    d.range,
                    d.pointer,
                    d.message
                )
            })
            .collect();
        out.push((
            m,
            Some(format!(
                "{}: expected {code} at {range:?} ({:?}) {}; found [{}]",
                m.what,
                slice(range),
                m.pointer,
                near.join("; ")
            )),
        ));
    }
    out
}
