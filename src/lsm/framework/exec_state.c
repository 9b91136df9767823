// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of a task that an exec into a new domain must not carry over,
 * reached through the kernel's own locking: resource limits, signal state
 * and descriptors. The Rust side (framework/exec.rs) decides when to call
 * these; they only do what their names say.
 */

#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/posix-timers.h>
#include <linux/resource.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/time.h>

#include "exec_state.h"

/* Lowers each soft limit of the current task to init's, within its hard limit. */
void carapace_reset_rlimits(void)
{
	unsigned int i;

	task_lock(current);
	for (i = 0; i < RLIM_NLIMITS; i++) {
		struct rlimit *limit = &current->signal->rlim[i];

		limit->rlim_cur = min(limit->rlim_max, init_task.signal->rlim[i].rlim_cur);
	}
	task_unlock(current);
	if (IS_ENABLED(CONFIG_POSIX_TIMERS))
		update_rlimit_cpu(current, rlimit(RLIMIT_CPU));
}

/*
 * Drops the current task's interval timers, pending signals, handlers and
 * blocked mask, unless it is being killed.
 */
void carapace_reset_signals(void)
{
	struct sighand_struct *sighand = current->sighand;

	clear_itimer();
	spin_lock_irq(&sighand->siglock);
	if (!fatal_signal_pending(current)) {
		flush_sigqueue(&current->pending);
		flush_sigqueue(&current->signal->shared_pending);
		flush_signal_handlers(current, 1);
		sigemptyset(&current->blocked);
		recalc_sigpending();
	}
	spin_unlock_irq(&sighand->siglock);
}

/* Wakes the parent in wait(), which may now be refused the new domain. */
void carapace_wake_parent(void)
{
	read_lock(&tasklist_lock);
	__wake_up_parent(current, current->real_parent);
	read_unlock(&tasklist_lock);
}

static ssize_t null_read(struct file *file, char __user *buf, size_t count,
			 loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *file, const char __user *buf,
			  size_t count, loff_t *pos)
{
	return count;
}

static const struct file_operations null_fops = {
	.read = null_read,
	.write = null_write,
	.llseek = noop_llseek,
};

/*
 * A file that reads as empty and swallows writes, opened with @cred (so that
 * its opener is the domain the task is entering); NULL when out of memory.
 */
struct file *carapace_open_null(const struct cred *cred)
{
	const struct cred *old = override_creds(cred);
	struct file *file = anon_inode_getfile("[carapace-null]", &null_fops,
					       NULL, O_RDWR);

	revert_creds(old);
	return IS_ERR(file) ? NULL : file;
}

void carapace_put_file(struct file *file)
{
	fput(file);
}

/*
 * The first descriptor of the current task from @start on for which
 * @match returns non-zero (its return value), or 0. @match runs under the
 * descriptor table's spinlock.
 */
unsigned int carapace_find_fd(unsigned int start,
			      int (*match)(const void *, struct file *, unsigned int),
			      const void *data)
{
	return current->files ? iterate_fd(current->files, start, match, data) : 0;
}

/* Points descriptor @fd of the current task at @file, or closes it if NULL. */
int carapace_replace_fd(unsigned int fd, struct file *file)
{
	return replace_fd(fd, file, 0);
}
