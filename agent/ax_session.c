// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The AgentX session of this process (RFC 2741), driven so that it never
 * blocks the event loop.
 *
 * net-snmp's own subagent code connects with a blocking connect(), opens
 * the session and registers each subtree with synchronous requests (the
 * caller waits for the master's answer), pings synchronously, and writes
 * with a blocking send(): a stopped or slow snmpd stops the whole process
 * (keepalived's users see false failovers). So this file does those steps
 * itself and uses net-snmp only for what cannot block: encoding and
 * decoding AgentX PDUs (agentx_realloc_build, agentx_parse) and handing
 * the master's requests to the registered MIB handlers
 * (handle_agentx_packet).
 *
 *  - The socket is our own, non-blocking, close-on-exec; the net-snmp
 *    transport around it has our send function: what the kernel does not
 *    take at once waits in an output buffer flushed when the socket is
 *    writable. A PDU is queued whole or refused whole (never cut), so the
 *    byte stream stays consistent; the buffer holds at most AX_OUT_MAX
 *    bytes of PDUs that have not started.
 *  - Open, Register and Ping are asynchronous requests; their answers come
 *    through the loop like any other input. An Open answered late (the
 *    master was stopped) is still accepted.
 *  - When the master closes the session, the socket breaks, or three
 *    pings in a row go unanswered, the session is dropped and a new one is
 *    tried after a back-off (1 s doubling to 5 s). Registrations are sent
 *    again on every new session; a duplicate-registration error (the
 *    master has not yet noticed that our old session died) is retried.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "alived/ev.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "ax_int.h"

/*
 * AgentX encoding and the subagent request dispatcher live in
 * libnetsnmpagent but have no installed header; their prototypes are
 * stable since net-snmp 5.3.
 */
int agentx_parse(netsnmp_session *session, netsnmp_pdu *pdu, u_char *data, size_t len);
int agentx_realloc_build(netsnmp_session *session, netsnmp_pdu *pdu, u_char **buf,
			 size_t *buf_len, size_t *out_len);
int agentx_check_packet(u_char *packet, size_t packet_len);
int handle_agentx_packet(int op, netsnmp_session *session, int reqid, netsnmp_pdu *pdu,
			 void *magic);

/* RFC 2741 section 6.1: PDU types; net-snmp's version number for AgentX. */
#define AX_AGENTX_VERSION_1	193
#define AX_MSG_OPEN		1
#define AX_MSG_CLOSE		2
#define AX_MSG_REGISTER		3
#define AX_MSG_UNREGISTER	4
#define AX_MSG_PING		13
#define AX_MSG_RESPONSE		18
#define AX_ERR_DUPLICATE_REG	263	/* RFC 2741 section 6.2.16: duplicateRegistration */
#define AX_CLOSE_SHUTDOWN	5	/* RFC 2741 section 6.2.2: reasonShutdown */

#define AX_OUT_MAX		(1u << 20)	/* bytes of not yet started PDUs */
#define AX_REQ_TIMEOUT_US	10000000L	/* our requests to the master */
#define AX_CONNECT_TIMEOUT_US	5000000u
#define AX_OPEN_DEADLINE_US	60000000u	/* an Open never answered: try again */
#define AX_PING_INTERVAL_US	15000000u
#define AX_PING_MAX_FAILURES	3
#define AX_BACKOFF_MIN_MS	1000u
#define AX_BACKOFF_MAX_MS	5000u
#define AX_REG_RETRY_US		1000000u
#define AX_REG_DUP_RETRIES	10
#define AX_DEFAULT_TCP_PORT	705

/* transportDomainLocal / transportDomainTcpIpv4 / Ipv6 (RFC 3419). */
static const oid ax_dom_local[] = { 1, 3, 6, 1, 2, 1, 100, 1, 13 };
static const oid ax_dom_tcp4[] = { 1, 3, 6, 1, 2, 1, 100, 1, 5 };
static const oid ax_dom_tcp6[] = { 1, 3, 6, 1, 2, 1, 100, 1, 6 };

enum ax_ss_state {
	AX_SS_IDLE,		/* not started */
	AX_SS_WAIT,		/* waiting to try again */
	AX_SS_CONNECTING,	/* non-blocking connect in progress */
	AX_SS_OPENING,		/* Open sent, no answer yet */
	AX_SS_OPEN,
	AX_SS__COUNT,
};

enum ax_reg_state {
	AX_REG_NONE,		/* to be sent */
	AX_REG_PENDING,		/* sent, no answer yet */
	AX_REG_DONE,
	AX_REG_FAILED,
};

struct ax_subtree {
	oid name[MAX_OID_LEN];
	size_t len;
	int priority;
	uint16_t id;
	enum ax_reg_state st;
	unsigned dup_retries;
};

static struct {
	enum ax_ss_state state;
	char *socket;			/* as configured */
	struct sockaddr_storage addr;
	socklen_t addr_len;
	int fd;				/* -1 when none */
	bool fd_ours;			/* watched by this file (connect phase) */
	netsnmp_session *ss;		/* net-snmp's session of the current attempt */
	netsnmp_session *reaping;	/* a lost one, closed from reap_timer */
	uint16_t gen;			/* bumped per session: stale answers ignored */
	long open_reqid;
	char *out;			/* output buffer */
	size_t out_len, out_off, out_cap;
	ev_timer_id retry_timer, ping_timer, reap_timer, deadline_timer, reg_timer;
	uint32_t backoff_ms;
	unsigned ping_failures;
	bool ping_inflight;
	bool down_logged;
	struct ax_subtree *subtrees;
	size_t n_subtrees, cap_subtrees;
	uint16_t next_subtree_id;
} S = { .fd = -1 };

static void ax_try_connect(void *ud);
static void ax_send_registrations(void);

/* magic pointers of our requests: session generation and subtree id. */
static void *ax_magic(uint16_t subtree_id)
{
	return (void *)(uintptr_t)(((uint32_t)S.gen << 16) | subtree_id);
}

static bool ax_magic_current(void *magic, uint16_t *ret_id)
{
	uint32_t m = (uint32_t)(uintptr_t)magic;

	if ((m >> 16) != S.gen)
		return false;
	if (ret_id)
		*ret_id = m & 0xffff;
	return true;
}

static void ax_cancel(ev_timer_id *id)
{
	if (*id)
		ev_timer_cancel(ax_loop(), *id);
	*id = 0;
}

/* ------------------------------------------------------------------ */
/* Socket address */

static int ax_parse_inet(const char *s, struct sockaddr_storage *ret, socklen_t *ret_len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port_s = NULL, *h = s;
	size_t hl;
	unsigned long port = AX_DEFAULT_TCP_PORT;
	char *end;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			return -EINVAL;
		h = s + 1;
		hl = (size_t)(close - h);
		if (close[1] == ':')
			port_s = close + 2;
		else if (close[1])
			return -EINVAL;
	} else {
		const char *colon = strrchr(s, ':');

		hl = colon ? (size_t)(colon - s) : strlen(s);
		if (colon)
			port_s = colon + 1;
	}
	if (hl == 0 || hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (port_s) {
		errno = 0;
		port = strtoul(port_s, &end, 10);
		if (errno || *end || port == 0 || port > 65535)
			return -EINVAL;
	}
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");

	memset(ret, 0, sizeof(*ret));
	struct sockaddr_in *a4 = (struct sockaddr_in *)ret;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ret;

	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*ret_len = sizeof(*a4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*ret_len = sizeof(*a6);
		return 0;
	}
	return -EINVAL;	/* host names would need a blocking resolver */
}

/*
 * "/path", "unix:/path", "tcp:ADDR[:PORT]", "tcp:[ADDR6][:PORT]",
 * "ADDR:PORT"; NULL or "" is net-snmp's default socket.
 */
static int ax_parse_socket(const char *s, struct sockaddr_storage *ret, socklen_t *ret_len)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ret;

	if (!s || !*s)
		s = NETSNMP_AGENTX_SOCKET;
	if (strncmp(s, "unix:", 5) == 0)
		s += 5;
	else if (strncmp(s, "tcp:", 4) == 0 || strncmp(s, "tcp6:", 5) == 0)
		return ax_parse_inet(strchr(s, ':') + 1, ret, ret_len);
	else if (*s != '/')
		return strchr(s, ':') && strncmp(s, "udp", 3) != 0 ?
			ax_parse_inet(s, ret, ret_len) : -EINVAL;
	if (strlen(s) >= sizeof(un->sun_path))
		return -ENAMETOOLONG;
	memset(ret, 0, sizeof(*ret));
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path, s, strlen(s) + 1);
	*ret_len = (socklen_t)sizeof(*un);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Transport: our socket under net-snmp */

static int ax_t_recv(netsnmp_transport *t, void *buf, int size, void **opaque, int *olength)
{
	ssize_t n;

	*opaque = NULL;
	*olength = 0;
	if (t->sock < 0)
		return -1;
	do
		n = recv(t->sock, buf, (size_t)size, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	return (int)n;
}

static void ax_out_append(const char *p, size_t n)
{
	if (S.out_off && S.out_off == S.out_len)
		S.out_off = S.out_len = 0;
	if (S.out_len + n > S.out_cap) {
		/* Compact first; grow when still too small. */
		if (S.out_off) {
			memmove(S.out, S.out + S.out_off, S.out_len - S.out_off);
			S.out_len -= S.out_off;
			S.out_off = 0;
		}
		if (S.out_len + n > S.out_cap) {
			S.out_cap = (S.out_len + n) * 2;
			S.out = xrealloc(S.out, S.out_cap);
		}
	}
	memcpy(S.out + S.out_len, p, n);
	S.out_len += n;
}

static int ax_t_send(netsnmp_transport *t, const void *buf, int size, void **opaque,
		     int *olength)
{
	size_t len = (size_t)size, pending = S.out_len - S.out_off;
	ssize_t n = 0;

	(void)opaque;
	(void)olength;
	if (t->sock < 0 || size < 0)
		return -1;
	if (pending == 0) {
		do
			n = send(t->sock, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;	/* broken: the read side reports it */
		if (n < 0)
			n = 0;
		if ((size_t)n == len)
			return size;
	}
	/* Whole PDUs are refused before they start, never cut. */
	if (n == 0 && pending + len > AX_OUT_MAX) {
		ax_st.send_refused++;
		return -1;
	}
	ax_out_append((const char *)buf + n, len - (size_t)n);
	ax_st.send_buffered++;
	ax_dirty();	/* the loop must watch for writability */
	return size;
}

static int ax_t_close(netsnmp_transport *t)
{
	if (t->sock < 0)
		return -1;
	ax_loop_forget_fd(t->sock);
	if (t->sock == S.fd) {
		S.fd = -1;
		S.out_len = S.out_off = 0;
	}
	close(t->sock);
	t->sock = -1;
	ax_dirty();
	return 0;
}

static char *ax_t_fmtaddr(netsnmp_transport *t, const void *data, int len)
{
	(void)t;
	(void)data;
	(void)len;
	return strdup(S.socket ? S.socket : "agentx");
}

/* ------------------------------------------------------------------ */
/* Session life cycle */

static const char *ax_sock_name(void)
{
	return S.socket && *S.socket ? S.socket : NETSNMP_AGENTX_SOCKET;
}

/* Closes the lost session (never from inside one of its callbacks). */
static void ax_reap(void *ud)
{
	(void)ud;
	ax_cancel(&S.reap_timer);
	/* net-snmp may already have dropped it (its transport closed). */
	if (S.reaping && snmp_sess_pointer(S.reaping))
		snmp_close(S.reaping);
	S.reaping = NULL;
	ax_dirty();
}

static void ax_schedule_retry(void)
{
	uint64_t delay_us = (uint64_t)S.backoff_ms * 1000u;

	S.state = AX_SS_WAIT;
	ax_cancel(&S.retry_timer);
	S.retry_timer = ev_timer_add(ax_loop(), delay_us, ax_try_connect, NULL);
	S.backoff_ms = S.backoff_ms * 2 > AX_BACKOFF_MAX_MS ? AX_BACKOFF_MAX_MS : S.backoff_ms * 2;
}

/*
 * Ends the current session or attempt (from anywhere, net-snmp callbacks
 * included: the net-snmp session is closed from a timer) and tries again
 * later.
 */
static void ax_session_lost(const char *why, int err)
{
	bool was_open = S.state == AX_SS_OPEN;
	size_t k;

	if (S.state == AX_SS_IDLE || S.state == AX_SS_WAIT)
		return;
	if (was_open) {
		ax_st.disconnects++;
		log_warn("AgentX %s: session lost (%s%s%s); reconnecting", ax_sock_name(), why,
			 err ? ": " : "", err ? strerror(err) : "");
		S.backoff_ms = AX_BACKOFF_MIN_MS;
		S.down_logged = false;
	} else {
		ax_st.connect_failures++;
		if (!S.down_logged) {
			log_notice("AgentX %s: cannot reach the master agent (%s%s%s); retrying "
				   "every few seconds", ax_sock_name(), why, err ? ": " : "",
				   err ? strerror(err) : "");
			S.down_logged = true;
		}
	}
	S.gen++;
	ax_cancel(&S.ping_timer);
	ax_cancel(&S.deadline_timer);
	ax_cancel(&S.reg_timer);
	S.ping_inflight = false;
	S.ping_failures = 0;
	for (k = 0; k < S.n_subtrees; k++)
		S.subtrees[k].st = AX_REG_NONE;
	ax_notify_session_lost();
	if (S.ss) {
		/* A retry comes at least a second later: the previous one is gone. */
		if (S.reaping)
			log_warn("AgentX: two sessions lost in one loop iteration");
		S.reaping = S.ss;
		S.ss = NULL;
		if (!S.reap_timer)
			S.reap_timer = ev_timer_add(ax_loop(), 0, ax_reap, NULL);
	} else if (S.fd >= 0) {
		if (S.fd_ours)
			ev_io_del(ax_loop(), S.fd);
		close(S.fd);
		S.fd = -1;
	}
	S.fd_ours = false;
	S.out_len = S.out_off = 0;
	ax_schedule_retry();
	ax_dirty();
}

static int ax_ping_cb(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic)
{
	(void)ss;
	(void)reqid;
	if (!ax_magic_current(magic, NULL))
		return 1;
	S.ping_inflight = false;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu->errstat == SNMP_ERR_NOERROR) {
		S.ping_failures = 0;
		return 1;
	}
	if (++S.ping_failures >= AX_PING_MAX_FAILURES)
		ax_session_lost("the master does not answer pings", 0);
	return 1;
}

static void ax_ping_timer(void *ud)
{
	netsnmp_pdu *pdu;

	(void)ud;
	S.ping_timer = ev_timer_add(ax_loop(), AX_PING_INTERVAL_US, ax_ping_timer, NULL);
	if (S.state != AX_SS_OPEN || S.ping_inflight)
		return;
	pdu = snmp_pdu_create(AX_MSG_PING);
	pdu->time = 0;
	pdu->sessid = S.ss->sessid;
	if (snmp_async_send(S.ss, pdu, ax_ping_cb, ax_magic(0)) == 0) {
		snmp_free_pdu(pdu);
		if (++S.ping_failures >= AX_PING_MAX_FAILURES)
			ax_session_lost("cannot send pings", 0);
		return;
	}
	S.ping_inflight = true;
	ax_dirty();
}

static void ax_open_answered(netsnmp_pdu *pdu)
{
	ax_cancel(&S.deadline_timer);
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		log_warn("AgentX %s: the master refused our session (error %ld)", ax_sock_name(),
			 pdu->errstat);
		ax_session_lost("Open refused", 0);
		return;
	}
	S.ss->sessid = pdu->sessid;
	S.state = AX_SS_OPEN;
	S.backoff_ms = AX_BACKOFF_MIN_MS;
	S.down_logged = false;
	ax_st.connects++;
	/* Our sysUpTime follows the master's (RFC 2741 section 6.2.16: res.sysUpTime). */
	netsnmp_set_agent_uptime(pdu->time);
	log_info("AgentX %s: session %ld open", ax_sock_name(), pdu->sessid);
	ax_send_registrations();
	ax_cancel(&S.ping_timer);
	S.ping_timer = ev_timer_add(ax_loop(), AX_PING_INTERVAL_US, ax_ping_timer, NULL);
	ax_dirty();
}

static int ax_open_cb(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic)
{
	(void)ss;
	(void)reqid;
	if (!ax_magic_current(magic, NULL) || S.state != AX_SS_OPENING)
		return 1;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		ax_open_answered(pdu);
	/* A timeout is not fatal: a stopped master may answer later (see
	 * ax_sess_cb); the deadline timer gives up eventually. */
	return 1;
}

static void ax_open_deadline(void *ud)
{
	(void)ud;
	S.deadline_timer = 0;
	if (S.state == AX_SS_OPENING)
		ax_session_lost("Open not answered", 0);
}

/*
 * Everything the master sends that is not the answer to a pending
 * request of ours: its requests (to the MIB handlers), late answers,
 * Close, and the end of the connection.
 */
static int ax_sess_cb(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic)
{
	if (ss != S.ss)
		return 1;	/* an old session being closed */
	if (op == NETSNMP_CALLBACK_OP_DISCONNECT) {
		ax_session_lost("the master closed the connection", 0);
		return 0;
	}
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || !pdu)
		return 1;
	switch (pdu->command) {
	case AX_MSG_RESPONSE:
		if (S.state == AX_SS_OPENING && pdu->reqid == S.open_reqid)
			ax_open_answered(pdu);
		return 1;
	case AX_MSG_CLOSE:
		ax_session_lost("the master closed the session", 0);
		return 1;
	default:
		if (S.state != AX_SS_OPEN)
			return 1;
		ax_st.requests++;
		ax_dirty();
		return handle_agentx_packet(op, ss, reqid, pdu, magic);
	}
}

static netsnmp_transport *ax_transport_new(int fd)
{
	netsnmp_transport *t = calloc(1, sizeof(*t));	/* net-snmp frees it */

	if (!t)
		return NULL;
	switch (S.addr.ss_family) {
	case AF_INET:
		t->domain = ax_dom_tcp4;
		t->domain_length = (int)AX_ARRAY_SIZE(ax_dom_tcp4);
		break;
	case AF_INET6:
		t->domain = ax_dom_tcp6;
		t->domain_length = (int)AX_ARRAY_SIZE(ax_dom_tcp6);
		break;
	default:
		t->domain = ax_dom_local;
		t->domain_length = (int)AX_ARRAY_SIZE(ax_dom_local);
		break;
	}
	t->sock = fd;
	t->flags = NETSNMP_TRANSPORT_FLAG_STREAM;
	t->msgMaxSize = SNMP_MAX_PACKET_LEN;
	t->f_recv = ax_t_recv;
	t->f_send = ax_t_send;
	t->f_close = ax_t_close;
	t->f_fmtaddr = ax_t_fmtaddr;
	return t;
}

static void ax_connected(void)
{
	netsnmp_session sess;
	netsnmp_transport *t;
	netsnmp_pdu *pdu;
	static const oid id[] = { AX_ALIVED_OID };
	static const char descr[] = "alived " PACKAGE_VERSION;
	int reqid;

	if (S.fd_ours) {
		ev_io_del(ax_loop(), S.fd);
		S.fd_ours = false;
	}
	t = ax_transport_new(S.fd);
	if (!t) {
		ax_session_lost("out of memory", ENOMEM);
		return;
	}
	snmp_sess_init(&sess);
	sess.version = AX_AGENTX_VERSION_1;
	sess.retries = 0;
	sess.timeout = AX_REQ_TIMEOUT_US;
	sess.flags |= SNMP_FLAGS_STREAM_SOCKET;
	sess.callback = ax_sess_cb;
	sess.authenticator = NULL;
	S.ss = snmp_add_full(&sess, t, NULL, agentx_parse, NULL, NULL, agentx_realloc_build,
			     agentx_check_packet, NULL);
	if (!S.ss) {
		/* snmp_add_full() freed t, without closing the socket. */
		ax_session_lost("cannot create the net-snmp session", 0);
		return;
	}
	S.state = AX_SS_OPENING;
	/* RFC 2741 section 6.2.1: o.timeout 0 (the master's default), o.id, o.descr. */
	pdu = snmp_pdu_create(AX_MSG_OPEN);
	pdu->time = 0;
	snmp_pdu_add_variable(pdu, id, AX_ARRAY_SIZE(id), ASN_OCTET_STR, descr,
			      sizeof(descr) - 1);
	reqid = snmp_async_send(S.ss, pdu, ax_open_cb, ax_magic(0));
	if (reqid == 0) {
		snmp_free_pdu(pdu);
		ax_session_lost("cannot send Open", 0);
		return;
	}
	S.open_reqid = reqid;
	ax_cancel(&S.deadline_timer);
	S.deadline_timer = ev_timer_add(ax_loop(), AX_OPEN_DEADLINE_US, ax_open_deadline, NULL);
	ax_dirty();
}

static void ax_connect_io(int fd, uint32_t events, void *ud)
{
	int err = 0;
	socklen_t len = sizeof(err);

	(void)events;
	(void)ud;
	if (S.state != AX_SS_CONNECTING || fd != S.fd)
		return;
	ax_cancel(&S.deadline_timer);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		ax_session_lost("connect", err);
		return;
	}
	ax_connected();
}

static void ax_connect_timeout(void *ud)
{
	(void)ud;
	S.deadline_timer = 0;
	if (S.state == AX_SS_CONNECTING)
		ax_session_lost("connect timed out", ETIMEDOUT);
}

static void ax_try_connect(void *ud)
{
	int fd;

	(void)ud;
	S.retry_timer = 0;
	fd = socket(S.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		S.state = AX_SS_CONNECTING;
		ax_session_lost("socket", errno);
		return;
	}
	S.fd = fd;
	S.fd_ours = false;
	S.state = AX_SS_CONNECTING;
	if (connect(fd, (struct sockaddr *)&S.addr, S.addr_len) == 0) {
		ax_connected();
		return;
	}
	if (errno != EINPROGRESS) {
		/* ENOENT, ECONNREFUSED: no master; EAGAIN: its backlog is full. */
		ax_session_lost("connect", errno);
		return;
	}
	if (ev_io_add(ax_loop(), fd, EV_WRITE, ax_connect_io, NULL) < 0) {
		ax_session_lost("cannot watch the socket", EIO);
		return;
	}
	S.fd_ours = true;
	S.deadline_timer = ev_timer_add(ax_loop(), AX_CONNECT_TIMEOUT_US, ax_connect_timeout, NULL);
}

/* ------------------------------------------------------------------ */
/* Registrations */

static struct ax_subtree *ax_subtree_by_id(uint16_t id)
{
	for (size_t k = 0; k < S.n_subtrees; k++)
		if (S.subtrees[k].id == id)
			return &S.subtrees[k];
	return NULL;
}

static void ax_reg_retry(void *ud)
{
	(void)ud;
	S.reg_timer = 0;
	ax_send_registrations();
}

static void ax_reg_later(void)
{
	if (!S.reg_timer)
		S.reg_timer = ev_timer_add(ax_loop(), AX_REG_RETRY_US, ax_reg_retry, NULL);
}

static int ax_reg_cb(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct ax_subtree *st;
	char buf[256];
	uint16_t id;

	(void)ss;
	(void)reqid;
	if (!ax_magic_current(magic, &id) || !(st = ax_subtree_by_id(id)) ||
	    st->st != AX_REG_PENDING)
		return 1;
	if (op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) {
		/* Written to a stream: the master answers when it can. */
		return 1;
	}
	snprint_objid(buf, sizeof(buf), st->name, st->len);
	if (pdu->errstat == SNMP_ERR_NOERROR) {
		st->st = AX_REG_DONE;
		st->dup_retries = 0;
		log_debug(LOG_CAT_AGENTX, "AgentX: registered %s", buf);
	} else if (pdu->errstat == AX_ERR_DUPLICATE_REG && st->dup_retries < AX_REG_DUP_RETRIES) {
		/* Most likely our previous session, not yet cleaned up. */
		st->dup_retries++;
		st->st = AX_REG_NONE;
		ax_reg_later();
	} else {
		st->st = AX_REG_FAILED;
		log_warn("AgentX %s: the master refused the registration of %s (error %ld)",
			 ax_sock_name(), buf, pdu->errstat);
	}
	return 1;
}

static int ax_send_register(struct ax_subtree *st, int type)
{
	netsnmp_pdu *pdu = snmp_pdu_create(type);

	/* RFC 2741 section 6.2.3: r.timeout 0, r.priority, no range, default context. */
	pdu->time = 0;
	pdu->priority = st->priority;
	pdu->sessid = S.ss->sessid;
	pdu->range_subid = 0;
	snmp_add_null_var(pdu, st->name, st->len);
	if (snmp_async_send(S.ss, pdu, type == AX_MSG_REGISTER ? ax_reg_cb : NULL,
			    ax_magic(st->id)) == 0) {
		snmp_free_pdu(pdu);
		return -EAGAIN;
	}
	ax_dirty();
	return 0;
}

static void ax_send_registrations(void)
{
	for (size_t k = 0; k < S.n_subtrees; k++) {
		struct ax_subtree *st = &S.subtrees[k];

		if (S.state != AX_SS_OPEN)
			return;
		if (st->st != AX_REG_NONE)
			continue;
		if (ax_send_register(st, AX_MSG_REGISTER) < 0) {
			ax_reg_later();	/* output buffer full: later */
			return;
		}
		st->st = AX_REG_PENDING;
	}
}

int ax_subtree_add(const oid *name, size_t len, int priority)
{
	struct ax_subtree *st;

	if (len == 0 || len > MAX_OID_LEN)
		return -EINVAL;
	for (size_t k = 0; k < S.n_subtrees; k++)
		if (snmp_oid_compare(S.subtrees[k].name, S.subtrees[k].len, name, len) == 0)
			return 0;
	if (S.n_subtrees == S.cap_subtrees) {
		S.cap_subtrees = S.cap_subtrees ? S.cap_subtrees * 2 : 8;
		S.subtrees = xreallocarray(S.subtrees, S.cap_subtrees, sizeof(*S.subtrees));
	}
	st = &S.subtrees[S.n_subtrees++];
	memset(st, 0, sizeof(*st));
	memcpy(st->name, name, len * sizeof(oid));
	st->len = len;
	st->priority = priority;
	st->id = ++S.next_subtree_id;
	st->st = AX_REG_NONE;
	ax_send_registrations();
	return 0;
}

void ax_subtree_del(const oid *name, size_t len)
{
	for (size_t k = 0; k < S.n_subtrees; k++) {
		struct ax_subtree *st = &S.subtrees[k];

		if (snmp_oid_compare(st->name, st->len, name, len) != 0)
			continue;
		if (S.state == AX_SS_OPEN && (st->st == AX_REG_DONE || st->st == AX_REG_PENDING))
			ax_send_register(st, AX_MSG_UNREGISTER);	/* best effort */
		S.subtrees[k] = S.subtrees[--S.n_subtrees];
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Entry points */

int ax_session_start(const char *socket)
{
	struct sockaddr_storage addr;
	socklen_t len = 0;
	int r;

	r = ax_parse_socket(socket, &addr, &len);
	if (r < 0)
		return log_err_errno(r, "AgentX: cannot use the master agent socket \"%s\" "
				     "(a path, unix:PATH or tcp:ADDRESS:PORT)", socket);
	if (S.state != AX_SS_IDLE)
		ax_session_stop(true);
	free(S.socket);
	S.socket = socket ? xstrdup(socket) : NULL;
	S.addr = addr;
	S.addr_len = len;
	S.backoff_ms = AX_BACKOFF_MIN_MS;
	S.down_logged = false;
	S.state = AX_SS_WAIT;
	S.retry_timer = ev_timer_add(ax_loop(), 0, ax_try_connect, NULL);
	return 0;
}

static void ax_flush_once(void)
{
	while (S.fd >= 0 && S.out_off < S.out_len) {
		ssize_t n = send(S.fd, S.out + S.out_off, S.out_len - S.out_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n <= 0)
			return;
		S.out_off += (size_t)n;
	}
}

void ax_session_stop(bool say_close)
{
	if (S.state == AX_SS_OPEN && say_close) {
		netsnmp_pdu *pdu = snmp_pdu_create(AX_MSG_CLOSE);

		pdu->sessid = S.ss->sessid;
		pdu->errstat = AX_CLOSE_SHUTDOWN;
		if (snmp_send(S.ss, pdu) == 0)
			snmp_free_pdu(pdu);
		ax_flush_once();
	}
	S.gen++;
	ax_cancel(&S.retry_timer);
	ax_cancel(&S.ping_timer);
	ax_cancel(&S.deadline_timer);
	ax_cancel(&S.reg_timer);
	if (S.reaping)
		ax_reap(NULL);	/* not called from net-snmp: safe now */
	ax_notify_session_lost();
	if (S.ss) {
		if (snmp_sess_pointer(S.ss))
			snmp_close(S.ss);
		S.ss = NULL;
	}
	if (S.fd >= 0) {
		if (S.fd_ours)
			ev_io_del(ax_loop(), S.fd);
		close(S.fd);
		S.fd = -1;
	}
	S.fd_ours = false;
	for (size_t k = 0; k < S.n_subtrees; k++)
		S.subtrees[k].st = AX_REG_NONE;
	S.out_len = S.out_off = 0;
	S.state = AX_SS_IDLE;
	ax_dirty();
}

void ax_session_free_all(void)
{
	ax_session_stop(false);
	free(S.out);
	free(S.subtrees);
	free(S.socket);
	memset(&S, 0, sizeof(S));
	S.fd = -1;
}

const char *ax_session_socket(void)
{
	return S.socket ? S.socket : "";
}

netsnmp_session *ax_session_open(void)
{
	return S.state == AX_SS_OPEN ? S.ss : NULL;
}

uint16_t ax_session_gen(void)
{
	return S.gen;
}

size_t ax_session_out_bytes(void)
{
	return S.out_len - S.out_off;
}

int ax_session_fd(void)
{
	return S.ss && !S.fd_ours ? S.fd : -1;
}

bool ax_session_wants_write(void)
{
	return S.fd >= 0 && !S.fd_ours && S.out_off < S.out_len;
}

void ax_session_write_ready(void)
{
	ssize_t n;

	while (S.fd >= 0 && S.out_off < S.out_len) {
		n = send(S.fd, S.out + S.out_off, S.out_len - S.out_off,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			ax_session_lost("write failed", 0);
			return;
		}
		S.out_off += (size_t)n;
	}
	S.out_off = S.out_len = 0;
	ax_dirty();
	/* Room again: registrations that could not be written go now. */
	if (S.state == AX_SS_OPEN)
		ax_send_registrations();
}
