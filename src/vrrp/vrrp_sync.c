// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sync groups (vrrp_sync_group): instances that change state together, so
 * that for example the inside and the outside address of a router move as
 * one.
 *
 *  - A member that becomes MASTER pulls the others: a BACKUP member takes
 *    over after its Skew_Time, as if its master had sent priority 0
 *    (RFC 5798 §6.4.2), unless a better master is heard meanwhile.
 *  - A member that leaves MASTER for BACKUP pushes the other masters out:
 *    they leave with a priority-0 advert and become BACKUP.
 *  - A member in fault of its own (interface, tracking) holds every other
 *    member in FAULT until no member has a fault of its own any more; then
 *    all start again as backups.
 *
 * Moves made by the group do not echo (busy), so a group cannot chase its
 * own tail within one event. The group's state is derived from its
 * members' (see vrrp_api.h) after each member transition; a change runs
 * the group's notify scripts (vrrp_notify.c).
 *
 * The engine's state machine (vrrp_fsm.c) is not changed by this: the
 * moves are ordinary events (maintenance on/off from MASTER, a priority-0
 * advert to a BACKUP, FAULT / FAULT_CLEAR), wrapped in
 * vrrp_inst_sync_force() and vrrp_inst_apply().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alived/xalloc.h"
#include "vrrp/vrrp.h"

static enum vrrp_api_state derive(const struct vrrp_sync *g)
{
	unsigned master = 0, backup = 0, fault = 0, stop = 0;

	for (unsigned k = 0; k < g->n_members; k++) {
		switch (g->members[k]->fsm.state) {
		case VRRP_ST_MASTER:
			master++;
			break;
		case VRRP_ST_BACKUP:
			backup++;
			break;
		case VRRP_ST_FAULT:
			fault++;
			break;
		case VRRP_ST_STOP:
			stop++;
			break;
		default:
			break;
		}
	}
	if (!g->n_members)
		return VRRP_API_ST_INIT;
	if (fault)
		return VRRP_API_ST_FAULT;
	if (master == g->n_members)
		return VRRP_API_ST_MASTER;
	if (stop == g->n_members)
		return VRRP_API_ST_STOP;
	if (master || backup)
		return VRRP_API_ST_BACKUP;
	return VRRP_API_ST_INIT;
}

static void recompute(struct vrrp_sync *g)
{
	enum vrrp_api_state st = derive(g), old = g->state;

	if (st == old)
		return;
	g->state = st;
	g->last_transition_us = vrrp_now_us();
	g->last_wall_s = (int64_t)time(NULL);
	log_info("sync group %s: %s -> %s", g->name, vrrp_api_state_name(old),
		 vrrp_api_state_name(st));
	if (st == VRRP_API_ST_MASTER || st == VRRP_API_ST_BACKUP || st == VRRP_API_ST_FAULT)
		vrrp_notify_sync(g);	/* STOP: vrrp_sync_stop(), after the members */
}

void vrrp_sync_member_changed(struct vrrp_inst *in, enum vrrp_state old_state,
			      enum vrrp_state new_state)
{
	struct vrrp_sync *g = in->sync;
	struct vrrp_inst *m;

	if (!g)
		return;
	if (!g->busy) {
		g->busy++;
		for (unsigned k = 0; k < g->n_members; k++) {
			m = g->members[k];
			if (m == in)
				continue;
			if (new_state == VRRP_ST_MASTER && m->fsm.state == VRRP_ST_BACKUP)
				vrrp_inst_sync_force(m, VRRP_ST_MASTER, g->name);
			else if (old_state == VRRP_ST_MASTER && new_state == VRRP_ST_BACKUP &&
				 m->fsm.state == VRRP_ST_MASTER)
				vrrp_inst_sync_force(m, VRRP_ST_BACKUP, g->name);
		}
		g->busy--;
	}
	recompute(g);
}

void vrrp_sync_fault_update(struct vrrp_sync *g)
{
	unsigned own = 0;
	struct vrrp_inst *m;

	for (unsigned k = 0; k < g->n_members; k++) {
		m = g->members[k];
		own += m->fault_if || m->fault_track;
	}
	for (unsigned k = 0; k < g->n_members; k++) {
		bool want;

		m = g->members[k];
		want = own > (unsigned)(m->fault_if || m->fault_track);
		if (m->fault_sync == want)
			continue;
		m->fault_sync = want;
		vrrp_inst_apply(m);
	}
}

/* ------------------------------------------------------------------ */
/* Building */

static struct vrrp_inst *inst_by_name(const char *name)
{
	struct vrrp_inst *in;

	for (in = vrrp_rt.insts; in; in = in->next)
		if (!strcmp(in->name, name))
			return in;
	return NULL;
}

static void sync_free(struct vrrp_sync *g)
{
	free(g->members);
	free(g);
}

void vrrp_sync_detach_all(void)
{
	struct vrrp_inst *in;
	struct vrrp_sync *g;

	for (in = vrrp_rt.insts; in; in = in->next)
		in->sync = NULL;
	for (g = vrrp_rt.syncs; g; g = g->next)
		g->n_members = 0;	/* members may be freed before the next build */
}

/* Inserts g in ID order. */
static void insert_sorted(struct vrrp_sync **head, struct vrrp_sync *g)
{
	while (*head && (*head)->id < g->id)
		head = &(*head)->next;
	g->next = *head;
	*head = g;
}

static struct vrrp_sync *take_old(struct vrrp_sync **old, const char *name)
{
	struct vrrp_sync *g;

	for (; (g = *old); old = &g->next)
		if (!strcmp(g->name, name)) {
			*old = g->next;
			return g;
		}
	return NULL;
}

static void members_build(struct vrrp_sync *g, const struct cfg_vrrp_sync *c)
{
	struct vrrp_inst *in;

	free(g->members);
	g->members = xcalloc(c->group.n ? c->group.n : 1, sizeof(*g->members));
	g->n_members = 0;
	for (size_t k = 0; k < c->group.n; k++) {
		in = inst_by_name(c->group.v[k]);
		if (!in || in->sync)
			continue;	/* validated; an instance that failed to start */
		in->sync = g;
		in->own_fault_seen = in->fault_if || in->fault_track;
		g->members[g->n_members++] = in;
	}
}

void vrrp_sync_build(void)
{
	const struct cfg_vrrp_sync *c;
	struct vrrp_sync *old = vrrp_rt.syncs, *fresh = NULL, *g, *next;
	struct vrrp_inst *in;

	if (!vrrp_rt.next_sync_id)
		vrrp_rt.next_sync_id = 1;
	for (in = vrrp_rt.insts; in; in = in->next)
		in->sync = NULL;
	for (c = vrrp_rt.root->vrrp->syncs; c; c = c->next) {
		g = take_old(&old, c->name);
		if (!g) {
			g = xcalloc(1, sizeof(*g));
			g->id = vrrp_rt.next_sync_id++;
			snprintf(g->name, sizeof(g->name), "%s", c->name);
			g->state = VRRP_API_ST_INIT;
		}
		g->cfg = c;
		members_build(g, c);
		insert_sorted(&fresh, g);
	}
	for (g = old; g; g = next) {
		next = g->next;
		log_info("sync group %s: removed by the new configuration", g->name);
		sync_free(g);
	}
	vrrp_rt.syncs = fresh;
	/* an instance that left its group is no longer held by it */
	for (in = vrrp_rt.insts; in; in = in->next)
		if (!in->sync && in->fault_sync) {
			in->fault_sync = false;
			vrrp_inst_apply(in);
		}
	for (g = vrrp_rt.syncs; g; g = g->next) {
		vrrp_sync_fault_update(g);
		recompute(g);
	}
}

void vrrp_sync_stop(void)
{
	struct vrrp_sync *g;

	for (g = vrrp_rt.syncs; g; g = g->next) {
		if (g->state == VRRP_API_ST_INIT || g->state == VRRP_API_ST_STOP)
			continue;
		log_info("sync group %s: %s -> STOP", g->name, vrrp_api_state_name(g->state));
		g->state = VRRP_API_ST_STOP;
		g->last_transition_us = vrrp_now_us();
		g->last_wall_s = (int64_t)time(NULL);
		vrrp_notify_sync(g);
	}
}

void vrrp_sync_free_all(void)
{
	struct vrrp_sync *g, *next;

	vrrp_sync_detach_all();
	for (g = vrrp_rt.syncs; g; g = next) {
		next = g->next;
		sync_free(g);
	}
	vrrp_rt.syncs = NULL;
}

/* ------------------------------------------------------------------ */
/* Read API and dumps */

struct vrrp_sync *vrrp_sync_by_id(uint32_t id)
{
	struct vrrp_sync *g;

	for (g = vrrp_rt.syncs; g; g = g->next)
		if (g->id == id)
			return g;
	return NULL;
}

void vrrp_sync_info(const struct vrrp_sync *g, struct vrrp_api_sync_info *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->id = g->id;
	snprintf(ret->name, sizeof(ret->name), "%s", g->name);
	ret->state = g->state;
	ret->n_members = g->n_members;
	for (unsigned k = 0; k < g->n_members && k < VRRP_API_SYNC_MEMBERS_MAX; k++)
		ret->members[k] = g->members[k]->id;
	ret->last_transition_us = g->last_transition_us;
	ret->last_transition_wall_s = g->last_wall_s;
}

/* Through the read API, as D-Bus and SNMP see the groups. */
static int dump_one(const struct vrrp_api_sync_info *g, void *ud)
{
	struct vrrp_api_info in;
	uint32_t ids[VRRP_API_SYNC_MEMBERS_MAX];
	FILE *out = ud;
	int n = vrrp_api_sync_members(g->id, ids, VRRP_API_SYNC_MEMBERS_MAX);

	fprintf(out, "vrrp_sync_group %s {\n    id %" PRIu32 "\n    state %s\n", g->name, g->id,
		vrrp_api_state_name(g->state));
	fprintf(out, "    last_transition %" PRId64 "\n    group {", g->last_transition_wall_s);
	for (int k = 0; k < n && k < VRRP_API_SYNC_MEMBERS_MAX; k++)
		if (vrrp_api_get(ids[k], &in) == 0)
			fprintf(out, " %s", in.name);
	fprintf(out, " }\n}\n");
	return 0;
}

void vrrp_sync_dump(FILE *out)
{
	vrrp_api_sync_foreach(dump_one, out);
}
