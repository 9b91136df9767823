// SPDX-License-Identifier: GPL-2.0

//! Registration with the LSM framework and boot: `DEFINE_LSM`,
//! `security_add_hooks()`, blob sizes, `__setup()` and `fs_initcall()` in
//! Rust.

use core::{cell::UnsafeCell, mem::size_of};

use kernel::{
    bindings,
    ffi::{c_char, c_int},
    prelude::*,
};

use super::SecurityModule;

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
            static PARAM: $crate::framework::BootParam =
                $crate::framework::BootParam::new($name, setup);
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
    sizes.lbs_inode = size_of::<M::InodeSecurity>() as c_int;
    sizes.lbs_file = size_of::<M::FileSecurity>() as c_int;
    sizes.lbs_sock = size_of::<M::SockSecurity>() as c_int;
    sizes.lbs_ipc = size_of::<M::IpcSecurity>() as c_int;
    sizes.lbs_msg_msg = size_of::<M::MessageSecurity>() as c_int;
    sizes.lbs_key = size_of::<M::KeySecurity>() as c_int;
    sizes.lbs_perf_event = size_of::<M::PerfEventSecurity>() as c_int;
    sizes.lbs_superblock = size_of::<M::SuperBlockSecurity>() as c_int;
    // One attribute per new inode at most: the module's label.
    sizes.lbs_xattr_count = if M::XATTR_NAMES.is_empty() { 0 } else { 1 };
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

/// One family's hook list: the `security_hook_list` entries handed to
/// `security_add_hooks()`, made by [`hook_list!`].
///
/// # Invariants
///
/// Only the LSM framework accesses the entries, once [`HookList::register`]
/// handed them over; it writes each entry's `lsmid` then, at boot, and
/// only reads them afterwards.
pub(crate) struct HookList<const N: usize>(UnsafeCell<[bindings::security_hook_list; N]>);

// SAFETY: the entries are written only by the framework during boot,
// single threaded (type invariant); everything else only passes the
// address on.
unsafe impl<const N: usize> Sync for HookList<N> {}

impl<const N: usize> HookList<N> {
    /// A list of `entries` (see [`hook_entry!`]).
    pub(crate) const fn new(entries: [bindings::security_hook_list; N]) -> Self {
        Self(UnsafeCell::new(entries))
    }

    /// Registers the hooks for the LSM `id`.
    ///
    /// # Safety
    ///
    /// Must be called once per list, from the LSM's init function during
    /// boot (the framework keeps pointers into the list).
    // Inlined into the caller's `.init.text`: `security_add_hooks` is
    // `__init`.
    #[inline(always)]
    pub(crate) unsafe fn register(&'static self, id: &'static LsmId) -> Result {
        let count = c_int::try_from(N)?;
        // SAFETY: the list lives forever and is handed over once
        // (guaranteed by the caller); `security_add_hooks` is `__init`,
        // which the caller is too.
        unsafe { bindings::security_add_hooks(self.0.get().cast(), count, &id.0) };
        Ok(())
    }
}

/// One entry of a hook list: the static call slots of hook `$name` and the
/// trampoline of family `$family` that calls the module's hook function.
macro_rules! hook_entry {
    ($module:ty, $family:ident, $name:ident) => {
        ::kernel::bindings::security_hook_list {
            // SAFETY: only the address of the framework's table is taken.
            scalls: unsafe {
                ::core::ptr::addr_of_mut!(::kernel::bindings::static_calls_table.$name)
            }
            .cast(),
            hook: ::kernel::bindings::security_list_options {
                $name: Some($crate::framework::$family::trampolines::$name::<$module>),
            },
            lsmid: ::core::ptr::null(),
        }
    };
}
pub(crate) use hook_entry;

/// Declares the hook list `$list` of family `$family` (a module of
/// [`crate::framework`]: `cred`, `task`, `exec`, `inode`, `file`,
/// `socket`, `ipc`, `key`, `perf`, `bpf`, `system`, `superblock`, `secid`) for
/// `$module`, which implements that family's trait.
macro_rules! hook_list {
    ($vis:vis $list:ident: $family:ident for $module:ty => [$($hook:ident),* $(,)?]) => {
        $vis static $list: $crate::framework::HookList<{ [$(stringify!($hook)),*].len() }> =
            $crate::framework::HookList::new([
                $($crate::framework::hook_entry!($module, $family, $hook)),*
            ]);
    };
}
pub(crate) use hook_list;

/// Declares a security module to the LSM framework: its identity, blob
/// sizes, hook lists (one per family) and `lsm_info` record (the Rust
/// form of `DEFINE_LSM`).
macro_rules! define_lsm {
    (module: $module:ty, name: $name:literal, hooks: [$($list:path),* $(,)?] $(,)?) => {
        /// The blob sizes the framework reads at boot and then replaces with
        /// this LSM's offsets into each blob.
        static mut BLOB_SIZES: ::kernel::bindings::lsm_blob_sizes =
            $crate::framework::blob_sizes::<$module>();

        impl $crate::framework::BlobOffsets for $module {
            fn blob_offsets() -> &'static ::kernel::bindings::lsm_blob_sizes {
                // SAFETY: written only by the framework at boot before any
                // hook runs; read-only afterwards.
                unsafe { &*::core::ptr::addr_of!(BLOB_SIZES) }
            }
        }

        const _: () = {
            use ::kernel::bindings;
            use $crate::framework::{LsmId, LsmInfo, SecurityModule};

            static LSM_ID: LsmId = LsmId(bindings::lsm_id {
                name: $name.as_ptr().cast(),
                id: <$module as SecurityModule>::LSM_ID,
            });

            /// Registers the hooks, then initialises the module.
            ///
            /// # Safety
            ///
            /// Called once, by the LSM framework during boot.
            // In `.init.text` because it calls the `__init` function
            // `security_add_hooks()`; modpost rejects that from `.text`.
            #[link_section = ".init.text"]
            unsafe extern "C" fn init() -> ::kernel::ffi::c_int {
                $(
                    // SAFETY: called once at boot by the framework; each
                    // list is registered once.
                    if let Err(e) = unsafe { $list.register(&LSM_ID) } {
                        return e.to_errno();
                    }
                )*
                match <$module as SecurityModule>::init() {
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
