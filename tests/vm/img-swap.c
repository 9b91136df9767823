// SPDX-License-Identifier: GPL-2.0
/*
 * img-swap FILE OLD NEW: replace the one occurrence of the string OLD in
 * FILE by NEW, of the same length, in place. The tests edit a domain
 * name in a CRIU image with it: a protobuf string keeps its length
 * prefix valid when its length does not change. Fails when OLD occurs
 * in FILE not exactly once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fail(const char *what)
{
	fprintf(stderr, "img-swap: %s: %s\n", what, errno ? strerror(errno) : "failed");
	exit(1);
}

int main(int argc, char **argv)
{
	size_t len, i, at = 0, found = 0;
	struct stat st;
	char *buf;
	int fd;

	if (argc != 4 || strlen(argv[2]) != strlen(argv[3]) || !argv[2][0]) {
		fprintf(stderr, "usage: img-swap FILE OLD NEW (OLD and NEW of one length)\n");
		return 2;
	}
	len = strlen(argv[2]);
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || fstat(fd, &st))
		fail(argv[1]);
	buf = malloc(st.st_size + 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		fail("read");
	for (i = 0; i + len <= (size_t)st.st_size; i++) {
		if (memcmp(buf + i, argv[2], len) == 0) {
			at = i;
			found++;
		}
	}
	errno = 0;
	if (found != 1) {
		fprintf(stderr, "img-swap: %s occurs %zu times in %s\n", argv[2], found, argv[1]);
		return 1;
	}
	if (pwrite(fd, argv[3], len, at) != (ssize_t)len || close(fd))
		fail("write");
	return 0;
}
