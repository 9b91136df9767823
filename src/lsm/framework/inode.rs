// SPDX-License-Identifier: GPL-2.0

//! Inodes, dentries and paths as the hooks see them, their security
//! blobs, the extended attributes that carry labels, and the hooks of the
//! inode family ([`InodeHooks`]).

use kernel::{
    bindings,
    ffi::{c_char, c_int, c_ulong},
    prelude::*,
    types::Opaque,
};

use super::{cred::blob, rcu, SecurityModule};
pub(crate) use crate::file_access::InodeKind;

/// The hooks on inodes and directory entries.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait InodeHooks: SecurityModule {
    /// `d_instantiate`: `inode` is attached to `dentry`. May sleep.
    fn d_instantiate(_dentry: &Dentry, _inode: &Inode) {}

    /// `inode_init_security`: label the new `inode` created in `dir`;
    /// `xattrs` takes the attribute the filesystem should store with it
    /// (`None` when the filesystem stores none). `EOPNOTSUPP`: nothing to
    /// store.
    fn inode_init_security(_inode: &Inode, _dir: &Inode, _xattrs: Option<NewXattr<'_>>) -> Result {
        Err(EOPNOTSUPP)
    }

    /// `inode_create`, `inode_mkdir`, `inode_mknod`, `inode_symlink`: may
    /// the current task create an object of `kind` at `dentry` in `dir`?
    fn inode_create(_dir: &Inode, _dentry: &Dentry, _kind: InodeKind) -> Result {
        Ok(())
    }

    /// `inode_link`: may the current task link `old` as `new` in `dir`?
    fn inode_link(_old: &Dentry, _dir: &Inode, _new: &Dentry) -> Result {
        Ok(())
    }

    /// `inode_unlink` and `inode_rmdir`: may the current task remove
    /// `dentry` from `dir`?
    fn inode_unlink(_dir: &Inode, _dentry: &Dentry) -> Result {
        Ok(())
    }

    /// `inode_rename`: may the current task move `old` in `old_dir` to
    /// `new` in `new_dir` (replacing `new`'s inode, if any)?
    fn inode_rename(_old_dir: &Inode, _old: &Dentry, _new_dir: &Inode, _new: &Dentry) -> Result {
        Ok(())
    }

    /// `inode_readlink` and `inode_follow_link`: may the current task read
    /// the symbolic link `inode` at `dentry`?
    fn inode_follow_link(_dentry: &Dentry, _inode: &Inode, _may_block: bool) -> Result {
        Ok(())
    }

    /// `inode_permission`: may the current task access `inode` as `mask`
    /// says? Runs in RCU path walk unless `mask.may_block()`.
    fn inode_permission(_inode: &Inode, _mask: AccessMask) -> Result {
        Ok(())
    }

    /// `inode_setattr`: may the current task change attributes of `dentry`?
    fn inode_setattr(_dentry: &Dentry, _change: AttrChange) -> Result {
        Ok(())
    }

    /// `inode_getattr`: may the current task read the attributes at `path`?
    fn inode_getattr(_path: &Path) -> Result {
        Ok(())
    }

    /// `inode_xattr_skipcap`: whether the module alone controls setting and
    /// removing extended attribute `name` (no `CAP_SYS_ADMIN` check).
    fn inode_xattr_skipcap(_name: &CStr) -> bool {
        false
    }

    /// `inode_setxattr`: may the current task set attribute `name` of
    /// `dentry` to `value`?
    fn inode_setxattr(_dentry: &Dentry, _name: &CStr, _value: &[u8]) -> Result {
        Ok(())
    }

    /// `inode_getxattr` and `inode_listxattr`: may the current task read
    /// the extended attributes of `dentry`?
    fn inode_getxattr(_dentry: &Dentry) -> Result {
        Ok(())
    }

    /// `inode_post_setxattr`: attribute `name` of `dentry` is now `value`.
    fn inode_post_setxattr(_dentry: &Dentry, _name: &CStr, _value: &[u8]) {}

    /// `inode_removexattr`: may the current task remove attribute `name`?
    fn inode_removexattr(_dentry: &Dentry, _name: &CStr) -> Result {
        Ok(())
    }

    /// `inode_getsecurity`: the value of `security.<suffix>` of `inode` as
    /// the module sees it. `EOPNOTSUPP` for attributes it does not keep.
    fn inode_getsecurity(_inode: &Inode, _suffix: &CStr) -> Result<KVec<u8>> {
        Err(EOPNOTSUPP)
    }
}

/// An inode (`struct inode`).
///
/// # Invariants
///
/// The wrapped inode is valid, with its security blob allocated by the
/// framework, for as long as the reference to this wrapper lives (under
/// RCU, in RCU path walk).
#[repr(transparent)]
pub(crate) struct Inode(Opaque<bindings::inode>);

impl Inode {
    /// # Safety
    ///
    /// `ptr` must point to a valid inode, with its security blob allocated
    /// by the framework, that stays alive for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *const bindings::inode) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    #[inline]
    fn raw(&self) -> *mut bindings::inode {
        self.0.get()
    }

    /// The module's part of the inode's security blob.
    #[inline]
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::InodeSecurity {
        // SAFETY: every inode gets a zeroed blob of the declared size when
        // a module declares one, freed only after an RCU grace period once
        // the inode is gone; `InodeSecurity` is `Zeroable` and `Sync`
        // (shared objects are updated through atomics).
        unsafe { &*blob::<M::InodeSecurity>((*self.raw()).i_security, M::blob_offsets().lbs_inode) }
    }

    /// What kind of object this is.
    #[inline]
    pub(crate) fn kind(&self) -> InodeKind {
        // SAFETY: the file type bits of `i_mode` never change.
        InodeKind::from_mode(u32::from(unsafe { (*self.raw()).i_mode }))
    }

    /// The inode number.
    pub(crate) fn ino(&self) -> u64 {
        // SAFETY: `i_ino` is set before the inode is visible.
        unsafe { (*self.raw()).i_ino as u64 }
    }

    /// The filesystem the inode belongs to.
    #[inline]
    pub(crate) fn superblock(&self) -> &super::SuperBlock {
        // SAFETY: `i_sb` is set when the inode is allocated and never
        // changes; an inode's superblock outlives it.
        unsafe { super::SuperBlock::from_raw((*self.raw()).i_sb) }
    }

    /// The name of the filesystem type (`proc`, `tmpfs` …).
    pub(crate) fn fs_type(&self) -> &CStr {
        // SAFETY: an inode's superblock and its type outlive the inode;
        // type names are static strings.
        unsafe { CStr::from_char_ptr((*(*(*self.raw()).i_sb).s_type).name) }
    }

    /// Whether the inode is a socket's, on the kernel's internal `sockfs`
    /// (the socket hooks label those).
    pub(crate) fn on_sockfs(&self) -> bool {
        // `SOCKFS_MAGIC` of include/uapi/linux/magic.h.
        const SOCKFS_MAGIC: c_ulong = 0x534F_434B;
        // SAFETY: an inode's superblock outlives it; `s_magic` is set
        // before the superblock's first inode.
        unsafe { (*(*self.raw()).i_sb).s_magic == SOCKFS_MAGIC }
    }

    /// The filesystem's identifier for audit records (`dev=`).
    pub(crate) fn fs_id(&self) -> &[u8] {
        // SAFETY: `s_id` is a NUL-terminated array set at mount time.
        let id: &[c_char; 32] = unsafe { &(*(*self.raw()).i_sb).s_id };
        // SAFETY: `c_char` is `u8` in the kernel.
        let id: &[u8; 32] = unsafe { &*core::ptr::from_ref(id).cast() };
        let len = id.iter().position(|&c| c == 0).unwrap_or(id.len());
        id.get(..len).unwrap_or(&[])
    }

    /// Whether the inode is internal to the kernel (`S_PRIVATE`), as the
    /// shmem file behind shared anonymous memory is.
    #[inline]
    pub(crate) fn is_private(&self) -> bool {
        // SAFETY: `i_flags` is a plain field; `S_PRIVATE` is set at
        // creation.
        let flags = unsafe { (*self.raw()).i_flags };
        flags & bindings::S_PRIVATE != 0
    }

    /// Whether the inode can hold extended attributes.
    pub(crate) fn supports_xattr(&self) -> bool {
        // SAFETY: `i_opflags` is a plain field; `IOP_XATTR` is set at
        // inode creation.
        u32::from(unsafe { (*self.raw()).i_opflags }) & bindings::IOP_XATTR != 0
    }

    /// Runs `f` on a dentry of this inode, if it has one.
    ///
    /// May sleep.
    pub(crate) fn with_alias<R>(&self, f: impl FnOnce(&Dentry) -> R) -> Option<R> {
        // SAFETY: the inode is valid; `d_find_alias` returns a referenced
        // dentry or null.
        let dentry = unsafe { bindings::d_find_alias(self.raw()) };
        if dentry.is_null() {
            return None;
        }
        // SAFETY: the reference taken above keeps the dentry alive.
        let result = f(unsafe { Dentry::from_raw(dentry) });
        // SAFETY: drops the reference taken by `d_find_alias`.
        unsafe { bindings::dput(dentry) };
        Some(result)
    }
}

/// A directory entry (`struct dentry`).
///
/// # Invariants
///
/// The wrapped dentry is valid for as long as the reference to this
/// wrapper lives (the caller of the hook holds a reference to it).
#[repr(transparent)]
pub(crate) struct Dentry(Opaque<bindings::dentry>);

impl Dentry {
    /// # Safety
    ///
    /// `ptr` must point to a valid dentry that stays alive for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *const bindings::dentry) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The inode, or `None` for a negative dentry.
    #[inline]
    pub(crate) fn inode(&self) -> Option<&Inode> {
        // SAFETY: `d_inode` is null or an inode that the dentry pins.
        let inode = unsafe { (*self.0.get()).d_inode };
        // SAFETY: see above; the inode lives as long as the dentry refers
        // to it, which the hook's caller ensures for the call.
        (!inode.is_null()).then(|| unsafe { Inode::from_raw(inode) })
    }

    /// The filesystem the entry belongs to.
    pub(crate) fn superblock(&self) -> &super::SuperBlock {
        // SAFETY: `d_sb` is set when the dentry is made and never changes;
        // the dentry pins its superblock.
        unsafe { super::SuperBlock::from_raw((*self.0.get()).d_sb) }
    }

    /// Copies the entry's name into `buf` (truncated to fit).
    pub(crate) fn name<'b>(&self, buf: &'b mut [u8]) -> &'b [u8] {
        let _guard = rcu::ReadGuard::new();
        // SAFETY: the name a dentry points to is freed only after an RCU
        // grace period, and is always NUL-terminated.
        let name = unsafe { CStr::from_char_ptr((*self.0.get()).d_name.name.cast()) };
        let len = name.len().min(buf.len());
        let (dst, src) = (buf.get_mut(..len), name.as_bytes().get(..len));
        match (dst, src) {
            (Some(dst), Some(src)) => {
                dst.copy_from_slice(src);
                dst
            }
            _ => &[],
        }
    }

    /// Reads extended attribute `name` of `inode` (this dentry's inode, or
    /// the one being attached to it) into `buf`, bypassing the security
    /// modules. `Ok(None)` when there is no such attribute.
    ///
    /// May sleep.
    pub(crate) fn read_xattr<'b>(
        &self,
        inode: &Inode,
        name: &CStr,
        buf: &'b mut [u8],
    ) -> Result<Option<&'b [u8]>> {
        // SAFETY: the dentry and inode are valid; `buf` is writable for
        // its length.
        let len = unsafe {
            bindings::__vfs_getxattr(
                self.0.get(),
                inode.raw(),
                name.as_char_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        match usize::try_from(len) {
            Ok(len) => Ok(buf.get(..len)),
            Err(_) => {
                let err = Error::from_errno(c_int::try_from(len).unwrap_or(-1));
                if err == ENODATA || err == EOPNOTSUPP {
                    Ok(None)
                } else {
                    Err(err)
                }
            }
        }
    }
}

/// A path (`struct path`): a mount and a dentry.
///
/// # Invariants
///
/// The wrapped path, and the references it holds, are valid for as long
/// as the reference to this wrapper lives.
#[repr(transparent)]
pub(crate) struct Path(Opaque<bindings::path>);

impl Path {
    /// # Safety
    ///
    /// `ptr` must point to a valid path that stays alive for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *const bindings::path) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The dentry the path ends at.
    pub(crate) fn dentry(&self) -> &Dentry {
        // SAFETY: a valid path holds a reference to its dentry.
        unsafe { Dentry::from_raw((*self.0.get()).dentry) }
    }

    pub(super) fn as_raw(&self) -> *const bindings::path {
        self.0.get()
    }
}

/// The access an `inode_permission` or `file_permission` check asks for
/// (`MAY_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AccessMask(pub(super) u32);

impl AccessMask {
    /// The mask itself (`MAY_*` bits).
    #[inline]
    pub(crate) fn bits(self) -> u32 {
        self.0
    }

    /// Whether the check runs in RCU path walk, where it must not sleep
    /// (`-ECHILD` asks the caller to retry in ref-walk).
    #[inline]
    pub(crate) fn may_block(self) -> bool {
        self.0 & bindings::MAY_NOT_BLOCK == 0
    }
}

/// The attributes an `inode_setattr` changes (`ATTR_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AttrChange(pub(super) u32);

impl AttrChange {
    /// Whether the change touches metadata (mode, owner, explicit times)
    /// rather than only what a write would change (size, current times).
    /// `None` when nothing needs checking (a forced mode change the
    /// kernel makes itself, as when a write clears setuid).
    pub(crate) fn changes_metadata(self) -> Option<bool> {
        let mut valid = self.0;
        if valid & bindings::ATTR_FORCE != 0 {
            valid &= !(bindings::ATTR_KILL_SUID
                | bindings::ATTR_KILL_SGID
                | bindings::ATTR_MODE
                | bindings::ATTR_FORCE);
            if valid == 0 {
                return None;
            }
        }
        let metadata = bindings::ATTR_MODE
            | bindings::ATTR_UID
            | bindings::ATTR_GID
            | bindings::ATTR_ATIME_SET
            | bindings::ATTR_MTIME_SET
            | bindings::ATTR_TIMES_SET;
        Some(valid & metadata != 0)
    }
}

/// The slot for the extended attribute a new inode gets from this module
/// (`inode_init_security`). It is filled at most once: [`NewXattr::set`]
/// consumes it.
///
/// # Invariants
///
/// `slots` points to the framework's attribute array, whose entry at
/// `*count` is free and reserved for this module (it declared one
/// attribute); the entry after it is the array's end marker.
pub(crate) struct NewXattr<'a> {
    slots: *mut bindings::xattr,
    count: &'a mut c_int,
}

impl NewXattr<'_> {
    /// # Safety
    ///
    /// `slots` must be null (the filesystem stores no attributes) or point
    /// to the framework's array with a free slot at index `*count`
    /// reserved for this module, and `count` must be valid for writes.
    pub(super) unsafe fn from_raw(slots: *mut bindings::xattr, count: *mut c_int) -> Option<Self> {
        if slots.is_null() {
            return None;
        }
        // SAFETY: the framework passes a valid counter.
        let count = unsafe { count.as_mut() }?;
        // INVARIANT: guaranteed by the caller.
        Some(Self { slots, count })
    }

    /// Stores attribute `security.<suffix>` = `value` on the new inode.
    /// `EOPNOTSUPP` for an empty value (nothing to store).
    pub(crate) fn set(self, suffix: &'static CStr, value: KVec<u8>) -> Result {
        // An empty vector owns no allocation the framework could free.
        if value.is_empty() {
            return Err(EOPNOTSUPP);
        }
        let index = usize::try_from(*self.count).map_err(|_| EINVAL)?;
        let len = value.len();
        // The framework frees each value with kfree().
        let (ptr, _, _) = value.into_raw_parts();
        // SAFETY: the slot at `*count` is free and ours (type invariant);
        // `self` is consumed, so it is filled once.
        unsafe {
            let slot = self.slots.add(index);
            (*slot).name = suffix.as_char_ptr();
            (*slot).value = ptr.cast();
            (*slot).value_len = len;
        }
        *self.count = self.count.saturating_add(1);
        Ok(())
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_char, c_int, c_void},
        prelude::*,
    };

    use super::{AccessMask, AttrChange, Dentry, Inode, InodeHooks, InodeKind, NewXattr, Path};
    use crate::framework::{bytes, c_name, to_c};

    /// # Safety
    ///
    /// Called by the VFS with a valid dentry and a valid or null inode.
    pub(crate) unsafe extern "C" fn d_instantiate<M: InodeHooks>(
        dentry: *mut bindings::dentry,
        inode: *mut bindings::inode,
    ) {
        if inode.is_null() {
            return;
        }
        // SAFETY: as documented above.
        let (dentry, inode) = unsafe { (Dentry::from_raw(dentry), Inode::from_raw(inode)) };
        M::d_instantiate(dentry, inode);
    }

    /// # Safety
    ///
    /// Called by a filesystem creating `inode` in `dir`, with the framework's
    /// attribute array (or null) and its counter.
    pub(crate) unsafe extern "C" fn inode_init_security<M: InodeHooks>(
        inode: *mut bindings::inode,
        dir: *mut bindings::inode,
        _qstr: *const bindings::qstr,
        xattrs: *mut bindings::xattr,
        xattr_count: *mut c_int,
    ) -> c_int {
        // SAFETY: as documented above; the framework sized the array for the
        // attribute count every module declared.
        let (inode, dir, xattrs) = unsafe {
            (
                Inode::from_raw(inode),
                Inode::from_raw(dir),
                NewXattr::from_raw(xattrs, xattr_count),
            )
        };
        to_c(M::inode_init_security(inode, dir, xattrs))
    }

    /// # Safety
    ///
    /// Called by the VFS with a locked directory and a negative dentry in it.
    pub(crate) unsafe extern "C" fn inode_create<M: InodeHooks>(
        dir: *mut bindings::inode,
        dentry: *mut bindings::dentry,
        mode: bindings::umode_t,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe {
            create::<M>(
                dir,
                dentry,
                InodeKind::from_mode(u32::from(mode) | bindings::S_IFREG),
            )
        }
    }

    /// # Safety
    ///
    /// As for `inode_create`.
    pub(crate) unsafe extern "C" fn inode_mkdir<M: InodeHooks>(
        dir: *mut bindings::inode,
        dentry: *mut bindings::dentry,
        _mode: bindings::umode_t,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { create::<M>(dir, dentry, InodeKind::Dir) }
    }

    /// # Safety
    ///
    /// As for `inode_create`.
    pub(crate) unsafe extern "C" fn inode_mknod<M: InodeHooks>(
        dir: *mut bindings::inode,
        dentry: *mut bindings::dentry,
        mode: bindings::umode_t,
        _dev: bindings::dev_t,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { create::<M>(dir, dentry, InodeKind::from_mode(u32::from(mode))) }
    }

    /// # Safety
    ///
    /// As for `inode_create`.
    pub(crate) unsafe extern "C" fn inode_symlink<M: InodeHooks>(
        dir: *mut bindings::inode,
        dentry: *mut bindings::dentry,
        _old_name: *const c_char,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { create::<M>(dir, dentry, InodeKind::Symlink) }
    }

    /// # Safety
    ///
    /// As for `inode_create`.
    unsafe fn create<M: InodeHooks>(
        dir: *mut bindings::inode,
        dentry: *mut bindings::dentry,
        kind: InodeKind,
    ) -> c_int {
        // SAFETY: guaranteed by the caller.
        let (dir, dentry) = unsafe { (Inode::from_raw(dir), Dentry::from_raw(dentry)) };
        to_c(M::inode_create(dir, dentry, kind))
    }

    /// # Safety
    ///
    /// Called by the VFS with valid dentries and a locked directory.
    pub(crate) unsafe extern "C" fn inode_link<M: InodeHooks>(
        old_dentry: *mut bindings::dentry,
        dir: *mut bindings::inode,
        new_dentry: *mut bindings::dentry,
    ) -> c_int {
        // SAFETY: as documented above.
        let (old, dir, new) = unsafe {
            (
                Dentry::from_raw(old_dentry),
                Inode::from_raw(dir),
                Dentry::from_raw(new_dentry),
            )
        };
        to_c(M::inode_link(old, dir, new))
    }

    /// # Safety
    ///
    /// Called by the VFS with a locked directory and a positive dentry in it.
    pub(crate) unsafe extern "C" fn inode_unlink<M: InodeHooks>(
        dir: *mut bindings::inode,
        dentry: *mut bindings::dentry,
    ) -> c_int {
        // SAFETY: as documented above.
        let (dir, dentry) = unsafe { (Inode::from_raw(dir), Dentry::from_raw(dentry)) };
        to_c(M::inode_unlink(dir, dentry))
    }

    /// # Safety
    ///
    /// As for `inode_unlink`.
    pub(crate) unsafe extern "C" fn inode_rmdir<M: InodeHooks>(
        dir: *mut bindings::inode,
        dentry: *mut bindings::dentry,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { inode_unlink::<M>(dir, dentry) }
    }

    /// # Safety
    ///
    /// Called by the VFS with both directories locked and valid dentries.
    pub(crate) unsafe extern "C" fn inode_rename<M: InodeHooks>(
        old_dir: *mut bindings::inode,
        old_dentry: *mut bindings::dentry,
        new_dir: *mut bindings::inode,
        new_dentry: *mut bindings::dentry,
    ) -> c_int {
        // SAFETY: as documented above.
        let (old_dir, old, new_dir, new) = unsafe {
            (
                Inode::from_raw(old_dir),
                Dentry::from_raw(old_dentry),
                Inode::from_raw(new_dir),
                Dentry::from_raw(new_dentry),
            )
        };
        to_c(M::inode_rename(old_dir, old, new_dir, new))
    }

    /// # Safety
    ///
    /// Called by the VFS with a positive dentry of a symbolic link.
    pub(crate) unsafe extern "C" fn inode_readlink<M: InodeHooks>(
        dentry: *mut bindings::dentry,
    ) -> c_int {
        // SAFETY: as documented above.
        let dentry = unsafe { Dentry::from_raw(dentry) };
        match dentry.inode() {
            Some(inode) => to_c(M::inode_follow_link(dentry, inode, true)),
            None => 0,
        }
    }

    /// # Safety
    ///
    /// Called by path walk with a valid dentry and inode; in RCU walk when
    /// `rcu` is true.
    pub(crate) unsafe extern "C" fn inode_follow_link<M: InodeHooks>(
        dentry: *mut bindings::dentry,
        inode: *mut bindings::inode,
        rcu: bool,
    ) -> c_int {
        // SAFETY: as documented above.
        let (dentry, inode) = unsafe { (Dentry::from_raw(dentry), Inode::from_raw(inode)) };
        to_c(M::inode_follow_link(dentry, inode, !rcu))
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid inode (RCU-protected in RCU walk).
    pub(crate) unsafe extern "C" fn inode_permission<M: InodeHooks>(
        inode: *mut bindings::inode,
        mask: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        let inode = unsafe { Inode::from_raw(inode) };
        to_c(M::inode_permission(inode, AccessMask(mask as u32)))
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid dentry and attribute change.
    pub(crate) unsafe extern "C" fn inode_setattr<M: InodeHooks>(
        _idmap: *mut bindings::mnt_idmap,
        dentry: *mut bindings::dentry,
        attr: *mut bindings::iattr,
    ) -> c_int {
        // SAFETY: as documented above.
        let (dentry, valid) = unsafe { (Dentry::from_raw(dentry), (*attr).ia_valid) };
        to_c(M::inode_setattr(dentry, AttrChange(valid)))
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid path.
    pub(crate) unsafe extern "C" fn inode_getattr<M: InodeHooks>(
        path: *const bindings::path,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::inode_getattr(unsafe { Path::from_raw(path) }))
    }

    /// # Safety
    ///
    /// Called by the framework with a NUL-terminated attribute name.
    pub(crate) unsafe extern "C" fn inode_xattr_skipcap<M: InodeHooks>(
        name: *const c_char,
    ) -> c_int {
        // SAFETY: as documented above.
        c_int::from(M::inode_xattr_skipcap(unsafe { c_name(name) }))
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid dentry, a NUL-terminated name and `size`
    /// readable bytes at `value`.
    pub(crate) unsafe extern "C" fn inode_setxattr<M: InodeHooks>(
        _idmap: *mut bindings::mnt_idmap,
        dentry: *mut bindings::dentry,
        name: *const c_char,
        value: *const c_void,
        size: usize,
        _flags: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        let (dentry, name, value) =
            unsafe { (Dentry::from_raw(dentry), c_name(name), bytes(value, size)) };
        to_c(M::inode_setxattr(dentry, name, value))
    }

    /// # Safety
    ///
    /// As for `inode_setxattr`, after the attribute was set.
    pub(crate) unsafe extern "C" fn inode_post_setxattr<M: InodeHooks>(
        dentry: *mut bindings::dentry,
        name: *const c_char,
        value: *const c_void,
        size: usize,
        _flags: c_int,
    ) {
        // SAFETY: as documented above.
        let (dentry, name, value) =
            unsafe { (Dentry::from_raw(dentry), c_name(name), bytes(value, size)) };
        M::inode_post_setxattr(dentry, name, value);
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid dentry and a NUL-terminated name.
    pub(crate) unsafe extern "C" fn inode_removexattr<M: InodeHooks>(
        _idmap: *mut bindings::mnt_idmap,
        dentry: *mut bindings::dentry,
        name: *const c_char,
    ) -> c_int {
        // SAFETY: as documented above.
        let (dentry, name) = unsafe { (Dentry::from_raw(dentry), c_name(name)) };
        to_c(M::inode_removexattr(dentry, name))
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid inode, the attribute name after
    /// `security.`, and a place for a `kmalloc`ed value the caller frees.
    pub(crate) unsafe extern "C" fn inode_getsecurity<M: InodeHooks>(
        _idmap: *mut bindings::mnt_idmap,
        inode: *mut bindings::inode,
        name: *const c_char,
        buffer: *mut *mut c_void,
        alloc: bool,
    ) -> c_int {
        // SAFETY: as documented above.
        let (inode, name) = unsafe { (Inode::from_raw(inode), c_name(name)) };
        let value = match M::inode_getsecurity(inode, name) {
            Ok(value) => value,
            Err(e) => return e.to_errno(),
        };
        let Ok(len) = c_int::try_from(value.len()) else {
            return ERANGE.to_errno();
        };
        if alloc && !value.is_empty() {
            let (ptr, _, _) = value.into_raw_parts();
            // SAFETY: `buffer` is writable; the caller frees it with kfree().
            unsafe { *buffer = ptr.cast() };
        }
        len
    }

    /// # Safety
    ///
    /// Called by the VFS with `buffer_size` writable bytes at `buffer` (or a
    /// null buffer to ask for the size).
    pub(crate) unsafe extern "C" fn inode_listsecurity<M: InodeHooks>(
        _inode: *mut bindings::inode,
        buffer: *mut c_char,
        buffer_size: usize,
    ) -> c_int {
        let names = M::XATTR_NAMES;
        if !buffer.is_null() && names.len() <= buffer_size {
            // SAFETY: `buffer` has room for `names` (checked above).
            unsafe { core::ptr::copy_nonoverlapping(names.as_ptr(), buffer.cast(), names.len()) };
        }
        c_int::try_from(names.len()).unwrap_or(0)
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid dentry and a NUL-terminated name.
    pub(crate) unsafe extern "C" fn inode_getxattr<M: InodeHooks>(
        dentry: *mut bindings::dentry,
        _name: *const c_char,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::inode_getxattr(unsafe { Dentry::from_raw(dentry) }))
    }

    /// # Safety
    ///
    /// Called by the VFS with a valid dentry.
    pub(crate) unsafe extern "C" fn inode_listxattr<M: InodeHooks>(
        dentry: *mut bindings::dentry,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::inode_getxattr(unsafe { Dentry::from_raw(dentry) }))
    }
}
