// SPDX-License-Identifier: GPL-2.0

//! Carapace shared core: the classmap, the binary policy database, the
//! access vector cache, and the kernel-free logic of the LSM (file access
//! to permissions, inode label words, the SID table).
//!
//! The same files compile twice: as this `no_std` crate on the host (tests,
//! fuzzing, benchmarks, the policy compiler) and as modules of the kernel LSM
//! crate, which includes each top-level module by `#[path]` under the same
//! name. Hence the rules for every file under this directory:
//!
//! - no `std`, no `alloc`, no floating point; only `core`;
//! - refer to sibling modules as `crate::classmap`, `crate::policy`,
//!   `crate::avc` (the kernel crate declares them at its root too);
//! - a module with submodules uses the `name/mod.rs` form, so `#[path]`
//!   inclusion resolves the submodules the same way;
//! - never panic: no `unwrap`, `expect`, `panic!`, indexing or unchecked
//!   arithmetic (enforced by the lints below);
//! - stay within Rust 1.85 and edition 2021 (the kernel's compiler).

#![no_std]
#![forbid(unsafe_code)]
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
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::panic
    )
)]

pub mod avc;
pub mod classmap;
pub mod enforcement;
pub mod file_access;
pub mod ipc;
pub mod kernel_perms;
pub mod label_word;
pub mod last_decision;
pub mod mount_options;
pub mod policy;
pub mod sid_table;
pub mod socket;
