// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the MIB files of agent/ share: tables kept in net-snmp's tdata
 * helper, read-only scalars, value setters, and the plumbing of SETs.
 *
 * tdata (STYLE.md 1.5) keeps the rows in a container sorted by their
 * index OID, so a GET or a GETNEXT is a binary search and a walk of n
 * rows costs O(n log n), where the iterator helper would cost O(n^2).
 * Rows are created here with their index OID built by the caller, which
 * is simpler than index varbinds for the RFC tables' composite indexes
 * (ifIndex, VRID, address type, address).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alived/config.h"
#include "alived/ev.h"
#include "alived/xalloc.h"
#include "ax_int.h"

#define AX_SET_KEY "alived_set"

/* ------------------------------------------------------------------ */
/* Tables */

/* Runs before the table and tdata helpers: rebuilds rows when needed. */
static int ax_refresh_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			      netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	struct ax_table *t = handler->myvoid;

	(void)reg;
	(void)requests;
	switch (ri->mode) {
	case MODE_GET:
	case MODE_GETNEXT:
	case MODE_GETBULK:
	case MODE_SET_RESERVE1:
		if (t->refresh)
			t->refresh();
		break;
	default:
		break;
	}
	return SNMP_ERR_NOERROR;	/* MIB_HANDLER_AUTO_NEXT: the chain goes on */
}

int ax_table_init(struct ax_table *t, const struct ax_table_def *d)
{
	netsnmp_table_registration_info *ti;
	netsnmp_mib_handler *rh;

	memset(t, 0, sizeof(*t));
	t->refresh = d->refresh;
	t->td = netsnmp_tdata_create_table(d->name, 0);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (!t->td || !ti) {
		free(ti);
		return -ENOMEM;
	}
	for (size_t k = 0; k < d->n_idx; k++)
		netsnmp_table_helper_add_index(ti, d->idx[k]);
	ti->min_column = d->min_col;
	ti->max_column = d->max_col;
	/* Gaps (columns not served): GETNEXT skips them without asking us. */
	for (size_t k = d->n_cols; k-- > 0;) {
		netsnmp_column_info *ci = xcalloc(1, sizeof(*ci));

		ci->isRange = 1;
		ci->details.range[0] = d->cols[k][0];
		ci->details.range[1] = d->cols[k][1];
		ci->next = t->cols;
		t->cols = ci;
	}
	ti->valid_columns = t->cols;
	t->ti = ti;
	t->reg = netsnmp_create_handler_registration(d->name, d->handler, d->oid, d->oid_len,
						     d->writable ? HANDLER_CAN_RWRITE :
								   HANDLER_CAN_RONLY);
	if (!t->reg || netsnmp_tdata_register(t->reg, t->td, ti) != MIB_REGISTERED_OK) {
		t->reg = NULL;	/* freed by the failed registration */
		return -EIO;
	}
	if (d->refresh) {
		rh = netsnmp_create_handler("alived_refresh", ax_refresh_handler);
		if (!rh)
			return -ENOMEM;
		rh->myvoid = t;
		rh->flags |= MIB_HANDLER_AUTO_NEXT;
		if (netsnmp_inject_handler(t->reg, rh) != SNMPERR_SUCCESS) {
			netsnmp_handler_free(rh);
			return -EIO;
		}
	}
	return 0;
}

void ax_table_fini(struct ax_table *t)
{
	if (t->reg)
		netsnmp_unregister_handler(t->reg);
	if (t->ti) {
		t->ti->valid_columns = NULL;	/* ours */
		netsnmp_table_registration_info_free(t->ti);
	}
	while (t->cols) {
		netsnmp_column_info *next = t->cols->next;

		free(t->cols);
		t->cols = next;
	}
	if (t->td) {
		ax_table_clear(t);
		netsnmp_tdata_delete_table(t->td);
	}
	memset(t, 0, sizeof(*t));
}

netsnmp_tdata_row *ax_table_find(struct ax_table *t, const oid *idx, size_t n)
{
	if (!t->td)
		return NULL;
	return netsnmp_tdata_row_get_byoid(t->td, (oid *)idx, n);
}

netsnmp_tdata_row *ax_table_add(struct ax_table *t, const oid *idx, size_t n, void *data)
{
	netsnmp_tdata_row *row;

	if (!t->td || n == 0 || n > MAX_OID_LEN || ax_table_find(t, idx, n))
		return NULL;
	row = netsnmp_tdata_create_row();
	if (!row)
		return NULL;
	row->oid_index.oids = malloc(n * sizeof(oid));	/* freed by net-snmp with the row */
	if (!row->oid_index.oids) {
		netsnmp_tdata_delete_row(row);
		return NULL;
	}
	memcpy(row->oid_index.oids, idx, n * sizeof(oid));
	row->oid_index.len = n;
	row->data = data;
	if (netsnmp_tdata_add_row(t->td, row) != SNMPERR_SUCCESS) {
		netsnmp_tdata_delete_row(row);
		return NULL;
	}
	return row;
}

void ax_table_del(struct ax_table *t, netsnmp_tdata_row *row)
{
	if (t->td && row)
		netsnmp_tdata_remove_and_delete_row(t->td, row);
}

void ax_table_clear(struct ax_table *t)
{
	netsnmp_tdata_row *row;

	if (!t->td)
		return;
	while ((row = netsnmp_tdata_row_first(t->td)))
		netsnmp_tdata_remove_and_delete_row(t->td, row);
}

size_t ax_table_rows(const struct ax_table *t)
{
	return t->td ? CONTAINER_SIZE(t->td->container) : 0;
}

netsnmp_handler_registration *ax_scalar_register(const char *name, const oid *base,
						 size_t base_len, oid sub,
						 Netsnmp_Node_Handler *h, void *myvoid)
{
	oid o[MAX_OID_LEN];
	netsnmp_handler_registration *reg;

	if (base_len + 1 > MAX_OID_LEN)
		return NULL;
	memcpy(o, base, base_len * sizeof(oid));
	o[base_len] = sub;
	reg = netsnmp_create_handler_registration(name, h, o, base_len + 1, HANDLER_CAN_RONLY);
	if (!reg)
		return NULL;
	reg->handler->myvoid = myvoid;
	if (netsnmp_register_read_only_scalar(reg) != MIB_REGISTERED_OK)
		return NULL;	/* freed by the failed registration */
	return reg;
}

/* ------------------------------------------------------------------ */
/* Values */

int ax_set_counter(netsnmp_variable_list *vb, uint64_t v)
{
	u_long c = (u_long)(v & 0xffffffffu);	/* Counter32 wraps (RFC 2578 section 7.1.6) */

	return snmp_set_var_typed_value(vb, ASN_COUNTER, &c, sizeof(c));
}

int ax_set_counter64(netsnmp_variable_list *vb, uint64_t v)
{
	struct counter64 c = { .high = (u_long)(v >> 32), .low = (u_long)(v & 0xffffffffu) };

	return snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof(c));
}

int ax_set_ticks(netsnmp_variable_list *vb, uint32_t cs)
{
	u_long t = cs;

	return snmp_set_var_typed_value(vb, ASN_TIMETICKS, &t, sizeof(t));
}

int ax_set_ipaddr(netsnmp_variable_list *vb, const struct cfg_addr *a)
{
	static const uint8_t zero[4];

	if (a && a->family == AF_INET)
		return snmp_set_var_typed_value(vb, ASN_IPADDRESS, &a->u.v4, 4);
	return snmp_set_var_typed_value(vb, ASN_IPADDRESS, zero, 4);
}

int ax_set_bytes(netsnmp_variable_list *vb, const void *p, size_t n)
{
	return snmp_set_var_typed_value(vb, ASN_OCTET_STR, p, n);
}

uint32_t ax_timestamp(uint64_t mono_us)
{
	uint64_t now = ev_now_us(ax_loop()), age_cs, up_cs = netsnmp_get_agent_uptime();

	if (mono_us == 0 || mono_us > now)
		return mono_us ? (uint32_t)up_cs : 0;
	age_cs = (now - mono_us) / 10000u;
	return up_cs > age_cs ? (uint32_t)(up_cs - age_cs) : 0;
}

size_t ax_idx_ipaddr(oid *out, const struct cfg_addr *a)
{
	const uint8_t *b = (const uint8_t *)&a->u.v4;

	for (size_t k = 0; k < 4; k++)
		out[k] = a->family == AF_INET ? b[k] : 0;
	return 4;
}

size_t ax_idx_inet(oid *out, const struct cfg_addr *a)
{
	const uint8_t *b = a->family == AF_INET6 ? (const uint8_t *)&a->u.v6 :
						   (const uint8_t *)&a->u.v4;
	size_t n = a->family == AF_INET6 ? 16 : a->family == AF_INET ? 4 : 0;

	out[0] = n;	/* not IMPLIED: the length first (RFC 2578 section 7.7) */
	for (size_t k = 0; k < n; k++)
		out[k + 1] = b[k];
	return n + 1;
}

/* ------------------------------------------------------------------ */
/* SET plumbing */

struct ax_set_ctx *ax_set_keep(netsnmp_request_info *r)
{
	struct ax_set_ctx *c = ax_set_kept(r);

	if (c)
		return c;
	c = xcalloc(1, sizeof(*c));
	/* Freed with the request, after the last phase (COMMIT, FREE or UNDO). */
	netsnmp_request_add_list_data(r, netsnmp_create_data_list(AX_SET_KEY, c, free));
	return c;
}

struct ax_set_ctx *ax_set_kept(netsnmp_request_info *r)
{
	return netsnmp_request_get_list_data(r, AX_SET_KEY);
}

/* DESIGN.md 2.1: one mapping of the command API's errors, SNMP side. */
static const struct {
	int err;
	int snmp;
} ax_err_map[] = {
	{ EINVAL, SNMP_ERR_WRONGVALUE },
	{ ERANGE, SNMP_ERR_WRONGVALUE },
	{ ENOENT, SNMP_ERR_NOCREATION },
	{ EPERM, SNMP_ERR_NOACCESS },
	{ EAGAIN, SNMP_ERR_INCONSISTENTVALUE },
	{ EBUSY, SNMP_ERR_RESOURCEUNAVAILABLE },
	{ ESRCH, SNMP_ERR_RESOURCEUNAVAILABLE },
};

int ax_snmp_err(int err)
{
	if (err >= 0)
		return SNMP_ERR_NOERROR;
	for (size_t k = 0; k < AX_ARRAY_SIZE(ax_err_map); k++)
		if (ax_err_map[k].err == -err)
			return ax_err_map[k].snmp;
	return SNMP_ERR_GENERR;
}

int ax_check_int(const netsnmp_variable_list *vb, u_char type, long lo, long hi)
{
	long v;

	if (vb->type != type || vb->val_len != sizeof(long) || !vb->val.integer)
		return type == vb->type ? SNMP_ERR_WRONGLENGTH : SNMP_ERR_WRONGTYPE;
	v = *vb->val.integer;
	if (type == ASN_UNSIGNED)
		v = (long)(*(const u_long *)vb->val.integer & 0xffffffffu);
	if (v < lo || v > hi)
		return SNMP_ERR_WRONGVALUE;
	return SNMP_ERR_NOERROR;
}
