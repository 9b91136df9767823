// SPDX-License-Identifier: GPL-2.0

//! Tasks, signals and ptrace as the hooks see them, and the hooks of the
//! task family ([`TaskHooks`]).

use kernel::{bindings, ffi::c_char, prelude::*, types::Opaque};

use super::{rcu, Credentials, Inode, SecurityModule};

/// The hooks on tasks: fork, signals, ptrace and `/proc/PID` inodes.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait TaskHooks: SecurityModule {
    /// `task_alloc`: the current task forks.
    fn task_alloc(_task: &Task) -> Result {
        Ok(())
    }

    /// `ptrace_access_check`: may the current task trace or inspect `child`?
    fn ptrace_access_check(_child: &Task, _mode: PtraceMode) -> Result {
        Ok(())
    }

    /// `ptrace_traceme`: may `parent` trace the current task?
    fn ptrace_traceme(_parent: &Task) -> Result {
        Ok(())
    }

    /// `task_kill`: may `sender` (the current task's credentials when
    /// `None`) send `sig` to `target`?
    fn task_kill(_target: &Task, _sig: Signal, _sender: Option<&Credentials>) -> Result {
        Ok(())
    }

    /// `task_to_inode`: `inode` is a `/proc/PID` entry of `task`.
    fn task_to_inode(_task: &Task, _inode: &Inode) {}

    /// `task_setpgid`, `task_getpgid`, `task_getsid`, `task_setnice`,
    /// `task_setioprio`, `task_getioprio`, `task_setscheduler`,
    /// `task_getscheduler`, `task_movememory`: may the current task do
    /// `op` to `target`?
    fn task_operation(_target: &Task, _op: TaskOperation) -> Result {
        Ok(())
    }

    /// `task_prlimit`: may `cred` read or change (as `access` says) the
    /// resource limits of a task with `target`?
    fn task_prlimit(_cred: &Credentials, _target: &Credentials, _access: LimitAccess) -> Result {
        Ok(())
    }

    /// `task_setrlimit`: may the current task set a resource limit of
    /// `target`, raising or lowering its hard limit if `hard_changes`?
    fn task_setrlimit(_target: &Task, _hard_changes: bool) -> Result {
        Ok(())
    }
}

/// An operation of one task on another's scheduling, process group,
/// session or memory placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TaskOperation {
    /// `setpgid()`.
    SetPgid,
    /// `getpgid()`.
    GetPgid,
    /// `getsid()`.
    GetSid,
    /// `setpriority()`, `nice()`.
    SetNice,
    /// `ioprio_set()`.
    SetIoprio,
    /// `ioprio_get()`.
    GetIoprio,
    /// `sched_setscheduler()`, `sched_setattr()`, `sched_setaffinity()` …
    SetScheduler,
    /// `sched_getscheduler()`, `sched_getattr()`, `sched_getaffinity()` …
    GetScheduler,
    /// `migrate_pages()`, `move_pages()`.
    MoveMemory,
}

/// What a `prlimit()` does with the target's limits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LimitAccess(pub(super) u32);

impl LimitAccess {
    /// Whether the limits are read.
    pub(crate) fn reads(self) -> bool {
        self.0 & bindings::LSM_PRLIMIT_READ != 0
    }

    /// Whether the limits are changed.
    pub(crate) fn writes(self) -> bool {
        self.0 & bindings::LSM_PRLIMIT_WRITE != 0
    }
}

/// A task (`struct task_struct`) other than, or including, current.
///
/// # Invariants
///
/// The wrapped task is valid for as long as the reference to this wrapper
/// lives (the framework holds a reference to it during the hook).
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

    /// Whether this is the current task.
    pub(crate) fn is_current(&self) -> bool {
        core::ptr::eq(self.0.get(), current_task())
    }

    /// Whether the current task is the only thread of its process and the
    /// only user of its memory (`current_is_single_threaded()`).
    pub(crate) fn current_is_single_threaded() -> bool {
        // SAFETY: the function inspects the current task, its thread group
        // and the users of its memory under its own locking; it may be
        // called from any task context.
        unsafe { bindings::current_is_single_threaded() }
    }

    /// Runs `f` on the tracer of the current task, if it is traced.
    ///
    /// `f` runs in an RCU read-side critical section: it must not sleep.
    pub(crate) fn with_current_tracer<R>(f: impl FnOnce(&Task) -> R) -> Option<R> {
        let _guard = rcu::ReadGuard::new();
        // SAFETY: `current` is valid; `ptrace` and `parent` are read as
        // `ptrace_parent()` does, `parent` RCU-protected while the guard is
        // held.
        let tracer = unsafe {
            let task = current_task();
            if (*task).ptrace == 0 {
                return None;
            }
            (*task).parent
        };
        // SAFETY: see above; a traced task's `parent` is its tracer.
        (!tracer.is_null()).then(|| f(unsafe { Task::from_raw(tracer) }))
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

/// The current task, as `get_current()`. On x86_64 with SMP it is read
/// from the per-CPU area as the C inline function does (`pcpu_hot` is
/// addressed `%gs`-relative from offset 0, with `current_task` its first
/// field): every hook asks for it, and a call to the C helper costs as
/// much as the read.
#[inline(always)]
pub(super) fn current_task() -> *mut bindings::task_struct {
    #[cfg(all(target_arch = "x86_64", CONFIG_SMP))]
    {
        let task: *mut bindings::task_struct;
        // SAFETY: `pcpu_hot` is a per-CPU variable: its symbol is the
        // offset of the variable in each CPU's area, which `%gs` points
        // to, and `current_task` is its first field (asm/current.h). The
        // read has no side effects, and the value is the same for the
        // whole time a task runs (`this_cpu_read_stable()`).
        unsafe {
            core::arch::asm!(
                "movq %gs:{hot}, {task}",
                hot = sym bindings::pcpu_hot,
                task = out(reg) task,
                options(att_syntax, nostack, preserves_flags, pure, readonly),
            );
        }
        task
    }
    #[cfg(not(all(target_arch = "x86_64", CONFIG_SMP)))]
    // SAFETY: reading `current` is always allowed.
    unsafe {
        bindings::get_current()
    }
}

/// The current task's pid and command name, for audit records.
pub(crate) fn current_pid_comm() -> (i32, [u8; 16]) {
    // SAFETY: `current` is valid; `comm` is a fixed array the task rewrites
    // only with whole NUL-terminated names (as `audit_log_task_info` relies
    // on too), and `pid` never changes.
    unsafe {
        let task = current_task();
        let comm: [c_char; 16] = (*task).comm;
        ((*task).pid, comm)
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

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_int, c_uint, c_ulong},
    };

    use super::{LimitAccess, PtraceMode, Signal, Task, TaskHooks, TaskOperation};
    use crate::framework::{to_c, Credentials, Inode};

    /// # Safety
    ///
    /// Called by the framework for the current task's new `task`.
    pub(crate) unsafe extern "C" fn task_alloc<M: TaskHooks>(
        task: *mut bindings::task_struct,
        _clone_flags: c_ulong,
    ) -> c_int {
        // SAFETY: the new task is valid during the call.
        to_c(M::task_alloc(unsafe { Task::from_raw(task) }))
    }

    /// # Safety
    ///
    /// Called by the framework with a task it holds a reference to.
    pub(crate) unsafe extern "C" fn ptrace_access_check<M: TaskHooks>(
        child: *mut bindings::task_struct,
        mode: c_uint,
    ) -> c_int {
        // SAFETY: as documented above.
        let child = unsafe { Task::from_raw(child) };
        to_c(M::ptrace_access_check(child, PtraceMode(mode)))
    }

    /// # Safety
    ///
    /// Called by the framework with the current task's parent, referenced.
    pub(crate) unsafe extern "C" fn ptrace_traceme<M: TaskHooks>(
        parent: *mut bindings::task_struct,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::ptrace_traceme(unsafe { Task::from_raw(parent) }))
    }

    /// # Safety
    ///
    /// Called by the framework with a valid target task and, if not null,
    /// the sender's credentials.
    pub(crate) unsafe extern "C" fn task_kill<M: TaskHooks>(
        p: *mut bindings::task_struct,
        _info: *mut bindings::kernel_siginfo,
        sig: c_int,
        cred: *const bindings::cred,
    ) -> c_int {
        // SAFETY: as documented above.
        let sender = (!cred.is_null()).then(|| unsafe { Credentials::from_raw(cred) });
        // SAFETY: as documented above.
        let target = unsafe { Task::from_raw(p) };
        to_c(M::task_kill(target, Signal(sig), sender))
    }

    /// # Safety
    ///
    /// Called by procfs with a valid task and its new or revalidated inode.
    pub(crate) unsafe extern "C" fn task_to_inode<M: TaskHooks>(
        p: *mut bindings::task_struct,
        inode: *mut bindings::inode,
    ) {
        // SAFETY: as documented above.
        let (task, inode) = unsafe { (Task::from_raw(p), Inode::from_raw(inode)) };
        M::task_to_inode(task, inode);
    }

    /// # Safety
    ///
    /// Called by the framework with a task it holds a reference to.
    unsafe fn operation<M: TaskHooks>(p: *mut bindings::task_struct, op: TaskOperation) -> c_int {
        // SAFETY: guaranteed by the caller.
        to_c(M::task_operation(unsafe { Task::from_raw(p) }, op))
    }

    /// # Safety
    ///
    /// Called by `setpgid()` with a task it holds a reference to.
    pub(crate) unsafe extern "C" fn task_setpgid<M: TaskHooks>(
        p: *mut bindings::task_struct,
        _pgid: bindings::pid_t,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::SetPgid) }
    }

    /// # Safety
    ///
    /// Called by `getpgid()` with a task it holds a reference to.
    pub(crate) unsafe extern "C" fn task_getpgid<M: TaskHooks>(
        p: *mut bindings::task_struct,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::GetPgid) }
    }

    /// # Safety
    ///
    /// Called by `getsid()` with a task it holds a reference to.
    pub(crate) unsafe extern "C" fn task_getsid<M: TaskHooks>(
        p: *mut bindings::task_struct,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::GetSid) }
    }

    /// # Safety
    ///
    /// Called by `setpriority()` with a task it holds a reference to.
    pub(crate) unsafe extern "C" fn task_setnice<M: TaskHooks>(
        p: *mut bindings::task_struct,
        _nice: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::SetNice) }
    }

    /// # Safety
    ///
    /// Called by `ioprio_set()` with a task it holds a reference to.
    pub(crate) unsafe extern "C" fn task_setioprio<M: TaskHooks>(
        p: *mut bindings::task_struct,
        _ioprio: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::SetIoprio) }
    }

    /// # Safety
    ///
    /// Called by `ioprio_get()` with a task it holds a reference to.
    pub(crate) unsafe extern "C" fn task_getioprio<M: TaskHooks>(
        p: *mut bindings::task_struct,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::GetIoprio) }
    }

    /// # Safety
    ///
    /// Called by the scheduler syscalls with a task they hold a reference
    /// to.
    pub(crate) unsafe extern "C" fn task_setscheduler<M: TaskHooks>(
        p: *mut bindings::task_struct,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::SetScheduler) }
    }

    /// # Safety
    ///
    /// As for `task_setscheduler`.
    pub(crate) unsafe extern "C" fn task_getscheduler<M: TaskHooks>(
        p: *mut bindings::task_struct,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::GetScheduler) }
    }

    /// # Safety
    ///
    /// Called by `migrate_pages()`/`move_pages()` with a task they hold a
    /// reference to.
    pub(crate) unsafe extern "C" fn task_movememory<M: TaskHooks>(
        p: *mut bindings::task_struct,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(p, TaskOperation::MoveMemory) }
    }

    /// # Safety
    ///
    /// Called by `prlimit()` with the caller's and the target's valid
    /// credentials.
    pub(crate) unsafe extern "C" fn task_prlimit<M: TaskHooks>(
        cred: *const bindings::cred,
        tcred: *const bindings::cred,
        flags: c_uint,
    ) -> c_int {
        if flags == 0 {
            return 0;
        }
        // SAFETY: as documented above.
        let (cred, tcred) = unsafe { (Credentials::from_raw(cred), Credentials::from_raw(tcred)) };
        to_c(M::task_prlimit(cred, tcred, LimitAccess(flags)))
    }

    /// # Safety
    ///
    /// Called by `do_prlimit()` with a referenced task, a resource below
    /// `RLIM_NLIMITS` and the new limit, the target's `task_lock` held.
    pub(crate) unsafe extern "C" fn task_setrlimit<M: TaskHooks>(
        p: *mut bindings::task_struct,
        resource: c_uint,
        new_rlim: *mut bindings::rlimit,
    ) -> c_int {
        // SAFETY: as documented above: `signal` is valid while the task is,
        // and the lock keeps the limit stable.
        let (old_max, new_max) = unsafe {
            let limits = &(*(*p).signal).rlim;
            let Some(old) = usize::try_from(resource).ok().and_then(|r| limits.get(r)) else {
                return 0;
            };
            (old.rlim_max, (*new_rlim).rlim_max)
        };
        // SAFETY: as documented above.
        let target = unsafe { Task::from_raw(p) };
        to_c(M::task_setrlimit(target, old_max != new_max))
    }
}
