#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Carapace next to the other LSMs of the lsm= list, as TAP: every LSM the
# command line names is active (in /sys/kernel/security/lsm, in that
# order), carapace, when named, enforces its policy among them (a denial
# in cr_denied_t, an allowed call in cr_allowed_t), and the others do
# their work beside it: a Landlock ruleset confines a process, Yama's
# ptrace_scope 1 keeps an unprivileged user from attaching to a process
# that is not its descendant, /proc/PID/attr/current answers for the
# first LSM of the order that has process attributes, and audit records
# carry the labels of the LSM that keeps secids.
. /tests/tap.sh

lsms=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^lsm=//p')
active=$(cat /sys/kernel/security/lsm)
echo "TAP version 13"
echo "1..8"
echo "# lsm=$lsms; active: $active"

# The active list keeps the lsm= order (capability, always first, aside).
want=$(echo "$lsms" | tr ',' '\n' | grep -v '^capability$' | paste -sd, -)
got=$(echo "$active" | tr ',' '\n' | grep -v '^capability$' | paste -sd, -)
[ -n "$want" ] && [ "$want" = "$got" ]
ok $? "every LSM of lsm= is active, in its order"

case ",$lsms," in
*,carapace,*)
	carapacectl status --check >/dev/null
	ok $? "carapace enforces a loaded policy"
	CARAPACE_EXPECT=denied carapacectl exec --domain cr_denied_t -- \
		/tests/bin/checkpoint_restore_test -t clone3_set_tid >/tmp/st1.log 2>&1 &&
		CARAPACE_EXPECT=allowed carapacectl exec --domain cr_allowed_t -- \
			/tests/bin/checkpoint_restore_test -t clone3_set_tid >/tmp/st2.log 2>&1
	rc=$?
	[ $rc = 0 ] || cat /tmp/st1.log /tmp/st2.log | sed 's/^/# /'
	ok $rc "clone3 set_tid: refused in cr_denied_t, allowed in cr_allowed_t"
	;;
*)
	echo "ok 2 # SKIP carapace is not in lsm="
	echo "ok 3 # SKIP carapace is not in lsm="
	;;
esac
n=3

has() { case ",$lsms," in *,$1,*) return 0 ;; esac; return 1; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
as_user() { stack-probe as 1000 "$@"; }

if has landlock; then
	mkdir -p /tmp/ll/allowed && echo a >/tmp/ll/allowed/file && echo b >/tmp/ll/other
	stack-probe landlock /tmp/ll/allowed /tmp/ll/allowed/file /tmp/ll/other >/tmp/ll.log 2>&1
	rc=$?
	sed 's/^/# /' /tmp/ll.log
	ok $rc "landlock: a ruleset allowing reads beneath one directory refuses an open elsewhere (EACCES)"
else
	skip "landlock is not in lsm="
fi

if has yama; then
	scope=/proc/sys/kernel/yama/ptrace_scope
	old=$(cat $scope)
	# Not through the as_user function: $! must be the sleeper itself.
	stack-probe as 1000 sleep 120 &
	sleeper=$!
	sleep 0.2
	# Scope 0: the user may attach to its own process (so a refusal below
	# comes from Yama, not from DAC or carapace); scope 1: not unless it
	# is a descendant.
	echo 0 >$scope && r0=$(as_user stack-probe ptrace $sleeper) &&
		echo 1 >$scope && r1=$(as_user stack-probe ptrace $sleeper)
	echo "# ptrace_scope 0: ${r0:-?}; ptrace_scope 1: ${r1:-?}"
	[ "$r0" = ok ] && [ "$r1" = EPERM ]
	ok $? "yama: ptrace_scope 1 refuses PTRACE_ATTACH to a non-descendant (EPERM) as a user"
	r2=$(as_user stack-probe ptrace-child)
	rc=$?
	echo "# ptrace_scope $(cat $scope), attach to own child: $r2"
	ok $rc "yama: ptrace_scope 1 still lets a process attach to its child"
	kill $sleeper 2>/dev/null
	wait $sleeper 2>/dev/null
	echo "$old" >$scope
else
	skip "yama is not in lsm="
	skip "yama is not in lsm="
fi

# The generic /proc/PID/attr files go to the first LSM of the order that
# has process attributes (security_getprocattr() with no LSM named).
first=$(echo "$active" | tr ',' '\n' | grep -E '^(carapace|apparmor|selinux|smack)$' | head -n 1)
generic=$(tr -d '\0' </proc/self/attr/current 2>/dev/null)
case "$first" in
carapace)
	own=$(cat /proc/self/attr/carapace/current)
	echo "# attr/current: '$generic'; attr/carapace/current: '$own'"
	[ -n "$own" ] && [ "$generic" = "$own" ]
	ok $? "attr/current is carapace's domain: carapace is the first LSM with process attributes"
	;;
apparmor)
	own=$(cat /proc/self/attr/carapace/current 2>/dev/null)
	echo "# attr/current: '$generic'; attr/carapace/current: '$own'"
	[ "$generic" = unconfined ] && { ! has carapace || [ -n "$own" ]; }
	ok $? "attr/current is AppArmor's label; attr/carapace/current keeps carapace's domain"
	;;
*)
	skip "neither carapace nor AppArmor is the first LSM with process attributes ($first)"
	;;
esac
# Audit records carry the labels of the one LSM that keeps secids:
# AppArmor, SELinux or Smack when one is active (carapace leaves them the
# secids, the subj= of records and the audit rules on labels), carapace
# otherwise. The clone3 refused in cr_denied_t above is the probe.
if has carapace; then
	subj=$(dmesg | grep 'type=1300' | grep ' syscall=435 ' | grep -o ' subj=[^ ]*' | tail -n 1)
	subj=${subj# subj=}
	case ",$active," in
	*,apparmor,*)
		echo "# subj= of the refused clone3: '$subj' (AppArmor's)"
		[ "$subj" = unconfined ]
		ok $? "audit records name AppArmor's label: carapace leaves the secids to it"
		;;
	*,selinux,* | *,smack,*)
		echo "# subj= of the refused clone3: '$subj' (not carapace's)"
		[ -n "$subj" ] && [ "$subj" != cr_denied_t ]
		ok $? "audit records name the other LSM's label: carapace leaves the secids to it"
		;;
	*)
		echo "# subj= of the refused clone3: '$subj'"
		[ "$subj" = cr_denied_t ]
		ok $? "audit records name carapace's domain: no other LSM keeps secids"
		;;
	esac
else
	skip "carapace is not in lsm="
fi
[ "$failed" = 0 ]
