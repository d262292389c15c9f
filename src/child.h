/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The two child processes (VRRP, checker). Each runs one event loop and
 * hosts one engine through struct child_ops; the supervisor forks them.
 */
#ifndef ALIVED_CHILD_H
#define ALIVED_CHILD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "alived/config.h"

struct ev_loop;
struct cli_opts;

/*
 * What an engine plugs into its child process. Every member may be NULL
 * (nothing to do). The configuration roots passed in stay valid until
 * the next reload() or stop() returns; the engine may keep pointers into
 * them until then (borrowed).
 */
struct child_ops {
	const char *name;	/* "vrrp", "check" */
	/* Called once the loop exists, before it runs. < 0: the child exits;
	 * -EINVAL means the configuration cannot run here (fatal, no restart). */
	int (*start)(struct ev_loop *loop, const struct cfg_root *root);
	/* A new, valid configuration: adopt it. < 0: refused, the engine
	 * keeps running on old (it must not have applied any part of new). */
	int (*reload)(const struct cfg_root *old_root, const struct cfg_root *new_root);
	/* Orderly stop (TERM/INT), before the loop is left. */
	void (*stop)(void);
	/* USR1/USR2: runtime state and counters, appended after the
	 * configuration dump. Optional. */
	void (*dump_data)(FILE *out);
	void (*dump_stats)(FILE *out);
	/* STATS_CLEAR signal. Optional. */
	void (*clear_stats)(void);
};

/*
 * Weak defaults that do nothing; an engine overrides one by defining the
 * same symbol (in an object file that is linked for another reason too:
 * a weak definition does not pull an archive member in).
 */
extern const struct child_ops vrrp_child_ops;
extern const struct child_ops chk_child_ops;

enum child_kind {
	CHILD_VRRP,
	CHILD_CHECK,
	CHILD__COUNT,
};

/* Exit codes of a child, read by the supervisor. */
enum child_exit {
	CHILD_EXIT_OK = 0,		/* stopped on request */
	CHILD_EXIT_FATAL_CONFIG = 1,	/* the configuration cannot run: do not restart */
	CHILD_EXIT_FAILURE = 2,		/* any other failure: restart */
};

/* "vrrp" / "check"; log ident "alived_vrrp" / "alived_check". */
const char *child_name(enum child_kind kind);
const char *child_ident(enum child_kind kind);
/* The engine hooks of a kind. */
const struct child_ops *child_ops_of(enum child_kind kind);
/* Files written on USR1 / USR2 by a child of this kind. */
const char *child_data_file(enum child_kind kind);
const char *child_stats_file(enum child_kind kind);

/*
 * Body of a child process, called right after fork(). root is the
 * parent's validated configuration (inherited by fork; the child owns its
 * copy from now on). Never returns: exits with an enum child_exit code.
 */
__attribute__((noreturn))
void child_main(enum child_kind kind, const struct cli_opts *opts, struct cfg_root *root,
		pid_t parent_pid);

#endif
