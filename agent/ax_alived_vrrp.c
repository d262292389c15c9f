// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ALIVED-MIB vrrp (enterprises.9586.100.5.2): vrrpInstanceTable (.2.3).
 *
 * Rows live in a tdata table (a sorted container: GETNEXT is O(log n))
 * keyed by the engine's instance ID, which is vrrpInstanceIndex: it stays
 * the same across reloads for as long as the instance exists. The rows
 * follow the engine's ADDED/REMOVED/RELOAD events. Values are read at
 * request time: run-time ones from a vrrp_api_get() copy, configuration
 * ones from the instance's block in the configuration (looked up by name
 * in a sorted index rebuilt at start and reload).
 *
 * Writable: vrrpInstanceBasePriority and vrrpInstancePreempt, through the
 * command API (ax_vrrp_set.c). The other tables of the subtree are in
 * ax_alived_track.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_global.h"
#include "alived/cfg_vrrp.h"
#include "alived/config.h"
#include "alived/log.h"
#include "alived/vrrp_api.h"
#include "alived/xalloc.h"
#include "ax_int.h"

/* vrrpInstanceEntry columns (ALIVED-MIB). */
enum ax_vi_col {
	AX_VI_NAME = 2,
	AX_VI_VRID,
	AX_VI_STATE,
	AX_VI_INITIAL_STATE,
	AX_VI_WANTED_STATE,
	AX_VI_BASE_PRIO,
	AX_VI_EFFECTIVE_PRIO,
	AX_VI_VIPS_STATUS,
	AX_VI_PRIMARY_IF,
	AX_VI_TRACK_PRIMARY_IF,
	AX_VI_ADVERT_INT,
	AX_VI_PREEMPT,
	AX_VI_PREEMPT_DELAY,
	AX_VI_AUTH_TYPE,
	AX_VI_LVS_SYNC_DAEMON,
	AX_VI_LVS_SYNC_IF,
	AX_VI_SYNC_GROUP,
	AX_VI_GARP_DELAY,
	AX_VI_SMTP_ALERT,
	AX_VI_NOTIFY_EXEC,
	AX_VI_SCRIPT_MASTER,
	AX_VI_SCRIPT_BACKUP,
	AX_VI_SCRIPT_FAULT,
	AX_VI_SCRIPT_STOP,
	AX_VI_SCRIPT,
	AX_VI_ACCEPT,
	AX_VI_PROMOTE_SECONDARIES,
	AX_VI_USE_LINKBEAT,
	AX_VI_VRRP_VERSION,
	AX_VI_SCRIPT_MSTR_RX_LOWER_PRI,
	AX_VI_SCRIPT_DELETED,
	AX_VI_NOTIFY_DELETED,
	AX_VI_MCAST_ADDR_TYPE,
	AX_VI_MCAST_ADDR,
	AX_VI__END,
};

/* VrrpState (ALIVED-MIB) of each engine state. */
static const long ax_vrrp_state_val[] = {
	[VRRP_API_ST_INIT] = 0,		/* init */
	[VRRP_API_ST_BACKUP] = 1,	/* backup */
	[VRRP_API_ST_MASTER] = 2,	/* master */
	[VRRP_API_ST_FAULT] = 3,	/* fault */
	[VRRP_API_ST_STOP] = 5,		/* shutdown */
};
_Static_assert(AX_ARRAY_SIZE(ax_vrrp_state_val) == VRRP_API_ST__COUNT, "ax_vrrp_state_val");
#define AX_VRRP_STATE_UNKNOWN 4

static const oid ax_vrrp_oid[] = { AX_ALIVED_OID, 2 };
static const oid ax_inst_oid[] = { AX_ALIVED_OID, 2, 3 };

static struct {
	bool on;
	netsnmp_tdata *inst;
	netsnmp_handler_registration *inst_reg;
	netsnmp_table_registration_info *inst_ti;	/* ours: freed after unregistering */
	uint64_t sub;				/* vrrp_api_subscribe() handle */
} V;

/* Configuration blocks sorted by name, for the configuration of ax_root(). */
static struct {
	const struct cfg_vrrp_inst **by_name;
	size_t n_by_name;
	uint64_t root_gen;
} N;

long ax_vrrp_state(unsigned st)
{
	return st < VRRP_API_ST__COUNT ? ax_vrrp_state_val[st] : AX_VRRP_STATE_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Configuration lookups */

static int ax_inst_cmp(const void *a, const void *b)
{
	const struct cfg_vrrp_inst *x = *(const struct cfg_vrrp_inst *const *)a;
	const struct cfg_vrrp_inst *y = *(const struct cfg_vrrp_inst *const *)b;

	return strcmp(x->name, y->name);
}

static void ax_index_config(void)
{
	const struct cfg_root *root = ax_root();
	const struct cfg_vrrp_inst *c;
	size_t n = 0;

	free(N.by_name);
	N.by_name = NULL;
	N.n_by_name = 0;
	N.root_gen = ax_root_gen();
	if (!root)
		return;
	for (c = root->vrrp->insts; c; c = c->next)
		n++;
	if (!n)
		return;
	N.by_name = xcalloc(n, sizeof(*N.by_name));
	for (c = root->vrrp->insts; c; c = c->next)
		N.by_name[N.n_by_name++] = c;
	qsort(N.by_name, N.n_by_name, sizeof(*N.by_name), ax_inst_cmp);
}

static const struct cfg_vrrp_inst *ax_cfg_inst(const char *name)
{
	struct cfg_vrrp_inst key = { .name = (char *)name };
	const struct cfg_vrrp_inst *kp = &key, **hit;

	if (N.root_gen != ax_root_gen())
		ax_index_config();	/* a new configuration */
	if (!N.n_by_name)
		return NULL;
	hit = bsearch(&kp, N.by_name, N.n_by_name, sizeof(*N.by_name), ax_inst_cmp);
	return hit ? *hit : NULL;
}

const struct cfg_vrrp_inst *ax_vrrp_cfg(const char *name)
{
	return name ? ax_cfg_inst(name) : NULL;
}

void ax_vrrp_cfg_release(void)
{
	free(N.by_name);
	memset(&N, 0, sizeof(N));
}

static const char *ax_notify_script(const struct cfg_vrrp_inst *c, enum cfg_vrrp_notify k)
{
	return c ? c->notify[k].script : NULL;
}

/* The instance drives the IPVS sync daemon (lvs_sync_daemon ... inst NAME). */
static const char *ax_lvs_sync_if(const struct cfg_vrrp_inst *c, const struct cfg_global *g)
{
	if (!c)
		return NULL;
	if (g->lvs_syncd.ifname && g->lvs_syncd.vrrp_instance &&
	    strcmp(g->lvs_syncd.vrrp_instance, c->name) == 0)
		return g->lvs_syncd.ifname;
	return c->lvs_sync_daemon_interface;
}

static bool ax_smtp_alert(const struct cfg_vrrp_inst *c, const struct cfg_global *g)
{
	if (c && c->smtp_alert != CFG_VTRI_UNSET)
		return c->smtp_alert;
	if (g->smtp_alert_vrrp != CFG_GTRI_UNSET)
		return g->smtp_alert_vrrp;
	return g->smtp_alert > 0;
}

/* ------------------------------------------------------------------ */
/* vrrpInstanceTable */

static int ax_inst_value(netsnmp_variable_list *vb, unsigned col, const struct vrrp_api_info *in,
			 const struct cfg_vrrp_inst *c, const struct cfg_global *g)
{
	struct cfg_addr mc = { .family = AF_UNSPEC };
	bool any_notify = false;

	switch ((enum ax_vi_col)col) {
	case AX_VI_NAME:
		return ax_set_str(vb, in->name);
	case AX_VI_VRID:
		return ax_set_uint(vb, in->vrid);
	case AX_VI_STATE:
	case AX_VI_WANTED_STATE:
		return ax_set_int(vb, ax_vrrp_state(in->state));
	case AX_VI_INITIAL_STATE:
		return ax_set_int(vb, ax_vrrp_state(in->wanted_state));
	case AX_VI_BASE_PRIO:
		return ax_set_int(vb, in->base_priority);
	case AX_VI_EFFECTIVE_PRIO:
		return ax_set_int(vb, in->effective_priority);
	case AX_VI_VIPS_STATUS:
		return ax_set_int(vb, ax_bool(in->vips_installed));	/* allSet : notAllSet */
	case AX_VI_PRIMARY_IF:
		return ax_set_str(vb, in->ifname);
	case AX_VI_TRACK_PRIMARY_IF:
		return ax_set_int(vb, ax_bool(!(c && c->dont_track_primary)));
	case AX_VI_ADVERT_INT:
		/* Seconds for VRRPv2, centiseconds for VRRPv3 (as keepalived serves it). */
		return ax_set_uint(vb, in->version == 2 ? in->advert_int_cs / 100u :
							  in->advert_int_cs);
	case AX_VI_PREEMPT:
		return ax_set_int(vb, ax_bool(in->preempt));	/* preempt : noPreempt */
	case AX_VI_PREEMPT_DELAY:
		return ax_set_uint(vb, in->preempt_delay_ms / 1000u);
	case AX_VI_AUTH_TYPE:
		return ax_set_int(vb, c ? c->auth.type : 0);	/* none(0) password(1) ah(2) */
	case AX_VI_LVS_SYNC_DAEMON:
		return ax_set_int(vb, ax_bool(ax_lvs_sync_if(c, g) != NULL));
	case AX_VI_LVS_SYNC_IF:
		return ax_set_str(vb, ax_lvs_sync_if(c, g));
	case AX_VI_SYNC_GROUP:
		return ax_set_str(vb, c && c->sync ? c->sync->name : NULL);
	case AX_VI_GARP_DELAY:
		return ax_set_uint(vb, c && c->garp_master_delay_s >= 0 ?
				   (unsigned long)c->garp_master_delay_s :
				   g->vrrp_garp_master_delay_s);
	case AX_VI_SMTP_ALERT:
		return ax_set_int(vb, ax_bool(ax_smtp_alert(c, g)));
	case AX_VI_NOTIFY_EXEC:
		for (unsigned k = 0; c && k < CFG_NOTIFY__COUNT; k++)
			any_notify |= c->notify[k].script != NULL;
		return ax_set_int(vb, ax_bool(any_notify));
	case AX_VI_SCRIPT_MASTER:
		return ax_set_str(vb, ax_notify_script(c, CFG_NOTIFY_MASTER));
	case AX_VI_SCRIPT_BACKUP:
		return ax_set_str(vb, ax_notify_script(c, CFG_NOTIFY_BACKUP));
	case AX_VI_SCRIPT_FAULT:
		return ax_set_str(vb, ax_notify_script(c, CFG_NOTIFY_FAULT));
	case AX_VI_SCRIPT_STOP:
		return ax_set_str(vb, ax_notify_script(c, CFG_NOTIFY_STOP));
	case AX_VI_SCRIPT:
		return ax_set_str(vb, ax_notify_script(c, CFG_NOTIFY_ANY));
	case AX_VI_ACCEPT:
		return ax_set_int(vb, ax_bool(in->accept));
	case AX_VI_PROMOTE_SECONDARIES:
		return ax_set_int(vb, ax_bool(c && c->promote_secondaries));
	case AX_VI_USE_LINKBEAT:
		return ax_set_int(vb, ax_bool(g->linkbeat_use_polling ||
					      (c && c->linkbeat_use_polling)));
	case AX_VI_VRRP_VERSION:
		return ax_set_int(vb, in->version);	/* vrrpv2(2), vrrpv3(3) */
	case AX_VI_SCRIPT_MSTR_RX_LOWER_PRI:
		return ax_set_str(vb, ax_notify_script(c, CFG_NOTIFY_MASTER_RX_LOWER_PRI));
	case AX_VI_SCRIPT_DELETED:
		return ax_set_str(vb, ax_notify_script(c, CFG_NOTIFY_DELETED));
	case AX_VI_NOTIFY_DELETED:
		return ax_set_int(vb, ax_bool(c && c->notify_deleted));
	case AX_VI_MCAST_ADDR_TYPE:
	case AX_VI_MCAST_ADDR:
		if (!in->unicast) {
			if (c && c->mcast_dst_ip.family == in->family)
				mc = c->mcast_dst_ip;
			else
				mc = in->family == AF_INET6 ? g->vrrp_mcast_group6 :
							      g->vrrp_mcast_group4;
		}
		if (col == AX_VI_MCAST_ADDR_TYPE)
			return ax_set_int(vb, ax_inet_type(&mc));
		return ax_set_inet(vb, &mc);
	case AX_VI__END:
		break;
	}
	return -1;
}

/* SETs: vrrpInstanceBasePriority and vrrpInstancePreempt (ax_vrrp_set.c). */
static void ax_inst_set(netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
	struct ax_set_ctx *c = ax_set_kept(r);
	uint32_t id = 0;
	unsigned col;

	if (ri->mode == MODE_SET_RESERVE1) {
		/* Only now may the row be used: it can go between phases. */
		id = (uint32_t)(uintptr_t)netsnmp_tdata_extract_entry(r);
		col = ti ? ti->colnum : 0;
	} else if (c) {
		col = c->col;
	} else {
		return;	/* refused in RESERVE1 */
	}
	switch (col) {
	case AX_VI_BASE_PRIO:
		ax_vrrp_set(ri, r, id, col, AX_VATTR_PRIORITY, ASN_INTEGER);
		break;
	case AX_VI_PREEMPT:
		ax_vrrp_set(ri, r, id, col, AX_VATTR_PREEMPT, ASN_INTEGER);
		break;
	default:
		if (ri->mode == MODE_SET_RESERVE1)
			netsnmp_set_request_error(ri, r, id ? SNMP_ERR_NOTWRITABLE :
							      SNMP_ERR_NOCREATION);
		break;
	}
}

static int ax_inst_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			   netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	const struct cfg_root *root = ax_root();
	struct vrrp_api_info info;
	netsnmp_request_info *r;
	uint32_t cached = 0;

	(void)handler;
	(void)reg;
	if (ri->mode != MODE_GET) {
		for (r = requests; r; r = r->next)
			if (!r->processed)
				ax_inst_set(ri, r);
		return SNMP_ERR_NOERROR;
	}
	for (r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		uint32_t id = (uint32_t)(uintptr_t)netsnmp_tdata_extract_entry(r);

		if (r->processed)
			continue;
		/* A GETBULK asks for many columns of a row in a row: one copy. */
		if (id && id != cached) {
			cached = vrrp_api_get(id, &info) == 0 ? id : 0;
		}
		if (!ti || !id || id != cached || !root ||
		    ax_inst_value(r->requestvb, ti->colnum, &info, ax_cfg_inst(info.name),
				  root->global) != 0)
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

static netsnmp_tdata_row *ax_inst_row(uint32_t id)
{
	oid idx = id;

	return netsnmp_tdata_row_get_byoid(V.inst, &idx, 1);
}

static void ax_inst_add(uint32_t id)
{
	netsnmp_tdata_row *row;
	long idx = (long)id;

	if (id == 0 || id > INT32_MAX || ax_inst_row(id))
		return;
	row = netsnmp_tdata_create_row();
	if (!row)
		return;
	row->data = (void *)(uintptr_t)id;
	netsnmp_tdata_row_add_index(row, ASN_INTEGER, &idx, sizeof(idx));
	netsnmp_tdata_add_row(V.inst, row);
}

static void ax_inst_del(uint32_t id)
{
	netsnmp_tdata_row *row = ax_inst_row(id);

	if (row)
		netsnmp_tdata_remove_and_delete_row(V.inst, row);
}

static int ax_sync_one(const struct vrrp_api_info *info, void *ud)
{
	(void)ud;
	ax_inst_add(info->id);
	return 0;
}

/* Rows = the engine's instances. */
static void ax_inst_sync(void)
{
	netsnmp_tdata_row *row, *next;
	struct vrrp_api_info info;

	for (row = netsnmp_tdata_row_first(V.inst); row; row = next) {
		next = netsnmp_tdata_row_next(V.inst, row);
		if (vrrp_api_get((uint32_t)(uintptr_t)row->data, &info) < 0)
			netsnmp_tdata_remove_and_delete_row(V.inst, row);
	}
	vrrp_api_foreach(ax_sync_one, NULL);
}

static void ax_vrrp_evt(const struct vrrp_evt_info *e, void *ud)
{
	(void)ud;
	switch (e->evt) {
	case VRRP_EVT_ADDED:
		ax_inst_add(e->id);
		break;
	case VRRP_EVT_REMOVED:
		ax_inst_del(e->id);
		break;
	case VRRP_EVT_RELOAD:
		ax_inst_sync();
		break;
	default:
		break;
	}
}

static int ax_inst_init(void)
{
	netsnmp_table_registration_info *ti;

	V.inst = netsnmp_tdata_create_table("vrrpInstanceTable", 0);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (!V.inst || !ti) {
		free(ti);
		return -ENOMEM;
	}
	netsnmp_table_helper_add_indexes(ti, ASN_INTEGER, 0);	/* vrrpInstanceIndex */
	ti->min_column = AX_VI_NAME;
	ti->max_column = AX_VI__END - 1;
	V.inst_reg = netsnmp_create_handler_registration("vrrpInstanceTable", ax_inst_handler,
							 ax_inst_oid, AX_ARRAY_SIZE(ax_inst_oid),
							 HANDLER_CAN_RWRITE);
	V.inst_ti = ti;
	if (!V.inst_reg || netsnmp_tdata_register(V.inst_reg, V.inst, ti) != MIB_REGISTERED_OK) {
		V.inst_reg = NULL;	/* freed by the failed registration */
		return -EIO;
	}
	ax_inst_sync();
	return 0;
}

/* ------------------------------------------------------------------ */

int ax_vrrp_init(void)
{
	int r;

	if (V.on)
		return 0;
	ax_index_config();
	r = ax_inst_init();
	if (r < 0) {
		log_warn("AgentX: cannot register vrrpInstanceTable");
		return r;
	}
	V.sub = vrrp_api_subscribe(VRRP_EVT_BIT(VRRP_EVT_ADDED) | VRRP_EVT_BIT(VRRP_EVT_REMOVED) |
				   VRRP_EVT_BIT(VRRP_EVT_RELOAD), ax_vrrp_evt, NULL);
	V.on = true;
	if (ax_track_init() < 0)
		log_warn("AgentX: cannot register the tracking, address and sync group tables");
	return ax_subtree_add(ax_vrrp_oid, AX_ARRAY_SIZE(ax_vrrp_oid), AX_PRIO_DEFAULT);
}

void ax_vrrp_reload(void)
{
	if (!V.on)
		return;
	ax_index_config();
	ax_inst_sync();
	ax_track_reload();
}

void ax_vrrp_shutdown(void)
{
	netsnmp_tdata_row *row;

	if (!V.on)
		return;
	ax_subtree_del(ax_vrrp_oid, AX_ARRAY_SIZE(ax_vrrp_oid));
	ax_track_shutdown();
	vrrp_api_unsubscribe(V.sub);
	if (V.inst_reg)
		netsnmp_unregister_handler(V.inst_reg);
	if (V.inst_ti)
		netsnmp_table_registration_info_free(V.inst_ti);
	if (V.inst) {
		while ((row = netsnmp_tdata_row_first(V.inst)))
			netsnmp_tdata_remove_and_delete_row(V.inst, row);
		netsnmp_tdata_delete_table(V.inst);
	}
	memset(&V, 0, sizeof(V));
}
