//! The file side of `check --fix` and `--diff`: writing a fixed file safely, and the unified
//! diff of a fix. What to fix is [`asl_analyzer::fix`]'s business.
//!
//! [`write_atomically`] replaces a file only if it still holds what was read, keeps what the
//! file is (its permissions, owner and group, its hard links, the symbolic link to it) and
//! refuses a read-only file. The one window it cannot close with the calls std offers is
//! described on [`write_atomically`] and in `docs/cli.md`.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

/// What [`write_atomically`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file now holds the new text.
    Written,
    /// The file no longer holds what was read (it changed on disk meanwhile): left alone.
    ChangedOnDisk,
    /// The file is read-only (no write permission for anyone): left alone.
    ReadOnly,
}

/// The points of [`write_atomically_with`] where a test may act (write to the file, as a
/// concurrent program would).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The new text is in the temporary file, synced; the final checks come next.
    TempWritten,
    /// The final checks passed; the rename (or the write in place) comes next.
    Checked,
    /// The temporary file was renamed over the file; the check for a write that went to the
    /// old file comes next.
    Renamed,
    /// Done with the file (written, or put back); only syncing its folder is left.
    Settled,
}

/// Replaces the content of `path` with `new`, if it still is `expected` (what was read and
/// fixed). A symbolic link is followed: its target is written, the link stays.
///
/// - A read-only file (no write permission bit for anyone, which root would ignore) is refused:
///   [`Written::ReadOnly`]. A file the user may not write is an error.
/// - Normally the new text goes to a temporary file beside it (same folder, same permissions,
///   same owner and group), which is synced and renamed over it, so a reader sees the old or
///   the new content, never a mix.
/// - A file with other hard links, one whose owner or group the temporary file cannot take
///   (not root, someone else's file), and one in a folder where no file can be created, is
///   written in place instead (truncated and rewritten through the same inode, then synced):
///   the links and the owner stay, but a reader may see a partly written file meanwhile. The
///   complete new text is first saved (synced) in a temporary file beside it, removed once the
///   file is written, so a crash mid-way leaves it there.
/// - "Still is `expected`": the file is opened once; its content is read through that handle
///   and compared, and its identity (device and inode) and state (size, modification time
///   with nanoseconds) are noted. After the temporary file is written, the content is read
///   again through the handle, and the path is checked to still name that inode in that
///   state; then comes the rename. Anything else is [`Written::ChangedOnDisk`], nothing
///   written.
/// - Left open: the time between that last check and the rename (a few system calls). Just
///   before the last check the old file gets a second name (a hard link); if it was written by
///   the time the rename is done (a program writing in place, as most editors do), it is
///   renamed back over the new file and the result is [`Written::ChangedOnDisk`]. A program
///   that renames its own file over this one in that window loses its write: closing that
///   needs an exchanging rename (`renameat2(RENAME_EXCHANGE)`), which std does not offer.
///   `docs/cli.md` lists the other, narrower cases.
pub fn write_atomically(path: &Path, expected: &[u8], new: &[u8]) -> Result<Written, String> {
    write_atomically_with(path, expected, new, &mut |_| {})
}

/// [`write_atomically`], calling `at` at each [`Step`] (for tests).
#[doc(hidden)]
pub fn write_atomically_with(
    path: &Path,
    expected: &[u8],
    new: &[u8],
    at: &mut dyn FnMut(Step),
) -> Result<Written, String> {
    let target = std::fs::canonicalize(path).map_err(|e| io_message(&e))?;
    let meta = std::fs::metadata(&target).map_err(|e| io_message(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".to_owned());
    }
    if meta.permissions().readonly() {
        return Ok(Written::ReadOnly);
    }
    // Opening for writing proves the user may write it (a rename would not ask).
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&target)
        .map_err(|e| io_message(&e))?;
    let read = Snapshot::of(&file.metadata().map_err(|e| io_message(&e))?);
    if !read.same_file(&Snapshot::of(&meta))
        || !holds(&mut file, expected).map_err(|e| io_message(&e))?
        || Snapshot::of(&file.metadata().map_err(|e| io_message(&e))?) != read
    {
        return Ok(Written::ChangedOnDisk);
    }

    let mut in_place = read.has_other_links();
    let temp = match Temp::create(&target) {
        Ok(temp) => Some(temp),
        // A folder the user cannot create files in: the file itself is writable.
        Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => {
            in_place = true;
            None
        }
        Err(err) => return Err(format!("cannot write beside it: {}", io_message(&err))),
    };
    if let Some(temp) = &temp {
        let prepared = (|| {
            (&temp.file).write_all(new)?;
            if !in_place && !keep_owner(&temp.file, &meta)? {
                in_place = true;
            }
            if !in_place {
                temp.file.set_permissions(meta.permissions())?;
            }
            temp.file.sync_all()
        })();
        if let Err(err) = prepared {
            return Err(format!(
                "cannot write `{}`: {}",
                temp.path.display(),
                io_message(&err)
            ));
        }
    }
    at(Step::TempWritten);

    // The old file's second name, to put it back if it is written around the rename.
    let hold = match &temp {
        Some(_) if !in_place => Hold::link(&target, &read),
        _ => None,
    };
    let unchanged = holds(&mut file, expected).map_err(|e| io_message(&e))?
        && std::fs::metadata(&target).is_ok_and(|now| Snapshot::of(&now).same_state(&read));
    if !unchanged {
        return Ok(Written::ChangedOnDisk);
    }
    at(Step::Checked);

    let mut temp = match temp {
        Some(temp) if !in_place => temp,
        temp => return write_in_place(&mut file, expected, new, temp, at),
    };
    let before_rename = Snapshot::of(&temp.file.metadata().map_err(|e| io_message(&e))?);
    if let Err(err) = std::fs::rename(&temp.path, &target) {
        return Err(io_message(&err));
    }
    temp.renamed();
    at(Step::Renamed);
    let mut outcome = Written::Written;
    if let Some(hold) = hold {
        let old_written = file
            .metadata()
            .map_or(true, |now| !Snapshot::of(&now).same_state(&read));
        // Put the old file back, unless the new one was written too (that write is newer).
        let new_untouched = temp
            .file
            .metadata()
            .is_ok_and(|now| Snapshot::of(&now).same_state(&before_rename));
        if old_written {
            outcome = Written::ChangedOnDisk;
            if new_untouched && let Err(kept) = hold.put_back(&target) {
                return Err(format!(
                    "another program wrote the file while it was being replaced; its version is kept in `{}`",
                    kept.display()
                ));
            }
        }
    }
    at(Step::Settled);
    // Make the rename itself durable where folders can be synced (best effort).
    if let Some(dir) = target.parent()
        && let Ok(dir) = File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(outcome)
}

/// Writes `new` over the content of the file (`file`, checked to hold `expected`), through its
/// inode. If that fails, puts `expected` back, or else keeps `temp`, where the new text is.
fn write_in_place(
    file: &mut File,
    expected: &[u8],
    new: &[u8],
    temp: Option<Temp>,
    at: &mut dyn FnMut(Step),
) -> Result<Written, String> {
    if let Err(err) = rewrite(file, new) {
        let message = io_message(&err);
        if rewrite(file, expected).is_ok() {
            return Err(format!("{message} (its text was put back as it was)"));
        }
        return Err(match temp {
            Some(temp) => format!(
                "{message}; the fixed text is kept in `{}`",
                temp.keep().display()
            ),
            None => message,
        });
    }
    at(Step::Settled);
    Ok(Written::Written)
}

/// Whether `file` holds exactly `expected`, read from its start.
fn holds(file: &mut File, expected: &[u8]) -> std::io::Result<bool> {
    file.seek(SeekFrom::Start(0))?;
    let mut bytes = Vec::with_capacity(expected.len());
    let limit = u64::try_from(expected.len())
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes == expected)
}

/// Writes `text` over the content of `file`, then syncs it.
fn rewrite(file: &mut File, text: &[u8]) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text)?;
    file.set_len(u64::try_from(text.len()).unwrap_or(u64::MAX))?;
    file.sync_all()
}

/// Gives `temp` the owner and group of the file (`meta`). `Ok(false)` when it cannot (only
/// root may give a file away): the file is then written in place.
#[cfg(unix)]
fn keep_owner(temp: &File, meta: &Metadata) -> std::io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let now = temp.metadata()?;
    let uid = (now.uid() != meta.uid()).then_some(meta.uid());
    let gid = (now.gid() != meta.gid()).then_some(meta.gid());
    if uid.is_none() && gid.is_none() {
        return Ok(true);
    }
    match std::os::unix::fs::fchown(temp, uid, gid) {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => Ok(false),
        Err(err) => Err(err),
    }
}

#[cfg(not(unix))]
fn keep_owner(_temp: &File, _meta: &Metadata) -> std::io::Result<bool> {
    Ok(true)
}

/// What identifies a file and tells that it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Snapshot {
    /// Device and inode (unix).
    id: (u64, u64),
    links: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl Snapshot {
    fn of(meta: &Metadata) -> Snapshot {
        #[cfg(unix)]
        let (id, links) = {
            use std::os::unix::fs::MetadataExt;
            ((meta.dev(), meta.ino()), meta.nlink())
        };
        #[cfg(not(unix))]
        let (id, links) = ((0, 0), 1);
        Snapshot {
            id,
            links,
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }

    fn same_file(&self, other: &Snapshot) -> bool {
        self.id == other.id
    }

    /// The same file, not written since (the link count may differ).
    fn same_state(&self, other: &Snapshot) -> bool {
        self.same_file(other) && self.len == other.len && self.modified == other.modified
    }

    fn has_other_links(&self) -> bool {
        self.links > 1
    }
}

/// The temporary file beside the target, removed when dropped unless renamed or kept.
struct Temp {
    path: PathBuf,
    file: File,
    gone: bool,
}

impl Temp {
    /// A fresh file `.NAME.asl-lint-fix.PID.N.tmp` beside `target`, readable by its owner only
    /// until it gets the target's permissions.
    fn create(target: &Path) -> std::io::Result<Temp> {
        let path = sibling(target, "tmp")?;
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path)?;
        Ok(Temp {
            path,
            file,
            gone: false,
        })
    }

    /// It was renamed: nothing to remove.
    fn renamed(&mut self) {
        self.gone = true;
    }

    /// Leaves it on disk; returns its path.
    fn keep(mut self) -> PathBuf {
        self.gone = true;
        std::mem::take(&mut self.path)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.gone {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A second name for the file being replaced, made just before the last check: if a program
/// writes the old file around the rename, it is put back by renaming this name over the new one.
struct Hold {
    path: PathBuf,
    gone: bool,
}

impl Hold {
    /// Links `.NAME.asl-lint-fix.PID.N.old` to `target`, if it still is the file `read` (unix
    /// only; `None` where hard links cannot be made).
    fn link(target: &Path, read: &Snapshot) -> Option<Hold> {
        if !cfg!(unix) {
            return None;
        }
        let path = sibling(target, "old").ok()?;
        std::fs::hard_link(target, &path).ok()?;
        let hold = Hold { path, gone: false };
        let meta = std::fs::symlink_metadata(&hold.path).ok()?;
        Snapshot::of(&meta).same_file(read).then_some(hold)
    }

    /// Renames it back over `target`; if that fails, leaves it on disk and returns its path.
    fn put_back(mut self, target: &Path) -> Result<(), PathBuf> {
        self.gone = true;
        match std::fs::rename(&self.path, target) {
            Ok(()) => Ok(()),
            Err(_) => Err(std::mem::take(&mut self.path)),
        }
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        if !self.gone {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A fresh name beside `target`: `.NAME.asl-lint-fix.PID.N.EXT`.
fn sibling(target: &Path, ext: &str) -> std::io::Result<PathBuf> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = target
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file"))?
        .to_string_lossy();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = format!(".{name}.asl-lint-fix.{}.{n}.{ext}", std::process::id());
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
