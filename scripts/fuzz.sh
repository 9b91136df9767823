#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bounded fuzz run of the policy validator and lookups (target `parse`, in
# src/core/fuzz) and of the policy compiler (target `compile`, in
# src/compiler/fuzz), every target of each crate in turn.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 60)
#
# Installs cargo-fuzz if missing. Only the stable toolchain exists here, so
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the unstable flags it needs. The core
# has no unsafe code, so no sanitizer is used (-s none): the fuzzer looks for
# panics (which the core must never have), hangs and slow inputs. Each fuzz
# crate keeps its seed corpus in fuzz/corpus/<target>/seed-*; new corpus
# entries stay local (ignored by git). Crashes land in
# <crate>/fuzz/artifacts/<target>/.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
SECS=${1:-60}
[[ "$SECS" =~ ^[0-9]+$ ]] || { echo "usage: $0 [seconds-per-target]" >&2; exit 2; }

if ! cargo fuzz --version >/dev/null 2>&1; then
	echo "fuzz.sh: installing cargo-fuzz" >&2
	cargo install --locked cargo-fuzz
fi

export RUSTC_BOOTSTRAP=1
status=0
# Every target of each fuzz crate: parse in src/core/fuzz, compile in
# src/compiler/fuzz.
for crate in src/core src/compiler; do
	cd "$REPO/$crate"
	for target in $(cargo fuzz list); do
		corpus="fuzz/corpus/$target"
		mkdir -p "$corpus"
		echo "fuzz.sh: $target for ${SECS}s" >&2
		if ! cargo fuzz run -s none --release "$target" "$corpus" -- \
			-max_total_time="$SECS" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1; then
			echo "fuzz.sh: $target FAILED (see $crate/fuzz/artifacts/$target/)" >&2
			status=1
		fi
	done
done
exit $status
