// SPDX-License-Identifier: GPL-2.0

//! RCU: read-side guards and a pointer whose old targets are freed only
//! after a grace period.

use core::{
    marker::PhantomData,
    ptr,
    sync::atomic::{AtomicPtr, Ordering},
};

use kernel::{bindings, prelude::*};

/// An RCU read-side critical section, from creation to drop.
///
/// Code holding it must not sleep.
pub(crate) struct ReadGuard(PhantomData<*mut ()>);

impl ReadGuard {
    /// Enters a read-side critical section.
    pub(crate) fn new() -> Self {
        // SAFETY: always allowed; paired with the unlock in `drop`.
        unsafe { bindings::rcu_read_lock() };
        Self(PhantomData)
    }
}

impl Drop for ReadGuard {
    fn drop(&mut self) {
        // SAFETY: paired with the lock in `new`, on the same CPU/context
        // (the guard is neither `Send` nor `Sync`).
        unsafe { bindings::rcu_read_unlock() };
    }
}

/// An owning pointer that readers follow under RCU and that writers
/// replace, freeing the previous target after a grace period.
///
/// # Invariants
///
/// `ptr` is null or comes from [`KBox::into_raw`] and is owned by `self`;
/// a replaced pointer is freed only after `synchronize_rcu()`.
pub(crate) struct RcuBox<T> {
    ptr: AtomicPtr<T>,
}

impl<T: Sync> RcuBox<T> {
    /// An empty pointer.
    pub(crate) const fn new() -> Self {
        Self {
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// The current target, valid while `guard` is held.
    pub(crate) fn get<'g>(&self, _guard: &'g ReadGuard) -> Option<&'g T> {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: by the type invariant `p` is null or a live `KBox`
        // allocation; it is freed only after a grace period, which cannot
        // end while `_guard` is held.
        unsafe { p.as_ref() }
    }

    /// The current target for a writer: `_writer` proves the caller holds
    /// the lock that serialises [`RcuBox::replace`], so nothing frees it.
    pub(crate) fn get_locked<'w, W>(&self, _writer: &'w W) -> Option<&'w T> {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: only `replace`, serialised by the writer lock the caller
        // holds, frees the target.
        unsafe { p.as_ref() }
    }

    /// Publishes `new`; returns the previous target once no reader can see
    /// it any more. May sleep.
    ///
    /// Callers must serialise `replace` with one lock, the one they pass to
    /// [`RcuBox::get_locked`].
    pub(crate) fn replace(&self, new: KBox<T>) -> Option<KBox<T>> {
        let old = self.ptr.swap(KBox::into_raw(new), Ordering::AcqRel);
        if old.is_null() {
            return None;
        }
        // SAFETY: may sleep; we are in process context (writers are).
        unsafe { bindings::synchronize_rcu() };
        // SAFETY: `old` came from `KBox::into_raw` (type invariant) and,
        // after the grace period, no reader holds it.
        Some(unsafe { KBox::from_raw(old) })
    }
}

// SAFETY: `RcuBox<T>` hands out `&T` to any thread, so `T: Sync` suffices
// for sharing, and it moves `KBox<T>` between threads, hence `T: Send`.
unsafe impl<T: Send + Sync> Sync for RcuBox<T> {}
