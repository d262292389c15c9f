// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VRRP state machine (pure). See vrrp_fsm.h for the contract and the
 * decisions taken where RFC 5798 / RFC 3768 are silent.
 *
 * Shape (STYLE.md §2.2): vrrp_fsm_step() switches on the event, each handler
 * switches on the state, and every state assignment goes through
 * fsm_set_state(), which records the reason, counts the transition and
 * appends the NOTIFY action.
 */
#include <errno.h>
#include <string.h>

#include "vrrp/vrrp_fsm.h"

#define FSM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define US_PER_CS 10000ULL
#define US_PER_S 1000000ULL

/* ---- names ------------------------------------------------------------ */

static const char *const state_names[] = {
	[VRRP_ST_INIT] = "INIT",
	[VRRP_ST_BACKUP] = "BACKUP",
	[VRRP_ST_MASTER] = "MASTER",
	[VRRP_ST_FAULT] = "FAULT",
	[VRRP_ST_STOP] = "STOP",
};
_Static_assert(FSM_ARRAY_SIZE(state_names) == VRRP_ST__COUNT, "state names");

static const char *const event_names[] = {
	[VRRP_EV_STARTUP] = "startup",
	[VRRP_EV_SHUTDOWN] = "shutdown",
	[VRRP_EV_ADVER_TIMER] = "adver_timer",
	[VRRP_EV_MASTER_DOWN_TIMER] = "master_down_timer",
	[VRRP_EV_RX_ADVERT] = "rx_advert",
	[VRRP_EV_FAULT] = "fault",
	[VRRP_EV_FAULT_CLEAR] = "fault_clear",
	[VRRP_EV_PRIORITY_CHANGE] = "priority_change",
	[VRRP_EV_MAINTENANCE_ON] = "maintenance_on",
	[VRRP_EV_MAINTENANCE_OFF] = "maintenance_off",
	[VRRP_EV_PREEMPT_CHANGE] = "preempt_change",
};
_Static_assert(FSM_ARRAY_SIZE(event_names) == VRRP_EV__COUNT, "event names");

static const char *const action_names[] = {
	[VRRP_ACT_SEND_ADVERT] = "send_advert",
	[VRRP_ACT_ARM_TIMER] = "arm_timer",
	[VRRP_ACT_CANCEL_TIMER] = "cancel_timer",
	[VRRP_ACT_VIP_ADD] = "vip_add",
	[VRRP_ACT_VIP_DEL] = "vip_del",
	[VRRP_ACT_SEND_GARP] = "send_garp",
	[VRRP_ACT_MASTER_CHANGED] = "master_changed",
	[VRRP_ACT_RX_LOWER_PRIO] = "rx_lower_prio",
	[VRRP_ACT_NOTIFY] = "notify",
};
_Static_assert(FSM_ARRAY_SIZE(action_names) == VRRP_ACT__COUNT, "action names");

static const char *const timer_names[] = {
	[VRRP_TMR_ADVER] = "adver",
	[VRRP_TMR_MASTER_DOWN] = "master_down",
};
_Static_assert(FSM_ARRAY_SIZE(timer_names) == VRRP_TMR__COUNT, "timer names");

static const char *const garp_names[] = {
	[VRRP_GARP_MASTER] = "master",
	[VRRP_GARP_LOWER_PRIO] = "lower_prio",
};
_Static_assert(FSM_ARRAY_SIZE(garp_names) == VRRP_GARP__COUNT, "garp names");

static const char *const reason_names[] = {
	[VRRP_RSN_NONE] = "none",
	[VRRP_RSN_STARTUP] = "startup",
	[VRRP_RSN_PREEMPT] = "preempt",
	[VRRP_RSN_MASTER_DOWN] = "master_down",
	[VRRP_RSN_HIGHER_PRIO_RX] = "higher_prio_rx",
	[VRRP_RSN_PRIO0_RX] = "prio0_rx",
	[VRRP_RSN_FAULT] = "fault",
	[VRRP_RSN_FAULT_CLEAR] = "fault_clear",
	[VRRP_RSN_MAINTENANCE] = "maintenance",
	[VRRP_RSN_SHUTDOWN] = "shutdown",
};
_Static_assert(FSM_ARRAY_SIZE(reason_names) == VRRP_RSN__COUNT, "reason names");

/* RFC 6527 enumeration labels */
static const char *const master_reason_names[] = {
	[VRRP_NMR_NOT_MASTER] = "notMaster",
	[VRRP_NMR_PRIORITY] = "priority",
	[VRRP_NMR_PREEMPTED] = "preempted",
	[VRRP_NMR_MASTER_NO_RESPONSE] = "masterNoResponse",
};
_Static_assert(FSM_ARRAY_SIZE(master_reason_names) == VRRP_NMR__COUNT, "NMR names");

static const char *name_of(const char *const *tab, size_t n, int v)
{
	if (v < 0 || (size_t)v >= n || !tab[v])
		return "?";
	return tab[v];
}

const char *vrrp_fsm_state_name(enum vrrp_state s)
{
	return name_of(state_names, FSM_ARRAY_SIZE(state_names), (int)s);
}

const char *vrrp_fsm_event_name(enum vrrp_event e)
{
	return name_of(event_names, FSM_ARRAY_SIZE(event_names), (int)e);
}

const char *vrrp_fsm_action_name(enum vrrp_action a)
{
	return name_of(action_names, FSM_ARRAY_SIZE(action_names), (int)a);
}

const char *vrrp_fsm_timer_name(enum vrrp_timer t)
{
	return name_of(timer_names, FSM_ARRAY_SIZE(timer_names), (int)t);
}

const char *vrrp_fsm_garp_name(enum vrrp_garp g)
{
	return name_of(garp_names, FSM_ARRAY_SIZE(garp_names), (int)g);
}

const char *vrrp_fsm_reason_name(enum vrrp_reason r)
{
	return name_of(reason_names, FSM_ARRAY_SIZE(reason_names), (int)r);
}

const char *vrrp_fsm_master_reason_name(enum vrrp_master_reason r)
{
	return name_of(master_reason_names, FSM_ARRAY_SIZE(master_reason_names), (int)r);
}

/* ---- timer arithmetic ------------------------------------------------- */

/*
 * RFC 5798 §6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256,
 * in centiseconds; evaluated here in µs without rounding to whole cs first.
 * RFC 3768 §6.1 (v2): Skew_Time = (256 - Priority) / 256 seconds, whatever
 * the advertisement interval.
 */
uint64_t vrrp_fsm_skew_time_us(uint8_t version, uint8_t prio, uint16_t master_adver_int_cs)
{
	uint64_t k = 256U - prio;

	if (version == 2)
		return k * US_PER_S / 256;
	return k * master_adver_int_cs * US_PER_CS / 256;
}

/* RFC 5798 §6.1: Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time;
 * RFC 3768 §6.1: 3 * Advertisement_Interval + Skew_Time (the caller passes the
 * router's own interval for v2). */
uint64_t vrrp_fsm_master_down_interval_us(uint8_t version, uint8_t prio,
					  uint16_t master_adver_int_cs)
{
	return 3ULL * master_adver_int_cs * US_PER_CS +
	       vrrp_fsm_skew_time_us(version, prio, master_adver_int_cs);
}

static uint64_t adver_int_us(const struct vrrp_fsm *f)
{
	return (uint64_t)f->cfg.adver_int_cs * US_PER_CS;
}

static void fsm_recompute(struct vrrp_fsm *f)
{
	f->skew_time_us = vrrp_fsm_skew_time_us(f->cfg.version, f->priority,
						 f->master_adver_int_cs);
	f->master_down_interval_us = vrrp_fsm_master_down_interval_us(f->cfg.version, f->priority,
								      f->master_adver_int_cs);
}

/* ---- addresses -------------------------------------------------------- */

static size_t addr_len(int family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	default:
		return 0;
	}
}

/*
 * Network byte order is big-endian, so memcmp() orders addresses as unsigned
 * numbers (RFC 5798 §6.4.3 "greater than the local primary IPvX Address").
 * Different families never meet in one virtual router; they are ordered by
 * family number so the order stays total (an unknown local address loses).
 */
int vrrp_fsm_addr_cmp(const struct vrrp_fsm_addr *a, const struct vrrp_fsm_addr *b)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	r = memcmp(a->bytes, b->bytes, addr_len(a->family));
	return r < 0 ? -1 : r > 0;
}

static bool family_valid(int family, bool unspec_ok)
{
	return family == AF_INET || family == AF_INET6 || (unspec_ok && family == AF_UNSPEC);
}

/* ---- predicates ------------------------------------------------------- */

bool vrrp_fsm_is_owner(const struct vrrp_fsm *f)
{
	return f->priority == VRRP_PRIO_OWNER;
}

bool vrrp_fsm_accepts_vip_traffic(const struct vrrp_fsm *f)
{
	return f->state == VRRP_ST_MASTER && (f->cfg.accept || vrrp_fsm_is_owner(f));
}

/* Preempt_Mode, except that the owner always preempts (RFC 5798 §6.1). */
static bool fsm_preempts(const struct vrrp_fsm *f)
{
	return f->cfg.preempt || vrrp_fsm_is_owner(f);
}

/* ---- action list ------------------------------------------------------ */

struct fsm_ctx {
	struct vrrp_fsm *f;
	struct vrrp_actions *acts;
	uint64_t now_us;
	bool overflow;
	struct vrrp_fsm_action scratch;	/* sink once the list is full (a bug) */
};

static struct vrrp_fsm_action *act_push(struct fsm_ctx *c, enum vrrp_action type)
{
	struct vrrp_fsm_action *a = &c->scratch;

	if (c->acts->n < VRRP_ACTIONS_MAX)
		a = &c->acts->v[c->acts->n++];
	else
		c->overflow = true;
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

static void act_advert(struct fsm_ctx *c, uint8_t prio)
{
	act_push(c, VRRP_ACT_SEND_ADVERT)->prio = prio;
}

static void act_garp(struct fsm_ctx *c, enum vrrp_garp g)
{
	act_push(c, VRRP_ACT_SEND_GARP)->garp = g;
}

static uint64_t *timer_slot(struct vrrp_fsm *f, enum vrrp_timer t)
{
	return t == VRRP_TMR_ADVER ? &f->adver_at_us : &f->master_down_at_us;
}

static void timer_arm(struct fsm_ctx *c, enum vrrp_timer t, uint64_t at_us)
{
	struct vrrp_fsm_action *a;

	*timer_slot(c->f, t) = at_us;
	a = act_push(c, VRRP_ACT_ARM_TIMER);
	a->timer = t;
	a->at_us = at_us;
}

static void timer_cancel(struct fsm_ctx *c, enum vrrp_timer t)
{
	uint64_t *slot = timer_slot(c->f, t);

	if (!*slot)
		return;
	*slot = 0;
	act_push(c, VRRP_ACT_CANCEL_TIMER)->timer = t;
}

/* Records the current master; MASTER_CHANGED only when the address changes. */
static void fsm_set_master(struct fsm_ctx *c, const struct vrrp_fsm_addr *addr, uint8_t prio)
{
	struct vrrp_fsm *f = c->f;
	struct vrrp_fsm_action *a;

	f->master_prio = prio;
	if (vrrp_fsm_addr_cmp(&f->master_addr, addr) == 0)
		return;
	f->master_addr = *addr;
	a = act_push(c, VRRP_ACT_MASTER_CHANGED);
	a->addr = *addr;
	a->prio = prio;
}

static void fsm_forget_master(struct fsm_ctx *c)
{
	static const struct vrrp_fsm_addr none = { .family = AF_UNSPEC };

	fsm_set_master(c, &none, 0);
}

/* ---- transitions ------------------------------------------------------ */

static enum vrrp_master_reason master_reason_of(enum vrrp_reason r)
{
	switch (r) {
	case VRRP_RSN_PREEMPT:
		return VRRP_NMR_PREEMPTED;
	case VRRP_RSN_MASTER_DOWN:
	case VRRP_RSN_PRIO0_RX:
		return VRRP_NMR_MASTER_NO_RESPONSE;
	default:
		return VRRP_NMR_PRIORITY;	/* owner: startup, fault clear, maintenance off */
	}
}

/* The only place that changes f->state (FRR vrrp_change_state, CARP carp_set_state). */
static void fsm_set_state(struct fsm_ctx *c, enum vrrp_state to, enum vrrp_reason reason)
{
	struct vrrp_fsm *f = c->f;
	struct vrrp_fsm_action *a;

	f->prev_state = f->state;
	f->state = to;
	f->reason = reason;
	f->transitions++;
	f->last_transition_us = c->now_us;
	if (to == VRRP_ST_MASTER) {
		f->master_transitions++;
		f->new_master_reason = master_reason_of(reason);
	}
	a = act_push(c, VRRP_ACT_NOTIFY);
	a->old_state = f->prev_state;
	a->new_state = to;
	a->reason = reason;
}

static void backup_reset(struct vrrp_fsm *f)
{
	f->rx_lower = false;
	f->rx_prio0 = false;
	f->preempt_at_us = 0;
}

/*
 * RFC 5798 §6.4.1 (owner) and §6.4.2 "Master_Down_Timer fires": send an
 * advert, announce the addresses (gratuitous ARP for IPv4, unsolicited NA
 * with the Router flag for IPv6, after joining the solicited-node groups),
 * set the Adver_Timer, become Master.
 */
static void enter_master(struct fsm_ctx *c, enum vrrp_reason reason)
{
	struct vrrp_fsm *f = c->f;
	struct vrrp_fsm_action *a;

	timer_cancel(c, VRRP_TMR_MASTER_DOWN);
	backup_reset(f);
	a = act_push(c, VRRP_ACT_VIP_ADD);
	a->accept = f->cfg.accept || vrrp_fsm_is_owner(f);
	act_advert(c, f->priority);
	act_garp(c, VRRP_GARP_MASTER);
	timer_arm(c, VRRP_TMR_ADVER, c->now_us + adver_int_us(f));
	fsm_set_master(c, &f->cfg.primary_addr, f->priority);
	fsm_set_state(c, VRRP_ST_MASTER, reason);
}

/*
 * RFC 5798 §6.4.1, Backup branch: Master_Adver_Interval = Advertisement_Interval,
 * Master_Down_Timer = Master_Down_Interval. In maintenance no timer runs.
 */
static void enter_backup_fresh(struct fsm_ctx *c, enum vrrp_reason reason)
{
	struct vrrp_fsm *f = c->f;

	f->master_adver_int_cs = f->cfg.adver_int_cs;
	fsm_recompute(f);
	backup_reset(f);
	if (!f->maintenance)
		timer_arm(c, VRRP_TMR_MASTER_DOWN, c->now_us + f->master_down_interval_us);
	if (f->state != VRRP_ST_BACKUP)
		fsm_set_state(c, VRRP_ST_BACKUP, reason);
}

/* RFC 5798 §6.4.1: the owner becomes Master at once, anyone else Backup. */
static void startup_rules(struct fsm_ctx *c, enum vrrp_reason reason)
{
	if (!c->f->maintenance && vrrp_fsm_is_owner(c->f))
		enter_master(c, reason);
	else
		enter_backup_fresh(c, reason);
}

/* Master's exit: cancel Adver_Timer, optionally advertise priority 0
 * (RFC 5798 §6.4.3 Shutdown), drop the addresses. */
static void leave_master(struct fsm_ctx *c, bool send_prio0)
{
	timer_cancel(c, VRRP_TMR_ADVER);
	if (send_prio0)
		act_advert(c, VRRP_PRIO_STOP);
	act_push(c, VRRP_ACT_VIP_DEL);
}

/* ---- event handlers ----------------------------------------------------- */

static void on_startup(struct fsm_ctx *c)
{
	switch (c->f->state) {
	case VRRP_ST_INIT:
	case VRRP_ST_STOP:
		startup_rules(c, VRRP_RSN_STARTUP);	/* §6.4.1 */
		break;
	default:	/* already running, or FAULT: FAULT_CLEAR starts it */
		break;
	}
}

static void on_shutdown(struct fsm_ctx *c)
{
	struct vrrp_fsm *f = c->f;

	switch (f->state) {
	case VRRP_ST_MASTER:	/* §6.4.3: cancel Adver_Timer, advert priority 0 */
		leave_master(c, true);
		fsm_forget_master(c);
		fsm_set_state(c, VRRP_ST_STOP, VRRP_RSN_SHUTDOWN);
		break;
	case VRRP_ST_BACKUP:	/* §6.4.2: cancel Master_Down_Timer */
		timer_cancel(c, VRRP_TMR_MASTER_DOWN);
		backup_reset(f);
		fsm_forget_master(c);
		fsm_set_state(c, VRRP_ST_STOP, VRRP_RSN_SHUTDOWN);
		break;
	case VRRP_ST_INIT:
	case VRRP_ST_FAULT:
		fsm_set_state(c, VRRP_ST_STOP, VRRP_RSN_SHUTDOWN);
		break;
	default:
		break;
	}
}

/* A timer event before its recorded deadline: the deadline moved later, or the
 * caller's timer fired early; re-arm instead of acting. Returns true if so. */
static bool timer_early(struct fsm_ctx *c, enum vrrp_timer t)
{
	uint64_t at = *timer_slot(c->f, t);

	if (c->now_us >= at)
		return false;
	timer_arm(c, t, at);
	return true;
}

static void on_adver_timer(struct fsm_ctx *c)
{
	struct vrrp_fsm *f = c->f;
	uint64_t next;

	switch (f->state) {
	case VRRP_ST_MASTER:
		if (!f->adver_at_us || timer_early(c, VRRP_TMR_ADVER))
			break;
		/*
		 * §6.4.3: send an advert, reset the Adver_Timer. The next deadline
		 * follows the previous one, not the firing time, so a late loop does
		 * not stretch every later interval; after a stall of more than one
		 * interval it restarts from now (no burst).
		 */
		act_advert(c, f->priority);
		next = f->adver_at_us + adver_int_us(f);
		if (next <= c->now_us)
			next = c->now_us + adver_int_us(f);
		timer_arm(c, VRRP_TMR_ADVER, next);
		break;
	default:
		break;
	}
}

static void on_master_down_timer(struct fsm_ctx *c)
{
	struct vrrp_fsm *f = c->f;
	enum vrrp_reason reason;

	switch (f->state) {
	case VRRP_ST_BACKUP:
		if (!f->master_down_at_us || f->maintenance ||
		    timer_early(c, VRRP_TMR_MASTER_DOWN))
			break;
		f->master_down_at_us = 0;	/* fired */
		if (f->rx_prio0)
			reason = VRRP_RSN_PRIO0_RX;
		else if (f->rx_lower)
			reason = VRRP_RSN_PREEMPT;
		else
			reason = VRRP_RSN_MASTER_DOWN;
		enter_master(c, reason);	/* §6.4.2 "Master_Down_Timer fires" */
		break;
	default:
		break;
	}
}

/* §6.4.2: accept the master: learn Master_Adver_Interval (v3), recompute
 * Skew_Time and Master_Down_Interval, reset the Master_Down_Timer. */
static void backup_accept(struct fsm_ctx *c, const struct vrrp_fsm_event *ev)
{
	struct vrrp_fsm *f = c->f;

	if (f->cfg.version == 3)
		f->master_adver_int_cs = ev->adver_int_cs;
	fsm_recompute(f);
	f->rx_lower = false;
	f->rx_prio0 = false;
	timer_arm(c, VRRP_TMR_MASTER_DOWN, c->now_us + f->master_down_interval_us);
}

static void backup_rx(struct fsm_ctx *c, const struct vrrp_fsm_event *ev)
{
	struct vrrp_fsm *f = c->f;

	if (ev->prio != VRRP_PRIO_STOP)
		fsm_set_master(c, &ev->src, ev->prio);
	if (f->maintenance)
		return;
	if (ev->prio == VRRP_PRIO_STOP) {
		/* §6.4.2: the master is leaving; Master_Down_Timer = Skew_Time */
		f->rx_prio0 = true;
		timer_arm(c, VRRP_TMR_MASTER_DOWN, c->now_us + f->skew_time_us);
		return;
	}
	if (!fsm_preempts(f) || ev->prio >= f->priority) {
		/* §6.4.2: Preempt_Mode False, or priority >= local */
		backup_accept(c, ev);
		f->preempt_at_us = 0;
		return;
	}
	/*
	 * A lower-priority master and we preempt. preempt_delay: the first such
	 * advert opens the window; within it, behave as nopreempt.
	 */
	if (f->cfg.preempt_delay_us && !vrrp_fsm_is_owner(f)) {
		if (!f->preempt_at_us)
			f->preempt_at_us = c->now_us + f->cfg.preempt_delay_us;
		if (c->now_us < f->preempt_at_us) {
			backup_accept(c, ev);
			return;
		}
	}
	f->rx_lower = true;	/* §6.4.2: discard; the Master_Down_Timer runs on */
}

static void master_rx(struct fsm_ctx *c, const struct vrrp_fsm_event *ev)
{
	struct vrrp_fsm *f = c->f;
	struct vrrp_fsm_action *a;
	int cmp;

	if (ev->prio == VRRP_PRIO_STOP) {
		/* §6.4.3: send an advert, reset the Adver_Timer */
		act_advert(c, f->priority);
		timer_arm(c, VRRP_TMR_ADVER, c->now_us + adver_int_us(f));
		return;
	}
	cmp = vrrp_fsm_addr_cmp(&ev->src, &f->cfg.primary_addr);
	if (ev->prio == f->priority && cmp == 0)
		return;	/* our own advert looped back: not a peer at all */
	if (ev->prio > f->priority || (ev->prio == f->priority && cmp > 0)) {
		/*
		 * §6.4.3: cancel Adver_Timer, Master_Adver_Interval from the advert
		 * (v3), recompute Skew_Time and Master_Down_Interval, set the
		 * Master_Down_Timer, become Backup (and stop owning the addresses).
		 */
		if (f->cfg.higher_prio_send_advert)
			act_advert(c, f->priority);
		leave_master(c, false);
		f->master_adver_int_cs = f->cfg.version == 3 ? ev->adver_int_cs
							     : f->cfg.adver_int_cs;
		fsm_recompute(f);
		backup_reset(f);
		timer_arm(c, VRRP_TMR_MASTER_DOWN, c->now_us + f->master_down_interval_us);
		fsm_set_master(c, &ev->src, ev->prio);
		fsm_set_state(c, VRRP_ST_BACKUP, VRRP_RSN_HIGHER_PRIO_RX);
		return;
	}
	/*
	 * §6.4.3: discard. keepalived by default answers with an advert so the
	 * other side yields at once (lower_prio_no_advert restores the RFC), and
	 * re-announces the addresses; the Adver_Timer is left alone.
	 */
	if (!f->cfg.lower_prio_no_advert)
		act_advert(c, f->priority);
	act_garp(c, VRRP_GARP_LOWER_PRIO);
	a = act_push(c, VRRP_ACT_RX_LOWER_PRIO);
	a->addr = ev->src;
	a->prio = ev->prio;
}

static void on_rx_advert(struct fsm_ctx *c, const struct vrrp_fsm_event *ev)
{
	switch (c->f->state) {
	case VRRP_ST_BACKUP:
		backup_rx(c, ev);
		break;
	case VRRP_ST_MASTER:
		master_rx(c, ev);
		break;
	default:	/* INIT, FAULT, STOP: not participating */
		break;
	}
}

/*
 * FAULT is not in the RFC. A Master in fault advertises priority 0 first (as
 * for shutdown), so the Backup takes over after Skew_Time rather than after
 * Master_Down_Interval; if the interface is down the send fails harmlessly.
 */
static void on_fault(struct fsm_ctx *c)
{
	struct vrrp_fsm *f = c->f;

	switch (f->state) {
	case VRRP_ST_MASTER:
		leave_master(c, true);
		fsm_forget_master(c);
		fsm_set_state(c, VRRP_ST_FAULT, VRRP_RSN_FAULT);
		break;
	case VRRP_ST_BACKUP:
		timer_cancel(c, VRRP_TMR_MASTER_DOWN);
		backup_reset(f);
		fsm_forget_master(c);
		fsm_set_state(c, VRRP_ST_FAULT, VRRP_RSN_FAULT);
		break;
	case VRRP_ST_INIT:
		fsm_set_state(c, VRRP_ST_FAULT, VRRP_RSN_FAULT);
		break;
	default:	/* FAULT already; STOP stays stopped */
		break;
	}
}

static void on_fault_clear(struct fsm_ctx *c)
{
	switch (c->f->state) {
	case VRRP_ST_FAULT:
		startup_rules(c, VRRP_RSN_FAULT_CLEAR);	/* as a fresh §6.4.1 start */
		break;
	default:
		break;
	}
}

/*
 * The RFC has no priority-change event: the new priority takes effect in the
 * next advert sent and the next comparison (§6.4.2, §6.4.3). A Backup's
 * Skew_Time and Master_Down_Interval follow at once; a running timer keeps
 * its deadline until the next advert resets it.
 */
static void on_priority_change(struct fsm_ctx *c, const struct vrrp_fsm_event *ev)
{
	struct vrrp_fsm *f = c->f;

	f->priority = ev->prio;
	if (ev->base_prio)
		f->cfg.base_priority = ev->base_prio;
	fsm_recompute(f);
	switch (f->state) {
	case VRRP_ST_MASTER:
		f->master_prio = f->priority;
		break;
	default:
		break;
	}
}

/*
 * Maintenance: a Backup that never takes over (no Master_Down_Timer), which
 * still tracks who the master is. A Master leaves with a priority-0 advert.
 */
static void on_maintenance_on(struct fsm_ctx *c)
{
	struct vrrp_fsm *f = c->f;

	if (f->maintenance)
		return;
	f->maintenance = true;
	switch (f->state) {
	case VRRP_ST_MASTER:
		leave_master(c, true);
		backup_reset(f);
		f->master_adver_int_cs = f->cfg.adver_int_cs;
		fsm_recompute(f);
		fsm_forget_master(c);
		fsm_set_state(c, VRRP_ST_BACKUP, VRRP_RSN_MAINTENANCE);
		break;
	case VRRP_ST_BACKUP:
		timer_cancel(c, VRRP_TMR_MASTER_DOWN);
		backup_reset(f);
		break;
	default:	/* takes effect at the next startup / fault clear */
		break;
	}
}

static void on_maintenance_off(struct fsm_ctx *c)
{
	struct vrrp_fsm *f = c->f;

	if (!f->maintenance)
		return;
	f->maintenance = false;
	switch (f->state) {
	case VRRP_ST_BACKUP:
		startup_rules(c, VRRP_RSN_MAINTENANCE);	/* as a fresh §6.4.1 start */
		break;
	default:
		break;
	}
}

static void on_preempt_change(struct fsm_ctx *c, const struct vrrp_fsm_event *ev)
{
	struct vrrp_fsm *f = c->f;

	f->cfg.preempt = ev->preempt;
	if (!ev->preempt) {
		/* the next lower advert resets the timer (§6.4.2) */
		f->preempt_at_us = 0;
		f->rx_lower = false;
	}
}

/* ---- public entry points -------------------------------------------------- */

static bool config_valid(const struct vrrp_fsm_config *cfg)
{
	if (cfg->base_priority == VRRP_PRIO_STOP)
		return false;
	if (cfg->preempt_delay_us > VRRP_PREEMPT_DELAY_MAX_US)
		return false;
	if (!family_valid(cfg->primary_addr.family, true))
		return false;
	switch (cfg->version) {
	case 2:
		return cfg->adver_int_cs >= 100 && cfg->adver_int_cs <= VRRP_V2_ADVER_INT_MAX_CS &&
		       cfg->adver_int_cs % 100 == 0;
	case 3:
		return cfg->adver_int_cs >= 1 && cfg->adver_int_cs <= VRRP_V3_ADVER_INT_MAX_CS;
	default:
		return false;
	}
}

int vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_config *cfg)
{
	if (!f || !cfg || !config_valid(cfg))
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	f->state = VRRP_ST_INIT;
	f->prev_state = VRRP_ST_INIT;
	f->reason = VRRP_RSN_NONE;
	f->new_master_reason = VRRP_NMR_NOT_MASTER;
	f->priority = cfg->base_priority;
	f->master_adver_int_cs = cfg->adver_int_cs;
	f->master_addr.family = AF_UNSPEC;
	fsm_recompute(f);
	return 0;
}

int vrrp_fsm_reconfigure(struct vrrp_fsm *f, const struct vrrp_fsm_config *cfg, uint8_t prio)
{
	if (!f || !cfg || !config_valid(cfg) || prio == VRRP_PRIO_STOP)
		return -EINVAL;
	f->cfg = *cfg;
	f->priority = prio;
	/* a v3 Backup keeps the interval it learned from the master */
	if (f->state != VRRP_ST_BACKUP || cfg->version != 3)
		f->master_adver_int_cs = cfg->adver_int_cs;
	if (!cfg->preempt || !cfg->preempt_delay_us)
		f->preempt_at_us = 0;
	if (!cfg->preempt)
		f->rx_lower = false;
	if (f->state == VRRP_ST_MASTER) {
		f->master_addr = cfg->primary_addr;
		f->master_prio = prio;
	}
	fsm_recompute(f);
	return 0;
}

int vrrp_fsm_set_primary_addr(struct vrrp_fsm *f, const struct vrrp_fsm_addr *addr)
{
	if (!f || !addr || !family_valid(addr->family, true))
		return -EINVAL;
	f->cfg.primary_addr = *addr;
	if (f->state == VRRP_ST_MASTER)
		f->master_addr = *addr;
	return 0;
}

static bool event_valid(const struct vrrp_fsm *f, const struct vrrp_fsm_event *ev)
{
	switch (ev->type) {
	case VRRP_EV_RX_ADVERT:
		if (!family_valid(ev->src.family, false))
			return false;
		/* the interval is used only from adverts with a priority (§6.4.2) */
		if (f->cfg.version == 3 && ev->prio != VRRP_PRIO_STOP &&
		    (ev->adver_int_cs < 1 || ev->adver_int_cs > VRRP_V3_ADVER_INT_MAX_CS))
			return false;
		return true;
	case VRRP_EV_PRIORITY_CHANGE:
		return ev->prio != VRRP_PRIO_STOP;
	default:
		return (unsigned)ev->type < VRRP_EV__COUNT;
	}
}

int vrrp_fsm_step(struct vrrp_fsm *f, const struct vrrp_fsm_event *ev, uint64_t now_us,
		  struct vrrp_actions *ret_acts)
{
	struct fsm_ctx c = { .f = f, .acts = ret_acts, .now_us = now_us };

	if (!f || !ev || !ret_acts || !event_valid(f, ev))
		return -EINVAL;
	ret_acts->n = 0;

	switch (ev->type) {
	case VRRP_EV_STARTUP:
		on_startup(&c);
		break;
	case VRRP_EV_SHUTDOWN:
		on_shutdown(&c);
		break;
	case VRRP_EV_ADVER_TIMER:
		on_adver_timer(&c);
		break;
	case VRRP_EV_MASTER_DOWN_TIMER:
		on_master_down_timer(&c);
		break;
	case VRRP_EV_RX_ADVERT:
		on_rx_advert(&c, ev);
		break;
	case VRRP_EV_FAULT:
		on_fault(&c);
		break;
	case VRRP_EV_FAULT_CLEAR:
		on_fault_clear(&c);
		break;
	case VRRP_EV_PRIORITY_CHANGE:
		on_priority_change(&c, ev);
		break;
	case VRRP_EV_MAINTENANCE_ON:
		on_maintenance_on(&c);
		break;
	case VRRP_EV_MAINTENANCE_OFF:
		on_maintenance_off(&c);
		break;
	case VRRP_EV_PREEMPT_CHANGE:
		on_preempt_change(&c, ev);
		break;
	case VRRP_EV__COUNT:
		break;
	}
	/* VRRP_ACTIONS_MAX is well above the longest branch (6): overflow is a bug */
	return c.overflow ? -ENOSPC : (int)ret_acts->n;
}
