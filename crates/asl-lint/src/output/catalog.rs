//! The rule catalog (`asl-lint rules`) and one rule's documentation (`asl-lint explain`).

use std::io::{self, Write};

use asl_analyzer::RuleMeta;
use clap::ValueEnum;
use serde::Serialize;

/// The format of `asl-lint rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// An aligned table: code, name, default level, summary.
    Text,
    /// `{"version": 1, "rules": [{"code", "name", "level", "summary"}]}`.
    Json,
}

#[derive(Serialize)]
struct Catalog {
    version: u32,
    rules: Vec<Entry>,
}

#[derive(Serialize)]
struct Entry {
    code: &'static str,
    name: &'static str,
    level: &'static str,
    summary: String,
}

/// Writes the catalog of `rules`.
pub fn write_rules<'a>(
    out: &mut dyn Write,
    rules: impl IntoIterator<Item = &'a RuleMeta>,
    format: CatalogFormat,
) -> io::Result<()> {
    let rules: Vec<&RuleMeta> = rules.into_iter().collect();
    match format {
        CatalogFormat::Text => {
            let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:<6}  {:<name_width$}  {:<7}  SUMMARY",
                "CODE", "NAME", "LEVEL"
            )?;
            for rule in &rules {
                writeln!(
                    out,
                    "{:<6}  {:<name_width$}  {:<7}  {}",
                    rule.code,
                    rule.name,
                    rule.level.as_str(),
                    rule.summary()
                )?;
            }
        }
        CatalogFormat::Json => {
            let catalog = Catalog {
                version: 1,
                rules: rules
                    .iter()
                    .map(|r| Entry {
                        code: r.code,
                        name: r.name,
                        level: r.level.as_str(),
                        summary: r.summary(),
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &catalog)?;
            writeln!(out)?;
        }
    }
    out.flush()
}

/// Writes one rule's documentation as markdown.
pub fn write_explain(out: &mut dyn Write, rule: &RuleMeta) -> io::Result<()> {
    writeln!(out, "# {} ({})", rule.name, rule.code)?;
    writeln!(out)?;
    writeln!(out, "Default level: {}.", rule.level.as_str())?;
    writeln!(out)?;
    writeln!(out, "{}", rule.markdown())?;
    out.flush()
}
