//! File discovery: which files a `check` run lints.
//!
//! Files named on the command line are always linted, whatever their name. Directories are
//! walked with the `ignore` crate (`.gitignore`, `.ignore` and hidden-file rules, also outside a
//! git repository; symbolic links are followed and loops reported). A walked file is linted when
//! it is named `*.asl.json`, `*.asl.jsonc`, `*.asl.json5`, `*.asl.yaml` or `*.asl.yml`, or, for any
//! other `*.json`, `*.jsonc`, `*.json5`, `*.yaml` or `*.yml` (and Terraform's `*.tf`), when the
//! classifier ([`asl_syntax::classify()`], shared with the language server) finds a state
//! machine or a host document holding one in it (decided by the linting step from the bytes it
//! reads anyway, a byte scan before any parse, see [`Selection::IfStateMachine`] and
//! `lint::classify_file`). Hidden directories such as Terraform's `.terraform/` module cache are
//! skipped by the hidden-file rule.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use asl_syntax::classify::{NameClass, name_class};
use ignore::{WalkBuilder, WalkState};

/// Whether a file is linted whatever its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Selection {
    /// Named on the command line, or named `*.asl.json*`: always linted.
    Always,
    /// Any other JSON or YAML file met in a walk: linted only if it is a state machine or a
    /// template holding one.
    IfStateMachine,
}

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// The path as printed (without a leading `./`).
    pub display: String,
    pub selection: Selection,
    /// Named on the command line (not met in a walk): the config's `include` and `exclude` do
    /// not apply to it, unless `--force-exclude`.
    pub explicit: bool,
}

/// A path that could not be walked or read (missing, unreadable, a symbolic link loop, too large).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by display path, without duplicates.
    pub files: Vec<Candidate>,
    /// Sorted by path.
    pub errors: Vec<PathError>,
    /// Problems that do not stop the walk (a malformed `.gitignore` line), for stderr.
    pub warnings: Vec<String>,
}

/// Finds the files to lint under `paths` (files or directories; not `-`).
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    let mut roots = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => roots.push(path.clone()),
            // A FIFO would block the run forever, a device may never end: only regular files
            // are read.
            Ok(meta) if !meta.is_file() => discovery.errors.push(PathError {
                path: display_path(path),
                message: format!(
                    "it is {}, not a regular file; name files or directories (or `-` for standard input)",
                    special_kind(&meta)
                ),
            }),
            Ok(_) => discovery.files.push(Candidate {
                path: path.clone(),
                display: display_path(path),
                selection: Selection::Always,
                explicit: true,
            }),
            Err(err) => discovery.errors.push(PathError {
                path: display_path(path),
                message: io_message(&err),
            }),
        }
    }
    if let Some((first, rest)) = roots.split_first() {
        walk(first, rest, &mut discovery);
    }
    // One entry per file, however it was named (`a.json ./a.json`, a folder and a file in it,
    // a symbolic link and its target): the first name in path order, linted as selected most
    // surely (named on the command line beats met in a walk).
    let mut files: Vec<(FileId, Candidate)> = std::mem::take(&mut discovery.files)
        .into_iter()
        .map(|c| (FileId::of(&c.path), c))
        .collect();
    files.sort_by(|(pa, a), (pb, b)| {
        (pa, a.selection, !a.explicit, &a.display).cmp(&(pb, b.selection, !b.explicit, &b.display))
    });
    files.dedup_by(|later, first| later.0 == first.0);
    discovery.files = files.into_iter().map(|(_, c)| c).collect();
    discovery
        .files
        .sort_by(|a, b| (&a.display, a.selection).cmp(&(&b.display, b.selection)));
    discovery.errors.sort_by(|a, b| a.path.cmp(&b.path));
    discovery.errors.dedup();
    discovery.warnings.sort();
    discovery.warnings.dedup();
    discovery
}

fn walk(first: &Path, rest: &[PathBuf], discovery: &mut Discovery) {
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder.require_git(false).follow_links(true);
    let found = Mutex::new(Discovery::default());
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |result| {
            let mut out = Discovery::default();
            match result {
                Ok(entry) => {
                    if let Some(err) = entry.error() {
                        out.warnings.push(describe(err).message);
                    }
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    let selection = selection_for_name(&entry.file_name().to_string_lossy());
                    if let (true, Some(selection)) = (is_file, selection) {
                        out.files.push(Candidate {
                            display: display_path(entry.path()),
                            path: entry.into_path(),
                            selection,
                            explicit: false,
                        });
                    }
                }
                Err(err) => out.errors.push(describe(&err)),
            }
            if let Ok(mut found) = found.lock() {
                found.files.append(&mut out.files);
                found.errors.append(&mut out.errors);
                found.warnings.append(&mut out.warnings);
            }
            WalkState::Continue
        })
    });
    let found = found
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner());
    discovery.files.extend(found.files);
    discovery.errors.extend(found.errors);
    discovery.warnings.extend(found.warnings);
}

/// Which file a path names: its device and inode where there are such (one `stat`), else its
/// canonical path, else the path as given.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum FileId {
    Inode(u64, u64),
    Path(PathBuf),
}

impl FileId {
    fn of(path: &Path) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Ok(meta) = std::fs::metadata(path) {
                return FileId::Inode(meta.dev(), meta.ino());
            }
        }
        FileId::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

/// What a path that is neither a file nor a directory is, for a message.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
}

/// How a file met in a directory walk is selected, by its name ([`asl_syntax::classify()`]'s
/// reading of names, which the language server shares); `None` skips it.
pub fn selection_for_name(name: &str) -> Option<Selection> {
    match name_class(name) {
        NameClass::StateMachine => Some(Selection::Always),
        NameClass::JsonOrYaml | NameClass::Host => Some(Selection::IfStateMachine),
        NameClass::Other => None,
    }
}

/// A path as printed: without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut rest: &str = &text;
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped.trim_start_matches('/');
    }
    if rest.is_empty() {
        ".".to_owned()
    } else {
        rest.to_owned()
    }
}

pub use asl_config::io_message;

/// The path and message of a walk error.
fn describe(err: &ignore::Error) -> PathError {
    let mut path = String::new();
    let mut err = err;
    loop {
        match err {
            ignore::Error::WithPath {
                path: p,
                err: inner,
            } => {
                if path.is_empty() {
                    path = display_path(p);
                }
                err = inner;
            }
            ignore::Error::WithDepth { err: inner, .. } => err = inner,
            ignore::Error::Loop { ancestor, child } => {
                return PathError {
                    path: display_path(child),
                    message: format!(
                        "symbolic link loop: it leads back to `{}`; not followed",
                        display_path(ancestor)
                    ),
                };
            }
            ignore::Error::Io(io) => {
                return PathError {
                    path,
                    message: io_message(io),
                };
            }
            other => {
                return PathError {
                    path,
                    message: other.to_string(),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(selection_for_name("a.asl.json"), Some(Selection::Always));
        assert_eq!(selection_for_name("A.ASL.JSONC"), Some(Selection::Always));
        assert_eq!(
            selection_for_name("package.json"),
            Some(Selection::IfStateMachine)
        );
        assert_eq!(
            selection_for_name("x.json5"),
            Some(Selection::IfStateMachine)
        );
        assert_eq!(
            selection_for_name("a.yaml"),
            Some(Selection::IfStateMachine)
        );
        assert_eq!(selection_for_name("flow.asl.yaml"), Some(Selection::Always));
        assert_eq!(selection_for_name("flow.ASL.YML"), Some(Selection::Always));
        assert_eq!(selection_for_name("json"), None);
        assert_eq!(
            selection_for_name("template.yaml"),
            Some(Selection::IfStateMachine)
        );
        assert_eq!(selection_for_name("README.md"), None);
        assert_eq!(
            selection_for_name("main.tf"),
            Some(Selection::IfStateMachine)
        );
        assert_eq!(selection_for_name("main.tfvars"), None);
    }

    #[test]
    fn display_strips_leading_dot() {
        assert_eq!(display_path(Path::new("./a/b.json")), "a/b.json");
        assert_eq!(display_path(Path::new("././a")), "a");
        assert_eq!(display_path(Path::new(".")), ".");
        assert_eq!(display_path(Path::new("./")), ".");
        assert_eq!(display_path(Path::new("../a")), "../a");
    }
}
