// SPDX-License-Identifier: GPL-2.0

//! `loom` models of the access vector cache. Run with
//! `scripts/test-loom.sh` (builds with `--cfg loom`); without that cfg this
//! file is empty.
//!
//! Every decision in these models encodes its key and seqno, so a torn read
//! (key of one entry, value of another, or half of two writes) cannot decode.
#![cfg(loom)]

use carapace_core::avc::{
    AccessVectorCache, AvcDecision, AvcKey, AvcSlot, InsertOutcome, NoStats, UpdateOutcome, WAYS,
};
use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use loom::thread;

type Cache = AccessVectorCache<'static, NoStats>;

/// A one-bucket cache (every key collides), leaked so threads can share it.
fn cache(seqno: u32) -> &'static Cache {
    let slots: &'static [AvcSlot] = Box::leak((0..WAYS).map(|_| AvcSlot::new()).collect());
    Box::leak(Box::new(AccessVectorCache::new(slots, seqno, NoStats)))
}

fn enc(k: &AvcKey, seqno: u32, variant: u32) -> AvcDecision {
    AvcDecision {
        allowed: k.ssid.wrapping_mul(0x0101_0101) ^ variant,
        auditallow: k.tsid.wrapping_mul(0x0100_0001) ^ seqno,
        auditdeny: (u32::from(k.class) << 16) ^ k.ssid ^ variant,
        seqno,
        flags: (k.tsid & 1) as u8,
    }
}

/// `d` decodes as a decision for `k` at `seqno`, written by one writer.
fn check(k: &AvcKey, d: &AvcDecision, variants: &[u32]) {
    assert!(
        variants.iter().any(|&v| *d == enc(k, d.seqno, v)),
        "torn or foreign entry for {k:?}: {d:?}"
    );
}

/// A reader racing two writers of different keys in a full bucket (so the
/// writers evict valid entries) never sees a torn entry, and an insert that
/// reports success is not lost.
#[test]
fn no_torn_reads_and_no_lost_inserts() {
    loom::model(|| {
        let c = cache(1);
        let old: Vec<AvcKey> = (0..WAYS as u32)
            .map(|i| AvcKey::new(100 + i, 1, 1))
            .collect();
        for k in &old {
            assert_eq!(c.insert(k, &enc(k, 1, 0)), InsertOutcome::Inserted);
        }
        let k1 = AvcKey::new(1, 2, 3);
        let k2 = AvcKey::new(4, 5, 6);
        let w1 = thread::spawn(move || c.insert(&k1, &enc(&k1, 1, 0)));
        let w2 = thread::spawn(move || c.insert(&k2, &enc(&k2, 1, 0)));
        for k in [k1, k2, old[0], old[1]] {
            if let Some(d) = c.lookup(&k) {
                check(&k, &d, &[0]);
                assert_eq!(d.seqno, 1);
            }
        }
        let o1 = w1.join().unwrap();
        let o2 = w2.join().unwrap();
        for (k, o) in [(k1, o1), (k2, o2)] {
            match o {
                InsertOutcome::Reclaimed => assert_eq!(c.lookup(&k), Some(enc(&k, 1, 0))),
                InsertOutcome::Busy => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(o1 != InsertOutcome::Busy || o2 != InsertOutcome::Busy);
        for k in &old {
            if let Some(d) = c.lookup(k) {
                assert_eq!(d, enc(k, 1, 0));
            }
        }
    });
}

/// A writer of the same key and an update race: the entry is always one
/// writer's whole value, possibly with the update applied, and an update
/// that reports success is not lost unless a later insert replaced the entry.
#[test]
fn same_key_insert_and_update() {
    loom::model(|| {
        let c = cache(1);
        // ssid 8: allowed = 0x0808_0808 ^ variant, bits 0x10 and 0x100 clear.
        let k = AvcKey::new(8, 8, 9);
        c.insert(&k, &enc(&k, 1, 0));
        let epoch = c.epoch();
        let w = thread::spawn(move || c.insert(&k, &enc(&k, 1, 0x100)));
        let u = thread::spawn(move || c.update_allow(&k, 0x10, epoch));
        let strip = |d: AvcDecision| AvcDecision {
            allowed: d.allowed & !0x10,
            ..d
        };
        if let Some(d) = c.lookup(&k) {
            check(&k, &strip(d), &[0, 0x100]);
        }
        let wo = w.join().unwrap();
        let uo = u.join().unwrap();
        let after = c.lookup(&k).expect("entry present");
        check(&k, &strip(after), &[0, 0x100]);
        if strip(after) == enc(&k, 1, 0) {
            // The insert did not happen: the update alone decides the bit.
            assert_eq!(wo, InsertOutcome::Busy);
            assert_eq!(uo == UpdateOutcome::Updated, after.allowed & 0x10 != 0);
        } else {
            assert_eq!(wo, InsertOutcome::Replaced);
        }
        assert_ne!(uo, UpdateOutcome::NotFound);
    });
}

/// After `reset` returns, no lookup returns a decision from before it, even
/// with an insert of an old decision racing the reset.
#[test]
fn reset_hides_older_entries() {
    loom::model(|| {
        let c = cache(1);
        let k = AvcKey::new(1, 1, 1);
        let done: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
        c.insert(&k, &enc(&k, 1, 0));
        let r = thread::spawn(move || {
            c.reset(2);
            done.store(true, Ordering::Release);
        });
        // A decision computed under policy 1, inserted while the reset runs.
        let w = thread::spawn(move || {
            let _ = c.insert(&k, &enc(&k, 1, 1));
        });
        let finished = done.load(Ordering::Acquire);
        let got = c.lookup(&k);
        if let Some(d) = got {
            check(&k, &d, &[0, 1]);
            assert!(
                !finished,
                "pre-reset entry returned after reset completed: {d:?}"
            );
        }
        r.join().unwrap();
        w.join().unwrap();
        assert_eq!(c.seqno(), 2);
        assert_eq!(c.lookup(&k), None);
        assert_eq!(c.hash_stats().entries, 0);
    });
}

/// A flush (same seqno) racing an insert of the same key: after the flush
/// the pre-flush value is gone; the racing insert may or may not survive.
#[test]
fn flush_races_insert() {
    loom::model(|| {
        let c = cache(3);
        let k = AvcKey::new(2, 3, 4);
        c.insert(&k, &enc(&k, 3, 0));
        let f = thread::spawn(move || {
            c.flush();
            c.lookup(&k)
        });
        let _ = c.insert(&k, &enc(&k, 3, 1));
        let seen_after_flush = f.join().unwrap();
        if let Some(d) = seen_after_flush {
            assert_eq!(d, enc(&k, 3, 1));
        }
        if let Some(d) = c.lookup(&k) {
            assert_eq!(d, enc(&k, 3, 1));
        }
    });
}

/// A reload racing a reader: once the reader sees the new policy (the
/// pointer `reload` publishes), no lookup returns a decision of the old
/// one. With the policy published before the reset, the reader could be
/// served the old policy's cached decision.
#[test]
fn reload_serves_no_old_decision_once_the_new_policy_is_visible() {
    loom::model(|| {
        let c = cache(1);
        let k = AvcKey::new(1, 1, 1);
        let policy: &'static AtomicU32 = Box::leak(Box::new(AtomicU32::new(1)));
        c.insert(&k, &enc(&k, 1, 0));
        let w = thread::spawn(move || {
            c.reload(2, || policy.store(2, Ordering::Release));
        });
        if policy.load(Ordering::Acquire) == 2 {
            if let Some(d) = c.lookup(&k) {
                assert_eq!(d.seqno, 2, "old policy's decision served: {d:?}");
            }
        }
        w.join().unwrap();
    });
}
