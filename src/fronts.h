/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fronts of a child process: the D-Bus service and the AgentX
 * subagent. They observe and command the engines through
 * include/alived/vrrp_api.h and check_api.h only; this is the one place
 * that starts them (DESIGN.md: the engines never call their observers).
 * In a build without D-Bus or SNMP the stubs in dbus/bus_none.c and
 * agent/ax_none.c stand in, so no #ifdef is needed here.
 */
#ifndef ALIVED_FRONTS_H
#define ALIVED_FRONTS_H

#include <stdio.h>
#include "alived/config.h"
#include "child.h"

struct ev_loop;
struct cli_opts;

/* Before the engine starts (the AgentX subagent). */
void fronts_early(enum child_kind kind, struct ev_loop *loop, const struct cfg_root *root,
		  const struct cli_opts *opts);
/* After the engine started. Failures are logged; the engine runs on. */
void fronts_start(enum child_kind kind, struct ev_loop *loop, const struct cfg_root *root,
		  const struct cli_opts *opts);
/* After the engine adopted a new configuration. */
void fronts_reload(enum child_kind kind, struct ev_loop *loop, const struct cfg_root *root);
/* Before (checker) or after (VRRP: the last state changes go out) the
 * engine stops. */
void fronts_stop_before(enum child_kind kind);
void fronts_stop_after(enum child_kind kind);
/* Adds the fronts' counters to a USR2 statistics file. */
void fronts_dump_stats(FILE *out);

#endif
