//! `asl-lint rules`: each summary is one complete sentence, short enough for a table.

use asl_analyzer::registry;

#[test]
fn summaries_are_one_complete_short_sentence() {
    for rule in registry::all() {
        let summary = rule.summary();
        let code = rule.code;
        assert!(
            summary.ends_with('.'),
            "{code}: `{summary}` does not end a sentence"
        );
        assert!(
            summary.len() <= 220,
            "{code}: `{summary}` is {} bytes, more than 220",
            summary.len()
        );
        assert_eq!(
            summary.matches('`').count() % 2,
            0,
            "{code}: `{summary}` is cut inside backticks"
        );
        let outside_code: String = summary.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        assert_eq!(
            outside_code.matches('(').count(),
            outside_code.matches(')').count(),
            "{code}: `{summary}` is cut inside brackets"
        );
        assert!(
            !outside_code.contains(". ") && !outside_code.contains(": "),
            "{code}: `{summary}` is more than one sentence"
        );
        assert!(
            !summary.ends_with(" and reports.") && !summary.ends_with(" e.g."),
            "{code}: `{summary}` ends mid-thought"
        );
    }
}
