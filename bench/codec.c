// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Micro-benchmark of the VRRP codec: nanoseconds per decode and encode
 * for typical adverts, and for the costliest valid one (255 IPv6
 * addresses checked against a list in reverse order, the n * n path).
 * Each figure is the best of 5 rounds of ITERATIONS (fewer for the big
 * messages).
 *   bench/codec [ITERATIONS]
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "vrrp/vrrp_pkt.h"

#define ROUNDS	5

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct kase {
	const char *name;
	int family;
	unsigned version, naddr;
	bool check, reverse;
};

static void run(const struct kase *k, long iters)
{
	static struct vrrp_pkt p, d;
	static union vrrp_pkt_ipaddr list[VRRP_PKT_MAX_ADDRS];
	static uint8_t m[VRRP_PKT_MAX_LEN];
	struct vrrp_pkt_ctx c;
	size_t len = 0;
	unsigned i;
	double t0, t, t_dec, t_enc;
	long n;
	int r, err = 0;

	memset(&c, 0, sizeof(c));
	c.family = k->family;
	c.version = (uint8_t)k->version;
	memset(&c.src, 0x11, sizeof(c.src));
	memset(&c.dst, 0x22, sizeof(c.dst));
	c.ttl_or_hoplimit = 255;
	memset(&p, 0, sizeof(p));
	p.family = k->family;
	p.version = (uint8_t)k->version;
	p.type = VRRP_PKT_TYPE_ADVERT;
	p.vrid = 51;
	p.priority = 100;
	p.adver_int_cs = 100;
	p.naddr = (uint8_t)k->naddr;
	for (i = 0; i < k->naddr; i++) {
		p.addrs[i].v6.s6_addr[0] = 0xfd;
		p.addrs[i].v6.s6_addr[15] = (uint8_t)i;
		p.addrs[i].v4.s_addr = htonl(0x0a000000u + i);
		list[k->reverse ? k->naddr - 1 - i : i] = p.addrs[i];
	}
	if (k->check) {
		c.addrs = list;
		c.naddrs = k->naddr;
	}
	if (vrrp_pkt_encode(&p, &c, m, sizeof(m), &len) != 0) {
		fprintf(stderr, "%s: encode failed\n", k->name);
		exit(1);
	}
	/* best of ROUNDS: the least disturbed by other load on the machine */
	t_dec = t_enc = 1e30;
	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (n = 0; n < iters; n++)
			err |= vrrp_pkt_decode(m, len, &c, &d, NULL, 0);
		t = (now_ns() - t0) / (double)iters;
		t_dec = t < t_dec ? t : t_dec;
		t0 = now_ns();
		for (n = 0; n < iters; n++)
			err |= vrrp_pkt_encode(&p, &c, m, sizeof(m), &len);
		t = (now_ns() - t0) / (double)iters;
		t_enc = t < t_enc ? t : t_enc;
	}
	if (err) {
		fprintf(stderr, "%s: codec error %d\n", k->name, err);
		exit(1);
	}
	printf("%-44s %5zu B  decode %8.1f ns  encode %8.1f ns\n", k->name, len, t_dec, t_enc);
}

int main(int argc, char **argv)
{
	static const struct kase cases[] = {
		{ "v2 IPv4, 2 addresses, list checked", AF_INET, 2, 2, true, false },
		{ "v3 IPv4, 3 addresses, list checked", AF_INET, 3, 3, true, false },
		{ "v3 IPv6, 2 addresses, list checked", AF_INET6, 3, 2, true, false },
		{ "v3 IPv6, 255 addresses, not checked", AF_INET6, 3, 255, false, false },
		{ "v3 IPv6, 255 addresses, same order", AF_INET6, 3, 255, true, false },
		{ "v3 IPv6, 255 addresses, reverse (worst)", AF_INET6, 3, 255, true, true },
	};
	long iters = argc > 1 ? atol(argv[1]) : 200000;
	size_t i;

	if (iters <= 0)
		iters = 1;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i], cases[i].naddr > 100 ? iters / 50 + 1 : iters);
	return 0;
}
