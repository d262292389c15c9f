// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Incremental HTTP/1.x response parser (RFC 9112). Pure: libc only.
 * See chk_http_parse.h for the contract.
 */
#include <string.h>

#include "check/chk_http_parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Chunk sizes and Content-Length values above this are refused. */
#define HP_SIZE_MAX (UINT64_C(1) << 60)

static const char *const hp_err_names[] = {
	[CHK_HP_OK] = "ok",
	[CHK_HP_E_STATUS_LINE] = "bad status line",
	[CHK_HP_E_HEADER] = "bad header line",
	[CHK_HP_E_HEAD_TOO_LONG] = "response head too long",
	[CHK_HP_E_LENGTH] = "bad Content-Length",
	[CHK_HP_E_CODING] = "bad Transfer-Encoding",
	[CHK_HP_E_CHUNK] = "bad chunked framing",
	[CHK_HP_E_TRUNCATED] = "truncated response",
	[CHK_HP_E_AFTER_END] = "data after the end of the response",
};
_Static_assert(ARRAY_SIZE(hp_err_names) == CHK_HP_E__COUNT, "hp_err_names");

static const char *const hp_state_names[] = {
	[CHK_HP_ST_STATUS] = "status",
	[CHK_HP_ST_HEADER] = "header",
	[CHK_HP_ST_BODY_LEN] = "body-length",
	[CHK_HP_ST_BODY_EOF] = "body-eof",
	[CHK_HP_ST_CHUNK_SIZE] = "chunk-size",
	[CHK_HP_ST_CHUNK_DATA] = "chunk-data",
	[CHK_HP_ST_CHUNK_END] = "chunk-end",
	[CHK_HP_ST_TRAILER] = "trailer",
	[CHK_HP_ST_DONE] = "done",
	[CHK_HP_ST_ERROR] = "error",
};
_Static_assert(ARRAY_SIZE(hp_state_names) == CHK_HP_ST__COUNT, "hp_state_names");

const char *chk_hp_err_name(enum chk_hp_err e)
{
	return (unsigned)e < CHK_HP_E__COUNT ? hp_err_names[e] : "?";
}

const char *chk_hp_state_name(enum chk_hp_state s)
{
	return (unsigned)s < CHK_HP_ST__COUNT ? hp_state_names[s] : "?";
}

void chk_http_parse_init(struct chk_http_parser *p)
{
	memset(p, 0, sizeof(*p));
	p->state = CHK_HP_ST_STATUS;
}

bool chk_http_parse_done(const struct chk_http_parser *p)
{
	return p->state == CHK_HP_ST_DONE;
}

bool chk_http_parse_head_done(const struct chk_http_parser *p)
{
	return p->state != CHK_HP_ST_STATUS && p->state != CHK_HP_ST_HEADER &&
	       p->state != CHK_HP_ST_ERROR;
}

static int hp_fail(struct chk_http_parser *p, enum chk_hp_err e)
{
	p->state = CHK_HP_ST_ERROR;
	p->err = (uint8_t)e;
	return -(int)e;
}

static bool hp_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hp_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char hp_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* RFC 9110 section 5.6.2: token characters. */
static bool hp_is_tchar(char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool hp_is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Case-insensitive comparison of s[0..n) with the lower-case word w. */
static bool hp_eq(const char *s, size_t n, const char *w)
{
	size_t i;

	if (strlen(w) != n)
		return false;
	for (i = 0; i < n; i++)
		if (hp_lower(s[i]) != w[i])
			return false;
	return true;
}

/* Trims optional whitespace around [*s, *s + *n). */
static void hp_trim(const char **s, size_t *n)
{
	while (*n && hp_is_ows(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && hp_is_ows((*s)[*n - 1]))
		(*n)--;
}

/* "HTTP/" DIGIT "." DIGIT SP 3DIGIT [ SP reason ] (RFC 9112 section 4). */
static int hp_status_line(struct chk_http_parser *p)
{
	const char *l = p->line;

	if (p->line_len < 12 || memcmp(l, "HTTP/", 5) != 0 || !hp_is_digit(l[5]) ||
	    l[6] != '.' || !hp_is_digit(l[7]) || l[8] != ' ' || !hp_is_digit(l[9]) ||
	    !hp_is_digit(l[10]) || !hp_is_digit(l[11]))
		return hp_fail(p, CHK_HP_E_STATUS_LINE);
	if (p->line_len > 12 && l[12] != ' ')
		return hp_fail(p, CHK_HP_E_STATUS_LINE);
	p->version_major = (uint8_t)(l[5] - '0');
	p->version_minor = (uint8_t)(l[7] - '0');
	p->status = (uint16_t)((l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0'));
	if (p->status < 100)
		return hp_fail(p, CHK_HP_E_STATUS_LINE);
	p->state = CHK_HP_ST_HEADER;
	return 0;
}

/* Content-Length: 1*DIGIT, or a list of identical values (RFC 9110 section 8.6). */
static int hp_content_length(struct chk_http_parser *p, const char *v, size_t n)
{
	size_t i = 0;

	if (p->line_long)
		return hp_fail(p, CHK_HP_E_LENGTH);
	while (i < n) {
		uint64_t len = 0;
		size_t start;

		while (i < n && hp_is_ows(v[i]))
			i++;
		start = i;
		while (i < n && hp_is_digit(v[i])) {
			len = len * 10 + (uint64_t)(v[i] - '0');
			if (len > HP_SIZE_MAX)
				return hp_fail(p, CHK_HP_E_LENGTH);
			i++;
		}
		if (i == start)
			return hp_fail(p, CHK_HP_E_LENGTH);
		while (i < n && hp_is_ows(v[i]))
			i++;
		if (i < n && v[i] != ',')
			return hp_fail(p, CHK_HP_E_LENGTH);
		if (i < n)
			i++;
		if (p->have_length && p->content_length != len)
			return hp_fail(p, CHK_HP_E_LENGTH);
		p->have_length = true;
		p->content_length = len;
	}
	if (!p->have_length)
		return hp_fail(p, CHK_HP_E_LENGTH);
	return 0;
}

/* Transfer-Encoding: chunked only when it is the last coding (RFC 9112 section 6.3). */
static int hp_transfer_encoding(struct chk_http_parser *p, const char *v, size_t n)
{
	const char *last = v;
	size_t i, last_n;

	if (p->line_long)
		return hp_fail(p, CHK_HP_E_CODING);
	for (i = 0; i < n; i++)
		if (v[i] == ',')
			last = v + i + 1;
	last_n = n - (size_t)(last - v);
	/* drop coding parameters: "chunked;q=1" is not valid, but be lenient */
	for (i = 0; i < last_n; i++)
		if (last[i] == ';') {
			last_n = i;
			break;
		}
	hp_trim(&last, &last_n);
	p->chunked = hp_eq(last, last_n, "chunked");
	/* a later Transfer-Encoding line without chunked last wins; a
	 * non-chunked coding means the body ends with the connection */
	return 0;
}

static int hp_header_line(struct chk_http_parser *p)
{
	const char *l = p->line, *colon, *v;
	size_t name_n, v_n, i;

	if (hp_is_ows(l[0]))
		return 0;	/* obsolete line folding: continuation of a field we skip */
	colon = memchr(l, ':', p->line_len);
	if (!colon || colon == l)
		return hp_fail(p, CHK_HP_E_HEADER);
	name_n = (size_t)(colon - l);
	for (i = 0; i < name_n; i++)
		if (!hp_is_tchar(l[i]))
			return hp_fail(p, CHK_HP_E_HEADER);
	v = colon + 1;
	v_n = p->line_len - name_n - 1;
	hp_trim(&v, &v_n);
	if (hp_eq(l, name_n, "content-length"))
		return hp_content_length(p, v, v_n);
	if (hp_eq(l, name_n, "transfer-encoding"))
		return hp_transfer_encoding(p, v, v_n);
	return 0;
}

/* The empty line ending the head: choose the body framing (RFC 9112 section 6.3). */
static void hp_head_end(struct chk_http_parser *p)
{
	if (p->status < 200) {
		/* interim response: the final one follows */
		p->state = CHK_HP_ST_STATUS;
		p->status = 0;
		p->have_length = false;
		p->chunked = false;
		p->content_length = 0;
		p->head_bytes = 0;
		return;
	}
	if (p->status == 204 || p->status == 304) {
		p->state = CHK_HP_ST_DONE;
	} else if (p->chunked) {
		p->state = CHK_HP_ST_CHUNK_SIZE;
		p->remaining = 0;
		p->chunk_digit = false;
		p->chunk_ext = false;
	} else if (p->have_length) {
		p->remaining = p->content_length;
		p->state = p->remaining ? CHK_HP_ST_BODY_LEN : CHK_HP_ST_DONE;
	} else {
		p->state = CHK_HP_ST_BODY_EOF;
	}
}

/* One complete line (without CR LF) of the status, header or trailer section. */
static int hp_line(struct chk_http_parser *p)
{
	int r = 0;

	switch (p->state) {
	case CHK_HP_ST_STATUS:
		/* RFC 9112 section 2.2: a leading empty line is ignored */
		if (p->line_len)
			r = hp_status_line(p);
		break;
	case CHK_HP_ST_HEADER:
		if (p->line_len == 0)
			hp_head_end(p);
		else
			r = hp_header_line(p);
		break;
	case CHK_HP_ST_TRAILER:
		if (p->line_len == 0)
			p->state = CHK_HP_ST_DONE;
		break;
	default:
		break;
	}
	p->line_len = 0;
	p->line_long = false;
	p->line_cr = false;
	return r;
}

/* Consumes line bytes from d; returns bytes consumed (the LF included) or -err. */
static int hp_feed_line(struct chk_http_parser *p, const uint8_t *d, size_t len)
{
	const uint8_t *lf = memchr(d, '\n', len);
	size_t n = lf ? (size_t)(lf - d) : len, take, used = lf ? n + 1 : n;
	int r;

	if ((uint64_t)p->head_bytes + used > CHK_HP_HEAD_MAX)
		return hp_fail(p, CHK_HP_E_HEAD_TOO_LONG);
	p->head_bytes += (uint32_t)used;
	if (n) {
		/* a CR kept from the previous piece was not the end of the line */
		if (p->line_cr && p->line_len < CHK_HP_LINE_MAX - 1)
			p->line[p->line_len++] = '\r';
		else if (p->line_cr)
			p->line_long = true;
		p->line_cr = d[n - 1] == '\r';
		if (p->line_cr)
			n--;
		take = CHK_HP_LINE_MAX - 1 - p->line_len;
		if (take > n) {
			take = n;
		} else if (take < n) {
			p->line_long = true;
		}
		memcpy(p->line + p->line_len, d, take);
		p->line_len = (uint16_t)(p->line_len + take);
	}
	p->line[p->line_len] = '\0';
	if (!lf)
		return (int)used;
	if (memchr(p->line, '\0', p->line_len))
		return hp_fail(p, p->state == CHK_HP_ST_STATUS ? CHK_HP_E_STATUS_LINE :
			       CHK_HP_E_HEADER);
	r = hp_line(p);
	return r < 0 ? r : (int)used;
}

/* chunk-size [ chunk-ext ] CRLF (RFC 9112 section 7.1). */
static int hp_feed_chunk_size(struct chk_http_parser *p, const uint8_t *d, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = (char)d[i];
		int h;

		if (c == '\n') {
			if (!p->chunk_digit)
				return hp_fail(p, CHK_HP_E_CHUNK);
			p->chunk_ext = false;
			p->line_cr = false;
			if (p->remaining == 0) {
				p->state = CHK_HP_ST_TRAILER;
				p->head_bytes = 0;
				p->line_len = 0;
			} else {
				p->state = CHK_HP_ST_CHUNK_DATA;
			}
			return (int)(i + 1);
		}
		if (p->line_cr)
			return hp_fail(p, CHK_HP_E_CHUNK);	/* CR not followed by LF */
		if (c == '\r') {
			p->line_cr = true;
			continue;
		}
		if (p->chunk_ext)
			continue;
		h = hp_hex(c);
		if (h >= 0) {
			if (p->remaining > HP_SIZE_MAX >> 4)
				return hp_fail(p, CHK_HP_E_CHUNK);
			p->remaining = p->remaining * 16 + (uint64_t)h;
			p->chunk_digit = true;
		} else if (p->chunk_digit && (c == ';' || hp_is_ows(c))) {
			p->chunk_ext = true;	/* BWS and extensions: ignored */
		} else {
			return hp_fail(p, CHK_HP_E_CHUNK);
		}
	}
	return (int)len;
}

static int hp_feed_chunk_end(struct chk_http_parser *p, const uint8_t *d, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (d[i] == '\n') {
			p->line_cr = false;
			p->state = CHK_HP_ST_CHUNK_SIZE;
			p->remaining = 0;
			p->chunk_digit = false;
			p->chunk_ext = false;
			return (int)(i + 1);
		}
		if (d[i] != '\r' || p->line_cr)
			return hp_fail(p, CHK_HP_E_CHUNK);
		p->line_cr = true;
	}
	return (int)len;
}

static size_t hp_body(struct chk_http_parser *p, const uint8_t *d, size_t len,
		      chk_hp_body_cb body, void *ud)
{
	size_t n = len;

	if (p->state != CHK_HP_ST_BODY_EOF && n > p->remaining)
		n = (size_t)p->remaining;
	if (n && body)
		body(d, n, ud);
	p->body_len += n;
	if (p->state == CHK_HP_ST_BODY_EOF)
		return n;
	p->remaining -= n;
	if (p->remaining == 0) {
		if (p->state == CHK_HP_ST_BODY_LEN) {
			p->state = CHK_HP_ST_DONE;
		} else {
			p->state = CHK_HP_ST_CHUNK_END;
			p->line_cr = false;
		}
	}
	return n;
}

int chk_http_parse_feed(struct chk_http_parser *p, const uint8_t *data, size_t len,
			chk_hp_body_cb body, void *ud)
{
	size_t off = 0;
	int r;

	if (p->state == CHK_HP_ST_ERROR)
		return -(int)p->err;
	if (len > (size_t)INT32_MAX)
		len = INT32_MAX;	/* the caller feeds the rest next time */
	if (p->state == CHK_HP_ST_DONE)
		return len ? -(int)CHK_HP_E_AFTER_END : 0;
	while (off < len && p->state != CHK_HP_ST_DONE) {
		switch (p->state) {
		case CHK_HP_ST_STATUS:
		case CHK_HP_ST_HEADER:
		case CHK_HP_ST_TRAILER:
			r = hp_feed_line(p, data + off, len - off);
			break;
		case CHK_HP_ST_CHUNK_SIZE:
			r = hp_feed_chunk_size(p, data + off, len - off);
			break;
		case CHK_HP_ST_CHUNK_END:
			r = hp_feed_chunk_end(p, data + off, len - off);
			break;
		case CHK_HP_ST_BODY_LEN:
		case CHK_HP_ST_BODY_EOF:
		case CHK_HP_ST_CHUNK_DATA:
			r = (int)hp_body(p, data + off, len - off, body, ud);
			break;
		default:
			return hp_fail(p, CHK_HP_E_HEADER);
		}
		if (r < 0)
			return r;
		off += (size_t)r;
	}
	return (int)off;
}

int chk_http_parse_eof(struct chk_http_parser *p)
{
	switch (p->state) {
	case CHK_HP_ST_DONE:
		return 0;
	case CHK_HP_ST_BODY_EOF:
		p->state = CHK_HP_ST_DONE;
		return 0;
	case CHK_HP_ST_ERROR:
		return -(int)p->err;
	default:
		return hp_fail(p, CHK_HP_E_TRUNCATED);
	}
}
