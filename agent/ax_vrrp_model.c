// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VRRP instances as the RFC tables see them: indexed by ifIndex, VRID
 * and address family (RFC 2787 section 6, RFC 6527 section 7), which
 * change only when an instance appears or goes (start, reload) or its
 * interface is replaced (a new ifIndex). This file keeps one small record
 * per instance, sorted by engine ID, and a generation number that moves
 * whenever a row of the RFC tables would appear, go or move: the tables
 * rebuild their rows when they see a new generation (lazily, at the next
 * request), and not on every state change.
 *
 * It also keeps when each instance left the initialize state, for
 * vrrpOperVirtualRouterUpTime and vrrpv3OperationsUpTime: INIT, FAULT
 * and STOP are "initialize" in both MIBs.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alived/ev.h"
#include "alived/vrrp_api.h"
#include "alived/xalloc.h"
#include "ax_int.h"

static struct {
	unsigned users;
	uint64_t sub;
	struct ax_vr *v;	/* sorted by id */
	size_t n, cap;
	bool stale;		/* re-read the engine before the next use */
	uint64_t gen;
} M;

long ax_vr_status(unsigned st)
{
	switch (st) {
	case VRRP_API_ST_BACKUP:
		return 2;	/* backup */
	case VRRP_API_ST_MASTER:
		return 3;	/* master */
	default:
		return 1;	/* initialize: INIT, FAULT, STOP */
	}
}

static bool ax_vr_is_up(unsigned st)
{
	return ax_vr_status(st) != 1;
}

static int ax_vr_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct ax_vr *)a)->id, y = ((const struct ax_vr *)b)->id;

	return (x > y) - (x < y);
}

static struct ax_vr *ax_vr_find(uint32_t id)
{
	struct ax_vr key = { .id = id };

	if (!M.n)
		return NULL;
	return bsearch(&key, M.v, M.n, sizeof(*M.v), ax_vr_cmp);
}

struct ax_vr_sync {
	struct ax_vr *old;
	size_t n_old;
};

static int ax_vr_one(const struct vrrp_api_info *in, void *ud)
{
	struct ax_vr_sync *s = ud;
	struct ax_vr key = { .id = in->id }, *prev, *r;

	prev = s->n_old ? bsearch(&key, s->old, s->n_old, sizeof(*s->old), ax_vr_cmp) : NULL;
	if (M.n == M.cap) {
		M.cap = M.cap ? M.cap * 2 : 64;
		M.v = xreallocarray(M.v, M.cap, sizeof(*M.v));
	}
	r = &M.v[M.n++];
	r->id = in->id;
	r->ifindex = in->ifindex > 0 ? in->ifindex : 0;
	r->vrid = in->vrid;
	r->version = in->version;
	r->family = in->family;
	r->n_vips = in->n_vips;
	if (prev)
		r->up_us = prev->up_us;
	else if (ax_vr_is_up(in->state))
		r->up_us = in->last_transition_us ? in->last_transition_us : 1;
	else
		r->up_us = 0;
	return 0;
}

/* Re-reads every instance (foreach gives them in increasing ID order). */
static void ax_vr_sync(void)
{
	struct ax_vr_sync s = { .old = M.v, .n_old = M.n };

	M.v = NULL;
	M.n = M.cap = 0;
	vrrp_api_foreach(ax_vr_one, &s);
	free(s.old);
	M.stale = false;
	M.gen++;
}

static void ax_vr_evt(const struct vrrp_evt_info *e, void *ud)
{
	struct vrrp_api_info in;
	struct ax_vr *r;

	(void)ud;
	switch (e->evt) {
	case VRRP_EVT_STATE:
		/* Records of a stale set are still those of their IDs. A new
		 * instance gets its up time from its last transition. */
		r = ax_vr_find(e->id);
		if (!r) {
			M.stale = true;
			return;
		}
		if (!ax_vr_is_up(e->new_state))
			r->up_us = 0;
		else if (!ax_vr_is_up(e->old_state) || !r->up_us)
			r->up_us = ev_now_us(ax_loop());
		/* A state change follows an interface that went or came back. */
		if (vrrp_api_get(e->id, &in) == 0 &&
		    (in.ifindex > 0 ? in.ifindex : 0) != r->ifindex)
			M.stale = true;
		break;
	case VRRP_EVT_ADDED:
	case VRRP_EVT_REMOVED:
	case VRRP_EVT_RELOAD:
		M.stale = true;
		break;
	default:
		break;
	}
}

uint64_t ax_vr_gen(void)
{
	if (M.stale)
		ax_vr_sync();
	return M.gen;
}

const struct ax_vr *ax_vr_all(size_t *ret_n)
{
	ax_vr_gen();
	*ret_n = M.n;
	return M.v;
}

const struct ax_vr *ax_vr_get(uint32_t id)
{
	ax_vr_gen();
	return ax_vr_find(id);
}

/* Reference-counted: each RFC module takes it. */
int ax_vr_init(void)
{
	if (M.users++)
		return 0;
	M.sub = vrrp_api_subscribe(VRRP_EVT_BIT(VRRP_EVT_STATE) | VRRP_EVT_BIT(VRRP_EVT_ADDED) |
				   VRRP_EVT_BIT(VRRP_EVT_REMOVED) | VRRP_EVT_BIT(VRRP_EVT_RELOAD),
				   ax_vr_evt, NULL);
	M.stale = true;
	M.gen = 1;
	return 0;
}

void ax_vr_shutdown(void)
{
	if (!M.users || --M.users)
		return;
	vrrp_api_unsubscribe(M.sub);
	free(M.v);
	memset(&M, 0, sizeof(M));
	ax_vrrp_cfg_release();	/* the last VRRP part is off */
}
