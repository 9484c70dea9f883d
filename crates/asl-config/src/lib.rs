//! `asl-config`: the configuration file of asl-lint, `asl-lint.toml` (or `.asl-lint.toml`).
//!
//! # Discovery
//! For each linted file, the folders from the file's own up to the filesystem root are searched
//! and the first `asl-lint.toml` (else `.asl-lint.toml`, in the same folder) wins; files are not
//! merged. `asl-lint check --config PATH` uses one file for every linted file, and `--no-config`
//! none. See [`Resolver`].
//!
//! # Format
//! ```toml
//! include = ["**/*.asl.json"]   # globs: a walked file is linted only if one matches (default: all)
//! exclude = ["vendor"]          # globs: a walked file is never linted if one matches
//! workflow-type = "express"     # "standard" (default) or "express"
//! baseline = "asl-lint-baseline.json"   # `check` reports only findings not in it (see below)
//!
//! [rules]                       # rule levels, by code, name, code prefix or ALL:
//! ASL211 = "off"                # "error", "warning", "info" or "off"
//! ASL5 = "warning"              # every rule whose code starts with ASL5
//! missing-heartbeat = "error"
//! [rules.retry-storm]           # a table: `level` and the rule's own options
//! level = "warning"
//! threshold = 100               # retry-storm (ASL209): worst-case attempts above this are reported
//!
//! [[overrides]]                 # for the files matching `files`, in order, after the above
//! files = ["express/**"]        # required
//! workflow-type = "express"
//! rules = { ASL404 = "off" }
//!
//! [[ignore]]                    # rules ignored in some states (and the states nested in them)
//! files = ["legacy/**"]         # optional: default every file
//! states = ["Old*"]             # required: state names; `*` any run of characters, `?` one
//! rules = ["ASL211"]            # required: codes or names
//! reason = "retired workflow, removal tracked in #123"   # required, not empty
//! ```
//! Every key is checked: an unknown key, a wrong type, an unknown rule, a `threshold` on a rule
//! other than retry-storm, an invalid glob or an empty reason is an error with the line and
//! column in the file ([`ConfigError`]). A rule named twice in one table (by code and by name)
//! is an error too.
//!
//! # Selectors
//! A `[rules]` key (and a `-W`/`-D`/`-A` value of the command line) is a [`Selector`]: a rule's
//! code (`ASL211`) or name (`missing-timeout`), a code prefix (`ASL2`: every rule whose code
//! starts with it; codes are case-insensitive), or `ALL`, as ruff's selectors. Within one table
//! the most specific selector wins whatever the order written (`ALL`, then shorter prefixes,
//! then longer ones, then single rules): `ALL = "off"` with `ASL101 = "error"` leaves only
//! ASL101 on. A later table (an override, then the command line) still wins over an earlier
//! one for the rules it selects. A prefix that selects no rule is an error.
//!
//! # Globs
//! Globs are relative to the folder of the config file (with `--config`, to the current folder,
//! as ruff does). `*` and `?` do not cross `/`, `**` does, `{a,b}` and `[ab]` work. A glob
//! without a `/` matches at any depth (`*.json` is `**/*.json`); a leading `/` anchors it. A glob
//! matches a file when it matches the file's path or the path of one of its folders, so
//! `exclude = ["vendor"]` excludes everything under any `vendor` folder.
//!
//! # Baseline
//! `baseline` names a baseline file (relative to the folder globs are relative to), which
//! `asl-lint check` uses as `--baseline` does when the command line names none: the config
//! that applies to the current folder (or `--config`) decides. See [`baseline`] and
//! docs/baseline.md.
//!
//! # Resolution
//! For one file: the defaults, then the top-level `workflow-type` and `[rules]`, then each
//! matching `[[overrides]]` entry in the order written ([`Config::apply`]); the command line's
//! `--workflow-type`, `-W`, `-D` and `-A` come after that (in `asl-lint`). The matching
//! `[[ignore]]` entries become [`asl_analyzer::StateIgnore`]s. An ignore that suppresses
//! nothing is not reported (unlike a `Comment` directive): one entry applies to many files.

pub mod baseline;
mod model;
pub mod schema;

use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use asl_analyzer::{Level, Options, RuleMeta, StateIgnore, WorkflowType, registry};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_spanned::Spanned;

use crate::model::{RawConfig, RawLevel, RawRule, RawRules, RawWorkflowType};

/// The names a config file may have, in the order they are looked for in one folder.
pub const FILE_NAMES: [&str; 2] = ["asl-lint.toml", ".asl-lint.toml"];

/// A config file that cannot be read or is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as shown (relative to the current folder when it is inside it).
    pub path: String,
    /// 1-based line and column (in characters) of the offending TOML, when known.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// What a `[rules]` key or a `-W`/`-D`/`-A` value selects (see the crate docs).
#[derive(Debug, Clone, Copy)]
pub enum Selector {
    /// `ALL`: every rule.
    All,
    /// A code prefix such as `ASL2`, upper-case, shorter than a code.
    Prefix(&'static str),
    /// One rule, by code or name.
    Rule(&'static RuleMeta),
}

impl Selector {
    /// Reads a selector; `None` when it selects no rule.
    pub fn parse(text: &str) -> Option<Selector> {
        if let Some(rule) = registry::find(text) {
            return Some(Selector::Rule(rule));
        }
        if text.eq_ignore_ascii_case("all") {
            return Some(Selector::All);
        }
        let prefix = text.to_ascii_uppercase();
        let digits = prefix.strip_prefix("ASL")?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // A prefix as the registry spells it, so the selector stays `Copy` and `'static`.
        registry::all()
            .find(|r| r.code.starts_with(&prefix))
            .and_then(|r| r.code.get(..prefix.len()))
            .map(Selector::Prefix)
    }

    /// How specific the selector is: the most specific wins within one table.
    pub fn specificity(&self) -> usize {
        match self {
            Selector::All => 0,
            Selector::Prefix(prefix) => prefix.len(),
            Selector::Rule(_) => usize::MAX,
        }
    }

    /// The rules it selects, in code order.
    pub fn rules(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        registry::all().filter(move |r| match self {
            Selector::All => true,
            Selector::Prefix(prefix) => r.code.starts_with(prefix),
            Selector::Rule(rule) => r.code == rule.code,
        })
    }

    /// The error message of `text`, which [`Selector::parse`] refused.
    pub fn unknown(text: &str) -> String {
        let upper = text.to_ascii_uppercase();
        if upper
            .strip_prefix("ASL")
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
        {
            return format!(
                "`{text}` is not an asl-lint rule code or code prefix: no rule code starts with it (`asl-lint rules` lists them)"
            );
        }
        let suggestion = asl_analyzer::names::did_you_mean(text, registry::all().map(|r| r.name));
        format!("`{text}` is not an asl-lint rule{suggestion}")
    }
}

/// The rule levels of one table (or of the command line), in the order to apply them: each
/// selector's rules, the least specific selector first, so that the most specific one wins;
/// among selectors as specific, in the order given.
pub fn resolve_levels(
    entries: impl IntoIterator<Item = (Selector, Level)>,
) -> Vec<(&'static RuleMeta, Level)> {
    let mut entries: Vec<(Selector, Level)> = entries.into_iter().collect();
    entries.sort_by_key(|(selector, _)| selector.specificity());
    entries
        .iter()
        .flat_map(|(selector, level)| selector.rules().map(move |r| (r, *level)))
        .collect()
}

/// A parsed, checked config file.
#[derive(Debug)]
pub struct Config {
    /// The file (absolute).
    pub path: PathBuf,
    /// The folder globs are relative to (absolute).
    pub root: PathBuf,
    include: Option<Globs>,
    exclude: Option<Globs>,
    base: Layer,
    overrides: Vec<(Globs, Layer)>,
    ignores: Vec<Ignore>,
    /// `baseline`: the baseline file (absolute).
    pub baseline: Option<PathBuf>,
}

/// One `[[ignore]]` entry.
#[derive(Debug, Clone)]
pub struct Ignore {
    files: Option<Globs>,
    pub states: Vec<String>,
    pub rules: Vec<&'static RuleMeta>,
    pub reason: String,
}

#[derive(Debug, Clone)]
struct Globs {
    set: GlobSet,
}

/// What one table (the top level or an override) sets.
#[derive(Debug, Clone, Default)]
struct Layer {
    workflow_type: Option<WorkflowType>,
    levels: Vec<(&'static RuleMeta, Level)>,
    retry_storm_threshold: Option<u64>,
}

impl Layer {
    fn apply(&self, options: &mut Options) {
        if let Some(t) = self.workflow_type {
            options.workflow_type = t;
        }
        for (rule, level) in &self.levels {
            options.levels.insert(rule, *level);
        }
        if let Some(t) = self.retry_storm_threshold {
            options.retry_storm_threshold = t;
        }
    }
}

impl Config {
    /// Reads and checks the config file at `path`; globs are relative to its folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let path = absolute(path);
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Config::load_with_root(&path, root)
    }

    /// Reads and checks the config file at `path`, with globs relative to `root`.
    pub fn load_with_root(path: &Path, root: PathBuf) -> Result<Config, ConfigError> {
        let path = absolute(path);
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            path: display(&path),
            position: None,
            message: format!("cannot read the config file: {}", io_message(&e)),
        })?;
        Config::parse(&path, &text, root)
    }

    /// Checks the text of a config file (`path` is where it is said to be).
    pub fn parse(path: &Path, text: &str, root: PathBuf) -> Result<Config, ConfigError> {
        let cx = Cx {
            path: display(path),
            text,
        };
        let raw: RawConfig = toml_edit::de::from_str(text).map_err(|e| {
            let position = e.span().map(|s| cx.position(s.start));
            ConfigError {
                path: cx.path.clone(),
                position,
                message: e.message().trim().replace('\n', " "),
            }
        })?;
        let include = match &raw.include {
            Some(list) => Some(cx.globs(list)?),
            None => None,
        };
        let exclude = if raw.exclude.is_empty() {
            None
        } else {
            Some(cx.globs(&raw.exclude)?)
        };
        let base = cx.layer(raw.workflow_type, &raw.rules)?;
        let baseline = match &raw.baseline {
            Some(name) if name.get_ref().trim().is_empty() => {
                return Err(cx.error(
                    name.span(),
                    "`baseline` is empty; name the baseline file, e.g. \"asl-lint-baseline.json\"",
                ));
            }
            Some(name) => Some(absolute(&root.join(name.get_ref()))),
            None => None,
        };
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            if o.files.get_ref().is_empty() {
                return Err(cx.error(o.files.span(), "`files` lists no glob; name at least one"));
            }
            overrides.push((
                cx.globs(o.files.get_ref())?,
                cx.layer(o.workflow_type, &o.rules)?,
            ));
        }
        let mut ignores = Vec::new();
        for i in &raw.ignore {
            if i.states.get_ref().is_empty() {
                return Err(cx.error(
                    i.states.span(),
                    "`states` lists no state; name at least one",
                ));
            }
            if i.rules.get_ref().is_empty() {
                return Err(cx.error(i.rules.span(), "`rules` lists no rule; name at least one"));
            }
            if i.reason.get_ref().trim().is_empty() {
                return Err(cx.error(
                    i.reason.span(),
                    "`reason` is empty; say why these states are exempt",
                ));
            }
            let mut rules = Vec::new();
            for name in i.rules.get_ref() {
                for rule in cx.selector(name)?.rules() {
                    if !rules.contains(&rule) {
                        rules.push(rule);
                    }
                }
            }
            ignores.push(Ignore {
                files: if i.files.is_empty() {
                    None
                } else {
                    Some(cx.globs(&i.files)?)
                },
                states: i
                    .states
                    .get_ref()
                    .iter()
                    .map(|s| s.get_ref().clone())
                    .collect(),
                rules,
                reason: i.reason.get_ref().trim().to_owned(),
            });
        }
        Ok(Config {
            path: absolute(path),
            root: absolute(&root),
            include,
            exclude,
            base,
            overrides,
            ignores,
            baseline,
        })
    }

    /// The options for `file`: the defaults with this config applied.
    pub fn options_for(&self, file: &Path) -> Options {
        let mut options = Options::default();
        self.apply(file, &mut options);
        options
    }

    /// Applies this config to `options` for `file`: the top level, the matching overrides in
    /// order, and the matching ignores.
    pub fn apply(&self, file: &Path, options: &mut Options) {
        let rel = self.relative(file);
        self.base.apply(options);
        for (globs, layer) in &self.overrides {
            if globs.matches(rel.as_deref()) {
                layer.apply(options);
            }
        }
        for ignore in self.ignores_for(file) {
            options.state_ignores.push(StateIgnore {
                states: ignore.states.clone(),
                rules: ignore.rules.clone(),
            });
        }
    }

    /// The `[[ignore]]` entries that apply to `file`.
    pub fn ignores_for(&self, file: &Path) -> Vec<&Ignore> {
        let rel = self.relative(file);
        self.ignores
            .iter()
            .filter(|i| i.files.as_ref().is_none_or(|g| g.matches(rel.as_deref())))
            .collect()
    }

    /// Whether `include` lets a walked file in (true when there is no `include`).
    pub fn is_included(&self, file: &Path) -> bool {
        let rel = self.relative(file);
        self.include
            .as_ref()
            .is_none_or(|g| g.matches(rel.as_deref()))
    }

    /// Whether `exclude` keeps `file` out.
    pub fn is_excluded(&self, file: &Path) -> bool {
        let rel = self.relative(file);
        self.exclude
            .as_ref()
            .is_some_and(|g| g.matches(rel.as_deref()))
    }

    /// `file` relative to the root; `None` outside it (where no glob matches).
    fn relative(&self, file: &Path) -> Option<PathBuf> {
        absolute(file)
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
    }
}

impl Globs {
    fn matches(&self, rel: Option<&Path>) -> bool {
        let mut at = rel;
        while let Some(path) = at {
            if path.as_os_str().is_empty() {
                break;
            }
            if self.set.is_match(path) {
                return true;
            }
            at = path.parent();
        }
        false
    }
}

/// What error positions are computed from.
struct Cx<'t> {
    path: String,
    text: &'t str,
}

impl Cx<'_> {
    fn position(&self, offset: usize) -> (usize, usize) {
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).unwrap_or("").chars().count() + 1;
        (line, column)
    }

    fn error(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: self.path.clone(),
            position: Some(self.position(span.start)),
            message: message.into(),
        }
    }

    fn globs(&self, list: &[Spanned<String>]) -> Result<Globs, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in list {
            let text = pattern.get_ref();
            let mut glob = text.trim_start_matches("./");
            let anchored = glob.starts_with('/');
            glob = glob.trim_start_matches('/');
            let glob = glob.trim_end_matches('/');
            let full = if anchored || glob.contains('/') {
                glob.to_owned()
            } else {
                format!("**/{glob}")
            };
            let built = GlobBuilder::new(&full)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    self.error(
                        pattern.span(),
                        format!("invalid glob `{text}`: {}", e.kind()),
                    )
                })?;
            builder.add(built);
        }
        let set = builder.build().map_err(|e| ConfigError {
            path: self.path.clone(),
            position: None,
            message: format!("invalid globs: {e}"),
        })?;
        Ok(Globs { set })
    }

    fn selector(&self, name: &Spanned<String>) -> Result<Selector, ConfigError> {
        Selector::parse(name.get_ref())
            .ok_or_else(|| self.error(name.span(), Selector::unknown(name.get_ref())))
    }

    fn layer(
        &self,
        workflow_type: Option<RawWorkflowType>,
        rules: &RawRules,
    ) -> Result<Layer, ConfigError> {
        let mut layer = Layer {
            workflow_type: workflow_type.map(|t| match t {
                RawWorkflowType::Standard => WorkflowType::Standard,
                RawWorkflowType::Express => WorkflowType::Express,
            }),
            ..Layer::default()
        };
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut levels: Vec<(Selector, Level)> = Vec::new();
        // In the order written, so that a duplicate is reported at its second mention.
        let mut entries: Vec<_> = rules.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in entries {
            let selector = self.selector(key)?;
            let what = match selector {
                Selector::Rule(rule) => format!("{} {}", rule.code, rule.name),
                Selector::Prefix(prefix) => format!("the prefix {prefix}"),
                Selector::All => "ALL".to_owned(),
            };
            if let Some(first) = seen.insert(what.clone(), key.get_ref()) {
                return Err(self.error(
                    key.span(),
                    format!("{what} is already set here as `{first}`; keep one entry"),
                ));
            }
            let level = match value.get_ref() {
                RawRule::Level(level) => Some(*level),
                RawRule::Table(table) => {
                    if let Some(threshold) = &table.threshold {
                        match selector {
                            Selector::Rule(rule) if rule.name == "retry-storm" => {}
                            _ => {
                                return Err(self.error(
                                    threshold.span(),
                                    format!(
                                        "`threshold` is an option of ASL209 retry-storm only, not of {what}"
                                    ),
                                ));
                            }
                        }
                        layer.retry_storm_threshold = Some(*threshold.get_ref());
                    }
                    table.level
                }
            };
            if let Some(level) = level {
                levels.push((selector, level_of(level)));
            }
        }
        layer.levels = resolve_levels(levels);
        Ok(layer)
    }
}

fn level_of(level: RawLevel) -> Level {
    match level {
        RawLevel::Error => Level::Error,
        RawLevel::Warning => Level::Warning,
        RawLevel::Info => Level::Info,
        RawLevel::Off => Level::Off,
    }
}

/// Where the configuration comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Found by walking up from each file's folder.
    Discover,
    /// One file for every linted file (`--config PATH`); globs relative to the current folder.
    File(PathBuf),
    /// No config file (`--no-config`): the defaults.
    None,
}

type Loaded = Result<Arc<Config>, ConfigError>;

/// Finds and caches the config of each file. Safe to share between threads.
#[derive(Debug)]
pub struct Resolver {
    source: Source,
    /// Folder -> the config file found from it.
    found: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Config file -> what it holds.
    loaded: Mutex<HashMap<PathBuf, Loaded>>,
}

impl Resolver {
    pub fn new(source: Source) -> Resolver {
        Resolver {
            source,
            found: Mutex::new(HashMap::new()),
            loaded: Mutex::new(HashMap::new()),
        }
    }

    /// The config that applies to `path` (a file, or a folder), if any.
    pub fn config_for(&self, path: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        let file = match &self.source {
            Source::None => return Ok(None),
            Source::File(file) => absolute(file),
            Source::Discover => {
                let path = absolute(path);
                let dir = if path.is_dir() {
                    path
                } else {
                    path.parent().map(Path::to_path_buf).unwrap_or(path)
                };
                let cached = lock(&self.found).get(&dir).cloned();
                let found = match cached {
                    Some(found) => found,
                    None => {
                        let found = find_config(&dir);
                        lock(&self.found).insert(dir, found.clone());
                        found
                    }
                };
                match found {
                    Some(file) => file,
                    None => return Ok(None),
                }
            }
        };
        if let Some(loaded) = lock(&self.loaded).get(&file) {
            return loaded.clone().map(Some);
        }
        let loaded = match &self.source {
            Source::File(_) => Config::load_with_root(&file, absolute(Path::new("."))),
            _ => Config::load(&file),
        }
        .map(Arc::new);
        lock(&self.loaded).insert(file, loaded.clone());
        loaded.map(Some)
    }

    /// The options for `path`: the defaults with its config applied.
    pub fn options_for(&self, path: &Path) -> Result<Options, ConfigError> {
        Ok(match self.config_for(path)? {
            Some(config) => config.options_for(path),
            None => Options::default(),
        })
    }

    /// Forgets every file found and read (after a config file changed).
    pub fn clear(&self) {
        lock(&self.found).clear();
        lock(&self.loaded).clear();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The config file that applies in `dir`: the first [`FILE_NAMES`] file found in `dir` or its
/// ancestors.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let dir = absolute(dir);
    for folder in dir.ancestors() {
        for name in FILE_NAMES {
            let candidate = folder.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Whether `path` is named like a config file.
pub fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| FILE_NAMES.contains(&n))
}

/// `path` made absolute against the current folder, with `.` and `..` resolved lexically.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => path.to_path_buf(),
        }
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path as shown: relative to the current folder when it is inside it.
pub fn display(path: &Path) -> String {
    let abs = absolute(path);
    let cwd = std::env::current_dir().map(|c| absolute(&c)).ok();
    match cwd.as_deref().and_then(|c| abs.strip_prefix(c).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => abs.to_string_lossy().into_owned(),
    }
}

/// An IO error's message without the `(os error N)` suffix (the CLI's messages use it too).
pub fn io_message(err: &std::io::Error) -> String {
    let text = match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    };
    match text.find(" (os error") {
        Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
        None => text,
    }
}
