// SPDX-License-Identifier: GPL-2.0

//! Sorting by small keys.

/// Sorts `items` by `key`, keeping the order of items of one key: one
/// pass to count the items of each key, one to give each its place, and
/// the items then moved there in place, a cycle of places at a time. A
/// comparison sort takes several passes of comparisons, and a sort into
/// a second vector writes the items to fresh memory.
pub(crate) fn counting_sort<T>(items: &mut [T], key: impl Fn(&T) -> u32) {
    let keys = items
        .iter()
        .map(|it| key(it) as usize + 1)
        .max()
        .unwrap_or(0);
    let mut starts = vec![0u32; keys + 1];
    for it in items.iter() {
        starts[key(it) as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut dest: Vec<u32> = items
        .iter()
        .map(|it| {
            let at = &mut starts[key(it) as usize];
            *at += 1;
            *at - 1
        })
        .collect();
    for i in 0..items.len() {
        // `dest` is a permutation: each swap puts one item in its place.
        while dest[i] as usize != i {
            let d = dest[i] as usize;
            items.swap(i, d);
            dest.swap(i, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::counting_sort;

    #[test]
    fn counting_sort_is_a_stable_sort() {
        let mut items: Vec<(u32, u32)> = (0..500u32).map(|i| ((i * 7919) % 13, i)).collect();
        let mut want = items.clone();
        want.sort_by_key(|&(k, _)| k);
        counting_sort(&mut items, |&(k, _)| k);
        assert_eq!(items, want);
        let mut none: Vec<(u32, u32)> = Vec::new();
        counting_sort(&mut none, |&(k, _)| k);
        assert!(none.is_empty());
    }
}
