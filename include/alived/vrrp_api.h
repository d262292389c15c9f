/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP engine as the rest of the VRRP process sees it (agent/, dbus/,
 * notify): a read API returning copies, an observer hook, and a command
 * API. Nothing here hands out an engine pointer; instances are known by a
 * stable ID (1, 2, ... in order of first appearance; an instance keeps its
 * ID across reloads while its name stays, and a removed ID is never
 * reused).
 *
 * Single-threaded: call everything from the VRRP process's event loop.
 * Observers are called synchronously from the engine, after the change;
 * they must not block and may call the read API but not the command API
 * (a command from an observer returns -EBUSY).
 */
#ifndef ALIVED_VRRP_API_H
#define ALIVED_VRRP_API_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "alived/config.h"

#define VRRP_API_NAME_MAX	128	/* instance names are cut to 127 bytes */

/* Instance states, as D-Bus and SNMP show them. */
enum vrrp_api_state {
	VRRP_API_ST_INIT,
	VRRP_API_ST_BACKUP,
	VRRP_API_ST_MASTER,
	VRRP_API_ST_FAULT,
	VRRP_API_ST_STOP,
	VRRP_API_ST__COUNT,
};
/* "INIT", "BACKUP", "MASTER", "FAULT", "STOP"; "?" when out of range. */
const char *vrrp_api_state_name(unsigned st);

/* vrrpv3StatisticsNewMasterReason (RFC 6527). */
enum vrrp_api_master_reason {
	VRRP_API_MR_NOT_MASTER = 0,	/* notMaster */
	VRRP_API_MR_PRIORITY = 1,	/* priority: the higher priority (or owner) */
	VRRP_API_MR_PREEMPTED = 2,	/* preempted a lower-priority master */
	VRRP_API_MR_NO_RESPONSE = 3,	/* masterNoResponse: master down timer */
};

/*
 * Counters of one instance: VRRPV3-MIB vrrpv3StatisticsTable (RFC 6527)
 * plus VRRP-MIB vrrpRouterStatsTable's authentication ones (RFC 2787).
 * Monotonic until cleared; discontinuity_us says when that happened.
 */
struct vrrp_api_stats {
	uint64_t master_transitions;	/* vrrpv3StatisticsMasterTransitions */
	uint64_t adverts_rcvd;		/* ...RcvdAdvertisements (valid ones) */
	uint64_t adverts_sent;
	uint64_t adv_interval_errors;	/* ...AdvIntervalErrors (v2) */
	uint64_t ttl_errors;		/* ...IpTtlErrors */
	uint64_t pri_zero_rcvd;		/* ...RcvdPriZeroPackets */
	uint64_t pri_zero_sent;		/* ...SentPriZeroPackets */
	uint64_t invalid_type_rcvd;	/* ...RcvdInvalidTypePackets */
	uint64_t addr_list_errors;	/* ...AddressListErrors */
	uint64_t packet_length_errors;	/* ...PacketLengthErrors */
	uint64_t checksum_errors;	/* attributed to the instance by VRID */
	uint64_t version_errors;	/* idem */
	uint64_t vrid_errors;		/* idem (a VRID outside 1..255) */
	uint64_t auth_failures;		/* vrrpStatsAuthFailures (RFC 2787) */
	uint64_t invalid_auth_type;	/* vrrpStatsInvalidAuthType */
	uint64_t auth_type_mismatch;	/* vrrpStatsAuthTypeMismatch */
	uint64_t unknown_src_rcvd;	/* unicast: from an address not in unicast_peer */
	uint64_t garp_sent;		/* gratuitous ARPs and unsolicited NAs */
	enum vrrp_api_master_reason new_master_reason;	/* ...NewMasterReason */
	int proto_err_reason;		/* ...ProtoErrReason: enum vrrp_pkt_proto_err
					 * values (0 none, 1 ttl, 2 version,
					 * 3 checksum, 4 vrid) */
	uint64_t discontinuity_us;	/* ...DiscontinuityTime, CLOCK_MONOTONIC */
};

/* Router-wide counters (vrrpv3GlobalStatistics, RFC 6527 / RFC 2787). */
struct vrrp_api_global_stats {
	uint64_t checksum_errors;	/* vrrpv3RouterChecksumErrors */
	uint64_t version_errors;	/* vrrpv3RouterVersionErrors */
	uint64_t vrid_errors;		/* vrrpv3RouterVrIdErrors: no instance has it */
	uint64_t rx_dropped_short;	/* shorter than a VRRP header */
	uint64_t discontinuity_us;
};

/* A snapshot of one instance. Fixed-size fields only. */
struct vrrp_api_info {
	uint32_t id;
	char name[VRRP_API_NAME_MAX];
	char ifname[IFNAMSIZ];
	int ifindex;			/* 0 when the interface does not exist */
	bool if_up;
	uint8_t vrid;
	uint8_t version;		/* 2 or 3 */
	int family;			/* AF_INET or AF_INET6 */
	enum vrrp_api_state state;
	enum vrrp_api_state wanted_state;	/* state from the configuration */
	uint8_t base_priority;		/* configured, or set by a command */
	uint8_t effective_priority;	/* what adverts carry (0 when stopping) */
	bool preempt;
	uint32_t preempt_delay_ms;
	bool accept;
	bool maintenance;		/* set by vrrp_cmd_set_maintenance() */
	bool unicast;
	uint16_t advert_int_cs;		/* configured */
	uint16_t master_adver_int_cs;	/* learned from the master (v3) */
	struct cfg_addr master_addr;	/* AF_UNSPEC when unknown; ours when MASTER */
	uint8_t master_priority;	/* last heard (ours when MASTER) */
	struct cfg_addr src_addr;	/* what our adverts are sent from */
	unsigned n_vips;		/* virtual_ipaddress of the instance's family */
	unsigned n_evips;		/* virtual_ipaddress_excluded */
	bool vips_installed;		/* the addresses are on the interface */
	uint64_t last_transition_us;	/* CLOCK_MONOTONIC; 0 = none yet */
	int64_t last_transition_wall_s;	/* time(2) of the same; 0 = none */
	char last_reason[64];		/* why the last transition happened */
	struct vrrp_api_stats stats;
	/* Tracking and sync group (appended: older users ignore them). */
	uint32_t sync_id;		/* its vrrp_sync_group; 0 = none */
	int32_t track_delta;		/* what weighted trackers add (may be < 0) */
	bool fault_if;			/* in FAULT because its interface is down */
	bool fault_track;		/* ... because a tracked object failed */
	bool fault_sync;		/* ... because another member of its group is */
};

/* One virtual address of an instance. */
struct vrrp_api_vip {
	struct cfg_addr addr;		/* with its prefix */
	char dev[IFNAMSIZ];		/* the interface it goes on */
	bool excluded;			/* virtual_ipaddress_excluded */
	bool installed;
};

/* Number of instances. */
size_t vrrp_api_count(void);
/* Copies instance id into *ret_info. 0, or -ENOENT. */
int vrrp_api_get(uint32_t id, struct vrrp_api_info *ret_info);
/* Looks an instance up by name. 0 and *ret_id, or -ENOENT. */
int vrrp_api_find(const char *name, uint32_t *ret_id);
/*
 * Calls cb with a copy of every instance in increasing ID order; stops
 * early when cb returns non-zero and returns that value. Returns 0.
 */
typedef int (*vrrp_api_foreach_cb)(const struct vrrp_api_info *info, void *ud);
int vrrp_api_foreach(vrrp_api_foreach_cb cb, void *ud);
/*
 * Copies up to cap virtual addresses (virtual_ipaddress first, then
 * virtual_ipaddress_excluded) into buf. Returns the instance's total
 * number (which may exceed cap), or -ENOENT.
 */
int vrrp_api_vips(uint32_t id, struct vrrp_api_vip *buf, size_t cap);
void vrrp_api_global_stats(struct vrrp_api_global_stats *ret);

/*
 * Sync groups (vrrp_sync_group): IDs are stable across reloads while the
 * name stays, like instance IDs, and never reused. A group's state follows
 * its members': FAULT if one is, MASTER if all are, STOP if all are, BACKUP
 * if one is MASTER or BACKUP, else INIT. It changes only together with a
 * member's state, so a VRRP_EVT_STATE of a member (sync_id) is the moment
 * to read the group again.
 */
#define VRRP_API_SYNC_MEMBERS_MAX	32

struct vrrp_api_sync_info {
	uint32_t id;
	char name[VRRP_API_NAME_MAX];
	enum vrrp_api_state state;
	unsigned n_members;		/* may exceed VRRP_API_SYNC_MEMBERS_MAX */
	uint32_t members[VRRP_API_SYNC_MEMBERS_MAX];	/* instance IDs, group order */
	uint64_t last_transition_us;	/* CLOCK_MONOTONIC; 0 = none yet */
	int64_t last_transition_wall_s;	/* time(2) of the same; 0 = none */
};

size_t vrrp_api_sync_count(void);
/* 0, or -ENOENT. */
int vrrp_api_sync_get(uint32_t id, struct vrrp_api_sync_info *ret_info);
int vrrp_api_sync_find(const char *name, uint32_t *ret_id);
/* Increasing ID order; stops early on a non-zero return of cb. Returns 0. */
typedef int (*vrrp_api_sync_foreach_cb)(const struct vrrp_api_sync_info *info, void *ud);
int vrrp_api_sync_foreach(vrrp_api_sync_foreach_cb cb, void *ud);
/* Copies up to cap member instance IDs; returns the number of members, or
 * -ENOENT. */
int vrrp_api_sync_members(uint32_t id, uint32_t *buf, size_t cap);

/* ------------------------------------------------------------------ */
/* Observer hook */

enum vrrp_evt {
	VRRP_EVT_STATE,		/* state changed: old/new state, reason */
	VRRP_EVT_NEW_MASTER,	/* another router became master (master_addr) */
	VRRP_EVT_STATS,		/* counters changed (coalesced: at most 1/s per instance) */
	VRRP_EVT_PROTO_ERROR,	/* a packet was refused (rate-limited per instance
				 * and reason): proto_err / auth_err / pkt_err */
	VRRP_EVT_PRIORITY,	/* base or effective priority or preempt changed */
	VRRP_EVT_ADDED,		/* an instance appeared (start, reload) */
	VRRP_EVT_REMOVED,	/* an instance is about to go (reload, stop) */
	VRRP_EVT_RELOAD,	/* a reload was applied (id 0) */
	VRRP_EVT__COUNT,
};
#define VRRP_EVT_BIT(e)		(1u << (e))
#define VRRP_EVT_ALL		((1u << VRRP_EVT__COUNT) - 1)

struct vrrp_evt_info {
	enum vrrp_evt evt;
	uint32_t id;			/* 0 for VRRP_EVT_RELOAD */
	const char *name;		/* borrowed for the call; NULL for RELOAD */
	enum vrrp_api_state old_state, new_state;
	const char *reason;		/* borrowed; "" when none */
	struct cfg_addr master_addr;	/* AF_UNSPEC when unknown */
	int pkt_err;			/* PROTO_ERROR: enum vrrp_pkt_err */
	int proto_err;			/* PROTO_ERROR: RFC 6527 reason (0 = none) */
	int auth_err;			/* PROTO_ERROR: RFC 2787 vrrpTrapAuthErrorType
					 * (0 = none) */
	struct cfg_addr pkt_src;	/* PROTO_ERROR: sender */
};

typedef void (*vrrp_evt_cb)(const struct vrrp_evt_info *e, void *ud);
/* Registers cb for the events in mask (VRRP_EVT_BIT()s). Returns a handle > 0. */
uint64_t vrrp_api_subscribe(uint32_t mask, vrrp_evt_cb cb, void *ud);
/* 0, or -ENOENT. Safe from inside a callback. */
int vrrp_api_unsubscribe(uint64_t handle);

/* ------------------------------------------------------------------ */
/* Command API: SNMP SET, D-Bus methods and signals all come here. */

enum cmd_origin_kind {
	CMD_ORIGIN_INTERNAL,
	CMD_ORIGIN_SIGNAL,
	CMD_ORIGIN_SNMP,
	CMD_ORIGIN_DBUS,
	CMD_ORIGIN__COUNT,
};

/* Who asked, for the log line. */
struct cmd_origin {
	enum cmd_origin_kind kind;
	uid_t uid;			/* D-Bus caller; (uid_t)-1 when unknown */
	const char *who;		/* borrowed; e.g. the D-Bus sender; NULL */
};

/*
 * Each returns 0 or -errno: -ENOENT (no such instance), -EINVAL/-ERANGE
 * (bad value), -EAGAIN (not possible in the current state), -EBUSY
 * (called from an observer). The change goes through the state machine
 * at once (a lower priority on a master may make it step down at the
 * next advert it hears; a higher one on a backup preempts when allowed).
 * o may be NULL (internal).
 */
/* prio 1..255; 255 only for an instance configured as owner (255). */
int vrrp_cmd_set_priority(uint32_t id, unsigned prio, const struct cmd_origin *o);
int vrrp_cmd_set_preempt(uint32_t id, bool preempt, const struct cmd_origin *o);
/*
 * Maintenance on: the instance leaves service (a master sends priority 0
 * and removes its addresses) and stays BACKUP without ever taking over;
 * it still follows who the master is (info.maintenance is set). Off: it
 * starts again as at start-up.
 */
int vrrp_cmd_set_maintenance(uint32_t id, bool on, const struct cmd_origin *o);
/* Sends a gratuitous ARP / NA burst for every address; -EAGAIN unless MASTER. */
int vrrp_cmd_send_garp(uint32_t id, const struct cmd_origin *o);
/* Clears the instance's counters (discontinuity time = now). */
int vrrp_cmd_reset_stats(uint32_t id, const struct cmd_origin *o);
/* Asks the daemon to reload its configuration (HUP to the parent). */
int vrrp_cmd_reload(const struct cmd_origin *o);

/* "internal", "signal", "SNMP", "D-Bus". */
const char *vrrp_cmd_origin_name(enum cmd_origin_kind k);

#endif
