//! `asl-lsp`: the language server of asl-lint, started by `asl-lint lsp` over stdio.
//!
//! The only crate that knows LSP, tower-lsp-server and tokio. Every feature is a thin adapter
//! over `asl_analyzer::ide`, so the editor and the CLI always report the same findings.

mod convert;
mod documents;
mod framing;
mod server;
mod transport;

/// Which documents the server analyses, and how: its call of the classifier the command line
/// shares (for tests that compare the two faces).
pub use documents::{Kind as DocumentKind, classify as classify_document};
pub use server::Backend;
pub use tower_lsp_server::{ClientSocket, LspService, jsonrpc, ls_types};
pub use transport::serve;

/// Builds the service (for in-process tests and for [`run_stdio`]).
pub fn service() -> (LspService<Backend>, ClientSocket) {
    LspService::new(Backend::new)
}

/// Serves LSP over standard input and output until the client exits ([`serve`]). Returns an
/// error message when the runtime cannot start.
pub fn run_stdio() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Analysis runs on these threads: give them the stack the readers' depth bound needs.
        .thread_stack_size(asl_syntax::STACK_SIZE)
        .build()
        .map_err(|e| format!("cannot start the language server's runtime: {e}"))?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // After `exit`, a read of standard input may still be waiting (tokio reads it on a blocking
    // thread that cannot be cancelled); dropping the runtime would wait for it, so do not.
    runtime.shutdown_background();
    Ok(())
}
