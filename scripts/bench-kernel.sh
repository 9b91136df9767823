#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cost of the LSM hooks, in guest instructions per operation: boots the
# same kernel three times in QEMU, with lsm=capability (baseline),
# lsm=capability,selinux (tests/bench/selinux-classes.conf and
# selinux-bench.conf, enforcing) and lsm=capability,carapace (the default
# policy with tests/bench/bench.cpol, enforcing), runs
# tests/bench/lsm-bench.c in each, twice: in the boot's initial domain
# (kernel_t) and in the confined domain bench_t, which both policies give
# the same rules, and prints the figures side by side.
#
#   bench-kernel.sh [--scale PERCENT] [--rounds N] [--unpinned] [--cpu N]
#                   [--only OPS] [--kernel BZIMAGE] [--timeout S]
#   bench-kernel.sh --load [--kernel BZIMAGE] [--timeout S]
#   bench-kernel.sh --profile OPS [--scale PERCENT] [--rounds N] [--kernel BZIMAGE]
#   bench-kernel.sh --load --profile LOADS [--kernel BZIMAGE]
#
# --kernel boots BZIMAGE instead of build/kernel's (e.g. a copy kept to
# compare with). The hooks take about 3 minutes, --load under one.
# --only runs only the rows named in OPS (colon-separated): the rows run
# before a row leave the slab allocator in a state that moves those that
# free through RCU (sockets, shmat+shmdt) by some 30 instructions.
#
# --load measures the policy load instead: the ~100k-rule, 3k-type policy
# of src/compiler/examples/bench_policy.rs, compiled by carapacec and by
# checkpolicy, written to /sys/kernel/security/carapace/policy and to
# /sys/fs/selinux/load in one write() each (tests/bench/load-policy.c),
# a first load and a reload, in two boots; it prints the instructions and
# the kernel memory each keeps for the policy, and the floor: the
# instructions of the same write() refused at the magic number once the
# kernel has copied it in.
#
# --profile shows where the instructions of some rows go: it boots the
# same three kernels with the QEMU plugin tests/bench/tb-profile.c, runs
# only the rows named in OPS (colon-separated, e.g.
# socketpair+send+recv:shmat+shmdt), and prints the kernel functions
# (System.map) whose instructions per operation differ most between the
# boots. The figures are inclusive of everything the boot ran (policy
# load, idle), divided by the operations run; the differences between
# boots are what the hooks cost. With --load, it profiles LOADS loads of
# the policy in each LSM instead (a first load, then reloads) and prints
# the kernel functions that spend the most per load.
#
# Wall-clock times on shared machines drift too much from one boot to the
# next to show the cost of a hook. So the guest runs under TCG with
# "-icount shift=0,sleep=off": one guest instruction is one nanosecond of
# guest time (and idle time jumps to the next timer at once), and the
# figures are instructions per operation. The guest's clock then depends
# on nothing from the host but the real-time clock, which is set to a
# fixed date, and the VM root is made byte for byte the same from the same
# files: two runs on the same kernel print the same figures, to the last
# digit. The kernel is SMP and the guest has 2 vCPUs, which icount makes
# QEMU run in turn; lsm-bench pins itself (and so its children) to one of
# them (--cpu, default 1) and the other idles. Address space
# randomization is off (norandmaps); lsm-bench fills the slab caches the
# operations use to the same state in every boot (--unpinned: leave them
# as the boot left them; see pin_slab_objects() in
# tests/bench/lsm-bench.c), gives the process rows the same PIDs in every
# round, and lets the deferred work of a round run before the next; a
# first pass at a tenth of the scale, not reported, brings the kernel to
# its steady state (tests/bench/init).
#
# Uses the kernel and VM root that scripts/build-kernel.sh and
# scripts/build-initramfs.sh made (read only) and works in build/bench/:
# its own copy of the kernel, its own root (build/initramfs plus /bench),
# each boot's serial console and output. Prints figures; it is not a
# pass/fail test, but exits 1 if a boot fails or an LSM does not enforce
# its policy, or denies the benchmark anything.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

USAGE="usage: ${0##*/} [--scale PERCENT] [--rounds N] [--unpinned] [--cpu N] [--only OPS] [--kernel BZIMAGE] [--timeout S] [--profile OPS] | --load [--profile LOADS] [--kernel BZIMAGE] [--timeout S]"
SCALE=100
ROUNDS=5
PIN=
CPU=1
TIMEOUT=900
LOAD=
PROFILE=
ONLY=
BZIMAGE="$KOUT/arch/x86/boot/bzImage"
while [ $# -gt 0 ]; do
	case "$1" in
	--scale) SCALE=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--unpinned) PIN=,-u; shift ;;
	--cpu) CPU=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--load) LOAD=1; shift ;;
	--profile) PROFILE=$2; shift 2 ;;
	--only) ONLY=$2; shift 2 ;;
	--kernel) BZIMAGE=$(realpath "$2"); shift 2 ;;
	*) die "unknown argument $1 ($USAGE)" ;;
	esac
done
[ -z "$ONLY" ] || [ -z "$LOAD$PROFILE" ] || die "--only goes with neither --load nor --profile"
case "$CPU" in
0 | 1) ;;
*) die "--cpu: the guest has CPUs 0 and 1" ;;
esac

for tool in qemu-system-x86_64 gcc checkpolicy cpio gzip cargo; do
	command -v "$tool" >/dev/null || die "$tool missing: run scripts/setup.sh"
done

SRC="$REPO/tests/bench"
OUT="$BUILD/bench"
ROOT="$OUT/root"
KERNEL="$OUT/bzImage"
INITRD="$OUT/initramfs.cpio.gz"
mkdir -p "$OUT"

# A snapshot of the kernel and the VM root, so that all boots run the
# same kernel even if they are rebuilt meanwhile; retried while a rebuild
# has them half made.
snapshot() {
	local k="$BZIMAGE" r="$BUILD/initramfs" f
	[ -f "$k" ] && [ -d "$r" ] || return 1
	rm -rf "$ROOT" "$KERNEL"
	cp "$k" "$KERNEL" && cp -a "$r/." "$ROOT" 2>/dev/null || return 1
	if [ -n "$PROFILE" ]; then
		cp "$KOUT/System.map" "$OUT/System.map" || return 1
	fi
	for f in bin/busybox bin/exit-vm bin/carapacectl; do
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

# The policies: carapace's default with bench_t, and its SELinux
# counterpart with bench_t's rules spliced in (tests/bench/selinux-bench.conf).
# For --load, the ~100k-rule policy in both forms.
mkdir -p "$ROOT/bench"
(cd "$REPO" && cargo build --quiet --release -p carapace-compiler --bin carapacec)
CARAPACEC="$REPO/target/release/carapacec"
# (The default policy's warnings are shown only if it does not compile.)
out=$("$CARAPACEC" --color=never -o "$ROOT/bench/carapace.bin" \
	"$REPO/policy/default/main.cpol" "$SRC/bench.cpol" 2>&1) ||
	{ echo "$out" >&2; die "carapacec could not compile tests/bench/bench.cpol"; }
awk -v rules="$SRC/bench.cpol" '
	{ print }
	$0 == "# bench.cpol" { while ((getline l < rules) > 0) print l }
' "$SRC/selinux-bench.conf" | cat "$SRC/selinux-classes.conf" - >"$OUT/selinux-bench.policy.conf"
grep -q '^type bench_t;' "$OUT/selinux-bench.policy.conf" ||
	die "tests/bench/selinux-bench.conf has no \"# bench.cpol\" line"
checkpolicy -c 33 -U deny -o "$ROOT/bench/selinux.policy" "$OUT/selinux-bench.policy.conf" >/dev/null
if [ -n "$LOAD" ]; then
	(cd "$REPO" && cargo run --quiet --release -p carapace-compiler --example bench_policy -- \
		--kernel "$SRC/selinux-classes.conf" "$OUT/load") >&2
	checkpolicy -c 33 -U deny -o "$OUT/load/bench-policy.selinux" "$OUT/load/bench-policy.conf" >/dev/null
	mkdir -p "$ROOT/bench/load"
	cp "$OUT/load/bench.bin" "$ROOT/bench/load/carapace.bin"
	cp "$OUT/load/bench-policy.selinux" "$ROOT/bench/load/selinux.policy"
fi

CFLAGS=(-static -O2 -Wall -Werror -isystem "$KOUT/usr/include")
gcc "${CFLAGS[@]}" -o "$ROOT/bench/lsm-bench" "$SRC/lsm-bench.c"
gcc "${CFLAGS[@]}" -o "$ROOT/bench/load-policy" "$SRC/load-policy.c"
gcc "${CFLAGS[@]}" -nostdlib -o "$ROOT/bench/true" "$SRC/true.c"
PLUGIN=()
if [ -n "$PROFILE" ]; then
	gcc -O2 -Wall -Werror -shared -fPIC -o "$OUT/tb-profile.so" "$SRC/tb-profile.c"
fi
install -m 755 "$SRC/init" "$ROOT/bench/init"
# The same files make the same VM root, byte for byte.
find "$ROOT" -exec touch -h -d 2026-01-01T00:00:00Z {} +
(cd "$ROOT" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --reproducible) | gzip -1 -n >"$INITRD"

# One boot: $1 is the name, $2 the lsm= list, $3 more of the command line.
# Leaves the benchmark's output in $OUT/NAME.out and the serial console in
# $OUT/NAME.console.
boot() {
	local name=$1 lsm=$2 extra=$3 status=0
	local console="$OUT/$name.console" result="$OUT/$name.out"
	rm -f "$console" "$result" "$OUT/$name.profile"
	[ -z "$PROFILE" ] || PLUGIN=(-plugin "$OUT/tb-profile.so,out=$OUT/$name.profile")
	log "booting lsm=$lsm ($name)"
	timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off \
		-rtc base=2026-01-01T00:00:00,clock=vm \
		-m 1024 -smp 2 -nographic -no-reboot \
		-kernel "$KERNEL" -initrd "$INITRD" "${PLUGIN[@]}" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -monitor none \
		-serial "file:$console" -serial "file:$result" \
		-append "console=ttyS0 panic=-1 oops=panic lsm=$lsm norandmaps rdinit=/bench/init bench_lsm=$lsm $extra" \
		</dev/null >/dev/null 2>&1 || status=$?
	case "$status" in
	1) ;;	# guest: exit-vm 0
	3) sed 's/\r$//' "$result" | tail -n 60 >&2; die "lsm=$lsm: the benchmark failed (output above; console: $console)" ;;
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

# What the guest saw: "cpus: N" and "slab: ..." lines of a boot's output.
guest() { sed -n "s/^$2: //p" "$OUT/$1.out" | head -n 1; }

# A profiled boot's instructions by kernel function, divided by $2:
# "BOOT FUNCTION INSNS CALLS" lines. Block addresses and symbols are
# sorted together: each block is counted for the symbol before it, and a
# block at the symbol's address counts its calls.
per_function() {
	{
		awk '$2 ~ /^[tTwW]$/ { print $1, "sym", $3 }' "$OUT/System.map"
		awk '{ print $1, "n", $2, $3 }' "$OUT/$1.profile"
	} | LC_ALL=C sort -k1,1 -k2,2r | awk -v boot="$1" -v ops="$2" '
		$2 == "sym" { sym = $3; at = $1; next }
		{
			s = sym == "" ? "(user space)" : sym
			n[s] += $3
			if ($1 == at) c[s] += $4
		}
		END { for (s in n) printf "%s %s %.1f %.2f\n", boot, s, n[s] / ops, c[s] / ops }'
}

# Rust symbols (v0 mangling) as their last two path components.
RUST_NAME='
	function rust(m,   out, n, len) {
		# _R...: the identifiers are decimal lengths then names; keep the last two.
		out = ""
		while (match(m, /[0-9]+/)) {
			len = substr(m, RSTART, RLENGTH) + 0
			name = substr(m, RSTART + RLENGTH, len)
			if (name ~ /^_/) name = substr(name, 2)
			if (len > 0 && name ~ /^[A-Za-z_][A-Za-z0-9_]*$/) { prev = last; last = name }
			m = substr(m, RSTART + RLENGTH + (len > 0 ? len : 0))
		}
		return prev "::" last
	}
	function pretty(f) { return substr(f ~ /^_R/ ? rust(f) : f, 1, 48) }'

start=$SECONDS
if [ -n "$LOAD" ] && [ -n "$PROFILE" ]; then
	[[ "$PROFILE" =~ ^[1-9][0-9]*$ ]] || die "--load --profile takes a number of loads"
	boot load-selinux capability,selinux "bench_mode=load bench_args=-c,$CPU,-n,$PROFILE"
	boot load-carapace capability,carapace \
		"bench_mode=load bench_args=-c,$CPU,-n,$PROFILE carapace.enforcing=0"
	echo "Kernel functions by instructions per policy load (all of each boot, the"
	echo "first load and $((PROFILE - 1)) reloads and everything else the boot ran, divided"
	echo "by $PROFILE), the ${PROFILE_ROWS:-40} most in either boot; $(sha256sum "$KERNEL" | cut -c1-12)"
	echo
	for name in load-selinux load-carapace; do
		per_function $name "$PROFILE"
	done | awk '
		{ v[$1, $2] = $3; calls[$1, $2] = $4; fn[$2] = 1 }
		END {
			for (f in fn) {
				s = v["load-selinux", f]; c = v["load-carapace", f]
				printf "%012.1f %s %.1f %.1f %.2f %.2f\n", (s > c ? s : c), f, s, c,
					calls["load-selinux", f], calls["load-carapace", f]
			}
		}' | sort -r | head -n "${PROFILE_ROWS:-40}" | awk '
		BEGIN {
			fmt = "| %-48s | %10s | %10s | %9s | %9s |\n"
			printf fmt, "function", "selinux", "carapace", "s calls", "c calls"
			printf "|%s|%s|%s|%s|%s|\n", "--------------------------------------------------",
				"------------", "------------", "-----------", "-----------"
		}
		{ printf fmt, pretty($2), $3, $4, $5, $6 }
'"$RUST_NAME"
	echo
	echo "${0##*/} --load --profile: two boots in $((SECONDS - start))s"
	exit 0
fi
if [ -n "$LOAD" ]; then
	boot load-selinux capability,selinux "bench_mode=load bench_args=-c,$CPU,-f"
	boot load-carapace capability,carapace "bench_mode=load bench_args=-c,$CPU,-f carapace.enforcing=0"

	echo "Policy load: one write() of the whole binary policy, same kernel, QEMU TCG"
	echo "-icount shift=0, SMP, $(guest load-selinux cpus) vCPUs, the writer pinned to CPU $CPU," \
		"$(guest load-selinux slab); $(sha256sum "$KERNEL" | cut -c1-12) $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "$(grep -c '^type ' "$OUT/load/bench.cpol") types," \
		"$(grep -c '^allow ' "$OUT/load/bench.cpol") allow rules," \
		"$(grep -c '^type_transition ' "$OUT/load/bench.cpol") type_transitions (src/compiler/examples/bench_policy.rs);" \
		"binary: carapace $(stat -c %s "$OUT/load/bench.bin") bytes," \
		"SELinux $(stat -c %s "$OUT/load/bench-policy.selinux") bytes (checkpolicy -c 33)"
	echo
	awk '
	FNR == 1 { lsm = FILENAME; sub(/.*load-/, "", lsm); sub(/\.out$/, "", lsm) }
	$1 == "load" {
		n = $2; el[lsm, n] = $4; cpu[lsm, n] = $6
		slab[lsm, n] = $8; vm[lsm, n] = $10; vmi[lsm, n] = $12
	}
	$1 == "floor" { floor[lsm] = $5 }
	function m(x) { return sprintf("%.1fM", x / 1e6) }
	function kb(x) { return sprintf("%+d kB", x) }
	function ratio(c, s) { return s > 0 ? sprintf("%.2f", c / s) : "-" }
	END {
		fmt = "| %-34s | %12s | %12s | %16s |\n"
		printf fmt, "", "selinux", "carapace", "carapace/selinux"
		printf "|%s|%s|%s|%s|\n", "------------------------------------",
			"--------------", "--------------", "------------------"
		split("first load|reload", what, "|")
		for (n = 1; n <= 2; n++) {
			printf fmt, what[n] ": instructions (on CPU)", m(cpu["selinux", n]),
				m(cpu["carapace", n]), ratio(cpu["carapace", n], cpu["selinux", n])
			printf fmt, what[n] ": elapsed (with waits)", m(el["selinux", n]),
				m(el["carapace", n]), ratio(el["carapace", n], el["selinux", n])
		}
		printf fmt, "floor: copy in only (instructions)", m(floor["selinux"]),
			m(floor["carapace"]), ratio(floor["carapace"], floor["selinux"])
		for (n = 1; n <= 2; n++) {
			w = n == 1 ? "kept after first load" : "change by the reload"
			printf fmt, w ": slab", kb(slab["selinux", n]), kb(slab["carapace", n]),
				ratio(slab["carapace", n], slab["selinux", n])
			printf fmt, w ": vmalloc", kb(vm["selinux", n]), kb(vm["carapace", n]),
				ratio(vm["carapace", n], vm["selinux", n])
			ts = slab["selinux", n] + vm["selinux", n]
			tc = slab["carapace", n] + vm["carapace", n]
			printf fmt, w ": total", kb(ts), kb(tc), ratio(tc, ts)
		}
	}' "$OUT/load-selinux.out" "$OUT/load-carapace.out"
	echo
	echo "instructions (on CPU): CLOCK_THREAD_CPUTIME_ID around the write(), the"
	echo "writer's own instructions; elapsed: CLOCK_MONOTONIC, with the time both"
	echo "vCPUs spent idle waiting (RCU grace periods). Memory: Slab (SReclaimable +"
	echo "SUnreclaim) and VmallocUsed of /proc/meminfo after dropping caches, before"
	echo "and after the write. Both LSMs permissive (the policy gives the loader"
	echo "nothing but the load). carapace/selinux below 1: carapace is cheaper."
	echo "floor: the same write() with the policy's magic number broken, which"
	echo "each LSM copies in whole and refuses at once (EINVAL): the system call,"
	echo "the buffer and the copy, without validation or anything built."
	for name in load-selinux load-carapace; do
		echo
		echo "--- $name ($OUT/$name.out)"
		grep -v '^bench: ok$' "$OUT/$name.out"
	done
	echo
	echo "${0##*/} --load: two boots in $((SECONDS - start))s"
	exit 0
fi

OPS=${PROFILE:-$ONLY}
ARGS="bench_args=-c,$CPU,-s,$SCALE,-r,$ROUNDS$PIN${OPS:+,-o,$OPS} bench_warm_up=$(( SCALE >= 10 ? SCALE / 10 : 1 ))"
boot none capability "$ARGS"
boot selinux capability,selinux "$ARGS"
boot carapace capability,carapace "$ARGS"

if [ -n "$PROFILE" ]; then
	echo "Kernel functions by instructions per operation of $PROFILE (all boots:"
	echo "every operation of the warm-up pass and the two runs, and everything else"
	echo "the boot ran, divided by the operations), the 40 that differ most from"
	echo "the baseline; $(sha256sum "$KERNEL" | cut -c1-12)"
	echo
	for name in none selinux carapace; do
		# Operations run: each "op" line's warm-up (a tenth) and rounds.
		ops=$(awk -v rounds="$ROUNDS" '
			$1 == "warm-up" && $2 == "op" { n += int($NF / 10) + 1 + $NF }
			$1 == "op" { n += int($NF / 10) + 1 + rounds * $NF }
			END { print n }' "$OUT/$name.out")
		per_function $name "$ops"
	done | awk '
		{ v[$1, $2] = $3; calls[$1, $2] = $4; fn[$2] = 1 }
		function abs(x) { return x < 0 ? -x : x }
		END {
			for (f in fn) {
				ds = v["selinux", f] - v["none", f]; dc = v["carapace", f] - v["none", f]
				key = abs(ds) > abs(dc) ? abs(ds) : abs(dc)
				printf "%012.1f %s %.1f %.1f %.1f %.2f %.2f\n", key, f, v["none", f], ds, dc,
					calls["selinux", f], calls["carapace", f]
			}
		}' | sort -r | head -n "${PROFILE_ROWS:-40}" | awk '
		BEGIN {
			fmt = "| %-48s | %9s | %10s | %10s | %7s | %7s |\n"
			printf fmt, "function", "none", "selinux +", "carapace +", "s calls", "c calls"
			printf "|%s|%s|%s|%s|%s|%s|\n", "--------------------------------------------------",
				"-----------", "------------", "------------", "---------", "---------"
		}
		{
			printf fmt, pretty($2), $3, sprintf("%+.1f", $4),
				sprintf("%+.1f", $5), $6, $7
		}
'"$RUST_NAME"
	echo
	echo "${0##*/} --profile: three boots in $((SECONDS - start))s"
	exit 0
fi

echo "Guest instructions per operation (median of $ROUNDS rounds), same kernel, QEMU TCG"
echo "-icount shift=0, SMP, $(guest none cpus) vCPUs, lsm-bench pinned to CPU $CPU," \
	"$(guest none slab); $(sha256sum "$KERNEL" | cut -c1-12) $(date -u +%Y-%m-%dT%H:%MZ)"
for run in initial confined; do
	echo
	if [ $run = initial ]; then
		echo "In the boot's initial domain (kernel_t; carapace: the default policy's"
		echo "unconfined kernel_t; SELinux: kernel_t allowed everything):"
	else
		echo "Confined (bench_t: the rules of tests/bench/bench.cpol in both LSMs;"
		echo "baseline: the same run again without an LSM):"
	fi
	echo
	awk -v want=$run '
	FNR == 1 { boot = FILENAME; sub(/.*\//, "", boot); sub(/\.out$/, "", boot); run = "" }
	$1 == "run" { run = $2 }
	$1 == "op" && run == want {
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
done
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
