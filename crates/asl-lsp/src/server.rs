//! The language server: LSP requests and notifications, answered by the analyzer's `ide` API.
//!
//! Concurrency: document changes are applied under a synchronous lock before the handler
//! first awaits, so they apply in arrival order. Analysis runs on threads of its own
//! ([`blocking`], with the stack the readers' depth bound needs), once per version (shared by
//! the diagnostics task and any request that needs it); a version that is
//! replaced before its analysis starts is never analysed. Diagnostics are published under an
//! async lock and only while their version is still the document's, so a stale result never
//! reaches the editor. Every handler's work runs inside [`blocking`], which also catches
//! panics: a panic becomes an error answer and the server lives on.
//!
//! Configuration: each document is analysed with the `asl-lint.toml` (or `.asl-lint.toml`)
//! found above its path, as `asl-lint check` would (`asl_config::Resolver`); documents that are
//! not files get the defaults. Every open document is analysed, as a file named on the command
//! line is (`include`/`exclude` only steer directory walks). Config files are read again, and
//! every open document analysed again, when the client reports a change to one through
//! `workspace/didChangeWatchedFiles` (registered when the client allows it) or saves one; opening
//! a document also re-reads its config. An invalid config is shown once as a warning message and
//! the defaults are used.
//!
//! Baseline: when a document's config names a `baseline` file, the findings it holds are not
//! published, decided by the function `asl-lint check` calls
//! (`asl_config::baseline::Baseline::classify`), on the editor's text. The file is read again
//! when it changes on disk (its time and size are checked at each analysis); one that cannot
//! be used is shown once as a warning, and every finding is published.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use asl_analyzer::Options;
use asl_analyzer::ide::{self, HighlightKind, Hover};
use asl_config::ConfigError;
use asl_config::baseline::{Baseline, ReadError};
use asl_syntax::{Dialect, Encoding, TextRange, TextSize};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{Client, LanguageServer};

use crate::convert::{self, Lines};
use crate::documents::{Documents, Kind, Snapshot, Update};

/// What the client told us it supports.
#[derive(Debug, Clone, Copy)]
struct Session {
    encoding: Encoding,
    snippets: bool,
    hierarchical_symbols: bool,
    /// The client lets us register file watchers (for the config files).
    watch_files: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            encoding: Encoding::Utf16,
            snippets: false,
            hierarchical_symbols: true,
            watch_files: false,
        }
    }
}

pub struct Backend {
    client: Client,
    docs: Arc<Documents>,
    config: Arc<asl_config::Resolver>,
    /// The options of each open document, from its config.
    options: Arc<Mutex<HashMap<String, Arc<Options>>>>,
    /// Config errors already shown to the user.
    config_errors: Mutex<HashSet<String>>,
    /// The config files that have a diagnostic published.
    config_diagnostics: Mutex<HashSet<String>>,
    session: Arc<RwLock<Session>>,
    /// Serialises publishing so a check of the version and its publication are one step.
    publish: Arc<tokio::sync::Mutex<()>>,
    /// Documents that have diagnostics on screen, to clear them when that changes.
    published: Arc<Mutex<HashSet<String>>>,
    /// The baseline files read, by path, with the time and size they were read at.
    baselines: Mutex<HashMap<PathBuf, BaselineFile>>,
}

/// A baseline file as last read: `None` when there is none (or it cannot be used).
#[derive(Clone)]
struct BaselineFile {
    stamp: Option<(std::time::SystemTime, u64)>,
    baseline: Option<Arc<Baseline>>,
}

/// The baseline of one document, and the document's key in it.
type DocumentBaseline = Option<(Arc<Baseline>, String)>;

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            docs: Arc::new(Documents::default()),
            config: Arc::new(asl_config::Resolver::new(asl_config::Source::Discover)),
            options: Arc::new(Mutex::new(HashMap::new())),
            config_errors: Mutex::new(HashSet::new()),
            config_diagnostics: Mutex::new(HashSet::new()),
            session: Arc::new(RwLock::new(Session::default())),
            publish: Arc::new(tokio::sync::Mutex::new(())),
            published: Arc::new(Mutex::new(HashSet::new())),
            baselines: Mutex::new(HashMap::new()),
        }
    }

    /// The baseline the config of the document at `uri` names, read (again when it changed on
    /// disk), with the document's key in it; and an error to show, once.
    fn baseline_for(&self, uri: &lsp::Uri) -> (DocumentBaseline, Option<String>) {
        let Some(path) = uri.to_file_path() else {
            return (None, None);
        };
        let Ok(Some(config)) = self.config.config_for(&path) else {
            return (None, None);
        };
        let Some(file) = config.baseline.clone() else {
            return (None, None);
        };
        let stamp = std::fs::metadata(&file)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        let mut cache = self.baselines.lock().unwrap_or_else(|e| e.into_inner());
        let mut error = None;
        let read = match cache.get(&file) {
            Some(read) if read.stamp == stamp && stamp.is_some() => read.clone(),
            _ => {
                let baseline = match asl_config::baseline::read(&file) {
                    Ok(baseline) => baseline.map(Arc::new),
                    Err(ReadError::Io(message) | ReadError::Invalid(message)) => {
                        error = Some(format!(
                            "asl-lint: baseline {}: {message}; every finding is shown",
                            asl_config::display(&file)
                        ));
                        None
                    }
                };
                let read = BaselineFile { stamp, baseline };
                cache.insert(file.clone(), read.clone());
                read
            }
        };
        let key = file
            .parent()
            .map(|dir| asl_config::baseline::relative_key(dir, &asl_config::absolute(&path)));
        (read.baseline.zip(key), error)
    }

    /// The options of the document at `uri`: from the config found above its path, cached.
    fn options_for(&self, uri: &lsp::Uri) -> (Arc<Options>, Option<ConfigError>) {
        let key = uri.as_str();
        let mut cache = self.options.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(options) = cache.get(key) {
            return (options.clone(), None);
        }
        let (options, error) = match uri.to_file_path() {
            Some(path) => match self.config.options_for(&path) {
                Ok(options) => (options, None),
                Err(err) => (Options::default(), Some(err)),
            },
            None => (Options::default(), None),
        };
        let options = Arc::new(options);
        cache.insert(key.to_owned(), options.clone());
        (options, error)
    }

    /// Shows a config error once, and publishes it as a diagnostic on the config file at its
    /// place (the editor lists it even when the file is not open).
    async fn report(&self, error: Option<ConfigError>) {
        let Some(error) = error else { return };
        let new = self
            .config_errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(error.to_string());
        if !new {
            return;
        }
        self.client
            .show_message(
                lsp::MessageType::WARNING,
                format!("asl-lint: invalid config, using the defaults: {error}"),
            )
            .await;
        let Some(uri) = config_uri(&error.path) else {
            return;
        };
        let (line, column) = error.position.unwrap_or((1, 1));
        let at = lsp::Position::new(
            u32::try_from(line.saturating_sub(1)).unwrap_or(0),
            u32::try_from(column.saturating_sub(1)).unwrap_or(0),
        );
        let diagnostic = lsp::Diagnostic {
            range: lsp::Range::new(at, at),
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            source: Some("asl-lint".to_owned()),
            message: format!(
                "{}; asl-lint uses the defaults until it is fixed",
                error.message
            ),
            ..lsp::Diagnostic::default()
        };
        self.config_diagnostics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(uri.as_str().to_owned());
        // Sent from a task, like the documents' diagnostics: a handler never waits on the
        // client reading its messages.
        let client = self.client.clone();
        tokio::spawn(async move {
            client
                .publish_diagnostics(uri, vec![diagnostic], None)
                .await;
        });
    }

    /// A config file changed: forget every config and analyse every open document again.
    async fn config_changed(&self) {
        self.config.clear();
        self.options
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.config_errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let before: Vec<String> = self
            .config_diagnostics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
            .collect();
        for (uri, version) in self.docs.refresh() {
            if let Ok(uri) = uri.parse::<lsp::Uri>() {
                let (_, error) = self.options_for(&uri);
                self.report(error).await;
                self.schedule(uri, version);
            }
        }
        // Clear the diagnostics of the config files that are no longer wrong (those still wrong
        // were published again above).
        let now = self
            .config_diagnostics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let stale: Vec<String> = before.into_iter().filter(|u| !now.contains(u)).collect();
        let client = self.client.clone();
        tokio::spawn(async move {
            for uri in stale {
                if let Ok(uri) = uri.parse::<lsp::Uri>() {
                    client.publish_diagnostics(uri, Vec::new(), None).await;
                }
            }
        });
    }

    fn session(&self) -> Session {
        *self.session.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the document at `uri` on the blocking pool: `Ok(None)` for a document that
    /// is not open, an error answer if `f` panics.
    async fn with_doc<T, F>(&self, uri: &lsp::Uri, f: F) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot, &Options, Session) -> Option<T> + Send + 'static,
    {
        let Some(snapshot) = self.docs.get(uri.as_str()) else {
            return Ok(None);
        };
        let (options, _) = self.options_for(uri);
        let session = self.session();
        match blocking(move || f(&snapshot, &options, session)).await {
            Ok(value) => Ok(value),
            Err(e) => Err(internal(&e)),
        }
    }

    /// Analyses the newest version of `uri` and publishes its diagnostics, unless a newer
    /// version arrives first.
    fn schedule(&self, uri: lsp::Uri, version: i32) {
        let docs = self.docs.clone();
        let (options, _) = self.options_for(&uri);
        let session = self.session();
        let client = self.client.clone();
        let publish = self.publish.clone();
        let published = self.published.clone();
        let (baseline, baseline_error) = self.baseline_for(&uri);
        if let Some(message) = baseline_error {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .show_message(lsp::MessageType::WARNING, message)
                    .await;
            });
        }
        tokio::spawn(async move {
            let Some(snapshot) = docs.get(uri.as_str()) else {
                return;
            };
            if snapshot.version != version {
                return;
            }
            let task_uri = uri.clone();
            let result = blocking(move || {
                let lines = Lines {
                    text: &snapshot.text,
                    index: &snapshot.index,
                    encoding: session.encoding,
                };
                // The findings the baseline holds are not shown, as `check --baseline` hides them.
                let convert = |list: &[asl_analyzer::Diagnostic]| {
                    let hidden = match &baseline {
                        Some((baseline, key)) => {
                            baseline.classify(key, &snapshot.text, list).hidden
                        }
                        None => Vec::new(),
                    };
                    list.iter()
                        .zip(hidden.into_iter().chain(std::iter::repeat(false)))
                        .filter(|(_, hidden)| !hidden)
                        .map(|(d, _)| convert::diagnostic(&lines, &task_uri, d))
                        .collect::<Vec<_>>()
                };
                match snapshot.kind {
                    Kind::Host(..) => {
                        Some(convert(snapshot.host_analysis(&options)?.diagnostics()))
                    }
                    _ => Some(convert(snapshot.analysis(&options)?.diagnostics())),
                }
            })
            .await;
            let (diagnostics, analysed) = match result {
                Ok(Some(list)) => (list, true),
                Ok(None) => (Vec::new(), false),
                Err(e) => (
                    vec![lsp::Diagnostic {
                        range: lsp::Range::default(),
                        severity: Some(lsp::DiagnosticSeverity::ERROR),
                        code: Some(lsp::NumberOrString::String("ASL999".to_owned())),
                        source: Some("asl-lint".to_owned()),
                        message: format!(
                            "asl-lint failed on this document ({e}); please report it at https://github.com/asl-lint/asl-lint/issues"
                        ),
                        ..Default::default()
                    }],
                    true,
                ),
            };
            let _guard = publish.lock().await;
            if docs.version(uri.as_str()) != Some(version) {
                return;
            }
            let key = uri.as_str().to_owned();
            {
                let mut shown = published.lock().unwrap_or_else(|e| e.into_inner());
                // A state machine always gets its (possibly empty) list; another document
                // only an empty one that clears what was shown while it looked like one.
                if analysed {
                    shown.insert(key);
                } else if !shown.remove(&key) {
                    return;
                }
            }
            client
                .publish_diagnostics(uri, diagnostics, Some(version))
                .await;
        });
    }
}

/// Whether `uri` names a config file (`asl-lint.toml`, `.asl-lint.toml`).
fn is_config(uri: &lsp::Uri) -> bool {
    let path = uri.as_str().split(['?', '#']).next().unwrap_or("");
    asl_config::FILE_NAMES
        .iter()
        .any(|name| path.ends_with(&format!("/{name}")))
}

fn internal(e: &str) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: format!(
            "asl-lint failed while answering ({e}); please report it at https://github.com/asl-lint/asl-lint/issues"
        )
        .into(),
        data: None,
    }
}

/// At most this many analyses run at once; more requests wait for one to finish.
const ANALYSIS_THREADS: usize = 8;

/// Runs `f` on a thread of its own with the stack size the readers' depth bound needs
/// ([`asl_syntax::STACK_SIZE`]), whatever runtime the server runs in (tokio's blocking pool
/// has 2 MiB stacks unless its builder says otherwise, and a test's runtime does not). A panic
/// in `f` becomes `Err` with its message; the server lives on.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::result::Result<T, String> {
    static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(ANALYSIS_THREADS);
    let _slot = SLOTS.acquire().await.map_err(|e| e.to_string())?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("asl-lsp-analysis".to_owned())
        .stack_size(asl_syntax::STACK_SIZE)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            let _ = tx.send(result.map_err(|panic| asl_analyzer::panic_message(&*panic)));
        })
        .map_err(|e| format!("cannot start an analysis thread: {e}"))?;
    match rx.await {
        Ok(result) => result.map_err(|message| format!("a panic in the analyzer: {message}")),
        Err(_) => Err("the analysis thread ended without an answer".to_owned()),
    }
}

fn request_failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

fn lines<'a>(snapshot: &'a Snapshot, session: Session) -> Lines<'a> {
    Lines {
        text: &snapshot.text,
        index: &snapshot.index,
        encoding: session.encoding,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> Result<lsp::InitializeResult> {
        let caps = &params.capabilities;
        let utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|list| list.contains(&lsp::PositionEncodingKind::UTF8));
        let text = caps.text_document.as_ref();
        let snippets = text
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        let hierarchical_symbols = text
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|s| s.hierarchical_document_symbol_support)
            .unwrap_or(false);
        let session = Session {
            encoding: if utf8 {
                Encoding::Utf8
            } else {
                Encoding::Utf16
            },
            snippets,
            hierarchical_symbols,
            watch_files: caps
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        };
        *self.session.write().unwrap_or_else(|e| e.into_inner()) = session;
        Ok(lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                position_encoding: Some(if utf8 {
                    lsp::PositionEncodingKind::UTF8
                } else {
                    lsp::PositionEncodingKind::UTF16
                }),
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                    lsp::TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(lsp::TextDocumentSyncKind::FULL),
                        save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                definition_provider: Some(lsp::OneOf::Left(true)),
                references_provider: Some(lsp::OneOf::Left(true)),
                document_highlight_provider: Some(lsp::OneOf::Left(true)),
                document_symbol_provider: Some(lsp::OneOf::Left(true)),
                folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
                inlay_hint_provider: Some(lsp::OneOf::Left(true)),
                rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                completion_provider: Some(lsp::CompletionOptions {
                    trigger_characters: Some(vec!["\"".to_owned()]),
                    ..Default::default()
                }),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                    lsp::CodeActionOptions {
                        code_action_kinds: Some(vec![
                            lsp::CodeActionKind::QUICKFIX,
                            lsp::CodeActionKind::new("quickfix.suppress"),
                        ]),
                        ..Default::default()
                    },
                )),
                ..Default::default()
            },
            server_info: Some(lsp::ServerInfo {
                name: "asl-lint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        self.client
            .log_message(
                lsp::MessageType::INFO,
                format!(
                    "asl-lint {} language server ready",
                    env!("CARGO_PKG_VERSION")
                ),
            )
            .await;
        if self.session().watch_files {
            let watchers = lsp::DidChangeWatchedFilesRegistrationOptions {
                watchers: asl_config::FILE_NAMES
                    .iter()
                    .map(|name| lsp::FileSystemWatcher {
                        glob_pattern: lsp::GlobPattern::String(format!("**/{name}")),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = lsp::Registration {
                id: "asl-lint-config-files".to_owned(),
                method: "workspace/didChangeWatchedFiles".to_owned(),
                register_options: serde_json::to_value(watchers).ok(),
            };
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.register_capability(vec![registration]).await;
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let doc = params.text_document;
        if is_config(&doc.uri) {
            self.config_changed().await;
            return;
        }
        // Opening a document reads its config again (for clients that do not watch files).
        self.config.clear();
        self.options
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(doc.uri.as_str());
        let (_, error) = self.options_for(&doc.uri);
        self.report(error).await;
        self.docs
            .open(doc.uri.as_str(), &doc.language_id, doc.version, doc.text);
        self.schedule(doc.uri.clone(), doc.version);
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        // Full sync: the last change holds the whole text.
        let Some(change) = params.content_changes.into_iter().last() else {
            return;
        };
        if change.range.is_some() {
            // We asked for full sync; a ranged change would corrupt the text. Ignore it.
            return;
        }
        if self.docs.change(uri.as_str(), version, change.text) == Update::Applied {
            self.schedule(uri, version);
        }
    }

    async fn did_save(&self, params: lsp::DidSaveTextDocumentParams) {
        if is_config(&params.text_document.uri) {
            self.config_changed().await;
        }
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        if params.changes.iter().any(|c| is_config(&c.uri)) {
            self.config_changed().await;
        }
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.docs.close(uri.as_str());
        self.options
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(uri.as_str());
        let had = self
            .published
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(uri.as_str());
        if had {
            let _guard = self.publish.lock().await;
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn hover(&self, params: lsp::HoverParams) -> Result<Option<lsp::Hover>> {
        let at = params.text_document_position_params;
        self.with_doc(&at.text_document.uri, move |snap, options, session| {
            let lines = lines(snap, session);
            let offset = lines.offset(at.position)?;
            if let Some(host) = snap.host_analysis(options) {
                return Some(lsp_hover(&lines, host.hover(offset)?));
            }
            let current = snap.analysis(options)?;
            let code = snap.navigation(options).and_then(|nav| {
                let h = nav.analysis.hover_code(nav.to_analysis(offset)?)?;
                Some(Hover {
                    range: nav.to_current(h.range)?,
                    markdown: h.markdown,
                })
            });
            let hover = Hover::combine(code, current.hover_diagnostics(offset))?;
            Some(lsp_hover(&lines, hover))
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> Result<Option<lsp::GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let uri = at.text_document.uri.clone();
        self.with_doc(&at.text_document.uri, move |snap, options, session| {
            let lines = lines(snap, session);
            let offset = lines.offset(at.position)?;
            let range = match snap.host_analysis(options) {
                Some(host) => host.definition(offset)?.focus,
                None => {
                    let nav = snap.navigation(options)?;
                    let target = nav.analysis.definition(nav.to_analysis(offset)?)?;
                    nav.to_current(target.focus)?
                }
            };
            Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location::new(
                uri,
                lines.range(range),
            )))
        })
        .await
    }

    async fn references(&self, params: lsp::ReferenceParams) -> Result<Option<Vec<lsp::Location>>> {
        let at = params.text_document_position;
        let uri = at.text_document.uri.clone();
        let include = params.context.include_declaration;
        self.with_doc(&at.text_document.uri, move |snap, options, session| {
            let lines = lines(snap, session);
            let offset = lines.offset(at.position)?;
            if let Some(host) = snap.host_analysis(options) {
                return Some(
                    host.references(offset, include)
                        .into_iter()
                        .map(|r| lsp::Location::new(uri.clone(), lines.range(r)))
                        .collect(),
                );
            }
            let nav = snap.navigation(options)?;
            let refs = nav.analysis.references(nav.to_analysis(offset)?, include);
            Some(
                refs.into_iter()
                    .filter_map(|r| nav.to_current(r))
                    .map(|r| lsp::Location::new(uri.clone(), lines.range(r)))
                    .collect(),
            )
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: lsp::DocumentHighlightParams,
    ) -> Result<Option<Vec<lsp::DocumentHighlight>>> {
        let at = params.text_document_position_params;
        self.with_doc(&at.text_document.uri, move |snap, options, session| {
            let lines = lines(snap, session);
            let offset = lines.offset(at.position)?;
            let (list, nav) = match snap.host_analysis(options) {
                Some(host) => (host.highlights(offset), None),
                None => {
                    let nav = snap.navigation(options)?;
                    (nav.analysis.highlights(nav.to_analysis(offset)?), Some(nav))
                }
            };
            let current = |r: TextRange| match &nav {
                Some(nav) => nav.to_current(r),
                None => Some(r),
            };
            Some(
                list.into_iter()
                    .filter_map(|h| {
                        Some(lsp::DocumentHighlight {
                            range: lines.range(current(h.range)?),
                            kind: Some(match h.kind {
                                HighlightKind::Declaration => lsp::DocumentHighlightKind::WRITE,
                                HighlightKind::Reference => lsp::DocumentHighlightKind::READ,
                            }),
                        })
                    })
                    .collect(),
            )
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> Result<Option<lsp::PrepareRenameResponse>> {
        let result = self
            .with_doc(&params.text_document.uri, move |snap, options, session| {
                let lines = lines(snap, session);
                let offset = lines.offset(params.position)?;
                if let Some(host) = snap.host_analysis(options) {
                    return Some(host.prepare_rename(offset).map(|(range, placeholder)| {
                        lsp::PrepareRenameResponse::RangeWithPlaceholder {
                            range: lines.range(range),
                            placeholder,
                        }
                    }));
                }
                let nav = snap.navigation(options)?;
                Some(
                    match nav.analysis.prepare_rename(nav.to_analysis(offset)?) {
                        Ok((range, placeholder)) => match nav.to_current(range) {
                            Some(range) => Ok(lsp::PrepareRenameResponse::RangeWithPlaceholder {
                                range: lines.range(range),
                                placeholder,
                            }),
                            None => Err(stale_message()),
                        },
                        Err(message) => Err(message),
                    },
                )
            })
            .await?;
        match result {
            None => Ok(None),
            Some(Ok(response)) => Ok(Some(response)),
            Some(Err(message)) => Err(request_failed(message)),
        }
    }

    async fn rename(&self, params: lsp::RenameParams) -> Result<Option<lsp::WorkspaceEdit>> {
        let at = params.text_document_position;
        let uri = at.text_document.uri.clone();
        let new_name = params.new_name;
        let result = self
            .with_doc(&at.text_document.uri, move |snap, options, session| {
                let lines = lines(snap, session);
                let offset = lines.offset(at.position)?;
                let mut out = Vec::new();
                if let Some(host) = snap.host_analysis(options) {
                    let edits = match host.rename(offset, &new_name) {
                        Ok(edits) => edits,
                        Err(message) => return Some(Err(message)),
                    };
                    out.extend(
                        edits
                            .into_iter()
                            .map(|e| lsp::TextEdit::new(lines.range(e.range), e.new_text)),
                    );
                } else {
                    let nav = snap.navigation(options)?;
                    let edits = match nav.analysis.rename(nav.to_analysis(offset)?, &new_name) {
                        Ok(edits) => edits,
                        Err(message) => return Some(Err(message)),
                    };
                    for e in edits {
                        let Some(range) = nav.to_current(e.range) else {
                            return Some(Err(stale_message()));
                        };
                        out.push(lsp::TextEdit::new(lines.range(range), e.new_text));
                    }
                }
                let mut changes = std::collections::HashMap::new();
                changes.insert(uri, out);
                Some(Ok(lsp::WorkspaceEdit {
                    changes: Some(changes),
                    document_changes: None,
                    change_annotations: None,
                }))
            })
            .await?;
        match result {
            None => Ok(None),
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(message)) => Err(request_failed(message)),
        }
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> Result<Option<lsp::DocumentSymbolResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_doc(&params.text_document.uri, move |snap, options, session| {
            let lines = lines(snap, session);
            let symbols = match snap.host_analysis(options) {
                Some(host) => convert::document_symbols(&lines, &host.symbols(), &Some),
                None => {
                    let nav = snap.navigation(options)?;
                    let map = |r: TextRange| nav.to_current(r);
                    convert::document_symbols(&lines, &nav.analysis.symbols(), &map)
                }
            };
            Some(if session.hierarchical_symbols {
                lsp::DocumentSymbolResponse::Nested(symbols)
            } else {
                let mut flat = Vec::new();
                convert::flat_symbols(&uri, symbols, None, &mut flat);
                lsp::DocumentSymbolResponse::Flat(flat)
            })
        })
        .await
    }

    async fn folding_range(
        &self,
        params: lsp::FoldingRangeParams,
    ) -> Result<Option<Vec<lsp::FoldingRange>>> {
        self.with_doc(&params.text_document.uri, move |snap, options, session| {
            let lines = lines(snap, session);
            let folds = match snap.kind {
                Kind::Host(..) => snap.host_analysis(options)?.folding_ranges(),
                // A YAML document folds by its tree (the last well-formed one while broken).
                Kind::Asl(Dialect::Yaml) => {
                    let nav = snap.navigation(options)?;
                    nav.analysis
                        .folding_ranges()
                        .into_iter()
                        .filter_map(|f| {
                            Some(ide::Fold {
                                range: nav.to_current(f.range)?,
                                kind: f.kind,
                            })
                        })
                        .collect()
                }
                // JSON folds by its brackets, well-formed or not.
                Kind::Asl(_) => ide::folding_ranges(&snap.text),
                Kind::Other => return None,
            };
            Some(
                folds
                    .iter()
                    .filter_map(|f| convert::folding_range(&lines, f))
                    .collect(),
            )
        })
        .await
    }

    async fn inlay_hint(
        &self,
        params: lsp::InlayHintParams,
    ) -> Result<Option<Vec<lsp::InlayHint>>> {
        self.with_doc(&params.text_document.uri, move |snap, options, session| {
            let lines = lines(snap, session);
            // A range starting past the end shows nothing; one ending past it runs to the end.
            let Some(start) = lines.offset(params.range.start) else {
                return Some(Vec::new());
            };
            let end = lines
                .offset(params.range.end)
                .unwrap_or_else(|| TextSize::of(&*snap.text));
            if start > end {
                return Some(Vec::new());
            }
            let wanted = TextRange::new(start, end);
            if let Some(host) = snap.host_analysis(options) {
                return Some(
                    host.inlay_hints(wanted)
                        .iter()
                        .map(|h| convert::inlay_hint(&lines, h.offset, h))
                        .collect(),
                );
            }
            let nav = snap.navigation(options)?;
            // The same range in the analysed text, or all of it when an end falls in an edit
            // since the last well-formed version; hints are filtered again once mapped back.
            let in_analysis = match (nav.to_analysis(start), nav.to_analysis(end)) {
                (Some(s), Some(e)) if s <= e => TextRange::new(s, e),
                _ => TextRange::up_to(TextSize::of(nav.analysis.text())),
            };
            Some(
                nav.analysis
                    .inlay_hints(in_analysis)
                    .iter()
                    .filter_map(|h| {
                        let at = nav.to_current(TextRange::empty(h.offset))?.start();
                        wanted
                            .contains_inclusive(at)
                            .then(|| convert::inlay_hint(&lines, at, h))
                    })
                    .collect(),
            )
        })
        .await
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> Result<Option<lsp::CompletionResponse>> {
        let at = params.text_document_position;
        self.with_doc(&at.text_document.uri, move |snap, options, session| {
            let lines = lines(snap, session);
            let offset = lines.offset(at.position)?;
            let list = match snap.host_analysis(options) {
                Some(host) => host.completions(offset, session.snippets),
                None => {
                    // Well-formed text: read from its tree; broken JSON: scanned (the scanner
                    // reads JSON, so broken YAML gets none).
                    let analysis = snap.analysis(options)?;
                    if analysis.has_tree() {
                        analysis.completions(offset, session.snippets)
                    } else if snap.kind == Kind::Asl(Dialect::Yaml) {
                        return None;
                    } else {
                        ide::completions(&snap.text, offset, session.snippets)
                    }
                }
            };
            let (list, incomplete) = cap_completions(list, &snap.text, offset);
            let items: Vec<lsp::CompletionItem> = list
                .iter()
                .map(|c| convert::completion(&lines, c))
                .collect();
            Some(lsp::CompletionResponse::List(lsp::CompletionList {
                is_incomplete: incomplete,
                items,
            }))
        })
        .await
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> Result<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        self.with_doc(&params.text_document.uri, move |snap, options, session| {
            // The fixes edit JSON text (a host document's analysis offers them where they
            // apply: in a YAML template, inside its `DefinitionString`s).
            if snap.kind == Kind::Asl(Dialect::Yaml) {
                return None;
            }
            let lines = lines(snap, session);
            let mut range = lines.range_from(params.range)?;
            // Cover the diagnostics the client says are at the cursor, too.
            for d in &params.context.diagnostics {
                if let Some(r) = lines.range_from(d.range) {
                    range = range.cover(r);
                }
            }
            let only = params.context.only.clone();
            let wanted = |kind: &lsp::CodeActionKind| {
                only.as_ref()
                    .is_none_or(|list| list.iter().any(|k| kind.as_str().starts_with(k.as_str())))
            };
            let (diagnostics, actions) = match snap.host_analysis(options) {
                Some(host) => (host.diagnostics().to_vec(), host.code_actions(range)),
                None => {
                    let analysis = snap.analysis(options)?;
                    (
                        analysis.diagnostics().to_vec(),
                        analysis.code_actions(range),
                    )
                }
            };
            let published: Vec<lsp::Diagnostic> = diagnostics
                .iter()
                .map(|d| convert::diagnostic(&lines, &uri, d))
                .collect();
            let actions = actions
                .iter()
                .map(|a| convert::code_action(&lines, &uri, a, &published))
                .filter(|a| a.kind.as_ref().is_some_and(&wanted))
                .map(lsp::CodeActionOrCommand::CodeAction)
                .collect();
            Some(actions)
        })
        .await
    }
}

/// The most completion items sent at once. A scope can hold thousands of states; past this,
/// the list is narrowed by what is typed and marked incomplete, so the editor asks again as the
/// user types.
const MAX_COMPLETIONS: usize = 200;

fn cap_completions(
    list: Vec<ide::Completion>,
    text: &str,
    offset: asl_syntax::TextSize,
) -> (Vec<ide::Completion>, bool) {
    if list.len() <= MAX_COMPLETIONS {
        return (list, false);
    }
    let typed = list
        .first()
        .and_then(|c| text.get(usize::from(c.range.start())..usize::from(offset)))
        .unwrap_or("");
    let typed = typed.trim_start_matches('"').to_lowercase();
    let mut kept: Vec<ide::Completion> = list
        .into_iter()
        .filter(|c| is_subsequence(&typed, &c.label.to_lowercase()))
        .collect();
    let incomplete = kept.len() > MAX_COMPLETIONS;
    kept.truncate(MAX_COMPLETIONS);
    (kept, incomplete)
}

/// True when the characters of `needle` appear in `haystack` in order (fuzzy matching).
fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut chars = haystack.chars();
    needle.chars().all(|n| chars.any(|h| h == n))
}

fn lsp_hover(lines: &Lines<'_>, hover: Hover) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(lines.range(hover.range)),
    }
}

fn stale_message() -> String {
    "the document has a syntax error around this place; fix it, then try again".to_owned()
}

/// The URI of a config file as [`ConfigError::path`] shows it (relative to the current folder
/// when inside it).
fn config_uri(shown: &str) -> Option<lsp::Uri> {
    let path = std::path::Path::new(shown);
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    lsp::Uri::from_file_path(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn long_completion_lists_are_narrowed_by_what_is_typed() {
        let names: Vec<String> = (0..500).map(|i| format!("State{i:03}")).collect();
        let text = format!(
            "{{\"StartAt\": \"St\", \"States\": {{{}}}}}",
            names
                .iter()
                .map(|n| format!("\"{n}\": {{\"Type\": \"Succeed\"}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let offset = asl_syntax::TextSize::from(15);
        let list = ide::completions(&text, offset, false);
        assert_eq!(list.len(), 500);
        let (kept, incomplete) = cap_completions(list, &text, offset);
        assert_eq!(kept.len(), MAX_COMPLETIONS);
        assert!(incomplete);
        let text = text.replacen("\"St\"", "\"4\"", 1);
        let offset = asl_syntax::TextSize::from(14);
        let (kept, incomplete) =
            cap_completions(ide::completions(&text, offset, false), &text, offset);
        assert!(!incomplete);
        assert_eq!(kept.len(), 176, "names containing a 4");
        assert!(is_subsequence("st9", "state009") && !is_subsequence("x", "state"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_handler_answers_with_an_error_and_the_server_lives_on() {
        let (service, _socket) = crate::service();
        let backend = service.inner();
        let uri: lsp::Uri = "file:///x.asl.json".parse().unwrap();
        backend.docs.open(uri.as_str(), "asl", 1, "{}".to_owned());
        let result: Result<Option<()>> = backend.with_doc(&uri, |_, _, _| panic!("boom")).await;
        let error = result.unwrap_err();
        assert_eq!(error.code, ErrorCode::InternalError);
        assert!(
            error.message.contains("please report it"),
            "{}",
            error.message
        );
        let fine = backend
            .with_doc(&uri, |snap, _, _| Some(snap.version))
            .await;
        assert_eq!(fine.unwrap(), Some(1));
    }
}
