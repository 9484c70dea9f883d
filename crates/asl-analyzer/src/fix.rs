//! Automatic fixes, for `asl-lint check --fix` and `--diff`: the fixes the rules attach to
//! their diagnostics ([`Diagnostic::fixes`]), applied to a whole file without a person
//! choosing. No IO.
//!
//! Each fix has an [`Applicability`] (ruff's model): a safe fix cannot change the behaviour of a
//! definition that AWS accepts, an unsafe one can (or guesses what was meant). The suppressions
//! of the editor are never applied. [`fix_all`] applies fixes in rounds until none is left.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use asl_syntax::{Dialect, Host, TextRange};

pub use crate::diagnostic::{Applicability, Edit, Fix};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::RuleMeta;
use crate::{Options, analyze_parsed, rules};

/// The most rounds [`fix_all`] runs: each round applies the fixes that do not overlap, then
/// lints again.
pub const MAX_ROUNDS: usize = 10;

/// How much text [`fix_all`] may analyse while checking fixes (each check lints the whole text
/// once): 4 MB (under a second; hundreds of checks of a small definition), or [`MIN_CHECKS`]
/// lints of the text when that is more. Thousands of fixes that are worse together would
/// otherwise cost a lint of the file per fix.
pub const MAX_CHECKED_BYTES: usize = 4_000_000;

/// The fewest checks [`fix_all`] may make: enough to halve a batch of a million fixes down to
/// one, so each run makes progress.
pub const MIN_CHECKS: usize = 24;

/// One diagnostic's fix, with the rule that reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFix {
    pub rule: &'static RuleMeta,
    pub fix: Fix,
}

/// Whether fixes are made for `dialect`: every dialect, since the edits are written in the
/// syntax of what they edit (JSON, or YAML block syntax: see [`crate::edits`]).
pub fn fixable(dialect: Dialect) -> bool {
    matches!(
        dialect,
        Dialect::Json | Dialect::Jsonc | Dialect::Json5 | Dialect::Yaml
    )
}

/// What a text to fix is: a state machine, or a host document holding state machines (a
/// CloudFormation/SAM template, a Serverless Framework file), whose in-place definitions'
/// fixes are edits of the host's text ([`crate::embedded::analyze_host`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    StateMachine,
    Host(Host),
}

/// The fix `--fix` applies for each of `diagnostics` that has one (its preferred fix), in
/// diagnostic order.
pub fn fixes_of(diagnostics: &[Diagnostic]) -> Vec<RuleFix> {
    diagnostics
        .iter()
        .filter_map(|d| {
            d.fix().map(|fix| RuleFix {
                rule: d.rule,
                fix: fix.clone(),
            })
        })
        .collect()
}

/// The fix of each diagnostic of `text` that has one, in diagnostic order.
pub fn fixes(text: &str, dialect: Dialect, options: &Options) -> Vec<RuleFix> {
    fixes_of(&lint(text.to_owned(), dialect, Document::StateMachine, options).diagnostics)
}

/// A text and its diagnostics, one round of [`fix_all`].
struct Linted {
    text: String,
    diagnostics: Vec<Diagnostic>,
    /// The text parsed into a tree and the rules ran.
    tree: bool,
    /// The state machines analysed: 1 for a state machine; for a host document, its
    /// definitions (a fix must never make one of them disappear from the host's view).
    machines: usize,
}

fn lint(text: String, dialect: Dialect, document: Document, options: &Options) -> Linted {
    let host = match document {
        Document::Host(host) => Some(host),
        Document::StateMachine => None,
    };
    let parsed = catch_unwind(AssertUnwindSafe(|| match host {
        Some(host) => host.parse(&text, dialect),
        None => asl_syntax::parse(&text, dialect),
    }));
    match parsed {
        Ok(parse) => {
            let (diagnostics, machines) = match host {
                Some(host) => {
                    let machines = host.definitions(&text, parse.root.as_ref()).len();
                    let analysis =
                        crate::embedded::analyze_host(host, &text, dialect, &parse, options);
                    (analysis.diagnostics, machines)
                }
                None => (analyze_parsed(&text, dialect, &parse, options), 1),
            };
            let crashed = diagnostics
                .iter()
                .any(|d| d.is(&rules::internal_error::META));
            let reads_tree = host.is_none_or(|h| h.reads_tree());
            Linted {
                tree: (parse.root.is_some() || !reads_tree) && !crashed,
                text,
                diagnostics,
                machines,
            }
        }
        Err(panic) => Linted {
            diagnostics: vec![crate::internal_error(
                options,
                &crate::panic_message(&*panic),
                "the parser",
            )],
            text,
            tree: false,
            machines: 0,
        },
    }
}

/// Applies `fixes` to `text` in the order given; a fix with an edit that overlaps or touches an
/// edit already taken waits for the next round (the first wins), as does one whose ranges do
/// not fit `text`. Returns the new text and the number of fixes applied.
pub fn apply<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> (String, usize) {
    let taken = select(text, fixes);
    (splice(text, &taken), taken.len())
}

/// The fixes [`apply`] takes.
fn select<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> Vec<&'f Fix> {
    let mut taken: Vec<&'f Fix> = Vec::new();
    for fix in fixes {
        let fits = fix.edits.iter().all(|e| {
            let range = std::ops::Range::<usize>::from(e.range);
            range.end <= text.len()
                && text.is_char_boundary(range.start)
                && text.is_char_boundary(range.end)
        });
        let clashes = fix.edits.iter().any(|e| {
            taken
                .iter()
                .flat_map(|t| &t.edits)
                .any(|t| touches(t.range, e.range))
        });
        if fits && !clashes && !fix.edits.is_empty() {
            taken.push(fix);
        }
    }
    taken
}

/// `text` with the edits of `fixes`, which [`select`] chose.
fn splice(text: &str, fixes: &[&Fix]) -> String {
    let mut edits: Vec<&Edit> = fixes.iter().flat_map(|f| &f.edits).collect();
    // From the end, so the ranges still to apply stay valid.
    edits.sort_by_key(|e| std::cmp::Reverse((e.range.start(), e.range.end())));
    let mut out = text.to_owned();
    for edit in edits {
        out.replace_range(std::ops::Range::<usize>::from(edit.range), &edit.new_text);
    }
    out
}

/// Ranges that overlap or meet: two insertions at one offset, or an insertion at the edge of a
/// replacement, have no order that is obviously right.
fn touches(a: TextRange, b: TextRange) -> bool {
    a.start() <= b.end() && b.start() <= a.end()
}

/// How [`fix_all`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// No fix of the chosen kinds is left (but those in [`Fixed::rejected`]).
    Converged,
    /// Fixes were still coming after [`MAX_ROUNDS`] rounds (or a round changed nothing): the
    /// text is that of the last round, which was no worse than the one before.
    NotConverged,
    /// Checking the fixes took more than [`MAX_CHECKED_BYTES`] of analysis: the text is that of
    /// the last round that was checked; running again goes on from there.
    OverBudget,
}

/// The result of [`fix_all`].
#[derive(Debug, Clone)]
pub struct Fixed {
    /// The fixed text (the input itself when nothing applied).
    pub text: String,
    /// Fixes applied, over every round.
    pub applied: usize,
    /// The rule of each fix applied.
    pub applied_rules: Vec<&'static RuleMeta>,
    /// The diagnostics of [`Fixed::text`]: what remains.
    pub diagnostics: Vec<Diagnostic>,
    /// Unsafe fixes left in [`Fixed::text`] (0 when they were applied).
    pub unsafe_available: usize,
    /// Fixes of [`Fixed::text`] not applied because they would break it (a syntax error) or
    /// add error-level findings to it.
    pub rejected: Vec<Rejected>,
    pub status: Status,
}

/// A fix [`fix_all`] did not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub rule: &'static RuleMeta,
    pub title: String,
    /// What it would do: "raise the error-level findings from 2 to 3".
    pub problem: String,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} fix \"{}\" was not applied: it would {}; fix that finding by hand",
            self.rule.name, self.title, self.problem
        )
    }
}

impl Fixed {
    /// Whether the text differs from the input.
    pub fn changed(&self) -> bool {
        self.applied > 0
    }
}

/// Applies the safe fixes (and the unsafe ones with `unsafe_fixes`) to `text`, in rounds: each
/// round applies the fixes that do not overlap and lints the result again, until no fix is left
/// or [`MAX_ROUNDS`] rounds changed the text. Every round is checked: when its result has a
/// syntax error or more error-level findings than before, it is dropped, the fixes that are
/// worse on their own are set aside (see [`Fixed::rejected`]), and the round is run again
/// without them. A fix set aside is tried again once other fixes have changed the text (what
/// was worse may be fine now), so the fixes rejected at the end are those that are worse on the
/// final text.
///
/// Idempotent: when the result is [`Status::Converged`], `fix_all` on its text changes nothing
/// (the run on the final text starts as a second run would, with nothing set aside).
pub fn fix_all(text: &str, dialect: Dialect, options: &Options, unsafe_fixes: bool) -> Fixed {
    fix_all_where(text, dialect, options, unsafe_fixes, &|_, d| {
        vec![true; d.len()]
    })
}

/// [`fix_all`], fixing only the findings `wanted` keeps: called with each round's text and
/// findings, it says for each finding whether its fix may be applied (`check --fix
/// --baseline` fixes only the findings the baseline does not hide).
pub fn fix_all_where(
    text: &str,
    dialect: Dialect,
    options: &Options,
    unsafe_fixes: bool,
    wanted: &dyn Fn(&str, &[Diagnostic]) -> Vec<bool>,
) -> Fixed {
    fix_document_where(
        text,
        dialect,
        Document::StateMachine,
        options,
        unsafe_fixes,
        wanted,
    )
}

/// [`fix_all_where`] for a state machine or a host document: in a host document, the fixes of
/// the definitions written in place (a `Definition` mapping of a template, a Serverless
/// `definition`) are applied to the host's text, checked as a state machine's are, and never
/// so that a definition is lost. A definition decoded from a string (`DefinitionString`) or
/// from Terraform's HCL (`jsonencode`, a heredoc) is fixed in the host's syntax, each edit
/// written back by [`crate::embedded::host_edits`], or its fix dropped when that cannot be
/// done exactly.
pub fn fix_document_where(
    text: &str,
    dialect: Dialect,
    document: Document,
    options: &Options,
    unsafe_fixes: bool,
    wanted: &dyn Fn(&str, &[Diagnostic]) -> Vec<bool>,
) -> Fixed {
    let budget = MAX_CHECKED_BYTES.max(text.len().saturating_mul(MIN_CHECKS));
    fix_all_within(
        text,
        dialect,
        document,
        options,
        unsafe_fixes,
        wanted,
        budget,
    )
}

/// [`fix_all`] with its own budget of bytes to analyse.
fn fix_all_within(
    text: &str,
    dialect: Dialect,
    document: Document,
    options: &Options,
    unsafe_fixes: bool,
    wanted_finding: &dyn Fn(&str, &[Diagnostic]) -> Vec<bool>,
    budget: usize,
) -> Fixed {
    let wanted = |f: &Fix| match f.applicability {
        Applicability::Safe => true,
        Applicability::Unsafe => unsafe_fixes,
        Applicability::Manual => false,
    };
    let fixes_of = |linted: &Linted| {
        if fixable(dialect) {
            let keep = wanted_finding(&linted.text, &linted.diagnostics);
            let kept: Vec<Diagnostic> = linted
                .diagnostics
                .iter()
                .zip(keep)
                .filter(|(_, keep)| *keep)
                .map(|(d, _)| d.clone())
                .collect();
            fixes_of(&kept)
        } else {
            Vec::new()
        }
    };
    let mut current = lint(text.to_owned(), dialect, document, options);
    let mut applied_rules = Vec::new();
    // The fixes set aside as worse on their own, against the current text (cleared when it
    // changes), with why.
    let mut rejected: Vec<(RuleFix, Rejected)> = Vec::new();
    // Rounds that changed the text; a round that only sets fixes aside does not count, as each
    // sets at least one more aside and there are finitely many.
    let mut rounds = 0;
    // Bytes analysed so far, against [`MAX_CHECKED_BYTES`].
    let mut checked = 0usize;
    let (status, fixes) = loop {
        let fixes = fixes_of(&current);
        let chosen: Vec<&RuleFix> = fixes
            .iter()
            .filter(|f| wanted(&f.fix) && !rejected.iter().any(|(r, _)| r == *f))
            .collect();
        if chosen.is_empty() {
            break (Status::Converged, fixes);
        }
        if rounds == MAX_ROUNDS {
            break (Status::NotConverged, fixes);
        }
        let mut taken = select_rule_fixes(&current.text, chosen);
        if checked >= budget {
            break (Status::OverBudget, fixes);
        }
        checked += current.text.len();
        let splice_taken = |taken: &[&RuleFix]| {
            splice(
                &current.text,
                &taken.iter().map(|f| &f.fix).collect::<Vec<_>>(),
            )
        };
        let mut next = lint(splice_taken(&taken), dialect, document, options);
        if worse(&current, &next).is_some() {
            // Halve the batch until a part is no worse (applied this round) or a single fix is
            // worse on its own (set aside): a few analyses per round, not one per fix.
            loop {
                if taken.len() <= 1 {
                    if let Some(fix) = taken.first() {
                        let problem = worse(&current, &next).unwrap_or_default();
                        let why = Rejected {
                            rule: fix.rule,
                            title: fix.fix.title.clone(),
                            problem,
                        };
                        rejected.push(((*fix).clone(), why));
                    }
                    break;
                }
                if checked >= budget {
                    break;
                }
                taken.truncate(taken.len().div_ceil(2));
                checked += current.text.len();
                next = lint(splice_taken(&taken), dialect, document, options);
                if worse(&current, &next).is_none() {
                    break;
                }
            }
            if worse(&current, &next).is_some() {
                continue;
            }
        }
        rounds += 1;
        if next.text == current.text {
            break (Status::NotConverged, fixes);
        }
        applied_rules.extend(taken.iter().map(|f| f.rule));
        current = next;
        // The text changed: what was worse on the old text is tried again on the new one.
        rejected.clear();
    };
    let unsafe_available = if unsafe_fixes {
        0
    } else {
        fixes
            .iter()
            .filter(|f| f.fix.applicability == Applicability::Unsafe)
            .count()
    };
    Fixed {
        text: current.text,
        applied: applied_rules.len(),
        applied_rules,
        diagnostics: current.diagnostics,
        unsafe_available,
        rejected: rejected.into_iter().map(|(_, why)| why).collect(),
        status,
    }
}

/// The fixes [`select`] takes, with their rules.
fn select_rule_fixes<'f>(text: &str, fixes: Vec<&'f RuleFix>) -> Vec<&'f RuleFix> {
    let taken = select(text, fixes.iter().map(|f| &f.fix));
    // `select` keeps the order and takes each fix at most once.
    let mut taken = taken.into_iter().peekable();
    fixes
        .into_iter()
        .filter(|f| {
            let take = taken.peek().is_some_and(|t| std::ptr::eq(*t, &f.fix));
            if take {
                taken.next();
            }
            take
        })
        .collect()
}

/// What makes `after` worse than `before`, if anything: a syntax error, or more error-level
/// findings of some rule (a fix may trade one error for another of a different rule only if
/// the total does not grow, and never adds to a rule's count).
fn worse(before: &Linted, after: &Linted) -> Option<String> {
    let syntax = |a: &Linted| {
        !a.tree
            || a.diagnostics
                .iter()
                .any(|d| d.is(&rules::invalid_json::META))
    };
    if syntax(after) && !syntax(before) {
        return Some("break the JSON".to_owned());
    }
    if after.machines < before.machines {
        return Some("remove a state machine from the document".to_owned());
    }
    let errors = |a: &Linted| {
        let mut by_rule: BTreeMap<&'static str, (&'static str, usize)> = BTreeMap::new();
        for d in &a.diagnostics {
            if d.severity == Severity::Error {
                by_rule.entry(d.code()).or_insert((d.name(), 0)).1 += 1;
            }
        }
        by_rule
    };
    let (was, now) = (errors(before), errors(after));
    let total = |m: &BTreeMap<&str, (&str, usize)>| m.values().map(|(_, n)| n).sum::<usize>();
    if total(&now) > total(&was) {
        return Some(format!(
            "raise the error-level findings from {} to {}",
            total(&was),
            total(&now)
        ));
    }
    now.iter().find_map(|(code, (rule, n))| {
        let old = was.get(code).map_or(0, |(_, n)| *n);
        (*n > old).then(|| format!("add an error-level {rule} ({code}) finding"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: u32, end: u32, text: &str) -> Edit {
        Edit {
            range: TextRange::new(start.into(), end.into()),
            new_text: text.to_owned(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            title: "test".to_owned(),
            applicability: Applicability::Safe,
            edits,
            preferred: true,
        }
    }

    /// Many catchers with `States.ALL` first (ASL201 fixes that move it last) and unbounded
    /// retries: past the budget nothing more is checked or applied; within it, the fixes
    /// settle and lower the errors.
    #[test]
    fn checking_fixes_is_bounded_and_never_worse() {
        let states: Vec<String> = (0..60)
            .map(|i| {
                format!(
                    r#""T{i}": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {{"FunctionName": "f"}}, "TimeoutSeconds": 5, "Retry": [{{"ErrorEquals": ["States.ALL"], "MaxAttempts": 8, "IntervalSeconds": 1000, "BackoffRate": 5}}], "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "F"}}, {{"ErrorEquals": ["States.Timeout"], "Next": "F"}}], "Next": "{}"}}"#,
                    if i < 59 { format!("T{}", i + 1) } else { "F".to_owned() }
                )
            })
            .collect();
        let text = format!(
            r#"{{"StartAt": "T0", "States": {{{}, "F": {{"Type": "Fail"}}}}}}"#,
            states.join(", ")
        );
        let errors = |t: &str| {
            crate::analyze(t, Dialect::Json, &Options::default())
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count()
        };
        let before = errors(&text);
        // No budget: nothing is checked, so nothing is applied.
        let fixed = fix_all_within(
            &text,
            Dialect::Json,
            Document::StateMachine,
            &Options::default(),
            true,
            &|_, d| vec![true; d.len()],
            0,
        );
        assert_eq!(fixed.status, Status::OverBudget);
        assert_eq!(fixed.text, text);
        // With the real budget it settles.
        let fixed = fix_all(&text, Dialect::Json, &Options::default(), true);
        assert_ne!(fixed.status, Status::OverBudget);
        assert!(errors(&fixed.text) < before);
    }

    #[test]
    fn apply_takes_the_first_of_overlapping_fixes() {
        let fixes = [
            fix(vec![edit(0, 1, "A")]),
            fix(vec![edit(1, 2, "X")]), // touches the first: waits
            fix(vec![edit(4, 4, "!")]),
            fix(vec![edit(9, 12, "?")]), // past the end: skipped
        ];
        assert_eq!(apply("abcd", &fixes), ("Abcd!".to_owned(), 2));
    }

    #[test]
    fn safe_fixes_only_by_default() {
        let text = r#"{"StartAt": "M", "States": {
  "M": {"Type": "Map", "End": true, "Iterator": {"StartAt": "W", "States": {"W": {"Type": "Pass", "Nxt": "W2"}, "W2": {"Type": "Succeed"}}}}
}}"#;
        let safe = fix_all(text, Dialect::Json, &Options::default(), false);
        assert_eq!(safe.status, Status::Converged);
        assert_eq!(safe.applied_rules, [&rules::deprecated_field::META]);
        assert!(safe.text.contains(r#""ItemProcessor": {"#), "{}", safe.text);
        assert!(safe.text.contains(r#""Nxt""#), "{}", safe.text);
        assert!(safe.unsafe_available > 0);

        let all = fix_all(text, Dialect::Json, &Options::default(), true);
        assert_eq!(all.status, Status::Converged);
        assert!(all.text.contains(r#""Next": "W2""#), "{}", all.text);
        assert_eq!(all.unsafe_available, 0);
        assert!(fixes(&all.text, Dialect::Json, &Options::default()).is_empty());
    }

    #[test]
    fn renames_never_make_duplicate_keys() {
        let text = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "Iterator": {"StartAt": "W", "States": {"W": {"Type": "Succeed"}}},
  "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Succeed"}}}}}}"#;
        let fixed = fix_all(text, Dialect::Json, &Options::default(), true);
        assert_eq!(fixed.text, text);
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x", "End": true, "TimeoutSeconds": 3, "TimeoutSecond": 4}}}"#;
        let fixed = fix_all(text, Dialect::Json, &Options::default(), true);
        assert!(
            !fixed.text.contains(r#""TimeoutSeconds": 4"#),
            "{}",
            fixed.text
        );
        // Nor a `Parameters` that is not a template into an `ItemSelector` (which must be one).
        let text = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "Parameters": "$.x",
  "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Succeed"}}}}}}"#;
        assert_eq!(
            fix_all(text, Dialect::Json, &Options::default(), true).text,
            text
        );
    }

    #[test]
    fn a_fix_that_adds_errors_is_rejected_and_the_others_applied() {
        // `End` in a Choice rule: "did you mean `And`?", which would be a worse error.
        let text = r#"{"StartAt": "C", "States": {
  "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "End": true}], "Default": "D"},
  "D": {"Type": "Pass", "Nxt": "E"},
  "E": {"Type": "Succeed"}}}"#;
        let fixed = fix_all(text, Dialect::Json, &Options::default(), true);
        assert_eq!(fixed.status, Status::Converged);
        assert!(fixed.text.contains(r#""End": true}"#), "{}", fixed.text);
        assert!(fixed.text.contains(r#""Next": "E""#), "{}", fixed.text);
        assert_eq!(fixed.rejected.len(), 1, "{:?}", fixed.rejected);
        // Judged against the final text (the `Nxt` fix applied), where it is still worse.
        assert_eq!(
            fixed.rejected[0].to_string(),
            "the unknown-field fix \"Rename the field to `And`\" was not applied: it would raise the error-level findings from 2 to 3; fix that finding by hand"
        );
    }

    #[test]
    fn two_catch_all_handlers_are_left_alone() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x", "TimeoutSeconds": 3, "End": true, "Catch": [
  {"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.e"},
  {"ErrorEquals": ["States.Timeout"], "Next": "F", "ResultPath": "$.e"},
  {"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.e"}]}, "F": {"Type": "Fail"}}}"#;
        let fixed = fix_all(text, Dialect::Json, &Options::default(), true);
        assert_eq!(fixed.status, Status::Converged);
        assert_eq!(fixed.text, text);
    }

    #[test]
    fn crlf_text_gets_crlf_lines() {
        let text = "{\r\n  \"StartAt\": \"A\",\r\n  \"States\": {\r\n    \"A\": {\r\n      \"Type\": \"Pass\"\r\n    }\r\n  }\r\n}\r\n";
        let fixed = fix_all(text, Dialect::Json, &Options::default(), true);
        assert!(
            fixed
                .text
                .contains("\"Type\": \"Pass\",\r\n      \"End\": true\r\n"),
            "{:?}",
            fixed.text
        );
        assert!(!fixed.text.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn yaml_is_fixed_in_yaml() {
        let text =
            "# flow\nStartAt: A\nStates:\n  A:\n    Type: Pass  # first\n  B:\n    Type: Succeed\n";
        let fixed = fix_all(text, Dialect::Yaml, &Options::default(), true);
        assert_eq!(
            fixed.text,
            "# flow\nStartAt: A\nStates:\n  A:\n    Type: Pass  # first\n    End: true\n  B:\n    Type: Succeed\n"
        );
        assert!(fixed.changed());
    }

    /// In a SAM template, the fixes of a definition written in place are edits of the
    /// template, in its YAML; a `DefinitionString`'s are written back into the string, in its
    /// quoting.
    #[test]
    fn templates_are_fixed_in_place_and_in_definition_strings() {
        let text = "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A:\n            Type: Pass\n            Next: Dnoe\n          Done:\n            Type: Succeed\n  Other:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: '{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Dnoe\"}, \"Done\": {\"Type\": \"Succeed\"}}}'\n";
        let fixed = fix_document_where(
            text,
            Dialect::Yaml,
            Document::Host(Host::CloudFormation),
            &Options::default(),
            true,
            &|_, d| vec![true; d.len()],
        );
        assert_eq!(fixed.status, Status::Converged);
        assert_eq!(fixed.applied, 2, "{}", fixed.text);
        assert_eq!(
            fixed.text,
            text.replacen("Next: Dnoe", "Next: Done", 1).replacen(
                "\"Next\": \"Dnoe\"",
                "\"Next\": \"Done\"",
                1
            )
        );
        assert!(fixed.diagnostics.iter().all(|d| d.code() != "ASL101"));
        // A JSON template's DefinitionString: the fix is JSON-escaped for the string.
        let json = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Dnoe\"}, \"Done\": {\"Type\": \"Succeed\"}}}"}}}}"#;
        let fixed = fix_document_where(
            json,
            Dialect::Json,
            Document::Host(Host::CloudFormation),
            &Options::default(),
            true,
            &|_, d| vec![true; d.len()],
        );
        assert_eq!(fixed.applied, 1, "{}", fixed.text);
        assert_eq!(fixed.text, json.replace(r#"\"Dnoe\""#, r#"\"Done\""#));
    }
}

#[cfg(test)]
mod terraform_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn fixed(text: &str) -> Fixed {
        fix_document_where(
            text,
            Dialect::Json,
            Document::Host(Host::Terraform),
            &Options::default(),
            true,
            &|_, d| vec![true; d.len()],
        )
    }

    #[test]
    fn terraform_files_are_fixed_in_their_syntax() {
        // HCL: in `jsonencode`, a string fixed inside its literal, an added member a line.
        let hcl = "resource \"aws_sfn_state_machine\" \"m\" {\n  definition = jsonencode({\n    StartAt = \"A\"\n    States = {\n      A = {\n        Type = \"Pass\"\n        Next = \"Bb\"\n      }\n      B = {\n        Type = \"Pass\"\n      }\n    }\n  })\n}\n";
        let out = fixed(hcl);
        assert_eq!(
            out.text,
            hcl.replace("\"Bb\"", "\"B\"").replace(
                "        Type = \"Pass\"\n      }\n    }",
                "        Type = \"Pass\"\n        End = true\n      }\n    }"
            ),
            "{}",
            out.text
        );
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        // Terraform's JSON syntax: inside the JSON string, HCL escaped for JSON.
        let json = r#"{"resource": {"aws_sfn_state_machine": {"x": {"definition": "${jsonencode({StartAt = \"A\", States = {A = {Type = \"Pass\", Next = \"Bb\"}, B = {Type = \"Succeed\"}}})}"}}}}"#;
        let out = fixed(json);
        assert_eq!(out.text, json.replace(r#"\"Bb\""#, r#"\"B\""#));
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }
}
