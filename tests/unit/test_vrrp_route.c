/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/vrrp/vrrp_route.c and the pure part of vrrp_vmac.c,
 * without root: iproute2 name files (in a temporary directory), libnl
 * error translation, and the netlink messages built from parsed
 * static_routes / static_rules blocks, decoded attribute by attribute.
 * What the kernel does with them is the integration test's part
 * (tests/integration/19-vrrp-routes-vmac.sh).
 *
 * Link: this file + src/vrrp/{vrrp_route,vrrp_vmac,vrrp_net}.c + libcore
 * + libutil + libnl-route-3.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "alived/cfg_vrrp.h"
#include "alived/config.h"
#include "vrrp/vrrp_route.h"
#include "vrrp/vrrp_vmac.h"

/* ------------------------------------------------------------------ */
/* Name files */

static char tmpdir[64];

static void put_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int names_setup(void **state)
{
	char d[128];

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_vrrp_route.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(d, sizeof(d), "%s/rt_tables.d", tmpdir);
	mkdir(d, 0700);
	put_file("rt_tables", "# comment\n255\tlocal\n254\tmain\n  100 vipnet # trailing\n"
			      "0x20 hexy\nbad line\n4294967295 top\n");
	put_file("rt_tables.d/b.conf", "201 second\n300 vipnet\n");
	put_file("rt_tables.d/a.conf", "200 fromd\n201 first\n");
	put_file("rt_tables.d/c.txt", "400 ignored\n");
	put_file("rt_protos", "18 keepalived\n300 toolarge\n");
	return 0;
}

static int names_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_rtid_lookup(void **state)
{
	uint32_t id = 7;

	(void)state;
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "vipnet", &id), 0);
	assert_int_equal(id, 100);	/* the main file wins over rt_tables.d */
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "hexy", &id), 0);
	assert_int_equal(id, 0x20);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "top", &id), 0);
	assert_int_equal(id, UINT32_MAX);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "fromd", &id), 0);
	assert_int_equal(id, 200);
	/* rt_tables.d files in name order: a.conf before b.conf */
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "first", &id), 0);
	assert_int_equal(id, 201);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "second", &id), 0);
	assert_int_equal(id, 201);
	id = 7;
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "ignored", &id), -ENOENT);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "line", &id), -ENOENT);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "vipne", &id), -ENOENT);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "trailing", &id), -ENOENT);
	assert_int_equal(id, 7);	/* untouched on failure */
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_PROTO, "keepalived", &id), 0);
	assert_int_equal(id, 18);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_PROTO, "toolarge", &id), -ERANGE);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_PROTO, "vipnet", &id), -ENOENT);
	assert_int_equal(vrrp_rtid_lookup(tmpdir, VRRP_RTID_TABLE, "", &id), -EINVAL);
	assert_int_equal(vrrp_rtid_lookup("/nonexistent", VRRP_RTID_TABLE, "main", &id), -ENOENT);
	/* the system's files, when there are any */
	if (access("/etc/iproute2/rt_tables", R_OK) == 0 ||
	    access("/usr/share/iproute2/rt_tables", R_OK) == 0) {
		assert_int_equal(vrrp_rtid_lookup(NULL, VRRP_RTID_TABLE, "main", &id), 0);
		assert_int_equal(id, 254);
	}
}

static void test_rtid_resolve(void **state)
{
	struct cfg_rtid r = { 0 };
	uint32_t id = 0;

	(void)state;
	assert_int_equal(vrrp_rtid_resolve(tmpdir, &r, VRRP_RTID_TABLE, 254, &id), 0);
	assert_int_equal(id, 254);
	r.set = true;
	r.id = 1000;
	assert_int_equal(vrrp_rtid_resolve(tmpdir, &r, VRRP_RTID_TABLE, 254, &id), 0);
	assert_int_equal(id, 1000);
	assert_int_equal(vrrp_rtid_resolve(tmpdir, &r, VRRP_RTID_PROTO, 18, &id), -ERANGE);
	r.name = (char *)"fromd";
	assert_int_equal(vrrp_rtid_resolve(tmpdir, &r, VRRP_RTID_TABLE, 254, &id), 0);
	assert_int_equal(id, 200);
	r.name = (char *)"nosuch";
	assert_int_equal(vrrp_rtid_resolve(tmpdir, &r, VRRP_RTID_TABLE, 254, &id), -ENOENT);
}

static void test_nle_errno(void **state)
{
	(void)state;
	assert_int_equal(vrrp_nle_errno(0), 0);
	assert_int_equal(vrrp_nle_errno(-NLE_EXIST), -EEXIST);
	assert_int_equal(vrrp_nle_errno(NLE_EXIST), -EEXIST);
	assert_int_equal(vrrp_nle_errno(-NLE_OBJ_NOTFOUND), -ENOENT);
	assert_int_equal(vrrp_nle_errno(-NLE_NOADDR), -EADDRNOTAVAIL);
	assert_int_equal(vrrp_nle_errno(-NLE_NODEV), -ENODEV);
	assert_int_equal(vrrp_nle_errno(-NLE_PERM), -EPERM);
	assert_int_equal(vrrp_nle_errno(-NLE_NOMEM), -ENOMEM);
	assert_int_equal(vrrp_nle_errno(-NLE_FAILURE), -EIO);
	assert_int_equal(vrrp_nle_errno(-(NLE_MAX + 5)), -EIO);
	for (int k = 1; k <= NLE_MAX; k++)
		assert_true(vrrp_nle_errno(-k) < 0);
}

/* ------------------------------------------------------------------ */
/* Messages from parsed configurations */

static struct cfg_root *root;

static void load(const char *text)
{
	struct cfg_opts o = { .config_id = "t" };
	struct cfg_diags d;
	int rc;

	cfg_diags_init(&d);
	rc = cfg_load_string("t.conf", text, &o, &d, &root);
	if (rc != 0)
		cfg_diags_print(&d, stderr);
	cfg_diags_free(&d);
	assert_int_equal(rc, 0);
}

static void unload(void)
{
	cfg_free(root);
	root = NULL;
}

static const struct cfg_route *route_n(unsigned n)
{
	const struct cfg_route *r = root->vrrp->static_routes;

	while (r && n--)
		r = r->next;
	assert_non_null(r);
	return r;
}

static const struct cfg_rule *rule_n(unsigned n)
{
	const struct cfg_rule *r = root->vrrp->static_rules;

	while (r && n--)
		r = r->next;
	assert_non_null(r);
	return r;
}

struct rmsg {
	struct nl_msg *msg;
	struct nlmsghdr *h;
	struct rtmsg *rtm;
	struct nlattr *tb[RTA_MAX + 1];
	struct nlattr *mx[RTAX_MAX + 1];
};

static void route_parse(struct rmsg *m, const struct cfg_route *r, int dflt_if, bool add)
{
	memset(m, 0, sizeof(*m));
	assert_int_equal(vrrp_route_msg(NULL, r, dflt_if, add, &m->msg), 0);
	m->h = nlmsg_hdr(m->msg);
	assert_int_equal(m->h->nlmsg_type, add ? RTM_NEWROUTE : RTM_DELROUTE);
	m->rtm = nlmsg_data(m->h);
	assert_int_equal(nlmsg_parse(m->h, sizeof(struct rtmsg), m->tb, RTA_MAX, NULL), 0);
	if (m->tb[RTA_METRICS])
		assert_int_equal(nla_parse_nested(m->mx, RTAX_MAX, m->tb[RTA_METRICS], NULL), 0);
}

static uint32_t u32_of(struct nlattr *a)
{
	assert_non_null(a);
	return nla_get_u32(a);
}

static void assert_v4(struct nlattr *a, const char *s)
{
	struct cfg_addr want;

	assert_non_null(a);
	assert_int_equal(cfg_addr_parse(s, &want), 0);
	assert_int_equal(nla_len(a), 4);
	assert_memory_equal(nla_data(a), &want.u.v4, 4);
}

#define ROUTES								\
	"static_routes {\n"						\
	"    10.50.0.0/16 via 10.9.0.254 metric 7 table 100\n"		\
	"    blackhole 10.66.0.0/16\n"					\
	"    10.77.0.0/16 dev lo scope host protocol static mtu lock 1400 rtt 10 rttvar 5 " \
	"congctl cubic\n"						\
	"    10.78.0.0/16 table nosuchtable\n"				\
	"    10.79.0.0/16 nexthop via 127.0.0.2 dev lo weight 2 nexthop via 127.0.0.3 dev lo\n" \
	"    fd00:50::/64 via fd00:9::fe pref high\n"			\
	"    10.80.0.0/16 via 10.9.0.1 dev lo onlink\n"			\
	"    10.81.0.0/16 src 10.9.0.1\n"				\
	"    local 10.82.0.1\n"						\
	"    10.83.0.0/16 dev nosuchdev9\n"				\
	"    10.50.0.0/16 via 10.9.0.254 metric 7 table 100 append\n"	\
	"}\n"

static void test_route_msgs(void **state)
{
	struct rmsg m;
	struct nl_msg *x = NULL;
	const struct rtnexthop *nh;

	(void)state;
	load(ROUTES);

	/* via, metric, table; protocol keepalived, scope universe, EXCL */
	route_parse(&m, route_n(0), 0, true);
	assert_int_equal(m.rtm->rtm_family, AF_INET);
	assert_int_equal(m.rtm->rtm_dst_len, 16);
	assert_int_equal(m.rtm->rtm_type, RTN_UNICAST);
	assert_int_equal(m.rtm->rtm_protocol, VRRP_RTPROT_KEEPALIVED);
	assert_int_equal(m.rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(u32_of(m.tb[RTA_TABLE]), 100);
	assert_int_equal(u32_of(m.tb[RTA_PRIORITY]), 7);
	assert_v4(m.tb[RTA_DST], "10.50.0.0");
	assert_v4(m.tb[RTA_GATEWAY], "10.9.0.254");
	assert_null(m.tb[RTA_OIF]);
	assert_null(m.tb[RTA_METRICS]);
	assert_true(m.h->nlmsg_flags & NLM_F_EXCL);
	assert_true(m.h->nlmsg_flags & NLM_F_CREATE);
	nlmsg_free(m.msg);
	/* the default interface is for routes with neither device nor gateway */
	route_parse(&m, route_n(0), 1, true);
	assert_null(m.tb[RTA_OIF]);
	nlmsg_free(m.msg);
	route_parse(&m, route_n(0), 0, false);
	assert_false(m.h->nlmsg_flags & NLM_F_CREATE);
	assert_int_equal(m.rtm->rtm_protocol, VRRP_RTPROT_KEEPALIVED);
	nlmsg_free(m.msg);

	/* blackhole: main table, no nexthop, scope universe (as iproute2) */
	route_parse(&m, route_n(1), 5, true);
	assert_int_equal(m.rtm->rtm_type, RTN_BLACKHOLE);
	assert_int_equal(m.rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	assert_int_equal(u32_of(m.tb[RTA_TABLE]), VRRP_RT_TABLE_MAIN);
	assert_null(m.tb[RTA_OIF]);
	assert_null(m.tb[RTA_GATEWAY]);
	nlmsg_free(m.msg);

	/* dev, explicit scope and protocol, metrics with lock, congctl */
	route_parse(&m, route_n(2), 0, true);
	assert_int_equal(m.rtm->rtm_scope, RT_SCOPE_HOST);
	assert_int_equal(m.rtm->rtm_protocol, 4);	/* static */
	assert_int_equal(u32_of(m.tb[RTA_OIF]), if_nametoindex("lo"));
	assert_int_equal(u32_of(m.mx[RTAX_MTU]), 1400);
	assert_int_equal(u32_of(m.mx[RTAX_RTT]), 80);		/* 10 ms in 1/8 ms */
	assert_int_equal(u32_of(m.mx[RTAX_RTTVAR]), 20);	/* 5 ms in 1/4 ms */
	assert_int_equal(u32_of(m.mx[RTAX_LOCK]), 1u << RTAX_MTU);
	assert_non_null(m.mx[RTAX_CC_ALGO]);
	assert_string_equal(nla_data(m.mx[RTAX_CC_ALGO]), "cubic");
	nlmsg_free(m.msg);
	/* no metrics in a removal */
	route_parse(&m, route_n(2), 0, false);
	assert_null(m.tb[RTA_METRICS]);
	nlmsg_free(m.msg);

	/* a table name nobody defined */
	assert_int_equal(vrrp_route_msg(NULL, route_n(3), 0, true, &x), -ENOENT);
	assert_null(x);

	/* multipath: weight 2 travels as rtnh_hops 1, no weight as 0 */
	route_parse(&m, route_n(4), 0, true);
	assert_non_null(m.tb[RTA_MULTIPATH]);
	assert_null(m.tb[RTA_GATEWAY]);
	nh = nla_data(m.tb[RTA_MULTIPATH]);
	assert_int_equal(nh->rtnh_hops, 1);
	assert_int_equal(nh->rtnh_ifindex, if_nametoindex("lo"));
	nh = (const struct rtnexthop *)((const char *)nh + RTNH_ALIGN(nh->rtnh_len));
	assert_int_equal(nh->rtnh_hops, 0);
	assert_int_equal(m.rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	nlmsg_free(m.msg);

	/* IPv6 with a router preference */
	route_parse(&m, route_n(5), 0, true);
	assert_int_equal(m.rtm->rtm_family, AF_INET6);
	assert_int_equal(m.rtm->rtm_dst_len, 64);
	assert_non_null(m.tb[RTA_PREF]);
	assert_int_equal(nla_get_u8(m.tb[RTA_PREF]), route_n(5)->pref);
	assert_int_equal(nla_len(m.tb[RTA_GATEWAY]), 16);
	nlmsg_free(m.msg);

	/* onlink: a flag of the (single) nexthop, so of the route */
	route_parse(&m, route_n(6), 0, true);
	assert_true(m.rtm->rtm_flags & RTNH_F_ONLINK);
	nlmsg_free(m.msg);

	/* src is the preferred source; no device: the default one */
	route_parse(&m, route_n(7), 1, true);
	assert_v4(m.tb[RTA_PREFSRC], "10.9.0.1");
	assert_null(m.tb[RTA_SRC]);
	assert_int_equal(u32_of(m.tb[RTA_OIF]), 1);
	assert_int_equal(m.rtm->rtm_scope, RT_SCOPE_LINK);
	nlmsg_free(m.msg);
	route_parse(&m, route_n(7), 0, true);
	assert_null(m.tb[RTA_OIF]);
	nlmsg_free(m.msg);

	/* local: local table, host scope, /32 */
	route_parse(&m, route_n(8), 0, true);
	assert_int_equal(m.rtm->rtm_type, RTN_LOCAL);
	assert_int_equal(m.rtm->rtm_scope, RT_SCOPE_HOST);
	assert_int_equal(m.rtm->rtm_dst_len, 32);
	assert_int_equal(u32_of(m.tb[RTA_TABLE]), VRRP_RT_TABLE_LOCAL);
	nlmsg_free(m.msg);

	/* a device that does not exist */
	assert_int_equal(vrrp_route_msg(NULL, route_n(9), 0, true, &x), -ENODEV);

	/* append */
	route_parse(&m, route_n(10), 0, true);
	assert_true(m.h->nlmsg_flags & NLM_F_APPEND);
	assert_false(m.h->nlmsg_flags & NLM_F_EXCL);
	nlmsg_free(m.msg);

	/* sameness: by what would be sent */
	assert_true(vrrp_route_same(route_n(0), route_n(0), 0));
	assert_false(vrrp_route_same(route_n(0), route_n(1), 0));
	/* append changes how it is added, not the route */
	assert_true(vrrp_route_same(route_n(0), route_n(10), 0));
	assert_false(vrrp_route_same(route_n(3), route_n(3), 0));	/* cannot be built */
	unload();

	/* the same line in another file is the same route */
	load("static_routes {\n    10.50.0.0/16 via 10.9.0.254 metric 7 table 100\n"
	     "    10.50.0.0/16 via 10.9.0.254 metric 8 table 100\n}\n");
	{
		struct cfg_root *first = root;

		root = NULL;
		load("static_routes {\n\n\n"
		     "    10.50.0.0/16 via 10.9.0.254 table 100 metric 7\n}\n");
		assert_true(vrrp_route_same(first->vrrp->static_routes, route_n(0), 0));
		assert_false(vrrp_route_same(first->vrrp->static_routes->next, route_n(0), 0));
		cfg_free(first);
	}
	unload();
}

#define RULES								\
	"static_rules {\n"						\
	"    from 10.9.0.100 table 100 priority 200\n"			\
	"    not to 10.88.0.0/16 table 100 priority 201\n"		\
	"    fwmark 0x10/0xff iif lo table main priority 202 suppress_prefixlength 0\n" \
	"    from all uidrange 100-200 prohibit priority 203\n"		\
	"    from fd00:9::/64 table 100 priority 204\n"			\
	"    from 10.1.0.0/16 goto 300 priority 205\n"			\
	"    from 10.2.0.0/16 table nosuchtable\n"			\
	"    to 10.3.0.0/16 table 100 protocol 99 ipproto tcp dport 80-90\n" \
	"}\n"

struct umsg {
	struct nl_msg *msg;
	struct nlmsghdr *h;
	struct fib_rule_hdr *frh;
	struct nlattr *tb[FRA_MAX + 1];
};

static void rule_parse(struct umsg *m, const struct cfg_rule *r, bool add)
{
	memset(m, 0, sizeof(*m));
	assert_int_equal(vrrp_rule_msg(r, add, &m->msg), 0);
	m->h = nlmsg_hdr(m->msg);
	assert_int_equal(m->h->nlmsg_type, add ? RTM_NEWRULE : RTM_DELRULE);
	m->frh = nlmsg_data(m->h);
	assert_int_equal(nlmsg_parse(m->h, sizeof(struct fib_rule_hdr), m->tb, FRA_MAX, NULL), 0);
}

static void test_rule_msgs(void **state)
{
	struct umsg m;
	struct nl_msg *x = NULL;

	(void)state;
	load(RULES);

	rule_parse(&m, rule_n(0), true);
	assert_int_equal(m.frh->family, AF_INET);
	assert_int_equal(m.frh->action, FR_ACT_TO_TBL);
	assert_int_equal(m.frh->src_len, 32);
	assert_int_equal(m.frh->flags & FIB_RULE_INVERT, 0);
	assert_v4(m.tb[FRA_SRC], "10.9.0.100");
	assert_null(m.tb[FRA_DST]);
	assert_int_equal(u32_of(m.tb[FRA_TABLE]), 100);
	assert_int_equal(u32_of(m.tb[FRA_PRIORITY]), 200);
	assert_non_null(m.tb[FRA_PROTOCOL]);
	assert_int_equal(nla_get_u8(m.tb[FRA_PROTOCOL]), VRRP_RTPROT_KEEPALIVED);
	assert_true(m.h->nlmsg_flags & NLM_F_EXCL);
	nlmsg_free(m.msg);
	rule_parse(&m, rule_n(0), false);
	assert_int_equal(u32_of(m.tb[FRA_PRIORITY]), 200);
	nlmsg_free(m.msg);

	rule_parse(&m, rule_n(1), true);
	assert_true(m.frh->flags & FIB_RULE_INVERT);
	assert_int_equal(m.frh->dst_len, 16);
	assert_v4(m.tb[FRA_DST], "10.88.0.0");
	nlmsg_free(m.msg);

	rule_parse(&m, rule_n(2), true);
	assert_int_equal(u32_of(m.tb[FRA_FWMARK]), 0x10);
	assert_int_equal(u32_of(m.tb[FRA_FWMASK]), 0xff);
	assert_string_equal(nla_data(m.tb[FRA_IIFNAME]), "lo");
	assert_int_equal(u32_of(m.tb[FRA_TABLE]), VRRP_RT_TABLE_MAIN);
	assert_int_equal(u32_of(m.tb[FRA_SUPPRESS_PREFIXLEN]), 0);
	assert_null(m.tb[FRA_SUPPRESS_IFGROUP]);
	nlmsg_free(m.msg);

	rule_parse(&m, rule_n(3), true);
	assert_int_equal(m.frh->action, FR_ACT_PROHIBIT);
	assert_non_null(m.tb[FRA_UID_RANGE]);
	{
		const struct fib_rule_uid_range *u = nla_data(m.tb[FRA_UID_RANGE]);

		assert_int_equal(u->start, 100);
		assert_int_equal(u->end, 200);
	}
	nlmsg_free(m.msg);

	rule_parse(&m, rule_n(4), true);
	assert_int_equal(m.frh->family, AF_INET6);
	assert_int_equal(m.frh->src_len, 64);
	assert_int_equal(nla_len(m.tb[FRA_SRC]), 16);
	nlmsg_free(m.msg);

	rule_parse(&m, rule_n(5), true);
	assert_int_equal(m.frh->action, FR_ACT_GOTO);
	assert_int_equal(u32_of(m.tb[FRA_GOTO]), 300);
	nlmsg_free(m.msg);

	assert_int_equal(vrrp_rule_msg(rule_n(6), true, &x), -ENOENT);
	assert_null(x);

	rule_parse(&m, rule_n(7), true);
	assert_int_equal(nla_get_u8(m.tb[FRA_PROTOCOL]), 99);
	assert_int_equal(nla_get_u8(m.tb[FRA_IP_PROTO]), 6);
	{
		const struct fib_rule_port_range *p = nla_data(m.tb[FRA_DPORT_RANGE]);

		assert_int_equal(p->start, 80);
		assert_int_equal(p->end, 90);
	}
	nlmsg_free(m.msg);

	assert_true(vrrp_rule_same(rule_n(0), rule_n(0)));
	assert_false(vrrp_rule_same(rule_n(0), rule_n(1)));
	assert_false(vrrp_rule_same(rule_n(6), rule_n(6)));
	unload();
}

/* ------------------------------------------------------------------ */
/* VMAC names and addresses */

static void test_vmac_names(void **state)
{
	char name[IFNAMSIZ];
	uint8_t mac[6];
	static const uint8_t v4[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 51 };
	static const uint8_t v6[6] = { 0x00, 0x00, 0x5e, 0x00, 0x02, 255 };
	struct cfg_vrrp_inst c;

	(void)state;
	vrrp_vmac_name(51, "", name);
	assert_string_equal(name, "vrrp.51");
	vrrp_vmac_name(7, NULL, name);
	assert_string_equal(name, "vrrp.7");
	vrrp_vmac_name(7, "vmac-web", name);
	assert_string_equal(name, "vmac-web");
	vrrp_vmac_addr(51, AF_INET, mac);
	assert_memory_equal(mac, v4, 6);
	vrrp_vmac_addr(255, AF_INET6, mac);
	assert_memory_equal(mac, v6, 6);

	memset(&c, 0, sizeof(c));
	c.vrid = 51;
	c.family = AF_INET;
	vrrp_vmac_cfg_addr(&c, mac);
	assert_memory_equal(mac, v4, 6);
	c.vmac_mac_len = 5;
	memcpy(c.vmac_mac, "\x02\x11\x22\x33\x44", 5);
	vrrp_vmac_cfg_addr(&c, mac);
	assert_memory_equal(mac, "\x02\x11\x22\x33\x44\x33", 6);
	c.vmac_mac_len = 6;
	memcpy(c.vmac_mac, "\x02\x11\x22\x33\x44\x55", 6);
	vrrp_vmac_cfg_addr(&c, mac);
	assert_memory_equal(mac, "\x02\x11\x22\x33\x44\x55", 6);
}

static void test_vmac_bad_args(void **state)
{
	int idx = 77;

	(void)state;
	/* refused before any netlink traffic (nl is never touched) */
	assert_int_equal(vrrp_vmac_create(NULL, 1, 1, AF_INET, "", &idx), -EINVAL);
	assert_int_equal(vrrp_vmac_create(NULL, 0, 1, AF_INET, "vrrp.1", &idx), -EINVAL);
	assert_int_equal(vrrp_vmac_create(NULL, 1, 1, AF_UNSPEC, "vrrp.1", &idx), -EINVAL);
	assert_int_equal(vrrp_vmac_create(NULL, 1, 1, AF_INET, "a-name-much-too-long", &idx),
			 -EINVAL);
	assert_int_equal(idx, 77);
	assert_int_equal(vrrp_vmac_delete(NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtid_lookup),
		cmocka_unit_test(test_rtid_resolve),
		cmocka_unit_test(test_nle_errno),
		cmocka_unit_test(test_route_msgs),
		cmocka_unit_test(test_rule_msgs),
		cmocka_unit_test(test_vmac_names),
		cmocka_unit_test(test_vmac_bad_args),
	};

	return cmocka_run_group_tests(tests, names_setup, names_teardown);
}
