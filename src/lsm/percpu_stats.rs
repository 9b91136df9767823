// SPDX-License-Identifier: GPL-2.0

//! Access vector cache statistics, one cache line of counters per CPU.
//!
//! A CPU only writes its own line, with plain loads and stores (see
//! [`AvcCounters::add_unshared`]), so counting a cache hit neither makes
//! CPUs contend nor takes a locked instruction. `avc/cache_stats` sums the
//! lines.

use kernel::bindings;

use crate::avc::{AvcCacheStats, AvcCounters, AvcEvent, AvcStats};

const NR_CPUS: usize = bindings::CONFIG_NR_CPUS as usize;

#[repr(align(64))]
struct CpuLine(AvcCounters);

/// Per-CPU access vector cache statistics.
pub(crate) struct PerCpuStats {
    cpus: [CpuLine; NR_CPUS],
}

impl PerCpuStats {
    pub(crate) const fn new() -> Self {
        Self {
            cpus: [const { CpuLine(AvcCounters::new()) }; NR_CPUS],
        }
    }

    /// The sums over all CPUs.
    pub(crate) fn snapshot(&self) -> AvcCacheStats {
        self.cpus.iter().fold(AvcCacheStats::default(), |sum, cpu| {
            sum.add(cpu.0.snapshot())
        })
    }
}

impl AvcStats for PerCpuStats {
    #[inline(always)]
    fn count(&self, event: AvcEvent, n: u64) {
        let cpu = if NR_CPUS == 1 {
            0
        } else {
            // SAFETY: reading the CPU number is always allowed; a stale
            // value after migration only picks another CPU's line.
            unsafe { bindings::raw_smp_processor_id() }
        };
        if let Some(line) = self.cpus.get(cpu as usize) {
            line.0.add_unshared(event, n);
        }
    }
}
