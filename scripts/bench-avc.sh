#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Access vector cache benchmarks (src/core/benches/avc.rs): hit latency and
# throughput on 1 and 2 threads, miss + insert cost, hit rate as the working
# set grows past capacity, reset cost; side by side with RwLock<HashMap> and
# DashMap, with ratios. Prints figures; it is not a pass/fail test.
set -eu
cd "$(dirname "$0")/.."
# Shared machines: a busy neighbour skews the 2-thread figures most.
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
cargo bench -p carapace-core --bench avc "$@"
