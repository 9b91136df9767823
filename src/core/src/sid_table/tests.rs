// SPDX-License-Identifier: GPL-2.0

extern crate std;

use std::{collections::BTreeMap, format, vec, vec::Vec};

use proptest::prelude::*;

use super::*;

/// Names as the kernel keeps them: slots, and room made by `reserve`
/// that `assign` uses up (so a missing `reserve` shows).
#[derive(Default, Debug, Clone, PartialEq)]
struct Names {
    slots: Vec<(Option<Vec<u8>>, u8)>,
    room_slots: usize,
    room_bytes: usize,
    fail_reserve: bool,
}

impl SidNames for Names {
    fn slots(&self) -> usize {
        self.slots.len()
    }
    fn name(&self, index: usize) -> Option<&[u8]> {
        self.slots.get(index)?.0.as_deref()
    }
    fn generation(&self, index: usize) -> u8 {
        self.slots.get(index).map_or(0, |s| s.1)
    }
    fn reserve(&mut self, slots: usize, bytes: usize) -> Result<(), OutOfMemory> {
        if self.fail_reserve {
            return Err(OutOfMemory);
        }
        self.room_slots = slots;
        self.room_bytes = bytes;
        Ok(())
    }
    fn assign(&mut self, index: usize, name: &[u8], generation: u8) -> bool {
        if self.room_bytes < name.len() {
            return false;
        }
        if index == self.slots.len() {
            if self.room_slots == 0 {
                return false;
            }
            self.room_slots -= 1;
            self.slots.push((None, 0));
        }
        self.room_bytes -= name.len();
        self.slots[index] = (Some(name.to_vec()), generation);
        true
    }
    fn release(&mut self, index: usize) {
        self.slots[index].0 = None;
    }
}

impl Names {
    fn live(&self) -> usize {
        self.slots.iter().filter(|s| s.0.is_some()).count()
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

/// Sorted names, looked up by binary search (for the large policies).
struct BigTypes(Vec<Vec<u8>>);

impl PolicyTypes for BigTypes {
    fn type_count(&self) -> u32 {
        self.0.len() as u32
    }
    fn type_by_name(&self, name: &[u8]) -> Option<TypeId> {
        self.0
            .binary_search_by(|n| n.as_slice().cmp(name))
            .ok()
            .map(|i| TypeId(i as u32))
    }
    fn type_name(&self, t: TypeId) -> &[u8] {
        &self.0[t.0 as usize]
    }
}

/// Loads `types` into the table as the kernel does (plan, reserve,
/// commit) and returns the mapping.
fn load(names: &mut Names, types: &impl PolicyTypes) -> (Vec<Sid>, Vec<Option<TypeId>>) {
    let (nt, ns) = map_sizes(names, types);
    let (mut type_sids, mut sid_types) = (vec![7; nt], vec![Some(TypeId(9)); ns]);
    let plan = plan(types, names, &mut type_sids, &mut sid_types).unwrap();
    names.reserve(plan.new_slots, plan.new_bytes).unwrap();
    commit(types, names, &mut type_sids, &mut sid_types);
    (type_sids, sid_types)
}

fn types(prefix: &str, n: usize) -> Types {
    Types(
        (0..n)
            .map(|i| format!("{prefix}{i}").into_bytes())
            .collect(),
    )
}

#[test]
fn first_load_numbers_types_in_order() {
    let mut names = Names::default();
    let types = Types(vec![b"kernel".to_vec(), b"file".to_vec()]);
    let (type_sids, sid_types) = load(&mut names, &types);
    assert_eq!(type_sids, [1, 2]);
    assert_eq!(sid_types[..3], [None, Some(TypeId(0)), Some(TypeId(1))]);
}

#[test]
fn a_reload_keeps_sids_and_forgets_removed_names() {
    let mut names = Names::default();
    load(&mut names, &Types(vec![b"a".to_vec(), b"b".to_vec()]));
    let (type_sids, sid_types) = load(&mut names, &Types(vec![b"c".to_vec(), b"a".to_vec()]));
    // a keeps SID 1, b (SID 2) is gone, c is new: SID 3.
    assert_eq!(type_sids, [3, 1]);
    assert_eq!(
        sid_types[..4],
        [None, Some(TypeId(1)), None, Some(TypeId(0))]
    );
    let map = SidMap::new(&type_sids, &sid_types);
    assert_eq!(map.known_type(2), None);
    assert_eq!(map.sid_of(TypeId(5)), 0);
}

/// A load that fails after planning (the room for the new names cannot be
/// made) leaves every name and generation as it was.
#[test]
fn a_failed_load_leaves_the_table_unchanged() {
    let mut names = Names::default();
    load(&mut names, &types("a", 10));
    let before = names.clone();
    names.fail_reserve = true;
    let t = types("b", 10);
    let (nt, ns) = map_sizes(&names, &t);
    let (mut type_sids, mut sid_types) = (vec![0; nt], vec![None; ns]);
    let plan = plan(&t, &names, &mut type_sids, &mut sid_types).unwrap();
    assert_eq!(plan.new_names, 10);
    assert!(names.reserve(plan.new_slots, plan.new_bytes).is_err());
    names.fail_reserve = false;
    assert_eq!(names, before);
}

/// Names no policy uses are reclaimed once they outnumber the used ones;
/// a SID of a reclaimed name never comes to mean the name its slot gets
/// next, under any later policy, even one bringing the old name back.
#[test]
fn a_reclaimed_sid_never_names_another_type() {
    let mut names = Names::default();
    let a = types("a", RECLAIM_SLACK + 100);
    let (a_sids, _) = load(&mut names, &a);
    // Few names: the 1124 unused ones outnumber them and the slack, so
    // they are reclaimed first and b takes 10 of their slots.
    let (b_sids, _) = load(&mut names, &types("b", 10));
    assert_eq!(names.live(), 10);
    assert_eq!(names.slots(), a_sids.len());
    // c reuses the freed slots, at generation 1.
    let c = types("c", 50);
    let (c_sids, c_types) = load(&mut names, &c);
    let c_map = SidMap::new(&c_sids, &c_types);
    for (i, sid) in c_sids.iter().enumerate() {
        assert_eq!(*sid >> SLOT_BITS, 1, "c{i} did not reuse a slot");
    }
    for sid in a_sids.iter().chain(&b_sids) {
        assert_eq!(
            c_map.known_type(*sid),
            None,
            "stale SID {sid:#x} kept a meaning"
        );
    }
    // a comes back: new SIDs (60 of them in new slots, b and c holding
    // 60 of the freed ones); the old ones still mean nothing.
    let (a2_sids, a2_types) = load(&mut names, &a);
    let a2_map = SidMap::new(&a2_sids, &a2_types);
    for (old, new) in a_sids.iter().zip(&a2_sids) {
        assert_ne!(old, new);
        assert_eq!(a2_map.known_type(*old), None);
    }
    assert_eq!(names.slots(), a_sids.len() + 60);
}

/// A slot at the last generation is never reused.
#[test]
fn retired_slots_stay_free() {
    let mut names = Names::default();
    names.slots.push((None, LAST_GENERATION));
    names.slots.push((None, 3));
    let (sids, _) = load(&mut names, &types("x", 2));
    assert_eq!(sids, [sid_of_slot(1, 4), sid_of_slot(2, 0)]);
    assert_eq!(names.slots[0], (None, LAST_GENERATION));
}

/// 200,000-type policies with disjoint names, loaded in turn: the table
/// stays within two policies' worth of names (the kernel's kmalloc-backed
/// table hit its allocation limit past about 131k names), and every load
/// maps each of its types to a SID that maps back.
#[test]
fn two_hundred_thousand_types_stay_bounded() {
    const N: usize = 200_000;
    let policy = |prefix: &str| {
        let mut v: Vec<Vec<u8>> = (0..N)
            .map(|i| format!("{prefix}{i:06}").into_bytes())
            .collect();
        v.sort();
        BigTypes(v)
    };
    let (a, b, c) = (policy("a"), policy("b"), policy("c"));
    let mut names = Names::default();
    for (round, t) in [&a, &b, &c, &a, &b, &c].into_iter().enumerate() {
        let (type_sids, sid_types) = load(&mut names, t);
        let map = SidMap::new(&type_sids, &sid_types);
        for (i, sid) in type_sids.iter().enumerate() {
            assert_eq!(
                map.known_type(*sid),
                Some(TypeId(i as u32)),
                "round {round}"
            );
        }
        assert!(
            names.slots() <= 2 * N,
            "round {round}: {} slots",
            names.slots()
        );
        assert!(names.live() <= 2 * N);
    }
}

#[test]
fn too_many_names_is_refused_before_any_change() {
    let mut names = Names::default();
    names.slots.resize(MAX_SLOTS, (Some(b"z".to_vec()), 0));
    let t = types("n", 1);
    let (nt, ns) = map_sizes(&names, &t);
    let (mut type_sids, mut sid_types) = (vec![0; nt], vec![None; ns]);
    assert_eq!(
        plan(&t, &names, &mut type_sids, &mut sid_types),
        Err(SidError::TooManyNames)
    );
}

fn type_names() -> impl Strategy<Value = Vec<Vec<u8>>> {
    proptest::collection::btree_set(proptest::collection::vec(b'a'..b'f', 1..3), 0..12)
        .prop_map(|set| set.into_iter().collect())
}

proptest! {
    /// Hints (right, wrong or out of range) never change the plan.
    #[test]
    fn hints_do_not_change_the_plan(
        old in type_names(),
        new in type_names(),
        hints in proptest::collection::vec(proptest::option::of(0u32..16), 0..16),
    ) {
        let mut names = Names::default();
        load(&mut names, &Types(old));
        let types = Types(new);
        let (nt, ns) = map_sizes(&names, &types);
        let (mut a_types, mut a_sids) = (vec![0; nt], vec![None; ns]);
        let (mut b_types, mut b_sids) = (vec![0; nt], vec![None; ns]);
        let a = plan(&types, &names, &mut a_types, &mut a_sids).unwrap();
        let hint = |i: usize| hints.get(i).copied().flatten().map(TypeId);
        let b = plan_with_hints(&types, &names, &mut b_types, &mut b_sids, hint).unwrap();
        prop_assert_eq!((a.new_names, a.new_bytes, a.new_slots), (b.new_names, b.new_bytes, b.new_slots));
        prop_assert_eq!(a_types, b_types);
        prop_assert_eq!(a_sids, b_sids);
    }

    /// Against a model: a map from name to the SID it got first (no
    /// reclaim below the slack).
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
            prop_assert_eq!(names.slots(), model.len());
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
