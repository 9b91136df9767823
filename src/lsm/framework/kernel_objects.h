/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C side of the key, perf event and mount option wrappers
 * (kernel_objects.c); the Rust side declares the same functions in
 * framework/key.rs, perf.rs and superblock.rs.
 */
#ifndef _CARAPACE_KERNEL_OBJECTS_H
#define _CARAPACE_KERNEL_OBJECTS_H

#include <linux/types.h>

struct key;
struct perf_event;
struct fs_context;
struct fs_parameter;
struct seq_file;

void *carapace_key_security(const struct key *key);
void *carapace_perf_event_security(const struct perf_event *event);
void **carapace_fs_context_security(struct fs_context *fc);
const char *carapace_fs_param_key(const struct fs_parameter *param);
const char *carapace_fs_param_string(const struct fs_parameter *param,
				     size_t *len);
void carapace_seq_show_mount_label(struct seq_file *m, const char *name,
				   const char *label, size_t len);

#endif /* _CARAPACE_KERNEL_OBJECTS_H */
