// SPDX-License-Identifier: GPL-2.0

//! Carapace: a type-enforcement Linux Security Module.
//!
//! The crate root only declares the modules and the LSM itself. The shared
//! core (classmap, policy database, access vector cache) is compiled from
//! the same files as the host crate `carapace-core`; everything that
//! touches C is in [`lsm`], so the hook bodies in [`hooks`] and the
//! securityfs files in [`carapacefs`] are plain safe Rust.

/// Prefix of every `pr_*!` line; `module!` would define it, but an LSM is
/// built in and registers through `lsm_info` instead.
const __LOG_PREFIX: &[u8] = b"carapace\0";

// The shared core, compiled from the same files as the host crate.
#[path = "../core/src/avc/mod.rs"]
pub mod avc;
#[path = "../core/src/classmap.rs"]
pub mod classmap;
#[path = "../core/src/policy/mod.rs"]
pub mod policy;

mod carapacefs;
mod hooks;
mod lsm;
mod percpu_stats;
mod policy_store;
mod security_server;

// The classmap must name every capability the kernel has.
const _: () = assert!(kernel::bindings::CAP_LAST_CAP <= classmap::CAP_LAST_CAP_SUPPORTED);

/// The carapace security module.
struct Carapace;

/// Whether to enforce once a policy is loaded (`carapace.enforcing=`).
fn boot_enforcing() -> bool {
    true
}

lsm::define_lsm! {
    module: Carapace,
    name: b"carapace\0",
    hooks: [
        capable,
        cred_prepare,
        cred_transfer,
        bprm_creds_for_exec,
        getprocattr,
        setprocattr,
    ],
}

lsm::fs_initcall!(carapacefs::init);
