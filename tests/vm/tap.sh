# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the test scripts that print their own TAP subtests.

n=0 failed=0

# ok STATUS DESCRIPTION: one TAP result, passed when STATUS is 0.
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# label_is PATH TYPE [--no-dereference]: PATH is labelled TYPE.
label_is() {
	got=$(carapacectl context $3 "$1")
	[ "$got" = "$2" ] || { echo "# $1: '$got', not $2"; return 1; }
}
