/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Routes and policy rules of the VRRP engine: virtual_routes and
 * virtual_rules (added when an instance becomes master, removed when it
 * leaves), static_routes, static_rules and static_ipaddress (added at
 * start, removed at stop unless -V), through libnl-route-3.
 *
 * What is sent is what `ip route add` / `ip rule add` would send for the
 * same words: the scope and table iproute2 picks when none is given,
 * protocol "keepalived" (18) unless one is written, kernel metric units
 * (rtt in 1/8 ms, rttvar in 1/4 ms). Adding what is already there and
 * removing what is not there both succeed. Every function returns 0 or
 * -errno: the kernel's own errno from the netlink acknowledgement; libnl's
 * -NLE_* codes never leave this module.
 *
 * Table and protocol names that are not built in are looked up in
 * iproute2's files at each use (rt_tables, rt_tables.d/NAME.conf,
 * rt_protos, rt_protos.d/NAME.conf, in /etc/iproute2 and then
 * /usr/share/iproute2).
 */
#ifndef ALIVED_VRRP_ROUTE_H
#define ALIVED_VRRP_ROUTE_H

#include <stdbool.h>
#include <stdint.h>
#include "alived/cfg_vrrp.h"

struct vrrp_nl;
struct nl_msg;
struct nl_sock;

#define VRRP_RTPROT_KEEPALIVED	18	/* iproute2's rt_protos: "keepalived" */
#define VRRP_RT_TABLE_MAIN	254
#define VRRP_RT_TABLE_LOCAL	255

enum vrrp_rtid_kind {
	VRRP_RTID_TABLE,	/* rt_tables */
	VRRP_RTID_PROTO,	/* rt_protos */
	VRRP_RTID__COUNT,
};

/*
 * Looks name up in iproute2's file of kind under dir (NULL: /etc/iproute2,
 * then /usr/share/iproute2): DIR/rt_tables first, then DIR/rt_tables.d/
 * *.conf in name order. 0 and *ret_id, -ENOENT when absent, -ERANGE when
 * the number does not fit (protocols are 0..255).
 */
int vrrp_rtid_lookup(const char *dir, enum vrrp_rtid_kind kind, const char *name,
		     uint32_t *ret_id);
/* The id of r: its number, its name looked up, or dflt when not set. */
int vrrp_rtid_resolve(const char *dir, const struct cfg_rtid *r, enum vrrp_rtid_kind kind,
		      uint32_t dflt, uint32_t *ret_id);

/* libnl's -NLE_* (or NLE_*) as -errno; 0 stays 0. */
int vrrp_nle_errno(int nle);

/*
 * The RTM_NEWROUTE (add) / RTM_DELROUTE message for r, for tests and
 * comparisons. sk may be NULL (then "vrf NAME" fails with -ENODEV);
 * default_ifindex is used when r names no device, no gateway and no
 * nexthops (0: none). Interface names are resolved in the caller's
 * network namespace. The caller frees *ret with nlmsg_free().
 */
int vrrp_route_msg(struct nl_sock *sk, const struct cfg_route *r, int default_ifindex, bool add,
		   struct nl_msg **ret);
/* The RTM_NEWRULE / RTM_DELRULE message for r. */
int vrrp_rule_msg(const struct cfg_rule *r, bool add, struct nl_msg **ret);
/* Whether a and b would install the same route (rule): same message. */
bool vrrp_route_same(const struct cfg_route *a, const struct cfg_route *b, int default_ifindex);
bool vrrp_rule_same(const struct cfg_rule *a, const struct cfg_rule *b);

/* One route or rule added or removed; no log. */
int vrrp_route_one(struct vrrp_nl *nl, const struct cfg_route *r, int default_ifindex, bool add);
int vrrp_rule_one(struct vrrp_nl *nl, const struct cfg_rule *r, bool add);

/*
 * Every entry of a list added or removed (rules are removed before the
 * routes they lead to by the callers: see vrrp_routes_rules_apply()).
 * Failures are logged with who (an instance name, or "static") and the
 * entry's file:line; the others are still done. 0 or the first -errno.
 */
int vrrp_routes_apply(struct vrrp_nl *nl, const struct cfg_route *head, int default_ifindex,
		      bool add, const char *who);
int vrrp_rules_apply(struct vrrp_nl *nl, const struct cfg_rule *head, bool add, const char *who);
/* Both, in keepalived's order: routes then rules on add, rules then
 * routes on removal. */
int vrrp_routes_rules_apply(struct vrrp_nl *nl, const struct cfg_route *routes,
			    const struct cfg_rule *rules, int default_ifindex, bool add,
			    const char *who);
/*
 * Reload of a list that is in force: removes the old entries that the new
 * list does not have, then adds every new entry (those already there are
 * left alone, without a gap).
 */
int vrrp_routes_rules_migrate(struct vrrp_nl *nl, const struct cfg_route *old_routes,
			      const struct cfg_rule *old_rules, const struct cfg_route *routes,
			      const struct cfg_rule *rules, int default_ifindex, const char *who);

/*
 * Checks at load that every table and protocol name resolves and every
 * device exists; logs what does not (warnings: the entry will fail when
 * applied). Returns the number of problems.
 */
unsigned vrrp_routes_check(const struct cfg_route *head, const char *who);
unsigned vrrp_rules_check(const struct cfg_rule *head, const char *who);

/* static_ipaddress, static_routes and static_rules added (at start) or
 * removed (at stop, unless -V). 0 or the first -errno (all logged). */
int vrrp_static_apply(struct vrrp_nl *nl, const struct cfg_vrrp *v, bool add);
/* Reload: static entries gone from the configuration removed, new ones
 * added, the rest untouched. */
int vrrp_static_migrate(struct vrrp_nl *nl, const struct cfg_vrrp *old, const struct cfg_vrrp *v);

#endif
