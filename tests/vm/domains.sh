# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the suites that run commands in confined domains and look
# for carapace's audit records: mark, new_log, audited, run_in, denied.

# Kernel log lines since the last mark.
mark() { MARK=$(dmesg | wc -l); }
new_log() { dmesg | tail -n +$((MARK + 1)); }

# audited PERMS SCONTEXT TCONTEXT CLASS: a denial was audited since mark.
# Records reach the log through the kernel's audit thread, a little after
# the call that made them: wait up to 2 s.
audited() {
	tries=20
	while [ $tries -gt 0 ]; do
		new_log | grep -q "carapace: denied { $1 } for .* scontext=$2 tcontext=$3 tclass=$4 permissive=0" && return 0
		usleep 100000
		tries=$((tries - 1))
	done
	echo "# no record: denied { $1 } ... scontext=$2 tcontext=$3 tclass=$4; new log:"
	new_log | grep carapace | sed 's/^/#   /'
	return 1
}

# run_in DOMAIN CMD...: run CMD in DOMAIN; its output is commented and
# kept in OUT.
# The output goes through a pipe, which every domain may write.
run_in() {
	d=$1
	shift
	OUT=$(carapacectl exec --domain "$d" -- "$@" 2>&1)
	rc=$?
	[ -z "$OUT" ] || echo "$OUT" | sed 's/^/# /'
	return $rc
}

# denied DOMAIN PERMS TCONTEXT CLASS CMD...: CMD fails in DOMAIN and the
# denial is audited.
denied() {
	d=$1 perms=$2 tcon=$3 class=$4
	shift 4
	mark
	if run_in "$d" "$@"; then
		echo "# $* succeeded in $d"
		return 1
	fi
	audited "$perms" "$d" "$tcon" "$class"
}
