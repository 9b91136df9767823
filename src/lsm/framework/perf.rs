// SPDX-License-Identifier: GPL-2.0

//! Performance monitoring events as the hooks see them, their security
//! blobs, and the hooks of the perf event family ([`PerfEventHooks`]).

use kernel::{bindings, ffi::c_void, prelude::*, types::Opaque};

use super::{cred::blob, SecurityModule};

/// The hooks on perf events.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait PerfEventHooks: SecurityModule {
    /// `perf_event_open`: may the current task open an event of the kind
    /// `kind` says (`PERF_SECURITY_OPEN`, `_CPU`, `_KERNEL`,
    /// `_TRACEPOINT`)?
    fn perf_event_open(_kind: i32) -> Result {
        Ok(())
    }

    /// `perf_event_alloc`: the current task made `event`.
    fn perf_event_alloc(_event: &PerfEvent) -> Result {
        Ok(())
    }

    /// `perf_event_read`: may the current task read `event`'s counts?
    fn perf_event_read(_event: &PerfEvent) -> Result {
        Ok(())
    }

    /// `perf_event_write`: may the current task change `event`
    /// (`ioctl()`)?
    fn perf_event_write(_event: &PerfEvent) -> Result {
        Ok(())
    }
}

extern "C" {
    // framework/kernel_objects.c
    fn carapace_perf_event_security(event: *const bindings::perf_event) -> *mut c_void;
}

/// A perf event (`struct perf_event`).
///
/// # Invariants
///
/// The wrapped event is valid, with its security blob allocated by the
/// framework, for as long as the reference lives.
#[repr(transparent)]
pub(crate) struct PerfEvent(Opaque<bindings::perf_event>);

impl PerfEvent {
    /// # Safety
    ///
    /// `ptr` must point to a valid event, with its blob, alive for `'a`.
    unsafe fn from_raw<'a>(ptr: *const bindings::perf_event) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The module's part of the event's security blob.
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::PerfEventSecurity {
        // SAFETY: by the type invariant the event is valid; the framework
        // gives every event a zeroed blob of the declared size before
        // `perf_event_alloc` and frees it with the event;
        // `PerfEventSecurity` is `Zeroable` and `Sync`.
        unsafe {
            &*blob::<M::PerfEventSecurity>(
                carapace_perf_event_security(self.0.get()),
                M::blob_offsets().lbs_perf_event,
            )
        }
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{bindings, ffi::c_int};

    use super::{PerfEvent, PerfEventHooks};
    use crate::framework::to_c;

    /// # Safety
    ///
    /// Called by `perf_event_open()` and the perf permission helpers.
    pub(crate) unsafe extern "C" fn perf_event_open<M: PerfEventHooks>(kind: c_int) -> c_int {
        to_c(M::perf_event_open(kind))
    }

    /// # Safety
    ///
    /// Called by `perf_event_alloc()` with the new event and its blob.
    pub(crate) unsafe extern "C" fn perf_event_alloc<M: PerfEventHooks>(
        event: *mut bindings::perf_event,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::perf_event_alloc(unsafe { PerfEvent::from_raw(event) }))
    }

    /// # Safety
    ///
    /// Called with an event whose file is open.
    pub(crate) unsafe extern "C" fn perf_event_read<M: PerfEventHooks>(
        event: *mut bindings::perf_event,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::perf_event_read(unsafe { PerfEvent::from_raw(event) }))
    }

    /// # Safety
    ///
    /// Called with an event whose file is open.
    pub(crate) unsafe extern "C" fn perf_event_write<M: PerfEventHooks>(
        event: *mut bindings::perf_event,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::perf_event_write(unsafe { PerfEvent::from_raw(event) }))
    }
}
