// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * net-snmp's agent library in AgentX subagent mode, on alived's event
 * loop (include/alived/ev.h), and the entry points of agent.h.
 *
 * Set-up (once per process): no configuration or persistent files are
 * read or written, no MIB file is loaded (MIBS and MIBDIRS empty while
 * net-snmp starts), no embedded Perl, no SIGALRM (alarms run from the
 * loop), and every descriptor net-snmp opens is made close-on-exec so
 * that notify and track scripts do not inherit it. net-snmp's own
 * subagent start-up (a blocking connect and Open) is unhooked:
 * ax_session.c runs the AgentX session instead.
 *
 * Loop glue: before each wait, if anything touched net-snmp since the
 * last time, snmp_select_info2() says which fds it reads and when its next
 * timeout or alarm is due; the fds are (un)watched with ev_io_*, the
 * timeout is one ev timer. A readable fd goes to snmp_read2(), the timer
 * to snmp_timeout() and run_alarms(). The session's fd is also watched
 * for writability while its output buffer holds data.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alived/cfg_global.h"
#include "alived/config.h"
#include "alived/ev.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "ax_int.h"

#include <net-snmp/library/large_fd_set.h>

/* libnetsnmpagent's start-up hook of the subagent; no installed header. */
int subagent_startup(int major, int minor, void *serverarg, void *clientarg);

#define AX_APP_NAME	"alived"

struct ax_watch {
	int fd;
	uint32_t events;
};

struct ax_stats ax_st;

static struct {
	struct ev_loop *loop;
	const struct cfg_root *root;
	struct ax_opts opts;
	char *opt_socket;		/* owned copy of opts.socket */
	char *socket;			/* the one in use; owned; NULL = default */
	bool started, lib_up, active;
	bool global_on, traps_on;
	bool part_on[AX_PART__COUNT];
	bool dirty;
	uint64_t root_gen;		/* bumped whenever root is replaced */
	uint64_t prepare_id;
	netsnmp_large_fd_set fds, rfds;
	struct ax_watch *w;
	size_t nw, capw;
	ev_timer_id timer;
} L;

struct ev_loop *ax_loop(void)
{
	return L.loop;
}

const struct cfg_root *ax_root(void)
{
	return L.root;
}

uint64_t ax_root_gen(void)
{
	return L.root_gen;
}

enum ax_role ax_role(void)
{
	return L.opts.role;
}

void ax_dirty(void)
{
	L.dirty = true;
}

bool ax_part_on(enum ax_part part)
{
	return (unsigned)part < AX_PART__COUNT && L.part_on[part];
}

bool ax_traps_on(void)
{
	return L.traps_on;
}

/* ------------------------------------------------------------------ */
/* Values */

int ax_set_int(netsnmp_variable_list *vb, long v)
{
	return snmp_set_var_typed_value(vb, ASN_INTEGER, &v, sizeof(v));
}

int ax_set_uint(netsnmp_variable_list *vb, unsigned long v)
{
	u_long u = v;

	return snmp_set_var_typed_value(vb, ASN_UNSIGNED, &u, sizeof(u));
}

int ax_set_str(netsnmp_variable_list *vb, const char *s)
{
	size_t len = s ? strnlen(s, 255) : 0;

	return snmp_set_var_typed_value(vb, ASN_OCTET_STR, s ? s : "", len);
}

long ax_inet_type(const struct cfg_addr *a)
{
	switch (a->family) {
	case AF_INET:
		return 1;	/* InetAddressType ipv4 */
	case AF_INET6:
		return 2;	/* ipv6 */
	default:
		return 0;	/* unknown */
	}
}

int ax_set_inet(netsnmp_variable_list *vb, const struct cfg_addr *a)
{
	switch (a->family) {
	case AF_INET:
		return snmp_set_var_typed_value(vb, ASN_OCTET_STR, &a->u.v4, 4);
	case AF_INET6:
		return snmp_set_var_typed_value(vb, ASN_OCTET_STR, &a->u.v6, 16);
	default:
		return snmp_set_var_typed_value(vb, ASN_OCTET_STR, "", 0);
	}
}

/* ------------------------------------------------------------------ */
/* net-snmp's log into ours */

static int ax_log_cb(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	size_t len;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (!m || !m->msg)
		return 0;
	len = strlen(m->msg);
	while (len && (m->msg[len - 1] == '\n' || m->msg[len - 1] == '\r'))
		len--;
	if (len == 0)
		return 0;
	if (m->priority >= LOG_DEBUG)
		log_debug(LOG_CAT_AGENTX, "net-snmp: %.*s", (int)len, m->msg);
	else
		log_msg(m->priority < LOG_ERR ? LOG_ERR : m->priority, "net-snmp: %.*s",
			(int)len, m->msg);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Close-on-exec for what net-snmp opens */

static int ax_fd_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The open fds of this process, sorted. */
static size_t ax_fds_open(int **ret)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	size_t n = 0, cap = 0;
	int *v = NULL;

	*ret = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || fd == dirfd(d))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = (int)fd;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), ax_fd_cmp);
	*ret = v;
	return n;
}

static void ax_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl >= 0 && !(fl & FD_CLOEXEC))
		fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

/* Makes every fd opened since `before` was taken close-on-exec. */
static void ax_cloexec_new(const int *before, size_t nbefore)
{
	int *now;
	size_t n = ax_fds_open(&now);

	for (size_t k = 0; k < n; k++)
		if (!bsearch(&now[k], before, nbefore, sizeof(*before), ax_fd_cmp))
			ax_cloexec(now[k]);
	free(now);
}

/* ------------------------------------------------------------------ */
/* Loop glue */

static struct ax_watch *ax_watch_find(int fd)
{
	for (size_t k = 0; k < L.nw; k++)
		if (L.w[k].fd == fd)
			return &L.w[k];
	return NULL;
}

static void ax_timeout_cb(void *ud)
{
	(void)ud;
	L.timer = 0;
	snmp_timeout();
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
	ax_dirty();
}

/*
 * net-snmp answers a request of the master in three steps, each waking
 * the loop: the AgentX PDU is read, handed to the agent through an
 * internal pipe ("callback" transport), and the answer comes back through
 * another pipe before it is written to the master. Doing the steps that
 * are ready at once, without going back to the loop, makes a request one
 * wake-up instead of three (a walk is one round trip per value). Bounded:
 * at most AX_DRAIN_ROUNDS extra reads.
 */
#define AX_DRAIN_ROUNDS 8
#define AX_DRAIN_FDS 16

static void ax_drain(void)
{
	struct pollfd p[AX_DRAIN_FDS];

	for (unsigned round = 0; round < AX_DRAIN_ROUNDS; round++) {
		size_t n = 0;
		int ready;

		for (size_t k = 0; k < L.nw && n < AX_DRAIN_FDS; k++)
			if (L.w[k].events & EV_READ)
				p[n++] = (struct pollfd){ .fd = L.w[k].fd, .events = POLLIN };
		if (!n)
			return;
		ready = poll(p, (nfds_t)n, 0);
		if (ready <= 0)
			return;
		NETSNMP_LARGE_FD_ZERO(&L.rfds);
		for (size_t k = 0; k < n; k++)
			if (p[k].revents)
				NETSNMP_LARGE_FD_SET(p[k].fd, &L.rfds);
		snmp_read2(&L.rfds);
		netsnmp_check_outstanding_agent_requests();
	}
}

static void ax_io_cb(int fd, uint32_t events, void *ud)
{
	(void)ud;
	if ((events & EV_WRITE) && fd == ax_session_fd())
		ax_session_write_ready();
	if ((events & EV_READ) && ax_watch_find(fd)) {
		NETSNMP_LARGE_FD_ZERO(&L.rfds);
		NETSNMP_LARGE_FD_SET(fd, &L.rfds);
		snmp_read2(&L.rfds);
		netsnmp_check_outstanding_agent_requests();
		ax_drain();
	}
	ax_dirty();
}

/* An fd net-snmp is about to close: stop watching it first. */
void ax_loop_forget_fd(int fd)
{
	struct ax_watch *w = ax_watch_find(fd);

	if (!w)
		return;
	ev_io_del(L.loop, fd);
	*w = L.w[--L.nw];
}

static void ax_watch_set(int fd, uint32_t want)
{
	struct ax_watch *w = ax_watch_find(fd);

	if (w && !want) {
		ev_io_del(L.loop, fd);
		*w = L.w[--L.nw];
	} else if (w && want != w->events) {
		if (ev_io_mod(L.loop, fd, want) == 0)
			w->events = want;
	} else if (!w && want) {
		if (ev_io_add(L.loop, fd, want, ax_io_cb, NULL) < 0) {
			log_warn("AgentX: cannot watch fd %d", fd);
			return;
		}
		ax_cloexec(fd);
		if (L.nw == L.capw) {
			L.capw = L.capw ? L.capw * 2 : 8;
			L.w = xreallocarray(L.w, L.capw, sizeof(*L.w));
		}
		L.w[L.nw++] = (struct ax_watch){ .fd = fd, .events = want };
	}
}

static void ax_sync(void)
{
	int numfds = 0, block = 1, sfd = ax_session_fd();
	struct timeval tv = { 0, 0 };
	size_t k;

	NETSNMP_LARGE_FD_ZERO(&L.fds);
	snmp_select_info2(&numfds, &L.fds, &tv, &block);

	/* Watches that changed or ended (backwards: removal swaps in the last). */
	for (k = L.nw; k-- > 0;) {
		int fd = L.w[k].fd;
		uint32_t want = 0;

		if (fd < numfds && NETSNMP_LARGE_FD_ISSET(fd, &L.fds))
			want |= EV_READ;
		if (fd == sfd && ax_session_wants_write())
			want |= EV_WRITE;
		ax_watch_set(fd, want);
	}
	for (int fd = 0; fd < numfds; fd++)
		if (NETSNMP_LARGE_FD_ISSET(fd, &L.fds) && !ax_watch_find(fd))
			ax_watch_set(fd, EV_READ |
				     (fd == sfd && ax_session_wants_write() ? EV_WRITE : 0));
	if (sfd >= 0 && ax_session_wants_write() && !ax_watch_find(sfd))
		ax_watch_set(sfd, EV_WRITE);

	if (L.timer)
		ev_timer_cancel(L.loop, L.timer);
	L.timer = 0;
	if (!block) {
		uint64_t us = (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;

		L.timer = ev_timer_add(L.loop, us, ax_timeout_cb, NULL);
	}
}

static void ax_prepare(void *ud)
{
	(void)ud;
	if (ax_notify_pending())
		ax_notify_pump();
	if (!L.dirty)
		return;
	L.dirty = false;
	ax_sync();
}

/* ------------------------------------------------------------------ */
/* Set-up */

static void ax_env_swap(const char *name, char **saved, bool restore)
{
	if (!restore) {
		const char *v = getenv(name);

		*saved = v ? xstrdup(v) : NULL;
		setenv(name, "", 1);
		return;
	}
	if (*saved)
		setenv(name, *saved, 1);
	else
		unsetenv(name);
	free(*saved);
	*saved = NULL;
}

static int ax_lib_init(void)
{
	char *mibs = NULL, *mibdirs = NULL;
	int *before;
	size_t nbefore = ax_fds_open(&before);
	int r = 0;

	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_DISABLE_PERL, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS,
			       1);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, 0);

	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, ax_log_cb, NULL);
	netsnmp_register_loghandler(NETSNMP_LOGHANDLER_CALLBACK, LOG_DEBUG);

	netsnmp_enable_subagent();
	ax_env_swap("MIBS", &mibs, false);
	ax_env_swap("MIBDIRS", &mibdirs, false);
	if (init_agent(AX_APP_NAME) != 0) {
		r = -EIO;
	} else {
		/* Our session replaces net-snmp's blocking connect and Open. */
		snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
					 subagent_startup, NULL, 1);
		init_snmp(AX_APP_NAME);
	}
	ax_env_swap("MIBS", &mibs, true);
	ax_env_swap("MIBDIRS", &mibdirs, true);
	ax_cloexec_new(before, nbefore);
	free(before);
	if (r < 0)
		return log_err_errno(r, "AgentX: net-snmp's agent library did not start");

	netsnmp_large_fd_set_init(&L.fds, FD_SETSIZE);
	netsnmp_large_fd_set_init(&L.rfds, FD_SETSIZE);
	L.prepare_id = ev_prepare_add(L.loop, ax_prepare, NULL);
	L.lib_up = true;
	ax_dirty();
	return 0;
}

static void ax_lib_shutdown(void)
{
	if (!L.lib_up)
		return;
	ev_prepare_del(L.loop, L.prepare_id);
	while (L.nw)
		ax_watch_set(L.w[L.nw - 1].fd, 0);
	if (L.timer)
		ev_timer_cancel(L.loop, L.timer);
	L.timer = 0;
	snmp_shutdown(AX_APP_NAME);
	netsnmp_large_fd_set_cleanup(&L.fds);
	netsnmp_large_fd_set_cleanup(&L.rfds);
	free(L.w);
	L.w = NULL;
	L.nw = L.capw = 0;
	L.lib_up = false;
}

/* ------------------------------------------------------------------ */
/* What to serve */

struct ax_parts {
	bool session, global, traps;
	bool part[AX_PART__COUNT];
	const char *socket;
};

/* The MIB parts: what each one's files do when turned on, reloaded, off. */
static const struct {
	const char *name;
	int (*init)(void);
	void (*reload)(void);
	void (*shutdown)(void);
} ax_part_ops[] = {
	[AX_PART_VRRP] = { "ALIVED-MIB vrrp", ax_vrrp_init, ax_vrrp_reload, ax_vrrp_shutdown },
	[AX_PART_RFCV2] = { "VRRP-MIB", ax_rfc2787_init, ax_rfc2787_reload,
			    ax_rfc2787_shutdown },
	[AX_PART_RFCV3] = { "VRRPV3-MIB", ax_rfc6527_init, ax_rfc6527_reload,
			    ax_rfc6527_shutdown },
	[AX_PART_CHECK] = { "ALIVED-MIB check", ax_check_init, ax_check_reload,
			    ax_check_shutdown },
};
_Static_assert(AX_ARRAY_SIZE(ax_part_ops) == AX_PART__COUNT, "ax_part_ops");

static void ax_parts_of(const struct cfg_root *root, struct ax_parts *ret)
{
	const struct cfg_global *g = root->global;
	bool all = L.opts.all;

	memset(ret, 0, sizeof(*ret));
	ret->traps = all || g->enable_traps;
	if (L.opts.role == AX_ROLE_VRRP) {
		ret->part[AX_PART_VRRP] = all || g->enable_snmp_vrrp;
		ret->part[AX_PART_RFCV2] = all || g->enable_snmp_rfcv2;
		ret->part[AX_PART_RFCV3] = all || g->enable_snmp_rfcv3;
		ret->session = ret->part[AX_PART_VRRP] || ret->traps ||
			       ret->part[AX_PART_RFCV2] || ret->part[AX_PART_RFCV3];
	} else {
		ret->part[AX_PART_CHECK] = all || g->enable_snmp_checker;
		ret->session = ret->part[AX_PART_CHECK] || ret->traps;
	}
	ret->global = ret->session;
	ret->socket = L.opts.socket ? L.opts.socket : g->snmp_socket;
}

static bool ax_str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void ax_deactivate(bool say_close)
{
	if (!L.active)
		return;
	if (say_close)
		ax_notify_pump();	/* what the socket takes now: the last states */
	ax_session_stop(say_close);
	ax_trap_enable(false);
	for (size_t k = 0; k < AX_PART__COUNT; k++)
		if (L.part_on[k])
			ax_part_ops[k].shutdown();
	if (L.global_on)
		ax_global_shutdown();
	ax_notify_enable(false);
	memset(L.part_on, 0, sizeof(L.part_on));
	L.global_on = L.traps_on = false;
	L.active = false;
}

static int ax_apply(const struct cfg_root *root)
{
	struct ax_parts p;
	int r;

	ax_parts_of(root, &p);
	L.root = root;
	L.root_gen++;
	if (!p.session) {
		ax_deactivate(true);
		return 0;
	}
	if (!L.lib_up) {
		r = ax_lib_init();
		if (r < 0)
			return r;
	}
	if (!L.active || !ax_str_eq(p.socket, L.socket)) {
		r = ax_session_start(p.socket);
		if (r < 0) {
			ax_deactivate(false);
			return r;
		}
		free(L.socket);
		L.socket = p.socket ? xstrdup(p.socket) : NULL;
		/* For the record (net-snmp's own connect is not used). */
		if (L.socket)
			netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
					      NETSNMP_DS_AGENT_X_SOCKET, L.socket);
		L.active = true;
	}
	if (!L.global_on) {
		r = ax_global_init(L.opts.role == AX_ROLE_CHECK ? AX_PRIO_GLOBAL_CHECK :
								  AX_PRIO_GLOBAL_VRRP);
		L.global_on = r == 0;
	} else {
		ax_global_reload();
	}
	for (size_t k = 0; k < AX_PART__COUNT; k++) {
		if (p.part[k] && !L.part_on[k]) {
			r = ax_part_ops[k].init();
			L.part_on[k] = r == 0;
			if (r < 0)
				log_warn("AgentX: %s not served", ax_part_ops[k].name);
		} else if (p.part[k]) {
			ax_part_ops[k].reload();
		} else if (L.part_on[k]) {
			ax_part_ops[k].shutdown();
			L.part_on[k] = false;
		}
	}
	L.traps_on = p.traps;
	ax_notify_enable(p.traps);
	ax_trap_enable(p.traps);
	ax_dirty();
	return 0;
}

int ax_start(struct ev_loop *loop, const struct cfg_root *root, const struct ax_opts *opts)
{
	if (L.started)
		return -EALREADY;
	if (!loop || !root || !opts || (unsigned)opts->role >= AX_ROLE__COUNT)
		return -EINVAL;
	L.started = true;
	L.loop = loop;
	L.opts = *opts;
	L.opt_socket = opts->socket ? xstrdup(opts->socket) : NULL;
	L.opts.socket = L.opt_socket;
	return ax_apply(root);
}

int ax_reload(const struct cfg_root *root)
{
	if (!L.started || !root)
		return 0;
	return ax_apply(root);
}

void ax_stop(void)
{
	if (!L.started)
		return;
	ax_deactivate(true);
	ax_session_free_all();
	ax_notify_free_all();
	ax_lib_shutdown();
	free(L.opt_socket);
	free(L.socket);
	memset(&L, 0, sizeof(L));
}

/* ------------------------------------------------------------------ */
/* Counters */

void ax_get_stats(struct ax_stats *ret)
{
	*ret = ax_st;
	ret->queue_len = ax_notify_queue_len();
	ret->out_bytes = L.lib_up ? ax_session_out_bytes() : 0;
	ret->open = L.lib_up && ax_session_open() != NULL;
}

void ax_dump_stats(FILE *out)
{
	struct ax_stats s;

	if (!L.started)
		return;
	ax_get_stats(&s);
	fprintf(out, "SNMP AgentX %s: %s\n", L.socket ? L.socket : NETSNMP_AGENTX_SOCKET,
		!L.active ? "off" : s.open ? "open" : "not connected");
	fprintf(out, "  sessions opened %llu, failed attempts %llu, lost %llu\n",
		(unsigned long long)s.connects, (unsigned long long)s.connect_failures,
		(unsigned long long)s.disconnects);
	fprintf(out, "  requests from the master %llu\n", (unsigned long long)s.requests);
	fprintf(out, "  notifications queued %llu, sent %llu, answered %llu, timed out %llu\n",
		(unsigned long long)s.notif_queued, (unsigned long long)s.notif_sent,
		(unsigned long long)s.notif_acked, (unsigned long long)s.notif_timeouts);
	fprintf(out, "  notifications coalesced %llu, dropped %llu, waiting %zu\n",
		(unsigned long long)s.notif_coalesced, (unsigned long long)s.notif_dropped,
		s.queue_len);
	fprintf(out, "  PDUs buffered %llu, refused %llu, bytes waiting %zu\n",
		(unsigned long long)s.send_buffered, (unsigned long long)s.send_refused,
		s.out_bytes);
}
