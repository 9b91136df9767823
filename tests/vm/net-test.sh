#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Sockets, System V IPC, the kernel's services or mounts under the
# policy, as TAP:
#   net-test.sh sockets|ipc|services|mounts
# What net_client_t does to net_server_t's sockets and IPC objects
# succeeds; the same from net_denied_t fails with a carapace audit record
# naming the permission. The kernel's log, keys, perf events and BPF maps
# likewise, for svc_allowed_t and svc_denied_t; mounts for mnt_allowed_t
# and mnt_denied_t. Runs under
# tests/policy/net.cpol and services.cpol (with the default policy and
# hooks.cpol) and restores the default policy.

D=/tmp/net
PROBE=/bin/net-probe
. /tests/tap.sh
. /tests/domains.sh

# serve NAME DOMAIN CMD...: run CMD in DOMAIN in the background, its
# output in $D/NAME.out, and wait for its first line.
serve() {
	name=$1 d=$2
	shift 2
	carapacectl exec --domain "$d" -- "$@" | cat >$D/$name.out &
	tries=50
	until [ -s $D/$name.out ]; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || { echo "# $name did not start"; return 1; }
		usleep 100000
	done
}

# output_has NAME TEXT: the background command NAME printed TEXT (waits
# up to 5 s for it).
output_has() {
	tries=50
	until grep -qx "$2" $D/$1.out; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || { sed 's/^/# '"$1"': /' $D/$1.out; return 1; }
		usleep 100000
	done
}

# permissive_once DOMAIN PERMS CLASS CMD...: in permissive mode CMD
# succeeds twice in DOMAIN, and the denial is logged once.
permissive_once() {
	d=$1 perms=$2 class=$3
	shift 3
	carapacectl permissive
	mark
	run_in "$d" "$@" && run_in "$d" "$@"
	rc=$?
	carapacectl enforce
	usleep 500000	# the audit thread's backlog reaches the log
	count=$(new_log | grep -c "carapace: denied { $perms } .*scontext=$d .*tclass=$class permissive=1")
	[ $rc = 0 ] && [ "$count" = 1 ] || { echo "# rc $rc, $count records"; return 1; }
}

sockets() {
	serve stream net_server_t $PROBE stream-serve $D/stream &&
		denied net_denied_t connectto net_server_t unix_stream_socket \
			$PROBE stream-connect $D/stream &&
		new_log | grep -q 'denied { connectto } .* family=unix ' &&
		run_in net_client_t $PROBE stream-connect $D/stream
	ok $? "unix stream connect: allowed, or denied { connectto } tclass=unix_stream_socket"

	echo "$OUT" | grep -qx "peer: net_server_t" &&
		echo "$OUT" | grep -qx "server saw: net_client_t" &&
		run_in net_client_t $PROBE pair-peer && [ "$OUT" = "peer: net_client_t" ]
	ok $? "SO_PEERSEC: each end of a connection or pair reports the other's domain"

	serve dgram net_server_t $PROBE dgram-serve $D/dgram &&
		denied net_denied_t sendto net_server_t unix_dgram_socket \
			$PROBE dgram-send $D/dgram denied &&
		run_in net_client_t $PROBE dgram-send $D/dgram hello &&
		output_has dgram "received: hello"
	ok $? "unix datagram: allowed, or denied { sendto } tclass=unix_dgram_socket"

	run_in net_client_t $PROBE sock-diag && echo "$OUT" | grep -Eq "^sockets: ([2-9]|[1-9][0-9]+)$" &&
		denied net_denied_t nlmsg_read net_denied_t netlink_tcpdiag_socket $PROBE sock-diag &&
		new_log | grep -q 'denied { nlmsg_read } .* family=netlink nlmsg_type=20 '
	ok $? "NETLINK_SOCK_DIAG dump: allowed, or denied { nlmsg_read } tclass=netlink_tcpdiag_socket"

	run_in net_client_t $PROBE socket-label inet dgram && [ "$OUT" = net_udp_t ] &&
		run_in net_client_t $PROBE socket-label unix stream && [ "$OUT" = net_client_t ] &&
		run_in net_server_t $PROBE socket-label inet dgram && [ "$OUT" = net_server_t ] &&
		denied net_denied_t create net_denied_t tcp_socket $PROBE socket-label inet stream
	ok $? "socket labels: the creator's domain or its type_transition; denied { create }"

	serve twice net_server_t $PROBE dgram-serve $D/twice 2 &&
		permissive_once net_denied_t sendto unix_dgram_socket $PROBE dgram-send $D/twice x &&
		permissive_once net_denied_t nlmsg_read netlink_tcpdiag_socket $PROBE sock-diag
	ok $? "permissive: a socket denial is logged once and allowed"
}

ipc() {
	run_in net_server_t $PROBE shm-create 0x4e01 &&
		run_in net_client_t $PROBE shm-attach 0x4e01 &&
		denied net_denied_t "read write" net_server_t shm $PROBE shm-attach 0x4e01 &&
		new_log | grep -q 'denied { read write } .* key=19969 '
	ok $? "shmat: allowed, or denied { read write } tclass=shm"

	run_in net_server_t $PROBE sem-create 0x4e02 &&
		run_in net_client_t $PROBE sem-op 0x4e02 &&
		denied net_denied_t "read write" net_server_t sem $PROBE sem-op 0x4e02
	ok $? "semop: allowed, or denied { read write } tclass=sem"

	run_in net_server_t $PROBE msg-create 0x4e03 &&
		run_in net_client_t $PROBE msg-send 0x4e03 hello &&
		run_in net_server_t $PROBE msg-receive 0x4e03 && [ "$OUT" = "received: hello" ] &&
		denied net_denied_t write net_server_t msgq $PROBE msg-send 0x4e03 denied &&
		run_in net_client_t $PROBE msg-send 0x4e03 again &&
		denied net_denied_t read net_server_t msgq $PROBE msg-receive 0x4e03
	ok $? "msgsnd and msgrcv: allowed, or denied { write } / { read } tclass=msgq"

	denied net_denied_t create net_denied_t shm $PROBE shm-create 0x4e04 &&
		denied net_client_t destroy net_server_t shm $PROBE shm-remove 0x4e01 &&
		run_in net_server_t $PROBE shm-remove 0x4e01
	ok $? "create and remove: denied { create }, { destroy } but to the owner"

	run_in net_server_t $PROBE mq-send /carapace-mq hello &&
		run_in net_client_t $PROBE mq-receive /carapace-mq && [ "$OUT" = "received: hello" ] &&
		run_in net_server_t $PROBE mq-send /carapace-mq again &&
		denied net_denied_t read mqueue_t file $PROBE mq-receive /carapace-mq &&
		denied net_client_t write mqueue_t file $PROBE mq-send /carapace-mq denied &&
		denied net_denied_t write mqueue_t dir $PROBE mq-send /carapace-mq2 x &&
		run_in net_server_t $PROBE mq-remove /carapace-mq
	ok $? "POSIX message queues (mqueue_t files): allowed, or denied { read } / { write } on the queue, { write } on the mqueue directory"

	permissive_once net_denied_t "read write" sem $PROBE sem-op 0x4e02
	ok $? "permissive: an IPC denial is logged once and allowed"
}

services() {
	SVC=/bin/service-probe
	run_in svc_allowed_t $SVC syslog-read &&
		denied svc_denied_t syslog_read kernel_t system $SVC syslog-read
	ok $? "kernel log read (dmesg): allowed, or denied { syslog_read } tclass=system"

	run_in svc_allowed_t $SVC key-add && echo "$OUT" | grep -qx "key: secret" &&
		echo "$OUT" | grep -qx "label: svc_allowed_t" &&
		denied svc_denied_t write svc_denied_t key $SVC key-add
	ok $? "add_key and keyctl read: allowed (the key shows its label), or denied { write } tclass=key"

	sleep 30 &
	target=$!
	run_in svc_allowed_t $SVC perf-open $target && [ "$OUT" = "perf: ok" ] &&
		denied svc_denied_t open svc_denied_t perf_event $SVC perf-open $target
	rc=$?
	kill $target
	ok $rc "perf_event_open on another task: allowed, or denied { open } tclass=perf_event"

	run_in svc_allowed_t $SVC bpf-map && [ "$OUT" = "map: ok" ] &&
		denied svc_denied_t map_create svc_denied_t bpf $SVC bpf-map
	ok $? "bpf map create and descriptor by id: allowed, or denied { map_create } tclass=bpf"

	permissive_once svc_denied_t syslog_read system $SVC syslog-read &&
		permissive_once svc_denied_t map_create bpf $SVC bpf-map
	ok $? "permissive: a denial of the kernel's services is logged once and allowed"
}

mounts() {
	M=$D/m
	mkdir -p $M
	run_in mnt_allowed_t mount -t tmpfs none $M && run_in mnt_allowed_t umount $M &&
		denied mnt_denied_t mount tmpfs_t filesystem mount -t tmpfs none $M
	ok $? "tmpfs mount: allowed, or denied { mount } tclass=filesystem"

	run_in mnt_allowed_t mount -t tmpfs none $M &&
		denied mnt_denied_t unmount tmpfs_t filesystem umount $M &&
		run_in mnt_allowed_t umount $M
	ok $? "umount: allowed, or denied { unmount } tclass=filesystem"

	run_in mnt_allowed_t stat -f -c %T $D && [ "$OUT" = tmpfs ] &&
		denied mnt_denied_t getattr tmpfs_t filesystem stat -f $D
	ok $? "statfs: allowed, or denied { getattr } tclass=filesystem"

	run_in mnt_allowed_t unshare -r -m mount -t tmpfs none $M &&
		denied mnt_denied_t mount tmpfs_t filesystem unshare -r -m mount -t tmpfs none $M
	ok $? "a mount in a new user namespace: allowed, or denied { mount } tclass=filesystem"

	permissive_once mnt_denied_t getattr filesystem stat -f $D
	ok $? "permissive: a mount denial is logged once and allowed"

	mount_options
}

# The mount options naming labels: context= and the like.
mount_options() {
	SVC=/bin/service-probe
	run_in mnt_allowed_t mount -t tmpfs -o context=mnt_ctx_t none $M &&
		grep " $M " /proc/mounts | sed 's/^/# /' &&
		grep -q " $M tmpfs .*context=mnt_ctx_t" /proc/mounts &&
		label_is $M mnt_ctx_t && touch $M/new && mkdir $M/dir &&
		label_is $M/new mnt_ctx_t && label_is $M/dir mnt_ctx_t &&
		! carapacectl label $M/new bin_t 2>/dev/null && label_is $M/new mnt_ctx_t &&
		run_in mnt_allowed_t umount $M
	ok $? "tmpfs mounted with context=: root and new files carry it, /proc/mounts shows it"

	run_in mnt_allowed_t $SVC fsmount tmpfs $M fscontext=mnt_ctx_t rootcontext=mnt_ctx_t &&
		grep -q " $M tmpfs .*fscontext=mnt_ctx_t,rootcontext=mnt_ctx_t" /proc/mounts &&
		label_is $M mnt_ctx_t &&
		denied mnt_denied_t getattr mnt_ctx_t filesystem stat -f $M &&
		umount $M &&
		mount -t tmpfs -o defcontext=mnt_ctx_t none $M &&
		grep -q " $M tmpfs .*defcontext=mnt_ctx_t" /proc/mounts &&
		label_is $M mnt_ctx_t && touch $M/f && carapacectl label $M/f bin_t &&
		label_is $M/f bin_t && umount $M
	ok $? "fscontext=, rootcontext= through fsconfig(), defcontext= through mount()"

	mkdir -p $D/mq
	mount -t tmpfs -o context=mnt_ctx_t none $M &&
		run_in mnt_allowed_t $SVC mount tmpfs $M context=mnt_ctx_t remount &&
		! run_in mnt_allowed_t $SVC mount tmpfs $M context=tmpfs_t remount &&
		[ "$OUT" = "error: EBUSY (remount)" ] && umount $M &&
		[ "$($SVC mount mqueue $D/mq context=mnt_ctx_t)" = "error: EBUSY (mount)" ] &&
		$SVC mount mqueue $D/mq "" >/dev/null && umount $D/mq
	ok $? "other labels for a superblock already set up: EBUSY (remount, second mqueue mount)"

	denied mnt_denied_t relabelfrom tmpfs_t filesystem mount -t tmpfs -o context=mnt_ctx_t none $M &&
		denied mnt_allowed_t relabelto bin_t filesystem mount -t tmpfs -o context=bin_t none $M
	ok $? "context= refused: denied { relabelfrom } or { relabelto } tclass=filesystem"

	mark
	[ "$($SVC mount tmpfs $M context=no_such_t)" = "error: EINVAL (mount)" ] &&
		[ "$($SVC fsmount tmpfs $M context=no_such_t)" = "error: EINVAL (fsconfig)" ] &&
		new_log | grep -q 'mount option context="no_such_t" refused: not a type' &&
		! grep -q " $M " /proc/mounts
	ok $? "context= naming no type of the policy: EINVAL and a log line"
}

family=$1
case "$family" in
sockets) total=6 ;;
ipc) total=6 ;;
services) total=5 ;;
mounts) total=10 ;;
*) echo "usage: $0 sockets|ipc|services|mounts" >&2; exit 2 ;;
esac
echo "TAP version 13"
echo "1..$total"

carapacectl load /etc/carapace/hooks.bin || echo "Bail out! cannot load the test policy"
rm -rf $D && mkdir -p $D

$family
carapacectl load /etc/carapace/policy.bin
[ "$failed" = 0 ] && [ "$n" = "$total" ]
