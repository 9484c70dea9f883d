//! `asl-lint graph`'s formats: a state graph's [`Diagram`] as Mermaid (renders in GitHub
//! Markdown) or Graphviz DOT. Both draw the same picture; see [`asl_analyzer::diagram`] for
//! what it shows.

use std::fmt::Write as _;

use asl_analyzer::diagram::{Class, Diagram, EdgeStyle, Item, Shape};

/// A diagram as a Mermaid `flowchart`.
pub fn mermaid(diagram: &Diagram) -> String {
    let mut out = String::from("flowchart TD\n");
    mermaid_items(&mut out, &diagram.items, 1);
    for edge in &diagram.edges {
        let arrow = match edge.style {
            EdgeStyle::Solid => "-->",
            EdgeStyle::Dashed => "-.->",
            EdgeStyle::Thick => "==>",
        };
        let _ = match &edge.label {
            Some(label) => writeln!(
                out,
                "  {} {arrow}|\"{}\"| {}",
                edge.from,
                mermaid_escape(label),
                edge.to
            ),
            None => writeln!(out, "  {} {arrow} {}", edge.from, edge.to),
        };
    }
    for class in Class::ALL {
        let _ = writeln!(out, "  classDef {} {}", class.name(), mermaid_style(class));
    }
    for class in Class::ALL {
        let ids = diagram.with_class(class);
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {}", ids.join(","), class.name());
        }
    }
    out
}

/// A diagram as a Graphviz `digraph`.
pub fn dot(diagram: &Diagram) -> String {
    let mut out = String::from("digraph \"state machine\" {\n");
    out.push_str("  node [shape=box, fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    dot_items(&mut out, &diagram.items, 1);
    for edge in &diagram.edges {
        let mut attrs = Vec::new();
        if let Some(label) = &edge.label {
            attrs.push(format!("label=\"{}\"", dot_escape(label)));
        }
        match edge.style {
            EdgeStyle::Solid => {}
            EdgeStyle::Dashed => attrs.push("style=dashed".to_owned()),
            EdgeStyle::Thick => attrs.push("style=bold".to_owned()),
        }
        let _ = if attrs.is_empty() {
            writeln!(out, "  {} -> {};", edge.from, edge.to)
        } else {
            writeln!(
                out,
                "  {} -> {} [{}];",
                edge.from,
                edge.to,
                attrs.join(", ")
            )
        };
    }
    out.push_str("}\n");
    out
}

fn mermaid_style(class: Class) -> &'static str {
    match class {
        Class::Succeed => "fill:#e3f5e1,stroke:#3a8a34,color:#1e4d1b",
        Class::Fail => "fill:#fbe1e1,stroke:#c0392b,color:#7b1d14",
        Class::Unreachable => "fill:#f2f2f2,stroke:#999,stroke-dasharray:4 3,color:#777",
        Class::Missing => "fill:#fff,stroke:#c0392b,stroke-dasharray:2 2,color:#c0392b",
    }
}

/// DOT styles and attributes of a class.
fn dot_attrs(class: Class) -> (&'static [&'static str], &'static str) {
    match class {
        Class::Succeed => (&["filled"], "fillcolor=\"#e3f5e1\", color=\"#3a8a34\""),
        Class::Fail => (&["filled"], "fillcolor=\"#fbe1e1\", color=\"#c0392b\""),
        Class::Unreachable => (
            &["dashed", "filled"],
            "fillcolor=\"#f2f2f2\", color=\"#999999\", fontcolor=\"#777777\"",
        ),
        Class::Missing => (&["dashed"], "color=\"#c0392b\", fontcolor=\"#c0392b\""),
    }
}

/// Text for a double-quoted Mermaid label: `"` and the characters Mermaid or HTML would read
/// (`#` starts an entity code, `<`, `>`, `&` are HTML, `|` ends an edge label, a backtick starts
/// a Markdown string) become Mermaid entity codes; control characters become spaces.
fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#60;"),
            '>' => out.push_str("#62;"),
            '&' => out.push_str("#38;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a double-quoted DOT string: `\` and `"` escaped, line breaks as spaces.
fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn mermaid_items(out: &mut String, items: &[Item], depth: usize) {
    for item in items {
        indent(out, depth);
        match item {
            Item::Node(node) => {
                let mut label = mermaid_escape(&node.title);
                if let Some(subtitle) = &node.subtitle {
                    let _ = write!(label, "<br/><small>{}</small>", mermaid_escape(subtitle));
                }
                let (open, close) = match node.shape {
                    Shape::Box => ("[", "]"),
                    Shape::Rounded => ("(", ")"),
                    Shape::Diamond => ("{", "}"),
                    Shape::Hexagon => ("{{", "}}"),
                    Shape::Stadium => ("([", "])"),
                    Shape::Subroutine => ("[[", "]]"),
                    Shape::Start => ("((", "))"),
                    Shape::End => ("(((", ")))"),
                };
                let _ = writeln!(out, "{}{open}\"{label}\"{close}", node.id);
            }
            Item::Cluster { id, title, items } => {
                let _ = writeln!(out, "subgraph {id}[\"{}\"]", mermaid_escape(title));
                mermaid_items(out, items, depth + 1);
                indent(out, depth);
                out.push_str("end\n");
            }
        }
    }
}

fn dot_items(out: &mut String, items: &[Item], depth: usize) {
    for item in items {
        indent(out, depth);
        match item {
            Item::Node(node) => {
                let mut label = dot_escape(&node.title);
                if let Some(subtitle) = &node.subtitle {
                    let _ = write!(label, "\\n{}", dot_escape(subtitle));
                }
                let (shape, rounded) = match node.shape {
                    Shape::Box => ("box", false),
                    Shape::Rounded | Shape::Stadium => ("box", true),
                    Shape::Diamond => ("diamond", false),
                    Shape::Hexagon => ("hexagon", false),
                    Shape::Subroutine => ("box, peripheries=2", false),
                    Shape::Start => ("circle", false),
                    Shape::End => ("doublecircle", false),
                };
                let mut styles: Vec<&str> = Vec::new();
                if rounded {
                    styles.push("rounded");
                }
                let mut extra = String::new();
                if let Some(class) = node.class {
                    let (more, attrs) = dot_attrs(class);
                    styles.extend_from_slice(more);
                    let _ = write!(extra, ", {attrs}");
                }
                let style = if styles.is_empty() {
                    String::new()
                } else {
                    format!(", style=\"{}\"", styles.join(","))
                };
                let _ = writeln!(
                    out,
                    "{} [label=\"{label}\", shape={shape}{style}{extra}];",
                    node.id
                );
            }
            Item::Cluster { id, title, items } => {
                let _ = writeln!(out, "subgraph cluster_{id} {{");
                indent(out, depth + 1);
                let _ = writeln!(out, "label=\"{}\";", dot_escape(title));
                indent(out, depth + 1);
                out.push_str("style=dashed;\n");
                dot_items(out, items, depth + 1);
                indent(out, depth);
                out.push_str("}\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;
    use asl_analyzer::Graph;
    use asl_analyzer::diagram::{Item, build};
    use asl_syntax::ast::Machine;
    use asl_syntax::{Dialect, parse};

    fn both(text: &str) -> (String, String) {
        let parse = parse(text, Dialect::Json);
        let root = parse.root.expect("valid JSON");
        let machine = Machine::new(&root);
        let graph = Graph::new(&machine);
        let diagram = build(&machine, &graph);
        (mermaid(&diagram), dot(&diagram))
    }

    #[test]
    fn linear_machine() {
        let (m, d) = both(
            r#"{"StartAt": "A", "States": {
                "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Next": "B"},
                "B": {"Type": "Wait", "Seconds": 5, "Next": "C"},
                "C": {"Type": "Succeed"}}}"#,
        );
        assert_eq!(
            m,
            "flowchart TD
  start0((\"start\"))
  s0[\"A<br/><small>Task</small>\"]
  s1{{\"B<br/><small>Wait</small>\"}}
  s2([\"C<br/><small>Succeed</small>\"])
  f0(((\"end\")))
  start0 --> s0
  s0 --> s1
  s1 --> s2
  s2 --> f0
  classDef succeed fill:#e3f5e1,stroke:#3a8a34,color:#1e4d1b
  classDef fail fill:#fbe1e1,stroke:#c0392b,color:#7b1d14
  classDef unreachable fill:#f2f2f2,stroke:#999,stroke-dasharray:4 3,color:#777
  classDef missing fill:#fff,stroke:#c0392b,stroke-dasharray:2 2,color:#c0392b
  class s2 succeed
"
        );
        assert_eq!(
            d,
            "digraph \"state machine\" {
  node [shape=box, fontname=\"Helvetica\"];
  edge [fontname=\"Helvetica\", fontsize=10];
  start0 [label=\"start\", shape=circle];
  s0 [label=\"A\\nTask\", shape=box];
  s1 [label=\"B\\nWait\", shape=hexagon];
  s2 [label=\"C\\nSucceed\", shape=box, style=\"rounded,filled\", fillcolor=\"#e3f5e1\", color=\"#3a8a34\"];
  f0 [label=\"end\", shape=doublecircle];
  start0 -> s0;
  s0 -> s1;
  s1 -> s2;
  s2 -> f0;
}
"
        );
    }

    #[test]
    fn choice_rules_are_labelled() {
        let (m, d) = both(
            r#"{"StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [
                    {"Variable": "$.status", "StringEquals": "done", "Next": "Ok"},
                    {"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.limit", "Next": "Ok"},
                    {"And": [{"Variable": "$.a", "IsPresent": true},
                             {"Not": {"Variable": "$.b", "IsNull": true}}], "Next": "Ok"},
                    {"Or": [{"Variable": "$.x", "NumericLessThan": 1.5},
                            {"Variable": "$.y", "BooleanEquals": false}], "Next": "Bad"},
                    {"Variable": "$.very.long.variable.name.indeed", "StringMatches": "prefix*suffix", "Next": "Bad"}
                ], "Default": "Bad"},
                "Ok": {"Type": "Succeed"},
                "Bad": {"Type": "Fail", "Error": "E"}}}"#,
        );
        assert!(m.contains("s0{\"C<br/><small>Choice</small>\"}"), "{m}");
        assert!(
            m.contains("s0 -->|\"$.status == #quot;done#quot;\"| s1"),
            "{m}"
        );
        assert!(m.contains("s0 -->|\"$.n #62;= $.limit\"| s1"), "{m}");
        assert!(
            m.contains("s0 -->|\"$.a is present and not ($.b is null)\"| s1"),
            "{m}"
        );
        assert!(
            m.contains("s0 -->|\"$.x #60; 1.5 or $.y == false\"| s2"),
            "{m}"
        );
        assert!(
            m.contains("s0 -->|\"$.very.long.variable.name.indeed matche…\"| s2"),
            "{m}"
        );
        assert!(m.contains("s0 -->|\"Default\"| s2"), "{m}");
        assert!(m.contains("class s2 fail"), "{m}");
        assert!(
            d.contains("s0 [label=\"C\\nChoice\", shape=diamond];"),
            "{d}"
        );
        assert!(
            d.contains("s0 -> s1 [label=\"$.status == \\\"done\\\"\"];"),
            "{d}"
        );
        assert!(d.contains("s0 -> s2 [label=\"Default\"];"), "{d}");
    }

    #[test]
    fn jsonata_condition_is_shown_as_written() {
        let (m, _) = both(
            r#"{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [
                    {"Condition": "{% $states.input.total > 100 %}", "Next": "D"}], "Default": "D"},
                "D": {"Type": "Succeed"}}}"#,
        );
        assert!(
            m.contains("s0 -->|\"$states.input.total #62; 100\"| s1"),
            "{m}"
        );
    }

    #[test]
    fn catchers_are_dashed_with_their_errors() {
        let (m, d) = both(
            r#"{"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true,
                      "Catch": [{"ErrorEquals": ["States.Timeout", "Custom.Err"], "Next": "F"},
                                {"ErrorEquals": ["States.ALL"], "Next": "F"}]},
                "F": {"Type": "Fail"}}}"#,
        );
        assert!(
            m.contains("s0 -.->|\"Catch: States.Timeout, Custom.Err\"| s1"),
            "{m}"
        );
        assert!(m.contains("s0 -.->|\"Catch: States.ALL\"| s1"), "{m}");
        assert!(m.contains("s0 --> f0"), "{m}");
        assert!(
            d.contains("s0 -> s1 [label=\"Catch: States.ALL\", style=dashed];"),
            "{d}"
        );
    }

    #[test]
    fn parallel_and_map_nest_as_subgraphs() {
        let (m, d) = both(
            r#"{"StartAt": "P", "States": {
                "P": {"Type": "Parallel", "Next": "Done", "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                    {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
                        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                            "StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}}}}]},
                "Done": {"Type": "Succeed"}}}"#,
        );
        let expected_nodes = "  start0((\"start\"))
  s0[[\"P<br/><small>Parallel</small>\"]]
  subgraph g1[\"P · branch 1\"]
    s1(\"A<br/><small>Pass</small>\")
    f1(((\"end\")))
  end
  subgraph g2[\"P · branch 2\"]
    s2[[\"M<br/><small>Map (distributed)</small>\"]]
    subgraph g3[\"M · items\"]
      s3(\"X<br/><small>Pass</small>\")
      f3(((\"end\")))
    end
    f2(((\"end\")))
  end
  s4([\"Done<br/><small>Succeed</small>\"])
  f0(((\"end\")))
";
        assert!(m.contains(expected_nodes), "{m}");
        assert!(m.contains("s0 ==>|\"branch 1\"| s1\n"), "{m}");
        assert!(m.contains("s0 ==>|\"branch 2\"| s2\n"), "{m}");
        assert!(m.contains("s2 ==>|\"items\"| s3\n"), "{m}");
        assert!(m.contains("s0 --> s4\n"), "{m}");
        assert!(
            d.contains("  subgraph cluster_g1 {\n    label=\"P · branch 1\";"),
            "{d}"
        );
        assert!(
            d.contains("    subgraph cluster_g3 {\n      label=\"M · items\";"),
            "{d}"
        );
        assert!(
            d.contains("s0 -> s1 [label=\"branch 1\", style=bold];"),
            "{d}"
        );
        assert!(
            d.contains("s2 [label=\"M\\nMap (distributed)\", shape=box, peripheries=2];"),
            "{d}"
        );
    }

    #[test]
    fn unreachable_states_are_marked() {
        let (m, d) = both(
            r#"{"StartAt": "A", "States": {
                "A": {"Type": "Pass", "End": true},
                "Orphan": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}"#,
        );
        assert!(
            m.contains("s1[\"Orphan<br/><small>Task · unreachable</small>\"]"),
            "{m}"
        );
        assert!(m.contains("class s1 unreachable\n"), "{m}");
        assert!(!m.contains("class s0"), "{m}");
        assert!(
            d.contains(
                "s1 [label=\"Orphan\\nTask · unreachable\", shape=box, style=\"dashed,filled\""
            ),
            "{d}"
        );
    }

    #[test]
    fn names_are_escaped() {
        let name = r#"Say \"hi\" [x] {y} | a;b <c> & #quot; `d` — ünï ✓ \\ end"#;
        let text = format!(
            r#"{{"StartAt": "{name}", "States": {{"{name}": {{"Type": "Pass", "End": true}}}}}}"#
        );
        let (m, d) = both(&text);
        assert!(
            m.contains(
                "s0(\"Say #quot;hi#quot; [x] {y} #124; a;b #60;c#62; #38; #35;quot; #96;d#96; — ünï ✓ \\ end<br/><small>Pass</small>\")"
            ),
            "{m}"
        );
        assert!(
            d.contains(
                "s0 [label=\"Say \\\"hi\\\" [x] {y} | a;b <c> & #quot; `d` — ünï ✓ \\\\ end\\nPass\""
            ),
            "{d}"
        );
    }

    #[test]
    fn dangling_targets_become_missing_nodes() {
        let (m, d) = both(
            r#"{"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Next": "Nowhere"},
                "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Nowhere"}],
                      "Default": "${Later}"}}}"#,
        );
        assert!(m.contains("s0 --> m0\n"), "{m}");
        assert!(m.contains("s1 -->|\"$.x is present\"| m0\n"), "{m}");
        assert!(m.contains("s1 -->|\"Default\"| m1\n"), "{m}");
        assert!(
            m.contains("m0[\"Nowhere<br/><small>missing</small>\"]"),
            "{m}"
        );
        assert!(
            m.contains("m1[\"${Later}<br/><small>placeholder</small>\"]"),
            "{m}"
        );
        assert!(m.contains("class m0,m1 missing\n"), "{m}");
        assert!(
            d.contains("m0 [label=\"Nowhere\\nmissing\", shape=box, style=\"dashed\""),
            "{d}"
        );
        // A missing StartAt target too.
        let (m, _) = both(r#"{"StartAt": "Gone", "States": {}}"#);
        assert!(m.contains("start0 --> m0\n"), "{m}");
    }

    #[test]
    fn output_is_deterministic() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "X"},
            "B": {"Type": "Pass", "Next": "Y"}, "C": {"Type": "Pass", "Next": "Z"}}}"#;
        let first = both(text);
        for _ in 0..5 {
            assert_eq!(both(text), first);
        }
    }

    /// Every fixture and example renders in both formats without panicking, and every edge
    /// leads from and to a declared node.
    #[test]
    fn every_fixture_renders() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut stack = vec![root.join("tests/fixtures"), root.join("examples")];
        let mut count = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = path.to_string_lossy();
                if !name.contains(".json") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let parse = parse(&text, Dialect::from_path(&name));
                let Some(root) = parse.root else { continue };
                let machine = Machine::new(&root);
                let graph = Graph::new(&machine);
                let diagram = build(&machine, &graph);
                let mut ids = Vec::new();
                fn collect(items: &[Item], ids: &mut Vec<String>) {
                    for item in items {
                        match item {
                            Item::Node(n) => ids.push(n.id.clone()),
                            Item::Cluster { items, .. } => collect(items, ids),
                        }
                    }
                }
                collect(&diagram.items, &mut ids);
                for edge in &diagram.edges {
                    assert!(ids.contains(&edge.from), "{name}: {edge:?}");
                    assert!(ids.contains(&edge.to), "{name}: {edge:?}");
                }
                let mut sorted = ids.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted.len(), ids.len(), "{name}: duplicate node ids");
                let m = mermaid(&diagram);
                let d = dot(&diagram);
                assert!(m.starts_with("flowchart TD\n"), "{name}");
                assert!(d.ends_with("}\n"), "{name}");
                count += 1;
            }
        }
        assert!(count > 50, "fixtures not found ({count})");
    }
}
