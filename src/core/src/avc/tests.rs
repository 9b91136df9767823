// SPDX-License-Identifier: GPL-2.0

//! Unit tests of the access vector cache (host only).

extern crate std;

use std::format;
use std::vec::Vec;

use super::*;

fn slots(n: usize) -> Vec<AvcSlot> {
    (0..n).map(|_| AvcSlot::new()).collect()
}

fn avd(allowed: u32, seqno: u32) -> AvcDecision {
    AvcDecision {
        allowed,
        auditallow: allowed.rotate_left(7),
        auditdeny: !allowed,
        seqno,
        flags: 0,
    }
}

#[test]
fn layout() {
    assert_eq!(core::mem::size_of::<AvcSlot>(), 32);
    assert_eq!(core::mem::align_of::<AvcSlot>(), 32);
}

#[test]
fn geometry() {
    for (len, buckets) in [
        (0, 0),
        (3, 0),
        (4, 1),
        (7, 1),
        (8, 2),
        (15, 2),
        (16, 4),
        (100, 16),
        (2048, 512),
    ] {
        let s = slots(len);
        let c = AccessVectorCache::new(&s, 0, NoStats);
        assert_eq!(c.buckets(), buckets, "len {len}");
        assert_eq!(c.capacity(), buckets * WAYS);
        for i in 0..1000u32 {
            let k = AvcKey::new(i, i.wrapping_mul(31), (i % 7) as u16);
            assert!(buckets == 0 || c.bucket_of(&k) < buckets);
        }
    }
}

#[test]
fn zero_capacity_never_panics() {
    let s = slots(3);
    let c = AccessVectorCache::new(&s, 1, NoStats);
    let k = AvcKey::new(1, 2, 3);
    assert_eq!(c.insert(&k, &avd(1, 1)), InsertOutcome::NoCapacity);
    assert_eq!(c.lookup(&k), None);
    assert_eq!(c.update_allow(&k, 1, c.epoch()), UpdateOutcome::NotFound);
    assert_eq!(c.reset(2), 0);
    assert_eq!(c.hash_stats(), AvcHashStats::default());
}

#[test]
fn insert_lookup_replace() {
    let s = slots(64);
    let st = AtomicStats::new();
    let c = AccessVectorCache::new(&s, 5, &st);
    let k = AvcKey::new(10, 20, 3);
    assert_eq!(c.lookup(&k), None);
    assert_eq!(c.insert(&k, &avd(0xf0, 5)), InsertOutcome::Inserted);
    assert_eq!(c.lookup(&k), Some(avd(0xf0, 5)));
    // Other keys with one field changed miss.
    assert_eq!(c.lookup(&AvcKey::new(11, 20, 3)), None);
    assert_eq!(c.lookup(&AvcKey::new(10, 21, 3)), None);
    assert_eq!(c.lookup(&AvcKey::new(10, 20, 4)), None);
    assert_eq!(c.lookup(&AvcKey::new(20, 10, 3)), None);
    assert_eq!(c.insert(&k, &avd(0x0f, 5)), InsertOutcome::Replaced);
    assert_eq!(c.lookup(&k), Some(avd(0x0f, 5)));
    assert_eq!(c.hash_stats().entries, 1);
    let snap = st.snapshot();
    assert_eq!(snap.hits, 2);
    assert_eq!(snap.misses, 5);
    assert_eq!(snap.lookups, 7);
    assert_eq!(snap.allocations, 2);
    assert_eq!(snap.reclaims, 0);
}

#[test]
fn peek_answers_as_lookup_and_counts_nothing() {
    let s = slots(64);
    let st = AtomicStats::new();
    let c = AccessVectorCache::new(&s, 5, &st);
    let k = AvcKey::new(10, 20, 3);
    assert_eq!(c.peek(&k), None);
    c.insert(&k, &avd(0xf0, 5));
    assert_eq!(c.peek(&k), Some(avd(0xf0, 5)));
    assert_eq!(c.peek(&AvcKey::new(10, 20, 4)), None);
    let snap = st.snapshot();
    assert_eq!((snap.lookups, snap.hits, snap.misses), (0, 0, 0));
    // A caller that answers from a peek counts its hit itself.
    c.stats().hit();
    assert_eq!(c.lookup(&k), c.peek(&k));
    assert_eq!(st.snapshot().hits, 2);
    // Stale after a reset, as a lookup.
    c.reset(6);
    assert_eq!(c.peek(&k), None);
}

#[test]
fn flags_and_all_bits_roundtrip() {
    let s = slots(16);
    let c = AccessVectorCache::new(&s, u32::MAX, NoStats);
    let k = AvcKey::new(u32::MAX, u32::MAX, u16::MAX);
    let d = AvcDecision {
        allowed: u32::MAX,
        auditallow: 0x8000_0001,
        auditdeny: u32::MAX,
        seqno: u32::MAX,
        flags: 0xff,
    };
    c.insert(&k, &d);
    assert_eq!(c.lookup(&k), Some(d));
    let k0 = AvcKey::new(0, 0, 0);
    let d0 = AvcDecision {
        seqno: u32::MAX,
        ..AvcDecision::default()
    };
    c.insert(&k0, &d0);
    assert_eq!(c.lookup(&k0), Some(d0));
}

#[test]
fn seqno_rules() {
    let s = slots(64);
    let c = AccessVectorCache::new(&s, 7, NoStats);
    let k = AvcKey::new(1, 2, 3);
    assert_eq!(c.insert(&k, &avd(1, 6)), InsertOutcome::Stale);
    assert_eq!(c.insert(&k, &avd(1, 8)), InsertOutcome::Ahead);
    assert_eq!(c.lookup(&k), None);
    assert_eq!(c.insert(&k, &avd(1, 7)), InsertOutcome::Inserted);
    assert_eq!(c.seqno(), 7);
    assert_eq!(c.reset(8), 1);
    assert_eq!(c.seqno(), 8);
    assert_eq!(c.lookup(&k), None);
    assert_eq!(c.insert(&k, &avd(1, 7)), InsertOutcome::Stale);
    // A reset to an older seqno does not go back, but still flushes.
    assert_eq!(c.insert(&k, &avd(2, 8)), InsertOutcome::Inserted);
    assert_eq!(c.reset(3), 1);
    assert_eq!(c.seqno(), 8);
    assert_eq!(c.lookup(&k), None);
    assert_eq!(c.hash_stats().entries, 0);
}

#[test]
fn flush_keeps_seqno() {
    let s = slots(64);
    let st = AtomicStats::new();
    let c = AccessVectorCache::new(&s, 3, &st);
    for i in 0..10 {
        c.insert(&AvcKey::new(i, i, 1), &avd(i, 3));
    }
    assert_eq!(c.hash_stats().entries, 10);
    assert_eq!(c.flush(), 10);
    assert_eq!(c.seqno(), 3);
    assert_eq!(st.snapshot().frees, 10);
    for i in 0..10 {
        assert_eq!(c.lookup(&AvcKey::new(i, i, 1)), None);
    }
    assert_eq!(c.hash_stats().entries, 0);
    c.insert(&AvcKey::new(1, 1, 1), &avd(9, 3));
    assert_eq!(c.lookup(&AvcKey::new(1, 1, 1)), Some(avd(9, 3)));
}

#[test]
fn many_flushes_never_resurrect() {
    // The flush generation is 7 bits; slots are emptied by every flush, so
    // wrapping it cannot bring an entry back.
    let s = slots(8);
    let c = AccessVectorCache::new(&s, 1, NoStats);
    let k = AvcKey::new(1, 2, 3);
    c.insert(&k, &avd(1, 1));
    for _ in 0..300 {
        c.flush();
        assert_eq!(c.lookup(&k), None);
    }
}

#[test]
fn update_allow_grants_once() {
    let s = slots(64);
    let c = AccessVectorCache::new(&s, 2, NoStats);
    let k = AvcKey::new(4, 5, 6);
    let d = AvcDecision {
        allowed: 0b0001,
        auditallow: 0,
        auditdeny: !0,
        seqno: 2,
        flags: AVD_FLAGS_PERMISSIVE,
    };
    assert_eq!(
        c.update_allow(&k, 0b0100, c.epoch()),
        UpdateOutcome::NotFound
    );
    let before = c.epoch();
    c.insert(&k, &d);
    assert_eq!(
        c.update_allow(&k, 0b0100, before ^ 1),
        UpdateOutcome::NotFound
    );
    assert_eq!(c.update_allow(&k, 0b0100, before), UpdateOutcome::Updated);
    let got = c.lookup(&k).unwrap();
    assert_eq!(got.allowed, 0b0101);
    assert_eq!(got.flags, AVD_FLAGS_PERMISSIVE);
    assert_eq!(got.auditdeny, !0);
    c.reset(3);
    assert_eq!(c.update_allow(&k, 0b0100, before), UpdateOutcome::NotFound);
    assert_eq!(
        c.update_allow(&k, 0b0100, c.epoch()),
        UpdateOutcome::NotFound
    );
}

#[test]
fn bucket_overflow_round_robin() {
    let s = slots(4 * WAYS);
    let st = AtomicStats::new();
    let c = AccessVectorCache::new(&s, 0, &st);
    // Find 2*WAYS keys that share a bucket.
    let target = c.bucket_of(&AvcKey::new(0, 0, 0));
    let keys: Vec<AvcKey> = (0u32..)
        .map(|i| AvcKey::new(i, 1, 2))
        .filter(|k| c.bucket_of(k) == target)
        .take(2 * WAYS)
        .collect();
    for (i, k) in keys.iter().enumerate() {
        let out = c.insert(k, &avd(i as u32, 0));
        if i < WAYS {
            assert_eq!(out, InsertOutcome::Inserted);
        } else {
            assert_eq!(out, InsertOutcome::Reclaimed);
        }
    }
    // Round robin: the last WAYS keys evicted the first WAYS.
    for (i, k) in keys.iter().enumerate() {
        let got = c.lookup(k);
        if i < WAYS {
            assert_eq!(got, None, "key {i}");
        } else {
            assert_eq!(got, Some(avd(i as u32, 0)), "key {i}");
        }
    }
    assert_eq!(st.snapshot().reclaims, WAYS as u64);
    let hs = c.hash_stats();
    assert_eq!(hs.entries, WAYS);
    assert_eq!(hs.buckets_used, 1);
    assert_eq!(hs.longest_chain, WAYS);
}

#[test]
fn capacity_limit() {
    let s = slots(4 * WAYS);
    let c = AccessVectorCache::new(&s, 3, NoStats);
    let target = c.bucket_of(&AvcKey::new(0, 0, 0));
    let keys: Vec<AvcKey> = (0u32..)
        .map(|i| AvcKey::new(i, 1, 2))
        .filter(|k| c.bucket_of(k) == target)
        .take(WAYS)
        .collect();
    let fill = |c: &AccessVectorCache<'_>| {
        for (i, k) in keys.iter().enumerate() {
            c.insert(k, &avd(i as u32, 3));
        }
        keys.iter().filter(|k| c.lookup(k).is_some()).count()
    };
    assert_eq!(fill(&c), WAYS);
    // Two ways per bucket: entries are dropped, then at most two per bucket.
    assert_eq!(c.set_capacity(2 * c.buckets() + 1), 2 * c.buckets());
    assert_eq!(c.capacity(), 2 * c.buckets());
    assert!(keys.iter().all(|k| c.lookup(k).is_none()));
    assert_eq!(fill(&c), 2);
    // A policy reset keeps the limit.
    c.reset(4);
    assert_eq!(c.capacity(), 2 * c.buckets());
    assert_eq!(c.seqno(), 4);
    // 0 disables the cache; more than the slots allow is all of them.
    assert_eq!(c.set_capacity(0), 0);
    assert_eq!(c.insert(&keys[0], &avd(1, 4)), InsertOutcome::NoCapacity);
    assert_eq!(c.lookup(&keys[0]), None);
    assert_eq!(c.set_capacity(usize::MAX), 4 * WAYS);
    assert_eq!(c.insert(&keys[0], &avd(1, 4)), InsertOutcome::Inserted);
    assert_eq!(c.lookup(&keys[0]), Some(avd(1, 4)));
}

#[test]
fn stale_slots_are_reused_before_eviction() {
    let s = slots(WAYS);
    let c = AccessVectorCache::new(&s, 0, NoStats);
    for i in 0..WAYS as u32 {
        c.insert(&AvcKey::new(i, 0, 0), &avd(i, 0));
    }
    c.reset(1);
    for i in 0..WAYS as u32 {
        assert_eq!(
            c.insert(&AvcKey::new(i + 100, 0, 0), &avd(i, 1)),
            InsertOutcome::Inserted
        );
    }
}

#[test]
fn reused_memory_is_emptied() {
    let s = slots(64);
    {
        let c = AccessVectorCache::new(&s, 1, NoStats);
        c.insert(&AvcKey::new(1, 1, 1), &avd(1, 1));
    }
    let c = AccessVectorCache::new(&s, 1, NoStats);
    assert_eq!(c.lookup(&AvcKey::new(1, 1, 1)), None);
    assert_eq!(c.hash_stats().entries, 0);
}

#[test]
fn hash_spreads_small_keys() {
    // 512 buckets, the working set of a small policy: 32 source types x 32
    // target types x 4 classes = 4096 keys, 8 per bucket on average.
    let s = slots(512 * WAYS);
    let c = AccessVectorCache::new(&s, 0, NoStats);
    let mut counts = std::vec![0u32; c.buckets()];
    for ssid in 1..=32u32 {
        for tsid in 1..=32u32 {
            for class in 1..=4u16 {
                counts[c.bucket_of(&AvcKey::new(ssid, tsid, class))] += 1;
            }
        }
    }
    let max = *counts.iter().max().unwrap();
    let empty = counts.iter().filter(|&&n| n == 0).count();
    // A uniform random hash gives max ~ 18, a handful of empty buckets.
    assert!(max <= 24, "max {max}");
    assert!(empty <= 8, "empty {empty}");
    // And the capacity-sized working set mostly fits without evictions.
    let mut fits = 0;
    let mut n = 0;
    for ssid in 1..=16u32 {
        for tsid in 1..=16u32 {
            for class in 1..=8u16 {
                let k = AvcKey::new(ssid, tsid, class);
                c.insert(&k, &avd(ssid ^ tsid, 0));
                n += 1;
            }
        }
    }
    for ssid in 1..=16u32 {
        for tsid in 1..=16u32 {
            for class in 1..=8u16 {
                if c.lookup(&AvcKey::new(ssid, tsid, class)).is_some() {
                    fits += 1;
                }
            }
        }
    }
    // 2048 keys into 2048 slots: a random 4-way table keeps ~80%.
    assert!(fits * 100 >= n * 75, "{fits}/{n}");
}

#[test]
fn formats() {
    let hs = AvcHashStats {
        entries: 5,
        buckets_used: 3,
        buckets_total: 512,
        longest_chain: 2,
    };
    assert_eq!(
        format!("{hs}"),
        "entries: 5\nbuckets used: 3/512\nlongest chain: 2\n"
    );
    let cs = AvcCacheStats {
        lookups: 10,
        hits: 7,
        misses: 3,
        allocations: 3,
        reclaims: 1,
        frees: 2,
    };
    assert_eq!(
        format!("{}{cs}", AvcCacheStats::HEADER),
        "lookups hits misses allocations reclaims frees\n10 7 3 3 1 2\n"
    );
    assert_eq!(cs.add(cs).hits, 14);
}

#[test]
fn striped_stats_count_across_threads() {
    static ST: StripedStats<8> = StripedStats::new();
    static SLOTS: [AvcSlot; 64] = [AvcSlot::EMPTY; 64];
    let c = AccessVectorCache::new(&SLOTS, 0, &ST);
    let k = AvcKey::new(1, 2, 3);
    c.insert(&k, &avd(1, 0));
    std::thread::scope(|sc| {
        for _ in 0..4 {
            sc.spawn(|| {
                for _ in 0..1000 {
                    assert_eq!(c.lookup(&k), Some(avd(1, 0)));
                    assert_eq!(c.lookup(&AvcKey::new(9, 9, 9)), None);
                }
            });
        }
    });
    let snap = ST.snapshot();
    assert_eq!(snap.hits, 4000);
    assert_eq!(snap.misses, 4000);
    assert_eq!(snap.allocations, 1);
}

#[test]
fn concurrent_smoke_no_torn_reads() {
    // Value words encode the key: a torn read would not decode.
    let s = slots(2 * WAYS);
    let c = AccessVectorCache::new(&s, 1, NoStats);
    let enc = |k: &AvcKey, seqno: u32| AvcDecision {
        allowed: k.ssid ^ 0x5555_5555,
        auditallow: k.tsid.wrapping_mul(3),
        auditdeny: u32::from(k.class) | (k.ssid << 16),
        seqno,
        flags: (k.ssid & 1) as u8,
    };
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|sc| {
        sc.spawn(|| {
            let mut i = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                i = i.wrapping_add(1);
                let k = AvcKey::new(i % 37, i % 11, (i % 5) as u16);
                let _ = c.insert(&k, &enc(&k, c.seqno()));
                if i % 1000 == 0 {
                    c.reset(c.seqno() + 1);
                }
                if i % 777 == 0 {
                    let _ = c.update_allow(&k, 0, c.epoch());
                }
            }
        });
        for _ in 0..200_000u32 {
            for j in 0..37u32 {
                let k = AvcKey::new(j, j % 11, (j % 5) as u16);
                if let Some(d) = c.lookup(&k) {
                    assert_eq!(d, enc(&k, d.seqno));
                }
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
}

/// A permissive check that read a denial, then lost the CPU while
/// `setenforce 1` flushed the cache and an enforcing check cached the
/// same denial again: its late grant must not widen the new entry.
#[test]
fn a_late_grant_does_not_widen_a_denial_cached_after_a_flush() {
    let s = slots(64);
    let c = AccessVectorCache::new(&s, 1, NoStats);
    let k = AvcKey::new(1, 2, 3);
    c.insert(&k, &avd(0, 1));
    let seen = c.epoch();
    assert_eq!(c.lookup(&k).unwrap().allowed, 0);
    c.flush();
    c.insert(&k, &avd(0, 1));
    assert_eq!(c.update_allow(&k, 0b1, seen), UpdateOutcome::NotFound);
    assert_eq!(
        c.lookup(&k).unwrap().allowed,
        0,
        "a stale grant widened a denial"
    );
}
