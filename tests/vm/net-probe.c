// SPDX-License-Identifier: GPL-2.0
/*
 * net-probe: one socket or System V IPC operation for the sockets and ipc
 * suites. Prints what it saw, or "error: <errno name>", and exits 0 or 1.
 *
 *   net-probe stream-serve PATH        listen on the Unix stream socket
 *                                      PATH, accept one connection, send
 *                                      the client's SO_PEERSEC back on it
 *   net-probe stream-connect PATH      connect to PATH; print
 *                                      "peer: <SO_PEERSEC>" and what the
 *                                      server sent ("server saw: ...")
 *   net-probe dgram-serve PATH [N]     bind a Unix datagram socket to PATH
 *                                      and print the first N datagrams
 *                                      (default 1)
 *   net-probe dgram-send PATH TEXT     send TEXT to PATH
 *   net-probe pair-peer                SO_PEERSEC of a socketpair's end
 *   net-probe socket-label FAMILY TYPE create a socket (unix|inet,
 *                                      stream|dgram) and print its label
 *   net-probe sock-diag                make a socket pair, then dump the
 *                                      Unix sockets over NETLINK_SOCK_DIAG;
 *                                      print "sockets: N"
 *   net-probe udp-send PORT            send a datagram to 127.0.0.1:PORT
 *   net-probe shm-create KEY | shm-attach KEY | shm-remove KEY
 *   net-probe sem-create KEY | sem-op KEY
 *   net-probe msg-create KEY | msg-send KEY TEXT | msg-receive KEY
 *   net-probe mq-send NAME TEXT        open (or create) the POSIX message
 *                                      queue NAME and send TEXT
 *   net-probe mq-receive NAME          open NAME and print its first
 *                                      message ("received: ...")
 *   net-probe mq-remove NAME           unlink NAME
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <mqueue.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

static int fail(void)
{
	printf("error: %s\n", strerrorname_np(errno));
	return 1;
}

static socklen_t unix_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s", path);
	return sizeof(*a);
}

/* SO_PEERSEC of fd into buf, or "error: ...". */
static void peersec(int fd, char *buf, socklen_t size)
{
	socklen_t len = size - 1;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERSEC, buf, &len) < 0)
		snprintf(buf, size, "error: %s", strerrorname_np(errno));
	else
		buf[len < size ? len : size - 1] = '\0';
}

static int stream_serve(const char *path)
{
	struct sockaddr_un a;
	char peer[256];
	int s = socket(AF_UNIX, SOCK_STREAM, 0), c;

	unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&a, unix_addr(&a, path)) || listen(s, 4))
		return fail();
	printf("listening\n");
	fflush(stdout);
	c = accept(s, NULL, NULL);
	if (c < 0)
		return fail();
	peersec(c, peer, sizeof(peer));
	if (write(c, peer, strlen(peer)) < 0)
		return fail();
	close(c);
	return 0;
}

static int stream_connect(const char *path)
{
	struct sockaddr_un a;
	char peer[256], seen[256];
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	ssize_t n;

	if (s < 0 || connect(s, (struct sockaddr *)&a, unix_addr(&a, path)))
		return fail();
	peersec(s, peer, sizeof(peer));
	n = read(s, seen, sizeof(seen) - 1);
	if (n < 0)
		return fail();
	seen[n] = '\0';
	printf("peer: %s\nserver saw: %s\n", peer, seen);
	return 0;
}

static int dgram_serve(const char *path, int count)
{
	struct sockaddr_un a;
	char buf[256];
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	ssize_t n;

	unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&a, unix_addr(&a, path)))
		return fail();
	printf("bound\n");
	fflush(stdout);
	while (count-- > 0) {
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			return fail();
		buf[n] = '\0';
		printf("received: %s\n", buf);
		fflush(stdout);
	}
	return 0;
}

static int dgram_send(const char *path, const char *text)
{
	struct sockaddr_un a;
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (s < 0 || sendto(s, text, strlen(text), 0, (struct sockaddr *)&a,
			    unix_addr(&a, path)) < 0)
		return fail();
	printf("sent\n");
	return 0;
}

static int pair_peer(void)
{
	char peer[256];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return fail();
	peersec(sv[0], peer, sizeof(peer));
	printf("peer: %s\n", peer);
	return 0;
}

static int socket_label(const char *family, const char *type)
{
	char label[256];
	int f = !strcmp(family, "inet") ? AF_INET : AF_UNIX;
	int t = !strcmp(type, "dgram") ? SOCK_DGRAM : SOCK_STREAM;
	int s = socket(f, t, 0);
	ssize_t n;

	if (s < 0)
		return fail();
	n = fgetxattr(s, "security.carapace", label, sizeof(label) - 1);
	if (n < 0)
		return fail();
	label[n] = '\0';
	printf("%s\n", label);
	return 0;
}

static int sock_diag(void)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} msg = {
		.nlh = {
			.nlmsg_len = sizeof(msg),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.req = {
			.sdiag_family = AF_UNIX,
			.udiag_states = -1,
		},
	};
	char buf[8192];
	int s = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG), count = 0, sv[2];

	/* At least these two are there to be found. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return fail();
	if (s < 0 || send(s, &msg, sizeof(msg), 0) < 0)
		return fail();
	for (;;) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0)
			return fail();
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				printf("sockets: %d\n", count);
				return 0;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
				return fail();
			}
			count++;
		}
	}
}

static int udp_send(int port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0 || sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)) < 0)
		return fail();
	printf("sent\n");
	return 0;
}

struct msgbuf_text {
	long mtype;
	char mtext[64];
};

static int ipc(const char *op, key_t key, const char *text)
{
	struct msgbuf_text m = { .mtype = 1 };
	struct sembuf up = { .sem_num = 0, .sem_op = 1 };
	int id;
	void *p;
	ssize_t n;

	if (!strcmp(op, "shm-create"))
		id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0666);
	else if (!strcmp(op, "sem-create"))
		id = semget(key, 1, IPC_CREAT | IPC_EXCL | 0666);
	else if (!strcmp(op, "msg-create"))
		id = msgget(key, IPC_CREAT | IPC_EXCL | 0666);
	else if (!strncmp(op, "shm-", 4))
		id = shmget(key, 0, 0);
	else if (!strncmp(op, "sem-", 4))
		id = semget(key, 0, 0);
	else
		id = msgget(key, 0);
	if (id < 0)
		return fail();
	if (!strcmp(op, "shm-attach")) {
		p = shmat(id, NULL, 0);
		if (p == (void *)-1 || shmdt(p))
			return fail();
	} else if (!strcmp(op, "shm-remove")) {
		if (shmctl(id, IPC_RMID, NULL))
			return fail();
	} else if (!strcmp(op, "sem-op")) {
		if (semop(id, &up, 1))
			return fail();
	} else if (!strcmp(op, "msg-send")) {
		snprintf(m.mtext, sizeof(m.mtext), "%s", text);
		if (msgsnd(id, &m, strlen(m.mtext) + 1, IPC_NOWAIT))
			return fail();
	} else if (!strcmp(op, "msg-receive")) {
		n = msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT);
		if (n < 0)
			return fail();
		printf("received: %s\n", m.mtext);
		return 0;
	}
	printf("ok\n");
	return 0;
}

static int posix_mq(const char *op, const char *name, const char *text)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	char buf[64];
	mqd_t q;
	ssize_t n;

	if (!strcmp(op, "mq-remove")) {
		if (mq_unlink(name))
			return fail();
		printf("ok\n");
		return 0;
	}
	if (!strcmp(op, "mq-send"))
		q = mq_open(name, O_WRONLY | O_CREAT | O_NONBLOCK, 0666, &attr);
	else
		q = mq_open(name, O_RDONLY | O_NONBLOCK);
	if (q == (mqd_t)-1)
		return fail();
	if (!strcmp(op, "mq-send")) {
		if (mq_send(q, text, strlen(text) + 1, 0))
			return fail();
		printf("ok\n");
		return 0;
	}
	n = mq_receive(q, buf, sizeof(buf), NULL);
	if (n <= 0)
		return fail();
	buf[n - 1] = 0;
	printf("received: %s\n", buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "stream-serve"))
		return stream_serve(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "stream-connect"))
		return stream_connect(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "dgram-serve"))
		return dgram_serve(argv[2], argc >= 4 ? atoi(argv[3]) : 1);
	if (argc >= 4 && !strcmp(argv[1], "dgram-send"))
		return dgram_send(argv[2], argv[3]);
	if (argc >= 2 && !strcmp(argv[1], "pair-peer"))
		return pair_peer();
	if (argc >= 4 && !strcmp(argv[1], "socket-label"))
		return socket_label(argv[2], argv[3]);
	if (argc >= 2 && !strcmp(argv[1], "sock-diag"))
		return sock_diag();
	if (argc >= 3 && !strcmp(argv[1], "udp-send"))
		return udp_send(atoi(argv[2]));
	if (argc >= 3 && (!strncmp(argv[1], "shm-", 4) || !strncmp(argv[1], "sem-", 4) ||
			  !strncmp(argv[1], "msg-", 4)))
		return ipc(argv[1], (key_t)strtol(argv[2], NULL, 0), argc >= 4 ? argv[3] : "");
	if (argc >= 3 && !strncmp(argv[1], "mq-", 3))
		return posix_mq(argv[1], argv[2], argc >= 4 ? argv[3] : "");
	fprintf(stderr, "usage: see the comment at the top of net-probe.c\n");
	return 2;
}
