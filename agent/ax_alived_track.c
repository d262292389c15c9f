// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ALIVED-MIB vrrp (enterprises.9586.100.5.2), the tables around the
 * instances: vrrpSyncGroupTable (.1), vrrpSyncGroupMemberTable (.2),
 * vrrpTrackedInterfaceTable (.4), vrrpTrackedScriptTable (.5),
 * vrrpAddressTable (.6), vrrpScriptTable (.9); and the notification
 * vrrpSyncGroupStateChange (.10.0.1).
 *
 * They come from the configuration, with run-time columns (address set,
 * group state) read at request time. Rows are rebuilt lazily, at the
 * first request after a reload or after instances appeared or went
 * (ax_vrrp_model.c's generation), and tracked interfaces (indexed by
 * ifIndex, which changes when an interface is replaced) at most every
 * AX_TRACK_IF_RESCAN_US.
 *
 * Indexes: a sync group and a vrrp_script keep their index across
 * reloads (given by name at first sight, never reused); instances use
 * the engine's stable ID (vrrpInstanceIndex); an address, a tracked
 * script and a group member are numbered by position in their list.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_global.h"
#include "alived/cfg_vrrp.h"
#include "alived/config.h"
#include "alived/ev.h"
#include "alived/log.h"
#include "alived/vrrp_api.h"
#include "alived/xalloc.h"
#include "ax_int.h"

#define AX_TRACK_IF_RESCAN_US	5000000u
#define AX_VRRP_STATE_UNKNOWN	4
#define AX_VRRP_STATE_SHUTDOWN	5

enum ax_tbl {
	AX_T_SYNC,		/* vrrpSyncGroupTable */
	AX_T_MEMBER,		/* vrrpSyncGroupMemberTable */
	AX_T_TRACK_IF,		/* vrrpTrackedInterfaceTable */
	AX_T_TRACK_SCRIPT,	/* vrrpTrackedScriptTable */
	AX_T_ADDR,		/* vrrpAddressTable */
	AX_T_SCRIPT,		/* vrrpScriptTable */
	AX_T__COUNT,
};

/* A row: what it is about (borrowed configuration, IDs). */
struct ax_trow {
	enum ax_tbl tbl;
	uint32_t id;			/* instance ID (AX_T_TRACK_*, AX_T_ADDR) */
	unsigned pos;			/* 0-based position in its list (AX_T_ADDR, AX_T_MEMBER) */
	const void *cfg;		/* cfg_vrrp_sync, cfg_track_ref, cfg_vip, cfg_vrrp_script */
	const struct cfg_vrrp_sync *sync;	/* AX_T_MEMBER */
	bool excluded;			/* AX_T_ADDR: virtual_ipaddress_excluded */
};

/* A name with an index for good (sync groups, scripts). */
struct ax_named {
	char *name;
	uint32_t index;
	long last_state;		/* sync groups: last notified VrrpState; -1 none */
};

struct ax_names {
	struct ax_named *v;		/* sorted by name */
	size_t n, cap;
	uint32_t next;
};

static const oid ax_sync_change[] = { AX_ALIVED_OID, 2, 10, 0, 1 };

static struct {
	bool on;
	struct ax_table t[AX_T__COUNT];
	struct ax_trow *rows;		/* every row of every table */
	size_t n_rows, cap_rows;
	bool dirty;
	uint64_t built_gen;
	uint64_t built_us;		/* for the tracked interfaces */
	struct ax_names syncs, scripts;
} K;

/* ------------------------------------------------------------------ */
/* Stable indexes by name */

static int ax_named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ax_named *)a)->name, ((const struct ax_named *)b)->name);
}

static struct ax_named *ax_named_get(struct ax_names *ns, const char *name, bool add)
{
	struct ax_named key = { .name = (char *)name }, *hit;
	size_t lo = 0, hi = ns->n;

	hit = ns->n ? bsearch(&key, ns->v, ns->n, sizeof(*ns->v), ax_named_cmp) : NULL;
	if (hit || !add || ns->next >= INT32_MAX)
		return hit;
	while (lo < hi) {	/* insertion point */
		size_t mid = (lo + hi) / 2;

		if (strcmp(ns->v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof(*ns->v));
	}
	memmove(&ns->v[lo + 1], &ns->v[lo], (ns->n - lo) * sizeof(*ns->v));
	ns->v[lo] = (struct ax_named){ .name = xstrdup(name), .index = ++ns->next,
				       .last_state = -1 };
	ns->n++;
	return &ns->v[lo];
}

static void ax_names_free(struct ax_names *ns)
{
	for (size_t k = 0; k < ns->n; k++)
		free(ns->v[k].name);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

uint32_t ax_sync_index(const char *name)
{
	struct ax_named *e = name ? ax_named_get(&K.syncs, name, true) : NULL;

	return e ? e->index : 0;
}

/* ------------------------------------------------------------------ */
/* Sync group state, from its members' */

long ax_sync_state(const struct cfg_vrrp_sync *s)
{
	unsigned n = 0, master = 0, backup = 0, fault = 0, stop = 0;
	struct vrrp_api_info in;
	uint32_t id;

	for (size_t k = 0; k < s->group.n; k++) {
		if (vrrp_api_find(s->group.v[k], &id) < 0 || vrrp_api_get(id, &in) < 0)
			continue;
		n++;
		master += in.state == VRRP_API_ST_MASTER;
		backup += in.state == VRRP_API_ST_BACKUP;
		fault += in.state == VRRP_API_ST_FAULT;
		stop += in.state == VRRP_API_ST_STOP;
	}
	if (!n)
		return AX_VRRP_STATE_UNKNOWN;
	if (fault)
		return ax_vrrp_state(VRRP_API_ST_FAULT);
	if (master == n)
		return ax_vrrp_state(VRRP_API_ST_MASTER);
	if (stop == n)
		return AX_VRRP_STATE_SHUTDOWN;
	if (master || backup)
		return ax_vrrp_state(VRRP_API_ST_BACKUP);
	return ax_vrrp_state(VRRP_API_ST_INIT);
}

/* ------------------------------------------------------------------ */
/* Rows */

static struct ax_trow *ax_row_new(enum ax_tbl tbl)
{
	struct ax_trow *r;

	if (K.n_rows == K.cap_rows) {
		/* Rows point into this array: it must not move once filled. */
		return NULL;
	}
	r = &K.rows[K.n_rows++];
	memset(r, 0, sizeof(*r));
	r->tbl = tbl;
	return r;
}

static void ax_row_add(enum ax_tbl tbl, const oid *idx, size_t n, struct ax_trow *r)
{
	if (r && !ax_table_add(&K.t[tbl], idx, n, r))
		K.n_rows--;	/* a duplicate index: the last row goes */
}

static size_t ax_count_rows(const struct cfg_root *root)
{
	const struct cfg_vrrp_inst *c;
	const struct cfg_vrrp_sync *s;
	const struct cfg_vrrp_script *sc;
	const struct cfg_track_ref *t;
	const struct cfg_vip *v;
	size_t n = 0;

	for (s = root->vrrp->syncs; s; s = s->next)
		n += 1 + s->group.n;
	for (sc = root->vrrp->scripts; sc; sc = sc->next)
		n++;
	for (c = root->vrrp->insts; c; c = c->next) {
		for (t = c->track[CFG_TRACK_IF]; t; t = t->next)
			n++;
		for (t = c->track[CFG_TRACK_SCRIPT]; t; t = t->next)
			n++;
		for (v = c->vips; v; v = v->next)
			n++;
		for (v = c->evips; v; v = v->next)
			n++;
	}
	return n;
}

static void ax_build_inst(const struct cfg_vrrp_inst *c, uint32_t id)
{
	const struct cfg_track_ref *t;
	const struct cfg_vip *v;
	struct ax_trow *r;
	unsigned pos = 0;
	oid idx[2] = { id, 0 };

	for (t = c->track[CFG_TRACK_IF]; t; t = t->next) {
		unsigned ifi = if_nametoindex(t->name);

		if (!ifi || ifi > INT32_MAX)
			continue;	/* not here now: no ifIndex, no row */
		idx[1] = ifi;
		r = ax_row_new(AX_T_TRACK_IF);
		if (r) {
			r->id = id;
			r->cfg = t;
		}
		ax_row_add(AX_T_TRACK_IF, idx, 2, r);
	}
	for (t = c->track[CFG_TRACK_SCRIPT], pos = 0; t; t = t->next, pos++) {
		idx[1] = pos + 1;
		r = ax_row_new(AX_T_TRACK_SCRIPT);
		if (r) {
			r->id = id;
			r->cfg = t;
		}
		ax_row_add(AX_T_TRACK_SCRIPT, idx, 2, r);
	}
	/* Same order as the engine's list (vrrp_api_vips): vips, then excluded. */
	pos = 0;
	for (int ex = 0; ex < 2; ex++) {
		for (v = ex ? c->evips : c->vips; v; v = v->next, pos++) {
			idx[1] = pos + 1;
			r = ax_row_new(AX_T_ADDR);
			if (r) {
				r->id = id;
				r->pos = pos;
				r->cfg = v;
				r->excluded = ex;
			}
			ax_row_add(AX_T_ADDR, idx, 2, r);
		}
	}
}

static void ax_build(void)
{
	const struct cfg_root *root = ax_root();
	const struct cfg_vrrp_inst *c;
	const struct cfg_vrrp_sync *s;
	const struct cfg_vrrp_script *sc;
	struct ax_trow *r;
	size_t n;
	oid idx[2];

	for (size_t k = 0; k < AX_T__COUNT; k++)
		ax_table_clear(&K.t[k]);
	K.n_rows = 0;
	if (!root)
		return;
	n = ax_count_rows(root);
	if (n > K.cap_rows) {
		free(K.rows);
		K.rows = xcalloc(n, sizeof(*K.rows));
		K.cap_rows = n;
	}
	for (s = root->vrrp->syncs; s; s = s->next) {
		idx[0] = ax_sync_index(s->name);
		if (!idx[0])
			continue;
		r = ax_row_new(AX_T_SYNC);
		if (r)
			r->cfg = s;
		ax_row_add(AX_T_SYNC, idx, 1, r);
		for (size_t k = 0; k < s->group.n; k++) {
			idx[1] = k + 1;
			r = ax_row_new(AX_T_MEMBER);
			if (r) {
				r->sync = s;
				r->pos = (unsigned)k;
			}
			ax_row_add(AX_T_MEMBER, idx, 2, r);
		}
	}
	for (sc = root->vrrp->scripts; sc; sc = sc->next) {
		struct ax_named *e = ax_named_get(&K.scripts, sc->name, true);

		if (!e)
			continue;
		idx[0] = e->index;
		r = ax_row_new(AX_T_SCRIPT);
		if (r)
			r->cfg = sc;
		ax_row_add(AX_T_SCRIPT, idx, 1, r);
	}
	for (c = root->vrrp->insts; c; c = c->next) {
		uint32_t id;

		if (vrrp_api_find(c->name, &id) == 0 && id <= INT32_MAX)
			ax_build_inst(c, id);
	}
}

static void ax_refresh(void)
{
	uint64_t gen = ax_vr_gen(), now = ev_now_us(ax_loop());

	if (!K.dirty && gen == K.built_gen && now - K.built_us < AX_TRACK_IF_RESCAN_US)
		return;
	ax_build();
	K.dirty = false;
	K.built_gen = gen;
	K.built_us = now;
}

/* ------------------------------------------------------------------ */
/* Values */

static int ax_notify_str(netsnmp_variable_list *vb, const struct cfg_notify *nt)
{
	return ax_set_str(vb, nt->script);
}

static int ax_sync_value(netsnmp_variable_list *vb, unsigned col, const struct cfg_vrrp_sync *s)
{
	const struct cfg_global *g = ax_root()->global;
	bool any = false, smtp;

	switch (col) {
	case 2:
		return ax_set_str(vb, s->name);
	case 3:
		return ax_set_int(vb, ax_sync_state(s));
	case 4:
		smtp = s->smtp_alert != CFG_VTRI_UNSET ? s->smtp_alert :
		       g->smtp_alert_vrrp != CFG_GTRI_UNSET ? g->smtp_alert_vrrp : g->smtp_alert > 0;
		return ax_set_int(vb, ax_bool(smtp));
	case 5:
		for (unsigned k = 0; k < CFG_NOTIFY__COUNT; k++)
			any |= s->notify[k].script != NULL;
		return ax_set_int(vb, ax_bool(any));
	case 6:
		return ax_notify_str(vb, &s->notify[CFG_NOTIFY_MASTER]);
	case 7:
		return ax_notify_str(vb, &s->notify[CFG_NOTIFY_BACKUP]);
	case 8:
		return ax_notify_str(vb, &s->notify[CFG_NOTIFY_FAULT]);
	case 9:
		return ax_notify_str(vb, &s->notify[CFG_NOTIFY_ANY]);
	case 10:
		return ax_set_int(vb, ax_bool(s->sync_group_tracking_weight));
	case 11:
		return ax_notify_str(vb, &s->notify[CFG_NOTIFY_STOP]);
	default:
		return -1;
	}
}

/* The weight a track reference gives: its own, else the tracked object's. */
static int32_t ax_track_weight(const struct cfg_track_ref *t, enum cfg_track_kind kind)
{
	const struct cfg_vrrp_script *sc;

	if (t->has_weight || kind != CFG_TRACK_SCRIPT)
		return t->has_weight ? t->weight : 0;
	sc = cfg_vrrp_find_script(ax_root()->vrrp, t->name);
	return sc ? sc->weight : 0;
}

static int ax_script_value(netsnmp_variable_list *vb, unsigned col,
			   const struct cfg_vrrp_script *sc)
{
	switch (col) {
	case 2:
		return ax_set_str(vb, sc->name);
	case 3:
		return ax_set_str(vb, sc->script);
	case 4:
		return ax_set_int(vb, sc->interval_ms / 1000u);		/* seconds */
	case 5:
		return ax_set_int(vb, sc->weight);
	case 6:
		/* The VRRP process does not run vrrp_script yet: init(1). */
		return ax_set_int(vb, sc->init_fail ? 5 : 1);
	case 7:
		return ax_set_uint(vb, sc->rise);
	case 8:
		return ax_set_uint(vb, sc->fall);
	case 9:
		return ax_set_int(vb, ax_bool(sc->weight_reverse));
	default:
		return -1;
	}
}

/* InetScopeType (RFC 4001) of an rtnetlink scope. */
static long ax_scope(uint8_t scope)
{
	switch (scope) {
	case CFG_SCOPE_HOST:
	case CFG_SCOPE_NOWHERE:
		return 1;	/* interfaceLocal */
	case CFG_SCOPE_LINK:
		return 2;	/* linkLocal */
	case CFG_SCOPE_SITE:
		return 5;	/* siteLocal */
	default:
		return 14;	/* global */
	}
}

static int ax_brd(netsnmp_variable_list *vb, const struct cfg_vip *v)
{
	struct cfg_addr b = { .family = AF_UNSPEC };
	uint32_t host, a;

	/* No broadcast: 0.0.0.0 for IPv4 (as keepalived serves it), empty for IPv6. */
	if (v->addr.family == AF_INET) {
		b.family = AF_INET;
		host = v->addr.prefix >= 32 ? 0 : 0xffffffffu >> v->addr.prefix;
		a = ntohl(v->addr.u.v4.s_addr);
		switch (v->brd_mode) {
		case CFG_BRD_ADDR:
			b = v->brd;
			break;
		case CFG_BRD_SET:
			b = v->addr;
			b.u.v4.s_addr = htonl(a | host);
			break;
		case CFG_BRD_CLEAR:
			b = v->addr;
			b.u.v4.s_addr = htonl(a & ~host);
			break;
		default:
			break;
		}
	}
	return ax_set_inet(vb, &b);
}

static int ax_addr_value(netsnmp_variable_list *vb, unsigned col, const struct ax_trow *r,
			 const struct vrrp_api_vip *rt, const struct vrrp_api_info *in)
{
	const struct cfg_vip *v = r->cfg;
	const char *dev = rt ? rt->dev : v->dev[0] ? v->dev : in->ifname;
	unsigned ifi;

	switch (col) {
	case 2:
		return ax_set_int(vb, ax_inet_type(&v->addr));
	case 3:
		return ax_set_inet(vb, &v->addr);
	case 4:
		return ax_brd(vb, v);
	case 5:
		return ax_set_uint(vb, v->addr.prefix);
	case 6:
		return ax_set_int(vb, ax_scope(v->scope));
	case 7:
		ifi = strcmp(dev, in->ifname) == 0 && in->ifindex > 0 ? (unsigned)in->ifindex :
		      if_nametoindex(dev);
		return ifi ? ax_set_int(vb, ifi) : -1;	/* InterfaceIndex: 1.. */
	case 8:
		return ax_set_str(vb, dev);
	case 9:
		return ax_set_str(vb, v->label);
	case 10:
		return ax_set_int(vb, rt && rt->installed ? 1 : 2);	/* set : unset */
	case 11:
		return ax_set_int(vb, !r->excluded && v->addr.family == in->family ? 1 : 2);
	case 12:
		return ax_set_inet(vb, &v->peer);
	default:
		return -1;
	}
}

/* ------------------------------------------------------------------ */
/* Handler (one for the six tables: the row says which) */

static int ax_value(netsnmp_variable_list *vb, unsigned col, const struct ax_trow *r)
{
	const struct cfg_track_ref *t = r->cfg;
	struct vrrp_api_vip stack[16], *all = stack;
	struct vrrp_api_info in;
	int n, ret;

	switch (r->tbl) {
	case AX_T_SYNC:
		return ax_sync_value(vb, col, r->cfg);
	case AX_T_MEMBER:
		return col == 2 && r->pos < r->sync->group.n ?
		       ax_set_str(vb, r->sync->group.v[r->pos]) : -1;
	case AX_T_TRACK_IF:
		if (col == 1)
			return ax_set_str(vb, t->name);
		if (col == 2)
			return ax_set_int(vb, ax_track_weight(t, CFG_TRACK_IF));
		return col == 3 ? ax_set_int(vb, ax_bool(t->reverse)) : -1;
	case AX_T_TRACK_SCRIPT:
		if (col == 2)
			return ax_set_str(vb, t->name);
		if (col == 3)
			return ax_set_int(vb, ax_track_weight(t, CFG_TRACK_SCRIPT));
		return col == 4 ? ax_set_int(vb, ax_bool(t->reverse)) : -1;
	case AX_T_SCRIPT:
		return ax_script_value(vb, col, r->cfg);
	case AX_T_ADDR:
		if (vrrp_api_get(r->id, &in) < 0)
			return -1;
		n = vrrp_api_vips(r->id, stack, AX_ARRAY_SIZE(stack));
		if (n > (int)AX_ARRAY_SIZE(stack)) {
			all = xcalloc((size_t)n, sizeof(*all));
			n = vrrp_api_vips(r->id, all, (size_t)n);
		}
		ret = ax_addr_value(vb, col, r, n > (int)r->pos ? &all[r->pos] : NULL, &in);
		if (all != stack)
			free(all);
		return ret;
	case AX_T__COUNT:
		break;
	}
	return -1;
}

static int ax_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
		      netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	netsnmp_request_info *r;

	(void)handler;
	(void)reg;
	if (ri->mode != MODE_GET || !ax_root())
		return SNMP_ERR_NOERROR;
	for (r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		const struct ax_trow *row = netsnmp_tdata_extract_entry(r);

		if (r->processed)
			continue;
		if (!ti || !row || ax_value(r->requestvb, ti->colnum, row) != 0)
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------------ */
/* vrrpSyncGroupStateChange (.2.10.0.1): vrrpSyncGroupName.i,
 * vrrpSyncGroupState.i, routerId.0 */

void ax_sync_notify(const char *inst_name)
{
	static const oid name_col[] = { AX_ALIVED_OID, 2, 1, 1, 2 };
	static const oid state_col[] = { AX_ALIVED_OID, 2, 1, 1, 3 };
	const struct cfg_vrrp_inst *c = ax_root() ? ax_vrrp_cfg(inst_name) : NULL;
	netsnmp_variable_list *vars = NULL;
	struct ax_named *e;
	long state;

	if (!c || !c->sync)
		return;
	e = ax_named_get(&K.syncs, c->sync->name, true);
	state = ax_sync_state(c->sync);
	if (!e || state == e->last_state || state == AX_VRRP_STATE_UNKNOWN)
		return;
	e->last_state = state;
	ax_vb_add(&vars, name_col, AX_ARRAY_SIZE(name_col), e->index, ASN_OCTET_STR,
		  c->sync->name, strnlen(c->sync->name, 255));
	ax_vb_add(&vars, state_col, AX_ARRAY_SIZE(state_col), e->index, ASN_INTEGER, &state,
		  sizeof(state));
	ax_vb_router_id(&vars);
	ax_notify(ax_sync_change, AX_ARRAY_SIZE(ax_sync_change), vars,
		  (1ull << 32) | e->index);
}

void ax_sync_notify_release(void)
{
	if (!K.on)
		ax_names_free(&K.syncs);
}

/* ------------------------------------------------------------------ */

static const u_char ax_idx1[] = { ASN_INTEGER };
static const u_char ax_idx2[] = { ASN_INTEGER, ASN_INTEGER };

static const struct {
	const char *name;
	oid sub;
	const u_char *idx;
	size_t n_idx;
	unsigned min_col, max_col;
} ax_tdef[] = {
	[AX_T_SYNC] = { "vrrpSyncGroupTable", 1, ax_idx1, 1, 2, 11 },
	[AX_T_MEMBER] = { "vrrpSyncGroupMemberTable", 2, ax_idx2, 2, 2, 2 },
	[AX_T_TRACK_IF] = { "vrrpTrackedInterfaceTable", 4, ax_idx2, 2, 1, 3 },
	[AX_T_TRACK_SCRIPT] = { "vrrpTrackedScriptTable", 5, ax_idx2, 2, 2, 4 },
	[AX_T_ADDR] = { "vrrpAddressTable", 6, ax_idx2, 2, 2, 12 },
	[AX_T_SCRIPT] = { "vrrpScriptTable", 9, ax_idx1, 1, 2, 9 },
};
_Static_assert(AX_ARRAY_SIZE(ax_tdef) == AX_T__COUNT, "ax_tdef");

int ax_track_init(void)
{
	int r = 0;

	if (K.on)
		return 0;
	ax_vr_init();
	K.on = true;
	K.dirty = true;
	for (size_t k = 0; k < AX_T__COUNT && r == 0; k++) {
		oid o[] = { AX_ALIVED_OID, 2, ax_tdef[k].sub };
		struct ax_table_def d = {
			.name = ax_tdef[k].name, .oid = o, .oid_len = AX_ARRAY_SIZE(o),
			.idx = ax_tdef[k].idx, .n_idx = ax_tdef[k].n_idx,
			.min_col = ax_tdef[k].min_col, .max_col = ax_tdef[k].max_col,
			.handler = ax_handler, .refresh = ax_refresh,
		};

		r = ax_table_init(&K.t[k], &d);
	}
	if (r < 0)
		ax_track_shutdown();
	return r;
}

void ax_track_reload(void)
{
	if (!K.on)
		return;
	/* The rows borrow the old configuration: drop them now. */
	for (size_t k = 0; k < AX_T__COUNT; k++)
		ax_table_clear(&K.t[k]);
	K.n_rows = 0;
	K.dirty = true;
}

void ax_track_shutdown(void)
{
	if (!K.on)
		return;
	for (size_t k = 0; k < AX_T__COUNT; k++)
		ax_table_fini(&K.t[k]);
	ax_vr_shutdown();
	free(K.rows);
	ax_names_free(&K.syncs);
	ax_names_free(&K.scripts);
	memset(&K, 0, sizeof(K));
}
