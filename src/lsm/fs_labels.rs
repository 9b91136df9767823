// SPDX-License-Identifier: GPL-2.0

//! A filesystem's labels, kept in its superblock's security blob: the
//! filesystem's own label (the object of the `filesystem` checks), and
//! the labels its mount options give its files ([`crate::mount_options`]).
//!
//! The filesystem's label is `fscontext=` or `context=` when the mount
//! gave one, else its type's in the policy (`fs_use_xattr`, `fs_default`),
//! else the `file` initial label. It is computed once per superblock, at
//! its first mount under a policy or at its first check after the first
//! policy load, and kept (as SELinux keeps a superblock's SID): the checks
//! on a mounted filesystem do not search the policy's filesystem rules.
//!
//! The options are recorded once, when the superblock is set up
//! (`sb_set_mnt_opts`, with the superblock locked): the values first, then
//! the flags that say which were given, so that a reader that sees a flag
//! sees its value.

use core::sync::atomic::{AtomicUsize, Ordering};

use kernel::prelude::*;

use crate::framework::{BlobWord, SuperBlock};
use crate::label_word::LabelWord;
use crate::mount_options::MountLabels;
use crate::policy::InitialSid;
use crate::policy_store::Sid;
use crate::security_server::SecurityServer;
use crate::Carapace;

/// The superblock is set up ([`SuperBlockLabels::initialize`] ran).
const INITIALIZED: u64 = 1 << 0;
/// `fscontext=` was given.
const FSCONTEXT: u64 = 1 << 1;
/// `context=` was given.
const CONTEXT: u64 = 1 << 2;
/// `defcontext=` was given.
const DEFCONTEXT: u64 = 1 << 3;
/// `rootcontext=` was given.
const ROOTCONTEXT: u64 = 1 << 4;

/// Carapace's part of a superblock's security blob.
#[derive(Zeroable)]
pub(crate) struct SuperBlockLabels {
    /// The filesystem's label, as a [`LabelWord`]: zero until computed.
    fs_label: BlobWord,
    /// [`INITIALIZED`] and the options given.
    flags: BlobWord,
    /// The SIDs the options name (valid when their flag is set).
    fscontext: BlobWord,
    context: BlobWord,
    defcontext: BlobWord,
    rootcontext: BlobWord,
}

impl SuperBlockLabels {
    /// Whether the superblock is set up.
    pub(crate) fn is_initialized(&self) -> bool {
        self.flags.load() & INITIALIZED != 0
    }

    /// The label `context=` gives every file of the filesystem.
    #[inline]
    pub(crate) fn context(&self) -> Option<Sid> {
        self.option(CONTEXT, &self.context)
    }

    /// The label `defcontext=` gives files without a label attribute.
    pub(crate) fn defcontext(&self) -> Option<Sid> {
        self.option(DEFCONTEXT, &self.defcontext)
    }

    fn option(&self, flag: u64, value: &BlobWord) -> Option<Sid> {
        // The flag is stored after the value (see the module doc).
        (self.flags.load() & flag != 0).then(|| value.load() as Sid)
    }

    /// The label options the superblock was set up with.
    pub(crate) fn options(&self) -> MountLabels {
        MountLabels {
            fscontext: self.option(FSCONTEXT, &self.fscontext),
            context: self.context(),
            defcontext: self.defcontext(),
            rootcontext: self.option(ROOTCONTEXT, &self.rootcontext),
        }
    }

    /// Records the setup of the superblock: its `options`, and its label
    /// `fs_label` when known. Called once per superblock, with it locked.
    pub(crate) fn initialize(&self, options: &MountLabels, fs_label: Option<Sid>) {
        if let Some(sid) = fs_label {
            self.fs_label.store(LabelWord::known(sid).encode());
        }
        let mut flags = INITIALIZED;
        if options.is_empty() {
            self.flags.store(flags);
            return;
        }
        for (sid, flag, word) in [
            (options.fscontext, FSCONTEXT, &self.fscontext),
            (options.context, CONTEXT, &self.context),
            (options.defcontext, DEFCONTEXT, &self.defcontext),
            (options.rootcontext, ROOTCONTEXT, &self.rootcontext),
        ] {
            if let Some(sid) = sid {
                word.store(u64::from(sid));
                flags |= flag;
            }
        }
        self.flags.store(flags);
    }
}

/// The label of filesystem `sb`, computed and kept at the first call
/// under a policy. 0 (`kernel`) when no policy is loaded.
#[inline]
pub(crate) fn filesystem_sid(server: &SecurityServer, sb: &SuperBlock) -> Sid {
    let cell = &sb.security::<Carapace>().fs_label;
    let word = cell.load();
    match LabelWord::decode(word).valid_under(server.seqno()) {
        Some(sid) => sid,
        None => compute_filesystem_sid(server, sb, word),
    }
}

/// [`filesystem_sid`] the first time: from the policy's rules, kept
/// unless a setup stored a label meanwhile.
#[cold]
fn compute_filesystem_sid(server: &SecurityServer, sb: &SuperBlock, seen: u64) -> Sid {
    let Some(sid) = policy_filesystem_sid(server, sb) else {
        return 0;
    };
    let cell = &sb.security::<Carapace>().fs_label;
    match cell.compare_exchange(seen, LabelWord::known(sid).encode()) {
        Ok(_) => sid,
        Err(stored) => LabelWord::decode(stored).sid,
    }
}

/// Where the policy's filesystem rule found last is: most mounts are of
/// the type mounted before, so the next lookup tries it first (a guess,
/// checked against the rule's key: [`fs_index_find`]).
///
/// [`fs_index_find`]: crate::policy::fs_index::fs_index_find
static LAST_FS_RULE: AtomicUsize = AtomicUsize::new(0);

/// The label the policy gives filesystem `sb`: its type's, else the
/// `file` initial label. `None` when no policy is loaded.
pub(crate) fn policy_filesystem_sid(server: &SecurityServer, sb: &SuperBlock) -> Option<Sid> {
    let Some(key) = sb.fs_type_key() else {
        // A name longer than a key: searched by name.
        return server.with_policy(|policy, db| match db.fs_default(sb.fs_type().as_bytes()) {
            Some(ty) => policy.sid_of(ty),
            None => policy.initial(db, InitialSid::File),
        });
    };
    server.with_loaded_policy(|policy| {
        let hint = LAST_FS_RULE.load(Ordering::Relaxed);
        match policy.fs_type_sid(key, hint) {
            Some((rule, sid)) => {
                if rule != hint {
                    LAST_FS_RULE.store(rule, Ordering::Relaxed);
                }
                sid
            }
            None => policy.initial(&policy.db(), InitialSid::File),
        }
    })
}
