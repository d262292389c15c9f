// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRPV3-MIB (RFC 6527, mib-2.207) for every instance with at least one
 * virtual address, VRRPv2 ones included: vrrpv3OperationsTable,
 * vrrpv3AssociatedIpAddrTable, the global statistics and
 * vrrpv3StatisticsTable. The notifications are sent by ax_trap.c.
 *
 * Rows are indexed by (ifIndex, VRID, InetAddressType) as RFC 6527
 * section 7 says, rebuilt from ax_vrrp_model.c when an instance appears,
 * goes or changes interface; values are read at request time.
 *
 * Writable: vrrpv3OperationsPriority and vrrpv3OperationsPreemptMode,
 * through the command API (ax_vrrp_set.c); no row creation (noCreation).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alived/ev.h"
#include "alived/log.h"
#include "alived/vrrp_api.h"
#include "ax_int.h"

#define AX_MIB2_207		1, 3, 6, 1, 2, 1, 207
#define AX_VIPS_STACK		32
#define AX_REFRESH_RATE_MS	1000u	/* counters are read live */

/* vrrpv3OperationsEntry columns. */
enum ax_v3_col {
	AX_V3_VRID = 1,
	AX_V3_ADDR_TYPE,
	AX_V3_MASTER,
	AX_V3_PRIMARY,
	AX_V3_VMAC,
	AX_V3_STATUS,
	AX_V3_PRIORITY,
	AX_V3_ADDR_COUNT,
	AX_V3_ADV_INT,
	AX_V3_PREEMPT,
	AX_V3_ACCEPT,
	AX_V3_UP_TIME,
	AX_V3_ROW_STATUS,
	AX_V3__END,
};

/* vrrpv3StatisticsEntry columns. */
enum ax_v3s_col {
	AX_V3S_MASTER_TRANSITIONS = 1,
	AX_V3S_NEW_MASTER_REASON,
	AX_V3S_RCVD_ADVERTS,
	AX_V3S_ADV_INT_ERR,
	AX_V3S_TTL_ERR,
	AX_V3S_PROTO_ERR_REASON,
	AX_V3S_PRI0_RCVD,
	AX_V3S_PRI0_SENT,
	AX_V3S_INVALID_TYPE,
	AX_V3S_ADDR_LIST_ERR,
	AX_V3S_LENGTH_ERR,
	AX_V3S_DISCONTINUITY,
	AX_V3S_REFRESH_RATE,
	AX_V3S__END,
};

/* vrrpv3Statistics scalars. */
enum ax_v3_sc {
	AX_V3SC_CHECKSUM_ERR,
	AX_V3SC_VERSION_ERR,
	AX_V3SC_VRID_ERR,
	AX_V3SC_DISCONTINUITY,
	AX_V3SC__COUNT,
};

static const char *const ax_v3sc_name[] = {
	[AX_V3SC_CHECKSUM_ERR] = "vrrpv3RouterChecksumErrors",
	[AX_V3SC_VERSION_ERR] = "vrrpv3RouterVersionErrors",
	[AX_V3SC_VRID_ERR] = "vrrpv3RouterVrIdErrors",
	[AX_V3SC_DISCONTINUITY] = "vrrpv3GlobalStatisticsDiscontinuityTime",
};
_Static_assert(AX_ARRAY_SIZE(ax_v3sc_name) == AX_V3SC__COUNT, "ax_v3sc_name");

static const oid ax_mib_oid[] = { AX_MIB2_207 };
static const oid ax_stats_oid[] = { AX_MIB2_207, 1, 2 };
static const oid ax_ops_oid[] = { AX_MIB2_207, 1, 1, 1 };
static const oid ax_addr_oid[] = { AX_MIB2_207, 1, 1, 2 };
static const oid ax_st_oid[] = { AX_MIB2_207, 1, 2, 5 };

static struct {
	bool on;
	struct ax_table ops, addr, stats;
	netsnmp_handler_registration *sc[AX_V3SC__COUNT];
	uint64_t built_gen;
} R;

static bool ax_v3_lists(const struct ax_vr *v)
{
	return v->n_vips > 0 && v->ifindex > 0 && v->ifindex <= INT32_MAX &&
	       (v->family == AF_INET || v->family == AF_INET6);
}

/* ------------------------------------------------------------------ */
/* Rows */

static void ax_v3_add_vips(const struct ax_vr *v, const oid *key)
{
	struct vrrp_api_vip stack[AX_VIPS_STACK], *vips = stack;
	int n = vrrp_api_vips(v->id, stack, AX_VIPS_STACK);
	oid idx[3 + 17];

	if (n > AX_VIPS_STACK) {
		vips = calloc((size_t)n, sizeof(*vips));
		if (!vips)
			return;
		n = vrrp_api_vips(v->id, vips, (size_t)n);
	}
	memcpy(idx, key, 3 * sizeof(oid));
	for (int k = 0; k < n; k++) {
		size_t len;

		if (vips[k].excluded || vips[k].addr.family != v->family)
			continue;
		len = ax_idx_inet(idx + 3, &vips[k].addr);
		ax_table_add(&R.addr, idx, 3 + len, (void *)(uintptr_t)v->id);
	}
	if (vips != stack)
		free(vips);
}

static void ax_v3_refresh(void)
{
	const struct ax_vr *v;
	uint64_t gen = ax_vr_gen();
	size_t n;

	if (gen == R.built_gen)
		return;
	R.built_gen = gen;
	ax_table_clear(&R.ops);
	ax_table_clear(&R.addr);
	ax_table_clear(&R.stats);
	v = ax_vr_all(&n);
	for (size_t k = 0; k < n; k++) {
		/* InetAddressType: ipv4(1), ipv6(2) */
		oid key[3] = { (oid)v[k].ifindex, v[k].vrid, v[k].family == AF_INET6 ? 2 : 1 };

		if (!ax_v3_lists(&v[k]))
			continue;
		ax_table_add(&R.ops, key, 3, (void *)(uintptr_t)v[k].id);
		ax_table_add(&R.stats, key, 3, (void *)(uintptr_t)v[k].id);
		ax_v3_add_vips(&v[k], key);
	}
}

/* ------------------------------------------------------------------ */
/* vrrpv3OperationsTable */

static int ax_ops_value(netsnmp_variable_list *vb, unsigned col, const struct vrrp_api_info *in)
{
	/* RFC 5798 section 7.3: 00-00-5E-00-01-{VRID} (IPv4), 00-00-5E-00-02-{VRID} (IPv6) */
	uint8_t vmac[6] = { 0x00, 0x00, 0x5e, 0x00, in->family == AF_INET6 ? 0x02 : 0x01,
			    in->vrid };
	struct cfg_addr none = { .family = AF_UNSPEC };
	const struct ax_vr *v;
	uint64_t now;

	switch ((enum ax_v3_col)col) {
	case AX_V3_MASTER:
		if (in->state == VRRP_API_ST_MASTER)
			return ax_set_inet(vb, &in->src_addr);
		return ax_set_inet(vb, in->master_addr.family == in->family ? &in->master_addr :
									       &none);
	case AX_V3_PRIMARY:
		return ax_set_inet(vb, &in->src_addr);
	case AX_V3_VMAC:
		return ax_set_bytes(vb, vmac, sizeof(vmac));
	case AX_V3_STATUS:
		return ax_set_int(vb, in->maintenance ? 1 : ax_vr_status(in->state));
	case AX_V3_PRIORITY:
		return ax_set_uint(vb, in->base_priority);
	case AX_V3_ADDR_COUNT:
		return ax_set_int(vb, in->n_vips > 255 ? 255 : in->n_vips);
	case AX_V3_ADV_INT:
		return ax_set_int(vb, in->advert_int_cs);	/* TimeInterval: centiseconds */
	case AX_V3_PREEMPT:
		return ax_set_int(vb, ax_bool(in->preempt));
	case AX_V3_ACCEPT:
		return ax_set_int(vb, ax_bool(in->accept));
	case AX_V3_UP_TIME:
		/* A duration here (RFC 6527), not a TimeStamp as in RFC 2787. */
		v = ax_vr_get(in->id);
		now = ev_now_us(ax_loop());
		return ax_set_ticks(vb, v && v->up_us && v->up_us <= now ?
				    (uint32_t)((now - v->up_us) / 10000u) : 0);
	case AX_V3_ROW_STATUS:
		return ax_set_int(vb, 1);	/* active */
	case AX_V3_VRID:
	case AX_V3_ADDR_TYPE:
	case AX_V3__END:
		break;
	}
	return -1;
}

static void ax_ops_set(netsnmp_agent_request_info *ri, netsnmp_request_info *r)
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
	case AX_V3_PRIORITY:
		ax_vrrp_set(ri, r, id, col, AX_VATTR_PRIORITY, ASN_UNSIGNED);
		break;
	case AX_V3_PREEMPT:
		ax_vrrp_set(ri, r, id, col, AX_VATTR_PREEMPT, ASN_INTEGER);
		break;
	default:
		if (ri->mode == MODE_SET_RESERVE1)
			netsnmp_set_request_error(ri, r, id ? SNMP_ERR_NOTWRITABLE :
							      SNMP_ERR_NOCREATION);
		break;
	}
}

static int ax_ops_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
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
			ax_ops_set(ri, r);
			continue;
		}
		ti = netsnmp_extract_table_info(r);
		id = (uint32_t)(uintptr_t)netsnmp_tdata_extract_entry(r);
		if (id && id != cached)
			cached = vrrp_api_get(id, &in) == 0 ? id : 0;
		if (!ti || !id || id != cached || ax_ops_value(r->requestvb, ti->colnum, &in) != 0)
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

/* vrrpv3AssociatedIpAddrTable: one column, its RowStatus, active(1). */
static int ax_addr_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
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
/* vrrpv3StatisticsTable and the global statistics */

static int ax_st_value(netsnmp_variable_list *vb, unsigned col, const struct vrrp_api_stats *s)
{
	switch ((enum ax_v3s_col)col) {
	case AX_V3S_MASTER_TRANSITIONS:
		return ax_set_counter(vb, s->master_transitions);
	case AX_V3S_NEW_MASTER_REASON:
		return ax_set_int(vb, s->new_master_reason);
	case AX_V3S_RCVD_ADVERTS:
		return ax_set_counter64(vb, s->adverts_rcvd);
	case AX_V3S_ADV_INT_ERR:
		return ax_set_counter64(vb, s->adv_interval_errors);
	case AX_V3S_TTL_ERR:
		return ax_set_counter64(vb, s->ttl_errors);
	case AX_V3S_PROTO_ERR_REASON:
		return ax_set_int(vb, s->proto_err_reason);
	case AX_V3S_PRI0_RCVD:
		return ax_set_counter64(vb, s->pri_zero_rcvd);
	case AX_V3S_PRI0_SENT:
		return ax_set_counter64(vb, s->pri_zero_sent);
	case AX_V3S_INVALID_TYPE:
		return ax_set_counter64(vb, s->invalid_type_rcvd);
	case AX_V3S_ADDR_LIST_ERR:
		return ax_set_counter64(vb, s->addr_list_errors);
	case AX_V3S_LENGTH_ERR:
		return ax_set_counter64(vb, s->packet_length_errors);
	case AX_V3S_DISCONTINUITY:
		return ax_set_ticks(vb, ax_timestamp(s->discontinuity_us));
	case AX_V3S_REFRESH_RATE:
		return ax_set_uint(vb, AX_REFRESH_RATE_MS);
	case AX_V3S__END:
		break;
	}
	return -1;
}

static int ax_st_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
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
		if (!ti || !id || id != cached || ax_st_value(r->requestvb, ti->colnum, &in.stats))
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

static int ax_v3sc_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			   netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	enum ax_v3_sc which = (enum ax_v3_sc)(uintptr_t)handler->myvoid;
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
		case AX_V3SC_CHECKSUM_ERR:
			ax_set_counter64(r->requestvb, g.checksum_errors);
			break;
		case AX_V3SC_VERSION_ERR:
			ax_set_counter64(r->requestvb, g.version_errors);
			break;
		case AX_V3SC_VRID_ERR:
			ax_set_counter64(r->requestvb, g.vrid_errors);
			break;
		case AX_V3SC_DISCONTINUITY:
			ax_set_ticks(r->requestvb, ax_timestamp(g.discontinuity_us));
			break;
		case AX_V3SC__COUNT:
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------------ */

/* ifIndex, VrId, InetAddressType [, InetAddress] */
static const u_char ax_idx_ops[] = { ASN_INTEGER, ASN_INTEGER, ASN_INTEGER };
static const u_char ax_idx_addr[] = { ASN_INTEGER, ASN_INTEGER, ASN_INTEGER, ASN_OCTET_STR };

static const struct ax_table_def ax_ops_def = {
	.name = "vrrpv3OperationsTable", .oid = ax_ops_oid, .oid_len = AX_ARRAY_SIZE(ax_ops_oid),
	.idx = ax_idx_ops, .n_idx = 3, .min_col = AX_V3_MASTER, .max_col = AX_V3__END - 1,
	.handler = ax_ops_handler, .writable = true, .refresh = ax_v3_refresh,
};
static const struct ax_table_def ax_addr_def = {
	.name = "vrrpv3AssociatedIpAddrTable", .oid = ax_addr_oid,
	.oid_len = AX_ARRAY_SIZE(ax_addr_oid), .idx = ax_idx_addr, .n_idx = 4,
	.min_col = 2, .max_col = 2, .handler = ax_addr_handler, .refresh = ax_v3_refresh,
};
static const struct ax_table_def ax_st_def = {
	.name = "vrrpv3StatisticsTable", .oid = ax_st_oid, .oid_len = AX_ARRAY_SIZE(ax_st_oid),
	.idx = ax_idx_ops, .n_idx = 3, .min_col = AX_V3S_MASTER_TRANSITIONS,
	.max_col = AX_V3S__END - 1, .handler = ax_st_handler, .refresh = ax_v3_refresh,
};

int ax_rfc6527_init(void)
{
	int r;

	if (R.on)
		return 0;
	ax_vr_init();
	R.on = true;
	for (size_t k = 0; k < AX_V3SC__COUNT; k++) {
		R.sc[k] = ax_scalar_register(ax_v3sc_name[k], ax_stats_oid,
					     AX_ARRAY_SIZE(ax_stats_oid), (oid)k + 1,
					     ax_v3sc_handler, (void *)(uintptr_t)k);
		if (!R.sc[k])
			log_warn("AgentX: cannot register %s", ax_v3sc_name[k]);
	}
	r = ax_table_init(&R.ops, &ax_ops_def);
	if (r == 0)
		r = ax_table_init(&R.addr, &ax_addr_def);
	if (r == 0)
		r = ax_table_init(&R.stats, &ax_st_def);
	if (r < 0) {
		log_warn("AgentX: cannot register the tables of VRRPV3-MIB");
		ax_rfc6527_shutdown();
		return r;
	}
	return ax_subtree_add(ax_mib_oid, AX_ARRAY_SIZE(ax_mib_oid), AX_PRIO_DEFAULT);
}

void ax_rfc6527_reload(void)
{
	/* Rows follow the engine's events (ax_vrrp_model.c). */
}

void ax_rfc6527_shutdown(void)
{
	if (!R.on)
		return;
	ax_subtree_del(ax_mib_oid, AX_ARRAY_SIZE(ax_mib_oid));
	for (size_t k = 0; k < AX_V3SC__COUNT; k++)
		if (R.sc[k])
			netsnmp_unregister_handler(R.sc[k]);
	ax_table_fini(&R.ops);
	ax_table_fini(&R.addr);
	ax_table_fini(&R.stats);
	ax_vr_shutdown();
	memset(&R, 0, sizeof(R));
}
