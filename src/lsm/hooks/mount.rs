// SPDX-License-Identifier: GPL-2.0

//! Mounting, unmounting and querying filesystems.
//!
//! As in SELinux: a new mount needs `filesystem { mount }` on the
//! filesystem's label, a remount `{ remount }`, an unmount `{ unmount }`,
//! `statfs()` `{ getattr }`; mounting anything on a directory (a new
//! mount, a bind, a move) needs `mounton` on it. A filesystem's label is
//! its type's in the policy (`fs_use_xattr`, `fs_default`), else the
//! `file` initial label. Mount options naming labels (`context=` …) are
//! not handled yet.

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::current_sid;
use crate::framework::{hook_list, MountHooks, Path, SuperBlock};
use crate::labels::inode_sid;
use crate::policy::InitialSid;
use crate::security_server::{server_with_policy, SecurityServer};
use crate::Carapace;

use super::inode::object_class;

hook_list!(pub(crate) MOUNT_HOOKS: superblock for Carapace => [
    sb_kern_mount,
    sb_mount,
    sb_umount,
    sb_statfs,
    move_mount,
]);

impl MountHooks for Carapace {
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

/// Checks `requested` of class `filesystem` from the current domain on
/// `sb`'s label.
fn filesystem_has_perm(sb: &SuperBlock, requested: u32) -> Result {
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let label = filesystem_sid(server, sb);
    let object = sb
        .root()
        .and_then(|root| root.inode())
        .map_or(AuditObject::None, AuditObject::Inode);
    let class = KernelClass::Filesystem;
    server.has_perm(current_sid(), label, class, requested, object, true)
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

/// A filesystem's label: its type's in the policy, else the `file`
/// initial label.
fn filesystem_sid(server: &SecurityServer, sb: &SuperBlock) -> u32 {
    let fs = sb.fs_type().as_bytes();
    server
        .with_policy(|policy, db| match db.fs_default(fs) {
            Some(ty) => policy.sid_of(ty),
            None => policy.initial(db, InitialSid::File),
        })
        .unwrap_or(0)
}
