// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP advertisement codec (RFC 3768, RFC 5798). See vrrp_pkt.h for the
 * layouts and the rules; this file only follows them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/buf.h"
#include "vrrp/vrrp_pkt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define IP_MAX_PAYLOAD	65535	/* 16-bit IPv4 total / IPv6 payload length */
#define CSUM_OFF	6	/* offset of the Checksum field */

static const char *const err_names[] = {
	[VRRP_PKT_OK] = "ok",
	[VRRP_PKT_E_LENGTH] = "bad packet length",
	[VRRP_PKT_E_VERSION] = "wrong version",
	[VRRP_PKT_E_TYPE] = "invalid type",
	[VRRP_PKT_E_CHECKSUM] = "bad checksum",
	[VRRP_PKT_E_TTL] = "TTL/hop limit not 255",
	[VRRP_PKT_E_VRID] = "wrong VRID",
	[VRRP_PKT_E_ADDRLIST] = "address list mismatch",
	[VRRP_PKT_E_AUTH_TYPE_INVALID] = "invalid authentication type",
	[VRRP_PKT_E_AUTH_TYPE_MISMATCH] = "authentication type mismatch",
	[VRRP_PKT_E_AUTH_FAILURE] = "authentication failure",
	[VRRP_PKT_E_INTERVAL] = "advertisement interval mismatch",
};
_Static_assert(ARRAY_SIZE(err_names) == VRRP_PKT_E__COUNT, "err_names out of step");

/* err or -err as an index; an out-of-range value gives VRRP_PKT_E__COUNT. */
static unsigned err_index(int err)
{
	unsigned e = err < 0 ? 0u - (unsigned)err : (unsigned)err;

	return e < VRRP_PKT_E__COUNT ? e : VRRP_PKT_E__COUNT;
}

const char *vrrp_pkt_err_str(int err)
{
	unsigned e = err_index(err);

	if (e == VRRP_PKT_E__COUNT || !err_names[e])
		return "unknown error";
	return err_names[e];
}

enum vrrp_pkt_proto_err vrrp_pkt_err_proto_reason(int err)
{
	switch (err_index(err)) {
	case VRRP_PKT_E_TTL:
		return VRRP_PKT_PROTO_ERR_TTL;
	case VRRP_PKT_E_VERSION:
		return VRRP_PKT_PROTO_ERR_VERSION;
	case VRRP_PKT_E_CHECKSUM:
		return VRRP_PKT_PROTO_ERR_CHECKSUM;
	case VRRP_PKT_E_VRID:
		return VRRP_PKT_PROTO_ERR_VRID;
	default:
		return VRRP_PKT_PROTO_ERR_NONE;
	}
}

enum vrrp_pkt_auth_err vrrp_pkt_err_auth_reason(int err)
{
	switch (err_index(err)) {
	case VRRP_PKT_E_AUTH_TYPE_INVALID:
		return VRRP_PKT_AUTH_ERR_INVALID_TYPE;
	case VRRP_PKT_E_AUTH_TYPE_MISMATCH:
		return VRRP_PKT_AUTH_ERR_TYPE_MISMATCH;
	case VRRP_PKT_E_AUTH_FAILURE:
		return VRRP_PKT_AUTH_ERR_FAILURE;
	default:
		return VRRP_PKT_AUTH_ERR_NONE;
	}
}

/* The shape of a message for a (version, family) pair. */
struct layout {
	size_t addr_len;	/* 4 or 16 */
	bool auth_data;		/* 8 bytes of Authentication Data follow */
	bool pseudo;		/* the checksum covers an IP pseudo-header */
};

static int layout_of(unsigned version, int family, struct layout *ret)
{
	if (family != AF_INET && family != AF_INET6)
		return -EINVAL;
	if (version != 2 && version != 3)
		return -EINVAL;
	ret->addr_len = family == AF_INET ? 4 : 16;
	/* v2 over IPv6 is keepalived's: no auth data, pseudo-header (see .h) */
	ret->auth_data = version == 2 && family == AF_INET;
	ret->pseudo = !ret->auth_data;
	return 0;
}

static size_t layout_len(const struct layout *lo, unsigned naddr)
{
	return VRRP_PKT_HDR_LEN + naddr * lo->addr_len + (lo->auth_data ? VRRP_PKT_AUTH_LEN : 0);
}

size_t vrrp_pkt_len(unsigned version, int family, unsigned naddr)
{
	struct layout lo;

	if (naddr > VRRP_PKT_MAX_ADDRS || layout_of(version, family, &lo) < 0)
		return 0;
	return layout_len(&lo, naddr);
}

/*
 * Internet checksum of msg[0..len) preceded, when lo->pseudo, by the
 * pseudo-header of RFC 5798 §5.2.8: for IPv4 (RFC 768 style) source,
 * destination, zero, protocol 112, 16-bit length; for IPv6 (RFC 8200
 * §8.1) source, destination, 32-bit length, three zeros, next header 112.
 * Over a message that holds its checksum the result is 0.
 */
static uint16_t msg_csum(const struct layout *lo, const struct vrrp_pkt_ctx *ctx,
			 const uint8_t *msg, size_t len)
{
	uint8_t ph[40];
	struct buf_wr w;
	uint32_t sum = 0;

	if (lo->pseudo) {
		buf_wr_init(&w, ph, sizeof(ph));
		if (ctx->family == AF_INET) {
			buf_put_bytes(&w, &ctx->src.v4, 4);
			buf_put_bytes(&w, &ctx->dst.v4, 4);
			buf_put_u8(&w, 0);
			buf_put_u8(&w, VRRP_PKT_IPPROTO);
			buf_put_be16(&w, (uint16_t)len);
		} else {
			buf_put_bytes(&w, &ctx->src.v6, 16);
			buf_put_bytes(&w, &ctx->dst.v6, 16);
			buf_put_be32(&w, (uint32_t)len);
			buf_put_zero(&w, 3);
			buf_put_u8(&w, VRRP_PKT_IPPROTO);
		}
		sum = buf_csum_add(sum, ph, w.off);
	}
	return buf_csum_fold(buf_csum_add(sum, msg, len));
}

__attribute__((format(printf, 4, 5)))
static int fail(char *errbuf, size_t errlen, enum vrrp_pkt_err e, const char *fmt, ...)
{
	va_list ap;

	if (errbuf && errlen) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return -(int)e;
}

/* Constant time, so a sniffing peer learns nothing from our timing. */
static bool pass_equal(const uint8_t *a, const uint8_t *b)
{
	uint8_t d = 0;
	size_t i;

	for (i = 0; i < VRRP_PKT_AUTH_LEN; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

#define ADDR_SLOTS	1024	/* power of two; load <= 1/4 keeps probe runs short */

/* Combines the address 4 bytes at a time, then MurmurHash3's 32-bit
 * finalizer, so that addresses differing in one byte (10.0.0.1, 10.0.0.2,
 * ...) spread over the low bits used as the slot. */
static uint32_t addr_hash(const uint8_t *a, size_t alen)
{
	uint32_t h = 0, w;
	size_t i;

	for (i = 0; i < alen; i += 4) {
		memcpy(&w, a + i, 4);
		h = (h ^ w) * 0x9e3779b1u;
		h = h << 15 | h >> 17;
	}
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* Linear probing: the slot holding address a, or the empty one where it
 * would go. At most a quarter of the slots is used, so one is always empty. */
static unsigned addr_slot(const uint16_t *slot, const union vrrp_pkt_ipaddr *want,
			  const uint8_t *a, size_t alen)
{
	unsigned s = addr_hash(a, alen) & (ADDR_SLOTS - 1);

	while (slot[s] && memcmp(&want[slot[s] - 1], a, alen))
		s = (s + 1) & (ADDR_SLOTS - 1);
	return s;
}

/*
 * Are the n received addresses (packed, alen bytes each) the configured
 * list, in any order, as multisets ({A, A} is not {A, B})? The same order
 * is the common case and costs n compares; otherwise the configured list
 * goes into a small hash table with a count per address and each received
 * address takes one: linear time, so a hostile list of 255 addresses in
 * the worst order costs about what an ordered one does.
 */
static bool addrs_match(const uint8_t *ap, unsigned n, size_t alen,
			const union vrrp_pkt_ipaddr *want, unsigned nwant)
{
	uint16_t slot[ADDR_SLOTS];	/* 1 + index into want; 0 = empty */
	uint8_t left[ADDR_SLOTS];	/* copies of that address not yet taken */
	unsigned i, s;

	if (n != nwant)
		return false;
	for (i = 0; i < n; i++)
		if (memcmp(ap + i * alen, &want[i], alen))
			break;
	if (i == n)
		return true;
	memset(slot, 0, sizeof(slot));
	for (i = 0; i < n; i++) {
		s = addr_slot(slot, want, (const uint8_t *)&want[i], alen);
		if (!slot[s]) {
			slot[s] = (uint16_t)(i + 1);
			left[s] = 0;
		}
		left[s]++;
	}
	for (i = 0; i < n; i++) {
		s = addr_slot(slot, want, ap + i * alen, alen);
		if (!slot[s] || !left[s])
			return false;
		left[s]--;
	}
	return true;
}

int vrrp_pkt_peek(const uint8_t *buf, size_t len, uint8_t *ret_version, uint8_t *ret_vrid)
{
	if (!buf || len < VRRP_PKT_HDR_LEN)
		return -VRRP_PKT_E_LENGTH;
	*ret_version = buf[0] >> 4;
	*ret_vrid = buf[1];
	return 0;
}

/* The fixed header, host order. */
struct hdr {
	uint8_t version, type, vrid, priority, naddr;
	uint16_t word;		/* v2: Auth Type << 8 | Adver Int; v3: rsvd:4, Max Adver Int:12 */
	uint16_t checksum;
};

static void hdr_read(struct buf_rd *r, struct hdr *h)
{
	uint8_t b = buf_get_u8(r);

	h->version = b >> 4;
	h->type = b & 0x0f;
	h->vrid = buf_get_u8(r);
	h->priority = buf_get_u8(r);
	h->naddr = buf_get_u8(r);
	h->word = buf_get_be16(r);
	h->checksum = buf_get_be16(r);
}

/* v2 authentication (RFC 2338 §5.3.6, RFC 2787 counters). 0 or -E. */
static int check_auth(const struct hdr *h, const struct layout *lo, const uint8_t *auth,
		      const struct vrrp_pkt_ctx *ctx, char *errbuf, size_t errlen)
{
	unsigned at = h->word >> 8;

	if (at >= VRRP_PKT_AUTH__COUNT)
		return fail(errbuf, errlen, VRRP_PKT_E_AUTH_TYPE_INVALID,
			    "unknown auth type %u", at);
	if (at != ctx->auth_type)
		return fail(errbuf, errlen, VRRP_PKT_E_AUTH_TYPE_MISMATCH,
			    "auth type %u, configured %u", at, ctx->auth_type);
	/* AH is verified by the runtime on the AH header; v2 over IPv6
	 * carries no password to check. */
	if (at == VRRP_PKT_AUTH_PASS && lo->auth_data && !pass_equal(auth, ctx->auth_pass))
		return fail(errbuf, errlen, VRRP_PKT_E_AUTH_FAILURE, "wrong password");
	return 0;
}

static void fill(struct vrrp_pkt *ret, const struct hdr *h, const struct layout *lo,
		 int family, const uint8_t *ap, const uint8_t *auth, bool mismatch)
{
	unsigned i;

	ret->family = family;
	ret->version = h->version;
	ret->type = h->type;
	ret->vrid = h->vrid;
	ret->priority = h->priority;
	ret->naddr = h->naddr;
	if (h->version == 2) {
		ret->auth_type = h->word >> 8;
		ret->adver_int_cs = (uint16_t)((h->word & 0xff) * 100);
	} else {
		ret->auth_type = 0;
		/* RFC 5798 §5.2.6: the 4 reserved bits are ignored on receipt */
		ret->adver_int_cs = h->word & 0x0fff;
	}
	ret->checksum = h->checksum;
	ret->addrlist_mismatch = mismatch;
	if (lo->auth_data)
		memcpy(ret->auth_data, auth, VRRP_PKT_AUTH_LEN);
	else
		memset(ret->auth_data, 0, VRRP_PKT_AUTH_LEN);
	for (i = 0; i < h->naddr; i++) {
		if (lo->addr_len == 4) {
			memset(&ret->addrs[i], 0, sizeof(ret->addrs[i]));
			memcpy(&ret->addrs[i].v4, ap + i * 4, 4);
		} else {
			memcpy(&ret->addrs[i].v6, ap + i * 16, 16);
		}
	}
}

int vrrp_pkt_decode(const uint8_t *buf, size_t len, const struct vrrp_pkt_ctx *ctx,
		    struct vrrp_pkt *ret, char *errbuf, size_t errlen)
{
	struct buf_rd r;
	struct layout lo;
	struct hdr h;
	const uint8_t *ap, *auth = NULL;
	size_t need;
	bool mismatch = false;
	int err;

	/* RFC 3768 §7.1, RFC 5798 §7.1: TTL / Hop Limit must be 255 */
	if (ctx->ttl_or_hoplimit >= 0 && ctx->ttl_or_hoplimit != VRRP_PKT_TTL)
		return fail(errbuf, errlen, VRRP_PKT_E_TTL, "TTL/hop limit %d, not %d",
			    ctx->ttl_or_hoplimit, VRRP_PKT_TTL);
	if (!buf || len < VRRP_PKT_HDR_LEN || len > IP_MAX_PAYLOAD)
		return fail(errbuf, errlen, VRRP_PKT_E_LENGTH, "%zu bytes, need %d to %d",
			    buf ? len : 0, VRRP_PKT_HDR_LEN, IP_MAX_PAYLOAD);
	buf_rd_init(&r, buf, len);
	hdr_read(&r, &h);
	if (h.version != ctx->version)
		return fail(errbuf, errlen, VRRP_PKT_E_VERSION, "version %u, expected %u",
			    h.version, ctx->version);
	if (layout_of(h.version, ctx->family, &lo) < 0)
		return fail(errbuf, errlen, VRRP_PKT_E_VERSION,
			    "version %u not known over address family %d", h.version, ctx->family);
	/* RFC 5798 §5.2.2: a packet of unknown type MUST be discarded */
	if (h.type != VRRP_PKT_TYPE_ADVERT)
		return fail(errbuf, errlen, VRRP_PKT_E_TYPE, "type %u", h.type);
	need = layout_len(&lo, h.naddr);
	if (len < need)
		return fail(errbuf, errlen, VRRP_PKT_E_LENGTH,
			    "%zu bytes, %u addresses need %zu", len, h.naddr, need);
	ap = buf_get_ptr(&r, h.naddr * lo.addr_len);
	if (lo.auth_data)
		auth = buf_get_ptr(&r, VRRP_PKT_AUTH_LEN);
	if (r.err)	/* cannot happen after the length check; keeps it local */
		return fail(errbuf, errlen, VRRP_PKT_E_LENGTH, "truncated");
	if (msg_csum(&lo, ctx, buf, len) != 0)
		return fail(errbuf, errlen, VRRP_PKT_E_CHECKSUM, "checksum 0x%04x is wrong",
			    h.checksum);
	if (h.vrid == 0 || (ctx->vrid && h.vrid != ctx->vrid))
		return fail(errbuf, errlen, VRRP_PKT_E_VRID, "VRID %u, expected %u", h.vrid,
			    ctx->vrid);
	if (h.version == 2) {
		err = check_auth(&h, &lo, auth, ctx, errbuf, errlen);
		if (err < 0)
			return err;
	}
	if (!ctx->skip_addr_check && ctx->addrs &&
	    !addrs_match(ap, h.naddr, lo.addr_len, ctx->addrs, ctx->naddrs)) {
		/* RFC 3768 §7.1: drop unless from the owner; RFC 5798 §7.1: log */
		if (h.version == 2 && h.priority != 255)
			return fail(errbuf, errlen, VRRP_PKT_E_ADDRLIST,
				    "%u addresses not the %u configured", h.naddr, ctx->naddrs);
		mismatch = true;
	}
	/* RFC 3768 §7.1: the interval MUST be the configured one */
	if (h.version == 2 && ctx->adver_int_cs && (h.word & 0xff) * 100u != ctx->adver_int_cs)
		return fail(errbuf, errlen, VRRP_PKT_E_INTERVAL,
			    "interval %u s, configured %u.%02u s", h.word & 0xff,
			    ctx->adver_int_cs / 100u, ctx->adver_int_cs % 100u);
	fill(ret, &h, &lo, ctx->family, ap, auth, mismatch);
	return 0;
}

int vrrp_pkt_encode(const struct vrrp_pkt *p, const struct vrrp_pkt_ctx *ctx, uint8_t *buf,
		    size_t cap, size_t *ret_len)
{
	struct layout lo;
	struct buf_wr w;
	uint16_t word;
	size_t len;
	unsigned i;

	if (!p || !ctx || p->family != ctx->family || layout_of(p->version, p->family, &lo) < 0)
		return -EINVAL;
	if (p->type != VRRP_PKT_TYPE_ADVERT || p->vrid == 0)
		return -EINVAL;
	if (p->version == 2) {
		if (p->auth_type >= VRRP_PKT_AUTH__COUNT || p->adver_int_cs % 100 ||
		    p->adver_int_cs > VRRP_PKT_V2_MAX_ADVER_INT_CS)
			return -EINVAL;
		word = (uint16_t)(p->auth_type << 8 | p->adver_int_cs / 100);
	} else {
		if (p->adver_int_cs > VRRP_PKT_V3_MAX_ADVER_INT_CS)
			return -EINVAL;
		word = p->adver_int_cs;	/* reserved bits zero (RFC 5798 §5.2.5) */
	}
	len = layout_len(&lo, p->naddr);
	if (!buf || cap < len)
		return -ENOSPC;

	buf_wr_init(&w, buf, len);
	buf_put_u8(&w, (uint8_t)(p->version << 4 | p->type));
	buf_put_u8(&w, p->vrid);
	buf_put_u8(&w, p->priority);
	buf_put_u8(&w, p->naddr);
	buf_put_be16(&w, word);
	buf_put_be16(&w, 0);
	for (i = 0; i < p->naddr; i++)
		buf_put_bytes(&w, &p->addrs[i], lo.addr_len);
	if (lo.auth_data)
		buf_put_bytes(&w, p->auth_data, VRRP_PKT_AUTH_LEN);
	buf_set_be16(&w, CSUM_OFF, msg_csum(&lo, ctx, buf, len));
	if (w.err || w.off != len)	/* cannot happen: len was computed above */
		return -EINVAL;
	*ret_len = len;
	return 0;
}
