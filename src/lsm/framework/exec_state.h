/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C side of carapace's exec handling (exec_state.c); the Rust side
 * declares the same functions in framework/exec.rs.
 */
#ifndef _CARAPACE_EXEC_STATE_H
#define _CARAPACE_EXEC_STATE_H

struct cred;
struct file;

void carapace_reset_rlimits(void);
void carapace_reset_signals(void);
void carapace_wake_parent(void);
struct file *carapace_open_null(const struct cred *cred);
void carapace_put_file(struct file *file);
unsigned int carapace_find_fd(unsigned int start,
			      int (*match)(const void *, struct file *, unsigned int),
			      const void *data);
int carapace_replace_fd(unsigned int fd, struct file *file);

#endif /* _CARAPACE_EXEC_STATE_H */
