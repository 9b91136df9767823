#!/bin/sh
set -x
cat /sys/kernel/security/carapace/status
cat /proc/self/attr/current
carapacectl status
carapacectl access cr_allowed_t cr_allowed_t capability2
carapacectl access cr_denied_t cr_denied_t capability2
carapacectl exec --domain cr_denied_t -- /bin/busybox cat /proc/self/attr/current
carapacectl exec --domain cr_allowed_t -- /bin/busybox id
cat /sys/kernel/security/carapace/avc/cache_stats /sys/kernel/security/carapace/avc/hash_stats
dmesg | grep -i -E "carapace|audit" | tail -20
echo garbage > /tmp/bad; carapacectl load --no-verify /tmp/bad; dmesg | tail -3
exit 0
