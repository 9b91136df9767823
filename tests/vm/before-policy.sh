#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Booted with carapace_policy=none: the state before the first policy load,
# and how labels written then are mapped by the policies loaded later.
. /tests/tap.sh

echo "TAP version 13"
echo "1..3"

grep -q "^policy: none" /sys/kernel/security/carapace/status &&
	[ "$(cat /proc/self/attr/current)" = kernel ] &&
	CARAPACE_EXPECT=allowed /tests/bin/checkpoint_restore_test -t clone3_set_tid >/dev/null 2>&1
ok $? "no policy: status says so, tasks are kernel, everything is allowed"

# Any name can be written before a policy says which exist; it reads back
# as written.
mkdir -p /tmp/early && echo x >/tmp/early/named && echo y >/tmp/early/plain &&
	carapacectl label /tmp/early/named hook_data_t && label_is /tmp/early/named hook_data_t
ok $? "no policy: a label is stored as written"

# The default policy lacks hook_data_t: unlabeled until a policy has it.
carapacectl load /etc/carapace/policy.bin && label_is /tmp/early/named unlabeled_t &&
	label_is /tmp/early/plain tmpfs_t &&
	carapacectl load /etc/carapace/hooks.bin && label_is /tmp/early/named hook_data_t &&
	carapacectl load /etc/carapace/policy.bin && label_is /tmp/early/named unlabeled_t
ok $? "labels written before the first load are mapped by each policy loaded"

[ "$failed" = 0 ]
