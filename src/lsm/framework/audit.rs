// SPDX-License-Identifier: GPL-2.0

//! Audit records through the kernel audit API.

use core::fmt;

use kernel::{bindings, c_str, ffi::c_int};

use super::Path;

/// One audit record being written; emitted when dropped.
///
/// # Invariants
///
/// `buf` is a valid audit buffer from `audit_log_start()`, ended exactly
/// once, in `drop`.
pub(crate) struct AuditRecord {
    buf: *mut bindings::audit_buffer,
}

impl AuditRecord {
    /// Starts a record of type `AUDIT_AVC` (1400), the access decision
    /// record that `ausearch -m avc` finds, or `None` when audit is off or
    /// the record was rate-limited. Does not sleep.
    pub(crate) fn avc() -> Option<Self> {
        Self::start(bindings::AUDIT_AVC)
    }

    /// Starts a record of type `AUDIT_MAC_POLICY_LOAD` (1403).
    pub(crate) fn policy_load() -> Option<Self> {
        Self::start(bindings::AUDIT_MAC_POLICY_LOAD)
    }

    /// Starts a record of type `AUDIT_MAC_STATUS` (1404): enforcement
    /// changes.
    pub(crate) fn status_change() -> Option<Self> {
        Self::start(bindings::AUDIT_MAC_STATUS)
    }

    fn start(kind: u32) -> Option<Self> {
        let kind = c_int::try_from(kind).ok()?;
        // SAFETY: the context is the current task's own or null (see
        // `current_context`); `GFP_ATOMIC` because hooks may run where
        // sleeping is not allowed.
        let buf =
            unsafe { bindings::audit_log_start(current_context(), bindings::GFP_ATOMIC, kind) };
        (!buf.is_null()).then_some(Self { buf })
    }

    /// Appends `value`, quoted, or hex-encoded if it has characters that
    /// could forge fields (`audit_log_untrustedstring`).
    pub(crate) fn untrusted(&mut self, value: &[u8]) {
        // SAFETY: `buf` is valid (invariant); `value` is readable for its
        // length.
        unsafe {
            bindings::audit_log_n_untrustedstring(self.buf, value.as_ptr().cast(), value.len())
        };
    }

    /// Appends ` path="…"`, the path of `path` in the caller's mount
    /// namespace.
    pub(crate) fn path(&mut self, path: &Path) {
        // SAFETY: `buf` is valid (invariant); `path` is a valid path the
        // caller holds; the prefix is NUL-terminated.
        unsafe {
            bindings::audit_log_d_path(self.buf, c_str!(" path=").as_char_ptr(), path.as_raw())
        };
    }
}

/// The current task's audit context, as C's `audit_context()` (an inline
/// function bindgen cannot bind): a record started in it gets the serial
/// of the system call being audited, and makes the kernel emit that
/// call's SYSCALL (and PATH, CWD, ...) records with it, as SELinux's AVC
/// records are. Null without syscall auditing, or for a task that has no
/// context (forked before audit was first enabled); `audit_log_start()`
/// then stamps the record on its own, as before.
#[cfg(CONFIG_AUDITSYSCALL)]
fn current_context() -> *mut bindings::audit_context {
    // SAFETY: `current` is a valid task for the whole call. Its
    // `audit_context` is written only by the task itself (`audit_alloc()`
    // before it first runs, `audit_free()` as it exits), never
    // concurrently with a hook running on its behalf, so this plain read
    // sees a context that stays valid until the record is ended, within
    // the hook.
    unsafe { (*super::task::current_task()).audit_context }
}

#[cfg(not(CONFIG_AUDITSYSCALL))]
fn current_context() -> *mut bindings::audit_context {
    core::ptr::null_mut()
}

impl fmt::Write for AuditRecord {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let len = c_int::try_from(s.len()).map_err(|_| fmt::Error)?;
        // SAFETY: `buf` is valid (invariant); "%.*s" reads exactly `len`
        // bytes of `s`, so no NUL is needed.
        unsafe {
            bindings::audit_log_format(self.buf, c_str!("%.*s").as_char_ptr(), len, s.as_ptr())
        };
        Ok(())
    }
}

impl Drop for AuditRecord {
    fn drop(&mut self) {
        // SAFETY: `buf` is valid and not yet ended (invariant).
        unsafe { bindings::audit_log_end(self.buf) };
    }
}
