// SPDX-License-Identifier: GPL-2.0

//! Open files, ioctl commands and memory mappings as the hooks see them,
//! and the hooks of the file family ([`FileHooks`]).

use kernel::{bindings, prelude::*, types::Opaque};

use super::{cred::blob, AccessMask, Inode, Path, SecurityModule};
use crate::file_access::MapAccess;

/// The hooks on open files and their mappings.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait FileHooks: SecurityModule {
    /// `file_alloc_security`: the current task allocates `file`.
    fn file_alloc_security(_file: &OpenFile) -> Result {
        Ok(())
    }

    /// `file_permission`: may the current task read or write `file` as
    /// `mask` says?
    fn file_permission(_file: &OpenFile, _mask: AccessMask) -> Result {
        Ok(())
    }

    /// `file_open`: may the current task open `file`?
    fn file_open(_file: &OpenFile) -> Result {
        Ok(())
    }

    /// `mmap_file`: may the current task map `file` (`None`: anonymous
    /// memory) with `prot`?
    fn mmap_file(_file: Option<&OpenFile>, _prot: MapProt) -> Result {
        Ok(())
    }

    /// `file_ioctl` and `file_ioctl_compat`: may the current task send
    /// `cmd` to `file`?
    fn file_ioctl(_file: &OpenFile, _cmd: IoctlCmd) -> Result {
        Ok(())
    }

    /// `file_mprotect`: may the current task change the protection of a
    /// mapping of `file` (`None`: anonymous memory) to `prot`?
    fn file_mprotect(_file: Option<&OpenFile>, _prot: MapProt) -> Result {
        Ok(())
    }
}

/// An open file (`struct file`).
///
/// # Invariants
///
/// The wrapped file is valid, with its security blob allocated by the
/// framework, for as long as the reference to this wrapper lives.
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

    /// What the mapping gives access to.
    pub(crate) fn access(self) -> MapAccess {
        MapAccess {
            read: self.prot & Self::PROT_READ != 0,
            shared_write: self.prot & Self::PROT_WRITE != 0
                && self.flags & Self::MAP_TYPE == Self::MAP_SHARED,
            exec: self.prot & Self::PROT_EXEC != 0,
        }
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_int, c_uint, c_ulong},
    };

    use super::{FileHooks, IoctlCmd, MapProt, OpenFile};
    use crate::framework::{to_c, AccessMask};

    /// # Safety
    ///
    /// Called by the VFS for a new file, its blob zeroed.
    pub(crate) unsafe extern "C" fn file_alloc_security<M: FileHooks>(
        file: *mut bindings::file,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::file_alloc_security(unsafe { OpenFile::from_raw(file) }))
    }

    /// # Safety
    ///
    /// Called by the VFS with an open file.
    pub(crate) unsafe extern "C" fn file_permission<M: FileHooks>(
        file: *mut bindings::file,
        mask: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        let file = unsafe { OpenFile::from_raw(file) };
        to_c(M::file_permission(file, AccessMask(mask as u32)))
    }

    /// # Safety
    ///
    /// Called by the VFS with a file being opened.
    pub(crate) unsafe extern "C" fn file_open<M: FileHooks>(file: *mut bindings::file) -> c_int {
        // SAFETY: as documented above.
        to_c(M::file_open(unsafe { OpenFile::from_raw(file) }))
    }

    /// # Safety
    ///
    /// Called by mmap and mprotect paths with an open file or null.
    pub(crate) unsafe extern "C" fn mmap_file<M: FileHooks>(
        file: *mut bindings::file,
        _reqprot: c_ulong,
        prot: c_ulong,
        flags: c_ulong,
    ) -> c_int {
        // SAFETY: as documented above.
        let file = (!file.is_null()).then(|| unsafe { OpenFile::from_raw(file) });
        to_c(M::mmap_file(file, MapProt { prot, flags }))
    }

    /// # Safety
    ///
    /// Called by ioctl with an open file.
    pub(crate) unsafe extern "C" fn file_ioctl<M: FileHooks>(
        file: *mut bindings::file,
        cmd: c_uint,
        _arg: c_ulong,
    ) -> c_int {
        // SAFETY: as documented above.
        let file = unsafe { OpenFile::from_raw(file) };
        to_c(M::file_ioctl(file, IoctlCmd(cmd)))
    }

    /// # Safety
    ///
    /// As for `file_ioctl` (a 32-bit task's ioctl; the commands that differ
    /// in layout are mediated like their native forms).
    pub(crate) unsafe extern "C" fn file_ioctl_compat<M: FileHooks>(
        file: *mut bindings::file,
        cmd: c_uint,
        arg: c_ulong,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { file_ioctl::<M>(file, cmd, arg) }
    }

    /// # Safety
    ///
    /// Called by mprotect with a valid mapping of the current task, its
    /// `mmap_lock` held.
    pub(crate) unsafe extern "C" fn file_mprotect<M: FileHooks>(
        vma: *mut bindings::vm_area_struct,
        _reqprot: c_ulong,
        prot: c_ulong,
    ) -> c_int {
        // SAFETY: as documented above: `vm_file` (null or pinned by the
        // mapping) and `vm_flags` are stable while the lock is held.
        let (file, vm_flags) = unsafe { ((*vma).vm_file, (*vma).__bindgen_anon_2.vm_flags) };
        // SAFETY: see above.
        let file = (!file.is_null()).then(|| unsafe { OpenFile::from_raw(file) });
        to_c(M::file_mprotect(file, MapProt::of_mapping(prot, vm_flags)))
    }
}
