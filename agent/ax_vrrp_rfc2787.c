// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP-MIB (RFC 2787, mib-2.68) for the IPv4 VRRPv2 instances that have
 * at least one virtual address (RFC 2787 describes VRRP for IPv4, RFC
 * 3768): vrrpNodeVersion, vrrpNotificationCntl, vrrpOperTable,
 * vrrpAssoIpAddrTable, the router-wide counters and vrrpRouterStatsTable.
 * The notifications are sent by ax_trap.c.
 *
 * Rows are indexed by (ifIndex, vrrpOperVrId) as the RFC says; they are
 * rebuilt from ax_vrrp_model.c when an instance appears, goes or changes
 * interface. Values are read from the engine at request time.
 *
 * Writable: vrrpOperAdminState (down = maintenance), vrrpOperPriority and
 * vrrpOperPreemptMode, through the command API (ax_vrrp_set.c). The other
 * read-create columns cannot be written, and rows cannot be created: a
 * row that does not exist gets noCreation.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_vrrp.h"
#include "alived/log.h"
#include "alived/vrrp_api.h"
#include "ax_int.h"

#define AX_MIB2_68		1, 3, 6, 1, 2, 1, 68
#define AX_VIPS_STACK		32

/* vrrpOperEntry columns (RFC 2787). */
enum ax_op_col {
	AX_OP_VRID = 1,
	AX_OP_VMAC,
	AX_OP_STATE,
	AX_OP_ADMIN,
	AX_OP_PRIORITY,
	AX_OP_ADDR_COUNT,
	AX_OP_MASTER,
	AX_OP_PRIMARY,
	AX_OP_AUTH_TYPE,
	AX_OP_AUTH_KEY,
	AX_OP_ADV_INT,
	AX_OP_PREEMPT,
	AX_OP_UP_TIME,
	AX_OP_PROTOCOL,
	AX_OP_ROW_STATUS,
	AX_OP__END,
};

/* vrrpRouterStatsEntry columns. */
enum ax_rs_col {
	AX_RS_BECOME_MASTER = 1,
	AX_RS_ADV_RCVD,
	AX_RS_ADV_INT_ERR,
	AX_RS_AUTH_FAIL,
	AX_RS_TTL_ERR,
	AX_RS_PRI0_RCVD,
	AX_RS_PRI0_SENT,
	AX_RS_INVALID_TYPE,
	AX_RS_ADDR_LIST_ERR,
	AX_RS_INVALID_AUTH_TYPE,
	AX_RS_AUTH_TYPE_MISMATCH,
	AX_RS_LENGTH_ERR,
	AX_RS__END,
};

/* vrrpStatistics scalars. */
enum ax_rfc2_sc {
	AX_SC_NODE_VERSION,
	AX_SC_NOTIF_CNTL,
	AX_SC_CHECKSUM_ERR,
	AX_SC_VERSION_ERR,
	AX_SC_VRID_ERR,
	AX_SC__COUNT,
};

static const struct {
	const char *name;
	oid group;	/* vrrpOperations(1) or vrrpStatistics(2) */
	oid sub;
} ax_sc_def[] = {
	[AX_SC_NODE_VERSION] = { "vrrpNodeVersion", 1, 1 },
	[AX_SC_NOTIF_CNTL] = { "vrrpNotificationCntl", 1, 2 },
	[AX_SC_CHECKSUM_ERR] = { "vrrpRouterChecksumErrors", 2, 1 },
	[AX_SC_VERSION_ERR] = { "vrrpRouterVersionErrors", 2, 2 },
	[AX_SC_VRID_ERR] = { "vrrpRouterVrIdErrors", 2, 3 },
};
_Static_assert(AX_ARRAY_SIZE(ax_sc_def) == AX_SC__COUNT, "ax_sc_def");

static const oid ax_mib_oid[] = { AX_MIB2_68 };
static const oid ax_ops_oid[] = { AX_MIB2_68, 1 };
static const oid ax_stats_oid[] = { AX_MIB2_68, 2 };
static const oid ax_oper_oid[] = { AX_MIB2_68, 1, 3 };
static const oid ax_asso_oid[] = { AX_MIB2_68, 1, 4 };
static const oid ax_rstats_oid[] = { AX_MIB2_68, 2, 4 };

static struct {
	bool on;
	struct ax_table oper, asso, stats;
	netsnmp_handler_registration *sc[AX_SC__COUNT];
	uint64_t built_gen;
} R;

/* An instance VRRP-MIB lists (RFC 2787 is VRRP for IPv4, RFC 3768). */
static bool ax_rfc2_lists(const struct ax_vr *v)
{
	return v->version == 2 && v->family == AF_INET && v->n_vips > 0 && v->ifindex > 0 &&
	       v->ifindex <= INT32_MAX;
}

/* ------------------------------------------------------------------ */
/* Rows */

static void ax_rfc2_add_vips(const struct ax_vr *v, const oid *key)
{
	struct vrrp_api_vip stack[AX_VIPS_STACK], *vips = stack;
	int n = vrrp_api_vips(v->id, stack, AX_VIPS_STACK);
	oid idx[6];

	if (n > AX_VIPS_STACK) {
		vips = calloc((size_t)n, sizeof(*vips));
		if (!vips)
			return;
		n = vrrp_api_vips(v->id, vips, (size_t)n);
	}
	idx[0] = key[0];
	idx[1] = key[1];
	for (int k = 0; k < n; k++) {
		if (vips[k].excluded || vips[k].addr.family != AF_INET)
			continue;
		ax_idx_ipaddr(idx + 2, &vips[k].addr);
		ax_table_add(&R.asso, idx, 6, (void *)(uintptr_t)v->id);
	}
	if (vips != stack)
		free(vips);
}

/* Rebuilds the rows when the set of instances or their keys changed. */
static void ax_rfc2_refresh(void)
{
	const struct ax_vr *v;
	uint64_t gen = ax_vr_gen();
	size_t n;

	if (gen == R.built_gen)
		return;
	R.built_gen = gen;
	ax_table_clear(&R.oper);
	ax_table_clear(&R.asso);
	ax_table_clear(&R.stats);
	v = ax_vr_all(&n);
	for (size_t k = 0; k < n; k++) {
		oid key[2] = { (oid)v[k].ifindex, v[k].vrid };

		if (!ax_rfc2_lists(&v[k]))
			continue;
		ax_table_add(&R.oper, key, 2, (void *)(uintptr_t)v[k].id);
		ax_table_add(&R.stats, key, 2, (void *)(uintptr_t)v[k].id);
		ax_rfc2_add_vips(&v[k], key);
	}
}

/* ------------------------------------------------------------------ */
/* vrrpOperTable */

static int ax_oper_value(netsnmp_variable_list *vb, unsigned col, const struct vrrp_api_info *in)
{
	/* RFC 3768 section 7.3: 00-00-5E-00-01-{VRID} */
	uint8_t vmac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, in->vrid };
	const struct cfg_vrrp_inst *c = ax_vrrp_cfg(in->name);
	const struct ax_vr *v;

	switch ((enum ax_op_col)col) {
	case AX_OP_VMAC:
		return ax_set_bytes(vb, vmac, sizeof(vmac));
	case AX_OP_STATE:
		/* Administratively down: initialize (RFC 2787 vrrpOperAdminState). */
		return ax_set_int(vb, in->maintenance ? 1 : ax_vr_status(in->state));
	case AX_OP_ADMIN:
		return ax_set_int(vb, in->maintenance ? 2 : 1);
	case AX_OP_PRIORITY:
		return ax_set_int(vb, in->base_priority);
	case AX_OP_ADDR_COUNT:
		return ax_set_int(vb, in->n_vips > 255 ? 255 : in->n_vips);
	case AX_OP_MASTER:
		return ax_set_ipaddr(vb, in->state == VRRP_API_ST_MASTER ? &in->src_addr :
										&in->master_addr);
	case AX_OP_PRIMARY:
		return ax_set_ipaddr(vb, &in->src_addr);
	case AX_OP_AUTH_TYPE:
		/* noAuthentication(1), simpleTextPassword(2), ipAuthenticationHeader(3) */
		return ax_set_int(vb, c ? c->auth.type + 1 : 1);
	case AX_OP_AUTH_KEY:
		return ax_set_bytes(vb, "", 0);	/* RFC 2787: always read as empty */
	case AX_OP_ADV_INT:
		return ax_set_int(vb, in->advert_int_cs / 100u ? in->advert_int_cs / 100u : 1);
	case AX_OP_PREEMPT:
		return ax_set_int(vb, ax_bool(in->preempt));
	case AX_OP_UP_TIME:
		v = ax_vr_get(in->id);
		return ax_set_ticks(vb, v ? ax_timestamp(v->up_us) : 0);
	case AX_OP_PROTOCOL:
		return ax_set_int(vb, 1);	/* ip */
	case AX_OP_ROW_STATUS:
		return ax_set_int(vb, 1);	/* active */
	case AX_OP_VRID:
	case AX_OP__END:
		break;
	}
	return -1;
}

static void ax_oper_set(netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
	struct ax_set_ctx *c = ax_set_kept(r);
	uint32_t id = 0;
	unsigned col;

	if (ri->mode == MODE_SET_RESERVE1) {
		id = (uint32_t)(uintptr_t)netsnmp_tdata_extract_entry(r);
		col = ti ? ti->colnum : 0;
	} else if (c) {
		col = c->col;
	} else {
		return;
	}
	switch (col) {
	case AX_OP_ADMIN:
		ax_vrrp_set(ri, r, id, col, AX_VATTR_ADMIN, ASN_INTEGER);
		break;
	case AX_OP_PRIORITY:
		ax_vrrp_set(ri, r, id, col, AX_VATTR_PRIORITY, ASN_INTEGER);
		break;
	case AX_OP_PREEMPT:
		ax_vrrp_set(ri, r, id, col, AX_VATTR_PREEMPT, ASN_INTEGER);
		break;
	default:
		if (ri->mode == MODE_SET_RESERVE1)
			netsnmp_set_request_error(ri, r, id ? SNMP_ERR_NOTWRITABLE :
							      SNMP_ERR_NOCREATION);
		break;
	}
}

static int ax_oper_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			   netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	struct vrrp_api_info in;
	netsnmp_request_info *r;
	uint32_t cached = 0;

	(void)handler;
	(void)reg;
	for (r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti;
		uint32_t id;

		if (r->processed)
			continue;
		if (ri->mode != MODE_GET) {
			ax_oper_set(ri, r);
			continue;
		}
		ti = netsnmp_extract_table_info(r);
		id = (uint32_t)(uintptr_t)netsnmp_tdata_extract_entry(r);
		if (id && id != cached)
			cached = vrrp_api_get(id, &in) == 0 ? id : 0;
		if (!ti || !id || id != cached || ax_oper_value(r->requestvb, ti->colnum, &in) != 0)
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

/* vrrpAssoIpAddrTable: the row's only column is its RowStatus, active(1). */
static int ax_asso_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			   netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	netsnmp_request_info *r;

	(void)handler;
	(void)reg;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);

		if (r->processed)
			continue;
		if (!ti || ti->colnum != 2 || !netsnmp_tdata_extract_entry(r))
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
		else
			ax_set_int(r->requestvb, 1);
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------------ */
/* vrrpRouterStatsTable and the scalars */

static int ax_stats_value(netsnmp_variable_list *vb, unsigned col, const struct vrrp_api_stats *s)
{
	switch ((enum ax_rs_col)col) {
	case AX_RS_BECOME_MASTER:
		return ax_set_counter(vb, s->master_transitions);
	case AX_RS_ADV_RCVD:
		return ax_set_counter(vb, s->adverts_rcvd);
	case AX_RS_ADV_INT_ERR:
		return ax_set_counter(vb, s->adv_interval_errors);
	case AX_RS_AUTH_FAIL:
		return ax_set_counter(vb, s->auth_failures);
	case AX_RS_TTL_ERR:
		return ax_set_counter(vb, s->ttl_errors);
	case AX_RS_PRI0_RCVD:
		return ax_set_counter(vb, s->pri_zero_rcvd);
	case AX_RS_PRI0_SENT:
		return ax_set_counter(vb, s->pri_zero_sent);
	case AX_RS_INVALID_TYPE:
		return ax_set_counter(vb, s->invalid_type_rcvd);
	case AX_RS_ADDR_LIST_ERR:
		return ax_set_counter(vb, s->addr_list_errors);
	case AX_RS_INVALID_AUTH_TYPE:
		return ax_set_counter(vb, s->invalid_auth_type);
	case AX_RS_AUTH_TYPE_MISMATCH:
		return ax_set_counter(vb, s->auth_type_mismatch);
	case AX_RS_LENGTH_ERR:
		return ax_set_counter(vb, s->packet_length_errors);
	case AX_RS__END:
		break;
	}
	return -1;
}

static int ax_rstats_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			     netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	struct vrrp_api_info in;
	netsnmp_request_info *r;
	uint32_t cached = 0;

	(void)handler;
	(void)reg;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		uint32_t id = (uint32_t)(uintptr_t)netsnmp_tdata_extract_entry(r);

		if (r->processed)
			continue;
		if (id && id != cached)
			cached = vrrp_api_get(id, &in) == 0 ? id : 0;
		if (!ti || !id || id != cached ||
		    ax_stats_value(r->requestvb, ti->colnum, &in.stats) != 0)
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

static int ax_sc_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			 netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	enum ax_rfc2_sc which = (enum ax_rfc2_sc)(uintptr_t)handler->myvoid;
	struct vrrp_api_global_stats g;
	netsnmp_request_info *r;

	(void)reg;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	vrrp_api_global_stats(&g);
	for (r = requests; r; r = r->next) {
		if (r->processed)
			continue;
		switch (which) {
		case AX_SC_NODE_VERSION:
			ax_set_int(r->requestvb, 2);	/* VRRP version 2 (RFC 3768) */
			break;
		case AX_SC_NOTIF_CNTL:
			ax_set_int(r->requestvb, ax_bool(ax_traps_on()));
			break;
		case AX_SC_CHECKSUM_ERR:
			ax_set_counter(r->requestvb, g.checksum_errors);
			break;
		case AX_SC_VERSION_ERR:
			ax_set_counter(r->requestvb, g.version_errors);
			break;
		case AX_SC_VRID_ERR:
			ax_set_counter(r->requestvb, g.vrid_errors);
			break;
		case AX_SC__COUNT:
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------------ */

static const u_char ax_idx_oper[] = { ASN_INTEGER, ASN_INTEGER };	/* ifIndex, VrId */
static const u_char ax_idx_asso[] = { ASN_INTEGER, ASN_INTEGER, ASN_IPADDRESS };

static const struct ax_table_def ax_oper_def = {
	.name = "vrrpOperTable", .oid = ax_oper_oid, .oid_len = AX_ARRAY_SIZE(ax_oper_oid),
	.idx = ax_idx_oper, .n_idx = 2, .min_col = AX_OP_VMAC, .max_col = AX_OP__END - 1,
	.handler = ax_oper_handler, .writable = true, .refresh = ax_rfc2_refresh,
};
static const struct ax_table_def ax_asso_def = {
	.name = "vrrpAssoIpAddrTable", .oid = ax_asso_oid, .oid_len = AX_ARRAY_SIZE(ax_asso_oid),
	.idx = ax_idx_asso, .n_idx = 3, .min_col = 2, .max_col = 2,
	.handler = ax_asso_handler, .refresh = ax_rfc2_refresh,
};
static const struct ax_table_def ax_rstats_def = {
	.name = "vrrpRouterStatsTable", .oid = ax_rstats_oid,
	.oid_len = AX_ARRAY_SIZE(ax_rstats_oid), .idx = ax_idx_oper, .n_idx = 2,
	.min_col = AX_RS_BECOME_MASTER, .max_col = AX_RS__END - 1,
	.handler = ax_rstats_handler, .refresh = ax_rfc2_refresh,
};

int ax_rfc2787_init(void)
{
	int r;

	if (R.on)
		return 0;
	ax_vr_init();
	R.on = true;
	for (size_t k = 0; k < AX_SC__COUNT; k++) {
		const oid *base = ax_sc_def[k].group == 1 ? ax_ops_oid : ax_stats_oid;

		R.sc[k] = ax_scalar_register(ax_sc_def[k].name, base, AX_ARRAY_SIZE(ax_ops_oid),
					     ax_sc_def[k].sub, ax_sc_handler, (void *)(uintptr_t)k);
		if (!R.sc[k])
			log_warn("AgentX: cannot register %s", ax_sc_def[k].name);
	}
	r = ax_table_init(&R.oper, &ax_oper_def);
	if (r == 0)
		r = ax_table_init(&R.asso, &ax_asso_def);
	if (r == 0)
		r = ax_table_init(&R.stats, &ax_rstats_def);
	if (r < 0) {
		log_warn("AgentX: cannot register the tables of VRRP-MIB");
		ax_rfc2787_shutdown();
		return r;
	}
	return ax_subtree_add(ax_mib_oid, AX_ARRAY_SIZE(ax_mib_oid), AX_PRIO_DEFAULT);
}

void ax_rfc2787_reload(void)
{
	/* Rows follow the engine's events (ax_vrrp_model.c). */
}

void ax_rfc2787_shutdown(void)
{
	if (!R.on)
		return;
	ax_subtree_del(ax_mib_oid, AX_ARRAY_SIZE(ax_mib_oid));
	for (size_t k = 0; k < AX_SC__COUNT; k++)
		if (R.sc[k])
			netsnmp_unregister_handler(R.sc[k]);
	ax_table_fini(&R.oper);
	ax_table_fini(&R.asso);
	ax_table_fini(&R.stats);
	ax_vr_shutdown();
	memset(&R, 0, sizeof(R));
}
