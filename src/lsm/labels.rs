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
use crate::framework::{BlobWord, Dentry, Inode};
use crate::label_word::LabelWord;
use crate::policy::{FileLabel, LabelAttr};
use crate::policy_store::Sid;
use crate::security_server::SecurityServer;
use crate::Carapace;

/// The attribute that holds a file's label (the type name, no NUL).
pub(crate) const LABEL_XATTR: &CStr = c_str!("security.carapace");
/// [`LABEL_XATTR`] after `security.`.
pub(crate) const LABEL_XATTR_SUFFIX: &CStr = c_str!("carapace");

/// Longest label read from the attribute.
const MAX_LABEL: usize = 256;

/// Carapace's part of an inode's security blob: its label, one
/// [`LabelWord`].
#[derive(Zeroable)]
pub(crate) struct InodeLabel {
    word: BlobWord,
}

impl InodeLabel {
    #[inline]
    fn get(&self) -> LabelWord {
        LabelWord::decode(self.word.load())
    }

    fn set(&self, label: LabelWord) {
        self.word.store(label.encode());
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
    let fs = inode.fs_type().as_bytes();
    let decided = server.with_policy(|policy, db| match db.file_label(fs, attr) {
        FileLabel::Final(t) => LabelWord::known(policy.sid_of(t)),
        FileLabel::Unmapped(t) => LabelWord::until_reload(policy.sid_of(t), policy.seqno()),
    });
    // No policy: nothing to map labels with yet.
    let label = decided.unwrap_or(LabelWord::until_reload(0, 0));
    inode.security::<Carapace>().set(label);
    label.sid
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
