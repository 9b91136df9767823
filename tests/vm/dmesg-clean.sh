#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fails when the kernel log has a warning, oops, BUG or lockdep splat.
pattern='WARNING:|BUG:|Oops|general protection|Call Trace|kernel panic|UBSAN|KASAN|circular locking|RCU stall|rcu_sched|suspicious RCU usage|sleeping function called from invalid context|possible recursive locking'
if dmesg | grep -E "$pattern"; then
	echo "kernel log has a warning, oops or BUG (above)"
	exit 1
fi
echo "kernel log is clean ($(dmesg | wc -l) lines)"
