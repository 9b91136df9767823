#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every carapace test: install what is missing, check every command
# the scripts run is there (scripts/preflight.sh), run the host tests,
# build the kernel and the VM root, and run the VM suites. Logs go to
# build/test-logs/. The last line is "N passed, N failed"; the exit status
# is 0 only when nothing failed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LOGS="$BUILD/test-logs"
mkdir -p "$LOGS"
passed=0 failed=0

# A step that is not itself a counted test: a failure is one failed test.
step() {
	local name=$1 status=0 t0=$SECONDS
	shift
	log "== $name"
	"$@" >"$LOGS/$name.log" 2>&1 || status=$?
	step_ended "$name" "$status" "$t0"
}

# Reports step NAME that ended with STATUS, started at T0 (seconds of the
# run); a failure counts as one failed test and shows its log's tail.
step_ended() {
	local name=$1 status=$2 t0=$3
	if [ "$status" = 0 ]; then
		log "   $name: $((SECONDS - t0)) s"
		return 0
	fi
	log "FAILED: $name after $((SECONDS - t0)) s (log: $LOGS/$name.log)"
	tail -n 40 "$LOGS/$name.log" >&2
	failed=$((failed + 1))
	return 1
}

# A step run in the background: bg_start NAME COMMAND...; bg_wait gives
# its status, as step does. One at a time. It runs in a session of its
# own, so that it can be killed whole, and so in a group of its own for
# the scheduler's autogroup, which shares the CPU evenly between the
# groups that want it, whatever their nice values.
BG_PID='' BG_NAME='' BG_T0=0
bg_start() {
	BG_NAME=$1 BG_T0=$SECONDS; shift
	log "== $BG_NAME (in the background)"
	setsid "$@" >"$LOGS/$BG_NAME.log" 2>&1 </dev/null &
	BG_PID=$!
}
bg_wait() {
	local status=0
	wait "$BG_PID" || status=$?
	BG_PID=
	step_ended "$BG_NAME" "$status" "$BG_T0"
}
# A background step the run no longer waits for does not outlive it.
trap '[ -z "$BG_PID" ] || kill -- -"$BG_PID" 2>/dev/null' EXIT

# Count cargo's "test result: ok. N passed; M failed" lines.
count_cargo() {
	local log=$1 p f
	p=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\1/' | paste -sd+ | bc)
	f=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) passed; ([0-9]+) failed.*/\2/' | paste -sd+ | bc)
	passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0}))
	log "   ${p:-0} passed, ${f:-0} failed"
}

# VM suites run two at a time: a guest mostly keeps one of its two vCPUs
# busy (the suites' programs run one after another), so two guests use the
# two cores that one leaves half idle. vm_suite TAG ARGS... starts a suite
# once a lane is free; vm_wait_all waits for the running ones. A suite's
# results are counted and printed when it ends, in the order suites end.
LANES=${CARAPACE_VM_LANES:-2}
declare -A RUNNING=()
vm_suite() {
	local tag=$1; shift
	while [ ${#RUNNING[@]} -ge "$LANES" ]; do vm_reap; done
	log "== vm: $tag (started)"
	(
		t0=$SECONDS status=0
		bash "$REPO/scripts/vm.sh" --tag "$tag" "$@" || status=$?
		echo "ran $((SECONDS - t0)) s"
		exit "$status"
	) >"$LOGS/vm-$tag.log" 2>&1 &
	RUNNING[$!]=$tag
}
vm_wait_all() {
	while [ ${#RUNNING[@]} -gt 0 ]; do vm_reap; done
}
# Waits for one running suite and counts its top-level TAP results; a VM
# that gave no result counts as one more failure.
vm_reap() {
	local pid='' status=0 tag p f
	wait -n -p pid "${!RUNNING[@]}" || status=$?
	[ -n "$pid" ] || { log "vm_reap: no suite to wait for"; RUNNING=(); return; }
	tag=${RUNNING[$pid]}
	unset "RUNNING[$pid]"
	log "== vm: $tag (ended)"
	sed 's/^/   /' "$LOGS/vm-$tag.log" >&2
	p=$(grep -cE '^ok ' "$BUILD/vm/$tag.tap" 2>/dev/null)
	f=$(grep -cE '^not ok ' "$BUILD/vm/$tag.tap" 2>/dev/null)
	grep -E '^(not )?ok ' "$BUILD/vm/$tag.tap" 2>/dev/null | sed 's/^/   /' >&2
	passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0}))
	if [ "$status" != 0 ] && [ "${f:-0}" = 0 ]; then
		log "   $tag: VM status $status without a failed test: counted as a failure"
		failed=$((failed + 1))
	fi
}

step setup bash "$REPO/scripts/setup.sh" || { echo "$passed passed, $failed failed"; exit 1; }
# Every command of scripts/host-tools.txt on PATH, before any build.
step preflight bash "$REPO/scripts/preflight.sh" || { echo "$passed passed, $failed failed"; exit 1; }

# The commands the scripts use are all in scripts/host-tools.txt (one test).
if step host-tools bash "$REPO/scripts/check-host-tools.sh"; then
	passed=$((passed + 1))
fi

# The kernel's source tree unpacked (one core: xz) and configured in the
# background while the host tests run.
bg_start configure-kernel bash "$REPO/scripts/build-kernel.sh" --config-only

# Host tests of the Rust crates.
if step cargo-test cargo test --workspace --manifest-path "$REPO/Cargo.toml"; then :; fi
count_cargo "$LOGS/cargo-test.log"
# The loom models, and a bounded fuzz run (30 s per target); each counts
# as one test.
if step test-loom bash "$REPO/scripts/test-loom.sh"; then
	passed=$((passed + 1))
fi
if step fuzz bash "$REPO/scripts/fuzz.sh" 30; then
	passed=$((passed + 1))
fi
# The unit and initramfs hook that load the policy at boot (one test).
if step boot-loading bash "$REPO/scripts/check-boot-loading.sh"; then
	passed=$((passed + 1))
fi

# The kernel and the VM suites. The debug kernel (KASAN, lockdep,
# PROVE_RCU, UBSAN, KFENCE: scripts/kernel-debug.config) builds in the
# background beside the normal kernel, the VM root and the first suites,
# so that no core is left idle while one of them waits on one job (the
# Rust crates, xz, gzip, a guest's single busy vCPU).
if bg_wait &&
	bg_start build-kernel-debug bash "$REPO/scripts/build-kernel.sh" --debug &&
	step build-kernel bash "$REPO/scripts/build-kernel.sh" &&
	step build-initramfs bash "$REPO/scripts/build-initramfs.sh"; then
	# rustfmt and checkpatch (counted as one test).
	if step style bash "$REPO/scripts/check-style.sh"; then
		passed=$((passed + 1))
	fi
	if step distro-config bash "$REPO/scripts/check-distro-config.sh"; then
		passed=$((passed + 1))
	fi
	t_vm=$SECONDS
	# The longest suites first, so that the last to end are short ones.
	# CRIU's own test suite, ZDTM: the whole list of tests/vm/zdtm.list
	# in its own VM root, booted without carapace, then in criu_t,
	# criu_denied_t and criu_t with the patched CRIU; the table of the
	# runs is one more test (as scripts/test-zdtm.sh). The debug kernel
	# runs the short list.
	Z=(--initrd "$BUILD/initramfs-zdtm.cpio.gz" --timeout 2400)
	vm_suite zdtm "${Z[@]}" --lsm capability,carapace --test zdtm
	vm_suite zdtm-none "${Z[@]}" --lsm capability --test zdtm-none
	# The stress suite: reload storm, concurrent and hostile loads,
	# unprivileged securityfs writes, 200k-type policies; on 2 vCPUs.
	# Without syscall auditing (audit=0): its hammers are denied thousands
	# of times a second, and each AVC record would bring its SYSCALL and
	# PROCTITLE records along, flooding the serial console and the log the
	# suite reads.
	vm_suite stress --lsm capability,carapace --smp 2 --timeout 1800 --append audit=0 \
		--test stress
	vm_suite criu --lsm capability,carapace --test criu
	vm_suite registration-carapace --lsm capability,carapace --test registration
	vm_suite registration-without --lsm capability,selinux --test registration
	vm_suite registration-stacked --lsm capability,carapace,selinux --test registration
	# As distributions boot, with carapace added: Debian's CONFIG_LSM
	# (landlock,lockdown,yama,loadpin,safesetid,integrity,...,bpf) cut to
	# what this kernel has (no LoadPin, BPF LSM; "integrity" is no LSM
	# since 6.9), and Ubuntu's, with AppArmor ahead of carapace.
	vm_suite registration-debian --lsm landlock,lockdown,yama,safesetid,carapace \
		--test registration
	vm_suite registration-ubuntu --lsm landlock,lockdown,yama,apparmor,carapace \
		--test registration
	vm_suite checkpoint-restore --lsm capability,carapace --test checkpoint-restore
	vm_suite policy --lsm capability,carapace --test policy
	vm_suite hooks --lsm capability,carapace --test hooks
	vm_suite sockets --lsm capability,carapace --test sockets
	vm_suite ipc --lsm capability,carapace --test ipc
	vm_suite services --lsm capability,carapace --test services
	vm_suite mounts --lsm capability,carapace --test mounts
	vm_suite before-policy --lsm capability,carapace --append carapace_policy=none \
		--test before-policy
	vm_suite boot-permissive --lsm capability,carapace --append carapace.enforcing=0 \
		--test boot-permissive
	vm_suite kernel-selftests --lsm capability,carapace --test kernel-selftests
	vm_suite audit --lsm capability,carapace --test audit
	vm_suite kselftest-framework --lsm capability,carapace --test kselftest-framework

	# Every suite again on the debug kernel (SMP on 2 vCPUs): a checker's
	# report fails the suite. The suites still running go on while the
	# build is waited for.
	t0=$SECONDS
	if bg_wait; then
		log "   waited $((SECONDS - t0)) s for the debug kernel"
		D=(--debug --timeout 1800)
		vm_suite debug-stress "${D[@]}" --lsm capability,carapace --append audit=0 \
			--test stress
		vm_suite debug-zdtm-short "${D[@]}" --initrd "$BUILD/initramfs-zdtm.cpio.gz" \
			--lsm capability,carapace --test zdtm-short
		vm_suite debug-criu "${D[@]}" --lsm capability,carapace --test criu
		vm_suite debug-registration-carapace "${D[@]}" --lsm capability,carapace --test registration
		vm_suite debug-registration-without "${D[@]}" --lsm capability,selinux --test registration
		# Debian's order: carapace keeps the audit labels beside Landlock
		# and Yama (the debug kernel has no AppArmor).
		vm_suite debug-registration-debian "${D[@]}" \
			--lsm landlock,lockdown,yama,safesetid,carapace --test registration
		vm_suite debug-checkpoint-restore "${D[@]}" --lsm capability,carapace --test checkpoint-restore
		vm_suite debug-policy "${D[@]}" --lsm capability,carapace --test policy
		vm_suite debug-hooks "${D[@]}" --lsm capability,carapace --test hooks
		vm_suite debug-sockets "${D[@]}" --lsm capability,carapace --test sockets
		vm_suite debug-ipc "${D[@]}" --lsm capability,carapace --test ipc
		vm_suite debug-services "${D[@]}" --lsm capability,carapace --test services
		vm_suite debug-mounts "${D[@]}" --lsm capability,carapace --test mounts
		vm_suite debug-before-policy "${D[@]}" --lsm capability,carapace \
			--append carapace_policy=none --test before-policy
		vm_suite debug-boot-permissive "${D[@]}" --lsm capability,carapace \
			--append carapace.enforcing=0 --test boot-permissive
		vm_suite debug-kernel-selftests "${D[@]}" --lsm capability,carapace --test kernel-selftests
	fi
	vm_wait_all
	if step zdtm-table bash "$REPO/scripts/zdtm-table.sh" \
		"$BUILD/vm/zdtm-none.tap" "$BUILD/vm/zdtm.tap"; then
		passed=$((passed + 1))
	fi
	sed 's/^/   /' "$LOGS/zdtm-table.log" >&2
	log "   VM suites: $((SECONDS - t_vm)) s"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
