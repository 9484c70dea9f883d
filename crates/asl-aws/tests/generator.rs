//! The committed `data/model.bin` is what `scripts/gen_aws_model.py` writes for the pinned
//! botocore: the test runs the generator into a temporary folder and compares, service by
//! service, the inflated JSON (not the compressed bytes: zlib builds differ).
//!
//! It needs `python3` and the pinned wheel: `ASL_AWS_BOTOCORE_WHEEL=path`, or the generator
//! downloads it with pip into its cache folder (see the script). When neither can be had, the
//! test passes and says `skipped: ...` straight on stderr.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use asl_aws::{MODEL_BYTES, MODEL_VERSION, ModelFile};

/// The generator's exit status when pip cannot fetch the wheel.
const CANNOT_DOWNLOAD: i32 = 3;

/// Says that the test skipped, and why, where `cargo test` shows it: straight to the process's
/// stderr (the harness captures `eprintln!` and shows it for failing tests only).
fn say_skipped(why: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "skipped: committed_model_matches_the_generator: {why}"
    );
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn committed_model_matches_the_generator() {
    let python = Command::new("python3").arg("--version").output();
    if !python.is_ok_and(|o| o.status.success()) {
        say_skipped("python3 not found");
        return;
    }
    let out_dir = std::env::temp_dir().join(format!("asl-aws-gen-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("temp dir");
    let out = out_dir.join("model.bin");
    let run = Command::new("python3")
        .arg(repo_root().join("scripts/gen_aws_model.py"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run the generator");
    let stderr = String::from_utf8_lossy(&run.stderr);
    if run.status.code() == Some(CANNOT_DOWNLOAD) {
        say_skipped(&format!(
            "the pinned botocore wheel cannot be had (set ASL_AWS_BOTOCORE_WHEEL): {}",
            stderr.trim().lines().last().unwrap_or_default()
        ));
        let _ = std::fs::remove_dir_all(&out_dir);
        return;
    }
    assert!(run.status.success(), "generator failed: {stderr}");
    let generated = std::fs::read(&out).expect("generated file");
    let _ = std::fs::remove_dir_all(&out_dir);

    let fresh = ModelFile::parse(&generated).expect("generated file parses");
    let committed = ModelFile::parse(MODEL_BYTES).expect("committed file parses");
    assert_eq!(fresh.version(), MODEL_VERSION);
    assert_eq!(committed.version(), MODEL_VERSION);
    let fresh_ids: Vec<&str> = fresh.ids().collect();
    let committed_ids: Vec<&str> = committed.ids().collect();
    assert_eq!(
        fresh_ids, committed_ids,
        "services differ: regenerate with python3 scripts/gen_aws_model.py"
    );
    let stale: Vec<&str> = fresh_ids
        .iter()
        .copied()
        .filter(|id| fresh.raw_json(id).ok() != committed.raw_json(id).ok())
        .collect();
    assert!(
        stale.is_empty(),
        "data/model.bin is stale for {stale:?}: regenerate with python3 scripts/gen_aws_model.py"
    );
}
