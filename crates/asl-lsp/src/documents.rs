//! The open documents. Mutated only under a synchronous lock, before any `.await`, so edits
//! apply in the order they arrive; readers take a [`Snapshot`] and never block writers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use asl_analyzer::Options;
use asl_analyzer::ide::{Analysis, HostAnalysis, TextShift};
use asl_syntax::{Dialect, DocumentKind, Host, LineIndex, Parse, TextRange, TextSize};

/// How a document is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A state machine in JSON (or JSONC / JSON5) or YAML: analysed.
    Asl(Dialect),
    /// A host document holding state machines (a CloudFormation/SAM template, a Serverless
    /// file): analysed per state machine ([`Snapshot::host_analysis`]).
    Host(Host, Dialect),
    /// Some other document (a JSON file that is not a state machine): ignored.
    Other,
}

/// The server's decision on a document, from its URI, language id and text: the classifier
/// the command line calls too ([`asl_syntax::classify()`]).
pub fn classify(uri: &str, language_id: &str, text: &str) -> Kind {
    classify_parsed(uri, language_id, text).0
}

/// [`classify`], with the parse made to decide (kept for the document's analysis or its
/// diagnostics, so the text is not parsed twice).
fn classify_parsed(uri: &str, language_id: &str, text: &str) -> (Kind, Option<Parse>) {
    let language_id = Some(language_id).filter(|id| !id.is_empty());
    // Classifying may parse; a crash in the parser is reported by the analysis (ASL999), which
    // catches it again, so the document is then taken for a state machine.
    let classified =
        std::panic::catch_unwind(|| asl_syntax::classify(Some(uri), language_id, text));
    let Ok(classified) = classified else {
        return (Kind::Asl(Dialect::from_path(uri)), None);
    };
    let class = classified.class;
    match class.kind {
        DocumentKind::StateMachine => (Kind::Asl(class.dialect), classified.parse),
        DocumentKind::Host(host) => (Kind::Host(host, class.dialect), classified.parse),
        DocumentKind::Other => (Kind::Other, None),
    }
}

/// One version of an open document.
pub struct Snapshot {
    pub version: i32,
    pub text: Arc<str>,
    pub index: Arc<LineIndex>,
    pub kind: Kind,
    analysis: Arc<OnceLock<Arc<Analysis>>>,
    /// The analysis of a host document's state machines, computed once.
    host: OnceLock<Arc<HostAnalysis>>,
    /// The latest well-formed analysis of an earlier version, for navigation while this
    /// version has a syntax error.
    last_good: Option<Arc<Analysis>>,
    /// The parse made when the document was classified, until its analysis (a state machine)
    /// or its diagnostics (a host document) use it.
    parse: Mutex<Option<Parse>>,
}

impl Snapshot {
    /// The analysis of this version, computed once (by whichever caller comes first).
    pub fn analysis(&self, options: &Options) -> Option<Arc<Analysis>> {
        let Kind::Asl(dialect) = self.kind else {
            return None;
        };
        Some(
            self.analysis
                .get_or_init(|| {
                    let analysis = match self.take_parse() {
                        Some(parse) => {
                            Analysis::with_parse(self.text.clone(), dialect, parse, options)
                        }
                        None => Analysis::new(self.text.clone(), dialect, options),
                    };
                    Arc::new(analysis)
                })
                .clone(),
        )
    }

    /// The parse made to classify this version, once.
    fn take_parse(&self) -> Option<Parse> {
        self.parse.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The analysis of a host document's state machines, computed once; `None` for any other
    /// document.
    pub fn host_analysis(&self, options: &Options) -> Option<Arc<HostAnalysis>> {
        let Kind::Host(host, dialect) = self.kind else {
            return None;
        };
        Some(
            self.host
                .get_or_init(|| {
                    let parse = self
                        .take_parse()
                        .unwrap_or_else(|| host.parse(&self.text, dialect));
                    Arc::new(HostAnalysis::new(
                        host,
                        self.text.clone(),
                        dialect,
                        parse,
                        options,
                    ))
                })
                .clone(),
        )
    }

    /// The analysis navigation uses: this version's if it parsed, else the last well-formed
    /// one with the shift from its text to this version's.
    pub fn navigation(&self, options: &Options) -> Option<Nav> {
        let current = self.analysis(options)?;
        if current.has_tree() {
            return Some(Nav {
                analysis: current,
                shift: None,
            });
        }
        let good = self.last_good.clone()?;
        let shift = TextShift::new(good.text(), &self.text);
        Some(Nav {
            analysis: good,
            shift: Some(shift),
        })
    }
}

/// An analysis and how to map positions of the current text into it.
pub struct Nav {
    pub analysis: Arc<Analysis>,
    shift: Option<TextShift>,
}

impl Nav {
    /// The analysis offset of a current-text offset (none inside a changed region).
    pub fn to_analysis(&self, offset: TextSize) -> Option<TextSize> {
        match &self.shift {
            None => Some(offset),
            Some(s) => s.to_old(offset),
        }
    }

    /// The current-text range of an analysis range.
    pub fn to_current(&self, range: TextRange) -> Option<TextRange> {
        match &self.shift {
            None => Some(range),
            Some(s) => s.range_to_new(range),
        }
    }

    /// True when positions come from an earlier, well-formed version.
    #[cfg(test)]
    pub fn is_stale(&self) -> bool {
        self.shift.is_some()
    }
}

struct Doc {
    snapshot: Arc<Snapshot>,
    language_id: String,
}

#[derive(Default)]
pub struct Documents {
    docs: Mutex<HashMap<String, Doc>>,
}

/// What an update did.
#[derive(Debug, PartialEq, Eq)]
pub enum Update {
    Applied,
    /// The version is older than the one held: ignored.
    Stale,
    /// The document is not open.
    Unknown,
}

impl Documents {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Doc>> {
        // A panic while holding the lock cannot leave the map half-updated (every mutation is
        // a single insert or remove), so a poisoned lock is still usable.
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn open(&self, uri: &str, language_id: &str, version: i32, text: String) {
        let (kind, parse) = classify_parsed(uri, language_id, &text);
        let mut snapshot = new_snapshot(version, text, kind, None);
        snapshot.parse = Mutex::new(parse);
        self.lock().insert(
            uri.to_owned(),
            Doc {
                snapshot: Arc::new(snapshot),
                language_id: language_id.to_owned(),
            },
        );
    }

    /// Replaces the text (full sync).
    pub fn change(&self, uri: &str, version: i32, text: String) -> Update {
        let Some(language_id) = self.lock().get(uri).map(|d| d.language_id.clone()) else {
            return Update::Unknown;
        };
        // Outside the lock: classifying may parse the text.
        let (fresh, parse) = classify_parsed(uri, &language_id, &text);
        let mut docs = self.lock();
        let Some(doc) = docs.get_mut(uri) else {
            return Update::Unknown;
        };
        if version < doc.snapshot.version {
            return Update::Stale;
        }
        let previous = &doc.snapshot;
        let kind = match (previous.kind, fresh) {
            // A JSON state machine stays one while it is broken mid-edit.
            (Kind::Asl(d), Kind::Other) => {
                if text.trim().is_empty() {
                    Kind::Other
                } else {
                    Kind::Asl(d)
                }
            }
            (_, kind) => kind,
        };
        let last_good = match previous.analysis.get() {
            Some(a) if a.has_tree() => Some(a.clone()),
            _ => previous.last_good.clone(),
        };
        let mut snapshot = new_snapshot(version, text, kind, last_good);
        if kind == fresh {
            snapshot.parse = Mutex::new(parse);
        }
        doc.snapshot = Arc::new(snapshot);
        Update::Applied
    }

    pub fn close(&self, uri: &str) -> bool {
        self.lock().remove(uri).is_some()
    }

    pub fn get(&self, uri: &str) -> Option<Arc<Snapshot>> {
        self.lock().get(uri).map(|d| d.snapshot.clone())
    }

    /// Drops every document's analysis (the configuration changed) and returns the documents
    /// with their versions, to analyse again.
    pub fn refresh(&self) -> Vec<(String, i32)> {
        let mut docs = self.lock();
        let mut out = Vec::new();
        for (uri, doc) in docs.iter_mut() {
            let previous = &doc.snapshot;
            doc.snapshot = Arc::new(new_snapshot(
                previous.version,
                previous.text.to_string(),
                previous.kind,
                None,
            ));
            out.push((uri.clone(), doc.snapshot.version));
        }
        out
    }

    /// The version now held for `uri`.
    pub fn version(&self, uri: &str) -> Option<i32> {
        self.lock().get(uri).map(|d| d.snapshot.version)
    }
}

fn new_snapshot(
    version: i32,
    text: String,
    kind: Kind,
    last_good: Option<Arc<Analysis>>,
) -> Snapshot {
    let index = Arc::new(LineIndex::new(&text));
    Snapshot {
        version,
        text: Arc::from(text),
        index,
        kind,
        analysis: Arc::new(OnceLock::new()),
        host: OnceLock::new(),
        last_good,
        parse: Mutex::new(None),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SM: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;

    #[test]
    fn picks_state_machines_only() {
        assert_eq!(
            classify("file:///x/a.asl.json", "json", "{}"),
            Kind::Asl(Dialect::Json)
        );
        assert_eq!(
            classify("file:///x/a.asl.jsonc", "jsonc", "{}"),
            Kind::Asl(Dialect::Jsonc)
        );
        assert_eq!(classify("untitled:1", "asl", ""), Kind::Asl(Dialect::Json));
        assert_eq!(
            classify("file:///x/a.asl.yaml", "yaml", ""),
            Kind::Asl(Dialect::Yaml)
        );
        let sam = "Resources:\n  A:\n    Type: AWS::Serverless::StateMachine\n";
        assert_eq!(
            classify("file:///x/template.yaml", "yaml", sam),
            Kind::Host(Host::CloudFormation, Dialect::Yaml)
        );
        assert_eq!(
            classify(
                "file:///x/stack.json",
                "json",
                r#"{"Resources": {"A": {"Type": "AWS::StepFunctions::StateMachine"}}}"#
            ),
            Kind::Host(Host::CloudFormation, Dialect::Json)
        );
        assert_eq!(
            classify("file:///x/ci.yaml", "yaml", "on: push\n"),
            Kind::Other
        );
        assert_eq!(
            classify("file:///x/pkg.json", "json", r#"{"name": "x"}"#),
            Kind::Other
        );
        assert_eq!(
            classify("file:///x/sm.json", "json", SM),
            Kind::Asl(Dialect::Json)
        );
        assert_eq!(classify("file:///x/sm.json", "plaintext", SM), Kind::Other);
        // A plain YAML state machine, as `check` reads it (the classifier is shared).
        assert_eq!(
            classify("file:///x/flow.yaml", "yaml", "StartAt: A\nStates: {}\n"),
            Kind::Asl(Dialect::Yaml)
        );
        assert_eq!(
            classify("untitled:Untitled-1", "yaml", "StartAt: A\nStates: {}\n"),
            Kind::Asl(Dialect::Yaml)
        );
    }

    #[test]
    fn a_state_machine_found_by_content_is_parsed_once() {
        let docs = Documents::default();
        let options = Options::default();
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n";
        docs.open("file:///flow.yaml", "yaml", 1, text.to_owned());
        let snap = docs.get("file:///flow.yaml").unwrap();
        assert!(snap.parse.lock().unwrap().is_some());
        let analysis = snap.analysis(&options).unwrap();
        assert!(snap.parse.lock().unwrap().is_none());
        let fresh = Analysis::new(text, Dialect::Yaml, &options);
        assert_eq!(analysis.diagnostics(), fresh.diagnostics());
        assert!(analysis.diagnostics().iter().any(|d| d.code() == "ASL101"));
    }

    #[test]
    fn a_template_is_parsed_once_for_its_analysis() {
        let docs = Documents::default();
        let options = Options::default();
        let sam = "Resources:\n  A:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: X\n        States: {}\n";
        docs.open("file:///t.yaml", "yaml", 1, sam.to_owned());
        let snap = docs.get("file:///t.yaml").unwrap();
        assert!(snap.parse.lock().unwrap().is_some());
        let first = snap.host_analysis(&options).unwrap().diagnostics().to_vec();
        assert!(snap.parse.lock().unwrap().is_none());
        // Computed once: the same findings.
        let again = snap.host_analysis(&options).unwrap().diagnostics().to_vec();
        assert!(!first.is_empty());
        assert_eq!(first, again);
        let edited = sam.replace("StartAt: X", "StartAt: Y");
        assert_eq!(docs.change("file:///t.yaml", 2, edited), Update::Applied);
        let snap = docs.get("file:///t.yaml").unwrap();
        assert!(snap.parse.lock().unwrap().is_some());
        let changed = snap.host_analysis(&options).unwrap().diagnostics().to_vec();
        assert!(
            changed.iter().any(|d| d.message.contains("`Y`")),
            "{changed:?}"
        );
        // Broken mid-edit it is read as a YAML state machine, as `check` reads it: its
        // syntax error is shown.
        let broken = sam.replace("States: {}", "States: {");
        assert_eq!(docs.change("file:///t.yaml", 3, broken), Update::Applied);
        let snap = docs.get("file:///t.yaml").unwrap();
        assert_eq!(snap.kind, Kind::Asl(Dialect::Yaml));
        let found = snap.analysis(&options).unwrap().diagnostics().to_vec();
        assert_eq!(found[0].code(), "ASL001", "{found:?}");
    }

    #[test]
    fn keeps_last_good_analysis_and_ignores_stale_versions() {
        let docs = Documents::default();
        let options = Options::default();
        docs.open("file:///sm.json", "json", 1, SM.to_owned());
        assert!(
            docs.get("file:///sm.json")
                .unwrap()
                .analysis(&options)
                .unwrap()
                .has_tree()
        );
        let broken = SM.replace("\"Succeed\"}", "\"Succeed\"");
        assert_eq!(docs.change("file:///sm.json", 2, broken), Update::Applied);
        let snap = docs.get("file:///sm.json").unwrap();
        assert_eq!(
            snap.kind,
            Kind::Asl(Dialect::Json),
            "still a state machine while broken"
        );
        let nav = snap.navigation(&options).unwrap();
        assert!(nav.is_stale());
        assert!(nav.analysis.has_tree());
        assert_eq!(
            docs.change("file:///sm.json", 1, SM.to_owned()),
            Update::Stale
        );
        assert_eq!(docs.version("file:///sm.json"), Some(2));
        assert_eq!(
            docs.change("file:///other.json", 1, SM.to_owned()),
            Update::Unknown
        );
        assert!(docs.close("file:///sm.json"));
        assert!(docs.get("file:///sm.json").is_none());
    }
}
