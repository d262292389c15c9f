// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounds-checked big-endian reader/writer and the Internet checksum.
 */
#include <string.h>

#include "lib/buf.h"

void buf_rd_init(struct buf_rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = p ? len : 0;
	r->off = 0;
	r->err = false;
}

size_t buf_rd_left(const struct buf_rd *r)
{
	return r->len - r->off;
}

/* True when n more bytes can be read; sets the error flag otherwise. */
static bool rd_need(struct buf_rd *r, size_t n)
{
	if (n > r->len - r->off) {
		r->err = true;
		return false;
	}
	return true;
}

uint8_t buf_get_u8(struct buf_rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return r->p[r->off++];
}

uint16_t buf_get_be16(struct buf_rd *r)
{
	const uint8_t *q;

	if (!rd_need(r, 2))
		return 0;
	q = r->p + r->off;
	r->off += 2;
	return (uint16_t)(q[0] << 8 | q[1]);
}

uint32_t buf_get_be32(struct buf_rd *r)
{
	const uint8_t *q;

	if (!rd_need(r, 4))
		return 0;
	q = r->p + r->off;
	r->off += 4;
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
}

void buf_get_bytes(struct buf_rd *r, void *dst, size_t n)
{
	if (!rd_need(r, n)) {
		if (n)
			memset(dst, 0, n);
		return;
	}
	if (n)
		memcpy(dst, r->p + r->off, n);
	r->off += n;
}

const uint8_t *buf_get_ptr(struct buf_rd *r, size_t n)
{
	const uint8_t *q;

	if (!rd_need(r, n))
		return NULL;
	q = r->p + r->off;
	r->off += n;
	return q;
}

void buf_skip(struct buf_rd *r, size_t n)
{
	if (rd_need(r, n))
		r->off += n;
}

void buf_wr_init(struct buf_wr *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = p ? cap : 0;
	w->off = 0;
	w->err = false;
}

/* Returns where n bytes go, or NULL (error flag set) when they do not fit. */
static uint8_t *wr_reserve(struct buf_wr *w, size_t n)
{
	uint8_t *q;

	if (n > w->cap - w->off) {
		w->err = true;
		return NULL;
	}
	q = w->p + w->off;
	w->off += n;
	return q;
}

void buf_put_u8(struct buf_wr *w, uint8_t v)
{
	uint8_t *q = wr_reserve(w, 1);

	if (q)
		q[0] = v;
}

void buf_put_be16(struct buf_wr *w, uint16_t v)
{
	uint8_t *q = wr_reserve(w, 2);

	if (q) {
		q[0] = (uint8_t)(v >> 8);
		q[1] = (uint8_t)v;
	}
}

void buf_put_be32(struct buf_wr *w, uint32_t v)
{
	uint8_t *q = wr_reserve(w, 4);

	if (q) {
		q[0] = (uint8_t)(v >> 24);
		q[1] = (uint8_t)(v >> 16);
		q[2] = (uint8_t)(v >> 8);
		q[3] = (uint8_t)v;
	}
}

void buf_put_bytes(struct buf_wr *w, const void *src, size_t n)
{
	uint8_t *q = wr_reserve(w, n);

	if (q && n)
		memcpy(q, src, n);
}

void buf_put_zero(struct buf_wr *w, size_t n)
{
	uint8_t *q = wr_reserve(w, n);

	if (q && n)
		memset(q, 0, n);
}

void buf_set_be16(struct buf_wr *w, size_t off, uint16_t v)
{
	if (w->off < 2 || off > w->off - 2) {
		w->err = true;
		return;
	}
	w->p[off] = (uint8_t)(v >> 8);
	w->p[off + 1] = (uint8_t)v;
}

/*
 * RFC 1071: the sum of 16-bit big-endian words, an odd last byte padded
 * with zero. Big-endian 32-bit words are added into 64 bits (RFC 1071
 * §2(B): 2^16 = 1 in one's complement arithmetic mod 0xffff, so a 32-bit
 * word counts as its two halves), then folded back to 32 bits with
 * end-around carries, which keeps the value mod 0xffff.
 */
uint32_t buf_csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *q = p;
	uint64_t acc = sum;
	size_t i = 0;

	for (; i + 4 <= len; i += 4)
		acc += (uint32_t)q[i] << 24 | (uint32_t)q[i + 1] << 16 |
		       (uint32_t)q[i + 2] << 8 | q[i + 3];
	if (i + 2 <= len) {
		acc += (uint32_t)q[i] << 8 | q[i + 1];
		i += 2;
	}
	if (i < len)
		acc += (uint32_t)q[i] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t buf_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}
