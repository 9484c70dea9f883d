use std::process::ExitCode;

fn main() -> ExitCode {
    asl_lint::run(std::env::args_os()).into()
}
