/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Raw VRRP sockets, virtual addresses over libnl-route-3, GARP and NA. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>
#include <linux/if_addr.h>

#include "vrrp/vrrp_net.h"

struct vrrp_nl {
	struct nl_sock *sk;
};

/* libnl's error space ends here (STYLE 2.4). */
static int nle_to_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case 0: return 0;
	case NLE_EXIST: return -EEXIST;
	case NLE_NOADDR:
	case NLE_OBJ_NOTFOUND: return -ENOENT;
	case NLE_NOMEM: return -ENOMEM;
	case NLE_PERM: return -EPERM;
	case NLE_INVAL:
	case NLE_RANGE: return -EINVAL;
	case NLE_NODEV: return -ENODEV;
	case NLE_AGAIN: return -EAGAIN;
	case NLE_BUSY: return -EBUSY;
	case NLE_AF_NOSUPPORT: return -EAFNOSUPPORT;
	default: return -EIO;
	}
}

int vrrp_nl_open(struct vrrp_nl **ret)
{
	struct vrrp_nl *nl = calloc(1, sizeof(*nl));
	int err;

	if (!nl)
		return -ENOMEM;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		return -ENOMEM;
	}
	err = nl_connect(nl->sk, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(nl->sk);
		free(nl);
		return nle_to_errno(err);
	}
	fcntl(nl_socket_get_fd(nl->sk), F_SETFD, FD_CLOEXEC);
	*ret = nl;
	return 0;
}

void vrrp_nl_close(struct vrrp_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

static struct nl_addr *to_nl_addr(const struct cfg_addr *a, bool with_prefix)
{
	struct nl_addr *n;
	size_t len = a->family == AF_INET ? 4 : 16;

	n = nl_addr_build(a->family, &a->u, len);
	if (n && with_prefix)
		nl_addr_set_prefixlen(n, a->has_prefix ? a->prefix : (int)len * 8);
	return n;
}

static struct rtnl_addr *build_addr(int ifindex, const struct cfg_addr *a)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local;

	if (!ra)
		return NULL;
	local = to_nl_addr(a, true);
	if (!local) {
		rtnl_addr_put(ra);
		return NULL;
	}
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, a->family);
	rtnl_addr_set_local(ra, local);
	rtnl_addr_set_prefixlen(ra, nl_addr_get_prefixlen(local));
	nl_addr_put(local);
	return ra;
}

int vrrp_addr_add(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a,
		  const struct vrrp_addr_opts *o)
{
	struct rtnl_addr *ra = build_addr(ifindex, a);
	int err = 0;

	if (!ra)
		return -ENOMEM;
	if (o && o->label && a->family == AF_INET)
		rtnl_addr_set_label(ra, o->label);
	if (o && o->scope >= 0)
		rtnl_addr_set_scope(ra, o->scope);
	if (o && o->brd && o->brd->family == a->family) {
		struct nl_addr *b = to_nl_addr(o->brd, false);

		if (b) {
			rtnl_addr_set_broadcast(ra, b);
			nl_addr_put(b);
		}
	}
	if (a->family == AF_INET6 && (!o || o->nodad))
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	err = rtnl_addr_add(nl->sk, ra, NLM_F_REPLACE);
	rtnl_addr_put(ra);
	err = nle_to_errno(err);
	return err == -EEXIST ? 0 : err;
}

int vrrp_addr_del(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a)
{
	struct rtnl_addr *ra = build_addr(ifindex, a);
	int err;

	if (!ra)
		return -ENOMEM;
	err = nle_to_errno(rtnl_addr_delete(nl->sk, ra, 0));
	rtnl_addr_put(ra);
	/* Not there (EADDRNOTAVAIL maps to NLE_NOADDR) is what we wanted. */
	return (err == -ENOENT || err == -ENODEV) ? 0 : err;
}

struct find_ctx {
	int ifindex, family;
	const struct cfg_addr *want;	/* find this one, or */
	struct cfg_addr *primary;	/* the primary of family */
	bool found;
};

static void find_cb(struct nl_object *obj, void *arg)
{
	struct find_ctx *c = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)obj;
	struct nl_addr *local = rtnl_addr_get_local(ra);
	struct cfg_addr a = { 0 };

	if (c->found || !local || rtnl_addr_get_ifindex(ra) != c->ifindex ||
	    nl_addr_get_family(local) != c->family)
		return;
	a.family = c->family;
	memcpy(&a.u, nl_addr_get_binary_addr(local), c->family == AF_INET ? 4 : 16);
	if (c->want) {
		if (memcmp(&a.u, &c->want->u, c->family == AF_INET ? 4 : 16) == 0)
			c->found = true;
		return;
	}
	if (c->family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&a.u.v6))
		return;
	if (c->family == AF_INET && (rtnl_addr_get_flags(ra) & IFA_F_SECONDARY))
		return;
	a.prefix = c->family == AF_INET ? 32 : 128;
	*c->primary = a;
	c->found = true;
}

static int walk_addrs(struct vrrp_nl *nl, struct find_ctx *c)
{
	struct nl_cache *cache = NULL;
	int err = rtnl_addr_alloc_cache(nl->sk, &cache);

	if (err < 0)
		return nle_to_errno(err);
	nl_cache_foreach(cache, find_cb, c);
	nl_cache_free(cache);
	return 0;
}

int vrrp_addr_present(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a)
{
	struct find_ctx c = { .ifindex = ifindex, .family = a->family, .want = a };
	int err = walk_addrs(nl, &c);

	return err < 0 ? err : c.found;
}

int vrrp_if_primary(struct vrrp_nl *nl, int ifindex, int family, struct cfg_addr *ret)
{
	struct cfg_addr a;
	struct find_ctx c = { .ifindex = ifindex, .family = family, .primary = &a };
	int err = walk_addrs(nl, &c);

	if (err < 0)
		return err;
	if (!c.found)
		return -ENOENT;
	*ret = a;
	return 0;
}

static int setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val)) < 0 ? -errno : 0;
}

int vrrp_sock_open(int family, int ifindex, const char *ifname, bool unicast_only)
{
	int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
				 (socklen_t)strlen(ifname) + 1) < 0) {
		err = -errno;
		goto out;
	}
	if (family == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = ifindex };

		if ((err = setopt(fd, IPPROTO_IP, IP_TTL, VRRP_TTL)) ||
		    (err = setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL)) ||
		    (err = setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) ||
		    (err = setopt(fd, IPPROTO_IP, IP_PKTINFO, 1)))
			goto out;
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0) {
			err = -errno;
			goto out;
		}
		if (!unicast_only) {
			inet_pton(AF_INET, "224.0.0.18", &mr.imr_multiaddr);
			if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
				err = -errno;
				goto out;
			}
		}
	} else {
		struct ipv6_mreq mr = { .ipv6mr_interface = (unsigned)ifindex };

		if ((err = setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL)) ||
		    (err = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL)) ||
		    (err = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) ||
		    (err = setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) ||
		    (err = setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) ||
		    (err = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex)))
			goto out;
		if (!unicast_only) {
			inet_pton(AF_INET6, "ff02::12", &mr.ipv6mr_multiaddr);
			if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)) < 0) {
				err = -errno;
				goto out;
			}
		}
	}
out:
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int vrrp_sock_recv(int fd, int family, uint8_t *buf, size_t cap, struct vrrp_rx *ret)
{
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} from;
	char cbuf[256];
	struct iovec iov = { buf, cap };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct vrrp_rx rx = { .ttl = -1 };
	struct cmsghdr *c;
	ssize_t n = recvmsg(fd, &mh, 0);

	if (n < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	rx.src.family = rx.dst.family = family;
	rx.src.prefix = rx.dst.prefix = family == AF_INET ? 32 : 128;
	if (family == AF_INET) {
		/* Raw IPv4 sockets deliver the IP header (RFC 791). */
		const struct ip *ip = (const struct ip *)buf;
		size_t hl;

		if ((size_t)n < sizeof(*ip))
			return -EBADMSG;
		hl = (size_t)ip->ip_hl * 4;
		if (hl < sizeof(*ip) || hl > (size_t)n)
			return -EBADMSG;
		rx.ttl = ip->ip_ttl;
		rx.src.u.v4 = ip->ip_src;
		rx.dst.u.v4 = ip->ip_dst;
		rx.payload = buf + hl;
		rx.len = (size_t)n - hl;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
				rx.ifindex = ((struct in_pktinfo *)CMSG_DATA(c))->ipi_ifindex;
	} else {
		rx.src.u.v6 = from.v6.sin6_addr;
		rx.payload = buf;
		rx.len = (size_t)n;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level != IPPROTO_IPV6)
				continue;
			if (c->cmsg_type == IPV6_HOPLIMIT)
				memcpy(&rx.ttl, CMSG_DATA(c), sizeof(int));
			else if (c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				rx.dst.u.v6 = pi.ipi6_addr;
				rx.ifindex = (int)pi.ipi6_ifindex;
			}
		}
	}
	*ret = rx;
	return 0;
}

int vrrp_sock_send(int fd, int ifindex, const struct cfg_addr *src, const struct cfg_addr *dst,
		   const uint8_t *payload, size_t len)
{
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} to = { 0 };
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct iovec iov = { (void *)payload, len };
	struct msghdr mh = { .msg_name = &to, .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	int family = src ? src->family : dst ? dst->family : AF_INET;

	if (family == AF_INET) {
		to.v4.sin_family = AF_INET;
		if (dst)
			to.v4.sin_addr = dst->u.v4;
		else
			inet_pton(AF_INET, "224.0.0.18", &to.v4.sin_addr);
		mh.msg_namelen = sizeof(to.v4);
		if (src) {
			struct in_pktinfo pi = { .ipi_ifindex = ifindex, .ipi_spec_dst = src->u.v4 };

			mh.msg_control = cbuf;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	} else {
		to.v6.sin6_family = AF_INET6;
		to.v6.sin6_scope_id = (uint32_t)ifindex;
		if (dst)
			to.v6.sin6_addr = dst->u.v6;
		else
			inet_pton(AF_INET6, "ff02::12", &to.v6.sin6_addr);
		mh.msg_namelen = sizeof(to.v6);
		if (src) {
			struct in6_pktinfo pi = { .ipi6_addr = src->u.v6,
						  .ipi6_ifindex = (unsigned)ifindex };

			mh.msg_control = cbuf;
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	}
	if (sendmsg(fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

int vrrp_if_mac(int ifindex, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (!if_indextoname((unsigned)ifindex, ifr.ifr_name) ||
	    ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

static int packet_send(int ifindex, uint16_t proto, const uint8_t dst[6], const void *frame,
		       size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(proto),
		.sll_ifindex = ifindex, .sll_halen = 6,
	};
	/*
	 * One send-only packet socket (protocol 0: it receives nothing) for
	 * the life of the process: closing a packet socket waits for an RCU
	 * grace period (about 15 ms), which per message would stall the loop.
	 */
	static int fd = -1;

	if (fd < 0) {
		fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
	}
	memcpy(sll.sll_addr, dst, 6);
	if (sendto(fd, frame, len, MSG_DONTWAIT, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

int vrrp_garp_send(int ifindex, const uint8_t mac[6], struct in_addr ip)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct __attribute__((packed)) {
		struct arphdr h;
		uint8_t sha[6];
		uint8_t spa[4];
		uint8_t tha[6];
		uint8_t tpa[4];
	} arp;

	/* An ARP request whose sender and target are both the address:
	 * every host on the link updates its cache (RFC 5227 §3). */
	arp.h.ar_hrd = htons(ARPHRD_ETHER);
	arp.h.ar_pro = htons(ETH_P_IP);
	arp.h.ar_hln = 6;
	arp.h.ar_pln = 4;
	arp.h.ar_op = htons(ARPOP_REQUEST);
	memcpy(arp.sha, mac, 6);
	memcpy(arp.spa, &ip, 4);
	memset(arp.tha, 0, 6);
	memcpy(arp.tpa, &ip, 4);
	return packet_send(ifindex, ETH_P_ARP, bcast, &arp, sizeof(arp));
}

int vrrp_na_send(int ifindex, const uint8_t mac[6], const struct in6_addr *ip)
{
	struct {
		struct nd_neighbor_advert na;
		struct nd_opt_hdr opt;
		uint8_t lladdr[6];
	} pkt;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex };
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	int err = 0;

	if (fd < 0)
		return -errno;
	memset(&pkt, 0, sizeof(pkt));
	pkt.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	pkt.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;	/* RFC 4861 §7.2.6 */
	pkt.na.nd_na_target = *ip;
	pkt.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	pkt.opt.nd_opt_len = 1;
	memcpy(pkt.lladdr, mac, 6);
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	/* The kernel computes the ICMPv6 checksum; hop limit must be 255. */
	if ((err = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255)) ||
	    (err = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex)))
		goto out;
	if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		err = -errno;
out:
	close(fd);
	return err;
}
