#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's own clone3_cap_checkpoint_restore selftest, unmodified,
# in a carapace domain:
#   kselftest-in-domain.sh cr_allowed_t          must pass
#   kselftest-in-domain.sh cr_denied_t LINE      must fail, at the check on
#                                                source line LINE (clone3
#                                                set_tid holding only
#                                                CAP_CHECKPOINT_RESTORE)
TEST=/tests/kselftests/clone3/clone3_cap_checkpoint_restore
domain=$1 line=$2
carapacectl exec --domain "$domain" -- $TEST >/tmp/kst.log 2>&1
rc=$?
cat /tmp/kst.log
if [ -z "$line" ]; then
	exit $rc
fi
if [ $rc != 0 ] && grep -q "clone3_cap_checkpoint_restore.c:$line:" /tmp/kst.log; then
	echo "failed as expected, at clone3_cap_checkpoint_restore.c:$line, in $domain"
	exit 0
fi
echo "expected a failure at clone3_cap_checkpoint_restore.c:$line (status $rc)"
exit 1
