// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checker engine's read, observer and command API (check_api.h).
 * Reads return copies; observers are called in subscription order;
 * commands act on the running model and log who asked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

struct chk_sub {
	int handle;		/* 0: free slot (unsubscribed) */
	uint32_t mask;
	chk_api_cb cb;
	void *ud;
};

static struct chk_model *api_model;	/* borrowed from chk_child.c */
static struct chk_sub *subs;
static size_t n_subs;
static int next_handle = 1;
static unsigned emitting;		/* nesting depth of chk_api_emit() */

void chk_api_set_model(struct chk_model *m)
{
	api_model = m;
}

struct chk_model *chk_api_model(void)
{
	return api_model;
}

/* ---- observers ---- */

int chk_api_subscribe(uint32_t mask, chk_api_cb cb, void *ud)
{
	subs = xreallocarray(subs, n_subs + 1, sizeof(*subs));
	subs[n_subs] = (struct chk_sub){ .handle = next_handle++, .mask = mask, .cb = cb,
					 .ud = ud };
	return subs[n_subs++].handle;
}

static void subs_compact(void)
{
	size_t j = 0;

	for (size_t i = 0; i < n_subs; i++)
		if (subs[i].handle)
			subs[j++] = subs[i];
	n_subs = j;
	if (!n_subs) {
		free(subs);
		subs = NULL;
	}
}

int chk_api_unsubscribe(int handle)
{
	for (size_t i = 0; i < n_subs; i++) {
		if (subs[i].handle != handle || handle == 0)
			continue;
		subs[i].handle = 0;	/* removed for good after the current emit */
		if (!emitting)
			subs_compact();
		return 0;
	}
	return -ENOENT;
}

void chk_api_emit(const struct chk_evt_info *info)
{
	size_t n = n_subs;

	emitting++;
	/* subscriptions added from a callback see the next event only */
	for (size_t i = 0; i < n && i < n_subs; i++)
		if (subs[i].handle && (subs[i].mask & CHK_EVT_MASK(info->evt)))
			subs[i].cb(info, subs[i].ud);
	if (--emitting == 0)
		subs_compact();
}

/* ---- read ---- */

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

static struct chk_vs *vs_lookup(uint32_t vs_id, int *ret_err)
{
	if (!api_model) {
		*ret_err = -ESRCH;
		return NULL;
	}
	if (vs_id == 0 || vs_id > api_model->n_vs) {
		*ret_err = -ENOENT;
		return NULL;
	}
	return &api_model->vs[vs_id - 1];
}

static struct chk_rs *rs_lookup(uint32_t vs_id, uint32_t rs_id, int *ret_err)
{
	struct chk_vs *vs = vs_lookup(vs_id, ret_err);

	if (!vs)
		return NULL;
	if (rs_id == 0 || rs_id > vs->n_rs) {
		*ret_err = -ENOENT;
		return NULL;
	}
	return &vs->rs[rs_id - 1];
}

static void vs_info(const struct chk_vs *vs, struct chk_vs_info *i)
{
	const struct cfg_vs *c = vs->cfg;

	memset(i, 0, sizeof(*i));
	i->id = vs->id;
	i->kind = c->kind;
	i->addr = c->addr;
	i->port = c->port;
	i->fwmark = c->fwmark;
	copy_str(i->group, sizeof(i->group), c->group);
	i->family = c->eff_family;
	i->protocol = c->protocol;
	i->sched = c->sched;
	i->fwd = c->method.fwd;
	i->persistence_timeout_s = c->persistence_timeout_s;
	i->alpha = c->t.alpha == CFG_TRI_ON;
	i->omega = c->omega;
	i->ha_suspend = c->ha_suspend;
	copy_str(i->virtualhost, sizeof(i->virtualhost), c->virtualhost);
	copy_str(i->snmp_name, sizeof(i->snmp_name), c->snmp_name);
	copy_str(i->quorum_up, sizeof(i->quorum_up), c->quorum_up.cmd);
	copy_str(i->quorum_down, sizeof(i->quorum_down), c->quorum_down.cmd);
	i->quorum = c->quorum;
	i->hysteresis = c->hysteresis;
	i->quorum_met = vs->quorum_met;
	i->alive_weight = vs->alive_weight;
	i->n_rs = vs->n_rs;
	i->n_rs_alive = vs->n_alive;
	i->sorry_set = c->sorry.set;
	i->sorry_active = vs->sorry_active;
	i->sorry_addr = c->sorry.addr;
	i->sorry_port = c->sorry.port ? c->sorry.port : c->port;
	i->last_change_us = vs->last_change_us;
	i->uid = vs->uid;
}

static void rs_info(const struct chk_rs *rs, struct chk_rs_info *i)
{
	const struct cfg_rs *c = rs->cfg;

	memset(i, 0, sizeof(*i));
	i->vs_id = rs->vs->id;
	i->id = rs->id;
	i->addr = c->addr;
	i->port = c->eff_port;
	i->alive = rs->alive;
	i->enabled = rs->enabled;
	i->weight = rs->eff_weight;
	i->cfg_weight = c->weight;
	i->fwd = c->eff_method.fwd;
	i->inhibit_on_failure = c->eff_inhibit_on_failure;
	i->uthreshold = c->uthreshold;
	i->lthreshold = c->lthreshold;
	copy_str(i->notify_up, sizeof(i->notify_up), c->notify_up.cmd);
	copy_str(i->notify_down, sizeof(i->notify_down), c->notify_down.cmd);
	copy_str(i->virtualhost, sizeof(i->virtualhost), c->virtualhost);
	copy_str(i->snmp_name, sizeof(i->snmp_name), c->snmp_name);
	i->n_checkers = rs->n_chk;
	i->n_checkers_up = rs->n_up;
	i->last_result = (enum chk_result)rs->last;
	i->last_type = (enum cfg_chk_type)rs->last_type;
	if (rs->n_chk) {
		const struct cfg_chk_timing *t = &rs->chk[0].cfg->eff;

		i->delay_loop_us = t->delay_loop_us;
		i->connect_timeout_us = t->connect_timeout_us;
		i->delay_before_retry_us = t->delay_before_retry_us;
		i->warmup_us = t->warmup_us;
		i->retry = t->retry;
		i->alpha = t->alpha;
	}
	for (unsigned k = 0; k < rs->n_chk; k++) {
		i->n_checks += rs->chk[k].n_checks;
		i->n_failed += rs->chk[k].n_failed;
	}
	i->last_change_us = rs->last_change_us;
	i->vs_uid = rs->vs->uid;
	i->uid = rs->uid;
	i->weight_by_cmd = rs->weight_cmd;
}

int chk_api_vs_get(uint32_t vs_id, struct chk_vs_info *ret_info)
{
	int err = 0;
	const struct chk_vs *vs = vs_lookup(vs_id, &err);

	if (!vs)
		return err;
	vs_info(vs, ret_info);
	return 0;
}

int chk_api_rs_get(uint32_t vs_id, uint32_t rs_id, struct chk_rs_info *ret_info)
{
	int err = 0;
	const struct chk_rs *rs = rs_lookup(vs_id, rs_id, &err);

	if (!rs)
		return err;
	rs_info(rs, ret_info);
	return 0;
}

uint32_t chk_api_vs_count(void)
{
	return api_model ? api_model->n_vs : 0;
}

/* The virtual server with uid, or NULL; uid == position in the usual case. */
static const struct chk_vs *vs_by_uid(uint32_t uid)
{
	if (uid && uid <= api_model->n_vs && api_model->vs[uid - 1].uid == uid)
		return &api_model->vs[uid - 1];
	for (uint32_t v = 0; v < api_model->n_vs; v++)
		if (api_model->vs[v].uid == uid)
			return &api_model->vs[v];
	return NULL;
}

int chk_api_vs_lookup_uid(uint32_t vs_uid, uint32_t *ret_vs_id)
{
	const struct chk_vs *vs;

	if (!api_model)
		return -ESRCH;
	vs = vs_by_uid(vs_uid);
	if (!vs)
		return -ENOENT;
	*ret_vs_id = vs->id;
	return 0;
}

int chk_api_rs_lookup_uid(uint32_t vs_uid, uint32_t rs_uid, uint32_t *ret_vs_id,
			  uint32_t *ret_rs_id)
{
	const struct chk_vs *vs;

	if (!api_model)
		return -ESRCH;
	vs = vs_by_uid(vs_uid);
	if (!vs || !rs_uid)
		return -ENOENT;
	if (rs_uid <= vs->n_rs && vs->rs[rs_uid - 1].uid == rs_uid) {
		*ret_vs_id = vs->id;
		*ret_rs_id = rs_uid;
		return 0;
	}
	for (uint32_t r = 0; r < vs->n_rs; r++) {
		if (vs->rs[r].uid != rs_uid)
			continue;
		*ret_vs_id = vs->id;
		*ret_rs_id = vs->rs[r].id;
		return 0;
	}
	return -ENOENT;
}

int chk_api_vs_foreach(int (*cb)(const struct chk_vs_info *info, void *ud), void *ud)
{
	struct chk_vs_info info;

	if (!api_model)
		return -ESRCH;
	for (uint32_t v = 0; v < api_model->n_vs; v++) {
		int r;

		vs_info(&api_model->vs[v], &info);
		r = cb(&info, ud);
		if (r)
			return r;
	}
	return 0;
}

int chk_api_rs_foreach(uint32_t vs_id, int (*cb)(const struct chk_rs_info *info, void *ud),
		       void *ud)
{
	struct chk_rs_info info;
	int err = 0;
	const struct chk_vs *vs = vs_lookup(vs_id, &err);

	if (!vs)
		return err;
	for (uint32_t i = 0; i < vs->n_rs; i++) {
		int r;

		rs_info(&vs->rs[i], &info);
		r = cb(&info, ud);
		if (r)
			return r;
	}
	return 0;
}

/* ---- commands ---- */

int chk_cmd_set_weight(uint32_t vs_id, uint32_t rs_id, uint32_t weight, const char *origin)
{
	int err = 0;
	struct chk_rs *rs = rs_lookup(vs_id, rs_id, &err);
	char why[64];

	if (!rs)
		return err;
	if (weight > CHK_WEIGHT_MAX)
		return -ERANGE;
	rs->weight = weight;
	rs->weight_cmd = true;
	snprintf(why, sizeof(why), "set by %s", origin ? origin : "command");
	chk_vs_weight_changed(rs, why);
	return 0;
}

int chk_cmd_set_enabled(uint32_t vs_id, uint32_t rs_id, bool enabled, const char *origin)
{
	int err = 0;
	struct chk_rs *rs = rs_lookup(vs_id, rs_id, &err);

	if (!rs)
		return err;
	chk_vs_set_enabled(rs, enabled, origin ? origin : "command");
	return 0;
}
