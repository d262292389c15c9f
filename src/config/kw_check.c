// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Keyword tables of the checker side: virtual_server (with its
 * real_server blocks and sorry server), virtual_server_group and the
 * top-level SSL block; the part allocator, free and dump. The checker
 * blocks themselves are in kw_checkers.c, cross-object checks in
 * validate_check.c. Pure: libc only.
 */
#define ALIVED_CFG_CHECK_INTERNAL
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "alived/cfg_check.h"
#include "config/cfg.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names ---- */

static const char *const sched_names[] = {
	[CFG_SCHED_RR] = "rr",		[CFG_SCHED_WRR] = "wrr",
	[CFG_SCHED_LC] = "lc",		[CFG_SCHED_WLC] = "wlc",
	[CFG_SCHED_LBLC] = "lblc",	[CFG_SCHED_LBLCR] = "lblcr",
	[CFG_SCHED_DH] = "dh",		[CFG_SCHED_SH] = "sh",
	[CFG_SCHED_SED] = "sed",	[CFG_SCHED_NQ] = "nq",
	[CFG_SCHED_FO] = "fo",		[CFG_SCHED_OVF] = "ovf",
	[CFG_SCHED_MH] = "mh",		[CFG_SCHED_TWOS] = "twos",
};
_Static_assert(ARRAY_SIZE(sched_names) == CFG_SCHED__COUNT, "sched_names");

static const struct cfg_enum_val sched_enums[] = {
	{ "rr", CFG_SCHED_RR },		{ "wrr", CFG_SCHED_WRR },
	{ "lc", CFG_SCHED_LC },		{ "wlc", CFG_SCHED_WLC },
	{ "lblc", CFG_SCHED_LBLC },	{ "lblcr", CFG_SCHED_LBLCR },
	{ "dh", CFG_SCHED_DH },		{ "sh", CFG_SCHED_SH },
	{ "sed", CFG_SCHED_SED },	{ "nq", CFG_SCHED_NQ },
	{ "fo", CFG_SCHED_FO },		{ "ovf", CFG_SCHED_OVF },
	{ "mh", CFG_SCHED_MH },		{ "twos", CFG_SCHED_TWOS },
	{ NULL, 0 },
};
_Static_assert(ARRAY_SIZE(sched_enums) == CFG_SCHED__COUNT + 1, "sched_enums");

static const char *const fwd_names[] = {
	[CFG_FWD_UNSET] = "unset",
	[CFG_FWD_NAT] = "NAT",
	[CFG_FWD_DR] = "DR",
	[CFG_FWD_TUN] = "TUN",
};
_Static_assert(ARRAY_SIZE(fwd_names) == CFG_FWD__COUNT, "fwd_names");

static const char *const tun_type_names[] = {
	[CFG_TUN_IPIP] = "ipip",
	[CFG_TUN_GUE] = "gue",
	[CFG_TUN_GRE] = "gre",
};
_Static_assert(ARRAY_SIZE(tun_type_names) == CFG_TUN__COUNT, "tun_type_names");

static const char *const tun_csum_names[] = {
	[CFG_TUN_CSUM_DEFAULT] = "",
	[CFG_TUN_CSUM_NONE] = "nocsum",
	[CFG_TUN_CSUM_CSUM] = "csum",
	[CFG_TUN_CSUM_REMCSUM] = "remcsum",
};
_Static_assert(ARRAY_SIZE(tun_csum_names) == CFG_TUN_CSUM__COUNT, "tun_csum_names");

static const char *const proto_names[] = {
	[CFG_PROTO_TCP] = "TCP",
	[CFG_PROTO_UDP] = "UDP",
	[CFG_PROTO_SCTP] = "SCTP",
};
_Static_assert(ARRAY_SIZE(proto_names) == CFG_PROTO__COUNT, "proto_names");

static const struct cfg_enum_val proto_enums[] = {
	{ "TCP", CFG_PROTO_TCP },
	{ "UDP", CFG_PROTO_UDP },
	{ "SCTP", CFG_PROTO_SCTP },
	{ NULL, 0 },
};

static const struct cfg_enum_val family_enums[] = {
	{ "inet", AF_INET },
	{ "inet6", AF_INET6 },
	{ NULL, 0 },
};

const char *cfg_lvs_sched_name(enum cfg_lvs_sched s)
{
	return (unsigned)s < CFG_SCHED__COUNT ? sched_names[s] : "?";
}

const char *cfg_lvs_fwd_name(enum cfg_lvs_fwd f)
{
	return (unsigned)f < CFG_FWD__COUNT ? fwd_names[f] : "?";
}

const char *cfg_lvs_proto_name(enum cfg_lvs_proto p)
{
	return (unsigned)p < CFG_PROTO__COUNT ? proto_names[p] : "?";
}

const char *cfg_vs_label(const struct cfg_vs *vs, char *buf, size_t len)
{
	char a[CFG_ADDRSTRLEN];

	switch (vs->kind) {
	case CFG_VS_FWMARK:
		snprintf(buf, len, "virtual_server fwmark %" PRIu32, vs->fwmark);
		break;
	case CFG_VS_GROUP:
		snprintf(buf, len, "virtual_server group %s", vs->group ? vs->group : "");
		break;
	default:
		cfg_addr_fmt(&vs->addr, a, sizeof(a));
		if (vs->port)
			snprintf(buf, len, "virtual_server %s %u", a, (unsigned)vs->port);
		else
			snprintf(buf, len, "virtual_server %s", a);
		break;
	}
	return buf;
}

const char *cfg_rs_label(const struct cfg_rs *rs, char *buf, size_t len)
{
	char a[CFG_ADDRSTRLEN];

	cfg_addr_fmt(&rs->addr, a, sizeof(a));
	if (rs->port)
		snprintf(buf, len, "real_server %s %u", a, (unsigned)rs->port);
	else
		snprintf(buf, len, "real_server %s", a);
	return buf;
}

/* ---- shared small parsers ---- */

int cfg_chk_tri_parse(struct cfg_ctx *ctx, int8_t *v, const struct cfg_node *n)
{
	bool b = true;

	if (cfg_want_args(ctx, n, 0, 1) < 0)
		return -EINVAL;
	if (n->nargs && cfg_get_bool(ctx, n, n->args[0], &b) < 0)
		return -EINVAL;
	if (*v != CFG_TRI_UNSET)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "%s given twice; the last one wins", n->kw);
	*v = b ? CFG_TRI_ON : CFG_TRI_OFF;
	return 0;
}

void cfg_chk_tri_dump(FILE *out, int8_t v, const char *kw, int indent)
{
	if (v == CFG_TRI_UNSET)
		return;
	cfg_indent(out, indent);
	fprintf(out, v == CFG_TRI_ON ? "%s\n" : "%s off\n", kw);
}

/* An address without prefix and an optional port 0..65535 (0 = none). */
static int addr_port_parse(struct cfg_ctx *ctx, const struct cfg_node *n, unsigned first,
			   struct cfg_addr *ret_addr, uint16_t *ret_port)
{
	struct cfg_addr a;
	uint64_t port = 0;

	if (cfg_get_addr(ctx, n, n->args[first], &a) < 0)
		return -EINVAL;
	if (a.has_prefix) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: a prefix length is not allowed here", n->kw, n->args[first]);
		return -EINVAL;
	}
	if (n->nargs > first + 1 &&
	    cfg_get_uint(ctx, n, n->args[first + 1], 0, 65535, &port) < 0)
		return -EINVAL;
	*ret_addr = a;
	*ret_port = (uint16_t)port;
	return 0;
}

static void addr_port_put(FILE *out, const struct cfg_addr *a, uint16_t port)
{
	char buf[CFG_ADDRSTRLEN];

	fprintf(out, " %s", cfg_addr_fmt(a, buf, sizeof(buf)));
	if (port)
		fprintf(out, " %u", (unsigned)port);
}

/* "CMD [USER [GROUP]]" */
static int script_parse(struct cfg_ctx *ctx, struct cfg_script *s, const struct cfg_node *n)
{
	if (cfg_want_args(ctx, n, 1, 3) < 0)
		return -EINVAL;
	if (!n->args[0][0]) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s: empty command",
			 n->kw);
		return -EINVAL;
	}
	if (s->cmd)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "%s given twice; the last one wins", n->kw);
	free(s->cmd);
	free(s->user);
	free(s->group);
	s->cmd = cfg_strdup(n->args[0]);
	s->user = n->nargs > 1 ? cfg_strdup(n->args[1]) : NULL;
	s->group = n->nargs > 2 ? cfg_strdup(n->args[2]) : NULL;
	s->file = n->file;
	s->line = n->line;
	return 0;
}

static void script_dump(FILE *out, const struct cfg_script *s, const char *kw, int indent)
{
	if (!s->cmd)
		return;
	cfg_indent(out, indent);
	fprintf(out, "%s ", kw);
	cfg_put_word(out, s->cmd);
	if (s->user) {
		fputc(' ', out);
		cfg_put_word(out, s->user);
	}
	if (s->group) {
		fputc(' ', out);
		cfg_put_word(out, s->group);
	}
	fputc('\n', out);
}

static void script_free(struct cfg_script *s)
{
	free(s->cmd);
	free(s->user);
	free(s->group);
	memset(s, 0, sizeof(*s));
}

/*
 * NAT | DR | TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]
 * (the tunnel options need Linux 5.2/5.3; we only check the syntax).
 */
static int method_parse(struct cfg_ctx *ctx, const struct cfg_node *n,
			struct cfg_lvs_method *ret)
{
	struct cfg_lvs_method m = { .fwd = CFG_FWD_UNSET };
	uint64_t port;
	unsigned i;
	int j;

	if (cfg_want_args(ctx, n, 1, 6) < 0)
		return -EINVAL;
	for (j = CFG_FWD_NAT; j < CFG_FWD__COUNT; j++)
		if (!strcasecmp(n->args[0], fwd_names[j]))
			m.fwd = (enum cfg_lvs_fwd)j;
	if (m.fwd == CFG_FWD_UNSET) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: must be one of NAT|DR|TUN", n->kw, n->args[0]);
		return -EINVAL;
	}
	if (m.fwd != CFG_FWD_TUN && n->nargs > 1) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: tunnel options are only allowed with TUN", n->kw, n->args[0]);
		return -EINVAL;
	}
	for (i = 1; i < n->nargs; i++) {
		const char *w = n->args[i];

		if (!strcmp(w, "type") && i + 1 < n->nargs) {
			w = n->args[++i];
			for (j = 0; j < CFG_TUN__COUNT && strcasecmp(w, tun_type_names[j]); j++)
				;
			if (j == CFG_TUN__COUNT)
				goto bad;
			m.tun_type = (enum cfg_tun_type)j;
			if (m.tun_type != CFG_TUN_GUE)
				continue;
			if (i + 2 >= n->nargs || strcmp(n->args[i + 1], "port")) {
				cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
					 "%s TUN type gue: needs 'port NUM'", n->kw);
				return -EINVAL;
			}
			if (cfg_get_uint(ctx, n, n->args[i + 2], 1, 65535, &port) < 0)
				return -EINVAL;
			m.tun_port = (uint16_t)port;
			i += 2;
			continue;
		}
		for (j = 1; j < CFG_TUN_CSUM__COUNT && strcasecmp(w, tun_csum_names[j]); j++)
			;
		if (j == CFG_TUN_CSUM__COUNT || m.tun_csum != CFG_TUN_CSUM_DEFAULT)
			goto bad;
		m.tun_csum = (enum cfg_tun_csum)j;
	}
	if (m.tun_csum != CFG_TUN_CSUM_DEFAULT && m.tun_type == CFG_TUN_IPIP) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s TUN %s: checksum options need type gue or gre", n->kw,
			 tun_csum_names[m.tun_csum]);
		return -EINVAL;
	}
	if (m.tun_csum == CFG_TUN_CSUM_REMCSUM && m.tun_type != CFG_TUN_GUE) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s TUN remcsum: only with type gue", n->kw);
		return -EINVAL;
	}
	*ret = m;
	return 0;
bad:
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
		 "%s: unexpected '%s'; expected TUN [type ipip|gue port N|gre] "
		 "[nocsum|csum|remcsum]", n->kw, n->args[i]);
	return -EINVAL;
}

static void method_dump(FILE *out, const struct cfg_lvs_method *m, const char *kw, int indent)
{
	cfg_indent(out, indent);
	fprintf(out, "%s %s", kw, cfg_lvs_fwd_name(m->fwd));
	if (m->fwd == CFG_FWD_TUN && m->tun_type != CFG_TUN_IPIP)
		fprintf(out, " type %s", tun_type_names[m->tun_type]);
	if (m->fwd == CFG_FWD_TUN && m->tun_type == CFG_TUN_GUE)
		fprintf(out, " port %u", (unsigned)m->tun_port);
	if (m->fwd == CFG_FWD_TUN && m->tun_csum != CFG_TUN_CSUM_DEFAULT)
		fprintf(out, " %s", tun_csum_names[m->tun_csum]);
	fputc('\n', out);
}

/* ---- real_server ---- */

static void rs_init(void *obj)
{
	struct cfg_rs *rs = obj;

	rs->weight = 1;
	rs->inhibit_on_failure = CFG_TRI_UNSET;
	rs->smtp_alert = CFG_TRI_UNSET;
	cfg_chk_timing_init(&rs->t);
}

static int rs_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_rs *rs = obj;

	rs->file = n->file;
	rs->line = n->line;
	if (cfg_want_args(ctx, n, 1, 2) < 0)
		return -EINVAL;
	return addr_port_parse(ctx, n, 0, &rs->addr, &rs->port);
}

static void rs_dump_head(FILE *out, const void *obj)
{
	const struct cfg_rs *rs = obj;

	addr_port_put(out, &rs->addr, rs->port);
}

static int rs_weight_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_rs *rs = obj;
	char label[CFG_VS_LABEL_LEN];
	const char *s;
	char *end;
	long long v;

	if (cfg_want_args(ctx, n, 1, 1) < 0)
		return -EINVAL;
	s = n->args[0];
	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno == ERANGE || v < 0 || v > 65535) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s: weight %s out of range 0..65535", cfg_rs_label(rs, label,
									   sizeof(label)), s);
		return -EINVAL;
	}
	rs->weight = (uint32_t)v;
	return 0;
}

static void rs_weight_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_rs *rs = obj;

	if (rs->weight == 1)
		return;
	cfg_indent(out, indent);
	fprintf(out, "weight %" PRIu32 "\n", rs->weight);
}

static int rs_method_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_rs *rs = obj;

	return method_parse(ctx, n, &rs->method);
}

static void rs_method_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_rs *rs = obj;

	if (rs->method.fwd != CFG_FWD_UNSET)
		method_dump(out, &rs->method, "lvs_method", indent);
}

static int rs_notify_up_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return script_parse(ctx, &((struct cfg_rs *)obj)->notify_up, n);
}

static void rs_notify_up_dump(FILE *out, const void *obj, int indent)
{
	script_dump(out, &((const struct cfg_rs *)obj)->notify_up, "notify_up", indent);
}

static int rs_notify_down_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return script_parse(ctx, &((struct cfg_rs *)obj)->notify_down, n);
}

static void rs_notify_down_dump(FILE *out, const void *obj, int indent)
{
	script_dump(out, &((const struct cfg_rs *)obj)->notify_down, "notify_down", indent);
}

static int rs_chk_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return cfg_chk_parse(ctx, &((struct cfg_rs *)obj)->checkers, n);
}

static void rs_chk_dump(FILE *out, const void *obj, int indent)
{
	cfg_chk_dump_all(out, ((const struct cfg_rs *)obj)->checkers, indent);
}

static void rs_free_extra(void *obj)
{
	struct cfg_rs *rs = obj;

	script_free(&rs->notify_up);
	script_free(&rs->notify_down);
	cfg_chk_free_all(rs->checkers);
	rs->checkers = NULL;
}

CFG_CHK_TRI_FUNCS(rs_alpha, struct cfg_rs, t.alpha, "alpha")
CFG_CHK_TRI_FUNCS(rs_inhibit, struct cfg_rs, inhibit_on_failure, "inhibit_on_failure")
CFG_CHK_TRI_FUNCS(rs_smtp_alert, struct cfg_rs, smtp_alert, "smtp_alert")

#define RS_CHECKER(NAME) { .name = NAME, .type = CFG_T_FUNC, .parse = rs_chk_parse }

static const struct cfg_kw rs_kws[] = {
	{ .name = "weight", .type = CFG_T_FUNC, .parse = rs_weight_parse,
	  .dump = rs_weight_dump },
	{ .name = "lvs_method", .type = CFG_T_FUNC, .parse = rs_method_parse,
	  .dump = rs_method_dump },
	{ .name = "lb_kind", .type = CFG_T_FUNC, .parse = rs_method_parse,
	  .alias_of = "lvs_method", .flags = CFG_KW_NODUMP },
	{ .name = "inhibit_on_failure", .type = CFG_T_FUNC, .parse = rs_inhibit_parse,
	  .dump = rs_inhibit_dump },
	{ .name = "notify_up", .type = CFG_T_FUNC, .parse = rs_notify_up_parse,
	  .dump = rs_notify_up_dump },
	{ .name = "notify_down", .type = CFG_T_FUNC, .parse = rs_notify_down_parse,
	  .dump = rs_notify_down_dump },
	{ .name = "uthreshold", .type = CFG_T_UINT, CFG_FIELD(struct cfg_rs, uthreshold),
	  .min = 0, .max = UINT32_MAX },
	{ .name = "lthreshold", .type = CFG_T_UINT, CFG_FIELD(struct cfg_rs, lthreshold),
	  .min = 0, .max = UINT32_MAX },
	{ .name = "smtp_alert", .type = CFG_T_FUNC, .parse = rs_smtp_alert_parse,
	  .dump = rs_smtp_alert_dump },
	{ .name = "virtualhost", .type = CFG_T_STR, CFG_FIELD(struct cfg_rs, virtualhost) },
	{ .name = "snmp_name", .type = CFG_T_STR, CFG_FIELD(struct cfg_rs, snmp_name) },
	{ .name = "alpha", .type = CFG_T_FUNC, .parse = rs_alpha_parse, .dump = rs_alpha_dump },
	CFG_CHK_TIMING_KWS(struct cfg_rs, t),
	/* checkers: one dump hook prints them all, in file order */
	{ .name = "HTTP_GET", .type = CFG_T_FUNC, .parse = rs_chk_parse, .dump = rs_chk_dump },
	RS_CHECKER("SSL_GET"),
	RS_CHECKER("TCP_CHECK"),
	RS_CHECKER("MISC_CHECK"),
	RS_CHECKER("SMTP_CHECK"),
	RS_CHECKER("DNS_CHECK"),
	RS_CHECKER("UDP_CHECK"),
	RS_CHECKER("PING_CHECK"),
	RS_CHECKER("FILE_CHECK"),
	RS_CHECKER("BFD_CHECK"),
	{ .name = NULL },
};

static const struct cfg_block rs_block = {
	.name = "real_server",
	.size = sizeof(struct cfg_rs),
	.next_off = offsetof(struct cfg_rs, next),
	.init = rs_init,
	.head = rs_head,
	.dump_head = rs_dump_head,
	.free_extra = rs_free_extra,
	.kws = rs_kws,
};

/* ---- virtual_server ---- */

static void vs_init(void *obj)
{
	struct cfg_vs *vs = obj;

	vs->protocol = CFG_PROTO_TCP;
	vs->sched = CFG_SCHED_WLC;
	vs->method.fwd = CFG_FWD_NAT;
	vs->quorum = 1;
	vs->smtp_alert = CFG_TRI_UNSET;
	vs->inhibit_on_failure = CFG_TRI_UNSET;
	vs->sorry.method.fwd = CFG_FWD_UNSET;
	cfg_chk_timing_init(&vs->t);
}

static int vs_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vs *vs = obj;
	uint64_t mark;

	vs->file = n->file;
	vs->line = n->line;
	if (!n->nargs) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "virtual_server: needs 'IP [PORT]', 'fwmark N' or 'group NAME'");
		return -EINVAL;
	}
	if (!strcmp(n->args[0], "fwmark")) {
		if (cfg_want_args(ctx, n, 2, 2) < 0 ||
		    cfg_get_uint(ctx, n, n->args[1], 1, UINT32_MAX, &mark) < 0)
			return -EINVAL;
		vs->kind = CFG_VS_FWMARK;
		vs->fwmark = (uint32_t)mark;
		return 0;
	}
	if (!strcmp(n->args[0], "group")) {
		if (cfg_want_args(ctx, n, 2, 2) < 0)
			return -EINVAL;
		vs->kind = CFG_VS_GROUP;
		vs->group = cfg_strdup(n->args[1]);
		return 0;
	}
	if (cfg_want_args(ctx, n, 1, 2) < 0)
		return -EINVAL;
	vs->kind = CFG_VS_ADDR;
	return addr_port_parse(ctx, n, 0, &vs->addr, &vs->port);
}

static void vs_dump_head(FILE *out, const void *obj)
{
	const struct cfg_vs *vs = obj;

	switch (vs->kind) {
	case CFG_VS_FWMARK:
		fprintf(out, " fwmark %" PRIu32, vs->fwmark);
		break;
	case CFG_VS_GROUP:
		fputs(" group ", out);
		cfg_put_word(out, vs->group);
		break;
	default:
		addr_port_put(out, &vs->addr, vs->port);
		break;
	}
}

static int vs_method_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return method_parse(ctx, n, &((struct cfg_vs *)obj)->method);
}

static void vs_method_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_lvs_method *m = &((const struct cfg_vs *)obj)->method;
	const struct cfg_lvs_method def = { .fwd = CFG_FWD_NAT };

	if (memcmp(m, &def, sizeof(def)))
		method_dump(out, m, "lvs_method", indent);
}

/* persistence_timeout [SECONDS]: alone means 360 s. */
static int vs_persist_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vs *vs = obj;
	uint64_t v = 360;

	if (cfg_want_args(ctx, n, 0, 1) < 0)
		return -EINVAL;
	if (n->nargs && cfg_get_uint(ctx, n, n->args[0], 0, UINT32_MAX, &v) < 0)
		return -EINVAL;
	vs->persistence_timeout_s = (uint32_t)v;
	return 0;
}

static void vs_persist_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vs *vs = obj;

	if (!vs->persistence_timeout_s)
		return;
	cfg_indent(out, indent);
	fprintf(out, "persistence_timeout %" PRIu32 "\n", vs->persistence_timeout_s);
}

/* A dotted IPv4 netmask (contiguous) or a prefix length 1..128. */
static int vs_gran_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vs *vs = obj;
	struct in_addr m;
	uint32_t h;
	uint64_t v;
	unsigned len = 0;

	if (cfg_want_args(ctx, n, 1, 1) < 0)
		return -EINVAL;
	if (strchr(n->args[0], '.')) {
		if (inet_pton(AF_INET, n->args[0], &m) != 1)
			goto bad;
		h = ntohl(m.s_addr);
		while (len < 32 && (h & (UINT32_C(1) << (31 - len))))
			len++;
		if (!len || (len < 32 && (h << len)))
			goto bad;
		vs->granularity_dotted = true;
		vs->persistence_granularity = (uint8_t)len;
		return 0;
	}
	if (cfg_get_uint(ctx, n, n->args[0], 1, 128, &v) < 0)
		return -EINVAL;
	vs->granularity_dotted = false;
	vs->persistence_granularity = (uint8_t)v;
	return 0;
bad:
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
		 "persistence_granularity %s: must be a contiguous netmask or a prefix length",
		 n->args[0]);
	return -EINVAL;
}

static void vs_gran_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vs *vs = obj;
	char buf[INET_ADDRSTRLEN];
	struct in_addr m;
	unsigned len = vs->persistence_granularity;

	if (!len)
		return;
	cfg_indent(out, indent);
	if (vs->granularity_dotted && len <= 32) {
		m.s_addr = htonl(len == 32 ? UINT32_MAX : ~(UINT32_MAX >> len));
		fprintf(out, "persistence_granularity %s\n",
			inet_ntop(AF_INET, &m, buf, sizeof(buf)));
	} else {
		fprintf(out, "persistence_granularity %u\n", len);
	}
}

static int vs_quorum_up_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return script_parse(ctx, &((struct cfg_vs *)obj)->quorum_up, n);
}

static void vs_quorum_up_dump(FILE *out, const void *obj, int indent)
{
	script_dump(out, &((const struct cfg_vs *)obj)->quorum_up, "quorum_up", indent);
}

static int vs_quorum_down_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return script_parse(ctx, &((struct cfg_vs *)obj)->quorum_down, n);
}

static void vs_quorum_down_dump(FILE *out, const void *obj, int indent)
{
	script_dump(out, &((const struct cfg_vs *)obj)->quorum_down, "quorum_down", indent);
}

static int vs_sorry_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vs *vs = obj;
	struct cfg_addr a;
	uint16_t port;

	if (cfg_want_args(ctx, n, 1, 2) < 0 || addr_port_parse(ctx, n, 0, &a, &port) < 0)
		return -EINVAL;
	if (vs->sorry.set)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "sorry_server given twice; the last one wins");
	vs->sorry.set = true;
	vs->sorry.addr = a;
	vs->sorry.port = port;
	vs->sorry.file = n->file;
	vs->sorry.line = n->line;
	return 0;
}

static void vs_sorry_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vs *vs = obj;

	if (!vs->sorry.set)
		return;
	cfg_indent(out, indent);
	fputs("sorry_server", out);
	addr_port_put(out, &vs->sorry.addr, vs->sorry.port);
	fputc('\n', out);
}

static int vs_sorry_method_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return method_parse(ctx, n, &((struct cfg_vs *)obj)->sorry.method);
}

static void vs_sorry_method_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vs *vs = obj;

	if (vs->sorry.method.fwd != CFG_FWD_UNSET)
		method_dump(out, &vs->sorry.method, "sorry_server_lvs_method", indent);
}

static void vs_free_extra(void *obj)
{
	struct cfg_vs *vs = obj;

	free(vs->group);
	vs->group = NULL;
	script_free(&vs->quorum_up);
	script_free(&vs->quorum_down);
}

CFG_CHK_TRI_FUNCS(vs_alpha, struct cfg_vs, t.alpha, "alpha")
CFG_CHK_TRI_FUNCS(vs_inhibit, struct cfg_vs, inhibit_on_failure, "inhibit_on_failure")
CFG_CHK_TRI_FUNCS(vs_smtp_alert, struct cfg_vs, smtp_alert, "smtp_alert")

#define VS_FLAG(NAME, member) \
	{ .name = NAME, .type = CFG_T_FLAG, CFG_FIELD(struct cfg_vs, member) }

static const struct cfg_kw vs_kws[] = {
	CFG_CHK_TIMING_KWS(struct cfg_vs, t),
	{ .name = "lvs_sched", .type = CFG_T_ENUM, CFG_FIELD(struct cfg_vs, sched),
	  .enums = sched_enums },
	{ .name = "lb_algo", .type = CFG_T_ENUM, CFG_FIELD(struct cfg_vs, sched),
	  .enums = sched_enums, .alias_of = "lvs_sched", .flags = CFG_KW_NODUMP },
	VS_FLAG("flag-1", flag_1),
	VS_FLAG("flag-2", flag_2),
	VS_FLAG("flag-3", flag_3),
	VS_FLAG("sh-port", sh_port),
	VS_FLAG("sh-fallback", sh_fallback),
	VS_FLAG("mh-port", mh_port),
	VS_FLAG("mh-fallback", mh_fallback),
	VS_FLAG("ops", ops),
	{ .name = "one_packet_scheduling", .type = CFG_T_FLAG, CFG_FIELD(struct cfg_vs, ops),
	  .alias_of = "ops", .flags = CFG_KW_NODUMP },
	{ .name = "lvs_method", .type = CFG_T_FUNC, .parse = vs_method_parse,
	  .dump = vs_method_dump },
	{ .name = "lb_kind", .type = CFG_T_FUNC, .parse = vs_method_parse,
	  .alias_of = "lvs_method", .flags = CFG_KW_NODUMP },
	{ .name = "persistence_timeout", .type = CFG_T_FUNC, .parse = vs_persist_parse,
	  .dump = vs_persist_dump },
	{ .name = "persistence_granularity", .type = CFG_T_FUNC, .parse = vs_gran_parse,
	  .dump = vs_gran_dump },
	{ .name = "persistence_engine", .type = CFG_T_STR,
	  CFG_FIELD(struct cfg_vs, persistence_engine) },
	{ .name = "protocol", .type = CFG_T_ENUM, CFG_FIELD(struct cfg_vs, protocol),
	  .enums = proto_enums },
	{ .name = "ip_family", .type = CFG_T_ENUM, CFG_FIELD(struct cfg_vs, ip_family),
	  .enums = family_enums },
	VS_FLAG("ha_suspend", ha_suspend),
	{ .name = "alpha", .type = CFG_T_FUNC, .parse = vs_alpha_parse, .dump = vs_alpha_dump },
	VS_FLAG("omega", omega),
	{ .name = "inhibit_on_failure", .type = CFG_T_FUNC, .parse = vs_inhibit_parse,
	  .dump = vs_inhibit_dump },
	{ .name = "smtp_alert", .type = CFG_T_FUNC, .parse = vs_smtp_alert_parse,
	  .dump = vs_smtp_alert_dump },
	{ .name = "virtualhost", .type = CFG_T_STR, CFG_FIELD(struct cfg_vs, virtualhost) },
	{ .name = "snmp_name", .type = CFG_T_STR, CFG_FIELD(struct cfg_vs, snmp_name) },
	{ .name = "quorum", .type = CFG_T_UINT, CFG_FIELD(struct cfg_vs, quorum), .min = 1,
	  .max = UINT32_MAX },
	{ .name = "hysteresis", .type = CFG_T_UINT, CFG_FIELD(struct cfg_vs, hysteresis),
	  .min = 0, .max = UINT32_MAX },
	{ .name = "quorum_up", .type = CFG_T_FUNC, .parse = vs_quorum_up_parse,
	  .dump = vs_quorum_up_dump },
	{ .name = "quorum_down", .type = CFG_T_FUNC, .parse = vs_quorum_down_parse,
	  .dump = vs_quorum_down_dump },
	{ .name = "nat_mask", .type = CFG_T_IGNORE, .flags = CFG_KW_DEPRECATED },
	{ .name = "sorry_server", .type = CFG_T_FUNC, .parse = vs_sorry_parse,
	  .dump = vs_sorry_dump },
	VS_FLAG("sorry_server_inhibit", sorry.inhibit),
	{ .name = "sorry_server_lvs_method", .type = CFG_T_FUNC, .parse = vs_sorry_method_parse,
	  .dump = vs_sorry_method_dump },
	{ .name = "real_server", .type = CFG_T_LIST, .off = offsetof(struct cfg_vs, rs),
	  .sub = &rs_block },
	{ .name = NULL },
};

static const struct cfg_block vs_block = {
	.name = "virtual_server",
	.size = sizeof(struct cfg_vs),
	.next_off = offsetof(struct cfg_vs, next),
	.init = vs_init,
	.head = vs_head,
	.dump_head = vs_dump_head,
	.free_extra = vs_free_extra,
	.kws = vs_kws,
};

/* ---- virtual_server_group ---- */

static void vsg_add(struct cfg_vsg *g, const struct cfg_vsg_entry *e)
{
	struct cfg_vsg_entry *v = realloc(g->v, (g->n + 1) * sizeof(*v));

	if (!v) {
		fputs("alived: out of memory\n", stderr);
		abort();
	}
	v[g->n++] = *e;
	g->v = v;
}

/* The last byte (IPv4) or 16-bit group (IPv6) of a. */
static unsigned addr_last_part(const struct cfg_addr *a)
{
	if (a->family == AF_INET)
		return ntohl(a->u.v4.s_addr) & 0xff;
	return (unsigned)a->u.v6.s6_addr[14] << 8 | a->u.v6.s6_addr[15];
}

static void addr_set_last_part(struct cfg_addr *a, unsigned v)
{
	if (a->family == AF_INET) {
		a->u.v4.s_addr = htonl((ntohl(a->u.v4.s_addr) & ~UINT32_C(0xff)) | v);
	} else {
		a->u.v6.s6_addr[14] = (uint8_t)(v >> 8);
		a->u.v6.s6_addr[15] = (uint8_t)v;
	}
}

/* <0, 0, >0 as a is below, equal to or above b (same family). */
static int addr_cmp(const struct cfg_addr *a, const struct cfg_addr *b)
{
	if (a->family == AF_INET) {
		uint32_t x = ntohl(a->u.v4.s_addr), y = ntohl(b->u.v4.s_addr);

		return x < y ? -1 : x > y;
	}
	return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
}

/* "A", "A/N", "A-END" (END: last byte in decimal for IPv4, last group in
 * hex for IPv6) or "A-B". */
static int vsg_addr_parse(struct cfg_ctx *ctx, const struct cfg_node *n,
			  struct cfg_vsg_entry *e)
{
	const char *s = n->kw, *dash = strchr(s, '-');
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned long end;
	char *p;

	if (!dash) {
		if (cfg_addr_parse(s, &e->addr) < 0)
			goto bad;
		e->kind = CFG_VSG_ADDR;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(buf))
		goto bad;
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	if (cfg_addr_parse(buf, &e->addr) < 0 || e->addr.has_prefix)
		goto bad;
	e->kind = CFG_VSG_RANGE;
	if (strchr(dash + 1, '.') || strchr(dash + 1, ':')) {
		if (cfg_addr_parse(dash + 1, &e->last) < 0 || e->last.has_prefix ||
		    e->last.family != e->addr.family)
			goto bad;
	} else {
		errno = 0;
		end = strtoul(dash + 1, &p, e->addr.family == AF_INET ? 10 : 16);
		if (!dash[1] || *p || errno || end > (e->addr.family == AF_INET ? 255 : 0xffff))
			goto bad;
		e->last = e->addr;
		addr_set_last_part(&e->last, (unsigned)end);
	}
	if (addr_cmp(&e->last, &e->addr) < 0) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "virtual_server_group: range %s ends before it starts", s);
		return -EINVAL;
	}
	return 0;
bad:
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
		 "virtual_server_group: '%s' is not an address, address range or 'fwmark N'", s);
	return -EINVAL;
}

static int vsg_line(struct cfg_ctx *ctx, struct cfg_vsg *g, const struct cfg_node *n)
{
	struct cfg_vsg_entry e;
	uint64_t v;

	memset(&e, 0, sizeof(e));
	e.file = n->file;
	e.line = n->line;
	if (n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "virtual_server_group: a block is not allowed here");
		return -EINVAL;
	}
	if (!strcmp(n->kw, "fwmark")) {
		if (cfg_want_args(ctx, n, 1, 2) < 0 ||
		    cfg_get_uint(ctx, n, n->args[0], 1, UINT32_MAX, &v) < 0)
			return -EINVAL;
		e.kind = CFG_VSG_FWMARK;
		e.fwmark = (uint32_t)v;
		if (n->nargs == 2 && !strcmp(n->args[1], "inet")) {
			e.family = AF_INET;
		} else if (n->nargs == 2 && !strcmp(n->args[1], "inet6")) {
			e.family = AF_INET6;
		} else if (n->nargs == 2) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "fwmark %s %s: family must be inet or inet6", n->args[0],
				 n->args[1]);
			return -EINVAL;
		}
	} else {
		if (cfg_want_args(ctx, n, 0, 1) < 0 || vsg_addr_parse(ctx, n, &e) < 0)
			return -EINVAL;
		if (n->nargs && cfg_get_uint(ctx, n, n->args[0], 0, 65535, &v) < 0)
			return -EINVAL;
		e.port = n->nargs ? (uint16_t)v : 0;
	}
	vsg_add(g, &e);
	return 0;
}

static void vsg_free(struct cfg_vsg *g)
{
	free(g->name);
	free(g->v);
	free(g);
}

static int top_vsg_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_check *c = ((struct cfg_root *)obj)->check;
	unsigned before = ctx->diags->n_err;
	const struct cfg_node *l;
	struct cfg_vsg *g, **pp;

	if (cfg_want_args(ctx, n, 1, 1) < 0)
		return -EINVAL;
	if (!n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s needs a { } block",
			 n->kw);
		return -EINVAL;
	}
	g = cfg_zalloc(sizeof(*g));
	g->file = n->file;
	g->line = n->line;
	g->name = cfg_strdup(n->args[0]);
	for (l = n->child; l; l = l->next)
		vsg_line(ctx, g, l);
	if (ctx->diags->n_err != before) {
		vsg_free(g);
		return -EINVAL;
	}
	for (pp = &c->vsg; *pp; pp = &(*pp)->next)
		;
	*pp = g;
	return 0;
}

static void vsg_entry_dump(FILE *out, const struct cfg_vsg_entry *e)
{
	char a[CFG_ADDRSTRLEN], b[CFG_ADDRSTRLEN];
	struct cfg_addr t;

	cfg_indent(out, 4);
	if (e->kind == CFG_VSG_FWMARK) {
		fprintf(out, "fwmark %" PRIu32 "%s\n", e->fwmark,
			e->family == AF_INET ? " inet" : e->family == AF_INET6 ? " inet6" : "");
		return;
	}
	fputs(cfg_addr_fmt(&e->addr, a, sizeof(a)), out);
	if (e->kind == CFG_VSG_RANGE) {
		t = e->last;
		addr_set_last_part(&t, addr_last_part(&e->addr));
		if (!addr_cmp(&t, &e->addr))
			fprintf(out, e->addr.family == AF_INET ? "-%u" : "-%x",
				addr_last_part(&e->last));
		else
			fprintf(out, "-%s", cfg_addr_fmt(&e->last, b, sizeof(b)));
	}
	if (e->port)
		fprintf(out, " %u", (unsigned)e->port);
	fputc('\n', out);
}

/* ---- SSL ---- */

static const struct cfg_kw ssl_kws[] = {
	{ .name = "password", .type = CFG_T_STR, CFG_FIELD(struct cfg_ssl, password) },
	{ .name = "ca", .type = CFG_T_STR, CFG_FIELD(struct cfg_ssl, ca) },
	{ .name = "certificate", .type = CFG_T_STR, CFG_FIELD(struct cfg_ssl, certificate) },
	{ .name = "key", .type = CFG_T_STR, CFG_FIELD(struct cfg_ssl, key) },
	{ .name = NULL },
};

static const struct cfg_block ssl_block = {
	.name = "SSL",
	.size = sizeof(struct cfg_ssl),
	.kws = ssl_kws,
};

static int top_ssl_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_ssl *ssl = &((struct cfg_root *)obj)->check->ssl;

	if (cfg_want_args(ctx, n, 0, 0) < 0)
		return -EINVAL;
	if (!n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "SSL needs a { } block");
		return -EINVAL;
	}
	if (ssl->set)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "SSL given twice; its settings are merged");
	ssl->set = true;
	ssl->file = n->file;
	ssl->line = n->line;
	return cfg_parse_body(ctx, &ssl_block, ssl, n->child);
}

/* ---- top level ---- */

static int top_vs_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_check *c = ((struct cfg_root *)obj)->check;
	struct cfg_vs **pp;
	void *vs;

	if (cfg_parse_new(ctx, &vs_block, n, &vs) < 0)
		return -EINVAL;
	for (pp = &c->vs; *pp; pp = &(*pp)->next)
		;
	*pp = vs;
	return 0;
}

const struct cfg_kw cfg_top_check_kws[] = {
	{ .name = "virtual_server", .type = CFG_T_FUNC, .parse = top_vs_parse },
	{ .name = "virtual_server_group", .type = CFG_T_FUNC, .parse = top_vsg_parse },
	{ .name = "SSL", .type = CFG_T_FUNC, .parse = top_ssl_parse },
	{ .name = NULL },
};

struct cfg_check *cfg_check_new(void)
{
	return cfg_zalloc(sizeof(struct cfg_check));
}

void cfg_check_free(struct cfg_check *c)
{
	struct cfg_vsg *g, *gn;

	if (!c)
		return;
	cfg_free_list(&vs_block, c->vs);
	for (g = c->vsg; g; g = gn) {
		gn = g->next;
		vsg_free(g);
	}
	cfg_free_fields(&ssl_block, &c->ssl);
	free(c);
}

void cfg_check_dump(const struct cfg_root *root, FILE *out)
{
	const struct cfg_check *c = root->check;
	const struct cfg_vsg *g;
	const struct cfg_vs *vs;
	size_t i;

	if (!c)
		return;
	if (c->ssl.set) {
		fputc('\n', out);
		cfg_dump_block(out, &ssl_block, &c->ssl, 0);
	}
	for (g = c->vsg; g; g = g->next) {
		fputs("\nvirtual_server_group ", out);
		cfg_put_word(out, g->name);
		fputs(" {\n", out);
		for (i = 0; i < g->n; i++)
			vsg_entry_dump(out, &g->v[i]);
		fputs("}\n", out);
	}
	for (vs = c->vs; vs; vs = vs->next) {
		fputc('\n', out);
		cfg_dump_block(out, &vs_block, vs, 0);
	}
}
