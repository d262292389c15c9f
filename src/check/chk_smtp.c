// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SMTP_CHECK: the server passes when it greets with 220, answers HELO with
 * 250 (RFC 5321 sections 4.2 and 4.3.2); QUIT is then sent and the
 * connection closed without waiting. With host { } blocks (the old form),
 * each host is checked in turn instead of the real server, one per
 * attempt, and all must pass.
 *
 * Steps: connect, read the greeting, send HELO, read its reply; each gets
 * connect_timeout. Replies may span lines ("250-...", RFC 5321 section
 * 4.2.1); only the code of the last line counts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "alived/cfg_global.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

#define SMTP_LINE_MAX	512	/* RFC 5321 section 4.5.3.1.5: reply lines */

enum smtp_phase {
	SMTP_PH_CONNECT,
	SMTP_PH_GREETING,
	SMTP_PH_HELO_SEND,
	SMTP_PH_HELO_REPLY,
	SMTP_PH__COUNT,
};

struct smtp_run {
	int fd;
	ev_timer_id timer;
	uint8_t phase;			/* enum smtp_phase */
	char out[300];
	size_t out_len, out_off;
	char line[SMTP_LINE_MAX];
	size_t line_len;
	char target[CHK_LABEL_MAX / 2];	/* "[addr]:port" for the log */
};

static const char *const smtp_waiting_for[] = {
	[SMTP_PH_CONNECT] = "no connection",
	[SMTP_PH_GREETING] = "no greeting",
	[SMTP_PH_HELO_SEND] = "HELO not sent",
	[SMTP_PH_HELO_REPLY] = "no reply to HELO",
};
_Static_assert(ARRAY_SIZE(smtp_waiting_for) == SMTP_PH__COUNT, "smtp_waiting_for");

static const struct cfg_chk_host *smtp_host(const struct chk *c, unsigned n)
{
	const struct cfg_chk_host *h = c->cfg->u.smtp.hosts;

	while (h && n--)
		h = h->next;
	return h;
}

static void smtp_abort(struct chk *c)
{
	struct smtp_run *s = c->run;

	if (!s)
		return;
	if (s->timer)
		ev_timer_cancel(chk_loop(c), s->timer);
	if (s->fd >= 0) {
		ev_io_del(chk_loop(c), s->fd);
		close(s->fd);
	}
	free(s);
	c->run = NULL;
}

static void smtp_fail(struct chk *c, enum chk_result res, const char *detail)
{
	smtp_abort(c);
	chk_done(c, res, detail);
}

static void smtp_timeout_cb(void *ud)
{
	struct chk *c = ud;
	struct smtp_run *s = c->run;
	char detail[CHK_DETAIL_MAX];

	s->timer = 0;
	snprintf(detail, sizeof(detail), "%s from %s within %.3f s", smtp_waiting_for[s->phase],
		 s->target, (double)c->cfg->eff.connect_timeout_us / 1e6);
	smtp_fail(c, s->phase == SMTP_PH_CONNECT ? CHK_CONNECT_TIMEOUT : CHK_READ_TIMEOUT, detail);
}

static void smtp_phase(struct chk *c, enum smtp_phase ph, uint32_t events)
{
	struct smtp_run *s = c->run;

	s->phase = (uint8_t)ph;
	if (s->timer)
		ev_timer_cancel(chk_loop(c), s->timer);
	s->timer = ev_timer_add(chk_loop(c), c->cfg->eff.connect_timeout_us, smtp_timeout_cb, c);
	ev_io_mod(chk_loop(c), s->fd, events);
}

static void smtp_pass(struct chk *c)
{
	struct smtp_run *s = c->run;
	bool more = c->cfg->u.smtp.hosts && smtp_host(c, c->step + 1u);

	/* RFC 5321 section 4.1.1.10: say goodbye; the answer does not matter */
	(void)!send(s->fd, "QUIT\r\n", 6, MSG_NOSIGNAL | MSG_DONTWAIT);
	smtp_abort(c);
	if (more)
		chk_step_ok(c);
	else
		chk_done(c, CHK_OK, NULL);
}

static const char *smtp_helo_name(const struct chk *c, char *buf, size_t len)
{
	const struct cfg_global *g = c->rs->vs->m->root->global;

	if (c->cfg->u.smtp.helo_name)
		return c->cfg->u.smtp.helo_name;
	if (g && g->smtp_helo_name)
		return g->smtp_helo_name;
	if (gethostname(buf, len) < 0 || !buf[0])
		snprintf(buf, len, "localhost");
	buf[len - 1] = '\0';
	return buf;
}

/* The last line of a reply: act on its code. */
static void smtp_reply(struct chk *c, unsigned code)
{
	struct smtp_run *s = c->run;
	char detail[CHK_DETAIL_MAX], host[256];

	if (s->phase == SMTP_PH_GREETING) {
		if (code != 220) {
			snprintf(detail, sizeof(detail), "greeting %u from %s, expected 220", code,
				 s->target);
			smtp_fail(c, CHK_SMTP_REPLY, detail);
			return;
		}
		snprintf(s->out, sizeof(s->out), "HELO %.255s\r\n",
			 smtp_helo_name(c, host, sizeof(host)));
		s->out_len = strlen(s->out);
		smtp_phase(c, SMTP_PH_HELO_SEND, EV_WRITE);
		return;
	}
	if (code != 250) {
		snprintf(detail, sizeof(detail), "HELO answered %u by %s, expected 250", code,
			 s->target);
		smtp_fail(c, CHK_SMTP_REPLY, detail);
		return;
	}
	smtp_pass(c);
}

/* A complete line: "NNN-text" continues the reply, "NNN text" or "NNN" ends it. */
static int smtp_line(struct chk *c)
{
	struct smtp_run *s = c->run;
	const char *l = s->line;
	char detail[CHK_DETAIL_MAX];

	if (s->line_len < 3 || l[0] < '2' || l[0] > '5' || l[1] < '0' || l[1] > '9' ||
	    l[2] < '0' || l[2] > '9' || (s->line_len > 3 && l[3] != ' ' && l[3] != '-')) {
		snprintf(detail, sizeof(detail), "%s does not speak SMTP: '%.40s'", s->target, l);
		smtp_fail(c, CHK_SMTP_REPLY, detail);
		return -1;
	}
	s->line_len = 0;
	if (l[3] == '-')
		return 0;
	smtp_reply(c, (unsigned)((l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0')));
	return -1;	/* the reply moved us on: stop reading this buffer */
}

static void smtp_read(struct chk *c)
{
	struct smtp_run *s = c->run;
	char buf[1024], detail[CHK_DETAIL_MAX];
	ssize_t n = recv(s->fd, buf, sizeof(buf), 0);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		snprintf(detail, sizeof(detail), "%s: %s", s->target,
			 n ? strerror(errno) : "connection closed before the reply");
		smtp_fail(c, CHK_READ_FAILED, detail);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			if (s->line_len && s->line[s->line_len - 1] == '\r')
				s->line_len--;
			s->line[s->line_len] = '\0';
			if (smtp_line(c) < 0)
				return;
		} else if (s->line_len < sizeof(s->line) - 1) {
			s->line[s->line_len++] = buf[i];
		}
	}
}

static void smtp_io_cb(int fd, uint32_t events, void *ud)
{
	struct chk *c = ud;
	struct smtp_run *s = c->run;
	char detail[CHK_DETAIL_MAX];
	ssize_t n;
	int err;

	(void)events;
	switch (s->phase) {
	case SMTP_PH_CONNECT:
		err = chk_sock_error(fd);
		if (err) {
			snprintf(detail, sizeof(detail), "connect to %s: %s", s->target,
				 strerror(-err));
			smtp_fail(c, chk_connect_result(err), detail);
			return;
		}
		smtp_phase(c, SMTP_PH_GREETING, EV_READ);
		return;
	case SMTP_PH_HELO_SEND:
		n = send(fd, s->out + s->out_off, s->out_len - s->out_off, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			snprintf(detail, sizeof(detail), "sending HELO to %s: %s", s->target,
				 strerror(errno));
			smtp_fail(c, CHK_SEND_FAILED, detail);
			return;
		}
		s->out_off += (size_t)n;
		if (s->out_off == s->out_len)
			smtp_phase(c, SMTP_PH_HELO_REPLY, EV_READ);
		return;
	default:
		smtp_read(c);
		return;
	}
}

static void smtp_start(struct chk *c)
{
	const struct cfg_checker *k = c->cfg;
	const struct cfg_chk_host *h = smtp_host(c, c->step);
	const struct cfg_chk_conn *cn = &k->conn;
	struct cfg_addr dst = k->eff_connect_ip;
	uint16_t port = k->eff_connect_port;
	struct smtp_run *s;
	char detail[CHK_DETAIL_MAX];
	int fd = -1, r;

	if (k->u.smtp.hosts && !h) {
		c->step = 0;
		h = k->u.smtp.hosts;
	}
	if (h) {
		cn = &h->conn;
		if (h->conn.connect_ip.family != AF_UNSPEC)
			dst = h->conn.connect_ip;
		if (h->conn.connect_port)
			port = h->conn.connect_port;
	}
	s = xcalloc(1, sizeof(*s));
	s->fd = -1;
	chk_addr_label(&dst, port, s->target, sizeof(s->target));
	r = chk_sock_connect_to(cn, &dst, port, SOCK_STREAM, 0, &fd);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "connect to %s: %s", s->target, strerror(-r));
		free(s);
		chk_done(c, chk_connect_result(r), detail);
		return;
	}
	s->fd = fd;
	c->run = s;
	r = ev_io_add(chk_loop(c), fd, EV_WRITE, smtp_io_cb, c);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "event loop: %s", strerror(-r));
		smtp_fail(c, CHK_SOCKET_ERROR, detail);
		return;
	}
	smtp_phase(c, SMTP_PH_CONNECT, EV_WRITE);
}

const struct chk_ops chk_smtp_ops = {
	.name = "SMTP_CHECK",
	.start = smtp_start,
	.abort = smtp_abort,
};
