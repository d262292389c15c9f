// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MISC_CHECK: run misc_path (as user/group, or the script user) and judge
 * the real server by its exit status: 0 passes, anything else fails. With
 * misc_dynamic, an exit status N of 2..255 passes too and sets the weight
 * change to N - 2 - the configured weight (one such checker sets the
 * weight to N - 2); 0 passes and keeps the weight. A script still running
 * after misc_timeout (default delay_loop) is killed and fails.
 *
 * The script runs asynchronously (spawn.h); the loop never waits for it.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "alived/log.h"
#include "alived/spawn.h"
#include "alived/xalloc.h"
#include "check/chk.h"

struct misc_run {
	struct chk *c;		/* NULL once aborted: the exit is then ignored */
	pid_t pid;
};

static uint64_t misc_timeout_us(const struct chk *c)
{
	return c->cfg->u.misc.timeout_us ? c->cfg->u.misc.timeout_us : c->cfg->eff.delay_loop_us;
}

static void misc_dynamic(struct chk *c, int status)
{
	int32_t delta = status - 2 - (int32_t)c->rs->cfg->weight;
	char why[64];

	if (delta == c->dyn_delta)
		return;
	c->dyn_delta = delta;
	snprintf(why, sizeof(why), "MISC_CHECK exit status %d", status);
	chk_vs_weight_changed(c->rs, why);
}

static void misc_done_cb(pid_t pid, int wstatus, bool timed_out, void *ud)
{
	struct misc_run *run = ud;
	struct chk *c = run->c;
	char detail[CHK_DETAIL_MAX];
	int st;

	(void)pid;
	free(run);
	if (!c)
		return;
	c->run = NULL;
	if (timed_out) {
		snprintf(detail, sizeof(detail), "script still running after %.3f s",
			 (double)misc_timeout_us(c) / 1e6);
		chk_done(c, CHK_SCRIPT_TIMEOUT, detail);
		return;
	}
	if (!WIFEXITED(wstatus)) {
		snprintf(detail, sizeof(detail), "script killed by signal %d",
			 WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
		chk_done(c, CHK_SCRIPT_ERROR, detail);
		return;
	}
	st = WEXITSTATUS(wstatus);
	if (st == 0) {
		chk_done(c, CHK_OK, NULL);
		return;
	}
	if (st >= 2 && c->cfg->u.misc.dynamic) {
		misc_dynamic(c, st);
		chk_done(c, CHK_OK, NULL);
		return;
	}
	snprintf(detail, sizeof(detail), "script exit status %d", st);
	chk_done(c, CHK_SCRIPT_FAILED, detail);
}

static void misc_start(struct chk *c)
{
	const struct cfg_chk_misc *mc = &c->cfg->u.misc;
	struct spawn_opts o = {
		.cmdline = mc->path, .timeout_us = misc_timeout_us(c), .ud_free = free,
	};
	struct misc_run *run;
	char detail[CHK_DETAIL_MAX];
	int r;

	r = chk_script_ids(c->rs->vs->m, mc->user, mc->group, &o.uid, &o.gid, &o.set_ids);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "unknown user or group for '%s'", mc->path);
		chk_done(c, CHK_SCRIPT_ERROR, detail);
		return;
	}
	if (!chk_script_allowed(c->rs->vs->m, mc->path)) {
		snprintf(detail, sizeof(detail), "'%s' not run (enable_script_security)", mc->path);
		chk_done(c, CHK_SCRIPT_ERROR, detail);
		return;
	}
	run = xcalloc(1, sizeof(*run));
	run->c = c;
	c->run = run;
	r = spawn_run(chk_loop(c), &o, misc_done_cb, run, &run->pid);
	if (r < 0) {
		free(run);
		c->run = NULL;
		snprintf(detail, sizeof(detail), "cannot run '%s': %s", mc->path, strerror(-r));
		chk_done(c, CHK_SCRIPT_ERROR, detail);
	}
}

static void misc_abort(struct chk *c)
{
	struct misc_run *run = c->run;

	if (!run)
		return;
	/* the spawn job still owns run and frees it when the script is reaped */
	run->c = NULL;
	if (run->pid > 0)
		kill(-run->pid, SIGKILL);
	c->run = NULL;
}

const struct chk_ops chk_misc_ops = {
	.name = "MISC_CHECK",
	.start = misc_start,
	.abort = misc_abort,
};
