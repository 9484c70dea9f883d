//! The file side of `check --fix` and `--diff`: writing a fixed file atomically, and the
//! unified diff of a fix. What to fix is [`asl_analyzer::fix`]'s business.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What [`write_atomically`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file now holds the new text.
    Written,
    /// The file no longer holds what was read (it changed on disk meanwhile): left alone.
    ChangedOnDisk,
}

/// Replaces the content of `path` with `new`, if it still is `expected` (what was read and
/// fixed): writes a temporary file beside it (same folder, same permissions), syncs it, checks
/// the file once more, then renames the temporary file over it, so a reader sees the old or the
/// new content, never a mix. A symbolic link is followed: its target is replaced, the link
/// stays. The check and the rename are two steps, so a write landing between them is lost;
/// the window is that of one rename.
pub fn write_atomically(path: &Path, expected: &[u8], new: &[u8]) -> Result<Written, String> {
    let target = std::fs::canonicalize(path).map_err(|e| io_message(&e))?;
    let permissions = std::fs::metadata(&target)
        .map_err(|e| io_message(&e))?
        .permissions();
    let temp = temp_path(&target)?;
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(new)?;
        file.set_permissions(permissions)?;
        file.sync_all()
    })();
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(format!(
            "cannot write `{}`: {}",
            temp.display(),
            io_message(&err)
        ));
    }
    match std::fs::read(&target) {
        Ok(current) if current == expected => {}
        Ok(_) => {
            let _ = std::fs::remove_file(&temp);
            return Ok(Written::ChangedOnDisk);
        }
        Err(err) => {
            let _ = std::fs::remove_file(&temp);
            return Err(io_message(&err));
        }
    }
    if let Err(err) = std::fs::rename(&temp, &target) {
        let _ = std::fs::remove_file(&temp);
        return Err(io_message(&err));
    }
    // Make the rename itself durable where folders can be synced (best effort).
    if let Some(dir) = target.parent() {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(Written::Written)
}

/// A fresh name beside `target`: `.NAME.asl-lint-fix.PID.N.tmp`.
fn temp_path(target: &Path) -> Result<PathBuf, String> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = target
        .file_name()
        .ok_or_else(|| "not a file".to_owned())?
        .to_string_lossy();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = format!(".{name}.asl-lint-fix.{}.{n}.tmp", std::process::id());
    Ok(target.with_file_name(temp))
}

fn io_message(err: &std::io::Error) -> String {
    crate::walk::io_message(err)
}

/// The unified diff (3 lines of context) turning `old` into `new`, both headed `path`.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("asl-lint-fix-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_when_the_file_is_as_read() {
        let dir = scratch("write");
        let path = dir.join("a.asl.json");
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        assert_eq!(
            write_atomically(&path, b"old", b"new"),
            Ok(Written::Written)
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(entries(&dir), ["a.asl.json"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn leaves_a_file_that_changed_on_disk_alone() {
        let dir = scratch("stale");
        let path = dir.join("a.asl.json");
        // Read as "old", fixed, but someone saved "edited" meanwhile.
        std::fs::write(&path, "edited").unwrap();
        assert_eq!(
            write_atomically(&path, b"old", b"fixed"),
            Ok(Written::ChangedOnDisk)
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
        assert_eq!(
            entries(&dir),
            ["a.asl.json"],
            "the temporary file is removed"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let dir = scratch("missing");
        assert!(write_atomically(&dir.join("gone.asl.json"), b"", b"x").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_a_link() {
        let dir = scratch("link");
        let real = dir.join("real.asl.json");
        let link = dir.join("link.asl.json");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(
            write_atomically(&link, b"old", b"new"),
            Ok(Written::Written)
        );
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn diff() {
        let diff = unified_diff("a.asl.json", "1\n2\n3\n", "1\ntwo\n3\n");
        assert_eq!(
            diff,
            "--- a.asl.json\n+++ a.asl.json\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n"
        );
    }
}
