// SPDX-License-Identifier: GPL-2.0
/*
 * lsm-bench: the cost of a few system calls that go through LSM hooks, in
 * guest instructions per operation.
 *
 * Run in a QEMU TCG guest with "-icount shift=0" on one vCPU: guest time
 * then advances one nanosecond per guest instruction, so the nanoseconds
 * per operation that a clock_gettime() loop measures are instructions per
 * operation, the same from one boot to the next whatever the host does.
 *
 *   lsm-bench [-s PERCENT] [-r ROUNDS] [-u] DIR
 *
 * DIR is a tmpfs directory to work in; /bench/true must be a tiny static
 * program that exits 0 (for the exec benchmark). Each operation is run
 * once to warm the caches, then ROUNDS times (default 5) for its number of
 * iterations scaled by PERCENT (default 100). -u leaves the slab caches
 * as the boot left them (see pin_slab_objects()). One line per operation:
 *
 *   op NAME median MEDIAN min MIN max MAX iterations N
 *
 * in instructions (nanoseconds) per operation. Exits 1 if an operation
 * fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MAX_ROUNDS 15
#define PINNED 32
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TRUE_PROGRAM "/bench/true"

static char file_path[256];
static char map_files_path[256];
static int file_fd;

static pid_t pinners[PINNED];

static void fail(const char *what)
{
	fprintf(stderr, "lsm-bench: %s: %s\n", what,
		errno ? strerror(errno) : "failed");
	exit(1);
}

static int op_getpid(void)
{
	return syscall(SYS_getpid) > 0 ? 0 : -1;
}

static int op_open_close_tmpfs(void)
{
	int fd = open(file_path, O_RDONLY);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int op_stat_tmpfs(void)
{
	struct stat st;

	return stat(file_path, &st);
}

static int op_pread_tmpfs(void)
{
	char c;

	return pread(file_fd, &c, 1, 0) == 1 ? 0 : -1;
}

static int op_open_close_map_files(void)
{
	int fd = open(map_files_path, O_RDONLY);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int op_fork_wait(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int op_fork_exec_wait(void)
{
	static char *const argv[] = { TRUE_PROGRAM, NULL };
	static char *const envp[] = { NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(TRUE_PROGRAM, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

struct bench {
	const char *name;
	int (*op)(void);
	long iterations;
};

static const struct bench benches[] = {
	{ "getpid", op_getpid, 200000 },
	{ "open+close_tmpfs", op_open_close_tmpfs, 40000 },
	{ "stat_tmpfs", op_stat_tmpfs, 50000 },
	{ "pread_tmpfs", op_pread_tmpfs, 100000 },
	{ "open+close_map_files", op_open_close_map_files, 20000 },
	{ "fork+wait", op_fork_wait, 1000 },
	{ "fork+exec+wait", op_fork_exec_wait, 300 },
};

static double now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		fail("clock_gettime");
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void run(const struct bench *b, long iterations, int rounds)
{
	double per_op[MAX_ROUNDS];
	long i;
	int r;

	/* Warm up: dentries, the access vector caches, the page cache. */
	errno = 0;
	for (i = 0; i < iterations / 10 + 1; i++)
		if (b->op())
			fail(b->name);
	for (r = 0; r < rounds; r++) {
		double start = now_ns();

		for (i = 0; i < iterations; i++)
			if (b->op())
				fail(b->name);
		per_op[r] = (now_ns() - start) / iterations;
	}
	qsort(per_op, rounds, sizeof(per_op[0]), cmp_double);
	printf("op %s median %.1f min %.1f max %.1f iterations %ld\n",
	       b->name, per_op[rounds / 2], per_op[0], per_op[rounds - 1],
	       iterations);
	fflush(stdout);
}

/* A shared mapping of a new memfd page; its /proc/self/map_files link. */
static void map_memfd(char *path, size_t size)
{
	size_t page = sysconf(_SC_PAGESIZE);
	unsigned long start;
	void *map;
	int fd;

	fd = memfd_create("lsm-bench", 0);
	if (fd < 0 || ftruncate(fd, page))
		fail("memfd");
	map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		fail("mmap");
	start = (unsigned long)map;
	snprintf(path, size, "/proc/self/map_files/%lx-%lx", start,
		 start + page);
}

static char task_state(pid_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail(path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/*
 * The test kernel is built with CONFIG_SLUB_TINY (tinyconfig): no per-CPU
 * slabs, and a slab goes back to the page allocator as soon as it is
 * empty. An operation that allocates and frees one object of a cache with
 * no partly used slab then takes a new slab from the page allocator and
 * gives it back every time, some 600 instructions more, or not, depending
 * on what the boot happened to leave allocated, which differs with lsm=.
 * So before measuring, make sure every cache the operations allocate from
 * has a partly used slab: allocate PINNED objects one after the other
 * (slabs fill in order) and free every other one. Every slab that got two
 * of them keeps one and has room.
 *
 * A child blocked opening a FIFO holds a struct filename (names_cache), a
 * struct file (filp) and its LSM blob: the objects that open, stat and the
 * map_files open allocate and free.
 */
static void pin_slab_objects(const char *dir)
{
	char fifo[256];
	int i;

	snprintf(fifo, sizeof(fifo), "%s/lsm-bench-fifo", dir);
	if (mkfifo(fifo, 0600) && errno != EEXIST)
		fail(fifo);
	for (i = 0; i < PINNED; i++) {
		pinners[i] = fork();
		if (pinners[i] < 0)
			fail("fork");
		if (pinners[i] == 0) {
			open(fifo, O_RDONLY);
			_exit(1);
		}
		/* Wait until it sleeps in open(). */
		for (;;) {
			char state = task_state(pinners[i]);

			if (state == 'S')
				break;
			if (state != 'R') {
				errno = 0;
				fail("a child opening the FIFO did not block");
			}
			usleep(1000);
		}
	}
	for (i = 0; i < PINNED; i += 2) {
		kill(pinners[i], SIGKILL);
		waitpid(pinners[i], NULL, 0);
		pinners[i] = 0;
	}
}

static void unpin_slab_objects(void)
{
	int i;

	for (i = 0; i < PINNED; i++) {
		if (pinners[i] > 0) {
			kill(pinners[i], SIGKILL);
			waitpid(pinners[i], NULL, 0);
		}
	}
}

int main(int argc, char **argv)
{
	long percent = 100;
	int rounds = 5, pin = 1;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "s:r:u")) != -1) {
		switch (opt) {
		case 'u':
			pin = 0;
			break;
		case 's':
			percent = atol(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || percent < 1 || rounds < 1 ||
	    rounds > MAX_ROUNDS)
		goto usage;

	snprintf(file_path, sizeof(file_path), "%s/lsm-bench-file",
		 argv[optind]);
	file_fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (file_fd < 0 || write(file_fd, "x", 1) != 1)
		fail(file_path);

	map_memfd(map_files_path, sizeof(map_files_path));
	if (pin)
		pin_slab_objects(argv[optind]);

	for (i = 0; i < ARRAY_SIZE(benches); i++)
		run(&benches[i], benches[i].iterations * percent / 100 + 1,
		    rounds);
	unpin_slab_objects();
	return 0;

usage:
	fprintf(stderr, "usage: lsm-bench [-s PERCENT] [-r ROUNDS] [-u] DIR\n");
	return 2;
}
