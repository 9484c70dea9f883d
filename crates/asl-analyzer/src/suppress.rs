//! Suppressions written in the definition itself: a `Comment` containing
//! `asl-lint-allow: rule[, rule] -- reason` silences those rules for that state (and the states
//! nested in it), or for the whole file in the top-level `Comment`. The reason is mandatory.
//!
//! Sources with comments (JSONC, JSON5, YAML, and JSON, which reports them) also take the
//! directive as a comment of its own: `// asl-lint-allow rule -- reason` (`#` in YAML, or a
//! `/* … */` block) standing on its own line(s) right before a state's key applies to that state;
//! one before the first key of the top-level object (or above the document) applies to the whole
//! file. Only whitespace and other comments may come between the directive and the key; a
//! directive comment anywhere else is reported and ignored.
//!
//! The config file's per-state ignores ([`crate::StateIgnore`]) go through the same filter, but
//! are not reported when they suppress nothing.

use asl_syntax::ast::Machine;
use asl_syntax::{Node, Parse, Property, TextRange, TextSize};

use crate::Options;
use crate::diagnostic::Diagnostic;
use crate::registry;
use crate::rule::RuleMeta;
use crate::rules::{unknown_rule, unused_suppression};

const MARKER: &str = "asl-lint-allow";

/// Where a directive was written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// In a `Comment` field.
    Field,
    /// In a source comment.
    Comment,
    /// The config file's `[[ignore]]`: never reported as unused.
    Config,
}

struct Directive {
    /// Where the suppression applies (the state's member, or the whole document).
    scope: TextRange,
    /// (rule, range of the name in the comment, used?)
    rules: Vec<(&'static RuleMeta, TextRange, bool)>,
    origin: Origin,
}

/// Applies the `Comment` and comment directives of `machine` to `diagnostics`, then reports
/// unused and malformed directives and unknown rule names.
pub(crate) fn apply(
    text: &str,
    parse: &Parse,
    machine: &Machine<'_>,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut directives = Vec::new();
    let mut findings = Vec::new();
    let root_comment = machine.root.get("Comment");
    let mut sink = Sink {
        options,
        directives: &mut directives,
        findings: &mut findings,
    };
    collect_field(text, root_comment, machine.root.range, &mut sink);
    for state in &machine.states {
        collect_field(text, state.fields.comment, state.prop.range(), &mut sink);
    }
    let anchors = std::cell::OnceCell::new();
    for (index, comment) in parse.comments.iter().enumerate() {
        collect_comment(text, *comment, index, &mut sink, || {
            anchors.get_or_init(|| Anchors::new(text, &parse.comments, machine))
        });
    }
    for ignore in &options.state_ignores {
        for state in &machine.states {
            if ignore.states.iter().any(|p| wildcard_match(p, state.name)) {
                directives.push(Directive {
                    scope: state.prop.range(),
                    rules: ignore
                        .rules
                        .iter()
                        .map(|rule| (*rule, TextRange::default(), false))
                        .collect(),
                    origin: Origin::Config,
                });
            }
        }
    }
    if directives.is_empty() && findings.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        if d.code().starts_with("ASL9") {
            return true;
        }
        let mut suppressed = false;
        for directive in directives.iter_mut() {
            if !directive.scope.contains_range(d.range) {
                continue;
            }
            for (rule, _, used) in directive.rules.iter_mut() {
                if *rule == d.rule {
                    *used = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
    for directive in &directives {
        let place = match directive.origin {
            Origin::Field => "the `Comment`",
            Origin::Comment => "the comment",
            Origin::Config => continue,
        };
        for (rule, range, used) in &directive.rules {
            let code = rule.code;
            if !used {
                findings.push(make(
                    options,
                    &unused_suppression::META,
                    *range,
                    format!(
                        "suppression of {code} suppressed nothing here; remove it from {place}"
                    ),
                ));
            }
        }
    }
    diagnostics.extend(findings.into_iter().flatten());
}

/// Where directives and findings about them go.
struct Sink<'o, 'v> {
    options: &'o Options,
    directives: &'v mut Vec<Directive>,
    findings: &'v mut Vec<Option<Diagnostic>>,
}

impl Sink<'_, '_> {
    fn report(&mut self, rule: &'static crate::rule::RuleMeta, range: TextRange, message: String) {
        self.findings.push(make(self.options, rule, range, message));
    }
}

fn make(
    options: &Options,
    rule: &'static crate::rule::RuleMeta,
    range: TextRange,
    message: String,
) -> Option<Diagnostic> {
    let severity = options.level(rule).severity()?;
    Some(Diagnostic::new(rule, severity, range, message))
}

/// An `asl-lint-allow` directive as written, with byte offsets into the text it was read from.
struct Written<'s> {
    /// The marker through the end of the directive: (offset, length).
    whole: (usize, usize),
    /// Each rule name and its offset.
    names: Vec<(&'s str, usize)>,
    has_reason: bool,
}

/// Reads the directive whose marker is at byte `at` of `source`.
fn read(source: &str, at: usize) -> Written<'_> {
    let after = source.get(at + MARKER.len()..).unwrap_or("");
    let rest = after.strip_prefix(':').unwrap_or(after);
    let list_start = at + MARKER.len() + (after.len() - rest.len());
    let (list, reason) = match rest.find("--") {
        Some(i) => (
            rest.get(..i).unwrap_or(""),
            rest.get(i + 2..).unwrap_or("").trim(),
        ),
        None => (rest, ""),
    };
    let mut names = Vec::new();
    let mut offset = list_start;
    for part in list.split(',') {
        let name = part.trim();
        let lead = part.len() - part.trim_start().len();
        if !name.is_empty() {
            names.push((name, offset + lead));
        }
        offset += part.len() + 1;
    }
    Written {
        whole: (at, MARKER.len() + after.trim_end().len()),
        names,
        has_reason: !reason.is_empty(),
    }
}

/// Turns a directive with a reason into a [`Directive`] over `scope`, reporting unknown rule
/// names; `place(offset, len)` is the source range of bytes of the directive's text.
fn add(
    written: &Written<'_>,
    scope: TextRange,
    origin: Origin,
    place: impl Fn(usize, usize) -> TextRange,
    sink: &mut Sink<'_, '_>,
) {
    let mut rules = Vec::new();
    for (name, offset) in &written.names {
        let range = place(*offset, name.len());
        match registry::find(name) {
            Some(rule) => rules.push((rule, range, false)),
            None => {
                let suggestion =
                    crate::names::did_you_mean(name, registry::RULES.iter().map(|r| r.meta.name));
                sink.report(
                    &unknown_rule::META,
                    range,
                    format!("`{name}` is not an asl-lint rule{suggestion}"),
                );
            }
        }
    }
    if !rules.is_empty() {
        sink.directives.push(Directive {
            scope,
            rules,
            origin,
        });
    }
}

/// The directive in a `Comment` field, if any.
fn collect_field(
    text: &str,
    comment: Option<&Property>,
    scope: TextRange,
    sink: &mut Sink<'_, '_>,
) {
    let Some(comment) = comment else { return };
    let Some(value) = comment.value.as_str() else {
        return;
    };
    let Some(at) = value.find(MARKER) else { return };
    let node = &comment.value;
    let written = read(value, at);
    if !written.has_reason {
        let (offset, len) = written.whole;
        sink.report(
            &unused_suppression::META,
            locate(text, node, offset, len),
            "this `asl-lint-allow` has no reason, so it is ignored; write `asl-lint-allow: <rule> -- <why>`".to_owned(),
        );
        return;
    }
    add(
        &written,
        scope,
        Origin::Field,
        |offset, len| locate(text, node, offset, len),
        sink,
    );
}

/// The directive in the source comment at `range` (one of the sorted `comments`), if it is one.
/// `anchors` is called only for a directive, so files without one never build them.
fn collect_comment<'x>(
    text: &str,
    range: TextRange,
    index: usize,
    sink: &mut Sink<'_, '_>,
    anchors: impl FnOnce() -> &'x Anchors,
) {
    let Some(raw) = text.get(std::ops::Range::<usize>::from(range)) else {
        return;
    };
    let (open, close) = if raw.starts_with("//") {
        ("//", "")
    } else if raw.starts_with("/*") {
        ("/*", " */")
    } else if raw.starts_with('#') {
        ("#", "")
    } else {
        return;
    };
    // Offsets into `body` are offsets into `raw`: it is a prefix.
    let body = match close {
        "" => raw,
        _ => raw.strip_suffix("*/").unwrap_or(raw),
    };
    let Some(directive) = body.get(open.len()..) else {
        return;
    };
    let trimmed = directive.trim_start();
    let Some(after) = trimmed.strip_prefix(MARKER) else {
        return;
    };
    // `asl-lint-allowed …` is prose, not a directive.
    if !(after.is_empty() || after.starts_with(':') || after.starts_with(char::is_whitespace)) {
        return;
    }
    let at = body.len() - trimmed.len();
    let written = read(body, at);
    let place = |offset: usize, len: usize| {
        TextRange::at(
            range.start() + TextSize::from(offset as u32),
            TextSize::from(len as u32),
        )
    };
    let (offset, len) = written.whole;
    let Some(scope) = anchors().scope(text, range, index) else {
        sink.report(
            &unused_suppression::META,
            place(offset, len),
            "this `asl-lint-allow` comment is not attached to a state, so it is ignored; put it on its own line right before the state's name (or before the first key of the file, for the whole file)".to_owned(),
        );
        return;
    };
    if !written.has_reason {
        sink.report(
            &unused_suppression::META,
            place(offset, len),
            format!("this `asl-lint-allow` comment has no reason, so it is ignored; write `{open} asl-lint-allow <rule> -- <why>{close}`"),
        );
        return;
    }
    add(&written, scope, Origin::Comment, place, sink);
}

/// What a directive comment can be attached to.
struct Anchors {
    /// For each comment, where the next token after it starts (skipping whitespace and the
    /// comments right after it).
    next: Vec<TextSize>,
    /// Each state's key start and member range, sorted by key start.
    keys: Vec<(TextSize, TextRange)>,
    /// Comments ending before this come before the top-level object's first key.
    first_key: TextSize,
    /// The whole text.
    file: TextRange,
}

impl Anchors {
    fn new(text: &str, comments: &[TextRange], machine: &Machine<'_>) -> Anchors {
        let file = TextRange::up_to(TextSize::of(text));
        // Backwards, so a run of comments is walked once, not once per comment in it.
        let mut next = vec![file.end(); comments.len()];
        for index in (0..comments.len()).rev() {
            let Some(end) = comments.get(index).map(|c| c.end()) else {
                continue;
            };
            let rest = text.get(usize::from(end)..).unwrap_or("");
            let at = end + TextSize::of(rest) - TextSize::of(rest.trim_start());
            let after = match comments.get(index + 1) {
                Some(following) if following.start() == at => {
                    next.get(index + 1).copied().unwrap_or(at)
                }
                _ => at,
            };
            if let Some(slot) = next.get_mut(index) {
                *slot = after;
            }
        }
        let mut keys: Vec<_> = machine
            .states
            .iter()
            .map(|state| (state.prop.key_range.start(), state.prop.range()))
            .collect();
        keys.sort_unstable_by_key(|(start, _)| *start);
        let root = machine.root;
        let first_key = root
            .as_object()
            .and_then(|props| props.first())
            .map_or(root.range.end(), |p| p.key_range.start());
        Anchors {
            next,
            keys,
            first_key,
            file,
        }
    }

    /// What the directive comment at `range` (comment number `index`) applies to: the state
    /// whose key comes next (with only whitespace and comments in between), or the whole text
    /// when it comes before the top-level object's first key. `None` when it follows other text
    /// on its line, or is anywhere else.
    fn scope(&self, text: &str, range: TextRange, index: usize) -> Option<TextRange> {
        let start = usize::from(range.start());
        let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let before = text.get(line_start..start)?;
        if !before.chars().all(|c| c.is_whitespace() || c == '\u{feff}') {
            return None;
        }
        if range.end() <= self.first_key {
            return Some(self.file);
        }
        let next = *self.next.get(index)?;
        let at = self.keys.partition_point(|(key, _)| *key < next);
        match self.keys.get(at) {
            Some((key, member)) if *key == next => Some(*member),
            _ => None,
        }
    }
}

/// Whether `name` matches `pattern`, where `*` matches any run of characters (also none) and
/// `?` exactly one; every other character matches itself.
pub fn wildcard_match(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // Classic greedy matching with one backtrack point (the last `*`).
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(c) if *c == '?' || Some(c) == name.get(n) => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

/// The source range of `len` bytes at byte `at` of a string node's value: exact through
/// escapes and YAML folding ([`asl_syntax::string_range`]), on whole characters.
fn locate(text: &str, node: &Node, at: usize, len: usize) -> TextRange {
    asl_syntax::string_range(text, node, at..at + len)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::{Options, StateIgnore, analyze};
    use asl_syntax::Dialect;

    #[test]
    fn directive_ranges_in_strings_with_escapes_or_folding_are_whole_characters() {
        // Escapes before and inside the directive, and YAML folding over lines: the ranges are
        // mapped through them, never splitting a character (found by fuzzing).
        let json = |comment: &str| {
            format!(
                r#"{{"Comment": "{comment}", "StartAt": "A", "States": {{"A": {{"Type": "Pass", "End": true}}}}}}"#
            )
        };
        let texts = [
            (json(r"\u00e9\t asl-lint-allow: nopé"), Dialect::Json),
            (json(r"asl-lint-allow: n\u00e9pé -- \\ éé"), Dialect::Json),
            (
                "Comment: \"ééé\\t\n  asl-lint-allow: nopé\n  ééé\"\nStartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n".to_owned(),
                Dialect::Yaml,
            ),
            (
                "Comment: 'ééé''\n  asl-lint-allow: nopé\n  ééé'\nStartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n".to_owned(),
                Dialect::Yaml,
            ),
        ];
        for (text, dialect) in &texts {
            let found = analyze(text, *dialect, &Options::default());
            assert!(
                found
                    .iter()
                    .any(|d| matches!(d.code(), "ASL901" | "ASL902")),
                "{text}: {found:?}"
            );
            for d in &found {
                for r in std::iter::once(d.range).chain(d.labels.iter().map(|l| l.range)) {
                    let (start, end) = (usize::from(r.start()), usize::from(r.end()));
                    assert!(
                        end <= text.len()
                            && text.is_char_boundary(start)
                            && text.is_char_boundary(end),
                        "{text}: {d:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("Old*", "OldPoller"));
        assert!(wildcard_match("Old*", "Old"));
        assert!(!wildcard_match("Old*", "NewOld"));
        assert!(wildcard_match("*Poll?r", "LegacyPoller"));
        assert!(!wildcard_match("*Poll?r", "LegacyPollr"));
        assert!(wildcard_match("a*b*c", "axxbyybzc"));
        assert!(!wildcard_match("a*b*c", "axxbyy"));
        assert!(wildcard_match("Exact", "Exact"));
        assert!(!wildcard_match("Exact", "Exactly"));
        assert!(wildcard_match("*", ""));
    }

    const TEXT: &str = r#"{"StartAt": "OldWait", "States": {
        "OldWait": {"Type": "Wait", "Next": "Missing"},
        "Other": {"Type": "Succeed"}}}"#;

    fn codes(options: &Options) -> Vec<&'static str> {
        analyze(TEXT, Dialect::Json, options)
            .iter()
            .map(|d| d.code())
            .collect()
    }

    /// (code, the text under the diagnostic, message) of every finding.
    fn findings(text: &str, dialect: Dialect) -> Vec<(&'static str, String, String)> {
        analyze(text, dialect, &Options::default())
            .into_iter()
            .map(|d| (d.code(), text[d.range].to_owned(), d.message))
            .collect()
    }

    fn codes_of(text: &str, dialect: Dialect) -> Vec<&'static str> {
        findings(text, dialect).into_iter().map(|f| f.0).collect()
    }

    /// `OldWait` goes to a missing state (ASL101) and `Other` is unreachable (ASL103).
    fn machine(before_old: &str, before_other: &str) -> String {
        format!(
            "{{\n  \"StartAt\": \"OldWait\",\n  \"States\": {{\n    {before_old}\n    \"OldWait\": {{\"Type\": \"Wait\", \"Seconds\": 1, \"Next\": \"Missing\"}},\n    {before_other}\n    \"Other\": {{\"Type\": \"Succeed\"}}\n  }}\n}}\n"
        )
    }

    #[test]
    fn a_line_comment_before_a_state_key_suppresses_for_that_state() {
        let plain = machine("", "");
        assert_eq!(codes_of(&plain, Dialect::Jsonc), vec!["ASL101", "ASL103"]);
        let text = machine(
            "// asl-lint-allow: unknown-target -- added by the deploy script",
            "",
        );
        assert_eq!(codes_of(&text, Dialect::Jsonc), vec!["ASL103"]);
        // Without the colon, by code, and in a strict JSON file (which reports the comment).
        let text = machine("// asl-lint-allow ASL101 -- added by the deploy script", "");
        assert_eq!(codes_of(&text, Dialect::Json), vec!["ASL003", "ASL103"]);
        // Only that state: Other's finding stays, and the directive is not carried to it.
        let text = machine("", "// asl-lint-allow ASL101 -- not here");
        let found = findings(&text, Dialect::Jsonc);
        let codes: Vec<_> = found.iter().map(|f| f.0).collect();
        assert_eq!(codes, vec!["ASL101", "ASL901", "ASL103"]);
        assert_eq!(found[1].1, "ASL101");
        assert_eq!(
            found[1].2,
            "suppression of ASL101 suppressed nothing here; remove it from the comment"
        );
    }

    #[test]
    fn block_comments_stacked_comments_and_blank_lines() {
        let text = machine(
            "/* asl-lint-allow ASL101,\n       unreachable-state -- one block\n       over lines */",
            "",
        );
        let found = findings(&text, Dialect::Jsonc);
        // ASL103 is Other's, outside OldWait: unused there.
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "ASL901");
        assert_eq!(found[0].1, "unreachable-state");
        assert_eq!(found[1].0, "ASL103");
        let text = machine(
            "// asl-lint-allow ASL101 -- first\n    // an ordinary comment\n\n    /* asl-lint-allow ASL101 -- second */",
            "",
        );
        let found = findings(&text, Dialect::Jsonc);
        // Both apply to OldWait; both are used.
        assert_eq!(codes_of(&text, Dialect::Jsonc), vec!["ASL103"], "{found:?}");
    }

    #[test]
    fn json5_and_yaml_comments() {
        let json5 = "{StartAt: 'A', States: {\n  // asl-lint-allow ASL101 -- later\n  A: {Type: 'Pass', Next: 'Missing'},\n}}";
        // ASL104: the machine has no terminal state.
        assert_eq!(codes_of(json5, Dialect::Json5), vec!["ASL104"]);
        let yaml = "StartAt: A\nStates:\n  # asl-lint-allow unknown-target -- later\n  A:\n    Type: Pass\n    Next: Missing\n  B:\n    Type: Succeed\n";
        assert_eq!(codes_of(yaml, Dialect::Yaml), vec!["ASL103"]);
        // Quoted key; the comment indented differently from the key.
        let yaml = "StartAt: A\nStates:\n# asl-lint-allow ASL101 -- later\n  \"A\":\n    Type: Pass\n    Next: Missing\n";
        assert_eq!(codes_of(yaml, Dialect::Yaml), vec!["ASL104"]);
        // A `#` line inside a block scalar is text, not a directive for B.
        let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Missing\n    Result: |\n      # asl-lint-allow ASL103 -- text\n  B:\n    Type: Succeed\n";
        assert_eq!(codes_of(yaml, Dialect::Yaml), vec!["ASL101", "ASL103"]);
    }

    #[test]
    fn at_the_top_a_comment_covers_the_whole_file() {
        let body = machine("", "");
        let above = format!("// asl-lint-allow ASL101, ASL103 -- a fragment\n{body}");
        assert!(codes_of(&above, Dialect::Jsonc).is_empty());
        let inside = body.replacen(
            "{\n",
            "{\n  /* asl-lint-allow ASL101, ASL103 -- a fragment */\n",
            1,
        );
        assert!(codes_of(&inside, Dialect::Jsonc).is_empty());
        let bom = format!("\u{feff}{above}");
        assert!(codes_of(&bom, Dialect::Jsonc).is_empty());
        let yaml = "---\n# asl-lint-allow ASL101, ASL104 -- a fragment\nStartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Missing\n";
        assert!(codes_of(yaml, Dialect::Yaml).is_empty());
        // After the first key it is not at the top any more.
        let late = body.replacen(
            "\"States\"",
            "// asl-lint-allow ASL101 -- too late\n  \"States\"",
            1,
        );
        assert!(codes_of(&late, Dialect::Jsonc).contains(&"ASL901"));
    }

    #[test]
    fn malformed_and_detached_comments_are_reported_exactly() {
        let text = machine("// asl-lint-allow ASL101  ", "");
        let found = findings(&text, Dialect::Jsonc);
        // The directive comes first, and is ignored: nothing is suppressed.
        assert_eq!(found[0].0, "ASL901");
        assert_eq!(found[1].0, "ASL101");
        assert_eq!(found[0].1, "asl-lint-allow ASL101");
        assert_eq!(
            found[0].2,
            "this `asl-lint-allow` comment has no reason, so it is ignored; write `// asl-lint-allow <rule> -- <why>`"
        );
        let yaml =
            "StartAt: A\nStates:\n  # asl-lint-allow: ASL101\n  A: {Type: Pass, End: true}\n";
        let found = findings(yaml, Dialect::Yaml);
        assert_eq!(found[0].1, "asl-lint-allow: ASL101");
        assert!(
            found[0]
                .2
                .ends_with("write `# asl-lint-allow <rule> -- <why>`")
        );

        let text = machine("// asl-lint-allow unknown-targets, ASL101 -- typo", "");
        let found = findings(&text, Dialect::Jsonc);
        assert_eq!(found[0].0, "ASL902");
        assert_eq!(found[0].1, "unknown-targets");
        assert_eq!(
            found[0].2,
            "`unknown-targets` is not an asl-lint rule; did you mean `unknown-target`?"
        );
        assert_eq!(found.len(), 2, "the known name still applies: {found:?}");

        let detached = [
            // After other text on its line.
            machine("", "").replacen(
                "\"Missing\"},",
                "\"Missing\"}, // asl-lint-allow ASL101 -- trailing",
                1,
            ),
            // Inside the state, before a field.
            machine("", "").replacen(
                "\"OldWait\": {",
                "\"OldWait\": {\n      // asl-lint-allow ASL101 -- inside\n      ",
                1,
            ),
            // At the end.
            machine("", "") + "// asl-lint-allow ASL101 -- at the end",
        ];
        for text in &detached {
            let found = findings(text, Dialect::Jsonc);
            let codes: Vec<_> = found.iter().map(|f| f.0).collect();
            assert!(codes.contains(&"ASL101"), "{text}: {found:?}");
            let d = found.iter().find(|f| f.0 == "ASL901").unwrap();
            assert!(d.1.starts_with("asl-lint-allow ASL101 -- "), "{d:?}");
            assert!(d.2.contains("is not attached to a state"), "{d:?}");
        }
    }

    #[test]
    fn other_comments_are_not_directives() {
        for comment in [
            "// asl-lint-allowed once",
            "// see asl-lint-allow in the README",
            "/**/",
            "//",
        ] {
            let text = machine(comment, "");
            assert_eq!(codes_of(&text, Dialect::Jsonc), vec!["ASL101", "ASL103"]);
        }
    }

    #[test]
    fn the_comment_field_directive_without_a_reason_is_underlined_whole() {
        let text = r#"{"Comment": "asl-lint-allow: duplicate-key", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
        let found = findings(text, Dialect::Json);
        assert_eq!(found[0].1, "asl-lint-allow: duplicate-key");
    }

    #[test]
    fn config_ignores_silence_matching_states_only_and_are_never_unused() {
        let plain = codes(&Options::default());
        assert!(plain.contains(&"ASL101"), "{plain:?}");
        let mut options = Options::default();
        options.state_ignores.push(StateIgnore {
            states: vec!["Old*".to_owned()],
            rules: vec![&crate::rules::unknown_target::META],
        });
        // ASL102 unreachable (Other) is not in the list: an ignore of another rule is unused.
        options.state_ignores.push(StateIgnore {
            states: vec!["Nothing*".to_owned()],
            rules: vec![&crate::rules::unknown_target::META],
        });
        let ignored = codes(&options);
        assert!(!ignored.contains(&"ASL101"), "{ignored:?}");
        assert!(!ignored.contains(&"ASL901"), "{ignored:?}");
        assert_eq!(ignored.len() + 1, plain.len(), "{plain:?} {ignored:?}");
        let mut other = Options::default();
        other.state_ignores.push(StateIgnore {
            states: vec!["Other".to_owned()],
            rules: vec![&crate::rules::unknown_target::META],
        });
        assert_eq!(codes(&other), plain);
    }
}
