// SPDX-License-Identifier: GPL-2.0

//! Safe Rust interface to the LSM framework and the kernel services an LSM
//! uses.
//!
//! This module and its children are the only code of carapace that deals
//! with raw pointers and C: registration (`struct lsm_info`,
//! `security_add_hooks()`), the `extern "C"` trampolines the static calls
//! jump to, security blobs, thin wrappers around the kernel objects the
//! hooks receive, securityfs, audit and RCU. A security module implements
//! [`SecurityModule`] with safe functions and lists its hooks in
//! [`define_lsm!`]. Adding a hook means adding its safe signature to the
//! trait, its trampoline to [`trampoline`], and its name to the list.

pub(crate) mod audit;
pub(crate) mod global;
pub(crate) mod rcu;
pub(crate) mod securityfs;
mod task;

use core::mem::size_of;

use kernel::{
    bindings,
    ffi::{c_char, c_int, c_uint, c_void},
    init::Zeroable,
    prelude::*,
    types::Opaque,
};

pub(crate) use task::{current_pid_comm, BinaryLoad, Task};

/// Credentials of a task (`struct cred`) as seen by the security module `M`.
#[repr(transparent)]
pub(crate) struct Credentials(Opaque<bindings::cred>);

impl Credentials {
    /// Borrows the credentials behind `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct cred` that stays alive for `'a`,
    /// whose security blob was allocated by the LSM framework.
    unsafe fn from_raw<'a>(ptr: *const bindings::cred) -> &'a Self {
        // SAFETY: `Credentials` is a transparent wrapper of `struct cred`, and
        // the caller guarantees that `ptr` is valid for `'a`.
        unsafe { &*ptr.cast() }
    }

    /// The credentials of the current task.
    pub(crate) fn current() -> &'static Self {
        // SAFETY: `current` is a valid task; its `cred` is valid for as long
        // as the task runs, which outlives any hook or file operation that
        // asks, and is only replaced by the task itself.
        unsafe { Self::from_raw((*bindings::get_current()).cred) }
    }

    /// The module's part of the security blob.
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::CredSecurity {
        // SAFETY: the framework allocated a zeroed blob of at least the
        // declared size at offset `cred_blob_offset` for every cred, it is
        // aligned to a pointer, and `CredSecurity` is `Zeroable`. Committed
        // credentials are never written, so a shared borrow is sound.
        unsafe { &*blob::<M::CredSecurity>((*self.0.get()).security, M::blob_offsets().lbs_cred) }
    }
}

impl NewCredentials {
    /// Changes the current task's credentials: `f` edits a copy, which is
    /// committed if `f` succeeds and discarded otherwise.
    pub(crate) fn modify_current(f: impl FnOnce(&mut NewCredentials) -> Result) -> Result {
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
#[repr(transparent)]
pub(crate) struct NewCredentials(Opaque<bindings::cred>);

impl NewCredentials {
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct cred` that is not yet committed,
    /// is not accessed by anyone else during `'a`, and has a blob allocated
    /// by the framework.
    unsafe fn from_raw<'a>(ptr: *mut bindings::cred) -> &'a mut Self {
        // SAFETY: transparent wrapper; the caller guarantees validity and
        // exclusive access.
        unsafe { &mut *ptr.cast() }
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
unsafe fn blob<T>(base: *mut c_void, offset: c_int) -> *mut T {
    let offset = usize::try_from(offset).unwrap_or(0);
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
    unsafe fn from_raw<'a>(ptr: *const bindings::user_namespace) -> &'a Self {
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
pub(crate) struct CapOpts(u32);

impl CapOpts {
    /// Whether the caller asked that a denial not be audited.
    pub(crate) fn no_audit(self) -> bool {
        self.0 & bindings::CAP_OPT_NOAUDIT != 0
    }
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
    fn from_name(name: *const c_char) -> Option<Self> {
        // SAFETY: the framework passes a NUL-terminated attribute name.
        let name = unsafe { CStr::from_char_ptr(name) };
        match name.as_bytes() {
            b"current" => Some(Self::Current),
            b"exec" => Some(Self::Exec),
            _ => None,
        }
    }
}

/// Where the framework put a module's parts of the security blobs;
/// implemented by [`define_lsm!`].
pub(crate) trait BlobOffsets {
    /// The offsets, valid once the framework has initialised the LSMs.
    fn blob_offsets() -> &'static bindings::lsm_blob_sizes;
}

/// The hooks of a security module, as safe functions.
///
/// Each has the framework's default behaviour, so a module overrides only
/// the hooks it lists in [`define_lsm!`]. An `Err` becomes the hook's
/// negative errno.
pub(crate) trait SecurityModule: BlobOffsets + 'static {
    /// The module's part of each `struct cred` security blob; zeroed when
    /// a cred is allocated.
    type CredSecurity: Zeroable + Copy;

    /// Called once at boot, after the hooks are registered.
    fn init() -> Result {
        Ok(())
    }

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

    /// `cred_prepare`: `new` is a copy of `old` being prepared.
    fn cred_prepare(_new: &mut NewCredentials, _old: &Credentials) -> Result {
        Ok(())
    }

    /// `bprm_creds_for_exec`: compute the credentials of an execve.
    fn bprm_creds_for_exec(_bprm: &mut BinaryLoad) -> Result {
        Ok(())
    }

    /// `getprocattr`: the text of `/proc/PID/attr/ATTR` for `task`, or
    /// `None` for an attribute the module does not provide.
    fn getprocattr(_task: &Task, _attr: ProcAttr) -> Result<KVec<u8>> {
        Err(EINVAL)
    }

    /// `setprocattr`: the current task writes its own attribute.
    fn setprocattr(_attr: ProcAttr, _value: &[u8]) -> Result {
        Err(EINVAL)
    }
}

/// Converts a hook's result to the C convention.
fn to_c(result: Result) -> c_int {
    match result {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// The `extern "C"` functions the LSM static calls jump to; one per hook,
/// named like it, generic over the module.
pub(crate) mod trampoline {
    use super::*;

    /// # Safety
    ///
    /// Called by the LSM framework with a valid `cred` and `ns`.
    pub(crate) unsafe extern "C" fn capable<M: SecurityModule>(
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
    pub(crate) unsafe extern "C" fn cred_prepare<M: SecurityModule>(
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
    pub(crate) unsafe extern "C" fn cred_transfer<M: SecurityModule>(
        new: *mut bindings::cred,
        old: *const bindings::cred,
    ) {
        // SAFETY: as for `cred_prepare`. The hook cannot fail: the framework
        // ignores errors here, and copying a blob does not fail.
        let _ = unsafe { cred_prepare::<M>(new, old, 0) };
    }

    /// # Safety
    ///
    /// Called by the framework during execve with a valid `bprm` whose
    /// `cred` is the new, uncommitted credentials.
    pub(crate) unsafe extern "C" fn bprm_creds_for_exec<M: SecurityModule>(
        bprm: *mut bindings::linux_binprm,
    ) -> c_int {
        // SAFETY: as documented above.
        let bprm = unsafe { BinaryLoad::from_raw(bprm) };
        to_c(M::bprm_creds_for_exec(bprm))
    }

    /// # Safety
    ///
    /// Called by the framework with a valid task, a NUL-terminated name and
    /// a place for a `kmalloc`ed value the caller frees.
    pub(crate) unsafe extern "C" fn getprocattr<M: SecurityModule>(
        p: *mut bindings::task_struct,
        name: *const c_char,
        value: *mut *mut c_char,
    ) -> c_int {
        let Some(attr) = ProcAttr::from_name(name) else {
            return EINVAL.to_errno();
        };
        // SAFETY: the framework holds a reference to `p` during the call.
        let task = unsafe { Task::from_raw(p) };
        let text = match M::getprocattr(task, attr) {
            Ok(text) => text,
            Err(e) => return e.to_errno(),
        };
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
    pub(crate) unsafe extern "C" fn setprocattr<M: SecurityModule>(
        name: *const c_char,
        value: *mut c_void,
        size: usize,
    ) -> c_int {
        let Some(attr) = ProcAttr::from_name(name) else {
            return EINVAL.to_errno();
        };
        let value = if size == 0 {
            &[][..]
        } else {
            // SAFETY: the framework passes `size` readable bytes.
            unsafe { core::slice::from_raw_parts(value.cast::<u8>(), size) }
        };
        match M::setprocattr(attr, value) {
            Ok(()) => c_int::try_from(size).unwrap_or(c_int::MAX),
            Err(e) => e.to_errno(),
        }
    }
}

/// Runs `$init` at the `fs` initcall level (after securityfs is set up),
/// for a built-in crate; the Rust form of `fs_initcall()`.
macro_rules! fs_initcall {
    ($init:path) => {
        #[no_mangle]
        extern "C" fn __carapace_fs_initcall() -> ::kernel::ffi::c_int {
            match $init() {
                Ok(()) => 0,
                Err(e) => e.to_errno(),
            }
        }

        // With PREL32 relocations (x86-64) an initcall entry is the 32-bit
        // offset of the function from the entry itself.
        ::core::arch::global_asm!(
            r#".section ".initcall5.init", "a"
            __carapace_fs_initcall_entry:
                .long __carapace_fs_initcall - .
            .previous"#
        );
    };
}
pub(crate) use fs_initcall;

/// A boot parameter (`struct obs_kernel_param`, what `__setup()` makes).
///
/// Declared here because bindgen does not see the C struct (it is only
/// defined for built-in code); its layout has not changed since 2.6.
#[repr(C)]
pub(crate) struct BootParam {
    name: *const c_char,
    setup: unsafe extern "C" fn(*mut c_char) -> c_int,
    early: c_int,
}

impl BootParam {
    /// A parameter `name` (NUL-terminated, ending in `=`) handled by
    /// `setup`.
    pub(crate) const fn new(
        name: &'static [u8],
        setup: unsafe extern "C" fn(*mut c_char) -> c_int,
    ) -> Self {
        Self {
            name: name.as_ptr(),
            setup,
            early: 0,
        }
    }
}

// SAFETY: read only by the boot code, single threaded.
unsafe impl Sync for BootParam {}

/// Declares boot parameter `$name` (`b"prefix.name=\0"`): at boot, before
/// the LSMs initialise, `$handler` gets the text after `=`. The Rust form
/// of `__setup()`.
macro_rules! boot_param {
    ($name:literal, $handler:path) => {
        const _: () = {
            /// # Safety
            ///
            /// Called by the boot code with the NUL-terminated value.
            unsafe extern "C" fn setup(value: *mut ::kernel::ffi::c_char) -> ::kernel::ffi::c_int {
                // SAFETY: the boot code passes a NUL-terminated string.
                let value = unsafe { ::kernel::str::CStr::from_char_ptr(value) };
                $handler(value.as_bytes());
                1
            }

            #[used]
            #[link_section = ".init.setup"]
            static PARAM: $crate::lsm::BootParam = $crate::lsm::BootParam::new($name, setup);
        };
    };
}
pub(crate) use boot_param;

/// Identity of an LSM (`struct lsm_id`), shared with the framework.
#[repr(transparent)]
pub(crate) struct LsmId(pub(crate) bindings::lsm_id);

// SAFETY: the framework only reads it; its name points to static data.
unsafe impl Sync for LsmId {}

/// Registration record of an LSM (`struct lsm_info`) in `.lsm_info.init`.
#[repr(transparent)]
pub(crate) struct LsmInfo(pub(crate) bindings::lsm_info);

// SAFETY: read only by the framework at boot, single threaded.
unsafe impl Sync for LsmInfo {}

/// The blob sizes an LSM declares: `size_of` of its blob types.
pub(crate) const fn blob_sizes<M: SecurityModule>() -> bindings::lsm_blob_sizes {
    let mut sizes: bindings::lsm_blob_sizes = empty_blob_sizes();
    sizes.lbs_cred = size_of::<M::CredSecurity>() as c_int;
    sizes
}

const fn empty_blob_sizes() -> bindings::lsm_blob_sizes {
    bindings::lsm_blob_sizes {
        lbs_cred: 0,
        lbs_file: 0,
        lbs_backing_file: 0,
        lbs_ib: 0,
        lbs_inode: 0,
        lbs_sock: 0,
        lbs_superblock: 0,
        lbs_ipc: 0,
        lbs_key: 0,
        lbs_msg_msg: 0,
        lbs_perf_event: 0,
        lbs_task: 0,
        lbs_xattr_count: 0,
        lbs_tun_dev: 0,
        lbs_bdev: 0,
    }
}

/// Registers `hooks` for the LSM `id`.
///
/// # Safety
///
/// Must be called once, from the LSM's init function during boot; `hooks`
/// must point to `count` entries that live forever and are not otherwise
/// accessed (the framework keeps pointers into them).
#[inline(always)]
pub(crate) unsafe fn add_hooks(
    hooks: *mut bindings::security_hook_list,
    count: usize,
    id: &'static LsmId,
) -> Result {
    let count = c_int::try_from(count)?;
    // SAFETY: guaranteed by the caller.
    unsafe { bindings::security_add_hooks(hooks, count, &id.0) };
    Ok(())
}

/// One entry of a hook list: the static call slots of hook `$name` and the
/// trampoline that calls `<$module as SecurityModule>::$name`.
macro_rules! hook_entry {
    ($module:ty, $name:ident) => {
        ::kernel::bindings::security_hook_list {
            // SAFETY: only the address of the framework's table is taken.
            scalls: unsafe {
                ::core::ptr::addr_of_mut!(::kernel::bindings::static_calls_table.$name)
            }
            .cast(),
            hook: ::kernel::bindings::security_list_options {
                $name: Some($crate::lsm::trampoline::$name::<$module>),
            },
            lsmid: ::core::ptr::null(),
        }
    };
}
pub(crate) use hook_entry;

/// Declares a security module to the LSM framework: its identity, blob
/// sizes, hook list and `lsm_info` record (the Rust form of `DEFINE_LSM`).
macro_rules! define_lsm {
    (module: $module:ty, name: $name:literal, hooks: [$($hook:ident),* $(,)?] $(,)?) => {
        /// The blob sizes the framework reads at boot and then replaces with
        /// this LSM's offsets into each blob.
        static mut BLOB_SIZES: ::kernel::bindings::lsm_blob_sizes =
            $crate::lsm::blob_sizes::<$module>();

        impl $crate::lsm::BlobOffsets for $module {
            fn blob_offsets() -> &'static ::kernel::bindings::lsm_blob_sizes {
                // SAFETY: written only by the framework at boot before any
                // hook runs; read-only afterwards.
                unsafe { &*::core::ptr::addr_of!(BLOB_SIZES) }
            }
        }

        const _: () = {
            use ::kernel::bindings;
            use $crate::lsm::{LsmId, LsmInfo, SecurityModule};

            static LSM_ID: LsmId = LsmId(bindings::lsm_id {
                name: $name.as_ptr().cast(),
                id: bindings::LSM_ID_CARAPACE as u64,
            });

            const HOOK_COUNT: usize = [$(stringify!($hook)),*].len();

            // The framework keeps pointers into this array and writes each
            // entry's `lsmid`, hence `static mut`; nothing else touches it.
            static mut HOOKS: [bindings::security_hook_list; HOOK_COUNT] =
                [$($crate::lsm::hook_entry!($module, $hook)),*];

            /// Registers the hooks, then initialises the module.
            ///
            /// # Safety
            ///
            /// Called once, by the LSM framework during boot.
            // In `.init.text` because it calls the `__init` function
            // `security_add_hooks()`; modpost rejects that from `.text`.
            #[link_section = ".init.text"]
            unsafe extern "C" fn init() -> ::kernel::ffi::c_int {
                // SAFETY: called once at boot by the framework; `HOOKS` is a
                // static that only the framework uses after this.
                let added = unsafe {
                    $crate::lsm::add_hooks(
                        ::core::ptr::addr_of_mut!(HOOKS).cast(),
                        HOOK_COUNT,
                        &LSM_ID,
                    )
                };
                match added.and_then(|()| <$module as SecurityModule>::init()) {
                    Ok(()) => 0,
                    Err(e) => e.to_errno(),
                }
            }

            #[used]
            #[link_section = ".lsm_info.init"]
            static LSM_INFO: LsmInfo = LsmInfo(bindings::lsm_info {
                name: $name.as_ptr().cast(),
                order: bindings::lsm_order_LSM_ORDER_MUTABLE,
                flags: 0,
                enabled: ::core::ptr::null_mut(),
                init: Some(init),
                blobs: ::core::ptr::addr_of_mut!(BLOB_SIZES),
            });
        };
    };
}
pub(crate) use define_lsm;
