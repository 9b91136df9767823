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
}

/// Bits of the policy seqno kept with a label valid until a reload.
pub const SEQNO_MASK: u32 = (1 << 30) - 1;

/// A decoded label word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelWord {
    /// How far the label is known.
    pub state: LabelState,
    /// The low 30 bits of the seqno of the policy an `UntilReload` label
    /// was computed under (0 otherwise).
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
            Just(LabelState::Known)
        ]
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
