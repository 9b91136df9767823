// SPDX-License-Identifier: GPL-2.0

//! Carapace: a type-enforcement Linux Security Module.
//!
//! The crate root only declares the modules and the LSM itself. The shared
//! core (classmap, policy database, access vector cache) is compiled from
//! the same files as the host crate `carapace-core`; everything that
//! touches C is in [`lsm`], so the hook bodies in [`hooks`] and the
//! securityfs files in [`carapacefs`] are plain safe Rust.

// A hook must never panic on what user space sends (the core's own
// crate root denies the same).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::todo,
    clippy::unimplemented,
    clippy::unreachable
)]

/// Prefix of every `pr_*!` line; `module!` would define it, but an LSM is
/// built in and registers through `lsm_info` instead.
const __LOG_PREFIX: &[u8] = b"carapace\0";

use core::sync::atomic::{AtomicBool, Ordering};

use kernel::prelude::*;

// The shared core, compiled from the same files as the host crate.
#[path = "../core/src/avc/mod.rs"]
pub mod avc;
#[path = "../core/src/classmap.rs"]
pub mod classmap;
#[path = "../core/src/policy/mod.rs"]
pub mod policy;

mod carapacefs;
mod hooks;
mod labels;
mod lsm;
mod percpu_stats;
mod policy_store;
mod security_server;

// The classmap must name every capability the kernel has.
const _: () = assert!(kernel::bindings::CAP_LAST_CAP <= classmap::CAP_LAST_CAP_SUPPORTED);

/// The carapace security module.
struct Carapace;

/// Whether to enforce once a policy is loaded: `carapace.enforcing=0`
/// on the command line starts permissive (default: enforcing).
static BOOT_ENFORCING: AtomicBool = AtomicBool::new(true);

fn boot_enforcing() -> bool {
    BOOT_ENFORCING.load(Ordering::Relaxed)
}

fn parse_enforcing(value: &[u8]) {
    match value {
        b"0" => BOOT_ENFORCING.store(false, Ordering::Relaxed),
        b"1" => BOOT_ENFORCING.store(true, Ordering::Relaxed),
        _ => pr_warn!("carapace.enforcing= takes 0 or 1; staying enforcing\n"),
    }
}

lsm::boot_param!(b"carapace.enforcing=\0", parse_enforcing);

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
        getselfattr,
        setselfattr,
        task_alloc,
        ptrace_access_check,
        ptrace_traceme,
        task_kill,
        task_to_inode,
        d_instantiate,
        inode_init_security,
        inode_create,
        inode_mkdir,
        inode_mknod,
        inode_symlink,
        inode_link,
        inode_unlink,
        inode_rmdir,
        inode_rename,
        inode_readlink,
        inode_follow_link,
        inode_permission,
        inode_setattr,
        inode_getattr,
        inode_xattr_skipcap,
        inode_setxattr,
        inode_post_setxattr,
        inode_removexattr,
        inode_getsecurity,
        inode_listsecurity,
        file_alloc_security,
        file_permission,
        file_open,
        mmap_file,
        file_mprotect,
        file_ioctl,
        file_ioctl_compat,
    ],
}

lsm::fs_initcall!(carapacefs::init);
