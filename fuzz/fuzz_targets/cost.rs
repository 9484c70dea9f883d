//! The cost estimate with extreme options. The first four bytes choose the options (Map item
//! count 0, 1, 40, 2^32, u64::MAX, ...; task seconds and price 0, -0, tiny, huge, f64::MAX,
//! ±inf, NaN, negative; the workflow type; the dialect); the rest is the document. It runs
//! through `asl_analyzer::cost::estimate` directly and through the CLI's library functions
//! (`asl_lint::cost::estimate_text`, which also estimates each definition of a template, then
//! `output::cost::to_json` and `render_full`), with `Estimate::cost` and the Express price helpers.
//! Asserted: no panic, and each count's min <= max <= max with retries where known (an
//! unbounded max stays unbounded with retries).

#![no_main]

mod common;

use asl_analyzer::WorkflowType;
use asl_analyzer::cost::{self, CostOptions, Estimate, Figures};
use asl_analyzer::graph::Graph;
use asl_lint::walk::Selection;
use asl_syntax::Dialect;
use asl_syntax::ast::Machine;
use libfuzzer_sys::fuzz_target;

const ITEMS: [u64; 8] = [0, 1, 2, 40, 1_000_000, 1 << 32, u64::MAX / 2, u64::MAX];
const REALS: [f64; 16] = [
    0.0,
    -0.0,
    f64::MIN_POSITIVE,
    5e-324,
    0.025,
    1.0,
    1e9,
    1e300,
    f64::MAX,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    -1.0,
    -1e300,
    f64::MIN,
    u64::MAX as f64,
];

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    common::on_big_stack(move || run(&data));
});

fn run(data: &[u8]) {
    let mut bytes = common::Bytes(data);
    let (a, b, c, d) = (bytes.byte(), bytes.byte(), bytes.byte(), bytes.byte());
    let options = CostOptions {
        map_items: ITEMS[usize::from(a) % ITEMS.len()],
        workflow_type: if d & 1 == 0 {
            WorkflowType::Standard
        } else {
            WorkflowType::Express
        },
        task_seconds: REALS[usize::from(b) % REALS.len()],
        price_per_1000: REALS[usize::from(c) % REALS.len()],
    };
    let dialect =
        [Dialect::Json, Dialect::Yaml, Dialect::Jsonc, Dialect::Json5][usize::from(d >> 1) % 4];
    let text = String::from_utf8_lossy(bytes.rest());

    for seconds in [options.task_seconds, options.price_per_1000] {
        let _ = cost::express_billed_seconds(seconds);
        let _ = cost::express_price(seconds);
    }

    let parse = asl_syntax::parse(&text, dialect);
    if let Some(root) = &parse.root {
        let machine = Machine::new(root);
        let graph = Graph::new(&machine);
        let estimate = cost::estimate(&machine, &graph, &options);
        use_estimate(&estimate, "estimate");
    }
    for selection in [Selection::Always, Selection::IfStateMachine] {
        // The name gives the dialect, as a walked file's does.
        let name = match dialect {
            Dialect::Json => "fuzz.json",
            Dialect::Jsonc => "fuzz.jsonc",
            Dialect::Json5 => "fuzz.json5",
            Dialect::Yaml => "fuzz.yaml",
        };
        if let Ok(estimated) = asl_lint::cost::estimate_text(name, &text, selection, &options) {
            for e in &estimated {
                use_estimate(&e.estimate, "estimate_text");
            }
        }
    }
}

fn use_estimate(e: &Estimate, what: &str) {
    ordered(e.transitions, &format!("{what}: transitions"));
    ordered(e.history.events, &format!("{what}: history events"));
    let _ = e.cost();
    let json = asl_lint::output::cost::to_json("fuzz.asl.json", e);
    let _ = serde_json::to_string(&json);
    let mut out = String::new();
    asl_lint::output::cost::render_full(&mut out, "fuzz.asl.json", e);
}

#[track_caller]
fn ordered(f: Figures<u64>, what: &str) {
    if let (Some(min), Some(max)) = (f.min, f.max) {
        assert!(min <= max, "{what}: min {min} > max {max}");
    }
    if let (Some(max), Some(retries)) = (f.max, f.max_with_retries) {
        assert!(
            max <= retries,
            "{what}: max {max} > max with retries {retries}"
        );
    }
    assert!(
        !(f.max.is_none() && f.max_with_retries.is_some()),
        "{what}: max unbounded but max with retries bounded: {f:?}"
    );
}
