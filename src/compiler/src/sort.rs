// SPDX-License-Identifier: GPL-2.0

//! Sorting by small keys.

/// `items` sorted by `key`, which is below `keys`, keeping the order of
/// items of one key: one pass to count them and one to place them, where
/// a comparison sort takes a few passes of comparisons.
pub(crate) fn counting_sort<T: Copy>(
    items: Vec<T>,
    keys: usize,
    key: impl Fn(&T) -> u32,
) -> Vec<T> {
    let mut starts = vec![0usize; keys + 1];
    for it in &items {
        if let Some(n) = starts.get_mut(key(it) as usize + 1) {
            *n += 1;
        }
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let Some(&first) = items.first() else {
        return items;
    };
    let mut out = vec![first; items.len()];
    for it in items {
        if let Some(at) = starts.get_mut(key(&it) as usize) {
            if let Some(slot) = out.get_mut(*at) {
                *slot = it;
            }
            *at += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::counting_sort;

    #[test]
    fn counting_sort_is_a_stable_sort() {
        let items: Vec<(u32, u32)> = (0..500u32).map(|i| ((i * 7919) % 13, i)).collect();
        let mut want = items.clone();
        want.sort_by_key(|&(k, _)| k);
        assert_eq!(counting_sort(items, 13, |&(k, _)| k), want);
        assert!(counting_sort(Vec::<(u32, u32)>::new(), 0, |&(k, _)| k).is_empty());
    }
}
