//! Every version a user copies from the documentation is the workspace version: the pre-commit
//! `rev: vX.Y.Z`, the action's `asl-lint/asl-lint@vX.Y.Z`, the mirror's `asl-lint==X.Y.Z`, and
//! the artifact names (`...-X.Y.Z.vsix`, `...-X.Y.Z.tgz`, `asl-lint-X.Y.Z-py3-...`). A release
//! bumps the version in Cargo.toml; this test then names every snippet still pointing at the old
//! tag (docs/releasing.md). CHANGELOG.md is left out: its old entries name old versions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

/// A version in `text` that a user copies, with its 1-based line and the context it was found
/// in: each `N.N.N` preceded by `rev: v`, `@v` or `==`, or followed by `.vsix`, `.tgz` or
/// `-py3`.
fn pinned_versions(text: &str) -> Vec<(usize, String, &'static str)> {
    const BEFORE: [&str; 3] = ["rev: v", "asl-lint@v", "asl-lint=="];
    const AFTER: [&str; 3] = [".vsix", ".tgz", "-py3"];
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'.'));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        let mut dots = 0;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            dots += usize::from(bytes[end] == b'.');
            end += 1;
        }
        let version = text[i..end].trim_end_matches('.');
        if dots >= 2 && version.split('.').count() == 3 && version.split('.').all(|p| !p.is_empty())
        {
            let line = text[..i].matches('\n').count() + 1;
            let context = BEFORE.iter().find(|p| text[..i].ends_with(*p)).or_else(|| {
                AFTER
                    .iter()
                    .find(|s| text[i + version.len()..].starts_with(*s))
            });
            if let Some(context) = context {
                found.push((line, version.to_owned(), *context));
            }
        }
        i = end.max(i + 1);
    }
    found
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The documentation and the packaging files users copy from.
fn files() -> Vec<PathBuf> {
    let root = repo();
    let mut files: Vec<PathBuf> = [
        "README.md",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "packaging/pre-commit-mirror/pyproject.toml",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    for dir in ["docs", "editors", "packaging"] {
        let mut stack = vec![root.join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    if name != "node_modules" && name != "dist" && !name.starts_with('.') {
                        stack.push(path);
                    }
                } else if name.ends_with(".md") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

#[test]
fn documented_versions_are_the_workspace_version() {
    let version = env!("CARGO_PKG_VERSION");
    let mut stale = Vec::new();
    let mut seen = 0;
    for file in files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, found, context) in pinned_versions(&text) {
            seen += 1;
            if found != version {
                let rel = file
                    .strip_prefix(repo())
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                stale.push(format!("{rel}:{line}: {found} ({context}), not {version}"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snippets name another version than the workspace's; update them (docs/releasing.md):\n{}",
        stale.join("\n")
    );
    // The README's pre-commit and action snippets at least.
    assert!(
        seen >= 3,
        "only {seen} pinned versions found: has the scan stopped matching?"
    );
}

#[test]
fn pinned_versions_finds_what_users_copy() {
    let text = "rev: v1.2.3\nuses: asl-lint/asl-lint@v0.10.0\n\"asl-lint==2.0.1\"\n\
                asl-lint-linux-x64-3.4.5.vsix and asl-lint-cli-linux-x64-0.1.0.tgz\n\
                asl-lint-9.9.9-py3-none-any.whl\nrust 1.88.0 and botocore 1.44.8 are not pins\n";
    let found: Vec<(usize, String)> = pinned_versions(text)
        .into_iter()
        .map(|(line, version, _)| (line, version))
        .collect();
    let expected = [
        (1, "1.2.3"),
        (2, "0.10.0"),
        (3, "2.0.1"),
        (4, "3.4.5"),
        (4, "0.1.0"),
        (5, "9.9.9"),
    ]
    .map(|(line, version)| (line, version.to_owned()));
    assert_eq!(found, expected);
}
