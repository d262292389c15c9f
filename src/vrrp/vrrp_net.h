/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VRRP's network edge: the raw sockets adverts travel on (one per
 * interface and family, shared by every instance there), virtual
 * addresses added and removed through libnl-route-3, gratuitous ARP
 * (RFC 5227 announcement form) and unsolicited neighbour advertisements
 * (RFC 4861 §7.2.6). Every function returns 0 or -errno; libnl's -NLE_*
 * codes are converted here and never leave this module.
 */
#ifndef ALIVED_VRRP_NET_H
#define ALIVED_VRRP_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "alived/config.h"

#define VRRP_IPPROTO 112		/* RFC 5798 §5.1.1.4 */
#define VRRP_TTL 255			/* RFC 5798 §5.1.1.3 / §5.1.2.3 */

struct vrrp_nl;				/* a netlink route socket */

int vrrp_nl_open(struct vrrp_nl **ret);
void vrrp_nl_close(struct vrrp_nl *nl);

/* Options of a virtual address (virtual_ipaddress line). */
struct vrrp_addr_opts {
	const char *label;		/* NULL = none */
	int scope;			/* RT_SCOPE_*; -1 = kernel default */
	const struct cfg_addr *brd;	/* NULL = none */
	bool nodad;			/* IPv6: IFA_F_NODAD */
};

/* Adds a (the prefix of a says the mask; 32/128 when none). Adding an
 * address that is already there is success. */
int vrrp_addr_add(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a,
		  const struct vrrp_addr_opts *o);
/* Removes a; an address that is not there is success. */
int vrrp_addr_del(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a);
/* 1 if a is on ifindex, 0 if not, -errno. */
int vrrp_addr_present(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a);

/* The primary address of an interface for a family: the first IPv4
 * address, or the IPv6 link-local one. 0 or -ENOENT. */
int vrrp_if_primary(struct vrrp_nl *nl, int ifindex, int family, struct cfg_addr *ret);

/* Opens the raw VRRP socket of ifindex for family: TTL/hop limit 255,
 * multicast group joined (224.0.0.18 / ff02::12) unless unicast_only,
 * loopback of own multicast off, packet info and hop limit delivered.
 * Non-blocking, close-on-exec. Returns the fd or -errno. */
int vrrp_sock_open(int family, int ifindex, const char *ifname, bool unicast_only);

/* One received advert. */
struct vrrp_rx {
	struct cfg_addr src, dst;
	int ifindex;
	int ttl;			/* TTL or hop limit; -1 unknown */
	const uint8_t *payload;		/* the VRRP header on */
	size_t len;
};

/* Receives one packet into buf. 0 and *ret, -EAGAIN when none, -errno. */
int vrrp_sock_recv(int fd, int family, uint8_t *buf, size_t cap, struct vrrp_rx *ret);
/* Sends payload from src (NULL = kernel's choice) to dst (NULL = the
 * VRRP multicast group) out of ifindex. */
int vrrp_sock_send(int fd, int ifindex, const struct cfg_addr *src, const struct cfg_addr *dst,
		   const uint8_t *payload, size_t len);

/* Interface MAC address into mac[6]. */
int vrrp_if_mac(int ifindex, uint8_t mac[6]);
/* Gratuitous ARP for ip from mac out of ifindex. */
int vrrp_garp_send(int ifindex, const uint8_t mac[6], struct in_addr ip);
/* Unsolicited neighbour advertisement for ip (override flag, target
 * link-layer option) to ff02::1 out of ifindex. */
int vrrp_na_send(int ifindex, const uint8_t mac[6], const struct in6_addr *ip);

#endif
