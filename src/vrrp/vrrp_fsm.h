/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP state machine, pure: (state, event, now) -> (state', actions[]).
 *
 * RFC 5798 §6.4 (VRRPv3) and RFC 3768 §6.4 (VRRPv2), plus the two runtime
 * states keepalived users know: FAULT (interface down or a tracked object
 * failed) and STOP (shutdown). The machine never reads a clock, never does
 * I/O, never allocates and never logs: the caller passes now_us (monotonic
 * microseconds) and a fixed-size action list, then carries the actions out in
 * order (send, arm timers, add addresses, notify).
 *
 * Timers are absolute deadlines in microseconds kept in the machine; 0 means
 * "not armed". When one fires, the caller passes the matching *_TIMER event;
 * an event for a timer that is not armed is ignored, and one that arrives
 * before the recorded deadline re-arms it (ARM_TIMER) and does nothing else.
 *
 * Decisions where the RFCs are silent (see vrrp_fsm.c for the details):
 *  - Only the address owner (priority 255) becomes Master at startup; every
 *    other router starts in Backup and waits Master_Down_Interval, whatever
 *    its `state MASTER|BACKUP` wish (RFC 5798 §6.4.1; keepalived 2.2.7 does
 *    the same for non-owners, measured). The owner goes straight to Master
 *    even with `state BACKUP`, as the RFC requires.
 *  - preempt_delay (keepalived semantics, measured on 2.2.7): the delay opens
 *    at the first lower-priority advert a preempting Backup receives; during
 *    it such adverts are accepted as if nopreempt, afterwards they are
 *    discarded and the Master_Down timer runs out (RFC 5798 §6.4.2). So the
 *    take-over comes preempt_delay later than without it; no delay applies
 *    when no master is heard at all. The owner ignores both nopreempt and
 *    preempt_delay (RFC 5798 §6.1 Preempt_Mode). keepalived clears nopreempt
 *    and preempt_delay when `state MASTER` is set (with a warning): that is
 *    the config layer's job; this machine does what its config says.
 *  - A Master ignores an advert with its own priority and primary address
 *    (its own, looped back).
 *  - FAULT and maintenance from Master send a priority-0 advert first, so a
 *    Backup takes over after Skew_Time instead of Master_Down_Interval.
 *  - v3 Skew_Time is evaluated in microseconds, not truncated to whole
 *    centiseconds, so priorities 100 and 101 keep distinct timers at small
 *    intervals.
 */
#ifndef ALIVED_VRRP_FSM_H
#define ALIVED_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define VRRP_PRIO_STOP		0	/* "stop participating" (RFC 5798 §5.2.4) */
#define VRRP_PRIO_DEFAULT	100	/* RFC 5798 §5.2.4 */
#define VRRP_PRIO_OWNER		255	/* IPvX address owner (RFC 5798 §5.2.4) */
#define VRRP_V3_ADVER_INT_MAX_CS 4095	/* 12-bit field (RFC 5798 §5.2.7) */
#define VRRP_V2_ADVER_INT_MAX_CS 25500	/* 8-bit seconds (RFC 3768 §5.3.7) */
#define VRRP_PREEMPT_DELAY_MAX_US (86400ULL * 1000000ULL)
#define VRRP_ACTIONS_MAX	16

enum vrrp_state {
	VRRP_ST_INIT,		/* RFC 5798 §6.4.1 Initialize */
	VRRP_ST_BACKUP,		/* §6.4.2 */
	VRRP_ST_MASTER,		/* §6.4.3 */
	VRRP_ST_FAULT,		/* interface down / tracking failure (not in the RFC) */
	VRRP_ST_STOP,		/* shut down (the RFC goes back to Initialize) */
	VRRP_ST__COUNT,
};

enum vrrp_event {
	VRRP_EV_STARTUP,		/* RFC 5798 §6.4.1 Startup event */
	VRRP_EV_SHUTDOWN,		/* §6.4.2, §6.4.3 Shutdown event */
	VRRP_EV_ADVER_TIMER,		/* Adver_Timer fired (§6.4.3) */
	VRRP_EV_MASTER_DOWN_TIMER,	/* Master_Down_Timer fired (§6.4.2) */
	VRRP_EV_RX_ADVERT,		/* valid advert: .prio .adver_int_cs .src */
	VRRP_EV_FAULT,			/* interface down or a tracked object in fault */
	VRRP_EV_FAULT_CLEAR,		/* all fault sources cleared */
	VRRP_EV_PRIORITY_CHANGE,	/* .prio: new effective priority 1..255, .base_prio */
	VRRP_EV_MAINTENANCE_ON,		/* give up mastership and stay out */
	VRRP_EV_MAINTENANCE_OFF,
	VRRP_EV_PREEMPT_CHANGE,		/* .preempt: new Preempt_Mode */
	VRRP_EV__COUNT,
};

enum vrrp_timer {
	VRRP_TMR_ADVER,		/* Adver_Timer (Master) */
	VRRP_TMR_MASTER_DOWN,	/* Master_Down_Timer (Backup) */
	VRRP_TMR__COUNT,
};

enum vrrp_action {
	VRRP_ACT_SEND_ADVERT,	/* .prio: priority to advertise (0 = leaving) */
	VRRP_ACT_ARM_TIMER,	/* .timer .at_us: (re)arm at the absolute deadline */
	VRRP_ACT_CANCEL_TIMER,	/* .timer */
	VRRP_ACT_VIP_ADD,	/* add the virtual addresses (join solicited-node groups for
				 * IPv6); .accept: Accept_Mode in force (RFC 5798 §6.4.3) */
	VRRP_ACT_VIP_DEL,	/* remove them */
	VRRP_ACT_SEND_GARP,	/* .garp: gratuitous ARP / unsolicited NA burst; the
				 * runtime schedules the configured repeats */
	VRRP_ACT_MASTER_CHANGED,/* .addr .prio: new master (AF_UNSPEC: unknown) */
	VRRP_ACT_RX_LOWER_PRIO,	/* Master heard a lower-priority advert from .addr (.prio):
				 * keepalived's notify MASTER_RX_LOWER_PRI */
	VRRP_ACT_NOTIFY,	/* .old_state -> .new_state because of .reason (always last) */
	VRRP_ACT__COUNT,
};

enum vrrp_garp {
	VRRP_GARP_MASTER,	/* on becoming Master (garp_master_delay/repeat) */
	VRRP_GARP_LOWER_PRIO,	/* Master heard a lower priority (garp_lower_prio_*) */
	VRRP_GARP__COUNT,
};

/* Why the last transition happened; names are stable (logs, D-Bus, notify). */
enum vrrp_reason {
	VRRP_RSN_NONE,		/* never transitioned */
	VRRP_RSN_STARTUP,	/* Startup event (§6.4.1) */
	VRRP_RSN_PREEMPT,	/* Master_Down after discarding lower-priority adverts */
	VRRP_RSN_MASTER_DOWN,	/* Master_Down with no master heard (§6.4.2) */
	VRRP_RSN_HIGHER_PRIO_RX,/* Master heard a better advert (§6.4.3) */
	VRRP_RSN_PRIO0_RX,	/* Master_Down after the master sent priority 0 (§6.4.2) */
	VRRP_RSN_FAULT,
	VRRP_RSN_FAULT_CLEAR,
	VRRP_RSN_MAINTENANCE,
	VRRP_RSN_SHUTDOWN,
	VRRP_RSN__COUNT,
};

/* vrrpv3StatisticsNewMasterReason (RFC 6527), values as in the MIB. */
enum vrrp_master_reason {
	VRRP_NMR_NOT_MASTER = 0,
	VRRP_NMR_PRIORITY = 1,		/* owner at startup / fault clear */
	VRRP_NMR_PREEMPTED = 2,		/* took over from a lower-priority master */
	VRRP_NMR_MASTER_NO_RESPONSE = 3,/* master silent or released (priority 0) */
	VRRP_NMR__COUNT,
};

/* An IPv4 or IPv6 address, network byte order (IPv4 in the first 4 bytes). */
struct vrrp_fsm_addr {
	int family;		/* AF_UNSPEC, AF_INET or AF_INET6 */
	uint8_t bytes[16];
};

struct vrrp_fsm_config {
	uint8_t version;		/* 2 (RFC 3768) or 3 (RFC 5798) */
	uint8_t base_priority;		/* configured priority, 1..255 */
	uint16_t adver_int_cs;		/* Advertisement_Interval: v3 1..4095;
					 * v2 whole seconds, 100..25500 */
	bool preempt;			/* Preempt_Mode (ignored by the owner) */
	uint64_t preempt_delay_us;	/* see the header comment; 0 = none */
	bool accept;			/* Accept_Mode (RFC 5798 §6.1), runtime only */
	bool init_master;		/* `state MASTER`: reported, no timing effect */
	bool lower_prio_no_advert;	/* Master does not answer a lower advert (RFC) */
	bool higher_prio_send_advert;	/* Master sends one advert before yielding */
	struct vrrp_fsm_addr primary_addr; /* local primary IPvX address (tie-break) */
};

/*
 * One virtual router. Owned by the runtime instance; everything below cfg is
 * written only by vrrp_fsm_*() and may be read freely.
 */
struct vrrp_fsm {
	struct vrrp_fsm_config cfg;
	enum vrrp_state state;
	uint8_t priority;		/* effective priority (base + tracking), 1..255 */
	bool maintenance;
	uint16_t master_adver_int_cs;	/* Master_Adver_Interval (v3: learned, §6.1) */
	uint64_t skew_time_us;		/* Skew_Time for priority and the interval above */
	uint64_t master_down_interval_us;	/* Master_Down_Interval */
	uint64_t adver_at_us;		/* Adver_Timer deadline, 0 = not armed */
	uint64_t master_down_at_us;	/* Master_Down_Timer deadline, 0 = not armed */
	uint64_t preempt_at_us;		/* end of the preempt_delay window, 0 = none */
	bool rx_lower;			/* Backup discarded a lower advert since the last
					 * accepted one: a take-over is a preemption */
	bool rx_prio0;			/* Backup heard priority 0 since the last accepted */
	struct vrrp_fsm_addr master_addr;	/* current master, AF_UNSPEC = unknown */
	uint8_t master_prio;		/* priority in its last advert (ours as Master) */
	enum vrrp_state prev_state;	/* state before the last transition */
	enum vrrp_reason reason;	/* reason of the last transition */
	enum vrrp_master_reason new_master_reason;
	uint64_t transitions;		/* every state change */
	uint64_t master_transitions;	/* changes into Master (vrrpStatsBecomeMaster) */
	uint64_t last_transition_us;	/* now_us of the last state change */
};

struct vrrp_fsm_event {
	enum vrrp_event type;
	uint8_t prio;			/* RX_ADVERT: advert priority;
					 * PRIORITY_CHANGE: new effective priority */
	uint8_t base_prio;		/* PRIORITY_CHANGE: new base, 0 = unchanged */
	uint16_t adver_int_cs;		/* RX_ADVERT, v3: Max Adver Int of the packet */
	bool preempt;			/* PREEMPT_CHANGE */
	struct vrrp_fsm_addr src;	/* RX_ADVERT: IP source = sender's primary addr */
};

struct vrrp_fsm_action {
	enum vrrp_action type;
	enum vrrp_timer timer;		/* ARM_TIMER, CANCEL_TIMER */
	uint64_t at_us;			/* ARM_TIMER */
	uint8_t prio;			/* SEND_ADVERT, MASTER_CHANGED, RX_LOWER_PRIO */
	bool accept;			/* VIP_ADD */
	enum vrrp_garp garp;		/* SEND_GARP */
	enum vrrp_state old_state;	/* NOTIFY */
	enum vrrp_state new_state;	/* NOTIFY */
	enum vrrp_reason reason;	/* NOTIFY */
	struct vrrp_fsm_addr addr;	/* MASTER_CHANGED, RX_LOWER_PRIO */
};

/* Caller-supplied action list, filled by vrrp_fsm_step(). */
struct vrrp_actions {
	unsigned n;
	struct vrrp_fsm_action v[VRRP_ACTIONS_MAX];
};

/*
 * Sets up a machine in INIT from cfg (validated: version, priority, interval,
 * preempt delay). Returns 0 or -EINVAL; *f is written only on success.
 */
int vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_config *cfg);

/*
 * Adopts a new configuration at reload, keeping the state, the timers and the
 * statistics; prio is the new effective priority (1..255). Derived times are
 * recomputed and apply from the next (re)arming. Returns 0 or -EINVAL.
 */
int vrrp_fsm_reconfigure(struct vrrp_fsm *f, const struct vrrp_fsm_config *cfg, uint8_t prio);

/* Local primary address changed (no transition). Returns 0 or -EINVAL. */
int vrrp_fsm_set_primary_addr(struct vrrp_fsm *f, const struct vrrp_fsm_addr *addr);

/*
 * Feeds one event. On success, fills *ret_acts (from empty) and returns the
 * number of actions (0 when the event means nothing in this state). Returns
 * -EINVAL for a malformed event, leaving *f and *ret_acts untouched; -ENOSPC
 * if the list overflowed (cannot happen: the longest branch emits 6 actions).
 */
int vrrp_fsm_step(struct vrrp_fsm *f, const struct vrrp_fsm_event *ev, uint64_t now_us,
		  struct vrrp_actions *ret_acts);

/* Skew_Time / Master_Down_Interval in µs for version 2 or 3 (RFC 5798 §6.1,
 * RFC 3768 §6.1). v2 ignores master_adver_int_cs in Skew_Time. */
uint64_t vrrp_fsm_skew_time_us(uint8_t version, uint8_t prio, uint16_t master_adver_int_cs);
uint64_t vrrp_fsm_master_down_interval_us(uint8_t version, uint8_t prio,
					  uint16_t master_adver_int_cs);

/* Total order: by family, then as unsigned big-endian numbers. <0, 0, >0. */
int vrrp_fsm_addr_cmp(const struct vrrp_fsm_addr *a, const struct vrrp_fsm_addr *b);

bool vrrp_fsm_is_owner(const struct vrrp_fsm *f);
/* True when the router must accept packets for the VIPs (RFC 5798 §6.4.3):
 * Master, and the owner or Accept_Mode set. */
bool vrrp_fsm_accepts_vip_traffic(const struct vrrp_fsm *f);

/* Constant names; "?" for an out-of-range value. */
const char *vrrp_fsm_state_name(enum vrrp_state s);
const char *vrrp_fsm_event_name(enum vrrp_event e);
const char *vrrp_fsm_action_name(enum vrrp_action a);
const char *vrrp_fsm_timer_name(enum vrrp_timer t);
const char *vrrp_fsm_garp_name(enum vrrp_garp g);
const char *vrrp_fsm_reason_name(enum vrrp_reason r);
const char *vrrp_fsm_master_reason_name(enum vrrp_master_reason r);

#endif /* ALIVED_VRRP_FSM_H */
