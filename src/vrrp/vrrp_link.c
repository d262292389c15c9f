// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Netlink monitor of the VRRP runtime: a non-blocking libnl route socket
 * on the event loop, subscribed to link and address changes. A link that
 * goes down (not IFF_UP or not IFF_RUNNING), disappears, appears or comes
 * back is passed to its vrrp_if, which tells its instances (FAULT, or a
 * rejoin). Address events keep each vrrp_if's primary address current:
 * only the deletion of the cached one, or a new address while none is
 * known, costs a lookup (our own virtual addresses come and go often).
 * libnl's -NLE_* codes stop here.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/socket.h>

#include "vrrp/vrrp.h"

struct vrrp_link_mon {
	struct nl_sock *sk;
	int fd;
	struct ev_loop *loop;
	bool resync;		/* messages were lost: re-read every interface */
};

int vrrp_link_query(const char *name, int *ret_ifindex, bool *ret_up)
{
	struct ifreq ifr = { 0 };
	unsigned idx = if_nametoindex(name);
	int fd, r = 0;

	if (!idx)
		return -ENODEV;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = errno == ENODEV || errno == ENXIO ? -ENODEV : -errno;
	close(fd);
	if (r < 0)
		return r;
	*ret_ifindex = (int)idx;
	*ret_up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
	return 0;
}

static void notify_primary(struct vrrp_if *vif)
{
	struct vrrp_inst *in, *next;

	for (unsigned k = 0; k < 256; k++)
		for (in = vif->by_vrid[k]; in; in = next) {
			next = in->vrid_next;
			vrrp_inst_if_changed(in);
		}
}

static void on_link(int type, const struct ifinfomsg *ifi, const char *name)
{
	bool up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
	struct vrrp_if *vif;

	for (vif = vrrp_rt.ifs; vif; vif = vif->next) {
		if (vif->ifindex == ifi->ifi_index) {
			if (type == RTM_DELLINK || (name && strcmp(name, vif->name) != 0))
				vrrp_if_update(vif, 0, false);	/* gone or renamed away */
			else
				vrrp_if_update(vif, ifi->ifi_index, up);
		} else if (type == RTM_NEWLINK && name && strcmp(name, vif->name) == 0) {
			vrrp_if_update(vif, ifi->ifi_index, up);	/* (re)appeared */
		}
	}
}

static void on_addr(int type, const struct ifaddrmsg *ifa, const void *addr, size_t len)
{
	struct vrrp_if *vif;

	for (vif = vrrp_rt.ifs; vif; vif = vif->next) {
		if (vif->ifindex != (int)ifa->ifa_index || vif->family != ifa->ifa_family)
			continue;
		if (type == RTM_DELADDR) {
			if (vif->primary.family == AF_UNSPEC || !addr ||
			    len != (vif->family == AF_INET ? 4u : 16u) ||
			    memcmp(&vif->primary.u, addr, len) != 0)
				continue;
			vif->primary.family = AF_UNSPEC;
		} else if (vif->primary.family != AF_UNSPEC) {
			continue;
		}
		vrrp_if_primary_refresh(vif);
		notify_primary(vif);
	}
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *a;

	(void)arg;
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		const struct ifinfomsg *ifi = nlmsg_data(h);
		char name[IFNAMSIZ] = "";

		if (nlmsg_datalen(h) < (int)sizeof(*ifi) || ifi->ifi_family != AF_UNSPEC)
			break;
		a = nlmsg_find_attr(h, sizeof(*ifi), IFLA_IFNAME);
		if (a)
			nla_strlcpy(name, a, sizeof(name));
		on_link(h->nlmsg_type, ifi, a ? name : NULL);
		break;
	}
	case RTM_NEWADDR:
	case RTM_DELADDR: {
		const struct ifaddrmsg *ifa = nlmsg_data(h);

		if (nlmsg_datalen(h) < (int)sizeof(*ifa))
			break;
		a = nlmsg_find_attr(h, sizeof(*ifa), IFA_LOCAL);
		if (!a)
			a = nlmsg_find_attr(h, sizeof(*ifa), IFA_ADDRESS);
		on_addr(h->nlmsg_type, ifa, a ? nla_data(a) : NULL, a ? (size_t)nla_len(a) : 0);
		break;
	}
	default:
		break;
	}
	return NL_OK;
}

/* After lost messages: read every interface's state again. */
static void resync_all(void)
{
	struct vrrp_if *vif;
	bool up = false;
	int idx = 0;

	for (vif = vrrp_rt.ifs; vif; vif = vif->next) {
		if (vrrp_link_query(vif->name, &idx, &up) < 0) {
			idx = 0;
			up = false;
		}
		vif->primary.family = AF_UNSPEC;
		vrrp_if_update(vif, idx, up);
		if (vif->primary.family == AF_UNSPEC && vrrp_if_primary_refresh(vif) == 0)
			notify_primary(vif);
	}
}

static void mon_cb(int fd, uint32_t events, void *ud)
{
	struct vrrp_link_mon *m = ud;
	int r, n;

	(void)fd;
	(void)events;
	for (n = 0; n < 64; n++) {
		r = nl_recvmsgs_default(m->sk);
		if (r == -NLE_AGAIN)
			break;
		if (r < 0) {
			/* ENOBUFS (overflow) and friends: state may be stale */
			log_warn("netlink monitor: %s; re-reading interfaces", nl_geterror(r));
			m->resync = true;
			break;
		}
	}
	if (m->resync) {
		m->resync = false;
		resync_all();
	}
}

int vrrp_link_open(struct ev_loop *loop, struct vrrp_link_mon **ret)
{
	struct vrrp_link_mon *m = calloc(1, sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	m->loop = loop;
	m->fd = -1;
	m->sk = nl_socket_alloc();
	if (!m->sk) {
		r = -ENOMEM;
		goto fail;
	}
	nl_socket_disable_seq_check(m->sk);
	nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, m);
	r = nl_connect(m->sk, NETLINK_ROUTE);
	if (r < 0) {
		r = -EIO;
		goto fail;
	}
	r = nl_socket_add_memberships(m->sk, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
				      RTNLGRP_IPV6_IFADDR, 0);
	if (r < 0) {
		r = -EIO;
		goto fail;
	}
	nl_socket_set_nonblocking(m->sk);
	nl_socket_set_buffer_size(m->sk, 1024 * 1024, 0);
	m->fd = nl_socket_get_fd(m->sk);
	fcntl(m->fd, F_SETFD, FD_CLOEXEC);
	r = ev_io_add(loop, m->fd, EV_READ, mon_cb, m);
	if (r < 0)
		goto fail;
	*ret = m;
	return 0;
fail:
	if (m->sk)
		nl_socket_free(m->sk);
	free(m);
	return r;
}

void vrrp_link_close(struct vrrp_link_mon *m)
{
	if (!m)
		return;
	ev_io_del(m->loop, m->fd);
	nl_socket_free(m->sk);
	free(m);
}
