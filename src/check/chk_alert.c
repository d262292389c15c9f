// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smtp_alert for the checker: an email to notification_email through
 * smtp_server for each real server that goes up or down and each virtual
 * server whose quorum is met or lost, when smtp_alert is on for it (the
 * real server's, else its virtual server's, else global_defs'
 * smtp_alert_checker, else smtp_alert; off when none is given).
 *
 * The SMTP client runs on the loop like a checker (RFC 5321 sections 3.3
 * and 4.2): connect, 220 greeting, HELO, MAIL FROM, RCPT TO for each
 * recipient, DATA, the message (dot-stuffed, section 4.5.2), QUIT; every
 * reply may span lines and only its last line's code counts. The whole
 * exchange gets smtp_connect_timeout. ALERT_MAX_FLIGHT mails are in flight
 * at once, ALERT_MAX_QUEUE more wait; beyond that new ones are dropped
 * (said once). A mail that fails is logged, not retried.
 *
 * A smtp_server given as a host name is resolved when the configuration
 * is loaded, never on the loop.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "alived/cfg_global.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

#define ALERT_MAX_FLIGHT	2
#define ALERT_MAX_QUEUE		32
#define ALERT_LINE_MAX		512	/* RFC 5321 section 4.5.3.1.5 */

enum alert_step {
	AL_CONNECT,
	AL_GREETING,	/* waiting for 220 */
	AL_HELO,	/* 250 */
	AL_MAIL,	/* 250 */
	AL_RCPT,	/* 250/251, once per recipient */
	AL_DATA,	/* 354 */
	AL_BODY,	/* 250 after the message */
	AL_QUIT,
	AL__COUNT,
};

struct alert_mail {
	struct alert_mail *next;	/* queue */
	char *msg;			/* headers and body, CRLF lines, dot-stuffed */
	char *subject;			/* for the log */
	int fd;
	ev_timer_id timer;
	uint8_t step;			/* enum alert_step */
	size_t rcpt;			/* recipients done */
	char *out;			/* being sent */
	size_t out_len, out_off;
	char line[ALERT_LINE_MAX];
	size_t line_len;
};

static struct {
	struct ev_loop *loop;
	int sub;
	bool on;			/* a server and recipients are configured */
	struct cfg_addr server;
	uint16_t port;
	uint64_t timeout_us;
	char *helo, *from, *router_id;
	char **to;
	size_t n_to;
	struct alert_mail *queue, *queue_tail;
	struct alert_mail *flight[ALERT_MAX_FLIGHT];
	unsigned n_queued, n_flight;
	bool full_said;
} A;

static void alert_next(void);

/* ---- a mail's life ---- */

static void alert_free(struct alert_mail *a)
{
	if (a->timer)
		ev_timer_cancel(A.loop, a->timer);
	if (a->fd >= 0) {
		ev_io_del(A.loop, a->fd);
		close(a->fd);
	}
	free(a->msg);
	free(a->subject);
	free(a->out);
	free(a);
}

static void alert_end(struct alert_mail *a, const char *error)
{
	if (error)
		log_warn("smtp_alert '%s': not sent: %s", a->subject, error);
	else
		log_info("smtp_alert '%s': sent", a->subject);
	for (unsigned i = 0; i < ALERT_MAX_FLIGHT; i++)
		if (A.flight[i] == a)
			A.flight[i] = NULL;
	alert_free(a);
	A.n_flight--;
	alert_next();
}

static void alert_timeout_cb(void *ud)
{
	struct alert_mail *a = ud;

	a->timer = 0;
	alert_end(a, "smtp_connect_timeout reached");
}

static void alert_send(struct alert_mail *a, char *text)
{
	free(a->out);
	a->out = text;
	a->out_len = strlen(text);
	a->out_off = 0;
	ev_io_mod(A.loop, a->fd, EV_WRITE);
}

/* The reply code code ended the current step: go on. */
static void alert_reply(struct alert_mail *a, unsigned code)
{
	static const unsigned want[] = {
		[AL_GREETING] = 220, [AL_HELO] = 250, [AL_MAIL] = 250, [AL_RCPT] = 250,
		[AL_DATA] = 354, [AL_BODY] = 250,
	};
	char err[96];

	if (a->step == AL_QUIT) {
		alert_end(a, NULL);
		return;
	}
	if (code != want[a->step] && !(a->step == AL_RCPT && code == 251)) {
		snprintf(err, sizeof(err), "the server answered %u (expected %u)", code,
			 want[a->step]);
		alert_end(a, err);
		return;
	}
	switch (a->step) {
	case AL_GREETING:
		a->step = AL_HELO;
		alert_send(a, xasprintf("HELO %s\r\n", A.helo));
		break;
	case AL_HELO:
		a->step = AL_MAIL;
		alert_send(a, xasprintf("MAIL FROM:<%s>\r\n", A.from));
		break;
	case AL_MAIL:
	case AL_RCPT:
		if (a->step == AL_RCPT)
			a->rcpt++;
		a->step = AL_RCPT;
		if (a->rcpt < A.n_to) {
			alert_send(a, xasprintf("RCPT TO:<%s>\r\n", A.to[a->rcpt]));
			break;
		}
		a->step = AL_DATA;
		alert_send(a, xstrdup("DATA\r\n"));
		break;
	case AL_DATA:
		a->step = AL_BODY;
		alert_send(a, xasprintf("%s.\r\n", a->msg));
		break;
	default:	/* AL_BODY: accepted */
		a->step = AL_QUIT;
		alert_send(a, xstrdup("QUIT\r\n"));
		break;
	}
}

/* Reads reply lines; the last line of a reply ("NNN " or "NNN") ends it. */
static void alert_read(struct alert_mail *a)
{
	char buf[512];
	ssize_t n = recv(a->fd, buf, sizeof(buf), 0);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (a->step == AL_QUIT)
			alert_end(a, NULL);	/* closed after the mail was accepted */
		else
			alert_end(a, n < 0 ? strerror(errno) : "the server closed the connection");
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		char ch = buf[i];

		if (ch != '\n') {
			if (a->line_len < sizeof(a->line) - 1)
				a->line[a->line_len++] = ch;
			continue;
		}
		a->line[a->line_len] = '\0';
		a->line_len = 0;
		if (strlen(a->line) < 3 || a->line[3] == '-')
			continue;	/* a continuation line */
		alert_reply(a, (unsigned)strtoul(a->line, NULL, 10));
		return;		/* one reply at a time: the server waits for us */
	}
}

static void alert_io_cb(int fd, uint32_t events, void *ud)
{
	struct alert_mail *a = ud;
	int err;

	(void)events;
	if (a->step == AL_CONNECT) {
		err = chk_sock_error(fd);
		if (err) {
			alert_end(a, strerror(-err));
			return;
		}
		a->step = AL_GREETING;
		ev_io_mod(A.loop, fd, EV_READ);
		return;
	}
	if (a->out) {
		ssize_t n = send(fd, a->out + a->out_off, a->out_len - a->out_off, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			alert_end(a, strerror(errno));
			return;
		}
		a->out_off += (size_t)n;
		if (a->out_off < a->out_len)
			return;
		free(a->out);
		a->out = NULL;
		ev_io_mod(A.loop, fd, EV_READ);
		return;
	}
	alert_read(a);
}

static void alert_begin(struct alert_mail *a)
{
	struct cfg_chk_conn cn = { 0 };
	int r;

	A.n_flight++;
	for (unsigned i = 0; i < ALERT_MAX_FLIGHT; i++)
		if (!A.flight[i]) {
			A.flight[i] = a;
			break;
		}
	r = chk_sock_connect_to(&cn, &A.server, A.port, SOCK_STREAM, 0, &a->fd);
	if (r < 0) {
		a->fd = -1;
		alert_end(a, strerror(-r));
		return;
	}
	r = ev_io_add(A.loop, a->fd, EV_WRITE, alert_io_cb, a);
	if (r < 0) {
		alert_end(a, strerror(-r));
		return;
	}
	a->timer = ev_timer_add(A.loop, A.timeout_us, alert_timeout_cb, a);
}

static void alert_next(void)
{
	while (A.queue && A.n_flight < ALERT_MAX_FLIGHT) {
		struct alert_mail *a = A.queue;

		A.queue = a->next;
		if (!A.queue)
			A.queue_tail = NULL;
		A.n_queued--;
		a->next = NULL;
		alert_begin(a);
	}
}

/* ---- composing ---- */

/* body: one line without CR/LF; dot-stuffing is then a leading '.' only. */
static void alert_queue(const char *subject, const char *body)
{
	char date[64], to[1024];
	struct alert_mail *a;
	time_t now = time(NULL);
	struct tm tm;
	size_t off = 0;

	if (A.n_queued >= ALERT_MAX_QUEUE) {
		if (!A.full_said)
			log_warn("smtp_alert: %u mails waiting; '%s' and more are dropped",
				 A.n_queued, subject);
		A.full_said = true;
		return;
	}
	A.full_said = false;
	/* RFC 5322 section 3.3 */
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", localtime_r(&now, &tm));
	to[0] = '\0';
	for (size_t i = 0; i < A.n_to && off < sizeof(to); i++) {
		int n = snprintf(to + off, sizeof(to) - off, "%s<%s>", i ? ", " : "", A.to[i]);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	a = xcalloc(1, sizeof(*a));
	a->fd = -1;
	a->subject = xasprintf("[%s] %s", A.router_id, subject);
	a->msg = xasprintf("From: <%s>\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n"
			   "X-Mailer: alived\r\nMIME-Version: 1.0\r\n"
			   "Content-Type: text/plain; charset=UTF-8\r\n\r\n%s%s\r\n",
			   A.from, to, a->subject, date, body[0] == '.' ? "." : "", body);
	if (A.queue_tail)
		A.queue_tail->next = a;
	else
		A.queue = a;
	A.queue_tail = a;
	A.n_queued++;
	alert_next();
}

/* smtp_alert in force: the object's tristate, else the global ones. */
static bool alert_wanted(const struct chk_model *m, int8_t own)
{
	const struct cfg_global *g = m->root->global;

	if (own != CFG_TRI_UNSET)
		return own == CFG_TRI_ON;
	if (g && g->smtp_alert_checker != CFG_GTRI_UNSET)
		return g->smtp_alert_checker == 1;
	return g && g->smtp_alert == 1;
}

static void alert_evt(const struct chk_evt_info *e, void *ud)
{
	const struct chk_model *m = chk_api_model();
	char vs[CHK_LABEL_MAX], rs[CHK_LABEL_MAX], subject[3 * CHK_LABEL_MAX];
	char body[4 * CHK_LABEL_MAX];
	const struct chk_vs *v;
	const struct chk_rs *r;

	(void)ud;
	if (!A.on || !m || e->vs_id == 0 || e->vs_id > m->n_vs)
		return;
	v = &m->vs[e->vs_id - 1];
	chk_notify_vs_label(v, vs, sizeof(vs));
	if (e->evt == CHK_EVT_QUORUM) {
		if (!alert_wanted(m, v->cfg->smtp_alert))
			return;
		snprintf(subject, sizeof(subject), "Virtual server %s: quorum %s", vs,
			 e->new_up ? "met" : "lost");
		snprintf(body, sizeof(body), "Virtual server %s has %s its quorum: %s.", vs,
			 e->new_up ? "met" : "lost", e->reason);
	} else if (e->evt == CHK_EVT_RS_STATE && e->rs_id && e->rs_id <= v->n_rs) {
		r = &v->rs[e->rs_id - 1];
		if (!alert_wanted(m, r->cfg->eff_smtp_alert))
			return;
		chk_notify_rs_label(r, rs, sizeof(rs));
		snprintf(subject, sizeof(subject), "Real server %s of %s: %s", rs, vs,
			 e->new_up ? "UP" : "DOWN");
		snprintf(body, sizeof(body), "Real server %s of virtual server %s is %s (%s).",
			 rs, vs, e->new_up ? "up" : "down", e->reason);
	} else {
		return;
	}
	alert_queue(subject, body);
}

/* ---- configuration ---- */

static void alert_config_free(void)
{
	free(A.helo);
	free(A.from);
	free(A.router_id);
	for (size_t i = 0; i < A.n_to; i++)
		free(A.to[i]);
	free(A.to);
	A.helo = A.from = A.router_id = NULL;
	A.to = NULL;
	A.n_to = 0;
	A.on = false;
}

/* At load: getaddrinfo() may block, which is fine here and only here. */
static int alert_resolve(const struct cfg_global *g, struct cfg_addr *ret)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	int r;

	if (g->smtp_server_addr.family != AF_UNSPEC) {
		*ret = g->smtp_server_addr;
		return 0;
	}
	r = getaddrinfo(g->smtp_server, NULL, &hints, &res);
	if (r != 0 || !res)
		return log_err_errno(ENOENT, "smtp_server %s: cannot resolve it (%s); no alerts",
				     g->smtp_server, gai_strerror(r));
	memset(ret, 0, sizeof(*ret));
	ret->family = res->ai_family;
	if (res->ai_family == AF_INET)
		ret->u.v4 = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	else
		ret->u.v6 = ((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
	freeaddrinfo(res);
	return 0;
}

void chk_alert_start(struct ev_loop *loop, const struct chk_model *m)
{
	const struct cfg_global *g = m->root->global;
	char host[256];

	A.loop = loop;
	alert_config_free();
	if (!A.sub)
		A.sub = chk_api_subscribe(CHK_EVT_MASK(CHK_EVT_RS_STATE) |
					  CHK_EVT_MASK(CHK_EVT_QUORUM), alert_evt, NULL);
	if (!g || !g->smtp_server || !g->notification_email.n)
		return;
	if (alert_resolve(g, &A.server) < 0)
		return;
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	A.port = g->smtp_server_port ? g->smtp_server_port : CFG_GLOBAL_SMTP_PORT;
	A.timeout_us = (uint64_t)(g->smtp_connect_timeout_s ? g->smtp_connect_timeout_s :
				  CFG_GLOBAL_SMTP_CONNECT_TIMEOUT_S) * 1000000u;
	A.helo = xstrdup(g->smtp_helo_name ? g->smtp_helo_name : host);
	A.from = g->notification_email_from ? xstrdup(g->notification_email_from) :
		 xasprintf("alived@%s", host);
	A.router_id = xstrdup(g->router_id ? g->router_id : host);
	A.to = xcalloc(g->notification_email.n, sizeof(*A.to));
	for (size_t i = 0; i < g->notification_email.n; i++)
		A.to[A.n_to++] = xstrdup(g->notification_email.v[i]);
	A.on = true;
}

void chk_alert_stop(void)
{
	if (A.sub)
		chk_api_unsubscribe(A.sub);
	A.sub = 0;
	/* mails in flight or queued are dropped: we are going away */
	while (A.queue) {
		struct alert_mail *a = A.queue;

		A.queue = a->next;
		alert_free(a);
	}
	A.queue_tail = NULL;
	A.n_queued = 0;
	for (unsigned i = 0; i < ALERT_MAX_FLIGHT; i++) {
		if (A.flight[i])
			alert_free(A.flight[i]);
		A.flight[i] = NULL;
	}
	A.n_flight = 0;
	alert_config_free();
}
