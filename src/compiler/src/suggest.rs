// SPDX-License-Identifier: GPL-2.0

//! "Did you mean": the declared name closest to a misspelt one.

/// The name among `candidates` closest to `name` by Damerau–Levenshtein
/// distance, if it is close enough to be a typo of it: at most a third of
/// the name's length (at least one edit), and fewer edits than the name
/// has characters, so that short names do not suggest anything at all.
/// Ties go to the alphabetically first name, so the suggestion does not
/// depend on hash order.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, _)| d <= limit && d < len)
        .min()
        .map(|(_, c)| c)
}

/// The note that suggests `name`, as rustc words it.
pub fn did_you_mean(name: &str) -> String {
    format!("help: did you mean `{name}`?")
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn one_typo_is_found() {
        let names = ["cr_allowed_t", "cr_denied_t", "kernel_t"];
        assert_eq!(closest("cr_alowed_t", names), Some("cr_allowed_t"));
        assert_eq!(closest("kernle_t", names), Some("kernel_t"));
    }

    #[test]
    fn far_or_short_names_suggest_nothing() {
        assert_eq!(closest("unrelated", ["cr_allowed_t"]), None);
        assert_eq!(closest("b", ["a"]), None);
        assert_eq!(closest("x", []), None);
    }

    #[test]
    fn ties_are_alphabetical() {
        assert_eq!(closest("ab_t", ["ac_t", "aa_t"]), Some("aa_t"));
    }
}
