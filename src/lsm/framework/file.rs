// SPDX-License-Identifier: GPL-2.0

//! Open files, ioctl commands and memory mappings as the hooks see them,
//! and the hooks of the file family ([`FileHooks`]).

use kernel::{bindings, prelude::*, types::Opaque};

use super::{cred::blob, AccessMask, Credentials, Inode, Path, SecurityModule, Signal, Task};
use crate::file_access::MapAccess;

/// The hooks on open files and their mappings.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait FileHooks: SecurityModule {
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
    /// mapping of `file` (`None`: anonymous memory) as `change` says?
    fn file_mprotect(_file: Option<&OpenFile>, _change: ProtChange) -> Result {
        Ok(())
    }

    /// `file_fcntl`: may the current task apply `cmd` to `file`?
    fn file_fcntl(_file: &OpenFile, _cmd: FcntlKind) -> Result {
        Ok(())
    }

    /// `file_lock`: may the current task lock `file` (`flock()`)?
    fn file_lock(_file: &OpenFile) -> Result {
        Ok(())
    }

    /// `file_set_fowner`: the current task becomes the owner that gets
    /// `file`'s I/O signals (`F_SETOWN`).
    fn file_set_fowner(_file: &OpenFile) {}

    /// `file_send_sigiotask`: may `file`'s owner get signal `sig` sent to
    /// `target` on I/O?
    fn file_send_sigiotask(_target: &Task, _file: &OpenFile, _sig: Signal) -> Result {
        Ok(())
    }

    /// `file_receive`: may the current task receive `file` (a descriptor
    /// passed over a socket, or taken with `pidfd_getfd()`)?
    fn file_receive(_file: &OpenFile) -> Result {
        Ok(())
    }
}

/// What an `fcntl()` command does, as far as mediation goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FcntlKind {
    /// `F_SETFL` that clears `O_APPEND`: later writes go anywhere.
    ClearAppend,
    /// The file's flags and I/O owner (`F_SETFL`, `F_GETFL`, `F_SETOWN`,
    /// `F_SETSIG` …).
    FileState,
    /// Record locks (`F_SETLK`, `F_OFD_SETLKW` …).
    Lock,
    /// Anything else (descriptor flags, leases, notifications …).
    Other,
}

impl FcntlKind {
    fn of(file: &OpenFile, cmd: u32, arg: usize) -> Self {
        let append = bindings::O_APPEND as usize;
        match cmd {
            bindings::F_SETFL if file.appends() && arg & append == 0 => Self::ClearAppend,
            bindings::F_SETFL
            | bindings::F_GETFL
            | bindings::F_SETOWN
            | bindings::F_GETOWN
            | bindings::F_SETSIG
            | bindings::F_GETSIG
            | bindings::F_GETOWNER_UIDS => Self::FileState,
            bindings::F_GETLK
            | bindings::F_SETLK
            | bindings::F_SETLKW
            | bindings::F_OFD_GETLK
            | bindings::F_OFD_SETLK
            | bindings::F_OFD_SETLKW => Self::Lock,
            _ => Self::Other,
        }
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

    /// The credentials the file was opened with (`f_cred`): those of the
    /// task that opened it.
    #[inline]
    pub(crate) fn credentials(&self) -> &Credentials {
        // SAFETY: `f_cred` is set when the file is allocated and holds a
        // reference to the credentials until the file is freed, which is
        // after every hook on it returned.
        unsafe { Credentials::from_raw((*self.0.get()).f_cred) }
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

    /// A 32-bit task's command as its native form: the flag and version
    /// commands differ only in the size their number encodes.
    fn native(self) -> Self {
        // _IOR('f', 1, int), _IOW('f', 2, int), _IOR('v', 1, int),
        // _IOW('v', 2, int) (uapi/linux/fs.h); bindgen cannot expand them.
        const FS_IOC32_GETFLAGS: u32 = 0x8004_6601;
        const FS_IOC32_SETFLAGS: u32 = 0x4004_6602;
        const FS_IOC32_GETVERSION: u32 = 0x8004_7601;
        const FS_IOC32_SETVERSION: u32 = 0x4004_7602;
        Self(match self.0 {
            FS_IOC32_GETFLAGS => bindings::FS_IOC_GETFLAGS,
            FS_IOC32_SETFLAGS => bindings::FS_IOC_SETFLAGS,
            FS_IOC32_GETVERSION => bindings::FS_IOC_GETVERSION,
            FS_IOC32_SETVERSION => bindings::FS_IOC_SETVERSION,
            cmd => cmd,
        })
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

    /// Whether the mapping is executable.
    pub(crate) fn exec(self) -> bool {
        self.prot & Self::PROT_EXEC != 0
    }

    /// Whether the mapping is private and writable: executing it runs
    /// what the task wrote, not what the file holds.
    pub(crate) fn private_write(self) -> bool {
        self.prot & Self::PROT_WRITE != 0 && self.flags & Self::MAP_TYPE != Self::MAP_SHARED
    }

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

/// Where a mapping whose protection changes lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MapRegion {
    /// The process's initial heap (`brk`).
    Heap,
    /// A stack: the main thread's or the current thread's.
    Stack,
    /// A file mapping some of whose pages were copied on write.
    ModifiedFile,
    /// Any other mapping.
    Other,
}

/// An `mprotect()` of one mapping.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProtChange {
    /// The new protection.
    pub(crate) prot: MapProt,
    /// Whether the mapping was executable already.
    pub(crate) was_exec: bool,
    /// Where it lies.
    pub(crate) region: MapRegion,
}

impl ProtChange {
    /// Whether the change makes a mapping executable that was not.
    pub(crate) fn makes_exec(self) -> bool {
        self.prot.exec() && !self.was_exec
    }

    /// # Safety
    ///
    /// `vma` must be a valid mapping of the current task, its `mmap_lock`
    /// held.
    unsafe fn of(vma: *const bindings::vm_area_struct, prot: usize) -> Self {
        // SAFETY: guaranteed by the caller: the mapping's flags are stable
        // under the lock.
        let vm_flags = unsafe { (*vma).__bindgen_anon_2.vm_flags };
        let prot = MapProt::of_mapping(prot, vm_flags);
        let was_exec = vm_flags & bindings::VM_EXEC as usize != 0;
        // Where the mapping lies matters only when it becomes executable:
        // most mprotect() calls do not pay for finding out.
        let region = if prot.exec() && !was_exec {
            // SAFETY: as above.
            unsafe { Self::region(vma) }
        } else {
            MapRegion::Other
        };
        Self {
            prot,
            was_exec,
            region,
        }
    }

    /// Where `vma` lies: the heap, a stack, a modified file mapping.
    ///
    /// # Safety
    ///
    /// As for [`ProtChange::of`].
    unsafe fn region(vma: *const bindings::vm_area_struct) -> MapRegion {
        // SAFETY: guaranteed by the caller: the mapping, its `mm` and the
        // fields read are stable under the lock.
        let (start, end, file, anon_vma, mm) = unsafe {
            let vma = &*vma;
            (
                vma.__bindgen_anon_1.__bindgen_anon_1.vm_start,
                vma.__bindgen_anon_1.__bindgen_anon_1.vm_end,
                vma.vm_file,
                vma.anon_vma,
                &(*vma.vm_mm).__bindgen_anon_1,
            )
        };
        let contains = |addr: usize| start <= addr && end >= addr;
        if start <= mm.brk && end >= mm.start_brk {
            return MapRegion::Heap;
        }
        if file.is_null() {
            // SAFETY: as above (the current thread's stack pointer is read).
            let current_stack = unsafe { bindings::vma_is_stack_for_current(vma.cast_mut()) } != 0;
            if contains(mm.start_stack) || current_stack {
                return MapRegion::Stack;
            }
        } else if !anon_vma.is_null() {
            return MapRegion::ModifiedFile;
        }
        MapRegion::Other
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_int, c_uint, c_ulong},
    };

    use super::{FcntlKind, FileHooks, IoctlCmd, MapProt, OpenFile, ProtChange};
    use crate::framework::{to_c, AccessMask, Signal, Task};

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
    /// in layout are mediated as their native forms).
    pub(crate) unsafe extern "C" fn file_ioctl_compat<M: FileHooks>(
        file: *mut bindings::file,
        cmd: c_uint,
        _arg: c_ulong,
    ) -> c_int {
        // SAFETY: as documented above.
        let file = unsafe { OpenFile::from_raw(file) };
        to_c(M::file_ioctl(file, IoctlCmd(cmd).native()))
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
        // SAFETY: as documented above: `vm_file` is null or pinned by the
        // mapping, which the lock keeps.
        let (file, change) = unsafe { ((*vma).vm_file, ProtChange::of(vma, prot)) };
        // SAFETY: see above.
        let file = (!file.is_null()).then(|| unsafe { OpenFile::from_raw(file) });
        to_c(M::file_mprotect(file, change))
    }

    /// # Safety
    ///
    /// Called by `fcntl()` with an open file.
    pub(crate) unsafe extern "C" fn file_fcntl<M: FileHooks>(
        file: *mut bindings::file,
        cmd: c_uint,
        arg: c_ulong,
    ) -> c_int {
        // SAFETY: as documented above.
        let file = unsafe { OpenFile::from_raw(file) };
        to_c(M::file_fcntl(file, FcntlKind::of(file, cmd, arg)))
    }

    /// # Safety
    ///
    /// Called by `flock()` with an open file.
    pub(crate) unsafe extern "C" fn file_lock<M: FileHooks>(
        file: *mut bindings::file,
        _cmd: c_uint,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::file_lock(unsafe { OpenFile::from_raw(file) }))
    }

    /// # Safety
    ///
    /// Called by `F_SETOWN` with an open file.
    pub(crate) unsafe extern "C" fn file_set_fowner<M: FileHooks>(file: *mut bindings::file) {
        // SAFETY: as documented above.
        M::file_set_fowner(unsafe { OpenFile::from_raw(file) });
    }

    /// # Safety
    ///
    /// Called by `send_sigio()` with a task it holds under RCU and the
    /// owner record of an open file.
    pub(crate) unsafe extern "C" fn file_send_sigiotask<M: FileHooks>(
        tsk: *mut bindings::task_struct,
        fown: *mut bindings::fown_struct,
        sig: c_int,
    ) -> c_int {
        // SAFETY: as documented above; the owner record points back to its
        // file, which outlives it.
        let (target, file) = unsafe { (Task::from_raw(tsk), OpenFile::from_raw((*fown).file)) };
        // Signal 0 means the default, SIGIO (as `send_sigio_to_task`).
        let sig = if sig == 0 {
            bindings::SIGIO as c_int
        } else {
            sig
        };
        to_c(M::file_send_sigiotask(target, file, Signal(sig)))
    }

    /// # Safety
    ///
    /// Called by `receive_fd()` with an open file.
    pub(crate) unsafe extern "C" fn file_receive<M: FileHooks>(file: *mut bindings::file) -> c_int {
        // SAFETY: as documented above.
        to_c(M::file_receive(unsafe { OpenFile::from_raw(file) }))
    }
}
