// SPDX-License-Identifier: GPL-2.0
/*
 * exit-vm: power off the test VM with an exit status the host can read.
 *
 * QEMU's isa-debug-exit device (iobase 0xf4) terminates QEMU with status
 * (value << 1) | 1 when a byte is written to its port, so the host runner
 * gets the guest's result as its own exit status instead of parsing logs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>

#define DEBUG_EXIT_PORT 0xf4

int main(int argc, char **argv)
{
	int code = argc > 1 ? atoi(argv[1]) : 0;

	if (code < 0 || code > 127) {
		fprintf(stderr, "exit-vm: status must be 0..127\n");
		return 2;
	}
	if (ioperm(DEBUG_EXIT_PORT, 1, 1)) {
		perror("exit-vm: ioperm");
		return 1;
	}
	outb(code, DEBUG_EXIT_PORT);
	perror("exit-vm: still running after the debug-exit write");
	return 1;
}
