#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CRIU's own test suite, ZDTM, unprivileged: `zdtm.py run --rootless -f h`
# (CRIU's mode for a uid other than 0 holding CAP_CHECKPOINT_RESTORE,
# which adds --unprivileged to each criu command) of one test of
# /zdtm/test/zdtm/static, as uid 1000 holding only that capability
# (tests/vm/cr-user.c):
#
#   zdtm.sh none TEST
#	booted without carapace: the test passes (dump, restore, check).
#   zdtm.sh criu_t TEST
#	in criu_t, carapace enforcing the default policy: it passes, and
#	carapace denied nothing.
#   zdtm.sh criu_denied_t TEST
#	in criu_denied_t (criu_t without checkpoint_restore): the dump or
#	the restore fails, and the kernel logged criu_denied_t's
#	checkpoint_restore denial; or the test itself fails to start,
#	refused checkpoint_restore (a /proc/PID/map_files open of its own).
#   zdtm.sh criu_t TEST criu-carapace
#	as criu_t, with the CRIU built with contrib/criu/, which reads each
#	task's domain at dump and writes it back at restore.
#
# Each run prints "zdtm-result: TEST RUN RESULT" (RUN: the domain, then
# ":criu-carapace" for the patched CRIU; RESULT: PASS, or
# "FAIL at STEP" as zdtm.py says: CRIU dump, CRIU restore, start...), from
# which scripts/zdtm-table.sh makes the table of
# the runs on the host.

USER_ID=1000
DIR=/tmp/zdtm

fail() { echo "FAIL: $*"; exit 1; }

domain=$1 test=$2 criu_name=${3:-criu}
[ -n "$test" ] || fail "usage: zdtm.sh none|criu_t|criu_denied_t TEST [criu|criu-carapace]"
case "$criu_name" in
criu) criu=/usr/sbin/criu run_name=$domain ;;
criu-carapace) criu=/usr/local/sbin/criu-carapace run_name=$domain:$criu_name ;;
*) fail "unknown CRIU $criu_name" ;;
esac
[ -x "$criu" ] || fail "no $criu"

has_carapace() { grep -qw carapace /sys/kernel/security/lsm; }

# Once a boot: ZDTM in tmpfs, owned by the user (zdtm.py writes the tests'
# files and CRIU's images beside them), keeping the modification times
# that make the prebuilt tests up to date for make.
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
	run() { cr-user $USER_ID "$@"; }
	;;
criu_t | criu_denied_t)
	has_carapace || fail "booted without carapace"
	[ "$(cat /sys/kernel/security/carapace/enforce)" = 1 ] || fail "not enforcing"
	run() { cr-user $USER_ID carapacectl exec --domain "$domain" -- "$@"; }
	;;
*)
	fail "unknown domain $domain"
	;;
esac

# The kernel log from here on: after a marker, not a line count, which
# stops growing once the log buffer is full.
marker="zdtm.sh: $run_name $test $$ $(cut -d' ' -f1 /proc/uptime)"
echo "$marker" >/dev/kmsg
out=/tmp/zdtm-$domain-$criu_name-$test.log
t0=$(cut -d' ' -f1 /proc/uptime)
# Off the console (CRIU refuses a target on a terminal), in a session of
# its own.
(cd $DIR/test && run setsid ./zdtm.py run --rootless -f h --keep-going \
	--criu-bin "$criu" -t "zdtm/static/$test") </dev/null >"$out" 2>&1
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)

# zdtm.py's "=== Test NAME PASS ===" or "### Test NAME FAIL at STEP ###";
# a test that failed to start fails at its make command.
result=$(sed -n "s|^[=#]* Test zdtm/static/$test \(PASS\|FAIL at .*\) [=#]*$|\1|p" "$out" |
	sed -e "s/FAIL at \['make'.*'$test\.pid'\]/FAIL at start/" -e 's/ *$//' | tail -n1)
[ -n "$result" ] || result="no result (zdtm.py status $rc)"
echo "zdtm-result: $test $run_name $result"
echo "# $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
denials=$(dmesg | awk -v m="$marker" 'found; index($0, m) { found = 1 }' |
	grep 'carapace: denied' |
	sed 's/.*carapace: denied/denied/')

case "$domain" in
none | criu_t)
	if [ "$result" != PASS ] || [ $rc != 0 ]; then
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
esac
rm -f "$out"
exit 0
