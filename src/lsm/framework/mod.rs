// SPDX-License-Identifier: GPL-2.0

//! Safe Rust interface to the LSM framework and the kernel services an LSM
//! uses.
//!
//! This module and its children are the only code of carapace that deals
//! with raw pointers and C: registration (`struct lsm_info`,
//! `security_add_hooks()`), security blobs, securityfs, audit and RCU, and
//! one module per family of hooks ([`cred`], [`task`], [`exec`],
//! [`inode`], [`file`], [`socket`], [`ipc`], [`key`], [`perf`], [`bpf`],
//! [`system`], [`superblock`], [`secid`]) with the wrappers of the kernel objects those
//! hooks receive, the family's trait of safe hook functions and the
//! `extern "C"` trampolines the static calls jump to.
//!
//! A security module implements [`SecurityModule`] (its blobs), the family
//! traits it needs, one hook list per family ([`hook_list!`]) and
//! declares itself with [`define_lsm!`]. Documentation/hooks.rst has the
//! recipe for adding a hook.

pub(crate) mod audit;
pub(crate) mod bpf;
pub(crate) mod cred;
pub(crate) mod exec;
pub(crate) mod file;
pub(crate) mod global;
pub(crate) mod inode;
pub(crate) mod ipc;
pub(crate) mod key;
pub(crate) mod perf;
pub(crate) mod rcu;
mod registration;
pub(crate) mod secid;
pub(crate) mod securityfs;
pub(crate) mod socket;
pub(crate) mod superblock;
pub(crate) mod system;
pub(crate) mod task;

use core::sync::atomic::{AtomicU64, Ordering};

use kernel::{
    bindings,
    ffi::{c_char, c_int, c_void},
    init::Zeroable,
    prelude::*,
};

pub(crate) use bpf::{BpfHooks, BpfObject};
pub(crate) use cred::{
    CapOpts, Capability, CredHooks, Credentials, NewCredentials, UserNamespace, CAP_MAC_ADMIN,
};
pub(crate) use exec::{BinaryLoad, ExecHooks, ProcAttr};
pub(crate) use file::{
    FcntlKind, FileHooks, IoctlCmd, IoctlKind, MapProt, MapRegion, OpenFile, ProtChange,
};
pub(crate) use inode::{
    AccessMask, AttrChange, Dentry, Inode, InodeHooks, InodeKind, NewXattr, Path,
};
pub(crate) use ipc::{IpcHooks, IpcMessage, IpcObject};
pub(crate) use key::{Key, KeyHooks};
pub(crate) use perf::{PerfEvent, PerfEventHooks};
pub(crate) use registration::{
    blob_sizes, boot_param, define_lsm, fs_initcall, hook_entry, hook_list, BootParam, HookList,
    LsmId, LsmInfo,
};
pub(crate) use socket::{
    NetlinkMessages, Sock, SockAddr, Socket, SocketHooks, SocketKind, SocketOperation,
};
pub(crate) use superblock::{MountHooks, SeqFile, SuperBlock};
pub(crate) use system::{KernelData, SystemHooks};
pub(crate) use task::{
    current_pid_comm, LimitAccess, PtraceMode, Signal, Task, TaskHooks, TaskOperation,
};

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

    /// Replaces the value; returns the previous one.
    #[inline]
    pub(crate) fn swap(&self, value: u64) -> u64 {
        self.0.swap(value, Ordering::AcqRel)
    }

    /// Replaces the value with `new` if it is `current`; returns the
    /// value seen.
    #[inline]
    pub(crate) fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64> {
        self.0
            .compare_exchange(current, new, Ordering::AcqRel, Ordering::Acquire)
    }
}

/// Where the framework put a module's parts of the security blobs;
/// implemented by [`define_lsm!`].
pub(crate) trait BlobOffsets {
    /// The offsets, valid once the framework has initialised the LSMs.
    fn blob_offsets() -> &'static bindings::lsm_blob_sizes;
}

/// A security module: its identity and its parts of the security blobs.
///
/// The hooks are in one trait per family ([`CredHooks`], [`TaskHooks`],
/// [`ExecHooks`], [`InodeHooks`], [`FileHooks`], [`SocketHooks`],
/// [`IpcHooks`], [`KeyHooks`], [`PerfEventHooks`], [`BpfHooks`],
/// [`SystemHooks`], [`MountHooks`]).
pub(crate) trait SecurityModule: BlobOffsets + 'static {
    /// The module's `LSM_ID_*` (uapi/linux/lsm.h), which
    /// `lsm_get_self_attr()` reports.
    const LSM_ID: u64;
    /// The module's part of each `struct cred` security blob; zeroed when
    /// a cred is allocated. Committed credentials are shared by tasks: what
    /// changes in them afterwards must be atomics (hence `Sync`).
    type CredSecurity: Zeroable + Sync;
    /// The module's part of each `struct inode` security blob; zeroed when
    /// an inode is allocated, shared by every task that uses the inode.
    type InodeSecurity: Zeroable + Sync;
    /// The module's part of each `struct file` security blob; zeroed when
    /// a file is allocated.
    type FileSecurity: Zeroable + Sync;
    /// The module's part of each `struct sock` security blob; zeroed when
    /// a sock is allocated.
    type SockSecurity: Zeroable + Sync;
    /// The module's part of each System V IPC object's security blob;
    /// zeroed when the object is allocated.
    type IpcSecurity: Zeroable + Sync;
    /// The module's part of each System V message's security blob; zeroed
    /// when the message is allocated.
    type MessageSecurity: Zeroable + Sync;
    /// The module's part of each key's security blob; zeroed when the key
    /// is allocated.
    type KeySecurity: Zeroable + Sync;
    /// The module's part of each perf event's security blob; zeroed when
    /// the event is allocated.
    type PerfEventSecurity: Zeroable + Sync;
    /// The module's part of each superblock's security blob; zeroed when
    /// the superblock is allocated, shared by every mount of it.
    type SuperBlockSecurity: Zeroable + Sync;
    /// Names of the extended attributes the module keeps, each followed by
    /// a NUL (`inode_listsecurity`); the module stores at most one on a
    /// new inode.
    const XATTR_NAMES: &'static [u8] = b"";

    /// Called once at boot, after the hooks are registered.
    fn init() -> Result {
        Ok(())
    }
}

/// Converts a hook's result to the C convention.
fn to_c(result: Result) -> c_int {
    match result {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// Borrows a NUL-terminated name the framework passes.
///
/// # Safety
///
/// `name` must be a valid NUL-terminated string that outlives `'a`.
unsafe fn c_name<'a>(name: *const c_char) -> &'a CStr {
    // SAFETY: guaranteed by the caller.
    unsafe { CStr::from_char_ptr(name) }
}

/// Borrows `size` bytes at `value` (none when `size` is 0).
///
/// # Safety
///
/// `value` must be readable for `size` bytes during `'a` when `size` > 0.
unsafe fn bytes<'a>(value: *const c_void, size: usize) -> &'a [u8] {
    if size == 0 || value.is_null() {
        return &[];
    }
    // SAFETY: guaranteed by the caller.
    unsafe { core::slice::from_raw_parts(value.cast::<u8>(), size) }
}
