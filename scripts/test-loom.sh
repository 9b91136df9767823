#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the loom models of the access vector cache (src/core/tests/avc_loom.rs)
# and of the last decisions (src/core/tests/last_decision_loom.rs).
#
# loom explores the interleavings of each model exhaustively up to
# LOOM_MAX_PREEMPTIONS forced preemptions per execution. The default (3)
# takes about 40 s on 2 cores (plus a first build of ~2.5 min); 4 takes
# about 3.5 min: LOOM_MAX_PREEMPTIONS=4 scripts/test-loom.sh
# Extra arguments go to the test binary (e.g. a model name filter).
set -eu
cd "$(dirname "$0")/.."

: "${LOOM_MAX_PREEMPTIONS:=3}"
export LOOM_MAX_PREEMPTIONS
export RUSTFLAGS="${RUSTFLAGS:-} --cfg loom"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/loom}"

echo "loom: LOOM_MAX_PREEMPTIONS=$LOOM_MAX_PREEMPTIONS"
start=$(date +%s)
for model in avc_loom last_decision_loom; do
	cargo test -p carapace-core --release --test "$model" -- --test-threads="${LOOM_TEST_THREADS:-2}" "$@"
done
echo "loom: done in $(( $(date +%s) - start )) s"
