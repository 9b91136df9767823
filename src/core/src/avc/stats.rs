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

/// Receiver of access vector cache events.
///
/// Every method has an empty default, so a sink implements only what it
/// counts. Methods are called on the lookup path (`hit`, `miss`): an
/// implementation must not take a lock, sleep or write to a cache line that
/// other CPUs write (use per-CPU or striped counters).
///
/// `lookups` is not reported separately: it is `hits + misses`.
pub trait AvcStats {
    /// A lookup found a valid entry.
    #[inline(always)]
    fn hit(&self) {}
    /// A lookup found no valid entry.
    #[inline(always)]
    fn miss(&self) {}
    /// A decision was written into a slot (SELinux's `allocations`).
    #[inline(always)]
    fn insert(&self) {}
    /// A valid entry for another key was evicted to make room.
    #[inline(always)]
    fn reclaim(&self) {}
    /// `n` valid entries were dropped by a reset or flush.
    #[inline(always)]
    fn free(&self, n: u64) {
        let _ = n;
    }
}

impl<T: AvcStats + ?Sized> AvcStats for &T {
    #[inline(always)]
    fn hit(&self) {
        (**self).hit();
    }
    #[inline(always)]
    fn miss(&self) {
        (**self).miss();
    }
    #[inline(always)]
    fn insert(&self) {
        (**self).insert();
    }
    #[inline(always)]
    fn reclaim(&self) {
        (**self).reclaim();
    }
    #[inline(always)]
    fn free(&self, n: u64) {
        (**self).free(n);
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

/// Plain counters used by [`AtomicStats`] and [`StripedStats`].
#[derive(Debug)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    allocations: AtomicU64,
    reclaims: AtomicU64,
    frees: AtomicU64,
}

impl Counters {
    #[cfg(not(loom))]
    const fn new() -> Self {
        Self {
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            allocations: AtomicU64::new(0),
            reclaims: AtomicU64::new(0),
            frees: AtomicU64::new(0),
        }
    }

    #[cfg(loom)]
    fn new() -> Self {
        Self {
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            allocations: AtomicU64::new(0),
            reclaims: AtomicU64::new(0),
            frees: AtomicU64::new(0),
        }
    }

    fn snapshot(&self) -> AvcCacheStats {
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

/// Shared atomic counters: exact, simple, but every hit writes one shared
/// cache line. For tests and single-threaded use; not for the kernel.
#[derive(Debug)]
pub struct AtomicStats(Counters);

impl AtomicStats {
    /// Zeroed counters.
    #[cfg(not(loom))]
    pub const fn new() -> Self {
        Self(Counters::new())
    }

    /// Zeroed counters.
    #[cfg(loom)]
    pub fn new() -> Self {
        Self(Counters::new())
    }

    /// Current totals.
    pub fn snapshot(&self) -> AvcCacheStats {
        self.0.snapshot()
    }
}

impl Default for AtomicStats {
    fn default() -> Self {
        Self::new()
    }
}

impl AvcStats for AtomicStats {
    #[inline]
    fn hit(&self) {
        self.0.hits.fetch_add(1, Ordering::Relaxed);
    }
    #[inline]
    fn miss(&self) {
        self.0.misses.fetch_add(1, Ordering::Relaxed);
    }
    #[inline]
    fn insert(&self) {
        self.0.allocations.fetch_add(1, Ordering::Relaxed);
    }
    #[inline]
    fn reclaim(&self) {
        self.0.reclaims.fetch_add(1, Ordering::Relaxed);
    }
    #[inline]
    fn free(&self, n: u64) {
        self.0.frees.fetch_add(n, Ordering::Relaxed);
    }
}

/// One stripe of [`StripedStats`], alone on its cache line(s).
#[derive(Debug)]
#[repr(align(128))]
struct Stripe(Counters);

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
        #[allow(clippy::declare_interior_mutable_const)]
        const Z: Stripe = Stripe(Counters::new());
        Self { stripes: [Z; N] }
    }

    /// Current totals over all stripes.
    pub fn snapshot(&self) -> AvcCacheStats {
        self.stripes
            .iter()
            .fold(AvcCacheStats::default(), |acc, s| acc.add(s.0.snapshot()))
    }

    #[inline(always)]
    fn mine(&self) -> Option<&Counters> {
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
    fn hit(&self) {
        if let Some(c) = self.mine() {
            c.hits.fetch_add(1, Ordering::Relaxed);
        }
    }
    #[inline]
    fn miss(&self) {
        if let Some(c) = self.mine() {
            c.misses.fetch_add(1, Ordering::Relaxed);
        }
    }
    #[inline]
    fn insert(&self) {
        if let Some(c) = self.mine() {
            c.allocations.fetch_add(1, Ordering::Relaxed);
        }
    }
    #[inline]
    fn reclaim(&self) {
        if let Some(c) = self.mine() {
            c.reclaims.fetch_add(1, Ordering::Relaxed);
        }
    }
    #[inline]
    fn free(&self, n: u64) {
        if let Some(c) = self.mine() {
            c.frees.fetch_add(n, Ordering::Relaxed);
        }
    }
}
