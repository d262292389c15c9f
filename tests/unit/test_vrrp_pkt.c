/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the VRRP codec (src/vrrp/vrrp_pkt.c) and the byte
 * reader/writer it is built on (src/lib/buf.c).
 *
 * Golden bytes come from two independent sources: messages written out
 * by hand below (checksums summed by hand in the comments, and again by
 * ref_csum(), a separate implementation), and messages sent by Debian's
 * keepalived 2.2.7, captured with dumpcap in a network namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "lib/buf.h"
#include "vrrp/vrrp_pkt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIG		(VRRP_PKT_MAX_LEN + 64)

/* ------------------------------------------------------------------ */
/* helpers */

static union vrrp_pkt_ipaddr ip(const char *s)
{
	union vrrp_pkt_ipaddr a;

	memset(&a, 0, sizeof(a));
	assert_int_equal(inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, &a), 1);
	return a;
}

static size_t alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* A receive context expecting nothing in particular. */
static struct vrrp_pkt_ctx mkctx(int family, unsigned version, const char *src, const char *dst)
{
	struct vrrp_pkt_ctx c;

	memset(&c, 0, sizeof(c));
	c.family = family;
	c.version = (uint8_t)version;
	c.src = ip(src);
	c.dst = ip(dst);
	c.ttl_or_hoplimit = 255;
	return c;
}

static struct vrrp_pkt_ctx ctx4(unsigned version)
{
	return mkctx(AF_INET, version, "192.0.2.10", "224.0.0.18");
}

static struct vrrp_pkt_ctx ctx6(unsigned version)
{
	return mkctx(AF_INET6, version, "fe80::1", "ff02::12");
}

static void mkpkt(struct vrrp_pkt *p, int family, unsigned version, unsigned vrid,
		  unsigned prio, unsigned adver_cs, const char *const *addrs, unsigned n)
{
	unsigned i;

	memset(p, 0, sizeof(*p));
	p->family = family;
	p->version = (uint8_t)version;
	p->type = VRRP_PKT_TYPE_ADVERT;
	p->vrid = (uint8_t)vrid;
	p->priority = (uint8_t)prio;
	p->adver_int_cs = (uint16_t)adver_cs;
	p->naddr = (uint8_t)n;
	for (i = 0; i < n; i++)
		p->addrs[i] = ip(addrs[i]);
}

/* Internet checksum, written independently of buf_csum_*(): pseudo-header
 * and message are concatenated and summed byte pair by byte pair. */
static uint16_t ref_csum(const struct vrrp_pkt_ctx *c, bool pseudo, const uint8_t *m, size_t len)
{
	static uint8_t all[40 + 70000];
	size_t n = 0, i;
	unsigned long s = 0;

	if (pseudo && c->family == AF_INET) {
		memcpy(all, &c->src.v4, 4);
		memcpy(all + 4, &c->dst.v4, 4);
		all[8] = 0;
		all[9] = 112;
		all[10] = (uint8_t)(len >> 8);
		all[11] = (uint8_t)len;
		n = 12;
	} else if (pseudo) {
		memcpy(all, &c->src.v6, 16);
		memcpy(all + 16, &c->dst.v6, 16);
		all[32] = (uint8_t)(len >> 24);
		all[33] = (uint8_t)(len >> 16);
		all[34] = (uint8_t)(len >> 8);
		all[35] = (uint8_t)len;
		all[36] = all[37] = all[38] = 0;
		all[39] = 112;
		n = 40;
	}
	memcpy(all + n, m, len);
	n += len;
	all[n] = 0;
	for (i = 0; i < n; i += 2)
		s += (unsigned long)all[i] * 256 + all[i + 1];
	while (s > 0xffff)
		s = (s % 65536) + (s / 65536);
	return (uint16_t)(0xffff - s);
}

static bool has_pseudo(unsigned version, int family)
{
	return !(version == 2 && family == AF_INET);
}

/* Rewrites the checksum of m after a test changed its bytes. */
static void fix_csum(uint8_t *m, size_t len, const struct vrrp_pkt_ctx *c, unsigned version)
{
	uint16_t s;

	m[6] = m[7] = 0;
	s = ref_csum(c, has_pseudo(version, c->family), m, len);
	m[6] = (uint8_t)(s >> 8);
	m[7] = (uint8_t)s;
}

static void assert_pkt_equal(const struct vrrp_pkt *a, const struct vrrp_pkt *b)
{
	unsigned i;

	assert_int_equal(a->family, b->family);
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->vrid, b->vrid);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->naddr, b->naddr);
	assert_int_equal(a->adver_int_cs, b->adver_int_cs);
	if (a->version == 2)
		assert_int_equal(a->auth_type, b->auth_type);
	if (a->version == 2 && a->family == AF_INET)
		assert_memory_equal(a->auth_data, b->auth_data, VRRP_PKT_AUTH_LEN);
	for (i = 0; i < a->naddr; i++)
		assert_memory_equal(&a->addrs[i], &b->addrs[i], alen(a->family));
}

static void decode_ok(const uint8_t *m, size_t len, const struct vrrp_pkt_ctx *c,
		      struct vrrp_pkt *p)
{
	char eb[160] = "";
	int r = vrrp_pkt_decode(m, len, c, p, eb, sizeof(eb));

	if (r != 0)
		print_error("decode: %s: %s\n", vrrp_pkt_err_str(r), eb);
	assert_int_equal(r, 0);
}

/* Decoding fails with e, leaves the output alone and explains itself. */
static void expect_err(const uint8_t *m, size_t len, const struct vrrp_pkt_ctx *c,
		       enum vrrp_pkt_err e)
{
	static struct vrrp_pkt p, orig;
	char eb[160];
	int r;

	memset(&p, 0xa5, sizeof(p));
	orig = p;
	memset(eb, 0, sizeof(eb));
	r = vrrp_pkt_decode(m, len, c, &p, eb, sizeof(eb));
	if (r != -(int)e)
		print_error("got %d (%s: %s), want %s\n", r, vrrp_pkt_err_str(r), eb,
			    vrrp_pkt_err_str(e));
	assert_int_equal(r, -(int)e);
	assert_memory_equal(&p, &orig, sizeof(p));
	assert_true(eb[0] != '\0');
	/* the same without an error buffer */
	assert_int_equal(vrrp_pkt_decode(m, len, c, &p, NULL, 0), -(int)e);
}

static size_t encode_ok(const struct vrrp_pkt *p, const struct vrrp_pkt_ctx *c, uint8_t *m)
{
	size_t len = 0;

	assert_int_equal(vrrp_pkt_encode(p, c, m, BIG, &len), 0);
	assert_int_equal(len, vrrp_pkt_len(p->version, p->family, p->naddr));
	return len;
}

/* ------------------------------------------------------------------ */
/* golden bytes written by hand */

static const char *const A1[] = { "192.0.2.1" };
static const char *const A2[] = { "192.0.2.1", "192.0.2.2" };
static const char *const A6[] = { "2001:db8::1" };

/* Encodes p, compares with want (and its checksum with ref_csum), decodes
 * want back into p. */
static void golden(const struct vrrp_pkt *p, const struct vrrp_pkt_ctx *c, const uint8_t *want,
		   size_t wlen)
{
	static uint8_t m[BIG];
	struct vrrp_pkt d;
	size_t len = encode_ok(p, c, m);

	assert_int_equal(len, wlen);
	assert_memory_equal(m, want, wlen);
	m[6] = m[7] = 0;
	assert_int_equal(ref_csum(c, has_pseudo(p->version, p->family), m, len),
			 want[6] << 8 | want[7]);
	decode_ok(want, wlen, c, &d);
	assert_pkt_equal(&d, p);
	assert_int_equal(d.checksum, want[6] << 8 | want[7]);
	assert_false(d.addrlist_mismatch);
}

static void test_golden_v2_ipv4_noauth(void **state)
{
	/* 2101 + 6401 + 0001 + c000 + 0201 = 0x14704 -> 0x4705 -> ~ = 0xb8fa */
	static const uint8_t want[] = {
		0x21, 0x01, 0x64, 0x01,		/* v2 advert, VRID 1, prio 100, 1 addr */
		0x00, 0x01, 0xb8, 0xfa,		/* auth none, 1 s, checksum */
		192, 0, 2, 1,
		0, 0, 0, 0, 0, 0, 0, 0,		/* authentication data */
	};
	struct vrrp_pkt p;
	struct vrrp_pkt_ctx c = ctx4(2);

	(void)state;
	mkpkt(&p, AF_INET, 2, 1, 100, 100, A1, 1);
	golden(&p, &c, want, sizeof(want));
}

static void test_golden_v2_ipv4_pass(void **state)
{
	/* 2102 + c802 + 0103 + c000 + 0201 + c000 + 0202 + 7077 = 0x2de81
	 * -> 0xde83 -> ~ = 0x217c */
	static const uint8_t want[] = {
		0x21, 0x02, 0xc8, 0x02,		/* VRID 2, prio 200, 2 addrs */
		0x01, 0x03, 0x21, 0x7c,		/* auth PASS, 3 s */
		192, 0, 2, 1, 192, 0, 2, 2,
		'p', 'w', 0, 0, 0, 0, 0, 0,
	};
	struct vrrp_pkt p;
	struct vrrp_pkt_ctx c = ctx4(2);

	(void)state;
	mkpkt(&p, AF_INET, 2, 2, 200, 300, A2, 2);
	p.auth_type = VRRP_PKT_AUTH_PASS;
	memcpy(p.auth_data, "pw", 2);
	c.auth_type = VRRP_PKT_AUTH_PASS;
	memcpy(c.auth_pass, "pw", 2);
	c.adver_int_cs = 300;
	golden(&p, &c, want, sizeof(want));
}

static void test_golden_v3_ipv4(void **state)
{
	/* pseudo: c000 + 020a + e000 + 0012 + 0070 + 000c, then
	 * 3103 + 6401 + 0064 + c000 + 0201 = 0x2fa01 -> 0xfa03 -> ~ = 0x05fc */
	static const uint8_t want[] = {
		0x31, 0x03, 0x64, 0x01,		/* v3, VRID 3, prio 100, 1 addr */
		0x00, 0x64, 0x05, 0xfc,		/* 100 cs */
		192, 0, 2, 1,
	};
	struct vrrp_pkt p;
	struct vrrp_pkt_ctx c = ctx4(3);

	(void)state;
	mkpkt(&p, AF_INET, 3, 3, 100, 100, A1, 1);
	golden(&p, &c, want, sizeof(want));
}

static void test_golden_v3_ipv6(void **state)
{
	/* pseudo: fe80 + 0001 + ff02 + 0012 + 0018 + 0070, then 3104 + 6401 +
	 * 0064 + 2001 + 0db8 + 0001 = 0x2c140 -> 0xc142 -> ~ = 0x3ebd */
	static const uint8_t want[] = {
		0x31, 0x04, 0x64, 0x01, 0x00, 0x64, 0x3e, 0xbd,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	};
	struct vrrp_pkt p;
	struct vrrp_pkt_ctx c = ctx6(3);

	(void)state;
	mkpkt(&p, AF_INET6, 3, 4, 100, 100, A6, 1);
	golden(&p, &c, want, sizeof(want));
}

static void test_golden_v2_ipv6(void **state)
{
	/* keepalived's v2 over IPv6: v2 header, no auth data, pseudo-header.
	 * fe80 + 0001 + ff02 + 0012 + 0018 + 0070, 2105 + 6401 + 0001 + 2001 +
	 * 0db8 + 0001 = 0x2b0de -> 0xb0e0 -> ~ = 0x4f1f */
	static const uint8_t want[] = {
		0x21, 0x05, 0x64, 0x01, 0x00, 0x01, 0x4f, 0x1f,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	};
	struct vrrp_pkt p;
	struct vrrp_pkt_ctx c = ctx6(2);

	(void)state;
	mkpkt(&p, AF_INET6, 2, 5, 100, 100, A6, 1);
	golden(&p, &c, want, sizeof(want));
}

/* ------------------------------------------------------------------ */
/* captured from keepalived 2.2.7 (Debian 12): one master in a network
 * namespace, veth va 10.99.0.1/24, fe80::b004:dbff:fe22:fb23; the VRRP
 * payload of each frame as dumpcap saw it */

struct capture {
	const char *name;
	int family;
	unsigned version, vrid, prio, adver_cs, auth_type;
	const char *pass;
	const char *addrs[3];
	unsigned naddr;
	const uint8_t *bytes;
	size_t len;
};

#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

static const struct capture captures[] = {
	{ "v2 ipv4 no auth, 2 VIPs, advert_int 1", AF_INET, 2, 51, 100, 100, 0, NULL,
	  { "10.99.0.51", "10.99.0.52" }, 2,
	  BYTES(0x21, 0x33, 0x64, 0x02, 0x00, 0x01, 0x65, 0x9c, 0x0a, 0x63, 0x00, 0x33,
		0x0a, 0x63, 0x00, 0x34, 0, 0, 0, 0, 0, 0, 0, 0) },
	{ "v2 ipv4 priority 0 on shutdown", AF_INET, 2, 51, 0, 100, 0, NULL,
	  { "10.99.0.51", "10.99.0.52" }, 2,
	  BYTES(0x21, 0x33, 0x00, 0x02, 0x00, 0x01, 0xc9, 0x9c, 0x0a, 0x63, 0x00, 0x33,
		0x0a, 0x63, 0x00, 0x34, 0, 0, 0, 0, 0, 0, 0, 0) },
	{ "v2 ipv4 PASS secret, advert_int 2", AF_INET, 2, 52, 150, 200, 1, "secret",
	  { "10.99.0.53" }, 1,
	  BYTES(0x21, 0x34, 0x96, 0x01, 0x01, 0x02, 0x00, 0xe4, 0x0a, 0x63, 0x00, 0x35,
		's', 'e', 'c', 'r', 'e', 't', 0, 0) },
	{ "v2 ipv4 AH (payload after the AH header)", AF_INET, 2, 60, 100, 100, 2, NULL,
	  { "10.99.0.60" }, 1,
	  BYTES(0x21, 0x3c, 0x64, 0x01, 0x02, 0x01, 0x6e, 0x22, 0x0a, 0x63, 0x00, 0x3c,
		0, 0, 0, 0, 0, 0, 0, 0) },
	{ "v3 ipv4, 3 VIPs, advert_int 0.5", AF_INET, 3, 53, 200, 50, 0, NULL,
	  { "10.99.0.54", "10.99.0.55", "10.99.0.56" }, 3,
	  BYTES(0x31, 0x35, 0xc8, 0x03, 0x00, 0x32, 0xfb, 0xcb, 0x0a, 0x63, 0x00, 0x36,
		0x0a, 0x63, 0x00, 0x37, 0x0a, 0x63, 0x00, 0x38) },
	{ "v3 ipv4 priority 0", AF_INET, 3, 53, 0, 50, 0, NULL,
	  { "10.99.0.54", "10.99.0.55", "10.99.0.56" }, 3,
	  BYTES(0x31, 0x35, 0x00, 0x03, 0x00, 0x32, 0xc3, 0xcc, 0x0a, 0x63, 0x00, 0x36,
		0x0a, 0x63, 0x00, 0x37, 0x0a, 0x63, 0x00, 0x38) },
	{ "v3 ipv6, 2 VIPs", AF_INET6, 3, 54, 120, 100, 0, NULL,
	  { "fd00:99::54", "fd00:99::55" }, 2,
	  BYTES(0x31, 0x36, 0x78, 0x02, 0x00, 0x64, 0xd7, 0x0c,
		0xfd, 0x00, 0x00, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x54,
		0xfd, 0x00, 0x00, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x55) },
	{ "v2 ipv6 (keepalived only)", AF_INET6, 2, 60, 100, 100, 0, NULL,
	  { "fd00:99::60" }, 1,
	  BYTES(0x21, 0x3c, 0x64, 0x01, 0x00, 0x01, 0xf9, 0x5d,
		0xfd, 0x00, 0x00, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x60) },
	{ "v2 ipv6 PASS: type sent, password not", AF_INET6, 2, 60, 100, 100, 1, NULL,
	  { "fd00:99::60" }, 1,
	  BYTES(0x21, 0x3c, 0x64, 0x01, 0x01, 0x01, 0xf8, 0x5d,
		0xfd, 0x00, 0x00, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x60) },
};

static void test_keepalived_captures(void **state)
{
	static uint8_t m[BIG];
	const struct capture *k;
	union vrrp_pkt_ipaddr want[3];
	struct vrrp_pkt_ctx c;
	struct vrrp_pkt p, e;
	unsigned i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(captures); i++) {
		k = &captures[i];
		print_message("capture: %s\n", k->name);
		c = k->family == AF_INET ? mkctx(AF_INET, k->version, "10.99.0.1", "224.0.0.18")
			: mkctx(AF_INET6, k->version, "fe80::b004:dbff:fe22:fb23", "ff02::12");
		/* the receiving instance's whole configuration */
		c.vrid = (uint8_t)k->vrid;
		c.auth_type = (uint8_t)k->auth_type;
		if (k->pass)
			memcpy(c.auth_pass, k->pass, strlen(k->pass));
		if (k->version == 2)
			c.adver_int_cs = (uint16_t)k->adver_cs;
		for (j = 0; j < k->naddr; j++)
			want[j] = ip(k->addrs[j]);
		c.addrs = want;
		c.naddrs = k->naddr;

		decode_ok(k->bytes, k->len, &c, &p);
		mkpkt(&e, k->family, k->version, k->vrid, k->prio, k->adver_cs, k->addrs,
		      k->naddr);
		e.auth_type = (uint8_t)(k->version == 2 ? k->auth_type : 0);
		if (k->pass && k->family == AF_INET)
			memcpy(e.auth_data, k->pass, strlen(k->pass));
		assert_pkt_equal(&p, &e);
		assert_false(p.addrlist_mismatch);
		assert_int_equal(p.checksum, k->bytes[6] << 8 | k->bytes[7]);
		assert_int_equal(k->len, vrrp_pkt_len(k->version, k->family, k->naddr));
		/* alived writes the very same bytes */
		assert_int_equal(encode_ok(&p, &c, m), k->len);
		assert_memory_equal(m, k->bytes, k->len);
	}
}

/* ------------------------------------------------------------------ */
/* round trips and boundaries */

static uint32_t rng_state = 0x12345678;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static const struct {
	int family;
	unsigned version;
} shapes[] = {
	{ AF_INET, 2 }, { AF_INET, 3 }, { AF_INET6, 3 }, { AF_INET6, 2 },
};

static void random_pkt(struct vrrp_pkt *p, int family, unsigned version, unsigned naddr)
{
	unsigned i, j;

	memset(p, 0, sizeof(*p));
	p->family = family;
	p->version = (uint8_t)version;
	p->type = VRRP_PKT_TYPE_ADVERT;
	p->vrid = (uint8_t)(1 + rnd() % 255);
	p->priority = (uint8_t)rnd();
	p->naddr = (uint8_t)naddr;
	if (version == 2) {
		p->auth_type = (uint8_t)(rnd() % VRRP_PKT_AUTH__COUNT);
		p->adver_int_cs = (uint16_t)(rnd() % 256 * 100);
		if (family == AF_INET)
			for (j = 0; j < VRRP_PKT_AUTH_LEN; j++)
				p->auth_data[j] = (uint8_t)rnd();
	} else {
		p->adver_int_cs = (uint16_t)(rnd() % 4096);
	}
	for (i = 0; i < naddr; i++)
		for (j = 0; j < alen(family); j++)
			((uint8_t *)&p->addrs[i])[j] = (uint8_t)rnd();
}

static struct vrrp_pkt_ctx shape_ctx(unsigned s)
{
	return shapes[s].family == AF_INET ? ctx4(shapes[s].version) : ctx6(shapes[s].version);
}

static void test_round_trip(void **state)
{
	static uint8_t m[BIG], m2[BIG];
	static struct vrrp_pkt p, d, d2;
	static union vrrp_pkt_ipaddr shuf[VRRP_PKT_MAX_ADDRS];
	struct vrrp_pkt_ctx c;
	unsigned it, s, n, i, j;
	size_t len, len2;

	(void)state;
	for (it = 0; it < 2000; it++) {
		s = it % ARRAY_SIZE(shapes);
		n = it < 8 ? (it & 4 ? 255 : 0) : rnd() % 256;
		c = shape_ctx(s);
		random_pkt(&p, shapes[s].family, shapes[s].version, n);
		len = encode_ok(&p, &c, m);
		/* the configured list in another order still matches */
		memcpy(shuf, p.addrs, n * sizeof(shuf[0]));
		for (i = n; i > 1; i--) {
			union vrrp_pkt_ipaddr t = shuf[i - 1];

			j = rnd() % i;
			shuf[i - 1] = shuf[j];
			shuf[j] = t;
		}
		c.vrid = p.vrid;
		c.auth_type = p.auth_type;
		memcpy(c.auth_pass, p.auth_data, VRRP_PKT_AUTH_LEN);
		c.adver_int_cs = p.version == 2 && p.adver_int_cs ? p.adver_int_cs : 0;
		c.addrs = shuf;
		c.naddrs = n;
		decode_ok(m, len, &c, &d);
		assert_pkt_equal(&d, &p);
		assert_false(d.addrlist_mismatch);
		len2 = encode_ok(&d, &c, m2);
		assert_int_equal(len2, len);
		assert_memory_equal(m2, m, len);
		decode_ok(m2, len2, &c, &d2);
		assert_pkt_equal(&d2, &d);
	}
}

static void test_boundary_lengths(void **state)
{
	static uint8_t m[BIG], t[BIG];
	static struct vrrp_pkt p, d;
	static const unsigned counts[] = { 0, 1, 2, 254, 255 };
	struct vrrp_pkt_ctx c;
	unsigned s, k;
	size_t len, need, l;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(shapes); s++) {
		for (k = 0; k < ARRAY_SIZE(counts); k++) {
			c = shape_ctx(s);
			random_pkt(&p, shapes[s].family, shapes[s].version, counts[k]);
			c.auth_type = p.auth_type;
			memcpy(c.auth_pass, p.auth_data, VRRP_PKT_AUTH_LEN);
			len = encode_ok(&p, &c, m);
			need = 8 + counts[k] * alen(p.family) +
			       (p.version == 2 && p.family == AF_INET ? 8 : 0);
			assert_int_equal(len, need);
			decode_ok(m, len, &c, &d);
			assert_int_equal(d.naddr, counts[k]);
			/* every shorter length is a length error */
			for (l = 0; l < len; l++)
				expect_err(m, l, &c, VRRP_PKT_E_LENGTH);
			/* trailing bytes: accepted when the checksum covers them */
			memcpy(t, m, len);
			memset(t + len, 0x5a, 5);
			expect_err(t, len + 5, &c, VRRP_PKT_E_CHECKSUM);
			fix_csum(t, len + 5, &c, p.version);
			decode_ok(t, len + 5, &c, &d);
			assert_pkt_equal(&d, &p);
		}
	}
	/* the largest message fits VRRP_PKT_MAX_LEN */
	assert_int_equal(vrrp_pkt_len(3, AF_INET6, 255), VRRP_PKT_MAX_LEN);
	assert_int_equal(vrrp_pkt_len(2, AF_INET6, 255), VRRP_PKT_MAX_LEN);
	assert_true(vrrp_pkt_len(2, AF_INET, 255) < VRRP_PKT_MAX_LEN);
	assert_int_equal(vrrp_pkt_len(2, AF_INET, 256), 0);
	assert_int_equal(vrrp_pkt_len(4, AF_INET, 1), 0);
	assert_int_equal(vrrp_pkt_len(3, AF_UNIX, 1), 0);
	/* NULL buffer; more than an IP payload can hold */
	c = ctx4(3);
	expect_err(NULL, 20, &c, VRRP_PKT_E_LENGTH);
	expect_err(m, 65536, &c, VRRP_PKT_E_LENGTH);
}

/* ------------------------------------------------------------------ */
/* each error */

/* A valid v2/IPv4 PASS message and the context that accepts it. */
static size_t v2_sample(uint8_t *m, struct vrrp_pkt_ctx *c)
{
	struct vrrp_pkt p;

	*c = ctx4(2);
	mkpkt(&p, AF_INET, 2, 7, 100, 100, A2, 2);
	p.auth_type = VRRP_PKT_AUTH_PASS;
	memcpy(p.auth_data, "12345678", 8);
	c->vrid = 7;
	c->auth_type = VRRP_PKT_AUTH_PASS;
	memcpy(c->auth_pass, "12345678", 8);
	c->adver_int_cs = 100;
	return encode_ok(&p, c, m);
}

static size_t v3_sample(uint8_t *m, struct vrrp_pkt_ctx *c, int family)
{
	static const char *const a4[] = { "192.0.2.1", "192.0.2.2" };
	static const char *const a6[] = { "2001:db8::1", "2001:db8::2" };
	struct vrrp_pkt p;

	*c = family == AF_INET ? ctx4(3) : ctx6(3);
	mkpkt(&p, family, 3, 9, 100, 100, family == AF_INET ? a4 : a6, 2);
	c->vrid = 9;
	return encode_ok(&p, c, m);
}

static void test_err_ttl(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c;
	struct vrrp_pkt p;
	size_t len = v2_sample(m, &c);
	int f;

	(void)state;
	c.ttl_or_hoplimit = 64;
	expect_err(m, len, &c, VRRP_PKT_E_TTL);
	c.ttl_or_hoplimit = 254;
	expect_err(m, len, &c, VRRP_PKT_E_TTL);
	c.ttl_or_hoplimit = -1;		/* unknown: not checked */
	decode_ok(m, len, &c, &p);
	for (f = 0; f < 2; f++) {
		len = v3_sample(m, &c, f ? AF_INET6 : AF_INET);
		c.ttl_or_hoplimit = 1;
		expect_err(m, len, &c, VRRP_PKT_E_TTL);
		/* TTL comes first, even before the length */
		expect_err(m, 3, &c, VRRP_PKT_E_TTL);
	}
}

static void test_err_version(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c;
	struct vrrp_pkt p;
	size_t len = v2_sample(m, &c);
	unsigned v;

	(void)state;
	c.version = 3;
	expect_err(m, len, &c, VRRP_PKT_E_VERSION);
	len = v3_sample(m, &c, AF_INET);
	c.version = 2;
	expect_err(m, len, &c, VRRP_PKT_E_VERSION);
	c.version = 3;
	for (v = 0; v < 16; v++) {
		if (v == 3)
			continue;
		m[0] = (uint8_t)(v << 4 | 1);
		fix_csum(m, len, &c, 3);
		expect_err(m, len, &c, VRRP_PKT_E_VERSION);
	}
	/* a context the codec does not know */
	len = v3_sample(m, &c, AF_INET);
	c.family = AF_UNIX;
	expect_err(m, len, &c, VRRP_PKT_E_VERSION);
	c.family = AF_INET;
	decode_ok(m, len, &c, &p);
}

static void test_err_type(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c;
	size_t len;
	unsigned t, f;

	(void)state;
	for (f = 0; f < 3; f++) {
		len = f == 0 ? v2_sample(m, &c) : v3_sample(m, &c, f == 1 ? AF_INET : AF_INET6);
		for (t = 0; t < 16; t++) {
			if (t == 1)
				continue;
			m[0] = (uint8_t)((m[0] & 0xf0) | t);
			fix_csum(m, len, &c, c.version);
			expect_err(m, len, &c, VRRP_PKT_E_TYPE);
		}
	}
}

static void test_err_checksum(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c, bad;
	size_t len, i;
	unsigned f, bit;

	(void)state;
	for (f = 0; f < 3; f++) {
		len = f == 0 ? v2_sample(m, &c) : v3_sample(m, &c, f == 1 ? AF_INET : AF_INET6);
		/* one flipped bit anywhere past the version/type/count bytes */
		for (i = 1; i < len; i++) {
			if (i == 3)
				continue;
			for (bit = 0; bit < 8; bit++) {
				m[i] ^= (uint8_t)(1u << bit);
				expect_err(m, len, &c, VRRP_PKT_E_CHECKSUM);
				m[i] ^= (uint8_t)(1u << bit);
			}
		}
		if (f == 0)
			continue;
		/* v3: the pseudo-header's addresses are covered */
		bad = c;
		bad.src = f == 1 ? ip("192.0.2.11") : ip("fe80::2");
		expect_err(m, len, &bad, VRRP_PKT_E_CHECKSUM);
		bad = c;
		bad.dst = f == 1 ? ip("192.0.2.1") : ip("ff02::1");
		expect_err(m, len, &bad, VRRP_PKT_E_CHECKSUM);
	}
	/* v2 over IPv4 covers no pseudo-header: other addresses do not matter */
	len = v2_sample(m, &c);
	c.src = ip("198.51.100.1");
	{
		struct vrrp_pkt p;

		decode_ok(m, len, &c, &p);
	}
}

static void test_err_vrid(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c;
	struct vrrp_pkt p;
	size_t len = v2_sample(m, &c);

	(void)state;
	c.vrid = 8;
	expect_err(m, len, &c, VRRP_PKT_E_VRID);
	c.vrid = 0;		/* any */
	decode_ok(m, len, &c, &p);
	assert_int_equal(p.vrid, 7);
	m[1] = 0;		/* VRID 0 is never valid */
	fix_csum(m, len, &c, 2);
	expect_err(m, len, &c, VRRP_PKT_E_VRID);
	len = v3_sample(m, &c, AF_INET6);
	c.vrid = 255;
	expect_err(m, len, &c, VRRP_PKT_E_VRID);
}

static void test_err_auth(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c, c0;
	struct vrrp_pkt p;
	size_t len = v2_sample(m, &c);
	unsigned t;

	(void)state;
	c0 = c;
	for (t = 3; t < 256; t++) {
		m[4] = (uint8_t)t;
		fix_csum(m, len, &c, 2);
		expect_err(m, len, &c, VRRP_PKT_E_AUTH_TYPE_INVALID);
	}
	for (t = 0; t < 3; t++) {
		m[4] = (uint8_t)t;
		fix_csum(m, len, &c, 2);
		if (t == VRRP_PKT_AUTH_PASS)
			decode_ok(m, len, &c, &p);
		else
			expect_err(m, len, &c, VRRP_PKT_E_AUTH_TYPE_MISMATCH);
	}
	m[4] = VRRP_PKT_AUTH_PASS;
	fix_csum(m, len, &c, 2);
	c.auth_type = VRRP_PKT_AUTH_NONE;
	expect_err(m, len, &c, VRRP_PKT_E_AUTH_TYPE_MISMATCH);
	c.auth_type = VRRP_PKT_AUTH_AH;
	expect_err(m, len, &c, VRRP_PKT_E_AUTH_TYPE_MISMATCH);
	/* wrong password: first byte, last byte, shorter */
	c = c0;
	c.auth_pass[0] = 'x';
	expect_err(m, len, &c, VRRP_PKT_E_AUTH_FAILURE);
	c = c0;
	c.auth_pass[7] = 0;
	expect_err(m, len, &c, VRRP_PKT_E_AUTH_FAILURE);
	/* AH: only the type is the codec's business */
	c = c0;
	m[4] = VRRP_PKT_AUTH_AH;
	fix_csum(m, len, &c, 2);
	c.auth_type = VRRP_PKT_AUTH_AH;
	memset(c.auth_pass, 0, sizeof(c.auth_pass));
	decode_ok(m, len, &c, &p);
	assert_int_equal(p.auth_type, VRRP_PKT_AUTH_AH);
	/* v3 has no authentication: ctx's auth fields are ignored */
	len = v3_sample(m, &c, AF_INET);
	c.auth_type = VRRP_PKT_AUTH_PASS;
	decode_ok(m, len, &c, &p);
	assert_int_equal(p.auth_type, 0);
}

static void test_err_addrlist(void **state)
{
	static const char *const swapped4[] = { "192.0.2.2", "192.0.2.1" };
	static const char *const other4[] = { "192.0.2.1", "192.0.2.3" };
	static const char *const dup4[] = { "192.0.2.1", "192.0.2.1" };
	union vrrp_pkt_ipaddr want[3];
	uint8_t m[64];
	struct vrrp_pkt_ctx c;
	struct vrrp_pkt p;
	size_t len = v2_sample(m, &c);

	(void)state;
	c.addrs = want;
	want[0] = ip(swapped4[0]);
	want[1] = ip(swapped4[1]);
	c.naddrs = 2;
	decode_ok(m, len, &c, &p);	/* order does not matter */
	assert_false(p.addrlist_mismatch);
	want[0] = ip(other4[0]);
	want[1] = ip(other4[1]);
	expect_err(m, len, &c, VRRP_PKT_E_ADDRLIST);
	want[0] = ip(dup4[0]);
	want[1] = ip(dup4[1]);
	expect_err(m, len, &c, VRRP_PKT_E_ADDRLIST);
	c.naddrs = 1;
	expect_err(m, len, &c, VRRP_PKT_E_ADDRLIST);
	want[2] = ip("192.0.2.2");
	want[1] = ip("192.0.2.2");
	c.naddrs = 3;
	expect_err(m, len, &c, VRRP_PKT_E_ADDRLIST);
	/* an instance with no addresses expects none */
	c.naddrs = 0;
	expect_err(m, len, &c, VRRP_PKT_E_ADDRLIST);
	/* skipped */
	c.addrs = want;
	c.naddrs = 1;
	c.skip_addr_check = true;
	decode_ok(m, len, &c, &p);
	assert_false(p.addrlist_mismatch);
	/* NULL: not checked, whatever the count */
	c.skip_addr_check = false;
	c.addrs = NULL;
	c.naddrs = 2;
	decode_ok(m, len, &c, &p);
	assert_false(p.addrlist_mismatch);
	/* RFC 3768 §7.1: from the address owner, accepted and flagged */
	c.addrs = want;
	c.naddrs = 1;
	m[2] = 255;
	fix_csum(m, len, &c, 2);
	decode_ok(m, len, &c, &p);
	assert_true(p.addrlist_mismatch);
	assert_int_equal(p.priority, 255);
	/* RFC 5798 §7.1: v3 only logs */
	len = v3_sample(m, &c, AF_INET6);
	want[0] = ip("2001:db8::1");
	c.addrs = want;
	c.naddrs = 1;
	decode_ok(m, len, &c, &p);
	assert_true(p.addrlist_mismatch);
	want[1] = ip("2001:db8::2");
	c.naddrs = 2;
	decode_ok(m, len, &c, &p);
	assert_false(p.addrlist_mismatch);
	want[1] = ip("2001:db8::3");
	decode_ok(m, len, &c, &p);
	assert_true(p.addrlist_mismatch);
}

/* 255 neighbouring addresses (the hash table's hard case), any order. */
static void test_addrlist_large(void **state)
{
	static uint8_t m[BIG];
	static struct vrrp_pkt p, d;
	static union vrrp_pkt_ipaddr want[VRRP_PKT_MAX_ADDRS];
	struct vrrp_pkt_ctx c;
	unsigned s, i, n = VRRP_PKT_MAX_ADDRS;
	size_t len;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(shapes); s++) {
		c = shape_ctx(s);
		random_pkt(&p, shapes[s].family, shapes[s].version, n);
		p.priority = 100;
		for (i = 0; i < n; i++) {
			memset(&p.addrs[i], 0, sizeof(p.addrs[i]));
			if (p.family == AF_INET) {
				p.addrs[i].v4.s_addr = htonl(0x0a000001u + i);
			} else {
				p.addrs[i].v6.s6_addr[0] = 0xfd;
				p.addrs[i].v6.s6_addr[15] = (uint8_t)i;
			}
			want[n - 1 - i] = p.addrs[i];
		}
		c.auth_type = p.auth_type;
		memcpy(c.auth_pass, p.auth_data, VRRP_PKT_AUTH_LEN);
		c.addrs = want;
		c.naddrs = n;
		len = encode_ok(&p, &c, m);
		decode_ok(m, len, &c, &d);
		assert_false(d.addrlist_mismatch);
		/* one address twice, another missing */
		want[7] = want[8];
		if (p.version == 2) {
			expect_err(m, len, &c, VRRP_PKT_E_ADDRLIST);
		} else {
			decode_ok(m, len, &c, &d);
			assert_true(d.addrlist_mismatch);
		}
	}
}

static void test_err_interval(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c;
	struct vrrp_pkt p;
	size_t len = v2_sample(m, &c);

	(void)state;
	c.adver_int_cs = 200;
	expect_err(m, len, &c, VRRP_PKT_E_INTERVAL);
	c.adver_int_cs = 150;
	expect_err(m, len, &c, VRRP_PKT_E_INTERVAL);
	c.adver_int_cs = 0;		/* not checked */
	decode_ok(m, len, &c, &p);
	assert_int_equal(p.adver_int_cs, 100);
	/* the owner's address mismatch does not excuse the interval */
	{
		union vrrp_pkt_ipaddr one = ip("192.0.2.1");

		c.addrs = &one;
		c.naddrs = 1;
		c.adver_int_cs = 300;
		m[2] = 255;
		fix_csum(m, len, &c, 2);
		expect_err(m, len, &c, VRRP_PKT_E_INTERVAL);
	}
	/* v3: the backup learns the master's interval, none is checked */
	len = v3_sample(m, &c, AF_INET);
	c.adver_int_cs = 700;
	decode_ok(m, len, &c, &p);
	assert_int_equal(p.adver_int_cs, 100);
}

static void test_v3_reserved_bits_ignored(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c;
	struct vrrp_pkt p;
	size_t len = v3_sample(m, &c, AF_INET);

	(void)state;
	m[4] = 0xf0 | 0x0f;
	m[5] = 0xff;
	fix_csum(m, len, &c, 3);
	decode_ok(m, len, &c, &p);
	assert_int_equal(p.adver_int_cs, 4095);
}

static void test_errbuf(void **state)
{
	uint8_t m[64];
	char eb[8];
	struct vrrp_pkt_ctx c;
	struct vrrp_pkt p;
	size_t len = v2_sample(m, &c);

	(void)state;
	c.ttl_or_hoplimit = 64;
	memset(eb, 'x', sizeof(eb));
	assert_int_equal(vrrp_pkt_decode(m, len, &c, &p, eb, sizeof(eb)), -VRRP_PKT_E_TTL);
	assert_int_equal(strlen(eb), sizeof(eb) - 1);	/* truncated, terminated */
	eb[0] = 'x';
	assert_int_equal(vrrp_pkt_decode(m, len, &c, &p, eb, 1), -VRRP_PKT_E_TTL);
	assert_int_equal(eb[0], '\0');
	eb[0] = 'x';
	assert_int_equal(vrrp_pkt_decode(m, len, &c, &p, eb, 0), -VRRP_PKT_E_TTL);
	assert_int_equal(eb[0], 'x');
}

/* ------------------------------------------------------------------ */
/* encode errors, names, mappings, peek */

static void test_encode_errors(void **state)
{
	uint8_t m[64];
	struct vrrp_pkt_ctx c = ctx4(2), c6 = ctx6(3);
	struct vrrp_pkt p, q;
	size_t len = 99, need;

	(void)state;
	mkpkt(&p, AF_INET, 2, 1, 100, 100, A2, 2);
	need = vrrp_pkt_len(2, AF_INET, 2);
#define BAD(expr, err) do {						\
		q = p;							\
		expr;							\
		memset(m, 0xee, sizeof(m));				\
		assert_int_equal(vrrp_pkt_encode(&q, &c, m, sizeof(m), &len), err); \
		assert_int_equal(len, 99);				\
		assert_int_equal(m[0], 0xee);				\
	} while (0)
	BAD(q.version = 1, -EINVAL);
	BAD(q.version = 4, -EINVAL);
	BAD(q.family = AF_INET6, -EINVAL);		/* differs from ctx */
	BAD(q.type = 2, -EINVAL);
	BAD(q.vrid = 0, -EINVAL);
	BAD(q.auth_type = 3, -EINVAL);
	BAD(q.adver_int_cs = 150, -EINVAL);		/* v2: whole seconds */
	BAD(q.adver_int_cs = 25600, -EINVAL);
	BAD((q.version = 3, q.adver_int_cs = 4096), -EINVAL);
	assert_int_equal(vrrp_pkt_encode(&p, &c, m, need - 1, &len), -ENOSPC);
	assert_int_equal(vrrp_pkt_encode(&p, &c, NULL, 100, &len), -ENOSPC);
	assert_int_equal(len, 99);
	assert_int_equal(vrrp_pkt_encode(&p, &c6, m, sizeof(m), &len), -EINVAL);
	/* exact fit, and the largest values */
	q = p;
	q.adver_int_cs = VRRP_PKT_V2_MAX_ADVER_INT_CS;
	q.auth_type = VRRP_PKT_AUTH_AH;
	assert_int_equal(vrrp_pkt_encode(&q, &c, m, need, &len), 0);
	assert_int_equal(len, need);
	assert_int_equal(m[4], 2);
	assert_int_equal(m[5], 255);
	q.version = 3;
	q.adver_int_cs = VRRP_PKT_V3_MAX_ADVER_INT_CS;
	assert_int_equal(vrrp_pkt_encode(&q, &c, m, sizeof(m), &len), 0);
	assert_int_equal(m[4], 0x0f);
	assert_int_equal(m[5], 0xff);
#undef BAD
}

static void test_names_and_mappings(void **state)
{
	int e, f;

	(void)state;
	for (e = 0; e < VRRP_PKT_E__COUNT; e++) {
		assert_non_null(vrrp_pkt_err_str(e));
		assert_string_not_equal(vrrp_pkt_err_str(e), "unknown error");
		assert_string_equal(vrrp_pkt_err_str(-e), vrrp_pkt_err_str(e));
		for (f = 0; f < e; f++)
			assert_string_not_equal(vrrp_pkt_err_str(e), vrrp_pkt_err_str(f));
	}
	assert_string_equal(vrrp_pkt_err_str(VRRP_PKT_E__COUNT), "unknown error");
	assert_string_equal(vrrp_pkt_err_str(-1000), "unknown error");
	assert_string_equal(vrrp_pkt_err_str(-2147483647 - 1), "unknown error");

	/* RFC 6527 vrrpv3StatisticsProtoErrReason */
	assert_int_equal(vrrp_pkt_err_proto_reason(0), 0);
	assert_int_equal(vrrp_pkt_err_proto_reason(-VRRP_PKT_E_TTL), 1);
	assert_int_equal(vrrp_pkt_err_proto_reason(-VRRP_PKT_E_VERSION), 2);
	assert_int_equal(vrrp_pkt_err_proto_reason(VRRP_PKT_E_CHECKSUM), 3);
	assert_int_equal(vrrp_pkt_err_proto_reason(-VRRP_PKT_E_VRID), 4);
	assert_int_equal(vrrp_pkt_err_proto_reason(-VRRP_PKT_E_LENGTH), 0);
	assert_int_equal(vrrp_pkt_err_proto_reason(-VRRP_PKT_E_AUTH_FAILURE), 0);
	assert_int_equal(vrrp_pkt_err_proto_reason(99), 0);
	/* RFC 2787 vrrpTrapAuthErrorType */
	assert_int_equal(vrrp_pkt_err_auth_reason(-VRRP_PKT_E_AUTH_TYPE_INVALID), 1);
	assert_int_equal(vrrp_pkt_err_auth_reason(-VRRP_PKT_E_AUTH_TYPE_MISMATCH), 2);
	assert_int_equal(vrrp_pkt_err_auth_reason(-VRRP_PKT_E_AUTH_FAILURE), 3);
	assert_int_equal(vrrp_pkt_err_auth_reason(-VRRP_PKT_E_CHECKSUM), 0);
}

static void test_peek(void **state)
{
	uint8_t m[64], v = 0, id = 0;
	struct vrrp_pkt_ctx c;
	size_t len = v3_sample(m, &c, AF_INET6);

	(void)state;
	assert_int_equal(vrrp_pkt_peek(m, len, &v, &id), 0);
	assert_int_equal(v, 3);
	assert_int_equal(id, 9);
	m[6] ^= 0xff;		/* nothing but the length is checked */
	assert_int_equal(vrrp_pkt_peek(m, 8, &v, &id), 0);
	v = id = 77;
	assert_int_equal(vrrp_pkt_peek(m, 7, &v, &id), -VRRP_PKT_E_LENGTH);
	assert_int_equal(vrrp_pkt_peek(NULL, 8, &v, &id), -VRRP_PKT_E_LENGTH);
	assert_int_equal(v, 77);
	assert_int_equal(id, 77);
}

/* ------------------------------------------------------------------ */
/* lib/buf */

static void test_buf_reader(void **state)
{
	static const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	uint8_t out[4];
	struct buf_rd r;

	(void)state;
	buf_rd_init(&r, b, sizeof(b));
	assert_int_equal(buf_get_u8(&r), 0x01);
	assert_int_equal(buf_get_be16(&r), 0x0203);
	assert_int_equal(buf_get_be32(&r), 0x04050607);
	assert_false(r.err);
	assert_int_equal(buf_rd_left(&r), 0);
	assert_int_equal(buf_get_u8(&r), 0);		/* past the end */
	assert_true(r.err);
	assert_int_equal(r.off, 7);

	buf_rd_init(&r, b, sizeof(b));
	buf_skip(&r, 5);
	assert_int_equal(buf_get_be32(&r), 0);		/* 2 left: no partial read */
	assert_true(r.err);
	assert_int_equal(buf_get_be16(&r), 0x0607);	/* sticky flag, offset kept */
	assert_true(r.err);

	buf_rd_init(&r, b, sizeof(b));
	memset(out, 0xff, sizeof(out));
	buf_skip(&r, 4);
	buf_get_bytes(&r, out, 4);
	assert_true(r.err);
	assert_int_equal(out[0], 0);			/* zeroed on overrun */
	assert_null(buf_get_ptr(&r, 4));
	assert_ptr_equal(buf_get_ptr(&r, 3), b + 4);
	buf_skip(&r, 1);
	assert_int_equal(r.off, 7);

	buf_rd_init(&r, NULL, 10);			/* no buffer, no bytes */
	assert_int_equal(buf_rd_left(&r), 0);
	buf_get_bytes(&r, out, 0);
	assert_false(r.err);
}

static void test_buf_writer(void **state)
{
	uint8_t b[8];
	struct buf_wr w;

	(void)state;
	memset(b, 0xee, sizeof(b));
	buf_wr_init(&w, b, 7);
	buf_put_u8(&w, 0x01);
	buf_put_be16(&w, 0x0203);
	buf_put_be32(&w, 0x04050607);
	assert_false(w.err);
	buf_put_u8(&w, 0x08);
	assert_true(w.err);
	assert_int_equal(w.off, 7);
	assert_int_equal(b[7], 0xee);
	assert_memory_equal(b, ((uint8_t[]){ 1, 2, 3, 4, 5, 6, 7 }), 7);
	buf_set_be16(&w, 5, 0xabcd);
	assert_int_equal(b[5], 0xab);
	assert_int_equal(b[6], 0xcd);
	w.err = false;
	buf_set_be16(&w, 6, 0x1111);		/* would pass off */
	assert_true(w.err);
	assert_int_equal(b[6], 0xcd);

	buf_wr_init(&w, b, 4);
	buf_put_zero(&w, 2);
	buf_put_bytes(&w, "abc", 3);		/* does not fit: nothing written */
	assert_true(w.err);
	assert_int_equal(w.off, 2);
	assert_int_equal(b[2], 3);
	buf_put_bytes(&w, "ab", 2);
	assert_int_equal(b[3], 'b');
	buf_wr_init(&w, b, 0);
	buf_set_be16(&w, 0, 1);
	assert_true(w.err);
}

static void test_buf_csum(void **state)
{
	/* RFC 1071 §3 example: the sum is ddf2, so the checksum is 220d */
	static const uint8_t ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static uint8_t big[70000];
	uint32_t s;
	size_t i;

	(void)state;
	assert_int_equal(buf_csum_fold(buf_csum_add(0, ex, sizeof(ex))), 0x220d);
	s = buf_csum_add(0, ex, 4);
	s = buf_csum_add(s, ex + 4, 4);
	assert_int_equal(buf_csum_fold(s), 0x220d);
	/* odd length: the last byte is the high half of a word */
	assert_int_equal(buf_csum_fold(buf_csum_add(0, ex, 3)), (uint16_t)~(0x0001 + 0xf200));
	assert_int_equal(buf_csum_fold(buf_csum_add(0, NULL, 0)), 0xffff);
	/* all 0xff words: the sum stays 0xffff however many there are */
	memset(big, 0xff, sizeof(big));
	assert_int_equal(buf_csum_fold(buf_csum_add(0, big, sizeof(big))), 0);
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	{
		struct vrrp_pkt_ctx c = ctx4(2);
		size_t len, cut;

		s = buf_csum_add(0, big, 65534);
		assert_int_equal(buf_csum_fold(s), ref_csum(&c, false, big, 65534));
		/* every length up to 67, whole and cut at every even offset */
		for (len = 0; len < 68; len++) {
			for (i = 0; i < len; i++)
				big[i] = (uint8_t)(rnd() | 0xe0);
			for (cut = 0; cut <= len; cut += 2) {
				s = buf_csum_add(buf_csum_add(0, big, cut), big + cut, len - cut);
				assert_int_equal(buf_csum_fold(s), ref_csum(&c, false, big, len));
			}
		}
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_v2_ipv4_noauth),
		cmocka_unit_test(test_golden_v2_ipv4_pass),
		cmocka_unit_test(test_golden_v3_ipv4),
		cmocka_unit_test(test_golden_v3_ipv6),
		cmocka_unit_test(test_golden_v2_ipv6),
		cmocka_unit_test(test_keepalived_captures),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_boundary_lengths),
		cmocka_unit_test(test_err_ttl),
		cmocka_unit_test(test_err_version),
		cmocka_unit_test(test_err_type),
		cmocka_unit_test(test_err_checksum),
		cmocka_unit_test(test_err_vrid),
		cmocka_unit_test(test_err_auth),
		cmocka_unit_test(test_err_addrlist),
		cmocka_unit_test(test_addrlist_large),
		cmocka_unit_test(test_err_interval),
		cmocka_unit_test(test_v3_reserved_bits_ignored),
		cmocka_unit_test(test_errbuf),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_names_and_mappings),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_buf_reader),
		cmocka_unit_test(test_buf_writer),
		cmocka_unit_test(test_buf_csum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
