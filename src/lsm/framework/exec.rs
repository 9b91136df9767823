// SPDX-License-Identifier: GPL-2.0

//! Program loads and process attributes as the hooks see them, and the
//! hooks of the exec family ([`ExecHooks`]).

use kernel::{bindings, ffi::c_uint, prelude::*, types::Opaque};

use super::{Credentials, NewCredentials, OpenFile, SecurityModule, Task};

/// The hooks on execve and on the process attributes that steer it.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait ExecHooks: SecurityModule {
    /// `bprm_creds_for_exec`: compute the credentials of an execve.
    fn bprm_creds_for_exec(_bprm: &mut BinaryLoad) -> Result {
        Ok(())
    }

    /// `getprocattr` and `getselfattr`: the label `attr` of `task`, bare
    /// (the framework's callers add a newline for `/proc/PID/attr/` or a
    /// NUL for `lsm_get_self_attr()`); empty when there is none.
    fn getprocattr(_task: &Task, _attr: ProcAttr) -> Result<KVec<u8>> {
        Err(EINVAL)
    }

    /// `setprocattr` and `setselfattr`: the current task sets its own
    /// attribute `attr` to `value` (a trailing newline or NUL removed).
    fn setprocattr(_attr: ProcAttr, _value: &[u8]) -> Result {
        Err(EINVAL)
    }

    /// `bprm_committing_creds`: the exec is past the point of no return
    /// and about to install `bprm`'s credentials; the current task still
    /// has the old ones.
    fn bprm_committing_creds(_bprm: &BinaryLoad) {}

    /// `bprm_committed_creds`: the current task now runs with the new
    /// credentials.
    fn bprm_committed_creds(_bprm: &BinaryLoad) {}
}

/// A process attribute file under `/proc/PID/attr/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProcAttr {
    /// `current`: the task's domain.
    Current,
    /// `exec`: the domain to enter at the next execve.
    Exec,
}

impl ProcAttr {
    fn from_name(name: &CStr) -> Option<Self> {
        match name.as_bytes() {
            b"current" => Some(Self::Current),
            b"exec" => Some(Self::Exec),
            _ => None,
        }
    }

    fn from_lsm_attr(attr: c_uint) -> Option<Self> {
        match attr {
            bindings::LSM_ATTR_CURRENT => Some(Self::Current),
            bindings::LSM_ATTR_EXEC => Some(Self::Exec),
            _ => None,
        }
    }
}

/// A program being loaded by execve (`struct linux_binprm`).
///
/// # Invariants
///
/// The wrapped `linux_binprm` is valid and exclusively ours for as long as
/// the mutable reference to this wrapper lives; its `cred` is the new,
/// uncommitted credentials and its `file` the opened executable.
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

    /// Borrows the `linux_binprm` behind `ptr` for reading.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `linux_binprm` during an execve, for
    /// `'a`.
    pub(super) unsafe fn from_raw_ref<'a>(ptr: *const bindings::linux_binprm) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The credentials the task will have after the exec, as computed.
    pub(crate) fn credentials(&self) -> &Credentials {
        // SAFETY: `cred` is valid for the whole exec and no longer changes
        // once `bprm_creds_for_exec` has run.
        unsafe { Credentials::from_raw((*self.0.get()).cred) }
    }

    /// `LSM_UNSAFE_*` flags the exec code set before the hooks run.
    fn unsafe_flags(&self) -> u32 {
        // SAFETY: `unsafe` is a plain field set before the LSM hooks run.
        unsafe { (*self.0.get()).unsafe_ as u32 }
    }

    /// Whether the exec runs under `no_new_privs`.
    pub(crate) fn no_new_privs(&self) -> bool {
        self.unsafe_flags() & bindings::LSM_UNSAFE_NO_NEW_PRIVS != 0
    }

    /// Whether the task is traced (`LSM_UNSAFE_PTRACE`).
    pub(crate) fn traced(&self) -> bool {
        self.unsafe_flags() & bindings::LSM_UNSAFE_PTRACE != 0
    }

    /// Whether the task shares its filesystem state with a task outside
    /// the exec (`LSM_UNSAFE_SHARE`).
    pub(crate) fn shares_state(&self) -> bool {
        self.unsafe_flags() & bindings::LSM_UNSAFE_SHARE != 0
    }

    /// Whether the executable is on a mount that does not honour set-ID
    /// bits for this task (`nosuid`, or a mount of another user
    /// namespace).
    pub(crate) fn nosuid(&self) -> bool {
        // SAFETY: `file` is pinned by the exec and its `f_path.mnt` by the
        // file; `mnt_may_suid` only reads it.
        !unsafe { bindings::mnt_may_suid((*(*self.0.get()).file).f_path.mnt) }
    }

    /// Asks for a secure exec (`AT_SECURE`): the loader then ignores the
    /// environment that could subvert a new domain (`LD_PRELOAD` …).
    pub(crate) fn set_secure_exec(&mut self) {
        // SAFETY: exclusive access to the bprm during the hook.
        unsafe { (*self.0.get()).set_secureexec(1) };
    }
}

/// What an exec into a new domain resets in the current task, so that the
/// old domain cannot steer the new one (resource limits, signals,
/// descriptors). Called from the exec hooks only.
pub(crate) mod reset {
    use core::ptr::NonNull;

    use kernel::{
        bindings,
        ffi::{c_int, c_uint, c_void},
    };

    use crate::framework::{Credentials, OpenFile};

    // Implemented in exec_state.c; the prototypes are in exec_state.h.
    // `struct file` is passed as `void *`: its Rust layout is not FFI-safe
    // on every configuration (empty spinlocks on uniprocessor kernels).
    extern "C" {
        fn carapace_reset_rlimits();
        fn carapace_reset_signals();
        fn carapace_wake_parent();
        fn carapace_open_null(cred: *const c_void) -> *mut c_void;
        fn carapace_put_file(file: *mut c_void);
        fn carapace_find_fd(
            start: c_uint,
            matches: unsafe extern "C" fn(*const c_void, *mut c_void, c_uint) -> c_int,
            data: *const c_void,
        ) -> c_uint;
        fn carapace_replace_fd(fd: c_uint, file: *mut c_void) -> c_int;
    }

    /// Lowers the current task's soft resource limits to init's (within
    /// its hard limits).
    pub(crate) fn resource_limits() {
        // SAFETY: acts on the current task, under its own locks.
        unsafe { carapace_reset_rlimits() };
    }

    /// Drops the current task's pending signals, handlers, blocked mask and
    /// interval timers (unless it is being killed).
    pub(crate) fn signals() {
        // SAFETY: as above.
        unsafe { carapace_reset_signals() };
    }

    /// Wakes the current task's parent if it waits in `wait()`.
    pub(crate) fn wake_parent() {
        // SAFETY: as above, under `tasklist_lock`.
        unsafe { carapace_wake_parent() };
    }

    /// Clears the signal the current task gets when its parent dies.
    pub(crate) fn parent_death_signal() {
        // SAFETY: only the task itself (prctl, exec) writes this field, and
        // this runs in its exec.
        unsafe { (*crate::framework::task::current_task()).pdeath_signal = 0 };
    }

    /// A file that reads as empty and swallows writes, standing in for the
    /// descriptors a new domain may not use.
    ///
    /// # Invariants
    ///
    /// `0` is a file this object holds a reference to.
    pub(crate) struct NullFile(NonNull<bindings::file>);

    impl NullFile {
        /// Opens one with `credentials` as its opener's; `None` when out
        /// of memory.
        pub(crate) fn open(credentials: &Credentials) -> Option<Self> {
            // SAFETY: may sleep; called in process context (exec), with
            // valid credentials that outlive the call.
            NonNull::new(unsafe { carapace_open_null(credentials.as_raw().cast()) }.cast())
                .map(Self)
        }
    }

    impl Drop for NullFile {
        fn drop(&mut self) {
            // SAFETY: drops the reference `open` took (type invariant).
            unsafe { carapace_put_file(self.0.as_ptr().cast()) };
        }
    }

    /// Points each descriptor of the current task whose file `keep`
    /// refuses at the file `null` makes (made once, at the first such
    /// descriptor), or closes it when `null` gives none.
    ///
    /// `keep` runs under the descriptor table's spinlock: it must not
    /// sleep.
    pub(crate) fn descriptors<K: Fn(&OpenFile) -> bool>(
        keep: K,
        null: impl FnOnce() -> Option<NullFile>,
    ) {
        let data = core::ptr::from_ref(&keep).cast::<c_void>();
        // SAFETY: `refused::<K>` reads `data` as the `K` it points to,
        // which outlives the call.
        let mut next = unsafe { carapace_find_fd(0, refused::<K>, data) };
        if next == 0 {
            return;
        }
        let null = null();
        let replacement = null
            .as_ref()
            .map_or(core::ptr::null_mut(), |null| null.0.as_ptr().cast());
        while let Some(fd) = next.checked_sub(1) {
            // SAFETY: acts on the current task's table; `replacement` is
            // null or a file `null` holds a reference to (the table takes
            // its own).
            unsafe { carapace_replace_fd(fd, replacement) };
            // SAFETY: as above.
            next = unsafe { carapace_find_fd(next, refused::<K>, data) };
        }
    }

    /// The `iterate_fd` callback: `fd + 1` for a file `keep` refuses.
    ///
    /// # Safety
    ///
    /// `data` must point to a `K`; `file` must be an open file of the
    /// table being walked.
    unsafe extern "C" fn refused<K: Fn(&OpenFile) -> bool>(
        data: *const c_void,
        file: *mut c_void,
        fd: c_uint,
    ) -> c_int {
        // SAFETY: guaranteed by the caller.
        let (keep, file) = unsafe {
            (
                &*data.cast::<K>(),
                OpenFile::from_raw(file.cast_const().cast()),
            )
        };
        if keep(file) {
            return 0;
        }
        c_int::try_from(fd.saturating_add(1)).unwrap_or(0)
    }
}

/// An attribute value without the newline or NUL that ends it.
fn trim_attr(value: &[u8]) -> &[u8] {
    let value = value.strip_suffix(b"\0").unwrap_or(value);
    value.strip_suffix(b"\n").unwrap_or(value)
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_char, c_int, c_uint, c_void},
        prelude::*,
    };

    use super::{trim_attr, BinaryLoad, ExecHooks, ProcAttr};
    use crate::framework::{bytes, c_name, to_c, Task};

    /// # Safety
    ///
    /// Called by the framework during execve with a valid `bprm` whose
    /// `cred` is the new, uncommitted credentials.
    pub(crate) unsafe extern "C" fn bprm_creds_for_exec<M: ExecHooks>(
        bprm: *mut bindings::linux_binprm,
    ) -> c_int {
        // SAFETY: as documented above.
        let bprm = unsafe { BinaryLoad::from_raw(bprm) };
        to_c(M::bprm_creds_for_exec(bprm))
    }

    /// # Safety
    ///
    /// Called by the exec code with a valid `bprm` whose credentials are
    /// final.
    pub(crate) unsafe extern "C" fn bprm_committing_creds<M: ExecHooks>(
        bprm: *const bindings::linux_binprm,
    ) {
        // SAFETY: as documented above.
        M::bprm_committing_creds(unsafe { BinaryLoad::from_raw_ref(bprm) });
    }

    /// # Safety
    ///
    /// As for `bprm_committing_creds`, once they are installed.
    pub(crate) unsafe extern "C" fn bprm_committed_creds<M: ExecHooks>(
        bprm: *const bindings::linux_binprm,
    ) {
        // SAFETY: as documented above.
        M::bprm_committed_creds(unsafe { BinaryLoad::from_raw_ref(bprm) });
    }

    /// # Safety
    ///
    /// Called by the framework with a valid task, a NUL-terminated name
    /// and a place for a `kmalloc`ed value the caller frees.
    pub(crate) unsafe extern "C" fn getprocattr<M: ExecHooks>(
        p: *mut bindings::task_struct,
        name: *const c_char,
        value: *mut *mut c_char,
    ) -> c_int {
        // SAFETY: the framework passes a NUL-terminated attribute name.
        let Some(attr) = ProcAttr::from_name(unsafe { c_name(name) }) else {
            return EINVAL.to_errno();
        };
        // SAFETY: the framework holds a reference to `p` during the call.
        let task = unsafe { Task::from_raw(p) };
        let mut text = match M::getprocattr(task, attr) {
            Ok(text) => text,
            Err(e) => return e.to_errno(),
        };
        if !text.is_empty() && text.push(b'\n', GFP_KERNEL).is_err() {
            return ENOMEM.to_errno();
        }
        let Ok(len) = c_int::try_from(text.len()) else {
            return EINVAL.to_errno();
        };
        if len == 0 {
            // An empty vector owns no allocation: hand back no buffer.
            // SAFETY: `value` is valid for writes (see above).
            unsafe { *value = core::ptr::null_mut() };
            return 0;
        }
        // The caller frees the value with kfree(): hand over the buffer.
        let (ptr, _, _) = text.into_raw_parts();
        // SAFETY: `value` is valid for writes (see above).
        unsafe { *value = ptr.cast() };
        len
    }

    /// # Safety
    ///
    /// Called by the framework with a NUL-terminated name and `size` bytes
    /// at `value`, in the context of the task writing its own attribute.
    pub(crate) unsafe extern "C" fn setprocattr<M: ExecHooks>(
        name: *const c_char,
        value: *mut c_void,
        size: usize,
    ) -> c_int {
        // SAFETY: the framework passes a NUL-terminated attribute name.
        let Some(attr) = ProcAttr::from_name(unsafe { c_name(name) }) else {
            return EINVAL.to_errno();
        };
        // SAFETY: the framework passes `size` readable bytes.
        let value = unsafe { bytes(value, size) };
        match M::setprocattr(attr, trim_attr(value)) {
            Ok(()) => c_int::try_from(size).unwrap_or(c_int::MAX),
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by `lsm_get_self_attr()` with a user buffer of `*size` bytes
    /// (or null) for this module's entry.
    pub(crate) unsafe extern "C" fn getselfattr<M: ExecHooks>(
        attr: c_uint,
        ctx: *mut bindings::lsm_ctx,
        size: *mut u32,
        _flags: u32,
    ) -> c_int {
        let Some(attr) = ProcAttr::from_lsm_attr(attr) else {
            return EOPNOTSUPP.to_errno();
        };
        // SAFETY: the current task is valid during the call.
        let task = unsafe { Task::from_raw(crate::framework::task::current_task()) };
        let mut value = match M::getprocattr(task, attr) {
            Ok(value) => value,
            Err(e) => return e.to_errno(),
        };
        if value.push(0, GFP_KERNEL).is_err() {
            return ENOMEM.to_errno();
        }
        // SAFETY: `ctx` and `size` are as the caller passed them; the value
        // is readable for its length; `lsm_fill_user_ctx` copies it to user
        // space.
        let rc = unsafe {
            bindings::lsm_fill_user_ctx(
                ctx,
                size,
                value.as_mut_ptr().cast(),
                value.len(),
                M::LSM_ID,
                0,
            )
        };
        // One attribute reported.
        if rc == 0 {
            1
        } else {
            rc
        }
    }

    /// # Safety
    ///
    /// Called by `lsm_set_self_attr()` with a kernel copy of the user's
    /// entry, whose `ctx_len` bytes of value the framework checked fit in
    /// it.
    pub(crate) unsafe extern "C" fn setselfattr<M: ExecHooks>(
        attr: c_uint,
        ctx: *mut bindings::lsm_ctx,
        _size: u32,
        _flags: u32,
    ) -> c_int {
        let Some(attr) = ProcAttr::from_lsm_attr(attr) else {
            return EOPNOTSUPP.to_errno();
        };
        // SAFETY: as documented above.
        let value = unsafe {
            let Ok(len) = usize::try_from((*ctx).ctx_len) else {
                return EINVAL.to_errno();
            };
            bytes(core::ptr::addr_of!((*ctx).ctx).cast(), len)
        };
        to_c(M::setprocattr(attr, trim_attr(value)))
    }
}
