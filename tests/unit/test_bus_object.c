// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the D-Bus service (dbus/bus_object.c, bus_loop.c, bus_vrrp.c):
 *  - object path escaping, interface table checks, introspection XML
 *    generated from the tables == dbus/org.*.xml, child nodes;
 *  - live, over a private dbus-daemon (skipped when none is installed):
 *    the service on the event loop with a fake VRRP engine, a client that
 *    is a second struct bus on the same loop; properties, methods, named
 *    errors, signals, ObjectManager, and a bus restart.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <setjmp.h>
#include <cmocka.h>

#include "alived/cfg_check.h"
#include "alived/cfg_global.h"
#include "alived/check_api.h"
#include "alived/config.h"
#include "alived/ev.h"
#include "alived/vrrp_api.h"
#include "alived/xalloc.h"
#include "../../dbus/bus.h"
#include "../../dbus/bus_check.h"
#include "../../dbus/bus_int.h"
#include "../../dbus/bus_vrrp.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IF_OBJMGR "org.freedesktop.DBus.ObjectManager"

/* ---- a fake VRRP engine behind include/alived/vrrp_api.h ---------------- */

#define FK_MAX 4

static struct fk_inst {
	bool present;
	struct vrrp_api_info info;
	struct vrrp_api_vip vip;
} fk[FK_MAX];

static struct fk_sub {
	uint64_t h;
	uint32_t mask;
	vrrp_evt_cb cb;
	void *ud;
} fk_subs[4];
static uint64_t fk_next_h;
static unsigned fk_cmds, fk_reloads;
static struct cmd_origin fk_last_origin;

static const char *const fk_state_names[] = { "INIT", "BACKUP", "MASTER", "FAULT", "STOP" };

const char *vrrp_api_state_name(unsigned st)
{
	return st < ARRAY_SIZE(fk_state_names) ? fk_state_names[st] : "?";
}

static struct fk_inst *fk_get(uint32_t id)
{
	return id >= 1 && id <= FK_MAX && fk[id - 1].present ? &fk[id - 1] : NULL;
}

static void fk_emit(enum vrrp_evt evt, uint32_t id, enum vrrp_api_state old, const char *reason)
{
	struct fk_inst *f = fk_get(id);
	struct vrrp_evt_info e = {
		.evt = evt, .id = id, .name = f ? f->info.name : NULL,
		.old_state = old, .new_state = f ? f->info.state : old,
		.reason = reason ? reason : "",
	};

	for (size_t i = 0; i < ARRAY_SIZE(fk_subs); i++)
		if (fk_subs[i].cb && (fk_subs[i].mask & VRRP_EVT_BIT(evt)))
			fk_subs[i].cb(&e, fk_subs[i].ud);
}

static void fk_add(uint32_t id, const char *name, const char *ifname, uint8_t vrid, int family,
		   const char *vip)
{
	struct fk_inst *f = &fk[id - 1];

	memset(f, 0, sizeof(*f));
	f->present = true;
	f->info.id = id;
	snprintf(f->info.name, sizeof(f->info.name), "%s", name);
	snprintf(f->info.ifname, sizeof(f->info.ifname), "%s", ifname);
	f->info.vrid = vrid;
	f->info.version = 3;
	f->info.family = family;
	f->info.state = VRRP_API_ST_BACKUP;
	f->info.base_priority = f->info.effective_priority = 100;
	f->info.preempt = true;
	f->info.advert_int_cs = 100;
	f->info.n_vips = 1;
	f->info.last_transition_wall_s = 1700000000;
	assert_int_equal(cfg_addr_parse(vip, &f->vip.addr), 0);
	fk_emit(VRRP_EVT_ADDED, id, VRRP_API_ST_INIT, NULL);
}

static void fk_remove(uint32_t id)
{
	fk_emit(VRRP_EVT_REMOVED, id, VRRP_API_ST_INIT, NULL);
	fk[id - 1].present = false;
}

static void fk_set_state(uint32_t id, enum vrrp_api_state st, const char *reason)
{
	struct fk_inst *f = fk_get(id);
	enum vrrp_api_state old = f->info.state;

	f->info.state = st;
	f->info.last_transition_wall_s++;
	snprintf(f->info.last_reason, sizeof(f->info.last_reason), "%s", reason);
	fk_emit(VRRP_EVT_STATE, id, old, reason);
}

size_t vrrp_api_count(void)
{
	size_t n = 0;

	for (size_t i = 0; i < FK_MAX; i++)
		n += fk[i].present;
	return n;
}

int vrrp_api_get(uint32_t id, struct vrrp_api_info *ret_info)
{
	struct fk_inst *f = fk_get(id);

	if (!f)
		return -ENOENT;
	*ret_info = f->info;
	return 0;
}

int vrrp_api_find(const char *name, uint32_t *ret_id)
{
	for (size_t i = 0; i < FK_MAX; i++)
		if (fk[i].present && !strcmp(fk[i].info.name, name)) {
			*ret_id = fk[i].info.id;
			return 0;
		}
	return -ENOENT;
}

int vrrp_api_foreach(vrrp_api_foreach_cb cb, void *ud)
{
	for (size_t i = 0; i < FK_MAX; i++) {
		struct vrrp_api_info copy;
		int r;

		if (!fk[i].present)
			continue;
		copy = fk[i].info;
		r = cb(&copy, ud);
		if (r)
			return r;
	}
	return 0;
}

int vrrp_api_vips(uint32_t id, struct vrrp_api_vip *buf, size_t cap)
{
	struct fk_inst *f = fk_get(id);

	if (!f)
		return -ENOENT;
	if (cap > 0)
		buf[0] = f->vip;
	return 1;
}

void vrrp_api_global_stats(struct vrrp_api_global_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->checksum_errors = 7;
}

uint64_t vrrp_api_subscribe(uint32_t mask, vrrp_evt_cb cb, void *ud)
{
	for (size_t i = 0; i < ARRAY_SIZE(fk_subs); i++)
		if (!fk_subs[i].cb) {
			fk_subs[i] = (struct fk_sub){ ++fk_next_h, mask, cb, ud };
			return fk_subs[i].h;
		}
	fail();
	return 0;
}

int vrrp_api_unsubscribe(uint64_t handle)
{
	for (size_t i = 0; i < ARRAY_SIZE(fk_subs); i++)
		if (fk_subs[i].cb && fk_subs[i].h == handle) {
			memset(&fk_subs[i], 0, sizeof(fk_subs[i]));
			return 0;
		}
	return -ENOENT;
}

static void fk_origin(const struct cmd_origin *o)
{
	fk_cmds++;
	fk_last_origin = o ? *o : (struct cmd_origin){ 0 };
}

int vrrp_cmd_set_priority(uint32_t id, unsigned prio, const struct cmd_origin *o)
{
	struct fk_inst *f = fk_get(id);

	fk_origin(o);
	if (!f)
		return -ENOENT;
	if (prio < 1 || prio > 254)
		return -ERANGE;
	f->info.base_priority = f->info.effective_priority = (uint8_t)prio;
	fk_emit(VRRP_EVT_PRIORITY, id, f->info.state, NULL);
	if (prio > 150 && f->info.state == VRRP_API_ST_BACKUP)
		fk_set_state(id, VRRP_API_ST_MASTER, "priority");
	return 0;
}

int vrrp_cmd_set_preempt(uint32_t id, bool preempt, const struct cmd_origin *o)
{
	struct fk_inst *f = fk_get(id);

	fk_origin(o);
	if (!f)
		return -ENOENT;
	f->info.preempt = preempt;
	fk_emit(VRRP_EVT_PRIORITY, id, f->info.state, NULL);
	return 0;
}

int vrrp_cmd_set_maintenance(uint32_t id, bool on, const struct cmd_origin *o)
{
	struct fk_inst *f = fk_get(id);

	fk_origin(o);
	if (!f)
		return -ENOENT;
	f->info.maintenance = on;
	fk_set_state(id, on ? VRRP_API_ST_INIT : VRRP_API_ST_BACKUP, "maintenance");
	return 0;
}

int vrrp_cmd_send_garp(uint32_t id, const struct cmd_origin *o)
{
	struct fk_inst *f = fk_get(id);

	fk_origin(o);
	if (!f)
		return -ENOENT;
	return f->info.state == VRRP_API_ST_MASTER ? 0 : -EAGAIN;
}

int vrrp_cmd_reset_stats(uint32_t id, const struct cmd_origin *o)
{
	struct fk_inst *f = fk_get(id);

	fk_origin(o);
	if (!f)
		return -ENOENT;
	memset(&f->info.stats, 0, sizeof(f->info.stats));
	return 0;
}

int vrrp_cmd_reload(const struct cmd_origin *o)
{
	fk_origin(o);
	fk_reloads++;
	return 0;
}

const char *vrrp_cmd_origin_name(enum cmd_origin_kind k)
{
	return k == CMD_ORIGIN_DBUS ? "D-Bus" : "other";
}

/* ---- a fake checker behind include/alived/check_api.h -------------------- */

static struct chk_vs_info fc_vs;
static struct chk_rs_info fc_rs[2];
static struct {
	int h;
	chk_api_cb cb;
	void *ud;
} fc_sub;
static char fc_last_origin[128];

const char *chk_result_name(enum chk_result r)
{
	return r == CHK_OK ? "ok" : r == CHK_NONE ? "none" : "failed";
}

static void fc_init(void)
{
	memset(&fc_vs, 0, sizeof(fc_vs));
	fc_vs.id = 1;
	fc_vs.kind = CFG_VS_ADDR;
	assert_int_equal(cfg_addr_parse("192.0.2.80", &fc_vs.addr), 0);
	fc_vs.port = 80;
	fc_vs.family = AF_INET;
	fc_vs.quorum = 1;
	fc_vs.quorum_met = true;
	fc_vs.n_rs = 2;
	fc_vs.n_rs_alive = 2;
	fc_vs.alive_weight = 2;
	for (uint32_t i = 0; i < 2; i++) {
		memset(&fc_rs[i], 0, sizeof(fc_rs[i]));
		fc_rs[i].vs_id = 1;
		fc_rs[i].id = i + 1;
		assert_int_equal(cfg_addr_parse(i ? "192.0.2.2" : "192.0.2.1", &fc_rs[i].addr), 0);
		fc_rs[i].port = 8080;
		fc_rs[i].alive = fc_rs[i].enabled = true;
		fc_rs[i].weight = fc_rs[i].cfg_weight = 1;
		fc_rs[i].n_checkers = fc_rs[i].n_checkers_up = 1;
		fc_rs[i].last_result = CHK_OK;
	}
}

int chk_api_vs_get(uint32_t vs_id, struct chk_vs_info *ret_info)
{
	if (vs_id != 1)
		return -ENOENT;
	*ret_info = fc_vs;
	return 0;
}

int chk_api_rs_get(uint32_t vs_id, uint32_t rs_id, struct chk_rs_info *ret_info)
{
	if (vs_id != 1 || rs_id < 1 || rs_id > 2)
		return -ENOENT;
	*ret_info = fc_rs[rs_id - 1];
	return 0;
}

uint32_t chk_api_vs_count(void)
{
	return 1;
}

int chk_api_vs_foreach(int (*cb)(const struct chk_vs_info *info, void *ud), void *ud)
{
	struct chk_vs_info c = fc_vs;

	return cb(&c, ud);
}

int chk_api_rs_foreach(uint32_t vs_id, int (*cb)(const struct chk_rs_info *info, void *ud),
		       void *ud)
{
	if (vs_id != 1)
		return -ENOENT;
	for (size_t i = 0; i < 2; i++) {
		struct chk_rs_info c = fc_rs[i];
		int r = cb(&c, ud);

		if (r)
			return r;
	}
	return 0;
}

int chk_api_subscribe(uint32_t mask, chk_api_cb cb, void *ud)
{
	(void)mask;
	fc_sub.h = 1;
	fc_sub.cb = cb;
	fc_sub.ud = ud;
	return 1;
}

int chk_api_unsubscribe(int handle)
{
	if (handle != fc_sub.h || !fc_sub.cb)
		return -ENOENT;
	memset(&fc_sub, 0, sizeof(fc_sub));
	return 0;
}

static void fc_emit(enum chk_evt evt, uint32_t rs_id, bool old_up, bool new_up)
{
	struct chk_evt_info e = { .evt = evt, .vs_id = 1, .rs_id = rs_id, .old_up = old_up,
				  .new_up = new_up, .result = CHK_CONNECT_REFUSED };

	snprintf(e.reason, sizeof(e.reason), "connection refused");
	if (fc_sub.cb)
		fc_sub.cb(&e, fc_sub.ud);
}

int chk_cmd_set_weight(uint32_t vs_id, uint32_t rs_id, uint32_t weight, const char *origin)
{
	snprintf(fc_last_origin, sizeof(fc_last_origin), "%s", origin);
	if (vs_id != 1 || rs_id < 1 || rs_id > 2)
		return -ENOENT;
	if (weight > 65535)
		return -ERANGE;
	fc_rs[rs_id - 1].weight = weight;
	fc_emit(CHK_EVT_WEIGHT, rs_id, true, true);
	return 0;
}

int chk_cmd_set_enabled(uint32_t vs_id, uint32_t rs_id, bool enabled, const char *origin)
{
	snprintf(fc_last_origin, sizeof(fc_last_origin), "%s", origin);
	if (vs_id != 1 || rs_id < 1 || rs_id > 2)
		return -ENOENT;
	fc_rs[rs_id - 1].enabled = enabled;
	fc_rs[rs_id - 1].alive = enabled;
	fc_vs.n_rs_alive = (uint32_t)(fc_rs[0].alive + fc_rs[1].alive);
	fc_emit(CHK_EVT_RS_STATE, rs_id, !enabled, enabled);
	return 0;
}

/* ---- pure parts ---------------------------------------------------------- */

static void test_path_encode(void **state)
{
	char buf[BUS_PATH_MAX], back[256];
	static const char *const names[] = {
		"VI_1", "web.front-1", "", "_", "x y/z", "caf\xc3\xa9", "A", "0lead", "__",
	};

	(void)state;
	assert_int_equal(bus_path_encode("/p", "VI_1", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/p/VI_5f1");
	assert_int_equal(bus_path_encode("/p/", "web.front-1", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/p/web_2efront_2d1");
	assert_int_equal(bus_path_encode("/p", "", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/p/_");
	assert_int_equal(bus_path_encode("/", "a b", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/a_20b");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		assert_int_equal(bus_path_encode("/org/alived/Vrrp1/Instance", names[i], buf,
						 sizeof(buf)), 0);
		assert_true(dbus_validate_path(buf, NULL));
		assert_int_equal(bus_path_decode(buf, "/org/alived/Vrrp1/Instance", back,
						 sizeof(back)), 0);
		assert_string_equal(back, names[i]);
	}
	/* too small: fails cleanly at every size */
	for (size_t len = 0; len < sizeof("/p/web_2efront_2d1"); len++)
		assert_int_equal(bus_path_encode("/p", "web.front-1", buf, len), -ENAMETOOLONG);
}

static void test_path_decode_refuses(void **state)
{
	char buf[64];
	static const char *const bad[] = {
		"/q/abc",	/* other prefix */
		"/p/a/b",	/* two elements */
		"/p/",		/* empty element */
		"/p/a_2",	/* short escape */
		"/p/a_zz",	/* not hex */
		"/p/a_2E",	/* upper case: not canonical */
		"/p/a_41",	/* escaped alnum: not canonical */
		"/p/a_00",	/* NUL */
		"/pabc",	/* no separator */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(bus_path_decode(bad[i], "/p", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(bus_path_decode("/p/abcdef", "/p", buf, 4), -ENAMETOOLONG);
}

static int dummy_method(struct bus_call *c, DBusMessageIter *in)
{
	(void)c;
	(void)in;
	return 0;
}

static int dummy_get(DBusMessageIter *it, void *ud, const void *snap)
{
	const char *s = "x";

	(void)ud;
	(void)snap;
	return dbus_message_iter_append_basic(it, DBUS_TYPE_STRING, &s) ? 0 : -ENOMEM;
}

static void test_iface_check(void **state)
{
	char err[256];
	static const struct bus_method m_ok[] = {
		{ "Do", "ya{sv}", "a b", "s", "c", dummy_method, 0 }, { 0 },
	};
	static const struct bus_method m_names[] = {
		{ "Do", "yy", "a", "", "", dummy_method, 0 }, { 0 },
	};
	static const struct bus_method m_sig[] = {
		{ "Do", "a{", "a", "", "", dummy_method, 0 }, { 0 },
	};
	static const struct bus_property p_two[] = { { "P", "ss", dummy_get, NULL, 0 }, { 0 } };
	const struct bus_iface ok = { .name = "org.example.A", .methods = m_ok };
	const struct bus_iface names = { .name = "org.example.A", .methods = m_names };
	const struct bus_iface sig = { .name = "org.example.A", .methods = m_sig };
	const struct bus_iface two = { .name = "org.example.A", .props = p_two };
	const struct bus_iface badname = { .name = "noDots" };
	const struct bus_iface *const ours[] = {
		&bus_vrrp_manager_iface, &bus_vrrp_instance_iface, &bus_vrrp_ka_vrrp_iface,
		&bus_vrrp_ka_instance_iface, &bus_check_manager_iface, &bus_check_vs_iface,
		&bus_check_rs_iface,
	};

	(void)state;
	assert_int_equal(bus_iface_check(&ok, err, sizeof(err)), 0);
	assert_int_equal(bus_iface_check(&names, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "2 types but 1 names"));
	assert_int_equal(bus_iface_check(&sig, err, sizeof(err)), -EINVAL);
	assert_int_equal(bus_iface_check(&two, err, sizeof(err)), -EINVAL);
	assert_int_equal(bus_iface_check(&badname, err, sizeof(err)), -EINVAL);
	for (size_t i = 0; i < ARRAY_SIZE(ours); i++) {
		int r = bus_iface_check(ours[i], err, sizeof(err));

		if (r)
			print_error("%s: %s\n", ours[i]->name, err);
		assert_int_equal(r, 0);
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t cap = 0, n = 0, k;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			s = xrealloc(s, cap);
		}
		k = fread(s + n, 1, 4096, f);
		n += k;
	} while (k > 0);
	fclose(f);
	s[n] = '\0';
	return s;
}

static char *src_path(const char *rel)
{
	const char *top = getenv("ALIVED_SRCDIR");
	char *p;

	if (top)
		return xasprintf("%s/%s", top, rel);
	/* __FILE__ is .../tests/unit/test_bus_object.c */
	p = xstrdup(__FILE__);
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(p, '/');

		if (!slash) {
			free(p);
			return xasprintf("%s", rel);
		}
		*slash = '\0';
	}
	{
		char *r = xasprintf("%s/%s", p, rel);

		free(p);
		return r;
	}
}

/* The <interface name="NAME">...</interface> block of xml, as a new string. */
static char *xml_block(const char *xml, const char *name)
{
	char *head = xasprintf("  <interface name=\"%s\">", name);
	const char *a = strstr(xml, head), *z;
	char *r = NULL;

	free(head);
	if (!a)
		return NULL;
	z = strstr(a, "  </interface>\n");
	if (z)
		r = xstrndup(a, (size_t)(z - a) + strlen("  </interface>\n"));
	return r;
}

/* dbus/FILE holds exactly what the tables generate, for every interface listed. */
static void check_xml_file(const char *file, const struct bus_iface *const *ifaces, size_t n)
{
	char *path = src_path(file), *xml = slurp(path);
	size_t n_in_file = 0;

	if (!xml)
		print_error("cannot read %s\n", path);
	assert_non_null(xml);
	for (const char *p = xml; (p = strstr(p, "<interface ")) != NULL; p++)
		n_in_file++;
	assert_int_equal(n_in_file, n);
	for (size_t i = 0; i < n; i++) {
		char *gen = bus_iface_xml(ifaces[i]);
		char *blk = xml_block(xml, ifaces[i]->name);

		if (!blk || strcmp(gen, blk))
			print_error("%s: %s differs; generated:\n%s", file, ifaces[i]->name, gen);
		assert_non_null(blk);
		assert_string_equal(gen, blk);
		free(gen);
		free(blk);
	}
	assert_non_null(strstr(xml, "<node>"));
	free(xml);
	free(path);
}

static void test_xml_files(void **state)
{
	const struct bus_iface *const vrrp[] = {
		&bus_vrrp_manager_iface, &bus_vrrp_instance_iface,
	};
	const struct bus_iface *const ka[] = {
		&bus_vrrp_ka_vrrp_iface, &bus_vrrp_ka_instance_iface,
	};

	(void)state;
	check_xml_file("dbus/org.alived.Vrrp1.xml", vrrp, ARRAY_SIZE(vrrp));
	const struct bus_iface *const chk[] = {
		&bus_check_manager_iface, &bus_check_vs_iface, &bus_check_rs_iface,
	};

	check_xml_file("dbus/org.keepalived.Vrrp1.xml", ka, ARRAY_SIZE(ka));
	check_xml_file("dbus/org.alived.Check1.xml", chk, ARRAY_SIZE(chk));
}

static void test_iface_xml_shape(void **state)
{
	char *x = bus_iface_xml(&bus_vrrp_instance_iface);

	(void)state;
	assert_non_null(strstr(x, "<method name=\"SetPriority\">\n"
				  "      <arg name=\"priority\" type=\"y\" direction=\"in\"/>\n"
				  "    </method>\n"));
	assert_non_null(strstr(x, "<property name=\"BasePriority\" type=\"y\" "
				  "access=\"readwrite\"/>\n"));
	assert_non_null(strstr(x, "<property name=\"Stats\" type=\"a{st}\" access=\"read\">\n"
				  "      <annotation name=\"org.freedesktop.DBus.Property."
				  "EmitsChangedSignal\" value=\"false\"/>\n"));
	assert_non_null(strstr(x, "<signal name=\"StateChanged\">\n"
				  "      <arg name=\"new_state\" type=\"s\"/>\n"));
	assert_null(strstr(x, "<property name=\"State\" type=\"s\" access=\"read\">"));
	free(x);
}

static void test_introspect_nodes(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct bus *b = bus_new(loop, "unix:path=/nonexistent");
	const struct bus_iface *const ifs[] = { &bus_vrrp_ka_instance_iface, NULL };
	char *x;

	(void)state;
	assert_int_equal(bus_object_add(b, "/org/a/Inst/x_2ey", ifs, NULL, 0), 0);
	assert_int_equal(bus_object_add(b, "/org/a/Inst/x_2ey", ifs, NULL, 0), -EEXIST);
	assert_int_equal(bus_object_add(b, "/org/a/Inst/b/c", ifs, NULL, 0), 0);
	assert_int_equal(bus_object_add(b, "/org/a/Inst/b", ifs, NULL, 0), 0);
	assert_int_equal(bus_object_add(b, "/org/a/Inst/bc", ifs, NULL, BUS_OBJ_MANAGER), 0);
	assert_int_equal(bus_object_add(b, "/bad//path", ifs, NULL, 0), -EINVAL);
	assert_int_equal(bus_object_add(b, "no/slash", ifs, NULL, 0), -EINVAL);
	assert_int_equal(bus_object_count(b), 4);

	x = bus_introspect(b, "/");
	assert_non_null(x);
	assert_non_null(strstr(x, "<node name=\"org\"/>"));
	assert_null(strstr(x, "org.freedesktop.DBus.Properties"));	/* not an object */
	free(x);
	x = bus_introspect(b, "/org/a/Inst");
	assert_non_null(x);
	/* each child once, in order */
	assert_non_null(strstr(x, "  <node name=\"b\"/>\n  <node name=\"bc\"/>\n"
				  "  <node name=\"x_2ey\"/>\n</node>\n"));
	free(x);
	x = bus_introspect(b, "/org/a/Inst/b");
	assert_non_null(strstr(x, "<interface name=\"org.keepalived.Vrrp1.Instance\">"));
	assert_non_null(strstr(x, "<interface name=\"org.freedesktop.DBus.Properties\">"));
	assert_null(strstr(x, "org.freedesktop.DBus.ObjectManager"));
	assert_non_null(strstr(x, "<node name=\"c\"/>"));
	free(x);
	x = bus_introspect(b, "/org/a/Inst/bc");
	assert_non_null(strstr(x, "org.freedesktop.DBus.ObjectManager"));
	free(x);
	assert_null(bus_introspect(b, "/org/a/In"));
	assert_null(bus_introspect(b, "/nothing"));

	assert_int_equal(bus_object_remove(b, "/org/a/Inst/b"), 0);
	assert_int_equal(bus_object_remove(b, "/org/a/Inst/b"), -ENOENT);
	x = bus_introspect(b, "/org/a/Inst");
	assert_non_null(strstr(x, "<node name=\"b\"/>"));	/* b/c still there */
	free(x);
	bus_free(b);
	ev_loop_free(loop);
}

static void test_errno_names(void **state)
{
	(void)state;
	assert_string_equal(bus_errno_name(-EINVAL), BUS_ERR_INVALID_ARG);
	assert_string_equal(bus_errno_name(-ERANGE), BUS_ERR_INVALID_ARG);
	assert_string_equal(bus_errno_name(-ENOENT), BUS_ERR_NOT_FOUND);
	assert_string_equal(bus_errno_name(-EPERM), BUS_ERR_ACCESS_DENIED);
	assert_string_equal(bus_errno_name(-EAGAIN), BUS_ERR_FAILED);
	assert_true(bus_uid_privileged(0));
	assert_true(bus_uid_privileged(geteuid()));
}

static void test_ka_state_and_path(void **state)
{
	struct vrrp_api_info i = { 0 };
	const char *name;
	char buf[BUS_PATH_MAX];

	(void)state;
	assert_int_equal(bus_vrrp_ka_state(VRRP_API_ST_BACKUP, &name), 1);
	assert_string_equal(name, "Backup");
	assert_int_equal(bus_vrrp_ka_state(VRRP_API_ST_MASTER, &name), 2);
	assert_int_equal(bus_vrrp_ka_state(VRRP_API_ST_STOP, &name), 98);
	assert_string_equal(name, "Stop");
	snprintf(i.ifname, sizeof(i.ifname), "eth0.100");
	i.vrid = 51;
	i.family = AF_INET6;
	assert_int_equal(bus_vrrp_ka_path(&i, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/org/keepalived/Vrrp1/Instance/eth0_100/51/IPv6");
}

/* ---- live, over a private dbus-daemon ------------------------------------ */

struct live {
	struct ev_loop *loop;
	char dir[64];
	char addr[128];
	pid_t daemon;
	struct bus *client;
	struct cfg_root root;
	struct cfg_global global;
	/* signals the client saw */
	unsigned n_state_changed, n_props_changed, n_ka_status, n_added, n_removed, n_started;
	unsigned n_rs_state, n_rs_props;
	char last_new_state[32], last_props[256];
};

static bool have_daemon(void)
{
	return access("/usr/bin/dbus-daemon", X_OK) == 0 || access("/bin/dbus-daemon", X_OK) == 0;
}

static void daemon_start(struct live *l)
{
	char conf[128], sock[128];
	FILE *f;
	pid_t pid;

	snprintf(conf, sizeof(conf), "%s/bus.conf", l->dir);
	snprintf(sock, sizeof(sock), "%s/bus.sock", l->dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration "
		"1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
		"<busconfig><listen>unix:path=%s</listen><auth>EXTERNAL</auth>\n"
		"<policy context=\"default\"><allow user=\"*\"/><allow own=\"*\"/>"
		"<allow send_type=\"method_call\"/><allow send_type=\"signal\"/>"
		"<allow send_requested_reply=\"true\"/><allow receive_type=\"method_call\"/>"
		"<allow receive_type=\"signal\"/><allow receive_type=\"method_return\"/>"
		"<allow receive_type=\"error\"/></policy></busconfig>\n", sock);
	fclose(f);
	unlink(sock);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execlp("dbus-daemon", "dbus-daemon", "--nofork", "--nopidfile", "--config-file",
		       conf, (char *)NULL);
		_exit(127);
	}
	l->daemon = pid;
	for (int i = 0; i < 500 && access(sock, F_OK) != 0; i++)
		usleep(10000);
	assert_int_equal(access(sock, F_OK), 0);
}

static void daemon_stop(struct live *l)
{
	int st;

	if (l->daemon <= 0)
		return;
	kill(l->daemon, SIGTERM);
	waitpid(l->daemon, &st, 0);
	l->daemon = 0;
}

/* Runs the loop until cond(l) or about timeout_ms. */
static bool run_until(struct live *l, bool (*cond)(struct live *), unsigned timeout_ms)
{
	uint64_t end = ev_time_us() + (uint64_t)timeout_ms * 1000u;

	while (!cond(l)) {
		if (ev_time_us() > end)
			return false;
		ev_run_once(l->loop, 20000);
	}
	return true;
}

static bool both_up(struct live *l)
{
	struct bus *svc = bus_vrrp_bus(), *chk = bus_check_bus();

	return svc && bus_is_up(svc) && chk && bus_is_up(chk) && bus_is_up(l->client);
}

struct reply_box {
	DBusMessage *reply;
	bool done;
};

static void reply_cb(struct bus *b, DBusMessage *reply, void *ud)
{
	struct reply_box *box = ud;

	(void)b;
	box->reply = dbus_message_ref(reply);
	box->done = true;
}

static struct reply_box *cur_box;
static bool box_done(struct live *l)
{
	(void)l;
	return cur_box->done;
}

/* Sends m from the client and returns the reply (or error reply). */
static DBusMessage *call(struct live *l, DBusMessage *m)
{
	struct reply_box box = { 0 };

	assert_int_equal(bus_call_async(l->client, m, 3000, reply_cb, &box, NULL), 0);
	dbus_message_unref(m);
	cur_box = &box;
	assert_true(run_until(l, box_done, 4000));
	return box.reply;
}

static DBusMessage *mcall(const char *dest, const char *path, const char *iface,
			  const char *member)
{
	DBusMessage *m = dbus_message_new_method_call(dest, path, iface, member);

	assert_non_null(m);
	return m;
}

static const char *err_name(DBusMessage *r)
{
	return dbus_message_get_type(r) == DBUS_MESSAGE_TYPE_ERROR ? dbus_message_get_error_name(r)
								     : "";
}

static DBusMessage *get_prop(struct live *l, const char *dest, const char *path,
			     const char *iface, const char *prop)
{
	DBusMessage *m = mcall(dest, path, DBUS_INTERFACE_PROPERTIES, "Get");

	assert_true(dbus_message_append_args(m, DBUS_TYPE_STRING, &iface, DBUS_TYPE_STRING, &prop,
					     DBUS_TYPE_INVALID));
	return call(l, m);
}

/* Get of a string property. */
static void expect_str_prop(struct live *l, const char *path, const char *iface,
			    const char *prop, const char *want)
{
	DBusMessage *r = get_prop(l, strncmp(path, "/org/alived/Check1", 18) ? BUS_VRRP_NAME :
				  BUS_CHECK_NAME, path, iface, prop);
	DBusMessageIter it, v;
	const char *s;

	assert_string_equal(err_name(r), "");
	dbus_message_iter_init(r, &it);
	assert_int_equal(dbus_message_iter_get_arg_type(&it), DBUS_TYPE_VARIANT);
	dbus_message_iter_recurse(&it, &v);
	assert_int_equal(dbus_message_iter_get_arg_type(&v), DBUS_TYPE_STRING);
	dbus_message_iter_get_basic(&v, &s);
	assert_string_equal(s, want);
	dbus_message_unref(r);
}

static DBusHandlerResult client_filter(DBusConnection *c, DBusMessage *m, void *ud)
{
	struct live *l = ud;

	(void)c;
	if (dbus_message_is_signal(m, BUS_CHECK_IF_RS, "StateChanged")) {
		l->n_rs_state++;
	} else if (dbus_message_is_signal(m, DBUS_INTERFACE_PROPERTIES, "PropertiesChanged") &&
		   dbus_message_has_path(m, "/org/alived/Check1/VirtualServer/1/RealServer/2")) {
		l->n_rs_props++;
	} else if (dbus_message_is_signal(m, BUS_VRRP_IF_INSTANCE, "StateChanged")) {
		const char *nw = "", *old = "", *why = "";

		dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &nw, DBUS_TYPE_STRING, &old,
				      DBUS_TYPE_STRING, &why, DBUS_TYPE_INVALID);
		snprintf(l->last_new_state, sizeof(l->last_new_state), "%s", nw);
		l->n_state_changed++;
	} else if (dbus_message_is_signal(m, DBUS_INTERFACE_PROPERTIES, "PropertiesChanged")) {
		DBusMessageIter it, arr, ent;
		const char *iface, *k;
		size_t len = 0;

		dbus_message_iter_init(m, &it);
		dbus_message_iter_get_basic(&it, &iface);
		if (strcmp(iface, BUS_VRRP_IF_INSTANCE))
			return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
		dbus_message_iter_next(&it);
		dbus_message_iter_recurse(&it, &arr);
		l->last_props[0] = '\0';
		while (dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_DICT_ENTRY) {
			dbus_message_iter_recurse(&arr, &ent);
			dbus_message_iter_get_basic(&ent, &k);
			len += (size_t)snprintf(l->last_props + len, sizeof(l->last_props) - len,
						"%s ", k);
			dbus_message_iter_next(&arr);
		}
		l->n_props_changed++;
	} else if (dbus_message_is_signal(m, BUS_VRRP_KA_IF_INSTANCE, "VrrpStatusChange")) {
		l->n_ka_status++;
	} else if (dbus_message_is_signal(m, IF_OBJMGR, "InterfacesAdded")) {
		l->n_added++;
	} else if (dbus_message_is_signal(m, IF_OBJMGR, "InterfacesRemoved")) {
		l->n_removed++;
	} else if (dbus_message_is_signal(m, BUS_VRRP_IF_MANAGER, "Started")) {
		l->n_started++;
	}
	return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

static int live_setup(void **state)
{
	struct live *l;

	if (!have_daemon())
		return 0;
	l = xcalloc(1, sizeof(*l));
	snprintf(l->dir, sizeof(l->dir), "/tmp/test_bus_object.XXXXXX");
	assert_non_null(mkdtemp(l->dir));
	snprintf(l->addr, sizeof(l->addr), "unix:path=%s/bus.sock", l->dir);
	daemon_start(l);
	setenv("DBUS_SYSTEM_BUS_ADDRESS", l->addr, 1);
	l->loop = ev_loop_new();
	assert_non_null(l->loop);

	memset(fk, 0, sizeof(fk));
	fk_add(1, "VI_1", "eth0", 51, AF_INET, "192.0.2.10/24");
	fk_add(2, "web.front-1", "eth0.100", 52, AF_INET6, "2001:db8::10/64");
	l->global.enable_dbus = true;
	l->global.enable_dbus_compat = true;
	l->global.router_id = (char *)"r1";
	l->root.global = &l->global;
	assert_int_equal(bus_start(l->loop, &l->root), 0);
	assert_int_equal(bus_start(l->loop, &l->root), -EALREADY);
	fc_init();
	assert_int_equal(bus_check_start(l->loop, &l->root), 0);
	l->client = bus_new(l->loop, l->addr);
	assert_int_equal(bus_connect(l->client), 0);
	assert_true(run_until(l, both_up, 5000));
	assert_true(dbus_connection_add_filter(bus_connection(l->client), client_filter, l, NULL));
	{
		DBusMessage *m = mcall(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS, DBUS_INTERFACE_DBUS,
				       "AddMatch");
		const char *rule = "type='signal'";
		DBusMessage *r;

		assert_true(dbus_message_append_args(m, DBUS_TYPE_STRING, &rule,
						     DBUS_TYPE_INVALID));
		r = call(l, m);
		assert_string_equal(err_name(r), "");
		dbus_message_unref(r);
	}
	/* the name is ours once the bus answers GetNameOwner */
	for (int i = 0; i < 100; i++) {
		DBusMessage *m = mcall(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS, DBUS_INTERFACE_DBUS,
				       "GetNameOwner");
		const char *n = BUS_VRRP_NAME;
		DBusMessage *r;
		bool ok;

		assert_true(dbus_message_append_args(m, DBUS_TYPE_STRING, &n, DBUS_TYPE_INVALID));
		r = call(l, m);
		ok = !*err_name(r);
		dbus_message_unref(r);
		if (ok)
			break;
	}
	*state = l;
	return 0;
}

static int live_teardown(void **state)
{
	struct live *l = *state;

	if (!l)
		return 0;
	bus_stop();
	bus_check_stop();
	bus_free(l->client);
	ev_loop_free(l->loop);
	daemon_stop(l);
	{
		char p[128];

		snprintf(p, sizeof(p), "%s/bus.conf", l->dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/bus.sock", l->dir);
		unlink(p);
		rmdir(l->dir);
	}
	free(l);
	return 0;
}

static bool got_state_changed(struct live *l)
{
	return l->n_state_changed > 0 && l->n_ka_status > 0 && l->n_props_changed > 1;
}

static bool got_removed(struct live *l)
{
	return l->n_removed > 0;
}

static bool svc_reconnected(struct live *l)
{
	struct bus *svc = bus_vrrp_bus();

	return svc && bus_connects(svc) >= 2 && bus_is_up(svc) && bus_is_up(l->client) &&
	       bus_connects(l->client) >= 2;
}

static void test_live(void **state)
{
	struct live *l = *state;
	const char *p1 = "/org/alived/Vrrp1/Instance/VI_5f1";
	const char *p2 = "/org/alived/Vrrp1/Instance/web_2efront_2d1";
	DBusMessage *m, *r;
	DBusMessageIter it, arr;
	unsigned char prio;
	char *xml;
	int n;

	if (!l) {
		skip();
		return;
	}
	/* tree */
	r = call(l, mcall(BUS_VRRP_NAME, "/org/alived/Vrrp1/Instance",
			  DBUS_INTERFACE_INTROSPECTABLE, "Introspect"));
	assert_true(dbus_message_get_args(r, NULL, DBUS_TYPE_STRING, &xml, DBUS_TYPE_INVALID));
	assert_non_null(strstr(xml, "<node name=\"VI_5f1\"/>"));
	assert_non_null(strstr(xml, "<node name=\"web_2efront_2d1\"/>"));
	dbus_message_unref(r);

	/* properties */
	expect_str_prop(l, p1, BUS_VRRP_IF_INSTANCE, "Name", "VI_1");
	expect_str_prop(l, p2, BUS_VRRP_IF_INSTANCE, "Name", "web.front-1");
	expect_str_prop(l, p1, BUS_VRRP_IF_INSTANCE, "State", "BACKUP");
	expect_str_prop(l, p2, BUS_VRRP_IF_INSTANCE, "Family", "IPv6");
	expect_str_prop(l, BUS_VRRP_PATH, BUS_VRRP_IF_MANAGER, "RouterId", "r1");
	r = get_prop(l, BUS_VRRP_NAME, p1, BUS_VRRP_IF_INSTANCE, "Nope");
	assert_string_equal(err_name(r), "org.freedesktop.DBus.Error.UnknownProperty");
	dbus_message_unref(r);
	r = get_prop(l, BUS_VRRP_NAME, "/org/alived/Vrrp1/Instance/none", BUS_VRRP_IF_INSTANCE,
		     "Name");
	assert_string_equal(err_name(r), "org.freedesktop.DBus.Error.UnknownObject");
	dbus_message_unref(r);

	/* GetAll */
	m = mcall(BUS_VRRP_NAME, p1, DBUS_INTERFACE_PROPERTIES, "GetAll");
	{
		const char *ifn = BUS_VRRP_IF_INSTANCE;

		dbus_message_append_args(m, DBUS_TYPE_STRING, &ifn, DBUS_TYPE_INVALID);
	}
	r = call(l, m);
	assert_string_equal(dbus_message_get_signature(r), "a{sv}");
	dbus_message_iter_init(r, &it);
	dbus_message_iter_recurse(&it, &arr);
	for (n = 0; dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_DICT_ENTRY; n++)
		dbus_message_iter_next(&arr);
	assert_int_equal(n, 16);
	dbus_message_unref(r);

	/* keepalived's interface */
	r = get_prop(l, "org.keepalived.Vrrp1", "/org/keepalived/Vrrp1/Instance/eth0/51/IPv4",
		     BUS_VRRP_KA_IF_INSTANCE, "State");
	assert_string_equal(dbus_message_get_signature(r), "v");
	dbus_message_iter_init(r, &it);
	dbus_message_iter_recurse(&it, &arr);
	{
		char *sig = dbus_message_iter_get_signature(&arr);
		DBusMessageIter st;
		dbus_uint32_t num = 0;
		const char *sname = "";

		assert_string_equal(sig, "(us)");
		dbus_free(sig);
		dbus_message_iter_recurse(&arr, &st);
		dbus_message_iter_get_basic(&st, &num);
		dbus_message_iter_next(&st);
		dbus_message_iter_get_basic(&st, &sname);
		assert_int_equal(num, 1);
		assert_string_equal(sname, "Backup");
	}
	dbus_message_unref(r);

	/* methods: named errors, then a change that moves the state */
	prio = 0;
	m = mcall(BUS_VRRP_NAME, p1, BUS_VRRP_IF_INSTANCE, "SetPriority");
	dbus_message_append_args(m, DBUS_TYPE_BYTE, &prio, DBUS_TYPE_INVALID);
	r = call(l, m);
	assert_string_equal(err_name(r), BUS_ERR_INVALID_ARG);
	dbus_message_unref(r);
	m = mcall(BUS_VRRP_NAME, p1, BUS_VRRP_IF_INSTANCE, "SetPriority");
	dbus_message_append_args(m, DBUS_TYPE_STRING, &p1, DBUS_TYPE_INVALID);
	r = call(l, m);
	assert_string_equal(err_name(r), "org.freedesktop.DBus.Error.InvalidArgs");
	dbus_message_unref(r);
	r = call(l, mcall(BUS_VRRP_NAME, p1, BUS_VRRP_IF_INSTANCE, "SendGarp"));
	assert_string_equal(err_name(r), BUS_ERR_FAILED);	/* -EAGAIN: not master */
	dbus_message_unref(r);
	r = call(l, mcall(BUS_VRRP_NAME, p1, BUS_VRRP_IF_INSTANCE, "NoSuch"));
	assert_string_equal(err_name(r), "org.freedesktop.DBus.Error.UnknownMethod");
	dbus_message_unref(r);
	r = call(l, mcall(BUS_VRRP_NAME, p1, "org.example.Nope", "SendGarp"));
	assert_string_equal(err_name(r), "org.freedesktop.DBus.Error.UnknownInterface");
	dbus_message_unref(r);

	prio = 200;
	m = mcall(BUS_VRRP_NAME, p1, BUS_VRRP_IF_INSTANCE, "SetPriority");
	dbus_message_append_args(m, DBUS_TYPE_BYTE, &prio, DBUS_TYPE_INVALID);
	r = call(l, m);
	assert_string_equal(err_name(r), "");
	dbus_message_unref(r);
	assert_int_equal(fk[0].info.base_priority, 200);
	assert_int_equal(fk_last_origin.kind, CMD_ORIGIN_DBUS);
	assert_int_equal(fk_last_origin.uid, geteuid());
	assert_true(run_until(l, got_state_changed, 2000));
	assert_string_equal(l->last_new_state, "MASTER");
	expect_str_prop(l, p1, BUS_VRRP_IF_INSTANCE, "State", "MASTER");
	r = call(l, mcall(BUS_VRRP_NAME, p1, BUS_VRRP_IF_INSTANCE, "SendGarp"));
	assert_string_equal(err_name(r), "");
	dbus_message_unref(r);

	/* Set: type checked, read-only refused, writable applied */
	{
		DBusMessageIter v;
		const char *ifn = BUS_VRRP_IF_INSTANCE, *pn = "BasePriority", *sv = "x";
		unsigned char y = 90;

		m = mcall(BUS_VRRP_NAME, p1, DBUS_INTERFACE_PROPERTIES, "Set");
		dbus_message_iter_init_append(m, &it);
		dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &ifn);
		dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &pn);
		dbus_message_iter_open_container(&it, DBUS_TYPE_VARIANT, "s", &v);
		dbus_message_iter_append_basic(&v, DBUS_TYPE_STRING, &sv);
		dbus_message_iter_close_container(&it, &v);
		r = call(l, m);
		assert_string_equal(err_name(r), "org.freedesktop.DBus.Error.InvalidArgs");
		dbus_message_unref(r);

		m = mcall(BUS_VRRP_NAME, p1, DBUS_INTERFACE_PROPERTIES, "Set");
		dbus_message_iter_init_append(m, &it);
		dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &ifn);
		dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &pn);
		dbus_message_iter_open_container(&it, DBUS_TYPE_VARIANT, "y", &v);
		dbus_message_iter_append_basic(&v, DBUS_TYPE_BYTE, &y);
		dbus_message_iter_close_container(&it, &v);
		r = call(l, m);
		assert_string_equal(err_name(r), "");
		dbus_message_unref(r);
		assert_int_equal(fk[0].info.base_priority, 90);

		pn = "Name";
		m = mcall(BUS_VRRP_NAME, p1, DBUS_INTERFACE_PROPERTIES, "Set");
		dbus_message_iter_init_append(m, &it);
		dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &ifn);
		dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &pn);
		dbus_message_iter_open_container(&it, DBUS_TYPE_VARIANT, "s", &v);
		dbus_message_iter_append_basic(&v, DBUS_TYPE_STRING, &sv);
		dbus_message_iter_close_container(&it, &v);
		r = call(l, m);
		assert_string_equal(err_name(r), "org.freedesktop.DBus.Error.PropertyReadOnly");
		dbus_message_unref(r);
	}

	/* manager */
	r = call(l, mcall(BUS_VRRP_NAME, BUS_VRRP_PATH, BUS_VRRP_IF_MANAGER, "DumpData"));
	assert_true(dbus_message_get_args(r, NULL, DBUS_TYPE_STRING, &xml, DBUS_TYPE_INVALID));
	assert_non_null(strstr(xml, "instance VI_1: MASTER"));
	assert_non_null(strstr(xml, "instance web.front-1: BACKUP"));
	dbus_message_unref(r);
	r = call(l, mcall(BUS_VRRP_NAME, BUS_VRRP_PATH, BUS_VRRP_IF_MANAGER, "Reload"));
	assert_string_equal(err_name(r), "");
	dbus_message_unref(r);
	assert_int_equal(fk_reloads, 1);
	r = call(l, mcall(BUS_VRRP_NAME, BUS_VRRP_PATH, IF_OBJMGR,
			  "GetManagedObjects"));
	assert_string_equal(dbus_message_get_signature(r), "a{oa{sa{sv}}}");
	dbus_message_iter_init(r, &it);
	dbus_message_iter_recurse(&it, &arr);
	for (n = 0; dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_DICT_ENTRY; n++)
		dbus_message_iter_next(&arr);
	assert_int_equal(n, 2);
	dbus_message_unref(r);

	/* an instance goes: its objects go, with InterfacesRemoved */
	fk_remove(2);
	assert_true(run_until(l, got_removed, 2000));
	r = get_prop(l, BUS_VRRP_NAME, p2, BUS_VRRP_IF_INSTANCE, "Name");
	assert_string_equal(err_name(r), "org.freedesktop.DBus.Error.UnknownObject");
	dbus_message_unref(r);
	assert_false(bus_object_exists(bus_vrrp_bus(),
				       "/org/keepalived/Vrrp1/Instance/eth0_100/52/IPv6"));

	/* the bus restarts: the service comes back with everything */
	daemon_stop(l);
	daemon_start(l);
	assert_true(run_until(l, svc_reconnected, 8000));
	for (int i = 0; i < 50; i++) {
		r = get_prop(l, BUS_VRRP_NAME, p1, BUS_VRRP_IF_INSTANCE, "State");
		n = !*err_name(r);
		dbus_message_unref(r);
		if (n)
			break;
		usleep(20000);
	}
	expect_str_prop(l, p1, BUS_VRRP_IF_INSTANCE, "State", "MASTER");
}

static bool got_rs_signals(struct live *l)
{
	return l->n_rs_state > 0 && l->n_rs_props > 1;
}

static uint32_t get_u32_prop(struct live *l, const char *path, const char *iface,
			     const char *prop)
{
	DBusMessage *r = get_prop(l, BUS_CHECK_NAME, path, iface, prop);
	DBusMessageIter it, v;
	dbus_uint32_t u = 0;

	assert_string_equal(err_name(r), "");
	dbus_message_iter_init(r, &it);
	dbus_message_iter_recurse(&it, &v);
	assert_int_equal(dbus_message_iter_get_arg_type(&v), DBUS_TYPE_UINT32);
	dbus_message_iter_get_basic(&v, &u);
	dbus_message_unref(r);
	return u;
}

static void test_live_check(void **state)
{
	struct live *l = *state;
	const char *vs = "/org/alived/Check1/VirtualServer/1";
	const char *rs2 = "/org/alived/Check1/VirtualServer/1/RealServer/2";
	DBusMessageIter it, arr;
	DBusMessage *m, *r;
	dbus_uint32_t w;
	dbus_bool_t on;
	char *xml;
	int n;

	if (!l) {
		skip();
		return;
	}
	r = call(l, mcall(BUS_CHECK_NAME, vs, DBUS_INTERFACE_INTROSPECTABLE, "Introspect"));
	assert_true(dbus_message_get_args(r, NULL, DBUS_TYPE_STRING, &xml, DBUS_TYPE_INVALID));
	assert_non_null(strstr(xml, "<interface name=\"org.alived.Check1.VirtualServer\">"));
	assert_non_null(strstr(xml, "<node name=\"RealServer\"/>"));
	dbus_message_unref(r);
	expect_str_prop(l, vs, BUS_CHECK_IF_VS, "Address", "192.0.2.80");
	expect_str_prop(l, vs, BUS_CHECK_IF_VS, "Scheduler", cfg_lvs_sched_name(fc_vs.sched));
	expect_str_prop(l, rs2, BUS_CHECK_IF_RS, "Address", "192.0.2.2");
	expect_str_prop(l, rs2, BUS_CHECK_IF_RS, "LastCheckResult", "ok");
	assert_int_equal(get_u32_prop(l, rs2, BUS_CHECK_IF_RS, "Weight"), 1);

	w = 70000;
	m = mcall(BUS_CHECK_NAME, rs2, BUS_CHECK_IF_RS, "SetWeight");
	dbus_message_append_args(m, DBUS_TYPE_UINT32, &w, DBUS_TYPE_INVALID);
	r = call(l, m);
	assert_string_equal(err_name(r), BUS_ERR_INVALID_ARG);
	dbus_message_unref(r);
	w = 5;
	m = mcall(BUS_CHECK_NAME, rs2, BUS_CHECK_IF_RS, "SetWeight");
	dbus_message_append_args(m, DBUS_TYPE_UINT32, &w, DBUS_TYPE_INVALID);
	r = call(l, m);
	assert_string_equal(err_name(r), "");
	dbus_message_unref(r);
	assert_non_null(strstr(fc_last_origin, "D-Bus"));
	assert_int_equal(get_u32_prop(l, rs2, BUS_CHECK_IF_RS, "Weight"), 5);

	on = FALSE;
	m = mcall(BUS_CHECK_NAME, rs2, BUS_CHECK_IF_RS, "SetEnabled");
	dbus_message_append_args(m, DBUS_TYPE_BOOLEAN, &on, DBUS_TYPE_INVALID);
	r = call(l, m);
	assert_string_equal(err_name(r), "");
	dbus_message_unref(r);
	assert_true(run_until(l, got_rs_signals, 2000));
	assert_int_equal(get_u32_prop(l, vs, BUS_CHECK_IF_VS, "RealServersAlive"), 1);

	r = call(l, mcall(BUS_CHECK_NAME, "/org/alived/Check1", IF_OBJMGR, "GetManagedObjects"));
	dbus_message_iter_init(r, &it);
	dbus_message_iter_recurse(&it, &arr);
	for (n = 0; dbus_message_iter_get_arg_type(&arr) == DBUS_TYPE_DICT_ENTRY; n++)
		dbus_message_iter_next(&arr);
	assert_int_equal(n, 3);
	dbus_message_unref(r);
	r = call(l, mcall(BUS_CHECK_NAME, "/org/alived/Check1", "org.alived.Check1.Manager",
			  "DumpData"));
	assert_true(dbus_message_get_args(r, NULL, DBUS_TYPE_STRING, &xml, DBUS_TYPE_INVALID));
	assert_non_null(strstr(xml, "real server 2: 192.0.2.2 port 8080, dead (disabled), "
				    "weight 5"));
	dbus_message_unref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_encode),
		cmocka_unit_test(test_path_decode_refuses),
		cmocka_unit_test(test_iface_check),
		cmocka_unit_test(test_iface_xml_shape),
		cmocka_unit_test(test_xml_files),
		cmocka_unit_test(test_introspect_nodes),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_ka_state_and_path),
		cmocka_unit_test_setup_teardown(test_live, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_live_check, live_setup, live_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
