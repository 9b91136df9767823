#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the checkpoint/restore kselftest in a domain and enforcement mode:
#   checkpoint-restore.sh DOMAIN enforcing|permissive [kselftest args]
set -e
domain=$1 mode=$2
shift 2
case "$mode" in
enforcing) carapacectl enforce ;;
permissive) carapacectl permissive ;;
esac
rc=0
carapacectl exec --domain "$domain" -- /tests/bin/checkpoint_restore_test "$@" || rc=$?
carapacectl enforce
exit $rc
