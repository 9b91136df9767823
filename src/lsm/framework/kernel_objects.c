// SPDX-License-Identifier: GPL-2.0
/*
 * The security blobs of keys and perf events, whose structures the Rust
 * bindings leave opaque (their headers are not among the bindings').
 */
#include <linux/key.h>
#include <linux/perf_event.h>

#include "kernel_objects.h"

void *carapace_key_security(const struct key *key)
{
	return key->security;
}

void *carapace_perf_event_security(const struct perf_event *event)
{
	return event->security;
}
