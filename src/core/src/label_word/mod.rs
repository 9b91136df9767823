// SPDX-License-Identifier: GPL-2.0

//! The label word of an inode: its SID, how far the label is known and,
//! for a label valid only under one policy, that policy's load number, in
//! one 64-bit word so that a reader never sees one without the others.
//!
//! Layout: SID in bits 0..32, policy seqno (its low 30 bits) in 32..62,
//! [`LabelState`] in 62..64. The all-zero word is "not computed yet",
//! which is what a freshly allocated security blob holds.

use crate::sid_table::Sid;

/// How far an inode's label is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelState {
    /// Not computed yet.
    Unknown = 0,
    /// Valid while the policy in force is the one it was computed under:
    /// computed with no policy loaded, or from an attribute naming a type
    /// that policy lacks (a later policy may define it).
    UntilReload = 1,
    /// Final.
    Known = 2,
    /// Being computed (SELinux's `LABEL_PENDING`): the SID and seqno
    /// fields hold the computation's 62-bit ticket, not a label. Not valid under any
    /// policy, so readers compute it too; only the computation that put
    /// this very word there may replace it ([`finish_compute`]).
    Pending = 3,
}

/// Bits of the policy seqno kept with a label valid until a reload.
pub const SEQNO_MASK: u32 = (1 << 30) - 1;

/// A decoded label word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelWord {
    /// How far the label is known.
    pub state: LabelState,
    /// The low 30 bits of the seqno of the policy an `UntilReload` label
    /// was computed under, the high bits of a `Pending` word's ticket (0
    /// otherwise).
    pub seqno: u32,
    /// The label.
    pub sid: Sid,
}

impl LabelWord {
    /// The word "not computed yet".
    pub const UNKNOWN: Self = Self {
        state: LabelState::Unknown,
        seqno: 0,
        sid: 0,
    };

    /// The final label `sid`.
    #[inline]
    pub const fn known(sid: Sid) -> Self {
        Self {
            state: LabelState::Known,
            seqno: 0,
            sid,
        }
    }

    /// The label `sid`, valid under the policy loaded as `seqno` only.
    #[inline]
    pub const fn until_reload(sid: Sid, seqno: u32) -> Self {
        Self {
            state: LabelState::UntilReload,
            seqno: seqno & SEQNO_MASK,
            sid,
        }
    }

    /// The word of a computation in progress, identified by the low 62
    /// bits of `ticket`: a count that no machine drives round (2^62
    /// computations), so two computations never hold the same mark.
    #[inline]
    pub const fn pending(ticket: u64) -> Self {
        Self {
            state: LabelState::Pending,
            seqno: (ticket >> 32) as u32 & SEQNO_MASK,
            sid: ticket as u32,
        }
    }

    /// Packs the word.
    #[inline]
    pub const fn encode(self) -> u64 {
        let high = ((self.state as u64) << 30) | (self.seqno & SEQNO_MASK) as u64;
        (high << 32) | self.sid as u64
    }

    /// Unpacks a word made by [`LabelWord::encode`] (or zero).
    #[inline]
    pub const fn decode(word: u64) -> Self {
        let state = match word >> 62 {
            1 => LabelState::UntilReload,
            2 => LabelState::Known,
            3 => LabelState::Pending,
            _ => LabelState::Unknown,
        };
        Self {
            state,
            seqno: (word >> 32) as u32 & SEQNO_MASK,
            sid: word as Sid,
        }
    }

    /// The label, if it is valid while the policy loaded as `seqno` is in
    /// force.
    #[inline]
    pub const fn valid_under(self, seqno: u32) -> Option<Sid> {
        match self.state {
            LabelState::Known => Some(self.sid),
            LabelState::UntilReload if self.seqno == seqno & SEQNO_MASK => Some(self.sid),
            _ => None,
        }
    }
}

/// The atomic word an inode's label lives in.
pub trait LabelCell {
    /// The word.
    fn load(&self) -> u64;
    /// Replaces the word with `new` if it is `current`; the word seen.
    fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64>;
}

/// Starts computing a label whose word was `seen`: marks it pending with
/// `ticket` (unique among concurrent computations) unless it changed since.
/// Returns the word to hand to [`finish_compute`].
///
/// Computing a label reads the file's attribute, which may sleep; a relabel
/// (`setxattr`) or an invalidation may store a new label meanwhile. The
/// pending word lets [`finish_compute`] store its result only if nothing
/// was stored since, so a label computed from the old attribute never
/// overwrites the new one (SELinux's `LABEL_PENDING`).
pub fn begin_compute(cell: &impl LabelCell, seen: u64, ticket: u64) -> u64 {
    let pending = LabelWord::pending(ticket).encode();
    match cell.compare_exchange(seen, pending) {
        Ok(_) => pending,
        // Changed since: this computation will not store its result.
        Err(_) => 0,
    }
}

/// The label a check uses, and the label word it came from when the
/// object stores that word: only then may a decision on it be remembered
/// ([`crate::last_decision::record_checked`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsedLabel {
    /// The label.
    pub label: LabelWord,
    /// The object's label word as loaded, if it holds `label`.
    pub stored: Option<u64>,
}

impl UsedLabel {
    /// `label`, stored in the object as `word`.
    pub const fn stored(label: LabelWord, word: u64) -> Self {
        Self {
            label,
            stored: Some(word),
        }
    }

    /// `label`, used for one check without being stored.
    pub const fn unstored(label: LabelWord) -> Self {
        Self {
            label,
            stored: None,
        }
    }
}

/// Ends the computation [`begin_compute`] started: stores `label` if the
/// word is still `pending`. Returns the label to use for the check at
/// hand: `label`, or what a concurrent relabel stored instead if that is
/// valid under `seqno`; stored or not.
pub fn finish_compute(
    cell: &impl LabelCell,
    pending: u64,
    label: LabelWord,
    seqno: u32,
) -> UsedLabel {
    if pending != 0 && cell.compare_exchange(pending, label.encode()).is_ok() {
        return UsedLabel::stored(label, label.encode());
    }
    let word = cell.load();
    let now = LabelWord::decode(word);
    match now.valid_under(seqno) {
        Some(_) => UsedLabel::stored(now, word),
        None => UsedLabel::unstored(label),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn zero_is_unknown() {
        assert_eq!(LabelWord::decode(0), LabelWord::UNKNOWN);
        assert_eq!(LabelWord::UNKNOWN.encode(), 0);
        assert_eq!(LabelWord::UNKNOWN.valid_under(0), None);
    }

    #[test]
    fn a_label_from_no_policy_is_valid_until_the_first_load() {
        let word = LabelWord::until_reload(0, 0);
        assert_eq!(word.valid_under(0), Some(0));
        assert_eq!(word.valid_under(1), None);
    }

    #[test]
    fn seqnos_compare_in_30_bits() {
        let word = LabelWord::until_reload(7, (1 << 30) + 5);
        assert_eq!(word.valid_under(5), Some(7));
        assert_eq!(word.valid_under((1 << 31) | 5), Some(7));
    }

    fn any_state() -> impl Strategy<Value = LabelState> {
        prop_oneof![
            Just(LabelState::Unknown),
            Just(LabelState::UntilReload),
            Just(LabelState::Known),
            Just(LabelState::Pending)
        ]
    }

    extern crate std;
    use std::sync::atomic::{AtomicU64, Ordering};

    impl LabelCell for AtomicU64 {
        fn load(&self) -> u64 {
            AtomicU64::load(self, Ordering::Acquire)
        }
        fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64> {
            AtomicU64::compare_exchange(self, current, new, Ordering::AcqRel, Ordering::Acquire)
        }
    }

    /// A computation that read the old attribute, then lost the race with a
    /// relabel that stored the new label: the relabel must survive.
    #[test]
    fn a_computed_label_does_not_overwrite_a_concurrent_relabel() {
        let cell = AtomicU64::new(0);
        let pending = begin_compute(&cell, LabelCell::load(&cell), 1);
        // setxattr + inode_post_setxattr on another CPU.
        cell.store(LabelWord::known(9).encode(), Ordering::Release);
        let used = finish_compute(&cell, pending, LabelWord::known(5), 1);
        assert_eq!(
            LabelWord::decode(LabelCell::load(&cell)),
            LabelWord::known(9)
        );
        assert_eq!(
            used,
            UsedLabel::stored(LabelWord::known(9), LabelWord::known(9).encode())
        );
    }

    /// Same, with the relabel's invalidation (a name the policy lacks):
    /// the stale computation must not make the label final.
    #[test]
    fn a_computed_label_does_not_overwrite_an_invalidation() {
        let cell = AtomicU64::new(LabelWord::until_reload(3, 1).encode());
        let pending = begin_compute(&cell, LabelCell::load(&cell), 7);
        cell.store(LabelWord::UNKNOWN.encode(), Ordering::Release);
        let used = finish_compute(&cell, pending, LabelWord::known(5), 2);
        assert_eq!(
            LabelWord::decode(LabelCell::load(&cell)),
            LabelWord::UNKNOWN
        );
        // Used for this check, but not stored: nothing may be remembered.
        assert_eq!(used, UsedLabel::unstored(LabelWord::known(5)));
    }

    /// Two computations: the first to finish stores, the one that lost its
    /// pending word does not, and neither fails its check.
    #[test]
    fn concurrent_computations_store_once() {
        let cell = AtomicU64::new(0);
        let a = begin_compute(&cell, 0, 1);
        let b = begin_compute(&cell, 0, 2);
        assert_eq!(b, 0, "b saw a's pending word");
        let four = UsedLabel::stored(LabelWord::known(4), LabelWord::known(4).encode());
        assert_eq!(finish_compute(&cell, a, LabelWord::known(4), 1), four);
        assert_eq!(finish_compute(&cell, b, LabelWord::known(4), 1), four);
        assert_eq!(
            LabelWord::decode(LabelCell::load(&cell)),
            LabelWord::known(4)
        );
    }

    #[test]
    fn pending_marks_keep_62_bits_of_their_ticket() {
        let a = LabelWord::pending(5).encode();
        let b = LabelWord::pending(5 + (1 << 32)).encode();
        let c = LabelWord::pending(5 + (1 << 61)).encode();
        assert!(a != b && b != c && a != c);
        assert_eq!(LabelWord::pending(5 + (1 << 62)).encode(), a);
        assert_eq!(LabelWord::decode(c).state, LabelState::Pending);
    }

    #[test]
    fn pending_is_never_valid() {
        let word = LabelWord::decode(LabelWord::pending(5).encode());
        assert_eq!(word.state, LabelState::Pending);
        assert_eq!(word.valid_under(0), None);
    }

    proptest! {
        #[test]
        fn encode_then_decode_is_identity(state in any_state(), seqno: u32, sid: Sid) {
            let word = LabelWord { state, seqno: seqno & SEQNO_MASK, sid };
            prop_assert_eq!(LabelWord::decode(word.encode()), word);
        }

        #[test]
        fn known_labels_survive_every_reload(sid: Sid, seqno: u32) {
            let word = LabelWord::decode(LabelWord::known(sid).encode());
            prop_assert_eq!(word.valid_under(seqno), Some(sid));
        }

        #[test]
        fn until_reload_labels_hold_only_under_their_policy(sid: Sid, a: u32, b: u32) {
            let word = LabelWord::decode(LabelWord::until_reload(sid, a).encode());
            let same = a & SEQNO_MASK == b & SEQNO_MASK;
            prop_assert_eq!(word.valid_under(b), same.then_some(sid));
        }
    }
}
