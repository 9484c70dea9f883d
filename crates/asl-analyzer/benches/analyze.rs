//! Throughput of parsing and of parse + analyze on synthetic state machines of 100, 1,000 and
//! 5,000 states.
//!
//!     cargo bench -p asl-analyzer --bench analyze
//!
//! Inputs are generated at run time into `target/bench-data/sizes/states-N.json` by
//! `../shared/bench/gen_asl.py` when that script sits next to the workspace (delete
//! `target/bench-data` to regenerate them); otherwise, as on a fresh clone, a small built-in
//! generator writes equivalent machines (Task with Retry/Catch, Choice, Parallel, Map, Wait,
//! Pass, Succeed, Fail) into `target/bench-data/builtin/` (set `ASL_BENCH_BUILTIN=1` to force
//! it). Nothing outside the workspace is needed at compile time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use asl_analyzer::{Level, Options, Severity, analyze, analyze_parsed};

/// The rules that run the payload-shape flow.
const SHAPE_RULES: [&str; 1] = ["ASL330"];
use asl_syntax::{Dialect, parse};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

const SIZES: [usize; 3] = [100, 1_000, 5_000];

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target"),
    }
}

/// Reads (generating when needed) one machine per size, as (states, text).
fn inputs() -> Vec<(usize, String)> {
    let data = target_dir().join("bench-data");
    let script = workspace_root().join("../shared/bench/gen_asl.py");
    let builtin = std::env::var_os("ASL_BENCH_BUILTIN").is_some();
    let sizes_dir = if !builtin && script.is_file() && generate_with_python(&script, &data) {
        data.join("sizes")
    } else {
        let dir = data.join("builtin");
        std::fs::create_dir_all(&dir).expect("create target/bench-data/builtin");
        for n in SIZES {
            let path = dir.join(format!("states-{n}.json"));
            if !path.is_file() {
                std::fs::write(&path, synth::machine(n, 42 * 7919 + n as u64))
                    .expect("write a generated machine");
            }
        }
        dir
    };
    SIZES
        .iter()
        .map(|&n| {
            let path = sizes_dir.join(format!("states-{n}.json"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            (n, text)
        })
        .collect()
}

/// Runs `gen_asl.py` unless its outputs are already there; false when it fails.
fn generate_with_python(script: &Path, data: &Path) -> bool {
    let sizes = data.join("sizes");
    if SIZES
        .iter()
        .all(|n| sizes.join(format!("states-{n}.json")).is_file())
    {
        return true;
    }
    let list = SIZES.map(|n| n.to_string()).join(",");
    let status = Command::new("python3")
        .arg(script)
        .arg(data)
        .args(["--sizes", &list, "--many", "0"])
        .status();
    match status {
        Ok(s) if s.success() => true,
        other => {
            eprintln!("gen_asl.py failed ({other:?}); using the built-in generator");
            false
        }
    }
}

fn benches(c: &mut Criterion) {
    let inputs = inputs();
    let options = Options::default();
    for (n, text) in &inputs {
        let errors = analyze(text, Dialect::Json, &options)
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if errors > 0 {
            eprintln!("warning: the {n}-state input has {errors} error diagnostics");
        }
    }

    let configure = |group: &mut criterion::BenchmarkGroup<'_, _>, n: usize, len: usize| {
        group.throughput(Throughput::Bytes(len as u64));
        if n >= 1_000 {
            // Milliseconds per iteration: linear sampling would need minutes.
            group.sampling_mode(SamplingMode::Flat);
            group.sample_size(20);
            group.measurement_time(Duration::from_secs(4));
        }
    };

    let mut group = c.benchmark_group("parse");
    for (n, text) in &inputs {
        configure(&mut group, *n, text.len());
        group.bench_with_input(BenchmarkId::from_parameter(n), text, |b, text| {
            b.iter(|| parse(black_box(text), Dialect::Json));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("analyze_parsed");
    for (n, text) in &inputs {
        configure(&mut group, *n, text.len());
        let parsed = parse(text, Dialect::Json);
        group.bench_with_input(BenchmarkId::from_parameter(n), text, |b, text| {
            b.iter(|| analyze_parsed(black_box(text), Dialect::Json, &parsed, &options));
        });
    }
    group.finish();

    // The same analysis with the payload-shape rules off: the baseline the shape flow's cost
    // is a ratio of (issue 18 allows it 30% of the analysis).
    let mut without_shapes = Options::default();
    for code in SHAPE_RULES {
        if let Some(rule) = asl_analyzer::registry::find(code) {
            without_shapes.levels.insert(rule, Level::Off);
        }
    }
    let mut group = c.benchmark_group("analyze_parsed_without_shapes");
    for (n, text) in &inputs {
        configure(&mut group, *n, text.len());
        let parsed = parse(text, Dialect::Json);
        group.bench_with_input(BenchmarkId::from_parameter(n), text, |b, text| {
            b.iter(|| analyze_parsed(black_box(text), Dialect::Json, &parsed, &without_shapes));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("parse_analyze");
    for (n, text) in &inputs {
        configure(&mut group, *n, text.len());
        group.bench_with_input(BenchmarkId::from_parameter(n), text, |b, text| {
            b.iter(|| analyze(black_box(text), Dialect::Json, &options));
        });
    }
    group.finish();
}

/// The editor queries of the language server, on an analysis already built (what a request
/// costs) and the analysis itself (what an edit costs), at a transition in the middle of the
/// document.
fn ide(c: &mut Criterion) {
    use asl_analyzer::ide::{self, Analysis};
    use asl_syntax::TextSize;
    let mut group = c.benchmark_group("ide");
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(500));
    for (states, text) in inputs() {
        let middle = text.len() / 2;
        let at = text[middle..]
            .find("\"Next\": \"")
            .map(|i| middle + i)
            .or_else(|| text[..middle].rfind("\"Next\": \""))
            .unwrap();
        let offset = TextSize::from((at + "\"Next\": \"".len() + 1) as u32);
        let options = Options::default();
        group.bench_with_input(BenchmarkId::new("analysis", states), &text, |b, text| {
            b.iter(|| Analysis::new(black_box(text.clone()), Dialect::Json, &options))
        });
        let analysis = Analysis::new(text.clone(), Dialect::Json, &options);
        assert!(
            analysis.definition(offset).is_some(),
            "no transition at the probe"
        );
        group.bench_with_input(BenchmarkId::new("hover", states), &offset, |b, &o| {
            b.iter(|| analysis.hover(black_box(o)))
        });
        group.bench_with_input(BenchmarkId::new("definition", states), &offset, |b, &o| {
            b.iter(|| analysis.definition(black_box(o)))
        });
        group.bench_with_input(BenchmarkId::new("completion", states), &offset, |b, &o| {
            b.iter(|| analysis.completions(black_box(o), true))
        });
        // Mid-edit, when the text does not parse, completion scans it instead.
        group.bench_with_input(
            BenchmarkId::new("completion_scan", states),
            &offset,
            |b, &o| b.iter(|| ide::completions(black_box(&text), black_box(o), true)),
        );
    }
    group.finish();
}

/// Expression checking (paths, templates, intrinsics, JSONata, variables) on the largest real
/// definitions of the shared corpus that use expressions: the whole analysis, which the
/// expression rules are part of. Skipped when `../shared/corpus` is absent (a fresh clone).
fn expressions(c: &mut Criterion) {
    let corpus = workspace_root().join("../shared/corpus/valid-real");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        return;
    };
    let mut files: Vec<(u64, PathBuf, String)> = Vec::new();
    let mut stack: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if let Ok(more) = std::fs::read_dir(&path) {
                stack.extend(more.filter_map(|e| e.ok().map(|e| e.path())));
            }
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text.contains("{%") || text.contains(".$\"") {
            files.push((text.len() as u64, path, text));
        }
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    let mut group = c.benchmark_group("expressions");
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(3));
    for (len, path, text) in files.into_iter().take(3) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        group.throughput(Throughput::Bytes(len));
        let options = Options::default();
        // The baseline in the same run: parsing alone.
        group.bench_with_input(BenchmarkId::new("parse", &name), &text, |b, text| {
            b.iter(|| parse(black_box(text), Dialect::Json))
        });
        group.bench_with_input(BenchmarkId::new("analyze", name), &text, |b, text| {
            b.iter(|| analyze(black_box(text), Dialect::Json, &options))
        });
    }
    group.finish();
}

criterion_group!(analyze_benches, benches, ide, expressions);
criterion_main!(analyze_benches);

/// A deterministic generator of valid machines with exactly `n` states, shaped like those of
/// `gen_asl.py` (same state kinds and field mix, pretty-printed with two-space indents).
mod synth {
    use std::fmt::Write as _;

    /// A JSON value; objects keep insertion order.
    pub enum J {
        Obj(Vec<(String, J)>),
        Arr(Vec<J>),
        Str(String),
        Int(i64),
        Float(f64),
        Bool(bool),
        Null,
    }

    fn s(v: impl Into<String>) -> J {
        J::Str(v.into())
    }

    fn obj(fields: Vec<(&str, J)>) -> J {
        J::Obj(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    impl J {
        fn push(&mut self, key: &str, value: J) {
            if let J::Obj(fields) = self {
                fields.push((key.to_owned(), value));
            }
        }

        fn write(&self, out: &mut String, indent: usize) {
            match self {
                J::Obj(fields) if fields.is_empty() => out.push_str("{}"),
                J::Arr(items) if items.is_empty() => out.push_str("[]"),
                J::Obj(fields) => {
                    out.push('{');
                    for (i, (k, v)) in fields.iter().enumerate() {
                        out.push_str(if i == 0 { "\n" } else { ",\n" });
                        pad(out, indent + 2);
                        quote(out, k);
                        out.push_str(": ");
                        v.write(out, indent + 2);
                    }
                    out.push('\n');
                    pad(out, indent);
                    out.push('}');
                }
                J::Arr(items) => {
                    out.push('[');
                    for (i, v) in items.iter().enumerate() {
                        out.push_str(if i == 0 { "\n" } else { ",\n" });
                        pad(out, indent + 2);
                        v.write(out, indent + 2);
                    }
                    out.push('\n');
                    pad(out, indent);
                    out.push(']');
                }
                J::Str(v) => quote(out, v),
                J::Int(v) => {
                    let _ = write!(out, "{v}");
                }
                J::Float(v) => {
                    let _ = write!(out, "{v:?}");
                }
                J::Bool(v) => out.push_str(if *v { "true" } else { "false" }),
                J::Null => out.push_str("null"),
            }
        }
    }

    fn pad(out: &mut String, n: usize) {
        out.extend(std::iter::repeat_n(' ', n));
    }

    fn quote(out: &mut String, v: &str) {
        out.push('"');
        for c in v.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    /// splitmix64: small, deterministic, good enough for picking shapes.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
        fn range(&mut self, lo: usize, hi: usize) -> usize {
            lo + self.below(hi - lo + 1)
        }
    }

    const LAMBDA_ERRORS: [&str; 4] = [
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ];

    struct Gen {
        rng: Rng,
        counter: usize,
    }

    enum Block {
        Task,
        Pass,
        Wait,
        Choice,
        Parallel(usize),
        Map(usize),
    }

    impl Block {
        fn size(&self) -> usize {
            match self {
                Block::Task | Block::Pass | Block::Wait => 1,
                Block::Choice => 4,
                Block::Parallel(n) | Block::Map(n) => *n,
            }
        }
    }

    fn link(state: &mut J, next: Option<&str>) {
        match next {
            Some(next) => state.push("Next", s(next)),
            None => state.push("End", J::Bool(true)),
        }
    }

    fn catch_all(to: &str) -> J {
        obj(vec![
            ("ErrorEquals", J::Arr(vec![s("States.ALL")])),
            ("ResultPath", s("$.error")),
            ("Next", s(to)),
        ])
    }

    impl Gen {
        fn name(&mut self, kind: &str) -> String {
            self.counter += 1;
            format!("{kind}{:05}", self.counter)
        }

        fn task(&mut self, next: Option<&str>, catch_to: Option<&str>) -> (J, bool) {
            let i = self.counter;
            let mut st = match self.rng.below(4) {
                0 => obj(vec![
                    ("Type", s("Task")),
                    ("Resource", s("arn:aws:states:::lambda:invoke")),
                    (
                        "Parameters",
                        obj(vec![
                            (
                                "FunctionName",
                                s(format!(
                                    "arn:aws:lambda:us-east-1:123456789012:function:worker-{}",
                                    i % 17
                                )),
                            ),
                            ("Payload.$", s("$")),
                        ]),
                    ),
                    ("ResultSelector", obj(vec![("body.$", s("$.Payload"))])),
                    ("ResultPath", s(format!("$.results.step{i}"))),
                ]),
                1 => obj(vec![
                    ("Type", s("Task")),
                    (
                        "Resource",
                        s(format!(
                            "arn:aws:lambda:us-east-1:123456789012:function:fn-{}",
                            i % 23
                        )),
                    ),
                    ("InputPath", s("$.payload")),
                    ("ResultPath", s("$.last")),
                    ("OutputPath", s("$")),
                    ("TimeoutSeconds", J::Int(60 + (i % 240) as i64)),
                ]),
                2 => obj(vec![
                    ("Type", s("Task")),
                    ("Resource", s("arn:aws:states:::dynamodb:putItem")),
                    (
                        "Parameters",
                        obj(vec![
                            ("TableName", s(format!("table-{}", i % 5))),
                            (
                                "Item",
                                obj(vec![
                                    ("pk", obj(vec![("S.$", s("$.id"))])),
                                    (
                                        "msg",
                                        obj(vec![(
                                            "S.$",
                                            s(format!("States.Format('item {{}} step {i}', $.id)")),
                                        )]),
                                    ),
                                ]),
                            ),
                        ]),
                    ),
                    ("ResultPath", J::Null),
                ]),
                _ => obj(vec![
                    ("Type", s("Task")),
                    ("Resource", s("arn:aws:states:::sqs:sendMessage")),
                    (
                        "Parameters",
                        obj(vec![
                            (
                                "QueueUrl",
                                s(format!(
                                    "https://sqs.us-east-1.amazonaws.com/123456789012/queue-{}",
                                    i % 7
                                )),
                            ),
                            ("MessageBody.$", s("States.JsonToString($.payload)")),
                        ]),
                    ),
                    ("ResultPath", s("$.sqs")),
                    ("HeartbeatSeconds", J::Int(30)),
                    ("TimeoutSeconds", J::Int(300)),
                ]),
            };
            st.push("Comment", s(format!("task {i}")));
            if self.rng.chance(70) {
                let k = self.rng.range(1, 3);
                let first = self.rng.below(LAMBDA_ERRORS.len());
                let errors = (0..k)
                    .map(|j| s(LAMBDA_ERRORS[(first + j) % LAMBDA_ERRORS.len()]))
                    .collect();
                let mut retry = vec![obj(vec![
                    ("ErrorEquals", J::Arr(errors)),
                    ("IntervalSeconds", J::Int([1, 2, 5][self.rng.below(3)])),
                    ("MaxAttempts", J::Int([2, 3, 6][self.rng.below(3)])),
                    ("BackoffRate", J::Float([1.5, 2.0][self.rng.below(2)])),
                ])];
                if self.rng.chance(50) {
                    retry.push(obj(vec![
                        ("ErrorEquals", J::Arr(vec![s("States.Timeout")])),
                        ("MaxAttempts", J::Int(1)),
                    ]));
                }
                if self.rng.chance(50) {
                    retry.push(obj(vec![
                        ("ErrorEquals", J::Arr(vec![s("States.ALL")])),
                        ("IntervalSeconds", J::Int(1)),
                        ("MaxAttempts", J::Int(2)),
                        ("BackoffRate", J::Float(2.0)),
                    ]));
                }
                st.push("Retry", J::Arr(retry));
            }
            let mut catches = false;
            if let Some(to) = catch_to
                && self.rng.chance(60)
            {
                let mut catch = Vec::new();
                if self.rng.chance(40) {
                    catch.push(obj(vec![
                        ("ErrorEquals", J::Arr(vec![s("States.TaskFailed")])),
                        ("ResultPath", s("$.error")),
                        ("Next", s(to)),
                    ]));
                }
                catch.push(catch_all(to));
                st.push("Catch", J::Arr(catch));
                catches = true;
            }
            link(&mut st, next);
            (st, catches)
        }

        fn pass(&mut self, next: Option<&str>) -> J {
            let i = self.counter;
            let mut st = obj(vec![
                ("Type", s("Pass")),
                ("Comment", s(format!("pass {i}"))),
            ]);
            match self.rng.below(3) {
                0 => {
                    st.push(
                        "Result",
                        obj(vec![("step", J::Int(i as i64)), ("ok", J::Bool(true))]),
                    );
                    st.push("ResultPath", s(format!("$.pass{i}")));
                }
                1 => st.push(
                    "Parameters",
                    obj(vec![
                        ("id.$", s("$.id")),
                        ("items.$", s("$.items")),
                        ("exec.$", s("$$.Execution.Id")),
                        ("n", J::Int(i as i64)),
                    ]),
                ),
                _ => {
                    st.push("InputPath", s("$"));
                    st.push("ResultPath", s("$.copy"));
                }
            }
            link(&mut st, next);
            st
        }

        fn wait(&mut self, next: Option<&str>) -> J {
            let mut st = obj(vec![
                ("Type", s("Wait")),
                ("Comment", s(format!("wait {}", self.counter))),
            ]);
            match self.rng.below(3) {
                0 => st.push("Seconds", J::Int([1, 5, 10][self.rng.below(3)])),
                1 => st.push("SecondsPath", s("$.delaySeconds")),
                _ => st.push("TimestampPath", s("$.resumeAt")),
            }
            link(&mut st, next);
            st
        }

        /// (StartAt, States) with exactly `n` states, `n >= 1`.
        fn build(&mut self, n: usize, depth: usize, top: bool) -> (String, J) {
            let mut states: Vec<(String, J)> = Vec::new();
            let fail = (top && n >= 3).then(|| self.name("Failed"));
            let mut budget = n - usize::from(fail.is_some());
            let done = (top && budget >= 2).then(|| {
                budget -= 1;
                self.name("Done")
            });
            let mut plan = Vec::new();
            while budget > 0 {
                let roll = self.rng.below(100);
                let block = if roll < 40 || budget == 1 || (fail.is_some() && plan.is_empty()) {
                    Block::Task
                } else if roll < 56 {
                    Block::Pass
                } else if roll < 64 {
                    Block::Wait
                } else if roll < 80 && budget >= 4 {
                    Block::Choice
                } else if roll < 90 && budget >= 3 && depth < 2 {
                    Block::Parallel(budget.min(self.rng.range(3, 9)))
                } else if depth < 2 {
                    Block::Map(budget.min(self.rng.range(2, 6)))
                } else {
                    Block::Pass
                };
                budget -= block.size();
                plan.push(block);
            }
            let names: Vec<String> = plan
                .iter()
                .map(|b| {
                    let kind = match b {
                        Block::Task => "Task",
                        Block::Pass => "Pass",
                        Block::Wait => "Wait",
                        Block::Choice => "Choice",
                        Block::Parallel(_) => "Parallel",
                        Block::Map(_) => "Map",
                    };
                    self.name(kind)
                })
                .collect();
            let mut fail_targeted = false;
            for (idx, block) in plan.iter().enumerate() {
                let name = names[idx].clone();
                let next = names.get(idx + 1).or(done.as_ref()).map(String::as_str);
                match block {
                    Block::Task => {
                        let (st, catches) = self.task(next, fail.as_deref());
                        fail_targeted |= catches;
                        states.push((name, st));
                    }
                    Block::Pass => {
                        let st = self.pass(next);
                        states.push((name, st));
                    }
                    Block::Wait => {
                        let st = self.wait(next);
                        states.push((name, st));
                    }
                    Block::Choice => {
                        let routes = [self.name("Route"), self.name("Route"), self.name("Route")];
                        let i = self.counter;
                        let mut choices = vec![
                            obj(vec![
                                ("Variable", s("$.count")),
                                ("NumericGreaterThan", J::Int((i % 10) as i64)),
                                ("Next", s(&routes[0])),
                            ]),
                            obj(vec![
                                (
                                    "And",
                                    J::Arr(vec![
                                        obj(vec![
                                            ("Variable", s("$.status")),
                                            ("IsPresent", J::Bool(true)),
                                        ]),
                                        obj(vec![
                                            ("Variable", s("$.status")),
                                            ("StringEquals", s("ready")),
                                        ]),
                                    ]),
                                ),
                                ("Next", s(&routes[1])),
                            ]),
                        ];
                        if self.rng.chance(50) {
                            choices.push(obj(vec![
                                (
                                    "Not",
                                    obj(vec![
                                        ("Variable", s("$.flag")),
                                        ("BooleanEquals", J::Bool(true)),
                                    ]),
                                ),
                                ("Next", s(&routes[2])),
                            ]));
                        }
                        let st = obj(vec![
                            ("Type", s("Choice")),
                            ("Comment", s(format!("choice {i}"))),
                            ("Choices", J::Arr(choices)),
                            ("Default", s(&routes[2])),
                        ]);
                        states.push((name, st));
                        for (route, tag) in routes.into_iter().zip(["a", "b", "c"]) {
                            let mut st = obj(vec![
                                ("Type", s("Pass")),
                                ("Result", s(tag)),
                                ("ResultPath", s("$.route")),
                            ]);
                            link(&mut st, next);
                            states.push((route, st));
                        }
                    }
                    Block::Parallel(size) => {
                        let inner = size - 1;
                        let count = self.rng.range(2, 3).min(inner);
                        let branches = (0..count)
                            .map(|j| {
                                let bs = inner / count + usize::from(j < inner % count);
                                let (start, bstates) = self.build(bs, depth + 1, false);
                                obj(vec![("StartAt", s(start)), ("States", bstates)])
                            })
                            .collect();
                        let mut st = obj(vec![
                            ("Type", s("Parallel")),
                            ("Comment", s(format!("parallel {}", self.counter))),
                            ("Branches", J::Arr(branches)),
                            ("ResultPath", s(format!("$.parallel{}", self.counter))),
                        ]);
                        if let Some(fail) = &fail {
                            st.push("Catch", J::Arr(vec![catch_all(fail)]));
                            fail_targeted = true;
                        }
                        link(&mut st, next);
                        states.push((name, st));
                    }
                    Block::Map(size) => {
                        let (start, mstates) = self.build(size - 1, depth + 1, false);
                        let mut st = obj(vec![
                            ("Type", s("Map")),
                            ("Comment", s(format!("map {}", self.counter))),
                            ("ItemsPath", s("$.items")),
                            ("MaxConcurrency", J::Int([0, 5, 10][self.rng.below(3)])),
                            (
                                "ItemSelector",
                                obj(vec![
                                    ("item.$", s("$$.Map.Item.Value")),
                                    ("index.$", s("$$.Map.Item.Index")),
                                ]),
                            ),
                            (
                                "ItemProcessor",
                                obj(vec![
                                    ("ProcessorConfig", obj(vec![("Mode", s("INLINE"))])),
                                    ("StartAt", s(start)),
                                    ("States", mstates),
                                ]),
                            ),
                            ("ResultPath", s(format!("$.mapped{}", self.counter))),
                        ]);
                        link(&mut st, next);
                        states.push((name, st));
                    }
                }
            }
            if let Some(done) = &done {
                states.push((
                    done.clone(),
                    obj(vec![("Type", s("Succeed")), ("Comment", s("all done"))]),
                ));
            }
            if let Some(fail) = &fail {
                if !fail_targeted {
                    // Keep the Fail state reachable: the first state, always a Task at the top
                    // level, catches into it.
                    if let Some((_, J::Obj(fields))) = states.first_mut() {
                        let at = fields.len() - 1; // before Next/End
                        fields.insert(at, ("Catch".to_owned(), J::Arr(vec![catch_all(fail)])));
                    }
                }
                states.push((
                    fail.clone(),
                    obj(vec![
                        ("Type", s("Fail")),
                        ("Error", s("WorkflowFailed")),
                        ("Cause", s("a step failed")),
                    ]),
                ));
            }
            match names.first().or(done.as_ref()) {
                Some(start) => (start.clone(), J::Obj(states)),
                None => {
                    let name = self.name("Pass");
                    let st = self.pass(None);
                    states.push((name.clone(), st));
                    (name, J::Obj(states))
                }
            }
        }
    }

    /// One machine of exactly `n` states (counting nested ones), pretty-printed.
    pub fn machine(n: usize, seed: u64) -> String {
        let mut g = Gen {
            rng: Rng(seed),
            counter: 0,
        };
        let (start, states) = g.build(n.max(1), 0, true);
        let sm = obj(vec![
            (
                "Comment",
                s(format!("synthetic {n} states (built-in generator)")),
            ),
            ("StartAt", s(start)),
            ("States", states),
            ("TimeoutSeconds", J::Int(3600)),
        ]);
        let mut out = String::with_capacity(n * 500);
        sm.write(&mut out, 0);
        out.push('\n');
        out
    }
}
