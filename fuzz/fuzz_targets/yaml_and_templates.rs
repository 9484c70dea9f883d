//! The input as a YAML state machine (parse + analyse), and through the CLI's pipeline
//! (`asl_lint::lint_bytes`) as a YAML state machine and as a host document (a CloudFormation/SAM
//! template, or a Serverless Framework file: the content decides) in YAML and in JSON, so the
//! host readers and the source maps of embedded definitions run (the seeds hold both kinds:
//! `tests/cli/templates-data`, `tests/cli/serverless-data`).
//! Nothing may panic (nor be caught as ASL999), and every range (parse errors, findings, their
//! labels, `DefinitionUri` ranges) lies on character boundaries of the text it refers to.

#![no_main]

mod common;

use asl_analyzer::Options;
use asl_lint::output::{OutputFormat, Renderer, Summary};
use asl_lint::walk::Selection;
use asl_syntax::Dialect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    common::on_big_stack(move || run(&data));
});

fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let options = Options::default();

    let parse = asl_syntax::parse(&text, Dialect::Yaml);
    common::check_parse(&text, &parse, "parse yaml");
    let diagnostics = asl_analyzer::analyze(&text, Dialect::Yaml, &options);
    common::check_diagnostics(&text, &diagnostics, "analyze yaml");

    // `template.yaml` is linted as a YAML state machine when it is not a template.
    for name in ["template.yaml", "template.json"] {
        let Some(linted) = asl_lint::lint_bytes(name, data.to_vec(), Selection::Always, &options)
        else {
            continue;
        };
        common::check_diagnostics(&linted.text, &linted.diagnostics, name);
        for file in &linted.definition_files {
            common::check_range(&linted.text, file.range, &format!("{name}: DefinitionUri"));
        }
        let mut summary = Summary::default();
        summary.add_file(&linted.diagnostics);
        for format in [OutputFormat::Full, OutputFormat::Json] {
            let renderer = Renderer::new(format, false);
            let rendered = renderer.render(name, &linted.text, &linted.diagnostics);
            let mut out = Vec::new();
            let _ = renderer.finish(&mut out, [&rendered], &summary, &[]);
        }
    }
}
