// SPDX-License-Identifier: GPL-2.0
/*
 * tb-profile: a QEMU TCG plugin that counts the guest instructions executed
 * at each translated block's address, for scripts/bench-kernel.sh
 * --profile. It turns the benchmark's instruction counts into the
 * kernel functions that spend them.
 *
 *   qemu-system-x86_64 -plugin tb-profile.so,out=FILE ...
 *
 * At exit, FILE gets one line per block address that ran, "ADDR INSNS
 * RUNS", in hexadecimal and decimal: the instructions executed in blocks
 * that start at ADDR, and how often they ran (for a function's first
 * block: its calls). Under "-icount", QEMU runs the vCPUs in turn on one
 * thread, so the counters need no atomics.
 *
 * qemu-plugin-v1.h declares the few calls of QEMU 7.2's plugin API
 * (version 1) this file makes: distributions do not ship qemu-plugin.h.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-v1.h"

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* One translation of a block; a block translated again gets another. */
struct block {
	uint64_t addr;
	uint64_t insns;		/* incremented by n_insns at each run */
	uint64_t runs;
	struct block *next;
};

static struct block *blocks;
static const char *out_path;

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b = calloc(1, sizeof(*b));

	if (!b)
		return;
	b->addr = qemu_plugin_tb_vaddr(tb);
	b->next = blocks;
	blocks = b;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->insns,
						 qemu_plugin_tb_n_insns(tb));
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->runs, 1);
}

static void at_exit(qemu_plugin_id_t id, void *data)
{
	FILE *f = fopen(out_path, "w");
	struct block *b;

	if (!f)
		return;
	for (b = blocks; b; b = b->next)
		if (b->insns)
			fprintf(f, "%016" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				b->addr, b->insns, b->runs);
	fclose(f);
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info,
			int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
	if (!out_path) {
		fprintf(stderr, "tb-profile: usage: -plugin tb-profile.so,out=FILE\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
