#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the checkpoint/restore kselftest in a domain and enforcement mode:
#   checkpoint-restore.sh DOMAIN enforcing|permissive|current [kselftest args]
# The enforcement mode in force before is restored afterwards.
set -e
domain=$1 mode=$2
shift 2
before=$(cat /sys/kernel/security/carapace/enforce)
case "$mode" in
enforcing) carapacectl enforce ;;
permissive) carapacectl permissive ;;
esac
rc=0
carapacectl exec --domain "$domain" -- /tests/bin/checkpoint_restore_test "$@" || rc=$?
if [ "$mode" != current ]; then
	echo "$before" >/sys/kernel/security/carapace/enforce
fi
exit $rc
