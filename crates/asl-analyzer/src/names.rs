//! How messages show names and figures: suggestions ("did you mean `Process`?"), loops, and
//! counts with their thousands grouped.

/// A loop's states as a message shows them, `A → B → C → A`: each name formatted by `show`, the
/// first repeated at the end, and the middle of a loop of more than [`LOOP_SHOWN`] states elided
/// (`A → B → … 99,990 more … → Z → A`), so a message stays one readable line however long the
/// loop.
pub fn loop_path<'n>(
    names: impl ExactSizeIterator<Item = &'n str>,
    show: impl Fn(&str) -> String,
) -> String {
    let len = names.len();
    let mut parts: Vec<String> = Vec::with_capacity(len.min(LOOP_SHOWN) + 2);
    let mut first = None;
    for (i, name) in names.enumerate() {
        if i == 0 {
            first = Some(show(name));
        }
        if len <= LOOP_SHOWN || i < LOOP_SHOWN - 2 || i == len - 1 {
            parts.push(show(name));
        } else if i == LOOP_SHOWN - 2 {
            parts.push(format!("… {} more …", len - (LOOP_SHOWN - 1)));
        }
    }
    parts.extend(first);
    parts.join(" → ")
}

/// `1234567` as `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The most states [`loop_path`] names.
pub const LOOP_SHOWN: usize = 12;

/// The candidate closest to `name` by edit distance (case differences are cheap), if it is close
/// enough to be a plausible typo.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let length = name.chars().count();
    let limit = (length / 3).clamp(1, 4);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        // Each character more or fewer costs an insertion or a deletion (2): a candidate whose
        // length differs by more than `limit` cannot be close enough, and is not measured.
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (distance(name, c), c))
        .filter(|(d, _)| *d <= limit * 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance (optimal string alignment) in half-units: a change of case costs 1, any other
/// edit (insertion, deletion, substitution, swap of neighbours) 2.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(x) = d.get_mut(at(i, 0)) {
            *x = i * 2;
        }
    }
    for j in 0..=b.len() {
        if let Some(x) = d.get_mut(at(0, j)) {
            *x = j * 2;
        }
    }
    let get = |d: &[usize], i: usize, j: usize| d.get(at(i, j)).copied().unwrap_or(usize::MAX / 4);
    for (i, ca) in a.iter().enumerate() {
        for (j, cb) in b.iter().enumerate() {
            let cost = if ca == cb {
                0
            } else if ca.to_lowercase().eq(cb.to_lowercase()) {
                1
            } else {
                2
            };
            let mut best = (get(&d, i, j) + cost)
                .min(get(&d, i, j + 1) + 2)
                .min(get(&d, i + 1, j) + 2);
            if i > 0 && j > 0 && a.get(i - 1) == Some(cb) && b.get(j - 1) == Some(ca) {
                best = best.min(get(&d, i - 1, j - 1) + 2);
            }
            if let Some(x) = d.get_mut(at(i + 1, j + 1)) {
                *x = best;
            }
        }
    }
    get(&d, a.len(), b.len())
}

/// `did you mean `X`?` or nothing.
pub fn did_you_mean<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    match closest(name, candidates) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_loops_are_elided_in_the_middle() {
        let plain = |n: &str| n.to_owned();
        assert_eq!(loop_path(["A", "B"].into_iter(), plain), "A → B → A");
        let names: Vec<String> = (0..100).map(|i| format!("S{i}")).collect();
        let path = loop_path(names.iter().map(String::as_str), |n| format!("`{n}`"));
        assert_eq!(
            path,
            "`S0` → `S1` → `S2` → `S3` → `S4` → `S5` → `S6` → `S7` → `S8` → `S9` → … 89 more … → `S99` → `S0`"
        );
        let twelve: Vec<String> = (0..12).map(|i| format!("S{i}")).collect();
        assert_eq!(
            loop_path(twelve.iter().map(String::as_str), plain)
                .matches('→')
                .count(),
            12
        );
    }

    #[test]
    fn counts_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(2777), "2,777");
        assert_eq!(grouped(25_000), "25,000");
        assert_eq!(grouped(100_000_000), "100,000,000");
    }

    #[test]
    fn suggests_typos() {
        assert_eq!(closest("Frist", ["First", "Second"]), Some("First"));
        assert_eq!(closest("process", ["Process", "Fail"]), Some("Process"));
        assert_eq!(
            closest("TimeoutSecond", ["TimeoutSeconds", "Type"]),
            Some("TimeoutSeconds")
        );
        assert_eq!(closest("Zebra", ["First", "Second"]), None);
    }
}
