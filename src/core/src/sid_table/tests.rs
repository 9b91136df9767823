// SPDX-License-Identifier: GPL-2.0

extern crate std;

use std::{collections::BTreeMap, vec, vec::Vec};

use proptest::prelude::*;

use super::*;

/// Growable names, as the kernel keeps them.
#[derive(Default, Debug)]
struct Names(Vec<Vec<u8>>);

impl SidNames for Names {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn name(&self, index: usize) -> Option<&[u8]> {
        self.0.get(index).map(Vec::as_slice)
    }
    fn push(&mut self, name: &[u8]) -> Result<(), OutOfMemory> {
        self.0.push(name.to_vec());
        Ok(())
    }
}

/// A policy's types: numbered in order, names unique.
struct Types(Vec<Vec<u8>>);

impl PolicyTypes for Types {
    fn type_count(&self) -> u32 {
        self.0.len() as u32
    }
    fn type_by_name(&self, name: &[u8]) -> Option<TypeId> {
        self.0
            .iter()
            .position(|n| n == name)
            .map(|i| TypeId(i as u32))
    }
    fn type_name(&self, t: TypeId) -> &[u8] {
        &self.0[t.0 as usize]
    }
}

/// Loads `types` into the table and returns the mapping.
fn load(names: &mut Names, types: &Types) -> (Vec<Sid>, Vec<Option<TypeId>>) {
    let (nt, ns) = map_sizes(names, types);
    let (mut type_sids, mut sid_types) = (vec![7; nt], vec![Some(TypeId(9)); ns]);
    let used = map_policy(types, names, &mut type_sids, &mut sid_types).unwrap();
    sid_types.truncate(used);
    (type_sids, sid_types)
}

#[test]
fn first_load_numbers_types_in_order() {
    let mut names = Names::default();
    let types = Types(vec![b"kernel".to_vec(), b"file".to_vec()]);
    let (type_sids, sid_types) = load(&mut names, &types);
    assert_eq!(type_sids, [1, 2]);
    assert_eq!(sid_types, [None, Some(TypeId(0)), Some(TypeId(1))]);
}

#[test]
fn a_reload_keeps_sids_and_forgets_removed_names() {
    let mut names = Names::default();
    load(&mut names, &Types(vec![b"a".to_vec(), b"b".to_vec()]));
    let (type_sids, sid_types) = load(&mut names, &Types(vec![b"c".to_vec(), b"a".to_vec()]));
    // a keeps SID 1, b (SID 2) is gone, c is new: SID 3.
    assert_eq!(type_sids, [3, 1]);
    assert_eq!(sid_types, [None, Some(TypeId(1)), None, Some(TypeId(0))]);
    let map = SidMap::new(&type_sids, &sid_types);
    assert_eq!(map.known_type(2), None);
    assert_eq!(map.sid_of(TypeId(5)), 0);
}

fn type_names() -> impl Strategy<Value = Vec<Vec<u8>>> {
    proptest::collection::btree_set(proptest::collection::vec(b'a'..b'f', 1..3), 0..12)
        .prop_map(|set| set.into_iter().collect())
}

proptest! {
    /// Against a model: a map from name to the SID it got first.
    #[test]
    fn sids_name_the_same_type_across_loads(
        policies in proptest::collection::vec(type_names(), 1..6),
    ) {
        let mut names = Names::default();
        let mut model: BTreeMap<Vec<u8>, Sid> = BTreeMap::new();
        for policy in policies {
            for name in &policy {
                let next = model.len() as Sid + 1;
                model.entry(name.clone()).or_insert(next);
            }
            let types = Types(policy.clone());
            let (type_sids, sid_types) = load(&mut names, &types);
            let map = SidMap::new(&type_sids, &sid_types);
            prop_assert_eq!(names.count(), model.len());
            for (name, sid) in &model {
                prop_assert_eq!(names.name(*sid as usize - 1), Some(name.as_slice()));
                let t = types.type_by_name(name);
                prop_assert_eq!(map.known_type(*sid), t);
                if let Some(t) = t {
                    prop_assert_eq!(map.sid_of(t), *sid);
                }
            }
            prop_assert_eq!(map.known_type(0), None);
        }
    }
}
