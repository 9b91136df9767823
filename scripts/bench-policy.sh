#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Policy benchmark: generates ~100k allow rules over ~3k types with
# attributes and prints compile time, binary size, validate time and
# compute_av hit/miss latency, side by side with SELinux's checkpolicy
# compiling the equivalent policy.conf; then a scaling table (10k, 100k
# and 1M rules: wall time and peak memory of carapacec and checkpolicy).
#
#   scripts/bench-policy.sh [--no-scaling] [--skip-1m] [--skip-checkpolicy-1m] [--neverallow] [OUTDIR]
#
# OUTDIR holds the generated files (default build/bench-policy);
# --no-scaling leaves the table out, --skip-1m its 1M row (about 30 s and
# 750 MiB), --skip-checkpolicy-1m only checkpolicy's run in that row.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
OPTS=()
OUT=$REPO/build/bench-policy
for a in "$@"; do
	case "$a" in
	--no-scaling | --skip-1m | --skip-checkpolicy-1m | --neverallow) OPTS+=("$a") ;;
	-*) echo "bench-policy.sh: unknown option $a" >&2; exit 2 ;;
	*) OUT=$a ;;
	esac
done
mkdir -p "$OUT"
command -v checkpolicy >/dev/null ||
	echo "bench-policy.sh: checkpolicy missing (scripts/setup.sh installs it); carapace figures only" >&2
cd "$REPO"
cargo build --quiet --release -p carapace-compiler --bin carapacec --example bench_policy
exec "$REPO/target/release/examples/bench_policy" "${OPTS[@]}" "$OUT"
