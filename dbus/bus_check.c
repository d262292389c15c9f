/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * org.alived.Check1: the checker process's objects over the checker's
 * read, observer and command API (include/alived/check_api.h). See
 * doc/dbus.md.
 *
 * Virtual servers are /org/alived/Check1/VirtualServer/N and their real
 * servers .../VirtualServer/N/RealServer/M, N and M being the engine's
 * 1-based positions in the configuration. A reload may renumber them: the
 * objects are then re-synchronised (added, removed, and a
 * PropertiesChanged for what a path now shows differently).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "alived/cfg_check.h"
#include "alived/cfg_global.h"
#include "alived/check_api.h"
#include "alived/config.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "bus.h"
#include "bus_check.h"
#include "bus_int.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.0.0"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define BC_PATH_MAX	96	/* "/org/alived/Check1/VirtualServer/N/RealServer/M" */

struct bc_rs {
	uint32_t vs_id, id;
	char path[BC_PATH_MAX];
	struct chk_rs_info last;
};

struct bc_vs {
	uint32_t id;
	char path[BC_PATH_MAX / 2];
	struct chk_vs_info last;
	struct bc_rs **rs;		/* rs[m - 1] */
	size_t n_rs;
};

struct bc {
	struct bus *bus;
	int sub;
	char router_id[256];
	struct bc_vs **vs;		/* vs[n - 1] */
	size_t n_vs;
};

static struct bc *bc_self;

/* ---- helpers ------------------------------------------------------------- */

static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static void addr_str(const struct cfg_addr *a, char *buf, size_t len)
{
	struct cfg_addr x = *a;

	x.has_prefix = false;
	if (x.family == AF_INET || x.family == AF_INET6)
		cfg_addr_fmt(&x, buf, len);
	else
		snprintf(buf, len, "%s", "");
}

static void origin_str(const struct bus_call *c, char *buf, size_t len)
{
	const char *who = dbus_message_get_sender(c->msg);

	snprintf(buf, len, "D-Bus, %s uid %ld", who ? who : "?", (long)c->uid);
}

static int cmd_result(struct bus_call *c, int r, const char *what)
{
	if (r >= 0)
		return 0;
	if (r == -ERANGE)
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: weight must be 0..65535", what);
	else if (r == -ENOENT)
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: no such server", what);
	else if (r == -ESRCH)
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: the checker is not running", what);
	else
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: %s", what, strerror(-r));
	return r;
}

/* ---- org.alived.Check1.VirtualServer ---------------------------------------- */

#define VS(s) ((const struct chk_vs_info *)(s))
#define RS(s) ((const struct chk_rs_info *)(s))

static int vs_snapshot(void *ud, void *ret)
{
	return chk_api_vs_get(((struct bc_vs *)ud)->id, ret);
}

static int vs_address(DBusMessageIter *it, void *ud, const void *s)
{
	char buf[CFG_ADDRSTRLEN];

	(void)ud;
	addr_str(VS(s)->kind == CFG_VS_ADDR ? &VS(s)->addr : &(struct cfg_addr){ 0 }, buf,
		 sizeof(buf));
	return bus_app_str(it, buf);
}

static int vs_port(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u16(it, VS(s)->port);
}

static int vs_fwmark(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, VS(s)->kind == CFG_VS_FWMARK ? VS(s)->fwmark : 0);
}

static int vs_group(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, VS(s)->kind == CFG_VS_GROUP ? VS(s)->group : "");
}

static int vs_family(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, family_name(VS(s)->family));
}

static int vs_proto(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, cfg_lvs_proto_name(VS(s)->protocol));
}

static int vs_sched(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, cfg_lvs_sched_name(VS(s)->sched));
}

static int vs_fwd(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, cfg_lvs_fwd_name(VS(s)->fwd));
}

static int vs_quorum(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, VS(s)->quorum);
}

static int vs_quorum_met(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_bool(it, VS(s)->quorum_met);
}

static int vs_alive_weight(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u64(it, VS(s)->alive_weight);
}

static int vs_n_rs(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, VS(s)->n_rs);
}

static int vs_n_alive(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, VS(s)->n_rs_alive);
}

static void sorry_str(const struct chk_vs_info *v, char *buf, size_t len)
{
	char a[CFG_ADDRSTRLEN];

	if (!v->sorry_set) {
		snprintf(buf, len, "%s", "");
		return;
	}
	addr_str(&v->sorry_addr, a, sizeof(a));
	if (!v->sorry_port)
		snprintf(buf, len, "%s", a);
	else if (v->sorry_addr.family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, v->sorry_port);
	else
		snprintf(buf, len, "%s:%u", a, v->sorry_port);
}

static int vs_sorry(DBusMessageIter *it, void *ud, const void *s)
{
	char buf[CFG_ADDRSTRLEN + 8];

	(void)ud;
	sorry_str(VS(s), buf, sizeof(buf));
	return bus_app_str(it, buf);
}

static int vs_sorry_active(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_bool(it, VS(s)->sorry_active);
}

#define EMITS BUS_PROP_EMITS_CHANGE
static const struct bus_property vs_props[] = {
	{ "Address", "s", vs_address, NULL, EMITS },
	{ "Port", "q", vs_port, NULL, EMITS },
	{ "Fwmark", "u", vs_fwmark, NULL, EMITS },
	{ "Group", "s", vs_group, NULL, EMITS },
	{ "Family", "s", vs_family, NULL, EMITS },
	{ "Protocol", "s", vs_proto, NULL, EMITS },
	{ "Scheduler", "s", vs_sched, NULL, EMITS },
	{ "ForwardingMethod", "s", vs_fwd, NULL, EMITS },
	{ "Quorum", "u", vs_quorum, NULL, EMITS },
	{ "QuorumMet", "b", vs_quorum_met, NULL, EMITS },
	{ "AliveWeight", "t", vs_alive_weight, NULL, EMITS },
	{ "RealServers", "u", vs_n_rs, NULL, EMITS },
	{ "RealServersAlive", "u", vs_n_alive, NULL, EMITS },
	{ "SorryServer", "s", vs_sorry, NULL, EMITS },
	{ "SorryServerActive", "b", vs_sorry_active, NULL, EMITS },
	{ 0 },
};

static const struct bus_signal vs_signals[] = {
	{ "QuorumChanged", "bt", "met alive_weight" },
	{ 0 },
};

const struct bus_iface bus_check_vs_iface = {
	.name = BUS_CHECK_IF_VS,
	.props = vs_props,
	.signals = vs_signals,
	.snap_size = sizeof(struct chk_vs_info),
	.snapshot = vs_snapshot,
};

/* ---- org.alived.Check1.RealServer --------------------------------------------- */

static int rs_snapshot(void *ud, void *ret)
{
	const struct bc_rs *r = ud;

	return chk_api_rs_get(r->vs_id, r->id, ret);
}

static int rs_address(DBusMessageIter *it, void *ud, const void *s)
{
	char buf[CFG_ADDRSTRLEN];

	(void)ud;
	addr_str(&RS(s)->addr, buf, sizeof(buf));
	return bus_app_str(it, buf);
}

static int rs_port(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u16(it, RS(s)->port);
}

static int rs_weight(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, RS(s)->weight);
}

static int rs_cfg_weight(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, RS(s)->cfg_weight);
}

static int rs_alive(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_bool(it, RS(s)->alive);
}

static int rs_enabled(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_bool(it, RS(s)->enabled);
}

static int rs_result(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, chk_result_name(RS(s)->last_result));
}

static int rs_type(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, RS(s)->n_checkers ? cfg_chk_type_name(RS(s)->last_type) : "");
}

static int rs_checkers(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, RS(s)->n_checkers);
}

static int rs_checkers_up(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, RS(s)->n_checkers_up);
}

static int rs_checks(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u64(it, RS(s)->n_checks);
}

static int rs_failed(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u64(it, RS(s)->n_failed);
}

static int rs_set_weight_v(struct bus_call *c, uint32_t w)
{
	const struct bc_rs *r = c->ud;
	char who[128];

	origin_str(c, who, sizeof(who));
	return cmd_result(c, chk_cmd_set_weight(r->vs_id, r->id, w, who), "SetWeight");
}

static int rs_set_weight(struct bus_call *c, DBusMessageIter *v, const void *s)
{
	dbus_uint32_t w;

	(void)s;
	dbus_message_iter_get_basic(v, &w);
	return rs_set_weight_v(c, w);
}

static int m_set_weight(struct bus_call *c, DBusMessageIter *in)
{
	dbus_uint32_t w;

	dbus_message_iter_get_basic(in, &w);
	return rs_set_weight_v(c, w);
}

static int m_set_enabled(struct bus_call *c, DBusMessageIter *in)
{
	const struct bc_rs *r = c->ud;
	dbus_bool_t on;
	char who[128];

	dbus_message_iter_get_basic(in, &on);
	origin_str(c, who, sizeof(who));
	return cmd_result(c, chk_cmd_set_enabled(r->vs_id, r->id, on, who), "SetEnabled");
}

static const struct bus_method rs_methods[] = {
	{ "SetWeight", "u", "weight", "", "", m_set_weight, BUS_METHOD_MUTATING },
	{ "SetEnabled", "b", "enabled", "", "", m_set_enabled, BUS_METHOD_MUTATING },
	{ 0 },
};

static const struct bus_property rs_props[] = {
	{ "Address", "s", rs_address, NULL, EMITS },
	{ "Port", "q", rs_port, NULL, EMITS },
	{ "Weight", "u", rs_weight, rs_set_weight, EMITS },
	{ "ConfiguredWeight", "u", rs_cfg_weight, NULL, EMITS },
	{ "Alive", "b", rs_alive, NULL, EMITS },
	{ "Enabled", "b", rs_enabled, NULL, EMITS },
	/* these change at every check, with no engine event: read them */
	{ "LastCheckResult", "s", rs_result, NULL, 0 },
	{ "LastCheckType", "s", rs_type, NULL, 0 },
	{ "Checkers", "u", rs_checkers, NULL, EMITS },
	{ "CheckersUp", "u", rs_checkers_up, NULL, 0 },
	{ "Checks", "t", rs_checks, NULL, 0 },
	{ "FailedChecks", "t", rs_failed, NULL, 0 },
	{ 0 },
};

static const struct bus_signal rs_signals[] = {
	{ "StateChanged", "bss", "alive result reason" },
	{ 0 },
};

const struct bus_iface bus_check_rs_iface = {
	.name = BUS_CHECK_IF_RS,
	.methods = rs_methods,
	.props = rs_props,
	.signals = rs_signals,
	.snap_size = sizeof(struct chk_rs_info),
	.snapshot = rs_snapshot,
};

/* ---- org.alived.Check1.Manager ------------------------------------------------ */

static int dump_rs(const struct chk_rs_info *r, void *ud)
{
	FILE *f = ud;
	char a[CFG_ADDRSTRLEN];

	addr_str(&r->addr, a, sizeof(a));
	fprintf(f, "  real server %u: %s port %u, %s%s, weight %u (configured %u), "
		"checkers %u/%u up, last %s, checks %llu, failed %llu\n", r->id, a, r->port,
		r->alive ? "alive" : "dead", r->enabled ? "" : " (disabled)", r->weight,
		r->cfg_weight, r->n_checkers_up, r->n_checkers, chk_result_name(r->last_result),
		(unsigned long long)r->n_checks, (unsigned long long)r->n_failed);
	return 0;
}

static int dump_vs(const struct chk_vs_info *v, void *ud)
{
	FILE *f = ud;
	char a[CFG_ADDRSTRLEN];

	if (v->kind == CFG_VS_ADDR)
		addr_str(&v->addr, a, sizeof(a));
	else if (v->kind == CFG_VS_FWMARK)
		snprintf(a, sizeof(a), "fwmark %u", v->fwmark);
	else
		snprintf(a, sizeof(a), "group %.32s", v->group);
	fprintf(f, "virtual server %u: %s port %u %s, %s/%s, quorum %u %s, %u/%u alive, "
		"alive weight %llu%s\n", v->id, a, v->port, cfg_lvs_proto_name(v->protocol),
		cfg_lvs_sched_name(v->sched), cfg_lvs_fwd_name(v->fwd), v->quorum,
		v->quorum_met ? "met" : "lost", v->n_rs_alive, v->n_rs,
		(unsigned long long)v->alive_weight,
		v->sorry_active ? ", sorry server in use" : "");
	chk_api_rs_foreach(v->id, dump_rs, f);
	return 0;
}

static int m_dump(struct bus_call *c, DBusMessageIter *in)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	(void)in;
	f = open_memstream(&text, &len);
	if (!f)
		return -errno;
	chk_api_vs_foreach(dump_vs, f);
	if (fclose(f) != 0) {
		free(text);
		return -EIO;
	}
	r = bus_app_str(&c->out, text ? text : "");
	free(text);
	return r;
}

static int m_reload(struct bus_call *c, DBusMessageIter *in)
{
	pid_t parent = getppid();
	char who[128];

	(void)in;
	if (parent <= 1)
		return cmd_result(c, -ESRCH, "Reload");
	origin_str(c, who, sizeof(who));
	log_info("reload requested (%s)", who);
	return cmd_result(c, kill(parent, SIGHUP) < 0 ? -errno : 0, "Reload");
}

static int get_version(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	(void)s;
	return bus_app_str(it, PACKAGE_VERSION);
}

static int get_router_id(DBusMessageIter *it, void *ud, const void *s)
{
	(void)s;
	return bus_app_str(it, ((const struct bc *)ud)->router_id);
}

static const struct bus_method mgr_methods[] = {
	{ "Reload", "", "", "", "", m_reload, BUS_METHOD_MUTATING },
	{ "DumpData", "", "", "s", "data", m_dump, 0 },
	{ "DumpStats", "", "", "s", "stats", m_dump, 0 },
	{ 0 },
};

static const struct bus_property mgr_props[] = {
	{ "Version", "s", get_version, NULL, BUS_PROP_CONST },
	{ "RouterId", "s", get_router_id, NULL, EMITS },
	{ 0 },
};

static const struct bus_signal mgr_signals[] = {
	{ "Started", "", "" },
	{ "Reloaded", "", "" },
	{ "Stopping", "", "" },
	{ 0 },
};

const struct bus_iface bus_check_manager_iface = {
	.name = BUS_CHECK_IF_MANAGER,
	.methods = mgr_methods,
	.props = mgr_props,
	.signals = mgr_signals,
};

/* ---- objects -------------------------------------------------------------------- */

static const struct bus_iface *const vs_ifaces[] = { &bus_check_vs_iface, NULL };
static const struct bus_iface *const rs_ifaces[] = { &bus_check_rs_iface, NULL };
static const struct bus_iface *const mgr_ifaces[] = { &bus_check_manager_iface, NULL };

static size_t vs_diff(const struct chk_vs_info *a, const struct chk_vs_info *b,
		      const char **names)
{
	char sa[CFG_ADDRSTRLEN + 8], sb[CFG_ADDRSTRLEN + 8];
	size_t n = 0;

	sorry_str(a, sa, sizeof(sa));
	sorry_str(b, sb, sizeof(sb));
#define DIFF(cond, name) do { if (cond) names[n++] = name; } while (0)
	DIFF(a->kind != b->kind || !cfg_addr_equal(&a->addr, &b->addr), "Address");
	DIFF(a->port != b->port, "Port");
	DIFF(a->kind != b->kind || a->fwmark != b->fwmark, "Fwmark");
	DIFF(a->kind != b->kind || strcmp(a->group, b->group), "Group");
	DIFF(a->family != b->family, "Family");
	DIFF(a->protocol != b->protocol, "Protocol");
	DIFF(a->sched != b->sched, "Scheduler");
	DIFF(a->fwd != b->fwd, "ForwardingMethod");
	DIFF(a->quorum != b->quorum, "Quorum");
	DIFF(a->quorum_met != b->quorum_met, "QuorumMet");
	DIFF(a->alive_weight != b->alive_weight, "AliveWeight");
	DIFF(a->n_rs != b->n_rs, "RealServers");
	DIFF(a->n_rs_alive != b->n_rs_alive, "RealServersAlive");
	DIFF(strcmp(sa, sb), "SorryServer");
	DIFF(a->sorry_active != b->sorry_active, "SorryServerActive");
	return n;
}

static size_t rs_diff(const struct chk_rs_info *a, const struct chk_rs_info *b,
		      const char **names)
{
	size_t n = 0;

	DIFF(!cfg_addr_equal(&a->addr, &b->addr), "Address");
	DIFF(a->port != b->port, "Port");
	DIFF(a->weight != b->weight, "Weight");
	DIFF(a->cfg_weight != b->cfg_weight, "ConfiguredWeight");
	DIFF(a->alive != b->alive, "Alive");
	DIFF(a->enabled != b->enabled, "Enabled");
	DIFF(a->last_result != b->last_result, "LastCheckResult");
	DIFF(a->last_type != b->last_type || a->n_checkers != b->n_checkers, "LastCheckType");
	DIFF(a->n_checkers != b->n_checkers, "Checkers");
	DIFF(a->n_checkers_up != b->n_checkers_up, "CheckersUp");
#undef DIFF
	return n;
}

static void bc_rs_free(struct bc *bc, struct bc_rs *r)
{
	bus_object_remove(bc->bus, r->path);
	free(r);
}

static void bc_vs_free(struct bc *bc, struct bc_vs *v)
{
	for (size_t k = v->n_rs; k-- > 0;)
		if (v->rs[k])
			bc_rs_free(bc, v->rs[k]);
	free(v->rs);
	bus_object_remove(bc->bus, v->path);
	free(v);
}

/* Publishes real server m of v as it is now (creating its object). */
static void bc_rs_refresh(struct bc *bc, struct bc_vs *v, const struct chk_rs_info *now)
{
	const char *names[ARRAY_SIZE(rs_props)];
	struct bc_rs *r;
	size_t n;

	if (now->id == 0)
		return;
	if (now->id > v->n_rs) {
		v->rs = xreallocarray(v->rs, now->id, sizeof(*v->rs));
		memset(v->rs + v->n_rs, 0, (now->id - v->n_rs) * sizeof(*v->rs));
		v->n_rs = now->id;
	}
	r = v->rs[now->id - 1];
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		r->vs_id = v->id;
		r->id = now->id;
		r->last = *now;
		snprintf(r->path, sizeof(r->path), "%s/RealServer/%u", v->path, now->id);
		v->rs[now->id - 1] = r;
		if (bus_object_add(bc->bus, r->path, rs_ifaces, r, 0) < 0)
			log_warn("D-Bus: %s: cannot create the object", r->path);
		return;
	}
	n = rs_diff(&r->last, now, names);
	r->last = *now;
	bus_emit_props_changed(bc->bus, r->path, BUS_CHECK_IF_RS, names, n);
}

struct rs_sync {
	struct bc *bc;
	struct bc_vs *v;
	uint32_t max_id;
};

static int rs_sync_one(const struct chk_rs_info *i, void *ud)
{
	struct rs_sync *x = ud;

	bc_rs_refresh(x->bc, x->v, i);
	if (i->id > x->max_id)
		x->max_id = i->id;
	return 0;
}

static void bc_vs_refresh(struct bc *bc, const struct chk_vs_info *now, bool with_rs)
{
	const char *names[ARRAY_SIZE(vs_props)];
	struct rs_sync x = { .bc = bc };
	struct bc_vs *v;
	size_t n;

	if (now->id == 0)
		return;
	if (now->id > bc->n_vs) {
		bc->vs = xreallocarray(bc->vs, now->id, sizeof(*bc->vs));
		memset(bc->vs + bc->n_vs, 0, (now->id - bc->n_vs) * sizeof(*bc->vs));
		bc->n_vs = now->id;
	}
	v = bc->vs[now->id - 1];
	if (!v) {
		v = xcalloc(1, sizeof(*v));
		v->id = now->id;
		v->last = *now;
		snprintf(v->path, sizeof(v->path), "%s/%u", BUS_CHECK_VS_PREFIX, now->id);
		bc->vs[now->id - 1] = v;
		if (bus_object_add(bc->bus, v->path, vs_ifaces, v, 0) < 0)
			log_warn("D-Bus: %s: cannot create the object", v->path);
	} else {
		n = vs_diff(&v->last, now, names);
		v->last = *now;
		bus_emit_props_changed(bc->bus, v->path, BUS_CHECK_IF_VS, names, n);
	}
	if (!with_rs)
		return;
	x.v = v;
	chk_api_rs_foreach(v->id, rs_sync_one, &x);
	while (v->n_rs > x.max_id) {
		if (v->rs[v->n_rs - 1])
			bc_rs_free(bc, v->rs[v->n_rs - 1]);
		v->n_rs--;
	}
}

static int vs_sync_one(const struct chk_vs_info *i, void *ud)
{
	bc_vs_refresh(ud, i, true);
	return 0;
}

static void bc_sync_all(struct bc *bc)
{
	uint32_t count = chk_api_vs_count();

	chk_api_vs_foreach(vs_sync_one, bc);
	while (bc->n_vs > count) {
		if (bc->vs[bc->n_vs - 1])
			bc_vs_free(bc, bc->vs[bc->n_vs - 1]);
		bc->n_vs--;
	}
}

static void bc_evt(const struct chk_evt_info *e, void *ud)
{
	struct bc *bc = ud;
	struct chk_vs_info vi;
	struct chk_rs_info ri;
	struct bc_vs *v;

	if (e->evt == CHK_EVT_RELOAD) {
		bc_sync_all(bc);
		bus_emit_signal(bc->bus, BUS_CHECK_PATH, BUS_CHECK_IF_MANAGER, "Reloaded",
				DBUS_TYPE_INVALID);
		return;
	}
	if (chk_api_vs_get(e->vs_id, &vi) < 0)
		return;
	bc_vs_refresh(bc, &vi, false);
	v = e->vs_id <= bc->n_vs ? bc->vs[e->vs_id - 1] : NULL;
	if (!v)
		return;
	if (e->evt == CHK_EVT_QUORUM) {
		dbus_bool_t met = e->new_up;
		dbus_uint64_t w = vi.alive_weight;

		bus_emit_signal(bc->bus, v->path, BUS_CHECK_IF_VS, "QuorumChanged",
				DBUS_TYPE_BOOLEAN, &met, DBUS_TYPE_UINT64, &w, DBUS_TYPE_INVALID);
		return;
	}
	if (e->rs_id == 0 || chk_api_rs_get(e->vs_id, e->rs_id, &ri) < 0)
		return;
	if (e->evt == CHK_EVT_RS_STATE && e->rs_id <= v->n_rs && v->rs[e->rs_id - 1]) {
		dbus_bool_t alive = e->new_up;
		const char *res = chk_result_name(e->result), *why = e->reason;

		bus_emit_signal(bc->bus, v->rs[e->rs_id - 1]->path, BUS_CHECK_IF_RS,
				"StateChanged", DBUS_TYPE_BOOLEAN, &alive, DBUS_TYPE_STRING, &res,
				DBUS_TYPE_STRING, &why, DBUS_TYPE_INVALID);
	}
	bc_rs_refresh(bc, v, &ri);
}

static void bc_bus_state(struct bus *b, bool up, void *ud)
{
	(void)ud;
	if (up)
		bus_emit_signal(b, BUS_CHECK_PATH, BUS_CHECK_IF_MANAGER, "Started",
				DBUS_TYPE_INVALID);
}

static void bc_apply_cfg(struct bc *bc, const struct cfg_root *root)
{
	const struct cfg_global *g = root->global;
	static const char *const rid_name[] = { "RouterId" };
	const char *names[] = { BUS_CHECK_NAME };
	char rid[sizeof(bc->router_id)];

	if (g->router_id)
		snprintf(rid, sizeof(rid), "%s", g->router_id);
	else if (gethostname(rid, sizeof(rid) - 1) < 0)
		snprintf(rid, sizeof(rid), "%s", "");
	rid[sizeof(rid) - 1] = '\0';
	if (strcmp(rid, bc->router_id)) {
		snprintf(bc->router_id, sizeof(bc->router_id), "%s", rid);
		bus_emit_props_changed(bc->bus, BUS_CHECK_PATH, BUS_CHECK_IF_MANAGER, rid_name, 1);
	}
	bus_set_names(bc->bus, names, 1);
}

int bus_check_start(struct ev_loop *loop, const struct cfg_root *root)
{
	struct bc *bc;
	int r;

	if (bc_self)
		return -EALREADY;
	if (!root->global->enable_dbus)
		return 0;
	bc = xcalloc(1, sizeof(*bc));
	bc->bus = bus_new(loop, NULL);
	bus_set_state_cb(bc->bus, bc_bus_state, bc);
	r = bus_object_add(bc->bus, BUS_CHECK_PATH, mgr_ifaces, bc, BUS_OBJ_MANAGER);
	if (r < 0) {
		bus_free(bc->bus);
		free(bc);
		return r;
	}
	bc_apply_cfg(bc, root);
	bc->sub = chk_api_subscribe(CHK_EVT_MASK_ALL, bc_evt, bc);
	bc_sync_all(bc);
	bc_self = bc;
	return bus_connect(bc->bus);
}

int bus_check_reload(struct ev_loop *loop, const struct cfg_root *root)
{
	if (!root->global->enable_dbus) {
		bus_check_stop();
		return 0;
	}
	if (!bc_self)
		return bus_check_start(loop, root);
	bc_apply_cfg(bc_self, root);
	bc_sync_all(bc_self);
	return 0;
}

void bus_check_stop(void)
{
	struct bc *bc = bc_self;

	if (!bc)
		return;
	bc_self = NULL;
	bus_emit_signal(bc->bus, BUS_CHECK_PATH, BUS_CHECK_IF_MANAGER, "Stopping",
			DBUS_TYPE_INVALID);
	chk_api_unsubscribe(bc->sub);
	bus_free(bc->bus);
	for (size_t k = 0; k < bc->n_vs; k++) {
		struct bc_vs *v = bc->vs[k];

		if (!v)
			continue;
		for (size_t m = 0; m < v->n_rs; m++)
			free(v->rs[m]);
		free(v->rs);
		free(v);
	}
	free(bc->vs);
	free(bc);
}

struct bus *bus_check_bus(void)
{
	return bc_self ? bc_self->bus : NULL;
}
