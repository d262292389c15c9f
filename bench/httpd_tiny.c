// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * httpd_tiny: the real servers of bench/checkers. One process, one epoll,
 * thousands of listening sockets; every request gets the same small
 * HTTP/1.0 answer, then the connection is closed.
 *
 *   httpd_tiny [-b BODY] ADDR:PORT[-LAST] ...
 *   httpd_tiny -c [-i INTERVAL_MS] ADDR:PORT[-LAST] ...
 *
 * Listens on each ADDR:PORT (IPv4, or [IPv6]) of the list, port ranges
 * inclusive. A request ends at its blank line. The answer is
 * "200 OK" with Content-Length and BODY (default "ok\n"). SIGUSR1 prints
 * "requests N" on stdout; SIGTERM ends it.
 *
 * -c: the client instead, the floor a checker cannot go below: it fetches
 * "/" from each ADDR:PORT every INTERVAL_MS (default 1000) with the
 * system calls any non-blocking checker needs (socket, connect, epoll,
 * send, recv, close) and nothing else: no timers, logs or parsing beyond
 * Content-Length. SIGUSR1 prints "requests N failed M".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define LISTEN_TAG	(1ull << 32)
#define MAX_FD		(1 << 20)

static volatile sig_atomic_t want_stats, want_stop;
static uint8_t *hdr_state;	/* per connection fd: bytes of "\r\n\r\n" matched */
static char resp[512];
static size_t resp_len;
static unsigned long long n_requests;

/* ---- client mode ---- */

struct target {
	struct sockaddr_in sa;
	uint64_t due_us;
	int fd;
	uint32_t next;		/* FIFO of idle targets, by due time */
	uint16_t got;		/* response bytes read */
	bool sent;		/* the request is out: waiting for the answer */
};

static struct target *tg;
static uint32_t n_tg, fifo_head = UINT32_MAX, fifo_tail = UINT32_MAX;
static unsigned long long n_failed;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void fifo_push(uint32_t i, uint64_t due)
{
	tg[i].due_us = due;
	tg[i].next = UINT32_MAX;
	if (fifo_tail == UINT32_MAX)
		fifo_head = i;
	else
		tg[fifo_tail].next = i;
	fifo_tail = i;
}

static void client_end(int ep, uint32_t i, bool ok, uint64_t interval_us)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, tg[i].fd, NULL);
	close(tg[i].fd);
	tg[i].fd = -1;
	if (ok)
		n_requests++;
	else
		n_failed++;
	fifo_push(i, now_us() + interval_us);
}

static void client_start(int ep, uint32_t i, uint64_t interval_us)
{
	struct epoll_event ee = { .events = EPOLLOUT, .data.u64 = i };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || (connect(fd, (struct sockaddr *)&tg[i].sa, sizeof(tg[i].sa)) < 0 &&
		       errno != EINPROGRESS)) {
		if (fd >= 0)
			close(fd);
		n_failed++;
		fifo_push(i, now_us() + interval_us);
		return;
	}
	tg[i].fd = fd;
	tg[i].got = 0;
	tg[i].sent = false;
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee);
}

static void client_io(int ep, uint32_t i, uint64_t interval_us)
{
	static const char req[] = "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
				  "Host: x\r\n\r\n";
	struct epoll_event ee = { .events = EPOLLIN, .data.u64 = i };
	char buf[2048];
	ssize_t n;

	if (!tg[i].sent) {
		/* connected: send, then wait for the answer */
		if (send(tg[i].fd, req, sizeof(req) - 1, MSG_NOSIGNAL) < 0) {
			client_end(ep, i, false, interval_us);
			return;
		}
		tg[i].sent = true;
		epoll_ctl(ep, EPOLL_CTL_MOD, tg[i].fd, &ee);
		return;
	}
	n = recv(tg[i].fd, buf, sizeof(buf), 0);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		client_end(ep, i, n == 0 && tg[i].got > 0, interval_us);
		return;
	}
	tg[i].got = (uint16_t)(tg[i].got + n);
	/* the answer of httpd_tiny fits one segment: complete at its body */
	if (memmem(buf, (size_t)n, "\r\n\r\n", 4))
		client_end(ep, i, true, interval_us);
}

static int client_main(int ep, int argc, char **argv, uint64_t interval_us)
{
	struct epoll_event evs[256];

	for (int a = 0; a < argc; a++) {
		char *colon = strrchr(argv[a], ':'), *dash;
		unsigned lo, hi;

		if (!colon)
			return 2;
		*colon = '\0';
		lo = (unsigned)strtoul(colon + 1, &dash, 10);
		hi = *dash == '-' ? (unsigned)strtoul(dash + 1, NULL, 10) : lo;
		for (unsigned p = lo; p <= hi && p < 65536; p++) {
			tg = realloc(tg, (n_tg + 1) * sizeof(*tg));
			if (!tg)
				return 1;
			memset(&tg[n_tg], 0, sizeof(*tg));
			tg[n_tg].sa.sin_family = AF_INET;
			tg[n_tg].sa.sin_port = htons((uint16_t)p);
			if (inet_pton(AF_INET, argv[a], &tg[n_tg].sa.sin_addr) != 1)
				return 2;
			tg[n_tg].fd = -1;
			n_tg++;
		}
	}
	/* first fetches spread over one interval */
	for (uint32_t i = 0; i < n_tg; i++)
		fifo_push(i, now_us() + interval_us * i / (n_tg ? n_tg : 1));
	printf("started\n");
	fflush(stdout);
	while (!want_stop) {
		uint64_t now = now_us();
		int wait_ms = 1000, n;

		while (fifo_head != UINT32_MAX && tg[fifo_head].due_us <= now) {
			uint32_t i = fifo_head;

			fifo_head = tg[i].next;
			if (fifo_head == UINT32_MAX)
				fifo_tail = UINT32_MAX;
			client_start(ep, i, interval_us);
		}
		if (fifo_head != UINT32_MAX)
			wait_ms = (int)((tg[fifo_head].due_us - now + 999) / 1000);
		n = epoll_wait(ep, evs, (int)(sizeof(evs) / sizeof(evs[0])), wait_ms);
		if (want_stats) {
			want_stats = 0;
			printf("requests %llu failed %llu\n", n_requests, n_failed);
			fflush(stdout);
		}
		for (int k = 0; k < n; k++)
			client_io(ep, (uint32_t)evs[k].data.u64, interval_us);
	}
	return 0;
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_stats = 1;
	else
		want_stop = 1;
}

static int listen_on(int ep, const char *addr, unsigned port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct epoll_event ee = { .events = EPOLLIN };
	int fd, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
		sl = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		sl = sizeof(struct sockaddr_in6);
	} else {
		fprintf(stderr, "httpd_tiny: bad address '%s'\n", addr);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 512) < 0) {
		fprintf(stderr, "httpd_tiny: %s:%u: %s\n", addr, port, strerror(errno));
		close(fd);
		return -1;
	}
	ee.data.u64 = LISTEN_TAG | (uint64_t)fd;
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee);
}

/* "ADDR:PORT", "ADDR:PORT-LAST", "[V6]:PORT-LAST" */
static int listen_spec(int ep, char *spec)
{
	char *colon = strrchr(spec, ':'), *dash, *addr = spec;
	unsigned lo, hi;

	if (!colon)
		return -1;
	*colon = '\0';
	if (*addr == '[') {
		addr++;
		addr[strlen(addr) - 1] = '\0';
	}
	lo = (unsigned)strtoul(colon + 1, &dash, 10);
	hi = *dash == '-' ? (unsigned)strtoul(dash + 1, NULL, 10) : lo;
	for (unsigned p = lo; p <= hi && p < 65536; p++)
		if (listen_on(ep, addr, p) < 0)
			return -1;
	return 0;
}

static void conn_close(int ep, int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
}

static void conn_read(int ep, int fd)
{
	static const char end[] = "\r\n\r\n";
	char buf[2048];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	uint8_t st = hdr_state[fd];

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(ep, fd);
		return;
	}
	for (ssize_t i = 0; i < n && st < 4; i++)
		st = buf[i] == end[st] ? st + 1 : (buf[i] == '\r' ? 1 : 0);
	hdr_state[fd] = st;
	if (st < 4)
		return;
	n_requests++;
	/* small enough for an empty socket buffer: one send does it */
	send(fd, resp, resp_len, MSG_NOSIGNAL | MSG_DONTWAIT);
	conn_close(ep, fd);
}

static void conn_accept(int ep, int lfd)
{
	struct epoll_event ee = { .events = EPOLLIN };

	for (int i = 0; i < 64; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (fd >= MAX_FD) {
			close(fd);
			continue;
		}
		hdr_state[fd] = 0;
		ee.data.u64 = (uint64_t)fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee) < 0)
			close(fd);
	}
}

int main(int argc, char **argv)
{
	const char *body = "ok\n";
	struct epoll_event evs[256];
	struct sigaction sa = { .sa_handler = on_signal };
	struct rlimit rl;
	uint64_t interval_ms = 1000;
	bool client = false;
	int ep, o;

	while ((o = getopt(argc, argv, "b:ci:")) != -1) {
		switch (o) {
		case 'b':
			body = optarg;
			break;
		case 'c':
			client = true;
			break;
		case 'i':
			interval_ms = strtoull(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: httpd_tiny [-b BODY] ADDR:PORT[-LAST] ...\n"
				"       httpd_tiny -c [-i INTERVAL_MS] ADDR:PORT[-LAST] ...\n");
			return 2;
		}
	}
	resp_len = (size_t)snprintf(resp, sizeof(resp), "HTTP/1.0 200 OK\r\nServer: httpd_tiny\r\n"
				    "Content-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
				    strlen(body), body);
	if (resp_len >= sizeof(resp))
		return 2;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	hdr_state = calloc(MAX_FD, 1);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (!hdr_state || ep < 0)
		return 1;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (client)
		return client_main(ep, argc - optind, argv + optind, interval_ms * 1000u);
	for (int i = optind; i < argc; i++)
		if (listen_spec(ep, argv[i]) < 0) {
			fprintf(stderr, "httpd_tiny: cannot listen on %s\n", argv[i]);
			return 1;
		}
	printf("listening\n");
	fflush(stdout);
	while (!want_stop) {
		int n = epoll_wait(ep, evs, (int)(sizeof(evs) / sizeof(evs[0])), -1);

		if (want_stats) {
			want_stats = 0;
			printf("requests %llu\n", n_requests);
			fflush(stdout);
		}
		for (int i = 0; i < n; i++) {
			uint64_t d = evs[i].data.u64;

			if (d & LISTEN_TAG)
				conn_accept(ep, (int)(d & 0xffffffffu));
			else
				conn_read(ep, (int)d);
		}
	}
	return 0;
}
