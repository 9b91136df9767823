#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Carapace's records as the audit tools see them, as TAP: Debian's auditd
# runs, a syscall rule audits clone3, a clone3 set_tid denied in
# cr_denied_t yields an AVC record that `ausearch -m AVC -i` lists with
# its fields, in one event with the SYSCALL record of the denied call
# (the same serial), and `carapacectl explain --rules` turns ausearch's
# output into the rule that would allow it, noting the neverallow of the
# policy sources it would break.

. /tests/tap.sh

echo "TAP version 13"
echo "1..9"

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
[ "$failed" = 0 ]
