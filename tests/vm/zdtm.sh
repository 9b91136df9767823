#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CRIU's own test suite, ZDTM, unprivileged: `zdtm.py run --rootless -f h`
# (CRIU's mode for a uid other than 0 holding CAP_CHECKPOINT_RESTORE,
# which adds --unprivileged to each criu command) of tests of
# /zdtm/test/zdtm/static, as uid 1000 holding only that capability
# (tests/vm/cr-user.c). RUN is where and with which CRIU:
#
#   none			booted without carapace: each test passes (dump,
#				restore, check).
#   criu_t			in criu_t, carapace enforcing the default policy:
#				each test passes, and carapace denies nothing.
#   criu_denied_t		in criu_t without checkpoint_restore: each test's
#				dump or restore fails, and the kernel logs
#				criu_denied_t's checkpoint_restore denial; or the
#				test itself fails to start, refused
#				checkpoint_restore (a /proc/PID/map_files open of
#				its own).
#   criu_t:criu-carapace	as criu_t, with the CRIU built with
#				contrib/criu/, which reads each task's domain at
#				dump and writes it back at restore.
#
#   zdtm.sh run RUN TEST...
#	runs the tests in one zdtm.py (one python and one `criu check`
#	for them all, not one a test: under TCG that is seconds a test),
#	with --keep-going, and files each test's output and the kernel's
#	denials while it ran under /tmp/zdtm-runs/RUN/. A line of the
#	kernel log marks each test's start: this script writes it as
#	zdtm.py prints the test's "Run" line, before the test is built or
#	started. Fails if zdtm.py did not run, or if anything was denied
#	before the first test (in criu_denied_t: anything but
#	checkpoint_restore, which zdtm.py's `criu check` is refused).
#   zdtm.sh check RUN TEST
#	checks what the run filed for TEST, as above, and prints
#	"zdtm-result: TEST RUN RESULT" (RESULT: PASS, or "FAIL at STEP" as
#	zdtm.py says: CRIU dump, CRIU restore, start...), from which
#	scripts/zdtm-table.sh makes the table of the runs on the host.

USER_ID=1000
DIR=/tmp/zdtm
RUNS=/tmp/zdtm-runs

fail() { echo "FAIL: $*"; exit 1; }
uptime_now() { cut -d' ' -f1 /proc/uptime; }

[ $# -ge 2 ] || fail "usage: zdtm.sh run RUN TEST... | check RUN TEST"
mode=$1 run_name=$2
shift 2
domain=${run_name%%:*}
case "$run_name" in
*:*) criu_name=${run_name#*:} ;;
*) criu_name=criu ;;
esac
case "$criu_name" in
criu) criu=/usr/sbin/criu ;;
criu-carapace) criu=/usr/local/sbin/criu-carapace ;;
*) fail "unknown CRIU $criu_name" ;;
esac
res=$RUNS/$run_name

has_carapace() { grep -qw carapace /sys/kernel/security/lsm; }

# The run's kernel log from the line MARK to the next zdtm.sh marker,
# carapace's denials only.
denials_after() {
	awk -v m="$1" '
		index($0, "zdtm.sh: ") && found { exit }
		found { print }
		index($0, m) { found = 1 }' "$res/kmsg" |
		grep 'carapace: denied' | sed 's/.*carapace: denied/denied/'
}

run_tests() {
	[ $# -gt 0 ] || fail "no tests to run"
	[ -x "$criu" ] || fail "no $criu"
	# Once a boot: ZDTM in tmpfs, owned by the user (zdtm.py writes the
	# tests' files and CRIU's images beside them), keeping the
	# modification times that make the prebuilt tests up to date for
	# make.
	if [ ! -d $DIR ]; then
		cp -a /zdtm $DIR.tmp && chown -R $USER_ID:$USER_ID $DIR.tmp && mv $DIR.tmp $DIR ||
			fail "copying ZDTM to $DIR"
		if has_carapace; then
			for f in /usr/sbin/criu /usr/local/sbin/criu-carapace; do
				carapacectl relabel $f >/dev/null 2>&1 || fail "relabelling $f"
				[ "$(carapacectl context $f)" = criu_exec_t ] ||
					fail "$f is $(carapacectl context $f), not criu_exec_t"
			done
			carapacectl enforce || fail "enforcing"
		fi
	fi
	case "$domain" in
	none)
		! has_carapace || fail "booted with carapace"
		as_job() { cr-user $USER_ID "$@"; }
		;;
	criu_t | criu_denied_t)
		has_carapace || fail "booted without carapace"
		[ "$(cat /sys/kernel/security/carapace/enforce)" = 1 ] || fail "not enforcing"
		as_job() { cr-user $USER_ID carapacectl exec --domain "$domain" -- "$@"; }
		;;
	*)
		fail "unknown domain $domain"
		;;
	esac

	rm -rf "$res" && mkdir -p "$res" || fail "making $res"
	# What the tests' Makefile computes with a shell pipeline each time
	# it reads them (zdtm.py runs make twice a test), given instead:
	# under TCG, each pipeline is a tenth of a second.
	export SUBARCH=x86_64 ARCH=x86
	args=
	for t in "$@"; do args="$args -t zdtm/static/$t"; done
	# The kernel log as it is written: the records of a few tests'
	# denials (with their SYSCALL and PROCTITLE records) fill the ring
	# buffer.
	cat /dev/kmsg >"$res/kmsg" &
	reader=$!
	begin="zdtm.sh: $run_name begins $$"
	echo "$begin" >/dev/kmsg
	# Off the console (CRIU refuses a target on a terminal), in a session
	# of its own; unbuffered, so that each "Run" line reaches the loop
	# below as it is printed.
	# shellcheck disable=SC2086 # $args is the -t options
	(cd $DIR/test && export PYTHONUNBUFFERED=1 && as_job setsid ./zdtm.py run --rootless \
		-f h --keep-going --criu-bin "$criu" $args; echo "zdtm.sh: zdtm.py status $?") \
		</dev/null 2>&1 |
		while IFS= read -r line; do
			case "$line" in
			*"= Run zdtm/static/"*" in h ="*)
				t=${line#*= Run zdtm/static/}
				t=${t%% in h =*}
				echo "zdtm.sh: $run_name $t $$" >/dev/kmsg
				echo "$t $(uptime_now)" >>"$res/starts"
				;;
			esac
			printf '%s\n' "$line"
		done >"$res/zdtm.log"
	uptime_now >"$res/end"
	end="zdtm.sh: $run_name ends $$"
	echo "$end" >/dev/kmsg
	n=0
	until grep -qF "$end" "$res/kmsg"; do
		[ $n -lt 10 ] || fail "the kernel log reader stopped"
		n=$((n + 1))
		sleep 1
	done
	kill $reader
	grep -qF "$begin" "$res/kmsg" || fail "the kernel log reader lost the run's start"
	# Each test's output: from its "Run" line to the next.
	awk -v dir="$res" '
		/= Run zdtm\/static\/.* in h =/ {
			t = $0; sub(/.*= Run zdtm\/static\//, "", t); sub(/ in h =.*/, "", t)
			out = dir "/" t ".out"
		}
		out { print > out }' "$res/zdtm.log"
	for t in "$@"; do
		denials_after "zdtm.sh: $run_name $t $$" >"$res/$t.denials"
	done
	before=$(denials_after "$begin")
	grep -q '^zdtm.sh: zdtm.py status' "$res/zdtm.log" || fail "zdtm.py did not run"
	tail -n 3 "$res/zdtm.log"
	# zdtm.py's own `criu check` before the first test: in criu_denied_t,
	# refused checkpoint_restore like any CRIU, and nothing else.
	[ "$domain" != criu_denied_t ] ||
		before=$(echo "$before" | grep -v "denied { checkpoint_restore } .*scontext=criu_denied_t tcontext=criu_denied_t tclass=capability2")
	if [ -n "$before" ]; then
		echo "$before"
		fail "denied before the first test"
	fi
	exit 0
}

check_test() {
	test=$1
	[ -n "$test" ] || fail "usage: zdtm.sh check RUN TEST"
	out=$res/$test.out
	[ -f "$out" ] || fail "$test did not run in $run_name (no $out)"
	# zdtm.py's "=== Test NAME PASS ===" or "### Test NAME FAIL at STEP ###";
	# a test that failed to start fails at its make command.
	result=$(sed -n "s|^[=#]* Test zdtm/static/$test \(PASS\|FAIL at .*\) [=#]*$|\1|p" "$out" |
		sed -e "s/FAIL at \['make'.*'$test\.pid'\]/FAIL at start/" -e 's/ *$//' | tail -n1)
	[ -n "$result" ] || result="no result"
	echo "zdtm-result: $test $run_name $result"
	# Its time: from its start to the next test's (or the run's end).
	awk -v t="$test" -v end="$(cat "$res/end")" '
		found { end = $2; exit }
		$1 == t { start = $2; found = 1 }
		END { if (found) printf "# %.1f s\n", end - start }' "$res/starts"
	denials=$(cat "$res/$test.denials")

	case "$domain" in
	none | criu_t)
		if [ "$result" != PASS ]; then
			tail -n 40 "$out"
			fail "$test in $run_name: $result"
		fi
		[ -z "$denials" ] || { echo "$denials"; fail "carapace denied CRIU or the test"; }
		;;
	criu_denied_t)
		record="denied { checkpoint_restore } .*scontext=criu_denied_t tcontext=criu_denied_t tclass=capability2"
		case "$result" in
		"FAIL at CRIU dump" | "FAIL at CRIU restore") ;;
		"FAIL at start")
			# A test that reads /proc/self/map_files itself (shmemfd) is
			# refused before CRIU runs: the denial must be its own.
			record="denied { checkpoint_restore } for pid=[0-9]* comm=\"$(echo "$test" | cut -c1-15)\" .*scontext=criu_denied_t tcontext=criu_denied_t tclass=capability2"
			;;
		*) grep -E 'FAIL|Error' "$out" | head -n 20; fail "$test in $domain: $result" ;;
		esac
		echo "$denials" | grep -q "$record" ||
			{ echo "$denials"; fail "no checkpoint_restore denial for criu_denied_t"; }
		echo "# the kernel's record:"
		echo "$denials" | grep 'checkpoint_restore' | head -n 1 | sed 's/^/#   /'
		others=$(echo "$denials" | grep -v 'denied { checkpoint_restore }')
		[ -z "$others" ] || { echo "$others"; fail "denials other than checkpoint_restore"; }
		;;
	*)
		fail "unknown domain $domain"
		;;
	esac
	exit 0
}

case "$mode" in
run) run_tests "$@" ;;
check) check_test "$@" ;;
*) fail "usage: zdtm.sh run RUN TEST... | check RUN TEST" ;;
esac
