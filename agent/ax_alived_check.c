// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ALIVED-MIB check (enterprises.9586.100.5.3), served by the checker
 * process: virtualServerGroupTable (.1), virtualServerTable (.3),
 * realServerTable (.4, with realServerWeight writable through
 * chk_cmd_set_weight()), and the notifications realServerStateChange
 * (.5.0.1) and virtualServerQuorumStateChange (.5.0.2).
 *
 * Stable indexes. The checker API numbers virtual and real servers by
 * their position in the configuration, which a reload may shift. This
 * file gives each virtual server an index of its own, by identity
 * (address, port and protocol; fwmark; or group name), when it first
 * appears, and keeps it across reloads for as long as that virtual server
 * exists; likewise each real server within its virtual server (by
 * address and port; the sorry server apart). Indexes are never reused.
 * The maps are re-read after every reload (CHK_EVT_RELOAD).
 *
 * Columns of IPVS statistics and rates are not served: this build does
 * not program IPVS, so there are none to give.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_check.h"
#include "alived/cfg_global.h"
#include "alived/check_api.h"
#include "alived/config.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "ax_int.h"

#define AX_KEY_LEN	(CFG_ADDRSTRLEN + CHK_API_NAME_MAX + 32)
#define AX_US_PER_S	1000000u
#define AX_DEFAULT_DELAY_LOOP_US (60ull * AX_US_PER_S)

enum ax_ctbl {
	AX_C_VSG,
	AX_C_VS,
	AX_C_RS,
	AX_C__COUNT,
};

/* A server known by identity, with its index for good. */
struct ax_ident {
	char *key;
	uint32_t index;
	uint32_t api_id;		/* position now; 0: gone */
	struct ax_ident *rs;		/* a virtual server's real servers, sorted by key */
	size_t n_rs, cap_rs;
	uint32_t next_rs;
};

struct ax_idents {
	struct ax_ident *v;		/* sorted by key */
	size_t n, cap;
	uint32_t next;
};

/* A row: the API's IDs of now, and the configuration. */
struct ax_crow {
	enum ax_ctbl tbl;
	uint32_t vs_api, rs_api;	/* rs_api 0: the sorry server */
	uint32_t vs_index;
	const struct cfg_vs *cvs;
	const struct cfg_rs *crs;
	const struct cfg_vsg *vsg;
};

static const oid ax_check_oid[] = { AX_ALIVED_OID, 3 };
static const oid ax_rs_change[] = { AX_ALIVED_OID, 3, 5, 0, 1 };
static const oid ax_quorum_change[] = { AX_ALIVED_OID, 3, 5, 0, 2 };

static struct {
	bool on;
	struct ax_table t[AX_C__COUNT];
	struct ax_crow *rows;
	size_t n_rows, cap_rows;
	bool dirty;
	struct ax_idents vs, groups;
	int sub;
	bool traps;
} C;

/* ------------------------------------------------------------------ */
/* Identities */

static int ax_ident_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ax_ident *)a)->key, ((const struct ax_ident *)b)->key);
}

static struct ax_ident *ax_ident_get(struct ax_ident **v, size_t *n, size_t *cap,
				     uint32_t *next, const char *key)
{
	struct ax_ident k = { .key = (char *)key }, *hit;
	size_t lo = 0, hi = *n;

	hit = *n ? bsearch(&k, *v, *n, sizeof(**v), ax_ident_cmp) : NULL;
	if (hit || *next >= INT32_MAX)
		return hit;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp((*v)[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	memmove(&(*v)[lo + 1], &(*v)[lo], (*n - lo) * sizeof(**v));
	memset(&(*v)[lo], 0, sizeof(**v));
	(*v)[lo].key = xstrdup(key);
	(*v)[lo].index = ++*next;
	(*n)++;
	return &(*v)[lo];
}

static void ax_ident_free(struct ax_ident *e)
{
	for (size_t k = 0; k < e->n_rs; k++)
		ax_ident_free(&e->rs[k]);
	free(e->rs);
	free(e->key);
}

/* Drops the identities not seen (api_id 0) from v. */
static void ax_ident_gc(struct ax_ident *v, size_t *n)
{
	size_t j = 0;

	for (size_t k = 0; k < *n; k++) {
		if (v[k].api_id)
			v[j++] = v[k];
		else
			ax_ident_free(&v[k]);
	}
	*n = j;
}

static void ax_vs_key(const struct chk_vs_info *vs, char *buf, size_t len)
{
	char a[CFG_ADDRSTRLEN];
	struct cfg_addr addr = vs->addr;

	switch (vs->kind) {
	case CFG_VS_FWMARK:
		snprintf(buf, len, "f %d %u %u", vs->family, vs->protocol, vs->fwmark);
		break;
	case CFG_VS_GROUP:
		snprintf(buf, len, "g %u %s", vs->protocol, vs->group);
		break;
	default:
		addr.has_prefix = false;
		snprintf(buf, len, "a %u %s %u", vs->protocol, cfg_addr_fmt(&addr, a, sizeof(a)),
			 vs->port);
		break;
	}
}

static void ax_rs_key(const struct cfg_addr *addr, uint16_t port, bool sorry, char *buf,
		      size_t len)
{
	char a[CFG_ADDRSTRLEN];
	struct cfg_addr x = *addr;

	x.has_prefix = false;
	snprintf(buf, len, "%c %s %u", sorry ? 's' : 'r', cfg_addr_fmt(&x, a, sizeof(a)), port);
}

struct ax_walk {
	struct ax_ident *vs;
};

static int ax_rs_seen(const struct chk_rs_info *rs, void *ud)
{
	struct ax_walk *w = ud;
	struct ax_ident *e;
	char key[AX_KEY_LEN];

	ax_rs_key(&rs->addr, rs->port, false, key, sizeof(key));
	e = ax_ident_get(&w->vs->rs, &w->vs->n_rs, &w->vs->cap_rs, &w->vs->next_rs, key);
	if (e && !e->api_id)
		e->api_id = rs->id;
	return 0;
}

static int ax_vs_seen(const struct chk_vs_info *vs, void *ud)
{
	struct ax_ident *e;
	struct ax_walk w;
	char key[AX_KEY_LEN];

	(void)ud;
	ax_vs_key(vs, key, sizeof(key));
	e = ax_ident_get(&C.vs.v, &C.vs.n, &C.vs.cap, &C.vs.next, key);
	if (!e || e->api_id)
		return 0;	/* a duplicate: the first one wins */
	e->api_id = vs->id;
	for (size_t k = 0; k < e->n_rs; k++)
		e->rs[k].api_id = 0;
	/* The sorry server first: on a fresh start it is row 1, as in keepalived. */
	if (vs->sorry_set) {
		struct ax_ident *s;

		ax_rs_key(&vs->sorry_addr, vs->sorry_port, true, key, sizeof(key));
		s = ax_ident_get(&e->rs, &e->n_rs, &e->cap_rs, &e->next_rs, key);
		if (s)
			s->api_id = UINT32_MAX;
	}
	w.vs = e;
	chk_api_rs_foreach(vs->id, ax_rs_seen, &w);
	ax_ident_gc(e->rs, &e->n_rs);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rows */

static struct ax_crow *ax_crow_new(enum ax_ctbl tbl)
{
	if (C.n_rows == C.cap_rows)
		return NULL;	/* sized beforehand: rows point into the array */
	memset(&C.rows[C.n_rows], 0, sizeof(C.rows[0]));
	C.rows[C.n_rows].tbl = tbl;
	return &C.rows[C.n_rows++];
}

static void ax_crow_add(enum ax_ctbl tbl, const oid *idx, size_t n, struct ax_crow *r)
{
	if (r && !ax_table_add(&C.t[tbl], idx, n, r))
		C.n_rows--;
}

static void ax_build_vs(const struct ax_ident *e, const struct cfg_vs *cvs)
{
	const struct cfg_rs *crs;
	struct ax_crow *r;
	oid idx[2] = { e->index, 0 };
	uint32_t pos = 1;

	r = ax_crow_new(AX_C_VS);
	if (r) {
		r->vs_api = e->api_id;
		r->vs_index = e->index;
		r->cvs = cvs;
	}
	ax_crow_add(AX_C_VS, idx, 1, r);
	for (size_t k = 0; k < e->n_rs; k++) {
		const struct ax_ident *rs = &e->rs[k];

		idx[1] = rs->index;
		r = ax_crow_new(AX_C_RS);
		if (!r)
			return;
		r->vs_api = e->api_id;
		r->vs_index = e->index;
		r->cvs = cvs;
		r->rs_api = rs->api_id == UINT32_MAX ? 0 : rs->api_id;
		/* The API's real server n is the n-th of the block. */
		for (crs = cvs ? cvs->rs : NULL, pos = 1; crs && pos < r->rs_api; pos++)
			crs = crs->next;
		r->crs = r->rs_api ? crs : NULL;
		ax_crow_add(AX_C_RS, idx, 2, r);
	}
}

static void ax_build(void)
{
	const struct cfg_root *root = ax_root();
	const struct cfg_vs *cvs;
	const struct cfg_vsg *g;
	size_t n = 0;
	uint32_t pos;

	for (size_t k = 0; k < AX_C__COUNT; k++)
		ax_table_clear(&C.t[k]);
	C.n_rows = 0;
	if (!root || chk_api_vs_count() == 0)
		return;	/* not running yet: try again at the next request */
	for (size_t k = 0; k < C.vs.n; k++)
		C.vs.v[k].api_id = 0;
	chk_api_vs_foreach(ax_vs_seen, NULL);
	ax_ident_gc(C.vs.v, &C.vs.n);
	for (g = root->check->vsg; g; g = g->next)
		n++;
	for (size_t k = 0; k < C.vs.n; k++)
		n += 1 + C.vs.v[k].n_rs;
	if (n > C.cap_rows) {
		free(C.rows);
		C.rows = xcalloc(n, sizeof(*C.rows));
		C.cap_rows = n;
	}
	for (g = root->check->vsg; g; g = g->next) {
		struct ax_ident *e = ax_ident_get(&C.groups.v, &C.groups.n, &C.groups.cap,
						  &C.groups.next, g->name);
		struct ax_crow *r;
		oid idx;

		if (!e)
			continue;
		idx = e->index;
		r = ax_crow_new(AX_C_VSG);
		if (r)
			r->vsg = g;
		ax_crow_add(AX_C_VSG, &idx, 1, r);
	}
	for (size_t k = 0; k < C.vs.n; k++) {
		const struct ax_ident *e = &C.vs.v[k];

		for (cvs = root->check->vs, pos = 1; cvs && pos < e->api_id; pos++)
			cvs = cvs->next;
		ax_build_vs(e, cvs);
	}
	C.dirty = false;
}

static void ax_refresh(void)
{
	if (C.dirty)
		ax_build();
}

/* The index of a virtual server (and real server) by API IDs; 0: none. */
static uint32_t ax_vs_index(uint32_t vs_api, uint32_t rs_api, uint32_t *ret_rs_index)
{
	ax_refresh();
	for (size_t k = 0; k < C.vs.n; k++) {
		const struct ax_ident *e = &C.vs.v[k];

		if (e->api_id != vs_api)
			continue;
		for (size_t j = 0; ret_rs_index && j < e->n_rs; j++)
			if (e->rs[j].api_id == rs_api)
				*ret_rs_index = e->rs[j].index;
		return e->index;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Values */

static long ax_proto(enum cfg_lvs_proto p)
{
	return p == CFG_PROTO_UDP ? 2 : p == CFG_PROTO_SCTP ? 3 : 1;	/* tcp(1) */
}

static long ax_fwd(enum cfg_lvs_fwd f)
{
	return f == CFG_FWD_DR ? 2 : f == CFG_FWD_TUN ? 3 : 1;	/* nat(1) */
}

static long ax_vs_type(enum cfg_vs_kind k)
{
	return k == CFG_VS_FWMARK ? 1 : k == CFG_VS_GROUP ? 3 : 2;	/* ip(2) */
}

static bool ax_smtp(int8_t t)
{
	const struct cfg_global *g = ax_root()->global;

	if (t != CFG_TRI_UNSET)
		return t == CFG_TRI_ON;
	if (g->smtp_alert_checker != CFG_GTRI_UNSET)
		return g->smtp_alert_checker;
	return g->smtp_alert > 0;
}

/* Timing of a virtual server: its own, else its first real server's. */
static uint64_t ax_vs_time(uint64_t own, uint64_t rs, uint64_t dflt)
{
	if (own != CFG_UNSET_U64)
		return own;
	return rs ? rs : dflt;
}

static int ax_tunnel(netsnmp_variable_list *vb, unsigned which, const struct cfg_lvs_method *m)
{
	switch (which) {
	case 0:
		return ax_set_int(vb, m->tun_type == CFG_TUN_GUE ? 2 :
				  m->tun_type == CFG_TUN_GRE ? 3 : 1);	/* ipip(1) */
	case 1:
		return ax_set_uint(vb, m->tun_port);
	default:
		return ax_set_int(vb, m->tun_csum == CFG_TUN_CSUM_CSUM ? 2 :
				  m->tun_csum == CFG_TUN_CSUM_REMCSUM ? 3 : 1);	/* nocsum(1) */
	}
}

static int ax_vs_value(netsnmp_variable_list *vb, unsigned col, const struct chk_vs_info *vs,
		       const struct cfg_vs *c, const struct chk_rs_info *rs0)
{
	struct cfg_addr none = { .family = AF_UNSPEC }, gran = { .family = AF_INET };
	const struct cfg_chk_timing *t = c ? &c->t : NULL;

	switch (col) {
	case 2:
		return ax_set_int(vb, ax_vs_type(vs->kind));
	case 3:
		return ax_set_str(vb, vs->group);
	case 4:
		return ax_set_uint(vb, vs->fwmark);
	case 5:
		return ax_set_int(vb, vs->kind == CFG_VS_ADDR ? ax_inet_type(&vs->addr) :
				  vs->family == AF_INET6 ? 2 : 1);
	case 6:
		return ax_set_inet(vb, vs->kind == CFG_VS_ADDR ? &vs->addr : &none);
	case 7:
		return ax_set_uint(vb, vs->port);
	case 8:
		return ax_set_int(vb, ax_proto(vs->protocol));
	case 9:
		return ax_set_int(vb, (long)vs->sched + 1);	/* rr(1) ... twos(14) */
	case 10:
		return ax_set_int(vb, ax_fwd(vs->fwd));
	case 11:
		return ax_set_int(vb, vs->quorum_met ? 1 : 2);	/* alive : dead */
	case 12:
		return ax_set_str(vb, vs->virtualhost);
	case 13:
		return ax_set_int(vb, ax_bool(vs->persistence_timeout_s > 0));
	case 14:
		return ax_set_uint(vb, vs->persistence_timeout_s);
	case 15:
		if (!c || vs->family != AF_INET || !c->persistence_granularity)
			return ax_set_inet(vb, &none);
		gran.u.v4.s_addr = htonl(c->persistence_granularity >= 32 ? 0xffffffffu :
					 ~(0xffffffffu >> c->persistence_granularity));
		return ax_set_inet(vb, &gran);
	case 16:
		return ax_set_uint(vb, ax_vs_time(t ? t->delay_loop_us : CFG_UNSET_U64,
						  rs0 ? rs0->delay_loop_us : 0,
						  AX_DEFAULT_DELAY_LOOP_US) / AX_US_PER_S);
	case 17:
		return ax_set_int(vb, ax_bool(vs->ha_suspend));
	case 18:
		return ax_set_int(vb, ax_bool(vs->alpha));
	case 19:
		return ax_set_int(vb, ax_bool(vs->omega));
	case 20:
		return ax_set_uint(vb, vs->n_rs);
	case 21:
		return ax_set_uint(vb, vs->n_rs_alive);
	case 22:
		return ax_set_uint(vb, vs->quorum);
	case 23:
		return ax_set_int(vb, vs->quorum_met ? 1 : 2);	/* met : notMet */
	case 24:
		return ax_set_str(vb, vs->quorum_up);
	case 25:
		return ax_set_str(vb, vs->quorum_down);
	case 26:
		return ax_set_uint(vb, vs->hysteresis);
	case 37:
		return ax_set_int(vb, ax_bool(c && c->ops));
	case 51:
		return ax_set_uint(vb, c && vs->family == AF_INET6 ? c->persistence_granularity : 0);
	case 52:
		return ax_set_int(vb, ax_bool(false));	/* hashed: IPVS internal */
	case 53:
		return ax_set_int(vb, ax_bool(c && c->sh_fallback));
	case 54:
		return ax_set_int(vb, ax_bool(c && c->sh_port));
	case 55:
		return ax_set_int(vb, ax_bool(c && c->flag_3));
	case 56:
		return ax_set_int(vb, c && c->inhibit_on_failure == CFG_TRI_ON ? 2 : 1);
	case 57:
		return ax_set_uint(vb, t && t->retry != CFG_UNSET_U32 ? t->retry :
				   rs0 ? rs0->retry : 1);
	case 58:
	case 65:
		return ax_set_uint(vb, ax_vs_time(t ? t->delay_before_retry_us : CFG_UNSET_U64,
						  rs0 ? rs0->delay_before_retry_us : 0, 0) /
				   (col == 58 ? AX_US_PER_S : 1));
	case 59:
	case 66:
		return ax_set_uint(vb, ax_vs_time(t ? t->warmup_us : CFG_UNSET_U64,
						  rs0 ? rs0->warmup_us : 0, 0) /
				   (col == 59 ? AX_US_PER_S : 1));
	case 60:
		return ax_set_int(vb, vs->alive_weight > INT32_MAX ? INT32_MAX :
				  (long)vs->alive_weight);
	case 61:
		return ax_set_int(vb, ax_bool(ax_smtp(c ? c->smtp_alert : CFG_TRI_UNSET)));
	case 62:
		return ax_set_int(vb, ax_bool(c && c->mh_fallback));
	case 63:
		return ax_set_int(vb, ax_bool(c && c->mh_port));
	case 64:
		return ax_set_uint(vb, ax_vs_time(t ? t->delay_loop_us : CFG_UNSET_U64,
						  rs0 ? rs0->delay_loop_us : 0,
						  AX_DEFAULT_DELAY_LOOP_US));
	case 67:
		return ax_set_uint(vb, ax_vs_time(t ? t->connect_timeout_us : CFG_UNSET_U64,
						  rs0 ? rs0->connect_timeout_us : 0, 0));
	case 68:
	case 69:
	case 70:
		return c ? ax_tunnel(vb, col - 68, &c->method) : -1;
	case 71:
		return ax_set_str(vb, vs->snmp_name);
	default:
		return -1;
	}
}

static int ax_rs_value(netsnmp_variable_list *vb, unsigned col, const struct ax_crow *row,
		       const struct chk_vs_info *vs, const struct chk_rs_info *rs)
{
	const struct cfg_rs *c = row->crs;
	bool sorry = !rs;

	switch (col) {
	case 2:
		return ax_set_int(vb, sorry ? 2 : 1);	/* sorry : regular */
	case 3:
		return ax_set_int(vb, ax_inet_type(sorry ? &vs->sorry_addr : &rs->addr));
	case 4:
		return ax_set_inet(vb, sorry ? &vs->sorry_addr : &rs->addr);
	case 5:
		return ax_set_uint(vb, sorry ? vs->sorry_port : rs->port);
	case 6:
		return ax_set_int(vb, (sorry ? vs->sorry_active : rs->alive) ? 1 : 2);
	case 7:
		return ax_set_int(vb, sorry ? 1 : (long)rs->weight);
	case 8:
		return ax_set_uint(vb, sorry ? 0 : rs->uthreshold);
	case 9:
		return ax_set_uint(vb, sorry ? 0 : rs->lthreshold);
	case 10:
		return ax_set_int(vb, !sorry && rs->inhibit_on_failure ? 2 : 1);
	case 11:
		return ax_set_str(vb, sorry ? NULL : rs->notify_up);
	case 12:
		return ax_set_str(vb, sorry ? NULL : rs->notify_down);
	case 13:
		return ax_set_uint(vb, sorry ? 0 : rs->n_checkers - rs->n_checkers_up);
	case 40:
		return ax_set_int(vb, ax_fwd(sorry ? vs->fwd : rs->fwd));
	case 41:
		return ax_set_str(vb, sorry ? NULL : rs->virtualhost);
	case 42:
		return ax_set_int(vb, ax_bool(!sorry && rs->alpha));
	case 43:
		return ax_set_uint(vb, sorry ? 0 : rs->retry);
	case 44:
	case 48:
		return ax_set_uint(vb, sorry ? 0 : rs->delay_before_retry_us /
				   (col == 44 ? AX_US_PER_S : 1));
	case 45:
	case 49:
		return ax_set_uint(vb, sorry ? 0 : rs->warmup_us / (col == 45 ? AX_US_PER_S : 1));
	case 46:
	case 50:
		return ax_set_uint(vb, sorry ? 0 : rs->delay_loop_us / (col == 46 ? AX_US_PER_S : 1));
	case 47:
		return ax_set_int(vb, ax_bool(ax_smtp(c ? c->eff_smtp_alert : CFG_TRI_UNSET)));
	case 51:
		return ax_set_uint(vb, sorry ? 0 : rs->connect_timeout_us);
	case 52:
	case 53:
	case 54:
		if (c)
			return ax_tunnel(vb, col - 52, &c->eff_method);
		return row->cvs ? ax_tunnel(vb, col - 52, &row->cvs->method) : -1;
	case 55:
		return ax_set_str(vb, sorry ? NULL : rs->snmp_name);
	default:
		return -1;
	}
}

/* ------------------------------------------------------------------ */
/* Handlers */

static int ax_value(netsnmp_variable_list *vb, unsigned col, const struct ax_crow *r)
{
	struct chk_vs_info vs;
	struct chk_rs_info rs, rs0;
	bool have_rs0;

	switch (r->tbl) {
	case AX_C_VSG:
		return col == 2 ? ax_set_str(vb, r->vsg->name) : -1;
	case AX_C_VS:
		if (chk_api_vs_get(r->vs_api, &vs) < 0)
			return -1;
		/* The first real server's timing stands in for the virtual server's. */
		have_rs0 = (col == 16 || col == 57 || col == 58 || col == 59 ||
			    (col >= 64 && col <= 67)) &&
			   vs.n_rs && chk_api_rs_get(r->vs_api, 1, &rs0) == 0;
		return ax_vs_value(vb, col, &vs, r->cvs, have_rs0 ? &rs0 : NULL);
	case AX_C_RS:
		/* A walk asks for one value at a time: copy only what it needs. */
		if (r->rs_api)
			return chk_api_rs_get(r->vs_api, r->rs_api, &rs) < 0 ? -1 :
			       ax_rs_value(vb, col, r, NULL, &rs);
		if (chk_api_vs_get(r->vs_api, &vs) < 0)
			return -1;
		return ax_rs_value(vb, col, r, &vs, NULL);
	case AX_C__COUNT:
		break;
	}
	return -1;
}

/* realServerWeight (0..65535; not the sorry server). */
static void ax_weight_set(netsnmp_agent_request_info *ri, netsnmp_request_info *r)
{
	netsnmp_table_request_info *ti = netsnmp_extract_table_info(r);
	struct ax_set_ctx *c = ax_set_kept(r);
	const struct ax_crow *row;
	struct chk_rs_info rs;
	int err;

	switch (ri->mode) {
	case MODE_SET_RESERVE1:
		row = netsnmp_tdata_extract_entry(r);
		if (!row)
			err = SNMP_ERR_NOCREATION;
		else if (!ti || ti->colnum != 7 || !row->rs_api)
			err = SNMP_ERR_NOTWRITABLE;
		else
			err = ax_check_int(r->requestvb, ASN_INTEGER, 0, 65535);
		if (err != SNMP_ERR_NOERROR) {
			netsnmp_set_request_error(ri, r, err);
			return;
		}
		c = ax_set_keep(r);
		c->id = row->vs_api;
		c->id2 = row->rs_api;
		c->col = 7;
		c->value = *r->requestvb->val.integer;
		break;
	case MODE_SET_ACTION:
		if (!c)
			return;
		if (chk_api_rs_get(c->id, c->id2, &rs) < 0) {
			netsnmp_set_request_error(ri, r, SNMP_ERR_COMMITFAILED);
			return;
		}
		c->old = (long)rs.weight;
		err = chk_cmd_set_weight(c->id, c->id2, (uint32_t)c->value, "SNMP");
		if (err < 0) {
			netsnmp_set_request_error(ri, r, ax_snmp_err(err));
			return;
		}
		c->done = true;
		break;
	case MODE_SET_UNDO:
		if (c && c->done && chk_cmd_set_weight(c->id, c->id2, (uint32_t)c->old, "SNMP") < 0)
			netsnmp_set_request_error(ri, r, SNMP_ERR_UNDOFAILED);
		break;
	default:
		break;
	}
}

static int ax_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
		      netsnmp_agent_request_info *ri, netsnmp_request_info *requests)
{
	netsnmp_request_info *r;

	(void)handler;
	(void)reg;
	for (r = requests; r; r = r->next) {
		netsnmp_table_request_info *ti;
		const struct ax_crow *row;

		if (r->processed)
			continue;
		if (ri->mode != MODE_GET) {
			ax_weight_set(ri, r);
			continue;
		}
		ti = netsnmp_extract_table_info(r);
		row = netsnmp_tdata_extract_entry(r);
		if (!ti || !row || !ax_root() || ax_value(r->requestvb, ti->colnum, row) != 0)
			netsnmp_set_request_error(ri, r, SNMP_NOSUCHINSTANCE);
	}
	return SNMP_ERR_NOERROR;
}

/* ------------------------------------------------------------------ */
/* Notifications */

/* The virtual server's identity varbinds (by its type) and routerId. */
static void ax_vs_vars(netsnmp_variable_list **vars, const struct chk_vs_info *vs,
		       uint32_t vsi, bool quorum)
{
	static const oid col[] = { AX_ALIVED_OID, 3, 3, 1, 0 };
	oid c[AX_ARRAY_SIZE(col)];
	long v;
	size_t alen = vs->addr.family == AF_INET6 ? 16 : vs->addr.family == AF_INET ? 4 : 0;
	u_long u;

	memcpy(c, col, sizeof(col));
#define AX_VSCOL(n, type, p, len) \
	do { c[AX_ARRAY_SIZE(col) - 1] = (n); \
	     ax_vb_add(vars, c, AX_ARRAY_SIZE(c), vsi, (type), (p), (len)); } while (0)
	v = ax_vs_type(vs->kind);
	AX_VSCOL(2, ASN_INTEGER, &v, sizeof(v));
	v = ax_proto(vs->protocol);
	AX_VSCOL(8, ASN_INTEGER, &v, sizeof(v));
	if (quorum) {
		v = vs->quorum_met ? 1 : 2;
		AX_VSCOL(23, ASN_INTEGER, &v, sizeof(v));
		u = vs->quorum;
		AX_VSCOL(22, ASN_UNSIGNED, &u, sizeof(u));
	}
	u = vs->n_rs_alive;
	AX_VSCOL(21, ASN_UNSIGNED, &u, sizeof(u));
	u = vs->n_rs;
	AX_VSCOL(20, ASN_UNSIGNED, &u, sizeof(u));
	switch (vs->kind) {
	case CFG_VS_GROUP:
		AX_VSCOL(3, ASN_OCTET_STR, vs->group, strnlen(vs->group, sizeof(vs->group)));
		break;
	case CFG_VS_FWMARK:
		u = vs->fwmark;
		AX_VSCOL(4, ASN_UNSIGNED, &u, sizeof(u));
		break;
	default:
		v = ax_inet_type(&vs->addr);
		AX_VSCOL(5, ASN_INTEGER, &v, sizeof(v));
		AX_VSCOL(6, ASN_OCTET_STR, &vs->addr.u, alen);
		u = vs->port;
		AX_VSCOL(7, ASN_UNSIGNED, &u, sizeof(u));
		break;
	}
#undef AX_VSCOL
	ax_vb_router_id(vars);
}

static int ax_count_alive(const struct chk_rs_info *rs, void *ud)
{
	*(uint32_t *)ud += rs->alive;
	return 0;
}

/* realServerStateChange: realServerAddrType/Address/Port/Status (.vs.rs),
 * then the virtual server's, then routerId. */
static void ax_notify_rs(const struct chk_evt_info *e)
{
	static const oid rcol[] = { AX_ALIVED_OID, 3, 4, 1, 0 };
	netsnmp_variable_list *vars = NULL;
	struct chk_vs_info vs;
	struct chk_rs_info rs;
	uint32_t rsi = 0, vsi = ax_vs_index(e->vs_id, e->rs_id, &rsi);
	oid c[AX_ARRAY_SIZE(rcol)], idx[2] = { vsi, rsi };
	size_t alen;
	long v;
	u_long u;

	if (!vsi || !rsi || chk_api_vs_get(e->vs_id, &vs) < 0 ||
	    chk_api_rs_get(e->vs_id, e->rs_id, &rs) < 0)
		return;
	/* The engine tells before it recounts its virtual server: count here. */
	vs.n_rs_alive = 0;
	chk_api_rs_foreach(e->vs_id, ax_count_alive, &vs.n_rs_alive);
	alen = rs.addr.family == AF_INET6 ? 16 : rs.addr.family == AF_INET ? 4 : 0;
	memcpy(c, rcol, sizeof(rcol));
	c[AX_ARRAY_SIZE(c) - 1] = 3;
	v = ax_inet_type(&rs.addr);
	ax_vb_add_idx(&vars, c, AX_ARRAY_SIZE(c), idx, 2, ASN_INTEGER, &v, sizeof(v));
	c[AX_ARRAY_SIZE(c) - 1] = 4;
	ax_vb_add_idx(&vars, c, AX_ARRAY_SIZE(c), idx, 2, ASN_OCTET_STR, &rs.addr.u, alen);
	c[AX_ARRAY_SIZE(c) - 1] = 5;
	u = rs.port;
	ax_vb_add_idx(&vars, c, AX_ARRAY_SIZE(c), idx, 2, ASN_UNSIGNED, &u, sizeof(u));
	c[AX_ARRAY_SIZE(c) - 1] = 6;
	v = e->new_up ? 1 : 2;
	ax_vb_add_idx(&vars, c, AX_ARRAY_SIZE(c), idx, 2, ASN_INTEGER, &v, sizeof(v));
	ax_vs_vars(&vars, &vs, vsi, false);
	ax_notify(ax_rs_change, AX_ARRAY_SIZE(ax_rs_change), vars,
		  ((uint64_t)vsi << 32) | rsi);
}

static void ax_notify_quorum(const struct chk_evt_info *e)
{
	netsnmp_variable_list *vars = NULL;
	struct chk_vs_info vs;
	uint32_t vsi = ax_vs_index(e->vs_id, 0, NULL);

	if (!vsi || chk_api_vs_get(e->vs_id, &vs) < 0)
		return;
	ax_vs_vars(&vars, &vs, vsi, true);
	ax_notify(ax_quorum_change, AX_ARRAY_SIZE(ax_quorum_change), vars, vsi);
}

static void ax_chk_evt(const struct chk_evt_info *e, void *ud)
{
	(void)ud;
	switch (e->evt) {
	case CHK_EVT_RELOAD:
		C.dirty = true;
		break;
	case CHK_EVT_RS_STATE:
		if (C.traps && e->old_up != e->new_up)
			ax_notify_rs(e);
		break;
	case CHK_EVT_QUORUM:
		if (C.traps && e->old_up != e->new_up)
			ax_notify_quorum(e);
		break;
	default:
		break;
	}
}

/* The subscription serves the maps (reloads) and the notifications. */
static void ax_check_subscribe(void)
{
	bool want = C.on || C.traps;

	if (want && !C.sub)
		C.sub = chk_api_subscribe(CHK_EVT_MASK(CHK_EVT_RELOAD) |
					  CHK_EVT_MASK(CHK_EVT_RS_STATE) |
					  CHK_EVT_MASK(CHK_EVT_QUORUM), ax_chk_evt, NULL);
	else if (!want && C.sub) {
		chk_api_unsubscribe(C.sub);
		C.sub = 0;
	}
}

static void ax_check_free_maps(void)
{
	for (size_t k = 0; k < C.vs.n; k++)
		ax_ident_free(&C.vs.v[k]);
	free(C.vs.v);
	for (size_t k = 0; k < C.groups.n; k++)
		ax_ident_free(&C.groups.v[k]);
	free(C.groups.v);
	free(C.rows);
	memset(&C, 0, sizeof(C));
}

void ax_check_trap_enable(bool on)
{
	C.traps = on;
	C.dirty = true;
	ax_check_subscribe();
	if (!on && !C.on)
		ax_check_free_maps();	/* kept for the notifications only */
}

/* ------------------------------------------------------------------ */

static const u_char ax_idx1[] = { ASN_INTEGER };
static const u_char ax_idx2[] = { ASN_INTEGER, ASN_INTEGER };
/* Without the IPVS statistics and rates (none in this build). */
static const unsigned ax_vs_cols[][2] = { { 2, 26 }, { 37, 37 }, { 51, 71 } };
static const unsigned ax_rs_cols[][2] = { { 2, 13 }, { 40, 55 } };

int ax_check_init(void)
{
	const struct ax_table_def defs[AX_C__COUNT] = {
		[AX_C_VSG] = { .name = "virtualServerGroupTable", .idx = ax_idx1, .n_idx = 1,
			       .min_col = 2, .max_col = 2 },
		[AX_C_VS] = { .name = "virtualServerTable", .idx = ax_idx1, .n_idx = 1,
			      .min_col = 2, .max_col = 71, .cols = ax_vs_cols,
			      .n_cols = AX_ARRAY_SIZE(ax_vs_cols) },
		[AX_C_RS] = { .name = "realServerTable", .idx = ax_idx2, .n_idx = 2,
			      .min_col = 2, .max_col = 55, .cols = ax_rs_cols,
			      .n_cols = AX_ARRAY_SIZE(ax_rs_cols), .writable = true },
	};
	static const oid sub[AX_C__COUNT] = { [AX_C_VSG] = 1, [AX_C_VS] = 3, [AX_C_RS] = 4 };
	int r = 0;

	if (C.on)
		return 0;
	C.on = true;
	C.dirty = true;
	for (size_t k = 0; k < AX_C__COUNT && r == 0; k++) {
		oid o[] = { AX_ALIVED_OID, 3, sub[k] };
		struct ax_table_def d = defs[k];

		d.oid = o;
		d.oid_len = AX_ARRAY_SIZE(o);
		d.handler = ax_handler;
		d.refresh = ax_refresh;
		r = ax_table_init(&C.t[k], &d);
	}
	if (r < 0) {
		log_warn("AgentX: cannot register the tables of the check subtree");
		ax_check_shutdown();
		return r;
	}
	ax_check_subscribe();
	return ax_subtree_add(ax_check_oid, AX_ARRAY_SIZE(ax_check_oid), AX_PRIO_DEFAULT);
}

void ax_check_reload(void)
{
	if (!C.on)
		return;
	/* Rows borrow the old configuration: drop them now, rebuild lazily. */
	for (size_t k = 0; k < AX_C__COUNT; k++)
		ax_table_clear(&C.t[k]);
	C.n_rows = 0;
	C.dirty = true;
}

void ax_check_shutdown(void)
{
	bool traps = C.traps;

	if (!C.on)
		return;
	ax_subtree_del(ax_check_oid, AX_ARRAY_SIZE(ax_check_oid));
	for (size_t k = 0; k < AX_C__COUNT; k++)
		ax_table_fini(&C.t[k]);
	free(C.rows);
	C.rows = NULL;
	C.n_rows = C.cap_rows = 0;
	C.on = false;
	ax_check_subscribe();
	if (!traps)
		ax_check_free_maps();
}
