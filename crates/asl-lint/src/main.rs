use std::process::ExitCode;

// The parse tree is many small allocations (a string per key and value); mimalloc makes
// allocating and freeing them markedly cheaper than glibc's allocator (measured in the README's
// performance section).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    asl_lint::run(std::env::args_os()).into()
}
