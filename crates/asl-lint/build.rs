//! Records the commit asl-lint is built from, for `asl-lint --version`: `ASL_LINT_COMMIT` when
//! it is set (a build from a source archive, which has no `.git`, sets it), else the checkout's
//! `git rev-parse --short=12 HEAD`, else none (the version then names no commit).

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_owned())
}

fn main() {
    println!("cargo:rerun-if-env-changed=ASL_LINT_COMMIT");
    let commit = std::env::var("ASL_LINT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]));
    // Built again when HEAD moves: a checkout changes HEAD, a commit the branch's ref (a loose
    // file, or packed-refs once `git gc` packs it). Only files that exist are watched: cargo
    // takes a missing one for changed and would build asl-lint again on every run, and a whole
    // `refs/heads` would rebuild it on a commit to any other branch.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for path in &watched {
        if let Some(file) = git(&["rev-parse", "--git-path", path])
            && std::path::Path::new(&file).exists()
        {
            println!("cargo:rerun-if-changed={file}");
        }
    }
    if let Some(commit) = commit {
        println!("cargo:rustc-env=ASL_LINT_COMMIT={commit}");
    }
}
