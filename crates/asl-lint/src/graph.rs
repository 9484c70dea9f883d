//! `asl-lint graph`: one definition's state graph as a Mermaid or Graphviz DOT diagram on
//! standard output.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use asl_analyzer::{Graph, render};
use asl_syntax::ast::Machine;
use asl_syntax::{Dialect, Encoding, LineIndex};

use crate::args::{GraphArgs, GraphFormat};
use crate::check::STDIN_NAME;
use crate::exit::ExitStatus;
use crate::lint;
use crate::walk::Selection;

pub fn run(args: &GraphArgs) -> ExitStatus {
    let display = if args.path.as_os_str() == "-" {
        STDIN_NAME.to_owned()
    } else {
        args.path.display().to_string()
    };
    let result = catch_unwind(AssertUnwindSafe(|| diagram(&args.path, args.format)))
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
/// after the path (`: message` or `:line:col: message`).
fn diagram(path: &Path, format: GraphFormat) -> Result<String, String> {
    let stdin = path.as_os_str() == "-";
    let bytes = if stdin {
        lint::read_stdin()
    } else {
        lint::read_file(path, Selection::Always).map(Option::unwrap_or_default)
    }
    .map_err(|message| format!(": {message}"))?;
    let text = lint::decode(bytes).map_err(|err| format!(": {}", err.message))?;
    let dialect = if stdin {
        Dialect::Json
    } else {
        Dialect::from_path(&path.to_string_lossy())
    };
    let parse = asl_syntax::parse(&text, dialect);
    let Some(root) = &parse.root else {
        let (range, message) = parse
            .error
            .as_ref()
            .map_or((Default::default(), "no value"), |e| {
                (e.range, e.message.as_str())
            });
        let index = LineIndex::new(&text);
        let at = index.line_col(&text, range.start(), Encoding::Utf32);
        return Err(format!(
            ":{}:{}: invalid JSON: {message}",
            at.line + 1,
            at.col + 1
        ));
    };
    if root.get("StartAt").is_none() || root.get("States").is_none() {
        return Err(
            ": not a state machine: the top-level value is not an object with `StartAt` and `States`"
                .to_owned(),
        );
    }
    let machine = Machine::new(root);
    let graph = Graph::new(&machine);
    Ok(match format {
        GraphFormat::Mermaid => render::mermaid(&machine, &graph),
        GraphFormat::Dot => render::dot(&machine, &graph),
    })
}
