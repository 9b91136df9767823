#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What the VM shows when it is booted without a terminal.
echo "== LSMs in force: $(cat /sys/kernel/security/lsm)"
echo "== carapace in the kernel log:"
dmesg | grep -i carapace
ls /sys/kernel/security/carapace 2>/dev/null && cat /sys/kernel/security/carapace/status
grep -q carapace /sys/kernel/security/lsm
