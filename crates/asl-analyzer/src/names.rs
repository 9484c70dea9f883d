//! Name suggestions ("did you mean `Process`?").

/// The candidate closest to `name` by edit distance (case differences are cheap), if it is close
/// enough to be a plausible typo.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (name.chars().count() / 3).clamp(1, 4);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (distance(name, c), c))
        .filter(|(d, _)| *d <= limit * 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance in half-units: a change of case costs 1, any other edit 2.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j * 2).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = (i + 1) * 2;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = if ca == cb {
                0
            } else if ca.to_lowercase().eq(cb.to_lowercase()) {
                1
            } else {
                2
            };
            let sub = prev.get(j).copied().unwrap_or(usize::MAX / 2) + cost;
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX / 2) + 2;
            let ins = cur.get(j).copied().unwrap_or(usize::MAX / 2) + 2;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
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
