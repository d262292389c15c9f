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

/* One (interface, family) with instances: its socket and demux table. */
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

	/* fault sources */
	bool fault_if;			/* interface missing or down */

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
	uint32_t next_id;		/* IDs are never reused */
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

/* ---- vrrp_api.c ---- */
void vrrp_api_emit(const struct vrrp_evt_info *e);
/* Whether anyone subscribed to evt (saves work when nobody did). */
bool vrrp_api_wants(enum vrrp_evt evt);
void vrrp_api_clear_all(void);	/* observers dropped at stop */

#endif
