#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The AVC statistics (one row per possible CPU, as SELinux's) count the
# lookups made on each online CPU in that CPU's row, and add up:
# lookups = hits + misses.
STATS=/sys/kernel/security/carapace/avc/cache_stats

# lookups hits misses of CPU $1's row (allocations reclaims frees follow)
read_stats() {
	# shellcheck disable=SC2046 # word splitting is the point
	set -- $(sed -n "$(($1 + 2))p" $STATS)
	lookups=$1 hits=$2 misses=$3
	[ -n "$lookups" ] || { echo "no counters in $STATS"; exit 1; }
	[ "$lookups" = $((hits + misses)) ] ||
		{ echo "lookups $lookups != hits $hits + misses $misses"; exit 1; }
}

cat $STATS
cpus=$(nproc)
[ "$cpus" -ge 2 ] || echo "# only $cpus CPU online"
cpu=0
while [ $cpu -lt "$cpus" ]; do
	read_stats $cpu
	before=$lookups
	# shellcheck disable=SC2016 # expanded by the inner shell
	taskset -c $cpu sh -c 'i=0; while [ $i -lt 50 ]; do cat /proc/self/attr/current >/dev/null; i=$((i + 1)); done' ||
		{ echo "taskset -c $cpu failed"; exit 1; }
	read_stats $cpu
	echo "CPU $cpu: lookups $before -> $lookups (hits $hits, misses $misses)"
	# 50 execs and opens, each several lookups.
	[ "$lookups" -ge $((before + 100)) ] || { echo "CPU $cpu's lookups were not counted"; exit 1; }
	cpu=$((cpu + 1))
done
