//! No input size or shape takes the analysis down (issue 13): documents nested up to the readers'
//! depth bound, long chains of states, and many duplicates, in every query the CLI and the editor
//! make, on a thread of the stack size the CLI and the language server give their workers.
//! These tests run unoptimized, whose stack frames are larger than a release build's, so passing
//! here leaves room in the release build.
//!
//! They assert results, never times; the times are in the issue's note (`cargo test` runs them
//! in well under a second each in release, a few seconds in debug).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use asl_analyzer::cost::CostOptions;
use asl_analyzer::ide::{self, Analysis};
use asl_analyzer::{Options, analyze};
use asl_syntax::{Dialect, MAX_DEPTH, STACK_SIZE, TextRange, TextSize};

/// Runs `f` on a thread with the workers' stack size, as the CLI and the server do.
fn on_worker<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

fn codes(text: &str, dialect: Dialect) -> Vec<&'static str> {
    analyze(text, dialect, &Options::default())
        .iter()
        .map(|d| d.code())
        .collect()
}

/// Every editor query at a few offsets (the start, the deepest point, the end), the cost model
/// and the fixes: none may overflow or panic.
fn every_query(text: &str, dialect: Dialect) {
    let analysis = Analysis::new(text, dialect, &Options::default());
    let _ = analysis.symbols();
    let _ = ide::folding_ranges(text);
    let _ = analysis.inlay_hints(TextRange::up_to(TextSize::of(text)));
    let len = text.len();
    for at in [0, len / 3, len / 2, len - 1, len] {
        let mut at = at.min(len);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let offset = TextSize::from(at as u32);
        let _ = analysis.hover(offset);
        let _ = analysis.definition(offset);
        let _ = analysis.references(offset, true);
        let _ = analysis.highlights(offset);
        let _ = analysis.prepare_rename(offset);
        let _ = analysis.completions(offset, true);
        let _ = analysis.code_actions(TextRange::empty(offset));
    }
    let _ = asl_analyzer::fix::fix_all(text, dialect, &Options::default(), true);
}

/// A Parallel nested `depth` times (each level is four JSON levels deep).
fn nested_parallel(depth: usize) -> String {
    let mut s = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#.to_owned();
    for i in 0..depth {
        s = format!(
            r#"{{"StartAt":"P{i}","States":{{"P{i}":{{"Type":"Parallel","End":true,"Branches":[{s}]}}}}}}"#
        );
    }
    s
}

/// A Map nested `depth` times, with a retry on each level (the retry and cost models walk the
/// enclosing scopes).
fn nested_map(depth: usize) -> String {
    let mut s = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"TimeoutSeconds":5,"End":true}}}"#.to_owned();
    for i in 0..depth {
        s = format!(
            r#"{{"StartAt":"M{i}","States":{{"M{i}":{{"Type":"Map","End":true,"MaxConcurrency":5,"Retry":[{{"ErrorEquals":["States.ALL"],"MaxAttempts":2}}],"ItemProcessor":{s}}}}}}}"#
        );
    }
    s
}

fn pass_with_parameters(value: &str) -> String {
    format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Pass","End":true,"Parameters":{value}}}}}}}"#
    )
}

/// Analyses `text` on a worker: no invalid-JSON, too-deep or internal-error finding, and every
/// query answers.
fn analysed_at_depth(what: &'static str, text: String) {
    on_worker(move || {
        let found = codes(&text, Dialect::Json);
        assert!(
            !found.contains(&"ASL001") && !found.contains(&"ASL503") && !found.contains(&"ASL999"),
            "{what}: {found:?}"
        );
        every_query(&text, Dialect::Json);
    });
}

// Each text is as deep as the bound allows, give or take the levels around the nesting.

#[test]
fn a_parallel_nested_1000_deep() {
    analysed_at_depth("1,000-deep Parallel", nested_parallel(1_000));
}

#[test]
fn a_parallel_nested_to_the_bound() {
    analysed_at_depth("Parallel at the bound", nested_parallel(MAX_DEPTH / 4 - 2));
}

#[test]
fn a_map_nested_to_the_bound() {
    analysed_at_depth("Map at the bound", nested_map(MAX_DEPTH / 3 - 2));
}

#[test]
fn arrays_nested_to_the_bound() {
    let n = MAX_DEPTH - 6;
    analysed_at_depth(
        "arrays",
        pass_with_parameters(&format!("{{\"x\":{}{}}}", "[".repeat(n), "]".repeat(n))),
    );
}

#[test]
fn objects_nested_to_the_bound() {
    let n = MAX_DEPTH - 6;
    analysed_at_depth(
        "objects",
        pass_with_parameters(&format!(
            "{}1{}",
            "{\"a.$\":\"$.x\",\"b\":".repeat(n),
            "}".repeat(n)
        )),
    );
}

fn choice(rule: &str) -> String {
    format!(
        r#"{{"StartAt":"C","States":{{"C":{{"Type":"Choice","Default":"D","Choices":[{{"Next":"D",{rule}}}]}},"D":{{"Type":"Succeed"}}}}}}"#
    )
}

#[test]
fn not_rules_nested_to_the_bound() {
    let n = MAX_DEPTH - 8;
    let rule = format!(
        "{}\"Variable\":\"$.x\",\"IsPresent\":true{}",
        "\"Not\":{".repeat(n),
        "}".repeat(n)
    );
    analysed_at_depth("Not", choice(&rule));
}

#[test]
fn and_rules_nested_to_the_bound() {
    let n = MAX_DEPTH / 2 - 6;
    let rule = format!(
        "{}\"Variable\":\"$.x\",\"IsPresent\":true{}",
        "\"And\":[{".repeat(n),
        "}]".repeat(n)
    );
    analysed_at_depth("And", choice(&rule));
}

#[test]
fn past_the_depth_bound_is_one_definition_too_large_finding_not_invalid_json() {
    on_worker(|| {
        let deep = pass_with_parameters(&format!(
            "{{\"x\":{}{}}}",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        ));
        let found = analyze(&deep, Dialect::Json, &Options::default());
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d.code(), "ASL503");
        assert!(d.message.contains("10,000 levels"), "{}", d.message);
        // At the first bracket past the bound.
        assert_eq!(&deep[d.range], "[");
        // The root, `States`, `A` and `Parameters` take four levels.
        assert_eq!(
            deep[..usize::from(d.range.start())].matches('[').count(),
            MAX_DEPTH - 4
        );
        every_query(&deep, Dialect::Json);

        // The JSONC reader's own bound (a comment sends the file to it), and YAML's flow bound.
        let jsonc = format!("// c\n{}", nested_parallel(300));
        assert_eq!(codes(&jsonc, Dialect::Jsonc), ["ASL503"]);
        let yaml = format!(
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n    Result: {}{}\n",
            "[".repeat(300),
            "]".repeat(300)
        );
        assert_eq!(codes(&yaml, Dialect::Yaml), ["ASL503"]);
    });
}

#[test]
fn yaml_in_block_style_reaches_the_depth_bound() {
    on_worker(|| {
        let mut yaml =
            "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n    Result:\n".to_owned();
        // Block style has no flow bound: 600 levels of mappings (the flow bound is 255), each one
        // space deeper.
        let mut indent = "      ".to_owned();
        for _ in 0..600 {
            yaml.push_str(&format!("{indent}k:\n"));
            indent.push(' ');
        }
        yaml.push_str(&format!("{indent}1\n"));
        let found = codes(&yaml, Dialect::Yaml);
        assert!(found.is_empty(), "{found:?}");
        every_query(&yaml, Dialect::Yaml);
    });
}

/// `n` states in one `Next` chain, the last one `Succeed`.
fn chain(n: usize, last: &str) -> String {
    let mut s = String::from(r#"{"StartAt":"S0","States":{"#);
    for i in 0..n - 1 {
        s.push_str(&format!(r#""S{i}":{{"Type":"Pass","Next":"S{}"}},"#, i + 1));
    }
    s.push_str(&format!(r#""S{}":{last}}}}}"#, n - 1));
    s
}

#[test]
fn a_chain_of_100000_states_and_a_loop_of_100000_states_are_analysed() {
    on_worker(|| {
        // The strongly connected components were found by a recursion per state on the path,
        // which overflowed at about 20,000 states. 22,000 states (about 880 KB) is a size AWS
        // accepts.
        let found = codes(&chain(22_000, r#"{"Type":"Succeed"}"#), Dialect::Json);
        assert_eq!(found, ["ASL501"]);
        // 100,000 states closed into a loop with no way out: one finding for the whole loop,
        // whose note names a few of its states, not all (and ASL503: over 1 MB).
        let trapped = chain(100_000, r#"{"Type":"Pass","Next":"S0"}"#)
            .replace(r#""States":{"#, r#""States":{"Never":{"Type":"Succeed"},"#);
        let analysis = Analysis::new(trapped.as_str(), Dialect::Json, &Options::default());
        let found = analysis.diagnostics();
        let loops: Vec<_> = found.iter().filter(|d| d.code() == "ASL105").collect();
        assert_eq!(
            loops.len(),
            1,
            "{:?}",
            found.iter().map(|d| d.code()).collect::<Vec<_>>()
        );
        assert!(
            loops[0].notes.iter().all(|n| n.len() < 300),
            "{:?}",
            loops[0].notes
        );
        assert!(loops[0].labels.len() <= 12);
        assert!(found.iter().all(|d| d.code() != "ASL999"));
        let _ = analysis.symbols();
        let at = TextSize::from(trapped.find("\"S50000\"").unwrap() as u32 + 1);
        assert_eq!(analysis.references(at, true).len(), 2);
        let _ = analysis.hover(at);
    });
}

#[test]
fn a_hundred_thousand_duplicates_are_reported_in_linear_time() {
    on_worker(|| {
        // Duplicate state names: one finding per repeat, each with the JSON pointer of its
        // state (the pointer search was a scan of the siblings per finding).
        let n = 100_000;
        let states = vec![r#""A":{"Type":"Pass","End":true}"#; n].join(",");
        let text = format!(r#"{{"StartAt":"A","States":{{{states}}}}}"#);
        let found = analyze(&text, Dialect::Json, &Options::default());
        let dups = found.iter().filter(|d| d.code() == "ASL002").count();
        assert_eq!(dups, n - 1);
        assert!(found.iter().all(|d| d.code() != "ASL999"));
        assert!(found.iter().any(|d| d.pointer == "/States/A"));

        // Duplicate keys inside one state.
        let comments = vec![r#""Comment":"x""#; n].join(",");
        let text = format!(
            r#"{{"StartAt":"A","States":{{"A":{{"Type":"Pass","End":true,{comments}}}}}}}"#
        );
        let found = analyze(&text, Dialect::Json, &Options::default());
        let dups: Vec<_> = found.iter().filter(|d| d.code() == "ASL002").collect();
        assert_eq!(dups.len(), n - 1);
        assert!(dups.iter().all(|d| d.pointer == "/States/A/Comment"));
    });
}

#[test]
fn twenty_thousand_unreachable_states_get_their_findings_and_typo_hints() {
    on_worker(|| {
        let n = 20_000;
        let mut states: Vec<String> = (0..n)
            .map(|i| format!(r#""S{i}":{{"Type":"Pass","End":true}}"#))
            .collect();
        // A typo for one of them: the hint still finds it among 20,000.
        states[0] = r#""S0":{"Type":"Pass","Next":"S1999x"}"#.to_owned();
        let text = format!(r#"{{"StartAt":"S0","States":{{{}}}}}"#, states.join(","));
        let found = analyze(&text, Dialect::Json, &Options::default());
        let unreachable: Vec<_> = found.iter().filter(|d| d.code() == "ASL103").collect();
        assert_eq!(unreachable.len(), n - 1);
        let hinted: Vec<_> = unreachable
            .iter()
            .filter(|d| !d.labels.is_empty())
            .collect();
        assert!(
            hinted.iter().any(|d| d.message.contains("`S1999`")),
            "{:?}",
            hinted.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    });
}

#[test]
fn cost_with_extreme_options_does_not_panic() {
    on_worker(|| {
        let text = nested_map(50);
        let parse = asl_syntax::parse(&text, Dialect::Json);
        let root = parse.root.unwrap();
        let machine = asl_syntax::ast::Machine::new(&root);
        let graph = asl_analyzer::graph::Graph::new(&machine);
        for map_items in [0, 1, u64::MAX] {
            for seconds in [0.0, f64::MAX, f64::INFINITY, f64::NAN, -1.0] {
                let options = CostOptions {
                    map_items,
                    price_per_1000: seconds,
                    task_seconds: seconds,
                    ..CostOptions::default()
                };
                let estimate = asl_analyzer::cost::estimate(&machine, &graph, &options);
                let _ = format!("{estimate:?}");
            }
        }
    });
}

#[test]
fn expressions_nested_200000_deep_are_bounded() {
    // JSONPath filters, intrinsic calls and JSONata expressions parse with their own bounds:
    // a string of 200,000 parentheses is a finding, not a recursion per character.
    let n = 200_000;
    let (open, close) = ("(".repeat(n), ")".repeat(n));
    let jsonata = |body: String| {
        format!(
            r#"{{"QueryLanguage":"JSONata","StartAt":"A","States":{{"A":{{"Type":"Pass","End":true,"Output":"{{% {body} %}}"}}}}}}"#
        )
    };
    let cases = vec![
        pass_with_parameters(&format!(r#"{{"x.$":"$.a[?({open}@.b{close})]"}}"#)),
        pass_with_parameters(&format!(r#"{{"x.$":"${}"}}"#, "[0]".repeat(n))),
        pass_with_parameters(&format!(
            r#"{{"x.$":"{}1{close}"}}"#,
            "States.Array(".repeat(n)
        )),
        jsonata(format!("{open}1{close}")),
        jsonata(format!("{}1{}", "[".repeat(n), "]".repeat(n))),
        jsonata(format!("{}1", "-".repeat(n))),
        jsonata(format!("1{}", "+1".repeat(n))),
        jsonata(format!("{}1{close}", "$f(".repeat(n))),
        jsonata(format!("{}b", "a.".repeat(n))),
        jsonata(format!("{}1{}", "x ? ".repeat(n), " : 2".repeat(n))),
    ];
    for text in cases {
        on_worker(move || {
            let found = codes(&text, Dialect::Json);
            assert!(!found.contains(&"ASL999"), "{found:?}");
            every_query(&text, Dialect::Json);
        });
    }
}
