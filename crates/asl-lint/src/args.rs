//! The command line, as clap reads it. Behaviour lives in the command modules.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::{CatalogFormat, OutputFormat};

/// `asl-lint --version`: the crate's version, the commit it is built from (see `build.rs`) and
/// the AWS service model it carries, e.g.
/// `asl-lint 0.1.0 (commit 8cc7700a1b2c, AWS model: botocore 1.44.8)`.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let commit = option_env!("ASL_LINT_COMMIT")
        .map(|c| format!("commit {c}, "))
        .unwrap_or_default();
    format!(
        "{} ({commit}AWS model: {})",
        env!("CARGO_PKG_VERSION"),
        asl_aws::MODEL_VERSION
    )
});

#[derive(Debug, Parser)]
#[command(
    name = "asl-lint",
    version = VERSION.as_str(),
    about = "A linter for Amazon States Language (AWS Step Functions) state machines",
    after_help = "Exit status: 0 no error-level findings, 1 error-level findings, 2 usage, IO or internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint state machine definitions.
    Check(CheckArgs),
    /// List every rule: code, name, default level and summary.
    Rules(RulesArgs),
    /// Print the documentation of one rule.
    Explain(ExplainArgs),
    /// Print the state graph of a definition as a Mermaid or Graphviz DOT diagram.
    Graph(GraphArgs),
    /// Estimate the state transitions, history events and price of one execution.
    Cost(CostArgs),
    /// Run the language server (LSP over standard input and output) for editors.
    Lsp(LspArgs),
    /// Print the configuration that applies to a file (JSON; see docs/cli.md).
    PrintConfig(PrintConfigArgs),
    /// Print a completion script for a shell (`asl-lint completions bash > ...`).
    Completions(CompletionsArgs),
}

/// `asl-lint completions <SHELL>`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Where the configuration comes from, and the command line's rule levels.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use this config file for every file (its globs are relative to the current folder)
    /// instead of finding `asl-lint.toml` or `.asl-lint.toml` above each file.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no config file: the default settings and the command line only.
    #[arg(long)]
    pub no_config: bool,

    /// Report RULE as a warning. RULE is a code (`ASL211`), a name (`missing-timeout`), a code
    /// prefix (`ASL2`: every rule whose code starts with it) or `ALL`. Repeatable; `-W`, `-D`
    /// and `-A` apply after the config file: the most specific selector wins (`-A ALL -D ASL101`
    /// leaves only ASL101 on), then the last one given.
    #[arg(short = 'W', long = "warn", value_name = "RULE", action = clap::ArgAction::Append)]
    pub warn: Vec<String>,

    /// Report RULE (a code, name, code prefix or `ALL`) as an error (deny).
    #[arg(short = 'D', long = "deny", value_name = "RULE", action = clap::ArgAction::Append)]
    pub deny: Vec<String>,

    /// Turn RULE (a code, name, code prefix or `ALL`) off (allow).
    #[arg(short = 'A', long = "allow", value_name = "RULE", action = clap::ArgAction::Append)]
    pub allow: Vec<String>,

    /// `-W`, `-D` and `-A` in command-line order (filled in after parsing).
    #[arg(skip)]
    pub levels: Vec<(String, asl_analyzer::Level)>,
}

impl ConfigArgs {
    /// Fills [`ConfigArgs::levels`] from the positions of `-W`, `-D` and `-A` in `matches`.
    pub fn order_levels(&mut self, matches: &clap::ArgMatches) {
        use asl_analyzer::Level;
        let mut all: Vec<(usize, String, Level)> = Vec::new();
        for (id, values, level) in [
            ("warn", &self.warn, Level::Warning),
            ("deny", &self.deny, Level::Error),
            ("allow", &self.allow, Level::Off),
        ] {
            let indices: Vec<usize> = matches
                .indices_of(id)
                .map(|i| i.collect())
                .unwrap_or_default();
            for (n, value) in values.iter().enumerate() {
                let at = indices.get(n).copied().unwrap_or(usize::MAX);
                all.push((at, value.clone(), level));
            }
        }
        all.sort_by_key(|(at, _, _)| *at);
        self.levels = all
            .into_iter()
            .map(|(_, rule, level)| (rule, level))
            .collect();
    }
}

#[derive(Debug, Args)]
pub struct PrintConfigArgs {
    /// The file (or folder) whose configuration to print (default: the current folder).
    pub path: Option<PathBuf>,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// The workflow type, as `check --workflow-type` sets it.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub workflow_type: Option<WorkflowTypeArg>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("fixing").args(["fix", "diff"]).multiple(true)))]
pub struct CheckArgs {
    /// Files or directories to lint (default `.`); `-` reads standard input.
    ///
    /// Files named on the command line are always linted (unless `--force-exclude`); one that
    /// holds no state machine gets a note saying so. Directories are walked honouring
    /// `.gitignore`, `.ignore` and the config's `include` and `exclude`; they yield
    /// `*.asl.json`, `*.asl.jsonc`, `*.asl.json5`, `*.asl.yaml` and `*.asl.yml`, any other JSON
    /// or YAML file (`*.json`, `*.jsonc`, `*.json5`, `*.yaml`, `*.yml`) whose top-level object
    /// has `StartAt` and `States`, CloudFormation/SAM templates (JSON or YAML; CDK's `cdk.out`
    /// too) with a state machine resource, and Serverless Framework files (`serverless.yml`)
    /// with `stepFunctions.stateMachines`, whose definitions are linted in place (and the files
    /// their `DefinitionUri` or `${file(...)}` names). Terraform `*.tf` files with an
    /// `aws_sfn_state_machine` resource or a step-functions module block are linted too
    /// (`jsonencode`, heredoc, `file()` and `templatefile()`).
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Apply the config's `exclude` to files named on the command line (and to
    /// `--stdin-filename`) too.
    #[arg(long)]
    pub force_exclude: bool,

    /// Treat files named on the command line as a directory walk treats the files it meets:
    /// lint only state machines and the templates holding them, and skip other JSON and YAML
    /// silently, without the note a named file that holds no state machine gets otherwise (for
    /// pre-commit and other tools that pass every changed file).
    #[arg(long)]
    pub only_state_machines: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Full)]
    pub format: OutputFormat,

    /// Write the results (what goes to standard output) to PATH instead, replacing it
    /// atomically once complete; errors and warnings stay on standard error. Not coloured
    /// unless `--color always`.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output_file: Option<PathBuf>,

    /// When to colour the `full` output: `auto` colours when stdout is a terminal and
    /// `NO_COLOR` is unset.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// The file name to show for standard input; its extension picks the dialect
    /// (`.jsonc`, `.json5`, `.yaml`/`.yml`, `.json`; without one, YAML when the text reads as
    /// YAML, else JSON). Given without paths, standard input is read.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Exit with status 0 even when error-level findings are reported (IO and usage errors
    /// still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Exit with status 1 when there are more than N warning-level findings, even without
    /// errors (`--exit-zero` still turns it into 0).
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,

    /// Report error-level findings only: warnings and infos are not shown (the summary still
    /// counts them, and `--max-warnings` still applies).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// After the results, print how many findings each rule produced (on stdout for `full` and
    /// `concise`, on stderr for the machine-readable formats).
    #[arg(long)]
    pub statistics: bool,

    /// The workflow type to check for (default: the config's, else `standard`): `express`
    /// also reports what Express workflows do not support (ASL403) and limits waits and
    /// retries to five minutes.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub workflow_type: Option<WorkflowTypeArg>,

    /// Apply the safe fixes to the files (rewritten in place, atomically), then report the
    /// findings that remain. JSON, JSONC and JSON5 files only; not standard input.
    #[arg(long)]
    pub fix: bool,

    /// With `--fix` or `--diff`, also apply the unsafe fixes: they change what the definition
    /// does (add a retrier, pick a state for a misspelt `Next`), so read them.
    #[arg(long, requires = "fixing")]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what `--fix` would change and write nothing; exit 1 when there
    /// is a change.
    #[arg(long, conflicts_with_all = ["format", "statistics"])]
    pub diff: bool,

    /// Report only the findings not in the baseline FILE (the output, the summary,
    /// `--max-warnings` and the exit status count only the others); when FILE does not exist,
    /// write it with every current finding and report none. Findings are keyed by rule, file
    /// (relative to FILE's folder), JSON Pointer and a fingerprint of message and source text,
    /// not by line. `--fix` fixes only the findings reported; `invalid-json` and
    /// `internal-error` are never baselined. Default: the config's `baseline`. See
    /// docs/baseline.md.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write the baseline (`--baseline` or the config's) again with the current findings
    /// (those of files this run did not lint are kept while the files exist) and report none.
    #[arg(long, conflicts_with = "diff")]
    pub update_baseline: bool,
}

#[derive(Debug, Args)]
pub struct CostArgs {
    /// Files or directories to estimate; directories are walked as `check` walks them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Output format: `full` (a summary per file) or `json` (an array, one object per file).
    #[arg(long, value_enum, default_value_t = CostFormat::Full)]
    pub format: CostFormat,

    /// The number of items every Map iterates over.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub map_items: u64,

    /// The workflow type to price: `standard` (per transition) or `express` (per request and
    /// duration). Default: the config's `workflow-type` for the file, else `standard`.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub workflow_type: Option<WorkflowTypeArg>,

    /// Use this config file for every file instead of finding `asl-lint.toml` or
    /// `.asl-lint.toml` above each file (its `include`, `exclude` and `workflow-type` apply).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Use no config file.
    #[arg(long)]
    pub no_config: bool,

    /// USD per 1,000 Standard state transitions (US East: 0.025).
    #[arg(long, default_value_t = asl_analyzer::cost::DEFAULT_PRICE_PER_1000, value_name = "USD", value_parser = price)]
    pub price_per_1000: f64,
}

fn price(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if p.is_finite() && p >= 0.0 => Ok(p),
        _ => Err("expected a price in USD, a number of 0 or more".to_owned()),
    }
}

/// `cost --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    /// A readable summary per file.
    Full,
    /// One JSON array, one object per file (see docs/cli.md).
    Json,
}

/// `--workflow-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WorkflowTypeArg {
    Standard,
    Express,
}

impl From<WorkflowTypeArg> for asl_analyzer::WorkflowType {
    fn from(arg: WorkflowTypeArg) -> asl_analyzer::WorkflowType {
        match arg {
            WorkflowTypeArg::Standard => asl_analyzer::WorkflowType::Standard,
            WorkflowTypeArg::Express => asl_analyzer::WorkflowType::Express,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to stdout.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                use std::io::IsTerminal;
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                !no_color && std::io::stdout().is_terminal()
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
    pub format: CatalogFormat,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Talk over standard input and output (the only transport; accepted because editor
    /// clients often pass it).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The definition to draw, or a CloudFormation/SAM template, Serverless Framework or
    /// Terraform file holding it (several: one diagram, a cluster per state machine); `-`
    /// reads standard input (JSON, or YAML when it reads as YAML).
    pub path: PathBuf,

    /// Diagram format: `mermaid` (renders in GitHub Markdown) or `dot` (Graphviz).
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,

    /// The one state machine of a template to draw, by logical id (a Serverless file's: by its
    /// key in `stepFunctions.stateMachines`; a Terraform file's: `aws_sfn_state_machine.NAME`
    /// or `module.NAME`); without it, all of them are drawn.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub resource: Option<String>,
}

/// `graph --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (`ASL001`) or name (`invalid-json`).
    pub rule: String,
}
