#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The hooks of one family, as TAP:
#   hooks-test.sh files|labels|process|attributes|permissive|last_decisions|exec_hardening|
#                 file_control|task_operations|memory
# What hook_allowed_t does succeeds, and the same in hook_denied_t (or
# hook_target_t) fails with a carapace audit record naming the permission.
# Runs under tests/policy/hooks.cpol (the default policy plus the hook
# domains) and restores the default policy.

D=/tmp/hooks
PROBE=/bin/lsm-probe
RELABEL=/tests/bin/proc-relabel
STATS=/sys/kernel/security/carapace/avc/cache_stats
. /tests/tap.sh
. /tests/domains.sh

# Files: inode_permission, file_open, file_permission, the inode
# operations, mmap_file.
files() {
	run_in hook_allowed_t cat $D/data && [ "$OUT" = secret ] &&
		denied hook_denied_t read hook_data_t file cat $D/data
	ok $? "open and read: allowed, or denied { read } tclass=file"

	# inode_create with type_transition, inode_init_security stores the label.
	run_in hook_allowed_t touch $D/dir/new && label_is $D/dir/new hook_data_t &&
		run_in hook_allowed_t ln -s new $D/dir/link && label_is $D/dir/link hook_data_t --no-dereference &&
		denied hook_denied_t create hook_data_t file touch $D/dir/denied
	ok $? "create: new files take the type_transition type; denied { create }"

	# inode_create and inode_setxattr: the new label must be one the
	# filesystem may hold (asked by the file's label of the filesystem's).
	mark
	! run_in hook_allowed_t touch $D/homeless/new && [ ! -e $D/homeless/new ] &&
		audited associate hook_homeless_t tmpfs_t filesystem &&
		mark && ! carapacectl label $D/homeless-file hook_homeless_t 2>/dev/null &&
		audited associate hook_homeless_t tmpfs_t filesystem &&
		label_is $D/homeless-file tmpfs_t
	ok $? "create and relabel to a type the filesystem may not hold: denied { associate } tclass=filesystem"

	# inode_rename, inode_unlink.
	run_in hook_allowed_t mv $D/dir/new $D/dir/renamed && run_in hook_allowed_t rm $D/dir/renamed &&
		denied hook_denied_t unlink hook_data_t file unlink $D/dir/victim &&
		[ -e $D/dir/victim ]
	ok $? "rename and unlink: allowed, or denied { unlink }"

	# inode_getattr, inode_setattr.
	run_in hook_allowed_t stat $D/data && run_in hook_allowed_t touch -d 2020-01-01 $D/data &&
		denied hook_denied_t getattr hook_data_t file stat $D/data &&
		denied hook_denied_t setattr hook_data_t file touch -d 2021-01-01 $D/data
	ok $? "getattr and setattr: allowed, or denied { getattr } and { setattr }"

	# inode_readlink / inode_follow_link.
	run_in hook_allowed_t readlink $D/dir/link &&
		denied hook_denied_t read hook_data_t lnk_file readlink $D/dir/link
	ok $? "readlink: allowed, or denied { read } tclass=lnk_file"

	# mmap_file, file_mprotect.
	run_in hook_allowed_t $PROBE mmap-exec $D/lib &&
		run_in hook_allowed_t $PROBE mprotect-exec $D/lib &&
		denied hook_denied_t execute hook_lib_t file $PROBE mmap-exec $D/lib &&
		denied hook_denied_t execute hook_lib_t file $PROBE mprotect-exec $D/lib
	ok $? "mmap and mprotect to PROT_EXEC: allowed, or denied { execute }"

	# file_ioctl: the command reaches the file (ENOTTY) or is refused.
	{ run_in hook_allowed_t $PROBE ioctl $D/lib || [ "$OUT" = "error: ENOTTY" ]; } &&
		denied hook_denied_t ioctl hook_lib_t file $PROBE ioctl $D/lib &&
		[ "$OUT" = "error: EACCES" ]
	ok $? "ioctl: reaches the file, or denied { ioctl }"
}

labels() {
	# Labels: filesystem defaults, /proc/PID, relabelling through the xattr.
	label_is /tmp tmpfs_t && label_is /proc/meminfo proc_t && label_is /sys sysfs_t &&
		label_is /dev/null device_t && label_is / file_t &&
		[ "$($PROBE listxattr /proc/meminfo)" = security.carapace ] &&
		run_in hook_allowed_t sh -c 'carapacectl context /proc/$$' &&
		[ "$OUT" = hook_allowed_t ]
	ok $? "labels: filesystem defaults, /proc/PID carries the task's domain, listxattr names the label"

	echo x >$D/relabel
	mark
	carapacectl label $D/relabel hook_lib_t && label_is $D/relabel hook_lib_t &&
		! carapacectl label $D/relabel no_such_t 2>/dev/null &&
		new_log | grep -q "refusing label \"no_such_t\"" && label_is $D/relabel hook_lib_t &&
		! carapacectl label $D/relabel '' 2>/dev/null &&
		! carapacectl label $D/relabel "$(head -c 300 /dev/zero | tr '\0' a)" 2>/dev/null &&
		[ "$($PROBE removexattr $D/relabel security.carapace)" = "error: EACCES" ] &&
		label_is $D/relabel hook_lib_t &&
		denied hook_allowed_t mac_admin hook_allowed_t capability2 carapacectl label $D/relabel hook_data_t &&
		label_is $D/relabel hook_lib_t
	ok $? "relabel: by an administrator only, to a type of the policy; never removed"
}

process() {
	# task_alloc.
	run_in hook_allowed_t sh -c 'true | true' &&
		denied hook_denied_t fork hook_denied_t process sh -c 'true | true'
	ok $? "fork: allowed, or denied { fork }"

	# task_kill, ptrace_access_check.
	carapacectl exec --domain hook_target_t -- sleep 600 &
	target=$!
	sleep 1
	run_in hook_allowed_t kill -0 $target && run_in hook_allowed_t $PROBE ptrace $target &&
		denied hook_denied_t signull hook_target_t process kill -0 $target &&
		denied hook_denied_t sigkill hook_target_t process kill -KILL $target &&
		denied hook_denied_t ptrace hook_target_t process $PROBE ptrace $target
	ok $? "kill and ptrace: allowed, or denied { signull }, { sigkill }, { ptrace }"
	kill $target

	# ptrace_traceme.
	run_in hook_allowed_t $PROBE traceme &&
		denied hook_target_t ptrace hook_target_t process $PROBE traceme
	ok $? "PTRACE_TRACEME: allowed, or denied { ptrace }"
}

attributes() {
	# getselfattr, setselfattr.
	run_in hook_allowed_t $PROBE getselfattr current && [ "$OUT" = hook_allowed_t ] &&
		run_in hook_allowed_t $PROBE setexec hook_target_t $PROBE getselfattr current &&
		[ "$OUT" = hook_target_t ] &&
		denied hook_denied_t setexec hook_denied_t process $PROBE setexec hook_target_t /bin/true
	ok $? "lsm_get_self_attr and lsm_set_self_attr: current domain, exec domain, denied { setexec }"

	# setprocattr, setselfattr current: a dynamic transition, through
	# carapace's own attribute directory, the generic file and the
	# syscall; setcurrent on itself, dyntransition to the new domain.
	# The generic file belongs to the first LSM of the boot's order that
	# has process attributes: to carapace only if it comes before
	# AppArmor, SELinux and Smack.
	owner=$(tr ',' '\n' </sys/kernel/security/lsm | grep -m1 -xE 'carapace|apparmor|selinux|smack')
	ways="proc syscall"
	[ "$owner" = carapace ] && ways="proc generic syscall"
	echo "# /proc/self/attr/current belongs to $owner: setting the domain by $ways"
	rc=0
	for how in $ways; do
		run_in hook_allowed_t $PROBE setcurrent $how hook_target_t &&
			[ "$OUT" = hook_target_t ] || rc=1
	done
	[ $rc = 0 ] &&
		denied hook_denied_t setcurrent hook_denied_t process \
			$PROBE setcurrent proc hook_target_t &&
		denied hook_tracer_t dyntransition hook_target_t process \
			$PROBE setcurrent proc hook_target_t &&
		{ [ "$owner" != carapace ] ||
			[ "$(cat /proc/self/attr/carapace/current)" = "$(cat /proc/self/attr/current)" ]; }
	ok $? "dynamic transitions: { setcurrent } and { dyntransition }, by /proc/self/attr/carapace/current, /proc/self/attr/current (where carapace owns it) and lsm_set_self_attr"

	! run_in hook_allowed_t $PROBE setcurrent threaded hook_target_t && [ "$OUT" = "error: EPERM" ]
	ok $? "dynamic transitions: refused to a task with a second thread (EPERM)"

	# A traced task: its tracer needs { ptrace } on the new domain.
	run_in hook_allowed_t $PROBE setcurrent traced hook_target_t && [ "$OUT" = hook_target_t ] &&
		denied hook_allowed_t ptrace hook_dyn_t process \
			$PROBE setcurrent traced hook_dyn_t &&
		[ "$OUT" = "error: EPERM" ] &&
		run_in hook_allowed_t $PROBE setcurrent proc hook_dyn_t && [ "$OUT" = hook_dyn_t ]
	ok $? "dynamic transitions: a traced task moves only where its tracer may trace it (EPERM)"
}

permissive() {
	# Permissive: a denied read is logged once, with permissive=1, and allowed.
	carapacectl permissive
	mark
	run_in hook_denied_t cat $D/data && run_in hook_denied_t cat $D/data
	rc=$?
	carapacectl enforce
	usleep 500000	# the audit thread's backlog reaches the log
	[ $rc = 0 ] && [ "$(new_log | grep -c 'carapace: denied { read } .*tcontext=hook_data_t tclass=file permissive=1')" = 1 ]
	ok $? "permissive: a file denial is logged once and allowed"
}

# remembered TYPE_BEFORE TYPE_AFTER CHANGE: a reader in hook_denied_t opens
# a file of TYPE_BEFORE and reads it twice through one descriptor (the
# second read answered by the inode's last decision); CHANGE runs; the
# third read must be refused with a record for TYPE_AFTER.
remembered() {
	before=$1 after=$2 change=$3
	echo remembered >$D/remember && carapacectl label $D/remember "$before" || return 1
	rm -f $D/reread.out
	carapacectl exec --domain hook_denied_t -- $PROBE reread $D/remember 3 |
		cat >$D/reread.out &
	for step in 0 1 2; do
		[ $step = 0 ] || kill -USR1 "$pid"
		tries=50
		until grep -q "^read $step: " $D/reread.out 2>/dev/null; do
			tries=$((tries - 1))
			[ $tries -gt 0 ] || { echo "# no read $step"; return 1; }
			usleep 100000
		done
		pid=$(sed -n 's/^pid //p' $D/reread.out)
		if [ $step = 1 ]; then
			mark
			$change || return 1
		fi
	done
	wait
	sed 's/^/# /' $D/reread.out
	grep -qx "read 0: ok" $D/reread.out && grep -qx "read 1: ok" $D/reread.out &&
		grep -qx "read 2: error: EACCES" $D/reread.out &&
		audited read hook_denied_t "$after" file
}

relabel_to_data() { carapacectl label $D/remember hook_data_t; }

last_decisions() {
	# What an inode remembers of a grant does not outlive a change: a
	# relabel, or the end of permissive mode, takes effect on the next
	# read through a descriptor opened before.
	remembered hook_lib_t hook_data_t relabel_to_data
	ok $? "remembered grants: a relabel refuses the next read of an open file"

	carapacectl permissive &&
		remembered hook_data_t hook_data_t "carapacectl enforce"
	rc=$?
	carapacectl enforce
	ok $rc "remembered grants: setenforce 1 refuses the next read permissive mode let through"

	forge
	ok $? "remembered grants: an unprivileged /proc relabel loop never brings back a revoked read"

	no_stall
	ok $? "remembered grants: the /proc relabel loop does not make other domains' decisions miss"
}

# The unprivileged loop of tests/vm/proc-relabel.c in forge_t (one exec
# transition, to forge_child_t): FDS descriptors and $1 fork+exec cycles
# (0: until killed); its output goes through a pipe (which every domain
# may write) to $D/forge.out, its pid to FORGE, the pipe's to PIPE.
FDS=300
forge_loop() {
	cp /bin/busybox $D/forge-sleep && carapacectl label $D/forge-sleep forge_exec_t &&
		echo forged >$D/forged && carapacectl label $D/forged forge_data_t || return 1
	rm -f $D/forge.out
	taskset -c 0 carapacectl exec --domain forge_t -- \
		$RELABEL forge $D/forged $D/forge-sleep $FDS "$1" 2>&1 | cat >$D/forge.out &
	PIPE=$!
	wait_for "^read 0: ok" $D/forge.out || return 1
	FORGE=$(sed -n 's/^pid //p' $D/forge.out)
	# The administrator revokes the read.
	carapacectl label $D/forged hook_data_t &&
		wait_for "^read 1: refused" $D/forge.out
}

# wait_for PATTERN FILE: up to 30 s.
wait_for() {
	tries=300
	until grep -q "$1" "$2" 2>/dev/null; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || { echo "# no '$1' in $2:"; sed 's/^/#   /' "$2"; return 1; }
		usleep 100000
	done
}

# Every lookup after the exec relabels one /proc inode; the read is
# retried after each and must stay refused.
forge() {
	forge_loop 4 || return 1
	wait $PIPE
	sed 's/^/# /' $D/forge.out
	grep -q "^lookups [0-9]* refused $((4 * FDS)) regained 0 " $D/forge.out
}

# lookups on CPU $1 (its row of avc/cache_stats).
cpu_lookups() { sed -n "$(($1 + 2))p" $STATS | cut -d' ' -f1; }

# While the loop runs on CPU 0, a reader in hook_allowed_t on CPU 1 reads
# one file READS times: its inode's remembered decision answers (almost)
# every read, so CPU 1's cache lookups stay far below READS.
READS=200000
no_stall() {
	[ "$(nproc)" -ge 2 ] || { echo "# needs 2 CPUs"; return 1; }
	forge_loop 0 || return 1
	before=$(cpu_lookups 1)
	out=$(taskset -c 1 carapacectl exec --domain hook_allowed_t -- $RELABEL reads $D/public $READS)
	rc=$?
	after=$(cpu_lookups 1)
	kill "$FORGE"
	wait $PIPE
	echo "# $out; CPU 1 cache lookups $before -> $after; loop: $(tail -n 1 $D/forge.out)"
	[ $rc = 0 ] && [ $((after - before)) -lt $((READS / 100)) ]
}

exec_hardening() {
	# bprm_creds_for_exec under ptrace: the tracer needs { ptrace } on the
	# new domain, else the exec fails (EPERM).
	run_in hook_allowed_t $PROBE traceme-exec hook_target_t /bin/true &&
		denied hook_tracer_t ptrace hook_target_t process \
			$PROBE traceme-exec hook_target_t /bin/true &&
		echo "$OUT" | grep -q EPERM
	ok $? "exec under ptrace: the tracer needs { ptrace } on the new domain (EPERM)"

	# A transition from a nosuid mount needs { nosuid_transition }; under
	# no_new_privs { nnp_transition }.
	mkdir -p $D/nosuid && mount -t tmpfs -o nosuid tmpfs $D/nosuid &&
		cp $PROBE $D/nosuid/probe && carapacectl label $D/nosuid/probe bin_t &&
		run_in hook_allowed_t $PROBE setexec hook_target_t $D/nosuid/probe getselfattr current &&
		[ "$OUT" = hook_target_t ] &&
		denied hook_tracer_t nosuid_transition hook_target_t process2 \
			$PROBE setexec hook_target_t $D/nosuid/probe getselfattr current &&
		denied hook_allowed_t nnp_transition hook_target_t process2 \
			$PROBE nnp $PROBE setexec hook_target_t /bin/true
	rc=$?
	umount $D/nosuid 2>/dev/null
	ok $rc "exec from nosuid or under no_new_privs: { nosuid_transition } and { nnp_transition }"

	# bprm_committing_creds: descriptors the new domain may not use are
	# replaced (reads return nothing); those it may use stay.
	run_in hook_allowed_t sh -c "exec 3<$D/data 4<$D/public; $PROBE setexec hook_target_t $PROBE read-fd 4" &&
		[ "$OUT" = public ] &&
		mark && run_in hook_allowed_t sh -c "exec 3<$D/data; $PROBE setexec hook_target_t $PROBE read-fd 3" &&
		[ -z "$OUT" ] && audited read hook_target_t hook_data_t file
	ok $? "exec into a new domain: descriptors it may not read are replaced"

	# Resource limits are reset unless the policy allows { rlimitinh }.
	run_in hook_allowed_t sh -c "ulimit -S -n 77; $PROBE nofile" && [ "$OUT" = 77 ] &&
		mark && run_in hook_allowed_t sh -c "ulimit -S -n 77; $PROBE setexec hook_target_t $PROBE nofile" &&
		[ "$OUT" != 77 ] && audited rlimitinh hook_allowed_t hook_target_t process
	ok $? "exec into a new domain: soft limits reset without { rlimitinh }"
}

file_control() {
	# file_fcntl: clearing O_APPEND needs { write }; file_permission
	# checks an O_APPEND descriptor's writes as { append }.
	run_in hook_allowed_t $PROBE clear-append $D/data &&
		denied hook_denied_t write hook_public_t file $PROBE clear-append $D/public &&
		run_in hook_denied_t $PROBE append $D/public x
	ok $? "fcntl F_SETFL without O_APPEND: allowed, or denied { write }; appending allowed"

	# file_lock, file_fcntl locks.
	run_in hook_allowed_t $PROBE flock $D/public &&
		denied hook_denied_t lock hook_lib_t file $PROBE flock $D/lib
	ok $? "flock: allowed, or denied { lock }"

	# file_send_sigiotask: F_SETOWN + F_SETSIG needs the signal's
	# permission from the owner's domain.
	carapacectl exec --domain hook_target_t -- sleep 600 &
	target=$!
	sleep 1
	mark
	run_in hook_denied_t $PROBE sigio $target 9
	sleep 1
	kill -0 $target 2>/dev/null && audited sigkill hook_denied_t hook_target_t process &&
		run_in hook_allowed_t $PROBE sigio $target 9 && sleep 1 &&
		! kill -0 $target 2>/dev/null
	ok $? "SIGIO: a signal to another domain needs its permission (denied { sigkill })"
	kill $target 2>/dev/null

	# file_receive: a descriptor passed over SCM_RIGHTS arrives where its
	# receiver may use it, and not where it may not (the read is refused
	# at recvmsg, and the message comes without it).
	run_in hook_allowed_t $PROBE scm-send $D/data - && [ "$OUT" = "received: secret" ] &&
		mark && ! run_in hook_allowed_t $PROBE scm-send $D/data hook_denied_t &&
		[ "$OUT" = "no descriptor (truncated)" ] &&
		audited read hook_denied_t hook_data_t file
	ok $? "SCM_RIGHTS: a descriptor reaches a domain that may use it; denied { read } to one that may not"
}

task_operations() {
	carapacectl exec --domain hook_target_t -- sleep 600 &
	target=$!
	sleep 1
	run_in hook_allowed_t renice -n 5 -p $target && run_in hook_allowed_t $PROBE getpgid $target &&
		run_in hook_allowed_t $PROBE getsid $target && run_in hook_allowed_t $PROBE capget $target &&
		denied hook_tracer_t setsched hook_target_t process renice -n 6 -p $target &&
		denied hook_tracer_t getpgid hook_target_t process $PROBE getpgid $target &&
		denied hook_tracer_t getsession hook_target_t process $PROBE getsid $target &&
		denied hook_tracer_t getcap hook_target_t process $PROBE capget $target
	ok $? "task operations: { setsched getpgid getsession getcap } on another domain"
	kill $target

	run_in hook_allowed_t unshare -U true &&
		denied hook_tracer_t create hook_tracer_t user_namespace unshare -U true
	ok $? "user namespaces: allowed, or denied { create } tclass=user_namespace"

	run_in hook_allowed_t $PROBE getxattr $D/data security.carapace && [ "$OUT" = hook_data_t ] &&
		denied hook_denied_t getattr hook_data_t file $PROBE getxattr $D/data security.carapace
	ok $? "getxattr: allowed, or denied { getattr }"
}

memory() {
	run_in hook_allowed_t $PROBE exec-anon &&
		denied hook_tracer_t execmem hook_tracer_t process $PROBE exec-anon &&
		run_in hook_allowed_t $PROBE exec-heap &&
		denied hook_tracer_t execheap hook_tracer_t process $PROBE exec-heap &&
		run_in hook_allowed_t $PROBE exec-stack &&
		denied hook_tracer_t execstack hook_tracer_t process $PROBE exec-stack
	ok $? "executable memory: { execmem }, { execheap }, { execstack }"
}

family=$1
case "$family" in
files) total=8 ;;
labels) total=2 ;;
process) total=3 ;;
attributes) total=4 ;;
permissive) total=1 ;;
last_decisions) total=4 ;;
exec_hardening) total=4 ;;
file_control) total=4 ;;
task_operations) total=3 ;;
memory) total=1 ;;
*) echo "usage: $0 files|labels|process|attributes|permissive|last_decisions|exec_hardening|file_control|task_operations|memory" >&2; exit 2 ;;
esac
echo "TAP version 13"
echo "1..$total"

carapacectl load /etc/carapace/hooks.bin || echo "Bail out! cannot load the hook test policy"
rm -rf $D && mkdir -p $D/dir
echo secret >$D/data && carapacectl label $D/data hook_data_t
cp $PROBE $D/lib && carapacectl label $D/lib hook_lib_t
echo victim >$D/dir/victim && carapacectl label $D/dir/victim hook_data_t
carapacectl label $D/dir hook_dir_t
echo public >$D/public && carapacectl label $D/public hook_public_t
mkdir $D/homeless && carapacectl label $D/homeless hook_homeless_dir_t
echo x >$D/homeless-file

$family
carapacectl load /etc/carapace/policy.bin
[ "$failed" = 0 ] && [ "$n" = "$total" ]
