// SPDX-License-Identifier: GPL-2.0

//! Credentials, their security blobs, capabilities and user namespaces.

use kernel::{
    bindings,
    ffi::{c_int, c_void},
    prelude::*,
    types::Opaque,
};

use super::SecurityModule;

/// Credentials of a task (`struct cred`) as seen by the security module `M`.
#[repr(transparent)]
pub(crate) struct Credentials(Opaque<bindings::cred>);

impl Credentials {
    /// Borrows the credentials behind `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct cred` that stays alive for `'a`,
    /// whose security blob was allocated by the LSM framework.
    pub(super) unsafe fn from_raw<'a>(ptr: *const bindings::cred) -> &'a Self {
        // SAFETY: `Credentials` is a transparent wrapper of `struct cred`, and
        // the caller guarantees that `ptr` is valid for `'a`.
        unsafe { &*ptr.cast() }
    }

    /// The credentials of the current task.
    #[inline]
    pub(crate) fn current() -> &'static Self {
        // SAFETY: `current` is a valid task; its `cred` is valid for as long
        // as the task runs, which outlives any hook or file operation that
        // asks, and is only replaced by the task itself.
        unsafe { Self::from_raw((*bindings::get_current()).cred) }
    }

    /// The module's part of the security blob.
    #[inline]
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::CredSecurity {
        // SAFETY: the framework allocated a zeroed blob of at least the
        // declared size at offset `cred_blob_offset` for every cred, it is
        // aligned to a pointer, and `CredSecurity` is `Zeroable`. Committed
        // credentials are never written, so a shared borrow is sound.
        unsafe { &*blob::<M::CredSecurity>((*self.0.get()).security, M::blob_offsets().lbs_cred) }
    }
}

/// Credentials being prepared (not yet committed), which the security
/// module may change.
#[repr(transparent)]
pub(crate) struct NewCredentials(Opaque<bindings::cred>);

impl NewCredentials {
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct cred` that is not yet committed,
    /// is not accessed by anyone else during `'a`, and has a blob allocated
    /// by the framework.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::cred) -> &'a mut Self {
        // SAFETY: transparent wrapper; the caller guarantees validity and
        // exclusive access.
        unsafe { &mut *ptr.cast() }
    }

    /// The module's part of the security blob, for writing.
    pub(crate) fn security_mut<M: SecurityModule>(&mut self) -> &mut M::CredSecurity {
        // SAFETY: as in `Credentials::security`; `self` is borrowed
        // exclusively and the cred is not shared yet.
        unsafe {
            &mut *blob::<M::CredSecurity>((*self.0.get()).security, M::blob_offsets().lbs_cred)
        }
    }

    /// Changes the current task's credentials: `f` edits a copy, which is
    /// committed if `f` succeeds and discarded otherwise.
    pub(crate) fn modify_current(f: impl FnOnce(&mut NewCredentials) -> Result) -> Result {
        // SAFETY: called in process context on behalf of the current task.
        let new = unsafe { bindings::prepare_creds() };
        if new.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: `new` is a fresh copy only this function holds.
        match f(unsafe { NewCredentials::from_raw(new) }) {
            Ok(()) => {
                // SAFETY: `new` came from `prepare_creds` and is committed
                // once; `commit_creds` consumes the reference.
                unsafe { bindings::commit_creds(new) };
                Ok(())
            }
            Err(e) => {
                // SAFETY: as above, released once instead of committed.
                unsafe { bindings::abort_creds(new) };
                Err(e)
            }
        }
    }
}

/// The address of an LSM's part of a security blob.
///
/// # Safety
///
/// `base` must be a blob allocated by the framework for a kind of object
/// whose declared size for this LSM was `size_of::<T>()`, and `offset` the
/// offset the framework assigned to this LSM in it.
#[inline]
pub(super) unsafe fn blob<T>(base: *mut c_void, offset: c_int) -> *mut T {
    let offset = usize::try_from(offset).unwrap_or(0);
    // SAFETY: guaranteed by the caller: `base + offset` is inside the blob.
    unsafe { base.cast::<u8>().add(offset).cast() }
}

/// A user namespace (`struct user_namespace`).
#[repr(transparent)]
pub(crate) struct UserNamespace(Opaque<bindings::user_namespace>);

impl UserNamespace {
    /// Borrows the user namespace behind `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct user_namespace` that stays alive
    /// for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *const bindings::user_namespace) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// Whether this is the initial user namespace.
    pub(crate) fn is_initial(&self) -> bool {
        let init = core::ptr::addr_of!(bindings::init_user_ns);
        core::ptr::eq(self.0.get().cast_const(), init)
    }
}

/// A POSIX capability number (`CAP_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Capability(pub(crate) u32);

/// `CAP_MAC_ADMIN`: the capability that guards carapace's own interfaces.
pub(crate) const CAP_MAC_ADMIN: Capability = Capability(bindings::CAP_MAC_ADMIN);

impl Capability {
    /// Whether the current task has this capability in the initial user
    /// namespace (this runs every LSM's `capable` hook, carapace's too).
    pub(crate) fn current_has(self) -> bool {
        let Ok(cap) = c_int::try_from(self.0) else {
            return false;
        };
        // SAFETY: `capable()` may be called from any process context.
        unsafe { bindings::capable(cap) }
    }
}

/// Options of a capability check (`CAP_OPT_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct CapOpts(pub(super) u32);

impl CapOpts {
    /// Whether the caller asked that a denial not be audited.
    pub(crate) fn no_audit(self) -> bool {
        self.0 & bindings::CAP_OPT_NOAUDIT != 0
    }
}
