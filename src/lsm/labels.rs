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

use kernel::{c_str, prelude::*};

use crate::classmap::KernelClass;
use crate::lsm::{BlobWord, Dentry, Inode, InodeKind};
use crate::policy::{FileLabel, LabelAttr};
use crate::policy_store::Sid;
use crate::security_server::SecurityServer;

/// The attribute that holds a file's label (the type name, no NUL).
pub(crate) const LABEL_XATTR: &CStr = c_str!("security.carapace");
/// [`LABEL_XATTR`] after `security.`.
pub(crate) const LABEL_XATTR_SUFFIX: &CStr = c_str!("carapace");

/// Longest label read from the attribute.
const MAX_LABEL: usize = 256;

/// How far an inode's label is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LabelState {
    /// Not computed yet.
    Unknown = 0,
    /// Valid while the policy in force is the one it was computed under:
    /// computed with no policy loaded, or from an attribute naming a type
    /// that policy lacks (a later policy may define it, as SELinux maps
    /// such contexts again at each load).
    UntilReload = 1,
    /// Final.
    Known = 2,
}

/// Bits of the policy seqno kept with a label valid until a reload.
const SEQNO_MASK: u32 = (1 << 30) - 1;

/// Carapace's part of an inode's security blob: its label.
///
/// One word holds the SID (bits 0..32), a policy seqno (32..62) and the
/// [`LabelState`] (62..64), so readers never see one without the others.
#[derive(Zeroable)]
pub(crate) struct InodeLabel {
    word: BlobWord,
}

impl InodeLabel {
    #[inline]
    fn get(&self) -> (LabelState, u32, Sid) {
        let word = self.word.load();
        let state = match word >> 62 {
            1 => LabelState::UntilReload,
            2 => LabelState::Known,
            _ => LabelState::Unknown,
        };
        (state, (word >> 32) as u32 & SEQNO_MASK, word as Sid)
    }

    fn set(&self, state: LabelState, seqno: u32, sid: Sid) {
        let high = ((state as u64) << 30) | u64::from(seqno & SEQNO_MASK);
        self.word.store((high << 32) | u64::from(sid));
    }

    /// Sets the final label `sid`.
    pub(crate) fn set_known(&self, sid: Sid) {
        self.set(LabelState::Known, 0, sid);
    }

    /// Forgets the label: it is computed again at the next check.
    pub(crate) fn invalidate(&self) {
        self.set(LabelState::Unknown, 0, 0);
    }
}

/// The security class of an inode of `kind`.
#[inline]
pub(crate) fn class_of(kind: InodeKind) -> KernelClass {
    match kind {
        InodeKind::File => KernelClass::File,
        InodeKind::Dir => KernelClass::Dir,
        InodeKind::Symlink => KernelClass::LnkFile,
        InodeKind::CharDevice => KernelClass::ChrFile,
        InodeKind::BlockDevice => KernelClass::BlkFile,
        InodeKind::Socket => KernelClass::SockFile,
        InodeKind::Fifo => KernelClass::FifoFile,
    }
}

/// The label of `inode`, computed first if needed (which may sleep).
///
/// `Err(ECHILD)` when it must be computed but `may_block` is false: the
/// caller retries in a context that may sleep (ref-walk).
#[inline]
pub(crate) fn inode_sid(server: &SecurityServer, inode: &Inode, may_block: bool) -> Result<Sid> {
    let label = inode.security::<crate::Carapace>();
    match label.get() {
        (LabelState::Known, _, sid) => return Ok(sid),
        (LabelState::UntilReload, seqno, sid) if seqno == server.seqno() & SEQNO_MASK => {
            return Ok(sid)
        }
        _ => {}
    }
    if !may_block {
        return Err(ECHILD);
    }
    Ok(inode
        .with_alias(|dentry| label_inode(server, dentry, inode))
        .unwrap_or_else(|| label_from_fs(server, inode, LabelAttr::NotRead)))
}

/// Computes and records the label of `inode`, attached to `dentry`.
/// May sleep.
pub(crate) fn label_inode(server: &SecurityServer, dentry: &Dentry, inode: &Inode) -> Sid {
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
    label_from_fs(server, inode, attr)
}

/// Records the label of `inode` from its filesystem's rule and `attr`.
fn label_from_fs(server: &SecurityServer, inode: &Inode, attr: LabelAttr<'_>) -> Sid {
    let label = inode.security::<crate::Carapace>();
    let fs = inode.fs_type().as_bytes();
    let decided = server.with_policy(|policy, db| match db.file_label(fs, attr) {
        FileLabel::Final(t) => (LabelState::Known, 0, policy.sid_of(t)),
        FileLabel::Unmapped(t) => (LabelState::UntilReload, policy.seqno(), policy.sid_of(t)),
    });
    // No policy: nothing to map labels with yet.
    let (state, seqno, sid) = decided.unwrap_or((LabelState::UntilReload, 0, 0));
    label.set(state, seqno, sid);
    sid
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
