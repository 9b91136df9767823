#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Policy management under carapace, as TAP: reload flips a decision at
# once, a malformed policy is rejected and the one in force stays, only an
# administrator domain may load policy or change enforcement, and exec
# transitions follow file labels.

POLICY=/etc/carapace/policy.bin
SWAPPED=/etc/carapace/swapped.bin
CR_TEST=/tests/bin/checkpoint_restore_test
. /tests/tap.sh

seqno() { sed -n 's/^seqno: //p' /sys/kernel/security/carapace/status; }

# Runs the clone3 set_tid check in DOMAIN expecting RESULT.
set_tid_in() {
	CARAPACE_EXPECT=$2 carapacectl exec --domain "$1" -- $CR_TEST -t clone3_set_tid >/tmp/cr.log 2>&1
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' /tmp/cr.log
	return $rc
}

echo "TAP version 13"
echo "1..10"

carapacectl load $POLICY
carapacectl access cr_allowed_t cr_allowed_t capability2 --perm checkpoint_restore >/dev/null
ok $? "access: cr_allowed_t has capability2 checkpoint_restore"
carapacectl access cr_denied_t cr_denied_t capability2 --perm checkpoint_restore >/dev/null
[ $? = 3 ]
ok $? "access: cr_denied_t lacks capability2 checkpoint_restore"

# Prime the cache with a denial, then reload a policy that grants it.
set_tid_in cr_denied_t denied &&
	carapacectl load $SWAPPED && set_tid_in cr_denied_t allowed &&
	set_tid_in cr_allowed_t denied &&
	carapacectl load $POLICY && set_tid_in cr_denied_t denied
ok $? "reload flips the decision at once, both ways"

before=$(seqno)
head -c 1000 $POLICY >/tmp/truncated.bin
carapacectl load --no-verify /tmp/truncated.bin 2>/dev/null
rc=$?
dmesg | tail -n 5 | grep -q "carapace: policy rejected, the policy in force stays: " &&
	[ $rc != 0 ] && [ "$(seqno)" = "$before" ] && set_tid_in cr_denied_t denied
ok $? "a truncated policy is rejected with a log line; the old one enforces"

cp $POLICY /tmp/corrupt.bin
printf '\377\377\377\377' | dd of=/tmp/corrupt.bin bs=1 seek=200 conv=notrunc 2>/dev/null
carapacectl load --no-verify /tmp/corrupt.bin 2>/dev/null
[ $? != 0 ] && [ "$(seqno)" = "$before" ]
ok $? "a corrupted policy is rejected; the old one stays"

# The tool itself runs in cr_denied_t: label a copy as its entrypoint.
mkdir -p /tmp/cr && cp /bin/carapacectl /tmp/cr/carapacectl &&
	carapacectl label /tmp/cr/carapacectl cr_denied_exec_t
carapacectl exec --domain cr_denied_t -- /tmp/cr/carapacectl load $POLICY 2>/tmp/err1
rc1=$?
carapacectl exec --domain cr_denied_t -- /tmp/cr/carapacectl permissive 2>/tmp/err2
rc2=$?
sed 's/^/# /' /tmp/err1 /tmp/err2
[ $rc1 = 1 ] && [ $rc2 = 1 ] && grep -q "not permitted" /tmp/err1 &&
	[ "$(seqno)" = "$before" ] &&
	[ "$(cat /sys/kernel/security/carapace/enforce)" = 1 ] &&
	dmesg | grep -q "carapace: denied { mac_admin } for .* scontext=cr_denied_t tcontext=cr_denied_t tclass=capability2"
ok $? "a domain without security permissions cannot load policy or setenforce"

# cr-user: uid 1000 holding only CAP_CHECKPOINT_RESTORE (busybox's
# setpriv cannot change the uid, and its failure would pass this test).
user=$(cr-user 1000 id -u)
cr-user 1000 sh -c "cat $POLICY > /sys/kernel/security/carapace/policy" 2>/tmp/err3
rc1=$?
cr-user 1000 sh -c "echo 0 > /sys/kernel/security/carapace/enforce" 2>/tmp/err4
rc2=$?
echo "# as uid ${user:-?}:"
sed 's/^/# /' /tmp/err3 /tmp/err4
[ "$user" = 1000 ] && [ $rc1 != 0 ] && [ $rc2 != 0 ] &&
	grep -q "denied" /tmp/err3 && grep -q "denied" /tmp/err4 &&
	[ "$(cat /sys/kernel/security/carapace/enforce)" = 1 ]
ok $? "an unprivileged user cannot load policy or setenforce"

mkdir -p /tmp/cr && cp /bin/busybox /tmp/cr/busybox &&
	carapacectl label /tmp/cr/busybox cr_allowed_exec_t &&
	[ "$(/tmp/cr/busybox cat /proc/self/attr/current)" = cr_allowed_t ] &&
	[ "$(cat /proc/self/attr/current)" = kernel_t ]
ok $? "executing a file labelled cr_allowed_exec_t enters cr_allowed_t"

[ -z "$(cat /proc/self/attr/exec)" ] &&
	[ "$(sh -c 'echo cr_allowed_t >/proc/self/attr/exec; read -r x </proc/self/attr/exec; echo $x')" = cr_allowed_t ] &&
	! sh -c 'echo no_such_t >/proc/self/attr/exec' 2>/dev/null
ok $? "/proc/self/attr/exec: empty by default, reads back a set domain, refuses unknown ones"

# The cache size: 0 turns the cache off and decisions stay the same.
threshold=/sys/kernel/security/carapace/avc/cache_threshold
entries() { sed -n 's/^entries: //p' /sys/kernel/security/carapace/avc/hash_stats; }
full=$(cat $threshold)
echo 0 >$threshold && [ "$(cat $threshold)" = 0 ] &&
	set_tid_in cr_denied_t denied && set_tid_in cr_allowed_t allowed && [ "$(entries)" = 0 ] &&
	echo 1000000 >$threshold && [ "$(cat $threshold)" = "$full" ] &&
	set_tid_in cr_allowed_t allowed && [ "$(entries)" -gt 0 ] &&
	! carapacectl exec --domain cr_denied_t -- sh -c "echo 0 >$threshold" 2>/dev/null &&
	[ "$(cat $threshold)" = "$full" ]
ok $? "avc/cache_threshold: an administrator resizes or turns off the cache; others cannot"

[ $failed = 0 ]
