// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VRRP instances at run time: each owns a state machine (vrrp_fsm.c,
 * pure) and carries its actions out: adverts sent, ev timers armed at the
 * machine's absolute deadlines, virtual addresses added and removed,
 * gratuitous ARP / NA bursts, one log line and one observer call per
 * transition. The machine decides; this file only does.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "alived/xalloc.h"
#include "vrrp/vrrp.h"

struct vrrp_rt vrrp_rt = { .next_id = 1 };

static const enum vrrp_api_state api_states[] = {
	[VRRP_ST_INIT] = VRRP_API_ST_INIT,
	[VRRP_ST_BACKUP] = VRRP_API_ST_BACKUP,
	[VRRP_ST_MASTER] = VRRP_API_ST_MASTER,
	[VRRP_ST_FAULT] = VRRP_API_ST_FAULT,
	[VRRP_ST_STOP] = VRRP_API_ST_STOP,
};
_Static_assert(VRRP_ARRAY_SIZE(api_states) == VRRP_ST__COUNT, "api_states");

/* Log wording of the FSM's reasons (the stable names go to observers). */
static const char *const reason_text[] = {
	[VRRP_RSN_NONE] = "no reason",
	[VRRP_RSN_STARTUP] = "startup",
	[VRRP_RSN_PREEMPT] = "preempted a lower-priority master",
	[VRRP_RSN_MASTER_DOWN] = "master down",
	[VRRP_RSN_HIGHER_PRIO_RX] = "higher priority advert",
	[VRRP_RSN_PRIO0_RX] = "master released, priority 0",
	[VRRP_RSN_FAULT] = "fault",
	[VRRP_RSN_FAULT_CLEAR] = "fault cleared",
	[VRRP_RSN_MAINTENANCE] = "maintenance",
	[VRRP_RSN_SHUTDOWN] = "shutdown",
};
_Static_assert(VRRP_ARRAY_SIZE(reason_text) == VRRP_RSN__COUNT, "reason_text");

uint64_t vrrp_now_us(void)
{
	if (!vrrp_rt.loop)
		return ev_time_us();
	ev_now_update(vrrp_rt.loop);
	return ev_now_us(vrrp_rt.loop);
}

enum vrrp_api_state vrrp_inst_api_state(enum vrrp_state s)
{
	return (unsigned)s < VRRP_ST__COUNT ? api_states[s] : VRRP_API_ST_INIT;
}

static size_t fam_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static bool tri(int8_t v, bool dflt)
{
	return v == CFG_VTRI_UNSET ? dflt : v != 0;
}

static void fsm_addr_of(const struct cfg_addr *a, struct vrrp_fsm_addr *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->family = a ? a->family : AF_UNSPEC;
	if (a && a->family != AF_UNSPEC)
		memcpy(ret->bytes, &a->u, fam_len(a->family));
}

static void cfg_addr_of(const struct vrrp_fsm_addr *a, struct cfg_addr *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->family = a->family;
	if (a->family == AF_UNSPEC)
		return;
	memcpy(&ret->u, a->bytes, fam_len(a->family));
	ret->prefix = a->family == AF_INET ? 32 : 128;
}

const struct cfg_addr *vrrp_inst_src(const struct vrrp_inst *in)
{
	if (in->src.family != AF_UNSPEC)
		return &in->src;
	if (in->vif && in->vif->primary.family != AF_UNSPEC)
		return &in->vif->primary;
	return NULL;
}

static void fsm_cfg_from(const struct cfg_vrrp_inst *c, uint8_t base_prio, bool preempt,
			 const struct cfg_addr *src, struct vrrp_fsm_config *ret)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	bool strict = tri(c->strict_mode, g->vrrp_strict);

	memset(ret, 0, sizeof(*ret));
	ret->version = c->eff_version;
	ret->base_priority = base_prio;
	ret->adver_int_cs = (uint16_t)c->eff_advert_int_cs;
	ret->preempt = preempt;
	ret->preempt_delay_us = (uint64_t)c->preempt_delay_ms * 1000u;
	ret->accept = tri(c->accept, !strict);
	ret->init_master = c->state == CFG_VRRP_STATE_MASTER;
	ret->lower_prio_no_advert = tri(c->lower_prio_no_advert, g->vrrp_lower_prio_no_advert);
	ret->higher_prio_send_advert = tri(c->higher_prio_send_advert,
					   g->vrrp_higher_prio_send_advert);
	fsm_addr_of(src, &ret->primary_addr);
}

void vrrp_inst_fsm_cfg(const struct vrrp_inst *in, const struct cfg_vrrp_inst *c,
		       struct vrrp_fsm_config *ret)
{
	fsm_cfg_from(c, in->base_prio, in->preempt, vrrp_inst_src(in), ret);
}

int vrrp_inst_check_cfg(const struct cfg_vrrp_inst *c)
{
	struct vrrp_fsm_config fc;
	struct vrrp_fsm f;

	if (!c->interface[0] || !c->vrid || (c->family != AF_INET && c->family != AF_INET6)) {
		log_err("%s: no interface, VRID or address family", c->name);
		return -EINVAL;
	}
	fsm_cfg_from(c, c->priority, !c->nopreempt, NULL, &fc);
	if (vrrp_fsm_init(&f, &fc) < 0) {
		log_err("%s: version %u, priority %u, advert_int %u cs: cannot run", c->name,
			c->eff_version, c->priority, (unsigned)c->eff_advert_int_cs);
		return -EINVAL;
	}
	return 0;
}

static uint8_t auth_of(const struct cfg_vrrp_inst *c)
{
	if (c->eff_version != 2)
		return VRRP_PKT_AUTH_NONE;
	switch (c->auth.type) {
	case CFG_VRRP_AUTH_PASS:
		return VRRP_PKT_AUTH_PASS;
	case CFG_VRRP_AUTH_AH:
		return VRRP_PKT_AUTH_AH;
	default:
		return VRRP_PKT_AUTH_NONE;
	}
}

/* RFC 2338 §5.3.10: the password, zero padded to 8 octets. */
static void pass_copy(uint8_t dst[VRRP_PKT_AUTH_LEN], const char *pass)
{
	memset(dst, 0, VRRP_PKT_AUTH_LEN);
	memcpy(dst, pass, strnlen(pass, VRRP_PKT_AUTH_LEN));
}

/* What received adverts must look like (RFC 3768 §7.1, RFC 5798 §7.1). */
static void build_rx_ctx(struct vrrp_inst *in, const struct cfg_vrrp_inst *c)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	struct vrrp_pkt_ctx *x = &in->rx_ctx;

	memset(x, 0, sizeof(*x));
	x->family = c->family;
	x->ttl_or_hoplimit = -1;
	x->version = c->eff_version;
	x->vrid = c->vrid;
	x->auth_type = auth_of(c);
	if (x->auth_type == VRRP_PKT_AUTH_PASS)
		pass_copy(x->auth_pass, c->auth.pass);
	x->adver_int_cs = c->eff_version == 2 ? (uint16_t)c->eff_advert_int_cs : 0;
	x->skip_addr_check = tri(c->skip_check_adv_addr, g->vrrp_skip_check_adv_addr);
	x->addrs = in->adv_addrs;
	x->naddrs = in->n_adv;
}

/* Multicast group and configured source. */
static void set_addrs(struct vrrp_inst *in, const struct cfg_vrrp_inst *c)
{
	const struct cfg_global *g = vrrp_rt.root->global;

	if (c->mcast_dst_ip.family == c->family)
		in->group = c->mcast_dst_ip;
	else
		in->group = c->family == AF_INET ? g->vrrp_mcast_group4 : g->vrrp_mcast_group6;
	if (in->group.family != c->family)
		cfg_addr_parse(c->family == AF_INET ? "224.0.0.18" : "ff02::12", &in->group);
	memset(&in->src, 0, sizeof(in->src));
	if (c->unicast && c->unicast_src_ip.family == c->family)
		in->src = c->unicast_src_ip;
	else if (c->mcast_src_ip.family == c->family)
		in->src = c->mcast_src_ip;
	else if (c->unicast_src_ip.family == c->family)
		in->src = c->unicast_src_ip;
}

/* ------------------------------------------------------------------ */
/* Sending adverts */

static void to_pkt_addr(const struct cfg_addr *a, union vrrp_pkt_ipaddr *ret)
{
	memset(ret, 0, sizeof(*ret));
	memcpy(ret, &a->u, fam_len(a->family));
}

static void tx_warn(struct vrrp_inst *in, int err, const char *what)
{
	unsigned n;

	if (!log_ratelimit_ok(&in->rl_tx, vrrp_now_us(), VRRP_RL_BURST, VRRP_RL_INTERVAL_US))
		return;
	n = log_ratelimit_suppressed(&in->rl_tx);
	if (n)
		log_warn_errno(err, "%s: %s (%u more suppressed)", in->name, what, n);
	else
		log_warn_errno(err, "%s: %s", in->name, what);
}

static int send_to(struct vrrp_inst *in, const struct vrrp_pkt *p, const struct cfg_addr *src,
		   const struct cfg_addr *dst)
{
	uint8_t buf[VRRP_PKT_MAX_LEN + VRRP_PKT_AUTH_LEN];
	struct vrrp_pkt_ctx ctx = { .family = p->family };
	size_t len;
	int r;

	to_pkt_addr(src, &ctx.src);
	to_pkt_addr(dst, &ctx.dst);
	r = vrrp_pkt_encode(p, &ctx, buf, sizeof(buf), &len);
	if (r < 0) {
		tx_warn(in, r, "cannot encode an advert");
		return r;
	}
	r = vrrp_if_send(in->vif, src, dst, buf, len);
	if (r < 0 && in->fault_if) {
		/* the priority-0 advert of a master whose interface went down */
		log_debug(LOG_CAT_SOCK, "%s: advert not sent (interface down)", in->name);
	} else if (r < 0) {
		char abuf[CFG_ADDRSTRLEN], what[96];

		snprintf(what, sizeof(what), "advert to %s not sent",
			 cfg_addr_fmt(dst, abuf, sizeof(abuf)));
		tx_warn(in, r, what);
	}
	return r;
}

static void update_primary(struct vrrp_inst *in)
{
	const struct cfg_addr *src = vrrp_inst_src(in);
	struct vrrp_fsm_addr a;

	fsm_addr_of(src, &a);
	if (vrrp_fsm_addr_cmp(&a, &in->fsm.cfg.primary_addr) != 0)
		vrrp_fsm_set_primary_addr(&in->fsm, &a);
}

/* RFC 5798 §5.1 / RFC 3768 §5.1: from the primary (or configured) address,
 * TTL 255, to the group or to each unicast peer. */
static void send_advert(struct vrrp_inst *in, uint8_t prio)
{
	const struct cfg_vrrp_inst *c = in->cfg;
	const struct cfg_unicast_peer *peer;
	const struct cfg_addr *src = vrrp_inst_src(in);
	struct vrrp_pkt p;
	int ok = 0;

	if (!src && vrrp_if_primary_refresh(in->vif) == 0) {
		src = vrrp_inst_src(in);
		update_primary(in);
	}
	if (!src) {
		tx_warn(in, -EADDRNOTAVAIL, "no source address for adverts");
		return;
	}
	memset(&p, 0, offsetof(struct vrrp_pkt, addrs));
	p.family = c->family;
	p.version = c->eff_version;
	p.type = VRRP_PKT_TYPE_ADVERT;
	p.vrid = c->vrid;
	p.priority = prio;
	p.naddr = (uint8_t)in->n_adv;
	p.auth_type = auth_of(c);
	p.adver_int_cs = (uint16_t)c->eff_advert_int_cs;
	if (p.family == AF_INET && p.version == 2 && p.auth_type == VRRP_PKT_AUTH_PASS)
		pass_copy(p.auth_data, c->auth.pass);
	memcpy(p.addrs, in->adv_addrs, in->n_adv * sizeof(p.addrs[0]));
	if (c->unicast) {
		for (peer = c->unicast_peers; peer; peer = peer->next)
			if (send_to(in, &p, src, &peer->addr) == 0)
				ok = 1;
	} else if (send_to(in, &p, src, &in->group) == 0) {
		ok = 1;
	}
	if (!ok)
		return;
	in->stats.adverts_sent++;
	if (prio == VRRP_PRIO_STOP)
		in->stats.pri_zero_sent++;
}

/* ------------------------------------------------------------------ */
/* Timers */

static void adver_cb(void *ud)
{
	struct vrrp_inst *in = ud;

	in->tmr[VRRP_TMR_ADVER] = 0;
	vrrp_inst_event_type(in, VRRP_EV_ADVER_TIMER);
}

static void master_down_cb(void *ud)
{
	struct vrrp_inst *in = ud;

	in->tmr[VRRP_TMR_MASTER_DOWN] = 0;
	vrrp_inst_event_type(in, VRRP_EV_MASTER_DOWN_TIMER);
}

static void timer_cancel(struct vrrp_inst *in, enum vrrp_timer t)
{
	if (in->tmr[t])
		ev_timer_cancel(vrrp_rt.loop, in->tmr[t]);
	in->tmr[t] = 0;
}

/*
 * Adver_Timer deadlines are rounded up to a grid of 1% of the interval
 * (at most 10 ms), so that many instances share one wake-up of the loop.
 * The machine keeps the exact deadline and computes the next one from it,
 * so the intervals stay exact; only the phase moves, by less than 1%.
 * The Master_Down_Timer stays exact: it bounds the failover time.
 */
static uint64_t adver_grid_us(const struct vrrp_inst *in, uint64_t at_us)
{
	uint64_t q = (uint64_t)in->cfg->eff_advert_int_cs * 10000u / 100u;

	if (q > VRRP_ADVER_SLACK_MAX_US)
		q = VRRP_ADVER_SLACK_MAX_US;
	if (q <= 1)
		return at_us;
	return (at_us + q - 1) / q * q;
}

static void timer_arm(struct vrrp_inst *in, enum vrrp_timer t, uint64_t at_us)
{
	timer_cancel(in, t);
	if (t == VRRP_TMR_ADVER)
		at_us = adver_grid_us(in, at_us);
	in->tmr[t] = ev_timer_at(vrrp_rt.loop, at_us,
				 t == VRRP_TMR_ADVER ? adver_cb : master_down_cb, in);
}

/* ------------------------------------------------------------------ */
/* Reporting */

static void stats_cb(void *ud)
{
	struct vrrp_inst *in = ud;

	in->stats_tmr = 0;
	if (!in->stats_dirty)
		return;
	in->stats_dirty = false;
	vrrp_inst_emit(in, VRRP_EVT_STATS);
}

void vrrp_inst_stats_touch(struct vrrp_inst *in)
{
	if (!vrrp_api_wants(VRRP_EVT_STATS))
		return;
	in->stats_dirty = true;
	if (!in->stats_tmr)
		in->stats_tmr = ev_timer_add(vrrp_rt.loop, VRRP_STATS_EVT_US, stats_cb, in);
}

void vrrp_inst_emit(struct vrrp_inst *in, enum vrrp_evt evt)
{
	struct vrrp_evt_info e;

	memset(&e, 0, sizeof(e));
	e.evt = evt;
	e.id = in->id;
	e.name = in->name;
	e.old_state = vrrp_inst_api_state(in->fsm.prev_state);
	e.new_state = vrrp_inst_api_state(in->fsm.state);
	e.reason = in->last_reason[0] ? in->last_reason : vrrp_fsm_reason_name(in->fsm.reason);
	cfg_addr_of(&in->fsm.master_addr, &e.master_addr);
	vrrp_api_emit(&e);
}

static void on_master_changed(struct vrrp_inst *in, const struct vrrp_fsm_action *a)
{
	char abuf[CFG_ADDRSTRLEN];
	struct cfg_addr m;

	if (a->addr.family == AF_UNSPEC)
		return;
	if (in->fsm.state == VRRP_ST_MASTER &&
	    vrrp_fsm_addr_cmp(&a->addr, &in->fsm.cfg.primary_addr) == 0)
		return;		/* that is us */
	cfg_addr_of(&a->addr, &m);
	log_info("%s: master is %s (priority %u)", in->name, cfg_addr_fmt(&m, abuf, sizeof(abuf)),
		 a->prio);
	vrrp_inst_emit(in, VRRP_EVT_NEW_MASTER);
}

static void on_notify(struct vrrp_inst *in, const struct vrrp_fsm_action *a)
{
	char abuf[CFG_ADDRSTRLEN], detail[160] = "";
	const char *text = reason_text[a->reason], *name = vrrp_fsm_reason_name(a->reason);
	struct cfg_addr m;

	if (in->force_reason || (a->new_state == VRRP_ST_MASTER && in->sync_master_pending &&
				 a->reason == VRRP_RSN_PRIO0_RX)) {
		/* moved by its sync group (vrrp_inst_sync_force) */
		text = "sync group";
		name = "sync";
		snprintf(detail, sizeof(detail), " %s", in->force_reason ? in->force_reason :
			 in->sync ? in->sync->name : "");
	} else if (a->reason == VRRP_RSN_HIGHER_PRIO_RX &&
		   in->fsm.master_addr.family != AF_UNSPEC) {
		cfg_addr_of(&in->fsm.master_addr, &m);
		snprintf(detail, sizeof(detail), " from %s, priority %u",
			 cfg_addr_fmt(&m, abuf, sizeof(abuf)), in->fsm.master_prio);
	} else if (a->reason == VRRP_RSN_FAULT && in->fault_if) {
		snprintf(detail, sizeof(detail), ": interface %s %s", in->vif->name,
			 in->vif->ifindex ? "down" : "missing");
	} else if (a->reason == VRRP_RSN_FAULT && in->fault_track) {
		snprintf(detail, sizeof(detail), ": %s", in->trk_fault_what);
	} else if (a->reason == VRRP_RSN_FAULT && in->fault_sync && in->sync) {
		snprintf(detail, sizeof(detail), ": sync group %s", in->sync->name);
	}
	in->sync_master_pending = false;
	log_info("%s: %s -> %s (%s%s)", in->name, vrrp_fsm_state_name(a->old_state),
		 vrrp_fsm_state_name(a->new_state), text, detail);
	in->last_wall_s = (int64_t)time(NULL);
	snprintf(in->last_reason, sizeof(in->last_reason), "%s", name);
	if (a->new_state == VRRP_ST_MASTER) {
		in->stats.master_transitions++;
		in->stats.new_master_reason =
			(enum vrrp_api_master_reason)in->fsm.new_master_reason;
	} else {
		in->stats.new_master_reason = VRRP_API_MR_NOT_MASTER;
		vrrp_garp_stop(in);
	}
	/* Addresses a crashed or -V run may have left: not ours as backup. */
	if ((a->new_state == VRRP_ST_BACKUP || a->new_state == VRRP_ST_FAULT) && in->vips_maybe)
		vrrp_vip_del_all(in);
	vrrp_inst_stats_touch(in);
	vrrp_notify_inst(in, a->new_state);
	if (in->sync)
		vrrp_sync_member_changed(in, a->old_state, a->new_state);
	vrrp_inst_emit(in, VRRP_EVT_STATE);
}

static void run_action(struct vrrp_inst *in, const struct vrrp_fsm_action *a)
{
	char abuf[CFG_ADDRSTRLEN];
	struct cfg_addr m;

	switch (a->type) {
	case VRRP_ACT_SEND_ADVERT:
		send_advert(in, a->prio);
		break;
	case VRRP_ACT_ARM_TIMER:
		timer_arm(in, a->timer, a->at_us);
		break;
	case VRRP_ACT_CANCEL_TIMER:
		timer_cancel(in, a->timer);
		break;
	case VRRP_ACT_VIP_ADD:
		vrrp_vip_add_all(in);
		break;
	case VRRP_ACT_VIP_DEL:
		if (!in->keep_vips)
			vrrp_vip_del_all(in);
		else
			vrrp_garp_stop(in);
		break;
	case VRRP_ACT_SEND_GARP:
		vrrp_garp_start(in, a->garp);
		break;
	case VRRP_ACT_MASTER_CHANGED:
		on_master_changed(in, a);
		break;
	case VRRP_ACT_RX_LOWER_PRIO:
		cfg_addr_of(&a->addr, &m);
		log_debug(LOG_CAT_PROTO, "%s: lower priority %u advert from %s while master",
			  in->name, a->prio, cfg_addr_fmt(&m, abuf, sizeof(abuf)));
		vrrp_notify_rx_lower(in);
		break;
	case VRRP_ACT_NOTIFY:
		on_notify(in, a);
		break;
	case VRRP_ACT__COUNT:
		break;
	}
}

void vrrp_inst_event(struct vrrp_inst *in, const struct vrrp_fsm_event *ev)
{
	struct vrrp_actions acts;
	int r;

	r = vrrp_fsm_step(&in->fsm, ev, vrrp_now_us(), &acts);
	if (r == -EINVAL) {
		log_err("%s: state machine refused event %s in %s", in->name,
			vrrp_fsm_event_name(ev->type), vrrp_fsm_state_name(in->fsm.state));
		return;
	}
	if (r == -ENOSPC)
		log_err("%s: state machine action list overflow (event %s)", in->name,
			vrrp_fsm_event_name(ev->type));
	for (unsigned k = 0; k < acts.n; k++)
		run_action(in, &acts.v[k]);
}

void vrrp_inst_event_type(struct vrrp_inst *in, enum vrrp_event type)
{
	struct vrrp_fsm_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	vrrp_inst_event(in, &ev);
}

/* ------------------------------------------------------------------ */
/* Life cycle */

int vrrp_inst_new(const struct cfg_vrrp_inst *c, uint32_t id, struct vrrp_inst **ret)
{
	struct vrrp_fsm_config fc;
	struct vrrp_inst *in = xcalloc(1, sizeof(*in));
	int r;

	in->id = id;
	snprintf(in->name, sizeof(in->name), "%s", c->name);
	in->cfg = c;
	in->base_prio = c->priority;
	in->preempt = !c->nopreempt;
	in->vips_maybe = true;
	in->stats.discontinuity_us = vrrp_now_us();
	vrrp_vip_build(in, c);
	build_rx_ctx(in, c);
	set_addrs(in, c);
	vrrp_if_attach(vrrp_if_get(c->interface, c->family), in);
	vrrp_inst_fsm_cfg(in, c, &fc);
	r = vrrp_fsm_init(&in->fsm, &fc);
	if (r < 0) {
		log_err("%s: invalid state machine configuration", in->name);
		vrrp_if_detach(in->vif, in);
		vrrp_vip_free(in);
		free(in);
		return r;
	}
	*ret = in;
	return 0;
}

uint8_t vrrp_inst_eff_prio(const struct vrrp_inst *in)
{
	return vrrp_track_eff_prio(in->base_prio, in->trk_delta);
}

void vrrp_inst_apply(struct vrrp_inst *in)
{
	uint8_t eff = vrrp_inst_eff_prio(in);
	bool own = in->fault_if || in->fault_track, bad;
	struct vrrp_fsm_event ev;

	if (in->fsm.state == VRRP_ST_STOP)
		return;
	if (eff != in->fsm.priority) {
		memset(&ev, 0, sizeof(ev));
		ev.type = VRRP_EV_PRIORITY_CHANGE;
		ev.prio = eff;
		log_info("%s: effective priority %u -> %u (base %u, tracking %+d)", in->name,
			 in->fsm.priority, eff, in->base_prio, in->trk_delta);
		vrrp_inst_event(in, &ev);
		vrrp_inst_emit(in, VRRP_EVT_PRIORITY);
		vrrp_notify_prio(in);
	}
	if (!in->started)
		return;
	bad = own || in->fault_sync;
	if (bad != in->faulted) {
		in->faulted = bad;
		if (bad)
			vrrp_inst_event_type(in, VRRP_EV_FAULT);
		else if (in->fsm.state == VRRP_ST_INIT)
			vrrp_inst_event_type(in, VRRP_EV_STARTUP);
		else
			vrrp_inst_event_type(in, VRRP_EV_FAULT_CLEAR);
	}
	/* the culprit moves first, then its group follows */
	if (in->sync && own != in->own_fault_seen) {
		in->own_fault_seen = own;
		vrrp_sync_fault_update(in->sync);
	}
}

void vrrp_inst_start(struct vrrp_inst *in)
{
	struct vrrp_if *vif = in->vif;

	update_primary(in);
	in->fault_if = !vif->ifindex || !vif->up;
	if (in->fault_if)
		log_warn("%s: interface %s %s; in FAULT until it is up", in->name, vif->name,
			 vif->ifindex ? "is down" : "does not exist");
	else if (in->fault_track)
		log_warn("%s: %s; in FAULT until it recovers", in->name, in->trk_fault_what);
	vrrp_inst_apply(in);	/* the tracked priority, before anything is sent */
	in->started = true;
	in->faulted = in->fault_if || in->fault_track || in->fault_sync;
	vrrp_inst_event_type(in, in->faulted ? VRRP_EV_FAULT : VRRP_EV_STARTUP);
	if (in->sync && (in->fault_if || in->fault_track)) {
		in->own_fault_seen = true;
		vrrp_sync_fault_update(in->sync);
	}
}

void vrrp_inst_if_changed(struct vrrp_inst *in)
{
	struct vrrp_if *vif = in->vif;
	bool bad = !vif->ifindex || !vif->up;

	update_primary(in);
	if (bad == in->fault_if)
		return;
	in->fault_if = bad;
	if (bad)
		log_warn("%s: interface %s %s", in->name, vif->name,
			 vif->ifindex ? "down" : "gone");
	else
		log_info("%s: interface %s up", in->name, vif->name);
	vrrp_inst_apply(in);
}

void vrrp_inst_sync_force(struct vrrp_inst *in, enum vrrp_state want, const char *why)
{
	struct vrrp_fsm_event ev;

	if (want == VRRP_ST_BACKUP && in->fsm.state == VRRP_ST_MASTER &&
	    !vrrp_fsm_is_owner(&in->fsm)) {
		/* leave as a master put into maintenance does (priority-0 advert,
		 * addresses removed), then start again as a backup */
		in->force_reason = why;
		vrrp_inst_event_type(in, VRRP_EV_MAINTENANCE_ON);
		vrrp_inst_event_type(in, VRRP_EV_MAINTENANCE_OFF);
		in->force_reason = NULL;
		return;
	}
	if (want != VRRP_ST_MASTER || in->fsm.state != VRRP_ST_BACKUP || in->fsm.maintenance)
		return;
	/* never later than the Master_Down_Timer would fire anyway */
	if (in->fsm.master_down_at_us &&
	    in->fsm.master_down_at_us <= vrrp_now_us() + in->fsm.skew_time_us)
		return;
	/*
	 * As if the master had released the virtual router (RFC 5798 §6.4.2,
	 * priority 0): Master_Down_Timer = Skew_Time. A better master heard
	 * meanwhile still wins (its advert resets the timer).
	 */
	memset(&ev, 0, sizeof(ev));
	ev.type = VRRP_EV_RX_ADVERT;
	ev.prio = VRRP_PRIO_STOP;
	ev.src = in->fsm.master_addr.family != AF_UNSPEC ? in->fsm.master_addr :
		 in->fsm.cfg.primary_addr;
	if (ev.src.family == AF_UNSPEC)
		ev.src.family = in->cfg->family;
	in->sync_master_pending = true;
	log_debug(LOG_CAT_PROTO, "%s: sync group %s: towards MASTER", in->name, why);
	vrrp_inst_event(in, &ev);
}

/* The read API must never see a freed instance (observers run while a
 * reload or stop frees several). */
static void index_remove(const struct vrrp_inst *in)
{
	for (size_t k = 0; k < vrrp_rt.n_insts; k++) {
		if (vrrp_rt.by_id[k] != in)
			continue;
		memmove(&vrrp_rt.by_id[k], &vrrp_rt.by_id[k + 1],
			(vrrp_rt.n_insts - k - 1) * sizeof(*vrrp_rt.by_id));
		vrrp_rt.n_insts--;
		return;
	}
}

void vrrp_inst_free(struct vrrp_inst *in, bool keep_vips)
{
	if (!in)
		return;
	in->keep_vips = keep_vips;
	vrrp_inst_event_type(in, VRRP_EV_SHUTDOWN);
	for (unsigned t = 0; t < VRRP_TMR__COUNT; t++)
		timer_cancel(in, (enum vrrp_timer)t);
	vrrp_garp_stop(in);
	ev_timer_cancel(vrrp_rt.loop, in->stats_tmr);
	vrrp_track_inst_free(in);
	vrrp_inst_emit(in, VRRP_EVT_REMOVED);
	index_remove(in);
	vrrp_if_detach(in->vif, in);
	vrrp_vip_free(in);
	free(in);
}

int vrrp_inst_reconfigure(struct vrrp_inst *in, const struct cfg_vrrp_inst *c)
{
	const struct cfg_vrrp_inst *old = in->cfg;
	struct vrrp_vip *ovips = in->vips;
	union vrrp_pkt_ipaddr *oadv = in->adv_addrs;
	unsigned n_old = in->n_vips;
	struct cfg_addr ogroup = in->group;
	struct vrrp_fsm_config fc;
	uint8_t oprio = in->base_prio;
	bool opreempt = in->preempt;
	int r;

	if (!in->base_prio_cmd || old->priority != c->priority) {
		in->base_prio = c->priority;
		in->base_prio_cmd = false;
	}
	if (!in->preempt_cmd || old->nopreempt != c->nopreempt) {
		in->preempt = !c->nopreempt;
		in->preempt_cmd = false;
	}
	in->vips = NULL;
	in->adv_addrs = NULL;
	vrrp_vip_build(in, c);
	vrrp_vip_migrate(in, ovips, n_old);
	free(ovips);
	free(oadv);
	in->cfg = c;
	build_rx_ctx(in, c);
	set_addrs(in, c);
	if (old->unicast != c->unicast || !cfg_addr_equal(&ogroup, &in->group))
		vrrp_if_sync(in->vif, true);
	vrrp_inst_fsm_cfg(in, c, &fc);
	/* the tracking of the new configuration is applied after (vrrp_track_reload) */
	r = vrrp_fsm_reconfigure(&in->fsm, &fc, vrrp_inst_eff_prio(in));
	if (r < 0)
		return log_err_errno(r, "%s: new configuration refused by the state machine",
				     in->name);
	if (oprio != in->base_prio || opreempt != in->preempt) {
		log_info("%s: priority %u -> %u, preempt %s", in->name, oprio, in->base_prio,
			 in->preempt ? "on" : "off");
		vrrp_inst_emit(in, VRRP_EVT_PRIORITY);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Lookups and snapshots */

static int by_id_cmp(const void *k, const void *e)
{
	uint32_t id = *(const uint32_t *)k;
	const struct vrrp_inst *in = *(struct vrrp_inst *const *)e;

	return id < in->id ? -1 : id > in->id;
}

void vrrp_inst_index(void)
{
	struct vrrp_inst *in;
	size_t n = 0;

	for (in = vrrp_rt.insts; in; in = in->next)
		n++;
	free(vrrp_rt.by_id);
	vrrp_rt.by_id = n ? xcalloc(n, sizeof(*vrrp_rt.by_id)) : NULL;
	vrrp_rt.n_insts = n;
	n = 0;
	for (in = vrrp_rt.insts; in; in = in->next)
		vrrp_rt.by_id[n++] = in;
}

struct vrrp_inst *vrrp_inst_by_id(uint32_t id)
{
	struct vrrp_inst **p;

	if (!vrrp_rt.n_insts)
		return NULL;
	p = bsearch(&id, vrrp_rt.by_id, vrrp_rt.n_insts, sizeof(*vrrp_rt.by_id), by_id_cmp);
	return p ? *p : NULL;
}

void vrrp_inst_info(const struct vrrp_inst *in, struct vrrp_api_info *ret)
{
	const struct cfg_vrrp_inst *c = in->cfg;
	const struct cfg_addr *src = vrrp_inst_src(in);

	memset(ret, 0, sizeof(*ret));
	ret->id = in->id;
	snprintf(ret->name, sizeof(ret->name), "%s", in->name);
	snprintf(ret->ifname, sizeof(ret->ifname), "%s", in->vif->name);
	ret->ifindex = in->vif->ifindex;
	ret->if_up = in->vif->up;
	ret->vrid = c->vrid;
	ret->version = c->eff_version;
	ret->family = c->family;
	ret->state = vrrp_inst_api_state(in->fsm.state);
	ret->wanted_state = c->state == CFG_VRRP_STATE_MASTER || c->priority == VRRP_PRIO_OWNER ?
			    VRRP_API_ST_MASTER : VRRP_API_ST_BACKUP;
	ret->base_priority = in->base_prio;
	ret->effective_priority = in->fsm.state == VRRP_ST_STOP ? 0 : in->fsm.priority;
	ret->preempt = in->fsm.cfg.preempt;
	ret->preempt_delay_ms = c->preempt_delay_ms;
	ret->accept = in->fsm.cfg.accept;
	ret->maintenance = in->fsm.maintenance;
	ret->unicast = c->unicast;
	ret->advert_int_cs = (uint16_t)c->eff_advert_int_cs;
	ret->master_adver_int_cs = in->fsm.master_adver_int_cs;
	cfg_addr_of(&in->fsm.master_addr, &ret->master_addr);
	ret->master_priority = in->fsm.master_prio;
	if (src)
		ret->src_addr = *src;
	for (unsigned k = 0; k < in->n_vips; k++) {
		if (in->vips[k].excluded)
			ret->n_evips++;
		else
			ret->n_vips++;
	}
	ret->vips_installed = in->vips_installed;
	ret->last_transition_us = in->fsm.last_transition_us;
	ret->last_transition_wall_s = in->last_wall_s;
	snprintf(ret->last_reason, sizeof(ret->last_reason), "%s", in->last_reason);
	ret->stats = in->stats;
	ret->sync_id = in->sync ? in->sync->id : 0;
	ret->track_delta = in->trk_delta;
	ret->fault_if = in->fault_if;
	ret->fault_track = in->fault_track;
	ret->fault_sync = in->fault_sync;
}
