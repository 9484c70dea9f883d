//! The asl-lint Zed extension: starts `asl-lint lsp` (the asl-lint language server, LSP over
//! stdio) for Zed's JSON, JSONC and YAML languages (extension.toml).
//!
//! Which program: `lsp.asl-lint.binary.path` from Zed's settings when set, else `asl-lint` on
//! the worktree's `PATH` (as the user's shell sees it). Arguments: `lsp.asl-lint.binary.arguments`
//! when set, else `lsp`. The extension downloads nothing.

use zed_extension_api::{self as zed, LanguageServerId, Result, settings::LspSettings};

/// The program's name on `PATH`, and the server's id in extension.toml and in the `lsp` settings.
const SERVER: &str = "asl-lint";

/// The arguments that start the language server.
const DEFAULT_ARGS: &[&str] = &["lsp"];

/// What the user configured under `lsp.asl-lint.binary`.
#[derive(Debug, Default, Clone, PartialEq)]
struct Configured {
    path: Option<String>,
    arguments: Option<Vec<String>>,
    env: Vec<(String, String)>,
}

/// The program and arguments to run: the configured path, else `on_path` (the result of looking
/// `asl-lint` up on `PATH`, asked only when no path is configured); the configured arguments,
/// else [`DEFAULT_ARGS`].
fn resolve(
    configured: &Configured,
    on_path: impl FnOnce() -> Option<String>,
) -> Result<(String, Vec<String>)> {
    let command = match configured.path.as_deref().filter(|p| !p.is_empty()) {
        Some(path) => path.to_owned(),
        None => on_path().ok_or_else(|| {
            format!(
                "`{SERVER}` was not found on PATH. Install it (`pip install asl-lint`, \
                 `npm install -g asl-lint` or `cargo install --locked --path crates/asl-lint` in a \
                 clone) or set `lsp.{SERVER}.binary.path` in Zed's settings."
            )
        })?,
    };
    let args = configured
        .arguments
        .clone()
        .unwrap_or_else(|| DEFAULT_ARGS.iter().map(|a| (*a).to_owned()).collect());
    Ok((command, args))
}

struct AslLint;

impl zed::Extension for AslLint {
    fn new() -> Self {
        AslLint
    }

    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(language_server_id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary);
        let configured = binary
            .map(|b| Configured {
                path: b.path,
                arguments: b.arguments,
                env: b
                    .env
                    .map(|env| env.into_iter().collect())
                    .unwrap_or_default(),
            })
            .unwrap_or_default();
        let (command, args) = resolve(&configured, || worktree.which(SERVER))?;
        let mut env = worktree.shell_env();
        env.extend(configured.env);
        Ok(zed::Command { command, args, env })
    }
}

zed::register_extension!(AslLint);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_lookup_and_lsp_by_default() {
        let got = resolve(&Configured::default(), || {
            Some("/usr/local/bin/asl-lint".to_owned())
        });
        assert_eq!(
            got,
            Ok(("/usr/local/bin/asl-lint".to_owned(), vec!["lsp".to_owned()]))
        );
    }

    #[test]
    fn configured_path_wins_and_path_is_not_searched() {
        let configured = Configured {
            path: Some("/opt/asl-lint".to_owned()),
            ..Configured::default()
        };
        let got = resolve(&configured, || {
            panic!("PATH searched although a path is set")
        });
        assert_eq!(
            got,
            Ok(("/opt/asl-lint".to_owned(), vec!["lsp".to_owned()]))
        );
    }

    #[test]
    fn configured_arguments_replace_the_default() {
        let configured = Configured {
            arguments: Some(vec!["lsp".to_owned(), "--stdio".to_owned()]),
            ..Configured::default()
        };
        let got = resolve(&configured, || Some("asl-lint".to_owned()));
        assert_eq!(
            got,
            Ok((
                "asl-lint".to_owned(),
                vec!["lsp".to_owned(), "--stdio".to_owned()]
            ))
        );
    }

    #[test]
    fn an_empty_configured_path_means_none() {
        let configured = Configured {
            path: Some(String::new()),
            ..Configured::default()
        };
        let got = resolve(&configured, || Some("/bin/asl-lint".to_owned()));
        assert_eq!(
            got,
            Ok(("/bin/asl-lint".to_owned(), vec!["lsp".to_owned()]))
        );
    }

    #[test]
    fn not_found_says_how_to_install_and_configure() {
        let err = resolve(&Configured::default(), || None).unwrap_err();
        assert!(err.contains("pip install asl-lint"), "{err}");
        assert!(err.contains("lsp.asl-lint.binary.path"), "{err}");
    }
}
