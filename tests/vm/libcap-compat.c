// SPDX-License-Identifier: GPL-2.0
/*
 * The part of the libcap API that the kernel's clone3_cap_checkpoint_restore
 * selftest uses, with the memory layout that test assumes.
 *
 * That test casts a cap_t to { header, data[2] } and sets bit 40 by hand,
 * which matches old libcap releases but not the libcap of this
 * distribution (its struct starts with other fields), so against it the
 * unmodified test fails in set_capability() whatever the LSM. Linked
 * against this file instead, the test runs unmodified.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

/* libcap's header leaves the struct opaque: this is the layout the test uses. */
struct _cap_struct {
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];
};

cap_t cap_get_proc(void)
{
	cap_t caps = calloc(1, sizeof(*caps));

	if (!caps)
		return NULL;
	caps->hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &caps->hdr, caps->data)) {
		free(caps);
		return NULL;
	}
	return caps;
}

int cap_clear(cap_t caps)
{
	memset(caps->data, 0, sizeof(caps->data));
	return 0;
}

int cap_set_flag(cap_t caps, cap_flag_t flag, int n, const cap_value_t *values,
		 cap_flag_value_t set)
{
	for (int i = 0; i < n; i++) {
		struct __user_cap_data_struct *d = &caps->data[values[i] / 32];
		__u32 bit = 1U << (values[i] % 32);
		__u32 *word = flag == CAP_EFFECTIVE ? &d->effective :
			      flag == CAP_PERMITTED ? &d->permitted : &d->inheritable;

		if (values[i] < 0 || values[i] >= 64)
			return -1;
		*word = set == CAP_SET ? (*word | bit) : (*word & ~bit);
	}
	return 0;
}

int cap_set_proc(cap_t caps)
{
	return syscall(SYS_capset, &caps->hdr, caps->data);
}

int cap_free(void *caps)
{
	free(caps);
	return 0;
}
