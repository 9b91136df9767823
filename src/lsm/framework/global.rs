// SPDX-License-Identifier: GPL-2.0

//! A global set once at boot and read everywhere after.

use core::{
    ptr,
    sync::atomic::{AtomicPtr, Ordering},
};

use kernel::prelude::*;

/// A value set once, at init, and never freed.
///
/// # Invariants
///
/// `ptr` is null or comes from a pinned [`KBox`] that is never freed or
/// moved.
pub(crate) struct Global<T> {
    ptr: AtomicPtr<T>,
}

impl<T: Sync> Global<T> {
    /// An unset global.
    pub(crate) const fn new() -> Self {
        Self {
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// Sets the value; `EBUSY` if it was already set.
    pub(crate) fn set(&self, value: Pin<KBox<T>>) -> Result {
        // SAFETY: the box is leaked: never moved or freed again.
        let raw = KBox::into_raw(unsafe { Pin::into_inner_unchecked(value) });
        match self
            .ptr
            .compare_exchange(ptr::null_mut(), raw, Ordering::Release, Ordering::Relaxed)
        {
            Ok(_) => Ok(()),
            Err(_) => {
                // SAFETY: `raw` was not published; we still own it.
                drop(unsafe { KBox::from_raw(raw) });
                Err(EBUSY)
            }
        }
    }

    /// The value, once set.
    pub(crate) fn get(&self) -> Option<&'static T> {
        // SAFETY: by the invariant the pointer is null or a leaked box.
        unsafe { self.ptr.load(Ordering::Acquire).as_ref() }
    }
}

// SAFETY: it only hands out `&'static T`, shared between threads.
unsafe impl<T: Sync + Send> Sync for Global<T> {}
