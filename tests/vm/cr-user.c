// SPDX-License-Identifier: GPL-2.0
/*
 * cr-user UID COMMAND [ARGS...]: run COMMAND as UID (group UID, no
 * supplementary groups) holding only CAP_CHECKPOINT_RESTORE, as an ambient
 * capability so that it survives exec of a binary without file
 * capabilities. The bounding set is left full (CRIU's restorer wants it).
 * The caller must be root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void fail(const char *what)
{
	fprintf(stderr, "cr-user: %s: %s\n", what, strerror(errno));
	exit(126);
}

int main(int argc, char **argv)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	const int cap = CAP_CHECKPOINT_RESTORE;
	char *end;
	unsigned long id;

	if (argc < 3) {
		fprintf(stderr, "usage: cr-user UID COMMAND [ARGS...]\n");
		return 2;
	}
	errno = 0;
	id = strtoul(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || id == 0 || id > 65535) {
		fprintf(stderr, "cr-user: bad uid %s\n", argv[1]);
		return 2;
	}

	/* Keep the permitted set across the change of uid. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		fail("PR_SET_KEEPCAPS");
	if (setgroups(0, NULL))
		fail("setgroups");
	if (setresgid(id, id, id))
		fail("setresgid");
	if (setresuid(id, id, id))
		fail("setresuid");

	/* Only the one capability: permitted, effective and inheritable. */
	data[CAP_TO_INDEX(cap)].permitted = CAP_TO_MASK(cap);
	data[CAP_TO_INDEX(cap)].effective = CAP_TO_MASK(cap);
	data[CAP_TO_INDEX(cap)].inheritable = CAP_TO_MASK(cap);
	if (syscall(SYS_capset, &hdr, data))
		fail("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0))
		fail("PR_CAP_AMBIENT_RAISE");

	execvp(argv[2], argv + 2);
	fail(argv[2]);
}
