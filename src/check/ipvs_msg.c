// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPVS generic netlink messages: encoding and decoding of the attributes
 * of <linux/ip_vs.h>, pure (no libnl, no I/O, no logging).
 *
 * Netlink attributes (RFC 3549 section 2.3.2; the kernel's
 * include/uapi/linux/netlink.h): a 4-byte header {u16 len, u16 type}, the
 * payload, padding to 4 bytes. A nest is an attribute whose payload is
 * attributes; it is sent with NLA_F_NESTED, which decoding masks off.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "check/ipvs_msg.h"

/* ---- writing ---- */

struct enc {
	uint8_t *p;
	size_t len, off;
	bool full;
};

static void enc_put(struct enc *e, uint16_t type, const void *data, size_t n)
{
	size_t need = NLA_ALIGN(NLA_HDRLEN + n);
	struct nlattr h;

	if (e->full || n > UINT16_MAX - NLA_HDRLEN || need > e->len - e->off) {
		e->full = true;
		return;
	}
	h.nla_len = (uint16_t)(NLA_HDRLEN + n);
	h.nla_type = type;
	memcpy(e->p + e->off, &h, sizeof(h));
	if (n)
		memcpy(e->p + e->off + NLA_HDRLEN, data, n);
	memset(e->p + e->off + NLA_HDRLEN + n, 0, need - NLA_HDRLEN - n);
	e->off += need;
}

static void enc_u8(struct enc *e, uint16_t type, uint8_t v)
{
	enc_put(e, type, &v, sizeof(v));
}

static void enc_u16(struct enc *e, uint16_t type, uint16_t v)
{
	enc_put(e, type, &v, sizeof(v));
}

static void enc_be16(struct enc *e, uint16_t type, uint16_t v)
{
	uint16_t n = htons(v);

	enc_put(e, type, &n, sizeof(n));
}

static void enc_u32(struct enc *e, uint16_t type, uint32_t v)
{
	enc_put(e, type, &v, sizeof(v));
}

static void enc_u64(struct enc *e, uint16_t type, uint64_t v)
{
	enc_put(e, type, &v, sizeof(v));
}

static void enc_str(struct enc *e, uint16_t type, const char *s, size_t max)
{
	size_t n = strnlen(s, max - 1);
	char buf[64];

	memcpy(buf, s, n);
	buf[n] = '\0';
	enc_put(e, type, buf, n + 1);
}

/* Returns the nest's offset, to be passed to enc_nest_end(). */
static size_t enc_nest_start(struct enc *e, uint16_t type)
{
	size_t at = e->off;

	enc_put(e, type | NLA_F_NESTED, NULL, 0);
	return at;
}

static void enc_nest_end(struct enc *e, size_t at)
{
	size_t n = e->off - at;
	uint16_t l;

	if (e->full)
		return;
	if (n > UINT16_MAX) {
		e->full = true;
		return;
	}
	l = (uint16_t)n;
	memcpy(e->p + at, &l, sizeof(l));	/* nla_len is the first field */
}

static size_t addr_len(uint16_t af)
{
	return af == AF_INET6 ? sizeof(struct in6_addr) : sizeof(struct in_addr);
}

static void enc_stats(struct enc *e, uint16_t type, const struct ipvs_stats *s)
{
	size_t n = enc_nest_start(e, type);

	enc_u64(e, IPVS_STATS_ATTR_CONNS, s->conns);
	enc_u64(e, IPVS_STATS_ATTR_INPKTS, s->inpkts);
	enc_u64(e, IPVS_STATS_ATTR_OUTPKTS, s->outpkts);
	enc_u64(e, IPVS_STATS_ATTR_INBYTES, s->inbytes);
	enc_u64(e, IPVS_STATS_ATTR_OUTBYTES, s->outbytes);
	enc_u64(e, IPVS_STATS_ATTR_CPS, s->cps);
	enc_u64(e, IPVS_STATS_ATTR_INPPS, s->inpps);
	enc_u64(e, IPVS_STATS_ATTR_OUTPPS, s->outpps);
	enc_u64(e, IPVS_STATS_ATTR_INBPS, s->inbps);
	enc_u64(e, IPVS_STATS_ATTR_OUTBPS, s->outbps);
	enc_nest_end(e, n);
}

static int enc_service(struct enc *e, const struct ipvs_service *s, bool full)
{
	struct ip_vs_flags fl = { .flags = s->flags, .mask = ~0u };
	uint8_t a[16] = { 0 };
	size_t n;

	if (s->af != AF_INET && s->af != AF_INET6)
		return -EINVAL;
	n = enc_nest_start(e, IPVS_CMD_ATTR_SERVICE);
	enc_u16(e, IPVS_SVC_ATTR_AF, s->af);
	if (s->fwmark) {
		enc_u32(e, IPVS_SVC_ATTR_FWMARK, s->fwmark);
	} else {
		enc_u16(e, IPVS_SVC_ATTR_PROTOCOL, s->protocol);
		/* the kernel reads a union nf_inet_addr: always 16 bytes */
		memcpy(a, s->addr.b, addr_len(s->af));
		enc_put(e, IPVS_SVC_ATTR_ADDR, a, sizeof(a));
		enc_be16(e, IPVS_SVC_ATTR_PORT, s->port);
	}
	if (full) {
		enc_str(e, IPVS_SVC_ATTR_SCHED_NAME, s->sched_name, sizeof(s->sched_name));
		if (s->pe_name[0])
			enc_str(e, IPVS_SVC_ATTR_PE_NAME, s->pe_name, sizeof(s->pe_name));
		enc_put(e, IPVS_SVC_ATTR_FLAGS, &fl, sizeof(fl));
		enc_u32(e, IPVS_SVC_ATTR_TIMEOUT, s->timeout_s);
		enc_u32(e, IPVS_SVC_ATTR_NETMASK, s->netmask);
		if (s->has_stats)
			enc_stats(e, IPVS_SVC_ATTR_STATS64, &s->stats);
	}
	enc_nest_end(e, n);
	return 0;
}

static int enc_dest(struct enc *e, const struct ipvs_dest *d, uint16_t svc_af, bool full)
{
	uint16_t af = d->af ? d->af : svc_af;
	uint8_t a[16] = { 0 };
	size_t n;

	if (af != AF_INET && af != AF_INET6)
		return -EINVAL;
	n = enc_nest_start(e, IPVS_CMD_ATTR_DEST);
	memcpy(a, d->addr.b, addr_len(af));
	enc_put(e, IPVS_DEST_ATTR_ADDR, a, sizeof(a));
	enc_be16(e, IPVS_DEST_ATTR_PORT, d->port);
	if (d->af)
		enc_u16(e, IPVS_DEST_ATTR_ADDR_FAMILY, d->af);
	if (full) {
		enc_u32(e, IPVS_DEST_ATTR_FWD_METHOD, d->conn_flags & IP_VS_CONN_F_FWD_MASK);
		enc_u32(e, IPVS_DEST_ATTR_WEIGHT, d->weight);
		enc_u32(e, IPVS_DEST_ATTR_U_THRESH, d->u_threshold);
		enc_u32(e, IPVS_DEST_ATTR_L_THRESH, d->l_threshold);
		if ((d->conn_flags & IP_VS_CONN_F_FWD_MASK) == IP_VS_CONN_F_TUNNEL) {
			enc_u8(e, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type);
			enc_be16(e, IPVS_DEST_ATTR_TUN_PORT, d->tun_port);
			enc_u16(e, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags);
		}
		if (d->has_stats) {
			enc_u32(e, IPVS_DEST_ATTR_ACTIVE_CONNS, d->active_conns);
			enc_u32(e, IPVS_DEST_ATTR_INACT_CONNS, d->inact_conns);
			enc_u32(e, IPVS_DEST_ATTR_PERSIST_CONNS, d->persist_conns);
			enc_stats(e, IPVS_DEST_ATTR_STATS64, &d->stats);
		}
	}
	enc_nest_end(e, n);
	return 0;
}

static void enc_daemon(struct enc *e, const struct ipvs_daemon *d, bool full)
{
	size_t n = enc_nest_start(e, IPVS_CMD_ATTR_DAEMON);

	enc_u32(e, IPVS_DAEMON_ATTR_STATE, d->state);
	if (full) {
		enc_str(e, IPVS_DAEMON_ATTR_MCAST_IFN, d->mcast_ifn, sizeof(d->mcast_ifn));
		enc_u32(e, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid);
		if (d->sync_maxlen)
			enc_u16(e, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->sync_maxlen);
		if (d->mcast_af == AF_INET)
			enc_put(e, IPVS_DAEMON_ATTR_MCAST_GROUP, &d->mcast_group.v4,
				sizeof(d->mcast_group.v4));
		else if (d->mcast_af == AF_INET6)
			enc_put(e, IPVS_DAEMON_ATTR_MCAST_GROUP6, &d->mcast_group.v6,
				sizeof(d->mcast_group.v6));
		/* host order, unlike every other port (ipvsadm and the kernel agree) */
		if (d->mcast_port)
			enc_u16(e, IPVS_DAEMON_ATTR_MCAST_PORT, d->mcast_port);
		if (d->mcast_ttl)
			enc_u8(e, IPVS_DAEMON_ATTR_MCAST_TTL, d->mcast_ttl);
	}
	enc_nest_end(e, n);
}

int ipvs_msg_encode(const struct ipvs_msg *m, void *buf, size_t len)
{
	struct enc e = { .p = buf, .len = len };
	int r = 0;

	switch (m->cmd) {
	case IPVS_CMD_GET_SERVICE:
		/* without a service: a dump of every service */
		if (m->has_svc)
			r = enc_service(&e, &m->svc, false);
		break;
	case IPVS_CMD_NEW_SERVICE:
	case IPVS_CMD_SET_SERVICE:
	case IPVS_CMD_DEL_SERVICE:
	case IPVS_CMD_GET_DEST:
		if (!m->has_svc)
			return -EINVAL;
		r = enc_service(&e, &m->svc, m->cmd == IPVS_CMD_NEW_SERVICE ||
				m->cmd == IPVS_CMD_SET_SERVICE);
		break;
	case IPVS_CMD_NEW_DEST:
	case IPVS_CMD_SET_DEST:
	case IPVS_CMD_DEL_DEST:
		if (!m->has_svc || !m->has_dest)
			return -EINVAL;
		r = enc_service(&e, &m->svc, false);
		if (r == 0)
			r = enc_dest(&e, &m->dest, m->svc.af, m->cmd != IPVS_CMD_DEL_DEST);
		break;
	case IPVS_CMD_NEW_DAEMON:
	case IPVS_CMD_DEL_DAEMON:
		if (!m->has_daemon)
			return -EINVAL;
		enc_daemon(&e, &m->daemon, m->cmd == IPVS_CMD_NEW_DAEMON);
		break;
	case IPVS_CMD_SET_CONFIG:
		if (!m->has_timeouts)
			return -EINVAL;
		if (m->timeouts.tcp_s)
			enc_u32(&e, IPVS_CMD_ATTR_TIMEOUT_TCP, m->timeouts.tcp_s);
		if (m->timeouts.tcpfin_s)
			enc_u32(&e, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, m->timeouts.tcpfin_s);
		if (m->timeouts.udp_s)
			enc_u32(&e, IPVS_CMD_ATTR_TIMEOUT_UDP, m->timeouts.udp_s);
		break;
	case IPVS_CMD_SET_INFO:
		if (!m->has_info)
			return -EINVAL;
		enc_u32(&e, IPVS_INFO_ATTR_VERSION, m->info.version);
		enc_u32(&e, IPVS_INFO_ATTR_CONN_TAB_SIZE, m->info.conn_tab_size);
		break;
	case IPVS_CMD_GET_DAEMON:
	case IPVS_CMD_GET_CONFIG:
	case IPVS_CMD_GET_INFO:
	case IPVS_CMD_ZERO:
	case IPVS_CMD_FLUSH:
		break;
	default:
		return -EINVAL;
	}
	if (r < 0)
		return r;
	if (e.full)
		return -ENOBUFS;
	return (int)e.off;
}

int ipvs_msg_build(const struct ipvs_msg *m, uint16_t family_id, uint16_t flags, uint32_t seq,
		   void *buf, size_t len)
{
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlmsghdr nh = { 0 };
	struct genlmsghdr gh = { 0 };
	uint8_t *p = buf;
	int n;

	if (len < hdr)
		return -ENOBUFS;
	n = ipvs_msg_encode(m, p + hdr, len - hdr);
	if (n < 0)
		return n;
	nh.nlmsg_len = (uint32_t)(hdr + (size_t)n);
	nh.nlmsg_type = family_id;
	nh.nlmsg_flags = flags;
	nh.nlmsg_seq = seq;
	gh.cmd = m->cmd;
	gh.version = IPVS_GENL_VERSION;
	memset(p, 0, hdr);
	memcpy(p, &nh, sizeof(nh));
	memcpy(p + NLMSG_HDRLEN, &gh, sizeof(gh));
	return (int)nh.nlmsg_len;
}

/* ---- reading ---- */

struct dec {
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int dec_fail(const struct dec *d, const char *fmt, ...)
{
	va_list ap;

	if (d->err && d->errlen) {
		va_start(ap, fmt);
		vsnprintf(d->err, d->errlen, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

/* One attribute of a walk. */
struct attr {
	uint16_t type;		/* flags masked off */
	const uint8_t *data;
	size_t len;
};

/* Splits buf into attributes; tb[type] keeps the last of each type up to
 * max (0 = absent). */
static int dec_split(const struct dec *d, const char *what, const void *buf, size_t len,
		     struct attr *tb, unsigned max)
{
	const uint8_t *p = buf;
	size_t off = 0;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len - off >= NLA_HDRLEN) {
		struct nlattr h;
		uint16_t type;

		memcpy(&h, p + off, sizeof(h));
		if (h.nla_len < NLA_HDRLEN || h.nla_len > len - off)
			return dec_fail(d, "%s: attribute length %u at offset %zu of %zu", what,
					(unsigned)h.nla_len, off, len);
		type = h.nla_type & NLA_TYPE_MASK;
		if (type <= max) {
			tb[type].type = type;
			tb[type].data = p + off + NLA_HDRLEN;
			tb[type].len = h.nla_len - NLA_HDRLEN;
		}
		off += NLA_ALIGN(h.nla_len);
		if (off > len)
			off = len;	/* the last attribute may lack its padding */
	}
	if (off != len)
		return dec_fail(d, "%s: %zu trailing bytes", what, len - off);
	return 0;
}

static bool has(const struct attr *a)
{
	return a->data != NULL;
}

static int get_u8(const struct dec *d, const struct attr *a, uint8_t *v)
{
	if (a->len < 1)
		return dec_fail(d, "attribute %u: %zu bytes, u8 expected", a->type, a->len);
	*v = a->data[0];
	return 0;
}

static int get_u16(const struct dec *d, const struct attr *a, uint16_t *v)
{
	if (a->len < 2)
		return dec_fail(d, "attribute %u: %zu bytes, u16 expected", a->type, a->len);
	memcpy(v, a->data, 2);
	return 0;
}

static int get_be16(const struct dec *d, const struct attr *a, uint16_t *v)
{
	int r = get_u16(d, a, v);

	if (r == 0)
		*v = ntohs(*v);
	return r;
}

static int get_u32(const struct dec *d, const struct attr *a, uint32_t *v)
{
	if (a->len < 4)
		return dec_fail(d, "attribute %u: %zu bytes, u32 expected", a->type, a->len);
	memcpy(v, a->data, 4);
	return 0;
}

/* u64, or u32 in the old (pre-STATS64) statistics. */
static int get_uint(const struct dec *d, const struct attr *a, uint64_t *v)
{
	uint32_t v32;

	if (a->len >= 8) {
		memcpy(v, a->data, 8);
		return 0;
	}
	if (a->len == 4) {
		memcpy(&v32, a->data, 4);
		*v = v32;
		return 0;
	}
	return dec_fail(d, "attribute %u: %zu bytes, a counter expected", a->type, a->len);
}

static void get_str(const struct attr *a, char *dst, size_t size)
{
	size_t n = strnlen((const char *)a->data, a->len);

	if (n >= size)
		n = size - 1;
	memcpy(dst, a->data, n);
	dst[n] = '\0';
}

static int get_addr(const struct dec *d, const struct attr *a, union ipvs_addr *v)
{
	if (a->len != 4 && a->len < 16)
		return dec_fail(d, "attribute %u: %zu bytes, an address expected", a->type,
				a->len);
	memset(v, 0, sizeof(*v));
	memcpy(v->b, a->data, a->len >= 16 ? 16 : 4);
	return 0;
}

static int dec_stats(const struct dec *d, const struct attr *a, struct ipvs_stats *s)
{
	struct attr tb[IPVS_STATS_ATTR_MAX + 1];
	uint64_t *f[IPVS_STATS_ATTR_MAX + 1] = {
		[IPVS_STATS_ATTR_CONNS] = &s->conns,
		[IPVS_STATS_ATTR_INPKTS] = &s->inpkts,
		[IPVS_STATS_ATTR_OUTPKTS] = &s->outpkts,
		[IPVS_STATS_ATTR_INBYTES] = &s->inbytes,
		[IPVS_STATS_ATTR_OUTBYTES] = &s->outbytes,
		[IPVS_STATS_ATTR_CPS] = &s->cps,
		[IPVS_STATS_ATTR_INPPS] = &s->inpps,
		[IPVS_STATS_ATTR_OUTPPS] = &s->outpps,
		[IPVS_STATS_ATTR_INBPS] = &s->inbps,
		[IPVS_STATS_ATTR_OUTBPS] = &s->outbps,
	};
	int r = dec_split(d, "stats", a->data, a->len, tb, IPVS_STATS_ATTR_MAX);

	memset(s, 0, sizeof(*s));
	for (unsigned i = 1; r == 0 && i <= IPVS_STATS_ATTR_MAX; i++)
		if (f[i] && has(&tb[i]))
			r = get_uint(d, &tb[i], f[i]);
	return r;
}

static int dec_service(const struct dec *d, const struct attr *a, struct ipvs_service *s)
{
	struct attr tb[IPVS_SVC_ATTR_MAX + 1];
	struct ip_vs_flags fl;
	int r = dec_split(d, "service", a->data, a->len, tb, IPVS_SVC_ATTR_MAX);

	memset(s, 0, sizeof(*s));
	if (r < 0)
		return r;
	if (!has(&tb[IPVS_SVC_ATTR_AF]))
		return dec_fail(d, "service without address family");
	r = get_u16(d, &tb[IPVS_SVC_ATTR_AF], &s->af);
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_PROTOCOL]))
		r = get_u16(d, &tb[IPVS_SVC_ATTR_PROTOCOL], &s->protocol);
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_ADDR]))
		r = get_addr(d, &tb[IPVS_SVC_ATTR_ADDR], &s->addr);
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_PORT]))
		r = get_be16(d, &tb[IPVS_SVC_ATTR_PORT], &s->port);
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_FWMARK]))
		r = get_u32(d, &tb[IPVS_SVC_ATTR_FWMARK], &s->fwmark);
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_SCHED_NAME]))
		get_str(&tb[IPVS_SVC_ATTR_SCHED_NAME], s->sched_name, sizeof(s->sched_name));
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_PE_NAME]))
		get_str(&tb[IPVS_SVC_ATTR_PE_NAME], s->pe_name, sizeof(s->pe_name));
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_FLAGS])) {
		if (tb[IPVS_SVC_ATTR_FLAGS].len < sizeof(fl))
			return dec_fail(d, "service flags: %zu bytes", tb[IPVS_SVC_ATTR_FLAGS].len);
		memcpy(&fl, tb[IPVS_SVC_ATTR_FLAGS].data, sizeof(fl));
		s->flags = fl.flags & fl.mask;
	}
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_TIMEOUT]))
		r = get_u32(d, &tb[IPVS_SVC_ATTR_TIMEOUT], &s->timeout_s);
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_NETMASK]))
		r = get_u32(d, &tb[IPVS_SVC_ATTR_NETMASK], &s->netmask);
	if (r == 0 && has(&tb[IPVS_SVC_ATTR_STATS64])) {
		s->has_stats = true;
		r = dec_stats(d, &tb[IPVS_SVC_ATTR_STATS64], &s->stats);
	} else if (r == 0 && has(&tb[IPVS_SVC_ATTR_STATS])) {
		s->has_stats = true;
		r = dec_stats(d, &tb[IPVS_SVC_ATTR_STATS], &s->stats);
	}
	return r;
}

static int dec_dest(const struct dec *d, const struct attr *a, struct ipvs_dest *v)
{
	struct attr tb[IPVS_DEST_ATTR_MAX + 1];
	int r = dec_split(d, "destination", a->data, a->len, tb, IPVS_DEST_ATTR_MAX);

	memset(v, 0, sizeof(*v));
	if (r < 0)
		return r;
	if (!has(&tb[IPVS_DEST_ATTR_ADDR]) || !has(&tb[IPVS_DEST_ATTR_PORT]))
		return dec_fail(d, "destination without address or port");
	r = get_addr(d, &tb[IPVS_DEST_ATTR_ADDR], &v->addr);
	if (r == 0)
		r = get_be16(d, &tb[IPVS_DEST_ATTR_PORT], &v->port);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_ADDR_FAMILY]))
		r = get_u16(d, &tb[IPVS_DEST_ATTR_ADDR_FAMILY], &v->af);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_FWD_METHOD]))
		r = get_u32(d, &tb[IPVS_DEST_ATTR_FWD_METHOD], &v->conn_flags);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_WEIGHT]))
		r = get_u32(d, &tb[IPVS_DEST_ATTR_WEIGHT], &v->weight);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_U_THRESH]))
		r = get_u32(d, &tb[IPVS_DEST_ATTR_U_THRESH], &v->u_threshold);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_L_THRESH]))
		r = get_u32(d, &tb[IPVS_DEST_ATTR_L_THRESH], &v->l_threshold);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_TUN_TYPE]))
		r = get_u8(d, &tb[IPVS_DEST_ATTR_TUN_TYPE], &v->tun_type);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_TUN_PORT]))
		r = get_be16(d, &tb[IPVS_DEST_ATTR_TUN_PORT], &v->tun_port);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_TUN_FLAGS]))
		r = get_u16(d, &tb[IPVS_DEST_ATTR_TUN_FLAGS], &v->tun_flags);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_ACTIVE_CONNS])) {
		v->has_stats = true;
		r = get_u32(d, &tb[IPVS_DEST_ATTR_ACTIVE_CONNS], &v->active_conns);
	}
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_INACT_CONNS]))
		r = get_u32(d, &tb[IPVS_DEST_ATTR_INACT_CONNS], &v->inact_conns);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_PERSIST_CONNS]))
		r = get_u32(d, &tb[IPVS_DEST_ATTR_PERSIST_CONNS], &v->persist_conns);
	if (r == 0 && has(&tb[IPVS_DEST_ATTR_STATS64])) {
		v->has_stats = true;
		r = dec_stats(d, &tb[IPVS_DEST_ATTR_STATS64], &v->stats);
	} else if (r == 0 && has(&tb[IPVS_DEST_ATTR_STATS])) {
		v->has_stats = true;
		r = dec_stats(d, &tb[IPVS_DEST_ATTR_STATS], &v->stats);
	}
	return r;
}

static int dec_daemon(const struct dec *d, const struct attr *a, struct ipvs_daemon *v)
{
	struct attr tb[IPVS_DAEMON_ATTR_MAX + 1];
	int r = dec_split(d, "daemon", a->data, a->len, tb, IPVS_DAEMON_ATTR_MAX);

	memset(v, 0, sizeof(*v));
	if (r < 0)
		return r;
	if (!has(&tb[IPVS_DAEMON_ATTR_STATE]))
		return dec_fail(d, "daemon without state");
	r = get_u32(d, &tb[IPVS_DAEMON_ATTR_STATE], &v->state);
	if (r == 0 && has(&tb[IPVS_DAEMON_ATTR_MCAST_IFN]))
		get_str(&tb[IPVS_DAEMON_ATTR_MCAST_IFN], v->mcast_ifn, sizeof(v->mcast_ifn));
	if (r == 0 && has(&tb[IPVS_DAEMON_ATTR_SYNC_ID]))
		r = get_u32(d, &tb[IPVS_DAEMON_ATTR_SYNC_ID], &v->syncid);
	if (r == 0 && has(&tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]))
		r = get_u16(d, &tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN], &v->sync_maxlen);
	if (r == 0 && has(&tb[IPVS_DAEMON_ATTR_MCAST_GROUP])) {
		if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP].len < 4)
			return dec_fail(d, "daemon: short IPv4 group");
		v->mcast_af = AF_INET;
		memcpy(&v->mcast_group.v4, tb[IPVS_DAEMON_ATTR_MCAST_GROUP].data, 4);
	} else if (r == 0 && has(&tb[IPVS_DAEMON_ATTR_MCAST_GROUP6])) {
		if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP6].len < 16)
			return dec_fail(d, "daemon: short IPv6 group");
		v->mcast_af = AF_INET6;
		memcpy(&v->mcast_group.v6, tb[IPVS_DAEMON_ATTR_MCAST_GROUP6].data, 16);
	}
	if (r == 0 && has(&tb[IPVS_DAEMON_ATTR_MCAST_PORT]))
		r = get_u16(d, &tb[IPVS_DAEMON_ATTR_MCAST_PORT], &v->mcast_port);
	if (r == 0 && has(&tb[IPVS_DAEMON_ATTR_MCAST_TTL]))
		r = get_u8(d, &tb[IPVS_DAEMON_ATTR_MCAST_TTL], &v->mcast_ttl);
	return r;
}

int ipvs_msg_decode_attrs(uint8_t cmd, const void *buf, size_t len, struct ipvs_msg *ret,
			  char *errbuf, size_t errlen)
{
	struct dec d = { .err = errbuf, .errlen = errlen };
	struct attr tb[IPVS_CMD_ATTR_MAX + 1];
	struct ipvs_msg m;
	int r;

	memset(&m, 0, sizeof(m));
	m.cmd = cmd;
	if (cmd == IPVS_CMD_SET_INFO || cmd == IPVS_CMD_GET_INFO) {
		struct attr ti[IPVS_INFO_ATTR_MAX + 1];

		r = dec_split(&d, "info", buf, len, ti, IPVS_INFO_ATTR_MAX);
		if (r == 0 && has(&ti[IPVS_INFO_ATTR_VERSION])) {
			m.has_info = true;
			r = get_u32(&d, &ti[IPVS_INFO_ATTR_VERSION], &m.info.version);
		}
		if (r == 0 && has(&ti[IPVS_INFO_ATTR_CONN_TAB_SIZE]))
			r = get_u32(&d, &ti[IPVS_INFO_ATTR_CONN_TAB_SIZE], &m.info.conn_tab_size);
		goto out;
	}
	r = dec_split(&d, "message", buf, len, tb, IPVS_CMD_ATTR_MAX);
	if (r == 0 && has(&tb[IPVS_CMD_ATTR_SERVICE])) {
		m.has_svc = true;
		r = dec_service(&d, &tb[IPVS_CMD_ATTR_SERVICE], &m.svc);
	}
	if (r == 0 && has(&tb[IPVS_CMD_ATTR_DEST])) {
		m.has_dest = true;
		r = dec_dest(&d, &tb[IPVS_CMD_ATTR_DEST], &m.dest);
	}
	if (r == 0 && has(&tb[IPVS_CMD_ATTR_DAEMON])) {
		m.has_daemon = true;
		r = dec_daemon(&d, &tb[IPVS_CMD_ATTR_DAEMON], &m.daemon);
	}
	if (r == 0 && has(&tb[IPVS_CMD_ATTR_TIMEOUT_TCP])) {
		m.has_timeouts = true;
		r = get_u32(&d, &tb[IPVS_CMD_ATTR_TIMEOUT_TCP], &m.timeouts.tcp_s);
	}
	if (r == 0 && has(&tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])) {
		m.has_timeouts = true;
		r = get_u32(&d, &tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN], &m.timeouts.tcpfin_s);
	}
	if (r == 0 && has(&tb[IPVS_CMD_ATTR_TIMEOUT_UDP])) {
		m.has_timeouts = true;
		r = get_u32(&d, &tb[IPVS_CMD_ATTR_TIMEOUT_UDP], &m.timeouts.udp_s);
	}
out:
	if (r == 0)
		*ret = m;
	return r;
}

int ipvs_msg_decode(const void *buf, size_t len, struct ipvs_msg *ret, char *errbuf,
		    size_t errlen)
{
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	struct dec d = { .err = errbuf, .errlen = errlen };
	const uint8_t *p = buf;
	struct nlmsghdr nh;
	struct genlmsghdr gh;

	if (len < hdr)
		return dec_fail(&d, "message of %zu bytes, at least %zu expected", len, hdr);
	memcpy(&nh, p, sizeof(nh));
	if (nh.nlmsg_len < hdr || nh.nlmsg_len > len)
		return dec_fail(&d, "netlink length %u in %zu bytes", nh.nlmsg_len, len);
	if (nh.nlmsg_type < NLMSG_MIN_TYPE)
		return -EINVAL;		/* NOOP, ERROR, DONE, OVERRUN: not ours */
	memcpy(&gh, p + NLMSG_HDRLEN, sizeof(gh));
	return ipvs_msg_decode_attrs(gh.cmd, p + hdr, nh.nlmsg_len - hdr, ret, errbuf, errlen);
}

/* ---- comparisons and names ---- */

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

int ipvs_service_key_cmp(const struct ipvs_service *a, const struct ipvs_service *b)
{
	int r = cmp_u32(a->af, b->af);

	if (r)
		return r;
	r = cmp_u32(a->fwmark, b->fwmark);
	if (r || a->fwmark)
		return r;
	r = cmp_u32(a->protocol, b->protocol);
	if (r)
		return r;
	r = memcmp(a->addr.b, b->addr.b, addr_len(a->af));
	if (r)
		return r;
	return cmp_u32(a->port, b->port);
}

int ipvs_dest_key_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b, uint16_t svc_af)
{
	uint16_t fa = a->af ? a->af : svc_af, fb = b->af ? b->af : svc_af;
	int r = cmp_u32(fa, fb);

	if (r)
		return r;
	r = memcmp(a->addr.b, b->addr.b, addr_len(fa));
	if (r)
		return r;
	return cmp_u32(a->port, b->port);
}

bool ipvs_service_params_differ(const struct ipvs_service *a, const struct ipvs_service *b)
{
	return strncmp(a->sched_name, b->sched_name, sizeof(a->sched_name)) != 0 ||
	       strncmp(a->pe_name, b->pe_name, sizeof(a->pe_name)) != 0 ||
	       (a->flags & IPVS_SVC_FLAGS_SETTABLE) != (b->flags & IPVS_SVC_FLAGS_SETTABLE) ||
	       a->timeout_s != b->timeout_s || a->netmask != b->netmask;
}

bool ipvs_dest_params_differ(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	uint32_t fwd = a->conn_flags & IP_VS_CONN_F_FWD_MASK;

	if (fwd != (b->conn_flags & IP_VS_CONN_F_FWD_MASK) || a->weight != b->weight ||
	    a->u_threshold != b->u_threshold || a->l_threshold != b->l_threshold)
		return true;
	if (fwd != IP_VS_CONN_F_TUNNEL)
		return false;
	return a->tun_type != b->tun_type || a->tun_flags != b->tun_flags ||
	       (a->tun_type == IP_VS_CONN_F_TUNNEL_TYPE_GUE && a->tun_port != b->tun_port);
}

uint32_t ipvs_netmask_from_plen(uint16_t af, unsigned plen)
{
	if (af == AF_INET6)
		return plen && plen <= 128 ? plen : 128;
	if (!plen || plen >= 32)
		return 0xffffffffu;
	return htonl(~0u << (32 - plen));
}

static const char *proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	default:
		return "?";
	}
}

static void addr_port(uint16_t af, const union ipvs_addr *a, uint16_t port, char *buf,
		      size_t len)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(af == AF_INET6 ? AF_INET6 : AF_INET, a->b, s, sizeof(s)))
		snprintf(s, sizeof(s), "?");
	if (af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", s, (unsigned)port);
	else
		snprintf(buf, len, "%s:%u", s, (unsigned)port);
}

const char *ipvs_service_label(const struct ipvs_service *s, char *buf, size_t len)
{
	char ap[INET6_ADDRSTRLEN + 16];

	if (s->fwmark) {
		snprintf(buf, len, "FWM %u%s", (unsigned)s->fwmark,
			 s->af == AF_INET6 ? " IPv6" : "");
		return buf;
	}
	addr_port(s->af, &s->addr, s->port, ap, sizeof(ap));
	snprintf(buf, len, "%s %s", proto_name(s->protocol), ap);
	return buf;
}

const char *ipvs_dest_label(const struct ipvs_dest *d, uint16_t svc_af, char *buf, size_t len)
{
	addr_port(d->af ? d->af : svc_af, &d->addr, d->port, buf, len);
	return buf;
}

const char *ipvs_fwd_name(uint32_t conn_flags)
{
	switch (conn_flags & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_MASQ:
		return "Masq";
	case IP_VS_CONN_F_LOCALNODE:
		return "Local";
	case IP_VS_CONN_F_TUNNEL:
		return "Tunnel";
	case IP_VS_CONN_F_DROUTE:
		return "Route";
	case IP_VS_CONN_F_BYPASS:
		return "Bypass";
	default:
		return "?";
	}
}
