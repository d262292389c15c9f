// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * genhash: fetch one URL from one server over HTTP or TLS and print the
 * MD5 digest of the response body, the value a `digest` line of HTTP_GET
 * or SSL_GET expects. The request is the one the checker sends, so the
 * server answers genhash as it answers the checker.
 *
 * Output (standard output): the digest as 32 lower-case hex digits on a
 * line of its own, as keepalived's genhash prints it. With -v, the
 * request, the response head, the body size and the time taken come
 * first, on standard error. Exit status 0 when a response was received
 * (whatever its status code: genhash does not judge), 1 on a usage error,
 * 2 when the server could not be reached or answered badly.
 *
 * A command-line tool, so plain blocking I/O bounded by poll() timeouts.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "check/chk_http_parse.h"

#define GH_USER_AGENT	"KeepAliveClient"
#define GH_HEAD_SHOW	8192	/* bytes of the response head shown with -v */

enum gh_exit {
	GH_EXIT_OK = 0,
	GH_EXIT_USAGE = 1,
	GH_EXIT_FAIL = 2,
};

struct gh_opts {
	const char *server, *url, *vhost;
	uint16_t port;
	bool tls, sni, verbose;
	uint32_t fwmark;
	char proto;		/* '0' 1.0, 'c' 1.0 with Connection: close, '1' 1.1 */
	unsigned timeout_s;
	struct sockaddr_storage ss;	/* server:port */
	socklen_t ss_len;
};

struct gh_conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	int timeout_ms;
};

struct gh_body {
	EVP_MD_CTX *md;
	uint64_t len;
};

static void gh_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s -s ADDRESS -p PORT -u URL [OPTION]...\n"
		"Fetch URL from the server at ADDRESS:PORT and print the MD5 digest of the\n"
		"body, for the digest setting of HTTP_GET and SSL_GET.\n\n"
		"  -s, --server=ADDRESS       the server's IPv4 or IPv6 address\n"
		"  -p, --port=PORT            its TCP port (default 80, or 443 with -S)\n"
		"  -u, --url=PATH             the path to fetch, e.g. /index.html\n"
		"  -S, --use-ssl              talk TLS\n"
		"  -I, --use-sni              with -S, send the virtual host as TLS server name\n"
		"  -V, --use-virtualhost=NAME send NAME as Host header\n"
		"  -P, --protocol=VERSION     HTTP version: 1.0 (default), 1.0c (with\n"
		"                             Connection: close) or 1.1\n"
		"  -m, --fwmark=MARK          mark the connection's packets with MARK\n"
		"  -t, --timeout=SECONDS      give up after SECONDS per step (default 5)\n"
		"  -v, --verbose              show the request, the response head and timings\n"
		"  -h, --help                 show this help\n", prog);
}

static int gh_parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || s[0] == '-')
		return -EINVAL;
	*ret = v;
	return 0;
}

static int gh_parse_server(struct gh_opts *o)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&o->ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&o->ss;

	memset(&o->ss, 0, sizeof(o->ss));
	if (inet_pton(AF_INET, o->server, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(o->port);
		o->ss_len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, o->server, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(o->port);
		o->ss_len = sizeof(*s6);
	} else {
		fprintf(stderr, "genhash: server '%s': not an IPv4 or IPv6 address\n", o->server);
		return -EINVAL;
	}
	return 0;
}

static int gh_parse_args(int argc, char **argv, struct gh_opts *o)
{
	static const struct option lo[] = {
		{ "use-ssl", no_argument, NULL, 'S' },
		{ "use-sni", no_argument, NULL, 'I' },
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "use-virtualhost", required_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "fwmark", required_argument, NULL, 'm' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, "SIrs:p:u:V:vhm:P:t:", lo, NULL)) != -1) {
		switch (c) {
		case 'S':
			o->tls = true;
			break;
		case 'I':
		case 'r':	/* the letter older documentation gives */
			o->sni = true;
			break;
		case 's':
			o->server = optarg;
			break;
		case 'p':
			if (gh_parse_uint(optarg, 65535, &v) < 0 || v == 0) {
				fprintf(stderr, "genhash: port '%s': must be 1..65535\n", optarg);
				return -EINVAL;
			}
			o->port = (uint16_t)v;
			break;
		case 'u':
			o->url = optarg;
			break;
		case 'V':
			o->vhost = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			gh_usage(stdout, "genhash");
			exit(GH_EXIT_OK);
		case 'm':
			if (gh_parse_uint(optarg, UINT32_MAX, &v) < 0) {
				fprintf(stderr, "genhash: fwmark '%s': not a number\n", optarg);
				return -EINVAL;
			}
			o->fwmark = (uint32_t)v;
			break;
		case 'P':
			if (strcmp(optarg, "1.0") == 0)
				o->proto = '0';
			else if (strcasecmp(optarg, "1.0c") == 0)
				o->proto = 'c';
			else if (strcmp(optarg, "1.1") == 0)
				o->proto = '1';
			else {
				fprintf(stderr,
					"genhash: protocol '%s': must be 1.0, 1.0c or 1.1\n",
					optarg);
				return -EINVAL;
			}
			break;
		case 't':
			if (gh_parse_uint(optarg, 3600, &v) < 0 || v == 0) {
				fprintf(stderr, "genhash: timeout '%s': must be 1..3600 seconds\n",
					optarg);
				return -EINVAL;
			}
			o->timeout_s = (unsigned)v;
			break;
		default:
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "genhash: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (!o->server || !o->url) {
		fprintf(stderr, "genhash: -s ADDRESS and -u URL are required\n");
		return -EINVAL;
	}
	if (!o->port)
		o->port = o->tls ? 443 : 80;
	return gh_parse_server(o);
}

static uint64_t gh_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int gh_wait(const struct gh_conn *c, short events)
{
	struct pollfd p = { .fd = c->fd, .events = events };
	int r;

	do {
		r = poll(&p, 1, c->timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

static int gh_connect(const struct gh_opts *o, struct gh_conn *c)
{
	int err = 0;
	socklen_t el = sizeof(err);

	c->fd = socket(o->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	if (o->fwmark && setsockopt(c->fd, SOL_SOCKET, SO_MARK, &o->fwmark, sizeof(o->fwmark)) < 0)
		return -errno;
	if (connect(c->fd, (const struct sockaddr *)&o->ss, o->ss_len) < 0 && errno != EINPROGRESS)
		return -errno;
	err = gh_wait(c, POLLOUT);
	if (err < 0)
		return err;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
		return -errno;
	return -err;
}

/* Runs an SSL call until it completes, waiting on the socket as asked. */
static int gh_ssl_io(struct gh_conn *c, int r)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return gh_wait(c, POLLIN) < 0 ? -ETIMEDOUT : 1;
	case SSL_ERROR_WANT_WRITE:
		return gh_wait(c, POLLOUT) < 0 ? -ETIMEDOUT : 1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (errno == 0 || ERR_GET_REASON(ERR_peek_last_error()) ==
		    SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return 0;
		return -EIO;
	default:
		if (ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
			return 0;
		return -EPROTO;
	}
}

static int gh_tls(const struct gh_opts *o, struct gh_conn *c)
{
	int r;

	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx)
		return -ENOMEM;
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd))
		return -ENOMEM;
	if (o->sni && o->vhost)
		SSL_set_tlsext_host_name(c->ssl, o->vhost);
	for (;;) {
		ERR_clear_error();
		errno = 0;
		r = SSL_connect(c->ssl);
		if (r == 1)
			return 0;
		r = gh_ssl_io(c, r);
		if (r <= 0)
			return r < 0 ? r : -ECONNRESET;
	}
}

static int gh_send(struct gh_conn *c, const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n;

		if (c->ssl) {
			int r;

			ERR_clear_error();
			r = SSL_write(c->ssl, buf + off, (int)(len - off));
			if (r <= 0) {
				r = gh_ssl_io(c, r);
				if (r <= 0)
					return r < 0 ? r : -EPIPE;
				continue;
			}
			n = r;
		} else {
			n = send(c->fd, buf + off, len - off, MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				if (gh_wait(c, POLLOUT) < 0)
					return -ETIMEDOUT;
				continue;
			}
			if (n < 0)
				return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

/* > 0 bytes, 0 at the end, -errno. */
static ssize_t gh_recv(struct gh_conn *c, uint8_t *buf, size_t len)
{
	for (;;) {
		ssize_t n;

		if (c->ssl) {
			int r;

			ERR_clear_error();
			errno = 0;
			r = SSL_read(c->ssl, buf, (int)len);
			if (r > 0)
				return r;
			r = gh_ssl_io(c, r);
			if (r <= 0)
				return r;
			continue;
		}
		n = recv(c->fd, buf, len, 0);
		if (n >= 0)
			return n;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		if (gh_wait(c, POLLIN) < 0)
			return -ETIMEDOUT;
	}
}

static void gh_body_cb(const uint8_t *d, size_t n, void *ud)
{
	struct gh_body *b = ud;

	EVP_DigestUpdate(b->md, d, n);
	b->len += n;
}

static char *gh_request(const struct gh_opts *o)
{
	char host[300], *req = NULL;
	bool v6 = strchr(o->server, ':') != NULL;

	if (o->vhost)
		snprintf(host, sizeof(host), "%s", o->vhost);
	else
		snprintf(host, sizeof(host), v6 ? "[%s]:%u" : "%s:%u", o->server,
			 (unsigned)o->port);
	if (asprintf(&req, "GET %s HTTP/1.%c\r\nUser-Agent: %s\r\n%sHost: %s\r\n\r\n", o->url,
		     o->proto == '1' ? '1' : '0', GH_USER_AGENT,
		     o->proto == '0' ? "" : "Connection: close\r\n", host) < 0)
		return NULL;
	return req;
}

static const char *gh_err(int err, char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	if (e && (err == -EPROTO || err == -EIO))
		ERR_error_string_n(e, buf, len);
	else
		snprintf(buf, len, "%s", strerror(-err));
	return buf;
}

/* Fetches the URL, feeding the body to b; head (with -v) gets the raw head. */
static int gh_fetch(const struct gh_opts *o, struct gh_conn *c, struct gh_body *b,
		    struct chk_http_parser *hp, char *head, size_t *head_len)
{
	char *req = gh_request(o), err[160];
	uint8_t buf[16384];
	int r;

	if (!req)
		return -ENOMEM;
	if (o->verbose)
		fprintf(stderr, "---- request to %s port %u%s ----\n%s", o->server,
			(unsigned)o->port, o->tls ? " (TLS)" : "", req);
	r = gh_connect(o, c);
	if (r < 0) {
		fprintf(stderr, "genhash: cannot connect to %s port %u: %s\n", o->server,
			(unsigned)o->port, strerror(-r));
		goto out;
	}
	if (o->tls) {
		r = gh_tls(o, c);
		if (r < 0) {
			fprintf(stderr, "genhash: TLS handshake with %s port %u failed: %s\n",
				o->server, (unsigned)o->port, gh_err(r, err, sizeof(err)));
			goto out;
		}
	}
	r = gh_send(c, req, strlen(req));
	if (r < 0) {
		fprintf(stderr, "genhash: sending the request failed: %s\n",
			gh_err(r, err, sizeof(err)));
		goto out;
	}
	for (;;) {
		ssize_t n = gh_recv(c, buf, sizeof(buf));

		if (n < 0) {
			r = (int)n;
			fprintf(stderr, "genhash: reading the response failed: %s\n",
				gh_err(r, err, sizeof(err)));
			goto out;
		}
		if (head && !chk_http_parse_head_done(hp) && *head_len < GH_HEAD_SHOW) {
			size_t k = (size_t)n < GH_HEAD_SHOW - *head_len ? (size_t)n :
				   GH_HEAD_SHOW - *head_len;

			memcpy(head + *head_len, buf, k);
			*head_len += k;
		}
		r = n ? chk_http_parse_feed(hp, buf, (size_t)n, gh_body_cb, b) :
			chk_http_parse_eof(hp);
		if (r < 0) {
			fprintf(stderr, "genhash: bad response: %s\n",
				chk_hp_err_name((enum chk_hp_err)-r));
			goto out;
		}
		if (chk_http_parse_done(hp))
			break;
	}
	r = 0;
out:
	free(req);
	return r;
}

static void gh_show_head(const char *head, size_t len)
{
	const char *end = NULL;

	for (size_t i = 0; i + 1 < len && !end; i++) {
		if (head[i] == '\n' && head[i + 1] == '\n')
			end = head + i + 1;
		else if (i + 3 < len && memcmp(head + i, "\r\n\r\n", 4) == 0)
			end = head + i + 2;
	}
	fprintf(stderr, "---- response head ----\n%.*s", (int)(end ? end - head : (long)len),
		head);
}

int main(int argc, char **argv)
{
	struct gh_opts o = { .proto = '0', .timeout_s = 5 };
	struct gh_conn c = { .fd = -1 };
	struct gh_body b = { 0 };
	struct chk_http_parser hp;
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;
	char *head = NULL;
	size_t head_len = 0;
	uint64_t t0;
	int code = GH_EXIT_FAIL;

	if (gh_parse_args(argc, argv, &o) < 0) {
		fprintf(stderr, "Try 'genhash --help' for more information.\n");
		return GH_EXIT_USAGE;
	}
	c.timeout_ms = (int)o.timeout_s * 1000;
	b.md = EVP_MD_CTX_new();
	if (!b.md || !EVP_DigestInit_ex(b.md, EVP_md5(), NULL)) {
		fprintf(stderr, "genhash: MD5 is not available\n");
		goto out;
	}
	if (o.verbose)
		head = malloc(GH_HEAD_SHOW);
	chk_http_parse_init(&hp);
	t0 = gh_now_us();
	if (gh_fetch(&o, &c, &b, &hp, head, &head_len) < 0)
		goto out;
	EVP_DigestFinal_ex(b.md, d, &dl);
	if (o.verbose) {
		gh_show_head(head, head_len);
		fprintf(stderr, "---- HTTP status %u, body %" PRIu64 " bytes, %" PRIu64
			" us ----\n", (unsigned)hp.status, b.len, gh_now_us() - t0);
	}
	for (unsigned i = 0; i < dl; i++)
		printf("%02x", d[i]);
	printf("\n");
	code = fflush(stdout) == 0 ? GH_EXIT_OK : GH_EXIT_FAIL;
out:
	if (c.ssl)
		SSL_free(c.ssl);
	SSL_CTX_free(c.ctx);
	if (c.fd >= 0)
		close(c.fd);
	EVP_MD_CTX_free(b.md);
	free(head);
	return code;
}
