// SPDX-License-Identifier: GPL-2.0

//! Access vector cache (AVC): a fixed-size, lock-free-on-read cache of access
//! decisions keyed by (source SID, target SID, class).
//!
//! # Layout
//!
//! The cache works in memory lent by its owner: a slice of [`AvcSlot`]s
//! (32 bytes each, 32-byte aligned, so a slot never straddles a cache line).
//! The slice is split into buckets of [`WAYS`] consecutive slots; the number
//! of buckets is the largest power of two that fits (`len / WAYS`, rounded
//! down), and slots past the last bucket are unused. A key hashes
//! (multiply-shift on the packed key) to one bucket and may live in any of
//! its ways: a lookup reads at most `WAYS` slots, two cache lines.
//!
//! # Reading without locks
//!
//! Every slot carries a seqcount (`head`, low 32 bits; odd while a writer
//! owns the slot) next to the policy seqno of its entry (`head`, high 32
//! bits). All fields are atomics. A reader loads `head` (acquire), the key
//! and value words (relaxed), an acquire fence, and `head` again: if it
//! changed, or was odd, the slot is skipped. A reader never writes anything,
//! never waits and never sees the key of one decision with the value of
//! another.
//!
//! # Writing
//!
//! A writer claims a slot by a compare-and-swap of `head` from the even value
//! it read to the next odd value. If the CAS fails another CPU is writing the
//! slot: the insert is skipped (the caller has its decision anyway). An
//! insert that finds no entry for its key while some slot of the bucket is
//! being written is skipped too, so that two CPUs inserting the same key
//! cannot leave two entries for it. Work is bounded by `WAYS` slot reads and
//! one CAS: nothing spins.
//!
//! Slot choice on insert: an existing valid entry for the same key is
//! overwritten in place; else the first empty or stale slot of the bucket;
//! else a victim chosen round-robin per bucket. The round-robin position is
//! the sum of the bucket's per-slot write counters (each write advances it by
//! one), so it needs no extra state and no shared counter.
//!
//! # Policy reloads
//!
//! The cache holds an *epoch*: the current policy seqno and a 7-bit flush
//! generation, in one 64-bit atomic. Entries record the seqno and generation
//! they were inserted under, and a lookup returns an entry only if both equal
//! the current ones. [`AccessVectorCache::reset`] advances the epoch with one
//! atomic update, so every older entry is a miss from that instant; it then
//! sweeps the slots to empty them. The reset's guarantee does not depend on
//! the sweep; the sweep keeps `hash_stats` truthful and ensures no stale
//! entry survives until the 7-bit generation wraps. An insert whose seqno is older than the current one is
//! dropped (SELinux's `latest_notif` rule), and so is one newer than the
//! current one: the reset announcing that policy would discard it anyway.

pub(crate) mod atomic;
mod stats;
#[cfg(all(test, not(loom)))]
mod tests;

use core::fmt;

use atomic::{fence, AtomicU64, Ordering};

pub use stats::{
    AtomicStats, AvcCacheStats, AvcCounters, AvcEvent, AvcStats, NoStats, StripedStats,
};

/// Slots per bucket (the associativity of the cache).
pub const WAYS: usize = 4;

/// Decision flag: the source domain is permissive (denials are logged once,
/// then allowed; see [`AccessVectorCache::update_allow`]).
pub const AVD_FLAGS_PERMISSIVE: u8 = 1;

/// The question an entry answers: may `ssid` act on `tsid` of `class`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AvcKey {
    /// Source security identifier.
    pub ssid: u32,
    /// Target security identifier.
    pub tsid: u32,
    /// Target security class.
    pub class: u16,
}

impl AvcKey {
    /// A key from its parts.
    #[inline]
    pub const fn new(ssid: u32, tsid: u32, class: u16) -> Self {
        Self { ssid, tsid, class }
    }
}

/// A cached access decision (SELinux's `struct av_decision`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AvcDecision {
    /// Permissions granted.
    pub allowed: u32,
    /// Granted permissions to audit.
    pub auditallow: u32,
    /// Denied permissions to audit.
    pub auditdeny: u32,
    /// Policy sequence number the decision was computed under.
    pub seqno: u32,
    /// `AVD_FLAGS_*` bits.
    pub flags: u8,
}

/// What [`AccessVectorCache::insert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsertOutcome {
    /// Written into an empty or stale slot.
    Inserted,
    /// Overwrote the existing entry for the same key.
    Replaced,
    /// Evicted a valid entry for another key (counted as a reclaim).
    Reclaimed,
    /// Dropped: the decision's seqno is older than the cache's.
    Stale,
    /// Dropped: the decision's seqno is newer than the cache's (the policy
    /// load has not called [`AccessVectorCache::reset`] yet).
    Ahead,
    /// Skipped: the chosen slot is being written by another CPU.
    Busy,
    /// Skipped: the cache has no bucket (lent slice shorter than [`WAYS`]).
    NoCapacity,
}

/// What [`AccessVectorCache::update_allow`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// The entry now allows the permissions.
    Updated,
    /// No valid entry for the key at that seqno.
    NotFound,
    /// Skipped: the entry is being written by another CPU.
    Busy,
}

/// Hash table statistics, in the shape of SELinux's `avc/hash_stats`.
///
/// [`fmt::Display`] prints `"entries: N\nbuckets used: U/T\nlongest chain: L\n"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AvcHashStats {
    /// Valid entries.
    pub entries: usize,
    /// Buckets holding at least one valid entry.
    pub buckets_used: usize,
    /// Buckets in the cache.
    pub buckets_total: usize,
    /// Most valid entries in one bucket (at most [`WAYS`]).
    pub longest_chain: usize,
}

impl fmt::Display for AvcHashStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "entries: {}\nbuckets used: {}/{}\nlongest chain: {}\n",
            self.entries, self.buckets_used, self.buckets_total, self.longest_chain
        )
    }
}

// Field packing of a slot.
//
// head:  bits 0..32 write count (odd: being written), bits 32..64 policy seqno
// sids:  bits 0..32 ssid, bits 32..64 tsid
// meta:  bits 0..16 class, 16..24 flags, 24..32 tag, 32..64 allowed
// audit: bits 0..32 auditallow, bits 32..64 auditdeny
//
// tag: TAG_VALID | flush generation; 0 in an empty slot.
const TAG_VALID: u8 = 0x80;
const GEN_MASK: u32 = 0x7f;
// epoch: bits 0..7 flush generation, 8..12 ways of each bucket *not* in use
// (so the all-zero epoch uses them all), 12..32 flush count, 32..64 policy
// seqno. A lookup learns how many ways to scan from the epoch load it does
// anyway. The slots' tags hold only the 7-bit generation; the flush count
// makes the whole epoch, which `update_allow` compares, wrap only after
// 2^20 flushes rather than 128.
const UNUSED_WAYS_SHIFT: u32 = 8;
const UNUSED_WAYS_MASK: u32 = 0xf << UNUSED_WAYS_SHIFT;
const FLUSHES_SHIFT: u32 = 12;

/// Number of ways of each bucket in use under an epoch's low word.
#[inline(always)]
const fn ways_of(epoch_lo: u32) -> usize {
    WAYS.saturating_sub(((epoch_lo & UNUSED_WAYS_MASK) >> UNUSED_WAYS_SHIFT) as usize)
}

/// The epoch low word after `lo`: the next flush generation, and
/// `unused_ways`.
#[inline(always)]
const fn next_epoch_lo(lo: u32, unused_ways: u32) -> u32 {
    let flushes = (lo >> FLUSHES_SHIFT).wrapping_add(1) << FLUSHES_SHIFT;
    (lo.wrapping_add(1) & GEN_MASK)
        | ((unused_ways << UNUSED_WAYS_SHIFT) & UNUSED_WAYS_MASK)
        | flushes
}
/// The part of `meta` that identifies an entry: class and tag.
const META_ID_MASK: u64 = 0xff00_ffff;

#[inline(always)]
const fn lo(x: u64) -> u32 {
    x as u32
}

#[inline(always)]
const fn hi(x: u64) -> u32 {
    (x >> 32) as u32
}

#[inline(always)]
const fn pack(lo: u32, hi: u32) -> u64 {
    (lo as u64) | ((hi as u64) << 32)
}

#[inline(always)]
const fn meta_id(class: u16, tag: u8) -> u64 {
    (class as u64) | ((tag as u64) << 24)
}

#[inline(always)]
const fn tag_of(generation: u32) -> u8 {
    TAG_VALID | (generation & GEN_MASK) as u8
}

/// One cache slot. Lend the cache a slice of these, all
/// [`AvcSlot::new`] (or [`AvcSlot::EMPTY`]); the cache empties them again at
/// construction, so reused memory is fine too.
#[derive(Debug)]
#[repr(C, align(32))]
pub struct AvcSlot {
    head: AtomicU64,
    sids: AtomicU64,
    meta: AtomicU64,
    audit: AtomicU64,
}

impl AvcSlot {
    /// An empty slot.
    #[cfg(not(loom))]
    #[allow(clippy::declare_interior_mutable_const)]
    pub const EMPTY: Self = Self::new();

    /// An empty slot.
    #[cfg(not(loom))]
    pub const fn new() -> Self {
        Self {
            head: AtomicU64::new(0),
            sids: AtomicU64::new(0),
            meta: AtomicU64::new(0),
            audit: AtomicU64::new(0),
        }
    }

    /// An empty slot (loom's atomics cannot be built in a `const fn`).
    #[cfg(loom)]
    pub fn new() -> Self {
        Self {
            head: AtomicU64::new(0),
            sids: AtomicU64::new(0),
            meta: AtomicU64::new(0),
            audit: AtomicU64::new(0),
        }
    }

    /// Claims the slot for writing if its head is still `seen` (even).
    /// Returns the head to publish with [`Self::unlock`].
    #[inline]
    fn try_lock(&self, seen: u64) -> Option<u32> {
        let count = lo(seen);
        if count & 1 != 0 {
            return None;
        }
        let locked = pack(count.wrapping_add(1), hi(seen));
        self.head
            .compare_exchange(seen, locked, Ordering::Acquire, Ordering::Relaxed)
            .ok()?;
        // Orders the odd head before the field stores for any reader that
        // sees one of them (pairs with the reader's acquire fence).
        fence(Ordering::Release);
        Some(count.wrapping_add(2))
    }

    /// Publishes the fields written since [`Self::try_lock`].
    #[inline]
    fn unlock(&self, count: u32, seqno: u32) {
        self.head.store(pack(count, seqno), Ordering::Release);
    }

    /// Reads the whole entry consistently, if it is valid under `seqno` and
    /// `tag` and is for `key`. Never waits: a slot being written is a miss.
    #[inline(always)]
    fn read(&self, sids: u64, id: u64, seqno: u32) -> Option<(u64, u64)> {
        let head = self.head.load(Ordering::Acquire);
        if head != pack(lo(head) & !1, seqno) {
            return None;
        }
        if self.sids.load(Ordering::Relaxed) != sids {
            return None;
        }
        let meta = self.meta.load(Ordering::Relaxed);
        if meta & META_ID_MASK != id {
            return None;
        }
        let audit = self.audit.load(Ordering::Relaxed);
        // Orders the field loads before the re-check: if any of them saw a
        // write newer than `head`, the re-check sees that write's odd head.
        fence(Ordering::Acquire);
        if self.head.load(Ordering::Relaxed) != head {
            return None;
        }
        Some((meta, audit))
    }
}

impl Default for AvcSlot {
    fn default() -> Self {
        Self::new()
    }
}

/// The access vector cache. See the [module documentation](self).
///
/// `S` receives the statistics events (see [`AvcStats`]).
#[derive(Debug)]
pub struct AccessVectorCache<'a, S: AvcStats = NoStats> {
    slots: &'a [AvcSlot],
    /// Number of buckets (a power of two, or zero).
    buckets: usize,
    /// `64 - log2(buckets)`: multiply-shift keeps the top bits of the hash.
    shift: u32,
    /// Policy seqno (high 32 bits) and flush generation (low 32 bits).
    epoch: AtomicU64,
    stats: S,
}

/// Multiplier of the multiply-shift hash (2^64 / golden ratio, odd).
const HASH_MUL: u64 = 0x9E37_79B9_7F4A_7C15;
/// Spreads the class over all 64 bits before it is mixed in.
const CLASS_MUL: u64 = 0xD6E8_FEB8_6659_FD93;

/// Multiply-shift hash of the packed key; the bucket is its top bits. The
/// two products are independent (they overlap in the pipeline), and the top
/// bits of each depend on every bit of its input.
#[inline(always)]
fn hash(key: &AvcKey) -> u64 {
    pack(key.ssid, key.tsid)
        .wrapping_mul(HASH_MUL)
        .wrapping_add(u64::from(key.class).wrapping_mul(CLASS_MUL))
}

/// Buckets (the largest power of two not above `len / WAYS`, or zero) and
/// the multiply-shift amount (`64 - log2(buckets)`) for `len` slots.
const fn geometry(len: usize) -> (usize, u32) {
    let per_bucket = len / WAYS;
    if per_bucket == 0 {
        return (0, 64);
    }
    let log = per_bucket.ilog2();
    match 1usize.checked_shl(log) {
        Some(buckets) => (buckets, 64u32.saturating_sub(log)),
        None => (0, 64),
    }
}

impl<'a, S: AvcStats> AccessVectorCache<'a, S> {
    /// A cache over `slots`, valid for policy seqno `seqno`, reporting to
    /// `stats`. Empties every slot (the memory may be reused).
    pub fn new(slots: &'a [AvcSlot], seqno: u32, stats: S) -> Self {
        let cache = Self::raw(slots, seqno, stats);
        let _ = cache.sweep(pack(0, seqno), false);
        cache
    }

    /// Like [`Self::new`] but `const`, for a cache in a `static` over a
    /// `static` array of [`AvcSlot::EMPTY`]: the slots must be fresh (never
    /// used by another cache), since they are not emptied.
    ///
    /// ```
    /// use carapace_core::avc::{AccessVectorCache, AvcSlot, NoStats};
    /// static SLOTS: [AvcSlot; 2048] = [AvcSlot::EMPTY; 2048];
    /// static AVC: AccessVectorCache<'static> = AccessVectorCache::new_fresh(&SLOTS, 0, NoStats);
    /// assert_eq!(AVC.buckets(), 512);
    /// ```
    #[cfg(not(loom))]
    pub const fn new_fresh(slots: &'a [AvcSlot], seqno: u32, stats: S) -> Self {
        Self::raw(slots, seqno, stats)
    }

    #[cfg(not(loom))]
    const fn raw(slots: &'a [AvcSlot], seqno: u32, stats: S) -> Self {
        let (buckets, shift) = geometry(slots.len());
        Self {
            slots,
            buckets,
            shift,
            epoch: AtomicU64::new(pack(0, seqno)),
            stats,
        }
    }

    #[cfg(loom)]
    fn raw(slots: &'a [AvcSlot], seqno: u32, stats: S) -> Self {
        let (buckets, shift) = geometry(slots.len());
        Self {
            slots,
            buckets,
            shift,
            epoch: AtomicU64::new(pack(0, seqno)),
            stats,
        }
    }

    /// Number of buckets (a power of two; zero if the slice is shorter than
    /// [`WAYS`]).
    #[inline]
    pub fn buckets(&self) -> usize {
        self.buckets
    }

    /// Number of usable slots: `buckets()` times the ways in use
    /// ([`WAYS`] unless [`Self::set_capacity`] lowered it).
    #[inline]
    pub fn capacity(&self) -> usize {
        let ways = ways_of(lo(self.epoch.load(Ordering::Acquire)));
        self.buckets.saturating_mul(ways)
    }

    /// Limits the cache to `entries` entries, rounded down to whole ways of
    /// every bucket and at most what the slots allow (SELinux's
    /// `avc/cache_threshold`); 0 disables caching. Drops every entry.
    /// Returns the new capacity.
    pub fn set_capacity(&self, entries: usize) -> usize {
        let ways = entries.checked_div(self.buckets).unwrap_or(0).min(WAYS);
        // `WAYS - ways` is at most WAYS, which fits the field.
        let unused = WAYS.saturating_sub(ways) as u32;
        self.advance_epoch(|cur| pack(next_epoch_lo(lo(cur), unused), hi(cur)));
        self.buckets.saturating_mul(ways)
    }

    /// The current epoch (policy seqno, flush generation and count), for
    /// [`Self::update_allow`]: a caller reads it before it looks a
    /// decision up (or computes one), so that the epoch it holds is never
    /// newer than its decision.
    #[inline]
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// The current policy seqno (SELinux's `avc_policy_seqno()`).
    #[inline]
    pub fn seqno(&self) -> u32 {
        hi(self.epoch.load(Ordering::Acquire))
    }

    /// The statistics sink.
    #[inline]
    pub fn stats(&self) -> &S {
        &self.stats
    }

    /// The bucket `key` maps to, in `0..buckets()` (diagnostics and tests).
    #[inline]
    pub fn bucket_of(&self, key: &AvcKey) -> usize {
        let h = hash(key).checked_shr(self.shift).unwrap_or(0);
        // The top `log2(buckets)` bits: always < buckets.
        usize::try_from(h).unwrap_or(0)
    }

    /// The ways of `key`'s bucket in use under epoch `epoch`.
    #[inline(always)]
    fn bucket(&self, key: &AvcKey, epoch: u64) -> &'a [AvcSlot] {
        // The whole bucket first, a constant length, then the ways in use
        // (at most `WAYS`): two cheap bounds checks on the hot path.
        let start = self.bucket_of(key).wrapping_mul(WAYS);
        self.slots
            .get(start..start.wrapping_add(WAYS))
            .and_then(|bucket| bucket.get(..ways_of(lo(epoch))))
            .unwrap_or(&[])
    }

    /// Looks `key` up. Returns the decision if a valid entry for the current
    /// policy seqno is cached.
    ///
    /// Takes no lock, writes no shared memory (apart from what the stats
    /// sink does) and never waits; a slot being written concurrently reads
    /// as a miss. Always inlined: the hit is the hot path of every check,
    /// and returning the decision through memory cost as much as the probe.
    #[inline(always)]
    pub fn lookup(&self, key: &AvcKey) -> Option<AvcDecision> {
        let decision = self.peek(key);
        match decision {
            Some(_) => self.stats.hit(),
            None => self.stats.miss(),
        }
        decision
    }

    /// [`Self::lookup`] without counting it: for a caller that counts the
    /// hit itself ([`AvcStats::hit`] on [`Self::stats`]) only when it
    /// answers from the decision, and otherwise looks again with
    /// [`Self::lookup`], so that each question counts once.
    #[inline(always)]
    pub fn peek(&self, key: &AvcKey) -> Option<AvcDecision> {
        let epoch = self.epoch.load(Ordering::Acquire);
        let seqno = hi(epoch);
        let sids = pack(key.ssid, key.tsid);
        let id = meta_id(key.class, tag_of(lo(epoch)));
        for slot in self.bucket(key, epoch) {
            if let Some((meta, audit)) = slot.read(sids, id, seqno) {
                return Some(AvcDecision {
                    allowed: hi(meta),
                    auditallow: lo(audit),
                    auditdeny: hi(audit),
                    seqno,
                    flags: (lo(meta) >> 16) as u8,
                });
            }
        }
        None
    }

    /// Caches `avd` for `key` (SELinux's `avc_insert()`).
    ///
    /// Dropped unless `avd.seqno` is the current seqno. Bounded work: reads
    /// at most [`WAYS`] slots and tries one compare-and-swap; if another CPU
    /// is writing the chosen slot, the insert is skipped.
    pub fn insert(&self, key: &AvcKey, avd: &AvcDecision) -> InsertOutcome {
        let epoch = self.epoch.load(Ordering::Acquire);
        let seqno = hi(epoch);
        if avd.seqno < seqno {
            return InsertOutcome::Stale;
        }
        if avd.seqno > seqno {
            return InsertOutcome::Ahead;
        }
        let bucket = self.bucket(key, epoch);
        if bucket.is_empty() {
            return InsertOutcome::NoCapacity;
        }
        let tag = tag_of(lo(epoch));
        let sids = pack(key.ssid, key.tsid);
        let id = meta_id(key.class, tag);

        let mut free: Option<(&AvcSlot, u64)> = None;
        let mut target: Option<(&AvcSlot, u64)> = None;
        let mut writes = 0u32;
        let mut busy = false;
        // Heads as scanned: a victim is claimed only if unchanged since.
        let mut heads = [0u64; WAYS];
        for (slot, seen) in bucket.iter().zip(heads.iter_mut()) {
            let head = slot.head.load(Ordering::Acquire);
            *seen = head;
            let count = lo(head);
            writes = writes.wrapping_add(count >> 1);
            if count & 1 != 0 {
                busy = true;
                continue;
            }
            let meta = slot.meta.load(Ordering::Relaxed);
            let valid = hi(head) == seqno && meta & 0xff00_0000 == u64::from(tag) << 24;
            if !valid {
                if free.is_none() {
                    free = Some((slot, head));
                }
            } else if meta & META_ID_MASK == id && slot.sids.load(Ordering::Relaxed) == sids {
                target = Some((slot, head));
                break;
            }
        }

        let (slot, head, outcome) = if let Some((s, h)) = target {
            (s, h, InsertOutcome::Replaced)
        } else if busy {
            // A slot being written may be receiving this very key: writing
            // another slot could leave two entries for it.
            return InsertOutcome::Busy;
        } else if let Some((s, h)) = free {
            (s, h, InsertOutcome::Inserted)
        } else {
            // Every way holds a valid entry for another key (or is being
            // written): evict round-robin.
            let way = usize::try_from(writes)
                .unwrap_or(0)
                .checked_rem(bucket.len())
                .unwrap_or(0);
            let (Some(s), Some(&h)) = (bucket.get(way), heads.get(way)) else {
                return InsertOutcome::Busy;
            };
            (s, h, InsertOutcome::Reclaimed)
        };

        let Some(count) = slot.try_lock(head) else {
            return InsertOutcome::Busy;
        };
        slot.sids.store(sids, Ordering::Relaxed);
        slot.meta.store(
            id | (u64::from(avd.flags) << 16) | (u64::from(avd.allowed) << 32),
            Ordering::Relaxed,
        );
        slot.audit
            .store(pack(avd.auditallow, avd.auditdeny), Ordering::Relaxed);
        slot.unlock(count, seqno);

        self.stats.insert();
        if outcome == InsertOutcome::Reclaimed {
            self.stats.reclaim();
        }
        outcome
    }

    /// Adds `perms` to the allowed permissions of the entry for `key`, if
    /// `seen`, the [`Self::epoch`] read before the decision was looked up,
    /// is still the current epoch (SELinux's `avc_update_node(AVC_CALLBACK_GRANT)`,
    /// used after the first denial in a permissive domain is audited so that
    /// it is not audited again). Comparing the whole epoch, not just the
    /// policy seqno, keeps a grant decided in permissive mode from widening
    /// a denial cached after `setenforce 1` flushed the cache.
    ///
    /// Never waits: if the entry is being written, nothing is done.
    pub fn update_allow(&self, key: &AvcKey, perms: u32, seen: u64) -> UpdateOutcome {
        let epoch = self.epoch.load(Ordering::Acquire);
        if epoch != seen {
            return UpdateOutcome::NotFound;
        }
        let seqno = hi(epoch);
        let sids = pack(key.ssid, key.tsid);
        let id = meta_id(key.class, tag_of(lo(epoch)));
        for slot in self.bucket(key, epoch) {
            let head = slot.head.load(Ordering::Acquire);
            if lo(head) & 1 != 0 {
                // Could be ours; it is changing anyway.
                if slot.sids.load(Ordering::Relaxed) == sids {
                    return UpdateOutcome::Busy;
                }
                continue;
            }
            if hi(head) != seqno || slot.sids.load(Ordering::Relaxed) != sids {
                continue;
            }
            let meta = slot.meta.load(Ordering::Relaxed);
            if meta & META_ID_MASK != id {
                continue;
            }
            // `meta` is consistent with `head` if the CAS succeeds: any write
            // since the `head` load would have changed the write count.
            let Some(count) = slot.try_lock(head) else {
                return UpdateOutcome::Busy;
            };
            slot.meta
                .store(meta | (u64::from(perms) << 32), Ordering::Relaxed);
            slot.unlock(count, seqno);
            return UpdateOutcome::Updated;
        }
        UpdateOutcome::NotFound
    }

    /// Policy change (SELinux's `avc_ss_reset()`): makes `seqno` current
    /// (if it is newer) and drops every entry.
    ///
    /// From the single atomic update at its start, no lookup returns an
    /// entry inserted before the call, nor one computed under an older
    /// policy; the sweep that follows only empties slots. Returns the
    /// number of valid entries emptied.
    pub fn reset(&self, seqno: u32) -> usize {
        self.advance_epoch(|cur| {
            let unused = (lo(cur) & UNUSED_WAYS_MASK) >> UNUSED_WAYS_SHIFT;
            pack(next_epoch_lo(lo(cur), unused), hi(cur).max(seqno))
        })
    }

    /// A policy load: invalidates every entry for `seqno` ([`Self::reset`]),
    /// then runs `publish`, which makes the new policy visible. In this
    /// order (SELinux's: the cache is reset before anything sees the new
    /// policy's decisions) no entry of the old policy is returned to a
    /// reader that already sees the new policy; publishing first would
    /// leave a window in which it is. Decisions still computed from the old
    /// policy until `publish` carry its seqno and are not cached (`Stale`).
    pub fn reload<R>(&self, seqno: u32, publish: impl FnOnce() -> R) -> R {
        self.reset(seqno);
        publish()
    }

    /// Moves to the epoch `next(current)` in one atomic update, then
    /// empties the slots of the old epoch; returns how many held an entry.
    fn advance_epoch(&self, next: impl Fn(u64) -> u64) -> usize {
        let mut cur = self.epoch.load(Ordering::Acquire);
        loop {
            match self.epoch.compare_exchange_weak(
                cur,
                next(cur),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break,
                Err(seen) => cur = seen,
            }
        }
        let n = self.sweep(cur, true);
        self.stats.free(u64::try_from(n).unwrap_or(u64::MAX));
        n
    }

    /// Drops every entry, keeping the current seqno.
    pub fn flush(&self) -> usize {
        self.reset(0)
    }

    /// Empties every slot that is not being written (and, if `keep_current`,
    /// does not hold an entry valid under the current epoch); returns how
    /// many held an entry valid under the `old` epoch.
    fn sweep(&self, old: u64, keep_current: bool) -> usize {
        let tag = tag_of(lo(old));
        let mut freed = 0usize;
        for slot in self.slots {
            let head = slot.head.load(Ordering::Acquire);
            let meta = slot.meta.load(Ordering::Relaxed);
            let t = (lo(meta) >> 24) as u8;
            if t == 0 {
                continue;
            }
            let current = self.epoch.load(Ordering::Acquire);
            if keep_current && hi(head) == hi(current) && t == tag_of(lo(current)) {
                // Inserted after the epoch advanced: keep.
                continue;
            }
            let Some(count) = slot.try_lock(head) else {
                // A writer owns it; whatever it writes carries its own epoch.
                continue;
            };
            if hi(head) == hi(old) && t == tag {
                freed = freed.saturating_add(1);
            }
            slot.sids.store(0, Ordering::Relaxed);
            slot.meta.store(0, Ordering::Relaxed);
            slot.audit.store(0, Ordering::Relaxed);
            slot.unlock(count, 0);
        }
        freed
    }

    /// Counts valid entries (SELinux's `avc/hash_stats`). Reads without
    /// locks: concurrent inserts may or may not be counted.
    pub fn hash_stats(&self) -> AvcHashStats {
        let epoch = self.epoch.load(Ordering::Acquire);
        let seqno = hi(epoch);
        let tag = u64::from(tag_of(lo(epoch))) << 24;
        let mut st = AvcHashStats {
            buckets_total: self.buckets,
            ..AvcHashStats::default()
        };
        for bucket in self.slots.chunks_exact(WAYS).take(self.buckets) {
            let n = bucket
                .iter()
                .filter(|s| {
                    let head = s.head.load(Ordering::Acquire);
                    hi(head) == seqno
                        && lo(head) & 1 == 0
                        && s.meta.load(Ordering::Relaxed) & 0xff00_0000 == tag
                })
                .count();
            if n > 0 {
                st.buckets_used = st.buckets_used.saturating_add(1);
            }
            st.entries = st.entries.saturating_add(n);
            st.longest_chain = st.longest_chain.max(n);
        }
        st
    }
}
