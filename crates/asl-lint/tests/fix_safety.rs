//! `check --fix` on the files a user can have: read-only, hard-linked, someone else's, and one
//! another program writes while asl-lint fixes it. Through the library
//! (`asl_lint::fix::write_atomically_with`, whose steps let a test write at each point) and,
//! for the exit status and messages, through the binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Write;
use std::path::{Path, PathBuf};

use asl_lint::fix::{Step, Written, write_atomically, write_atomically_with};
use snapbox::cmd::Command;

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fix-safety")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names in `dir`, sorted (a stray temporary file shows here).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// A definition with one safe fix (`Iterator` becomes `ItemProcessor`).
const FIXABLE: &str = r#"{
  "StartAt": "Each",
  "States": {
    "Each": {
      "Type": "Map",
      "Iterator": { "StartAt": "Ship", "States": { "Ship": { "Type": "Pass", "End": true } } },
      "End": true
    }
  }
}
"#;

fn fixed() -> String {
    FIXABLE.replace("\"Iterator\"", "\"ItemProcessor\"")
}

/// How another program writes the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writer {
    /// Truncates and rewrites it (`std::fs::write`, most editors).
    InPlace,
    /// Adds to its end.
    Append,
    /// Writes a file beside it and renames that over it (an "atomic save").
    Rename,
}

impl Writer {
    fn write(self, path: &Path, text: &str) {
        match self {
            Writer::InPlace => std::fs::write(path, text).unwrap(),
            Writer::Append => std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap(),
            Writer::Rename => {
                let temp = path.with_file_name("writer-save.tmp");
                std::fs::write(&temp, text).unwrap();
                std::fs::rename(&temp, path).unwrap();
            }
        }
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

// ---------------------------------------------------------------------------------------
// 1. Read-only files

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_and_the_others_are_fixed() {
    let dir = scratch("read-only-cli");
    std::fs::write(dir.join("a.asl.json"), FIXABLE).unwrap();
    std::fs::write(dir.join("b.asl.json"), FIXABLE).unwrap();
    set_mode(&dir.join("a.asl.json"), 0o444);
    Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["check", "--fix", "--format", "concise"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stdout_eq(
            "a.asl.json:6:7: info[ASL017/deprecated-field] [..]\n\
             Checked 2 files: 1 info; 1 failure, reported above.\n\
             Fixed 1 of 2 findings with 1 fix (1 remaining).\n",
        )
        .stderr_eq("error: a.asl.json: read-only: not fixed\n");
    assert_eq!(read(&dir.join("a.asl.json")), FIXABLE, "left untouched");
    assert_eq!(mode(&dir.join("a.asl.json")), 0o444);
    assert_eq!(read(&dir.join("b.asl.json")), fixed());
    assert_eq!(entries(&dir), ["a.asl.json", "b.asl.json"]);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_even_for_root() {
    // Root may write any file; the mode still says "do not", and --fix follows it.
    let dir = scratch("read-only");
    let path = dir.join("a.asl.json");
    std::fs::write(&path, "old").unwrap();
    set_mode(&path, 0o444);
    assert_eq!(
        write_atomically(&path, b"old", b"new"),
        Ok(Written::ReadOnly)
    );
    assert_eq!(read(&path), "old");
    assert_eq!(mode(&path), 0o444);
    assert_eq!(entries(&dir), ["a.asl.json"]);
    // Any write bit (here the group's) makes it writable.
    set_mode(&path, 0o464);
    assert_eq!(
        write_atomically(&path, b"old", b"new"),
        Ok(Written::Written)
    );
    assert_eq!(mode(&path), 0o464);
}

// ---------------------------------------------------------------------------------------
// 2. Hard links

#[cfg(unix)]
#[test]
fn hard_links_are_kept() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch("hard-link");
    let path = dir.join("a.asl.json");
    let other = dir.join("other-name.asl.json");
    std::fs::write(&path, "old").unwrap();
    set_mode(&path, 0o640);
    std::fs::hard_link(&path, &other).unwrap();
    let inode = std::fs::metadata(&path).unwrap().ino();
    assert_eq!(
        write_atomically(&path, b"old", b"new text"),
        Ok(Written::Written)
    );
    // Written through the inode: both names see the new text, still one file.
    assert_eq!(read(&path), "new text");
    assert_eq!(read(&other), "new text");
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.ino(), meta.nlink()), (inode, 2));
    assert_eq!(mode(&path), 0o640);
    assert_eq!(entries(&dir), ["a.asl.json", "other-name.asl.json"]);
    // Shorter text: the rest of the old one is cut.
    assert_eq!(
        write_atomically(&other, b"new text", b"x"),
        Ok(Written::Written)
    );
    assert_eq!(read(&path), "x");
}

#[cfg(unix)]
#[test]
fn a_hard_linked_file_changed_on_disk_is_left_alone() {
    let dir = scratch("hard-link-stale");
    let path = dir.join("a.asl.json");
    std::fs::write(&path, "edited").unwrap();
    std::fs::hard_link(&path, dir.join("b.asl.json")).unwrap();
    assert_eq!(
        write_atomically(&path, b"old", b"fixed"),
        Ok(Written::ChangedOnDisk)
    );
    assert_eq!(read(&path), "edited");
    // And a write after the checks (the window of an in-place write) is overwritten: the
    // documented cost of keeping the links.
    std::fs::write(&path, "old").unwrap();
    let result = write_atomically_with(&path, b"old", b"fixed", &mut |step| {
        if step == Step::Checked {
            std::fs::write(dir.join("b.asl.json"), "edited").unwrap();
        }
    });
    assert_eq!(result, Ok(Written::Written));
    assert_eq!(read(&path), "fixed");
    assert_eq!(entries(&dir), ["a.asl.json", "b.asl.json"]);
}

// ---------------------------------------------------------------------------------------
// 3. Owner and group

/// Whether the tests run as root (a new file's owner is the effective user).
#[cfg(unix)]
fn running_as_root(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, "").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(&probe).unwrap();
    uid == 0
}

#[cfg(unix)]
#[test]
fn owner_and_group_are_kept() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch("owner");
    if !running_as_root(&dir) {
        eprintln!("owner_and_group_are_kept: skipped: not running as root (cannot chown)");
        return;
    }
    let path = dir.join("a.asl.json");
    std::fs::write(&path, FIXABLE).unwrap();
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    set_mode(&path, 0o640);
    let inode = std::fs::metadata(&path).unwrap().ino();
    Command::new(snapbox::cargo_bin!("asl-lint"))
        .args(["check", "--fix", "--format", "concise", "a.asl.json"])
        .current_dir(&dir)
        .assert()
        .code(0)
        .stderr_eq("");
    assert_eq!(read(&path), fixed());
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534), "owner and group");
    assert_eq!(mode(&path), 0o640);
    assert_ne!(
        meta.ino(),
        inode,
        "replaced by a rename, not written in place"
    );
    // A group alone, and the set-group-ID bit (which a chown clears) survive too.
    std::os::unix::fs::chown(&path, Some(0), Some(65534)).unwrap();
    set_mode(&path, 0o2640);
    let now = read(&path);
    assert_eq!(
        write_atomically(&path, now.as_bytes(), b"{}"),
        Ok(Written::Written)
    );
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (0, 65534));
    assert_eq!(mode(&path), 0o2640);
    assert_eq!(entries(&dir), ["a.asl.json"]);
}

// ---------------------------------------------------------------------------------------
// 4. Another program writing the file meanwhile, step by step

/// Writes "edited" the `writer`'s way at `at`, while "old" is fixed into "fixed".
fn write_at(name: &str, at: Step, writer: Writer) -> (Result<Written, String>, String, PathBuf) {
    let dir = scratch(name);
    let path = dir.join("a.asl.json");
    std::fs::write(&path, "old").unwrap();
    let result = write_atomically_with(&path, b"old", b"fixed", &mut |step| {
        if step == at {
            writer.write(
                &path,
                if writer == Writer::Append {
                    "+edited"
                } else {
                    "edited"
                },
            );
        }
    });
    let text = read(&path);
    assert_eq!(entries(&dir), ["a.asl.json"], "{name}: stray files");
    (result, text, dir)
}

#[test]
fn a_write_before_the_last_check_is_never_lost() {
    for writer in [Writer::InPlace, Writer::Append, Writer::Rename] {
        let (result, text, _) = write_at(
            &format!("before-check-{writer:?}"),
            Step::TempWritten,
            writer,
        );
        assert_eq!(result, Ok(Written::ChangedOnDisk), "{writer:?}");
        let want = if writer == Writer::Append {
            "old+edited"
        } else {
            "edited"
        };
        assert_eq!(text, want, "{writer:?}");
    }
    // Changed before asl-lint even opened it (while it was linting).
    let dir = scratch("stale");
    let path = dir.join("a.asl.json");
    std::fs::write(&path, "edited").unwrap();
    assert_eq!(
        write_atomically(&path, b"old", b"fixed"),
        Ok(Written::ChangedOnDisk)
    );
    assert_eq!(read(&path), "edited");
    // The same bytes saved again by a rename: another file now, so it is left alone.
    std::fs::write(&path, "old").unwrap();
    let result = write_atomically_with(&path, b"old", b"fixed", &mut |step| {
        if step == Step::TempWritten {
            Writer::Rename.write(&path, "old");
        }
    });
    assert_eq!(result, Ok(Written::ChangedOnDisk));
}

#[cfg(unix)]
#[test]
fn a_write_in_place_around_the_rename_is_put_back() {
    // After the last check, before the rename: the old file is written, then replaced; asl-lint
    // sees it and puts it back.
    for writer in [Writer::InPlace, Writer::Append] {
        let (result, text, _) = write_at(&format!("at-rename-{writer:?}"), Step::Checked, writer);
        assert_eq!(result, Ok(Written::ChangedOnDisk), "{writer:?}");
        let want = if writer == Writer::Append {
            "old+edited"
        } else {
            "edited"
        };
        assert_eq!(text, want, "{writer:?}");
    }
    // A program that opened the file before the rename and writes after it writes the old
    // file: put back too.
    let dir = scratch("after-rename");
    let path = dir.join("a.asl.json");
    std::fs::write(&path, "old").unwrap();
    let mut open = None;
    let result = write_atomically_with(&path, b"old", b"fixed", &mut |step| match step {
        Step::Checked => {
            open = Some(
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .unwrap(),
            )
        }
        Step::Renamed => open.as_mut().unwrap().write_all(b"+edited").unwrap(),
        _ => {}
    });
    assert_eq!(result, Ok(Written::ChangedOnDisk));
    assert_eq!(read(&path), "old+edited");
    assert_eq!(entries(&dir), ["a.asl.json"]);
    // A write after the rename, by name, goes to the new file: it simply wins.
    std::fs::write(&path, "old").unwrap();
    let result = write_atomically_with(&path, b"old", b"fixed", &mut |step| {
        if step == Step::Renamed {
            std::fs::write(&path, "edited").unwrap();
        }
    });
    assert_eq!(result, Ok(Written::Written));
    assert_eq!(read(&path), "edited");
}

#[test]
fn a_rename_over_the_file_right_before_the_rename_is_lost() {
    // FIXME: the window that remains (docs/cli.md): a program that renames its own file over
    // this one after the last check and before asl-lint's rename (a few system calls) loses its
    // write. Closing it needs renameat2(RENAME_EXCHANGE), which std does not offer.
    let (result, text, _) = write_at("rename-at-rename", Step::Checked, Writer::Rename);
    assert_eq!(result, Ok(Written::Written));
    assert_eq!(text, "fixed");
}

// ---------------------------------------------------------------------------------------
// 4. Another program writing the file meanwhile, concurrently

/// The writer's content number `n`: a definition with a safe fix, distinct for each `n`.
fn version(n: usize) -> String {
    FIXABLE.replacen("{\n", &format!("{{\n  \"Comment\": \"write {n}\",\n"), 1)
}

/// The text without its fix, to compare with what the writer wrote.
fn unfixed(text: &str) -> String {
    text.replace("\"ItemProcessor\"", "\"Iterator\"")
}

struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[derive(Debug, Default)]
struct WriterLog {
    writes: [usize; 3],
    /// Writes that overlapped the end of a fix (its last check to its settling).
    in_window: usize,
    /// Writes found missing afterwards, by kind: those outside any such window, and inside.
    lost_outside: Vec<(usize, Writer)>,
    lost_inside: Vec<(usize, Writer)>,
    /// What the file must hold (without its fix) after the last write, and whether that write
    /// was inside a window.
    expected: String,
    last_in_window: bool,
}

#[derive(Debug, Default)]
struct FixerLog {
    runs: usize,
    nothing_to_fix: usize,
    written: usize,
    changed_on_disk: usize,
    put_back: usize,
}

#[test]
fn a_concurrent_writer_loses_no_write_outside_the_documented_window() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
    use std::time::{Duration, Instant};

    use asl_analyzer::Options;
    use asl_analyzer::fix::fix_all;
    use asl_syntax::Dialect;

    let dir = scratch("concurrent");
    // JSONC, so that an appended comment keeps the file fixable.
    let path = dir.join("flow.asl.jsonc");
    std::fs::write(&path, version(0)).unwrap();
    // Odd while a fix is between its last check and its end (the window of docs/cli.md).
    let window = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let run_for = Duration::from_secs(2);

    let (writer, fixer) = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut log = WriterLog {
                expected: version(0),
                ..WriterLog::default()
            };
            let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
            let start = Instant::now();
            let mut last = (0, Writer::InPlace, false);
            let mut n = 0;
            while start.elapsed() < run_for {
                // The previous write is still there (fixed or not).
                let now = unfixed(&read(&path));
                if now != log.expected {
                    let (number, kind, in_window) = last;
                    if in_window {
                        log.lost_inside.push((number, kind));
                    } else {
                        log.lost_outside.push((number, kind));
                    }
                    log.expected = now;
                }
                n += 1;
                let kind = [Writer::InPlace, Writer::Append, Writer::Rename]
                    [usize::try_from(rng.below(3)).unwrap()];
                let before = window.load(SeqCst);
                match kind {
                    Writer::Append => {
                        let line = format!("// append {n}\n");
                        kind.write(&path, &line);
                        log.expected.push_str(&line);
                    }
                    Writer::InPlace | Writer::Rename => {
                        log.expected = version(n);
                        kind.write(&path, &log.expected);
                    }
                }
                let after = window.load(SeqCst);
                let in_window = before != after || before % 2 == 1;
                log.writes[kind as usize] += 1;
                log.in_window += usize::from(in_window);
                last = (n, kind, in_window);
                // Bursts and pauses, so that some fixes finish undisturbed and some do not.
                let pause = [50, 200, 1_000, 5_000, 20_000][usize::try_from(rng.below(5)).unwrap()];
                std::thread::sleep(Duration::from_micros(pause));
            }
            log.last_in_window = last.2;
            stop.store(true, SeqCst);
            log
        });
        let fixer = s.spawn(|| {
            let mut log = FixerLog::default();
            let options = Options::default();
            while !stop.load(SeqCst) {
                log.runs += 1;
                let bytes = std::fs::read(&path).unwrap();
                let Ok(text) = std::str::from_utf8(&bytes) else {
                    continue;
                };
                let fixed = fix_all(text, Dialect::Jsonc, &options, false);
                if !fixed.changed() {
                    log.nothing_to_fix += 1;
                    std::thread::sleep(Duration::from_micros(20));
                    continue;
                }
                let (mut open, mut renamed) = (false, false);
                let result =
                    write_atomically_with(&path, &bytes, fixed.text.as_bytes(), &mut |step| {
                        match step {
                            Step::TempWritten => {
                                window.fetch_add(1, SeqCst);
                                open = true;
                            }
                            Step::Renamed => renamed = true,
                            Step::Settled => {
                                window.fetch_add(1, SeqCst);
                                open = false;
                            }
                            Step::Checked => {}
                        }
                    });
                if open {
                    window.fetch_add(1, SeqCst);
                }
                match result {
                    Ok(Written::Written) => log.written += 1,
                    Ok(Written::ChangedOnDisk) => {
                        log.changed_on_disk += 1;
                        log.put_back += usize::from(renamed);
                    }
                    other => panic!("{other:?}"),
                }
            }
            log
        });
        (writer.join().unwrap(), fixer.join().unwrap())
    });

    eprintln!(
        "writer: {} in place, {} appends, {} renames; {} overlapped a fix's window; lost: {} inside the window {:?}, {} outside {:?}",
        writer.writes[0],
        writer.writes[1],
        writer.writes[2],
        writer.in_window,
        writer.lost_inside.len(),
        writer.lost_inside,
        writer.lost_outside.len(),
        writer.lost_outside,
    );
    eprintln!("fixer: {fixer:?}");
    // Not vacuous: both sides did their work, fixes landed and fixes were refused.
    assert!(writer.writes.iter().all(|&n| n > 10), "{writer:?}");
    assert!(fixer.written > 0, "no fix was written: {fixer:?}");
    assert!(fixer.changed_on_disk > 0, "no fix was refused: {fixer:?}");
    assert!(
        writer.lost_outside.is_empty(),
        "writes lost outside the documented window: {:?}",
        writer.lost_outside
    );
    // The last write is there, fixed or not; a last --fix then fixes it.
    let now = read(&path);
    if !writer.last_in_window {
        assert_eq!(unfixed(&now), writer.expected);
    }
    let fixed = fix_all(&now, Dialect::Jsonc, &Options::default(), false);
    if fixed.changed() {
        assert_eq!(
            write_atomically(&path, now.as_bytes(), fixed.text.as_bytes()),
            Ok(Written::Written)
        );
    }
    let last = read(&path);
    assert!(last.contains("\"ItemProcessor\""), "{last}");
    assert_eq!(unfixed(&last), unfixed(&now));
    let mut left = entries(&dir);
    left.retain(|name| name.contains("asl-lint-fix"));
    assert!(left.is_empty(), "stray files: {left:?}");
}
