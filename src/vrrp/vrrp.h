/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP instance runtime (private to src/vrrp): the objects the VRRP
 * process runs on, shared by its files.
 *
 *   vrrp_inst.c   instances: creation, the state machine driven, timers,
 *                 adverts sent, start / stop / reload
 *   vrrp_rx.c     interfaces: one raw socket per (interface, family),
 *                 receive loop, demultiplexing, validation, counters
 *   vrrp_vip.c    virtual addresses, gratuitous ARP / unsolicited NA
 *   vrrp_link.c   netlink monitor: links up/down/new/gone, primary addresses
 *   vrrp_child.c  the VRRP process's child_ops, dumps
 *   vrrp_api.c    include/alived/vrrp_api.h: read, observe, command
 *   vrrp_track.c  vrrp_script, track_interface, track_file: priority and fault
 *   vrrp_sync.c   sync groups: members change state together
 *   vrrp_notify.c notify scripts (one at a time per instance / group), FIFOs,
 *                 script users and script security, mail alerts
 *
 * There is one engine per process: `vrrp_rt` below. Instances and
 * interfaces are owned by it; configuration structs are borrowed from the
 * running cfg_root (swapped at reload).
 */
#ifndef ALIVED_VRRP_H
#define ALIVED_VRRP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "alived/cfg_global.h"
#include "alived/cfg_vrrp.h"
#include "alived/config.h"
#include "alived/ev.h"
#include "alived/log.h"
#include "alived/vrrp_api.h"
#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_net.h"
#include "vrrp/vrrp_pkt.h"

#define VRRP_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define VRRP_RX_BATCH		64	/* packets read per wake-up before timers run */
#define VRRP_RL_BURST		5	/* log lines per reason and instance ... */
#define VRRP_RL_INTERVAL_US	10000000ULL	/* ... per 10 s */
#define VRRP_ADVER_SLACK_MAX_US	10000ULL	/* Adver_Timer grid, see vrrp_inst.c */
#define VRRP_RX_BUF_DEFAULT	(1 << 20)	/* bytes, see vrrp_rx.c set_rcvbuf() */
#define VRRP_STATS_EVT_US	1000000ULL	/* VRRP_EVT_STATS at most once a second */

/* Drop reasons with their own rate limiter: the codec's, plus ours. */
enum vrrp_drop {
	VRRP_DROP_UNKNOWN_SRC = VRRP_PKT_E__COUNT,	/* unicast: not a peer */
	VRRP_DROP_OWNER,				/* we own the addresses (prio 255) */
	VRRP_DROP_ADDRLIST,				/* v3 list mismatch (accepted) */
	VRRP_DROP__COUNT,
};

/*
 * One (interface, family) with instances: its socket and demux table. An
 * entry of family AF_UNSPEC has no socket and no instance: it only follows
 * an interface named in track_interface (n_track references).
 */
struct vrrp_if {
	struct vrrp_if *next;
	char name[IFNAMSIZ];
	int family;			/* AF_INET or AF_INET6 */
	int ifindex;			/* 0: the interface does not exist (now) */
	bool up;			/* IFF_UP and IFF_RUNNING */
	int fd;				/* raw VRRP socket; -1 when closed */
	bool mcast;			/* the socket joined the multicast group(s) */
	struct cfg_addr primary;	/* first IPv4 / the IPv6 link-local; AF_UNSPEC */
	uint8_t mac[6];
	bool have_mac;
	/* Instances by VRID, chained through vrrp_inst.vrid_next (borrowed). */
	struct vrrp_inst *by_vrid[256];
	unsigned n_inst;
	unsigned n_track;		/* AF_UNSPEC: tracked interface references */
	struct log_ratelimit rl_unknown;	/* VRIDs nobody here runs */
	struct log_ratelimit rl_err;		/* socket errors */
};

/* One address of virtual_ipaddress or virtual_ipaddress_excluded. */
struct vrrp_vip {
	const struct cfg_vip *cfg;	/* borrowed */
	bool excluded;
	bool installed;			/* we added it (and did not remove it) */
	bool in_advert;			/* counted in adverts: not excluded, same family */
};

struct vrrp_inst {
	struct vrrp_inst *next;		/* in ID order */
	struct vrrp_inst *vrid_next;	/* same VRID on the same vrrp_if */
	uint32_t id;
	char name[VRRP_API_NAME_MAX];
	const struct cfg_vrrp_inst *cfg;	/* borrowed from the running root */
	struct vrrp_if *vif;		/* borrowed (owned by vrrp_rt) */

	struct vrrp_fsm fsm;
	ev_timer_id tmr[VRRP_TMR__COUNT];

	/* what adverts carry and received ones are checked against */
	uint8_t base_prio;		/* configured or commanded */
	bool base_prio_cmd;		/* set by a command (kept over reload) */
	bool preempt;
	bool preempt_cmd;
	struct vrrp_pkt_ctx rx_ctx;	/* family, version, vrid, auth, addrs */
	union vrrp_pkt_ipaddr *adv_addrs;	/* owned: the advertised VIPs */
	unsigned n_adv;
	struct cfg_addr group;		/* multicast destination */
	struct cfg_addr src;		/* configured source; AF_UNSPEC = primary */

	/* virtual addresses */
	struct vrrp_vip *vips;		/* owned; virtual_ipaddress then excluded */
	unsigned n_vips;
	bool vips_installed;
	bool vips_maybe;		/* may be left over from an earlier run */

	/* gratuitous ARP / NA */
	ev_timer_id garp_tmr;		/* next round of the current burst */
	ev_timer_id garp_delay_tmr;	/* the delayed burst (garp_*_delay) */
	ev_timer_id garp_refresh_tmr;	/* garp_master_refresh */
	unsigned garp_rounds_left;

	/* Fault sources, combined by vrrp_inst_apply(). */
	bool fault_if;			/* interface missing or down */
	bool fault_track;		/* a tracked object says fault (vrrp_track.c) */
	bool fault_sync;		/* another member of its sync group is in fault */
	bool faulted;			/* FAULT was fed to the state machine */
	bool own_fault_seen;		/* fault_if || fault_track as its group last saw it */
	bool started;			/* vrrp_inst_start() ran */

	/* Tracking (vrrp_track.c) */
	struct vrrp_trk_ref *trk;	/* owned */
	unsigned n_trk;
	int32_t trk_delta;		/* sum of the weighted trackers' effects */
	char trk_fault_what[96];	/* which tracker faults it, for the log */

	/* Sync group (vrrp_sync.c) */
	struct vrrp_sync *sync;		/* borrowed; NULL = none */
	const char *force_reason;	/* wording of a transition the group forces */
	bool sync_master_pending;	/* pushed towards MASTER by its group (a takeover
					 * for "priority 0 received" is then the group's) */

	/* counters and reporting */
	struct vrrp_api_stats stats;
	bool stats_dirty;
	ev_timer_id stats_tmr;
	struct log_ratelimit rl[VRRP_DROP__COUNT];
	struct log_ratelimit rl_tx;
	int64_t last_wall_s;
	char last_reason[64];
	bool keep_vips;			/* leaving with -V: VIP_DEL does nothing */
};

struct vrrp_link_mon;
struct vrrp_sync;
struct vrrp_track_rt;
struct vrrp_notify_rt;

/* The engine of this process. */
struct vrrp_rt {
	struct ev_loop *loop;		/* borrowed */
	const struct cfg_root *root;	/* borrowed: the running configuration */
	struct vrrp_nl *nl;		/* netlink requests (addresses) */
	struct vrrp_link_mon *mon;	/* netlink monitor */
	struct vrrp_inst *insts;	/* in ID order */
	struct vrrp_inst **by_id;	/* the same, as an array (binary search) */
	size_t n_insts;
	struct vrrp_if *ifs;
	struct vrrp_sync *syncs;	/* sync groups, in ID order */
	struct vrrp_track_rt *track;	/* scripts, files, interfaces tracked */
	struct vrrp_notify_rt *notify;	/* notification queues and FIFOs */
	uint32_t next_id;		/* IDs are never reused */
	uint32_t next_sync_id;		/* same for sync groups */
	bool dont_release;		/* -V: keep addresses on stop */
	bool stopping;
	bool running;
	unsigned in_observer;		/* depth of observer calls (commands refused) */
	struct vrrp_api_global_stats gstats;
	uint8_t rxbuf[65536];
};

extern struct vrrp_rt vrrp_rt;

/* -V (dont_release_vrrp): called by child.c before start. */
void vrrp_runtime_set_dont_release(bool on);

/* ---- vrrp_inst.c ---- */
/* The loop's clock (monotonic µs; a test clock in unit tests), read afresh. */
uint64_t vrrp_now_us(void);
/* Creates an instance from its configuration (not started). 0 or -errno. */
int vrrp_inst_new(const struct cfg_vrrp_inst *c, uint32_t id, struct vrrp_inst **ret);
/* Leaves service (priority 0 when MASTER, addresses removed unless keep),
 * unhooks from its interface, frees. */
void vrrp_inst_free(struct vrrp_inst *in, bool keep_vips);
/* Startup event (or fault when the interface is not usable). */
void vrrp_inst_start(struct vrrp_inst *in);
/* Feeds one event and carries the actions out. */
void vrrp_inst_event(struct vrrp_inst *in, const struct vrrp_fsm_event *ev);
void vrrp_inst_event_type(struct vrrp_inst *in, enum vrrp_event type);
/* The interface changed (up/down/gone/new, primary address): re-evaluate. */
void vrrp_inst_if_changed(struct vrrp_inst *in);
/* Adopts a new configuration of the same (interface, VRID, family). */
int vrrp_inst_reconfigure(struct vrrp_inst *in, const struct cfg_vrrp_inst *c);
/* Configuration checks done before anything is applied (start, reload). */
int vrrp_inst_check_cfg(const struct cfg_vrrp_inst *c);
/* Builds the FSM configuration. */
void vrrp_inst_fsm_cfg(const struct vrrp_inst *in, const struct cfg_vrrp_inst *c,
		       struct vrrp_fsm_config *ret);
enum vrrp_api_state vrrp_inst_api_state(enum vrrp_state s);
void vrrp_inst_stats_touch(struct vrrp_inst *in);
void vrrp_inst_info(const struct vrrp_inst *in, struct vrrp_api_info *ret);
struct vrrp_inst *vrrp_inst_by_id(uint32_t id);
/* Rebuilds vrrp_rt.by_id from the list. */
void vrrp_inst_index(void);
/* Emits an event about in (state and master fields filled from it). */
void vrrp_inst_emit(struct vrrp_inst *in, enum vrrp_evt evt);
/* Source address of adverts: configured, or the interface's primary. */
const struct cfg_addr *vrrp_inst_src(const struct vrrp_inst *in);
/*
 * Combines the fault sources and the tracked priority change with the base
 * priority and feeds the state machine what changed: PRIORITY_CHANGE, then
 * FAULT or FAULT_CLEAR. Tells the sync group when the instance's own fault
 * (interface, tracking) starts or ends.
 */
void vrrp_inst_apply(struct vrrp_inst *in);
/* The priority adverts carry given base_prio and the tracking (1..255). */
uint8_t vrrp_inst_eff_prio(const struct vrrp_inst *in);
/*
 * A sync group moves a member: to BACKUP (a master leaves with a priority-0
 * advert) or towards MASTER (a backup takes over after its Skew_Time, as
 * when the master sent priority 0). why is the log wording (kept by caller).
 */
void vrrp_inst_sync_force(struct vrrp_inst *in, enum vrrp_state want, const char *why);

/* ---- vrrp_rx.c ---- */
/* Finds or creates the vrrp_if for (name, family). */
struct vrrp_if *vrrp_if_get(const char *name, int family);
/* Hooks in into its vrrp_if's demux table; unhooks. */
void vrrp_if_attach(struct vrrp_if *vif, struct vrrp_inst *in);
void vrrp_if_detach(struct vrrp_if *vif, struct vrrp_inst *in);
/* (Re)opens or closes the socket as the interface's state requires;
 * reopen: close it first (the set of groups changed). */
void vrrp_if_sync(struct vrrp_if *vif, bool reopen);
/* Interface state from the monitor: ifindex 0 = gone. */
void vrrp_if_update(struct vrrp_if *vif, int ifindex, bool up);
/* Frees every vrrp_if without instances. */
void vrrp_if_gc(void);
/* A reference to the AF_UNSPEC entry of a tracked interface; drop it. */
struct vrrp_if *vrrp_if_track(const char *name);
void vrrp_if_untrack(struct vrrp_if *vif);
/* Refreshes vif->primary when unknown. 0 or -errno. */
int vrrp_if_primary_refresh(struct vrrp_if *vif);
/* Sends an advert payload to dst (NULL = the group) from src. */
int vrrp_if_send(struct vrrp_if *vif, const struct cfg_addr *src, const struct cfg_addr *dst,
		 const uint8_t *buf, size_t len);
/* Counts a refused packet on in (or router-wide when in is NULL). */
void vrrp_rx_count_drop(struct vrrp_inst *in, int reason, const struct cfg_addr *src,
			const char *detail);

/* ---- vrrp_vip.c ---- */
/* Builds in->vips and the advertised list from c. 0 or -errno. */
int vrrp_vip_build(struct vrrp_inst *in, const struct cfg_vrrp_inst *c);
void vrrp_vip_free(struct vrrp_inst *in);
void vrrp_vip_add_all(struct vrrp_inst *in);
void vrrp_vip_del_all(struct vrrp_inst *in);
/* Reload: adds what is new, removes what went, keeps the rest. */
void vrrp_vip_migrate(struct vrrp_inst *in, struct vrrp_vip *old, unsigned n_old);
/* Starts a GARP/NA burst (of kind) now, plus its delayed repeat. */
void vrrp_garp_start(struct vrrp_inst *in, enum vrrp_garp kind);
/* One master burst now (the SendGarp command). */
void vrrp_garp_once(struct vrrp_inst *in);
/* Stops every pending burst and the refresh. */
void vrrp_garp_stop(struct vrrp_inst *in);

/* ---- vrrp_link.c ---- */
/* Opens the monitor on the loop. 0 or -errno. */
int vrrp_link_open(struct ev_loop *loop, struct vrrp_link_mon **ret);
void vrrp_link_close(struct vrrp_link_mon *m);
/* Current state of an interface by name: 0 with *ret_ifindex and *ret_up,
 * or -ENODEV. */
int vrrp_link_query(const char *name, int *ret_ifindex, bool *ret_up);

/* ---- vrrp_track.c ---- */

/*
 * Pure parts (tests/unit/test_vrrp_track.c).
 *
 * rise / fall of a vrrp_script (keepalived.conf(5)): `fall` consecutive
 * failures turn a good script bad, `rise` consecutive successes turn it good
 * again; init_fail starts it bad.
 */
struct vrrp_track_rf {
	uint32_t rise, fall;		/* >= 1 */
	uint32_t run;			/* consecutive results against the state */
	bool ok;
};
void vrrp_track_rf_init(struct vrrp_track_rf *rf, uint32_t rise, uint32_t fall, bool init_fail);
/* Records one result; true when the state flipped. */
bool vrrp_track_rf_result(struct vrrp_track_rf *rf, bool success);

enum vrrp_trk_kind {
	VRRP_TRK_IF,			/* up: IFF_UP and IFF_RUNNING */
	VRRP_TRK_SCRIPT,		/* up: the script's state is good */
	VRRP_TRK_FILE,			/* value: the number in the file */
	VRRP_TRK__COUNT,
};

/* What one tracked object contributes, from its state and the weight. */
struct vrrp_track_input {
	enum vrrp_trk_kind kind;
	int32_t weight;			/* as used: 0 when forced (owner, sync group) */
	bool reverse;
	bool up;			/* IF, SCRIPT */
	int64_t value;			/* FILE */
};
struct vrrp_track_effect {
	bool fault;
	int32_t delta;			/* priority change, -253..254 */
};
void vrrp_track_effect(const struct vrrp_track_input *in, struct vrrp_track_effect *ret);
/* base 255 (owner) stays 255; otherwise base + delta within 1..254. */
uint8_t vrrp_track_eff_prio(uint8_t base, int64_t delta);

/* One tracked object of an instance (its own or its sync group's). */
struct vrrp_trk_ref {
	enum vrrp_trk_kind kind;
	void *obj;			/* borrowed from vrrp_rt.track */
	int32_t weight;			/* effective (forced to 0 where required) */
	bool reverse;
};

/* Runtime: start builds the tracked objects and every instance's list;
 * reload rebuilds them (a script keeps its state when its name and command
 * stay) and applies the result to instances already running. */
int vrrp_track_start(void);
void vrrp_track_reload(void);
void vrrp_track_stop(void);
/* Builds in->trk from its configuration (and its group's) and evaluates it. */
void vrrp_track_inst_build(struct vrrp_inst *in);
void vrrp_track_inst_free(struct vrrp_inst *in);
/* Recomputes in->trk_delta / fault_track; true when either changed. */
bool vrrp_track_eval(struct vrrp_inst *in);
/* A tracked interface changed (from vrrp_rx.c). */
void vrrp_track_if_changed(struct vrrp_if *vif);
void vrrp_track_dump(FILE *out, const struct vrrp_inst *in);

/* ---- vrrp_sync.c ---- */
struct vrrp_sync {
	struct vrrp_sync *next;		/* in ID order */
	uint32_t id;
	char name[VRRP_API_NAME_MAX];
	const struct cfg_vrrp_sync *cfg;	/* borrowed from the running root */
	struct vrrp_inst **members;	/* owned array of borrowed pointers */
	unsigned n_members;
	enum vrrp_api_state state;	/* derived from the members' */
	unsigned busy;			/* moving members: their changes do not echo */
	uint64_t last_transition_us;
	int64_t last_wall_s;
};
/* Builds the groups of the running root, keeping IDs and states by name. */
void vrrp_sync_build(void);
/* Detaches every instance (reload and stop); the groups stay until build. */
void vrrp_sync_detach_all(void);
/* At stop, after the members: each group reports STOP (as keepalived does). */
void vrrp_sync_stop(void);
void vrrp_sync_free_all(void);
/* A member changed state (from on_notify, before observers hear of it). */
void vrrp_sync_member_changed(struct vrrp_inst *in, enum vrrp_state old_state,
			      enum vrrp_state new_state);
/* A member's own fault started or ended: hold or release the others. */
void vrrp_sync_fault_update(struct vrrp_sync *g);
struct vrrp_sync *vrrp_sync_by_id(uint32_t id);
void vrrp_sync_info(const struct vrrp_sync *g, struct vrrp_api_sync_info *ret);
void vrrp_sync_dump(FILE *out);

/* ---- vrrp_notify.c ---- */
/* FIFOs and their scripts opened / reopened / closed; at stop the queued
 * notifications are handed to a process of their own, still in order. */
int vrrp_notify_start(void);
void vrrp_notify_reload(void);
void vrrp_notify_stop(void);
/* An instance entered st (MASTER, BACKUP, FAULT, STOP; STOP of an instance
 * removed by a reload is reported as DELETED or FAULT). */
void vrrp_notify_inst(struct vrrp_inst *in, enum vrrp_state st);
/* A master heard a lower priority (notify_master_rx_lower_pri). */
void vrrp_notify_rx_lower(struct vrrp_inst *in);
/* The effective priority changed (FIFO, with notify_priority_changes). */
void vrrp_notify_prio(struct vrrp_inst *in);
void vrrp_notify_sync(struct vrrp_sync *g);

/* Who runs a script: user/group (NULL: script_user, else keepalived_script
 * when it exists and we are root, else ourselves). 0 or -ENOENT. */
int vrrp_script_ids(const char *user, const char *group, uid_t *ret_uid, gid_t *ret_gid,
		    bool *ret_set);
/*
 * Script security: a script run as root must not be writable by anyone but
 * root: neither the file nor a directory above it (a world-writable
 * directory with the sticky bit is fine when what it holds is root's).
 * Returns 0, or -EPERM with the reason in why; -ENOENT when the program
 * cannot be found.
 */
int vrrp_script_check(const char *cmdline, uid_t run_uid, char *why, size_t len);
/* Whether a script may run: checks it when it runs as root; logs a refusal
 * (enable_script_security), or with warn a warning (without it, or when the
 * program cannot be found). what names it in the log. */
bool vrrp_script_allowed(const char *cmdline, uid_t run_uid, const char *what, bool warn);

/* ---- vrrp_api.c ---- */
void vrrp_api_emit(const struct vrrp_evt_info *e);
/* Whether anyone subscribed to evt (saves work when nobody did). */
bool vrrp_api_wants(enum vrrp_evt evt);
void vrrp_api_clear_all(void);	/* observers dropped at stop */

#endif
