#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Style checks: rustfmt for the host crates and the kernel crate, and the
# kernel's checkpatch.pl for the C files (needs the unpacked kernel tree).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

status=0
(cd "$REPO" && cargo fmt --all --check) || status=1
rustfmt --check --edition 2021 "$REPO/src/lsm/carapace.rs" || status=1
for f in "$REPO"/tests/kselftest/*.c "$REPO"/tests/vm/*.c "$REPO"/tests/bench/*.c \
	"$REPO"/src/lsm/framework/*.[ch]; do
	# checkpatch exits non-zero on a finding: read its output, not its
	# status (with pipefail, a pipe through grep would hide the finding).
	found=$(perl "$KSRC/scripts/checkpatch.pl" --no-tree --quiet --terse -f "$f" |
		grep -v '^total: 0 errors, 0 warnings' || true)
	if [ -n "$found" ]; then
		echo "$found"
		status=1
	fi
done
exit $status
