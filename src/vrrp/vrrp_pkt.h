/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP advertisement codec: VRRPv2 (RFC 3768, with the RFC 2338
 * authentication kept by RFC 2787) and VRRPv3 (RFC 5798), over IPv4 and
 * IPv6. Pure: libc only, never logs, never allocates.
 *
 * The codec sees the VRRP message only (the IP payload, after the IP
 * header and, for v2 AH authentication, after the AH header the runtime
 * has verified and removed). What it needs from the IP layer (addresses,
 * TTL) comes in struct vrrp_pkt_ctx.
 *
 * Wire layouts (n = Count IP Addrs):
 *   v2, IPv4: 8-byte header, n * 4 address bytes, 8 bytes authentication
 *             data; checksum over the VRRP message (RFC 3768 §5.3.8).
 *   v3, IPv4: 8-byte header, n * 4; checksum with the IPv4 pseudo-header
 *             (RFC 5798 §5.2.8).
 *   v3, IPv6: 8-byte header, n * 16; checksum with the IPv6 pseudo-header
 *             (RFC 5798 §5.2.8, RFC 8200 §8.1).
 *   v2, IPv6: in no RFC, but keepalived sends it and alived must talk to
 *             it: the v2 header (Auth Type byte, Adver Int in seconds),
 *             n * 16, NO authentication data, and the checksum with the
 *             IPv6 pseudo-header as in v3. The password of PASS cannot be
 *             checked there (it is not sent); only the Auth Type is.
 *
 * Length (RFC 3768 §7.1, RFC 5798 §7.1 "the received packet contains the
 * complete VRRP packet"): a message shorter than its layout is an error;
 * bytes after it are accepted and ignored, but they are covered by the
 * checksum, which is always computed over the whole received message (the
 * IP payload length is also the pseudo-header's length). keepalived
 * sends exactly the layout's length, so its packets decode either way.
 *
 * Not supported: keepalived's "old_unicast_checksum" (a v3 checksum some
 * old keepalived releases computed differently for unicast peers); such
 * packets fail with VRRP_PKT_E_CHECKSUM.
 */
#ifndef ALIVED_VRRP_PKT_H
#define ALIVED_VRRP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define VRRP_PKT_IPPROTO	112	/* RFC 5798 §5.1.1.4 */
#define VRRP_PKT_TTL		255	/* RFC 5798 §5.1.1.3, §5.1.2.3 */
#define VRRP_PKT_TYPE_ADVERT	1	/* RFC 5798 §5.2.2: the only type */
#define VRRP_PKT_HDR_LEN	8
#define VRRP_PKT_AUTH_LEN	8	/* v2 Authentication Data */
#define VRRP_PKT_MAX_ADDRS	255	/* Count IP Addrs is 8 bits */
/* Largest message vrrp_pkt_encode() writes: v3 or v2 over IPv6, 255 addresses. */
#define VRRP_PKT_MAX_LEN	(VRRP_PKT_HDR_LEN + VRRP_PKT_MAX_ADDRS * 16)
#define VRRP_PKT_V2_MAX_ADVER_INT_CS	(255 * 100)	/* 8 bits of seconds */
#define VRRP_PKT_V3_MAX_ADVER_INT_CS	4095		/* 12 bits of centiseconds */

/* v2 Auth Type (RFC 2338 §5.3.6; RFC 3768 §5.3.6 keeps the numbers reserved). */
enum vrrp_pkt_auth {
	VRRP_PKT_AUTH_NONE = 0,
	VRRP_PKT_AUTH_PASS = 1,		/* simple text password, zero padded */
	VRRP_PKT_AUTH_AH = 2,		/* IPsec AH; verified outside the codec */
	VRRP_PKT_AUTH__COUNT,
};

/*
 * Why a received message was refused. Each maps to one counter of RFC
 * 6527 (VRRPV3-MIB) or RFC 2787 (VRRP-MIB) in the caller.
 */
enum vrrp_pkt_err {
	VRRP_PKT_OK = 0,
	VRRP_PKT_E_LENGTH,		/* ...PacketLengthErrors */
	VRRP_PKT_E_VERSION,		/* vrrpv3RouterVersionErrors */
	VRRP_PKT_E_TYPE,		/* ...RcvdInvalidTypePackets */
	VRRP_PKT_E_CHECKSUM,		/* vrrpv3RouterChecksumErrors */
	VRRP_PKT_E_TTL,			/* ...IpTtlErrors */
	VRRP_PKT_E_VRID,		/* vrrpv3RouterVrIdErrors */
	VRRP_PKT_E_ADDRLIST,		/* ...AddressListErrors */
	VRRP_PKT_E_AUTH_TYPE_INVALID,	/* vrrpStatsInvalidAuthType (RFC 2787) */
	VRRP_PKT_E_AUTH_TYPE_MISMATCH,	/* vrrpStatsAuthTypeMismatch */
	VRRP_PKT_E_AUTH_FAILURE,	/* vrrpStatsAuthFailures */
	VRRP_PKT_E_INTERVAL,		/* ...AdvIntervalErrors (v2 only) */
	VRRP_PKT_E__COUNT,
};

/* Short description of err; err may be the enum or a negative decode
 * return. Never NULL ("unknown error" when out of range). */
const char *vrrp_pkt_err_str(int err);

/* vrrpv3StatisticsProtoErrReason (RFC 6527) for the vrrpv3ProtoError trap. */
enum vrrp_pkt_proto_err {
	VRRP_PKT_PROTO_ERR_NONE = 0,		/* noError */
	VRRP_PKT_PROTO_ERR_TTL = 1,		/* ipTtlError */
	VRRP_PKT_PROTO_ERR_VERSION = 2,		/* versionError */
	VRRP_PKT_PROTO_ERR_CHECKSUM = 3,	/* checksumError */
	VRRP_PKT_PROTO_ERR_VRID = 4,		/* vrIdError */
};
/* err (enum or negative return) -> RFC 6527 reason; noError for errors
 * the MIB has no reason for. */
enum vrrp_pkt_proto_err vrrp_pkt_err_proto_reason(int err);

/* vrrpTrapAuthErrorType (RFC 2787) for the vrrpTrapAuthFailure trap. */
enum vrrp_pkt_auth_err {
	VRRP_PKT_AUTH_ERR_NONE = 0,		/* not an authentication error */
	VRRP_PKT_AUTH_ERR_INVALID_TYPE = 1,	/* invalidAuthType */
	VRRP_PKT_AUTH_ERR_TYPE_MISMATCH = 2,	/* authTypeMismatch */
	VRRP_PKT_AUTH_ERR_FAILURE = 3,		/* authFailure */
};
enum vrrp_pkt_auth_err vrrp_pkt_err_auth_reason(int err);

union vrrp_pkt_ipaddr {
	struct in_addr v4;
	struct in6_addr v6;
};

/* What the receiver knows and expects; only family, src and dst are used
 * by vrrp_pkt_encode(). */
struct vrrp_pkt_ctx {
	int family;			/* AF_INET or AF_INET6 */
	union vrrp_pkt_ipaddr src;	/* IP source and destination, for the */
	union vrrp_pkt_ipaddr dst;	/* checksum pseudo-header */
	int ttl_or_hoplimit;		/* as received; must be 255; -1 = unknown,
					 * not checked */
	uint8_t version;		/* expected: 2 or 3 */
	uint8_t vrid;			/* expected; 0 = any (1..255) */
	uint8_t auth_type;		/* v2: expected enum vrrp_pkt_auth */
	uint8_t auth_pass[VRRP_PKT_AUTH_LEN];	/* v2 PASS: password, zero padded */
	uint16_t adver_int_cs;		/* v2: configured interval (seconds * 100);
					 * 0 = not checked */
	bool skip_addr_check;		/* keepalived's skip_check_adv_addr */
	const union vrrp_pkt_ipaddr *addrs;	/* borrowed: configured addresses,
						 * any order; NULL = not checked (an
						 * instance without addresses passes
						 * any non-NULL pointer, naddrs 0) */
	unsigned naddrs;
};

/* A decoded advertisement, host order. */
struct vrrp_pkt {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t version;		/* 2 or 3 */
	uint8_t type;			/* VRRP_PKT_TYPE_ADVERT */
	uint8_t vrid;			/* 1..255 */
	uint8_t priority;		/* 0 = master resigns, 255 = address owner */
	uint8_t naddr;			/* entries used in addrs */
	uint8_t auth_type;		/* v2: enum vrrp_pkt_auth; v3: 0 */
	uint16_t adver_int_cs;		/* v2: seconds * 100; v3: 12-bit field */
	uint16_t checksum;		/* as received (encode computes its own) */
	bool addrlist_mismatch;		/* decode: the list differs from ctx's but
					 * the RFC says accept (see decode) */
	uint8_t auth_data[VRRP_PKT_AUTH_LEN];	/* v2 over IPv4; zero otherwise */
	/* IPv4 entries have their 12 bytes after v4 zeroed by decode;
	 * entries from naddr on are unspecified. */
	union vrrp_pkt_ipaddr addrs[VRRP_PKT_MAX_ADDRS];
};

/* Bytes of a message of this shape (see the layouts above); 0 when
 * version/family is not one of them. */
size_t vrrp_pkt_len(unsigned version, int family, unsigned naddr);

/*
 * Reads version and VRID without validating anything else, for the
 * runtime's demultiplexing (and its global VrId/Version counters).
 * Returns 0, or -VRRP_PKT_E_LENGTH when len < VRRP_PKT_HDR_LEN.
 */
int vrrp_pkt_peek(const uint8_t *buf, size_t len, uint8_t *ret_version, uint8_t *ret_vrid);

/*
 * Validates and decodes the VRRP message buf[0..len) received with ctx.
 * Checks, in the order of RFC 3768 §7.1 / RFC 5798 §7.1, the first
 * failure being returned: TTL/hop limit is 255; the fixed header is
 * there; version is ctx->version (a ctx with a family or version the
 * codec does not know fails here too); type is 1 (RFC 5798 §5.2.2); the
 * message is complete; the checksum; VRID is 1..255 and ctx->vrid when
 * set; v2 only: Auth Type known, equal to ctx's, and for PASS over IPv4
 * the password; then the address list; v2 only: the interval.
 *
 * The address list (unless ctx->skip_addr_check or ctx->addrs is NULL):
 * the same count and the same addresses in any order. When it differs,
 * RFC 3768 §7.1 says v2 drops the packet unless it is from the address
 * owner (priority 255), RFC 5798 §7.1 says v3 only logs it: so v2 with
 * priority < 255 fails with VRRP_PKT_E_ADDRLIST, and otherwise decoding
 * goes on and sets ret->addrlist_mismatch for the caller to count and log
 * (it may still drop the packet, as keepalived does).
 *
 * The owner check of §7.1 ("the local router is not the address owner")
 * needs the local priority and is the caller's.
 *
 * Returns 0 and fills *ret, or -VRRP_PKT_E_* and leaves *ret untouched;
 * then, when errbuf is not NULL, writes a one-line reason with the
 * offending values into errbuf (errlen bytes, NUL terminated).
 */
int vrrp_pkt_decode(const uint8_t *buf, size_t len, const struct vrrp_pkt_ctx *ctx,
		    struct vrrp_pkt *ret, char *errbuf, size_t errlen);

/*
 * Writes p as a VRRP message into buf (cap bytes), computing the checksum
 * (p->checksum and p->addrlist_mismatch are ignored); ctx gives the
 * pseudo-header (family must equal p->family). v2 over IPv4 writes
 * p->auth_data as is (RFC 3768 §5.3.10: zero it unless PASS); v3 ignores
 * auth_type and auth_data. Returns 0 and *ret_len, -EINVAL when p cannot
 * be encoded (family/version pair, type, VRID 0, v2 Auth Type > 2, an
 * interval out of range or, for v2, not whole seconds), -ENOSPC when cap
 * is too small; buf is not written on failure.
 */
int vrrp_pkt_encode(const struct vrrp_pkt *p, const struct vrrp_pkt_ctx *ctx, uint8_t *buf,
		    size_t cap, size_t *ret_len);

#endif
