// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notifications of ALIVED-MIB, as an observer of the engine: each state
 * change of a VRRP instance becomes a vrrpInstanceStateChange (.2.10.0.2)
 * handed to the bounded queue of ax_notify.c. Its varbinds name their
 * object with the instance's index (keepalived sends bare column OIDs,
 * which an NMS cannot tie to a row): vrrpInstanceName.i,
 * vrrpInstanceState.i, vrrpInstanceInitialState.i, routerId.0.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <unistd.h>

#include "alived/cfg_global.h"
#include "alived/cfg_vrrp.h"
#include "alived/config.h"
#include "alived/vrrp_api.h"
#include "ax_int.h"

static const oid ax_inst_state_change[] = { AX_ALIVED_OID, 2, 10, 0, 2 };

static struct {
	uint64_t sub;
	bool on;
} T;

/* Appends column.index = value; index 0 makes a scalar (.0). */
static void ax_vb_add(netsnmp_variable_list **vars, const oid *col, size_t col_len,
		      uint32_t index, u_char type, const void *val, size_t len)
{
	oid name[MAX_OID_LEN];

	memcpy(name, col, col_len * sizeof(oid));
	name[col_len] = index;
	snmp_varlist_add_variable(vars, name, col_len + 1, type, val, len);
}

static void ax_add_router_id(netsnmp_variable_list **vars)
{
	static const oid router_id[] = { AX_ALIVED_OID, 1, 2 };
	const struct cfg_root *root = ax_root();
	char host[256] = "";
	const char *rid = root ? root->global->router_id : NULL;

	if (!rid) {
		if (gethostname(host, sizeof(host)) < 0)
			host[0] = '\0';
		host[sizeof(host) - 1] = '\0';
		rid = host;
	}
	ax_vb_add(vars, router_id, AX_ARRAY_SIZE(router_id), 0, ASN_OCTET_STR, rid,
		  strnlen(rid, 255));
}

/*
 * VrrpState of the configured start state (state MASTER/BACKUP; an owner,
 * priority 255, starts as master). From the configuration, not the read
 * API: the instance may be half torn down when it reports STOP.
 */
static long ax_initial_state(const char *name)
{
	const struct cfg_root *root = ax_root();
	const struct cfg_vrrp_inst *c = root && name ? cfg_vrrp_find_inst(root->vrrp, name) : NULL;

	if (!c)
		return 4;	/* unknown */
	if (c->state == CFG_VRRP_STATE_MASTER ||
	    (c->state == CFG_VRRP_STATE_UNSET && c->priority == 255))
		return ax_vrrp_state(VRRP_API_ST_MASTER);
	return ax_vrrp_state(VRRP_API_ST_BACKUP);
}

static void ax_trap_evt(const struct vrrp_evt_info *e, void *ud)
{
	static const oid name_col[] = { AX_ALIVED_OID, 2, 3, 1, 2 };
	static const oid state_col[] = { AX_ALIVED_OID, 2, 3, 1, 4 };
	static const oid init_col[] = { AX_ALIVED_OID, 2, 3, 1, 5 };
	netsnmp_variable_list *vars = NULL;
	long state, initial;

	(void)ud;
	if (e->evt != VRRP_EVT_STATE || e->id == 0 || e->id > INT32_MAX)
		return;
	state = ax_vrrp_state(e->new_state);
	initial = ax_initial_state(e->name);
	ax_vb_add(&vars, name_col, AX_ARRAY_SIZE(name_col), e->id, ASN_OCTET_STR, e->name,
		  e->name ? strnlen(e->name, 255) : 0);
	ax_vb_add(&vars, state_col, AX_ARRAY_SIZE(state_col), e->id, ASN_INTEGER, &state,
		  sizeof(state));
	ax_vb_add(&vars, init_col, AX_ARRAY_SIZE(init_col), e->id, ASN_INTEGER, &initial,
		  sizeof(initial));
	ax_add_router_id(&vars);
	ax_notify(ax_inst_state_change, AX_ARRAY_SIZE(ax_inst_state_change), vars, e->id);
}

void ax_trap_enable(bool on)
{
	if (on == T.on)
		return;
	if (on && ax_role() == AX_ROLE_VRRP)
		T.sub = vrrp_api_subscribe(VRRP_EVT_BIT(VRRP_EVT_STATE), ax_trap_evt, NULL);
	else if (!on && T.sub)
		vrrp_api_unsubscribe(T.sub);
	if (!on)
		T.sub = 0;
	T.on = on;
}
