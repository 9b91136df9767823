#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What the VM shows when it is booted without a terminal.
echo "== LSMs in force: $(cat /sys/kernel/security/lsm)"
echo "== carapace in the kernel log:"
dmesg | grep -i carapace
echo "== carapacectl status:"
carapacectl status
for domain in cr_allowed_t cr_denied_t; do
	echo "== clone3 set_tid by a non-root task holding CAP_CHECKPOINT_RESTORE, in $domain:"
	carapacectl exec --domain $domain -- /tests/bin/checkpoint_restore_test -t clone3_set_tid 2>&1 |
		grep -E "expecting|^(not )?ok"
done
echo "== the denial, explained:"
sleep 1
dmesg | grep "carapace: denied" | carapacectl explain

echo "== CRIU $(criu --version | sed -n 's/^Version: //p') as uid 1000 holding only CAP_CHECKPOINT_RESTORE"
echo "== a counter dumped and restored by CRIU in criu_t:"
/tests/criu.sh cycle enforcing criu_t criu_t allowed | sed 's/^# /   /'
echo "== dumped in criu_t, restored in criu_denied_t, which lacks checkpoint_restore:"
/tests/criu.sh cycle enforcing criu_t criu_denied_t restore-denied | sed 's/^# /   /'
echo "== that denial, explained:"
dmesg | grep "carapace: denied" | grep "scontext=criu_denied_t" | carapacectl explain
grep -q carapace /sys/kernel/security/lsm
