// SPDX-License-Identifier: GPL-2.0
/*
 * lsm-probe: make one mediated system call and report how it went, for the
 * hook tests. Prints "ok" or "error: <errno name>" and exits 0 or 1.
 *
 *   lsm-probe getselfattr current|exec    print a carapace attribute
 *   lsm-probe setexec DOMAIN CMD [ARG...] set the exec label with
 *                                          lsm_set_self_attr(), then exec
 *   lsm-probe setcurrent HOW DOMAIN       enter DOMAIN without an exec, by
 *                                          HOW: "proc" (/proc/self/attr/
 *                                          carapace/current), "generic"
 *                                          (/proc/self/attr/current),
 *                                          "syscall" (lsm_set_self_attr()),
 *                                          "threaded" (the first, with a
 *                                          second thread running) or
 *                                          "traced" (the first, in a child
 *                                          this task traces); prints the
 *                                          domain read back
 *   lsm-probe scm-send FILE DOMAIN        pass a descriptor of FILE over
 *                                          SCM_RIGHTS to a child that runs
 *                                          "scm-recv" in DOMAIN ("-": this
 *                                          domain)
 *   lsm-probe scm-recv SOCKFD             receive a descriptor on SOCKFD
 *                                          and print what it reads
 *   lsm-probe mmap-exec FILE              map FILE readable and executable
 *   lsm-probe mprotect-exec FILE          map FILE readable, then make the
 *                                          mapping executable
 *   lsm-probe ioctl FILE                  send TCGETS to FILE (ENOTTY when it
 *                                          reaches a regular file)
 *   lsm-probe ptrace PID                  attach to PID, then detach
 *   lsm-probe traceme                     a child asks to be traced
 *   lsm-probe listxattr PATH              print PATH's attribute names
 *   lsm-probe removexattr PATH NAME       remove attribute NAME of PATH
 *   lsm-probe getxattr PATH NAME          print attribute NAME of PATH
 *   lsm-probe clear-append FILE           open FILE O_APPEND, then clear
 *                                          O_APPEND with F_SETFL
 *   lsm-probe append FILE TEXT            append TEXT to FILE (O_APPEND)
 *   lsm-probe flock FILE                  take a shared flock() on FILE
 *   lsm-probe sigio PID SIG               have PID sent signal SIG on I/O
 *                                          of a pipe (F_SETOWN, F_SETSIG)
 *   lsm-probe traceme-exec DOMAIN CMD...  a traced child enters DOMAIN by
 *                                          executing CMD; prints "ok" when
 *                                          the exec succeeded
 *   lsm-probe nnp CMD [ARG...]            set no_new_privs, then exec CMD
 *   lsm-probe read-fd FD                  print what descriptor FD reads
 *   lsm-probe reread FILE N               open FILE, print "pid PID", then
 *                                          read it N times through the same
 *                                          descriptor, waiting for SIGUSR1
 *                                          before each read but the first;
 *                                          prints "read I: ok" or
 *                                          "read I: error: <errno name>"
 *   lsm-probe nofile                      print the soft RLIMIT_NOFILE
 *   lsm-probe getpgid PID | getsid PID | capget PID
 *                                          the call on PID
 *   lsm-probe exec-anon                   map anonymous memory executable
 *   lsm-probe exec-heap | exec-stack      make the heap or the stack
 *                                          executable with mprotect()
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/lsm.h>
#include <pthread.h>
#include <signal.h>

static int report(int rc)
{
	const char *name = strerrorname_np(errno);

	/* Flushed: a child reports before _exit(). */
	if (rc == 0)
		puts("ok");
	else
		printf("error: %s\n", name ? name : "unknown");
	fflush(stdout);
	return rc == 0 ? 0 : 1;
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


/* lsm_set_self_attr(ATTR) with carapace's DOMAIN. */
static int set_self_attr(unsigned int attr, const char *domain)
{
	size_t len = strlen(domain) + 1;
	size_t size = sizeof(struct lsm_ctx) + len;
	struct lsm_ctx *ctx = calloc(1, size);
	int rc;

	if (!ctx)
		return -1;
	ctx->id = LSM_ID_CARAPACE;
	ctx->len = size;
	ctx->ctx_len = len;
	memcpy(ctx->ctx, domain, len);
	rc = syscall(__NR_lsm_set_self_attr, attr, ctx, size, 0);
	free(ctx);
	return rc;
}

static int write_attr(const char *path, const char *domain)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, domain, strlen(domain));
	close(fd);
	return n < 0 ? -1 : 0;
}

static void *idle_thread(void *arg)
{
	pause();
	return arg;
}

static int set_current(const char *how, const char *domain)
{
	const char *own = "/proc/self/attr/carapace/current";
	char now[256] = "";
	pthread_t thread;
	int rc, fd;

	if (!strcmp(how, "traced")) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return report(-1);
		if (pid == 0) {
			if (ptrace(PTRACE_TRACEME, 0, 0, 0))
				_exit(report(-1));
			_exit(set_current("proc", domain));
		}
		if (waitpid(pid, &status, 0) < 0)
			return report(-1);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	if (!strcmp(how, "syscall")) {
		rc = set_self_attr(LSM_ATTR_CURRENT, domain);
	} else if (!strcmp(how, "generic")) {
		rc = write_attr("/proc/self/attr/current", domain);
	} else if (!strcmp(how, "threaded")) {
		errno = pthread_create(&thread, NULL, idle_thread, NULL);
		rc = errno ? -1 : write_attr(own, domain);
	} else {
		rc = write_attr(own, domain);
	}
	if (rc)
		return report(rc);
	fd = open(own, O_RDONLY);
	if (fd < 0 || read(fd, now, sizeof(now) - 1) < 0)
		return report(-1);
	close(fd);
	now[strcspn(now, "\n")] = 0;
	puts(now);
	/* Flushed: a traced child reports before _exit(). */
	fflush(stdout);
	return 0;
}

static int set_exec(const char *domain, char **argv)
{
	if (set_self_attr(LSM_ATTR_EXEC, domain))
		return report(-1);
	execv(argv[0], argv);
	return report(-1);
}

static int scm_send(const char *path, const char *domain)
{
	char sockfd[16], *argv[] = { "/bin/lsm-probe", "scm-recv", sockfd, NULL };
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	int sv[2], fd, status;
	pid_t pid;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return report(-1);
	pid = fork();
	if (pid < 0)
		return report(-1);
	if (pid == 0) {
		close(sv[0]);
		snprintf(sockfd, sizeof(sockfd), "%d", sv[1]);
		if (strcmp(domain, "-") && set_self_attr(LSM_ATTR_EXEC, domain))
			_exit(report(-1));
		execv(argv[0], argv);
		_exit(report(-1));
	}
	close(sv[1]);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	if (sendmsg(sv[0], &msg, 0) < 0) {
		/* The child would wait for the message forever. */
		int err = errno;

		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		errno = err;
		return report(-1);
	}
	if (waitpid(pid, &status, 0) < 0)
		return report(-1);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int scm_recv(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], data, buf[256];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd;

	if (recvmsg(sock, &msg, 0) < 0)
		return report(-1);
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS) {
		puts(msg.msg_flags & MSG_CTRUNC ? "no descriptor (truncated)" : "no descriptor");
		return 1;
	}
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return report(-1);
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	printf("received: %s\n", buf);
	return 0;
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

static int get_xattr(const char *path, const char *name)
{
	char value[256];
	ssize_t len = getxattr(path, name, value, sizeof(value));

	if (len < 0)
		return report(-1);
	printf("%.*s\n", (int)len, value);
	return 0;
}

static int clear_append(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	if (fd < 0)
		return report(-1);
	return report(fcntl(fd, F_SETFL, 0));
}

static int append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	ssize_t len = strlen(text);

	if (fd < 0)
		return report(-1);
	return report(write(fd, text, len) == len ? 0 : -1);
}

static int lock(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return report(-1);
	return report(flock(fd, LOCK_SH));
}

/* Ask for signal @sig to @pid on I/O of a pipe, then make I/O happen. */
static int sigio(pid_t pid, int sig)
{
	int p[2];

	if (pipe(p) || fcntl(p[0], F_SETOWN, pid) || fcntl(p[0], F_SETSIG, sig) ||
	    fcntl(p[0], F_SETFL, O_ASYNC) || write(p[1], "x", 1) != 1)
		return report(-1);
	return report(0);
}

static int traceme_exec(const char *domain, char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return report(-1);
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(report(-1));
		/* Prints the error and exits 1 when the exec fails. */
		_exit(set_exec(domain, argv));
	}
	if (waitpid(pid, &status, 0) < 0)
		return report(-1);
	if (WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP) {
		/* Stopped after a successful exec: end it. */
		kill(pid, SIGKILL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
		waitpid(pid, &status, 0);
		return report(0);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int read_fd(int fd)
{
	char buf[256];
	ssize_t len = read(fd, buf, sizeof(buf));

	if (len < 0)
		return report(-1);
	printf("%.*s", (int)len, buf);
	return 0;
}

static int reread(const char *path, int times)
{
	sigset_t usr1;
	char c;
	int fd, i, sig;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &usr1, NULL))
		return report(-1);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return report(-1);
	printf("pid %d\n", getpid());
	fflush(stdout);
	for (i = 0; i < times; i++) {
		if (i > 0 && sigwait(&usr1, &sig))
			return report(-1);
		printf("read %d: ", i);
		report(pread(fd, &c, 1, 0) == 1 ? 0 : -1);
	}
	return 0;
}

static int cap_get(pid_t pid)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, pid };
	struct __user_cap_data_struct data[2];

	return report(syscall(SYS_capget, &hdr, data) ? -1 : 0);
}

static int exec_anon(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return report(p == MAP_FAILED ? -1 : 0);
}

static int exec_heap(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = sbrk(2 * page);

	if (p == (void *)-1)
		return report(-1);
	p = (char *)(((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1));
	return report(mprotect(p, page, PROT_READ | PROT_WRITE | PROT_EXEC));
}

static int exec_stack(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char here;
	uintptr_t p = (uintptr_t)&here & ~(uintptr_t)(page - 1);

	return report(mprotect((void *)p, page, PROT_READ | PROT_WRITE | PROT_EXEC));
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "getselfattr"))
		return get_self_attr(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "setexec"))
		return set_exec(argv[2], argv + 3);
	if (argc >= 4 && !strcmp(argv[1], "scm-send"))
		return scm_send(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "scm-recv"))
		return scm_recv(atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "setcurrent"))
		return set_current(argv[2], argv[3]);
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
	if (argc >= 4 && !strcmp(argv[1], "getxattr"))
		return get_xattr(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "clear-append"))
		return clear_append(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "append"))
		return append(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "flock"))
		return lock(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "sigio"))
		return sigio(atoi(argv[2]), atoi(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "traceme-exec"))
		return traceme_exec(argv[2], argv + 3);
	if (argc >= 3 && !strcmp(argv[1], "nnp")) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			return report(-1);
		execv(argv[2], argv + 2);
		return report(-1);
	}
	if (argc >= 3 && !strcmp(argv[1], "read-fd"))
		return read_fd(atoi(argv[2]));
	if (argc >= 4 && !strcmp(argv[1], "reread"))
		return reread(argv[2], atoi(argv[3]));
	if (argc >= 2 && !strcmp(argv[1], "nofile")) {
		struct rlimit limit;

		if (getrlimit(RLIMIT_NOFILE, &limit))
			return report(-1);
		printf("%lu\n", (unsigned long)limit.rlim_cur);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "getpgid"))
		return report(getpgid(atoi(argv[2])) < 0 ? -1 : 0);
	if (argc >= 3 && !strcmp(argv[1], "getsid"))
		return report(getsid(atoi(argv[2])) < 0 ? -1 : 0);
	if (argc >= 3 && !strcmp(argv[1], "capget"))
		return cap_get(atoi(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "exec-anon"))
		return exec_anon();
	if (argc >= 2 && !strcmp(argv[1], "exec-heap"))
		return exec_heap();
	if (argc >= 2 && !strcmp(argv[1], "exec-stack"))
		return exec_stack();
	fprintf(stderr, "usage: see the comment at the top of lsm-probe.c\n");
	return 2;
}
