// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checks of the checker side that need more than one statement: group
 * references, address families, duplicate virtual and real servers, ports,
 * scripts, per-checker consistency; then the eff_* fields (inherited
 * settings resolved) the checker engine reads. Pure: libc only.
 */
#define ALIVED_CFG_CHECK_INTERNAL
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "alived/cfg_check.h"
#include "alived/cfg_vrrp.h"
#include "config/cfg.h"

#define US_PER_S 1000000ULL

/* Type defaults, used when neither checker, real server nor virtual server
 * says otherwise. */
#define CHK_DEF_DELAY_LOOP_US (60 * US_PER_S)
#define CHK_DEF_CONNECT_TIMEOUT_US (5 * US_PER_S)

#define ERR(ctx, file, line, ...) cfg_diag((ctx)->diags, CFG_SEV_ERROR, file, line, __VA_ARGS__)
#define WARN(ctx, file, line, ...) cfg_diag((ctx)->diags, CFG_SEV_WARN, file, line, __VA_ARGS__)

/* ---- helpers ---- */

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s == ':' || *s == '/' || *s == ' ' || *s == '\t')
			return false;
	return true;
}

/* The program part of a command line: up to the first blank, or the
 * single-quoted first word. */
static void script_prog(const char *cmd, char *buf, size_t len)
{
	const char *e;
	size_t l;

	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	if (*cmd == '\'') {
		cmd++;
		e = strchr(cmd, '\'');
	} else {
		e = strpbrk(cmd, " \t");
	}
	l = e ? (size_t)(e - cmd) : strlen(cmd);
	if (l >= len)
		l = len - 1;
	memcpy(buf, cmd, l);
	buf[l] = '\0';
}

static void check_script(struct cfg_ctx *ctx, const char *label, const char *kw,
			 const char *cmd, const char *user, const char *group, const char *file,
			 unsigned line)
{
	char prog[256];

	if (!cmd)
		return;
	script_prog(cmd, prog, sizeof(prog));
	if (!prog[0])
		ERR(ctx, file, line, "%s: %s: no program given", label, kw);
	else if (prog[0] != '/')
		WARN(ctx, file, line, "%s: %s: '%s' is not an absolute path", label, kw, prog);
	if (user && !name_ok(user))
		ERR(ctx, file, line, "%s: %s: '%s' is not a valid user name", label, kw, user);
	if (group && !name_ok(group))
		ERR(ctx, file, line, "%s: %s: '%s' is not a valid group name", label, kw, group);
}

static void check_script_s(struct cfg_ctx *ctx, const char *label, const char *kw,
			   const struct cfg_script *s)
{
	check_script(ctx, label, kw, s->cmd, s->user, s->group, s->file, s->line);
}

static const struct cfg_vsg *vsg_find(const struct cfg_check *c, const char *name)
{
	const struct cfg_vsg *g;

	for (g = c->vsg; g; g = g->next)
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

static bool link_local6(const struct cfg_addr *a)
{
	return a->family == AF_INET6 && a->u.v6.s6_addr[0] == 0xfe &&
	       (a->u.v6.s6_addr[1] & 0xc0) == 0x80;
}

/* ---- virtual_server_group ---- */

static void validate_vsgs(struct cfg_ctx *ctx, const struct cfg_check *c)
{
	const struct cfg_vsg *g, *h;

	for (g = c->vsg; g; g = g->next) {
		for (h = c->vsg; h != g; h = h->next) {
			if (!strcmp(g->name, h->name)) {
				ERR(ctx, g->file, g->line,
				    "virtual_server_group %s defined twice (first at %s:%u)",
				    g->name, h->file, h->line);
				break;
			}
		}
		if (!g->n)
			WARN(ctx, g->file, g->line, "virtual_server_group %s is empty", g->name);
	}
}

/* The address families present in a group: bit 0 IPv4, bit 1 IPv6. */
static unsigned vsg_families(const struct cfg_vsg *g)
{
	unsigned f = 0;
	size_t i;

	for (i = 0; i < g->n; i++) {
		int fam = g->v[i].kind == CFG_VSG_FWMARK ? g->v[i].family : g->v[i].addr.family;

		f |= fam == AF_INET ? 1u : fam == AF_INET6 ? 2u : 0u;
	}
	return f;
}

/* ---- effective values ---- */

static uint64_t pick_u64(uint64_t a, uint64_t b, uint64_t c, uint64_t def)
{
	return a != CFG_UNSET_U64 ? a : b != CFG_UNSET_U64 ? b : c != CFG_UNSET_U64 ? c : def;
}

static int8_t pick_tri(int8_t a, int8_t b, int8_t c)
{
	return a != CFG_TRI_UNSET ? a : b != CFG_TRI_UNSET ? b : c;
}

static void resolve_timing(const struct cfg_vs *vs, const struct cfg_rs *rs,
			   struct cfg_checker *c)
{
	const struct cfg_chk_timing *ct = &c->t, *rt = &rs->t, *vt = &vs->t;
	struct cfg_chk_timing *e = &c->eff;
	uint64_t dbr;
	uint32_t retry = c->type == CFG_CHK_DNS ? 3 : c->type == CFG_CHK_MISC ? 0 : 1;

	e->delay_loop_us = pick_u64(ct->delay_loop_us, rt->delay_loop_us, vt->delay_loop_us,
				    CHK_DEF_DELAY_LOOP_US);
	e->connect_timeout_us = pick_u64(ct->connect_timeout_us, rt->connect_timeout_us,
					 vt->connect_timeout_us, CHK_DEF_CONNECT_TIMEOUT_US);
	if (c->type == CFG_CHK_HTTP || c->type == CFG_CHK_SSL)
		dbr = 3 * US_PER_S;
	else if (c->type == CFG_CHK_DNS)
		dbr = e->delay_loop_us;
	else
		dbr = US_PER_S;
	e->delay_before_retry_us = pick_u64(ct->delay_before_retry_us, rt->delay_before_retry_us,
					    vt->delay_before_retry_us, dbr);
	e->warmup_us = pick_u64(ct->warmup_us, rt->warmup_us, vt->warmup_us, e->delay_loop_us);
	e->retry = ct->retry != CFG_UNSET_U32 ? ct->retry :
		   rt->retry != CFG_UNSET_U32 ? rt->retry :
		   vt->retry != CFG_UNSET_U32 ? vt->retry : retry;
	e->alpha = pick_tri(ct->alpha, rt->alpha, vt->alpha) == CFG_TRI_ON;
}

/* ---- checkers ---- */

static bool chk_needs_port(enum cfg_chk_type t)
{
	switch (t) {
	case CFG_CHK_HTTP:
	case CFG_CHK_SSL:
	case CFG_CHK_TCP:
	case CFG_CHK_SMTP:
	case CFG_CHK_DNS:
	case CFG_CHK_UDP:
		return true;
	default:
		return false;
	}
}

static void check_conn(struct cfg_ctx *ctx, const char *label, const char *what,
		       const struct cfg_chk_conn *cn, const char *file, unsigned line)
{
	if (cn->connect_ip.has_prefix)
		ERR(ctx, file, line, "%s: %s: connect_ip must not have a prefix length", label,
		    what);
	if (cn->bindto.has_prefix)
		ERR(ctx, file, line, "%s: %s: bindto must not have a prefix length", label, what);
	if (cn->connect_ip.family != AF_UNSPEC && cn->bindto.family != AF_UNSPEC &&
	    cn->connect_ip.family != cn->bindto.family)
		ERR(ctx, file, line, "%s: %s: connect_ip and bindto are of different families",
		    label, what);
	if (cn->bind_if && (!cn->bind_if[0] || strlen(cn->bind_if) >= IFNAMSIZ ||
			    strpbrk(cn->bind_if, "/ \t:")))
		ERR(ctx, file, line, "%s: %s: bind_if '%s' is not a valid interface name",
		    label, what, cn->bind_if);
	if (link_local6(&cn->bindto) && !cn->bind_if)
		WARN(ctx, file, line, "%s: %s: a link-local bindto needs bind_if", label, what);
}

static bool dns_name_ok(const char *s)
{
	size_t len = strlen(s), lab = 0;

	if (!len || len > 253)
		return false;
	if (!strcmp(s, "."))
		return true;
	for (; *s; s++) {
		if (*s == '.') {
			if (!lab)
				return false;
			lab = 0;
		} else if (++lab > 63 || *s == ' ' || *s == '\t') {
			return false;
		}
	}
	return true;
}

static void check_http(struct cfg_ctx *ctx, const char *label, const struct cfg_checker *c)
{
	const struct cfg_chk_http *h = &c->u.http;
	const char *name = cfg_chk_type_name(c->type);
	const struct cfg_url *u;

	if (!h->urls)
		WARN(ctx, c->file, c->line, "%s: %s has no url; the checker is ignored", label,
		     name);
	if (c->type == CFG_CHK_HTTP && (h->enable_sni || h->tls_compliant))
		WARN(ctx, c->file, c->line, "%s: HTTP_GET: %s only applies to SSL_GET", label,
		     h->enable_sni ? "enable_sni" : "tls_compliant");
	for (u = h->urls; u; u = u->next) {
		if (!u->path)
			ERR(ctx, u->file, u->line, "%s: %s: url without path", label, name);
		if (u->regex_max_offset != CFG_UNSET_U64 &&
		    u->regex_min_offset > u->regex_max_offset)
			ERR(ctx, u->file, u->line,
			    "%s: %s: regex_min_offset %" PRIu64 " is above regex_max_offset %"
			    PRIu64, label, name, u->regex_min_offset, u->regex_max_offset);
		if (!u->regex && (u->regex_no_match || u->regex_options || u->regex_stack_max ||
				  u->regex_min_offset || u->regex_max_offset != CFG_UNSET_U64))
			WARN(ctx, u->file, u->line,
			     "%s: %s: regex settings without regex have no effect", label, name);
	}
}

static void validate_checker(struct cfg_ctx *ctx, const struct cfg_vs *vs,
			     const struct cfg_rs *rs, struct cfg_checker *c)
{
	char label[CFG_VS_LABEL_LEN];
	const char *name = cfg_chk_type_name(c->type);
	const struct cfg_chk_host *h;

	cfg_rs_label(rs, label, sizeof(label));
	resolve_timing(vs, rs, c);
	c->eff_connect_ip = c->conn.connect_ip.family != AF_UNSPEC ? c->conn.connect_ip :
								     rs->addr;
	c->eff_connect_ip.has_prefix = false;
	c->eff_connect_port = c->conn.connect_port ? c->conn.connect_port : rs->eff_port;
	check_conn(ctx, label, name, &c->conn, c->file, c->line);
	if (chk_needs_port(c->type) && !c->eff_connect_port)
		ERR(ctx, c->file, c->line, "%s: %s has no port to connect to; set connect_port",
		    label, name);

	switch (c->type) {
	case CFG_CHK_HTTP:
	case CFG_CHK_SSL:
		c->eff_virtualhost = c->u.http.virtualhost ? c->u.http.virtualhost :
				     rs->virtualhost ? rs->virtualhost : vs->virtualhost;
		check_http(ctx, label, c);
		break;
	case CFG_CHK_MISC:
		if (!c->u.misc.path)
			ERR(ctx, c->file, c->line, "%s: MISC_CHECK needs misc_path", label);
		check_script(ctx, label, "misc_path", c->u.misc.path, c->u.misc.user,
			     c->u.misc.group, c->file, c->line);
		break;
	case CFG_CHK_SMTP:
		for (h = c->u.smtp.hosts; h; h = h->next) {
			check_conn(ctx, label, "SMTP_CHECK host", &h->conn, h->file, h->line);
			if (!h->conn.connect_port && !c->eff_connect_port)
				ERR(ctx, h->file, h->line,
				    "%s: SMTP_CHECK host has no port to connect to", label);
		}
		break;
	case CFG_CHK_DNS:
		if (c->u.dns.name && !dns_name_ok(c->u.dns.name))
			ERR(ctx, c->file, c->line, "%s: DNS_CHECK: name '%s' is not a valid domain "
			    "name", label, c->u.dns.name);
		break;
	case CFG_CHK_UDP:
		if (c->u.udp.min_reply_length > c->u.udp.max_reply_length)
			WARN(ctx, c->file, c->line,
			     "%s: UDP_CHECK: min_reply_length %" PRIu32 " > max_reply_length %"
			     PRIu32 "; the check will always fail", label,
			     c->u.udp.min_reply_length, c->u.udp.max_reply_length);
		break;
	case CFG_CHK_FILE:
		if (!c->u.file.track_file) {
			ERR(ctx, c->file, c->line, "%s: FILE_CHECK needs track_file", label);
			break;
		}
		c->u.file.eff_track_file = ctx->root->vrrp ?
			cfg_vrrp_find_track_file(ctx->root->vrrp, c->u.file.track_file) : NULL;
		if (!c->u.file.eff_track_file)
			ERR(ctx, c->file, c->line, "%s: FILE_CHECK: no track_file named '%s'",
			    label, c->u.file.track_file);
		break;
	default:
		break;
	}
}

/* ---- real servers ---- */

static void validate_rs(struct cfg_ctx *ctx, const struct cfg_vs *vs, struct cfg_rs *rs)
{
	char label[CFG_VS_LABEL_LEN], vlabel[CFG_VS_LABEL_LEN];
	const struct cfg_rs *o;
	struct cfg_checker *c;

	cfg_rs_label(rs, label, sizeof(label));
	rs->eff_port = rs->port ? rs->port : vs->kind == CFG_VS_ADDR ? vs->port : 0;
	rs->eff_method = rs->method.fwd != CFG_FWD_UNSET ? rs->method : vs->method;
	rs->eff_inhibit_on_failure = pick_tri(rs->inhibit_on_failure, vs->inhibit_on_failure,
					      CFG_TRI_OFF) == CFG_TRI_ON;
	rs->eff_smtp_alert = pick_tri(rs->smtp_alert, vs->smtp_alert, CFG_TRI_UNSET);

	for (o = vs->rs; o != rs; o = o->next) {
		if (cfg_addr_equal(&o->addr, &rs->addr) && o->eff_port == rs->eff_port) {
			ERR(ctx, rs->file, rs->line, "%s: given twice in %s (first at %s:%u)",
			    label, cfg_vs_label(vs, vlabel, sizeof(vlabel)), o->file, o->line);
			break;
		}
	}
	if (rs->eff_method.fwd != CFG_FWD_TUN && rs->addr.family != vs->eff_family)
		ERR(ctx, rs->file, rs->line,
		    "%s: address family differs from the virtual server's; only lvs_method TUN "
		    "may mix IPv4 and IPv6", label);
	if (vs->kind == CFG_VS_ADDR && vs->port && rs->port && rs->port != vs->port &&
	    rs->eff_method.fwd != CFG_FWD_NAT)
		WARN(ctx, rs->file, rs->line,
		     "%s: port differs from the virtual server's; %s forwarding uses port %u",
		     label, cfg_lvs_fwd_name(rs->eff_method.fwd), (unsigned)vs->port);
	if (rs->uthreshold && rs->lthreshold > rs->uthreshold)
		ERR(ctx, rs->file, rs->line,
		    "%s: lthreshold %" PRIu32 " is above uthreshold %" PRIu32, label,
		    rs->lthreshold, rs->uthreshold);
	check_script_s(ctx, label, "notify_up", &rs->notify_up);
	check_script_s(ctx, label, "notify_down", &rs->notify_down);
	for (c = rs->checkers; c; c = c->next)
		validate_checker(ctx, vs, rs, c);
}

/* ---- virtual servers ---- */

/* Family of a fwmark service: ip_family, else that of the non-tunnelled
 * real/sorry servers, else of the tunnelled ones when they agree, else IPv4. */
static int fwmark_family(const struct cfg_vs *vs, unsigned group_fams)
{
	const struct cfg_rs *rs;
	unsigned all = group_fams;

	if (vs->ip_family)
		return vs->ip_family;
	for (rs = vs->rs; rs; rs = rs->next) {
		enum cfg_lvs_fwd f = rs->method.fwd != CFG_FWD_UNSET ? rs->method.fwd :
								      vs->method.fwd;

		if (f != CFG_FWD_TUN)
			return rs->addr.family;
		all |= rs->addr.family == AF_INET ? 1u : 2u;
	}
	if (vs->sorry.set)
		all |= vs->sorry.addr.family == AF_INET ? 1u : 2u;
	return all == 2u ? AF_INET6 : AF_INET;
}

static void resolve_family(struct cfg_ctx *ctx, const struct cfg_check *c, struct cfg_vs *vs,
			   const char *label)
{
	unsigned fams;

	switch (vs->kind) {
	case CFG_VS_ADDR:
		vs->eff_family = vs->addr.family;
		if (vs->ip_family && vs->ip_family != vs->addr.family)
			ERR(ctx, vs->file, vs->line, "%s: ip_family %s does not match the address",
			    label, vs->ip_family == AF_INET ? "inet" : "inet6");
		break;
	case CFG_VS_FWMARK:
		vs->eff_family = fwmark_family(vs, 0);
		break;
	case CFG_VS_GROUP:
		vs->eff_group = vsg_find(c, vs->group);
		if (!vs->eff_group) {
			ERR(ctx, vs->file, vs->line, "%s: no virtual_server_group named '%s'",
			    label, vs->group);
			vs->eff_family = fwmark_family(vs, 0);
			break;
		}
		fams = vsg_families(vs->eff_group);
		if (vs->ip_family)
			vs->eff_family = vs->ip_family;
		else if (fams == 1u || fams == 2u)
			vs->eff_family = fams == 2u ? AF_INET6 : AF_INET;
		else
			vs->eff_family = fwmark_family(vs, fams);
		break;
	default:
		break;
	}
}

static void check_group_use(struct cfg_ctx *ctx, const struct cfg_vs *vs, const char *label)
{
	const struct cfg_vsg *g = vs->eff_group;
	const struct cfg_rs *rs;
	size_t i;

	if (!g)
		return;
	if (vsg_families(g) == 3u) {
		for (rs = vs->rs; rs; rs = rs->next) {
			if (rs->eff_method.fwd != CFG_FWD_TUN) {
				ERR(ctx, vs->file, vs->line,
				    "%s: the group mixes IPv4 and IPv6, which needs lvs_method "
				    "TUN for every real server", label);
				break;
			}
		}
	}
	if (vs->persistence_timeout_s)
		return;
	for (i = 0; i < g->n; i++)
		if (g->v[i].kind != CFG_VSG_FWMARK && !g->v[i].port)
			ERR(ctx, g->v[i].file, g->v[i].line,
			    "virtual_server_group %s: an entry without port needs "
			    "persistence_timeout in %s", g->name, label);
}

static void check_vs_options(struct cfg_ctx *ctx, const struct cfg_vs *vs, const char *label)
{
	if (vs->kind == CFG_VS_ADDR && vs->addr.has_prefix)
		ERR(ctx, vs->file, vs->line, "%s: a prefix length is not allowed", label);
	if (vs->kind == CFG_VS_ADDR && !vs->port && !vs->persistence_timeout_s)
		ERR(ctx, vs->file, vs->line,
		    "%s: port 0 (no port) is only allowed with persistence_timeout", label);
	if (vs->persistence_granularity && vs->granularity_dotted && vs->eff_family == AF_INET6)
		ERR(ctx, vs->file, vs->line,
		    "%s: persistence_granularity of an IPv6 service must be a prefix length",
		    label);
	else if (vs->persistence_granularity > 32 && vs->eff_family == AF_INET)
		ERR(ctx, vs->file, vs->line, "%s: persistence_granularity %u is above 32 for IPv4",
		    label, (unsigned)vs->persistence_granularity);
	if (vs->ops && vs->protocol != CFG_PROTO_UDP)
		WARN(ctx, vs->file, vs->line, "%s: ops only applies to UDP services", label);
	if ((vs->sh_port || vs->sh_fallback) && vs->sched != CFG_SCHED_SH)
		WARN(ctx, vs->file, vs->line, "%s: sh-port/sh-fallback need lvs_sched sh", label);
	if ((vs->mh_port || vs->mh_fallback) && vs->sched != CFG_SCHED_MH)
		WARN(ctx, vs->file, vs->line, "%s: mh-port/mh-fallback need lvs_sched mh", label);
	if (vs->persistence_engine && !vs->persistence_timeout_s)
		WARN(ctx, vs->file, vs->line,
		     "%s: persistence_engine has no effect without persistence_timeout", label);
	if (vs->hysteresis && vs->hysteresis >= vs->quorum)
		WARN(ctx, vs->file, vs->line,
		     "%s: hysteresis %" PRIu32 " is not below quorum %" PRIu32
		     "; quorum can never be lost", label, vs->hysteresis, vs->quorum);
	if (!vs->sorry.set && (vs->sorry.inhibit || vs->sorry.method.fwd != CFG_FWD_UNSET))
		WARN(ctx, vs->file, vs->line,
		     "%s: sorry_server_inhibit/sorry_server_lvs_method without sorry_server",
		     label);
	check_script_s(ctx, label, "quorum_up", &vs->quorum_up);
	check_script_s(ctx, label, "quorum_down", &vs->quorum_down);
}

static void check_sorry(struct cfg_ctx *ctx, const struct cfg_vs *vs, const char *label)
{
	enum cfg_lvs_fwd f;

	if (!vs->sorry.set)
		return;
	f = vs->sorry.method.fwd != CFG_FWD_UNSET ? vs->sorry.method.fwd : vs->method.fwd;
	if (f != CFG_FWD_TUN && vs->sorry.addr.family != vs->eff_family)
		ERR(ctx, vs->sorry.file, vs->sorry.line,
		    "%s: sorry_server address family differs from the virtual server's; only "
		    "lvs_method TUN may mix IPv4 and IPv6", label);
}

/* Same IPVS service: same address/port/protocol, same fwmark and family,
 * or same group, protocol and family. */
static bool vs_same_service(const struct cfg_vs *a, const struct cfg_vs *b)
{
	if (a->kind != b->kind || a->eff_family != b->eff_family)
		return false;
	switch (a->kind) {
	case CFG_VS_ADDR:
		return a->protocol == b->protocol && a->port == b->port &&
		       cfg_addr_equal(&a->addr, &b->addr);
	case CFG_VS_FWMARK:
		return a->fwmark == b->fwmark;
	case CFG_VS_GROUP:
		return a->protocol == b->protocol && !strcmp(a->group, b->group);
	default:
		return false;
	}
}

static void validate_vs(struct cfg_ctx *ctx, const struct cfg_check *c, struct cfg_vs *vs)
{
	char label[CFG_VS_LABEL_LEN];
	const struct cfg_vs *o;
	struct cfg_rs *rs;

	cfg_vs_label(vs, label, sizeof(label));
	resolve_family(ctx, c, vs, label);
	for (o = c->vs; o != vs; o = o->next) {
		if (vs_same_service(o, vs)) {
			ERR(ctx, vs->file, vs->line,
			    "%s: %s service defined twice (first at %s:%u)", label,
			    vs->kind == CFG_VS_FWMARK ? "fwmark" : cfg_lvs_proto_name(vs->protocol),
			    o->file, o->line);
			break;
		}
	}
	check_vs_options(ctx, vs, label);
	check_sorry(ctx, vs, label);
	for (rs = vs->rs; rs; rs = rs->next)
		validate_rs(ctx, vs, rs);
	check_group_use(ctx, vs, label);
}

void cfg_check_validate(struct cfg_ctx *ctx)
{
	struct cfg_check *c = ctx->root->check;
	struct cfg_vs *vs;

	if (!c)
		return;
	validate_vsgs(ctx, c);
	for (vs = c->vs; vs; vs = vs->next)
		validate_vs(ctx, c, vs);
}
