// SPDX-License-Identifier: GPL-2.0

//! Inode labels: where an object's security identifier comes from.
//!
//! - A `/proc/PID` entry carries its task's domain (`task_to_inode`).
//! - A new file gets the type the policy's `type_transition` gives for the
//!   creating domain, its parent's type and its class, else its parent's
//!   type; it is stored in the `security.carapace` attribute when the
//!   filesystem keeps attributes.
//! - Any other inode is labelled when first attached to a dentry, from the
//!   policy's rule for its filesystem: `fs_use_xattr` reads the attribute
//!   (the filesystem's type when there is none, `unlabeled` when it names
//!   no type of the policy), `fs_default` gives one type to every inode; a
//!   filesystem the policy does not name gets the `file` initial label.
//!
//! A label computed before any policy is loaded is provisional and is
//! computed again at the first check after the first load.

use kernel::{c_str, prelude::*};

use crate::classmap::KernelClass;
use crate::lsm::{BlobWord, Dentry, Inode, InodeKind};
use crate::policy::InitialSid;
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
    /// Computed with no policy loaded: compute again once one is.
    Provisional = 1,
    /// Final.
    Known = 2,
}

/// Carapace's part of an inode's security blob: its label.
///
/// One word holds the SID (low half) and the [`LabelState`] (high half),
/// so readers never see one without the other.
#[derive(Zeroable)]
pub(crate) struct InodeLabel {
    word: BlobWord,
}

impl InodeLabel {
    fn get(&self) -> (LabelState, Sid) {
        let word = self.word.load();
        let state = match word >> 32 {
            1 => LabelState::Provisional,
            2 => LabelState::Known,
            _ => LabelState::Unknown,
        };
        (state, word as Sid)
    }

    fn set(&self, state: LabelState, sid: Sid) {
        self.word.store(((state as u64) << 32) | u64::from(sid));
    }

    /// Sets the final label `sid`.
    pub(crate) fn set_known(&self, sid: Sid) {
        self.set(LabelState::Known, sid);
    }

    /// Forgets the label: it is computed again at the next check.
    pub(crate) fn invalidate(&self) {
        self.set(LabelState::Unknown, 0);
    }
}

/// The security class of an inode of `kind`.
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
pub(crate) fn inode_sid(server: &SecurityServer, inode: &Inode, may_block: bool) -> Result<Sid> {
    let label = inode.security::<crate::Carapace>();
    match label.get() {
        (LabelState::Known, sid) => return Ok(sid),
        (LabelState::Provisional, sid) if server.seqno() == 0 => return Ok(sid),
        _ => {}
    }
    if !may_block {
        return Err(ECHILD);
    }
    Ok(inode
        .with_alias(|dentry| label_inode(server, dentry, inode))
        .unwrap_or_else(|| label_from_fs(server, inode, None)))
}

/// Computes and records the label of `inode`, attached to `dentry`.
/// May sleep.
pub(crate) fn label_inode(server: &SecurityServer, dentry: &Dentry, inode: &Inode) -> Sid {
    let mut buf = [0u8; MAX_LABEL];
    let attr = if inode.supports_xattr() {
        Some(dentry.read_xattr(inode, LABEL_XATTR, &mut buf))
    } else {
        None
    };
    label_from_fs(server, inode, attr)
}

/// Records the label of `inode` from its filesystem's rule and `attr`,
/// the result of reading its label attribute (`None`: not read).
fn label_from_fs(
    server: &SecurityServer,
    inode: &Inode,
    attr: Option<Result<Option<&[u8]>>>,
) -> Sid {
    let label = inode.security::<crate::Carapace>();
    let fs = inode.fs_type().as_bytes();
    let Some(sid) = server.with_policy(|policy, db| {
        let Some(rule) = db.fs_label(fs) else {
            return policy.initial(db, InitialSid::File);
        };
        match attr {
            Some(Ok(Some(name))) if rule.use_xattr => {
                let name = name.strip_suffix(b"\0").unwrap_or(name);
                policy
                    .sid_by_name(db, name)
                    .unwrap_or_else(|| policy.initial(db, InitialSid::Unlabeled))
            }
            Some(Err(_)) if rule.use_xattr => policy.initial(db, InitialSid::Unlabeled),
            _ => policy.sid_of(rule.ty),
        }
    }) else {
        label.set(LabelState::Provisional, 0);
        return 0;
    };
    label.set_known(sid);
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
