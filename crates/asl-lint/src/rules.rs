//! `asl-lint rules` and `asl-lint explain`.

use asl_analyzer::registry;

use crate::args::{ExplainArgs, RulesArgs};
use crate::exit::ExitStatus;
use crate::output::catalog;

pub fn rules(args: &RulesArgs) -> ExitStatus {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    written(catalog::write_rules(&mut out, registry::all(), args.format))
}

pub fn explain(args: &ExplainArgs) -> ExitStatus {
    let Some(rule) = registry::find(args.rule.trim()) else {
        if let Some(selector @ asl_config::Selector::Prefix(_)) =
            asl_config::Selector::parse(args.rule.trim())
        {
            let rules: Vec<String> = selector
                .rules()
                .map(|r| format!("{} {}", r.code, r.name))
                .collect();
            eprintln!(
                "error: `{}` is a code prefix, not one rule; explain one of: {}",
                args.rule,
                rules.join(", ")
            );
            return ExitStatus::Error;
        }
        let candidates = registry::all().flat_map(|r| [r.code, r.name]);
        let hint = asl_analyzer::names::did_you_mean(args.rule.trim(), candidates);
        eprintln!(
            "error: unknown rule `{}`{hint}\n  (`asl-lint rules` lists every rule)",
            args.rule
        );
        return ExitStatus::Error;
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    written(catalog::write_explain(&mut out, rule))
}

fn written(result: std::io::Result<()>) -> ExitStatus {
    match result {
        Ok(()) => ExitStatus::Success,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
        Err(err) => {
            eprintln!("error: cannot write the output: {err}");
            ExitStatus::Error
        }
    }
}
