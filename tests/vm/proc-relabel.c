// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged process can do to remembered decisions by making
 * /proc inodes change label, as fast as it can.
 *
 *   proc-relabel forge FILE EXE FDS CYCLES
 *	Prints its pid, reads FILE once (the grant is remembered by its
 *	inode), then waits
 *	until a read of it is refused (an administrator relabels it). Then,
 *	CYCLES times: forks a child that dups a descriptor FDS times, looks
 *	up /proc/CHILD/fd/N for each, lets the child exec EXE (a transition
 *	to another domain), and looks each up again, which relabels each
 *	/proc inode to the child's new domain; after every lookup it retries
 *	the read, which must stay refused. Prints "lookups L refused R
 *	regained G seconds S (N lookups/s)" and fails if a read came back. With CYCLES 0
 *	it goes on until SIGTERM, which ends it after the current cycle.
 *
 *   proc-relabel reads FILE COUNT
 *	Reads FILE COUNT times through one descriptor: the remembered
 *	decision of its inode answers each read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FIRST_FD 16

static unsigned long lookups, refused, regained;

/* Whether a SIGTERM (blocked) is pending. */
static int stopped(void)
{
	sigset_t pending;

	return !sigpending(&pending) && sigismember(&pending, SIGTERM);
}

static void die(const char *what)
{
	printf("error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int readable(int fd)
{
	char c;

	return pread(fd, &c, 1, 0) >= 0;
}

/* One faccessat2(F_OK, AT_SYMLINK_NOFOLLOW) of /proc/PID/fd/FD. */
static void lookup(pid_t pid, int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	if (syscall(SYS_faccessat2, AT_FDCWD, path, F_OK, AT_SYMLINK_NOFOLLOW))
		die(path);
	lookups++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A child with FDS copies of one descriptor, which execs EXE on a byte. */
static pid_t spawn(const char *exe, int fds, int *go)
{
	int ready[2], start[2], i;
	pid_t pid;
	char c;

	if (pipe(ready) || pipe2(start, O_CLOEXEC))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int src = open(exe, O_RDONLY);

		if (src < 0)
			_exit(1);
		for (i = 0; i < fds; i++)
			if (dup2(src, FIRST_FD + i) < 0)
				_exit(1);
		close(ready[0]);
		close(ready[1]);
		if (read(start[0], &c, 1) != 1)
			_exit(1);
		execl(exe, "sleep", "1000", (char *)NULL);
		_exit(1);
	}
	close(ready[1]);
	close(start[0]);
	/* EOF once the child made its copies. */
	if (read(ready[0], &c, 1) != 0)
		die("child setup");
	close(ready[0]);
	*go = start[1];
	return pid;
}

/* Waits until the child's exec closed its end of the pipe. */
static void wait_exec(pid_t pid, int go)
{
	char attr[64], dom[64] = "", self[64] = "";
	int fd, tries;

	if (write(go, "x", 1) != 1)
		die("start child");
	close(go);
	fd = open("/proc/self/attr/carapace/current", O_RDONLY);
	if (fd < 0 || read(fd, self, sizeof(self) - 1) < 0)
		die("own domain");
	close(fd);
	snprintf(attr, sizeof(attr), "/proc/%d/attr/carapace/current", pid);
	for (tries = 0; tries < 1000; tries++) {
		memset(dom, 0, sizeof(dom));
		fd = open(attr, O_RDONLY);
		if (fd >= 0) {
			if (read(fd, dom, sizeof(dom) - 1) < 0)
				dom[0] = 0;
			close(fd);
		}
		if (dom[0] && strcmp(dom, self))
			return;
		usleep(1000);
	}
	errno = ETIMEDOUT;
	die("child exec");
}

static int forge(const char *file, const char *exe, int fds, long cycles)
{
	double start, elapsed;
	long cycle;
	int fd, i, go;

	printf("pid %d\n", getpid());
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(file);
	if (!readable(fd))
		die("first read");
	printf("read 0: ok\n");
	fflush(stdout);
	/* The administrator relabels the file. */
	for (i = 0; readable(fd); i++) {
		if (i == 3000) {
			errno = ETIMEDOUT;
			die("relabel");
		}
		usleep(10000);
	}
	printf("read 1: refused\n");
	fflush(stdout);
	start = now();
	for (cycle = 0; !stopped() && (cycles == 0 || cycle < cycles); cycle++) {
		pid_t pid = spawn(exe, fds, &go);

		for (i = 0; i < fds; i++)
			lookup(pid, FIRST_FD + i);
		wait_exec(pid, go);
		for (i = 0; i < fds; i++) {
			lookup(pid, FIRST_FD + i);
			if (readable(fd))
				regained++;
			else if (errno == EACCES)
				refused++;
			else
				die("read");
		}
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	elapsed = now() - start;
	printf("lookups %lu refused %lu regained %lu seconds %.3f (%.0f lookups/s)\n",
	       lookups, refused, regained, elapsed, lookups / elapsed);
	return regained ? 1 : 0;
}

static int read_many(const char *file, long count)
{
	long i;
	int fd;

	fd = open(file, O_RDONLY);
	if (fd < 0)
		die(file);
	for (i = 0; i < count; i++)
		if (!readable(fd))
			die("read");
	printf("reads %ld\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t term;

	/* Polled by forge(), between cycles. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	if (argc == 6 && !strcmp(argv[1], "forge"))
		return forge(argv[2], argv[3], atoi(argv[4]), atol(argv[5]));
	if (argc == 4 && !strcmp(argv[1], "reads"))
		return read_many(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: %s forge FILE EXE FDS CYCLES | reads FILE COUNT\n",
		argv[0]);
	return 2;
}
