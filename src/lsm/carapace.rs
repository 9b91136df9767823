// SPDX-License-Identifier: GPL-2.0

//! Carapace: a type-enforcement Linux Security Module.
//!
//! The crate root only declares the modules and the LSM itself. The shared
//! core (classmap, policy database, access vector cache, and the LSM's
//! kernel-free logic) is compiled from the same files as the host crate
//! `carapace-core`; everything that touches C is in [`framework`], so the
//! hook bodies in [`hooks`] and the securityfs files in [`carapacefs`] are
//! plain safe Rust.

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
#[path = "../core/src/file_access/mod.rs"]
pub mod file_access;
#[path = "../core/src/ipc/mod.rs"]
pub mod ipc;
#[path = "../core/src/kernel_perms.rs"]
pub mod kernel_perms;
#[path = "../core/src/label_word/mod.rs"]
pub mod label_word;
#[path = "../core/src/last_decision/mod.rs"]
pub mod last_decision;
#[path = "../core/src/mount_options/mod.rs"]
pub mod mount_options;
#[path = "../core/src/policy/mod.rs"]
pub mod policy;
#[path = "../core/src/sid_table/mod.rs"]
pub mod sid_table;
#[path = "../core/src/socket/mod.rs"]
pub mod socket;

mod audit;
mod carapacefs;
mod domain;
mod framework;
mod fs_labels;
mod hooks;
mod labels;
mod object_label;
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

framework::boot_param!(b"carapace.enforcing=\0", parse_enforcing);

framework::define_lsm! {
    module: Carapace,
    name: b"carapace\0",
    hooks: [
        hooks::CRED_HOOKS,
        hooks::TASK_HOOKS,
        hooks::EXEC_HOOKS,
        hooks::INODE_HOOKS,
        hooks::FILE_HOOKS,
        hooks::SOCKET_HOOKS,
        hooks::IPC_HOOKS,
        hooks::KEY_HOOKS,
        hooks::PERF_EVENT_HOOKS,
        hooks::BPF_HOOKS,
        hooks::SYSTEM_HOOKS,
        hooks::MOUNT_HOOKS,
        hooks::SECID_HOOKS,
    ],
}

/// The boot step once every LSM is initialised: carapace gives the audit
/// subsystem its labels unless an LSM that keeps its own is active, then
/// its securityfs files.
fn fs_init() -> Result {
    if security_server::SERVER.get().is_some() {
        if framework::secid::claim_secids() {
            pr_info!("audit labels and rules: carapace types\n");
        } else {
            pr_info!("audit labels and rules: left to the active LSM that keeps secids\n");
        }
    }
    carapacefs::init()
}

framework::fs_initcall!(fs_init);
