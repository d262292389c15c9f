/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounds-checked big-endian (network order) reader and writer over a
 * caller's byte buffer, and the Internet checksum (RFC 1071). Pure: libc
 * only, no allocation.
 *
 * Both cursors have a sticky error flag: an access past the end reads 0
 * (writes nothing), sets the flag and leaves the offset alone, so a codec
 * may do a run of accesses and test the flag once at the end.
 */
#ifndef ALIVED_BUF_H
#define ALIVED_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf_rd {
	const uint8_t *p;	/* borrowed */
	size_t len;
	size_t off;
	bool err;		/* an access went past len */
};

struct buf_wr {
	uint8_t *p;		/* borrowed */
	size_t cap;
	size_t off;		/* bytes written so far */
	bool err;		/* a write did not fit */
};

void buf_rd_init(struct buf_rd *r, const void *p, size_t len);
/* Bytes left to read. */
size_t buf_rd_left(const struct buf_rd *r);
uint8_t buf_get_u8(struct buf_rd *r);
uint16_t buf_get_be16(struct buf_rd *r);
uint32_t buf_get_be32(struct buf_rd *r);
/* Copies n bytes into dst; on overrun dst is zeroed and nothing consumed. */
void buf_get_bytes(struct buf_rd *r, void *dst, size_t n);
/* Returns a pointer to the next n bytes and consumes them, or NULL. */
const uint8_t *buf_get_ptr(struct buf_rd *r, size_t n);
void buf_skip(struct buf_rd *r, size_t n);

void buf_wr_init(struct buf_wr *w, void *p, size_t cap);
void buf_put_u8(struct buf_wr *w, uint8_t v);
void buf_put_be16(struct buf_wr *w, uint16_t v);
void buf_put_be32(struct buf_wr *w, uint32_t v);
void buf_put_bytes(struct buf_wr *w, const void *src, size_t n);
void buf_put_zero(struct buf_wr *w, size_t n);
/* Overwrites 2 bytes at off (< w->off - 1), e.g. a checksum field. */
void buf_set_be16(struct buf_wr *w, size_t off, uint16_t v);

/*
 * Internet checksum (RFC 1071). Accumulate with buf_csum_add() (any
 * number of calls; each block but the last must have an even length),
 * then buf_csum_fold() gives the 16-bit one's complement of the sum in
 * host order, ready for buf_put_be16(). Verifying a block that includes
 * its checksum field gives 0.
 */
uint32_t buf_csum_add(uint32_t sum, const void *p, size_t len);
uint16_t buf_csum_fold(uint32_t sum);

#endif
