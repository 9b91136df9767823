// SPDX-License-Identifier: GPL-2.0

//! Labels of sockets and System V IPC objects: a SID and a class, set
//! when the object is created and not changed afterwards (only a Unix
//! socket's peer is set later, once, when it connects), and the last
//! decision on each.

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::KernelClass;
use crate::framework::BlobWord;
use crate::last_decision::{self, forget, record_checked, Access};
use crate::policy_store::Sid;
use crate::security_server::{Grant, SecurityServer, DECISIONS};

/// A label: the SID in the high half of the word, the class index + 1 in
/// the low half; 0 until the object is labelled. With it, the last
/// decision on the object ([`crate::last_decision`]), for its class's
/// permissions 1 to 8 ([`Access::of_class_perms`]): `read` and `write` of
/// a socket, the common permissions of an IPC object.
///
/// Who may change what a remembered grant depends on: the label is set
/// when the object is made, before anyone can check it (copied from
/// another object for a socket's accepted or server end), and each change
/// forgets the grant; the subject is compared in full; the policy
/// generation moves only with a policy load or an enforcing switch.
#[derive(Zeroable)]
pub(crate) struct ObjectLabel {
    word: BlobWord,
    decision: BlobWord,
}

impl ObjectLabel {
    /// Labels the object `sid`, of `class`.
    pub(crate) fn set(&self, sid: Sid, class: KernelClass) {
        self.replace(Self::encode(sid, class));
    }

    /// The label and class, once set.
    #[inline]
    pub(crate) fn get(&self) -> Option<(Sid, KernelClass)> {
        Self::decode(self.word.load())
    }

    /// Gives the object the label of `other`.
    pub(crate) fn copy_from(&self, other: &Self) {
        self.replace(other.word.load());
    }

    /// Checks that `ssid` has `requested` on the object (nothing to check
    /// while it has no label): answered by the last decision when it
    /// granted as much to `ssid` under the current generation, else by
    /// `server`, and then remembered if the policy grants it without
    /// auditing it.
    #[inline(always)]
    pub(crate) fn has_perm(
        &self,
        server: &SecurityServer,
        ssid: Sid,
        requested: u32,
        object: impl FnOnce() -> AuditObject<'static>,
    ) -> Result {
        if self.granted(ssid, requested) {
            return Ok(());
        }
        self.has_perm_checked(server, ssid, requested, object())
    }

    /// Whether the last decision on the object granted `requested` to
    /// `ssid` under the current generation: two loads and a compare.
    #[inline(always)]
    pub(crate) fn granted(&self, ssid: Sid, requested: u32) -> bool {
        Access::of_class_perms(requested).is_some_and(|access| {
            last_decision::grants(self.decision.load(), ssid, DECISIONS.current(), access)
        })
    }

    /// [`Self::has_perm`] when the last decision does not answer (the
    /// caller asked [`Self::granted`]).
    #[inline(never)]
    pub(crate) fn has_perm_checked(
        &self,
        server: &SecurityServer,
        ssid: Sid,
        requested: u32,
        object: AuditObject<'_>,
    ) -> Result {
        // The generation before the label (see `crate::last_decision`).
        let generation = DECISIONS.current();
        let word = self.word.load();
        let Some((tsid, class)) = Self::decode(word) else {
            return Ok(());
        };
        let grant = server.check(ssid, tsid, class, requested, object, true)?;
        if let (Grant::Clean, Some(access)) = (grant, Access::of_class_perms(requested)) {
            record_checked(&self.word, &self.decision, word, ssid, generation, access);
        }
        Ok(())
    }

    /// Stores the label word `word`, then forgets the last decision.
    fn replace(&self, word: u64) {
        self.word.store(word);
        forget(&self.decision);
    }

    fn encode(sid: Sid, class: KernelClass) -> u64 {
        (u64::from(sid) << 32) | (class.index() as u64).wrapping_add(1)
    }

    fn decode(word: u64) -> Option<(Sid, KernelClass)> {
        let class = usize::try_from(word & 0xffff).ok()?.checked_sub(1)?;
        Some(((word >> 32) as Sid, KernelClass::from_index(class)?))
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
