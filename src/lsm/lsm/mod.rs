// SPDX-License-Identifier: GPL-2.0

//! Safe Rust interface to the LSM framework and the kernel services an LSM
//! uses.
//!
//! This module and its children are the only code of carapace that deals
//! with raw pointers and C: registration (`struct lsm_info`,
//! `security_add_hooks()`), the `extern "C"` trampolines the static calls
//! jump to, security blobs, thin wrappers around the kernel objects the
//! hooks receive, securityfs, audit and RCU. A security module implements
//! [`SecurityModule`] with safe functions and lists its hooks in
//! [`define_lsm!`]. Adding a hook means adding its safe signature to the
//! trait, its trampoline to [`trampoline`], and its name to the list.

pub(crate) mod audit;
mod cred;
mod fs;
pub(crate) mod global;
pub(crate) mod rcu;
mod registration;
pub(crate) mod securityfs;
mod task;
pub(crate) mod trampoline;

use core::sync::atomic::{AtomicU64, Ordering};

use kernel::{bindings, ffi::c_char, init::Zeroable, prelude::*};

pub(crate) use cred::{
    CapOpts, Capability, Credentials, NewCredentials, UserNamespace, CAP_MAC_ADMIN,
};
pub(crate) use fs::{
    AccessMask, AttrChange, Dentry, Inode, InodeKind, IoctlCmd, IoctlKind, MapProt, NewXattrs,
    OpenFile, Path,
};
pub(crate) use registration::{
    add_hooks, blob_sizes, boot_param, define_lsm, fs_initcall, hook_entry, BootParam, LsmId,
    LsmInfo,
};
pub(crate) use task::{current_pid_comm, BinaryLoad, PtraceMode, Signal, Task};

/// A process attribute file under `/proc/PID/attr/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProcAttr {
    /// `current`: the task's domain.
    Current,
    /// `exec`: the domain to enter at the next execve.
    Exec,
}

impl ProcAttr {
    fn from_name(name: *const c_char) -> Option<Self> {
        // SAFETY: the framework passes a NUL-terminated attribute name.
        let name = unsafe { CStr::from_char_ptr(name) };
        match name.as_bytes() {
            b"current" => Some(Self::Current),
            b"exec" => Some(Self::Exec),
            _ => None,
        }
    }

    fn from_lsm_attr(attr: u32) -> Option<Self> {
        match attr {
            bindings::LSM_ATTR_CURRENT => Some(Self::Current),
            bindings::LSM_ATTR_EXEC => Some(Self::Exec),
            _ => None,
        }
    }
}

/// A word of a security blob of a shared object (inode, file), which
/// hooks read and update concurrently; zero when the blob is allocated.
#[repr(transparent)]
pub(crate) struct BlobWord(AtomicU64);

// SAFETY: an all-zero `AtomicU64` is a valid 0.
unsafe impl Zeroable for BlobWord {}

impl BlobWord {
    /// The value last stored.
    #[inline]
    pub(crate) fn load(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Replaces the value.
    #[inline]
    pub(crate) fn store(&self, value: u64) {
        self.0.store(value, Ordering::Release)
    }
}

/// Where the framework put a module's parts of the security blobs;
/// implemented by [`define_lsm!`].
pub(crate) trait BlobOffsets {
    /// The offsets, valid once the framework has initialised the LSMs.
    fn blob_offsets() -> &'static bindings::lsm_blob_sizes;
}

/// The hooks of a security module, as safe functions.
///
/// Each has the framework's default behaviour, so a module overrides only
/// the hooks it lists in [`define_lsm!`]. An `Err` becomes the hook's
/// negative errno.
pub(crate) trait SecurityModule: BlobOffsets + 'static {
    /// The module's part of each `struct cred` security blob; zeroed when
    /// a cred is allocated.
    type CredSecurity: Zeroable + Copy;
    /// The module's part of each `struct inode` security blob; zeroed when
    /// an inode is allocated, shared by every task that uses the inode.
    type InodeSecurity: Zeroable + Sync;
    /// The module's part of each `struct file` security blob; zeroed when
    /// a file is allocated.
    type FileSecurity: Zeroable + Sync;
    /// Names of the extended attributes the module keeps, each followed by
    /// a NUL (`inode_listsecurity`).
    const XATTR_NAMES: &'static [u8] = b"";

    /// Called once at boot, after the hooks are registered.
    fn init() -> Result {
        Ok(())
    }

    /// `capable`: may `cred` use capability `cap` in namespace `ns`?
    ///
    /// Called only when the capability bits already grant it. May be called
    /// in RCU path walk: must not sleep.
    fn capable(
        _cred: &Credentials,
        _ns: &UserNamespace,
        _cap: Capability,
        _opts: CapOpts,
    ) -> Result {
        Ok(())
    }

    /// `cred_prepare`: `new` is a copy of `old` being prepared.
    fn cred_prepare(_new: &mut NewCredentials, _old: &Credentials) -> Result {
        Ok(())
    }

    /// `bprm_creds_for_exec`: compute the credentials of an execve.
    fn bprm_creds_for_exec(_bprm: &mut BinaryLoad) -> Result {
        Ok(())
    }

    /// `getprocattr` and `getselfattr`: the label `attr` of `task`, bare
    /// (the framework's callers add a newline for `/proc/PID/attr/` or a
    /// NUL for `lsm_get_self_attr()`); empty when there is none.
    fn getprocattr(_task: &Task, _attr: ProcAttr) -> Result<KVec<u8>> {
        Err(EINVAL)
    }

    /// `setprocattr` and `setselfattr`: the current task sets its own
    /// attribute `attr` to `value` (a trailing newline or NUL removed).
    fn setprocattr(_attr: ProcAttr, _value: &[u8]) -> Result {
        Err(EINVAL)
    }

    /// `task_alloc`: the current task forks.
    fn task_alloc(_task: &Task) -> Result {
        Ok(())
    }

    /// `ptrace_access_check`: may the current task trace or inspect `child`?
    fn ptrace_access_check(_child: &Task, _mode: PtraceMode) -> Result {
        Ok(())
    }

    /// `ptrace_traceme`: may `parent` trace the current task?
    fn ptrace_traceme(_parent: &Task) -> Result {
        Ok(())
    }

    /// `task_kill`: may `sender` (the current task's credentials when
    /// `None`) send `sig` to `target`?
    fn task_kill(_target: &Task, _sig: Signal, _sender: Option<&Credentials>) -> Result {
        Ok(())
    }

    /// `task_to_inode`: `inode` is a `/proc/PID` entry of `task`.
    fn task_to_inode(_task: &Task, _inode: &Inode) {}

    /// `d_instantiate`: `inode` is attached to `dentry`. May sleep.
    fn d_instantiate(_dentry: &Dentry, _inode: &Inode) {}

    /// `inode_init_security`: label the new `inode` created in `dir`;
    /// `xattrs` takes the attributes the filesystem should store with it
    /// (`None` when the filesystem stores none). `EOPNOTSUPP`: nothing to
    /// store.
    fn inode_init_security(_inode: &Inode, _dir: &Inode, _xattrs: Option<NewXattrs<'_>>) -> Result {
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
