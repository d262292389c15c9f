// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notifications of the VRRP process, as an observer of the engine, handed
 * to the bounded queue of ax_notify.c:
 *
 *  - vrrpInstanceStateChange (ALIVED-MIB .2.10.0.2) on each state change:
 *    vrrpInstanceName.i, vrrpInstanceState.i, vrrpInstanceInitialState.i,
 *    routerId.0 (keepalived sends bare column OIDs, which an NMS cannot
 *    tie to a row; ours carry the instance's index), and
 *    vrrpSyncGroupStateChange (.2.10.0.1) when that changes its group's
 *    state (ax_alived_track.c);
 *  - with VRRP-MIB on, for an instance it lists: vrrpTrapNewMaster
 *    (mib-2.68.0.1: vrrpOperMasterIpAddr) when it becomes master, and
 *    vrrpTrapAuthFailure (.0.2: vrrpTrapPacketSrc, vrrpTrapAuthErrorType)
 *    for an advert refused by authentication (RFC 2787 section 7);
 *  - with VRRPV3-MIB on: vrrpv3NewMaster (mib-2.207.0.1:
 *    vrrpv3OperationsMasterIpAddr, vrrpv3StatisticsNewMasterReason) and
 *    vrrpv3ProtoError (.0.2: vrrpv3StatisticsProtoErrReason), RFC 6527
 *    section 8. The engine rate-limits protocol errors per instance and
 *    reason, so a flood of bad packets cannot flood the queue.
 *
 * The checker's notifications are in ax_alived_check.c.
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

#define AX_MIB2_68	1, 3, 6, 1, 2, 1, 68
#define AX_MIB2_207	1, 3, 6, 1, 2, 1, 207

static const oid ax_inst_state_change[] = { AX_ALIVED_OID, 2, 10, 0, 2 };
static const oid ax_v2_new_master[] = { AX_MIB2_68, 0, 1 };
static const oid ax_v2_auth_failure[] = { AX_MIB2_68, 0, 2 };
static const oid ax_v3_new_master[] = { AX_MIB2_207, 0, 1 };
static const oid ax_v3_proto_error[] = { AX_MIB2_207, 0, 2 };

/* Keys of the queue's coalescing: the notification type in the high bits. */
enum ax_tkey {
	AX_TKEY_INST = 0,
	AX_TKEY_V2_MASTER = 2,
	AX_TKEY_V2_AUTH,
	AX_TKEY_V3_MASTER,
	AX_TKEY_V3_PROTO,
};

static struct {
	uint64_t sub;
	bool on;
} T;

void ax_vb_add_idx(netsnmp_variable_list **vars, const oid *col, size_t col_len,
		   const oid *idx, size_t n, u_char type, const void *val, size_t len)
{
	oid name[MAX_OID_LEN];

	if (col_len + n > MAX_OID_LEN)
		return;
	memcpy(name, col, col_len * sizeof(oid));
	memcpy(name + col_len, idx, n * sizeof(oid));
	snmp_varlist_add_variable(vars, name, col_len + n, type, val, len);
}

void ax_vb_add(netsnmp_variable_list **vars, const oid *col, size_t col_len, uint32_t index,
	       u_char type, const void *val, size_t len)
{
	oid idx = index;

	ax_vb_add_idx(vars, col, col_len, &idx, 1, type, val, len);
}

void ax_vb_router_id(netsnmp_variable_list **vars)
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

static void ax_trap_inst_state(const struct vrrp_evt_info *e)
{
	static const oid name_col[] = { AX_ALIVED_OID, 2, 3, 1, 2 };
	static const oid state_col[] = { AX_ALIVED_OID, 2, 3, 1, 4 };
	static const oid init_col[] = { AX_ALIVED_OID, 2, 3, 1, 5 };
	netsnmp_variable_list *vars = NULL;
	long state, initial;

	state = ax_vrrp_state(e->new_state);
	initial = ax_initial_state(e->name);
	ax_vb_add(&vars, name_col, AX_ARRAY_SIZE(name_col), e->id, ASN_OCTET_STR, e->name,
		  e->name ? strnlen(e->name, 255) : 0);
	ax_vb_add(&vars, state_col, AX_ARRAY_SIZE(state_col), e->id, ASN_INTEGER, &state,
		  sizeof(state));
	ax_vb_add(&vars, init_col, AX_ARRAY_SIZE(init_col), e->id, ASN_INTEGER, &initial,
		  sizeof(initial));
	ax_vb_router_id(&vars);
	ax_notify(ax_inst_state_change, AX_ARRAY_SIZE(ax_inst_state_change), vars,
		  ((uint64_t)AX_TKEY_INST << 32) | e->id);
}

/* The RFC tables' index of an instance: ifIndex, VRID, InetAddressType. */
static bool ax_rfc_key(const struct vrrp_api_info *in, bool v2, oid *ret)
{
	if (in->ifindex <= 0 || in->n_vips == 0)
		return false;
	if (v2 && (in->version != 2 || in->family != AF_INET))
		return false;
	ret[0] = (oid)in->ifindex;
	ret[1] = in->vrid;
	ret[2] = in->family == AF_INET6 ? 2 : 1;
	return true;
}

static void ax_trap_new_master(const struct vrrp_api_info *in)
{
	static const oid v2_master[] = { AX_MIB2_68, 1, 3, 1, 7 };	/* vrrpOperMasterIpAddr */
	static const oid v3_master[] = { AX_MIB2_207, 1, 1, 1, 1, 3 };
	static const oid v3_reason[] = { AX_MIB2_207, 1, 2, 5, 1, 2 };
	netsnmp_variable_list *vars = NULL;
	const struct cfg_addr *a = &in->src_addr;
	long reason = in->stats.new_master_reason;
	oid key[3];

	if (ax_part_on(AX_PART_RFCV2) && ax_rfc_key(in, true, key)) {
		static const uint8_t zero[4];

		ax_vb_add_idx(&vars, v2_master, AX_ARRAY_SIZE(v2_master), key, 2, ASN_IPADDRESS,
			      a->family == AF_INET ? (const void *)&a->u.v4 : zero, 4);
		ax_notify(ax_v2_new_master, AX_ARRAY_SIZE(ax_v2_new_master), vars,
			  ((uint64_t)AX_TKEY_V2_MASTER << 32) | in->id);
		vars = NULL;
	}
	if (ax_part_on(AX_PART_RFCV3) && ax_rfc_key(in, false, key)) {
		size_t alen = a->family == in->family ? (a->family == AF_INET6 ? 16 : 4) : 0;

		ax_vb_add_idx(&vars, v3_master, AX_ARRAY_SIZE(v3_master), key, 3, ASN_OCTET_STR,
			      &a->u, alen);
		ax_vb_add_idx(&vars, v3_reason, AX_ARRAY_SIZE(v3_reason), key, 3, ASN_INTEGER,
			      &reason, sizeof(reason));
		ax_notify(ax_v3_new_master, AX_ARRAY_SIZE(ax_v3_new_master), vars,
			  ((uint64_t)AX_TKEY_V3_MASTER << 32) | in->id);
	}
}

static void ax_trap_proto_error(const struct vrrp_evt_info *e, const struct vrrp_api_info *in)
{
	static const oid pkt_src[] = { AX_MIB2_68, 1, 5 };	/* vrrpTrapPacketSrc */
	static const oid auth_type[] = { AX_MIB2_68, 1, 6 };	/* vrrpTrapAuthErrorType */
	static const oid v3_reason[] = { AX_MIB2_207, 1, 2, 5, 1, 6 };
	netsnmp_variable_list *vars = NULL;
	long v;
	oid key[3];

	if (e->auth_err && ax_part_on(AX_PART_RFCV2) && ax_rfc_key(in, true, key)) {
		static const uint8_t zero[4];

		ax_vb_add(&vars, pkt_src, AX_ARRAY_SIZE(pkt_src), 0, ASN_IPADDRESS,
			  e->pkt_src.family == AF_INET ? (const void *)&e->pkt_src.u.v4 : zero, 4);
		v = e->auth_err;
		ax_vb_add(&vars, auth_type, AX_ARRAY_SIZE(auth_type), 0, ASN_INTEGER, &v,
			  sizeof(v));
		ax_notify(ax_v2_auth_failure, AX_ARRAY_SIZE(ax_v2_auth_failure), vars,
			  ((uint64_t)AX_TKEY_V2_AUTH << 32) | in->id);
		vars = NULL;
	}
	if (e->proto_err && ax_part_on(AX_PART_RFCV3) && ax_rfc_key(in, false, key)) {
		v = e->proto_err;
		ax_vb_add_idx(&vars, v3_reason, AX_ARRAY_SIZE(v3_reason), key, 3, ASN_INTEGER, &v,
			      sizeof(v));
		ax_notify(ax_v3_proto_error, AX_ARRAY_SIZE(ax_v3_proto_error), vars,
			  ((uint64_t)AX_TKEY_V3_PROTO << 32) | in->id);
	}
}

static void ax_trap_evt(const struct vrrp_evt_info *e, void *ud)
{
	struct vrrp_api_info in;
	bool rfc = ax_part_on(AX_PART_RFCV2) || ax_part_on(AX_PART_RFCV3);

	(void)ud;
	if (e->id == 0 || e->id > INT32_MAX)
		return;
	switch (e->evt) {
	case VRRP_EVT_STATE:
		ax_trap_inst_state(e);
		ax_sync_notify(e->name);
		if (rfc && e->new_state == VRRP_API_ST_MASTER &&
		    e->old_state != VRRP_API_ST_MASTER && vrrp_api_get(e->id, &in) == 0)
			ax_trap_new_master(&in);
		break;
	case VRRP_EVT_PROTO_ERROR:
		if (rfc && vrrp_api_get(e->id, &in) == 0)
			ax_trap_proto_error(e, &in);
		break;
	default:
		break;
	}
}

void ax_trap_enable(bool on)
{
	if (on == T.on)
		return;
	if (ax_role() == AX_ROLE_CHECK) {
		ax_check_trap_enable(on);
	} else if (on) {
		T.sub = vrrp_api_subscribe(VRRP_EVT_BIT(VRRP_EVT_STATE) |
					   VRRP_EVT_BIT(VRRP_EVT_PROTO_ERROR), ax_trap_evt, NULL);
	} else if (T.sub) {
		vrrp_api_unsubscribe(T.sub);
		ax_sync_notify_release();
		if (!ax_part_on(AX_PART_VRRP) && !ax_part_on(AX_PART_RFCV2) &&
		    !ax_part_on(AX_PART_RFCV3))
			ax_vrrp_cfg_release();	/* used by the notifications only */
	}
	if (!on)
		T.sub = 0;
	T.on = on;
}
