/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The AgentX subagent of a child process, as the child sees it.
 *
 * Each child (VRRP, checker) is one AgentX subagent of the host's net-snmp
 * snmpd: it connects to the master agent's socket (-A, else snmp_socket
 * of global_defs, else net-snmp's default /var/agentx/master), registers
 * the subtrees it serves and answers requests on the child's event loop.
 * Nothing here ever blocks the loop: connects, the AgentX Open and
 * Register exchanges, pings and notifications are all asynchronous, and
 * writes to the socket are non-blocking (see doc/snmp.md). No master
 * agent is not an error: the subagent retries with a back-off and
 * re-registers when snmpd comes (back).
 *
 * What a child serves: the VRRP child the alived vrrp subtree (with
 * enable_snmp_vrrp or -x), VRRP-MIB (enable_snmp_rfcv2) and VRRPV3-MIB
 * (enable_snmp_rfcv3); the checker child the alived check subtree
 * (enable_snmp_checker); both the global scalars, the checker's at a
 * better AgentX priority, so snmpd answers from whichever process is
 * running. Writable columns go to the engines' command APIs;
 * notifications (enable_traps or -x) come from the engines' observers.
 * With none of enable_snmp_vrrp, enable_snmp_checker, enable_snmp_rfcv2,
 * enable_snmp_rfcv3, enable_traps nor -x for the role, ax_start() does
 * nothing and returns 0.
 */
#ifndef ALIVED_AGENT_H
#define ALIVED_AGENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct ev_loop;
struct cfg_root;

enum ax_role {
	AX_ROLE_VRRP,
	AX_ROLE_CHECK,
	AX_ROLE__COUNT,
};

struct ax_opts {
	enum ax_role role;
	bool all;		/* -x: every SNMP part of the role on */
	const char *socket;	/* -A; NULL = snmp_socket, then net-snmp's default.
				 * Copied. */
};

/*
 * Starts the subagent of this process on loop. root is borrowed until the
 * next ax_reload() or ax_stop(): configuration columns are read from it.
 * Call it before the engine starts, so that the first state changes are
 * notified too (rows follow the engine's ADDED events; called after, the
 * rows are read at once and only later changes are notified). Changes
 * made while no master agent is reachable wait in the notification queue.
 * 0, or -errno: -EALREADY when started twice, -EINVAL for a socket address
 * that cannot be used (logged; the engine should run on).
 */
int ax_start(struct ev_loop *loop, const struct cfg_root *root, const struct ax_opts *opts);
/*
 * Adopts a new configuration; call after the engine adopted it, in the
 * same loop callback (the old root may already be freed). Turns the
 * subagent on or off (with the opts of ax_start()), reconnects when the
 * socket changed, and refreshes the rows. Does nothing when ax_start()
 * was never called. 0 or -errno.
 */
int ax_reload(const struct cfg_root *root);
/*
 * Call after the engine stopped: hands the last notifications (the STOP
 * state changes) to the socket as far as it takes them at once, sends an
 * AgentX Close (without waiting), closes the session and frees
 * everything. Safe from a loop callback, and when not started.
 */
void ax_stop(void);

/* Counters of the subagent, for the USR2 stats dump. */
struct ax_stats {
	uint64_t connects;		/* sessions opened (AgentX Open accepted) */
	uint64_t connect_failures;	/* connect or Open failed */
	uint64_t disconnects;		/* open sessions lost */
	uint64_t requests;		/* AgentX requests received from the master */
	uint64_t notif_queued;		/* notifications handed to the subagent */
	uint64_t notif_sent;		/* written to the master */
	uint64_t notif_acked;		/* answered by the master */
	uint64_t notif_coalesced;	/* replaced by a newer one about the same object */
	uint64_t notif_dropped;		/* dropped: queue full, too old, or no session */
	uint64_t notif_timeouts;	/* not answered in time (may still be delivered) */
	uint64_t send_buffered;		/* PDUs that had to wait for a writable socket */
	uint64_t send_refused;		/* PDUs refused because the output buffer was full */
	size_t queue_len;		/* notifications waiting now */
	size_t out_bytes;		/* bytes waiting for the socket now */
	bool open;			/* an AgentX session is open now */
};
void ax_get_stats(struct ax_stats *ret);
/* Writes the counters as "SNMP ..." lines. Nothing when never started. */
void ax_dump_stats(FILE *out);

#endif
