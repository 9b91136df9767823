// SPDX-License-Identifier: GPL-2.0

//! Inodes, open files and their labels.
//!
//! The object of each check is the inode's label ([`crate::labels`]) in
//! the class of its kind (`file`, `dir`, `lnk_file` …); the common file
//! permissions have the same bits in every file class, so the `FILE_*`
//! masks serve for all of them.

use kernel::prelude::*;

use super::{current_sid, enforcing_server};
use crate::classmap::{perm, KernelClass};
use crate::labels::{
    class_of, inode_sid, label_inode, new_object_sid, LABEL_XATTR, LABEL_XATTR_SUFFIX,
};
use crate::lsm::{
    AccessMask, AttrChange, BlobWord, Dentry, Inode, InodeKind, IoctlCmd, IoctlKind, MapProt,
    NewXattrs, OpenFile, Path,
};
use crate::policy::label_name;
use crate::policy_store::Sid;
use crate::security_server::{AuditObject, SecurityServer};
use crate::Carapace;

/// Carapace's part of an open file's security blob.
#[derive(Zeroable)]
pub(crate) struct FileSecurity {
    /// The domain that opened the file.
    opener: BlobWord,
    /// What `file_open` checked, as `inode SID << 32 | policy seqno` (0:
    /// nothing): reads and writes by the opener need no new check while
    /// both are unchanged.
    checked: BlobWord,
}

impl FileSecurity {
    /// Records the domain that opens the file.
    pub(crate) fn set_opener(&self, sid: Sid) {
        self.opener.store(u64::from(sid));
    }

    #[inline]
    fn opener(&self) -> Sid {
        self.opener.load() as Sid
    }
}

fn checked_word(isid: Sid, seqno: u32) -> u64 {
    (u64::from(isid) << 32) | u64::from(seqno)
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
    server.has_perm(
        current_sid(),
        sid,
        class_of(inode.kind()),
        requested,
        object,
        true,
    )
}

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

/// The permissions a `MAY_*` mask asks of an inode of `kind`.
#[inline]
fn mask_to_perms(kind: InodeKind, mask: AccessMask) -> u32 {
    let mut perms = 0;
    if mask.read() {
        perms |= perm::FILE_READ;
    }
    if kind == InodeKind::Dir {
        if mask.exec() {
            perms |= perm::DIR_SEARCH;
        }
        if mask.write() || mask.append() {
            perms |= perm::FILE_WRITE;
        }
        return perms;
    }
    if mask.exec() {
        perms |= perm::FILE_EXECUTE;
    }
    if mask.append() {
        perms |= perm::FILE_APPEND;
    } else if mask.write() {
        perms |= perm::FILE_WRITE;
    }
    perms
}

/// The permissions the access mode of an open file implies.
fn open_mode_perms(file: &OpenFile) -> u32 {
    let mut perms = 0;
    if file.readable() {
        perms |= perm::FILE_READ;
    }
    if file.writable() {
        perms |= if file.appends() {
            perm::FILE_APPEND
        } else {
            perm::FILE_WRITE
        };
    }
    perms
}

/// Checks `requested` on an open file: `fd { use }` on the opener's
/// domain if another domain uses it, then `requested` on its inode.
fn file_has_perm(server: &SecurityServer, file: &OpenFile, requested: u32) -> Result {
    let (sid, opener) = (current_sid(), file.security::<Carapace>().opener());
    if sid != opener {
        server.has_perm(
            sid,
            opener,
            KernelClass::Fd,
            perm::FD_USE,
            AuditObject::File(file),
            true,
        )?;
    }
    if requested == 0 {
        return Ok(());
    }
    inode_has_perm(
        server,
        file.inode(),
        requested,
        AuditObject::File(file),
        true,
    )
}

/// `d_instantiate`: labels an inode the first time it gets a name.
pub(super) fn d_instantiate(dentry: &Dentry, inode: &Inode) {
    let Some(server) = enforcing_server() else {
        return;
    };
    if inode_sid(server, inode, false).is_err() {
        label_inode(server, dentry, inode);
    }
}

/// `inode_init_security`: the label of a new inode, also stored in its
/// `security.carapace` attribute when the filesystem keeps attributes.
pub(super) fn inode_init_security(
    inode: &Inode,
    dir: &Inode,
    xattrs: Option<NewXattrs<'_>>,
) -> Result {
    let server = enforcing_server().ok_or(EOPNOTSUPP)?;
    let dir_sid = inode_sid(server, dir, true)?;
    let class = class_of(inode.kind());
    let sid = new_object_sid(server, current_sid(), dir_sid, class).ok_or(EOPNOTSUPP)?;
    inode.security::<Carapace>().set_known(sid);
    let mut value = KVec::new();
    server.sid_name(sid, &mut value)?;
    match xattrs.map(|mut xattrs| xattrs.add(LABEL_XATTR_SUFFIX, value)) {
        Some(true) => Ok(()),
        _ => Err(EOPNOTSUPP),
    }
}

/// `inode_create` and friends: `dir { search add_name }` on the parent and
/// `create` on the label the new object will get.
pub(super) fn inode_create(dir: &Inode, dentry: &Dentry, kind: InodeKind) -> Result {
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    let (sid, dir_sid) = (current_sid(), inode_sid(server, dir, true)?);
    let object = AuditObject::Dentry(dentry);
    let add = perm::DIR_SEARCH | perm::DIR_ADD_NAME;
    server.has_perm(sid, dir_sid, KernelClass::Dir, add, object, true)?;
    let class = class_of(kind);
    let Some(new_sid) = new_object_sid(server, sid, dir_sid, class) else {
        return Ok(());
    };
    server.has_perm(sid, new_sid, class, perm::FILE_CREATE, object, true)
}

/// `inode_link`: `dir { search add_name }` and `link` on the object.
pub(super) fn inode_link(old: &Dentry, dir: &Inode, new: &Dentry) -> Result {
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    dir_has_perm(server, dir, perm::DIR_SEARCH | perm::DIR_ADD_NAME, new)?;
    dentry_has_perm(server, old, perm::FILE_LINK)
}

/// The permission that removes `dentry`'s object: `rmdir` or `unlink`.
fn remove_perm(dentry: &Dentry) -> u32 {
    match dentry.inode().map(Inode::kind) {
        Some(InodeKind::Dir) => perm::DIR_RMDIR,
        _ => perm::FILE_UNLINK,
    }
}

/// `inode_unlink`, `inode_rmdir`: `dir { search remove_name }` and
/// `unlink` (`rmdir` for a directory) on the object.
pub(super) fn inode_unlink(dir: &Inode, dentry: &Dentry) -> Result {
    let Some(server) = enforcing_server() else {
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
pub(super) fn inode_rename(old_dir: &Inode, old: &Dentry, new_dir: &Inode, new: &Dentry) -> Result {
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    dir_has_perm(
        server,
        old_dir,
        perm::DIR_SEARCH | perm::DIR_REMOVE_NAME,
        old,
    )?;
    let moves_dir =
        old.inode().map(Inode::kind) == Some(InodeKind::Dir) && !core::ptr::eq(old_dir, new_dir);
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
pub(super) fn inode_follow_link(dentry: &Dentry, inode: &Inode, may_block: bool) -> Result {
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    inode_has_perm(
        server,
        inode,
        perm::FILE_READ,
        AuditObject::Dentry(dentry),
        may_block,
    )
}

/// `inode_permission`: `read`, `write`/`append`, `execute` (`search` for a
/// directory). An existence check (no access bits) is not mediated.
pub(super) fn inode_permission(inode: &Inode, mask: AccessMask) -> Result {
    let requested = mask_to_perms(inode.kind(), mask);
    if requested == 0 {
        return Ok(());
    }
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    inode_has_perm(
        server,
        inode,
        requested,
        AuditObject::Inode(inode),
        mask.may_block(),
    )
}

/// `inode_setattr`: `setattr` for metadata, `write` for a size change.
pub(super) fn inode_setattr(dentry: &Dentry, change: AttrChange) -> Result {
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    match change.changes_metadata() {
        None => Ok(()),
        Some(true) => dentry_has_perm(server, dentry, perm::FILE_SETATTR),
        Some(false) => dentry_has_perm(server, dentry, perm::FILE_WRITE),
    }
}

/// `inode_getattr`: `getattr` (`stat`).
pub(super) fn inode_getattr(path: &Path) -> Result {
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    dentry_has_perm(server, path.dentry(), perm::FILE_GETATTR)
}

/// Whether `name` is carapace's label attribute.
fn is_label(name: &CStr) -> bool {
    name.as_bytes() == LABEL_XATTR.as_bytes()
}

/// `inode_setxattr`. Setting the label is relabelling: it needs
/// `CAP_MAC_ADMIN`, `security { relabel }`, `relabelfrom` on the old label
/// and `relabelto` on the new one, which must be a type of the policy in
/// force. Other attributes need `setattr`.
pub(super) fn inode_setxattr(dentry: &Dentry, name: &CStr, value: &[u8]) -> Result {
    let server = enforcing_server();
    if !is_label(name) {
        return match server {
            Some(server) => dentry_has_perm(server, dentry, perm::FILE_SETATTR),
            None => Ok(()),
        };
    }
    // With no policy loaded, `authorize` asks only for the capability.
    let server = super::server()?;
    let sid = current_sid();
    server.authorize(sid, perm::SECURITY_RELABEL, true)?;
    if !server.policy_loaded() {
        return Ok(());
    }
    let inode = dentry.inode().ok_or(ENOENT)?;
    let label = label_name(value);
    let Some(new_sid) = server.sid_by_name(label) else {
        pr_warn!(
            "refusing label {:?} on {:?}: not a type of the policy in force\n",
            kernel::str::BStr::from_bytes(label),
            kernel::str::BStr::from_bytes(dentry.name(&mut [0u8; 64])),
        );
        return Err(EINVAL);
    };
    let class = class_of(inode.kind());
    let old_sid = inode_sid(server, inode, true)?;
    let object = AuditObject::Dentry(dentry);
    server.has_perm(sid, old_sid, class, perm::FILE_RELABELFROM, object, true)?;
    server.has_perm(sid, new_sid, class, perm::FILE_RELABELTO, object, true)
}

/// `inode_post_setxattr`: a new label takes effect at once.
pub(super) fn inode_post_setxattr(dentry: &Dentry, name: &CStr, value: &[u8]) {
    let (true, Some(inode)) = (is_label(name), dentry.inode()) else {
        return;
    };
    let label = inode.security::<Carapace>();
    match enforcing_server().and_then(|server| server.sid_by_name(label_name(value))) {
        Some(sid) => label.set_known(sid),
        None => label.invalidate(),
    }
}

/// `inode_removexattr`: a label can be changed but not removed, as in
/// SELinux; other attributes need `setattr`.
pub(super) fn inode_removexattr(dentry: &Dentry, name: &CStr) -> Result {
    if is_label(name) {
        return Err(EACCES);
    }
    match enforcing_server() {
        Some(server) => dentry_has_perm(server, dentry, perm::FILE_SETATTR),
        None => Ok(()),
    }
}

/// `inode_getsecurity`: `security.carapace` reads the label in force (the
/// stored attribute when no policy is loaded).
pub(super) fn inode_getsecurity(inode: &Inode, suffix: &CStr) -> Result<KVec<u8>> {
    if suffix.as_bytes() != LABEL_XATTR_SUFFIX.as_bytes() {
        return Err(EOPNOTSUPP);
    }
    let server = enforcing_server().ok_or(EOPNOTSUPP)?;
    let sid = inode_sid(server, inode, true)?;
    let mut name = KVec::new();
    server.sid_name(sid, &mut name)?;
    Ok(name)
}

/// `file_open`: `open` and what the access mode implies; remembered so
/// that reads and writes need no new check.
pub(super) fn file_open(file: &OpenFile) -> Result {
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    let inode = file.inode();
    let isid = inode_sid(server, inode, true)?;
    server.has_perm(
        current_sid(),
        isid,
        class_of(inode.kind()),
        open_mode_perms(file) | perm::FILE_OPEN,
        AuditObject::File(file),
        true,
    )?;
    file.security::<Carapace>()
        .checked
        .store(checked_word(isid, server.seqno()));
    Ok(())
}

/// `file_permission`: a read or write through an open file is checked
/// again when another domain uses the file, or when the file's label or
/// the policy changed since it was opened.
pub(super) fn file_permission(file: &OpenFile, mask: AccessMask) -> Result {
    let inode = file.inode();
    let requested = mask_to_perms(inode.kind(), mask);
    if requested == 0 {
        return Ok(());
    }
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    let fsec = file.security::<Carapace>();
    let isid = inode_sid(server, inode, true)?;
    if fsec.opener() == current_sid() && fsec.checked.load() == checked_word(isid, server.seqno()) {
        return Ok(());
    }
    file_has_perm(server, file, requested)
}

/// `file_ioctl`: `ioctl` for a command the file handles itself, `getattr`
/// or `setattr` for the generic inode commands, only `fd { use }` for the
/// file's flags, nothing for the descriptor table (as SELinux with its
/// `ioctl_skip_cloexec` capability).
pub(super) fn file_ioctl(file: &OpenFile, cmd: IoctlCmd) -> Result {
    let Some(server) = enforcing_server() else {
        return Ok(());
    };
    let requested = match cmd.kind() {
        IoctlKind::DescriptorOnly => return Ok(()),
        IoctlKind::FileFlags => 0,
        IoctlKind::GetAttr => perm::FILE_GETATTR,
        IoctlKind::SetAttr => perm::FILE_SETATTR,
        IoctlKind::Other => perm::FILE_IOCTL,
    };
    file_has_perm(server, file, requested)
}

/// The permissions a mapping with `prot` needs on its file: `read`,
/// `write` (shared writable mappings) and `execute`.
fn map_prot_perms(prot: MapProt) -> u32 {
    let mut requested = 0;
    if prot.read() {
        requested |= perm::FILE_READ;
    }
    if prot.shared_write() {
        requested |= perm::FILE_WRITE;
    }
    if prot.exec() {
        requested |= perm::FILE_EXECUTE;
    }
    requested
}

/// `mmap_file`: `map` and what the protection needs.
pub(super) fn mmap_file(file: Option<&OpenFile>, prot: MapProt) -> Result {
    let (Some(file), Some(server)) = (file, enforcing_server()) else {
        return Ok(());
    };
    file_has_perm(server, file, perm::FILE_MAP | map_prot_perms(prot))
}

/// `file_mprotect`: what the new protection needs, so that a mapping
/// cannot gain `PROT_EXEC` (or shared write) its file does not allow.
pub(super) fn file_mprotect(file: Option<&OpenFile>, prot: MapProt) -> Result {
    let (Some(file), Some(server)) = (file, enforcing_server()) else {
        return Ok(());
    };
    file_has_perm(server, file, map_prot_perms(prot))
}
