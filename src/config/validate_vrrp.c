// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cross-checks of the VRRP side, run once the whole file is parsed: unique
 * names, the VRID of each instance, address families, the VRRP version and
 * what depends on it (advert_int, authentication), references to scripts,
 * track files, processes and instances, and sync group membership. Fills
 * the resolved fields of struct cfg_vrrp_inst. Pure: libc only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_global.h"
#include "alived/cfg_vrrp.h"
#include "config/cfg.h"

#define ERR(ctx, file, line, ...) cfg_diag((ctx)->diags, CFG_SEV_ERROR, file, line, __VA_ARGS__)
#define WARN(ctx, file, line, ...) cfg_diag((ctx)->diags, CFG_SEV_WARN, file, line, __VA_ARGS__)

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* ------------------------------------------------------------------ */
/* Unique names. Every named object starts with next, name, file, line. */

struct named {
	struct named *next;
	char *name;
	const char *file;
	unsigned line;
};

#define NAMED_LAYOUT(type)                                                                 \
	_Static_assert(offsetof(type, next) == offsetof(struct named, next) &&              \
			       offsetof(type, name) == offsetof(struct named, name) &&      \
			       offsetof(type, file) == offsetof(struct named, file) &&      \
			       offsetof(type, line) == offsetof(struct named, line),        \
		       #type " layout")

NAMED_LAYOUT(struct cfg_vrrp_inst);
NAMED_LAYOUT(struct cfg_vrrp_sync);
NAMED_LAYOUT(struct cfg_vrrp_script);
NAMED_LAYOUT(struct cfg_track_file);
NAMED_LAYOUT(struct cfg_track_process);
NAMED_LAYOUT(struct cfg_track_group);

static void check_unique(struct cfg_ctx *ctx, const void *head, const char *what)
{
	const struct named *a, *b;

	for (a = head; a; a = a->next) {
		for (b = head; b != a; b = b->next) {
			if (!strcmp(a->name, b->name)) {
				ERR(ctx, a->file, a->line, "%s %s defined twice (first at %s:%u)",
				    what, a->name, b->file, b->line);
				break;
			}
		}
	}
}

static const struct named *find_named(const void *head, const char *name)
{
	const struct named *a;

	for (a = head; a; a = a->next)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Tracking references */

static void check_track_refs(struct cfg_ctx *ctx, struct cfg_track_ref *const track[],
			     const char *owner)
{
	const struct cfg_vrrp *v = ctx->root->vrrp;
	const struct cfg_track_ref *r;
	static const char *const target[CFG_TRACK__COUNT] = {
		[CFG_TRACK_SCRIPT] = "vrrp_script",
		[CFG_TRACK_FILE] = "track_file",
		[CFG_TRACK_PROCESS] = "vrrp_track_process",
	};
	const void *heads[CFG_TRACK__COUNT] = {
		[CFG_TRACK_SCRIPT] = v->scripts,
		[CFG_TRACK_FILE] = v->track_files,
		[CFG_TRACK_PROCESS] = v->track_procs,
	};
	unsigned k;

	for (k = 0; k < CFG_TRACK__COUNT; k++) {
		for (r = track[k]; r; r = r->next) {
			if (k == CFG_TRACK_BFD) {
				WARN(ctx, r->file, r->line,
				     "%s: track_bfd %s: BFD is not supported by alived; ignored",
				     owner, r->name);
			} else if (target[k] && !find_named(heads[k], r->name)) {
				ERR(ctx, r->file, r->line, "%s: %s %s: no %s of that name", owner,
				    cfg_track_kind_kw[k], r->name, target[k]);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* One instance */

/* Family of the instance: its VIPs, else its unicast or multicast addresses. */
static int inst_family(struct cfg_ctx *ctx, struct cfg_vrrp_inst *i)
{
	const struct cfg_vip *a;
	char buf[CFG_ADDRSTRLEN];
	int fam = AF_UNSPEC;

	if (i->vips)
		fam = i->vips->addr.family;
	else if (i->unicast_src_ip.family != AF_UNSPEC)
		fam = i->unicast_src_ip.family;
	else if (i->unicast_peers)
		fam = i->unicast_peers->addr.family;
	else if (i->mcast_src_ip.family != AF_UNSPEC)
		fam = i->mcast_src_ip.family;
	else if (i->mcast_dst_ip.family != AF_UNSPEC)
		fam = i->mcast_dst_ip.family;
	else if (i->native_ipv6)
		fam = AF_INET6;
	else
		fam = AF_INET;
	for (a = i->vips; a; a = a->next) {
		if (a->addr.family != fam) {
			ERR(ctx, a->file, a->line,
			    "vrrp_instance %s: virtual_ipaddress %s is %s, the instance is %s "
			    "(put other families in virtual_ipaddress_excluded)",
			    i->name, cfg_addr_fmt(&a->addr, buf, sizeof(buf)),
			    fam_name(a->addr.family), fam_name(fam));
			return -EINVAL;
		}
	}
	if (i->native_ipv6 && fam != AF_INET6) {
		ERR(ctx, i->file, i->line, "vrrp_instance %s: native_ipv6 with IPv4 addresses",
		    i->name);
		return -EINVAL;
	}
	return fam;
}

static void check_inst_addrs(struct cfg_ctx *ctx, const struct cfg_vrrp_inst *i)
{
	const struct cfg_unicast_peer *p;
	char buf[CFG_ADDRSTRLEN];
	const struct {
		const char *kw;
		const struct cfg_addr *a;
	} own[] = {
		{ "unicast_src_ip", &i->unicast_src_ip },
		{ "mcast_src_ip", &i->mcast_src_ip },
		{ "mcast_dst_ip", &i->mcast_dst_ip },
		{ "use_ipvlan", &i->ipvlan_addr },
	};
	size_t k;
	bool mc;

	for (k = 0; k < sizeof(own) / sizeof(own[0]); k++) {
		if (own[k].a->family == AF_UNSPEC || own[k].a->family == i->family)
			continue;
		ERR(ctx, i->file, i->line, "vrrp_instance %s: %s %s is not %s like the instance",
		    i->name, own[k].kw, cfg_addr_fmt(own[k].a, buf, sizeof(buf)),
		    fam_name(i->family));
	}
	if (i->mcast_dst_ip.family == AF_INET)
		mc = (ntohl(i->mcast_dst_ip.u.v4.s_addr) >> 28) == 0xe;
	else
		mc = i->mcast_dst_ip.u.v6.s6_addr[0] == 0xff;
	if (i->mcast_dst_ip.family != AF_UNSPEC && !mc)
		ERR(ctx, i->file, i->line, "vrrp_instance %s: mcast_dst_ip %s is not multicast",
		    i->name, cfg_addr_fmt(&i->mcast_dst_ip, buf, sizeof(buf)));
	for (p = i->unicast_peers; p; p = p->next) {
		if (p->addr.family != i->family)
			ERR(ctx, p->file, p->line,
			    "vrrp_instance %s: unicast_peer %s is %s, the instance is %s", i->name,
			    cfg_addr_fmt(&p->addr, buf, sizeof(buf)), fam_name(p->addr.family),
			    fam_name(i->family));
	}
}

/* RFC 3768 section 5.3.7 (v2: whole seconds), RFC 5798 section 5.2.7 (v3: 12-bit cs). */
static void check_advert_int(struct cfg_ctx *ctx, struct cfg_vrrp_inst *i)
{
	unsigned line = i->advert_int_line ? i->advert_int_line : i->line;
	uint32_t cs = i->advert_int_cs;

	i->eff_advert_int_cs = cs;
	if (i->eff_version == 2 && cs % 100) {
		i->eff_advert_int_cs = (cs + 50) / 100 * 100;
		if (!i->eff_advert_int_cs)
			i->eff_advert_int_cs = 100;
		WARN(ctx, i->file, line,
		     "advert_int %" PRIu32 ".%02" PRIu32 ": VRRP version 2 counts whole seconds; "
		     "rounded to %" PRIu32,
		     cs / 100, cs % 100, i->eff_advert_int_cs / 100);
	} else if (i->eff_version == 3 && cs > 4095) {
		ERR(ctx, i->file, line,
		    "advert_int %" PRIu32 ".%02" PRIu32 ": must be 0.01..40.95 with VRRP version 3",
		    cs / 100, cs % 100);
	}
}

static void check_strict(struct cfg_ctx *ctx, const struct cfg_vrrp_inst *i)
{
	if (!i->vips)
		ERR(ctx, i->file, i->line,
		    "vrrp_instance %s: strict mode needs a virtual_ipaddress", i->name);
	if (i->unicast_peers)
		ERR(ctx, i->file, i->line,
		    "vrrp_instance %s: strict mode does not allow unicast_peer", i->name);
	if (i->auth.type != CFG_VRRP_AUTH_NONE)
		ERR(ctx, i->file, i->auth_line,
		    "vrrp_instance %s: strict mode does not allow authentication", i->name);
	if (i->preempt_delay_ms)
		ERR(ctx, i->file, i->line,
		    "vrrp_instance %s: strict mode does not allow preempt_delay", i->name);
	if (i->state == CFG_VRRP_STATE_MASTER && i->priority != 255)
		ERR(ctx, i->file, i->state_line ? i->state_line : i->line,
		    "vrrp_instance %s: strict mode allows state MASTER only with priority 255",
		    i->name);
	if (i->vmac_xmit_base)
		ERR(ctx, i->file, i->line,
		    "vrrp_instance %s: strict mode does not allow vmac_xmit_base", i->name);
}

static void check_inst(struct cfg_ctx *ctx, struct cfg_vrrp_inst *i)
{
	const struct cfg_global *g = ctx->root->global;
	uint8_t gver = g && g->vrrp_version == 3 ? 3 : 2;
	bool strict = i->strict_mode != CFG_VTRI_UNSET ? i->strict_mode : (g && g->vrrp_strict);
	int fam;

	if (!i->vrid)
		ERR(ctx, i->file, i->line, "vrrp_instance %s: no virtual_router_id (1..255)",
		    i->name);
	if (!i->interface[0])
		ERR(ctx, i->file, i->line, "vrrp_instance %s: no interface", i->name);
	fam = inst_family(ctx, i);
	i->family = fam > 0 ? fam : AF_INET;
	i->unicast = i->unicast_peers != NULL;
	check_inst_addrs(ctx, i);

	/* The version: IPv6 needs VRRPv3 (RFC 5798); v2 is IPv4 only (RFC 3768). */
	if (i->version == 2 && i->family == AF_INET6)
		ERR(ctx, i->file, i->version_line ? i->version_line : i->line,
		    "vrrp_instance %s: version 2 cannot carry IPv6 addresses; use version 3",
		    i->name);
	i->eff_version = i->version ? i->version : i->family == AF_INET6 ? 3 : gver;
	check_advert_int(ctx, i);
	if (i->eff_version == 3 && i->auth.type != CFG_VRRP_AUTH_NONE) {
		WARN(ctx, i->file, i->auth_line ? i->auth_line : i->line,
		     "vrrp_instance %s: VRRP version 3 has no authentication; ignored", i->name);
		memset(&i->auth, 0, sizeof(i->auth));
	}

	/* RFC 5798 section 6.4.1: the address owner (255) starts as MASTER. */
	if (i->priority == 255 && i->state == CFG_VRRP_STATE_BACKUP)
		WARN(ctx, i->file, i->state_line,
		     "vrrp_instance %s: state BACKUP with priority 255 (address owner); "
		     "starting as MASTER",
		     i->name);
	if (i->priority == 255)
		i->state = CFG_VRRP_STATE_MASTER;
	if (i->nopreempt && i->state == CFG_VRRP_STATE_MASTER)
		WARN(ctx, i->file, i->nopreempt_line ? i->nopreempt_line : i->line,
		     "vrrp_instance %s: nopreempt has no effect with state MASTER", i->name);
	if (i->vrf && i->interface[0])
		WARN(ctx, i->file, i->line,
		     "vrrp_instance %s: vrf %s has no effect when an interface is given", i->name,
		     i->vrf);
	if (i->use_vmac && i->unicast && !i->vmac_xmit_base)
		WARN(ctx, i->file, i->line,
		     "vrrp_instance %s: use_vmac with unicast_peer needs vmac_xmit_base", i->name);
	if (strict)
		check_strict(ctx, i);
	check_track_refs(ctx, i->track, i->name);
}

/* ------------------------------------------------------------------ */
/* VRIDs: one (interface, family, multicast group | unicast peers) each */

static bool peers_overlap(const struct cfg_vrrp_inst *a, const struct cfg_vrrp_inst *b)
{
	const struct cfg_unicast_peer *p, *q;

	for (p = a->unicast_peers; p; p = p->next)
		for (q = b->unicast_peers; q; q = q->next)
			if (cfg_addr_equal(&p->addr, &q->addr))
				return true;
	return false;
}

static bool vrid_clash(const struct cfg_vrrp_inst *a, const struct cfg_vrrp_inst *b)
{
	if (a->family != b->family || a->unicast != b->unicast ||
	    strcmp(a->interface, b->interface))
		return false;
	if (a->unicast)
		return peers_overlap(a, b);
	/* Different multicast groups may share a VRID (keepalived.conf(5)). */
	return cfg_addr_equal(&a->mcast_dst_ip, &b->mcast_dst_ip);
}

static void check_vrids(struct cfg_ctx *ctx, struct cfg_vrrp_inst *head)
{
	struct cfg_vrrp_inst **by_vrid[256] = { 0 };
	size_t cnt[256] = { 0 };
	struct cfg_vrrp_inst *i;
	size_t k, j;

	for (i = head; i; i = i->next)
		cnt[i->vrid]++;
	for (k = 1; k < 256; k++)
		if (cnt[k] > 1)
			by_vrid[k] = cfg_zalloc(cnt[k] * sizeof(*by_vrid[k]));
	memset(cnt, 0, sizeof(cnt));
	for (i = head; i; i = i->next) {
		if (!i->vrid || !by_vrid[i->vrid])
			continue;
		for (j = 0; j < cnt[i->vrid]; j++) {
			const struct cfg_vrrp_inst *o = by_vrid[i->vrid][j];

			if (!vrid_clash(i, o))
				continue;
			ERR(ctx, i->file, i->vrid_line ? i->vrid_line : i->line,
			    "vrrp_instance %s: virtual_router_id %u is already used by %s (%s:%u) "
			    "on %s for %s %s",
			    i->name, i->vrid, o->name, o->file, o->line, i->interface,
			    fam_name(i->family), i->unicast ? "unicast" : "multicast");
			break;
		}
		by_vrid[i->vrid][cnt[i->vrid]++] = i;
	}
	for (k = 0; k < 256; k++)
		free(by_vrid[k]);
}

/* ------------------------------------------------------------------ */
/* Sync groups and track groups */

static void check_syncs(struct cfg_ctx *ctx, struct cfg_vrrp *v)
{
	struct cfg_vrrp_sync *g;
	struct cfg_vrrp_inst *i;
	size_t k, m;

	for (g = v->syncs; g; g = g->next) {
		for (k = 0; k < g->group.n; k++) {
			const char *nm = g->group.v[k];

			for (m = 0; m < k; m++)
				if (!strcmp(g->group.v[m], nm))
					break;
			if (m < k) {
				WARN(ctx, g->file, g->group_line,
				     "vrrp_sync_group %s: %s listed twice", g->name, nm);
				continue;
			}
			i = (struct cfg_vrrp_inst *)find_named(v->insts, nm);
			if (!i) {
				ERR(ctx, g->file, g->group_line,
				    "vrrp_sync_group %s: no vrrp_instance %s", g->name, nm);
			} else if (i->sync) {
				ERR(ctx, g->file, g->group_line,
				    "vrrp_sync_group %s: vrrp_instance %s is already in "
				    "vrrp_sync_group %s (%s:%u)",
				    g->name, nm, i->sync->name, i->sync->file, i->sync->line);
			} else {
				i->sync = g;
			}
		}
		check_track_refs(ctx, g->track, g->name);
	}
}

static void check_track_group_ref(struct cfg_ctx *ctx, const char *tg, const char *file,
				  unsigned line)
{
	if (tg && !find_named(ctx->root->vrrp->track_groups, tg))
		ERR(ctx, file, line, "track_group %s: no track_group of that name", tg);
}

static void check_track_groups(struct cfg_ctx *ctx, const struct cfg_vrrp *v)
{
	const struct cfg_track_group *t;
	const struct cfg_vip *a;
	const struct cfg_route *r;
	const struct cfg_rule *u;
	size_t k;

	for (t = v->track_groups; t; t = t->next)
		for (k = 0; k < t->group.n; k++)
			if (!find_named(v->insts, t->group.v[k]))
				ERR(ctx, t->file, t->line, "track_group %s: no vrrp_instance %s",
				    t->name, t->group.v[k]);
	for (a = v->static_vips; a; a = a->next)
		check_track_group_ref(ctx, a->track_group, a->file, a->line);
	for (r = v->static_routes; r; r = r->next)
		check_track_group_ref(ctx, r->track_group, r->file, r->line);
	for (u = v->static_rules; u; u = u->next)
		check_track_group_ref(ctx, u->track_group, u->file, u->line);
}

void cfg_vrrp_validate(struct cfg_ctx *ctx)
{
	struct cfg_vrrp *v = ctx->root->vrrp;
	struct cfg_vrrp_inst *i;

	check_unique(ctx, v->insts, "vrrp_instance");
	check_unique(ctx, v->syncs, "vrrp_sync_group");
	check_unique(ctx, v->scripts, "vrrp_script");
	check_unique(ctx, v->track_files, "track_file");
	check_unique(ctx, v->track_procs, "vrrp_track_process");
	check_unique(ctx, v->track_groups, "track_group");
	for (i = v->insts; i; i = i->next)
		check_inst(ctx, i);
	check_vrids(ctx, v->insts);
	check_syncs(ctx, v);
	check_track_groups(ctx, v);
}
