// SPDX-License-Identifier: GPL-2.0

//! Keys and keyrings as the hooks see them, their security blobs, and the
//! hooks of the key family ([`KeyHooks`]).

use kernel::{bindings, ffi::c_void, prelude::*, types::Opaque};

use super::{cred::blob, Credentials, SecurityModule};

/// The hooks on keys.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait KeyHooks: SecurityModule {
    /// `key_alloc`: `key` is being made for the task of `cred`; an error
    /// refuses it.
    fn key_alloc(_key: &Key, _cred: &Credentials) -> Result {
        Ok(())
    }

    /// `key_permission`: may the task of `cred` do what `need` (`enum
    /// key_need_perm`) says on `key`?
    fn key_permission(_key: &Key, _cred: &Credentials, _need: u32) -> Result {
        Ok(())
    }

    /// `key_getsecurity`: `key`'s label, as `keyctl_get_security()` shows
    /// it; empty for none.
    fn key_getsecurity(_key: &Key) -> Result<KVec<u8>> {
        Ok(KVec::new())
    }
}

extern "C" {
    // framework/kernel_objects.c
    fn carapace_key_security(key: *const bindings::key) -> *mut c_void;
}

/// A key or keyring (`struct key`).
///
/// # Invariants
///
/// The wrapped key is valid, with its security blob allocated by the
/// framework, for as long as the reference lives.
#[repr(transparent)]
pub(crate) struct Key(Opaque<bindings::key>);

impl Key {
    /// # Safety
    ///
    /// `ptr` must point to a valid key, with its blob, alive for `'a`.
    unsafe fn from_raw<'a>(ptr: *const bindings::key) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The module's part of the key's security blob.
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::KeySecurity {
        // SAFETY: by the type invariant the key is valid; the framework
        // gives every key a zeroed blob of the declared size before
        // `key_alloc` and frees it with the key; `KeySecurity` is
        // `Zeroable` and `Sync`.
        unsafe {
            &*blob::<M::KeySecurity>(
                carapace_key_security(self.0.get()),
                M::blob_offsets().lbs_key,
            )
        }
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_char, c_int, c_ulong},
        prelude::*,
    };

    use super::{Key, KeyHooks};
    use crate::framework::{to_c, Credentials};

    /// # Safety
    ///
    /// Called by `key_alloc()` with the new key and its owner's
    /// credentials.
    pub(crate) unsafe extern "C" fn key_alloc<M: KeyHooks>(
        key: *mut bindings::key,
        cred: *const bindings::cred,
        _flags: c_ulong,
    ) -> c_int {
        // SAFETY: as documented above.
        let (key, cred) = unsafe { (Key::from_raw(key), Credentials::from_raw(cred)) };
        to_c(M::key_alloc(key, cred))
    }

    /// # Safety
    ///
    /// Called by `key_task_permission()` with a reference to a live key
    /// (its low bit: possessed) and the caller's credentials.
    pub(crate) unsafe extern "C" fn key_permission<M: KeyHooks>(
        key_ref: bindings::key_ref_t,
        cred: *const bindings::cred,
        need: bindings::key_need_perm,
    ) -> c_int {
        // `key_ref_to_ptr()`: the pointer without the possession bit.
        let key = (key_ref as usize & !1) as *const bindings::key;
        // SAFETY: as documented above.
        let (key, cred) = unsafe { (Key::from_raw(key), Credentials::from_raw(cred)) };
        to_c(M::key_permission(key, cred, need))
    }

    /// # Safety
    ///
    /// Called by `keyctl_get_security()` with a live key and a place for
    /// a buffer it frees with `kfree()`.
    pub(crate) unsafe extern "C" fn key_getsecurity<M: KeyHooks>(
        key: *mut bindings::key,
        buffer: *mut *mut c_char,
    ) -> c_int {
        // SAFETY: as documented above.
        let label = match M::key_getsecurity(unsafe { Key::from_raw(key) }) {
            Ok(label) => label,
            Err(e) => return e.to_errno(),
        };
        let Ok(len) = c_int::try_from(label.len()) else {
            return ERANGE.to_errno();
        };
        if label.is_empty() {
            // SAFETY: `buffer` is writable.
            unsafe { *buffer = core::ptr::null_mut() };
            return 0;
        }
        // `KVec` allocates with `kmalloc`: the caller's `kfree()` frees it.
        let (ptr, _, _) = label.into_raw_parts();
        // SAFETY: `buffer` is writable.
        unsafe { *buffer = ptr.cast() };
        len
    }
}
