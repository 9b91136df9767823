#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run one suite of the carapace VM tests as TAP, in the manner of
# run_kselftest.sh: each test program is one TAP test whose own output is
# indented as a subtest. Exit status: 0 when every test passed.

suite=$1
list=/tests/suites/$suite
[ -f "$list" ] || { echo "Bail out! no suite $suite"; exit 2; }

total=$(grep -c -v -e '^#' -e '^$' "$list")
echo "TAP version 13"
echo "1..$total"
n=0 failed=0
while read -r name cmd; do
	case "$name" in '#'*|'') continue ;; esac
	n=$((n + 1))
	echo "# selftests: carapace: $name"
	# busybox sh has no PIPESTATUS: the status goes through a file.
	{ (cd /tmp && eval "$cmd") 2>&1; echo $? >/tmp/.rc; } | sed 's/^/# /'
	if [ "$(cat /tmp/.rc 2>/dev/null)" = 0 ]; then
		echo "ok $n selftests: carapace: $name"
	else
		echo "not ok $n selftests: carapace: $name # exit=$(cat /tmp/.rc 2>/dev/null)"
		failed=$((failed + 1))
	fi
	rm -f /tmp/.rc
done <"$list"
[ "$failed" = 0 ]
