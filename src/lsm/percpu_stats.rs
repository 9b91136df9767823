// SPDX-License-Identifier: GPL-2.0

//! Access vector cache statistics, one block of counters per CPU, in
//! memory from the kernel's per-CPU allocator.
//!
//! A CPU only writes its own block: on x86-64 with one per-CPU add (see
//! `this_cpu_add`), elsewhere with plain loads and stores (see
//! [`AvcCounters::add_unshared`]). Counting a cache hit neither makes CPUs
//! contend nor takes a locked instruction. The blocks live in the
//! per-CPU areas, so no two CPUs' blocks share a cache line and the memory
//! grows with the CPUs the machine can have (`cpu_possible_mask`), not with
//! `CONFIG_NR_CPUS`. `avc/cache_stats` shows the block of each possible
//! CPU, one row each, as SELinux's does.

use core::{ffi::c_void, mem, ptr};

use kernel::{bindings, prelude::*};

use crate::avc::{AvcCacheStats, AvcCounters, AvcEvent, AvcStats};

/// The number of CPU ids in use: every possible CPU is below it.
#[cfg(any(not(CONFIG_SMP), CONFIG_FORCE_NR_CPUS))]
fn nr_cpu_ids() -> u32 {
    bindings::CONFIG_NR_CPUS
}

/// The number of CPU ids in use: every possible CPU is below it.
#[cfg(all(CONFIG_SMP, not(CONFIG_FORCE_NR_CPUS)))]
fn nr_cpu_ids() -> u32 {
    // SAFETY: `nr_cpu_ids` is set once, early in boot, before any Rust
    // code runs; afterwards it is only read.
    unsafe { bindings::nr_cpu_ids }
}

/// The possible CPUs, in increasing order, as `for_each_possible_cpu()`
/// walks them.
fn possible_cpus() -> impl Iterator<Item = u32> {
    let mut prev: i32 = -1;
    core::iter::from_fn(move || {
        // SAFETY: `__cpu_possible_mask` is a static cpumask that lives as
        // long as the kernel; `cpumask_next()` only reads it, and accepts
        // any `n` from -1 on.
        let next =
            unsafe { bindings::cpumask_next(prev, ptr::addr_of!(bindings::__cpu_possible_mask)) };
        if next >= nr_cpu_ids() {
            return None;
        }
        prev = i32::try_from(next).ok()?;
        Some(next)
    })
}

/// Per-CPU access vector cache statistics.
///
/// # Invariants
///
/// `blocks` is null, or a per-CPU pointer returned by `__alloc_percpu()`
/// for an [`AvcCounters`] (its size and alignment) that this object owns
/// until it is dropped, and whose block of every possible CPU holds an
/// initialised [`AvcCounters`].
pub(crate) struct PerCpuStats {
    blocks: *mut c_void,
}

// SAFETY: the blocks are reached only through shared references to
// `AvcCounters`, whose counters are atomics; the allocation is freed only
// by `drop`, which has the object to itself.
unsafe impl Send for PerCpuStats {}

// SAFETY: as for `Send`: concurrent use only reads and writes atomics.
unsafe impl Sync for PerCpuStats {}

impl PerCpuStats {
    /// Zeroed statistics. Should the per-CPU allocator fail (at LSM init
    /// it still has its first chunk's reserve, so it does not), the
    /// statistics stay zero and a warning says so; the cache works the
    /// same.
    pub(crate) fn new() -> Self {
        // SAFETY: `__alloc_percpu()` may be called from any context that
        // may sleep, which LSM init is; the size and the alignment (a
        // power of two) are those of `AvcCounters`.
        let blocks = unsafe {
            bindings::__alloc_percpu(
                mem::size_of::<AvcCounters>(),
                mem::align_of::<AvcCounters>(),
            )
        };
        if blocks.is_null() {
            pr_warn!("carapace: no per-CPU memory: AVC statistics are not kept\n");
            return Self {
                blocks: ptr::null_mut(),
            };
        }
        for cpu in possible_cpus() {
            // SAFETY: `blocks` is a live per-CPU allocation and `cpu` is
            // a possible CPU, so the pointer is to that CPU's block, sized
            // and aligned for `AvcCounters`, and no one else has it yet.
            unsafe {
                bindings::per_cpu_ptr(blocks, cpu)
                    .cast::<AvcCounters>()
                    .write(AvcCounters::new());
            }
        }
        // INVARIANT: `blocks` came from `__alloc_percpu()` for an
        // `AvcCounters`, and each possible CPU's block was initialised.
        Self { blocks }
    }

    /// The counters of `cpu`, which must be a possible CPU.
    ///
    /// # Safety
    ///
    /// `cpu` is a possible CPU.
    unsafe fn cpu_counters(&self, cpu: u32) -> Option<&AvcCounters> {
        if self.blocks.is_null() {
            return None;
        }
        // SAFETY: by the type invariant `blocks` is a live per-CPU
        // allocation whose block of each possible CPU holds an initialised
        // `AvcCounters`, and the caller guarantees that `cpu` is one; the
        // block lives as long as `self`.
        unsafe {
            bindings::per_cpu_ptr(self.blocks, cpu)
                .cast::<AvcCounters>()
                .as_ref()
        }
    }

    /// The counters of each possible CPU, in CPU order.
    pub(crate) fn per_cpu(&self) -> impl Iterator<Item = AvcCacheStats> + '_ {
        possible_cpus().map(|cpu| {
            // SAFETY: `possible_cpus()` yields only possible CPUs.
            match unsafe { self.cpu_counters(cpu) } {
                Some(counters) => counters.snapshot(),
                None => AvcCacheStats::default(),
            }
        })
    }
}

impl Drop for PerCpuStats {
    fn drop(&mut self) {
        // SAFETY: by the type invariant `blocks` is null or a per-CPU
        // allocation owned by `self`, which is going away; `free_percpu()`
        // accepts null. The counters need no drop.
        unsafe { bindings::free_percpu(self.blocks) };
    }
}

impl AvcStats for PerCpuStats {
    #[inline(always)]
    fn count(&self, event: AvcEvent, n: u64) {
        if self.blocks.is_null() {
            return;
        }
        #[cfg(all(CONFIG_X86_64, CONFIG_SMP))]
        {
            let counter = self.blocks.wrapping_byte_add(AvcCounters::offset_of(event));
            // SAFETY: by the type invariant `blocks` is a live per-CPU
            // allocation of an `AvcCounters`, initialised in every possible
            // CPU's block, so `counter` is the per-CPU pointer of one of
            // its counters, which are atomics; the block lives as long as
            // `self`.
            unsafe { this_cpu_add(counter, n) };
        }
        #[cfg(not(all(CONFIG_X86_64, CONFIG_SMP)))]
        {
            // SAFETY: by the type invariant `blocks` is a live per-CPU
            // allocation, so `raw_cpu_ptr()` gives the block of the CPU
            // this runs on, which is possible and initialised. The task
            // may migrate before it writes: it then writes another CPU's
            // block, which is still a valid `AvcCounters` of atomics (a
            // count may be lost, never memory), and the block lives as
            // long as `self`.
            let counters = unsafe {
                bindings::raw_cpu_ptr(self.blocks)
                    .cast::<AvcCounters>()
                    .as_ref()
            };
            if let Some(counters) = counters {
                counters.add_unshared(event, n);
            }
        }
    }
}

/// Adds `n` to the `u64` at the per-CPU pointer `counter` in the block of
/// the CPU this runs on, with one instruction relative to the CPU's
/// per-CPU base (`%gs`), as the kernel's `this_cpu_add()`: neither a
/// migration nor an interrupt can come in between, and no call is made.
///
/// # Safety
///
/// `counter` is a per-CPU pointer to an aligned `u64`, live and
/// initialised in the block of every possible CPU, that is only read
/// atomically or changed this way.
#[cfg(all(CONFIG_X86_64, CONFIG_SMP))]
#[inline(always)]
unsafe fn this_cpu_add(counter: *mut c_void, n: u64) {
    // SAFETY: on x86-64 SMP, `%gs` holds the CPU's per-CPU offset
    // (`this_cpu_off`), so `%gs:counter` is the counter in this CPU's
    // block, valid as the caller guarantees. An aligned 64-bit `add` is
    // single-copy atomic for readers; it touches nothing else, and only
    // the flags.
    unsafe {
        core::arch::asm!(
            "addq {n}, %gs:({counter})",
            counter = in(reg) counter,
            n = in(reg) n,
            options(att_syntax, nostack),
        );
    }
}
