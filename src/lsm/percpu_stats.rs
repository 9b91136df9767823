// SPDX-License-Identifier: GPL-2.0

//! Access vector cache statistics, one cache line of counters per CPU.
//!
//! A CPU only writes its own line, so counting a cache hit does not make
//! CPUs contend. Counters are bumped with a plain load and store (not a
//! locked add): a task preempted between the two and migrated may lose an
//! increment, which is acceptable for statistics and keeps the hit path
//! cheap. `avc/cache_stats` sums the lines.

use core::sync::atomic::{AtomicU64, Ordering};

use kernel::bindings;

use crate::avc::{AvcCacheStats, AvcStats};

const NR_CPUS: usize = bindings::CONFIG_NR_CPUS as usize;

#[repr(align(64))]
struct CpuCounters {
    hits: AtomicU64,
    misses: AtomicU64,
    allocations: AtomicU64,
    reclaims: AtomicU64,
    frees: AtomicU64,
}

impl CpuCounters {
    const fn new() -> Self {
        Self {
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            allocations: AtomicU64::new(0),
            reclaims: AtomicU64::new(0),
            frees: AtomicU64::new(0),
        }
    }
}

/// Per-CPU access vector cache statistics.
pub(crate) struct PerCpuStats {
    cpus: [CpuCounters; NR_CPUS],
}

impl PerCpuStats {
    pub(crate) const fn new() -> Self {
        Self {
            cpus: [const { CpuCounters::new() }; NR_CPUS],
        }
    }

    fn local(&self) -> Option<&CpuCounters> {
        // SAFETY: reading the CPU number is always allowed; a stale value
        // after migration only picks another CPU's line.
        let cpu = unsafe { bindings::raw_smp_processor_id() };
        self.cpus.get(cpu as usize)
    }

    /// The sums over all CPUs.
    pub(crate) fn snapshot(&self) -> AvcCacheStats {
        let mut s = AvcCacheStats::default();
        for c in &self.cpus {
            let hits = c.hits.load(Ordering::Relaxed);
            let misses = c.misses.load(Ordering::Relaxed);
            s.lookups = s.lookups.wrapping_add(hits).wrapping_add(misses);
            s.hits = s.hits.wrapping_add(hits);
            s.misses = s.misses.wrapping_add(misses);
            s.allocations = s.allocations.wrapping_add(c.allocations.load(Ordering::Relaxed));
            s.reclaims = s.reclaims.wrapping_add(c.reclaims.load(Ordering::Relaxed));
            s.frees = s.frees.wrapping_add(c.frees.load(Ordering::Relaxed));
        }
        s
    }
}

fn bump(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Ordering::Relaxed).wrapping_add(n), Ordering::Relaxed);
}

impl AvcStats for PerCpuStats {
    #[inline(always)]
    fn hit(&self) {
        if let Some(c) = self.local() {
            bump(&c.hits, 1);
        }
    }
    #[inline(always)]
    fn miss(&self) {
        if let Some(c) = self.local() {
            bump(&c.misses, 1);
        }
    }
    #[inline(always)]
    fn insert(&self) {
        if let Some(c) = self.local() {
            bump(&c.allocations, 1);
        }
    }
    #[inline(always)]
    fn reclaim(&self) {
        if let Some(c) = self.local() {
            bump(&c.reclaims, 1);
        }
    }
    #[inline(always)]
    fn free(&self, n: u64) {
        if let Some(c) = self.local() {
            bump(&c.frees, n);
        }
    }
}
