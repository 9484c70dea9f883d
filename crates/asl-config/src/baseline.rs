//! The baseline file (`asl-lint check --baseline FILE`): the findings a code base already has,
//! written once, so that a run reports only the new ones. This module is the one place that
//! decides which findings a baseline holds: `asl-lint check` and the language server both call
//! [`Baseline::classify`]. [`read`] reads the file; writing it is the command line's.
//!
//! A finding is keyed by its rule code, its file (relative to the baseline's folder, with `/`),
//! its JSON Pointer (`/States/Fetch/Next`; inside a CloudFormation/SAM template it starts at the
//! resource, `/Resources/Flow/Properties/Definition/States/...`, so the definitions of one
//! template are told apart) and a [`fingerprint`] of its rule, message and source text, never of
//! its line or column: inserting lines above a finding, or reordering states, leaves it known.
//! Entries count (a multiset): two identical findings need an entry of `count` 2.
//!
//! Two rules are never baselined: `invalid-json` (a file that does not parse is not checked at
//! all, so hiding it would hide everything) and `internal-error`.
//!
//! The file is JSON, sorted, one entry per line group, with a `version`:
//! ```json
//! {
//!   "version": 1,
//!   "files": {
//!     "flows/order.asl.json": [
//!       {
//!         "rule": "ASL101",
//!         "pointer": "/States/Fetch/Next",
//!         "fingerprint": "3f2a9c0d1e4b5a67",
//!         "count": 1,
//!         "message": "..."
//!       }
//!     ]
//!   }
//! }
//! ```
//! `message` is for the reader of the file (what a pull request accepts); matching uses the
//! fingerprint, which covers it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path};

use asl_analyzer::Diagnostic;
use serde::{Deserialize, Serialize};

/// The format version this build reads and writes.
pub const VERSION: u32 = 1;

/// The rules whose findings are never baselined (always reported).
pub const NEVER_BASELINED: [&str; 2] = ["invalid-json", "internal-error"];

/// A baseline: per file (relative to the baseline's folder, `/` separators), its entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub files: BTreeMap<String, Vec<Entry>>,
}

/// The findings of one key in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The rule code, `ASL101`.
    pub rule: String,
    /// The finding's JSON Pointer; empty for a finding of the whole file.
    pub pointer: String,
    /// [`fingerprint`], 16 hexadecimal digits.
    pub fingerprint: String,
    /// How many findings of this key the file has.
    pub count: usize,
    /// The message of (the first of) them, for the reader.
    #[serde(default)]
    pub message: String,
}

/// The file as written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    version: u32,
    files: BTreeMap<String, Vec<Entry>>,
}

/// What [`Baseline::classify`] says of one file's findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classified {
    /// Parallel to the findings: whether the baseline holds (hides) each.
    pub hidden: Vec<bool>,
    /// The file's entries (counted) that match no finding: fixed since, or changed.
    pub stale: usize,
}

/// The key of one finding, without its file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    rule: String,
    pointer: String,
    fingerprint: String,
}

/// Whether a finding may be baselined (see [`NEVER_BASELINED`]).
pub fn baselinable(diagnostic: &Diagnostic) -> bool {
    !NEVER_BASELINED.contains(&diagnostic.name())
}

/// The fingerprint of a finding in `text`: FNV-1a (64 bits) of its rule code, its message and
/// the source text of its primary range with every run of whitespace made one space (so
/// re-indenting or a CRLF checkout leaves it). No position is hashed. Stable across builds and
/// platforms (a test pins a value).
pub fn fingerprint(diagnostic: &Diagnostic, text: &str) -> String {
    let source = text
        .get(usize::from(diagnostic.range.start())..usize::from(diagnostic.range.end()))
        .unwrap_or_default();
    fingerprint_of(diagnostic.code(), &diagnostic.message, source)
}

/// [`fingerprint`] of its three parts.
pub fn fingerprint_of(code: &str, message: &str, source: &str) -> String {
    let mut hash = Fnv1a::new();
    hash.write(code.as_bytes());
    hash.write(&[0]);
    hash.write(message.as_bytes());
    hash.write(&[0]);
    for (i, word) in source.split_whitespace().enumerate() {
        if i > 0 {
            hash.write(b" ");
        }
        hash.write(word.as_bytes());
    }
    format!("{:016x}", hash.0)
}

/// FNV-1a, 64 bits: small, and defined by its constants (std's hashers are not stable).
struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Fnv1a {
        Fnv1a(Fnv1a::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Fnv1a::PRIME);
        }
    }
}

fn key_of(diagnostic: &Diagnostic, text: &str) -> Key {
    Key {
        rule: diagnostic.code().to_owned(),
        pointer: diagnostic.pointer.clone(),
        fingerprint: fingerprint(diagnostic, text),
    }
}

/// The entries of one file's findings (those that may be baselined), counted and sorted.
pub fn entries(text: &str, diagnostics: &[Diagnostic]) -> Vec<Entry> {
    let mut counted: BTreeMap<Key, (usize, &str)> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| baselinable(d)) {
        counted
            .entry(key_of(d, text))
            .or_insert((0, d.message.as_str()))
            .0 += 1;
    }
    counted
        .into_iter()
        .map(|(key, (count, message))| Entry {
            rule: key.rule,
            pointer: key.pointer,
            fingerprint: key.fingerprint,
            count,
            message: message.to_owned(),
        })
        .collect()
}

impl Baseline {
    /// Reads a baseline file's text; the error is one line, without the file name.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            format!("not valid JSON: {e}; fix it, or write it again with `--update-baseline`")
        })?;
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "it is of format version {v}, but this asl-lint reads version {VERSION}; write it again with `--update-baseline`"
                ));
            }
            None => {
                return Err(
                    "not an asl-lint baseline: no `version` number at the top level".to_owned(),
                );
            }
        }
        let raw: RawBaseline =
            serde_json::from_value(value).map_err(|e| format!("not an asl-lint baseline: {e}"))?;
        let mut files = raw.files;
        for (file, entries) in &mut files {
            if let Some(bad) = entries.iter().find(|e| e.count == 0) {
                return Err(format!(
                    "not an asl-lint baseline: the entry of `{}` at `{}` in `{file}` has count 0",
                    bad.rule, bad.pointer
                ));
            }
            entries.sort();
        }
        files.retain(|_, entries| !entries.is_empty());
        Ok(Baseline { files })
    }

    /// The file's text: pretty JSON, files and entries sorted, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut files = self.files.clone();
        files.retain(|_, entries| !entries.is_empty());
        for entries in files.values_mut() {
            entries.sort();
        }
        let raw = RawBaseline {
            version: VERSION,
            files,
        };
        let mut text = serde_json::to_string_pretty(&raw).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The number of findings it holds, and of files.
    pub fn counts(&self) -> (usize, usize) {
        let findings = self
            .files
            .values()
            .flatten()
            .fold(0usize, |n, e| n.saturating_add(e.count));
        let files = self.files.values().filter(|e| !e.is_empty()).count();
        (findings, files)
    }

    /// Which of `diagnostics` (of `file`, keyed as [`relative_key`] makes it, whose text is
    /// `text`) the baseline holds, matched as a multiset: an entry of count N hides N findings
    /// of its key, the first N in order. Findings of [`NEVER_BASELINED`] rules are never hidden.
    pub fn classify(&self, file: &str, text: &str, diagnostics: &[Diagnostic]) -> Classified {
        let mut left: HashMap<Key, usize> = HashMap::new();
        for e in self.files.get(file).into_iter().flatten() {
            let key = Key {
                rule: e.rule.clone(),
                pointer: e.pointer.clone(),
                fingerprint: e.fingerprint.clone(),
            };
            let n = left.entry(key).or_default();
            *n = n.saturating_add(e.count);
        }
        let hidden = diagnostics
            .iter()
            .map(|d| {
                if !baselinable(d) {
                    return false;
                }
                match left.get_mut(&key_of(d, text)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        true
                    }
                    _ => false,
                }
            })
            .collect();
        Classified {
            hidden,
            stale: left.values().fold(0usize, |n, m| n.saturating_add(*m)),
        }
    }

    /// The entries of `file` (counted).
    pub fn count_of(&self, file: &str) -> usize {
        self.files
            .get(file)
            .into_iter()
            .flatten()
            .fold(0usize, |n, e| n.saturating_add(e.count))
    }
}

/// Why a baseline file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// It could not be read (the IO error's message).
    Io(String),
    /// It is not a baseline of this version ([`Baseline::parse`]'s message).
    Invalid(String),
}

/// Reads the baseline file at `path`: `Ok(None)` when there is none.
pub fn read(path: &Path) -> Result<Option<Baseline>, ReadError> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(ReadError::Io("it is a directory".to_owned()));
    }
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| "not UTF-8 text".to_owned())
            .and_then(|text| Baseline::parse(&text))
            .map(Some)
            .map_err(ReadError::Invalid),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(ReadError::Io(crate::io_message(&err))),
    }
}

/// The key of `file` in a baseline kept in folder `base`: its path relative to `base`, with
/// `/` separators (`..` when it is outside). Both paths absolute and lexically normal (as
/// [`crate::absolute`] makes them); on another drive or root, the file's own path.
pub fn relative_key(base: &Path, file: &Path) -> String {
    let ours: Vec<Component<'_>> = base.components().collect();
    let theirs: Vec<Component<'_>> = file.components().collect();
    let common = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return file.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = Vec::new();
    for _ in common..ours.len() {
        parts.push("..".to_owned());
    }
    for c in theirs.get(common..).unwrap_or_default() {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn fnv1a_is_the_published_function() {
        // The reference values of FNV-1a 64 (draft-eastlake-fnv).
        let of = |s: &str| {
            let mut h = Fnv1a::new();
            h.write(s.as_bytes());
            h.0
        };
        assert_eq!(of(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(of("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(of("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprints_are_pinned() {
        // A change of this value makes every user's baseline stale: bump VERSION with it.
        let pinned = fingerprint_of(
            "ASL101",
            "`Next` of `Fetch` names `Gone`, which is not a state",
            "\"Gone\"",
        );
        assert_eq!(pinned, "db92074711caac13");
        // Whitespace runs count as one space; leading and trailing ones not at all.
        let spaced = fingerprint_of("ASL011", "m", "{\n    \"A\":  1\r\n}");
        assert_eq!(spaced, fingerprint_of("ASL011", "m", "  { \"A\": 1 }\n"));
        assert_ne!(spaced, fingerprint_of("ASL011", "m", "{\"A\":1}"));
        // Each part counts, and the parts do not run into each other.
        assert_ne!(
            fingerprint_of("ASL01", "1m", "x"),
            fingerprint_of("ASL011", "m", "x")
        );
    }

    fn finding(code: &str, at: std::ops::Range<u32>, message: &str) -> Diagnostic {
        let rule = asl_analyzer::registry::find(code).unwrap();
        let range = asl_syntax::TextRange::new(at.start.into(), at.end.into());
        let mut d = Diagnostic::new(rule, asl_analyzer::Severity::Error, range, message);
        d.pointer = "/States/A".to_owned();
        d
    }

    #[test]
    fn identical_findings_match_as_a_multiset() {
        let text = "xx Gone yy Gone";
        let two = [finding("ASL101", 3..7, "m"), finding("ASL101", 11..15, "m")];
        // One key, counted twice; the positions are not part of it.
        let entries = entries(text, &two);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].count, 2);
        let mut baseline = Baseline::default();
        baseline.files.insert("f".to_owned(), entries.clone());
        let all = baseline.classify("f", text, &two);
        assert_eq!((all.hidden, all.stale), (vec![true, true], 0));
        // A third identical finding is new; another file's findings are all new.
        let three = [two[0].clone(), two[1].clone(), two[0].clone()];
        let more = baseline.classify("f", text, &three);
        assert_eq!((more.hidden, more.stale), (vec![true, true, false], 0));
        let other = baseline.classify("g", text, &two);
        assert_eq!(other.hidden, vec![false, false]);
        // One fixed: one entry left over.
        let one = baseline.classify("f", text, &two[..1]);
        assert_eq!((one.hidden, one.stale), (vec![true], 1));
        // Another message or source text is another key.
        let changed = [finding("ASL101", 0..2, "m"), finding("ASL101", 3..7, "n")];
        assert_eq!(
            baseline.classify("f", text, &changed).hidden,
            [false, false]
        );
        // Parse errors and internal errors are never baselined.
        let broken = [finding("ASL001", 3..7, "m"), finding("ASL999", 3..7, "m")];
        assert!(super::entries(text, &broken).is_empty());
        // The file round-trips.
        assert_eq!(Baseline::parse(&baseline.to_json()).unwrap(), baseline);
    }

    #[test]
    fn relative_keys_use_slashes() {
        let base = Path::new("/repo");
        assert_eq!(
            relative_key(base, Path::new("/repo/flows/a.asl.json")),
            "flows/a.asl.json"
        );
        assert_eq!(
            relative_key(Path::new("/repo/ci"), Path::new("/repo/flows/a.asl.json")),
            "../flows/a.asl.json"
        );
    }

    #[test]
    fn corrupt_files_are_one_line_errors() {
        for (text, expected) in [
            ("{", "not valid JSON"),
            ("[]", "no `version`"),
            (r#"{"version": 9, "files": {}}"#, "format version 9"),
            (r#"{"version": 1}"#, "missing field `files`"),
            (
                r#"{"version": 1, "files": {"a": [{"rule": "X", "pointer": "", "fingerprint": "0", "count": 0}]}}"#,
                "count 0",
            ),
        ] {
            let err = Baseline::parse(text).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
        let empty = Baseline::parse(r#"{"version": 1, "files": {}}"#).unwrap();
        assert_eq!(empty, Baseline::default());
        assert_eq!(Baseline::parse(&empty.to_json()).unwrap(), empty);
    }
}
