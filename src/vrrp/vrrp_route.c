// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtual_routes / virtual_rules / static_* through libnl-route-3 (see
 * vrrp_route.h). libnl builds the messages; a few attributes it has no
 * setter for (RTA_PREF, RTA_EXPIRES, the congestion control metric, the
 * rule's invert flag, suppress_*, uidrange) are appended to the built
 * message. Messages are sent and acknowledged here so that the kernel's
 * errno, not libnl's coarser code, reaches the caller.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vrf.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "alived/log.h"
#include "vrrp/vrrp_net.h"
#include "vrrp/vrrp_nlsock.h"
#include "vrrp/vrrp_route.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Errors */

static const int nle_errnos[] = {
	[NLE_SUCCESS] = 0,
	[NLE_FAILURE] = EIO,
	[NLE_INTR] = EINTR,
	[NLE_BAD_SOCK] = EBADF,
	[NLE_AGAIN] = EAGAIN,
	[NLE_NOMEM] = ENOMEM,
	[NLE_EXIST] = EEXIST,
	[NLE_INVAL] = EINVAL,
	[NLE_RANGE] = ERANGE,
	[NLE_MSGSIZE] = EMSGSIZE,
	[NLE_OPNOTSUPP] = EOPNOTSUPP,
	[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
	[NLE_OBJ_NOTFOUND] = ENOENT,
	[NLE_NOATTR] = ENODATA,
	[NLE_MISSING_ATTR] = EINVAL,
	[NLE_AF_MISMATCH] = EINVAL,
	[NLE_SEQ_MISMATCH] = EPROTO,
	[NLE_MSG_OVERFLOW] = EOVERFLOW,
	[NLE_MSG_TRUNC] = EMSGSIZE,
	[NLE_NOADDR] = EADDRNOTAVAIL,
	[NLE_SRCRT_NOSUPPORT] = EOPNOTSUPP,
	[NLE_MSG_TOOSHORT] = EBADMSG,
	[NLE_MSGTYPE_NOSUPPORT] = EOPNOTSUPP,
	[NLE_OBJ_MISMATCH] = EINVAL,
	[NLE_NOCACHE] = ENOENT,
	[NLE_BUSY] = EBUSY,
	[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
	[NLE_NOACCESS] = EACCES,
	[NLE_PERM] = EPERM,
	[NLE_PKTLOC_FILE] = ENOENT,
	[NLE_PARSE_ERR] = EINVAL,
	[NLE_NODEV] = ENODEV,
	[NLE_IMMUTABLE] = EPERM,
	[NLE_DUMP_INTR] = EINTR,
	[NLE_ATTRSIZE] = EINVAL,
};
_Static_assert(ARRAY_SIZE(nle_errnos) == NLE_MAX + 1, "nle_errnos");

int vrrp_nle_errno(int nle)
{
	unsigned n = (unsigned)(nle < 0 ? -nle : nle);

	if (n == 0)
		return 0;
	return n < ARRAY_SIZE(nle_errnos) ? -nle_errnos[n] : -EIO;
}

struct ack_ctx {
	int err;
	bool done;
};

static int ack_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct ack_ctx *c = arg;

	(void)who;
	c->err = e->error < 0 ? e->error : -e->error;
	c->done = true;
	return NL_STOP;
}

static int ack_ok_cb(struct nl_msg *m, void *arg)
{
	struct ack_ctx *c = arg;

	(void)m;
	c->done = true;
	return NL_STOP;
}

/* Sends msg (freed here) and waits for its acknowledgement: 0 or the
 * kernel's -errno. */
static int send_sync(struct nl_sock *sk, struct nl_msg *msg)
{
	struct ack_ctx c = { 0 };
	struct nl_cb *cb = nl_cb_clone(nl_socket_get_cb(sk));
	int err;

	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_put(nl_socket_get_cb(sk));	/* the reference get_cb took */
	nl_cb_err(cb, NL_CB_CUSTOM, ack_err_cb, &c);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_ok_cb, &c);
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	while (err >= 0 && !c.done)
		err = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (c.done)
		return c.err;
	return vrrp_nle_errno(err);
}

/* ------------------------------------------------------------------ */
/* iproute2's name files */

static const char *const rtid_file[] = {
	[VRRP_RTID_TABLE] = "rt_tables",
	[VRRP_RTID_PROTO] = "rt_protos",
};
_Static_assert(ARRAY_SIZE(rtid_file) == VRRP_RTID__COUNT, "rtid_file");

static const uint32_t rtid_max[] = {
	[VRRP_RTID_TABLE] = UINT32_MAX,
	[VRRP_RTID_PROTO] = 255,
};
_Static_assert(ARRAY_SIZE(rtid_max) == VRRP_RTID__COUNT, "rtid_max");

/* One file of "NUMBER NAME" lines ('#' starts a comment). 0, -ENOENT
 * (not in it, or no such file), -ERANGE. */
static int lookup_file(const char *path, const char *name, uint32_t max, uint32_t *ret_id)
{
	FILE *f = fopen(path, "re");
	char line[512];
	int r = -ENOENT;

	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end, *nm;
		unsigned long long v;
		size_t len;

		p += strspn(p, " \t");
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		errno = 0;
		v = strtoull(p, &end, 0);
		if (end == p || errno || (*end != ' ' && *end != '\t'))
			continue;
		nm = end + strspn(end, " \t");
		len = strcspn(nm, " \t\n#");
		if (len != strlen(name) || memcmp(nm, name, len) != 0)
			continue;
		if (v > max) {
			r = -ERANGE;
			break;
		}
		*ret_id = (uint32_t)v;
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

static int conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

static int lookup_dir(const char *dir, enum vrrp_rtid_kind kind, const char *name,
		      uint32_t *ret_id)
{
	struct dirent **ents = NULL;
	char path[PATH_MAX];
	int n, r;

	snprintf(path, sizeof(path), "%s/%s", dir, rtid_file[kind]);
	r = lookup_file(path, name, rtid_max[kind], ret_id);
	if (r != -ENOENT)
		return r;
	snprintf(path, sizeof(path), "%s/%s.d", dir, rtid_file[kind]);
	n = scandir(path, &ents, conf_filter, alphasort);
	for (int k = 0; k < n; k++) {
		char fp[PATH_MAX + NAME_MAX + 2];

		if (r == -ENOENT) {
			snprintf(fp, sizeof(fp), "%s/%s", path, ents[k]->d_name);
			r = lookup_file(fp, name, rtid_max[kind], ret_id);
		}
		free(ents[k]);
	}
	free(ents);
	return r;
}

int vrrp_rtid_lookup(const char *dir, enum vrrp_rtid_kind kind, const char *name,
		     uint32_t *ret_id)
{
	static const char *const dirs[] = { "/etc/iproute2", "/usr/share/iproute2" };
	uint32_t id;
	int r = -ENOENT;

	if ((unsigned)kind >= VRRP_RTID__COUNT || !name || !*name)
		return -EINVAL;
	if (dir) {
		r = lookup_dir(dir, kind, name, &id);
	} else {
		for (size_t k = 0; k < ARRAY_SIZE(dirs) && r == -ENOENT; k++)
			r = lookup_dir(dirs[k], kind, name, &id);
	}
	if (r == 0)
		*ret_id = id;
	return r;
}

int vrrp_rtid_resolve(const char *dir, const struct cfg_rtid *r, enum vrrp_rtid_kind kind,
		      uint32_t dflt, uint32_t *ret_id)
{
	if (!r->set) {
		*ret_id = dflt;
		return 0;
	}
	if (!r->name) {
		if (r->id > rtid_max[kind])
			return -ERANGE;
		*ret_id = r->id;
		return 0;
	}
	return vrrp_rtid_lookup(dir, kind, r->name, ret_id);
}

/* ------------------------------------------------------------------ */
/* Routes */

static const uint8_t rt_types[] = {
	[CFG_RT_UNICAST] = RTN_UNICAST,
	[CFG_RT_LOCAL] = RTN_LOCAL,
	[CFG_RT_BROADCAST] = RTN_BROADCAST,
	[CFG_RT_ANYCAST] = RTN_ANYCAST,
	[CFG_RT_MULTICAST] = RTN_MULTICAST,
	[CFG_RT_BLACKHOLE] = RTN_BLACKHOLE,
	[CFG_RT_UNREACHABLE] = RTN_UNREACHABLE,
	[CFG_RT_PROHIBIT] = RTN_PROHIBIT,
	[CFG_RT_THROW] = RTN_THROW,
	[CFG_RT_NAT] = RTN_NAT,
};
_Static_assert(ARRAY_SIZE(rt_types) == CFG_RT__COUNT, "rt_types");

static const uint16_t rtax_ids[] = {
	[CFG_RTAX_MTU] = RTAX_MTU,
	[CFG_RTAX_WINDOW] = RTAX_WINDOW,
	[CFG_RTAX_RTT] = RTAX_RTT,
	[CFG_RTAX_RTTVAR] = RTAX_RTTVAR,
	[CFG_RTAX_SSTHRESH] = RTAX_SSTHRESH,
	[CFG_RTAX_CWND] = RTAX_CWND,
	[CFG_RTAX_ADVMSS] = RTAX_ADVMSS,
	[CFG_RTAX_REORDERING] = RTAX_REORDERING,
	[CFG_RTAX_HOPLIMIT] = RTAX_HOPLIMIT,
	[CFG_RTAX_INITCWND] = RTAX_INITCWND,
	[CFG_RTAX_FEATURES] = RTAX_FEATURES,
	[CFG_RTAX_RTO_MIN] = RTAX_RTO_MIN,
	[CFG_RTAX_INITRWND] = RTAX_INITRWND,
	[CFG_RTAX_QUICKACK] = RTAX_QUICKACK,
	[CFG_RTAX_FASTOPEN_NO_COOKIE] = RTAX_FASTOPEN_NO_COOKIE,
};
_Static_assert(ARRAY_SIZE(rtax_ids) == CFG_RTAX__COUNT, "rtax_ids");

/* The kernel's unit of a metric from the configuration's (ms for times). */
static uint32_t rtax_value(enum cfg_rtax k, uint32_t v)
{
	if (k == CFG_RTAX_RTT)
		return v > UINT32_MAX / 8 ? UINT32_MAX : v * 8;	/* 1/8 ms */
	if (k == CFG_RTAX_RTTVAR)
		return v > UINT32_MAX / 4 ? UINT32_MAX : v * 4;	/* 1/4 ms */
	return v;
}

static struct nl_addr *nl_addr_of(const struct cfg_addr *a, bool prefix)
{
	size_t len = a->family == AF_INET ? 4 : 16;
	struct nl_addr *n = nl_addr_build(a->family, &a->u, len);

	if (n)
		nl_addr_set_prefixlen(n, prefix && a->has_prefix ? a->prefix : (int)len * 8);
	return n;
}

/* iproute2's choice when no table is written: local for these types. */
static uint32_t default_table(enum cfg_route_type t)
{
	switch (t) {
	case CFG_RT_LOCAL:
	case CFG_RT_BROADCAST:
	case CFG_RT_NAT:
	case CFG_RT_ANYCAST:
		return VRRP_RT_TABLE_LOCAL;
	default:
		return VRRP_RT_TABLE_MAIN;
	}
}

/* iproute2's choice when no scope is written. */
static uint8_t default_scope(const struct cfg_route *r, bool has_gw)
{
	if (r->family == AF_INET6)
		return RT_SCOPE_UNIVERSE;
	switch (r->type) {
	case CFG_RT_LOCAL:
	case CFG_RT_NAT:
		return RT_SCOPE_HOST;
	case CFG_RT_BROADCAST:
	case CFG_RT_MULTICAST:
	case CFG_RT_ANYCAST:
		return RT_SCOPE_LINK;
	case CFG_RT_UNICAST:
		return has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	default:
		return RT_SCOPE_UNIVERSE;
	}
}

static bool type_has_nexthop(enum cfg_route_type t)
{
	return t == CFG_RT_UNICAST || t == CFG_RT_LOCAL || t == CFG_RT_BROADCAST ||
	       t == CFG_RT_ANYCAST || t == CFG_RT_MULTICAST || t == CFG_RT_NAT;
}

static int ifindex_of(const char *name)
{
	unsigned idx = if_nametoindex(name);

	return idx ? (int)idx : -ENODEV;
}

static int vrf_table(struct nl_sock *sk, const char *name, uint32_t *ret)
{
	struct rtnl_link *l = NULL;
	uint32_t id;
	int err;

	if (!sk)
		return -ENODEV;
	err = vrrp_nle_errno(rtnl_link_get_kernel(sk, 0, name, &l));
	if (err < 0)
		return err;
	if (!rtnl_link_is_vrf(l) || rtnl_link_vrf_get_tableid(l, &id) < 0)
		err = -EINVAL;
	else
		*ret = id;
	rtnl_link_put(l);
	return err;
}

/* A nexthop: gateway (same family as the route), device, weight, flags. */
static int add_nh(struct rtnl_route *rt, int family, const struct cfg_addr *via, int ifindex,
		  unsigned weight, bool onlink, bool has_realms, uint32_t realms)
{
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();

	if (!nh)
		return -ENOMEM;
	if (via && via->family != AF_UNSPEC) {
		struct nl_addr *gw;

		if (via->family != family) {
			rtnl_route_nh_free(nh);
			return -EAFNOSUPPORT;	/* RTA_VIA: not built by libnl */
		}
		gw = nl_addr_of(via, false);
		if (!gw) {
			rtnl_route_nh_free(nh);
			return -ENOMEM;
		}
		rtnl_route_nh_set_gateway(nh, gw);
		nl_addr_put(gw);
	}
	if (ifindex > 0)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	/* rtnh_hops is the weight minus one (RFC-less kernel convention) */
	if (weight > 1)
		rtnl_route_nh_set_weight(nh, (uint8_t)(weight - 1));
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	if (has_realms)
		rtnl_route_nh_set_realms(nh, realms);
	rtnl_route_add_nexthop(rt, nh);
	return 0;
}

static int route_nexthops(struct rtnl_route *rt, const struct cfg_route *r, int dflt_if)
{
	const struct cfg_nexthop *n;
	int idx = 0, err;

	if (!type_has_nexthop(r->type))
		return 0;
	if (r->nexthops) {
		for (n = r->nexthops; n; n = n->next) {
			idx = 0;
			if (n->dev[0] && (idx = ifindex_of(n->dev)) < 0)
				return idx;
			err = add_nh(rt, r->family, &n->via, idx, n->weight, n->onlink,
				     n->has_realms, n->realms);
			if (err < 0)
				return err;
		}
		return 0;
	}
	if (r->dev[0]) {
		idx = ifindex_of(r->dev);
		if (idx < 0)
			return idx;
	} else if (r->via.family == AF_UNSPEC && r->type == CFG_RT_UNICAST) {
		idx = dflt_if;
	}
	if (!idx && r->via.family == AF_UNSPEC && !r->has_realms)
		return 0;
	return add_nh(rt, r->family, &r->via, idx, 0, r->onlink, r->has_realms, r->realms);
}

static int set_addr(struct rtnl_route *rt, int (*set)(struct rtnl_route *, struct nl_addr *),
		    const struct cfg_addr *a, bool prefix)
{
	struct nl_addr *n;
	int err;

	if (a->family == AF_UNSPEC)
		return 0;
	n = nl_addr_of(a, prefix);
	if (!n)
		return -ENOMEM;
	err = vrrp_nle_errno(set(rt, n));
	nl_addr_put(n);
	return err;
}

static int route_obj(struct nl_sock *sk, const struct cfg_route *r, int dflt_if, bool vrf_by_name,
		     struct rtnl_route **ret)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	uint32_t table = 0, proto;
	int err;

	if (!rt)
		return -ENOMEM;
	if ((unsigned)r->type >= CFG_RT__COUNT ||
	    (r->family != AF_INET && r->family != AF_INET6)) {
		err = -EINVAL;
		goto out;
	}
	rtnl_route_set_family(rt, (uint8_t)r->family);
	rtnl_route_set_type(rt, rt_types[r->type]);
	if ((err = set_addr(rt, rtnl_route_set_dst, &r->dst, true)) < 0 ||
	    (err = set_addr(rt, rtnl_route_set_pref_src, &r->src, false)) < 0 ||
	    (err = set_addr(rt, rtnl_route_set_src, &r->from, true)) < 0)
		goto out;
	if (r->dst.family == AF_UNSPEC) {
		/* "default" is stored as 0/0, but be safe */
		struct cfg_addr any = { .family = r->family, .has_prefix = true };

		if ((err = set_addr(rt, rtnl_route_set_dst, &any, true)) < 0)
			goto out;
	}
	if (r->vrf && !vrf_by_name)
		err = vrf_table(sk, r->vrf, &table);
	else if (!r->vrf)
		err = vrrp_rtid_resolve(NULL, &r->table, VRRP_RTID_TABLE, default_table(r->type),
					&table);
	if (err < 0)
		goto out;
	rtnl_route_set_table(rt, table);
	err = vrrp_rtid_resolve(NULL, &r->protocol, VRRP_RTID_PROTO, VRRP_RTPROT_KEEPALIVED,
				&proto);
	if (err < 0)
		goto out;
	rtnl_route_set_protocol(rt, (uint8_t)proto);
	if (r->has_metric)
		rtnl_route_set_priority(rt, r->metric);
	if (r->has_tos)
		rtnl_route_set_tos(rt, r->tos);
	err = route_nexthops(rt, r, dflt_if);
	if (err < 0)
		goto out;
	rtnl_route_set_scope(rt, r->has_scope ? r->scope :
			     default_scope(r, r->via.family != AF_UNSPEC || r->nexthops));
out:
	if (err < 0)
		rtnl_route_put(rt);
	else
		*ret = rt;
	return err;
}

/* RTA_METRICS with every metric, the lock mask and the congestion control. */
static int put_metrics(struct nl_msg *msg, const struct cfg_route *r)
{
	struct nlattr *nest;
	uint32_t lock = 0;

	if (!r->metrics_set && !r->congctl)
		return 0;
	nest = nla_nest_start(msg, RTA_METRICS);
	if (!nest)
		return -EMSGSIZE;
	for (unsigned k = 0; k < CFG_RTAX__COUNT; k++) {
		if (!(r->metrics_set & (1u << k)))
			continue;
		if (nla_put_u32(msg, rtax_ids[k], rtax_value((enum cfg_rtax)k, r->metrics[k])) < 0)
			return -EMSGSIZE;
		if (r->metrics_lock & (1u << k))
			lock |= 1u << rtax_ids[k];
	}
	if (r->congctl) {
		if (nla_put_string(msg, RTAX_CC_ALGO, r->congctl) < 0)
			return -EMSGSIZE;
		if (r->congctl_lock)
			lock |= 1u << RTAX_CC_ALGO;
	}
	if (lock && nla_put_u32(msg, RTAX_LOCK, lock) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int route_msg(struct nl_sock *sk, const struct cfg_route *r, int dflt_if, bool add,
		     bool vrf_by_name, struct nl_msg **ret)
{
	struct rtnl_route *rt = NULL;
	struct nl_msg *msg = NULL;
	int err = route_obj(sk, r, dflt_if, vrf_by_name, &rt);

	if (err < 0)
		return err;
	if (add)
		err = rtnl_route_build_add_request(rt, NLM_F_CREATE |
						   (r->append ? NLM_F_APPEND : NLM_F_EXCL), &msg);
	else
		err = rtnl_route_build_del_request(rt, 0, &msg);
	rtnl_route_put(rt);
	if (err < 0)
		return vrrp_nle_errno(err);
	if (add) {
		err = put_metrics(msg, r);
		if (!err && r->has_pref && nla_put_u8(msg, RTA_PREF, r->pref) < 0)
			err = -EMSGSIZE;
		if (!err && r->has_expires && nla_put_u32(msg, RTA_EXPIRES, r->expires_s) < 0)
			err = -EMSGSIZE;
		if (!err && vrf_by_name && r->vrf && nla_put_string(msg, RTA_UNSPEC, r->vrf) < 0)
			err = -EMSGSIZE;	/* compared only, never sent */
	}
	if (err < 0) {
		nlmsg_free(msg);
		return err;
	}
	*ret = msg;
	return 0;
}

int vrrp_route_msg(struct nl_sock *sk, const struct cfg_route *r, int default_ifindex, bool add,
		   struct nl_msg **ret)
{
	return route_msg(sk, r, default_ifindex, add, false, ret);
}

static bool msg_same(struct nl_msg *a, struct nl_msg *b)
{
	struct nlmsghdr *ha = nlmsg_hdr(a), *hb = nlmsg_hdr(b);

	return ha->nlmsg_type == hb->nlmsg_type && ha->nlmsg_len == hb->nlmsg_len &&
	       memcmp(nlmsg_data(ha), nlmsg_data(hb), (size_t)nlmsg_datalen(ha)) == 0;
}

bool vrrp_route_same(const struct cfg_route *a, const struct cfg_route *b, int default_ifindex)
{
	struct nl_msg *ma = NULL, *mb = NULL;
	bool same = false;

	if (route_msg(NULL, a, default_ifindex, true, true, &ma) == 0 &&
	    route_msg(NULL, b, default_ifindex, true, true, &mb) == 0)
		same = msg_same(ma, mb);
	nlmsg_free(ma);
	nlmsg_free(mb);
	return same;
}

int vrrp_route_one(struct vrrp_nl *nl, const struct cfg_route *r, int default_ifindex, bool add)
{
	struct nl_sock *sk = vrrp_nl_sock(nl);
	struct nl_msg *msg;
	int err = route_msg(sk, r, default_ifindex, add, false, &msg);

	if (err < 0)
		return !add && err == -ENODEV ? 0 : err;	/* the device took it along */
	err = send_sync(sk, msg);
	if (add && err == -EEXIST)
		return 0;
	if (!add && (err == -ESRCH || err == -ENOENT || err == -ENODEV))
		return 0;
	return err;
}

/* ------------------------------------------------------------------ */
/* Rules */

static const uint8_t rule_actions[] = {
	[CFG_RULE_ACT_TABLE] = FR_ACT_TO_TBL,
	[CFG_RULE_ACT_GOTO] = FR_ACT_GOTO,
	[CFG_RULE_ACT_NOP] = FR_ACT_NOP,
	[CFG_RULE_ACT_BLACKHOLE] = FR_ACT_BLACKHOLE,
	[CFG_RULE_ACT_UNREACHABLE] = FR_ACT_UNREACHABLE,
	[CFG_RULE_ACT_PROHIBIT] = FR_ACT_PROHIBIT,
};
_Static_assert(ARRAY_SIZE(rule_actions) == CFG_RULE_ACT__COUNT, "rule_actions");

static int rule_addr(struct rtnl_rule *ru, int (*set)(struct rtnl_rule *, struct nl_addr *),
		     const struct cfg_addr *a)
{
	struct nl_addr *n;
	int err;

	if (a->family == AF_UNSPEC)
		return 0;
	n = nl_addr_of(a, true);
	if (!n)
		return -ENOMEM;
	err = vrrp_nle_errno(set(ru, n));
	nl_addr_put(n);
	return err;
}

static int rule_obj(const struct cfg_rule *r, struct rtnl_rule **ret)
{
	struct rtnl_rule *ru = rtnl_rule_alloc();
	uint32_t table, proto;
	int err;

	if (!ru)
		return -ENOMEM;
	if ((unsigned)r->action >= CFG_RULE_ACT__COUNT ||
	    (r->family != AF_INET && r->family != AF_INET6)) {
		err = -EINVAL;
		goto out;
	}
	rtnl_rule_set_family(ru, r->family);
	if ((err = rule_addr(ru, rtnl_rule_set_src, &r->from)) < 0 ||
	    (err = rule_addr(ru, rtnl_rule_set_dst, &r->to)) < 0)
		goto out;
	if (r->has_priority)
		rtnl_rule_set_prio(ru, r->priority);
	rtnl_rule_set_action(ru, rule_actions[r->action]);
	if (r->action == CFG_RULE_ACT_TABLE) {
		err = vrrp_rtid_resolve(NULL, &r->table, VRRP_RTID_TABLE, VRRP_RT_TABLE_MAIN,
					&table);
		if (err < 0)
			goto out;
		rtnl_rule_set_table(ru, table);
	} else if (r->action == CFG_RULE_ACT_GOTO) {
		rtnl_rule_set_goto(ru, r->goto_target);
	}
	if ((r->iif[0] && (err = vrrp_nle_errno(rtnl_rule_set_iif(ru, r->iif))) < 0) ||
	    (r->oif[0] && (err = vrrp_nle_errno(rtnl_rule_set_oif(ru, r->oif))) < 0))
		goto out;
	if (r->has_fwmark) {
		rtnl_rule_set_mark(ru, r->fwmark);
		if (r->fwmask)
			rtnl_rule_set_mask(ru, r->fwmask);
	}
	if (r->has_tos)
		rtnl_rule_set_dsfield(ru, r->tos);
	if (r->has_realms)
		rtnl_rule_set_realms(ru, r->realms);
	if (r->l3mdev)
		rtnl_rule_set_l3mdev(ru, 1);
	err = vrrp_rtid_resolve(NULL, &r->protocol, VRRP_RTID_PROTO, VRRP_RTPROT_KEEPALIVED,
				&proto);
	if (err < 0)
		goto out;
	rtnl_rule_set_protocol(ru, (uint8_t)proto);
	if (r->ip_proto >= 0)
		rtnl_rule_set_ipproto(ru, (uint8_t)r->ip_proto);
	if (r->sport_lo || r->sport_hi)
		rtnl_rule_set_sport_range(ru, r->sport_lo, r->sport_hi ? r->sport_hi : r->sport_lo);
	if (r->dport_lo || r->dport_hi)
		rtnl_rule_set_dport_range(ru, r->dport_lo, r->dport_hi ? r->dport_hi : r->dport_lo);
out:
	if (err < 0)
		rtnl_rule_put(ru);
	else
		*ret = ru;
	return err;
}

int vrrp_rule_msg(const struct cfg_rule *r, bool add, struct nl_msg **ret)
{
	struct rtnl_rule *ru = NULL;
	struct nl_msg *msg = NULL;
	int err = rule_obj(r, &ru);

	if (err < 0)
		return err;
	if (add)
		err = rtnl_rule_build_add_request(ru, NLM_F_CREATE | NLM_F_EXCL, &msg);
	else
		err = rtnl_rule_build_delete_request(ru, 0, &msg);
	rtnl_rule_put(ru);
	if (err < 0)
		return vrrp_nle_errno(err);
	if (r->invert)
		((struct fib_rule_hdr *)nlmsg_data(nlmsg_hdr(msg)))->flags |= FIB_RULE_INVERT;
	if (r->suppress_prefixlen >= 0 &&
	    nla_put_u32(msg, FRA_SUPPRESS_PREFIXLEN, (uint32_t)r->suppress_prefixlen) < 0)
		err = -EMSGSIZE;
	if (!err && r->suppress_ifgroup >= 0 &&
	    nla_put_u32(msg, FRA_SUPPRESS_IFGROUP, (uint32_t)r->suppress_ifgroup) < 0)
		err = -EMSGSIZE;
	if (!err && r->has_uidrange) {
		struct fib_rule_uid_range u = { .start = r->uid_start, .end = r->uid_end };

		if (nla_put(msg, FRA_UID_RANGE, sizeof(u), &u) < 0)
			err = -EMSGSIZE;
	}
	if (err < 0) {
		nlmsg_free(msg);
		return err;
	}
	*ret = msg;
	return 0;
}

bool vrrp_rule_same(const struct cfg_rule *a, const struct cfg_rule *b)
{
	struct nl_msg *ma = NULL, *mb = NULL;
	bool same = false;

	if (vrrp_rule_msg(a, true, &ma) == 0 && vrrp_rule_msg(b, true, &mb) == 0)
		same = msg_same(ma, mb);
	nlmsg_free(ma);
	nlmsg_free(mb);
	return same;
}

int vrrp_rule_one(struct vrrp_nl *nl, const struct cfg_rule *r, bool add)
{
	struct nl_msg *msg;
	int err = vrrp_rule_msg(r, add, &msg);

	if (err < 0)
		return err;
	err = send_sync(vrrp_nl_sock(nl), msg);
	if (add && err == -EEXIST)
		return 0;
	if (!add && (err == -ENOENT || err == -ESRCH))
		return 0;
	return err;
}

/* ------------------------------------------------------------------ */
/* Lists, with logging */

static const char *route_fmt(const struct cfg_route *r, char *buf, size_t len)
{
	char a[CFG_ADDRSTRLEN];
	const char *t = r->type != CFG_RT_UNICAST && (unsigned)r->type < CFG_RT__COUNT ?
			cfg_route_type_name[r->type] : NULL;

	snprintf(buf, len, "%s%s%s", t ? t : "", t ? " " : "",
		 r->dst.family ? cfg_addr_fmt(&r->dst, a, sizeof(a)) : "default");
	return buf;
}

static const char *rule_fmt(const struct cfg_rule *r, char *buf, size_t len)
{
	char a[CFG_ADDRSTRLEN], b[CFG_ADDRSTRLEN];

	snprintf(buf, len, "%sfrom %s%s%s", r->invert ? "not " : "",
		 r->from.family ? cfg_addr_fmt(&r->from, a, sizeof(a)) : "all",
		 r->to.family ? " to " : "",
		 r->to.family ? cfg_addr_fmt(&r->to, b, sizeof(b)) : "");
	return buf;
}

int vrrp_routes_apply(struct vrrp_nl *nl, const struct cfg_route *head, int default_ifindex,
		      bool add, const char *who)
{
	const struct cfg_route *r;
	char buf[CFG_ADDRSTRLEN + 32];
	int first = 0, err;

	for (r = head; r; r = r->next) {
		err = vrrp_route_one(nl, r, default_ifindex, add);
		if (err == 0)
			continue;
		log_err_errno(err, "%s: cannot %s route %s (%s:%u)", who, add ? "add" : "remove",
			      route_fmt(r, buf, sizeof(buf)), r->file ? r->file : "?", r->line);
		if (!first)
			first = err;
	}
	return first;
}

int vrrp_rules_apply(struct vrrp_nl *nl, const struct cfg_rule *head, bool add, const char *who)
{
	const struct cfg_rule *r;
	char buf[2 * CFG_ADDRSTRLEN + 32];
	int first = 0, err;

	for (r = head; r; r = r->next) {
		err = vrrp_rule_one(nl, r, add);
		if (err == 0)
			continue;
		log_err_errno(err, "%s: cannot %s rule %s (%s:%u)", who, add ? "add" : "remove",
			      rule_fmt(r, buf, sizeof(buf)), r->file ? r->file : "?", r->line);
		if (!first)
			first = err;
	}
	return first;
}

int vrrp_routes_rules_apply(struct vrrp_nl *nl, const struct cfg_route *routes,
			    const struct cfg_rule *rules, int default_ifindex, bool add,
			    const char *who)
{
	int a, b;

	if (add) {
		a = vrrp_routes_apply(nl, routes, default_ifindex, true, who);
		b = vrrp_rules_apply(nl, rules, true, who);
	} else {
		b = vrrp_rules_apply(nl, rules, false, who);
		a = vrrp_routes_apply(nl, routes, default_ifindex, false, who);
	}
	return a ? a : b;
}

int vrrp_routes_rules_migrate(struct vrrp_nl *nl, const struct cfg_route *old_routes,
			      const struct cfg_rule *old_rules, const struct cfg_route *routes,
			      const struct cfg_rule *rules, int default_ifindex, const char *who)
{
	const struct cfg_route *r, *n;
	const struct cfg_rule *u, *m;
	char buf[2 * CFG_ADDRSTRLEN + 32];
	int first = 0, err;

	for (u = old_rules; u; u = u->next) {
		for (m = rules; m && !vrrp_rule_same(u, m); m = m->next)
			;
		if (m || (err = vrrp_rule_one(nl, u, false)) == 0)
			continue;
		log_err_errno(err, "%s: cannot remove rule %s", who, rule_fmt(u, buf, sizeof(buf)));
		first = first ? first : err;
	}
	for (r = old_routes; r; r = r->next) {
		for (n = routes; n && !vrrp_route_same(r, n, default_ifindex); n = n->next)
			;
		if (n || (err = vrrp_route_one(nl, r, default_ifindex, false)) == 0)
			continue;
		log_err_errno(err, "%s: cannot remove route %s", who,
			      route_fmt(r, buf, sizeof(buf)));
		first = first ? first : err;
	}
	err = vrrp_routes_rules_apply(nl, routes, rules, default_ifindex, true, who);
	return first ? first : err;
}

unsigned vrrp_routes_check(const struct cfg_route *head, const char *who)
{
	const struct cfg_route *r;
	const struct cfg_nexthop *n;
	unsigned bad = 0;
	uint32_t id;

	for (r = head; r; r = r->next) {
		if (r->table.name && vrrp_rtid_lookup(NULL, VRRP_RTID_TABLE, r->table.name, &id)) {
			log_warn("%s: %s:%u: route table \"%s\" is not in rt_tables", who, r->file,
				 r->line, r->table.name);
			bad++;
		}
		if (r->protocol.name &&
		    vrrp_rtid_lookup(NULL, VRRP_RTID_PROTO, r->protocol.name, &id)) {
			log_warn("%s: %s:%u: route protocol \"%s\" is not in rt_protos", who,
				 r->file, r->line, r->protocol.name);
			bad++;
		}
		if (r->dev[0] && !if_nametoindex(r->dev)) {
			log_warn("%s: %s:%u: route device %s does not exist (now)", who, r->file,
				 r->line, r->dev);
			bad++;
		}
		for (n = r->nexthops; n; n = n->next) {
			if (n->dev[0] && !if_nametoindex(n->dev)) {
				log_warn("%s: %s:%u: nexthop device %s does not exist (now)", who,
					 r->file, r->line, n->dev);
				bad++;
			}
		}
	}
	return bad;
}

unsigned vrrp_rules_check(const struct cfg_rule *head, const char *who)
{
	const struct cfg_rule *r;
	unsigned bad = 0;
	uint32_t id;

	for (r = head; r; r = r->next) {
		if (r->action == CFG_RULE_ACT_TABLE && r->table.name &&
		    vrrp_rtid_lookup(NULL, VRRP_RTID_TABLE, r->table.name, &id)) {
			log_warn("%s: %s:%u: rule table \"%s\" is not in rt_tables", who, r->file,
				 r->line, r->table.name);
			bad++;
		}
		if (r->protocol.name &&
		    vrrp_rtid_lookup(NULL, VRRP_RTID_PROTO, r->protocol.name, &id)) {
			log_warn("%s: %s:%u: rule protocol \"%s\" is not in rt_protos", who,
				 r->file, r->line, r->protocol.name);
			bad++;
		}
	}
	return bad;
}

/* ------------------------------------------------------------------ */
/* static_ipaddress, static_routes, static_rules */

static int static_vip(struct vrrp_nl *nl, const struct cfg_vip *v, bool add)
{
	struct vrrp_addr_opts o = { .scope = v->scope, .nodad = v->nodad };
	struct cfg_addr brd;
	char buf[CFG_ADDRSTRLEN];
	int idx = v->dev[0] ? ifindex_of(v->dev) : -ENODEV, err;

	if (idx < 0) {
		err = add ? idx : 0;
		goto out;
	}
	if (!add) {
		err = vrrp_addr_del(nl, idx, &v->addr);
		goto out;
	}
	if (v->label[0])
		o.label = v->label;
	if (v->addr.family == AF_INET && v->brd_mode == CFG_BRD_ADDR) {
		o.brd = &v->brd;
	} else if (v->addr.family == AF_INET && v->brd_mode != CFG_BRD_NONE) {
		unsigned plen = v->addr.has_prefix ? v->addr.prefix : 32;
		uint32_t host = plen >= 32 ? 0 : 0xffffffffu >> plen;
		uint32_t a = ntohl(v->addr.u.v4.s_addr);

		memset(&brd, 0, sizeof(brd));
		brd.family = AF_INET;
		brd.prefix = 32;
		brd.u.v4.s_addr = htonl(v->brd_mode == CFG_BRD_SET ? (a | host) : (a & ~host));
		o.brd = &brd;
	}
	err = vrrp_addr_add(nl, idx, &v->addr, &o);
out:
	if (err < 0)
		log_err_errno(err, "static: cannot %s address %s %s %s (%s:%u)",
			      add ? "add" : "remove", cfg_addr_fmt(&v->addr, buf, sizeof(buf)),
			      add ? "to" : "from", v->dev[0] ? v->dev : "(no dev)",
			      v->file ? v->file : "?", v->line);
	return err;
}

int vrrp_static_apply(struct vrrp_nl *nl, const struct cfg_vrrp *v, bool add)
{
	const struct cfg_vip *a;
	int first = 0, err;

	if (add) {
		for (a = v->static_vips; a; a = a->next)
			if ((err = static_vip(nl, a, true)) < 0 && !first)
				first = err;
		err = vrrp_routes_rules_apply(nl, v->static_routes, v->static_rules, 0, true,
					      "static");
	} else {
		err = vrrp_routes_rules_apply(nl, v->static_routes, v->static_rules, 0, false,
					      "static");
		for (a = v->static_vips; a; a = a->next)
			if ((err = static_vip(nl, a, false)) < 0 && !first)
				first = err;
	}
	return first ? first : err;
}

int vrrp_static_migrate(struct vrrp_nl *nl, const struct cfg_vrrp *old, const struct cfg_vrrp *v)
{
	const struct cfg_vip *a, *b;
	int first = 0, err;

	/* New addresses first (routes may use them as source), the old ones
	 * last (after the routes that may use them). */
	for (b = v->static_vips; b; b = b->next)
		if ((err = static_vip(nl, b, true)) < 0 && !first)
			first = err;
	err = vrrp_routes_rules_migrate(nl, old->static_routes, old->static_rules,
					v->static_routes, v->static_rules, 0, "static");
	if (err < 0 && !first)
		first = err;
	for (a = old->static_vips; a; a = a->next) {
		for (b = v->static_vips; b; b = b->next)
			if (cfg_addr_equal(&a->addr, &b->addr) && strcmp(a->dev, b->dev) == 0)
				break;
		if (!b && (err = static_vip(nl, a, false)) < 0 && !first)
			first = err;
	}
	return first;
}
