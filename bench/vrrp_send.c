// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrp_send: sends VRRP advertisements, valid or deliberately broken, on
 * a raw socket, at a given rate for a given time, and prints how many it
 * sent. A test and benchmark tool: it builds its packets with its own
 * encoder (not alived's codec), so the codec is checked against an
 * independent reading of RFC 3768 (v2) and RFC 5798 (v3).
 *
 *   vrrp_send -i IFNAME [-6] [-v 2|3] [-r VRID] [-p PRIO] [-I SECONDS]
 *             [-a ADDR]... [-P PASSWORD] [-s SRC] [-d DST] [-k KINDS]
 *             [-V BADVRID] [-M MAC] [-R RATE] [-t SECONDS] [-n COUNT] [-q]
 *
 * KINDS is a comma-separated list; the packets rotate through it:
 *   valid      a correct advert
 *   checksum   wrong checksum
 *   ttl        TTL / hop limit 64 (RFC 5798 §7.1 wants 255)
 *   vrid       VRID -V (default: VRID + 1), otherwise correct
 *   auth       v2 over IPv4: Auth Type PASS with a wrong password
 *   authtype   v2: Auth Type 7 (no such type)
 *   short      the last 4 bytes cut off, checksum over what is sent
 *   version    the other version number (2 <-> 3), otherwise correct
 *   type       Type 2 (only 1, ADVERTISEMENT, exists)
 *   addrlist   one address more than -a gives (count and length agree)
 *   addrcount  Count IP Addrs one more than the addresses present
 *   interval   v2: Adver Int one second more than -I
 *   all        every broken kind that applies to the version and family
 *              (v3: without addrlist, which RFC 5798 §7.1 accepts)
 *
 * -M MAC sends each packet in an Ethernet frame to that MAC address (a
 * packet socket; the IP header is ours), whatever the IP destination: so
 * adverts to the VRRP group can reach one router only, as a flood aimed at
 * one host of a switched LAN would.
 *
 * v2 over IPv6 uses keepalived's layout (no RFC has it): the v2 header,
 * the addresses, no authentication data, and the checksum with the IPv6
 * pseudo-header.
 *
 * Output (stdout, one line):
 *   sent N in S.SSS s (R/s), errors E; KIND n, KIND n, ...
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VRRP_PROTO	112
#define MAX_ADDRS	32
#define MAX_MSG		(8 + 255 * 16 + 8)
#define BATCH		64
#define IP4_HDR_LEN	20
#define IP6_HDR_LEN	40

enum kind {
	K_VALID,
	K_CHECKSUM,
	K_TTL,
	K_VRID,
	K_AUTH,
	K_AUTHTYPE,
	K_SHORT,
	K_VERSION,
	K_TYPE,
	K_ADDRLIST,
	K_ADDRCOUNT,
	K_INTERVAL,
	K__COUNT,
};

static const char *const kind_names[] = {
	[K_VALID] = "valid",
	[K_CHECKSUM] = "checksum",
	[K_TTL] = "ttl",
	[K_VRID] = "vrid",
	[K_AUTH] = "auth",
	[K_AUTHTYPE] = "authtype",
	[K_SHORT] = "short",
	[K_VERSION] = "version",
	[K_TYPE] = "type",
	[K_ADDRLIST] = "addrlist",
	[K_ADDRCOUNT] = "addrcount",
	[K_INTERVAL] = "interval",
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == K__COUNT, "kind_names");

union addr {
	struct in_addr v4;
	struct in6_addr v6;
};

struct opts {
	const char *ifname;
	int family;
	unsigned version, vrid, bad_vrid, prio;
	unsigned interval_cs;
	union addr addrs[MAX_ADDRS];
	unsigned naddr;
	bool have_pass;
	char pass[8];
	bool have_src, have_dst;
	union addr src, dst;
	bool l2;			/* -M: packet socket to l2_dst */
	uint8_t l2_dst[6];
	double rate, duration_s;
	unsigned long count;
	bool quiet;
};

/* One prepared packet: for IPv4, and for IPv6 with -M, it includes the IP
 * header (IP_HDRINCL or packet socket). */
struct pkt {
	enum kind kind;
	uint8_t buf[IP6_HDR_LEN + MAX_MSG];
	size_t len;
	int hops;		/* IPv6: hop limit to send with */
};

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "vrrp_send: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (uint32_t)(p[len - 1] << 8);
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* RFC 3768 §5.3.8 (v2 over IPv4: the message only); RFC 5798 §5.2.8
 * (v3, and v2 over IPv6: with the IP pseudo-header). */
static uint16_t vrrp_csum(const struct opts *o, bool pseudo, const uint8_t *msg, size_t len)
{
	uint8_t ph[40];
	uint32_t acc = 0;

	if (pseudo && o->family == AF_INET) {
		memcpy(ph, &o->src.v4, 4);
		memcpy(ph + 4, &o->dst.v4, 4);
		ph[8] = 0;
		ph[9] = VRRP_PROTO;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		acc = sum16(ph, 12, 0);
	} else if (pseudo) {
		memcpy(ph, &o->src.v6, 16);
		memcpy(ph + 16, &o->dst.v6, 16);
		ph[32] = ph[33] = 0;
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = VRRP_PROTO;
		acc = sum16(ph, 40, 0);
	}
	return fold(sum16(msg, len, acc));
}

static bool kind_applies(const struct opts *o, enum kind k)
{
	switch (k) {
	case K_AUTH:
		return o->version == 2 && o->family == AF_INET;
	case K_AUTHTYPE:
	case K_INTERVAL:
		return o->version == 2;
	default:
		return true;
	}
}

/* Writes the VRRP message of kind k at msg; returns its length. */
static size_t build_msg(const struct opts *o, enum kind k, uint8_t *msg)
{
	size_t alen = o->family == AF_INET ? 4 : 16;
	unsigned naddr = o->naddr, ver = o->version, type = 1, vrid = o->vrid;
	bool v2auth = o->version == 2 && o->family == AF_INET;
	bool pseudo = !(o->version == 2 && o->family == AF_INET);
	unsigned count;
	size_t len, i;
	uint16_t c;

	if (k == K_VERSION)
		ver = o->version == 2 ? 3 : 2;
	if (k == K_TYPE)
		type = 2;
	if (k == K_VRID)
		vrid = o->bad_vrid;
	if (k == K_ADDRLIST)
		naddr++;
	count = k == K_ADDRCOUNT ? naddr + 1 : naddr;
	msg[0] = (uint8_t)(ver << 4 | type);
	msg[1] = (uint8_t)vrid;
	msg[2] = (uint8_t)o->prio;
	msg[3] = (uint8_t)count;
	if (o->version == 2) {
		unsigned secs = o->interval_cs / 100 + (k == K_INTERVAL);

		msg[4] = o->have_pass ? 1 : 0;		/* Auth Type */
		if (k == K_AUTH)
			msg[4] = 1;
		if (k == K_AUTHTYPE)
			msg[4] = 7;
		msg[5] = (uint8_t)(secs > 255 ? 255 : secs);
	} else {
		msg[4] = (uint8_t)(o->interval_cs >> 8 & 0x0f);	/* Rsvd 0, Max Adver Int */
		msg[5] = (uint8_t)o->interval_cs;
	}
	msg[6] = msg[7] = 0;
	len = 8;
	for (i = 0; i < o->naddr; i++, len += alen)
		memcpy(msg + len, &o->addrs[i], alen);
	if (k == K_ADDRLIST) {
		/* 198.51.100.250 / 2001:db8::fa: documentation ranges, payload only */
		static const uint8_t x4[4] = { 198, 51, 100, 250 };
		static const uint8_t x6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xfa };

		memcpy(msg + len, o->family == AF_INET ? x4 : x6, alen);
		len += alen;
	}
	if (v2auth) {
		memset(msg + len, 0, 8);
		if (o->have_pass && k != K_AUTH && k != K_AUTHTYPE)
			memcpy(msg + len, o->pass, 8);
		if (k == K_AUTH) {
			/* a password that differs from -P (or from none) */
			memcpy(msg + len, o->have_pass ? o->pass : "wrong!!", 8);
			msg[len] ^= 0x20;
			if (!msg[len])
				msg[len] = 'x';
		}
		len += 8;
	}
	if (k == K_SHORT)
		len -= 4;
	if (len >= 8) {
		c = vrrp_csum(o, pseudo, msg, len);
		if (k == K_CHECKSUM)
			c ^= 0x5a5a;
		msg[6] = (uint8_t)(c >> 8);
		msg[7] = (uint8_t)c;
	}
	return len;
}

static void build(const struct opts *o, enum kind k, struct pkt *p)
{
	int ttl = k == K_TTL ? 64 : 255;
	struct ip *ip = (struct ip *)p->buf;
	size_t mlen;

	p->kind = k;
	p->hops = ttl;
	if (o->family == AF_INET6 && !o->l2) {
		p->len = build_msg(o, k, p->buf);
		return;
	}
	if (o->family == AF_INET6) {
		/* RFC 8200 §3; traffic class 0xc0, as routers send VRRP */
		mlen = build_msg(o, k, p->buf + IP6_HDR_LEN);
		memset(p->buf, 0, IP6_HDR_LEN);
		p->buf[0] = 0x6c;
		p->buf[4] = (uint8_t)(mlen >> 8);
		p->buf[5] = (uint8_t)mlen;
		p->buf[6] = VRRP_PROTO;
		p->buf[7] = (uint8_t)ttl;
		memcpy(p->buf + 8, &o->src.v6, 16);
		memcpy(p->buf + 24, &o->dst.v6, 16);
		p->len = IP6_HDR_LEN + mlen;
		return;
	}
	mlen = build_msg(o, k, p->buf + IP4_HDR_LEN);

	memset(ip, 0, IP4_HDR_LEN);
	ip->ip_v = 4;
	ip->ip_hl = IP4_HDR_LEN / 4;
	ip->ip_tos = 0xc0;		/* network control, as routers send VRRP */
	ip->ip_len = htons((uint16_t)(IP4_HDR_LEN + mlen));
	ip->ip_ttl = (uint8_t)ttl;
	ip->ip_p = VRRP_PROTO;
	ip->ip_src = o->src.v4;
	ip->ip_dst = o->dst.v4;		/* id and header checksum: the kernel's, */
	p->len = IP4_HDR_LEN + mlen;
	if (o->l2) {			/* but not on a packet socket */
		ip->ip_id = htons((uint16_t)(k + 1));
		ip->ip_sum = htons(fold(sum16(p->buf, IP4_HDR_LEN, 0)));
	}
}

static void parse_addr(int family, const char *s, union addr *ret)
{
	if (inet_pton(family, s, ret) != 1)
		die("bad address for this family: %s", s);
}

/* The interface's first address of the family (IPv6: link-local). */
static void default_src(const struct opts *o, union addr *ret)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa) < 0)
		die("getifaddrs: %s", strerror(errno));
	for (i = ifa; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != o->family ||
		    strcmp(i->ifa_name, o->ifname))
			continue;
		if (o->family == AF_INET) {
			ret->v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			found = true;
		} else {
			struct in6_addr *a = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			if (IN6_IS_ADDR_LINKLOCAL(a)) {
				ret->v6 = *a;
				found = true;
			}
		}
	}
	freeifaddrs(ifa);
	if (!found)
		die("no source address on %s (give -s)", o->ifname);
}

static int open_sock(const struct opts *o, unsigned ifindex, int *ret_fd6_hops)
{
	int fd, hops = 255, zero = 0, one = 1;

	if (o->l2) {
		fd = socket(AF_PACKET, SOCK_DGRAM, 0);	/* sends only */
		if (fd < 0)
			die("socket: %s", strerror(errno));
		/* straight to the driver: a flood needs no qdisc */
		setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
		return fd;
	}
	if (o->family == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = (int)ifindex };

		fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);	/* implies IP_HDRINCL */
		if (fd < 0)
			die("socket: %s", strerror(errno));
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0)
			die("IP_MULTICAST_IF: %s", strerror(errno));
		/* no copy to ourselves: halves the cost of a multicast flood */
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero));
	} else {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = o->src.v6 };

		fd = socket(AF_INET6, SOCK_RAW, VRRP_PROTO);
		if (fd < 0)
			die("socket: %s", strerror(errno));
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0)
			die("IPV6_MULTICAST_IF: %s", strerror(errno));
		if (IN6_IS_ADDR_LINKLOCAL(&sa.sin6_addr))
			sa.sin6_scope_id = ifindex;
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			die("bind to the source address: %s", strerror(errno));
		setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
		setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
		*ret_fd6_hops = hops;
		setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o->ifname,
		       (socklen_t)strlen(o->ifname)) < 0)
		die("SO_BINDTODEVICE: %s", strerror(errno));
	return fd;
}

static void set_hops(int fd, int hops)
{
	setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
	setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void add_kinds(struct opts *o, const char *list, enum kind *seq, unsigned *n)
{
	char *dup = strdup(list), *tok, *save = NULL;
	unsigned k;

	if (!dup)
		die("%s", "out of memory");
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			/* v3 accepts an address-list mismatch (RFC 5798 §7.1
			 * only logs it), so it is no malformed packet there */
			for (k = K_VALID + 1; k < K__COUNT; k++)
				if (kind_applies(o, (enum kind)k) &&
				    !(k == K_ADDRLIST && o->version == 3))
					seq[(*n)++] = (enum kind)k;
			continue;
		}
		for (k = 0; k < K__COUNT && strcmp(tok, kind_names[k]); k++)
			;
		if (k == K__COUNT)
			die("unknown kind: %s", tok);
		if (!kind_applies(o, (enum kind)k))
			die("kind %s does not apply to this version and family", tok);
		if (*n >= 2 * K__COUNT)
			die("%s", "too many kinds");
		seq[(*n)++] = (enum kind)k;
	}
	free(dup);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vrrp_send -i IFNAME [-6] [-v 2|3] [-r VRID] [-p PRIO] [-I SECONDS]\n"
		"                 [-a ADDR]... [-P PASSWORD] [-s SRC] [-d DST] [-k KINDS]\n"
		"                 [-V BADVRID] [-M MAC] [-R RATE] [-t SECONDS] [-n COUNT] [-q]\n"
		"kinds: valid checksum ttl vrid auth authtype short version type addrlist\n"
		"       addrcount interval all (comma-separated; default valid)\n");
	exit(2);
}

static unsigned long num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v > max)
		die("bad number: %s", s);
	return v;
}

static double fnum(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (*end || end == s || v < 0)
		die("bad number: %s", s);
	return v;
}

int main(int argc, char **argv)
{
	static struct pkt pkts[2 * K__COUNT];
	struct opts o = { .family = AF_INET, .version = 2, .vrid = 1, .prio = 254,
			  .interval_cs = 100, .rate = 1, .duration_s = -1 };
	const char *kinds = "valid", *addr_args[MAX_ADDRS], *src_arg = NULL, *dst_arg = NULL;
	unsigned long per_kind[K__COUNT] = { 0 }, sent = 0, errors = 0;
	enum kind seq[2 * K__COUNT];
	unsigned nseq = 0, nargs = 0, ifindex, i, next = 0;
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
		struct sockaddr_ll ll;
	} to;
	double t0, t, elapsed;
	int fd, c, cur_hops = 255, bad_vrid = -1;
	char junk;

	while ((c = getopt(argc, argv, "i:6v:r:p:I:a:P:s:d:k:V:M:R:t:n:qh")) != -1) {
		switch (c) {
		case 'i': o.ifname = optarg; break;
		case '6': o.family = AF_INET6; break;
		case 'v': o.version = (unsigned)num(optarg, 3); break;
		case 'r': o.vrid = (unsigned)num(optarg, 255); break;
		case 'p': o.prio = (unsigned)num(optarg, 255); break;
		case 'I': o.interval_cs = (unsigned)(fnum(optarg) * 100 + 0.5); break;
		case 'a':
			if (nargs == MAX_ADDRS)
				die("%s", "too many -a");
			addr_args[nargs++] = optarg;
			break;
		case 'P':
			o.have_pass = true;
			/* zero padded, at most 8 bytes (RFC 2338 §5.3.10) */
			memcpy(o.pass, optarg, strnlen(optarg, sizeof(o.pass)));
			break;
		case 's': src_arg = optarg; break;
		case 'd': dst_arg = optarg; break;
		case 'k': kinds = optarg; break;
		case 'V': bad_vrid = (int)num(optarg, 255); break;
		case 'M':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx%c", &o.l2_dst[0],
				   &o.l2_dst[1], &o.l2_dst[2], &o.l2_dst[3], &o.l2_dst[4],
				   &o.l2_dst[5], &junk) != 6)
				die("bad MAC address: %s", optarg);
			o.l2 = true;
			break;
		case 'R': o.rate = fnum(optarg); break;
		case 't': o.duration_s = fnum(optarg); break;
		case 'n': o.count = num(optarg, ~0UL); break;
		case 'q': o.quiet = true; break;
		default: usage();
		}
	}
	if (!o.ifname || optind != argc || o.version < 2 || o.rate <= 0)
		usage();
	if (o.duration_s < 0)	/* default: 1 s, or until -n COUNT are sent */
		o.duration_s = o.count ? 1e9 : 1;
	if (o.interval_cs < 1 || o.interval_cs > 4095)
		die("%s", "-I out of range (0.01 .. 40.95 s)");
	o.bad_vrid = bad_vrid >= 0 ? (unsigned)bad_vrid : o.vrid % 255 + 1;
	ifindex = if_nametoindex(o.ifname);
	if (!ifindex)
		die("no interface %s", o.ifname);
	for (i = 0; i < nargs; i++)
		parse_addr(o.family, addr_args[i], &o.addrs[i]);
	o.naddr = nargs;
	if (src_arg)
		parse_addr(o.family, src_arg, &o.src);
	else
		default_src(&o, &o.src);
	parse_addr(o.family, dst_arg ? dst_arg : o.family == AF_INET ? "224.0.0.18" : "ff02::12",
		   &o.dst);
	add_kinds(&o, kinds, seq, &nseq);
	for (i = 0; i < nseq; i++)
		build(&o, seq[i], &pkts[i]);

	fd = open_sock(&o, ifindex, &cur_hops);
	memset(&to, 0, sizeof(to));
	if (o.l2) {
		to.ll.sll_family = AF_PACKET;
		to.ll.sll_protocol = htons(o.family == AF_INET ? ETH_P_IP : ETH_P_IPV6);
		to.ll.sll_ifindex = (int)ifindex;
		to.ll.sll_halen = 6;
		memcpy(to.ll.sll_addr, o.l2_dst, 6);
	} else if (o.family == AF_INET) {
		to.v4.sin_family = AF_INET;
		to.v4.sin_addr = o.dst.v4;
	} else {
		to.v6.sin6_family = AF_INET6;
		to.v6.sin6_addr = o.dst.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&o.dst.v6) || IN6_IS_ADDR_MC_LINKLOCAL(&o.dst.v6))
			to.v6.sin6_scope_id = ifindex;
	}
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < BATCH; i++) {
		mm[i].msg_hdr.msg_name = &to;
		mm[i].msg_hdr.msg_namelen = o.l2 ? sizeof(to.ll) :
					    o.family == AF_INET ? sizeof(to.v4) : sizeof(to.v6);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}

	t0 = now_s();
	for (;;) {
		unsigned long due, want;
		unsigned n = 0;
		int r;

		t = now_s();
		elapsed = t - t0;
		if ((o.count && sent + errors >= o.count) || elapsed >= o.duration_s)
			break;
		due = (unsigned long)(elapsed * o.rate) + 1;
		if (due <= sent + errors) {
			double at = t0 + (double)(sent + errors) / o.rate;

			if (at > t0 + o.duration_s)
				at = t0 + o.duration_s;
			sleep_until(at);
			continue;
		}
		want = due - sent - errors;
		if (o.count && want > o.count - sent - errors)
			want = o.count - sent - errors;
		/* a batch of consecutive packets that share one hop limit */
		while (n < want && n < BATCH) {
			struct pkt *p = &pkts[(next + n) % nseq];

			if (o.family == AF_INET6 && !o.l2 && p->hops != cur_hops) {
				if (n)
					break;
				set_hops(fd, p->hops);
				cur_hops = p->hops;
			}
			iov[n].iov_base = p->buf;
			iov[n].iov_len = p->len;
			n++;
		}
		r = sendmmsg(fd, mm, n, 0);
		if (r < 0) {
			if (errors == 0 && !o.quiet)
				fprintf(stderr, "vrrp_send: send: %s\n", strerror(errno));
			errors++;
			next = (next + 1) % nseq;
			continue;
		}
		for (i = 0; i < (unsigned)r; i++)
			per_kind[pkts[(next + i) % nseq].kind]++;
		sent += (unsigned)r;
		next = (next + (unsigned)r) % nseq;
	}
	elapsed = now_s() - t0;
	printf("sent %lu in %.3f s (%.0f/s), errors %lu;", sent, elapsed,
	       elapsed > 0 ? (double)sent / elapsed : 0.0, errors);
	for (i = 0, c = 0; i < K__COUNT; i++)
		if (per_kind[i])
			printf("%s %s %lu", c++ ? "," : "", kind_names[i], per_kind[i]);
	printf("\n");
	close(fd);
	return errors && !sent ? 1 : 0;
}
