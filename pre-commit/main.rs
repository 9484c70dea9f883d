//! `asl-lint` under the name pre-commit installs (see `.pre-commit-hooks.yaml` and the root
//! `Cargo.toml`): the same command line, the same allocator.

use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    asl_lint::run(std::env::args_os()).into()
}
