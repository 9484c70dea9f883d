//! The AWS service catalogue: for every AWS service, its operations, their input and output
//! shapes and the errors they declare, as the AWS SDKs know them.
//!
//! This crate knows nothing of Amazon States Language, rules or LSP: it answers "does service
//! `s3` have an operation `GetObject`, and which members does its input take?". What Step
//! Functions makes of these services (integration names, naming rules, error prefixes) lives in
//! `asl-analyzer`.
//!
//! # Source and version
//!
//! The data comes from botocore's service models (the `botocore` package on PyPI, Apache-2.0),
//! version [`MODEL_VERSION`]. For each folder of `botocore/data/` (its name is the service id
//! used here, e.g. `s3`, `dynamodb`, `stepfunctions`) the newest API version is taken.
//!
//! What is kept, per service: the botocore id, `metadata.serviceId`, `serviceFullName`,
//! `protocol` and `apiVersion`; per operation: its PascalCase name, a one-line doc (the first
//! sentence of its documentation, HTML stripped, at most 120 characters), the names of its input,
//! output and error shapes; the shapes reachable from the operations' inputs and outputs:
//! structures (members with their shape, required flag (idempotency tokens, which the
//! AWS SDKs fill in, are not required) and, for shapes reachable from an input,
//! a doc line of at most 56 characters), unions, lists, maps, strings with their enum values and
//! the scalar kinds. Error shapes are kept by name only.
//!
//! # Format
//!
//! `data/model.bin`, embedded with `include_bytes!`: a small index (service id → offset, length)
//! followed by one zlib stream per service holding compact JSON. The index is read on first use;
//! a service is inflated and parsed the first time [`service`] asks for it, then cached for the
//! life of the process. Bad data is never a panic: [`ModelFile::parse`] and [`ModelFile::decode`]
//! return a [`DecodeError`], and [`service`] returns `None`.
//!
//! Measured (release build, `cargo run --release -p asl-aws --example decode_time`): the file
//! is 4.04 MB (25.6 MB of JSON inflated); the first use of `s3` takes about 0.8 ms, of `ec2`
//! (the largest service, 1 MB of JSON) 6 to 11 ms, of `dynamodb` 0.5 ms, and of every service
//! about 0.2 s.
//!
//! # Regenerating
//!
//! ```text
//! python3 scripts/gen_aws_model.py                 # pip-downloads the pinned botocore wheel
//! python3 scripts/gen_aws_model.py --wheel PATH    # or ASL_AWS_BOTOCORE_WHEEL=PATH
//! ```
//!
//! The script pins the botocore version and the wheel's sha256; to move to a newer botocore,
//! change both there and [`MODEL_VERSION`] here, run it, and commit `data/model.bin`. The test
//! `tests/generator.rs` runs the script and checks that the committed file decodes to the same
//! content (it prints `skipped: ...` where python3 or the wheel cannot be had).

mod data;
mod model;

pub use data::{DecodeError, ModelFile, decode_blob};
pub use model::{Member, Operation, Service, Shape, ShapeRef};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Where the data comes from, as shown by `asl-lint --version` and in SARIF output.
pub const MODEL_VERSION: &str = "botocore 1.44.8";

/// The committed data file (written by `scripts/gen_aws_model.py`).
pub static MODEL_BYTES: &[u8] = include_bytes!("../data/model.bin");

fn model_file() -> Option<&'static ModelFile<'static>> {
    static FILE: OnceLock<Option<ModelFile<'static>>> = OnceLock::new();
    FILE.get_or_init(|| ModelFile::parse(MODEL_BYTES).ok())
        .as_ref()
}

/// One cell per service: the first caller decodes it, callers for the same service at the same
/// time wait for that decode (none is made twice), callers for other services do not wait.
type Cache = Mutex<HashMap<&'static str, Arc<OnceLock<Option<Arc<Service>>>>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The service with this botocore id (`s3`, `dynamodb`, `stepfunctions`, ...; exact and
/// case-sensitive), decoded on first use and cached. `None` for an unknown id (or, which the
/// tests rule out for the committed file, data that does not decode).
pub fn service(id: &str) -> Option<Arc<Service>> {
    let file = model_file()?;
    let key = file.find(id)?;
    let cell = Arc::clone(cache().lock().ok()?.entry(key).or_default());
    // Decoded outside the map's lock, so that other services are not held up.
    cell.get_or_init(|| file.decode(key).ok().map(Arc::new))
        .clone()
}

/// Starts decoding the services with these ids that no caller has asked for yet, on a thread
/// of their own, so that a later [`service`] call finds them decoded (or waits for the decode
/// under way, which is never made twice). An analysis calls it with the services a definition
/// names before it runs its other checks: the decode (a millisecond or two for most services,
/// 10 for ec2) then overlaps them. Unknown ids are ignored, and so is a thread that cannot be
/// started (the services are then decoded when asked for).
pub fn prefetch<'i>(ids: impl IntoIterator<Item = &'i str>) {
    let Some(file) = model_file() else {
        return;
    };
    let Ok(mut cache) = cache().lock() else {
        return;
    };
    let mut todo = Vec::new();
    for key in ids.into_iter().filter_map(|id| file.find(id)) {
        // A cell is made by the first caller: the service is decoded or being decoded.
        if let std::collections::hash_map::Entry::Vacant(entry) = cache.entry(key) {
            todo.push((key, Arc::clone(entry.insert(Arc::default()))));
        }
    }
    drop(cache);
    if todo.is_empty() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("asl-aws-prefetch".to_owned())
        .spawn(move || {
            for (key, cell) in todo {
                cell.get_or_init(|| file.decode(key).ok().map(Arc::new));
            }
        });
}

/// Every service id in the model, sorted.
pub fn service_ids() -> impl Iterator<Item = &'static str> {
    model_file().into_iter().flat_map(ModelFile::ids)
}
