//! The diagnostic model shared by the CLI and the language server.

use asl_syntax::TextRange;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The configured level of a rule: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Off => "off",
        }
    }

    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// A secondary location with its own message ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub range: TextRange,
    pub message: String,
}

/// One finding of one rule at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule code, e.g. `ASL101`.
    pub code: &'static str,
    /// The rule name, e.g. `unknown-target`.
    pub rule: &'static str,
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
}

impl Diagnostic {
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
