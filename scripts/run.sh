#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a kernel with carapace and boot it in QEMU: a shell on the console
# when run from a terminal, otherwise (or with --demo) a short demo that
# powers off: clone3 set_tid and a CRIU dump and restore, allowed in one
# domain and refused in another, with the denials explained.
# Other arguments go to scripts/vm.sh (e.g. --lsm capability,selinux).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

demo=
args=()
for arg in "$@"; do
	if [ "$arg" = --demo ]; then demo=1; else args+=("$arg"); fi
done

bash "$REPO/scripts/setup.sh"
bash "$REPO/scripts/preflight.sh"
bash "$REPO/scripts/build-kernel.sh" >"$BUILD/build-kernel.log" 2>&1 ||
	{ tail -n 40 "$BUILD/build-kernel.log"; die "kernel build failed (log: $BUILD/build-kernel.log)"; }
bash "$REPO/scripts/build-initramfs.sh"
if [ -z "$demo" ] && [ -t 0 ] && [ -t 1 ]; then
	log "booting; leave the VM shell with 'exit' (or Ctrl-A x)"
	exec bash "$REPO/scripts/vm.sh" "${args[@]}"
fi
exec bash "$REPO/scripts/vm.sh" --demo "${args[@]}"
