//! Reading `data/model.bin`: the index, the zlib blobs and the compact JSON inside them.
//!
//! Layout (integers little-endian), as written by `scripts/gen_aws_model.py`:
//!
//! ```text
//! magic      b"ASLAWS1\n"
//! u16 + utf8 model version
//! u32        number of services
//! per service, sorted by id: u16 + utf8 id, u32 offset (into the blob area), u32 length
//! blob area  one zlib stream per service
//! ```
//!
//! Each stream inflates to one JSON object:
//!
//! ```text
//! {"id", "sid" (metadata.serviceId), "name" (serviceFullName), "proto", "api",
//!  "ops": [[name, doc, input|null, output|null, [error, ...]], ...]        sorted by name
//!  "shapes": {name: {"k": kind, ...}}   S/U structure/union "m": [[name, shape, 0|1, doc?], ...]
//!                                       L list "v"; M map "key", "v"; s string "e": [enum, ...]
//!                                       D document; ? other "t": botocore type
//!  "scalars": {kind: [name, ...]}}      plain shapes: s i l f d b t B (string, integer, long,
//!                                       float, double, boolean, timestamp, blob)
//! ```

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;

use crate::model::{Member, Operation, Service, Shape, ShapeRef};

const MAGIC: &[u8] = b"ASLAWS1\n";

/// A service's JSON is at most this large once inflated (ec2, the largest, is about 1 MB); a
/// blob that would inflate past it is rejected rather than allocated.
const MAX_INFLATED: usize = 64 << 20;

/// Why the model data could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file does not start with the expected magic bytes.
    BadMagic,
    /// The index ends early or points outside the file.
    Truncated,
    /// A service id or the version is not UTF-8.
    BadUtf8,
    /// No such service in the index.
    UnknownService,
    /// A blob is not a valid zlib stream (or inflates past the size limit).
    Inflate(String),
    /// A blob inflates to JSON that is not a service.
    Json(String),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::BadMagic => f.write_str("not an asl-aws model file (bad magic)"),
            DecodeError::Truncated => f.write_str("model file truncated"),
            DecodeError::BadUtf8 => f.write_str("model file has a name that is not UTF-8"),
            DecodeError::UnknownService => f.write_str("no such service in the model"),
            DecodeError::Inflate(e) => write!(f, "cannot inflate service data: {e}"),
            DecodeError::Json(e) => write!(f, "bad service data: {e}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A parsed index over model data: the services it holds and where their blobs are.
#[derive(Debug, Clone)]
pub struct ModelFile<'a> {
    version: &'a str,
    /// (id, blob), sorted by id.
    entries: Vec<(&'a str, &'a [u8])>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or(DecodeError::Truncated)?;
        let slice = self
            .bytes
            .get(self.pos..end)
            .ok_or(DecodeError::Truncated)?;
        self.pos = end;
        Ok(slice)
    }

    fn u16(&mut self) -> Result<u16, DecodeError> {
        let b: [u8; 2] = self
            .take(2)?
            .try_into()
            .map_err(|_| DecodeError::Truncated)?;
        Ok(u16::from_le_bytes(b))
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b: [u8; 4] = self
            .take(4)?
            .try_into()
            .map_err(|_| DecodeError::Truncated)?;
        Ok(u32::from_le_bytes(b))
    }

    fn str16(&mut self) -> Result<&'a str, DecodeError> {
        let n = usize::from(self.u16()?);
        std::str::from_utf8(self.take(n)?).map_err(|_| DecodeError::BadUtf8)
    }
}

impl<'a> ModelFile<'a> {
    /// Reads the index of model data (the blobs are only checked to lie within `bytes`).
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(MAGIC.len()).map_err(|_| DecodeError::BadMagic)? != MAGIC {
            return Err(DecodeError::BadMagic);
        }
        let version = r.str16()?;
        let count = r.u32()?;
        let mut index = Vec::new();
        for _ in 0..count {
            let id = r.str16()?;
            let offset = usize::try_from(r.u32()?).map_err(|_| DecodeError::Truncated)?;
            let len = usize::try_from(r.u32()?).map_err(|_| DecodeError::Truncated)?;
            index.push((id, offset, len));
        }
        let blobs = bytes.get(r.pos..).ok_or(DecodeError::Truncated)?;
        let mut entries = Vec::with_capacity(index.len());
        for (id, offset, len) in index {
            let end = offset.checked_add(len).ok_or(DecodeError::Truncated)?;
            let blob = blobs.get(offset..end).ok_or(DecodeError::Truncated)?;
            entries.push((id, blob));
        }
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        Ok(ModelFile { version, entries })
    }

    /// The version recorded in the file (e.g. "botocore 1.44.8").
    pub fn version(&self) -> &'a str {
        self.version
    }

    /// The service ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.entries.iter().map(|(id, _)| *id)
    }

    /// The file's own copy of `id` (so a caller may keep it as long as the file).
    pub fn find(&self, id: &str) -> Option<&'a str> {
        let i = self.entries.binary_search_by(|(k, _)| (*k).cmp(id)).ok()?;
        self.entries.get(i).map(|(k, _)| *k)
    }

    /// The inflated JSON of one service, as the generator wrote it.
    pub fn raw_json(&self, id: &str) -> Result<Vec<u8>, DecodeError> {
        let i = self
            .entries
            .binary_search_by(|(k, _)| (*k).cmp(id))
            .map_err(|_| DecodeError::UnknownService)?;
        let (_, blob) = self.entries.get(i).ok_or(DecodeError::UnknownService)?;
        inflate(blob)
    }

    /// One service, inflated and decoded.
    pub fn decode(&self, id: &str) -> Result<Service, DecodeError> {
        decode_json(&self.raw_json(id)?)
    }
}

/// Inflates one zlib blob.
pub(crate) fn inflate(blob: &[u8]) -> Result<Vec<u8>, DecodeError> {
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(blob, MAX_INFLATED)
        .map_err(|e| DecodeError::Inflate(format!("{:?}", e.status)))
}

/// Decodes a zlib blob holding one service's JSON (the unit of `data/model.bin`).
pub fn decode_blob(blob: &[u8]) -> Result<Service, DecodeError> {
    decode_json(&inflate(blob)?)
}

#[derive(Deserialize)]
struct WireService {
    id: String,
    sid: String,
    name: String,
    proto: String,
    api: String,
    ops: Vec<WireOp>,
    // Read as lists of pairs, not maps: the shapes go into one map sized once (a map built while
    // reading grows, and rehashes, a dozen times for ec2's 4,400 shapes).
    #[serde(deserialize_with = "pairs")]
    shapes: Vec<(String, WireShape)>,
    #[serde(deserialize_with = "pairs")]
    scalars: Vec<(String, Vec<String>)>,
}

/// A JSON object read as its (key, value) pairs, in order.
fn pairs<'de, D, V>(deserializer: D) -> Result<Vec<(String, V)>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Pairs<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Pairs<V> {
        type Value = Vec<(String, V)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(pair) = map.next_entry()? {
                out.push(pair);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Pairs(std::marker::PhantomData))
}

#[derive(Deserialize)]
struct WireOp(String, String, Option<String>, Option<String>, Vec<String>);

#[derive(Deserialize)]
struct WireMember(String, String, u8, #[serde(default)] String);

#[derive(Deserialize)]
struct WireShape {
    k: String,
    #[serde(default)]
    m: Vec<WireMember>,
    #[serde(default)]
    v: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    e: Vec<String>,
    #[serde(default)]
    t: Option<String>,
}

fn scalar(kind: &str) -> Option<Shape> {
    Some(match kind {
        "s" => Shape::String {
            enum_values: Vec::new(),
        },
        "i" => Shape::Integer,
        "l" => Shape::Long,
        "f" => Shape::Float,
        "d" => Shape::Double,
        "b" => Shape::Boolean,
        "t" => Shape::Timestamp,
        "B" => Shape::Blob,
        _ => return None,
    })
}

fn members(wire: Vec<WireMember>) -> Vec<Member> {
    wire.into_iter()
        .map(|WireMember(name, shape, required, doc)| Member {
            name,
            shape: ShapeRef::new(shape),
            required: required != 0,
            doc,
        })
        .collect()
}

fn shape(kind: &str, w: WireShape) -> Result<Shape, DecodeError> {
    let missing = |what: &str| DecodeError::Json(format!("shape of kind {kind:?} without {what}"));
    Ok(match kind {
        "S" => Shape::Structure {
            members: members(w.m),
        },
        "U" => Shape::Union {
            members: members(w.m),
        },
        "L" => Shape::List {
            member: ShapeRef::new(w.v.ok_or_else(|| missing("member"))?),
        },
        "M" => Shape::Map {
            key: ShapeRef::new(w.key.ok_or_else(|| missing("key"))?),
            value: ShapeRef::new(w.v.ok_or_else(|| missing("value"))?),
        },
        "s" => Shape::String { enum_values: w.e },
        "D" => Shape::Document,
        "?" => Shape::Other {
            type_name: w.t.unwrap_or_default(),
        },
        other => scalar(other)
            .ok_or_else(|| DecodeError::Json(format!("unknown shape kind {other:?}")))?,
    })
}

pub(crate) fn decode_json(json: &[u8]) -> Result<Service, DecodeError> {
    let wire: WireService =
        serde_json::from_slice(json).map_err(|e| DecodeError::Json(e.to_string()))?;
    let scalars: usize = wire.scalars.iter().map(|(_, names)| names.len()).sum();
    let mut shapes = HashMap::with_capacity(wire.shapes.len() + scalars);
    for (name, w) in wire.shapes {
        let kind = w.k.clone();
        shapes.insert(name, shape(&kind, w)?);
    }
    for (kind, names) in wire.scalars {
        let Some(s) = scalar(&kind) else {
            return Err(DecodeError::Json(format!("unknown scalar kind {kind:?}")));
        };
        for name in names {
            shapes.insert(name, s.clone());
        }
    }
    let mut operations: Vec<Operation> = wire
        .ops
        .into_iter()
        .map(|WireOp(name, doc, input, output, errors)| Operation {
            name,
            doc,
            input: input.map(ShapeRef::new),
            output: output.map(ShapeRef::new),
            errors,
        })
        .collect();
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    operations.dedup_by(|a, b| a.name == b.name);
    Ok(Service {
        id: wire.id,
        service_id: wire.sid,
        full_name: wire.name,
        protocol: wire.proto,
        api_version: wire.api,
        operations,
        shapes,
    })
}
