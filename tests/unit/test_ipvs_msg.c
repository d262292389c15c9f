/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the IPVS generic netlink codec (src/check/ipvs_msg.c).
 *
 * Golden bytes from two sources: requests written out by hand below, one
 * attribute a line, and replies captured from Debian's 6.1 kernel (the
 * shared/ipvs-vm machine) after `ipvsadm -A -t 10.0.0.1:80 -s wrr -p 50
 * -M 255.255.255.0`, `-a ... -r 10.1.0.2:80 -m -w 3 -x 100 -y 10`,
 * `-a ... -r 10.1.0.9:80 -i -w 0 --tun-type gue --tun-port 6080
 * --tun-nocsum`, `--start-daemon backup --mcast-interface lo --syncid 9`
 * and three HTTP requests through the service (NAT), printed raw by a
 * libnl program. ipvsadm -Ln --stats --exact showed 3 connections, 20/16
 * packets and 1277/1495 bytes; the rates are the estimator's of that moment.
 * Then encode/decode round trips, malformed input and mutated captures.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <cmocka.h>

#include "check/ipvs_msg.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* captured from the kernel (see the top of the file) */

static const uint8_t cap_info[36] = {
	0x24, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x26, 0xed, 0x06, 0x6b,
	0xb4, 0x00, 0x00, 0x67, 0x0e, 0x01, 0x00, 0x00, 0x08, 0x00, 0x01, 0x00,
	0x01, 0x02, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00, 0x10, 0x00, 0x00,
};

static const uint8_t cap_service[320] = {
	0x40, 0x01, 0x00, 0x00, 0x20, 0x00, 0x02, 0x00, 0x26, 0xed, 0x06, 0x6b,
	0xb4, 0x00, 0xc0, 0x89, 0x01, 0x01, 0x00, 0x00, 0x2c, 0x01, 0x01, 0x00,
	0x06, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x00,
	0x06, 0x00, 0x00, 0x00, 0x14, 0x00, 0x03, 0x00, 0x0a, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x06, 0x00, 0x04, 0x00, 0x00, 0x50, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00,
	0x77, 0x72, 0x72, 0x00, 0x0c, 0x00, 0x07, 0x00, 0x03, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0x08, 0x00, 0x08, 0x00, 0x32, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x09, 0x00, 0xff, 0xff, 0xff, 0x00, 0x5c, 0x00, 0x0a, 0x00,
	0x08, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x04, 0x00, 0xfd, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x05, 0x00, 0xd7, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x07, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x09, 0x00, 0x63, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a, 0x00,
	0x76, 0x00, 0x00, 0x00, 0x7c, 0x00, 0x0c, 0x00, 0x0c, 0x00, 0x01, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x02, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x03, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x04, 0x00,
	0xfd, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x05, 0x00,
	0xd7, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x06, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x07, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x08, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00,
	0x63, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a, 0x00,
	0x76, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t cap_dest0[356] = {
	0x64, 0x01, 0x00, 0x00, 0x20, 0x00, 0x02, 0x00, 0x26, 0xed, 0x06, 0x6b,
	0xb4, 0x00, 0x80, 0xbc, 0x05, 0x01, 0x00, 0x00, 0x50, 0x01, 0x02, 0x00,
	0x14, 0x00, 0x01, 0x00, 0x0a, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x00,
	0x00, 0x50, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0d, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x0e, 0x00, 0x17, 0xc0, 0x00, 0x00,
	0x06, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x06, 0x00, 0x0b, 0x00, 0x02, 0x00, 0x00, 0x00, 0x5c, 0x00, 0x0a, 0x00,
	0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x07, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x7c, 0x00, 0x0c, 0x00, 0x0c, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x03, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x04, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x05, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x06, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x07, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x08, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t cap_dest1[356] = {
	0x64, 0x01, 0x00, 0x00, 0x20, 0x00, 0x02, 0x00, 0x26, 0xed, 0x06, 0x6b,
	0xb4, 0x00, 0x80, 0xbc, 0x05, 0x01, 0x00, 0x00, 0x50, 0x01, 0x02, 0x00,
	0x14, 0x00, 0x01, 0x00, 0x0a, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x00,
	0x00, 0x50, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00, 0x05, 0x00, 0x0d, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x06, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00,
	0x64, 0x00, 0x00, 0x00, 0x08, 0x00, 0x06, 0x00, 0x0a, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x06, 0x00, 0x0b, 0x00, 0x02, 0x00, 0x00, 0x00, 0x5c, 0x00, 0x0a, 0x00,
	0x08, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x04, 0x00, 0xfd, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x0c, 0x00, 0x05, 0x00, 0xd7, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x07, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x08, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x09, 0x00, 0x63, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a, 0x00,
	0x76, 0x00, 0x00, 0x00, 0x7c, 0x00, 0x0c, 0x00, 0x0c, 0x00, 0x01, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x02, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x03, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x04, 0x00,
	0xfd, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x05, 0x00,
	0xd7, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x06, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x07, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x08, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x09, 0x00,
	0x63, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x0a, 0x00,
	0x76, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const uint8_t cap_daemon[80] = {
	0x50, 0x00, 0x00, 0x00, 0x20, 0x00, 0x02, 0x00, 0x26, 0xed, 0x06, 0x6b,
	0xb4, 0x00, 0x40, 0xe7, 0x09, 0x01, 0x00, 0x00, 0x3c, 0x00, 0x03, 0x00,
	0x08, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00, 0x02, 0x00,
	0x6c, 0x6f, 0x00, 0x00, 0x08, 0x00, 0x03, 0x00, 0x09, 0x00, 0x00, 0x00,
	0x06, 0x00, 0x04, 0x00, 0xe3, 0xff, 0x00, 0x00, 0x06, 0x00, 0x07, 0x00,
	0x90, 0x22, 0x00, 0x00, 0x05, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x05, 0x00, 0xe0, 0x00, 0x00, 0x51,
};

static const uint8_t cap_config[44] = {
	0x2c, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x26, 0xed, 0x06, 0x6b,
	0xb4, 0x00, 0x00, 0xfa, 0x0c, 0x01, 0x00, 0x00, 0x08, 0x00, 0x04, 0x00,
	0x84, 0x03, 0x00, 0x00, 0x08, 0x00, 0x05, 0x00, 0x78, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x06, 0x00, 0x2c, 0x01, 0x00, 0x00,
};

/* ------------------------------------------------------------------ */
/* helpers */

static union ipvs_addr ip(const char *s)
{
	union ipvs_addr a;

	memset(&a, 0, sizeof(a));
	assert_int_equal(inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, a.b), 1);
	return a;
}

static struct ipvs_msg decode_ok(const uint8_t *buf, size_t len)
{
	struct ipvs_msg m;
	char err[128] = "";
	int r = ipvs_msg_decode(buf, len, &m, err, sizeof(err));

	if (r != 0)
		fail_msg("decode: %d (%s)", r, err);
	return m;
}

static void assert_stats_eq(const struct ipvs_stats *a, const struct ipvs_stats *b)
{
	assert_true(a->conns == b->conns && a->inpkts == b->inpkts && a->outpkts == b->outpkts);
	assert_true(a->inbytes == b->inbytes && a->outbytes == b->outbytes);
	assert_true(a->cps == b->cps && a->inpps == b->inpps && a->outpps == b->outpps);
	assert_true(a->inbps == b->inbps && a->outbps == b->outbps);
}

static void assert_svc_eq(const struct ipvs_service *a, const struct ipvs_service *b)
{
	assert_int_equal(a->af, b->af);
	assert_int_equal(a->fwmark, b->fwmark);
	if (!a->fwmark) {
		assert_int_equal(a->protocol, b->protocol);
		assert_memory_equal(a->addr.b, b->addr.b, 16);
		assert_int_equal(a->port, b->port);
	}
	assert_string_equal(a->sched_name, b->sched_name);
	assert_string_equal(a->pe_name, b->pe_name);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->timeout_s, b->timeout_s);
	assert_int_equal(a->netmask, b->netmask);
	assert_int_equal(a->has_stats, b->has_stats);
	if (a->has_stats)
		assert_stats_eq(&a->stats, &b->stats);
}

static void assert_dest_eq(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	assert_int_equal(a->af, b->af);
	assert_memory_equal(a->addr.b, b->addr.b, 16);
	assert_int_equal(a->port, b->port);
	assert_int_equal(a->conn_flags & IP_VS_CONN_F_FWD_MASK, b->conn_flags & IP_VS_CONN_F_FWD_MASK);
	assert_int_equal(a->weight, b->weight);
	assert_int_equal(a->u_threshold, b->u_threshold);
	assert_int_equal(a->l_threshold, b->l_threshold);
	if ((a->conn_flags & IP_VS_CONN_F_FWD_MASK) == IP_VS_CONN_F_TUNNEL) {
		assert_int_equal(a->tun_type, b->tun_type);
		assert_int_equal(a->tun_port, b->tun_port);
		assert_int_equal(a->tun_flags, b->tun_flags);
	}
	assert_int_equal(a->has_stats, b->has_stats);
	if (a->has_stats) {
		assert_int_equal(a->active_conns, b->active_conns);
		assert_int_equal(a->inact_conns, b->inact_conns);
		assert_int_equal(a->persist_conns, b->persist_conns);
		assert_stats_eq(&a->stats, &b->stats);
	}
}

/* An independent attribute writer, for hand-made replies. */
struct tlv {
	uint8_t b[1024];
	size_t n;
};

static void put(struct tlv *t, uint16_t type, const void *data, uint16_t len)
{
	uint16_t l = (uint16_t)(4 + len);

	memcpy(t->b + t->n, &l, 2);
	memcpy(t->b + t->n + 2, &type, 2);
	memcpy(t->b + t->n + 4, data, len);
	t->n += (size_t)(4 + len + 3) & ~(size_t)3;
}

static void put32(struct tlv *t, uint16_t type, uint32_t v)
{
	put(t, type, &v, 4);
}

static void put64(struct tlv *t, uint16_t type, uint64_t v)
{
	put(t, type, &v, 8);
}

/* Wraps inner as the payload of a nest of type, in a whole message. */
static size_t wrap(uint8_t *out, uint8_t cmd, uint16_t type, const struct tlv *inner)
{
	struct tlv top = { .n = 0 };
	struct nlmsghdr nh = { .nlmsg_type = 32 };
	struct genlmsghdr gh = { .cmd = cmd, .version = 1 };

	put(&top, type, inner->b, (uint16_t)inner->n);
	nh.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + GENL_HDRLEN + top.n);
	memcpy(out, &nh, sizeof(nh));
	memcpy(out + NLMSG_HDRLEN, &gh, sizeof(gh));
	memcpy(out + NLMSG_HDRLEN + GENL_HDRLEN, top.b, top.n);
	return nh.nlmsg_len;
}

/* ------------------------------------------------------------------ */
/* golden requests, by hand */

static void test_golden_new_service(void **state)
{
	static const uint8_t want[] = {
		/* nlmsghdr: len 104, type 32 (the family), REQUEST|ACK, seq 7, pid 0 */
		0x68, 0, 0, 0, 0x20, 0, 0x05, 0, 7, 0, 0, 0, 0, 0, 0, 0,
		/* genlmsghdr: IPVS_CMD_NEW_SERVICE, version 1 */
		1, 1, 0, 0,
		/* IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, 84 bytes */
		0x54, 0, 0x01, 0x80,
		0x06, 0, 0x01, 0, 0x02, 0, 0, 0,		/* AF: AF_INET, padded */
		0x06, 0, 0x02, 0, 0x06, 0, 0, 0,		/* PROTOCOL: TCP */
		0x14, 0, 0x03, 0, 10, 0, 0, 1,			/* ADDR: 16 bytes */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x06, 0, 0x04, 0, 0x00, 0x50, 0, 0,		/* PORT: 80, big endian */
		0x08, 0, 0x06, 0, 'w', 'l', 'c', 0,		/* SCHED_NAME */
		0x0c, 0, 0x07, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,	/* FLAGS persistent, mask */
		0x08, 0, 0x08, 0, 50, 0, 0, 0,			/* TIMEOUT 50 s */
		0x08, 0, 0x09, 0, 0xff, 0xff, 0xff, 0x00,	/* NETMASK /24, network order */
	};
	struct ipvs_msg m = { .cmd = IPVS_CMD_NEW_SERVICE, .has_svc = true };
	uint8_t buf[IPVS_MSG_MAX];
	struct ipvs_msg back;

	(void)state;
	m.svc.af = AF_INET;
	m.svc.protocol = IPPROTO_TCP;
	m.svc.addr = ip("10.0.0.1");
	m.svc.port = 80;
	strcpy(m.svc.sched_name, "wlc");
	m.svc.flags = IP_VS_SVC_F_PERSISTENT;
	m.svc.timeout_s = 50;
	m.svc.netmask = ipvs_netmask_from_plen(AF_INET, 24);
	assert_int_equal(ipvs_msg_build(&m, 32, NLM_F_REQUEST | NLM_F_ACK, 7, buf, sizeof(buf)),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	back = decode_ok(buf, sizeof(want));
	assert_int_equal(back.cmd, IPVS_CMD_NEW_SERVICE);
	assert_true(back.has_svc && !back.has_dest && !back.has_daemon);
	assert_svc_eq(&back.svc, &m.svc);
}

static void test_golden_del_dest(void **state)
{
	static const uint8_t want[] = {
		/* IPVS_CMD_ATTR_SERVICE, nested: the key only */
		0x30, 0, 0x01, 0x80,
		0x06, 0, 0x01, 0, 0x02, 0, 0, 0,		/* AF */
		0x06, 0, 0x02, 0, 0x11, 0, 0, 0,		/* PROTOCOL: UDP */
		0x14, 0, 0x03, 0, 10, 0, 0, 1,			/* ADDR */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x06, 0, 0x04, 0, 0x00, 0x35, 0, 0,		/* PORT 53 */
		/* IPVS_CMD_ATTR_DEST, nested: address, port, family */
		0x28, 0, 0x02, 0x80,
		0x14, 0, 0x01, 0, 10, 0, 0, 2,			/* ADDR */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x06, 0, 0x02, 0, 0x13, 0x88, 0, 0,		/* PORT 5000 */
		0x06, 0, 0x0b, 0, 0x02, 0, 0, 0,		/* ADDR_FAMILY */
	};
	struct ipvs_msg m = { .cmd = IPVS_CMD_DEL_DEST, .has_svc = true, .has_dest = true };
	uint8_t buf[IPVS_MSG_MAX];

	(void)state;
	m.svc.af = AF_INET;
	m.svc.protocol = IPPROTO_UDP;
	m.svc.addr = ip("10.0.0.1");
	m.svc.port = 53;
	strcpy(m.svc.sched_name, "ignored");	/* not part of a key */
	m.dest.af = AF_INET;
	m.dest.addr = ip("10.0.0.2");
	m.dest.port = 5000;
	m.dest.weight = 9;			/* not part of a key */
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_golden_fwmark_and_daemon(void **state)
{
	static const uint8_t want_svc[] = {
		0x14, 0, 0x01, 0x80,
		0x06, 0, 0x01, 0, 0x0a, 0, 0, 0,		/* AF_INET6 */
		0x08, 0, 0x05, 0, 7, 0, 0, 0,			/* FWMARK 7: no protocol, address, port */
	};
	static const uint8_t want_daemon[] = {
		0x38, 0, 0x03, 0x80,				/* 56 bytes */
		0x08, 0, 0x01, 0, 1, 0, 0, 0,			/* STATE master */
		0x09, 0, 0x02, 0, 'e', 't', 'h', '0', 0, 0, 0, 0,	/* MCAST_IFN */
		0x08, 0, 0x03, 0, 51, 0, 0, 0,			/* SYNC_ID */
		0x08, 0, 0x05, 0, 224, 0, 0, 81,		/* MCAST_GROUP */
		0x06, 0, 0x07, 0, 0x90, 0x22, 0, 0,		/* MCAST_PORT 8848, host order */
		0x05, 0, 0x08, 0, 2, 0, 0, 0,			/* MCAST_TTL */
	};
	struct ipvs_msg m = { .cmd = IPVS_CMD_DEL_SERVICE, .has_svc = true };
	uint8_t buf[IPVS_MSG_MAX];

	(void)state;
	m.svc.af = AF_INET6;
	m.svc.fwmark = 7;
	m.svc.protocol = IPPROTO_TCP;		/* not sent with a fwmark */
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), sizeof(want_svc));
	assert_memory_equal(buf, want_svc, sizeof(want_svc));

	memset(&m, 0, sizeof(m));
	m.cmd = IPVS_CMD_NEW_DAEMON;
	m.has_daemon = true;
	m.daemon.state = IP_VS_STATE_MASTER;
	strcpy(m.daemon.mcast_ifn, "eth0");
	m.daemon.syncid = 51;
	m.daemon.mcast_af = AF_INET;
	m.daemon.mcast_group = ip("224.0.0.81");
	m.daemon.mcast_port = 8848;
	m.daemon.mcast_ttl = 2;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), sizeof(want_daemon));
	assert_memory_equal(buf, want_daemon, sizeof(want_daemon));
	/* DEL_DAEMON: the state alone */
	m.cmd = IPVS_CMD_DEL_DAEMON;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), 12);
	/* requests without attributes */
	m.cmd = IPVS_CMD_GET_INFO;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), 0);
	m.cmd = IPVS_CMD_FLUSH;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), 0);
	m.cmd = IPVS_CMD_GET_SERVICE;		/* no service: a dump */
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), 0);
}

/* ------------------------------------------------------------------ */
/* captured replies */

static void test_captured_info_config(void **state)
{
	struct ipvs_msg m;

	(void)state;
	m = decode_ok(cap_info, sizeof(cap_info));
	assert_int_equal(m.cmd, IPVS_CMD_SET_INFO);
	assert_true(m.has_info && !m.has_svc && !m.has_dest);
	assert_int_equal(m.info.version, 0x010201);
	assert_int_equal(m.info.conn_tab_size, 4096);
	m = decode_ok(cap_config, sizeof(cap_config));
	assert_int_equal(m.cmd, IPVS_CMD_SET_CONFIG);
	assert_true(m.has_timeouts);
	assert_int_equal(m.timeouts.tcp_s, 900);
	assert_int_equal(m.timeouts.tcpfin_s, 120);
	assert_int_equal(m.timeouts.udp_s, 300);
}

static void test_captured_service(void **state)
{
	struct ipvs_msg m = decode_ok(cap_service, sizeof(cap_service));
	char buf[IPVS_LABEL_MAX];

	(void)state;
	assert_int_equal(m.cmd, IPVS_CMD_NEW_SERVICE);
	assert_true(m.has_svc && !m.has_dest);
	assert_int_equal(m.svc.af, AF_INET);
	assert_int_equal(m.svc.protocol, IPPROTO_TCP);
	assert_memory_equal(m.svc.addr.b, ip("10.0.0.1").b, 4);
	assert_int_equal(m.svc.port, 80);
	assert_int_equal(m.svc.fwmark, 0);
	assert_string_equal(m.svc.sched_name, "wrr");
	assert_string_equal(m.svc.pe_name, "");
	assert_int_equal(m.svc.flags, IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_HASHED);
	assert_int_equal(m.svc.timeout_s, 50);
	assert_int_equal(m.svc.netmask, ipvs_netmask_from_plen(AF_INET, 24));
	assert_true(m.svc.has_stats);
	/* ipvsadm -Ln --stats --exact: 3 20 16 1277 1495 */
	assert_int_equal(m.svc.stats.conns, 3);
	assert_int_equal(m.svc.stats.inpkts, 20);
	assert_int_equal(m.svc.stats.outpkts, 16);
	assert_int_equal(m.svc.stats.inbytes, 1277);
	assert_int_equal(m.svc.stats.outbytes, 1495);
	assert_int_equal(m.svc.stats.cps, 0);
	assert_int_equal(m.svc.stats.inpps, 2);
	assert_int_equal(m.svc.stats.outpps, 1);
	assert_int_equal(m.svc.stats.inbps, 99);
	assert_int_equal(m.svc.stats.outbps, 118);
	assert_string_equal(ipvs_service_label(&m.svc, buf, sizeof(buf)), "TCP 10.0.0.1:80");
	/* and what we would send for it: same parameters, no change needed */
	assert_false(ipvs_service_params_differ(&m.svc, &m.svc));
}

static void test_captured_dests(void **state)
{
	struct ipvs_msg t = decode_ok(cap_dest0, sizeof(cap_dest0));
	struct ipvs_msg m = decode_ok(cap_dest1, sizeof(cap_dest1));
	char buf[IPVS_LABEL_MAX];

	(void)state;
	assert_int_equal(t.cmd, IPVS_CMD_NEW_DEST);
	assert_true(t.has_dest && !t.has_svc);
	assert_string_equal(ipvs_dest_label(&t.dest, AF_INET, buf, sizeof(buf)), "10.1.0.9:80");
	assert_int_equal(t.dest.af, AF_INET);
	assert_int_equal(t.dest.conn_flags & IP_VS_CONN_F_FWD_MASK, IP_VS_CONN_F_TUNNEL);
	assert_string_equal(ipvs_fwd_name(t.dest.conn_flags), "Tunnel");
	assert_int_equal(t.dest.weight, 0);
	assert_int_equal(t.dest.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(t.dest.tun_port, 6080);
	assert_int_equal(t.dest.tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM);
	assert_true(t.dest.has_stats);
	assert_int_equal(t.dest.stats.conns, 0);

	assert_string_equal(ipvs_dest_label(&m.dest, AF_INET, buf, sizeof(buf)), "10.1.0.2:80");
	assert_int_equal(m.dest.conn_flags & IP_VS_CONN_F_FWD_MASK, IP_VS_CONN_F_MASQ);
	assert_string_equal(ipvs_fwd_name(m.dest.conn_flags), "Masq");
	assert_int_equal(m.dest.weight, 3);
	assert_int_equal(m.dest.u_threshold, 100);
	assert_int_equal(m.dest.l_threshold, 10);
	assert_int_equal(m.dest.active_conns, 0);
	assert_int_equal(m.dest.inact_conns, 3);	/* ipvsadm -Ln: InActConn 3 */
	assert_int_equal(m.dest.persist_conns, 1);	/* the persistence template */
	assert_int_equal(m.dest.stats.conns, 3);
	assert_int_equal(m.dest.stats.inpkts, 20);
	assert_int_equal(m.dest.stats.outpkts, 16);
	assert_int_equal(m.dest.stats.inbytes, 1277);
	assert_int_equal(m.dest.stats.outbytes, 1495);
	assert_int_equal(m.dest.stats.inbps, 99);
	assert_int_equal(m.dest.stats.outbps, 118);
}

static void test_captured_daemon(void **state)
{
	struct ipvs_msg m = decode_ok(cap_daemon, sizeof(cap_daemon));

	(void)state;
	assert_int_equal(m.cmd, IPVS_CMD_NEW_DAEMON);
	assert_true(m.has_daemon);
	assert_int_equal(m.daemon.state, IP_VS_STATE_BACKUP);
	assert_string_equal(m.daemon.mcast_ifn, "lo");
	assert_int_equal(m.daemon.syncid, 9);
	assert_int_equal(m.daemon.mcast_port, 8848);	/* the default, host order */
	assert_int_equal(m.daemon.mcast_ttl, 1);
	assert_int_equal(m.daemon.mcast_af, AF_INET);
	assert_memory_equal(m.daemon.mcast_group.b, ip("224.0.0.81").b, 4);
	assert_int_equal(m.daemon.sync_maxlen, 65507);
}

/* Each captured reply, re-encoded as the matching request, decodes the same. */
static void test_captured_reencode(void **state)
{
	struct ipvs_msg s = decode_ok(cap_service, sizeof(cap_service));
	struct ipvs_msg d = decode_ok(cap_dest1, sizeof(cap_dest1));
	struct ipvs_msg t = decode_ok(cap_dest0, sizeof(cap_dest0));
	struct ipvs_msg a = decode_ok(cap_daemon, sizeof(cap_daemon));
	struct ipvs_msg m, back;
	uint8_t buf[IPVS_MSG_MAX];
	int n;

	(void)state;
	n = ipvs_msg_build(&s, 32, 0, 1, buf, sizeof(buf));
	assert_true(n > 0);
	back = decode_ok(buf, (size_t)n);
	assert_svc_eq(&back.svc, &s.svc);
	/* a destination reply has no service: give it one */
	for (int k = 0; k < 2; k++) {
		m = k ? t : d;
		m.cmd = IPVS_CMD_SET_DEST;
		m.has_svc = true;
		m.svc = s.svc;
		n = ipvs_msg_build(&m, 32, 0, 1, buf, sizeof(buf));
		assert_true(n > 0);
		back = decode_ok(buf, (size_t)n);
		assert_true(back.has_svc && back.has_dest);
		assert_int_equal(ipvs_service_key_cmp(&back.svc, &s.svc), 0);
		assert_false(back.svc.has_stats);	/* a key only */
		assert_dest_eq(&back.dest, &m.dest);
	}
	n = ipvs_msg_build(&a, 32, 0, 1, buf, sizeof(buf));
	assert_true(n > 0);
	back = decode_ok(buf, (size_t)n);
	assert_int_equal(back.daemon.state, a.daemon.state);
	assert_string_equal(back.daemon.mcast_ifn, a.daemon.mcast_ifn);
	assert_int_equal(back.daemon.syncid, a.daemon.syncid);
	assert_int_equal(back.daemon.sync_maxlen, a.daemon.sync_maxlen);
	assert_int_equal(back.daemon.mcast_port, a.daemon.mcast_port);
	assert_int_equal(back.daemon.mcast_ttl, a.daemon.mcast_ttl);
	assert_memory_equal(back.daemon.mcast_group.b, a.daemon.mcast_group.b, 16);
}

/* ------------------------------------------------------------------ */
/* round trips */

static struct ipvs_stats big_stats(uint64_t base)
{
	struct ipvs_stats s = {
		.conns = base + 1, .inpkts = base + 2, .outpkts = base + 3,
		.inbytes = base + 4, .outbytes = base + 5, .cps = base + 6, .inpps = base + 7,
		.outpps = base + 8, .inbps = base + 9, .outbps = base + 10,
	};
	return s;
}

static void test_round_trip_services(void **state)
{
	struct ipvs_service v[4];
	uint8_t buf[IPVS_MSG_MAX];

	(void)state;
	memset(v, 0, sizeof(v));
	v[0] = (struct ipvs_service){ .af = AF_INET, .protocol = IPPROTO_SCTP, .port = 5000,
				      .flags = IP_VS_SVC_F_PERSISTENT, .timeout_s = 3600,
				      .netmask = 0xffffffffu };
	v[0].addr = ip("192.0.2.1");
	strcpy(v[0].sched_name, "lblcr");
	strcpy(v[0].pe_name, "sip");
	v[1] = (struct ipvs_service){ .af = AF_INET6, .protocol = IPPROTO_UDP, .port = 53,
				      .flags = IP_VS_SVC_F_ONEPACKET, .netmask = 64,
				      .has_stats = true };
	v[1].addr = ip("2001:db8::ffff:1");
	v[1].stats = big_stats(UINT64_C(1) << 40);	/* beyond 32 bits */
	strcpy(v[1].sched_name, "mh");
	v[2] = (struct ipvs_service){ .af = AF_INET, .fwmark = 0xfffffffeu,
				      .flags = IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 |
					       IP_VS_SVC_F_SCHED3, .netmask = 0xffffffffu };
	strcpy(v[2].sched_name, "sh");
	v[3] = (struct ipvs_service){ .af = AF_INET6, .fwmark = 1, .netmask = 128 };
	strcpy(v[3].sched_name, "123456789012345");	/* the longest name */
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct ipvs_msg m = { .cmd = IPVS_CMD_NEW_SERVICE, .has_svc = true, .svc = v[i] };
		struct ipvs_msg back;
		int n = ipvs_msg_build(&m, 0x1234, NLM_F_REQUEST, (uint32_t)i, buf, sizeof(buf));

		assert_true(n > 0);
		back = decode_ok(buf, (size_t)n);
		assert_svc_eq(&back.svc, &v[i]);
		assert_int_equal(ipvs_service_key_cmp(&back.svc, &v[i]), 0);
		assert_false(ipvs_service_params_differ(&back.svc, &v[i]));
	}
}

static void test_round_trip_dests(void **state)
{
	struct ipvs_service svc = { .af = AF_INET6, .protocol = IPPROTO_TCP, .port = 443 };
	struct ipvs_dest v[4];
	uint8_t buf[IPVS_MSG_MAX];

	(void)state;
	svc.addr = ip("2001:db8::1");
	memset(v, 0, sizeof(v));
	v[0] = (struct ipvs_dest){ .af = AF_INET6, .port = 8443, .conn_flags = IP_VS_CONN_F_MASQ,
				   .weight = 65535, .u_threshold = 1000, .l_threshold = 900 };
	v[0].addr = ip("2001:db8::2");
	/* an IPv4 real server behind an IPv6 service (tunnel) */
	v[1] = (struct ipvs_dest){ .af = AF_INET, .port = 443, .conn_flags = IP_VS_CONN_F_TUNNEL,
				   .weight = 1, .tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE,
				   .tun_port = 6080, .tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM };
	v[1].addr = ip("198.51.100.7");
	v[2] = (struct ipvs_dest){ .af = AF_INET6, .port = 443, .conn_flags = IP_VS_CONN_F_DROUTE,
				   .weight = 0, .has_stats = true, .active_conns = 7,
				   .inact_conns = 8, .persist_conns = 9 };
	v[2].addr = ip("2001:db8::3");
	v[2].stats = big_stats(UINT64_C(0xfffffffffffff000));
	v[3] = (struct ipvs_dest){ .af = AF_INET6, .port = 1, .conn_flags = IP_VS_CONN_F_TUNNEL,
				   .tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GRE,
				   .tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM };
	v[3].addr = ip("::1");
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct ipvs_msg m = { .cmd = IPVS_CMD_NEW_DEST, .has_svc = true, .svc = svc,
				      .has_dest = true, .dest = v[i] };
		struct ipvs_msg back;
		int n = ipvs_msg_build(&m, 0x1234, NLM_F_REQUEST, 1, buf, sizeof(buf));

		assert_true(n > 0);
		back = decode_ok(buf, (size_t)n);
		assert_int_equal(ipvs_service_key_cmp(&back.svc, &svc), 0);
		assert_dest_eq(&back.dest, &v[i]);
		assert_int_equal(ipvs_dest_key_cmp(&back.dest, &v[i], svc.af), 0);
		assert_false(ipvs_dest_params_differ(&back.dest, &v[i]));
	}
}

static void test_round_trip_daemon_timeouts(void **state)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_NEW_DAEMON, .has_daemon = true }, back;
	uint8_t buf[IPVS_MSG_MAX];
	int n;

	(void)state;
	m.daemon.state = IP_VS_STATE_BACKUP;
	strcpy(m.daemon.mcast_ifn, "bond0.1234567890");	/* cut to 15 characters */
	m.daemon.syncid = 255;
	m.daemon.sync_maxlen = 1400;
	m.daemon.mcast_af = AF_INET6;
	m.daemon.mcast_group = ip("ff02::1:2");
	m.daemon.mcast_port = 9000;
	m.daemon.mcast_ttl = 255;
	n = ipvs_msg_build(&m, 0x20, 0, 1, buf, sizeof(buf));
	assert_true(n > 0);
	back = decode_ok(buf, (size_t)n);
	assert_string_equal(back.daemon.mcast_ifn, "bond0.123456789");
	assert_int_equal(back.daemon.mcast_af, AF_INET6);
	assert_memory_equal(back.daemon.mcast_group.b, m.daemon.mcast_group.b, 16);
	assert_int_equal(back.daemon.mcast_port, 9000);
	assert_int_equal(back.daemon.mcast_ttl, 255);
	assert_int_equal(back.daemon.sync_maxlen, 1400);
	assert_int_equal(back.daemon.syncid, 255);

	memset(&m, 0, sizeof(m));
	m.cmd = IPVS_CMD_SET_CONFIG;
	m.has_timeouts = true;
	m.timeouts.tcp_s = 7200;
	m.timeouts.udp_s = 60;		/* tcpfin 0: not sent, unchanged */
	n = ipvs_msg_build(&m, 0x20, 0, 1, buf, sizeof(buf));
	assert_int_equal(n, NLMSG_HDRLEN + GENL_HDRLEN + 16);
	back = decode_ok(buf, (size_t)n);
	assert_int_equal(back.timeouts.tcp_s, 7200);
	assert_int_equal(back.timeouts.tcpfin_s, 0);
	assert_int_equal(back.timeouts.udp_s, 60);

	memset(&m, 0, sizeof(m));
	m.cmd = IPVS_CMD_SET_INFO;
	m.has_info = true;
	m.info.version = 0x010203;
	m.info.conn_tab_size = 1u << 20;
	n = ipvs_msg_build(&m, 0x20, 0, 1, buf, sizeof(buf));
	back = decode_ok(buf, (size_t)n);
	assert_true(back.has_info);
	assert_int_equal(back.info.version, 0x010203);
	assert_int_equal(back.info.conn_tab_size, 1u << 20);
}

/* ------------------------------------------------------------------ */
/* what older or other kernels may send */

static void test_legacy_stats_and_padding(void **state)
{
	struct tlv st = { .n = 0 }, svc = { .n = 0 }, st64 = { .n = 0 };
	uint8_t msg[1200];
	uint16_t af = AF_INET, pad = 0;
	struct ipvs_msg m;
	size_t n;

	(void)state;
	/* the old IPVS_SVC_ATTR_STATS: u32 counters, u64 bytes */
	put32(&st, IPVS_STATS_ATTR_CONNS, 11);
	put32(&st, IPVS_STATS_ATTR_INPKTS, 12);
	put32(&st, IPVS_STATS_ATTR_OUTPKTS, 13);
	put64(&st, IPVS_STATS_ATTR_INBYTES, UINT64_C(0x100000000));
	put64(&st, IPVS_STATS_ATTR_OUTBYTES, 15);
	put32(&st, IPVS_STATS_ATTR_CPS, 16);
	put(&svc, IPVS_SVC_ATTR_AF, &af, 2);
	put32(&svc, IPVS_SVC_ATTR_FWMARK, 3);
	put(&svc, IPVS_SVC_ATTR_STATS, st.b, (uint16_t)st.n);
	n = wrap(msg, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE, &svc);
	m = decode_ok(msg, n);
	assert_true(m.svc.has_stats);
	assert_int_equal(m.svc.fwmark, 3);
	assert_int_equal(m.svc.stats.conns, 11);
	assert_int_equal(m.svc.stats.inbytes, UINT64_C(0x100000000));
	assert_int_equal(m.svc.stats.cps, 16);
	assert_int_equal(m.svc.stats.outbps, 0);

	/* STATS64 with the PAD attributes the kernel adds where u64 needs
	 * alignment, and the nest flag set: both skipped/masked */
	put(&st64, IPVS_STATS_ATTR_PAD, &pad, 0);
	put64(&st64, IPVS_STATS_ATTR_CONNS, UINT64_C(5000000000));
	put(&st64, IPVS_STATS_ATTR_PAD, &pad, 0);
	put64(&st64, IPVS_STATS_ATTR_OUTBPS, 77);
	svc.n = 0;
	put(&svc, IPVS_SVC_ATTR_AF, &af, 2);
	put32(&svc, IPVS_SVC_ATTR_FWMARK, 3);
	put(&svc, IPVS_SVC_ATTR_STATS, st.b, (uint16_t)st.n);
	put(&svc, IPVS_SVC_ATTR_STATS64 | NLA_F_NESTED, st64.b, (uint16_t)st64.n);
	put32(&svc, 200, 0xdeadbeef);	/* unknown: skipped */
	n = wrap(msg, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, &svc);
	m = decode_ok(msg, n);
	assert_int_equal(m.svc.stats.conns, UINT64_C(5000000000));	/* STATS64 wins */
	assert_int_equal(m.svc.stats.outbps, 77);
	assert_int_equal(m.svc.stats.inpkts, 0);
}

/* ------------------------------------------------------------------ */
/* malformed input */

static void test_malformed(void **state)
{
	uint8_t msg[1200];
	struct tlv svc = { .n = 0 };
	struct ipvs_msg m;
	char err[128];
	uint16_t af = AF_INET, port = 80;
	struct nlmsghdr nh;
	size_t n;

	(void)state;
	/* shorter than the headers; longer nlmsg_len than the buffer */
	assert_int_equal(ipvs_msg_decode(cap_info, 19, &m, NULL, 0), -EBADMSG);
	assert_int_equal(ipvs_msg_decode(cap_info, sizeof(cap_info) - 1, &m, err, sizeof(err)),
			 -EBADMSG);
	assert_non_null(strstr(err, "netlink length"));
	/* NLMSG_ERROR and DONE are not generic netlink messages */
	memcpy(msg, cap_info, sizeof(cap_info));
	nh.nlmsg_type = NLMSG_ERROR;
	memcpy(&msg[4], &nh.nlmsg_type, 2);
	assert_int_equal(ipvs_msg_decode(msg, sizeof(cap_info), &m, NULL, 0), -EINVAL);
	/* a service without address family */
	put32(&svc, IPVS_SVC_ATTR_FWMARK, 1);
	n = wrap(msg, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE, &svc);
	assert_int_equal(ipvs_msg_decode(msg, n, &m, err, sizeof(err)), -EBADMSG);
	assert_string_equal(err, "service without address family");
	/* a port of one byte */
	svc.n = 0;
	put(&svc, IPVS_SVC_ATTR_AF, &af, 2);
	put(&svc, IPVS_SVC_ATTR_PORT, &port, 1);
	n = wrap(msg, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE, &svc);
	assert_int_equal(ipvs_msg_decode(msg, n, &m, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "u16 expected"));
	/* an attribute length below its header, and one past its nest */
	svc.n = 0;
	put(&svc, IPVS_SVC_ATTR_AF, &af, 2);
	n = wrap(msg, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE, &svc);
	msg[NLMSG_HDRLEN + GENL_HDRLEN + 4] = 3;
	assert_int_equal(ipvs_msg_decode(msg, n, &m, err, sizeof(err)), -EBADMSG);
	msg[NLMSG_HDRLEN + GENL_HDRLEN + 4] = 12;
	assert_int_equal(ipvs_msg_decode(msg, n, &m, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "attribute length 12"));
	/* the output is untouched on failure */
	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(ipvs_msg_decode(msg, n, &m, NULL, 0), -EBADMSG);
	assert_int_equal(m.cmd, 0x5a);
}

/* Every truncation of every capture (nlmsg_len adjusted to match) either
 * decodes or fails cleanly: run under ASan, nothing is read out of bounds. */
static void test_truncations(void **state)
{
	const struct { const uint8_t *p; size_t n; } caps[] = {
		{ cap_info, sizeof(cap_info) }, { cap_service, sizeof(cap_service) },
		{ cap_dest0, sizeof(cap_dest0) }, { cap_dest1, sizeof(cap_dest1) },
		{ cap_daemon, sizeof(cap_daemon) }, { cap_config, sizeof(cap_config) },
	};
	unsigned ok = 0, bad = 0;

	(void)state;
	for (size_t c = 0; c < ARRAY_SIZE(caps); c++) {
		for (size_t len = NLMSG_HDRLEN + GENL_HDRLEN; len <= caps[c].n; len++) {
			uint8_t *b = malloc(len);
			uint32_t l = (uint32_t)len;
			struct ipvs_msg m;

			assert_non_null(b);
			memcpy(b, caps[c].p, len);
			memcpy(b, &l, 4);
			if (ipvs_msg_decode(b, len, &m, NULL, 0) == 0)
				ok++;
			else
				bad++;
			free(b);
		}
	}
	assert_true(ok >= ARRAY_SIZE(caps));	/* at least each whole capture */
	assert_true(bad > 100);
}

/* Random byte flips in the captures: no crash, no sanitizer report. */
static void test_mutations(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	uint8_t b[sizeof(cap_dest1)];
	unsigned decoded = 0;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		const uint8_t *src = i & 1 ? cap_dest1 : cap_service;
		size_t n = i & 1 ? sizeof(cap_dest1) : sizeof(cap_service);
		struct ipvs_msg m;

		memcpy(b, src, n);
		for (int k = 0; k < 1 + i % 4; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[NLMSG_HDRLEN + (x >> 8) % (n - NLMSG_HDRLEN)] = (uint8_t)x;
		}
		if (ipvs_msg_decode(b, n, &m, NULL, 0) == 0)
			decoded++;
	}
	assert_true(decoded > 0);
}

/* ------------------------------------------------------------------ */
/* encoding errors */

static void test_encode_errors(void **state)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_NEW_DEST, .has_svc = true, .has_dest = true };
	uint8_t buf[IPVS_MSG_MAX];
	int full;

	(void)state;
	m.svc.af = AF_INET6;
	m.svc.protocol = IPPROTO_TCP;
	m.svc.addr = ip("2001:db8::1");
	m.svc.port = 80;
	m.dest.af = AF_INET;
	m.dest.addr = ip("192.0.2.9");
	m.dest.port = 80;
	m.dest.conn_flags = IP_VS_CONN_F_TUNNEL;
	full = ipvs_msg_encode(&m, buf, sizeof(buf));
	assert_true(full > 0 && full <= IPVS_MSG_MAX);
	for (int len = 0; len < full; len++)
		assert_int_equal(ipvs_msg_encode(&m, buf, (size_t)len), -ENOBUFS);
	assert_int_equal(ipvs_msg_build(&m, 1, 0, 1, buf, 10), -ENOBUFS);
	m.has_dest = false;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), -EINVAL);
	m.has_dest = true;
	m.dest.af = AF_UNIX;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), -EINVAL);
	m.svc.af = AF_UNSPEC;
	m.cmd = IPVS_CMD_NEW_SERVICE;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), -EINVAL);
	m.cmd = IPVS_CMD_NEW_DAEMON;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), -EINVAL);	/* no daemon */
	m.cmd = IPVS_CMD_SET_CONFIG;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), -EINVAL);	/* no time-outs */
	m.cmd = 200;
	assert_int_equal(ipvs_msg_encode(&m, buf, sizeof(buf)), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* keys, differences, names */

static void test_keys_and_params(void **state)
{
	struct ipvs_service a = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 }, b;
	struct ipvs_dest d = { .af = 0, .port = 80, .weight = 1 }, e;

	(void)state;
	a.addr = ip("10.0.0.1");
	strcpy(a.sched_name, "rr");
	b = a;
	strcpy(b.sched_name, "wlc");
	b.flags = IP_VS_SVC_F_HASHED;		/* the kernel's own flag */
	b.has_stats = true;
	b.stats.conns = 9;
	assert_int_equal(ipvs_service_key_cmp(&a, &b), 0);
	assert_true(ipvs_service_params_differ(&a, &b));	/* scheduler */
	strcpy(b.sched_name, "rr");
	assert_false(ipvs_service_params_differ(&a, &b));	/* HASHED does not count */
	b.flags |= IP_VS_SVC_F_PERSISTENT;
	assert_true(ipvs_service_params_differ(&a, &b));
	b = a;
	b.timeout_s = 1;
	assert_true(ipvs_service_params_differ(&a, &b));
	b = a;
	b.netmask = 1;
	assert_true(ipvs_service_params_differ(&a, &b));
	b = a;
	strcpy(b.pe_name, "sip");
	assert_true(ipvs_service_params_differ(&a, &b));
	b = a;
	b.port = 81;
	assert_true(ipvs_service_key_cmp(&a, &b) < 0);
	b = a;
	b.protocol = IPPROTO_UDP;
	assert_true(ipvs_service_key_cmp(&a, &b) != 0);
	/* fwmark services: only af and mark count */
	b = a;
	a.fwmark = b.fwmark = 5;
	b.protocol = 0;
	b.port = 1;
	assert_int_equal(ipvs_service_key_cmp(&a, &b), 0);
	b.af = AF_INET6;
	assert_true(ipvs_service_key_cmp(&a, &b) != 0);
	b.af = AF_INET;
	b.fwmark = 6;
	assert_true(ipvs_service_key_cmp(&a, &b) < 0);

	d.addr = ip("10.0.0.2");
	e = d;
	e.af = AF_INET;				/* explicit = the service's */
	e.weight = 2;
	assert_int_equal(ipvs_dest_key_cmp(&d, &e, AF_INET), 0);
	assert_true(ipvs_dest_key_cmp(&d, &e, AF_INET6) != 0);
	assert_true(ipvs_dest_params_differ(&d, &e));
	e = d;
	e.conn_flags = IP_VS_CONN_F_DROUTE;
	assert_true(ipvs_dest_params_differ(&d, &e));
	e = d;
	e.u_threshold = 1;
	assert_true(ipvs_dest_params_differ(&d, &e));
	e = d;
	e.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;	/* not a tunnel: ignored */
	e.conn_flags = IP_VS_CONN_F_MASQ | IP_VS_CONN_F_INACTIVE;	/* not FWD bits */
	assert_false(ipvs_dest_params_differ(&d, &e));
	d.conn_flags = e.conn_flags = IP_VS_CONN_F_TUNNEL;
	e.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
	e.tun_port = 99;			/* only GUE has a port */
	assert_false(ipvs_dest_params_differ(&d, &e));
	d.tun_type = e.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	assert_true(ipvs_dest_params_differ(&d, &e));
}

static void test_names(void **state)
{
	struct ipvs_service s = { .af = AF_INET6, .protocol = IPPROTO_UDP, .port = 53 };
	struct ipvs_dest d = { .af = AF_INET, .port = 0 };
	char buf[IPVS_LABEL_MAX], small[8];

	(void)state;
	assert_int_equal(ipvs_netmask_from_plen(AF_INET, 24), htonl(0xffffff00u));
	assert_int_equal(ipvs_netmask_from_plen(AF_INET, 1), htonl(0x80000000u));
	assert_int_equal(ipvs_netmask_from_plen(AF_INET, 0), 0xffffffffu);
	assert_int_equal(ipvs_netmask_from_plen(AF_INET, 32), 0xffffffffu);
	assert_int_equal(ipvs_netmask_from_plen(AF_INET6, 64), 64);
	assert_int_equal(ipvs_netmask_from_plen(AF_INET6, 0), 128);
	assert_int_equal(ipvs_netmask_from_plen(AF_INET6, 200), 128);
	s.addr = ip("2001:db8::1");
	assert_string_equal(ipvs_service_label(&s, buf, sizeof(buf)), "UDP [2001:db8::1]:53");
	s.protocol = IPPROTO_SCTP;
	s.af = AF_INET;
	s.addr = ip("10.1.2.3");
	assert_string_equal(ipvs_service_label(&s, buf, sizeof(buf)), "SCTP 10.1.2.3:53");
	s.fwmark = 42;
	assert_string_equal(ipvs_service_label(&s, buf, sizeof(buf)), "FWM 42");
	s.af = AF_INET6;
	assert_string_equal(ipvs_service_label(&s, buf, sizeof(buf)), "FWM 42 IPv6");
	assert_string_equal(ipvs_service_label(&s, small, sizeof(small)), "FWM 42 ");
	d.addr = ip("192.0.2.1");
	assert_string_equal(ipvs_dest_label(&d, AF_INET6, buf, sizeof(buf)), "192.0.2.1:0");
	assert_string_equal(ipvs_fwd_name(IP_VS_CONN_F_DROUTE), "Route");
	assert_string_equal(ipvs_fwd_name(IP_VS_CONN_F_LOCALNODE), "Local");
	assert_string_equal(ipvs_fwd_name(IP_VS_CONN_F_BYPASS), "Bypass");
	assert_string_equal(ipvs_fwd_name(7), "?");
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_new_service),
		cmocka_unit_test(test_golden_del_dest),
		cmocka_unit_test(test_golden_fwmark_and_daemon),
		cmocka_unit_test(test_captured_info_config),
		cmocka_unit_test(test_captured_service),
		cmocka_unit_test(test_captured_dests),
		cmocka_unit_test(test_captured_daemon),
		cmocka_unit_test(test_captured_reencode),
		cmocka_unit_test(test_round_trip_services),
		cmocka_unit_test(test_round_trip_dests),
		cmocka_unit_test(test_round_trip_daemon_timeouts),
		cmocka_unit_test(test_legacy_stats_and_padding),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_keys_and_params),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
