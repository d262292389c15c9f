/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the VRRP instance runtime (src/vrrp/vrrp_inst.c, vrrp_rx.c,
 * vrrp_vip.c, vrrp_api.c, vrrp_child.c) without root: the network edge
 * (vrrp_net.h) and the netlink monitor (vrrp_link.c) are replaced by the
 * fakes below, the event loop runs on a test clock, and the real codec and
 * state machine do the rest. What goes out is decoded with the codec.
 *
 * Link: this file + src/vrrp/{vrrp_inst,vrrp_rx,vrrp_vip,vrrp_api,vrrp_child,
 * vrrp_fsm,vrrp_pkt}.c + libcore's config + src/lib/{buf,ev,log,xalloc}.c
 * (not vrrp_net.c, not vrrp_link.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "alived/config.h"
#include "alived/ev.h"
#include "alived/log.h"
#include "alived/vrrp_api.h"
#include "child.h"
#include "vrrp/vrrp.h"

#define IFX 7			/* the fake eth0's ifindex */
#define MS 1000ULL

/* ------------------------------------------------------------------ */
/* The fake network */

struct rxq {
	struct cfg_addr src, dst;
	int ttl;
	uint8_t buf[VRRP_PKT_MAX_LEN + 8];
	size_t len;
};

struct sent {
	struct cfg_addr src, dst;
	uint8_t buf[VRRP_PKT_MAX_LEN + 8];
	size_t len;
};

static struct {
	bool if_exists, if_up;
	int efd;			/* the "socket": an eventfd, readable while q
					 * holds packets */
	struct rxq q[512];
	unsigned qhead, qn;
	unsigned recv_calls;
	struct sent sent[256];
	unsigned nsent;
	struct cfg_addr addrs[16];	/* on the fake eth0 */
	unsigned naddrs;
	unsigned garps;
} net;

static uint64_t clock_us;

static uint64_t test_clock(void *ud)
{
	(void)ud;
	return clock_us;
}

static struct cfg_addr A(const char *s)
{
	struct cfg_addr a;

	assert_int_equal(cfg_addr_parse(s, &a), 0);
	return a;
}

int vrrp_nl_open(struct vrrp_nl **ret)
{
	static char dummy;

	*ret = (struct vrrp_nl *)(void *)&dummy;
	return 0;
}

void vrrp_nl_close(struct vrrp_nl *nl)
{
	(void)nl;
}

static int addr_find(const struct cfg_addr *a)
{
	for (unsigned k = 0; k < net.naddrs; k++)
		if (cfg_addr_equal(&net.addrs[k], a))
			return (int)k;
	return -1;
}

int vrrp_addr_add(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a,
		  const struct vrrp_addr_opts *o)
{
	(void)nl;
	(void)o;
	if (ifindex != IFX)
		return -ENODEV;
	if (addr_find(a) < 0 && net.naddrs < 16)
		net.addrs[net.naddrs++] = *a;
	return 0;
}

int vrrp_addr_del(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a)
{
	int k = addr_find(a);

	(void)nl;
	(void)ifindex;
	if (k >= 0)
		net.addrs[k] = net.addrs[--net.naddrs];
	return 0;
}

int vrrp_addr_present(struct vrrp_nl *nl, int ifindex, const struct cfg_addr *a)
{
	(void)nl;
	(void)ifindex;
	return addr_find(a) >= 0;
}

int vrrp_if_primary(struct vrrp_nl *nl, int ifindex, int family, struct cfg_addr *ret)
{
	(void)nl;
	if (ifindex != IFX || family != AF_INET)
		return -ENOENT;
	*ret = A("192.168.1.1");
	return 0;
}

int vrrp_sock_open(int family, int ifindex, const char *ifname, bool unicast_only)
{
	(void)family;
	(void)ifindex;
	(void)ifname;
	(void)unicast_only;
	net.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return net.efd;
}

int vrrp_sock_recv(int fd, int family, uint8_t *buf, size_t cap, struct vrrp_rx *ret)
{
	struct rxq *q;
	uint64_t v;

	(void)family;
	net.recv_calls++;
	if (!net.qn) {
		if (read(fd, &v, sizeof(v)) < 0)
			v = 0;
		return -EAGAIN;
	}
	q = &net.q[net.qhead];
	net.qhead = (net.qhead + 1) % 512;
	net.qn--;
	assert_true(q->len <= cap);
	memcpy(buf, q->buf, q->len);
	memset(ret, 0, sizeof(*ret));
	ret->src = q->src;
	ret->dst = q->dst;
	ret->ifindex = IFX;
	ret->ttl = q->ttl;
	ret->payload = buf;
	ret->len = q->len;
	return 0;
}

int vrrp_sock_send(int fd, int ifindex, const struct cfg_addr *src, const struct cfg_addr *dst,
		   const uint8_t *payload, size_t len)
{
	struct sent *s = &net.sent[net.nsent % 256];

	(void)fd;
	(void)ifindex;
	s->src = *src;
	s->dst = *dst;
	memcpy(s->buf, payload, len);
	s->len = len;
	net.nsent++;
	return 0;
}

int vrrp_if_mac(int ifindex, uint8_t mac[6])
{
	(void)ifindex;
	memcpy(mac, "\x02\x00\x00\x00\x00\x01", 6);
	return 0;
}

int vrrp_garp_send(int ifindex, const uint8_t mac[6], struct in_addr ip)
{
	(void)ifindex;
	(void)mac;
	(void)ip;
	net.garps++;
	return 0;
}

int vrrp_na_send(int ifindex, const uint8_t mac[6], const struct in6_addr *ip)
{
	(void)ifindex;
	(void)mac;
	(void)ip;
	net.garps++;
	return 0;
}

int vrrp_link_open(struct ev_loop *loop, struct vrrp_link_mon **ret)
{
	(void)loop;
	*ret = NULL;
	return 0;
}

void vrrp_link_close(struct vrrp_link_mon *m)
{
	(void)m;
}

int vrrp_link_query(const char *name, int *ret_ifindex, bool *ret_up)
{
	if (strcmp(name, "eth0") != 0 || !net.if_exists)
		return -ENODEV;
	*ret_ifindex = IFX;
	*ret_up = net.if_up;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Harness */

static struct ev_loop *loop;
static struct cfg_root *root;

static struct cfg_root *load(const char *text)
{
	struct cfg_opts o = { 0 };
	struct cfg_diags d;
	struct cfg_root *r = NULL;

	cfg_diags_init(&d);
	if (cfg_load_string("test.conf", text, &o, &d, &r) < 0) {
		cfg_diags_print(&d, stderr);
		fail_msg("configuration refused");
	}
	cfg_diags_free(&d);
	return r;
}

/* Runs the loop until nothing is due at the current test time. */
static void settle(void)
{
	for (int k = 0; k < 20 && ev_run_once(loop, 0) > 0; k++)
		;
}

static void advance(uint64_t us)
{
	/* step in 1 ms slices so timers fire in order at their own time */
	for (uint64_t t = 0; t < us; t += MS) {
		clock_us += us - t < MS ? us - t : MS;
		settle();
	}
}

static void start(const char *text)
{
	memset(&net, 0, sizeof(net));
	net.efd = -1;
	net.if_exists = net.if_up = true;
	memset(&vrrp_rt.gstats, 0, sizeof(vrrp_rt.gstats));
	vrrp_runtime_set_dont_release(false);
	clock_us = 1000000000ULL;
	loop = ev_loop_new();
	assert_non_null(loop);
	ev_set_clock(loop, test_clock, NULL);
	root = load(text);
	assert_int_equal(vrrp_child_ops.start(loop, root), 0);
	settle();
}

static void stop(void)
{
	vrrp_child_ops.stop();
	ev_loop_free(loop);
	loop = NULL;
	cfg_free(root);
	root = NULL;
	/* the runtime closed its "socket" (net.efd) */
}

static struct vrrp_api_info info(uint32_t id)
{
	struct vrrp_api_info i;

	assert_int_equal(vrrp_api_get(id, &i), 0);
	return i;
}

static uint32_t id_of(const char *name)
{
	uint32_t id = 0;

	assert_int_equal(vrrp_api_find(name, &id), 0);
	return id;
}

/* Queues an advert from src; mutate (may be NULL) breaks it after encoding. */
static void queue(const char *src, const char *dst, unsigned version, unsigned vrid,
		  unsigned prio, unsigned int_cs, const char *pass, const char *const *vips,
		  int ttl, void (*mutate)(struct rxq *q))
{
	struct rxq *q = &net.q[(net.qhead + net.qn) % 512];
	struct vrrp_pkt_ctx ctx = { .family = AF_INET };
	struct vrrp_pkt *p = calloc(1, sizeof(*p));
	uint64_t one = 1;

	assert_true(net.qn < 512);
	q->src = A(src);
	q->dst = A(dst);
	q->ttl = ttl;
	p->family = AF_INET;
	p->version = (uint8_t)version;
	p->type = VRRP_PKT_TYPE_ADVERT;
	p->vrid = (uint8_t)vrid;
	p->priority = (uint8_t)prio;
	p->adver_int_cs = (uint16_t)int_cs;
	if (pass) {
		p->auth_type = VRRP_PKT_AUTH_PASS;
		/* auth data is 8 octets, zero-padded, not a C string */
		memset(p->auth_data, 0, sizeof(p->auth_data));
		memcpy(p->auth_data, pass, strnlen(pass, sizeof(p->auth_data)));
	}
	for (; vips && vips[p->naddr]; p->naddr++)
		inet_pton(AF_INET, vips[p->naddr], &p->addrs[p->naddr].v4);
	memcpy(&ctx.src, &q->src.u, 4);
	memcpy(&ctx.dst, &q->dst.u, 4);
	assert_int_equal(vrrp_pkt_encode(p, &ctx, q->buf, sizeof(q->buf), &q->len), 0);
	free(p);
	if (mutate)
		mutate(q);
	net.qn++;
	assert_int_equal(write(net.efd, &one, sizeof(one)), (ssize_t)sizeof(one));
}

/* The last advert sent, decoded. */
static void last_sent(struct vrrp_pkt *ret, unsigned version)
{
	struct sent *s;
	struct vrrp_pkt_ctx ctx = { .family = AF_INET, .ttl_or_hoplimit = -1 };

	assert_true(net.nsent > 0);
	s = &net.sent[(net.nsent - 1) % 256];
	ctx.version = (uint8_t)version;
	memcpy(&ctx.src, &s->src.u, 4);
	memcpy(&ctx.dst, &s->dst.u, 4);
	ctx.auth_type = ret->auth_type;
	memcpy(ctx.auth_pass, ret->auth_data, sizeof(ctx.auth_pass));
	assert_int_equal(vrrp_pkt_decode(s->buf, s->len, &ctx, ret, NULL, 0), 0);
}

static const char *const vip220[] = { "192.168.1.220", NULL };

#define CONF_V3 \
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n" \
	" version 3\n advert_int 0.1\n virtual_ipaddress {\n  192.168.1.220\n }\n}\n"

/* ------------------------------------------------------------------ */
/* Tests */

/* RFC 5798 §6.4.1/§6.4.2: Backup first, Master after Master_Down_Interval
 * (3 * 100 ms + Skew_Time 60.9 ms), then an advert every 100 ms. */
static void test_start_backup_then_master(void **state)
{
	struct vrrp_pkt p = { 0 };
	uint32_t id;

	(void)state;
	start(CONF_V3);
	id = id_of("VI_1");
	assert_int_equal(info(id).state, VRRP_API_ST_BACKUP);
	assert_int_equal(net.nsent, 0);
	advance(359 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_BACKUP);
	advance(3 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	assert_int_equal(net.nsent, 1);
	last_sent(&p, 3);
	assert_int_equal(p.priority, 100);
	assert_int_equal(p.adver_int_cs, 10);
	assert_int_equal(p.naddr, 1);
	assert_true(cfg_addr_equal(&net.sent[0].dst, &(struct cfg_addr){ 0 }) ||
		    net.sent[0].dst.u.v4.s_addr == htonl(0xe0000012));
	assert_true(addr_find(&(struct cfg_addr){ .family = AF_INET, .prefix = 32,
					  .u.v4.s_addr = htonl(0xc0a801dc) }) >= 0);
	assert_int_equal(net.garps, 5);		/* garp_master_repeat default */
	assert_true(info(id).vips_installed);
	advance(100 * MS);
	assert_int_equal(net.nsent, 2);
	advance(1000 * MS);
	assert_int_equal(net.nsent, 12);
	assert_int_equal(info(id).stats.adverts_sent, 12);
	assert_int_equal(info(id).stats.master_transitions, 1);
	assert_int_equal(info(id).stats.new_master_reason, VRRP_API_MR_NO_RESPONSE);
	advance(4000 * MS);			/* garp_master_delay 5 s: second burst */
	assert_int_equal(net.garps, 10);
	stop();
}

static void bad_checksum(struct rxq *q)
{
	q->buf[6] ^= 0xff;
}

static void truncate10(struct rxq *q)
{
	q->len = 10;		/* the header and half an address */
}

static unsigned proto_errors;

static void count_proto(const struct vrrp_evt_info *e, void *ud)
{
	(void)ud;
	if (e->evt == VRRP_EVT_PROTO_ERROR)
		proto_errors++;
}

/* A refused packet is counted per cause and never reaches the machine: the
 * Master_Down_Timer keeps its deadline (DESIGN "pure cores"). */
static void test_invalid_packets_change_no_timer(void **state)
{
	struct vrrp_inst *in;
	uint64_t when0 = 0, when1 = 0;
	uint32_t id;

	(void)state;
	start(CONF_V3);
	proto_errors = 0;
	vrrp_api_subscribe(VRRP_EVT_BIT(VRRP_EVT_PROTO_ERROR), count_proto, NULL);
	id = id_of("VI_1");
	in = vrrp_inst_by_id(id);
	queue("192.168.1.2", "224.0.0.18", 3, 51, 150, 10, NULL, vip220, 255, NULL);
	settle();
	assert_int_equal(info(id).stats.adverts_rcvd, 1);
	assert_int_equal(ev_timer_when(loop, in->tmr[VRRP_TMR_MASTER_DOWN], &when0), 0);
	/* Master_Down_Interval for priority 100 at 10 cs: 300 ms + 60.9375 ms */
	assert_int_equal(when0, clock_us + 360937);
	advance(50 * MS);
	for (int k = 0; k < 30; k++) {
		queue("192.168.1.2", "224.0.0.18", 3, 51, 200, 10, NULL, vip220, 255, bad_checksum);
		queue("192.168.1.2", "224.0.0.18", 3, 51, 200, 10, NULL, vip220, 64, NULL);
		queue("192.168.1.2", "224.0.0.18", 2, 51, 200, 100, NULL, vip220, 255, NULL);
		queue("192.168.1.2", "224.0.0.18", 3, 51, 200, 10, NULL, vip220, 255, truncate10);
	}
	settle();
	assert_int_equal(ev_timer_when(loop, in->tmr[VRRP_TMR_MASTER_DOWN], &when1), 0);
	assert_int_equal(when1, when0);
	assert_int_equal(info(id).stats.adverts_rcvd, 1);
	assert_int_equal(info(id).stats.checksum_errors, 30);
	assert_int_equal(info(id).stats.ttl_errors, 30);
	assert_int_equal(info(id).stats.version_errors, 30);
	assert_int_equal(info(id).stats.packet_length_errors, 30);
	assert_int_equal(info(id).stats.proto_err_reason, VRRP_PKT_PROTO_ERR_VERSION);
	assert_int_equal(info(id).state, VRRP_API_ST_BACKUP);
	/* PROTO_ERROR follows the log's rate limit: VRRP_RL_BURST per cause */
	assert_int_equal(proto_errors, 4 * VRRP_RL_BURST);
	/* the master falls silent: take-over at the unchanged deadline */
	advance(when0 - clock_us - MS);
	assert_int_equal(info(id).state, VRRP_API_ST_BACKUP);
	advance(2 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	stop();
}

/* At most VRRP_RX_BATCH packets per wake-up, so timers run between batches. */
static void test_rx_batch_cap(void **state)
{
	uint32_t id;

	(void)state;
	start(CONF_V3);
	id = id_of("VI_1");
	for (int k = 0; k < 200; k++)
		queue("192.168.1.2", "224.0.0.18", 3, 51, 200, 10, NULL, vip220, 255, bad_checksum);
	net.recv_calls = 0;
	assert_true(ev_run_once(loop, 0) >= 1);
	assert_int_equal(net.recv_calls, VRRP_RX_BATCH);
	assert_int_equal(info(id).stats.checksum_errors, VRRP_RX_BATCH);
	settle();
	assert_int_equal(info(id).stats.checksum_errors, 200);
	stop();
}

#define CONF_UNI \
	"vrrp_instance U {\n interface eth0\n virtual_router_id 71\n priority 100\n" \
	" advert_int 1\n authentication {\n  auth_type PASS\n  auth_pass pw\n }\n" \
	" unicast_src_ip 192.168.1.1\n unicast_peer {\n  192.168.1.2\n }\n" \
	" virtual_ipaddress {\n  192.168.1.220\n }\n}\n"

/* unicast_peer: only peers are heard; adverts go to each peer. Unknown
 * VRIDs are counted router-wide. */
static void test_unicast_and_unknown_vrid(void **state)
{
	struct vrrp_api_global_stats g;
	struct vrrp_pkt p = { 0 };
	uint32_t id;

	(void)state;
	start(CONF_UNI);
	id = id_of("U");
	queue("192.168.1.3", "192.168.1.1", 2, 71, 200, 100, "pw", vip220, 255, NULL);
	queue("192.168.1.2", "192.168.1.1", 2, 71, 200, 100, "pw", vip220, 255, NULL);
	queue("192.168.1.2", "192.168.1.1", 2, 71, 200, 100, "wrong", vip220, 255, NULL);
	queue("192.168.1.2", "192.168.1.1", 2, 99, 200, 100, "pw", vip220, 255, NULL);
	settle();
	assert_int_equal(info(id).stats.unknown_src_rcvd, 1);
	assert_int_equal(info(id).stats.adverts_rcvd, 1);
	assert_int_equal(info(id).stats.auth_failures, 1);
	vrrp_api_global_stats(&g);
	assert_int_equal(g.vrid_errors, 1);
	assert_int_equal(info(id).master_priority, 200);
	/* no more adverts: Master_Down_Interval (v2: 3 s + 0.609 s) */
	advance(3700 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	assert_true(net.nsent >= 1);
	assert_int_equal(net.sent[0].dst.u.v4.s_addr, htonl(0xc0a80102));
	assert_int_equal(net.sent[0].src.u.v4.s_addr, htonl(0xc0a80101));
	p.auth_type = VRRP_PKT_AUTH_PASS;
	memcpy(p.auth_data, "pw", 3);
	last_sent(&p, 2);
	assert_int_equal(p.adver_int_cs, 100);
	stop();
}

static int cmd_rc;

static void cmd_from_observer(const struct vrrp_evt_info *e, void *ud)
{
	(void)ud;
	cmd_rc = vrrp_cmd_set_priority(e->id, 50, NULL);
}

static void test_commands(void **state)
{
	struct cmd_origin o = { .kind = CMD_ORIGIN_DBUS, .uid = 0, .who = ":1.42" };
	struct vrrp_pkt p = { 0 };
	unsigned n;
	uint32_t id;
	uint64_t h;

	(void)state;
	start(CONF_V3);
	id = id_of("VI_1");
	assert_int_equal(vrrp_cmd_set_priority(id + 100, 10, &o), -ENOENT);
	assert_int_equal(vrrp_cmd_set_priority(id, 0, &o), -ERANGE);
	assert_int_equal(vrrp_cmd_set_priority(id, 255, &o), -ERANGE);
	assert_int_equal(vrrp_cmd_send_garp(id, &o), -EAGAIN);
	advance(400 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	assert_int_equal(vrrp_cmd_set_priority(id, 200, &o), 0);
	assert_int_equal(info(id).base_priority, 200);
	assert_int_equal(info(id).effective_priority, 200);
	advance(100 * MS);
	last_sent(&p, 3);
	assert_int_equal(p.priority, 200);
	n = net.garps;
	assert_int_equal(vrrp_cmd_send_garp(id, &o), 0);
	assert_int_equal(net.garps, n + 5);
	/* an observer may not command */
	h = vrrp_api_subscribe(VRRP_EVT_BIT(VRRP_EVT_STATE), cmd_from_observer, NULL);
	cmd_rc = 0;
	/* maintenance: the master leaves with priority 0 and drops its address */
	n = net.nsent;
	assert_int_equal(vrrp_cmd_set_maintenance(id, true, &o), 0);
	assert_int_equal(cmd_rc, -EBUSY);
	assert_int_equal(vrrp_api_unsubscribe(h), 0);
	assert_int_equal(vrrp_api_unsubscribe(h), -ENOENT);
	assert_int_equal(net.nsent, n + 1);
	last_sent(&p, 3);
	assert_int_equal(p.priority, 0);
	assert_int_equal(info(id).state, VRRP_API_ST_BACKUP);
	assert_true(info(id).maintenance);
	assert_int_equal(net.naddrs, 0);
	advance(2000 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_BACKUP);	/* never takes over */
	assert_int_equal(vrrp_cmd_set_maintenance(id, false, &o), 0);
	advance(400 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	assert_int_equal(vrrp_cmd_reset_stats(id, &o), 0);
	assert_int_equal(info(id).stats.adverts_sent, 0);
	assert_int_equal(info(id).stats.new_master_reason, VRRP_API_MR_NO_RESPONSE);
	stop();
}

/* TERM: a master sends priority 0 and removes its address; with -V it keeps it. */
static void test_stop(void **state)
{
	struct vrrp_pkt p = { 0 };

	(void)state;
	start(CONF_V3);
	advance(400 * MS);
	assert_int_equal(net.naddrs, 1);
	vrrp_child_ops.stop();
	last_sent(&p, 3);
	assert_int_equal(p.priority, 0);
	assert_int_equal(net.naddrs, 0);
	assert_int_equal(vrrp_api_count(), 0);
	ev_loop_free(loop);
	cfg_free(root);

	start(CONF_V3);
	vrrp_runtime_set_dont_release(true);
	advance(400 * MS);
	vrrp_child_ops.stop();
	last_sent(&p, 3);
	assert_int_equal(p.priority, 0);
	assert_int_equal(net.naddrs, 1);	/* -V */
	ev_loop_free(loop);
	cfg_free(root);
	vrrp_runtime_set_dont_release(false);
}

static unsigned n_state_evts;

static void count_state(const struct vrrp_evt_info *e, void *ud)
{
	(void)ud;
	if (e->evt == VRRP_EVT_STATE)
		n_state_evts++;
}

/* Reload: same name, interface, VRID, family: no transition, new priority
 * and addresses at once; removed instances leave; new ones start. */
static void test_reload(void **state)
{
	struct cfg_root *r2, *r3;
	struct vrrp_pkt p = { 0 };
	uint32_t id, id2;

	(void)state;
	start(CONF_V3);
	id = id_of("VI_1");
	advance(400 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	n_state_evts = 0;
	vrrp_api_subscribe(VRRP_EVT_BIT(VRRP_EVT_STATE), count_state, NULL);
	r2 = load("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 120\n"
		  " version 3\n advert_int 0.1\n virtual_ipaddress {\n  192.168.1.220\n"
		  "  192.168.1.221\n }\n}\n"
		  "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n"
		  " version 3\n advert_int 0.1\n virtual_ipaddress {\n  192.168.1.230\n }\n}\n");
	assert_int_equal(vrrp_child_ops.reload(root, r2), 0);
	cfg_free(root);
	root = r2;
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	assert_int_equal(net.naddrs, 2);	/* .221 added at once */
	id2 = id_of("VI_2");
	assert_true(id2 > id);
	assert_int_equal(info(id2).state, VRRP_API_ST_BACKUP);
	advance(100 * MS);
	assert_int_equal(n_state_evts, 1);	/* VI_2 INIT -> BACKUP only */
	last_sent(&p, 3);
	assert_int_equal(p.vrid, 51);
	assert_int_equal(p.priority, 120);
	assert_int_equal(p.naddr, 2);
	/* VI_1 removed: priority 0, addresses gone; VI_2 keeps its ID */
	r3 = load("vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n"
		  " version 3\n advert_int 0.1\n virtual_ipaddress {\n  192.168.1.230\n }\n}\n");
	assert_int_equal(vrrp_child_ops.reload(root, r3), 0);
	cfg_free(root);
	root = r3;
	last_sent(&p, 3);
	assert_int_equal(p.vrid, 51);
	assert_int_equal(p.priority, 0);
	assert_int_equal(vrrp_api_count(), 1);
	assert_int_equal(id_of("VI_2"), id2);
	assert_int_equal(vrrp_api_find("VI_1", &id), -ENOENT);
	advance(400 * MS);
	assert_int_equal(info(id2).state, VRRP_API_ST_MASTER);
	assert_int_equal(net.naddrs, 1);
	stop();
}

static unsigned n_seen;

static int see_one(const struct vrrp_api_info *i, void *ud)
{
	(void)ud;
	assert_true(i->id > 0);
	n_seen++;
	return 0;
}

static void walk_on_removed(const struct vrrp_evt_info *e, void *ud)
{
	uint32_t id;

	(void)ud;
	if (e->evt != VRRP_EVT_REMOVED)
		return;
	vrrp_api_foreach(see_one, NULL);
	assert_int_equal(vrrp_api_find(e->name, &id), 0);	/* still readable now */
}

/* Observers may read the whole set while a stop frees instance after
 * instance (under ASan a freed one would be caught). */
static void test_observer_during_stop(void **state)
{
	(void)state;
	start("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	      " advert_int 0.1\n virtual_ipaddress {\n  192.168.1.201\n }\n}\n"
	      "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n version 3\n"
	      " advert_int 0.1\n virtual_ipaddress {\n  192.168.1.202\n }\n}\n"
	      "vrrp_instance C {\n interface eth0\n virtual_router_id 3\n version 3\n"
	      " advert_int 0.1\n virtual_ipaddress {\n  192.168.1.203\n }\n}\n");
	advance(400 * MS);
	assert_int_equal(net.naddrs, 3);
	n_seen = 0;
	vrrp_api_subscribe(VRRP_EVT_BIT(VRRP_EVT_REMOVED), walk_on_removed, NULL);
	stop();
	assert_int_equal(n_seen, 3 + 2 + 1);
	assert_int_equal(net.naddrs, 0);
}

/* Interface gone: FAULT, addresses removed; back: Backup, then Master. A
 * missing interface at start means FAULT from the start. */
static void test_interface_fault(void **state)
{
	struct vrrp_if *vif;
	uint32_t id;

	(void)state;
	start(CONF_V3);
	id = id_of("VI_1");
	advance(400 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	vif = vrrp_inst_by_id(id)->vif;
	vrrp_if_update(vif, IFX, false);
	assert_int_equal(info(id).state, VRRP_API_ST_FAULT);
	assert_int_equal(net.naddrs, 0);
	vrrp_if_update(vif, IFX, true);
	assert_int_equal(info(id).state, VRRP_API_ST_BACKUP);
	advance(400 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_MASTER);
	stop();

	memset(&net, 0, sizeof(net));
	net.efd = -1;
	loop = ev_loop_new();
	ev_set_clock(loop, test_clock, NULL);
	root = load(CONF_V3);
	assert_int_equal(vrrp_child_ops.start(loop, root), 0);
	id = id_of("VI_1");
	assert_int_equal(info(id).state, VRRP_API_ST_FAULT);
	assert_int_equal(info(id).ifindex, 0);
	advance(1000 * MS);
	assert_int_equal(info(id).state, VRRP_API_ST_FAULT);
	net.if_exists = net.if_up = true;
	vrrp_if_update(vrrp_inst_by_id(id)->vif, IFX, true);
	assert_int_equal(info(id).state, VRRP_API_ST_BACKUP);
	stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_backup_then_master),
		cmocka_unit_test(test_invalid_packets_change_no_timer),
		cmocka_unit_test(test_rx_batch_cap),
		cmocka_unit_test(test_unicast_and_unknown_vrid),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_observer_during_stop),
		cmocka_unit_test(test_interface_fault),
	};

	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
