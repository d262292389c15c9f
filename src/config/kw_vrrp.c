// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vrrp_instance NAME { ... }: the keyword table of a VRRP instance, the
 * top-level table of the VRRP side (cfg_top_vrrp_kws) and the part's
 * allocation, dump and free. Cross-checks live in validate_vrrp.c. Pure:
 * libc only.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_vrrp.h"
#include "config/cfg.h"

#define FLD(type, m) CFG_FIELD(type, m)
#define INST(obj) ((struct cfg_vrrp_inst *)(obj))
#define CINST(obj) ((const struct cfg_vrrp_inst *)(obj))

/* ------------------------------------------------------------------ */
/* Head, init, finish */

static void inst_init(void *obj)
{
	struct cfg_vrrp_inst *v = obj;

	v->priority = 100;
	v->advert_int_cs = 100;
	v->unicast_ttl = -1;
	v->garp_master_delay_s = -1;
	v->garp_master_repeat = -1;
	v->garp_master_refresh_s = -1;
	v->garp_master_refresh_repeat = -1;
	v->garp_lower_prio_delay_s = -1;
	v->garp_lower_prio_repeat = -1;
	v->garp_extra_if_s = -1;
	v->lower_prio_no_advert = CFG_VTRI_UNSET;
	v->higher_prio_send_advert = CFG_VTRI_UNSET;
	v->accept = CFG_VTRI_UNSET;
	v->skip_check_adv_addr = CFG_VTRI_UNSET;
	v->strict_mode = CFG_VTRI_UNSET;
	v->debug = -1;
	v->notify_priority_changes = CFG_VTRI_UNSET;
	v->smtp_alert = CFG_VTRI_UNSET;
}

static int inst_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	/* Single-valued FUNC keywords (the engine checks the other types). */
	static const char *const singles[] = {
		"use_vmac", "use_ipvlan", "old_unicast_checksum", "garp_extra_if",
		"lower_prio_no_advert", "higher_prio_send_advert", "advert_int",
		"skip_check_adv_addr", "strict_mode", "notify_priority_changes", "smtp_alert",
		"linkbeat_use_polling", "lvs_sync_daemon_interface", NULL,
	};
	struct cfg_vrrp_inst *v = obj;

	cfg_vrrp_warn_repeats(ctx, n, singles);
	v->file = n->file;
	v->line = n->line;
	if (n->nargs != 1) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "vrrp_instance needs exactly one name, got %u words", n->nargs);
		return -EINVAL;
	}
	v->name = cfg_strdup(n->args[0]);
	return 0;
}

static void inst_dump_head(FILE *out, const void *obj)
{
	fputc(' ', out);
	cfg_put_word(out, CINST(obj)->name);
}

/* Line of the last statement kw in the body of n; 0 when absent. */
static unsigned kw_line(const struct cfg_node *n, const char *kw)
{
	const struct cfg_node *c;
	unsigned line = 0;

	for (c = n->child; c; c = c->next)
		if (!strcmp(c->kw, kw))
			line = c->line;
	return line;
}

static int plain_addr(struct cfg_ctx *ctx, const struct cfg_node *n, const char *kw,
		      const struct cfg_addr *a)
{
	char buf[CFG_ADDRSTRLEN];

	if (a->family == AF_UNSPEC || !a->has_prefix)
		return 0;
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, kw_line(n, kw), "%s %s: no /prefix here",
		 kw, cfg_addr_fmt(a, buf, sizeof(buf)));
	return -EINVAL;
}

static int inst_finish(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst *v = obj;
	int r = 0;

	v->state_line = kw_line(n, "state");
	v->priority_line = kw_line(n, "priority");
	v->advert_int_line = kw_line(n, "advert_int");
	v->vrid_line = kw_line(n, "virtual_router_id");
	v->version_line = kw_line(n, "version");
	v->auth_line = kw_line(n, "authentication");
	v->interface_line = kw_line(n, "interface");
	v->nopreempt_line = kw_line(n, "nopreempt");
	if (plain_addr(ctx, n, "mcast_src_ip", &v->mcast_src_ip) < 0 ||
	    plain_addr(ctx, n, "unicast_src_ip", &v->unicast_src_ip) < 0 ||
	    plain_addr(ctx, n, "mcast_dst_ip", &v->mcast_dst_ip) < 0)
		r = -EINVAL;
	if (v->auth.type == CFG_VRRP_AUTH_NONE && v->auth.pass[0]) {
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, v->auth_line,
			 "vrrp_instance %s: auth_pass without auth_type PASS|AH; ignored",
			 v->name);
		memset(v->auth.pass, 0, sizeof(v->auth.pass));
	}
	if (v->auth.type == CFG_VRRP_AUTH_PASS && !v->auth.pass[0]) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, v->auth_line,
			 "vrrp_instance %s: auth_type PASS needs an auth_pass", v->name);
		r = -EINVAL;
	}
	return r;
}

/* ------------------------------------------------------------------ */
/* FUNC keywords */

#define TRI_KW(field)                                                                      \
	static int field##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)  \
	{                                                                                   \
		return cfg_vrrp_parse_tristate(ctx, n, &INST(obj)->field);                  \
	}                                                                                   \
	static void field##_dump(FILE *out, const void *obj, int indent)                    \
	{                                                                                   \
		cfg_vrrp_dump_tristate(out, #field, CINST(obj)->field, indent);             \
	}

TRI_KW(lower_prio_no_advert)
TRI_KW(higher_prio_send_advert)
TRI_KW(skip_check_adv_addr)
TRI_KW(strict_mode)
TRI_KW(notify_priority_changes)
TRI_KW(smtp_alert)

#define TRACK_KW(kind, fn)                                                                 \
	static int fn##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)     \
	{                                                                                   \
		return cfg_vrrp_parse_track(ctx, n, kind, &INST(obj)->track[kind]);         \
	}                                                                                   \
	static void fn##_dump(FILE *out, const void *obj, int indent)                       \
	{                                                                                   \
		cfg_vrrp_dump_track(out, kind, CINST(obj)->track[kind], indent);            \
	}

TRACK_KW(CFG_TRACK_IF, track_if)
TRACK_KW(CFG_TRACK_SCRIPT, track_script)
TRACK_KW(CFG_TRACK_FILE, track_file)
TRACK_KW(CFG_TRACK_PROCESS, track_process)
TRACK_KW(CFG_TRACK_BFD, track_bfd)

#define NOTIFY_KW(kind, fn, optional)                                                      \
	static int fn##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)     \
	{                                                                                   \
		if ((kind) == CFG_NOTIFY_DELETED)                                           \
			INST(obj)->notify_deleted = true;                                   \
		return cfg_vrrp_parse_notify(ctx, n, optional, &INST(obj)->notify[kind]);  \
	}                                                                                   \
	static void fn##_dump(FILE *out, const void *obj, int indent)                       \
	{                                                                                   \
		const struct cfg_vrrp_inst *v = obj;                                        \
		if ((kind) == CFG_NOTIFY_DELETED && v->notify_deleted &&                    \
		    !v->notify[kind].script) {                                              \
			cfg_indent(out, indent);                                            \
			fputs("notify_deleted\n", out);                                     \
		}                                                                           \
		cfg_vrrp_dump_notify(out, cfg_vrrp_notify_kw[kind], &v->notify[kind], indent); \
	}

NOTIFY_KW(CFG_NOTIFY_MASTER, notify_master, false)
NOTIFY_KW(CFG_NOTIFY_BACKUP, notify_backup, false)
NOTIFY_KW(CFG_NOTIFY_FAULT, notify_fault, false)
NOTIFY_KW(CFG_NOTIFY_STOP, notify_stop, false)
NOTIFY_KW(CFG_NOTIFY_DELETED, notify_deleted, true)
NOTIFY_KW(CFG_NOTIFY_MASTER_RX_LOWER_PRI, notify_master_rx_lower_pri, false)
NOTIFY_KW(CFG_NOTIFY_ANY, notify_any, false)

#define LINES_KW(fn, field, parsefn, dumpfn, kwname)                                      \
	static int fn##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)     \
	{                                                                                   \
		return parsefn(ctx, n, false, &INST(obj)->field);                           \
	}                                                                                   \
	static void fn##_dump(FILE *out, const void *obj, int indent)                       \
	{                                                                                   \
		dumpfn(out, kwname, CINST(obj)->field, indent);                             \
	}

LINES_KW(vips, vips, cfg_vrrp_parse_vips, cfg_vrrp_dump_vips, "virtual_ipaddress")
LINES_KW(evips, evips, cfg_vrrp_parse_vips, cfg_vrrp_dump_vips, "virtual_ipaddress_excluded")
LINES_KW(routes, routes, cfg_vrrp_parse_routes, cfg_vrrp_dump_routes, "virtual_routes")
LINES_KW(rules, rules, cfg_vrrp_parse_rules, cfg_vrrp_dump_rules, "virtual_rules")

static int one_word(struct cfg_ctx *ctx, const struct cfg_node *n)
{
	if (n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s takes a value, not a { } block", n->kw);
		return -EINVAL;
	}
	return cfg_want_args(ctx, n, 1, 1);
}

static int interface_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst *v = obj;

	if (one_word(ctx, n) < 0)
		return -EINVAL;
	if (v->interface[0])
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "interface given twice; the last one wins");
	return cfg_vrrp_ifname(ctx, n, "interface", n->args[0], v->interface);
}

static void interface_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_inst *v = obj;

	if (!v->interface[0])
		return;
	cfg_indent(out, indent);
	fprintf(out, "interface %s\n", v->interface);
}

/* "xx:xx:xx:xx:xx[:xx]"; returns the number of octets or 0. */
static unsigned parse_mac(const char *s, uint8_t mac[6])
{
	unsigned n = 0;
	char *end;
	unsigned long b;

	while (n < 6) {
		if (!isxdigit((unsigned char)s[0]))
			return 0;
		b = strtoul(s, &end, 16);
		if (end - s > 2 || b > 255)
			return 0;
		mac[n++] = (uint8_t)b;
		if (!*end)
			break;
		if (*end != ':')
			return 0;
		s = end + 1;
	}
	return n >= 5 && !*end ? n : 0;
}

/* use_vmac [NAME] [MAC] */
static int use_vmac_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst *v = obj;
	unsigned i;
	uint8_t mac[6];
	unsigned len;

	if (n->block || cfg_want_args(ctx, n, 0, 2) < 0)
		return n->block ? one_word(ctx, n) : -EINVAL;
	for (i = 0; i < n->nargs; i++) {
		len = parse_mac(n->args[i], mac);
		/* RFC 5798 section 7.3: 00-00-5E-00-01/02-{VRID} is the default anyway. */
		if (len && !memcmp(mac, "\0\0\x5e\0", 4) && (mac[4] == 1 || mac[4] == 2)) {
			cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
				 "use_vmac %s: the standard VRRP MAC is used anyway; ignored",
				 n->args[i]);
		} else if (len) {
			memcpy(v->vmac_mac, mac, sizeof(mac));
			v->vmac_mac_len = (uint8_t)len;
		} else if (i == 0 && strchr(n->args[i], ':') == NULL) {
			if (cfg_vrrp_ifname(ctx, n, "use_vmac", n->args[i], v->vmac_name) < 0)
				return -EINVAL;
		} else {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "use_vmac %s: expected [NAME] [MAC with 5 or 6 octets]",
				 n->args[i]);
			return -EINVAL;
		}
	}
	v->use_vmac = true;
	return 0;
}

static void use_vmac_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_inst *v = obj;
	unsigned i;

	if (!v->use_vmac)
		return;
	cfg_indent(out, indent);
	fputs("use_vmac", out);
	if (v->vmac_name[0])
		fprintf(out, " %s", v->vmac_name);
	for (i = 0; i < v->vmac_mac_len; i++)
		fprintf(out, "%c%02x", i ? ':' : ' ', v->vmac_mac[i]);
	fputc('\n', out);
}

static const char *const ipvlan_modes[CFG_IPVLAN__COUNT] = {
	[CFG_IPVLAN_BRIDGE] = "bridge",
	[CFG_IPVLAN_PRIVATE] = "private",
	[CFG_IPVLAN_VEPA] = "vepa",
};
_Static_assert(sizeof(ipvlan_modes) / sizeof(ipvlan_modes[0]) == CFG_IPVLAN__COUNT, "modes");

/* use_ipvlan [NAME] [ADDR[/P]] [bridge|private|vepa] */
static int use_ipvlan_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst *v = obj;
	unsigned i, m;

	if (n->block || cfg_want_args(ctx, n, 0, 3) < 0)
		return n->block ? one_word(ctx, n) : -EINVAL;
	for (i = 0; i < n->nargs; i++) {
		for (m = 0; m < CFG_IPVLAN__COUNT; m++)
			if (!strcmp(n->args[i], ipvlan_modes[m]))
				break;
		if (m < CFG_IPVLAN__COUNT) {
			v->ipvlan_mode = (int)m;
		} else if (cfg_addr_parse(n->args[i], &v->ipvlan_addr) == 0) {
			continue;
		} else if (i == 0) {
			if (cfg_vrrp_ifname(ctx, n, "use_ipvlan", n->args[i], v->ipvlan_name) < 0)
				return -EINVAL;
		} else {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "use_ipvlan %s: expected [NAME] [ADDRESS] [bridge|private|vepa]",
				 n->args[i]);
			return -EINVAL;
		}
	}
	v->use_ipvlan = true;
	return 0;
}

static void use_ipvlan_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_inst *v = obj;
	char buf[CFG_ADDRSTRLEN];

	if (!v->use_ipvlan)
		return;
	cfg_indent(out, indent);
	fputs("use_ipvlan", out);
	if (v->ipvlan_name[0])
		fprintf(out, " %s", v->ipvlan_name);
	if (v->ipvlan_addr.family != AF_UNSPEC)
		fprintf(out, " %s", cfg_addr_fmt(&v->ipvlan_addr, buf, sizeof(buf)));
	if (v->ipvlan_mode != CFG_IPVLAN_BRIDGE)
		fprintf(out, " %s", ipvlan_modes[v->ipvlan_mode]);
	fputc('\n', out);
}

/* unicast_peer { ADDR [min_ttl N] [max_ttl N] } */
static int peer_line(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst *v = obj;
	struct cfg_unicast_peer *p, **tail;
	uint64_t ttl;
	unsigned i;

	if (n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "unicast_peer: '%s' cannot open a { } block", n->kw);
		return -EINVAL;
	}
	p = cfg_zalloc(sizeof(*p));
	p->file = n->file;
	p->line = n->line;
	p->min_ttl = -1;
	p->max_ttl = -1;
	if (cfg_addr_parse(n->kw, &p->addr) < 0 || p->addr.has_prefix) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "unicast_peer: %s: must be an IPv4 or IPv6 address", n->kw);
		goto bad;
	}
	for (i = 0; i < n->nargs; i++) {
		bool is_min = !strcmp(n->args[i], "min_ttl");

		if ((!is_min && strcmp(n->args[i], "max_ttl")) || i + 1 >= n->nargs) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "unicast_peer: %s: expected [min_ttl N] [max_ttl N]", n->kw);
			goto bad;
		}
		if (cfg_get_uint(ctx, n, n->args[++i], 0, 255, &ttl) < 0)
			goto bad;
		if (is_min)
			p->min_ttl = (int16_t)ttl;
		else
			p->max_ttl = (int16_t)ttl;
	}
	if (p->min_ttl >= 0 && p->max_ttl >= 0 && p->min_ttl > p->max_ttl) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "unicast_peer: %s: min_ttl %d is above max_ttl %d", n->kw, p->min_ttl,
			 p->max_ttl);
		goto bad;
	}
	for (tail = &v->unicast_peers; *tail; tail = &(*tail)->next) {
		if (cfg_addr_equal(&(*tail)->addr, &p->addr)) {
			cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
				 "unicast_peer: %s listed twice", n->kw);
			free(p);
			return 0;
		}
	}
	*tail = p;
	return 0;
bad:
	free(p);
	return -EINVAL;
}

static const struct cfg_kw no_kws[] = { { .name = NULL } };

static const struct cfg_block peer_lines_block = {
	.name = "unicast_peer",
	.line = peer_line,
	.kws = no_kws,
};

static int unicast_peer_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (!n->block || n->nargs) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "unicast_peer: expected 'unicast_peer {' and one address a line");
		return -EINVAL;
	}
	return cfg_parse_body(ctx, &peer_lines_block, obj, n->child);
}

static void unicast_peer_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_unicast_peer *p = CINST(obj)->unicast_peers;
	char buf[CFG_ADDRSTRLEN];

	if (!p)
		return;
	cfg_indent(out, indent);
	fputs("unicast_peer {\n", out);
	for (; p; p = p->next) {
		cfg_indent(out, indent + 4);
		fputs(cfg_addr_fmt(&p->addr, buf, sizeof(buf)), out);
		if (p->min_ttl >= 0)
			fprintf(out, " min_ttl %d", p->min_ttl);
		if (p->max_ttl >= 0)
			fprintf(out, " max_ttl %d", p->max_ttl);
		fputc('\n', out);
	}
	cfg_indent(out, indent);
	fputs("}\n", out);
}

static int old_cksum_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (n->block || cfg_want_args(ctx, n, 0, 1) < 0)
		return n->block ? one_word(ctx, n) : -EINVAL;
	if (n->nargs && strcmp(n->args[0], "never")) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "old_unicast_checksum %s: expected nothing or 'never'", n->args[0]);
		return -EINVAL;
	}
	INST(obj)->old_unicast_checksum = n->nargs ? CFG_OLD_CKSUM_NEVER : CFG_OLD_CKSUM_ON;
	return 0;
}

static void old_cksum_dump(FILE *out, const void *obj, int indent)
{
	int c = CINST(obj)->old_unicast_checksum;

	if (c == CFG_OLD_CKSUM_AUTO)
		return;
	cfg_indent(out, indent);
	fputs(c == CFG_OLD_CKSUM_NEVER ? "old_unicast_checksum never\n" : "old_unicast_checksum\n",
	      out);
}

/* garp_extra_if [all] SECONDS (0 = off) */
static int garp_extra_if_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst *v = obj;
	bool all = n->nargs == 2 && !strcmp(n->args[0], "all");
	uint64_t s;

	if (n->block || cfg_want_args(ctx, n, 1, 2) < 0)
		return n->block ? one_word(ctx, n) : -EINVAL;
	if (n->nargs == 2 && !all) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "garp_extra_if %s: expected [all] SECONDS", n->args[0]);
		return -EINVAL;
	}
	if (cfg_get_uint(ctx, n, n->args[n->nargs - 1], 0, 86400, &s) < 0)
		return -EINVAL;
	v->garp_extra_if_s = (int32_t)s;
	v->garp_extra_if_all = all;
	return 0;
}

static void garp_extra_if_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_inst *v = obj;

	if (v->garp_extra_if_s < 0)
		return;
	cfg_indent(out, indent);
	fprintf(out, "garp_extra_if%s %" PRId32 "\n", v->garp_extra_if_all ? " all" : "",
		v->garp_extra_if_s);
}

/*
 * advert_int SECONDS: 0.01..255, kept in centiseconds (RFC 5798 section
 * 5.2.7 counts in centiseconds; whether a version 2 instance needs whole
 * seconds is decided once the version is known, in validate_vrrp.c).
 */
static int advert_int_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst *v = obj;
	uint64_t us;

	if (one_word(ctx, n) < 0 ||
	    cfg_get_fixed(ctx, n, n->args[0], 1000000, 0, 255000000, &us) < 0)
		return -EINVAL;
	if (us < 10000) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "advert_int %s: must be 0.01..255", n->args[0]);
		return -EINVAL;
	}
	v->advert_int_cs = (uint32_t)((us + 5000) / 10000);
	if (us % 10000)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "advert_int %s: rounded to %" PRIu32 ".%02" PRIu32
			 " (centisecond resolution)",
			 n->args[0], v->advert_int_cs / 100, v->advert_int_cs % 100);
	return 0;
}

static void advert_int_dump(FILE *out, const void *obj, int indent)
{
	uint32_t cs = CINST(obj)->advert_int_cs;

	if (cs == 100)
		return;
	cfg_indent(out, indent);
	if (cs % 10)
		fprintf(out, "advert_int %" PRIu32 ".%02" PRIu32 "\n", cs / 100, cs % 100);
	else if (cs % 100)
		fprintf(out, "advert_int %" PRIu32 ".%" PRIu32 "\n", cs / 100, cs % 100 / 10);
	else
		fprintf(out, "advert_int %" PRIu32 "\n", cs / 100);
}

static int accept_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (n->block || cfg_want_args(ctx, n, 0, 0) < 0)
		return n->block ? one_word(ctx, n) : -EINVAL;
	INST(obj)->accept = strcmp(n->kw, "accept") ? 0 : 1;
	return 0;
}

static void accept_dump(FILE *out, const void *obj, int indent)
{
	int8_t a = CINST(obj)->accept;

	if (a == CFG_VTRI_UNSET)
		return;
	cfg_indent(out, indent);
	fputs(a ? "accept\n" : "no_accept\n", out);
}

static int preempt_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (n->block || cfg_want_args(ctx, n, 0, 0) < 0)
		return n->block ? one_word(ctx, n) : -EINVAL;
	INST(obj)->nopreempt = false;
	return 0;
}

static int lvs_syncd_if_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst *v = obj;

	if (one_word(ctx, n) < 0)
		return -EINVAL;
	cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
		 "'lvs_sync_daemon_interface' is deprecated, use 'lvs_sync_daemon' in global_defs");
	free(v->lvs_sync_daemon_interface);
	v->lvs_sync_daemon_interface = cfg_strdup(n->args[0]);
	return 0;
}

static void lvs_syncd_if_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_inst *v = obj;

	if (!v->lvs_sync_daemon_interface)
		return;
	cfg_indent(out, indent);
	fputs("lvs_sync_daemon_interface ", out);
	cfg_put_word(out, v->lvs_sync_daemon_interface);
	fputc('\n', out);
}

static int linkbeat_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	bool on = true;

	if (n->block || cfg_want_args(ctx, n, 0, 1) < 0)
		return n->block ? one_word(ctx, n) : -EINVAL;
	if (n->nargs && cfg_get_bool(ctx, n, n->args[0], &on) < 0)
		return -EINVAL;
	cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
		 "'linkbeat_use_polling' in vrrp_instance is deprecated, use the top-level "
		 "'linkbeat_interfaces' block");
	INST(obj)->linkbeat_use_polling = on;
	return 0;
}

static void linkbeat_dump(FILE *out, const void *obj, int indent)
{
	if (!CINST(obj)->linkbeat_use_polling)
		return;
	cfg_indent(out, indent);
	fputs("linkbeat_use_polling\n", out);
}

/* ------------------------------------------------------------------ */
/* authentication { auth_type PASS|AH  auth_pass SECRET } */

static const struct cfg_enum_val auth_types[] = {
	{ "PASS", CFG_VRRP_AUTH_PASS },
	{ "AH", CFG_VRRP_AUTH_AH },
	{ NULL, 0 },
};

static int auth_pass_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_auth *a = obj;

	if (one_word(ctx, n) < 0)
		return -EINVAL;
	if (!n->args[0][0]) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "auth_pass: empty password");
		return -EINVAL;
	}
	memset(a->pass, 0, sizeof(a->pass));
	/* RFC 2338 section 5.3.10: the authentication data is 8 octets. */
	if (strlen(n->args[0]) > CFG_VRRP_AUTH_PASS_MAX)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "auth_pass: longer than %d characters; truncated", CFG_VRRP_AUTH_PASS_MAX);
	strncpy(a->pass, n->args[0], CFG_VRRP_AUTH_PASS_MAX);
	return 0;
}

static void auth_pass_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_auth *a = obj;

	if (!a->pass[0])
		return;
	cfg_indent(out, indent);
	fputs("auth_pass ", out);
	cfg_put_word(out, a->pass);
	fputc('\n', out);
}

static const struct cfg_kw auth_kws[] = {
	{ .name = "auth_type", .type = CFG_T_ENUM, FLD(struct cfg_vrrp_auth, type),
	  .enums = auth_types },
	{ .name = "auth_pass", .type = CFG_T_FUNC, .parse = auth_pass_parse,
	  .dump = auth_pass_dump },
	{ .name = NULL },
};

static const struct cfg_block auth_block = {
	.name = "authentication",
	.size = sizeof(struct cfg_vrrp_auth),
	.kws = auth_kws,
};

/* ------------------------------------------------------------------ */
/* The instance table (in dump order) */

static const struct cfg_enum_val state_vals[] = {
	{ "BACKUP", CFG_VRRP_STATE_BACKUP },
	{ "MASTER", CFG_VRRP_STATE_MASTER },
	{ NULL, 0 },
};

#define KF(kwname, fn) \
	{ .name = kwname, .type = CFG_T_FUNC, .parse = fn##_parse, .dump = fn##_dump }
#define KFLAG(kwname, field) \
	{ .name = kwname, .type = CFG_T_FLAG, FLD(struct cfg_vrrp_inst, field) }
#define KINT(kwname, field, lo, hi)                                                        \
	{ .name = kwname, .type = CFG_T_INT, FLD(struct cfg_vrrp_inst, field), .min = lo,   \
	  .max = hi }
#define KUINT(kwname, field, lo, hi)                                                       \
	{ .name = kwname, .type = CFG_T_UINT, FLD(struct cfg_vrrp_inst, field), .min = lo,  \
	  .max = hi }
#define KADDR(kwname, field) \
	{ .name = kwname, .type = CFG_T_ADDR, FLD(struct cfg_vrrp_inst, field) }

static const struct cfg_kw inst_kws[] = {
	{ .name = "state", .type = CFG_T_ENUM, FLD(struct cfg_vrrp_inst, state),
	  .enums = state_vals },
	KF("interface", interface),
	{ .name = "vrf", .type = CFG_T_STR, FLD(struct cfg_vrrp_inst, vrf) },
	KF("use_vmac", use_vmac),
	KFLAG("use_vmac_addr", use_vmac_addr),
	KFLAG("vmac_xmit_base", vmac_xmit_base),
	KF("use_ipvlan", use_ipvlan),
	{ .name = "native_ipv6", .type = CFG_T_FLAG, FLD(struct cfg_vrrp_inst, native_ipv6),
	  .flags = CFG_KW_DEPRECATED },
	KFLAG("dont_track_primary", dont_track_primary),
	KF("track_interface", track_if),
	KF("track_script", track_script),
	KF("track_file", track_file),
	KF("track_process", track_process),
	KF("track_bfd", track_bfd),
	KADDR("mcast_src_ip", mcast_src_ip),
	KADDR("unicast_src_ip", unicast_src_ip),
	KADDR("mcast_dst_ip", mcast_dst_ip),
	KFLAG("track_src_ip", track_src_ip),
	KUINT("version", version, 2, 3),
	KFLAG("check_unicast_src", check_unicast_src),
	KF("unicast_peer", unicast_peer),
	KFLAG("unicast_fault_no_peer", unicast_fault_no_peer),
	KINT("unicast_ttl", unicast_ttl, 0, 255),
	KF("old_unicast_checksum", old_cksum),
	KINT("garp_master_delay", garp_master_delay_s, 0, 86400),
	KINT("garp_master_repeat", garp_master_repeat, 0, 65535),
	KINT("garp_master_refresh", garp_master_refresh_s, 0, 86400),
	KINT("garp_master_refresh_repeat", garp_master_refresh_repeat, 0, 65535),
	KINT("garp_lower_prio_delay", garp_lower_prio_delay_s, 0, 86400),
	KINT("garp_lower_prio_repeat", garp_lower_prio_repeat, 0, 65535),
	KF("garp_extra_if", garp_extra_if),
	KUINT("down_timer_adverts", down_timer_adverts, 1, 100),
	KF("lower_prio_no_advert", lower_prio_no_advert),
	KF("higher_prio_send_advert", higher_prio_send_advert),
	KUINT("virtual_router_id", vrid, 1, 255),
	KUINT("priority", priority, 1, 255),
	KF("advert_int", advert_int),
	{ .name = "authentication", .type = CFG_T_SUB, FLD(struct cfg_vrrp_inst, auth),
	  .sub = &auth_block },
	KF("virtual_ipaddress", vips),
	KF("virtual_ipaddress_excluded", evips),
	KFLAG("promote_secondaries", promote_secondaries),
	KF("virtual_routes", routes),
	KF("virtual_rules", rules),
	KF("accept", accept),
	{ .name = "no_accept", .type = CFG_T_FUNC, .parse = accept_parse },
	KFLAG("nopreempt", nopreempt),
	{ .name = "preempt", .type = CFG_T_FUNC, .parse = preempt_parse },
	{ .name = "preempt_delay", .type = CFG_T_FIXED, FLD(struct cfg_vrrp_inst, preempt_delay_ms),
	  .min = 0, .max = 1000000, .scale = 1000 },
	KF("skip_check_adv_addr", skip_check_adv_addr),
	KF("strict_mode", strict_mode),
	KINT("debug", debug, 0, 4),
	KF("notify_master", notify_master),
	KF("notify_backup", notify_backup),
	KF("notify_fault", notify_fault),
	KF("notify_stop", notify_stop),
	KF("notify_deleted", notify_deleted),
	KF("notify_master_rx_lower_pri", notify_master_rx_lower_pri),
	KF("notify", notify_any),
	KF("notify_priority_changes", notify_priority_changes),
	{ .name = "notify_fifo", .type = CFG_T_STR, FLD(struct cfg_vrrp_inst, notify_fifo) },
	KF("smtp_alert", smtp_alert),
	KUINT("kernel_rx_buf_size", kernel_rx_buf_size, 0, UINT32_MAX),
	KF("linkbeat_use_polling", linkbeat),
	KF("lvs_sync_daemon_interface", lvs_syncd_if),
	{ .name = "kernel_rp_filter", .type = CFG_T_IGNORE },
	{ .name = NULL },
};

static void inst_free_extra(void *obj)
{
	struct cfg_vrrp_inst *v = obj;
	struct cfg_unicast_peer *p, *pn;
	unsigned i;

	free(v->name);
	for (i = 0; i < CFG_TRACK__COUNT; i++)
		cfg_vrrp_free_track(v->track[i]);
	for (i = 0; i < CFG_NOTIFY__COUNT; i++)
		cfg_vrrp_notify_clear(&v->notify[i]);
	cfg_vrrp_free_vips(v->vips);
	cfg_vrrp_free_vips(v->evips);
	cfg_vrrp_free_routes(v->routes);
	cfg_vrrp_free_rules(v->rules);
	for (p = v->unicast_peers; p; p = pn) {
		pn = p->next;
		free(p);
	}
	free(v->lvs_sync_daemon_interface);
}

static const struct cfg_block inst_block = {
	.name = "vrrp_instance",
	.size = sizeof(struct cfg_vrrp_inst),
	.next_off = offsetof(struct cfg_vrrp_inst, next),
	.init = inst_init,
	.head = inst_head,
	.dump_head = inst_dump_head,
	.finish = inst_finish,
	.free_extra = inst_free_extra,
	.kws = inst_kws,
};

/* ------------------------------------------------------------------ */
/* Top level: static_ipaddress, static_routes, static_rules (lines: kw_static.c) */

int cfg_vrrp_top_static_vips(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_root *root = obj;

	return cfg_vrrp_parse_vips(ctx, n, true, &root->vrrp->static_vips);
}

int cfg_vrrp_top_static_routes(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_root *root = obj;

	return cfg_vrrp_parse_routes(ctx, n, true, &root->vrrp->static_routes);
}

int cfg_vrrp_top_static_rules(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_root *root = obj;

	return cfg_vrrp_parse_rules(ctx, n, true, &root->vrrp->static_rules);
}

void cfg_vrrp_dump_static(FILE *out, const struct cfg_vrrp *v)
{
	if (v->static_vips) {
		cfg_vrrp_dump_vips(out, "static_ipaddress", v->static_vips, 0);
		fputc('\n', out);
	}
	if (v->static_routes) {
		cfg_vrrp_dump_routes(out, "static_routes", v->static_routes, 0);
		fputc('\n', out);
	}
	if (v->static_rules) {
		cfg_vrrp_dump_rules(out, "static_rules", v->static_rules, 0);
		fputc('\n', out);
	}
}

void cfg_vrrp_free_static(struct cfg_vrrp *v)
{
	cfg_vrrp_free_vips(v->static_vips);
	cfg_vrrp_free_routes(v->static_routes);
	cfg_vrrp_free_rules(v->static_rules);
	v->static_vips = NULL;
	v->static_routes = NULL;
	v->static_rules = NULL;
}

/* ------------------------------------------------------------------ */
/* Top level */

int cfg_vrrp_top_inst(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_inst **p = &((struct cfg_root *)obj)->vrrp->insts;
	void *elem;

	if (cfg_parse_new(ctx, &inst_block, n, &elem) < 0)
		return -EINVAL;
	while (*p)
		p = &(*p)->next;
	*p = elem;
	return 0;
}

static int top_bfd(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	(void)obj;
	cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
		 "%s is not supported by alived; ignored", n->kw);
	return 0;
}

#define TOP(kwname, fn) { .name = kwname, .type = CFG_T_FUNC, .parse = fn }

const struct cfg_kw cfg_top_vrrp_kws[] = {
	TOP("vrrp_instance", cfg_vrrp_top_inst),
	TOP("vrrp_sync_group", cfg_vrrp_top_sync),
	TOP("vrrp_script", cfg_vrrp_top_script),
	TOP("track_file", cfg_vrrp_top_track_file),
	TOP("vrrp_track_file", cfg_vrrp_top_track_file),
	TOP("vrrp_track_process", cfg_vrrp_top_track_process),
	TOP("track_process", cfg_vrrp_top_track_process),
	TOP("track_group", cfg_vrrp_top_track_group),
	TOP("static_ipaddress", cfg_vrrp_top_static_vips),
	TOP("static_routes", cfg_vrrp_top_static_routes),
	TOP("static_rules", cfg_vrrp_top_static_rules),
	TOP("interface_up_down_delays", cfg_vrrp_top_if_delays),
	TOP("garp_group", cfg_vrrp_top_garp_group),
	TOP("bfd_instance", top_bfd),
	{ .name = NULL },
};

struct cfg_vrrp *cfg_vrrp_new(void)
{
	return cfg_zalloc(sizeof(struct cfg_vrrp));
}

void cfg_vrrp_free_insts(struct cfg_vrrp_inst *head)
{
	cfg_free_list(&inst_block, head);
}

void cfg_vrrp_free(struct cfg_vrrp *v)
{
	if (!v)
		return;
	cfg_vrrp_free_insts(v->insts);
	cfg_vrrp_free_tracking(v);
	cfg_vrrp_free_static(v);
	free(v);
}

void cfg_vrrp_dump_insts(FILE *out, const struct cfg_vrrp *v)
{
	const struct cfg_vrrp_inst *i;

	for (i = v->insts; i; i = i->next) {
		cfg_dump_block(out, &inst_block, i, 0);
		fputc('\n', out);
	}
}

void cfg_vrrp_dump(const struct cfg_root *root, FILE *out)
{
	const struct cfg_vrrp *v = root->vrrp;

	cfg_vrrp_dump_track_groups(out, v);	/* keepalived wants them before their users */
	cfg_vrrp_dump_static(out, v);
	cfg_vrrp_dump_tracking(out, v);
	cfg_vrrp_dump_syncs(out, v);
	cfg_vrrp_dump_insts(out, v);
}

const struct cfg_vrrp_inst *cfg_vrrp_find_inst(const struct cfg_vrrp *v, const char *name)
{
	const struct cfg_vrrp_inst *i;

	for (i = v->insts; i; i = i->next)
		if (!strcmp(i->name, name))
			return i;
	return NULL;
}
