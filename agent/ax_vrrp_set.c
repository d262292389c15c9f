// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The writable VRRP columns, whichever MIB they are in:
 *
 *   base priority  vrrpInstanceBasePriority (ALIVED-MIB, Integer32),
 *                  vrrpOperPriority (RFC 2787, Integer32 0..255),
 *                  vrrpv3OperationsPriority (RFC 6527, Unsigned32 0..255)
 *   preempt        vrrpInstancePreempt (preempt(1), noPreempt(2)),
 *                  vrrpOperPreemptMode, vrrpv3OperationsPreemptMode (TruthValue)
 *   admin state    vrrpOperAdminState: up(1), down(2) = maintenance
 *
 * all through the command API that D-Bus uses too (vrrp_api.h). The SET
 * phases (RFC 2741 section 7.2.4, net-snmp's modes): RESERVE1 checks the
 * type, the range and that the row exists (no row: noCreation, row
 * creation is not supported), and that the engine will take the value;
 * ACTION notes the current value and calls the command; UNDO calls it
 * again with the old value; COMMIT and FREE have nothing to do.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <string.h>

#include "alived/cfg_vrrp.h"
#include "alived/log.h"
#include "alived/vrrp_api.h"
#include "ax_int.h"

#define AX_PRIO_OWNER 255	/* RFC 5798 section 5.2.4 */

static const struct cmd_origin ax_origin = {
	.kind = CMD_ORIGIN_SNMP,
	.uid = (uid_t)-1,
	.who = NULL,
};

/* The current value of attr, in the column's encoding. */
static long ax_vattr_get(const struct vrrp_api_info *in, enum ax_vattr attr)
{
	switch (attr) {
	case AX_VATTR_PRIORITY:
		return in->base_priority;
	case AX_VATTR_PREEMPT:
		return in->preempt ? 1 : 2;
	case AX_VATTR_ADMIN:
		return in->maintenance ? 2 : 1;
	case AX_VATTR__COUNT:
		break;
	}
	return 0;
}

static int ax_vattr_cmd(uint32_t id, enum ax_vattr attr, long v)
{
	switch (attr) {
	case AX_VATTR_PRIORITY:
		return vrrp_cmd_set_priority(id, (unsigned)v, &ax_origin);
	case AX_VATTR_PREEMPT:
		return vrrp_cmd_set_preempt(id, v == 1, &ax_origin);
	case AX_VATTR_ADMIN:
		return vrrp_cmd_set_maintenance(id, v == 2, &ax_origin);
	case AX_VATTR__COUNT:
		break;
	}
	return -EINVAL;
}

/*
 * What the engine would refuse, found before any change is made: a
 * priority of 0 (it means "leaving", RFC 5798 section 5.2.4), and 255
 * unless the instance is the address owner (an owner keeps 255).
 */
static int ax_vattr_check(const struct vrrp_api_info *in, enum ax_vattr attr, long v)
{
	const struct cfg_vrrp_inst *c;

	if (attr != AX_VATTR_PRIORITY)
		return SNMP_ERR_NOERROR;
	if (v < 1 || v > AX_PRIO_OWNER)
		return SNMP_ERR_WRONGVALUE;
	c = ax_vrrp_cfg(in->name);
	if (c && (v == AX_PRIO_OWNER) != (c->priority == AX_PRIO_OWNER))
		return SNMP_ERR_WRONGVALUE;
	return SNMP_ERR_NOERROR;
}

static void ax_vrrp_reserve(netsnmp_agent_request_info *ri, netsnmp_request_info *r,
			    uint32_t id, unsigned col, enum ax_vattr attr, u_char asn_type)
{
	struct vrrp_api_info in;
	struct ax_set_ctx *c;
	long lo = 1, hi = 2;
	int err;

	if (attr == AX_VATTR_PRIORITY) {
		lo = asn_type == ASN_UNSIGNED ? 0 : INT32_MIN;
		hi = asn_type == ASN_UNSIGNED ? AX_PRIO_OWNER : INT32_MAX;
	}
	err = ax_check_int(r->requestvb, asn_type, lo, hi);
	if (err == SNMP_ERR_NOERROR && (id == 0 || vrrp_api_get(id, &in) < 0))
		err = SNMP_ERR_NOCREATION;
	if (err == SNMP_ERR_NOERROR)
		err = ax_vattr_check(&in, attr, *r->requestvb->val.integer);
	if (err != SNMP_ERR_NOERROR) {
		netsnmp_set_request_error(ri, r, err);
		return;
	}
	c = ax_set_keep(r);
	c->id = id;
	c->col = col;
	c->value = *r->requestvb->val.integer;
}

void ax_vrrp_set(netsnmp_agent_request_info *ri, netsnmp_request_info *r, uint32_t id,
		 unsigned col, enum ax_vattr attr, u_char asn_type)
{
	struct vrrp_api_info in;
	struct ax_set_ctx *c;
	int err;

	if (ri->mode == MODE_SET_RESERVE1) {
		ax_vrrp_reserve(ri, r, id, col, attr, asn_type);
		return;
	}
	c = ax_set_kept(r);
	if (!c)
		return;
	switch (ri->mode) {
	case MODE_SET_ACTION:
		if (vrrp_api_get(c->id, &in) < 0) {
			netsnmp_set_request_error(ri, r, SNMP_ERR_COMMITFAILED);
			return;
		}
		c->old = ax_vattr_get(&in, attr);
		err = ax_vattr_cmd(c->id, attr, c->value);
		if (err < 0) {
			log_warn("SNMP SET on %s refused: %s", in.name, strerror(-err));
			netsnmp_set_request_error(ri, r, ax_snmp_err(err));
			return;
		}
		c->done = true;
		break;
	case MODE_SET_UNDO:
		if (c->done && ax_vattr_cmd(c->id, attr, c->old) == 0)
			c->done = false;
		else if (c->done)
			netsnmp_set_request_error(ri, r, SNMP_ERR_UNDOFAILED);
		break;
	default:	/* RESERVE2, COMMIT, FREE */
		break;
	}
}
