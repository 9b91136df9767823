// SPDX-License-Identifier: GPL-2.0
/*
 * cr-counter DIR: the process CRIU checkpoints and restores in the tests.
 *
 * It leads a session of its own, off any terminal, maps a memfd and a file
 * it then deletes (so CRIU can reach them only through
 * /proc/PID/map_files), and counts in memory shared by both mappings and
 * its heap: every tick it increments the count in the memfd, copies it to
 * the deleted file's mapping and its stack, checks that the three agree,
 * and writes "PID COUNT" to DIR/count. It also passes the count through
 * a Unix socket pair it holds (sent on one end, received on the other),
 * so that the pair must come back connected. A restored copy that lost
 * any of the mappings or the pair stops with an error in DIR/error.
 *
 * cr-counter DIR PROBE: also, when DIR/ask appears, tries to open the
 * file PROBE for reading, writes the errno (0 when it opened) to
 * DIR/probe and removes DIR/ask, so that a test sees what the counter's
 * domain lets it read before a dump and after a restore, one attempt
 * (and one audit record) per question.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *dir;

static void report(const char *name, const char *fmt, ...)
{
	char path[4096], tmp[4096];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	f = fopen(tmp, "w");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f) == 0)
		rename(tmp, path);
}

static void die(const char *what)
{
	report("error", "%s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };
	unsigned long *in_memfd, *in_file;
	unsigned long count = 0, passed;
	const char *probe = NULL;
	char path[4096], ask[4096];
	int fd, pair[2];

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: cr-counter DIR [PROBE]\n");
		return 2;
	}
	dir = argv[1];
	if (argc == 3)
		probe = argv[2];
	snprintf(ask, sizeof(ask), "%s/ask", dir);
	if (setsid() < 0)
		die("setsid");

	fd = memfd_create("cr-counter", 0);
	if (fd < 0 || ftruncate(fd, 4096))
		die("memfd");
	in_memfd = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (in_memfd == MAP_FAILED)
		die("mmap memfd");
	close(fd);

	snprintf(path, sizeof(path), "%s/deleted", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096))
		die("deleted file");
	in_file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (in_file == MAP_FAILED)
		die("mmap deleted file");
	close(fd);
	if (unlink(path))
		die("unlink");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair))
		die("socketpair");

	for (;;) {
		if (*in_memfd != count || *in_file != count) {
			errno = EIO;
			report("error", "count %lu, memfd %lu, file %lu\n",
			       count, *in_memfd, *in_file);
			return 1;
		}
		count++;
		if (send(pair[0], &count, sizeof(count), 0) != sizeof(count) ||
		    recv(pair[1], &passed, sizeof(passed), 0) != sizeof(passed))
			die("socket pair");
		if (passed != count) {
			errno = EIO;
			die("socket pair count");
		}
		*in_memfd = count;
		*in_file = count;
		if (probe && access(ask, F_OK) == 0) {
			fd = open(probe, O_RDONLY);
			report("probe", "%d\n", fd < 0 ? errno : 0);
			if (fd >= 0)
				close(fd);
			unlink(ask);
		}
		report("count", "%d %lu\n", getpid(), count);
		nanosleep(&tick, NULL);
	}
}
