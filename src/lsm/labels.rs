// SPDX-License-Identifier: GPL-2.0

//! Inode labels: where an object's security identifier comes from.
//!
//! - A `/proc/PID` entry carries its task's domain (`task_to_inode`).
//! - A new file gets the type the policy's `type_transition` gives for the
//!   creating domain, its parent's type and its class, else its parent's
//!   type; it is stored in the `security.carapace` attribute when the
//!   filesystem keeps attributes.
//! - Any other inode is labelled when first attached to a dentry, from the
//!   policy's rule for its filesystem ([`crate::policy::PolicyDb::file_label`]):
//!   `fs_use_xattr` reads the attribute (the filesystem's type when there
//!   is none, `unlabeled` when it names no type of the policy),
//!   `fs_default` gives one type to every inode; a filesystem the policy
//!   does not name gets the `file` initial label.
//!
//! A label computed before any policy is loaded, or from an attribute
//! naming a type the policy in force lacks (then `unlabeled`), is computed
//! again at the first check under the next policy.
//!
//! Computing a label may sleep (it reads the attribute) and races with
//! relabelling: the label word is marked pending first and the result
//! stored only if the word is still that pending mark
//! ([`crate::label_word::begin_compute`]), so a relabel that lands
//! meanwhile is never overwritten by a label read from the old attribute.
//!
//! An inode checked before it has a hashed dentry (`d_find_alias` finds
//! none) on a filesystem labelled from the attribute cannot have its
//! attribute read: the check uses `unlabeled`, as SELinux does, and nothing
//! is recorded, so the label is computed at the next check (or when the
//! inode gets its dentry) instead of the filesystem's type sticking as if
//! it were final.

use core::sync::atomic::{AtomicU32, Ordering};

use kernel::{c_str, prelude::*};

use crate::classmap::KernelClass;
use crate::framework::{BlobWord, Dentry, Inode};
use crate::label_word::{begin_compute, finish_compute, LabelCell, LabelState, LabelWord};
use crate::last_decision::{self, Access, Generation};
use crate::policy::{FileLabel, InitialSid, LabelAttr};
use crate::policy_store::Sid;
use crate::security_server::{SecurityServer, DECISIONS};
use crate::Carapace;

/// The attribute that holds a file's label (the type name, no NUL).
pub(crate) const LABEL_XATTR: &CStr = c_str!("security.carapace");
/// [`LABEL_XATTR`] after `security.`.
pub(crate) const LABEL_XATTR_SUFFIX: &CStr = c_str!("carapace");

/// Longest label read from the attribute.
const MAX_LABEL: usize = 256;

/// Carapace's part of an inode's security blob: its label, one
/// [`LabelWord`], and the last decision on it ([`crate::last_decision`]).
#[derive(Zeroable)]
pub(crate) struct InodeLabel {
    word: BlobWord,
    decision: BlobWord,
}

impl LabelCell for BlobWord {
    fn load(&self) -> u64 {
        BlobWord::load(self)
    }

    fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64> {
        BlobWord::compare_exchange(self, current, new)
    }
}

/// Tickets of label computations, so that each pending mark is unique
/// among the computations that may overlap.
static TICKETS: AtomicU32 = AtomicU32::new(0);

impl InodeLabel {
    #[inline]
    fn get(&self) -> LabelWord {
        LabelWord::decode(self.word.load())
    }

    /// Marks the label as being computed; see [`begin_compute`].
    fn begin(&self) -> u64 {
        let ticket = TICKETS.fetch_add(1, Ordering::Relaxed);
        begin_compute(&self.word, self.word.load(), ticket)
    }

    /// Stores `label`. Changing a label in use makes every recorded
    /// decision stale: the new label first, then the generation.
    fn set(&self, label: LabelWord) {
        let word = label.encode();
        // `task_to_inode` sets the same label at every `/proc/PID` lookup:
        // no store (and no generation) when nothing changes.
        if self.word.load() == word {
            return;
        }
        let old = LabelWord::decode(self.word.swap(word));
        let in_use = matches!(old.state, LabelState::Known | LabelState::UntilReload);
        if in_use && old != label {
            DECISIONS.advance();
        }
    }

    /// Whether `ssid` was granted `access` on this inode under decision
    /// generation `generation`.
    #[inline(always)]
    pub(crate) fn granted(&self, ssid: Sid, generation: Generation, access: Access) -> bool {
        last_decision::grants(self.decision.load(), ssid, generation, access)
    }

    /// Records that `ssid` was granted `access` under `generation`, which
    /// was read before the label the decision was made on.
    pub(crate) fn record(&self, ssid: Sid, generation: Generation, access: Access) {
        let word = self.decision.load();
        let new = last_decision::record(word, ssid, generation, access);
        if new != word {
            self.decision.store(new);
        }
    }

    /// Sets the final label `sid`.
    pub(crate) fn set_known(&self, sid: Sid) {
        self.set(LabelWord::known(sid));
    }

    /// Forgets the label: it is computed again at the next check.
    pub(crate) fn invalidate(&self) {
        self.set(LabelWord::UNKNOWN);
    }
}

/// The label of `inode`, computed first if needed (which may sleep).
///
/// `Err(ECHILD)` when it must be computed but `may_block` is false: the
/// caller retries in a context that may sleep (ref-walk).
#[inline]
pub(crate) fn inode_sid(server: &SecurityServer, inode: &Inode, may_block: bool) -> Result<Sid> {
    if let Some(sid) = inode
        .security::<Carapace>()
        .get()
        .valid_under(server.seqno())
    {
        return Ok(sid);
    }
    if !may_block {
        return Err(ECHILD);
    }
    Ok(inode
        .with_alias(|dentry| label_inode(server, dentry, inode))
        .unwrap_or_else(|| label_without_dentry(server, inode)))
}

/// The label of `inode` for a check made while it has no hashed dentry.
/// Recorded only when it does not depend on the attribute.
fn label_without_dentry(server: &SecurityServer, inode: &Inode) -> Sid {
    let fs = inode.fs_type().as_bytes();
    let from_attr = server.with_policy(|policy, db| {
        (db.fs_uses_xattr(fs) && inode.supports_xattr())
            .then(|| policy.initial(db, InitialSid::Unlabeled))
    });
    match from_attr.flatten() {
        // Retried at the next check.
        Some(unlabeled) => unlabeled,
        None => {
            let pending = inode.security::<Carapace>().begin();
            label_from_fs(server, inode, LabelAttr::NotRead, pending)
        }
    }
}

/// Computes and records the label of `inode`, attached to `dentry`.
/// May sleep.
pub(crate) fn label_inode(server: &SecurityServer, dentry: &Dentry, inode: &Inode) -> Sid {
    // Before the attribute is read: a relabel from here on wins.
    let pending = inode.security::<Carapace>().begin();
    let fs = inode.fs_type().as_bytes();
    let uses_xattr = server.with_policy(|_, db| db.fs_uses_xattr(fs)) == Some(true);
    let mut buf = [0u8; MAX_LABEL];
    let attr = if uses_xattr && inode.supports_xattr() {
        match dentry.read_xattr(inode, LABEL_XATTR, &mut buf) {
            Ok(Some(value)) => LabelAttr::Value(value),
            Ok(None) => LabelAttr::Absent,
            Err(_) => LabelAttr::Unreadable,
        }
    } else {
        LabelAttr::NotRead
    };
    label_from_fs(server, inode, attr, pending)
}

/// Records the label of `inode` from its filesystem's rule and `attr`,
/// unless the word is no longer `pending` (see [`InodeLabel::begin`]).
fn label_from_fs(server: &SecurityServer, inode: &Inode, attr: LabelAttr<'_>, pending: u64) -> Sid {
    let fs = inode.fs_type().as_bytes();
    let decided = server.with_policy(|policy, db| match db.file_label(fs, attr) {
        FileLabel::Final(t) => LabelWord::known(policy.sid_of(t)),
        FileLabel::Unmapped(t) => LabelWord::until_reload(policy.sid_of(t), policy.seqno()),
    });
    // No policy: nothing to map labels with yet.
    let label = decided.unwrap_or(LabelWord::until_reload(0, 0));
    let word = &inode.security::<Carapace>().word;
    finish_compute(word, pending, label, server.seqno()).sid
}

/// The label of a new object of `class` that the domain `domain` creates
/// in a directory labelled `dir`: the policy's `type_transition`, else
/// the directory's label. `None` when no policy is loaded.
pub(crate) fn new_object_sid(
    server: &SecurityServer,
    domain: Sid,
    dir: Sid,
    class: KernelClass,
) -> Option<Sid> {
    server.with_policy(|policy, db| {
        db.type_transition(policy.type_of(db, domain), policy.type_of(db, dir), class)
            .map_or(dir, |t| policy.sid_of(t))
    })
}
