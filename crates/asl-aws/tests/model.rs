//! The committed model answers the questions the rules will ask, and bad data is an error.

use asl_aws::{
    DecodeError, MODEL_BYTES, MODEL_VERSION, ModelFile, Shape, decode_blob, service, service_ids,
};

#[test]
fn file_records_the_pinned_version() {
    let file = ModelFile::parse(MODEL_BYTES).expect("committed model parses");
    assert_eq!(file.version(), MODEL_VERSION);
    assert!(MODEL_VERSION.starts_with("botocore "));
}

#[test]
fn every_service_is_listed_and_sorted() {
    let ids: Vec<&str> = service_ids().collect();
    assert!(ids.len() > 400, "{} services", ids.len());
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    for id in [
        "s3",
        "dynamodb",
        "lambda",
        "stepfunctions",
        "ec2",
        "sqs",
        "sns",
        "events",
    ] {
        assert!(ids.contains(&id), "{id} missing");
    }
}

#[test]
fn s3_get_object_requires_bucket_and_key() {
    let s3 = service("s3").expect("s3");
    assert_eq!(s3.id, "s3");
    assert_eq!(s3.service_id, "S3");
    assert_eq!(s3.full_name, "Amazon Simple Storage Service");
    assert_eq!(s3.protocol, "rest-xml");
    let op = s3.operation("GetObject").expect("GetObject");
    assert_eq!(op.doc, "Retrieves an object from Amazon S3.");
    assert!(
        op.errors.contains(&"NoSuchKey".to_owned()),
        "{:?}",
        op.errors
    );
    let input = s3
        .resolve(op.input.as_ref().expect("input"))
        .expect("input shape");
    let mut required: Vec<&str> = input.required_members().map(|m| m.name.as_str()).collect();
    required.sort_unstable();
    assert_eq!(required, ["Bucket", "Key"]);
    let range = input.member("Range").expect("Range");
    assert!(!range.required);
    assert!(!range.doc.is_empty());
    assert!(matches!(
        s3.resolve(&range.shape),
        Some(Shape::String { .. })
    ));
    // Case-sensitive, exact names.
    assert!(s3.operation("getObject").is_none());
    assert!(s3.operation("GetObjekt").is_none());
    // Output members are known by name and type.
    let output = s3
        .resolve(op.output.as_ref().expect("output"))
        .expect("output shape");
    let body = output.member("Body").expect("Body");
    assert_eq!(s3.resolve(&body.shape).map(Shape::type_name), Some("blob"));
    assert!(body.doc.is_empty(), "output members carry no doc");
}

#[test]
fn dynamodb_has_query_and_its_enums() {
    let ddb = service("dynamodb").expect("dynamodb");
    assert_eq!(ddb.service_id, "DynamoDB");
    let query = ddb.operation("Query").expect("Query");
    let input = ddb
        .resolve(query.input.as_ref().expect("input"))
        .expect("input shape");
    assert!(input.required_members().any(|m| m.name == "TableName"));
    let select = input.member("Select").expect("Select");
    let Some(Shape::String { enum_values }) = ddb.resolve(&select.shape) else {
        panic!("Select is not a string enum");
    };
    assert!(
        enum_values.iter().any(|v| v == "ALL_ATTRIBUTES"),
        "{enum_values:?}"
    );
    // Nested: KeyConditions is a map of Condition structures.
    let key_conditions = input.member("KeyConditions").expect("KeyConditions");
    let Some(Shape::Map { value, .. }) = ddb.resolve(&key_conditions.shape) else {
        panic!("KeyConditions is not a map");
    };
    let condition = ddb.resolve(value).expect("Condition");
    assert!(
        condition
            .required_members()
            .any(|m| m.name == "ComparisonOperator")
    );
    assert!(ddb.operation("PutItem").is_some_and(|op| {
        op.errors
            .iter()
            .any(|e| e == "ConditionalCheckFailedException")
    }));
}

#[test]
fn services_are_cached() {
    let a = service("sqs").expect("sqs");
    let b = service("sqs").expect("sqs");
    assert!(std::sync::Arc::ptr_eq(&a, &b));
}

#[test]
fn prefetched_services_are_the_cached_ones() {
    // Asked for while (or after) the prefetch thread decodes them: one decode, one `Arc`.
    asl_aws::prefetch(["sns", "kinesis", "no-such-service"]);
    let a = service("kinesis").expect("kinesis");
    asl_aws::prefetch(["kinesis"]);
    let b = service("kinesis").expect("kinesis");
    assert!(std::sync::Arc::ptr_eq(&a, &b));
    assert!(service("sns").is_some_and(|s| s.operation("Publish").is_some()));
}

#[test]
fn unknown_service_is_none() {
    assert!(service("no-such-service").is_none());
    assert!(service("").is_none());
    assert!(service("S3").is_none(), "ids are case-sensitive");
}

#[test]
fn every_reference_resolves_in_a_few_services() {
    for id in [
        "s3",
        "dynamodb",
        "lambda",
        "stepfunctions",
        "sqs",
        "ecs",
        "glue",
    ] {
        let svc = service(id).expect(id);
        for op in svc.operations() {
            for r in op.input.iter().chain(op.output.iter()) {
                assert!(svc.resolve(r).is_some(), "{id} {}: {r}", op.name);
            }
        }
        for (name, shape) in svc.shapes() {
            let refs: Vec<&asl_aws::ShapeRef> = match shape {
                Shape::Structure { members } | Shape::Union { members } => {
                    members.iter().map(|m| &m.shape).collect()
                }
                Shape::List { member } => vec![member],
                Shape::Map { key, value } => vec![key, value],
                _ => vec![],
            };
            for r in refs {
                assert!(svc.resolve(r).is_some(), "{id} {name}: {r}");
            }
        }
    }
}

#[test]
fn corrupt_data_is_an_error_not_a_panic() {
    // Not zlib at all.
    assert!(matches!(
        decode_blob(b"not zlib"),
        Err(DecodeError::Inflate(_))
    ));
    assert!(matches!(decode_blob(&[]), Err(DecodeError::Inflate(_))));
    // A real blob with its middle damaged, cut short, or decoding to JSON of the wrong form.
    let file = ModelFile::parse(MODEL_BYTES).expect("parses");
    let json = file.raw_json("s3").expect("s3");
    let good = miniz_oxide_compress(&json);
    assert!(decode_blob(&good).is_ok());
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x55;
    bad[mid + 1] ^= 0xaa;
    assert!(decode_blob(&bad).is_err());
    assert!(decode_blob(&good[..good.len() / 2]).is_err());
    for text in [&b"{}"[..], b"[]", b"{\"id\":1}", b"null"] {
        assert!(matches!(
            decode_blob(&miniz_oxide_compress(text)),
            Err(DecodeError::Json(_))
        ));
    }
    // An unknown shape kind.
    let odd = String::from_utf8(json)
        .expect("utf8")
        .replacen("\"k\":\"S\"", "\"k\":\"Z\"", 1);
    assert!(matches!(
        decode_blob(&miniz_oxide_compress(odd.as_bytes())),
        Err(DecodeError::Json(_))
    ));
}

#[test]
fn corrupt_index_is_an_error_not_a_panic() {
    assert_eq!(ModelFile::parse(b"").err(), Some(DecodeError::BadMagic));
    assert_eq!(
        ModelFile::parse(b"ASLAWS2\n....").err(),
        Some(DecodeError::BadMagic)
    );
    // Every truncation of the index is an error or a smaller valid index, never a panic.
    let file = ModelFile::parse(MODEL_BYTES).expect("parses");
    let index_len =
        8 + 2 + file.version().len() + 4 + file.ids().map(|id| 2 + id.len() + 8).sum::<usize>();
    for cut in 0..index_len {
        assert!(
            ModelFile::parse(&MODEL_BYTES[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    // An index entry pointing past the end.
    let mut bytes = MODEL_BYTES[..index_len].to_vec();
    bytes.extend_from_slice(b"short");
    assert_eq!(ModelFile::parse(&bytes).err(), Some(DecodeError::Truncated));
    // A damaged blob inside a well-formed file: decode fails, nothing panics.
    let mut bytes = MODEL_BYTES.to_vec();
    for b in bytes.iter_mut().skip(index_len).step_by(97) {
        *b ^= 0xff;
    }
    let damaged = ModelFile::parse(&bytes).expect("index intact");
    let failures = damaged
        .ids()
        .filter(|id| damaged.decode(id).is_err())
        .count();
    assert!(failures > 400, "{failures}");
    assert_eq!(
        damaged.decode("nope").err(),
        Some(DecodeError::UnknownService)
    );
}

/// zlib-compresses with the inflater's sibling (test only; the data file is written by Python).
fn miniz_oxide_compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[test]
fn every_committed_service_decodes() {
    let file = ModelFile::parse(MODEL_BYTES).expect("parses");
    let mut operations = 0;
    for id in file.ids() {
        let svc = file.decode(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(svc.id, id);
        assert!(!svc.service_id.is_empty(), "{id}: no serviceId");
        operations += svc.operations().len();
    }
    assert!(operations > 15_000, "{operations} operations");
}

#[test]
fn idempotency_tokens_are_not_required() {
    // botocore lists `clientToken` as required, but marks it an idempotency token, which the
    // AWS SDKs generate when the caller leaves it out.
    let emr = service("emr-containers").expect("emr-containers");
    let op = emr.operation("StartJobRun").expect("StartJobRun");
    let input = emr
        .resolve(op.input.as_ref().expect("input"))
        .expect("input shape");
    let required: Vec<&str> = input.required_members().map(|m| m.name.as_str()).collect();
    assert_eq!(required, ["virtualClusterId"]);
    assert!(input.member("clientToken").is_some());
}
