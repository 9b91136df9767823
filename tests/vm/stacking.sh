#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Carapace next to the other LSMs of the lsm= list, as TAP: every LSM the
# command line names is active (in /sys/kernel/security/lsm, in that
# order), and carapace, when named, enforces its policy among them (a
# denial in cr_denied_t, an allowed call in cr_allowed_t).
. /tests/tap.sh

lsms=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^lsm=//p')
active=$(cat /sys/kernel/security/lsm)
echo "TAP version 13"
echo "1..3"
echo "# lsm=$lsms; active: $active"

# The active list keeps the lsm= order (capability, always first, aside).
want=$(echo "$lsms" | tr ',' '\n' | grep -v '^capability$' | paste -sd, -)
got=$(echo "$active" | tr ',' '\n' | grep -v '^capability$' | paste -sd, -)
[ -n "$want" ] && [ "$want" = "$got" ]
ok $? "every LSM of lsm= is active, in its order"

case ",$lsms," in
*,carapace,*)
	carapacectl status --check >/dev/null
	ok $? "carapace enforces a loaded policy"
	CARAPACE_EXPECT=denied carapacectl exec --domain cr_denied_t -- \
		/tests/bin/checkpoint_restore_test -t clone3_set_tid >/tmp/st1.log 2>&1 &&
		CARAPACE_EXPECT=allowed carapacectl exec --domain cr_allowed_t -- \
			/tests/bin/checkpoint_restore_test -t clone3_set_tid >/tmp/st2.log 2>&1
	rc=$?
	[ $rc = 0 ] || cat /tmp/st1.log /tmp/st2.log | sed 's/^/# /'
	ok $rc "clone3 set_tid: refused in cr_denied_t, allowed in cr_allowed_t"
	;;
*)
	echo "ok 2 # SKIP carapace is not in lsm="
	echo "ok 3 # SKIP carapace is not in lsm="
	;;
esac
[ "$failed" = 0 ]
