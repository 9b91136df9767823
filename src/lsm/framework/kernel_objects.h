/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C side of the key and perf event wrappers (kernel_objects.c); the Rust
 * side declares the same functions in framework/key.rs and perf.rs.
 */
#ifndef _CARAPACE_KERNEL_OBJECTS_H
#define _CARAPACE_KERNEL_OBJECTS_H

struct key;
struct perf_event;

void *carapace_key_security(const struct key *key);
void *carapace_perf_event_security(const struct perf_event *event);

#endif /* _CARAPACE_KERNEL_OBJECTS_H */
