// SPDX-License-Identifier: GPL-2.0

//! Tasks and program loads as the hooks see them.

use kernel::{bindings, ffi::c_char, types::Opaque};

use super::{rcu, Credentials, NewCredentials, OpenFile};

/// A task (`struct task_struct`) other than, or including, current.
#[repr(transparent)]
pub(crate) struct Task(Opaque<bindings::task_struct>);

impl Task {
    /// # Safety
    ///
    /// `ptr` must point to a task that stays valid for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::task_struct) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// Runs `f` on the task's objective credentials.
    ///
    /// `f` runs in an RCU read-side critical section: it must not sleep.
    pub(crate) fn with_credentials<R>(&self, f: impl FnOnce(&Credentials) -> R) -> R {
        let _guard = rcu::ReadGuard::new();
        // SAFETY: `real_cred` is RCU-protected: it stays valid while the
        // guard is held, and a task always has credentials.
        let cred = unsafe { Credentials::from_raw((*self.0.get()).real_cred) };
        f(cred)
    }
}

/// The current task's pid and command name, for audit records.
pub(crate) fn current_pid_comm() -> (i32, [u8; 16]) {
    // SAFETY: `current` is valid; `comm` is a fixed array the task rewrites
    // only with whole NUL-terminated names (as `audit_log_task_info` relies
    // on too), and `pid` never changes.
    unsafe {
        let task = bindings::get_current();
        let comm: [c_char; 16] = (*task).comm;
        ((*task).pid, comm)
    }
}

/// A program being loaded by execve (`struct linux_binprm`).
#[repr(transparent)]
pub(crate) struct BinaryLoad(Opaque<bindings::linux_binprm>);

impl BinaryLoad {
    /// # Safety
    ///
    /// `ptr` must point to a valid `linux_binprm` during an execve, with
    /// its new credentials not yet committed, exclusively for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::linux_binprm) -> &'a mut Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &mut *ptr.cast() }
    }

    /// The credentials the task will have after the exec.
    pub(crate) fn new_credentials(&mut self) -> &mut NewCredentials {
        // SAFETY: `cred` is the new, uncommitted cred owned by this exec.
        unsafe { NewCredentials::from_raw((*self.0.get()).cred) }
    }

    /// The executable being loaded.
    pub(crate) fn file(&self) -> &OpenFile {
        // SAFETY: `file` is the opened executable, pinned by the exec.
        unsafe { OpenFile::from_raw((*self.0.get()).file) }
    }

    /// Whether the exec runs under `no_new_privs` (or is traced such that
    /// privileges must not grow).
    pub(crate) fn no_new_privs(&self) -> bool {
        // SAFETY: `unsafe` is a plain field set by the exec code before
        // this hook.
        let flags = unsafe { (*self.0.get()).unsafe_ };
        flags as u32 & bindings::LSM_UNSAFE_NO_NEW_PRIVS != 0
    }

    /// Asks for a secure exec (`AT_SECURE`): the loader then ignores the
    /// environment that could subvert a new domain (`LD_PRELOAD` …).
    pub(crate) fn set_secure_exec(&mut self) {
        // SAFETY: exclusive access to the bprm during the hook.
        unsafe { (*self.0.get()).set_secureexec(1) };
    }
}

/// A signal number, 0 for the existence check of `kill(pid, 0)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Signal(pub(crate) i32);

impl Signal {
    /// `SIGKILL`.
    pub(crate) const KILL: Self = Self(bindings::SIGKILL as i32);
    /// `SIGSTOP`.
    pub(crate) const STOP: Self = Self(bindings::SIGSTOP as i32);
    /// `SIGCHLD`.
    pub(crate) const CHLD: Self = Self(bindings::SIGCHLD as i32);
}

/// The access a `ptrace_access_check` asks for (`PTRACE_MODE_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PtraceMode(pub(super) u32);

impl PtraceMode {
    /// Whether only reading the task's state is asked (`/proc/PID/...`
    /// files), rather than attaching to it.
    pub(crate) fn read_only(self) -> bool {
        self.0 & bindings::PTRACE_MODE_READ != 0
    }
}
