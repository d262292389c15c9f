/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the VRRP codec. The first input byte picks the
 * receive context, the rest is the VRRP message:
 *   bits 0-1  shape: v2/IPv4, v3/IPv4, v3/IPv6, v2/IPv6
 *   bits 2-3  expected v2 auth type (3: one no packet can carry)
 *   bit 4     rewrite the checksum first (to get past it)
 *   bit 5     check the address list against a fixed one
 *   bit 6     TTL unknown (-1) instead of 255
 *   bit 7     expect VRID 1 and, for v2, a 1 s interval
 * A message that decodes must encode, decode again to the same fields and,
 * but for the checksum and v3's reserved bits, be the bytes it came from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/buf.h"
#include "vrrp/vrrp_pkt.h"

static const struct { int family; uint8_t version; } shapes[4] = {
	{ AF_INET, 2 }, { AF_INET, 3 }, { AF_INET6, 3 }, { AF_INET6, 2 },
};

static void fix_csum(uint8_t *m, size_t len, const struct vrrp_pkt_ctx *c)
{
	uint8_t ph[40];
	struct buf_wr w;
	uint32_t s = 0;

	m[6] = m[7] = 0;
	buf_wr_init(&w, ph, sizeof(ph));
	if (c->family == AF_INET && c->version == 3) {
		buf_put_bytes(&w, &c->src.v4, 4);
		buf_put_bytes(&w, &c->dst.v4, 4);
		buf_put_be16(&w, VRRP_PKT_IPPROTO);
		buf_put_be16(&w, (uint16_t)len);
	} else if (c->family == AF_INET6) {
		buf_put_bytes(&w, &c->src.v6, 16);
		buf_put_bytes(&w, &c->dst.v6, 16);
		buf_put_be32(&w, (uint32_t)len);
		buf_put_be32(&w, VRRP_PKT_IPPROTO);
	}
	s = buf_csum_add(buf_csum_add(0, ph, w.off), m, len);
	s = buf_csum_fold(s);
	m[6] = (uint8_t)(s >> 8);
	m[7] = (uint8_t)s;
}

static void same(const struct vrrp_pkt *a, const struct vrrp_pkt *b)
{
	size_t al = a->family == AF_INET ? 4 : 16;
	unsigned i;

	if (a->family != b->family || a->version != b->version || a->type != b->type ||
	    a->vrid != b->vrid || a->priority != b->priority || a->naddr != b->naddr ||
	    a->auth_type != b->auth_type || a->adver_int_cs != b->adver_int_cs ||
	    a->addrlist_mismatch != b->addrlist_mismatch ||
	    memcmp(a->auth_data, b->auth_data, sizeof(a->auth_data)))
		abort();
	for (i = 0; i < a->naddr; i++)
		if (memcmp(&a->addrs[i], &b->addrs[i], al))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t m[65536], out[VRRP_PKT_MAX_LEN];
	static struct vrrp_pkt p, q;
	static union vrrp_pkt_ipaddr list[2];
	struct vrrp_pkt_ctx c;
	size_t len, olen, i;
	uint8_t mode;

	if (size < 1 || size > sizeof(m))
		return 0;
	mode = data[0];
	len = size - 1;
	memcpy(m, data + 1, len);
	memset(&c, 0, sizeof(c));
	c.family = shapes[mode & 3].family;
	c.version = shapes[mode & 3].version;
	memset(&c.src, 0x11, sizeof(c.src));
	memset(&c.dst, 0x22, sizeof(c.dst));
	c.auth_type = (mode >> 2) & 3;
	memcpy(c.auth_pass, "secret", 6);
	memset(list, 0x0a, sizeof(list));
	list[1].v6.s6_addr[3] = 2;
	if (mode & 0x20) {
		c.addrs = list;
		c.naddrs = 2;
	}
	c.ttl_or_hoplimit = mode & 0x40 ? -1 : 255;
	if (mode & 0x80) {
		c.vrid = 1;
		c.adver_int_cs = 100;
	}
	if ((mode & 0x10) && len >= VRRP_PKT_HDR_LEN)
		fix_csum(m, len, &c);

	if (vrrp_pkt_decode(m, len, &c, &p, NULL, 0) != 0)
		return 0;
	if (vrrp_pkt_encode(&p, &c, out, sizeof(out), &olen) != 0 || olen > len)
		abort();
	if (vrrp_pkt_decode(out, olen, &c, &q, NULL, 0) != 0)
		abort();
	same(&p, &q);
	for (i = 0; i < olen; i++) {
		uint8_t diff = out[i] ^ m[i];

		if (i == 4 && p.version == 3)
			diff &= 0x0f;		/* reserved bits are not kept */
		if (diff && i != 6 && i != 7)
			abort();
	}
	return 0;
}
