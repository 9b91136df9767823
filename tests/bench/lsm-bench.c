// SPDX-License-Identifier: GPL-2.0
/*
 * lsm-bench: the cost of a few system calls that go through LSM hooks, in
 * guest instructions per operation.
 *
 * Run in a QEMU TCG guest with "-icount shift=0": guest time then
 * advances one nanosecond per guest instruction, so the nanoseconds per
 * operation that a clock_gettime() loop measures are instructions per
 * operation, the same from one boot to the next whatever the host does.
 * With several vCPUs, QEMU runs them in turn and the clock counts the
 * instructions of all of them: pin lsm-bench to one (-c) and let the
 * others idle.
 *
 *   lsm-bench [-c CPU] [-d TYPE] [-s PERCENT] [-r ROUNDS] [-u] [-o OPS] DIR
 *
 * DIR is a tmpfs directory to work in; /bench/true must be a tiny static
 * program that exits 0 (for the exec benchmark). -c runs lsm-bench and
 * its children on CPU only; -d fails unless lsm-bench runs in the domain
 * TYPE (/proc/self/attr/current). Each operation is run for a tenth of
 * its iterations to warm the caches, then ROUNDS times (default 5) for
 * its number of iterations scaled by PERCENT (default 100); before each
 * round the deferred work of the previous one is let run (settle()) and
 * the process rows start again from the same PID (set_pids()). -u leaves
 * the slab caches as the boot left them (see pin_slab_objects()). -o runs
 * only the operations named in OPS, separated by colons (to profile them:
 * scripts/bench-kernel.sh --profile). One line per operation:
 *
 *   op NAME median MEDIAN min MIN max MAX iterations N
 *
 * in instructions (nanoseconds) per operation. Exits 1 if an operation
 * fails.
 *
 * The operations: getpid (no hook: the floor), open+close of a tmpfs
 * file, stat of it, pread of one byte of it, mmap+mprotect of it (see
 * op_mmap_mprotect_tmpfs()), open+close of the /proc/self/map_files link
 * of a memfd mapping (CAP_CHECKPOINT_RESTORE), fork then wait for the
 * child, which exits at once, clone3 with set_tid then wait (see
 * op_clone3_set_tid_wait()), fork, exec of /bench/true, wait, and a
 * tmpfs mounted on a directory of DIR and unmounted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/membarrier.h>
#include <linux/sched.h>

#define MAX_ROUNDS 15
#define PINNED 32
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TRUE_PROGRAM "/bench/true"
#define PID_BASE 10000

static char file_path[256];
static char map_files_path[256];
static int file_fd;
static size_t page_size;

/* The PID the next clone3_set_tid+wait child asks for. */
static pid_t next_tid;
static int ns_last_pid_fd;

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

/*
 * mmap+mprotect: a private read-only mapping of one page of the tmpfs
 * file, made writable by mprotect(), then unmapped. It goes through
 * mmap_file (carapace: map and read of the file; SELinux the same, and
 * mmap_addr, which checks nothing above mmap_min_addr) and file_mprotect
 * (read of the file: a private mapping does not write its file; so
 * write is not checked, in either LSM). A file mapping rather than an
 * anonymous one, so that both hooks check the file's type, not only the
 * process (for anonymous memory they check only execmem, and only for
 * PROT_EXEC); private and made writable as a library's data or a
 * copy-on-write file view is. Making it writable charges the mapping to
 * the commit limit, which goes through SELinux's vm_enough_memory hook
 * (a capability check, sys_admin, unaudited); carapace has none. Its
 * rounds are 80,000 iterations long: shorter ones vary by some 3%, with
 * how many RCU callbacks (the VMAs munmap frees) fall in each.
 */
static int op_mmap_mprotect_tmpfs(void)
{
	void *map = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE, file_fd, 0);

	if (map == MAP_FAILED)
		return -1;
	if (mprotect(map, page_size, PROT_READ | PROT_WRITE)) {
		munmap(map, page_size);
		return -1;
	}
	return munmap(map, page_size);
}

/*
 * clone3() with set_tid, as a checkpoint/restore tool restores a process
 * with its PID (needs CAP_CHECKPOINT_RESTORE: capability2
 * checkpoint_restore in both LSMs); the child exits at once and is
 * waited for. Each child asks for the PID after the previous one's, from
 * PID_BASE + 1 on in each round (set_pids()), as fork's children get
 * them; one that is taken (EEXIST: a kernel thread got it) is skipped.
 */
static int op_clone3_set_tid_wait(void)
{
	pid_t tid, pid;
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (unsigned long)&tid,
		.set_tid_size = 1,
	};
	int status, tries;

	for (tries = 0; tries < 1000; tries++) {
		tid = next_tid++;
		pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			break;
		if (errno != EEXIST)
			return -1;
	}
	if (pid != tid || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * The PIDs a process row's children get: from PID_BASE + 1 on in every
 * round. What fork, exit and wait cost depends on the PID (the IDR that
 * maps PIDs to tasks has one more level from 4096 on), and without this
 * the PIDs a row gets depend on how many processes the boot and the
 * rows before started (and where the numbers wrap at pid_max), which
 * moves fork+wait by more than 1% between rows and boots.
 * /proc/sys/kernel/ns_last_pid sets where fork's numbers go on
 * (CAP_CHECKPOINT_RESTORE); clone3_set_tid+wait asks for them itself.
 */
static void set_pids(void)
{
	char text[16];
	int n = snprintf(text, sizeof(text), "%d", PID_BASE);

	if (pwrite(ns_last_pid_fd, text, n, 0) != n)
		fail("/proc/sys/kernel/ns_last_pid");
	next_tid = PID_BASE + 1;
}

/*
 * Sockets and System V IPC: a datagram over a Unix socket pair, a Unix
 * stream connection accepted on a listener (abstract address, so that no
 * file is looked up), a UDP datagram to a port of the loopback device
 * nobody listens on (sent, then dropped), and attaching and detaching a
 * shared memory segment. The listener, the UDP socket's address and the
 * segment are made once (setup_sockets()). Each of these rows frees
 * objects through RCU (sockets, the segment's VMA and its maple tree
 * nodes), so, as for mmap+mprotect, how many callbacks fall in a round
 * moves its average: their rounds are long enough (40,000 to 80,000
 * iterations) that the rounds of one boot stay within about 1% of each
 * other (shmat+shmdt 0.6%); at 10,000 to 20,000 those of shmat+shmdt
 * spread over 4%.
 */
static int listener = -1, udp_fd = -1, shm_id = -1;
static struct sockaddr_un listen_addr;
static struct sockaddr_in udp_addr;

static int op_socketpair_send_recv(void)
{
	int sv[2], rc = -1;
	char c = 'x';

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return -1;
	if (send(sv[0], &c, 1, 0) == 1 && recv(sv[1], &c, 1, 0) == 1)
		rc = 0;
	close(sv[0]);
	close(sv[1]);
	return rc;
}

static int op_unix_connect_accept(void)
{
	int c = socket(AF_UNIX, SOCK_STREAM, 0), a = -1, rc = -1;

	if (c < 0)
		return -1;
	if (!connect(c, (struct sockaddr *)&listen_addr,
		     offsetof(struct sockaddr_un, sun_path) + 1 + strlen(listen_addr.sun_path + 1))) {
		a = accept(listener, NULL, NULL);
		rc = a < 0 ? -1 : 0;
	}
	if (a >= 0)
		close(a);
	close(c);
	return rc;
}

static int op_udp_sendto_loopback(void)
{
	char c = 'x';

	return sendto(udp_fd, &c, 1, 0, (struct sockaddr *)&udp_addr,
		      sizeof(udp_addr)) == 1 ? 0 : -1;
}

static int op_shmat_shmdt(void)
{
	void *p = shmat(shm_id, NULL, 0);

	if (p == (void *)-1)
		return -1;
	return shmdt(p);
}

/* mount+umount: a new tmpfs on a directory of DIR, unmounted at once. */
static char mount_path[256];

static int op_mount_umount_tmpfs(void)
{
	if (mount("none", mount_path, "tmpfs", 0, NULL))
		return -1;
	return umount(mount_path);
}

static void setup_sockets(void)
{
	socklen_t len;

	if (listener >= 0)
		return;
	memset(&listen_addr, 0, sizeof(listen_addr));
	listen_addr.sun_family = AF_UNIX;
	/* Abstract: sun_path[0] is 0. */
	snprintf(listen_addr.sun_path + 1, sizeof(listen_addr.sun_path) - 1, "lsm-bench-%d", getpid());
	len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(listen_addr.sun_path + 1);
	listener = socket(AF_UNIX, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&listen_addr, len) ||
	    listen(listener, 16))
		fail("unix listener");
	udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (udp_fd < 0)
		fail("udp socket");
	udp_addr.sin_family = AF_INET;
	udp_addr.sin_port = htons(9);	/* discard: nobody listens */
	udp_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	shm_id = shmget(IPC_PRIVATE, page_size, IPC_CREAT | 0600);
	if (shm_id < 0)
		fail("shmget");
}

struct bench {
	const char *name;
	int (*op)(void);
	long iterations;
	void (*setup)(void);	/* before the warm-up and each round */
};

static const struct bench benches[] = {
	{ "getpid", op_getpid, 200000 },
	{ "open+close_tmpfs", op_open_close_tmpfs, 40000 },
	{ "stat_tmpfs", op_stat_tmpfs, 50000 },
	{ "pread_tmpfs", op_pread_tmpfs, 100000 },
	{ "mmap+mprotect_tmpfs", op_mmap_mprotect_tmpfs, 80000 },
	{ "open+close_map_files", op_open_close_map_files, 20000 },
	{ "socketpair+send+recv", op_socketpair_send_recv, 40000, setup_sockets },
	{ "unix_connect+accept", op_unix_connect_accept, 40000, setup_sockets },
	{ "udp_sendto_loopback", op_udp_sendto_loopback, 40000, setup_sockets },
	{ "shmat+shmdt", op_shmat_shmdt, 80000, setup_sockets },
	{ "mount+umount_tmpfs", op_mount_umount_tmpfs, 5000 },
	{ "fork+wait", op_fork_wait, 1000, set_pids },
	{ "clone3_set_tid+wait", op_clone3_set_tid_wait, 1000, set_pids },
	{ "fork+exec+wait", op_fork_exec_wait, 300, set_pids },
};

/*
 * Writes out what was printed and, on a serial port, waits until it is
 * sent, so that the port's interrupts do not fall in a measurement.
 */
static void flush_output(void)
{
	fflush(stdout);
	if (isatty(STDOUT_FILENO))
		tcdrain(STDOUT_FILENO);
}

static double now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		fail("clock_gettime");
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * Lets the kernel finish what the operations before left for later, so
 * that it does not fall in the round about to start: an RCU grace period
 * (membarrier's global command waits for one), then a sleep, in which
 * the callbacks queued before it run (the VMAs and maple tree nodes
 * munmap frees, the tasks that exited). The round then starts on a timer
 * tick. It narrows the spread of the rounds of the process rows and of
 * open+close_map_files from about 1% to a few tenths.
 */
static void settle(void)
{
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		fail("membarrier");
	usleep(20000);
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

	errno = 0;
	if (b->setup)
		b->setup();
	/* Warm up: dentries, the access vector caches, the page cache. */
	for (i = 0; i < iterations / 10 + 1; i++)
		if (b->op())
			fail(b->name);
	for (r = 0; r < rounds; r++) {
		double start;

		if (b->setup)
			b->setup();
		settle();
		start = now_ns();

		for (i = 0; i < iterations; i++)
			if (b->op())
				fail(b->name);
		per_op[r] = (now_ns() - start) / iterations;
	}
	qsort(per_op, rounds, sizeof(per_op[0]), cmp_double);
	printf("op %s median %.1f min %.1f max %.1f iterations %ld\n",
	       b->name, per_op[rounds / 2], per_op[0], per_op[rounds - 1],
	       iterations);
	flush_output();
}

/* A shared mapping of a new memfd page; its /proc/self/map_files link. */
static void map_memfd(char *path, size_t size)
{
	size_t page = page_size;
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
 * The operations allocate and free kernel objects; what that costs
 * depends on the state of the slab caches they come from: whether the
 * CPU's slab has a free object, whether a partly used slab is at hand,
 * or a new one must come from the page allocator. That state is what
 * the boot left, and it differs with lsm= (each LSM allocates its own
 * objects at boot, and its blobs beside the kernel's).
 *
 * So before measuring, bring the caches the operations use to one state
 * in every boot: fork PINNED children one after the other, each blocked
 * opening a FIFO, holding what a process holds (task_struct, mm, cred,
 * pid, files, signal and their LSM blobs) and a struct filename
 * (names_cache) and a struct file (filp) half opened; then end every
 * other one. Every slab that got two of them keeps one and has room.
 *
 * This was written for SLUB_TINY (no per-CPU slabs, a slab freed as soon
 * as it is empty), where an open+close or stat cost some 600
 * instructions more in some boots than in others without it. With SLUB
 * and its per-CPU slabs and partial lists, the file rows are the same
 * with it or without it (to 0.03%), but the process rows (fork+wait,
 * clone3_set_tid+wait, fork+exec+wait) move by up to 1% without it, and
 * by different amounts with each LSM, which is as much as the LSMs add to
 * them: it stays.
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

/*
 * The domain lsm-bench runs in, from /proc/self/attr/current (the type is
 * the whole label in carapace, the third field of an SELinux context):
 * fails unless it is @type.
 */
static void check_domain(const char *type)
{
	char label[256], *t;
	ssize_t n;
	int fd, i;

	fd = open("/proc/self/attr/current", O_RDONLY);
	if (fd < 0)
		fail("/proc/self/attr/current");
	n = read(fd, label, sizeof(label) - 1);
	if (n < 0)
		fail("/proc/self/attr/current");
	close(fd);
	while (n > 0 && (label[n - 1] == '\n' || label[n - 1] == 0))
		n--;
	label[n] = 0;
	printf("context: %s\n", label);
	t = label;
	for (i = 0; i < 2 && strchr(t, ':'); i++)
		t = strchr(t, ':') + 1;
	if (strchr(t, ':'))
		*strchr(t, ':') = 0;
	if (strcmp(t, type)) {
		errno = 0;
		fprintf(stderr, "lsm-bench: running in %s, not in %s\n",
			label, type);
		exit(1);
	}
}

/* Whether @name is one of the colon-separated names of @list. */
static int in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; p; p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL)
		if (!strncmp(p, name, len) && (p[len] == ':' || !p[len]))
			return 1;
	return 0;
}

/* Runs this process and its children on @cpu only. */
static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fail("sched_setaffinity");
	if (sched_getcpu() != cpu) {
		errno = 0;
		fail("still not on the CPU it is pinned to");
	}
	printf("cpu: %d\n", cpu);
}

int main(int argc, char **argv)
{
	const char *domain = NULL, *only = NULL;
	long percent = 100;
	int rounds = 5, pin = 1, cpu = -1;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "c:d:s:r:uo:")) != -1) {
		switch (opt) {
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'd':
			domain = optarg;
			break;
		case 'u':
			pin = 0;
			break;
		case 's':
			percent = atol(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'o':
			only = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || percent < 1 || rounds < 1 ||
	    rounds > MAX_ROUNDS)
		goto usage;

	if (domain)
		check_domain(domain);
	if (cpu >= 0)
		pin_to_cpu(cpu);
	flush_output();
	page_size = sysconf(_SC_PAGESIZE);
	snprintf(file_path, sizeof(file_path), "%s/lsm-bench-file",
		 argv[optind]);
	snprintf(mount_path, sizeof(mount_path), "%s/lsm-bench-mount",
		 argv[optind]);
	if (mkdir(mount_path, 0755) && errno != EEXIST)
		fail(mount_path);
	file_fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (file_fd < 0 || write(file_fd, "x", 1) != 1)
		fail(file_path);

	map_memfd(map_files_path, sizeof(map_files_path));
	ns_last_pid_fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	if (ns_last_pid_fd < 0)
		fail("/proc/sys/kernel/ns_last_pid");
	if (pin)
		pin_slab_objects(argv[optind]);

	for (i = 0; i < ARRAY_SIZE(benches); i++)
		if (!only || in_list(only, benches[i].name))
			run(&benches[i], benches[i].iterations * percent / 100 + 1,
			    rounds);
	unpin_slab_objects();
	return 0;

usage:
	fprintf(stderr,
		"usage: lsm-bench [-c CPU] [-d TYPE] [-s PERCENT] [-r ROUNDS] [-u] [-o OPS] DIR\n");
	return 2;
}
