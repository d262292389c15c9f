// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the HTTP response parser (src/check/chk_http_parse.c).
 * Every well-formed response is also fed split at every byte boundary and
 * one byte at a time: the result must not depend on how reads cut it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "check/chk_http_parse.h"

struct sink {
	char body[8192];
	size_t len;
	unsigned calls;
};

static void sink_cb(const uint8_t *d, size_t n, void *ud)
{
	struct sink *s = ud;

	assert_true(n > 0);
	assert_true(s->len + n <= sizeof(s->body));
	memcpy(s->body + s->len, d, n);
	s->len += n;
	s->calls++;
}

/* Feeds msg in pieces of at most step bytes (0: at cut, then the rest).
 * Returns the first negative feed result, else the eof result when eof. */
static int feed_split(struct chk_http_parser *p, struct sink *s, const char *msg, size_t len,
		      size_t cut, size_t step, bool eof, size_t *ret_used)
{
	size_t off = 0, used = 0;

	chk_http_parse_init(p);
	memset(s, 0, sizeof(*s));
	while (off < len) {
		size_t n = step ? step : (off == 0 ? cut : len - off);
		int r;

		if (n > len - off)
			n = len - off;
		if (n == 0)
			n = len - off;
		if (chk_http_parse_done(p))
			break;
		r = chk_http_parse_feed(p, (const uint8_t *)msg + off, n, sink_cb, s);
		if (r < 0)
			return r;
		assert_true((size_t)r <= n);
		used += (size_t)r;
		off += n;
	}
	if (ret_used)
		*ret_used = used;
	if (eof)
		return chk_http_parse_eof(p);
	return 0;
}

/* Checks msg parses to status/body whatever the cuts. */
static void expect_ok(const char *msg, bool eof, unsigned status, const char *body)
{
	size_t len = strlen(msg), cut, step;
	struct chk_http_parser p;
	struct sink s;

	for (cut = 0; cut <= len; cut++) {
		assert_int_equal(feed_split(&p, &s, msg, len, cut, 0, eof, NULL), 0);
		assert_true(chk_http_parse_done(&p));
		assert_int_equal(p.status, status);
		assert_int_equal(s.len, strlen(body));
		assert_memory_equal(s.body, body, s.len);
		assert_int_equal(p.body_len, strlen(body));
	}
	for (step = 1; step <= 3; step++) {
		assert_int_equal(feed_split(&p, &s, msg, len, 0, step, eof, NULL), 0);
		assert_true(chk_http_parse_done(&p));
		assert_int_equal(p.status, status);
		assert_int_equal(s.len, strlen(body));
		assert_memory_equal(s.body, body, s.len);
	}
}

static void expect_err(const char *msg, bool eof, enum chk_hp_err err)
{
	size_t len = strlen(msg), cut;
	struct chk_http_parser p;
	struct sink s;

	for (cut = 0; cut <= len; cut++) {
		assert_int_equal(feed_split(&p, &s, msg, len, cut, 0, eof, NULL), -(int)err);
		assert_int_equal(p.state, CHK_HP_ST_ERROR);
		assert_int_equal(p.err, err);
	}
	assert_int_equal(feed_split(&p, &s, msg, len, 0, 1, eof, NULL), -(int)err);
}

/* ---- well-formed responses ---- */

static void test_content_length(void **state)
{
	(void)state;
	expect_ok("HTTP/1.0 200 OK\r\nServer: x\r\nContent-Length: 5\r\n\r\nhello", false, 200,
		  "hello");
	expect_ok("HTTP/1.1 404 Not Found\r\ncontent-length:3\r\n\r\nabc", false, 404, "abc");
	expect_ok("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, 200, "");
	/* a list of identical values is one length (RFC 9110 section 8.6) */
	expect_ok("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab", false,
		  200, "ab");
}

static void test_status_fields(void **state)
{
	struct chk_http_parser p;
	struct sink s;
	const char *m = "HTTP/1.1 503\r\nContent-Length: 1\r\n\r\nx";

	(void)state;
	assert_int_equal(feed_split(&p, &s, m, strlen(m), 0, 0, false, NULL), 0);
	assert_int_equal(p.status, 503);
	assert_int_equal(p.version_major, 1);
	assert_int_equal(p.version_minor, 1);
	assert_true(p.have_length);
	assert_int_equal(p.content_length, 1);
	assert_true(chk_http_parse_head_done(&p));
}

static void test_body_until_eof(void **state)
{
	struct chk_http_parser p;
	struct sink s;
	const char *m = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nno length here";

	(void)state;
	expect_ok(m, true, 200, "no length here");
	/* without the eof the response is not complete */
	assert_int_equal(feed_split(&p, &s, m, strlen(m), 0, 0, false, NULL), 0);
	assert_false(chk_http_parse_done(&p));
	assert_int_equal(p.state, CHK_HP_ST_BODY_EOF);
	/* a coding other than chunked last: the body ends with the connection */
	expect_ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nab", true, 200,
		  "5\r\nab");
}

static void test_chunked(void **state)
{
	(void)state;
	expect_ok("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		  "5\r\nhello\r\n1;ext=1\r\n \r\nA \r\n0123456789\r\n0\r\n\r\n",
		  false, 200, "hello 0123456789");
	/* trailers, upper-case hex, LF-only line ends */
	expect_ok("HTTP/1.1 200 OK\nTransfer-Encoding: gzip, Chunked\n\n"
		  "1F\n0123456789abcdef0123456789ABCDE\n0\nX-Trailer: 1\n\n",
		  false, 200, "0123456789abcdef0123456789ABCDE");
	/* chunked wins over Content-Length (RFC 9112 section 6.3) */
	expect_ok("HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n"
		  "2\r\nok\r\n0\r\n\r\n", false, 200, "ok");
}

static void test_interim_and_no_body(void **state)
{
	(void)state;
	expect_ok("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n"
		  "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", false, 201, "ok");
	/* 204 and 304 have no body whatever the headers say */
	expect_ok("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", false, 204, "");
	expect_ok("HTTP/1.1 304 Not Modified\r\n\r\n", false, 304, "");
	/* a leading empty line is ignored (RFC 9112 section 2.2) */
	expect_ok("\r\nHTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nz", false, 200, "z");
}

static void test_long_lines(void **state)
{
	char m[4096];
	struct chk_http_parser p;
	struct sink s;
	int n;

	(void)state;
	/* an unrelated header longer than the line buffer is skipped */
	n = snprintf(m, sizeof(m),
		     "HTTP/1.1 200 OK\r\nX-Long: %0*d\r\nContent-Length: 3\r\n\r\nabc", 1000, 7);
	assert_true(n > 0 && (size_t)n < sizeof(m));
	expect_ok(m, false, 200, "abc");
	/* a long reason phrase too */
	n = snprintf(m, sizeof(m), "HTTP/1.1 500 %0*d\r\nContent-Length: 1\r\n\r\nx", 600, 1);
	expect_ok(m, false, 500, "x");
	/* Content-Length hidden behind padding longer than the buffer: refused */
	n = snprintf(m, sizeof(m), "HTTP/1.1 200 OK\r\nContent-Length: %*d\r\n\r\nabc", 400, 3);
	expect_err(m, false, CHK_HP_E_LENGTH);
	/* a CR inside a line (not before LF) is kept, not taken as a line end */
	snprintf(m, sizeof(m), "HTTP/1.1 200 O\rK\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(feed_split(&p, &s, m, strlen(m), 15, 0, false, NULL), 0);
	assert_int_equal(p.status, 200);
	assert_true(chk_http_parse_done(&p));
}

static void test_head_limit(void **state)
{
	static char m[CHK_HP_HEAD_MAX + 200];
	size_t off;
	struct chk_http_parser p;
	struct sink s;

	(void)state;
	off = (size_t)snprintf(m, sizeof(m), "HTTP/1.1 200 OK\r\n");
	while (off + 20 < CHK_HP_HEAD_MAX + 100)
		off += (size_t)snprintf(m + off, sizeof(m) - off, "X-Pad: 0123456789\r\n");
	m[off] = '\0';
	assert_int_equal(feed_split(&p, &s, m, off, 0, 0, false, NULL), -CHK_HP_E_HEAD_TOO_LONG);
	assert_int_equal(feed_split(&p, &s, m, off, 0, 7, false, NULL), -CHK_HP_E_HEAD_TOO_LONG);
}

static void test_after_end(void **state)
{
	const char *m = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";
	struct chk_http_parser p;
	struct sink s;
	size_t used = 0;

	(void)state;
	/* fed at once: the response ends inside the buffer, the rest is not used */
	assert_int_equal(feed_split(&p, &s, m, strlen(m), 0, 0, false, &used), 0);
	assert_int_equal(used, strlen(m) - 5);
	assert_true(chk_http_parse_done(&p));
	assert_int_equal(s.len, 2);
	/* feeding more afterwards is reported */
	assert_int_equal(chk_http_parse_feed(&p, (const uint8_t *)"x", 1, sink_cb, &s),
			 -CHK_HP_E_AFTER_END);
	assert_int_equal(chk_http_parse_feed(&p, (const uint8_t *)"", 0, sink_cb, &s), 0);
	assert_int_equal(chk_http_parse_eof(&p), 0);
}

/* ---- malformed responses ---- */

static void test_bad_status(void **state)
{
	(void)state;
	expect_err("HTTP/1.1 20 OK\r\n\r\n", false, CHK_HP_E_STATUS_LINE);
	expect_err("HTTP/1.1 200OK\r\n\r\n", false, CHK_HP_E_STATUS_LINE);
	expect_err("HTTP/11 200 OK\r\n\r\n", false, CHK_HP_E_STATUS_LINE);
	expect_err("SSH-2.0-OpenSSH_9.2\r\n", false, CHK_HP_E_STATUS_LINE);
	expect_err("HTTP/1.1 099 Low\r\n\r\n", false, CHK_HP_E_STATUS_LINE);
	expect_err("<html>hello</html>\n", false, CHK_HP_E_STATUS_LINE);
}

static void test_bad_headers(void **state)
{
	(void)state;
	expect_err("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false, CHK_HP_E_HEADER);
	expect_err("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", false, CHK_HP_E_HEADER);
	expect_err("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", false, CHK_HP_E_HEADER);
	expect_err("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", false,
		   CHK_HP_E_LENGTH);
	expect_err("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, CHK_HP_E_LENGTH);
	expect_err("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", false, CHK_HP_E_LENGTH);
	expect_err("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", false, CHK_HP_E_LENGTH);
	expect_err("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", false,
		   CHK_HP_E_LENGTH);
}

static void test_bad_chunks(void **state)
{
	(void)state;
	expect_err("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false,
		   CHK_HP_E_CHUNK);
	expect_err("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", false,
		   CHK_HP_E_CHUNK);
	expect_err("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", false,
		   CHK_HP_E_CHUNK);
	expect_err("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		   "FFFFFFFFFFFFFFFFFF\r\n", false, CHK_HP_E_CHUNK);
	expect_err("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\rx\n", false,
		   CHK_HP_E_CHUNK);
}

static void test_truncated(void **state)
{
	(void)state;
	expect_err("", true, CHK_HP_E_TRUNCATED);
	expect_err("HTTP/1.1 200 OK\r\nContent-Len", true, CHK_HP_E_TRUNCATED);
	expect_err("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true, CHK_HP_E_TRUNCATED);
	expect_err("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", true,
		   CHK_HP_E_TRUNCATED);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(chk_hp_err_name(CHK_HP_E_TRUNCATED), "truncated response");
	assert_string_equal(chk_hp_err_name(CHK_HP_E__COUNT), "?");
	assert_string_equal(chk_hp_state_name(CHK_HP_ST_DONE), "done");
	assert_string_equal(chk_hp_state_name(CHK_HP_ST__COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_status_fields),
		cmocka_unit_test(test_body_until_eof),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_interim_and_no_body),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_head_limit),
		cmocka_unit_test(test_after_end),
		cmocka_unit_test(test_bad_status),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_chunks),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
