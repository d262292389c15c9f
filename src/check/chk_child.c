// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checker engine in its child process: start, reload, stop and the
 * USR1/USR2 dumps (struct child_ops, overriding the weak default of
 * src/child.c).
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "alived/log.h"
#include "alived/spawn.h"
#include "check/lvs.h"
#include "check/chk.h"
#include "child.h"

const struct chk_ops *const chk_builtin_ops[CFG_CHK__COUNT] = {
	[CFG_CHK_HTTP] = &chk_http_ops,
	[CFG_CHK_SSL] = &chk_ssl_ops,
	[CFG_CHK_TCP] = &chk_tcp_ops,
	[CFG_CHK_MISC] = &chk_misc_ops,
	[CFG_CHK_SMTP] = &chk_smtp_ops,
	[CFG_CHK_DNS] = &chk_dns_ops,
	[CFG_CHK_UDP] = &chk_udp_ops,
	[CFG_CHK_PING] = &chk_ping_ops,
	[CFG_CHK_FILE] = &chk_file_ops,
};

static struct chk_model *chk_running;
static int chk_child_start(struct ev_loop *loop, const struct cfg_root *root)
{
	struct chk_model *m = NULL;
	int r;

	r = chk_model_new(loop, root, chk_builtin_ops, &m);
	if (r < 0)
		return r;
	chk_running = m;
	chk_api_set_model(m);
	if (!m->n_vs)
		log_info("no virtual server configured; nothing to check");
	chk_notify_start(loop, m);
	chk_alert_start(loop, m);
	chk_suspend_setup(m);
	chk_model_start(m, true);
	lvs_start(loop, root);
	return 0;
}

static int chk_child_reload(const struct cfg_root *old_root, const struct cfg_root *new_root)
{
	struct chk_evt_info ev = { .evt = CHK_EVT_RELOAD };
	struct chk_model *m = NULL, *old = chk_running;
	int r;

	(void)old_root;
	if (!old)
		return -ESRCH;
	r = chk_model_new(old->loop, new_root, chk_builtin_ops, &m);
	if (r < 0)
		return r;
	chk_model_stop(old, false);
	chk_model_adopt(m, old);
	chk_api_set_model(m);
	chk_running = m;
	chk_suspend_free(old);
	chk_model_free(old);
	snprintf(ev.reason, sizeof(ev.reason), "configuration reloaded");
	chk_api_emit(&ev);
	chk_notify_start(m->loop, m);
	chk_alert_start(m->loop, m);
	chk_suspend_setup(m);
	chk_model_start(m, false);
	lvs_reload(new_root);
	return 0;
}

static void chk_child_stop(void)
{
	struct ev_loop *loop;
	unsigned n;

	if (!chk_running)
		return;
	loop = chk_running->loop;
	lvs_stop();
	chk_model_stop(chk_running, true);
	chk_notify_stop();
	chk_alert_stop();
	chk_api_set_model(NULL);
	chk_suspend_free(chk_running);
	chk_model_free(chk_running);
	chk_running = NULL;
	/* scripts still running (notify_*) finish on their own, unwatched */
	n = spawn_cancel_all(loop, 0);
	if (n)
		log_debug(LOG_CAT_CHECK, "%u scripts still running at exit", n);
}

static void chk_child_dump_data(FILE *out)
{
	if (chk_running)
		chk_model_dump(chk_running, out);
}

static void chk_child_dump_stats(FILE *out)
{
	if (chk_running)
		chk_model_dump_stats(chk_running, out);
	lvs_dump_stats(out);
}

static void chk_child_clear_stats(void)
{
	if (chk_running)
		chk_model_clear_stats(chk_running);
}

const struct child_ops chk_child_ops = {
	.name = "check",
	.start = chk_child_start,
	.reload = chk_child_reload,
	.stop = chk_child_stop,
	.dump_data = chk_child_dump_data,
	.dump_stats = chk_child_dump_stats,
	.clear_stats = chk_child_clear_stats,
};
