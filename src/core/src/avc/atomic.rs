// SPDX-License-Identifier: GPL-2.0

//! Atomics used by the access vector cache and the last decisions.
//!
//! The host's `loom` model checker replaces `core`'s atomics when the crate is
//! built with `--cfg loom` (see `scripts/test-loom.sh`); the kernel build never
//! sets that cfg and gets `core::sync::atomic`. Only 32- and 64-bit atomics
//! are used: x86_64 has both natively.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};

#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};
