/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the files of agent/ share. Not for use outside agent/.
 *
 *   ax_loop.c     net-snmp set-up, its fds and timeouts on the event loop,
 *                 the public entry points of agent.h
 *   ax_session.c  the AgentX session: non-blocking transport, connect,
 *                 Open, Register, Ping, reconnect with back-off
 *   ax_notify.c   the bounded queue of notifications
 *   ax_trap.c     engine events -> notifications
 *   ax_alived_global.c, ax_alived_vrrp.c   the tables of ALIVED-MIB
 */
#ifndef ALIVED_AX_INT_H
#define ALIVED_AX_INT_H

#include <stdbool.h>
#include <stdint.h>

/* Ours, not net-snmp's (its config header defines one when none is). */
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.0.0"
#endif
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent.h"

struct cfg_addr;
struct cfg_root;
struct ev_loop;

#define AX_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* enterprises.9586.100.5: the root of ALIVED-MIB (KEEPALIVED-MIB's OIDs). */
#define AX_ALIVED_OID		1, 3, 6, 1, 4, 1, 9586, 100, 5
#define AX_ALIVED_OID_LEN	9

/*
 * AgentX registration priorities (RFC 2741 section 7.1.4.1: lower is
 * preferred). The checker's global scalars win over the VRRP child's.
 */
#define AX_PRIO_DEFAULT		127
#define AX_PRIO_GLOBAL_CHECK	100
#define AX_PRIO_GLOBAL_VRRP	110

/* Counters, shared by the files of agent/ (agent.h describes them). */
extern struct ax_stats ax_st;

/* ---- ax_loop.c ---- */
struct ev_loop *ax_loop(void);
/* The configuration last given to ax_start()/ax_reload(); NULL before. */
const struct cfg_root *ax_root(void);
enum ax_role ax_role(void);
/* net-snmp's fds or timeouts may have changed: re-sync before the next wait. */
void ax_dirty(void);
/* An fd of net-snmp's is about to be closed: stop watching it. */
void ax_loop_forget_fd(int fd);

/* Value setters for request varbinds; they return net-snmp's result. */
int ax_set_int(netsnmp_variable_list *vb, long v);
int ax_set_uint(netsnmp_variable_list *vb, unsigned long v);
/* NULL is an empty string; longer than 255 bytes is cut (DisplayString). */
int ax_set_str(netsnmp_variable_list *vb, const char *s);
/* InetAddressType of a (0 unknown for AF_UNSPEC, 1 ipv4, 2 ipv6). */
long ax_inet_type(const struct cfg_addr *a);
/* InetAddress: 4 or 16 bytes, or empty for AF_UNSPEC. */
int ax_set_inet(netsnmp_variable_list *vb, const struct cfg_addr *a);
/* TruthValue / enabled(1)-disabled(2) style. */
static inline long ax_bool(bool b)
{
	return b ? 1 : 2;
}

/* ---- ax_session.c ---- */
/* Starts connecting to socket (NULL: net-snmp's default). 0 or -EINVAL. */
int ax_session_start(const char *socket);
/* Closes the session; with say_close, an AgentX Close is written first. */
void ax_session_stop(bool say_close);
/* ax_session_stop() and frees everything (process exit). */
void ax_session_free_all(void);
/* Bumped for every new session or attempt: answers to older ones are stale. */
uint16_t ax_session_gen(void);
/* The socket string in use ("" before ax_session_start()). */
const char *ax_session_socket(void);
/* The open session (AgentX Open accepted), or NULL. */
netsnmp_session *ax_session_open(void);
/* Bytes waiting in the output buffer. */
size_t ax_session_out_bytes(void);
/* Loop glue: the session's own fd (-1 when none) and its events. */
int ax_session_fd(void);
bool ax_session_wants_write(void);
void ax_session_write_ready(void);

/*
 * Subtrees this process serves: registered with the master as soon as a
 * session is open, again after every reconnect. Re-adding an existing
 * subtree is a no-op. Asynchronous: errors are logged.
 */
int ax_subtree_add(const oid *name, size_t len, int priority);
void ax_subtree_del(const oid *name, size_t len);

/* ---- ax_notify.c ---- */
/*
 * Queues a notification: trap is its snmpTrapOID value, vars its varbinds
 * (ownership taken, even on error), key identifies the object it is about
 * (0 = none): when the queue is full, a queued notification with the same
 * trap and key is replaced, else the oldest is dropped. sysUpTime.0 and
 * snmpTrapOID.0 are added when it is sent. 0, or -ENOTCONN when traps are
 * off.
 */
int ax_notify(const oid *trap, size_t trap_len, netsnmp_variable_list *vars, uint64_t key);
/* Sends what the session and the window allow. Called before each wait. */
void ax_notify_pump(void);
bool ax_notify_pending(void);
size_t ax_notify_queue_len(void);
/* The session went away: in-flight notifications are forgotten. */
void ax_notify_session_lost(void);
void ax_notify_enable(bool on);
void ax_notify_free_all(void);

/* ---- ax_trap.c ---- */
/* Turns the engine observers that send notifications on or off. */
void ax_trap_enable(bool on);

/* ---- ax_alived_global.c ---- */
int ax_global_init(int priority);
/* The configuration changed: refresh emailTable. */
void ax_global_reload(void);
void ax_global_shutdown(void);

/* ---- ax_alived_vrrp.c ---- */
int ax_vrrp_init(void);
/* VrrpState (ALIVED-MIB) of an enum vrrp_api_state; unknown(4) if out of range. */
long ax_vrrp_state(unsigned st);
/* The configuration changed (ax_root() is the new one): refresh rows. */
void ax_vrrp_reload(void);
void ax_vrrp_shutdown(void);

#endif
