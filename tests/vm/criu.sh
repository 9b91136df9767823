#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# CRIU under carapace, run as uid 1000 holding only CAP_CHECKPOINT_RESTORE
# (tests/vm/cr-user.c), with the default policy's CRIU module
# (policy/default/criu.cpol). One case per run:
#
#   criu.sh check
#	`criu check --unprivileged` passes in criu_t.
#   criu.sh cycle enforcing|permissive DUMPER RESTORER EXPECT
#	A counter (tests/vm/cr-counter.c, mapping a memfd and a deleted file)
#	started in domain DUMPER is dumped by CRIU in DUMPER and restored by
#	CRIU in RESTORER. EXPECT allowed: it comes back with its PID, in
#	CRIU's domain, and goes on counting. dump-denied: the dump fails at
#	a map_files link; restore-denied: the restore fails with EPERM in
#	CRIU's log. Either way the kernel logs the checkpoint_restore denial
#	of that domain. Nothing but checkpoint_restore is denied, and in
#	permissive mode each distinct denial is logged once.
#	CRIU=criu-carapace runs the CRIU built with contrib/criu/ instead
#	of Debian's.
#   criu.sh revoke
#	After a reload of a policy without criu_t's grant, criu_t is
#	refused; the default policy is loaded again afterwards.
#   criu.sh job enforcing|permissive CRIU EXPECT [--profile D | --edit D]
#	A counter started in the confined job domain job_t, which may not
#	read CRIU's images, is dumped and restored by CRIU (criu: Debian's;
#	criu-carapace: built with contrib/criu/) in criu_t. With
#	--profile D the restore asks for domain D (--lsm-profile
#	carapace:D); with --edit D the dumped image is edited to name D
#	instead of job_t. EXPECT a domain: it comes back with its PID, in
#	that domain, counting on, and reads (or is refused) the image
#	file it was refused before as that domain should. EXPECT refused:
#	the restore fails on criu_t's dyntransition denial to D, and no
#	task is left.
#   criu.sh mntns enforcing|permissive EXPECT [criu]
#	Root CRIU (criu-carapace, or Debian's with "criu"; in criu_ns_t)
#	dumps a counter that runs
#	in job_t in a mount namespace of its own (the root, /proc and a
#	tmpfs of its own on /tmp), and restores the namespace and the
#	counter. EXPECT
#	allowed: the counter comes back with its PID, in job_t (criu_ns_t
#	with Debian's CRIU), in a new
#	mount namespace whose /tmp holds what it held, and counts on.
#	EXPECT mount-denied: the restore runs under criu-nomount.bin (the
#	default policy without criu_ns_t's filesystem mount), fails, and the
#	kernel logs that denial.
#
# The enforcement mode in force before is restored afterwards.

USER_ID=1000
CRIU=${CRIU:-criu}
POLICY=/etc/carapace/policy.bin
REVOKED=/etc/carapace/criu-revoked.bin
NOMOUNT=/etc/carapace/criu-nomount.bin
ENFORCE=/sys/kernel/security/carapace/enforce

say() { echo "$*"; }
fail() { echo "FAIL: $*"; exit 1; }

# The label CRIU's files need; the policy's file contexts say which.
setup_labels() {
	mkdir -p /tmp/criu
	chown $USER_ID:$USER_ID /tmp/criu
	# A file of CRIU's that the job domains may not read (mode 644: only
	# carapace stands in the way).
	echo secret >/tmp/criu/secret
	chmod 644 /tmp/criu/secret
	mkdir -p /tmp/criu-log
	chown $USER_ID:$USER_ID /tmp/criu-log
	carapacectl relabel /usr/sbin/criu /usr/local/sbin/criu-carapace /tmp/criu /tmp/criu-log \
		>/dev/null 2>&1 || fail "relabelling CRIU's files"
	for f in /usr/sbin/criu /usr/local/sbin/criu-carapace; do
		[ "$(carapacectl context $f)" = criu_exec_t ] ||
			fail "$f is $(carapacectl context $f), not criu_exec_t"
	done
}

# as_user DOMAIN COMMAND...: run COMMAND as uid 1000 with only
# CAP_CHECKPOINT_RESTORE, in DOMAIN (criu_t is entered by executing
# /usr/sbin/criu, through the policy's type transition).
as_user() {
	domain=$1
	shift
	case "$1" in
	criu) shift; set -- /usr/sbin/criu "$@" ;;
	criu-carapace) shift; set -- /usr/local/sbin/criu-carapace "$@" ;;
	esac
	if [ "$domain" = criu_t ] && [ "${1%criu*}" != "$1" ]; then
		cr-user $USER_ID "$@"
	else
		cr-user $USER_ID carapacectl exec --domain "$domain" -- "$@"
	fi
}

# Seconds since boot, with hundredths.
now() { cut -d' ' -f1 /proc/uptime; }

# The count in $work/count (field 2) or its PID (field 1).
count_field() { cut -d' ' -f"$1" "$work/count" 2>/dev/null; }

# wait_count N: wait up to 10 s for the counter to reach N.
wait_count() {
	i=0
	while [ $i -lt 100 ]; do
		c=$(count_field 2)
		[ -n "$c" ] && [ "$c" -ge "$1" ] && return 0
		[ -f "$work/error" ] && { cat "$work/error"; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	echo "counter stuck at '$(count_field 2)', wanted $1"
	return 1
}

# New carapace denial records since the log had $log_mark lines.
new_denials() {
	dmesg | sed -n "$((log_mark + 1)),\$p" | grep 'carapace: denied' |
		sed 's/.*carapace: denied/denied/'
}

# Only checkpoint_restore was denied; in permissive mode each distinct
# denial (permissions, contexts, class) was logged once.
check_denials() {
	new_denials | sed 's/ for pid=[0-9]* comm="[^"]*"//; s/ capability=[0-9]*//' >/tmp/criu-denials
	others=$(grep -v 'denied { checkpoint_restore }' /tmp/criu-denials)
	[ -z "$others" ] || { echo "denials other than checkpoint_restore: $others"; return 1; }
	[ "$(cat $ENFORCE)" = 1 ] && return 0
	dups=$(sort /tmp/criu-denials | uniq -d)
	[ -z "$dups" ] || { echo "logged more than once in permissive mode: $dups"; return 1; }
}

# denied_in DOMAIN: the kernel logged DOMAIN's checkpoint_restore denial.
denied_in() {
	new_denials | grep -q "denied { checkpoint_restore } .*scontext=$1 tcontext=$1 tclass=capability2" ||
		fail "no checkpoint_restore denial for $1 in the kernel log"
	say "# the kernel's record:"
	new_denials | grep "scontext=$1" | sed 's/^/#   /'
}

# cycle DUMPER RESTORER EXPECT: a counter started in DUMPER is dumped by
# CRIU in DUMPER and restored by CRIU in RESTORER. EXPECT: allowed,
# dump-denied or restore-denied.
cycle() {
	dumper=$1 restorer=$2 expect=$3
	work=/tmp/criu-job-$dumper images=/tmp/criu/images-$dumper
	rm -rf "$work" "$images"
	mkdir -p "$work" "$images"
	chown $USER_ID:$USER_ID "$work" "$images"
	log_mark=$(dmesg | wc -l)

	# A simple command, so that $! is the counter itself (cr-user and
	# carapacectl exec it in place).
	cr-user $USER_ID carapacectl exec --domain "$dumper" -- \
		/tests/bin/cr-counter "$work" </dev/null >/dev/null 2>&1 &
	pid=$!
	wait_count 3 || fail "the counter did not start"
	[ "$(count_field 1)" = "$pid" ] || fail "counter PID $(count_field 1), expected $pid"
	say "# counter $pid in $(cat /proc/$pid/attr/current), at $(count_field 2)"

	t0=$(now)
	dump_rc=0
	as_user "$dumper" "$CRIU" dump --unprivileged -t "$pid" -D "$images" -o dump.log -v4 ||
		dump_rc=$?
	t1=$(now)
	if [ $dump_rc != 0 ]; then
		say "# criu dump in $dumper failed ($dump_rc):"
		grep -E 'Error' "$images/dump.log" | tail -4 | sed 's/^/#   /'
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		[ "$expect" = dump-denied ] || fail "criu dump failed in $dumper"
		# Refused the map_files link, CRIU falls back to the mapped
		# file's path, which a deleted file (or a memfd) does not have.
		grep -q "Can't open .*mapfile link" "$images/dump.log" ||
			fail "the dump did not fail at a map_files link"
		denied_in "$dumper"
		check_denials || fail "denials"
		return 0
	fi
	[ "$expect" != dump-denied ] || fail "criu dump succeeded in $dumper"
	# The dump killed the counter: reap it, or its PID stays taken.
	wait "$pid" 2>/dev/null
	[ -d /proc/$pid ] && fail "counter $pid still alive after the dump"
	dumped=$(count_field 2)

	t2=$(now)
	restore_rc=0
	as_user "$restorer" "$CRIU" restore --unprivileged -D "$images" -o restore.log -v4 -d ||
		restore_rc=$?
	t3=$(now)
	if [ $restore_rc != 0 ]; then
		say "# criu restore in $restorer failed ($restore_rc):"
		grep -E 'Error|Operation not permitted' "$images/restore.log" | tail -4 | sed 's/^/#   /'
		[ "$expect" = restore-denied ] || fail "criu restore failed in $restorer"
		grep -q 'Operation not permitted' "$images/restore.log" ||
			fail "no 'Operation not permitted' in the restore log"
		denied_in "$restorer"
		check_denials || fail "denials"
		return 0
	fi
	[ "$expect" = allowed ] || {
		kill -9 "$pid" 2>/dev/null
		fail "criu restore succeeded in $restorer"
	}
	say "# dump $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s, restore $(echo "$t2 $t3" | awk '{ printf "%.2f", $2 - $1 }') s"
	[ -d /proc/$pid ] || fail "no process $pid after the restore"
	restored_in=$(cat /proc/$pid/attr/current)
	wait_count $((dumped + 3)) || fail "the restored counter does not count"
	[ "$(count_field 1)" = "$pid" ] || fail "restored with PID $(count_field 1), not $pid"
	say "# restored as $pid in $restored_in, counting from $dumped to $(count_field 2)"
	kill -9 "$pid"
	[ ! -f "$work/error" ] || fail "the counter lost its memory: $(cat "$work/error")"
	# CRIU restores no carapace label: the restored task is CRIU's clone.
	[ "$restored_in" = "$restorer" ] ||
		fail "restored in $restored_in, expected CRIU's domain $restorer"
	if [ "$(cat $ENFORCE)" = 0 ] && [ "$restorer" = criu_denied_t ]; then
		denied_in criu_denied_t
	fi
	check_denials || fail "denials"
}

# restore_refused LOG REFUSAL MESSAGE: the restore failed ($restore_rc;
# else the restored task $pid is killed and the case fails with
# MESSAGE), CRIU's LOG says why, and the kernel logged REFUSAL (a grep
# pattern).
restore_refused() {
	[ $restore_rc != 0 ] || {
		kill -9 "$pid" 2>/dev/null
		fail "$3"
	}
	say "# criu restore failed ($restore_rc):"
	grep -E 'Error|lsm' "$1" | tail -4 | sed 's/^/#   /'
	new_denials | grep -q "$2" || fail "no record '$2' in the kernel log"
	say "# the kernel's record:"
	new_denials | grep "$2" | sed 's/^/#   /'
	sleep 1
	[ -d /proc/$pid ] && fail "task $pid left running after the refused restore"
	return 0
}

# failed LOG MESSAGE: CRIU's LOG's last errors and the new denials are
# shown, and the case fails with MESSAGE.
failed() {
	grep -E 'Error' "$1" | tail -4 | sed 's/^/#   /'
	new_denials | sed 's/^/#   /'
	fail "$2"
}

# probe: the counter's errno opening /tmp/criu/secret, asked now.
probe() {
	touch "$work/ask"
	i=0
	while [ -e "$work/ask" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$work/ask" ] && { echo "no answer"; return; }
	cat "$work/probe"
}

# The PIDs of the tasks in domain $1.
tasks_in() {
	for f in /proc/[0-9]*/attr/carapace/current; do
		[ "$(cat "$f" 2>/dev/null)" = "$1" ] && { f=${f#/proc/}; echo "${f%%/*}"; }
	done
}

# The errno domain $1 gets opening /tmp/criu/secret: EACCES for the job
# domains, none for CRIU's own (or in permissive mode).
expected_probe() {
	if [ "$1" = criu_t ] || [ "$(cat $ENFORCE)" = 0 ]; then
		echo 0
	else
		echo 13
	fi
}

# job CRIU EXPECT [--profile D | --edit D]
job() {
	criu=$1 expect=$2 how=${3:-} other=${4:-}
	work=/tmp/criu-job-job_t images=/tmp/criu/images-job_t
	rm -rf "$work" "$images"
	mkdir -p "$work" "$images"
	chown $USER_ID:$USER_ID "$work" "$images"
	log_mark=$(dmesg | wc -l)

	cr-user $USER_ID carapacectl exec --domain job_t -- \
		/tests/bin/cr-counter "$work" /tmp/criu/secret </dev/null >/dev/null 2>&1 &
	pid=$!
	wait_count 3 || fail "the counter did not start"
	[ "$(count_field 1)" = "$pid" ] || fail "counter PID $(count_field 1), expected $pid"
	domain=$(cat /proc/$pid/attr/carapace/current)
	[ "$domain" = job_t ] || fail "the counter runs in $domain, not job_t"
	# The counter's probe: /tmp/criu, CRIU's image directory, is closed
	# to the job domains.
	probe_denial="denied { search } .*scontext=job_t tcontext=criu_image_t tclass=dir"
	probed=$(probe)
	[ "$probed" = "$(expected_probe job_t)" ] ||
		fail "job_t opening /tmp/criu/secret: errno $probed, expected $(expected_probe job_t)"
	say "# counter $pid in $domain at $(count_field 2); opening /tmp/criu/secret: errno $probed"

	# The logs apart from the images: the parasite, in the job, writes to
	# CRIU's log.
	logs=/tmp/criu-log
	rm -f $logs/dump.log $logs/restore.log
	as_user criu_t "$criu" dump --unprivileged -t "$pid" -D "$images" -o $logs/dump.log -v4 || {
		kill -9 "$pid" 2>/dev/null
		failed $logs/dump.log "$criu dump failed"
	}
	wait "$pid" 2>/dev/null
	[ -d /proc/$pid ] && fail "counter $pid still alive after the dump"
	dumped=$(count_field 2)

	opts=
	case "$how" in
	--profile) opts="--lsm-profile carapace:$other" ;;
	--edit)
		/tests/bin/img-swap "$images/core-$pid.img" job_t "$other" || fail "editing core-$pid.img"
		say "# core-$pid.img edited: job_t -> $other"
		;;
	esac
	restore_rc=0
	# shellcheck disable=SC2086 # $opts is empty or two words
	as_user criu_t "$criu" restore --unprivileged -D "$images" -o $logs/restore.log -v4 -d $opts ||
		restore_rc=$?
	if [ "$expect" = refused ]; then
		refusal="denied { dyntransition } .*scontext=criu_t tcontext=$other tclass=process"
		restore_refused $logs/restore.log "$refusal" "$criu restored into $other"
		others=$(new_denials | grep -v -e "$probe_denial" -e "$refusal")
		[ -z "$others" ] || { echo "$others" | sed 's/^/#   /'; fail "other denials"; }
		left=$(tasks_in "$other"; tasks_in job_t)
		[ -z "$left" ] || fail "tasks left in $other or job_t: $left"
		return 0
	fi
	[ $restore_rc = 0 ] || failed $logs/restore.log "$criu restore failed"
	[ -d /proc/$pid ] || fail "no process $pid after the restore"
	restored_in=$(cat /proc/$pid/attr/carapace/current)
	wait_count $((dumped + 3)) || fail "the restored counter does not count"
	[ "$(count_field 1)" = "$pid" ] || fail "restored with PID $(count_field 1), not $pid"
	after=$(probe)
	say "# restored as $pid in $restored_in, counting from $dumped to $(count_field 2); opening /tmp/criu/secret: errno $after"
	kill -9 "$pid"
	[ ! -f "$work/error" ] || fail "the counter lost its memory: $(cat "$work/error")"
	[ "$restored_in" = "$expect" ] || fail "restored in $restored_in, expected $expect"
	[ "$after" = "$(expected_probe "$expect")" ] ||
		fail "$expect opening /tmp/criu/secret after the restore: errno $after, expected $(expected_probe "$expect")"
	# Nothing denied but the probes: in permissive mode, all the
	# denials are shown (Documentation/criu.rst derives the rules so).
	others=$(new_denials | grep -v -e "$probe_denial" -e "denied { search } .*scontext=$expect tcontext=criu_image_t tclass=dir")
	[ -z "$others" ] && return 0
	echo "$others" | sed 's/^/#   /'
	[ "$(cat $ENFORCE)" = 0 ] || fail "other denials"
}

# mntns EXPECT: the job in a mount namespace of its own, dumped and
# restored by root CRIU in criu_ns_t.
mntns() {
	expect=$1 criu=/usr/local/sbin/criu-carapace restored=job_t
	[ "${2:-}" = criu ] && criu=/usr/sbin/criu restored=criu_ns_t
	# Root's, as root CRIU's directories are.
	images=/tmp/criu/images-mntns logs=/tmp/criu-log/root
	rm -rf "$images" "$logs"
	mkdir -p "$images" "$logs"
	log_mark=$(dmesg | wc -l)

	# The job's namespace, as a container's: the root, /proc, and a tmpfs
	# of its own on /tmp holding its work directory and a file of the
	# job's; the rest of this namespace's mounts are left out.
	unshare -m --propagation private sh -c '
		umount -l /sys && umount -l /dev && umount -l /run && umount -l /tmp &&
		mount -t tmpfs jobtmp /tmp &&
		mkdir /tmp/job && echo "the job'"'"'s file" >/tmp/job/kept &&
		exec carapacectl exec --domain job_t -- /tests/bin/cr-counter /tmp/job \
			</tmp/job/kept >/tmp/job/log 2>&1' \
		</dev/null >/dev/null 2>&1 &
	pid=$!
	work=/proc/$pid/root/tmp/job
	wait_count 3 || fail "the counter did not start"
	[ "$(count_field 1)" = "$pid" ] || fail "counter PID $(count_field 1), expected $pid"
	domain=$(cat /proc/$pid/attr/carapace/current)
	[ "$domain" = job_t ] || fail "the counter runs in $domain, not job_t"
	[ "$(readlink /proc/$pid/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] ||
		fail "the counter shares this mount namespace"
	say "# counter $pid in $domain, in its own mount namespace, at $(count_field 2)"

	carapacectl exec --domain criu_ns_t -- $criu \
		dump -t "$pid" -D "$images" -o $logs/dump.log -v4 2>>$logs/stderr || {
		kill -9 "$pid" 2>/dev/null
		failed $logs/dump.log "criu dump in criu_ns_t failed"
	}
	wait "$pid" 2>/dev/null
	[ -d /proc/$pid ] && fail "counter $pid still alive after the dump"
	ls "$images"/tmpfs-dev-*.tar.gz.img >/dev/null 2>&1 ||
		fail "no tmpfs contents among the images"

	[ "$expect" = mount-denied ] && {
		carapacectl load $NOMOUNT || fail "loading $NOMOUNT"
	}
	restore_rc=0
	carapacectl exec --domain criu_ns_t -- $criu \
		restore -D "$images" -o $logs/restore.log -v4 -d --root / 2>>$logs/stderr ||
		restore_rc=$?
	if [ "$expect" = mount-denied ]; then
		carapacectl load $POLICY || fail "loading $POLICY back"
		refusal="denied { mount } .*scontext=criu_ns_t tcontext=[a-z_]* tclass=filesystem"
		restore_refused $logs/restore.log "$refusal" "restored without filesystem mount"
		others=$(new_denials | grep -v -e "$refusal")
		[ -z "$others" ] || { echo "$others" | sed 's/^/#   /'; fail "other denials"; }
		return 0
	fi
	[ $restore_rc = 0 ] || failed $logs/restore.log "criu restore in criu_ns_t failed"
	[ -d /proc/$pid ] || fail "no process $pid after the restore"
	restored_in=$(cat /proc/$pid/attr/carapace/current)
	kept=$(cat /proc/$pid/root/tmp/job/kept 2>&1)
	at=$(count_field 2)
	wait_count $((at + 3)) || fail "the restored counter does not count"
	say "# restored as $pid in $restored_in, counting from $at to $(count_field 2); its /tmp/job/kept: $kept"
	[ "$(readlink /proc/$pid/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] ||
		fail "restored into this mount namespace"
	kill -9 "$pid"
	[ ! -f "$work/error" ] || fail "the counter lost its memory: $(cat "$work/error")"
	[ "$restored_in" = $restored ] || fail "restored in $restored_in, expected $restored"
	[ "$kept" = "the job's file" ] || fail "the job's tmpfs came back without its file: $kept"
	others=$(new_denials)
	[ -z "$others" ] && return 0
	echo "$others" | sed 's/^/#   /'
	[ "$(cat $ENFORCE)" = 0 ] || fail "denials"
}

before=$(cat $ENFORCE)
trap 'echo "$before" >$ENFORCE' EXIT
setup_labels

case "$1" in
check)
	carapacectl enforce
	out=$(as_user criu_t criu check --unprivileged 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	if [ $rc != 0 ] || ! echo "$out" | grep -q 'Looks good'; then
		fail "criu check --unprivileged"
	fi
	;;
cycle)
	case "$2" in
	enforcing) carapacectl enforce ;;
	permissive) carapacectl permissive ;;
	*) fail "mode $2" ;;
	esac
	cycle "$3" "$4" "$5"
	;;
revoke)
	carapacectl enforce
	carapacectl load $REVOKED || fail "loading $REVOKED"
	rc=0
	(cycle criu_t criu_t dump-denied) || rc=1
	carapacectl load $POLICY || fail "loading $POLICY back"
	[ $rc = 0 ] || fail "criu_t after the revoking reload"
	;;
job)
	case "$2" in
	enforcing) carapacectl enforce ;;
	permissive) carapacectl permissive ;;
	*) fail "mode $2" ;;
	esac
	shift 2
	job "$@"
	;;
mntns)
	# The VM's root is the initramfs, on which pivot_root(2) fails (its
	# mount has no parent), and CRIU pivots into the namespace it
	# restores. So the case runs in a mount namespace whose root is a
	# bind mount of it moved onto /, as switch_root does.
	if [ -z "${CRIU_NS_ROOT:-}" ]; then
		trap - EXIT
		exec unshare -m --propagation private sh -c '
			mkdir -p /run/ns-root && mount -o rbind / /run/ns-root &&
			cd /run/ns-root && mount -o move . / &&
			CRIU_NS_ROOT=1 exec chroot . /tests/criu.sh "$@"' sh "$@"
	fi
	case "$2" in
	enforcing) carapacectl enforce ;;
	permissive) carapacectl permissive ;;
	*) fail "mode $2" ;;
	esac
	mntns "$3" "${4:-}"
	;;
*)
	fail "unknown case $1"
	;;
esac
exit 0
