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
pub(crate) mod global;
pub(crate) mod rcu;
mod registration;
pub(crate) mod securityfs;
mod task;

use kernel::{
    bindings,
    ffi::{c_char, c_int, c_uint, c_void},
    init::Zeroable,
    prelude::*,
};

pub(crate) use cred::{
    CapOpts, Capability, Credentials, NewCredentials, UserNamespace, CAP_MAC_ADMIN,
};
pub(crate) use registration::{
    add_hooks, blob_sizes, boot_param, define_lsm, fs_initcall, hook_entry, BootParam, LsmId,
    LsmInfo,
};
pub(crate) use task::{current_pid_comm, BinaryLoad, Task};

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

    /// `getprocattr`: the text of `/proc/PID/attr/ATTR` for `task`, or
    /// `None` for an attribute the module does not provide.
    fn getprocattr(_task: &Task, _attr: ProcAttr) -> Result<KVec<u8>> {
        Err(EINVAL)
    }

    /// `setprocattr`: the current task writes its own attribute.
    fn setprocattr(_attr: ProcAttr, _value: &[u8]) -> Result {
        Err(EINVAL)
    }
}

/// Converts a hook's result to the C convention.
fn to_c(result: Result) -> c_int {
    match result {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// The `extern "C"` functions the LSM static calls jump to; one per hook,
/// named like it, generic over the module.
pub(crate) mod trampoline {
    use super::*;

    /// # Safety
    ///
    /// Called by the LSM framework with a valid `cred` and `ns`.
    pub(crate) unsafe extern "C" fn capable<M: SecurityModule>(
        cred: *const bindings::cred,
        ns: *mut bindings::user_namespace,
        cap: c_int,
        opts: c_uint,
    ) -> c_int {
        // SAFETY: the framework passes valid pointers that outlive the call.
        let (cred, ns) = unsafe { (Credentials::from_raw(cred), UserNamespace::from_raw(ns)) };
        let Ok(cap) = u32::try_from(cap) else {
            return EINVAL.to_errno();
        };
        to_c(M::capable(cred, ns, Capability(cap), CapOpts(opts)))
    }

    /// # Safety
    ///
    /// Called by the LSM framework with `new` freshly allocated (blob
    /// zeroed, not shared) and `old` valid.
    pub(crate) unsafe extern "C" fn cred_prepare<M: SecurityModule>(
        new: *mut bindings::cred,
        old: *const bindings::cred,
        _gfp: bindings::gfp_t,
    ) -> c_int {
        // SAFETY: as documented above.
        let (new, old) = unsafe { (NewCredentials::from_raw(new), Credentials::from_raw(old)) };
        to_c(M::cred_prepare(new, old))
    }

    /// # Safety
    ///
    /// Called by the LSM framework as for `cred_prepare`.
    pub(crate) unsafe extern "C" fn cred_transfer<M: SecurityModule>(
        new: *mut bindings::cred,
        old: *const bindings::cred,
    ) {
        // SAFETY: as for `cred_prepare`. The hook cannot fail: the framework
        // ignores errors here, and copying a blob does not fail.
        let _ = unsafe { cred_prepare::<M>(new, old, 0) };
    }

    /// # Safety
    ///
    /// Called by the framework during execve with a valid `bprm` whose
    /// `cred` is the new, uncommitted credentials.
    pub(crate) unsafe extern "C" fn bprm_creds_for_exec<M: SecurityModule>(
        bprm: *mut bindings::linux_binprm,
    ) -> c_int {
        // SAFETY: as documented above.
        let bprm = unsafe { BinaryLoad::from_raw(bprm) };
        to_c(M::bprm_creds_for_exec(bprm))
    }

    /// # Safety
    ///
    /// Called by the framework with a valid task, a NUL-terminated name and
    /// a place for a `kmalloc`ed value the caller frees.
    pub(crate) unsafe extern "C" fn getprocattr<M: SecurityModule>(
        p: *mut bindings::task_struct,
        name: *const c_char,
        value: *mut *mut c_char,
    ) -> c_int {
        let Some(attr) = ProcAttr::from_name(name) else {
            return EINVAL.to_errno();
        };
        // SAFETY: the framework holds a reference to `p` during the call.
        let task = unsafe { Task::from_raw(p) };
        let text = match M::getprocattr(task, attr) {
            Ok(text) => text,
            Err(e) => return e.to_errno(),
        };
        let Ok(len) = c_int::try_from(text.len()) else {
            return EINVAL.to_errno();
        };
        if len == 0 {
            // An empty vector owns no allocation: hand back no buffer.
            // SAFETY: `value` is valid for writes (see above).
            unsafe { *value = core::ptr::null_mut() };
            return 0;
        }
        // The caller frees the value with kfree(): hand over the buffer.
        let (ptr, _, _) = text.into_raw_parts();
        // SAFETY: `value` is valid for writes (see above).
        unsafe { *value = ptr.cast() };
        len
    }

    /// # Safety
    ///
    /// Called by the framework with a NUL-terminated name and `size` bytes
    /// at `value`, in the context of the task writing its own attribute.
    pub(crate) unsafe extern "C" fn setprocattr<M: SecurityModule>(
        name: *const c_char,
        value: *mut c_void,
        size: usize,
    ) -> c_int {
        let Some(attr) = ProcAttr::from_name(name) else {
            return EINVAL.to_errno();
        };
        let value = if size == 0 {
            &[][..]
        } else {
            // SAFETY: the framework passes `size` readable bytes.
            unsafe { core::slice::from_raw_parts(value.cast::<u8>(), size) }
        };
        match M::setprocattr(attr, value) {
            Ok(()) => c_int::try_from(size).unwrap_or(c_int::MAX),
            Err(e) => e.to_errno(),
        }
    }
}
