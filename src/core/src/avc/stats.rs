// SPDX-License-Identifier: GPL-2.0

//! Statistics sinks for the access vector cache.
//!
//! The cache reports events to a sink supplied by its owner instead of
//! keeping counters itself: a counter shared by all CPUs would be a write to a
//! shared cache line on every hit, which is exactly what the hit path must
//! not do. In the kernel the sink increments per-CPU counters
//! (`this_cpu_inc()`), summed only when `avc/cache_stats` is read; on the host
//! [`StripedStats`] approximates that, [`AtomicStats`] is a simple shared
//! counter set for tests, and [`NoStats`] compiles to nothing.

use core::fmt;

use super::atomic::{AtomicU64, Ordering};

/// An access vector cache event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AvcEvent {
    /// A lookup found a valid entry.
    Hit,
    /// A lookup found no valid entry.
    Miss,
    /// A decision was written into a slot (SELinux's `allocations`).
    Insert,
    /// A valid entry for another key was evicted to make room.
    Reclaim,
    /// Valid entries were dropped by a reset or flush.
    Free,
}

/// Receiver of access vector cache events.
///
/// A sink implements [`AvcStats::count`]; the cache calls the named
/// methods, which forward to it. `count` is called on the lookup path
/// (`hit`, `miss`): an implementation must not take a lock, sleep or write
/// to a cache line that other CPUs write (use per-CPU or striped counters).
///
/// `lookups` is not reported separately: it is `hits + misses`.
pub trait AvcStats {
    /// `n` events of kind `event` happened.
    #[inline(always)]
    fn count(&self, event: AvcEvent, n: u64) {
        let _ = (event, n);
    }
    /// A lookup found a valid entry.
    #[inline(always)]
    fn hit(&self) {
        self.count(AvcEvent::Hit, 1);
    }
    /// A lookup found no valid entry.
    #[inline(always)]
    fn miss(&self) {
        self.count(AvcEvent::Miss, 1);
    }
    /// A decision was written into a slot.
    #[inline(always)]
    fn insert(&self) {
        self.count(AvcEvent::Insert, 1);
    }
    /// A valid entry for another key was evicted to make room.
    #[inline(always)]
    fn reclaim(&self) {
        self.count(AvcEvent::Reclaim, 1);
    }
    /// `n` valid entries were dropped by a reset or flush.
    #[inline(always)]
    fn free(&self, n: u64) {
        self.count(AvcEvent::Free, n);
    }
}

impl<T: AvcStats + ?Sized> AvcStats for &T {
    #[inline(always)]
    fn count(&self, event: AvcEvent, n: u64) {
        (**self).count(event, n);
    }
}

/// A sink that counts nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoStats;

impl AvcStats for NoStats {}

/// One set of cache statistics, in the shape of SELinux's `avc/cache_stats`.
///
/// [`fmt::Display`] prints one data row (`"lookups hits misses allocations
/// reclaims frees"` values, space separated, newline terminated); print
/// [`AvcCacheStats::HEADER`] first, as SELinux does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AvcCacheStats {
    /// Lookups (hits + misses).
    pub lookups: u64,
    /// Lookups that found a valid entry.
    pub hits: u64,
    /// Lookups that found nothing.
    pub misses: u64,
    /// Decisions written into the cache.
    pub allocations: u64,
    /// Valid entries evicted to make room for another key.
    pub reclaims: u64,
    /// Valid entries dropped by a reset or flush.
    pub frees: u64,
}

impl AvcCacheStats {
    /// Header line of `avc/cache_stats`.
    pub const HEADER: &'static str = "lookups hits misses allocations reclaims frees\n";

    /// Field-wise wrapping sum, to add up per-CPU rows.
    #[must_use]
    pub const fn add(self, o: Self) -> Self {
        Self {
            lookups: self.lookups.wrapping_add(o.lookups),
            hits: self.hits.wrapping_add(o.hits),
            misses: self.misses.wrapping_add(o.misses),
            allocations: self.allocations.wrapping_add(o.allocations),
            reclaims: self.reclaims.wrapping_add(o.reclaims),
            frees: self.frees.wrapping_add(o.frees),
        }
    }
}

impl fmt::Display for AvcCacheStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {} {} {} {} {}",
            self.lookups, self.hits, self.misses, self.allocations, self.reclaims, self.frees
        )
    }
}

/// One block of event counters: one CPU's or one stripe's.
///
/// [`AvcCounters::add`] is an atomic read-modify-write, for blocks that
/// several threads may update at once; [`AvcCounters::add_unshared`] is a
/// plain load and store, for a block only its own CPU writes (an update
/// from a task migrated in between may be lost, which statistics can
/// afford, and the hit path then has no locked instruction).
#[derive(Debug)]
pub struct AvcCounters {
    hits: AtomicU64,
    misses: AtomicU64,
    allocations: AtomicU64,
    reclaims: AtomicU64,
    frees: AtomicU64,
}

impl AvcCounters {
    /// Zeroed counters.
    #[cfg(not(loom))]
    pub const fn new() -> Self {
        Self {
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            allocations: AtomicU64::new(0),
            reclaims: AtomicU64::new(0),
            frees: AtomicU64::new(0),
        }
    }

    /// Zeroed counters (loom's atomics cannot be built in a `const fn`).
    #[cfg(loom)]
    pub fn new() -> Self {
        Self {
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            allocations: AtomicU64::new(0),
            reclaims: AtomicU64::new(0),
            frees: AtomicU64::new(0),
        }
    }

    #[inline(always)]
    fn counter(&self, event: AvcEvent) -> &AtomicU64 {
        match event {
            AvcEvent::Hit => &self.hits,
            AvcEvent::Miss => &self.misses,
            AvcEvent::Insert => &self.allocations,
            AvcEvent::Reclaim => &self.reclaims,
            AvcEvent::Free => &self.frees,
        }
    }

    /// Where the counter of `event` lies in the block, in bytes: for a
    /// CPU's own block reached by a per-CPU instruction rather than a
    /// reference.
    pub const fn offset_of(event: AvcEvent) -> usize {
        match event {
            AvcEvent::Hit => core::mem::offset_of!(Self, hits),
            AvcEvent::Miss => core::mem::offset_of!(Self, misses),
            AvcEvent::Insert => core::mem::offset_of!(Self, allocations),
            AvcEvent::Reclaim => core::mem::offset_of!(Self, reclaims),
            AvcEvent::Free => core::mem::offset_of!(Self, frees),
        }
    }

    /// Counts `n` events, atomically.
    #[inline(always)]
    pub fn add(&self, event: AvcEvent, n: u64) {
        self.counter(event).fetch_add(n, Ordering::Relaxed);
    }

    /// Counts `n` events in a block that only the calling CPU writes.
    #[inline(always)]
    pub fn add_unshared(&self, event: AvcEvent, n: u64) {
        let c = self.counter(event);
        c.store(c.load(Ordering::Relaxed).wrapping_add(n), Ordering::Relaxed);
    }

    /// The current values.
    pub fn snapshot(&self) -> AvcCacheStats {
        let hits = self.hits.load(Ordering::Relaxed);
        let misses = self.misses.load(Ordering::Relaxed);
        AvcCacheStats {
            lookups: hits.wrapping_add(misses),
            hits,
            misses,
            allocations: self.allocations.load(Ordering::Relaxed),
            reclaims: self.reclaims.load(Ordering::Relaxed),
            frees: self.frees.load(Ordering::Relaxed),
        }
    }
}

impl Default for AvcCounters {
    fn default() -> Self {
        Self::new()
    }
}

/// One shared counter block: simple and exact, for tests (every event
/// writes the same cache line).
#[derive(Debug, Default)]
pub struct AtomicStats(AvcCounters);

impl AtomicStats {
    /// Zeroed counters.
    #[cfg(not(loom))]
    pub const fn new() -> Self {
        Self(AvcCounters::new())
    }

    /// Zeroed counters.
    #[cfg(loom)]
    pub fn new() -> Self {
        Self(AvcCounters::new())
    }

    /// Current totals.
    pub fn snapshot(&self) -> AvcCacheStats {
        self.0.snapshot()
    }
}

impl AvcStats for AtomicStats {
    #[inline]
    fn count(&self, event: AvcEvent, n: u64) {
        self.0.add(event, n);
    }
}

/// One stripe of [`StripedStats`], alone on its cache line(s).
#[derive(Debug)]
#[repr(align(128))]
struct Stripe(AvcCounters);

/// Striped counters: a host stand-in for the kernel's per-CPU counters.
///
/// Each event increments the stripe picked from the address of the calling
/// thread's stack (threads' stacks are megabytes apart), so threads mostly
/// touch different cache lines; totals are summed on read. Two threads may
/// share a stripe (then they share a line, but counts stay exact).
#[derive(Debug)]
pub struct StripedStats<const N: usize> {
    stripes: [Stripe; N],
}

impl<const N: usize> StripedStats<N> {
    /// Zeroed counters.
    #[cfg(not(loom))]
    pub const fn new() -> Self {
        Self {
            stripes: [const { Stripe(AvcCounters::new()) }; N],
        }
    }

    /// Current totals over all stripes.
    pub fn snapshot(&self) -> AvcCacheStats {
        self.stripes
            .iter()
            .fold(AvcCacheStats::default(), |acc, s| acc.add(s.0.snapshot()))
    }

    #[inline(always)]
    fn mine(&self) -> Option<&AvcCounters> {
        let marker = 0u8;
        // The stack address identifies the thread; 64 KiB granularity keeps
        // one thread on one stripe across call depths.
        let addr = core::ptr::addr_of!(marker) as usize as u64;
        // Multiply-shift: the top bits of the product, scaled to 0..N.
        let h = (addr >> 16).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
        let n = u64::try_from(N).ok()?;
        let i = usize::try_from(h.checked_mul(n)? >> 32).ok()?;
        self.stripes.get(i).map(|s| &s.0)
    }
}

#[cfg(not(loom))]
impl<const N: usize> Default for StripedStats<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> AvcStats for StripedStats<N> {
    #[inline]
    fn count(&self, event: AvcEvent, n: u64) {
        if let Some(c) = self.mine() {
            c.add(event, n);
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn offset_of_is_where_each_counter_lies() {
        let block = AvcCounters::new();
        let base = core::ptr::from_ref(&block) as usize;
        for event in [
            AvcEvent::Hit,
            AvcEvent::Miss,
            AvcEvent::Insert,
            AvcEvent::Reclaim,
            AvcEvent::Free,
        ] {
            let at = core::ptr::from_ref(block.counter(event)) as usize;
            assert_eq!(at - base, AvcCounters::offset_of(event), "{event:?}");
        }
    }
}
