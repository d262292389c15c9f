// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * UDP_CHECK: send one datagram (payload, or 16 random bytes) from a
 * connected socket.
 *  - Without require_reply, the server passes unless an ICMP error (port,
 *    host or network unreachable) comes back within connect_timeout; a
 *    reply passes at once.
 *  - With require_reply, a reply must come within connect_timeout, its
 *    length within min_reply_length..max_reply_length and, when a reply
 *    pattern is given, its bytes must match the pattern over the shorter
 *    of the two, under the mask (X digits match anything).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

#define UDP_RANDOM_LEN	16
/* Bytes of a reply compared with require_reply; its length is known in full. */
#define UDP_REPLY_BUF	4096

struct udp_run {
	int fd;
	ev_timer_id timer;
};

static void udp_abort(struct chk *c)
{
	struct udp_run *u = c->run;

	if (!u)
		return;
	if (u->timer)
		ev_timer_cancel(chk_loop(c), u->timer);
	if (u->fd >= 0) {
		ev_io_del(chk_loop(c), u->fd);
		close(u->fd);
	}
	free(u);
	c->run = NULL;
}

static void udp_finish(struct chk *c, enum chk_result res, const char *detail)
{
	udp_abort(c);
	chk_done(c, res, detail);
}

static bool udp_icmp_error(int err)
{
	return err == ECONNREFUSED || err == EHOSTUNREACH || err == ENETUNREACH ||
	       err == EHOSTDOWN;
}

static void udp_timeout_cb(void *ud)
{
	struct chk *c = ud;
	struct udp_run *u = c->run;
	char detail[CHK_DETAIL_MAX];

	u->timer = 0;
	if (!c->cfg->u.udp.require_reply) {
		udp_finish(c, CHK_OK, NULL);	/* no ICMP error: the port is open */
		return;
	}
	snprintf(detail, sizeof(detail), "no UDP reply within %.3f s",
		 (double)c->cfg->eff.connect_timeout_us / 1e6);
	udp_finish(c, CHK_READ_TIMEOUT, detail);
}

/* 0 when the reply is as required, else writes why. */
static int udp_check_reply(const struct cfg_chk_udp *cu, const uint8_t *r, size_t n,
			   size_t have, char *detail, size_t dlen)
{
	if (n < cu->min_reply_length || n > cu->max_reply_length) {
		snprintf(detail, dlen, "UDP reply of %zu bytes, expected %u..%u", n,
			 (unsigned)cu->min_reply_length, (unsigned)cu->max_reply_length);
		return -1;
	}
	for (size_t i = 0; cu->reply && i < have && i < cu->reply_len; i++) {
		uint8_t mask = cu->reply_mask ? cu->reply_mask[i] : 0xff;

		if ((r[i] ^ cu->reply[i]) & mask) {
			snprintf(detail, dlen, "UDP reply differs from require_reply at byte %zu",
				 i);
			return -1;
		}
	}
	return 0;
}

static void udp_io_cb(int fd, uint32_t events, void *ud)
{
	struct chk *c = ud;
	const struct cfg_chk_udp *cu = &c->cfg->u.udp;
	char detail[CHK_DETAIL_MAX];
	uint8_t r[UDP_REPLY_BUF];
	size_t have;
	ssize_t n;

	(void)events;
	n = recv(fd, r, sizeof(r), MSG_TRUNC);	/* MSG_TRUNC: the real length */
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		snprintf(detail, sizeof(detail), "UDP: %s", strerror(errno));
		udp_finish(c, udp_icmp_error(errno) ? CHK_UNREACHABLE : CHK_READ_FAILED, detail);
		return;
	}
	have = (size_t)n < sizeof(r) ? (size_t)n : sizeof(r);
	if (cu->require_reply &&
	    udp_check_reply(cu, r, (size_t)n, have, detail, sizeof(detail)) < 0) {
		udp_finish(c, CHK_UDP_REPLY, detail);
		return;
	}
	udp_finish(c, CHK_OK, NULL);
}

static void udp_start(struct chk *c)
{
	const struct cfg_chk_udp *cu = &c->cfg->u.udp;
	struct udp_run *u = xcalloc(1, sizeof(*u));
	uint8_t rnd[UDP_RANDOM_LEN];
	const uint8_t *p = cu->payload;
	size_t len = cu->payload_len;
	char detail[CHK_DETAIL_MAX];
	int r;

	u->fd = -1;
	if (!p) {
		for (size_t i = 0; i < sizeof(rnd); i++)
			rnd[i] = (uint8_t)chk_random_us(c->rs->vs->m, 0xff);
		p = rnd;
		len = sizeof(rnd);
	}
	r = chk_sock_connect(c, SOCK_DGRAM, 0, &u->fd);
	if (r < 0) {
		free(u);
		snprintf(detail, sizeof(detail), "UDP socket: %s", strerror(-r));
		chk_done(c, chk_connect_result(r), detail);
		return;
	}
	c->run = u;
	if (send(u->fd, p, len, 0) < 0) {
		snprintf(detail, sizeof(detail), "UDP send: %s", strerror(errno));
		udp_finish(c, udp_icmp_error(errno) ? CHK_UNREACHABLE : CHK_SEND_FAILED, detail);
		return;
	}
	r = ev_io_add(chk_loop(c), u->fd, EV_READ, udp_io_cb, c);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "event loop: %s", strerror(-r));
		udp_finish(c, CHK_SOCKET_ERROR, detail);
		return;
	}
	u->timer = ev_timer_add(chk_loop(c), c->cfg->eff.connect_timeout_us, udp_timeout_cb, c);
}

const struct chk_ops chk_udp_ops = {
	.name = "UDP_CHECK",
	.start = udp_start,
	.abort = udp_abort,
};
