// SPDX-License-Identifier: GPL-2.0

//! Property test: the access vector cache against a `HashMap` model.
//!
//! The model holds, per key, the last decision inserted at the current
//! seqno. Being a cache, the AVC may forget (evict) entries, but a lookup
//! must return either nothing or exactly the model's decision, never a wrong
//! or stale one. Where the design guarantees a hit (no more than `WAYS`
//! distinct keys reached the key's bucket since the last reset) the test
//! asserts the hit too.
#![cfg(not(loom))]

use std::collections::{HashMap, HashSet};

use carapace_core::avc::{
    AccessVectorCache, AtomicStats, AvcDecision, AvcKey, AvcSlot, InsertOutcome, UpdateOutcome,
    WAYS,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Insert {
        key: u8,
        allowed: u32,
        audit: u32,
        permissive: bool,
        dseq: i8,
    },
    Lookup {
        key: u8,
    },
    UpdateAllow {
        key: u8,
        perms: u32,
        dseq: i8,
    },
    Reset {
        bump: u8,
    },
    Flush,
}

/// A small key space (5 x 5 x 3 = 75 keys) so buckets collide often.
fn key(i: u8) -> AvcKey {
    let i = u32::from(i) % 75;
    AvcKey::new(i % 5, (i / 5) % 5, (i / 25) as u16)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<u8>(), any::<u32>(), any::<u32>(), any::<bool>(), prop_oneof![8 => Just(0i8), 1 => Just(-1i8), 1 => Just(1i8)])
            .prop_map(|(key, allowed, audit, permissive, dseq)| Op::Insert { key, allowed, audit, permissive, dseq }),
        6 => any::<u8>().prop_map(|key| Op::Lookup { key }),
        1 => (any::<u8>(), any::<u32>(), prop_oneof![4 => Just(0i8), 1 => Just(-1i8)])
            .prop_map(|(key, perms, dseq)| Op::UpdateAllow { key, perms, dseq }),
        1 => (0u8..3).prop_map(|bump| Op::Reset { bump }),
        1 => Just(Op::Flush),
    ]
}

fn run(nslots: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let slots: Vec<AvcSlot> = (0..nslots).map(|_| AvcSlot::new()).collect();
    let stats = AtomicStats::new();
    let cache = AccessVectorCache::new(&slots, 10, &stats);
    let mut seqno = 10u32;
    let mut model: HashMap<AvcKey, AvcDecision> = HashMap::new();
    // Distinct keys that reached each bucket since the last reset.
    let mut reached: HashMap<usize, HashSet<AvcKey>> = HashMap::new();
    let guaranteed = |reached: &HashMap<usize, HashSet<AvcKey>>, k: &AvcKey| {
        reached.get(&cache.bucket_of(k)).map_or(0, HashSet::len) <= WAYS
    };
    let mut lookups = 0u64;

    for op in ops {
        match *op {
            Op::Insert {
                key: ki,
                allowed,
                audit,
                permissive,
                dseq,
            } => {
                let k = key(ki);
                let d = AvcDecision {
                    allowed,
                    auditallow: audit,
                    auditdeny: !audit,
                    seqno: seqno.wrapping_add_signed(i32::from(dseq)),
                    flags: u8::from(permissive),
                };
                let out = cache.insert(&k, &d);
                match dseq {
                    0 => {
                        prop_assert!(
                            matches!(
                                out,
                                InsertOutcome::Inserted
                                    | InsertOutcome::Replaced
                                    | InsertOutcome::Reclaimed
                            ),
                            "{out:?}"
                        );
                        model.insert(k, d);
                        reached.entry(cache.bucket_of(&k)).or_default().insert(k);
                    }
                    d if d < 0 => prop_assert_eq!(out, InsertOutcome::Stale),
                    _ => prop_assert_eq!(out, InsertOutcome::Ahead),
                }
            }
            Op::Lookup { key: ki } => {
                let k = key(ki);
                let got = cache.lookup(&k);
                lookups += 1;
                match (got, model.get(&k)) {
                    (None, None) => {}
                    (Some(g), Some(m)) => prop_assert_eq!(&g, m),
                    (Some(g), None) => prop_assert!(false, "{k:?}: got {g:?}, expected nothing"),
                    (None, Some(m)) => prop_assert!(
                        !guaranteed(&reached, &k),
                        "{k:?}: miss, expected {m:?} (bucket not overflowed)"
                    ),
                }
            }
            Op::UpdateAllow {
                key: ki,
                perms,
                dseq,
            } => {
                let k = key(ki);
                // An epoch whose seqno is off by `dseq`.
                let seen = cache.epoch().wrapping_add((i64::from(dseq) as u64) << 32);
                let out = cache.update_allow(&k, perms, seen);
                match (out, model.get_mut(&k)) {
                    (UpdateOutcome::Updated, Some(m)) if dseq == 0 => m.allowed |= perms,
                    (UpdateOutcome::NotFound, None) => {}
                    (UpdateOutcome::NotFound, Some(_)) => {
                        prop_assert!(
                            dseq != 0 || !guaranteed(&reached, &k),
                            "{k:?}: update missed"
                        )
                    }
                    (o, m) => {
                        prop_assert!(false, "{k:?}: update {o:?} with model {m:?} dseq {dseq}")
                    }
                }
            }
            Op::Reset { bump } => {
                seqno += u32::from(bump);
                cache.reset(seqno);
                prop_assert_eq!(cache.seqno(), seqno);
                model.clear();
                reached.clear();
            }
            Op::Flush => {
                cache.flush();
                prop_assert_eq!(cache.seqno(), seqno);
                model.clear();
                reached.clear();
            }
        }
        let hs = cache.hash_stats();
        prop_assert!(hs.entries <= model.len());
        prop_assert!(hs.longest_chain <= WAYS);
        if reached.values().all(|s| s.len() <= WAYS) {
            prop_assert_eq!(hs.entries, model.len());
        }
    }
    // Every key the model holds is either cached with its value or absent.
    for (k, m) in &model {
        match cache.lookup(k) {
            Some(g) => prop_assert_eq!(&g, m),
            None => prop_assert!(!guaranteed(&reached, k)),
        }
        lookups += 1;
    }
    let st = stats.snapshot();
    prop_assert_eq!(st.lookups, lookups);
    prop_assert_eq!(st.hits + st.misses, st.lookups);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn avc_matches_model(nslots in prop_oneof![Just(4usize), Just(8), Just(13), Just(32), Just(256)],
                         ops in proptest::collection::vec(op(), 1..200)) {
        run(nslots, &ops)?;
    }
}

#[test]
fn avc_model_large_capacity_always_hits() {
    // The whole key space fits without overflowing a bucket: every lookup
    // must hit with the inserted value.
    let slots: Vec<AvcSlot> = (0..4096).map(|_| AvcSlot::new()).collect();
    let cache = AccessVectorCache::new(&slots, 1, carapace_core::avc::NoStats);
    for i in 0..75u8 {
        let d = AvcDecision {
            allowed: u32::from(i),
            seqno: 1,
            ..AvcDecision::default()
        };
        assert_ne!(cache.insert(&key(i), &d), InsertOutcome::Reclaimed);
    }
    for i in 0..75u8 {
        assert_eq!(cache.lookup(&key(i)).map(|d| d.allowed), Some(u32::from(i)));
    }
}
