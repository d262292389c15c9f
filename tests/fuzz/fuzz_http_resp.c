// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the HTTP response parser. The first input byte is
 * the size of the pieces the rest is fed in (0: all at once), as reads
 * would cut it. Checks: never more consumed than fed, the body bytes seen
 * are the ones counted, an error sticks, a complete response is final.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check/chk_http_parse.h"

static void count_body(const uint8_t *d, size_t n, void *ud)
{
	if (n == 0 || !d)
		abort();
	*(uint64_t *)ud += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chk_http_parser p;
	uint64_t seen = 0;
	size_t off = 1, step;
	int r = 0;

	if (size < 1)
		return 0;
	step = data[0] ? data[0] : size;
	chk_http_parse_init(&p);
	while (off < size && !chk_http_parse_done(&p)) {
		size_t n = size - off < step ? size - off : step;

		r = chk_http_parse_feed(&p, data + off, n, count_body, &seen);
		if (r < 0)
			break;
		if ((size_t)r > n || ((size_t)r < n && !chk_http_parse_done(&p)))
			abort();
		off += n;
	}
	if (r < 0) {
		if (p.state != CHK_HP_ST_ERROR ||
		    chk_http_parse_feed(&p, data, 1, NULL, NULL) != r ||
		    chk_http_parse_eof(&p) != r)
			abort();
	} else if (chk_http_parse_eof(&p) == 0) {
		if (!chk_http_parse_done(&p) || p.status < 200 || p.status > 999)
			abort();
	}
	if (seen != p.body_len)
		abort();
	return 0;
}
