#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bounded fuzz run of the policy validator and lookups (target `parse`, in
# src/core/fuzz) and of the policy compiler (target `compile`, in
# src/compiler/fuzz), every target of each crate in turn.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 60)
#   scripts/fuzz.sh --long [RUNS_PER_TARGET [TARGET...]] (default 10000000,
#                                            every target)
#
# The long mode runs each target for RUNS executions (no time limit), on
# the local corpus, and prints per target the executions done, the
# coverage (libFuzzer's `cov`, edges, and `ft`, features) when the corpus
# was loaded and at the end, and how much of it is new: a summary line
# `fuzz.sh: TARGET: N executions, cov A -> B (+C), ft D -> E (+F),
# corpus X -> Y` each, also appended to build/fuzz-long.log.
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
LONG=
ONLY=
if [ "${1:-}" = --long ]; then
	LONG=${2:-10000000}
	ONLY=" ${*:3} "
	[[ "$LONG" =~ ^[0-9]+$ ]] || { echo "usage: $0 --long [runs-per-target]" >&2; exit 2; }
else
	SECS=${1:-60}
	[[ "$SECS" =~ ^[0-9]+$ ]] || { echo "usage: $0 [seconds-per-target] | --long [runs]" >&2; exit 2; }
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
	echo "fuzz.sh: installing cargo-fuzz" >&2
	cargo install --locked cargo-fuzz
fi

export RUSTC_BOOTSTRAP=1
status=0

# One long run of TARGET in CRATE: RUNS executions, then the summary.
long_run() {
	local crate=$1 target=$2 corpus=$3 log rc=0
	log="$REPO/build/fuzz-$target.log"
	mkdir -p "$REPO/build"
	local before; before=$(find "$corpus" -type f | wc -l)
	echo "fuzz.sh: $target for $LONG executions (log: $log)" >&2
	cargo fuzz run -s none --release "$target" "$corpus" -- \
		-runs="$LONG" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 >"$log" 2>&1 || rc=$?
	# libFuzzer: "#N INITED cov: A ft: B corp: ..." once the corpus is
	# loaded, "#N DONE cov: A ft: B ..." at the end, and the final stats.
	local inited done execs
	inited=$(grep -m1 -E '^#[0-9]+[[:space:]]+INITED' "$log" || true)
	done=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -n1 || true)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	field() { sed -nE "s/.* $1: ([0-9]+).*/\1/p" <<<"$2"; }
	local c0 c1 f0 f1
	c0=$(field cov "$inited") c1=$(field cov "$done") f0=$(field ft "$inited") f1=$(field ft "$done")
	local line="fuzz.sh: $target: ${execs:-?} executions, cov ${c0:-?} -> ${c1:-?} (+$(( ${c1:-0} - ${c0:-0} ))), ft ${f0:-?} -> ${f1:-?} (+$(( ${f1:-0} - ${f0:-0} ))), corpus $before -> $(find "$corpus" -type f | wc -l)"
	echo "$line" | tee -a "$REPO/build/fuzz-long.log" >&2
	if [ "$rc" != 0 ]; then
		echo "fuzz.sh: $target FAILED (see $crate/fuzz/artifacts/$target/ and $log)" >&2
		return 1
	fi
}
# Every target of each fuzz crate: parse in src/core/fuzz, compile in
# src/compiler/fuzz.
for crate in src/core src/compiler; do
	cd "$REPO/$crate"
	for target in $(cargo fuzz list); do
		corpus="fuzz/corpus/$target"
		mkdir -p "$corpus"
		if [ -n "$LONG" ]; then
			case "$ONLY" in "  " | *" $target "*) ;; *) continue ;; esac
			long_run "$crate" "$target" "$corpus" || status=1
			continue
		fi
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
