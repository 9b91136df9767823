#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# carapacectl's generated files and JSON output in the VM root, as TAP.
. /tests/tap.sh

echo "TAP version 13"
echo "1..4"
[ -s /usr/share/man/man1/carapacectl.1 ] && [ -s /usr/share/man/man1/carapacectl-status.1 ]
ok $? "the man pages are installed"
grep -q 'complete -F _carapacectl' /usr/share/bash-completion/completions/carapacectl
ok $? "the bash completion is installed"
carapacectl status --json | jq -e '.enforcing == true and .policy_loaded == true and (.seqno | type) == "number"' >/dev/null
ok $? "carapacectl status --json | jq"
carapacectl access cr_allowed_t cr_allowed_t capability2 --json |
	jq -e '.allowed | any(. == "checkpoint_restore")' >/dev/null
ok $? "carapacectl access --json | jq"
[ "$failed" = 0 ]
