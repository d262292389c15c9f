// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * global_defs and the process-wide top-level keywords: keyword tables,
 * the handlers of the multi-word statements, defaults, checks and dump.
 * Pure: libc only.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alived/cfg_global.h"
#include "config/cfg.h"

#define G(obj) ((struct cfg_global *)(obj))
#define CG(obj) ((const struct cfg_global *)(obj))
#define GF(member) CFG_FIELD(struct cfg_global, member)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void g_init(void *obj)
{
	struct cfg_global *g = obj;

	g->child_wait_time_s = CFG_GLOBAL_CHILD_WAIT_TIME_S;
	g->startup_script_timeout_s = CFG_GLOBAL_SCRIPT_TIMEOUT_S;
	g->shutdown_script_timeout_s = CFG_GLOBAL_SCRIPT_TIMEOUT_S;
	g->smtp_server_port = CFG_GLOBAL_SMTP_PORT;
	g->smtp_connect_timeout_s = CFG_GLOBAL_SMTP_CONNECT_TIMEOUT_S;
	g->smtp_alert = g->smtp_alert_vrrp = g->smtp_alert_checker = CFG_GTRI_UNSET;
	cfg_addr_parse("224.0.0.18", &g->vrrp_mcast_group4);
	cfg_addr_parse("ff02::12", &g->vrrp_mcast_group6);
	g->vrrp_garp_master_delay_s = CFG_GLOBAL_GARP_MASTER_DELAY_S;
	g->vrrp_garp_master_repeat = CFG_GLOBAL_GARP_MASTER_REPEAT;
	g->vrrp_garp_lower_prio_delay_s = -1;
	g->vrrp_garp_lower_prio_repeat = -1;
	g->vrrp_garp_master_refresh_repeat = CFG_GLOBAL_GARP_REFRESH_REPEAT;
	g->vrrp_down_timer_adverts = CFG_GLOBAL_DOWN_TIMER_ADVERTS;
	g->vrrp_version = 2;
	g->vrrp_rx_bufs_multiplier = CFG_GLOBAL_RX_BUFS_MULTIPLIER;
	g->nftables_priority = CFG_GLOBAL_NFT_PRIORITY;
	g->nftables_ipvs_priority = CFG_GLOBAL_NFT_PRIORITY;
	g->nftables_ipvs_start_fwmark = CFG_GLOBAL_NFT_IPVS_START_FWMARK;
	g->lvs_syncd.syncid = -1;
	g->lvs_syncd.port = CFG_GLOBAL_LVS_SYNCD_PORT;
	g->min_auto_priority_delay_us = CFG_GLOBAL_MIN_AUTO_PRIO_DELAY_US;
	g->vrrp_rlimit_rttime_us = CFG_GLOBAL_RLIMIT_RTTIME_US;
	g->checker_rlimit_rttime_us = CFG_GLOBAL_RLIMIT_RTTIME_US;
	g->enable_dbus_compat = true;
}

/* ---- small checks ---- */

static bool g_valid_hostname(const char *s)
{
	size_t l = strlen(s), lab = 0;

	if (!l || l > 253 || *s == '-' || *s == '.')
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (!lab)
				return false;
			lab = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && *s != '-')
			return false;
		if (++lab > 63)
			return false;
	}
	return true;
}

/* User and group names: what useradd accepts, plus digits-only ids. */
static bool g_valid_user(const char *s)
{
	size_t l = strlen(s);

	if (!l || l > 32 || *s == '-')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s) && !(*s == '$' && !s[1]))
			return false;
	return true;
}

static bool g_valid_ifname(const char *s)
{
	size_t l = strlen(s);

	if (!l || l >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

static int g_user_args(struct cfg_ctx *ctx, const struct cfg_node *n, unsigned first)
{
	unsigned i;

	for (i = first; i < n->nargs && i < first + 2; i++) {
		if (!g_valid_user(n->args[i])) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "%s: '%s' is not a valid %s name", n->kw, n->args[i],
				 i == first ? "user" : "group");
			return -EINVAL;
		}
	}
	return 0;
}

static void g_set_str(char **p, const char *s)
{
	free(*p);
	*p = cfg_strdup(s);
}

/* ---- FUNC handlers; dump wrappers are generated per field ---- */

static void g_kw(FILE *out, int indent, const char *kw)
{
	cfg_indent(out, indent);
	fputs(kw, out);
}

static int g_tri_parse(struct cfg_ctx *ctx, const struct cfg_node *n, int8_t *f)
{
	bool v = true;

	if (cfg_want_args(ctx, n, 0, 1) < 0 ||
	    (n->nargs && cfg_get_bool(ctx, n, n->args[0], &v) < 0))
		return -EINVAL;
	*f = v;
	return 0;
}

static void g_tri_dump(FILE *out, int indent, const char *kw, int8_t v)
{
	if (v == CFG_GTRI_UNSET)
		return;
	g_kw(out, indent, kw);
	fprintf(out, " %s\n", v ? "on" : "off");
}

static int g_cmd_parse(struct cfg_ctx *ctx, const struct cfg_node *n, struct cfg_global_cmd *c)
{
	if (cfg_want_args(ctx, n, 1, 3) < 0 || g_user_args(ctx, n, 1) < 0)
		return -EINVAL;
	if (!n->args[0][0]) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s: empty name", n->kw);
		return -EINVAL;
	}
	g_set_str(&c->path, n->args[0]);
	free(c->user);
	free(c->group);
	c->user = n->nargs > 1 ? cfg_strdup(n->args[1]) : NULL;
	c->group = n->nargs > 2 ? cfg_strdup(n->args[2]) : NULL;
	return 0;
}

static void g_cmd_dump(FILE *out, int indent, const char *kw, const struct cfg_global_cmd *c)
{
	if (!c->path)
		return;
	g_kw(out, indent, kw);
	fputc(' ', out);
	cfg_put_word(out, c->path);
	if (c->user) {
		fputc(' ', out);
		cfg_put_word(out, c->user);
	}
	if (c->group) {
		fputc(' ', out);
		cfg_put_word(out, c->group);
	}
	fputc('\n', out);
}

static void g_cmd_free(struct cfg_global_cmd *c)
{
	free(c->path);
	free(c->user);
	free(c->group);
	memset(c, 0, sizeof(*c));
}

static int g_cpus_parse(struct cfg_ctx *ctx, const struct cfg_node *n, struct cfg_cpuset *cs)
{
	uint16_t *v;
	uint64_t cpu;
	unsigned i;

	if (cfg_want_args(ctx, n, 1, 1024) < 0)
		return -EINVAL;
	v = cfg_zalloc(n->nargs * sizeof(*v));
	for (i = 0; i < n->nargs; i++) {
		if (cfg_get_uint(ctx, n, n->args[i], 0, 1023, &cpu) < 0) {
			free(v);
			return -EINVAL;
		}
		v[i] = (uint16_t)cpu;
	}
	free(cs->cpu);
	cs->cpu = v;
	cs->n = n->nargs;
	return 0;
}

static void g_cpus_dump(FILE *out, int indent, const char *kw, const struct cfg_cpuset *cs)
{
	unsigned i;

	if (!cs->n)
		return;
	g_kw(out, indent, kw);
	for (i = 0; i < cs->n; i++)
		fprintf(out, " %u", (unsigned)cs->cpu[i]);
	fputc('\n', out);
}

/* "KW [NAME]": sets a flag and an optional name. */
static int g_optname_parse(struct cfg_ctx *ctx, const struct cfg_node *n, bool *flag, char **name)
{
	if (cfg_want_args(ctx, n, 0, 1) < 0)
		return -EINVAL;
	*flag = true;
	free(*name);
	*name = n->nargs ? cfg_strdup(n->args[0]) : NULL;
	return 0;
}

static void g_optname_dump(FILE *out, int indent, const char *kw, bool flag, const char *name)
{
	if (!flag)
		return;
	g_kw(out, indent, kw);
	if (name) {
		fputc(' ', out);
		cfg_put_word(out, name);
	}
	fputc('\n', out);
}

#define G_TRI(fn, kw, member)                                                              \
	static int fn##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)   \
	{                                                                                  \
		return g_tri_parse(ctx, n, &G(obj)->member);                               \
	}                                                                                  \
	static void fn##_dump(FILE *out, const void *obj, int indent)                      \
	{                                                                                  \
		g_tri_dump(out, indent, kw, CG(obj)->member);                              \
	}
#define G_CMD(fn, kw, member)                                                              \
	static int fn##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)   \
	{                                                                                  \
		return g_cmd_parse(ctx, n, &G(obj)->member);                               \
	}                                                                                  \
	static void fn##_dump(FILE *out, const void *obj, int indent)                      \
	{                                                                                  \
		g_cmd_dump(out, indent, kw, &CG(obj)->member);                             \
	}
#define G_CPUS(fn, kw, member)                                                             \
	static int fn##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)   \
	{                                                                                  \
		return g_cpus_parse(ctx, n, &G(obj)->member);                              \
	}                                                                                  \
	static void fn##_dump(FILE *out, const void *obj, int indent)                      \
	{                                                                                  \
		g_cpus_dump(out, indent, kw, &CG(obj)->member);                            \
	}
#define G_OPTNAME(fn, kw, flag, name)                                                      \
	static int fn##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)   \
	{                                                                                  \
		return g_optname_parse(ctx, n, &G(obj)->flag, &G(obj)->name);              \
	}                                                                                  \
	static void fn##_dump(FILE *out, const void *obj, int indent)                      \
	{                                                                                  \
		g_optname_dump(out, indent, kw, CG(obj)->flag, CG(obj)->name);             \
	}

G_TRI(g_smtp_alert, "smtp_alert", smtp_alert)
G_TRI(g_smtp_alert_vrrp, "smtp_alert_vrrp", smtp_alert_vrrp)
G_TRI(g_smtp_alert_checker, "smtp_alert_checker", smtp_alert_checker)
G_CMD(g_startup, "startup_script", startup_script)
G_CMD(g_shutdown, "shutdown_script", shutdown_script)
G_CMD(g_nfifo, "notify_fifo", notify_fifo)
G_CMD(g_nfifo_s, "notify_fifo_script", notify_fifo_script)
G_CMD(g_vfifo, "vrrp_notify_fifo", vrrp_notify_fifo)
G_CMD(g_vfifo_s, "vrrp_notify_fifo_script", vrrp_notify_fifo_script)
G_CMD(g_lfifo, "lvs_notify_fifo", lvs_notify_fifo)
G_CMD(g_lfifo_s, "lvs_notify_fifo_script", lvs_notify_fifo_script)
G_CPUS(g_vrrp_cpus, "vrrp_cpu_affinity", vrrp_cpu_affinity)
G_CPUS(g_chk_cpus, "checker_cpu_affinity", checker_cpu_affinity)
G_OPTNAME(g_nft, "nftables", nftables, nftables_table)
G_OPTNAME(g_nft_ipvs, "nftables_ipvs", nftables_ipvs, nftables_ipvs_table)
G_OPTNAME(g_reload_check, "reload_check_config", reload_check_config, reload_check_config_log)
G_OPTNAME(g_reload_file, "reload_file", reload_file_given, reload_file)

static int g_smtp_server_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_global *g = obj;
	struct cfg_addr a = { .family = AF_UNSPEC };
	uint16_t port = CFG_GLOBAL_SMTP_PORT;

	if (cfg_want_args(ctx, n, 1, 2) < 0)
		return -EINVAL;
	if (cfg_addr_parse(n->args[0], &a) == 0 ? a.has_prefix
						 : !g_valid_hostname(n->args[0])) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "smtp_server %s: must be an IP address or a host name", n->args[0]);
		return -EINVAL;
	}
	if (n->nargs > 1 && cfg_get_port(ctx, n, n->args[1], &port) < 0)
		return -EINVAL;
	g_set_str(&g->smtp_server, n->args[0]);
	g->smtp_server_addr = a;
	g->smtp_server_port = port;
	return 0;
}

static void g_smtp_server_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_global *g = obj;

	if (!g->smtp_server)
		return;
	g_kw(out, indent, "smtp_server ");
	cfg_put_word(out, g->smtp_server);
	if (g->smtp_server_port != CFG_GLOBAL_SMTP_PORT)
		fprintf(out, " %u", (unsigned)g->smtp_server_port);
	fputc('\n', out);
}

static int g_script_user_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_global *g = obj;

	if (cfg_want_args(ctx, n, 1, 2) < 0 || g_user_args(ctx, n, 0) < 0)
		return -EINVAL;
	g_set_str(&g->script_user, n->args[0]);
	free(g->script_group);
	g->script_group = n->nargs > 1 ? cfg_strdup(n->args[1]) : NULL;
	return 0;
}

static void g_script_user_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_global *g = obj;

	if (!g->script_user)
		return;
	g_kw(out, indent, "script_user ");
	cfg_put_word(out, g->script_user);
	if (g->script_group) {
		fputc(' ', out);
		cfg_put_word(out, g->script_group);
	}
	fputc('\n', out);
}

static const char *const g_syncd_opts[] = { "inst", "id", "maxlen", "port", "ttl", "group" };

static int g_syncd_opt(struct cfg_ctx *ctx, const struct cfg_node *n, struct cfg_lvs_syncd *s,
		       unsigned opt, const char *val)
{
	uint64_t v;

	switch (opt) {
	case 0:
		g_set_str(&s->vrrp_instance, val);
		return 0;
	case 1:
		if (cfg_get_uint(ctx, n, val, 0, 255, &v) < 0)
			return -EINVAL;
		s->syncid = (int16_t)v;
		return 0;
	case 2:
		if (cfg_get_uint(ctx, n, val, 1, 65507, &v) < 0)
			return -EINVAL;
		s->maxlen = (uint16_t)v;
		return 0;
	case 3:
		return cfg_get_port(ctx, n, val, &s->port);
	case 4:
		if (cfg_get_uint(ctx, n, val, 1, 255, &v) < 0)
			return -EINVAL;
		s->ttl = (uint8_t)v;
		return 0;
	default:
		if (cfg_get_addr(ctx, n, val, &s->group) < 0)
			return -EINVAL;
		if (s->group.has_prefix) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "%s group %s: must be an address without /prefix", n->kw, val);
			return -EINVAL;
		}
		return 0;
	}
}

static void g_syncd_free(struct cfg_lvs_syncd *s)
{
	free(s->ifname);
	free(s->vrrp_instance);
	memset(s, 0, sizeof(*s));
	s->syncid = -1;
	s->port = CFG_GLOBAL_LVS_SYNCD_PORT;
}

/* IFNAME [[inst] INSTANCE [SYNCID]] [id N] [maxlen N] [port N] [ttl N] [group ADDR] */
static int g_syncd_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_lvs_syncd s;
	unsigned i, o;
	int r = 0;

	if (cfg_want_args(ctx, n, 1, 14) < 0)
		return -EINVAL;
	if (!g_valid_ifname(n->args[0])) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: not a valid interface name", n->kw, n->args[0]);
		return -EINVAL;
	}
	memset(&s, 0, sizeof(s));
	s.syncid = -1;
	s.port = CFG_GLOBAL_LVS_SYNCD_PORT;
	s.ifname = cfg_strdup(n->args[0]);
	for (i = 1; i < n->nargs && r == 0; i++) {
		for (o = 0; o < ARRAY_SIZE(g_syncd_opts); o++)
			if (!strcmp(n->args[i], g_syncd_opts[o]))
				break;
		if (o == ARRAY_SIZE(g_syncd_opts) && i == 1) {
			r = g_syncd_opt(ctx, n, &s, 0, n->args[i]);
		} else if (o == ARRAY_SIZE(g_syncd_opts) && i == 2 && s.vrrp_instance) {
			r = g_syncd_opt(ctx, n, &s, 1, n->args[i]);	/* 1.x: SYNCID */
		} else if (o == ARRAY_SIZE(g_syncd_opts)) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "%s: unknown option '%s'", n->kw, n->args[i]);
			r = -EINVAL;
		} else if (i + 1 >= n->nargs) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "%s: '%s' needs a value", n->kw, n->args[i]);
			r = -EINVAL;
		} else {
			r = g_syncd_opt(ctx, n, &s, o, n->args[++i]);
		}
	}
	if (r < 0) {
		g_syncd_free(&s);
		return r;
	}
	g_syncd_free(&G(obj)->lvs_syncd);
	G(obj)->lvs_syncd = s;
	return 0;
}

/* The 1.x form: only the interface. */
static int g_syncd_if_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (cfg_want_args(ctx, n, 1, 1) < 0)
		return -EINVAL;
	if (!g_valid_ifname(n->args[0])) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: not a valid interface name", n->kw, n->args[0]);
		return -EINVAL;
	}
	g_set_str(&G(obj)->lvs_syncd.ifname, n->args[0]);
	return 0;
}

static void g_syncd_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_lvs_syncd *s = &CG(obj)->lvs_syncd;
	char buf[CFG_ADDRSTRLEN];
	unsigned o;

	if (!s->ifname)
		return;
	g_kw(out, indent, "lvs_sync_daemon ");
	cfg_put_word(out, s->ifname);
	if (s->vrrp_instance) {
		for (o = 0; o < ARRAY_SIZE(g_syncd_opts); o++)
			if (!strcmp(s->vrrp_instance, g_syncd_opts[o]))
				fputs(" inst", out);
		fputc(' ', out);
		cfg_put_word(out, s->vrrp_instance);
	}
	if (s->syncid >= 0)
		fprintf(out, " id %d", s->syncid);
	if (s->maxlen)
		fprintf(out, " maxlen %u", (unsigned)s->maxlen);
	if (s->port != CFG_GLOBAL_LVS_SYNCD_PORT)
		fprintf(out, " port %u", (unsigned)s->port);
	if (s->ttl)
		fprintf(out, " ttl %u", (unsigned)s->ttl);
	if (s->group.family != AF_UNSPEC)
		fprintf(out, " group %s", cfg_addr_fmt(&s->group, buf, sizeof(buf)));
	fputc('\n', out);
}

static int g_lvs_timeouts_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	static const char *const names[] = { "tcp", "tcpfin", "udp" };
	uint32_t v[3] = { G(obj)->lvs_timeout_tcp_s, G(obj)->lvs_timeout_tcpfin_s,
			  G(obj)->lvs_timeout_udp_s };
	unsigned i, k;
	uint64_t t;

	if (n->nargs < 2 || n->nargs % 2) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s: expected one or more of tcp N, tcpfin N, udp N", n->kw);
		return -EINVAL;
	}
	for (i = 0; i < n->nargs; i += 2) {
		for (k = 0; k < ARRAY_SIZE(names); k++)
			if (!strcmp(n->args[i], names[k]))
				break;
		if (k == ARRAY_SIZE(names)) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "%s %s: must be tcp, tcpfin or udp", n->kw, n->args[i]);
			return -EINVAL;
		}
		if (cfg_get_uint(ctx, n, n->args[i + 1], 0, 2678400, &t) < 0)
			return -EINVAL;
		v[k] = (uint32_t)t;
	}
	G(obj)->lvs_timeout_tcp_s = v[0];
	G(obj)->lvs_timeout_tcpfin_s = v[1];
	G(obj)->lvs_timeout_udp_s = v[2];
	return 0;
}

static void g_lvs_timeouts_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_global *g = obj;

	if (!g->lvs_timeout_tcp_s && !g->lvs_timeout_tcpfin_s && !g->lvs_timeout_udp_s)
		return;
	g_kw(out, indent, "lvs_timeouts");
	if (g->lvs_timeout_tcp_s)
		fprintf(out, " tcp %u", (unsigned)g->lvs_timeout_tcp_s);
	if (g->lvs_timeout_tcpfin_s)
		fprintf(out, " tcpfin %u", (unsigned)g->lvs_timeout_tcpfin_s);
	if (g->lvs_timeout_udp_s)
		fprintf(out, " udp %u", (unsigned)g->lvs_timeout_udp_s);
	fputc('\n', out);
}

static int g_flush_stop_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (cfg_want_args(ctx, n, 0, 1) < 0)
		return -EINVAL;
	if (n->nargs && strcasecmp(n->args[0], "vs")) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: must be VS or nothing", n->kw, n->args[0]);
		return -EINVAL;
	}
	G(obj)->lvs_flush_on_stop = n->nargs ? CFG_LVS_FLUSH_STOP_VS : CFG_LVS_FLUSH_STOP_ALL;
	return 0;
}

static void g_flush_stop_dump(FILE *out, const void *obj, int indent)
{
	enum cfg_lvs_flush_on_stop f = CG(obj)->lvs_flush_on_stop;

	if (f == CFG_LVS_FLUSH_STOP_NONE)
		return;
	g_kw(out, indent, f == CFG_LVS_FLUSH_STOP_VS ? "lvs_flush_on_stop VS\n"
						       : "lvs_flush_on_stop\n");
}

static int g_extra_if_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	bool all = n->nargs && !strcmp(n->args[0], "all");
	uint64_t v;

	if (cfg_want_args(ctx, n, all ? 2 : 1, all ? 2 : 1) < 0 ||
	    cfg_get_uint(ctx, n, n->args[all], 1, 86400, &v) < 0)
		return -EINVAL;
	G(obj)->vrrp_garp_extra_if_all = all;
	G(obj)->vrrp_garp_extra_if_s = (uint32_t)v;
	return 0;
}

static void g_extra_if_dump(FILE *out, const void *obj, int indent)
{
	if (!CG(obj)->vrrp_garp_extra_if_s)
		return;
	g_kw(out, indent, "vrrp_garp_extra_if");
	fprintf(out, "%s %u\n", CG(obj)->vrrp_garp_extra_if_all ? " all" : "",
		(unsigned)CG(obj)->vrrp_garp_extra_if_s);
}

static int g_iptables_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_global *g = obj;

	if (cfg_want_args(ctx, n, 0, 2) < 0)
		return -EINVAL;
	g->vrrp_iptables = true;
	free(g->vrrp_iptables_in);
	free(g->vrrp_iptables_out);
	g->vrrp_iptables_in = n->nargs > 0 ? cfg_strdup(n->args[0]) : NULL;
	g->vrrp_iptables_out = n->nargs > 1 ? cfg_strdup(n->args[1]) : NULL;
	return 0;
}

static void g_iptables_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_global *g = obj;

	if (!g->vrrp_iptables)
		return;
	g_kw(out, indent, "vrrp_iptables");
	if (g->vrrp_iptables_in) {
		fputc(' ', out);
		cfg_put_word(out, g->vrrp_iptables_in);
	}
	if (g->vrrp_iptables_out) {
		fputc(' ', out);
		cfg_put_word(out, g->vrrp_iptables_out);
	}
	fputc('\n', out);
}

static void g_strlist_clear(struct cfg_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int g_ipsets_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_global *g = obj;
	unsigned i;

	if (cfg_want_args(ctx, n, 0, 5) < 0)
		return -EINVAL;
	g_strlist_clear(&g->vrrp_ipsets);
	g->vrrp_ipsets_given = true;
	if (!n->nargs)
		return 0;
	g->vrrp_ipsets.v = cfg_zalloc(n->nargs * sizeof(char *));
	for (i = 0; i < n->nargs; i++)
		g->vrrp_ipsets.v[i] = cfg_strdup(n->args[i]);
	g->vrrp_ipsets.n = n->nargs;
	return 0;
}

static void g_ipsets_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_global *g = obj;
	size_t i;

	if (!g->vrrp_ipsets_given)
		return;
	g_kw(out, indent, "vrrp_ipsets");
	for (i = 0; i < g->vrrp_ipsets.n; i++) {
		fputc(' ', out);
		cfg_put_word(out, g->vrrp_ipsets.v[i]);
	}
	fputc('\n', out);
}

static int g_max_auto_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	int64_t v = 99;

	if (cfg_want_args(ctx, n, 0, 1) < 0 ||
	    (n->nargs && cfg_get_int(ctx, n, n->args[0], -1, 99, &v) < 0))
		return -EINVAL;
	G(obj)->max_auto_priority = (int8_t)v;
	return 0;
}

static void g_max_auto_dump(FILE *out, const void *obj, int indent)
{
	if (!CG(obj)->max_auto_priority)
		return;
	g_kw(out, indent, "max_auto_priority");
	fprintf(out, " %d\n", CG(obj)->max_auto_priority);
}

static int g_snmp_rfc_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	bool v = true;

	if (cfg_want_args(ctx, n, 0, 1) < 0 ||
	    (n->nargs && cfg_get_bool(ctx, n, n->args[0], &v) < 0))
		return -EINVAL;
	G(obj)->enable_snmp_rfcv2 = G(obj)->enable_snmp_rfcv3 = v;
	return 0;
}

static int g_dynif_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (cfg_want_args(ctx, n, 0, 1) < 0)
		return -EINVAL;
	if (n->nargs && strcmp(n->args[0], "allow_if_changes")) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: must be allow_if_changes or nothing", n->kw, n->args[0]);
		return -EINVAL;
	}
	G(obj)->dynamic_interfaces = true;
	G(obj)->allow_if_changes = n->nargs == 1;
	return 0;
}

static void g_dynif_dump(FILE *out, const void *obj, int indent)
{
	if (!CG(obj)->dynamic_interfaces)
		return;
	g_kw(out, indent, CG(obj)->allow_if_changes ? "dynamic_interfaces allow_if_changes\n"
						    : "dynamic_interfaces\n");
}

static int g_rx_policy_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	uint64_t v;

	if (cfg_want_args(ctx, n, 1, 1) < 0)
		return -EINVAL;
	if (!strcasecmp(n->args[0], "MTU")) {
		G(obj)->vrrp_rx_bufs_policy = CFG_RX_BUFS_MTU;
	} else if (!strcasecmp(n->args[0], "ADVERT")) {
		G(obj)->vrrp_rx_bufs_policy = CFG_RX_BUFS_ADVERT;
	} else if (isdigit((unsigned char)n->args[0][0])) {
		if (cfg_get_uint(ctx, n, n->args[0], 1, UINT32_MAX, &v) < 0)
			return -EINVAL;
		G(obj)->vrrp_rx_bufs_policy = CFG_RX_BUFS_SIZE;
		G(obj)->vrrp_rx_bufs_size = (uint32_t)v;
	} else {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: must be MTU, ADVERT or a size in bytes", n->kw, n->args[0]);
		return -EINVAL;
	}
	return 0;
}

static void g_rx_policy_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_global *g = obj;

	if (g->vrrp_rx_bufs_policy == CFG_RX_BUFS_DEFAULT)
		return;
	g_kw(out, indent, "vrrp_rx_bufs_policy ");
	if (g->vrrp_rx_bufs_policy == CFG_RX_BUFS_SIZE)
		fprintf(out, "%u\n", (unsigned)g->vrrp_rx_bufs_size);
	else
		fputs(g->vrrp_rx_bufs_policy == CFG_RX_BUFS_MTU ? "MTU\n" : "ADVERT\n", out);
}

/* umask NUMBER (decimal, 0octal, 0xhex) or BITS such as IWGRP|IWOTH */
static int g_umask_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	static const char *const bits[] = { "IXOTH", "IWOTH", "IROTH", "IXGRP", "IWGRP",
					    "IRGRP", "IXUSR", "IWUSR", "IRUSR" };
	char buf[256], *tok, *save = NULL, *end;
	unsigned long v = 0;
	unsigned i;
	bool ok = true;

	if (cfg_want_args(ctx, n, 1, 1) < 0)
		return -EINVAL;
	if (isdigit((unsigned char)n->args[0][0])) {
		errno = 0;
		v = strtoul(n->args[0], &end, 0);
		ok = !errno && !*end && v <= 0777;
	} else if (strlen(n->args[0]) < sizeof(buf)) {
		strcpy(buf, n->args[0]);
		for (tok = strtok_r(buf, "|", &save); tok && ok; tok = strtok_r(NULL, "|", &save)) {
			for (i = 0; i < ARRAY_SIZE(bits); i++)
				if (!strcmp(tok, bits[i]))
					break;
			ok = i < ARRAY_SIZE(bits);
			v |= 1ul << i;
		}
	} else {
		ok = false;
	}
	if (!ok) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: must be an octal mode up to 0777 or bits like IWGRP|IWOTH",
			 n->kw, n->args[0]);
		return -EINVAL;
	}
	G(obj)->umask_given = true;
	G(obj)->umask = (uint32_t)v;
	return 0;
}

static void g_umask_dump(FILE *out, const void *obj, int indent)
{
	if (!CG(obj)->umask_given)
		return;
	g_kw(out, indent, "umask");
	fprintf(out, " 0%03o\n", (unsigned)CG(obj)->umask);
}

static int g_random_seed_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	uint64_t v;

	if (cfg_want_args(ctx, n, 1, 1) < 0 ||
	    cfg_get_uint(ctx, n, n->args[0], 0, UINT32_MAX, &v) < 0)
		return -EINVAL;
	G(obj)->random_seed_given = true;
	G(obj)->random_seed = (uint32_t)v;
	return 0;
}

static void g_random_seed_dump(FILE *out, const void *obj, int indent)
{
	if (!CG(obj)->random_seed_given)
		return;
	g_kw(out, indent, "random_seed");
	fprintf(out, " %u\n", (unsigned)CG(obj)->random_seed);
}

static int g_nsipvs_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (cfg_want_args(ctx, n, 0, 1) < 0)
		return -EINVAL;
	g_set_str(&G(obj)->net_namespace_ipvs, n->nargs ? n->args[0] : "");
	return 0;
}

static void g_nsipvs_dump(FILE *out, const void *obj, int indent)
{
	const char *ns = CG(obj)->net_namespace_ipvs;

	if (!ns)
		return;
	g_kw(out, indent, "net_namespace_ipvs");
	if (*ns) {
		fputc(' ', out);
		cfg_put_word(out, ns);
	}
	fputc('\n', out);
}

static const struct cfg_enum_val g_linkbeat_types[] = {
	{ "MII", CFG_LINKBEAT_MII },
	{ "ETHTOOL", CFG_LINKBEAT_ETHTOOL },
	{ "IOCTL", CFG_LINKBEAT_IOCTL },
	{ NULL, 0 },
};

static void g_linkbeat_free(struct cfg_linkbeat_if *l)
{
	while (l) {
		struct cfg_linkbeat_if *next = l->next;

		free(l->ifname);
		free(l);
		l = next;
	}
}

/* linkbeat_interfaces { IFNAME [MII|ETHTOOL|IOCTL] ... } */
static int g_linkbeat_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_linkbeat_if **tail = &G(obj)->linkbeat_ifs, *l;
	const struct cfg_enum_val *e;
	const struct cfg_node *c;

	if (!n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s needs a { } block",
			 n->kw);
		return -EINVAL;
	}
	if (cfg_want_args(ctx, n, 0, 0) < 0)
		return -EINVAL;
	while (*tail)
		tail = &(*tail)->next;
	for (c = n->child; c; c = c->next) {
		if (c->block || c->nargs > 1 || !g_valid_ifname(c->kw)) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, c->file, c->line,
				 "%s: expected an interface name and an optional "
				 "MII|ETHTOOL|IOCTL", n->kw);
			continue;
		}
		for (e = g_linkbeat_types; c->nargs && e->name; e++)
			if (!strcasecmp(e->name, c->args[0]))
				break;
		if (c->nargs && !e->name) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, c->file, c->line,
				 "%s %s: must be MII, ETHTOOL or IOCTL", c->kw, c->args[0]);
			continue;
		}
		l = cfg_zalloc(sizeof(*l));
		l->ifname = cfg_strdup(c->kw);
		l->type = c->nargs ? (enum cfg_linkbeat_type)e->value : CFG_LINKBEAT_DEFAULT;
		l->file = c->file;
		l->line = c->line;
		*tail = l;
		tail = &l->next;
	}
	return 0;
}

static void g_linkbeat_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_linkbeat_if *l = CG(obj)->linkbeat_ifs;
	const struct cfg_enum_val *e;

	if (!l)
		return;
	g_kw(out, indent, "linkbeat_interfaces {\n");
	for (; l; l = l->next) {
		cfg_indent(out, indent + 4);
		cfg_put_word(out, l->ifname);
		for (e = g_linkbeat_types; e->name; e++)
			if (l->type != CFG_LINKBEAT_DEFAULT && e->value == (int)l->type)
				fprintf(out, " %s", e->name);
		fputc('\n', out);
	}
	g_kw(out, indent, "}\n");
}

static void g_free_extra(void *obj)
{
	struct cfg_global *g = obj;

	g_cmd_free(&g->startup_script);
	g_cmd_free(&g->shutdown_script);
	g_cmd_free(&g->notify_fifo);
	g_cmd_free(&g->notify_fifo_script);
	g_cmd_free(&g->vrrp_notify_fifo);
	g_cmd_free(&g->vrrp_notify_fifo_script);
	g_cmd_free(&g->lvs_notify_fifo);
	g_cmd_free(&g->lvs_notify_fifo_script);
	free(g->vrrp_cpu_affinity.cpu);
	free(g->checker_cpu_affinity.cpu);
	g->vrrp_cpu_affinity.cpu = g->checker_cpu_affinity.cpu = NULL;
	free(g->smtp_server);
	free(g->script_user);
	free(g->script_group);
	free(g->nftables_table);
	free(g->nftables_ipvs_table);
	free(g->vrrp_iptables_in);
	free(g->vrrp_iptables_out);
	free(g->reload_check_config_log);
	free(g->reload_file);
	free(g->net_namespace_ipvs);
	g->smtp_server = g->script_user = g->script_group = NULL;
	g->nftables_table = g->nftables_ipvs_table = NULL;
	g->vrrp_iptables_in = g->vrrp_iptables_out = NULL;
	g->reload_check_config_log = g->reload_file = g->net_namespace_ipvs = NULL;
	g_strlist_clear(&g->vrrp_ipsets);
	g_syncd_free(&g->lvs_syncd);
	g_linkbeat_free(g->linkbeat_ifs);
	g->linkbeat_ifs = NULL;
}

/* ---- tables ---- */

#define KFLAG(n, m, f) { .name = n, .type = CFG_T_FLAG, GF(m), .flags = f }
#define KBOOL(n, m) { .name = n, .type = CFG_T_BOOL, GF(m) }
#define KSTR(n, m, f) { .name = n, .type = CFG_T_STR, GF(m), .flags = f }
#define KUINT(n, m, lo, hi) { .name = n, .type = CFG_T_UINT, GF(m), .min = lo, .max = hi }
#define KINT(n, m, lo, hi) { .name = n, .type = CFG_T_INT, GF(m), .min = lo, .max = hi }
#define KFIXED(n, m, sc, lo, hi)                                                           \
	{ .name = n, .type = CFG_T_FIXED, GF(m), .scale = sc, .min = lo, .max = hi }
#define KADDR(n, m) { .name = n, .type = CFG_T_ADDR, GF(m) }
#define KFUNC(n, fn, f) { .name = n, .type = CFG_T_FUNC, .parse = fn##_parse, .dump = fn##_dump, \
			  .flags = f }
#define KIGN(n) { .name = n, .type = CFG_T_IGNORE }
#define KALIAS(n, t, m, to, f) { .name = n, .type = t, GF(m), .alias_of = to, .flags = f }

/* Process-wide keywords keepalived takes outside global_defs; we take them in both. */
#define G_TOP_KWS(f)                                                                       \
	KSTR("net_namespace", net_namespace, f),                                           \
	KFUNC("net_namespace_ipvs", g_nsipvs, f),                                          \
	KFLAG("namespace_with_ipsets", namespace_with_ipsets, f),                          \
	KSTR("instance", instance, f),                                                     \
	KFLAG("use_pid_dir", use_pid_dir, f),                                              \
	KFLAG("linkbeat_use_polling", linkbeat_use_polling, f),                            \
	{ .name = "child_wait_time", .type = CFG_T_UINT, GF(child_wait_time_s),            \
	  .min = 1, .max = 3600, .flags = f },                                             \
	KFUNC("linkbeat_interfaces", g_linkbeat, f)

#define RCVBUF(name, m)                                                                    \
	KUINT(name, m.bytes, 0, UINT32_MAX), KFLAG(name "_force", m.force, 0)

static const struct cfg_kw g_kws[] = {
	G_TOP_KWS(CFG_KW_NODUMP),
	KSTR("router_id", router_id, 0),
	KSTR("tmp_config_directory", tmp_config_directory, 0),
	KSTR("config_save_dir", config_save_dir, 0),
	KFLAG("process_names", process_names, 0),
	KSTR("process_name", process_name, 0),
	KSTR("vrrp_process_name", vrrp_process_name, 0),
	KSTR("checker_process_name", checker_process_name, 0),
	KFUNC("startup_script", g_startup, 0),
	KUINT("startup_script_timeout", startup_script_timeout_s, 1, 1000),
	KFUNC("shutdown_script", g_shutdown, 0),
	KUINT("shutdown_script_timeout", shutdown_script_timeout_s, 1, 1000),

	{ .name = "notification_email", .type = CFG_T_STRLIST, GF(notification_email) },
	KSTR("notification_email_from", notification_email_from, 0),
	KFUNC("smtp_server", g_smtp_server, 0),
	KSTR("smtp_helo_name", smtp_helo_name, 0),
	KUINT("smtp_connect_timeout", smtp_connect_timeout_s, 1, 4294),
	KFUNC("smtp_alert", g_smtp_alert, 0),
	KFUNC("smtp_alert_vrrp", g_smtp_alert_vrrp, 0),
	KFUNC("smtp_alert_checker", g_smtp_alert_checker, 0),
	KFLAG("checker_log_all_failures", checker_log_all_failures, 0),
	KFLAG("no_email_faults", no_email_faults, 0),
	KFLAG("no_checker_emails", no_checker_emails, 0),

	KADDR("vrrp_mcast_group4", vrrp_mcast_group4),
	KADDR("vrrp_mcast_group6", vrrp_mcast_group6),
	KSTR("default_interface", default_interface, 0),
	KUINT("vrrp_garp_master_delay", vrrp_garp_master_delay_s, 0, 4294),
	KUINT("vrrp_garp_master_repeat", vrrp_garp_master_repeat, 1, UINT32_MAX),
	KINT("vrrp_garp_lower_prio_delay", vrrp_garp_lower_prio_delay_s, 0, 4294),
	KINT("vrrp_garp_lower_prio_repeat", vrrp_garp_lower_prio_repeat, 0, INT32_MAX),
	KUINT("vrrp_garp_master_refresh", vrrp_garp_master_refresh_s, 0, UINT32_MAX),
	KUINT("vrrp_garp_master_refresh_repeat", vrrp_garp_master_refresh_repeat, 1,
	      UINT32_MAX),
	KFIXED("vrrp_garp_interval", vrrp_garp_interval_us, 1000000, 0, UINT32_MAX),
	KFIXED("vrrp_gna_interval", vrrp_gna_interval_us, 1000000, 0, UINT32_MAX),
	KFLAG("vrrp_min_garp", vrrp_min_garp, 0),
	KFUNC("vrrp_garp_extra_if", g_extra_if, 0),
	KUINT("vrrp_down_timer_adverts", vrrp_down_timer_adverts, 1, 100),
	KFLAG("vrrp_lower_prio_no_advert", vrrp_lower_prio_no_advert, 0),
	KFLAG("vrrp_higher_prio_send_advert", vrrp_higher_prio_send_advert, 0),
	KUINT("vrrp_version", vrrp_version, 2, 3),
	KFLAG("vrrp_check_unicast_src", vrrp_check_unicast_src, 0),
	KFLAG("vrrp_skip_check_adv_addr", vrrp_skip_check_adv_addr, 0),
	KFLAG("vrrp_strict", vrrp_strict, 0),
	KFLAG("vrrp_notify_priority_changes", vrrp_notify_priority_changes, 0),
	KFLAG("log_unknown_vrids", log_unknown_vrids, 0),
	KFIXED("vrrp_startup_delay", vrrp_startup_delay_us, 1000000, 0, UINT32_MAX),
	KSTR("vmac_prefix", vmac_prefix, 0),
	KSTR("vmac_addr_prefix", vmac_addr_prefix, 0),
	KFLAG("disable_local_igmp", disable_local_igmp, 0),
	KFUNC("vrrp_rx_bufs_policy", g_rx_policy, 0),
	KUINT("vrrp_rx_bufs_multiplier", vrrp_rx_bufs_multiplier, 1, UINT32_MAX),

	KFUNC("nftables", g_nft, 0),
	KINT("nftables_priority", nftables_priority, INT32_MIN, INT32_MAX),
	KFLAG("nftables_counters", nftables_counters, 0),
	KFLAG("nftables_ifindex", nftables_ifindex, 0),
	KFUNC("nftables_ipvs", g_nft_ipvs, 0),
	KINT("nftables_ipvs_priority", nftables_ipvs_priority, INT32_MIN, INT32_MAX),
	KUINT("nftables_ipvs_start_fwmark", nftables_ipvs_start_fwmark, 1, UINT32_MAX),
	KFUNC("vrrp_iptables", g_iptables, 0),
	KFUNC("vrrp_ipsets", g_ipsets, 0),

	KFUNC("lvs_sync_daemon", g_syncd, 0),
	{ .name = "lvs_sync_daemon_interface", .type = CFG_T_FUNC, .parse = g_syncd_if_parse,
	  .alias_of = "lvs_sync_daemon", .flags = CFG_KW_DEPRECATED | CFG_KW_NODUMP },
	KFUNC("lvs_timeouts", g_lvs_timeouts, 0),
	KFLAG("lvs_flush", lvs_flush, 0),
	KFUNC("lvs_flush_on_stop", g_flush_stop, 0),
	{ .name = "lvs_flush_onstop", .type = CFG_T_FUNC, .parse = g_flush_stop_parse,
	  .alias_of = "lvs_flush_on_stop", .flags = CFG_KW_NODUMP },
	{ .name = "lvs_id", .type = CFG_T_IGNORE, .flags = CFG_KW_DEPRECATED },
	KFLAG("rs_init_notifies", rs_init_notifies, 0),

	KFUNC("max_auto_priority", g_max_auto, 0),
	KUINT("min_auto_priority_delay", min_auto_priority_delay_us, 1, 10000000),
	KINT("vrrp_priority", vrrp_priority, -20, 19),
	KINT("checker_priority", checker_priority, -20, 19),
	KFLAG("vrrp_no_swap", vrrp_no_swap, 0),
	KFLAG("checker_no_swap", checker_no_swap, 0),
	KUINT("vrrp_rt_priority", vrrp_rt_priority, 1, 99),
	KUINT("checker_rt_priority", checker_rt_priority, 1, 99),
	KUINT("vrrp_rlimit_rttime", vrrp_rlimit_rttime_us, 1, UINT32_MAX),
	KUINT("checker_rlimit_rttime", checker_rlimit_rttime_us, 1, UINT32_MAX),
	{ .name = "vrrp_rlimit_rtime", .type = CFG_T_UINT, GF(vrrp_rlimit_rttime_us), .min = 1,
	  .max = UINT32_MAX, .alias_of = "vrrp_rlimit_rttime",
	  .flags = CFG_KW_DEPRECATED | CFG_KW_NODUMP },
	{ .name = "checker_rlimit_rtime", .type = CFG_T_UINT, GF(checker_rlimit_rttime_us),
	  .min = 1, .max = UINT32_MAX, .alias_of = "checker_rlimit_rttime",
	  .flags = CFG_KW_DEPRECATED | CFG_KW_NODUMP },
	KFUNC("vrrp_cpu_affinity", g_vrrp_cpus, 0),
	KFUNC("checker_cpu_affinity", g_chk_cpus, 0),
	KIGN("bfd_process_name"),
	KIGN("bfd_priority"),
	KIGN("bfd_no_swap"),
	KIGN("bfd_cpu_affinity"),
	KIGN("bfd_rt_priority"),
	KIGN("bfd_rlimit_rttime"),
	KIGN("bfd_rlimit_rtime"),

	KSTR("snmp_socket", snmp_socket, 0),
	KFLAG("enable_snmp_vrrp", enable_snmp_vrrp, 0),
	KALIAS("enable_snmp_keepalived", CFG_T_FLAG, enable_snmp_vrrp, "enable_snmp_vrrp",
	       CFG_KW_DEPRECATED | CFG_KW_NODUMP),
	KFLAG("enable_snmp_checker", enable_snmp_checker, 0),
	{ .name = "enable_snmp_rfc", .type = CFG_T_FUNC, .parse = g_snmp_rfc_parse,
	  .flags = CFG_KW_NODUMP },
	KFLAG("enable_snmp_rfcv2", enable_snmp_rfcv2, 0),
	KFLAG("enable_snmp_rfcv3", enable_snmp_rfcv3, 0),
	KFLAG("enable_traps", enable_traps, 0),
	KFLAG("enable_dbus", enable_dbus, 0),
	KBOOL("enable_dbus_compat", enable_dbus_compat),
	KSTR("dbus_service_name", dbus_service_name, 0),

	KFUNC("script_user", g_script_user, 0),
	KFLAG("enable_script_security", enable_script_security, 0),
	KFUNC("notify_fifo", g_nfifo, 0),
	KFUNC("notify_fifo_script", g_nfifo_s, 0),
	KFUNC("vrrp_notify_fifo", g_vfifo, 0),
	KFUNC("vrrp_notify_fifo_script", g_vfifo_s, 0),
	KFUNC("lvs_notify_fifo", g_lfifo, 0),
	KFUNC("lvs_notify_fifo_script", g_lfifo_s, 0),
	KFLAG("fifo_write_vrrp_states_on_reload", fifo_write_vrrp_states_on_reload, 0),

	KFUNC("dynamic_interfaces", g_dynif, 0),
	RCVBUF("vrrp_netlink_cmd_rcv_bufs", vrrp_netlink_cmd_rcv_bufs),
	RCVBUF("vrrp_netlink_monitor_rcv_bufs", vrrp_netlink_monitor_rcv_bufs),
	RCVBUF("lvs_netlink_cmd_rcv_bufs", lvs_netlink_cmd_rcv_bufs),
	RCVBUF("lvs_netlink_monitor_rcv_bufs", lvs_netlink_monitor_rcv_bufs),
	RCVBUF("process_monitor_rcv_bufs", process_monitor_rcv_bufs),

	KFUNC("reload_check_config", g_reload_check, 0),
	KSTR("reload_time_file", reload_time_file, 0),
	KFLAG("reload_repeat", reload_repeat, 0),
	KFUNC("reload_file", g_reload_file, 0),
	KIGN("include_check"),
	KFLAG("data_use_instance", data_use_instance, 0),
	KFUNC("umask", g_umask, 0),
	KFUNC("random_seed", g_random_seed, 0),
	{ .name = NULL },
};

static const struct cfg_block g_block = {
	.name = "global_defs",
	.size = sizeof(struct cfg_global),
	.init = g_init,
	.free_extra = g_free_extra,
	.kws = g_kws,
};

static const struct cfg_kw g_top_kws[] = {
	G_TOP_KWS(0),
	{ .name = NULL },
};

/* The same fields, as statements outside global_defs. */
static const struct cfg_block g_top_block = {
	.name = NULL,
	.size = sizeof(struct cfg_global),
	.init = g_init,
	.kws = g_top_kws,
};

/* ---- checks ---- */

/* The last statement kw directly in block n (for errors about its value). */
static const struct cfg_node *g_stmt(const struct cfg_node *n, const char *kw)
{
	const struct cfg_node *c, *found = NULL;

	for (c = n->child; c; c = c->next)
		if (!strcmp(c->kw, kw))
			found = c;
	return found;
}

static bool g_valid_bus_name(const char *s)
{
	unsigned elems = 1;
	bool start = true;

	if (!*s || strlen(s) > 255)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (start)
				return false;
			elems++;
			start = true;
			continue;
		}
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
		if (start && isdigit((unsigned char)*s))
			return false;
		start = false;
	}
	return !start && elems >= 2;
}

static void g_check_mcast(struct cfg_ctx *ctx, const struct cfg_node *n, const char *kw,
			  const struct cfg_addr *a, int family)
{
	const struct cfg_node *s = g_stmt(n, kw);
	bool ok;

	if (!s)
		return;
	if (family == AF_INET)
		ok = a->family == AF_INET && IN_MULTICAST(ntohl(a->u.v4.s_addr));
	else
		ok = a->family == AF_INET6 && IN6_IS_ADDR_MULTICAST(&a->u.v6);
	if (!ok || a->has_prefix)
		cfg_diag(ctx->diags, CFG_SEV_ERROR, s->file, s->line,
			 "%s %s: must be an IPv%c multicast address without /prefix", kw,
			 s->nargs ? s->args[0] : "", family == AF_INET ? '4' : '6');
}

/* Checks one global_defs block whose statements were just parsed into g. */
static void g_check_block(struct cfg_ctx *ctx, const struct cfg_global *g,
			  const struct cfg_node *n)
{
	const struct cfg_node *s;

	g_check_mcast(ctx, n, "vrrp_mcast_group4", &g->vrrp_mcast_group4, AF_INET);
	g_check_mcast(ctx, n, "vrrp_mcast_group6", &g->vrrp_mcast_group6, AF_INET6);
	s = g_stmt(n, "default_interface");
	if (s && g->default_interface && !g_valid_ifname(g->default_interface))
		cfg_diag(ctx->diags, CFG_SEV_ERROR, s->file, s->line,
			 "default_interface %s: not a valid interface name", g->default_interface);
	s = g_stmt(n, "dbus_service_name");
	if (s && g->dbus_service_name && !g_valid_bus_name(g->dbus_service_name))
		cfg_diag(ctx->diags, CFG_SEV_ERROR, s->file, s->line,
			 "dbus_service_name %s: not a valid D-Bus name (like org.example.Name)",
			 g->dbus_service_name);
	s = g_stmt(n, "reload_time_file");
	if (s && g->reload_time_file && g->reload_time_file[0] != '/')
		cfg_diag(ctx->diags, CFG_SEV_ERROR, s->file, s->line,
			 "reload_time_file %s: must be an absolute path", g->reload_time_file);
}

static int g_defs_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_global *g = ((struct cfg_root *)obj)->global;
	int r;

	if (!n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s needs a { } block",
			 n->kw);
		return -EINVAL;
	}
	if (cfg_want_args(ctx, n, 0, 0) < 0)
		return -EINVAL;
	if (!g->file) {
		g->file = n->file;
		g->line = n->line;
	}
	r = cfg_parse_body(ctx, &g_block, g, n->child);
	g_check_block(ctx, g, n);
	return r;
}

static int g_top_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_node one = *n;

	one.next = NULL;
	return cfg_parse_body(ctx, &g_top_block, ((struct cfg_root *)obj)->global, &one);
}

#define KTOP(n) { .name = n, .type = CFG_T_FUNC, .parse = g_top_parse }

const struct cfg_kw cfg_top_global_kws[] = {
	{ .name = "global_defs", .type = CFG_T_FUNC, .parse = g_defs_parse },
	KTOP("net_namespace"),
	KTOP("net_namespace_ipvs"),
	KTOP("namespace_with_ipsets"),
	KTOP("instance"),
	KTOP("use_pid_dir"),
	KTOP("linkbeat_use_polling"),
	KTOP("child_wait_time"),
	KTOP("linkbeat_interfaces"),
	{ .name = NULL },
};

/* ---- part API ---- */

struct cfg_global *cfg_global_new(void)
{
	struct cfg_global *g = cfg_zalloc(sizeof(*g));

	g_init(g);
	return g;
}

void cfg_global_free(struct cfg_global *g)
{
	if (!g)
		return;
	cfg_free_fields(&g_block, g);
	free(g);
}

void cfg_global_validate(struct cfg_ctx *ctx)
{
	const struct cfg_global *g = ctx->root->global;
	const struct cfg_global_cmd *fifos[] = { &g->notify_fifo, &g->vrrp_notify_fifo,
						 &g->lvs_notify_fifo };
	static const char *const fifo_kw[] = { "notify_fifo", "vrrp_notify_fifo",
					       "lvs_notify_fifo" };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(fifos); i++)
		for (j = i + 1; j < ARRAY_SIZE(fifos); j++)
			if (fifos[i]->path && fifos[j]->path &&
			    !strcmp(fifos[i]->path, fifos[j]->path))
				cfg_diag(ctx->diags, CFG_SEV_ERROR, g->file, g->line,
					 "%s and %s name the same FIFO %s; each must differ",
					 fifo_kw[i], fifo_kw[j], fifos[i]->path);
	if (g->notification_email.n && !g->smtp_server)
		cfg_diag(ctx->diags, CFG_SEV_WARN, g->file, g->line,
			 "notification_email given without smtp_server: no email will be sent");
	if (g->smtp_alert == 1 && !g->notification_email.n)
		cfg_diag(ctx->diags, CFG_SEV_WARN, g->file, g->line,
			 "smtp_alert on without notification_email: no email will be sent");
}

void cfg_global_dump(const struct cfg_root *root, FILE *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	cfg_dump_body(out, &g_top_block, root->global, 0);
	m = open_memstream(&buf, &len);
	if (!m) {
		cfg_dump_block(out, &g_block, root->global, 0);
		return;
	}
	cfg_dump_body(m, &g_block, root->global, 4);
	fclose(m);
	if (len) {
		fputs("global_defs {\n", out);
		fputs(buf, out);
		fputs("}\n", out);
	}
	free(buf);
}
