// SPDX-License-Identifier: GPL-2.0
/*
 * The security blobs of keys and perf events, and the mount options of
 * a filesystem context, whose structures the Rust bindings leave opaque
 * (their headers are not among the bindings'); and the escaping of a
 * label shown in /proc/mounts (seq_escape_mem()'s flags are macros).
 */
#include <linux/fs_context.h>
#include <linux/key.h>
#include <linux/perf_event.h>
#include <linux/seq_file.h>
#include <linux/string_helpers.h>

#include "kernel_objects.h"

void *carapace_key_security(const struct key *key)
{
	return key->security;
}

void *carapace_perf_event_security(const struct perf_event *event)
{
	return event->security;
}

void **carapace_fs_context_security(struct fs_context *fc)
{
	return &fc->security;
}

const char *carapace_fs_param_key(const struct fs_parameter *param)
{
	return param->key;
}

/* The parameter's value when it is a string (NULL for a flag, a blob…). */
const char *carapace_fs_param_string(const struct fs_parameter *param,
				     size_t *len)
{
	if (param->type != fs_value_is_string || !param->string)
		return NULL;
	*len = param->size;
	return param->string;
}

/*
 * ",NAME=LABEL", with what would end the option or the line escaped in
 * octal, as SELinux shows its contexts.
 */
void carapace_seq_show_mount_label(struct seq_file *m, const char *name,
				   const char *label, size_t len)
{
	seq_putc(m, ',');
	seq_puts(m, name);
	seq_putc(m, '=');
	seq_escape_mem(m, label, len, ESCAPE_OCTAL, "\"\n\\, \t");
}
