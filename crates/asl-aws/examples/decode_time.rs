//! How long the first use of a service takes (inflate, then inflate and parse), best of five:
//! `cargo run --release -p asl-aws --example decode_time -- [service ...]` (default: s3 and
//! ec2, then every service once).

use std::time::Instant;

use asl_aws::{DecodeError, MODEL_BYTES, MODEL_VERSION, ModelFile};

fn best_ms(mut f: impl FnMut() -> Result<(), DecodeError>) -> Result<f64, DecodeError> {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        f()?;
        best = best.min(start.elapsed().as_secs_f64() * 1e3);
    }
    Ok(best)
}

fn main() -> Result<(), DecodeError> {
    let file = ModelFile::parse(MODEL_BYTES)?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.is_empty();
    let ids = if all {
        vec!["s3".to_owned(), "ec2".to_owned()]
    } else {
        args
    };
    println!(
        "{MODEL_VERSION}: {} services, {} bytes",
        file.ids().count(),
        MODEL_BYTES.len()
    );
    for id in &ids {
        let json = file.raw_json(id)?.len();
        let service = file.decode(id)?;
        let inflate = best_ms(|| file.raw_json(id).map(drop))?;
        let decode = best_ms(|| file.decode(id).map(drop))?;
        println!(
            "{id}: {json} bytes of JSON, {} operations, {} shapes; inflate {inflate:.2} ms, \
             inflate and parse {decode:.2} ms",
            service.operations().len(),
            service.shapes().count(),
        );
    }
    if all {
        let start = Instant::now();
        let mut operations = 0;
        for id in file.ids() {
            operations += file.decode(id)?.operations().len();
        }
        let ms = start.elapsed().as_secs_f64() * 1e3;
        println!("every service once: {operations} operations, {ms:.0} ms");
    }
    Ok(())
}
