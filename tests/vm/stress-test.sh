#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The stress suite's tests, as TAP:
#
#   stress-test.sh storm [LOADS]     reload storm (tests/vm/stress.c)
#   stress-test.sh concurrent [N]    two writers loading at once
#   stress-test.sh hostile           every malformed policy of the corpus
#                                    refused, with an errno and a log line,
#                                    the policy in force staying
#   stress-test.sh securityfs        writes to every securityfs file
#                                    refused without CAP_MAC_ADMIN or the
#                                    `security` permission
#   stress-test.sh big               200,000-type policies loaded in turn
#                                    (the SID table stays bounded)

POLICY=/etc/carapace/policy.bin
SWAPPED=/etc/carapace/swapped.bin
STRESS=/tests/bin/stress
FS=/sys/kernel/security/carapace
. /tests/tap.sh

seqno() { sed -n 's/^seqno: //p' $FS/status; }
# The kernel logged a rejection just now (the last lines of its log).
just_rejected() { dmesg | tail -n 5 | grep -q "carapace: policy rejected"; }

# The policy in force is POLICY: cr_allowed_t has checkpoint_restore and
# cr_denied_t has not.
policy_a_in_force() {
	carapacectl access cr_allowed_t cr_allowed_t capability2 --perm checkpoint_restore >/dev/null &&
		{ carapacectl access cr_denied_t cr_denied_t capability2 --perm checkpoint_restore \
			>/dev/null 2>&1
		  [ $? = 3 ]; }
}

echo "TAP version 13"
carapacectl load $POLICY || { echo "Bail out! cannot load $POLICY"; exit 1; }
echo 1 >$FS/enforce

case "$1" in
storm)
	echo "1..3"
	$STRESS storm "${2:-1000}" $POLICY $SWAPPED
	exit $?
	;;
concurrent)
	echo "1..4"
	$STRESS concurrent "${2:-100}" $POLICY $SWAPPED
	rc=$?
	n=3	# the three subtests above
	carapacectl load $POLICY && policy_a_in_force
	ok $? "after the concurrent loads a load still works and decides as the policy says"
	[ $rc = 0 ] && [ $failed = 0 ]
	;;
hostile)
	echo "1..3"
	# The 64 MiB + 1 byte file: a valid header, then zeros.
	{ head -c 128 $POLICY; head -c $((64 * 1024 * 1024 + 1 - 128)) /dev/zero; } >/tmp/huge.bin
	cp /tmp/huge.bin /tests/hostile/size-64MiB-plus-1
	rm -f /tmp/huge.bin
	total=0 refused=0 logged=0 kept=0
	before=$(seqno)
	for f in /tests/hostile/*; do
		total=$((total + 1))
		if out=$($STRESS load "$f"); then
			echo "# $(basename "$f"): LOADED"
			carapacectl load $POLICY
		else
			refused=$((refused + 1))
		fi
		case "$out" in *"refused: E"*) ;; *) echo "# $(basename "$f"): $out" ;; esac
		if just_rejected; then
			logged=$((logged + 1))
		else
			echo "# $(basename "$f"): no kernel log line ($out)"
		fi
		if [ "$(seqno)" = "$before" ] && policy_a_in_force; then
			kept=$((kept + 1))
		else
			echo "# $(basename "$f"): the policy in force changed"
			carapacectl load $POLICY
			before=$(seqno)
		fi
	done
	rm -f /tests/hostile/size-64MiB-plus-1
	echo "# hostile: $total policies, $refused refused, $logged logged, $kept left the policy in force"
	[ $refused = $total ]
	ok $? "hostile: all $total malformed policies refused with an errno"
	[ $logged = $total ]
	ok $? "hostile: each refusal has a kernel log line"
	[ $kept = $total ]
	ok $? "hostile: after each one the previous policy is still in force"
	[ $failed = 0 ]
	;;
securityfs)
	echo "1..3"
	# The tool runs in cr_denied_t (no `security` permission at all) from
	# a copy labelled as that domain's entrypoint.
	# The policy it sends is a copy it may read.
	mkdir -p /tmp/sfs && cp $STRESS /tmp/sfs/stress && cp $POLICY /tmp/sfs/policy.bin &&
		carapacectl label /tmp/sfs/stress cr_denied_exec_t &&
		carapacectl label /tmp/sfs/policy.bin cr_denied_exec_t
	enforce=$(cat $FS/enforce) threshold=$(cat $FS/avc/cache_threshold) s0=$(seqno)
	files=$(cd $FS && find . -type f | sed 's|^\./||' | sort)
	# What each file is sent: what it holds already, so that a write
	# wrongly accepted changes nothing; the check is the errno.
	value() {
		case "$1" in
		policy) echo @/tmp/sfs/policy.bin ;;
		enforce) echo "$enforce" ;;
		avc/cache_threshold) echo "$threshold" ;;
		access) echo "cr_allowed_t cr_allowed_t capability2" ;;
		*) echo 1 ;;
		esac
	}
	# Refused by a permission check (EPERM, EACCES), or, for a read-only
	# file, refused whoever writes (EINVAL).
	refused() {
		case "$2" in
		*"refused: EPERM"* | *"refused: EACCES"*) return 0 ;;
		*"refused: EINVAL"*) [ ! -w "$FS/$1" ] || [ "$(stat -c %a "$FS/$1")" = 444 ] ;;
		*) return 1 ;;
		esac
	}
	bad=0 count=0
	for f in $files; do
		count=$((count + 1))
		out=$(carapacectl exec --domain cr_denied_t -- /tmp/sfs/stress put "$f" "$(value "$f")")
		echo "# cr_denied_t: $out"
		refused "$f" "$out" || bad=$((bad + 1))
	done
	[ $bad = 0 ] && [ $count -ge 7 ]
	ok $? "securityfs: a domain without the security permission may write none of the $count files"
	bad=0
	for f in $files; do
		out=$($STRESS put --drop-mac-admin "$f" "$(value "$f")")
		echo "# without CAP_MAC_ADMIN: $out"
		# A query of access is a transaction, not a change: as in SELinux
		# it needs the compute_av permission, not CAP_MAC_ADMIN.
		if [ "$f" = access ]; then
			case "$out" in *accepted) ;; *) bad=$((bad + 1)) ;; esac
		else
			refused "$f" "$out" || bad=$((bad + 1))
		fi
	done
	[ $bad = 0 ]
	ok $? "securityfs: without CAP_MAC_ADMIN every write that changes state is refused"
	[ "$(cat $FS/enforce)" = "$enforce" ] && [ "$(cat $FS/avc/cache_threshold)" = "$threshold" ] &&
		[ "$(seqno)" = "$s0" ] && policy_a_in_force
	ok $? "securityfs: enforcement, cache size and policy unchanged"
	[ $failed = 0 ]
	;;
big)
	echo "1..2"
	s0=$(seqno)
	for p in /etc/carapace/big-a.bin /etc/carapace/big-b.bin $POLICY \
		/etc/carapace/big-a.bin /etc/carapace/big-b.bin /etc/carapace/big-a.bin $POLICY; do
		$STRESS load $p | sed 's/^/# /' || break
	done
	[ "$(seqno)" = $((s0 + 7)) ]
	ok $? "200,000-type policies with disjoint names load in turn (seqno $s0 -> $(seqno))"
	dmesg | grep "reclaimed .* type names" | sed 's/^/# /'
	policy_a_in_force && dmesg | grep -q "reclaimed .* type names"
	ok $? "unused names are reclaimed and the policy in force decides as it says"
	[ $failed = 0 ]
	;;
*)
	echo "Bail out! unknown test $1"
	exit 2
	;;
esac
