/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IPVS reconciler of the checker process: keeps the kernel's IPVS
 * table equal to what the configuration and the health checks say.
 *
 * At start, on every check API event (real server up/down, weight,
 * quorum, reload) and on lvs_reload(), it computes the wanted table of
 * the virtual servers concerned, reads theirs from the kernel and applies
 * only the difference (add / edit / delete of services and destinations).
 * Events are coalesced: the work runs from a zero-delay timer on the loop.
 *
 * The wanted table (keepalived's behaviour):
 *  - a service per virtual server (per entry of its virtual_server_group;
 *    ranges expanded), with lb_algo, persistence_timeout, persistence_
 *    granularity, persistence_engine, ops and the scheduler flags;
 *  - each alive real server with its weight in force; a dead one with
 *    inhibit_on_failure stays with weight 0, otherwise it is removed;
 *  - quorum lost with a sorry_server: the sorry server (weight 1) replaces
 *    the alive real servers; with sorry_server_inhibit it stays, weight 0,
 *    while the quorum is met.
 *
 * Ownership: alived manages the services its configuration names and, in
 * them, the destinations its configuration names. It remembers which
 * services it created. Entries it did not create are left alone: another
 * service, a destination added by hand to one of its services; a service
 * that existed before alived started is adopted (its parameters are set)
 * but never deleted. On stop, alived removes the destinations and the
 * services it made (not with -I: lvs_set_dont_release(true)).
 *
 * A kernel without IPVS is reported once (log_err); the checks run on.
 */
#ifndef ALIVED_LVS_H
#define ALIVED_LVS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "alived/config.h"
#include "alived/cfg_global.h"

struct ev_loop;

/*
 * Starts the reconciler in the checker process, after the checker
 * engine started (the check API must answer). Programs the table at
 * once. Always 0: without IPVS it logs once and does nothing.
 */
int lvs_start(struct ev_loop *loop, const struct cfg_root *root);
/*
 * A new configuration, after the checker engine adopted it (its reload
 * succeeded and published CHK_EVT_RELOAD); root stays valid until the
 * next lvs_reload() or lvs_stop(). Reconciles everything soon. 0, or
 * -ESRCH when not started.
 */
int lvs_reload(const struct cfg_root *root);
/* Removes what alived made (unless dont_release), stops the sync daemons
 * lvs_start() started, frees everything. */
void lvs_stop(void);
/* -I / --dont-release-ipvs: leave the table as it is on stop. */
void lvs_set_dont_release(bool dont_release);

/* Statistics of a virtual server (summed over its services) or of a real
 * server (rs_id 0: the sorry server), as the kernel counts them. */
struct lvs_stats {
	bool in_kernel;			/* at least one IPVS entry was found */
	uint32_t n_entries;		/* IPVS entries summed */
	uint32_t active_conns, inact_conns, persist_conns;	/* real servers */
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;	/* since creation */
	uint64_t cps, inpps, outpps, inbps, outbps;		/* per second */
};

/*
 * Reads the counters from the kernel now (a few synchronous requests).
 * 0 (in_kernel false and zeros when the entry is not in the table, e.g.
 * a dead real server), -ENOENT (no such server), -ESRCH (not started),
 * -EPROTONOSUPPORT (no IPVS), or another -errno.
 */
int lvs_get_vs_stats(uint32_t vs_id, struct lvs_stats *ret_stats);
int lvs_get_rs_stats(uint32_t vs_id, uint32_t rs_id, struct lvs_stats *ret_stats);

/* USR2: the IPVS counters of every virtual and real server, one line each:
 *   ipvs_stats TCP 10.0.0.1:80 conns N inpkts N ... outbps N
 *   ipvs_stats TCP 10.0.0.1:80 -> 10.0.0.2:80 conns N ... outbps N  */
void lvs_dump_stats(FILE *out);

/* ---- lvs_sync_daemon (any process) ---- */

enum lvs_syncd_role {
	LVS_SYNCD_OFF,		/* no daemon */
	LVS_SYNCD_MASTER,	/* the instance is MASTER: send */
	LVS_SYNCD_BACKUP,	/* BACKUP or FAULT: receive */
	LVS_SYNCD_BOTH,		/* no vrrp_instance given: both, always */
	LVS_SYNCD__COUNT,
};

/*
 * Makes the kernel's connection-sync daemons match role, with the
 * settings of cfg (global_defs lvs_sync_daemon): interface, syncid (-1:
 * vrid), maxlen, port, ttl, group. Idempotent: a daemon already running
 * with the same interface and syncid is left as it is. Uses its own
 * netlink socket (the VRRP process calls it on its state changes).
 * 0, -EPROTONOSUPPORT (no IPVS), or the first -errno of the kernel.
 */
int lvs_syncd_set(const struct cfg_lvs_syncd *cfg, unsigned vrid, enum lvs_syncd_role role);
/* "off", "master", "backup", "both" */
const char *lvs_syncd_role_name(enum lvs_syncd_role role);
/* Closes lvs_syncd_set()'s socket. */
void lvs_syncd_close(void);

#endif
