// SPDX-License-Identifier: GPL-2.0

//! Mounting, unmounting and querying filesystems, and the mount options
//! that label them.
//!
//! As in SELinux: a new mount needs `filesystem { mount }` on the
//! filesystem's label, a remount `{ remount }`, an unmount `{ unmount }`,
//! `statfs()` `{ getattr }`; mounting anything on a directory (a new
//! mount, a bind, a move) needs `mounton` on it. A filesystem's label is
//! kept in its superblock ([`crate::fs_labels`]).
//!
//! The mount options `fscontext=`, `context=`, `defcontext=` and
//! `rootcontext=` ([`crate::mount_options`]) name types of the policy in
//! force; a name it lacks is refused (`EINVAL`). Setting up a filesystem
//! with them needs, from the mounting domain, `filesystem { relabelfrom }`
//! on the filesystem's label and `relabelto` on the new one
//! (`fscontext=`, or `context=` without it), and for each label its files
//! get (`context=`, `rootcontext=`, `defcontext=`) `relabelfrom` on the
//! filesystem's label and, from the file label itself, `filesystem {
//! associate }` on it (SELinux's `may_context_mount_sb_relabel()` and
//! `may_context_mount_inode_relabel()`). Another mount of a superblock
//! already set up must name the same labels, a remount may not change
//! them: `EBUSY` otherwise.

use kernel::{c_str, prelude::*};

use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::current_sid;
use crate::framework::{hook_list, MountHooks, Path, SeqFile, SuperBlock};
use crate::fs_labels::{filesystem_sid, policy_filesystem_sid};
use crate::labels::inode_sid;
use crate::mount_options::{unquote, MountLabel, MountLabels};
use crate::policy::InitialSid;
use crate::policy_store::Sid;
use crate::security_server::{server_with_policy, SecurityServer};
use crate::Carapace;

use super::inode::object_class;

hook_list!(pub(crate) MOUNT_HOOKS: superblock for Carapace => [
    sb_eat_lsm_opts,
    fs_context_parse_param,
    sb_free_mnt_opts,
    fs_context_dup,
    fs_context_submount,
    sb_set_mnt_opts,
    sb_mnt_opts_compat,
    sb_remount,
    sb_clone_mnt_opts,
    sb_show_options,
    sb_kern_mount,
    sb_mount,
    sb_umount,
    sb_statfs,
    move_mount,
]);

/// Longest label name a mount option may give.
const MAX_LABEL: usize = 256;

/// Filesystems whose mounts in a user namespace may carry label options,
/// as in SELinux: their files live in memory, owned by that namespace.
const USER_NS_LABELLED: [&[u8]; 4] = [b"tmpfs", b"ramfs", b"devpts", b"overlay"];

impl MountHooks for Carapace {
    type MountOptions = MountLabels;

    const MOUNT_OPTION_KEYS: &'static [&'static [u8]] = &MountLabel::KEYS;

    /// Takes `context=` and the other label options; the name must be a
    /// type of the policy in force.
    fn parse_mount_option(
        options: &mut Option<KBox<MountLabels>>,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<bool> {
        let Some(which) = MountLabel::from_key(key) else {
            return Ok(false);
        };
        let name = which.name();
        let mut buf = [0u8; MAX_LABEL];
        let Some(label) = value.and_then(|value| unquote(value, &mut buf)) else {
            pr_warn!("mount option {name}= needs a label name (at most {MAX_LABEL} bytes)\n");
            return Err(EINVAL);
        };
        let Some(server) = server_with_policy() else {
            pr_warn!("mount option {name}= refused: no policy is loaded\n");
            return Err(EINVAL);
        };
        let Some(sid) = server.sid_by_name(label) else {
            pr_warn!(
                "mount option {name}={:?} refused: not a type of the policy in force\n",
                kernel::str::BStr::from_bytes(label)
            );
            return Err(EINVAL);
        };
        let options = match options {
            Some(options) => options,
            None => options.insert(KBox::new(MountLabels::NONE, GFP_KERNEL)?),
        };
        if options.set(which, sid).is_err() {
            pr_warn!("mount option {name}= given twice, or context= with defcontext=\n");
            return Err(EINVAL);
        }
        Ok(true)
    }

    /// Sets up `sb` with its labels, or checks that another mount of it
    /// names the same ones.
    fn sb_set_mnt_opts(sb: &SuperBlock, options: Option<&MountLabels>) -> Result {
        let labels = sb.security::<Carapace>();
        let options = options.filter(|options| !options.is_empty());
        if labels.is_initialized() {
            return same_labels(sb, labels.options().admits_mount(options), "mount");
        }
        let Some(server) = server_with_policy() else {
            // Options cannot be parsed without a policy: none here.
            labels.initialize(&MountLabels::NONE, None);
            return Ok(());
        };
        let Some(options) = options else {
            labels.initialize(&MountLabels::NONE, policy_filesystem_sid(server, sb));
            return Ok(());
        };
        let fs = sb.fs_type().as_bytes();
        if !sb.in_init_user_ns() && !USER_NS_LABELLED.contains(&fs) {
            pr_warn!(
                "label mount options refused for {} in a user namespace\n",
                sb.fs_type()
            );
            return Err(EACCES);
        }
        let fs_sid = check_relabel(server, sb, options)?;
        labels.initialize(options, Some(fs_sid));
        // The root may have been labelled while the filesystem was filled.
        if let Some(root) = sb.root().and_then(|root| root.inode()) {
            let cell = root.security::<Carapace>();
            match options.rootcontext.or(options.context) {
                Some(sid) => cell.set_known(sid),
                None => cell.relabel(None),
            }
        }
        Ok(())
    }

    /// NFS: may `sb` serve a mount with `options`?
    fn sb_mnt_opts_compat(sb: &SuperBlock, options: Option<&MountLabels>) -> bool {
        let labels = sb.security::<Carapace>();
        let options = options.filter(|options| !options.is_empty());
        if !labels.is_initialized() {
            return options.is_none();
        }
        labels.options().admits_mount(options)
    }

    /// A remount may repeat the labels, not change them.
    fn sb_remount(sb: &SuperBlock, options: Option<&MountLabels>) -> Result {
        let labels = sb.security::<Carapace>();
        if !labels.is_initialized() {
            return Ok(());
        }
        let options = options.filter(|options| !options.is_empty());
        same_labels(sb, labels.options().admits_remount(options), "remount")
    }

    /// NFS submounts take their parent's labels.
    fn sb_clone_mnt_opts(old: &SuperBlock, new: &SuperBlock) -> Result {
        let old_labels = old.security::<Carapace>();
        let new_labels = new.security::<Carapace>();
        let options = old_labels.options();
        if new_labels.is_initialized() {
            return same_labels(new, new_labels.options() == options, "mount");
        }
        let fs_sid = server_with_policy().map(|server| filesystem_sid(server, old));
        new_labels.initialize(&options, fs_sid.filter(|&sid| sid != 0));
        if let (Some(sid), Some(root)) = (
            options.rootcontext.or(options.context),
            new.root().and_then(|root| root.inode()),
        ) {
            root.security::<Carapace>().set_known(sid);
        }
        Ok(())
    }

    /// An automounted submount takes the labels of the filesystem it is
    /// under, but for the root's.
    fn fs_context_submount(reference: &SuperBlock) -> Result<Option<KBox<MountLabels>>> {
        let options = MountLabels {
            rootcontext: None,
            ..reference.security::<Carapace>().options()
        };
        if options.is_empty() {
            return Ok(None);
        }
        Ok(Some(KBox::new(options, GFP_KERNEL)?))
    }

    /// `/proc/mounts` shows the labels the filesystem was mounted with.
    fn sb_show_options(sb: &SuperBlock, out: &mut SeqFile) -> Result {
        let labels = sb.security::<Carapace>();
        if !labels.is_initialized() {
            return Ok(());
        }
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let options = labels.options();
        for (which, name) in [
            (MountLabel::FsContext, c_str!("fscontext")),
            (MountLabel::Context, c_str!("context")),
            (MountLabel::DefContext, c_str!("defcontext")),
            (MountLabel::RootContext, c_str!("rootcontext")),
        ] {
            if let Some(sid) = options.get(which) {
                let mut label = KVec::new();
                server.sid_name(sid, &mut label)?;
                out.mount_option(name, &label);
            }
        }
        Ok(())
    }

    /// `sb_kern_mount`: `filesystem { mount }`.
    fn sb_kern_mount(sb: &SuperBlock) -> Result {
        filesystem_has_perm(sb, perm::FILESYSTEM_MOUNT)
    }

    /// `sb_mount`: `filesystem { remount }` on the filesystem at `path`,
    /// or `mounton` on `path`.
    fn sb_mount(path: &Path, remount: bool) -> Result {
        if remount {
            return filesystem_has_perm(path.dentry().superblock(), perm::FILESYSTEM_REMOUNT);
        }
        mounton(path)
    }

    /// `sb_umount`: `filesystem { unmount }`.
    fn sb_umount(sb: &SuperBlock) -> Result {
        filesystem_has_perm(sb, perm::FILESYSTEM_UNMOUNT)
    }

    /// `sb_statfs`: `filesystem { getattr }`.
    fn sb_statfs(sb: &SuperBlock) -> Result {
        filesystem_has_perm(sb, perm::FILESYSTEM_GETATTR)
    }

    /// `move_mount`: `mounton` on the destination.
    fn move_mount(to: &Path) -> Result {
        mounton(to)
    }
}

/// `Ok` when a mount or remount of `sb` keeps its labels (`same`), else
/// `EBUSY` and a log line.
fn same_labels(sb: &SuperBlock, same: bool, what: &str) -> Result {
    if same {
        return Ok(());
    }
    pr_warn!(
        "{what} refused: {} (dev {:?}) is mounted with other label options\n",
        sb.fs_type(),
        kernel::str::BStr::from_bytes(sb.id()),
    );
    Err(EBUSY)
}

/// Checks that the current domain may set up `sb` with the labels
/// `options` names; returns the filesystem's label.
fn check_relabel(server: &SecurityServer, sb: &SuperBlock, options: &MountLabels) -> Result<Sid> {
    let mut fs_sid = policy_filesystem_sid(server, sb).unwrap_or(0);
    if let Some(sid) = options.fscontext {
        relabel_filesystem(server, sb, fs_sid, sid)?;
        fs_sid = sid;
    }
    if let Some(sid) = options.context {
        if options.fscontext.is_none() {
            relabel_filesystem(server, sb, fs_sid, sid)?;
            fs_sid = sid;
        } else {
            relabel_files(server, sb, fs_sid, sid)?;
        }
    }
    if let Some(sid) = options.rootcontext.or(options.context) {
        relabel_files(server, sb, fs_sid, sid)?;
    }
    if let Some(sid) = options.defcontext {
        let fs = sb.fs_type().as_bytes();
        let (uses_xattr, file) = server
            .with_policy(|policy, db| (db.fs_uses_xattr(fs), policy.initial(db, InitialSid::File)))
            .unwrap_or((false, 0));
        if !uses_xattr {
            pr_warn!(
                "defcontext= refused for {}: the policy does not label it by attribute\n",
                sb.fs_type()
            );
            return Err(EINVAL);
        }
        if sid != file {
            relabel_files(server, sb, fs_sid, sid)?;
        }
    }
    Ok(fs_sid)
}

/// The audit object of a check on `sb`: its root.
fn sb_object(sb: &SuperBlock) -> AuditObject<'_> {
    sb.root()
        .and_then(|root| root.inode())
        .map_or(AuditObject::None, AuditObject::Inode)
}

/// Relabelling the filesystem from `from` to `to`: `filesystem {
/// relabelfrom }` on `from` and `{ relabelto }` on `to`.
fn relabel_filesystem(server: &SecurityServer, sb: &SuperBlock, from: Sid, to: Sid) -> Result {
    let (sid, class, object) = (current_sid(), KernelClass::Filesystem, sb_object(sb));
    server.has_perm(sid, from, class, perm::FILESYSTEM_RELABELFROM, object, true)?;
    server.has_perm(sid, to, class, perm::FILESYSTEM_RELABELTO, object, true)
}

/// Giving files of the filesystem labelled `fs_sid` the label `label`:
/// `filesystem { relabelfrom }` on `fs_sid`, and `label` may be
/// associated with it.
fn relabel_files(server: &SecurityServer, sb: &SuperBlock, fs_sid: Sid, label: Sid) -> Result {
    let (sid, class, object) = (current_sid(), KernelClass::Filesystem, sb_object(sb));
    let (from, associate) = (perm::FILESYSTEM_RELABELFROM, perm::FILESYSTEM_ASSOCIATE);
    server.has_perm(sid, fs_sid, class, from, object, true)?;
    server.has_perm(label, fs_sid, class, associate, object, true)
}

/// Checks `requested` of class `filesystem` from the current domain on
/// `sb`'s label.
fn filesystem_has_perm(sb: &SuperBlock, requested: u32) -> Result {
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let label = filesystem_sid(server, sb);
    let class = KernelClass::Filesystem;
    server.has_perm(current_sid(), label, class, requested, sb_object(sb), true)
}

/// Checks `mounton` from the current domain on the object at `path`, in
/// its class.
fn mounton(path: &Path) -> Result {
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let Some(inode) = path.dentry().inode() else {
        return Ok(());
    };
    let isid = inode_sid(server, inode, true)?;
    let (class, requested) = object_class(inode, perm::FILE_MOUNTON);
    let object = AuditObject::Inode(inode);
    server.has_perm(current_sid(), isid, class, requested, object, true)
}
