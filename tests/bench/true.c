// SPDX-License-Identifier: GPL-2.0
/*
 * true: the smallest static program, for lsm-bench's exec benchmark. It
 * has no C library: its entry point makes the exit system call with
 * status 0. Build with -static -nostdlib.
 */
#include <asm/unistd.h>

void _start(void)
{
	asm volatile("syscall" : : "a"(__NR_exit), "D"(0));
	__builtin_unreachable();
}
