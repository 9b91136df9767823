#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Policy benchmark: generates ~100k allow rules over ~3k types with
# attributes and prints compile time, binary size, validate time and
# compute_av hit/miss latency, side by side with SELinux's checkpolicy
# compiling the equivalent policy.conf.
#
#   scripts/bench-policy.sh [OUTDIR]     (generated files; default build/bench-policy)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
OUT=${1:-$REPO/build/bench-policy}
mkdir -p "$OUT"
command -v checkpolicy >/dev/null ||
	echo "bench-policy.sh: checkpolicy missing (scripts/setup.sh installs it); carapace figures only" >&2
cd "$REPO"
cargo build --quiet --release -p carapace-compiler --bin carapacec --example bench_policy
exec "$REPO/target/release/examples/bench_policy" "$OUT"
