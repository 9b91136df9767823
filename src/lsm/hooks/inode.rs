// SPDX-License-Identifier: GPL-2.0

//! Inodes and their labels.
//!
//! The object of each check is the inode's label ([`crate::labels`]) in
//! the class of its kind (`file`, `dir`, `lnk_file` …).

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass, COMMON_FILE_SOCK_PERMS};
use crate::domain::current_sid;
use crate::file_access::access_perms;
use crate::framework::{
    hook_list, AccessMask, AttrChange, Dentry, Inode, InodeHooks, InodeKind, NewXattr, Path,
    SuperBlock,
};
use crate::fs_labels::filesystem_sid;
use crate::labels::{
    inode_label, inode_sid, label_inode, new_file_sid, InodeSid, LABEL_XATTR, LABEL_XATTR_SUFFIX,
};
use crate::last_decision::{Access, Generation};
use crate::policy::label_name;
use crate::policy_store::Sid;
use crate::security_server::{server_with_policy, Grant, SecurityServer, DECISIONS};
use crate::Carapace;

hook_list!(pub(crate) INODE_HOOKS: inode for Carapace => [
    d_instantiate,
    inode_init_security,
    inode_create,
    inode_mkdir,
    inode_mknod,
    inode_symlink,
    inode_link,
    inode_unlink,
    inode_rmdir,
    inode_rename,
    inode_readlink,
    inode_follow_link,
    inode_permission,
    inode_setattr,
    inode_getattr,
    inode_xattr_skipcap,
    inode_setxattr,
    inode_post_setxattr,
    inode_removexattr,
    inode_getsecurity,
    inode_listsecurity,
    inode_getxattr,
    inode_listxattr,
]);

impl InodeHooks for Carapace {
    /// `d_instantiate`: labels an inode the first time it gets a name.
    /// Not a socket's: `socket_post_create` or `socket_accept` labels it
    /// (the accepted socket's file is made before `socket_accept`). Nor
    /// one of a filesystem being filled, whose mount options are not
    /// known yet: its first check labels it.
    fn d_instantiate(dentry: &Dentry, inode: &Inode) {
        let Some(server) = server_with_policy() else {
            return;
        };
        if inode.on_sockfs() || !inode.superblock().security::<Carapace>().is_initialized() {
            return;
        }
        if inode_sid(server, inode, false).is_err() {
            label_inode(server, dentry, inode);
        }
    }

    /// `inode_init_security`: the label of a new inode, also stored in its
    /// `security.carapace` attribute when the filesystem keeps attributes.
    fn inode_init_security(inode: &Inode, dir: &Inode, xattrs: Option<NewXattr<'_>>) -> Result {
        let server = server_with_policy().ok_or(EOPNOTSUPP)?;
        let dir_sid = inode_sid(server, dir, true)?;
        let class = inode.kind().class();
        let sid = new_file_sid(server, current_sid(), dir, dir_sid, class).ok_or(EOPNOTSUPP)?;
        inode.security::<Carapace>().set_known(sid);
        // As in SELinux, no attribute on a filesystem labelled by
        // `context=`: its files' label is the mount's.
        if dir.superblock().security::<Carapace>().context().is_some() {
            return Err(EOPNOTSUPP);
        }
        let mut value = KVec::new();
        server.sid_name(sid, &mut value)?;
        match xattrs {
            Some(xattr) => xattr.set(LABEL_XATTR_SUFFIX, value),
            None => Err(EOPNOTSUPP),
        }
    }

    /// `inode_create` and friends: `dir { search add_name }` on the parent,
    /// `create` on the label the new object will get, and that label's
    /// `filesystem { associate }` on the filesystem's label.
    fn inode_create(dir: &Inode, dentry: &Dentry, kind: InodeKind) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let (sid, dir_sid) = (current_sid(), inode_sid(server, dir, true)?);
        let object = AuditObject::Dentry(dentry);
        let add = perm::DIR_SEARCH | perm::DIR_ADD_NAME;
        server.has_perm(sid, dir_sid, KernelClass::Dir, add, object, true)?;
        let class = kind.class();
        let Some(new_sid) = new_file_sid(server, sid, dir, dir_sid, class) else {
            return Ok(());
        };
        server.has_perm(sid, new_sid, class, perm::FILE_CREATE, object, true)?;
        may_associate(server, new_sid, dir.superblock(), object)
    }

    /// `inode_link`: `dir { search add_name }` and `link` on the object.
    fn inode_link(old: &Dentry, dir: &Inode, new: &Dentry) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        dir_has_perm(server, dir, perm::DIR_SEARCH | perm::DIR_ADD_NAME, new)?;
        dentry_has_perm(server, old, perm::FILE_LINK)
    }

    /// `inode_unlink`, `inode_rmdir`: `dir { search remove_name }` and
    /// `unlink` (`rmdir` for a directory) on the object.
    fn inode_unlink(dir: &Inode, dentry: &Dentry) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        dir_has_perm(
            server,
            dir,
            perm::DIR_SEARCH | perm::DIR_REMOVE_NAME,
            dentry,
        )?;
        dentry_has_perm(server, dentry, remove_perm(dentry))
    }

    /// `inode_rename`: removing from the old directory, `rename` (and
    /// `reparent` for a directory that moves), adding to the new one, and
    /// removing the object replaced.
    fn inode_rename(old_dir: &Inode, old: &Dentry, new_dir: &Inode, new: &Dentry) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        dir_has_perm(
            server,
            old_dir,
            perm::DIR_SEARCH | perm::DIR_REMOVE_NAME,
            old,
        )?;
        let moves_dir = old.inode().map(Inode::kind) == Some(InodeKind::Dir)
            && !core::ptr::eq(old_dir, new_dir);
        let mut requested = perm::FILE_RENAME;
        if moves_dir {
            requested |= perm::DIR_REPARENT;
        }
        dentry_has_perm(server, old, requested)?;
        let mut add = perm::DIR_SEARCH | perm::DIR_ADD_NAME;
        if new.inode().is_some() {
            add |= perm::DIR_REMOVE_NAME;
        }
        dir_has_perm(server, new_dir, add, new)?;
        dentry_has_perm(server, new, remove_perm(new))
    }

    /// `inode_readlink`, `inode_follow_link`: `lnk_file { read }`.
    fn inode_follow_link(dentry: &Dentry, inode: &Inode, may_block: bool) -> Result {
        inode_access(inode, Access::READ, AuditObject::Dentry(dentry), may_block)
    }

    /// `inode_permission`: `read`, `write`/`append`, `execute` (`search` for a
    /// directory). An existence check (no access bits) is not mediated.
    #[inline]
    fn inode_permission(inode: &Inode, mask: AccessMask) -> Result {
        let access = Access::from_may(mask.bits());
        if access.is_empty() || inode_granted(inode, access) {
            return Ok(());
        }
        inode_permission_checked(inode, access, mask.may_block())
    }

    /// `inode_setattr`: `setattr` for metadata, `write` for a size change.
    fn inode_setattr(dentry: &Dentry, change: AttrChange) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        match change.changes_metadata() {
            None => Ok(()),
            Some(true) => dentry_has_perm(server, dentry, perm::FILE_SETATTR),
            Some(false) => dentry_has_perm(server, dentry, perm::FILE_WRITE),
        }
    }

    /// `inode_getattr`: `getattr` (`stat`).
    fn inode_getattr(path: &Path) -> Result {
        let dentry = path.dentry();
        match dentry.inode() {
            Some(inode) => inode_access(inode, Access::GETATTR, AuditObject::Dentry(dentry), true),
            None => Ok(()),
        }
    }

    /// `inode_xattr_skipcap`: carapace alone decides who sets its label
    /// (no `CAP_SYS_ADMIN` check).
    fn inode_xattr_skipcap(name: &CStr) -> bool {
        is_label(name)
    }

    /// `inode_setxattr`. Setting the label is relabelling: it needs
    /// `CAP_MAC_ADMIN`, `security { relabel }`, `relabelfrom` on the old label
    /// and `relabelto` on the new one, which must be a type of the policy in
    /// force. Other attributes need `setattr`.
    fn inode_setxattr(dentry: &Dentry, name: &CStr, value: &[u8]) -> Result {
        let server = server_with_policy();
        if !is_label(name) {
            return match server {
                Some(server) => dentry_has_perm(server, dentry, perm::FILE_SETATTR),
                None => Ok(()),
            };
        }
        // With no policy loaded, `authorize` asks only for the capability.
        let server = crate::security_server::server()?;
        let sid = current_sid();
        server.authorize(sid, perm::SECURITY_RELABEL, true)?;
        if !server.policy_loaded() {
            return Ok(());
        }
        let inode = dentry.inode().ok_or(ENOENT)?;
        // A filesystem mounted with `context=` has one label for all its
        // files (as in SELinux).
        let mount = inode.superblock().security::<Carapace>();
        if mount.context().is_some() {
            return Err(EOPNOTSUPP);
        }
        let label = label_name(value);
        let Some(new_sid) = server.sid_by_name(label) else {
            pr_warn!(
                "refusing label {:?} on {:?}: not a type of the policy in force\n",
                kernel::str::BStr::from_bytes(label),
                kernel::str::BStr::from_bytes(dentry.name(&mut [0u8; 64])),
            );
            return Err(EINVAL);
        };
        let (class, _) = object_class(inode, 0);
        let old_sid = inode_sid(server, inode, true)?;
        let object = AuditObject::Dentry(dentry);
        server.has_perm(sid, old_sid, class, perm::FILE_RELABELFROM, object, true)?;
        server.has_perm(sid, new_sid, class, perm::FILE_RELABELTO, object, true)?;
        may_associate(server, new_sid, inode.superblock(), object)
    }

    /// `inode_getxattr`, `inode_listxattr`: `getattr`, as for `stat`.
    fn inode_getxattr(dentry: &Dentry) -> Result {
        match server_with_policy() {
            Some(server) => dentry_has_perm(server, dentry, perm::FILE_GETATTR),
            None => Ok(()),
        }
    }

    /// `inode_post_setxattr`: a new label takes effect at once.
    fn inode_post_setxattr(dentry: &Dentry, name: &CStr, value: &[u8]) {
        let (true, Some(inode)) = (is_label(name), dentry.inode()) else {
            return;
        };
        let sid = server_with_policy().and_then(|server| server.sid_by_name(label_name(value)));
        inode.security::<Carapace>().relabel(sid);
    }

    /// `inode_removexattr`: a label can be changed but not removed, as in
    /// SELinux; other attributes need `setattr`.
    fn inode_removexattr(dentry: &Dentry, name: &CStr) -> Result {
        if is_label(name) {
            return Err(EACCES);
        }
        match server_with_policy() {
            Some(server) => dentry_has_perm(server, dentry, perm::FILE_SETATTR),
            None => Ok(()),
        }
    }

    /// `inode_getsecurity`: `security.carapace` reads the label in force (the
    /// stored attribute when no policy is loaded).
    fn inode_getsecurity(inode: &Inode, suffix: &CStr) -> Result<KVec<u8>> {
        if suffix.as_bytes() != LABEL_XATTR_SUFFIX.as_bytes() {
            return Err(EOPNOTSUPP);
        }
        let server = server_with_policy().ok_or(EOPNOTSUPP)?;
        let sid = inode_sid(server, inode, true)?;
        let mut name = KVec::new();
        server.sid_name(sid, &mut name)?;
        Ok(name)
    }
}

/// Checks that the current domain has `access` on `inode`: answered by
/// the inode's last decision when it granted the same domain as much
/// under the current generation, else by the security server (and then
/// recorded if the policy grants it without auditing it).
#[inline(always)]
pub(crate) fn inode_access(
    inode: &Inode,
    access: Access,
    object: AuditObject<'_>,
    may_block: bool,
) -> Result {
    if inode_granted(inode, access) {
        return Ok(());
    }
    inode_access_checked(inode, access, object, may_block)
}

/// Whether the inode's last decision grants `access` to the current
/// domain under the current generation. A few loads and a compare, no
/// call: the fast path of every file check.
#[inline(always)]
fn inode_granted(inode: &Inode, access: Access) -> bool {
    inode_granted_to(inode, current_sid(), access)
}

/// [`inode_granted`] for `sid`, the current domain.
#[inline(always)]
pub(crate) fn inode_granted_to(inode: &Inode, sid: Sid, access: Access) -> bool {
    inode_granted_under(inode, sid, DECISIONS.current(), access)
}

/// [`inode_granted_to`] under policy generation `generation`.
#[inline(always)]
pub(crate) fn inode_granted_under(
    inode: &Inode,
    sid: Sid,
    generation: Generation,
    access: Access,
) -> bool {
    inode
        .security::<Carapace>()
        .granted(sid, generation, access)
}

/// Whether files labelled `sid` may live on filesystem `sb`: `filesystem
/// { associate }`, asked by the file's label of the filesystem's (as in
/// SELinux), so that a policy can keep a type off a filesystem.
fn may_associate(
    server: &SecurityServer,
    sid: Sid,
    sb: &SuperBlock,
    object: AuditObject<'_>,
) -> Result {
    let fs_sid = filesystem_sid(server, sb);
    let (class, associate) = (KernelClass::Filesystem, perm::FILESYSTEM_ASSOCIATE);
    server.has_perm(sid, fs_sid, class, associate, object, true)
}

/// [`inode_access`] when the inode's last decision does not answer.
#[inline(never)]
pub(crate) fn inode_access_checked(
    inode: &Inode,
    access: Access,
    object: AuditObject<'_>,
    may_block: bool,
) -> Result {
    // The kernel's own inodes (a System V shared memory segment's file,
    // reached through /proc/PID/map_files …) are checked by the hooks of
    // what they implement, as in SELinux.
    if inode.is_private() {
        return Ok(());
    }
    // Before the label (see `crate::last_decision`).
    let generation = DECISIONS.current();
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let label = inode_label(server, inode, may_block)?;
    inode_check(server, inode, label, generation, access, object)
}

/// Checks that the current domain has `access` on `inode`, labelled
/// `label`, and records a clean grant under `generation`, which was read
/// before the label.
pub(crate) fn inode_check(
    server: &SecurityServer,
    inode: &Inode,
    label: InodeSid,
    generation: Generation,
    access: Access,
    object: AuditObject<'_>,
) -> Result {
    let sid = current_sid();
    let kind = inode.kind();
    let (class, requested) = object_class(inode, access_perms(access, kind));
    let grant = server.check(sid, label.sid, class, requested, object, true)?;
    if let (Grant::Clean, Some(used)) = (grant, label.stored) {
        inode
            .security::<Carapace>()
            .record(used, sid, generation, access);
    }
    Ok(())
}

/// [`InodeHooks::inode_permission`] when the inode's last decision does
/// not answer.
#[inline(never)]
fn inode_permission_checked(inode: &Inode, access: Access, may_block: bool) -> Result {
    inode_access_checked(inode, access, AuditObject::Inode(inode), may_block)
}

/// Checks that the current domain has `requested` on `inode`.
#[inline]
fn inode_has_perm(
    server: &SecurityServer,
    inode: &Inode,
    requested: u32,
    object: AuditObject<'_>,
    may_block: bool,
) -> Result {
    let sid = inode_sid(server, inode, may_block)?;
    let (class, requested) = object_class(inode, requested);
    server.has_perm(current_sid(), sid, class, requested, object, true)
}

/// The class `inode` is checked as, and what of the file permissions
/// `requested` that class has: a socket's inode is checked as its socket
/// (`tcp_socket { read }` …), with the permissions socket classes share
/// with files; any other inode as its kind.
#[inline]
pub(crate) fn object_class(inode: &Inode, requested: u32) -> (KernelClass, u32) {
    match inode.security::<Carapace>().socket_class() {
        Some(class) => (class, requested & FILE_SOCK_PERMS),
        None => (inode.kind().class(), requested),
    }
}

/// The file permissions a socket class has too (`ioctl` … `map`).
const FILE_SOCK_PERMS: u32 = (1 << COMMON_FILE_SOCK_PERMS) - 1;

/// Checks `requested` on a directory, naming the entry `dentry` in it.
fn dir_has_perm(server: &SecurityServer, dir: &Inode, requested: u32, dentry: &Dentry) -> Result {
    inode_has_perm(server, dir, requested, AuditObject::Dentry(dentry), true)
}

/// Checks `requested` on the inode of `dentry` (nothing for a negative one).
fn dentry_has_perm(server: &SecurityServer, dentry: &Dentry, requested: u32) -> Result {
    match dentry.inode() {
        Some(inode) => inode_has_perm(server, inode, requested, AuditObject::Dentry(dentry), true),
        None => Ok(()),
    }
}

/// The permission that removes `dentry`'s object: `rmdir` or `unlink`.
fn remove_perm(dentry: &Dentry) -> u32 {
    match dentry.inode().map(Inode::kind) {
        Some(InodeKind::Dir) => perm::DIR_RMDIR,
        _ => perm::FILE_UNLINK,
    }
}

/// Whether `name` is carapace's label attribute.
fn is_label(name: &CStr) -> bool {
    name.as_bytes() == LABEL_XATTR.as_bytes()
}
