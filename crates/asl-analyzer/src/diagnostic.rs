//! The diagnostic model shared by the CLI and the language server.

use asl_syntax::TextRange;

use crate::rule::RuleMeta;
pub use crate::severity::{Level, Severity};

/// A secondary location with its own message ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub range: TextRange,
    pub message: String,
}

/// A text replacement: `range` of the analysed text becomes `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }
}

/// Whether `asl-lint check --fix` may apply a fix without the user reading it (ruff's model): a
/// safe fix cannot change the behaviour of a definition that AWS accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Applied by `--fix`: the result behaves as the author wrote it.
    Safe,
    /// Applied by `--fix --unsafe-fixes` only: it changes what the definition does, or picks
    /// one of several meanings.
    Unsafe,
    /// Offered in the editor only, never applied by `--fix` (the suppressions).
    Manual,
}

/// A fix of one diagnostic, attached by the rule that reports it: the editor offers it as a
/// quick fix, `check --fix` applies it as its [`Applicability`] allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, in the imperative: "Rename `Iterator` to `ItemProcessor`".
    pub title: String,
    pub applicability: Applicability,
    /// Replacements in the analysed text; they do not overlap.
    pub edits: Vec<Edit>,
    /// The best of the diagnostic's fixes: editors apply it with one key, `--fix` applies it.
    pub preferred: bool,
}

impl Fix {
    /// A fix of one edit, preferred.
    pub fn new(title: impl Into<String>, applicability: Applicability, edit: Edit) -> Fix {
        Fix {
            title: title.into(),
            applicability,
            edits: vec![edit],
            preferred: true,
        }
    }

    /// The same fix, offered but not preferred: one choice among several, or one an editor
    /// should not apply with a single key.
    pub fn alternative(self) -> Fix {
        Fix {
            preferred: false,
            ..self
        }
    }
}

/// One finding of one rule at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that reported it (its code and name are strings for the edges only).
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// One line that names the state and says how to fix it.
    pub message: String,
    /// The primary range: the offending value, else key, else the state's name.
    pub range: TextRange,
    /// The JSON Pointer of the node at `range` (`/States/Fetch/Next`).
    pub pointer: String,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    /// The range is dead code (an unreachable state): editors grey it out.
    pub unnecessary: bool,
    /// The fixes its rule offers, the preferred first (none for a definition decoded from a
    /// string, such as a `DefinitionString`: its edits would be of the decoded text).
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A finding of `rule` with no labels, notes or fixes.
    pub fn new(
        rule: &'static RuleMeta,
        severity: Severity,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            range,
            pointer: String::new(),
            labels: Vec::new(),
            notes: Vec::new(),
            unnecessary: false,
            fixes: Vec::new(),
        }
    }

    /// The rule code, e.g. `ASL101`.
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// The rule name, e.g. `unknown-target`.
    pub fn name(&self) -> &'static str {
        self.rule.name
    }

    /// Whether `rule` reported it.
    pub fn is(&self, rule: &RuleMeta) -> bool {
        self.rule == rule
    }

    /// The fix `check --fix` applies: the preferred one, else the first.
    pub fn fix(&self) -> Option<&Fix> {
        self.fixes
            .iter()
            .find(|f| f.preferred)
            .or(self.fixes.first())
    }

    /// Attaches a fix (the preferred ones first, in the order given).
    pub fn with_fix(&mut self, fix: Fix) -> &mut Self {
        if fix.preferred {
            let at = self.fixes.iter().take_while(|f| f.preferred).count();
            self.fixes.insert(at, fix);
        } else {
            self.fixes.push(fix);
        }
        self
    }

    /// Adds a secondary label.
    pub fn label(&mut self, range: TextRange, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            range,
            message: message.into(),
        });
        self
    }

    /// Adds a note shown under the diagnostic.
    pub fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }

    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }

    pub fn unnecessary(&mut self) -> &mut Self {
        self.unnecessary = true;
        self
    }
}
