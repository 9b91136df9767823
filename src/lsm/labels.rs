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
//! - The mount options of the filesystem come first
//!   ([`crate::fs_labels`]): `context=` labels every inode, new ones too,
//!   and `defcontext=` the inodes without an attribute.
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
//!
//! Every change of an inode's label word clears the inode's last decision
//! after it ([`crate::last_decision::forget`]), and a decision is
//! remembered only on a label the inode stores ([`InodeSid::stored`]).

use core::sync::atomic::{AtomicU64, Ordering};

use kernel::{c_str, prelude::*};

use crate::classmap::KernelClass;
use crate::framework::{BlobWord, Dentry, Inode};
use crate::label_word::{
    begin_compute, finish_compute, LabelCell, LabelState, LabelWord, UsedLabel,
};
use crate::last_decision::{self, forget, record_checked, Access, Generation, ObjectWord};
use crate::policy::{FileLabel, InitialSid, LabelAttr};
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
/// [`LabelWord`], and the last decision on it ([`crate::last_decision`]).
#[derive(Zeroable)]
pub(crate) struct InodeLabel {
    word: BlobWord,
    decision: BlobWord,
    /// The class of a socket's inode (its index + 1), set with its label
    /// before the socket has a descriptor; 0 for every other inode, whose
    /// class follows from its kind.
    socket_class: BlobWord,
}

impl ObjectWord for BlobWord {
    fn load(&self) -> u64 {
        BlobWord::load(self)
    }

    fn store(&self, value: u64) {
        BlobWord::store(self, value)
    }
}

/// The label word, as label computations change it: each change clears
/// the last decision after it ([`forget`]).
impl LabelCell for InodeLabel {
    fn load(&self) -> u64 {
        self.word.load()
    }

    fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64> {
        let seen = self.word.compare_exchange(current, new)?;
        forget(&self.decision);
        Ok(seen)
    }
}

/// Tickets of label computations, so that each pending mark is unique:
/// 62 bits of them are kept (see [`LabelWord::pending`]).
static TICKETS: AtomicU64 = AtomicU64::new(0);

impl InodeLabel {
    /// The label and the word it was loaded from.
    #[inline]
    fn get(&self) -> (LabelWord, u64) {
        let word = self.word.load();
        (LabelWord::decode(word), word)
    }

    /// Marks the label as being computed; see [`begin_compute`].
    fn begin(&self) -> u64 {
        let ticket = TICKETS.fetch_add(1, Ordering::Relaxed);
        begin_compute(self, self.word.load(), ticket)
    }

    /// Whether `ssid` was granted `access` on this inode under policy
    /// generation `generation`.
    #[inline(always)]
    pub(crate) fn granted(&self, ssid: Sid, generation: Generation, access: Access) -> bool {
        last_decision::grants(self.decision.load(), ssid, generation, access)
    }

    /// Records that `ssid` was granted `access` under `generation`, which
    /// was read before the label word `used` the decision was made on.
    /// Kept only while the inode's label is still `used`.
    pub(crate) fn record(&self, used: u64, ssid: Sid, generation: Generation, access: Access) {
        record_checked(&self.word, &self.decision, used, ssid, generation, access);
    }

    /// The label last computed for the inode, valid or not under the
    /// policy in force (`None`: none yet). Never computes it.
    pub(crate) fn last_sid(&self) -> Option<Sid> {
        let label = LabelWord::decode(self.word.load());
        matches!(label.state, LabelState::Known | LabelState::UntilReload).then_some(label.sid)
    }

    /// Sets the final label `sid` of a `/proc/PID` inode, which
    /// `task_to_inode` sets again at every lookup: nothing is stored (and
    /// nothing forgotten) when the label is already `sid`.
    pub(crate) fn set_task_label(&self, sid: Sid) {
        let word = LabelWord::known(sid).encode();
        if self.word.load() != word {
            self.replace(word);
        }
    }

    /// Sets the final label `sid` of a new inode.
    pub(crate) fn set_known(&self, sid: Sid) {
        self.replace(LabelWord::known(sid).encode());
    }

    /// Labels a socket's inode `sid`, of the socket's `class`.
    pub(crate) fn set_socket(&self, sid: Sid, class: KernelClass) {
        self.socket_class
            .store((class.index() as u64).wrapping_add(1));
        self.set_known(sid);
    }

    /// The class of a socket's inode.
    #[inline]
    pub(crate) fn socket_class(&self) -> Option<KernelClass> {
        let index = usize::try_from(self.socket_class.load()).ok()?;
        KernelClass::from_index(index.checked_sub(1)?)
    }

    /// Relabels the inode to `sid` (`None`: a name the policy lacks; the
    /// label is computed again at the next check). Always forgets the last
    /// decision, even when a concurrent computation stored the same label
    /// first: the relabel is done only once no grant on the old label is
    /// left.
    pub(crate) fn relabel(&self, sid: Option<Sid>) {
        self.replace(sid.map_or(LabelWord::UNKNOWN, LabelWord::known).encode());
    }

    /// Stores the label word `word`, then forgets the last decision.
    fn replace(&self, word: u64) {
        self.word.swap(word);
        forget(&self.decision);
    }
}

/// The label of an inode for a check: its SID, and the label word it
/// came from when the inode stores it (see [`UsedLabel`]).
#[derive(Clone, Copy)]
pub(crate) struct InodeSid {
    /// The label.
    pub(crate) sid: Sid,
    /// The inode's label word, when it holds `sid`: a decision on it may
    /// be remembered.
    pub(crate) stored: Option<u64>,
}

impl From<UsedLabel> for InodeSid {
    fn from(used: UsedLabel) -> Self {
        Self {
            sid: used.label.sid,
            stored: used.stored,
        }
    }
}

/// The label of `inode`, computed first if needed (which may sleep).
///
/// `Err(ECHILD)` when it must be computed but `may_block` is false: the
/// caller retries in a context that may sleep (ref-walk).
#[inline]
pub(crate) fn inode_sid(server: &SecurityServer, inode: &Inode, may_block: bool) -> Result<Sid> {
    inode_label(server, inode, may_block).map(|label| label.sid)
}

/// [`inode_sid`], with the label word it came from.
#[inline]
pub(crate) fn inode_label(
    server: &SecurityServer,
    inode: &Inode,
    may_block: bool,
) -> Result<InodeSid> {
    let (label, word) = inode.security::<Carapace>().get();
    if let Some(sid) = label.valid_under(server.seqno()) {
        return Ok(InodeSid {
            sid,
            stored: Some(word),
        });
    }
    if !may_block {
        return Err(ECHILD);
    }
    Ok(inode
        .with_alias(|dentry| label_inode(server, dentry, inode))
        .unwrap_or_else(|| label_without_dentry(server, inode)))
}

/// The label of `inode` for a check made while it has no hashed dentry.
/// Stored only when it does not depend on the attribute.
fn label_without_dentry(server: &SecurityServer, inode: &Inode) -> InodeSid {
    if let Some(context) = inode.superblock().security::<Carapace>().context() {
        let pending = inode.security::<Carapace>().begin();
        return label_from_mount(server, inode, context, pending);
    }
    let fs = inode.fs_type().as_bytes();
    let from_attr = server.with_policy(|policy, db| {
        (db.fs_uses_xattr(fs) && inode.supports_xattr())
            .then(|| policy.initial(db, InitialSid::Unlabeled))
    });
    match from_attr.flatten() {
        // Computed again at the next check; nothing is remembered.
        Some(unlabeled) => InodeSid {
            sid: unlabeled,
            stored: None,
        },
        None => {
            let pending = inode.security::<Carapace>().begin();
            label_from_fs(server, inode, LabelAttr::NotRead, pending)
        }
    }
}

/// Computes and records the label of `inode`, attached to `dentry`.
/// May sleep.
pub(crate) fn label_inode(server: &SecurityServer, dentry: &Dentry, inode: &Inode) -> InodeSid {
    // Before the attribute is read: a relabel from here on wins.
    let pending = inode.security::<Carapace>().begin();
    let mount = inode.superblock().security::<Carapace>();
    if let Some(context) = mount.context() {
        return label_from_mount(server, inode, context, pending);
    }
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
    let without_attr = matches!(attr, LabelAttr::Absent | LabelAttr::NotRead);
    if let Some(default) = mount.defcontext().filter(|_| without_attr) {
        return label_from_mount(server, inode, default, pending);
    }
    label_from_fs(server, inode, attr, pending)
}

/// Records the label `sid` a mount option gives `inode`, unless the word
/// is no longer `pending`.
fn label_from_mount(server: &SecurityServer, inode: &Inode, sid: Sid, pending: u64) -> InodeSid {
    let cell = inode.security::<Carapace>();
    finish_compute(cell, pending, LabelWord::known(sid), server.seqno()).into()
}

/// Records the label of `inode` from its filesystem's rule and `attr`,
/// unless the word is no longer `pending` (see [`InodeLabel::begin`]).
fn label_from_fs(
    server: &SecurityServer,
    inode: &Inode,
    attr: LabelAttr<'_>,
    pending: u64,
) -> InodeSid {
    let fs = inode.fs_type().as_bytes();
    let decided = server.with_policy(|policy, db| match db.file_label(fs, attr) {
        FileLabel::Final(t) => LabelWord::known(policy.sid_of(t)),
        FileLabel::Unmapped(t) => LabelWord::until_reload(policy.sid_of(t), policy.seqno()),
    });
    // No policy: nothing to map labels with yet.
    let label = decided.unwrap_or(LabelWord::until_reload(0, 0));
    let cell = inode.security::<Carapace>();
    finish_compute(cell, pending, label, server.seqno()).into()
}

/// The label of a new file of `class` that the domain `domain` creates in
/// the directory `dir`, labelled `dir_sid`: the `context=` label of its
/// filesystem, else [`new_object_sid`].
pub(crate) fn new_file_sid(
    server: &SecurityServer,
    domain: Sid,
    dir: &Inode,
    dir_sid: Sid,
    class: KernelClass,
) -> Option<Sid> {
    match dir.superblock().security::<Carapace>().context() {
        Some(context) => Some(context),
        None => new_object_sid(server, domain, dir_sid, class),
    }
}

/// The label of a new object of `class` that the domain `domain` creates
/// in a directory labelled `dir`: the policy's `type_transition`, else
/// the directory's label. `None` when no policy is loaded.
#[inline]
pub(crate) fn new_object_sid(
    server: &SecurityServer,
    domain: Sid,
    dir: Sid,
    class: KernelClass,
) -> Option<Sid> {
    // Sockets and IPC objects of most policies: no policy to read at all
    // (all classes may have transitions before the first load).
    if !server.may_have_transitions(class) {
        return Some(dir);
    }
    new_object_sid_of_policy(server, domain, dir, class)
}

/// [`new_object_sid`] from the policy in force.
#[inline(never)]
fn new_object_sid_of_policy(
    server: &SecurityServer,
    domain: Sid,
    dir: Sid,
    class: KernelClass,
) -> Option<Sid> {
    server.with_loaded_policy(|policy| {
        if !policy.class_has_transitions(class) {
            return dir;
        }
        let db = policy.db();
        db.type_transition(policy.type_of(&db, domain), policy.type_of(&db, dir), class)
            .map_or(dir, |t| policy.sid_of(t))
    })
}
