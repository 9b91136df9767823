// SPDX-License-Identifier: GPL-2.0

//! Carapace: a type-enforcement Linux Security Module.
//!
//! The crate root only declares the modules and the LSM itself. The shared
//! core (classmap, policy database, access vector cache) is compiled from the
//! same files as the host crate `carapace-core`; everything that touches C is
//! in [`lsm`], so the hook bodies in [`hooks`] are plain safe Rust.

/// Prefix of every `pr_*!` line; `module!` would define it, but an LSM is
/// built in and registers through `lsm_info` instead.
const __LOG_PREFIX: &[u8] = b"carapace\0";

mod hooks;
mod lsm;

/// The carapace security module.
struct Carapace;

lsm::define_lsm! {
    module: Carapace,
    name: b"carapace\0",
    hooks: [capable],
}
