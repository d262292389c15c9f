// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DNS_CHECK: send one query (type, name; default SOA for ".") over UDP
 * and expect an answer to it: same ID and question, a response (QR), no
 * error (RCODE 0) and at least one answer record (RFC 1035 section 4.1).
 * An ICMP port unreachable fails at once; no answer within
 * connect_timeout fails too (the type's default retry is 3).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

#define DNS_HDR_LEN	12
#define DNS_QUERY_MAX	(DNS_HDR_LEN + 255 + 4)	/* header, QNAME, QTYPE, QCLASS */
#define DNS_REPLY_MAX	4096

struct dns_run {
	int fd;
	ev_timer_id timer;
	size_t qlen;
	uint8_t q[DNS_QUERY_MAX];
};

/* RFC 1035 section 3.2.2 and RFC 3596 (AAAA). */
static const uint16_t dns_qtypes[] = {
	[CFG_DNS_A] = 1, [CFG_DNS_NS] = 2, [CFG_DNS_CNAME] = 5, [CFG_DNS_SOA] = 6,
	[CFG_DNS_MX] = 15, [CFG_DNS_TXT] = 16, [CFG_DNS_AAAA] = 28,
};
_Static_assert(ARRAY_SIZE(dns_qtypes) == CFG_DNS__COUNT, "dns_qtypes");

static const char *const dns_rcodes[] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
};

/* Builds the query; 0 or -EINVAL (a label longer than 63, a name over 255). */
static int dns_build(uint8_t *q, size_t *ret_len, uint16_t id, const char *name, uint16_t type)
{
	size_t off = DNS_HDR_LEN;
	const char *p = name && *name ? name : ".";

	memset(q, 0, DNS_HDR_LEN);
	q[0] = (uint8_t)(id >> 8);
	q[1] = (uint8_t)id;
	q[2] = 0x01;		/* RD */
	q[5] = 1;		/* QDCOUNT */
	while (*p && strcmp(p, ".") != 0) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		if (l == 0 || l > 63 || off + 1 + l + 1 > DNS_HDR_LEN + 255)
			return -EINVAL;
		q[off++] = (uint8_t)l;
		memcpy(q + off, p, l);
		off += l;
		p += l;
		if (*p == '.')
			p++;
	}
	q[off++] = 0;
	q[off++] = (uint8_t)(type >> 8);
	q[off++] = (uint8_t)type;
	q[off++] = 0;
	q[off++] = 1;		/* class IN */
	*ret_len = off;
	return 0;
}

static uint8_t dns_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

/* 0 when r answers q, else writes why into detail. */
static int dns_check_reply(const uint8_t *q, size_t qlen, const uint8_t *r, size_t rlen,
			   char *detail, size_t dlen)
{
	unsigned rcode, ancount;

	if (rlen < qlen || rlen < DNS_HDR_LEN) {
		snprintf(detail, dlen, "short DNS reply (%zu bytes)", rlen);
		return -1;
	}
	if (r[0] != q[0] || r[1] != q[1] || !(r[2] & 0x80)) {
		snprintf(detail, dlen, "DNS reply with another ID or not a response");
		return -1;
	}
	rcode = r[3] & 0x0f;
	if (rcode) {
		snprintf(detail, dlen, "DNS reply %s",
			 rcode < ARRAY_SIZE(dns_rcodes) ? dns_rcodes[rcode] : "error");
		return -1;
	}
	if (r[4] != 0 || r[5] != 1) {
		snprintf(detail, dlen, "DNS reply without our question");
		return -1;
	}
	for (size_t i = DNS_HDR_LEN; i < qlen; i++) {
		if (dns_lower(r[i]) != dns_lower(q[i])) {
			snprintf(detail, dlen, "DNS reply to another question");
			return -1;
		}
	}
	ancount = (unsigned)r[6] << 8 | r[7];
	if (!ancount) {
		snprintf(detail, dlen, "DNS reply without answer");
		return -1;
	}
	return 0;
}

static void dns_abort(struct chk *c)
{
	struct dns_run *d = c->run;

	if (!d)
		return;
	if (d->timer)
		ev_timer_cancel(chk_loop(c), d->timer);
	if (d->fd >= 0) {
		ev_io_del(chk_loop(c), d->fd);
		close(d->fd);
	}
	free(d);
	c->run = NULL;
}

static void dns_finish(struct chk *c, enum chk_result res, const char *detail)
{
	dns_abort(c);
	chk_done(c, res, detail);
}

static void dns_timeout_cb(void *ud)
{
	struct chk *c = ud;
	struct dns_run *d = c->run;
	char detail[CHK_DETAIL_MAX];

	d->timer = 0;
	snprintf(detail, sizeof(detail), "no DNS answer within %.3f s",
		 (double)c->cfg->eff.connect_timeout_us / 1e6);
	dns_finish(c, CHK_READ_TIMEOUT, detail);
}

static void dns_io_cb(int fd, uint32_t events, void *ud)
{
	struct chk *c = ud;
	struct dns_run *d = c->run;
	uint8_t r[DNS_REPLY_MAX];
	char detail[CHK_DETAIL_MAX];
	ssize_t n;

	(void)events;
	n = recv(fd, r, sizeof(r), 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		snprintf(detail, sizeof(detail), "DNS query: %s", strerror(errno));
		dns_finish(c, errno == ECONNREFUSED || errno == EHOSTUNREACH ||
			   errno == ENETUNREACH ? CHK_UNREACHABLE : CHK_READ_FAILED, detail);
		return;
	}
	if (dns_check_reply(d->q, d->qlen, r, (size_t)n, detail, sizeof(detail)) < 0) {
		dns_finish(c, CHK_DNS_REPLY, detail);
		return;
	}
	dns_finish(c, CHK_OK, NULL);
}

static void dns_start(struct chk *c)
{
	const struct cfg_chk_dns *dc = &c->cfg->u.dns;
	struct dns_run *d = xcalloc(1, sizeof(*d));
	char detail[CHK_DETAIL_MAX];
	uint16_t id = (uint16_t)chk_random_us(c->rs->vs->m, 0xffff);
	int r;

	d->fd = -1;
	if (dns_build(d->q, &d->qlen, id, dc->name, dns_qtypes[dc->type]) < 0) {
		free(d);
		chk_done(c, CHK_SOCKET_ERROR, "DNS name too long");
		return;
	}
	r = chk_sock_connect(c, SOCK_DGRAM, 0, &d->fd);
	if (r < 0) {
		free(d);
		snprintf(detail, sizeof(detail), "DNS socket: %s", strerror(-r));
		chk_done(c, chk_connect_result(r), detail);
		return;
	}
	c->run = d;
	if (send(d->fd, d->q, d->qlen, 0) < 0) {
		snprintf(detail, sizeof(detail), "sending the DNS query: %s", strerror(errno));
		dns_finish(c, errno == ECONNREFUSED ? CHK_UNREACHABLE : CHK_SEND_FAILED, detail);
		return;
	}
	r = ev_io_add(chk_loop(c), d->fd, EV_READ, dns_io_cb, c);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "event loop: %s", strerror(-r));
		dns_finish(c, CHK_SOCKET_ERROR, detail);
		return;
	}
	d->timer = ev_timer_add(chk_loop(c), c->cfg->eff.connect_timeout_us, dns_timeout_cb, c);
}

const struct chk_ops chk_dns_ops = {
	.name = "DNS_CHECK",
	.start = dns_start,
	.abort = dns_abort,
};
