// SPDX-License-Identifier: GPL-2.0
/*
 * Carapace is registered as an LSM exactly when the kernel command line's
 * lsm= list asks for it: securityfs lists it and lsm_list_modules(2)
 * reports LSM_ID_CARAPACE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/lsm.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"

/* Whether the lsm= parameter on /proc/cmdline names carapace. */
static bool carapace_requested(struct __test_metadata *_metadata)
{
	char cmdline[4096], *arg, *save;
	FILE *f = fopen("/proc/cmdline", "r");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(cmdline, sizeof(cmdline), f));
	fclose(f);
	for (arg = strtok_r(cmdline, "\n ", &save); arg;
	     arg = strtok_r(NULL, "\n ", &save)) {
		char *lsm, *lsave;

		if (strncmp(arg, "lsm=", 4))
			continue;
		for (lsm = strtok_r(arg + 4, ",", &lsave); lsm;
		     lsm = strtok_r(NULL, ",", &lsave))
			if (!strcmp(lsm, "carapace"))
				return true;
	}
	return false;
}

TEST(securityfs_lists_carapace)
{
	char list[1024] = "", *lsm, *save;
	bool listed = false;
	FILE *f = fopen("/sys/kernel/security/lsm", "r");
	size_t len;

	ASSERT_NE(NULL, f);
	len = fread(list, 1, sizeof(list) - 1, f);
	fclose(f);
	ASSERT_LT(0, len);
	list[len] = '\0';
	TH_LOG("lsm list: %s", list);
	for (lsm = strtok_r(list, ",\n", &save); lsm;
	     lsm = strtok_r(NULL, ",\n", &save))
		listed |= !strcmp(lsm, "carapace");
	ASSERT_EQ(carapace_requested(_metadata), listed);
}

TEST(lsm_list_modules_reports_carapace)
{
	__u64 ids[64];
	__u32 size = sizeof(ids);
	bool listed = false;
	long count, i;

	count = syscall(__NR_lsm_list_modules, ids, &size, 0);
	ASSERT_LT(0, count) TH_LOG("lsm_list_modules: %s", strerror(errno));
	ASSERT_EQ(count * sizeof(ids[0]), size);
	for (i = 0; i < count; i++)
		listed |= ids[i] == LSM_ID_CARAPACE;
	ASSERT_EQ(carapace_requested(_metadata), listed);
}

TEST_HARNESS_MAIN
