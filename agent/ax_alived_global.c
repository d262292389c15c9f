// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ALIVED-MIB global (enterprises.9586.100.5.1): the process-wide scalars
 * and emailTable, read from the configuration at request time.
 *
 * Both children serve it; the AgentX priorities (ax_int.h) make snmpd
 * answer from the checker when it runs, from the VRRP child otherwise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alived/cfg_global.h"
#include "alived/config.h"
#include "alived/log.h"
#include "ax_int.h"

enum ax_gs {
	AX_GS_VERSION,
	AX_GS_ROUTER_ID,
	AX_GS_SMTP_ADDR_TYPE,
	AX_GS_SMTP_ADDR,
	AX_GS_SMTP_TIMEOUT,
	AX_GS_EMAIL_FROM,
	AX_GS_SMTP_PORT,
	AX_GS_EMAIL_FAULTS,
	AX_GS_SMTP_ALERT,
	AX_GS_SMTP_ALERT_VRRP,
	AX_GS_SMTP_ALERT_CHECKER,
	AX_GS_TRAP_ENABLE,
	AX_GS_LINKBEAT,
	AX_GS_LVS_FLUSH,
	AX_GS_IPVS64,
	AX_GS_NETNS,
	AX_GS_DBUS,
	AX_GS_DYN_IFS,
	AX_GS_LVS_FLUSH_ON_STOP,
	AX_GS__COUNT,
};

/* Name and OID under global(1) of each scalar (ALIVED-MIB). */
static const struct {
	const char *name;
	oid sub[2];
	size_t n;
} ax_gs_def[] = {
	[AX_GS_VERSION] = { "version", { 1 }, 1 },
	[AX_GS_ROUTER_ID] = { "routerId", { 2 }, 1 },
	[AX_GS_SMTP_ADDR_TYPE] = { "smtpServerAddressType", { 3, 1 }, 2 },
	[AX_GS_SMTP_ADDR] = { "smtpServerAddress", { 3, 2 }, 2 },
	[AX_GS_SMTP_TIMEOUT] = { "smtpServerTimeout", { 3, 3 }, 2 },
	[AX_GS_EMAIL_FROM] = { "emailFrom", { 3, 4 }, 2 },
	[AX_GS_SMTP_PORT] = { "smtpServerPort", { 3, 6 }, 2 },
	[AX_GS_EMAIL_FAULTS] = { "smtpEmailFaults", { 3, 7 }, 2 },
	[AX_GS_SMTP_ALERT] = { "smtpEmailSmtpAlert", { 3, 8 }, 2 },
	[AX_GS_SMTP_ALERT_VRRP] = { "smtpEmailSmtpAlertVrrp", { 3, 9 }, 2 },
	[AX_GS_SMTP_ALERT_CHECKER] = { "smtpEmailSmtpAlertChecker", { 3, 10 }, 2 },
	[AX_GS_TRAP_ENABLE] = { "trapEnable", { 4 }, 1 },
	[AX_GS_LINKBEAT] = { "linkBeat", { 5 }, 1 },
	[AX_GS_LVS_FLUSH] = { "lvsFlush", { 6 }, 1 },
	[AX_GS_IPVS64] = { "ipvs64BitStats", { 7 }, 1 },
	[AX_GS_NETNS] = { "netNamespace", { 8 }, 1 },
	[AX_GS_DBUS] = { "dbus", { 9 }, 1 },
	[AX_GS_DYN_IFS] = { "dynamicInterfaces", { 10 }, 1 },
	[AX_GS_LVS_FLUSH_ON_STOP] = { "lvsFlushOnStop", { 11 }, 1 },
};
_Static_assert(AX_ARRAY_SIZE(ax_gs_def) == AX_GS__COUNT, "ax_gs_def");

static const oid ax_global_oid[] = { AX_ALIVED_OID, 1 };
static const oid ax_email_oid[] = { AX_ALIVED_OID, 1, 3, 5 };

static struct {
	netsnmp_handler_registration *reg[AX_GS__COUNT];
	netsnmp_handler_registration *email_reg;
	netsnmp_table_registration_info *email_ti;	/* ours: freed after unregistering */
	netsnmp_tdata *email;
	bool on;
} G;

/* smtp_alert tristates: on(1), off(2), unset(3). */
static long ax_tristate(int8_t t)
{
	return t < 0 ? 3 : t ? 1 : 2;
}

static int ax_gs_value(netsnmp_variable_list *vb, enum ax_gs which, const struct cfg_global *g)
{
	char host[256];
	const struct cfg_addr none = { .family = AF_UNSPEC };

	switch (which) {
	case AX_GS_VERSION:
		return ax_set_str(vb, "alived " PACKAGE_VERSION);
	case AX_GS_ROUTER_ID:
		if (g->router_id)
			return ax_set_str(vb, g->router_id);
		if (gethostname(host, sizeof(host)) < 0)
			host[0] = '\0';
		host[sizeof(host) - 1] = '\0';
		return ax_set_str(vb, host);
	case AX_GS_SMTP_ADDR_TYPE:
		/* A server given as a host name is InetAddressType dns(16). */
		if (g->smtp_server && g->smtp_server_addr.family == AF_UNSPEC)
			return ax_set_int(vb, 16);
		return ax_set_int(vb, ax_inet_type(&g->smtp_server_addr));
	case AX_GS_SMTP_ADDR:
		if (g->smtp_server && g->smtp_server_addr.family == AF_UNSPEC)
			return ax_set_str(vb, g->smtp_server);
		return ax_set_inet(vb, g->smtp_server ? &g->smtp_server_addr : &none);
	case AX_GS_SMTP_TIMEOUT:
		return ax_set_uint(vb, g->smtp_connect_timeout_s);
	case AX_GS_EMAIL_FROM:
		return ax_set_str(vb, g->notification_email_from);
	case AX_GS_SMTP_PORT:
		return ax_set_uint(vb, g->smtp_server_port);
	case AX_GS_EMAIL_FAULTS:
		return ax_set_int(vb, ax_bool(!g->no_email_faults));
	case AX_GS_SMTP_ALERT:
		return ax_set_int(vb, ax_tristate(g->smtp_alert));
	case AX_GS_SMTP_ALERT_VRRP:
		return ax_set_int(vb, ax_tristate(g->smtp_alert_vrrp));
	case AX_GS_SMTP_ALERT_CHECKER:
		return ax_set_int(vb, ax_tristate(g->smtp_alert_checker));
	case AX_GS_TRAP_ENABLE:
		return ax_set_int(vb, ax_bool(g->enable_traps));
	case AX_GS_LINKBEAT:
		return ax_set_int(vb, g->linkbeat_use_polling ? 2 : 1);	/* polling : netlink */
	case AX_GS_LVS_FLUSH:
		return ax_set_int(vb, ax_bool(g->lvs_flush));
	case AX_GS_IPVS64:
		return ax_set_int(vb, ax_bool(true));	/* generic netlink gives 64-bit counters */
	case AX_GS_NETNS:
		return ax_set_str(vb, g->net_namespace);
	case AX_GS_DBUS:
		return ax_set_int(vb, ax_bool(g->enable_dbus));
	case AX_GS_DYN_IFS:
		return ax_set_int(vb, ax_bool(g->dynamic_interfaces));
	case AX_GS_LVS_FLUSH_ON_STOP:
		switch (g->lvs_flush_on_stop) {
		case CFG_LVS_FLUSH_STOP_ALL:
			return ax_set_int(vb, 1);	/* enabled */
		case CFG_LVS_FLUSH_STOP_VS:
			return ax_set_int(vb, 3);	/* flushVS */
		default:
			return ax_set_int(vb, 2);	/* disabled */
		}
	case AX_GS__COUNT:
		break;
	}
	return -1;
}

static int ax_gs_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			 netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	enum ax_gs which = (enum ax_gs)(uintptr_t)handler->myvoid;
	const struct cfg_root *root = ax_root();
	netsnmp_request_info *r;

	(void)reg;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;	/* read-only: the agent refuses SETs */
	for (r = requests; r; r = r->next) {
		if (r->processed)
			continue;
		if (!root || ax_gs_value(r->requestvb, which, root->global) != 0)
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

/* emailTable: one row per notification_email address, index 1..n. */
static int ax_email_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
			    netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	const struct cfg_root *root = ax_root();
	netsnmp_request_info *r;

	(void)handler;
	(void)reg;
	if (ri->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
		size_t idx = (size_t)(uintptr_t)netsnmp_tdata_extract_entry(r);
		const struct cfg_strlist *l;

		if (r->processed)
			continue;
		l = root ? &root->global->notification_email : NULL;
		if (!ti || !l || idx == 0 || idx > l->n || ti->colnum != 2) {
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
			continue;
		}
		ax_set_str(r->requestvb, l->v[idx - 1]);
	}
	return SNMP_ERR_NOERROR;
}

static void ax_email_rows(void)
{
	const struct cfg_root *root = ax_root();
	netsnmp_tdata_row *row;
	size_t n = root ? root->global->notification_email.n : 0;

	while ((row = netsnmp_tdata_row_first(G.email)))
		netsnmp_tdata_remove_and_delete_row(G.email, row);
	for (size_t k = 1; k <= n; k++) {
		long idx = (long)k;

		row = netsnmp_tdata_create_row();
		if (!row)
			return;
		row->data = (void *)(uintptr_t)k;
		netsnmp_tdata_row_add_index(row, ASN_INTEGER, &idx, sizeof(idx));
		netsnmp_tdata_add_row(G.email, row);
	}
}

static int ax_email_init(void)
{
	netsnmp_table_registration_info *ti;

	G.email = netsnmp_tdata_create_table("emailTable", 0);
	ti = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	if (!G.email || !ti) {
		free(ti);
		return -ENOMEM;
	}
	netsnmp_table_helper_add_indexes(ti, ASN_INTEGER, 0);
	ti->min_column = 2;
	ti->max_column = 2;
	G.email_reg = netsnmp_create_handler_registration("emailTable", ax_email_handler,
							  ax_email_oid,
							  AX_ARRAY_SIZE(ax_email_oid),
							  HANDLER_CAN_RONLY);
	G.email_ti = ti;
	if (!G.email_reg || netsnmp_tdata_register(G.email_reg, G.email, ti) != MIB_REGISTERED_OK) {
		G.email_reg = NULL;
		return -EIO;
	}
	ax_email_rows();
	return 0;
}

int ax_global_init(int priority)
{
	oid name[MAX_OID_LEN];
	size_t base = AX_ARRAY_SIZE(ax_global_oid);
	int r;

	if (G.on)
		return 0;
	memcpy(name, ax_global_oid, sizeof(ax_global_oid));
	for (size_t k = 0; k < AX_GS__COUNT; k++) {
		netsnmp_handler_registration *reg;

		memcpy(name + base, ax_gs_def[k].sub, ax_gs_def[k].n * sizeof(oid));
		reg = netsnmp_create_handler_registration(ax_gs_def[k].name, ax_gs_handler, name,
							  base + ax_gs_def[k].n,
							  HANDLER_CAN_RONLY);
		if (!reg)
			return -ENOMEM;
		reg->handler->myvoid = (void *)(uintptr_t)k;
		if (netsnmp_register_read_only_scalar(reg) != MIB_REGISTERED_OK) {
			log_warn("AgentX: cannot register %s", ax_gs_def[k].name);
			continue;
		}
		G.reg[k] = reg;
	}
	r = ax_email_init();
	if (r < 0)
		log_warn("AgentX: cannot register emailTable");
	G.on = true;
	return ax_subtree_add(ax_global_oid, AX_ARRAY_SIZE(ax_global_oid), priority);
}

void ax_global_reload(void)
{
	if (G.on && G.email)
		ax_email_rows();
}

void ax_global_shutdown(void)
{
	netsnmp_tdata_row *row;

	if (!G.on)
		return;
	ax_subtree_del(ax_global_oid, AX_ARRAY_SIZE(ax_global_oid));
	for (size_t k = 0; k < AX_GS__COUNT; k++)
		if (G.reg[k])
			netsnmp_unregister_handler(G.reg[k]);
	if (G.email_reg)
		netsnmp_unregister_handler(G.email_reg);
	if (G.email_ti)
		netsnmp_table_registration_info_free(G.email_ti);
	if (G.email) {
		while ((row = netsnmp_tdata_row_first(G.email)))
			netsnmp_tdata_remove_and_delete_row(G.email, row);
		netsnmp_tdata_delete_table(G.email);
	}
	memset(&G, 0, sizeof(G));
}
