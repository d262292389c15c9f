// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interfaces of the VRRP runtime: one raw socket per (interface, family),
 * shared by every instance there. Received adverts are demultiplexed by
 * VRID (and, for unicast instances, by sender), validated by the codec
 * against the instance's expectations (RFC 3768 §7.1, RFC 5798 §7.1),
 * and only then given to the state machine. A refused packet is counted
 * per cause and changes no timer; its log line is rate-limited per
 * instance and cause.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "alived/xalloc.h"
#include "vrrp/vrrp.h"

static size_t fam_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static bool addr_eq(const struct cfg_addr *a, const struct cfg_addr *b)
{
	return a->family == b->family && memcmp(&a->u, &b->u, fam_len(a->family)) == 0;
}

static bool is_default_group(const struct cfg_addr *g)
{
	struct cfg_addr d = { 0 };

	cfg_addr_parse(g->family == AF_INET ? "224.0.0.18" : "ff02::12", &d);
	return addr_eq(g, &d);
}

struct vrrp_if *vrrp_if_get(const char *name, int family)
{
	struct vrrp_if *vif, **tail = &vrrp_rt.ifs;
	bool up = false;
	int ifindex = 0;

	for (vif = vrrp_rt.ifs; vif; vif = vif->next) {
		if (vif->family == family && strcmp(vif->name, name) == 0)
			return vif;
		tail = &vif->next;
	}
	vif = xcalloc(1, sizeof(*vif));
	snprintf(vif->name, sizeof(vif->name), "%s", name);
	vif->family = family;
	vif->fd = -1;
	if (vrrp_link_query(name, &ifindex, &up) == 0) {
		vif->ifindex = ifindex;
		vif->up = up;
	}
	*tail = vif;
	return vif;
}

static void if_close(struct vrrp_if *vif)
{
	if (vif->fd < 0)
		return;
	ev_io_del(vrrp_rt.loop, vif->fd);
	close(vif->fd);
	vif->fd = -1;
	vif->mcast = false;
}

static void vif_free(struct vrrp_if *vif)
{
	if_close(vif);
	free(vif);
}

void vrrp_if_gc(void)
{
	struct vrrp_if **pp = &vrrp_rt.ifs, *vif;

	while ((vif = *pp)) {
		if (vif->n_inst || vif->n_track) {
			pp = &vif->next;
			continue;
		}
		*pp = vif->next;
		vif_free(vif);
	}
}

struct vrrp_if *vrrp_if_track(const char *name)
{
	struct vrrp_if *vif = vrrp_if_get(name, AF_UNSPEC);

	vif->n_track++;
	return vif;
}

void vrrp_if_untrack(struct vrrp_if *vif)
{
	if (vif && vif->n_track)
		vif->n_track--;
	/* freed by the next vrrp_if_gc() */
}

/* Joins a group other than the default one (mcast_dst_ip, vrrp_mcast_group*). */
static int join_group(struct vrrp_if *vif, const struct cfg_addr *g)
{
	int r = 0;

	if (vif->family == AF_INET) {
		struct ip_mreqn mr = { .imr_multiaddr = g->u.v4, .imr_ifindex = vif->ifindex };

		r = setsockopt(vif->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
	} else {
		struct ipv6_mreq mr = { .ipv6mr_multiaddr = g->u.v6,
					.ipv6mr_interface = (unsigned)vif->ifindex };

		r = setsockopt(vif->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr));
	}
	if (r < 0 && errno != EADDRINUSE)
		return -errno;
	return 0;
}

static void rx_cb(int fd, uint32_t events, void *ud);

/*
 * Receive buffer: vrrp_rx_bufs_size when configured, else at least
 * VRRP_RX_BUF_DEFAULT, so that a burst of junk (the fd is read 64 packets
 * at a time between timers) does not make the kernel drop real adverts.
 */
static void set_rcvbuf(const struct vrrp_if *vif, int fd)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	int cur = 0, want = VRRP_RX_BUF_DEFAULT;
	socklen_t len = sizeof(cur);

	if (g->vrrp_rx_bufs_policy == CFG_RX_BUFS_SIZE && g->vrrp_rx_bufs_size)
		want = g->vrrp_rx_bufs_size > INT32_MAX / 2 ? INT32_MAX / 2
							    : (int)g->vrrp_rx_bufs_size;
	else if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cur, &len) == 0 && cur / 2 >= want)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want)) < 0)
		log_debug(LOG_CAT_SOCK, "%s: cannot set the receive buffer to %d", vif->name, want);
}

static void if_open(struct vrrp_if *vif, bool want_mcast)
{
	char buf[CFG_ADDRSTRLEN];
	struct vrrp_inst *in;
	int fd, r;

	fd = vrrp_sock_open(vif->family, vif->ifindex, vif->name, !want_mcast);
	if (fd < 0) {
		log_err_errno(fd, "%s: cannot open the VRRP socket (%s)", vif->name,
			      vif->family == AF_INET ? "IPv4" : "IPv6");
		return;
	}
	r = ev_io_add(vrrp_rt.loop, fd, EV_READ, rx_cb, vif);
	if (r < 0) {
		log_err_errno(r, "%s: cannot watch the VRRP socket", vif->name);
		close(fd);
		return;
	}
	set_rcvbuf(vif, fd);
	vif->fd = fd;
	vif->mcast = want_mcast;
	for (unsigned k = 0; want_mcast && k < 256; k++)
		for (in = vif->by_vrid[k]; in; in = in->vrid_next) {
			if (in->cfg->unicast || is_default_group(&in->group))
				continue;
			r = join_group(vif, &in->group);
			if (r < 0)
				log_warn_errno(r, "%s: %s: cannot join %s", in->name, vif->name,
					       cfg_addr_fmt(&in->group, buf, sizeof(buf)));
		}
	vif->have_mac = vrrp_if_mac(vif->ifindex, vif->mac) == 0;
	log_debug(LOG_CAT_SOCK, "%s: VRRP socket %d open (%s%s)", vif->name, fd,
		  vif->family == AF_INET ? "IPv4" : "IPv6", want_mcast ? ", multicast" : "");
}

void vrrp_if_sync(struct vrrp_if *vif, bool reopen)
{
	bool want_mcast = false;
	struct vrrp_inst *in;

	for (unsigned k = 0; k < 256 && !want_mcast; k++)
		for (in = vif->by_vrid[k]; in && !want_mcast; in = in->vrid_next)
			if (!in->cfg->unicast)
				want_mcast = true;
	if (!vif->n_inst || !vif->ifindex) {
		if_close(vif);
		return;
	}
	/* A new multicast instance on a unicast-only socket, or a new group. */
	if (vif->fd >= 0 && (reopen || (want_mcast && !vif->mcast)))
		if_close(vif);
	if (vif->fd < 0)
		if_open(vif, want_mcast);
}

void vrrp_if_attach(struct vrrp_if *vif, struct vrrp_inst *in)
{
	struct vrrp_inst **pp = &vif->by_vrid[in->cfg->vrid];

	while (*pp)
		pp = &(*pp)->vrid_next;
	*pp = in;
	in->vrid_next = NULL;
	in->vif = vif;
	vif->n_inst++;
	if (vif->fd >= 0 && vif->mcast && !in->cfg->unicast && !is_default_group(&in->group) &&
	    join_group(vif, &in->group) < 0)
		log_warn("%s: %s: cannot join its multicast group", in->name, vif->name);
	vrrp_if_sync(vif, false);
	if (vif->ifindex && vif->primary.family == AF_UNSPEC)
		vrrp_if_primary_refresh(vif);
}

void vrrp_if_detach(struct vrrp_if *vif, struct vrrp_inst *in)
{
	struct vrrp_inst **pp = &vif->by_vrid[in->cfg->vrid];

	while (*pp && *pp != in)
		pp = &(*pp)->vrid_next;
	if (!*pp)
		return;
	*pp = in->vrid_next;
	in->vrid_next = NULL;
	vif->n_inst--;
	if (!vif->n_inst)
		if_close(vif);
}

void vrrp_if_update(struct vrrp_if *vif, int ifindex, bool up)
{
	struct vrrp_inst *in, *next;
	bool changed = vif->ifindex != ifindex || vif->up != up;

	if (vif->family == AF_UNSPEC) {
		/* a tracked interface: no socket, no instance */
		vif->ifindex = ifindex;
		vif->up = up;
		if (changed)
			vrrp_track_if_changed(vif);
		return;
	}
	if (vif->ifindex != ifindex) {
		/* gone, or a new interface of that name: the old socket is dead */
		if_close(vif);
		vif->ifindex = ifindex;
		vif->primary.family = AF_UNSPEC;
		vif->have_mac = false;
	}
	if (up && !vif->up && vif->family == AF_INET6)
		vif->primary.family = AF_UNSPEC;	/* admin down drops IPv6 addresses */
	vif->up = up;
	if (!changed)
		return;
	vrrp_if_sync(vif, false);
	if (vif->ifindex && vif->primary.family == AF_UNSPEC)
		vrrp_if_primary_refresh(vif);
	for (unsigned k = 0; k < 256; k++)
		for (in = vif->by_vrid[k]; in; in = next) {
			next = in->vrid_next;
			vrrp_inst_if_changed(in);
		}
}

int vrrp_if_primary_refresh(struct vrrp_if *vif)
{
	struct cfg_addr a;
	int r;

	if (vif->family == AF_UNSPEC)
		return -EAFNOSUPPORT;	/* a tracked interface has no primary */
	if (!vif->ifindex)
		return -ENODEV;
	r = vrrp_if_primary(vrrp_rt.nl, vif->ifindex, vif->family, &a);
	if (r < 0)
		return r;
	vif->primary = a;
	return 0;
}

int vrrp_if_send(struct vrrp_if *vif, const struct cfg_addr *src, const struct cfg_addr *dst,
		 const uint8_t *buf, size_t len)
{
	if (vif->fd < 0)
		return -ENOTCONN;
	return vrrp_sock_send(vif->fd, vif->ifindex, src, dst, buf, len);
}

/* ------------------------------------------------------------------ */
/* Counting what is refused */

static const char *drop_name(int reason)
{
	switch (reason) {
	case VRRP_DROP_UNKNOWN_SRC:
		return "sender is not a unicast peer";
	case VRRP_DROP_OWNER:
		return "we are the address owner";
	case VRRP_DROP_ADDRLIST:
		return "address list differs (accepted)";
	default:
		return vrrp_pkt_err_str(reason);
	}
}

static void count_reason(struct vrrp_inst *in, int reason)
{
	struct vrrp_api_stats *s = &in->stats;
	struct vrrp_api_global_stats *g = &vrrp_rt.gstats;

	switch (reason) {
	case VRRP_PKT_E_LENGTH:
		s->packet_length_errors++;
		break;
	case VRRP_PKT_E_VERSION:
		s->version_errors++;
		g->version_errors++;
		break;
	case VRRP_PKT_E_TYPE:
		s->invalid_type_rcvd++;
		break;
	case VRRP_PKT_E_CHECKSUM:
		s->checksum_errors++;
		g->checksum_errors++;
		break;
	case VRRP_PKT_E_TTL:
		s->ttl_errors++;
		break;
	case VRRP_PKT_E_VRID:
		s->vrid_errors++;
		g->vrid_errors++;
		break;
	case VRRP_PKT_E_ADDRLIST:
	case VRRP_DROP_ADDRLIST:
		s->addr_list_errors++;
		break;
	case VRRP_PKT_E_AUTH_TYPE_INVALID:
		s->invalid_auth_type++;
		break;
	case VRRP_PKT_E_AUTH_TYPE_MISMATCH:
		s->auth_type_mismatch++;
		break;
	case VRRP_PKT_E_AUTH_FAILURE:
		s->auth_failures++;
		break;
	case VRRP_PKT_E_INTERVAL:
		s->adv_interval_errors++;
		break;
	case VRRP_DROP_UNKNOWN_SRC:
		s->unknown_src_rcvd++;
		break;
	default:
		break;
	}
	if (reason < VRRP_PKT_E__COUNT && vrrp_pkt_err_proto_reason(reason))
		s->proto_err_reason = (int)vrrp_pkt_err_proto_reason(reason);
}

void vrrp_rx_count_drop(struct vrrp_inst *in, int reason, const struct cfg_addr *src,
			const char *detail)
{
	char abuf[CFG_ADDRSTRLEN];
	struct vrrp_evt_info e;
	unsigned n;

	if (reason < 0 || reason >= VRRP_DROP__COUNT)
		return;
	count_reason(in, reason);
	vrrp_inst_stats_touch(in);
	if (!log_ratelimit_ok(&in->rl[reason], vrrp_now_us(), VRRP_RL_BURST, VRRP_RL_INTERVAL_US))
		return;
	n = log_ratelimit_suppressed(&in->rl[reason]);
	cfg_addr_fmt(src, abuf, sizeof(abuf));
	if (n)
		log_warn("%s: advert from %s refused: %s%s%s (%u more suppressed)", in->name, abuf,
			 drop_name(reason), detail && *detail ? ": " : "", detail ? detail : "", n);
	else
		log_warn("%s: advert from %s refused: %s%s%s", in->name, abuf, drop_name(reason),
			 detail && *detail ? ": " : "", detail ? detail : "");
	if (reason >= VRRP_PKT_E__COUNT)
		return;
	memset(&e, 0, sizeof(e));
	e.evt = VRRP_EVT_PROTO_ERROR;
	e.id = in->id;
	e.name = in->name;
	e.old_state = e.new_state = vrrp_inst_api_state(in->fsm.state);
	e.reason = drop_name(reason);
	e.pkt_err = reason;
	e.proto_err = (int)vrrp_pkt_err_proto_reason(reason);
	e.auth_err = (int)vrrp_pkt_err_auth_reason(reason);
	e.pkt_src = *src;
	vrrp_api_emit(&e);
}

/* ------------------------------------------------------------------ */
/* Receiving */

static bool is_peer(const struct vrrp_inst *in, const struct cfg_addr *src,
		    const struct cfg_unicast_peer **ret)
{
	const struct cfg_unicast_peer *p;

	for (p = in->cfg->unicast_peers; p; p = p->next)
		if (addr_eq(&p->addr, src)) {
			*ret = p;
			return true;
		}
	return false;
}

static bool is_mcast(const struct cfg_addr *a)
{
	return a->family == AF_INET ? IN_MULTICAST(ntohl(a->u.v4.s_addr))
				    : IN6_IS_ADDR_MULTICAST(&a->u.v6);
}

/*
 * The instance a packet is for: a unicast instance that has the sender as
 * peer, else a multicast instance whose group is the destination (any
 * multicast instance when the destination is not a group address).
 * *ret_stranger is set when instances run this VRID here but none
 * matches; the first of them is returned to be charged with the drop.
 */
static struct vrrp_inst *demux(struct vrrp_if *vif, uint8_t vrid, const struct vrrp_rx *rx,
			       const struct cfg_unicast_peer **ret_peer, bool *ret_stranger)
{
	struct vrrp_inst *in, *first = vif->by_vrid[vrid];

	*ret_stranger = false;
	*ret_peer = NULL;
	for (in = first; in; in = in->vrid_next) {
		if (in->cfg->unicast) {
			if (is_peer(in, &rx->src, ret_peer))
				return in;
		} else if (!is_mcast(&rx->dst) || addr_eq(&rx->dst, &in->group)) {
			return in;
		}
	}
	*ret_stranger = first != NULL;
	return first;
}

static void to_pkt_addr(const struct cfg_addr *a, union vrrp_pkt_ipaddr *ret)
{
	memset(ret, 0, sizeof(*ret));
	memcpy(ret, &a->u, fam_len(a->family));
}

static void rx_unknown_vrid(struct vrrp_if *vif, uint8_t vrid, const struct vrrp_rx *rx)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	char abuf[CFG_ADDRSTRLEN];
	unsigned n;

	vrrp_rt.gstats.vrid_errors++;
	if (!g->log_unknown_vrids ||
	    !log_ratelimit_ok(&vif->rl_unknown, vrrp_now_us(), VRRP_RL_BURST, VRRP_RL_INTERVAL_US))
		return;
	n = log_ratelimit_suppressed(&vif->rl_unknown);
	log_info("%s: advert for VRID %u from %s: no instance runs it here (%u more suppressed)",
		 vif->name, vrid, cfg_addr_fmt(&rx->src, abuf, sizeof(abuf)), n);
}

/* One received packet: demultiplex, validate, count, and feed the FSM. */
static void rx_one(struct vrrp_if *vif, const struct vrrp_rx *rx)
{
	const struct cfg_unicast_peer *peer;
	struct vrrp_fsm_event ev;
	struct vrrp_pkt_ctx ctx;
	struct vrrp_inst *in;
	struct vrrp_pkt pkt;
	uint8_t ver, vrid;
	char err[160];
	bool stranger;
	int r;

	if (rx->ifindex && rx->ifindex != vif->ifindex)
		return;
	if (vrrp_pkt_peek(rx->payload, rx->len, &ver, &vrid) < 0) {
		vrrp_rt.gstats.rx_dropped_short++;
		return;
	}
	in = demux(vif, vrid, rx, &peer, &stranger);
	if (!in) {
		rx_unknown_vrid(vif, vrid, rx);
		return;
	}
	if (stranger) {
		vrrp_rx_count_drop(in, VRRP_DROP_UNKNOWN_SRC, &rx->src, NULL);
		return;
	}
	ctx = in->rx_ctx;
	to_pkt_addr(&rx->src, &ctx.src);
	to_pkt_addr(&rx->dst, &ctx.dst);
	ctx.ttl_or_hoplimit = rx->ttl;
	if (peer && (peer->min_ttl >= 0 || peer->max_ttl >= 0)) {
		/* unicast_peer { ADDR min_ttl N max_ttl M }: routed peers */
		if ((peer->min_ttl >= 0 && rx->ttl < peer->min_ttl) ||
		    (peer->max_ttl >= 0 && rx->ttl > peer->max_ttl)) {
			snprintf(err, sizeof(err), "TTL %d outside %d..%d", rx->ttl,
				 peer->min_ttl, peer->max_ttl);
			vrrp_rx_count_drop(in, VRRP_PKT_E_TTL, &rx->src, err);
			return;
		}
		ctx.ttl_or_hoplimit = -1;
	}
	err[0] = 0;
	r = vrrp_pkt_decode(rx->payload, rx->len, &ctx, &pkt, err, sizeof(err));
	if (r < 0) {
		vrrp_rx_count_drop(in, -r, &rx->src, err);
		return;
	}
	if (pkt.addrlist_mismatch)
		vrrp_rx_count_drop(in, VRRP_DROP_ADDRLIST, &rx->src, NULL);
	/* RFC 5798 §7.1: the address owner discards adverts for its VRID. */
	if (in->fsm.priority == VRRP_PRIO_OWNER && pkt.priority != VRRP_PRIO_STOP) {
		vrrp_rx_count_drop(in, VRRP_DROP_OWNER, &rx->src, NULL);
		return;
	}
	in->stats.adverts_rcvd++;
	if (pkt.priority == VRRP_PRIO_STOP)
		in->stats.pri_zero_rcvd++;
	vrrp_inst_stats_touch(in);
	memset(&ev, 0, sizeof(ev));
	ev.type = VRRP_EV_RX_ADVERT;
	ev.prio = pkt.priority;
	ev.adver_int_cs = pkt.adver_int_cs;
	ev.src.family = rx->src.family;
	memcpy(ev.src.bytes, &rx->src.u, fam_len(rx->src.family));
	vrrp_inst_event(in, &ev);
}

/*
 * Readable: read until EAGAIN, but at most VRRP_RX_BATCH packets, so a
 * flood cannot starve the timers (the fd is level-triggered: the loop
 * comes back to it after the due timers ran).
 */
static void rx_cb(int fd, uint32_t events, void *ud)
{
	struct vrrp_if *vif = ud;
	struct vrrp_rx rx;
	unsigned n;
	int r;

	(void)events;
	for (n = 0; n < VRRP_RX_BATCH && vif->fd == fd; n++) {
		r = vrrp_sock_recv(fd, vif->family, vrrp_rt.rxbuf, sizeof(vrrp_rt.rxbuf), &rx);
		if (r == -EAGAIN || r == -EWOULDBLOCK)
			break;
		if (r == -EINTR)
			continue;
		if (r == -EBADMSG || r == -EMSGSIZE) {
			vrrp_rt.gstats.rx_dropped_short++;
			continue;
		}
		if (r < 0) {
			if (log_ratelimit_ok(&vif->rl_err, vrrp_now_us(), VRRP_RL_BURST,
					     VRRP_RL_INTERVAL_US))
				log_warn_errno(r, "%s: receive failed", vif->name);
			break;
		}
		rx_one(vif, &rx);
	}
}
