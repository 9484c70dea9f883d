//! `asl-lint graph`: one definition's state graph as a Mermaid or Graphviz DOT diagram on
//! standard output (the writers are in `output/graph.rs`). The file is classified as `check`
//! classifies it; a template's state machine is read through the host pipeline.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use asl_analyzer::Graph;
use asl_syntax::ast::Machine;
use asl_syntax::host::{Definition, Embedded, Host};
use asl_syntax::{DocumentKind, Encoding, LineIndex};

use crate::args::{GraphArgs, GraphFormat};
use crate::check::STDIN_NAME;
use crate::exit::ExitStatus;
use crate::lint;
use crate::output;
use crate::walk::Selection;

pub fn run(args: &GraphArgs) -> ExitStatus {
    let display = if args.path.as_os_str() == "-" {
        STDIN_NAME.to_owned()
    } else {
        args.path.display().to_string()
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        diagram(&args.path, args.resource.as_deref(), args.format)
    }))
    .unwrap_or_else(|panic| {
        Err(format!(
            "internal error: {}",
            asl_analyzer::panic_message(&*panic)
        ))
    });
    let text = match result {
        Ok(text) => text,
        Err(message) => {
            eprintln!("error: {display}{message}");
            return ExitStatus::Error;
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitStatus::Success,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(err) => {
            eprintln!("error: cannot write the graph: {err}");
            ExitStatus::Error
        }
    }
}

/// The diagram of the file at `path` (`-`: standard input), or the rest of a one-line error
/// after the path (`: message` or `:line:col: message`). A host document (a CloudFormation/SAM
/// template) is drawn through the host pipeline: its one state machine, or the one `resource`
/// names.
fn diagram(path: &Path, resource: Option<&str>, format: GraphFormat) -> Result<String, String> {
    let stdin = path.as_os_str() == "-";
    let bytes = if stdin {
        lint::read_stdin()
    } else {
        lint::read_file(path, Selection::Always).map(Option::unwrap_or_default)
    }
    .map_err(|message| format!(": {message}"))?;
    let text = lint::decode(bytes).map_err(|err| format!(": {}", err.message))?;
    let name = if stdin {
        STDIN_NAME.to_owned()
    } else {
        path.to_string_lossy().into_owned()
    };
    let classified = lint::classify_file(&name, &text, Selection::Always)
        .ok_or_else(|| ": not a state machine".to_owned())?;
    let kind = classified.kind();
    let parse = classified.into_parse(&text);
    let draw = |root: &asl_syntax::Node| {
        let machine = Machine::new(root);
        let graph = Graph::new(&machine);
        let diagram = asl_analyzer::diagram::build(&machine, &graph);
        match format {
            GraphFormat::Mermaid => output::graph::mermaid(&diagram),
            GraphFormat::Dot => output::graph::dot(&diagram),
        }
    };
    // A host in its own language (Terraform) has no tree, and its reader's message names it.
    let own_language = matches!(kind, DocumentKind::Host(host) if !host.reads_tree());
    let root = match (&parse.root, &parse.error) {
        (Some(root), _) => Some(root),
        (None, None) if own_language => None,
        (None, error) => {
            let (range, message) = error
                .as_ref()
                .map_or((Default::default(), "no value"), |e| {
                    (e.range, e.message.as_str())
                });
            let what = if own_language { "" } else { "invalid JSON: " };
            return Err(format!(
                ":{}: {what}{message}",
                line_col(&text, range.start())
            ));
        }
    };
    if let DocumentKind::Host(host) = kind {
        let all = host.definitions(&text, root);
        if resource.is_none() && all.len() > 1 {
            return draw_all(host, &text, &all, format);
        }
        let embedded = pick(host, &all, resource)?;
        return match embedded.tree() {
            Ok(Some(tree)) => Ok(draw(tree.root())),
            Ok(None) => Err(format!(
                ": the definition of `{}` is not in the {}: {}",
                embedded.logical_id,
                host.describe(),
                match &embedded.definition {
                    Definition::File { path, .. } => format!("it is in `{path}`; draw that file"),
                    Definition::Elsewhere { why, .. } => (*why).to_owned(),
                    _ => "it has no definition".to_owned(),
                }
            )),
            Err(error) => Err(format!(
                ":{}: invalid JSON in the definition of `{}`: {}",
                line_col(&text, error.range.start()),
                embedded.logical_id,
                error.message
            )),
        };
    }
    let Some(root) = root else {
        return Err(": not a state machine".to_owned());
    };
    if resource.is_some() {
        return Err(
            ": `--resource` names a state machine of a CloudFormation/SAM template or Serverless Framework file, and this is a state machine itself; leave it out"
                .to_owned(),
        );
    }
    if root.get("StartAt").is_none() || root.get("States").is_none() {
        return Err(
            ": not a state machine: the top-level value is not an object with `StartAt` and `States`"
                .to_owned(),
        );
    }
    Ok(draw(root))
}

/// Every state machine of a host document in one diagram, each in a cluster titled by its name
/// (`--resource` picks one instead). Those that cannot be drawn here (in a file, in S3, not
/// parsing) are named in a comment at the top, with why.
fn draw_all(
    host: Host,
    text: &str,
    all: &[Embedded<'_>],
    format: GraphFormat,
) -> Result<String, String> {
    let mut parts = Vec::new();
    let mut skipped = Vec::new();
    for embedded in all {
        match embedded.tree() {
            Ok(Some(tree)) => {
                let machine = Machine::new(tree.root());
                let graph = Graph::new(&machine);
                parts.push((
                    embedded.logical_id.to_string(),
                    asl_analyzer::diagram::build(&machine, &graph),
                ));
            }
            Ok(None) => skipped.push(format!(
                "`{}`: {}",
                embedded.logical_id,
                match &embedded.definition {
                    Definition::File { path, .. } => format!("its definition is in `{path}`"),
                    Definition::Elsewhere { why, .. } => (*why).to_owned(),
                    _ => "it has no definition".to_owned(),
                }
            )),
            Err(error) => skipped.push(format!(
                "`{}`: invalid JSON at {}: {}",
                embedded.logical_id,
                line_col(text, error.range.start()),
                error.message
            )),
        }
    }
    if parts.is_empty() {
        return Err(format!(
            ": none of the {} state machines of the {} can be drawn here ({})",
            all.len(),
            host.describe(),
            skipped.join("; ")
        ));
    }
    let diagram = asl_analyzer::diagram::combine(parts);
    let (body, comment) = match format {
        GraphFormat::Mermaid => (output::graph::mermaid(&diagram), "%%"),
        GraphFormat::Dot => (output::graph::dot(&diagram), "//"),
    };
    // The notes go after the first line (`flowchart TD`, `digraph ... {`), where both formats
    // take comments.
    let (first, rest) = body.split_once('\n').unwrap_or((&body, ""));
    let mut out = format!("{first}\n");
    for line in &skipped {
        out.push_str(&format!(
            "  {comment} not drawn: {}\n",
            line.replace('\n', " ")
        ));
    }
    out.push_str(rest);
    Ok(out)
}

/// The embedded definition to draw: the one `resource` names, else the only one.
fn pick<'a, 't>(
    host: Host,
    all: &'a [Embedded<'t>],
    resource: Option<&str>,
) -> Result<&'a Embedded<'t>, String> {
    let ids = || {
        all.iter()
            .map(|e| format!("`{}`", e.logical_id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (resource, all) {
        (Some(id), _) => all.iter().find(|e| e.logical_id == id).ok_or_else(|| {
            format!(
                ": the {} has no state machine `{id}`; its state machines: {}",
                host.describe(),
                ids()
            )
        }),
        (None, [only]) => Ok(only),
        (None, []) => Err(format!(": the {} holds no state machine", host.describe())),
        (None, _) => Err(format!(
            ": the {} holds {} state machines ({}); name one with `--resource`",
            host.describe(),
            all.len(),
            ids()
        )),
    }
}

/// `line:col` (1-based, in characters) of an offset.
fn line_col(text: &str, at: asl_syntax::TextSize) -> String {
    let pos = LineIndex::new(text).line_col(text, at, Encoding::Utf32);
    format!("{}:{}", pos.line + 1, pos.col + 1)
}
