// SPDX-License-Identifier: GPL-2.0
/*
 * stack-probe: show that the LSMs stacked beside carapace do their work,
 * for the registration suite. Prints one line per step and exits 0 when
 * every step went as the LSM should make it go, 1 otherwise, 2 when the
 * LSM is not there.
 *
 *   stack-probe landlock DIR ALLOWED OTHER
 *       restrict this process with a Landlock ruleset that handles file
 *       reads and directory listing, and allows them beneath DIR only;
 *       then ALLOWED (beneath DIR) must open for reading and OTHER must
 *       fail with EACCES
 *   stack-probe ptrace PID
 *       PTRACE_ATTACH to PID, then detach; prints "ok" or the errno name
 *   stack-probe ptrace-child
 *       fork a child, then PTRACE_ATTACH to it (a relationship Yama's
 *       ptrace_scope 1 allows); prints "ok" or the errno name
 *   stack-probe as UID COMMAND [ARGS...]
 *       run COMMAND as user and group UID, without supplementary groups
 *       or capabilities (busybox's setpriv cannot change the uid)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return strerror(e);
	}
}

/* Opens PATH for reading; returns 0 or the errno. */
static int try_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int landlock_probe(const char *dir, const char *allowed, const char *other)
{
	struct landlock_ruleset_attr ruleset = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE |
				     LANDLOCK_ACCESS_FS_READ_DIR,
	};
	struct landlock_path_beneath_attr beneath = {
		.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE |
				  LANDLOCK_ACCESS_FS_READ_DIR,
	};
	int abi, rfd, e_allowed, e_other;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
		      LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) {
		printf("landlock: %s (not enabled)\n", errname(errno));
		return 2;
	}
	printf("landlock: ABI %d\n", abi);
	/* Before: both open. */
	if (try_open(allowed) || try_open(other)) {
		printf("before the ruleset: cannot open the files\n");
		return 1;
	}
	rfd = syscall(SYS_landlock_create_ruleset, &ruleset, sizeof(ruleset), 0);
	if (rfd < 0) {
		printf("landlock_create_ruleset: %s\n", errname(errno));
		return 1;
	}
	beneath.parent_fd = open(dir, O_PATH | O_CLOEXEC);
	if (beneath.parent_fd < 0 ||
	    syscall(SYS_landlock_add_rule, rfd, LANDLOCK_RULE_PATH_BENEATH,
		    &beneath, 0)) {
		printf("landlock_add_rule %s: %s\n", dir, errname(errno));
		return 1;
	}
	close(beneath.parent_fd);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_landlock_restrict_self, rfd, 0)) {
		printf("landlock_restrict_self: %s\n", errname(errno));
		return 1;
	}
	close(rfd);
	e_allowed = try_open(allowed);
	e_other = try_open(other);
	printf("%s: %s\n", allowed, e_allowed ? errname(e_allowed) : "ok");
	printf("%s: %s\n", other, e_other ? errname(e_other) : "ok");
	return e_allowed == 0 && e_other == EACCES ? 0 : 1;
}

static int attach(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL)) {
		int e = errno;

		printf("%s\n", errname(e));
		return e;
	}
	waitpid(pid, &status, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	printf("ok\n");
	return 0;
}

static int ptrace_child(void)
{
	pid_t child = fork();
	int ret;

	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		pause();
		_exit(0);
	}
	ret = attach(child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return ret ? 1 : 0;
}

static int run_as(const char *uid, char **argv)
{
	char *end;
	unsigned long id;

	errno = 0;
	id = strtoul(uid, &end, 10);
	if (errno || *end || end == uid || id == 0 || id > 65535) {
		fprintf(stderr, "stack-probe: bad uid %s\n", uid);
		return 2;
	}
	if (setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id)) {
		perror("stack-probe: changing user");
		return 126;
	}
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "landlock"))
		return landlock_probe(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "ptrace"))
		return attach(atoi(argv[2])) ? 1 : 0;
	if (argc == 2 && !strcmp(argv[1], "ptrace-child"))
		return ptrace_child();
	if (argc >= 4 && !strcmp(argv[1], "as"))
		return run_as(argv[2], argv + 3);
	fprintf(stderr, "usage: stack-probe landlock DIR ALLOWED OTHER | ptrace PID | ptrace-child | as UID COMMAND...\n");
	return 2;
}
