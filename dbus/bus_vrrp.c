/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * org.alived.Vrrp1 (our own interface) and org.keepalived.Vrrp1 (keepalived's,
 * for its existing clients) over the VRRP engine's read, observer and command
 * API (include/alived/vrrp_api.h). doc/dbus.md documents both.
 *
 * We hold instance IDs and copies, never engine pointers. Each instance
 * object remembers what it last published, so one engine event becomes a
 * PropertiesChanged that lists exactly the properties that changed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "alived/cfg_global.h"
#include "alived/config.h"
#include "alived/log.h"
#include "alived/vrrp_api.h"
#include "alived/xalloc.h"
#include "bus.h"
#include "bus_int.h"
#include "bus_vrrp.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.0.0"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BV_VIPS_MAX	256		/* VirtualAddresses lists at most this many */

struct bv_inst {
	uint32_t id;
	char path[BUS_PATH_MAX];
	char kpath[BUS_PATH_MAX];	/* keepalived's path; "" when not registered */
	struct vrrp_api_info last;	/* as last published */
};

struct bv {
	struct ev_loop *loop;
	struct bus *bus;
	uint64_t sub;
	bool compat;
	char compat_name[256];
	char router_id[256];
	struct bv_inst **v;		/* sorted by id */
	size_t n, cap;
};

static struct bv *bv_self;		/* bus_stop() takes no argument */

/* ---- keepalived's state numbers ------------------------------------------ */

static const struct {
	uint32_t num;
	const char *name;
} ka_states[] = {
	[VRRP_API_ST_INIT] = { 0, "Init" },
	[VRRP_API_ST_BACKUP] = { 1, "Backup" },
	[VRRP_API_ST_MASTER] = { 2, "Master" },
	[VRRP_API_ST_FAULT] = { 3, "Fault" },
	[VRRP_API_ST_STOP] = { 98, "Stop" },	/* keepalived 2.2.7 sends 98 */
};
_Static_assert(ARRAY_SIZE(ka_states) == VRRP_API_ST__COUNT, "ka_states");

uint32_t bus_vrrp_ka_state(unsigned st, const char **ret_name)
{
	if (st >= VRRP_API_ST__COUNT) {
		*ret_name = "Unknown";
		return 4;
	}
	*ret_name = ka_states[st].name;
	return ka_states[st].num;
}

/* ---- helpers ---------------------------------------------------------------- */

static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static void addr_str(const struct cfg_addr *a, char *buf, size_t len)
{
	if (a->family == AF_INET || a->family == AF_INET6)
		cfg_addr_fmt(a, buf, len);
	else
		snprintf(buf, len, "%s", "");
}

static struct cmd_origin origin_of(const struct bus_call *c)
{
	struct cmd_origin o = {
		.kind = CMD_ORIGIN_DBUS,
		.uid = c->uid,
		.who = dbus_message_get_sender(c->msg),
	};
	return o;
}

/* The engine's -errno with a message a person can act on. */
static int cmd_result(struct bus_call *c, int r, const char *what)
{
	if (r >= 0)
		return 0;
	switch (-r) {
	case EAGAIN:
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: not possible in the current state",
			 what);
		break;
	case EBUSY:
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: busy, try again", what);
		break;
	case ENOENT:
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: no such instance", what);
		break;
	case EINVAL:
	case ERANGE:
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: value out of range", what);
		break;
	default:
		snprintf(c->err_msg, sizeof(c->err_msg), "%s: %s", what, strerror(-r));
		break;
	}
	return r;
}

static struct bv_inst *bv_find(const struct bv *bv, uint32_t id, size_t *ret_pos)
{
	size_t lo = 0, hi = bv->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (bv->v[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ret_pos)
		*ret_pos = lo;
	return lo < bv->n && bv->v[lo]->id == id ? bv->v[lo] : NULL;
}

/* ---- org.alived.Vrrp1.Instance ------------------------------------------------- */

#define SNAP(s) ((const struct vrrp_api_info *)(s))
#define INST(ud) ((struct bv_inst *)(ud))

static int inst_snapshot(void *ud, void *ret_snap)
{
	return vrrp_api_get(INST(ud)->id, ret_snap);
}

static int get_name(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, SNAP(s)->name);
}

static int get_ifname(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, SNAP(s)->ifname);
}

static int get_vrid(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u8(it, SNAP(s)->vrid);
}

static int get_family(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, family_name(SNAP(s)->family));
}

static int get_version(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u8(it, SNAP(s)->version);
}

static int get_state(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, vrrp_api_state_name(SNAP(s)->state));
}

static int get_base_prio(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u8(it, SNAP(s)->base_priority);
}

static int get_eff_prio(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u8(it, SNAP(s)->effective_priority);
}

static int get_preempt(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_bool(it, SNAP(s)->preempt);
}

static int get_maint(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_bool(it, SNAP(s)->maintenance);
}

/* In milliseconds: the master's (v3, learned) when known, else ours. */
static uint32_t advert_ms(const struct vrrp_api_info *i)
{
	uint16_t cs = i->state == VRRP_API_ST_BACKUP && i->master_adver_int_cs ?
		      i->master_adver_int_cs : i->advert_int_cs;

	return (uint32_t)cs * 10u;
}

static int get_advert(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u32(it, advert_ms(SNAP(s)));
}

static int get_master(DBusMessageIter *it, void *ud, const void *s)
{
	char buf[CFG_ADDRSTRLEN];

	(void)ud;
	addr_str(&SNAP(s)->master_addr, buf, sizeof(buf));
	return bus_app_str(it, buf);
}

static int get_vips(DBusMessageIter *it, void *ud, const void *s)
{
	struct vrrp_api_vip *vips = xcalloc(BV_VIPS_MAX, sizeof(*vips));
	DBusMessageIter arr;
	int n, r = 0;

	(void)s;
	n = vrrp_api_vips(INST(ud)->id, vips, BV_VIPS_MAX);
	if (n < 0) {
		r = n;
		goto out;
	}
	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "s", &arr)) {
		r = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < n && i < BV_VIPS_MAX && r == 0; i++) {
		char buf[CFG_ADDRSTRLEN];

		addr_str(&vips[i].addr, buf, sizeof(buf));
		r = bus_app_str(&arr, buf);
	}
	if (r < 0)
		dbus_message_iter_abandon_container(it, &arr);
	else if (!dbus_message_iter_close_container(it, &arr))
		r = -ENOMEM;
out:
	free(vips);
	return r;
}

static int get_last_trans(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_u64(it, SNAP(s)->last_transition_wall_s > 0 ?
			   (uint64_t)SNAP(s)->last_transition_wall_s : 0);
}

static int get_last_reason(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	return bus_app_str(it, SNAP(s)->last_reason);
}

#define STAT(name, field) { name, offsetof(struct vrrp_api_stats, field) }
static const struct {
	const char *name;
	size_t off;
} stat_fields[] = {
	STAT("MasterTransitions", master_transitions),
	STAT("AdvertsReceived", adverts_rcvd),
	STAT("AdvertsSent", adverts_sent),
	STAT("AdvertIntervalErrors", adv_interval_errors),
	STAT("TtlErrors", ttl_errors),
	STAT("PriorityZeroReceived", pri_zero_rcvd),
	STAT("PriorityZeroSent", pri_zero_sent),
	STAT("InvalidTypeReceived", invalid_type_rcvd),
	STAT("AddressListErrors", addr_list_errors),
	STAT("PacketLengthErrors", packet_length_errors),
	STAT("ChecksumErrors", checksum_errors),
	STAT("VersionErrors", version_errors),
	STAT("VrIdErrors", vrid_errors),
	STAT("AuthFailures", auth_failures),
	STAT("InvalidAuthType", invalid_auth_type),
	STAT("AuthTypeMismatch", auth_type_mismatch),
	STAT("UnknownSourceReceived", unknown_src_rcvd),
	STAT("GarpSent", garp_sent),
};

static int get_stats(DBusMessageIter *it, void *ud, const void *s)
{
	const struct vrrp_api_stats *st = &SNAP(s)->stats;
	DBusMessageIter arr, ent;
	bool ok;

	(void)ud;
	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{st}", &arr))
		return -ENOMEM;
	ok = true;
	for (size_t i = 0; i < ARRAY_SIZE(stat_fields) + 2 && ok; i++) {
		const char *name;
		uint64_t v;

		if (i < ARRAY_SIZE(stat_fields)) {
			name = stat_fields[i].name;
			memcpy(&v, (const char *)st + stat_fields[i].off, sizeof(v));
		} else if (i == ARRAY_SIZE(stat_fields)) {
			name = "NewMasterReason";
			v = (uint64_t)st->new_master_reason;
		} else {
			name = "ProtocolErrorReason";
			v = st->proto_err_reason > 0 ? (uint64_t)st->proto_err_reason : 0;
		}
		ok = dbus_message_iter_open_container(&arr, DBUS_TYPE_DICT_ENTRY, NULL, &ent) &&
		     bus_app_str(&ent, name) == 0 && bus_app_u64(&ent, v) == 0 &&
		     dbus_message_iter_close_container(&arr, &ent);
	}
	if (!ok) {
		dbus_message_iter_abandon_container_if_open(&arr, &ent);
		dbus_message_iter_abandon_container(it, &arr);
		return -ENOMEM;
	}
	return dbus_message_iter_close_container(it, &arr) ? 0 : -ENOMEM;
}

static int set_base_prio(struct bus_call *c, DBusMessageIter *v, const void *s)
{
	struct cmd_origin o = origin_of(c);
	unsigned char prio;

	(void)s;
	dbus_message_iter_get_basic(v, &prio);
	return cmd_result(c, vrrp_cmd_set_priority(INST(c->ud)->id, prio, &o), "BasePriority");
}

static int set_preempt(struct bus_call *c, DBusMessageIter *v, const void *s)
{
	struct cmd_origin o = origin_of(c);
	dbus_bool_t on;

	(void)s;
	dbus_message_iter_get_basic(v, &on);
	return cmd_result(c, vrrp_cmd_set_preempt(INST(c->ud)->id, on, &o), "Preempt");
}

static int m_set_priority(struct bus_call *c, DBusMessageIter *in)
{
	struct cmd_origin o = origin_of(c);
	unsigned char prio;

	dbus_message_iter_get_basic(in, &prio);
	if (prio == 0) {
		snprintf(c->err_msg, sizeof(c->err_msg), "priority must be 1..255");
		return -EINVAL;
	}
	return cmd_result(c, vrrp_cmd_set_priority(INST(c->ud)->id, prio, &o), "SetPriority");
}

static int m_set_preempt(struct bus_call *c, DBusMessageIter *in)
{
	struct cmd_origin o = origin_of(c);
	dbus_bool_t on;

	dbus_message_iter_get_basic(in, &on);
	return cmd_result(c, vrrp_cmd_set_preempt(INST(c->ud)->id, on, &o), "SetPreempt");
}

static int m_set_maint(struct bus_call *c, DBusMessageIter *in)
{
	struct cmd_origin o = origin_of(c);
	dbus_bool_t on;

	dbus_message_iter_get_basic(in, &on);
	return cmd_result(c, vrrp_cmd_set_maintenance(INST(c->ud)->id, on, &o),
			  "SetMaintenance");
}

static int m_send_garp(struct bus_call *c, DBusMessageIter *in)
{
	struct cmd_origin o = origin_of(c);

	(void)in;
	return cmd_result(c, vrrp_cmd_send_garp(INST(c->ud)->id, &o), "SendGarp");
}

static int m_reset_stats(struct bus_call *c, DBusMessageIter *in)
{
	struct cmd_origin o = origin_of(c);

	(void)in;
	return cmd_result(c, vrrp_cmd_reset_stats(INST(c->ud)->id, &o), "ResetStats");
}

#define EMITS BUS_PROP_EMITS_CHANGE
static const struct bus_method inst_methods[] = {
	{ "SetPriority", "y", "priority", "", "", m_set_priority, BUS_METHOD_MUTATING },
	{ "SetPreempt", "b", "preempt", "", "", m_set_preempt, BUS_METHOD_MUTATING },
	{ "SetMaintenance", "b", "on", "", "", m_set_maint, BUS_METHOD_MUTATING },
	{ "SendGarp", "", "", "", "", m_send_garp, BUS_METHOD_MUTATING },
	{ "ResetStats", "", "", "", "", m_reset_stats, BUS_METHOD_MUTATING },
	{ 0 },
};

static const struct bus_property inst_props[] = {
	{ "Name", "s", get_name, NULL, BUS_PROP_CONST },
	{ "Interface", "s", get_ifname, NULL, EMITS },
	{ "VirtualRouterId", "y", get_vrid, NULL, EMITS },
	{ "Family", "s", get_family, NULL, EMITS },
	{ "Version", "y", get_version, NULL, EMITS },
	{ "State", "s", get_state, NULL, EMITS },
	{ "BasePriority", "y", get_base_prio, set_base_prio, EMITS },
	{ "EffectivePriority", "y", get_eff_prio, NULL, EMITS },
	{ "Preempt", "b", get_preempt, set_preempt, EMITS },
	{ "Maintenance", "b", get_maint, NULL, EMITS },
	{ "AdvertInterval", "u", get_advert, NULL, EMITS },
	{ "MasterAddress", "s", get_master, NULL, EMITS },
	{ "VirtualAddresses", "as", get_vips, NULL, EMITS },
	{ "LastTransition", "t", get_last_trans, NULL, EMITS },
	{ "LastTransitionReason", "s", get_last_reason, NULL, EMITS },
	{ "Stats", "a{st}", get_stats, NULL, 0 },
	{ 0 },
};

static const struct bus_signal inst_signals[] = {
	{ "StateChanged", "sss", "new_state old_state reason" },
	{ 0 },
};

const struct bus_iface bus_vrrp_instance_iface = {
	.name = BUS_VRRP_IF_INSTANCE,
	.methods = inst_methods,
	.props = inst_props,
	.signals = inst_signals,
	.snap_size = sizeof(struct vrrp_api_info),
	.snapshot = inst_snapshot,
};

/* ---- org.alived.Vrrp1.Manager --------------------------------------------------- */

struct dump_ctx {
	FILE *f;
	bool stats;
};

static int dump_one(const struct vrrp_api_info *i, void *ud)
{
	struct dump_ctx *x = ud;
	char m[CFG_ADDRSTRLEN];

	if (!x->stats) {
		addr_str(&i->master_addr, m, sizeof(m));
		fprintf(x->f, "instance %s: %s, interface %s, vrid %u, %s, v%u, priority %u "
			"(effective %u), %spreempt, advert %u ms, master %s, %u addresses%s\n",
			i->name, vrrp_api_state_name(i->state), i->ifname, i->vrid,
			family_name(i->family), i->version, i->base_priority,
			i->effective_priority, i->preempt ? "" : "no", advert_ms(i),
			*m ? m : "-", i->n_vips + i->n_evips,
			i->maintenance ? ", maintenance" : "");
		return 0;
	}
	fprintf(x->f, "instance %s:", i->name);
	for (size_t k = 0; k < ARRAY_SIZE(stat_fields); k++) {
		uint64_t v;

		memcpy(&v, (const char *)&i->stats + stat_fields[k].off, sizeof(v));
		fprintf(x->f, " %s=%llu", stat_fields[k].name, (unsigned long long)v);
	}
	fprintf(x->f, "\n");
	return 0;
}

static int dump(struct bus_call *c, bool stats)
{
	struct dump_ctx x = { .stats = stats };
	char *text = NULL;
	size_t len = 0;
	int r;

	x.f = open_memstream(&text, &len);
	if (!x.f)
		return -errno;
	if (stats) {
		struct vrrp_api_global_stats g;

		vrrp_api_global_stats(&g);
		fprintf(x.f, "router: ChecksumErrors=%llu VersionErrors=%llu VrIdErrors=%llu "
			"ShortPackets=%llu\n", (unsigned long long)g.checksum_errors,
			(unsigned long long)g.version_errors, (unsigned long long)g.vrid_errors,
			(unsigned long long)g.rx_dropped_short);
	}
	vrrp_api_foreach(dump_one, &x);
	if (fclose(x.f) != 0) {
		free(text);
		return -EIO;
	}
	r = bus_app_str(&c->out, text ? text : "");
	free(text);
	return r;
}

static int m_dump_data(struct bus_call *c, DBusMessageIter *in)
{
	(void)in;
	return dump(c, false);
}

static int m_dump_stats(struct bus_call *c, DBusMessageIter *in)
{
	(void)in;
	return dump(c, true);
}

static int clear_one(const struct vrrp_api_info *i, void *ud)
{
	struct bus_call *c = ud;
	struct cmd_origin o = origin_of(c);
	int r = vrrp_cmd_reset_stats(i->id, &o);

	return r == -ENOENT ? 0 : r;	/* removed meanwhile: nothing to clear */
}

static int m_clear_stats(struct bus_call *c, DBusMessageIter *in)
{
	(void)in;
	return cmd_result(c, vrrp_api_foreach(clear_one, c), "ClearStats");
}

static int m_reload(struct bus_call *c, DBusMessageIter *in)
{
	struct cmd_origin o = origin_of(c);

	(void)in;
	return cmd_result(c, vrrp_cmd_reload(&o), "Reload");
}

static int get_pkg_version(DBusMessageIter *it, void *ud, const void *s)
{
	(void)ud;
	(void)s;
	return bus_app_str(it, PACKAGE_VERSION);
}

static int get_router_id(DBusMessageIter *it, void *ud, const void *s)
{
	const struct bv *bv = ud;

	(void)s;
	return bus_app_str(it, bv->router_id);
}

static const struct bus_method mgr_methods[] = {
	{ "Reload", "", "", "", "", m_reload, BUS_METHOD_MUTATING },
	{ "DumpData", "", "", "s", "data", m_dump_data, 0 },
	{ "DumpStats", "", "", "s", "stats", m_dump_stats, 0 },
	{ "ClearStats", "", "", "", "", m_clear_stats, BUS_METHOD_MUTATING },
	{ 0 },
};

static const struct bus_property mgr_props[] = {
	{ "Version", "s", get_pkg_version, NULL, BUS_PROP_CONST },
	{ "RouterId", "s", get_router_id, NULL, EMITS },
	{ 0 },
};

static const struct bus_signal mgr_signals[] = {
	{ "Started", "", "" },
	{ "Reloaded", "", "" },
	{ "Stopping", "", "" },
	{ 0 },
};

const struct bus_iface bus_vrrp_manager_iface = {
	.name = BUS_VRRP_IF_MANAGER,
	.methods = mgr_methods,
	.props = mgr_props,
	.signals = mgr_signals,
};

/* ---- keepalived's org.keepalived.Vrrp1 ---------------------------------------------- */

/* keepalived writes its dump files on these; we do what our signals do. */
static int ka_signal_self(int signo)
{
	return kill(getpid(), signo) < 0 ? -errno : 0;
}

static int ka_print_data(struct bus_call *c, DBusMessageIter *in)
{
	(void)in;
	return cmd_result(c, ka_signal_self(SIGUSR1), "PrintData");
}

static int ka_print_stats(struct bus_call *c, DBusMessageIter *in)
{
	(void)in;
	return cmd_result(c, ka_signal_self(SIGUSR2), "PrintStats");
}

static int ka_print_stats_clear(struct bus_call *c, DBusMessageIter *in)
{
	int r;

	(void)in;
	/* pending signals are taken lowest first: the dump, then the clear */
	r = ka_signal_self(SIGUSR2);
	if (r == 0)
		r = ka_signal_self(SIGRTMAX - 1);
	return cmd_result(c, r, "PrintStatsClear");
}

static int ka_send_garp(struct bus_call *c, DBusMessageIter *in)
{
	return m_send_garp(c, in);
}

static int ka_get_state(DBusMessageIter *it, void *ud, const void *s)
{
	DBusMessageIter st;
	const char *name;
	uint32_t num = bus_vrrp_ka_state(SNAP(s)->state, &name);

	(void)ud;
	if (!dbus_message_iter_open_container(it, DBUS_TYPE_STRUCT, NULL, &st))
		return -ENOMEM;
	if (bus_app_u32(&st, num) < 0 || bus_app_str(&st, name) < 0) {
		dbus_message_iter_abandon_container(it, &st);
		return -ENOMEM;
	}
	return dbus_message_iter_close_container(it, &st) ? 0 : -ENOMEM;
}

static const struct bus_method ka_vrrp_methods[] = {
	{ "PrintData", "", "", "", "", ka_print_data, BUS_METHOD_MUTATING },
	{ "PrintStats", "", "", "", "", ka_print_stats, BUS_METHOD_MUTATING },
	{ "PrintStatsClear", "", "", "", "", ka_print_stats_clear, BUS_METHOD_MUTATING },
	{ "ReloadConfig", "", "", "", "", m_reload, BUS_METHOD_MUTATING },
	{ 0 },
};

static const struct bus_signal ka_vrrp_signals[] = {
	{ "VrrpStarted", "", "" },
	{ "VrrpReloaded", "", "" },
	{ "VrrpStopped", "", "" },
	{ 0 },
};

const struct bus_iface bus_vrrp_ka_vrrp_iface = {
	.name = BUS_VRRP_KA_IF_VRRP,
	.methods = ka_vrrp_methods,
	.signals = ka_vrrp_signals,
};

static const struct bus_method ka_inst_methods[] = {
	{ "SendGarp", "", "", "", "", ka_send_garp, BUS_METHOD_MUTATING },
	{ 0 },
};

static const struct bus_property ka_inst_props[] = {
	{ "Name", "s", get_name, NULL, BUS_PROP_CONST },
	{ "State", "(us)", ka_get_state, NULL, EMITS },
	{ 0 },
};

static const struct bus_signal ka_inst_signals[] = {
	{ "VrrpStatusChange", "u", "status" },
	{ 0 },
};

const struct bus_iface bus_vrrp_ka_instance_iface = {
	.name = BUS_VRRP_KA_IF_INSTANCE,
	.methods = ka_inst_methods,
	.props = ka_inst_props,
	.signals = ka_inst_signals,
	.snap_size = sizeof(struct vrrp_api_info),
	.snapshot = inst_snapshot,
};

/* ---- objects ------------------------------------------------------------------------ */

int bus_vrrp_ka_path(const struct vrrp_api_info *i, char *buf, size_t len)
{
	char ifn[IFNAMSIZ * 2];
	size_t k = 0;
	int n;

	for (const char *s = i->ifname; *s && k + 1 < sizeof(ifn); s++) {
		char c = *s;

		ifn[k++] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') ? c : '_';
	}
	if (k == 0)
		ifn[k++] = '_';
	ifn[k] = '\0';
	n = snprintf(buf, len, "%s/%s/%u/%s", BUS_VRRP_KA_INST_PREFIX, ifn, i->vrid,
		     family_name(i->family));
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static const struct bus_iface *const inst_ifaces[] = { &bus_vrrp_instance_iface, NULL };
static const struct bus_iface *const ka_inst_ifaces[] = { &bus_vrrp_ka_instance_iface, NULL };

static void bv_ka_register(struct bv *bv, struct bv_inst *in, const struct vrrp_api_info *i)
{
	char path[BUS_PATH_MAX];
	int r;

	if (!bv->compat || bus_vrrp_ka_path(i, path, sizeof(path)) < 0)
		path[0] = '\0';
	if (!strcmp(path, in->kpath))
		return;
	if (in->kpath[0])
		bus_object_remove(bv->bus, in->kpath);
	in->kpath[0] = '\0';
	if (!path[0])
		return;
	r = bus_object_add(bv->bus, path, ka_inst_ifaces, in, 0);
	if (r < 0) {
		log_warn_errno(r, "D-Bus: %s: cannot serve keepalived's %s", i->name, path);
		return;
	}
	snprintf(in->kpath, sizeof(in->kpath), "%s", path);
}

static struct bv_inst *bv_add(struct bv *bv, const struct vrrp_api_info *i)
{
	struct bv_inst *in;
	size_t pos;
	int r;

	in = bv_find(bv, i->id, &pos);
	if (in)
		return in;
	in = xcalloc(1, sizeof(*in));
	in->id = i->id;
	in->last = *i;
	r = bus_path_encode(BUS_VRRP_INST_PREFIX, i->name, in->path, sizeof(in->path));
	if (r == 0)
		r = bus_object_add(bv->bus, in->path, inst_ifaces, in, 0);
	if (r < 0) {
		log_warn_errno(r, "D-Bus: instance %s: cannot create its object", i->name);
		free(in);
		return NULL;
	}
	if (bv->n == bv->cap) {
		bv->cap = bv->cap ? bv->cap * 2 : 16;
		bv->v = xreallocarray(bv->v, bv->cap, sizeof(*bv->v));
	}
	memmove(bv->v + pos + 1, bv->v + pos, (bv->n - pos) * sizeof(*bv->v));
	bv->v[pos] = in;
	bv->n++;
	bv_ka_register(bv, in, i);
	return in;
}

static void bv_remove_at(struct bv *bv, size_t pos)
{
	struct bv_inst *in = bv->v[pos];

	if (in->kpath[0])
		bus_object_remove(bv->bus, in->kpath);
	bus_object_remove(bv->bus, in->path);
	memmove(bv->v + pos, bv->v + pos + 1, (bv->n - pos - 1) * sizeof(*bv->v));
	bv->n--;
	free(in);
}

/* Names of the properties that differ between a and b. */
static size_t inst_diff(const struct vrrp_api_info *a, const struct vrrp_api_info *b,
			const char **names)
{
	size_t n = 0;

#define DIFF(cond, name) do { if (cond) names[n++] = name; } while (0)
	DIFF(strcmp(a->ifname, b->ifname), "Interface");
	DIFF(a->vrid != b->vrid, "VirtualRouterId");
	DIFF(a->family != b->family, "Family");
	DIFF(a->version != b->version, "Version");
	DIFF(a->state != b->state, "State");
	DIFF(a->base_priority != b->base_priority, "BasePriority");
	DIFF(a->effective_priority != b->effective_priority, "EffectivePriority");
	DIFF(a->preempt != b->preempt, "Preempt");
	DIFF(a->maintenance != b->maintenance, "Maintenance");
	DIFF(advert_ms(a) != advert_ms(b), "AdvertInterval");
	DIFF(!cfg_addr_equal(&a->master_addr, &b->master_addr), "MasterAddress");
	DIFF(a->n_vips != b->n_vips || a->n_evips != b->n_evips, "VirtualAddresses");
	DIFF(a->last_transition_wall_s != b->last_transition_wall_s, "LastTransition");
	DIFF(strcmp(a->last_reason, b->last_reason), "LastTransitionReason");
#undef DIFF
	return n;
}

/* Publishes what changed on instance id since the last time. */
static void bv_refresh(struct bv *bv, uint32_t id, bool reload)
{
	struct vrrp_api_info now;
	const char *names[ARRAY_SIZE(inst_props)];
	static const char *const ka_state[] = { "State" };
	struct bv_inst *in;
	size_t n;

	if (vrrp_api_get(id, &now) < 0)
		return;
	in = bv_find(bv, id, NULL);
	if (!in) {
		bv_add(bv, &now);
		return;
	}
	n = inst_diff(&in->last, &now, names);
	/* addresses can change with the same count on a reload */
	if (reload && (n == 0 || strcmp(names[n - 1], "VirtualAddresses")))
		names[n++] = "VirtualAddresses";
	bv_ka_register(bv, in, &now);
	bus_emit_props_changed(bv->bus, in->path, BUS_VRRP_IF_INSTANCE, names, n);
	if (in->kpath[0] && in->last.state != now.state)
		bus_emit_props_changed(bv->bus, in->kpath, BUS_VRRP_KA_IF_INSTANCE, ka_state, 1);
	in->last = now;
}

static int sync_one(const struct vrrp_api_info *i, void *ud)
{
	struct bv *bv = ud;

	if (!bv_find(bv, i->id, NULL))
		bv_add(bv, i);
	else
		bv_refresh(bv, i->id, true);
	return 0;
}

/* Adds, refreshes and removes objects to match the engine. */
static void bv_sync_all(struct bv *bv)
{
	struct vrrp_api_info tmp;

	vrrp_api_foreach(sync_one, bv);
	for (size_t k = bv->n; k-- > 0;)
		if (vrrp_api_get(bv->v[k]->id, &tmp) < 0)
			bv_remove_at(bv, k);
}

static void bv_state_signals(struct bv *bv, const struct vrrp_evt_info *e)
{
	struct bv_inst *in = bv_find(bv, e->id, NULL);
	const char *nw = vrrp_api_state_name(e->new_state);
	const char *old = vrrp_api_state_name(e->old_state);
	const char *reason = e->reason ? e->reason : "";
	const char *ka_name;
	dbus_uint32_t ka = bus_vrrp_ka_state(e->new_state, &ka_name);

	if (!in)
		return;
	bus_emit_signal(bv->bus, in->path, BUS_VRRP_IF_INSTANCE, "StateChanged",
			DBUS_TYPE_STRING, &nw, DBUS_TYPE_STRING, &old, DBUS_TYPE_STRING, &reason,
			DBUS_TYPE_INVALID);
	if (in->kpath[0])
		bus_emit_signal(bv->bus, in->kpath, BUS_VRRP_KA_IF_INSTANCE, "VrrpStatusChange",
				DBUS_TYPE_UINT32, &ka, DBUS_TYPE_INVALID);
}

static void bv_evt(const struct vrrp_evt_info *e, void *ud)
{
	struct bv *bv = ud;
	size_t pos;

	switch (e->evt) {
	case VRRP_EVT_ADDED:
		bv_refresh(bv, e->id, false);
		break;
	case VRRP_EVT_REMOVED:
		if (bv_find(bv, e->id, &pos))
			bv_remove_at(bv, pos);
		break;
	case VRRP_EVT_STATE:
		if (!bv_find(bv, e->id, NULL))
			bv_refresh(bv, e->id, false);
		bv_state_signals(bv, e);
		bv_refresh(bv, e->id, false);
		break;
	case VRRP_EVT_NEW_MASTER:
	case VRRP_EVT_PRIORITY:
	case VRRP_EVT_STATS:
		bv_refresh(bv, e->id, false);
		break;
	case VRRP_EVT_RELOAD:
		bv_sync_all(bv);
		bus_emit_signal(bv->bus, BUS_VRRP_PATH, BUS_VRRP_IF_MANAGER, "Reloaded",
				DBUS_TYPE_INVALID);
		if (bv->compat)
			bus_emit_signal(bv->bus, BUS_VRRP_KA_PATH, BUS_VRRP_KA_IF_VRRP,
					"VrrpReloaded", DBUS_TYPE_INVALID);
		break;
	case VRRP_EVT_PROTO_ERROR:
	case VRRP_EVT__COUNT:
		break;
	}
}

static void bv_bus_state(struct bus *b, bool up, void *ud)
{
	struct bv *bv = ud;

	(void)b;
	if (!up)
		return;
	bus_emit_signal(bv->bus, BUS_VRRP_PATH, BUS_VRRP_IF_MANAGER, "Started", DBUS_TYPE_INVALID);
	if (bv->compat)
		bus_emit_signal(bv->bus, BUS_VRRP_KA_PATH, BUS_VRRP_KA_IF_VRRP, "VrrpStarted",
				DBUS_TYPE_INVALID);
}

/* ---- configuration --------------------------------------------------------------------- */

static const struct bus_iface *const mgr_ifaces[] = { &bus_vrrp_manager_iface, NULL };
static const struct bus_iface *const ka_vrrp_ifaces[] = { &bus_vrrp_ka_vrrp_iface, NULL };

static void bv_apply_cfg(struct bv *bv, const struct cfg_root *root)
{
	const struct cfg_global *g = root->global;
	const char *names[2];
	char rid[sizeof(bv->router_id)];
	bool compat = g->enable_dbus_compat;
	size_t n = 0;

	if (g->router_id)
		snprintf(rid, sizeof(rid), "%s", g->router_id);
	else if (gethostname(rid, sizeof(rid) - 1) < 0)
		snprintf(rid, sizeof(rid), "%s", "");
	rid[sizeof(rid) - 1] = '\0';
	if (strcmp(rid, bv->router_id)) {
		static const char *const rid_name[] = { "RouterId" };

		snprintf(bv->router_id, sizeof(bv->router_id), "%s", rid);
		bus_emit_props_changed(bv->bus, BUS_VRRP_PATH, BUS_VRRP_IF_MANAGER, rid_name, 1);
	}
	snprintf(bv->compat_name, sizeof(bv->compat_name), "%s",
		 g->dbus_service_name ? g->dbus_service_name : CFG_GLOBAL_DBUS_SERVICE);
	names[n++] = BUS_VRRP_NAME;
	if (compat && strcmp(bv->compat_name, BUS_VRRP_NAME))
		names[n++] = bv->compat_name;
	bus_set_names(bv->bus, names, n);
	if (compat != bv->compat) {
		bv->compat = compat;
		if (compat)
			bus_object_add(bv->bus, BUS_VRRP_KA_PATH, ka_vrrp_ifaces, bv, 0);
		else
			bus_object_remove(bv->bus, BUS_VRRP_KA_PATH);
		for (size_t k = 0; k < bv->n; k++) {
			struct vrrp_api_info i;

			if (vrrp_api_get(bv->v[k]->id, &i) == 0)
				bv_ka_register(bv, bv->v[k], &i);
		}
	}
}

int bus_start(struct ev_loop *loop, const struct cfg_root *root)
{
	struct bv *bv;
	int r;

	if (bv_self)
		return -EALREADY;
	if (!root->global->enable_dbus)
		return 0;
	bv = xcalloc(1, sizeof(*bv));
	bv->loop = loop;
	bv->bus = bus_new(loop, NULL);
	bus_set_state_cb(bv->bus, bv_bus_state, bv);
	r = bus_object_add(bv->bus, BUS_VRRP_PATH, mgr_ifaces, bv, BUS_OBJ_MANAGER);
	if (r < 0) {
		bus_free(bv->bus);
		free(bv);
		return r;
	}
	bv_apply_cfg(bv, root);
	bv->sub = vrrp_api_subscribe(VRRP_EVT_ALL, bv_evt, bv);
	bv_sync_all(bv);
	bv_self = bv;
	return bus_connect(bv->bus);
}

int bus_reload(struct ev_loop *loop, const struct cfg_root *root)
{
	if (!root->global->enable_dbus) {
		bus_stop();
		return 0;
	}
	if (!bv_self)
		return bus_start(loop, root);
	bv_apply_cfg(bv_self, root);
	bv_sync_all(bv_self);
	return 0;
}

void bus_stop(void)
{
	struct bv *bv = bv_self;

	if (!bv)
		return;
	bv_self = NULL;
	bus_emit_signal(bv->bus, BUS_VRRP_PATH, BUS_VRRP_IF_MANAGER, "Stopping",
			DBUS_TYPE_INVALID);
	if (bv->compat)
		bus_emit_signal(bv->bus, BUS_VRRP_KA_PATH, BUS_VRRP_KA_IF_VRRP, "VrrpStopped",
				DBUS_TYPE_INVALID);
	vrrp_api_unsubscribe(bv->sub);
	bus_free(bv->bus);	/* flushes, releases the names */
	for (size_t k = 0; k < bv->n; k++)
		free(bv->v[k]);
	free(bv->v);
	free(bv);
}

struct bus *bus_vrrp_bus(void)
{
	return bv_self ? bv_self->bus : NULL;
}
