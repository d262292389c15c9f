// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP_GET and SSL_GET: fetch each url { path } of the checker in turn and
 * check its status code (default 200-299), the MD5 digest of its body
 * (OpenSSL EVP) and its regex, as configured.
 *
 * One attempt fetches one URL, in steps that each re-arm themselves
 * (relayd check_tls.c style):
 *   connect   O_NONBLOCK connect, wait for EV_WRITE, read SO_ERROR
 *   tls       SSL_GET: SSL_connect, re-armed on WANT_READ / WANT_WRITE
 *   send      the request, partial writes resumed
 *   recv      the response, fed to the incremental parser (chk_http_parse)
 * Each step gets connect_timeout. The request is HTTP/1.0 (or 1.1 with
 * "Connection: close"), so the server ends the exchange; Content-Length
 * and chunked bodies end it earlier.
 *
 * TLS: one SSL_CTX per configuration, from the SSL { } block: a client
 * certificate and key (password), and a CA file, which turns on
 * verification of the server's certificate chain. Without ca, any server
 * certificate is accepted, as a health check only asks "is it serving?".
 * enable_sni sends the virtualhost as server name.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"
#include "check/chk_http_parse.h"

/* keepalived's checker sends this; server configurations match on it */
#define HTTP_USER_AGENT		"KeepAliveClient"
#define HTTP_RECV_BUF		4096
#define HTTP_REGEX_BODY_MAX	(1024u * 1024u)	/* bytes of body kept for regex */

enum http_phase {
	HTTP_PH_CONNECT,
	HTTP_PH_TLS,
	HTTP_PH_SEND,
	HTTP_PH_RECV,
	HTTP_PH__COUNT,
};

struct http_run {
	int fd;
	ev_timer_id timer;		/* fires at deadline_us or earlier */
	uint64_t deadline_us;		/* of the current step (loop clock) */
	uint8_t phase;			/* enum http_phase */
	bool unconfirmed;		/* connected per EV_WRITE, not yet per a send */
	SSL *ssl;
	EVP_MD_CTX *md;			/* only when the URL has a digest */
	const struct cfg_url *url;	/* borrowed */
	size_t req_len, req_off;
	char *body;			/* only with regex */
	size_t body_len;
	struct chk_http_parser hp;
	char req[];			/* the request, req_len bytes */
};

static const char *const http_phase_timeout[] = {
	[HTTP_PH_CONNECT] = "no connection",
	[HTTP_PH_TLS] = "no TLS handshake",
	[HTTP_PH_SEND] = "request not sent",
	[HTTP_PH_RECV] = "no complete response",
};
_Static_assert(ARRAY_SIZE(http_phase_timeout) == HTTP_PH__COUNT, "http_phase_timeout");

static void http_io_cb(int fd, uint32_t events, void *ud);
static void http_timeout_cb(void *ud);
static const EVP_MD *http_md5(const struct chk_model *m);

static bool http_is_tls(const struct chk *c)
{
	return c->cfg->type == CFG_CHK_SSL;
}

static const struct cfg_url *http_url(const struct chk *c, unsigned n)
{
	const struct cfg_url *u = c->cfg->u.http.urls;

	while (u && n--)
		u = u->next;
	return u;
}

static const char *http_vhost(const struct chk *c, const struct cfg_url *u)
{
	return u->virtualhost ? u->virtualhost : c->cfg->eff_virtualhost;
}

/* ---- ending an attempt ---- */

static void http_abort(struct chk *c)
{
	struct http_run *h = c->run;

	if (!h)
		return;
	if (h->timer)
		ev_timer_cancel(chk_loop(c), h->timer);
	if (h->ssl) {
		/* tls_compliant: say goodbye properly (one try, never waits) */
		if (c->cfg->u.http.tls_compliant && h->phase == HTTP_PH_RECV)
			SSL_shutdown(h->ssl);
		SSL_free(h->ssl);
	}
	if (h->fd >= 0) {
		ev_io_del(chk_loop(c), h->fd);
		close(h->fd);
	}
	EVP_MD_CTX_free(h->md);
	free(h->body);
	free(h);
	c->run = NULL;
	if (http_is_tls(c))
		ERR_clear_error();
}

static void http_fail(struct chk *c, enum chk_result res, const char *detail)
{
	http_abort(c);
	chk_done(c, res, detail);
}

/*
 * (Re)starts the timeout of the current step. The timer is not moved at
 * each step (a cancel and an add, thousands of times a second): it fires
 * at the old deadline and re-arms itself for the new one.
 */
static void http_arm(struct chk *c)
{
	struct http_run *h = c->run;
	struct ev_loop *l = chk_loop(c);

	ev_now_update(l);
	h->deadline_us = ev_now_us(l) + c->cfg->eff.connect_timeout_us;
	if (!h->timer)
		h->timer = ev_timer_at(l, h->deadline_us, http_timeout_cb, c);
}

static void http_want(struct chk *c, uint32_t events)
{
	struct http_run *h = c->run;

	ev_io_mod(chk_loop(c), h->fd, events);
}

static void http_timeout_cb(void *ud)
{
	struct chk *c = ud;
	struct http_run *h = c->run;
	static const uint8_t res[] = {
		[HTTP_PH_CONNECT] = CHK_CONNECT_TIMEOUT,
		[HTTP_PH_TLS] = CHK_TLS_TIMEOUT,
		[HTTP_PH_SEND] = CHK_READ_TIMEOUT,
		[HTTP_PH_RECV] = CHK_READ_TIMEOUT,
	};
	char detail[CHK_DETAIL_MAX];

	h->timer = 0;
	if (ev_now_us(chk_loop(c)) < h->deadline_us) {
		/* a later step moved the deadline */
		h->timer = ev_timer_at(chk_loop(c), h->deadline_us, http_timeout_cb, c);
		return;
	}
	snprintf(detail, sizeof(detail), "%s within %.3f s on %s", http_phase_timeout[h->phase],
		 (double)c->cfg->eff.connect_timeout_us / 1e6, h->url->path);
	http_fail(c, (enum chk_result)res[h->phase], detail);
}

/* ---- checking the response ---- */

static void http_status_set(const struct cfg_url *u, char *buf, size_t len)
{
	size_t off = 0;

	if (!u->n_status) {
		snprintf(buf, len, "200-299");
		return;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < u->n_status && off < len; i++) {
		const struct cfg_http_status *s = &u->status[i];
		int n = s->lo == s->hi ?
			snprintf(buf + off, len - off, "%s%u", i ? "," : "", (unsigned)s->lo) :
			snprintf(buf + off, len - off, "%s%u-%u", i ? "," : "", (unsigned)s->lo,
				 (unsigned)s->hi);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

static bool http_status_ok(const struct cfg_url *u, unsigned status)
{
	if (!u->n_status)
		return status >= 200 && status <= 299;
	for (size_t i = 0; i < u->n_status; i++)
		if (status >= u->status[i].lo && status <= u->status[i].hi)
			return true;
	return false;
}

static int http_regex_flags(const struct cfg_url *u)
{
	int f = REG_EXTENDED | REG_NOSUB;

	if (u->regex_options & (1u << CFG_RX_CASELESS))
		f |= REG_ICASE;
	if (u->regex_options & (1u << CFG_RX_MULTILINE))
		f |= REG_NEWLINE;
	return f;
}

/* POSIX extended regex over the body from regex_min_offset (PCRE2 is not
 * used: its options other than caseless and multiline are ignored). */
static bool http_regex_match(struct http_run *h, const struct cfg_url *u, bool *ret_matched)
{
	size_t from = u->regex_min_offset < h->body_len ? (size_t)u->regex_min_offset : h->body_len;
	regex_t re;
	int r;

	if (regcomp(&re, u->regex, http_regex_flags(u)) != 0)
		return false;
	h->body = xrealloc(h->body, h->body_len + 1);
	h->body[h->body_len] = '\0';
	r = regexec(&re, h->body + from, 0, NULL, 0);
	regfree(&re);
	*ret_matched = r == 0;
	return true;
}

static void http_complete(struct chk *c)
{
	struct http_run *h = c->run;
	const struct cfg_url *u = h->url;
	char detail[CHK_DETAIL_MAX], set[64];
	unsigned status = h->hp.status;
	bool more = u->next != NULL;

	if (!http_status_ok(u, status)) {
		http_status_set(u, set, sizeof(set));
		snprintf(detail, sizeof(detail), "HTTP status %u on %s, expected %s", status,
			 u->path, set);
		http_fail(c, CHK_HTTP_STATUS, detail);
		return;
	}
	if (h->md) {
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned dl = 0;
		char hex[33];

		EVP_DigestFinal_ex(h->md, d, &dl);
		for (unsigned i = 0; i < dl && i < 16; i++) {
			hex[2 * i] = "0123456789abcdef"[d[i] >> 4];
			hex[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
		}
		hex[2 * (dl < 16 ? dl : 16)] = '\0';
		if (strcasecmp(hex, u->digest) != 0) {
			snprintf(detail, sizeof(detail),
				 "digest mismatch on %.64s: got %s, expected %.32s", u->path, hex,
				 u->digest);
			http_fail(c, CHK_HTTP_DIGEST, detail);
			return;
		}
	}
	if (u->regex) {
		bool matched = false;

		if (!http_regex_match(h, u, &matched)) {
			snprintf(detail, sizeof(detail), "regex of %s does not compile", u->path);
			http_fail(c, CHK_HTTP_REGEX, detail);
			return;
		}
		if (matched == u->regex_no_match) {
			snprintf(detail, sizeof(detail), "body of %s %s regex", u->path,
				 matched ? "matches" : "does not match");
			http_fail(c, CHK_HTTP_REGEX, detail);
			return;
		}
	}
	http_abort(c);
	if (more)
		chk_step_ok(c);
	else
		chk_done(c, CHK_OK, NULL);
}

static void http_body_cb(const uint8_t *data, size_t len, void *ud)
{
	struct http_run *h = ud;

	if (h->md)
		EVP_DigestUpdate(h->md, data, len);
	if (h->url->regex && h->body_len < HTTP_REGEX_BODY_MAX) {
		size_t n = len;

		if (n > HTTP_REGEX_BODY_MAX - h->body_len)
			n = HTTP_REGEX_BODY_MAX - h->body_len;
		h->body = xrealloc(h->body, h->body_len + n + 1);
		memcpy(h->body + h->body_len, data, n);
		h->body_len += n;
	}
}

/* ---- the steps ---- */

static const char *http_tls_error(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	if (!e)
		snprintf(buf, len, "%s", errno ? strerror(errno) : "connection closed");
	else
		ERR_error_string_n(e, buf, len);
	return buf;
}

static void http_step_tls(struct chk *c)
{
	struct http_run *h = c->run;
	char err[120], detail[CHK_DETAIL_MAX];
	int r;

	ERR_clear_error();
	errno = 0;
	r = SSL_connect(h->ssl);
	if (r == 1) {
		h->phase = HTTP_PH_SEND;
		http_arm(c);
		http_want(c, EV_WRITE);
		return;
	}
	switch (SSL_get_error(h->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		http_want(c, EV_READ);
		return;
	case SSL_ERROR_WANT_WRITE:
		http_want(c, EV_WRITE);
		return;
	default:
		snprintf(detail, sizeof(detail), "TLS handshake failed: %s",
			 http_tls_error(err, sizeof(err)));
		http_fail(c, CHK_TLS_FAILED, detail);
	}
}

static void http_start_tls(struct chk *c)
{
	struct http_run *h = c->run;
	const char *vh = http_vhost(c, h->url);
	struct in6_addr any;

	h->ssl = c->rs->vs->m->tls_ctx ? SSL_new(c->rs->vs->m->tls_ctx) : NULL;
	if (!h->ssl || !SSL_set_fd(h->ssl, h->fd)) {
		http_fail(c, CHK_SOCKET_ERROR, "TLS: cannot set up the session");
		return;
	}
	/* RFC 6066 section 3: a host name, never an address literal */
	if (c->cfg->u.http.enable_sni && vh && inet_pton(AF_INET, vh, &any) != 1 &&
	    inet_pton(AF_INET6, vh, &any) != 1)
		SSL_set_tlsext_host_name(h->ssl, vh);
	h->phase = HTTP_PH_TLS;
	http_arm(c);
	http_step_tls(c);
}

static void http_step_send(struct chk *c)
{
	struct http_run *h = c->run;
	char err[120], detail[CHK_DETAIL_MAX];

	while (h->req_off < h->req_len) {
		size_t left = h->req_len - h->req_off;
		ssize_t n;

		if (h->ssl) {
			int r;

			ERR_clear_error();
			r = SSL_write(h->ssl, h->req + h->req_off, (int)left);
			if (r <= 0) {
				int e = SSL_get_error(h->ssl, r);

				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
					http_want(c, e == SSL_ERROR_WANT_READ ? EV_READ : EV_WRITE);
					return;
				}
				snprintf(detail, sizeof(detail), "sending the request: %s",
					 http_tls_error(err, sizeof(err)));
				http_fail(c, CHK_SEND_FAILED, detail);
				return;
			}
			n = r;
		} else {
			n = send(h->fd, h->req + h->req_off, left, MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return;	/* EV_WRITE is armed */
			if (n < 0 && h->unconfirmed) {
				/* the connect failed: send() reports its error */
				int e = errno;

				snprintf(detail, sizeof(detail), "connect: %s", strerror(e));
				http_fail(c, chk_connect_result(-e), detail);
				return;
			}
			if (n < 0) {
				snprintf(detail, sizeof(detail), "sending the request: %s",
					 strerror(errno));
				http_fail(c, CHK_SEND_FAILED, detail);
				return;
			}
			h->unconfirmed = false;
		}
		h->req_off += (size_t)n;
	}
	h->phase = HTTP_PH_RECV;
	http_arm(c);
	http_want(c, EV_READ);
}

/* One read: > 0 bytes, 0 at the end of the stream, -EAGAIN, or -EIO with detail. */
static ssize_t http_read(struct chk *c, uint8_t *buf, size_t len, char *detail, size_t dlen)
{
	struct http_run *h = c->run;
	char err[120];
	ssize_t n;

	if (!h->ssl) {
		n = recv(h->fd, buf, len, 0);
		if (n >= 0)
			return n;
		if (errno == EAGAIN || errno == EINTR)
			return -EAGAIN;
		snprintf(detail, dlen, "reading %s: %s", h->url->path, strerror(errno));
		return -EIO;
	}
	ERR_clear_error();
	errno = 0;
	n = SSL_read(h->ssl, buf, (int)len);
	if (n > 0)
		return n;
	switch (SSL_get_error(h->ssl, (int)n)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		/* many servers close without close_notify: the end, unless an error */
		if (errno == 0 || ERR_GET_REASON(ERR_peek_last_error()) ==
		    SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return 0;
		snprintf(detail, dlen, "reading %s: %s", h->url->path, strerror(errno));
		return -EIO;
	default:
		if (ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return 0;
		snprintf(detail, dlen, "reading %s: %s", h->url->path,
			 http_tls_error(err, sizeof(err)));
		return -EIO;
	}
}

static void http_step_recv(struct chk *c)
{
	struct http_run *h = c->run;
	uint8_t buf[HTTP_RECV_BUF];
	char detail[CHK_DETAIL_MAX];
	int r;

	for (;;) {
		ssize_t n = http_read(c, buf, sizeof(buf), detail, sizeof(detail));

		if (n == -EAGAIN)
			return;
		if (n < 0) {
			http_fail(c, CHK_READ_FAILED, detail);
			return;
		}
		r = n ? chk_http_parse_feed(&h->hp, buf, (size_t)n, http_body_cb, h) :
			chk_http_parse_eof(&h->hp);
		if (r < 0) {
			enum chk_hp_err e = (enum chk_hp_err)-r;

			snprintf(detail, sizeof(detail), "%s on %s", chk_hp_err_name(e),
				 h->url->path);
			http_fail(c, e == CHK_HP_E_TRUNCATED ? CHK_READ_FAILED :
				  CHK_HTTP_MALFORMED, detail);
			return;
		}
		if (chk_http_parse_done(&h->hp)) {
			http_complete(c);
			return;
		}
	}
}

static void http_io_cb(int fd, uint32_t events, void *ud)
{
	struct chk *c = ud;
	struct http_run *h = c->run;
	char detail[CHK_DETAIL_MAX];
	int err;

	(void)events;
	switch (h->phase) {
	case HTTP_PH_CONNECT:
		if (!http_is_tls(c)) {
			/* the first send() tells a failed connect: no SO_ERROR call */
			h->phase = HTTP_PH_SEND;
			h->unconfirmed = true;
			http_arm(c);
			http_step_send(c);
			return;
		}
		err = chk_sock_error(fd);
		if (err) {
			snprintf(detail, sizeof(detail), "connect: %s", strerror(-err));
			http_fail(c, chk_connect_result(err), detail);
			return;
		}
		http_start_tls(c);
		return;
	case HTTP_PH_TLS:
		http_step_tls(c);
		return;
	case HTTP_PH_SEND:
		http_step_send(c);
		return;
	default:
		http_step_recv(c);
		return;
	}
}

static char *http_put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* Decimal digits of v at p. */
static char *http_put_uint(char *p, unsigned v)
{
	char digits[12];
	size_t nd = 0;

	do {
		digits[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (nd)
		*p++ = digits[--nd];
	return p;
}

/* "10.0.0.1:80" or "[fe80::1]:80" into buf (CFG_ADDRSTRLEN + 8 bytes); its
 * length. IPv4 by hand: glibc's inet_ntop() goes through sprintf(). */
static size_t http_host_addr(const struct cfg_checker *k, char *buf)
{
	const struct cfg_addr *ip = &k->eff_connect_ip;
	char a[CFG_ADDRSTRLEN];
	char *p = buf;

	if (ip->family == AF_INET) {
		const uint8_t *b = (const uint8_t *)&ip->u.v4;

		for (int i = 0; i < 4; i++) {
			p = http_put_uint(p, b[i]);
			*p++ = i < 3 ? '.' : ':';
		}
	} else {
		struct cfg_addr plain = *ip;

		plain.has_prefix = false;
		cfg_addr_fmt(&plain, a, sizeof(a));
		*p++ = '[';
		p = http_put(p, a, strlen(a));
		*p++ = ']';
		*p++ = ':';
	}
	p = http_put_uint(p, k->eff_connect_port);
	return (size_t)(p - buf);
}

/*
 * A new attempt's state with its request: "GET /path HTTP/1.0" and the
 * headers keepalived's checker sends. Built without printf: it runs for
 * every check (bench/checkers: 5,000 a second).
 */
static struct http_run *http_run_new(const struct chk *c, const struct cfg_url *u)
{
	static const char ua[] = "User-Agent: " HTTP_USER_AGENT "\r\n";
	static const char conn[] = "Connection: close\r\n";
	const struct cfg_checker *k = c->cfg;
	enum cfg_http_proto pr = k->u.http.http_protocol;
	const char *vh = http_vhost(c, u);
	char hbuf[CFG_ADDRSTRLEN + 8];
	size_t pl = strlen(u->path), hl = vh ? strlen(vh) : http_host_addr(k, hbuf);
	size_t len = 4 + pl + 11 + (sizeof(ua) - 1) + (pr == CFG_HTTP_10 ? 0 : sizeof(conn) - 1) +
		     6 + hl + 4;
	struct http_run *h = xcalloc(1, sizeof(*h) + len + 1);
	char *p = h->req;

	p = http_put(p, "GET ", 4);
	p = http_put(p, u->path, pl);
	p = http_put(p, pr == CFG_HTTP_11 ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n", 11);
	p = http_put(p, ua, sizeof(ua) - 1);
	if (pr != CFG_HTTP_10)
		p = http_put(p, conn, sizeof(conn) - 1);
	p = http_put(p, "Host: ", 6);
	p = http_put(p, vh ? vh : hbuf, hl);
	p = http_put(p, "\r\n\r\n", 4);
	*p = '\0';
	h->req_len = (size_t)(p - h->req);
	return h;
}

static void http_start(struct chk *c)
{
	const struct cfg_url *u = http_url(c, c->step);
	struct http_run *h;
	char detail[CHK_DETAIL_MAX];
	int fd = -1, r;

	if (!u) {
		c->step = 0;
		u = http_url(c, 0);
	}
	if (!u) {
		chk_done(c, CHK_OK, NULL);	/* no url: nothing to check */
		return;
	}
	r = chk_sock_connect(c, SOCK_STREAM, 0, &fd);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "connect: %s", strerror(-r));
		chk_done(c, chk_connect_result(r), detail);
		return;
	}
	h = http_run_new(c, u);
	h->fd = fd;
	h->url = u;
	h->phase = HTTP_PH_CONNECT;
	chk_http_parse_init(&h->hp);
	c->run = h;
	if (u->digest) {
		h->md = EVP_MD_CTX_new();
		if (!h->md || !EVP_DigestInit_ex(h->md, http_md5(c->rs->vs->m), NULL)) {
			http_fail(c, CHK_SOCKET_ERROR, "MD5 is not available");
			return;
		}
	}
	r = ev_io_add(chk_loop(c), fd, EV_WRITE, http_io_cb, c);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "event loop: %s", strerror(-r));
		http_fail(c, CHK_SOCKET_ERROR, detail);
		return;
	}
	http_arm(c);
}

/* ---- preparing a model ---- */

/* OpenSSL 3 looks EVP_md5() up at each use: fetch it once per model. */
static int http_prepare(struct chk_model *m)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	if (!m->md5)
		m->md5 = EVP_MD_fetch(NULL, "MD5", NULL);
#endif
	return 0;
}

static void http_release(struct chk_model *m)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	EVP_MD_free(m->md5);
#endif
	m->md5 = NULL;
}

static const EVP_MD *http_md5(const struct chk_model *m)
{
	return m->md5 ? m->md5 : EVP_md5();
}

/* ---- the TLS context of SSL_GET ---- */

static int ssl_fail(const char *file, const char *what, const char *path)
{
	char err[160];

	ERR_error_string_n(ERR_get_error(), err, sizeof(err));
	log_err("%s: SSL %s '%s': %s", file ? file : "SSL", what, path, err);
	ERR_clear_error();
	return -EINVAL;
}

static int ssl_prepare(struct chk_model *m)
{
	const struct cfg_ssl *s = &m->root->check->ssl;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int r = 0;

	if (!ctx)
		return -ENOMEM;
	http_prepare(m);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (s->password)
		SSL_CTX_set_default_passwd_cb_userdata(ctx, s->password);
	if (s->ca) {
		if (SSL_CTX_load_verify_locations(ctx, s->ca, NULL) != 1) {
			r = ssl_fail(s->file, "ca", s->ca);
			goto out;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	if (s->certificate) {
		const char *key = s->key ? s->key : s->certificate;

		if (SSL_CTX_use_certificate_chain_file(ctx, s->certificate) != 1) {
			r = ssl_fail(s->file, "certificate", s->certificate);
			goto out;
		}
		if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1) {
			r = ssl_fail(s->file, "key", key);
			goto out;
		}
	}
	m->tls_ctx = ctx;
	ctx = NULL;
out:
	SSL_CTX_free(ctx);
	return r;
}

static void ssl_release(struct chk_model *m)
{
	SSL_CTX_free(m->tls_ctx);
	m->tls_ctx = NULL;
	http_release(m);
}

const struct chk_ops chk_http_ops = {
	.name = "HTTP_GET",
	.prepare = http_prepare,
	.release = http_release,
	.start = http_start,
	.abort = http_abort,
};

const struct chk_ops chk_ssl_ops = {
	.name = "SSL_GET",
	.prepare = ssl_prepare,
	.release = ssl_release,
	.start = http_start,
	.abort = http_abort,
};
