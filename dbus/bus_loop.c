/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libdbus-1 on alived's event loop, with no thread and no blocking call.
 *
 *  - watches: libdbus may keep a read and a write watch on the same fd; we
 *    watch each fd once with the union of its enabled watches' events;
 *  - timeouts: libdbus's (repeating) timeouts are one-shot ev timers re-armed
 *    before each dbus_timeout_handle();
 *  - dispatch: the dispatch-status callback must not dispatch, so it arms a
 *    zero-delay timer; that timer dispatches at most BUS_DISPATCH_BATCH
 *    messages, then yields to the loop (a flood of calls cannot starve VRRP);
 *  - connect: dbus_connection_open_private() does the socket connect (on a
 *    unix socket it succeeds or fails at once; it could only wait while a
 *    frozen bus's listen backlog is full); authentication happens in
 *    the watches and our own Hello goes out with send_with_reply, never
 *    dbus_bus_register() (which blocks). The whole handshake has a timeout;
 *  - loss: the "Disconnected" signal libdbus queues, or a failed handshake,
 *    drops the connection outside dispatch and arms the retry timer. The
 *    object registry (bus_object.c) outlives connections, so a new
 *    connection serves everything again at once; the names are requested
 *    again after Hello.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alived/ev.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "bus_int.h"

#define BUS_DISPATCH_BATCH	64
/* The D-Bus specification's default system bus address. */
#define BUS_SYSTEM_DEFAULT	"unix:path=/var/run/dbus/system_bus_socket"

struct bus_watch {
	struct bus *b;
	DBusWatch *w;
	int fd;
	uint64_t serial;
	struct bus_watch *next;
};

struct bus_timeout {
	struct bus *b;
	DBusTimeout *t;
	ev_timer_id timer;
	struct bus_timeout *next;
};

struct bus_fd {
	int fd;
	uint32_t events;
	struct bus_fd *next;
};

struct bus_pending {
	struct bus *b;
	DBusPendingCall *pc;
	bus_reply_cb cb;
	void *ud;
	void (*free_ud)(void *);
	struct bus_pending *prev, *next;
};

struct bus {
	struct ev_loop *loop;
	char *address;			/* NULL: from the environment at each attempt */
	DBusConnection *conn;
	enum bus_state state;
	struct bus_watch *watches;
	struct bus_timeout *timeouts;
	struct bus_fd *fds;
	struct bus_pending *pending;
	uint64_t watch_serial;
	ev_timer_id retry_timer, dispatch_timer, handshake_timer;
	uint64_t prepare_id;
	bool lost;			/* drop the connection once out of dispatch */
	bool in_dispatch;
	bool connecting_enabled;
	bool warned_down;		/* "cannot connect" logged since the last success */
	char **names;
	size_t n_names;
	char *unique_name;
	bus_state_cb state_cb;
	void *state_ud;
	struct bus_reg *reg;
	uint64_t n_connects, n_dropped;
};

static void bus_drop(struct bus *b, const char *why);
static void bus_request_names(struct bus *b);

/* ---- fds ---------------------------------------------------------------- */

static void bus_fd_cb(int fd, uint32_t events, void *ud);

/* Watches fd with the union of its enabled watches' events (or not at all). */
static void bus_fd_sync(struct bus *b, int fd)
{
	struct bus_fd **pp, *f;
	uint32_t events = 0;
	bool any = false;
	int r;

	for (struct bus_watch *w = b->watches; w; w = w->next) {
		unsigned fl;

		if (w->fd != fd)
			continue;
		any = true;
		if (!dbus_watch_get_enabled(w->w))
			continue;
		fl = dbus_watch_get_flags(w->w);
		if (fl & DBUS_WATCH_READABLE)
			events |= EV_READ;
		if (fl & DBUS_WATCH_WRITABLE)
			events |= EV_WRITE;
	}
	for (pp = &b->fds; *pp && (*pp)->fd != fd; pp = &(*pp)->next)
		;
	f = *pp;
	if (!any) {
		if (f) {
			ev_io_del(b->loop, fd);
			*pp = f->next;
			free(f);
		}
		return;
	}
	if (!f) {
		r = ev_io_add(b->loop, fd, events, bus_fd_cb, b);
		if (r < 0) {
			log_warn_errno(r, "D-Bus: cannot watch fd %d", fd);
			return;
		}
		f = xcalloc(1, sizeof(*f));
		f->fd = fd;
		f->events = events;
		f->next = b->fds;
		b->fds = f;
	} else if (f->events != events) {
		r = ev_io_mod(b->loop, fd, events);
		if (r < 0)
			log_warn_errno(r, "D-Bus: cannot change the events of fd %d", fd);
		else
			f->events = events;
	}
}

static struct bus_watch *bus_watch_by_serial(struct bus *b, uint64_t serial)
{
	for (struct bus_watch *w = b->watches; w; w = w->next)
		if (w->serial == serial)
			return w;
	return NULL;
}

static void bus_dispatch_arm(struct bus *b);

static void bus_fd_cb(int fd, uint32_t events, void *ud)
{
	struct bus *b = ud;
	uint64_t serials[8];
	unsigned flags = 0;
	size_t n = 0;

	if (events & EV_READ)
		flags |= DBUS_WATCH_READABLE;
	if (events & EV_WRITE)
		flags |= DBUS_WATCH_WRITABLE;
	/* Handling one watch may remove others: find each again by serial. */
	for (struct bus_watch *w = b->watches; w && n < 8; w = w->next)
		if (w->fd == fd && dbus_watch_get_enabled(w->w))
			serials[n++] = w->serial;
	for (size_t i = 0; i < n; i++) {
		struct bus_watch *w = bus_watch_by_serial(b, serials[i]);
		unsigned fl;

		if (!w || !dbus_watch_get_enabled(w->w))
			continue;
		fl = flags & dbus_watch_get_flags(w->w);
		if (fl)
			dbus_watch_handle(w->w, fl);
	}
	bus_dispatch_arm(b);
}

static dbus_bool_t bus_watch_add(DBusWatch *watch, void *data)
{
	struct bus *b = data;
	struct bus_watch *w = xcalloc(1, sizeof(*w));

	w->b = b;
	w->w = watch;
	w->fd = dbus_watch_get_unix_fd(watch);
	w->serial = ++b->watch_serial;
	w->next = b->watches;
	b->watches = w;
	dbus_watch_set_data(watch, w, NULL);
	bus_fd_sync(b, w->fd);
	return TRUE;
}

static void bus_watch_remove(DBusWatch *watch, void *data)
{
	struct bus *b = data;
	struct bus_watch **pp, *w;
	int fd;

	for (pp = &b->watches; *pp && (*pp)->w != watch; pp = &(*pp)->next)
		;
	w = *pp;
	if (!w)
		return;
	fd = w->fd;
	*pp = w->next;
	dbus_watch_set_data(watch, NULL, NULL);
	free(w);
	bus_fd_sync(b, fd);
}

static void bus_watch_toggled(DBusWatch *watch, void *data)
{
	struct bus_watch *w = dbus_watch_get_data(watch);

	if (w)
		bus_fd_sync(data, w->fd);
}

/* ---- timeouts ------------------------------------------------------------ */

static void bus_timeout_cb(void *ud);

static void bus_timeout_arm(struct bus_timeout *t)
{
	int ms = dbus_timeout_get_interval(t->t);

	if (t->timer)
		ev_timer_cancel(t->b->loop, t->timer);
	t->timer = 0;
	if (dbus_timeout_get_enabled(t->t))
		t->timer = ev_timer_add(t->b->loop, (uint64_t)(ms > 0 ? ms : 0) * 1000u,
					bus_timeout_cb, t);
}

static void bus_timeout_cb(void *ud)
{
	struct bus_timeout *t = ud;
	struct bus *b = t->b;

	t->timer = 0;
	/* libdbus timeouts repeat: re-arm first, handling may remove t. */
	bus_timeout_arm(t);
	dbus_timeout_handle(t->t);
	bus_dispatch_arm(b);
}

static dbus_bool_t bus_timeout_add(DBusTimeout *timeout, void *data)
{
	struct bus *b = data;
	struct bus_timeout *t = xcalloc(1, sizeof(*t));

	t->b = b;
	t->t = timeout;
	t->next = b->timeouts;
	b->timeouts = t;
	dbus_timeout_set_data(timeout, t, NULL);
	bus_timeout_arm(t);
	return TRUE;
}

static void bus_timeout_remove(DBusTimeout *timeout, void *data)
{
	struct bus *b = data;
	struct bus_timeout **pp, *t;

	for (pp = &b->timeouts; *pp && (*pp)->t != timeout; pp = &(*pp)->next)
		;
	t = *pp;
	if (!t)
		return;
	*pp = t->next;
	if (t->timer)
		ev_timer_cancel(b->loop, t->timer);
	dbus_timeout_set_data(timeout, NULL, NULL);
	free(t);
}

static void bus_timeout_toggled(DBusTimeout *timeout, void *data)
{
	struct bus_timeout *t = dbus_timeout_get_data(timeout);

	(void)data;
	if (t)
		bus_timeout_arm(t);
}

/* ---- dispatch ------------------------------------------------------------- */

static void bus_retry_cb(void *ud);

static void bus_after_dispatch(struct bus *b)
{
	if (b->lost) {
		b->lost = false;
		bus_drop(b, "the bus closed the connection");
	}
}

static void bus_dispatch_cb(void *ud)
{
	struct bus *b = ud;
	DBusDispatchStatus st = DBUS_DISPATCH_COMPLETE;

	b->dispatch_timer = 0;
	if (!b->conn)
		return;
	b->in_dispatch = true;
	for (int i = 0; i < BUS_DISPATCH_BATCH && !b->lost; i++) {
		st = dbus_connection_dispatch(b->conn);
		if (st != DBUS_DISPATCH_DATA_REMAINS)
			break;
	}
	b->in_dispatch = false;
	if (b->lost) {
		bus_after_dispatch(b);
		return;
	}
	if (st == DBUS_DISPATCH_DATA_REMAINS)
		bus_dispatch_arm(b);
}

/* Arms the dispatch timer when messages wait (never dispatches itself). */
static void bus_dispatch_arm(struct bus *b)
{
	if (!b->conn || b->dispatch_timer || b->in_dispatch)
		return;
	if (b->lost || dbus_connection_get_dispatch_status(b->conn) != DBUS_DISPATCH_COMPLETE)
		b->dispatch_timer = ev_timer_add(b->loop, 0, bus_dispatch_cb, b);
}

static void bus_dispatch_status(DBusConnection *conn, DBusDispatchStatus st, void *data)
{
	struct bus *b = data;

	(void)conn;
	if (st != DBUS_DISPATCH_COMPLETE && !b->dispatch_timer && !b->in_dispatch)
		b->dispatch_timer = ev_timer_add(b->loop, 0, bus_dispatch_cb, b);
}

static void bus_prepare(void *ud)
{
	struct bus *b = ud;

	if (!b->conn)
		return;
	if (!b->in_dispatch && !b->lost && !dbus_connection_get_is_connected(b->conn))
		b->lost = true;
	if (b->lost && !b->dispatch_timer) {
		/* dispatch delivers "Disconnected" first; then we drop */
		b->dispatch_timer = ev_timer_add(b->loop, 0, bus_dispatch_cb, b);
		return;
	}
	bus_dispatch_arm(b);
}

static DBusHandlerResult bus_filter(DBusConnection *conn, DBusMessage *m, void *data)
{
	struct bus *b = data;

	(void)conn;
	if (dbus_message_is_signal(m, DBUS_INTERFACE_LOCAL, "Disconnected") &&
	    dbus_message_has_path(m, DBUS_PATH_LOCAL)) {
		b->lost = true;
		return DBUS_HANDLER_RESULT_HANDLED;
	}
	return DBUS_HANDLER_RESULT_NOT_YET_HANDLED;
}

/* ---- pending calls ------------------------------------------------------- */

static void bus_pending_unlink(struct bus *b, struct bus_pending *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		b->pending = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->prev = p->next = NULL;
}

static void bus_pending_notify(DBusPendingCall *pc, void *data)
{
	struct bus_pending *p = data;
	struct bus *b = p->b;
	DBusMessage *reply = dbus_pending_call_steal_reply(pc);

	bus_pending_unlink(b, p);
	if (p->cb)
		p->cb(b, reply, p->ud);
	if (reply)
		dbus_message_unref(reply);
	if (p->free_ud)
		p->free_ud(p->ud);
	dbus_pending_call_unref(p->pc);
	free(p);
}

int bus_call_async(struct bus *b, DBusMessage *call, int timeout_ms, bus_reply_cb cb,
		   void *ud, void (*free_ud)(void *))
{
	struct bus_pending *p;
	DBusPendingCall *pc = NULL;

	if (!b->conn || b->lost)
		return -ENOTCONN;
	if (!dbus_connection_send_with_reply(b->conn, call, &pc, timeout_ms))
		return -ENOMEM;
	if (!pc)
		return -ENOTCONN;	/* libdbus: already disconnected */
	p = xcalloc(1, sizeof(*p));
	p->b = b;
	p->pc = pc;
	p->cb = cb;
	p->ud = ud;
	p->free_ud = free_ud;
	p->next = b->pending;
	if (p->next)
		p->next->prev = p;
	b->pending = p;
	if (!dbus_pending_call_set_notify(pc, bus_pending_notify, p, NULL)) {
		bus_pending_unlink(b, p);
		dbus_pending_call_cancel(pc);
		dbus_pending_call_unref(pc);
		free(p);
		return -ENOMEM;
	}
	return 0;
}

/* Cancels every call in flight: cb is not called, free_ud is. */
static void bus_pending_cancel_all(struct bus *b)
{
	while (b->pending) {
		struct bus_pending *p = b->pending;

		bus_pending_unlink(b, p);
		dbus_pending_call_cancel(p->pc);
		dbus_pending_call_unref(p->pc);
		if (p->free_ud)
			p->free_ud(p->ud);
		free(p);
	}
}

/* ---- connection life ------------------------------------------------------ */

static const char *bus_address(const struct bus *b)
{
	const char *a = b->address ? b->address : getenv("DBUS_SYSTEM_BUS_ADDRESS");

	return a && *a ? a : BUS_SYSTEM_DEFAULT;
}

static void bus_set_state(struct bus *b, enum bus_state st)
{
	bool was_up = b->state == BUS_ST_UP;

	b->state = st;
	if (was_up != (st == BUS_ST_UP) && b->state_cb)
		b->state_cb(b, st == BUS_ST_UP, b->state_ud);
}

static void bus_retry_arm(struct bus *b, uint32_t delay_ms)
{
	if (b->retry_timer || !b->connecting_enabled)
		return;
	b->retry_timer = ev_timer_add(b->loop, (uint64_t)delay_ms * 1000u, bus_retry_cb, b);
}

/* Frees the connection; the registry stays. Never called from dispatch. */
static void bus_close_conn(struct bus *b)
{
	DBusConnection *conn = b->conn;

	if (!conn)
		return;
	bus_reg_detach(b->reg);
	bus_pending_cancel_all(b);
	if (b->dispatch_timer)
		ev_timer_cancel(b->loop, b->dispatch_timer);
	if (b->handshake_timer)
		ev_timer_cancel(b->loop, b->handshake_timer);
	b->dispatch_timer = b->handshake_timer = 0;
	dbus_connection_set_dispatch_status_function(conn, NULL, NULL, NULL);
	dbus_connection_remove_filter(conn, bus_filter, b);
	dbus_connection_close(conn);
	/* Removes what is left through our remove callbacks. */
	dbus_connection_set_watch_functions(conn, NULL, NULL, NULL, NULL, NULL);
	dbus_connection_set_timeout_functions(conn, NULL, NULL, NULL, NULL, NULL);
	dbus_connection_unref(conn);
	b->conn = NULL;
	b->lost = false;
	free(b->unique_name);
	b->unique_name = NULL;
	/* Defensive: nothing should be left. */
	while (b->watches) {
		struct bus_watch *w = b->watches;

		b->watches = w->next;
		free(w);
	}
	while (b->timeouts) {
		struct bus_timeout *t = b->timeouts;

		b->timeouts = t->next;
		if (t->timer)
			ev_timer_cancel(b->loop, t->timer);
		free(t);
	}
	while (b->fds) {
		struct bus_fd *f = b->fds;

		b->fds = f->next;
		ev_io_del(b->loop, f->fd);
		free(f);
	}
}

static void bus_drop(struct bus *b, const char *why)
{
	bool was_up = b->state == BUS_ST_UP;

	if (!b->conn)
		return;
	if (was_up)
		log_warn("D-Bus: connection to %s lost (%s); reconnecting every %u s",
			 bus_address(b), why, BUS_RETRY_MS / 1000u);
	else if (!b->warned_down)
		log_notice("D-Bus: cannot connect to %s (%s); retrying every %u s",
			   bus_address(b), why, BUS_RETRY_MS / 1000u);
	else
		log_debug(LOG_CAT_DBUS, "D-Bus: attempt failed: %s", why);
	b->warned_down = true;
	bus_close_conn(b);
	bus_set_state(b, BUS_ST_DOWN);
	bus_retry_arm(b, BUS_RETRY_MS);
}

static void bus_handshake_timeout(void *ud)
{
	struct bus *b = ud;

	b->handshake_timer = 0;
	if (b->state == BUS_ST_HELLO)
		bus_drop(b, "no answer to Hello");
}

static void bus_hello_reply(struct bus *b, DBusMessage *reply, void *ud)
{
	const char *name = NULL;
	DBusError err;

	(void)ud;
	if (b->handshake_timer)
		ev_timer_cancel(b->loop, b->handshake_timer);
	b->handshake_timer = 0;
	dbus_error_init(&err);
	if (dbus_set_error_from_message(&err, reply) ||
	    !dbus_message_get_args(reply, &err, DBUS_TYPE_STRING, &name, DBUS_TYPE_INVALID)) {
		log_notice("D-Bus: Hello refused: %s", err.message ? err.message : "?");
		dbus_error_free(&err);
		b->lost = true;		/* dropped after this dispatch */
		return;
	}
	b->unique_name = xstrdup(name);
	dbus_bus_set_unique_name(b->conn, b->unique_name);
	b->n_connects++;
	b->warned_down = false;
	log_notice("D-Bus: connected to %s as %s", bus_address(b), name);
	/* names first: the bus handles our messages in order, so signals sent
	 * from the state callback already come from the well-known name */
	bus_request_names(b);
	bus_set_state(b, BUS_ST_UP);
}

static int bus_try_connect(struct bus *b)
{
	DBusConnection *conn;
	DBusMessage *hello = NULL;
	DBusError err;
	int r;

	dbus_error_init(&err);
	conn = dbus_connection_open_private(bus_address(b), &err);
	if (!conn) {
		if (!b->warned_down)
			log_notice("D-Bus: cannot connect to %s (%s); retrying every %u s",
				   bus_address(b), err.message ? err.message : "?",
				   BUS_RETRY_MS / 1000u);
		else
			log_debug(LOG_CAT_DBUS, "D-Bus: connect failed: %s",
				  err.message ? err.message : "?");
		b->warned_down = true;
		dbus_error_free(&err);
		return -ECONNREFUSED;
	}
	b->conn = conn;
	b->state = BUS_ST_HELLO;
	dbus_connection_set_exit_on_disconnect(conn, FALSE);
	if (!dbus_connection_add_filter(conn, bus_filter, b, NULL) ||
	    !dbus_connection_set_watch_functions(conn, bus_watch_add, bus_watch_remove,
						 bus_watch_toggled, b, NULL) ||
	    !dbus_connection_set_timeout_functions(conn, bus_timeout_add, bus_timeout_remove,
						   bus_timeout_toggled, b, NULL)) {
		r = -ENOMEM;
		goto fail;
	}
	dbus_connection_set_dispatch_status_function(conn, bus_dispatch_status, b, NULL);
	r = bus_reg_attach(b->reg, conn);
	if (r < 0)
		goto fail;
	hello = dbus_message_new_method_call(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS,
					     DBUS_INTERFACE_DBUS, "Hello");
	if (!hello) {
		r = -ENOMEM;
		goto fail;
	}
	r = bus_call_async(b, hello, BUS_HANDSHAKE_MS, bus_hello_reply, NULL, NULL);
	dbus_message_unref(hello);
	if (r < 0)
		goto fail;
	b->handshake_timer = ev_timer_add(b->loop, (uint64_t)BUS_HANDSHAKE_MS * 1000u,
					  bus_handshake_timeout, b);
	bus_dispatch_arm(b);
	return 0;
fail:
	bus_close_conn(b);
	b->state = BUS_ST_DOWN;
	return r;
}

static void bus_retry_cb(void *ud)
{
	struct bus *b = ud;

	b->retry_timer = 0;
	if (b->conn)
		return;
	if (bus_try_connect(b) < 0)
		bus_retry_arm(b, BUS_RETRY_MS);
}

int bus_connect(struct bus *b)
{
	b->connecting_enabled = true;
	if (b->conn || b->retry_timer)
		return 0;
	if (bus_try_connect(b) < 0)
		bus_retry_arm(b, BUS_RETRY_MS);
	return 0;
}

/* ---- names ----------------------------------------------------------------- */

static void bus_name_reply(struct bus *b, DBusMessage *reply, void *ud)
{
	const char *name = ud;
	dbus_uint32_t res = 0;
	DBusError err;

	(void)b;
	dbus_error_init(&err);
	if (dbus_set_error_from_message(&err, reply) ||
	    !dbus_message_get_args(reply, &err, DBUS_TYPE_UINT32, &res, DBUS_TYPE_INVALID)) {
		log_warn("D-Bus: cannot own %s: %s", name, err.message ? err.message : "?");
		dbus_error_free(&err);
		return;
	}
	if (res == DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER ||
	    res == DBUS_REQUEST_NAME_REPLY_ALREADY_OWNER)
		log_info("D-Bus: owning %s", name);
	else if (res == DBUS_REQUEST_NAME_REPLY_IN_QUEUE)
		log_warn("D-Bus: %s is owned by another connection; queued for it", name);
	else
		log_warn("D-Bus: cannot own %s (reply %u)", name, (unsigned)res);
}

static int bus_name_call(struct bus *b, const char *method, const char *name)
{
	dbus_uint32_t flags = 0;	/* queue behind another owner, do not replace it */
	DBusMessage *m;
	int r;

	m = dbus_message_new_method_call(DBUS_SERVICE_DBUS, DBUS_PATH_DBUS, DBUS_INTERFACE_DBUS,
					 method);
	if (!m)
		return -ENOMEM;
	if (!strcmp(method, "RequestName")) {
		if (!dbus_message_append_args(m, DBUS_TYPE_STRING, &name, DBUS_TYPE_UINT32,
					      &flags, DBUS_TYPE_INVALID))
			r = -ENOMEM;
		else
			r = bus_call_async(b, m, BUS_CALL_TIMEOUT_MS, bus_name_reply,
					   xstrdup(name), free);
	} else {
		dbus_message_set_no_reply(m, TRUE);
		if (!dbus_message_append_args(m, DBUS_TYPE_STRING, &name, DBUS_TYPE_INVALID))
			r = -ENOMEM;
		else
			r = bus_send(b, m);
	}
	dbus_message_unref(m);
	if (r < 0)
		log_warn_errno(r, "D-Bus: %s %s", method, name);
	return r;
}

static void bus_request_names(struct bus *b)
{
	for (size_t i = 0; i < b->n_names; i++)
		bus_name_call(b, "RequestName", b->names[i]);
}

static bool bus_name_listed(const char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return true;
	return false;
}

void bus_set_names(struct bus *b, const char *const *names, size_t n)
{
	char **old = b->names;
	size_t n_old = b->n_names;

	b->names = xcalloc(n ? n : 1, sizeof(*b->names));
	for (size_t i = 0; i < n; i++)
		b->names[i] = xstrdup(names[i]);
	b->n_names = n;
	if (b->state == BUS_ST_UP) {
		for (size_t i = 0; i < n_old; i++)
			if (!bus_name_listed(names, n, old[i]))
				bus_name_call(b, "ReleaseName", old[i]);
		for (size_t i = 0; i < n; i++)
			if (!bus_name_listed((const char *const *)old, n_old, names[i]))
				bus_name_call(b, "RequestName", names[i]);
	}
	for (size_t i = 0; i < n_old; i++)
		free(old[i]);
	free(old);
}

/* ---- public ---------------------------------------------------------------- */

struct bus *bus_new(struct ev_loop *loop, const char *address)
{
	struct bus *b = xcalloc(1, sizeof(*b));

	b->loop = loop;
	b->address = address ? xstrdup(address) : NULL;
	b->state = BUS_ST_DOWN;
	b->reg = bus_reg_new(b);
	b->prepare_id = ev_prepare_add(loop, bus_prepare, b);
	return b;
}

/* Writes what is queued, waiting at most max_ms (only used when stopping). */
static void bus_flush_bounded(struct bus *b, uint32_t max_ms)
{
	uint64_t end = ev_time_us() + (uint64_t)max_ms * 1000u;

	while (b->conn && dbus_connection_get_is_connected(b->conn) &&
	       dbus_connection_has_messages_to_send(b->conn)) {
		uint64_t now = ev_time_us();

		if (now >= end)
			break;
		dbus_connection_read_write(b->conn, (int)((end - now + 999) / 1000));
	}
}

void bus_free(struct bus *b)
{
	if (!b)
		return;
	b->connecting_enabled = false;
	if (b->conn && b->state == BUS_ST_UP) {
		for (size_t i = 0; i < b->n_names; i++)
			bus_name_call(b, "ReleaseName", b->names[i]);
		bus_flush_bounded(b, BUS_STOP_FLUSH_MS);
	}
	b->state_cb = NULL;
	bus_close_conn(b);
	if (b->retry_timer)
		ev_timer_cancel(b->loop, b->retry_timer);
	ev_prepare_del(b->loop, b->prepare_id);
	bus_reg_free(b->reg);
	for (size_t i = 0; i < b->n_names; i++)
		free(b->names[i]);
	free(b->names);
	free(b->address);
	free(b);
}

void bus_set_state_cb(struct bus *b, bus_state_cb cb, void *ud)
{
	b->state_cb = cb;
	b->state_ud = ud;
}

enum bus_state bus_get_state(const struct bus *b)
{
	return b->state;
}

bool bus_is_up(const struct bus *b)
{
	return b->state == BUS_ST_UP && b->conn && !b->lost;
}

const char *bus_unique_name(const struct bus *b)
{
	return b->state == BUS_ST_UP ? b->unique_name : NULL;
}

uint64_t bus_connects(const struct bus *b)
{
	return b->n_connects;
}

uint64_t bus_dropped(const struct bus *b)
{
	return b->n_dropped;
}

struct ev_loop *bus_loop(const struct bus *b)
{
	return b->loop;
}

DBusConnection *bus_connection(const struct bus *b)
{
	return b->conn;
}

struct bus_reg *bus_get_reg(const struct bus *b)
{
	return b->reg;
}

int bus_send(struct bus *b, DBusMessage *m)
{
	bool reply = dbus_message_get_type(m) == DBUS_MESSAGE_TYPE_METHOD_RETURN ||
		     dbus_message_get_type(m) == DBUS_MESSAGE_TYPE_ERROR;

	if (!b->conn || b->lost || (b->state != BUS_ST_UP && !reply))
		return -ENOTCONN;
	if (dbus_connection_get_outgoing_size(b->conn) > (long)BUS_OUTQ_MAX) {
		if (b->n_dropped++ % 1000 == 0)
			log_warn("D-Bus: the bus is not reading; messages dropped (%llu so far)",
				 (unsigned long long)b->n_dropped);
		return -ENOBUFS;
	}
	if (!dbus_connection_send(b->conn, m, NULL))
		return -ENOMEM;
	return 0;
}
