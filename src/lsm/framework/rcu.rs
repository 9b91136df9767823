// SPDX-License-Identifier: GPL-2.0

//! RCU: read-side guards and a pointer whose old targets are freed only
//! after a grace period.

use core::{
    marker::PhantomData,
    ptr,
    sync::atomic::{AtomicPtr, Ordering},
};

use kernel::{
    bindings, new_mutex,
    prelude::*,
    sync::{lock::mutex::MutexBackend, lock::Guard, Mutex},
};

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

/// An owning pointer that readers follow under RCU and that writers,
/// serialised by the lock it contains, replace, freeing the previous
/// target after a grace period. The lock also guards the writers' own
/// state `W`.
///
/// # Invariants
///
/// `ptr` is null or comes from [`KBox::into_raw`] and is owned by `self`;
/// it changes only under `writer`, and a replaced pointer is freed only
/// after `synchronize_rcu()`.
#[pin_data]
pub(crate) struct RcuBox<T, W> {
    #[pin]
    writer: Mutex<W>,
    ptr: AtomicPtr<T>,
}

impl<T: Sync, W> RcuBox<T, W> {
    /// An empty pointer, with writer state `state`.
    pub(crate) fn new(state: W) -> impl PinInit<Self> {
        pin_init!(Self {
            writer <- new_mutex!(state),
            ptr: AtomicPtr::new(ptr::null_mut()),
        })
    }

    /// The current target, valid while `guard` is held.
    pub(crate) fn get<'g>(&self, _guard: &'g ReadGuard) -> Option<&'g T> {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: by the type invariant `p` is null or a live `KBox`
        // allocation; it is freed only after a grace period, which cannot
        // end while `_guard` is held.
        unsafe { p.as_ref() }
    }

    /// Takes the writer lock. May sleep.
    pub(crate) fn lock(&self) -> RcuWriter<'_, T, W> {
        RcuWriter {
            guard: self.writer.lock(),
            ptr: &self.ptr,
        }
    }
}

// SAFETY: `RcuBox` hands out `&T` to any thread, so `T: Sync` suffices for
// sharing, and it moves `KBox<T>` between threads, hence `T: Send`; `W` is
// behind a mutex.
unsafe impl<T: Send + Sync, W: Send> Sync for RcuBox<T, W> {}

/// A writer of an [`RcuBox`]: holds its lock.
pub(crate) struct RcuWriter<'a, T, W> {
    guard: Guard<'a, W, MutexBackend>,
    ptr: &'a AtomicPtr<T>,
}

impl<T, W> RcuWriter<'_, T, W> {
    /// The current target: only writers free it, and this one holds the
    /// lock.
    pub(crate) fn get(&self) -> Option<&T> {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: `p` is null or a live `KBox` (type invariant of
        // `RcuBox`); only `replace`, under the lock this writer holds,
        // frees it, and it needs `&mut self`.
        unsafe { p.as_ref() }
    }

    /// The writers' state.
    pub(crate) fn state(&mut self) -> &mut W {
        &mut self.guard
    }

    /// The current target and the writers' state together.
    pub(crate) fn get_and_state(&mut self) -> (Option<&T>, &mut W) {
        let p = self.ptr.load(Ordering::Acquire);
        // SAFETY: as in `get`: the target stays while this writer holds
        // the lock, and `replace` needs `&mut self`, which the borrows
        // returned here keep.
        (unsafe { p.as_ref() }, &mut self.guard)
    }

    /// Publishes `new`; returns the previous target once no reader can see
    /// it any more. Sleeps.
    pub(crate) fn replace(&mut self, new: KBox<T>) -> Option<KBox<T>> {
        let old = self.ptr.swap(KBox::into_raw(new), Ordering::AcqRel);
        if old.is_null() {
            return None;
        }
        // SAFETY: may sleep; writers run in process context.
        unsafe { bindings::synchronize_rcu() };
        // SAFETY: `old` came from `KBox::into_raw` (invariant of `RcuBox`)
        // and, after the grace period, no reader holds it.
        Some(unsafe { KBox::from_raw(old) })
    }
}
