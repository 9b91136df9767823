// SPDX-License-Identifier: GPL-2.0
/*
 * CAP_CHECKPOINT_RESTORE under carapace: clone3() set_tid and opening
 * /proc/PID/map_files links are granted exactly where the policy grants
 * capability2 (or cap2_userns) checkpoint_restore to the caller's domain,
 * and every denial leaves an AVC audit record naming checkpoint_restore.
 *
 * The suite runs this program in several domains (through the admin
 * tool's exec-in-domain) and enforcement modes; each test derives what
 * must happen from the domain it runs in and from
 * /sys/kernel/security/carapace/enforce:
 *   cr_allowed_t            allowed, no record
 *   any other, enforcing    EPERM, a record with permissive=0
 *   any other, permissive   allowed, a record with permissive=1
 * unless CARAPACE_EXPECT=allowed|denied says otherwise (for test policies).
 * The operations are made by a child that is not root and holds only
 * CAP_CHECKPOINT_RESTORE (or no capability at all).
 *
 * Run inside a new user namespace that owns the current PID namespace
 * (unshare -r -p -f), the clone3 tests check the capability in that user
 * namespace: class cap2_userns instead of capability2, and the child keeps
 * its namespace's root uid (no other uid is mapped), holding only
 * CAP_CHECKPOINT_RESTORE there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define UNPRIVILEGED_UID 1000
#define KLOG_SIZE (1 << 20)
#define SYSLOG_ACTION_READ_ALL 3 /* include/linux/syslog.h, not in UAPI */

static char domain[256];
static bool in_user_namespace;

/* Whether this task's user namespace is not the initial one. */
static bool child_user_namespace(void)
{
	unsigned long inside, outside, count;
	FILE *f = fopen("/proc/self/uid_map", "r");
	bool child = true;

	if (f && fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		child = !(inside == 0 && outside == 0 && count == 4294967295UL);
	if (f)
		fclose(f);
	return child;
}

/* The class a CAP_CHECKPOINT_RESTORE check is made in, here. */
static const char *capability_class(void)
{
	return in_user_namespace ? "cap2_userns" : "capability2";
}

static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok = f && fgets(buf, size, f);

	if (f)
		fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* What the policy and the mode say must happen in this domain. */
enum outcome { ALLOWED, DENIED, ALLOWED_PERMISSIVE };

static enum outcome expected(void)
{
	const char *forced = getenv("CARAPACE_EXPECT");
	char enforce[8] = "1";

	/* For policies that grant other domains than the default one. */
	if (forced && !strcmp(forced, "allowed"))
		return ALLOWED;
	if (forced && !strcmp(forced, "denied"))
		return DENIED;
	if (!strcmp(domain, "cr_allowed_t"))
		return ALLOWED;
	read_line("/sys/kernel/security/carapace/enforce", enforce, sizeof(enforce));
	return strcmp(enforce, "0") ? DENIED : ALLOWED_PERMISSIVE;
}

/* Become uid 1000 holding only CAP_CHECKPOINT_RESTORE, or nothing. */
static int drop_privileges(bool keep_checkpoint_restore)
{
	cap_value_t cap = CAP_CHECKPOINT_RESTORE;
	cap_t caps;
	int ret;

	if (!in_user_namespace &&
	    (prctl(PR_SET_KEEPCAPS, 1) ||
	     setresgid(UNPRIVILEGED_UID, UNPRIVILEGED_UID, UNPRIVILEGED_UID) ||
	     setresuid(UNPRIVILEGED_UID, UNPRIVILEGED_UID, UNPRIVILEGED_UID)))
		return -1;
	caps = cap_init();
	if (!caps)
		return -1;
	if (keep_checkpoint_restore &&
	    (cap_set_flag(caps, CAP_PERMITTED, 1, &cap, CAP_SET) ||
	     cap_set_flag(caps, CAP_EFFECTIVE, 1, &cap, CAP_SET)))
		return -1;
	ret = cap_set_proc(caps);
	cap_free(caps);
	return ret;
}

/* A PID no task has, from a range a fresh VM does not reach. */
static pid_t free_pid(void)
{
	pid_t pid;

	for (pid = 2000 + (getpid() % 1000) * 8; pid < 32000; pid++)
		if (kill(pid, 0) && errno == ESRCH)
			return pid;
	return -1;
}

/* clone3() with set_tid = {tid}; 0 in the child, the PID or -1 here. */
static pid_t clone3_set_tid(pid_t tid, uint64_t flags)
{
	struct clone_args args = {
		.flags = flags,
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&tid,
		.set_tid_size = 1,
	};

	return syscall(__NR_clone3, &args, sizeof(args));
}

/*
 * Whether the kernel log has carapace's AVC record for a
 * checkpoint_restore check by @pid with @extra in it. Records reach the
 * log through kauditd, so wait for them a little.
 */
static bool has_record(pid_t pid, const char *tclass, bool permissive)
{
	char *log = malloc(KLOG_SIZE), needle[128], tail[1024];
	bool found = false;
	int attempt, len;

	if (!log)
		return false;
	snprintf(needle, sizeof(needle),
		 "carapace: denied { checkpoint_restore } for pid=%d comm=", pid);
	snprintf(tail, sizeof(tail),
		 "capability=40 scontext=%s tcontext=%s tclass=%s permissive=%d",
		 domain, domain, tclass, permissive);
	for (attempt = 0; attempt < 40 && !found; attempt++) {
		char *line;

		len = klogctl(SYSLOG_ACTION_READ_ALL, log, KLOG_SIZE - 1);
		if (len < 0)
			break;
		log[len] = '\0';
		for (line = strtok(log, "\n"); line; line = strtok(NULL, "\n"))
			if (strstr(line, needle) && strstr(line, tail))
				found = true;
		if (!found)
			usleep(50000);
	}
	free(log);
	return found;
}

FIXTURE(checkpoint_restore) {
	enum outcome expect;
};

FIXTURE_SETUP(checkpoint_restore)
{
	/* Carapace's own file; the generic one may belong to another LSM. */
	ASSERT_TRUE(read_line("/proc/self/attr/carapace/current", domain, sizeof(domain)) ||
		    read_line("/proc/self/attr/current", domain, sizeof(domain)));
	in_user_namespace = child_user_namespace();
	self->expect = expected();
	TH_LOG("domain %s, %s user namespace, expecting %s", domain,
	       in_user_namespace ? "child" : "initial",
	       self->expect == ALLOWED ? "allowed" :
	       self->expect == DENIED ? "denied" : "allowed in permissive mode");
}

FIXTURE_TEARDOWN(checkpoint_restore)
{
}

/*
 * The PID audit records give a task: its PID in the initial PID namespace,
 * which /proc (mounted there) calls "self".
 */
static pid_t audit_pid(void)
{
	char link[32] = "";

	if (readlink("/proc/self", link, sizeof(link) - 1) < 0)
		return -1;
	return atoi(link);
}

/*
 * Runs @op in an unprivileged child and stores its audit PID in *@child.
 * The child's status: 0 the operation succeeded, 1 it failed with EPERM,
 * 2 anything else went wrong.
 */
static int run_child(pid_t *child, int (*op)(void *), void *arg, bool keep_cap)
{
	pid_t *shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int status;

	if (shared == MAP_FAILED)
		return -1;
	*shared = -1;
	pid = fork();
	if (pid == 0) {
		*shared = audit_pid();
		if (drop_privileges(keep_cap))
			_exit(2);
		_exit(op(arg));
	}
	*child = *shared;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		munmap(shared, sizeof(*shared));
		return -1;
	}
	*child = *shared;
	munmap(shared, sizeof(*shared));
	return WEXITSTATUS(status);
}

static int set_tid_op(void *arg)
{
	uint64_t flags = *(uint64_t *)arg;
	pid_t want, pid;
	int status;

	want = free_pid();
	pid = clone3_set_tid(want, flags);
	if (pid == 0)
		_exit(getpid() == want ? 0 : 3);
	if (pid < 0)
		return errno == EPERM ? 1 : 2;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return 2;
	return 0;
}

static void check(struct __test_metadata *_metadata, enum outcome expect,
		  int result, pid_t child, const char *tclass)
{
	switch (expect) {
	case ALLOWED:
		ASSERT_EQ(0, result);
		EXPECT_FALSE(has_record(child, tclass, false));
		break;
	case DENIED:
		ASSERT_EQ(1, result);
		ASSERT_TRUE(has_record(child, tclass, false));
		break;
	case ALLOWED_PERMISSIVE:
		ASSERT_EQ(0, result);
		ASSERT_TRUE(has_record(child, tclass, true));
		break;
	}
}

TEST_F(checkpoint_restore, clone3_set_tid)
{
	uint64_t flags = 0;
	pid_t child;
	int result = run_child(&child, set_tid_op, &flags, true);

	check(_metadata, self->expect, result, child, capability_class());
	if (self->expect == ALLOWED_PERMISSIVE) {
		/* Logged once per cache entry: not again. */
		ASSERT_EQ(0, run_child(&child, set_tid_op, &flags, true));
		EXPECT_FALSE(has_record(child, capability_class(), true));
	}
}

TEST_F(checkpoint_restore, clone3_set_tid_without_capability)
{
	uint64_t flags = 0;
	pid_t child;
	int result = run_child(&child, set_tid_op, &flags, false);

	/* Refused by the capability check: carapace is never asked. */
	ASSERT_EQ(1, result);
	EXPECT_FALSE(has_record(child, capability_class(), false));
	EXPECT_FALSE(has_record(child, capability_class(), true));
}

struct mapping {
	void *addr;
	size_t len;
	const char *content;
};

/* Open (not only readlink) the map_files link of @m in /proc/@task. */
static int open_map_file(const char *task, const struct mapping *m)
{
	char path[128], target[256], buf[64] = "";
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/map_files/%lx-%lx", task,
		 (unsigned long)m->addr, (unsigned long)m->addr + m->len);
	/* readlink is not gated by the capability. */
	if (readlink(path, target, sizeof(target)) < 0)
		return 2;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno == EPERM || errno == EACCES ? 1 : 2;
	if (read(fd, buf, sizeof(buf) - 1) < 0 || strcmp(buf, m->content))
		return 2;
	close(fd);
	return 0;
}

/* This task's own mapping. */
static int own_mapping_op(void *arg)
{
	return open_map_file("self", arg);
}

/* The same mapping in a child of this task (inherited by fork). */
static int child_mapping_op(void *arg)
{
	char task[16];
	int ready[2], ret;
	pid_t pid;

	/* Changing uid made this task non-dumpable; its child must not be. */
	if (prctl(PR_SET_DUMPABLE, 1) || pipe(ready))
		return 2;
	pid = fork();
	if (pid == 0) {
		char c;

		close(ready[1]);
		/* Keep the mapping until the parent is done. */
		_exit(read(ready[0], &c, 1) < 0);
	}
	if (pid < 0)
		return 2;
	close(ready[0]);
	snprintf(task, sizeof(task), "%d", pid);
	ret = open_map_file(task, arg);
	close(ready[1]);
	waitpid(pid, NULL, 0);
	return ret;
}

static void map_files_case(struct __test_metadata *_metadata, enum outcome expect,
			   int fd, const char *content, int (*op)(void *))
{
	struct mapping m = { .len = 4096, .content = content };
	pid_t child;
	int result;

	if (in_user_namespace)
		SKIP(return, "map_files needs the capability in the initial user namespace");
	ASSERT_EQ(strlen(content), write(fd, content, strlen(content)));
	ASSERT_EQ(0, ftruncate(fd, m.len));
	m.addr = mmap(NULL, m.len, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m.addr);
	close(fd);
	result = run_child(&child, op, &m, true);
	check(_metadata, expect, result, child, "capability2");
	munmap(m.addr, m.len);
}

TEST_F(checkpoint_restore, map_files_memfd)
{
	int fd = memfd_create("carapace-test", 0);

	ASSERT_LE(0, fd);
	map_files_case(_metadata, self->expect, fd, "memfd content", own_mapping_op);
}

TEST_F(checkpoint_restore, map_files_of_child)
{
	int fd = memfd_create("carapace-test", 0);

	ASSERT_LE(0, fd);
	map_files_case(_metadata, self->expect, fd, "child's memfd", child_mapping_op);
}

TEST_F(checkpoint_restore, map_files_without_capability)
{
	struct mapping m = { .len = 4096, .content = "no capability" };
	int fd = memfd_create("carapace-test", 0);
	pid_t child;
	int result;

	if (in_user_namespace)
		SKIP(return, "map_files needs the capability in the initial user namespace");
	ASSERT_LE(0, fd);
	ASSERT_EQ(strlen(m.content), write(fd, m.content, strlen(m.content)));
	ASSERT_EQ(0, ftruncate(fd, m.len));
	m.addr = mmap(NULL, m.len, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m.addr);
	close(fd);
	result = run_child(&child, own_mapping_op, &m, false);
	munmap(m.addr, m.len);
	/* Refused by the capability check: carapace is never asked. */
	ASSERT_EQ(1, result);
	EXPECT_FALSE(has_record(child, "capability2", false));
	EXPECT_FALSE(has_record(child, "capability2", true));
}

TEST_F(checkpoint_restore, map_files_deleted_file)
{
	char path[] = "/tmp/carapace-map-XXXXXX";
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	/* Readable by the unprivileged child once reopened. */
	ASSERT_EQ(0, fchmod(fd, 0644));
	ASSERT_EQ(0, unlink(path));
	map_files_case(_metadata, self->expect, fd, "deleted file content", own_mapping_op);
}

TEST_HARNESS_MAIN
