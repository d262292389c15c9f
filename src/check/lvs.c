// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IPVS reconciler (lvs.h): wanted table from the configuration and
 * the check API, kernel table through ipvs.c, only the difference
 * applied. Built on the public check API only (alived/check_api.h): read
 * copies, subscribe to transitions.
 *
 * A pass over a virtual server:
 *   1. its services: one, or one per address of its virtual_server_group;
 *   2. its destinations: each configured real server and the sorry
 *      server, each either wanted present (with a weight) or absent;
 *   3. per service: GET_SERVICE (add it or fix its parameters), GET_DEST
 *      dump, then NEW_DEST / SET_DEST / DEL_DEST where they differ.
 * A full pass (start, reload, retry) also releases the services alived
 * manages that the configuration no longer names. Before acting, a pass
 * checks that the check API's model and the configuration it holds agree
 * (same virtual and real servers in the same order): during a reload they
 * may not, for a moment, and then the pass waits for the next event.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "alived/cfg_check.h"
#include "alived/cfg_global.h"
#include "alived/check_api.h"
#include "alived/ev.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/ipvs.h"
#include "check/lvs.h"

#define LVS_RETRY_US	(5ULL * 1000000ULL)	/* after a transient kernel error */
#define LVS_GROUP_MAX	4096u			/* services from one group entry */

/* A service alived manages: created by it, or found and adopted. */
struct lvs_own {
	struct ipvs_service key;
	bool created;
	bool seen;		/* named by the configuration in this full pass */
	uint32_t vs_id;		/* the virtual server that names it (the first one) */
	struct ipvs_dest *dst;	/* destinations alived put (or found) there */
	size_t n_dst;
};

/* A destination the configuration names, and what it should be now. */
struct lvs_dst {
	struct ipvs_dest d;	/* d.af always set */
	bool present;
	bool sorry;
	size_t order;		/* configuration order (the sorry server last) */
};

static int lvs_dst_cmp(const void *a, const void *b);

/* By key, then configuration order: the first of equal keys comes first. */
static int lvs_dst_order_cmp(const void *a, const void *b)
{
	const struct lvs_dst *x = a, *y = b;
	int r = lvs_dst_cmp(x, y);

	return r ? r : (x->order > y->order) - (x->order < y->order);
}

static struct {
	struct ev_loop *loop;
	const struct cfg_root *root;	/* borrowed */
	const struct cfg_vs **vs;	/* by vs_id - 1 */
	uint32_t n_vs;
	uint8_t *dirty;			/* n_vs: reconcile at the next pass */
	struct ipvs_client *ipvs;	/* NULL: no IPVS */
	int sub;			/* check API subscription handle */
	ev_timer_id timer, retry_timer;
	bool running;
	bool full;			/* next pass: everything */
	/* CHK_EVT_RELOAD events and lvs_reload() calls: more events than calls
	 * means L.root may be the old configuration, about to be freed */
	unsigned n_reload_evt, n_reload_call;
	bool retry;			/* the pass met a transient error */
	bool group_cap_logged, dup_logged;
	bool syncd_both;		/* lvs_start() started both sync daemons */
	struct lvs_own *own;
	size_t n_own;
} L;

static bool dont_release;

static bool root_stale(void)
{
	return L.n_reload_evt > L.n_reload_call;
}

void lvs_set_dont_release(bool v)
{
	dont_release = v;
}

/* ---- configuration to IPVS structs ---- */

static uint16_t proto_num(enum cfg_lvs_proto p)
{
	switch (p) {
	case CFG_PROTO_UDP:
		return IPPROTO_UDP;
	case CFG_PROTO_SCTP:
		return IPPROTO_SCTP;
	default:
		return IPPROTO_TCP;
	}
}

static uint32_t fwd_flags(enum cfg_lvs_fwd f)
{
	switch (f) {
	case CFG_FWD_DR:
		return IP_VS_CONN_F_DROUTE;
	case CFG_FWD_TUN:
		return IP_VS_CONN_F_TUNNEL;
	default:
		return IP_VS_CONN_F_MASQ;
	}
}

static void svc_template(const struct cfg_vs *cv, struct ipvs_service *s)
{
	memset(s, 0, sizeof(*s));
	s->af = (uint16_t)cv->eff_family;
	s->protocol = proto_num(cv->protocol);
	snprintf(s->sched_name, sizeof(s->sched_name), "%s", cfg_lvs_sched_name(cv->sched));
	if (cv->persistence_engine)
		snprintf(s->pe_name, sizeof(s->pe_name), "%s", cv->persistence_engine);
	if (cv->persistence_timeout_s) {
		s->flags |= IP_VS_SVC_F_PERSISTENT;
		s->timeout_s = cv->persistence_timeout_s;
	}
	if (cv->ops)
		s->flags |= IP_VS_SVC_F_ONEPACKET;
	if (cv->flag_1 || cv->sh_fallback || cv->mh_fallback)
		s->flags |= IP_VS_SVC_F_SCHED1;
	if (cv->flag_2 || cv->sh_port || cv->mh_port)
		s->flags |= IP_VS_SVC_F_SCHED2;
	if (cv->flag_3)
		s->flags |= IP_VS_SVC_F_SCHED3;
	s->netmask = ipvs_netmask_from_plen(s->af, cv->persistence_granularity);
}

static size_t alen(int af)
{
	return af == AF_INET6 ? 16 : 4;
}

static void addr_inc(union ipvs_addr *a, size_t len)
{
	for (size_t i = len; i-- > 0;)
		if (++a->b[i])
			break;
}

struct svc_vec {
	struct ipvs_service *v;
	size_t n;
};

static void svc_push(struct svc_vec *sv, const struct ipvs_service *s)
{
	sv->v = xreallocarray(sv->v, sv->n + 1, sizeof(*sv->v));
	sv->v[sv->n++] = *s;
}

/* Services first..last (inclusive) of one group entry. */
static void svc_range(struct svc_vec *sv, const struct ipvs_service *tmpl, int af,
		      union ipvs_addr first, const union ipvs_addr *last, uint16_t port)
{
	struct ipvs_service s = *tmpl;
	unsigned n = 0;

	s.af = (uint16_t)af;
	s.port = port;
	/* persistence_granularity is for the virtual server's own family */
	if (s.af != tmpl->af)
		s.netmask = ipvs_netmask_from_plen(s.af, 0);
	for (;;) {
		if (n++ == LVS_GROUP_MAX) {
			if (!L.group_cap_logged)
				log_warn("IPVS: a virtual_server_group entry holds more than %u "
					 "addresses; only the first %u are programmed", LVS_GROUP_MAX,
					 LVS_GROUP_MAX);
			L.group_cap_logged = true;
			return;
		}
		s.addr = first;
		svc_push(sv, &s);
		if (memcmp(first.b, last->b, alen(af)) >= 0)
			return;
		addr_inc(&first, alen(af));
	}
}

static void svc_group_entry(struct svc_vec *sv, const struct ipvs_service *tmpl,
			    const struct cfg_vs *cv, const struct cfg_vsg_entry *e)
{
	union ipvs_addr first, last;
	struct ipvs_service s = *tmpl;
	size_t len;

	if (e->kind == CFG_VSG_FWMARK) {
		s.af = (uint16_t)(e->family ? e->family : cv->eff_family);
		if (s.af != tmpl->af)
			s.netmask = ipvs_netmask_from_plen(s.af, 0);
		s.fwmark = e->fwmark;
		svc_push(sv, &s);
		return;
	}
	len = alen(e->addr.family);
	memset(&first, 0, sizeof(first));
	memcpy(first.b, &e->addr.u, len);
	last = first;
	if (e->kind == CFG_VSG_RANGE) {
		memcpy(last.b, &e->last.u, len);
	} else if (e->addr.has_prefix) {
		for (size_t i = 0; i < len; i++) {
			unsigned bits = e->addr.prefix > i * 8 ? e->addr.prefix - (unsigned)i * 8 : 0;
			uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00u >> bits);

			first.b[i] &= mask;
			last.b[i] = first.b[i] | (uint8_t)~mask;
		}
	}
	svc_range(sv, tmpl, e->addr.family, first, &last, e->port);
}

/* The services of a virtual server, with their parameters. */
static void vs_services(const struct cfg_vs *cv, struct svc_vec *sv)
{
	struct ipvs_service tmpl;

	svc_template(cv, &tmpl);
	switch (cv->kind) {
	case CFG_VS_ADDR:
		memcpy(tmpl.addr.b, &cv->addr.u, alen(cv->addr.family));
		tmpl.port = cv->port;
		svc_push(sv, &tmpl);
		break;
	case CFG_VS_FWMARK:
		tmpl.fwmark = cv->fwmark;
		svc_push(sv, &tmpl);
		break;
	default:
		for (size_t i = 0; cv->eff_group && i < cv->eff_group->n; i++)
			svc_group_entry(sv, &tmpl, cv, &cv->eff_group->v[i]);
		break;
	}
}

static void dest_fill(struct ipvs_dest *d, const struct cfg_addr *a, uint16_t port,
		      const struct cfg_lvs_method *m, const struct cfg_vs *cv)
{
	enum cfg_lvs_fwd f = m->fwd != CFG_FWD_UNSET ? m->fwd : cv->method.fwd;

	memset(d, 0, sizeof(*d));
	d->af = (uint16_t)a->family;
	memcpy(d->addr.b, &a->u, alen(a->family));
	d->port = port;
	d->conn_flags = fwd_flags(f);
	if (f != CFG_FWD_TUN)
		return;
	if (m->fwd == CFG_FWD_UNSET)
		m = &cv->method;
	d->tun_type = m->tun_type == CFG_TUN_GUE ? IP_VS_CONN_F_TUNNEL_TYPE_GUE :
		      m->tun_type == CFG_TUN_GRE ? IP_VS_CONN_F_TUNNEL_TYPE_GRE :
		      IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
	d->tun_port = m->tun_port;
	d->tun_flags = m->tun_csum == CFG_TUN_CSUM_CSUM ? IP_VS_TUNNEL_ENCAP_FLAG_CSUM :
		       m->tun_csum == CFG_TUN_CSUM_REMCSUM ? IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM :
		       IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
}

/* What the check API says about one real server. */
struct rs_state {
	struct cfg_addr addr;
	uint16_t port;
	bool alive, inhibit;
	uint32_t weight, uth, lth;
};

struct rs_vec {
	struct rs_state *v;
	size_t n;
};

static int rs_collect(const struct chk_rs_info *i, void *ud)
{
	struct rs_vec *a = ud;

	a->v = xreallocarray(a->v, a->n + 1, sizeof(*a->v));
	a->v[a->n++] = (struct rs_state){
		.addr = i->addr, .port = i->port, .alive = i->alive,
		.inhibit = i->inhibit_on_failure, .weight = i->weight,
		.uth = i->uthreshold, .lth = i->lthreshold,
	};
	return 0;
}

static bool vs_matches(const struct cfg_vs *cv, const struct chk_vs_info *vi)
{
	if (vi->kind != cv->kind || vi->protocol != cv->protocol || vi->family != cv->eff_family)
		return false;
	switch (cv->kind) {
	case CFG_VS_ADDR:
		return vi->port == cv->port && cfg_addr_equal(&vi->addr, &cv->addr);
	case CFG_VS_FWMARK:
		return vi->fwmark == cv->fwmark;
	default:
		return cv->group && strncmp(vi->group, cv->group, sizeof(vi->group) - 1) == 0;
	}
}

/* Sorts v by key and drops repeated keys: a real server at the place of
 * the sorry server wins, else the first configured. Returns the count. */
static size_t dsts_sort_unique(struct lvs_dst *v, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < n; i++)
		v[i].order = i;
	if (n > 1)
		qsort(v, n, sizeof(*v), lvs_dst_order_cmp);
	for (size_t i = 0; i < n; i++)
		if (!j || lvs_dst_cmp(&v[j - 1], &v[i]) != 0)
			v[j++] = v[i];
	return j;
}

/*
 * The destinations of virtual server vs_id: every configured real server
 * and the sorry server, each present or not. -ESTALE when the check API's
 * model is not the one of L.root (a reload in progress).
 */
static int vs_dests(uint32_t vs_id, struct lvs_dst **ret_v, size_t *ret_n)
{
	const struct cfg_vs *cv = L.vs[vs_id - 1];
	struct rs_vec rv = { NULL, 0 };
	struct chk_vs_info vi;
	struct lvs_dst *v = NULL;
	const struct cfg_rs *cr;
	size_t n = 0, i = 0;
	int r;

	r = chk_api_vs_get(vs_id, &vi);
	if (r < 0 || !vs_matches(cv, &vi))
		return -ESTALE;
	r = chk_api_rs_foreach(vs_id, rs_collect, &rv);
	if (r < 0 || rv.n != vi.n_rs) {
		r = -ESTALE;
		goto out;
	}
	v = xcalloc(rv.n + 1, sizeof(*v));
	for (cr = cv->rs; cr; cr = cr->next, i++) {
		const struct rs_state *s;
		struct lvs_dst *d;

		if (i >= rv.n || rv.v[i].port != cr->eff_port ||
		    !cfg_addr_equal(&rv.v[i].addr, &cr->addr)) {
			r = -ESTALE;
			goto out;
		}
		s = &rv.v[i];
		d = &v[n++];
		dest_fill(&d->d, &cr->addr, cr->eff_port, &cr->eff_method, cv);
		d->d.u_threshold = s->uth;
		d->d.l_threshold = s->lth;
		/* quorum lost with a sorry server: it replaces the alive ones */
		if (s->alive && !vi.sorry_active) {
			d->present = true;
			d->d.weight = s->weight;
		} else if (!s->alive && s->inhibit) {
			d->present = true;
			d->d.weight = 0;
		}
	}
	if (i != rv.n) {
		r = -ESTALE;
		goto out;
	}
	if (cv->sorry.set) {
		struct lvs_dst *d = &v[n++];

		dest_fill(&d->d, &cv->sorry.addr, vi.sorry_port, &cv->sorry.method, cv);
		d->sorry = true;
		d->present = vi.sorry_active || cv->sorry.inhibit;
		d->d.weight = vi.sorry_active ? 1 : 0;
	}
	n = dsts_sort_unique(v, n);
	r = 0;
out:
	free(rv.v);
	if (r < 0) {
		free(v);
		return r;
	}
	*ret_v = v;
	*ret_n = n;
	return 0;
}

/* ---- what alived manages ---- */

static struct lvs_own *own_find(const struct ipvs_service *key)
{
	for (size_t i = 0; i < L.n_own; i++)
		if (ipvs_service_key_cmp(&L.own[i].key, key) == 0)
			return &L.own[i];
	return NULL;
}

static struct lvs_own *own_add(const struct ipvs_service *key, uint32_t vs_id, bool created)
{
	struct lvs_own *o;

	L.own = xreallocarray(L.own, L.n_own + 1, sizeof(*L.own));
	o = &L.own[L.n_own++];
	memset(o, 0, sizeof(*o));
	o->key = *key;
	o->key.has_stats = false;
	o->created = created;
	o->vs_id = vs_id;
	o->seen = true;
	return o;
}

static void own_remove(size_t idx)
{
	free(L.own[idx].dst);
	L.own[idx] = L.own[--L.n_own];
	if (!L.n_own) {
		free(L.own);
		L.own = NULL;
	}
}

/*
 * Destination arrays are kept sorted by key (address family, address,
 * port; the family always filled in), so that a virtual server with
 * thousands of real servers costs O(n log n) a pass, not O(n^2).
 */
static int dest_cmp(const void *a, const void *b)
{
	return ipvs_dest_key_cmp(a, b, 0);
}

static int lvs_dst_cmp(const void *a, const void *b)
{
	return ipvs_dest_key_cmp(&((const struct lvs_dst *)a)->d, &((const struct lvs_dst *)b)->d,
				 0);
}

/* What the kernel listed: family filled in, sorted. */
static void dests_sort(struct ipvs_dest *v, size_t n, uint16_t svc_af)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i].af)
			v[i].af = svc_af;
	if (n > 1)
		qsort(v, n, sizeof(*v), dest_cmp);
}

/* The index of d in the sorted v, or -1 - (where it would go). */
static ssize_t dst_find(const struct ipvs_dest *v, size_t n, const struct ipvs_dest *d)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = ipvs_dest_key_cmp(&v[mid], d, 0);

		if (c == 0)
			return (ssize_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1 - (ssize_t)lo;
}

static bool dst_named(const struct lvs_dst *v, size_t n, const struct ipvs_dest *d)
{
	struct lvs_dst key = { .d = *d };

	return n && bsearch(&key, v, n, sizeof(*v), lvs_dst_cmp) != NULL;
}

static void own_dst_add(struct lvs_own *o, const struct ipvs_dest *d)
{
	ssize_t i = dst_find(o->dst, o->n_dst, d);
	size_t at;

	if (i >= 0)
		return;
	at = (size_t)(-1 - i);
	o->dst = xreallocarray(o->dst, o->n_dst + 1, sizeof(*o->dst));
	memmove(&o->dst[at + 1], &o->dst[at], (o->n_dst - at) * sizeof(*o->dst));
	o->dst[at] = *d;
	o->dst[at].has_stats = false;
	o->n_dst++;
}

static void own_dst_del(struct lvs_own *o, const struct ipvs_dest *d)
{
	ssize_t i = dst_find(o->dst, o->n_dst, d);

	if (i < 0)
		return;
	memmove(&o->dst[i], &o->dst[i + 1], (o->n_dst - (size_t)i - 1) * sizeof(*o->dst));
	o->n_dst--;
}

/* ---- applying ---- */

static void failed(int r)
{
	switch (r) {
	case -ENOMEM:
	case -ENOBUFS:
	case -EAGAIN:
	case -ETIMEDOUT:
	case -EBUSY:
	case -EINTR:
	case -EIO:
	case -EPROTO:
	case -EBADF:
		L.retry = true;
		break;
	default:
		break;
	}
}

static void dst_apply(struct lvs_own *o, const struct ipvs_service *svc, const char *sl,
		      const struct lvs_dst *w, const struct ipvs_dest *kd, size_t n_kd)
{
	ssize_t k = dst_find(kd, n_kd, &w->d);
	const char *what = w->sorry ? "sorry server" : "real server";
	char dl[IPVS_LABEL_MAX];
	int r;

	ipvs_dest_label(&w->d, svc->af, dl, sizeof(dl));
	if (!w->present) {
		if (k >= 0) {
			r = ipvs_dest_del(L.ipvs, svc, &w->d);
			if (r < 0 && r != -ENOENT) {
				log_err_errno(r, "IPVS: %s: cannot remove %s %s", sl, what, dl);
				failed(r);
				return;
			}
			log_info("IPVS: %s: %s %s removed", sl, what, dl);
		}
		own_dst_del(o, &w->d);
		return;
	}
	if (k < 0) {
		r = ipvs_dest_add(L.ipvs, svc, &w->d);
		if (r < 0) {
			log_err_errno(r, "IPVS: %s: cannot add %s %s", sl, what, dl);
			failed(r);
			return;
		}
		log_info("IPVS: %s: %s %s added (%s, weight %" PRIu32 ")", sl, what, dl,
			 ipvs_fwd_name(w->d.conn_flags), w->d.weight);
	} else if (ipvs_dest_params_differ(&w->d, &kd[k])) {
		r = ipvs_dest_edit(L.ipvs, svc, &w->d);
		if (r < 0) {
			log_err_errno(r, "IPVS: %s: cannot change %s %s", sl, what, dl);
			failed(r);
			return;
		}
		log_info("IPVS: %s: %s %s changed (%s, weight %" PRIu32 " -> %s, weight %" PRIu32
			 ")", sl, what, dl, ipvs_fwd_name(kd[k].conn_flags), kd[k].weight,
			 ipvs_fwd_name(w->d.conn_flags), w->d.weight);
	}
	own_dst_add(o, &w->d);
}

static void svc_describe(const struct ipvs_service *s, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", s->sched_name);

	if (n >= 0 && (size_t)n < len && (s->flags & IP_VS_SVC_F_PERSISTENT))
		snprintf(buf + n, len - (size_t)n, ", persistent %" PRIu32 " s", s->timeout_s);
}

/*
 * Makes the service want of virtual server vs_id and its destinations
 * (dst, n_dst) as wanted. A service two virtual servers name (overlapping
 * groups) belongs to the first one; the other is told once.
 */
static void svc_apply(uint32_t vs_id, const struct ipvs_service *want, const struct lvs_dst *dst,
		      size_t n_dst, bool full)
{
	struct ipvs_dest *kd = NULL;
	struct ipvs_service cur;
	struct lvs_own *o = own_find(want);
	char sl[IPVS_LABEL_MAX], d1[64], d2[64];
	size_t n_kd = 0;
	int r;

	ipvs_service_label(want, sl, sizeof(sl));
	if (o && full && !o->seen)
		o->vs_id = vs_id;	/* the first to name it in a full pass */
	if (o && o->vs_id != vs_id) {
		if (!L.dup_logged)
			log_warn("IPVS: %s: named by two virtual servers; the first one rules it",
				 sl);
		L.dup_logged = true;
		return;
	}
	if (o)
		o->seen = true;	/* even if what follows fails: never released for that */
	svc_describe(want, d2, sizeof(d2));
	r = ipvs_service_get(L.ipvs, want, &cur);
	if (r == -ENOENT) {
		r = ipvs_service_add(L.ipvs, want);
		if (r < 0) {
			log_err_errno(r, "IPVS: %s: cannot add the service (%s)", sl, d2);
			failed(r);
			return;
		}
		log_info("IPVS: %s: service added (%s)", sl, d2);
		if (!o)
			o = own_add(want, vs_id, true);
		o->created = true;
	} else if (r < 0) {
		log_err_errno(r, "IPVS: %s: cannot read the service", sl);
		failed(r);
		return;
	} else {
		if (!o) {
			o = own_add(want, vs_id, false);
			log_notice("IPVS: %s: service already in the table; alived manages it now "
				   "and will leave it there on stop", sl);
		}
		if (ipvs_service_params_differ(want, &cur)) {
			svc_describe(&cur, d1, sizeof(d1));
			r = ipvs_service_edit(L.ipvs, want);
			if (r < 0) {
				log_err_errno(r, "IPVS: %s: cannot change the service (%s -> %s)",
					      sl, d1, d2);
				failed(r);
			} else {
				log_info("IPVS: %s: service changed (%s -> %s)", sl, d1, d2);
			}
		}
		r = ipvs_dest_list(L.ipvs, want, &kd, &n_kd);
		if (r < 0) {
			log_err_errno(r, "IPVS: %s: cannot read the real servers", sl);
			failed(r);
			return;
		}
		dests_sort(kd, n_kd, want->af);
	}
	for (size_t i = 0; i < n_dst; i++)
		dst_apply(o, want, sl, &dst[i], kd, n_kd);
	/* what alived put there that the configuration no longer names */
	for (size_t j = o->n_dst; j-- > 0;) {
		struct ipvs_dest d = o->dst[j];
		char dl[IPVS_LABEL_MAX];

		if (dst_named(dst, n_dst, &d))
			continue;
		if (dst_find(kd, n_kd, &d) >= 0) {
			r = ipvs_dest_del(L.ipvs, want, &d);
			if (r < 0 && r != -ENOENT) {
				log_err_errno(r, "IPVS: %s: cannot remove real server %s", sl,
					      ipvs_dest_label(&d, want->af, dl, sizeof(dl)));
				failed(r);
				continue;
			}
			log_info("IPVS: %s: real server %s removed (no longer configured)", sl,
				 ipvs_dest_label(&d, want->af, dl, sizeof(dl)));
		}
		own_dst_del(o, &d);
	}
	free(kd);
}

/*
 * Takes back what alived put in a managed service and forgets it: its
 * destinations, then the service if alived created it and nothing else
 * is left in it. whole: delete a created service without removing its
 * destinations one by one first (lvs_flush_on_stop VS).
 */
static void own_release(size_t idx, bool whole)
{
	struct lvs_own *o = &L.own[idx];
	struct ipvs_dest *kd = NULL;
	size_t n_kd = 0, foreign = 0;
	char sl[IPVS_LABEL_MAX], dl[IPVS_LABEL_MAX];
	int r;

	ipvs_service_label(&o->key, sl, sizeof(sl));
	r = ipvs_dest_list(L.ipvs, &o->key, &kd, &n_kd);
	if (r < 0) {
		log_err_errno(r, "IPVS: %s: cannot read the real servers", sl);
		goto out;
	}
	dests_sort(kd, n_kd, o->key.af);
	for (size_t i = 0; i < n_kd; i++) {
		if (dst_find(o->dst, o->n_dst, &kd[i]) < 0) {
			foreign++;
			continue;
		}
		if (whole && o->created)
			continue;
		r = ipvs_dest_del(L.ipvs, &o->key, &kd[i]);
		if (r < 0 && r != -ENOENT)
			log_err_errno(r, "IPVS: %s: cannot remove real server %s", sl,
				      ipvs_dest_label(&kd[i], o->key.af, dl, sizeof(dl)));
		else
			log_info("IPVS: %s: real server %s removed", sl,
				 ipvs_dest_label(&kd[i], o->key.af, dl, sizeof(dl)));
	}
	if (o->created && !foreign) {
		r = ipvs_service_del(L.ipvs, &o->key);
		if (r < 0 && r != -ESRCH)
			log_err_errno(r, "IPVS: %s: cannot remove the service", sl);
		else if (r == 0)
			log_info("IPVS: %s: service removed", sl);
	} else if (o->created) {
		log_notice("IPVS: %s: service kept: it holds real servers alived did not add (%zu)",
			   sl, foreign);
	}
out:
	free(kd);
	own_remove(idx);
}

/* ---- passes ---- */

/* 0, or -ESTALE when the check API's model is not the one of L.root. */
static int vs_pass(uint32_t vs_id, bool full)
{
	struct svc_vec sv = { NULL, 0 };
	struct lvs_dst *dst = NULL;
	size_t n_dst = 0;
	int r;

	r = vs_dests(vs_id, &dst, &n_dst);
	if (r < 0)
		return r;
	vs_services(L.vs[vs_id - 1], &sv);
	for (size_t i = 0; i < sv.n; i++)
		svc_apply(vs_id, &sv.v[i], dst, n_dst, full);
	free(sv.v);
	free(dst);
	return 0;
}

static bool model_current(void)
{
	struct chk_vs_info vi;

	if (root_stale() || chk_api_vs_count() != L.n_vs)
		return false;
	for (uint32_t v = 1; v <= L.n_vs; v++)
		if (chk_api_vs_get(v, &vi) < 0 || !vs_matches(L.vs[v - 1], &vi))
			return false;
	return true;
}

static void pass_full(void)
{
	if (!model_current()) {
		log_debug(LOG_CAT_CHECK, "IPVS: checker model and configuration differ; waiting");
		return;
	}
	for (size_t i = 0; i < L.n_own; i++)
		L.own[i].seen = false;
	for (uint32_t v = 1; v <= L.n_vs; v++)
		if (vs_pass(v, true) == -ESTALE)
			return;	/* a second guard: release nothing */
	for (size_t i = L.n_own; i-- > 0;)
		if (!L.own[i].seen)
			own_release(i, false);
	L.full = false;
	memset(L.dirty, 0, L.n_vs);
}

static void pass_dirty(void)
{
	for (uint32_t v = 1; v <= L.n_vs; v++) {
		if (!L.dirty[v - 1])
			continue;
		if (vs_pass(v, false) == -ESTALE) {
			log_debug(LOG_CAT_CHECK, "IPVS: virtual server %" PRIu32 " differs from the "
				  "configuration; waiting", v);
			return;
		}
		L.dirty[v - 1] = 0;
	}
}

static void schedule(void);

static void on_retry(void *ud)
{
	(void)ud;
	L.retry_timer = 0;
	L.full = true;
	schedule();
}

static void on_timer(void *ud)
{
	(void)ud;
	L.timer = 0;
	if (!L.ipvs || root_stale())
		return;
	L.retry = false;
	if (L.full)
		pass_full();
	else
		pass_dirty();
	if (L.retry && !L.retry_timer)
		L.retry_timer = ev_timer_add(L.loop, LVS_RETRY_US, on_retry, NULL);
}

static void schedule(void)
{
	if (!L.timer && L.loop)
		L.timer = ev_timer_add(L.loop, 0, on_timer, NULL);
}

static void on_event(const struct chk_evt_info *e, void *ud)
{
	(void)ud;
	if (e->evt == CHK_EVT_RELOAD) {
		/* our root may be the old one until lvs_reload(): do not read it */
		L.n_reload_evt++;
		L.full = true;
	} else if (e->vs_id >= 1 && e->vs_id <= L.n_vs) {
		L.dirty[e->vs_id - 1] = 1;
	} else {
		L.full = true;
	}
	schedule();
}

/* ---- life cycle ---- */

static void index_root(const struct cfg_root *root)
{
	const struct cfg_vs *cv;
	uint32_t n = 0;

	free(L.vs);
	free(L.dirty);
	for (cv = root->check ? root->check->vs : NULL; cv; cv = cv->next)
		n++;
	L.vs = n ? xcalloc(n, sizeof(*L.vs)) : NULL;
	L.dirty = xcalloc(n ? n : 1, 1);
	n = 0;
	for (cv = root->check ? root->check->vs : NULL; cv; cv = cv->next)
		L.vs[n++] = cv;
	L.n_vs = n;
	L.root = root;
}

static int ipvs_connect(bool quiet)
{
	struct ipvs_info info;
	int r = ipvs_open(&L.ipvs);

	if (r == -EPROTONOSUPPORT) {
		if (!quiet)
			log_err("IPVS: this kernel has no IPVS (no generic netlink family \"%s\"); "
				"health checks run, nothing is programmed", IPVS_GENL_NAME);
		return r;
	}
	if (r < 0) {
		if (!quiet)
			log_err_errno(r, "IPVS: cannot open the generic netlink socket; health "
				      "checks run, nothing is programmed");
		return r;
	}
	if (ipvs_get_info(L.ipvs, &info) == 0)
		log_info("IPVS: kernel IPVS %u.%u.%u, connection table size %" PRIu32,
			 info.version >> 16, (info.version >> 8) & 0xff, info.version & 0xff,
			 info.conn_tab_size);
	return 0;
}

static void start_globals(const struct cfg_global *g)
{
	struct ipvs_timeouts t;
	int r;

	if (!g)
		return;
	if (g->lvs_flush) {
		r = ipvs_flush(L.ipvs);
		if (r < 0)
			log_err_errno(r, "IPVS: lvs_flush: cannot flush the table");
		else
			log_info("IPVS: table flushed (lvs_flush)");
	}
	t = (struct ipvs_timeouts){ .tcp_s = g->lvs_timeout_tcp_s,
				    .tcpfin_s = g->lvs_timeout_tcpfin_s,
				    .udp_s = g->lvs_timeout_udp_s };
	if (t.tcp_s || t.tcpfin_s || t.udp_s) {
		r = ipvs_set_timeouts(L.ipvs, &t);
		if (r < 0)
			log_err_errno(r, "IPVS: lvs_timeouts: cannot set them");
	}
	if (g->lvs_syncd.ifname && !g->lvs_syncd.vrrp_instance)
		L.syncd_both = lvs_syncd_set(&g->lvs_syncd, 0, LVS_SYNCD_BOTH) == 0;
}

int lvs_start(struct ev_loop *loop, const struct cfg_root *root)
{
	if (L.running)
		lvs_stop();
	memset(&L, 0, sizeof(L));
	L.loop = loop;
	index_root(root);
	L.running = true;
	L.sub = chk_api_subscribe(CHK_EVT_MASK_ALL, on_event, NULL);
	if (ipvs_connect(false) < 0)
		return 0;
	start_globals(root->global);
	L.full = true;
	on_timer(NULL);		/* the table now, not after the first loop turn */
	return 0;
}

int lvs_reload(const struct cfg_root *root)
{
	if (!L.running)
		return -ESRCH;
	index_root(root);
	/* the engine's CHK_EVT_RELOAD may come before or after this call */
	L.n_reload_call = L.n_reload_call < L.n_reload_evt ? L.n_reload_evt :
			  L.n_reload_evt + 1;
	L.full = true;
	if (!L.ipvs && ipvs_connect(true) == 0)
		log_notice("IPVS: the kernel has IPVS now; programming it");
	schedule();
	return 0;
}

void lvs_stop(void)
{
	const struct cfg_global *g;

	if (!L.running)
		return;
	g = root_stale() ? NULL : L.root->global;
	if (L.timer)
		ev_timer_cancel(L.loop, L.timer);
	if (L.retry_timer)
		ev_timer_cancel(L.loop, L.retry_timer);
	chk_api_unsubscribe(L.sub);
	if (L.ipvs && dont_release) {
		log_info("IPVS: leaving the table as it is (--dont-release-ipvs)");
	} else if (L.ipvs && g && g->lvs_flush_on_stop == CFG_LVS_FLUSH_STOP_ALL) {
		int r = ipvs_flush(L.ipvs);

		if (r < 0)
			log_err_errno(r, "IPVS: cannot flush the table");
		else
			log_info("IPVS: table flushed (lvs_flush_onstop)");
	} else if (L.ipvs) {
		bool whole = g && g->lvs_flush_on_stop == CFG_LVS_FLUSH_STOP_VS;

		while (L.n_own)
			own_release(L.n_own - 1, whole);
	}
	if (L.syncd_both && !dont_release)
		lvs_syncd_set(NULL, 0, LVS_SYNCD_OFF);
	while (L.n_own)
		own_remove(L.n_own - 1);
	ipvs_close(L.ipvs);
	lvs_syncd_close();
	free(L.vs);
	free(L.dirty);
	memset(&L, 0, sizeof(L));
}

/* ---- statistics ---- */

static void stats_add(struct lvs_stats *t, const struct ipvs_stats *s)
{
	t->in_kernel = true;
	t->n_entries++;
	t->conns += s->conns;
	t->inpkts += s->inpkts;
	t->outpkts += s->outpkts;
	t->inbytes += s->inbytes;
	t->outbytes += s->outbytes;
	t->cps += s->cps;
	t->inpps += s->inpps;
	t->outpps += s->outpps;
	t->inbps += s->inbps;
	t->outbps += s->outbps;
}

static int stats_begin(uint32_t vs_id, struct svc_vec *sv)
{
	if (!L.running)
		return -ESRCH;
	if (!L.ipvs)
		return -EPROTONOSUPPORT;
	if (root_stale() || vs_id == 0 || vs_id > L.n_vs)
		return -ENOENT;
	vs_services(L.vs[vs_id - 1], sv);
	return 0;
}

int lvs_get_vs_stats(uint32_t vs_id, struct lvs_stats *ret_stats)
{
	struct svc_vec sv = { NULL, 0 };
	struct lvs_stats t;
	int r = stats_begin(vs_id, &sv);

	memset(&t, 0, sizeof(t));
	for (size_t i = 0; r == 0 && i < sv.n; i++) {
		struct ipvs_service cur;

		r = ipvs_service_get(L.ipvs, &sv.v[i], &cur);
		if (r == 0)
			stats_add(&t, &cur.stats);
		else if (r == -ENOENT)
			r = 0;
	}
	free(sv.v);
	if (r == 0)
		*ret_stats = t;
	return r;
}

int lvs_get_rs_stats(uint32_t vs_id, uint32_t rs_id, struct lvs_stats *ret_stats)
{
	struct svc_vec sv = { NULL, 0 };
	const struct cfg_vs *cv;
	const struct cfg_rs *cr = NULL;
	struct ipvs_dest key;
	struct lvs_stats t;
	int r = stats_begin(vs_id, &sv);

	if (r < 0)
		return r;
	cv = L.vs[vs_id - 1];
	if (rs_id == 0 && cv->sorry.set) {
		dest_fill(&key, &cv->sorry.addr, cv->sorry.port ? cv->sorry.port : cv->port,
			  &cv->sorry.method, cv);
	} else {
		cr = cv->rs;
		for (uint32_t i = 1; cr && i < rs_id; i++)
			cr = cr->next;
		if (rs_id == 0 || !cr) {
			free(sv.v);
			return -ENOENT;
		}
		dest_fill(&key, &cr->addr, cr->eff_port, &cr->eff_method, cv);
	}
	memset(&t, 0, sizeof(t));
	for (size_t i = 0; r == 0 && i < sv.n; i++) {
		struct ipvs_dest *kd = NULL;
		size_t n_kd = 0;
		ssize_t k;

		r = ipvs_dest_list(L.ipvs, &sv.v[i], &kd, &n_kd);
		if (r < 0)
			break;
		dests_sort(kd, n_kd, sv.v[i].af);
		k = dst_find(kd, n_kd, &key);
		if (k >= 0) {
			stats_add(&t, &kd[k].stats);
			t.active_conns += kd[k].active_conns;
			t.inact_conns += kd[k].inact_conns;
			t.persist_conns += kd[k].persist_conns;
		}
		free(kd);
	}
	free(sv.v);
	if (r == 0)
		*ret_stats = t;
	return r;
}

static void dump_line(FILE *out, const char *label, const struct lvs_stats *s)
{
	fprintf(out, "ipvs_stats %s conns %" PRIu64 " inpkts %" PRIu64 " outpkts %" PRIu64
		" inbytes %" PRIu64 " outbytes %" PRIu64 " cps %" PRIu64 " inpps %" PRIu64
		" outpps %" PRIu64 " inbps %" PRIu64 " outbps %" PRIu64 "\n", label, s->conns,
		s->inpkts, s->outpkts, s->inbytes, s->outbytes, s->cps, s->inpps, s->outpps,
		s->inbps, s->outbps);
}

void lvs_dump_stats(FILE *out)
{
	char vl[IPVS_LABEL_MAX + 64], line[2 * IPVS_LABEL_MAX + 80], dl[IPVS_LABEL_MAX];
	struct lvs_stats s;

	if (!L.running || !L.ipvs || root_stale())
		return;
	fprintf(out, "# IPVS counters (kernel)\n");
	for (uint32_t v = 1; v <= L.n_vs; v++) {
		const struct cfg_vs *cv = L.vs[v - 1];
		struct svc_vec sv = { NULL, 0 };
		const struct cfg_rs *cr;
		struct ipvs_dest key;
		uint32_t id = 1;

		vs_services(cv, &sv);
		if (cv->kind == CFG_VS_GROUP || !sv.n)
			snprintf(vl, sizeof(vl), "group %s", cv->group ? cv->group : "?");
		else
			ipvs_service_label(&sv.v[0], vl, sizeof(vl));
		if (lvs_get_vs_stats(v, &s) == 0 && s.in_kernel)
			dump_line(out, vl, &s);
		for (cr = cv->rs; cr; cr = cr->next, id++) {
			if (lvs_get_rs_stats(v, id, &s) < 0 || !s.in_kernel)
				continue;
			dest_fill(&key, &cr->addr, cr->eff_port, &cr->eff_method, cv);
			snprintf(line, sizeof(line), "%s -> %s", vl,
				 ipvs_dest_label(&key, 0, dl, sizeof(dl)));
			dump_line(out, line, &s);
		}
		if (cv->sorry.set && lvs_get_rs_stats(v, 0, &s) == 0 && s.in_kernel) {
			dest_fill(&key, &cv->sorry.addr, cv->sorry.port ? cv->sorry.port : cv->port,
				  &cv->sorry.method, cv);
			snprintf(line, sizeof(line), "%s -> %s", vl,
				 ipvs_dest_label(&key, 0, dl, sizeof(dl)));
			dump_line(out, line, &s);
		}
		free(sv.v);
	}
}

/* ---- sync daemon ---- */

static struct ipvs_client *syncd_client;

static const char *const syncd_role_names[] = {
	[LVS_SYNCD_OFF] = "off",
	[LVS_SYNCD_MASTER] = "master",
	[LVS_SYNCD_BACKUP] = "backup",
	[LVS_SYNCD_BOTH] = "both",
};
_Static_assert(sizeof(syncd_role_names) / sizeof(syncd_role_names[0]) == LVS_SYNCD__COUNT,
	       "syncd_role_names");

const char *lvs_syncd_role_name(enum lvs_syncd_role role)
{
	return (unsigned)role < LVS_SYNCD__COUNT ? syncd_role_names[role] : "?";
}

static void syncd_daemon(const struct cfg_lvs_syncd *cfg, unsigned vrid, uint32_t state,
			 struct ipvs_daemon *d)
{
	memset(d, 0, sizeof(*d));
	d->state = state;
	snprintf(d->mcast_ifn, sizeof(d->mcast_ifn), "%s", cfg->ifname);
	d->syncid = cfg->syncid >= 0 ? (uint32_t)cfg->syncid : (vrid & 0xffu);
	d->sync_maxlen = cfg->maxlen;
	d->mcast_port = cfg->port;
	d->mcast_ttl = cfg->ttl;
	if (cfg->group.family == AF_INET || cfg->group.family == AF_INET6) {
		d->mcast_af = (uint16_t)cfg->group.family;
		memcpy(d->mcast_group.b, &cfg->group.u, alen(cfg->group.family));
	}
}

static int syncd_one(uint32_t state, bool want, const struct ipvs_daemon *cur,
		     const struct ipvs_daemon *d)
{
	const char *name = state == IP_VS_STATE_MASTER ? "master" : "backup";
	bool same = cur && d && !strcmp(cur->mcast_ifn, d->mcast_ifn) &&
		    cur->syncid == d->syncid;
	int r;

	if (cur && (!want || !same)) {
		r = ipvs_daemon_stop(syncd_client, state);
		if (r < 0 && r != -ESRCH)
			log_warn_errno(r, "IPVS: sync daemon %s: stopping it", name);
		else
			log_info("IPVS: sync daemon %s stopped (%s)", name, cur->mcast_ifn);
	}
	if (!want || same)
		return 0;
	r = ipvs_daemon_start(syncd_client, d);
	if (r < 0 && r != -EEXIST)
		return log_err_errno(r, "IPVS: sync daemon %s on %s (syncid %" PRIu32
				     "): cannot start it", name, d->mcast_ifn, d->syncid);
	log_info("IPVS: sync daemon %s started on %s (syncid %" PRIu32 ")", name, d->mcast_ifn,
		 d->syncid);
	return 0;
}

int lvs_syncd_set(const struct cfg_lvs_syncd *cfg, unsigned vrid, enum lvs_syncd_role role)
{
	const uint32_t states[2] = { IP_VS_STATE_MASTER, IP_VS_STATE_BACKUP };
	struct ipvs_daemon cur[2], want;
	size_t n_cur = 0;
	int r, first = 0;

	if (role != LVS_SYNCD_OFF && (!cfg || !cfg->ifname))
		return -EINVAL;
	if (!syncd_client) {
		r = ipvs_open(&syncd_client);
		if (r < 0)
			return r;
	}
	r = ipvs_daemon_list(syncd_client, cur, &n_cur);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < 2; i++) {
		const struct ipvs_daemon *c = NULL;
		bool on = role == LVS_SYNCD_BOTH ||
			  (role == LVS_SYNCD_MASTER && states[i] == IP_VS_STATE_MASTER) ||
			  (role == LVS_SYNCD_BACKUP && states[i] == IP_VS_STATE_BACKUP);

		for (size_t k = 0; k < n_cur; k++)
			if (cur[k].state == states[i])
				c = &cur[k];
		if (on)
			syncd_daemon(cfg, vrid, states[i], &want);
		r = syncd_one(states[i], on, c, on ? &want : NULL);
		if (r < 0 && !first)
			first = r;
	}
	return first;
}

void lvs_syncd_close(void)
{
	ipvs_close(syncd_client);
	syncd_client = NULL;
}
