// SPDX-License-Identifier: GPL-2.0

//! Access vector cache benchmarks: prints figures and ratios (not a timed
//! test). Run with `scripts/bench-avc.sh` (or `cargo bench -p carapace-core
//! --bench avc`).
//!
//! Every figure is the best of `ROUNDS` runs (the machines are shared, and
//! the best run is the one least disturbed). Baselines, same keys and values:
//! `std::sync::RwLock<std::collections::HashMap>` (default hasher) and
//! `dashmap::DashMap` (a sharded concurrent map).

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Barrier, RwLock};
use std::time::{Duration, Instant};

use carapace_core::avc::{
    AccessVectorCache, AvcDecision, AvcKey, AvcSlot, AvcStats, InsertOutcome, NoStats, StripedStats,
};
use dashmap::DashMap;

/// Slots lent to the cache (512 buckets of 4 ways).
const CAPACITY: usize = 2048;
/// Distinct keys in the hot set (a busy hook's working set).
const HOT: usize = 64;
/// Operations per timed run, per thread.
const OPS: usize = 4_000_000;
const ROUNDS: usize = 5;

fn key(i: usize) -> AvcKey {
    // Small SIDs and classes, as a real policy hands out.
    let i = u32::try_from(i).unwrap();
    AvcKey::new(1 + i % 64, 1 + i / 64, 1 + (i % 7) as u16)
}

/// The `i`th hot key (`i < 64`), cheap to compute in a dependent chain.
#[inline(always)]
fn hot_key(i: usize) -> AvcKey {
    let i = i as u32;
    AvcKey::new(1 + (i & 7), 1 + ((i >> 3) & 7), 1 + (i & 3) as u16)
}

fn decision(k: &AvcKey, seqno: u32) -> AvcDecision {
    AvcDecision {
        allowed: k.ssid ^ k.tsid,
        auditallow: 0,
        auditdeny: !0,
        seqno,
        flags: 0,
    }
}

/// A fixed pseudo-random sequence of indices below `n` (xorshift).
fn sequence(n: usize, len: usize, seed: u64) -> Vec<usize> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        })
        .collect()
}

/// Anything that answers lookups for the benchmark.
trait Map: Sync {
    fn name(&self) -> &'static str;
    fn get(&self, k: &AvcKey) -> Option<AvcDecision>;
    fn put(&self, k: &AvcKey, d: &AvcDecision);
}

impl<S: AvcStats + Sync> Map for AccessVectorCache<'_, S> {
    fn name(&self) -> &'static str {
        "avc"
    }
    #[inline]
    fn get(&self, k: &AvcKey) -> Option<AvcDecision> {
        self.lookup(k)
    }
    #[inline]
    fn put(&self, k: &AvcKey, d: &AvcDecision) {
        let _ = self.insert(k, d);
    }
}

struct RwMap(RwLock<HashMap<AvcKey, AvcDecision>>);

impl Map for RwMap {
    fn name(&self) -> &'static str {
        "RwLock<HashMap>"
    }
    #[inline]
    fn get(&self, k: &AvcKey) -> Option<AvcDecision> {
        self.0.read().unwrap().get(k).copied()
    }
    #[inline]
    fn put(&self, k: &AvcKey, d: &AvcDecision) {
        self.0.write().unwrap().insert(*k, *d);
    }
}

struct Dash(DashMap<AvcKey, AvcDecision>);

impl Map for Dash {
    fn name(&self) -> &'static str {
        "DashMap"
    }
    #[inline]
    fn get(&self, k: &AvcKey) -> Option<AvcDecision> {
        self.0.get(k).map(|r| *r)
    }
    #[inline]
    fn put(&self, k: &AvcKey, d: &AvcDecision) {
        self.0.insert(*k, *d);
    }
}

fn best<F: FnMut() -> Duration>(mut f: F) -> Duration {
    (0..ROUNDS).map(|_| f()).min().unwrap()
}

fn ns_per_op(d: Duration, ops: usize) -> f64 {
    d.as_secs_f64() * 1e9 / ops as f64
}

/// Independent hits over the hot set (throughput per op, one thread).
fn hit_throughput_1t<M: Map + ?Sized>(m: &M, keys: &[AvcKey], seq: &[usize]) -> f64 {
    let d = best(|| {
        let t = Instant::now();
        let mut acc = 0u32;
        for i in 0..OPS {
            let k = &keys[seq[i % seq.len()]];
            acc ^= m.get(black_box(k)).map_or(0, |d| d.allowed);
        }
        black_box(acc);
        t.elapsed()
    });
    ns_per_op(d, OPS)
}

/// Dependent hits: the next key is computed from the previous answer, so
/// lookups cannot overlap (latency rather than throughput). The hot keys are
/// `hot_key(i)`, computed in registers (no table load in the chain).
fn hit_latency_1t<M: Map + ?Sized>(m: &M) -> f64 {
    let d = best(|| {
        let t = Instant::now();
        let mut j = 0usize;
        for _ in 0..OPS {
            let k = hot_key(j % HOT);
            let a = m.get(&k).map_or(1, |d| d.allowed);
            // `a >> 31` is 0 for these keys, but the compiler cannot know.
            j = j.wrapping_add(7 + (a >> 31) as usize);
        }
        black_box(j);
        t.elapsed()
    });
    ns_per_op(d, OPS)
}

/// Two threads hitting the same hot keys; returns (ns per op per thread,
/// total million ops per second).
fn hit_throughput_2t<M: Map + ?Sized>(m: &M, keys: &[AvcKey], seq: &[usize]) -> (f64, f64) {
    let d = best(|| {
        let barrier = Barrier::new(2);
        let times: Vec<Duration> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..2)
                .map(|tid| {
                    let barrier = &barrier;
                    s.spawn(move || {
                        barrier.wait();
                        let t = Instant::now();
                        let mut acc = 0u32;
                        for i in 0..OPS {
                            let k = &keys[seq[(i + tid * 17) % seq.len()]];
                            acc ^= m.get(black_box(k)).map_or(0, |d| d.allowed);
                        }
                        black_box(acc);
                        t.elapsed()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        times.into_iter().max().unwrap()
    });
    (ns_per_op(d, OPS), 2.0 * OPS as f64 / d.as_secs_f64() / 1e6)
}

/// Uniform random accesses over `ws` keys, inserting on a miss; returns
/// (hit rate in percent, ns per access).
fn working_set<M: Map + ?Sized>(m: &M, ws: usize) -> (f64, f64) {
    let keys: Vec<AvcKey> = (0..ws).map(key).collect();
    let seq = sequence(ws, 1 << 16, 0x1234_5678 ^ ws as u64);
    let access = |hits: &mut usize, i: usize| {
        let k = &keys[seq[i % seq.len()]];
        if m.get(black_box(k)).is_some() {
            *hits += 1;
        } else {
            m.put(k, &decision(k, 1));
        }
    };
    let mut warm = 0;
    for i in 0..ws.max(seq.len()) {
        access(&mut warm, i);
    }
    let ops = OPS / 2;
    let mut hits = 0usize;
    let d = best(|| {
        hits = 0;
        let t = Instant::now();
        for i in 0..ops {
            access(&mut hits, i);
        }
        t.elapsed()
    });
    (100.0 * hits as f64 / ops as f64, ns_per_op(d, ops))
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let hot: Vec<AvcKey> = (0..HOT).map(hot_key).collect();
    let seq = sequence(HOT, 4096, 0xdead_beef);

    let slots: Vec<AvcSlot> = (0..CAPACITY).map(|_| AvcSlot::new()).collect();
    let slots2: Vec<AvcSlot> = (0..CAPACITY).map(|_| AvcSlot::new()).collect();
    let striped: StripedStats<16> = StripedStats::new();
    let avc = AccessVectorCache::new(&slots, 1, NoStats);
    let avc_st = AccessVectorCache::new(&slots2, 1, &striped);
    let rw = RwMap(RwLock::new(HashMap::new()));
    let dash = Dash(DashMap::new());
    let maps: [&dyn Map; 4] = [&avc, &avc_st, &rw, &dash];
    for m in maps {
        for k in &hot {
            m.put(k, &decision(k, 1));
        }
        for k in &hot {
            assert_eq!(
                m.get(k),
                Some(decision(k, 1)),
                "{} lost a hot key",
                m.name()
            );
        }
    }

    println!(
        "AVC benchmark: {CAPACITY} slots ({} buckets x {} ways), {HOT} hot keys, {OPS} ops/run, best of {ROUNDS}",
        avc.buckets(),
        carapace_core::avc::WAYS
    );
    println!();
    println!("== hits (ns/op; lower is better) ==");
    println!(
        "{:<20} {:>12} {:>12} {:>14} {:>14}",
        "map", "1t thruput", "1t latency", "2t ns/op/thr", "2t total Mops/s"
    );
    fn row<M: Map>(label: &str, m: &M, hot: &[AvcKey], seq: &[usize]) -> ((f64, f64), f64) {
        let t = hit_throughput_1t(m, hot, seq);
        let l = hit_latency_1t(m);
        let (ns2, mops) = hit_throughput_2t(m, hot, seq);
        println!("{label:<20} {t:>10.2}ns {l:>10.2}ns {ns2:>12.2}ns {mops:>14.1}");
        ((t, l), mops)
    }
    let rows = [
        row("avc", &avc, &hot, &seq),
        row("avc+striped stats", &avc_st, &hot, &seq),
        row("RwLock<HashMap>", &rw, &hot, &seq),
        row("DashMap", &dash, &hot, &seq),
    ];
    print_ratios(&rows);
    bench_miss_insert([&rw as &dyn Map, &dash]);
    bench_working_set();
    bench_reload();
}

/// The hit figures of avc against the baselines, and the goals.
fn print_ratios(rows: &[((f64, f64), f64); 4]) {
    let h1: Vec<(f64, f64)> = rows.iter().map(|r| r.0).collect();
    let h2: Vec<f64> = rows.iter().map(|r| r.1).collect();
    println!();
    println!("== ratios (avc vs baseline; >1 means avc is better) ==");
    for (b, name) in [(2usize, "RwLock<HashMap>"), (3, "DashMap")] {
        println!(
            "avc vs {name:<16} 1-thread hit latency x{:.1}, throughput x{:.1}; 2-thread hit throughput x{:.1} (avc+striped stats x{:.1})",
            h1[b].1 / h1[0].1,
            h1[b].0 / h1[0].0,
            h2[0] / h2[b],
            h2[1] / h2[b],
        );
    }
    println!(
        "goals: hit <= 10 ns: {} ({:.2} ns latency, {:.2} ns throughput); >= 5x RwLock<HashMap> 2-thread hit throughput: {} (x{:.1})",
        if h1[0].1 <= 10.0 { "met" } else { "NOT met" },
        h1[0].1,
        h1[0].0,
        if h2[0] / h2[2] >= 5.0 { "met" } else { "NOT met" },
        h2[0] / h2[2]
    );
}

/// Misses followed by inserts of new keys: the avc, then the `baselines`
/// (the RwLock and DashMap maps; fresh ones each round).
fn bench_miss_insert(baselines: [&dyn Map; 2]) {
    println!();
    println!("== miss + insert of new keys (ns/op; avc evicts, the maps grow) ==");
    let fresh: Vec<AvcKey> = (0..20_000).map(|i| key(100_000 + i)).collect();
    let mi_slots: Vec<AvcSlot> = (0..CAPACITY).map(|_| AvcSlot::new()).collect();
    let mut mi = Vec::new();
    {
        let c = AccessVectorCache::new(&mi_slots, 1, NoStats);
        let d = best(|| {
            c.flush();
            let t = Instant::now();
            for k in &fresh {
                if c.lookup(black_box(k)).is_none() {
                    black_box(c.insert(k, &decision(k, 1)));
                }
            }
            t.elapsed()
        });
        let ns = ns_per_op(d, fresh.len());
        println!("{:<20} {:>10.2}ns", "avc", ns);
        mi.push(ns);
    }
    for m in baselines {
        // Fresh maps each round so every key is new.
        let d = best(|| {
            let m2: Box<dyn Map> = if m.name() == "DashMap" {
                Box::new(Dash(DashMap::new()))
            } else {
                Box::new(RwMap(RwLock::new(HashMap::new())))
            };
            let t = Instant::now();
            for k in &fresh {
                if m2.get(black_box(k)).is_none() {
                    m2.put(k, &decision(k, 1));
                }
            }
            t.elapsed()
        });
        let ns = ns_per_op(d, fresh.len());
        println!("{:<20} {:>10.2}ns", m.name(), ns);
        mi.push(ns);
    }
}

/// Hit rate and cost per access as the working set grows past capacity.
fn bench_working_set() {
    println!();
    println!("== working set vs capacity ({CAPACITY} slots), uniform random, insert on miss ==");
    println!("{:<10} {:>8} {:>10}", "ws", "hit %", "ns/access");
    for (num, den) in [(1usize, 2usize), (1, 1), (4, 1)] {
        let ws = CAPACITY * num / den;
        let s: Vec<AvcSlot> = (0..CAPACITY).map(|_| AvcSlot::new()).collect();
        let c = AccessVectorCache::new(&s, 1, NoStats);
        let (rate, ns) = working_set(&c, ws);
        let hs = c.hash_stats();
        println!(
            "{:<10} {:>7.1}% {:>8.2}ns   ({}x capacity; entries {}, buckets used {}/{})",
            ws,
            rate,
            ns,
            if den == 2 {
                "0.5".to_string()
            } else {
                num.to_string()
            },
            hs.entries,
            hs.buckets_used,
            hs.buckets_total
        );
    }
    {
        let ws = CAPACITY * 4;
        let m = RwMap(RwLock::new(HashMap::new()));
        let (rate, ns) = working_set(&m, ws);
        println!("{ws:<10} {rate:>7.1}% {ns:>8.2}ns   (RwLock<HashMap>, unbounded, for reference)");
    }
}

/// Cost of a policy reload's reset of a full cache.
fn bench_reload() {
    println!();
    println!("== policy reload ==");
    let r_slots: Vec<AvcSlot> = (0..CAPACITY).map(|_| AvcSlot::new()).collect();
    let c = AccessVectorCache::new(&r_slots, 1, NoStats);
    let mut seqno = 1;
    let d = best(|| {
        for i in 0..CAPACITY {
            let k = key(i);
            let _: InsertOutcome = c.insert(&k, &decision(&k, seqno));
        }
        seqno += 1;
        let t = Instant::now();
        black_box(c.reset(seqno));
        t.elapsed()
    });
    println!(
        "reset (new seqno + sweep of {CAPACITY} full slots): {:.1} us",
        d.as_secs_f64() * 1e6
    );
}
