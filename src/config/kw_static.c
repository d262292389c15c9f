// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address, route and rule lines: the bodies of virtual_ipaddress,
 * virtual_ipaddress_excluded, virtual_routes, virtual_rules and of the
 * top-level static_ipaddress, static_routes and static_rules blocks. Each
 * line is parsed into a struct the VRRP engine hands to libnl as is. The
 * grammar follows `ip address`, `ip route` and `ip rule` (full option
 * names only). Pure: libc only.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_vrrp.h"
#include "config/cfg.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Name tables */

const char *const cfg_route_type_name[CFG_RT__COUNT] = {
	[CFG_RT_UNICAST] = "unicast",
	[CFG_RT_LOCAL] = "local",
	[CFG_RT_BROADCAST] = "broadcast",
	[CFG_RT_ANYCAST] = "anycast",
	[CFG_RT_MULTICAST] = "multicast",
	[CFG_RT_BLACKHOLE] = "blackhole",
	[CFG_RT_UNREACHABLE] = "unreachable",
	[CFG_RT_PROHIBIT] = "prohibit",
	[CFG_RT_THROW] = "throw",
	[CFG_RT_NAT] = "nat",
};
_Static_assert(ARRAY_SIZE(cfg_route_type_name) == CFG_RT__COUNT, "route type names");

const char *const cfg_rtax_name[CFG_RTAX__COUNT] = {
	[CFG_RTAX_MTU] = "mtu",
	[CFG_RTAX_WINDOW] = "window",
	[CFG_RTAX_RTT] = "rtt",
	[CFG_RTAX_RTTVAR] = "rttvar",
	[CFG_RTAX_SSTHRESH] = "ssthresh",
	[CFG_RTAX_CWND] = "cwnd",
	[CFG_RTAX_ADVMSS] = "advmss",
	[CFG_RTAX_REORDERING] = "reordering",
	[CFG_RTAX_HOPLIMIT] = "hoplimit",
	[CFG_RTAX_INITCWND] = "initcwnd",
	[CFG_RTAX_FEATURES] = "features",
	[CFG_RTAX_RTO_MIN] = "rto_min",
	[CFG_RTAX_INITRWND] = "initrwnd",
	[CFG_RTAX_QUICKACK] = "quickack",
	[CFG_RTAX_FASTOPEN_NO_COOKIE] = "fastopen_no_cookie",
};
_Static_assert(ARRAY_SIZE(cfg_rtax_name) == CFG_RTAX__COUNT, "metric names");

static const char *const rule_action_name[CFG_RULE_ACT__COUNT] = {
	[CFG_RULE_ACT_TABLE] = "table",
	[CFG_RULE_ACT_GOTO] = "goto",
	[CFG_RULE_ACT_NOP] = "nop",
	[CFG_RULE_ACT_BLACKHOLE] = "blackhole",
	[CFG_RULE_ACT_UNREACHABLE] = "unreachable",
	[CFG_RULE_ACT_PROHIBIT] = "prohibit",
};
_Static_assert(ARRAY_SIZE(rule_action_name) == CFG_RULE_ACT__COUNT, "rule action names");

struct id_name {
	const char *name;
	uint32_t id;
};

static const struct id_name scope_names[] = {
	{ "global", CFG_SCOPE_GLOBAL }, { "site", CFG_SCOPE_SITE }, { "link", CFG_SCOPE_LINK },
	{ "host", CFG_SCOPE_HOST },	{ "nowhere", CFG_SCOPE_NOWHERE },
};

/* iproute2's built-in rt_tables and rt_protos entries. */
static const struct id_name table_names[] = {
	{ "unspec", 0 }, { "default", 253 }, { "main", 254 }, { "local", 255 },
};

static const struct id_name proto_names[] = {
	{ "unspec", 0 }, { "redirect", 1 }, { "kernel", 2 }, { "boot", 3 },
	{ "static", 4 }, { "ra", 9 }, { "mrt", 10 }, { "zebra", 11 },
	{ "bird", 12 }, { "dnrouted", 13 }, { "xorp", 14 }, { "ntk", 15 },
	{ "dhcp", 16 }, { "keepalived", 18 }, { "babel", 42 }, { "bgp", 186 },
	{ "isis", 187 }, { "ospf", 188 }, { "rip", 189 }, { "eigrp", 192 },
};

static const struct id_name ip_proto_names[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "dccp", 33 }, { "ipv6-icmp", 58 },
	{ "sctp", 132 },
};

static const struct id_name pref_names[] = {
	{ "low", 3 }, { "medium", 0 }, { "high", 1 },	/* ICMPV6_ROUTER_PREF_* */
};

static const char *id_to_name(const struct id_name *t, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return NULL;
}

static bool name_to_id(const struct id_name *t, size_t n, const char *s, uint32_t *ret)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(t[i].name, s)) {
			*ret = t[i].id;
			return true;
		}
	}
	return false;
}

const char *cfg_vrrp_scope_name(unsigned scope)
{
	return id_to_name(scope_names, ARRAY_SIZE(scope_names), scope);
}

/* ------------------------------------------------------------------ */
/* The line cursor */

struct lp {
	struct cfg_ctx *ctx;
	const struct cfg_node *n;
	const char *blk;	/* block keyword, for messages */
	unsigned i;		/* next word */
	int err;
};

static unsigned lp_nwords(const struct lp *lp)
{
	return lp->n->nargs + 1;
}

static const char *lp_word(const struct lp *lp, unsigned i)
{
	return i == 0 ? lp->n->kw : lp->n->args[i - 1];
}

static bool lp_more(const struct lp *lp)
{
	return lp->i < lp_nwords(lp);
}

static const char *lp_next(struct lp *lp)
{
	return lp_more(lp) ? lp_word(lp, lp->i++) : NULL;
}

static const char *lp_peek(const struct lp *lp)
{
	return lp_more(lp) ? lp_word(lp, lp->i) : NULL;
}

__attribute__((format(printf, 2, 3))) static int lp_err(struct lp *lp, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_diag(lp->ctx->diags, CFG_SEV_ERROR, lp->n->file, lp->n->line, "%s: %s", lp->blk,
		 msg);
	lp->err = -EINVAL;
	return -EINVAL;
}

__attribute__((format(printf, 2, 3))) static void lp_warn(struct lp *lp, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_diag(lp->ctx->diags, CFG_SEV_WARN, lp->n->file, lp->n->line, "%s: %s", lp->blk,
		 msg);
}

/* The argument of option opt; reports a missing one. */
static const char *lp_arg(struct lp *lp, const char *opt)
{
	const char *s = lp_next(lp);

	if (!s)
		lp_err(lp, "'%s' needs a value", opt);
	return s;
}

/* Unsigned number: decimal, or hex with 0x. */
static int parse_u64(const char *s, uint64_t max, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int lp_uint(struct lp *lp, const char *opt, uint64_t min, uint64_t max, uint64_t *ret)
{
	const char *s = lp_arg(lp, opt);
	uint64_t v;

	if (!s)
		return -EINVAL;
	if (parse_u64(s, max, &v) < 0 || v < min)
		return lp_err(lp, "%s %s: must be %" PRIu64 "..%" PRIu64, opt, s, min, max);
	*ret = v;
	return 0;
}

static int lp_addr(struct lp *lp, const char *opt, struct cfg_addr *ret)
{
	const char *s = lp_arg(lp, opt);

	if (!s)
		return -EINVAL;
	if (cfg_addr_parse(s, ret) < 0)
		return lp_err(lp, "%s %s: must be an IPv4 or IPv6 address", opt, s);
	return 0;
}

static bool ifname_ok(const char *s)
{
	size_t l = strlen(s);

	if (!l || l >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

int cfg_vrrp_ifname(struct cfg_ctx *ctx, const struct cfg_node *n, const char *what,
		    const char *s, char ret[IFNAMSIZ])
{
	if (!ifname_ok(s)) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: not a valid interface name (1..%d characters, no '/', ':' "
			 "or spaces)",
			 what, s, IFNAMSIZ - 1);
		return -EINVAL;
	}
	memcpy(ret, s, strlen(s) + 1);
	return 0;
}

static int lp_ifname(struct lp *lp, const char *opt, char ret[IFNAMSIZ])
{
	const char *s = lp_arg(lp, opt);

	if (!s)
		return -EINVAL;
	if (!ifname_ok(s))
		return lp_err(lp, "%s %s: not a valid interface name", opt, s);
	memcpy(ret, s, strlen(s) + 1);
	return 0;
}

/* A number or a name from tbl; other names are kept when keep_names. */
static int lp_rtid(struct lp *lp, const char *opt, const struct id_name *tbl, size_t ntbl,
		   uint64_t max, bool keep_names, struct cfg_rtid *ret)
{
	const char *s = lp_arg(lp, opt);
	uint64_t v;
	uint32_t id;
	const char *p;

	if (!s)
		return -EINVAL;
	free(ret->name);
	ret->name = NULL;
	if (parse_u64(s, max, &v) == 0) {
		ret->id = (uint32_t)v;
	} else if (name_to_id(tbl, ntbl, s, &id)) {
		ret->id = id;
	} else {
		for (p = s; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
				break;
		if (!keep_names || *p || isdigit((unsigned char)*s))
			return lp_err(lp, "%s %s: must be a number 0..%" PRIu64 " or a name", opt,
				      s, max);
		ret->name = cfg_strdup(s);
		ret->id = 0;
	}
	ret->set = true;
	return 0;
}

static void put_rtid(FILE *out, const char *opt, const struct cfg_rtid *r,
		     const struct id_name *tbl, size_t ntbl)
{
	const char *nm;

	if (!r->set)
		return;
	fprintf(out, " %s ", opt);
	if (r->name) {
		cfg_put_word(out, r->name);
		return;
	}
	nm = id_to_name(tbl, ntbl, r->id);
	if (nm)
		fputs(nm, out);
	else
		fprintf(out, "%" PRIu32, r->id);
}

static int lp_scope(struct lp *lp, uint8_t *ret)
{
	const char *s = lp_arg(lp, "scope");
	uint64_t v;
	uint32_t id;

	if (!s)
		return -EINVAL;
	if (name_to_id(scope_names, ARRAY_SIZE(scope_names), s, &id)) {
		*ret = (uint8_t)id;
		return 0;
	}
	if (parse_u64(s, 255, &v) == 0) {
		*ret = (uint8_t)v;
		return 0;
	}
	return lp_err(lp, "scope %s: must be global|site|link|host|nowhere or 0..255", s);
}

static void put_scope(FILE *out, uint8_t scope)
{
	const char *nm = cfg_vrrp_scope_name(scope);

	if (nm)
		fprintf(out, " scope %s", nm);
	else
		fprintf(out, " scope %u", scope);
}

/* "N" or "N-M" (or "N/M" when sep is '/'), each 0..max. */
static int lp_pair(struct lp *lp, const char *opt, char sep, uint64_t max, uint64_t *lo,
		   uint64_t *hi)
{
	const char *s = lp_arg(lp, opt);
	char buf[32];
	const char *p;

	if (!s)
		return -EINVAL;
	p = strchr(s, sep);
	if (!p)
		return parse_u64(s, max, lo) < 0 ? -ERANGE : 1;
	if ((size_t)(p - s) >= sizeof(buf))
		return -ERANGE;
	memcpy(buf, s, (size_t)(p - s));
	buf[p - s] = '\0';
	if (parse_u64(buf, max, lo) < 0 || parse_u64(p + 1, max, hi) < 0)
		return -ERANGE;
	return 0;
}

/* realms [FROM/]TO, numbers only */
static int lp_realms(struct lp *lp, uint32_t *ret)
{
	uint64_t from = 0, to;
	int r = lp_pair(lp, "realms", '/', 65535, &from, &to);

	if (r == 1) {
		to = from;
		from = 0;
	}
	if (r == -EINVAL)
		return r;
	if (r < 0)
		return lp_err(lp, "realms %s: must be [FROM/]TO with numbers 0..65535",
			      lp_word(lp, lp->i - 1));
	*ret = (uint32_t)(from << 16 | to);
	return 0;
}

static void put_realms(FILE *out, uint32_t realms)
{
	if (realms >> 16)
		fprintf(out, " realms %" PRIu32 "/%" PRIu32, realms >> 16, realms & 0xffff);
	else
		fprintf(out, " realms %" PRIu32, realms);
}

static void put_addr(FILE *out, const char *opt, const struct cfg_addr *a)
{
	char buf[CFG_ADDRSTRLEN];

	if (a->family == AF_UNSPEC)
		return;
	if (opt)
		fprintf(out, " %s", opt);
	fprintf(out, " %s", cfg_addr_fmt(a, buf, sizeof(buf)));
}

static void put_str(FILE *out, const char *opt, const char *s)
{
	if (!s || !*s)
		return;
	fprintf(out, " %s ", opt);
	cfg_put_word(out, s);
}

static int lp_track_group(struct lp *lp, bool is_static, char **ret)
{
	const char *s = lp_arg(lp, "track_group");

	if (!s)
		return -EINVAL;
	if (!is_static) {
		lp_warn(lp, "track_group applies to static entries only; ignored");
		return 0;
	}
	free(*ret);
	*ret = cfg_strdup(s);
	return 0;
}

/* Reports an address a whose family differs from that of ref. */
static int lp_same_family(struct lp *lp, const char *opt, const struct cfg_addr *ref,
			  const struct cfg_addr *a)
{
	char buf[CFG_ADDRSTRLEN], rbuf[CFG_ADDRSTRLEN];

	if (a->family == AF_UNSPEC || ref->family == AF_UNSPEC || a->family == ref->family)
		return 0;
	return lp_err(lp, "%s %s: address family differs from %s", opt,
		      cfg_addr_fmt(a, buf, sizeof(buf)), cfg_addr_fmt(ref, rbuf, sizeof(rbuf)));
}

/* ------------------------------------------------------------------ */
/* Simple options of the line grammars, described by tables */

enum opt_kind { OPT_FLAG, OPT_U8, OPT_U32, OPT_ADDR, OPT_IF, OPT_STR, OPT__COUNT };

struct opt {
	const char *name;
	enum opt_kind kind;
	size_t off;		/* the field */
	size_t has;		/* its "given" bool; NO_HAS = none */
	bool alias;		/* another spelling of the entry before: never printed */
};

#define NO_HAS SIZE_MAX
#define O(n, k, T, f) { n, k, offsetof(T, f), NO_HAS, false }
#define OH(n, k, T, f, h) { n, k, offsetof(T, f), offsetof(T, h), false }
#define OA(n, k, T, f, h) { n, k, offsetof(T, f), h, true }

/* 0 (an error is recorded in lp), or 1 when w is not in t. */
static int opt_parse(struct lp *lp, const struct opt *t, size_t nt, void *obj, const char *w)
{
	const struct opt *o = NULL;
	void *f;
	const char *s;
	uint64_t v;
	size_t i;

	for (i = 0; i < nt && !o; i++)
		if (!strcmp(t[i].name, w))
			o = &t[i];
	if (!o)
		return 1;
	f = (char *)obj + o->off;
	switch (o->kind) {
	case OPT_FLAG:
		*(bool *)f = true;
		break;
	case OPT_U8:
	case OPT_U32:
		if (lp_uint(lp, w, 0, o->kind == OPT_U8 ? 255 : UINT32_MAX, &v) < 0)
			return 0;
		if (o->kind == OPT_U8)
			*(uint8_t *)f = (uint8_t)v;
		else
			*(uint32_t *)f = (uint32_t)v;
		break;
	case OPT_ADDR:
		lp_addr(lp, w, f);
		break;
	case OPT_IF:
		lp_ifname(lp, w, f);
		break;
	case OPT_STR:
		s = lp_arg(lp, w);
		if (!s)
			return 0;
		free(*(char **)f);
		*(char **)f = cfg_strdup(s);
		break;
	case OPT__COUNT:
		return lp_err(lp, "%s: internal table error", w);
	}
	if (o->has != NO_HAS)
		*(bool *)((char *)obj + o->has) = true;
	return 0;
}

static void opt_dump(FILE *out, const struct opt *t, size_t nt, const void *obj)
{
	const void *f;
	size_t i;

	for (i = 0; i < nt; i++) {
		if (t[i].alias || (t[i].has != NO_HAS && !*(const bool *)((const char *)obj +
									     t[i].has)))
			continue;
		f = (const char *)obj + t[i].off;
		switch (t[i].kind) {
		case OPT_FLAG:
			if (*(const bool *)f)
				fprintf(out, " %s", t[i].name);
			break;
		case OPT_U8:
			fprintf(out, " %s %u", t[i].name, *(const uint8_t *)f);
			break;
		case OPT_U32:
			fprintf(out, " %s %" PRIu32, t[i].name, *(const uint32_t *)f);
			break;
		case OPT_ADDR:
			put_addr(out, t[i].name, f);
			break;
		case OPT_IF:
			put_str(out, t[i].name, f);
			break;
		case OPT_STR:
			put_str(out, t[i].name, *(char *const *)f);
			break;
		case OPT__COUNT:
			break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Addresses: ADDR[/PREFIX] [brd ADDR|+|-] [dev IF] [scope S] [label L] ... */

static const struct opt vip_opts[] = {
	O("dev", OPT_IF, struct cfg_vip, dev),
	O("peer", OPT_ADDR, struct cfg_vip, peer),
	O("home", OPT_FLAG, struct cfg_vip, home),
	O("-nodad", OPT_FLAG, struct cfg_vip, nodad),
	O("mngtmpaddr", OPT_FLAG, struct cfg_vip, mngtmpaddr),
	O("noprefixroute", OPT_FLAG, struct cfg_vip, noprefixroute),
	O("autojoin", OPT_FLAG, struct cfg_vip, autojoin),
	O("no_track", OPT_FLAG, struct cfg_vip, no_track),
	O("use_vmac", OPT_FLAG, struct cfg_vip, use_vmac),
};

static int vip_option(struct lp *lp, const char *w, bool is_static, struct cfg_vip *v)
{
	const char *s;
	uint64_t u;

	if (opt_parse(lp, vip_opts, ARRAY_SIZE(vip_opts), v, w) == 0)
		return lp->err;
	if (!strcmp(w, "brd") || !strcmp(w, "broadcast")) {
		s = lp_arg(lp, w);
		if (!s)
			return -EINVAL;
		if (!strcmp(s, "+"))
			v->brd_mode = CFG_BRD_SET;
		else if (!strcmp(s, "-"))
			v->brd_mode = CFG_BRD_CLEAR;
		else if (cfg_addr_parse(s, &v->brd) == 0 && !v->brd.has_prefix)
			v->brd_mode = CFG_BRD_ADDR;
		else
			return lp_err(lp, "brd %s: must be an address, + or -", s);
		return 0;
	}
	if (!strcmp(w, "scope"))
		return lp_scope(lp, &v->scope);
	if (!strcmp(w, "label")) {
		s = lp_arg(lp, "label");
		if (!s)
			return -EINVAL;
		if (strlen(s) >= IFNAMSIZ || strchr(s, '/') || strpbrk(s, " \t"))
			return lp_err(lp, "label %s: must be 1..%d characters", s, IFNAMSIZ - 1);
		memcpy(v->label, s, strlen(s) + 1);
		return 0;
	}
	if (!strcmp(w, "preferred_lft")) {
		s = lp_peek(lp);
		if (s && !strcmp(s, "forever")) {
			lp->i++;
			v->preferred_lft_s = CFG_LFT_FOREVER;
		} else {
			if (lp_uint(lp, "preferred_lft", 0, UINT32_MAX - 1, &u) < 0)
				return -EINVAL;
			v->preferred_lft_s = (uint32_t)u;
		}
		v->has_preferred_lft = true;
		return 0;
	}
	if (!strcmp(w, "track_group"))
		return lp_track_group(lp, is_static, &v->track_group);
	return lp_err(lp, "unknown option '%s'", w);
}

static int vip_parse_line(struct lp *lp, bool is_static, struct cfg_vip *v)
{
	const char *w = lp_next(lp);
	char buf[CFG_ADDRSTRLEN];

	if (cfg_addr_parse(w, &v->addr) < 0)
		return lp_err(lp, "%s: must be an IPv4 or IPv6 address[/prefix]", w);
	while (lp_more(lp) && !lp->err)
		vip_option(lp, lp_next(lp), is_static, v);
	if (lp->err)
		return lp->err;
	if (v->brd_mode != CFG_BRD_NONE && v->addr.family != AF_INET)
		return lp_err(lp, "%s: brd applies to IPv4 addresses only",
			      cfg_addr_fmt(&v->addr, buf, sizeof(buf)));
	if (lp_same_family(lp, "brd", &v->addr, &v->brd) < 0 ||
	    lp_same_family(lp, "peer", &v->addr, &v->peer) < 0)
		return -EINVAL;
	/* What the kernel (or keepalived) would not take: warn and drop. */
	if (v->brd_mode != CFG_BRD_NONE && v->peer.family != AF_UNSPEC) {
		lp_warn(lp, "brd and peer together: brd ignored");
		v->brd_mode = CFG_BRD_NONE;
		memset(&v->brd, 0, sizeof(v->brd));
	}
	if ((v->brd_mode == CFG_BRD_SET || v->brd_mode == CFG_BRD_CLEAR) && v->addr.prefix > 30) {
		lp_warn(lp, "brd %c needs a prefix of /30 or shorter; ignored",
			v->brd_mode == CFG_BRD_SET ? '+' : '-');
		v->brd_mode = CFG_BRD_NONE;
	}
	if (v->scope != CFG_SCOPE_GLOBAL && v->addr.family == AF_INET6) {
		lp_warn(lp, "scope applies to IPv4 addresses only; ignored");
		v->scope = CFG_SCOPE_GLOBAL;
	}
	if (v->use_vmac && is_static) {
		lp_warn(lp, "use_vmac applies to virtual addresses only; ignored");
		v->use_vmac = false;
	}
	return 0;
}

static void vip_dump_line(FILE *out, const void *elem, int indent)
{
	const struct cfg_vip *v = elem;
	char buf[CFG_ADDRSTRLEN];
	static const char *const brd[CFG_BRD__COUNT] = {
		[CFG_BRD_SET] = " brd +",
		[CFG_BRD_CLEAR] = " brd -",
	};

	cfg_indent(out, indent);
	fputs(cfg_addr_fmt(&v->addr, buf, sizeof(buf)), out);
	if (v->brd_mode == CFG_BRD_ADDR)
		put_addr(out, "brd", &v->brd);
	else if (brd[v->brd_mode])
		fputs(brd[v->brd_mode], out);
	if (v->scope != CFG_SCOPE_GLOBAL)
		put_scope(out, v->scope);
	put_str(out, "label", v->label);
	opt_dump(out, vip_opts, ARRAY_SIZE(vip_opts), v);
	if (v->has_preferred_lft && v->preferred_lft_s == CFG_LFT_FOREVER)
		fputs(" preferred_lft forever", out);
	else if (v->has_preferred_lft)
		fprintf(out, " preferred_lft %" PRIu32, v->preferred_lft_s);
	put_str(out, "track_group", v->track_group);
	fputc('\n', out);
}

static void vip_free(void *elem)
{
	struct cfg_vip *v = elem;

	free(v->track_group);
	free(v);
}

/* ------------------------------------------------------------------ */
/* Routes: [TYPE] [to] PREFIX|default [src A] [via A] [dev IF] [table T] ... */

struct rt_state {
	bool dst_default;
	bool have_dst;
	struct cfg_addr *ors;	/* deprecated "or ADDR" gateways */
	unsigned nors;
};

static const struct opt route_opts[] = {
	O("src", OPT_ADDR, struct cfg_route, src),
	O("from", OPT_ADDR, struct cfg_route, from),
	O("via", OPT_ADDR, struct cfg_route, via),
	O("dev", OPT_IF, struct cfg_route, dev),
	OA("oif", OPT_IF, struct cfg_route, dev, NO_HAS),
	OH("metric", OPT_U32, struct cfg_route, metric, has_metric),
	OA("priority", OPT_U32, struct cfg_route, metric, offsetof(struct cfg_route, has_metric)),
	OA("preference", OPT_U32, struct cfg_route, metric,
	   offsetof(struct cfg_route, has_metric)),
	OH("tos", OPT_U8, struct cfg_route, tos, has_tos),
	OA("dsfield", OPT_U8, struct cfg_route, tos, offsetof(struct cfg_route, has_tos)),
	OH("expires", OPT_U32, struct cfg_route, expires_s, has_expires),
	O("vrf", OPT_STR, struct cfg_route, vrf),
	O("onlink", OPT_FLAG, struct cfg_route, onlink),
	O("append", OPT_FLAG, struct cfg_route, append),
	O("no_track", OPT_FLAG, struct cfg_route, no_track),
};

static int route_metric(struct lp *lp, const char *w, struct cfg_route *r)
{
	const char *s;
	unsigned m;
	uint64_t v;
	bool lock = false;

	for (m = 0; m < CFG_RTAX__COUNT; m++)
		if (!strcmp(w, cfg_rtax_name[m]))
			break;
	if (m == CFG_RTAX__COUNT)
		return 1;
	if (m == CFG_RTAX_FEATURES) {
		s = lp_arg(lp, w);
		if (!s)
			return -EINVAL;
		if (strcmp(s, "ecn"))
			return lp_err(lp, "features %s: only 'ecn' is known", s);
		v = CFG_RTAX_FEATURE_ECN;
	} else if (m == CFG_RTAX_QUICKACK || m == CFG_RTAX_FASTOPEN_NO_COOKIE) {
		if (lp_uint(lp, w, 0, 1, &v) < 0)
			return -EINVAL;
	} else {
		s = lp_peek(lp);
		if (s && !strcmp(s, "lock")) {
			lock = true;
			lp->i++;
		}
		if (lp_uint(lp, w, 0, UINT32_MAX, &v) < 0)
			return -EINVAL;
	}
	r->metrics[m] = (uint32_t)v;
	r->metrics_set |= 1u << m;
	if (lock)
		r->metrics_lock |= 1u << m;
	return 0;
}

/* The words after "nexthop": via A, dev IF, weight N, onlink, realms R. */
static int route_nexthops(struct lp *lp, struct cfg_route *r)
{
	struct cfg_nexthop *nh = NULL, **tail = &r->nexthops;
	const char *w;
	uint64_t v;

	while (*tail)
		tail = &(*tail)->next;
	while (!lp->err && (w = lp_next(lp))) {
		if (!strcmp(w, "nexthop")) {
			nh = cfg_zalloc(sizeof(*nh));
			*tail = nh;
			tail = &nh->next;
		} else if (!nh) {
			return lp_err(lp, "'%s' before the first nexthop", w);
		} else if (!strcmp(w, "via")) {
			lp_addr(lp, "via", &nh->via);
		} else if (!strcmp(w, "dev")) {
			lp_ifname(lp, "dev", nh->dev);
		} else if (!strcmp(w, "weight")) {
			if (lp_uint(lp, "weight", 1, 256, &v) == 0)
				nh->weight = (uint16_t)v;
		} else if (!strcmp(w, "onlink")) {
			nh->onlink = true;
		} else if (!strcmp(w, "realms")) {
			if (lp_realms(lp, &nh->realms) == 0)
				nh->has_realms = true;
		} else {
			return lp_err(lp, "unknown nexthop option '%s'", w);
		}
	}
	return lp->err;
}

static int route_type_word(const char *w)
{
	int t;

	for (t = 0; t < CFG_RT__COUNT; t++)
		if (!strcmp(w, cfg_route_type_name[t]))
			return t;
	return -1;
}

static int route_option(struct lp *lp, const char *w, bool is_static, struct cfg_route *r,
			struct rt_state *st)
{
	const char *s;
	uint32_t id;
	int t, m;

	if (!strcmp(w, "via") || !strcmp(w, "gw")) {
		if (!strcmp(w, "gw"))
			lp_warn(lp, "'gw' is deprecated; use 'via'");
		s = lp_peek(lp);
		if (s && (!strcmp(s, "inet") || !strcmp(s, "inet6")))
			lp->i++;
		return lp_addr(lp, w, &r->via);
	}
	if (opt_parse(lp, route_opts, ARRAY_SIZE(route_opts), r, w) == 0)
		return lp->err;
	if (!strcmp(w, "or")) {
		lp_warn(lp, "'or' is deprecated; use 'nexthop via'");
		st->ors = realloc(st->ors, (st->nors + 1) * sizeof(*st->ors));
		if (!st->ors)
			abort();
		return lp_addr(lp, "or", &st->ors[st->nors++]);
	}
	if (!strcmp(w, "table") || !strcmp(w, "lookup"))
		return lp_rtid(lp, w, table_names, ARRAY_SIZE(table_names), UINT32_MAX, true,
			       &r->table);
	if (!strcmp(w, "scope")) {
		r->has_scope = true;
		return lp_scope(lp, &r->scope);
	}
	if (!strcmp(w, "proto") || !strcmp(w, "protocol"))
		return lp_rtid(lp, w, proto_names, ARRAY_SIZE(proto_names), 255, true,
			       &r->protocol);
	if (!strcmp(w, "realms")) {
		r->has_realms = true;
		return lp_realms(lp, &r->realms);
	}
	if (!strcmp(w, "pref")) {
		s = lp_arg(lp, "pref");
		if (!s)
			return -EINVAL;
		if (!name_to_id(pref_names, ARRAY_SIZE(pref_names), s, &id))
			return lp_err(lp, "pref %s: must be low|medium|high", s);
		r->pref = (uint8_t)id;
		r->has_pref = true;
		return 0;
	}
	if (!strcmp(w, "congctl")) {
		s = lp_peek(lp);
		if (s && !strcmp(s, "lock")) {
			r->congctl_lock = true;
			lp->i++;
		}
		s = lp_arg(lp, "congctl");
		if (!s)
			return -EINVAL;
		free(r->congctl);
		r->congctl = cfg_strdup(s);
		return 0;
	}
	if (!strcmp(w, "track_group"))
		return lp_track_group(lp, is_static, &r->track_group);
	if (!strcmp(w, "inet") || !strcmp(w, "inet6")) {
		r->family = !strcmp(w, "inet") ? AF_INET : AF_INET6;
		r->family_forced = true;
		return 0;
	}
	if (!strcmp(w, "encap") || !strcmp(w, "mpls") || !strcmp(w, "nhid"))
		return lp_err(lp, "'%s' is not supported by alived", w);
	m = route_metric(lp, w, r);
	if (m <= 0)
		return m;
	/* Not an option: the route type or the destination. */
	if (st->have_dst)
		return lp_err(lp, "unexpected word '%s'", w);
	t = route_type_word(w);
	if (t >= 0 && r->type == CFG_RT_UNICAST) {
		r->type = (enum cfg_route_type)t;
		return 0;
	}
	if (!strcmp(w, "to")) {
		w = lp_arg(lp, "to");
		if (!w)
			return -EINVAL;
		t = route_type_word(w);
		if (t >= 0 && r->type == CFG_RT_UNICAST) {
			r->type = (enum cfg_route_type)t;
			w = lp_arg(lp, "to");
			if (!w)
				return -EINVAL;
		}
	}
	st->have_dst = true;
	if (!strcmp(w, "default")) {
		st->dst_default = true;
		return 0;
	}
	if (cfg_addr_parse(w, &r->dst) < 0)
		return lp_err(lp, "%s: must be a destination address[/prefix] or default", w);
	return 0;
}

/* Turns "via A or B or C" into nexthops A, B and C. */
static void route_apply_ors(struct cfg_route *r, struct rt_state *st)
{
	struct cfg_nexthop *nh, **tail = &r->nexthops;
	unsigned i;

	if (!st->nors)
		return;
	while (*tail)
		tail = &(*tail)->next;
	nh = cfg_zalloc(sizeof(*nh));
	nh->via = r->via;
	memset(&r->via, 0, sizeof(r->via));
	*tail = nh;
	tail = &nh->next;
	for (i = 0; i < st->nors; i++) {
		nh = cfg_zalloc(sizeof(*nh));
		nh->via = st->ors[i];
		*tail = nh;
		tail = &nh->next;
	}
}

static int route_finish(struct lp *lp, struct cfg_route *r, struct rt_state *st)
{
	const struct cfg_nexthop *nh;
	unsigned i;

	if (!st->have_dst)
		return lp_err(lp, "no destination");
	if (!r->family_forced)
		r->family = st->dst_default ? AF_INET : r->dst.family;
	if (st->dst_default) {
		memset(&r->dst, 0, sizeof(r->dst));
		r->dst.family = r->family;
		r->dst.has_prefix = true;
	} else if (r->dst.family != r->family) {
		return lp_err(lp, "%s: does not match inet/inet6", lp_word(lp, 0));
	}
	if (lp_same_family(lp, "src", &r->dst, &r->src) < 0 ||
	    lp_same_family(lp, "from", &r->dst, &r->from) < 0 ||
	    lp_same_family(lp, "via", &r->dst, &r->via) < 0)
		return -EINVAL;
	for (i = 0; i < st->nors; i++)
		if (lp_same_family(lp, "or", &r->dst, &st->ors[i]) < 0)
			return -EINVAL;
	for (nh = r->nexthops; nh; nh = nh->next)
		if (lp_same_family(lp, "nexthop via", &r->dst, &nh->via) < 0)
			return -EINVAL;
	if (r->from.family != AF_UNSPEC && r->family != AF_INET6)
		return lp_err(lp, "'from' applies to IPv6 routes only");
	if ((r->has_pref || r->has_expires) && r->family != AF_INET6)
		return lp_err(lp, "'%s' applies to IPv6 routes only",
			      r->has_pref ? "pref" : "expires");
	if (st->nors && r->via.family == AF_UNSPEC)
		return lp_err(lp, "'or' needs a 'via' gateway first");
	route_apply_ors(r, st);
	return 0;
}

static int route_parse_line(struct lp *lp, bool is_static, struct cfg_route *r)
{
	struct rt_state st = { 0 };
	const char *w;

	while (!lp->err && (w = lp_peek(lp))) {
		if (!strcmp(w, "nexthop")) {
			route_nexthops(lp, r);
			break;
		}
		lp->i++;
		route_option(lp, w, is_static, r, &st);
	}
	if (!lp->err)
		route_finish(lp, r, &st);
	free(st.ors);
	return lp->err;
}

static void route_dump_line(FILE *out, const void *elem, int indent)
{
	const struct cfg_route *r = elem;
	char buf[CFG_ADDRSTRLEN];
	const struct cfg_nexthop *nh;
	unsigned m;

	cfg_indent(out, indent);
	if (r->type != CFG_RT_UNICAST)
		fprintf(out, "%s ", cfg_route_type_name[r->type]);
	fputs(cfg_addr_fmt(&r->dst, buf, sizeof(buf)), out);
	opt_dump(out, route_opts, ARRAY_SIZE(route_opts), r);
	put_rtid(out, "table", &r->table, table_names, ARRAY_SIZE(table_names));
	if (r->has_scope)
		put_scope(out, r->scope);
	put_rtid(out, "protocol", &r->protocol, proto_names, ARRAY_SIZE(proto_names));
	if (r->has_realms)
		put_realms(out, r->realms);
	if (r->has_pref)
		fprintf(out, " pref %s", id_to_name(pref_names, ARRAY_SIZE(pref_names), r->pref));
	for (m = 0; m < CFG_RTAX__COUNT; m++) {
		if (!(r->metrics_set & (1u << m)))
			continue;
		if (m == CFG_RTAX_FEATURES)
			fputs(" features ecn", out);
		else
			fprintf(out, " %s%s %" PRIu32, cfg_rtax_name[m],
				(r->metrics_lock & (1u << m)) ? " lock" : "", r->metrics[m]);
	}
	if (r->congctl) {
		fprintf(out, " congctl%s ", r->congctl_lock ? " lock" : "");
		cfg_put_word(out, r->congctl);
	}
	put_str(out, "track_group", r->track_group);
	for (nh = r->nexthops; nh; nh = nh->next) {
		fputs(" nexthop", out);
		put_addr(out, "via", &nh->via);
		put_str(out, "dev", nh->dev);
		if (nh->weight)
			fprintf(out, " weight %u", nh->weight);
		if (nh->onlink)
			fputs(" onlink", out);
		if (nh->has_realms)
			put_realms(out, nh->realms);
	}
	fputc('\n', out);
}

static void route_free(void *elem)
{
	struct cfg_route *r = elem;
	struct cfg_nexthop *nh, *next;

	for (nh = r->nexthops; nh; nh = next) {
		next = nh->next;
		free(nh);
	}
	free(r->table.name);
	free(r->protocol.name);
	free(r->congctl);
	free(r->vrf);
	free(r->track_group);
	free(r);
}

/* ------------------------------------------------------------------ */
/* Rules: [not] [from A|all] [to A|all] [preference N] [table T] ... */

static const struct opt rule_opts[] = {
	OH("preference", OPT_U32, struct cfg_rule, priority, has_priority),
	OA("priority", OPT_U32, struct cfg_rule, priority, offsetof(struct cfg_rule, has_priority)),
	OA("pref", OPT_U32, struct cfg_rule, priority, offsetof(struct cfg_rule, has_priority)),
	OA("prio", OPT_U32, struct cfg_rule, priority, offsetof(struct cfg_rule, has_priority)),
	OA("order", OPT_U32, struct cfg_rule, priority, offsetof(struct cfg_rule, has_priority)),
	O("iif", OPT_IF, struct cfg_rule, iif),
	OA("iifname", OPT_IF, struct cfg_rule, iif, NO_HAS),
	OA("dev", OPT_IF, struct cfg_rule, iif, NO_HAS),
	O("oif", OPT_IF, struct cfg_rule, oif),
	OA("oifname", OPT_IF, struct cfg_rule, oif, NO_HAS),
	OH("tos", OPT_U8, struct cfg_rule, tos, has_tos),
	OA("dsfield", OPT_U8, struct cfg_rule, tos, offsetof(struct cfg_rule, has_tos)),
	O("l3mdev", OPT_FLAG, struct cfg_rule, l3mdev),
};

static int rule_addr(struct lp *lp, const char *opt, struct cfg_addr *ret)
{
	const char *s = lp_peek(lp);

	if (s && !strcmp(s, "all")) {
		lp->i++;
		memset(ret, 0, sizeof(*ret));
		return 0;
	}
	return lp_addr(lp, opt, ret);
}

static int rule_range(struct lp *lp, const char *opt, uint64_t max, uint64_t *lo, uint64_t *hi)
{
	int r = lp_pair(lp, opt, '-', max, lo, hi);

	if (r == 1)
		*hi = *lo;
	if (r >= 0 && *hi >= *lo)
		return 0;
	if (r == -EINVAL)
		return r;
	return lp_err(lp, "%s %s: must be N or N-M with 0..%" PRIu64 " and N <= M", opt,
		      lp_word(lp, lp->i - 1), max);
}

static int rule_fwmark(struct lp *lp, struct cfg_rule *r)
{
	uint64_t mark, mask = 0;
	int rc = lp_pair(lp, "fwmark", '/', UINT32_MAX, &mark, &mask);

	if (rc == -EINVAL)
		return rc;
	if (rc < 0 || (rc == 0 && !mask))
		return lp_err(lp, "fwmark %s: must be MARK or MARK/MASK (32-bit numbers, mask "
				  "not 0)", lp_word(lp, lp->i - 1));
	r->fwmark = (uint32_t)mark;
	r->fwmask = (uint32_t)mask;
	r->has_fwmark = true;
	return 0;
}

static int rule_set_action(struct lp *lp, struct cfg_rule *r, enum cfg_rule_action a,
			   const char *w)
{
	if (r->action != CFG_RULE_ACT_TABLE || r->table.set)
		return lp_err(lp, "'%s': only one of table, goto, nop, blackhole, unreachable, "
				  "prohibit", w);
	r->action = a;
	return 0;
}

static int rule_option(struct lp *lp, const char *w, bool is_static, struct cfg_rule *r)
{
	uint64_t v, hi;
	uint32_t id;
	unsigned a;
	const char *s;

	if (opt_parse(lp, rule_opts, ARRAY_SIZE(rule_opts), r, w) == 0)
		return lp->err;
	if (!strcmp(w, "from") || !strcmp(w, "to"))
		return rule_addr(lp, w, w[0] == 'f' ? &r->from : &r->to);
	if (!strcmp(w, "not") || !strcmp(w, "no_track")) {
		*(w[0] == 'n' && w[1] == 'o' && w[2] == 't' && !w[3] ? &r->invert : &r->no_track) =
			true;
		return 0;
	}
	if (!strcmp(w, "table") || !strcmp(w, "lookup")) {
		if (r->action != CFG_RULE_ACT_TABLE)
			return rule_set_action(lp, r, CFG_RULE_ACT_TABLE, w);
		return lp_rtid(lp, w, table_names, ARRAY_SIZE(table_names), UINT32_MAX, true,
			       &r->table);
	}
	if (!strcmp(w, "goto")) {
		if (rule_set_action(lp, r, CFG_RULE_ACT_GOTO, w) < 0 ||
		    lp_uint(lp, w, 0, UINT32_MAX, &v) < 0)
			return -EINVAL;
		r->goto_target = (uint32_t)v;
		return 0;
	}
	for (a = CFG_RULE_ACT_NOP; a < CFG_RULE_ACT__COUNT; a++)
		if (!strcmp(w, rule_action_name[a]))
			return rule_set_action(lp, r, (enum cfg_rule_action)a, w);
	if (!strcmp(w, "fwmark"))
		return rule_fwmark(lp, r);
	if (!strcmp(w, "realms")) {
		r->has_realms = true;
		return lp_realms(lp, &r->realms);
	}
	if (!strcmp(w, "suppress_prefixlength") || !strcmp(w, "suppress_ifgroup")) {
		if (lp_uint(lp, w, 0, w[9] == 'p' ? 128 : UINT32_MAX, &v) < 0)
			return -EINVAL;
		if (w[9] == 'p')
			r->suppress_prefixlen = (int32_t)v;
		else
			r->suppress_ifgroup = (int64_t)v;
		return 0;
	}
	if (!strcmp(w, "uidrange")) {
		if (rule_range(lp, w, UINT32_MAX, &v, &hi) < 0)
			return -EINVAL;
		r->uid_start = (uint32_t)v;
		r->uid_end = (uint32_t)hi;
		r->has_uidrange = true;
		return 0;
	}
	if (!strcmp(w, "protocol") || !strcmp(w, "proto"))
		return lp_rtid(lp, w, proto_names, ARRAY_SIZE(proto_names), 255, false,
			       &r->protocol);
	if (!strcmp(w, "ip_proto") || !strcmp(w, "ipproto")) {
		s = lp_arg(lp, w);
		if (!s)
			return -EINVAL;
		if (name_to_id(ip_proto_names, ARRAY_SIZE(ip_proto_names), s, &id))
			r->ip_proto = (int16_t)id;
		else if (parse_u64(s, 255, &v) == 0)
			r->ip_proto = (int16_t)v;
		else
			return lp_err(lp, "%s %s: must be tcp|udp|sctp|dccp|icmp|ipv6-icmp or "
					  "0..255", w, s);
		return 0;
	}
	if (!strcmp(w, "sport") || !strcmp(w, "dport")) {
		if (rule_range(lp, w, 65535, &v, &hi) < 0)
			return -EINVAL;
		if (!v)
			return lp_err(lp, "%s: ports are 1..65535", w);
		*(w[0] == 's' ? &r->sport_lo : &r->dport_lo) = (uint16_t)v;
		*(w[0] == 's' ? &r->sport_hi : &r->dport_hi) = (uint16_t)hi;
		return 0;
	}
	if (!strcmp(w, "track_group"))
		return lp_track_group(lp, is_static, &r->track_group);
	if (!strcmp(w, "inet") || !strcmp(w, "inet6")) {
		r->family = !strcmp(w, "inet") ? AF_INET : AF_INET6;
		r->family_forced = true;
		return 0;
	}
	return lp_err(lp, "unknown option '%s'", w);
}

static int rule_parse_line(struct lp *lp, bool is_static, struct cfg_rule *r)
{
	int fam;

	r->suppress_prefixlen = -1;
	r->suppress_ifgroup = -1;
	r->ip_proto = -1;
	while (lp_more(lp) && !lp->err)
		rule_option(lp, lp_next(lp), is_static, r);
	if (lp->err)
		return lp->err;
	fam = r->from.family != AF_UNSPEC ? r->from.family : r->to.family;
	if (r->from.family != AF_UNSPEC && r->to.family != AF_UNSPEC &&
	    r->from.family != r->to.family)
		return lp_err(lp, "from and to are of different address families");
	if (r->family_forced && fam != AF_UNSPEC && fam != r->family)
		return lp_err(lp, "addresses do not match inet/inet6");
	if (!r->family_forced)
		r->family = fam != AF_UNSPEC ? fam : AF_INET;
	if (r->action == CFG_RULE_ACT_GOTO && r->has_priority && r->goto_target <= r->priority)
		return lp_err(lp, "goto %" PRIu32 ": must be above the rule's preference %" PRIu32,
			      r->goto_target, r->priority);
	if (r->action != CFG_RULE_ACT_TABLE && (r->suppress_prefixlen >= 0 ||
						r->suppress_ifgroup >= 0))
		return lp_err(lp, "suppress_prefixlength/suppress_ifgroup apply to table lookups "
			      "only");
	if ((r->sport_lo || r->dport_lo) && r->ip_proto < 0)
		lp_warn(lp, "sport/dport without ip_proto match any protocol");
	if (!r->has_priority)
		lp_warn(lp, "rule without preference: the kernel picks one, and the order of "
			    "rules may change as instances change state");
	return 0;
}

/* Prints the words of a rule, each after a blank. */
static void rule_dump_words(FILE *out, const struct cfg_rule *r)
{
	/* An IPv6 rule without addresses: "from ::/0" says so (and means all). */
	if (r->family == AF_INET6 && r->from.family == AF_UNSPEC && r->to.family == AF_UNSPEC)
		fputs(" from ::/0", out);
	if (r->invert)
		fputs(" not", out);
	put_addr(out, "from", &r->from);
	put_addr(out, "to", &r->to);
	opt_dump(out, rule_opts, ARRAY_SIZE(rule_opts), r);
	if (r->has_fwmark && r->fwmask)
		fprintf(out, " fwmark 0x%" PRIx32 "/0x%" PRIx32, r->fwmark, r->fwmask);
	else if (r->has_fwmark)
		fprintf(out, " fwmark 0x%" PRIx32, r->fwmark);
	if (r->has_realms)
		put_realms(out, r->realms);
	if (r->suppress_prefixlen >= 0)
		fprintf(out, " suppress_prefixlength %" PRId32, r->suppress_prefixlen);
	if (r->suppress_ifgroup >= 0)
		fprintf(out, " suppress_ifgroup %" PRId64, r->suppress_ifgroup);
	if (r->has_uidrange)
		fprintf(out, " uidrange %" PRIu32 "-%" PRIu32, r->uid_start, r->uid_end);
	/* keepalived takes a rule's protocol as a number only */
	put_rtid(out, "protocol", &r->protocol, NULL, 0);
	if (r->ip_proto >= 0)
		fprintf(out, " ip_proto %d", r->ip_proto);
	if (r->sport_lo)
		fprintf(out, " sport %u-%u", r->sport_lo, r->sport_hi);
	if (r->dport_lo)
		fprintf(out, " dport %u-%u", r->dport_lo, r->dport_hi);
	if (r->action == CFG_RULE_ACT_TABLE)
		put_rtid(out, "table", &r->table, table_names, ARRAY_SIZE(table_names));
	else if (r->action == CFG_RULE_ACT_GOTO)
		fprintf(out, " goto %" PRIu32, r->goto_target);
	else
		fprintf(out, " %s", rule_action_name[r->action]);
	if (r->no_track)
		fputs(" no_track", out);
	put_str(out, "track_group", r->track_group);
}

static void rule_dump_line(FILE *out, const void *elem, int indent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	cfg_indent(out, indent);
	if (!m)
		abort();
	rule_dump_words(m, elem);
	fclose(m);
	fprintf(out, "%s\n", len ? buf + 1 : buf);
	free(buf);
}

static void rule_free(void *elem)
{
	struct cfg_rule *r = elem;

	free(r->table.name);
	free(r->protocol.name);
	free(r->track_group);
	free(r);
}

/* ------------------------------------------------------------------ */
/* Lists of lines: dump and free (every element starts with its next pointer) */

static void dump_list(FILE *out, const char *kw, const void *head, int indent,
		      void (*line)(FILE *out, const void *elem, int indent))
{
	if (!head)
		return;
	cfg_indent(out, indent);
	fprintf(out, "%s {\n", kw);
	for (; head; head = *(void *const *)head)
		line(out, head, indent + 4);
	cfg_indent(out, indent);
	fputs("}\n", out);
}

static void free_list(void *head, void (*elem_free)(void *elem))
{
	void *next;

	for (; head; head = next) {
		next = *(void **)head;
		elem_free(head);
	}
}

void cfg_vrrp_dump_vips(FILE *out, const char *kw, const struct cfg_vip *head, int indent)
{
	dump_list(out, kw, head, indent, vip_dump_line);
}

void cfg_vrrp_dump_routes(FILE *out, const char *kw, const struct cfg_route *head, int indent)
{
	dump_list(out, kw, head, indent, route_dump_line);
}

void cfg_vrrp_dump_rules(FILE *out, const char *kw, const struct cfg_rule *head, int indent)
{
	dump_list(out, kw, head, indent, rule_dump_line);
}

void cfg_vrrp_free_vips(struct cfg_vip *head)
{
	free_list(head, vip_free);
}

void cfg_vrrp_free_routes(struct cfg_route *head)
{
	free_list(head, route_free);
}

void cfg_vrrp_free_rules(struct cfg_rule *head)
{
	free_list(head, rule_free);
}

/* ------------------------------------------------------------------ */
/* Block bodies through the engine's line callback */

enum line_kind { LINE_VIP, LINE_ROUTE, LINE_RULE, LINE__COUNT };

struct line_target {
	enum line_kind kind;
	bool is_static;
	const char *blk;
	void **tail;		/* where the next element goes */
};

static int line_cb(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct line_target *t = obj;
	struct lp lp = { .ctx = ctx, .n = n, .blk = t->blk };
	struct cfg_vip *v;
	struct cfg_route *r;
	struct cfg_rule *ru;

	if (n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s: '%s' cannot open a { } block", t->blk, n->kw);
		return -EINVAL;
	}
	switch (t->kind) {
	case LINE_VIP:
		v = cfg_zalloc(sizeof(*v));
		v->file = n->file;
		v->line = n->line;
		if (vip_parse_line(&lp, t->is_static, v) < 0) {
			vip_free(v);
			return -EINVAL;
		}
		*t->tail = v;
		t->tail = (void **)&v->next;
		return 0;
	case LINE_ROUTE:
		r = cfg_zalloc(sizeof(*r));
		r->file = n->file;
		r->line = n->line;
		if (route_parse_line(&lp, t->is_static, r) < 0) {
			route_free(r);
			return -EINVAL;
		}
		*t->tail = r;
		t->tail = (void **)&r->next;
		return 0;
	case LINE_RULE:
		ru = cfg_zalloc(sizeof(*ru));
		ru->file = n->file;
		ru->line = n->line;
		if (rule_parse_line(&lp, t->is_static, ru) < 0) {
			rule_free(ru);
			return -EINVAL;
		}
		*t->tail = ru;
		t->tail = (void **)&ru->next;
		return 0;
	case LINE__COUNT:
		break;
	}
	return -EINVAL;
}

static const struct cfg_kw no_kws[] = { { .name = NULL } };

static const struct cfg_block lines_block = {
	.name = "lines",
	.line = line_cb,
	.kws = no_kws,
};

/* Every list element starts with its next pointer. */
static void **list_tail(void **head)
{
	while (*head)
		head = (void **)*head;
	return head;
}

static int parse_lines(struct cfg_ctx *ctx, const struct cfg_node *n, enum line_kind kind,
		       bool is_static, void **head)
{
	struct line_target t = { .kind = kind, .is_static = is_static, .blk = n->kw };

	if (!n->block || n->nargs) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s: expected '%s {' and one entry a line", n->kw, n->kw);
		return -EINVAL;
	}
	t.tail = list_tail(head);
	return cfg_parse_body(ctx, &lines_block, &t, n->child);
}

_Static_assert(offsetof(struct cfg_vip, next) == 0, "list_tail needs next first");
_Static_assert(offsetof(struct cfg_route, next) == 0, "list_tail needs next first");
_Static_assert(offsetof(struct cfg_rule, next) == 0, "list_tail needs next first");

int cfg_vrrp_parse_vips(struct cfg_ctx *ctx, const struct cfg_node *n, bool is_static,
			struct cfg_vip **head)
{
	return parse_lines(ctx, n, LINE_VIP, is_static, (void **)head);
}

int cfg_vrrp_parse_routes(struct cfg_ctx *ctx, const struct cfg_node *n, bool is_static,
			  struct cfg_route **head)
{
	return parse_lines(ctx, n, LINE_ROUTE, is_static, (void **)head);
}

int cfg_vrrp_parse_rules(struct cfg_ctx *ctx, const struct cfg_node *n, bool is_static,
			 struct cfg_rule **head)
{
	return parse_lines(ctx, n, LINE_RULE, is_static, (void **)head);
}
