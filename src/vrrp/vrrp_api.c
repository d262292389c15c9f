// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * include/alived/vrrp_api.h: snapshots of instances, the observer
 * registry, and the commands SNMP SET, D-Bus methods and signals share.
 * Every command goes through the state machine as an event, so it behaves
 * the same whoever asks, and is logged with its origin.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alived/xalloc.h"
#include "vrrp/vrrp.h"

static const char *const api_state_names[] = {
	[VRRP_API_ST_INIT] = "INIT",
	[VRRP_API_ST_BACKUP] = "BACKUP",
	[VRRP_API_ST_MASTER] = "MASTER",
	[VRRP_API_ST_FAULT] = "FAULT",
	[VRRP_API_ST_STOP] = "STOP",
};
_Static_assert(VRRP_ARRAY_SIZE(api_state_names) == VRRP_API_ST__COUNT, "api_state_names");

static const char *const origin_names[] = {
	[CMD_ORIGIN_INTERNAL] = "internal",
	[CMD_ORIGIN_SIGNAL] = "signal",
	[CMD_ORIGIN_SNMP] = "SNMP",
	[CMD_ORIGIN_DBUS] = "D-Bus",
};
_Static_assert(VRRP_ARRAY_SIZE(origin_names) == CMD_ORIGIN__COUNT, "origin_names");

const char *vrrp_api_state_name(unsigned st)
{
	return st < VRRP_API_ST__COUNT ? api_state_names[st] : "?";
}

const char *vrrp_cmd_origin_name(enum cmd_origin_kind k)
{
	return (unsigned)k < CMD_ORIGIN__COUNT ? origin_names[k] : "?";
}

/* ------------------------------------------------------------------ */
/* Read API */

size_t vrrp_api_count(void)
{
	return vrrp_rt.n_insts;
}

int vrrp_api_get(uint32_t id, struct vrrp_api_info *ret_info)
{
	struct vrrp_inst *in = vrrp_inst_by_id(id);

	if (!in)
		return -ENOENT;
	vrrp_inst_info(in, ret_info);
	return 0;
}

int vrrp_api_find(const char *name, uint32_t *ret_id)
{
	for (size_t k = 0; k < vrrp_rt.n_insts; k++)
		if (strcmp(vrrp_rt.by_id[k]->name, name) == 0) {
			*ret_id = vrrp_rt.by_id[k]->id;
			return 0;
		}
	return -ENOENT;
}

int vrrp_api_foreach(vrrp_api_foreach_cb cb, void *ud)
{
	struct vrrp_api_info info;
	uint32_t last = 0;
	size_t k;
	int r;

	/* By index, skipping IDs already seen: stays correct if the set
	 * shrinks under a callback. */
	for (k = 0; k < vrrp_rt.n_insts; k++) {
		struct vrrp_inst *in = vrrp_rt.by_id[k];

		if (in->id <= last)
			continue;
		last = in->id;
		vrrp_inst_info(in, &info);
		r = cb(&info, ud);
		if (r)
			return r;
	}
	return 0;
}

int vrrp_api_vips(uint32_t id, struct vrrp_api_vip *buf, size_t cap)
{
	struct vrrp_inst *in = vrrp_inst_by_id(id);

	if (!in)
		return -ENOENT;
	for (size_t k = 0; k < in->n_vips && k < cap; k++) {
		const struct vrrp_vip *v = &in->vips[k];

		memset(&buf[k], 0, sizeof(buf[k]));
		buf[k].addr = v->cfg->addr;
		snprintf(buf[k].dev, sizeof(buf[k].dev), "%s",
			 v->cfg->dev[0] ? v->cfg->dev : in->vif->name);
		buf[k].excluded = v->excluded;
		buf[k].installed = v->installed;
	}
	return (int)in->n_vips;
}

void vrrp_api_global_stats(struct vrrp_api_global_stats *ret)
{
	*ret = vrrp_rt.gstats;
}

/* ---- sync groups ---- */

size_t vrrp_api_sync_count(void)
{
	const struct vrrp_sync *g;
	size_t n = 0;

	for (g = vrrp_rt.syncs; g; g = g->next)
		n++;
	return n;
}

int vrrp_api_sync_get(uint32_t id, struct vrrp_api_sync_info *ret_info)
{
	const struct vrrp_sync *g = vrrp_sync_by_id(id);

	if (!g)
		return -ENOENT;
	vrrp_sync_info(g, ret_info);
	return 0;
}

int vrrp_api_sync_find(const char *name, uint32_t *ret_id)
{
	const struct vrrp_sync *g;

	for (g = vrrp_rt.syncs; g; g = g->next)
		if (strcmp(g->name, name) == 0) {
			*ret_id = g->id;
			return 0;
		}
	return -ENOENT;
}

int vrrp_api_sync_foreach(vrrp_api_sync_foreach_cb cb, void *ud)
{
	struct vrrp_api_sync_info info;
	uint32_t last = 0;
	int r;

	/* By ID, looked up afresh each time: safe if the set changes under cb. */
	for (;;) {
		const struct vrrp_sync *g, *best = NULL;

		for (g = vrrp_rt.syncs; g; g = g->next)
			if (g->id > last && (!best || g->id < best->id))
				best = g;
		if (!best)
			return 0;
		last = best->id;
		vrrp_sync_info(best, &info);
		r = cb(&info, ud);
		if (r)
			return r;
	}
}

int vrrp_api_sync_members(uint32_t id, uint32_t *buf, size_t cap)
{
	const struct vrrp_sync *g = vrrp_sync_by_id(id);

	if (!g)
		return -ENOENT;
	for (unsigned k = 0; k < g->n_members && k < cap; k++)
		buf[k] = g->members[k]->id;
	return (int)g->n_members;
}

/* ------------------------------------------------------------------ */
/* Observers */

struct sub {
	uint64_t handle;
	uint32_t mask;
	vrrp_evt_cb cb;
	void *ud;
	bool dead;
};

static struct {
	struct sub *v;
	size_t n, cap;
	uint64_t next_handle;
	uint32_t mask;		/* union of the live masks */
	bool need_gc;
} subs;

static void subs_gc(void)
{
	size_t k, j = 0;

	subs.mask = 0;
	for (k = 0; k < subs.n; k++) {
		if (subs.v[k].dead)
			continue;
		subs.mask |= subs.v[k].mask;
		subs.v[j++] = subs.v[k];
	}
	subs.n = j;
	subs.need_gc = false;
}

uint64_t vrrp_api_subscribe(uint32_t mask, vrrp_evt_cb cb, void *ud)
{
	if (subs.n == subs.cap) {
		subs.cap = subs.cap ? subs.cap * 2 : 8;
		subs.v = xreallocarray(subs.v, subs.cap, sizeof(*subs.v));
	}
	subs.v[subs.n++] = (struct sub){ .handle = ++subs.next_handle, .mask = mask,
					 .cb = cb, .ud = ud };
	subs.mask |= mask;
	return subs.next_handle;
}

int vrrp_api_unsubscribe(uint64_t handle)
{
	for (size_t k = 0; k < subs.n; k++) {
		if (subs.v[k].handle != handle || subs.v[k].dead)
			continue;
		subs.v[k].dead = true;
		if (vrrp_rt.in_observer)
			subs.need_gc = true;
		else
			subs_gc();
		return 0;
	}
	return -ENOENT;
}

bool vrrp_api_wants(enum vrrp_evt evt)
{
	return subs.mask & VRRP_EVT_BIT(evt);
}

void vrrp_api_emit(const struct vrrp_evt_info *e)
{
	size_t n = subs.n;

	if (!(subs.mask & VRRP_EVT_BIT(e->evt)))
		return;
	vrrp_rt.in_observer++;
	/* Subscribers added by a callback see the next event, not this one. */
	for (size_t k = 0; k < n; k++) {
		struct sub s = subs.v[k];

		if (!s.dead && (s.mask & VRRP_EVT_BIT(e->evt)))
			s.cb(e, s.ud);
	}
	vrrp_rt.in_observer--;
	if (!vrrp_rt.in_observer && subs.need_gc)
		subs_gc();
}

void vrrp_api_clear_all(void)
{
	free(subs.v);
	memset(&subs, 0, sizeof(subs));
}

/* ------------------------------------------------------------------ */
/* Commands */

static int cmd_target(uint32_t id, struct vrrp_inst **ret)
{
	struct vrrp_inst *in;

	if (vrrp_rt.in_observer)
		return -EBUSY;
	in = vrrp_inst_by_id(id);
	if (!in)
		return -ENOENT;
	*ret = in;
	return 0;
}

static const char *who(const struct cmd_origin *o, char *buf, size_t len)
{
	if (!o)
		return "internal";
	if (o->who && o->uid != (uid_t)-1)
		snprintf(buf, len, "%s, %s uid %ld", vrrp_cmd_origin_name(o->kind), o->who,
			 (long)o->uid);
	else if (o->who)
		snprintf(buf, len, "%s, %s", vrrp_cmd_origin_name(o->kind), o->who);
	else if (o->uid != (uid_t)-1)
		snprintf(buf, len, "%s, uid %ld", vrrp_cmd_origin_name(o->kind), (long)o->uid);
	else
		snprintf(buf, len, "%s", vrrp_cmd_origin_name(o->kind));
	return buf;
}

int vrrp_cmd_set_priority(uint32_t id, unsigned prio, const struct cmd_origin *o)
{
	struct vrrp_fsm_event ev;
	struct vrrp_inst *in;
	char wbuf[128];
	unsigned old;
	int r = cmd_target(id, &in);

	if (r < 0)
		return r;
	if (prio < 1 || prio > VRRP_PRIO_OWNER)
		return -ERANGE;
	/* 255 says "I own the addresses" (RFC 5798 §5.2.4): only an owner may. */
	if ((prio == VRRP_PRIO_OWNER) != (in->cfg->priority == VRRP_PRIO_OWNER))
		return -ERANGE;
	old = in->base_prio;
	in->base_prio = (uint8_t)prio;
	in->base_prio_cmd = true;
	if (old == prio)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.type = VRRP_EV_PRIORITY_CHANGE;
	ev.prio = vrrp_inst_eff_prio(in);	/* with what tracking adds */
	ev.base_prio = (uint8_t)prio;
	log_info("%s: priority %u -> %u (%s)", in->name, old, prio, who(o, wbuf, sizeof(wbuf)));
	vrrp_inst_event(in, &ev);
	vrrp_inst_emit(in, VRRP_EVT_PRIORITY);
	vrrp_notify_prio(in);
	return 0;
}

int vrrp_cmd_set_preempt(uint32_t id, bool preempt, const struct cmd_origin *o)
{
	struct vrrp_fsm_event ev;
	struct vrrp_inst *in;
	char wbuf[128];
	int r = cmd_target(id, &in);

	if (r < 0)
		return r;
	in->preempt_cmd = true;
	if (in->preempt == preempt)
		return 0;
	in->preempt = preempt;
	memset(&ev, 0, sizeof(ev));
	ev.type = VRRP_EV_PREEMPT_CHANGE;
	ev.preempt = preempt;
	log_info("%s: preempt %s (%s)", in->name, preempt ? "on" : "off",
		 who(o, wbuf, sizeof(wbuf)));
	vrrp_inst_event(in, &ev);
	vrrp_inst_emit(in, VRRP_EVT_PRIORITY);
	return 0;
}

int vrrp_cmd_set_maintenance(uint32_t id, bool on, const struct cmd_origin *o)
{
	struct vrrp_inst *in;
	char wbuf[128];
	int r = cmd_target(id, &in);

	if (r < 0)
		return r;
	if (in->fsm.maintenance == on)
		return 0;
	log_info("%s: maintenance %s (%s)", in->name, on ? "on" : "off",
		 who(o, wbuf, sizeof(wbuf)));
	vrrp_inst_event_type(in, on ? VRRP_EV_MAINTENANCE_ON : VRRP_EV_MAINTENANCE_OFF);
	return 0;
}

int vrrp_cmd_send_garp(uint32_t id, const struct cmd_origin *o)
{
	struct vrrp_inst *in;
	char wbuf[128];
	int r = cmd_target(id, &in);

	if (r < 0)
		return r;
	if (in->fsm.state != VRRP_ST_MASTER || !in->vips_installed)
		return -EAGAIN;
	log_info("%s: gratuitous ARP/NA requested (%s)", in->name, who(o, wbuf, sizeof(wbuf)));
	vrrp_garp_once(in);
	return 0;
}

int vrrp_cmd_reset_stats(uint32_t id, const struct cmd_origin *o)
{
	struct vrrp_inst *in;
	char wbuf[128];
	int r = cmd_target(id, &in);

	if (r < 0)
		return r;
	memset(&in->stats, 0, sizeof(in->stats));
	in->stats.new_master_reason = in->fsm.state == VRRP_ST_MASTER ?
		(enum vrrp_api_master_reason)in->fsm.new_master_reason : VRRP_API_MR_NOT_MASTER;
	in->stats.discontinuity_us = vrrp_now_us();
	log_info("%s: statistics cleared (%s)", in->name, who(o, wbuf, sizeof(wbuf)));
	vrrp_inst_stats_touch(in);
	return 0;
}

int vrrp_cmd_reload(const struct cmd_origin *o)
{
	char wbuf[128];
	pid_t parent = getppid();

	if (vrrp_rt.in_observer)
		return -EBUSY;
	if (parent <= 1)
		return -ESRCH;
	log_info("reload requested (%s)", who(o, wbuf, sizeof(wbuf)));
	return kill(parent, SIGHUP) < 0 ? -errno : 0;
}
