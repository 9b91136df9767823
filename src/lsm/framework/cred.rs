// SPDX-License-Identifier: GPL-2.0

//! Credentials, their security blobs, capabilities and user namespaces,
//! and the hooks of the credentials family ([`CredHooks`]).

use core::{marker::PhantomData, ops::Deref};

use kernel::{
    bindings,
    ffi::{c_int, c_void},
    prelude::*,
    types::Opaque,
};

use super::{SecurityModule, Task};

/// The hooks on credentials, as safe functions.
///
/// Each has the framework's default behaviour, so a module overrides only
/// the hooks it lists in its `CRED` hook list. An `Err` becomes the hook's
/// negative errno.
pub(crate) trait CredHooks: SecurityModule {
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

    /// `cred_prepare` and `cred_transfer`: `new` is a copy of `old` being
    /// prepared.
    fn cred_prepare(_new: &mut NewCredentials, _old: &Credentials) -> Result {
        Ok(())
    }

    /// `capget`: may the current task read the capability sets of
    /// `target`?
    fn capget(_target: &Task) -> Result {
        Ok(())
    }

    /// `capset`: may the current task change its capability sets, from
    /// `old` to `new`?
    fn capset(_new: &NewCredentials, _old: &Credentials) -> Result {
        Ok(())
    }

    /// `userns_create`: may a task with `cred` create a user namespace?
    fn userns_create(_cred: &Credentials) -> Result {
        Ok(())
    }
}

/// Credentials of a task (`struct cred`).
///
/// # Invariants
///
/// The wrapped `struct cred` is valid, committed (written again only
/// through the atomics of the module's blob) and
/// has a security blob allocated by the LSM framework, for as long as the
/// reference to this wrapper lives.
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

    /// The `struct cred` itself, for the C side.
    pub(super) fn as_raw(&self) -> *const bindings::cred {
        self.0.get().cast_const()
    }

    /// The credentials of the current task, borrowed for as long as the
    /// returned guard lives (as `current_cred()` in C).
    #[inline]
    pub(crate) fn current() -> CurrentCredentials {
        // SAFETY: `current` is a valid task, and a task always has
        // credentials.
        let cred = unsafe { (*super::task::current_task()).cred };
        // INVARIANT: `cred` is the current task's subjective credentials,
        // and the guard cannot leave this task.
        CurrentCredentials {
            cred,
            _not_send: PhantomData,
        }
    }

    /// The module's part of the security blob.
    #[inline]
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::CredSecurity {
        // SAFETY: the framework allocated a zeroed blob of at least the
        // declared size at offset `cred_blob_offset` for every cred, it is
        // aligned to a pointer, and `CredSecurity` is `Zeroable`. Committed
        // credentials are written only through the atomics of a `Sync`
        // `CredSecurity`, so a shared borrow is sound.
        unsafe { &*blob::<M::CredSecurity>((*self.0.get()).security, M::blob_offsets().lbs_cred) }
    }
}

/// The current task's credentials, from [`Credentials::current`].
///
/// # Invariants
///
/// `cred` is the subjective credentials of the task that made the guard,
/// and the guard stays on that task (it is neither `Send` nor `Sync`).
/// Only the task itself replaces its credentials, and the one way this
/// layer does so, [`CurrentCredentials::modify`], consumes the guard; a
/// replaced `cred` is freed only after an RCU grace period, so a reference
/// obtained through the guard is valid while the guard lives.
pub(crate) struct CurrentCredentials {
    cred: *const bindings::cred,
    _not_send: PhantomData<*mut ()>,
}

impl Deref for CurrentCredentials {
    type Target = Credentials;

    #[inline]
    fn deref(&self) -> &Credentials {
        // SAFETY: valid while the guard lives (type invariant); the borrow
        // of `self` bounds the reference.
        unsafe { Credentials::from_raw(self.cred) }
    }
}

impl CurrentCredentials {
    /// Changes the current task's credentials: `f` edits a copy, which is
    /// committed if `f` succeeds and discarded otherwise. Consumes the
    /// guard: the credentials it borrowed may be replaced.
    pub(crate) fn modify(self, f: impl FnOnce(&mut NewCredentials) -> Result) -> Result {
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

/// Credentials being prepared (not yet committed), which the security
/// module may change.
///
/// # Invariants
///
/// The wrapped `struct cred` is valid, not yet committed, not shared with
/// any other thread and has a security blob allocated by the framework,
/// for as long as the mutable reference to this wrapper lives.
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

    /// The module's part of the security blob.
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::CredSecurity {
        // SAFETY: as in `Credentials::security`.
        unsafe { &*blob::<M::CredSecurity>((*self.0.get()).security, M::blob_offsets().lbs_cred) }
    }

    /// The module's part of the security blob, for writing.
    pub(crate) fn security_mut<M: SecurityModule>(&mut self) -> &mut M::CredSecurity {
        // SAFETY: as in `Credentials::security`; `self` is borrowed
        // exclusively and the cred is not shared yet.
        unsafe {
            &mut *blob::<M::CredSecurity>((*self.0.get()).security, M::blob_offsets().lbs_cred)
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
    // The framework assigns offsets from 0 up (`lsm_set_blob_size()`), so
    // the one the caller passes is not negative.
    let offset = offset as usize;
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

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_int, c_uint},
        prelude::*,
    };

    use super::{CapOpts, Capability, CredHooks, Credentials, NewCredentials, UserNamespace};
    use crate::framework::{to_c, Task};

    /// # Safety
    ///
    /// Called by the LSM framework with a valid `cred` and `ns`.
    pub(crate) unsafe extern "C" fn capable<M: CredHooks>(
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
    pub(crate) unsafe extern "C" fn cred_prepare<M: CredHooks>(
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
    pub(crate) unsafe extern "C" fn cred_transfer<M: CredHooks>(
        new: *mut bindings::cred,
        old: *const bindings::cred,
    ) {
        // SAFETY: as for `cred_prepare`. The hook cannot fail: the framework
        // ignores errors here, and copying a blob does not fail.
        let _ = unsafe { cred_prepare::<M>(new, old, 0) };
    }

    /// # Safety
    ///
    /// Called by `capget()` with a task it holds a reference to.
    pub(crate) unsafe extern "C" fn capget<M: CredHooks>(
        target: *const bindings::task_struct,
        _effective: *mut bindings::kernel_cap_t,
        _inheritable: *mut bindings::kernel_cap_t,
        _permitted: *mut bindings::kernel_cap_t,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::capget(unsafe { Task::from_raw(target.cast_mut()) }))
    }

    /// # Safety
    ///
    /// Called by `capset()` with the current task's credentials and the
    /// copy being prepared (not shared yet).
    pub(crate) unsafe extern "C" fn capset<M: CredHooks>(
        new: *mut bindings::cred,
        old: *const bindings::cred,
        _effective: *const bindings::kernel_cap_t,
        _inheritable: *const bindings::kernel_cap_t,
        _permitted: *const bindings::kernel_cap_t,
    ) -> c_int {
        // SAFETY: as documented above.
        let (new, old) = unsafe { (NewCredentials::from_raw(new), Credentials::from_raw(old)) };
        to_c(M::capset(new, old))
    }

    /// # Safety
    ///
    /// Called by `create_user_ns()` with the creator's credentials.
    pub(crate) unsafe extern "C" fn userns_create<M: CredHooks>(
        cred: *const bindings::cred,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::userns_create(unsafe { Credentials::from_raw(cred) }))
    }
}
