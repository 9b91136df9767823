#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the carapace kernel in QEMU.
#
#   vm.sh [--lsm LIST] [--test SUITE [--tag NAME] | --demo] [--append ARGS]
#         [--timeout S] [--debug] [--smp N] [--kernel BZIMAGE] [--initrd FILE]
#
# --debug boots the debug kernel (build/kernel-debug, made by
# `build-kernel.sh --debug`: KASAN, lockdep, PROVE_RCU, UBSAN, KFENCE) on
# 2 vCPUs; --smp N gives the guest N vCPUs (an SMP kernel uses them);
# --kernel boots BZIMAGE instead (e.g. the distribution-config kernel of
# `build-kernel.sh --base-config`, build/kernel-distro); --initrd boots
# FILE as the VM root instead of build/initramfs.cpio.gz (e.g. the zdtm
# suite's, build/initramfs-zdtm.cpio.gz).
#
# With --test, the guest runs tests/vm/suites/SUITE, its TAP output goes to
# build/vm/NAME.tap, the serial console to build/vm/NAME.console (NAME is
# SUITE unless --tag says otherwise), and the
# guest's own exit status (through QEMU's isa-debug-exit device) becomes
# this script's: 0 all passed, 1 a test failed, 2 the VM crashed, hung or
# the kernel logged a splat. Without --test (and --demo) it is interactive.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LSM=capability,carapace
MODE=shell
SUITE=
TAG=
APPEND=
TIMEOUT=600
DEBUG=
SMP=
KERNEL=
INITRD=
while [ $# -gt 0 ]; do
	case "$1" in
	--lsm) LSM=$2; shift 2 ;;
	--test) MODE=test SUITE=$2; shift 2 ;;
	--tag) TAG=$2; shift 2 ;;
	--demo) MODE=demo; shift ;;
	--append) APPEND="$APPEND $2"; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--debug) DEBUG=1; shift ;;
	--smp) SMP=$2; shift 2 ;;
	--kernel) KERNEL=$(realpath "$2") || die "no such file: $2"; shift 2 ;;
	--initrd) INITRD=$(realpath "$2") || die "no such file: $2"; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done

if [ -n "$DEBUG" ]; then
	KERNEL=${KERNEL:-$KOUT_DEBUG/arch/x86/boot/bzImage}
	SMP=${SMP:-2}
fi
KERNEL=${KERNEL:-$KOUT/arch/x86/boot/bzImage}
INITRD=${INITRD:-$BUILD/initramfs.cpio.gz}
[ -f "$KERNEL" ] && [ -f "$INITRD" ] || die "build the kernel and initramfs first"
mkdir -p "$BUILD/vm"

# KVM guests hang on some of these machines: use KVM only if a probe boot
# with it completes, and remember the answer.
accel() {
	local probe="$BUILD/vm/kvm-probe"
	if [ ! -f "$probe" ]; then
		local rc=0
		[ -w /dev/kvm ] && timeout 30 qemu-system-x86_64 -enable-kvm -cpu host \
			-m 256 -nographic -no-reboot -kernel "$KERNEL" -initrd "$INITRD" \
			-append "console=ttyS0 panic=-1 quiet probe=1" \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-serial null -serial null -monitor none </dev/null >/dev/null 2>&1 || rc=$?
		# The guest's "exit-vm 0" makes QEMU exit with status 1. Written
		# whole, then renamed: suites that start together may all probe.
		if [ "$rc" = 1 ]; then echo yes; else echo no; fi >"$probe.$$"
		mv "$probe.$$" "$probe"
	fi
	if [ "$(cat "$probe")" = yes ]; then echo "-enable-kvm -cpu host"; else echo "-accel tcg"; fi
}

QEMU=(qemu-system-x86_64 $(accel) -m 1024 -smp 2 -nographic -no-reboot
	-kernel "$KERNEL" -initrd "$INITRD"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none)
# A later -smp overrides the one above.
[ -n "$SMP" ] && QEMU+=(-smp "$SMP")
CMDLINE="console=ttyS0 panic=-1 oops=panic audit=1 lsm=$LSM$APPEND"

case "$MODE" in
shell)
	exec "${QEMU[@]}" -serial mon:stdio -serial null -append "$CMDLINE"
	;;
demo)
	exec "${QEMU[@]}" -serial mon:stdio -serial null -append "$CMDLINE demo=1"
	;;
esac

TAG=${TAG:-$SUITE}
TAP="$BUILD/vm/$TAG.tap"
CONSOLE="$BUILD/vm/$TAG.console"
rm -f "$TAP" "$CONSOLE"
status=0
timeout "$TIMEOUT" "${QEMU[@]}" -serial "file:$CONSOLE" -serial "file:$TAP" \
	-append "$CMDLINE test=$SUITE" </dev/null >/dev/null 2>&1 || status=$?
case "$status" in
1) result=0 ;;		# guest: exit-vm 0
3) result=1 ;;		# guest: exit-vm 1
124) log "$TAG: timed out after ${TIMEOUT}s (console: $CONSOLE)"; result=2 ;;
*) log "$TAG: VM ended without a result (qemu status $status, console: $CONSOLE)"; result=2 ;;
esac
if grep -qE 'WARNING:|BUG:|Oops|Kernel panic|Call Trace' "$CONSOLE"; then
	log "$TAG: the kernel logged a warning, oops or panic (console: $CONSOLE)"
	result=2
fi
# What the debug kernel's checkers print (KASAN, UBSAN, lockdep,
# PROVE_RCU, DEBUG_ATOMIC_SLEEP); some of their reports have no WARNING.
if grep -qE 'KASAN:|UBSAN:|possible circular locking|possible recursive locking|suspicious RCU usage|sleeping function called from invalid context|inconsistent lock state' "$CONSOLE"; then
	log "$TAG: a kernel checker reported a bug (console: $CONSOLE)"
	grep -E 'KASAN:|UBSAN:|possible circular locking|possible recursive locking|suspicious RCU usage|sleeping function called from invalid context|inconsistent lock state' "$CONSOLE" | head -n 5 >&2
	result=2
fi
exit "$result"
