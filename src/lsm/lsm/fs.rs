// SPDX-License-Identifier: GPL-2.0

//! Inodes, dentries, paths and open files as the hooks see them, their
//! security blobs, and the extended attributes that carry labels.

use kernel::{
    bindings,
    ffi::{c_char, c_int},
    prelude::*,
    types::Opaque,
};

use super::{cred::blob, rcu, SecurityModule};

/// What kind of object an inode is (`S_IFMT` of its mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InodeKind {
    /// A regular file, or an inode whose mode has no type.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A socket.
    Socket,
    /// A named or anonymous pipe.
    Fifo,
}

impl InodeKind {
    /// The kind of an inode of mode `mode`.
    #[inline]
    pub(crate) fn from_mode(mode: u32) -> Self {
        match mode & bindings::S_IFMT {
            bindings::S_IFDIR => Self::Dir,
            bindings::S_IFLNK => Self::Symlink,
            bindings::S_IFCHR => Self::CharDevice,
            bindings::S_IFBLK => Self::BlockDevice,
            bindings::S_IFSOCK => Self::Socket,
            bindings::S_IFIFO => Self::Fifo,
            _ => Self::File,
        }
    }
}

/// An inode (`struct inode`).
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

    /// The name of the filesystem type (`proc`, `tmpfs` …).
    pub(crate) fn fs_type(&self) -> &CStr {
        // SAFETY: an inode's superblock and its type outlive the inode;
        // type names are static strings.
        unsafe { CStr::from_char_ptr((*(*(*self.raw()).i_sb).s_type).name) }
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

/// An open file (`struct file`).
#[repr(transparent)]
pub(crate) struct OpenFile(Opaque<bindings::file>);

impl OpenFile {
    /// # Safety
    ///
    /// `ptr` must point to a valid file, with its security blob allocated
    /// by the framework, that stays alive for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *const bindings::file) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The module's part of the file's security blob.
    #[inline]
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::FileSecurity {
        // SAFETY: as for `Inode::security`: a zeroed blob of the declared
        // size exists for every file; `FileSecurity` is `Zeroable + Sync`.
        unsafe { &*blob::<M::FileSecurity>((*self.0.get()).f_security, M::blob_offsets().lbs_file) }
    }

    /// The file's inode.
    #[inline]
    pub(crate) fn inode(&self) -> &Inode {
        // SAFETY: `f_inode` is set when the file is opened and pinned by it.
        unsafe { Inode::from_raw((*self.0.get()).f_inode) }
    }

    /// The path the file was opened by.
    pub(crate) fn path(&self) -> &Path {
        // SAFETY: `f_path` lives as long as the file.
        unsafe { Path::from_raw(core::ptr::addr_of!((*self.0.get()).f_path)) }
    }

    /// Whether the file is open for reading.
    #[inline]
    pub(crate) fn readable(&self) -> bool {
        self.mode() & bindings::FMODE_READ != 0
    }

    /// Whether the file is open for writing.
    #[inline]
    pub(crate) fn writable(&self) -> bool {
        self.mode() & bindings::FMODE_WRITE != 0
    }

    /// Whether writes append (`O_APPEND`).
    #[inline]
    pub(crate) fn appends(&self) -> bool {
        // SAFETY: `f_flags` is a plain field.
        let flags = unsafe { (*self.0.get()).f_flags };
        flags & bindings::O_APPEND != 0
    }

    #[inline]
    fn mode(&self) -> u32 {
        // SAFETY: `f_mode` is a plain field set at open.
        unsafe { (*self.0.get()).f_mode }
    }
}

/// The access an `inode_permission` or `file_permission` check asks for
/// (`MAY_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AccessMask(pub(super) u32);

impl AccessMask {
    /// Read access (list, for a directory).
    #[inline]
    pub(crate) fn read(self) -> bool {
        self.0 & bindings::MAY_READ != 0
    }
    /// Write access.
    #[inline]
    pub(crate) fn write(self) -> bool {
        self.0 & bindings::MAY_WRITE != 0
    }
    /// Execute (search, for a directory).
    #[inline]
    pub(crate) fn exec(self) -> bool {
        self.0 & bindings::MAY_EXEC != 0
    }
    /// Append-only write.
    #[inline]
    pub(crate) fn append(self) -> bool {
        self.0 & bindings::MAY_APPEND != 0
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

/// What an ioctl command does, as far as mediation goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IoctlKind {
    /// Changes only the descriptor table (`FIOCLEX`, `FIONCLEX`).
    DescriptorOnly,
    /// Changes the open file's flags (`FIONBIO`, `FIOASYNC`).
    FileFlags,
    /// Reads the inode's attributes (`FIONREAD`, `FIBMAP`, `FIGETBSZ`,
    /// `FS_IOC_GETFLAGS`, `FS_IOC_GETVERSION`).
    GetAttr,
    /// Changes them (`FS_IOC_SETFLAGS`, `FS_IOC_SETVERSION`).
    SetAttr,
    /// Anything else: handled by the file's own `ioctl()`.
    Other,
}

/// An ioctl command number.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IoctlCmd(pub(super) u32);

impl IoctlCmd {
    /// What the command does.
    pub(crate) fn kind(self) -> IoctlKind {
        match self.0 {
            bindings::FIOCLEX | bindings::FIONCLEX => IoctlKind::DescriptorOnly,
            bindings::FIONBIO | bindings::FIOASYNC => IoctlKind::FileFlags,
            bindings::FIONREAD
            | bindings::FIBMAP
            | bindings::FIGETBSZ
            | bindings::FS_IOC_GETFLAGS
            | bindings::FS_IOC_GETVERSION => IoctlKind::GetAttr,
            bindings::FS_IOC_SETFLAGS | bindings::FS_IOC_SETVERSION => IoctlKind::SetAttr,
            _ => IoctlKind::Other,
        }
    }
}

/// Protection of a memory mapping (`PROT_*`, `MAP_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct MapProt {
    pub(super) prot: usize,
    pub(super) flags: usize,
}

impl MapProt {
    const PROT_READ: usize = bindings::PROT_READ as usize;
    const PROT_WRITE: usize = bindings::PROT_WRITE as usize;
    const PROT_EXEC: usize = bindings::PROT_EXEC as usize;
    const MAP_SHARED: usize = bindings::MAP_SHARED as usize;
    const MAP_TYPE: usize = bindings::MAP_TYPE as usize;

    /// The protection `prot` asked of an existing mapping with `vm_flags`.
    pub(super) fn of_mapping(prot: usize, vm_flags: usize) -> Self {
        let shared = vm_flags & bindings::VM_SHARED as usize != 0;
        Self {
            prot,
            flags: if shared { Self::MAP_SHARED } else { 0 },
        }
    }

    /// Whether the mapping can be read.
    #[inline]
    pub(crate) fn read(self) -> bool {
        self.prot & Self::PROT_READ != 0
    }
    /// Whether writes through the mapping reach the file.
    pub(crate) fn shared_write(self) -> bool {
        self.prot & Self::PROT_WRITE != 0 && self.flags & Self::MAP_TYPE == Self::MAP_SHARED
    }
    /// Whether the mapping is executable.
    #[inline]
    pub(crate) fn exec(self) -> bool {
        self.prot & Self::PROT_EXEC != 0
    }
}

/// The extended attributes a new inode gets from the security modules
/// (`inode_init_security`).
pub(crate) struct NewXattrs<'a> {
    slots: *mut bindings::xattr,
    count: &'a mut c_int,
}

impl NewXattrs<'_> {
    /// # Safety
    ///
    /// `slots` must be null (the filesystem stores no attributes) or point
    /// to the framework's array with a free slot at index `*count` for
    /// this module.
    pub(super) unsafe fn from_raw(slots: *mut bindings::xattr, count: *mut c_int) -> Option<Self> {
        // SAFETY: the framework passes a valid counter.
        let count = unsafe { count.as_mut() }?;
        Some(Self { slots, count })
    }

    /// Stores attribute `security.<suffix>` = `value` on the new inode.
    /// Returns `false` when the filesystem does not store attributes.
    pub(crate) fn add(&mut self, suffix: &'static CStr, value: KVec<u8>) -> bool {
        // An empty vector owns no allocation the framework could free.
        if self.slots.is_null() || value.is_empty() {
            return false;
        }
        let Ok(index) = usize::try_from(*self.count) else {
            return false;
        };
        let len = value.len();
        // The framework frees each value with kfree().
        let (ptr, _, _) = value.into_raw_parts();
        // SAFETY: the slot at `*count` is free and ours (see `from_raw`).
        unsafe {
            let slot = self.slots.add(index);
            (*slot).name = suffix.as_char_ptr();
            (*slot).value = ptr.cast();
            (*slot).value_len = len;
        }
        *self.count = self.count.saturating_add(1);
        true
    }
}
