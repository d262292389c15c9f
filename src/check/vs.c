// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtual/real server model: which real servers are alive, the weight
 * each has, and whether each virtual server has its quorum.
 *
 * A real server is alive when it is enabled and every one of its checkers
 * is up (a real server without checkers is always alive). Its weight in
 * force is its configured weight (or the one a command set) plus the
 * changes misc_dynamic checkers made, within 0..65535.
 *
 * Quorum: the sum of the weights of the alive real servers, compared with
 * quorum; hysteresis widens the band: a met quorum is lost when the sum
 * falls below quorum - hysteresis, a lost one is met again when the sum
 * reaches quorum + hysteresis. At start the state is the plain comparison,
 * without scripts. While the quorum is not met, the sorry server (if any)
 * is in service.
 *
 * Each transition is logged once, object first, runs the notify_up/down or
 * quorum_up/down script and goes to the observers (check_api.c). IPVS is
 * programmed elsewhere; this file only decides.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alived/cfg_global.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

/* ---- building ---- */

static size_t cfg_count_rs(const struct cfg_rs *r)
{
	size_t n = 0;

	for (; r; r = r->next)
		n++;
	return n;
}

static size_t cfg_count_chk(const struct cfg_checker *k)
{
	size_t n = 0;

	for (; k; k = k->next)
		n++;
	return n;
}

static void rs_build(struct chk_rs *rs, struct chk_vs *vs, const struct cfg_rs *cfg,
		     uint32_t id, const struct chk_ops *const *ops)
{
	const struct cfg_checker *k;
	size_t i = 0, n = cfg_count_chk(cfg->checkers);

	rs->cfg = cfg;
	rs->vs = vs;
	rs->id = id;
	rs->uid = id;
	rs->weight = cfg->weight > CHK_WEIGHT_MAX ? CHK_WEIGHT_MAX : cfg->weight;
	rs->eff_weight = rs->weight;
	rs->enabled = true;
	rs->n_chk = (uint16_t)(n > UINT16_MAX ? UINT16_MAX : n);
	rs->chk = rs->n_chk ? xcalloc(rs->n_chk, sizeof(*rs->chk)) : NULL;
	for (k = cfg->checkers; k && i < rs->n_chk; k = k->next, i++) {
		chk_init(&rs->chk[i], rs, k, ops[k->type]);
		if (rs->chk[i].up)
			rs->n_up++;
	}
	rs->alive = rs->n_up == rs->n_chk;
}

static void model_release(struct chk_model *m)
{
	for (unsigned t = 0; t < CFG_CHK__COUNT; t++) {
		if (m->prepared[t] && m->ops[t]->release)
			m->ops[t]->release(m);
		m->prepared[t] = false;
	}
}

static int model_prepare(struct chk_model *m)
{
	for (uint32_t v = 0; v < m->n_vs; v++) {
		const struct chk_vs *vs = &m->vs[v];

		for (uint32_t r = 0; r < vs->n_rs; r++) {
			const struct chk_rs *rs = &vs->rs[r];

			for (unsigned i = 0; i < rs->n_chk; i++) {
				enum cfg_chk_type t = rs->chk[i].cfg->type;
				int e;

				if (!m->ops[t] || m->prepared[t])
					continue;
				if (m->ops[t]->prepare) {
					e = m->ops[t]->prepare(m);
					if (e < 0)
						return e;
				}
				m->prepared[t] = true;
			}
		}
	}
	return 0;
}

int chk_model_new(struct ev_loop *loop, const struct cfg_root *root,
		  const struct chk_ops *const *ops, struct chk_model **ret_model)
{
	const struct cfg_global *g = root->global;
	const struct cfg_vs *cv;
	struct chk_model *m;
	uint32_t n = 0, v = 0;
	int r;

	for (cv = root->check ? root->check->vs : NULL; cv; cv = cv->next)
		n++;
	m = xcalloc(1, sizeof(*m));
	m->loop = loop;
	m->root = root;
	m->ops = ops;
	m->rng = g && g->random_seed_given ? g->random_seed : (uint64_t)getpid() ^ ev_time_us();
	m->rng = m->rng * 0x9e3779b97f4a7c15ULL + 1;	/* never 0 */
	m->n_vs = n;
	m->next_vs_uid = n + 1;
	m->vs = n ? xcalloc(n, sizeof(*m->vs)) : NULL;
	for (cv = root->check ? root->check->vs : NULL; cv; cv = cv->next, v++) {
		struct chk_vs *vs = &m->vs[v];
		const struct cfg_rs *cr;
		uint32_t i = 0;

		vs->cfg = cv;
		vs->m = m;
		vs->id = v + 1;
		vs->uid = v + 1;
		vs->n_rs = (uint32_t)cfg_count_rs(cv->rs);
		vs->next_rs_uid = vs->n_rs + 1;
		vs->rs = vs->n_rs ? xcalloc(vs->n_rs, sizeof(*vs->rs)) : NULL;
		for (cr = cv->rs; cr; cr = cr->next, i++)
			rs_build(&vs->rs[i], vs, cr, i + 1, ops);
	}
	chk_scripts_prepare(m);
	r = model_prepare(m);
	if (r < 0) {
		chk_model_free(m);
		return r;
	}
	*ret_model = m;
	return 0;
}

void chk_model_free(struct chk_model *m)
{
	if (!m)
		return;
	if (!m->stopping)
		chk_model_stop(m, false);
	model_release(m);
	chk_scripts_release(m);
	for (uint32_t v = 0; v < m->n_vs; v++) {
		for (uint32_t r = 0; r < m->vs[v].n_rs; r++)
			free(m->vs[v].rs[r].chk);
		free(m->vs[v].rs);
	}
	free(m->vs);
	free(m);
}

/* ---- reload: carrying states over ---- */

static bool vs_same(const struct cfg_vs *a, const struct cfg_vs *b)
{
	if (a->kind != b->kind || a->protocol != b->protocol || a->eff_family != b->eff_family)
		return false;
	switch (a->kind) {
	case CFG_VS_ADDR:
		return a->port == b->port && cfg_addr_equal(&a->addr, &b->addr);
	case CFG_VS_FWMARK:
		return a->fwmark == b->fwmark;
	default:
		return a->group && b->group && strcmp(a->group, b->group) == 0;
	}
}

/* The real server of vs matching cfg and not taken yet (a duplicate line
 * must not share a uid), or NULL. Tries the same position first. */
static const struct chk_rs *rs_find(const struct chk_vs *vs, const struct cfg_rs *cfg,
				    uint32_t pos, const bool *taken, uint32_t *ret_idx)
{
	for (uint32_t k = 0; k <= vs->n_rs; k++) {
		uint32_t i = k == 0 ? pos : k - 1;
		const struct cfg_rs *o;

		if (i >= vs->n_rs || taken[i] || (k && i == pos))
			continue;
		o = vs->rs[i].cfg;
		if (o->eff_port == cfg->eff_port && cfg_addr_equal(&o->addr, &cfg->addr)) {
			*ret_idx = i;
			return &vs->rs[i];
		}
	}
	return NULL;
}

static void rs_adopt(struct chk_rs *rs, const struct chk_rs *old)
{
	rs->n_up = 0;
	for (unsigned i = 0; i < rs->n_chk; i++) {
		struct chk *c = &rs->chk[i];

		if (i < old->n_chk && old->chk[i].cfg->type == c->cfg->type && c->ops) {
			const struct chk *o = &old->chk[i];

			c->up = o->up;
			c->last = o->last;
			c->n_checks = o->n_checks;
			c->n_failed = o->n_failed;
			c->dyn_delta = o->dyn_delta;
		}
		if (c->up)
			rs->n_up++;
	}
	rs->uid = old->uid;
	/* what commands set outlives a reload, not the configured values */
	if (old->weight_cmd) {
		rs->weight = old->weight;
		rs->weight_cmd = true;
	}
	rs->enabled = old->enabled;
	rs->alive = rs->enabled && rs->n_up == rs->n_chk;
	rs->last = old->last;
	rs->last_type = old->last_type;
	rs->last_change_us = old->last_change_us;
	rs->eff_weight = chk_rs_weight(rs);
}

static void vs_adopt(struct chk_vs *vs, const struct chk_vs *ov)
{
	bool *taken = xcalloc(ov->n_rs ? ov->n_rs : 1, sizeof(*taken));

	vs->adopted = true;
	vs->uid = ov->uid;
	vs->suspended = ov->suspended;	/* chk_suspend_setup() revises it */
	vs->quorum_met = ov->quorum_met;
	vs->sorry_active = ov->sorry_active;
	vs->last_change_us = ov->last_change_us;
	vs->next_rs_uid = ov->next_rs_uid;
	for (uint32_t r = 0; r < vs->n_rs; r++) {
		uint32_t idx = 0;
		const struct chk_rs *o = rs_find(ov, vs->rs[r].cfg, r, taken, &idx);

		if (o) {
			taken[idx] = true;
			rs_adopt(&vs->rs[r], o);
		} else {
			/* new: a uid above any the old model gave */
			vs->rs[r].uid = vs->next_rs_uid++;
		}
	}
	free(taken);
}

void chk_model_adopt(struct chk_model *m, const struct chk_model *old)
{
	bool *taken = xcalloc(old->n_vs ? old->n_vs : 1, sizeof(*taken));
	uint32_t next = old->next_vs_uid;

	for (uint32_t v = 0; v < m->n_vs; v++) {
		struct chk_vs *vs = &m->vs[v];
		const struct chk_vs *ov = NULL;
		uint32_t j;

		/* the same position first: the usual reload changes little */
		if (v < old->n_vs && !taken[v] && vs_same(vs->cfg, old->vs[v].cfg)) {
			j = v;
		} else {
			for (j = 0; j < old->n_vs; j++)
				if (!taken[j] && vs_same(vs->cfg, old->vs[j].cfg))
					break;
		}
		if (j < old->n_vs) {
			taken[j] = true;
			ov = &old->vs[j];
		}
		if (ov)
			vs_adopt(vs, ov);
		else
			vs->uid = next++;
	}
	m->next_vs_uid = next;
	free(taken);
}

/* ---- weights and quorum ---- */

uint32_t chk_rs_weight(const struct chk_rs *rs)
{
	int64_t w = rs->weight;

	for (unsigned i = 0; i < rs->n_chk; i++)
		w += rs->chk[i].dyn_delta;
	if (w < 0)
		w = 0;
	if (w > CHK_WEIGHT_MAX)
		w = CHK_WEIGHT_MAX;
	return (uint32_t)w;
}

static void vs_sum(struct chk_vs *vs)
{
	uint64_t sum = 0;
	uint32_t n = 0;

	for (uint32_t i = 0; i < vs->n_rs; i++) {
		if (!vs->rs[i].alive)
			continue;
		n++;
		sum += vs->rs[i].eff_weight;
	}
	vs->alive_weight = sum;
	vs->n_alive = n;
}

static void vs_sorry_update(struct chk_vs *vs, const char *label)
{
	const struct cfg_sorry *s = &vs->cfg->sorry;
	bool active = s->set && !vs->quorum_met;
	char a[CHK_LABEL_MAX];

	if (active == vs->sorry_active)
		return;
	vs->sorry_active = active;
	chk_addr_label(&s->addr, s->port ? s->port : vs->cfg->port, a, sizeof(a));
	log_notice("VS %s: sorry server %s %s", label, a, active ? "in service" : "out of service");
}

static void vs_quorum_update(struct chk_vs *vs)
{
	const struct cfg_vs *c = vs->cfg;
	struct chk_evt_info ev = { .evt = CHK_EVT_QUORUM, .vs_id = vs->id, .vs_uid = vs->uid };
	char label[CHK_LABEL_MAX];
	bool met = vs->quorum_met;

	vs_sum(vs);
	/* compare with additions: quorum - hysteresis may be negative */
	if (met && vs->alive_weight + c->hysteresis < c->quorum)
		met = false;
	else if (!met && vs->alive_weight >= (uint64_t)c->quorum + c->hysteresis)
		met = true;
	if (met == vs->quorum_met)
		return;
	vs->quorum_met = met;
	vs->last_change_us = ev_now_us(vs->m->loop);
	chk_vs_label(vs, label, sizeof(label));
	snprintf(ev.reason, sizeof(ev.reason), "alive weight %" PRIu64 ", quorum %" PRIu32
		 " hysteresis %" PRIu32, vs->alive_weight, c->quorum, c->hysteresis);
	log_notice("VS %s: quorum %s (%s)", label, met ? "met" : "lost", ev.reason);
	vs_sorry_update(vs, label);
	if (!vs->m->stopping) {
		char what[CHK_LABEL_MAX + 16];

		snprintf(what, sizeof(what), "VS %s %s", label, met ? "quorum_up" : "quorum_down");
		chk_script_run(vs->m, met ? &c->quorum_up : &c->quorum_down, what);
	}
	ev.old_up = !met;
	ev.new_up = met;
	ev.weight = (uint32_t)(vs->alive_weight > UINT32_MAX ? UINT32_MAX : vs->alive_weight);
	chk_api_emit(&ev);
}

/* ---- real server transitions ---- */

static void rs_notify(struct chk_rs *rs, const char *label)
{
	char what[CHK_LABEL_MAX + 16];

	snprintf(what, sizeof(what), "%s %s", label, rs->alive ? "notify_up" : "notify_down");
	chk_script_run(rs->vs->m, rs->alive ? &rs->cfg->notify_up : &rs->cfg->notify_down, what);
}

static void rs_update(struct chk_rs *rs, enum chk_result res, const char *reason)
{
	struct chk_evt_info ev = {
		.evt = CHK_EVT_RS_STATE, .vs_id = rs->vs->id, .rs_id = rs->id, .result = res,
		.vs_uid = rs->vs->uid, .rs_uid = rs->uid,
	};
	char label[CHK_LABEL_MAX];
	bool alive = rs->enabled && rs->n_up == rs->n_chk;

	if (alive == rs->alive)
		return;
	rs->alive = alive;
	rs->last_change_us = ev_now_us(rs->vs->m->loop);
	chk_rs_label(rs, label, sizeof(label));
	log_notice("%s: %s (%s)", label, alive ? "UP" : "DOWN", reason);
	if (!rs->vs->m->stopping)
		rs_notify(rs, label);
	ev.old_up = !alive;
	ev.new_up = alive;
	ev.weight = rs->eff_weight;
	snprintf(ev.reason, sizeof(ev.reason), "%s", reason);
	chk_api_emit(&ev);
	vs_quorum_update(rs->vs);
}

void chk_vs_checker_changed(struct chk *c, enum chk_result res, const char *reason)
{
	struct chk_rs *rs = c->rs;
	char label[CHK_LABEL_MAX];

	if (c->up)
		rs->n_up++;
	else if (rs->n_up)
		rs->n_up--;
	if (rs->n_chk > 1) {
		/* the real server line alone would not say which checker moved */
		chk_rs_label(rs, label, sizeof(label));
		log_info("%s: checker %s (%s); %u of %u checkers up", label,
			 c->up ? "up" : "down", reason, (unsigned)rs->n_up, (unsigned)rs->n_chk);
	}
	if (c->up && rs->n_up == rs->n_chk && rs->n_chk > 1)
		reason = "all checkers up";
	rs_update(rs, res, reason);
}

void chk_vs_weight_changed(struct chk_rs *rs, const char *why)
{
	struct chk_evt_info ev = {
		.evt = CHK_EVT_WEIGHT, .vs_id = rs->vs->id, .rs_id = rs->id,
		.vs_uid = rs->vs->uid, .rs_uid = rs->uid,
	};
	uint32_t w = chk_rs_weight(rs);
	char label[CHK_LABEL_MAX];

	if (w == rs->eff_weight)
		return;
	chk_rs_label(rs, label, sizeof(label));
	log_notice("%s: weight %" PRIu32 " -> %" PRIu32 " (%s)", label, rs->eff_weight, w, why);
	rs->eff_weight = w;
	ev.old_up = ev.new_up = rs->alive;
	ev.weight = w;
	snprintf(ev.reason, sizeof(ev.reason), "%s", why);
	chk_api_emit(&ev);
	if (rs->alive)
		vs_quorum_update(rs->vs);
}

void chk_vs_set_enabled(struct chk_rs *rs, bool enabled, const char *origin)
{
	char label[CHK_LABEL_MAX], why[64];

	if (rs->enabled == enabled)
		return;
	rs->enabled = enabled;
	chk_rs_label(rs, label, sizeof(label));
	log_notice("%s: %s by %s", label, enabled ? "enabled" : "disabled", origin);
	snprintf(why, sizeof(why), "%s by %s", enabled ? "enabled" : "disabled", origin);
	rs_update(rs, CHK_NONE, why);
}

void chk_vs_suspend(struct chk_vs *vs, bool suspend, const char *why)
{
	char label[CHK_LABEL_MAX];

	if (vs->suspended == suspend)
		return;
	vs->suspended = suspend;
	log_notice("VS %s: checks %s (ha_suspend: %s)", chk_vs_label(vs, label, sizeof(label)),
		   suspend ? "suspended" : "resumed", why);
	if (!vs->m->started || vs->m->stopping)
		return;	/* vs_start() honours it */
	for (uint32_t i = 0; i < vs->n_rs; i++)
		for (unsigned k = 0; k < vs->rs[i].n_chk; k++) {
			struct chk *c = &vs->rs[i].chk[k];

			if (suspend) {
				chk_cancel(c);
				c->tries = 0;
				c->step = 0;
			} else {
				chk_schedule(c, c->ops && c->ops->no_warmup ? 0 :
					     chk_random_us(vs->m, c->cfg->eff.warmup_us));
			}
		}
}

/* ---- start and stop ---- */

static void vs_start(struct chk_vs *vs, bool first_start)
{
	const struct cfg_global *g = vs->m->root->global;
	const struct cfg_vs *c = vs->cfg;
	char label[CHK_LABEL_MAX];

	chk_vs_label(vs, label, sizeof(label));
	vs_sum(vs);
	if (!vs->adopted) {
		vs->quorum_met = vs->alive_weight >= c->quorum;
		log_info("VS %s: %" PRIu32 " real servers, %" PRIu32 " alive (weight %" PRIu64
			 "), quorum %" PRIu32 " %s", label, vs->n_rs, vs->n_alive, vs->alive_weight,
			 c->quorum, vs->quorum_met ? "met" : "not met");
		vs_sorry_update(vs, label);
		if (first_start && g && g->rs_init_notifies) {
			for (uint32_t i = 0; i < vs->n_rs; i++) {
				char l[CHK_LABEL_MAX];

				rs_notify(&vs->rs[i], chk_rs_label(&vs->rs[i], l, sizeof(l)));
			}
		}
	} else {
		/* states adopted from before the reload: act on real changes only */
		vs_quorum_update(vs);
	}
	for (uint32_t i = 0; i < vs->n_rs; i++) {
		struct chk_rs *rs = &vs->rs[i];

		for (unsigned k = 0; k < rs->n_chk; k++) {
			struct chk *ck = &rs->chk[k];

			if (vs->suspended)
				continue;	/* chk_vs_suspend() starts them */
			if (!ck->ops) {
				char l[CHK_LABEL_MAX];

				log_warn("%s: %s is not run by alived; it counts as passing",
					 chk_rs_label(rs, l, sizeof(l)),
					 cfg_chk_type_name(ck->cfg->type));
				continue;
			}
			chk_schedule(ck, ck->ops->no_warmup ? 0 :
				     chk_random_us(vs->m, ck->cfg->eff.warmup_us));
		}
	}
}

void chk_model_start(struct chk_model *m, bool first_start)
{
	m->started = true;
	for (uint32_t v = 0; v < m->n_vs; v++)
		vs_start(&m->vs[v], first_start);
}

void chk_model_stop(struct chk_model *m, bool run_omega)
{
	m->stopping = true;
	for (uint32_t v = 0; v < m->n_vs; v++) {
		struct chk_vs *vs = &m->vs[v];

		for (uint32_t r = 0; r < vs->n_rs; r++)
			for (unsigned k = 0; k < vs->rs[r].n_chk; k++)
				chk_cancel(&vs->rs[r].chk[k]);
	}
	if (!run_omega || !m->started)
		return;
	/* omega: the shutdown takes every real server and quorum down */
	for (uint32_t v = 0; v < m->n_vs; v++) {
		struct chk_vs *vs = &m->vs[v];
		char label[CHK_LABEL_MAX], what[CHK_LABEL_MAX + 16];

		if (!vs->cfg->omega)
			continue;
		for (uint32_t r = 0; r < vs->n_rs; r++) {
			if (!vs->rs[r].alive)
				continue;
			chk_rs_label(&vs->rs[r], label, sizeof(label));
			snprintf(what, sizeof(what), "%s notify_down", label);
			chk_script_run_detached(m, &vs->rs[r].cfg->notify_down, what);
		}
		if (vs->quorum_met) {
			chk_vs_label(vs, label, sizeof(label));
			snprintf(what, sizeof(what), "VS %s quorum_down", label);
			chk_script_run_detached(m, &vs->cfg->quorum_down, what);
		}
	}
}

/* ---- dumps ---- */

static void dump_rs(const struct chk_rs *rs, FILE *out, bool stats)
{
	char a[CHK_LABEL_MAX];

	chk_addr_label(&rs->cfg->addr, rs->cfg->eff_port, a, sizeof(a));
	fprintf(out, "    real_server %s {\n", a);
	if (!stats) {
		fprintf(out, "        state %s%s\n", rs->alive ? "alive" : "dead",
			rs->enabled ? "" : " (disabled)");
		fprintf(out, "        weight %" PRIu32 " (configured %" PRIu32 ")%s\n",
			rs->eff_weight, rs->cfg->weight,
			!rs->alive && rs->cfg->eff_inhibit_on_failure ? ", inhibited" : "");
	}
	for (unsigned i = 0; i < rs->n_chk; i++) {
		const struct chk *c = &rs->chk[i];

		if (stats)
			fprintf(out, "        %s checks %" PRIu32 " failed %" PRIu32 "\n",
				cfg_chk_type_name(c->cfg->type), c->n_checks, c->n_failed);
		else
			fprintf(out, "        %s %s, last result: %s\n",
				cfg_chk_type_name(c->cfg->type), c->up ? "up" : "down",
				chk_result_name((enum chk_result)c->last));
	}
	fprintf(out, "    }\n");
}

static void dump(const struct chk_model *m, FILE *out, bool stats)
{
	char label[CHK_LABEL_MAX];

	fprintf(out, "# checker %s\n", stats ? "counters" : "state");
	for (uint32_t v = 0; v < m->n_vs; v++) {
		const struct chk_vs *vs = &m->vs[v];

		fprintf(out, "virtual_server %s {\n", chk_vs_label(vs, label, sizeof(label)));
		if (!stats) {
			fprintf(out, "    quorum %" PRIu32 " %s (alive weight %" PRIu64 ", %" PRIu32
				" of %" PRIu32 " real servers alive)\n", vs->cfg->quorum,
				vs->quorum_met ? "met" : "not met", vs->alive_weight, vs->n_alive,
				vs->n_rs);
			if (vs->cfg->sorry.set)
				fprintf(out, "    sorry_server %s %s\n",
					chk_addr_label(&vs->cfg->sorry.addr, vs->cfg->sorry.port ?
						       vs->cfg->sorry.port : vs->cfg->port, label,
						       sizeof(label)),
					vs->sorry_active ? "in service" : "standby");
		}
		for (uint32_t r = 0; r < vs->n_rs; r++)
			dump_rs(&vs->rs[r], out, stats);
		fprintf(out, "}\n");
	}
}

void chk_model_dump(const struct chk_model *m, FILE *out)
{
	dump(m, out, false);
}

void chk_model_dump_stats(const struct chk_model *m, FILE *out)
{
	dump(m, out, true);
}

void chk_model_clear_stats(struct chk_model *m)
{
	for (uint32_t v = 0; v < m->n_vs; v++)
		for (uint32_t r = 0; r < m->vs[v].n_rs; r++)
			for (unsigned k = 0; k < m->vs[v].rs[r].n_chk; k++) {
				m->vs[v].rs[r].chk[k].n_checks = 0;
				m->vs[v].rs[r].chk[k].n_failed = 0;
			}
}
