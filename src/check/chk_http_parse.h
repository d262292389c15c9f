/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Incremental HTTP/1.x response parser for the HTTP_GET and SSL_GET
 * checkers and genhash (RFC 9112). Pure: libc only, no allocation, no
 * logging. It keeps no copy of the response: the status line and the
 * headers it needs (Content-Length, Transfer-Encoding) are decoded on the
 * fly from a small line buffer, other headers are skipped, and the body is
 * handed to a callback span by span, de-chunked. About 300 bytes of state.
 *
 * Body framing (RFC 9112 section 6.3): no body for 1xx, 204 and 304;
 * chunked when the last transfer coding is "chunked"; else Content-Length;
 * else everything up to the end of the connection. Interim 1xx responses
 * are skipped: the final response is the one reported.
 */
#ifndef ALIVED_CHK_HTTP_PARSE_H
#define ALIVED_CHK_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Total bytes of status line and headers accepted (per response). */
#define CHK_HP_HEAD_MAX		(64u * 1024u)
/* Bytes of a line kept for decoding; longer lines of other headers are skipped. */
#define CHK_HP_LINE_MAX		256u

enum chk_hp_state {
	CHK_HP_ST_STATUS,	/* reading the status line */
	CHK_HP_ST_HEADER,	/* reading header lines */
	CHK_HP_ST_BODY_LEN,	/* Content-Length body */
	CHK_HP_ST_BODY_EOF,	/* body up to the end of the connection */
	CHK_HP_ST_CHUNK_SIZE,	/* chunk-size [; ext] CRLF */
	CHK_HP_ST_CHUNK_DATA,
	CHK_HP_ST_CHUNK_END,	/* the CRLF after chunk data */
	CHK_HP_ST_TRAILER,	/* trailer fields after the last chunk */
	CHK_HP_ST_DONE,
	CHK_HP_ST_ERROR,
	CHK_HP_ST__COUNT,
};

enum chk_hp_err {
	CHK_HP_OK,
	CHK_HP_E_STATUS_LINE,	/* not "HTTP/x.y NNN ..." */
	CHK_HP_E_HEADER,	/* a header line without ':' or with a bad name */
	CHK_HP_E_HEAD_TOO_LONG,	/* more than CHK_HP_HEAD_MAX bytes of head */
	CHK_HP_E_LENGTH,	/* bad or conflicting Content-Length */
	CHK_HP_E_CODING,	/* a transfer coding other than chunked last */
	CHK_HP_E_CHUNK,		/* bad chunk size line or chunk framing */
	CHK_HP_E_TRUNCATED,	/* the connection ended inside the response */
	CHK_HP_E_AFTER_END,	/* bytes fed after the response was complete */
	CHK_HP_E__COUNT,
};

/* Receives body bytes in order (de-chunked). */
typedef void (*chk_hp_body_cb)(const uint8_t *data, size_t len, void *ud);

struct chk_http_parser {
	uint8_t state;		/* enum chk_hp_state */
	uint8_t err;		/* enum chk_hp_err, with CHK_HP_ST_ERROR */
	uint8_t version_major, version_minor;
	uint16_t status;	/* 100..999 once the status line is read */
	bool chunked;
	bool have_length;
	bool line_cr;		/* the last byte of the line so far was CR */
	bool line_long;		/* the current line is longer than the buffer */
	bool chunk_ext;		/* in a chunk extension: ignore up to CRLF */
	bool chunk_digit;	/* at least one hex digit in the chunk size */
	uint16_t line_len;
	uint32_t head_bytes;	/* of the current response head */
	uint64_t content_length;
	uint64_t remaining;	/* of the Content-Length body or of the chunk */
	uint64_t body_len;	/* body bytes delivered so far */
	char line[CHK_HP_LINE_MAX];
};

void chk_http_parse_init(struct chk_http_parser *p);

/*
 * Feeds len bytes. Body bytes go to body (may be NULL). Returns the number
 * of bytes consumed (== len, or fewer when the response completed inside
 * the buffer: the rest is not part of it), or -enum chk_hp_err on a
 * malformed response (the parser then stays in CHK_HP_ST_ERROR).
 */
int chk_http_parse_feed(struct chk_http_parser *p, const uint8_t *data, size_t len,
			chk_hp_body_cb body, void *ud);

/*
 * The peer closed the connection. Returns 0 when the response is complete
 * (a body delimited by the end of the connection ends here), or
 * -CHK_HP_E_TRUNCATED.
 */
int chk_http_parse_eof(struct chk_http_parser *p);

bool chk_http_parse_done(const struct chk_http_parser *p);
/* True once the status line and headers of the final response are read. */
bool chk_http_parse_head_done(const struct chk_http_parser *p);

/* "status line", "truncated", ...; "?" when out of range. */
const char *chk_hp_err_name(enum chk_hp_err e);
const char *chk_hp_state_name(enum chk_hp_state s);

#endif
