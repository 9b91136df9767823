#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cost of the LSM hooks, in guest instructions per operation: boots the
# same kernel three times in QEMU, with lsm=capability (baseline),
# lsm=capability,selinux (tests/bench/selinux-minimal.conf, enforcing) and
# lsm=capability,carapace (the default policy, enforcing), runs
# tests/bench/lsm-bench.c in each and prints the figures side by side.
#
#   bench-kernel.sh [--scale PERCENT] [--rounds N] [--unpinned] [--timeout S]
#
# Wall-clock times on shared machines drift too much from one boot to the
# next to show the cost of a hook. So the guest runs under TCG with
# "-icount shift=0" on one vCPU: one guest instruction is one nanosecond of
# guest time, and the figures are instructions per operation, the same to
# about 0.1% from boot to boot whatever the host is doing. Address space
# randomization is off (norandmaps) and lsm-bench fills the slab caches the
# operations use to the same state in every boot (--unpinned: leave them as
# the boot left them, which moves some figures by ~600 instructions; see
# pin_slab_objects() in tests/bench/lsm-bench.c). The benchmark runs as
# root in the boot's initial domain (kernel_t in carapace's default policy,
# bench_t in the SELinux one).
#
# Uses the kernel and VM root that scripts/build-kernel.sh and
# scripts/build-initramfs.sh made (read only) and works in build/bench/:
# its own copy of the kernel, its own root (build/initramfs plus /bench),
# each boot's serial console and output. Prints figures; it is not a
# pass/fail test, but exits 1 if a boot fails or an LSM does not enforce
# its policy, or denies the benchmark anything.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SCALE=100
ROUNDS=5
PIN=
TIMEOUT=600
while [ $# -gt 0 ]; do
	case "$1" in
	--scale) SCALE=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--unpinned) PIN=,-u; shift ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	*) die "unknown argument $1 (usage: ${0##*/} [--scale PERCENT] [--rounds N] [--unpinned] [--timeout S])" ;;
	esac
done

for tool in qemu-system-x86_64 gcc checkpolicy cpio gzip; do
	command -v "$tool" >/dev/null || die "$tool missing: run scripts/setup.sh"
done

SRC="$REPO/tests/bench"
OUT="$BUILD/bench"
ROOT="$OUT/root"
KERNEL="$OUT/bzImage"
INITRD="$OUT/initramfs.cpio.gz"
mkdir -p "$OUT"

# A snapshot of the kernel and the VM root, so that all three boots run the
# same kernel even if they are rebuilt meanwhile; retried while a rebuild
# has them half made.
snapshot() {
	local k="$KOUT/arch/x86/boot/bzImage" r="$BUILD/initramfs" f
	[ -f "$k" ] && [ -d "$r" ] || return 1
	rm -rf "$ROOT" "$KERNEL"
	cp "$k" "$KERNEL" && cp -a "$r" "$ROOT" 2>/dev/null || return 1
	for f in bin/busybox bin/exit-vm bin/carapacectl etc/carapace/policy.bin; do
		[ -s "$ROOT/$f" ] || return 1
	done
	# The kernel may have been replaced while the root was copied.
	cmp -s "$k" "$KERNEL"
}
tries=0
until snapshot; do
	tries=$((tries + 1))
	[ $tries -lt 10 ] ||
		die "no complete kernel and VM root: run scripts/build-kernel.sh and scripts/build-initramfs.sh"
	log "kernel or VM root missing or being rebuilt; retrying in 60s"
	sleep 60
done

mkdir -p "$ROOT/bench"
CFLAGS=(-static -O2 -Wall -Werror -isystem "$KOUT/usr/include")
gcc "${CFLAGS[@]}" -o "$ROOT/bench/lsm-bench" "$SRC/lsm-bench.c"
gcc "${CFLAGS[@]}" -nostdlib -o "$ROOT/bench/true" "$SRC/true.c"
checkpolicy -c 33 -U allow -o "$ROOT/bench/selinux.policy" "$SRC/selinux-minimal.conf" >/dev/null
install -m 755 "$SRC/init" "$ROOT/bench/init"
(cd "$ROOT" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$INITRD"

# One boot: $1 is the name, $2 the lsm= list. Leaves the benchmark's output
# in $OUT/NAME.out and the serial console in $OUT/NAME.console.
boot() {
	local name=$1 lsm=$2 status=0
	local console="$OUT/$name.console" result="$OUT/$name.out"
	rm -f "$console" "$result"
	log "booting lsm=$lsm"
	timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -icount shift=0 \
		-m 1024 -smp 1 -nographic -no-reboot \
		-kernel "$KERNEL" -initrd "$INITRD" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
		-serial "file:$console" -serial "file:$result" \
		-append "console=ttyS0 panic=-1 oops=panic lsm=$lsm norandmaps rdinit=/bench/init bench_lsm=$lsm bench_args=-s,$SCALE,-r,$ROUNDS$PIN" \
		</dev/null >/dev/null 2>&1 || status=$?
	case "$status" in
	1) ;;	# guest: exit-vm 0
	3) sed 's/\r$//' "$result" | tail -n 40 >&2; die "lsm=$lsm: the benchmark failed (output above; console: $console)" ;;
	124) die "lsm=$lsm: timed out after ${TIMEOUT}s (console: $console)" ;;
	*) die "lsm=$lsm: the VM ended without a result (qemu status $status, console: $console)" ;;
	esac
	if grep -qE 'WARNING:|BUG:|Oops|Kernel panic|Call Trace' "$console"; then
		die "lsm=$lsm: the kernel logged a warning, oops or panic (console: $console)"
	fi
	# The guest's serial port ends lines with CR LF.
	sed -i 's/\r$//' "$result"
	tail -n 1 "$result" | grep -qx 'bench: ok' || die "lsm=$lsm: no result (output: $result)"
}

start=$SECONDS
boot none capability
boot selinux capability,selinux
boot carapace capability,carapace

echo "Guest instructions per operation (median of $ROUNDS rounds), same kernel,"
echo "QEMU TCG -icount shift=0, one vCPU; $(sha256sum "$KERNEL" | cut -c1-12) $(date -u +%Y-%m-%dT%H:%MZ)"
echo
awk '
FNR == 1 { boot = FILENAME; sub(/.*\//, "", boot); sub(/\.out$/, "", boot) }
$1 == "op" {
	if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }
	med[boot, $2] = $4
}
function delta(v, base) { return sprintf("%.0f (%+.0f)", v, v - base) }
END {
	fmt = "| %-22s | %9s | %17s | %17s | %16s |\n"
	printf fmt, "operation", "none", "selinux (+delta)", "carapace (+delta)", "carapace/selinux"
	printf "|%s|%s|%s|%s|%s|\n", "------------------------", "-----------",
		"-------------------", "-------------------", "------------------"
	for (i = 1; i <= n; i++) {
		op = order[i]; b = med["none", op]; s = med["selinux", op]; c = med["carapace", op]
		ds = s - b; dc = c - b
		if (ds >= 1) ratio = sprintf("%.2f", dc / ds)
		else ratio = "-"
		printf fmt, op, sprintf("%.0f", b), delta(s, b), delta(c, b), ratio
	}
}' "$OUT/none.out" "$OUT/selinux.out" "$OUT/carapace.out"
echo
echo "carapace/selinux: the instructions carapace adds over the baseline divided"
echo "by those SELinux adds (below 1: carapace is cheaper)."
if [ -n "$PIN" ]; then
	echo "Slab caches as each boot left them (--unpinned)."
else
	echo "Slab caches brought to the same state in each boot (lsm-bench.c, pin_slab_objects)."
fi
for name in none selinux carapace; do
	echo
	echo "--- $name ($OUT/$name.out)"
	grep -v '^bench: ok$' "$OUT/$name.out"
done
echo
echo "${0##*/}: three boots in $((SECONDS - start))s"
