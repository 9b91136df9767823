#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The table of the zdtm suite (Documentation/criu.rst) from the TAP of its
# boots (the "zdtm-result: TEST DOMAIN RESULT" lines of tests/vm/zdtm.sh):
#
#   zdtm-table.sh [--short] TAP...
#
# prints one row per test of tests/vm/zdtm.list (--short: of its short
# list): its result booted without carapace, in criu_t with Debian's CRIU
# and with the one built with contrib/criu/ (criu-carapace), and in
# criu_denied_t, as an RST table, and fails when a test that passed
# without carapace did not pass in criu_t, the two CRIUs differ, a test
# passed in criu_denied_t, or has no result in one of them ("-").
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mark=.
if [ "${1:-}" = --short ]; then
	mark=short
	shift
fi
[ $# -gt 0 ] || die "usage: zdtm-table.sh [--short] TAP..."
declare -A res=()
for tap in "$@"; do
	[ -f "$tap" ] || die "no $tap"
	while read -r t d r; do
		res[$t,$d]=${r% }
	done < <(sed -e 's/\r$//' -n -e 's/^# zdtm-result: //p' "$tap")
done
mapfile -t TESTS < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$REPO/tests/vm/zdtm.list" |
	awk -v mark="$mark" 'mark == "." || $2 == mark { print $1 }')

rule="==================  ======================  ======================  ======================  ======================"
printf '%s\n%-18s  %-22s  %-22s  %-22s  %s\n%s\n' "$rule" test "no carapace" criu_t \
	"criu_t, criu-carapace" criu_denied_t "$rule"
bad=0
for t in "${TESTS[@]}"; do
	n=${res[$t,none]:--} a=${res[$t,criu_t]:--} p=${res[$t,criu_t:criu-carapace]:--}
	d=${res[$t,criu_denied_t]:--}
	printf '%-18s  %-22s  %-22s  %-22s  %s\n' "$t" "$n" "$a" "$p" "$d"
	if [ "$n" = - ] || [ "$a" = - ] || [ "$p" = - ] || [ "$d" = - ]; then
		log "$t: no result in a run"
		bad=1
	fi
	if [ "$n" = PASS ] && [ "$a" != PASS ]; then
		log "$t passes without carapace but not in criu_t: $a"
		bad=1
	fi
	if [ "$a" != "$p" ]; then
		log "$t: Debian's CRIU ($a) and criu-carapace ($p) differ in criu_t"
		bad=1
	fi
	if [ "$d" = PASS ]; then
		log "$t passes in criu_denied_t"
		bad=1
	fi
done
echo "$rule"
exit $bad
