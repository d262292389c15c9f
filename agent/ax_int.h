/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the files of agent/ share. Not for use outside agent/.
 *
 *   ax_loop.c     net-snmp set-up, its fds and timeouts on the event loop,
 *                 the public entry points of agent.h
 *   ax_session.c  the AgentX session: non-blocking transport, connect,
 *                 Open, Register, Ping, reconnect with back-off
 *   ax_notify.c   the bounded queue of notifications
 *   ax_trap.c     VRRP engine events -> notifications
 *   ax_table.c    tdata tables, scalars, value setters, SET plumbing
 *   ax_vrrp_set.c the writable VRRP columns (one command API behind them)
 *   ax_vrrp_model.c  instances keyed by (ifIndex, VRID, family) for the
 *                 RFC tables, with their up times
 *   ax_alived_global.c, ax_alived_vrrp.c, ax_alived_track.c,
 *   ax_alived_check.c   the tables of ALIVED-MIB
 *   ax_vrrp_rfc2787.c, ax_vrrp_rfc6527.c   VRRP-MIB and VRRPV3-MIB
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
struct cfg_vrrp_inst;
struct cfg_vrrp_sync;
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

/* The parts a process can serve (ax_loop.c turns them on and off). */
enum ax_part {
	AX_PART_VRRP,		/* ALIVED-MIB vrrp (.2): VRRP process */
	AX_PART_RFCV2,		/* VRRP-MIB (RFC 2787): VRRP process */
	AX_PART_RFCV3,		/* VRRPV3-MIB (RFC 6527): VRRP process */
	AX_PART_CHECK,		/* ALIVED-MIB check (.3): checker process */
	AX_PART__COUNT,
};

/* ---- ax_loop.c ---- */
struct ev_loop *ax_loop(void);
/* The part is served now (its init succeeded and it was not shut down). */
bool ax_part_on(enum ax_part part);
/* Notifications are on (enable_traps or -x). */
bool ax_traps_on(void);
/* The configuration last given to ax_start()/ax_reload(); NULL before. */
const struct cfg_root *ax_root(void);
/* Changes whenever ax_root() is replaced (even by one at the same address). */
uint64_t ax_root_gen(void);
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
/* Appends column.index = value; index 0 makes a scalar (.0). */
void ax_vb_add(netsnmp_variable_list **vars, const oid *col, size_t col_len, uint32_t index,
	       u_char type, const void *val, size_t len);
/* Appends column.idx[0..n-1] = value. */
void ax_vb_add_idx(netsnmp_variable_list **vars, const oid *col, size_t col_len,
		   const oid *idx, size_t n, u_char type, const void *val, size_t len);
/* Appends routerId.0 (global routerId: the host name when not configured). */
void ax_vb_router_id(netsnmp_variable_list **vars);

/* ---- ax_table.c ---- */
/*
 * A table whose rows live in a tdata container, sorted by their index
 * OID: GET and GETNEXT cost O(log n). A row's data is the module's
 * (an ID or a pointer); rows are created with their index OID given
 * directly. refresh, when set, is called before each GET, GETNEXT and
 * the first phase of a SET reach the rows (lazy rebuilds). In the later
 * phases of a SET, a handler must not use the row: it may be gone.
 */
struct ax_table {
	netsnmp_tdata *td;
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *ti;	/* ours: freed after unregistering */
	netsnmp_column_info *cols;		/* ours, when the columns have gaps */
	void (*refresh)(void);
};

struct ax_table_def {
	const char *name;
	const oid *oid;			/* the xxxTable OID */
	size_t oid_len;
	const u_char *idx;		/* index types: ASN_INTEGER, ASN_OCTET_STR, ... */
	size_t n_idx;
	unsigned min_col, max_col;
	Netsnmp_Node_Handler *handler;
	bool writable;
	void (*refresh)(void);
	const unsigned (*cols)[2];	/* column ranges served; NULL: min_col..max_col */
	size_t n_cols;
};

int ax_table_init(struct ax_table *t, const struct ax_table_def *d);
/* Unregisters and frees every row (not the rows' data). Safe when unused. */
void ax_table_fini(struct ax_table *t);
/* Adds a row (idx copied); NULL when a row with that index exists already. */
netsnmp_tdata_row *ax_table_add(struct ax_table *t, const oid *idx, size_t n, void *data);
netsnmp_tdata_row *ax_table_find(struct ax_table *t, const oid *idx, size_t n);
void ax_table_del(struct ax_table *t, netsnmp_tdata_row *row);
void ax_table_clear(struct ax_table *t);
size_t ax_table_rows(const struct ax_table *t);

/* A read-only scalar base.sub (instance .0); myvoid is the handler's. */
netsnmp_handler_registration *ax_scalar_register(const char *name, const oid *base,
						 size_t base_len, oid sub,
						 Netsnmp_Node_Handler *h, void *myvoid);

/* More value setters (ax_loop.c has int, uint, str, inet). */
int ax_set_counter(netsnmp_variable_list *vb, uint64_t v);	/* Counter32: low 32 bits */
int ax_set_counter64(netsnmp_variable_list *vb, uint64_t v);
int ax_set_ticks(netsnmp_variable_list *vb, uint32_t cs);	/* TimeTicks */
int ax_set_ipaddr(netsnmp_variable_list *vb, const struct cfg_addr *a); /* IpAddress */
int ax_set_bytes(netsnmp_variable_list *vb, const void *p, size_t n);
/* TimeStamp (RFC 2579) of a loop-clock time: sysUpTime then; 0 for 0 or before. */
uint32_t ax_timestamp(uint64_t mono_us);
/* Index sub-identifiers of an address: 4 (IpAddress) or len+bytes (InetAddress). */
size_t ax_idx_ipaddr(oid *out, const struct cfg_addr *a);
size_t ax_idx_inet(oid *out, const struct cfg_addr *a);

/*
 * SET plumbing (RFC 2741 section 7.2.4: TestSet, CommitSet, UndoSet,
 * CleanupSet; net-snmp's RESERVE1..FREE modes). A handler checks type,
 * range and row in RESERVE1 and keeps what it needs with
 * ax_set_keep(); ACTION and UNDO find it with ax_set_kept().
 */
struct ax_set_ctx {
	uint32_t id, id2;		/* the object (IDs, not row pointers) */
	unsigned col;
	long value;			/* asked for */
	long old;			/* before ACTION */
	bool done;			/* ACTION changed something */
};
struct ax_set_ctx *ax_set_keep(netsnmp_request_info *r);
struct ax_set_ctx *ax_set_kept(netsnmp_request_info *r);
/* SNMP error of a command's -errno (DESIGN.md: one table for SNMP and D-Bus). */
int ax_snmp_err(int err);
/* RESERVE1 checks of an INTEGER-like varbind: type and lo..hi. 0 or an SNMP error. */
int ax_check_int(const netsnmp_variable_list *vb, u_char type, long lo, long hi);

/* ---- ax_alived_global.c ---- */
int ax_global_init(int priority);
/* The configuration changed: refresh emailTable. */
void ax_global_reload(void);
void ax_global_shutdown(void);

/* ---- ax_vrrp_set.c ---- */
/* What a writable VRRP column changes. */
enum ax_vattr {
	AX_VATTR_PRIORITY,	/* base priority, 1..255 */
	AX_VATTR_PREEMPT,	/* 1 on, 2 off (TruthValue, preempt(1)/noPreempt(2)) */
	AX_VATTR_ADMIN,		/* 1 up, 2 down = maintenance (vrrpOperAdminState) */
	AX_VATTR__COUNT,
};
/*
 * One SET phase on instance id (0: no such row) for column col of type
 * asn_type (ASN_INTEGER or ASN_UNSIGNED), through the command API.
 * Errors are set on the request.
 */
void ax_vrrp_set(netsnmp_agent_request_info *ri, netsnmp_request_info *r, uint32_t id,
		 unsigned col, enum ax_vattr attr, u_char asn_type);

/* ---- ax_vrrp_model.c ---- */
/* One VRRP instance as the RFC tables index it. */
struct ax_vr {
	uint32_t id;
	int ifindex;			/* 0: no interface now (no row) */
	uint8_t vrid, version;
	int family;
	unsigned n_vips;		/* virtual_ipaddress of its family */
	uint64_t up_us;			/* left initialize (loop clock); 0 = not up */
};
int ax_vr_init(void);
void ax_vr_shutdown(void);
/* Generation of the set of rows: changes when a row appears, goes or moves. */
uint64_t ax_vr_gen(void);
/* The instances, by ID (valid until the generation changes). */
const struct ax_vr *ax_vr_all(size_t *ret_n);
const struct ax_vr *ax_vr_get(uint32_t id);
/* vrrpOperState / vrrpv3OperationsStatus: initialize(1), backup(2), master(3). */
long ax_vr_status(unsigned api_state);

/* ---- ax_alived_vrrp.c ---- */
int ax_vrrp_init(void);
/* VrrpState (ALIVED-MIB) of an enum vrrp_api_state; unknown(4) if out of range. */
long ax_vrrp_state(unsigned st);
/* The configuration changed (ax_root() is the new one): refresh rows. */
void ax_vrrp_reload(void);
void ax_vrrp_shutdown(void);
/* The configuration block of an instance (NULL when none); O(log n), also
 * when the vrrp part is off. */
const struct cfg_vrrp_inst *ax_vrrp_cfg(const char *name);
/* Frees that lookup (rebuilt when used again). */
void ax_vrrp_cfg_release(void);

/* ---- ax_alived_track.c ---- */
/* vrrpSyncGroup(Member)Table, vrrpTracked{Interface,Script}Table,
 * vrrpAddressTable, vrrpScriptTable (part of AX_PART_VRRP). */
int ax_track_init(void);
void ax_track_reload(void);
void ax_track_shutdown(void);
/* vrrpSyncGroupIndex of a group (0 when unknown); its VrrpState. */
uint32_t ax_sync_index(const char *name);
long ax_sync_state(const struct cfg_vrrp_sync *s);
/* An instance changed state: its sync group's vrrpSyncGroupStateChange
 * when the group's state changed. */
void ax_sync_notify(const char *inst_name);
/* Notifications off: frees what ax_sync_notify() kept when the part is off. */
void ax_sync_notify_release(void);

/* ---- ax_vrrp_rfc2787.c, ax_vrrp_rfc6527.c ---- */
int ax_rfc2787_init(void);
void ax_rfc2787_reload(void);
void ax_rfc2787_shutdown(void);
int ax_rfc6527_init(void);
void ax_rfc6527_reload(void);
void ax_rfc6527_shutdown(void);

/* ---- ax_alived_check.c ---- */
int ax_check_init(void);
void ax_check_reload(void);
void ax_check_shutdown(void);
/* Notifications of the checker (realServerStateChange, ...) on or off. */
void ax_check_trap_enable(bool on);

#endif
