#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CRIU's own test suite, ZDTM, on the whole list of tests/vm/zdtm.list:
# one boot without carapace (suite zdtm-none), one with carapace
# enforcing the default policy (suite zdtm: criu_t, then criu_denied_t),
# then the table of the three (scripts/zdtm-table.sh), as in
# Documentation/criu.rst, as scripts/test.sh does on the normal kernel.
# Needs the kernel and the VM roots (build-kernel.sh, build-initramfs.sh);
# the TAP and consoles are in build/vm/zdtm-none.* and build/vm/zdtm.*.
# Exit status 0 when every check passed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

Z=(--initrd "$BUILD/initramfs-zdtm.cpio.gz" --timeout 2400)
status=0
t0=$SECONDS
bash "$REPO/scripts/vm.sh" "${Z[@]}" --lsm capability --test zdtm-none || status=1
t1=$SECONDS
bash "$REPO/scripts/vm.sh" "${Z[@]}" --lsm capability,carapace --test zdtm || status=1
t2=$SECONDS
bash "$REPO/scripts/zdtm-table.sh" "$BUILD/vm/zdtm-none.tap" "$BUILD/vm/zdtm.tap" || status=1
log "without carapace: $((t1 - t0)) s; criu_t and criu_denied_t: $((t2 - t1)) s"
grep -E '^not ok ' "$BUILD/vm/zdtm-none.tap" "$BUILD/vm/zdtm.tap" >&2
exit $status
