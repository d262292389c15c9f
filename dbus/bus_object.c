/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table-driven D-Bus objects on libdbus-1 (see bus_int.h).
 *
 * One fallback handler at "/" receives every method call of the
 * connection; objects live in a registry sorted by path, which survives
 * reconnections. Intermediate nodes ("/", "/org", ...) answer Introspect
 * with their child nodes, so `busctl tree` walks everything.
 *
 * Who may change things: mutating methods and Properties.Set need a
 * privileged caller (bus_uid_privileged()). The bus policy already says
 * so; we check again with the uid the bus daemon knows for the sender's
 * unique name. dbus_bus_get_unix_user() would block, so the first
 * mutating call of a sender holds its message, asks the bus with an
 * asynchronous GetConnectionUnixUser, and re-dispatches the message when
 * the answer comes. Answers are cached per unique name (a unique name is
 * never reused on a bus, and its uid cannot change) in a small ring that
 * is emptied when the connection is lost (a new bus may reuse names).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alived/ev.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "bus_int.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ERR_UNKNOWN_OBJECT	"org.freedesktop.DBus.Error.UnknownObject"
#define ERR_UNKNOWN_IFACE	"org.freedesktop.DBus.Error.UnknownInterface"
#define ERR_UNKNOWN_METHOD	"org.freedesktop.DBus.Error.UnknownMethod"
#define ERR_UNKNOWN_PROPERTY	"org.freedesktop.DBus.Error.UnknownProperty"
#define ERR_READ_ONLY		"org.freedesktop.DBus.Error.PropertyReadOnly"
#define ERR_INVALID_ARGS	"org.freedesktop.DBus.Error.InvalidArgs"
#define ERR_LIMITS		"org.freedesktop.DBus.Error.LimitsExceeded"
#define IFACE_OBJMGR		"org.freedesktop.DBus.ObjectManager"

struct bus_obj {
	char *path;
	const struct bus_iface *ifaces[BUS_OBJ_IFACES_MAX];
	size_t n_ifaces;
	void *ud;
	unsigned flags;
};

struct bus_uid_ent {
	char name[64];			/* unique name; "" = free slot */
	uid_t uid;
};

struct bus_reg {
	struct bus *b;
	DBusConnection *conn;		/* borrowed while attached */
	struct bus_obj **v;		/* sorted by path */
	size_t n, cap;
	struct bus_uid_ent cache[BUS_UID_CACHE];
	unsigned cache_next;
	unsigned n_uid_pending;
	struct log_ratelimit denied_rl;
};

/* ---- registry ---------------------------------------------------------------- */

/* Index of the first object whose path is >= path. */
static size_t reg_lower(const struct bus_reg *r, const char *path)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->v[mid]->path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct bus_obj *reg_find(const struct bus_reg *r, const char *path)
{
	size_t i = reg_lower(r, path);

	return i < r->n && !strcmp(r->v[i]->path, path) ? r->v[i] : NULL;
}

/* "P/" for P, "/" for "/". */
static void child_prefix(const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", path, strcmp(path, "/") ? "/" : "");
}

/* Calls fn for each object strictly below path. */
static void reg_each_below(const struct bus_reg *r, const char *path,
			   void (*fn)(struct bus_obj *o, void *ud), void *ud)
{
	char pre[BUS_PATH_MAX + 2];
	size_t pl;

	child_prefix(path, pre, sizeof(pre));
	pl = strlen(pre);
	for (size_t i = reg_lower(r, pre); i < r->n && !strncmp(r->v[i]->path, pre, pl); i++)
		fn(r->v[i], ud);
}

static const struct bus_iface *obj_iface(const struct bus_obj *o, const char *name)
{
	for (size_t i = 0; i < o->n_ifaces; i++)
		if (!strcmp(o->ifaces[i]->name, name))
			return o->ifaces[i];
	return NULL;
}

static const struct bus_property *iface_prop(const struct bus_iface *i, const char *name)
{
	for (const struct bus_property *p = i->props; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* The nearest object above path that is an ObjectManager. */
static struct bus_obj *reg_manager_of(const struct bus_reg *r, const char *path)
{
	char buf[BUS_PATH_MAX];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	while ((slash = strrchr(buf, '/')) != NULL) {
		struct bus_obj *o;

		if (slash == buf) {
			if (!buf[1])
				break;
			buf[1] = '\0';
		} else {
			*slash = '\0';
		}
		o = reg_find(r, buf);
		if (o && (o->flags & BUS_OBJ_MANAGER))
			return o;
	}
	return NULL;
}

/* ---- values ------------------------------------------------------------------- */

/* Takes the object's snapshot for iface into *ret (NULL when it has none). */
static int iface_snap(const struct bus_iface *i, void *ud, void **ret)
{
	void *snap = NULL;
	int r;

	if (i->snap_size) {
		snap = xcalloc(1, i->snap_size);
		r = i->snapshot(ud, snap);
		if (r < 0) {
			free(snap);
			return r;
		}
	}
	*ret = snap;
	return 0;
}

static int append_prop_value(DBusMessageIter *it, const struct bus_property *p, void *ud,
			     const void *snap)
{
	DBusMessageIter var;
	int r;

	if (!dbus_message_iter_open_container(it, DBUS_TYPE_VARIANT, p->sig, &var))
		return -ENOMEM;
	r = p->get(&var, ud, snap);
	if (r < 0) {
		dbus_message_iter_abandon_container(it, &var);
		return r;
	}
	return dbus_message_iter_close_container(it, &var) ? 0 : -ENOMEM;
}

/*
 * Appends a{sv} with the properties of i: all when names is NULL, else the
 * listed ones that emit changes. *ret_count (may be NULL) gets how many.
 */
static int append_prop_dict(DBusMessageIter *it, const struct bus_iface *i, void *ud,
			    const char *const *names, size_t n, size_t *ret_count)
{
	DBusMessageIter dict, ent;
	void *snap = NULL;
	size_t count = 0;
	int r;

	r = iface_snap(i, ud, &snap);
	if (r < 0)
		return r;
	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sv}", &dict)) {
		r = -ENOMEM;
		goto out;
	}
	for (const struct bus_property *p = i->props; p && p->name; p++) {
		if (names) {
			bool listed = false;

			for (size_t k = 0; k < n && !listed; k++)
				listed = !strcmp(names[k], p->name);
			if (!listed || !(p->flags & BUS_PROP_EMITS_CHANGE))
				continue;
		}
		if (!dbus_message_iter_open_container(&dict, DBUS_TYPE_DICT_ENTRY, NULL, &ent) ||
		    !dbus_message_iter_append_basic(&ent, DBUS_TYPE_STRING, &p->name)) {
			r = -ENOMEM;
			break;
		}
		r = append_prop_value(&ent, p, ud, snap);
		if (r < 0) {
			dbus_message_iter_abandon_container(&dict, &ent);
			break;
		}
		if (!dbus_message_iter_close_container(&dict, &ent)) {
			r = -ENOMEM;
			break;
		}
		count++;
	}
	if (r < 0)
		dbus_message_iter_abandon_container(it, &dict);
	else if (!dbus_message_iter_close_container(it, &dict))
		r = -ENOMEM;
out:
	free(snap);
	if (r == 0 && ret_count)
		*ret_count = count;
	return r;
}

/* Appends a{sa{sv}}: every interface of o with all its properties. */
static int append_obj_ifaces(DBusMessageIter *it, const struct bus_obj *o)
{
	DBusMessageIter arr, ent;
	int r = 0;

	if (!dbus_message_iter_open_container(it, DBUS_TYPE_ARRAY, "{sa{sv}}", &arr))
		return -ENOMEM;
	for (size_t i = 0; i < o->n_ifaces && r == 0; i++) {
		if (!dbus_message_iter_open_container(&arr, DBUS_TYPE_DICT_ENTRY, NULL, &ent) ||
		    !dbus_message_iter_append_basic(&ent, DBUS_TYPE_STRING, &o->ifaces[i]->name)) {
			r = -ENOMEM;
			break;
		}
		r = append_prop_dict(&ent, o->ifaces[i], o->ud, NULL, 0, NULL);
		if (r < 0)
			dbus_message_iter_abandon_container(&arr, &ent);
		else if (!dbus_message_iter_close_container(&arr, &ent))
			r = -ENOMEM;
	}
	if (r < 0)
		dbus_message_iter_abandon_container(it, &arr);
	else if (!dbus_message_iter_close_container(it, &arr))
		r = -ENOMEM;
	return r;
}

/* ---- replies ------------------------------------------------------------------- */

static void reply_error(struct bus_reg *r, DBusMessage *m, const char *name, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));

static void reply_error(struct bus_reg *r, DBusMessage *m, const char *name, const char *fmt,
			...)
{
	char msg[512];
	DBusMessage *e;
	va_list ap;

	if (dbus_message_get_no_reply(m))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e = dbus_message_new_error(m, name, msg);
	if (e) {
		bus_send(r->b, e);
		dbus_message_unref(e);
	}
}

static void reply_send(struct bus_reg *r, DBusMessage *call, DBusMessage *reply)
{
	if (!reply)
		return;		/* out of memory: the caller times out */
	if (!dbus_message_get_no_reply(call))
		bus_send(r->b, reply);
	dbus_message_unref(reply);
}

/* ---- caller's uid ---------------------------------------------------------------- */

struct uid_req {
	struct bus_reg *r;
	DBusMessage *msg;		/* the held call */
};

static void reg_dispatch(struct bus_reg *r, DBusMessage *m, const uid_t *uid);

static bool uid_cache_get(const struct bus_reg *r, const char *name, uid_t *ret)
{
	for (size_t i = 0; i < BUS_UID_CACHE; i++) {
		if (r->cache[i].name[0] && !strcmp(r->cache[i].name, name)) {
			*ret = r->cache[i].uid;
			return true;
		}
	}
	return false;
}

static void uid_cache_put(struct bus_reg *r, const char *name, uid_t uid)
{
	struct bus_uid_ent *e;
	uid_t old;

	if (strlen(name) >= sizeof(e->name) || uid_cache_get(r, name, &old))
		return;
	e = &r->cache[r->cache_next++ % BUS_UID_CACHE];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->uid = uid;
}

static void uid_reply(struct bus *b, DBusMessage *reply, void *ud)
{
	struct uid_req *q = ud;
	dbus_uint32_t uid = 0;
	DBusError err;

	(void)b;
	dbus_error_init(&err);
	if (dbus_set_error_from_message(&err, reply) ||
	    !dbus_message_get_args(reply, &err, DBUS_TYPE_UINT32, &uid, DBUS_TYPE_INVALID)) {
		reply_error(q->r, q->msg, BUS_ERR_ACCESS_DENIED, "cannot identify the caller: %s",
			    err.message ? err.message : "?");
		dbus_error_free(&err);
		return;
	}
	uid_cache_put(q->r, dbus_message_get_sender(q->msg), (uid_t)uid);
	reg_dispatch(q->r, q->msg, &(uid_t){ (uid_t)uid });
}

static void uid_req_free(void *ud)
{
	struct uid_req *q = ud;

	q->r->n_uid_pending--;
	dbus_message_unref(q->msg);
	free(q);
}

/*
 * The caller's uid: 1 with *ret_uid; 0 when a look-up was started (the
 * message is dispatched again with the answer); -errno when it cannot be
 * known (the caller then gets an error).
 */
static int caller_uid(struct bus_reg *r, DBusMessage *m, const uid_t *known, uid_t *ret_uid)
{
	const char *sender = dbus_message_get_sender(m);
	DBusMessage *call;
	struct uid_req *q;
	int rc;

	if (known) {
		*ret_uid = *known;
		return 1;
	}
	if (!sender)
		return -EACCES;
	if (uid_cache_get(r, sender, ret_uid))
		return 1;
	if (r->n_uid_pending >= BUS_UID_PENDING_MAX)
		return -EBUSY;
	call = dbus_message_new_method_call(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS, DBUS_INTERFACE_DBUS,
					    "GetConnectionUnixUser");
	if (!call)
		return -ENOMEM;
	if (!dbus_message_append_args(call, DBUS_TYPE_STRING, &sender, DBUS_TYPE_INVALID)) {
		dbus_message_unref(call);
		return -ENOMEM;
	}
	q = xcalloc(1, sizeof(*q));
	q->r = r;
	q->msg = dbus_message_ref(m);
	r->n_uid_pending++;
	rc = bus_call_async(r->b, call, BUS_CALL_TIMEOUT_MS, uid_reply, q, uid_req_free);
	dbus_message_unref(call);
	if (rc < 0) {
		uid_req_free(q);
		return rc;
	}
	return 0;
}

/* 1: go on with *ret_uid; 0: wait (held) or refused (error sent). */
static int need_privilege(struct bus_reg *r, DBusMessage *m, const uid_t *known, uid_t *ret_uid)
{
	int rc = caller_uid(r, m, known, ret_uid);

	if (rc == 0)
		return 0;
	if (rc < 0) {
		if (rc == -EBUSY)
			reply_error(r, m, ERR_LIMITS, "too many calls waiting for identification");
		else
			reply_error(r, m, BUS_ERR_ACCESS_DENIED, "cannot identify the caller");
		return 0;
	}
	if (!bus_uid_privileged(*ret_uid)) {
		if (log_ratelimit_ok(&r->denied_rl, ev_time_us(), 10, 10000000))
			log_notice("D-Bus: %s.%s on %s by uid %u (%s) denied",
				   dbus_message_get_interface(m) ? dbus_message_get_interface(m)
								 : "?",
				   dbus_message_get_member(m), dbus_message_get_path(m),
				   (unsigned)*ret_uid, dbus_message_get_sender(m));
		reply_error(r, m, BUS_ERR_ACCESS_DENIED, "only root may do this");
		return 0;
	}
	return 1;
}

/* ---- standard interfaces ------------------------------------------------------------ */

static bool is_node(const struct bus_reg *r, const char *path)
{
	char pre[BUS_PATH_MAX + 2];
	size_t i;

	if (!strcmp(path, "/") || reg_find(r, path))
		return true;
	child_prefix(path, pre, sizeof(pre));
	i = reg_lower(r, pre);
	return i < r->n && !strncmp(r->v[i]->path, pre, strlen(pre));
}

char *bus_introspect(const struct bus *b, const char *path)
{
	const struct bus_reg *r = bus_get_reg(b);
	const struct bus_obj *o = reg_find(r, path);
	char pre[BUS_PATH_MAX + 2];
	const char *last = NULL;
	size_t last_len = 0, pl;
	struct bus_sbuf sb = { 0 };

	if (!is_node(r, path))
		return NULL;
	bus_xml_node_begin(&sb, o != NULL, o && (o->flags & BUS_OBJ_MANAGER));
	for (size_t i = 0; o && i < o->n_ifaces; i++)
		bus_xml_iface(&sb, o->ifaces[i]);
	child_prefix(path, pre, sizeof(pre));
	pl = strlen(pre);
	for (size_t i = reg_lower(r, pre); i < r->n && !strncmp(r->v[i]->path, pre, pl); i++) {
		const char *el = r->v[i]->path + pl;
		size_t el_len = strcspn(el, "/");

		if (last && el_len == last_len && !strncmp(el, last, el_len))
			continue;	/* same child: paths below it sort together */
		bus_sbuf_add(&sb, "  <node name=\"%.*s\"/>\n", (int)el_len, el);
		last = el;
		last_len = el_len;
	}
	bus_sbuf_add(&sb, "</node>\n");
	return sb.s;
}

static void do_introspect(struct bus_reg *r, DBusMessage *m, const char *path)
{
	char *xml = bus_introspect(r->b, path);
	DBusMessage *reply;

	if (!xml) {
		reply_error(r, m, ERR_UNKNOWN_OBJECT, "no object at %s", path);
		return;
	}
	reply = dbus_message_new_method_return(m);
	if (reply && dbus_message_append_args(reply, DBUS_TYPE_STRING, &xml, DBUS_TYPE_INVALID))
		reply_send(r, m, reply);
	else if (reply)
		dbus_message_unref(reply);
	free(xml);
}

/* Finds iface (any interface of o when name is "") and prop. */
static int find_prop(const struct bus_obj *o, const char *iname, const char *pname,
		     const struct bus_iface **ret_i, const struct bus_property **ret_p)
{
	for (size_t k = 0; k < o->n_ifaces; k++) {
		const struct bus_iface *i = o->ifaces[k];
		const struct bus_property *p;

		if (*iname && strcmp(i->name, iname))
			continue;
		p = iface_prop(i, pname);
		if (p) {
			*ret_i = i;
			*ret_p = p;
			return 0;
		}
		if (*iname)
			return -ENOENT;
	}
	return *iname && !obj_iface(o, iname) ? -ENXIO : -ENOENT;
}

static void do_get(struct bus_reg *r, DBusMessage *m, struct bus_obj *o)
{
	const char *iname, *pname;
	const struct bus_iface *i;
	const struct bus_property *p;
	DBusMessage *reply = NULL;
	DBusMessageIter it;
	void *snap = NULL;
	int rc;

	if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &iname, DBUS_TYPE_STRING, &pname,
				   DBUS_TYPE_INVALID)) {
		reply_error(r, m, ERR_INVALID_ARGS, "expected (ss)");
		return;
	}
	rc = find_prop(o, iname, pname, &i, &p);
	if (rc < 0) {
		reply_error(r, m, rc == -ENXIO ? ERR_UNKNOWN_IFACE : ERR_UNKNOWN_PROPERTY,
			    "no property %s.%s on %s", iname, pname, o->path);
		return;
	}
	rc = iface_snap(i, o->ud, &snap);
	if (rc == 0) {
		reply = dbus_message_new_method_return(m);
		if (!reply) {
			rc = -ENOMEM;
		} else {
			dbus_message_iter_init_append(reply, &it);
			rc = append_prop_value(&it, p, o->ud, snap);
		}
	}
	free(snap);
	if (rc < 0) {
		if (reply)
			dbus_message_unref(reply);
		reply_error(r, m, rc == -ENOENT ? ERR_UNKNOWN_OBJECT : bus_errno_name(rc),
			    "%s: %s", pname, strerror(-rc));
		return;
	}
	reply_send(r, m, reply);
}

static void do_get_all(struct bus_reg *r, DBusMessage *m, struct bus_obj *o)
{
	const char *iname;
	const struct bus_iface *i = NULL;
	DBusMessage *reply;
	DBusMessageIter it;
	int rc;

	if (!dbus_message_get_args(m, NULL, DBUS_TYPE_STRING, &iname, DBUS_TYPE_INVALID)) {
		reply_error(r, m, ERR_INVALID_ARGS, "expected (s)");
		return;
	}
	if (*iname) {
		i = obj_iface(o, iname);
		if (!i) {
			reply_error(r, m, ERR_UNKNOWN_IFACE, "no interface %s on %s", iname,
				    o->path);
			return;
		}
	} else if (o->n_ifaces) {
		i = o->ifaces[0];	/* "" : the object's main interface */
	}
	reply = dbus_message_new_method_return(m);
	if (!reply)
		return;
	dbus_message_iter_init_append(reply, &it);
	if (i) {
		rc = append_prop_dict(&it, i, o->ud, NULL, 0, NULL);
	} else {
		DBusMessageIter d;

		rc = dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{sv}", &d) &&
		     dbus_message_iter_close_container(&it, &d) ? 0 : -ENOMEM;
	}
	if (rc < 0) {
		dbus_message_unref(reply);
		reply_error(r, m, rc == -ENOENT ? ERR_UNKNOWN_OBJECT : bus_errno_name(rc),
			    "%s", strerror(-rc));
		return;
	}
	reply_send(r, m, reply);
}

static void do_set(struct bus_reg *r, DBusMessage *m, struct bus_obj *o, const uid_t *known)
{
	const char *iname, *pname;
	const struct bus_iface *i;
	const struct bus_property *p;
	DBusMessageIter it, var;
	struct bus_call c = { 0 };
	void *snap = NULL;
	char *vsig;
	bool sig_ok;
	int rc;

	if (!dbus_message_has_signature(m, "ssv")) {
		reply_error(r, m, ERR_INVALID_ARGS, "expected (ssv)");
		return;
	}
	dbus_message_iter_init(m, &it);
	dbus_message_iter_get_basic(&it, &iname);
	dbus_message_iter_next(&it);
	dbus_message_iter_get_basic(&it, &pname);
	dbus_message_iter_next(&it);
	dbus_message_iter_recurse(&it, &var);
	rc = find_prop(o, iname, pname, &i, &p);
	if (rc < 0) {
		reply_error(r, m, rc == -ENXIO ? ERR_UNKNOWN_IFACE : ERR_UNKNOWN_PROPERTY,
			    "no property %s.%s on %s", iname, pname, o->path);
		return;
	}
	if (!p->set) {
		reply_error(r, m, ERR_READ_ONLY, "%s is read-only", pname);
		return;
	}
	vsig = dbus_message_iter_get_signature(&var);
	sig_ok = vsig && !strcmp(vsig, p->sig);
	dbus_free(vsig);
	if (!sig_ok) {
		reply_error(r, m, ERR_INVALID_ARGS, "%s takes a value of type %s", pname, p->sig);
		return;
	}
	if (!need_privilege(r, m, known, &c.uid))
		return;
	rc = iface_snap(i, o->ud, &snap);
	if (rc == 0) {
		c.bus = r->b;
		c.msg = m;
		c.path = o->path;
		c.ud = o->ud;
		rc = p->set(&c, &var, snap);
	}
	free(snap);
	if (rc < 0) {
		reply_error(r, m, c.err_name ? c.err_name : bus_errno_name(rc), "%s",
			    c.err_msg[0] ? c.err_msg : strerror(-rc));
		return;
	}
	reply_send(r, m, dbus_message_new_method_return(m));
}

struct managed_ctx {
	DBusMessageIter *arr;
	int rc;
};

static void managed_one(struct bus_obj *o, void *ud)
{
	struct managed_ctx *x = ud;
	DBusMessageIter ent;
	const char *path = o->path;
	int rc;

	if (x->rc < 0)
		return;
	if (!dbus_message_iter_open_container(x->arr, DBUS_TYPE_DICT_ENTRY, NULL, &ent) ||
	    !dbus_message_iter_append_basic(&ent, DBUS_TYPE_OBJECT_PATH, &path)) {
		x->rc = -ENOMEM;
		return;
	}
	rc = append_obj_ifaces(&ent, o);
	if (rc < 0)
		dbus_message_iter_abandon_container(x->arr, &ent);
	else if (!dbus_message_iter_close_container(x->arr, &ent))
		rc = -ENOMEM;
	/* an object that vanished between registry and engine is left out */
	if (rc < 0 && rc != -ENOENT)
		x->rc = rc;
}

static void do_managed(struct bus_reg *r, DBusMessage *m, struct bus_obj *o)
{
	DBusMessage *reply = dbus_message_new_method_return(m);
	DBusMessageIter it, arr;
	struct managed_ctx x = { .arr = &arr };

	if (!reply)
		return;
	dbus_message_iter_init_append(reply, &it);
	if (!dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "{oa{sa{sv}}}", &arr)) {
		dbus_message_unref(reply);
		return;
	}
	reg_each_below(r, o->path, managed_one, &x);
	if (x.rc < 0 || !dbus_message_iter_close_container(&it, &arr)) {
		if (x.rc < 0)
			dbus_message_iter_abandon_container(&it, &arr);
		dbus_message_unref(reply);
		reply_error(r, m, BUS_ERR_FAILED, "%s", strerror(x.rc < 0 ? -x.rc : ENOMEM));
		return;
	}
	reply_send(r, m, reply);
}

/* ---- dispatch -------------------------------------------------------------------- */

static const struct bus_method *find_method(const struct bus_obj *o, const char *iname,
					    const char *member, bool *ret_iface_known)
{
	bool known = false;

	for (size_t k = 0; k < o->n_ifaces; k++) {
		const struct bus_iface *i = o->ifaces[k];

		if (iname && strcmp(iname, i->name))
			continue;
		known = true;
		for (const struct bus_method *mt = i->methods; mt && mt->name; mt++)
			if (!strcmp(mt->name, member))
				return mt;
	}
	*ret_iface_known = known;
	return NULL;
}

static void call_method(struct bus_reg *r, DBusMessage *m, struct bus_obj *o,
			const struct bus_method *mt, const uid_t *known)
{
	struct bus_call c = { .bus = r->b, .msg = m, .path = o->path, .ud = o->ud,
			      .uid = (uid_t)-1 };
	DBusMessage *reply;
	DBusMessageIter in;
	char path[BUS_PATH_MAX];
	int rc;

	if (!dbus_message_has_signature(m, mt->in_sig)) {
		reply_error(r, m, ERR_INVALID_ARGS, "%s takes (%s), not (%s)", mt->name,
			    mt->in_sig, dbus_message_get_signature(m));
		return;
	}
	if ((mt->flags & BUS_METHOD_MUTATING) && !need_privilege(r, m, known, &c.uid))
		return;
	reply = dbus_message_new_method_return(m);
	if (!reply)
		return;
	/* the handler may remove o (a reload): keep what we need */
	snprintf(path, sizeof(path), "%s", o->path);
	c.path = path;
	dbus_message_iter_init_append(reply, &c.out);
	dbus_message_iter_init(m, &in);
	rc = mt->fn(&c, &in);
	if (rc == 0 && !dbus_message_has_signature(reply, mt->out_sig)) {
		log_err("D-Bus: %s.%s answered (%s), not (%s)", path, mt->name,
			dbus_message_get_signature(reply), mt->out_sig);
		rc = -EIO;
	}
	if (rc < 0) {
		dbus_message_unref(reply);
		reply_error(r, m, c.err_name ? c.err_name : bus_errno_name(rc), "%s",
			    c.err_msg[0] ? c.err_msg : strerror(-rc));
		return;
	}
	reply_send(r, m, reply);
}

static void reg_dispatch(struct bus_reg *r, DBusMessage *m, const uid_t *known)
{
	const char *path = dbus_message_get_path(m);
	const char *iname = dbus_message_get_interface(m);
	const char *member = dbus_message_get_member(m);
	const struct bus_method *mt = NULL;
	struct bus_obj *o;
	bool iface_known = false;

	if (!path || !member)
		return;
	o = reg_find(r, path);
	if (o)
		mt = find_method(o, iname, member, &iface_known);
	if (mt) {
		call_method(r, m, o, mt, known);
		return;
	}
	if ((!iname || !strcmp(iname, DBUS_INTERFACE_INTROSPECTABLE)) &&
	    !strcmp(member, "Introspect")) {
		do_introspect(r, m, path);
		return;
	}
	if (!o) {
		if (is_node(r, path))
			reply_error(r, m, iname ? ERR_UNKNOWN_IFACE : ERR_UNKNOWN_METHOD,
				    "%s has no %s%s%s", path, iname ? iname : "", iname ? "." : "",
				    member);
		else
			reply_error(r, m, ERR_UNKNOWN_OBJECT, "no object at %s", path);
		return;
	}
	if (!iname || !strcmp(iname, DBUS_INTERFACE_PROPERTIES)) {
		if (!strcmp(member, "Get") && dbus_message_has_signature(m, "ss")) {
			do_get(r, m, o);
			return;
		}
		if (!strcmp(member, "GetAll") && dbus_message_has_signature(m, "s")) {
			do_get_all(r, m, o);
			return;
		}
		if (!strcmp(member, "Set")) {
			do_set(r, m, o, known);
			return;
		}
		if (iname) {
			reply_error(r, m, ERR_UNKNOWN_METHOD, "no method %s(%s)", member,
				    dbus_message_get_signature(m));
			return;
		}
	}
	if ((o->flags & BUS_OBJ_MANAGER) && (!iname || !strcmp(iname, IFACE_OBJMGR)) &&
	    !strcmp(member, "GetManagedObjects")) {
		do_managed(r, m, o);
		return;
	}
	if (iname && !iface_known)
		reply_error(r, m, ERR_UNKNOWN_IFACE, "%s has no interface %s", path, iname);
	else
		reply_error(r, m, ERR_UNKNOWN_METHOD, "%s has no method %s", path, member);
}

static DBusHandlerResult reg_message(DBusConnection *conn, DBusMessage *m, void *data)
{
	(void)conn;
	if (dbus_message_get_type(m) != DBUS_MESSAGE_TYPE_METHOD_CALL)
		return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
	reg_dispatch(data, m, NULL);
	return DBUS_HANDLER_RESULT_HANDLED;
}

static const DBusObjectPathVTable reg_vtable = {
	.message_function = reg_message,
};

/* ---- registry API ------------------------------------------------------------------- */

struct bus_reg *bus_reg_new(struct bus *b)
{
	struct bus_reg *r = xcalloc(1, sizeof(*r));

	r->b = b;
	return r;
}

void bus_reg_free(struct bus_reg *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i]->path);
		free(r->v[i]);
	}
	free(r->v);
	free(r);
}

int bus_reg_attach(struct bus_reg *r, DBusConnection *conn)
{
	if (!dbus_connection_register_fallback(conn, "/", &reg_vtable, r))
		return -ENOMEM;
	r->conn = conn;
	return 0;
}

void bus_reg_detach(struct bus_reg *r)
{
	if (r->conn)
		dbus_connection_unregister_object_path(r->conn, "/");
	r->conn = NULL;
	memset(r->cache, 0, sizeof(r->cache));
	r->cache_next = 0;
}

static void emit_ifaces_added(struct bus_reg *r, const struct bus_obj *o)
{
	struct bus_obj *mgr = reg_manager_of(r, o->path);
	DBusMessage *s;
	DBusMessageIter it;
	const char *path = o->path;

	if (!mgr || !bus_is_up(r->b))
		return;
	s = dbus_message_new_signal(mgr->path, IFACE_OBJMGR, "InterfacesAdded");
	if (!s)
		return;
	dbus_message_iter_init_append(s, &it);
	if (dbus_message_iter_append_basic(&it, DBUS_TYPE_OBJECT_PATH, &path) &&
	    append_obj_ifaces(&it, o) == 0)
		bus_send(r->b, s);
	dbus_message_unref(s);
}

static void emit_ifaces_removed(struct bus_reg *r, const struct bus_obj *o)
{
	struct bus_obj *mgr = reg_manager_of(r, o->path);
	DBusMessageIter it, arr;
	const char *path = o->path;
	DBusMessage *s;
	bool ok;

	if (!mgr || !bus_is_up(r->b))
		return;
	s = dbus_message_new_signal(mgr->path, IFACE_OBJMGR, "InterfacesRemoved");
	if (!s)
		return;
	dbus_message_iter_init_append(s, &it);
	ok = dbus_message_iter_append_basic(&it, DBUS_TYPE_OBJECT_PATH, &path) &&
	     dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "s", &arr);
	for (size_t i = 0; ok && i < o->n_ifaces; i++)
		ok = dbus_message_iter_append_basic(&arr, DBUS_TYPE_STRING, &o->ifaces[i]->name);
	if (ok && dbus_message_iter_close_container(&it, &arr))
		bus_send(r->b, s);
	dbus_message_unref(s);
}

int bus_object_add(struct bus *b, const char *path, const struct bus_iface *const *ifaces,
		   void *ud, unsigned flags)
{
	struct bus_reg *r = bus_get_reg(b);
	struct bus_obj *o;
	size_t n = 0, pos;

	if (strlen(path) >= BUS_PATH_MAX || !dbus_validate_path(path, NULL))
		return -EINVAL;
	while (ifaces && ifaces[n])
		n++;
	if (n > BUS_OBJ_IFACES_MAX)
		return -EINVAL;
	pos = reg_lower(r, path);
	if (pos < r->n && !strcmp(r->v[pos]->path, path))
		return -EEXIST;
	o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	for (size_t i = 0; i < n; i++)
		o->ifaces[i] = ifaces[i];
	o->n_ifaces = n;
	o->ud = ud;
	o->flags = flags;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	memmove(r->v + pos + 1, r->v + pos, (r->n - pos) * sizeof(*r->v));
	r->v[pos] = o;
	r->n++;
	emit_ifaces_added(r, o);
	return 0;
}

int bus_object_remove(struct bus *b, const char *path)
{
	struct bus_reg *r = bus_get_reg(b);
	size_t pos = reg_lower(r, path);
	struct bus_obj *o;

	if (pos >= r->n || strcmp(r->v[pos]->path, path))
		return -ENOENT;
	o = r->v[pos];
	emit_ifaces_removed(r, o);
	memmove(r->v + pos, r->v + pos + 1, (r->n - pos - 1) * sizeof(*r->v));
	r->n--;
	free(o->path);
	free(o);
	return 0;
}

bool bus_object_exists(const struct bus *b, const char *path)
{
	return reg_find(bus_get_reg(b), path) != NULL;
}

size_t bus_object_count(const struct bus *b)
{
	return bus_get_reg(b)->n;
}

int bus_emit_props_changed(struct bus *b, const char *path, const char *iface,
			   const char *const *names, size_t n)
{
	struct bus_reg *r = bus_get_reg(b);
	struct bus_obj *o = reg_find(r, path);
	const struct bus_iface *i;
	DBusMessageIter it, inval;
	DBusMessage *s;
	size_t count = 0;
	int rc;

	if (!bus_is_up(b) || n == 0)
		return 0;
	if (!o || !(i = obj_iface(o, iface)))
		return -ENOENT;
	s = dbus_message_new_signal(path, DBUS_INTERFACE_PROPERTIES, "PropertiesChanged");
	if (!s)
		return -ENOMEM;
	dbus_message_iter_init_append(s, &it);
	rc = dbus_message_iter_append_basic(&it, DBUS_TYPE_STRING, &i->name) ? 0 : -ENOMEM;
	if (rc == 0)
		rc = append_prop_dict(&it, i, o->ud, names, n, &count);
	if (rc == 0 && !(dbus_message_iter_open_container(&it, DBUS_TYPE_ARRAY, "s", &inval) &&
			 dbus_message_iter_close_container(&it, &inval)))
		rc = -ENOMEM;
	if (rc == 0 && count > 0)
		rc = bus_send(b, s);
	dbus_message_unref(s);
	return rc;
}

int bus_emit_signal(struct bus *b, const char *path, const char *iface, const char *member,
		    int first_type, ...)
{
	DBusMessage *s;
	va_list ap;
	bool ok;
	int rc;

	if (!bus_is_up(b))
		return 0;
	s = dbus_message_new_signal(path, iface, member);
	if (!s)
		return -ENOMEM;
	va_start(ap, first_type);
	ok = dbus_message_append_args_valist(s, first_type, ap);
	va_end(ap);
	rc = ok ? bus_send(b, s) : -ENOMEM;
	dbus_message_unref(s);
	return rc;
}
