// SPDX-License-Identifier: GPL-2.0

//! Labels of sockets and System V IPC objects: a SID and a class, set
//! when the object is created and not changed afterwards (only a Unix
//! socket's peer is set later, once, when it connects).

use kernel::prelude::*;

use crate::classmap::KernelClass;
use crate::framework::BlobWord;
use crate::policy_store::Sid;

/// A label: the SID in the high half of the word, the class index + 1 in
/// the low half; 0 until the object is labelled.
#[derive(Zeroable)]
pub(crate) struct ObjectLabel {
    word: BlobWord,
}

impl ObjectLabel {
    /// Labels the object `sid`, of `class`.
    pub(crate) fn set(&self, sid: Sid, class: KernelClass) {
        self.word.store(Self::encode(sid, class));
    }

    /// The label and class, once set.
    #[inline]
    pub(crate) fn get(&self) -> Option<(Sid, KernelClass)> {
        let word = self.word.load();
        let class = usize::try_from(word & 0xffff).ok()?.checked_sub(1)?;
        Some(((word >> 32) as Sid, KernelClass::from_index(class)?))
    }

    /// Gives the object the label of `other`.
    pub(crate) fn copy_from(&self, other: &Self) {
        self.word.store(other.word.load());
    }

    fn encode(sid: Sid, class: KernelClass) -> u64 {
        (u64::from(sid) << 32) | (class.index() as u64).wrapping_add(1)
    }
}

/// Carapace's part of a `struct sock`'s security blob.
#[derive(Zeroable)]
pub(crate) struct SockSecurity {
    /// The socket's own label.
    label: ObjectLabel,
    /// The label of the socket at the other end of a Unix connection or
    /// pair (bit 32 set, the SID below), 0 while there is none.
    peer: BlobWord,
}

impl SockSecurity {
    /// The socket's own label.
    #[inline]
    pub(crate) fn label(&self) -> &ObjectLabel {
        &self.label
    }

    /// Records `sid` as the peer's label.
    pub(crate) fn set_peer(&self, sid: Sid) {
        self.peer.store((1 << 32) | u64::from(sid));
    }

    /// The peer's label, if known.
    pub(crate) fn peer(&self) -> Option<Sid> {
        let word = self.peer.load();
        (word >> 32 != 0).then_some(word as Sid)
    }

    /// Gives the socket the label and peer of `other`.
    pub(crate) fn copy_from(&self, other: &Self) {
        self.label.copy_from(&other.label);
        self.peer.store(other.peer.load());
    }
}
