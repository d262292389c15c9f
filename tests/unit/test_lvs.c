/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the IPVS reconciler (src/check/lvs.c), without a kernel:
 * the file is included here (chrony style) and its two collaborators are
 * fakes: the IPVS client (ipvs.h: an in-memory table that counts the
 * requests that change it) and the check API (check_api.h: servers built
 * from a real configuration, states set by the tests, events delivered to
 * the subscriber). The event loop, logging and configuration are the real
 * ones. The same behaviours run against a real kernel in
 * tests/integration/50-ipvs-vm.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "check/lvs.c"

#include <arpa/inet.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* fake IPVS */

#ifndef K_SVC_MAX
#define K_SVC_MAX	64	/* the fake kernel's services */
#define K_DEST_MAX	16	/* and destinations in each */
#define A_VS_MAX	16	/* the fake check API's virtual servers */
#define A_RS_MAX	8	/* and real servers in each */
#endif

struct fsvc {
	struct ipvs_service s;
	struct ipvs_dest d[K_DEST_MAX];
	size_t n;
};

static struct {
	bool absent;			/* the kernel has no IPVS */
	struct fsvc svc[K_SVC_MAX];
	size_t n;
	unsigned adds, edits, dels, dadds, dedits, ddels, flushes;	/* requests */
	int fail_next;			/* -errno for the next changing request */
	int fail_get;			/* -errno for every GET_SERVICE */
	struct ipvs_daemon daemon[2];
	size_t n_daemon;
	unsigned dstarts, dstops;
	struct ipvs_timeouts to;
} K;

static int dummy_client;

static void k_reset(void)
{
	memset(&K, 0, sizeof(K));
}

static unsigned k_writes(void)
{
	return K.adds + K.edits + K.dels + K.dadds + K.dedits + K.ddels;
}

static void k_zero(void)
{
	K.adds = K.edits = K.dels = K.dadds = K.dedits = K.ddels = 0;
}

static struct fsvc *k_find(const struct ipvs_service *key)
{
	for (size_t i = 0; i < K.n; i++)
		if (ipvs_service_key_cmp(&K.svc[i].s, key) == 0)
			return &K.svc[i];
	return NULL;
}

static ssize_t k_dest(const struct fsvc *f, const struct ipvs_dest *d)
{
	for (size_t i = 0; i < f->n; i++)
		if (ipvs_dest_key_cmp(&f->d[i], d, f->s.af) == 0)
			return (ssize_t)i;
	return -1;
}

static int k_fail(void)
{
	int r = K.fail_next;

	K.fail_next = 0;
	return r;
}

int ipvs_open(struct ipvs_client **ret_client)
{
	if (K.absent)
		return -EPROTONOSUPPORT;
	*ret_client = (struct ipvs_client *)&dummy_client;
	return 0;
}

void ipvs_close(struct ipvs_client *c)
{
	(void)c;
}

int ipvs_get_info(struct ipvs_client *c, struct ipvs_info *ret_info)
{
	(void)c;
	ret_info->version = 0x010201;
	ret_info->conn_tab_size = 4096;
	return 0;
}

int ipvs_service_add(struct ipvs_client *c, const struct ipvs_service *s)
{
	int r = k_fail();

	(void)c;
	if (r)
		return r;
	if (k_find(s))
		return -EEXIST;
	assert_true(K.n < ARRAY_SIZE(K.svc));
	memset(&K.svc[K.n], 0, sizeof(K.svc[K.n]));
	K.svc[K.n].s = *s;
	K.svc[K.n++].s.flags |= IP_VS_SVC_F_HASHED;
	K.adds++;
	return 0;
}

int ipvs_service_edit(struct ipvs_client *c, const struct ipvs_service *s)
{
	struct fsvc *f = k_find(s);

	(void)c;
	if (!f)
		return -ESRCH;
	f->s = *s;
	K.edits++;
	return 0;
}

int ipvs_service_del(struct ipvs_client *c, const struct ipvs_service *key)
{
	struct fsvc *f = k_find(key);

	(void)c;
	if (!f)
		return -ESRCH;
	*f = K.svc[--K.n];
	K.dels++;
	return 0;
}

int ipvs_service_get(struct ipvs_client *c, const struct ipvs_service *key,
		     struct ipvs_service *ret_svc)
{
	struct fsvc *f = k_find(key);

	(void)c;
	if (K.fail_get)
		return K.fail_get;
	if (!f)
		return -ENOENT;
	*ret_svc = f->s;
	ret_svc->has_stats = true;
	return 0;
}

int ipvs_service_list(struct ipvs_client *c, struct ipvs_service **ret_v, size_t *ret_n)
{
	(void)c;
	(void)ret_v;
	(void)ret_n;
	return -ENOSYS;		/* the reconciler does not need it */
}

int ipvs_dest_add(struct ipvs_client *c, const struct ipvs_service *svc,
		  const struct ipvs_dest *d)
{
	struct fsvc *f = k_find(svc);
	int r = k_fail();

	(void)c;
	if (r)
		return r;
	if (!f)
		return -ESRCH;
	if (k_dest(f, d) >= 0)
		return -EEXIST;
	assert_true(f->n < ARRAY_SIZE(f->d));
	f->d[f->n++] = *d;
	K.dadds++;
	return 0;
}

int ipvs_dest_edit(struct ipvs_client *c, const struct ipvs_service *svc,
		   const struct ipvs_dest *d)
{
	struct fsvc *f = k_find(svc);
	ssize_t i;

	(void)c;
	if (!f)
		return -ESRCH;
	i = k_dest(f, d);
	if (i < 0)
		return -ENOENT;
	f->d[i] = *d;
	K.dedits++;
	return 0;
}

int ipvs_dest_del(struct ipvs_client *c, const struct ipvs_service *svc,
		  const struct ipvs_dest *d)
{
	struct fsvc *f = k_find(svc);
	ssize_t i;

	(void)c;
	if (!f)
		return -ESRCH;
	i = k_dest(f, d);
	if (i < 0)
		return -ENOENT;
	f->d[i] = f->d[--f->n];
	K.ddels++;
	return 0;
}

int ipvs_dest_list(struct ipvs_client *c, const struct ipvs_service *svc,
		   struct ipvs_dest **ret_v, size_t *ret_n)
{
	struct fsvc *f = k_find(svc);

	(void)c;
	*ret_n = f ? f->n : 0;
	*ret_v = xcalloc(*ret_n + 1, sizeof(**ret_v));
	for (size_t i = 0; i < *ret_n; i++) {
		(*ret_v)[i] = f->d[i];
		(*ret_v)[i].has_stats = true;
		(*ret_v)[i].stats.conns = 10 + i;
		(*ret_v)[i].inact_conns = 1;
	}
	return 0;
}

int ipvs_daemon_start(struct ipvs_client *c, const struct ipvs_daemon *d)
{
	(void)c;
	for (size_t i = 0; i < K.n_daemon; i++)
		if (K.daemon[i].state == d->state)
			return -EEXIST;
	K.daemon[K.n_daemon++] = *d;
	K.dstarts++;
	return 0;
}

int ipvs_daemon_stop(struct ipvs_client *c, uint32_t state)
{
	(void)c;
	for (size_t i = 0; i < K.n_daemon; i++) {
		if (K.daemon[i].state != state)
			continue;
		K.daemon[i] = K.daemon[--K.n_daemon];
		K.dstops++;
		return 0;
	}
	return -ESRCH;
}

int ipvs_daemon_list(struct ipvs_client *c, struct ipvs_daemon ret_v[2], size_t *ret_n)
{
	(void)c;
	memcpy(ret_v, K.daemon, K.n_daemon * sizeof(K.daemon[0]));
	*ret_n = K.n_daemon;
	return 0;
}

int ipvs_set_timeouts(struct ipvs_client *c, const struct ipvs_timeouts *t)
{
	(void)c;
	K.to = *t;
	return 0;
}

int ipvs_get_timeouts(struct ipvs_client *c, struct ipvs_timeouts *ret_t)
{
	(void)c;
	*ret_t = K.to;
	return 0;
}

int ipvs_flush(struct ipvs_client *c)
{
	(void)c;
	K.n = 0;
	K.flushes++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* fake check API: one entry per configured server, states set by tests */

static struct {
	struct cfg_root *root;
	struct chk_vs_info vs[A_VS_MAX];
	struct chk_rs_info rs[A_VS_MAX][A_RS_MAX];
	uint32_t n_vs;
	bool running;
	chk_api_cb cb;
	int subs;
} A;

static void api_build(struct cfg_root *root)
{
	const struct cfg_vs *cv;
	uint32_t v = 0;

	A.root = root;
	A.n_vs = 0;
	for (cv = root->check->vs; cv; cv = cv->next, v++) {
		struct chk_vs_info *i = &A.vs[v];
		const struct cfg_rs *cr;
		uint32_t r = 0;

		memset(i, 0, sizeof(*i));
		i->id = v + 1;
		i->kind = cv->kind;
		i->addr = cv->addr;
		i->port = cv->port;
		i->fwmark = cv->fwmark;
		snprintf(i->group, sizeof(i->group), "%s", cv->group ? cv->group : "");
		i->family = cv->eff_family;
		i->protocol = cv->protocol;
		i->quorum_met = true;
		i->sorry_set = cv->sorry.set;
		i->sorry_addr = cv->sorry.addr;
		i->sorry_port = cv->sorry.port ? cv->sorry.port : cv->port;
		for (cr = cv->rs; cr; cr = cr->next, r++) {
			struct chk_rs_info *s = &A.rs[v][r];

			memset(s, 0, sizeof(*s));
			s->vs_id = v + 1;
			s->id = r + 1;
			s->addr = cr->addr;
			s->port = cr->eff_port;
			s->alive = true;
			s->weight = cr->weight;
			s->inhibit_on_failure = cr->eff_inhibit_on_failure;
			s->uthreshold = cr->uthreshold;
			s->lthreshold = cr->lthreshold;
		}
		i->n_rs = r;
	}
	A.n_vs = v;
}

uint32_t chk_api_vs_count(void)
{
	return A.running ? A.n_vs : 0;
}

int chk_api_vs_get(uint32_t vs_id, struct chk_vs_info *ret_info)
{
	if (!A.running)
		return -ESRCH;
	if (vs_id == 0 || vs_id > A.n_vs)
		return -ENOENT;
	*ret_info = A.vs[vs_id - 1];
	return 0;
}

int chk_api_rs_foreach(uint32_t vs_id, int (*cb)(const struct chk_rs_info *info, void *ud),
		       void *ud)
{
	if (!A.running)
		return -ESRCH;
	if (vs_id == 0 || vs_id > A.n_vs)
		return -ENOENT;
	for (uint32_t i = 0; i < A.vs[vs_id - 1].n_rs; i++) {
		int r = cb(&A.rs[vs_id - 1][i], ud);

		if (r)
			return r;
	}
	return 0;
}

int chk_api_subscribe(uint32_t mask, chk_api_cb cb, void *ud)
{
	(void)ud;
	assert_int_equal(mask, CHK_EVT_MASK_ALL);
	A.cb = cb;
	return ++A.subs;
}

int chk_api_unsubscribe(int handle)
{
	assert_int_equal(handle, A.subs);
	A.cb = NULL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* helpers */

static struct ev_loop *loop;

static struct cfg_root *load(const char *text)
{
	struct cfg_diags d;
	struct cfg_root *root = NULL;
	int r;

	cfg_diags_init(&d);
	r = cfg_load_string("test.conf", text, NULL, &d, &root);
	if (r != 0)
		cfg_diags_print(&d, stderr);
	assert_int_equal(r, 0);
	cfg_diags_free(&d);
	return root;
}

/* Lets the loop run the reconciler's zero-delay timer. */
static void settle(void)
{
	for (int i = 0; i < 3; i++)
		ev_run_once(loop, 0);
}

static void emit(enum chk_evt e, uint32_t vs_id, uint32_t rs_id)
{
	struct chk_evt_info ev = { .evt = e, .vs_id = vs_id, .rs_id = rs_id };

	assert_non_null(A.cb);
	A.cb(&ev, NULL);
}

static void rs_set(uint32_t vs_id, uint32_t rs_id, bool alive)
{
	A.rs[vs_id - 1][rs_id - 1].alive = alive;
	emit(CHK_EVT_RS_STATE, vs_id, rs_id);
}

static void quorum_set(uint32_t vs_id, bool met)
{
	A.vs[vs_id - 1].quorum_met = met;
	A.vs[vs_id - 1].sorry_active = A.vs[vs_id - 1].sorry_set && !met;
	emit(CHK_EVT_QUORUM, vs_id, 0);
}

static struct ipvs_service svc4(const char *a, uint16_t port)
{
	struct ipvs_service s = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = port };

	assert_int_equal(inet_pton(AF_INET, a, s.addr.b), 1);
	return s;
}

/* The weight of dest a:port in s, -1 when absent, -2 without the service. */
static int weight_of(struct ipvs_service s, const char *a, uint16_t port)
{
	struct fsvc *f = k_find(&s);
	struct ipvs_dest d = { .port = port };
	ssize_t i;

	if (!f)
		return -2;
	assert_int_equal(inet_pton(AF_INET, a, d.addr.b), 1);
	i = k_dest(f, &d);
	return i < 0 ? -1 : (int)f->d[i].weight;
}

static const char *const conf_main =
	"virtual_server 10.0.0.1 80 {\n"
	"  lb_algo wrr\n  lb_kind NAT\n  persistence_timeout 50\n  protocol TCP\n"
	"  sorry_server 10.0.1.99 8080\n"
	"  real_server 10.0.1.1 80 { weight 3 }\n"
	"  real_server 10.0.1.2 80 { weight 1 }\n"
	"}\n"
	"virtual_server 10.0.0.2 80 {\n"
	"  lb_algo rr\n  lb_kind DR\n  inhibit_on_failure\n"
	"  real_server 10.0.1.1 80 { weight 2 }\n"
	"  real_server 10.0.1.2 80 { weight 2\n uthreshold 50\n lthreshold 5 }\n"
	"}\n";

static void start_with(const char *text)
{
	struct cfg_root *root = load(text);

	api_build(root);
	A.running = true;
	assert_int_equal(lvs_start(loop, root), 0);
}

static void finish(void)
{
	lvs_stop();
	A.running = false;
	cfg_free(A.root);
	A.root = NULL;
	lvs_set_dont_release(false);
}

static int setup(void **state)
{
	(void)state;
	k_reset();
	memset(&A, 0, sizeof(A));
	loop = ev_loop_new();
	assert_non_null(loop);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ev_loop_free(loop);
	return 0;
}

/* ------------------------------------------------------------------ */
/* tests */

static void test_start_programs_table(void **state)
{
	struct ipvs_service a = svc4("10.0.0.1", 80), b = svc4("10.0.0.2", 80);
	struct fsvc *f;

	(void)state;
	start_with(conf_main);
	assert_int_equal(K.n, 2);
	f = k_find(&a);
	assert_non_null(f);
	assert_string_equal(f->s.sched_name, "wrr");
	assert_int_equal(f->s.flags & IPVS_SVC_FLAGS_SETTABLE, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(f->s.timeout_s, 50);
	assert_int_equal(f->s.netmask, 0xffffffffu);
	assert_int_equal(weight_of(a, "10.0.1.1", 80), 3);
	assert_int_equal(weight_of(a, "10.0.1.2", 80), 1);
	assert_int_equal(weight_of(a, "10.0.1.99", 8080), -1);	/* sorry: standby */
	f = k_find(&b);
	assert_non_null(f);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->d[0].conn_flags, IP_VS_CONN_F_DROUTE);
	assert_int_equal(weight_of(b, "10.0.1.2", 80), 2);
	for (size_t i = 0; i < f->n; i++)
		if (f->d[i].u_threshold)
			assert_int_equal(f->d[i].l_threshold, 5);
	assert_int_equal(K.adds, 2);
	assert_int_equal(K.dadds, 4);
	/* nothing changed: an event costs reads only */
	k_zero();
	emit(CHK_EVT_WEIGHT, 1, 1);
	settle();
	assert_int_equal(k_writes(), 0);
	finish();
	assert_int_equal(K.n, 0);
	assert_int_equal(K.ddels, 4);
	assert_int_equal(K.dels, 2);
}

static void test_down_up_inhibit(void **state)
{
	struct ipvs_service a = svc4("10.0.0.1", 80), b = svc4("10.0.0.2", 80);

	(void)state;
	start_with(conf_main);
	k_zero();
	rs_set(1, 2, false);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.2", 80), -1);	/* removed */
	assert_int_equal(K.ddels, 1);
	assert_int_equal(k_writes(), 1);
	rs_set(2, 2, false);
	settle();
	assert_int_equal(weight_of(b, "10.0.1.2", 80), 0);	/* inhibited */
	assert_int_equal(K.dedits, 1);
	assert_int_equal(k_writes(), 2);
	k_zero();
	rs_set(1, 2, true);
	rs_set(2, 2, true);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.2", 80), 1);
	assert_int_equal(weight_of(b, "10.0.1.2", 80), 2);
	assert_int_equal(K.dadds, 1);
	assert_int_equal(K.dedits, 1);
	/* a weight set by command (the API reports it) */
	A.rs[0][0].weight = 7;
	emit(CHK_EVT_WEIGHT, 1, 1);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.1", 80), 7);
	finish();
}

static void test_quorum_sorry(void **state)
{
	struct ipvs_service a = svc4("10.0.0.1", 80);

	(void)state;
	start_with(conf_main);
	rs_set(1, 2, false);
	quorum_set(1, false);
	settle();
	/* the sorry server replaces the alive real servers */
	assert_int_equal(weight_of(a, "10.0.1.99", 8080), 1);
	assert_int_equal(weight_of(a, "10.0.1.1", 80), -1);
	assert_int_equal(weight_of(a, "10.0.1.2", 80), -1);
	rs_set(1, 2, true);
	quorum_set(1, true);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.99", 8080), -1);
	assert_int_equal(weight_of(a, "10.0.1.1", 80), 3);
	assert_int_equal(weight_of(a, "10.0.1.2", 80), 1);
	finish();

	/* sorry_server_inhibit: kept with weight 0 while not needed */
	start_with("virtual_server 10.0.0.1 80 {\n sorry_server 10.0.1.99 8080\n"
		   " sorry_server_inhibit\n real_server 10.0.1.1 80 { }\n}\n");
	assert_int_equal(weight_of(a, "10.0.1.99", 8080), 0);
	quorum_set(1, false);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.99", 8080), 1);
	finish();
	assert_int_equal(K.n, 0);
}

static void test_foreign_entries(void **state)
{
	struct ipvs_service a = svc4("10.0.0.1", 80), b = svc4("10.0.0.2", 80);
	struct ipvs_service other = svc4("10.9.9.9", 80);
	struct ipvs_dest hand = { .af = AF_INET, .port = 80, .weight = 9 };
	struct ipvs_dest stale = { .af = AF_INET, .port = 80, .weight = 5 };

	(void)state;
	/* before start: an unrelated service, and 10.0.0.2 made by hand with a
	 * real server alived names (wrong weight) and one it does not */
	strcpy(other.sched_name, "wlc");
	other.netmask = 0xffffffffu;
	assert_int_equal(ipvs_service_add(NULL, &other), 0);
	b.netmask = 0xffffffffu;
	strcpy(b.sched_name, "wlc");
	assert_int_equal(ipvs_service_add(NULL, &b), 0);
	inet_pton(AF_INET, "10.0.1.1", stale.addr.b);
	inet_pton(AF_INET, "10.0.5.5", hand.addr.b);
	assert_int_equal(ipvs_dest_add(NULL, &b, &stale), 0);
	assert_int_equal(ipvs_dest_add(NULL, &b, &hand), 0);
	k_zero();
	start_with(conf_main);
	assert_int_equal(K.adds, 1);			/* 10.0.0.1 only */
	assert_int_equal(K.edits, 1);			/* 10.0.0.2: wlc -> rr */
	assert_string_equal(k_find(&b)->s.sched_name, "rr");
	assert_int_equal(weight_of(b, "10.0.1.1", 80), 2);	/* adopted, fixed */
	assert_int_equal(weight_of(b, "10.0.5.5", 80), 9);	/* left alone */
	/* a real server added by hand into a service alived created */
	hand.weight = 4;
	assert_int_equal(ipvs_dest_add(NULL, &a, &hand), 0);
	rs_set(1, 2, false);
	settle();
	assert_int_equal(weight_of(a, "10.0.5.5", 80), 4);
	finish();
	/* stop: alived's real servers gone; the service it created is kept
	 * because of the hand-added one; the adopted one stays too */
	assert_non_null(k_find(&other));
	assert_int_equal(weight_of(a, "10.0.5.5", 80), 4);
	assert_int_equal(k_find(&a)->n, 1);
	assert_int_equal(weight_of(b, "10.0.5.5", 80), 9);
	assert_int_equal(k_find(&b)->n, 1);
	assert_int_equal(K.n, 3);
}

static const char *const conf_reloaded =
	"virtual_server 10.0.0.1 80 {\n lb_algo wrr\n lb_kind NAT\n"
	" persistence_timeout 50\n sorry_server 10.0.1.99 8080\n"
	" real_server 10.0.1.1 80 { weight 3 }\n"
	" real_server 10.0.1.2 80 { weight 4 }\n}\n";

static void test_reload(void **state)
{
	struct ipvs_service a = svc4("10.0.0.1", 80), b = svc4("10.0.0.2", 80);
	struct cfg_root *old, *root;

	(void)state;
	start_with(conf_main);
	old = A.root;
	/* the second virtual server goes, one weight changes */
	root = load(conf_reloaded);
	k_zero();
	/* the engine publishes the reload first: nothing may happen before
	 * lvs_reload() gives the new configuration */
	api_build(root);
	emit(CHK_EVT_RELOAD, 0, 0);
	settle();
	assert_int_equal(k_writes(), 0);
	assert_int_equal(lvs_reload(root), 0);
	cfg_free(old);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.2", 80), 4);
	assert_int_equal(weight_of(b, "10.0.1.1", 80), -2);	/* released */
	assert_int_equal(K.dedits, 1);
	assert_int_equal(K.ddels, 2);
	assert_int_equal(K.dels, 1);
	assert_int_equal(K.adds + K.dadds + K.edits, 0);
	/* a model that does not match the configuration: no action */
	k_zero();
	A.vs[0].port = 81;
	A.rs[0][1].alive = false;
	emit(CHK_EVT_RS_STATE, 1, 2);
	settle();
	assert_int_equal(k_writes(), 0);
	A.vs[0].port = 80;
	emit(CHK_EVT_RS_STATE, 1, 2);
	settle();
	assert_int_equal(K.ddels, 1);
	finish();
}

static const char *const conf_reloaded_same =
	"virtual_server 10.0.0.1 80 {\n lb_algo wrr\n lb_kind NAT\n"
	" persistence_timeout 50\n sorry_server 10.0.1.99 8080\n"
	" real_server 10.0.1.1 80 { weight 6 }\n"
	" real_server 10.0.1.2 80 { weight 4 }\n}\n";

/* The same structure (so the model matches either root): between the
 * engine's RELOAD event and lvs_reload() the old root is freed, and must
 * not be read (ASan would see it). Then the other order. */
static void test_reload_orders(void **state)
{
	struct ipvs_service a = svc4("10.0.0.1", 80);
	struct cfg_root *old, *root;

	(void)state;
	start_with(conf_reloaded);
	assert_int_equal(weight_of(a, "10.0.1.2", 80), 4);
	old = A.root;
	root = load(conf_reloaded_same);
	api_build(root);
	emit(CHK_EVT_RELOAD, 0, 0);
	cfg_free(old);
	A.rs[0][1].alive = false;
	emit(CHK_EVT_RS_STATE, 1, 2);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.2", 80), 4);	/* untouched */
	assert_int_equal(lvs_reload(root), 0);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.2", 80), -1);
	assert_int_equal(weight_of(a, "10.0.1.1", 80), 6);
	/* lvs_reload() first, the event after: works too */
	old = root;
	root = load(conf_reloaded);
	assert_int_equal(lvs_reload(root), 0);
	api_build(root);
	emit(CHK_EVT_RELOAD, 0, 0);
	cfg_free(old);
	A.root = root;
	settle();
	assert_int_equal(weight_of(a, "10.0.1.2", 80), 4);
	A.rs[0][1].alive = false;
	emit(CHK_EVT_RS_STATE, 1, 2);
	settle();
	assert_int_equal(weight_of(a, "10.0.1.2", 80), -1);
	/* a full pass while the model does not match: nothing is released */
	k_zero();
	A.n_vs = 0;
	assert_int_equal(lvs_reload(root), 0);
	settle();
	assert_int_equal(k_writes(), 0);
	A.n_vs = 1;
	finish();
}

static void test_dont_release_and_flush(void **state)
{
	(void)state;
	lvs_set_dont_release(true);
	start_with(conf_main);
	finish();
	assert_int_equal(K.n, 2);
	k_reset();
	start_with("global_defs {\n lvs_flush\n lvs_flush_onstop\n lvs_timeouts tcp 100 udp 30\n}\n"
		   "virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 { }\n}\n");
	assert_int_equal(K.flushes, 1);
	assert_int_equal(K.to.tcp_s, 100);
	assert_int_equal(K.to.udp_s, 30);
	assert_int_equal(K.n, 1);
	finish();
	assert_int_equal(K.flushes, 2);
	assert_int_equal(K.ddels, 0);
}

static void test_no_ipvs(void **state)
{
	struct lvs_stats s;

	(void)state;
	K.absent = true;
	start_with(conf_main);
	assert_int_equal(K.n, 0);
	rs_set(1, 1, false);
	settle();
	assert_int_equal(lvs_get_vs_stats(1, &s), -EPROTONOSUPPORT);
	assert_int_equal(lvs_reload(A.root), 0);	/* tries again, quietly */
	settle();
	K.absent = false;
	assert_int_equal(lvs_reload(A.root), 0);	/* IPVS appeared */
	settle();
	assert_int_equal(K.n, 2);
	finish();
	assert_int_equal(lvs_get_vs_stats(1, &s), -ESRCH);
	assert_int_equal(lvs_reload(NULL), -ESRCH);
}

static void test_groups_fwmark_v6(void **state)
{
	struct ipvs_service s = { .af = AF_INET, .fwmark = 3 };
	struct ipvs_service v6 = { .af = AF_INET6, .protocol = IPPROTO_UDP, .port = 53 };
	struct lvs_stats st;
	struct fsvc *f;

	(void)state;
	start_with("virtual_server_group G {\n 10.0.0.1-3 80\n 10.0.2.0/30 8080\n"
		   " fwmark 9 inet6\n}\n"
		   "virtual_server group G {\n lb_algo sh\n sh-port\n persistence_timeout 10\n"
		   " persistence_granularity 24\n"
		   " real_server 10.0.1.1 80 { lvs_method TUN type gue port 6080\n }\n}\n"
		   "virtual_server fwmark 3 {\n ip_family inet\n real_server 10.0.1.1 0 { }\n}\n"
		   "virtual_server 2001:db8::1 53 {\n protocol UDP\n ops\n"
		   " real_server 2001:db8::2 53 { }\n}\n");
	assert_int_equal(K.n, 3 + 4 + 1 + 1 + 1);
	f = k_find(&s);
	assert_non_null(f);
	assert_int_equal(f->n, 1);
	s = svc4("10.0.0.3", 80);
	f = k_find(&s);
	assert_non_null(f);
	assert_int_equal(f->s.flags & IPVS_SVC_FLAGS_SETTABLE,
			 IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED_SH_PORT);
	assert_int_equal(f->s.netmask, htonl(0xffffff00u));
	assert_int_equal(f->d[0].conn_flags, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(f->d[0].tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(f->d[0].tun_port, 6080);
	s = svc4("10.0.2.3", 8080);
	assert_non_null(k_find(&s));
	s = svc4("10.0.0.4", 80);
	assert_null(k_find(&s));
	/* the IPv6 fwmark entry: netmask of IPv6, IPv4 real server (tunnel) */
	s = (struct ipvs_service){ .af = AF_INET6, .fwmark = 9 };
	f = k_find(&s);
	assert_non_null(f);
	assert_int_equal(f->s.netmask, 128);
	assert_int_equal(f->d[0].af, AF_INET);
	inet_pton(AF_INET6, "2001:db8::1", v6.addr.b);
	f = k_find(&v6);
	assert_non_null(f);
	assert_int_equal(f->s.flags & IPVS_SVC_FLAGS_SETTABLE, IP_VS_SVC_F_ONEPACKET);
	assert_int_equal(f->s.netmask, 128);
	/* statistics: the group sums its 8 services */
	assert_int_equal(lvs_get_vs_stats(1, &st), 0);
	assert_true(st.in_kernel);
	assert_int_equal(st.n_entries, 8);
	assert_int_equal(lvs_get_rs_stats(1, 1, &st), 0);
	assert_int_equal(st.n_entries, 8);
	assert_int_equal(st.conns, 80);			/* 10 per service (fake) */
	assert_int_equal(st.inact_conns, 8);
	assert_int_equal(lvs_get_rs_stats(1, 2, &st), -ENOENT);
	assert_int_equal(lvs_get_rs_stats(1, 0, &st), -ENOENT);	/* no sorry server */
	assert_int_equal(lvs_get_vs_stats(5, &st), -ENOENT);
	rs_set(2, 1, false);
	settle();
	assert_int_equal(lvs_get_rs_stats(2, 1, &st), 0);
	assert_false(st.in_kernel);
	finish();
	assert_int_equal(K.n, 0);
}

static void test_retry_after_transient_error(void **state)
{
	struct ipvs_service a = svc4("10.0.0.1", 80);

	(void)state;
	K.fail_next = -ENOMEM;
	start_with(conf_main);
	assert_int_equal(K.n, 1);			/* the first add failed */
	assert_true(L.retry_timer != 0);
	assert_true(ev_timer_cancel(loop, L.retry_timer));
	L.retry_timer = 0;
	on_retry(NULL);
	settle();
	assert_int_equal(K.n, 2);
	assert_int_equal(weight_of(a, "10.0.1.1", 80), 3);
	finish();
}

/* A full pass that cannot read a service must not take it for gone. */
static void test_read_error_releases_nothing(void **state)
{
	(void)state;
	start_with(conf_main);
	k_zero();
	K.fail_get = -EIO;
	assert_int_equal(lvs_reload(A.root), 0);
	settle();
	assert_int_equal(k_writes(), 0);
	assert_int_equal(K.n, 2);
	assert_int_equal(L.n_own, 2);
	assert_true(L.retry_timer != 0);	/* -EIO: tried again later */
	K.fail_get = 0;
	finish();
	assert_int_equal(K.n, 0);
}

/* Two virtual servers naming one service: the first rules it; no flapping. */
static void test_overlap(void **state)
{
	struct ipvs_service a = svc4("10.0.0.1", 80);

	(void)state;
	start_with("virtual_server_group G {\n 10.0.0.1 80\n 10.0.0.5 80\n}\n"
		   "virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 { }\n}\n"
		   "virtual_server group G {\n real_server 10.0.1.2 80 { }\n}\n");
	assert_int_equal(weight_of(a, "10.0.1.1", 80), 1);
	assert_int_equal(weight_of(a, "10.0.1.2", 80), -1);
	k_zero();
	emit(CHK_EVT_RS_STATE, 2, 1);
	emit(CHK_EVT_RS_STATE, 1, 1);
	settle();
	assert_int_equal(lvs_reload(A.root), 0);
	settle();
	assert_int_equal(k_writes(), 0);
	finish();
	assert_int_equal(K.n, 0);
}

static void test_syncd(void **state)
{
	struct cfg_lvs_syncd c = { .ifname = "eth1", .syncid = -1, .port = 8848 };

	(void)state;
	assert_int_equal(lvs_syncd_set(&c, 51, LVS_SYNCD_BOTH), 0);
	assert_int_equal(K.n_daemon, 2);
	assert_int_equal(K.daemon[0].syncid, 51);	/* the VRID */
	assert_string_equal(K.daemon[0].mcast_ifn, "eth1");
	assert_int_equal(lvs_syncd_set(&c, 51, LVS_SYNCD_BOTH), 0);
	assert_int_equal(K.dstarts, 2);			/* idempotent */
	assert_int_equal(lvs_syncd_set(&c, 51, LVS_SYNCD_MASTER), 0);
	assert_int_equal(K.n_daemon, 1);
	assert_int_equal(K.daemon[0].state, IP_VS_STATE_MASTER);
	assert_int_equal(lvs_syncd_set(&c, 51, LVS_SYNCD_BACKUP), 0);
	assert_int_equal(K.n_daemon, 1);
	assert_int_equal(K.daemon[0].state, IP_VS_STATE_BACKUP);
	c.syncid = 7;					/* changed: restarted */
	assert_int_equal(lvs_syncd_set(&c, 51, LVS_SYNCD_BACKUP), 0);
	assert_int_equal(K.daemon[0].syncid, 7);
	assert_int_equal(lvs_syncd_set(NULL, 0, LVS_SYNCD_OFF), 0);
	assert_int_equal(K.n_daemon, 0);
	assert_int_equal(lvs_syncd_set(NULL, 0, LVS_SYNCD_MASTER), -EINVAL);
	assert_string_equal(lvs_syncd_role_name(LVS_SYNCD_BOTH), "both");
	assert_string_equal(lvs_syncd_role_name(LVS_SYNCD__COUNT), "?");
	lvs_syncd_close();
	K.absent = true;
	assert_int_equal(lvs_syncd_set(&c, 1, LVS_SYNCD_MASTER), -EPROTONOSUPPORT);
}

#ifndef TEST_LVS_NO_MAIN
int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_programs_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_down_up_inhibit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quorum_sorry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dont_release_and_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_ipvs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_groups_fwmark_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_after_transient_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_error_releases_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syncd, setup, teardown),
	};

	log_set_level(LOG_WARNING);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
