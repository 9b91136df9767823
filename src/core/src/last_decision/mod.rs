// SPDX-License-Identifier: GPL-2.0

//! The last decision on an object, kept in one word beside the object's
//! label, so that a domain that checks the same object again (a directory
//! searched at every path walk, a file read again and again) is answered
//! by a load and a compare instead of a cache lookup.
//!
//! The word records the subject SID, a *policy generation* and the
//! [`Access`] bits that subject was granted, without an audit record, on
//! the object's label in the object's class:
//!
//! ```text
//! bits 32..64  subject SID
//! bits  8..32  policy generation (its low 24 bits)
//! bits  0..8   Access bits granted
//! ```
//!
//! # Why it is never wrong
//!
//! A grant depends on three things: the subject, the policy (with the
//! enforcing mode, see below) and the object's label. The word keys the
//! first two; the third is kept true by the order in which labels change.
//!
//! - **The policy.** [`DecisionGeneration`] counts policy loads and
//!   enforcing switches, which need `CAP_MAC_ADMIN` and the policy's
//!   `security` permissions: privileged and rare. A word recorded under
//!   another generation never matches. The counter *stops* at its last
//!   value ([`DecisionGeneration::LAST`], 2^22 − 1 changes, within the 22
//!   bits the credentials' word keeps) instead of wrapping, and nothing is
//!   recorded under that value, so no key is ever reused: a kernel that
//!   sees four million policy loads and switches keeps deciding, through
//!   the cache, without remembered decisions.
//! - **The label.** A label changes without privilege (a `/proc/PID`
//!   inode takes its task's new domain at every lookup after an exec), so
//!   nothing global may count those changes. Instead, whoever changes an
//!   object's label clears that object's word after the change
//!   ([`forget`]), and a checker that records a grant stores it, then
//!   reads the label again and clears the word itself if the label is no
//!   longer the one it decided on ([`record_checked`]). A full fence sits
//!   between the store and the load on both sides, so one of the two
//!   always sees the other: either the clear comes after the grant, or
//!   the checker sees the new label. A word can therefore only hold a
//!   grant for the label the object has, or one whose clear is on its
//!   way from a label change that has not returned yet. A change on one
//!   object costs no other object anything.
//! - **The subject** is compared in all 32 bits of its SID.
//!
//! A checker reads the generation *first*, then the label, then decides
//! (through the access vector cache), so that a load published meanwhile
//! leaves the grant under an older generation. Only the label word the
//! decision was made on, as stored in the object, may be recorded: a
//! label used for one check without being stored (no dentry yet to read
//! the attribute through, a computation that lost a race) records nothing.
//!
//! Only grants are recorded, and only those the policy does not audit, so
//! a hit needs neither an audit record nor the permissive logic: denials
//! and audited grants always take the full path. The enforcing switch
//! counts as a policy change because permissive mode widens cache entries
//! (a denial logged once is then allowed): a grant read from a widened
//! entry must not outlive `setenforce 1`.
//!
//! Two checkers that store at once may lose each other's bits: the next
//! check misses and asks the cache, which is only slower.

use crate::avc::atomic::{fence, AtomicU32, Ordering};
use crate::sid_table::Sid;

/// The accesses a last-decision word records. The low four are the
/// kernel's `MAY_EXEC`, `MAY_WRITE`, `MAY_READ` and `MAY_APPEND`, so an
/// access mask converts by a mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access(u8);

impl Access {
    /// Nothing.
    pub const NONE: Self = Self(0);
    /// `execute` (`search` on a directory): `MAY_EXEC`.
    pub const EXEC: Self = Self(0x01);
    /// `write`: `MAY_WRITE`.
    pub const WRITE: Self = Self(0x02);
    /// `read`: `MAY_READ`.
    pub const READ: Self = Self(0x04);
    /// `append`: `MAY_APPEND`.
    pub const APPEND: Self = Self(0x08);
    /// `open`.
    pub const OPEN: Self = Self(0x10);
    /// `getattr`.
    pub const GETATTR: Self = Self(0x20);
    /// `map`.
    pub const MAP: Self = Self(0x40);
    /// `execute_no_trans`: executing the file without a domain change.
    pub const EXECUTE_NO_TRANS: Self = Self(0x80);
    /// Every access, one bit each.
    pub const EACH: [Self; 8] = [
        Self::EXEC,
        Self::WRITE,
        Self::READ,
        Self::APPEND,
        Self::OPEN,
        Self::GETATTR,
        Self::MAP,
        Self::EXECUTE_NO_TRANS,
    ];
    /// The bits of a kernel access mask (`MAY_*`) that are accesses.
    pub const MAY_MASK: u32 = 0x0f;

    /// The accesses of the kernel access mask `mask` (`MAY_EXEC`,
    /// `MAY_WRITE`, `MAY_READ`, `MAY_APPEND`; other bits are ignored). An
    /// appending write is [`Access::APPEND`] alone, as it needs only the
    /// `append` permission: each bit then stands for one permission.
    #[inline(always)]
    pub const fn from_may(mask: u32) -> Self {
        let bits = (mask & Self::MAY_MASK) as u8;
        // APPEND (8) shifted down to WRITE (2): clears WRITE when appending.
        Self(bits & !((bits >> 2) & Self::WRITE.0))
    }

    /// The accesses of a `file_permission` mask: the `MAY_*` bits as they
    /// are, each for its own permission. The VFS asks `MAY_READ` or
    /// `MAY_WRITE` there (an appending write is known from the file, see
    /// [`Self::appending`]); should a mask ever hold both `MAY_WRITE` and
    /// `MAY_APPEND`, both permissions are asked, which [`Self::from_may`]
    /// would narrow to `append`.
    #[inline(always)]
    pub const fn from_may_bits(mask: u32) -> Self {
        Self((mask & Self::MAY_MASK) as u8)
    }

    /// The accesses of an object whose class never changes (a socket, a
    /// System V IPC object): its class's permissions 1 to 8 (`read` and
    /// `write` of the sockets' common set; `destroy` to `unix_write` of
    /// IPC objects'), one bit each. `None` when `requested` is empty or
    /// asks any other permission: that check is not remembered.
    #[inline(always)]
    pub const fn of_class_perms(requested: u32) -> Option<Self> {
        if requested == 0 || requested & !0x1fe != 0 {
            None
        } else {
            Some(Self((requested >> 1) as u8))
        }
    }

    /// These accesses, a write made an appending one (through an
    /// `O_APPEND` descriptor).
    #[inline(always)]
    #[must_use]
    pub const fn appending(self) -> Self {
        if self.0 & Self::WRITE.0 != 0 {
            Self((self.0 & !Self::WRITE.0) | Self::APPEND.0)
        } else {
            self
        }
    }

    /// Both sets.
    #[inline(always)]
    #[must_use]
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether `other` is among these accesses.
    #[inline(always)]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether this is no access at all.
    #[inline(always)]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// A decision generation, as [`DecisionGeneration::current`] reads it: the
/// count of changes in bits 8..32, so that it goes into a word's bits
/// 8..32 as it is (the low 8 bits are zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Generation(u32);

impl Generation {
    /// The `n`th generation.
    pub const fn nth(n: u32) -> Self {
        Self(n.wrapping_shl(8))
    }
}

/// The key part of a word: subject and generation.
#[inline(always)]
const fn key(ssid: Sid, generation: Generation) -> u64 {
    ((ssid as u64) << 32) | generation.0 as u64
}

/// Whether the last-decision word `word` grants `access` to `ssid` under
/// `generation`. Never true for an empty `access`, so that a caller cannot
/// mistake "nothing to check" for a recorded grant.
#[inline(always)]
pub const fn grants(word: u64, ssid: Sid, generation: Generation, access: Access) -> bool {
    (word ^ key(ssid, generation)) & !0xff == 0
        && word as u8 & access.0 == access.0
        && access.0 != 0
}

/// The word after `ssid` was granted `access` under `generation`: added
/// to what `word` records if it is for the same subject and generation,
/// else replacing it; unchanged under [`DecisionGeneration::LAST`].
#[inline]
pub const fn record(word: u64, ssid: Sid, generation: Generation, access: Access) -> u64 {
    if generation.0 == DecisionGeneration::LAST.0 {
        return word;
    }
    let key = key(ssid, generation);
    if (word ^ key) & !0xff == 0 {
        word | access.0 as u64
    } else {
        key | access.0 as u64
    }
}

/// A decision of a domain on itself that its credentials remember: one of
/// its capabilities in the initial user namespace (`capability` and
/// `capability2` classes), or `process { fork }`.
///
/// Such a decision names no object, so it does not depend on labels: the
/// word that records them ([`self_grants`], [`self_record`]) is keyed by
/// the *policy* generation alone (policy loads and enforcing switches,
/// never relabels), in its top 22 bits; the low 42 bits are one per
/// access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SelfAccess(u8);

/// Bits of a self-decision word that are accesses.
const SELF_BITS: u32 = 42;

impl SelfAccess {
    /// `process { fork }`.
    pub const FORK: Self = Self(41);

    /// Capability `cap` in the initial user namespace, if it is one a
    /// word records (`CAP_CHOWN` … `CAP_CHECKPOINT_RESTORE`, 0 to 40).
    #[inline(always)]
    pub const fn capability(cap: u32) -> Option<Self> {
        if cap <= 40 {
            Some(Self(cap as u8))
        } else {
            None
        }
    }

    #[inline(always)]
    const fn bit(self) -> u64 {
        1 << self.0
    }
}

/// The key part of a self-decision word.
#[inline(always)]
const fn self_key(generation: Generation) -> u64 {
    // Bits 8..30 of the counter land in bits 42..64.
    (generation.0 as u64) << (SELF_BITS - 8)
}

/// Whether the self-decision word `word` grants `access` under policy
/// generation `generation` (compared in 22 bits).
#[inline(always)]
pub const fn self_grants(word: u64, generation: Generation, access: SelfAccess) -> bool {
    (word ^ self_key(generation)) >> SELF_BITS == 0 && word & access.bit() != 0
}

/// The self-decision word after `access` was granted under `generation`
/// (unchanged under [`DecisionGeneration::LAST`]).
#[inline]
pub const fn self_record(word: u64, generation: Generation, access: SelfAccess) -> u64 {
    if generation.0 == DecisionGeneration::LAST.0 {
        return word;
    }
    let key = self_key(generation);
    if (word ^ key) >> SELF_BITS == 0 {
        word | access.bit()
    } else {
        key | access.bit()
    }
}

/// What a domain was granted on objects labelled with the domain itself
/// (a socket or IPC object it made, a file of its own `/proc/PID`): the
/// permissions of one class, kept in its credentials beside the
/// [`SelfAccess`] word, so that checks of one kind in a row (a socket
/// created, connected, accepted on a listener of the same domain) are
/// answered without the access vector cache.
///
/// The decision of domain `D` on label `D` depends on `D`, the class and
/// the policy, not on which object carries the label: the caller compares
/// the object's label with `D` at each check, and the word is keyed by
/// the policy generation (in its top 22 bits, as the self-decision word)
/// and the class (its index + 1 in bits 32..42). The low 32 bits are the
/// class's permissions granted without an audit record.
///
/// ```text
/// bits 42..64  policy generation (22 bits)
/// bits 32..42  class index + 1
/// bits  0..32  permissions granted
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnLabelClass(u16);

impl OwnLabelClass {
    /// The class of index `index`, if the word can hold it (up to 1022).
    #[inline(always)]
    pub const fn of_index(index: usize) -> Option<Self> {
        if index < (1 << OWN_CLASS_BITS) - 1 {
            Some(Self((index as u16).wrapping_add(1)))
        } else {
            None
        }
    }
}

/// Bits of an own-label word that are permissions, and that hold the class.
const OWN_PERM_BITS: u32 = 32;
const OWN_CLASS_BITS: u32 = 10;

/// The key part of an own-label word.
#[inline(always)]
const fn own_key(generation: Generation, class: OwnLabelClass) -> u64 {
    self_key(generation) | ((class.0 as u64) << OWN_PERM_BITS)
}

/// Whether the own-label word `word` grants every permission of
/// `requested` (never none) of `class` under `generation`.
#[inline(always)]
pub const fn own_grants(
    word: u64,
    generation: Generation,
    class: OwnLabelClass,
    requested: u32,
) -> bool {
    word >> OWN_PERM_BITS == own_key(generation, class) >> OWN_PERM_BITS
        && word as u32 & requested == requested
        && requested != 0
}

/// The own-label word after `requested` of `class` was granted under
/// `generation`: added to what `word` records for the same class and
/// generation, else replacing it; unchanged under
/// [`DecisionGeneration::LAST`].
#[inline]
pub const fn own_record(
    word: u64,
    generation: Generation,
    class: OwnLabelClass,
    requested: u32,
) -> u64 {
    if generation.0 == DecisionGeneration::LAST.0 {
        return word;
    }
    let key = own_key(generation, class);
    if word >> OWN_PERM_BITS == key >> OWN_PERM_BITS {
        word | requested as u64
    } else {
        key | requested as u64
    }
}

/// An atomic word of an object: its label or its last decision.
///
/// Implementations give `load` acquire and `store` release semantics at
/// least; [`record_checked`] and [`forget`] add the full fences the
/// protocol needs.
pub trait ObjectWord {
    /// The word.
    fn load(&self) -> u64;
    /// Replaces the word.
    fn store(&self, value: u64);
}

/// Records in `decision` that `ssid` was granted `access` under
/// `generation`, decided on the object's label word `used` as it was
/// loaded from `label` after `generation` was read. Clears the word again
/// if the label changed meanwhile (see the [module documentation](self)).
/// Nothing is recorded under [`DecisionGeneration::LAST`].
pub fn record_checked(
    label: &impl ObjectWord,
    decision: &impl ObjectWord,
    used: u64,
    ssid: Sid,
    generation: Generation,
    access: Access,
) {
    let word = decision.load();
    let new = record(word, ssid, generation, access);
    if new != word {
        decision.store(new);
    }
    // Pairs with the fence in `forget`: either the label's writer clears
    // the word after this store, or this load sees its new label.
    fence(Ordering::SeqCst);
    if label.load() != used {
        decision.store(0);
    }
}

/// Clears the last decision of an object whose label word was just
/// changed; the one who changed it calls this, after the change.
pub fn forget(decision: &impl ObjectWord) {
    // Pairs with the fence in `record_checked`.
    fence(Ordering::SeqCst);
    decision.store(0);
}

/// The policy generation (see the [module documentation](self)): counts
/// policy loads and enforcing switches, and stops at [`Self::LAST`].
#[derive(Debug)]
pub struct DecisionGeneration(AtomicU32);

impl DecisionGeneration {
    /// The generation at which the count stops; nothing is recorded under
    /// it. The self-decision words compare 22 bits, the object words 24:
    /// neither ever sees a value twice.
    pub const LAST: Generation = Generation::nth((1 << 22) - 1);

    /// The first generation.
    #[cfg(not(loom))]
    pub const fn new() -> Self {
        Self(AtomicU32::new(Generation::nth(1).0))
    }

    /// The first generation.
    #[cfg(loom)]
    pub fn new() -> Self {
        Self(AtomicU32::new(Generation::nth(1).0))
    }

    /// The current generation. Read it before the object's label and the
    /// decision it records.
    #[inline(always)]
    pub fn current(&self) -> Generation {
        Generation(self.0.load(Ordering::Acquire))
    }

    /// Makes every recorded decision stale. Call it after the change is
    /// visible (the cache reset, the new policy published). Returns
    /// `false` once the count has stopped at [`Self::LAST`]: from then on
    /// nothing is remembered.
    pub fn advance(&self) -> bool {
        let last = Self::LAST.0;
        let step = Generation::nth(1).0;
        let advanced = self
            .0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |g| {
                (g < last).then(|| g.saturating_add(step).min(last))
            });
        advanced.is_ok()
    }
}

impl Default for DecisionGeneration {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;
