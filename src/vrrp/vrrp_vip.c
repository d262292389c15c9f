// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Virtual addresses of an instance (virtual_ipaddress, and
 * virtual_ipaddress_excluded, which are added and removed the same way
 * but never advertised), and the gratuitous ARP / unsolicited neighbour
 * advertisement bursts that announce them (RFC 5798 §6.4.1 (c)/(d),
 * §6.4.2; RFC 5227 §3; RFC 4861 §7.2.6).
 *
 * A burst is garp_*_repeat rounds, a round one message per address;
 * rounds are vrrp_garp_interval / vrrp_gna_interval apart (back to back
 * when 0). Becoming master sends one burst at once and, when
 * garp_master_delay is not 0, a second one that much later;
 * garp_master_refresh repeats a burst of garp_master_refresh_repeat
 * rounds while master.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "alived/xalloc.h"
#include "vrrp/vrrp.h"

static size_t fam_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

int vrrp_vip_build(struct vrrp_inst *in, const struct cfg_vrrp_inst *c)
{
	const struct cfg_vip *v;
	unsigned n = 0, k = 0, nadv = 0;

	for (v = c->vips; v; v = v->next)
		n++;
	for (v = c->evips; v; v = v->next)
		n++;
	in->vips = xcalloc(n ? n : 1, sizeof(*in->vips));
	in->adv_addrs = xcalloc(n ? n : 1, sizeof(*in->adv_addrs));
	for (v = c->vips; v; v = v->next, k++) {
		in->vips[k].cfg = v;
		if (v->addr.family != c->family || nadv >= VRRP_PKT_MAX_ADDRS)
			continue;
		in->vips[k].in_advert = true;
		memcpy(&in->adv_addrs[nadv++], &v->addr.u, fam_len(v->addr.family));
	}
	for (v = c->evips; v; v = v->next, k++) {
		in->vips[k].cfg = v;
		in->vips[k].excluded = true;
	}
	in->n_vips = n;
	in->n_adv = nadv;
	return 0;
}

void vrrp_vip_free(struct vrrp_inst *in)
{
	free(in->vips);
	free(in->adv_addrs);
	in->vips = NULL;
	in->adv_addrs = NULL;
	in->n_vips = in->n_adv = 0;
}

static int vip_ifindex(const struct vrrp_inst *in, const struct cfg_vip *v)
{
	if (v->dev[0] && strcmp(v->dev, in->vif->name) != 0)
		return (int)if_nametoindex(v->dev);
	return in->vif->ifindex;
}

static const char *vip_dev(const struct vrrp_inst *in, const struct cfg_vip *v)
{
	return v->dev[0] ? v->dev : in->vif->name;
}

/* brd + / brd -: the prefix with every host bit set / clear (IPv4 only). */
static void vip_brd(const struct cfg_vip *v, struct cfg_addr *ret)
{
	unsigned plen = v->addr.has_prefix ? v->addr.prefix : 32;
	uint32_t a = ntohl(v->addr.u.v4.s_addr);
	uint32_t host = plen >= 32 ? 0 : 0xffffffffu >> plen;

	memset(ret, 0, sizeof(*ret));
	ret->family = AF_INET;
	ret->prefix = 32;
	ret->u.v4.s_addr = htonl(v->brd_mode == CFG_BRD_SET ? (a | host) : (a & ~host));
}

static int vip_add(struct vrrp_inst *in, struct vrrp_vip *vp)
{
	const struct cfg_vip *v = vp->cfg;
	struct vrrp_addr_opts o = { .scope = v->scope, .nodad = true };
	struct cfg_addr brd;
	char buf[CFG_ADDRSTRLEN];
	int idx = vip_ifindex(in, v), r;

	if (v->label[0])
		o.label = v->label;
	if (v->addr.family == AF_INET && v->brd_mode == CFG_BRD_ADDR) {
		o.brd = &v->brd;
	} else if (v->addr.family == AF_INET &&
		   (v->brd_mode == CFG_BRD_SET || v->brd_mode == CFG_BRD_CLEAR)) {
		vip_brd(v, &brd);
		o.brd = &brd;
	}
	r = idx ? vrrp_addr_add(vrrp_rt.nl, idx, &v->addr, &o) : -ENODEV;
	if (r < 0)
		return log_err_errno(r, "%s: cannot add %s to %s", in->name,
				     cfg_addr_fmt(&v->addr, buf, sizeof(buf)), vip_dev(in, v));
	vp->installed = true;
	return 0;
}

static int vip_del(struct vrrp_inst *in, struct vrrp_vip *vp)
{
	const struct cfg_vip *v = vp->cfg;
	char buf[CFG_ADDRSTRLEN];
	int idx = vip_ifindex(in, v), r;

	vp->installed = false;
	if (!idx)
		return 0;	/* the interface is gone, and its addresses with it */
	r = vrrp_addr_del(vrrp_rt.nl, idx, &v->addr);
	if (r < 0)
		return log_err_errno(r, "%s: cannot remove %s from %s", in->name,
				     cfg_addr_fmt(&v->addr, buf, sizeof(buf)), vip_dev(in, v));
	return 0;
}

void vrrp_vip_add_all(struct vrrp_inst *in)
{
	unsigned ok = 0;

	for (unsigned k = 0; k < in->n_vips; k++)
		if (vip_add(in, &in->vips[k]) == 0)
			ok++;
	in->vips_installed = true;
	in->vips_maybe = false;
	if (in->n_vips)
		log_info("%s: %u of %u virtual address%s added", in->name, ok, in->n_vips,
			 in->n_vips == 1 ? "" : "es");
}

void vrrp_vip_del_all(struct vrrp_inst *in)
{
	bool was = in->vips_installed;
	unsigned n = 0;

	vrrp_garp_stop(in);
	for (unsigned k = 0; k < in->n_vips; k++) {
		if (!in->vips[k].installed && !in->vips_maybe)
			continue;
		vip_del(in, &in->vips[k]);
		n++;
	}
	in->vips_installed = false;
	in->vips_maybe = false;
	if (was && n)
		log_info("%s: %u virtual address%s removed", in->name, n, n == 1 ? "" : "es");
}

static bool vip_same(const struct cfg_vip *a, const struct cfg_vip *b)
{
	return cfg_addr_equal(&a->addr, &b->addr) && strcmp(a->dev, b->dev) == 0 &&
	       strcmp(a->label, b->label) == 0 && a->scope == b->scope &&
	       a->brd_mode == b->brd_mode;
}

void vrrp_vip_migrate(struct vrrp_inst *in, struct vrrp_vip *old, unsigned n_old)
{
	bool *kept = xcalloc(n_old ? n_old : 1, sizeof(*kept));
	unsigned k, j;

	for (k = 0; k < in->n_vips; k++) {
		for (j = 0; j < n_old; j++) {
			if (kept[j] || !vip_same(in->vips[k].cfg, old[j].cfg))
				continue;
			kept[j] = true;
			in->vips[k].installed = old[j].installed;
			break;
		}
	}
	/* Gone from the configuration: removed while the old struct is valid. */
	for (j = 0; j < n_old; j++)
		if (!kept[j] && old[j].installed)
			vip_del(in, &old[j]);
	free(kept);
	if (!in->vips_installed)
		return;
	for (k = 0; k < in->n_vips; k++)
		if (!in->vips[k].installed)
			vip_add(in, &in->vips[k]);
}

/* ------------------------------------------------------------------ */
/* Gratuitous ARP / unsolicited NA */

static int32_t pick(int32_t inst_val, int64_t global_val)
{
	return inst_val >= 0 ? inst_val : (int32_t)global_val;
}

static void garp_round(struct vrrp_inst *in)
{
	uint8_t mac[6];
	unsigned sent = 0;

	for (unsigned k = 0; k < in->n_vips; k++) {
		const struct cfg_vip *v = in->vips[k].cfg;
		int idx = vip_ifindex(in, v), r;

		if (!in->vips[k].installed || !idx)
			continue;
		if (idx == in->vif->ifindex && in->vif->have_mac)
			memcpy(mac, in->vif->mac, 6);
		else if (vrrp_if_mac(idx, mac) < 0)
			continue;
		if (v->addr.family == AF_INET)
			r = vrrp_garp_send(idx, mac, v->addr.u.v4);
		else
			r = vrrp_na_send(idx, mac, &v->addr.u.v6);
		if (r == 0) {
			sent++;
		} else if (log_ratelimit_ok(&in->rl_tx, vrrp_now_us(), VRRP_RL_BURST,
					    VRRP_RL_INTERVAL_US)) {
			char buf[CFG_ADDRSTRLEN];

			log_warn_errno(r, "%s: gratuitous ARP/NA for %s failed", in->name,
				       cfg_addr_fmt(&v->addr, buf, sizeof(buf)));
		}
	}
	in->stats.garp_sent += sent;
}

static uint64_t garp_gap_us(void)
{
	const struct cfg_global *g = vrrp_rt.root->global;

	return g->vrrp_garp_interval_us > g->vrrp_gna_interval_us ? g->vrrp_garp_interval_us
								  : g->vrrp_gna_interval_us;
}

static void garp_round_cb(void *ud)
{
	struct vrrp_inst *in = ud;

	in->garp_tmr = 0;
	if (!in->garp_rounds_left || in->fsm.state != VRRP_ST_MASTER)
		return;
	in->garp_rounds_left--;
	garp_round(in);
	if (in->garp_rounds_left)
		in->garp_tmr = ev_timer_add(vrrp_rt.loop, garp_gap_us(), garp_round_cb, in);
}

/* A burst of rounds: at once when the gap is 0, else paced by a timer. */
static void garp_burst(struct vrrp_inst *in, unsigned rounds)
{
	uint64_t gap = garp_gap_us();

	if (!rounds || !in->vips_installed)
		return;
	log_info("%s: sending %u gratuitous ARP/NA round%s for %u address%s", in->name, rounds,
		 rounds == 1 ? "" : "s", in->n_vips, in->n_vips == 1 ? "" : "es");
	if (!gap) {
		while (rounds--)
			garp_round(in);
		return;
	}
	ev_timer_cancel(vrrp_rt.loop, in->garp_tmr);
	in->garp_rounds_left = rounds - 1;
	garp_round(in);
	in->garp_tmr = in->garp_rounds_left ?
		ev_timer_add(vrrp_rt.loop, gap, garp_round_cb, in) : 0;
}

static unsigned master_repeat(const struct vrrp_inst *in)
{
	return (unsigned)pick(in->cfg->garp_master_repeat,
			      vrrp_rt.root->global->vrrp_garp_master_repeat);
}

static void garp_delay_master_cb(void *ud)
{
	struct vrrp_inst *in = ud;

	in->garp_delay_tmr = 0;
	if (in->fsm.state == VRRP_ST_MASTER)
		garp_burst(in, master_repeat(in));
}

static unsigned lower_repeat(const struct vrrp_inst *in)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	int32_t r = pick(in->cfg->garp_lower_prio_repeat, g->vrrp_garp_lower_prio_repeat);

	return r >= 0 ? (unsigned)r : master_repeat(in);
}

static void garp_delay_lower_cb(void *ud)
{
	struct vrrp_inst *in = ud;

	in->garp_delay_tmr = 0;
	if (in->fsm.state == VRRP_ST_MASTER)
		garp_burst(in, lower_repeat(in));
}

static void garp_refresh_cb(void *ud)
{
	struct vrrp_inst *in = ud;
	const struct cfg_global *g = vrrp_rt.root->global;
	int32_t every_s = pick(in->cfg->garp_master_refresh_s, g->vrrp_garp_master_refresh_s);
	int32_t rep = pick(in->cfg->garp_master_refresh_repeat,
			   g->vrrp_garp_master_refresh_repeat);

	in->garp_refresh_tmr = 0;
	if (in->fsm.state != VRRP_ST_MASTER || every_s <= 0)
		return;
	garp_burst(in, rep > 0 ? (unsigned)rep : 1);
	in->garp_refresh_tmr = ev_timer_add(vrrp_rt.loop, (uint64_t)every_s * 1000000u,
					    garp_refresh_cb, in);
}

void vrrp_garp_start(struct vrrp_inst *in, enum vrrp_garp kind)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	int32_t delay_s, refresh_s;

	if (kind == VRRP_GARP_LOWER_PRIO) {
		/* one burst pending is enough, whatever a peer keeps sending */
		if (in->garp_tmr || in->garp_delay_tmr)
			return;
		delay_s = pick(in->cfg->garp_lower_prio_delay_s, g->vrrp_garp_lower_prio_delay_s);
		if (delay_s < 0)
			delay_s = pick(in->cfg->garp_master_delay_s, g->vrrp_garp_master_delay_s);
		garp_burst(in, lower_repeat(in));
		if (delay_s > 0)
			in->garp_delay_tmr = ev_timer_add(vrrp_rt.loop,
							  (uint64_t)delay_s * 1000000u,
							  garp_delay_lower_cb, in);
		return;
	}
	vrrp_garp_stop(in);
	garp_burst(in, master_repeat(in));
	delay_s = pick(in->cfg->garp_master_delay_s, g->vrrp_garp_master_delay_s);
	if (delay_s > 0)
		in->garp_delay_tmr = ev_timer_add(vrrp_rt.loop, (uint64_t)delay_s * 1000000u,
						  garp_delay_master_cb, in);
	refresh_s = pick(in->cfg->garp_master_refresh_s, g->vrrp_garp_master_refresh_s);
	if (refresh_s > 0)
		in->garp_refresh_tmr = ev_timer_add(vrrp_rt.loop, (uint64_t)refresh_s * 1000000u,
						    garp_refresh_cb, in);
}

void vrrp_garp_once(struct vrrp_inst *in)
{
	garp_burst(in, master_repeat(in));
}

void vrrp_garp_stop(struct vrrp_inst *in)
{
	ev_timer_cancel(vrrp_rt.loop, in->garp_tmr);
	ev_timer_cancel(vrrp_rt.loop, in->garp_delay_tmr);
	ev_timer_cancel(vrrp_rt.loop, in->garp_refresh_tmr);
	in->garp_tmr = in->garp_delay_tmr = in->garp_refresh_tmr = 0;
	in->garp_rounds_left = 0;
}
