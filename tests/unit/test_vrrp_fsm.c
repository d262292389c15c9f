// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the pure VRRP state machine (src/vrrp/vrrp_fsm.c).
 * Test names follow the rows of RFC 5798 §6.4.1-6.4.3 (test_<state>_<event>_...).
 * Times are plain microsecond numbers: the machine takes now_us as an argument.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "vrrp/vrrp_fsm.h"

#define S_US 1000000ULL
#define CS_US 10000ULL

static struct vrrp_actions acts;

/* ---- helpers ---------------------------------------------------------- */

static struct vrrp_fsm_addr a4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct vrrp_fsm_addr x = { .family = AF_INET, .bytes = { a, b, c, d } };

	return x;
}

/* 2001:db8::<hi>:<lo> with the given bytes at positions 8 and 15 */
static struct vrrp_fsm_addr a6(uint8_t b8, uint8_t b15)
{
	struct vrrp_fsm_addr x = { .family = AF_INET6,
				   .bytes = { 0x20, 0x01, 0x0d, 0xb8 } };

	x.bytes[8] = b8;
	x.bytes[15] = b15;
	return x;
}

static struct vrrp_fsm_config cfg_v3(uint8_t prio, uint16_t adver_int_cs)
{
	struct vrrp_fsm_config c = {
		.version = 3,
		.base_priority = prio,
		.adver_int_cs = adver_int_cs,
		.preempt = true,
		.primary_addr = a4(10, 0, 0, 1),
	};

	return c;
}

static struct vrrp_fsm_config cfg_v2(uint8_t prio, uint8_t adver_int_s)
{
	struct vrrp_fsm_config c = cfg_v3(prio, (uint16_t)(adver_int_s * 100));

	c.version = 2;
	return c;
}

static int step(struct vrrp_fsm *f, const struct vrrp_fsm_event *ev, uint64_t now_us)
{
	int r = vrrp_fsm_step(f, ev, now_us, &acts);

	assert_true(r >= 0);
	assert_int_equal((unsigned)r, acts.n);
	return r;
}

static int step_ev(struct vrrp_fsm *f, enum vrrp_event type, uint64_t now_us)
{
	struct vrrp_fsm_event ev = { .type = type };

	return step(f, &ev, now_us);
}

static int rx(struct vrrp_fsm *f, uint8_t prio, uint16_t adver_int_cs,
	      struct vrrp_fsm_addr src, uint64_t now_us)
{
	struct vrrp_fsm_event ev = {
		.type = VRRP_EV_RX_ADVERT,
		.prio = prio,
		.adver_int_cs = adver_int_cs,
		.src = src,
	};

	return step(f, &ev, now_us);
}

static int set_prio(struct vrrp_fsm *f, uint8_t prio, uint64_t now_us)
{
	struct vrrp_fsm_event ev = { .type = VRRP_EV_PRIORITY_CHANGE, .prio = prio };

	return step(f, &ev, now_us);
}

/* n-th (0-based) action of a type in the last step, or NULL */
static const struct vrrp_fsm_action *find(enum vrrp_action type, unsigned nth)
{
	for (unsigned i = 0; i < acts.n; i++)
		if (acts.v[i].type == type && nth-- == 0)
			return &acts.v[i];
	return NULL;
}

static unsigned count(enum vrrp_action type)
{
	unsigned n = 0;

	for (unsigned i = 0; i < acts.n; i++)
		n += acts.v[i].type == type;
	return n;
}

static const struct vrrp_fsm_action *find_timer(enum vrrp_action type, enum vrrp_timer t)
{
	for (unsigned i = 0; i < acts.n; i++)
		if (acts.v[i].type == type && acts.v[i].timer == t)
			return &acts.v[i];
	return NULL;
}

static void assert_notify(enum vrrp_state from, enum vrrp_state to, enum vrrp_reason why)
{
	const struct vrrp_fsm_action *n = &acts.v[acts.n - 1];

	assert_true(acts.n > 0);
	assert_int_equal(count(VRRP_ACT_NOTIFY), 1);
	assert_int_equal(n->type, VRRP_ACT_NOTIFY);	/* always the last action */
	assert_int_equal(n->old_state, from);
	assert_int_equal(n->new_state, to);
	assert_int_equal(n->reason, why);
}

static void assert_arm(enum vrrp_timer t, uint64_t at_us)
{
	const struct vrrp_fsm_action *a = find_timer(VRRP_ACT_ARM_TIMER, t);

	assert_non_null(a);
	assert_int_equal(a->at_us, at_us);
}

static void assert_advert(unsigned nth, uint8_t prio)
{
	const struct vrrp_fsm_action *a = find(VRRP_ACT_SEND_ADVERT, nth);

	assert_non_null(a);
	assert_int_equal(a->prio, prio);
}

/* Brings up a router as Backup at t0 (non-owner startup). */
static void up_backup(struct vrrp_fsm *f, const struct vrrp_fsm_config *c, uint64_t t0)
{
	assert_int_equal(vrrp_fsm_init(f, c), 0);
	step_ev(f, VRRP_EV_STARTUP, t0);
	assert_int_equal(f->state, VRRP_ST_BACKUP);
}

/* Brings up a router as Master: startup then Master_Down expiry. Returns the time. */
static uint64_t up_master(struct vrrp_fsm *f, const struct vrrp_fsm_config *c)
{
	up_backup(f, c, 0);
	step_ev(f, VRRP_EV_MASTER_DOWN_TIMER, f->master_down_at_us);
	assert_int_equal(f->state, VRRP_ST_MASTER);
	return f->last_transition_us;
}

/* ---- §6.4.1 Initialize ---------------------------------------------------- */

static void test_init_startup_owner_becomes_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(VRRP_PRIO_OWNER, 100);
	const struct vrrp_fsm_action *a;

	(void)state;
	c.init_master = true;
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	assert_int_equal(f.state, VRRP_ST_INIT);
	step_ev(&f, VRRP_EV_STARTUP, 1000);

	assert_int_equal(f.state, VRRP_ST_MASTER);
	a = find(VRRP_ACT_VIP_ADD, 0);
	assert_non_null(a);
	assert_true(a->accept);	/* the owner always accepts (§6.4.3) */
	assert_advert(0, 255);
	a = find(VRRP_ACT_SEND_GARP, 0);
	assert_non_null(a);
	assert_int_equal(a->garp, VRRP_GARP_MASTER);
	assert_arm(VRRP_TMR_ADVER, 1000 + 100 * CS_US);
	assert_int_equal(f.adver_at_us, 1000 + 100 * CS_US);
	assert_int_equal(f.master_down_at_us, 0);
	a = find(VRRP_ACT_MASTER_CHANGED, 0);
	assert_non_null(a);
	assert_int_equal(vrrp_fsm_addr_cmp(&a->addr, &c.primary_addr), 0);
	assert_notify(VRRP_ST_INIT, VRRP_ST_MASTER, VRRP_RSN_STARTUP);
	/* order: addresses, advert, GARP (§6.4.1) */
	assert_int_equal(acts.v[0].type, VRRP_ACT_VIP_ADD);
	assert_int_equal(acts.v[1].type, VRRP_ACT_SEND_ADVERT);
	assert_int_equal(acts.v[2].type, VRRP_ACT_SEND_GARP);
	assert_int_equal(f.new_master_reason, VRRP_NMR_PRIORITY);
	assert_int_equal(f.master_transitions, 1);
	assert_int_equal(f.transitions, 1);
	assert_int_equal(f.last_transition_us, 1000);
}

static void test_init_startup_owner_with_state_backup_becomes_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v2(VRRP_PRIO_OWNER, 1);

	(void)state;
	c.init_master = false;	/* RFC 5798 §6.4.1 does not look at a state wish */
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	step_ev(&f, VRRP_EV_STARTUP, 0);
	assert_int_equal(f.state, VRRP_ST_MASTER);
}

static void test_init_startup_non_owner_becomes_backup(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	step_ev(&f, VRRP_EV_STARTUP, 5 * S_US);

	assert_int_equal(f.state, VRRP_ST_BACKUP);
	assert_int_equal(f.master_adver_int_cs, 100);	/* = Advertisement_Interval */
	/* Master_Down_Interval = 3 * 1 s + (156 * 1 s) / 256 */
	assert_int_equal(f.master_down_interval_us, 3609375);
	assert_arm(VRRP_TMR_MASTER_DOWN, 5 * S_US + 3609375);
	assert_int_equal(f.master_down_at_us, 5 * S_US + 3609375);
	assert_int_equal(count(VRRP_ACT_SEND_ADVERT), 0);
	assert_int_equal(count(VRRP_ACT_VIP_ADD), 0);
	assert_notify(VRRP_ST_INIT, VRRP_ST_BACKUP, VRRP_RSN_STARTUP);
	assert_int_equal(f.new_master_reason, VRRP_NMR_NOT_MASTER);
}

static void test_init_startup_state_master_non_owner_still_waits(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(254, 100);

	(void)state;
	c.init_master = true;	/* keepalived 2.2.7 waits too (measured) */
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	step_ev(&f, VRRP_EV_STARTUP, 0);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	assert_int_equal(f.master_down_at_us, 3007812);
}

static void test_init_ignores_adverts_and_timers(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	assert_int_equal(rx(&f, 200, 100, a4(10, 0, 0, 2), 1), 0);
	assert_int_equal(step_ev(&f, VRRP_EV_ADVER_TIMER, 2), 0);
	assert_int_equal(step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, 3), 0);
	assert_int_equal(step_ev(&f, VRRP_EV_FAULT_CLEAR, 4), 0);
	assert_int_equal(f.state, VRRP_ST_INIT);
	assert_int_equal(f.transitions, 0);
}

/* ---- §6.4.2 Backup -------------------------------------------------------- */

static void test_backup_shutdown_cancels_master_down_timer(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	up_backup(&f, &c, 0);
	step_ev(&f, VRRP_EV_SHUTDOWN, 10);
	assert_int_equal(f.state, VRRP_ST_STOP);
	assert_non_null(find_timer(VRRP_ACT_CANCEL_TIMER, VRRP_TMR_MASTER_DOWN));
	assert_int_equal(f.master_down_at_us, 0);
	assert_int_equal(count(VRRP_ACT_SEND_ADVERT), 0);
	assert_int_equal(count(VRRP_ACT_VIP_DEL), 0);
	assert_notify(VRRP_ST_BACKUP, VRRP_ST_STOP, VRRP_RSN_SHUTDOWN);
	/* a stopped router ignores everything but a new startup */
	assert_int_equal(rx(&f, 200, 100, a4(10, 0, 0, 2), 20), 0);
	assert_int_equal(step_ev(&f, VRRP_EV_SHUTDOWN, 30), 0);
}

static void test_backup_master_down_timer_fires_becomes_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	uint64_t t;

	(void)state;
	up_backup(&f, &c, 0);
	t = f.master_down_at_us;
	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, t);

	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_int_equal(acts.v[0].type, VRRP_ACT_VIP_ADD);
	assert_false(acts.v[0].accept);	/* no Accept_Mode, not the owner */
	assert_advert(0, 100);
	assert_int_equal(count(VRRP_ACT_SEND_GARP), 1);
	assert_arm(VRRP_TMR_ADVER, t + S_US);
	/* the timer fired: nothing to cancel */
	assert_null(find_timer(VRRP_ACT_CANCEL_TIMER, VRRP_TMR_MASTER_DOWN));
	assert_int_equal(f.master_down_at_us, 0);
	assert_notify(VRRP_ST_BACKUP, VRRP_ST_MASTER, VRRP_RSN_MASTER_DOWN);
	assert_int_equal(f.new_master_reason, VRRP_NMR_MASTER_NO_RESPONSE);
	assert_false(vrrp_fsm_accepts_vip_traffic(&f));
}

static void test_backup_rx_prio0_sets_skew_time(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	const uint64_t t = 2 * S_US;

	(void)state;
	up_backup(&f, &c, 0);
	rx(&f, 150, 100, a4(10, 0, 0, 9), S_US);
	rx(&f, 0, 100, a4(10, 0, 0, 9), t);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	/* Skew_Time = (156 * 100 cs) / 256 */
	assert_arm(VRRP_TMR_MASTER_DOWN, t + 609375);
	assert_int_equal(f.master_down_at_us, t + 609375);
	assert_null(find(VRRP_ACT_MASTER_CHANGED, 0));	/* priority 0 names no master */

	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, t + 609375);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_notify(VRRP_ST_BACKUP, VRRP_ST_MASTER, VRRP_RSN_PRIO0_RX);
	assert_int_equal(f.new_master_reason, VRRP_NMR_MASTER_NO_RESPONSE);
}

static void test_backup_rx_higher_prio_resets_master_down_timer(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	const struct vrrp_fsm_action *a;

	(void)state;
	up_backup(&f, &c, 0);
	rx(&f, 200, 50, a4(10, 0, 0, 2), 2 * S_US);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	/* v3 learns Master_Adver_Interval = 50 cs: 3 * 0.5 s + 156 * 0.5 s / 256 */
	assert_int_equal(f.master_adver_int_cs, 50);
	assert_int_equal(f.skew_time_us, 304687);
	assert_arm(VRRP_TMR_MASTER_DOWN, 2 * S_US + 1500000 + 304687);
	a = find(VRRP_ACT_MASTER_CHANGED, 0);
	assert_non_null(a);
	assert_int_equal(a->prio, 200);
	assert_int_equal(f.master_prio, 200);
	/* the same master again: timer reset, no new MASTER_CHANGED */
	rx(&f, 200, 50, a4(10, 0, 0, 2), 3 * S_US);
	assert_null(find(VRRP_ACT_MASTER_CHANGED, 0));
	assert_int_equal(f.master_down_at_us, 3 * S_US + 1804687);
	assert_int_equal(f.transitions, 1);
}

static void test_backup_rx_equal_prio_resets_master_down_timer(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	up_backup(&f, &c, 0);
	/* §6.4.2 compares priorities only, no address tie-break: a lower address too */
	rx(&f, 100, 100, a4(10, 0, 0, 0), S_US);
	assert_int_equal(f.master_down_at_us, S_US + 3609375);
	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, 2 * S_US);	/* early: re-armed */
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	assert_arm(VRRP_TMR_MASTER_DOWN, S_US + 3609375);
}

static void test_backup_rx_lower_prio_nopreempt_resets_master_down_timer(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(200, 100);

	(void)state;
	c.preempt = false;
	up_backup(&f, &c, 0);
	rx(&f, 100, 100, a4(10, 0, 0, 2), S_US);
	assert_arm(VRRP_TMR_MASTER_DOWN, S_US + 3218750);
	assert_false(f.rx_lower);
}

static void test_backup_rx_lower_prio_preempt_discards(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(200, 100);
	uint64_t md;

	(void)state;
	up_backup(&f, &c, 0);
	md = f.master_down_at_us;
	rx(&f, 100, 50, a4(10, 0, 0, 2), S_US);
	/* discarded: no timer action, interval not learned; the master is noted */
	assert_null(find(VRRP_ACT_ARM_TIMER, 0));
	assert_non_null(find(VRRP_ACT_MASTER_CHANGED, 0));
	assert_int_equal(f.master_down_at_us, md);
	assert_int_equal(f.master_adver_int_cs, 100);
	assert_true(f.rx_lower);
	rx(&f, 100, 50, a4(10, 0, 0, 2), 2 * S_US);
	assert_int_equal(acts.n, 0);

	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, md);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_notify(VRRP_ST_BACKUP, VRRP_ST_MASTER, VRRP_RSN_PREEMPT);
	assert_int_equal(f.new_master_reason, VRRP_NMR_PREEMPTED);
}

static void test_backup_v2_keeps_own_advertisement_interval(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v2(100, 1);

	(void)state;
	up_backup(&f, &c, 0);
	assert_int_equal(f.master_down_at_us, 3609375);
	/* RFC 3768 has no Master_Adver_Interval: the packet's interval is ignored */
	rx(&f, 200, 0, a4(10, 0, 0, 2), S_US);
	assert_int_equal(f.master_adver_int_cs, 100);
	assert_int_equal(f.master_down_at_us, S_US + 3609375);
}

/* ---- §6.4.3 Master -------------------------------------------------------- */

static void test_master_shutdown_sends_prio0_and_stops(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	up_master(&f, &c);
	step_ev(&f, VRRP_EV_SHUTDOWN, 10 * S_US);
	assert_int_equal(f.state, VRRP_ST_STOP);
	/* §6.4.3: cancel the Adver_Timer, send priority 0, then drop the VIPs */
	assert_int_equal(acts.v[0].type, VRRP_ACT_CANCEL_TIMER);
	assert_int_equal(acts.v[0].timer, VRRP_TMR_ADVER);
	assert_int_equal(acts.v[1].type, VRRP_ACT_SEND_ADVERT);
	assert_int_equal(acts.v[1].prio, 0);
	assert_int_equal(acts.v[2].type, VRRP_ACT_VIP_DEL);
	assert_int_equal(f.adver_at_us, 0);
	assert_int_equal(f.master_addr.family, AF_UNSPEC);
	assert_notify(VRRP_ST_MASTER, VRRP_ST_STOP, VRRP_RSN_SHUTDOWN);
}

static void test_master_adver_timer_sends_advert_and_rearms(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	uint64_t t;

	(void)state;
	up_master(&f, &c);
	t = f.adver_at_us;
	step_ev(&f, VRRP_EV_ADVER_TIMER, t);
	assert_int_equal(acts.n, 2);
	assert_advert(0, 100);
	assert_arm(VRRP_TMR_ADVER, t + S_US);
	/* fired 300 ms late: the next deadline keeps the cadence */
	step_ev(&f, VRRP_EV_ADVER_TIMER, t + S_US + 300000);
	assert_arm(VRRP_TMR_ADVER, t + 2 * S_US);
	/* stalled for 5 s: restart from now, one advert, no burst */
	step_ev(&f, VRRP_EV_ADVER_TIMER, t + 7 * S_US);
	assert_int_equal(count(VRRP_ACT_SEND_ADVERT), 1);
	assert_arm(VRRP_TMR_ADVER, t + 8 * S_US);
	/* early (deadline moved): re-armed, nothing sent */
	step_ev(&f, VRRP_EV_ADVER_TIMER, t + 7 * S_US + 10);
	assert_int_equal(count(VRRP_ACT_SEND_ADVERT), 0);
	assert_arm(VRRP_TMR_ADVER, t + 8 * S_US);
}

static void test_master_rx_prio0_sends_advert_and_resets_adver_timer(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	uint64_t t;

	(void)state;
	t = up_master(&f, &c) + 400000;
	rx(&f, 0, 100, a4(10, 0, 0, 2), t);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_int_equal(acts.n, 2);
	assert_advert(0, 100);
	assert_arm(VRRP_TMR_ADVER, t + S_US);
}

static void test_master_rx_higher_prio_becomes_backup(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	uint64_t t;

	(void)state;
	t = up_master(&f, &c) + S_US;
	rx(&f, 101, 200, a4(10, 0, 0, 0), t);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	assert_int_equal(count(VRRP_ACT_SEND_ADVERT), 0);
	assert_non_null(find_timer(VRRP_ACT_CANCEL_TIMER, VRRP_TMR_ADVER));
	assert_int_equal(count(VRRP_ACT_VIP_DEL), 1);
	/* Master_Adver_Interval from the advert (2 s): 6 s + 156 * 2 s / 256 */
	assert_int_equal(f.master_adver_int_cs, 200);
	assert_arm(VRRP_TMR_MASTER_DOWN, t + 6 * S_US + 1218750);
	assert_non_null(find(VRRP_ACT_MASTER_CHANGED, 0));
	assert_notify(VRRP_ST_MASTER, VRRP_ST_BACKUP, VRRP_RSN_HIGHER_PRIO_RX);
	assert_int_equal(f.adver_at_us, 0);
	/* RFC 6527: the reason of the last time it became master stays */
	assert_int_equal(f.new_master_reason, VRRP_NMR_MASTER_NO_RESPONSE);
}

static void test_master_rx_higher_prio_send_advert_option(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	c.higher_prio_send_advert = true;
	up_master(&f, &c);
	rx(&f, 150, 100, a4(10, 0, 0, 2), 5 * S_US);
	assert_int_equal(acts.v[0].type, VRRP_ACT_SEND_ADVERT);	/* before yielding */
	assert_int_equal(acts.v[0].prio, 100);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
}

static void test_master_rx_equal_prio_higher_addr_becomes_backup_v4(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	c.primary_addr = a4(10, 0, 0, 200);
	up_master(&f, &c);
	/* 11.0.0.1 > 10.0.0.200 as a big-endian number (not as a little-endian one) */
	rx(&f, 100, 100, a4(11, 0, 0, 1), 5 * S_US);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	assert_notify(VRRP_ST_MASTER, VRRP_ST_BACKUP, VRRP_RSN_HIGHER_PRIO_RX);
}

static void test_master_rx_equal_prio_lower_addr_discards_v4(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	c.primary_addr = a4(10, 0, 1, 0);
	up_master(&f, &c);
	rx(&f, 100, 100, a4(10, 0, 0, 255), 5 * S_US);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_null(find(VRRP_ACT_NOTIFY, 0));
	/* our own advert looped back: ignored, no answer, no notify */
	assert_int_equal(rx(&f, 100, 100, c.primary_addr, 6 * S_US), 0);
	assert_int_equal(f.state, VRRP_ST_MASTER);
}

static void test_master_rx_equal_prio_addr_tiebreak_v6(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	c.primary_addr = a6(0x00, 0xff);	/* 2001:db8::ff */
	up_master(&f, &c);
	rx(&f, 100, 100, a6(0x00, 0x01), 5 * S_US);	/* 2001:db8::1: lower */
	assert_int_equal(f.state, VRRP_ST_MASTER);
	rx(&f, 100, 100, a6(0x01, 0x00), 6 * S_US);	/* 2001:db8::100:0:0:0: higher */
	assert_int_equal(f.state, VRRP_ST_BACKUP);
}

static void test_master_rx_lower_prio_discards_and_answers(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	const struct vrrp_fsm_action *a;
	uint64_t adver_at;

	(void)state;
	up_master(&f, &c);
	adver_at = f.adver_at_us;
	rx(&f, 50, 100, a4(10, 0, 0, 7), adver_at - 1000);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_advert(0, 100);	/* keepalived's default answer */
	a = find(VRRP_ACT_SEND_GARP, 0);
	assert_non_null(a);
	assert_int_equal(a->garp, VRRP_GARP_LOWER_PRIO);
	a = find(VRRP_ACT_RX_LOWER_PRIO, 0);
	assert_non_null(a);
	assert_int_equal(a->prio, 50);
	assert_int_equal(a->addr.bytes[3], 7);
	assert_null(find(VRRP_ACT_ARM_TIMER, 0));	/* cadence untouched */
	assert_int_equal(f.adver_at_us, adver_at);
}

static void test_master_rx_lower_prio_no_advert_option(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	c.lower_prio_no_advert = true;	/* strict RFC 5798 §6.4.3: discard */
	up_master(&f, &c);
	rx(&f, 50, 100, a4(10, 0, 0, 7), 5 * S_US);
	assert_int_equal(count(VRRP_ACT_SEND_ADVERT), 0);
	assert_int_equal(f.state, VRRP_ST_MASTER);
}

/* ---- timer arithmetic (RFC 5798 §6.1, RFC 3768 §6.1) ---------------------- */

static void test_timers_v3_table(void **state)
{
	static const struct {
		uint8_t prio;
		uint16_t cs;
		uint64_t skew_us, mdi_us;
	} t[] = {
		{ 100, 5, 30468, 180468 },	/* (156 * 5) / 256 cs = 3.046875 cs */
		{ 101, 5, 30273, 180273 },
		{ 100, 100, 609375, 3609375 },
		{ 254, 100, 7812, 3007812 },
		{ 255, 100, 3906, 3003906 },
		{ 1, 4095, 40790039, 163640039 },
		{ 200, 50, 109375, 1609375 },
		{ 128, 1, 5000, 35000 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(vrrp_fsm_skew_time_us(3, t[i].prio, t[i].cs), t[i].skew_us);
		assert_int_equal(vrrp_fsm_master_down_interval_us(3, t[i].prio, t[i].cs),
				 t[i].mdi_us);
	}
}

static void test_timers_v2_table(void **state)
{
	static const struct {
		uint8_t prio;
		uint16_t cs;
		uint64_t skew_us, mdi_us;
	} t[] = {
		{ 100, 100, 609375, 3609375 },
		{ 100, 300, 609375, 9609375 },	/* v2 skew does not scale */
		{ 254, 100, 7812, 3007812 },
		{ 200, 100, 218750, 3218750 },
		{ 1, 100, 996093, 3996093 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(vrrp_fsm_skew_time_us(2, t[i].prio, t[i].cs), t[i].skew_us);
		assert_int_equal(vrrp_fsm_master_down_interval_us(2, t[i].prio, t[i].cs),
				 t[i].mdi_us);
	}
}

static void test_timers_v2_backup_uses_v2_skew(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v2(100, 3);

	(void)state;
	up_backup(&f, &c, 0);
	assert_int_equal(f.skew_time_us, 609375);
	assert_int_equal(f.master_down_at_us, 9609375);
	rx(&f, 0, 3, a4(10, 0, 0, 2), S_US);
	assert_int_equal(f.master_down_at_us, S_US + 609375);
}

static void test_timers_higher_priority_fires_first(void **state)
{
	(void)state;
	for (unsigned p = 1; p < 254; p++) {
		assert_true(vrrp_fsm_master_down_interval_us(3, (uint8_t)(p + 1), 5) <
			    vrrp_fsm_master_down_interval_us(3, (uint8_t)p, 5));
		assert_true(vrrp_fsm_master_down_interval_us(2, (uint8_t)(p + 1), 100) <
			    vrrp_fsm_master_down_interval_us(2, (uint8_t)p, 100));
	}
}

static void test_addr_cmp_big_endian_both_families(void **state)
{
	struct vrrp_fsm_addr x = a4(192, 168, 1, 1), y = a4(10, 255, 255, 255);
	struct vrrp_fsm_addr u = { .family = AF_UNSPEC };

	(void)state;
	assert_true(vrrp_fsm_addr_cmp(&x, &y) > 0);
	assert_true(vrrp_fsm_addr_cmp(&y, &x) < 0);
	assert_int_equal(vrrp_fsm_addr_cmp(&x, &x), 0);
	x = a4(0, 0, 1, 0);
	y = a4(0, 0, 0, 255);
	assert_true(vrrp_fsm_addr_cmp(&x, &y) > 0);
	x = a6(0x80, 0x00);
	y = a6(0x7f, 0xff);
	assert_true(vrrp_fsm_addr_cmp(&x, &y) > 0);
	/* an unknown address loses against any real one */
	assert_true(vrrp_fsm_addr_cmp(&u, &y) < 0);
}

/* ---- preempt, nopreempt, preempt_delay, owner --------------------------- */

static void test_nopreempt_higher_backup_stays_backup(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(200, 100);
	uint64_t t;

	(void)state;
	c.preempt = false;
	up_backup(&f, &c, 0);
	for (t = S_US; t < 60 * S_US; t += S_US) {
		rx(&f, 100, 100, a4(10, 0, 0, 2), t);
		assert_true(f.master_down_at_us > t + 3 * S_US);
		/* the runtime would never fire the timer; an early event re-arms */
		step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, t + 1);
		assert_int_equal(f.state, VRRP_ST_BACKUP);
	}
	assert_int_equal(f.transitions, 1);
}

static void test_owner_preempts_even_with_nopreempt(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(VRRP_PRIO_OWNER, 100);
	uint64_t md;

	(void)state;
	c.preempt = false;
	c.preempt_delay_us = 30 * S_US;	/* ignored by the owner too */
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	step_ev(&f, VRRP_EV_STARTUP, 0);
	/* a second "owner" with a higher address forces us to Backup */
	rx(&f, 255, 100, a4(10, 0, 0, 9), S_US);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	md = f.master_down_at_us;
	/* it drops its priority: the owner discards and takes over */
	rx(&f, 100, 100, a4(10, 0, 0, 9), 2 * S_US);
	assert_int_equal(f.master_down_at_us, md);
	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, md);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_int_equal(f.reason, VRRP_RSN_PREEMPT);
}

/* keepalived 2.2.7, measured: the delay opens at the first lower advert. */
static void test_preempt_delay_defers_takeover(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(200, 100);
	const uint64_t mdi = 3218750;	/* priority 200, 1 s */
	uint64_t t;

	(void)state;
	c.preempt_delay_us = 5 * S_US;
	up_backup(&f, &c, 0);
	/* the lower master advertises every second from t = 1 s */
	for (t = S_US; t < 6 * S_US; t += S_US) {
		rx(&f, 100, 100, a4(10, 0, 0, 2), t);
		assert_arm(VRRP_TMR_MASTER_DOWN, t + mdi);	/* accepted in the window */
	}
	assert_int_equal(f.preempt_at_us, 6 * S_US);
	for (; t < f.master_down_at_us; t += S_US) {
		rx(&f, 100, 100, a4(10, 0, 0, 2), t);
		assert_null(find(VRRP_ACT_ARM_TIMER, 0));	/* discarded */
	}
	assert_int_equal(f.master_down_at_us, 5 * S_US + mdi);
	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, 5 * S_US + mdi);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_int_equal(f.reason, VRRP_RSN_PREEMPT);
	assert_int_equal(f.preempt_at_us, 0);
}

static void test_preempt_delay_not_applied_without_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(200, 100);

	(void)state;
	c.preempt_delay_us = 5 * S_US;
	up_backup(&f, &c, 0);
	assert_int_equal(f.master_down_at_us, 3218750);
	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, 3218750);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_int_equal(f.reason, VRRP_RSN_MASTER_DOWN);
}

static void test_preempt_delay_window_closed_by_higher_advert(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(200, 100);

	(void)state;
	c.preempt_delay_us = 5 * S_US;
	up_backup(&f, &c, 0);
	rx(&f, 100, 100, a4(10, 0, 0, 2), S_US);
	assert_int_equal(f.preempt_at_us, 6 * S_US);
	rx(&f, 250, 100, a4(10, 0, 0, 3), 2 * S_US);
	assert_int_equal(f.preempt_at_us, 0);
	/* a lower master later starts a full new delay */
	rx(&f, 100, 100, a4(10, 0, 0, 2), 20 * S_US);
	assert_int_equal(f.preempt_at_us, 25 * S_US);
	assert_arm(VRRP_TMR_MASTER_DOWN, 20 * S_US + 3218750);
}

static void test_preempt_change_event(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(200, 100);
	struct vrrp_fsm_event ev = { .type = VRRP_EV_PREEMPT_CHANGE, .preempt = false };

	(void)state;
	up_backup(&f, &c, 0);
	rx(&f, 100, 100, a4(10, 0, 0, 2), S_US);
	assert_true(f.rx_lower);
	assert_int_equal(step(&f, &ev, 2 * S_US), 0);
	assert_false(f.cfg.preempt);
	assert_false(f.rx_lower);
	rx(&f, 100, 100, a4(10, 0, 0, 2), 3 * S_US);
	assert_arm(VRRP_TMR_MASTER_DOWN, 3 * S_US + 3218750);	/* now accepted */
	ev.preempt = true;
	step(&f, &ev, 4 * S_US);
	rx(&f, 100, 100, a4(10, 0, 0, 2), 5 * S_US);
	assert_null(find(VRRP_ACT_ARM_TIMER, 0));	/* discarded again */
}

/* ---- FAULT ---------------------------------------------------------------- */

static void test_master_fault_sends_prio0_and_drops_vips(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	up_master(&f, &c);
	step_ev(&f, VRRP_EV_FAULT, 10 * S_US);
	assert_int_equal(f.state, VRRP_ST_FAULT);
	assert_advert(0, 0);
	assert_int_equal(count(VRRP_ACT_VIP_DEL), 1);
	assert_non_null(find_timer(VRRP_ACT_CANCEL_TIMER, VRRP_TMR_ADVER));
	assert_notify(VRRP_ST_MASTER, VRRP_ST_FAULT, VRRP_RSN_FAULT);
	/* FAULT ignores adverts, timers and a second fault */
	assert_int_equal(rx(&f, 200, 100, a4(10, 0, 0, 2), 11 * S_US), 0);
	assert_int_equal(step_ev(&f, VRRP_EV_ADVER_TIMER, 12 * S_US), 0);
	assert_int_equal(step_ev(&f, VRRP_EV_FAULT, 13 * S_US), 0);
	assert_int_equal(step_ev(&f, VRRP_EV_STARTUP, 13 * S_US), 0);
}

static void test_backup_fault_and_clear_restarts_as_backup(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	up_backup(&f, &c, 0);
	rx(&f, 200, 50, a4(10, 0, 0, 2), S_US);
	step_ev(&f, VRRP_EV_FAULT, 2 * S_US);
	assert_int_equal(f.state, VRRP_ST_FAULT);
	assert_non_null(find_timer(VRRP_ACT_CANCEL_TIMER, VRRP_TMR_MASTER_DOWN));
	assert_int_equal(count(VRRP_ACT_SEND_ADVERT), 0);
	step_ev(&f, VRRP_EV_FAULT_CLEAR, 10 * S_US);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	/* a fresh §6.4.1 start: the learned interval is forgotten */
	assert_int_equal(f.master_adver_int_cs, 100);
	assert_arm(VRRP_TMR_MASTER_DOWN, 10 * S_US + 3609375);
	assert_notify(VRRP_ST_FAULT, VRRP_ST_BACKUP, VRRP_RSN_FAULT_CLEAR);
}

static void test_owner_fault_clear_becomes_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(VRRP_PRIO_OWNER, 100);

	(void)state;
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	step_ev(&f, VRRP_EV_FAULT, 0);	/* interface down before startup */
	assert_int_equal(f.state, VRRP_ST_FAULT);
	assert_notify(VRRP_ST_INIT, VRRP_ST_FAULT, VRRP_RSN_FAULT);
	step_ev(&f, VRRP_EV_FAULT_CLEAR, S_US);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_notify(VRRP_ST_FAULT, VRRP_ST_MASTER, VRRP_RSN_FAULT_CLEAR);
	assert_int_equal(f.new_master_reason, VRRP_NMR_PRIORITY);
	step_ev(&f, VRRP_EV_FAULT, 2 * S_US);
	step_ev(&f, VRRP_EV_SHUTDOWN, 3 * S_US);
	assert_int_equal(f.state, VRRP_ST_STOP);
	assert_int_equal(count(VRRP_ACT_SEND_ADVERT), 0);	/* already out */
}

/* ---- maintenance ---------------------------------------------------------- */

static void test_master_maintenance_on_leaves_with_prio0(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(VRRP_PRIO_OWNER, 100);

	(void)state;
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	step_ev(&f, VRRP_EV_STARTUP, 0);
	step_ev(&f, VRRP_EV_MAINTENANCE_ON, S_US);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	assert_true(f.maintenance);
	assert_advert(0, 0);
	assert_int_equal(count(VRRP_ACT_VIP_DEL), 1);
	assert_null(find(VRRP_ACT_ARM_TIMER, 0));
	assert_int_equal(f.master_down_at_us, 0);
	assert_notify(VRRP_ST_MASTER, VRRP_ST_BACKUP, VRRP_RSN_MAINTENANCE);

	/* never takes over: lower adverts, priority 0 and silence change nothing */
	rx(&f, 10, 100, a4(10, 0, 0, 2), 2 * S_US);
	assert_int_equal(f.master_prio, 10);	/* but the master is known */
	assert_null(find(VRRP_ACT_ARM_TIMER, 0));
	rx(&f, 0, 100, a4(10, 0, 0, 2), 3 * S_US);
	assert_int_equal(acts.n, 0);
	assert_int_equal(step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, 9 * S_US), 0);
	assert_int_equal(step_ev(&f, VRRP_EV_MAINTENANCE_ON, 9 * S_US), 0);
	assert_int_equal(f.state, VRRP_ST_BACKUP);

	/* leaving maintenance: the owner goes straight back (§6.4.1 rules) */
	step_ev(&f, VRRP_EV_MAINTENANCE_OFF, 10 * S_US);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_notify(VRRP_ST_BACKUP, VRRP_ST_MASTER, VRRP_RSN_MAINTENANCE);
}

static void test_backup_maintenance_off_rearms_master_down(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	up_backup(&f, &c, 0);
	step_ev(&f, VRRP_EV_MAINTENANCE_ON, S_US);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	assert_non_null(find_timer(VRRP_ACT_CANCEL_TIMER, VRRP_TMR_MASTER_DOWN));
	assert_null(find(VRRP_ACT_NOTIFY, 0));	/* no state change */
	step_ev(&f, VRRP_EV_MAINTENANCE_OFF, 5 * S_US);
	assert_arm(VRRP_TMR_MASTER_DOWN, 5 * S_US + 3609375);
	assert_null(find(VRRP_ACT_NOTIFY, 0));
	assert_int_equal(step_ev(&f, VRRP_EV_MAINTENANCE_OFF, 6 * S_US), 0);
}

static void test_maintenance_before_startup_stays_out(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(VRRP_PRIO_OWNER, 100);

	(void)state;
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	step_ev(&f, VRRP_EV_MAINTENANCE_ON, 0);
	assert_int_equal(acts.n, 0);
	step_ev(&f, VRRP_EV_STARTUP, 1);
	assert_int_equal(f.state, VRRP_ST_BACKUP);	/* even the owner */
	assert_int_equal(f.master_down_at_us, 0);
	assert_null(find(VRRP_ACT_ARM_TIMER, 0));
}

/* ---- priority change ------------------------------------------------------ */

static void test_backup_priority_rise_preempts_at_master_down(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	up_backup(&f, &c, 0);
	rx(&f, 150, 100, a4(10, 0, 0, 2), S_US);
	assert_int_equal(set_prio(&f, 200, 15 * S_US / 10), 0);
	assert_int_equal(f.priority, 200);
	assert_int_equal(f.skew_time_us, 218750);
	assert_int_equal(f.master_down_interval_us, 3218750);
	/* the running timer keeps its deadline; the next advert is now lower */
	assert_int_equal(f.master_down_at_us, S_US + 3609375);
	rx(&f, 150, 100, a4(10, 0, 0, 2), 2 * S_US);
	assert_int_equal(f.master_down_at_us, S_US + 3609375);
	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, S_US + 3609375);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_int_equal(f.reason, VRRP_RSN_PREEMPT);
}

static void test_master_priority_drop_advertises_and_loses(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(200, 100);
	struct vrrp_fsm_event ev = {
		.type = VRRP_EV_PRIORITY_CHANGE, .prio = 50, .base_prio = 150,
	};

	(void)state;
	up_master(&f, &c);
	assert_int_equal(step(&f, &ev, 5 * S_US), 0);
	assert_int_equal(f.cfg.base_priority, 150);
	assert_int_equal(f.master_prio, 50);
	step_ev(&f, VRRP_EV_ADVER_TIMER, f.adver_at_us);
	assert_advert(0, 50);
	rx(&f, 100, 100, a4(10, 0, 0, 2), 7 * S_US);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
}

static void test_priority_change_rejects_zero(void **state)
{
	struct vrrp_fsm f, before;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	struct vrrp_fsm_event ev = { .type = VRRP_EV_PRIORITY_CHANGE, .prio = 0 };

	(void)state;
	up_backup(&f, &c, 0);
	memcpy(&before, &f, sizeof(f));
	acts.n = 77;
	assert_int_equal(vrrp_fsm_step(&f, &ev, S_US, &acts), -EINVAL);
	assert_int_equal(acts.n, 77);	/* ret_acts untouched on failure */
	assert_memory_equal(&f, &before, sizeof(f));
}

/* ---- validation, accept mode, names, restart, reconfigure ------------------ */

static void test_invalid_events_rejected(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	struct vrrp_fsm_event ev = {
		.type = VRRP_EV_RX_ADVERT, .prio = 100, .adver_int_cs = 0,
		.src = a4(10, 0, 0, 2),
	};

	(void)state;
	up_backup(&f, &c, 0);
	assert_int_equal(vrrp_fsm_step(&f, &ev, 1, &acts), -EINVAL);
	ev.adver_int_cs = 4096;
	assert_int_equal(vrrp_fsm_step(&f, &ev, 1, &acts), -EINVAL);
	ev.adver_int_cs = 100;
	ev.src.family = AF_UNSPEC;
	assert_int_equal(vrrp_fsm_step(&f, &ev, 1, &acts), -EINVAL);
	ev.src.family = AF_INET;
	ev.type = VRRP_EV__COUNT;
	assert_int_equal(vrrp_fsm_step(&f, &ev, 1, &acts), -EINVAL);
	ev.type = VRRP_EV_RX_ADVERT;
	assert_int_equal(vrrp_fsm_step(NULL, &ev, 1, &acts), -EINVAL);
	assert_int_equal(vrrp_fsm_step(&f, NULL, 1, &acts), -EINVAL);
	assert_int_equal(vrrp_fsm_step(&f, &ev, 1, NULL), -EINVAL);
	/* priority 0 carries no usable interval: accepted with 0 */
	ev.prio = 0;
	ev.adver_int_cs = 0;
	assert_int_equal(vrrp_fsm_step(&f, &ev, 1, &acts), 1);
}

static void test_init_rejects_bad_config(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c;

	(void)state;
	c = cfg_v3(0, 100);
	assert_int_equal(vrrp_fsm_init(&f, &c), -EINVAL);
	c = cfg_v3(100, 0);
	assert_int_equal(vrrp_fsm_init(&f, &c), -EINVAL);
	c = cfg_v3(100, 4096);
	assert_int_equal(vrrp_fsm_init(&f, &c), -EINVAL);
	c = cfg_v3(100, 4095);
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	c = cfg_v2(100, 1);
	c.adver_int_cs = 150;	/* v2 carries whole seconds */
	assert_int_equal(vrrp_fsm_init(&f, &c), -EINVAL);
	c = cfg_v2(100, 255);
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	c.version = 4;
	assert_int_equal(vrrp_fsm_init(&f, &c), -EINVAL);
	c = cfg_v3(100, 100);
	c.preempt_delay_us = VRRP_PREEMPT_DELAY_MAX_US + 1;
	assert_int_equal(vrrp_fsm_init(&f, &c), -EINVAL);
	c = cfg_v3(100, 100);
	c.primary_addr.family = 12345;
	assert_int_equal(vrrp_fsm_init(&f, &c), -EINVAL);
	assert_int_equal(vrrp_fsm_init(NULL, &c), -EINVAL);
}

static void test_accept_mode_reported(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	c.accept = true;
	up_backup(&f, &c, 0);
	assert_false(vrrp_fsm_accepts_vip_traffic(&f));	/* Backup never accepts */
	step_ev(&f, VRRP_EV_MASTER_DOWN_TIMER, f.master_down_at_us);
	assert_true(find(VRRP_ACT_VIP_ADD, 0)->accept);
	assert_true(vrrp_fsm_accepts_vip_traffic(&f));
	assert_false(vrrp_fsm_is_owner(&f));
}

static void test_names_complete(void **state)
{
	(void)state;
	for (int i = 0; i < VRRP_ST__COUNT; i++)
		assert_string_not_equal(vrrp_fsm_state_name((enum vrrp_state)i), "?");
	for (int i = 0; i < VRRP_EV__COUNT; i++)
		assert_string_not_equal(vrrp_fsm_event_name((enum vrrp_event)i), "?");
	for (int i = 0; i < VRRP_ACT__COUNT; i++)
		assert_string_not_equal(vrrp_fsm_action_name((enum vrrp_action)i), "?");
	for (int i = 0; i < VRRP_TMR__COUNT; i++)
		assert_string_not_equal(vrrp_fsm_timer_name((enum vrrp_timer)i), "?");
	for (int i = 0; i < VRRP_GARP__COUNT; i++)
		assert_string_not_equal(vrrp_fsm_garp_name((enum vrrp_garp)i), "?");
	for (int i = 0; i < VRRP_RSN__COUNT; i++)
		assert_string_not_equal(vrrp_fsm_reason_name((enum vrrp_reason)i), "?");
	for (int i = 0; i < VRRP_NMR__COUNT; i++)
		assert_string_not_equal(vrrp_fsm_master_reason_name((enum vrrp_master_reason)i),
					"?");
	assert_string_equal(vrrp_fsm_state_name(VRRP_ST_MASTER), "MASTER");
	assert_string_equal(vrrp_fsm_state_name(VRRP_ST__COUNT), "?");
	assert_string_equal(vrrp_fsm_state_name((enum vrrp_state)-1), "?");
	assert_string_equal(vrrp_fsm_reason_name(VRRP_RSN_PRIO0_RX), "prio0_rx");
	assert_string_equal(vrrp_fsm_master_reason_name(VRRP_NMR_MASTER_NO_RESPONSE),
			    "masterNoResponse");
}

static void test_stop_then_startup_restarts(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);

	(void)state;
	up_master(&f, &c);
	step_ev(&f, VRRP_EV_SHUTDOWN, 10 * S_US);
	step_ev(&f, VRRP_EV_STARTUP, 11 * S_US);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
	assert_notify(VRRP_ST_STOP, VRRP_ST_BACKUP, VRRP_RSN_STARTUP);
	assert_int_equal(f.transitions, 4);
	assert_int_equal(f.master_transitions, 1);
	/* INIT and STOP: shutdown from INIT also lands in STOP */
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	step_ev(&f, VRRP_EV_SHUTDOWN, 0);
	assert_int_equal(f.state, VRRP_ST_STOP);
}

static void test_reconfigure_keeps_state(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	struct vrrp_fsm_addr p = a4(10, 0, 0, 50);
	uint64_t t;

	(void)state;
	up_master(&f, &c);
	c.adver_int_cs = 50;
	assert_int_equal(vrrp_fsm_reconfigure(&f, &c, 120), 0);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	assert_int_equal(f.priority, 120);
	t = f.adver_at_us;
	step_ev(&f, VRRP_EV_ADVER_TIMER, t);
	assert_advert(0, 120);
	assert_arm(VRRP_TMR_ADVER, t + 500000);
	assert_int_equal(vrrp_fsm_reconfigure(&f, &c, 0), -EINVAL);
	assert_int_equal(vrrp_fsm_set_primary_addr(&f, &p), 0);
	assert_int_equal(vrrp_fsm_addr_cmp(&f.master_addr, &p), 0);
	/* the tie-break now uses the new address */
	rx(&f, 120, 100, a4(10, 0, 0, 49), t + 1);
	assert_int_equal(f.state, VRRP_ST_MASTER);
	rx(&f, 120, 100, a4(10, 0, 0, 51), t + 2);
	assert_int_equal(f.state, VRRP_ST_BACKUP);
}

/* ---- invariants over a long pseudo-random run ------------------------------ */

static void check_invariants(const struct vrrp_fsm *f)
{
	switch (f->state) {
	case VRRP_ST_MASTER:
		assert_true(f->adver_at_us != 0);
		assert_int_equal(f->master_down_at_us, 0);
		assert_false(f->maintenance);
		break;
	case VRRP_ST_BACKUP:
		assert_int_equal(f->adver_at_us, 0);
		assert_int_equal(f->master_down_at_us != 0, !f->maintenance);
		break;
	default:
		assert_int_equal(f->adver_at_us, 0);
		assert_int_equal(f->master_down_at_us, 0);
		break;
	}
}

static void test_random_sequences_keep_invariants(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_config c = cfg_v3(100, 100);
	uint32_t seed = 12345;
	uint64_t now = 0;
	unsigned max_n = 0;

	(void)state;
	c.preempt_delay_us = 2 * S_US;
	c.higher_prio_send_advert = true;
	assert_int_equal(vrrp_fsm_init(&f, &c), 0);
	for (int i = 0; i < 200000; i++) {
		struct vrrp_fsm_event ev = { 0 };
		uint64_t before = f.transitions;
		enum vrrp_state st = f.state;

		seed = seed * 1103515245U + 12345U;
		ev.type = (enum vrrp_event)((seed >> 16) % VRRP_EV__COUNT);
		ev.prio = (uint8_t)(seed >> 8);
		ev.base_prio = (uint8_t)(seed >> 3);
		ev.adver_int_cs = (uint16_t)(1 + (seed >> 4) % 300);
		ev.preempt = seed & 1;
		ev.src = a4(10, 0, 0, (uint8_t)(seed >> 24));
		if (ev.type == VRRP_EV_PRIORITY_CHANGE && ev.prio == 0)
			ev.prio = 1;
		now += (seed >> 20) % 2000000;
		if (ev.type == VRRP_EV_ADVER_TIMER && f.adver_at_us && seed & 2)
			now = now > f.adver_at_us ? now : f.adver_at_us;
		if (ev.type == VRRP_EV_MASTER_DOWN_TIMER && f.master_down_at_us && seed & 2)
			now = now > f.master_down_at_us ? now : f.master_down_at_us;
		step(&f, &ev, now);
		if (acts.n > max_n)
			max_n = acts.n;
		check_invariants(&f);
		/* NOTIFY iff the state changed, once */
		assert_int_equal(count(VRRP_ACT_NOTIFY), f.transitions - before);
		assert_true(f.transitions - before <= 1);
		assert_int_equal(f.state != st, f.transitions != before);
	}
	assert_true(max_n >= 5);
	assert_true(max_n <= 6);	/* the longest branch; VRRP_ACTIONS_MAX is 16 */
	assert_true(f.master_transitions > 100);
}

/* ---- two routers on one simulated link ------------------------------------ */

struct sim_node {
	struct vrrp_fsm f;
	bool up;
};

/* Delivers the adverts in acts from node `from` to the other node. */
static void sim_deliver(struct sim_node *n, int from, uint64_t now);

static void sim_run_actions(struct sim_node *n, int who, uint64_t now)
{
	struct vrrp_actions mine = acts;

	for (unsigned i = 0; i < mine.n; i++) {
		if (mine.v[i].type != VRRP_ACT_SEND_ADVERT)
			continue;
		acts.n = 1;
		acts.v[0] = mine.v[i];
		sim_deliver(n, who, now);
	}
}

static void sim_deliver(struct sim_node *n, int from, uint64_t now)
{
	struct sim_node *to = &n[!from];
	uint8_t prio = acts.v[0].prio;

	if (!n[from].up || !to->up)
		return;
	rx(&to->f, prio, n[from].f.cfg.adver_int_cs, n[from].f.cfg.primary_addr, now);
	sim_run_actions(n, !from, now);
}

/* Runs the two nodes' timers until `until`. */
static void sim_until(struct sim_node *n, uint64_t until)
{
	for (;;) {
		uint64_t best = UINT64_MAX;
		int who = -1;
		enum vrrp_event type = VRRP_EV_ADVER_TIMER;

		for (int i = 0; i < 2; i++) {
			if (!n[i].up)
				continue;
			if (n[i].f.adver_at_us && n[i].f.adver_at_us < best) {
				best = n[i].f.adver_at_us;
				who = i;
				type = VRRP_EV_ADVER_TIMER;
			}
			if (n[i].f.master_down_at_us && n[i].f.master_down_at_us < best) {
				best = n[i].f.master_down_at_us;
				who = i;
				type = VRRP_EV_MASTER_DOWN_TIMER;
			}
		}
		if (who < 0 || best > until)
			return;
		step_ev(&n[who].f, type, best);
		sim_run_actions(n, who, best);
	}
}

static void test_two_routers_elect_fail_over_and_preempt(void **state)
{
	struct sim_node n[2];
	struct vrrp_fsm_config ca = cfg_v3(100, 100), cb = cfg_v3(200, 100);

	(void)state;
	ca.primary_addr = a4(10, 0, 0, 1);
	cb.primary_addr = a4(10, 0, 0, 2);
	assert_int_equal(vrrp_fsm_init(&n[0].f, &ca), 0);
	assert_int_equal(vrrp_fsm_init(&n[1].f, &cb), 0);
	n[0].up = n[1].up = true;
	step_ev(&n[0].f, VRRP_EV_STARTUP, 0);
	step_ev(&n[1].f, VRRP_EV_STARTUP, 0);

	/* B's shorter Master_Down_Interval (3.21875 s) wins the election */
	sim_until(n, 20 * S_US);
	assert_int_equal(n[1].f.state, VRRP_ST_MASTER);
	assert_int_equal(n[1].f.last_transition_us, 3218750);
	assert_int_equal(n[0].f.state, VRRP_ST_BACKUP);
	assert_int_equal(n[0].f.master_transitions, 0);

	/* B shuts down gracefully: A takes over after its Skew_Time */
	step_ev(&n[1].f, VRRP_EV_SHUTDOWN, 20 * S_US);
	sim_run_actions(n, 1, 20 * S_US);
	n[1].up = false;
	sim_until(n, 30 * S_US);
	assert_int_equal(n[0].f.state, VRRP_ST_MASTER);
	assert_int_equal(n[0].f.last_transition_us, 20 * S_US + 609375);
	assert_int_equal(n[0].f.reason, VRRP_RSN_PRIO0_RX);

	/* B comes back: it preempts A after its Master_Down_Interval */
	n[1].up = true;
	step_ev(&n[1].f, VRRP_EV_STARTUP, 30 * S_US);
	sim_until(n, 40 * S_US);
	assert_int_equal(n[1].f.state, VRRP_ST_MASTER);
	assert_int_equal(n[1].f.last_transition_us, 30 * S_US + 3218750);
	assert_int_equal(n[1].f.new_master_reason, VRRP_NMR_PREEMPTED);
	assert_int_equal(n[0].f.state, VRRP_ST_BACKUP);

	/* B crashes (silent) at 40 s; its last advert left at 39.21875 s: A takes
	 * over Master_Down_Interval after that */
	n[1].up = false;
	sim_until(n, 60 * S_US);
	assert_int_equal(n[0].f.state, VRRP_ST_MASTER);
	assert_int_equal(n[0].f.reason, VRRP_RSN_MASTER_DOWN);
	assert_int_equal(n[0].f.last_transition_us, 39 * S_US + 218750 + 3609375);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_startup_owner_becomes_master),
		cmocka_unit_test(test_init_startup_owner_with_state_backup_becomes_master),
		cmocka_unit_test(test_init_startup_non_owner_becomes_backup),
		cmocka_unit_test(test_init_startup_state_master_non_owner_still_waits),
		cmocka_unit_test(test_init_ignores_adverts_and_timers),
		cmocka_unit_test(test_backup_shutdown_cancels_master_down_timer),
		cmocka_unit_test(test_backup_master_down_timer_fires_becomes_master),
		cmocka_unit_test(test_backup_rx_prio0_sets_skew_time),
		cmocka_unit_test(test_backup_rx_higher_prio_resets_master_down_timer),
		cmocka_unit_test(test_backup_rx_equal_prio_resets_master_down_timer),
		cmocka_unit_test(test_backup_rx_lower_prio_nopreempt_resets_master_down_timer),
		cmocka_unit_test(test_backup_rx_lower_prio_preempt_discards),
		cmocka_unit_test(test_backup_v2_keeps_own_advertisement_interval),
		cmocka_unit_test(test_master_shutdown_sends_prio0_and_stops),
		cmocka_unit_test(test_master_adver_timer_sends_advert_and_rearms),
		cmocka_unit_test(test_master_rx_prio0_sends_advert_and_resets_adver_timer),
		cmocka_unit_test(test_master_rx_higher_prio_becomes_backup),
		cmocka_unit_test(test_master_rx_higher_prio_send_advert_option),
		cmocka_unit_test(test_master_rx_equal_prio_higher_addr_becomes_backup_v4),
		cmocka_unit_test(test_master_rx_equal_prio_lower_addr_discards_v4),
		cmocka_unit_test(test_master_rx_equal_prio_addr_tiebreak_v6),
		cmocka_unit_test(test_master_rx_lower_prio_discards_and_answers),
		cmocka_unit_test(test_master_rx_lower_prio_no_advert_option),
		cmocka_unit_test(test_timers_v3_table),
		cmocka_unit_test(test_timers_v2_table),
		cmocka_unit_test(test_timers_v2_backup_uses_v2_skew),
		cmocka_unit_test(test_timers_higher_priority_fires_first),
		cmocka_unit_test(test_addr_cmp_big_endian_both_families),
		cmocka_unit_test(test_nopreempt_higher_backup_stays_backup),
		cmocka_unit_test(test_owner_preempts_even_with_nopreempt),
		cmocka_unit_test(test_preempt_delay_defers_takeover),
		cmocka_unit_test(test_preempt_delay_not_applied_without_master),
		cmocka_unit_test(test_preempt_delay_window_closed_by_higher_advert),
		cmocka_unit_test(test_preempt_change_event),
		cmocka_unit_test(test_master_fault_sends_prio0_and_drops_vips),
		cmocka_unit_test(test_backup_fault_and_clear_restarts_as_backup),
		cmocka_unit_test(test_owner_fault_clear_becomes_master),
		cmocka_unit_test(test_master_maintenance_on_leaves_with_prio0),
		cmocka_unit_test(test_backup_maintenance_off_rearms_master_down),
		cmocka_unit_test(test_maintenance_before_startup_stays_out),
		cmocka_unit_test(test_backup_priority_rise_preempts_at_master_down),
		cmocka_unit_test(test_master_priority_drop_advertises_and_loses),
		cmocka_unit_test(test_priority_change_rejects_zero),
		cmocka_unit_test(test_invalid_events_rejected),
		cmocka_unit_test(test_init_rejects_bad_config),
		cmocka_unit_test(test_accept_mode_reported),
		cmocka_unit_test(test_names_complete),
		cmocka_unit_test(test_stop_then_startup_restarts),
		cmocka_unit_test(test_reconfigure_keeps_state),
		cmocka_unit_test(test_random_sequences_keep_invariants),
		cmocka_unit_test(test_two_routers_elect_fail_over_and_preempt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
