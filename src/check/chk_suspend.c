// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ha_suspend: the real servers of a virtual server with ha_suspend are
 * checked only while its address is on one of this host's interfaces
 * (typically: while VRRP holds it as master). Only address virtual
 * servers have one; on fwmark and group ones ha_suspend does nothing
 * (said at load).
 *
 * The local addresses come from rtnetlink (RFC 3549): a dump when the
 * model is set up, and again each time the kernel announces an address
 * added or removed (RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR). A dump asks
 * the kernel only, so it is read at once. vs.c does the suspending
 * (chk_vs_suspend()); this file only tells it when.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

#define SUSP_BUF	16384

struct suspend {
	struct chk_model *m;
	int mon_fd;			/* address change announcements */
	uint32_t seq;
};

static bool susp_wanted(const struct chk_vs *vs)
{
	return vs->cfg->ha_suspend && vs->cfg->kind == CFG_VS_ADDR;
}

/* Marks in present[] each ha_suspend virtual server whose address is in msg. */
static void susp_addr_msg(const struct chk_model *m, const struct nlmsghdr *nh, bool *present)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	int len = (int)IFA_PAYLOAD(nh);

	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type != IFA_LOCAL && a->rta_type != IFA_ADDRESS)
			continue;
		for (uint32_t v = 0; v < m->n_vs; v++) {
			const struct cfg_addr *va = &m->vs[v].cfg->addr;
			size_t alen = va->family == AF_INET ? 4 : 16;

			if (!susp_wanted(&m->vs[v]) || va->family != ifa->ifa_family ||
			    RTA_PAYLOAD(a) != alen)
				continue;
			if (memcmp(RTA_DATA(a), &va->u, alen) == 0)
				present[v] = true;
		}
	}
}

/* Dumps the addresses of the namespace into present[]. 0 or -errno. */
static int susp_dump(struct suspend *s, bool *present)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
	} req = {
		.nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
			.nlmsg_type = RTM_GETADDR, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = ++s->seq },
		.ifa = { .ifa_family = AF_UNSPEC },
	};
	char *buf = xmalloc(SUSP_BUF);
	int fd, r = 0;
	bool done = false;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0) {
		r = -errno;
		goto out;
	}
	while (!done) {
		ssize_t n = recv(fd, buf, SUSP_BUF, 0);
		unsigned int len = (unsigned int)n;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			goto out;
		}
		for (const struct nlmsghdr *nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				r = e->error < 0 ? e->error : -EIO;
				goto out;
			}
			if (nh->nlmsg_type == RTM_NEWADDR)
				susp_addr_msg(s->m, nh, present);
		}
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return r;
}

static void susp_apply(struct suspend *s)
{
	struct chk_model *m = s->m;
	bool *present = xcalloc(m->n_vs ? m->n_vs : 1, sizeof(*present));
	int r = susp_dump(s, present);

	if (r < 0) {
		/* keep things as they are: better checking than guessing */
		log_warn_errno(r, "ha_suspend: cannot read the local addresses");
	} else {
		for (uint32_t v = 0; v < m->n_vs; v++)
			if (susp_wanted(&m->vs[v]))
				chk_vs_suspend(&m->vs[v], !present[v], present[v] ?
					       "its address is local" : "its address is not local");
	}
	free(present);
}

static void susp_io_cb(int fd, uint32_t events, void *ud)
{
	struct suspend *s = ud;
	char buf[4096];
	bool any = false;

	(void)events;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && errno == ENOBUFS) {
			any = true;	/* lost announcements: the dump tells all */
			continue;
		}
		if (n <= 0)
			break;
		any = true;
	}
	if (any)
		susp_apply(s);
}

void chk_suspend_setup(struct chk_model *m)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK, .nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	struct suspend *s;
	bool any = false;
	char label[CHK_LABEL_MAX];

	for (uint32_t v = 0; v < m->n_vs; v++) {
		if (!susp_wanted(&m->vs[v]) && m->vs[v].suspended)
			chk_vs_suspend(&m->vs[v], false, "no longer asked for");
		if (!m->vs[v].cfg->ha_suspend)
			continue;
		if (susp_wanted(&m->vs[v]))
			any = true;
		else
			log_warn("VS %s: ha_suspend applies to address virtual servers only; "
				 "ignored", chk_vs_label(&m->vs[v], label, sizeof(label)));
	}
	if (!any)
		return;
	s = xcalloc(1, sizeof(*s));
	s->m = m;
	/* subscribe first: a change during the dump is then not missed */
	s->mon_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s->mon_fd < 0 || bind(s->mon_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    ev_io_add(m->loop, s->mon_fd, EV_READ, susp_io_cb, s) < 0) {
		log_warn_errno(errno, "ha_suspend: cannot follow address changes; "
			       "checks run whatever the addresses");
		if (s->mon_fd >= 0)
			close(s->mon_fd);
		free(s);
		return;
	}
	m->suspend = s;
	susp_apply(s);
}

void chk_suspend_free(struct chk_model *m)
{
	struct suspend *s = m->suspend;

	if (!s)
		return;
	ev_io_del(m->loop, s->mon_fd);
	close(s->mon_fd);
	free(s);
	m->suspend = NULL;
}
