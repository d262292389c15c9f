/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/vrrp/vrrp_track.c: the pure parts (rise/fall, the
 * effect of one tracked object, the effective priority) and, on a real
 * event loop, scripts (a failing one, a hung one killed at its timeout),
 * track files read through inotify, interfaces, and the forced weight 0 of
 * the address owner and of sync group members.
 *
 * chrony style: the collaborators in the VRRP runtime are stubbed below,
 * then the module is included. Link: this file + libutil.a + libcore.a.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "alived/config.h"
#include "alived/ev.h"
#include "vrrp/vrrp.h"

/* ------------------------------------------------------------------ */
/* Stubs of the runtime around the module */

struct vrrp_rt vrrp_rt;
static struct vrrp_if fake_if = { .name = "trk0", .family = AF_UNSPEC, .ifindex = 9, .up = true };
static unsigned applied;	/* vrrp_inst_apply() calls */

struct vrrp_if *vrrp_if_track(const char *name)
{
	assert_string_equal(name, "trk0");
	fake_if.n_track++;
	return &fake_if;
}

void vrrp_if_untrack(struct vrrp_if *vif)
{
	vif->n_track--;
}

void vrrp_inst_apply(struct vrrp_inst *in)
{
	(void)in;
	applied++;
}

int vrrp_script_ids(const char *user, const char *group, uid_t *ret_uid, gid_t *ret_gid,
		    bool *ret_set)
{
	(void)user;
	(void)group;
	(void)ret_uid;
	(void)ret_gid;
	*ret_set = false;
	return 0;
}

static bool refuse_scripts;

bool vrrp_script_allowed(const char *cmdline, uid_t run_uid, const char *what, bool warn)
{
	(void)cmdline;
	(void)run_uid;
	(void)what;
	(void)warn;
	return !refuse_scripts;
}

#include "vrrp/vrrp_track.c"

/* ------------------------------------------------------------------ */
/* Pure parts */

static void test_rf_consecutive(void **state)
{
	struct vrrp_track_rf rf;

	(void)state;
	vrrp_track_rf_init(&rf, 2, 3, false);
	assert_true(rf.ok);
	/* two failures, a success in between: the streak starts again */
	assert_false(vrrp_track_rf_result(&rf, false));
	assert_false(vrrp_track_rf_result(&rf, false));
	assert_false(vrrp_track_rf_result(&rf, true));
	assert_false(vrrp_track_rf_result(&rf, false));
	assert_false(vrrp_track_rf_result(&rf, false));
	assert_true(rf.ok);
	assert_true(vrrp_track_rf_result(&rf, false));	/* the third in a row */
	assert_false(rf.ok);
	assert_false(vrrp_track_rf_result(&rf, false));
	assert_false(vrrp_track_rf_result(&rf, true));
	assert_false(vrrp_track_rf_result(&rf, false));
	assert_false(vrrp_track_rf_result(&rf, true));
	assert_true(vrrp_track_rf_result(&rf, true));	/* rise 2 */
	assert_true(rf.ok);
}

static void test_rf_init_fail_and_defaults(void **state)
{
	struct vrrp_track_rf rf;

	(void)state;
	vrrp_track_rf_init(&rf, 0, 0, true);	/* 0 taken as 1 */
	assert_false(rf.ok);
	assert_int_equal(rf.rise, 1);
	assert_true(vrrp_track_rf_result(&rf, true));
	assert_true(rf.ok);
	assert_true(vrrp_track_rf_result(&rf, false));
	assert_false(rf.ok);
}

struct eff_row {
	enum vrrp_trk_kind kind;
	int32_t weight;
	bool reverse, up;
	int64_t value;
	bool fault;
	int32_t delta;
};

static void test_effect_table(void **state)
{
	static const struct eff_row rows[] = {
		/* interface / script, weight 0: fault while down (reverse: while up) */
		{ VRRP_TRK_IF, 0, false, true, 0, false, 0 },
		{ VRRP_TRK_IF, 0, false, false, 0, true, 0 },
		{ VRRP_TRK_SCRIPT, 0, true, true, 0, true, 0 },
		{ VRRP_TRK_SCRIPT, 0, true, false, 0, false, 0 },
		/* positive: added while up */
		{ VRRP_TRK_SCRIPT, 20, false, true, 0, false, 20 },
		{ VRRP_TRK_SCRIPT, 20, false, false, 0, false, 0 },
		{ VRRP_TRK_SCRIPT, 20, true, true, 0, false, -20 },
		/* negative: subtracted while down */
		{ VRRP_TRK_IF, -30, false, true, 0, false, 0 },
		{ VRRP_TRK_IF, -30, false, false, 0, false, -30 },
		{ VRRP_TRK_IF, -30, true, false, 0, false, 30 },
		/* files: value times weight */
		{ VRRP_TRK_FILE, 1, false, false, -15, false, -15 },
		{ VRRP_TRK_FILE, 3, false, false, 7, false, 21 },
		{ VRRP_TRK_FILE, 3, true, false, 7, false, -21 },
		{ VRRP_TRK_FILE, 1, false, false, -253, false, -253 },
		{ VRRP_TRK_FILE, 1, false, false, -254, true, 0 },
		{ VRRP_TRK_FILE, 2, false, false, 1000, false, 254 },
		{ VRRP_TRK_FILE, 254, false, false, INT64_MAX, false, 254 },
		{ VRRP_TRK_FILE, -254, false, false, INT64_MAX, true, 0 },
		/* files, weight 0: any non-zero number is a fault (reverse: zero) */
		{ VRRP_TRK_FILE, 0, false, false, 0, false, 0 },
		{ VRRP_TRK_FILE, 0, false, false, -1, true, 0 },
		{ VRRP_TRK_FILE, 0, true, false, 0, true, 0 },
		{ VRRP_TRK_FILE, 0, true, false, 5, false, 0 },
	};
	struct vrrp_track_effect e;

	(void)state;
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		struct vrrp_track_input in = {
			.kind = rows[k].kind, .weight = rows[k].weight, .reverse = rows[k].reverse,
			.up = rows[k].up, .value = rows[k].value,
		};

		vrrp_track_effect(&in, &e);
		if (e.fault != rows[k].fault || e.delta != rows[k].delta)
			fail_msg("row %zu: fault %d delta %d, expected %d %d", k, e.fault, e.delta,
				 rows[k].fault, rows[k].delta);
	}
}

static void test_eff_prio_clamped(void **state)
{
	(void)state;
	assert_int_equal(vrrp_track_eff_prio(100, -20), 80);
	assert_int_equal(vrrp_track_eff_prio(100, 0), 100);
	assert_int_equal(vrrp_track_eff_prio(100, -150), 1);	/* never 0 */
	assert_int_equal(vrrp_track_eff_prio(100, 200), 254);	/* never the owner's */
	assert_int_equal(vrrp_track_eff_prio(254, 1), 254);
	assert_int_equal(vrrp_track_eff_prio(255, -100), 255);	/* owner unchanged */
	assert_int_equal(vrrp_track_eff_prio(1, INT64_MIN / 2), 1);
	assert_int_equal(vrrp_track_eff_prio(1, INT64_MAX / 2), 254);
}

/* ------------------------------------------------------------------ */
/* Runtime on a real loop */

static struct ev_loop *loop;
static struct cfg_root *root;
static struct vrrp_inst insts[4];
static char dir[64];

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

/* Fake instances over the configuration's, in its order. */
static void start(const char *text)
{
	const struct cfg_vrrp_inst *c;
	struct vrrp_inst **tail = &vrrp_rt.insts;
	unsigned n = 0;

	memset(insts, 0, sizeof(insts));
	memset(&vrrp_rt, 0, sizeof(vrrp_rt));
	applied = 0;
	refuse_scripts = false;
	fake_if.up = true;
	fake_if.ifindex = 9;
	loop = ev_loop_new();
	assert_non_null(loop);
	root = load(text);
	vrrp_rt.loop = loop;
	vrrp_rt.root = root;
	for (c = root->vrrp->insts; c && n < 4; c = c->next, n++) {
		insts[n].cfg = c;
		insts[n].base_prio = c->priority;
		snprintf(insts[n].name, sizeof(insts[n].name), "%s", c->name);
		*tail = &insts[n];
		tail = &insts[n].next;
	}
	assert_int_equal(vrrp_track_start(), 0);
}

static bool no_run_in_flight(void)
{
	for (const struct trk_script *t = trk_rt.scripts; t; t = t->next)
		if (t->run)
			return false;
	return true;
}

static bool run_until(bool (*cond)(void), unsigned max_ms);

static void stop(void)
{
	/* let runs end (the loop is freed next: its jobs would leak) */
	assert_true(run_until(no_run_in_flight, 3000));
	vrrp_track_stop();
	assert_int_equal(fake_if.n_track, 0);
	ev_loop_free(loop);
	loop = NULL;
	cfg_free(root);
	root = NULL;
}

/* Runs the loop until cond holds (true) or max_ms passed (false). */
static bool run_until(bool (*cond)(void), unsigned max_ms)
{
	uint64_t end = ev_time_us() + max_ms * 1000ULL;

	while (!cond()) {
		if (ev_time_us() > end)
			return false;
		ev_run_once(loop, 10000);
	}
	return true;
}

static bool inst0_fault(void)
{
	return insts[0].fault_track;
}

static bool inst0_ok(void)
{
	return !insts[0].fault_track;
}

static bool inst0_delta_zero(void)
{
	return insts[0].trk_delta == 0;
}

static bool inst1_fault(void)
{
	return insts[1].fault_track;
}

#define INST(name, vrid, prio, extra) \
	"vrrp_instance " name " {\n interface eth0\n virtual_router_id " #vrid "\n" \
	" priority " #prio "\n" \
	" virtual_ipaddress {\n  10.0.0.1\n }\n" extra "}\n"

static void test_script_fall_and_weights(void **state)
{
	(void)state;
	start("vrrp_script bad {\n script \"/bin/false\"\n interval 0.05\n fall 3\n}\n"
	      "vrrp_script good {\n script \"/bin/true\"\n interval 0.05\n weight 10\n}\n"
	      INST("VI_1", 1, 100, " track_script {\n  bad\n }\n")
	      INST("VI_2", 2, 100, " track_script {\n  good\n  good2 weight -7\n }\n")
	      "vrrp_script good2 {\n script \"/bin/true\"\n interval 0.05\n}\n");
	/* not yet failed: a script starts good (no init_fail) */
	assert_false(insts[0].fault_track);
	assert_int_equal(insts[1].trk_delta, 10);	/* weight 10, good */
	assert_true(run_until(inst0_fault, 3000));
	assert_string_equal(insts[0].trk_fault_what, "track_script bad failed");
	{
		struct trk_script *s = script_get("bad");

		assert_non_null(s);
		assert_true(s->runs >= 3);
		assert_string_equal(s->last, "exit status 1");
	}
	/* the negative weight applies while failed only: good2 is good */
	assert_int_equal(insts[1].trk_delta, 10);
	assert_true(applied > 0);
	stop();
}

static void test_script_hung_is_killed(void **state)
{
	struct trk_script *s;
	uint64_t t0;

	(void)state;
	start("vrrp_script hung {\n script \"/bin/sleep 30\"\n interval 0.2\n timeout 0.1\n}\n"
	      INST("VI_1", 3, 100, " track_script {\n  hung\n }\n"));
	t0 = ev_time_us();
	assert_true(run_until(inst0_fault, 3000));
	/* killed at its timeout (100 ms), long before the sleep would end */
	assert_true(ev_time_us() - t0 < 2000000);
	s = script_get("hung");
	assert_non_null(s);
	assert_non_null(strstr(s->last, "timed out after 100 ms"));
	stop();
}

static void test_script_init_fail_rise(void **state)
{
	(void)state;
	start("vrrp_script s {\n script \"/bin/true\"\n interval 0.05\n rise 2\n init_fail\n"
	      " weight -20\n}\n" INST("VI_1", 4, 100, " track_script {\n  s\n }\n"));
	assert_int_equal(insts[0].trk_delta, -20);	/* starts failed */
	assert_false(insts[0].fault_track);
	assert_true(run_until(inst0_delta_zero, 3000));	/* two successes */
	assert_true(inst0_ok());
	assert_true(script_get("s")->runs >= 2);
	stop();
}

static void test_refused_script_is_ignored(void **state)
{
	(void)state;
	refuse_scripts = true;
	memset(&vrrp_rt, 0, sizeof(vrrp_rt));
	loop = ev_loop_new();
	root = load("vrrp_script s {\n script \"/bin/false\"\n interval 0.05\n}\n"
		    INST("VI_1", 5, 100, " track_script {\n  s\n }\n"));
	vrrp_rt.loop = loop;
	vrrp_rt.root = root;
	memset(insts, 0, sizeof(insts));
	insts[0].cfg = root->vrrp->insts;
	vrrp_rt.insts = &insts[0];
	assert_int_equal(vrrp_track_start(), 0);
	assert_true(script_get("s")->disabled);
	assert_false(run_until(inst0_fault, 300));	/* never run, never a fault */
	refuse_scripts = false;
	stop();
}

static void test_owner_and_sync_weights_forced_to_zero(void **state)
{
	(void)state;
	start("vrrp_script bad {\n script \"/bin/false\"\n interval 0.05\n weight -20\n}\n"
	      INST("OWNER", 6, 255, " track_script {\n  bad\n }\n")
	      INST("M1", 7, 100, " track_script {\n  bad\n }\n"
		   " track_interface {\n  trk0 weight -5\n }\n")
	      INST("M2", 8, 100, "")
	      "vrrp_sync_group G {\n group {\n  M1\n  M2\n }\n track_script {\n  bad weight"
	      " -30\n }\n}\n");
	/* the owner: weight 0, so failure is a fault */
	assert_int_equal(insts[0].n_trk, 1);
	assert_int_equal(insts[0].trk[0].weight, 0);
	/* a member: its own script at 0, its interface keeps -5, the group's
	 * script keeps -30 */
	assert_int_equal(insts[1].n_trk, 3);
	assert_int_equal(insts[1].trk[0].weight, -5);	/* interfaces first */
	assert_int_equal(insts[1].trk[1].weight, 0);
	assert_int_equal(insts[1].trk[2].weight, -30);
	assert_int_equal(insts[2].n_trk, 1);
	assert_int_equal(insts[2].trk[0].weight, -30);
	assert_true(run_until(inst0_fault, 3000));
	assert_true(insts[1].fault_track);	/* its own script at weight 0 */
	assert_int_equal(insts[2].trk_delta, -30);
	assert_false(insts[2].fault_track);
	stop();
}

static void test_interface(void **state)
{
	(void)state;
	start(INST("VI_1", 9, 100, " track_interface {\n  trk0\n }\n")
	      INST("VI_2", 10, 100, " track_interface {\n  trk0 weight -30 reverse\n }\n"));
	assert_int_equal(fake_if.n_track, 1);	/* one reference per interface */
	assert_false(insts[0].fault_track);
	fake_if.up = false;
	vrrp_track_if_changed(&fake_if);
	assert_true(insts[0].fault_track);
	assert_string_equal(insts[0].trk_fault_what, "track_interface trk0 down");
	assert_int_equal(insts[1].trk_delta, 30);	/* reversed: added while down */
	fake_if.up = true;
	vrrp_track_if_changed(&fake_if);
	assert_false(insts[0].fault_track);
	assert_int_equal(insts[1].trk_delta, 0);
	stop();
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static bool delta_is_minus_30(void)
{
	return insts[0].trk_delta == -30;
}

static void test_file_inotify(void **state)
{
	char conf[1024], path[128], path2[128];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/alived-test-track.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/prio", dir);
	snprintf(path2, sizeof(path2), "%s/flag", dir);
	write_file(path, "5\n");
	snprintf(conf, sizeof(conf),
		 "track_file prio {\n file \"%s\"\n weight 2\n}\n"
		 "track_file flag {\n file \"%s\"\n init_file 0\n}\n"
		 INST("VI_1", 11, 100, " track_file {\n  prio\n }\n")
		 INST("VI_2", 12, 100, " track_file {\n  flag weight 0\n }\n"), path, path2);
	start(conf);
	assert_int_equal(insts[0].trk_delta, 10);
	assert_false(insts[1].fault_track);	/* created holding 0 */
	write_file(path, "-15\n");
	assert_true(run_until(delta_is_minus_30, 3000));
	write_file(path2, "1\n");
	assert_true(run_until(inst1_fault, 3000));
	assert_string_equal(insts[1].trk_fault_what, "track_file flag holds 1");
	/* a rename over the file is seen too */
	{
		char tmp[160];

		snprintf(tmp, sizeof(tmp), "%s/new", dir);
		write_file(tmp, "-200\n");
		assert_int_equal(rename(tmp, path), 0);
	}
	assert_true(run_until(inst0_fault, 3000));	/* -400 < -253 */
	unlink(path);
	unlink(path2);
	rmdir(dir);
	stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rf_consecutive),
		cmocka_unit_test(test_rf_init_fail_and_defaults),
		cmocka_unit_test(test_effect_table),
		cmocka_unit_test(test_eff_prio_clamped),
		cmocka_unit_test(test_script_fall_and_weights),
		cmocka_unit_test(test_script_hung_is_killed),
		cmocka_unit_test(test_script_init_fail_rise),
		cmocka_unit_test(test_refused_script_is_ignored),
		cmocka_unit_test(test_owner_and_sync_weights_forced_to_zero),
		cmocka_unit_test(test_interface),
		cmocka_unit_test(test_file_inotify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
