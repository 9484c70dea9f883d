//! The configuration of a run: the config files (through [`asl_config::Resolver`]) plus the
//! command line's `--workflow-type`, `-W`, `-D` and `-A`, which apply after them; and
//! `asl-lint print-config`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use asl_analyzer::{Level, Options, WorkflowType, registry};
use asl_config::{Config, ConfigError, Resolver, Selector, Source};
use serde::Serialize;

use crate::args::{ConfigArgs, PrintConfigArgs, WorkflowTypeArg};
use crate::exit::ExitStatus;

/// Where each file's options come from.
#[derive(Debug)]
pub struct Settings {
    resolver: Resolver,
    workflow_type: Option<WorkflowType>,
    levels: Vec<(&'static asl_analyzer::RuleMeta, Level)>,
}

impl Settings {
    /// The settings of the command line; an unknown rule in `-W`/`-D`/`-A` is an error message.
    pub fn new(args: &ConfigArgs, workflow_type: Option<WorkflowTypeArg>) -> Result<Self, String> {
        let source = if args.no_config {
            Source::None
        } else if let Some(path) = &args.config {
            Source::File(path.clone())
        } else {
            Source::Discover
        };
        let mut selected = Vec::new();
        for (name, level) in &args.levels {
            let flag = match level {
                Level::Warning | Level::Info => "-W",
                Level::Error => "-D",
                Level::Off => "-A",
            };
            let Some(selector) = Selector::parse(name) else {
                return Err(format!("{flag} {name}: {}", Selector::unknown(name)));
            };
            selected.push((selector, *level));
        }
        // The most specific selector wins, then the last one given.
        let levels = asl_config::resolve_levels(selected);
        let settings = Settings {
            resolver: Resolver::new(source),
            workflow_type: workflow_type.map(Into::into),
            levels,
        };
        // `--config PATH` applies to every file: one that cannot be used stops the run.
        if args.config.is_some() && !args.no_config {
            settings
                .config_for(Path::new("."))
                .map_err(|err| err.to_string())?;
        }
        Ok(settings)
    }

    /// The options of one file, or `None` when the config leaves it out: a walked file must
    /// match `include` (when given) and not `exclude`; a named file is left out only by
    /// `exclude` with `--force-exclude`.
    pub fn options_for(
        &self,
        path: &Path,
        explicit: bool,
        force_exclude: bool,
    ) -> Result<Option<Options>, ConfigError> {
        let config = self.config_for(path)?;
        if let Some(config) = &config {
            let kept = if explicit {
                !(force_exclude && config.is_excluded(path))
            } else {
                config.is_included(path) && !config.is_excluded(path)
            };
            if !kept {
                return Ok(None);
            }
        }
        Ok(Some(self.options(config.as_deref(), path)))
    }

    /// [`Settings::options_for`], where a config file found above `path` that is not valid
    /// stops nothing: the file gets the default settings (and the command line), and the error
    /// comes back beside them, to report. (`--config PATH` was checked by [`Settings::new`].)
    pub fn options_or_defaults(
        &self,
        path: &Path,
        explicit: bool,
        force_exclude: bool,
    ) -> (Option<Options>, Option<ConfigError>) {
        match self.options_for(path, explicit, force_exclude) {
            Ok(options) => (options, None),
            Err(err) => (Some(self.options(None, path)), Some(err)),
        }
    }

    /// The config file that applies to `path`, if any.
    pub fn config_for(&self, path: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        self.resolver.config_for(path)
    }

    /// The options for `path` under `config` (as [`Settings::config_for`] found it), with the
    /// command line applied last.
    pub fn options(&self, config: Option<&Config>, path: &Path) -> Options {
        let mut options = Options::default();
        if let Some(config) = config {
            config.apply(path, &mut options);
        }
        if let Some(t) = self.workflow_type {
            options.workflow_type = t;
        }
        for (rule, level) in &self.levels {
            options.levels.insert(rule, *level);
        }
        options
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Printed {
    path: String,
    config: Option<String>,
    /// The config's `baseline`, when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<String>,
    included: bool,
    workflow_type: &'static str,
    retry_storm_threshold: u64,
    rules: Vec<PrintedRule>,
    ignore: Vec<PrintedIgnore>,
}

#[derive(Serialize)]
struct PrintedRule {
    code: &'static str,
    name: &'static str,
    level: &'static str,
}

#[derive(Serialize)]
struct PrintedIgnore {
    states: Vec<String>,
    rules: Vec<&'static str>,
    reason: String,
}

/// `asl-lint print-config [PATH]`: the configuration that applies to PATH, as JSON.
pub fn print_config(args: &PrintConfigArgs) -> ExitStatus {
    let settings = match Settings::new(&args.config, args.workflow_type) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitStatus::Error;
        }
    };
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let config = match settings.config_for(&path) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitStatus::Error;
        }
    };
    let options = settings.options(config.as_deref(), &path);
    let printed = Printed {
        path: crate::walk::display_path(&path),
        config: config.as_ref().map(|c| asl_config::display(&c.path)),
        baseline: config
            .as_ref()
            .and_then(|c| c.baseline.as_deref())
            .map(asl_config::display),
        included: config
            .as_ref()
            .is_none_or(|c| c.is_included(&path) && !c.is_excluded(&path)),
        workflow_type: match options.workflow_type {
            WorkflowType::Standard => "standard",
            WorkflowType::Express => "express",
        },
        retry_storm_threshold: options.retry_storm_threshold,
        rules: registry::all()
            .map(|rule| PrintedRule {
                code: rule.code,
                name: rule.name,
                level: options.level(rule).as_str(),
            })
            .collect(),
        ignore: config
            .as_ref()
            .map(|c| {
                c.ignores_for(&path)
                    .into_iter()
                    .map(|i| PrintedIgnore {
                        states: i.states.clone(),
                        rules: i.rules.iter().map(|r| r.code).collect(),
                        reason: i.reason.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let text = match serde_json::to_string_pretty(&printed) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitStatus::Error;
        }
    };
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}") {
        Ok(()) => ExitStatus::Success,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(err) => {
            eprintln!("error: cannot write the configuration: {err}");
            ExitStatus::Error
        }
    }
}
