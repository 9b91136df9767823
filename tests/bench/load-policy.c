// SPDX-License-Identifier: GPL-2.0
/*
 * load-policy: loads a binary policy into the kernel with one write() and
 * prints what it cost: guest instructions and the kernel memory the
 * policy keeps. For scripts/bench-kernel.sh --load, in a QEMU TCG guest
 * with "-icount shift=0", where one nanosecond of guest time is one guest
 * instruction.
 *
 *   load-policy [-c CPU] [-n LOADS] [-f] POLICY FILE
 *
 * POLICY is the binary policy, FILE where the kernel takes it
 * (/sys/fs/selinux/load, /sys/kernel/security/carapace/policy). The
 * policy is read into memory first; then, LOADS times (default 2: the
 * first load and a reload of the same policy):
 *
 *   load N elapsed NS cpu NS slab_kb KB vmalloc_kb KB vmallocinfo_kb KB
 *
 * elapsed is CLOCK_MONOTONIC around the write(): every instruction
 * either vCPU executed meanwhile, and the time both spent idle, waiting
 * (for an RCU grace period: both LSMs wait for one before freeing the
 * policy they replace). cpu is CLOCK_THREAD_CPUTIME_ID around it: the
 * instructions the writing task executed, waits left out. The memory
 * figures are the change the load made to Slab (SReclaimable +
 * SUnreclaim, which counts large kmalloc()s too) and VmallocUsed of
 * /proc/meminfo, and to the sum of the sizes of /proc/vmallocinfo's
 * vmalloc areas (with their guard pages: a cross-check), each read after
 * dropping the caches (vm.drop_caches=3) and letting RCU callbacks run.
 * Before the first load it prints the totals:
 *
 *   before slab_kb KB vmalloc_kb KB vmallocinfo_kb KB
 *
 * -f then measures the floor of a load: the same write() with the
 * policy's first byte changed, which the kernel copies in whole and
 * refuses at the magic number (EINVAL), so that it costs the system
 * call, the buffer and the copy, and no validation:
 *
 *   floor elapsed NS cpu NS errno N
 *
 * -c runs it on CPU only. Exits 1 if anything fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

struct mem {
	long slab_kb;		/* SReclaimable + SUnreclaim */
	long vmalloc_kb;	/* VmallocUsed */
	long vmallocinfo_kb;	/* the sizes in /proc/vmallocinfo */
};

static void fail(const char *what)
{
	fprintf(stderr, "load-policy: %s: %s\n", what,
		errno ? strerror(errno) : "failed");
	exit(1);
}

static double ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		fail("clock_gettime");
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

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

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail(path);
	close(fd);
}

/* The kernel's memory once caches are dropped and RCU callbacks run. */
static void measure(struct mem *m)
{
	char line[256];
	long kb;
	FILE *f;
	int i;

	for (i = 0; i < 3; i++) {
		sync();
		write_file("/proc/sys/vm/drop_caches", "3");
		/* Grace periods end and callbacks run on ticks (HZ=250). */
		usleep(100000);
	}
	memset(m, 0, sizeof(*m));
	f = fopen("/proc/meminfo", "r");
	if (!f)
		fail("/proc/meminfo");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "SReclaimable: %ld kB", &kb) == 1 ||
		    sscanf(line, "SUnreclaim: %ld kB", &kb) == 1)
			m->slab_kb += kb;
		else if (sscanf(line, "VmallocUsed: %ld kB", &kb) == 1)
			m->vmalloc_kb = kb;
	}
	fclose(f);
	f = fopen("/proc/vmallocinfo", "r");
	if (!f)
		fail("/proc/vmallocinfo");
	while (fgets(line, sizeof(line), f)) {
		long size;

		/* vmalloc()ed areas only: not ioremaps, vmaps, or the freed
		 * areas not yet purged ("unpurged vm_area").
		 */
		if (strstr(line, " vmalloc") &&
		    sscanf(line, "%*s %ld", &size) == 1)
			m->vmallocinfo_kb += size / 1024;
	}
	fclose(f);
}

static char *read_policy(const char *path, size_t *size)
{
	struct stat st;
	size_t done = 0;
	char *data;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		fail(path);
	data = malloc(st.st_size);
	if (!data)
		fail("malloc");
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, data + done, st.st_size - done);

		if (n <= 0)
			fail(path);
		done += n;
	}
	close(fd);
	*size = done;
	return data;
}

/*
 * One write() of the policy with its magic number broken: the cost of
 * copying it into the kernel, which refuses it once it has it.
 */
static void measure_floor(char *data, size_t size, const char *path)
{
	double start, start_cpu, elapsed, on_cpu;
	ssize_t n;
	int fd, err;

	data[0] ^= 0xff;
	fd = open(path, O_WRONLY);
	if (fd < 0)
		fail(path);
	start = ns(CLOCK_MONOTONIC);
	start_cpu = ns(CLOCK_THREAD_CPUTIME_ID);
	n = write(fd, data, size);
	err = errno;
	on_cpu = ns(CLOCK_THREAD_CPUTIME_ID) - start_cpu;
	elapsed = ns(CLOCK_MONOTONIC) - start;
	close(fd);
	data[0] ^= 0xff;
	if (n >= 0 || err != EINVAL) {
		errno = n >= 0 ? 0 : err;
		fail("the policy with a bad magic number was not refused with EINVAL");
	}
	printf("floor elapsed %.0f cpu %.0f errno %d\n", elapsed, on_cpu, err);
	flush_output();
}

int main(int argc, char **argv)
{
	int loads = 2, cpu = -1, floor = 0, opt, i;
	size_t size;
	char *data;

	while ((opt = getopt(argc, argv, "c:n:f")) != -1) {
		switch (opt) {
		case 'f':
			floor = 1;
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'n':
			loads = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 2 || loads < 1)
		goto usage;
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			fail("sched_setaffinity");
	}
	data = read_policy(argv[optind], &size);
	printf("policy %s bytes %zu\n", argv[optind], size);
	flush_output();

	for (i = 1; i <= loads; i++) {
		double start, start_cpu, elapsed, on_cpu;
		struct mem before, after;
		ssize_t n;
		int fd;

		measure(&before);
		if (i == 1) {
			printf("before slab_kb %ld vmalloc_kb %ld vmallocinfo_kb %ld\n",
			       before.slab_kb, before.vmalloc_kb,
			       before.vmallocinfo_kb);
			flush_output();
		}
		fd = open(argv[optind + 1], O_WRONLY);
		if (fd < 0)
			fail(argv[optind + 1]);
		start = ns(CLOCK_MONOTONIC);
		start_cpu = ns(CLOCK_THREAD_CPUTIME_ID);
		n = write(fd, data, size);
		on_cpu = ns(CLOCK_THREAD_CPUTIME_ID) - start_cpu;
		elapsed = ns(CLOCK_MONOTONIC) - start;
		if (n != (ssize_t)size) {
			if (n >= 0)
				errno = 0;
			fail("loading the policy");
		}
		close(fd);
		measure(&after);
		printf("load %d elapsed %.0f cpu %.0f slab_kb %ld vmalloc_kb %ld vmallocinfo_kb %ld\n",
		       i, elapsed, on_cpu, after.slab_kb - before.slab_kb,
		       after.vmalloc_kb - before.vmalloc_kb,
		       after.vmallocinfo_kb - before.vmallocinfo_kb);
		flush_output();
	}
	if (floor)
		measure_floor(data, size, argv[optind + 1]);
	free(data);
	return 0;

usage:
	fprintf(stderr, "usage: load-policy [-c CPU] [-n LOADS] [-f] POLICY FILE\n");
	return 2;
}
