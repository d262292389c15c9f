/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A child process: its own log ident, its own event loop, its own pid
 * file; TERM/INT stop it in order, HUP reloads the configuration (the new
 * one is read and validated in full before the engine sees it), USR1 and
 * USR2 write the running configuration and the counters to files.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "alived/config.h"
#include "alived/ev.h"
#include "alived/log.h"
#include "child.h"
#include "fronts.h"
#include "vrrp/vrrp.h"
#include "check/lvs.h"
#include "cli.h"
#include "supervisor.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Engines override these by defining the same symbols. */
__attribute__((weak)) const struct child_ops vrrp_child_ops = { .name = "vrrp" };
__attribute__((weak)) const struct child_ops chk_child_ops = { .name = "check" };

static const char *const child_names[] = {
	[CHILD_VRRP] = "vrrp",
	[CHILD_CHECK] = "check",
};
static const char *const child_idents[] = {
	[CHILD_VRRP] = "alived_vrrp",
	[CHILD_CHECK] = "alived_check",
};
static const char *const child_data_files[] = {
	[CHILD_VRRP] = "/tmp/alived.data",
	[CHILD_CHECK] = "/tmp/alived_check.data",
};
static const char *const child_stats_files[] = {
	[CHILD_VRRP] = "/tmp/alived.stats",
	[CHILD_CHECK] = "/tmp/alived_check.stats",
};
_Static_assert(ARRAY_SIZE(child_names) == CHILD__COUNT, "child_names");
_Static_assert(ARRAY_SIZE(child_idents) == CHILD__COUNT, "child_idents");
_Static_assert(ARRAY_SIZE(child_data_files) == CHILD__COUNT, "child_data_files");
_Static_assert(ARRAY_SIZE(child_stats_files) == CHILD__COUNT, "child_stats_files");

const char *child_name(enum child_kind kind)
{
	return kind < CHILD__COUNT ? child_names[kind] : "?";
}

const char *child_ident(enum child_kind kind)
{
	return kind < CHILD__COUNT ? child_idents[kind] : "alived";
}

const char *child_data_file(enum child_kind kind)
{
	return kind < CHILD__COUNT ? child_data_files[kind] : NULL;
}

const char *child_stats_file(enum child_kind kind)
{
	return kind < CHILD__COUNT ? child_stats_files[kind] : NULL;
}

const struct child_ops *child_ops_of(enum child_kind kind)
{
	return kind == CHILD_VRRP ? &vrrp_child_ops : &chk_child_ops;
}

struct child {
	enum child_kind kind;
	const struct cli_opts *opts;	/* borrowed */
	const struct child_ops *ops;
	struct ev_loop *loop;
	struct cfg_root *root;
	const char *pid_file;		/* borrowed */
	uint64_t started_us;
	bool stopping;
};

static void child_reload(struct child *c)
{
	struct cfg_diags diags;
	struct cfg_root *root = NULL;
	int r;

	log_reopen();
	cfg_diags_init(&diags);
	r = sup_cfg_load(c->opts, false, &diags, &root);
	if (r < 0) {
		/* the parent validated it: it changed in between */
		sup_log_diags(&diags);
		log_err("%s: reload refused, keeping the running configuration",
			c->opts->conf_file);
		goto out;
	}
	if (c->ops->reload) {
		r = c->ops->reload(c->root, root);
		if (r < 0) {
			log_err_errno(r, "%s: reload refused by the %s engine, keeping the running "
				      "configuration", c->opts->conf_file, c->ops->name);
			cfg_free(root);
			goto out;
		}
	}
	cfg_free(c->root);
	c->root = root;
	fronts_reload(c->kind, c->loop, c->root);
	log_notice("%s: configuration reloaded", c->opts->conf_file);
out:
	cfg_diags_free(&diags);
}

/*
 * Writes path through a temporary file and a rename, so a reader never
 * sees half a dump and a symlink planted at path is replaced, not followed.
 */
static int child_write_file(struct child *c, const char *path, bool stats)
{
	char tmp[256], when[64];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f = NULL;
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		goto out;
	}
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "# alived %s, %s process %ld, %s\n", PACKAGE_VERSION, child_name(c->kind),
		(long)getpid(), when);
	if (stats) {
		fprintf(f, "# counters\n");
		fprintf(f, "process {\n    uptime_s %llu\n}\n",
			(unsigned long long)((ev_time_us() - c->started_us) / 1000000u));
		if (c->ops->dump_stats)
			c->ops->dump_stats(f);
		fronts_dump_stats(f);
	} else {
		fprintf(f, "# running configuration (%s)\n", c->opts->conf_file);
		cfg_dump(c->root, f);
		if (c->ops->dump_data)
			c->ops->dump_data(f);
	}
	if (fflush(f) != 0 || ferror(f))
		r = -EIO;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
out:
	if (r < 0)
		unlink(tmp);
	return r;
}

static void child_dump(struct child *c, bool stats)
{
	const char *path = stats ? child_stats_file(c->kind) : child_data_file(c->kind);
	int r = child_write_file(c, path, stats);

	if (r < 0)
		log_err_errno(r, "%s: cannot write the %s", path, stats ? "statistics" : "data");
	else
		log_info("%s: %s written", path, stats ? "statistics" : "data");
}

static void child_stop(struct child *c, int signo)
{
	char name[32];

	if (c->stopping)
		return;
	c->stopping = true;
	log_notice("%s received; stopping", sup_signame(signo, name, sizeof(name)));
	fronts_stop_before(c->kind);
	if (c->ops->stop)
		c->ops->stop();
	fronts_stop_after(c->kind);
	ev_break(c->loop, CHILD_EXIT_OK);
}

static void child_signal(int signo, void *ud)
{
	struct child *c = ud;

	if (signo == SIGTERM || signo == SIGINT) {
		child_stop(c, signo);
	} else if (c->stopping) {
		return;
	} else if (signo == SIGHUP) {
		child_reload(c);
	} else if (signo == SIGUSR1) {
		child_dump(c, false);
	} else if (signo == SIGUSR2) {
		child_dump(c, true);
	} else if (signo == SIGRTMAX - 1) {
		if (c->ops->clear_stats)
			c->ops->clear_stats();
		log_info("statistics cleared");
	} else if (signo == SIGRTMIN + 2) {
		log_notice("JSON dump requested; not available in this version");
	}
}

static int child_setup(struct child *c, pid_t parent_pid)
{
	int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGRTMAX - 1, SIGRTMIN + 2 };
	pid_t other;
	int r;

	/* The parent going away, however it dies, stops us in order. */
	prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != parent_pid) {
		log_notice("parent %ld gone before start; exiting", (long)parent_pid);
		return -ESRCH;
	}
	c->loop = ev_loop_new();
	if (!c->loop)
		return log_err_errno(errno, "cannot create the event loop");
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		r = ev_signal_add(c->loop, sigs[i], child_signal, c);
		if (r < 0)
			return log_err_errno(r, "signal %d: cannot watch it", sigs[i]);
	}
	/* The parent reaped the previous holder before forking us: replace. */
	r = sup_pidfile_write(c->pid_file, getpid(), true, &other);
	if (r < 0)
		return log_err_errno(r, "%s: cannot write the pid file", c->pid_file);
	return 0;
}

void child_main(enum child_kind kind, const struct cli_opts *opts, struct cfg_root *root,
		pid_t parent_pid)
{
	struct child c = {
		.kind = kind,
		.opts = opts,
		.ops = child_ops_of(kind),
		.root = root,
		.pid_file = kind == CHILD_VRRP ? opts->vrrp_pid_file : opts->check_pid_file,
		.started_us = ev_time_us(),
	};
	bool pid_written = false;
	int r, code = CHILD_EXIT_FAILURE;

	log_set_ident(child_ident(kind));
	r = child_setup(&c, parent_pid);
	if (r == -ESRCH)
		code = CHILD_EXIT_OK;
	if (r < 0)
		goto out;
	pid_written = true;
	if (kind == CHILD_VRRP)
		vrrp_runtime_set_dont_release(opts->dont_release_vrrp);	/* -V */
	else
		lvs_set_dont_release(opts->dont_release_ipvs);		/* -I */
	fronts_early(kind, c.loop, c.root, opts);
	if (c.ops->start) {
		r = c.ops->start(c.loop, c.root);
		if (r < 0) {
			log_err_errno(r, "%s engine: cannot start", c.ops->name);
			code = r == -EINVAL ? CHILD_EXIT_FATAL_CONFIG : CHILD_EXIT_FAILURE;
			goto out;
		}
	}
	fronts_start(kind, c.loop, c.root, opts);
	log_info("started (pid %ld, parent %ld)", (long)getpid(), (long)parent_pid);
	r = ev_run(c.loop);
	if (r < 0) {
		log_err_errno(r, "event loop failed");
		code = CHILD_EXIT_FAILURE;
	} else {
		code = r;
		log_info("stopped");
	}
out:
	if (pid_written)
		sup_pidfile_remove(c.pid_file, getpid());
	ev_loop_free(c.loop);
	cfg_free(c.root);
	log_close();
	exit(code);
}
