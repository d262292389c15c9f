/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside dbus/: the connection on the event loop (bus_loop.c) and the
 * table-driven object framework (bus_object.c) that bus_vrrp.c (and later
 * bus_check.c) fill with interfaces.
 *
 * libdbus-1 has no vtables; this is our small equivalent of sd-bus's:
 * per interface, const tables of methods, properties and signals. The
 * framework answers org.freedesktop.DBus.Introspectable (XML generated from
 * the tables, child nodes included), .Properties (Get, GetAll, Set) and
 * .ObjectManager; libdbus itself answers .Peer.
 */
#ifndef ALIVED_DBUS_BUS_INT_H
#define ALIVED_DBUS_BUS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <dbus/dbus.h>

struct ev_loop;
struct bus;

/* ------------------------------------------------------------------ */
/* Connection (bus_loop.c) */

#define BUS_RETRY_MS		2000	/* reconnect attempts while the bus is away */
#define BUS_HANDSHAKE_MS	5000	/* connect + auth + Hello must finish within */
#define BUS_CALL_TIMEOUT_MS	5000	/* our own calls to the bus driver */
#define BUS_OUTQ_MAX		(4u << 20)	/* bytes queued to a slow bus before drops */
#define BUS_STOP_FLUSH_MS	200

enum bus_state {
	BUS_ST_DOWN,		/* no connection; a retry timer is armed */
	BUS_ST_HELLO,		/* connected, authenticating, Hello sent */
	BUS_ST_UP,		/* Hello answered: names requested, objects served */
	BUS_ST__COUNT,
};

/* Called when the connection comes up (up = true) or goes away. */
typedef void (*bus_state_cb)(struct bus *b, bool up, void *ud);
/* The answer to bus_call_async(); reply is NULL when the call was dropped. */
typedef void (*bus_reply_cb)(struct bus *b, DBusMessage *reply, void *ud);

/*
 * A bus on loop. address NULL means $DBUS_SYSTEM_BUS_ADDRESS, or the
 * system bus's default socket. Does not connect yet. Never fails.
 */
struct bus *bus_new(struct ev_loop *loop, const char *address);
/* Closes (after a flush of at most BUS_STOP_FLUSH_MS) and frees. NULL ok. */
void bus_free(struct bus *b);
/*
 * Starts connecting: one attempt now (connect() on a unix socket does not
 * wait; auth and Hello are asynchronous), then every BUS_RETRY_MS until
 * it works, and again whenever the connection is lost. 0 or -errno.
 */
int bus_connect(struct bus *b);
void bus_set_state_cb(struct bus *b, bus_state_cb cb, void *ud);
/*
 * The well-known names to own. When up, names no longer listed are
 * released and new ones requested (queued behind another owner, if any).
 */
void bus_set_names(struct bus *b, const char *const *names, size_t n);
enum bus_state bus_get_state(const struct bus *b);
bool bus_is_up(const struct bus *b);
/* Our unique name (":1.42") when up, else NULL. */
const char *bus_unique_name(const struct bus *b);
/* Lifetime counts, for tests and stats. */
uint64_t bus_connects(const struct bus *b);
uint64_t bus_dropped(const struct bus *b);
struct ev_loop *bus_loop(const struct bus *b);
/* The libdbus connection (borrowed; changes at each reconnect), or NULL. */
DBusConnection *bus_connection(const struct bus *b);

/*
 * Queues m (a reference is taken) when the connection is up (a Hello in
 * progress counts for replies) and less than BUS_OUTQ_MAX bytes wait.
 * 0, -ENOTCONN or -ENOBUFS (counted in bus_dropped()), -ENOMEM.
 */
int bus_send(struct bus *b, DBusMessage *m);
/*
 * Sends a method call and calls cb(b, reply, ud) from the loop with the
 * reply or error (a timeout is an error reply made by libdbus). When the
 * connection is lost first, cb is not called; free_ud(ud) always is
 * (after cb), when not NULL. 0 or -errno (then neither is called).
 */
int bus_call_async(struct bus *b, DBusMessage *call, int timeout_ms, bus_reply_cb cb,
		   void *ud, void (*free_ud)(void *));

/* ------------------------------------------------------------------ */
/* Object framework (bus_object.c) */

/* Error names (doc/dbus.md). */
#define BUS_ERR_INVALID_ARG	"org.alived.Error.InvalidArgument"
#define BUS_ERR_NOT_FOUND	"org.alived.Error.NotFound"
#define BUS_ERR_ACCESS_DENIED	"org.alived.Error.AccessDenied"
#define BUS_ERR_FAILED		"org.alived.Error.Failed"

#define BUS_PATH_MAX		512	/* longest object path we build */
#define BUS_UID_CACHE		32	/* sender -> uid entries kept */
#define BUS_UID_PENDING_MAX	64	/* uid look-ups in flight */

/* One call being answered; handed to method handlers and setters. */
struct bus_call {
	struct bus *bus;
	DBusMessage *msg;		/* borrowed: the method call */
	const char *path;		/* borrowed */
	void *ud;			/* the object's user data */
	uid_t uid;			/* the caller's; (uid_t)-1 for non-mutating calls */
	DBusMessageIter out;		/* appends to the reply (handlers) */
	const char *err_name;		/* optional: error name to use instead of errno's */
	char err_msg[256];		/* optional: error message ("" = strerror) */
};

/*
 * A method handler reads its arguments from in (their signature was
 * checked against in_sig) and appends out_sig's values to c->out. Returns
 * 0 (the reply is sent) or -errno (an error is sent; see bus_errno_name()).
 */
typedef int (*bus_method_fn)(struct bus_call *c, DBusMessageIter *in);
/* Appends the value (of the property's signature) to it. 0 or -errno. */
typedef int (*bus_prop_get_fn)(DBusMessageIter *it, void *ud, const void *snap);
/* Applies the value (signature already checked). 0 or -errno. */
typedef int (*bus_prop_set_fn)(struct bus_call *c, DBusMessageIter *value, const void *snap);
/* Fills one snapshot of the object for a batch of getters. 0 or -ENOENT. */
typedef int (*bus_snapshot_fn)(void *ud, void *ret_snap);

#define BUS_METHOD_MUTATING	1u	/* root only (policy and uid check) */

#define BUS_PROP_EMITS_CHANGE	1u	/* PropertiesChanged carries the new value */
#define BUS_PROP_CONST		2u	/* never changes while the object exists */
/* neither: EmitsChangedSignal="false" (clients poll) */

struct bus_method {
	const char *name;
	const char *in_sig;		/* "" when none */
	const char *in_names;		/* space-separated, one per complete type */
	const char *out_sig;
	const char *out_names;
	bus_method_fn fn;
	unsigned flags;			/* BUS_METHOD_* */
};

struct bus_property {
	const char *name;
	const char *sig;
	bus_prop_get_fn get;
	bus_prop_set_fn set;		/* NULL: read-only; writes are root only */
	unsigned flags;			/* BUS_PROP_* */
};

struct bus_signal {
	const char *name;
	const char *sig;
	const char *arg_names;		/* space-separated */
};

/* Each table ends with an entry whose name is NULL; a NULL table is empty. */
struct bus_iface {
	const char *name;
	const struct bus_method *methods;
	const struct bus_property *props;
	const struct bus_signal *signals;
	size_t snap_size;		/* 0: getters get snap NULL */
	bus_snapshot_fn snapshot;
};

#define BUS_OBJ_MANAGER		1u	/* serves ObjectManager for the paths below it */
#define BUS_OBJ_IFACES_MAX	4

/*
 * Registers an object at path with up to BUS_OBJ_IFACES_MAX interfaces
 * (NULL-terminated list; the tables must outlive the object) and user data
 * ud (not owned). When up, the nearest ObjectManager above it announces it
 * (InterfacesAdded). 0, -EEXIST, -EINVAL (bad path or too many interfaces).
 */
int bus_object_add(struct bus *b, const char *path, const struct bus_iface *const *ifaces,
		   void *ud, unsigned flags);
/* Unregisters (InterfacesRemoved when up). 0 or -ENOENT. */
int bus_object_remove(struct bus *b, const char *path);
bool bus_object_exists(const struct bus *b, const char *path);
size_t bus_object_count(const struct bus *b);

/*
 * Emits PropertiesChanged(iface, {name: value...}, []) for the listed
 * properties of the object at path (values read now). Properties without
 * BUS_PROP_EMITS_CHANGE are skipped. 0 (also when down: nothing is sent)
 * or -errno.
 */
int bus_emit_props_changed(struct bus *b, const char *path, const char *iface,
			   const char *const *names, size_t n);
/*
 * Emits a signal; the arguments are dbus_message_append_args()'s
 * (type, pointer to value, ..., DBUS_TYPE_INVALID). 0 (also when down)
 * or -errno.
 */
int bus_emit_signal(struct bus *b, const char *path, const char *iface, const char *member,
		    int first_type, ...);

/* Append one value to it. 0 or -ENOMEM. */
int bus_app_str(DBusMessageIter *it, const char *s);
int bus_app_u8(DBusMessageIter *it, unsigned v);
int bus_app_u16(DBusMessageIter *it, unsigned v);
int bus_app_u32(DBusMessageIter *it, uint32_t v);
int bus_app_u64(DBusMessageIter *it, uint64_t v);
int bus_app_bool(DBusMessageIter *it, bool v);

/* The error name for -errno (BUS_ERR_*). */
const char *bus_errno_name(int err);
/* Whether uid may call mutating methods and Set: root, or our own euid. */
bool bus_uid_privileged(uid_t uid);

/*
 * Object path escaping (one path element per label): bytes outside
 * [A-Za-z0-9] become "_xx" (lower-case hex), the empty label becomes "_".
 * bus_path_encode() writes "prefix/escaped"; 0 or -ENAMETOOLONG.
 * bus_path_decode() reverses it for a path "prefix/element"; 0, -EINVAL
 * (not below prefix, several elements, bad or non-canonical escape,
 * NUL byte) or -ENAMETOOLONG.
 */
int bus_path_encode(const char *prefix, const char *label, char *buf, size_t len);
int bus_path_decode(const char *path, const char *prefix, char *buf, size_t len);

/*
 * Introspection XML of one interface, as generated for Introspect (and as
 * dbus/org.alived.*.xml holds them). Returns an allocated string (free()).
 */
char *bus_iface_xml(const struct bus_iface *iface);
/* The whole Introspect answer for path; NULL when path is not a node. */
char *bus_introspect(const struct bus *b, const char *path);
/*
 * Checks a table: valid names and signatures, one argument name per
 * complete type, a getter per property. 0, or -EINVAL with a message.
 */
int bus_iface_check(const struct bus_iface *iface, char *errbuf, size_t len);

/* A growable string (bus_xml.c); zero-initialise, free(s) when done. */
struct bus_sbuf {
	char *s;
	size_t len, cap;
};
void bus_sbuf_add(struct bus_sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Introspect answers: DOCTYPE, <node>, Peer and Introspectable, and for an
 * object Properties (and ObjectManager for a manager). */
void bus_xml_node_begin(struct bus_sbuf *sb, bool object, bool manager);
void bus_xml_iface(struct bus_sbuf *sb, const struct bus_iface *iface);

/* For bus_loop.c: the registry per bus, and its life on a connection. */
struct bus_reg;
struct bus_reg *bus_reg_new(struct bus *b);
void bus_reg_free(struct bus_reg *r);
struct bus_reg *bus_get_reg(const struct bus *b);
int bus_reg_attach(struct bus_reg *r, DBusConnection *conn);	/* on a new connection */
void bus_reg_detach(struct bus_reg *r);				/* connection lost */

#endif
