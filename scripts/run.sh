#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a kernel with carapace and boot it in QEMU: a shell on the console
# when run from a terminal, otherwise a short demo that powers off.
# Extra arguments go to scripts/vm.sh (e.g. --lsm capability,selinux).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bash "$REPO/scripts/setup.sh"
bash "$REPO/scripts/build-kernel.sh" >"$BUILD/build-kernel.log" 2>&1 ||
	{ tail -n 40 "$BUILD/build-kernel.log"; die "kernel build failed (log: $BUILD/build-kernel.log)"; }
bash "$REPO/scripts/build-initramfs.sh"
if [ -t 0 ] && [ -t 1 ]; then
	log "booting; leave the VM shell with 'exit' (or Ctrl-A x)"
	exec bash "$REPO/scripts/vm.sh" "$@"
fi
exec bash "$REPO/scripts/vm.sh" --demo "$@"
