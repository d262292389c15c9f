/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPVS generic netlink messages, pure (libc and kernel UAPI headers only):
 * plain structs for services, destinations (real servers), statistics,
 * the sync daemon, GET_INFO and the time-outs, and their encoding to and
 * decoding from netlink attributes (TLVs written and read here, no libnl).
 *
 * The wire format is the kernel's <linux/ip_vs.h>: a generic netlink
 * header (family "IPVS", version IPVS_GENL_VERSION), then attributes:
 * IPVS_CMD_ATTR_SERVICE / _DEST / _DAEMON nests, or top-level time-outs
 * (SET_CONFIG) and IPVS_INFO_ATTR_* (the SET_INFO reply to GET_INFO).
 * Ports travel in network byte order (except the sync daemon's, in host
 * order); the structs hold them all in host order.
 *
 * ipvs.c sends what ipvs_msg_encode() writes behind a libnl genl header and
 * gives each reply to ipvs_msg_decode().
 */
#ifndef ALIVED_IPVS_MSG_H
#define ALIVED_IPVS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/ip_vs.h>

/* Not in every <linux/ip_vs.h>: the mh scheduler's flags (same bits as sh's). */
#ifndef IP_VS_SVC_F_SCHED_MH_FALLBACK
#define IP_VS_SVC_F_SCHED_MH_FALLBACK	IP_VS_SVC_F_SCHED1
#define IP_VS_SVC_F_SCHED_MH_PORT	IP_VS_SVC_F_SCHED2
#endif

/* The flags a service definition sets (IP_VS_SVC_F_HASHED is the kernel's). */
#define IPVS_SVC_FLAGS_SETTABLE	(IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET |	\
				 IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3)

/* Largest message ipvs_msg_encode() writes (a service and a destination). */
#define IPVS_MSG_MAX	512

union ipvs_addr {
	struct in_addr v4;
	struct in6_addr v6;
	uint8_t b[16];
};

/* Counters since the entry was made, and rates per second (kernel estimator,
 * refreshed every 2 s). */
struct ipvs_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
};

struct ipvs_service {
	uint16_t af;			/* AF_INET, AF_INET6 */
	uint16_t protocol;		/* IPPROTO_TCP, _UDP, _SCTP; 0 for fwmark services */
	union ipvs_addr addr;
	uint16_t port;			/* host order; 0 = any port (persistent) */
	uint32_t fwmark;		/* 0: an address service */
	char sched_name[IP_VS_SCHEDNAME_MAXLEN];
	char pe_name[IP_VS_PENAME_MAXLEN];	/* persistence engine; "" = none */
	uint32_t flags;			/* IP_VS_SVC_F_* */
	uint32_t timeout_s;		/* persistence time-out */
	/* As the kernel has it: IPv4 a mask in network byte order
	 * (0xffffffff = one address), IPv6 a prefix length (128). */
	uint32_t netmask;
	bool has_stats;			/* replies */
	struct ipvs_stats stats;
};

struct ipvs_dest {
	uint16_t af;			/* of addr; 0 = the service's */
	union ipvs_addr addr;
	uint16_t port;			/* host order */
	uint32_t conn_flags;		/* IP_VS_CONN_F_MASQ / _TUNNEL / _DROUTE (FWD_MASK) */
	uint32_t weight;		/* 0..INT32_MAX */
	uint32_t u_threshold, l_threshold;	/* connections; 0 = none */
	uint8_t tun_type;		/* IP_VS_CONN_F_TUNNEL_TYPE_*: tunnel only */
	uint16_t tun_port;		/* GUE, host order */
	uint16_t tun_flags;		/* IP_VS_TUNNEL_ENCAP_FLAG_* */
	bool has_stats;			/* replies: the counters below */
	uint32_t active_conns, inact_conns, persist_conns;
	struct ipvs_stats stats;
};

struct ipvs_daemon {
	uint32_t state;			/* IP_VS_STATE_MASTER or _BACKUP */
	char mcast_ifn[IP_VS_IFNAME_MAXLEN];
	uint32_t syncid;		/* 0..255 */
	uint16_t sync_maxlen;		/* 0 = kernel default */
	uint16_t mcast_af;		/* 0 = kernel default group */
	union ipvs_addr mcast_group;
	uint16_t mcast_port;		/* 0 = kernel default (8848) */
	uint8_t mcast_ttl;		/* 0 = kernel default */
};

struct ipvs_info {
	uint32_t version;		/* 0x010201 = 1.2.1 */
	uint32_t conn_tab_size;
};

struct ipvs_timeouts {
	uint32_t tcp_s, tcpfin_s, udp_s;	/* 0 = unchanged */
};

/*
 * One message: the command and whichever parts it carries. What
 * ipvs_msg_encode() writes for each command:
 *   NEW_SERVICE, SET_SERVICE            the whole service (+ stats if has_stats)
 *   DEL_SERVICE, GET_SERVICE, GET_DEST  the service's key (af and fwmark, or
 *                                       af, protocol, address and port);
 *                                       GET_SERVICE without has_svc: nothing (dump)
 *   NEW_DEST, SET_DEST                  the service's key and the whole destination
 *   DEL_DEST                            the service's key and the destination's
 *   NEW_DAEMON                          the daemon; DEL_DAEMON its state
 *   SET_CONFIG                          the time-outs that are not 0
 *   SET_INFO                            the info (the kernel's reply; tests)
 *   others                              nothing
 * A has_* flag that the command does not use is ignored.
 */
struct ipvs_msg {
	uint8_t cmd;			/* IPVS_CMD_* */
	bool has_svc, has_dest, has_daemon, has_info, has_timeouts;
	struct ipvs_service svc;
	struct ipvs_dest dest;
	struct ipvs_daemon daemon;
	struct ipvs_info info;
	struct ipvs_timeouts timeouts;
};

/*
 * Writes the attributes of m (what follows the generic netlink header)
 * into buf. Returns their length, -ENOBUFS when len is too small, or
 * -EINVAL (unknown command, a part the command needs is missing, an
 * address family that is neither IPv4 nor IPv6).
 */
int ipvs_msg_encode(const struct ipvs_msg *m, void *buf, size_t len);

/*
 * A whole netlink message: nlmsghdr (type family_id, flags, seq, pid 0),
 * genlmsghdr (cmd, IPVS_GENL_VERSION) and the attributes. Length or -errno.
 */
int ipvs_msg_build(const struct ipvs_msg *m, uint16_t family_id, uint16_t flags, uint32_t seq,
		   void *buf, size_t len);

/*
 * Decodes one netlink message (nlmsghdr, genlmsghdr, attributes) into
 * *ret. Unknown attributes are skipped. 0, or -EBADMSG (truncated or
 * malformed; errbuf, if not NULL, says what) or -EINVAL (not a generic
 * netlink message).
 */
int ipvs_msg_decode(const void *buf, size_t len, struct ipvs_msg *ret, char *errbuf,
		    size_t errlen);

/* Decodes attributes alone (what ipvs_msg_encode() wrote) for command cmd. */
int ipvs_msg_decode_attrs(uint8_t cmd, const void *buf, size_t len, struct ipvs_msg *ret,
			  char *errbuf, size_t errlen);

/* Identity: (af, fwmark) for fwmark services, else (af, protocol, addr, port).
 * <0, 0, >0 like memcmp, for sorting. */
int ipvs_service_key_cmp(const struct ipvs_service *a, const struct ipvs_service *b);
/* Identity of a destination within its service: (af, addr, port); af 0
 * counts as svc_af. */
int ipvs_dest_key_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b, uint16_t svc_af);
/* The parameters a SET_SERVICE / SET_DEST would change differ. */
bool ipvs_service_params_differ(const struct ipvs_service *a, const struct ipvs_service *b);
bool ipvs_dest_params_differ(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* The netmask field for a persistence granularity (prefix length; 0 =
 * one address: /32 or /128). */
uint32_t ipvs_netmask_from_plen(uint16_t af, unsigned plen);

/* "TCP 10.0.0.1:80", "UDP [2001:db8::1]:53", "FWM 3", "FWM 3 IPv6": the
 * service as ipvsadm names it. Writes into buf, returns buf. */
#define IPVS_LABEL_MAX	72
const char *ipvs_service_label(const struct ipvs_service *s, char *buf, size_t len);
/* "10.0.0.2:80", "[2001:db8::2]:80" */
const char *ipvs_dest_label(const struct ipvs_dest *d, uint16_t svc_af, char *buf, size_t len);
/* "Masq", "Route", "Tunnel", "Local", "Bypass" (ipvsadm's words); "?" otherwise. */
const char *ipvs_fwd_name(uint32_t conn_flags);

#endif
