#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Our kselftests as `make -C tools/testing/selftests TARGETS=carapace
# install` installed them, run by the kernel's run_kselftest.sh. In the
# VM init's unconfined domain (kernel_t), which has every capability, both
# tests expect success. The runner writes the tests' output to
# /dev/stdout, which devtmpfs alone does not provide (udev does): without
# the link it would fill a file of that name.
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/stderr ] || ln -s /proc/self/fd/2 /dev/stderr
CARAPACE_EXPECT=allowed exec /tests/kselftest-framework/run_kselftest.sh "$@"
