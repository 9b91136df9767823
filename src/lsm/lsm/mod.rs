// SPDX-License-Identifier: GPL-2.0

//! Safe Rust interface to the LSM framework.
//!
//! This is the only module of carapace that deals with raw pointers and C:
//! registration (`struct lsm_info`, `security_add_hooks()`), the `extern "C"`
//! trampolines the static calls jump to, and thin wrappers around the kernel
//! objects the hooks receive. A security module implements
//! [`SecurityModule`] with safe functions and lists the hooks it uses in
//! [`define_lsm!`]; adding a hook means adding its safe signature to the
//! trait, its trampoline to [`trampoline`], and its name to the list.

use kernel::{
    bindings,
    error::to_result,
    ffi::{c_int, c_uint},
    prelude::*,
    types::Opaque,
};

/// Credentials of a task (`struct cred`).
#[repr(transparent)]
pub(crate) struct Credentials(Opaque<bindings::cred>);

impl Credentials {
    /// Borrows the credentials behind `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct cred` that stays alive for `'a`.
    unsafe fn from_raw<'a>(ptr: *const bindings::cred) -> &'a Self {
        // SAFETY: `Credentials` is a transparent wrapper of `struct cred`, and
        // the caller guarantees that `ptr` is valid for `'a`.
        unsafe { &*ptr.cast() }
    }
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
    #[allow(dead_code)]
    pub(crate) fn is_initial(&self) -> bool {
        let init = core::ptr::addr_of!(bindings::init_user_ns);
        core::ptr::eq(self.0.get().cast_const(), init)
    }
}

/// A POSIX capability number (`CAP_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Capability(pub(crate) u32);

/// Options of a capability check (`CAP_OPT_*`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct CapOpts(u32);

impl CapOpts {
    /// Whether the caller asked that a denial not be audited.
    #[allow(dead_code)]
    pub(crate) fn no_audit(self) -> bool {
        self.0 & bindings::CAP_OPT_NOAUDIT != 0
    }
}

/// The hooks of a security module, as safe functions.
///
/// Each has the default "no opinion" behaviour, so a module overrides only
/// the hooks it lists in [`define_lsm!`]. An `Err` becomes the hook's
/// negative errno.
pub(crate) trait SecurityModule {
    /// Called once at boot, after the hooks are registered.
    fn init() -> Result {
        Ok(())
    }

    /// `capable`: may `cred` use capability `cap` in namespace `ns`?
    ///
    /// Called only when the capability bits already grant it. May be called
    /// in RCU path walk: must not sleep.
    fn capable(_cred: &Credentials, _ns: &UserNamespace, _cap: Capability, _opts: CapOpts) -> Result {
        Ok(())
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
}

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
    to_result(0)
}

/// One entry of a hook list: the static call slots of hook `$name` and the
/// trampoline that calls `<$module as SecurityModule>::$name`.
macro_rules! hook_entry {
    ($module:ty, $name:ident) => {
        ::kernel::bindings::security_hook_list {
            // SAFETY: only the address of the framework's table is taken.
            scalls: unsafe { ::core::ptr::addr_of_mut!(::kernel::bindings::static_calls_table.$name) }
                .cast(),
            hook: ::kernel::bindings::security_list_options {
                $name: Some($crate::lsm::trampoline::$name::<$module>),
            },
            lsmid: ::core::ptr::null(),
        }
    };
}
pub(crate) use hook_entry;

/// Declares a security module to the LSM framework: its identity, its hook
/// list and its `lsm_info` record (the Rust form of `DEFINE_LSM`).
macro_rules! define_lsm {
    (module: $module:ty, name: $name:literal, hooks: [$($hook:ident),* $(,)?] $(,)?) => {
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
                blobs: ::core::ptr::null_mut(),
            });
        };
    };
}
pub(crate) use define_lsm;
