use crate::rule::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports that asl-lint itself failed while checking this file (a caught crash). The other
    /// files are still checked, and the other rules' findings on this file are kept when the
    /// failure is confined to one rule.
    ///
    /// ## Why is this bad?
    /// The file was not fully checked, so findings may be missing. It is a bug in asl-lint, never
    /// in your definition: please report it with the file that triggers it.
    ///
    /// ## References
    /// - [asl-lint issues](https://github.com/asl-lint/asl-lint/issues)
    pub(crate) static META = { code: "ASL999", name: "internal-error", level: Error }
}
