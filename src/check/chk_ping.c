// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PING_CHECK: one ICMP (RFC 792) or ICMPv6 (RFC 4443 section 4) echo
 * request; the server passes when the matching echo reply comes within
 * connect_timeout. An unprivileged ping socket is used when
 * net.ipv4.ping_group_range allows it, else a raw socket (root).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"
#include "lib/buf.h"

#define PING_HDR_LEN	8
#define PING_DATA_LEN	24
#define ICMP4_ECHO	8
#define ICMP4_REPLY	0
#define ICMP6_ECHO	128
#define ICMP6_REPLY	129

struct ping_run {
	int fd;
	ev_timer_id timer;
	bool raw;
	bool v6;
	uint16_t id, seq;
};

static uint16_t ping_seq;

static void ping_abort(struct chk *c)
{
	struct ping_run *p = c->run;

	if (!p)
		return;
	if (p->timer)
		ev_timer_cancel(chk_loop(c), p->timer);
	if (p->fd >= 0) {
		ev_io_del(chk_loop(c), p->fd);
		close(p->fd);
	}
	free(p);
	c->run = NULL;
}

static void ping_finish(struct chk *c, enum chk_result res, const char *detail)
{
	ping_abort(c);
	chk_done(c, res, detail);
}

static void ping_timeout_cb(void *ud)
{
	struct chk *c = ud;
	struct ping_run *p = c->run;
	char detail[CHK_DETAIL_MAX];

	p->timer = 0;
	snprintf(detail, sizeof(detail), "no echo reply within %.3f s",
		 (double)c->cfg->eff.connect_timeout_us / 1e6);
	ping_finish(c, CHK_READ_TIMEOUT, detail);
}

/* The ICMP message of a datagram: raw IPv4 sockets get the IP header too. */
static const uint8_t *ping_icmp(const struct ping_run *p, const uint8_t *b, size_t *len)
{
	size_t ihl;

	if (!p->raw || p->v6)
		return b;
	if (*len < 20)
		return NULL;
	ihl = (size_t)(b[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > *len)
		return NULL;
	*len -= ihl;
	return b + ihl;
}

static void ping_io_cb(int fd, uint32_t events, void *ud)
{
	struct chk *c = ud;
	struct ping_run *p = c->run;
	uint8_t b[1500];
	char detail[CHK_DETAIL_MAX];

	(void)events;
	for (;;) {
		ssize_t n = recv(fd, b, sizeof(b), 0);
		const uint8_t *m;
		size_t len;

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			snprintf(detail, sizeof(detail), "ping: %s", strerror(errno));
			ping_finish(c, CHK_UNREACHABLE, detail);
			return;
		}
		len = (size_t)n;
		m = ping_icmp(p, b, &len);
		if (!m || len < PING_HDR_LEN)
			continue;
		if (m[0] != (p->v6 ? ICMP6_REPLY : ICMP4_REPLY))
			continue;
		/* a ping socket sets and filters the identifier itself */
		if (p->raw && ((uint16_t)(m[4] << 8 | m[5])) != p->id)
			continue;
		if ((uint16_t)(m[6] << 8 | m[7]) != p->seq)
			continue;
		ping_finish(c, CHK_OK, NULL);
		return;
	}
}

static int ping_socket(struct chk *c, struct ping_run *p)
{
	int proto = p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	int r = chk_sock_connect(c, SOCK_DGRAM, proto, &p->fd);

	if (r == -EACCES || r == -EPERM || r == -EPROTONOSUPPORT) {
		p->raw = true;
		r = chk_sock_connect(c, SOCK_RAW, proto, &p->fd);
	}
	return r;
}

static void ping_start(struct chk *c)
{
	struct ping_run *p = xcalloc(1, sizeof(*p));
	uint8_t m[PING_HDR_LEN + PING_DATA_LEN];
	char detail[CHK_DETAIL_MAX];
	uint64_t now = ev_now_us(chk_loop(c));
	int r;

	p->fd = -1;
	p->v6 = c->cfg->eff_connect_ip.family == AF_INET6;
	p->id = (uint16_t)chk_random_us(c->rs->vs->m, 0xffff);
	p->seq = ++ping_seq;
	r = ping_socket(c, p);
	if (r < 0) {
		free(p);
		snprintf(detail, sizeof(detail), "ping socket: %s", strerror(-r));
		chk_done(c, chk_connect_result(r), detail);
		return;
	}
	c->run = p;
	memset(m, 0, sizeof(m));
	m[0] = p->v6 ? ICMP6_ECHO : ICMP4_ECHO;
	m[4] = (uint8_t)(p->id >> 8);
	m[5] = (uint8_t)p->id;
	m[6] = (uint8_t)(p->seq >> 8);
	m[7] = (uint8_t)p->seq;
	for (unsigned i = 0; i < 8; i++)
		m[PING_HDR_LEN + i] = (uint8_t)(now >> (56 - 8 * i));
	if (!p->v6) {
		/* ICMPv6 checksums are the kernel's (RFC 3542 section 3.1) */
		uint16_t s = buf_csum_fold(buf_csum_add(0, m, sizeof(m)));

		m[2] = (uint8_t)(s >> 8);
		m[3] = (uint8_t)s;
	}
	if (send(p->fd, m, sizeof(m), 0) < 0) {
		snprintf(detail, sizeof(detail), "ping: %s", strerror(errno));
		ping_finish(c, CHK_UNREACHABLE, detail);
		return;
	}
	r = ev_io_add(chk_loop(c), p->fd, EV_READ, ping_io_cb, c);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "event loop: %s", strerror(-r));
		ping_finish(c, CHK_SOCKET_ERROR, detail);
		return;
	}
	p->timer = ev_timer_add(chk_loop(c), c->cfg->eff.connect_timeout_us, ping_timeout_cb, c);
}

const struct chk_ops chk_ping_ops = {
	.name = "PING_CHECK",
	.start = ping_start,
	.abort = ping_abort,
};
