// SPDX-License-Identifier: GPL-2.0-or-later
/* VMAC interfaces (macvlan) for use_vmac, through libnl-route-3. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>

#include "alived/log.h"
#include "alived/xalloc.h"
#include "vrrp/vrrp_net.h"
#include "vrrp/vrrp_nlsock.h"
#include "vrrp/vrrp_route.h"
#include "vrrp/vrrp_vmac.h"

void vrrp_vmac_name(uint8_t vrid, const char *cfg_name, char ret[IFNAMSIZ])
{
	if (cfg_name && cfg_name[0])
		snprintf(ret, IFNAMSIZ, "%s", cfg_name);
	else
		snprintf(ret, IFNAMSIZ, VRRP_VMAC_NAME_PREFIX "%u", vrid);
}

void vrrp_vmac_addr(uint8_t vrid, int family, uint8_t ret[6])
{
	ret[0] = 0x00;
	ret[1] = 0x00;
	ret[2] = 0x5e;
	ret[3] = 0x00;
	ret[4] = family == AF_INET6 ? 0x02 : 0x01;
	ret[5] = vrid;
}

void vrrp_vmac_cfg_addr(const struct cfg_vrrp_inst *c, uint8_t ret[6])
{
	vrrp_vmac_addr(c->vrid, c->family, ret);
	if (c->vmac_mac_len == 6) {
		memcpy(ret, c->vmac_mac, 6);
	} else if (c->vmac_mac_len == 5) {
		memcpy(ret, c->vmac_mac, 5);
		ret[5] = c->vrid;
	}
}

/* ------------------------------------------------------------------ */
/* sysctls (this process's network namespace) */

static int sysctl_path(char *buf, size_t len, int v6, const char *ifname, const char *key)
{
	int n = snprintf(buf, len, "/proc/sys/net/ipv%d/conf/%s/%s", v6 ? 6 : 4, ifname, key);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int sysctl_set(int v6, const char *ifname, const char *key, int val)
{
	char path[128], s[16];
	int fd, n, err = 0;

	if (sysctl_path(path, sizeof(path), v6, ifname, key) < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(s, sizeof(s), "%d\n", val);
	if (write(fd, s, (size_t)n) != n)
		err = -errno;
	close(fd);
	return err;
}

static int sysctl_get(int v6, const char *ifname, const char *key, int *ret)
{
	char path[128], s[16];
	int fd, err = 0;
	ssize_t n;

	if (sysctl_path(path, sizeof(path), v6, ifname, key) < 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, s, sizeof(s) - 1);
	if (n <= 0) {
		err = n < 0 ? -errno : -EIO;
	} else {
		s[n] = '\0';
		*ret = atoi(s);
	}
	close(fd);
	return err;
}

struct vmac_rec {
	struct vmac_rec *next;
	int ifindex, base;
	bool v4;		/* counted in the base's IPv4 settings */
};

struct base_rec {
	struct base_rec *next;
	int ifindex;
	unsigned refs;
	int old_arp_ignore, old_arp_filter, old_arp_announce;	/* -1 = not read */
};

static struct vmac_rec *vmacs;
static struct base_rec *bases;

/* IPv4 VMACs need the base not to answer ARP for their addresses. */
static void base_hold(int base)
{
	struct base_rec *b;
	char name[IF_NAMESIZE];
	int r1, r2;

	for (b = bases; b && b->ifindex != base; b = b->next)
		;
	if (b) {
		b->refs++;
		return;
	}
	b = xcalloc(1, sizeof(*b));
	b->ifindex = base;
	b->refs = 1;
	b->old_arp_ignore = b->old_arp_filter = b->old_arp_announce = -1;
	b->next = bases;
	bases = b;
	if (!if_indextoname((unsigned)base, name))
		return;
	if (sysctl_get(0, name, "arp_ignore", &b->old_arp_ignore) < 0)
		b->old_arp_ignore = -1;
	if (sysctl_get(0, name, "arp_filter", &b->old_arp_filter) < 0)
		b->old_arp_filter = -1;
	if (sysctl_get(0, name, "arp_announce", &b->old_arp_announce) < 0)
		b->old_arp_announce = -1;
	r1 = sysctl_set(0, name, "arp_ignore", 1);
	r2 = sysctl_set(0, name, "arp_filter", 1);
	if (r1 < 0 || r2 < 0)
		log_warn_errno(r1 < 0 ? r1 : r2, "%s: cannot set arp_ignore/arp_filter", name);
	/* Its own ARP requests name its own address, never a VMAC's (which
	 * hosts would then learn at the base's MAC). */
	if (b->old_arp_announce < 2 && sysctl_set(0, name, "arp_announce", 2) < 0)
		log_warn("%s: cannot set arp_announce", name);
}

static void base_release(int base, bool restore)
{
	struct base_rec **pp, *b;
	char name[IF_NAMESIZE];

	for (pp = &bases; *pp && (*pp)->ifindex != base; pp = &(*pp)->next)
		;
	b = *pp;
	if (!b || --b->refs)
		return;
	*pp = b->next;
	if (restore && if_indextoname((unsigned)base, name)) {
		if (b->old_arp_ignore >= 0)
			sysctl_set(0, name, "arp_ignore", b->old_arp_ignore);
		if (b->old_arp_filter >= 0)
			sysctl_set(0, name, "arp_filter", b->old_arp_filter);
		if (b->old_arp_announce >= 0 && b->old_arp_announce < 2)
			sysctl_set(0, name, "arp_announce", b->old_arp_announce);
	}
	free(b);
}

static void rec_add(int ifindex, int base, bool v4)
{
	struct vmac_rec *v;

	for (v = vmacs; v; v = v->next)
		if (v->ifindex == ifindex)
			return;
	v = xcalloc(1, sizeof(*v));
	v->ifindex = ifindex;
	v->base = base;
	v->v4 = v4;
	v->next = vmacs;
	vmacs = v;
	if (v4)
		base_hold(base);
}

static void rec_del(int ifindex, bool restore)
{
	struct vmac_rec **pp, *v;

	for (pp = &vmacs; *pp && (*pp)->ifindex != ifindex; pp = &(*pp)->next)
		;
	v = *pp;
	if (!v)
		return;
	*pp = v->next;
	if (v->v4)
		base_release(v->base, restore);
	free(v);
}

void vrrp_vmac_forget(int ifindex)
{
	rec_del(ifindex, false);
}

/* ------------------------------------------------------------------ */
/* The link */

static int link_new(struct nl_sock *sk, int base, const uint8_t mac[6], const char *name)
{
	struct rtnl_link *l = rtnl_link_macvlan_alloc();
	struct nl_addr *a = nl_addr_build(AF_LLC, mac, 6);
	int err = -ENOMEM;

	if (!l || !a)
		goto out;
	rtnl_link_set_link(l, base);
	rtnl_link_set_name(l, name);
	rtnl_link_set_addr(l, a);
	err = vrrp_nle_errno(rtnl_link_macvlan_set_mode(l, MACVLAN_MODE_PRIVATE));
	if (err == 0)
		err = vrrp_nle_errno(rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL));
out:
	if (a)
		nl_addr_put(a);
	if (l)
		rtnl_link_put(l);
	return err;
}

/* Sets the MAC (when an adopted VMAC has another) and brings the link up. */
static int link_up(struct nl_sock *sk, struct rtnl_link *cur, const uint8_t mac[6])
{
	struct rtnl_link *chg = rtnl_link_alloc();
	struct nl_addr *have = rtnl_link_get_addr(cur);
	struct nl_addr *a = NULL;
	int err;

	if (!chg)
		return -ENOMEM;
	if (!have || nl_addr_get_len(have) != 6 || memcmp(nl_addr_get_binary_addr(have), mac, 6)) {
		a = nl_addr_build(AF_LLC, mac, 6);
		if (!a) {
			rtnl_link_put(chg);
			return -ENOMEM;
		}
		rtnl_link_set_addr(chg, a);
	}
	rtnl_link_set_flags(chg, IFF_UP);
	err = vrrp_nle_errno(rtnl_link_change(sk, cur, chg, 0));
	if (a)
		nl_addr_put(a);
	rtnl_link_put(chg);
	return err;
}

/* IPv6: the base's link-local, the adverts' source, on the VMAC too. */
static int copy_link_local(struct vrrp_nl *nl, int base, int ifindex, const char *name)
{
	struct cfg_addr ll;
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int err = vrrp_if_primary(nl, base, AF_INET6, &ll);

	if (err < 0) {
		log_warn("%s: the base interface has no IPv6 link-local address to copy", name);
		return 0;
	}
	ra = rtnl_addr_alloc();
	local = nl_addr_build(AF_INET6, &ll.u.v6, 16);
	if (!ra || !local) {
		err = -ENOMEM;
		goto out;
	}
	nl_addr_set_prefixlen(local, 64);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET6);
	rtnl_addr_set_local(ra, local);
	rtnl_addr_set_prefixlen(ra, 64);
	rtnl_addr_set_scope(ra, RT_SCOPE_LINK);
	rtnl_addr_set_flags(ra, IFA_F_NODAD);
	/* deprecated at once: never picked as a source but by us */
	rtnl_addr_set_preferred_lifetime(ra, 0);
	rtnl_addr_set_valid_lifetime(ra, 0xffffffffu);
	err = vrrp_nle_errno(rtnl_addr_add(vrrp_nl_sock(nl), ra, NLM_F_REPLACE));
	if (err == -EEXIST)
		err = 0;
out:
	if (local)
		nl_addr_put(local);
	if (ra)
		rtnl_addr_put(ra);
	return err;
}

static void vmac_sysctls(const char *name, int family)
{
	int r = 0;

	/* no link-local generated from the shared MAC (both routers have it) */
	sysctl_set(1, name, "addr_gen_mode", 1);	/* IN6_ADDR_GEN_MODE_NONE */
	r |= sysctl_set(0, name, "arp_ignore", 1);
	if (family == AF_INET) {
		r |= sysctl_set(0, name, "accept_local", 1);
		r |= sysctl_set(0, name, "promote_secondaries", 1);
		sysctl_set(1, name, "disable_ipv6", 1);	/* absent when IPv6 is off */
	}
	if (r)
		log_warn("%s: cannot set all of its sysctls", name);
}

int vrrp_vmac_create_mac(struct vrrp_nl *nl, int base_ifindex, const uint8_t mac[6], int family,
			 const char *name, int *ret_ifindex)
{
	struct nl_sock *sk;
	struct rtnl_link *cur = NULL;
	int err, idx;

	if (!name || !name[0] || strlen(name) >= IFNAMSIZ || base_ifindex <= 0 ||
	    (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	sk = vrrp_nl_sock(nl);
	err = rtnl_link_get_kernel(sk, 0, name, &cur);
	if (err == 0) {
		if (!rtnl_link_is_macvlan(cur) || rtnl_link_get_link(cur) != base_ifindex) {
			rtnl_link_put(cur);
			return -EEXIST;
		}
		log_info("%s: adopting the existing VMAC", name);
	} else {
		err = link_new(sk, base_ifindex, mac, name);
		if (err < 0)
			return err;
		err = vrrp_nle_errno(rtnl_link_get_kernel(sk, 0, name, &cur));
		if (err < 0)
			return err;
	}
	idx = rtnl_link_get_ifindex(cur);
	vmac_sysctls(name, family);
	rec_add(idx, base_ifindex, family == AF_INET);
	err = link_up(sk, cur, mac);
	rtnl_link_put(cur);
	if (err == 0 && family == AF_INET6)
		err = copy_link_local(nl, base_ifindex, idx, name);
	if (err < 0) {
		vrrp_vmac_delete(nl, idx);
		return err;
	}
	*ret_ifindex = idx;
	return 0;
}

int vrrp_vmac_create(struct vrrp_nl *nl, int base_ifindex, uint8_t vrid, int family,
		     const char *name, int *ret_ifindex)
{
	uint8_t mac[6];

	vrrp_vmac_addr(vrid, family, mac);
	return vrrp_vmac_create_mac(nl, base_ifindex, mac, family, name, ret_ifindex);
}

int vrrp_vmac_delete(struct vrrp_nl *nl, int ifindex)
{
	struct rtnl_link *l;
	int err;

	if (ifindex <= 0)
		return 0;
	l = rtnl_link_alloc();
	if (!l)
		return -ENOMEM;
	rtnl_link_set_ifindex(l, ifindex);
	err = vrrp_nle_errno(rtnl_link_delete(vrrp_nl_sock(nl), l));
	rtnl_link_put(l);
	rec_del(ifindex, true);
	return err == -ENODEV || err == -ENOENT ? 0 : err;
}

int vrrp_vmac_sock_open(int family, int ifindex, const char *name, const uint8_t mac[6])
{
	/* Accept a frame only when its Ethernet source is mac (SKF_LL_OFF:
	 * the link-layer header, in network byte order). */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_LL_OFF + 6),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 (uint32_t)mac[0] << 24 | (uint32_t)mac[1] << 16 | (uint32_t)mac[2] << 8 |
			 mac[3], 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, (uint32_t)SKF_LL_OFF + 10),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)mac[4] << 8 | mac[5], 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	int fd = vrrp_sock_open(family, ifindex, name, false);

	if (fd < 0)
		return fd;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}
