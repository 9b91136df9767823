// SPDX-License-Identifier: GPL-2.0
/*
 * lsm-probe: make one mediated system call and report how it went, for the
 * hook tests. Prints "ok" or "error: <errno name>" and exits 0 or 1.
 *
 *   lsm-probe getselfattr current|exec    print a carapace attribute
 *   lsm-probe setexec DOMAIN CMD [ARG...] set the exec label with
 *                                          lsm_set_self_attr(), then exec
 *   lsm-probe mmap-exec FILE              map FILE readable and executable
 *   lsm-probe mprotect-exec FILE          map FILE readable, then make the
 *                                          mapping executable
 *   lsm-probe ioctl FILE                  send TCGETS to FILE (ENOTTY when it
 *                                          reaches a regular file)
 *   lsm-probe ptrace PID                  attach to PID, then detach
 *   lsm-probe traceme                     a child asks to be traced
 *   lsm-probe listxattr PATH              print PATH's attribute names
 *   lsm-probe removexattr PATH NAME       remove attribute NAME of PATH
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#include <linux/lsm.h>

static int report(int rc)
{
	if (rc == 0) {
		puts("ok");
		return 0;
	}
	const char *name = strerrorname_np(errno);

	printf("error: %s\n", name ? name : "unknown");
	return 1;
}

static int get_self_attr(const char *name)
{
	unsigned int attr = strcmp(name, "exec") ? LSM_ATTR_CURRENT : LSM_ATTR_EXEC;
	char buf[4096];
	struct lsm_ctx *ctx = (struct lsm_ctx *)buf;
	uint32_t size = sizeof(buf);
	long n;

	n = syscall(__NR_lsm_get_self_attr, attr, ctx, &size, 0);
	if (n < 0)
		return report(-1);
	for (; n > 0; n--) {
		if (ctx->id == LSM_ID_CARAPACE) {
			printf("%.*s\n", (int)ctx->ctx_len, (const char *)ctx->ctx);
			return 0;
		}
		ctx = (struct lsm_ctx *)((char *)ctx + ctx->len);
	}
	errno = ENOENT;
	return report(-1);
}

static int set_exec(const char *domain, char **argv)
{
	size_t len = strlen(domain) + 1;
	size_t size = sizeof(struct lsm_ctx) + len;
	struct lsm_ctx *ctx = calloc(1, size);

	if (!ctx)
		return report(-1);
	ctx->id = LSM_ID_CARAPACE;
	ctx->len = size;
	ctx->ctx_len = len;
	memcpy(ctx->ctx, domain, len);
	if (syscall(__NR_lsm_set_self_attr, LSM_ATTR_EXEC, ctx, size, 0))
		return report(-1);
	execv(argv[0], argv);
	return report(-1);
}

static int mmap_exec(const char *path)
{
	int fd = open(path, O_RDONLY);
	void *p;

	if (fd < 0)
		return report(-1);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	return report(p == MAP_FAILED ? -1 : 0);
}

static int mprotect_exec(const char *path)
{
	int fd = open(path, O_RDONLY);
	void *p;

	if (fd < 0)
		return report(-1);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return report(-1);
	return report(mprotect(p, 4096, PROT_READ | PROT_EXEC));
}

static int tcgets(const char *path)
{
	struct termios t;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return report(-1);
	return report(ioctl(fd, TCGETS, &t));
}

static int trace(pid_t pid)
{
	if (ptrace(PTRACE_ATTACH, pid, 0, 0))
		return report(-1);
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	return report(0);
}

static int traceme(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return report(-1);
	if (pid == 0)
		_exit(report(ptrace(PTRACE_TRACEME, 0, 0, 0) ? -1 : 0));
	if (waitpid(pid, &status, 0) < 0)
		return report(-1);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int list_xattr(const char *path)
{
	char names[4096];
	ssize_t len = listxattr(path, names, sizeof(names));
	ssize_t i;

	if (len < 0)
		return report(-1);
	for (i = 0; i < len; i += strlen(names + i) + 1)
		puts(names + i);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "getselfattr"))
		return get_self_attr(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "setexec"))
		return set_exec(argv[2], argv + 3);
	if (argc >= 3 && !strcmp(argv[1], "mmap-exec"))
		return mmap_exec(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "mprotect-exec"))
		return mprotect_exec(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "ioctl"))
		return tcgets(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "ptrace"))
		return trace(atoi(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "traceme"))
		return traceme();
	if (argc >= 3 && !strcmp(argv[1], "listxattr"))
		return list_xattr(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "removexattr"))
		return report(removexattr(argv[2], argv[3]));
	fprintf(stderr, "usage: see the comment at the top of lsm-probe.c\n");
	return 2;
}
