// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the checker core and model (src/check/chk_core.c, vs.c,
 * check_api.c): when attempts happen (warmup, delay_loop, retry,
 * delay_before_retry, alpha, HTTP URL steps with and without
 * fast_recovery), when real servers go up and down, quorum with
 * hysteresis, the sorry server, weights, the read and command API, and
 * states and stable ids kept across a reload.
 *
 * The checks themselves are fakes: each attempt takes its result from a
 * script the test sets, and records the time it ran. Time is the event
 * loop's test clock, advanced in 10 ms steps.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "alived/config.h"
#include "alived/ev.h"
#include "alived/log.h"
#include "check/chk.h"

#define S	1000000ull	/* microseconds per second */
#define MAX_EV	64

/* ---- fake checker type ---- */

struct fake {
	const char *results;	/* one char per attempt: 'o' ok, 'x' fail; then ok */
	size_t next;
	uint64_t at_us[MAX_EV];	/* when each attempt ran */
	unsigned step[MAX_EV];	/* c->step of each attempt */
	size_t n;
};

static struct fake fakes[4];	/* by real server address 10.0.0.1 .. .4 */
static struct ev_loop *loop;
static uint64_t now_us;

static struct fake *fake_of(const struct chk *c)
{
	unsigned last = ntohl(c->rs->cfg->addr.u.v4.s_addr) & 0xff;

	assert_true(last >= 1 && last <= 4);
	return &fakes[last - 1];
}

static void fake_start(struct chk *c)
{
	struct fake *f = fake_of(c);
	char r = f->results && f->next < strlen(f->results) ? f->results[f->next] : 'o';
	unsigned n_urls = 0;

	f->next++;
	assert_true(f->n < MAX_EV);
	f->at_us[f->n] = now_us;
	f->step[f->n++] = c->step;
	if (r != 'o') {
		chk_done(c, CHK_CONNECT_REFUSED, "fake refusal");
		return;
	}
	if (c->cfg->type == CFG_CHK_HTTP)
		for (const struct cfg_url *u = c->cfg->u.http.urls; u; u = u->next)
			n_urls++;
	if (n_urls && c->step + 1u < n_urls)
		chk_step_ok(c);
	else
		chk_done(c, CHK_OK, NULL);
}

static void fake_abort(struct chk *c)
{
	c->run = NULL;
}

static const struct chk_ops fake_ops = {
	.name = "FAKE", .start = fake_start, .abort = fake_abort,
};
static const struct chk_ops *const fake_table[CFG_CHK__COUNT] = {
	[CFG_CHK_TCP] = &fake_ops,
	[CFG_CHK_HTTP] = &fake_ops,
};

/* ---- observed events ---- */

struct seen {
	struct chk_evt_info ev;
	uint64_t at_us;
};
static struct seen seen[MAX_EV];
static size_t n_seen;

static void observer(const struct chk_evt_info *ev, void *ud)
{
	(void)ud;
	assert_true(n_seen < MAX_EV);
	seen[n_seen].ev = *ev;
	seen[n_seen++].at_us = now_us;
}

/* ---- harness ---- */

static uint64_t test_clock(void *ud)
{
	(void)ud;
	return now_us;
}

static void run_until(uint64_t end_us)
{
	for (;;) {
		while (ev_run_once(loop, 0) > 0)
			;
		if (now_us >= end_us)
			break;
		now_us += 10000;
	}
}

static struct cfg_root *load(const char *text)
{
	struct cfg_diags d;
	struct cfg_root *root = NULL;
	struct cfg_opts o = { .config_id = "test" };
	int r;

	cfg_diags_init(&d);
	r = cfg_load_string("test.conf", text, &o, &d, &root);
	if (r < 0)
		cfg_diags_print(&d, stderr);
	assert_int_equal(r, 0);
	cfg_diags_free(&d);
	return root;
}

struct env {
	struct cfg_root *root;
	struct chk_model *m;
	int sub;
};
static struct env E;	/* global, so a failed test is cleaned up by teardown() */

static void env_start(struct env *e, const char *text)
{
	memset(fakes, 0, sizeof(fakes));
	n_seen = 0;
	now_us = 1000 * S;
	loop = ev_loop_new();
	assert_non_null(loop);
	ev_set_clock(loop, test_clock, NULL);
	e->root = load(text);
	assert_int_equal(chk_model_new(loop, e->root, fake_table, &e->m), 0);
	chk_api_set_model(e->m);
	e->sub = chk_api_subscribe(CHK_EVT_MASK_ALL, observer, NULL);
	assert_true(e->sub > 0);
	chk_model_start(e->m, true);
}

static void env_stop(struct env *e)
{
	assert_int_equal(chk_api_unsubscribe(e->sub), 0);
	assert_int_equal(chk_api_unsubscribe(e->sub), -ENOENT);
	chk_api_set_model(NULL);
	chk_model_free(e->m);
	cfg_free(e->root);
	ev_loop_free(loop);
	loop = NULL;
	memset(e, 0, sizeof(*e));
}

static int teardown(void **state)
{
	(void)state;
	if (!E.m)
		return 0;
	chk_api_unsubscribe(E.sub);
	chk_api_set_model(NULL);
	chk_model_free(E.m);
	cfg_free(E.root);
	ev_loop_free(loop);
	loop = NULL;
	memset(&E, 0, sizeof(E));
	return 0;
}

/* Seconds since the start, of attempt i of fake f. */
static uint64_t att_s(const struct fake *f, size_t i)
{
	return (f->at_us[i] - 1000 * S) / 10000;	/* in 10 ms units */
}

#define VS_HEAD "virtual_server 10.0.0.100 80 {\n"

/* ---- tests ---- */

/* retry 2, delay_before_retry 3: three failures in a row take it down. */
static void test_retry_timing(void **state)
{

	(void)state;
	env_start(&E, VS_HEAD
		  "  real_server 10.0.0.1 80 {\n"
		  "    TCP_CHECK {\n"
		  "      delay_loop 10\n      retry 2\n      delay_before_retry 3\n"
		  "      warmup 0\n    }\n  }\n}\n");
	fakes[0].results = "oxxxo";
	run_until(1000 * S + 30 * S);
	/* attempts: 0 ok, 10 x, 13 x (retry 1), 16 x (retry 2) -> down, 26 ok -> up */
	assert_true(fakes[0].n >= 5);
	assert_int_equal(att_s(&fakes[0], 0), 0);
	assert_int_equal(att_s(&fakes[0], 1), 1000);
	assert_int_equal(att_s(&fakes[0], 2), 1300);
	assert_int_equal(att_s(&fakes[0], 3), 1600);
	assert_int_equal(att_s(&fakes[0], 4), 2600);
	assert_int_equal(n_seen, 4);	/* down, quorum lost, up, quorum met */
	assert_int_equal(seen[0].ev.evt, CHK_EVT_RS_STATE);
	assert_false(seen[0].ev.new_up);
	assert_int_equal(seen[0].ev.result, CHK_CONNECT_REFUSED);
	assert_int_equal(seen[0].at_us, fakes[0].at_us[3]);
	assert_string_equal(seen[0].ev.reason, "TCP_CHECK: fake refusal");
	assert_int_equal(seen[1].ev.evt, CHK_EVT_QUORUM);
	assert_false(seen[1].ev.new_up);
	assert_int_equal(seen[2].ev.evt, CHK_EVT_RS_STATE);
	assert_true(seen[2].ev.new_up);
	assert_int_equal(seen[2].at_us, fakes[0].at_us[4]);
	assert_int_equal(seen[3].ev.evt, CHK_EVT_QUORUM);
	assert_true(seen[3].ev.new_up);
	env_stop(&E);
}

/* A failure followed by a good retry changes nothing; retries start over. */
static void test_retry_recovers(void **state)
{

	(void)state;
	env_start(&E, VS_HEAD
		  "  real_server 10.0.0.1 80 {\n"
		  "    TCP_CHECK {\n"
		  "      delay_loop 5\n      retry 1\n      delay_before_retry 1\n"
		  "      warmup 0\n    }\n  }\n}\n");
	fakes[0].results = "oxoxoxx";
	run_until(1000 * S + 20 * S);
	/* 0 o, 5 x, 6 o, 11 x, 12 o, 17 x, 18 x -> down at 18 */
	assert_int_equal(att_s(&fakes[0], 2), 600);
	assert_int_equal(att_s(&fakes[0], 3), 1100);
	assert_int_equal(att_s(&fakes[0], 6), 1800);
	assert_int_equal(n_seen, 2);
	assert_false(seen[0].ev.new_up);
	assert_int_equal(seen[0].at_us, fakes[0].at_us[6]);
	env_stop(&E);
}

/* alpha: down at start; a down checker is not retried, it waits delay_loop. */
static void test_alpha(void **state)
{
	struct chk_rs_info ri;
	struct chk_vs_info vi;

	(void)state;
	env_start(&E, VS_HEAD
		  "  alpha\n"
		  "  real_server 10.0.0.1 80 {\n"
		  "    TCP_CHECK {\n"
		  "      delay_loop 4\n      retry 3\n      delay_before_retry 1\n"
		  "      warmup 0\n    }\n  }\n}\n");
	assert_int_equal(chk_api_rs_get(1, 1, &ri), 0);
	assert_false(ri.alive);
	assert_int_equal(ri.last_result, CHK_NONE);
	assert_int_equal(chk_api_vs_get(1, &vi), 0);
	assert_false(vi.quorum_met);
	fakes[0].results = "xxo";
	run_until(1000 * S + 9 * S);
	assert_int_equal(att_s(&fakes[0], 1), 400);
	assert_int_equal(att_s(&fakes[0], 2), 800);
	assert_int_equal(n_seen, 2);
	assert_true(seen[0].ev.new_up);
	assert_int_equal(seen[0].at_us, fakes[0].at_us[2]);
	assert_int_equal(chk_api_rs_get(1, 1, &ri), 0);
	assert_true(ri.alive);
	assert_int_equal(ri.last_result, CHK_OK);
	assert_int_equal(ri.n_checks, 3);
	assert_int_equal(ri.n_failed, 2);
	env_stop(&E);
}

/* warmup: the first attempt at a random time within it, then delay_loop. */
static void test_warmup(void **state)
{

	(void)state;
	env_start(&E, VS_HEAD
		  "  real_server 10.0.0.1 80 {\n    TCP_CHECK {\n      delay_loop 2\n"
		  "      warmup 5\n    }\n  }\n"
		  "  real_server 10.0.0.2 80 {\n    TCP_CHECK {\n      delay_loop 2\n"
		  "    }\n  }\n}\n");
	run_until(1000 * S + 8 * S);
	assert_true(fakes[0].n >= 2);
	assert_true(att_s(&fakes[0], 0) <= 500);
	assert_int_equal(att_s(&fakes[0], 1) - att_s(&fakes[0], 0), 200);
	/* default warmup is delay_loop */
	assert_true(att_s(&fakes[1], 0) <= 200);
	env_stop(&E);
}

/* HTTP URLs: while down, one URL per delay_loop unless fast_recovery. */
static void test_http_steps(void **state)
{
	const char *urls = "      url {\n        path /a\n      }\n      url {\n        path /b\n"
			   "      }\n      url {\n        path /c\n      }\n";
	char conf[1024];

	(void)state;
	snprintf(conf, sizeof(conf), VS_HEAD "  alpha\n"
		 "  real_server 10.0.0.1 80 {\n    HTTP_GET {\n%s      delay_loop 10\n"
		 "      warmup 0\n    }\n  }\n"
		 "  real_server 10.0.0.2 80 {\n    HTTP_GET {\n%s      delay_loop 10\n"
		 "      warmup 0\n      fast_recovery\n    }\n  }\n}\n", urls, urls);
	env_start(&E, conf);
	run_until(1000 * S + 25 * S);
	/* slow: /a at 0, /b at 10, /c at 20 -> up at 20 */
	assert_int_equal(att_s(&fakes[0], 1), 1000);
	assert_int_equal(fakes[0].step[1], 1);
	assert_int_equal(att_s(&fakes[0], 2), 2000);
	assert_int_equal(fakes[0].step[2], 2);
	/* fast: all three at once -> up at 0; then a round every 10 s */
	assert_int_equal(att_s(&fakes[1], 2), 0);
	assert_int_equal(fakes[1].step[2], 2);
	assert_int_equal(att_s(&fakes[1], 3), 1000);
	assert_int_equal(fakes[1].step[3], 0);
	assert_int_equal(att_s(&fakes[1], 4), 1000);	/* up: no delay between URLs */
	assert_int_equal(seen[0].ev.rs_id, 2);
	assert_int_equal(seen[0].at_us, fakes[1].at_us[2]);
	env_stop(&E);
}

/* Several checkers: alive only when all pass. */
static void test_all_checkers(void **state)
{
	struct chk_rs_info ri;

	(void)state;
	env_start(&E, VS_HEAD
		  "  real_server 10.0.0.1 80 {\n"
		  "    TCP_CHECK {\n      delay_loop 10\n      retry 0\n      warmup 0\n    }\n"
		  "    HTTP_GET {\n      url {\n        path /\n      }\n      delay_loop 10\n"
		  "      retry 0\n      warmup 0\n    }\n  }\n}\n");
	/* both checkers share fake 0: results in turn TCP, HTTP, TCP, HTTP ... */
	fakes[0].results = "oxoo";
	run_until(1000 * S + 1 * S);
	assert_int_equal(chk_api_rs_get(1, 1, &ri), 0);
	assert_int_equal(ri.n_checkers, 2);
	assert_int_equal(ri.n_checkers_up, 1);
	assert_false(ri.alive);
	run_until(1000 * S + 11 * S);
	assert_int_equal(chk_api_rs_get(1, 1, &ri), 0);
	assert_int_equal(ri.n_checkers_up, 2);
	assert_true(ri.alive);
	assert_string_equal(seen[2].ev.reason, "all checkers up");
	env_stop(&E);
}

#define QUORUM_CONF VS_HEAD \
	"  quorum 4\n  hysteresis 1\n  sorry_server 10.0.0.200 8080\n" \
	"  real_server 10.0.0.1 80 {\n    weight 1\n  }\n" \
	"  real_server 10.0.0.2 80 {\n    weight 2\n  }\n" \
	"  real_server 10.0.0.3 80 {\n    weight 3\n  }\n}\n"

static void expect_quorum(bool met, uint64_t weight)
{
	struct chk_vs_info vi;

	assert_int_equal(chk_api_vs_get(1, &vi), 0);
	assert_int_equal(vi.quorum_met, met);
	assert_int_equal(vi.sorry_active, !met);
	assert_int_equal(vi.alive_weight, weight);
}

/* Quorum 4, hysteresis 1: lost below 3, met again from 5. */
static void test_quorum_hysteresis(void **state)
{
	struct chk_vs_info vi;

	(void)state;
	env_start(&E, QUORUM_CONF);
	assert_int_equal(chk_api_vs_get(1, &vi), 0);
	assert_int_equal(vi.n_rs, 3);
	assert_int_equal(vi.n_rs_alive, 3);
	assert_true(vi.sorry_set);
	assert_int_equal(vi.sorry_port, 8080);
	expect_quorum(true, 6);
	assert_int_equal(chk_cmd_set_enabled(1, 3, false, "test"), 0);	/* 3 */
	expect_quorum(true, 3);
	assert_int_equal(chk_cmd_set_enabled(1, 1, false, "test"), 0);	/* 2 */
	expect_quorum(false, 2);
	assert_int_equal(seen[n_seen - 1].ev.evt, CHK_EVT_QUORUM);
	assert_false(seen[n_seen - 1].ev.new_up);
	assert_int_equal(chk_cmd_set_enabled(1, 1, true, "test"), 0);	/* 3 */
	expect_quorum(false, 3);
	assert_int_equal(chk_cmd_set_enabled(1, 3, true, "test"), 0);	/* 6 */
	expect_quorum(true, 6);
	/* weights: 1 + 2 + 0 = 3 keeps it, 1 + 0 + 0 loses it */
	assert_int_equal(chk_cmd_set_weight(1, 3, 0, "test"), 0);
	expect_quorum(true, 3);
	assert_int_equal(chk_cmd_set_weight(1, 2, 0, "test"), 0);
	expect_quorum(false, 1);
	assert_int_equal(chk_cmd_set_weight(1, 3, 4, "test"), 0);
	expect_quorum(true, 5);
	assert_int_equal(chk_cmd_set_weight(1, 3, 65536, "test"), -ERANGE);
	assert_int_equal(chk_cmd_set_weight(1, 4, 1, "test"), -ENOENT);
	assert_int_equal(chk_cmd_set_weight(2, 1, 1, "test"), -ENOENT);
	assert_int_equal(chk_cmd_set_enabled(1, 0, true, "test"), -ENOENT);
	env_stop(&E);
	assert_int_equal(chk_cmd_set_weight(1, 1, 1, "test"), -ESRCH);
	assert_int_equal(chk_api_vs_get(1, &vi), -ESRCH);
	assert_int_equal(chk_api_vs_count(), 0);
}

static int count_rs(const struct chk_rs_info *ri, void *ud)
{
	(*(unsigned *)ud) += ri->weight;
	return 0;
}

static int stop_at_2(const struct chk_vs_info *vi, void *ud)
{
	(*(unsigned *)ud)++;
	return vi->id == 2 ? 7 : 0;
}

static void test_read_api(void **state)
{
	struct chk_rs_info ri;
	unsigned sum = 0, n = 0;

	(void)state;
	env_start(&E, QUORUM_CONF "virtual_server 10.0.0.101 80 {\n}\n"
		  "virtual_server fwmark 9 {\n}\n");
	assert_int_equal(chk_api_vs_count(), 3);
	assert_int_equal(chk_api_rs_foreach(1, count_rs, &sum), 0);
	assert_int_equal(sum, 6);
	assert_int_equal(chk_api_vs_foreach(stop_at_2, &n), 7);
	assert_int_equal(n, 2);
	assert_int_equal(chk_api_rs_foreach(9, count_rs, &sum), -ENOENT);
	assert_int_equal(chk_api_rs_get(1, 3, &ri), 0);
	assert_int_equal(ri.vs_id, 1);
	assert_int_equal(ri.id, 3);
	assert_int_equal(ri.port, 80);
	assert_int_equal(ri.cfg_weight, 3);
	assert_true(ri.enabled);
	assert_int_equal(ri.n_checkers, 0);
	env_stop(&E);
}

/* A reload keeps the state of what it still has and announces nothing. */
static void test_reload_adopt(void **state)
{
	const char *conf = VS_HEAD
		"  real_server 10.0.0.1 80 {\n    TCP_CHECK {\n      retry 0\n"
		"      delay_loop 5\n      warmup 0\n    }\n  }\n"
		"  real_server 10.0.0.2 80 {\n    TCP_CHECK {\n      retry 0\n"
		"      delay_loop 5\n      warmup 0\n    }\n  }\n}\n";
	struct chk_model *m2 = NULL;
	struct cfg_root *root2;
	struct chk_rs_info ri;

	(void)state;
	env_start(&E, conf);
	fakes[0].results = "xxxxxxxx";
	run_until(1000 * S + 1 * S);
	assert_int_equal(chk_api_rs_get(1, 1, &ri), 0);
	assert_false(ri.alive);
	n_seen = 0;
	root2 = load(conf);
	assert_int_equal(chk_model_new(loop, root2, fake_table, &m2), 0);
	chk_model_stop(E.m, false);
	chk_model_adopt(m2, E.m);
	chk_model_free(E.m);
	cfg_free(E.root);
	E.m = m2;
	E.root = root2;
	chk_api_set_model(m2);
	chk_model_start(m2, false);
	assert_int_equal(n_seen, 0);
	assert_int_equal(chk_api_rs_get(1, 1, &ri), 0);
	assert_false(ri.alive);
	assert_int_equal(ri.n_failed, 1);
	assert_int_equal(chk_api_rs_get(1, 2, &ri), 0);
	assert_true(ri.alive);
	fakes[0].results = NULL;	/* all ok from now on */
	run_until(1000 * S + 7 * S);
	assert_int_equal(n_seen, 1);
	assert_true(seen[0].ev.new_up);
	assert_int_equal(seen[0].ev.rs_id, 1);
	env_stop(&E);
}

/* Replaces the running model by one of text, as chk_child.c's reload does. */
static void reload(const char *text)
{
	struct chk_model *m2 = NULL;
	struct cfg_root *root2 = load(text);

	assert_int_equal(chk_model_new(loop, root2, fake_table, &m2), 0);
	chk_model_stop(E.m, false);
	chk_model_adopt(m2, E.m);
	chk_model_free(E.m);
	cfg_free(E.root);
	E.m = m2;
	E.root = root2;
	chk_api_set_model(m2);
	chk_model_start(m2, false);
}

static void expect_rs(uint32_t vs_id, uint32_t rs_id, const char *addr, uint32_t vs_uid,
		      uint32_t uid)
{
	struct chk_rs_info ri;
	char a[CFG_ADDRSTRLEN];
	uint32_t v = 0, r = 0;

	assert_int_equal(chk_api_rs_get(vs_id, rs_id, &ri), 0);
	assert_string_equal(cfg_addr_fmt(&ri.addr, a, sizeof(a)), addr);
	assert_int_equal(ri.vs_uid, vs_uid);
	assert_int_equal(ri.uid, uid);
	assert_int_equal(chk_api_rs_lookup_uid(vs_uid, uid, &v, &r), 0);
	assert_int_equal(v, vs_id);
	assert_int_equal(r, rs_id);
}

#define RS_LINE(a, w) "  real_server " a " 80 {\n    weight " w "\n  }\n"

/*
 * Stable ids: a reload that inserts, removes and reorders virtual and real
 * servers keeps the uid of each one still there, gives new ones uids never
 * used before, and keeps the weights and enabled states commands set.
 */
static void test_reload_stable_ids(void **state)
{
	const char *conf1 = VS_HEAD RS_LINE("10.0.0.1", "1") RS_LINE("10.0.0.2", "1")
		RS_LINE("10.0.0.3", "1") "}\n"
		"virtual_server fwmark 9 {\n" RS_LINE("10.0.0.4", "1") "}\n";
	const char *conf2 = "virtual_server 10.0.0.101 80 {\n" RS_LINE("10.0.0.1", "1") "}\n"
		"virtual_server fwmark 9 {\n" RS_LINE("10.0.0.4", "1") "}\n"
		VS_HEAD RS_LINE("10.0.0.3", "1") RS_LINE("10.0.0.2", "5")
		RS_LINE("10.0.0.4", "1") "}\n";
	const char *conf3 = "virtual_server 10.0.0.101 80 {\n" RS_LINE("10.0.0.1", "1") "}\n"
		VS_HEAD RS_LINE("10.0.0.3", "1") RS_LINE("10.0.0.2", "5")
		RS_LINE("10.0.0.4", "1") RS_LINE("10.0.0.1", "1") "}\n";
	struct chk_vs_info vi;
	struct chk_rs_info ri;
	uint32_t v = 0, r = 0;

	(void)state;
	env_start(&E, conf1);
	/* at the first start, uid == position */
	assert_int_equal(chk_api_vs_get(2, &vi), 0);
	assert_int_equal(vi.uid, 2);
	expect_rs(1, 3, "10.0.0.3", 1, 3);
	assert_int_equal(chk_cmd_set_weight(1, 2, 7, "test"), 0);
	assert_int_equal(seen[n_seen - 1].ev.evt, CHK_EVT_WEIGHT);	/* quorum 1: still met */
	assert_int_equal(seen[n_seen - 1].ev.rs_uid, 2);
	assert_int_equal(seen[n_seen - 1].ev.vs_uid, 1);
	assert_int_equal(chk_cmd_set_enabled(1, 3, false, "test"), 0);
	assert_int_equal(chk_cmd_set_weight(1, 1, 9, "test"), 0);

	reload(conf2);
	assert_int_equal(chk_api_vs_count(), 3);
	assert_int_equal(chk_api_vs_get(1, &vi), 0);
	assert_int_equal(vi.uid, 3);		/* new: after 1 and 2 */
	assert_int_equal(chk_api_vs_get(2, &vi), 0);
	assert_int_equal(vi.uid, 2);		/* fwmark 9 */
	assert_int_equal(chk_api_vs_get(3, &vi), 0);
	assert_int_equal(vi.uid, 1);		/* 10.0.0.100:80 */
	assert_int_equal(chk_api_vs_lookup_uid(1, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(chk_api_vs_lookup_uid(4, &v), -ENOENT);
	expect_rs(3, 1, "10.0.0.3", 1, 3);
	expect_rs(3, 2, "10.0.0.2", 1, 2);
	expect_rs(3, 3, "10.0.0.4", 1, 4);	/* new in this VS */
	expect_rs(2, 1, "10.0.0.4", 2, 1);
	expect_rs(1, 1, "10.0.0.1", 3, 1);
	assert_int_equal(chk_api_rs_lookup_uid(1, 1, &v, &r), -ENOENT);	/* removed */
	/* the command's weight wins over the new configured one; disabled stays */
	assert_int_equal(chk_api_rs_get(3, 2, &ri), 0);
	assert_int_equal(ri.weight, 7);
	assert_int_equal(ri.cfg_weight, 5);
	assert_true(ri.weight_by_cmd);
	assert_int_equal(chk_api_rs_get(3, 1, &ri), 0);
	assert_false(ri.enabled);
	assert_false(ri.alive);
	assert_false(ri.weight_by_cmd);
	assert_int_equal(ri.weight, 1);
	/* a weight command on the new position reaches the right server */
	n_seen = 0;
	assert_int_equal(chk_cmd_set_weight(3, 3, 4, "test"), 0);
	assert_int_equal(seen[0].ev.evt, CHK_EVT_WEIGHT);
	assert_int_equal(seen[0].ev.vs_id, 3);
	assert_int_equal(seen[0].ev.vs_uid, 1);
	assert_int_equal(seen[0].ev.rs_uid, 4);

	/* fwmark 9 goes; 10.0.0.1 comes back to the first VS: a new uid, and its
	 * old command weight (9) is gone with the old real server */
	reload(conf3);
	assert_int_equal(chk_api_vs_count(), 2);
	assert_int_equal(chk_api_vs_lookup_uid(2, &v), -ENOENT);
	expect_rs(2, 4, "10.0.0.1", 1, 5);
	assert_int_equal(chk_api_rs_get(2, 4, &ri), 0);
	assert_int_equal(ri.weight, 1);
	expect_rs(2, 3, "10.0.0.4", 1, 4);
	assert_int_equal(chk_api_rs_get(2, 3, &ri), 0);
	assert_int_equal(ri.weight, 4);
	env_stop(&E);
	assert_int_equal(chk_api_vs_lookup_uid(1, &v), -ESRCH);
	assert_int_equal(chk_api_rs_lookup_uid(1, 1, &v, &r), -ESRCH);
}

/* ha_suspend: a suspended virtual server's checks stop, its states stay;
 * resumed, they start again within warmup. */
static void test_suspend(void **state)
{
	struct chk_rs_info ri;
	size_t n;

	(void)state;
	env_start(&E, VS_HEAD
		  "  real_server 10.0.0.1 80 {\n    TCP_CHECK {\n      delay_loop 2\n"
		  "      retry 0\n      warmup 0\n    }\n  }\n}\n");
	fakes[0].results = "oox";
	run_until(1000 * S + 3 * S);		/* attempts at 0 and 2 */
	assert_int_equal(fakes[0].n, 2);
	chk_vs_suspend(&E.m->vs[0], true, "test");
	assert_true(E.m->vs[0].suspended);
	run_until(1000 * S + 20 * S);
	assert_int_equal(fakes[0].n, 2);	/* nothing while suspended */
	assert_int_equal(chk_api_rs_get(1, 1, &ri), 0);
	assert_true(ri.alive);
	assert_int_equal(n_seen, 0);
	chk_vs_suspend(&E.m->vs[0], true, "test");	/* twice: no change */
	chk_vs_suspend(&E.m->vs[0], false, "test");
	run_until(1000 * S + 20 * S + 10000);	/* warmup 0: at once */
	n = fakes[0].n;
	assert_int_equal(n, 3);
	assert_int_equal(att_s(&fakes[0], 2), 2000);
	assert_int_equal(n_seen, 2);		/* the 'x': down, quorum lost */
	assert_false(seen[0].ev.new_up);
	run_until(1000 * S + 22 * S + 10000);
	assert_int_equal(fakes[0].n, 4);
	env_stop(&E);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(chk_result_name(CHK_OK), "ok");
	assert_string_equal(chk_result_name(CHK_HTTP_DIGEST), "digest mismatch");
	assert_string_equal(chk_result_name(CHK_RESULT__COUNT), "?");
	for (int r = 0; r < CHK_RESULT__COUNT; r++)
		assert_non_null(chk_result_name((enum chk_result)r));
}

static void test_labels(void **state)
{
	char buf[CHK_LABEL_MAX];

	(void)state;
	env_start(&E, "virtual_server fe80::1 443 {\n  real_server fe80::2 8443 {\n  }\n}\n"
		  "virtual_server fwmark 7 {\n  real_server 10.0.0.4 80 {\n  }\n}\n");
	assert_string_equal(chk_rs_label(&E.m->vs[0].rs[0], buf, sizeof(buf)),
			    "[fe80::2]:8443 in VS [fe80::1]:443");
	assert_string_equal(chk_rs_label(&E.m->vs[1].rs[0], buf, sizeof(buf)),
			    "[10.0.0.4]:80 in VS fwmark 7");
	env_stop(&E);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_retry_timing, teardown),
		cmocka_unit_test_teardown(test_retry_recovers, teardown),
		cmocka_unit_test_teardown(test_alpha, teardown),
		cmocka_unit_test_teardown(test_warmup, teardown),
		cmocka_unit_test_teardown(test_http_steps, teardown),
		cmocka_unit_test_teardown(test_all_checkers, teardown),
		cmocka_unit_test_teardown(test_quorum_hysteresis, teardown),
		cmocka_unit_test_teardown(test_read_api, teardown),
		cmocka_unit_test_teardown(test_reload_adopt, teardown),
		cmocka_unit_test_teardown(test_reload_stable_ids, teardown),
		cmocka_unit_test_teardown(test_suspend, teardown),
		cmocka_unit_test_teardown(test_names, teardown),
		cmocka_unit_test_teardown(test_labels, teardown),
	};

	log_set_level(LOG_WARNING);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
