// SPDX-License-Identifier: GPL-2.0
/*
 * service-probe: one use of the kernel's own services for the services
 * suite. Prints what it saw, or "error: <errno name>", and exits 0 or 1.
 *
 *   service-probe syslog-read     read the kernel log (klogctl
 *                                 SYSLOG_ACTION_READ_ALL, as dmesg does);
 *                                 print "log: N bytes"
 *   service-probe key-add         add a user key to the process keyring,
 *                                 read it back; print "key: <payload>"
 *                                 and "label: <keyctl_get_security>"
 *   service-probe perf-open PID   count the task clock of task PID
 *                                 (user space only) and read it; print
 *                                 "perf: ok"
 *   service-probe bpf-map         create an array map, then get a second
 *                                 descriptor of it by id; print "map: ok"
 *   service-probe mount TYPE DIR OPTIONS [remount]
 *                                 mount(2) a TYPE filesystem on DIR (or
 *                                 remount the one there) with the option
 *                                 string OPTIONS; print "mount: ok"
 *   service-probe fsmount TYPE DIR KEY=VALUE...
 *                                 the same through the new mount API:
 *                                 fsopen(), one fsconfig() string per
 *                                 option, fsmount(), move_mount()
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail(const char *what)
{
	printf("error: %s (%s)\n", strerrorname_np(errno), what);
	return 1;
}

static int syslog_read(void)
{
	static char buf[1 << 16];
	int n = klogctl(3, buf, sizeof(buf));	/* SYSLOG_ACTION_READ_ALL */

	if (n < 0)
		return fail("klogctl");
	printf("log: %d bytes\n", n);
	return 0;
}

static int key_add(void)
{
	static const char payload[] = "secret";
	char buf[64], label[64];
	long id, n;

	id = syscall(SYS_add_key, "user", "carapace-probe", payload,
		     sizeof(payload) - 1, KEY_SPEC_PROCESS_KEYRING);
	if (id < 0)
		return fail("add_key");
	n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1);
	if (n < 0)
		return fail("keyctl read");
	buf[n < (long)sizeof(buf) ? n : (long)sizeof(buf) - 1] = 0;
	printf("key: %s\n", buf);
	n = syscall(SYS_keyctl, KEYCTL_GET_SECURITY, id, label, sizeof(label));
	if (n < 0)
		return fail("keyctl get_security");
	label[sizeof(label) - 1] = 0;
	printf("label: %s\n", label);
	return 0;
}

static int perf_open(pid_t pid)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_TASK_CLOCK,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	uint64_t count;
	long fd;

	fd = syscall(SYS_perf_event_open, &attr, pid, -1, -1, 0);
	if (fd < 0)
		return fail("perf_event_open");
	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return fail("read");
	printf("perf: ok\n");
	return 0;
}

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int bpf_map(void)
{
	union bpf_attr attr;
	struct bpf_map_info info;
	long fd, again;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 1;
	fd = bpf(BPF_MAP_CREATE, &attr);
	if (fd < 0)
		return fail("map create");
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)&info;
	if (bpf(BPF_OBJ_GET_INFO_BY_FD, &attr))
		return fail("map info");
	memset(&attr, 0, sizeof(attr));
	attr.map_id = info.id;
	again = bpf(BPF_MAP_GET_FD_BY_ID, &attr);
	if (again < 0)
		return fail("map by id");
	printf("map: ok\n");
	return 0;
}

static int do_mount(const char *type, const char *dir, const char *options,
		    int remount)
{
	if (mount("none", dir, type, remount ? MS_REMOUNT : 0, options) < 0)
		return fail(remount ? "remount" : "mount");
	printf("mount: ok\n");
	return 0;
}

static int do_fsmount(const char *type, const char *dir, char **options,
		      int count)
{
	int fs, mnt, i;

	fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0)
		return fail("fsopen");
	for (i = 0; i < count; i++) {
		char *value = strchr(options[i], '=');

		if (value)
			*value++ = '\0';
		if (fsconfig(fs, FSCONFIG_SET_STRING, options[i], value, 0) < 0)
			return fail("fsconfig");
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fail("fsconfig create");
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		return fail("fsmount");
	if (move_mount(mnt, "", AT_FDCWD, dir, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return fail("move_mount");
	printf("mount: ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "syslog-read"))
		return syslog_read();
	if (argc >= 2 && !strcmp(argv[1], "key-add"))
		return key_add();
	if (argc >= 3 && !strcmp(argv[1], "perf-open"))
		return perf_open(atoi(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "bpf-map"))
		return bpf_map();
	if (argc >= 5 && !strcmp(argv[1], "mount"))
		return do_mount(argv[2], argv[3], argv[4],
				argc >= 6 && !strcmp(argv[5], "remount"));
	if (argc >= 4 && !strcmp(argv[1], "fsmount"))
		return do_fsmount(argv[2], argv[3], argv + 4, argc - 4);
	fprintf(stderr, "usage: see the comment at the top of service-probe.c\n");
	return 2;
}
