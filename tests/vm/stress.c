// SPDX-License-Identifier: GPL-2.0
/*
 * Carapace stress tests (the `stress` VM suite).
 *
 *   stress storm LOADS POLICY_A POLICY_B
 *	Reload storm. POLICY_A grants capability2:checkpoint_restore to
 *	cr_allowed_t and not to cr_denied_t; POLICY_B the other way round.
 *	This process (pinned to CPU 0) loads them in turn LOADS times, switches
 *	to permissive and back every 10 loads and writes avc/cache_threshold
 *	every 7, while hammer processes in both domains (pinned to the last
 *	CPU) run the guarded operations in a loop: /proc/self/map_files open,
 *	clone3 with set_tid, file opens, signals. After every load (and every
 *	enforcement switch) returns, a prober in each domain runs the
 *	operations once and its result must follow what was just loaded. Prints
 *	the loads, the operations checked and by the hammers, and the wrong
 *	decisions; fails if any decision was wrong.
 *
 *   stress concurrent LOADS POLICY_A POLICY_B
 *	Two writers load LOADS policies each at once while a reader watches
 *	the status file: every load succeeds or fails with an errno, the
 *	seqno only grows and ends at the number of successful loads past its
 *	start, and the policy read back is one of the two.
 *
 *   stress load FILE
 *	One write() of FILE to the policy file. Exit 0 if it loaded, 1 if it
 *	was refused (the errno is printed), 2 on a setup error.
 *
 *   stress put [--drop-mac-admin] NAME VALUE
 *	One write() of VALUE to securityfs file NAME (under
 *	/sys/kernel/security/carapace), after dropping CAP_MAC_ADMIN from the
 *	effective and permitted sets if asked; VALUE @FILE writes FILE. Exit
 *	0 if the write was accepted, 1 if refused (the errno is printed).
 *
 *   stress probe	(internal) the prober, reading commands on fd 0
 *   stress hammer	(internal) a hammer, until fd 0 is closed
 *
 * Output is TAP subtests ("ok N ..."), comments start with "#".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FS "/sys/kernel/security/carapace/"

static int tap_n, tap_failed;

static void ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", pass ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!pass)
		tap_failed++;
}

static void die(const char *what)
{
	printf("# %s: %s\n", what, strerror(errno));
	printf("Bail out! %s\n", what);
	exit(2);
}

static int ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/* Pins the caller to CPU `cpu` (modulo the CPUs online). */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % ncpus(), &set);
	sched_setaffinity(0, sizeof(set), &set);
}

struct blob {
	char *data;
	size_t len;
};

/* Reads all of `path` (securityfs files have no size: read to EOF). */
static struct blob slurp(const char *path)
{
	struct blob b = { 0 };
	size_t cap = 1 << 16;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		die(path);
	b.data = malloc(cap);
	while (b.data && (n = read(fd, b.data + b.len, cap - b.len)) > 0) {
		b.len += n;
		if (b.len == cap)
			b.data = realloc(b.data, cap *= 2);
	}
	if (!b.data || n < 0)
		die(path);
	close(fd);
	return b;
}

/* Writes `len` bytes to securityfs file `name` in one write(); 0 or errno. */
static int put(const char *name, const void *data, size_t len)
{
	char path[256];
	int fd, err = 0;
	ssize_t n;

	snprintf(path, sizeof(path), FS "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	n = write(fd, data, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	close(fd);
	return err;
}

static int put_str(const char *name, const char *s)
{
	return put(name, s, strlen(s));
}

static long read_seqno(void)
{
	char buf[512];
	int fd = open(FS "status", O_RDONLY);
	ssize_t n;
	char *p;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "seqno: ");
	return p ? strtol(p + 7, NULL, 10) : -1;
}

/* --- the guarded operations ------------------------------------------- */

/*
 * Opens (O_PATH) the /proc/self/map_files link of this program's first
 * mapping: following it needs CAP_CHECKPOINT_RESTORE, which carapace
 * checks as capability2:checkpoint_restore. 1 allowed, 0 denied, -errno
 * for anything else.
 */
static int op_map_files(void)
{
	static char link[128];
	int fd;

	if (!link[0]) {
		FILE *f = fopen("/proc/self/maps", "r");
		unsigned long lo, hi;

		if (!f || fscanf(f, "%lx-%lx", &lo, &hi) != 2)
			return -EIO;
		fclose(f);
		snprintf(link, sizeof(link), "/proc/self/map_files/%lx-%lx", lo, hi);
	}
	fd = open(link, O_PATH);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == EPERM || errno == EACCES ? 0 : -errno;
}

/*
 * clone3 with set_tid: needs CAP_CHECKPOINT_RESTORE in the PID namespace's
 * user namespace. 1 allowed (a child was made, or the PID was taken), 0
 * denied, -errno otherwise.
 */
static int op_set_tid(void)
{
	static pid_t next = 2000;
	struct clone_args args;
	pid_t tid, pid;

	if (++next >= 4000)
		next = 2001;
	tid = next;
	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	args.set_tid = (uintptr_t)&tid;
	args.set_tid_size = 1;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		return 1;
	}
	if (errno == EEXIST)
		return 1;
	return errno == EPERM || errno == EACCES ? 0 : -errno;
}

/* --- prober and hammer (run in a domain) -------------------------------- */

/*
 * The prober: for each command byte on fd 0, runs both operations and
 * answers two bytes on fd 1: '1' allowed, '0' denied, 'E' anything else.
 */
static int probe(void)
{
	char cmd, res[2];

	while (read(0, &cmd, 1) == 1) {
		int a = op_map_files(), b = op_set_tid();

		res[0] = a == 1 ? '1' : a == 0 ? '0' : 'E';
		res[1] = b == 1 ? '1' : b == 0 ? '0' : 'E';
		if (write(1, res, 2) != 2)
			return 1;
	}
	return 0;
}

/*
 * A hammer: the guarded operations in a loop until its fd 0 reaches end of
 * file (the loader closes it: a signal from the loader's domain might be
 * refused by the policy), then "OPS ERRORS" on fd 1. Errors are results
 * other than allowed or denied.
 */
static int hammer(void)
{
	unsigned long ops = 0, errors = 0;
	char line[64], c;
	int n;

	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	pin(ncpus() - 1);
	while (read(0, &c, 1) != 0) {
		int fd;

		errors += op_map_files() < 0;
		if (ops % 8 == 0)
			errors += op_set_tid() < 0;
		fd = open("/proc/self/status", O_RDONLY);
		if (fd >= 0)
			close(fd);
		else if (errno != EACCES && errno != EPERM)
			errors++;
		if (kill(getpid(), 0) && errno != EACCES && errno != EPERM)
			errors++;
		ops += 4;
	}
	n = snprintf(line, sizeof(line), "%lu %lu\n", ops, errors);
	return write(1, line, n) == n ? 0 : 1;
}

/*
 * Starts `stress MODE` in `domain` (through /proc/self/attr/exec, as
 * carapacectl exec does) with its fd 0 and fd 1 on pipes; returns its PID.
 */
static pid_t spawn(const char *mode, const char *domain, int *to, int *from)
{
	int in[2], out[2];
	pid_t pid;

	/* Close-on-exec, so that no other child holds these pipes open. */
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int fd = open("/proc/self/attr/exec", O_WRONLY);

		if (fd < 0 || write(fd, domain, strlen(domain)) < 0)
			_exit(126);
		close(fd);
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		execl("/proc/self/exe", "stress", mode, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	*to = in[1];
	*from = out[0];
	return pid;
}

/* --- the reload storm ---------------------------------------------------- */

enum { ALLOWED_T, DENIED_T, NDOMAINS };
static const char *const domain_name[NDOMAINS] = { "cr_allowed_t", "cr_denied_t" };

struct prober {
	pid_t pid;
	int to, from;
};

/* Asks prober `p` to run the operations once; its two results. */
static int ask(struct prober *p, char res[2])
{
	return write(p->to, "p", 1) == 1 && read(p->from, res, 2) == 2 ? 0 : -1;
}

static unsigned long checked, wrong, odd;

/*
 * Checks both probers against the policy in force (`a`: POLICY_A) and the
 * enforcement mode.
 */
static void check(struct prober *p, int a, int enforcing, int load)
{
	for (int d = 0; d < NDOMAINS; d++) {
		int granted = (d == ALLOWED_T) == a;
		char want = granted || !enforcing ? '1' : '0';
		char res[2];

		if (ask(&p[d], res))
			die("prober");
		for (int i = 0; i < 2; i++) {
			checked++;
			if (res[i] == 'E') {
				odd++;
			} else if (res[i] != want) {
				wrong++;
				printf("# load %d: %s %s %s, expected %s (%s, %s)\n", load,
				       domain_name[d], i ? "clone3 set_tid" : "map_files open",
				       res[i] == '1' ? "allowed" : "denied",
				       want == '1' ? "allowed" : "denied",
				       a ? "policy A" : "policy B",
				       enforcing ? "enforcing" : "permissive");
			}
		}
	}
}

static int run_storm(int loads, const char *path_a, const char *path_b)
{
	struct blob pa = slurp(path_a), pb = slurp(path_b);
	struct prober probers[NDOMAINS];
	struct {
		pid_t pid;
		int to, from;
	} hammers[2 * NDOMAINS];
	unsigned long hammer_ops = 0, hammer_errors = 0;
	unsigned long switches = 0, thresholds = 0, failed_loads = 0;
	char threshold[32] = "";
	struct timespec t0, t1;
	int fd, err;

	printf("# %d CPU(s); loader on CPU 0, hammers on CPU %d\n", ncpus(), ncpus() - 1);
	fd = open(FS "avc/cache_threshold", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, threshold, sizeof(threshold) - 1);

		threshold[n > 0 ? n : 0] = 0;
		close(fd);
	}
	pin(0);
	err = put("policy", pa.data, pa.len);
	if (err)
		die("loading policy A");
	for (int d = 0; d < NDOMAINS; d++)
		probers[d].pid = spawn("probe", domain_name[d], &probers[d].to, &probers[d].from);
	for (int h = 0; h < 2 * NDOMAINS; h++)
		hammers[h].pid = spawn("hammer", domain_name[h % NDOMAINS], &hammers[h].to,
				       &hammers[h].from);
	check(probers, 1, 1, 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i <= loads; i++) {
		int a = i % 2 == 0;

		err = a ? put("policy", pa.data, pa.len) : put("policy", pb.data, pb.len);
		if (err) {
			failed_loads++;
			printf("# load %d failed: %s\n", i, strerror(err));
			continue;
		}
		check(probers, a, 1, i);
		if (i % 10 == 0) {
			if (put_str("enforce", "0"))
				die("setenforce 0");
			check(probers, a, 0, i);
			if (put_str("enforce", "1"))
				die("setenforce 1");
			check(probers, a, 1, i);
			switches += 2;
		}
		if (i % 7 == 0) {
			char v[16];

			snprintf(v, sizeof(v), "%d", (i * 37) % 1100);
			if (put_str("avc/cache_threshold", v))
				die("avc/cache_threshold");
			thresholds++;
			check(probers, a, 1, i);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (int h = 0; h < 2 * NDOMAINS; h++) {
		unsigned long o = 0, e = 0;
		char line[64] = "";
		ssize_t n;

		close(hammers[h].to);
		n = read(hammers[h].from, line, sizeof(line) - 1);
		if (n > 0)
			line[n] = 0;
		if (sscanf(line, "%lu %lu", &o, &e) != 2)
			hammer_errors++;
		hammer_ops += o;
		hammer_errors += e;
		waitpid(hammers[h].pid, NULL, 0);
	}
	for (int d = 0; d < NDOMAINS; d++) {
		close(probers[d].to);
		waitpid(probers[d].pid, NULL, 0);
	}
	if (threshold[0])
		put_str("avc/cache_threshold", threshold);
	put("policy", pa.data, pa.len);

	printf("# storm: %d loads (%lu failed), %lu enforcement switches, %lu cache_threshold writes in %.1f s\n",
	       loads, failed_loads, switches, thresholds,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("# storm: %lu decisions checked after a load or switch returned, %lu wrong, %lu odd errors\n",
	       checked, wrong, odd);
	printf("# storm: %lu operations by %d hammers on the other CPU, %lu unexpected errors\n",
	       hammer_ops, 2 * NDOMAINS, hammer_errors);
	ok(failed_loads == 0, "reload storm: all %d loads succeeded", loads);
	ok(wrong == 0 && odd == 0, "reload storm: %lu decisions after each load follow the new policy (%lu wrong)",
	   checked, wrong);
	ok(hammer_ops > 0 && hammer_errors == 0,
	   "reload storm: %lu hammer operations, no unexpected error", hammer_ops);
	return 0;
}

/* --- concurrent loads ------------------------------------------------------ */

static int run_concurrent(int loads, const char *path_a, const char *path_b)
{
	struct blob pa = slurp(path_a), pb = slurp(path_b);
	long start = read_seqno(), last = start, now;
	int status[2], pipes[2][2];
	unsigned long backwards = 0, reads = 0;
	long good[2] = { 0, 0 }, bad[2] = { 0, 0 };
	pid_t pid[2];
	struct blob back;

	for (int w = 0; w < 2; w++) {
		if (pipe(pipes[w]))
			die("pipe");
		pid[w] = fork();
		if (pid[w] == 0) {
			long g = 0, b = 0;
			char line[64];
			int n;

			pin(w);
			for (int i = 0; i < loads; i++) {
				int err = (i + w) % 2 ? put("policy", pb.data, pb.len)
						      : put("policy", pa.data, pa.len);
				if (!err)
					g++;
				else if (err == EIO)
					b += 1000000; /* a short write: never expected */
				else
					b++;
			}
			n = snprintf(line, sizeof(line), "%ld %ld\n", g, b);
			_exit(write(pipes[w][1], line, n) == n ? 0 : 1);
		}
		close(pipes[w][1]);
	}
	while (waitpid(pid[0], &status[0], WNOHANG) == 0 ||
	       waitpid(pid[1], &status[1], WNOHANG) == 0) {
		now = read_seqno();
		reads++;
		if (now < last)
			backwards++;
		last = now;
	}
	waitpid(pid[0], &status[0], 0);
	waitpid(pid[1], &status[1], 0);
	for (int w = 0; w < 2; w++) {
		char line[64] = "";
		ssize_t n = read(pipes[w][0], line, sizeof(line) - 1);

		if (n > 0)
			line[n] = 0;
		if (sscanf(line, "%ld %ld", &good[w], &bad[w]) != 2)
			bad[w] = 1000000;
	}
	now = read_seqno();
	back = slurp(FS "policy");
	printf("# concurrent: writer 1 %ld loaded %ld refused, writer 2 %ld loaded %ld refused; seqno %ld -> %ld; %lu status reads\n",
	       good[0], bad[0], good[1], bad[1], start, now, reads);
	ok(bad[0] < 1000000 && bad[1] < 1000000 && good[0] + bad[0] == loads &&
		   good[1] + bad[1] == loads,
	   "concurrent loads: every write loaded or failed with an errno");
	ok(now - start == good[0] + good[1] && backwards == 0,
	   "concurrent loads: the seqno counts exactly the loads that succeeded and never went back");
	ok((back.len == pa.len && !memcmp(back.data, pa.data, pa.len)) ||
		   (back.len == pb.len && !memcmp(back.data, pb.data, pb.len)),
	   "concurrent loads: the policy in force is one that was loaded");
	return 0;
}

/* Drops CAP_MAC_ADMIN from the effective and permitted sets. */
static void drop_mac_admin(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		die("capget");
	data[CAP_MAC_ADMIN / 32].effective &= ~(1u << (CAP_MAC_ADMIN % 32));
	data[CAP_MAC_ADMIN / 32].permitted &= ~(1u << (CAP_MAC_ADMIN % 32));
	data[CAP_MAC_ADMIN / 32].inheritable &= ~(1u << (CAP_MAC_ADMIN % 32));
	if (syscall(SYS_capset, &hdr, data))
		die("capset");
}

static int report(const char *what, int err)
{
	if (err)
		printf("%s: refused: %s (%s)\n", what, strerrorname_np(err), strerror(err));
	else
		printf("%s: accepted\n", what);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	/* Unbuffered: the output must not wait in a buffer if a test hangs. */
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3 && !strcmp(argv[1], "load")) {
		struct blob b = slurp(argv[2]);

		return report(argv[2], put("policy", b.data, b.len));
	}
	if (argc >= 4 && !strcmp(argv[1], "put")) {
		int drop = argc == 5 && !strcmp(argv[2], "--drop-mac-admin");

		const char *value = argv[3 + drop];

		if (drop)
			drop_mac_admin();
		if (value[0] == '@') {
			struct blob b = slurp(value + 1);

			return report(argv[2 + drop], put(argv[2 + drop], b.data, b.len));
		}
		return report(argv[2 + drop], put_str(argv[2 + drop], value));
	}
	if (argc >= 2 && !strcmp(argv[1], "probe"))
		return probe();
	if (argc >= 2 && !strcmp(argv[1], "hammer"))
		return hammer();
	if (argc == 5 && !strcmp(argv[1], "storm"))
		run_storm(atoi(argv[2]), argv[3], argv[4]);
	else if (argc == 5 && !strcmp(argv[1], "concurrent"))
		run_concurrent(atoi(argv[2]), argv[3], argv[4]);
	else {
		fprintf(stderr, "usage: stress storm|concurrent LOADS POLICY_A POLICY_B\n");
		return 2;
	}
	return tap_failed ? 1 : 0;
}
