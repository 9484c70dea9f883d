//! The input as a Terraform file (`main.tf`, HCL) and as Terraform's JSON syntax
//! (`main.tf.json`) through the CLI's pipeline (`asl_lint::lint_bytes`) and the cost estimate,
//! and embedded as the JSON text of a `<<-EOF` heredoc definition, so the HCL reader, the
//! `jsonencode` writer and their source maps run. Nothing may panic (nor be caught as ASL999),
//! and every range (findings, their labels, `file()` ranges) lies on character boundaries of the
//! text it refers to.

#![no_main]

mod common;

use asl_analyzer::Options;
use asl_analyzer::cost::CostOptions;
use asl_lint::walk::Selection;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    common::on_big_stack(move || run(&data));
});

fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut heredoc = String::from("resource \"aws_sfn_state_machine\" \"f\" {\n  definition = <<-EOF\n");
    for line in text.lines() {
        heredoc.push_str("    ");
        heredoc.push_str(line);
        heredoc.push('\n');
    }
    heredoc.push_str("    EOF\n}\n");
    let inputs = [
        ("main.tf", data.to_vec()),
        ("main.tf.json", data.to_vec()),
        ("heredoc.tf", heredoc.into_bytes()),
    ];
    let options = Options::default();
    for (name, bytes) in inputs {
        let Some(linted) = asl_lint::lint_bytes(name, bytes, Selection::Always, &options) else {
            continue;
        };
        common::check_diagnostics(&linted.text, &linted.diagnostics, name);
        for file in &linted.definition_files {
            common::check_range(&linted.text, file.range, &format!("{name}: file()"));
        }
        let _ = asl_lint::cost::estimate_text(
            name,
            &linted.text,
            Selection::Always,
            &CostOptions::default(),
        );
    }
}
