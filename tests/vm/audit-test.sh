#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Carapace's records as the audit tools see them, as TAP: Debian's auditd
# runs, a syscall rule audits clone3, a clone3 set_tid denied in
# cr_denied_t yields an AVC record that `ausearch -m AVC -i` lists with
# its fields, in one event with the SYSCALL record of the denied call
# (the same serial), and `carapacectl explain --rules` turns ausearch's
# output into the rule that would allow it, noting the neverallow of the
# policy sources it would break. Then audit rules on carapace types:
# `-F subj_type=` selects the system calls of one domain, `-F obj_type=`
# the files of one type, a rule naming a type the policy lacks (or a
# user, role or level, which carapace labels do not have) is refused, and
# a rule whose type a reload drops stays but stops matching, until a
# policy has the type again.

. /tests/tap.sh

echo "TAP version 13"
echo "1..17"

auditd
i=0
until auditctl -s 2>/dev/null | grep -q '^pid [1-9]'; do
	i=$((i + 1))
	[ $i -gt 100 ] && break
	sleep 0.1
done
auditctl -s | sed 's/^/# /'
auditctl -s | grep -q '^pid [1-9]' && auditctl -s | grep -q '^enabled 1'
ok $? "auditd runs and receives the kernel's records"

auditctl -a always,exit -F arch=b64 -S clone3 -k carapace_test >/dev/null &&
	auditctl -l | grep -q 'clone3'
ok $? "auditctl -a always,exit -S clone3"

# Processes forked from here on have an audit context (auditing is on).
# The kernel's own selftest (our kselftest looks for the record in the
# kernel log, where it no longer goes): its clone3 set_tid step fails.
/tests/kselftest-in-domain.sh cr_denied_t 175 >/tmp/cr.log 2>&1
rc=$?
sed 's/^/# /' /tmp/cr.log
ok $rc "clone3 set_tid is refused in cr_denied_t"

ausearch -m AVC -i >/tmp/avc.txt 2>&1
sed 's/^/# /' /tmp/avc.txt
grep 'type=AVC' /tmp/avc.txt | grep 'carapace: denied { checkpoint_restore }' |
	grep 'capability=checkpoint_restore' | grep 'scontext=cr_denied_t' | grep 'tcontext=cr_denied_t' |
	grep 'tclass=capability2' | grep -q 'permissive=0'
ok $? "ausearch -m AVC -i lists the denial with its fields"

# The event of the AVC record (between ---- lines) has the SYSCALL record
# of the clone3 call, failed, under the rule's key.
awk '/^----/ { if (ev ~ /carapace: denied/) print ev; ev = ""; next } { ev = ev $0 "\n" }
     END { if (ev ~ /carapace: denied/) print ev }' /tmp/avc.txt >/tmp/event.txt
grep 'type=SYSCALL' /tmp/event.txt | grep -E 'syscall=(clone3|435) ' | grep 'success=no' |
	grep -q 'key=carapace_test'
ok $? "the AVC record is in the event of the denied clone3's SYSCALL record"

ausearch -m AVC --raw >/tmp/avc.raw 2>&1
serial=$(sed -n 's/^type=AVC msg=audit([0-9.]*:\([0-9]*\)): carapace: denied.*/\1/p' /tmp/avc.raw | tail -n 1)
ausearch -a "$serial" --raw 2>/dev/null | grep '^type=SYSCALL' | grep -q ':'"$serial"'): arch=c000003e syscall=435 '
ok $? "AVC and SYSCALL records share the serial ($serial)"

if carapacectl explain --rules --policy-source /nonexistent </tmp/avc.raw >/dev/null 2>&1; then
	rc=1
else
	rc=0
fi
ok $rc "explain fails on policy sources that do not exist"

# The sources of the default policy are in /etc/carapace/src: the rule
# that would allow the denial breaks one of its neverallows.
carapacectl explain --rules </tmp/avc.raw >/tmp/rules.txt 2>/tmp/rules.err
cat /tmp/rules.txt /tmp/rules.err | sed 's/^/# /'
grep -qx 'allow cr_denied_t self:capability2 { checkpoint_restore };' /tmp/rules.txt
ok $? "ausearch -m AVC --raw | carapacectl explain --rules prints the allowing rule"
grep -q '^# breaks neverallow at /etc/carapace/src/checkpoint.cpol:[0-9]*: neverallow cr_denied_t self' /tmp/rules.txt
ok $? "explain names the neverallow the rule would break, file and line"

auditctl -D >/dev/null

# events KEY: the number of SYSCALL records under KEY in the log, but
# auditctl's own (the CONFIG_CHANGE event of adding the rule has the key).
events() {
	ausearch -k "$1" --raw 2>/dev/null | grep '^type=SYSCALL' | grep -vc 'comm="auditctl"'
}

# wait_events KEY N: waits (up to 10 s) until the log has N records
# under KEY. A record that should not be there is looked for only after
# one that comes later in the kernel's order is in the log.
wait_events() {
	i=0
	while [ "$(events "$1")" -lt "$2" ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	[ "$(events "$1")" -ge "$2" ]
}

# A domain's clone3 calls, and not another's.
echo "# auditctl -a always,exit -F arch=b64 -S clone3 -F subj_type=cr_allowed_t -k cr_subj"
auditctl -a always,exit -F arch=b64 -S clone3 -F subj_type=cr_allowed_t -k cr_subj 2>&1 |
	sed 's/^/# /'
/tests/kselftest-in-domain.sh cr_denied_t 175 >/dev/null 2>&1
/tests/kselftest-in-domain.sh cr_allowed_t >/dev/null 2>&1
wait_events cr_subj 1
ausearch -k cr_subj --raw 2>/dev/null | grep '^type=SYSCALL' | grep -v 'comm="auditctl"' >/tmp/subj.txt
echo "# ausearch -k cr_subj --raw | grep ^type=SYSCALL"
sed 's/^/# /' /tmp/subj.txt
[ -s /tmp/subj.txt ] && ! grep -qv ' subj=cr_allowed_t ' /tmp/subj.txt &&
	grep -q 'syscall=435 ' /tmp/subj.txt
ok $? "auditctl -F subj_type=cr_allowed_t records clone3 in cr_allowed_t, not in cr_denied_t"

# The test shell started before the first policy load: its records name
# its domain (the kernel's) too, and a rule on that domain selects it.
self=$(cat /proc/self/attr/carapace/current)
echo "# auditctl -a always,exit -F arch=b64 -S getppid -F subj_type=$self -k cr_self"
auditctl -a always,exit -F arch=b64 -S getppid -F subj_type="$self" -k cr_self
# ash asks getppid() for $PPID as it starts.
carapacectl exec --domain cr_allowed_t -- busybox sh -c true
busybox sh -c true
wait_events cr_self 1
ausearch -k cr_self --raw 2>/dev/null | grep '^type=SYSCALL' | grep -v 'comm="auditctl"' >/tmp/self.txt
sed 's/^/# /' /tmp/self.txt
[ -n "$self" ] && [ -s /tmp/self.txt ] && ! grep -qv " subj=$self " /tmp/self.txt
ok $? "a task labelled before the policy names its domain ($self) in its records; -F subj_type selects it"

# A file of one type, and not one of another.
touch /tmp/audit-image /tmp/audit-plain
carapacectl label /tmp/audit-image criu_image_t
echo "# auditctl -a always,exit -F arch=b64 -S openat -F obj_type=criu_image_t -k cr_obj"
auditctl -a always,exit -F arch=b64 -S openat -F obj_type=criu_image_t -k cr_obj 2>&1 |
	sed 's/^/# /'
cat /tmp/audit-plain /tmp/audit-image
wait_events cr_obj 1
ausearch -k cr_obj -i 2>/dev/null >/tmp/obj.txt
echo "# ausearch -k cr_obj -i"
sed 's/^/# /' /tmp/obj.txt
grep '^type=PATH' /tmp/obj.txt | grep 'name=/tmp/audit-image ' | grep -q 'obj=criu_image_t' &&
	! grep -q 'name=/tmp/audit-plain ' /tmp/obj.txt
ok $? "auditctl -F obj_type=criu_image_t records the open of a criu_image_t file, not of another"

echo "# auditctl -a always,exit -F arch=b64 -S openat -F obj_type=no_such_t -k cr_none"
auditctl -a always,exit -F arch=b64 -S openat -F obj_type=no_such_t -k cr_none >/tmp/none.txt 2>&1
rc=$?
sed 's/^/# /' /tmp/none.txt
dmesg | grep 'audit rule refused' | tail -n 1 | sed 's/^/# /'
[ $rc != 0 ] && grep -q 'No such file or directory' /tmp/none.txt &&
	! auditctl -l | grep -q no_such_t
ok $? "auditctl refuses a rule naming a type the policy does not have (ENOENT)"

refused=0
for field in subj_user=root subj_role=r obj_user=root obj_role=r subj_sen=s0 obj_lev_low=s0; do
	if auditctl -a always,exit -F arch=b64 -S openat -F "$field" >/tmp/f.txt 2>&1 ||
		! grep -q 'Operation not supported' /tmp/f.txt; then
		echo "# -F $field: $(cat /tmp/f.txt)"
		refused=1
	fi
done
auditctl -l | sed 's/^/# /'
ok $refused "auditctl refuses rules on users, roles and levels, which carapace labels do not have (EOPNOTSUPP)"

# A rule on a type of the hook tests' policy, dropped by reloading the
# default; a rule on a type both have marks where the log has got to.
auditctl -D >/dev/null
carapacectl load /etc/carapace/hooks.bin
touch /tmp/audit-gone
carapacectl label /tmp/audit-gone hook_public_t
echo "# auditctl -a always,exit -F arch=b64 -S openat -F obj_type=hook_public_t -k cr_gone"
auditctl -a always,exit -F arch=b64 -S openat -F obj_type=hook_public_t -k cr_gone &&
	auditctl -a always,exit -F arch=b64 -S openat -F obj_type=criu_image_t -k cr_mark
cat /tmp/audit-gone /tmp/audit-image
wait_events cr_mark 1 && wait_events cr_gone 1
before=$(events cr_gone)
carapacectl load /etc/carapace/policy.bin
cat /tmp/audit-gone /tmp/audit-image
wait_events cr_mark 2
after=$(events cr_gone)
echo "# cr_gone records: $before before the reload, $after after; rules:"
auditctl -l | sed 's/^/# /'
dmesg | grep "audit rule for LSM 'hook_public_t' is invalid" | tail -n 1 | sed 's/^/# /'
[ "$before" = 1 ] && [ "$after" = 1 ] && auditctl -l | grep -q 'obj_type=hook_public_t'
ok $? "after a reload that drops hook_public_t, its rule stays but no longer matches"

# SELinux's behaviour too: the rule comes back with the type.
carapacectl load /etc/carapace/hooks.bin
carapacectl label /tmp/audit-gone hook_public_t
cat /tmp/audit-gone /tmp/audit-image
wait_events cr_mark 3
again=$(events cr_gone)
echo "# cr_gone records once hook_public_t is back: $again"
[ "$again" = 2 ]
ok $? "a policy that has the type again makes the rule match again"

# A rule the policy in force leaves inert can still be deleted.
carapacectl load /etc/carapace/policy.bin
auditctl -d always,exit -F arch=b64 -S openat -F obj_type=hook_public_t -k cr_gone >/tmp/del.txt 2>&1
rc=$?
sed 's/^/# /' /tmp/del.txt
auditctl -l | sed 's/^/# /'
[ $rc = 0 ] && ! auditctl -l | grep -q hook_public_t
ok $? "auditctl -d deletes a rule whose type the policy in force dropped"
auditctl -D >/dev/null
[ "$failed" = 0 ]
