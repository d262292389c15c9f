// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VRRP engine in its child process (src/child.h): start on the loop,
 * reload in place, orderly stop, and the USR1/USR2 dumps.
 *
 * Reload keeps an instance that has the same name, interface, VRID,
 * family and unicast-ness: its state, timers and addresses stay (no flap)
 * and it adopts the new settings (priority at once, addresses added or
 * removed when master). Other old instances leave as on stop (priority 0,
 * addresses removed); other new ones start.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alived/xalloc.h"
#include "child.h"
#include "vrrp/vrrp.h"

void vrrp_runtime_set_dont_release(bool on)
{
	vrrp_rt.dont_release = on;
}

static void append(struct vrrp_inst ***tail, struct vrrp_inst *in)
{
	in->next = NULL;
	**tail = in;
	*tail = &in->next;
}

static int check_all(const struct cfg_root *root)
{
	const struct cfg_vrrp_inst *c;
	int r = 0;

	for (c = root->vrrp->insts; c; c = c->next)
		if (vrrp_inst_check_cfg(c) < 0)
			r = -EINVAL;
	return r;
}

static int vrrp_start(struct ev_loop *loop, const struct cfg_root *root)
{
	const struct cfg_vrrp_inst *c;
	struct vrrp_inst **tail = &vrrp_rt.insts, *in;
	unsigned n = 0;
	int r;

	vrrp_rt.loop = loop;
	vrrp_rt.root = root;
	vrrp_rt.stopping = false;
	vrrp_rt.gstats.discontinuity_us = vrrp_now_us();
	if (check_all(root) < 0)
		return -EINVAL;
	r = vrrp_nl_open(&vrrp_rt.nl);
	if (r < 0)
		return log_err_errno(r, "cannot open a netlink socket");
	r = vrrp_link_open(loop, &vrrp_rt.mon);
	if (r < 0) {
		log_err_errno(r, "cannot monitor interfaces over netlink");
		vrrp_nl_close(vrrp_rt.nl);
		vrrp_rt.nl = NULL;
		return r;
	}
	for (c = root->vrrp->insts; c; c = c->next) {
		r = vrrp_inst_new(c, vrrp_rt.next_id++, &in);
		if (r < 0)
			continue;	/* logged; the others run */
		append(&tail, in);
		n++;
	}
	vrrp_inst_index();
	vrrp_rt.running = true;
	vrrp_sync_build();
	vrrp_track_start();
	vrrp_notify_start();
	log_info("VRRP engine: %u instance%s%s", n, n == 1 ? "" : "s",
		 vrrp_rt.dont_release ? " (addresses kept on stop: -V)" : "");
	for (in = vrrp_rt.insts; in; in = in->next) {
		vrrp_inst_emit(in, VRRP_EVT_ADDED);
		vrrp_inst_start(in);
	}
	return 0;
}

static bool same_router(const struct cfg_vrrp_inst *a, const struct cfg_vrrp_inst *b)
{
	return strcmp(a->interface, b->interface) == 0 && a->vrid == b->vrid &&
	       a->family == b->family && a->unicast == b->unicast;
}

static int vrrp_reload(const struct cfg_root *old_root, const struct cfg_root *new_root)
{
	const struct cfg_vrrp_inst *c;
	struct vrrp_inst *in, *next, *kept = NULL, **tail = &kept, *fresh = NULL;
	struct vrrp_inst **ftail = &fresh;
	size_t n_new = 0, k;
	bool *matched;
	unsigned n_kept = 0, n_gone = 0, n_added = 0;
	int r;

	(void)old_root;
	if (!vrrp_rt.running)
		return 0;
	/* Validate everything before touching anything. */
	if (check_all(new_root) < 0)
		return -EINVAL;
	for (c = new_root->vrrp->insts; c; c = c->next)
		n_new++;
	matched = xcalloc(n_new ? n_new : 1, sizeof(*matched));

	/* Old instances: kept (reconfigured in place) or removed. The new
	 * root's global section is in force from here on. Sync groups are
	 * rebuilt below: a removed member's stop moves nobody. */
	vrrp_sync_detach_all();
	vrrp_rt.root = new_root;
	for (in = vrrp_rt.insts; in; in = next) {
		next = in->next;
		for (c = new_root->vrrp->insts, k = 0; c; c = c->next, k++)
			if (!matched[k] && strcmp(c->name, in->name) == 0)
				break;
		if (c && same_router(in->cfg, c)) {
			matched[k] = true;
			r = vrrp_inst_reconfigure(in, c);
			(void)r;	/* logged; it runs on with what could be applied */
			append(&tail, in);
			n_kept++;
			continue;
		}
		log_info("%s: removed by the new configuration", in->name);
		vrrp_inst_free(in, false);
		n_gone++;
	}
	for (c = new_root->vrrp->insts, k = 0; c; c = c->next, k++) {
		if (matched[k])
			continue;
		if (vrrp_inst_new(c, vrrp_rt.next_id++, &in) < 0)
			continue;
		append(&ftail, in);
		n_added++;
	}
	free(matched);
	*tail = fresh;
	vrrp_rt.insts = kept;
	vrrp_inst_index();
	vrrp_sync_build();
	vrrp_track_reload();	/* applies the new tracking to the kept instances */
	vrrp_notify_reload();
	vrrp_if_gc();
	for (in = fresh; in; in = in->next) {
		vrrp_inst_emit(in, VRRP_EVT_ADDED);
		vrrp_inst_start(in);
	}
	log_info("VRRP engine reloaded: %u kept, %u removed, %u added", n_kept, n_gone, n_added);
	{
		struct vrrp_evt_info e = { .evt = VRRP_EVT_RELOAD, .reason = "" };

		vrrp_api_emit(&e);
	}
	return 0;
}

static void vrrp_stop(void)
{
	struct vrrp_inst *in, *next;
	uint64_t t0 = ev_time_us();
	unsigned n = 0;

	if (!vrrp_rt.running)
		return;
	vrrp_rt.stopping = true;
	vrrp_sync_detach_all();
	for (in = vrrp_rt.insts; in; in = next) {
		next = in->next;
		vrrp_inst_free(in, vrrp_rt.dont_release);
		n++;
	}
	vrrp_rt.insts = NULL;
	vrrp_inst_index();
	vrrp_sync_stop();
	vrrp_notify_stop();	/* the STOP notifications still run, in order */
	vrrp_track_stop();
	vrrp_sync_free_all();
	vrrp_if_gc();
	vrrp_link_close(vrrp_rt.mon);
	vrrp_rt.mon = NULL;
	vrrp_nl_close(vrrp_rt.nl);
	vrrp_rt.nl = NULL;
	vrrp_api_clear_all();
	vrrp_rt.running = false;
	log_info("VRRP engine stopped: %u instance%s in %" PRIu64 " ms%s", n, n == 1 ? "" : "s",
		 (ev_time_us() - t0) / 1000, vrrp_rt.dont_release ? " (addresses kept)" : "");
}

/* ------------------------------------------------------------------ */
/* Dumps */

static void dump_inst(FILE *out, const struct vrrp_inst *in)
{
	struct vrrp_api_info i;
	char a[CFG_ADDRSTRLEN], b[CFG_ADDRSTRLEN];

	vrrp_inst_info(in, &i);
	fprintf(out, "vrrp_instance %s {\n", i.name);
	fprintf(out, "    id %" PRIu32 "\n", i.id);
	fprintf(out, "    state %s\n", vrrp_api_state_name(i.state));
	fprintf(out, "    wanted_state %s\n", vrrp_api_state_name(i.wanted_state));
	fprintf(out, "    last_transition %s (%" PRId64 ")\n",
		i.last_reason[0] ? i.last_reason : "none", i.last_transition_wall_s);
	fprintf(out, "    interface %s index %d %s\n", i.ifname, i.ifindex,
		!i.ifindex ? "missing" : i.if_up ? "up" : "down");
	fprintf(out, "    virtual_router_id %u\n    version %u\n    family %s\n", i.vrid,
		i.version, i.family == AF_INET ? "inet" : "inet6");
	fprintf(out, "    base_priority %u\n    effective_priority %u\n", i.base_priority,
		i.effective_priority);
	fprintf(out, "    preempt %s\n    preempt_delay_ms %" PRIu32 "\n",
		i.preempt ? "on" : "off", i.preempt_delay_ms);
	fprintf(out, "    maintenance %s\n", i.maintenance ? "on" : "off");
	fprintf(out, "    advert_int_cs %u\n    master_adver_int_cs %u\n", i.advert_int_cs,
		i.master_adver_int_cs);
	fprintf(out, "    master %s priority %u\n",
		i.master_addr.family ? cfg_addr_fmt(&i.master_addr, a, sizeof(a)) : "unknown",
		i.master_priority);
	fprintf(out, "    source %s%s\n",
		i.src_addr.family ? cfg_addr_fmt(&i.src_addr, b, sizeof(b)) : "none",
		i.unicast ? " (unicast)" : "");
	fprintf(out, "    skew_time_us %" PRIu64 "\n    master_down_interval_us %" PRIu64 "\n",
		in->fsm.skew_time_us, in->fsm.master_down_interval_us);
	fprintf(out, "    virtual_addresses %u excluded %u %s\n", i.n_vips, i.n_evips,
		i.vips_installed ? "installed" : "not installed");
	for (unsigned k = 0; k < in->n_vips; k++)
		fprintf(out, "        %s%s%s\n", cfg_addr_fmt(&in->vips[k].cfg->addr, a, sizeof(a)),
			in->vips[k].excluded ? " excluded" : "",
			in->vips[k].installed ? " installed" : "");
	fprintf(out, "    tracking %+d%s%s%s\n", in->trk_delta, in->fault_if ? " fault_if" : "",
		in->fault_track ? " fault_track" : "", in->fault_sync ? " fault_sync" : "");
	vrrp_track_dump(out, in);
	if (in->sync)
		fprintf(out, "    sync_group %s\n", in->sync->name);
	fprintf(out, "}\n");
}

static void vrrp_dump_data(FILE *out)
{
	const struct vrrp_inst *in;

	fprintf(out, "# VRRP runtime\n");
	for (in = vrrp_rt.insts; in; in = in->next)
		dump_inst(out, in);
	vrrp_sync_dump(out);
}

static void dump_stats_inst(FILE *out, const struct vrrp_inst *in)
{
	const struct vrrp_api_stats *s = &in->stats;

	fprintf(out, "vrrp_instance %s {\n", in->name);
#define S(f) fprintf(out, "    %s %" PRIu64 "\n", #f, s->f)
	S(adverts_rcvd);
	S(adverts_sent);
	S(master_transitions);
	fprintf(out, "    new_master_reason %s\n",
		vrrp_fsm_master_reason_name((enum vrrp_master_reason)s->new_master_reason));
	S(pri_zero_rcvd);
	S(pri_zero_sent);
	S(checksum_errors);
	S(version_errors);
	S(vrid_errors);
	S(ttl_errors);
	S(packet_length_errors);
	S(addr_list_errors);
	S(adv_interval_errors);
	S(invalid_type_rcvd);
	S(auth_failures);
	S(invalid_auth_type);
	S(auth_type_mismatch);
	S(unknown_src_rcvd);
	S(garp_sent);
#undef S
	fprintf(out, "    proto_err_reason %d\n", s->proto_err_reason);
	fprintf(out, "    discontinuity_us %" PRIu64 "\n}\n", s->discontinuity_us);
}

static void vrrp_dump_stats(FILE *out)
{
	const struct vrrp_api_global_stats *g = &vrrp_rt.gstats;
	const struct vrrp_inst *in;

	fprintf(out, "vrrp_router {\n    checksum_errors %" PRIu64 "\n    version_errors %" PRIu64
		"\n    vrid_errors %" PRIu64 "\n    short_packets %" PRIu64 "\n}\n",
		g->checksum_errors, g->version_errors, g->vrid_errors, g->rx_dropped_short);
	for (in = vrrp_rt.insts; in; in = in->next)
		dump_stats_inst(out, in);
}

static void vrrp_clear_stats(void)
{
	struct vrrp_inst *in;

	memset(&vrrp_rt.gstats, 0, sizeof(vrrp_rt.gstats));
	vrrp_rt.gstats.discontinuity_us = vrrp_now_us();
	for (in = vrrp_rt.insts; in; in = in->next)
		vrrp_cmd_reset_stats(in->id, &(struct cmd_origin){ .kind = CMD_ORIGIN_SIGNAL,
								  .uid = (uid_t)-1 });
}

const struct child_ops vrrp_child_ops = {
	.name = "vrrp",
	.start = vrrp_start,
	.reload = vrrp_reload,
	.stop = vrrp_stop,
	.dump_data = vrrp_dump_data,
	.dump_stats = vrrp_dump_stats,
	.clear_stats = vrrp_clear_stats,
};
